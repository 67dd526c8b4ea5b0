package metrics

import (
	"errors"
	"math/bits"
	"slices"
	"time"
	"unsafe"

	"github.com/DataDog/sketches-go/ddsketch/mapping"
	"github.com/DataDog/sketches-go/ddsketch/store"
)

// numPrio counts the priority slots of SLA figures: P0..P3 and "other".
const numPrio = 5

// priorityLabels names the priority slots of SLA figures.
var priorityLabels = [numPrio]string{"P0", "P1", "P2", "P3", "other"}

func prioIndex(p string) int {
	if len(p) == 2 && p[0] == 'P' && p[1] >= '0' && p[1] <= '3' {
		return int(p[1] - '0')
	}
	return numPrio - 1
}

// Duration slots of a group.
const (
	durFirstResponseBusiness = iota
	durFirstResponseElapsed
	durResolutionBusiness
	durResolutionElapsed
	numDur
)

// durDist is the exact summary (count, 128-bit sum, min, max, zero count)
// plus a DDSketch store of one duration metric, in nanoseconds. The sketch
// keys are indexes of the Aggregator's mapping over seconds.
type durDist struct {
	n            int64
	sumHi, sumLo uint64
	min, max     int64
	zero         int64
	store        *store.DenseStore
}

func (d *durDist) add(v int64, m *mapping.CubicallyInterpolatedMapping) {
	if d.n == 0 {
		d.min, d.max = v, v
	} else if v < d.min {
		d.min = v
	} else if v > d.max {
		d.max = v
	}
	d.n++
	var c uint64
	d.sumLo, c = bits.Add64(d.sumLo, uint64(v), 0)
	d.sumHi += c
	if v == 0 {
		d.zero++
		return
	}
	if d.store == nil {
		d.store = store.NewDenseStore()
	}
	d.store.Add(m.Index(float64(v) * 1e-9))
}

func (d *durDist) merge(o *durDist) {
	if o.n == 0 {
		return
	}
	if d.n == 0 {
		d.min, d.max = o.min, o.max
	} else {
		d.min, d.max = min(d.min, o.min), max(d.max, o.max)
	}
	d.n += o.n
	var c uint64
	d.sumLo, c = bits.Add64(d.sumLo, o.sumLo, 0)
	d.sumHi += o.sumHi + c
	d.zero += o.zero
	if o.store != nil && !o.store.IsEmpty() {
		if d.store == nil {
			d.store = store.NewDenseStore()
		}
		d.store.MergeWith(o.store)
	}
}

// money is one currency's compensation total.
type money struct {
	currency string
	minor    int64
	count    int64
}

// slaCounts count one SLA metric's clocks by SLAStatus: none, met,
// breached, open, open-breached, and invalid (index 5).
type slaCounts [6]int64

// b2i is 1 for true: counters add it instead of branching on data, which
// a branch predictor cannot learn.
func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// groupStats are the integer counters of one group. Every figure of a
// Group is derived from them at extraction.
type groupStats struct {
	tickets      int64
	complaints   int64
	csat         [8]int64  // by answer: 0 none, 1..5, 6 and 7 invalid
	nps          [13]int64 // by answer 0..10, 11 invalid, 12 unanswered
	ces          [9]int64  // by answer: 0 none, 1..7, 8 invalid
	resolved     int64     // Resolved set
	fcr          int64     // resolved and FirstContactResolved
	closed       int64
	everResolved int64                             // Resolved set or reopened
	reopened     int64                             // ReopenCount > 0
	reopens      int64                             // sum of ReopenCount
	identified   int64                             // CustomerID set
	repeat       int64                             // Repeat and CustomerID set
	fu           [4]int64                          // by FollowUpStatus, 3 invalid
	surveySent   int64                             // SurveySent
	surveyResp   int64                             // SurveySent and any of CSAT, NPS, CES answered
	sla          [numPrio][MaxSLAMetrics]slaCounts // by priority, then metric
	backlog      int64
	aging        [MaxAgingBuckets + 1]int64
	satSum       [MaxSatDims]int64
	satN         [MaxSatDims]int64
	compNum      int64 // Σ weight·score (weights ×1e4)
	compDen      int64 // Σ weight
	compResp     int64 // records contributing to the composite index
	money        []money
	dur          [numDur]durDist
}

