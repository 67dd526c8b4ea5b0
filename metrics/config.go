package metrics

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/fnv"
	"maps"
	"math"
	"slices"
	"time"
	"unsafe"

	"github.com/DataDog/sketches-go/ddsketch/mapping"
)

// Dimension names a Record field that results can be grouped by.
type Dimension uint8

// Dimensions.
const (
	DimKind Dimension = iota
	DimCategory
	DimChannel
	DimPriority
	DimTier
	DimRegion
	DimTeam
	DimAgent
	DimBusinessLine
	DimCustom0
	DimCustom1
	DimCustom2
	DimCustom3
	numDims
)

var dimNames = [...]string{"kind", "category", "channel", "priority", "tier", "region", "team", "agent",
	"business_line", "custom0", "custom1", "custom2", "custom3"}

// String returns the snake_case name of d ("business_line", "custom0", ...).
func (d Dimension) String() string {
	if d < numDims {
		return dimNames[d]
	}
	return fmt.Sprintf("Dimension(%d)", uint8(d))
}

// ParseDimension is the inverse of Dimension.String.
func ParseDimension(s string) (Dimension, error) {
	for i, n := range dimNames {
		if n == s {
			return Dimension(i), nil
		}
	}
	return 0, fmt.Errorf("metrics: unknown dimension %q", s)
}

// dimOffsets are the offsets in Record of the dimensions' fields, so that
// Add reads a dimension with one load instead of a switch.
var dimOffsets = [numDims]uintptr{
	unsafe.Offsetof(Record{}.Kind), unsafe.Offsetof(Record{}.Category), unsafe.Offsetof(Record{}.Channel),
	unsafe.Offsetof(Record{}.Priority), unsafe.Offsetof(Record{}.Tier), unsafe.Offsetof(Record{}.Region),
	unsafe.Offsetof(Record{}.Team), unsafe.Offsetof(Record{}.Agent), unsafe.Offsetof(Record{}.BusinessLine),
	unsafe.Offsetof(Record{}.Custom) + 0*unsafe.Sizeof(""), unsafe.Offsetof(Record{}.Custom) + 1*unsafe.Sizeof(""),
	unsafe.Offsetof(Record{}.Custom) + 2*unsafe.Sizeof(""), unsafe.Offsetof(Record{}.Custom) + 3*unsafe.Sizeof(""),
}

// fieldAt reads the dimension field at offset off of r (dimOffsets).
func fieldAt(r *Record, off uintptr) string {
	return *(*string)(unsafe.Add(unsafe.Pointer(r), off))
}

// Value is r's value in dimension d: the field d names, or the custom
// dimension's value.
func (d Dimension) Value(r *Record) string {
	switch d {
	case DimKind:
		return r.Kind
	case DimCategory:
		return r.Category
	case DimChannel:
		return r.Channel
	case DimPriority:
		return r.Priority
	case DimTier:
		return r.Tier
	case DimRegion:
		return r.Region
	case DimTeam:
		return r.Team
	case DimAgent:
		return r.Agent
	case DimBusinessLine:
		return r.BusinessLine
	default:
		return r.Custom[d-DimCustom0]
	}
}

// Period is a calendar period for trend grouping, computed in
// Config.Location from Record.Received.
type Period uint8

// Periods. Weeks are ISO 8601 weeks (Monday to Sunday, labelled by ISO year
// and week number); quarters start in January, April, July and October.
const (
	PeriodNone Period = iota
	PeriodDay
	PeriodWeek
	PeriodMonth
	PeriodQuarter
)

var periodNames = [...]string{"none", "day", "week", "month", "quarter"}

// String returns "none", "day", "week", "month" or "quarter".
func (p Period) String() string {
	if int(p) < len(periodNames) {
		return periodNames[p]
	}
	return fmt.Sprintf("Period(%d)", uint8(p))
}

// Start returns the first instant of the period containing t, in loc.
func (p Period) Start(t time.Time, loc *time.Location) time.Time {
	t = t.In(loc)
	y, m, d := t.Date()
	switch p {
	case PeriodDay:
	case PeriodWeek:
		wd := (int(t.Weekday()) + 6) % 7 // Monday = 0
		d -= wd
	case PeriodMonth:
		d = 1
	case PeriodQuarter:
		d = 1
		m = (m-1)/3*3 + 1
	default:
		return time.Time{}
	}
	return time.Date(y, m, d, 0, 0, 0, 0, loc)
}

