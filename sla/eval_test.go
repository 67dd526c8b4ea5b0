package sla

import (
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const resolutionDoc = `{
  "name": "t",
  "default_calendar": "office",
  "policies": [{
    "name": "p", "version": 3,
    "metrics": [{
      "kind": "resolution",
      "targets": {"P1": {"unit": "business", "duration": "8h"}, "P0": {"unit": "business", "duration": "4h"}},
      "pause_in": ["waiting_customer"],
      "warnings": [{"name": "w75", "percent": 75}],
      "escalations": [{"name": "lead", "percent": 100}, {"name": "head", "percent": 150}]
    }]
  }]
}`

func TestEvaluateResolutionPauseAndBreach(t *testing.T) {
	s := compileT(t, resolutionDoc)
	// Opened Mon 10:00 as P1 (8 business hours), waiting on the customer Mon 15:00–Tue 10:00.
	tl := []Entry{
		st(mar(4, 10, 0), "received"),
		st(mar(4, 11, 0), "in_progress"),
		st(mar(4, 15, 0), "waiting_customer"),
		st(mar(5, 10, 0), "in_progress"),
	}
	r, err := s.Evaluate(Attributes{Priority: "P1"}, tl, mar(5, 11, 0), Options{})
	require.NoError(t, err)
	assert.Equal(t, "p", r.Policy)
	assert.Equal(t, 3, r.Version)
	m := metricByName(t, r, "resolution")
	assert.Equal(t, Running, m.Status)
	// counted: Mon 10–12 (2h) + 13–15 (2h) + Tue 10–11 (1h) = 5h
	assert.Equal(t, 5*time.Hour, m.Elapsed)
	assert.Equal(t, 3*time.Hour, m.Remaining)
	assert.Equal(t, mar(5, 15, 0), m.Deadline) // Tue 11:00 + 3 business hours with lunch
	// w75 = 6h counted: Tue 11:00 + 1h = 12:00
	assert.Equal(t, mar(5, 12, 0), r.NextChange)
	assert.Equal(t, []string{"applied", "paused:waiting_customer", "resumed"}, auditTypes(r, "resolution"))

	// Later: breached at Tue 15:00, escalated to head at 150% (12h) = Wed 10:00.
	r, err = s.Evaluate(Attributes{Priority: "P1"}, tl, mar(6, 11, 0), Options{})
	require.NoError(t, err)
	m = metricByName(t, r, "resolution")
	assert.Equal(t, Breached, m.Status)
	assert.Equal(t, mar(5, 15, 0), m.BreachedAt)
	assert.Equal(t, mar(5, 15, 0), m.Deadline)
	assert.Equal(t, 20*time.Hour, m.Late)
	require.Len(t, m.Warnings, 1)
	assert.Equal(t, Alert{Name: "w75", At: mar(5, 12, 0), Cycle: 1}, m.Warnings[0])
	require.Len(t, m.Escalations, 2)
	assert.Equal(t, mar(5, 15, 0), m.Escalations[0].At)
	assert.Equal(t, mar(6, 10, 0), m.Escalations[1].At)
	assert.Equal(t, []string{"applied", "paused:waiting_customer", "resumed", "warned:w75", "breached", "escalated:lead", "escalated:head"}, auditTypes(r, "resolution"))
	assert.True(t, r.NextChange.IsZero())
}

func TestPriorityChangeRecalculation(t *testing.T) {
	// Opened Mon 09:00 as P2 (24 h elapsed), raised to P0 (4 h) at 12:00.
	mk := func(mode string) *PolicySet {
		return compileT(t, `{"policies":[{"name":"p","metrics":[{"kind":"resolution","on_priority_change":"`+mode+`",
		  "targets":{"P0":{"unit":"elapsed","duration":"4h"},"P2":{"unit":"elapsed","duration":"24h"}}}]}]}`)
	}
	tl := []Entry{st(mar(4, 9, 0), "received"), pr(mar(4, 12, 0), "P0")}
	tests := []struct {
		mode     string
		now      time.Time
		status   Status
		cycle    int
		start    time.Time
		deadline time.Time
		audit    []string
	}{
		{"keep", mar(4, 12, 30), Running, 1, mar(4, 9, 0), mar(4, 13, 0), []string{"applied", "recalculated:priority P0"}},
		{"keep", mar(4, 14, 0), Breached, 1, mar(4, 9, 0), mar(4, 13, 0), []string{"applied", "recalculated:priority P0", "breached"}},
		{"restart", mar(4, 14, 0), Running, 2, mar(4, 12, 0), mar(4, 16, 0), []string{"applied", "recalculated:priority P0", "applied"}},
		{"ignore", mar(4, 14, 0), Running, 1, mar(4, 9, 0), mar(5, 9, 0), []string{"applied"}},
	}
	for _, tc := range tests {
		t.Run(tc.mode+"@"+tc.now.Format("15:04"), func(t *testing.T) {
			r, err := mk(tc.mode).Evaluate(Attributes{Priority: "P2"}, tl, tc.now, Options{})
			require.NoError(t, err)
			m := r.Metrics[0]
			assert.Equal(t, tc.status, m.Status)
			assert.Equal(t, tc.cycle, m.Cycle)
			assert.True(t, tc.start.Equal(m.Start), "start %v", m.Start)
			assert.True(t, tc.deadline.Equal(m.Deadline), "deadline %v", m.Deadline)
			assert.Equal(t, tc.audit, auditTypes(r, "resolution"))
			assert.Equal(t, "P0", r.Priority)
		})
	}
	// Raising the priority past the already counted time breaches at the change.
	r, err := mk("keep").Evaluate(Attributes{Priority: "P2"}, []Entry{st(mar(4, 9, 0), "received"), pr(mar(4, 15, 0), "P0")}, mar(4, 15, 1), Options{})
	require.NoError(t, err)
	assert.Equal(t, Breached, r.Metrics[0].Status)
	assert.True(t, r.Metrics[0].BreachedAt.Equal(mar(4, 15, 0)))
}

func TestReopenRecalculation(t *testing.T) {
	mk := func(mode string) *PolicySet {
		return compileT(t, `{"policies":[{"name":"p","metrics":[{"kind":"resolution","on_reopen":"`+mode+`",
		  "targets":{"*":{"unit":"elapsed","duration":"10h"}}}]}]}`)
	}
	// Resolved after 6 h, reopened 20 h later, now 2 h after the reopening.
	tl := []Entry{st(mar(4, 8, 0), "received"), st(mar(4, 14, 0), "resolved"), reopen(mar(5, 10, 0), "triaged")}
	now := mar(5, 12, 0)
	tests := []struct {
		mode     string
		status   Status
		cycle    int
		elapsed  time.Duration
		deadline time.Time
		met      int
	}{
		{"keep", Running, 1, 8 * time.Hour, mar(5, 14, 0), 0},
		{"restart", Running, 2, 2 * time.Hour, mar(5, 20, 0), 1},
		{"ignore", Met, 1, 6 * time.Hour, mar(4, 18, 0), 1},
	}
	for _, tc := range tests {
		t.Run(tc.mode, func(t *testing.T) {
			r, err := mk(tc.mode).Evaluate(Attributes{}, tl, now, Options{})
			require.NoError(t, err)
			m := r.Metrics[0]
			assert.Equal(t, tc.status, m.Status)
			assert.Equal(t, tc.cycle, m.Cycle)
			assert.Equal(t, tc.elapsed, m.Elapsed)
			assert.True(t, tc.deadline.Equal(m.Deadline), "deadline %v", m.Deadline)
			assert.Equal(t, tc.met, m.MetCycles)
			assert.Equal(t, "triaged", r.State)
		})
	}
}

func TestPeriodicUpdate(t *testing.T) {
	s := compileT(t, `{"policies":[{"name":"p","metrics":[{"name":"updates","kind":"periodic_update",
	  "targets":{"*":{"unit":"elapsed","duration":"1h"}},"pause_in":["waiting_customer"]}]}]}`)
	tl := []Entry{
		st(mar(4, 9, 0), "received"),
		ev(mar(4, 9, 50), EventProgressUpdate), // cycle 1 met
		ev(mar(4, 11, 5), EventProgressUpdate), // cycle 2 breached at 10:50, met late
		st(mar(4, 11, 30), "waiting_customer"), // cycle 3 paused after 25 min
		st(mar(4, 13, 0), "in_progress"),       // resumes: due 13:35
	}
	r, err := s.Evaluate(Attributes{}, tl, mar(4, 13, 10), Options{})
	require.NoError(t, err)
	m := r.Metrics[0]
	assert.Equal(t, Running, m.Status)
	assert.Equal(t, 3, m.Cycle)
	assert.True(t, m.Deadline.Equal(mar(4, 13, 35)), "%v", m.Deadline)
	assert.Equal(t, 1, m.MetCycles)
	assert.Equal(t, 1, m.BreachedCycles)
	assert.True(t, r.NextChange.Equal(mar(4, 13, 35)))
	assert.Equal(t, []string{"applied", "fulfilled", "applied", "breached", "fulfilled", "applied", "paused:waiting_customer", "resumed"}, auditTypes(r, "updates"))

	// Resolution ends the condition: the running cycle counts as met, nothing is due.
	tl = append(tl, st(mar(4, 13, 20), "resolved"))
	r, err = s.Evaluate(Attributes{}, tl, mar(4, 15, 0), Options{})
	require.NoError(t, err)
	m = r.Metrics[0]
	assert.Equal(t, Met, m.Status)
	assert.Equal(t, 2, m.MetCycles)
	assert.True(t, r.NextChange.IsZero())
}

func TestTimeInStageHostStates(t *testing.T) {
	states := append(DefaultStates(), "awaiting_inspection", "under_repair")
	env := PolicyEnv{States: states}
	s, err := ParsePolicySet([]byte(`{"policies":[{"name":"repair","metrics":[
	  {"name":"inspection","kind":"time_in_stage","stage":["awaiting_inspection"],"targets":{"*":{"unit":"elapsed","duration":"24h"}}},
	  {"name":"repair","kind":"time_in_stage","stage":["under_repair"],"targets":{"*":{"unit":"elapsed","duration":"3d"}},
	   "warnings":[{"name":"repair_due_tomorrow","before":{"unit":"elapsed","duration":"24h"}}]}]}]}`), env)
	require.NoError(t, err)
	tl := []Entry{
		st(mar(4, 9, 0), "received"),
		st(mar(4, 10, 0), "awaiting_inspection"),
		st(mar(5, 8, 0), "under_repair"),
	}
	r, err := s.Evaluate(Attributes{}, tl, mar(7, 9, 0), Options{})
	require.NoError(t, err)
	insp, rep := metricByName(t, r, "inspection"), metricByName(t, r, "repair")
	assert.Equal(t, Met, insp.Status)
	assert.Equal(t, 22*time.Hour, insp.Elapsed)
	assert.True(t, insp.Stopped.Equal(mar(5, 8, 0)))
	assert.Equal(t, Running, rep.Status)
	require.Len(t, rep.Warnings, 1)
	assert.True(t, rep.Warnings[0].At.Equal(mar(7, 8, 0)))
	assert.True(t, rep.Deadline.Equal(mar(8, 8, 0)))
	assert.True(t, r.NextChange.Equal(mar(8, 8, 0)))
}

func TestCustomMetricTriggers(t *testing.T) {
	s := compileT(t, `{"policies":[{"name":"p","metrics":[{"name":"quote","kind":"custom",
	  "start":{"event":["quote_requested"]},"stop":{"event":["quote_sent"]},
	  "pause":{"event":["parts_on_order"]},"resume":{"event":["parts_arrived"]},
	  "reset":{"event":["scope_changed"]},
	  "targets":{"*":{"unit":"business","duration":"4h","calendar":"office"}}}]}]}`)
	tl := []Entry{
		st(mar(4, 9, 0), "received"),
		ev(mar(4, 10, 0), "quote_requested"),
		ev(mar(4, 11, 0), "parts_on_order"),
		ev(mar(5, 9, 0), "parts_arrived"),
		ev(mar(5, 10, 0), "scope_changed"),
	}
	r, err := s.Evaluate(Attributes{}, tl, mar(5, 11, 0), Options{})
	require.NoError(t, err)
	m := r.Metrics[0]
	assert.Equal(t, Running, m.Status)
	assert.Equal(t, 2, m.Cycle)
	assert.Equal(t, time.Hour, m.Elapsed)
	assert.True(t, m.Deadline.Equal(mar(5, 15, 0)), "%v", m.Deadline)
	assert.Equal(t, []string{"applied", "paused:trigger", "resumed", "recalculated:reset", "applied"}, auditTypes(r, "quote"))

	tl = append(tl, ev(mar(5, 14, 0), "quote_sent"))
	r, err = s.Evaluate(Attributes{}, tl, mar(6, 11, 0), Options{})
	require.NoError(t, err)
	assert.Equal(t, Met, r.Metrics[0].Status)
	assert.True(t, r.Metrics[0].Deadline.Equal(mar(5, 15, 0)))
}

func TestWorkingDaysTargetAndLeadWarning(t *testing.T) {
	s := compileT(t, `{"default_calendar":"office","policies":[{"name":"p","metrics":[{"kind":"resolution",
	  "targets":{"*":{"unit":"working_days","days":3}},
	  "warnings":[{"name":"delay_request_due","before":{"unit":"working_days","days":1}}]}]}]}`)
	// Opened Thu 14:00: 3 working days after Thursday lands at Tuesday's close (18:00).
	tl := []Entry{st(mar(7, 14, 0), "received")}
	r, err := s.Evaluate(Attributes{}, tl, mar(7, 15, 0), Options{})
	require.NoError(t, err)
	m := r.Metrics[0]
	assert.True(t, m.Deadline.Equal(mar(12, 18, 0)), "%v", m.Deadline)
	// The delay request is due 1 working day before: Monday 18:00.
	assert.True(t, r.NextChange.Equal(mar(11, 18, 0)), "%v", r.NextChange)
	r, err = s.Evaluate(Attributes{}, tl, mar(12, 9, 0), Options{})
	require.NoError(t, err)
	require.Len(t, r.Metrics[0].Warnings, 1)
	assert.True(t, r.Metrics[0].Warnings[0].At.Equal(mar(11, 18, 0)))
}

func TestFollowUpAfterResolution(t *testing.T) {
	s, err := Preset("after-sales", testEnv(t))
	require.NoError(t, err)
	tl := []Entry{
		st(mar(4, 9, 0), "received"),
		ev(mar(4, 20, 0), EventResponded),
		st(mar(5, 9, 0), "resolved"),
	}
	r, err := s.Evaluate(Attributes{Priority: "P2"}, tl, mar(5, 10, 0), Options{})
	require.NoError(t, err)
	resp, fu := metricByName(t, r, "first_response"), metricByName(t, r, "follow_up")
	assert.Equal(t, Met, resp.Status)
	assert.Equal(t, 11*time.Hour, resp.Elapsed)
	assert.Equal(t, Running, fu.Status)
	assert.True(t, fu.Deadline.Equal(mar(7, 9, 0)))                       // P2: 48 h
	assert.True(t, r.NextChange.Equal(mar(6, 21, 0)), "%v", r.NextChange) // 75 % warning

	// Follow-up says "not resolved": the ticket reopens; follow-up stops, a new one starts at the next resolution.
	tl = append(tl, ev(mar(5, 15, 0), EventFollowedUp), reopen(mar(5, 15, 1), "triaged"), st(mar(6, 9, 0), "resolved"))
	r, err = s.Evaluate(Attributes{Priority: "P2"}, tl, mar(6, 10, 0), Options{})
	require.NoError(t, err)
	fu = metricByName(t, r, "follow_up")
	assert.Equal(t, Running, fu.Status)
	assert.Equal(t, 2, fu.Cycle)
	assert.Equal(t, 1, fu.MetCycles)
	assert.Equal(t, Met, metricByName(t, r, "first_response").Status) // first response is not re-measured
}

func TestTimelineErrors(t *testing.T) {
	s := compileT(t, resolutionDoc)
	now := mar(10, 0, 0)
	tests := []struct {
		name     string
		tl       []Entry
		index    int
		sentinel error
	}{
		{"out of order", []Entry{st(mar(4, 10, 0), "received"), st(mar(4, 9, 0), "triaged")}, 1, ErrTimelineOrder},
		{"after now", []Entry{st(mar(4, 10, 0), "received"), st(mar(11, 9, 0), "triaged")}, 1, ErrTimelineOrder},
		{"unknown state", []Entry{st(mar(4, 10, 0), "received"), st(mar(4, 11, 0), "limbo")}, 1, ErrUnknownState},
		{"unknown reopen state", []Entry{st(mar(4, 10, 0), "received"), reopen(mar(4, 11, 0), "limbo")}, 1, ErrUnknownState},
		{"empty event", []Entry{st(mar(4, 10, 0), "received"), ev(mar(4, 11, 0), "")}, 1, ErrInvalidEntry},
		{"bad priority", []Entry{pr(mar(4, 10, 0), "urgent")}, 0, ErrInvalidEntry},
		{"zero kind", []Entry{{At: mar(4, 10, 0)}}, 0, ErrInvalidEntry},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := s.Evaluate(Attributes{Priority: "P1"}, tc.tl, now, Options{})
			require.Error(t, err)
			assert.Nil(t, r)
			var te *TimelineError
			require.ErrorAs(t, err, &te)
			assert.Equal(t, tc.index, te.Index)
			assert.ErrorIs(t, err, tc.sentinel)
		})
	}
	_, err := s.Evaluate(Attributes{Priority: "high"}, nil, now, Options{})
	require.ErrorIs(t, err, ErrInvalidEntry)
	require.Error(t, s.EvaluateInto(nil, Attributes{}, nil, now, Options{}))
}

