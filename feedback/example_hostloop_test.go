package feedback_test

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/closeloop/closeloop/compensation"
	"github.com/closeloop/closeloop/feedback"
	"github.com/closeloop/closeloop/sla"
)

// complaintRules is a small rules document for the examples below: an
// emergency complaint's first response within 1 hour, senior management
// told at once, a warning at half time and an escalation when the hour is
// up; goodwill compensation by how late the resolution was.
const complaintRules = `{
  "version": "examples-1",
  "sla": {"policies": [
    {"name": "emergency", "version": 1,
     "metrics": [
       {"kind": "first_response", "targets": {"*": {"unit": "elapsed", "duration": "1h"}},
        "warnings": [{"name": "half_time", "percent": 50}],
        "escalations": [{"name": "senior_management", "after": {"unit": "elapsed", "duration": "0s"}},
                        {"name": "legal_and_pr", "percent": 100}]},
       {"kind": "resolution", "targets": {"*": {"unit": "elapsed", "duration": "24h"}}}]}]},
  "compensation": [{"name": "goodwill", "currency": "CNY", "rounding": "half_up",
    "schedules": [{"name": "late resolution", "measure": {"kind": "duration", "input": "resolution_overrun"},
      "bands": [{"name": "on time", "range": "[0s, 1s)", "options": []},
                {"name": "late", "range": "[1s, 24h)", "options": [{"id": "voucher", "kind": "voucher", "formula": "fixed", "amount": "20.00", "valid_days": 30}]},
                {"name": "very late", "range": "[24h, inf)", "options": [{"id": "voucher", "kind": "voucher", "formula": "fixed", "amount": "50.00", "valid_days": 30}]}]}]}]
}`

func mustParse(doc string) *feedback.Rules {
	r, err := feedback.ParseRules([]byte(doc))
	if err != nil {
		panic(err)
	}
	return r
}

// A host that does nothing but follow the effects: it carries out what
// Open, Fire and Check return and wakes only when a ScheduleCheck says,
// passing the instant it last looked. It is told of every warning, breach
// and escalation once, at the instant it is reached.
func ExampleRules_Check() {
	rules := mustParse(complaintRules)
	at := time.Date(2024, 3, 4, 10, 0, 0, 0, time.UTC)
	ticket, out, _ := rules.Open(feedback.Opening{ID: "F1", At: at, Actor: "hotline"})

	var wake, last time.Time // the pending check, and when the host last looked
	follow := func(effects []feedback.Effect, now time.Time) {
		last, wake = now, time.Time{}
		for _, e := range effects {
			switch e.Kind {
			case feedback.ScheduleCheck:
				wake = e.At
			case feedback.SLAWarning, feedback.SLABreach, feedback.AlertManager:
				fmt.Printf("%s %-13s %s\n", now.Format("15:04"), e.Kind, e.Reason)
			}
		}
	}
	follow(out.Effects, at)
	for !wake.IsZero() && wake.Before(at.Add(2*time.Hour)) {
		effects, _, err := rules.Check(ticket, last, wake)
		if err != nil {
			panic(err)
		}
		follow(effects, wake)
	}
	fmt.Println("next check:", wake.Format("Jan 2 15:04"))
	// Output:
	// 10:00 alert_manager first_response: senior_management
	// 10:30 sla_warning   first_response: warning half_time
	// 11:00 sla_breach    first_response: deadline passed
	// 11:00 alert_manager first_response: legal_and_pr
	// next check: Mar 5 10:00
}

// Offer computes a compensation offer from what the host passes in;
// OfferAt also fills the inputs the policy reads from the ticket's SLA
// report ("resolution_overrun": how far the resolution ran past its
// deadline).
func ExampleRules_OfferAt() {
	rules := mustParse(complaintRules)
	at := time.Date(2024, 3, 4, 10, 0, 0, 0, time.UTC)
	ticket, _, _ := rules.Open(feedback.Opening{ID: "F2", At: at, Actor: "hotline", Customer: "C7"})

	for _, late := range []time.Duration{0, 30 * time.Hour} {
		offer, err := rules.OfferAt(ticket, "goodwill", compensation.Claim{}, at.Add(24*time.Hour+late))
		if err != nil {
			panic(err)
		}
		fmt.Printf("overrun %v: band %q, %d option(s)\n", late, offer.Readings[0].Band, len(offer.Options))
	}
	// The host's own figure wins over the report.
	offer, _ := rules.Offer(ticket, "goodwill", compensation.Claim{Durations: map[string]time.Duration{"resolution_overrun": 2 * time.Hour}})
	fmt.Println("given 2h:", offer.Options[0].ID, offer.Options[0].Amount.Text(), offer.Currency)
	// Inputs the policy does not read are refused, named.
	_, err := rules.Offer(ticket, "goodwill", compensation.Claim{Durations: map[string]time.Duration{"resolution_overun": time.Hour}})
	fmt.Println(err != nil)
	// Output:
	// overrun 0s: band "on time", 0 option(s)
	// overrun 30h0m0s: band "very late", 1 option(s)
	// given 2h: voucher 20.00 CNY
	// true
}

