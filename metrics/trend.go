package metrics

import (
	"cmp"
	"slices"
	"strings"
	"time"
)

// Figure reads one number from a group; ok == false means "no data".
type Figure func(g *Group) (v float64, ok bool)

// FigureTickets is the number of tickets.
func FigureTickets(g *Group) (float64, bool) { return float64(g.Tickets), true }

// FigureShare is the group's share of its period's tickets in percent.
func FigureShare(g *Group) (float64, bool) { return g.Share.Percent() }

// FigureComplaints is the number of complaints.
func FigureComplaints(g *Group) (float64, bool) { return float64(g.Complaints), true }

// FigureCSAT is CSAT in percent.
func FigureCSAT(g *Group) (float64, bool) { return g.CSAT.Percent() }

// FigureNPS is the NPS score.
func FigureNPS(g *Group) (float64, bool) { return g.NPS.Score() }

// FigureFCR is first-contact resolution in percent.
func FigureFCR(g *Group) (float64, bool) { return g.FCR.Percent() }

// FigureRepeatRate is the repeat-feedback rate in percent.
func FigureRepeatRate(g *Group) (float64, bool) { return g.RepeatRate.Percent() }

// FigureClosureRate is the closure (closed-loop) rate in percent.
func FigureClosureRate(g *Group) (float64, bool) { return g.ClosureRate.Percent() }

// FigureResolutionHours is the mean elapsed resolution time (handling
// time) in hours.
func FigureResolutionHours(g *Group) (float64, bool) {
	d := g.ResolutionElapsed
	return d.Mean.Hours(), d.N > 0
}

// FigureFirstResponseHours is the mean elapsed first-response time in hours.
func FigureFirstResponseHours(g *Group) (float64, bool) {
	d := g.FirstResponseElapsed
	return d.Mean.Hours(), d.N > 0
}

// Change returns the period-over-period change in percent,
// 100·(cur − prev)/|prev|; ok == false when prev is 0.
func Change(prev, cur float64) (pct float64, ok bool) {
	if prev == 0 {
		return 0, false
	}
	d := cur - prev
	if prev < 0 {
		prev = -prev
	}
	return 100 * d / prev, true
}

// TrendPoint is one period of a [Trend]. ChangeOK is false for the first
// period, when either value is "no data" or when the previous value is 0.
type TrendPoint struct {
	Period    string    `json:"period"`
	Start     time.Time `json:"start"`
	Value     float64   `json:"value"`
	OK        bool      `json:"ok"`
	ChangePct float64   `json:"change_pct"`
	ChangeOK  bool      `json:"change_ok"`
}

// Trend is one key's figure over every period of a [Result].
type Trend struct {
	Key    []string     `json:"key"`
	Points []TrendPoint `json:"points"`
}

// periods lists every period start from the earliest to the latest group
// of a period-grouped result, gaps included.
func (r *Result) periods() []time.Time {
	var p Period
	for i, n := range periodNames {
		if n == r.Period {
			p = Period(i)
		}
	}
	if p == PeriodNone || len(r.Groups) == 0 {
		return nil
	}
	first, last := r.Groups[0].PeriodStart, r.Groups[0].PeriodStart
	for i := range r.Groups {
		s := r.Groups[i].PeriodStart
		if s.Before(first) {
			first = s
		}
		if s.After(last) {
			last = s
		}
	}
	var out []time.Time
	for s := first; !s.After(last); s = p.Next(s) {
		out = append(out, s)
	}
	return out
}

// byKey groups a period-grouped result's groups by key: key string →
// period start (Unix) → group.
func (r *Result) byKey() (keys [][]string, idx map[string]map[int64]*Group) {
	idx = map[string]map[int64]*Group{}
	for i := range r.Groups {
		g := &r.Groups[i]
		k := strings.Join(g.Key, "\x00")
		if idx[k] == nil {
			idx[k] = map[int64]*Group{}
			keys = append(keys, g.Key)
		}
		idx[k][g.PeriodStart.Unix()] = g
	}
	return keys, idx
}

