package metrics

import (
	"fmt"
	"slices"
	"time"
)

// periodNests reports whether every period of kind fine lies inside one
// period of kind coarse.
func periodNests(fine, coarse Period) bool {
	switch {
	case coarse == PeriodNone || fine == coarse:
		return true
	case fine == PeriodDay:
		return true
	case fine == PeriodMonth:
		return coarse == PeriodQuarter
	}
	return false
}

// Rollup re-groups acc's state by a subset of its dimensions (in any
// order) and by the same or a coarser period (days roll up into weeks,
// months and quarters, months into quarters, anything into no period;
// weeks do not split across months). The result is exactly what
// accumulating the same records under the coarser configuration gives, so
// one pass at the finest grouping serves every drill-down. acc is
// unchanged.
func (acc *Accumulator) Rollup(groupBy []Dimension, period Period) (*Accumulator, error) {
	old := acc.agg.cfg
	pos := make([]int, len(groupBy))
	for i, d := range groupBy {
		pos[i] = slices.Index(old.GroupBy, d)
		if pos[i] < 0 {
			return nil, fmt.Errorf("%w: rollup dimension %s is not grouped by", ErrConfig, d)
		}
	}
	if !periodNests(old.Period, period) {
		return nil, fmt.Errorf("%w: %s periods do not roll up into %s", ErrConfig, old.Period, period)
	}
	cfg := old.clone()
	cfg.GroupBy, cfg.Period = slices.Clone(groupBy), period
	na, err := New(cfg)
	if err != nil {
		return nil, err
	}
	out := na.NewAccumulator()
	for i, k := range acc.keys {
		var nk groupKey
		for j, p := range pos {
			nk.ids[j] = out.strs.id(acc.strs.vals[k.ids[p]])
		}
		switch {
		case period == PeriodNone:
		case period == old.Period:
			nk.period = k.period
		default:
			nk.period = period.Start(time.Unix(k.period, 0), cfg.Location).Unix()
		}
		gi := out.index.find(&nk, out.keys)
		if gi < 0 {
			gi = out.newGroup(nk)
		}
		out.groups[gi].merge(&acc.groups[i])
	}
	// Every rolled-up sum is a partial sum of acc's, so none overflows.
	out.recomputeTotals()
	out.invalid = acc.invalid
	return out, nil
}
