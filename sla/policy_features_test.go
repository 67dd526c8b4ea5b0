package sla

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestNextReply: every customer message is answered within 2 hours; the
// clock runs from the oldest unanswered message.
func TestNextReply(t *testing.T) {
	s := compileT(t, `{"policies":[{"name":"p","metrics":[{"kind":"next_reply","targets":{"*":{"unit":"elapsed","duration":"2h"}},
	  "warnings":[{"name":"w","percent":50}]}]}]}`)
	tl := []Entry{
		st(mar(4, 9, 0), "received"),
		ev(mar(4, 10, 0), EventCustomerMessage),
		ev(mar(4, 10, 30), EventResponded),
		ev(mar(4, 11, 0), EventCustomerMessage),
		ev(mar(4, 11, 20), EventCustomerMessage), // still unanswered: the clock keeps its start
		ev(mar(4, 13, 30), EventResponded),
	}
	r, err := s.Evaluate(Attributes{}, tl, mar(4, 14, 0), Options{})
	require.NoError(t, err)
	m := metricByName(t, r, "next_reply")
	assert.Equal(t, 2, m.Cycle)
	assert.Equal(t, Breached, m.Status)
	assert.True(t, mar(4, 11, 0).Equal(m.Start))
	assert.True(t, mar(4, 13, 0).Equal(m.BreachedAt))
	assert.Equal(t, 1, m.MetCycles)
	assert.Equal(t, 1, m.BreachedCycles)
	assert.True(t, r.NextChange.IsZero(), "nothing is pending once every message is answered")
}

// TestPauseLimits: waiting on the customer pauses the clock for at most 3
// hours; the customer is chased after 1 hour; the ticket may close after 48.
func TestPauseLimits(t *testing.T) {
	s := compileT(t, `{"policies":[{"name":"p","metrics":[{"kind":"resolution","targets":{"*":{"unit":"elapsed","duration":"24h"}},
	  "pause_in":["waiting_customer","waiting_third_party"],
	  "pause_limits":[{"state":"waiting_customer","max":{"unit":"elapsed","duration":"3h"},
	                   "chase_after":{"unit":"elapsed","duration":"1h"},"auto_close_after":{"unit":"elapsed","duration":"48h"}}]}]}]}`)
	tl := []Entry{st(mar(4, 9, 0), "received"), st(mar(4, 10, 0), "waiting_customer")}

	r, err := s.Evaluate(Attributes{}, tl, mar(4, 12, 0), Options{})
	require.NoError(t, err)
	m := metricByName(t, r, "resolution")
	assert.Equal(t, Paused, m.Status)
	assert.Equal(t, "waiting_customer", m.PauseReason)
	assert.True(t, mar(4, 10, 0).Equal(m.PausedSince))
	assert.True(t, mar(4, 13, 0).Equal(m.ResumesAt))
	assert.True(t, m.ChaseAt.IsZero(), "chased already at 11:00")
	assert.True(t, mar(6, 10, 0).Equal(m.AutoCloseAt))
	assert.True(t, mar(4, 13, 0).Equal(r.NextChange), "the limit ends the pause next")
	assert.True(t, mar(5, 12, 0).Equal(m.Deadline), "23 h left, counted from the resume at 13:00: %s", m.Deadline)
	assert.Equal(t, []PauseTotal{{"waiting_customer", 2 * time.Hour}}, m.Pauses)

	r, err = s.Evaluate(Attributes{}, tl, mar(4, 14, 0), Options{})
	require.NoError(t, err)
	m = metricByName(t, r, "resolution")
	assert.Equal(t, Running, m.Status, "the clock runs again although the ticket still waits")
	assert.Equal(t, 2*time.Hour, m.Elapsed)
	assert.Equal(t, []PauseTotal{{"waiting_customer", 3 * time.Hour}}, m.Pauses)
	assert.Equal(t, []string{"applied", "paused:waiting_customer", "chase_due:waiting_customer", "resumed:cap: waiting_customer"}, auditTypes(r, "resolution"))

	// Another pause reason is a new episode, unlimited here; back to the
	// customer starts a fresh limit.
	tl = append(tl, st(mar(4, 15, 0), "waiting_third_party"), st(mar(4, 16, 0), "waiting_customer"))
	r, err = s.Evaluate(Attributes{}, tl, mar(4, 17, 0), Options{})
	require.NoError(t, err)
	m = metricByName(t, r, "resolution")
	assert.Equal(t, Paused, m.Status)
	assert.True(t, mar(4, 19, 0).Equal(m.ResumesAt))
	assert.Equal(t, []PauseTotal{{"waiting_customer", 4 * time.Hour}, {"waiting_third_party", time.Hour}}, m.Pauses)

	_, err = ParsePolicySet([]byte(`{"policies":[{"name":"p","metrics":[{"kind":"resolution","targets":{"*":{"unit":"elapsed","duration":"24h"}},
	  "pause_limits":[{"state":"nowhere","max":{"unit":"elapsed","duration":"3h"}}]}]}]}`), testEnv(t))
	var pe *PathError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, "$.policies[0].metrics[0].pause_limits[0].state", pe.Path)
}