func (g *groupStats) add(r *Record, a *Aggregator, complaint bool) (invalid int64) {
	// Answers and states count in fixed buckets, out-of-range values in an
	// invalid bucket: no data-dependent branches.
	g.tickets++
	g.complaints += b2i(complaint)
	g.csat[min(r.CSAT, 7)]++
	npsIdx := min(r.NPS, 11)
	if !r.NPSAnswered {
		npsIdx = 12
	}
	g.nps[npsIdx]++
	g.ces[min(r.CES, 8)]++
	resolved := !r.Resolved.IsZero()
	res := b2i(resolved)
	g.resolved += res
	g.fcr += res & b2i(r.FirstContactResolved)
	g.closed += b2i(!r.Closed.IsZero())
	reopened := b2i(r.ReopenCount > 0)
	g.reopened += reopened
	g.reopens += int64(max(r.ReopenCount, 0))
	g.everResolved += res | reopened
	id := b2i(r.CustomerID != "")
	g.identified += id
	g.repeat += id & b2i(r.Repeat)
	sent := b2i(r.SurveySent)
	g.surveySent += sent
	// A valid answer of any survey (uint8 arithmetic wraps 0 to 255).
	g.surveyResp += sent & (b2i(r.CSAT-1 < 5) | b2i(r.NPSAnswered)&b2i(r.NPS <= 10) | b2i(r.CES-1 < 7))
	g.fu[min(r.FollowUp, 3)]++
	sla := &g.sla[prioIndex(r.Priority)]
	for m := range len(a.cfg.SLAMetrics) {
		sla[m][min(r.SLA[m], 5)]++
	}
	// Instant differences via UnixNano: cheaper than time.Time.Sub and
	// exact for instants between the years 1678 and 2262.
	rec, hasRec := r.Received.UnixNano(), !r.Received.IsZero()
	if !r.FirstResponse.IsZero() {
		if el := r.FirstResponse.UnixNano() - rec; hasRec && el >= 0 {
			g.dur[durFirstResponseElapsed].add(int64(el), a.mapping)
		} else {
			invalid++
		}
		if r.BusinessTimes {
			if r.FirstResponseBusiness >= 0 {
				g.dur[durFirstResponseBusiness].add(int64(r.FirstResponseBusiness), a.mapping)
			} else {
				invalid++
			}
		}
	}
	if resolved {
		if el := r.Resolved.UnixNano() - rec; hasRec && el >= 0 {
			g.dur[durResolutionElapsed].add(int64(el), a.mapping)
		} else {
			invalid++
		}
		if r.BusinessTimes {
			if r.ResolutionBusiness >= 0 {
				g.dur[durResolutionBusiness].add(int64(r.ResolutionBusiness), a.mapping)
			} else {
				invalid++
			}
		}
	}
	if a.hasAsOf {
		g.addBacklog(r, rec, a)
	}
	if r.CompensationMinor != 0 {
		g.addMoney(r.Currency, r.CompensationMinor, 1)
	}
	if a.defWeights != nil {
		invalid += g.addSat(r, a)
	}
	return invalid
}

func (g *groupStats) addBacklog(r *Record, rec int64, a *Aggregator) {
	if r.Received.IsZero() {
		return
	}
	if rec > a.asOf || (!r.Closed.IsZero() && r.Closed.UnixNano() <= a.asOf) {
		return
	}
	g.backlog++
	age := a.asOf - rec
	i := 0
	for i < len(a.agingEdges) && age >= a.agingEdges[i] {
		i++
	}
	g.aging[i]++
}

func (g *groupStats) addMoney(cur string, minor, count int64) {
	for i := range g.money {
		if g.money[i].currency == cur {
			g.money[i].minor += minor
			g.money[i].count += count
			return
		}
	}
	g.money = append(g.money, money{currency: cur, minor: minor, count: count})
}

func (g *groupStats) addSat(r *Record, a *Aggregator) (invalid int64) {
	var w *[MaxSatDims]int64
	var num, den int64
	for i := range len(a.cfg.Composite.Dimensions) {
		s := r.SatDims[i]
		if s == 0 {
			continue
		}
		if s > 5 {
			invalid++
			continue
		}
		g.satSum[i] += int64(s)
		g.satN[i]++
		if w == nil {
			w = a.channelWeights(r.Channel)
		}
		num += w[i] * int64(s)
		den += w[i]
	}
	if den > 0 {
		g.compNum += num
		g.compDen += den
		g.compResp++
	}
	return invalid
}

