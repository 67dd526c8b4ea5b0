package metrics

import (
	"iter"
	"math"
	"time"
)

// Steps yields the sample a DurationStats represents as a step function:
// each distinct value, ascending, with the number of durations at or below
// it (the last count is N). The value at rank k (0-based, of N) is what
// Quantile returns for any q with ⌊q·(N−1)⌋ = k: the exact Min at rank 0,
// the exact Max at rank N−1, in between the sketch's value for the bin
// holding that rank, clamped to [Min, Max]. So the fraction of durations
// ≤ d — the empirical CDF that Quantile inverts — is the count of the last
// value ≤ d divided by N. Steps visits each bin of the sketch once (no
// Quantile call); it yields nothing without data.
func (d DurationStats) Steps() iter.Seq2[time.Duration, int64] {
	return func(yield func(time.Duration, int64) bool) {
		n := d.N
		if n <= 0 {
			return
		}
		var (
			cur     time.Duration
			upto    int64 // ranks [0, upto) are yielded or held in cur
			held    bool
			stopped bool
		)
		// emit gives the next c ranks the value v, merging equal values.
		emit := func(v time.Duration, c int64) {
			if c <= 0 || stopped {
				return
			}
			if held && v != cur && !yield(cur, upto) {
				stopped = true
				return
			}
			cur, held = v, true
			upto += c
		}
		clamp := func(v time.Duration) time.Duration { return min(max(v, d.Min), d.Max) }
		emit(d.Min, 1) // rank 0
		next, last := int64(1), n-1
		fill := d.Min // what Quantile returns for ranks past the sketch's counts
		if s := d.sketch; s != nil {
			fill = 0
			start := int64(0)
			run := func(v time.Duration, c int64) {
				lo, hi := max(start, next), min(start+c, last)
				if hi > lo {
					emit(clamp(v), hi-lo)
					next = hi
				}
				start += c
			}
			run(0, s.zero)
			for i, c := range s.bins.cnt {
				if next >= last || stopped {
					break
				}
				run(time.Duration(math.Round(s.mapping.Value(int(s.bins.idx[i]))*1e9)), int64(c))
			}
			if k := len(s.bins.idx); k > 0 {
				fill = time.Duration(math.Round(s.mapping.Value(int(s.bins.idx[k-1])) * 1e9))
			}
		}
		if next < last {
			emit(clamp(fill), last-next)
		}
		if n > 1 {
			emit(d.Max, 1) // rank N−1
		}
		if held && !stopped {
			yield(cur, upto)
		}
	}
}