// TestEscalationAfterDeadline: "2 business hours after a 5-working-day
// target" mixes units.
func TestEscalationAfterDeadline(t *testing.T) {
	s := compileT(t, `{"default_calendar":"office","policies":[{"name":"p","metrics":[{"kind":"resolution",
	  "targets":{"*":{"unit":"working_days","days":1}},
	  "escalations":[{"name":"lead","percent":100},{"name":"director","after_deadline":{"unit":"business","duration":"2h"}}]}]}]}`)
	tl := []Entry{st(mar(4, 9, 0), "received")}
	r, err := s.Evaluate(Attributes{}, tl, mar(6, 12, 0), Options{})
	require.NoError(t, err)
	m := metricByName(t, r, "resolution")
	require.Len(t, m.Escalations, 2)
	assert.True(t, mar(5, 18, 0).Equal(m.Escalations[0].At), "%s", m.Escalations[0].At)
	assert.True(t, mar(6, 11, 0).Equal(m.Escalations[1].At), "two office hours after Tuesday's close: %s", m.Escalations[1].At)

	_, err = ParsePolicySet([]byte(`{"policies":[{"name":"p","metrics":[{"kind":"resolution","targets":{"*":{"unit":"elapsed","duration":"24h"}},
	  "warnings":[{"name":"w","after_deadline":{"unit":"elapsed","duration":"1h"}}]}]}]}`), testEnv(t))
	assert.ErrorIs(t, err, ErrAlertOutOfTarget)
}

// TestTicketTimes: agent work, on hold, pending and the requester's wait.
func TestTicketTimes(t *testing.T) {
	s := compileT(t, `{"policies":[{"name":"p","metrics":[{"kind":"resolution","targets":{"*":{"unit":"elapsed","duration":"24h"}}}]}]}`)
	tl := []Entry{
		st(mar(4, 9, 0), "received"), st(mar(4, 10, 0), "in_progress"), st(mar(4, 11, 0), "waiting_customer"),
		st(mar(4, 12, 0), "waiting_third_party"), st(mar(4, 13, 0), "in_progress"), st(mar(4, 14, 0), "resolved"),
	}
	r, err := s.Evaluate(Attributes{}, tl, mar(4, 16, 0), Options{})
	require.NoError(t, err)
	assert.Equal(t, TicketTimes{AgentWork: 3 * time.Hour, OnHold: time.Hour, Pending: time.Hour, RequesterWait: 4 * time.Hour}, r.Times)
	// The same from a checkpoint.
	var cp Checkpoint
	var r2 Report
	require.NoError(t, s.EvaluateFrom(&r2, nil, &cp, Attributes{}, tl[:3], mar(4, 11, 0), Options{}))
	require.NoError(t, s.EvaluateFrom(&r2, &cp, nil, Attributes{}, tl, mar(4, 16, 0), Options{}))
	assert.Equal(t, r.Times, r2.Times)
}

