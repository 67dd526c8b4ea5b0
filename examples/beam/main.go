// Command beam runs closeloop's KPI aggregation and policy what-if replay as
// Apache Beam pipelines, with exactly the library's definitions: the
// pipelines use metrics.Accumulator and whatif.Accumulator unchanged.
//
// It is a separate Go module so that the library's own module never depends
// on Beam. With no flags it generates a small sample and runs both pipelines
// on Beam's prism runner, in process:
//
//	cd examples/beam && go run .
//
// Pipelines:
//
//   - what-if: NDJSON ticket histories (textio) → evaluate each under the
//     current and the proposed SLA policies (ParDo) → one combine into the
//     per-priority differences in breach rate, time to deadline and
//     compensation cost (whatif.Result).
//   - KPI: synthetic records from metricstest.Generator shards, pre-aggregated
//     per bundle into one metrics.Accumulator per breakdown (by priority, by
//     month, by team) → a merge-only combine per breakdown → a row per group.
//
// Flags select the input (-input, -generate), the policies (-current,
// -proposed, -calendars, -compensation, -metric, -asof), the KPI load
// (-records, -shards), the runner (-runner=prism|flink|spark|universal with
// -endpoint) and -inprocess, which computes the same outputs without Beam for
// comparison. See README.md.
package main

import (
	"context"
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"runtime"
	"sort"
	"strings"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/io/filesystem/local"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/io/textio"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/runners"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/runners/flink"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/runners/prism"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/runners/spark"
	_ "github.com/apache/beam/sdks/v2/go/pkg/beam/runners/universal"

	"github.com/closeloop/closeloop/whatif"
	"github.com/closeloop/closeloop/whatif/whatiftest"
)

var (
	input        = flag.String("input", "", "NDJSON ticket histories (file or glob); empty: generate -generate tickets into -out")
	generate     = flag.Int("generate", 10000, "generate this many ticket histories into -input (or -out/tickets.ndjson) first; 0: use -input as is")
	seed         = flag.Uint64("seed", 1, "generator seed")
	outDir       = flag.String("out", "", "output folder (default: a new temporary folder)")
	currentPath  = flag.String("current", "", "current SLA policy document (default: the whatif sample)")
	proposedPath = flag.String("proposed", "", "proposed SLA policy document (default: the whatif sample)")
	calendars    = flag.String("calendars", "", "calendars JSON array (default: the whatif sample)")
	compFlag     = flag.String("compensation", "complaint-goodwill", "compensation preset name or policy file; empty prices nothing")
	metric       = flag.String("metric", "resolution", "SLA metric to measure")
	asOf         = flag.String("asof", "", "evaluate every ticket at this RFC 3339 instant (default: each at its last entry)")
	records      = flag.Int("records", 100000, "synthetic KPI records; 0 skips the KPI pipeline")
	shardCount   = flag.Int("shards", 8, "generator shards for the KPI records")
	skipWhatIf   = flag.Bool("skip-whatif", false, "skip the what-if pipeline")
	inProcess    = flag.Bool("inprocess", false, "compute the same outputs in this process without Beam, for comparison")
)

// kpiStart is when the synthetic KPI records begin.
var kpiStart = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

func main() {
	flag.Parse()
	beam.Init()
	if err := run(context.Background(), os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "beam:", err)
		os.Exit(1)
	}
}

