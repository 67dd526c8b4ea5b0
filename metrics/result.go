package metrics

import (
	"cmp"
	"encoding/json"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"strings"
	"time"

	"github.com/DataDog/sketches-go/ddsketch/mapping"
)

// NoData is how an undefined figure (empty denominator) renders.
const NoData = "no data"

// Ratio is a count-based figure: Num ÷ Den. Den == 0 means "no data":
// Value reports ok == false, never NaN.
type Ratio struct {
	Num int64 `json:"num"`
	Den int64 `json:"den"`
}

// Value returns Num/Den, or ok == false when Den is 0.
func (r Ratio) Value() (v float64, ok bool) {
	if r.Den == 0 {
		return 0, false
	}
	return float64(r.Num) / float64(r.Den), true
}

// Percent returns 100·Num/Den, or ok == false when Den is 0.
func (r Ratio) Percent() (float64, bool) {
	v, ok := r.Value()
	return 100 * v, ok
}

// String renders "87.5 % (7/8)" or "no data".
func (r Ratio) String() string {
	p, ok := r.Percent()
	if !ok {
		return NoData
	}
	return fmt.Sprintf("%s %% (%d/%d)", fmtFloat(p, 1), r.Num, r.Den)
}

// MarshalJSON writes {"num":7,"den":8,"value":0.875}, value null for no data.
func (r Ratio) MarshalJSON() ([]byte, error) {
	type plain Ratio
	v, ok := r.Value()
	return json.Marshal(struct {
		plain
		Value *float64 `json:"value"`
	}{plain(r), ptrIf(v, ok)})
}

func ptrIf(v float64, ok bool) *float64 {
	if !ok {
		return nil
	}
	return &v
}

// Mean is an average over N answers; N == 0 means "no data".
type Mean struct {
	N     int64   `json:"n"`
	Value float64 `json:"-"`
}

// Get returns the mean, or ok == false when N is 0.
func (m Mean) Get() (float64, bool) { return m.Value, m.N > 0 }

// String renders the mean with two decimals, or "no data".
func (m Mean) String() string {
	if m.N == 0 {
		return NoData
	}
	return fmtFloat(m.Value, 2)
}

// MarshalJSON writes {"n":12,"value":4.25}, value null for no data.
func (m Mean) MarshalJSON() ([]byte, error) {
	return json.Marshal(struct {
		N     int64    `json:"n"`
		Value *float64 `json:"value"`
	}{m.N, ptrIf(m.Value, m.N > 0)})
}

func meanOf(sum, n int64) Mean {
	if n == 0 {
		return Mean{}
	}
	return Mean{N: n, Value: float64(sum) / float64(n)}
}

// NPS holds Net Promoter counts: promoters answer 9–10, passives 7–8,
// detractors 0–6.
type NPS struct {
	Promoters  int64 `json:"promoters"`
	Passives   int64 `json:"passives"`
	Detractors int64 `json:"detractors"`
}

// Responses is the number of NPS answers.
func (n NPS) Responses() int64 { return n.Promoters + n.Passives + n.Detractors }

// Score returns 100·(promoters − detractors) ÷ responses in [−100, 100],
// or ok == false without responses.
func (n NPS) Score() (float64, bool) {
	t := n.Responses()
	if t == 0 {
		return 0, false
	}
	return 100 * float64(n.Promoters-n.Detractors) / float64(t), true
}

// String renders the score with one decimal, or "no data".
func (n NPS) String() string {
	s, ok := n.Score()
	if !ok {
		return NoData
	}
	return fmtFloat(s, 1)
}

// MarshalJSON adds the score (null for no data).
func (n NPS) MarshalJSON() ([]byte, error) {
	type plain NPS
	s, ok := n.Score()
	return json.Marshal(struct {
		plain
		Score *float64 `json:"score"`
	}{plain(n), ptrIf(s, ok)})
}

// QuantileValue is one quantile of a duration distribution.
type QuantileValue struct {
	Q     float64       `json:"q"`
	Value time.Duration `json:"ns"`
}

