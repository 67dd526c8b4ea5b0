package metrics

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"slices"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var t0 = time.Date(2024, 3, 4, 9, 0, 0, 0, time.UTC) // a Monday

func mustNew(t testing.TB, cfg Config) *Aggregator {
	t.Helper()
	a, err := New(cfg)
	require.NoError(t, err)
	return a
}

func accumulate(a *Aggregator, recs []Record) *Accumulator {
	acc := a.NewAccumulator()
	for i := range recs {
		acc.Add(&recs[i])
	}
	return acc
}

func TestRatioNoData(t *testing.T) {
	for _, r := range []Ratio{{}, {Num: 0, Den: 0}} {
		v, ok := r.Value()
		assert.False(t, ok)
		assert.Zero(t, v)
		assert.Equal(t, NoData, r.String())
		b, err := json.Marshal(r)
		require.NoError(t, err)
		assert.JSONEq(t, `{"num":0,"den":0,"value":null}`, string(b))
	}
	assert.Equal(t, "87.5 % (7/8)", Ratio{7, 8}.String())
	assert.Equal(t, NoData, Mean{}.String())
	assert.Equal(t, NoData, NPS{}.String())
	assert.Equal(t, NoData, DurationStats{}.String())
	_, ok := DurationStats{}.Quantile(0.5)
	assert.False(t, ok)
}

func TestEmptyAccumulator(t *testing.T) {
	a := mustNew(t, Config{GroupBy: []Dimension{DimChannel}, AsOf: t0})
	res := a.NewAccumulator().Result()
	assert.Empty(t, res.Groups)
	assert.Zero(t, res.Total.Tickets)
	_, ok := res.Total.CSAT.Value()
	assert.False(t, ok)
	b, err := json.Marshal(res)
	require.NoError(t, err)
	assert.NotContains(t, string(b), "NaN")
}

func TestSLAStatusAt(t *testing.T) {
	dl := t0.Add(4 * time.Hour)
	tests := []struct {
		name         string
		deadline     time.Time
		stopped, now time.Time
		want         SLAStatus
	}{
		{"no deadline", time.Time{}, t0, t0, SLANone},
		{"exactly on deadline is met", dl, dl, dl.Add(time.Hour), SLAMet},
		{"before deadline", dl, dl.Add(-time.Second), dl, SLAMet},
		{"one ns late", dl, dl.Add(1), dl, SLABreached},
		{"open, just before deadline", dl, time.Time{}, dl.Add(-1), SLAOpen},
		{"open, now at deadline", dl, time.Time{}, dl, SLAOpenBreached},
		{"open, past deadline", dl, time.Time{}, dl.Add(1), SLAOpenBreached},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			assert.Equal(t, tt.want, SLAStatusAt(tt.deadline, tt.stopped, tt.now))
		})
	}
}