func TestPendingAndNoTarget(t *testing.T) {
	s, err := Preset("after-sales", testEnv(t))
	require.NoError(t, err)
	// P3: the response is tracked but has no deadline (next improvement cycle).
	r, err := s.Evaluate(Attributes{Priority: "P3"}, []Entry{st(mar(4, 9, 0), "received")}, mar(20, 9, 0), Options{})
	require.NoError(t, err)
	resp, fu := metricByName(t, r, "first_response"), metricByName(t, r, "follow_up")
	assert.Equal(t, Running, resp.Status)
	assert.False(t, resp.HasTarget)
	assert.Equal(t, 16*24*time.Hour, resp.Elapsed)
	assert.True(t, resp.Deadline.IsZero())
	assert.Equal(t, Pending, fu.Status)
	assert.True(t, fu.HasTarget)
	assert.Equal(t, 72*time.Hour, fu.Target.Duration)
	assert.True(t, r.NextChange.IsZero())
	// Empty timeline: everything pending.
	r, err = s.Evaluate(Attributes{Priority: "P0"}, nil, mar(20, 9, 0), Options{})
	require.NoError(t, err)
	assert.Equal(t, Pending, r.Metrics[0].Status)
}

func TestEvaluateIntoReusesReport(t *testing.T) {
	s := compileT(t, resolutionDoc)
	tl := []Entry{st(mar(4, 10, 0), "received"), st(mar(4, 15, 0), "waiting_customer"), st(mar(5, 10, 0), "in_progress")}
	var r Report
	require.NoError(t, s.EvaluateInto(&r, Attributes{Priority: "P1"}, tl, mar(6, 12, 0), Options{}))
	want, err := s.Evaluate(Attributes{Priority: "P1"}, tl, mar(6, 12, 0), Options{})
	require.NoError(t, err)
	assert.Equal(t, want.Metrics, r.Metrics)
	assert.Equal(t, want.Audit, r.Audit)
	allocs := testing.AllocsPerRun(50, func() {
		_ = s.EvaluateInto(&r, Attributes{Priority: "P1"}, tl, mar(6, 12, 0), Options{})
	})
	assert.Zero(t, allocs)
}

