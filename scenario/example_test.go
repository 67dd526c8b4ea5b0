package scenario_test

import (
	"fmt"
	"time"

	"github.com/closeloop/closeloop/scenario"
)

// A scenario file tests document 001's normal grade (respond within 24
// hours); the second run replaces the policy with a proposal (12 hours) and
// shows what the change breaks.
func Example() {
	s, err := scenario.Parse([]byte(`{
	  "name": "normal complaint answered the next morning",
	  "time_zone": "Asia/Shanghai",
	  "rules": {"preset": "documents", "sla_preset": "complaint-grading"},
	  "ticket": {"id": "N1", "at": "2024-03-01 17:00", "attributes": {"kind": "complaint"}},
	  "steps": [
	    {"at": "2024-03-01 17:30", "trigger": "triage", "payload": {"priority": "P2"}},
	    {"at": "2024-03-01 17:35", "trigger": "assign", "payload": {"team": "frontline"}},
	    {"at": "2024-03-02 10:00", "trigger": "respond", "payload": {"note": "written solution"}}
	  ],
	  "expect": {
	    "policy": "complaint-normal",
	    "metrics": {"first_response": {"status": "met", "target": "24h elapsed", "deadline": "2024-03-02 17:00"}}
	  }
	}`))
	if err != nil {
		panic(err)
	}
	res, err := scenario.Run(s)
	if err != nil {
		panic(err)
	}
	fmt.Println(res)

	s.Rules.Replace = []byte(`{"sla": {"policies": [{"name": "complaint-normal", "version": 2,
	  "when": {"all": [{"field": "kind", "op": "eq", "value": "complaint"}]},
	  "metrics": [{"kind": "first_response", "targets": {"*": {"unit": "elapsed", "duration": "12h"}}}]}]}}`)
	if res, err = scenario.Run(s); err != nil {
		panic(err)
	}
	fmt.Println(res)
	// Output:
	// scenario "normal complaint answered the next morning": ok
	// scenario "normal complaint answered the next morning": 3 mismatch(es)
	//   $.expect.metrics.first_response.status (at 2024-03-02 10:00 Sat, first_response)
	//       want: met
	//       got:  breached
	//   $.expect.metrics.first_response.target (at 2024-03-02 10:00 Sat, first_response)
	//       want: 24h elapsed
	//       got:  12h elapsed
	//   $.expect.metrics.first_response.deadline (at 2024-03-02 10:00 Sat, first_response)
	//       want: 2024-03-02 17:00 Sat
	//       got:  2024-03-02 05:00 Sat
}

// Load reads a shipped scenario file (document 002's second row) and the run
// returns the ticket and its SLA report for further checks.
func ExampleLoad() {
	s, err := scenario.Load("testdata/doc002-F20240301002-installation-p2.json")
	if err != nil {
		panic(err)
	}
	res, err := scenario.Run(s)
	if err != nil {
		panic(err)
	}
	fmt.Println(res.OK(), len(s.Steps), "steps,", len(s.Checkpoints), "checkpoints")
	fmt.Println(res.Ticket.ID, res.Ticket.Category, res.Ticket.Priority, res.Ticket.Team, res.Ticket.State)
	m, _ := res.Report.Metric("follow_up")
	shanghai, err := time.LoadLocation(s.TimeZone)
	if err != nil {
		panic(err)
	}
	fmt.Println(res.Report.Policy, m.Name, m.Status, "due", m.Deadline.In(shanghai).Format("2006-01-02 15:04"))
	// Output:
	// true 8 steps, 2 checkpoints
	// F20240301002 service_experience P2 service_supervisor closed
	// after-sales follow_up met due 2024-03-07 17:00
}