func TestDefinitions(t *testing.T) {
	asOf := t0.Add(10 * 24 * time.Hour)
	rules := &CompositeSpec{Dimensions: []string{"attitude", "speed"},
		Default:  map[string]float64{"attitude": 1, "speed": 1},
		Channels: map[string]map[string]float64{"phone": {"attitude": 3}}}
	a := mustNew(t, Config{AsOf: asOf, Composite: rules, Quantiles: []float64{0.5}})
	recs := []Record{
		{Kind: "complaint", Channel: "phone", Priority: "P1", CustomerID: "c1", Received: t0,
			FirstResponse: t0.Add(time.Hour), Resolved: t0.Add(2 * time.Hour), Closed: t0.Add(3 * time.Hour),
			FirstResponseBusiness: 30 * time.Minute, ResolutionBusiness: time.Hour, BusinessTimes: true,
			SLA: [MaxSLAMetrics]SLAStatus{SLAMet, SLAMet}, FirstContactResolved: true, FollowUp: FollowUpDone,
			CSAT: 5, NPS: 10, NPSAnswered: true, CES: 2, SatDims: [MaxSatDims]uint8{5, 3}, SurveySent: true,
			CompensationMinor: 1000, Currency: "CNY"},
		{Kind: "complaint", Channel: "app", Priority: "P1", CustomerID: "c1", Repeat: true, Received: t0.Add(time.Hour),
			FirstResponse: t0.Add(4 * time.Hour), Resolved: t0.Add(5 * time.Hour), ReopenCount: 2,
			SLA: [MaxSLAMetrics]SLAStatus{SLABreached, SLAMet}, FollowUp: FollowUpPending,
			CSAT: 3, NPS: 6, NPSAnswered: true, CES: 4, SatDims: [MaxSatDims]uint8{1, 0},
			CompensationMinor: 500, Currency: "CNY"},
		{Kind: "inquiry", Channel: "web", Priority: "P3", Received: asOf.Add(-48 * time.Hour),
			SLA: [MaxSLAMetrics]SLAStatus{SLAOpenBreached, SLAOpen}, CSAT: 4, NPS: 8, NPSAnswered: true},
		{Kind: "suggestion", Channel: "web", Priority: "urgent", CustomerID: "c2", Received: asOf.Add(-time.Hour),
			SLA: [MaxSLAMetrics]SLAStatus{SLAOpen}, CSAT: 9 /* invalid */, SurveySent: true},
	}
	res := accumulate(a, recs).Result()
	require.Len(t, res.Groups, 1)
	g := res.Groups[0]
	assert.Equal(t, g.Tickets, res.Total.Tickets)
	assert.EqualValues(t, 4, g.Tickets)
	assert.EqualValues(t, 2, g.Complaints)
	assert.EqualValues(t, 1, res.Invalid)
	assert.Equal(t, Ratio{2, 3}, g.CSAT) // 5 and 4 of 5, 3, 4
	assert.Equal(t, [5]int64{0, 0, 1, 1, 1}, g.CSATAnswers)
	assert.InDelta(t, 4.0, g.MeanSatisfaction.Value, 1e-12)
	assert.Equal(t, NPS{Promoters: 1, Passives: 1, Detractors: 1}, g.NPS)
	s, ok := g.NPS.Score()
	assert.True(t, ok)
	assert.InDelta(t, 0, s, 1e-12)
	assert.InDelta(t, 3.0, g.CES.Value, 1e-12)
	assert.Equal(t, Ratio{1, 2}, g.FCR)
	assert.Equal(t, Ratio{1, 4}, g.ClosureRate)
	assert.Equal(t, Ratio{1, 2}, g.ReopenRate)
	assert.EqualValues(t, 2, g.Reopens)
	assert.Equal(t, Ratio{1, 3}, g.RepeatRate)
	assert.Equal(t, Ratio{1, 2}, g.FollowUpCompletion)
	assert.Equal(t, Ratio{1, 2}, g.SurveyResponseRate) // the invalid answer is no response
	assert.Equal(t, Ratio{}, g.ComplaintRate)

	assert.EqualValues(t, 2, g.FirstResponseElapsed.N)
	assert.Equal(t, 2*time.Hour, g.FirstResponseElapsed.Mean) // 1h and 3h
	assert.Equal(t, time.Hour, g.FirstResponseElapsed.Min)
	assert.Equal(t, 3*time.Hour, g.FirstResponseElapsed.Max)
	assert.EqualValues(t, 1, g.FirstResponseBusiness.N)
	assert.Equal(t, 30*time.Minute, g.FirstResponseBusiness.Mean)
	assert.Equal(t, 3*time.Hour, g.ResolutionElapsed.Mean) // 2h and 4h
	p50, ok := g.ResolutionElapsed.Quantile(0.5)
	assert.True(t, ok)
	assert.InEpsilon(t, float64(2*time.Hour), float64(p50), 0.011)

	fr := g.SLA[0]
	assert.Equal(t, "first_response", fr.Metric)
	assert.Equal(t, Ratio{1, 2}, fr.Achievement)
	assert.Equal(t, Ratio{1, 2}, fr.OpenBreachedRate)
	require.Len(t, fr.ByPriority, 3)
	assert.Equal(t, "P1", fr.ByPriority[0].Priority)
	assert.Equal(t, Ratio{1, 2}, fr.ByPriority[0].Achievement)
	assert.Equal(t, "other", fr.ByPriority[2].Priority)
	res2 := g.SLA[1]
	assert.Equal(t, Ratio{2, 2}, res2.Achievement)
	assert.Equal(t, Ratio{0, 1}, res2.OpenBreachedRate)
	assert.Equal(t, Ratio{}, g.SLA[2].Achievement)

	// Backlog at asOf: the two open tickets (ages 48h and 1h) plus the
	// resolved-but-never-closed one (age 9 days 23h).
	assert.EqualValues(t, 3, g.Backlog)
	assert.Equal(t, []string{"<1d", "1d–3d", "3d–7d", "7d–30d", "≥30d"}, res.AgingLabels)
	assert.Equal(t, []int64{1, 1, 0, 1, 0}, g.Aging)

	// Composite: phone weights attitude 3 speed 1: 3·5+1·3 = 18 over 4;
	// app default weights, only attitude answered: 1·1 over 1.
	assert.EqualValues(t, 2, g.Composite.N)
	assert.InDelta(t, 19.0/5, g.Composite.Value, 1e-12)
	assert.InDelta(t, 3.0, g.SatDims[0].Value, 1e-12)
	assert.InDelta(t, 3.0, g.SatDims[1].Value, 1e-12)
	assert.Equal(t, []CompensationTotal{{"CNY", 1500, 2}}, g.Compensation)

	res.SetExposure(func(*Group) int64 { return 200 })
	assert.Equal(t, Ratio{2, 200}, res.Groups[0].ComplaintRate)
	assert.Equal(t, "1.0 % (2/200)", res.Total.ComplaintRate.String())
}

