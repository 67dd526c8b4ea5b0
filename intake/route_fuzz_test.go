package intake

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/closeloop/closeloop/internal/rulesjson"
)

// FuzzRoutingJSON: ParseRouter never panics and refuses only with a
// *PathError; accepted rules round-trip through their spec and route every
// input to a team or to ErrNoRoute.
func FuzzRoutingJSON(f *testing.F) {
	preset, err := json.Marshal(PresetRouter().Spec())
	if err != nil {
		f.Fatal(err)
	}
	f.Add(preset, "complaint", "product_fault", "P1", "vip")
	f.Add([]byte(`{"rules":[{"name":"a","when":{"priorities":["P0"],"tags_none":["x"]},"team":"t"}]}`), "", "", "P0", "")
	f.Add([]byte(`{"rules":[{"name":"a","when":{"sub_categories":["malfunction"]},"team":"t"}],"default_team":"d"}`), "", "", "", "")
	f.Add([]byte(`{"rules":[{"name":"a","when":{"priorities":["P9"]},"team":"t"}]}`), "", "", "", "")
	f.Add([]byte(`{"rules":[[[[`), "", "", "", "")
	tax := presetTaxonomy(PresetAfterSales)
	f.Fuzz(func(t *testing.T, data []byte, kind, category, priority, tier string) {
		for _, tx := range []*Taxonomy{nil, tax} {
			rr, err := ParseRouter(data, tx)
			if err != nil {
				var pe *rulesjson.PathError
				if !errors.As(err, &pe) {
					t.Fatalf("error without a path: %T %v", err, err)
				}
				continue
			}
			b, err := json.Marshal(rr.Spec())
			if err != nil {
				t.Fatal(err)
			}
			if _, err := ParseRouter(b, tx); err != nil {
				t.Fatalf("rules do not parse back: %v\n%s", err, b)
			}
			in := RouteInput{Kind: kind, Category: category, Priority: priority, Tier: tier, Tags: []string{category}}
			route, err := rr.Route(in)
			switch {
			case err != nil && !errors.Is(err, ErrNoRoute):
				t.Fatalf("route error %v", err)
			case err == nil && route.Team == "":
				t.Fatalf("routed to no team: %+v", route)
			}
			_ = rr.Explain(in)
		}
	})
}
