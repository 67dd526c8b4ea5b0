package feedback_test

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/closeloop/closeloop/compensation"
	"github.com/closeloop/closeloop/feedback"
	"github.com/closeloop/closeloop/sla"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The reproductions of the host-loop issue, one test each.

var shanghai = func() *time.Location {
	l, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		panic(err)
	}
	return l
}()

func presetRules(t *testing.T) *feedback.Rules {
	t.Helper()
	r, err := feedback.PresetRules()
	require.NoError(t, err)
	return r
}

// enterpriseRules are the preset rules with document 004's enterprise
// scheme as their only SLA policies (ordinary and complex feedback), which
// the reproductions below were written against.
func enterpriseRules(t *testing.T) *feedback.Rules {
	t.Helper()
	data, err := feedback.PresetRulesJSON()
	require.NoError(t, err)
	slaDoc, err := sla.PresetJSON(sla.PresetEnterprise)
	require.NoError(t, err)
	r, err := feedback.ParseRules(replaceSection(t, data, "sla", slaDoc))
	require.NoError(t, err)
	return r
}

type host struct {
	t     *testing.T
	r     *feedback.Rules
	tk    *feedback.Ticket
	check time.Time // the pending ScheduleCheck, zero if none
	last  time.Time
}

func (h *host) take(effects []feedback.Effect, now time.Time) []feedback.Effect {
	h.t.Helper()
	h.check, h.last = time.Time{}, now
	for _, e := range effects {
		if e.Kind == feedback.ScheduleCheck {
			require.True(h.t, e.At.After(now), "schedule %s not after %s", e.At, now)
			h.check = e.At
		}
	}
	return effects
}

func (h *host) fire(trig feedback.Trigger, at time.Time, p feedback.Payload) []feedback.Effect {
	h.t.Helper()
	out, err := h.r.Fire(h.tk, feedback.Change{Trigger: trig, Version: h.tk.Version, At: at, Actor: "agent", Payload: p})
	require.NoError(h.t, err, "%s at %s", trig, at)
	return h.take(out.Effects, at.UTC())
}

// runCheck runs the pending check and returns its effects.
func (h *host) runCheck() []feedback.Effect {
	h.t.Helper()
	require.False(h.t, h.check.IsZero(), "no check pending")
	now := h.check
	effects, _, err := h.r.Check(h.tk, h.last, now)
	require.NoError(h.t, err)
	return h.take(effects, now)
}

func open(t *testing.T, r *feedback.Rules, o feedback.Opening) *host {
	t.Helper()
	tk, out, err := r.Open(o)
	require.NoError(t, err)
	h := &host{t: t, r: r, tk: tk}
	h.take(out.Effects, tk.Opened)
	return h
}

func kinds(effects []feedback.Effect) []string {
	var out []string
	for _, e := range effects {
		s := string(e.Kind)
		if e.Metric != "" {
			s += " " + e.Metric
			if e.Alert != "" {
				s += " " + e.Alert
			}
		}
		out = append(out, s)
	}
	return out
}

// Reproduction 1: Check rescheduled the very instant it ran at, and the
// check at the report's next change returned nothing.
func TestCheckNeverReschedulesNow(t *testing.T) {
	r := enterpriseRules(t)
	at := time.Date(2024, 3, 4, 10, 0, 0, 0, shanghai)
	h := open(t, r, feedback.Opening{ID: "F1", At: at, Actor: "agent", Attributes: map[string]string{"business_line": "enterprise"}})
	var got []string
	for i := 0; i < 20 && !h.check.IsZero(); i++ {
		prev := h.check
		effects := h.runCheck()
		require.True(t, h.check.IsZero() || h.check.After(prev))
		got = append(got, kinds(effects)...)
	}
	assert.True(t, h.check.IsZero(), "a ticket nobody touches runs out of changes")
	var alerts int
	for _, k := range got {
		if !strings.HasPrefix(k, "schedule_check") {
			alerts++
		}
	}
	assert.Positive(t, alerts, "every check returned its alerts: %v", got)
}