// Changing a policy safely: a change is a new version with an
// effective_from, written as only what differs (based_on). Tickets opened
// before it keep the version they were opened under; tickets opened after
// get the new one. Editing a version in place instead is caught: a ticket
// pins its policy's content fingerprint, and Fire and SLA refuse until the
// host re-rules the ticket on purpose.
func Example_changingAPolicySafely() {
	v1 := `{"version": "2024-03", "sla": {"policies": [
	  {"name": "support", "version": 1, "metrics": [{"kind": "resolution", "targets": {"*": {"unit": "elapsed", "duration": "24h"}}}]}]}}`
	// Version 2 shortens the target from March 10 on, and says nothing else.
	v2 := `{"version": "2024-04", "sla": {"policies": [
	  {"name": "support", "version": 1, "metrics": [{"kind": "resolution", "targets": {"*": {"unit": "elapsed", "duration": "24h"}}}]},
	  {"name": "support", "version": 2, "based_on": 1, "effective_from": "2024-03-10T00:00:00Z",
	   "metrics": [{"kind": "resolution", "targets": {"*": {"unit": "elapsed", "duration": "8h"}}}]}]}}`
	// The wrong way: the same version edited in place.
	edited := `{"version": "2024-04", "sla": {"policies": [
	  {"name": "support", "version": 1, "metrics": [{"kind": "resolution", "targets": {"*": {"unit": "elapsed", "duration": "8h"}}}]}]}}`

	before := mustParse(v1)
	at := time.Date(2024, 3, 9, 12, 0, 0, 0, time.UTC)
	old, _, _ := before.Open(feedback.Opening{ID: "OLD", At: at, Actor: "web"})

	after := mustParse(v2)
	young, _, _ := after.Open(feedback.Opening{ID: "NEW", At: at.Add(24 * time.Hour), Actor: "web"})
	for _, t := range []*feedback.Ticket{old, young} {
		rep, _ := after.SLA(t, at.Add(25*time.Hour))
		fmt.Printf("%s: %s v%d, resolution target %v\n", t.ID, rep.Policy, rep.Version, rep.Metrics[0].Target.Duration)
	}

	wrong := mustParse(edited)
	_, err := wrong.SLA(old, at.Add(time.Hour))
	fmt.Println("edited in place:", errors.Is(err, sla.ErrPolicyChanged))
	_, err = wrong.Fire(old, feedback.Change{Trigger: feedback.TriggerRerule, Version: old.Version, At: at.Add(time.Hour),
		Actor: "lead", Payload: feedback.Payload{Reason: "the 8 h target applies to open tickets too"}})
	rep, _ := wrong.SLA(old, at.Add(time.Hour))
	fmt.Println("after rerule:", err, rep.Metrics[0].Target.Duration)
	// Output:
	// OLD: support v1, resolution target 24h0m0s
	// NEW: support v2, resolution target 8h0m0s
	// edited in place: true
	// after rerule: <nil> 8h0m0s
}

// The host stores the events (here as JSON lines); the ticket is rebuilt
// by replaying them, and equals the one that was changed.
func ExampleRules_Replay_events() {
	rules := mustParse(complaintRules)
	at := time.Date(2024, 3, 4, 10, 0, 0, 0, time.UTC)
	ticket, _, _ := rules.Open(feedback.Opening{ID: "F3", At: at, Actor: "hotline"})
	_, _ = rules.Fire(ticket, feedback.Change{Trigger: feedback.TriggerTriage, Version: ticket.Version, At: at.Add(5 * time.Minute),
		Actor: "agent", Payload: feedback.Payload{Priority: "P0"}})
	_, _ = rules.Fire(ticket, feedback.Change{Trigger: feedback.TriggerRespond, Version: ticket.Version, At: at.Add(20 * time.Minute),
		Actor: "agent", Payload: feedback.Payload{Note: "an engineer is on the way"}})

	var stored [][]byte // the host's event table
	for _, ev := range ticket.History {
		line, _ := json.Marshal(ev)
		stored = append(stored, line)
	}
	var events []feedback.Event
	for _, line := range stored {
		var ev feedback.Event
		if err := json.Unmarshal(line, &ev); err != nil {
			panic(err)
		}
		events = append(events, ev)
	}
	rebuilt, err := rules.Replay(events)
	fmt.Println(len(events), "events;", rebuilt.State, rebuilt.Priority, err)
	a, _ := feedback.MarshalSnapshot(ticket)
	b, _ := feedback.MarshalSnapshot(rebuilt)
	fmt.Println("same ticket:", string(a) == string(b))
	// Output:
	// 3 events; triaged P0 <nil>
	// same ticket: true
}
