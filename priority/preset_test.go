package priority_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/closeloop/closeloop"
	"github.com/closeloop/closeloop/priority"
)

func TestPresetsCompileAndRoundTrip(t *testing.T) {
	for _, name := range priority.PresetNames() {
		t.Run(name, func(t *testing.T) {
			s, err := priority.Preset(name)
			require.NoError(t, err)
			assert.Equal(t, name, s.Name())
			// The compiled rules marshal to a document that compiles to the same rules.
			data, err := json.Marshal(s.Spec())
			require.NoError(t, err)
			s2, err := priority.Parse(data)
			require.NoError(t, err)
			assert.Equal(t, s.Spec(), s2.Spec())
		})
	}
	_, err := priority.Preset("nope")
	require.ErrorIs(t, err, priority.ErrUnknownPreset)
	require.ErrorIs(t, err, closeloop.ErrUnknownPreset)
	_, err = priority.PresetJSON("../preset")
	require.ErrorIs(t, err, priority.ErrUnknownPreset)
}

// Document 002, table 2: the two worked rows.
func TestAfterSalesReproducesDocument002(t *testing.T) {
	s, err := priority.Preset(priority.PresetAfterSales)
	require.NoError(t, err)

	tests := []struct {
		name string
		in   priority.Input
		want priority.Level
	}{
		{
			// 电池批次异常: about 500 phones of the batch, high urgency
			// (daily use affected), medium severity (no safety risk).
			name: "F20240301001 battery batch fault",
			in:   priority.Input{Affected: 500, Urgency: 3, Severity: 2},
			want: priority.P1,
		},
		{
			// 安装师傅未穿工服: one installation visit, medium urgency (core
			// function not affected), low severity.
			name: "F20240301002 installer without uniform",
			in:   priority.Input{Affected: 1, Urgency: 2, Severity: 1},
			want: priority.P2,
		},
		{
			name: "the battery fault with a safety risk is P0",
			in:   priority.Input{Affected: 500, Urgency: 3, Severity: 2, Flags: priority.PersonalSafety},
			want: priority.P0,
		},
		{
			name: "the battery fault for a VIP is raised one level",
			in:   priority.Input{Affected: 1, Urgency: 3, Severity: 2, Tier: 4},
			want: priority.P1,
		},
		{
			name: "core function down for a batch of customers is P0",
			in:   priority.Input{Affected: 500, Urgency: 3, Severity: 3},
			want: priority.P0,
		},
		{
			name: "core function down for one customer, use blocked, is P1",
			in:   priority.Input{Affected: 1, Urgency: 3, Severity: 3},
			want: priority.P1,
		},
		{
			name: "a minor flaw is P3",
			in:   priority.Input{Impact: 1, Urgency: 1, Severity: 1},
			want: priority.P3,
		},
		{
			name: "a suggestion from several customers is P2",
			in:   priority.Input{Affected: 12, Urgency: 1, Severity: 1},
			want: priority.P2,
		},
		{
			name: "nothing given is P3",
			in:   priority.Input{},
			want: priority.P3,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := s.Explain(tt.in)
			require.NoError(t, err)
			assert.Equal(t, tt.want, res.Level, "reasons: %v", res.Reasons)
			assert.Equal(t, tt.want.String(), res.Name)
		})
	}
}

