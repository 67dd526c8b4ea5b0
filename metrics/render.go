package metrics

import (
	"encoding/csv"
	"encoding/json"
	"fmt"
	"io"
	"strconv"
	"strings"
	"time"
)

// WriteJSON writes the result as indented JSON. Figures without data are
// null; durations are in nanoseconds (fields ending in _ns).
func WriteJSON(w io.Writer, r *Result) error {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	return enc.Encode(r)
}

// csvFloat renders v with up to 6 decimals, or "" for no data.
func csvFloat(v float64, ok bool) string {
	if !ok {
		return ""
	}
	return strconv.FormatFloat(v, 'f', -1, 64)
}

func csvRatio(r Ratio) string { v, ok := r.Value(); return csvFloat(v, ok) }

func csvSeconds(d time.Duration, ok bool) string { return csvFloat(d.Seconds(), ok) }

func quantileName(q float64) string {
	return "p" + strings.ReplaceAll(strconv.FormatFloat(100*q, 'f', -1, 64), ".", "_")
}

// WriteCSV writes one row per group and a final "total" row. Ratios are
// fractions (0..1), durations seconds, empty cells "no data".
func WriteCSV(w io.Writer, r *Result) error {
	cw := csv.NewWriter(w)
	head := append([]string{}, r.GroupBy...)
	head = append(head, "period", "tickets", "share", "complaints", "complaint_rate", "csat", "csat_answers",
		"mean_satisfaction", "nps", "nps_answers", "ces", "fcr", "closure_rate", "reopen_rate", "repeat_rate",
		"follow_up_completion", "survey_response_rate")
	var qs []float64
	if len(r.Groups) > 0 {
		for _, q := range r.Total.FirstResponseElapsed.Quantiles {
			qs = append(qs, q.Q)
		}
	}
	durNames := []string{"first_response_business", "first_response_elapsed", "resolution_business", "resolution_elapsed"}
	for _, d := range durNames {
		head = append(head, d+"_n", d+"_mean_s")
		for _, q := range qs {
			head = append(head, d+"_"+quantileName(q)+"_s")
		}
	}
	for _, s := range r.Total.SLA {
		head = append(head, "sla_"+s.Metric+"_achievement", "sla_"+s.Metric+"_open_breached_rate")
	}
	if r.AgingLabels != nil {
		head = append(head, "backlog")
		for _, l := range r.AgingLabels {
			head = append(head, "aging_"+l)
		}
	}
	if r.SatDims != nil {
		head = append(head, "composite")
		for _, d := range r.SatDims {
			head = append(head, "sat_"+d)
		}
	}
	head = append(head, "compensation")
	if err := cw.Write(head); err != nil {
		return err
	}
	row := func(g *Group, key []string, period string) []string {
		out := append([]string{}, key...)
		nps, npsOK := g.NPS.Score()
		out = append(out, period, strconv.FormatInt(g.Tickets, 10), csvRatio(g.Share), strconv.FormatInt(g.Complaints, 10),
			csvRatio(g.ComplaintRate), csvRatio(g.CSAT), strconv.FormatInt(g.CSAT.Den, 10),
			csvFloat(g.MeanSatisfaction.Get()), csvFloat(nps, npsOK), strconv.FormatInt(g.NPS.Responses(), 10),
			csvFloat(g.CES.Get()), csvRatio(g.FCR), csvRatio(g.ClosureRate), csvRatio(g.ReopenRate),
			csvRatio(g.RepeatRate), csvRatio(g.FollowUpCompletion), csvRatio(g.SurveyResponseRate))
		for _, d := range []DurationStats{g.FirstResponseBusiness, g.FirstResponseElapsed, g.ResolutionBusiness, g.ResolutionElapsed} {
			out = append(out, strconv.FormatInt(d.N, 10), csvSeconds(d.Mean, d.N > 0))
			for _, q := range qs {
				v, ok := d.Quantile(q)
				out = append(out, csvSeconds(v, ok))
			}
		}
		for _, s := range g.SLA {
			out = append(out, csvRatio(s.Achievement), csvRatio(s.OpenBreachedRate))
		}
		if r.AgingLabels != nil {
			out = append(out, strconv.FormatInt(g.Backlog, 10))
			for _, a := range g.Aging {
				out = append(out, strconv.FormatInt(a, 10))
			}
		}
		if r.SatDims != nil {
			out = append(out, csvFloat(g.Composite.Get()))
			for _, m := range g.SatDims {
				out = append(out, csvFloat(m.Get()))
			}
		}
		return append(out, moneyString(g.Compensation))
	}
	for i := range r.Groups {
		g := &r.Groups[i]
		if err := cw.Write(row(g, g.Key, g.Period)); err != nil {
			return err
		}
	}
	total := make([]string, len(r.GroupBy))
	for i := range total {
		total[i] = "total"
	}
	if len(total) == 0 {
		total = nil
	}
	if err := cw.Write(row(&r.Total, total, "")); err != nil {
		return err
	}
	cw.Flush()
	return cw.Error()
}