// Next returns the start of the period after the one starting at start.
func (p Period) Next(start time.Time) time.Time {
	y, m, d := start.Date()
	loc := start.Location()
	switch p {
	case PeriodDay:
		return time.Date(y, m, d+1, 0, 0, 0, 0, loc)
	case PeriodWeek:
		return time.Date(y, m, d+7, 0, 0, 0, 0, loc)
	case PeriodMonth:
		return time.Date(y, m+1, 1, 0, 0, 0, 0, loc)
	case PeriodQuarter:
		return time.Date(y, m+3, 1, 0, 0, 0, 0, loc)
	}
	return start
}

// Label names the period starting at start: "2024-03-05", "2024-W10",
// "2024-03" or "2024-Q1".
func (p Period) Label(start time.Time) string {
	switch p {
	case PeriodDay:
		return start.Format("2006-01-02")
	case PeriodWeek:
		y, w := start.ISOWeek()
		return fmt.Sprintf("%04d-W%02d", y, w)
	case PeriodMonth:
		return start.Format("2006-01")
	case PeriodQuarter:
		return fmt.Sprintf("%04d-Q%d", start.Year(), (int(start.Month())-1)/3+1)
	}
	return ""
}

// Config says how an Aggregator groups and counts. The zero value is usable:
// one group over everything, CSAT counts 4 and 5, kind "complaint" counts as
// complaint, default SLA metric names, 1 % quantile accuracy.
type Config struct {
	// GroupBy lists up to MaxGroupDims dimensions; results have one group
	// per distinct combination of values seen.
	GroupBy []Dimension
	// Period additionally splits groups by period of Record.Received.
	Period Period
	// Location for periods; nil means UTC.
	Location *time.Location
	// CSATSatisfied lists the CSAT answers (1..5) counted as satisfied;
	// nil means {4, 5}.
	CSATSatisfied []uint8
	// ComplaintKinds lists the Record.Kind values counted as complaints;
	// nil means {"complaint"}.
	ComplaintKinds []string
	// AsOf is the instant for backlog and aging; zero disables them.
	AsOf time.Time
	// AgingEdges are ascending upper bucket edges of ticket age at AsOf;
	// nil means 24h, 72h, 7 days, 30 days (five buckets).
	AgingEdges []time.Duration
	// SLAMetrics names Record.SLA slots; nil means first_response,
	// resolution, follow_up, update.
	SLAMetrics []string
	// Composite are the satisfaction-index rules; nil means none.
	Composite *CompositeSpec
	// RelativeAccuracy of duration quantiles, in (0, 0.5]; 0 means 0.01.
	// Accuracies finer than about 5.6e-9 are refused: their sketch indexes
	// for durations up to 292 years would not fit an int32.
	RelativeAccuracy float64
	// Quantiles reported for each duration; nil means {0.5, 0.9}.
	Quantiles []float64
}

// Aggregator is a compiled Config: immutable, safe for concurrent use, the
// factory and decoder of Accumulators (a distributed engine's CombineFn).
type Aggregator struct {
	cfg         Config
	csatMask    uint8
	asOf        int64
	hasAsOf     bool
	agingEdges  []int64
	fingerprint uint64
	mapping     *mapping.CubicallyInterpolatedMapping
	weights     map[string]*[MaxSatDims]int64 // channel -> quantised weights
	defWeights  *[MaxSatDims]int64
	// Layout of groupStats.ext: SLA counts [priority][metric][status] from
	// 0, aging buckets from agingOff, satisfaction sums then counts per
	// dimension from satOff; extLen in all.
	agingOff, satOff, extLen int
	// idxLo and idxHi are the sketch indexes of 1 ns and of the longest
	// time.Duration: every bin lies between them.
	idxLo, idxHi int32
	idxTable     *indexTable // nil when the library answers every index
	cellBins     *cellBins   // idxTable as Add reads it
	// dimOff are the Record offsets of the GroupBy dimensions.
	dimOff []uintptr
	// complaintLens has bit n set when a complaint kind is n bytes long
	// (bit 63: 63 or more).
	complaintLens uint64
}