// Reproduction 2: the ticket's deadline was fixed at triage while its SLA
// resolution deadline moved with pauses; the delay guard read the stale one.
func TestOneDeadline(t *testing.T) {
	r := enterpriseRules(t)
	at := time.Date(2024, 3, 4, 10, 0, 0, 0, shanghai) // a Monday
	h := open(t, r, feedback.Opening{ID: "F2", At: at, Actor: "agent", Attributes: map[string]string{"kind": "complaint"}})
	h.fire(feedback.TriggerTriage, at.Add(10*time.Minute), feedback.Payload{Priority: "P1"})
	h.fire(feedback.TriggerAssign, at.Add(20*time.Minute), feedback.Payload{Team: "tech"})
	h.fire(feedback.TriggerStart, at.Add(30*time.Minute), feedback.Payload{})
	before, err := r.Deadline(h.tk, at.Add(30*time.Minute))
	require.NoError(t, err)
	rep, err := r.SLA(h.tk, at.Add(30*time.Minute))
	require.NoError(t, err)
	res, ok := feedback.ResolutionDeadline(rep)
	require.True(t, ok)
	assert.Equal(t, res, before, "the ticket's deadline is its report's")

	// 48 hours waiting on the customer push the resolution deadline on.
	h.fire(feedback.TriggerWaitCustomer, at.Add(time.Hour), feedback.Payload{Reason: "photos"})
	h.fire(feedback.TriggerResume, at.Add(49*time.Hour), feedback.Payload{})
	after, err := r.Deadline(h.tk, at.Add(49*time.Hour))
	require.NoError(t, err)
	assert.True(t, after.After(before), "paused 48 h: %s → %s", before, after)

	// The delay guard reads the moved deadline: a request one working day
	// before the old deadline's eve but in time for the new one is accepted.
	latestOld, err := r.Calendars().Lookup("cn-office")
	require.NoError(t, err)
	cutOld, err := latestOld.AddWorkingDays(before, -1)
	require.NoError(t, err)
	req := feedback.Payload{Delay: &feedback.TicketDelay{Reason: "parts", Plan: "new parts", NewDeadline: after.Add(48 * time.Hour)}}
	when := cutOld.Add(time.Hour)
	if when.Before(h.tk.Updated) {
		when = h.tk.Updated.Add(time.Minute)
	}
	_, err = r.Preview(h.tk, feedback.Change{Trigger: feedback.TriggerRequestDelay, Version: h.tk.Version, At: when, Actor: "agent", Payload: req})
	require.NoError(t, err, "filed at %s: after the old cut-off %s, in time for %s", when, cutOld, after)

	// A host-set deadline at triage is a per-ticket target the clock honours.
	h2 := open(t, r, feedback.Opening{ID: "F2b", At: at, Actor: "agent", Attributes: map[string]string{"business_line": "enterprise"}})
	own := at.Add(30 * time.Hour)
	h2.fire(feedback.TriggerTriage, at.Add(time.Minute), feedback.Payload{Priority: "P2", Deadline: own})
	rep, err = r.SLA(h2.tk, at.Add(time.Hour))
	require.NoError(t, err)
	res, ok = feedback.ResolutionDeadline(rep)
	require.True(t, ok)
	assert.True(t, res.Equal(own), "resolution due at the host's deadline: %s", res)
	_, err = r.Fire(h2.tk, feedback.Change{Trigger: feedback.TriggerTriage, Version: h2.tk.Version, At: at.Add(2 * time.Minute), Actor: "a",
		Payload: feedback.Payload{Priority: "P2", Deadline: at}})
	var fe *feedback.FieldError
	require.ErrorAs(t, err, &fe, "a deadline before the change is refused")
	assert.Equal(t, "payload.deadline", fe.Field)
}

