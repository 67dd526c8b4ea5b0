package sla_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/closeloop/closeloop/sla"
)

const supportPolicy = `{
  "default_calendar": "office",
  "policies": [{
    "name": "support",
    "metrics": [{
      "kind": "resolution",
      "targets": {"P1": {"unit": "business", "duration": "8h"}},
      "pause_in": ["waiting_customer"],
      "warnings": [{"name": "three_quarters", "percent": 75}],
      "escalations": [{"name": "team_lead", "percent": 100}]
    }]
  }]
}`

func exampleEnv() sla.PolicyEnv {
	office, err := sla.ParseCalendar([]byte(`{"name": "office", "time_zone": "Asia/Shanghai",
	  "week": {"mon": [["09:00","12:00"],["13:00","18:00"]], "tue": [["09:00","12:00"],["13:00","18:00"]],
	           "wed": [["09:00","12:00"],["13:00","18:00"]], "thu": [["09:00","12:00"],["13:00","18:00"]],
	           "fri": [["09:00","12:00"],["13:00","18:00"]]}}`))
	if err != nil {
		panic(err)
	}
	cals, err := sla.NewCalendars(office)
	if err != nil {
		panic(err)
	}
	return sla.PolicyEnv{States: sla.DefaultStates(), Calendars: cals}
}

// Compile a policy document against the host's states and calendars; a bad
// document is rejected with the JSON path of the fault.
func ExampleParsePolicySet() {
	env := exampleEnv()
	set, err := sla.ParsePolicySet([]byte(supportPolicy), env)
	if err != nil {
		panic(err)
	}
	for _, p := range set.Policies() {
		fmt.Println(p.Name, "version", p.Version, p.Metrics)
	}

	bad := `{"policies": [{"name": "support", "metrics": [{"kind": "resolution",
	  "targets": {"P1": {"unit": "elapsed", "duration": "4h"}},
	  "warnings": [{"name": "late_warning", "after": {"unit": "elapsed", "duration": "5h"}}]}]}]}`
	_, err = sla.ParsePolicySet([]byte(bad), env)
	var pe *sla.PathError
	if errors.As(err, &pe) {
		fmt.Println(pe.Path, errors.Is(err, sla.ErrAlertOutOfTarget))
	}
	// Output:
	// support version 1 [resolution]
	// $.policies[0].metrics[0].warnings[0].after true
}

// Evaluate a ticket that waited on the customer (a pause) and then ran past
// its deadline (a breach).
func ExamplePolicySet_Evaluate() {
	set, err := sla.ParsePolicySet([]byte(supportPolicy), exampleEnv())
	if err != nil {
		panic(err)
	}
	cn, _ := time.LoadLocation("Asia/Shanghai")
	at := func(day, h, m int) time.Time { return time.Date(2024, 3, day, h, m, 0, 0, cn) } // March 4 is a Monday
	timeline := []sla.Entry{
		{At: at(4, 10, 0), Kind: sla.EntryState, State: "received"},
		{At: at(4, 15, 0), Kind: sla.EntryState, State: "waiting_customer"},
		{At: at(5, 10, 0), Kind: sla.EntryState, State: "in_progress"},
	}
	ticket := sla.Attributes{Kind: "complaint", Priority: "P1"}

	r, err := set.Evaluate(ticket, timeline, at(5, 11, 0), sla.Options{})
	if err != nil {
		panic(err)
	}
	m := r.Metrics[0]
	fmt.Println("Tuesday 11:00:", r.Policy, m.Name, m.Status, "elapsed", m.Elapsed, "remaining", m.Remaining)
	fmt.Println("  deadline", m.Deadline.Format("Mon 15:04"), "next check", r.NextChange.Format("Mon 15:04"))

	r, err = set.Evaluate(ticket, timeline, at(6, 9, 30), sla.Options{})
	if err != nil {
		panic(err)
	}
	m = r.Metrics[0]
	fmt.Println("Wednesday 09:30:", m.Status, "at", m.BreachedAt.Format("Mon 15:04"), "late", m.Late)
	for _, e := range r.Audit {
		line := "  " + e.At.Format("Mon 15:04") + " " + e.Type.String()
		if e.Detail != "" {
			line += " " + e.Detail
		}
		fmt.Println(line)
	}
	// Output:
	// Tuesday 11:00: support resolution running elapsed 5h0m0s remaining 3h0m0s
	//   deadline Tue 15:00 next check Tue 12:00
	// Wednesday 09:30: breached at Tue 15:00 late 18h30m0s
	//   Mon 10:00 applied
	//   Mon 15:00 paused waiting_customer
	//   Tue 10:00 resumed
	//   Tue 12:00 warned three_quarters
	//   Tue 15:00 breached
	//   Tue 15:00 escalated team_lead
}

// The presets are ordinary policy documents reproducing the source
// documents' tables.
func ExamplePreset() {
	env := exampleEnv()
	env.DefaultCalendar = "office" // count the presets' working days on our calendar
	set, err := sla.Preset("complaint-grading", env)
	if err != nil {
		panic(err)
	}
	cn, _ := time.LoadLocation("Asia/Shanghai")
	opened := time.Date(2024, 3, 4, 9, 0, 0, 0, cn)
	timeline := []sla.Entry{{At: opened, Kind: sla.EntryState, State: "received"}}
	for _, t := range []sla.Attributes{
		{Kind: "complaint", Priority: "P0"},
		{Kind: "complaint", Priority: "P1"},
		{Kind: "complaint", Priority: "P2"},
		{Kind: "suggestion"},
	} {
		r, err := set.Evaluate(t, timeline, opened, sla.Options{})
		if err != nil {
			panic(err)
		}
		fmt.Printf("%-20s", r.Policy)
		for _, m := range r.Metrics {
			if m.Status == sla.Running {
				fmt.Printf(" %s due %s;", m.Name, m.Deadline.Format("Mon Jan 2 15:04"))
			}
		}
		fmt.Println()
	}
	// Output:
	// complaint-emergency  first_response due Mon Mar 4 10:00;
	// complaint-high       first_response due Mon Mar 4 13:00; hourly_update due Mon Mar 4 10:00;
	// complaint-normal     first_response due Tue Mar 5 09:00;
	// suggestion           first_response due Mon Mar 11 18:00;
}
