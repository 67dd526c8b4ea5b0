package feedback_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/closeloop/closeloop/feedback"
	"github.com/closeloop/closeloop/sla"
)

func mustPreset() *feedback.Rules {
	r, err := feedback.PresetRules()
	if err != nil {
		panic(err)
	}
	return r
}

// Open a ticket: the host passes the instant in; the library returns the
// ticket and what to do (acknowledge receipt to the customer).
func ExampleRules_Open() {
	rules := mustPreset()
	at := time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC)
	ticket, out, err := rules.Open(feedback.Opening{
		ID: "F20240301001", At: at, Actor: "agent-7",
		Customer: "c-1024", Channel: "phone", Category: "product_fault",
	})
	if err != nil {
		panic(err)
	}
	fmt.Println(ticket.ID, ticket.State, "version", ticket.Version, "calendar", ticket.Calendar)
	for _, e := range out.Effects {
		if e.Kind == feedback.NotifyCustomer {
			fmt.Println(e.Kind, e.Label)
		}
	}
	// Output:
	// F20240301001 received version 1 calendar cn-office
	// notify_customer accepted
}

// Walk a ticket round the closed loop: triage scores the priority, assign
// routes it, the work passes the customer-facing progress nodes, and the
// ticket closes only after a satisfied follow-up visit.
func ExampleRules_Fire() {
	rules := mustPreset()
	at := time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC)
	ticket, _, _ := rules.Open(feedback.Opening{ID: "F20240301001", At: at, Actor: "agent-7", Category: "product_fault"})

	steps := []struct {
		trigger feedback.Trigger
		payload feedback.Payload
	}{
		{feedback.TriggerTriage, feedback.Payload{
			PriorityInput: &feedback.PriorityInput{Affected: 500, Urgency: 3, Severity: 2},
			Deadline:      at.Add(48 * time.Hour)}},
		{feedback.TriggerAssign, feedback.Payload{}}, // routed by the rules
		{feedback.TriggerStart, feedback.Payload{}},
		{feedback.TriggerProgress, feedback.Payload{Node: "awaiting_inspection"}},
		{feedback.TriggerProgress, feedback.Payload{Node: "under_repair"}},
		{feedback.TriggerProgress, feedback.Payload{Node: "completed"}},
		{feedback.TriggerResolve, feedback.Payload{Note: "battery batch replaced"}},
		{feedback.TriggerFollowUp, feedback.Payload{}},
		{feedback.TriggerClose, feedback.Payload{}}, // refused: no follow-up outcome yet
		{feedback.TriggerRecordFollowUp, feedback.Payload{FollowUp: &feedback.FollowUp{Resolved: true, Score: 5}}},
		{feedback.TriggerClose, feedback.Payload{}},
	}
	for i, s := range steps {
		out, err := rules.Fire(ticket, feedback.Change{
			Trigger: s.trigger, Version: ticket.Version, At: at.Add(time.Duration(i+1) * time.Hour),
			Actor: "agent-7", Payload: s.payload,
		})
		var te *feedback.TransitionError
		if errors.As(err, &te) {
			fmt.Printf("refused %s in %s: unmet %v\n", te.Trigger, te.State, te.UnmetGuards)
			continue
		}
		ev := out.Event
		fmt.Printf("%2d %-16s %s → %s", ev.Seq, ev.Trigger, ev.From, ev.To)
		for _, e := range out.Effects {
			if e.Kind == feedback.NotifyCustomer {
				fmt.Printf("  [tell customer: %s%s]", e.Label, map[bool]string{true: " / " + e.Node}[e.Node != ""])
			}
		}
		fmt.Println()
	}
	fmt.Println(ticket.Priority, ticket.Team, ticket.State, "version", ticket.Version)
	// Output:
	//  2 triage           received → triaged
	//  3 assign           triaged → assigned
	//  4 start            assigned → in_progress  [tell customer: in progress / accepted]
	//  5 progress         in_progress → in_progress  [tell customer: in progress / awaiting_inspection]
	//  6 progress         in_progress → in_progress  [tell customer: in progress / under_repair]
	//  7 progress         in_progress → in_progress  [tell customer: in progress / completed]
	//  8 resolve          in_progress → resolved  [tell customer: resolved]
	//  9 follow_up        resolved → follow_up
	// refused close in follow_up: unmet [followed_up]
	// 10 record_follow_up follow_up → follow_up
	// 11 close            follow_up → closed  [tell customer: closed]
	// P1 technical_support closed version 11
}