// DurationStats summarises one duration metric. N, Mean, Min and Max are
// exact (the mean is rounded to the nanosecond); quantiles come from a
// DDSketch and are within the configured relative accuracy of the true
// value at that rank (clamped to [Min, Max]). N == 0 means "no data".
type DurationStats struct {
	N         int64           `json:"n"`
	Mean      time.Duration   `json:"mean_ns"`
	Min       time.Duration   `json:"min_ns"`
	Max       time.Duration   `json:"max_ns"`
	Quantiles []QuantileValue `json:"quantiles"`
	sketch    *durSketch
}

// Quantile returns any quantile q in [0, 1] (0 is Min, 1 is Max), or
// ok == false without data or for q outside [0, 1]. The quantile is the
// value at rank q·(N−1) of the sorted sample, within the sketch's
// relative accuracy.
func (d DurationStats) Quantile(q float64) (time.Duration, bool) {
	if d.N == 0 || !(q >= 0 && q <= 1) {
		return 0, false
	}
	switch {
	case q == 0:
		return d.Min, true
	case q == 1:
		return d.Max, true
	case d.sketch == nil:
		return d.Min, true
	}
	v := d.sketch.valueAtQuantile(q, d.N)
	x := time.Duration(math.Round(v * 1e9))
	return min(max(x, d.Min), d.Max), true
}

// String renders "mean 1h2m p50 55m p90 2h (n=12)" or "no data".
func (d DurationStats) String() string {
	if d.N == 0 {
		return NoData
	}
	var b strings.Builder
	fmt.Fprintf(&b, "mean %s", roundDur(d.Mean))
	for _, q := range d.Quantiles {
		fmt.Fprintf(&b, " p%s %s", fmtFloat(100*q.Q, -1), roundDur(q.Value))
	}
	fmt.Fprintf(&b, " (n=%d)", d.N)
	return b.String()
}

func roundDur(d time.Duration) time.Duration {
	if d >= time.Minute {
		return d.Round(time.Second)
	}
	return d.Round(time.Millisecond)
}

// SLAFigures are the SLA outcomes of one metric.
//
//   - Achievement = Met ÷ (Met + Breached): clocks that stopped; a clock
//     stopped exactly at its deadline is met.
//   - OpenBreachedRate = OpenBreached ÷ (Open + OpenBreached): clocks still
//     running at the as-of instant whose deadline already passed.
type SLAFigures struct {
	Metric           string       `json:"metric"`
	Priority         string       `json:"priority,omitempty"`
	Met              int64        `json:"met"`
	Breached         int64        `json:"breached"`
	Open             int64        `json:"open"`
	OpenBreached     int64        `json:"open_breached"`
	Achievement      Ratio        `json:"achievement"`
	OpenBreachedRate Ratio        `json:"open_breached_rate"`
	ByPriority       []SLAFigures `json:"by_priority,omitempty"`
}

func slaFigures(metric, prio string, c slaCounts) SLAFigures {
	met, br, op, ob := c[SLAMet], c[SLABreached], c[SLAOpen], c[SLAOpenBreached]
	return SLAFigures{Metric: metric, Priority: prio, Met: met, Breached: br, Open: op, OpenBreached: ob,
		Achievement:      Ratio{met, met + br},
		OpenBreachedRate: Ratio{ob, op + ob}}
}

// CompensationTotal is the compensation granted in one currency over a
// group's records: the sum of their [Record.CompensationMinor] in integer
// minor units of Currency (CNY 12.34 is 1234), and how many records carried
// some. It is a count for a report, kept exact by integer arithmetic; an
// amount a customer is offered, with its currency's scale and rounding, is a
// [compensation.Money].
type CompensationTotal struct {
	Currency string `json:"currency"`
	Minor    int64  `json:"minor"`
	Count    int64  `json:"count"` // records that carried compensation
}

