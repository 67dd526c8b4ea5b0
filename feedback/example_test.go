package feedback_test

import (
	"fmt"
	"time"

	"github.com/closeloop/closeloop/feedback"
)

// The README's quick start, run as it is written there, so its figures are
// checked: document 002's F20240301001, a battery batch fault, triaged to
// P1, whose response is due 48 hours after receipt (after-sales policy of
// the preset rules).
func Example_quickStart() {
	rules, err := feedback.PresetRules() // the source documents' rules, as ordinary data
	if err != nil {
		panic(err)
	}

	at := time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC) // the host passes every instant in
	ticket, _, err := rules.Open(feedback.Opening{
		ID: "F20240301001", At: at, Actor: "agent-7",
		Customer: "C1001", Channel: "phone", Category: "product_fault",
	})
	if err != nil {
		panic(err)
	}

	// Triage scores the priority from impact, urgency and severity, and says why.
	out, err := rules.Fire(ticket, feedback.Change{
		Trigger: feedback.TriggerTriage, Version: ticket.Version, At: at.Add(20 * time.Minute), Actor: "agent-7",
		Payload: feedback.Payload{PriorityInput: &feedback.PriorityInput{Affected: 500, Urgency: 3, Severity: 2}},
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(ticket.Priority)
	for _, r := range out.Event.Payload.PriorityReasons {
		fmt.Println(" ", r)
	}

	// The SLA report: which policy matched, each clock's status and deadline,
	// and the next instant anything changes (schedule a check there; no polling).
	report, err := rules.SLA(ticket, at.Add(time.Hour))
	if err != nil {
		panic(err)
	}
	fmt.Println("policy", report.Policy)
	for _, m := range report.Metrics {
		if m.HasTarget && !m.Deadline.IsZero() {
			fmt.Println(m.Name, m.Status, m.Deadline.UTC().Format("2006-01-02 15:04"))
		}
	}
	fmt.Println("next change", report.NextChange.UTC().Format("2006-01-02 15:04"))
	for _, e := range out.Effects {
		fmt.Println("effect", e.Kind, e.At.UTC().Format("2006-01-02 15:04"), e.Reason)
	}
	// Output:
	// P1
	//   affected 500 reaches the threshold 50 (impact at least 3)
	//   impact 3 (a batch of customers): +20 points
	//   urgency 3 (high: daily use affected): +20 points
	//   severity 2 (medium: fault, no safety risk): +10 points
	//   tier 1 (standard) [not given, taken as the lowest]
	//   score 50 ≥ 40 ⇒ P1
	// policy after-sales
	// first_response running 2024-03-03 10:00
	// next change 2024-03-02 22:00
	// effect schedule_check 2024-03-02 22:00
}