// A follow-up that scores below 3 (on 1–5) reopens the ticket: it goes back
// to triage to be prioritised again. After the reopen limit, an unsatisfied
// follow-up escalates to a manager instead.
func Example_reopenOnLowScore() {
	rules := mustPreset()
	at := time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC)
	ticket, _, _ := rules.Open(feedback.Opening{ID: "F20240301002", At: at, Actor: "agent-3"})
	fire := func(trigger feedback.Trigger, p feedback.Payload) feedback.Outcome {
		at = at.Add(time.Hour)
		out, err := rules.Fire(ticket, feedback.Change{Trigger: trigger, Version: ticket.Version, At: at, Actor: "agent-3", Payload: p})
		if err != nil {
			panic(err)
		}
		return out
	}
	round := func(level string, score int) feedback.Outcome {
		fire(feedback.TriggerTriage, feedback.Payload{Priority: level})
		fire(feedback.TriggerAssign, feedback.Payload{Team: "service_supervisor"})
		fire(feedback.TriggerStart, feedback.Payload{})
		fire(feedback.TriggerResolve, feedback.Payload{Note: "installer re-briefed"})
		fire(feedback.TriggerFollowUp, feedback.Payload{})
		return fire(feedback.TriggerRecordFollowUp, feedback.Payload{FollowUp: &feedback.FollowUp{Resolved: true, Score: score, Comment: "still unhappy"}})
	}
	round("P2", 2)
	fmt.Println("after score 2:", ticket.State, "reopen rounds", ticket.ReopenRounds)
	round("P1", 1) // re-prioritised higher
	fmt.Println("after score 1:", ticket.State, "reopen rounds", ticket.ReopenRounds)
	out := round("P1", 2)
	fmt.Println("after score 2 again:", ticket.State, "escalations", ticket.Escalations)
	for _, e := range out.Effects {
		if e.Kind == feedback.AlertManager {
			fmt.Println("alert manager, level", e.Level, "-", e.Reason)
		}
	}
	// Output:
	// after score 2: reopened reopen rounds 1
	// after score 1: reopened reopen rounds 2
	// after score 2 again: escalated escalations 1
	// alert manager, level 1 - follow-up unsatisfied after the reopen limit
}

// Replaying a ticket's history rebuilds it; a snapshot round-trips.
func ExampleRules_Replay() {
	rules := mustPreset()
	at := time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC)
	ticket, _, _ := rules.Open(feedback.Opening{ID: "F1", At: at, Actor: "bot"})
	_, _ = rules.Fire(ticket, feedback.Change{Trigger: feedback.TriggerTriage, Version: 1, At: at, Actor: "bot",
		Payload: feedback.Payload{Priority: "P3"}})

	snapshot, _ := feedback.MarshalSnapshot(ticket)
	restored, err := rules.Restore(snapshot) // decodes and verifies against the history
	fmt.Println(restored.State, restored.Priority, err)

	// A change made against an old version is refused.
	_, err = rules.Fire(restored, feedback.Change{Trigger: feedback.TriggerNote, Version: 1, At: at, Actor: "bot",
		Payload: feedback.Payload{Note: "hello"}})
	fmt.Println(errors.Is(err, feedback.ErrStaleVersion))
	// Output:
	// triaged P3 <nil>
	// true
}