// Group holds every figure of one group. See the package documentation for
// the exact definition of each.
type Group struct {
	Key         []string  `json:"key"`                   // values of Result.GroupBy
	Period      string    `json:"period,omitempty"`      // label, e.g. "2024-W10"
	PeriodStart time.Time `json:"period_start,omitzero"` // first instant, in the location

	Tickets int64 `json:"tickets"`
	// Share is Tickets ÷ all tickets of the same period (of all tickets
	// without periods): the distribution by type, channel...
	Share         Ratio `json:"share"`
	Complaints    int64 `json:"complaints"`
	ComplaintRate Ratio `json:"complaint_rate"` // set by Result.SetExposure

	CSAT             Ratio    `json:"csat"`
	CSATAnswers      [5]int64 `json:"csat_answers"` // answers 1..5
	MeanSatisfaction Mean     `json:"mean_satisfaction"`
	NPS              NPS      `json:"nps"`
	CES              Mean     `json:"ces"`

	FCR                Ratio `json:"fcr"`
	ClosureRate        Ratio `json:"closure_rate"`
	ReopenRate         Ratio `json:"reopen_rate"`
	Reopens            int64 `json:"reopens"`
	RepeatRate         Ratio `json:"repeat_rate"`
	FollowUpCompletion Ratio `json:"follow_up_completion"`
	SurveyResponseRate Ratio `json:"survey_response_rate"`

	FirstResponseBusiness DurationStats `json:"first_response_business"`
	FirstResponseElapsed  DurationStats `json:"first_response_elapsed"`
	ResolutionBusiness    DurationStats `json:"resolution_business"`
	ResolutionElapsed     DurationStats `json:"resolution_elapsed"`

	SLA []SLAFigures `json:"sla"`

	Backlog int64   `json:"backlog"`
	Aging   []int64 `json:"aging,omitempty"` // per Result.AgingLabels

	Composite    Mean                `json:"composite"`              // on the 1..5 scale
	SatDims      []Mean              `json:"sat_dims,omitempty"`     // per Result.SatDims
	Compensation []CompensationTotal `json:"compensation,omitempty"` // by currency
}

// KeyString joins the key values and the period label with " / ".
func (g *Group) KeyString() string {
	parts := slices.Clone(g.Key)
	if g.Period != "" {
		parts = append(parts, g.Period)
	}
	if len(parts) == 0 {
		return "all"
	}
	return strings.Join(parts, " / ")
}

// Composite100 maps the composite index from the 1..5 scale to 0..100.
func (g *Group) Composite100() (float64, bool) {
	v, ok := g.Composite.Get()
	return (v - 1) * 25, ok
}

// Result is the extracted report (ExtractOutput): plain values, sorted by
// key values (byte-wise) and then period.
type Result struct {
	GroupBy     []string  `json:"group_by"`
	Period      string    `json:"period"`
	Location    string    `json:"location"`
	AsOf        time.Time `json:"as_of,omitzero"`
	AgingLabels []string  `json:"aging_labels,omitempty"`
	SatDims     []string  `json:"sat_dims,omitempty"`
	Groups      []Group   `json:"groups"`
	Total       Group     `json:"total"`
	Invalid     int64     `json:"invalid"` // skipped invalid fields
}

// SetExposure sets every group's ComplaintRate to Complaints ÷ exposure(g)
// (an exposure of 0 or less gives "no data"). The host knows the exposure:
// orders, active customers or shipments in that group and period.
func (r *Result) SetExposure(exposure func(g *Group) int64) {
	set := func(g *Group) {
		e := exposure(g)
		if e <= 0 {
			g.ComplaintRate = Ratio{}
			return
		}
		g.ComplaintRate = Ratio{g.Complaints, e}
	}
	for i := range r.Groups {
		set(&r.Groups[i])
	}
	set(&r.Total)
}

// Find returns the group with the given key values and period label
// ("" without periods), or nil.
func (r *Result) Find(period string, key ...string) *Group {
	for i := range r.Groups {
		if r.Groups[i].Period == period && slices.Equal(r.Groups[i].Key, key) {
			return &r.Groups[i]
		}
	}
	return nil
}

