package main

import (
	"fmt"
	"math"
	"slices"

	"github.com/closeloop/closeloop/metrics"
)

// review holds every figure of the report.
type review struct {
	seed    uint64
	records int

	month, prev *metrics.Group // totals of the month and the month before
	goals       []metrics.GoalOutcome
	sla         []metrics.SLAFigures // the month's SLA metrics that have clocks
	byPriority  []metrics.Group      // the month per priority

	top      []metrics.Ranked         // top 5 categories of the month
	prevRank map[string]int           // their rank the month before (0: not in the top)
	prevN    map[string]float64       // their tickets the month before
	streaks  []metrics.Streak         // top 5 for ≥ 3 consecutive months
	weeks    []string                 // ISO week labels
	weekly   map[string]metrics.Trend // "tickets", "csat", "fr_sla", "nps"
	catWeeks []metrics.Trend          // weekly tickets of the top 5 categories
	rise     rise                     // largest week-on-week rise of a top category

	heat *metrics.HeatMap // kind × channel × 3-hour slot, the month
	week *metrics.WeekHeatMap

	daily    []float64 // tickets per day since dataStart
	days     []string  // their labels
	forecast *metrics.Forecast

	teams, regions []metrics.UnitComparison
	teamPooled     float64 // mean CSAT answer of all teams together

	tagged  int // tickets of the month with tags
	itemset []metrics.Itemset
	rules   []metrics.AssociationRule

	appendix *metrics.Result // the month by priority
}

type rise struct {
	ok            bool
	category      string
	week          string
	prev, cur     float64
	pct           float64
	weekIdx       int
	prevWeekLabel string
}

// Figures the metrics package does not predefine.
var (
	figClosure = func(g *metrics.Group) (float64, bool) { return g.ClosureRate.Percent() }
	figSurvey  = func(g *metrics.Group) (float64, bool) { return g.SurveyResponseRate.Percent() }
	figFRSLA   = func(g *metrics.Group) (float64, bool) {
		if len(g.SLA) == 0 {
			return 0, false
		}
		return g.SLA[0].Achievement.Percent()
	}
	figNPS = metrics.FigureNPS
)

