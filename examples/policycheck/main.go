// Command policycheck verifies a policy change before it goes live: it
// replays a deterministic history of generated tickets under the SLA policy
// in force and under a proposal, and prints, per priority, how the breach
// rate, the mean time to deadline and the compensation cost would change.
//
// The policies are data in this folder: current.json (the policy in force),
// proposed.json (the change) and calendars.json (the office calendar, and the
// same calendar with document 000's 20:00–22:00 evening shift). The proposal:
//
//   - P1 first response within 4 hours instead of 8, and resolution within 24
//     hours instead of 48;
//   - P2 resolution keeps its 48 business hours but counts them on the
//     calendar with the evening shift (10 open hours a day instead of 8), so
//     it falls due sooner;
//   - P0 and P3 are unchanged.
//
// The figures come from package whatif (the same code the Apache Beam
// pipeline in examples/beam runs, so both give the same numbers): every
// ticket is evaluated under both policies at its own last timeline entry;
// the breach rate is breached ÷ (met + breached); the time to deadline is the
// mean of deadline − start (a customer's wait, pauses included); the cost is
// the largest money option of the goodwill compensation preset
// (complaint-goodwill: vouchers for resolutions 24 hours late and more).
// Response is not priced. The report prints these definitions above its
// tables; durations are written to the minute ("193h48m"), as in every
// closeloop example.
//
// Usage:
//
//	go run ./examples/policycheck                       # 5000 tickets, seed 1
//	go run ./examples/policycheck -n 20000 -seed 7
//	go run ./examples/policycheck -proposed my-change.json
//	go run ./examples/policycheck -json                 # the figures as JSON
//
// The history starts on Monday 2024-03-04 00:00 Shanghai time; tickets arrive
// every 30 s to 150 s around the clock. Nothing reads the wall clock: the
// same flags print the same report on every run.
package main

import (
	"embed"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"slices"
	"strings"
	"time"
	_ "time/tzdata" // the calendars' zone on machines without a zone database

	"github.com/closeloop/closeloop/compensation"
	"github.com/closeloop/closeloop/l10n"
	"github.com/closeloop/closeloop/sla"
	"github.com/closeloop/closeloop/whatif"
	"github.com/closeloop/closeloop/whatif/whatiftest"
)

//go:embed calendars.json current.json proposed.json
var files embed.FS

// options are the command's flags.
type options struct {
	// N is the number of tickets generated; Seed selects the history.
	N    int
	Seed uint64
	// Current, Proposed and Calendars are files to read instead of the
	// embedded ones ("" for the embedded).
	Current, Proposed, Calendars string
	// JSON prints the figures as JSON instead of tables.
	JSON bool
}

func main() {
	var o options
	flag.IntVar(&o.N, "n", 5000, "number of generated tickets")
	flag.Uint64Var(&o.Seed, "seed", 1, "seed of the generated history")
	flag.StringVar(&o.Current, "current", "", "SLA policy set in force (default: the embedded current.json)")
	flag.StringVar(&o.Proposed, "proposed", "", "proposed SLA policy set (default: the embedded proposed.json)")
	flag.StringVar(&o.Calendars, "calendars", "", "calendars both policy sets count on (default: the embedded calendars.json)")
	flag.BoolVar(&o.JSON, "json", false, "print the figures as JSON (one whatif.Result per measured metric) instead of tables")
	flag.Parse()
	if err := run(os.Stdout, o); err != nil {
		fmt.Fprintln(os.Stderr, "policycheck:", err)
		os.Exit(1)
	}
}

// run compares the policies and prints the report to w.
func run(w io.Writer, o options) error {
	c, err := compare(o)
	if err != nil {
		return err
	}
	if o.JSON {
		return c.writeJSON(w)
	}
	return c.write(w)
}

