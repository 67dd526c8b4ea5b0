package risk

import (
	"time"

	"github.com/closeloop/closeloop/metrics"
)

// dist is one historical duration distribution read out of a
// metrics.DurationStats once, at build time: the sample its sketch
// represents, as a step function. vals are the distinct values of the
// sample (each the sketch's value at some rank, within its relative
// accuracy), ascending; le[i] is the number of sample values ≤ vals[i].
type dist struct {
	n    int64
	vals []time.Duration
	le   []int64
}

// newDist reads s's sample through metrics.DurationStats.Steps: the value
// at each rank as Quantile gives it, one visit per sketch bin.
func newDist(s *metrics.DurationStats) dist {
	d := dist{n: max(s.N, 0)}
	for v, upto := range s.Steps() {
		d.vals = append(d.vals, v)
		d.le = append(d.le, upto)
	}
	return d
}

// longer returns the number of sample values strictly greater than x.
func (d *dist) longer(x time.Duration) int64 {
	lo, hi := 0, len(d.vals) // first index with vals[i] > x lies in [lo, hi]
	for lo < hi {
		mid := int(uint(lo+hi) >> 1)
		if d.vals[mid] > x {
			hi = mid
		} else {
			lo = mid + 1
		}
	}
	if lo == 0 {
		return d.n
	}
	return d.n - d.le[lo-1]
}