// Reproduction 3: the ticket's calendar was ignored by the SLA.
func TestTicketCalendarCounts(t *testing.T) {
	r := enterpriseRules(t)
	at := time.Date(2024, 3, 8, 20, 0, 0, 0, shanghai) // a Friday evening
	office := open(t, r, feedback.Opening{ID: "F3a", At: at, Actor: "agent", Attributes: map[string]string{"kind": "complaint"}})
	desk := open(t, r, feedback.Opening{ID: "F3b", At: at, Actor: "agent", Calendar: "cn-service-desk", Attributes: map[string]string{"kind": "complaint"}})
	for _, h := range []*host{office, desk} {
		h.fire(feedback.TriggerTriage, at.Add(time.Minute), feedback.Payload{Priority: "P1"})
	}
	deadline := func(h *host) (time.Time, string) {
		rep, err := r.SLA(h.tk, at.Add(time.Hour))
		require.NoError(t, err)
		for _, m := range rep.Metrics {
			if m.Kind == sla.Resolution {
				return m.Deadline, m.Target.Calendar
			}
		}
		t.Fatal("no resolution clock")
		return time.Time{}, ""
	}
	dOffice, calOffice := deadline(office)
	dDesk, calDesk := deadline(desk)
	assert.Equal(t, "cn-office", calOffice)
	assert.Equal(t, "cn-service-desk", calDesk)
	assert.True(t, dDesk.Before(dOffice), "the desk works weekends: %s vs %s", dDesk, dOffice)
}

// Reproduction 4: the emergency second_visit clock kept running after
// close, and a closed ticket could not record the visit.
func TestSecondVisitAfterClose(t *testing.T) {
	data, err := feedback.PresetRulesJSON()
	require.NoError(t, err)
	slaDoc, err := sla.PresetJSON(sla.PresetComplaintGrading)
	require.NoError(t, err)
	r, err := feedback.ParseRules(replaceSection(t, data, "sla", slaDoc))
	require.NoError(t, err)
	at := time.Date(2024, 3, 4, 10, 0, 0, 0, shanghai)
	h := open(t, r, feedback.Opening{ID: "F4", At: at, Actor: "agent", Attributes: map[string]string{"kind": "complaint"}})
	h.fire(feedback.TriggerTriage, at.Add(5*time.Minute), feedback.Payload{Priority: "P0"})
	h.fire(feedback.TriggerRespond, at.Add(20*time.Minute), feedback.Payload{Note: "we are on our way"})
	h.fire(feedback.TriggerAssign, at.Add(30*time.Minute), feedback.Payload{Team: "senior"})
	h.fire(feedback.TriggerStart, at.Add(40*time.Minute), feedback.Payload{})
	h.fire(feedback.TriggerResolve, at.Add(5*time.Hour), feedback.Payload{Note: "refunded"})
	h.fire(feedback.TriggerFollowUp, at.Add(24*time.Hour), feedback.Payload{})
	h.fire(feedback.TriggerRecordFollowUp, at.Add(25*time.Hour), feedback.Payload{FollowUp: &feedback.FollowUp{Resolved: true, Score: 5}})
	h.fire(feedback.TriggerClose, at.Add(26*time.Hour), feedback.Payload{})
	rep, err := r.SLA(h.tk, at.Add(27*time.Hour))
	require.NoError(t, err)
	visit, ok := rep.Metric("second_visit")
	require.True(t, ok)
	assert.Equal(t, sla.Running, visit.Status, "still due after close")
	h.fire(feedback.TriggerRecordVisit, at.Add(20*24*time.Hour), feedback.Payload{Note: "second visit: all well"})
	assert.Equal(t, feedback.StateClosed, h.tk.State)
	rep, err = r.SLA(h.tk, at.Add(40*24*time.Hour))
	require.NoError(t, err)
	visit, _ = rep.Metric("second_visit")
	assert.Equal(t, sla.Met, visit.Status)
	assert.True(t, h.check.IsZero(), "nothing left to check")
}

