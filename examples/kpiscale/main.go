// Command kpiscale aggregates a large number of generated tickets — 10
// million by default — the way a host runs the monthly KPIs over its whole
// ticket store, and reports the figures, the time taken, records per second
// and peak memory.
//
// It streams: metricstest.Generator fills a reusable batch of records, the
// batch goes into a metrics.Accumulator grouped by two dimensions (channel ×
// priority by default), and the batch is reused, so memory stays flat
// however many records pass. With -shards K above 1 the batches are spread
// over K goroutines, each with its own accumulator, and the K accumulators
// are merged at the end — the create / add / merge / extract shape of a
// distributed engine's combine step; -ship also sends every shard's state
// through its binary encoding first, as between machines. Merging is exact,
// so the figures are the same for every K (only the timings differ).
//
// Usage:
//
//	go run ./examples/kpiscale [-n 10000000] [-shards 1] [-ship] [-by channel,priority] [-seed 1]
//
// The figures are deterministic for a seed and N; the timings and memory
// are measured (wall clock, runtime.MemStats, and the peak resident set
// VmHWM from /proc/self/status on Linux).
package main

import (
	"bufio"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"runtime"
	"strconv"
	"strings"
	"sync"
	"time"

	"github.com/closeloop/closeloop/l10n"
	"github.com/closeloop/closeloop/metrics"
	"github.com/closeloop/closeloop/metrics/metricstest"
)

func main() {
	if err := run(os.Args[1:], os.Stdout); err != nil {
		if !errors.Is(err, flag.ErrHelp) {
			fmt.Fprintln(os.Stderr, "kpiscale:", err)
		}
		os.Exit(1)
	}
}

// options are the command line.
type options struct {
	n, shards, batch int
	dims             []metrics.Dimension
	seed             uint64
	ship             bool
}

// timing is what a run measured.
type timing struct {
	generate, accumulate, merge, total time.Duration
	busy                               []time.Duration // per shard
	ship                               time.Duration   // encoding and decoding the shards
	shipped                            int             // bytes of the shards' encoded states
}

var start = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

func run(args []string, w io.Writer) error {
	fs := flag.NewFlagSet("kpiscale", flag.ContinueOnError)
	fs.SetOutput(w)
	n := fs.Int("n", 10_000_000, "number of generated records")
	shards := fs.Int("shards", 1, "accumulate in this many goroutines, each with its own accumulator, merged at the end")
	by := fs.String("by", "channel,priority", "two (up to four) comma-separated dimensions to group by")
	seed := fs.Uint64("seed", 1, "seed of the record generator")
	batch := fs.Int("batch", 4096, "records per batch")
	ship := fs.Bool("ship", false, "with -shards: send each shard's state through MarshalBinary and Aggregator.Decode before merging, as between machines")
	if err := fs.Parse(args); err != nil {
		return err
	}
	if fs.NArg() > 0 {
		return fmt.Errorf("unexpected arguments %q", fs.Args())
	}
	o := options{n: *n, shards: *shards, batch: *batch, seed: *seed, ship: *ship}
	switch {
	case o.n < 0:
		return fmt.Errorf("-n %d: must not be negative", o.n)
	case o.shards < 1:
		return fmt.Errorf("-shards %d: must be at least 1", o.shards)
	case o.batch < 1:
		return fmt.Errorf("-batch %d: must be at least 1", o.batch)
	}
	for _, s := range strings.Split(*by, ",") {
		d, err := metrics.ParseDimension(strings.TrimSpace(s))
		if err != nil {
			return fmt.Errorf("-by: %w", err)
		}
		o.dims = append(o.dims, d)
	}
	agg, err := metrics.New(metrics.Config{GroupBy: o.dims})
	if err != nil {
		return err
	}

	t0 := time.Now()
	var acc *metrics.Accumulator
	var tm timing
	if o.shards == 1 {
		acc, tm = sequential(agg, o)
	} else {
		acc, tm, err = sharded(agg, o)
		if err != nil {
			return err
		}
	}
	tm.total = time.Since(t0)

	state, err := acc.MarshalBinary()
	if err != nil {
		return err
	}
	res := acc.Result()
	var ms runtime.MemStats
	runtime.ReadMemStats(&ms)

	if err := writeFigures(w, o, res, len(state)); err != nil {
		return err
	}
	return writeCosts(w, o, tm, &ms)
}

