package main

import (
	"encoding/binary"
	"encoding/json"
	"fmt"
	"reflect"
	"sync"
	"sync/atomic"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"

	"github.com/closeloop/closeloop/metrics"
	"github.com/closeloop/closeloop/metrics/metricstest"
)

func init() {
	register.DoFn2x0[RecordShard, func(string, *KPIAccum)](&aggregateShardFn{})
	register.Emitter2[string, *KPIAccum]()
	register.Combiner1[*KPIAccum](&MergeKPIFn{})
	register.DoFn3x0[string, *KPIAccum, func(string)](&formatKPIFn{})
	register.Emitter1[string]()
	beam.RegisterType(reflect.TypeOf((*KPISummary)(nil)).Elem())
	beam.RegisterType(reflect.TypeOf((*RecordShard)(nil)).Elem())
	beam.RegisterCoder(reflect.TypeOf((*KPIAccum)(nil)), encodeKPIAccum, decodeKPIAccum)
}

// KPISpec is the configuration of the KPI pipeline: the parts of the
// library's metrics.Config that travel with it (a DoFn's exported fields
// are serialised to the workers). Each breakdown adds its grouping.
type KPISpec struct {
	// Location for periods and calendar days; "" means UTC.
	Location string `json:"location,omitempty"`
	// RelativeAccuracy of duration quantiles; 0 means the library default.
	RelativeAccuracy float64 `json:"relative_accuracy,omitempty"`
}

// config is the metrics.Config of breakdown b.
func (s KPISpec) config(b Breakdown) (metrics.Config, error) {
	cfg := metrics.Config{RelativeAccuracy: s.RelativeAccuracy}
	if s.Location != "" {
		loc, err := time.LoadLocation(s.Location)
		if err != nil {
			return cfg, err
		}
		cfg.Location = loc
	}
	switch b {
	case ByPriority:
		cfg.GroupBy = []metrics.Dimension{metrics.DimPriority}
	case ByMonth:
		cfg.Period, cfg.Location = metrics.PeriodMonth, time.UTC
	case ByTeam:
		cfg.GroupBy = []metrics.Dimension{metrics.DimTeam}
	default:
		return cfg, fmt.Errorf("unknown breakdown %q", b)
	}
	return cfg, nil
}

// accumSpec names the configuration of one breakdown's accumulator: the
// header of its encoding and the cache key of its compiled aggregator.
type accumSpec struct {
	KPISpec
	Breakdown Breakdown `json:"breakdown"`
}

func (s accumSpec) key() string {
	b, _ := json.Marshal(s)
	return string(b)
}

// aggregators caches compiled aggregators per accumulator spec for the
// DoFns and the accumulator coder, which Beam calls without a DoFn at hand.
// It lives in the worker process; the library itself keeps no such state.
var aggregators sync.Map // spec key → *metrics.Aggregator

func aggregatorFor(specKey string) (*metrics.Aggregator, error) {
	if a, ok := aggregators.Load(specKey); ok {
		return a.(*metrics.Aggregator), nil
	}
	var s accumSpec
	if err := json.Unmarshal([]byte(specKey), &s); err != nil {
		return nil, fmt.Errorf("kpi spec: %w", err)
	}
	cfg, err := s.config(s.Breakdown)
	if err != nil {
		return nil, err
	}
	a, err := metrics.New(cfg)
	if err != nil {
		return nil, err
	}
	actual, _ := aggregators.LoadOrStore(specKey, a)
	return actual.(*metrics.Aggregator), nil
}

// accumsDecoded counts accumulators decoded in this process: the runner
// ships partial accumulators between stages through the coders, and the
// test checks that it did.
var accumsDecoded atomic.Int64

// KPIAccum is one breakdown's partial result: the library's
// metrics.Accumulator, unchanged, grouped by the breakdown's dimension, and
// the spec it was made under, so that the coder can rebuild it on any
// worker. The zero KPIAccum is empty (a combine's fresh accumulator).
type KPIAccum struct {
	Spec string
	Acc  *metrics.Accumulator
}

