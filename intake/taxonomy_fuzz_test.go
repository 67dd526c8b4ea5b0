package intake

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/closeloop/closeloop/internal/rulesjson"
)

// FuzzTaxonomyJSON: ParseTaxonomy never panics and refuses only with a
// *PathError; an accepted taxonomy round-trips through its spec and
// resolves every ID and name it holds to its term.
func FuzzTaxonomyJSON(f *testing.F) {
	preset, err := json.Marshal(presetTaxonomy(PresetAfterSales).Spec())
	if err != nil {
		f.Fatal(err)
	}
	f.Add(preset)
	f.Add(taxonomyWithCategories(`{"id":"a","names":["A","Ａ"],"subs":[{"id":"b"}]}`))
	f.Add(taxonomyWithCategories(`{"id":"a","subs":[{"id":"b","subs":[{"id":"c"}]}]}`))
	f.Add([]byte(`{"kinds":{"terms":[{"id":"x"}],"free":true},"categories":{"free_subs":true},"tags":{"free":true},"channels":{},"tiers":{},"stages":{}}`))
	f.Add([]byte(`{"categories":{"terms":[{"id":"a"},{"id":"A"}]}}`))
	f.Add([]byte(`{"categories":{"terms":[[[[`))
	f.Fuzz(func(t *testing.T, data []byte) {
		tax, err := ParseTaxonomy(data)
		if err != nil {
			var pe *rulesjson.PathError
			if !errors.As(err, &pe) {
				t.Fatalf("error without a path: %T %v", err, err)
			}
			return
		}
		b, err := json.Marshal(tax.Spec())
		if err != nil {
			t.Fatal(err)
		}
		again, err := ParseTaxonomy(b)
		if err != nil {
			t.Fatalf("spec does not parse back: %v\n%s", err, b)
		}
		for _, dim := range []TaxonomyDimension{DimensionKind, DimensionCategory, DimensionTag, DimensionChannel, DimensionTier, DimensionStage} {
			for _, id := range tax.IDs(dim) {
				if got, err := again.Resolve(dim, id); err != nil || got != id {
					t.Fatalf("%s %q resolves to %q, %v after the round trip", dim, id, got, err)
				}
			}
		}
		for _, cat := range tax.IDs(DimensionCategory) {
			for _, sub := range tax.SubCategoryIDs(cat) {
				if got, err := again.ResolveSubCategory(cat, sub); err != nil || got != sub {
					t.Fatalf("sub-category %q of %q resolves to %q, %v", sub, cat, got, err)
				}
			}
		}
	})
}