func run(ctx context.Context, w io.Writer) error {
	out := *outDir
	if out == "" {
		var err error
		if out, err = os.MkdirTemp("", "closeloop-beam-"); err != nil {
			return err
		}
	} else if err := os.MkdirAll(out, 0o755); err != nil {
		return err
	}
	out, _ = filepath.Abs(out)
	spec, err := specFromFlags()
	if err != nil {
		return err
	}
	in := *input
	if !*skipWhatIf {
		if in == "" {
			in = filepath.Join(out, "tickets.ndjson")
		}
		if *generate > 0 {
			if err := writeTickets(in, *generate, *seed); err != nil {
				return err
			}
			fmt.Fprintf(w, "generated %d ticket histories into %s\n", *generate, in)
		}
	}
	kspec := KPISpec{}
	start := time.Now()
	var ms0 runtime.MemStats
	runtime.ReadMemStats(&ms0)
	var tickets int64
	if *inProcess {
		if tickets, err = runInProcess(w, spec, in, kspec, out); err != nil {
			return err
		}
	} else {
		p, s := beam.NewPipelineWithRoot()
		if !*skipWhatIf {
			WhatIfPipeline(s, spec, in, filepath.Join(out, "whatif.json"))
		}
		if *records > 0 {
			KPIPipeline(s, kspec, *records, *shardCount, *seed, kpiStart, filepath.Join(out, "kpi.json"))
		}
		if _, err := beam.Run(ctx, runnerName(), p); err != nil {
			return err
		}
		if tickets, err = printOutputs(w, out); err != nil {
			return err
		}
	}
	el := time.Since(start)
	fmt.Fprintf(w, "\n%s run took %s", mode(), el.Round(time.Millisecond))
	if !*skipWhatIf {
		fmt.Fprintf(w, "; %d tickets", tickets)
	}
	if *records > 0 {
		fmt.Fprintf(w, "; %d KPI records", *records)
	}
	if n := tickets + int64(*records); n > 0 {
		fmt.Fprintf(w, ": %.0f inputs/s", float64(n)/el.Seconds())
	}
	fmt.Fprintf(w, "; outputs in %s\n", out)
	return nil
}

func mode() string {
	if *inProcess {
		return "in-process"
	}
	return "Beam (" + runnerName() + ")"
}

// runnerName is Beam's common -runner flag, prism (in process) by default.
func runnerName() string {
	if *runners.Runner == "" {
		return "prism"
	}
	return *runners.Runner
}

func specFromFlags() (WhatIfSpec, error) {
	spec, err := SampleWhatIfSpec()
	if err != nil {
		return spec, err
	}
	for _, f := range []struct {
		path string
		dst  *string
	}{{*calendars, &spec.Calendars}, {*currentPath, &spec.Current}, {*proposedPath, &spec.Proposed}} {
		if f.path == "" {
			continue
		}
		b, err := os.ReadFile(f.path)
		if err != nil {
			return spec, err
		}
		*f.dst = string(b)
	}
	spec.Metric, spec.AsOf, spec.Compensation = *metric, *asOf, *compFlag
	if c := *compFlag; c != "" && (strings.HasSuffix(c, ".json") || strings.ContainsRune(c, os.PathSeparator)) {
		b, err := os.ReadFile(c)
		if err != nil {
			return spec, err
		}
		spec.Compensation = string(b)
	}
	_, err = spec.Replay() // fail early, before the pipeline starts
	return spec, err
}

