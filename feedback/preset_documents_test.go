package feedback

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/closeloop/closeloop/priority"
	"github.com/closeloop/closeloop/sla"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// Triage scoring sees the ticket's category, kind and tier: document 002's
// caps by category, document 001's complaint grades by kind or category,
// and the tier name feeding the tier as it feeds compensation.
func TestScoreTriageSeesTheTicket(t *testing.T) {
	r, err := PresetRules()
	require.NoError(t, err)
	ticket := func(category string, attrs map[string]string) *Ticket {
		return &Ticket{Category: category, Attributes: attrs}
	}
	tests := []struct {
		name     string
		in       PriorityInput
		t        *Ticket
		category string // the triage's own category
		want     string
		reason   string // a reason expected among the reasons
	}{
		{"F20240301001 as before", PriorityInput{Affected: 500, Urgency: 3, Severity: 2}, ticket("product_fault", nil), "", "P1", "score 50 ≥ 40 ⇒ P1"},
		{"a vip customer's tier comes from the ticket", PriorityInput{Affected: 1, Urgency: 2, Severity: 1}, ticket("product_fault", map[string]string{"tier": "vip"}), "",
			"P1", `tier name "vip" ⇒ tier 4 (VIP)`},
		{"a tier level in the input wins over the ticket's", PriorityInput{Affected: 1, Urgency: 2, Severity: 1, Tier: 1}, ticket("product_fault", map[string]string{"tier": "vip"}), "",
			"P2", "tier 1 (standard)"},
		{"service experience is capped at P2 by the ticket's category", PriorityInput{Impact: 4, Urgency: 4, Severity: 2}, ticket("service_experience", nil), "",
			"P2", `override "service experience and suggestions are at most P2" (cap P2): P0 → P2`},
		{"the triage's own category wins over the ticket's", PriorityInput{Impact: 4, Urgency: 4, Severity: 2}, ticket("product_fault", nil), "service_experience",
			"P2", `override "service experience and suggestions are at most P2" (cap P2): P0 → P2`},
		{"P0 needs a core-function or safety issue", PriorityInput{Impact: 4, Urgency: 4, Severity: 2}, ticket("product_fault", nil), "",
			"P1", `override "P0 needs a core-function or safety issue" (cap P1): P0 → P1`},
		{"a complaint with a legal risk is an emergency (001)", PriorityInput{Urgency: 2, Flags: []string{"legal_risk"}}, ticket("", map[string]string{"kind": "complaint"}), "",
			"P0", `override "emergency complaint: safety, major property loss or legal risk (001)" (raise_to P0): P2 → P0`},
		{"so is one in 002's complaint category", PriorityInput{Urgency: 2, Flags: []string{"major_property_loss"}}, ticket("complaint", nil), "",
			"P0", `override "emergency complaint category: safety, major property loss or legal risk (001)" (raise_to P0): P2 → P0`},
		{"a complaint about a widespread core-function failure is high, not emergency (001)", PriorityInput{Impact: 4, Urgency: 4, Severity: 3}, ticket("", map[string]string{"kind": "complaint"}), "",
			"P1", `override "a complaint is an emergency only for safety, major property loss or legal risk (001)" (cap P1): P0 → P1`},
		{"a legal risk outside a complaint raises nothing", PriorityInput{Urgency: 2, Flags: []string{"legal_risk"}}, ticket("product_fault", nil), "", "P2", ""},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			level, reasons, err := r.scoreTriage(tt.in, tt.t, tt.category)
			require.NoError(t, err)
			assert.Equal(t, tt.want, level, "%v", reasons)
			if tt.reason != "" {
				assert.Contains(t, reasons, tt.reason)
			}
		})
	}

	// A tier the scoring does not map is refused, never taken as "not given".
	_, _, err = r.scoreTriage(PriorityInput{Urgency: 2}, ticket("", map[string]string{"tier": "gold"}), "")
	require.ErrorIs(t, err, priority.ErrUnknownTier)

	// Scoring that maps no tier names does not read the ticket's tier.
	plain := mustRules(t, `{"version": "v", "priority": {"method": "weighted", "weighted": {"weights": {"urgency": 10}, "bands": [{"level": "P1", "at_least": 20}]}}}`)
	level, _, err := plain.scoreTriage(PriorityInput{Urgency: 3}, ticket("", map[string]string{"tier": "gold"}), "")
	require.NoError(t, err)
	assert.Equal(t, "P1", level)
}

// The preset's priority section is the after-sales preset followed by
// document 001's complaint grades, nothing else changed.
func TestPresetPriorityIsAfterSalesWithComplaintGrades(t *testing.T) {
	data, err := PresetRulesJSON()
	require.NoError(t, err)
	var doc RulesDocument
	require.NoError(t, json.Unmarshal(data, &doc))
	require.NotNil(t, doc.Priority)
	got := *doc.Priority
	var base priority.Spec
	raw, err := priority.PresetJSON(priority.PresetAfterSales)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(raw, &base))
	var grades []priority.Override
	require.NoError(t, json.Unmarshal([]byte(presetComplaintGrades), &grades))
	base.Name = "documents"
	base.Overrides = append(base.Overrides, grades...)
	assert.Equal(t, base, got)

	require.NotNil(t, doc.SLA)
	var want sla.PolicySetSpec
	raw, err = sla.PresetJSON(sla.PresetDocuments)
	require.NoError(t, err)
	require.NoError(t, json.Unmarshal(raw, &want))
	assert.Equal(t, want, *doc.SLA, "the SLA section is the documents preset")
}