// sequential generates and accumulates in this goroutine, batch by batch,
// timing the two phases apart.
func sequential(agg *metrics.Aggregator, o options) (*metrics.Accumulator, timing) {
	g := metricstest.NewGenerator(o.seed, start).WithMeanGap(2 * time.Second)
	acc := agg.NewAccumulator()
	buf := make([]metrics.Record, min(o.batch, max(o.n, 1)))
	var tm timing
	for left := o.n; left > 0; {
		b := buf[:min(len(buf), left)]
		t := time.Now()
		for i := range b {
			g.Next(&b[i])
		}
		t1 := time.Now()
		for i := range b {
			acc.Add(&b[i])
		}
		tm.generate += t1.Sub(t)
		tm.accumulate += time.Since(t1)
		left -= len(b)
	}
	tm.busy = []time.Duration{tm.accumulate}
	return acc, tm
}

// sharded generates in this goroutine and hands batches to o.shards
// workers, each adding into its own accumulator; the accumulators are then
// merged into the first.
func sharded(agg *metrics.Aggregator, o options) (*metrics.Accumulator, timing, error) {
	g := metricstest.NewGenerator(o.seed, start).WithMeanGap(2 * time.Second)
	size := min(o.batch, max(o.n, 1))
	nbuf := 2*o.shards + 1
	free := make(chan []metrics.Record, nbuf)
	for range nbuf {
		free <- make([]metrics.Record, size)
	}
	work := make(chan []metrics.Record, nbuf)
	accs := make([]*metrics.Accumulator, o.shards)
	tm := timing{busy: make([]time.Duration, o.shards)}
	var wg sync.WaitGroup
	for s := range accs {
		accs[s] = agg.NewAccumulator()
		wg.Add(1)
		go func() {
			defer wg.Done()
			for b := range work {
				t := time.Now()
				for i := range b {
					accs[s].Add(&b[i])
				}
				tm.busy[s] += time.Since(t)
				free <- b[:cap(b)]
			}
		}()
	}
	for left := o.n; left > 0; {
		b := <-free
		b = b[:min(len(b), left)]
		t := time.Now()
		for i := range b {
			g.Next(&b[i])
		}
		tm.generate += time.Since(t)
		work <- b
		left -= len(b)
	}
	close(work)
	wg.Wait()
	for _, d := range tm.busy {
		tm.accumulate += d
	}
	if o.ship {
		t := time.Now()
		for s, a := range accs {
			b, err := a.MarshalBinary()
			if err != nil {
				return nil, tm, err
			}
			tm.shipped += len(b)
			if accs[s], err = agg.Decode(b); err != nil {
				return nil, tm, err
			}
		}
		tm.ship = time.Since(t)
	}
	t := time.Now()
	for _, a := range accs[1:] {
		if err := accs[0].Merge(a); err != nil {
			return nil, tm, err
		}
	}
	tm.merge = time.Since(t)
	return accs[0], tm, nil
}

// writeFigures prints the deterministic part: the figures.
func writeFigures(w io.Writer, o options, res *metrics.Result, stateBytes int) error {
	ew := &errWriter{w: w}
	p := ew.printf
	names := make([]string, len(o.dims))
	for i, d := range o.dims {
		names[i] = d.String()
	}
	p("kpiscale: %d generated records (seed %d), grouped by %s, %d shard(s)\n\n",
		o.n, o.seed, strings.Join(names, " × "), o.shards)
	t := &res.Total
	p("figures, all records:\n")
	p("  tickets %d, complaints %d\n", t.Tickets, t.Complaints)
	p("  CSAT %s, mean satisfaction %s, NPS %s, CES %s\n", t.CSAT, t.MeanSatisfaction, t.NPS, t.CES)
	p("  first-contact resolution %s, closure %s, reopen %s\n", t.FCR, t.ClosureRate, t.ReopenRate)
	p("  first response (elapsed) %s\n", stats(t.FirstResponseElapsed))
	p("  resolution (elapsed)     %s\n", stats(t.ResolutionElapsed))
	for _, s := range t.SLA {
		if s.Met+s.Breached+s.Open+s.OpenBreached > 0 {
			p("  SLA %s achievement %s", s.Metric, s.Achievement)
			if s.Open+s.OpenBreached > 0 {
				p(", running and already breached %s", s.OpenBreachedRate)
			}
			p("\n")
		}
	}
	for _, m := range t.Compensation {
		p("  compensation %d.%02d %s over %d tickets\n", m.Minor/100, m.Minor%100, m.Currency, m.Count)
	}
	p("  invalid fields skipped %d\n\n", res.Invalid)

	p("groups (%d):\n", len(res.Groups))
	p("  %-24s %10s %20s %7s %9s %9s %9s\n", strings.Join(names, " / "), "tickets", "CSAT", "NPS", "FR p50", "FR p90", "SLA FR")
	for i := range res.Groups {
		g := &res.Groups[i]
		p50, _ := g.FirstResponseElapsed.Quantile(0.5)
		p90, _ := g.FirstResponseElapsed.Quantile(0.9)
		sla := metrics.NoData
		if len(g.SLA) > 0 {
			if v, ok := g.SLA[0].Achievement.Percent(); ok {
				sla = fmt.Sprintf("%.1f %%", v)
			}
		}
		p("  %-24s %10d %20s %7s %9s %9s %9s\n", strings.Join(g.Key, " / "), g.Tickets, g.CSAT, g.NPS,
			hm(p50), hm(p90), sla)
	}
	p("\naccumulator state: %d groups, %d bytes serialised (MarshalBinary)\n\n", len(res.Groups), stateBytes)
	return ew.err
}

