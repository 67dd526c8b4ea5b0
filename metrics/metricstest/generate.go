// Package metricstest generates synthetic KPI records for tests, examples,
// benchmarks and demonstrations of package
// [github.com/closeloop/closeloop/metrics]. The records are test and demo
// data, not a model of any real contact centre: a host that has tickets
// builds records from them with [metrics.RecordFromTicket] instead.
//
// A [Generator] is deterministic by seed: the same seed and start give the
// same records on every platform, in time order, with no global state, so a
// test can pin figures computed from them and shards of a distributed run
// can be regenerated from (seed, start, count) instead of being shipped.
// [Generate] returns a slice; [Generator.Next] fills one reused
// [metrics.Record] without allocating, for streams of millions.
//
//	recs := metricstest.Generate(42, time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC), 10000)
//	acc := agg.NewAccumulator()
//	for i := range recs {
//		acc.Add(&recs[i])
//	}
package metricstest

import (
	"math"
	"math/rand/v2"
	"strconv"
	"time"

	"github.com/closeloop/closeloop/metrics"
)

// Generator produces deterministic synthetic records for examples, tests
// and benchmarks: the same seed and start give the same sequence on every
// platform. Records arrive in time order with a daily and weekly rhythm
// (busy office hours, an evening peak 19:00–22:00, quieter weekends), six
// channels, twelve categories, priorities P0..P3, durations that grow with
// priority level, SLA outcomes against 1 h / 4 h / 24 h / 72 h
// first-response targets, surveys, tags with built-in co-occurrence
// (refund+delay, crash+update, ...) and occasional compensation in CNY
// minor units. It keeps no global state.
type Generator struct {
	rng       *rand.Rand
	t         time.Time
	gap       float64 // mean seconds between arrivals at intensity 1
	customers []string
}

// Generated value tables.
var (
	genKinds      = []string{"complaint", "inquiry", "suggestion", "praise"}
	genCategories = []string{"billing", "delivery", "refund", "login", "crash", "performance",
		"ui", "pricing", "account", "privacy", "installation", "other"}
	genChannels      = []string{"phone", "app", "web", "email", "wechat", "store"}
	genTiers         = []string{"standard", "gold", "vip"}
	genRegions       = []string{"north", "south", "east", "west", "central", "overseas"}
	genTeams         = []string{"t1", "t2", "t3", "t4", "t5", "t6", "t7", "t8"}
	genBusinessLines = []string{"retail", "enterprise", "online", "after-sales"}
	genPriorities    = []string{"P0", "P1", "P2", "P3"}
	genAgents        = func() []string {
		a := make([]string, 40)
		for i := range a {
			a[i] = "agent" + strconv.Itoa(i+1)
		}
		return a
	}()
	genTagSets = [][]string{
		{"refund", "delay"}, {"refund", "delay", "rude"}, {"crash", "update"}, {"crash"},
		{"login", "password"}, {"delay"}, {"price"}, {"refund"}, {"crash", "update", "data-loss"},
		{"rude"}, {"delay", "lost"}, {"price", "refund"},
	}
	genFRTarget = [4]time.Duration{time.Hour, 4 * time.Hour, 24 * time.Hour, 72 * time.Hour}
)

// NewGenerator returns a generator whose first record arrives at start.
func NewGenerator(seed uint64, start time.Time) *Generator {
	g := &Generator{rng: rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15)), t: start, gap: 20}
	g.customers = make([]string, 5000)
	for i := range g.customers {
		g.customers[i] = "C" + strconv.Itoa(100000+i)
	}
	return g
}

// WithMeanGap sets the mean time between arrivals at intensity 1 (the
// week averages 0.69) and returns g. The default 20 s gives about 3,000
// records a day; 2 s about 30,000 a day, 10 million in 11 months. Gaps of
// zero or less are ignored.
func (g *Generator) WithMeanGap(d time.Duration) *Generator {
	if d > 0 {
		g.gap = d.Seconds()
	}
	return g
}

// hourIntensity is the relative arrival rate by weekday and hour.
func hourIntensity(t time.Time) float64 {
	h := t.Hour()
	var v float64
	switch {
	case h < 7:
		v = 0.15
	case h < 9:
		v = 0.6
	case h < 12:
		v = 1.2
	case h < 14:
		v = 0.9
	case h < 18:
		v = 1.1
	case h < 19:
		v = 0.9
	case h < 22:
		v = 1.6 // the evening peak
	default:
		v = 0.5
	}
	if wd := t.Weekday(); wd == time.Saturday || wd == time.Sunday {
		v *= 0.6
	}
	return v
}

