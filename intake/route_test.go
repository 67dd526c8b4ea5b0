package intake

import (
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"testing"
	"time"

	"github.com/closeloop/closeloop/internal/rulesjson"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRoutePreset002(t *testing.T) {
	rr := PresetRouter()
	tests := []struct {
		name string
		in   RouteInput
		team string
		rule string
	}{
		{"002 row 1: P1 product fault", RouteInput{Category: "product_fault", Priority: "P1"}, "technical_support", "p0-p1-product-fault"},
		{"P0 product fault", RouteInput{Category: "product_fault", Priority: "P0", Tier: "vip"}, "technical_support", "p0-p1-product-fault"},
		{"P2 product fault falls to default", RouteInput{Category: "product_fault", Priority: "P2"}, "customer_service", ""},
		{"002 row 2: service experience", RouteInput{Category: "service_experience", Priority: "P2"}, "service_supervisor", "service-experience"},
		{"suggestion", RouteInput{Category: "demand_suggestion", Priority: "P3"}, "product_manager", "demand-suggestion"},
		{"complaint", RouteInput{Category: "complaint", Priority: "P0"}, "customer_service", ""},
		{"no priority yet", RouteInput{Category: "product_fault"}, "customer_service", ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := rr.Route(tc.in)
			require.NoError(t, err)
			assert.Equal(t, tc.team, got.Team)
			assert.Equal(t, tc.rule, got.Rule)
			assert.Equal(t, tc.rule == "", got.Default)
			if got.Default {
				assert.Equal(t, -1, got.RuleIndex)
			}
		})
	}
}

func TestRouteConditions(t *testing.T) {
	withRecall, err := presetTaxonomy(PresetAfterSales).WithTag("recall", "召回")
	require.NoError(t, err)
	rr, err := ParseRouter([]byte(`{"rules":[
		{"name":"vip-wechat","when":{"tiers":["vip"],"channels":["wechat","phone"]},"team":"vip_desk"},
		{"name":"presales","when":{"stages":["pre_sales"],"kinds":["inquiry"]},"team":"sales"},
		{"name":"battery-not-recall","when":{"tags_any":["battery","damaged"],"tags_none":["recall"]},"team":"battery_lab"},
		{"name":"ui-and-defect","when":{"tags_all":["ui_issue","feature_defect"]},"team":"frontend"},
		{"name":"hardware","when":{"sub_categories":["hardware_damage"]},"team":"repair"}
	]}`), withRecall)
	require.NoError(t, err)
	tests := []struct {
		name string
		in   RouteInput
		team string
		err  error
	}{
		{"tier and channel", RouteInput{Tier: "vip", Channel: "wechat"}, "vip_desk", nil},
		{"tier without channel", RouteInput{Tier: "vip", Channel: "email"}, "", ErrNoRoute},
		{"stage and kind", RouteInput{Stage: "pre_sales", Kind: "inquiry"}, "sales", nil},
		{"tags any", RouteInput{Tags: []string{"damaged"}}, "battery_lab", nil},
		{"tags none blocks", RouteInput{Tags: []string{"battery", "recall"}}, "", ErrNoRoute},
		{"tags all", RouteInput{Tags: []string{"feature_defect", "ui_issue"}}, "frontend", nil},
		{"tags all partial", RouteInput{Tags: []string{"ui_issue"}}, "", ErrNoRoute},
		{"sub-category", RouteInput{Category: "product_fault", SubCategory: "hardware_damage"}, "repair", nil},
		{"order: first match wins", RouteInput{Tier: "vip", Channel: "phone", Tags: []string{"battery"}}, "vip_desk", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, err := rr.Route(tc.in)
			if tc.err != nil {
				assert.ErrorIs(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.team, got.Team)
		})
	}
	assert.Equal(t, []string{
		"vip-wechat: no (tiers)", "presales: no (kinds)", "battery-not-recall: no (tags_none)",
		"ui-and-defect: no (tags_all)", "hardware: no (sub_categories)",
	}, rr.Explain(RouteInput{Stage: "pre_sales", Tags: []string{"battery", "recall"}}))
	assert.Len(t, rr.Spec().Rules, 5)
}

func TestRouteFromIntakeResolvesNames(t *testing.T) {
	// Rules may be written with the documents' words; they compile to IDs.
	rr, err := NewRouter(RouterSpec{Rules: []RouteRule{
		{Name: "p0-p1-fault", Team: "技术支持部", When: RouteCondition{Categories: []string{"产品故障类"}, Priorities: []string{"P0", "P1"}}},
	}}, presetTaxonomy(PresetAfterSales))
	require.NoError(t, err)
	v := testValidator(t, ValidatorSpec{})
	in, err := v.Parse(row1(), time.Time{})
	require.NoError(t, err)
	got, err := rr.Route(RouteInputFrom(in, "P1"))
	require.NoError(t, err)
	assert.Equal(t, Route{Team: "技术支持部", Rule: "p0-p1-fault", RuleIndex: 0}, got)
}