func TestCSATConfigurable(t *testing.T) {
	recs := []Record{{CSAT: 3}, {CSAT: 4}, {CSAT: 5}, {CSAT: 1}}
	tests := []struct {
		sat  []uint8
		want Ratio
	}{
		{nil, Ratio{2, 4}},
		{[]uint8{5}, Ratio{1, 4}},
		{[]uint8{3, 4, 5}, Ratio{3, 4}},
	}
	for _, tt := range tests {
		a := mustNew(t, Config{CSATSatisfied: tt.sat})
		assert.Equal(t, tt.want, accumulate(a, recs).Result().Total.CSAT)
	}
}

func TestConfigErrors(t *testing.T) {
	tests := []Config{
		{GroupBy: []Dimension{DimKind, DimKind}},
		{GroupBy: []Dimension{DimKind, DimTeam, DimAgent, DimRegion, DimTier}},
		{GroupBy: []Dimension{99}},
		{CSATSatisfied: []uint8{6}},
		{AgingEdges: []time.Duration{2 * time.Hour, time.Hour}},
		{RelativeAccuracy: 2},
		{Quantiles: []float64{1.5}},
		{SLAMetrics: []string{"a", "b", "c", "d", "e"}},
		{Period: 17},
		{Composite: &CompositeSpec{}},
	}
	for i, cfg := range tests {
		_, err := New(cfg)
		assert.Error(t, err, "case %d", i)
	}
}

func TestGroupingAndPeriods(t *testing.T) {
	sh, err := time.LoadLocation("Asia/Shanghai")
	require.NoError(t, err)
	a := mustNew(t, Config{GroupBy: []Dimension{DimChannel}, Period: PeriodWeek, Location: sh})
	recs := []Record{
		{Channel: "phone", Received: time.Date(2024, 3, 3, 15, 59, 0, 0, time.UTC)}, // Sun 23:59 Shanghai: W09
		{Channel: "phone", Received: time.Date(2024, 3, 3, 16, 0, 0, 0, time.UTC)},  // Mon 00:00 Shanghai: W10
		{Channel: "app", Received: time.Date(2024, 3, 5, 0, 0, 0, 0, time.UTC)},
		{Channel: "phone", Received: time.Date(2024, 3, 6, 0, 0, 0, 0, time.UTC)},
	}
	res := accumulate(a, recs).Result()
	var got []string
	for _, g := range res.Groups {
		got = append(got, g.KeyString()+"="+string(rune('0'+g.Tickets)))
	}
	assert.Equal(t, []string{"app / 2024-W10=1", "phone / 2024-W09=1", "phone / 2024-W10=2"}, got)
	assert.Equal(t, time.Date(2024, 3, 4, 0, 0, 0, 0, sh), res.Groups[2].PeriodStart)
	assert.Equal(t, Ratio{1, 3}, res.Groups[0].Share) // app: 1 of W10's 3
	assert.Equal(t, Ratio{1, 1}, res.Groups[1].Share)
	assert.NotNil(t, res.Find("2024-W10", "phone"))
	assert.Nil(t, res.Find("2024-W11", "phone"))
}

