package feedback_test

import (
	"testing"
	"time"

	"github.com/closeloop/closeloop/feedback"
	"github.com/closeloop/closeloop/sla"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// An internal target: a root-cause report owed by another team, on its own
// calendar, reported beside the customer-facing clocks; a late resolution
// needs its reason, and the customer is told when it falls overdue.
const taskRules = `{"version": "t",
  "calendars": [{"name": "quality-lab", "time_zone": "Asia/Shanghai",
    "week": {"mon": [["09:00","17:00"]], "tue": [["09:00","17:00"]], "wed": [["09:00","17:00"]], "thu": [["09:00","17:00"]], "fri": [["09:00","17:00"]]}}],
  "sla": {"policies": [{"name": "p", "metrics": [
    {"kind": "resolution", "targets": {"*": {"unit": "elapsed", "duration": "24h"}}, "tell_customer_on_breach": true},
    {"name": "root_cause_report", "kind": "custom", "internal": true, "team": "quality",
     "start": {"event": ["root_cause_report_requested"]}, "stop": {"event": ["root_cause_report_done"]},
     "targets": {"*": {"unit": "business", "duration": "8h", "calendar": "quality-lab"}}}]}]}}`

func TestInternalTask(t *testing.T) {
	r := mustParse(taskRules)
	at := time.Date(2024, 3, 8, 16, 0, 0, 0, shanghai) // a Friday afternoon
	h := open(t, r, feedback.Opening{ID: "F1", At: at, Actor: "agent"})
	h.fire(feedback.TriggerRequestTask, at.Add(time.Minute), feedback.Payload{Task: &feedback.TaskRequest{Name: "root_cause_report", Team: "quality"}})
	require.Len(t, h.tk.Tasks, 1)
	assert.Equal(t, "quality", h.tk.Tasks[0].Team)
	_, err := r.Fire(h.tk, feedback.Change{Trigger: feedback.TriggerRequestTask, Version: h.tk.Version, At: at.Add(2 * time.Minute), Actor: "a",
		Payload: feedback.Payload{Task: &feedback.TaskRequest{Name: "root_cause_report"}}})
	var te *feedback.TransitionError
	require.ErrorAs(t, err, &te, "the same task is open already")
	assert.Equal(t, []string{feedback.GuardTaskNotOpen}, te.UnmetGuards)

	rep, err := r.SLA(h.tk, at.Add(time.Hour))
	require.NoError(t, err)
	m, ok := rep.Metric("root_cause_report")
	require.True(t, ok)
	assert.True(t, m.Internal)
	assert.Equal(t, "quality", m.Team)
	assert.Equal(t, sla.Running, m.Status)
	assert.True(t, m.Deadline.Equal(time.Date(2024, 3, 11, 16, 1, 0, 0, shanghai)), "8 lab hours from Friday 16:01: %s", m.Deadline)

	h.fire(feedback.TriggerCompleteTask, at.Add(50*time.Hour), feedback.Payload{Task: &feedback.TaskRequest{Name: "root_cause_report"}})
	assert.False(t, h.tk.Tasks[0].DoneAt.IsZero())
	rep, err = r.SLA(h.tk, at.Add(50*time.Hour))
	require.NoError(t, err)
	m, _ = rep.Metric("root_cause_report")
	assert.Equal(t, sla.Met, m.Status)
	_, err = r.Fire(h.tk, feedback.Change{Trigger: feedback.TriggerCompleteTask, Version: h.tk.Version, At: at.Add(51 * time.Hour), Actor: "a",
		Payload: feedback.Payload{Task: &feedback.TaskRequest{Name: "root_cause_report"}}})
	require.ErrorAs(t, err, &te, "done already")
}

func TestOverdueResolution(t *testing.T) {
	r := mustParse(taskRules)
	at := time.Date(2024, 3, 4, 10, 0, 0, 0, shanghai)
	h := open(t, r, feedback.Opening{ID: "F2", At: at, Actor: "agent"})
	h.fire(feedback.TriggerTriage, at.Add(time.Minute), feedback.Payload{Priority: "P2"})
	h.fire(feedback.TriggerAssign, at.Add(2*time.Minute), feedback.Payload{Team: "service"})
	h.fire(feedback.TriggerStart, at.Add(3*time.Minute), feedback.Payload{})
	// The customer is told when the resolution falls overdue.
	effects := h.runCheck()
	assert.Equal(t, []string{"sla_breach resolution", "notify_customer resolution"}, kinds(effects))
	assert.Equal(t, "overdue: resolution", effects[1].Reason)

	// Resolving late needs the reason.
	_, err := r.Fire(h.tk, feedback.Change{Trigger: feedback.TriggerResolve, Version: h.tk.Version, At: at.Add(30 * time.Hour), Actor: "a",
		Payload: feedback.Payload{Note: "replaced"}})
	var te *feedback.TransitionError
	require.ErrorAs(t, err, &te)
	assert.Equal(t, []string{feedback.GuardOverdueReasonGiven}, te.UnmetGuards)
	require.Error(t, te.Cause)
	h.fire(feedback.TriggerResolve, at.Add(30*time.Hour), feedback.Payload{Note: "replaced", Reason: "the part was out of stock"})
	assert.Equal(t, "the part was out of stock", h.tk.History[len(h.tk.History)-1].Payload.Reason)

	// On time, no reason is needed.
	h2 := open(t, r, feedback.Opening{ID: "F3", At: at, Actor: "agent"})
	h2.fire(feedback.TriggerTriage, at.Add(time.Minute), feedback.Payload{Priority: "P2"})
	h2.fire(feedback.TriggerAssign, at.Add(2*time.Minute), feedback.Payload{Team: "service"})
	h2.fire(feedback.TriggerStart, at.Add(3*time.Minute), feedback.Payload{})
	h2.fire(feedback.TriggerResolve, at.Add(time.Hour), feedback.Payload{Note: "replaced"})
}
