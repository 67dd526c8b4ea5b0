package risk

import (
	"encoding/json"
	"errors"
	"math"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/closeloop/closeloop/metrics"
	"github.com/closeloop/closeloop/sla"
)

// geo returns n durations 10 minutes × 1.05^i, far enough apart that the
// sketch keeps each in its own bin.
func geo(n int) []time.Duration {
	out := make([]time.Duration, n)
	for i := range out {
		out[i] = time.Duration(float64(10*time.Minute) * math.Pow(1.05, float64(i)))
	}
	return out
}

// mid is a duration strictly between geo(n)[i] and geo(n)[i+1].
func mid(i int) time.Duration {
	g := geo(i + 2)
	return time.Duration(math.Sqrt(float64(g[i]) * float64(g[i+1])))
}

// fixture is a history grouped by priority, category and team:
//
//	P1 / battery / east   12 tickets   geo(12)
//	P1 / battery / west   40 tickets   geo(40)
//	P1 / billing / north 200 tickets   geo(200)
//	P2 / billing / north   5 tickets   geo(5)
//
// First-response business time d, elapsed time 3d, resolution business 2d.
func fixture(t testing.TB, cfg Config) *Model {
	agg, err := metrics.New(metrics.Config{GroupBy: []metrics.Dimension{metrics.DimPriority, metrics.DimCategory, metrics.DimTeam}})
	require.NoError(t, err)
	acc := agg.NewAccumulator()
	at := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, g := range []struct {
		p, c, team string
		n          int
	}{{"P1", "battery", "east", 12}, {"P1", "battery", "west", 40}, {"P1", "billing", "north", 200}, {"P2", "billing", "north", 5}} {
		for _, d := range geo(g.n) {
			acc.Add(&metrics.Record{
				Priority: g.p, Category: g.c, Team: g.team, Received: at,
				FirstResponse: at.Add(3 * d), Resolved: at.Add(6 * d),
				FirstResponseBusiness: d, ResolutionBusiness: 2 * d, BusinessTimes: true,
			})
		}
	}
	dims := []metrics.Dimension{metrics.DimPriority, metrics.DimCategory, metrics.DimTeam}
	m, err := FromAccumulator(cfg, acc, dims, dims[:2], dims[:1])
	require.NoError(t, err)
	return m
}

func running(name string, kind sla.MetricKind, unit sla.Unit, e, budget time.Duration) sla.MetricReport {
	return sla.MetricReport{
		Name: name, Kind: kind, Status: sla.Running, HasTarget: true,
		Target:  sla.Target{Unit: unit, Duration: budget, Calendar: "office"},
		Elapsed: e, Remaining: budget - e,
		Deadline: time.Date(2024, 3, 1, 12, 0, 0, 0, time.UTC),
	}
}

type cand struct {
	level     int
	tickets   int64
	longer    int64
	shortfall Shortfall
}

func candOf(c Candidate) cand { return cand{c.Level, c.Tickets, c.Longer, c.Shortfall} }

