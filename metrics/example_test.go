package metrics_test

import (
	"fmt"
	"os"
	"time"

	"github.com/closeloop/closeloop/metrics"
	"github.com/closeloop/closeloop/metrics/metricstest"
)

var day = time.Date(2024, 3, 4, 9, 0, 0, 0, time.UTC)

// Aggregate a few tickets by channel and read the figures.
func Example() {
	agg, err := metrics.New(metrics.Config{GroupBy: []metrics.Dimension{metrics.DimChannel}})
	if err != nil {
		panic(err)
	}
	acc := agg.NewAccumulator()
	for _, r := range []metrics.Record{
		{Channel: "phone", Received: day, FirstResponse: day.Add(30 * time.Minute), CSAT: 5,
			SLA: [metrics.MaxSLAMetrics]metrics.SLAStatus{metrics.SLAMet}},
		{Channel: "phone", Received: day, FirstResponse: day.Add(90 * time.Minute), CSAT: 3,
			SLA: [metrics.MaxSLAMetrics]metrics.SLAStatus{metrics.SLABreached}},
		{Channel: "app", Received: day, NPS: 10, NPSAnswered: true},
	} {
		acc.Add(&r)
	}
	res := acc.Result()
	for _, g := range res.Groups {
		fmt.Printf("%s: tickets %d, CSAT %s, NPS %s, first response %s, SLA %s\n", g.KeyString(), g.Tickets,
			g.CSAT, g.NPS, g.FirstResponseElapsed.Mean, g.SLA[0].Achievement)
	}
	// Output:
	// app: tickets 1, CSAT no data, NPS 100.0, first response 0s, SLA no data
	// phone: tickets 2, CSAT 50.0 % (1/2), NPS no data, first response 1h0m0s, SLA 50.0 % (1/2)
}

// Shards accumulate separately, travel as bytes, and merge exactly.
func ExampleAccumulator_Merge() {
	agg, _ := metrics.New(metrics.Config{GroupBy: []metrics.Dimension{metrics.DimPriority}})
	recs := metricstest.Generate(1, day, 10000)
	whole := agg.NewAccumulator()
	shards := []*metrics.Accumulator{agg.NewAccumulator(), agg.NewAccumulator(), agg.NewAccumulator()}
	for i := range recs {
		whole.Add(&recs[i])
		shards[i%3].Add(&recs[i])
	}
	merged := agg.NewAccumulator()
	for _, s := range shards {
		b, _ := s.MarshalBinary() // e.g. a distributed engine's coder
		back, err := agg.Decode(b)
		if err != nil {
			panic(err)
		}
		if err := merged.Merge(back); err != nil {
			panic(err)
		}
	}
	a, b := whole.Result().Total, merged.Result().Total
	p90a, _ := a.ResolutionElapsed.Quantile(0.9)
	p90b, _ := b.ResolutionElapsed.Quantile(0.9)
	fmt.Println(a.Tickets == b.Tickets, a.CSAT == b.CSAT, a.ResolutionElapsed.Mean == b.ResolutionElapsed.Mean, p90a == p90b)
	// Output: true true true true
}

// "Exactly on the deadline" counts as met.
func ExampleSLAStatusAt() {
	deadline := day.Add(4 * time.Hour)
	fmt.Println(metrics.SLAStatusAt(deadline, deadline, day.Add(8*time.Hour)))
	fmt.Println(metrics.SLAStatusAt(deadline, time.Time{}, deadline.Add(time.Second)))
	// Output:
	// met
	// open_breached
}

// Categories in the monthly top 2 for at least 3 consecutive months.
func ExampleResult_PersistentTop() {
	agg, _ := metrics.New(metrics.Config{GroupBy: []metrics.Dimension{metrics.DimCategory}, Period: metrics.PeriodMonth})
	acc := agg.NewAccumulator()
	for cat, perMonth := range map[string][]int{"refund": {5, 6, 7, 2}, "login": {4, 1, 5, 6}, "crash": {1, 5, 6, 7}} {
		for m, n := range perMonth {
			for range n {
				acc.Add(&metrics.Record{Category: cat, Received: time.Date(2024, time.Month(m+1), 3, 0, 0, 0, 0, time.UTC)})
			}
		}
	}
	for _, s := range acc.Result().PersistentTop(2, 3, metrics.FigureTickets) {
		fmt.Println(s.Key[0], s.From, "→", s.To, s.Periods, "months, current:", s.Current)
	}
	// Output:
	// crash 2024-02 → 2024-04 3 months, current: true
	// refund 2024-01 → 2024-03 3 months, current: false
}

