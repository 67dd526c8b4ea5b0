package priority_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/closeloop/closeloop/internal/rulesjson"
	"github.com/closeloop/closeloop/priority"
)

const minimalWeighted = `{"method":"weighted","weighted":{"weights":{"urgency":1},"bands":[{"level":"P0","at_least":3},{"level":"P1","at_least":2}]}}`

func TestParseMinimal(t *testing.T) {
	s, err := priority.Parse([]byte(minimalWeighted))
	require.NoError(t, err)
	assert.Equal(t, []string{"P0", "P1", "P2", "P3"}, s.Levels())
	assert.Equal(t, priority.P3, s.Least())
	for u, want := range map[int]priority.Level{1: priority.P3, 2: priority.P3, 3: priority.P1, 4: priority.P0} {
		res, err := s.Score(priority.Input{Urgency: u})
		require.NoError(t, err)
		assert.Equal(t, want, res.Level, "urgency %d", u)
	}
}

func TestParseErrors(t *testing.T) {
	// Each case replaces the whole document; want is the error path and the
	// sentinel the error must match.
	tests := []struct {
		name string
		doc  string
		path string
		is   error
	}{
		{"malformed", `{"method":`, "$.method", rulesjson.ErrSyntax},
		{"unknown field", `{"method":"weighted","wieghted":{}}`, "$.wieghted", rulesjson.ErrUnknownField},
		{"trailing data", minimalWeighted + ` {}`, "$", rulesjson.ErrTrailingData},
		{"wrong type", `{"method":"weighted","weighted":{"weights":{"urgency":"high"},"bands":[]}}`, "$.weighted.weights.urgency", rulesjson.ErrType},
		{"fractional weight", `{"method":"weighted","weighted":{"weights":{"urgency":1.5},"bands":[]}}`, "$.weighted.weights.urgency", rulesjson.ErrType},
		{"unknown flag in points", `{"method":"weighted","weighted":{"weights":{},"flags":{"fire":3},"bands":[]}}`, "$.weighted.flags.fire", rulesjson.ErrUnknownField},
		{"no method", `{}`, "$.method", priority.ErrInvalidRules},
		{"bad method", `{"method":"vote"}`, "$.method", priority.ErrInvalidRules},
		{"weighted without section", `{"method":"weighted"}`, "$.weighted", priority.ErrInvalidRules},
		{"matrix section with weighted method", `{"method":"weighted","weighted":{"weights":{},"bands":[{"level":"P0","at_least":0}]},"matrix":{"rows":"impact","columns":"urgency","cells":[]}}`, "$.matrix", priority.ErrInvalidRules},
		{"one level", `{"levels":["only"],"method":"weighted"}`, "$.levels", priority.ErrInvalidRules},
		{"empty levels list", `{"levels":[],"method":"weighted"}`, "$.levels", priority.ErrInvalidRules},
		{"empty labels list", `{"scales":{"impact":{"min":1,"max":3,"labels":[]}},"method":"weighted"}`, "$.scales.impact.labels", priority.ErrInvalidRules},
		{"empty level", `{"levels":["a",""],"method":"weighted"}`, "$.levels[1]", priority.ErrInvalidRules},
		{"P-name out of place", `{"levels":["P1","P2","P3","P4"],"method":"weighted"}`, "$.levels[0]", priority.ErrInvalidRules},
		{"tier thresholds", `{"tier_from":{"value":[5,5]},"method":"weighted"}`, "$.tier_from.value[1]", priority.ErrNotMonotonic},
		{"tier thresholds too many", `{"scales":{"tier":{"min":0,"max":1}},"tier_from":{"value":[5,6]},"method":"weighted"}`, "$.tier_from.value", priority.ErrInvalidRules},
		{"duplicate level", `{"levels":["a","b","a"],"method":"weighted"}`, "$.levels[2]", priority.ErrInvalidRules},
		{"scale max below min", `{"scales":{"urgency":{"min":3,"max":2}},"method":"weighted"}`, "$.scales.urgency.max", priority.ErrInvalidRules},
		{"scale negative", `{"scales":{"tier":{"min":-1,"max":2}},"method":"weighted"}`, "$.scales.tier.min", priority.ErrInvalidRules},
		{"scale too big", `{"scales":{"tier":{"min":0,"max":1000}},"method":"weighted"}`, "$.scales.tier.max", priority.ErrInvalidRules},
		{"labels count", `{"scales":{"impact":{"min":1,"max":3,"labels":["a","b"]}},"method":"weighted"}`, "$.scales.impact.labels", priority.ErrInvalidRules},
		{"too many thresholds", `{"impact_from":{"affected":[1,2,3,4]},"method":"weighted"}`, "$.impact_from.affected", priority.ErrInvalidRules},
		{"zero threshold", `{"impact_from":{"business":[0]},"method":"weighted"}`, "$.impact_from.business[0]", priority.ErrInvalidRules},
		{"thresholds not ascending", `{"impact_from":{"affected":[10,5]},"method":"weighted"}`, "$.impact_from.affected[1]", priority.ErrNotMonotonic},
		{"negative weight", `{"method":"weighted","weighted":{"weights":{"tier":-1},"bands":[{"level":"P0","at_least":0}]}}`, "$.weighted.weights.tier", priority.ErrNotMonotonic},
		{"huge weight", `{"method":"weighted","weighted":{"weights":{"tier":2000000},"bands":[{"level":"P0","at_least":0}]}}`, "$.weighted.weights.tier", priority.ErrInvalidRules},
		{"negative flag points", `{"method":"weighted","weighted":{"weights":{},"flags":{"legal_risk":-5},"bands":[{"level":"P0","at_least":0}]}}`, "$.weighted.flags.legal_risk", priority.ErrNotMonotonic},
		{"no bands", `{"method":"weighted","weighted":{"weights":{},"bands":[]}}`, "$.weighted.bands", priority.ErrInvalidRules},
		{"band unknown level", `{"method":"weighted","weighted":{"weights":{},"bands":[{"level":"urgent","at_least":1}]}}`, "$.weighted.bands[0].level", priority.ErrInvalidRules},
		{"band missing level", `{"method":"weighted","weighted":{"weights":{},"bands":[{"at_least":1}]}}`, "$.weighted.bands[0].level", priority.ErrInvalidRules},
		{"bands not descending", `{"method":"weighted","weighted":{"weights":{},"bands":[{"level":"P0","at_least":5},{"level":"P1","at_least":5}]}}`, "$.weighted.bands[1].at_least", priority.ErrNotMonotonic},
		{"bands levels not ascending", `{"method":"weighted","weighted":{"weights":{},"bands":[{"level":"P1","at_least":5},{"level":"P0","at_least":3}]}}`, "$.weighted.bands[1].level", priority.ErrNotMonotonic},
		{"matrix without section", `{"method":"matrix"}`, "$.matrix", priority.ErrInvalidRules},
		{"matrix bad rows", `{"method":"matrix","matrix":{"rows":"mood","columns":"urgency","cells":[]}}`, "$.matrix.rows", priority.ErrInvalidRules},
		{"matrix bad columns", `{"method":"matrix","matrix":{"rows":"impact","columns":"","cells":[]}}`, "$.matrix.columns", priority.ErrInvalidRules},
		{"matrix same axes", `{"method":"matrix","matrix":{"rows":"impact","columns":"impact","cells":[]}}`, "$.matrix.columns", priority.ErrInvalidRules},
		{"matrix row count", `{"scales":{"impact":{"min":1,"max":2},"urgency":{"min":1,"max":2}},"method":"matrix","matrix":{"rows":"impact","columns":"urgency","cells":[["P1","P0"]]}}`, "$.matrix.cells", priority.ErrInvalidRules},
		{"matrix column count", `{"scales":{"impact":{"min":1,"max":2},"urgency":{"min":1,"max":2}},"method":"matrix","matrix":{"rows":"impact","columns":"urgency","cells":[["P1","P0"],["P0"]]}}`, "$.matrix.cells[1]", priority.ErrInvalidRules},
		{"matrix unknown level", `{"scales":{"impact":{"min":1,"max":2},"urgency":{"min":1,"max":2}},"method":"matrix","matrix":{"rows":"impact","columns":"urgency","cells":[["P1","P0"],["P0","X"]]}}`, "$.matrix.cells[1][1]", priority.ErrInvalidRules},
		{"matrix not monotonic across", `{"scales":{"impact":{"min":1,"max":2},"urgency":{"min":1,"max":2}},"method":"matrix","matrix":{"rows":"impact","columns":"urgency","cells":[["P0","P1"],["P0","P0"]]}}`, "$.matrix.cells[0][1]", priority.ErrNotMonotonic},
		{"matrix not monotonic down", `{"scales":{"impact":{"min":1,"max":2},"urgency":{"min":1,"max":2}},"method":"matrix","matrix":{"rows":"impact","columns":"urgency","cells":[["P1","P1"],["P2","P1"]]}}`, "$.matrix.cells[1][0]", priority.ErrNotMonotonic},
		{"quadrant without section", `{"method":"quadrant"}`, "$.quadrants", priority.ErrInvalidRules},
		{"quadrant empty urgent", `{"method":"quadrant","quadrants":{"urgent":{},"important":{"tier_at_least":3}}}`, "$.quadrants.urgent", priority.ErrInvalidRules},
		{"quadrant empty important", `{"method":"quadrant","quadrants":{"urgent":{"tier_at_least":3},"important":{}}}`, "$.quadrants.important", priority.ErrInvalidRules},
		{"quadrant bad flag", `{"method":"quadrant","quadrants":{"urgent":{"flags":["fire"]},"important":{"tier_at_least":3}}}`, "$.quadrants.urgent.flags[0]", priority.ErrInvalidRules},
		{"quadrant threshold above scale", `{"method":"quadrant","quadrants":{"urgent":{"urgency_at_least":5},"important":{"tier_at_least":3}}}`, "$.quadrants.urgent.urgency_at_least", priority.ErrInvalidRules},
		{"quadrant negative count", `{"method":"quadrant","quadrants":{"urgent":{"affected_at_least":-1},"important":{"tier_at_least":3}}}`, "$.quadrants.urgent.affected_at_least", priority.ErrInvalidRules},
		{"quadrant nested bad", `{"method":"quadrant","quadrants":{"urgent":{"any":[{"tier_at_least":1},{"all":[{"severity_at_least":9}]}]},"important":{"tier_at_least":3}}}`, "$.quadrants.urgent.any[1].all[0].severity_at_least", priority.ErrInvalidRules},
		{"quadrant levels inverted", `{"method":"quadrant","quadrants":{"urgent":{"urgency_at_least":3},"important":{"tier_at_least":3},"levels":{"do_now":"P2","plan":"P1","coordinate":"P2","backlog":"P3"}}}`, "$.quadrants.levels.do_now", priority.ErrNotMonotonic},
		{"quadrant backlog too urgent", `{"method":"quadrant","quadrants":{"urgent":{"urgency_at_least":3},"important":{"tier_at_least":3},"levels":{"do_now":"P0","plan":"P2","coordinate":"P1","backlog":"P1"}}}`, "$.quadrants.levels.backlog", priority.ErrNotMonotonic},
		{"quadrant level unknown", `{"method":"quadrant","quadrants":{"urgent":{"urgency_at_least":3},"important":{"tier_at_least":3},"levels":{"do_now":"P0","plan":"P2","coordinate":"P1"}}}`, "$.quadrants.levels.backlog", priority.ErrInvalidRules},
		{"override without name", `{"method":"quadrant","quadrants":{"urgent":{"urgency_at_least":3},"important":{"tier_at_least":3}},"overrides":[{"floor":"P2"}]}`, "$.overrides[0].name", priority.ErrInvalidRules},
		{"override without action", `{"method":"quadrant","quadrants":{"urgent":{"urgency_at_least":3},"important":{"tier_at_least":3}},"overrides":[{"name":"x"}]}`, "$.overrides[0]", priority.ErrInvalidRules},
		{"override two actions", `{"method":"quadrant","quadrants":{"urgent":{"urgency_at_least":3},"important":{"tier_at_least":3}},"overrides":[{"name":"x","raise_to":"P0","raise_by":1}]}`, "$.overrides[0]", priority.ErrInvalidRules},
		{"override lowers", `{"method":"quadrant","quadrants":{"urgent":{"urgency_at_least":3},"important":{"tier_at_least":3}},"overrides":[{"name":"x","raise_by":-1}]}`, "$.overrides[0].raise_by", priority.ErrNotMonotonic},
		{"override raises too far", `{"method":"quadrant","quadrants":{"urgent":{"urgency_at_least":3},"important":{"tier_at_least":3}},"overrides":[{"name":"x","raise_by":4}]}`, "$.overrides[0].raise_by", priority.ErrInvalidRules},
		{"conditional cap", `{"method":"quadrant","quadrants":{"urgent":{"urgency_at_least":3},"important":{"tier_at_least":3}},"overrides":[{"name":"x","when":{"tier_at_least":2},"cap":"P1"}]}`, "$.overrides[0].when", priority.ErrNotMonotonic},
		{"conditional floor", `{"method":"quadrant","quadrants":{"urgent":{"urgency_at_least":3},"important":{"tier_at_least":3}},"overrides":[{"name":"x","when":{"tier_at_least":2},"floor":"P1"}]}`, "$.overrides[0].when", priority.ErrInvalidRules},
		{"override unknown level", `{"method":"quadrant","quadrants":{"urgent":{"urgency_at_least":3},"important":{"tier_at_least":3}},"overrides":[{"name":"x","raise_to":"P7"}]}`, "$.overrides[0].raise_to", priority.ErrInvalidRules},
		{"override cap unknown level", `{"method":"quadrant","quadrants":{"urgent":{"urgency_at_least":3},"important":{"tier_at_least":3}},"overrides":[{"name":"x","cap":"top"}]}`, "$.overrides[0].cap", priority.ErrInvalidRules},
		{"override floor unknown level", `{"method":"quadrant","quadrants":{"urgent":{"urgency_at_least":3},"important":{"tier_at_least":3}},"overrides":[{"name":"x","floor":"top"}]}`, "$.overrides[0].floor", priority.ErrInvalidRules},
		{"override bad condition", `{"method":"quadrant","quadrants":{"urgent":{"urgency_at_least":3},"important":{"tier_at_least":3}},"overrides":[{"name":"x","when":{"flags":["core_function","oops"]},"raise_by":1}]}`, "$.overrides[0].when.flags[1]", priority.ErrInvalidRules},
		{"override negative business", `{"method":"quadrant","quadrants":{"urgent":{"urgency_at_least":3},"important":{"tier_at_least":3}},"overrides":[{"name":"x","when":{"business_at_least":-3},"raise_by":1}]}`, "$.overrides[0].when.business_at_least", priority.ErrInvalidRules},
		{"override negative at_least", `{"method":"quadrant","quadrants":{"urgent":{"urgency_at_least":3},"important":{"tier_at_least":3}},"overrides":[{"name":"x","when":{"impact_at_least":-3},"raise_by":1}]}`, "$.overrides[0].when.impact_at_least", priority.ErrInvalidRules},
		{"unless on a raise", `{"method":"weighted","weighted":{"weights":{},"bands":[{"level":"P0","at_least":1}]},"overrides":[{"name":"x","raise_by":1,"unless":{"tier_at_least":2}}]}`, "$.overrides[0].unless", priority.ErrNotMonotonic},
		{"unless on a floor", `{"method":"weighted","weighted":{"weights":{},"bands":[{"level":"P0","at_least":1}]},"overrides":[{"name":"x","floor":"P2","unless":{"tier_at_least":2}}]}`, "$.overrides[0].unless", priority.ErrNotMonotonic},
		{"empty unless", `{"method":"weighted","weighted":{"weights":{},"bands":[{"level":"P0","at_least":1}]},"overrides":[{"name":"x","cap":"P1","unless":{}}]}`, "$.overrides[0].unless", priority.ErrInvalidRules},
		{"unless bad flag", `{"method":"weighted","weighted":{"weights":{},"bands":[{"level":"P0","at_least":1}]},"overrides":[{"name":"x","cap":"P1","unless":{"any":[{"flags":["fire"]}]}}]}`, "$.overrides[0].unless.any[0].flags[0]", priority.ErrInvalidRules},
		{"empty categories", `{"method":"weighted","weighted":{"weights":{},"bands":[{"level":"P0","at_least":1}]},"overrides":[{"name":"x","cap":"P1","categories":[]}]}`, "$.overrides[0].categories", priority.ErrInvalidRules},
		{"blank category", `{"method":"weighted","weighted":{"weights":{},"bands":[{"level":"P0","at_least":1}]},"overrides":[{"name":"x","cap":"P1","categories":["a"," "]}]}`, "$.overrides[0].categories[1]", priority.ErrInvalidRules},
		{"category twice", `{"method":"weighted","weighted":{"weights":{},"bands":[{"level":"P0","at_least":1}]},"overrides":[{"name":"x","cap":"P1","categories":["a","a"]}]}`, "$.overrides[0].categories[1]", priority.ErrInvalidRules},
		{"kind twice", `{"method":"weighted","weighted":{"weights":{},"bands":[{"level":"P0","at_least":1}]},"overrides":[{"name":"x","floor":"P1","kinds":["complaint","complaint"]}]}`, "$.overrides[0].kinds[1]", priority.ErrInvalidRules},
		{"tier name off the scale", `{"tier_from":{"names":{"vip":5}},"method":"weighted"}`, "$.tier_from.names.vip", priority.ErrInvalidRules},
		{"tier name below the scale", `{"tier_from":{"names":{"new":0}},"method":"weighted"}`, "$.tier_from.names.new", priority.ErrInvalidRules},
		{"blank tier name", `{"tier_from":{"names":{" ":1}},"method":"weighted"}`, `$.tier_from.names[" "]`, priority.ErrInvalidRules},
		{"tier names differing in case", `{"tier_from":{"names":{"VIP":4,"vip":4}},"method":"weighted"}`, "$.tier_from.names.vip", priority.ErrInvalidRules},
		{"too many tier names", `{"tier_from":{"names":{` + manyTierNames(priority.MaxTierNames+1) + `}},"method":"weighted"}`, "$.tier_from.names", priority.ErrInvalidRules},
		{"conditions too deep", `{"method":"quadrant","quadrants":{"urgent":{"urgency_at_least":3},"important":{"tier_at_least":3}},"overrides":[{"name":"x","when":` + strings.Repeat(`{"any":[`, 10) + `{}` + strings.Repeat(`]}`, 10) + `,"raise_by":1}]}`, "$.overrides[0].when.any[0].any[0].any[0].any[0].any[0].any[0].any[0].any[0].any[0]", priority.ErrInvalidRules},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s, err := priority.Parse([]byte(tt.doc))
			require.Error(t, err)
			assert.Nil(t, s)
			var pe *priority.PathError
			require.ErrorAs(t, err, &pe, "%v", err)
			assert.Equal(t, tt.path, pe.Path, "%v", err)
			assert.ErrorIs(t, err, tt.is)
			if errors.Is(tt.is, priority.ErrNotMonotonic) {
				assert.ErrorIs(t, err, priority.ErrInvalidRules, "every rules error is ErrInvalidRules")
			}
			assert.True(t, strings.HasPrefix(err.Error(), tt.path+": "), "%q", err.Error())
		})
	}
}