func TestPeriodLabels(t *testing.T) {
	tm := time.Date(2021, 1, 2, 12, 0, 0, 0, time.UTC) // Saturday of ISO week 2020-W53
	tests := []struct {
		p     Period
		start time.Time
		label string
		next  time.Time
	}{
		{PeriodDay, time.Date(2021, 1, 2, 0, 0, 0, 0, time.UTC), "2021-01-02", time.Date(2021, 1, 3, 0, 0, 0, 0, time.UTC)},
		{PeriodWeek, time.Date(2020, 12, 28, 0, 0, 0, 0, time.UTC), "2020-W53", time.Date(2021, 1, 4, 0, 0, 0, 0, time.UTC)},
		{PeriodMonth, time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC), "2021-01", time.Date(2021, 2, 1, 0, 0, 0, 0, time.UTC)},
		{PeriodQuarter, time.Date(2021, 1, 1, 0, 0, 0, 0, time.UTC), "2021-Q1", time.Date(2021, 4, 1, 0, 0, 0, 0, time.UTC)},
	}
	for _, tt := range tests {
		t.Run(tt.p.String(), func(t *testing.T) {
			st := tt.p.Start(tm, time.UTC)
			assert.Equal(t, tt.start, st)
			assert.Equal(t, tt.label, tt.p.Label(st))
			assert.Equal(t, tt.next, tt.p.Next(st))
		})
	}
}

func TestMarkRepeats(t *testing.T) {
	recs := []Record{
		{CustomerID: "a", Category: "x", Received: t0},
		{CustomerID: "a", Category: "x", Received: t0.Add(7 * 24 * time.Hour)},     // exactly window: repeat
		{CustomerID: "a", Category: "x", Received: t0.Add(15 * 24 * time.Hour)},    // 8 days later: not
		{CustomerID: "a", Category: "y", Received: t0.Add(time.Hour)},              // other category
		{CustomerID: "", Category: "x", Received: t0.Add(time.Hour)},               // anonymous
		{CustomerID: "", Category: "x", Received: t0.Add(time.Hour), Repeat: true}, // anonymous: reset
		{CustomerID: "b", Category: "x", Received: t0},
		{CustomerID: "b", Category: "x", Received: t0}, // same instant: the later in slice order
	}
	MarkRepeats(recs, 7*24*time.Hour)
	var got []bool
	for _, r := range recs {
		got = append(got, r.Repeat)
	}
	assert.Equal(t, []bool{false, true, false, false, false, false, false, true}, got)
}

// resultJSON renders a result canonically, for equality checks.
func resultJSON(t testing.TB, acc *Accumulator) string {
	t.Helper()
	b, err := json.Marshal(acc.Result())
	require.NoError(t, err)
	return string(b)
}

func propertyConfigs(t testing.TB) []Config {
	rules := &CompositeSpec{Dimensions: []string{"attitude", "speed", "resolution"},
		Default:  map[string]float64{"attitude": 1, "speed": 1, "resolution": 2},
		Channels: map[string]map[string]float64{"phone": {"attitude": 2.5}}}
	return []Config{
		{},
		{GroupBy: []Dimension{DimChannel, DimPriority}},
		{GroupBy: []Dimension{DimCategory}, Period: PeriodDay, AsOf: benchStart.Add(48 * time.Hour), Composite: rules},
		{GroupBy: []Dimension{DimRegion, DimTeam, DimKind}, Period: PeriodMonth, Quantiles: []float64{0.1, 0.5, 0.9, 0.99}},
	}
}

