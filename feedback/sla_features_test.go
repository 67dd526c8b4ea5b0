package feedback_test

import (
	"testing"
	"time"

	"github.com/closeloop/closeloop/feedback"
	"github.com/closeloop/closeloop/sla"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// What buyers of the commercial engines expect, driven through a ticket:
// next replies to customer messages, a capped wait on the customer with a
// chase and a close, and a contract that picks the policy and the hours.
const featureRules = `{"version": "f",
  "calendars": [{"name": "office", "time_zone": "Asia/Shanghai",
    "week": {"mon": [["09:00","18:00"]], "tue": [["09:00","18:00"]], "wed": [["09:00","18:00"]], "thu": [["09:00","18:00"]], "fri": [["09:00","18:00"]]}},
    {"name": "always", "time_zone": "Asia/Shanghai", "week": {"mon": [["00:00","24:00"]], "tue": [["00:00","24:00"]], "wed": [["00:00","24:00"]],
      "thu": [["00:00","24:00"]], "fri": [["00:00","24:00"]], "sat": [["00:00","24:00"]], "sun": [["00:00","24:00"]]}}],
  "default_calendar": "office",
  "sla": {"policies": [
    {"name": "standard", "metrics": [
      {"kind": "next_reply", "targets": {"*": {"unit": "business", "duration": "2h"}}},
      {"kind": "resolution", "targets": {"*": {"unit": "business", "duration": "16h"}},
       "pause_limits": [{"state": "waiting_customer", "max": {"unit": "working_days", "days": 3},
                         "chase_after": {"unit": "business", "duration": "4h"}, "auto_close_after": {"unit": "working_days", "days": 5}}]}]},
    {"name": "gold", "description": "only through an entitlement: listed after the catch-all",
     "metrics": [{"kind": "first_response", "targets": {"*": {"unit": "business", "duration": "1h"}}}]}],
    "entitlements": [{"name": "acme-gold-2024", "values": ["acme"], "valid_from": "2024-01-01", "valid_until": "2025-01-01",
                      "policy": "gold", "calendar": "always"}]}}`

func TestNextReplyThroughTickets(t *testing.T) {
	r := mustParse(featureRules)
	at := time.Date(2024, 3, 4, 9, 0, 0, 0, shanghai) // Monday
	h := open(t, r, feedback.Opening{ID: "R1", At: at, Actor: "web"})
	assert.Equal(t, "standard", h.tk.SLAPolicy.Policy)
	h.fire(feedback.TriggerCustomerMessage, at.Add(time.Hour), feedback.Payload{Note: "any news?"})
	rep, err := r.SLA(h.tk, at.Add(90*time.Minute))
	require.NoError(t, err)
	m, _ := rep.Metric("next_reply")
	assert.Equal(t, sla.Running, m.Status)
	assert.True(t, at.Add(3*time.Hour).Equal(m.Deadline))
	h.fire(feedback.TriggerRespond, at.Add(2*time.Hour), feedback.Payload{Note: "on it"})
	rep, err = r.SLA(h.tk, at.Add(2*time.Hour))
	require.NoError(t, err)
	m, _ = rep.Metric("next_reply")
	assert.Equal(t, sla.Met, m.Status)
}

func TestChaseAndAutoCloseEffects(t *testing.T) {
	r := mustParse(featureRules)
	at := time.Date(2024, 3, 4, 9, 0, 0, 0, shanghai)
	h := open(t, r, feedback.Opening{ID: "R2", At: at, Actor: "web"})
	h.fire(feedback.TriggerTriage, at.Add(time.Minute), feedback.Payload{Priority: "P2"})
	h.fire(feedback.TriggerAssign, at.Add(2*time.Minute), feedback.Payload{Team: "support"})
	h.fire(feedback.TriggerStart, at.Add(3*time.Minute), feedback.Payload{})
	h.fire(feedback.TriggerWaitCustomer, at.Add(time.Hour), feedback.Payload{Reason: "photos"})
	var got []string
	for i := 0; i < 10 && !h.check.IsZero(); i++ {
		for _, e := range h.runCheck() {
			if e.Kind != feedback.ScheduleCheck {
				got = append(got, string(e.Kind)+" "+e.At.In(shanghai).Format("Mon 15:04"))
			}
		}
	}
	// Chased 4 office hours after the wait began (Monday 03-04 14:00); the
	// clock resumed at the close of the 3rd working day (Thursday) although
	// the customer never answered, so the 15 office hours left ran out on
	// Monday 03-11 at 15:00; the ticket may close at the end of the 5th
	// working day after the wait began (Monday 03-11 18:00).
	assert.Equal(t, []string{"chase_customer Mon 14:00", "sla_breach Mon 15:00", "auto_close Mon 18:00"}, got)
	rep, err := r.SLA(h.tk, at.Add(30*24*time.Hour))
	require.NoError(t, err)
	m, _ := rep.Metric("resolution")
	require.NotEmpty(t, m.Pauses)
	assert.Equal(t, "waiting_customer", m.Pauses[0].Reason)
}

func TestEntitlementPinnedOnTicket(t *testing.T) {
	r := mustParse(featureRules)
	fri := time.Date(2024, 3, 8, 20, 0, 0, 0, shanghai)
	h := open(t, r, feedback.Opening{ID: "R3", At: fri, Actor: "web", Attributes: map[string]string{"org": "acme"}})
	require.NotNil(t, h.tk.SLAPolicy)
	assert.Equal(t, sla.PolicyPin{Policy: "gold", Version: 1, Fingerprint: h.tk.SLAPolicy.Fingerprint, Entitlement: "acme-gold-2024", Calendar: "always"}, *h.tk.SLAPolicy)
	rep, err := r.SLA(h.tk, fri.Add(30*time.Minute))
	require.NoError(t, err)
	assert.Equal(t, "acme-gold-2024", rep.Entitlement)
	assert.True(t, fri.Add(time.Hour).Equal(rep.Metrics[0].Deadline), "gold support around the clock: %s", rep.Metrics[0].Deadline)
}
