package whatif

import (
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"text/tabwriter"
	"time"

	"github.com/closeloop/closeloop/compensation"
	"github.com/closeloop/closeloop/metrics"
)

// MeanDuration is an exact mean of durations over N tickets, rounded to the
// nanosecond; N == 0 means "no data".
type MeanDuration struct {
	N    int64         `json:"n"`
	Mean time.Duration `json:"mean_ns"`
}

// String renders "26h30m0s (n=12)" or "no data".
func (m MeanDuration) String() string {
	if m.N == 0 {
		return metrics.NoData
	}
	return fmt.Sprintf("%s (n=%d)", m.Mean, m.N)
}

// Figures are one side's figures for one priority group (see the package doc
// for the definitions).
type Figures struct {
	Side     string `json:"side"`
	Tickets  int64  `json:"tickets"`
	Failed   int64  `json:"failed"`
	Measured int64  `json:"measured"` // NoTarget + Open + Met + Breached
	NoTarget int64  `json:"no_target"`
	Open     int64  `json:"open"`
	Met      int64  `json:"met"`
	Breached int64  `json:"breached"`
	// BreachRate = Breached ÷ (Met + Breached).
	BreachRate metrics.Ratio `json:"breach_rate"`
	// TimeToDeadline is the mean of Deadline − Start of the measured metric's
	// current cycle over tickets that have both.
	TimeToDeadline MeanDuration `json:"time_to_deadline"`
	// Compensated tickets were offered money; CompensationMinor is the sum of
	// each ticket's largest money option, in minor units of Currency ("" when
	// the side prices nothing).
	Compensated       int64  `json:"compensated"`
	CompensationMinor int64  `json:"compensation_minor"`
	Currency          string `json:"currency,omitempty"`
}

func (r *Replay) figures(side int, c *counts) Figures {
	s := &r.cfg.Current
	if side == 1 {
		s = &r.cfg.Proposed
	}
	f := Figures{
		Side:              s.Name,
		Tickets:           c.tickets,
		Failed:            c.verdicts[Failed],
		NoTarget:          c.verdicts[NoTarget],
		Open:              c.verdicts[Open],
		Met:               c.verdicts[Met],
		Breached:          c.verdicts[Breached],
		BreachRate:        metrics.Ratio{Num: c.verdicts[Breached], Den: c.verdicts[Met] + c.verdicts[Breached]},
		TimeToDeadline:    MeanDuration{N: c.deadlineN, Mean: meanDuration(c.deadlineHi, c.deadlineLo, c.deadlineN)},
		Compensated:       c.compensated,
		CompensationMinor: c.compMinor,
	}
	f.Measured = f.NoTarget + f.Open + f.Met + f.Breached
	if s.Compensation != nil {
		f.Currency = s.Compensation.Currency().Code
	}
	return f
}

// Difference compares the two sides for one priority group: Proposed −
// Current. Each difference has an ok flag that is false when either side has
// no data (or, for cost, when the currencies differ or a side prices nothing).
type Difference struct {
	Priority string  `json:"priority"`
	Current  Figures `json:"current"`
	Proposed Figures `json:"proposed"`
	// BreachRatePoints is the change in breach rate in percentage points.
	BreachRatePoints  float64       `json:"breach_rate_points"`
	BreachRateOK      bool          `json:"breach_rate_ok"`
	TimeToDeadline    time.Duration `json:"time_to_deadline_ns"`
	TimeToDeadlineOK  bool          `json:"time_to_deadline_ok"`
	CompensationMinor int64         `json:"compensation_minor"`
	CompensationOK    bool          `json:"compensation_ok"`
}

func diff(p string, cur, prop Figures) Difference {
	d := Difference{Priority: p, Current: cur, Proposed: prop}
	a, okA := cur.BreachRate.Percent()
	b, okB := prop.BreachRate.Percent()
	if okA && okB {
		d.BreachRatePoints, d.BreachRateOK = b-a, true
	}
	if cur.TimeToDeadline.N > 0 && prop.TimeToDeadline.N > 0 {
		d.TimeToDeadline, d.TimeToDeadlineOK = prop.TimeToDeadline.Mean-cur.TimeToDeadline.Mean, true
	}
	if cur.Currency != "" && cur.Currency == prop.Currency {
		d.CompensationMinor, d.CompensationOK = prop.CompensationMinor-cur.CompensationMinor, true
	}
	return d
}

