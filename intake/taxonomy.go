package intake

import (
	"errors"
	"fmt"
	"sort"

	"github.com/closeloop/closeloop/internal/rulesjson"
	"github.com/closeloop/closeloop/internal/textcheck"
)

// TaxonomyDimension names one list of a taxonomy.
type TaxonomyDimension string

// The dimensions of a taxonomy. Sub-categories hang below categories.
const (
	DimensionKind        TaxonomyDimension = "kind"         // complaint / suggestion / inquiry (001)
	DimensionCategory    TaxonomyDimension = "category"     // problem type (002, 003, 004)
	DimensionSubCategory TaxonomyDimension = "sub_category" // below a category
	DimensionTag         TaxonomyDimension = "tag"          // free labels such as "UI issue", "packaging"
	DimensionChannel     TaxonomyDimension = "channel"      // phone, online chat, e-mail, …
	DimensionTier        TaxonomyDimension = "tier"         // new, returning, high-value, churned, VIP
	DimensionStage       TaxonomyDimension = "stage"        // pre-sales, after-sales, technical support (001)
)

// ErrUnknownValue is wrapped by every *[UnknownValueError].
var ErrUnknownValue = errors.New("not in the taxonomy")

// UnknownValueError reports a value that a taxonomy does not know and whose
// dimension does not allow free values.
type UnknownValueError struct {
	Dimension TaxonomyDimension
	Category  string // for sub-categories: the category looked in
	Value     string
}

// Error names the dimension and the value.
func (e *UnknownValueError) Error() string {
	if e.Dimension == DimensionSubCategory {
		return fmt.Sprintf("%s %q is %v (category %q)", e.Dimension, e.Value, ErrUnknownValue, e.Category)
	}
	return fmt.Sprintf("%s %q is %v", e.Dimension, e.Value, ErrUnknownValue)
}

// Unwrap returns [ErrUnknownValue].
func (e *UnknownValueError) Unwrap() error { return ErrUnknownValue }

// TaxonomyTerm is one value of a dimension: a stable ID (what the host stores
// and what rules refer to) and the names people type for it, in any language.
// Lookup ignores case, full-width/half-width differences and the difference
// between spaces, '-' and '_'.
type TaxonomyTerm struct {
	ID    string         `json:"id"`
	Names []string       `json:"names,omitempty"`
	Subs  []TaxonomyTerm `json:"subs,omitempty"` // sub-categories; categories only, one level deep
}

// TaxonomyList is the list of terms of one dimension. Free means values
// outside the list are accepted as they are (a tag cloud, say).
// FreeSubs (categories only) accepts unknown sub-categories.
type TaxonomyList struct {
	Terms    []TaxonomyTerm `json:"terms,omitempty"`
	Free     bool           `json:"free,omitempty"`
	FreeSubs bool           `json:"free_subs,omitempty"`
}

// TaxonomySpec is the rules data of a taxonomy.
type TaxonomySpec struct {
	Name       string       `json:"name,omitempty"`
	Kinds      TaxonomyList `json:"kinds"`
	Categories TaxonomyList `json:"categories"`
	Tags       TaxonomyList `json:"tags"`
	Channels   TaxonomyList `json:"channels"`
	Tiers      TaxonomyList `json:"tiers"`
	Stages     TaxonomyList `json:"stages"`
}

// Taxonomy is a compiled, immutable taxonomy, safe for concurrent use.
// Extending it ([Taxonomy.WithTerm], [Taxonomy.WithTag],
// [Taxonomy.WithSubCategory]) returns a new Taxonomy and leaves the receiver
// untouched, so a value already shared between goroutines is never mutated.
type Taxonomy struct {
	spec TaxonomySpec
	dims map[TaxonomyDimension]*termIndex
	subs map[string]*termIndex // category ID -> its sub-categories
}

type termIndex struct {
	free  bool
	ids   []string
	byKey map[string]string // termKey(name or id) -> id
	label map[string]string // id -> first name (or id)
}

// ParseTaxonomy strictly decodes and compiles a [TaxonomySpec].
// Errors are *[closeloop.PathError]; the decoder's
// limits ([closeloop.MaxDepth] and [closeloop.MaxSize]) apply, and
// sub-categories may not have sub-categories of their own.
func ParseTaxonomy(data []byte) (*Taxonomy, error) {
	var spec TaxonomySpec
	if err := rulesjson.Decode(data, &spec); err != nil {
		return nil, err
	}
	// spec is fresh and nobody else's: compile it without NewTaxonomy's
	// private copy.
	return compileTaxonomy(spec)
}

// NewTaxonomy validates and compiles spec. IDs must be non-empty and free of
// control characters; within a dimension no ID or name may belong to two
// terms; only categories have sub-categories (one level: a sub-category has
// no Subs). Errors are *[closeloop.PathError] naming
// the offending path.
func NewTaxonomy(spec TaxonomySpec) (*Taxonomy, error) {
	return compileTaxonomy(cloneTaxonomySpec(spec))
}

