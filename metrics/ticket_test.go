package metrics_test

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/closeloop/closeloop/feedback"
	"github.com/closeloop/closeloop/metrics"
	"github.com/closeloop/closeloop/sla"
)

// walk opens a ticket on the preset rules and fires the triggers an hour apart.
func walk(t *testing.T, rules *feedback.Rules, attrs map[string]string, steps ...feedback.Change) (*feedback.Ticket, time.Time) {
	t.Helper()
	at := time.Date(2024, 3, 4, 9, 0, 0, 0, time.UTC)
	tk, _, err := rules.Open(feedback.Opening{ID: "F1", At: at, Actor: "a", Customer: "C1", Channel: "phone",
		Category: "product_fault", Attributes: attrs})
	require.NoError(t, err)
	for i, s := range steps {
		at = at.Add(time.Hour)
		s.Version, s.At, s.Actor = tk.Version, at, "a"
		_, err := rules.Fire(tk, s)
		require.NoError(t, err, "step %d %s", i, s.Trigger)
	}
	return tk, at
}

func TestRecordFromTicket(t *testing.T) {
	rules, err := feedback.PresetRules()
	require.NoError(t, err)
	ch := func(tr feedback.Trigger, p feedback.Payload) feedback.Change {
		return feedback.Change{Trigger: tr, Payload: p}
	}
	tk, now := walk(t, rules, map[string]string{"kind": "complaint", "tier": "vip", "region": "east", "tags": "battery, swelling"},
		ch(feedback.TriggerTriage, feedback.Payload{Priority: "P1"}),
		ch(feedback.TriggerRespond, feedback.Payload{Note: "on it"}),
		ch(feedback.TriggerAssign, feedback.Payload{Team: "tech", Owner: "li"}),
		ch(feedback.TriggerStart, feedback.Payload{}),
		ch(feedback.TriggerResolve, feedback.Payload{Note: "replaced"}),
		ch(feedback.TriggerFollowUp, feedback.Payload{}),
		ch(feedback.TriggerRecordFollowUp, feedback.Payload{FollowUp: &feedback.FollowUp{Resolved: true, Score: 5}}),
		ch(feedback.TriggerClose, feedback.Payload{}),
	)
	rep, err := rules.SLA(tk, now)
	require.NoError(t, err)
	names := []string{"first_response", "resolution", "no_such_metric"}
	r := metrics.RecordFromTicket(tk, rep, names)

	assert.Equal(t, "complaint", r.Kind)
	assert.Equal(t, "vip", r.Tier)
	assert.Equal(t, "east", r.Region)
	assert.Equal(t, "P1", r.Priority)
	assert.Equal(t, "tech", r.Team)
	assert.Equal(t, "li", r.Agent)
	assert.Equal(t, "C1", r.CustomerID)
	assert.Equal(t, []string{"battery", "swelling"}, r.Tags)
	assert.Equal(t, tk.Opened, r.Received)
	assert.Equal(t, tk.Opened.Add(2*time.Hour), r.FirstResponse)
	assert.Equal(t, tk.Opened.Add(5*time.Hour), r.Resolved)
	assert.Equal(t, tk.Opened.Add(8*time.Hour), r.Closed)
	assert.True(t, r.FirstContactResolved)
	assert.Equal(t, metrics.FollowUpDone, r.FollowUp)
	assert.True(t, r.SurveySent)
	assert.Equal(t, uint8(5), r.CSAT)
	assert.Equal(t, metrics.SLAMet, r.SLA[0])
	assert.Equal(t, metrics.SLAMet, r.SLA[1])
	assert.Equal(t, metrics.SLANone, r.SLA[2])

	// A ticket still waiting on the customer: open clocks, follow-up not due,
	// not a first-contact resolution. (Enterprise feedback: document 004
	// gives it a resolution clock.)
	tk, now = walk(t, rules, map[string]string{"business_line": "enterprise"},
		ch(feedback.TriggerTriage, feedback.Payload{Priority: "P2"}),
		ch(feedback.TriggerAssign, feedback.Payload{Team: "tech"}),
		ch(feedback.TriggerStart, feedback.Payload{}),
		ch(feedback.TriggerWaitCustomer, feedback.Payload{Reason: "photos"}),
	)
	rep, err = rules.SLA(tk, now)
	require.NoError(t, err)
	r = metrics.RecordFromTicket(tk, rep, names)
	assert.Equal(t, metrics.SLAOpen, r.SLA[1])
	assert.True(t, r.Resolved.IsZero())
	assert.False(t, r.FirstContactResolved)
	assert.Equal(t, metrics.FollowUpNone, r.FollowUp)

	// Without a report, no SLA figures.
	r = metrics.RecordFromTicket(tk, nil, names)
	assert.Equal(t, [metrics.MaxSLAMetrics]metrics.SLAStatus{}, r.SLA)

	// Much later with no response: the open clock is breached.
	rep, err = rules.SLA(tk, now.Add(30*24*time.Hour))
	require.NoError(t, err)
	r = metrics.RecordFromTicket(tk, rep, names)
	assert.Equal(t, metrics.SLAOpenBreached, r.SLA[0])
	m, ok := rep.Metric("first_response")
	require.True(t, ok)
	assert.Equal(t, sla.Breached, m.Status)
}
