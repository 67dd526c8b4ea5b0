package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"strings"
	"sync"
	"time"

	"github.com/closeloop/closeloop/compensation"
	"github.com/closeloop/closeloop/feedback"
	"github.com/closeloop/closeloop/l10n"
	"github.com/closeloop/closeloop/whatif"
)

const whatifAbout = `Whatif replays ticket histories under the rules in force (-current) and a
proposal (-proposed), both rules documents, and prints per priority how the
breach rate, the mean time to deadline and the compensation cost would
change (package whatif: the same figures as examples/policycheck and the
Apache Beam pipeline):

  breach rate        breached ÷ (met + breached) of the measured metric
  time to deadline   mean of deadline − start of its current cycle, in
                     wall-clock time (pauses included: a customer's wait)
  compensation cost  sum of each ticket's largest money option under
                     -compensation, a policy of each document (not priced
                     when not given)

HISTORIES is newline-delimited JSON, one whatif.Ticket a line ("-" reads
standard input). The tickets are shared out to -workers goroutines, each with
its own accumulator, merged exactly at the end: the result does not depend on
the number of workers.`

func runWhatif(args []string, e env) int {
	var (
		asJSON                          bool
		current, proposed, metric, comp string
		asOf                            time.Time
		workers                         int
		prog                            *string
		p                               **l10n.Printer
	)
	fs, code := parse("whatif", "-current A -proposed B [flags] HISTORIES.ndjson", whatifAbout, args, e, func(fs *flag.FlagSet) {
		fs.StringVar(&current, "current", "", "the rules document in force (required)")
		fs.StringVar(&proposed, "proposed", "", "the proposed rules document (required)")
		fs.StringVar(&metric, "metric", "resolution", "the SLA metric measured")
		fs.StringVar(&comp, "compensation", "", "price every ticket with this compensation policy of each document")
		fs.Var(timeFlag{&asOf}, "as-of", "evaluate every ticket at this instant (default: each ticket at its own last entry)")
		fs.IntVar(&workers, "workers", runtime.GOMAXPROCS(0), "goroutines replaying tickets")
		fs.BoolVar(&asJSON, "json", false, "write the whatif.Result as JSON")
		prog = addProgress(fs)
		p = addLang(fs)
	})
	if fs == nil {
		return code
	}
	switch {
	case current == "" || proposed == "":
		return usageError(e, "whatif", "give both -current and -proposed")
	case fs.NArg() != 1:
		return usageError(e, "whatif", "want one histories file, got %d arguments", fs.NArg())
	case workers < 1:
		return usageError(e, "whatif", "-workers must be at least 1")
	}
	cfg := whatif.Config{AsOf: asOf}
	for _, side := range []struct {
		name, path string
		into       *whatif.Side
	}{{"current", current, &cfg.Current}, {"proposed", proposed, &cfg.Proposed}} {
		data, err := readFile(e, side.path)
		if err != nil {
			return inputError(e, *p, "whatif", err)
		}
		rules, err := feedback.ParseRules(data)
		if err != nil {
			return inputError(e, *p, "whatif", fmt.Errorf("%s: %w", side.path, err))
		}
		if rules.Policies() == nil {
			return inputError(e, *p, "whatif", fmt.Errorf("%s: %w", side.path, feedback.ErrNoSLA))
		}
		*side.into = whatif.Side{Name: side.name + " " + rules.Version(), SLA: rules.Policies(), Metric: metric}
		if comp != "" {
			pol, ok := rules.CompensationPolicy(comp)
			if !ok {
				return inputError(e, *p, "whatif", fmt.Errorf("%s: no compensation policy %q (it has %s)", side.path, comp, strings.Join(rules.CompensationPolicies(), ", ")))
			}
			side.into.Compensation = pol
		}
	}
	replay, err := whatif.New(cfg)
	if err != nil {
		return inputError(e, *p, "whatif", err)
	}
	in, closeIn, err := openInput(e, fs.Arg(0))
	if err != nil {
		return inputError(e, *p, "whatif", err)
	}
	defer closeIn()
	acc, n, err := replaySharded(in, replay, workers, newProgress(e, *prog, 10000))
	if err != nil {
		return inputError(e, *p, "whatif", fmt.Errorf("%s: %w", fs.Arg(0), err))
	}
	res := acc.Result()
	if asJSON {
		writeJSON(e.stdout, res)
		return exitOK
	}
	cur := ""
	if len(res.Priorities) > 0 {
		cur = res.Total.Current.Currency
	}
	fmt.Fprintf(e.stdout, "What if: %s → %s, metric %s, %s\n", res.Current, res.Proposed, res.Metric, plural(int(n), "ticket", "tickets"))
	writeWhatifTable(e.stdout, res, comp != "", cur, *p)
	return exitOK
}