func TestMovedDeadline(t *testing.T) {
	s := compileT(t, resolutionDoc)
	// P1: 8 business hours from Mon 10:00 → Tue 10:00. A delay approved on
	// Monday 16:00 moves it to Wednesday 12:00.
	tl := []Entry{
		st(mar(4, 10, 0), "received"),
		{At: mar(4, 16, 0), Kind: EntryDeadline, Deadline: mar(6, 12, 0)},
	}
	r, err := s.Evaluate(Attributes{Priority: "P1"}, tl, mar(5, 11, 0), Options{})
	require.NoError(t, err)
	m := r.Metrics[0]
	assert.Equal(t, Running, m.Status)
	assert.True(t, m.Deadline.Equal(mar(6, 12, 0)), "%v", m.Deadline)
	// 5 h counted at the approval + 13 open hours to Wednesday 12:00 = 18 h.
	assert.Equal(t, 10*time.Hour, m.Extension)
	assert.Equal(t, 9*time.Hour, m.Elapsed)
	assert.Equal(t, 9*time.Hour, m.Remaining)
	assert.Equal(t, []string{"applied", "recalculated:deadline"}, auditTypes(r, "resolution"))
	// The 75 % warning now falls at 13.5 of 18 hours: Tue 16:30.
	assert.True(t, r.NextChange.Equal(mar(5, 16, 30)), "%v", r.NextChange)

	// A deadline entry for a metric the policy does not have is ignored; one
	// that is not after its own instant is invalid.
	tl[1].Metric = "repair"
	r, err = s.Evaluate(Attributes{Priority: "P1"}, tl, mar(4, 17, 0), Options{})
	require.NoError(t, err)
	assert.True(t, r.Metrics[0].Deadline.Equal(mar(5, 10, 0)))
	tl[1].Deadline = mar(4, 15, 0)
	_, err = s.Evaluate(Attributes{Priority: "P1"}, tl, mar(4, 17, 0), Options{})
	require.ErrorIs(t, err, ErrInvalidEntry)
}