func TestNewFromGo(t *testing.T) {
	r := priority.Spec{
		Name:   "itil",
		Levels: []string{"critical", "high", "medium", "low", "planning"},
		Scales: &priority.Scales{
			Impact:  &priority.Scale{Min: 1, Max: 3, Labels: []string{"low", "medium", "high"}},
			Urgency: &priority.Scale{Min: 1, Max: 3, Labels: []string{"low", "medium", "high"}},
		},
		Method: priority.MethodMatrix,
		Matrix: &priority.Matrix{Rows: "impact", Columns: "urgency", Cells: [][]string{
			{"planning", "low", "medium"},
			{"low", "medium", "high"},
			{"medium", "high", "critical"},
		}},
	}
	s, err := priority.New(r)
	require.NoError(t, err)
	// New copies the rules: changing r afterwards changes nothing.
	r.Matrix.Cells[2][2] = "planning"
	res, err := s.Score(priority.Input{Impact: 3, Urgency: 3})
	require.NoError(t, err)
	assert.Equal(t, "critical", res.Name)
	assert.Equal(t, "P0", res.Level.String())
	res, err = s.Score(priority.Input{Impact: 1, Urgency: 1})
	require.NoError(t, err)
	assert.Equal(t, "planning", res.Name)
	assert.Equal(t, "P4", res.Level.String())
	assert.Equal(t, priority.Level(4), s.Least())

	// Spec() is a copy too.
	got := s.Spec()
	got.Matrix.Cells[0][0] = "critical"
	assert.Equal(t, "planning", s.Spec().Matrix.Cells[0][0])

	// Errors from New carry JSON paths as well.
	r.Matrix.Cells[2][2] = "planning"
	_, err = priority.New(r)
	var pe *priority.PathError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, "$.matrix.cells[2][2]", pe.Path)
	assert.ErrorIs(t, err, priority.ErrNotMonotonic)
}

