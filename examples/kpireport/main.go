// Command kpireport writes the monthly feedback review a service manager
// reads (document 004's "monthly analysis", the analyses of 001, 002 and
// 003) from generated tickets, as a Markdown report with SVG charts:
//
//   - headline figures of the month against the month before — CSAT, mean
//     satisfaction, NPS, customer effort, first-contact resolution, closure,
//     reopen, repeat-feedback, follow-up and survey response rates, response
//     and resolution times, compensation cost — and the review goals
//     ("satisfaction ≥ 90 %", "closure rate 100 %", "collection rate ≥ 95 %",
//     "complaints −20 %", "response time −50 %") met or not;
//   - SLA achievement per metric and priority (met ÷ due, "open and already
//     breached" apart) with a bar chart, and handling time per priority;
//   - the top 5 problems of the month, their rank last month and the
//     problems in the top 5 for 3 consecutive months;
//   - the week-on-week trend (ISO weeks) of volume, CSAT and first-response
//     SLA achievement, with line charts;
//   - a type × channel heat map and a type × time-of-day heat map;
//   - teams whose satisfaction, and regions whose NPS, is significantly below
//     the rest (one-sided Welch t-test of each unit against the others
//     pooled, Holm-corrected for the number of units), with a chart of each
//     team's mean and 95 % interval;
//   - co-occurring problems: association rules over ticket tags (Apriori)
//     with support, confidence and lift;
//   - an appendix of the month's figures per priority as Markdown, CSV and
//     JSON (the metrics package's own renderers).
//
// The data come from metricstest.Generator (seeded), January to March 2024 in
// Asia/Shanghai, reviewed as of 2024-04-01 00:00. Two things are staged on
// top of the generator's steady state so that the report has something to
// find: an app release on Monday 2024-03-18 brings extra crash complaints
// through the app (5 % more tickets in week 12, fewer in week 13 after a
// hotfix; their customers are less satisfied), and team t6 is less
// satisfied in March (30 % of its CSAT answers one point lower). Every
// instant is fixed and nothing reads the wall clock: the same seed writes
// byte-identical files.
//
// Usage:
//
//	cd examples/kpireport   # a module of its own: gonum/plot is no requirement of the library
//	go run . [-out ./kpireport-out] [-seed 2024]
//
// The charts are drawn with gonum.org/v1/plot (pure Go, SVG through
// vg/vgsvg): line charts for the trends with the goals as dashed lines,
// dots for SLA achievement on an axis fitted to them with the target band,
// points with error bars for the units, and its HeatMap plotter for the heat
// maps, with the count (for staffing: the average per weekday) written into
// each cell and a colour scale beside. Every chart is written in Go Regular
// (golang.org/x/image/font/gofont), which the program carries and each SVG
// embeds: labels are measured with the font the viewer draws them in, so
// no margin depends on the fonts a machine has installed (a test renders
// each chart to PNG and checks every label against the canvas edges and the
// other labels). Durations are written as in every closeloop example, to the
// minute ("5h30m", "147h").
package main

import (
	"errors"
	"flag"
	"fmt"
	"io"
	"math/rand/v2"
	"os"
	"path/filepath"
	"slices"
	"time"
	_ "time/tzdata" // Asia/Shanghai on machines without a zone database

	"github.com/closeloop/closeloop/metrics"
	"github.com/closeloop/closeloop/metrics/metricstest"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "kpireport:", err)
		}
		os.Exit(1)
	}
}

// The review's fixed calendar.
var (
	zone         = mustZone("Asia/Shanghai")
	dataStart    = time.Date(2024, 1, 1, 0, 0, 0, 0, zone)  // Monday, ISO week 2024-W01
	monthStart   = time.Date(2024, 3, 1, 0, 0, 0, 0, zone)  // the month under review
	asOf         = time.Date(2024, 4, 1, 0, 0, 0, 0, zone)  // the review's instant
	releaseStart = time.Date(2024, 3, 18, 0, 0, 0, 0, zone) // the app release (Monday of 2024-W12)
)