func TestEntryJSON(t *testing.T) {
	in := []Entry{st(mar(4, 10, 0), "received"), ev(mar(4, 11, 0), EventResponded), pr(mar(4, 12, 0), "P0"),
		reopen(mar(5, 9, 0), ""), {At: mar(5, 10, 0), Kind: EntryDeadline, Metric: "resolution", Deadline: mar(8, 18, 0)}}
	data, err := json.Marshal(in)
	require.NoError(t, err)
	assert.Contains(t, string(data), `"kind":"reopen"`)
	var out []Entry
	require.NoError(t, json.Unmarshal(data, &out))
	require.Len(t, out, len(in))
	for i := range in {
		assert.True(t, in[i].At.Equal(out[i].At))
		assert.Equal(t, in[i].Kind, out[i].Kind)
		assert.Equal(t, in[i].State+in[i].Event+in[i].Priority+in[i].Metric, out[i].State+out[i].Event+out[i].Priority+out[i].Metric)
	}
	require.Error(t, json.Unmarshal([]byte(`[{"kind":"teleport"}]`), &out))
	_, err = json.Marshal(Entry{})
	require.Error(t, err)
}

func TestEvaluateConcurrent(t *testing.T) {
	s := compileT(t, benchDoc)
	tl := benchTimeline()
	want, err := s.Evaluate(Attributes{Kind: "complaint"}, tl, mar(7, 11, 0), Options{})
	require.NoError(t, err)
	done := make(chan error, 8)
	for g := 0; g < 8; g++ {
		go func() {
			var r Report
			for i := 0; i < 50; i++ {
				if err := s.EvaluateInto(&r, Attributes{Kind: "complaint"}, tl, mar(7, 11, 0), Options{}); err != nil {
					done <- err
					return
				}
				if len(r.Audit) != len(want.Audit) || !r.NextChange.Equal(want.NextChange) {
					done <- assert.AnError
					return
				}
			}
			done <- nil
		}()
	}
	for g := 0; g < 8; g++ {
		require.NoError(t, <-done)
	}
}

