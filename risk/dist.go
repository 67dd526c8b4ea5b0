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

// newDist reads s's sample through its exported Quantile: the value at rank
// k of N is Quantile((k+½)/(N−1)) (the half keeps the rank q·(N−1) clear of
// the integer boundary where rounding could fall to k−1); rank 0 is the
// exact Min and rank N−1 the exact Max. Values are nondecreasing in the
// rank, so each distinct value covers one run of ranks, found by an
// exponential then binary search: O(B·log(N/B)) Quantile calls for B
// distinct values, each a scan of the sketch's bins.
func newDist(s *metrics.DurationStats) dist {
	n := s.N
	if n <= 0 {
		return dist{}
	}
	at := func(k int64) time.Duration {
		switch {
		case k <= 0:
			return s.Min
		case k >= n-1:
			return s.Max
		}
		v, _ := s.Quantile((float64(k) + 0.5) / float64(n-1))
		return v
	}
	d := dist{n: n}
	for lo := int64(0); lo < n; {
		v := at(lo)
		good, bad := lo, n // at(good) == v; bad == n or at(bad) > v
		for step := int64(1); good+step < n; step *= 2 {
			if at(good+step) != v {
				bad = good + step
				break
			}
			good += step
		}
		for bad-good > 1 {
			mid := good + (bad-good)/2
			if at(mid) == v {
				good = mid
			} else {
				bad = mid
			}
		}
		d.vals = append(d.vals, v)
		d.le = append(d.le, good+1)
		lo = good + 1
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