// The ticket's service levels come from its own history, under the policy
// its kind and priority select (a P1 complaint is document 001's "high"
// grade: a response within 4 hours and a progress update every hour, which
// this ticket has not had), pinned to the versions in force when it was
// opened.
func ExampleRules_SLA() {
	rules := mustPreset()
	shanghai, _ := time.LoadLocation("Asia/Shanghai")
	opened := time.Date(2024, 3, 4, 10, 0, 0, 0, shanghai) // a Monday
	ticket, _, _ := rules.Open(feedback.Opening{ID: "F20240304007", At: opened, Actor: "agent-7",
		Attributes: map[string]string{"kind": "complaint"}})
	_, _ = rules.Fire(ticket, feedback.Change{Trigger: feedback.TriggerTriage, Version: 1, At: opened.Add(20 * time.Minute),
		Actor: "agent-7", Payload: feedback.Payload{Priority: "P1"}})
	_, _ = rules.Fire(ticket, feedback.Change{Trigger: feedback.TriggerRespond, Version: 2, At: opened.Add(time.Hour),
		Actor: "agent-7", Payload: feedback.Payload{Note: "we have your complaint and will call back today"}})

	report, err := rules.SLA(ticket, opened.Add(2*time.Hour))
	if err != nil {
		panic(err)
	}
	fmt.Println("policy:", report.Policy, report.Why)
	for _, m := range report.Metrics {
		fmt.Printf("%-15s %s", m.Name, m.Status)
		if m.Status == sla.Running || m.Status == sla.Paused {
			fmt.Print(", due ", m.Deadline.In(shanghai).Format("Mon 2006-01-02 15:04"))
		}
		fmt.Println()
	}
	deadline, _ := rules.Deadline(ticket, opened.Add(2*time.Hour)) // the same value, for guards and views
	fmt.Println("ticket deadline:", deadline.In(shanghai).Format("Mon 2006-01-02 15:04"))
	// Output:
	// policy: complaint-high [priority eq "P1" kind eq "complaint"]
	// first_response  met
	// hourly_update   breached
	// resolution      running, due Mon 2024-03-11 18:00
	// follow_up       pending
	// second_visit    pending
	// ticket deadline: Mon 2024-03-11 18:00
}

// crmRow is a host's own record of a ticket: a status column the CRM's
// screens read, the version for compare-and-swap, and the snapshot.
type crmRow struct {
	Status   string
	Version  int64
	Snapshot []byte
}

// The host owns storage: it keeps the state in its own record, applies a
// change to the ticket it loads, and stores the result only if nobody else
// changed the row meanwhile (optimistic concurrency on the version).
func ExampleRules_Restore() {
	rules := mustPreset()
	at := time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC)
	ticket, _, _ := rules.Open(feedback.Opening{ID: "F9", At: at, Actor: "bot"})
	snap, _ := feedback.MarshalSnapshot(ticket)
	row := crmRow{Status: string(ticket.State), Version: ticket.Version, Snapshot: snap}

	// save stores t if the row is still at the version it was loaded at.
	save := func(loadedAt int64, t *feedback.Ticket) bool {
		if row.Version != loadedAt {
			return false
		}
		data, _ := feedback.MarshalSnapshot(t)
		row = crmRow{Status: string(t.State), Version: t.Version, Snapshot: data}
		return true
	}

	// Two agents load the same row.
	a, _ := rules.Restore(row.Snapshot)
	b, _ := rules.Restore(row.Snapshot)
	_, errA := rules.Fire(a, feedback.Change{Trigger: feedback.TriggerTriage, Version: a.Version, At: at.Add(time.Minute),
		Actor: "agent-a", Payload: feedback.Payload{Priority: "P2"}})
	fmt.Println("agent a:", errA, save(1, a), row.Status, row.Version)
	_, errB := rules.Fire(b, feedback.Change{Trigger: feedback.TriggerReject, Version: b.Version, At: at.Add(2 * time.Minute),
		Actor: "agent-b", Payload: feedback.Payload{Rejection: feedback.RejectSpam, Reason: "advert"}})
	fmt.Println("agent b:", errB, save(1, b), row.Status, row.Version)

	// Agent b reloads and decides again, against version 2.
	b, _ = rules.Restore(row.Snapshot)
	_, errB = rules.Fire(b, feedback.Change{Trigger: feedback.TriggerReject, Version: 1, At: at.Add(3 * time.Minute),
		Actor: "agent-b", Payload: feedback.Payload{Rejection: feedback.RejectSpam, Reason: "advert"}})
	fmt.Println("stale:", errors.Is(errB, feedback.ErrStaleVersion))
	// Output:
	// agent a: <nil> true triaged 2
	// agent b: <nil> false triaged 2
	// stale: true
}