func TestHostPauseStates(t *testing.T) {
	env := testEnv(t)
	env.States = append(env.States, "awaiting_parts")
	env.PauseStates = map[string][]string{"resolution": {"awaiting_parts"}}
	s, err := ParsePolicySet([]byte(resolutionDoc), env)
	require.NoError(t, err)
	tl := []Entry{st(mar(4, 10, 0), "received"), st(mar(4, 11, 0), "awaiting_parts")}
	r, err := s.Evaluate(Attributes{Priority: "P1"}, tl, mar(5, 11, 0), Options{})
	require.NoError(t, err)
	assert.Equal(t, Paused, r.Metrics[0].Status)
	assert.Equal(t, time.Hour, r.Metrics[0].Elapsed)

	env.PauseStates = map[string][]string{"resolution": {"on_the_moon"}}
	_, err = ParsePolicySet([]byte(resolutionDoc), env)
	require.ErrorIs(t, err, ErrUnknownState)
}

func TestEscalationBeyondCalendarRange(t *testing.T) {
	// The office calendar ends in 2030; ten times a year's target is never reached.
	s := compileT(t, `{"default_calendar":"office","policies":[{"name":"p","metrics":[{"kind":"resolution",
	  "targets":{"*":{"unit":"business","duration":"2000h"}},
	  "escalations":[{"name":"board","percent":1000}]}]}]}`)
	r, err := s.Evaluate(Attributes{}, []Entry{st(mar(4, 9, 0), "received")}, mar(5, 9, 0), Options{})
	require.NoError(t, err)
	assert.Equal(t, Running, r.Metrics[0].Status)
	assert.True(t, r.NextChange.Equal(r.Metrics[0].Deadline))
}

