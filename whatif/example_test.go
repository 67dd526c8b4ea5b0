package whatif_test

import (
	"fmt"
	"os"
	"time"

	"github.com/closeloop/closeloop/sla"
	"github.com/closeloop/closeloop/whatif"
	"github.com/closeloop/closeloop/whatif/whatiftest"
)

// ExampleReplay runs the worked example of the package documentation.
func ExampleReplay() {
	cfg, err := whatiftest.SampleConfig()
	if err != nil {
		panic(err)
	}
	replay, err := whatif.New(cfg)
	if err != nil {
		panic(err)
	}
	cst := time.FixedZone("CST", 8*3600)
	at := func(day, hour int) time.Time { return time.Date(2024, 3, day, hour, 0, 0, 0, cst) }
	history := func(id, prio string, from, to time.Time) *whatif.Ticket {
		return &whatif.Ticket{
			ID:         id,
			Attributes: sla.Attributes{Kind: "complaint", Priority: prio},
			Timeline: []sla.Entry{
				{At: from, Kind: sla.EntryState, State: "received"},
				{At: from, Kind: sla.EntryEvent, Event: sla.EventResponded},
				{At: to, Kind: sla.EntryState, State: "resolved"},
			},
		}
	}
	acc := replay.NewAccumulator()
	for _, t := range []*whatif.Ticket{
		history("T1", "P1", at(4, 9), at(5, 17)),
		history("T2", "P2", at(4, 10), at(8, 15)),
	} {
		o := replay.Evaluate(t)
		fmt.Printf("%s %s: current %s (%s to deadline), proposed %s (%s)\n", t.ID, o.Priority,
			o.Current.Verdict, o.Current.TimeToDeadline, o.Proposed.Verdict, o.Proposed.TimeToDeadline)
		acc.Add(t)
	}
	res := acc.Result()
	p1 := res.Find("P1")
	fmt.Printf("P1 breach rate %s → %s (%+.0f points), time to deadline %s\n",
		p1.Current.BreachRate, p1.Proposed.BreachRate, p1.BreachRatePoints, p1.TimeToDeadline)
	if err := whatif.WriteText(os.Stdout, res); err != nil {
		panic(err)
	}
	// Output:
	// T1 P1: current met (33h0m0s to deadline), proposed breached (9h0m0s)
	// T2 P2: current met (176h0m0s to deadline), proposed breached (80h0m0s)
	// P1 breach rate 0.0 % (0/1) → 100.0 % (1/1) (+100 points), time to deadline -24h0m0s
	//   priority  tickets  breach current  breach proposed  Δ points  to deadline current  to deadline proposed        Δ  cost current  cost proposed    Δ cost
	//         P1        1           0.0 %          100.0 %     100.0               33.0 h                 9.0 h  -24.0 h      0.00 CNY       0.00 CNY  0.00 CNY
	//         P2        1           0.0 %          100.0 %     100.0              176.0 h                80.0 h  -96.0 h      0.00 CNY       0.00 CNY  0.00 CNY
	//      total        2           0.0 %          100.0 %     100.0              104.5 h                44.5 h  -60.0 h      0.00 CNY       0.00 CNY  0.00 CNY
}