// Flag branches whose satisfaction is significantly below the others.
func ExampleCompareUnits() {
	units := []metrics.Unit{
		{Name: "beijing", Sample: metrics.Sample{N: 400, Mean: 4.31, Var: 0.64}},
		{Name: "shanghai", Sample: metrics.Sample{N: 380, Mean: 4.28, Var: 0.70}},
		{Name: "shenzhen", Sample: metrics.Sample{N: 420, Mean: 4.35, Var: 0.60}},
		{Name: "chengdu", Sample: metrics.Sample{N: 150, Mean: 3.95, Var: 0.90}},
	}
	for _, c := range metrics.CompareUnits(units, 0.05, metrics.Holm) {
		fmt.Printf("%-8s z=%+.2f p(adj)=%.4f below=%v\n", c.Name, c.Z, c.PAdjusted, c.Below)
	}
	// Output:
	// beijing  z=+0.48 p(adj)=1.0000 below=false
	// shanghai z=+0.31 p(adj)=1.0000 below=false
	// shenzhen z=+0.69 p(adj)=1.0000 below=false
	// chengdu  z=-1.48 p(adj)=0.0000 below=true
}

// Co-occurring problem tags.
func ExampleApriori() {
	tags := [][]string{{"refund", "delay"}, {"refund", "delay"}, {"delay"}, {"crash", "update"}, {"crash"}, {"refund", "delay", "rude"}}
	_, rules := metrics.Apriori(tags, 0.3, 0.7, 0)
	for _, r := range rules {
		fmt.Println(r)
	}
	// Output:
	// {refund} ⇒ {delay} support 0.500 confidence 1.000 lift 1.50
	// {delay} ⇒ {refund} support 0.500 confidence 0.750 lift 1.50
}

// Forecast next week's daily volume and report the error on the two held-out weeks.
func ExampleHoltWinters() {
	agg, _ := metrics.New(metrics.Config{Period: metrics.PeriodDay})
	acc := agg.NewAccumulator()
	g := metricstest.NewGenerator(7, time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC))
	var r metrics.Record
	for range 200000 {
		g.Next(&r)
		acc.Add(&r)
	}
	var daily []float64
	for _, p := range acc.Result().Trends(metrics.FigureTickets)[0].Points {
		daily = append(daily, p.Value)
	}
	daily = daily[:len(daily)-1] // the last day is incomplete
	f, err := metrics.HoltWinters(daily, 7, 14, 7)
	if err != nil {
		panic(err)
	}
	fmt.Printf("%d days; held-out MAPE below 10 %%: %v; beats seasonal naive: %v; next week forecast: %d values\n",
		len(daily), f.MAPE < 10, f.MAE <= f.NaiveMAE*1.2, len(f.Next))
	// Output: 66 days; held-out MAPE below 10 %: true; beats seasonal naive: true; next week forecast: 7 values
}

// Type × channel × 6-hour slot, ready for a heat map.
func ExampleNewCrossTab() {
	ct, _ := metrics.NewCrossTab(metrics.DimKind, metrics.DimChannel, 6, time.UTC)
	for _, r := range []metrics.Record{
		{Kind: "complaint", Channel: "phone", Received: day.Add(11 * time.Hour)},
		{Kind: "complaint", Channel: "phone", Received: day.Add(12 * time.Hour)},
		{Kind: "inquiry", Channel: "app", Received: day},
	} {
		ct.Add(&r)
	}
	for _, c := range ct.Result().Flat() {
		fmt.Println(c.Row, c.Col, c.Slot, c.Count)
	}
	// Output:
	// complaint phone 18–24 2
	// inquiry app 06–12 1
}