// writeJSON prints {"first_response": {...}, "resolution": {...}}, each a
// whatif.Result.
func (c *check) writeJSON(w io.Writer) error {
	out := map[string]*whatif.Result{}
	for i, m := range measured {
		out[m.metric] = c.results[i]
	}
	data, err := json.MarshalIndent(out, "", "  ")
	if err != nil {
		return err
	}
	_, err = w.Write(append(data, '\n'))
	return err
}

// start is the first ticket's arrival: Monday 2024-03-04 00:00 in Shanghai.
var start = time.Date(2024, 3, 4, 0, 0, 0, 0, time.FixedZone("CST", 8*3600))

// measured are the SLA metrics compared, and whether each is priced.
var measured = []struct {
	metric, title string
	priced        bool
}{
	{"first_response", "First response", false},
	{"resolution", "Resolution", true},
}

// compensationPreset prices resolution overruns.
const compensationPreset = "complaint-goodwill"

// check is one comparison: the two policy documents, the history and the
// result per measured metric.
type check struct {
	loc               *time.Location
	current, proposed sla.PolicySetSpec
	n                 int
	first, last       time.Time
	results           []*whatif.Result
	// flips are, per measured metric, the first ticket of each priority
	// whose verdict the proposal changes.
	flips [][]flip
}

// flip is a ticket whose verdict differs between the two sides.
type flip struct {
	id       string
	received time.Time
	outcome  whatif.Outcome
}

// read returns the named file, or the embedded one when path is "".
func read(path, embedded string) ([]byte, error) {
	if path != "" {
		return os.ReadFile(path)
	}
	return files.ReadFile(embedded)
}