func openInput(e env, path string) (io.Reader, func(), error) {
	if path == "-" {
		return e.stdin, func() {}, nil
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, nil, err
	}
	return f, func() { f.Close() }, nil
}

// lineError is a line of the histories that does not decode.
type lineError struct {
	line int
	err  error
}

func (e *lineError) Error() string { return fmt.Sprintf("line %d: %v", e.line, e.err) }
func (e *lineError) Unwrap() error { return e.err }

// batch is a run of lines with the number of the first.
type batch struct {
	first int
	lines [][]byte
}

// replaySharded reads NDJSON tickets and replays them on workers
// goroutines, one accumulator each, merged at the end (exact, so the
// split does not matter). The first line that does not decode stops the
// run with its line number.
func replaySharded(r io.Reader, replay *whatif.Replay, workers int, pr *progress) (*whatif.Accumulator, int64, error) {
	const batchSize = 256
	batches := make(chan batch, workers*2)
	accs := make([]*whatif.Accumulator, workers)
	errs := make([]*lineError, workers)
	var stop sync.Once
	done := make(chan struct{})
	var wg sync.WaitGroup
	for w := range workers {
		accs[w] = replay.NewAccumulator()
		wg.Add(1)
		go func() {
			defer wg.Done()
			var t whatif.Ticket
			for b := range batches {
				if errs[w] != nil {
					continue // drain
				}
				for i, line := range b.lines {
					t = whatif.Ticket{}
					if err := whatif.DecodeTicket(line, &t); err != nil {
						errs[w] = &lineError{line: b.first + i, err: err}
						stop.Do(func() { close(done) })
						break
					}
					accs[w].Add(&t)
				}
			}
		}()
	}

	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64<<10), 16<<20)
	var n int64
	line := 0
	cur := batch{first: 1}
	var readErr error
read:
	for sc.Scan() {
		line++
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		if len(cur.lines) == 0 {
			cur.first = line
		}
		cur.lines = append(cur.lines, bytes.Clone(b))
		n++
		pr.tick(n, "tickets read")
		if len(cur.lines) == batchSize {
			select {
			case batches <- cur:
			case <-done:
				break read
			}
			cur = batch{}
		}
	}
	if err := sc.Err(); err != nil {
		readErr = fmt.Errorf("line %d: %w", line+1, err)
	}
	if len(cur.lines) > 0 {
		select {
		case batches <- cur:
		case <-done:
		}
	}
	close(batches)
	wg.Wait()
	pr.done(n, "tickets read")
	if readErr != nil {
		return nil, n, readErr
	}
	// The first bad line in file order, whichever worker met it.
	var first *lineError
	for _, err := range errs {
		if err != nil && (first == nil || err.line < first.line) {
			first = err
		}
	}
	if first != nil {
		return nil, n, first
	}
	total := accs[0]
	for _, a := range accs[1:] {
		if err := total.Merge(a); err != nil {
			return nil, n, err
		}
	}
	return total, n, nil
}