// A document marshals back byte-for-byte stable: decode → marshal → decode →
// marshal gives the same bytes and the same rules.
func TestRoundTrip(t *testing.T) {
	docs := []string{minimalWeighted}
	for _, name := range priority.PresetNames() {
		b, err := priority.PresetJSON(name)
		require.NoError(t, err)
		docs = append(docs, string(b))
	}
	for i, doc := range docs {
		s, err := priority.Parse([]byte(doc))
		require.NoError(t, err, "doc %d", i)
		b1, err := json.Marshal(s)
		require.NoError(t, err)
		s2, err := priority.Parse(b1)
		require.NoError(t, err, "doc %d: %s", i, b1)
		b2, err := json.Marshal(s2.Spec())
		require.NoError(t, err)
		assert.JSONEq(t, string(b1), string(b2))
		assert.Equal(t, s.Spec(), s2.Spec())
		// And the same document, before and after, decides the same.
		for _, in := range []priority.Input{{}, {Impact: 4, Urgency: 4, Severity: 4, Tier: 4, Flags: 31}, {Affected: 60, Urgency: 2, Severity: 3}} {
			a, err := s.Explain(in)
			require.NoError(t, err)
			b, err := s2.Explain(in)
			require.NoError(t, err)
			assert.Equal(t, a, b)
		}
	}
}