// Document 002's level definitions as caps: P0 is for a core-function or
// safety issue ("影响核心功能/存在安全风险"), and a service-experience issue
// or an improvement suggestion is P2 ("服务体验类问题或优化建议").
func TestAfterSalesCapsDocument002(t *testing.T) {
	s, err := priority.Preset(priority.PresetAfterSales)
	require.NoError(t, err)
	tests := []struct {
		name string
		in   priority.Input
		want priority.Level
	}{
		{"widespread, use stopped, a fault scoring 70 without a core function or safety issue, is P1",
			priority.Input{Impact: 4, Urgency: 4, Severity: 2}, priority.P1},
		{"the same with a core function down is P0",
			priority.Input{Impact: 4, Urgency: 4, Severity: 2, Flags: priority.CoreFunction}, priority.P0},
		{"the same with a core function failure as severity is P0",
			priority.Input{Impact: 4, Urgency: 4, Severity: 3}, priority.P0},
		{"a VIP's P1 fault without a core function stays P1",
			priority.Input{Affected: 500, Urgency: 3, Severity: 2, TierName: "vip"}, priority.P1},
		{"a service-experience issue hitting many customers is P2",
			priority.Input{Impact: 4, Urgency: 4, Severity: 2, Category: "service_experience"}, priority.P2},
		{"a VIP's service-experience issue is P2",
			priority.Input{Impact: 2, Urgency: 3, Severity: 2, Tier: 4, Category: "service_experience"}, priority.P2},
		{"a service-experience issue with a safety risk is P0",
			priority.Input{Urgency: 2, Category: "service_experience", Flags: priority.PersonalSafety}, priority.P0},
		{"a suggestion many customers make is P2",
			priority.Input{Impact: 4, Urgency: 3, Category: "demand_suggestion"}, priority.P2},
		{"F20240301002, service experience, stays P2",
			priority.Input{Affected: 1, Urgency: 2, Severity: 1, Category: "service_experience"}, priority.P2},
		{"a product fault is not capped at P2",
			priority.Input{Affected: 500, Urgency: 3, Severity: 2, Category: "product_fault"}, priority.P1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := s.Explain(tt.in)
			require.NoError(t, err)
			assert.Equal(t, tt.want, res.Level, "reasons: %v", res.Reasons)
		})
	}
}

// The host's tier names (the taxonomy's tier IDs) feed the tier: a "vip"
// customer is tier 4 and is raised one level, as compensation multiplies
// a "vip" customer's amounts.
func TestAfterSalesTierNames(t *testing.T) {
	s, err := priority.Preset(priority.PresetAfterSales)
	require.NoError(t, err)
	assert.Equal(t, []string{"churned", "high_value", "new", "returning", "vip"}, s.TierNames())
	tests := []struct {
		name string
		tier int
		want priority.Level
	}{
		{"new", 1, priority.P2}, {"churned", 1, priority.P2}, {"returning", 2, priority.P2},
		{"high_value", 3, priority.P2}, {"vip", 4, priority.P1},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := s.Explain(priority.Input{Affected: 1, Urgency: 2, Severity: 1, TierName: tt.name})
			require.NoError(t, err)
			assert.Equal(t, tt.tier, res.Tier)
			assert.Equal(t, tt.want, res.Level)
		})
	}
	_, err = s.Score(priority.Input{TierName: "gold"})
	require.ErrorIs(t, err, priority.ErrUnknownTier)
}

func TestAfterSalesF20240301002Reasons(t *testing.T) {
	s, err := priority.Preset(priority.PresetAfterSales)
	require.NoError(t, err)
	res, err := s.Explain(priority.Input{Affected: 1, Urgency: 2, Severity: 1})
	require.NoError(t, err)
	var lines []string
	for _, r := range res.Reasons {
		lines = append(lines, r.String())
	}
	assert.Equal(t, []string{
		"impact 1 (single customer or visit)",
		"urgency 2 (medium: use continues): +10 points",
		"severity 1 (low: service manner or cosmetic)",
		"tier 1 (standard) [not given, taken as the lowest]",
		"score 10 ≥ 10 ⇒ P2",
	}, lines)
}

func TestAfterSalesF20240301001Reasons(t *testing.T) {
	s, err := priority.Preset(priority.PresetAfterSales)
	require.NoError(t, err)
	res, err := s.Explain(priority.Input{Affected: 500, Urgency: 3, Severity: 2})
	require.NoError(t, err)
	var lines []string
	for _, r := range res.Reasons {
		lines = append(lines, r.String())
	}
	assert.Equal(t, []string{
		"affected 500 reaches the threshold 50 (impact at least 3)",
		"impact 3 (a batch of customers): +20 points",
		"urgency 3 (high: daily use affected): +20 points",
		"severity 2 (medium: fault, no safety risk): +10 points",
		"tier 1 (standard) [not given, taken as the lowest]",
		"score 50 ≥ 40 ⇒ P1",
	}, lines)
	assert.Equal(t, 50, res.Score)
	assert.Equal(t, 3, res.Impact)
	assert.Equal(t, priority.P1, res.Base)
}