// encodeKPIAccum is the accumulator coder: the spec, then the library's own
// versioned, checksummed encoding (MarshalBinary); nothing after the spec
// for an empty KPIAccum.
func encodeKPIAccum(a *KPIAccum) ([]byte, error) {
	if a.Acc == nil {
		return appendSpec(nil, a.Spec), nil
	}
	return a.Acc.AppendBinary(appendSpec(nil, a.Spec))
}

func decodeKPIAccum(b []byte) (*KPIAccum, error) {
	accumsDecoded.Add(1)
	spec, rest, err := splitSpec(b)
	if err != nil {
		return nil, err
	}
	if len(rest) == 0 {
		return &KPIAccum{Spec: spec}, nil
	}
	agg, err := aggregatorFor(spec)
	if err != nil {
		return nil, err
	}
	acc, err := agg.Decode(rest)
	if err != nil {
		return nil, err
	}
	return &KPIAccum{Spec: spec, Acc: acc}, nil
}

func splitSpec(b []byte) (string, []byte, error) {
	n, k := binary.Uvarint(b)
	if k <= 0 || n > uint64(len(b)-k) {
		return "", nil, fmt.Errorf("accumulator: bad spec header")
	}
	return string(b[k : k+int(n)]), b[k+int(n):], nil
}

// aggregateShardFn pre-aggregates per bundle: it generates each shard's
// records and adds every record to this bundle's accumulators, one per
// breakdown, and emits those when the bundle finishes, keyed by breakdown.
// Records never become Beam elements, so the runner carries one partial
// accumulator per breakdown per bundle (O(groups × bundles) data), not
// one element per record and breakdown. A pipeline reading records from a
// source would decode them in this DoFn the same way.
type aggregateShardFn struct {
	Spec KPISpec `json:"spec"`

	aggs  []*metrics.Aggregator // per Breakdowns entry
	keys  []string
	parts []*metrics.Accumulator
}

// Setup compiles one aggregator per breakdown once per worker.
func (fn *aggregateShardFn) Setup() error {
	fn.aggs, fn.keys = nil, nil
	for _, b := range Breakdowns {
		key := accumSpec{fn.Spec, b}.key()
		a, err := aggregatorFor(key)
		if err != nil {
			return err
		}
		fn.aggs, fn.keys = append(fn.aggs, a), append(fn.keys, key)
	}
	return nil
}

// StartBundle starts empty accumulators (Beam wants the emitter in every
// bundle method of a DoFn that has one).
func (fn *aggregateShardFn) StartBundle(_ func(string, *KPIAccum)) {
	fn.parts = fn.parts[:0]
	for _, a := range fn.aggs {
		fn.parts = append(fn.parts, a.NewAccumulator())
	}
}

// ProcessElement adds one shard's records to the bundle's accumulators.
func (fn *aggregateShardFn) ProcessElement(sh RecordShard, _ func(string, *KPIAccum)) {
	g := metricstest.NewGenerator(sh.Seed, time.Unix(sh.StartUnix, 0).UTC())
	var r metrics.Record
	for range sh.N {
		g.Next(&r)
		for _, acc := range fn.parts {
			acc.Add(&r)
		}
	}
}

// FinishBundle emits the bundle's partial accumulators, one per breakdown.
func (fn *aggregateShardFn) FinishBundle(emit func(string, *KPIAccum)) {
	for i, acc := range fn.parts {
		if acc.Len() > 0 {
			emit(string(Breakdowns[i]), &KPIAccum{Spec: fn.keys[i], Acc: acc})
		}
	}
	fn.parts = fn.parts[:0]
}

// MergeKPIFn is a merge-only combine: its inputs are partial accumulators,
// and AddInput and MergeAccumulators are both Accumulator.Merge (exact in
// any order), so the result is the accumulator of every record of the key.
type MergeKPIFn struct{}