// A *Scorer can sit inside a host's configuration; errors keep full paths.
func TestScorerInsideConfig(t *testing.T) {
	type config struct {
		Queue    string           `json:"queue"`
		Priority *priority.Scorer `json:"priority"`
	}
	rules, err := priority.PresetJSON(priority.PresetCustomerValue)
	require.NoError(t, err)
	var c config
	require.NoError(t, rulesjson.Decode([]byte(`{"queue":"vip","priority":`+string(rules)+`}`), &c))
	assert.Equal(t, priority.P0, c.Priority.MustScore(priority.Input{Tier: 4, Urgency: 4}).Level)
	out, err := json.Marshal(c)
	require.NoError(t, err)
	var back config
	require.NoError(t, rulesjson.Decode(out, &back))
	assert.Equal(t, c.Priority.Spec(), back.Priority.Spec())

	bad := strings.Replace(string(rules), `["P2", "P1", "P1", "P0"]`, `["P2", "P3", "P1", "P0"]`, 1)
	require.NotEqual(t, string(rules), bad)
	err = rulesjson.Decode([]byte(`{"queue":"vip","priority":`+bad+`}`), &config{})
	var pe *priority.PathError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, "$.priority.matrix.cells[3][1]", pe.Path)
	assert.ErrorIs(t, err, priority.ErrNotMonotonic)
}

func TestMustParsePanics(t *testing.T) {
	assert.Panics(t, func() { priority.MustParse([]byte(`{}`)) })
	assert.NotPanics(t, func() { priority.MustParse([]byte(minimalWeighted)) })
}

// manyTierNames is n tier names, all mapped to tier 1.
func manyTierNames(n int) string {
	parts := make([]string, n)
	for i := range parts {
		parts[i] = fmt.Sprintf("%q: 1", fmt.Sprintf("t%03d", i))
	}
	return strings.Join(parts, ",")
}