// Document 001: emergency / high / normal / suggestion.
func TestComplaintGradingDocument001(t *testing.T) {
	s, err := priority.Preset(priority.PresetComplaintGrading)
	require.NoError(t, err)
	assert.Equal(t, []string{"emergency", "high", "normal", "suggestion"}, s.Levels())

	tests := []struct {
		name     string
		in       priority.Input
		want     string
		wantP    string
		override string
	}{
		{"food safety complaint", priority.Input{Severity: 2, Urgency: 2, Flags: priority.PersonalSafety}, "emergency", "P0", "personal safety, major property loss or legal risk"},
		{"major property loss", priority.Input{Severity: 2, Urgency: 1, Flags: priority.MajorPropertyLoss}, "emergency", "P0", "personal safety, major property loss or legal risk"},
		{"legal risk", priority.Input{Severity: 1, Urgency: 1, Flags: priority.LegalRisk}, "emergency", "P0", "personal safety, major property loss or legal risk"},
		{"critical severity", priority.Input{Severity: 4, Urgency: 1}, "emergency", "P0", ""},
		{"order not delivered", priority.Input{Severity: 3, Urgency: 3}, "high", "P1", ""},
		{"system failure flagged as core function", priority.Input{Severity: 2, Urgency: 2, Flags: priority.CoreFunction}, "high", "P1", "core function down"},
		{"minor defect", priority.Input{Severity: 2, Urgency: 2}, "normal", "P2", ""},
		{"response delay", priority.Input{Severity: 2, Urgency: 1}, "normal", "P2", ""},
		{"improvement suggestion", priority.Input{Severity: 1, Urgency: 1}, "suggestion", "P3", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := s.Explain(tt.in)
			require.NoError(t, err)
			assert.Equal(t, tt.want, res.Name)
			assert.Equal(t, tt.wantP, res.Level.String())
			var fired []string
			for _, r := range res.Reasons {
				if r.Kind == priority.ReasonOverride && r.From != r.To {
					fired = append(fired, r.Name)
				}
			}
			if tt.override == "" {
				assert.Empty(t, fired)
			} else {
				assert.Equal(t, []string{tt.override}, fired)
			}
		})
	}
}

// Document 003: the four quadrants and their actions.
func TestFourQuadrantsDocument003(t *testing.T) {
	s, err := priority.Preset(priority.PresetFourQuadrants)
	require.NoError(t, err)
	tests := []struct {
		name string
		in   priority.Input
		q    priority.Quadrant
		want priority.Level
	}{
		{"high-value customer complaint", priority.Input{Tier: 3, Urgency: 3}, priority.DoNow, priority.P0},
		{"product function optimisation", priority.Input{Impact: 3, Urgency: 1}, priority.Plan, priority.P2},
		{"one late delivery", priority.Input{Impact: 1, Urgency: 3, Tier: 2}, priority.Coordinate, priority.P1},
		{"a lone suggestion", priority.Input{Impact: 1, Urgency: 1}, priority.Backlog, priority.P3},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := s.Score(tt.in)
			require.NoError(t, err)
			assert.Equal(t, tt.q, res.Quadrant)
			assert.Equal(t, tt.want, res.Level)
		})
	}
	assert.Contains(t, priority.DoNow.Action(), "24 hours")
	assert.Contains(t, priority.Plan.Action(), "milestones")
	assert.Contains(t, priority.Coordinate.Action(), "quickly")
	assert.Contains(t, priority.Backlog.Action(), "backlog")
}

func TestCustomerValueMatrix(t *testing.T) {
	s, err := priority.Preset(priority.PresetCustomerValue)
	require.NoError(t, err)
	tests := []struct {
		tier, urgency int
		want          priority.Level
	}{
		{1, 1, priority.P3}, {1, 4, priority.P1}, {2, 2, priority.P2},
		{3, 3, priority.P1}, {4, 2, priority.P1}, {4, 4, priority.P0}, {3, 4, priority.P0},
	}
	for _, tt := range tests {
		res, err := s.Score(priority.Input{Tier: tt.tier, Urgency: tt.urgency})
		require.NoError(t, err)
		assert.Equal(t, tt.want, res.Level, "tier %d urgency %d", tt.tier, tt.urgency)
	}
}
