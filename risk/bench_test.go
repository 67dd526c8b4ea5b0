package risk

import (
	"cmp"
	"fmt"
	"math/rand/v2"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/closeloop/closeloop/metrics"
	"github.com/closeloop/closeloop/sla"
)

// benchHistory is 50,000 generated tickets of the backtest's laws.
func benchHistory(b *testing.B) *metrics.Accumulator {
	return btTrain(b, rand.New(rand.NewPCG(5, 6)), 50_000)
}

var benchDims = []metrics.Dimension{metrics.DimPriority, metrics.DimCategory, metrics.DimTeam}

func benchModel(b *testing.B) (*Model, *metrics.Accumulator) {
	acc := benchHistory(b)
	m, err := FromAccumulator(Config{}, acc, benchDims, benchDims[:2], benchDims[:1])
	require.NoError(b, err)
	return m, acc
}

// benchReport is a P1 ticket 40 business minutes in: first response running
// (1 h target), resolution running (8 h target).
func benchReport() *sla.Report {
	return &sla.Report{Metrics: []sla.MetricReport{
		clock("first_response", sla.FirstResponse, time.Hour, 40*time.Minute, 0),
		clock("resolution", sla.Resolution, 8*time.Hour, 40*time.Minute, 0),
	}}
}

// BenchmarkRisk: one report of two running clocks. "finest" finds a
// well-filled priority/category/team group; "fallback" a thin one that
// falls back twice (and allocates the list of groups passed over).
func BenchmarkRisk(b *testing.B) {
	m, _ := benchModel(b)
	rep := benchReport()
	for _, bc := range []struct {
		name  string
		facts metrics.Record
	}{
		{"finest", metrics.Record{Priority: "P1", Category: "billing", Team: "north"}},
		{"fallback", metrics.Record{Priority: "P0", Category: "pricing", Team: "overseas"}},
	} {
		b.Run(bc.name, func(b *testing.B) {
			facts := bc.facts
			var dst []MetricRisk
			b.ReportAllocs()
			for b.Loop() {
				var err error
				dst, err = m.RiskInto(dst, &facts, rep)
				if err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkRiskQuantileBisection is the peer baseline: the same two
// probabilities computed straight from the group's metrics.DurationStats,
// each count of durations above a point found by bisecting ranks with
// Quantile (what Risk would cost without the step function New reads once).
func BenchmarkRiskQuantileBisection(b *testing.B) {
	_, acc := benchModel(b)
	res := acc.Result()
	g := res.Find("", "P1", "billing", "north")
	require.NotNil(b, g)
	rep := benchReport()
	longer := func(s *metrics.DurationStats, x time.Duration) int64 {
		n := s.N
		lo, hi := int64(0), n // first rank whose value exceeds x
		for lo < hi {
			k := lo + (hi-lo)/2
			var v time.Duration
			switch {
			case k == 0:
				v = s.Min
			case k == n-1:
				v = s.Max
			default:
				v, _ = s.Quantile((float64(k) + 0.5) / float64(n-1))
			}
			if v > x {
				hi = k
			} else {
				lo = k + 1
			}
		}
		return n - lo
	}
	var sink float64
	b.ReportAllocs()
	for b.Loop() {
		for i := range rep.Metrics {
			mr := &rep.Metrics[i]
			s := &g.FirstResponseBusiness
			if mr.Kind == sla.Resolution {
				s = &g.ResolutionBusiness
			}
			sink += float64(longer(s, mr.Elapsed+mr.Remaining)) / float64(longer(s, mr.Elapsed))
		}
	}
	_ = sink
}

// BenchmarkNew: building a model of three levels and all tickets (160 +
// 32 + 4 + 1 groups, four distributions each) from 50,000 tickets.
func BenchmarkNew(b *testing.B) {
	acc := benchHistory(b)
	results := make([]*metrics.Result, 3)
	for i, dims := range [][]metrics.Dimension{benchDims, benchDims[:2], benchDims[:1]} {
		r, err := acc.Rollup(dims, metrics.PeriodNone)
		require.NoError(b, err)
		results[i] = r.Result()
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := New(Config{}, results...); err != nil {
			b.Fatal(err)
		}
	}
}

// benchQueue is n tickets with two estimated clocks each.
func benchQueue(n int) []Item {
	rng := rand.New(rand.NewPCG(7, 8))
	now := time.Date(2024, 3, 4, 12, 0, 0, 0, time.UTC)
	items := make([]Item, n)
	for i := range items {
		items[i] = Item{Ticket: fmt.Sprintf("T%06d", i), Risks: []MetricRisk{
			{Metric: "first_response", Basis: Estimated, Probability: float64(rng.IntN(101)) / 100, Deadline: now.Add(time.Duration(rng.IntN(600)) * time.Minute)},
			{Metric: "resolution", Basis: Estimated, Probability: float64(rng.IntN(101)) / 100, Deadline: now.Add(time.Duration(rng.IntN(6000)) * time.Minute)},
		}}
	}
	return items
}

// BenchmarkRank: a queue of 1,000 tickets with two clocks each.
func BenchmarkRank(b *testing.B) {
	items := benchQueue(1000)
	b.ReportAllocs()
	for b.Loop() {
		_ = Rank(items)
	}
}

// BenchmarkRankSortBaseline is the peer baseline: the same queue's first
// clocks copied out and sorted by probability alone with slices.SortFunc.
func BenchmarkRankSortBaseline(b *testing.B) {
	items := benchQueue(1000)
	b.ReportAllocs()
	for b.Loop() {
		out := make([]Ranked, len(items))
		for i := range items {
			out[i] = Ranked{Ticket: items[i].Ticket, Risk: items[i].Risks[0]}
		}
		sortByProbability(out)
	}
}

func sortByProbability(out []Ranked) {
	slices.SortFunc(out, func(a, b Ranked) int { return cmp.Compare(b.Risk.Probability, a.Risk.Probability) })
}
