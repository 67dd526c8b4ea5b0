package risk

import (
	"cmp"
	"slices"
)

// Item is one ticket of a queue with the risks of its clocks (from
// Model.Risk).
type Item struct {
	Ticket string       `json:"ticket"`
	Risks  []MetricRisk `json:"risks"`
}

// Ranked is one ticket of the at-risk list with the clock that puts it there.
type Ranked struct {
	Ticket string     `json:"ticket"`
	Risk   MetricRisk `json:"risk"`
}

// Rank orders a queue by breach risk: each ticket with a clock that has
// breached or can breach appears once, with its riskiest clock; tickets
// whose clocks cannot breach (all met, cancelled, pending or without
// target) are left out. The order:
//
//  1. tickets with a probability (Basis Estimated or Certain) first, highest
//     probability first — breached clocks (1) at the top;
//  2. ties by the nearer deadline (for breached clocks the earlier breach;
//     a zero deadline last);
//  3. then by ticket and metric name, so the order is total.
//
// Tickets whose riskiest clock has no estimate (NoDistribution,
// BeyondHistory) follow all others, nearest deadline first. A ticket's
// riskiest clock is chosen by the same order (then by metric name). The host cuts the list where
// it likes (a probability threshold, the first n). Rank is pure: items are
// not modified and the result shares only their MetricRisk.Passed slices.
func Rank(items []Item) []Ranked {
	n := 0
	for i := range items {
		for j := range items[i].Risks {
			if items[i].Risks[j].Basis.canBreach() {
				n++
				break
			}
		}
	}
	// Sort the riskiest clock of each ticket by reference, then copy once.
	type entry struct {
		ticket string
		risk   *MetricRisk
	}
	order := make([]entry, 0, n)
	for i := range items {
		it := &items[i]
		var best *MetricRisk
		for j := range it.Risks {
			r := &it.Risks[j]
			if !r.Basis.canBreach() {
				continue
			}
			if best == nil {
				best = r
				continue
			}
			if c := compareRisk(r, best); c < 0 || c == 0 && r.Metric < best.Metric {
				best = r
			}
		}
		if best != nil {
			order = append(order, entry{it.Ticket, best})
		}
	}
	slices.SortFunc(order, func(a, b entry) int {
		if c := compareRisk(a.risk, b.risk); c != 0 {
			return c
		}
		if c := cmp.Compare(a.ticket, b.ticket); c != 0 {
			return c
		}
		return cmp.Compare(a.risk.Metric, b.risk.Metric)
	})
	out := make([]Ranked, len(order))
	for i, e := range order {
		out[i] = Ranked{Ticket: e.ticket, Risk: *e.risk}
	}
	return out
}

// compareRisk orders a before b (negative) when a is the riskier clock:
// known before unknown, higher probability, nearer deadline (zero last).
func compareRisk(a, b *MetricRisk) int {
	ka, kb := a.Basis.Known(), b.Basis.Known()
	switch {
	case ka && !kb:
		return -1
	case kb && !ka:
		return 1
	}
	if c := cmp.Compare(b.Probability, a.Probability); c != 0 {
		return c
	}
	za, zb := a.Deadline.IsZero(), b.Deadline.IsZero()
	switch {
	case za && zb:
		return 0
	case za:
		return 1
	case zb:
		return -1
	}
	return a.Deadline.Compare(b.Deadline)
}