// TestMergeProperty: random splits into shards, merged in random order
// and tree shapes, some through serialisation, give the same figures as
// one accumulator over everything.
func TestMergeProperty(t *testing.T) {
	recs := generate(7, benchStart, 3000)
	MarkRepeats(recs, 7*24*time.Hour)
	trials := 3 // random shardings per configuration; 8 with CLOSELOOP_FULL=1
	if fullSize() {
		trials = 8
	}
	for ci, cfg := range propertyConfigs(t) {
		a := mustNew(t, cfg)
		want := resultJSON(t, accumulate(a, recs))
		rng := rand.New(rand.NewPCG(uint64(ci), 99))
		for trial := range trials {
			k := 1 + rng.IntN(7)
			shards := make([]*Accumulator, k)
			for i := range shards {
				shards[i] = a.NewAccumulator()
			}
			for _, i := range rng.Perm(len(recs)) {
				shards[rng.IntN(k)].Add(&recs[i])
			}
			// Merge in random pairs until one is left.
			for len(shards) > 1 {
				i, j := rng.IntN(len(shards)), rng.IntN(len(shards)-1)
				if j >= i {
					j++
				}
				src := shards[j]
				if rng.IntN(2) == 0 {
					b, err := src.MarshalBinary()
					require.NoError(t, err)
					src, err = a.Decode(b)
					require.NoError(t, err)
				}
				require.NoError(t, shards[i].Merge(src))
				shards = append(shards[:j], shards[j+1:]...)
			}
			require.Equal(t, want, resultJSON(t, shards[0]), "config %d trial %d", ci, trial)
		}
	}
}

// TestMergeIntoItself: merging an accumulator into itself doubles every
// count, whatever form its sketches are in (dense, sparse, decoded).
func TestMergeIntoItself(t *testing.T) {
	a := mustNew(t, propertyConfigs(t)[2])
	recs := generate(8, benchStart, 400)
	want := resultJSON(t, accumulate(a, append(slices.Clone(recs), recs...)))
	acc := accumulate(a, recs)
	require.NoError(t, acc.Merge(acc))
	assert.Equal(t, want, resultJSON(t, acc))
	enc, err := accumulate(a, recs).MarshalBinary()
	require.NoError(t, err)
	dec, err := a.Decode(enc) // sketches in their decoded (tight or sparse) form
	require.NoError(t, err)
	require.NoError(t, dec.Merge(dec))
	assert.Equal(t, want, resultJSON(t, dec))
}

func TestMergeMismatch(t *testing.T) {
	a := mustNew(t, Config{GroupBy: []Dimension{DimChannel}})
	b := mustNew(t, Config{GroupBy: []Dimension{DimRegion}})
	require.ErrorIs(t, a.NewAccumulator().Merge(b.NewAccumulator()), ErrMismatch)
	enc, err := b.NewAccumulator().MarshalBinary()
	require.NoError(t, err)
	_, err = a.Decode(enc)
	require.ErrorIs(t, err, ErrMismatch)
}

func TestCodecRejectsCorruption(t *testing.T) {
	a := mustNew(t, Config{GroupBy: []Dimension{DimChannel}})
	acc := accumulate(a, generate(1, benchStart, 200))
	enc, err := acc.MarshalBinary()
	require.NoError(t, err)
	back, err := a.Decode(enc)
	require.NoError(t, err)
	require.Equal(t, resultJSON(t, acc), resultJSON(t, back))
	for i := range enc {
		bad := append([]byte(nil), enc...)
		bad[i] ^= 0x20
		_, err := a.Decode(bad)
		require.Error(t, err, "flipped byte %d accepted", i)
	}
	_, err = a.Decode(enc[:len(enc)-1])
	require.ErrorIs(t, err, ErrCorrupt)
	bad := append([]byte(nil), enc...)
	bad[4] = 9
	_, err = a.Decode(fixCRC(bad))
	require.ErrorIs(t, err, ErrVersion)
}

func TestAddDoesNotAllocate(t *testing.T) {
	a := mustNew(t, Config{GroupBy: []Dimension{DimChannel, DimPriority}, AsOf: benchStart.Add(24 * time.Hour)})
	recs := generate(3, benchStart, 4096)
	acc := accumulate(a, recs)
	i := 0
	allocs := testing.AllocsPerRun(2000, func() {
		acc.Add(&recs[i%len(recs)])
		i++
	})
	assert.Zero(t, allocs)
}