func TestRisk(t *testing.T) {
	m := fixture(t, Config{Sources: map[string]Source{"repair": ResolutionBusiness}})
	fr := func(e, budget time.Duration) sla.MetricReport {
		return running("first_response", sla.FirstResponse, sla.Business, e, budget)
	}
	with := func(mr sla.MetricReport, f func(*sla.MetricReport)) sla.MetricReport { f(&mr); return mr }
	const billingNorth = "priority P1 / category billing / team north"
	tests := []struct {
		name       string
		p, c, team string
		metric     sla.MetricReport
		basis      Basis
		breaching  int64
		source     Source
		group      string
		used       cand
		passed     []cand
		thin       bool
	}{
		{name: "finest group", p: "P1", c: "billing", team: "north", metric: fr(mid(100), mid(150)),
			basis: Estimated, breaching: 49, source: FirstResponseBusiness, group: billingNorth, used: cand{0, 200, 99, Used}},
		{name: "paused like running", p: "P1", c: "billing", team: "north",
			metric: with(fr(mid(100), mid(150)), func(m *sla.MetricReport) { m.Status = sla.Paused }),
			basis:  Estimated, breaching: 49, source: FirstResponseBusiness, group: billingNorth, used: cand{0, 200, 99, Used}},
		{name: "at the deadline", p: "P1", c: "billing", team: "north", metric: fr(mid(100), mid(100)),
			basis: Estimated, breaching: 99, source: FirstResponseBusiness, group: billingNorth, used: cand{0, 200, 99, Used}},
		{name: "elapsed target reads elapsed times", p: "P1", c: "billing", team: "north",
			metric: running("first_response", sla.FirstResponse, sla.Elapsed, 3*mid(100), 3*mid(150)),
			basis:  Estimated, breaching: 49, source: FirstResponseElapsed, group: billingNorth, used: cand{0, 200, 99, Used}},
		{name: "resolution", p: "P1", c: "billing", team: "north",
			metric: running("resolution", sla.Resolution, sla.Business, 2*mid(100), 2*mid(150)),
			basis:  Estimated, breaching: 49, source: ResolutionBusiness, group: billingNorth, used: cand{0, 200, 99, Used}},
		{name: "working days read business times", p: "P1", c: "billing", team: "north",
			metric: running("resolution", sla.Resolution, sla.WorkingDays, 2*mid(100), 2*mid(150)),
			basis:  Estimated, breaching: 49, source: ResolutionBusiness, group: billingNorth, used: cand{0, 200, 99, Used}},
		{name: "custom metric mapped by name", p: "P1", c: "billing", team: "north",
			metric: running("repair", sla.Custom, sla.Business, 2*mid(100), 2*mid(150)),
			basis:  Estimated, breaching: 49, source: ResolutionBusiness, group: billingNorth, used: cand{0, 200, 99, Used}},
		{name: "few tickets", p: "P1", c: "battery", team: "east", metric: fr(0, mid(20)),
			basis: Estimated, breaching: 19, source: FirstResponseBusiness, group: "priority P1 / category battery",
			used: cand{1, 52, 52, Used}, passed: []cand{{0, 12, 12, FewTickets}}},
		{name: "no group", p: "P1", c: "battery", team: "south", metric: fr(0, mid(20)),
			basis: Estimated, breaching: 19, source: FirstResponseBusiness, group: "priority P1 / category battery",
			used: cand{1, 52, 52, Used}, passed: []cand{{0, 0, 0, NoGroup}}},
		{name: "few longer", p: "P1", c: "battery", team: "west", metric: fr(mid(34), mid(60)),
			basis: Estimated, breaching: 139, source: FirstResponseBusiness, group: "priority P1",
			used: cand{2, 252, 170, Used}, passed: []cand{{0, 40, 5, FewLonger}, {1, 52, 5, FewLonger}}},
		{name: "all tickets", p: "P2", c: "billing", team: "north", metric: fr(0, mid(2)),
			basis: Estimated, breaching: 245, source: FirstResponseBusiness, group: "all tickets",
			used: cand{3, 257, 257, Used}, passed: []cand{{0, 5, 5, FewTickets}, {1, 5, 5, FewTickets}, {2, 5, 5, FewTickets}}},
		{name: "thin", p: "P1", c: "billing", team: "north", metric: fr(mid(195), mid(197)),
			basis: Estimated, breaching: 2, source: FirstResponseBusiness, group: billingNorth, thin: true,
			used:   cand{0, 200, 4, FewLonger},
			passed: []cand{{0, 200, 4, FewLonger}, {1, 200, 4, FewLonger}, {2, 252, 4, FewLonger}, {3, 257, 4, FewLonger}}},
		{name: "beyond history", p: "P1", c: "billing", team: "north", metric: fr(mid(205), mid(210)),
			basis: BeyondHistory, source: FirstResponseBusiness, group: "all tickets",
			used:   cand{3, 257, 0, FewLonger},
			passed: []cand{{0, 200, 0, FewLonger}, {1, 200, 0, FewLonger}, {2, 252, 0, FewLonger}, {3, 257, 0, FewLonger}}},
		{name: "breached", p: "P1", c: "billing", team: "north",
			metric: with(fr(mid(100), mid(100)), func(m *sla.MetricReport) { m.Status, m.Remaining = sla.Breached, 0 }), basis: Certain},
		{name: "met", p: "P1", c: "billing", team: "north",
			metric: with(fr(mid(100), mid(150)), func(m *sla.MetricReport) { m.Status = sla.Met }), basis: NoRisk},
		{name: "cancelled", p: "P1", c: "billing", team: "north",
			metric: with(fr(mid(100), mid(150)), func(m *sla.MetricReport) { m.Status = sla.Cancelled }), basis: NoRisk},
		{name: "no target", p: "P1", c: "billing", team: "north",
			metric: with(fr(mid(100), mid(150)), func(m *sla.MetricReport) { m.HasTarget, m.Remaining = false, 0 }), basis: NoRisk},
		{name: "pending", p: "P1", c: "billing", team: "north",
			metric: with(fr(0, mid(150)), func(m *sla.MetricReport) { m.Status, m.Remaining = sla.Pending, 0 }), basis: NotStarted},
		{name: "follow-up has no distribution", p: "P1", c: "billing", team: "north",
			metric: running("follow_up", sla.FollowUp, sla.Elapsed, time.Hour, 24*time.Hour), basis: NoDistribution},
		{name: "custom metric unmapped", p: "P1", c: "billing", team: "north",
			metric: running("inspection", sla.Custom, sla.Elapsed, time.Hour, 24*time.Hour), basis: NoDistribution},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			facts := metrics.Record{Priority: tt.p, Category: tt.c, Team: tt.team}
			got, err := m.Risk(&facts, &sla.Report{Metrics: []sla.MetricReport{tt.metric}})
			require.NoError(t, err)
			require.Len(t, got, 1)
			r := got[0]
			assert.Equal(t, tt.metric.Name, r.Metric)
			assert.Equal(t, tt.metric.Status, r.Status)
			assert.Equal(t, tt.metric.Deadline, r.Deadline)
			assert.Equal(t, tt.basis, r.Basis)
			assert.Equal(t, tt.source, r.Source)
			assert.Equal(t, tt.thin, r.Thin)
			switch tt.basis {
			case Estimated:
				assert.Equal(t, tt.breaching, r.Breaching)
				assert.InDelta(t, float64(tt.breaching)/float64(tt.used.longer), r.Probability, 1e-12)
			case Certain:
				assert.Equal(t, 1.0, r.Probability)
			default:
				assert.Zero(t, r.Probability)
			}
			if tt.group != "" {
				assert.Equal(t, tt.group, r.Group.Group)
				assert.Equal(t, tt.used, candOf(r.Group))
			}
			var passed []cand
			for _, c := range r.Passed {
				passed = append(passed, candOf(c))
			}
			assert.Equal(t, tt.passed, passed)
			assert.NotEmpty(t, r.Explain())
		})
	}
}