// compileTaxonomy compiles a spec the taxonomy may keep.
func compileTaxonomy(spec TaxonomySpec) (*Taxonomy, error) {
	t := &Taxonomy{spec: spec, dims: map[TaxonomyDimension]*termIndex{}, subs: map[string]*termIndex{}}
	lists := []struct {
		dim  TaxonomyDimension
		key  string
		list TaxonomyList
	}{
		{DimensionKind, "kinds", spec.Kinds},
		{DimensionCategory, "categories", spec.Categories},
		{DimensionTag, "tags", spec.Tags},
		{DimensionChannel, "channels", spec.Channels},
		{DimensionTier, "tiers", spec.Tiers},
		{DimensionStage, "stages", spec.Stages},
	}
	for _, l := range lists {
		if l.dim != DimensionCategory && l.list.FreeSubs {
			return nil, rulesjson.Errorf(rulesjson.Field(rulesjson.Field("$", l.key), "free_subs"), "only categories have sub-categories")
		}
		at := termsAt{list: l.key, term: -1}
		idx, err := indexTerms(at, l.list.Terms, l.list.Free, l.dim == DimensionCategory)
		if err != nil {
			return nil, err
		}
		t.dims[l.dim] = idx
		if l.dim == DimensionCategory {
			for i, term := range l.list.Terms {
				sub, err := indexTerms(termsAt{list: l.key, term: i}, term.Subs, l.list.FreeSubs, false)
				if err != nil {
					return nil, err
				}
				t.subs[term.ID] = sub
			}
		}
	}
	return t, nil
}

// termsAt locates a list of terms: $.<list>.terms, or the subs of its term
// number term. Paths are rendered only for an error.
type termsAt struct {
	list string
	term int // -1: the list's own terms
}

func (a termsAt) index(i int) string {
	p := rulesjson.Field(rulesjson.Field("$", a.list), "terms")
	if a.term >= 0 {
		p = rulesjson.Field(rulesjson.Index(p, a.term), "subs")
	}
	return rulesjson.Index(p, i)
}

// indexTerms validates terms (found at at) and indexes their names.
func indexTerms(at termsAt, terms []TaxonomyTerm, free, subsAllowed bool) (*termIndex, error) {
	idx := &termIndex{free: free, byKey: map[string]string{}, label: map[string]string{}}
	for i, term := range terms {
		if term.ID == "" {
			return nil, rulesjson.Errorf(rulesjson.Field(at.index(i), "id"), "must not be empty")
		}
		if !subsAllowed && len(term.Subs) > 0 {
			return nil, rulesjson.Errorf(rulesjson.Field(at.index(i), "subs"), "only categories have sub-categories")
		}
		for j := -1; j < len(term.Names); j++ {
			name, path := term.ID, func() string { return rulesjson.Field(at.index(i), "id") }
			if j >= 0 {
				name, path = term.Names[j], func() string { return rulesjson.Index(rulesjson.Field(at.index(i), "names"), j) }
			}
			if msg := textcheck.Problem(name, false); msg != "" {
				return nil, rulesjson.Errorf(path(), "%s", msg)
			}
			k := termKey(name)
			if k == "" {
				return nil, rulesjson.Errorf(path(), "must not be blank")
			}
			if other, ok := idx.byKey[k]; ok && other != term.ID {
				return nil, rulesjson.Errorf(path(), "%q already names term %q", name, other)
			} else if ok && j < 0 {
				return nil, rulesjson.Errorf(path(), "duplicate id %q", name)
			}
			idx.byKey[k] = term.ID
		}
		idx.ids = append(idx.ids, term.ID)
		idx.label[term.ID] = term.ID
		if len(term.Names) > 0 {
			idx.label[term.ID] = term.Names[0]
		}
	}
	return idx, nil
}

func cloneTaxonomySpec(s TaxonomySpec) TaxonomySpec {
	c := s
	c.Kinds = cloneList(s.Kinds)
	c.Categories = cloneList(s.Categories)
	c.Tags = cloneList(s.Tags)
	c.Channels = cloneList(s.Channels)
	c.Tiers = cloneList(s.Tiers)
	c.Stages = cloneList(s.Stages)
	return c
}

func cloneList(l TaxonomyList) TaxonomyList {
	l.Terms = cloneTerms(l.Terms)
	return l
}

func cloneTerms(ts []TaxonomyTerm) []TaxonomyTerm {
	if ts == nil {
		return nil
	}
	out := make([]TaxonomyTerm, len(ts))
	for i, t := range ts {
		out[i] = TaxonomyTerm{ID: t.ID, Names: append([]string(nil), t.Names...), Subs: cloneTerms(t.Subs)}
		if t.Names == nil {
			out[i].Names = nil
		}
	}
	return out
}

