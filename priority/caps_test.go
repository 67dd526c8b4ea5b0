package priority_test

import (
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/closeloop/closeloop/priority"
)

// capPolicy caps P0 unless a core function or safety is at stake, caps
// service experience at P2 unless safety is, and raises complaints with a
// legal risk to P0 after the caps.
const capPolicy = `{
	"tier_from": {"names": {"standard": 1, "vip": 4}},
	"method": "weighted",
	"weighted": {"weights": {"impact": 10, "urgency": 10}, "bands": [{"level": "P0", "at_least": 50}, {"level": "P1", "at_least": 30}, {"level": "P2", "at_least": 10}]},
	"overrides": [
		{"name": "VIP", "when": {"tier_at_least": 4}, "raise_by": 1},
		{"name": "service experience at most P2", "categories": ["service_experience"], "cap": "P2", "unless": {"flags": ["personal_safety"]}},
		{"name": "P0 needs a core function or safety", "cap": "P1", "unless": {"any": [{"flags": ["core_function", "personal_safety"]}, {"severity_at_least": 3}]}},
		{"name": "legal risk in a complaint", "kinds": ["complaint"], "when": {"flags": ["legal_risk"]}, "raise_to": "P0"}
	]
}`

func TestCapsAndRestrictions(t *testing.T) {
	s, err := priority.Parse([]byte(capPolicy))
	require.NoError(t, err)
	tests := []struct {
		name    string
		in      priority.Input
		want    priority.Level
		reasons []string // override reasons
	}{
		{"P0 by score alone is capped", priority.Input{Impact: 4, Urgency: 4}, priority.P1,
			[]string{`override "P0 needs a core function or safety" (cap P1): P0 → P1`}},
		{"a core function lifts the cap", priority.Input{Impact: 4, Urgency: 4, Flags: priority.CoreFunction}, priority.P0, nil},
		{"severity 3 lifts the cap", priority.Input{Impact: 4, Urgency: 4, Severity: 3}, priority.P0, nil},
		{"below the cap nothing is reported", priority.Input{Impact: 2, Urgency: 2}, priority.P2, nil},
		{"service experience is held at P2", priority.Input{Impact: 4, Urgency: 4, Category: "service_experience"}, priority.P2,
			[]string{`override "service experience at most P2" (cap P2): P0 → P2`}},
		{"other categories are not", priority.Input{Impact: 3, Urgency: 3, Category: "product_fault"}, priority.P1, nil},
		{"a VIP's service experience stays at P2", priority.Input{Impact: 2, Urgency: 3, Tier: 4, Category: "service_experience"}, priority.P2,
			[]string{`override "VIP" (raise_by 1): P1 → P0`, `override "service experience at most P2" (cap P2): P0 → P2`}},
		{"a safety risk lifts both caps", priority.Input{Impact: 4, Urgency: 4, Category: "service_experience", Flags: priority.PersonalSafety}, priority.P0, nil},
		{"legal risk raises a complaint after the caps", priority.Input{Urgency: 2, Kind: "complaint", Flags: priority.LegalRisk}, priority.P0,
			[]string{`override "legal risk in a complaint" (raise_to P0): P2 → P0`}},
		{"legal risk in an inquiry does not", priority.Input{Urgency: 2, Kind: "inquiry", Flags: priority.LegalRisk}, priority.P2, nil},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := s.Explain(tt.in)
			require.NoError(t, err)
			assert.Equal(t, tt.want, res.Level)
			var got []string
			for _, r := range res.Reasons {
				if r.Kind == priority.ReasonOverride {
					got = append(got, r.String())
				}
			}
			assert.Equal(t, tt.reasons, got)
			score, err := s.Score(tt.in)
			require.NoError(t, err)
			assert.Equal(t, res.Level, score.Level, "Score agrees with Explain")
		})
	}
}

func TestTierNames(t *testing.T) {
	s, err := priority.Parse([]byte(capPolicy))
	require.NoError(t, err)
	assert.Equal(t, []string{"standard", "vip"}, s.TierNames())
	tests := []struct {
		name  string
		in    priority.Input
		tier  int
		want  priority.Level
		first string // the first reason
	}{
		{"vip maps to 4 and raises a level", priority.Input{Urgency: 2, TierName: "vip"}, 4, priority.P1, `tier name "vip" ⇒ tier 4`},
		{"names match without regard to case", priority.Input{Urgency: 2, TierName: "VIP"}, 4, priority.P1, `tier name "VIP" ⇒ tier 4`},
		{"a level given above the name wins", priority.Input{Urgency: 2, Tier: 4, TierName: "standard"}, 4, priority.P1, `tier name "standard" ⇒ tier 1`},
		{"a name above the level given wins", priority.Input{Urgency: 2, Tier: 2, TierName: "vip"}, 4, priority.P1, `tier name "vip" ⇒ tier 4`},
		{"no name, no tier", priority.Input{Urgency: 2}, 1, priority.P2, "impact 1 [not given, taken as the lowest]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := s.Explain(tt.in)
			require.NoError(t, err)
			assert.Equal(t, tt.tier, res.Tier)
			assert.Equal(t, tt.want, res.Level)
			assert.Equal(t, tt.first, res.Reasons[0].String())
		})
	}
	v, ok := s.TierValue("Vip")
	assert.True(t, ok)
	assert.Equal(t, 4, v)

	// A name the rules do not map is an error, never "not given".
	for _, rules := range []struct {
		doc, msg string
	}{
		{capPolicy, `priority: tier_name "gold": unknown tier name (the rules map standard, vip)`},
		{minimalWeighted, `priority: tier_name "gold": unknown tier name (the rules map no tier names: add tier_from.names)`},
	} {
		s := priority.MustParse([]byte(rules.doc))
		for _, f := range []func(priority.Input) (priority.Result, error){s.Score, s.Explain} {
			res, err := f(priority.Input{TierName: "gold"})
			require.ErrorIs(t, err, priority.ErrUnknownTier)
			var ie *priority.InputError
			require.ErrorAs(t, err, &ie)
			assert.Equal(t, "tier_name", ie.Field)
			assert.Equal(t, "gold", ie.Name)
			assert.Equal(t, rules.msg, err.Error())
			assert.Equal(t, priority.Result{}, res)
		}
	}
}

// The restrictions and names survive a round trip through Go values.
func TestCapsRoundTrip(t *testing.T) {
	s := priority.MustParse([]byte(capPolicy))
	r := s.Spec()
	require.Len(t, r.Overrides, 4)
	assert.Equal(t, []string{"service_experience"}, r.Overrides[1].Categories)
	assert.Equal(t, []string{"complaint"}, r.Overrides[3].Kinds)
	require.NotNil(t, r.Overrides[2].Unless)
	assert.Equal(t, map[string]int{"standard": 1, "vip": 4}, r.TierFrom.Names)
	s2, err := priority.New(r)
	require.NoError(t, err)
	for _, in := range []priority.Input{{Impact: 4, Urgency: 4}, {Impact: 4, Urgency: 4, Category: "service_experience"}, {TierName: "vip", Urgency: 3}} {
		assert.Equal(t, s.MustScore(in), s2.MustScore(in))
	}
}