func TestPriorityChangeAcrossUnits(t *testing.T) {
	// P2 counts 24 elapsed hours; P0 counts 4 business hours on the office
	// calendar. A pause before the change must not count on either.
	s := compileT(t, `{"policies":[{"name":"p","metrics":[{"kind":"resolution","pause_in":["waiting_customer"],
	  "targets":{"P2":{"unit":"elapsed","duration":"24h"},"P0":{"unit":"business","duration":"4h","calendar":"office"}}}]}]}`)
	tl := []Entry{
		st(mar(4, 9, 0), "received"),
		st(mar(4, 10, 0), "waiting_customer"), // paused 10:00–14:00 (3 open hours lost)
		st(mar(4, 14, 0), "in_progress"),
		pr(mar(4, 15, 0), "P0"),
	}
	r, err := s.Evaluate(Attributes{Priority: "P2"}, tl, mar(4, 15, 30), Options{})
	require.NoError(t, err)
	m := r.Metrics[0]
	// Business time counted: 09–10 and 14–15:30 = 2.5 h; due after 1.5 more: 17:00.
	assert.Equal(t, 150*time.Minute, m.Elapsed)
	assert.Equal(t, Business, m.Target.Unit)
	assert.True(t, m.Deadline.Equal(mar(4, 17, 0)), "%v", m.Deadline)
}