// Reproduction 5: editing a policy in place silently re-ruled open tickets.
func TestPolicyEditedInPlaceIsRefused(t *testing.T) {
	doc := func(target, extra string) []byte {
		return []byte(`{"version": "r", "sla": {"policies": [{"name": "p", "version": 1, "metrics": [
		  {"kind": "resolution", "targets": {"*": {"unit": "elapsed", "duration": "` + target + `"}}}]}` + extra + `]}}`)
	}
	r24, err := feedback.ParseRules(doc("24h", ""))
	require.NoError(t, err)
	at := time.Date(2024, 3, 4, 10, 0, 0, 0, time.UTC)
	h := open(t, r24, feedback.Opening{ID: "F5", At: at, Actor: "agent"})
	require.NotNil(t, h.tk.SLAPolicy)
	assert.Equal(t, "p", h.tk.SLAPolicy.Policy)

	r8, err := feedback.ParseRules(doc("8h", ""))
	require.NoError(t, err)
	_, err = r8.SLA(h.tk, at.Add(time.Hour))
	var pc *sla.PolicyChangedError
	require.ErrorAs(t, err, &pc)
	_, err = r8.Fire(h.tk, feedback.Change{Trigger: feedback.TriggerNote, Version: h.tk.Version, At: at.Add(time.Hour), Actor: "a", Payload: feedback.Payload{Note: "x"}})
	require.ErrorIs(t, err, sla.ErrPolicyChanged)
	assert.Equal(t, int64(1), h.tk.Version, "refused: the ticket is unchanged")

	// The host re-rules it explicitly, with a reason on record.
	_, err = r8.Fire(h.tk, feedback.Change{Trigger: feedback.TriggerRerule, Version: h.tk.Version, At: at.Add(time.Hour), Actor: "lead",
		Payload: feedback.Payload{Reason: "the 8 h target was meant to apply"}})
	require.NoError(t, err)
	rep, err := r8.SLA(h.tk, at.Add(2*time.Hour))
	require.NoError(t, err)
	assert.Equal(t, 8*time.Hour, rep.Metrics[0].Target.Duration)

	// The right way: version 2 as a change on top of version 1.
	rv, err := feedback.ParseRules(doc("24h", `, {"name": "p", "version": 2, "based_on": 1, "effective_from": "2024-03-05T00:00:00Z",
	  "metrics": [{"kind": "resolution", "targets": {"*": {"unit": "elapsed", "duration": "8h"}}}]}`))
	require.NoError(t, err)
	old := open(t, rv, feedback.Opening{ID: "F5a", At: at, Actor: "agent"})
	young := open(t, rv, feedback.Opening{ID: "F5b", At: at.Add(48 * time.Hour), Actor: "agent"})
	repOld, err := rv.SLA(old.tk, at.Add(50*time.Hour))
	require.NoError(t, err)
	repYoung, err := rv.SLA(young.tk, at.Add(50*time.Hour))
	require.NoError(t, err)
	assert.Equal(t, 1, repOld.Version)
	assert.Equal(t, 2, repYoung.Version)
	// A ticket opened under the unversioned 24 h rules is still valid under
	// the revised document: version 1 is unchanged there.
	_, err = rv.SLA(h2(t, r24, at), at.Add(time.Hour))
	require.NoError(t, err)
}

func h2(t *testing.T, r *feedback.Rules, at time.Time) *feedback.Ticket {
	return open(t, r, feedback.Opening{ID: "F5c", At: at, Actor: "agent"}).tk
}