func (g *groupStats) merge(o *groupStats) {
	g.tickets += o.tickets
	g.complaints += o.complaints
	addArr(g.csat[:], o.csat[:])
	addArr(g.fu[:], o.fu[:])
	addArr(g.nps[:], o.nps[:])
	addArr(g.ces[:], o.ces[:])
	g.resolved += o.resolved
	g.fcr += o.fcr
	g.closed += o.closed
	g.everResolved += o.everResolved
	g.reopened += o.reopened
	g.reopens += o.reopens
	g.identified += o.identified
	g.repeat += o.repeat
	g.surveySent += o.surveySent
	g.surveyResp += o.surveyResp
	for p := range g.sla {
		for m := range g.sla[p] {
			addArr(g.sla[p][m][:], o.sla[p][m][:])
		}
	}
	g.backlog += o.backlog
	addArr(g.aging[:], o.aging[:])
	addArr(g.satSum[:], o.satSum[:])
	addArr(g.satN[:], o.satN[:])
	g.compNum += o.compNum
	g.compDen += o.compDen
	g.compResp += o.compResp
	for _, m := range o.money {
		g.addMoney(m.currency, m.minor, m.count)
	}
	for i := range g.dur {
		g.dur[i].merge(&o.dur[i])
	}
}

// invalidAnswers counts the group's out-of-range answers and states.
func (g *groupStats) invalidAnswers() int64 {
	n := g.csat[6] + g.csat[7] + g.nps[11] + g.ces[8] + g.fu[3]
	for p := range g.sla {
		for m := range g.sla[p] {
			n += g.sla[p][m][5]
		}
	}
	return n
}

func addArr(dst, src []int64) {
	for i, v := range src {
		dst[i] += v
	}
}

// groupKey identifies a group: interned dimension values and the period
// start (Unix seconds; 0 without periods).
type groupKey struct {
	ids    [MaxGroupDims]uint32
	period int64
}

// interner maps strings to dense ids.
type interner struct {
	ids  map[string]uint32
	vals []string
}

func (in *interner) id(s string) uint32 {
	if id, ok := in.ids[s]; ok {
		return id
	}
	id := uint32(len(in.vals))
	in.vals = append(in.vals, s)
	in.ids[s] = id
	return id
}

// strCache is a small two-way cache in front of the interner, keyed by the
// address of the string's bytes. Hosts usually fill dimension fields from
// a few shared strings, so the cache spares the map hash. A hit still
// compares the whole string (equal pointers compare in O(1)), so
// correctness never depends on addresses.
type strCache [128]struct {
	s  string
	id uint32
	ok bool
}

func (c *strCache) id(s string, in *interner) uint32 {
	h := (uint64(uintptr(unsafe.Pointer(unsafe.StringData(s)))) + uint64(len(s))) * 0x9e3779b97f4a7c15
	i := h >> 57
	e := &c[i]
	if e.ok && e.s == s {
		return e.id
	}
	e2 := &c[i^1]
	if e2.ok && e2.s == s {
		return e2.id
	}
	id := in.id(s)
	if e.ok && !e2.ok {
		e = e2 // keep both: two strings share this pair of ways
	}
	e.s, e.id, e.ok = s, id, true
	return id
}

// kindCache remembers, by string address like strCache, whether a Kind
// counts as a complaint.
type kindCache [16]struct {
	s         string
	complaint bool
	ok        bool
}

func (c *kindCache) isComplaint(s string, a *Aggregator) bool {
	h := (uint64(uintptr(unsafe.Pointer(unsafe.StringData(s)))) + uint64(len(s))) * 0x9e3779b97f4a7c15
	e := &c[h>>60]
	if e.ok && e.s == s {
		return e.complaint
	}
	v := a.isComplaint(s)
	e.s, e.complaint, e.ok = s, v, true
	return v
}

// groupTable is an open-addressing hash table from groupKey to group
// index, cheaper than a Go map for these small fixed keys.
type groupTable struct {
	slots []int32 // group index + 1; 0 is empty
	n     int
}

func (k *groupKey) hash() uint64 {
	w1 := uint64(k.ids[0]) | uint64(k.ids[1])<<32
	w2 := uint64(k.ids[2]) | uint64(k.ids[3])<<32
	h := (w1+0x632be59bd9b4e019)*0x9e3779b97f4a7c15 ^ (w2+0x8cb92ba72f3d8dd7)*0xbf58476d1ce4e5b9 ^
		(uint64(k.period)+0x2545f4914f6cdd1d)*0x94d049bb133111eb
	return h ^ h>>29
}

// find returns the group index of k, or -1.
func (t *groupTable) find(k *groupKey, keys []groupKey) int32 {
	if len(t.slots) == 0 {
		return -1
	}
	mask := uint64(len(t.slots) - 1)
	for i := k.hash() & mask; ; i = (i + 1) & mask {
		s := t.slots[i]
		if s == 0 {
			return -1
		}
		if keys[s-1] == *k {
			return s - 1
		}
	}
}