// Result extracts the figures. It does not change acc.
func (acc *Accumulator) Result() *Result {
	a := acc.agg
	res := &Result{Period: a.cfg.Period.String(), Location: a.cfg.Location.String(), AsOf: a.cfg.AsOf,
		Invalid: acc.invalid}
	for _, d := range a.cfg.GroupBy {
		res.GroupBy = append(res.GroupBy, d.String())
	}
	if a.hasAsOf {
		res.AgingLabels = agingLabels(a.cfg.AgingEdges)
	}
	if a.cfg.Composite != nil {
		res.SatDims = slices.Clone(a.cfg.Composite.Dimensions)
	}
	order := make([]int, len(acc.groups))
	for i := range order {
		order[i] = i
	}
	n := len(a.cfg.GroupBy)
	slices.SortFunc(order, func(x, y int) int {
		kx, ky := &acc.keys[x], &acc.keys[y]
		for j := range n {
			if c := strings.Compare(acc.strs.vals[kx.ids[j]], acc.strs.vals[ky.ids[j]]); c != 0 {
				return c
			}
		}
		return cmp.Compare(kx.period, ky.period)
	})
	total := groupStats{ext: make([]int64, a.extLen)}
	for _, i := range order {
		k := &acc.keys[i]
		g := a.group(&acc.groups[i])
		g.Key = make([]string, n)
		for j := range n {
			g.Key[j] = acc.strs.vals[k.ids[j]]
		}
		if a.cfg.Period != PeriodNone {
			g.PeriodStart = time.Unix(k.period, 0).In(a.cfg.Location)
			g.Period = a.cfg.Period.Label(g.PeriodStart)
		}
		res.Groups = append(res.Groups, g)
		total.merge(&acc.groups[i])
	}
	res.Total = a.group(&total)
	res.Invalid += total.invalidAnswers(a)
	res.Total.Key = []string{}
	res.Total.Share = Ratio{total.tickets, total.tickets}
	perPeriod := map[int64]int64{}
	for _, i := range order {
		perPeriod[acc.keys[i].period] += acc.groups[i].tickets
	}
	for j, i := range order {
		res.Groups[j].Share = Ratio{acc.groups[i].tickets, perPeriod[acc.keys[i].period]}
	}
	return res
}

func agingLabels(edges []time.Duration) []string {
	f := func(d time.Duration) string {
		if d%(24*time.Hour) == 0 {
			return fmt.Sprintf("%dd", d/(24*time.Hour))
		}
		return strings.TrimSuffix(strings.TrimSuffix(d.String(), "0s"), "0m")
	}
	out := make([]string, 0, len(edges)+1)
	for i, e := range edges {
		if i == 0 {
			out = append(out, "<"+f(e))
		} else {
			out = append(out, f(edges[i-1])+"–"+f(e))
		}
	}
	return append(out, "≥"+f(edges[len(edges)-1]))
}

