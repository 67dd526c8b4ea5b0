package metrics

import (
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// quantileAtRank is Quantile's value at rank k of n.
func quantileAtRank(d DurationStats, k int64) time.Duration {
	switch {
	case k == 0:
		v, _ := d.Quantile(0)
		return v
	case k == d.N-1:
		v, _ := d.Quantile(1)
		return v
	}
	v, _ := d.Quantile((float64(k) + 0.5) / float64(d.N-1))
	return v
}

// TestStepsMatchQuantile: the step function gives, at every rank, the
// value Quantile gives there, for samples with zeros, ties, one value and
// wide and narrow spreads.
func TestStepsMatchQuantile(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	lognormal := func(n int, sigma float64, zeros int) []time.Duration {
		out := make([]time.Duration, 0, n+zeros)
		for range n {
			out = append(out, time.Duration(math.Exp(8+sigma*rng.NormFloat64())*float64(time.Second)))
		}
		for range zeros {
			out = append(out, 0)
		}
		return out
	}
	tests := []struct {
		name string
		durs []time.Duration
	}{
		{"one", []time.Duration{time.Hour}},
		{"two", []time.Duration{time.Minute, time.Hour}},
		{"ties", []time.Duration{time.Hour, time.Hour, time.Hour}},
		{"zeros only", []time.Duration{0, 0, 0}},
		{"zeros and more", lognormal(50, 1, 7)},
		{"narrow", lognormal(3000, 0.05, 0)},
		{"wide", lognormal(3000, 3, 0)},
		{"large", lognormal(50000, 1, 100)},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			agg, err := New(Config{})
			require.NoError(t, err)
			acc := agg.NewAccumulator()
			at := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
			for _, d := range tt.durs {
				acc.Add(&Record{Received: at, FirstResponse: at.Add(d)})
			}
			d := acc.Result().Total.FirstResponseElapsed
			require.Equal(t, int64(len(tt.durs)), d.N)
			var k int64
			prev := time.Duration(-1)
			for v, upto := range d.Steps() {
				require.Greater(t, v, prev, "ascending, distinct")
				require.Greater(t, upto, k, "counts grow")
				for ; k < upto; k++ {
					require.Equal(t, quantileAtRank(d, k), v, "rank %d", k)
				}
				prev = v
			}
			assert.Equal(t, d.N, k, "every rank")
		})
	}
	var none DurationStats
	for range none.Steps() {
		t.Fatal("no data yields nothing")
	}
}

// TestStepsStop: breaking out of the loop stops the iteration.
func TestStepsStop(t *testing.T) {
	agg, err := New(Config{})
	require.NoError(t, err)
	acc := agg.NewAccumulator()
	at := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for i := range 100 {
		acc.Add(&Record{Received: at, FirstResponse: at.Add(time.Duration(i+1) * time.Hour)})
	}
	d := acc.Result().Total.FirstResponseElapsed
	seen := 0
	for range d.Steps() {
		seen++
		if seen == 3 {
			break
		}
	}
	assert.Equal(t, 3, seen)
}

// BenchmarkSteps reads the whole step function of 50,000 durations; its
// baseline, BenchmarkStepsByQuantile, finds the same steps through
// Quantile.
func BenchmarkSteps(b *testing.B) {
	d := benchStepsStats(b)
	b.ReportAllocs()
	for b.Loop() {
		for range d.Steps() {
		}
	}
}

func BenchmarkStepsByQuantile(b *testing.B) {
	d := benchStepsStats(b)
	b.ReportAllocs()
	for b.Loop() {
		for lo := int64(0); lo < d.N; {
			v := quantileAtRank(d, lo)
			good, bad := lo, d.N
			for step := int64(1); good+step < d.N; step *= 2 {
				if quantileAtRank(d, good+step) != v {
					bad = good + step
					break
				}
				good += step
			}
			for bad-good > 1 {
				mid := good + (bad-good)/2
				if quantileAtRank(d, mid) == v {
					good = mid
				} else {
					bad = mid
				}
			}
			lo = good + 1
		}
	}
}

func benchStepsStats(b *testing.B) DurationStats {
	rng := rand.New(rand.NewPCG(13, 14))
	agg, err := New(Config{})
	require.NoError(b, err)
	acc := agg.NewAccumulator()
	at := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for range 50000 {
		acc.Add(&Record{Received: at, FirstResponse: at.Add(time.Duration(math.Exp(8+rng.NormFloat64()) * float64(time.Second)))})
	}
	return acc.Result().Total.FirstResponseElapsed
}