// Reproduction 6: inputs that passed silently.
func TestStrictInputs(t *testing.T) {
	r := presetRules(t)
	at := time.Date(2024, 3, 4, 10, 0, 0, 0, shanghai)
	_, _, err := r.Open(feedback.Opening{ID: "F6", At: at, Actor: "agent", Category: "batery"})
	var fe *feedback.FieldError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "category", fe.Field)
	assert.ErrorIs(t, err, feedback.ErrInvalidChange)
	for _, bad := range []time.Time{time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(-5, 1, 1, 0, 0, 0, 0, time.UTC)} {
		_, _, err = r.Open(feedback.Opening{ID: "F6", At: bad, Actor: "agent"})
		require.ErrorAs(t, err, &fe, "year %d", bad.Year())
	}

	// OfferAt fills the preset's own input name ("resolution_overrun").
	h := open(t, r, feedback.Opening{ID: "F6b", At: at, Actor: "agent", Attributes: map[string]string{"kind": "complaint"}})
	h.fire(feedback.TriggerTriage, at.Add(time.Minute), feedback.Payload{Priority: "P1"})

	// An instant no snapshot can hold is refused even in a payload field
	// the trigger does not read, and the ticket stays as it was.
	far := time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC)
	before := h.tk.Clone()
	for field, p := range map[string]feedback.Payload{
		"payload.deadline":                 {Note: "n", Deadline: far},
		"payload.delay.new_deadline":       {Note: "n", Delay: &feedback.TicketDelay{NewDeadline: far}},
		"payload.compensation.valid_until": {Note: "n", Compensation: &feedback.CompensationChoice{Option: "x", ValidUntil: far}},
	} {
		_, err := r.Fire(h.tk, feedback.Change{Trigger: feedback.TriggerRespond, Version: h.tk.Version, At: at.Add(2 * time.Minute), Actor: "agent", Payload: p})
		require.ErrorAs(t, err, &fe, field)
		assert.Equal(t, field, fe.Field)
		assert.Equal(t, before, h.tk, "a refused change leaves the ticket as it was")
	}
	_, err = feedback.MarshalSnapshot(h.tk)
	require.NoError(t, err)
	offer, err := r.OfferAt(h.tk, "complaint-goodwill", compensation.Claim{}, at.Add(30*24*time.Hour))
	require.NoError(t, err)
	require.NotEmpty(t, offer.Readings)
	assert.True(t, offer.Readings[0].Applies, "%+v", offer.Readings)

	// A misspelt claim input is refused, naming it.
	_, err = r.Offer(h.tk, "business-interruption", compensation.Claim{Durations: map[string]time.Duration{"business_interuption": time.Hour}})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "business_interuption")
}

func replaceSection(t *testing.T, doc []byte, key string, section []byte) []byte {
	t.Helper()
	var m map[string]any
	require.NoError(t, jsonUnmarshal(doc, &m))
	var v any
	require.NoError(t, jsonUnmarshal(section, &v))
	m[key] = v
	out, err := jsonMarshal(m)
	require.NoError(t, err)
	return out
}

func jsonUnmarshal(data []byte, v any) error { return json.Unmarshal(data, v) }
func jsonMarshal(v any) ([]byte, error)      { return json.Marshal(v) }

// Reproduction 6 (the simulation's ticket 7312 at 10,000 tickets): a reply
// and a triage made at the very instant the classification clock falls due.
// The reply's Fire told the host of the breach; the triage that stops the
// clock at the same instant must not turn it back into met, or the report
// would deny what the host was told. The order matters: a triage first is
// on time, and the reply after it changes nothing.
func TestChangesAtTheDeadlineInstant(t *testing.T) {
	r := enterpriseRules(t)
	at := time.Date(2026, 9, 11, 11, 11, 0, 0, shanghai)
	opening := feedback.Opening{ID: "F7312", At: at, Actor: "agent", Attributes: map[string]string{"kind": "complaint"}}
	probe := open(t, r, opening)
	rep, err := r.SLA(probe.tk, at)
	require.NoError(t, err)
	m, ok := rep.Metric("classification")
	require.True(t, ok, "the enterprise scheme times classification")
	due := m.Deadline
	require.False(t, due.IsZero())

	for _, tc := range []struct {
		name   string
		order  []feedback.Trigger
		breach bool
	}{
		{"reply, then triage", []feedback.Trigger{feedback.TriggerRespond, feedback.TriggerTriage}, true},
		{"triage, then reply", []feedback.Trigger{feedback.TriggerTriage, feedback.TriggerRespond}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			h := open(t, r, opening)
			var told []string
			for _, trig := range tc.order {
				p := feedback.Payload{Note: "note"}
				if trig == feedback.TriggerTriage {
					p = feedback.Payload{Priority: "P0"}
				}
				told = append(told, kinds(h.fire(trig, due, p))...)
			}
			rep, err := r.SLA(h.tk, due.Add(time.Hour))
			require.NoError(t, err)
			m, ok := rep.Metric("classification")
			require.True(t, ok)
			if tc.breach {
				assert.Contains(t, told, "sla_breach classification")
				assert.Equal(t, sla.Breached, m.Status)
				assert.True(t, m.BreachedAt.Equal(due))
			} else {
				assert.NotContains(t, told, "sla_breach classification")
				assert.Equal(t, sla.Met, m.Status)
			}
		})
	}
}