// group derives the figures of one groupStats.
func (a *Aggregator) group(s *groupStats) Group {
	g := Group{Tickets: s.tickets, Complaints: s.complaints}
	var csatN, csatSum, sat int64
	for v := 1; v <= 5; v++ {
		g.CSATAnswers[v-1] = s.csat[v]
		csatN += s.csat[v]
		csatSum += int64(v) * s.csat[v]
		if a.csatMask&(1<<v) != 0 {
			sat += s.csat[v]
		}
	}
	g.CSAT = Ratio{sat, csatN}
	g.MeanSatisfaction = meanOf(csatSum, csatN)
	for v, c := range s.nps[:11] {
		switch {
		case v >= 9:
			g.NPS.Promoters += c
		case v >= 7:
			g.NPS.Passives += c
		default:
			g.NPS.Detractors += c
		}
	}
	var cesN, cesSum int64
	for v := 1; v <= 7; v++ {
		c := s.ces[v]
		cesN += c
		cesSum += int64(v) * c
	}
	g.CES = meanOf(cesSum, cesN)
	g.FCR = Ratio{s.fcr, s.resolved}
	g.ClosureRate = Ratio{s.closed, s.tickets}
	g.ReopenRate = Ratio{s.reopened, s.everResolved}
	g.Reopens = s.reopens
	g.RepeatRate = Ratio{s.repeat, s.identified}
	g.FollowUpCompletion = Ratio{s.fu[FollowUpDone], s.fu[FollowUpDone] + s.fu[FollowUpPending]}
	g.SurveyResponseRate = Ratio{s.surveyResp, s.surveySent}
	g.FirstResponseBusiness = a.durStats(&s.dur[durFirstResponseBusiness])
	g.FirstResponseElapsed = a.durStats(&s.dur[durFirstResponseElapsed])
	g.ResolutionBusiness = a.durStats(&s.dur[durResolutionBusiness])
	g.ResolutionElapsed = a.durStats(&s.dur[durResolutionElapsed])
	for m, name := range a.cfg.SLAMetrics {
		var all slaCounts
		var by []SLAFigures
		for p := range numPrio {
			c := *s.sla(a, p, m)
			if c[SLAMet]+c[SLABreached]+c[SLAOpen]+c[SLAOpenBreached] == 0 {
				continue
			}
			for i := range all {
				all[i] += c[i]
			}
			by = append(by, slaFigures(name, priorityLabels[p], c))
		}
		f := slaFigures(name, "", all)
		f.ByPriority = by
		g.SLA = append(g.SLA, f)
	}
	if a.hasAsOf {
		g.Backlog = s.backlog
		g.Aging = slices.Clone(s.ext[a.agingOff : a.agingOff+len(a.agingEdges)+1])
	}
	if c := a.cfg.Composite; c != nil {
		if s.compDen > 0 {
			g.Composite = Mean{N: s.compResp, Value: float64(s.compNum) / float64(s.compDen)}
		}
		nd := len(c.Dimensions)
		for i := range nd {
			g.SatDims = append(g.SatDims, meanOf(s.ext[a.satOff+i], s.ext[a.satOff+nd+i]))
		}
	}
	for _, m := range s.money {
		g.Compensation = append(g.Compensation, CompensationTotal{m.currency, m.minor, m.count})
	}
	slices.SortFunc(g.Compensation, func(x, y CompensationTotal) int { return strings.Compare(x.Currency, y.Currency) })
	return g
}

func (a *Aggregator) durStats(d *durDist) DurationStats {
	if d.n == 0 {
		return DurationStats{}
	}
	q, rem := bits.Div64(d.sumHi, d.sumLo, uint64(d.n)) // sum/n ≤ max, so no overflow
	if 2*rem >= uint64(d.n) {
		q++
	}
	out := DurationStats{N: d.n, Mean: time.Duration(q), Min: time.Duration(d.min()), Max: time.Duration(d.max)}
	out.sketch = &durSketch{mapping: a.mapping, zero: d.zeros(), bins: d.store.snapshot()}
	for _, qq := range a.cfg.Quantiles {
		v, _ := out.Quantile(qq)
		out.Quantiles = append(out.Quantiles, QuantileValue{qq, v})
	}
	return out
}

// durSketch is the read-only DDSketch of a DurationStats: the zero count
// and a copy of the bins, so that a result shares nothing with the
// accumulator it came from.
type durSketch struct {
	mapping *mapping.CubicallyInterpolatedMapping
	zero    int64
	bins    sketchBins
}

// valueAtQuantile is sketches-go's DDSketch.GetValueAtQuantile (no
// negative values) over these bins, operation for operation, so that
// quantiles are the library's to the bit; n is the total count.
func (s *durSketch) valueAtQuantile(q float64, n int64) float64 {
	// An explicit conversion, as in the library, so that no fused
	// multiply-add changes the rank.
	rank := float64(q * (float64(n) - 1))
	zero := float64(s.zero)
	if rank < zero || len(s.bins.idx) == 0 {
		return 0
	}
	return s.mapping.Value(s.bins.keyAtRank(rank - zero))
}

// fmtFloat formats v with prec decimals (prec < 0: shortest), never "-0".
func fmtFloat(v float64, prec int) string {
	s := fmt.Sprint(v)
	if prec >= 0 {
		s = fmt.Sprintf("%.*f", prec, v)
	}
	if strings.Trim(s, "-0.") == "" {
		s = strings.TrimPrefix(s, "-")
	}
	return s
}
