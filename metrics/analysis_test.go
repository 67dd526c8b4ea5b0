package metrics

import (
	"errors"
	"math"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestAdjustPValues checks that each Correction picks its method (the
// methods themselves are tested in internal/stats).
func TestAdjustPValues(t *testing.T) {
	ps := []float64{0.01, 0.04, 0.03, 0.005}
	tests := []struct {
		c    Correction
		want []float64
	}{
		{Holm, []float64{0.03, 0.06, 0.06, 0.02}},
		{BenjaminiHochberg, []float64{0.02, 0.04, 0.04, 0.02}},
		{Bonferroni, []float64{0.04, 0.16, 0.12, 0.02}},
		{NoCorrection, ps},
	}
	for _, tt := range tests {
		got := adjustPValues(ps, tt.c)
		assert.InDeltaSlice(t, tt.want, got, 1e-12, "correction %d", tt.c)
	}
	assert.Empty(t, adjustPValues(nil, Holm))
}

func TestCompareUnits(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	sample := func(mean float64, n int) Sample {
		xs := make([]float64, n)
		for i := range xs {
			xs[i] = mean + rng.NormFloat64()
		}
		return SampleOf(xs)
	}
	units := []Unit{
		{"north", sample(4.2, 200)}, {"south", sample(4.25, 200)}, {"east", sample(4.15, 200)},
		{"west", sample(3.6, 200)}, {"tiny", Sample{N: 1, Mean: 4.2}}, {"empty", Sample{}},
	}
	res := CompareUnits(units, 0.05, Holm)
	require.Len(t, res, 6)
	assert.True(t, res[3].Below, "west is clearly lower: p=%v", res[3].PAdjusted)
	assert.Less(t, res[3].Z, -1.0)
	for _, i := range []int{0, 1, 2} {
		assert.False(t, res[i].Below, res[i].Name)
		assert.True(t, res[i].TestOK)
		assert.GreaterOrEqual(t, res[i].PAdjusted, res[i].P)
	}
	assert.False(t, res[4].TestOK, "one observation: no test")
	assert.False(t, res[5].TestOK)
	assert.False(t, res[5].ZOK)

	// From groups: CSAT histogram samples are exact.
	g := Group{CSATAnswers: [5]int64{0, 0, 1, 1, 2}}
	s := g.SatisfactionSample()
	assert.EqualValues(t, 4, s.N)
	assert.InDelta(t, 4.25, s.Mean, 1e-12)
	assert.InDelta(t, SampleOf([]float64{3, 4, 5, 5}).Var, s.Var, 1e-12)
	g.NPS = NPS{Promoters: 3, Detractors: 1}
	score, _ := g.NPS.Score()
	assert.InDelta(t, score, g.NPSSample().Mean, 1e-12)
	// Units from a result grouped by region.
	a := mustNew(t, Config{GroupBy: []Dimension{DimRegion}})
	acc := a.NewAccumulator()
	for i := range 400 {
		r := Record{Region: []string{"a", "b", "c", "d"}[i%4], CSAT: uint8(4 + i%2)}
		if r.Region == "d" {
			r.CSAT = uint8(2 + i%3)
		}
		acc.Add(&r)
	}
	us := acc.Result().Units((*Group).SatisfactionSample)
	require.Len(t, us, 4)
	assert.Equal(t, "d", us[3].Name)
	cmp := CompareUnits(us, 0.01, BenjaminiHochberg)
	assert.True(t, cmp[3].Below)
	assert.False(t, cmp[0].Below)

	p := pool([]Sample{SampleOf([]float64{1, 2}), SampleOf([]float64{3, 4, 5})})
	assert.InDelta(t, SampleOf([]float64{1, 2, 3, 4, 5}).Var, p.Var, 1e-12)
}

// monthly builds a result grouped by category and month.
func monthly(t *testing.T, counts map[string][]int) *Result {
	a := mustNew(t, Config{GroupBy: []Dimension{DimCategory}, Period: PeriodMonth})
	acc := a.NewAccumulator()
	for cat, cs := range counts {
		for m, c := range cs {
			for range c {
				acc.Add(&Record{Category: cat, Received: time.Date(2024, time.Month(m+1), 10, 0, 0, 0, 0, time.UTC)})
			}
		}
	}
	return acc.Result()
}

func TestTrendsAndChange(t *testing.T) {
	res := monthly(t, map[string][]int{"billing": {4, 6, 0, 3}, "login": {0, 2, 2, 2}})
	tr := res.Trends(FigureTickets)
	require.Len(t, tr, 2)
	assert.Equal(t, []string{"billing"}, tr[0].Key)
	require.Len(t, tr[0].Points, 4) // March filled with an empty group
	p := tr[0].Points
	assert.Equal(t, "2024-01", p[0].Period)
	assert.False(t, p[0].ChangeOK)
	assert.True(t, p[1].ChangeOK)
	assert.InDelta(t, 50, p[1].ChangePct, 1e-12) // +50 %
	assert.InDelta(t, -100, p[2].ChangePct, 1e-12)
	assert.False(t, p[3].ChangeOK, "change from 0 is no data")
	// login has no January group: the trend starts at the first period
	// of the result all the same.
	assert.Equal(t, 0.0, tr[1].Points[0].Value)
	// CSAT of groups without answers is no data.
	assert.False(t, res.Trends(FigureCSAT)[0].Points[0].OK)

	g := &Group{Tickets: 4, ClosureRate: Ratio{1, 4}, FCR: Ratio{1, 2}, RepeatRate: Ratio{0, 4}, Share: Ratio{4, 8},
		ResolutionElapsed: DurationStats{N: 1, Mean: 90 * time.Minute}}
	for _, tt := range []struct {
		f    Figure
		want float64
		ok   bool
	}{
		{FigureClosureRate, 25, true}, {FigureFCR, 50, true}, {FigureRepeatRate, 0, true}, {FigureShare, 50, true},
		{FigureResolutionHours, 1.5, true}, {FigureFirstResponseHours, 0, false}, {FigureComplaints, 0, true},
	} {
		v, ok := tt.f(g)
		assert.Equal(t, tt.ok, ok)
		assert.InDelta(t, tt.want, v, 1e-12)
	}
	_, ok := Change(0, 5)
	assert.False(t, ok)
	v, _ := Change(-10, -5)
	assert.InDelta(t, 50, v, 1e-12)
}

func TestTopNAndStreaks(t *testing.T) {
	res := monthly(t, map[string][]int{
		"a": {9, 9, 9, 9, 1},
		"b": {8, 1, 8, 8, 8},
		"c": {1, 8, 7, 1, 9},
		"d": {0, 0, 0, 7, 7},
	})
	top := res.TopN(2, FigureTickets)
	require.Len(t, top, 5)
	assert.Equal(t, "2024-01", top[0].Period)
	assert.Equal(t, []Ranked{{1, []string{"a"}, 9}, {2, []string{"b"}, 8}}, top[0].Entries)
	assert.Empty(t, res.TopN(0, FigureTickets)[0].Entries)
	assert.Empty(t, res.TopN(-1, FigureTickets)[0].Entries)
	assert.Len(t, res.PersistentTop(1, 0, FigureTickets), 2) // top 1: a in Jan–Apr, c in May
	streaks := res.PersistentTop(2, 3, FigureTickets)
	assert.Equal(t, []Streak{
		{Key: []string{"a"}, From: "2024-01", To: "2024-04", Periods: 4},
		{Key: []string{"b"}, From: "2024-03", To: "2024-05", Periods: 3, Current: true},
	}, streaks)
	// Without periods: one ranking; ties broken by key.
	a := mustNew(t, Config{GroupBy: []Dimension{DimChannel}})
	acc := a.NewAccumulator()
	for _, ch := range []string{"x", "y", "y", "z", "z", "w"} {
		acc.Add(&Record{Channel: ch})
	}
	r := acc.Result().TopN(3, FigureTickets)
	require.Len(t, r, 1)
	assert.Equal(t, []Ranked{{1, []string{"y"}, 2}, {2, []string{"z"}, 2}, {3, []string{"w"}, 1}}, r[0].Entries)
}

func TestCrossTab(t *testing.T) {
	ct, err := NewCrossTab(DimKind, DimChannel, 4, time.UTC)
	require.NoError(t, err)
	recs := generate(5, benchStart, 2000)
	whole := ct.Empty()
	a, b := ct.Empty(), ct.Empty()
	for i := range recs {
		whole.Add(&recs[i])
		if i%3 == 0 {
			a.Add(&recs[i])
		} else {
			b.Add(&recs[i])
		}
	}
	enc, err := b.MarshalBinary()
	require.NoError(t, err)
	b2 := ct.Empty()
	require.NoError(t, b2.UnmarshalBinary(enc))
	require.NoError(t, a.Merge(b2))
	h := a.Result()
	assert.Equal(t, whole.Result(), h)
	assert.EqualValues(t, 2000, h.Total)
	assert.Equal(t, "app", h.Cols[0]) // sorts first of the generator's channels
	assert.Len(t, h.Slots, 6)
	assert.Equal(t, "20–24", h.Slots[5])
	flat := h.Flat()
	assert.Equal(t, h.Max, flat[0].Count)

	_, err = NewCrossTab(DimKind, DimChannel, 5, nil)
	assert.ErrorIs(t, err, ErrConfig)
	other, _ := NewCrossTab(DimKind, DimRegion, 4, nil)
	assert.ErrorIs(t, a.Merge(other), ErrMismatch)
	enc[len(enc)-6] ^= 1
	assert.ErrorIs(t, b2.UnmarshalBinary(enc), ErrCorrupt)
}

func TestHourOfWeek(t *testing.T) {
	sh, err := time.LoadLocation("Asia/Shanghai")
	require.NoError(t, err)
	h := NewHourOfWeek(sh)
	h.Add(&Record{Received: time.Date(2024, 3, 3, 12, 30, 0, 0, time.UTC)}) // Sun 20:30 in Shanghai
	h2 := NewHourOfWeek(sh)
	h2.Add(&Record{Received: time.Date(2024, 3, 4, 1, 0, 0, 0, sh)}) // Mon 01:00
	enc, err := h2.MarshalBinary()
	require.NoError(t, err)
	h3 := NewHourOfWeek(sh)
	require.NoError(t, h3.UnmarshalBinary(enc))
	require.NoError(t, h.Merge(h3))
	w := h.Result()
	assert.EqualValues(t, 1, w.Counts[6][20])
	assert.EqualValues(t, 1, w.Counts[0][1])
	assert.EqualValues(t, 2, w.Total)
	assert.Contains(t, w.Markdown(), "| Sun |")
	assert.ErrorIs(t, h.Merge(NewHourOfWeek(nil)), ErrMismatch)
	assert.Error(t, NewHourOfWeek(nil).UnmarshalBinary(enc))

	// The generator's evening peak shows up.
	g := NewHourOfWeek(time.UTC)
	for _, r := range generate(1, benchStart, 20000) {
		g.Add(&r)
	}
	share := g.Result().HourlyShare()
	assert.Greater(t, share[20], share[10])
	assert.Greater(t, share[10], share[3])
}

func TestHoltWinters(t *testing.T) {
	// Weekly pattern plus trend plus noise; 10 weeks, last 2 held out.
	rng := rand.New(rand.NewPCG(3, 4))
	pattern := []float64{100, 120, 115, 110, 130, 60, 50}
	var ys []float64
	for i := range 70 {
		ys = append(ys, pattern[i%7]+0.5*float64(i)+rng.NormFloat64()*3)
	}
	f, err := HoltWinters(ys, 7, 14, 7)
	require.NoError(t, err)
	assert.Len(t, f.Next, 7)
	assert.Len(t, f.HoldoutForecast, 14)
	assert.True(t, f.MAPEOK)
	assert.Less(t, f.MAPE, 5.0)
	assert.Less(t, f.MAE, f.NaiveMAE, "beats the seasonal naive forecast on trending data")
	assert.Greater(t, f.Next[4], f.Next[5]) // Friday busier than Saturday
	again, _ := HoltWinters(ys, 7, 14, 7)
	assert.Equal(t, f, again)

	_, err = HoltWinters(ys[:20], 7, 7, 7)
	assert.True(t, errors.Is(err, ErrSeriesTooShort))
	_, err = HoltWinters(ys, 0, 7, 7)
	assert.ErrorIs(t, err, ErrConfig)
	_, err = HoltWinters([]float64{math.NaN()}, 1, 1, 1)
	assert.ErrorIs(t, err, ErrConfig)
}

func TestApriori(t *testing.T) {
	tx := [][]string{
		{"refund", "delay"}, {"refund", "delay", "rude"}, {"refund", "delay"}, {"crash", "update"},
		{"crash", "update"}, {"crash"}, {"delay"}, {"refund"}, {}, {"refund", "refund", "delay"},
	}
	sets, rules := Apriori(tx, 0.2, 0.6, 0)
	assert.Equal(t, Itemset{Items: []string{"delay"}, Count: 5, Support: 0.5}, sets[0])
	// refund: 5, delay: 5, crash: 3, update: 2, rude: 1 (infrequent at 0.2).
	require.Len(t, sets, 6)
	assert.Equal(t, Itemset{Items: []string{"delay", "refund"}, Count: 4, Support: 0.4}, sets[4])
	assert.Equal(t, Itemset{Items: []string{"crash", "update"}, Count: 2, Support: 0.2}, sets[5])
	require.Len(t, rules, 4)
	// update ⇒ crash: confidence 1, lift 1/0.3.
	assert.Equal(t, []string{"update"}, rules[0].If)
	assert.Equal(t, []string{"crash"}, rules[0].Then)
	assert.InDelta(t, 1, rules[0].Confidence, 1e-12)
	assert.InDelta(t, 1/0.3, rules[0].Lift, 1e-12)
	assert.InDelta(t, 0.8, rules[2].Confidence, 1e-12) // delay ⇒ refund
	assert.InDelta(t, 1.6, rules[2].Lift, 1e-12)
	assert.Contains(t, rules[2].String(), "{delay} ⇒ {refund}")

	// Three-item sets.
	sets, rules = Apriori([][]string{{"a", "b", "c"}, {"a", "b", "c"}, {"a", "b"}, {"c"}}, 0.5, 0.9, 0)
	assert.Equal(t, []string{"a", "b", "c"}, sets[len(sets)-1].Items)
	for _, r := range rules {
		assert.GreaterOrEqual(t, r.Confidence, 0.9)
	}
	_, rules = Apriori([][]string{{"a", "b", "c"}, {"a", "b", "c"}}, 0.5, 0, 2)
	for _, r := range rules {
		assert.Equal(t, 2, len(r.If)+len(r.Then))
	}
	s, r := Apriori(nil, 0.1, 0.1, 0)
	assert.Nil(t, s)
	assert.Nil(t, r)
}

func TestParseCompositeSpec(t *testing.T) {
	good := `{"dimensions":["attitude","speed"],"default":{"attitude":1,"speed":1},"channels":{"phone":{"speed":0.5}}}`
	c, err := ParseCompositeSpec([]byte(good))
	require.NoError(t, err)
	assert.Equal(t, 1, c.DimensionIndex("speed"))
	tests := []struct{ doc, path string }{
		{`{"dimensions":[],"default":{}}`, "$.dimensions"},
		{`{"dimensions":["a","a"],"default":{}}`, "$.dimensions[1]"},
		{`{"dimensions":["a"],"default":{"b":1}}`, "$.default.b"},
		{`{"dimensions":["a"],"default":{"a":-1}}`, "$.default.a"},
		{`{"dimensions":["a"],"default":{"a":1},"channels":{"web":{"a":101}}}`, "$.channels.web.a"},
		{`{"dimensions":["a"],"default":{"a":1},"extra":1}`, "$.extra"},
	}
	for _, tt := range tests {
		_, err := ParseCompositeSpec([]byte(tt.doc))
		var pe *PathError
		require.ErrorAs(t, err, &pe, tt.doc)
		assert.Equal(t, tt.path, pe.Path, tt.doc)
	}
}

func TestEvaluateGoals(t *testing.T) {
	base := &Group{Tickets: 100, Complaints: 50, CSAT: Ratio{60, 100}}
	cur := &Group{Tickets: 100, Complaints: 38, CSAT: Ratio{70, 100}}
	goals := []Goal{
		{"CSAT +15 %", FigureCSAT, GoalChange, 15},              // 60 → 70: +16.7 %
		{"complaints −20 %", FigureComplaints, GoalChange, -20}, // 50 → 38: −24 %
		{"satisfaction ≥ 90 %", FigureCSAT, GoalAtLeast, 90},
		{"NPS", FigureNPS, GoalAtLeast, 30}, // no data
		{"tickets ≤ 100", FigureTickets, GoalAtMost, 100},
	}
	out := EvaluateGoals(base, cur, goals)
	assert.True(t, out[0].Met)
	assert.InDelta(t, 100.0/6, out[0].ChangePct, 1e-9)
	assert.True(t, out[1].Met)
	assert.InDelta(t, -24, out[1].ChangePct, 1e-9)
	assert.False(t, out[2].Met)
	assert.True(t, out[2].OK)
	assert.False(t, out[3].OK)
	assert.True(t, out[4].Met)
	assert.Equal(t, "CSAT +15 %: 60.0 → 70.0 (+16.7 %), target 15: met", out[0].String())
	assert.Equal(t, "NPS: no data", out[3].String())
	out = EvaluateGoals(nil, cur, goals[:1])
	assert.False(t, out[0].OK)
}

func TestHeatMapMergeProperty(t *testing.T) {
	recs := generate(8, benchStart, 3000)
	ct, err := NewCrossTab(DimCategory, DimChannel, 3, nil)
	require.NoError(t, err)
	wholeCT, wholeHW := ct.Empty(), NewHourOfWeek(nil)
	for i := range recs {
		wholeCT.Add(&recs[i])
		wholeHW.Add(&recs[i])
	}
	rng := rand.New(rand.NewPCG(8, 8))
	for range 5 {
		k := 1 + rng.IntN(5)
		cts := make([]*CrossTab, k)
		hws := make([]*HourOfWeek, k)
		for i := range k {
			cts[i], hws[i] = ct.Empty(), NewHourOfWeek(nil)
		}
		for _, i := range rng.Perm(len(recs)) {
			s := rng.IntN(k)
			cts[s].Add(&recs[i])
			hws[s].Add(&recs[i])
		}
		for _, i := range rng.Perm(k) {
			if i == 0 {
				continue
			}
			require.NoError(t, cts[0].Merge(cts[i]))
			require.NoError(t, hws[0].Merge(hws[i]))
		}
		assert.Equal(t, wholeCT.Result(), cts[0].Result())
		assert.Equal(t, wholeHW.Result(), hws[0].Result())
	}
}
