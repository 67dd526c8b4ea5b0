package intake

import (
	"errors"
	"fmt"
	"slices"
	"strings"

	"github.com/closeloop/closeloop"
	"github.com/closeloop/closeloop/internal/rulesjson"
	"github.com/closeloop/closeloop/internal/textcheck"
)

// RouteCondition is the "when" of a routing rule. Every non-empty list must
// match (AND across fields); within a list any value matches (OR).
// TagsAny needs at least one of its tags on the feedback, TagsAll all of
// them, TagsNone none of them.
// An empty condition matches everything.
type RouteCondition struct {
	Kinds         []string `json:"kinds,omitempty"`
	Categories    []string `json:"categories,omitempty"`
	SubCategories []string `json:"sub_categories,omitempty"`
	Priorities    []string `json:"priorities,omitempty"` // "P0".."P9"
	Tiers         []string `json:"tiers,omitempty"`
	Channels      []string `json:"channels,omitempty"`
	Stages        []string `json:"stages,omitempty"`
	TagsAny       []string `json:"tags_any,omitempty"`
	TagsAll       []string `json:"tags_all,omitempty"`
	TagsNone      []string `json:"tags_none,omitempty"`
}

// RouteRule assigns Team when its condition holds.
type RouteRule struct {
	Name string         `json:"name"`
	When RouteCondition `json:"when"`
	Team string         `json:"team"`
}

// RouterSpec is the rules data of routing: rules in order, first match
// wins; DefaultTeam (optional) takes what no rule matched.
type RouterSpec struct {
	Rules       []RouteRule `json:"rules"`
	DefaultTeam string      `json:"default_team,omitempty"`
}

// RouteInput is what routing looks at. Values are taxonomy IDs (compared
// exactly) and a priority level "P0".."P9".
type RouteInput struct {
	Kind        string
	Category    string
	SubCategory string
	Priority    string
	Tier        string
	Channel     string
	Stage       string
	Tags        []string
}

// RouteInputFrom fills a [RouteInput] from a validated intake and the
// priority level decided for it.
func RouteInputFrom(in Intake, priority string) RouteInput {
	return RouteInput{Kind: in.Kind, Category: in.Category, SubCategory: in.SubCategory, Priority: priority,
		Tier: in.Tier, Channel: in.Channel, Stage: in.Stage, Tags: in.Tags}
}

// Route is a routing decision and its explanation.
type Route struct {
	Team      string `json:"team"`
	Rule      string `json:"rule,omitempty"` // name of the rule that fired; "" for the default team
	RuleIndex int    `json:"rule_index"`     // its position in the rules, -1 for the default team
	Default   bool   `json:"default,omitempty"`
}

// ErrNoRoute is returned by [Router.Route] when no rule matches and
// there is no default team.
var ErrNoRoute = errors.New("intake: no routing rule matches and there is no default team")

// Router is a compiled, immutable rule list, safe for concurrent use.
type Router struct {
	rules       []RouteRule
	defaultTeam string
}

// ParseRouter strictly decodes and compiles a [RouterSpec]. With a
// non-nil taxonomy, every value in a condition must exist in it (and is
// replaced by its term ID).
func ParseRouter(data []byte, tax *Taxonomy) (*Router, error) {
	var spec RouterSpec
	if err := rulesjson.Decode(data, &spec); err != nil {
		return nil, err
	}
	return NewRouter(spec, tax)
}

