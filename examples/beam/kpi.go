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
)

func init() {
	register.Combiner3[*KPIAccum, metrics.Record, KPISummary](&KPICombineFn{})
	register.DoFn2x0[RecordShard, func(metrics.Record)](&generateRecordsFn{})
	register.Emitter1[metrics.Record]()
	register.DoFn2x0[metrics.Record, func(string, metrics.Record)](&keyRecordFn{})
	register.Emitter2[string, metrics.Record]()
	register.Function2x1[string, KPISummary, string](formatKPI)
	beam.RegisterType(reflect.TypeOf((*KPISummary)(nil)).Elem())
	beam.RegisterType(reflect.TypeOf((*RecordShard)(nil)).Elem())
	beam.RegisterCoder(reflect.TypeOf((*KPIAccum)(nil)), encodeKPIAccum, decodeKPIAccum)
	beam.RegisterCoder(reflect.TypeOf((*metrics.Record)(nil)).Elem(), encodeRecord, decodeRecord)
}

// KPISpec is the configuration of the KPI combine: the library's
// metrics.Config in a form that travels with the pipeline (a CombineFn's
// exported fields are serialised to the workers). Each Beam key is one group,
// so the accumulator itself groups by nothing.
type KPISpec struct {
	// Location for periods and calendar days; "" means UTC.
	Location string `json:"location,omitempty"`
	// RelativeAccuracy of duration quantiles; 0 means the library default.
	RelativeAccuracy float64 `json:"relative_accuracy,omitempty"`
}

func (s KPISpec) config() (metrics.Config, error) {
	cfg := metrics.Config{RelativeAccuracy: s.RelativeAccuracy}
	if s.Location != "" {
		loc, err := time.LoadLocation(s.Location)
		if err != nil {
			return cfg, err
		}
		cfg.Location = loc
	}
	return cfg, nil
}

// key is the canonical form of a spec, the cache key of its compiled
// aggregator and the header of an encoded accumulator.
func (s KPISpec) key() string {
	b, _ := json.Marshal(s)
	return string(b)
}

// aggregators caches compiled aggregators per spec for the accumulator coder,
// which Beam calls without the CombineFn at hand. It lives in the worker
// process; the library itself keeps no such state.
var aggregators sync.Map // spec key → *metrics.Aggregator