// insert adds group gi with key keys[gi]; the key must be new.
func (t *groupTable) insert(gi int32, keys []groupKey) {
	if 2*(t.n+1) > len(t.slots) {
		t.slots = make([]int32, max(16, 2*len(t.slots)))
		t.n = 0
		for j := range gi {
			t.put(j, keys)
		}
	}
	t.put(gi, keys)
}

func (t *groupTable) put(gi int32, keys []groupKey) {
	mask := uint64(len(t.slots) - 1)
	i := keys[gi].hash() & mask
	for t.slots[i] != 0 {
		i = (i + 1) & mask
	}
	t.slots[i] = gi + 1
	t.n++
}

// periodCache remembers period boundaries seen so far (Unix seconds,
// sorted), so that the steady state neither allocates nor converts zones.
type periodCache struct {
	lo, hi []int64
}

func (c *periodCache) start(t time.Time, a *Aggregator) int64 {
	sec := t.Unix()
	i, found := slices.BinarySearch(c.lo, sec)
	if found {
		return c.lo[i]
	}
	if i > 0 && sec < c.hi[i-1] {
		return c.lo[i-1]
	}
	st := a.cfg.Period.Start(t, a.cfg.Location)
	lo, hi := st.Unix(), a.cfg.Period.Next(st).Unix()
	c.lo = slices.Insert(c.lo, i, lo)
	c.hi = slices.Insert(c.hi, i, hi)
	return lo
}

// Accumulator is the mergeable state of one aggregation: create it with
// Aggregator.NewAccumulator, feed it with Add, combine shards with Merge,
// read figures with Result, ship it with MarshalBinary and
// Aggregator.Decode. It is not safe for concurrent use; use one per
// goroutine and merge.
type Accumulator struct {
	agg     *Aggregator
	strs    interner
	cache   [MaxGroupDims]strCache
	kinds   kindCache
	index   groupTable
	keys    []groupKey
	groups  []groupStats
	invalid int64
	periods periodCache
}

// NewAccumulator returns an empty accumulator (the combine step's
// CreateAccumulator).
func (a *Aggregator) NewAccumulator() *Accumulator {
	return &Accumulator{
		agg:  a,
		strs: interner{ids: make(map[string]uint32)},
	}
}

// Aggregator returns the configuration acc was created with.
func (acc *Accumulator) Aggregator() *Aggregator { return acc.agg }

// Add counts one record (AddInput). Invalid fields (a CSAT of 9, a response
// before receipt, ...) are skipped and counted in Result.Invalid; the rest
// of the record still counts. In steady state (no new group, period or
// currency, no sketch growth) Add does not allocate.
func (acc *Accumulator) Add(r *Record) {
	a := acc.agg
	var k groupKey
	for i, d := range a.cfg.GroupBy {
		k.ids[i] = acc.cache[i].id(d.value(r), &acc.strs)
	}
	if a.cfg.Period != PeriodNone {
		k.period = acc.periods.start(r.Received, a)
	}
	gi := acc.index.find(&k, acc.keys)
	if gi < 0 {
		gi = acc.newGroup(k)
	}
	acc.invalid += acc.groups[gi].add(r, a, acc.kinds.isComplaint(r.Kind, a))
}

func (acc *Accumulator) newGroup(k groupKey) int32 {
	gi := int32(len(acc.groups))
	acc.groups = append(acc.groups, groupStats{})
	acc.keys = append(acc.keys, k)
	acc.index.insert(gi, acc.keys)
	return gi
}

// ErrMismatch is returned when merging or decoding state built under a
// different configuration.
var ErrMismatch = errors.New("metrics: accumulators of different configurations")

// Merge adds o's state into acc (MergeAccumulators); o is unchanged.
// Merging is exact: any split of the records into shards, merged in any
// order, gives the same Result as accumulating them in one go.
func (acc *Accumulator) Merge(o *Accumulator) error {
	if acc.agg.fingerprint != o.agg.fingerprint {
		return ErrMismatch
	}
	remap := make([]uint32, len(o.strs.vals))
	for i, s := range o.strs.vals {
		remap[i] = acc.strs.id(s)
	}
	n := len(acc.agg.cfg.GroupBy)
	for i, k := range o.keys {
		for j := range n {
			k.ids[j] = remap[k.ids[j]]
		}
		gi := acc.index.find(&k, acc.keys)
		if gi < 0 {
			gi = acc.newGroup(k)
		}
		acc.groups[gi].merge(&o.groups[i])
	}
	acc.invalid += o.invalid
	return nil
}

// Len returns the number of groups.
func (acc *Accumulator) Len() int { return len(acc.groups) }