// TestExplain: the plain-words account of each kind of result.
func TestExplain(t *testing.T) {
	m := fixture(t, Config{})
	tests := []struct {
		name       string
		p, c, team string
		metric     sla.MetricReport
		want       string
	}{
		{"finest group", "P1", "billing", "north", running("first_response", sla.FirstResponse, sla.Business, mid(100), mid(150)),
			"first_response 49% (priority P1 / category billing / team north: 99 of 200 lasted longer than 22h27m29s, 49 of those longer than 257h32m10s)"},
		{"fallbacks", "P1", "battery", "west", running("first_response", sla.FirstResponse, sla.Business, mid(34), mid(60)),
			"first_response 82% (priority P1 / category battery / team west: 5 of 40 tickets longer than 53m50s < 10; " +
				"priority P1 / category battery: 5 of 52 tickets longer than 53m50s < 10; " +
				"fell back to priority P1: 170 of 252 lasted longer than 53m50s, 139 of those longer than 3h11m24s)"},
		{"no group", "P3", "battery", "south", running("first_response", sla.FirstResponse, sla.Business, 0, mid(20)),
			"first_response 77% (priority P3 / category battery / team south: no tickets; priority P3 / category battery: no tickets; " +
				"priority P3: no tickets; fell back to all tickets: 257 of 257 lasted longer than 0s, 198 of those longer than 27m11s)"},
		{"thin", "P1", "billing", "north", running("first_response", sla.FirstResponse, sla.Business, mid(195), mid(197)),
			"first_response 50% (priority P1 / category billing / team north: 4 of 200 tickets longer than 2313h57m53s < 10; " +
				"priority P1 / category billing: 4 of 200 tickets longer than 2313h57m53s < 10; priority P1: 4 of 252 tickets longer than 2313h57m53s < 10; " +
				"all tickets: 4 of 257 tickets longer than 2313h57m53s < 10; " +
				"no group has enough, so the one with the most longer: priority P1 / category billing / team north: 4 of 200 lasted longer than 2313h57m53s, 2 of those longer than 2551h8m46s)"},
		{"beyond history", "P1", "billing", "north", running("first_response", sla.FirstResponse, sla.Business, mid(205), mid(210)),
			"first_response no estimate (priority P1 / category billing / team north: 0 of 200 tickets longer than 3769h12m16s < 10; " +
				"priority P1 / category billing: 0 of 200 tickets longer than 3769h12m16s < 10; priority P1: 0 of 252 tickets longer than 3769h12m16s < 10; " +
				"all tickets: 0 of 257 tickets longer than 3769h12m16s < 10; no first_response_business duration in any group is longer than 3769h12m16s)"},
		{"breached", "P1", "billing", "north", sla.MetricReport{Name: "resolution", Kind: sla.Resolution, Status: sla.Breached, HasTarget: true},
			"resolution breached"},
		{"met", "P1", "billing", "north", sla.MetricReport{Name: "resolution", Kind: sla.Resolution, Status: sla.Met, HasTarget: true},
			"resolution met: no risk"},
		{"pending", "P1", "billing", "north", sla.MetricReport{Name: "resolution", Kind: sla.Resolution, Status: sla.Pending, HasTarget: true},
			"resolution not started: no estimate"},
		{"no distribution", "P1", "billing", "north", running("follow_up", sla.FollowUp, sla.Elapsed, time.Hour, 24*time.Hour),
			"follow_up no estimate: no historical distribution for a follow_up clock"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			facts := metrics.Record{Priority: tt.p, Category: tt.c, Team: tt.team}
			got, err := m.Risk(&facts, &sla.Report{Metrics: []sla.MetricReport{tt.metric}})
			require.NoError(t, err)
			assert.Equal(t, tt.want, got[0].Explain())
		})
	}
}