func TestRoutingBadSpecs(t *testing.T) {
	tests := []struct{ json, path string }{
		{`{"rules":[{"name":"","team":"t","when":{}}]}`, "$.rules[0].name"},
		{`{"rules":[{"name":"a","team":" ","when":{}}]}`, "$.rules[0].team"},
		{`{"rules":[{"name":"a","team":"t","when":{}},{"name":"a","team":"t","when":{}}]}`, "$.rules[1].name"},
		{`{"rules":[{"name":"a","team":"t","when":{"priorities":["P10"]}}]}`, "$.rules[0].when.priorities[0]"},
		{`{"rules":[{"name":"a","team":"t","when":{"priorities":["high"]}}]}`, "$.rules[0].when.priorities[0]"},
		{`{"rules":[{"name":"a","team":"t","when":{"categories":["logistics"]}}]}`, "$.rules[0].when.categories[0]"},
		{`{"rules":[{"name":"a","team":"t","when":{"tags_any":["packaging"]}}]}`, "$.rules[0].when.tags_any[0]"},
		{`{"rules":[{"name":"a","team":"t","when":{"sub_categories":["attitude"],"categories":["product_fault"]}}]}`, "$.rules[0].when.sub_categories[0]"},
		{`{"rules":[{"name":"a","team":"t","when":{"channels":[""]}}]}`, "$.rules[0].when.channels[0]"},
		{`{"rules":[{"name":"a","team":"t","when":{"weekday":"mon"}}]}`, "$.rules[0].when"},
		{`{"rules":[],"default_team":"a\nb"}`, "$.default_team"},
	}
	for _, tc := range tests {
		_, err := ParseRouter([]byte(tc.json), presetTaxonomy(PresetAfterSales))
		var pe *rulesjson.PathError
		require.True(t, errors.As(err, &pe), "%s: %v", tc.json, err)
		assert.Contains(t, pe.Path, tc.path, "%s: %v", tc.json, err)
	}
}

// BenchmarkRoute routes through the document 002 preset (three rules and a
// default), hitting the default team: the longest path.
func BenchmarkRoute(b *testing.B) {
	rr := PresetRouter()
	in := RouteInput{Category: "complaint", Priority: "P2", Tier: "vip", Channel: "phone", Tags: []string{"battery", "damaged"}}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := rr.Route(in); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRoute50Rules routes through 50 rules with tag conditions, the last one matching.
func BenchmarkRoute50Rules(b *testing.B) {
	spec := RouterSpec{}
	for i := 0; i < 49; i++ {
		spec.Rules = append(spec.Rules, RouteRule{Name: fmt.Sprintf("r%d", i), Team: "t",
			When: RouteCondition{Categories: []string{"product_fault"}, Priorities: []string{"P0"}, TagsAny: []string{"damaged"}}})
	}
	spec.Rules = append(spec.Rules, RouteRule{Name: "last", Team: "t", When: RouteCondition{TagsAll: []string{"battery", "damaged"}}})
	rr, err := NewRouter(spec, presetTaxonomy(PresetAfterSales))
	if err != nil {
		b.Fatal(err)
	}
	in := RouteInput{Category: "product_fault", Priority: "P1", Tags: []string{"battery", "damaged"}}
	b.ReportAllocs()
	for b.Loop() {
		if r, _ := rr.Route(in); r.Rule != "last" {
			b.Fatal(r)
		}
	}
}

// TestRouterSpec: Spec is the rules data the router runs on — rules and the
// default team — it parses back to the same spec, and changing the copy (any
// condition list) changes neither the router nor the next Spec.
func TestRouterSpec(t *testing.T) {
	rr := PresetRouter()
	spec := rr.Spec()
	assert.Equal(t, PresetRouterSpec().DefaultTeam, spec.DefaultTeam)
	require.Len(t, spec.Rules, len(PresetRouterSpec().Rules))
	data, err := json.Marshal(spec)
	require.NoError(t, err)
	back, err := ParseRouter(data, presetTaxonomy(PresetAfterSales))
	require.NoError(t, err)
	assert.Equal(t, spec, back.Spec())

	before := rr.Spec()
	for i := range spec.Rules {
		w := reflect.ValueOf(&spec.Rules[i].When).Elem()
		for j := 0; j < w.NumField(); j++ {
			if f := w.Field(j); f.Kind() == reflect.Slice {
				for k := 0; k < f.Len(); k++ {
					f.Index(k).SetString("changed")
				}
			}
		}
	}
	assert.Equal(t, before, rr.Spec())
}
