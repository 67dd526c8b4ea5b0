package risk_test

import (
	"fmt"
	"time"

	"github.com/closeloop/closeloop/feedback"
	"github.com/closeloop/closeloop/metrics"
	"github.com/closeloop/closeloop/risk"
	"github.com/closeloop/closeloop/sla"
)

// A P1 product fault, 30 hours into its 48-hour first-response target
// (after-sales policy of the preset rules): how likely is it to breach?
// The history has only 13 product faults, too few, so the model falls back
// to every P1 ticket, whose first responses took 6 to 66 hours, evenly
// spread: of those still unanswered after 30 hours, half took longer than
// 48. (241 rather than 240 lasted longer than 30 hours: durations are read
// from the KPI sketch, within its 1 % relative accuracy, and 29h55m is
// within 1 % of 30 hours.)
func ExampleModel_Risk() {
	// History: finished tickets as KPI records, grouped by priority and
	// category, with its rollup to priority alone as the fallback level.
	agg, err := metrics.New(metrics.Config{GroupBy: []metrics.Dimension{metrics.DimPriority, metrics.DimCategory}})
	if err != nil {
		panic(err)
	}
	acc := agg.NewAccumulator()
	received := time.Date(2024, 1, 1, 9, 0, 0, 0, time.UTC)
	for i := range 400 {
		category := "billing"
		if i%33 == 0 {
			category = "product_fault"
		}
		fr := 6*time.Hour + time.Duration(i)*(60*time.Hour/399)
		acc.Add(&metrics.Record{Priority: "P1", Category: category, Received: received, FirstResponse: received.Add(fr)})
	}
	model, err := risk.FromAccumulator(risk.Config{}, acc,
		[]metrics.Dimension{metrics.DimPriority, metrics.DimCategory}, []metrics.Dimension{metrics.DimPriority})
	if err != nil {
		panic(err)
	}
	fmt.Println("levels:", model.Levels())

	// The open ticket and its SLA report, 30 hours after it was opened.
	rules, err := feedback.PresetRules()
	if err != nil {
		panic(err)
	}
	at := time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC)
	ticket, _, err := rules.Open(feedback.Opening{ID: "F20240301001", At: at, Actor: "agent-7", Customer: "C1001", Channel: "phone", Category: "product_fault"})
	if err != nil {
		panic(err)
	}
	if _, err := rules.Fire(ticket, feedback.Change{
		Trigger: feedback.TriggerTriage, Version: ticket.Version, At: at.Add(20 * time.Minute), Actor: "agent-7",
		Payload: feedback.Payload{PriorityInput: &feedback.PriorityInput{Affected: 500, Urgency: 3, Severity: 2}},
	}); err != nil {
		panic(err)
	}
	report, err := rules.SLA(ticket, at.Add(30*time.Hour))
	if err != nil {
		panic(err)
	}
	facts := metrics.RecordFromTicket(ticket, report, nil)

	risks, err := model.Risk(&facts, report)
	if err != nil {
		panic(err)
	}
	for _, r := range risks {
		if r.Status == sla.Running {
			fmt.Println(r.Explain())
		}
	}
	// Output:
	// levels: [priority / category priority all tickets]
	// first_response 50% (priority P1 / category product_fault: 13 tickets < 30; fell back to priority P1: 241 of 400 lasted longer than 30h0m0s, 120 of those longer than 48h0m0s)
}

// A queue of three tickets ranked by breach risk: the breached one first,
// then the likelier breach; of equal probabilities the nearer deadline
// first. The fourth ticket's clock has met its target and is left out.
func ExampleRank() {
	now := time.Date(2024, 3, 4, 12, 0, 0, 0, time.UTC)
	queue := []risk.Item{
		{Ticket: "T1", Risks: []risk.MetricRisk{
			{Metric: "first_response", Basis: risk.NoRisk, Status: sla.Met},
			{Metric: "resolution", Basis: risk.Estimated, Probability: 0.35, Deadline: now.Add(6 * time.Hour)},
		}},
		{Ticket: "T2", Risks: []risk.MetricRisk{{Metric: "resolution", Basis: risk.Estimated, Probability: 0.35, Deadline: now.Add(2 * time.Hour)}}},
		{Ticket: "T3", Risks: []risk.MetricRisk{{Metric: "first_response", Basis: risk.Certain, Probability: 1, Deadline: now.Add(-time.Hour)}}},
		{Ticket: "T4", Risks: []risk.MetricRisk{{Metric: "first_response", Basis: risk.NoRisk, Status: sla.Met}}},
		{Ticket: "T5", Risks: []risk.MetricRisk{{Metric: "resolution", Basis: risk.Estimated, Probability: 0.8, Deadline: now.Add(9 * time.Hour)}}},
	}
	for i, r := range risk.Rank(queue) {
		fmt.Printf("%d. %s %s %.0f%% due %s\n", i+1, r.Ticket, r.Risk.Metric, 100*r.Risk.Probability, r.Risk.Deadline.Format("15:04"))
	}
	// Output:
	// 1. T3 first_response 100% due 11:00
	// 2. T5 resolution 80% due 21:00
	// 3. T2 resolution 35% due 14:00
	// 4. T1 resolution 35% due 18:00
}