func TestQuantileAccuracy(t *testing.T) {
	rng := rand.New(rand.NewPCG(5, 6))
	a := mustNew(t, Config{Quantiles: []float64{0.5, 0.9}})
	acc := a.NewAccumulator()
	var durs []time.Duration
	for range 5000 {
		d := time.Duration(rng.ExpFloat64() * float64(3*time.Hour))
		durs = append(durs, d)
		acc.Add(&Record{Received: t0, FirstResponse: t0.Add(d)})
	}
	acc.Add(&Record{Received: t0, FirstResponse: t0}) // a zero duration
	durs = append(durs, 0)
	slices.Sort(durs)
	st := acc.Result().Total.FirstResponseElapsed
	for _, q := range []float64{0, 0.01, 0.25, 0.5, 0.75, 0.9, 0.99, 0.999, 1} {
		got, ok := st.Quantile(q)
		require.True(t, ok)
		want := durs[int(q*float64(len(durs)-1))]
		assert.InDelta(t, float64(want), float64(got), 0.01*float64(want)+1, "q=%v", q)
	}
	assert.Equal(t, durs[0], st.Min)
	assert.Equal(t, durs[len(durs)-1], st.Max)
	_, ok := st.Quantile(1.5)
	assert.False(t, ok)
}

func TestBacklogEdges(t *testing.T) {
	asOf := t0.Add(24 * time.Hour)
	a := mustNew(t, Config{AsOf: asOf, AgingEdges: []time.Duration{time.Hour}})
	recs := []Record{
		{Received: asOf},                                          // received exactly at asOf: in, age 0
		{Received: asOf.Add(time.Nanosecond)},                     // after asOf: out
		{Received: t0, Closed: asOf},                              // closed exactly at asOf: out
		{Received: t0, Closed: asOf.Add(time.Second)},             // closed later: in, age 24h
		{Received: asOf.Add(-time.Hour), Resolved: asOf},          // resolved but not closed: in, age exactly 1h
		{Received: time.Time{}},                                   // no receipt: out
		{Received: asOf.Add(-time.Hour + 1), Closed: time.Time{}}, // just under 1h
	}
	g := accumulate(a, recs).Result().Total
	assert.EqualValues(t, 4, g.Backlog)
	assert.Equal(t, []int64{2, 2}, g.Aging)
}

func TestPeriodsAcrossDST(t *testing.T) {
	berlin, err := time.LoadLocation("Europe/Berlin")
	require.NoError(t, err)
	a := mustNew(t, Config{Period: PeriodDay, Location: berlin})
	recs := []Record{
		{Received: time.Date(2024, 3, 30, 23, 59, 0, 0, berlin)},
		{Received: time.Date(2024, 3, 31, 0, 0, 0, 0, berlin)},   // 23-hour day
		{Received: time.Date(2024, 3, 31, 23, 59, 0, 0, berlin)}, // still the 31st
		{Received: time.Date(2024, 4, 1, 0, 0, 0, 0, berlin)},
		{Received: time.Date(2024, 10, 27, 23, 30, 0, 0, berlin)}, // 25-hour day
		{Received: time.Date(2024, 10, 27, 0, 30, 0, 0, berlin)},
	}
	res := accumulate(a, recs).Result()
	var got []string
	for _, g := range res.Groups {
		got = append(got, fmt.Sprintf("%s:%d", g.Period, g.Tickets))
	}
	assert.Equal(t, []string{"2024-03-30:1", "2024-03-31:2", "2024-04-01:1", "2024-10-27:2"}, got)
}

func TestDimensions(t *testing.T) {
	r := Record{Kind: "k", Category: "c", Channel: "ch", Priority: "P0", Tier: "t", Region: "r", Team: "tm",
		Agent: "a", BusinessLine: "b", Custom: [MaxCustom]string{"x0", "x1", "x2", "x3"}}
	want := []string{"k", "c", "ch", "P0", "t", "r", "tm", "a", "b", "x0", "x1", "x2", "x3"}
	for d := range numDims {
		t.Run(d.String(), func(t *testing.T) {
			assert.Equal(t, want[d], d.Value(&r))
			assert.Equal(t, want[d], fieldAt(&r, dimOffsets[d]))
			back, err := ParseDimension(d.String())
			require.NoError(t, err)
			assert.Equal(t, d, back)
		})
	}
	_, err := ParseDimension("colour")
	assert.Error(t, err)
	assert.Equal(t, "Dimension(99)", Dimension(99).String())
	assert.Equal(t, "Period(9)", Period(9).String())
	assert.Equal(t, "invalid", SLAStatus(9).String())
}