// Trends returns one [Trend] per key of a period-grouped result, with every
// period from the first to the last (a period in which a key has no
// tickets reads as an empty group). Keys are in result order. A result
// without periods gives trends without points.
func (r *Result) Trends(f Figure) []Trend {
	periods := r.periods()
	keys, idx := r.byKey()
	var out []Trend
	for _, key := range keys {
		tr := Trend{Key: key}
		m := idx[strings.Join(key, "\x00")]
		for i, s := range periods {
			g := m[s.Unix()]
			if g == nil {
				g = &Group{Key: key}
			}
			v, ok := f(g)
			pt := TrendPoint{Period: r.periodLabel(s), Start: s, Value: v, OK: ok}
			if i > 0 && ok && tr.Points[i-1].OK {
				pt.ChangePct, pt.ChangeOK = Change(tr.Points[i-1].Value, v)
			}
			tr.Points = append(tr.Points, pt)
		}
		out = append(out, tr)
	}
	return out
}

func (r *Result) periodLabel(s time.Time) string {
	for i, n := range periodNames {
		if n == r.Period {
			return Period(i).Label(s)
		}
	}
	return ""
}

// Ranked is one entry of a ranking.
type Ranked struct {
	Rank  int      `json:"rank"`
	Key   []string `json:"key"`
	Value float64  `json:"value"`
}

// Ranking is the top of one period ("" without periods).
type Ranking struct {
	Period  string   `json:"period"`
	Entries []Ranked `json:"entries"`
}

// TopN ranks groups by f, highest first, per period (one ranking without
// periods). Groups whose figure is "no data" are left out; ties are broken
// by key (byte-wise ascending) and share nothing: ranks are 1..n.
func (r *Result) TopN(n int, f Figure) []Ranking {
	var out []Ranking
	if r.Period == PeriodNone.String() {
		return []Ranking{{Entries: rank(r.Groups, n, f)}}
	}
	for _, s := range r.periods() {
		var gs []Group
		for i := range r.Groups {
			if r.Groups[i].PeriodStart.Equal(s) {
				gs = append(gs, r.Groups[i])
			}
		}
		out = append(out, Ranking{Period: r.periodLabel(s), Entries: rank(gs, n, f)})
	}
	return out
}

func rank(gs []Group, n int, f Figure) []Ranked {
	var es []Ranked
	for i := range gs {
		if v, ok := f(&gs[i]); ok {
			es = append(es, Ranked{Key: gs[i].Key, Value: v})
		}
	}
	slices.SortFunc(es, func(a, b Ranked) int {
		if c := cmp.Compare(b.Value, a.Value); c != 0 {
			return c
		}
		return slices.Compare(a.Key, b.Key)
	})
	es = es[:max(0, min(n, len(es)))]
	for i := range es {
		es[i].Rank = i + 1
	}
	return es
}

// Streak is a run of consecutive periods in which a key stayed in the top N.
type Streak struct {
	Key     []string `json:"key"`
	From    string   `json:"from"`
	To      string   `json:"to"`
	Periods int      `json:"periods"`
	Current bool     `json:"current"` // the run reaches the latest period
}

// PersistentTop finds keys in the top n (by f, as [Result.TopN]) for at least k
// consecutive periods — "top 5 for 3 consecutive months". Every maximal
// run is reported, longest first, then by key and start. k < 1 counts as 1.
func (r *Result) PersistentTop(n, k int, f Figure) []Streak {
	rankings := r.TopN(n, f)
	type run struct {
		start, length int
	}
	runs := map[string]*run{}
	keys := map[string][]string{}
	var out []Streak
	flush := func(ks string, end int) {
		ru := runs[ks]
		if ru.length >= k {
			out = append(out, Streak{Key: keys[ks], From: rankings[ru.start].Period, To: rankings[end].Period,
				Periods: ru.length, Current: end == len(rankings)-1})
		}
		delete(runs, ks)
	}
	for i, rk := range rankings {
		seen := map[string]bool{}
		for _, e := range rk.Entries {
			ks := strings.Join(e.Key, "\x00")
			seen[ks] = true
			keys[ks] = e.Key
			if ru := runs[ks]; ru != nil {
				ru.length++
			} else {
				runs[ks] = &run{start: i, length: 1}
			}
		}
		for ks := range runs {
			if !seen[ks] {
				flush(ks, i-1)
			}
		}
	}
	for ks := range runs {
		flush(ks, len(rankings)-1)
	}
	slices.SortFunc(out, func(a, b Streak) int {
		if c := cmp.Compare(b.Periods, a.Periods); c != 0 {
			return c
		}
		if c := slices.Compare(a.Key, b.Key); c != 0 {
			return c
		}
		return cmp.Compare(a.From, b.From)
	})
	return out
}