// CreateAccumulator returns an empty KPIAccum; it takes its configuration
// from the first partial merged into it.
func (MergeKPIFn) CreateAccumulator() *KPIAccum { return &KPIAccum{} }

// AddInput merges a partial accumulator into a (the input is not changed).
func (MergeKPIFn) AddInput(a, in *KPIAccum) (*KPIAccum, error) { return merge(a, in) }

// MergeAccumulators merges b into a.
func (MergeKPIFn) MergeAccumulators(a, b *KPIAccum) (*KPIAccum, error) { return merge(a, b) }

func merge(a, b *KPIAccum) (*KPIAccum, error) {
	if b.Acc == nil {
		return a, nil
	}
	if a.Acc == nil {
		agg, err := aggregatorFor(b.Spec)
		if err != nil {
			return nil, err
		}
		a = &KPIAccum{Spec: b.Spec, Acc: agg.NewAccumulator()}
	}
	if a.Spec != b.Spec {
		return nil, fmt.Errorf("kpi: merging accumulators of %s and %s", a.Spec, b.Spec)
	}
	if err := a.Acc.Merge(b.Acc); err != nil {
		return nil, err
	}
	return a, nil
}

// formatKPIFn writes one breakdown's merged accumulator as JSON lines, a
// KPIRow per group.
type formatKPIFn struct{}

// ProcessElement emits the rows.
func (formatKPIFn) ProcessElement(breakdown string, a *KPIAccum, emit func(string)) {
	if a.Acc == nil {
		return
	}
	for _, row := range rowsOf(Breakdown(breakdown), a.Acc.Result()) {
		b, _ := json.Marshal(row)
		emit(string(b))
	}
}

// rowsOf turns a breakdown's result into rows: each group's key is its
// dimension value, or its period label for ByMonth.
func rowsOf(b Breakdown, res *metrics.Result) []KPIRow {
	rows := make([]KPIRow, 0, len(res.Groups))
	for i := range res.Groups {
		g := &res.Groups[i]
		key := g.Period
		if len(g.Key) > 0 {
			key = g.Key[0]
		}
		rows = append(rows, KPIRow{Breakdown: string(b), Key: key, Summary: Summarize(g)})
	}
	return rows
}

// KPISummary is the headline of one group: a flat row a downstream sink can
// store. Ratios keep numerator and denominator; durations are nanoseconds.
type KPISummary struct {
	Tickets                int64 `json:"tickets"`
	CSATNum, CSATDen       int64
	NPSPromoters           int64
	NPSPassives            int64
	NPSDetractors          int64
	FCRNum, FCRDen         int64
	ClosureNum, ClosureDen int64
	FirstResponseN         int64
	FirstResponseMeanNs    int64
	FirstResponseP50Ns     int64
	FirstResponseP90Ns     int64
	ResolutionN            int64
	ResolutionMeanNs       int64
	ResolutionP90Ns        int64
	SLAFirstResponseMet    int64
	SLAFirstResponseBreach int64
	SLAResolutionMet       int64
	SLAResolutionBreach    int64
	CompensationMinor      int64 // summed over currencies (the generator uses one)
	Compensated            int64
	Invalid                int64
}