const (
	monthLabel = "2024-03"
	prevLabel  = "2024-02"
	weakTeam   = "t6"
	meanGap    = 40 * time.Second // about 1,500 tickets a day
	repeatWin  = 7 * 24 * time.Hour
	alpha      = 0.05
)

func mustZone(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

func run(args []string, w io.Writer) error {
	fs := flag.NewFlagSet("kpireport", flag.ContinueOnError)
	fs.SetOutput(w)
	out := fs.String("out", "kpireport-out", "folder for report.md, the SVG charts and the appendix")
	seed := fs.Uint64("seed", 2024, "seed of the ticket generator")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	if err := os.MkdirAll(*out, 0o755); err != nil {
		return err
	}

	recs := generate(*seed)
	rv, err := analyse(recs)
	if err != nil {
		return err
	}
	rv.seed = *seed

	files, err := writeCharts(*out, rv)
	if err != nil {
		return err
	}
	appendix, err := writeAppendix(*out, rv)
	if err != nil {
		return err
	}
	files = append(files, appendix...)
	report := filepath.Join(*out, "report.md")
	if err := writeFile(report, func(f io.Writer) error { return writeReport(f, rv) }); err != nil {
		return err
	}
	files = append([]string{report}, files...)
	return summary(w, rv, files)
}

// generate makes the tickets of January to March and stages the month's
// story on them (see the package comment).
func generate(seed uint64) []metrics.Record {
	g := metricstest.NewGenerator(seed, dataStart).WithMeanGap(meanGap)
	// The generator's week averages 0.69 of its peak rate: reserve a
	// little more than the expected count so that appending copies little.
	recs := make([]metrics.Record, 0, int(float64(asOf.Sub(dataStart))/float64(meanGap)*0.75))
	for {
		var r metrics.Record // fresh: stored records must not share Tags
		g.Next(&r)
		if !r.Received.Before(asOf) {
			break
		}
		recs = append(recs, r)
	}

	for i := range recs {
		asOfView(&recs[i])
	}

	rng := rand.New(rand.NewPCG(seed, 0x6b7069)) // the staging's own stream
	releaseEnd := releaseStart.AddDate(0, 0, 7)
	hotfixEnd := releaseEnd.AddDate(0, 0, 7)
	var extra []metrics.Record
	for i := range recs {
		r := &recs[i]
		// Team t6 has a bad month.
		if r.Team == weakTeam && !r.Received.Before(monthStart) && r.CSAT > 1 && rng.IntN(100) < 30 {
			r.CSAT--
		}
		// The release: extra crash complaints through the app.
		p := 0
		switch {
		case !r.Received.Before(releaseStart) && r.Received.Before(releaseEnd):
			p = 5
		case !r.Received.Before(releaseEnd) && r.Received.Before(hotfixEnd):
			p = 2
		}
		if p == 0 || rng.IntN(100) >= p {
			continue
		}
		c := *r
		shift := time.Duration(1+rng.IntN(600)) * time.Second
		for _, t := range []*time.Time{&c.Received, &c.FirstResponse, &c.Resolved, &c.Closed} {
			if !t.IsZero() {
				*t = t.Add(shift)
			}
		}
		if !c.Received.Before(asOf) {
			continue
		}
		asOfView(&c)
		c.Kind, c.Category, c.Channel = "complaint", "crash", "app"
		c.Tags = []string{"crash", "update"}
		if rng.IntN(100) < 30 {
			c.Tags = append(c.Tags, "data-loss")
		}
		if c.CSAT > 0 {
			c.CSAT = max(c.CSAT, 3) - 2
		}
		c.FollowUp = metrics.FollowUpDone
		extra = append(extra, c)
	}
	// Merge the extra tickets into arrival order (both lists are sorted;
	// a generated ticket goes first on a tie).
	slices.SortStableFunc(extra, func(a, b metrics.Record) int { return a.Received.Compare(b.Received) })
	all := make([]metrics.Record, 0, len(recs)+len(extra))
	for len(recs) > 0 || len(extra) > 0 {
		if len(extra) == 0 || len(recs) > 0 && !extra[0].Received.Before(recs[0].Received) {
			all, recs = append(all, recs[0]), recs[1:]
		} else {
			all, extra = append(all, extra[0]), extra[1:]
		}
	}
	metrics.MarkRepeats(all, repeatWin)
	return all
}

// The generator's first-response targets per priority; resolution is due
// at four times the target (see metricstest.Generator).
var frTarget = map[string]time.Duration{"P0": time.Hour, "P1": 4 * time.Hour, "P2": 24 * time.Hour, "P3": 72 * time.Hour}

// asOfView makes a generated record what the host would know at the
// review's instant: the generator draws each ticket's whole future, so a
// response, resolution or closure after asOf did not happen yet, its SLA
// clock is still running (open, or open and breached once the deadline has
// passed), and a ticket not resolved yet has no survey answers, no
// first-contact resolution, no reopening and no finished follow-up.
func asOfView(r *metrics.Record) {
	target, ok := frTarget[r.Priority]
	if !ok {
		return
	}
	if r.FirstResponse.After(asOf) {
		r.FirstResponse, r.FirstResponseBusiness = time.Time{}, 0
		r.SLA[0] = metrics.SLAStatusAt(r.Received.Add(target), time.Time{}, asOf)
	}
	if r.Closed.After(asOf) {
		r.Closed = time.Time{}
	}
	if !r.Resolved.After(asOf) {
		return
	}
	r.Resolved, r.ResolutionBusiness = time.Time{}, 0
	r.SLA[1] = metrics.SLAStatusAt(r.Received.Add(4*target), time.Time{}, asOf)
	r.FirstContactResolved, r.ReopenCount = false, 0
	r.SurveySent, r.CSAT, r.NPS, r.NPSAnswered, r.CES, r.SatDims = false, 0, 0, false, 0, [metrics.MaxSatDims]uint8{}
	if r.FollowUp == metrics.FollowUpDone {
		r.FollowUp = metrics.FollowUpPending
	}
}

func writeFile(path string, write func(io.Writer) error) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := write(f); err != nil {
		f.Close()
		return fmt.Errorf("%s: %w", path, err)
	}
	return f.Close()
}