// TestEntitlements: a contract chooses the policy and the service hours of
// its organisation's tickets while it is valid; conditions rule the rest.
func TestEntitlements(t *testing.T) {
	s := compileT(t, `{"default_calendar":"business","policies":[
	    {"name":"gold","metrics":[{"kind":"first_response","targets":{"*":{"unit":"business","duration":"4h"}}}]},
	    {"name":"standard","metrics":[{"kind":"first_response","targets":{"*":{"unit":"elapsed","duration":"24h"}}}]}],
	  "entitlements":[{"name":"acme-gold-2024","values":["acme"],"valid_from":"2024-01-01","valid_until":"2025-01-01","policy":"gold","calendar":"office"}]}`)
	acme := Attributes{Attrs: map[string]string{"org": "acme"}}
	// Friday 16:00, in force: 4 office hours run to Monday 11:00.
	fri := mar(8, 16, 0)
	r, err := s.Evaluate(acme, []Entry{st(fri, "received")}, fri, Options{})
	require.NoError(t, err)
	assert.Equal(t, "gold", r.Policy)
	assert.Equal(t, "acme-gold-2024", r.Entitlement)
	assert.True(t, mar(11, 11, 0).Equal(r.Metrics[0].Deadline), "%s", r.Metrics[0].Deadline)
	pin, ok := s.Match(acme, fri)
	require.True(t, ok)
	assert.Equal(t, PolicyPin{Policy: "gold", Version: 1, Fingerprint: pin.Fingerprint, Entitlement: "acme-gold-2024", Calendar: "office"}, pin)

	// Expired, and another organisation: the conditions' policy.
	later := time.Date(2025, 2, 3, 9, 0, 0, 0, shanghai)
	r, err = s.Evaluate(acme, []Entry{st(later, "received")}, later, Options{})
	require.NoError(t, err)
	assert.Equal(t, "gold", r.Policy, "gold is also first by conditions (none)")
	assert.Empty(t, r.Entitlement)
	r, err = s.Evaluate(Attributes{Attrs: map[string]string{"org": "other"}}, []Entry{st(fri, "received")}, fri, Options{})
	require.NoError(t, err)
	assert.Empty(t, r.Entitlement)

	for doc, path := range map[string]string{
		`{"policies":[{"name":"p","metrics":[{"kind":"first_response","targets":{"*":{"unit":"elapsed","duration":"1h"}}}]}],"entitlements":[{"name":"e","values":["x"],"policy":"nope"}]}`:                        "$.entitlements[0].policy",
		`{"policies":[{"name":"p","metrics":[{"kind":"first_response","targets":{"*":{"unit":"elapsed","duration":"1h"}}}]}],"entitlements":[{"name":"e","values":[],"policy":"p"}]}`:                              "$.entitlements[0].values",
		`{"policies":[{"name":"p","metrics":[{"kind":"first_response","targets":{"*":{"unit":"elapsed","duration":"1h"}}}]}],"entitlements":[{"name":"e","values":["x"],"policy":"p","valid_from":"2024-13-01"}]}`: "$.entitlements[0].valid_from",
	} {
		_, err := ParsePolicySet([]byte(doc), testEnv(t))
		var pe *PathError
		require.ErrorAs(t, err, &pe, doc)
		assert.Equal(t, path, pe.Path)
	}
}

// TestPolicySwitch: a ticket moved to another agreement mid-way keeps the
// time its shared clocks counted; the new targets apply from the switch.
func TestPolicySwitch(t *testing.T) {
	s := compileT(t, `{"default_calendar":"office","policies":[
	  {"name":"standard","metrics":[
	    {"kind":"resolution","targets":{"*":{"unit":"business","duration":"16h"}},"warnings":[{"name":"half","percent":50}]},
	    {"kind":"first_response","targets":{"*":{"unit":"elapsed","duration":"4h"}}}]},
	  {"name":"gold","metrics":[
	    {"kind":"resolution","targets":{"*":{"unit":"elapsed","duration":"6h"}}},
	    {"name":"updates","kind":"periodic_update","targets":{"*":{"unit":"elapsed","duration":"2h"}}}]}]}`)
	tl := []Entry{
		st(mar(4, 9, 0), "received"),
		ev(mar(4, 9, 30), EventResponded),
		{At: mar(4, 12, 0), Kind: EntryPolicy, Policy: "gold", Version: 1},
	}
	r, err := s.Evaluate(Attributes{}, tl, mar(4, 13, 0), Options{Policy: "standard"})
	require.NoError(t, err)
	assert.Equal(t, "gold", r.Policy)
	res := metricByName(t, r, "resolution")
	assert.Equal(t, Running, res.Status)
	assert.Equal(t, 4*time.Hour, res.Elapsed, "wall time since 09:00 under gold's elapsed target")
	assert.True(t, mar(4, 15, 0).Equal(res.Deadline), "%s", res.Deadline)
	assert.Contains(t, auditTypes(r, "resolution"), "recalculated:policy gold v1")
	upd := metricByName(t, r, "updates")
	assert.Equal(t, Breached, upd.Status, "new to the ticket: counted from the opening")
	_, ok := r.Metric("first_response")
	assert.False(t, ok, "dropped by gold")
	assert.Contains(t, auditTypes(r, "first_response"), "fulfilled", "its past stays in the audit")

	// Past gold's target already at the switch: breached at the switch.
	tl2 := []Entry{st(mar(4, 9, 0), "received"), {At: mar(4, 16, 0), Kind: EntryPolicy, Policy: "gold", Version: 1}}
	r, err = s.Evaluate(Attributes{}, tl2, mar(4, 17, 0), Options{Policy: "standard"})
	require.NoError(t, err)
	res = metricByName(t, r, "resolution")
	assert.Equal(t, Breached, res.Status)
	assert.True(t, mar(4, 16, 0).Equal(res.BreachedAt), "recognised at the switch: %s", res.BreachedAt)

	// The same from a checkpoint taken before and after the switch.
	for _, cut := range []int{1, 2, 3} {
		checkIncremental(t, s, Attributes{}, tl, mar(4, 13, 0), []int{cut}, Options{Policy: "standard"})
	}

	_, err = s.Evaluate(Attributes{}, append(tl, Entry{At: mar(4, 13, 0), Kind: EntryPolicy, Policy: "platinum"}), mar(4, 14, 0), Options{Policy: "standard"})
	assert.ErrorIs(t, err, ErrNoPolicy)
}