// TestRiskReportOrder: one result per metric, in the report's order, the
// dimension values read from the record.
func TestRiskReportOrder(t *testing.T) {
	m := fixture(t, Config{})
	rep := &sla.Report{Metrics: []sla.MetricReport{
		running("first_response", sla.FirstResponse, sla.Business, mid(100), mid(150)),
		{Name: "follow_up", Kind: sla.FollowUp, Status: sla.Pending, HasTarget: true},
		running("resolution", sla.Resolution, sla.Business, 2*mid(10), 2*mid(150)),
	}}
	facts := metrics.Record{Priority: "P1", Category: "billing", Team: "north", Agent: "a7", Region: "east"}
	got, err := m.Risk(&facts, rep)
	require.NoError(t, err)
	require.Len(t, got, 3)
	assert.Equal(t, []string{"first_response", "follow_up", "resolution"}, []string{got[0].Metric, got[1].Metric, got[2].Metric})
	assert.Equal(t, []Basis{Estimated, NotStarted, Estimated}, []Basis{got[0].Basis, got[1].Basis, got[2].Basis})
	assert.InDelta(t, 49.0/189, got[2].Probability, 1e-12)

	// RiskInto reuses the slice.
	again, err := m.RiskInto(got[:0], &facts, rep)
	require.NoError(t, err)
	assert.Equal(t, got, again)
	assert.Same(t, &got[0], &again[0])
}