// NewRouter validates and compiles spec. Errors are
// *[closeloop.PathError].
func NewRouter(spec RouterSpec, tax *Taxonomy) (*Router, error) {
	rr := &Router{defaultTeam: strings.TrimSpace(spec.DefaultTeam)}
	if textcheck.Problem(spec.DefaultTeam, false) != "" {
		return nil, rulesjson.Errorf("$.default_team", "must be a single line of text")
	}
	names := map[string]bool{}
	for i, r := range spec.Rules {
		p := rulesjson.Index("$.rules", i)
		if strings.TrimSpace(r.Name) == "" || textcheck.Problem(r.Name, false) != "" {
			return nil, rulesjson.Errorf(rulesjson.Field(p, "name"), "must be a non-blank single line")
		}
		if names[r.Name] {
			return nil, rulesjson.Errorf(rulesjson.Field(p, "name"), "duplicate rule name %q", r.Name)
		}
		names[r.Name] = true
		r.Team = strings.TrimSpace(r.Team)
		if r.Team == "" || textcheck.Problem(r.Team, false) != "" {
			return nil, rulesjson.Errorf(rulesjson.Field(p, "team"), "must be a non-blank single line")
		}
		wp := rulesjson.Field(p, "when")
		w := &r.When
		lists := []struct {
			key  string
			vals *[]string
			dim  TaxonomyDimension
		}{
			{"kinds", &w.Kinds, DimensionKind}, {"categories", &w.Categories, DimensionCategory},
			{"sub_categories", &w.SubCategories, DimensionSubCategory}, {"priorities", &w.Priorities, ""},
			{"tiers", &w.Tiers, DimensionTier}, {"channels", &w.Channels, DimensionChannel},
			{"stages", &w.Stages, DimensionStage}, {"tags_any", &w.TagsAny, DimensionTag},
			{"tags_all", &w.TagsAll, DimensionTag}, {"tags_none", &w.TagsNone, DimensionTag},
		}
		for _, l := range lists {
			vals := append([]string(nil), (*l.vals)...)
			for j, v := range vals {
				vp := rulesjson.Index(rulesjson.Field(wp, l.key), j)
				if strings.TrimSpace(v) == "" || textcheck.Problem(v, false) != "" {
					return nil, rulesjson.Errorf(vp, "must be a non-blank single line")
				}
				switch {
				case l.dim == "":
					if !validPriority(v) {
						return nil, rulesjson.Errorf(vp, "priority %q: want P0..P9", v)
					}
				case tax != nil && l.dim == DimensionSubCategory:
					id, err := resolveSubAny(tax, w.Categories, v)
					if err != nil {
						return nil, rulesjson.Wrap(vp, err)
					}
					vals[j] = id
				case tax != nil:
					id, err := tax.Resolve(l.dim, v)
					if err != nil {
						return nil, rulesjson.Wrap(vp, err)
					}
					vals[j] = id
				}
			}
			*l.vals = vals
		}
		rr.rules = append(rr.rules, r)
	}
	return rr, nil
}

// resolveSubAny finds v among the sub-categories of the given categories
// (or of every category when none are given).
func resolveSubAny(tax *Taxonomy, cats []string, v string) (string, error) {
	if len(cats) == 0 {
		cats = tax.IDs(DimensionCategory)
	}
	for _, c := range cats {
		cid, err := tax.Resolve(DimensionCategory, c)
		if err != nil {
			continue
		}
		if id, err := tax.ResolveSubCategory(cid, v); err == nil {
			return id, nil
		}
	}
	return "", &UnknownValueError{Dimension: DimensionSubCategory, Category: strings.Join(cats, "|"), Value: v}
}

func validPriority(p string) bool {
	_, ok := closeloop.LevelOf(p)
	return ok
}

// Spec returns a deep copy of the rules data the router was compiled to:
// condition values as term IDs (when it was compiled with a taxonomy) and the
// default team. Marshal it with encoding/json to save the document; it parses
// back to a router that routes the same.
func (rr *Router) Spec() RouterSpec {
	rules := make([]RouteRule, len(rr.rules))
	for i, r := range rr.rules {
		w := &r.When
		for _, l := range []*[]string{&w.Kinds, &w.Categories, &w.SubCategories, &w.Priorities, &w.Tiers, &w.Channels, &w.Stages, &w.TagsAny, &w.TagsAll, &w.TagsNone} {
			*l = slices.Clone(*l)
		}
		rules[i] = r
	}
	return RouterSpec{Rules: rules, DefaultTeam: rr.defaultTeam}
}