// summary prints what was written and the month's headline to w.
func summary(w io.Writer, rv *review, files []string) error {
	m := rv.month
	fmt.Fprintf(w, "kpireport: monthly review %s from %d generated tickets (%d in %s), seed %d\n",
		monthLabel, rv.records, m.Tickets, monthLabel, rv.seed)
	fmt.Fprintf(w, "  CSAT %s, NPS %s, first-contact resolution %s, closure rate %s\n",
		m.CSAT, m.NPS, m.FCR, m.ClosureRate)
	for _, s := range rv.sla {
		fmt.Fprintf(w, "  SLA %s achievement %s\n", s.Metric, s.Achievement)
	}
	top := ""
	for i, e := range rv.top {
		if i > 0 {
			top += ", "
		}
		top += fmt.Sprintf("%s (%d)", e.Key[0], int64(e.Value))
	}
	fmt.Fprintf(w, "  top problems: %s\n", top)
	if rv.rise.ok {
		fmt.Fprintf(w, "  largest week-on-week rise: %s %s %+.1f %% (%d → %d tickets)\n",
			rv.rise.category, rv.rise.week, rv.rise.pct, int64(rv.rise.prev), int64(rv.rise.cur))
	}
	for _, u := range append(slices.Clone(rv.teams), rv.regions...) {
		if u.Below {
			fmt.Fprintf(w, "  below the rest: %s (mean %.2f, z %+.2f, Holm-adjusted p %.2g)\n", u.Name, u.Mean, u.Z, u.PAdjusted)
		}
	}
	if len(rv.rules) > 0 {
		fmt.Fprintf(w, "  strongest co-occurrence: %s\n", rv.rules[0])
	}
	fmt.Fprintln(w, "wrote:")
	for _, f := range files {
		fmt.Fprintln(w, " ", f)
	}
	return nil
}