// Document 001's hourly updates: a response and update_customer each meet
// the running cycle of a high-level complaint.
func TestPresetHourlyUpdates(t *testing.T) {
	r, err := PresetRules()
	require.NoError(t, err)
	sh, _ := time.LoadLocation("Asia/Shanghai")
	at := time.Date(2024, 3, 4, 10, 0, 0, 0, sh)
	tk, _, err := r.Open(Opening{ID: "C1", At: at, Actor: "a", Attributes: map[string]string{"kind": "complaint"}})
	require.NoError(t, err)
	fire := func(trig Trigger, after time.Duration, p Payload) {
		_, err := r.Fire(tk, Change{Trigger: trig, Version: tk.Version, At: at.Add(after), Actor: "a", Payload: p})
		require.NoError(t, err, "%s", trig)
	}
	fire(TriggerTriage, 5*time.Minute, Payload{Priority: "P1"})
	fire(TriggerRespond, 50*time.Minute, Payload{Note: "we are on it"})
	fire(TriggerAssign, 55*time.Minute, Payload{Team: "complaints_team"})
	fire(TriggerUpdateCustomer, 110*time.Minute, Payload{Note: "the courier has the parcel"})
	rep, err := r.SLA(tk, at.Add(2*time.Hour))
	require.NoError(t, err)
	assert.Equal(t, "complaint-high", rep.Policy)
	upd, ok := rep.Metric("hourly_update")
	require.True(t, ok)
	assert.Equal(t, sla.Running, upd.Status)
	assert.Equal(t, 2, upd.MetCycles)
	assert.True(t, upd.Deadline.Equal(at.Add(170*time.Minute)), "%v", upd.Deadline)
}

// Document 002 §5.2: overdue work is explained to the customer. The preset
// tells the customer when an after-sales response or a resolution falls
// overdue, and a late resolution needs its reason (overdue_reason_given).
func TestPresetTellsTheCustomerWhenOverdue(t *testing.T) {
	r, err := PresetRules()
	require.NoError(t, err)
	sh, _ := time.LoadLocation("Asia/Shanghai")
	at := time.Date(2024, 3, 4, 9, 0, 0, 0, sh)
	tests := []struct {
		name     string
		attrs    map[string]string
		priority string
		check    time.Time // after the breach
		metric   string
	}{
		{"an after-sales P0 response (24 h)", nil, "P0", at.Add(25 * time.Hour), "first_response"},
		{"a complaint's resolution (5 working days)", map[string]string{"kind": "complaint"}, "P2", time.Date(2024, 3, 12, 9, 0, 0, 0, sh), "resolution"},
		{"an enterprise ordinary resolution (72 h)", map[string]string{"business_line": "enterprise"}, "P2", at.Add(73 * time.Hour), "resolution"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			tk, _, err := r.Open(Opening{ID: "O1", At: at, Actor: "a", Category: "product_fault", Attributes: tt.attrs})
			require.NoError(t, err)
			_, err = r.Fire(tk, Change{Trigger: TriggerTriage, Version: tk.Version, At: at.Add(time.Minute), Actor: "a", Payload: Payload{Priority: tt.priority}})
			require.NoError(t, err)
			effects, _, err := r.Check(tk, time.Time{}, tt.check)
			require.NoError(t, err)
			var told bool
			for _, e := range effects {
				if e.Kind == NotifyCustomer && e.Reason == "overdue: "+tt.metric {
					told = true
				}
			}
			assert.True(t, told, "%+v", effects)
		})
	}

	// The late resolution is refused without its reason, accepted with it.
	tk, _, err := r.Open(Opening{ID: "O2", At: at, Actor: "a", Category: "product_fault", Attributes: map[string]string{"kind": "complaint"}})
	require.NoError(t, err)
	late := time.Date(2024, 3, 12, 9, 0, 0, 0, sh)
	for i, ch := range []Change{
		{Trigger: TriggerTriage, At: at.Add(time.Minute), Payload: Payload{Priority: "P2"}},
		{Trigger: TriggerAssign, At: at.Add(2 * time.Minute), Payload: Payload{Team: "t"}},
		{Trigger: TriggerStart, At: at.Add(3 * time.Minute)},
	} {
		ch.Version, ch.Actor = tk.Version, "a"
		_, err := r.Fire(tk, ch)
		require.NoError(t, err, "step %d", i)
	}
	_, err = r.Fire(tk, Change{Trigger: TriggerResolve, Version: tk.Version, At: late, Actor: "a", Payload: Payload{Note: "fixed"}})
	var te *TransitionError
	require.ErrorAs(t, err, &te)
	assert.Equal(t, []string{GuardOverdueReasonGiven}, te.UnmetGuards)
	_, err = r.Fire(tk, Change{Trigger: TriggerResolve, Version: tk.Version, At: late, Actor: "a", Payload: Payload{Note: "fixed", Reason: "parts were late"}})
	require.NoError(t, err)
}
