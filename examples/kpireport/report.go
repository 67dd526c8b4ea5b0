package main

import (
	"fmt"
	"io"
	"math"
	"path/filepath"
	"strings"
	"time"

	"github.com/closeloop/closeloop/l10n"
	"github.com/closeloop/closeloop/metrics"
)

// writeReport writes report.md. Errors of w surface at the end through ew.
func writeReport(w io.Writer, rv *review) error {
	ew := &errWriter{w: w}
	p := ew.printf
	m, pr := rv.month, rv.prev

	p("# Monthly feedback review — March 2024\n\n")
	p("%d tickets received in %s (%d in %s, %d since %s), reviewed as of %s (%s). ",
		m.Tickets, monthLabel, pr.Tickets, prevLabel, rv.records, dataStart.Format("2006-01-02"),
		asOf.Format("2006-01-02 15:04"), zone)
	p("The tickets are synthetic (`metricstest.Generator`, seed %d); on top of its steady state an app release on %s "+
		"brings extra crash complaints through the app, and team %s has a bad month. "+
		"The sections below should find both. Every ticket is seen as of the review: a response, resolution or closure "+
		"after it has not happened yet, and its SLA clock still runs.\n\n", rv.seed, releaseStart.Format("Monday 2006-01-02"), weakTeam)
	p("Contents: [headline](#headline) · [goals](#goals) · [SLA](#sla-achievement-per-priority) · " +
		"[top problems](#top-5-problems) · [trend](#week-on-week-trend) · [heat maps](#where-tickets-come-from) · " +
		"[staffing](#staffing) · [units below the rest](#units-below-the-rest) · [co-occurring problems](#co-occurring-problems) · [appendix](#appendix)\n\n")

	// Headline.
	p("## Headline\n\n")
	p("| figure | %s | %s | change | definition |\n|---|---:|---:|---:|---|\n", prevLabel, monthLabel)
	row := func(name string, a, b string, f metrics.Figure, def string) {
		ch := "–"
		if f != nil {
			x, okx := f(pr)
			y, oky := f(m)
			if c, ok := metrics.Change(x, y); ok && okx && oky {
				ch = fmt.Sprintf("%+.1f %%", c)
			}
		}
		p("| %s | %s | %s | %s | %s |\n", name, a, b, ch, def)
	}
	pct := func(r metrics.Ratio) string {
		if v, ok := r.Percent(); ok {
			return fmt.Sprintf("%.1f %%", v)
		}
		return metrics.NoData
	}
	row("tickets", fmt.Sprint(pr.Tickets), fmt.Sprint(m.Tickets), metrics.FigureTickets, "received in the month")
	row("complaints", fmt.Sprint(pr.Complaints), fmt.Sprint(m.Complaints), metrics.FigureComplaints, "kind complaint")
	row("CSAT", pct(pr.CSAT), pct(m.CSAT), metrics.FigureCSAT, fmt.Sprintf("answers 4–5 ÷ answers 1–5 (%d/%d)", m.CSAT.Num, m.CSAT.Den))
	row("mean satisfaction", pr.MeanSatisfaction.String(), m.MeanSatisfaction.String(),
		func(g *metrics.Group) (float64, bool) { return g.MeanSatisfaction.Get() }, "mean CSAT answer, 1–5")
	npsChange := "–"
	if a, ok := pr.NPS.Score(); ok {
		if b, ok := m.NPS.Score(); ok {
			npsChange = fmt.Sprintf("%+.1f points", b-a)
		}
	}
	p("| NPS | %s | %s | %s | 100·(promoters %d − detractors %d) ÷ %d answers, −100…+100 |\n", pr.NPS, m.NPS, npsChange,
		m.NPS.Promoters, m.NPS.Detractors, m.NPS.Responses())
	row("customer effort (CES)", pr.CES.String(), m.CES.String(),
		func(g *metrics.Group) (float64, bool) { return g.CES.Get() }, "mean answer, 1–7, lower is easier")
	row("first-contact resolution", pct(pr.FCR), pct(m.FCR), metrics.FigureFCR, "resolved in the first contact ÷ resolved")
	row("closure rate", pct(pr.ClosureRate), pct(m.ClosureRate), figClosure, "closed (loop complete) ÷ tickets")
	row("reopen rate", pct(pr.ReopenRate), pct(m.ReopenRate),
		func(g *metrics.Group) (float64, bool) { return g.ReopenRate.Percent() }, "reopened ÷ ever resolved")
	row("repeat-feedback rate", pct(pr.RepeatRate), pct(m.RepeatRate), metrics.FigureRepeatRate,
		fmt.Sprintf("same customer and category within %s ÷ tickets with a customer", days(repeatWin)))
	row("follow-up completion", pct(pr.FollowUpCompletion), pct(m.FollowUpCompletion),
		func(g *metrics.Group) (float64, bool) { return g.FollowUpCompletion.Percent() }, "follow-ups done ÷ required")
	row("survey response rate", pct(pr.SurveyResponseRate), pct(m.SurveyResponseRate), figSurvey, "answered ÷ surveys sent")
	q := func(d metrics.DurationStats, qq float64) string {
		if v, ok := d.Quantile(qq); ok {
			return dur(v)
		}
		return metrics.NoData
	}
	quant := func(qq float64, pick func(*metrics.Group) metrics.DurationStats) metrics.Figure {
		return func(g *metrics.Group) (float64, bool) {
			v, ok := pick(g).Quantile(qq)
			return v.Hours(), ok
		}
	}
	fre := func(g *metrics.Group) metrics.DurationStats { return g.FirstResponseElapsed }
	frb := func(g *metrics.Group) metrics.DurationStats { return g.FirstResponseBusiness }
	rse := func(g *metrics.Group) metrics.DurationStats { return g.ResolutionElapsed }
	row("first response, median", q(pr.FirstResponseElapsed, .5), q(m.FirstResponseElapsed, .5), quant(.5, fre), "elapsed time from receipt")
	row("first response, p90", q(pr.FirstResponseElapsed, .9), q(m.FirstResponseElapsed, .9), quant(.9, fre), "elapsed")
	row("first response, median (business)", q(pr.FirstResponseBusiness, .5), q(m.FirstResponseBusiness, .5), quant(.5, frb),
		"open time on the ticket's calendar")
	row("resolution, median", q(pr.ResolutionElapsed, .5), q(m.ResolutionElapsed, .5), quant(.5, rse), "elapsed time from receipt")
	row("resolution, p90", q(pr.ResolutionElapsed, .9), q(m.ResolutionElapsed, .9), quant(.9, rse), "elapsed")
	row("compensation", money(pr.Compensation), money(m.Compensation), func(g *metrics.Group) (float64, bool) {
		if len(g.Compensation) == 0 {
			return 0, false
		}
		return float64(g.Compensation[0].Minor), true
	}, "granted, all tickets of the month")
	row("backlog at the review", fmt.Sprint(pr.Backlog), fmt.Sprint(m.Backlog), nil,
		"received in the month, not closed by "+asOf.Format("2006-01-02 15:04"))
	p("\nChange is relative, 100·(%s − %s) ÷ |%s|, except for NPS (a score around 0: the difference in points). "+
		"Quantiles are DDSketch estimates within 1 %% of the true value.\n\n", monthLabel, prevLabel, prevLabel)

	p("## Goals\n\n| goal | %s | %s | change | result |\n|---|---:|---:|---:|---|\n", prevLabel, monthLabel)
	for _, g := range rv.goals {
		res := "**missed**"
		switch {
		case !g.OK:
			res = metrics.NoData
		case g.Met:
			res = "met"
		}
		ch := "–"
		if c, ok := metrics.Change(g.Baseline, g.Current); ok {
			ch = fmt.Sprintf("%+.1f %%", c)
		}
		p("| %s | %s | %s | %s | %s |\n", g.Name, num(g.Baseline), num(g.Current), ch, res)
	}
	p("\nPercentages for rates, a count for complaints, hours for the response time.\n")
	p("\n")

	// SLA.
	p("## SLA achievement per priority\n\n")
	p("Achievement = met ÷ (met + breached) over clocks that stopped in the month's tickets; a stop exactly on the " +
		"deadline is met. Clocks still running at the review are apart: \"open and breached\" ÷ running.\n\n")
	p("![SLA achievement per priority](sla.svg)\n\n")
	p("The chart's axis starts at the lowest value, not at 0; the band is the review's target of %.0f %% met "+
		"(the documents set deadlines, not a share to meet).\n\n", slaTarget)
	p("| metric | priority | met | breached | achievement | running | running and breached |\n|---|---|---:|---:|---:|---:|---:|\n")
	for _, s := range rv.sla {
		for _, b := range s.ByPriority {
			p("| %s | %s | %d | %d | %s | %d | %s |\n", s.Metric, b.Priority, b.Met, b.Breached, pct(b.Achievement),
				b.Open+b.OpenBreached, b.OpenBreachedRate)
		}
		p("| **%s** | **all** | %d | %d | **%s** | %d | %s |\n", s.Metric, s.Met, s.Breached, pct(s.Achievement),
			s.Open+s.OpenBreached, s.OpenBreachedRate)
	}
	p("\nHandling time per priority (002 step 6), elapsed:\n\n")
	p("| priority | tickets | first response median | p90 | resolution mean | median | p90 |\n|---|---:|---:|---:|---:|---:|---:|\n")
	for i := range rv.byPriority {
		g := &rv.byPriority[i]
		mean := metrics.NoData
		if g.ResolutionElapsed.N > 0 {
			mean = dur(g.ResolutionElapsed.Mean)
		}
		p("| %s | %d | %s | %s | %s | %s | %s |\n", g.Key[0], g.Tickets, q(g.FirstResponseElapsed, .5), q(g.FirstResponseElapsed, .9),
			mean, q(g.ResolutionElapsed, .5), q(g.ResolutionElapsed, .9))
	}
	p("\n")

	// Top problems.
	p("## Top 5 problems\n\n| rank | category | tickets %s | rank %s | tickets %s | change |\n|---:|---|---:|---:|---:|---:|\n",
		monthLabel, prevLabel, prevLabel)
	for _, e := range rv.top {
		c := e.Key[0]
		prevRank := "–"
		if r := rv.prevRank[c]; r > 0 {
			prevRank = fmt.Sprint(r)
		}
		ch := "–"
		if v, ok := metrics.Change(rv.prevN[c], e.Value); ok {
			ch = fmt.Sprintf("%+.1f %%", v)
		}
		p("| %d | %s | %.0f | %s | %.0f | %s |\n", e.Rank, c, e.Value, prevRank, rv.prevN[c], ch)
	}
	p("\nIn the top 5 for 3 or more consecutive months (002):")
	if len(rv.streaks) == 0 {
		p(" none.\n\n")
	} else {
		p("\n\n")
		for _, s := range rv.streaks {
			cur := ""
			if s.Current {
				cur = ", still running"
			}
			p("- %s: %s → %s, %d months%s\n", s.Key[0], s.From, s.To, s.Periods, cur)
		}
		p("\n")
	}

	// Trend.
	p("## Week-on-week trend\n\n")
	if rv.rise.ok {
		p("Largest week-on-week rise among the top problems: **%s in %s, %+.1f %%** (%.0f → %.0f tickets; the release was on %s).\n\n",
			rv.rise.category, rv.rise.week, rv.rise.pct, rv.rise.prev, rv.rise.cur, releaseStart.Format("2006-01-02"))
	}
	p("![Weekly tickets of the top 5 problems](trend.svg)\n\n")
	p("![Weekly CSAT and first-response SLA achievement](satisfaction.svg)\n\n")
	p("The dashed lines are the goals: CSAT ≥ %.0f %% (004) and first responses within target ≥ %.0f %%.\n\n", csatGoal, slaTarget)
	p("| ISO week | tickets | change | CSAT | change | NPS | first-response SLA |\n|---|---:|---:|---:|---:|---:|---:|\n")
	tk, cs, np, fr := rv.weekly["tickets"].Points, rv.weekly["csat"].Points, rv.weekly["nps"].Points, rv.weekly["fr_sla"].Points
	for i := range tk {
		p("| %s | %.0f | %s | %s | %s | %s | %s |\n", tk[i].Period, tk[i].Value, change(tk[i]), val(cs[i], "%.1f %%"),
			change(cs[i]), val(np[i], "%+.1f"), val(fr[i], "%.1f %%"))
	}
	p("\nWeeks are ISO 8601 weeks (Monday–Sunday) in %s; change is against the week before.\n\n", zone)

	// Heat maps.
	h := rv.heat
	p("## Where tickets come from\n\n")
	p("Tickets of %s by type and channel, and by type and time of day (3-hour slots, %s): %d tickets.\n\n", monthLabel, zone, h.Total)
	p("![Type × channel](heatmap-channel.svg)\n\n![Type × time of day](heatmap-slot.svg)\n\n")
	p("Busiest type × channel × slot cells:\n\n| type | channel | slot | tickets |\n|---|---|---|---:|\n")
	for i, c := range h.Flat() {
		if i == 5 {
			break
		}
		p("| %s | %s | %s | %d |\n", c.Row, c.Col, c.Slot, c.Count)
	}
	p("\n")

	// Staffing.
	wk := rv.week
	share := wk.HourlyShare()
	peak := 0
	for h := range share {
		if share[h] > share[peak] {
			peak = h
		}
	}
	var evening float64
	for h := 19; h < 22; h++ {
		evening += share[h]
	}
	p("## Staffing\n\n")
	p("Tickets of %s by weekday and hour (%s): the busiest hour is %02d:00–%02d:00 with %.1f %% of the month's tickets; "+
		"the evening 19:00–22:00 (000's evening peak) brings %.1f %%.\n\n", monthLabel, wk.Location, peak, peak+1, 100*share[peak], 100*evening)
	p("![Tickets by hour of week](staffing.svg)\n\n")
	p("The cells are averages per weekday: the month's tickets in that hour divided by the number of times the weekday "+
		"occurs in %s (each row says it: March 2024 has five Fridays, Saturdays and Sundays and four of the other days), "+
		"so that a weekday that occurs five times does not look a fifth busier.\n\n", monthLabel)
	f := rv.forecast
	p("Next week's daily volume, additive Holt–Winters with a weekly season (α %.2f, β %.2f, γ %.2f), "+
		"fitted on the days before the last two weeks and tested on them: MAE %.0f tickets a day", f.Alpha, f.Beta, f.Gamma, f.MAE)
	if f.MAPEOK {
		p(", MAPE %.1f %%", f.MAPE)
	}
	p(", against %.0f for the seasonal naive forecast (same weekday a week earlier); the test weeks are the release weeks.\n\n", f.NaiveMAE)
	p("![Daily tickets and forecast](forecast.svg)\n\n")
	p("| day |")
	for i := range f.Next {
		p(" %s |", asOf.AddDate(0, 0, i).Format("Mon 01-02"))
	}
	p("\n|---|%s\n| forecast |", strings.Repeat("---:|", len(f.Next)))
	for _, v := range f.Next {
		p(" %.0f |", v)
	}
	p("\n\n")

	// Units.
	p("## Units below the rest\n\n")
	p("Each unit against all other units pooled: one-sided Welch t-test \"this unit is lower\", p-values Holm-adjusted "+
		"for the number of units; flagged when the adjusted p < %.2f. z is the unit's mean among the unit means.\n\n", alpha)
	p("![Mean CSAT answer per team](units.svg)\n\n")
	units := func(title, what string, us []metrics.UnitComparison) {
		p("%s (%s):\n\n| unit | n | mean | SD | z | t | df | p | adjusted p | below |\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---|\n", title, what)
		for _, u := range us {
			below := ""
			if u.Below {
				below = "**below**"
			}
			t, df, pv, pa := "–", "–", "–", "–"
			if u.TestOK {
				t, df, pv, pa = fmt.Sprintf("%.2f", u.T), fmt.Sprintf("%.0f", u.DF), pval(u.P), pval(u.PAdjusted)
			}
			z := "–"
			if u.ZOK {
				z = fmt.Sprintf("%+.2f", u.Z)
			}
			p("| %s | %d | %.2f | %.2f | %s | %s | %s | %s | %s | %s |\n", u.Name, u.N, u.Mean, u.SD, z, t, df, pv, pa, below)
		}
		p("\n")
	}
	units("Teams", "CSAT answers 1–5", rv.teams)
	units("Regions", "NPS, each answer scored +100 promoter, 0 passive, −100 detractor", rv.regions)

	// Apriori.
	p("## Co-occurring problems\n\n")
	p("Association rules over the tags of the month's %d tickets (%d tagged; untagged tickets count in every support): "+
		"support = tickets with all tags ÷ all tickets, confidence = support(If ∪ Then) ÷ support(If), "+
		"lift = confidence ÷ support(Then). Minimum support 1 %%, confidence 50 %%.\n\n", m.Tickets, rv.tagged)
	p("| if | then | tickets | support | confidence | lift |\n|---|---|---:|---:|---:|---:|\n")
	for i, r := range rv.rules {
		if i == 12 {
			break
		}
		p("| %s | %s | %d | %.2f %% | %.1f %% | %.2f |\n", strings.Join(r.If, ", "), strings.Join(r.Then, ", "), r.Count,
			100*r.Support, 100*r.Confidence, r.Lift)
	}
	if len(rv.rules) > 12 {
		p("\n%d rules in all; the table shows the 12 with the highest lift.\n", len(rv.rules))
	}
	p("\n")

	p("## Appendix\n\n")
	p("The month's figures per priority, as the metrics package renders them: [Markdown](figures.md), [CSV](figures.csv), [JSON](figures.json).\n")
	return ew.err
}