// Name returns the taxonomy's name.
func (t *Taxonomy) Name() string { return t.spec.Name }

// Spec returns a deep copy of the taxonomy's rules data.
func (t *Taxonomy) Spec() TaxonomySpec { return cloneTaxonomySpec(t.spec) }

// Free reports whether dim accepts values outside its list.
func (t *Taxonomy) Free(dim TaxonomyDimension) bool {
	if idx := t.dims[dim]; idx != nil {
		return idx.free
	}
	return dim == DimensionSubCategory && t.spec.Categories.FreeSubs
}

// IDs returns the term IDs of dim in their declared order (for sub-categories
// use [Taxonomy.SubCategoryIDs]).
func (t *Taxonomy) IDs(dim TaxonomyDimension) []string {
	if idx := t.dims[dim]; idx != nil {
		return append([]string(nil), idx.ids...)
	}
	return nil
}

// SubCategoryIDs returns the sub-category IDs of category.
func (t *Taxonomy) SubCategoryIDs(category string) []string {
	if idx := t.subs[category]; idx != nil {
		return append([]string(nil), idx.ids...)
	}
	return nil
}

// Label returns the display name of a term (its first name, else its ID);
// unknown IDs come back unchanged.
func (t *Taxonomy) Label(dim TaxonomyDimension, id string) string {
	if idx := t.dims[dim]; idx != nil {
		if l, ok := idx.label[id]; ok {
			return l
		}
	}
	return id
}

// Resolve maps a value typed by a person or a host ("产品故障类", "Product
// Fault") to the term ID of dim. A value the dimension does not know is an
// *[UnknownValueError] unless the dimension is free, in which case the value
// comes back unchanged. For sub-categories use [Taxonomy.ResolveSubCategory].
func (t *Taxonomy) Resolve(dim TaxonomyDimension, value string) (string, error) {
	idx := t.dims[dim]
	if idx == nil {
		return "", &UnknownValueError{Dimension: dim, Value: value}
	}
	if id, ok := idx.byKey[termKey(value)]; ok {
		return id, nil
	}
	if idx.free {
		return value, nil
	}
	return "", &UnknownValueError{Dimension: dim, Value: value}
}

// ResolveSubCategory maps value to a sub-category ID of category (a term
// ID). Unknown values are errors unless the categories list has
// [TaxonomyList.FreeSubs].
func (t *Taxonomy) ResolveSubCategory(category, value string) (string, error) {
	if idx := t.subs[category]; idx != nil {
		if id, ok := idx.byKey[termKey(value)]; ok {
			return id, nil
		}
	}
	if t.spec.Categories.FreeSubs {
		return value, nil
	}
	return "", &UnknownValueError{Dimension: DimensionSubCategory, Category: category, Value: value}
}

// WithTerm returns a new taxonomy with term added to dim (sub-categories:
// use [Taxonomy.WithSubCategory]). The receiver is not changed.
func (t *Taxonomy) WithTerm(dim TaxonomyDimension, term TaxonomyTerm) (*Taxonomy, error) {
	spec := t.Spec()
	var l *TaxonomyList
	switch dim {
	case DimensionKind:
		l = &spec.Kinds
	case DimensionCategory:
		l = &spec.Categories
	case DimensionTag:
		l = &spec.Tags
	case DimensionChannel:
		l = &spec.Channels
	case DimensionTier:
		l = &spec.Tiers
	case DimensionStage:
		l = &spec.Stages
	default:
		return nil, fmt.Errorf("intake: WithTerm: dimension %q has no flat list", dim)
	}
	l.Terms = append(l.Terms, cloneTerms([]TaxonomyTerm{term})...)
	return NewTaxonomy(spec)
}

// WithTag returns a new taxonomy with one more tag (document 003 adds a
// "packaging" tag on the fly). The receiver is not changed.
func (t *Taxonomy) WithTag(id string, names ...string) (*Taxonomy, error) {
	return t.WithTerm(DimensionTag, TaxonomyTerm{ID: id, Names: names})
}

// WithSubCategory returns a new taxonomy with sub added below category (a
// category ID). The receiver is not changed.
func (t *Taxonomy) WithSubCategory(category string, sub TaxonomyTerm) (*Taxonomy, error) {
	spec := t.Spec()
	for i := range spec.Categories.Terms {
		if spec.Categories.Terms[i].ID == category {
			spec.Categories.Terms[i].Subs = append(spec.Categories.Terms[i].Subs, cloneTerms([]TaxonomyTerm{sub})...)
			return NewTaxonomy(spec)
		}
	}
	return nil, &UnknownValueError{Dimension: DimensionCategory, Value: category}
}

// sortedKeys is a small helper for deterministic output.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