// moneyString renders amounts in minor units ("CNY:1500; USD:320"): the
// number of minor digits differs by currency, so no decimal point is
// guessed.
func moneyString(ms []CompensationTotal) string {
	parts := make([]string, len(ms))
	for i, m := range ms {
		parts[i] = m.Currency + ":" + strconv.FormatInt(m.Minor, 10)
	}
	return strings.Join(parts, "; ")
}

func mdEscape(s string) string {
	if s == "" {
		return "(empty)"
	}
	return strings.NewReplacer("|", `\|`, "\n", " ").Replace(s)
}

func pct(r Ratio) string {
	p, ok := r.Percent()
	if !ok {
		return NoData
	}
	return fmtFloat(p, 1) + " %"
}

func durCell(d DurationStats, q float64) string {
	if d.N == 0 {
		return NoData
	}
	if q < 0 {
		return roundDur(d.Mean).String()
	}
	v, _ := d.Quantile(q)
	return roundDur(v).String()
}

// WriteMarkdown writes a report: a headline table of the total, then one
// row per group, then SLA achievement per metric and priority, then
// backlog aging when an as-of instant was set.
func WriteMarkdown(w io.Writer, r *Result) error {
	var b strings.Builder
	b.WriteString("# Feedback KPI report\n\n")
	var intro []string
	if len(r.GroupBy) > 0 || r.Period != PeriodNone.String() {
		by := strings.Join(r.GroupBy, ", ")
		if r.Period != PeriodNone.String() {
			if by != "" {
				by += " and "
			}
			by += fmt.Sprintf("%s (%s)", r.Period, r.Location)
		}
		intro = append(intro, "Grouped by "+by+".")
	}
	if !r.AsOf.IsZero() {
		intro = append(intro, fmt.Sprintf("Backlog as of %s.", r.AsOf.Format(time.RFC3339)))
	}
	if r.Invalid > 0 {
		intro = append(intro, fmt.Sprintf("%d invalid fields were skipped.", r.Invalid))
	}
	if len(intro) > 0 {
		b.WriteString(strings.Join(intro, " ") + "\n\n")
	}
	b.WriteString("## Totals\n\n| figure | value |\n|---|---:|\n")
	t := &r.Total
	row := func(k, v string) { fmt.Fprintf(&b, "| %s | %s |\n", k, v) }
	row("tickets", strconv.FormatInt(t.Tickets, 10))
	row("complaints", strconv.FormatInt(t.Complaints, 10))
	if t.ComplaintRate.Den > 0 {
		row("complaint rate", pct(t.ComplaintRate))
	}
	row("CSAT (satisfied share)", t.CSAT.String())
	row("mean satisfaction (1–5)", t.MeanSatisfaction.String())
	row("NPS", t.NPS.String())
	row("CES (1–7)", t.CES.String())
	row("first-contact resolution", t.FCR.String())
	row("closure rate", t.ClosureRate.String())
	row("reopen rate", t.ReopenRate.String())
	row("repeat-feedback rate", t.RepeatRate.String())
	row("follow-up completion", t.FollowUpCompletion.String())
	row("survey response rate", t.SurveyResponseRate.String())
	row("first response (business)", t.FirstResponseBusiness.String())
	row("first response (elapsed)", t.FirstResponseElapsed.String())
	row("resolution (business)", t.ResolutionBusiness.String())
	row("resolution (elapsed)", t.ResolutionElapsed.String())
	for _, s := range t.SLA {
		row("SLA "+s.Metric+" achievement", s.Achievement.String())
		row("SLA "+s.Metric+" open and breached", s.OpenBreachedRate.String())
	}
	if r.SatDims != nil {
		row("composite satisfaction (1–5)", t.Composite.String())
	}
	if len(t.Compensation) > 0 {
		row("compensation (minor units)", moneyString(t.Compensation))
	}
	if len(r.GroupBy) > 0 || r.Period != PeriodNone.String() {
		b.WriteString("\n## Groups\n\n| group | tickets | share | CSAT | NPS | FCR | closure | repeat | first response mean | p50 | p90 | resolution mean | p90 |")
		for _, s := range t.SLA {
			fmt.Fprintf(&b, " SLA %s |", s.Metric)
		}
		b.WriteString("\n|---|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|---:|")
		b.WriteString(strings.Repeat("---:|", len(t.SLA)))
		b.WriteString("\n")
		for i := range r.Groups {
			g := &r.Groups[i]
			parts := make([]string, 0, len(g.Key)+1)
			for _, k := range g.Key {
				parts = append(parts, mdEscape(k))
			}
			if g.Period != "" {
				parts = append(parts, g.Period)
			}
			fmt.Fprintf(&b, "| %s | %d | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s | %s |",
				strings.Join(parts, " / "), g.Tickets, pct(g.Share), pct(g.CSAT), g.NPS.String(), pct(g.FCR), pct(g.ClosureRate),
				pct(g.RepeatRate), durCell(g.FirstResponseElapsed, -1), durCell(g.FirstResponseElapsed, 0.5),
				durCell(g.FirstResponseElapsed, 0.9), durCell(g.ResolutionElapsed, -1), durCell(g.ResolutionElapsed, 0.9))
			for _, s := range g.SLA {
				fmt.Fprintf(&b, " %s |", pct(s.Achievement))
			}
			b.WriteString("\n")
		}
	}
	if len(t.SLA) > 0 {
		b.WriteString("\n## SLA by priority\n\n| metric | priority | met | breached | achievement | open | open and breached | rate |\n|---|---|---:|---:|---:|---:|---:|---:|\n")
		for _, s := range t.SLA {
			for _, p := range s.ByPriority {
				fmt.Fprintf(&b, "| %s | %s | %d | %d | %s | %d | %d | %s |\n", s.Metric, p.Priority, p.Met, p.Breached,
					pct(p.Achievement), p.Open, p.OpenBreached, pct(p.OpenBreachedRate))
			}
		}
	}
	if r.AgingLabels != nil {
		b.WriteString("\n## Backlog aging\n\n| backlog |")
		for _, l := range r.AgingLabels {
			fmt.Fprintf(&b, " %s |", l)
		}
		b.WriteString("\n|---:|" + strings.Repeat("---:|", len(r.AgingLabels)) + "\n")
		fmt.Fprintf(&b, "| %d |", t.Backlog)
		for _, a := range t.Aging {
			fmt.Fprintf(&b, " %d |", a)
		}
		b.WriteString("\n")
	}
	_, err := io.WriteString(w, b.String())
	return err
}