// writeWhatifTable writes one row per priority group and the total, three
// figures side by side, each as current, proposed and the change; it keeps
// within 100 columns for the figures of any realistic history.
func writeWhatifTable(w io.Writer, res *whatif.Result, priced bool, currency string, p *l10n.Printer) {
	head1 := []string{"", "", "breach rate", "", "", "time to deadline", "", ""}
	head2 := []string{"priority", "tickets", "now", "new", "change", "now", "new", "change"}
	if priced {
		cost := "cost"
		if currency != "" {
			cost += " (" + currency + ")"
		}
		head1 = append(head1, cost, "", "")
		head2 = append(head2, "now", "new", "change")
	}
	rows := [][]string{head1, head2}
	diffs := append(append([]whatif.Difference(nil), res.Priorities...), res.Total)
	for i, d := range diffs {
		name := d.Priority
		if i == len(diffs)-1 {
			name = "all"
		}
		row := []string{name, fmt.Sprint(d.Current.Tickets),
			rate(d.Current), rate(d.Proposed), signedPoints(d),
			meanDur(d.Current.TimeToDeadline, p), meanDur(d.Proposed.TimeToDeadline, p), signedDur(d, p)}
		if priced {
			row = append(row, minor(d.Current.CompensationMinor, d.Current.Currency), minor(d.Proposed.CompensationMinor, d.Proposed.Currency), signedMinor(d))
		}
		rows = append(rows, row)
	}
	// Column widths; the group headings span their three columns.
	widths := make([]int, len(head2))
	for _, r := range rows[1:] {
		for c, s := range r {
			widths[c] = max(widths[c], len([]rune(s)))
		}
	}
	for c := 2; c < len(widths); c += 3 {
		span := widths[c] + widths[c+1] + widths[c+2] + 2
		if need := len([]rune(head1[c])); need > span {
			widths[c+2] += need - span
		}
	}
	gap := func(c int) string {
		if c >= 2 && (c-2)%3 == 0 {
			return "   " // between figures
		}
		return " "
	}
	for i, r := range rows {
		var b strings.Builder
		for c := 0; c < len(r); c++ {
			if c > 0 {
				b.WriteString(gap(c))
			}
			if i == 0 && c >= 2 && (c-2)%3 == 0 {
				span := widths[c] + widths[c+1] + widths[c+2] + 2
				b.WriteString(center(r[c], span))
				c += 2
				continue
			}
			if c == 0 {
				fmt.Fprintf(&b, "%-*s", widths[c], r[c])
			} else {
				fmt.Fprintf(&b, "%*s", widths[c], r[c])
			}
		}
		fmt.Fprintln(w, strings.TrimRight(b.String(), " "))
	}
	fmt.Fprintf(w, "\nnow: %s; new: %s; change: new − now.\n", res.Current, res.Proposed)
	fmt.Fprintf(w, "Breach rate: breached ÷ due (met + breached); its change in percentage points.\n")
	fmt.Fprintf(w, "Time to deadline: the mean of deadline − start of the %s clock,\n", res.Metric)
	fmt.Fprintf(w, "  in wall-clock time with pauses included (what a customer waits).\n")
	if priced {
		fmt.Fprintf(w, "Cost: the sum of each ticket's largest money option.\n")
	}
}

func center(s string, width int) string {
	n := len([]rune(s))
	if n >= width {
		return s
	}
	left := (width - n) / 2
	return strings.Repeat(" ", left) + s + strings.Repeat(" ", width-n-left)
}

func rate(f whatif.Figures) string {
	v, ok := f.BreachRate.Percent()
	if !ok {
		return "-"
	}
	return fmt.Sprintf("%.1f%%", v)
}

func signedPoints(d whatif.Difference) string {
	if !d.BreachRateOK {
		return "-"
	}
	if d.BreachRatePoints == 0 {
		return "="
	}
	return fmt.Sprintf("%+.1f", d.BreachRatePoints)
}

func meanDur(m whatif.MeanDuration, p *l10n.Printer) string {
	if m.N == 0 {
		return "-"
	}
	return p.Duration(m.Mean)
}

func signedDur(d whatif.Difference, p *l10n.Printer) string {
	switch {
	case !d.TimeToDeadlineOK:
		return "-"
	case d.TimeToDeadline.Round(time.Minute) == 0:
		return "="
	case d.TimeToDeadline > 0:
		return "+" + p.Duration(d.TimeToDeadline)
	}
	return p.Duration(d.TimeToDeadline)
}

func minor(v int64, currency string) string {
	if currency == "" {
		return "-"
	}
	m, err := compensation.MoneyFromMinor(v, currency)
	if err != nil {
		return fmt.Sprint(v)
	}
	return m.Amount().StringFixed(m.Currency().MinorUnits)
}

func signedMinor(d whatif.Difference) string {
	switch {
	case !d.CompensationOK:
		return "-"
	case d.CompensationMinor == 0:
		return "="
	case d.CompensationMinor > 0:
		return "+" + minor(d.CompensationMinor, d.Current.Currency)
	}
	return "-" + minor(-d.CompensationMinor, d.Current.Currency)
}