// ErrConfig is wrapped by every Config validation error.
var ErrConfig = errors.New("metrics: invalid config")

// defaultSLAMetrics are the SLA slot names used when Config.SLAMetrics is nil.
var defaultSLAMetrics = []string{"first_response", "resolution", "follow_up", "update"}

// New validates and compiles cfg.
func New(cfg Config) (*Aggregator, error) {
	bad := func(f string, a ...any) error { return fmt.Errorf("%w: "+f, append([]any{ErrConfig}, a...)...) }
	if len(cfg.GroupBy) > MaxGroupDims {
		return nil, bad("at most %d group dimensions, got %d", MaxGroupDims, len(cfg.GroupBy))
	}
	for i, d := range cfg.GroupBy {
		if d >= numDims {
			return nil, bad("GroupBy[%d]: unknown dimension %d", i, d)
		}
		if slices.Index(cfg.GroupBy[:i], d) >= 0 {
			return nil, bad("GroupBy[%d]: dimension %s repeated", i, d)
		}
	}
	if int(cfg.Period) >= len(periodNames) {
		return nil, bad("unknown period %d", cfg.Period)
	}
	if cfg.Location == nil {
		cfg.Location = time.UTC
	}
	if cfg.CSATSatisfied == nil {
		cfg.CSATSatisfied = []uint8{4, 5}
	}
	a := &Aggregator{}
	for _, v := range cfg.CSATSatisfied {
		if v < 1 || v > 5 {
			return nil, bad("CSATSatisfied: answer %d outside 1..5", v)
		}
		a.csatMask |= 1 << v
	}
	if cfg.ComplaintKinds == nil {
		cfg.ComplaintKinds = []string{"complaint"}
	}
	for _, k := range cfg.ComplaintKinds {
		a.complaintLens |= 1 << min(len(k), 63)
	}
	if cfg.AgingEdges == nil {
		cfg.AgingEdges = []time.Duration{24 * time.Hour, 72 * time.Hour, 7 * 24 * time.Hour, 30 * 24 * time.Hour}
	}
	if len(cfg.AgingEdges) > MaxAgingBuckets {
		return nil, bad("at most %d aging edges", MaxAgingBuckets)
	}
	for i, e := range cfg.AgingEdges {
		if e <= 0 || (i > 0 && e <= cfg.AgingEdges[i-1]) {
			return nil, bad("AgingEdges must be positive and strictly ascending")
		}
		a.agingEdges = append(a.agingEdges, int64(e))
	}
	if cfg.SLAMetrics == nil {
		cfg.SLAMetrics = defaultSLAMetrics
	}
	if len(cfg.SLAMetrics) > MaxSLAMetrics {
		return nil, bad("at most %d SLA metrics", MaxSLAMetrics)
	}
	if cfg.RelativeAccuracy == 0 {
		cfg.RelativeAccuracy = 0.01
	}
	if !(cfg.RelativeAccuracy > 0 && cfg.RelativeAccuracy <= 0.5) {
		return nil, bad("RelativeAccuracy %v outside (0, 0.5]", cfg.RelativeAccuracy)
	}
	if cfg.Quantiles == nil {
		cfg.Quantiles = []float64{0.5, 0.9}
	}
	for _, q := range cfg.Quantiles {
		if !(q >= 0 && q <= 1) {
			return nil, bad("quantile %v outside [0, 1]", q)
		}
	}
	m, err := mapping.NewCubicallyInterpolatedMapping(cfg.RelativeAccuracy)
	if err != nil {
		return nil, bad("%v", err)
	}
	// Every duration from 1 ns to the longest time.Duration must have an
	// index of its own (int32, as the library's stores assume); finer
	// accuracies than about 1e-8 do not.
	if m.MinIndexableValue() > 1e-9 || m.MaxIndexableValue() < float64(math.MaxInt64)*1e-9 {
		return nil, bad("RelativeAccuracy %v too fine to index every duration", cfg.RelativeAccuracy)
	}
	a.mapping = m
	a.idxLo, a.idxHi = int32(m.Index(1e-9)), int32(m.Index(float64(math.MaxInt64)*1e-9))
	a.idxTable = newIndexTable(m)
	a.cellBins = newCellBins(a.idxTable)
	for _, d := range cfg.GroupBy {
		a.dimOff = append(a.dimOff, dimOffsets[d])
	}
	a.agingOff = numPrio * len(cfg.SLAMetrics) * numSLA
	a.satOff = a.agingOff
	if !cfg.AsOf.IsZero() {
		a.satOff += len(cfg.AgingEdges) + 1
	}
	a.extLen = a.satOff
	if cfg.Composite != nil {
		a.extLen += 2 * len(cfg.Composite.Dimensions)
	}
	if cfg.Composite != nil {
		if err := a.compileComposite(cfg.Composite); err != nil {
			return nil, err
		}
	}
	// Own copies of caller memory: the Aggregator is immutable.
	cfg = cfg.clone()
	if !cfg.AsOf.IsZero() {
		a.asOf, a.hasAsOf = cfg.AsOf.UnixNano(), true
	}
	a.cfg = cfg
	a.fingerprint = a.computeFingerprint()
	return a, nil
}

