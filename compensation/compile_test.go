package compensation

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/closeloop/closeloop/internal/rulesjson"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// baseDoc is a valid policy; the error tests below change one thing in it.
const baseDoc = `{
  "name": "base",
  "currency": "EUR",
  "rounding": "half_up",
  "schedules": [
    {
      "name": "delay",
      "measure": {"kind": "duration", "input": "delay"},
      "bands": [
        {"name": "short", "range": "[0s, 3h)", "options": []},
        {"name": "long", "range": "[3h, inf)", "options": [
          {"id": "cash", "kind": "cash", "formula": "fixed", "amount": "250.00"}
        ]}
      ]
    }
  ]
}`

func TestParsePolicyBase(t *testing.T) {
	p := mustParse(t, baseDoc)
	assert.Equal(t, "base", p.Name())
	assert.Equal(t, Currency{Code: "EUR", MinorUnits: 2}, p.Currency())
	assert.Equal(t, RoundHalfUp, p.Rounding())
}

func TestParsePolicyErrors(t *testing.T) {
	tests := []struct {
		name     string
		old, new string // replace old by new in baseDoc
		path     string
		sentinel error
	}{
		{"unknown field", `"rounding": "half_up",`, `"rounding": "half_up", "roundng": "x",`, "$.roundng", rulesjson.ErrUnknownField},
		{"amount as JSON number", `"amount": "250.00"`, `"amount": 250.00`, "$.schedules[0].bands[1].options[0].amount", rulesjson.ErrType},
		{"trailing data", `"rounding"`, `"rounding"`, "", nil}, // placeholder, see below
		{"unknown currency", `"EUR"`, `"EUX"`, "$.currency", ErrUnknownCurrency},
		{"lower-case currency", `"EUR"`, `"eur"`, "$.currency", ErrUnknownCurrency},
		{"bad rounding", `"half_up"`, `"bankers"`, "$.rounding", ErrInvalidRule},
		{"negative amount", `"250.00"`, `"-250.00"`, "$.schedules[0].bands[1].options[0].amount", ErrNegativeAmount},
		{"too many decimals", `"250.00"`, `"250.001"`, "$.schedules[0].bands[1].options[0].amount", ErrBadAmount},
		{"exponent", `"250.00"`, `"2.5e2"`, "$.schedules[0].bands[1].options[0].amount", ErrBadAmount},
		{"huge amount", `"250.00"`, `"1000000000000000"`, "$.schedules[0].bands[1].options[0].amount", ErrBadAmount},
		{"overlap", `"[3h, inf)"`, `"[2h, inf)"`, "$.schedules[0].bands[1].range", ErrOverlap},
		{"overlap at a shared inclusive edge", `"[0s, 3h)"`, `"[0s, 3h]"`, "$.schedules[0].bands[1].range", ErrOverlap},
		{"gap", `"[3h, inf)"`, `"[4h, inf)"`, "$.schedules[0].bands[1].range", ErrGap},
		{"gap at a shared exclusive edge", `"[3h, inf)"`, `"(3h, inf)"`, "$.schedules[0].bands[1].range", ErrGap},
		{"out of order", `"[0s, 3h)"`, `"[5h, 6h)"`, "$.schedules[0].bands[1].range", ErrOverlap},
		{"range syntax", `"[3h, inf)"`, `"3h..inf"`, "$.schedules[0].bands[1].range", ErrBadRange},
		{"empty range", `"[0s, 3h)"`, `"[3h, 3h)"`, "$.schedules[0].bands[0].range", ErrBadRange},
		{"inclusive inf", `"[3h, inf)"`, `"[3h, inf]"`, "$.schedules[0].bands[1].range", ErrBadRange},
		{"-inf on a duration", `"[0s, 3h)"`, `"(-inf, 3h)"`, "$.schedules[0].bands[0].range", ErrBadRange},
		{"negative duration edge", `"[0s, 3h)"`, `"[-1h, 3h)"`, "$.schedules[0].bands[0].range", ErrNegativeAmount},
		{"bad duration edge", `"[0s, 3h)"`, `"[0s, 3 hours)"`, "$.schedules[0].bands[0].range", ErrBadRange},
		{"unknown measure kind", `"kind": "duration"`, `"kind": "time"`, "$.schedules[0].measure.kind", ErrInvalidRule},
		{"share over 100", `"formula": "fixed", "amount": "250.00"`, `"formula": "percent", "percent": "150", "base": "price"`, "$.schedules[0].bands[1].options[0].percent", ErrShareOver100},
		{"field of another formula", `"formula": "fixed", "amount": "250.00"`, `"formula": "fixed", "amount": "250.00", "percent": "10"`, "$.schedules[0].bands[1].options[0].percent", ErrInvalidRule},
		{"unknown formula", `"formula": "fixed"`, `"formula": "flat"`, "$.schedules[0].bands[1].options[0].formula", ErrInvalidRule},
		{"unknown kind", `"kind": "cash"`, `"kind": "money"`, "$.schedules[0].bands[1].options[0].kind", ErrInvalidRule},
		{"missing amount", `, "amount": "250.00"`, ``, "$.schedules[0].bands[1].options[0].amount", ErrInvalidRule},
		{"voucher under 30 days", `"kind": "cash", "formula": "fixed", "amount": "250.00"`, `"kind": "voucher", "formula": "fixed", "amount": "25.00", "valid_days": 7`, "$.schedules[0].bands[1].options[0].valid_days", ErrInvalidRule},
		{"points on cash", `"amount": "250.00"`, `"amount": "250.00", "points": 5`, "$.schedules[0].bands[1].options[0].points", ErrInvalidRule},
		{"negative points", `"kind": "cash", "formula": "fixed", "amount": "250.00"`, `"kind": "points", "points": -5`, "$.schedules[0].bands[1].options[0].points", ErrNegativeAmount},
		{"zero days", `"kind": "cash", "formula": "fixed", "amount": "250.00"`, `"kind": "service_days", "days": 0`, "$.schedules[0].bands[1].options[0].days", ErrBadNumber},
		{"min above max", `"formula": "fixed", "amount": "250.00"`, `"formula": "multiple", "multiple": "3", "base": "price", "min": "500", "max": "400"`, "$.schedules[0].bands[1].options[0].max", ErrInvalidRule},
		{"floor above cap", `"amount": "250.00"`, `"amount": "250.00", "floor": "100", "cap": "50"`, "$.schedules[0].bands[1].options[0].cap", ErrInvalidRule},
		{"zero period", `"formula": "fixed", "amount": "250.00"`, `"formula": "per_period", "amount": "10", "per_period": "5", "after": "3h", "every": "0s"`, "$.schedules[0].bands[1].options[0].every", ErrInvalidRule},
		{"duplicate option id", `{"id": "cash", "kind": "cash", "formula": "fixed", "amount": "250.00"}`, `{"id": "cash", "kind": "cash", "formula": "fixed", "amount": "250.00"}, {"id": "cash", "kind": "credit", "formula": "fixed", "amount": "1"}`, "$.schedules[0].bands[1].options[1].id", ErrInvalidRule},
		{"same id, other kind", `"options": []`, `"options": [{"id": "cash", "kind": "credit", "formula": "fixed", "amount": "1"}]`, "$.schedules[0].bands[1].options[0].kind", ErrInvalidRule},
		{"bad id", `"id": "cash"`, `"id": "cash register"`, "$.schedules[0].bands[1].options[0].id", ErrInvalidRule},
		{"reduction over 100", `"bands"`, `"reductions": [{"name": "r", "percent": "100.5", "when": [{"flag": "x"}]}], "bands"`, "$.schedules[0].reductions[0].percent", ErrShareOver100},
		{"reduction without conditions", `"bands"`, `"reductions": [{"name": "r", "percent": "50"}], "bands"`, "$.schedules[0].reductions[0].when", ErrInvalidRule},
		{"condition with two tests", `"bands"`, `"when": [{"flag": "x", "duration": "d", "op": ">", "value": "1h"}], "bands"`, "$.schedules[0].when[0]", ErrInvalidRule},
		{"condition bad op", `"bands"`, `"when": [{"duration": "d", "op": "=>", "value": "1h"}], "bands"`, "$.schedules[0].when[0].op", ErrInvalidRule},
		{"condition bad priority", `"bands"`, `"when": [{"priority_in": ["P10"]}], "bands"`, "$.schedules[0].when[0].priority_in[0]", ErrInvalidRule},
		{"priority multiplier key", `"rounding": "half_up",`, `"rounding": "half_up", "multipliers": {"priority": {"P10": "2"}},`, "$.multipliers.priority.P10", ErrInvalidRule},
		{"negative multiplier", `"rounding": "half_up",`, `"rounding": "half_up", "multipliers": {"tier": {"gold": "-2"}},`, "$.multipliers.tier.gold", ErrNegativeAmount},
		{"huge multiplier", `"rounding": "half_up",`, `"rounding": "half_up", "multipliers": {"tier": {"gold": "5000"}},`, "$.multipliers.tier.gold", ErrBadNumber},
		{"negative cap", `"rounding": "half_up",`, `"rounding": "half_up", "limits": {"ticket_cap": "-1"},`, "$.limits.ticket_cap", ErrNegativeAmount},
		{"combine required", `"schedules": [`, `"schedules": [{"name": "other", "measure": {"kind": "number", "input": "n"}, "bands": [{"name": "all", "range": "(-inf, inf)", "options": []}]},`, "$.combine", ErrInvalidRule},
		{"no schedules", `"schedules": [`, `"schedules": [], "x": [`, "$.x", rulesjson.ErrUnknownField},
		{"missing name", `"name": "base",`, ``, "$.name", ErrInvalidRule},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc := baseDoc
			if tc.name == "trailing data" {
				doc = baseDoc + " {}"
				tc.path, tc.sentinel = "$", rulesjson.ErrTrailingData
			} else {
				require.Contains(t, doc, tc.old)
				doc = strings.Replace(doc, tc.old, tc.new, 1)
			}
			_, err := ParsePolicy([]byte(doc))
			require.Error(t, err)
			var pe *PathError
			require.True(t, errors.As(err, &pe), "want a *PathError, got %T: %v", err, err)
			assert.Equal(t, tc.path, pe.Path, "error: %v", err)
			assert.ErrorIs(t, err, tc.sentinel)
		})
	}
}

func TestParsePolicyPercentageMeasure(t *testing.T) {
	doc := `{"name": "sla", "currency": "USD", "rounding": "down", "schedules": [{"name": "u",
	  "measure": {"kind": "percentage", "input": "uptime"},
	  "bands": [{"name": "b", "range": "[0, 101)", "options": []}]}]}`
	_, err := ParsePolicy([]byte(doc))
	var pe *PathError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, "$.schedules[0].bands[0].range", pe.Path)
	assert.ErrorIs(t, err, ErrShareOver100)
}

func TestAllowGaps(t *testing.T) {
	doc := strings.Replace(baseDoc, `"[3h, inf)"`, `"[4h, inf)"`, 1)
	doc = strings.Replace(doc, `"bands"`, `"allow_gaps": true, "bands"`, 1)
	p := mustParse(t, doc)
	off, err := p.Compute(Claim{Durations: map[string]time.Duration{"delay": 3 * time.Hour}})
	require.NoError(t, err)
	assert.Empty(t, off.Options)
	assert.Equal(t, "the value falls in no band", off.Readings[0].Note)
}
