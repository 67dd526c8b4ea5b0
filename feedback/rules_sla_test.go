package feedback

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/closeloop/closeloop/sla"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSLAFromHistory: the preset's document-004 policies evaluated over the
// ticket's own history, on the cn-office calendar, pinned at opening.
func TestSLAFromHistory(t *testing.T) {
	data, err := PresetRulesJSON()
	require.NoError(t, err)
	var doc map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(data, &doc))
	if doc["sla"], err = sla.PresetJSON(sla.PresetEnterprise); err != nil {
		t.Fatal(err)
	}
	data, err = json.Marshal(doc)
	require.NoError(t, err)
	r, err := ParseRules(data)
	require.NoError(t, err)
	require.NotNil(t, r.Policies())
	sh, _ := time.LoadLocation("Asia/Shanghai")
	opened := time.Date(2024, 3, 4, 10, 0, 0, 0, sh) // a Monday
	tk, _, err := r.Open(Opening{ID: "F7", At: opened, Actor: "a", Attributes: map[string]string{"kind": "complaint", "business_line": "enterprise"}})
	require.NoError(t, err)
	at := opened
	fire := func(trig Trigger, p Payload) Outcome {
		at = at.Add(30 * time.Minute)
		out, err := r.Fire(tk, Change{Trigger: trig, Version: tk.Version, At: at, Actor: "a", Payload: p})
		require.NoError(t, err)
		return out
	}
	out := fire(TriggerTriage, Payload{Priority: "P1"})
	rep, err := r.SLA(tk, at)
	require.NoError(t, err)
	assert.Equal(t, "enterprise-complex", rep.Policy)
	var resolution *sla.MetricReport
	for i := range rep.Metrics {
		if rep.Metrics[i].Kind == sla.Resolution {
			resolution = &rep.Metrics[i]
		}
	}
	require.NotNil(t, resolution)
	deadline, err := r.Deadline(tk, at)
	require.NoError(t, err)
	assert.Equal(t, resolution.Deadline.UTC(), deadline, "the ticket's deadline is its SLA report's")
	assert.False(t, deadline.IsZero())
	assert.Contains(t, out.Effects, Effect{Kind: ScheduleCheck, Ticket: "F7", State: StateTriaged, At: rep.NextChange.UTC()})

	fire(TriggerRespond, Payload{Note: "we are on it"})
	fire(TriggerAssign, Payload{Team: "tech"})
	fire(TriggerStart, Payload{})
	fire(TriggerWaitCustomer, Payload{Reason: "photos"})
	rep, err = r.SLA(tk, at.Add(time.Hour))
	require.NoError(t, err)
	for _, m := range rep.Metrics {
		switch m.Kind {
		case sla.Resolution:
			assert.Equal(t, sla.Paused, m.Status, "waiting on the customer pauses the resolution clock")
		case sla.FirstResponse:
			assert.Equal(t, sla.Met, m.Status)
		}
	}

	// Ten days later, still waiting? Resume and look: the resolution clock breached and escalates.
	fire(TriggerResume, Payload{})
	effects, rep, err := r.Check(tk, time.Time{}, at.Add(10*24*time.Hour))
	require.NoError(t, err)
	var alerted bool
	for _, e := range effects {
		if e.Kind == AlertManager {
			alerted = true
		}
	}
	assert.True(t, alerted, "%+v", rep.Metrics)

	// The timeline records reopenings for unsatisfied follow-ups.
	fire(TriggerResolve, Payload{Note: "fixed"})
	fire(TriggerFollowUp, Payload{})
	fire(TriggerRecordFollowUp, Payload{FollowUp: &FollowUp{Resolved: false, Score: 1}})
	tl := r.Timeline(tk)
	assert.Equal(t, sla.EntryReopen, tl[len(tl)-1].Kind)
	assert.Equal(t, sla.EntryEvent, tl[len(tl)-2].Kind)
	assert.Equal(t, "followed_up", tl[len(tl)-2].Event)
}

// TestSLAPausesFromLifecycle: a state the host adds with "pauses" pauses the
// policy's clock of that name without touching the policy.
func TestSLAPausesFromLifecycle(t *testing.T) {
	doc := []byte(`{"version": "x",
	  "lifecycle": {"states": [{"name": "awaiting_parts", "pauses": ["resolution"]}],
	    "transitions": [{"from": ["in_progress"], "trigger": "order_parts", "to": "awaiting_parts"},
	                    {"from": ["awaiting_parts"], "trigger": "parts_arrived", "to": "in_progress"}]},
	  "sla": {"policies": [{"name": "p", "metrics": [{"kind": "resolution", "targets": {"*": {"unit": "elapsed", "duration": "72h"}}}]}]}}`)
	r, err := ParseRules(doc)
	require.NoError(t, err)
	d := reachState(t, r, StateInProgress)
	d.must("order_parts", Payload{})
	rep, err := r.SLA(d.tk, d.clock.Add(time.Hour))
	require.NoError(t, err)
	require.Len(t, rep.Metrics, 1)
	assert.Equal(t, sla.Paused, rep.Metrics[0].Status)

	_, err = ParseRules([]byte(`{"version": "x", "sla": {"policies": [{"name": "p", "metrics": [{"kind": "resolution", "targets": {"*": {"unit": "eons"}}}]}]}}`))
	var pe *PathError
	require.ErrorAs(t, err, &pe)
	assert.Contains(t, pe.Path, "$.sla.policies[0].metrics[0].targets")
}

// TestSLAPinnedAtOpening: a ticket keeps the policy version in force when it
// was opened, even when evaluated after a newer version came into force.
func TestSLAPinnedAtOpening(t *testing.T) {
	doc := []byte(`{"version": "x", "sla": {"policies": [
	  {"name": "p", "version": 1, "metrics": [{"kind": "resolution", "targets": {"*": {"unit": "elapsed", "duration": "72h"}}}]},
	  {"name": "p", "version": 2, "effective_from": "2024-03-02T00:00:00Z", "metrics": [{"kind": "resolution", "targets": {"*": {"unit": "elapsed", "duration": "24h"}}}]}]}}`)
	r, err := ParseRules(doc)
	require.NoError(t, err)
	old := reachState(t, r, StateInProgress) // opened 2024-03-01 09:00
	rep, err := r.SLA(old.tk, tkT0.Add(48*time.Hour))
	require.NoError(t, err)
	assert.Equal(t, 1, rep.Version)
	assert.Equal(t, sla.Running, rep.Metrics[0].Status, "72 h target of version 1")

	tk, _, err := r.Open(Opening{ID: "F2", At: tkT0.Add(24 * time.Hour), Actor: "a"})
	require.NoError(t, err)
	rep, err = r.SLA(tk, tkT0.Add(49*time.Hour))
	require.NoError(t, err)
	assert.Equal(t, 2, rep.Version)
	assert.Equal(t, sla.Breached, rep.Metrics[0].Status, "24 h target of version 2")
}