// Config returns a copy of the compiled configuration with defaults
// filled in.
func (a *Aggregator) Config() Config { return a.cfg.clone() }

// clone deep-copies c, so an Aggregator shares no memory with callers.
func (c Config) clone() Config {
	c.GroupBy = slices.Clone(c.GroupBy)
	c.CSATSatisfied = slices.Clone(c.CSATSatisfied)
	c.ComplaintKinds = slices.Clone(c.ComplaintKinds)
	c.AgingEdges = slices.Clone(c.AgingEdges)
	c.SLAMetrics = slices.Clone(c.SLAMetrics)
	c.Quantiles = slices.Clone(c.Quantiles)
	if c.Composite != nil {
		cr := &CompositeSpec{Dimensions: slices.Clone(c.Composite.Dimensions), Default: maps.Clone(c.Composite.Default)}
		if c.Composite.Channels != nil {
			cr.Channels = make(map[string]map[string]float64, len(c.Composite.Channels))
			for k, v := range c.Composite.Channels {
				cr.Channels[k] = maps.Clone(v)
			}
		}
		c.Composite = cr
	}
	return c
}

// computeFingerprint hashes everything that changes what Add counts, so
// that Merge and Decode refuse state built under another configuration.
func (a *Aggregator) computeFingerprint() uint64 {
	h := fnv.New64a()
	var buf [8]byte
	u := func(v uint64) { binary.LittleEndian.PutUint64(buf[:], v); h.Write(buf[:]) }
	s := func(v string) { u(uint64(len(v))); h.Write([]byte(v)) }
	u(uint64(len(a.cfg.GroupBy)))
	for _, d := range a.cfg.GroupBy {
		u(uint64(d))
	}
	u(uint64(a.cfg.Period))
	s(a.cfg.Location.String())
	u(uint64(a.csatMask))
	u(uint64(len(a.cfg.ComplaintKinds)))
	for _, k := range a.cfg.ComplaintKinds {
		s(k)
	}
	u(uint64(a.asOf))
	u(uint64(len(a.agingEdges)))
	for _, e := range a.agingEdges {
		u(uint64(e))
	}
	u(uint64(len(a.cfg.SLAMetrics)))
	for _, n := range a.cfg.SLAMetrics {
		s(n)
	}
	u(math.Float64bits(a.cfg.RelativeAccuracy))
	if c := a.cfg.Composite; c != nil {
		u(1)
		for _, d := range c.Dimensions {
			s(d)
		}
		keys := make([]string, 0, len(a.weights))
		for k := range a.weights {
			keys = append(keys, k)
		}
		slices.Sort(keys)
		for _, w := range a.defWeights {
			u(uint64(w))
		}
		for _, k := range keys {
			s(k)
			for _, w := range a.weights[k] {
				u(uint64(w))
			}
		}
	}
	return h.Sum64()
}

// isComplaint reports whether kind is one of Config.ComplaintKinds. Most
// kinds differ from them in length: complaintLens tells, without comparing
// bytes (a call, in Add).
func (a *Aggregator) isComplaint(kind string) bool {
	if a.complaintLens>>min(len(kind), 63)&1 == 0 {
		return false
	}
	for _, k := range a.cfg.ComplaintKinds {
		if k == kind {
			return true
		}
	}
	return false
}