func aggregatorFor(specKey string) (*metrics.Aggregator, error) {
	if a, ok := aggregators.Load(specKey); ok {
		return a.(*metrics.Aggregator), nil
	}
	var s KPISpec
	if err := json.Unmarshal([]byte(specKey), &s); err != nil {
		return nil, fmt.Errorf("kpi spec: %w", err)
	}
	cfg, err := s.config()
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

// accumsDecoded counts accumulators decoded in this process: with combiner
// lifting, the runner ships partial accumulators between stages through the
// coders, and the test checks that it did.
var accumsDecoded atomic.Int64

// KPIAccum is the accumulator of KPICombineFn: the library's
// metrics.Accumulator, unchanged, and the spec it was made under, so that the
// coder can rebuild it on any worker.
type KPIAccum struct {
	Spec string
	Acc  *metrics.Accumulator
}

// encodeKPIAccum is the accumulator coder: the spec, then the library's own
// versioned, checksummed encoding (MarshalBinary).
func encodeKPIAccum(a *KPIAccum) ([]byte, error) {
	return a.Acc.AppendBinary(appendSpec(nil, a.Spec))
}

func decodeKPIAccum(b []byte) (*KPIAccum, error) {
	accumsDecoded.Add(1)
	spec, rest, err := splitSpec(b)
	if err != nil {
		return nil, err
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

// encodeRecord and decodeRecord code metrics.Record (which has time.Time
// fields, so Beam's schema coder cannot) as JSON. Records mostly stay inside
// fused stages; only the runner's shuffles encode them.
func encodeRecord(r metrics.Record) ([]byte, error) { return json.Marshal(r) }

func decodeRecord(b []byte) (metrics.Record, error) {
	var r metrics.Record
	err := json.Unmarshal(b, &r)
	return r, err
}

// KPICombineFn wraps the library's KPI accumulator as a Beam CombineFn:
// CreateAccumulator is Aggregator.NewAccumulator, AddInput is
// Accumulator.Add, MergeAccumulators is Accumulator.Merge, ExtractOutput is
// Accumulator.Result condensed into a KPISummary.
type KPICombineFn struct {
	Spec KPISpec `json:"spec"`

	key string
	agg *metrics.Aggregator
}

// Setup compiles the aggregator once per worker.
func (fn *KPICombineFn) Setup() error {
	fn.key = fn.Spec.key()
	var err error
	fn.agg, err = aggregatorFor(fn.key)
	return err
}

// CreateAccumulator returns an empty accumulator.
func (fn *KPICombineFn) CreateAccumulator() *KPIAccum {
	return &KPIAccum{Spec: fn.key, Acc: fn.agg.NewAccumulator()}
}

// AddInput counts one record.
func (fn *KPICombineFn) AddInput(a *KPIAccum, r metrics.Record) *KPIAccum {
	a.Acc.Add(&r)
	return a
}

// MergeAccumulators merges b into a (exactly: any split, any order).
func (fn *KPICombineFn) MergeAccumulators(a, b *KPIAccum) (*KPIAccum, error) {
	if err := a.Acc.Merge(b.Acc); err != nil {
		return nil, err
	}
	return a, nil
}

// ExtractOutput extracts the figures.
func (fn *KPICombineFn) ExtractOutput(a *KPIAccum) KPISummary {
	return Summarize(&a.Acc.Result().Total)
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
// metrics.NewGenerator(Seed, StartUnix) for N records.
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

type generateRecordsFn struct{}

// ProcessElement emits one shard's records.
func (generateRecordsFn) ProcessElement(sh RecordShard, emit func(metrics.Record)) {
	g := metrics.NewGenerator(sh.Seed, time.Unix(sh.StartUnix, 0).UTC())
	var r metrics.Record
	for range sh.N {
		g.Next(&r)
		emit(r)
		r.Tags = nil // the emitted record keeps its own Tags
	}
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

// KeyOf is a record's key in a breakdown: its priority, the month of Received ("2024-03", UTC) or its
// team.
func KeyOf(b Breakdown, r *metrics.Record) string {
	switch b {
	case ByPriority:
		return r.Priority
	case ByMonth:
		return metrics.PeriodMonth.Label(metrics.PeriodMonth.Start(r.Received, time.UTC))
	case ByTeam:
		return r.Team
	}
	return ""
}

type keyRecordFn struct {
	Breakdown Breakdown `json:"breakdown"`
}

// ProcessElement keys a record by the breakdown's dimension.
func (fn *keyRecordFn) ProcessElement(r metrics.Record, emit func(string, metrics.Record)) {
	emit(string(fn.Breakdown)+"\x00"+KeyOf(fn.Breakdown, &r), r)
}

// KPIRow is one output line of the KPI pipeline.
type KPIRow struct {
	Breakdown string     `json:"breakdown"`
	Key       string     `json:"key"`
	Summary   KPISummary `json:"summary"`
}

func formatKPI(key string, s KPISummary) string {
	var row KPIRow
	for i := range key {
		if key[i] == 0 {
			row.Breakdown, row.Key = key[:i], key[i+1:]
			break
		}
	}
	row.Summary = s
	b, _ := json.Marshal(row)
	return string(b)
}

// KPIPipeline adds the KPI part: n synthetic records from k generator shards,
// combined per key for every breakdown, written as JSON lines (KPIRow) to out.
func KPIPipeline(s beam.Scope, spec KPISpec, n, k int, seed uint64, start time.Time, out string) {
	s = s.Scope("kpi")
	recs := beam.ParDo(s, &generateRecordsFn{}, beam.CreateList(s, shards(n, k, seed, start)))
	var rows []beam.PCollection
	for _, b := range Breakdowns {
		keyed := beam.ParDo(s, &keyRecordFn{Breakdown: b}, recs)
		sums := beam.CombinePerKey(s, &KPICombineFn{Spec: spec}, keyed)
		rows = append(rows, beam.ParDo(s, formatKPI, sums))
	}
	writeLines(s, out, beam.Flatten(s, rows...))
}

// KPIInProcess computes the same rows in one process with one accumulator
// per breakdown (grouped by the breakdown's dimension), for comparison.
func KPIInProcess(spec KPISpec, n, k int, seed uint64, start time.Time) ([]KPIRow, error) {
	cfg, err := spec.config()
	if err != nil {
		return nil, err
	}
	type part struct {
		b   Breakdown
		acc *metrics.Accumulator
	}
	var parts []part
	for _, b := range Breakdowns {
		c := cfg
		switch b {
		case ByPriority:
			c.GroupBy = []metrics.Dimension{metrics.DimPriority}
		case ByMonth:
			c.Period, c.Location = metrics.PeriodMonth, time.UTC
		case ByTeam:
			c.GroupBy = []metrics.Dimension{metrics.DimTeam}
		}
		agg, err := metrics.New(c)
		if err != nil {
			return nil, err
		}
		parts = append(parts, part{b, agg.NewAccumulator()})
	}
	var r metrics.Record
	for _, sh := range shards(n, k, seed, start) {
		g := metrics.NewGenerator(sh.Seed, time.Unix(sh.StartUnix, 0).UTC())
		for range sh.N {
			g.Next(&r)
			for _, p := range parts {
				p.acc.Add(&r)
			}
		}
	}
	var rows []KPIRow
	for _, p := range parts {
		res := p.acc.Result()
		for i := range res.Groups {
			g := &res.Groups[i]
			key := g.Period
			if len(g.Key) > 0 {
				key = g.Key[0]
			}
			rows = append(rows, KPIRow{Breakdown: string(p.b), Key: key, Summary: Summarize(g)})
		}
	}
	return rows, nil
}