// A stop stamped exactly on the deadline meets it; a clock still running at
// the deadline instant is breached there (the rule metrics counts by).
func TestStopExactlyOnDeadlineIsMet(t *testing.T) {
	set, err := ParsePolicySet([]byte(`{"policies":[{"name":"p","version":1,"metrics":[
		{"name":"first_response","kind":"first_response",
		 "targets":{"*":{"unit":"elapsed","duration":"1h"}}}]}]}`), PolicyEnv{States: DefaultStates()})
	require.NoError(t, err)
	open := time.Date(2024, 3, 4, 9, 0, 0, 0, time.UTC)
	deadline := open.Add(time.Hour)
	opened := []Entry{{At: open, Kind: EntryState, State: "received"}}
	replied := append(append([]Entry(nil), opened...), Entry{At: deadline, Kind: EntryEvent, Event: EventResponded})

	r, err := set.Evaluate(Attributes{}, replied, deadline, Options{})
	require.NoError(t, err)
	assert.Equal(t, Met, r.Metrics[0].Status)
	assert.Equal(t, deadline, r.Metrics[0].Deadline)

	r, err = set.Evaluate(Attributes{}, opened, deadline, Options{})
	require.NoError(t, err)
	assert.Equal(t, Breached, r.Metrics[0].Status)
	assert.Equal(t, deadline, r.Metrics[0].BreachedAt)
	assert.Equal(t, time.Duration(0), r.Metrics[0].Late)

	r, err = set.Evaluate(Attributes{}, opened, deadline.Add(-time.Second), Options{})
	require.NoError(t, err)
	assert.Equal(t, Running, r.Metrics[0].Status)
	assert.Equal(t, deadline, r.NextChange)

	late := append(append([]Entry(nil), opened...), Entry{At: deadline.Add(time.Second), Kind: EntryEvent, Event: EventResponded})
	r, err = set.Evaluate(Attributes{}, late, deadline.Add(time.Second), Options{})
	require.NoError(t, err)
	assert.Equal(t, Breached, r.Metrics[0].Status)
	assert.Equal(t, time.Second, r.Metrics[0].Late)
}

// An EntryObserved at the deadline instant records the breach a host was
// told of there: a stop that follows at the same instant is late, one that
// precedes the observation is on time. Alerts and chases falling due at that
// instant are recorded there too.
func TestObservedAtDeadline(t *testing.T) {
	set, err := ParsePolicySet([]byte(`{"policies":[{"name":"p","version":1,"metrics":[
		{"name":"first_response","kind":"first_response",
		 "targets":{"*":{"unit":"elapsed","duration":"1h"}}}]}]}`), PolicyEnv{States: DefaultStates()})
	require.NoError(t, err)
	open := time.Date(2024, 3, 4, 9, 0, 0, 0, time.UTC)
	deadline := open.Add(time.Hour)
	tl := func(kinds ...EntryKind) []Entry {
		out := []Entry{{At: open, Kind: EntryState, State: "received"}}
		for _, k := range kinds {
			e := Entry{At: deadline, Kind: k}
			if k == EntryEvent {
				e.Event = EventResponded
			}
			out = append(out, e)
		}
		return out
	}
	for _, tc := range []struct {
		name  string
		kinds []EntryKind
		want  Status
	}{
		{"stop alone", []EntryKind{EntryEvent}, Met},
		{"stop, then observed", []EntryKind{EntryEvent, EntryObserved}, Met},
		{"observed, then stop", []EntryKind{EntryObserved, EntryEvent}, Breached},
		{"observed alone", []EntryKind{EntryObserved}, Breached},
	} {
		t.Run(tc.name, func(t *testing.T) {
			for _, now := range []time.Time{deadline, deadline.Add(time.Hour)} {
				r, err := set.Evaluate(Attributes{}, tl(tc.kinds...), now, Options{})
				require.NoError(t, err)
				assert.Equal(t, tc.want, r.Metrics[0].Status, "at %s", now)
				if tc.want == Breached {
					assert.Equal(t, deadline, r.Metrics[0].BreachedAt)
				}
			}
		})
	}
	b, err := json.Marshal(Entry{At: deadline, Kind: EntryObserved})
	require.NoError(t, err)
	assert.JSONEq(t, `{"at":"2024-03-04T10:00:00Z","kind":"observed"}`, string(b))
	var back Entry
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, EntryObserved, back.Kind)
}