// writeAppendix writes the month per priority through the metrics renderers.
func writeAppendix(dir string, rv *review) ([]string, error) {
	var files []string
	for _, f := range []struct {
		name  string
		write func(io.Writer, *metrics.Result) error
	}{{"figures.md", metrics.WriteMarkdown}, {"figures.csv", metrics.WriteCSV}, {"figures.json", metrics.WriteJSON}} {
		path := filepath.Join(dir, f.name)
		if err := writeFile(path, func(w io.Writer) error { return f.write(w, rv.appendix) }); err != nil {
			return nil, err
		}
		files = append(files, path)
	}
	return files, nil
}

type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, args ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, args...)
	}
}

// dur renders a duration as every closeloop example does (l10n's
// English: to the minute, "2h5m", "45m", "147h").
func dur(d time.Duration) string { return english.Duration(d) }

var english = l10n.New(l10n.English)

func days(d time.Duration) string { return fmt.Sprintf("%d days", int(d/(24*time.Hour))) }

func money(ms []metrics.CompensationTotal) string {
	if len(ms) == 0 {
		return "0"
	}
	var parts []string
	for _, m := range ms {
		parts = append(parts, fmt.Sprintf("%d.%02d %s (%d tickets)", m.Minor/100, m.Minor%100, m.Currency, m.Count))
	}
	return strings.Join(parts, ", ")
}

func change(p metrics.TrendPoint) string {
	if !p.ChangeOK {
		return "–"
	}
	return fmt.Sprintf("%+.1f %%", p.ChangePct)
}

func val(p metrics.TrendPoint, format string) string {
	if !p.OK {
		return metrics.NoData
	}
	return fmt.Sprintf(format, p.Value)
}

// num renders a goal's figure: a whole number as such, others to one decimal.
func num(v float64) string {
	if v == math.Trunc(v) && math.Abs(v) < 1e15 {
		return fmt.Sprintf("%.0f", v)
	}
	return fmt.Sprintf("%.1f", v)
}

func pval(p float64) string {
	if p < 1e-4 {
		return "< 0.0001"
	}
	return fmt.Sprintf("%.4f", p)
}