// Route returns the team of the first rule whose condition holds, naming the
// rule; else the default team; else [ErrNoRoute]. It does not allocate.
func (rr *Router) Route(in RouteInput) (Route, error) {
	for i := range rr.rules {
		r := &rr.rules[i]
		if r.When.matches(&in) {
			return Route{Team: r.Team, Rule: r.Name, RuleIndex: i}, nil
		}
	}
	if rr.defaultTeam != "" {
		return Route{Team: rr.defaultTeam, RuleIndex: -1, Default: true}, nil
	}
	return Route{RuleIndex: -1}, ErrNoRoute
}

// Explain returns, for each rule in order, whether it matched in and, if not,
// the first field that failed: a trace for a person asking "why this team?".
func (rr *Router) Explain(in RouteInput) []string {
	out := make([]string, 0, len(rr.rules))
	for _, r := range rr.rules {
		if f := r.When.failure(&in); f != "" {
			out = append(out, fmt.Sprintf("%s: no (%s)", r.Name, f))
		} else {
			out = append(out, fmt.Sprintf("%s: yes -> %s", r.Name, r.Team))
		}
	}
	return out
}

func (w *RouteCondition) matches(in *RouteInput) bool { return w.failure(in) == "" }

// failure returns the name of the first condition field that does not hold.
func (w *RouteCondition) failure(in *RouteInput) string {
	switch {
	case !oneOf(w.Kinds, in.Kind):
		return "kinds"
	case !oneOf(w.Categories, in.Category):
		return "categories"
	case !oneOf(w.SubCategories, in.SubCategory):
		return "sub_categories"
	case !oneOf(w.Priorities, in.Priority):
		return "priorities"
	case !oneOf(w.Tiers, in.Tier):
		return "tiers"
	case !oneOf(w.Channels, in.Channel):
		return "channels"
	case !oneOf(w.Stages, in.Stage):
		return "stages"
	}
	if len(w.TagsAny) > 0 {
		hit := false
		for _, t := range w.TagsAny {
			if containsString(in.Tags, t) {
				hit = true
				break
			}
		}
		if !hit {
			return "tags_any"
		}
	}
	for _, t := range w.TagsAll {
		if !containsString(in.Tags, t) {
			return "tags_all"
		}
	}
	for _, t := range w.TagsNone {
		if containsString(in.Tags, t) {
			return "tags_none"
		}
	}
	return ""
}

func oneOf(list []string, v string) bool {
	if len(list) == 0 {
		return true
	}
	return containsString(list, v)
}

// PresetRouterSpec returns document 002 step 2's assignment as rules: P0/P1
// product faults go to technical support (技术支持部), service-experience
// problems to the service supervisor (客服主管), demands and suggestions to
// the product manager (产品经理). The document does not say where other
// feedback goes; the default team "customer_service" (客服) is this
// library's choice.
func PresetRouterSpec() RouterSpec {
	return RouterSpec{
		Rules: []RouteRule{
			{Name: "p0-p1-product-fault", Team: "technical_support",
				When: RouteCondition{Categories: []string{"product_fault"}, Priorities: []string{"P0", "P1"}}},
			{Name: "service-experience", Team: "service_supervisor",
				When: RouteCondition{Categories: []string{"service_experience"}}},
			{Name: "demand-suggestion", Team: "product_manager",
				When: RouteCondition{Categories: []string{"demand_suggestion"}}},
		},
		DefaultTeam: "customer_service",
	}
}

// PresetRouter compiles [PresetRouterSpec] against the after-sales taxonomy
// ([PresetAfterSales]).
func PresetRouter() *Router {
	rr, err := NewRouter(PresetRouterSpec(), presetTaxonomy(PresetAfterSales))
	if err != nil {
		panic("intake: preset router is invalid: " + err.Error())
	}
	return rr
}
