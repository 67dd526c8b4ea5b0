package risk

import (
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
)

func TestRank(t *testing.T) {
	now := time.Date(2024, 3, 4, 12, 0, 0, 0, time.UTC)
	at := func(h int) time.Time { return now.Add(time.Duration(h) * time.Hour) }
	est := func(metric string, p float64, deadline time.Time) MetricRisk {
		return MetricRisk{Metric: metric, Basis: Estimated, Probability: p, Deadline: deadline}
	}
	type row struct {
		ticket, metric string
	}
	tests := []struct {
		name  string
		items []Item
		want  []row
	}{
		{name: "empty", items: nil, want: nil},
		{name: "by probability", items: []Item{
			{Ticket: "A", Risks: []MetricRisk{est("resolution", 0.2, at(1))}},
			{Ticket: "B", Risks: []MetricRisk{est("resolution", 0.9, at(9))}},
			{Ticket: "C", Risks: []MetricRisk{est("resolution", 0.5, at(5))}},
		}, want: []row{{"B", "resolution"}, {"C", "resolution"}, {"A", "resolution"}}},
		{name: "ties by the nearer deadline, zero last, then ticket", items: []Item{
			{Ticket: "A", Risks: []MetricRisk{est("resolution", 0.5, time.Time{})}},
			{Ticket: "B", Risks: []MetricRisk{est("resolution", 0.5, at(3))}},
			{Ticket: "C", Risks: []MetricRisk{est("resolution", 0.5, at(2))}},
			{Ticket: "E", Risks: []MetricRisk{est("resolution", 0.5, at(3))}},
			{Ticket: "D", Risks: []MetricRisk{est("resolution", 0.5, at(3))}},
		}, want: []row{{"C", "resolution"}, {"B", "resolution"}, {"D", "resolution"}, {"E", "resolution"}, {"A", "resolution"}}},
		{name: "breached first, the earlier breach first", items: []Item{
			{Ticket: "A", Risks: []MetricRisk{est("resolution", 0.99, at(1))}},
			{Ticket: "B", Risks: []MetricRisk{{Metric: "first_response", Basis: Certain, Probability: 1, Deadline: at(-1)}}},
			{Ticket: "C", Risks: []MetricRisk{{Metric: "first_response", Basis: Certain, Probability: 1, Deadline: at(-3)}}},
		}, want: []row{{"C", "first_response"}, {"B", "first_response"}, {"A", "resolution"}}},
		{name: "a ticket once, with its riskiest clock", items: []Item{
			{Ticket: "A", Risks: []MetricRisk{est("first_response", 0.3, at(1)), est("resolution", 0.6, at(8)), est("update", 0.6, at(4))}},
			{Ticket: "B", Risks: []MetricRisk{est("resolution", 0.4, at(2))}},
		}, want: []row{{"A", "update"}, {"B", "resolution"}}},
		{name: "clocks that cannot breach are left out", items: []Item{
			{Ticket: "A", Risks: []MetricRisk{{Metric: "first_response", Basis: NoRisk, Status: 4}}},
			{Ticket: "B", Risks: []MetricRisk{{Metric: "resolution", Basis: NotStarted}}},
			{Ticket: "C", Risks: nil},
			{Ticket: "D", Risks: []MetricRisk{{Metric: "first_response", Basis: NoRisk}, est("resolution", 0, at(5))}},
		}, want: []row{{"D", "resolution"}}},
		{name: "no estimate after every estimate, nearest deadline first", items: []Item{
			{Ticket: "A", Risks: []MetricRisk{{Metric: "follow_up", Basis: NoDistribution, Deadline: at(9)}}},
			{Ticket: "B", Risks: []MetricRisk{{Metric: "resolution", Basis: BeyondHistory, Deadline: at(2)}}},
			{Ticket: "C", Risks: []MetricRisk{est("resolution", 0.01, at(30))}},
			{Ticket: "D", Risks: []MetricRisk{{Metric: "follow_up", Basis: NoDistribution, Deadline: at(1)}, est("resolution", 0.02, at(40))}},
		}, want: []row{{"D", "resolution"}, {"C", "resolution"}, {"B", "resolution"}, {"A", "follow_up"}}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			before := slices.Clone(tt.items)
			for i := range before {
				before[i].Risks = slices.Clone(before[i].Risks)
			}
			got := Rank(tt.items)
			var rows []row
			for _, r := range got {
				rows = append(rows, row{r.Ticket, r.Risk.Metric})
			}
			assert.Equal(t, tt.want, rows)
			assert.Equal(t, before, tt.items, "items unchanged")
			// The order does not depend on the order of the queue.
			rev := slices.Clone(tt.items)
			slices.Reverse(rev)
			assert.Equal(t, got, Rank(rev))
		})
	}
}