// A Markdown report.
func ExampleWriteMarkdown() {
	agg, _ := metrics.New(metrics.Config{SLAMetrics: []string{"first_response"}})
	acc := agg.NewAccumulator()
	acc.Add(&metrics.Record{Priority: "P1", Received: day, FirstResponse: day.Add(time.Hour), CSAT: 4,
		SLA: [metrics.MaxSLAMetrics]metrics.SLAStatus{metrics.SLAMet}})
	_ = metrics.WriteMarkdown(os.Stdout, acc.Result())
	// Output:
	// # Feedback KPI report
	//
	// ## Totals
	//
	// | figure | value |
	// |---|---:|
	// | tickets | 1 |
	// | complaints | 0 |
	// | CSAT (satisfied share) | 100.0 % (1/1) |
	// | mean satisfaction (1–5) | 4.00 |
	// | NPS | no data |
	// | CES (1–7) | no data |
	// | first-contact resolution | no data |
	// | closure rate | 0.0 % (0/1) |
	// | reopen rate | no data |
	// | repeat-feedback rate | no data |
	// | follow-up completion | no data |
	// | survey response rate | no data |
	// | first response (business) | no data |
	// | first response (elapsed) | mean 1h0m0s p50 1h0m0s p90 1h0m0s (n=1) |
	// | resolution (business) | no data |
	// | resolution (elapsed) | no data |
	// | SLA first_response achievement | 100.0 % (1/1) |
	// | SLA first_response open and breached | no data |
	//
	// ## SLA by priority
	//
	// | metric | priority | met | breached | achievement | open | open and breached | rate |
	// |---|---|---:|---:|---:|---:|---:|---:|
	// | first_response | P1 | 1 | 0 | 100.0 % | 0 | 0 | no data |
}

// A composite satisfaction index whose weights differ by channel.
func ExampleParseCompositeSpec() {
	rules, err := metrics.ParseCompositeSpec([]byte(`{
		"dimensions": ["attitude", "speed", "resolution"],
		"default":  {"attitude": 1, "speed": 1, "resolution": 2},
		"channels": {"phone": {"attitude": 2}}
	}`))
	if err != nil {
		panic(err)
	}
	agg, _ := metrics.New(metrics.Config{GroupBy: []metrics.Dimension{metrics.DimChannel}, Composite: rules})
	acc := agg.NewAccumulator()
	// attitude 5, speed 3, resolution 4 on both channels.
	for _, ch := range []string{"phone", "app"} {
		acc.Add(&metrics.Record{Channel: ch, SatDims: [metrics.MaxSatDims]uint8{5, 3, 4}})
	}
	for _, g := range acc.Result().Groups {
		idx, _ := g.Composite100()
		fmt.Printf("%s: %s (index %.1f / 100)\n", g.KeyString(), g.Composite, idx)
	}
	_, err = metrics.ParseCompositeSpec([]byte(`{"dimensions":["speed"],"default":{"sped":1}}`))
	fmt.Println(err)
	// Output:
	// app: 4.00 (index 75.0 / 100)
	// phone: 4.20 (index 80.0 / 100)
	// $.default.sped: unknown dimension "sped"
}

// Review goals: thresholds and changes against last quarter.
func ExampleEvaluateGoals() {
	lastQuarter := &metrics.Group{Tickets: 1000, Complaints: 200, CSAT: metrics.Ratio{Num: 700, Den: 900}}
	thisQuarter := &metrics.Group{Tickets: 1000, Complaints: 150, CSAT: metrics.Ratio{Num: 820, Den: 910}}
	for _, o := range metrics.EvaluateGoals(lastQuarter, thisQuarter, []metrics.Goal{
		{Name: "CSAT +15 %", Figure: metrics.FigureCSAT, Kind: metrics.GoalChange, Target: 15},
		{Name: "complaints −20 %", Figure: metrics.FigureComplaints, Kind: metrics.GoalChange, Target: -20},
		{Name: "satisfaction ≥ 90 %", Figure: metrics.FigureCSAT, Kind: metrics.GoalAtLeast, Target: 90},
	}) {
		fmt.Println(o)
	}
	// Output:
	// CSAT +15 %: 77.8 → 90.1 (+15.9 %), target 15: met
	// complaints −20 %: 200.0 → 150.0 (-25.0 %), target -20: met
	// satisfaction ≥ 90 %: 77.8 → 90.1 (+15.9 %), target 90: met
}

// Ticket volume by hour of week, in the office's time zone.
func ExampleNewHourOfWeek() {
	sh, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		panic(err)
	}
	h := metrics.NewHourOfWeek(sh)
	g := metricstest.NewGenerator(3, time.Date(2024, 1, 1, 0, 0, 0, 0, sh))
	var r metrics.Record
	for range 50000 {
		g.Next(&r)
		h.Add(&r)
	}
	share := h.Result().HourlyShare()
	peak := 0
	for hr := range share {
		if share[hr] > share[peak] {
			peak = hr
		}
	}
	fmt.Printf("busiest hour %02d:00, %.1f %% of the week's tickets\n", peak, 100*share[peak])
	// Output: busiest hour 19:00, 8.4 % of the week's tickets
}