// compare compiles both policy sets, generates the history and replays it
// under both, once per measured metric.
func compare(o options) (*check, error) {
	if o.N <= 0 {
		return nil, errors.New("-n must be positive")
	}
	calData, err := read(o.Calendars, "calendars.json")
	if err != nil {
		return nil, err
	}
	cals, err := sla.ParseCalendars(calData)
	if err != nil {
		return nil, fmt.Errorf("calendars: %w", err)
	}
	env := sla.PolicyEnv{States: sla.DefaultStates(), Calendars: cals}
	c := &check{n: o.N}
	if office, err := cals.Lookup("office"); err == nil {
		c.loc = office.Location()
	} else {
		c.loc = start.Location()
	}
	var sets [2]*sla.PolicySet
	for i, f := range []struct {
		path, embedded string
		spec           *sla.PolicySetSpec
	}{{o.Current, "current.json", &c.current}, {o.Proposed, "proposed.json", &c.proposed}} {
		data, err := read(f.path, f.embedded)
		if err != nil {
			return nil, err
		}
		if sets[i], err = sla.ParsePolicySet(data, env); err != nil {
			return nil, fmt.Errorf("%s: %w", orDefault(f.path, f.embedded), err)
		}
		if err := json.Unmarshal(data, f.spec); err != nil {
			return nil, err
		}
	}
	comp, err := compensation.Preset(compensationPreset)
	if err != nil {
		return nil, err
	}

	tickets := whatiftest.Generate(o.Seed, start, o.N)
	c.first, c.last = tickets[0].Timeline[0].At, tickets[len(tickets)-1].Timeline[0].At
	for _, m := range measured {
		cfg := whatif.Config{
			Current:  whatif.Side{Name: "current", SLA: sets[0], Metric: m.metric},
			Proposed: whatif.Side{Name: "proposed", SLA: sets[1], Metric: m.metric},
		}
		if m.priced {
			cfg.Current.Compensation, cfg.Proposed.Compensation = comp, comp
		}
		replay, err := whatif.New(cfg)
		if err != nil {
			return nil, err
		}
		acc := replay.NewAccumulator()
		var flips []flip
		seen := map[string]bool{}
		for i := range tickets {
			o := replay.Evaluate(&tickets[i])
			acc.AddOutcome(&o)
			if o.Current.Verdict != o.Proposed.Verdict && !seen[o.Priority] {
				seen[o.Priority] = true
				flips = append(flips, flip{id: tickets[i].ID, received: tickets[i].Timeline[0].At, outcome: o})
			}
		}
		slices.SortFunc(flips, func(a, b flip) int { return strings.Compare(a.outcome.Priority, b.outcome.Priority) })
		c.results = append(c.results, acc.Result())
		c.flips = append(c.flips, flips)
	}
	return c, nil
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

// errWriter keeps the first write error so the report reads as prose.
type errWriter struct {
	w   io.Writer
	err error
}

func (e *errWriter) printf(format string, args ...any) {
	if e.err == nil {
		_, e.err = fmt.Fprintf(e.w, format, args...)
	}
}

// write prints the report: what the proposal changes, then per measured
// metric one table per priority with current, proposed and the change.
func (c *check) write(w io.Writer) error {
	p := &errWriter{w: w}
	p.printf("Policy check: %s → %s\n", c.current.Name, c.proposed.Name)
	p.printf("History: %d generated tickets received %s … %s\n", c.n,
		c.first.In(c.loc).Format("2006-01-02 15:04 Mon"), c.last.In(c.loc).Format("2006-01-02 15:04 Mon"))
	p.printf("\nWhat the proposal changes:\n")
	changes := targetChanges(c.current, c.proposed)
	if len(changes) == 0 {
		p.printf("  no target changes\n")
	}
	for _, s := range changes {
		p.printf("  %s\n", s)
	}
	p.printf("\nWhat the tables show, per priority, under the policy in force (current) and the proposal:\n")
	p.printf("  breach rate            breached ÷ due: of the metric's clocks that stopped or passed their\n")
	p.printf("                         deadline, the share that missed it\n")
	p.printf("  mean time to deadline  the mean, over the tickets that have one, of deadline − start of the\n")
	p.printf("                         metric's clock: the time a customer is promised, in wall-clock time,\n")
	p.printf("                         pauses included (a tighter target shortens it)\n")
	p.printf("  compensation cost      the sum of each ticket's largest money option under %s\n", compensationPreset)
	p.printf("  change                 proposed − current (breach rate in percentage points)\n")
	for i, m := range measured {
		res := c.results[i]
		p.printf("\n== %s", m.title)
		if m.priced {
			p.printf(" (priced with the %s compensation preset)", compensationPreset)
		}
		p.printf("\n")
		for _, d := range res.Priorities {
			writeDifference(p, d.Priority, &d, m.priced)
		}
		writeDifference(p, "All priorities", &res.Total, m.priced)
		if len(c.flips[i]) > 0 {
			p.printf("\nFor instance (the first ticket of each priority whose verdict changes):\n")
		}
		for _, f := range c.flips[i] {
			p.printf("  %s %s received %s: %s, %s\n", f.id, f.outcome.Priority,
				f.received.In(c.loc).Format("2006-01-02 15:04 Mon"),
				sideText("current", f.outcome.Current), sideText("proposed", f.outcome.Proposed))
		}
	}
	return p.err
}

// sideText says what one side decided for a ticket: "met under current
// (due 48h after the start)", "breached under proposed (due 24h after
// the start, 3h12m late)".
func sideText(side string, o whatif.SideOutcome) string {
	s := o.Verdict.String() + " under " + side
	if o.HasDeadline {
		s += " (due " + english.Duration(o.TimeToDeadline) + " after the start"
		if o.Overrun > 0 {
			s += ", " + english.Duration(o.Overrun) + " late"
		}
		s += ")"
	}
	return s
}

// english writes durations as every closeloop example does: to the minute,
// "193h48m", "4h", "45m".
var english = l10n.New(l10n.English)

// writeDifference prints one priority's table.
func writeDifference(p *errWriter, title string, d *whatif.Difference, priced bool) {
	cur, prop := &d.Current, &d.Proposed
	p.printf("\n%s · %d tickets", title, cur.Tickets)
	if cur.Failed+prop.Failed > 0 {
		p.printf(" (%d / %d could not be evaluated)", cur.Failed, prop.Failed)
	}
	p.printf("\n")
	row := func(label, a, b, change string) {
		p.printf("%s\n", strings.TrimRight(fmt.Sprintf("  %-24s %14s %14s %16s", label, a, b, change), " "))
	}
	row("", "current", "proposed", "change")
	change := "-"
	if d.BreachRateOK {
		change = fmt.Sprintf("%+.1f points", d.BreachRatePoints)
		if d.BreachRatePoints == 0 {
			change = "unchanged"
		}
	}
	row("breach rate", percent(cur), percent(prop), change)
	row("  breached / due", fmt.Sprintf("%d / %d", cur.Breached, cur.Met+cur.Breached),
		fmt.Sprintf("%d / %d", prop.Breached, prop.Met+prop.Breached), "")
	change = "-"
	if d.TimeToDeadlineOK {
		change = signedHours(d.TimeToDeadline)
	}
	row("mean time to deadline", hours(cur.TimeToDeadline), hours(prop.TimeToDeadline), change)
	if !priced {
		return
	}
	change = "-"
	if d.CompensationOK {
		change = signedMoney(d.CompensationMinor, cur.Currency)
	}
	row("compensation cost", money(cur.CompensationMinor, cur.Currency), money(prop.CompensationMinor, prop.Currency), change)
	row("  tickets compensated", fmt.Sprint(cur.Compensated), fmt.Sprint(prop.Compensated), "")
}

func percent(f *whatif.Figures) string {
	v, ok := f.BreachRate.Percent()
	if !ok {
		return "no data"
	}
	return fmt.Sprintf("%.1f %%", v)
}

func hours(m whatif.MeanDuration) string {
	if m.N == 0 {
		return "no data"
	}
	return english.Duration(m.Mean)
}

func signedHours(d time.Duration) string {
	switch {
	case d.Round(time.Minute) == 0:
		return "unchanged"
	case d > 0:
		return "+" + english.Duration(d)
	}
	return english.Duration(d)
}

func money(minor int64, currency string) string {
	if currency == "" {
		return "not priced"
	}
	m, err := compensation.MoneyFromMinor(minor, currency)
	if err != nil {
		return fmt.Sprintf("%d (minor units of %s)", minor, currency)
	}
	return m.String()
}

func signedMoney(minor int64, currency string) string {
	switch {
	case minor == 0:
		return "unchanged"
	case minor < 0:
		return "-" + money(-minor, currency)
	}
	return "+" + money(minor, currency)
}

// targetChanges lists, in words, every target the proposal sets differently
// from the policy in force, by policy name, metric and priority.
func targetChanges(cur, prop sla.PolicySetSpec) []string {
	type key struct{ policy, metric, priority string }
	collect := func(s sla.PolicySetSpec) map[key]string {
		out := map[key]string{}
		for _, p := range s.Policies {
			for _, m := range p.Metrics {
				name := orDefault(m.Name, m.Kind)
				for prio, t := range m.Targets {
					out[key{p.Name, name, prio}] = targetText(t, s.DefaultCalendar)
				}
			}
		}
		return out
	}
	a, b := collect(cur), collect(prop)
	keys := map[key]bool{}
	for k := range a {
		keys[k] = true
	}
	for k := range b {
		keys[k] = true
	}
	var out []string
	for k := range keys {
		if a[k] != b[k] {
			out = append(out, fmt.Sprintf("%s %s %s: %s → %s", k.policy, k.metric, k.priority,
				orDefault(a[k], "no target"), orDefault(b[k], "no target")))
		}
	}
	slices.Sort(out)
	return out
}

// targetText writes a target spec: "24h elapsed", "40h business on office",
// "10 working days on office".
func targetText(t sla.TargetSpec, defaultCalendar string) string {
	switch t.Unit {
	case "elapsed":
		return t.Duration + " elapsed"
	case "working_days":
		return fmt.Sprintf("%d working days on %s", t.Days, orDefault(t.Calendar, defaultCalendar))
	}
	return strings.TrimSpace(t.Duration+" "+t.Unit) + " on " + orDefault(t.Calendar, defaultCalendar)
}