func TestConfigIsCopied(t *testing.T) {
	groupBy := []Dimension{DimChannel}
	rules := &CompositeSpec{Dimensions: []string{"a"}, Default: map[string]float64{"a": 1}}
	a := mustNew(t, Config{GroupBy: groupBy, Composite: rules})
	groupBy[0] = DimRegion
	rules.Dimensions[0] = "zzz"
	cfg := a.Config()
	assert.Equal(t, []Dimension{DimChannel}, cfg.GroupBy)
	assert.Equal(t, []string{"a"}, cfg.Composite.Dimensions)
	cfg.SLAMetrics[0] = "changed"
	assert.Equal(t, "first_response", a.Config().SLAMetrics[0])
	acc := a.NewAccumulator()
	assert.Same(t, a, acc.Aggregator())
	acc.Add(&Record{Channel: "x", SatDims: [MaxSatDims]uint8{5}})
	assert.Equal(t, 1, acc.Len())
	v, ok := acc.Result().Total.Composite100()
	assert.True(t, ok)
	assert.InDelta(t, 100, v, 1e-12)
}

// TestConcurrentShards: one Aggregator shared by goroutines, one
// Accumulator each, merged at the end (run with -race).
func TestConcurrentShards(t *testing.T) {
	a := mustNew(t, propertyConfigs(t)[2])
	recs := generate(21, benchStart, 4000)
	want := resultJSON(t, accumulate(a, recs))
	const shards = 4
	accs := make([]*Accumulator, shards)
	var wg sync.WaitGroup
	for s := range shards {
		wg.Add(1)
		go func() {
			defer wg.Done()
			acc := a.NewAccumulator()
			for i := s; i < len(recs); i += shards {
				acc.Add(&recs[i])
			}
			accs[s] = acc
		}()
	}
	wg.Wait()
	for _, acc := range accs[1:] {
		require.NoError(t, accs[0].Merge(acc))
	}
	require.Equal(t, want, resultJSON(t, accs[0]))
}

func TestRollup(t *testing.T) {
	recs := generate(17, benchStart, 5000)
	fine := Config{GroupBy: []Dimension{DimChannel, DimPriority, DimRegion}, Period: PeriodDay,
		AsOf: benchStart.Add(24 * time.Hour)}
	acc := accumulate(mustNew(t, fine), recs)
	tests := []struct {
		groupBy []Dimension
		period  Period
	}{
		{[]Dimension{DimPriority, DimChannel}, PeriodDay},
		{[]Dimension{DimRegion}, PeriodWeek},
		{nil, PeriodMonth},
		{[]Dimension{DimChannel}, PeriodQuarter},
		{nil, PeriodNone},
	}
	for _, tt := range tests {
		t.Run(fmt.Sprint(tt.groupBy, tt.period), func(t *testing.T) {
			cfg := fine
			cfg.GroupBy, cfg.Period = tt.groupBy, tt.period
			want := resultJSON(t, accumulate(mustNew(t, cfg), recs))
			got, err := acc.Rollup(tt.groupBy, tt.period)
			require.NoError(t, err)
			assert.Equal(t, want, resultJSON(t, got))
		})
	}
	_, err := acc.Rollup([]Dimension{DimAgent}, PeriodDay)
	assert.ErrorIs(t, err, ErrConfig)
	weekly := accumulate(mustNew(t, Config{Period: PeriodWeek}), recs[:10])
	_, err = weekly.Rollup(nil, PeriodMonth)
	assert.ErrorIs(t, err, ErrConfig)
	_, err = weekly.Rollup(nil, PeriodDay)
	assert.ErrorIs(t, err, ErrConfig)
}

// TestStrTable: whatever the addresses, the table returns the interner's
// id (also past strTableMax strings, where it falls back to the interner).
func TestStrTable(t *testing.T) {
	var c strTable
	in := interner{ids: map[string]uint32{}}
	rng := rand.New(rand.NewPCG(1, 1))
	pool := make([]string, 300)
	for i := range pool {
		pool[i] = fmt.Sprintf("agent%d", i)
	}
	for range 20000 {
		s := pool[rng.IntN(len(pool))]
		if rng.IntN(4) == 0 {
			s = string([]byte(s)) // same content, new address
		}
		w0, w1 := strWords(s)
		id := c.id(s, w0, w1, &in)
		require.Equal(t, s, in.vals[id])
	}
	assert.Len(t, in.vals, len(pool))
}