// Result is the extracted comparison (ExtractOutput): one [Difference] per
// priority group that has tickets, in the order P0, P1, P2, P3, other, and the
// total over all of them.
type Result struct {
	Current    string       `json:"current"`
	Proposed   string       `json:"proposed"`
	Metric     string       `json:"metric"`
	Priorities []Difference `json:"priorities"`
	Total      Difference   `json:"total"`
}

// Find returns the difference of one priority group, or nil.
func (r *Result) Find(priority string) *Difference {
	for i := range r.Priorities {
		if r.Priorities[i].Priority == priority {
			return &r.Priorities[i]
		}
	}
	return nil
}

// Result extracts the figures. It does not change acc.
func (acc *Accumulator) Result() *Result {
	r := acc.r
	res := &Result{Current: r.cfg.Current.Name, Proposed: r.cfg.Proposed.Name, Metric: r.cfg.Current.Metric}
	if r.cfg.Proposed.Metric != r.cfg.Current.Metric {
		res.Metric += " / " + r.cfg.Proposed.Metric
	}
	var total [2]counts
	for i := range acc.g {
		g := &acc.g[i]
		if g[0].tickets == 0 && g[1].tickets == 0 {
			continue
		}
		total[0].merge(&g[0])
		total[1].merge(&g[1])
		res.Priorities = append(res.Priorities, diff(groupNames[i], r.figures(0, &g[0]), r.figures(1, &g[1])))
	}
	res.Total = diff("total", r.figures(0, &total[0]), r.figures(1, &total[1]))
	return res
}

// WriteJSON writes the result as indented JSON.
func WriteJSON(w io.Writer, r *Result) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// WriteText writes one table row per priority group and a total row: tickets,
// breach rate, mean time to deadline and compensation cost under each side,
// and the differences.
func WriteText(w io.Writer, r *Result) error {
	tw := tabwriter.NewWriter(w, 0, 0, 2, ' ', tabwriter.AlignRight)
	fmt.Fprintf(tw, "priority\ttickets\tbreach %s\tbreach %s\tΔ points\tto deadline %s\tto deadline %s\tΔ\tcost %s\tcost %s\tΔ cost\t\n",
		r.Current, r.Proposed, r.Current, r.Proposed, r.Current, r.Proposed)
	rows := append(append([]Difference(nil), r.Priorities...), r.Total)
	for _, d := range rows {
		fmt.Fprintf(tw, "%s\t%d\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t%s\t\n",
			d.Priority, d.Current.Tickets,
			rate(d.Current.BreachRate), rate(d.Proposed.BreachRate), points(d),
			mean(d.Current.TimeToDeadline), mean(d.Proposed.TimeToDeadline), deltaDur(d),
			money(d.Current.CompensationMinor, d.Current.Currency), money(d.Proposed.CompensationMinor, d.Proposed.Currency), deltaMoney(d))
	}
	return tw.Flush()
}

func rate(r metrics.Ratio) string {
	p, ok := r.Percent()
	if !ok {
		return metrics.NoData
	}
	return strconv.FormatFloat(p, 'f', 1, 64) + " %"
}

func points(d Difference) string {
	if !d.BreachRateOK {
		return metrics.NoData
	}
	return strconv.FormatFloat(d.BreachRatePoints, 'f', 1, 64)
}

func mean(m MeanDuration) string {
	if m.N == 0 {
		return metrics.NoData
	}
	return hours(m.Mean)
}

func hours(d time.Duration) string {
	return strconv.FormatFloat(d.Hours(), 'f', 1, 64) + " h"
}

func deltaDur(d Difference) string {
	if !d.TimeToDeadlineOK {
		return metrics.NoData
	}
	s := hours(d.TimeToDeadline)
	if d.TimeToDeadline > 0 {
		s = "+" + s
	}
	return s
}

// money renders minor units at the currency's scale ("1234.50 CNY").
func money(minor int64, cur string) string {
	if cur == "" {
		return "-"
	}
	sign := ""
	if minor < 0 {
		sign, minor = "-", -minor
	}
	m, err := compensation.MoneyFromMinor(minor, cur)
	if err != nil {
		return sign + strconv.FormatInt(minor, 10) + " minor " + cur
	}
	return sign + m.Text() + " " + cur
}

func deltaMoney(d Difference) string {
	if !d.CompensationOK {
		return metrics.NoData
	}
	s := money(d.CompensationMinor, d.Current.Currency)
	if d.CompensationMinor > 0 {
		s = "+" + s
	}
	return s
}