func TestRiskErrors(t *testing.T) {
	m := fixture(t, Config{})
	ok := running("first_response", sla.FirstResponse, sla.Business, time.Hour, 2*time.Hour)
	bad := func(f func(*sla.MetricReport)) *sla.Report {
		b := ok
		f(&b)
		return &sla.Report{Metrics: []sla.MetricReport{ok, b}}
	}
	tests := []struct {
		name  string
		facts *metrics.Record
		rep   *sla.Report
		field string
	}{
		{"nil facts", nil, &sla.Report{}, "facts"},
		{"nil report", &metrics.Record{}, nil, "report"},
		{"negative elapsed", &metrics.Record{}, bad(func(m *sla.MetricReport) { m.Elapsed = -time.Second }), "report.metrics[1].elapsed"},
		{"negative remaining", &metrics.Record{}, bad(func(m *sla.MetricReport) { m.Remaining = -time.Second }), "report.metrics[1].remaining"},
		{"status zero", &metrics.Record{}, bad(func(m *sla.MetricReport) { m.Status = 0 }), "report.metrics[1].status"},
		{"status out of range", &metrics.Record{}, bad(func(m *sla.MetricReport) { m.Status = 42 }), "report.metrics[1].status"},
		{"unit out of range", &metrics.Record{}, bad(func(m *sla.MetricReport) { m.Target.Unit = 9 }), "report.metrics[1].target.unit"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			got, err := m.Risk(tt.facts, tt.rep)
			require.Error(t, err)
			assert.Empty(t, got)
			assert.ErrorIs(t, err, ErrInput)
			var ie *InputError
			require.ErrorAs(t, err, &ie)
			assert.Equal(t, tt.field, ie.Field)
			assert.Contains(t, err.Error(), tt.field)
		})
	}
	// No target: the unit is not read.
	got, err := m.Risk(&metrics.Record{}, bad(func(m *sla.MetricReport) { m.HasTarget, m.Target.Unit = false, 9 }))
	require.NoError(t, err)
	assert.Equal(t, NoRisk, got[1].Basis)
}