// writeCosts prints the measured part: time and memory.
func writeCosts(w io.Writer, o options, tm timing, ms *runtime.MemStats) error {
	ew := &errWriter{w: w}
	p := ew.printf
	rate := func(d time.Duration) string {
		if d <= 0 {
			return "–"
		}
		return fmt.Sprintf("%.2f million records/s", float64(o.n)/d.Seconds()/1e6)
	}
	p("time (GOMAXPROCS %d, %s):\n", runtime.GOMAXPROCS(0), runtime.Version())
	p("  generate    %10s  %s\n", tm.generate.Round(time.Millisecond), rate(tm.generate))
	if o.shards == 1 {
		p("  accumulate  %10s  %s\n", tm.accumulate.Round(time.Millisecond), rate(tm.accumulate))
	} else {
		p("  accumulate  %10s  %s of busy time, summed over %d shards\n", tm.accumulate.Round(time.Millisecond), rate(tm.accumulate), o.shards)
		for i, b := range tm.busy {
			p("    shard %d   %10s\n", i, b.Round(time.Millisecond))
		}
		if o.ship {
			p("  ship        %10s  %d shard states, %d bytes encoded and decoded\n", tm.ship.Round(time.Microsecond), o.shards, tm.shipped)
		}
		p("  merge       %10s\n", tm.merge.Round(time.Microsecond))
	}
	p("  elapsed     %10s  %s end to end\n", tm.total.Round(time.Millisecond), rate(tm.total))
	p("memory:\n")
	if hwm, ok := peakRSS(); ok {
		p("  peak resident set (VmHWM)   %8.1f MiB\n", mib(hwm))
	} else {
		p("  peak resident set (VmHWM)   not available on %s\n", runtime.GOOS)
	}
	p("  Go heap in use at the end   %8.1f MiB\n", mib(ms.HeapAlloc))
	p("  obtained from the OS (Sys)  %8.1f MiB\n", mib(ms.Sys))
	p("  allocated in total          %8.1f MiB in %d objects, %d GC cycles\n", mib(ms.TotalAlloc), ms.Mallocs, ms.NumGC)
	return ew.err
}

// hm renders a duration to the minute, as every closeloop example does
// (l10n's English: "5h29m", "15m"). Measured run times stay Go durations
// to the millisecond: they are measurements, not service times.
func hm(d time.Duration) string { return english.Duration(d) }

// stats writes a duration summary: "mean 11h32m p50 5h30m p90 27h52m
// (n=200000)".
func stats(d metrics.DurationStats) string {
	if d.N == 0 {
		return metrics.NoData
	}
	s := "mean " + hm(d.Mean)
	for _, q := range d.Quantiles {
		s += fmt.Sprintf(" p%.0f %s", 100*q.Q, hm(q.Value))
	}
	return s + fmt.Sprintf(" (n=%d)", d.N)
}

var english = l10n.New(l10n.English)

func mib(b uint64) float64 { return float64(b) / (1 << 20) }

// peakRSS reads the peak resident set size (VmHWM) from /proc/self/status.
func peakRSS() (uint64, bool) {
	f, err := os.Open("/proc/self/status")
	if err != nil {
		return 0, false
	}
	defer f.Close()
	sc := bufio.NewScanner(f)
	for sc.Scan() {
		rest, ok := strings.CutPrefix(sc.Text(), "VmHWM:")
		if !ok {
			continue
		}
		fields := strings.Fields(rest) // "123456 kB"
		if len(fields) != 2 || fields[1] != "kB" {
			return 0, false
		}
		kb, err := strconv.ParseUint(fields[0], 10, 64)
		return kb << 10, err == nil
	}
	return 0, false
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