// Summarize condenses one group of a metrics result; the in-process run and
// the pipeline both go through it.
func Summarize(g *metrics.Group) KPISummary {
	s := KPISummary{
		Tickets: g.Tickets,
		CSATNum: g.CSAT.Num, CSATDen: g.CSAT.Den,
		NPSPromoters: g.NPS.Promoters, NPSPassives: g.NPS.Passives, NPSDetractors: g.NPS.Detractors,
		FCRNum: g.FCR.Num, FCRDen: g.FCR.Den,
		ClosureNum: g.ClosureRate.Num, ClosureDen: g.ClosureRate.Den,
		FirstResponseN:      g.FirstResponseElapsed.N,
		FirstResponseMeanNs: int64(g.FirstResponseElapsed.Mean),
		ResolutionN:         g.ResolutionElapsed.N,
		ResolutionMeanNs:    int64(g.ResolutionElapsed.Mean),
	}
	if v, ok := g.FirstResponseElapsed.Quantile(0.5); ok {
		s.FirstResponseP50Ns = int64(v)
	}
	if v, ok := g.FirstResponseElapsed.Quantile(0.9); ok {
		s.FirstResponseP90Ns = int64(v)
	}
	if v, ok := g.ResolutionElapsed.Quantile(0.9); ok {
		s.ResolutionP90Ns = int64(v)
	}
	for _, f := range g.SLA {
		switch f.Metric {
		case "first_response":
			s.SLAFirstResponseMet, s.SLAFirstResponseBreach = f.Met, f.Breached
		case "resolution":
			s.SLAResolutionMet, s.SLAResolutionBreach = f.Met, f.Breached
		}
	}
	for _, m := range g.Compensation {
		s.CompensationMinor += m.Minor
		s.Compensated += m.Count
	}
	return s
}

// RecordShard tells one worker which synthetic records to generate:
// metricstest.NewGenerator(Seed, StartUnix) for N records.
type RecordShard struct {
	Seed      uint64
	StartUnix int64
	N         int
}

// shards splits n records over k generator shards (seed base+i each).
func shards(n, k int, seed uint64, start time.Time) []RecordShard {
	k = max(1, min(k, n))
	out := make([]RecordShard, 0, k)
	for i := range k {
		part := n / k
		if i < n%k {
			part++
		}
		out = append(out, RecordShard{Seed: seed + uint64(i), StartUnix: start.Unix(), N: part})
	}
	return out
}

// Breakdown names a per-key KPI breakdown.
type Breakdown string

// The breakdowns the pipeline computes.
const (
	ByPriority Breakdown = "priority"
	ByMonth    Breakdown = "month"
	ByTeam     Breakdown = "team"
)

// Breakdowns lists them in output order.
var Breakdowns = []Breakdown{ByPriority, ByMonth, ByTeam}

// KPIRow is one output line of the KPI pipeline.
type KPIRow struct {
	Breakdown string     `json:"breakdown"`
	Key       string     `json:"key"`
	Summary   KPISummary `json:"summary"`
}

// KPIPipeline adds the KPI part: n synthetic records from k generator
// shards, pre-aggregated per bundle into one accumulator per breakdown,
// merged per breakdown, written as JSON lines (KPIRow) to out.
func KPIPipeline(s beam.Scope, spec KPISpec, n, k int, seed uint64, start time.Time, out string) {
	s = s.Scope("kpi")
	partials := beam.ParDo(s, &aggregateShardFn{Spec: spec}, beam.CreateList(s, shards(n, k, seed, start)))
	merged := beam.CombinePerKey(s, &MergeKPIFn{}, partials)
	writeLines(s, out, beam.ParDo(s, &formatKPIFn{}, merged))
}

// KPIInProcess computes the same rows in one process with one accumulator
// per breakdown, for comparison.
func KPIInProcess(spec KPISpec, n, k int, seed uint64, start time.Time) ([]KPIRow, error) {
	var accs []*metrics.Accumulator
	for _, b := range Breakdowns {
		cfg, err := spec.config(b)
		if err != nil {
			return nil, err
		}
		agg, err := metrics.New(cfg)
		if err != nil {
			return nil, err
		}
		accs = append(accs, agg.NewAccumulator())
	}
	var r metrics.Record
	for _, sh := range shards(n, k, seed, start) {
		g := metricstest.NewGenerator(sh.Seed, time.Unix(sh.StartUnix, 0).UTC())
		for range sh.N {
			g.Next(&r)
			for _, acc := range accs {
				acc.Add(&r)
			}
		}
	}
	var rows []KPIRow
	for i, acc := range accs {
		rows = append(rows, rowsOf(Breakdowns[i], acc.Result())...)
	}
	return rows, nil
}