func TestNewErrors(t *testing.T) {
	good := &metrics.Result{GroupBy: []string{"priority"}, Groups: []metrics.Group{{Key: []string{"P1"}}}}
	tests := []struct {
		name   string
		cfg    Config
		levels []*metrics.Result
		path   string
	}{
		{"negative min samples", Config{MinSamples: -1}, []*metrics.Result{good}, "min_samples"},
		{"negative min longer", Config{MinLonger: -1}, []*metrics.Result{good}, "min_longer"},
		{"no level", Config{}, nil, "levels"},
		{"too many levels", Config{}, []*metrics.Result{good, good, good, good, good, good, good, good, good}, "levels"},
		{"eight levels and all tickets", Config{}, []*metrics.Result{good, good, good, good, good, good, good, good}, "levels"},
		{"nil level", Config{}, []*metrics.Result{good, nil}, "levels[1]"},
		{"periods", Config{}, []*metrics.Result{{GroupBy: []string{"priority"}, Period: "month"}}, "levels[0].period"},
		{"unknown dimension", Config{}, []*metrics.Result{{GroupBy: []string{"priority", "colour"}}}, "levels[0].group_by[1]"},
		{"too many dimensions", Config{}, []*metrics.Result{{GroupBy: []string{"priority", "team", "kind", "tier", "region"}}}, "levels[0].group_by"},
		{"key length", Config{}, []*metrics.Result{good, {GroupBy: []string{"priority"}, Groups: []metrics.Group{{Key: []string{"P1"}}, {Key: nil}}}}, "levels[1].groups[1].key"},
		{"duplicate key", Config{}, []*metrics.Result{{GroupBy: []string{"priority"}, Groups: []metrics.Group{{Key: []string{"P1"}}, {Key: []string{"P1"}}}}}, "levels[0].groups[1].key"},
		{"unknown source", Config{Sources: map[string]Source{"repair": 9}}, []*metrics.Result{good}, `sources["repair"]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			m, err := New(tt.cfg, tt.levels...)
			require.Error(t, err)
			assert.Nil(t, m)
			assert.ErrorIs(t, err, ErrConfig)
			var ce *ConfigError
			require.ErrorAs(t, err, &ce)
			assert.Equal(t, tt.path, ce.Path)
		})
	}
	// Eight levels are fine when the last is grouped by nothing.
	all := &metrics.Result{}
	m, err := New(Config{}, good, good, good, good, good, good, good, all)
	require.NoError(t, err)
	assert.Len(t, m.Levels(), 8)
}

func TestFromAccumulatorErrors(t *testing.T) {
	_, err := FromAccumulator(Config{}, nil, []metrics.Dimension{metrics.DimPriority})
	var ce *ConfigError
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "accumulator", ce.Path)

	agg, err := metrics.New(metrics.Config{GroupBy: []metrics.Dimension{metrics.DimPriority}})
	require.NoError(t, err)
	_, err = FromAccumulator(Config{}, agg.NewAccumulator(), []metrics.Dimension{metrics.DimPriority}, []metrics.Dimension{metrics.DimTeam})
	require.ErrorAs(t, err, &ce)
	assert.Equal(t, "levels[1]", ce.Path)
	assert.ErrorIs(t, err, ErrConfig)
	assert.ErrorIs(t, err, metrics.ErrConfig, "the rollup's error is kept")
}

func TestModelLevels(t *testing.T) {
	m := fixture(t, Config{})
	assert.Equal(t, []string{"priority / category / team", "priority / category", "priority", "all tickets"}, m.Levels())
	assert.Equal(t, int64(DefaultMinSamples), m.MinSamples())
	assert.Equal(t, int64(DefaultMinLonger), m.MinLonger())
	m = fixture(t, Config{MinSamples: 5, MinLonger: 2})
	assert.Equal(t, int64(5), m.MinSamples())
	assert.Equal(t, int64(2), m.MinLonger())

	// With thresholds 5 / 2 the P2 group of 5 tickets is used.
	facts := metrics.Record{Priority: "P2", Category: "billing", Team: "north"}
	got, err := m.Risk(&facts, &sla.Report{Metrics: []sla.MetricReport{running("first_response", sla.FirstResponse, sla.Business, 0, mid(2))}})
	require.NoError(t, err)
	assert.Equal(t, 0, got[0].Group.Level)
	assert.Equal(t, int64(2), got[0].Breaching)
}

// TestLevelGroupedByNothing: a result grouped by nothing is a level of its
// own (its Total), and no all-tickets level is added after it.
func TestLevelGroupedByNothing(t *testing.T) {
	agg, err := metrics.New(metrics.Config{})
	require.NoError(t, err)
	acc := agg.NewAccumulator()
	at := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for _, d := range geo(50) {
		acc.Add(&metrics.Record{Received: at, FirstResponse: at.Add(d), FirstResponseBusiness: d, BusinessTimes: true})
	}
	m, err := New(Config{}, acc.Result())
	require.NoError(t, err)
	assert.Equal(t, []string{"all tickets"}, m.Levels())
	got, err := m.Risk(&metrics.Record{Priority: "P1"}, &sla.Report{Metrics: []sla.MetricReport{running("first_response", sla.FirstResponse, sla.Business, mid(9), mid(29))}})
	require.NoError(t, err)
	assert.Equal(t, Estimated, got[0].Basis)
	assert.Equal(t, "all tickets", got[0].Group.Group)
	assert.InDelta(t, 20.0/40, got[0].Probability, 1e-12)
}

// TestEmptyValueLabel: an empty dimension value is a value like any other
// and is shown as "".
func TestEmptyValueLabel(t *testing.T) {
	assert.Equal(t, `priority P1 / team ""`, groupLabel([]metrics.Dimension{metrics.DimPriority, metrics.DimTeam}, []string{"P1", ""}))
	assert.Equal(t, "all tickets", groupLabel(nil, nil))
}

// TestDimValue: every dimension reads its own Record field.
func TestDimValue(t *testing.T) {
	r := metrics.Record{Kind: "k", Category: "c", Channel: "ch", Priority: "p", Tier: "ti", Region: "r", Team: "te",
		Agent: "a", BusinessLine: "b", Custom: [metrics.MaxCustom]string{"c0", "c1", "c2", "c3"}}
	want := map[string]string{"kind": "k", "category": "c", "channel": "ch", "priority": "p", "tier": "ti", "region": "r",
		"team": "te", "agent": "a", "business_line": "b", "custom0": "c0", "custom1": "c1", "custom2": "c2", "custom3": "c3"}
	for d := metrics.DimKind; d <= metrics.DimCustom3; d++ {
		assert.Equal(t, want[d.String()], d.Value(&r), d.String())
	}
}

// TestMetricRiskJSON: a result round-trips through JSON.
func TestMetricRiskJSON(t *testing.T) {
	m := fixture(t, Config{})
	facts := metrics.Record{Priority: "P1", Category: "battery", Team: "west"}
	got, err := m.Risk(&facts, &sla.Report{Metrics: []sla.MetricReport{running("first_response", sla.FirstResponse, sla.Business, mid(34), mid(60))}})
	require.NoError(t, err)
	b, err := json.Marshal(got)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"basis":"estimated"`)
	assert.Contains(t, string(b), `"shortfall":"few_longer"`)
	assert.Contains(t, string(b), `"source":"first_response_business"`)
	var back []MetricRisk
	require.NoError(t, json.Unmarshal(b, &back))
	assert.Equal(t, got, back)
}

func TestEnumNames(t *testing.T) {
	for b := Estimated; b <= BeyondHistory; b++ {
		var back Basis
		require.NoError(t, back.UnmarshalText([]byte(b.String())))
		assert.Equal(t, b, back)
	}
	for s := FirstResponseBusiness; s <= ResolutionElapsed; s++ {
		var back Source
		require.NoError(t, back.UnmarshalText([]byte(s.String())))
		assert.Equal(t, s, back)
	}
	for s := Used; s <= FewLonger; s++ {
		var back Shortfall
		require.NoError(t, back.UnmarshalText([]byte(s.String())))
		assert.Equal(t, s, back)
	}
	var b Basis
	assert.Error(t, b.UnmarshalText(nil), "a basis has no empty name")
	assert.Error(t, b.UnmarshalText([]byte("likely")))
	assert.Equal(t, "unknown", Basis(0).String())
	assert.Equal(t, "unknown", Source(42).String())
	assert.Equal(t, "unknown", Shortfall(42).String())
	assert.True(t, Estimated.Known())
	assert.True(t, Certain.Known())
	assert.False(t, BeyondHistory.Known())
}

func TestDefaultSource(t *testing.T) {
	assert.Equal(t, FirstResponseBusiness, DefaultSource(sla.FirstResponse, sla.Business))
	assert.Equal(t, FirstResponseBusiness, DefaultSource(sla.FirstResponse, sla.WorkingDays))
	assert.Equal(t, FirstResponseElapsed, DefaultSource(sla.FirstResponse, sla.Elapsed))
	assert.Equal(t, ResolutionBusiness, DefaultSource(sla.Resolution, sla.Business))
	assert.Equal(t, ResolutionBusiness, DefaultSource(sla.Resolution, sla.WorkingDays))
	assert.Equal(t, ResolutionElapsed, DefaultSource(sla.Resolution, sla.Elapsed))
	for _, k := range []sla.MetricKind{sla.FollowUp, sla.PeriodicUpdate, sla.TimeInStage, sla.Custom, sla.NextReply} {
		assert.Zero(t, DefaultSource(k, sla.Business), k.String())
	}
}

// TestSaturatingBudget: a remaining time that would overflow the elapsed
// one counts as beyond every duration.
func TestSaturatingBudget(t *testing.T) {
	m := fixture(t, Config{})
	mr := running("first_response", sla.FirstResponse, sla.Business, mid(100), mid(150))
	mr.Remaining = math.MaxInt64
	got, err := m.Risk(&metrics.Record{Priority: "P1", Category: "billing", Team: "north"}, &sla.Report{Metrics: []sla.MetricReport{mr}})
	require.NoError(t, err)
	assert.Equal(t, Estimated, got[0].Basis)
	assert.Zero(t, got[0].Probability)
	assert.Contains(t, got[0].Explain(), "0 of those longer than 2562047h47m16")
}

// TestConcurrentRisk: a model serves several goroutines (run with -race).
func TestConcurrentRisk(t *testing.T) {
	m := fixture(t, Config{})
	rep := &sla.Report{Metrics: []sla.MetricReport{running("first_response", sla.FirstResponse, sla.Business, mid(34), mid(60))}}
	want, err := m.Risk(&metrics.Record{Priority: "P1", Category: "battery", Team: "west"}, rep)
	require.NoError(t, err)
	var wg sync.WaitGroup
	errs := make(chan error, 4)
	for range 4 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			facts := metrics.Record{Priority: "P1", Category: "battery", Team: "west"}
			for range 200 {
				got, err := m.Risk(&facts, rep)
				if err != nil || got[0].Probability != want[0].Probability {
					errs <- errors.New("a concurrent estimate differs")
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		t.Error(err)
	}
}
