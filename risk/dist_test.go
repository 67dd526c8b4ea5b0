package risk

import (
	"math"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/closeloop/closeloop/metrics"
)

// statsOf accumulates first-response business durations into one group and
// returns its DurationStats.
func statsOf(t testing.TB, durs []time.Duration) metrics.DurationStats {
	agg, err := metrics.New(metrics.Config{})
	require.NoError(t, err)
	acc := agg.NewAccumulator()
	at := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, d := range durs {
		acc.Add(&metrics.Record{Received: at, FirstResponse: at.Add(d), FirstResponseBusiness: d, BusinessTimes: true})
	}
	return acc.Result().Total.FirstResponseBusiness
}

// TestDistMatchesSample: with values 10 % apart (the sketch keeps them in
// distinct bins), the step function read through Quantile counts exactly
// the values of the sample above any point between two of them.
func TestDistMatchesSample(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	grid := make([]time.Duration, 60)
	for i := range grid {
		grid[i] = time.Duration(float64(time.Minute) * math.Pow(1.1, float64(i)))
	}
	tests := []struct {
		name string
		durs []time.Duration
	}{
		{"one value", []time.Duration{time.Hour}},
		{"two values", []time.Duration{time.Minute, time.Hour}},
		{"ties", []time.Duration{time.Hour, time.Hour, time.Hour, 2 * time.Hour}},
		{"zeros", []time.Duration{0, 0, time.Minute, time.Hour}},
		{"all zero", []time.Duration{0, 0, 0}},
		{"grid once", slices.Clone(grid)},
		{"grid with multiplicities", func() []time.Duration {
			var out []time.Duration
			for range 5000 {
				out = append(out, grid[int(rng.ExpFloat64()*10)%len(grid)])
			}
			return out
		}()},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			s := statsOf(t, tt.durs)
			d := newDist(&s)
			require.Equal(t, int64(len(tt.durs)), d.n)
			assert.True(t, slices.IsSorted(d.vals), "values ascending")
			assert.Equal(t, len(slices.Compact(slices.Clone(d.vals))), len(d.vals), "values distinct")
			assert.Equal(t, d.n, d.le[len(d.le)-1], "every value counted")
			// Probe below, at the midpoints between and above every value.
			sorted := slices.Sorted(slices.Values(tt.durs))
			probes := []time.Duration{-1, 0, sorted[len(sorted)-1] * 2}
			for i := 1; i < len(sorted); i++ {
				if sorted[i] != sorted[i-1] {
					probes = append(probes, time.Duration(math.Sqrt(float64(sorted[i])*float64(sorted[i-1]))))
				}
			}
			for _, x := range probes {
				var want int64
				for _, v := range tt.durs {
					if v > x {
						want++
					}
				}
				assert.Equal(t, want, d.longer(x), "longer than %v", x)
			}
		})
	}
}

func TestDistEmpty(t *testing.T) {
	d := newDist(&metrics.DurationStats{})
	assert.Zero(t, d.n)
	assert.Zero(t, d.longer(0))
	assert.Zero(t, d.longer(time.Hour))
}

// TestDistLognormal: on a continuous law the step function is the sample's
// within the sketch's accuracy: the count above x lies between the exact
// counts above 1.01·x and 0.99·x.
func TestDistLognormal(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	durs := make([]time.Duration, 20000)
	for i := range durs {
		durs[i] = time.Duration(math.Exp(9+rng.NormFloat64()) * float64(time.Second))
	}
	s := statsOf(t, durs)
	d := newDist(&s)
	count := func(x float64) (n int64) {
		for _, v := range durs {
			if float64(v) > x {
				n++
			}
		}
		return n
	}
	for _, q := range []float64{0.001, 0.1, 0.5, 0.9, 0.999} {
		x := time.Duration(math.Exp(9+math.Sqrt2*math.Erfinv(2*q-1)) * float64(time.Second))
		got := d.longer(x)
		assert.LessOrEqual(t, count(1.01*float64(x)), got, "q %v", q)
		assert.GreaterOrEqual(t, count(0.99*float64(x)), got, "q %v", q)
	}
}