// A report round-trips through JSON: a host can store it and read it back.
func TestReportJSONRoundTrip(t *testing.T) {
	s := compileT(t, resolutionDoc)
	tl := []Entry{
		st(mar(4, 10, 0), "received"),
		st(mar(4, 11, 0), "in_progress"),
		st(mar(4, 15, 0), "waiting_customer"),
		st(mar(5, 10, 0), "in_progress"),
	}
	r, err := s.Evaluate(Attributes{Priority: "P1"}, tl, mar(6, 11, 0), Options{})
	require.NoError(t, err)
	b, err := json.Marshal(r)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"status":"breached"`)
	assert.Contains(t, string(b), `"kind":"resolution"`)
	var back Report
	require.NoError(t, json.Unmarshal(b, &back))
	b2, err := json.Marshal(&back)
	require.NoError(t, err)
	assert.JSONEq(t, string(b), string(b2))
	m, ok := back.Metric("resolution")
	require.True(t, ok)
	assert.Equal(t, Breached, m.Status)
	assert.Equal(t, Resolution, m.Kind)
	assert.True(t, m.BreachedAt.Equal(mar(5, 15, 0)))

	var st Status
	assert.Error(t, st.UnmarshalText([]byte("late")))
	var u Unit
	require.NoError(t, u.UnmarshalText([]byte("working_days")))
	assert.Equal(t, WorkingDays, u)
}

// TestReopenAtTheTarget: a clock that stopped in time, whose new target
// (a priority change while it was stopped) its counted time meets exactly,
// is at its deadline when a reopen resumes it. Like a deadline falling
// exactly at an entry's instant, the breach waits for time to move on: a
// reopen straight into a solved state stops the clock at its deadline,
// met; a reopen into work breaches it at the reopen.
func TestReopenAtTheTarget(t *testing.T) {
	s := compileT(t, resolutionDoc)
	// P1 (8 business hours) Mon 10:00–15:00, lunch 12:00–13:00: 4 hours
	// counted, the P0 target.
	base := []Entry{st(mar(4, 10, 0), "received"), st(mar(4, 15, 0), "resolved"), st(mar(4, 16, 0), "closed"), pr(mar(5, 9, 0), "P0")}
	for _, tc := range []struct {
		into     string
		now      time.Time
		elapsed  time.Duration
		status   Status
		breached time.Time
		stopped  time.Time
	}{
		{"resolved", mar(5, 10, 0), 4 * time.Hour, Met, time.Time{}, mar(5, 10, 0)},
		{"resolved", mar(5, 11, 0), 4 * time.Hour, Met, time.Time{}, mar(5, 10, 0)},
		{"in_progress", mar(5, 10, 0), 4 * time.Hour, Breached, mar(5, 10, 0), time.Time{}},
		{"in_progress", mar(5, 11, 0), 5 * time.Hour, Breached, mar(5, 10, 0), time.Time{}},
	} {
		tl := append(slices.Clone(base), reopen(mar(5, 10, 0), tc.into))
		r, err := s.Evaluate(Attributes{Priority: "P1"}, tl, tc.now, Options{})
		require.NoError(t, err)
		m := r.Metrics[0]
		name := tc.into + " at " + tc.now.Format("15:04")
		require.Equal(t, tc.elapsed, m.Elapsed, name)
		require.Equal(t, tc.status, m.Status, name)
		require.True(t, tc.breached.Equal(m.BreachedAt), "%s: breached at %s", name, m.BreachedAt)
		require.True(t, tc.stopped.Equal(m.Stopped), "%s: stopped at %s", name, m.Stopped)
		require.True(t, m.Deadline.Equal(mar(5, 10, 0)), "%s: deadline %s", name, m.Deadline)
	}
}