// Next overwrites r with the next record. It reuses r.Tags' backing array,
// so a loop over one [metrics.Record] does not allocate.
func (g *Generator) Next(r *metrics.Record) {
	rng := g.rng
	// Arrivals: exponential gaps, mean g.gap at intensity 1.
	g.t = g.t.Add(time.Duration(rng.ExpFloat64() * g.gap / hourIntensity(g.t) * float64(time.Second)))
	tags := r.Tags[:0]
	*r = metrics.Record{}
	r.Received = g.t
	k := rng.IntN(100)
	switch {
	case k < 35:
		r.Kind = genKinds[0]
	case k < 75:
		r.Kind = genKinds[1]
	case k < 90:
		r.Kind = genKinds[2]
	default:
		r.Kind = genKinds[3]
	}
	// Skewed category popularity.
	r.Category = genCategories[min(int(rng.ExpFloat64()*3), len(genCategories)-1)]
	r.Channel = genChannels[rng.IntN(len(genChannels))]
	p := rng.IntN(100)
	pi := 3
	switch {
	case p < 5:
		pi = 0
	case p < 25:
		pi = 1
	case p < 75:
		pi = 2
	}
	r.Priority = genPriorities[pi]
	r.Tier = genTiers[min(int(rng.ExpFloat64()), 2)]
	r.Region = genRegions[rng.IntN(len(genRegions))]
	r.Team = genTeams[rng.IntN(len(genTeams))]
	r.Agent = genAgents[rng.IntN(len(genAgents))]
	r.BusinessLine = genBusinessLines[rng.IntN(len(genBusinessLines))]
	r.CustomerID = g.customers[rng.IntN(len(g.customers))]

	// First response: log-normal around a quarter of the target.
	target := genFRTarget[pi]
	fr := time.Duration(float64(target) / 4 * math.Exp(rng.NormFloat64()*0.9))
	r.FirstResponse = r.Received.Add(fr)
	r.FirstResponseBusiness = fr * 2 / 5
	r.BusinessTimes = true
	if fr <= target {
		r.SLA[0] = metrics.SLAMet
	} else {
		r.SLA[0] = metrics.SLABreached
	}
	resolvedOK := rng.IntN(100) < 85
	res := fr + time.Duration(float64(target)*math.Exp(rng.NormFloat64()))
	if resolvedOK {
		r.Resolved = r.Received.Add(res)
		r.ResolutionBusiness = res * 2 / 5
		r.FirstContactResolved = rng.IntN(100) < 60
		if res <= 4*target {
			r.SLA[1] = metrics.SLAMet
		} else {
			r.SLA[1] = metrics.SLABreached
		}
		if rng.IntN(100) < 90 {
			r.Closed = r.Resolved.Add(time.Duration(rng.IntN(48)) * time.Hour)
		}
		if rng.IntN(100) < 8 {
			r.ReopenCount = 1 + rng.IntN(2)
		}
	} else if rng.IntN(2) == 0 {
		r.SLA[1] = metrics.SLAOpenBreached
	} else {
		r.SLA[1] = metrics.SLAOpen
	}
	if r.Kind == "complaint" {
		if rng.IntN(100) < 92 {
			r.FollowUp = metrics.FollowUpDone
		} else {
			r.FollowUp = metrics.FollowUpPending
		}
		if rng.IntN(100) < 10 {
			r.CompensationMinor = int64(500 + 100*rng.IntN(46))
			r.Currency = "CNY"
		}
	}
	r.SurveySent = resolvedOK
	if resolvedOK && rng.IntN(100) < 75 {
		// Faster resolution, happier customer.
		base := 4.4
		if !resolvedOK || r.SLA[1] == metrics.SLABreached {
			base = 2.8
		}
		r.CSAT = uint8(min(max(int(math.Round(base+rng.NormFloat64()*0.9)), 1), 5))
		for i := range 3 {
			r.SatDims[i] = uint8(min(max(int(math.Round(base+rng.NormFloat64())), 1), 5))
		}
	}
	if rng.IntN(100) < 30 {
		r.NPSAnswered = true
		r.NPS = uint8(min(max(int(math.Round(7.5+rng.NormFloat64()*2.2)), 0), 10))
	}
	if rng.IntN(100) < 25 {
		r.CES = uint8(1 + rng.IntN(7))
	}
	if rng.IntN(100) < 40 {
		tags = append(tags, genTagSets[rng.IntN(len(genTagSets))]...)
	}
	r.Tags = tags
}

// Generate returns n records from NewGenerator(seed, start).
func Generate(seed uint64, start time.Time, n int) []metrics.Record {
	g := NewGenerator(seed, start)
	out := make([]metrics.Record, n)
	for i := range out {
		g.Next(&out[i])
	}
	return out
}