// writeTickets writes n generated ticket histories (whatiftest.Generator).
func writeTickets(path string, n int, seed uint64) error {
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if err := whatiftest.NewGenerator(seed, kpiStart).WriteNDJSON(f, n); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// runInProcess computes and prints the outputs without Beam and writes them
// to out in the pipeline's formats; it returns the number of tickets replayed.
func runInProcess(w io.Writer, spec WhatIfSpec, in string, kspec KPISpec, out string) (int64, error) {
	var tickets int64
	if !*skipWhatIf {
		res, err := WhatIfInProcess(spec, in)
		if err != nil {
			return 0, err
		}
		tickets = res.Total.Current.Tickets
		b, err := json.Marshal(res)
		if err != nil {
			return 0, err
		}
		if err := os.WriteFile(filepath.Join(out, "whatif.json"), append(b, '\n'), 0o644); err != nil {
			return 0, err
		}
		fmt.Fprintln(w, "\nwhat-if, per priority (proposed − current):")
		if err := whatif.WriteText(w, res); err != nil {
			return 0, err
		}
	}
	if *records > 0 {
		rows, err := KPIInProcess(kspec, *records, *shardCount, *seed, kpiStart)
		if err != nil {
			return 0, err
		}
		var b []byte
		for _, r := range rows {
			line, err := json.Marshal(r)
			if err != nil {
				return 0, err
			}
			b = append(append(b, line...), '\n')
		}
		if err := os.WriteFile(filepath.Join(out, "kpi.json"), b, 0o644); err != nil {
			return 0, err
		}
		printKPI(w, rows)
	}
	return tickets, nil
}

// printOutputs reads what the pipeline wrote and prints it; it returns the
// number of tickets replayed.
func printOutputs(w io.Writer, out string) (int64, error) {
	var tickets int64
	if !*skipWhatIf {
		b, err := os.ReadFile(filepath.Join(out, "whatif.json"))
		if err != nil {
			return 0, err
		}
		var res whatif.Result
		if err := json.Unmarshal(b, &res); err != nil {
			return 0, err
		}
		tickets = res.Total.Current.Tickets
		fmt.Fprintln(w, "\nwhat-if, per priority (proposed − current):")
		if err := whatif.WriteText(w, &res); err != nil {
			return 0, err
		}
	}
	if *records > 0 {
		rows, err := ReadKPIRows(filepath.Join(out, "kpi.json"))
		if err != nil {
			return 0, err
		}
		printKPI(w, rows)
	}
	return tickets, nil
}

// ReadKPIRows reads the KPI pipeline's output, sorted by breakdown and key.
func ReadKPIRows(path string) ([]KPIRow, error) {
	b, err := os.ReadFile(path)
	if err != nil {
		return nil, err
	}
	var rows []KPIRow
	for _, line := range strings.Split(strings.TrimSpace(string(b)), "\n") {
		if line == "" {
			continue
		}
		var r KPIRow
		if err := json.Unmarshal([]byte(line), &r); err != nil {
			return nil, err
		}
		rows = append(rows, r)
	}
	SortKPIRows(rows)
	return rows, nil
}

// SortKPIRows orders rows by breakdown (as Breakdowns lists them) and key.
func SortKPIRows(rows []KPIRow) {
	rank := func(b string) int {
		for i, x := range Breakdowns {
			if string(x) == b {
				return i
			}
		}
		return len(Breakdowns)
	}
	sort.Slice(rows, func(i, j int) bool {
		if a, b := rank(rows[i].Breakdown), rank(rows[j].Breakdown); a != b {
			return a < b
		}
		return rows[i].Key < rows[j].Key
	})
}

func printKPI(w io.Writer, rows []KPIRow) {
	SortKPIRows(rows)
	fmt.Fprintln(w, "\nKPIs per key (breakdown key: tickets, CSAT, NPS, mean first response, p90 resolution, SLA resolution achievement):")
	for _, r := range rows {
		s := r.Summary
		fmt.Fprintf(w, "  %-8s %-8s %8d  CSAT %s  NPS %s  first response %s  p90 resolution %s  SLA %s\n",
			r.Breakdown, r.Key, s.Tickets, pct(s.CSATNum, s.CSATDen), nps(s), time.Duration(s.FirstResponseMeanNs).Round(time.Second),
			time.Duration(s.ResolutionP90Ns).Round(time.Minute), pct(s.SLAResolutionMet, s.SLAResolutionMet+s.SLAResolutionBreach))
	}
}

func pct(num, den int64) string {
	if den == 0 {
		return "no data"
	}
	return fmt.Sprintf("%.1f %%", 100*float64(num)/float64(den))
}

func nps(s KPISummary) string {
	n := s.NPSPromoters + s.NPSPassives + s.NPSDetractors
	if n == 0 {
		return "no data"
	}
	return fmt.Sprintf("%+.1f", 100*float64(s.NPSPromoters-s.NPSDetractors)/float64(n))
}

// readLines reads text lines from a file or glob.
func readLines(s beam.Scope, glob string) beam.PCollection { return textio.Read(s, glob) }

// writeLines writes string elements as lines of one file.
func writeLines(s beam.Scope, path string, col beam.PCollection) { textio.Write(s, path, col) }