func analyse(recs []metrics.Record) (*review, error) {
	dims := func(d ...metrics.Dimension) []metrics.Dimension { return d }
	configs := []metrics.Config{
		{Period: metrics.PeriodMonth, Location: zone, AsOf: asOf},                                      // 0 totals by month
		{GroupBy: dims(metrics.DimCategory), Period: metrics.PeriodMonth, Location: zone},              // 1 top problems
		{Period: metrics.PeriodWeek, Location: zone},                                                   // 2 weekly totals
		{GroupBy: dims(metrics.DimCategory), Period: metrics.PeriodWeek, Location: zone},               // 3 weekly per category
		{GroupBy: dims(metrics.DimTeam), Location: zone},                                               // 4 the month per team
		{GroupBy: dims(metrics.DimRegion), Location: zone},                                             // 5 the month per region
		{GroupBy: dims(metrics.DimPriority), Location: zone, AsOf: asOf, Quantiles: []float64{.5, .9}}, // 6 appendix
		{Period: metrics.PeriodDay, Location: zone},                                                    // 7 daily volume
	}
	accs := make([]*metrics.Accumulator, len(configs))
	for i, cfg := range configs {
		agg, err := metrics.New(cfg)
		if err != nil {
			return nil, err
		}
		accs[i] = agg.NewAccumulator()
	}
	heat, err := metrics.NewCrossTab(metrics.DimKind, metrics.DimChannel, 3, zone)
	if err != nil {
		return nil, err
	}
	week := metrics.NewHourOfWeek(zone)
	var tags [][]string
	rv := &review{records: len(recs)}
	for i := range recs {
		r := &recs[i]
		for _, i := range []int{0, 1, 2, 3, 7} {
			accs[i].Add(r)
		}
		if r.Received.Before(monthStart) {
			continue
		}
		for _, a := range accs[4:7] {
			a.Add(r)
		}
		heat.Add(r)
		week.Add(r)
		tags = append(tags, r.Tags)
		if len(r.Tags) > 0 {
			rv.tagged++
		}
	}

	// Headline and goals.
	byMonth := accs[0].Result()
	rv.month, rv.prev = byMonth.Find(monthLabel), byMonth.Find(prevLabel)
	if rv.month == nil || rv.prev == nil {
		return nil, fmt.Errorf("no tickets in %s or %s", prevLabel, monthLabel)
	}
	rv.goals = metrics.EvaluateGoals(rv.prev, rv.month, []metrics.Goal{
		{Name: "satisfaction ≥ 90 % (CSAT, 004)", Figure: metrics.FigureCSAT, Kind: metrics.GoalAtLeast, Target: 90},
		{Name: "closure rate 100 % (004)", Figure: figClosure, Kind: metrics.GoalAtLeast, Target: 100},
		{Name: "collection rate ≥ 95 % (survey response, 004)", Figure: figSurvey, Kind: metrics.GoalAtLeast, Target: 95},
		{Name: "CSAT +15 % (000)", Figure: metrics.FigureCSAT, Kind: metrics.GoalChange, Target: 15},
		{Name: "complaints −20 % (000)", Figure: metrics.FigureComplaints, Kind: metrics.GoalChange, Target: -20},
		{Name: "repeat feedback −30 % (000)", Figure: metrics.FigureRepeatRate, Kind: metrics.GoalChange, Target: -30},
		{Name: "response time −50 % (mean first response, 000)", Figure: metrics.FigureFirstResponseHours, Kind: metrics.GoalChange, Target: -50},
	})
	for _, s := range rv.month.SLA {
		if s.Met+s.Breached+s.Open+s.OpenBreached > 0 {
			rv.sla = append(rv.sla, s)
		}
	}
	rv.appendix = accs[6].Result()
	rv.byPriority = rv.appendix.Groups

	// Top problems.
	byCat := accs[1].Result()
	rank := map[string][]metrics.Ranked{}
	for _, rk := range byCat.TopN(5, metrics.FigureTickets) {
		rank[rk.Period] = rk.Entries
	}
	rv.top = rank[monthLabel]
	rv.prevRank = map[string]int{}
	rv.prevN = map[string]float64{}
	for _, e := range rank[prevLabel] {
		rv.prevRank[e.Key[0]] = e.Rank
	}
	for _, e := range rv.top {
		if g := byCat.Find(prevLabel, e.Key[0]); g != nil {
			rv.prevN[e.Key[0]] = float64(g.Tickets)
		}
	}
	rv.streaks = byCat.PersistentTop(5, 3, metrics.FigureTickets)

	// Weekly trends.
	weekly := accs[2].Result()
	rv.weekly = map[string]metrics.Trend{}
	for name, f := range map[string]metrics.Figure{
		"tickets": metrics.FigureTickets, "csat": metrics.FigureCSAT, "fr_sla": figFRSLA, "nps": figNPS,
	} {
		rv.weekly[name] = weekly.Trends(f)[0]
	}
	for _, p := range rv.weekly["tickets"].Points {
		rv.weeks = append(rv.weeks, p.Period)
	}
	topCats := make([]string, len(rv.top))
	for i, e := range rv.top {
		topCats[i] = e.Key[0]
	}
	for _, t := range accs[3].Result().Trends(metrics.FigureTickets) {
		if i := slices.Index(topCats, t.Key[0]); i >= 0 && len(t.Points) == len(rv.weeks) {
			rv.catWeeks = append(rv.catWeeks, t)
		}
	}
	slices.SortFunc(rv.catWeeks, func(a, b metrics.Trend) int {
		return slices.Index(topCats, a.Key[0]) - slices.Index(topCats, b.Key[0])
	})
	for _, t := range rv.catWeeks {
		for i, p := range t.Points {
			if p.ChangeOK && (!rv.rise.ok || p.ChangePct > rv.rise.pct) {
				rv.rise = rise{ok: true, category: t.Key[0], week: p.Period, pct: p.ChangePct,
					prev: t.Points[i-1].Value, cur: p.Value, weekIdx: i, prevWeekLabel: t.Points[i-1].Period}
			}
		}
	}

	rv.heat = heat.Result()
	rv.week = week.Result()

	// Staffing: next week's daily volume, tested on the last two weeks.
	for _, p := range accs[7].Result().Trends(metrics.FigureTickets)[0].Points {
		rv.daily = append(rv.daily, p.Value)
		rv.days = append(rv.days, p.Period)
	}
	if rv.forecast, err = metrics.HoltWinters(rv.daily, 7, 14, 7); err != nil {
		return nil, err
	}

	// Units below the rest.
	teams := accs[4].Result()
	rv.teams = metrics.CompareUnits(teams.Units((*metrics.Group).SatisfactionSample), alpha, metrics.Holm)
	if m, ok := teams.Total.MeanSatisfaction.Get(); ok {
		rv.teamPooled = m
	}
	rv.regions = metrics.CompareUnits(accs[5].Result().Units((*metrics.Group).NPSSample), alpha, metrics.Holm)

	// Co-occurring problems.
	rv.itemset, rv.rules = metrics.Apriori(tags, 0.01, 0.5, 3)
	return rv, nil
}

// ci95 is the half-width of a normal 95 % interval of a unit's mean.
func ci95(u metrics.UnitComparison) float64 {
	if u.N < 2 {
		return 0
	}
	return 1.96 * u.SD / math.Sqrt(float64(u.N))
}
