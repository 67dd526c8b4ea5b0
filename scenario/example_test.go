package scenario_test

import (
	"fmt"

	"github.com/closeloop/closeloop/scenario"
)

// A scenario file tests document 001's normal grade (respond within 24
// hours); the second run replaces the policy with a proposal (12 hours) and
// shows what the change breaks.
func Example() {
	s, err := scenario.Parse([]byte(`{
	  "name": "normal complaint answered the next morning",
	  "time_zone": "Asia/Shanghai",
	  "rules": {"preset": "documents", "sla_preset": "complaint"},
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
