package metrics

import (
	"errors"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"time"
	"unsafe"
)

// numPrio counts the priority slots of SLA figures: P0..P3 and "other".
const numPrio = 5

// priorityLabels names the priority slots of SLA figures.
var priorityLabels = [numPrio]string{"P0", "P1", "P2", "P3", "other"}

func prioIndex(p string) int {
	// "P0".."P3" as one 16-bit load: d is 0x000, 0x100, 0x200 or 0x300
	// for them, larger otherwise (or wrapped around).
	if len(p) == 2 {
		if d := uint(p[0]) | uint(p[1])<<8 - ('P' | '0'<<8); d&^0x300 == 0 {
			return int(d >> 8)
		}
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

// durDist is the exact summary (count, 128-bit sum, min, max) plus the
// DDSketch bins of one duration metric, in nanoseconds. The bin indexes
// are the Aggregator's mapping over seconds (sketches-go's cubically
// interpolated mapping); the counts live in a binStore, and zero durations
// are the count the bins do not hold (zeros). The minimum is kept as
// MaxInt64 − min, so that the zero value is the empty distribution and min
// and max update alike (a larger value replaces the kept one). It is 64
// bytes: one cache line.
type durDist struct {
	n            int64
	sumHi, sumLo uint64
	minInv, max  int64
	store        binStore
}

// add counts duration v (≥ 0) in d's summary and reports whether it
// needs a bin (zeros have none). New extremes are rare once a
// distribution has a few values: a branch that is nearly always not taken
// costs less than storing max(…) back every time.
func (d *durDist) add(v int64) bool {
	if mi := math.MaxInt64 - v; mi > d.minInv {
		d.minInv = mi
	}
	if v > d.max {
		d.max = v
	}
	d.n++
	var c uint64
	d.sumLo, c = bits.Add64(d.sumLo, uint64(v), 0)
	d.sumHi += c
	return v != 0
}

// zeros is the number of zero durations.
func (d *durDist) zeros() int64 { return d.n - d.store.total() }

// min returns the smallest duration (MaxInt64 when empty).
func (d *durDist) min() int64 { return math.MaxInt64 - d.minInv }

func (d *durDist) merge(o *durDist) {
	if o.n == 0 {
		return
	}
	d.minInv, d.max = max(d.minInv, o.minInv), max(d.max, o.max)
	d.n += o.n
	var c uint64
	d.sumLo, c = bits.Add64(d.sumLo, o.sumLo, 0)
	d.sumHi += o.sumHi + c
	d.store.merge(&o.store)
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

// numSLA is the length of slaCounts.
const numSLA = len(slaCounts{})

// b2i is 1 for true: counters add it instead of branching on data, which
// a branch predictor cannot learn.
func b2i(b bool) int64 {
	if b {
		return 1
	}
	return 0
}

// groupStats are the integer counters of one group. Every figure of a
// Group is derived from them at extraction. The counters every
// configuration has are fields; those whose number depends on the
// configuration (SLA metrics, aging buckets, satisfaction dimensions) are
// in ext, laid out by the Aggregator (slaIndex, agingOff, satOff), so
// that a group costs memory in proportion to what it counts.
type groupStats struct {
	// First, so that with the struct a multiple of 64 bytes each
	// duration's state is one cache line of a slice of groups.
	dur          [numDur]durDist
	tickets      int64
	complaints   int64
	csat         [8]int64  // by answer: 0 none, 1..5, 6 and 7 invalid
	nps          [13]int64 // by answer 0..10, 11 invalid, 12 unanswered
	ces          [9]int64  // by answer: 0 none, 1..7, 8 invalid
	fu           [4]int64  // by FollowUpStatus, 3 invalid
	resolved     int64     // Resolved set
	fcr          int64     // resolved and FirstContactResolved
	closed       int64
	everResolved int64 // Resolved set or reopened
	reopened     int64 // ReopenCount > 0
	reopens      int64 // sum of ReopenCount
	identified   int64 // CustomerID set
	repeat       int64 // Repeat and CustomerID set
	surveySent   int64 // SurveySent
	surveyResp   int64 // SurveySent and any of CSAT, NPS, CES answered
	backlog      int64
	compNum      int64   // Σ weight·score (weights ×1e4)
	compDen      int64   // Σ weight
	compResp     int64   // records contributing to the composite index
	ext          []int64 // SLA counts, aging buckets, satisfaction sums and counts
	money        []money
}

// sla returns the counts of SLA metric m at priority slot p.
func (g *groupStats) sla(a *Aggregator, p, m int) *slaCounts {
	return (*slaCounts)(g.ext[(p*len(a.cfg.SLAMetrics)+m)*numSLA:])
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
	g.ext[a.agingOff+i]++
}

// moneyIndex returns the position of currency cur in ms, or -1.
func moneyIndex(ms []money, cur string) int {
	for i := range ms {
		if ms[i].currency == cur {
			return i
		}
	}
	return -1
}

// MaxCurrencies is the most currencies one accumulator counts
// compensation in; compensation in a further currency is skipped as
// invalid, and merges and decodings beyond it are refused (ErrLimit). It
// keeps the per-currency lists short.
const MaxCurrencies = 64

// addMoney adds one record's compensation to g unless that would take the
// group's total or the accumulator's sum of group magnitudes (tot.money,
// which bounds every partial sum: group totals, roll-ups, the result's
// total) past int64, or add a currency beyond MaxCurrencies; it reports
// whether it did.
func (acc *Accumulator) addMoney(g *groupStats, cur string, minor int64) bool {
	i := moneyIndex(g.money, cur)
	var old int64
	if i >= 0 {
		old = g.money[i].minor
	}
	nw, ok := addInt64(old, minor)
	if !ok || nw == math.MinInt64 {
		return false
	}
	ti := moneyIndex(acc.tot.money, cur)
	if ti < 0 && len(acc.tot.money) >= MaxCurrencies {
		return false
	}
	var mag int64
	if ti >= 0 {
		mag = acc.tot.money[ti].minor
	}
	mag, ok = addInt64(mag-abs64(old), abs64(nw))
	if !ok {
		return false
	}
	if i < 0 {
		g.money = append(g.money, money{currency: cur})
		i = len(g.money) - 1
	}
	g.money[i].minor = nw
	g.money[i].count++
	if ti < 0 {
		acc.tot.money = append(acc.tot.money, money{currency: cur})
		ti = len(acc.tot.money) - 1
	}
	acc.tot.money[ti].minor = mag
	acc.tot.money[ti].count++
	return true
}

// addSat counts the satisfaction dimensions and the composite index of a
// record. A composite contribution that would take the accumulator's
// weighted sums past int64 is skipped as invalid.
func (acc *Accumulator) addSat(g *groupStats, r *Record) (invalid int64) {
	a := acc.agg
	var w *[MaxSatDims]int64
	var num, den int64
	nd := len(a.cfg.Composite.Dimensions)
	sum, cnt := g.ext[a.satOff:a.satOff+nd], g.ext[a.satOff+nd:a.satOff+2*nd]
	for i := range nd {
		s := r.SatDims[i]
		if s == 0 {
			continue
		}
		if s > 5 {
			invalid++
			continue
		}
		sum[i] += int64(s)
		cnt[i]++
		if w == nil {
			w = a.channelWeights(r.Channel)
		}
		num += w[i] * int64(s)
		den += w[i]
	}
	if den > 0 {
		if num > math.MaxInt64-acc.tot.compNum || den > math.MaxInt64-acc.tot.compDen {
			return invalid + 1
		}
		acc.tot.compNum += num
		acc.tot.compDen += den
		g.compNum += num
		g.compDen += den
		g.compResp++
	}
	return invalid
}

// merge adds o's counters into g. The caller has checked (Merge's totals)
// that no sum leaves int64 and updates the accumulator's totals.
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
	g.backlog += o.backlog
	addArr(g.ext, o.ext)
	g.compNum += o.compNum
	g.compDen += o.compDen
	g.compResp += o.compResp
	for _, m := range o.money {
		if i := moneyIndex(g.money, m.currency); i >= 0 {
			g.money[i].minor += m.minor
			g.money[i].count += m.count
		} else {
			g.money = append(g.money, m)
		}
	}
	for i := range g.dur {
		g.dur[i].merge(&o.dur[i])
	}
}

// invalidAnswers counts the group's out-of-range answers and states.
func (g *groupStats) invalidAnswers(a *Aggregator) int64 {
	n := g.csat[6] + g.csat[7] + g.nps[11] + g.ces[8] + g.fu[3]
	for p := range numPrio {
		for m := range a.cfg.SLAMetrics {
			n += g.sla(a, p, m)[5]
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

// interner maps strings to dense ids. The map is built on first use, so
// that a decoded accumulator that is only merged into others, read or
// re-encoded never pays for it.
type interner struct {
	ids  map[string]uint32
	vals []string
}

func (in *interner) id(s string) uint32 {
	if in.ids == nil {
		in.ids = make(map[string]uint32, len(in.vals))
		for i, v := range in.vals {
			in.ids[v] = uint32(i)
		}
	}
	if id, ok := in.ids[s]; ok {
		return id
	}
	id := uint32(len(in.vals))
	in.vals = append(in.vals, s)
	in.ids[s] = id
	return id
}

// strTable is a small open-addressed table in front of the interner,
// keyed by a string's contents: its length and, as strWords gives them, its
// first and last bytes — all of them for strings of at most 16 bytes, so
// that for those one comparison of three words replaces hashing the string
// and comparing its bytes. A longer string is compared with the interned
// one as well. Hosts fill dimension fields from few distinct values, each
// usually at an address of its own (decoded from JSON, CSV or a database):
// the table holds them all and spares the map. It holds at most
// strTableMax strings; past that, strings it does not hold go to the
// interner's map, so adversarial input costs a map lookup, not memory. It
// caches the interner, whose ids never change: it changes no id.
type strTable struct {
	e [strTableSize]strEntry
	n int // entries in use
}

// strTableBits sizes strTable: 2^8 slots, at most half of them used.
const (
	strTableBits = 8
	strTableSize = 1 << strTableBits
	strTableMax  = strTableSize / 2
)

// strEntry is one string of a strTable. The zero entry is an empty slot:
// no string has nl 0.
type strEntry struct {
	w0, w1 uint64 // strWords
	nl     uint32 // length + 1, truncated (longer strings compare in full)
	id     uint32 // interned id
}

// le64 and le32 read the first 8 or 4 bytes of s, little-endian (one load
// each on the usual targets).
func le64(s string) uint64 {
	_ = s[7]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24 |
		uint64(s[4])<<32 | uint64(s[5])<<40 | uint64(s[6])<<48 | uint64(s[7])<<56
}

func le32(s string) uint64 {
	_ = s[3]
	return uint64(s[0]) | uint64(s[1])<<8 | uint64(s[2])<<16 | uint64(s[3])<<24
}

// strWords returns two words of s's bytes: the first and the last 8 of a
// string of 8 bytes or more; the first and the last 4, or the first,
// middle and last byte, of a shorter one. Together with the length they
// determine every string of at most 16 bytes.
func strWords(s string) (w0, w1 uint64) {
	switch n := len(s); {
	case n >= 8:
		return le64(s), le64(s[n-8:])
	case n >= 4:
		return le32(s) | le32(s[n-4:])<<32, 0
	case n > 0:
		return uint64(s[0]) | uint64(s[(n-1)>>1])<<8 | uint64(s[n-1])<<16, 0
	}
	return 0, 0
}

// strSlot is the first slot of a string with words w0, w1 and length n.
func strSlot(w0, w1 uint64, n int) uint64 {
	h := (w0+uint64(n))*0x9e3779b97f4a7c15 ^ (w1+0x632be59bd9b4e019)*0xbf58476d1ce4e5b9
	return h >> (64 - strTableBits)
}

// id returns the interned id of s, whose words are w0, w1.
func (t *strTable) id(s string, w0, w1 uint64, in *interner) uint32 {
	nl := uint32(len(s)) + 1
	for i := strSlot(w0, w1, len(s)); ; i = (i + 1) & (strTableSize - 1) {
		e := &t.e[i]
		if e.nl == 0 {
			id := in.id(s)
			if t.n < strTableMax {
				*e = strEntry{w0: w0, w1: w1, nl: nl, id: id}
				t.n++
			}
			return id
		}
		if e.w0 == w0 && e.w1 == w1 && e.nl == nl && (len(s) <= 16 || in.vals[e.id] == s) {
			return e.id
		}
	}
}

// same reports whether a and b are the same bytes (not only equal ones).
func same(a, b string) bool {
	return unsafe.StringData(a) == unsafe.StringData(b) && len(a) == len(b)
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

// reserve sizes the table for n groups, keys[:len(keys)] already in it.
func (t *groupTable) reserve(n int, keys []groupKey) {
	size := 16
	for 2*n > size {
		size *= 2
	}
	if size <= len(t.slots) {
		return
	}
	t.slots = make([]int32, size)
	t.n = 0
	for j := range len(keys) {
		t.put(int32(j), keys)
	}
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
	agg       *Aggregator
	strs      interner
	groupOf   keyCache
	byContent wordCache
	dims      strTable
	index     groupTable
	keys      []groupKey
	groups    []groupStats
	arena     []int64 // unused tail of the chunk groups' ext slices come from
	invalid   int64
	tot       totals
	periods   periodCache
}

// totals are sums over all groups of the figures whose records can add
// more than one each. They bound every partial sum — a group, a roll-up,
// the result's total — so that Add and Merge can refuse what would leave
// int64 by looking here only. They are a function of the groups (Decode
// and Rollup recompute them).
type totals struct {
	tickets int64
	reopens int64
	compNum int64
	compDen int64
	money   []money // per currency: Σ over groups of |minor|, and count
}

// NewAccumulator returns an empty accumulator (the combine step's
// CreateAccumulator).
func (a *Aggregator) NewAccumulator() *Accumulator {
	return &Accumulator{agg: a}
}

// Aggregator returns the configuration acc was created with.
func (acc *Accumulator) Aggregator() *Aggregator { return acc.agg }

// Add counts one record (AddInput). Invalid fields (a CSAT of 9, a response
// before receipt, ...) are skipped and counted in Result.Invalid; the rest
// of the record still counts. In steady state (no new group, period or
// currency, no sketch growth) Add does not allocate.
func (acc *Accumulator) Add(r *Record) {
	a := acc.agg
	var period int64
	if a.cfg.Period != PeriodNone {
		period = acc.periods.start(r.Received, a)
	}
	// The group, by the addresses of the record's dimension strings
	// (keyCache) or, on a miss, by their contents (byWords). The miss
	// counts on its own path: its call would otherwise have the hit path
	// reload what it keeps in registers.
	var h uint64
	km := keyMul[:len(a.dimOff)]
	for i, off := range a.dimOff {
		s := fieldAt(r, off)
		h = (h + uint64(uintptr(unsafe.Pointer(unsafe.StringData(s)))) + uint64(len(s))) * km[i]
	}
	h = (h + uint64(period)) * 0x9e3779b97f4a7c15
	i := h >> (64 - keyCacheBits)
	var gi int32
	if e := &acc.groupOf[i]; e.holds(r, period, a.dimOff) {
		gi = e.gi
	} else if e = &acc.groupOf[i^1]; e.holds(r, period, a.dimOff) {
		gi = e.gi
	} else {
		acc.count(r, &acc.groups[acc.byWords(r, period, i)], a.isComplaint(r.Kind))
		return
	}
	acc.count(r, &acc.groups[gi], a.isComplaint(r.Kind))
}

// count adds record r, whose group is g, to the counters; complaint is
// whether its kind counts as a complaint. It is a function of its own so
// that the lookups before it (and their calls, on a miss) leave it all the
// registers.
func (acc *Accumulator) count(r *Record, g *groupStats, complaint bool) {
	a := acc.agg
	// Records cannot reach MaxRecords through Add (2^53 calls), so the
	// ticket total needs no check here.
	acc.tot.tickets++
	// The record's counts, here rather than in a function of their own:
	// a call would spill and reload what both need. Invalid fields count
	// in acc.invalid directly: a register for them costs more.
	// Answers and states count in fixed buckets, out-of-range values in an
	// invalid bucket: no data-dependent branches.
	g.tickets++
	g.complaints += b2i(complaint)
	g.csat[min(r.CSAT, 7)]++
	// Unanswered: slot 12, without a branch (NPSAnswered is data).
	ans := b2i(r.NPSAnswered)
	g.nps[int64(min(r.NPS, 11))&-ans|12&^-ans]++
	g.ces[min(r.CES, 8)]++
	res := b2i(!r.Resolved.IsZero())
	g.resolved += res
	g.fcr += res & b2i(r.FirstContactResolved)
	g.closed += b2i(!r.Closed.IsZero())
	// A reopen count whose addition would take the accumulator's total
	// past int64 is invalid and counts as none (so reopened ≤ reopens
	// holds in every group).
	rc := int64(max(r.ReopenCount, 0))
	okRC := b2i(rc <= math.MaxInt64-acc.tot.reopens)
	rc &= -okRC
	acc.invalid += 1 - okRC
	acc.tot.reopens += rc
	reopened := b2i(rc > 0)
	g.reopened += reopened
	g.reopens += rc
	g.everResolved += res | reopened
	id := b2i(r.CustomerID != "")
	g.identified += id
	g.repeat += id & b2i(r.Repeat)
	sent := b2i(r.SurveySent)
	g.surveySent += sent
	// A valid answer of any survey (uint8 arithmetic wraps 0 to 255).
	g.surveyResp += sent & (b2i(r.CSAT-1 < 5) | b2i(r.NPSAnswered)&b2i(r.NPS <= 10) | b2i(r.CES-1 < 7))
	g.fu[min(r.FollowUp, 3)]++
	if nm := len(a.cfg.SLAMetrics); nm == MaxSLAMetrics {
		// The usual four metrics, unrolled: one bounds check.
		const w = MaxSLAMetrics * numSLA
		p := prioIndex(r.Priority) * w
		sla := (*[w]int64)(g.ext[p : p+w])
		sla[min(r.SLA[0], 5)]++
		sla[numSLA+int(min(r.SLA[1], 5))]++
		sla[2*numSLA+int(min(r.SLA[2], 5))]++
		sla[3*numSLA+int(min(r.SLA[3], 5))]++
	} else if nm > 0 {
		sla := g.ext[prioIndex(r.Priority)*nm*numSLA:]
		for m := range nm {
			sla[m*numSLA+int(min(r.SLA[m], 5))]++
		}
	}
	// Before the durations, which then need neither a nor the registers
	// the call clobbers (the end reads the aggregator from acc).
	if a.hasAsOf || r.CompensationMinor != 0 || a.defWeights != nil {
		acc.countMore(r, g)
	}
	// Durations, each where the record gives it: counted in its summary
	// (add) and, when the table gives its index and the dense store holds
	// its bin, bumped there (lookup and binAt, inline) — four copies of
	// straight code instead of a list and a loop over it, whose
	// bookkeeping and registers cost more. What needs more — the library's
	// index, a bin outside the dense store — is marked and done at the
	// end, so that no call comes before the last duration. Instant
	// differences via UnixNano: cheaper than time.Time.Sub and exact for
	// instants between the years 1678 and 2262.
	cb := a.cellBins
	var vs [numDur]int64
	slow := 0 // durations whose bin the end finds and bumps
	rec, hasRec := r.Received.UnixNano(), !r.Received.IsZero()
	if !r.FirstResponse.IsZero() {
		if v := r.FirstResponse.UnixNano() - rec; !hasRec || v < 0 {
			acc.invalid++
		} else if d := &g.dur[durFirstResponseElapsed]; d.add(v) {
			if b := d.store.binAt(cb.lookup(v)); b != nil {
				*b++
			} else {
				vs[durFirstResponseElapsed], slow = v, slow|1<<durFirstResponseElapsed
			}
		}
		if r.BusinessTimes {
			if v := int64(r.FirstResponseBusiness); v < 0 {
				acc.invalid++
			} else if d := &g.dur[durFirstResponseBusiness]; d.add(v) {
				if b := d.store.binAt(cb.lookup(v)); b != nil {
					*b++
				} else {
					vs[durFirstResponseBusiness], slow = v, slow|1<<durFirstResponseBusiness
				}
			}
		}
	}
	if !r.Resolved.IsZero() { // tested again: cheaper than a register held since res
		if v := r.Resolved.UnixNano() - rec; !hasRec || v < 0 {
			acc.invalid++
		} else if d := &g.dur[durResolutionElapsed]; d.add(v) {
			if b := d.store.binAt(cb.lookup(v)); b != nil {
				*b++
			} else {
				vs[durResolutionElapsed], slow = v, slow|1<<durResolutionElapsed
			}
		}
		if r.BusinessTimes {
			if v := int64(r.ResolutionBusiness); v < 0 {
				acc.invalid++
			} else if d := &g.dur[durResolutionBusiness]; d.add(v) {
				if b := d.store.binAt(cb.lookup(v)); b != nil {
					*b++
				} else {
					vs[durResolutionBusiness], slow = v, slow|1<<durResolutionBusiness
				}
			}
		}
	}
	for ; slow != 0; slow &= slow - 1 {
		k := bits.TrailingZeros(uint(slow)) & (numDur - 1)
		if s, i := &g.dur[k].store, acc.agg.index(vs[k]); !s.bump(i) {
			s.addSlow(i, 1)
		}
	}
}

// countMore adds what only some configurations or records have: the
// backlog (Config.AsOf), compensation and the satisfaction dimensions
// (Config.Composite). A call of its own: count calls it only when there is
// something to add, and so saves and restores its registers only then.
//
//go:noinline
func (acc *Accumulator) countMore(r *Record, g *groupStats) {
	a := acc.agg
	if a.hasAsOf {
		g.addBacklog(r, r.Received.UnixNano(), a)
	}
	if r.CompensationMinor != 0 && !acc.addMoney(g, r.Currency, r.CompensationMinor) {
		acc.invalid++
	}
	if a.defWeights != nil {
		acc.invalid += acc.addSat(g, r)
	}
}

// keyCacheBits sizes keyCache: 2^7 entries, in pairs (two ways).
const keyCacheBits = 7

// keyCache.fill and the content lookups (byWords, wordCache, keyIs) index
// by i&(MaxGroupDims-1), which needs MaxGroupDims to be a power of two
// (this does not compile otherwise). Add's hash and keyCacheEntry.holds,
// on every record, slice their arrays to the dimensions' count instead:
// one bounds check, no mask per dimension.
var _ [0]struct{} = [MaxGroupDims & (MaxGroupDims - 1)]struct{}{}

// keyMul are odd multipliers mixing the dimensions into keyCache's hash.
var keyMul = [MaxGroupDims]uint64{0x9e3779b97f4a7c15, 0xbf58476d1ce4e5b9, 0x94d049bb133111eb, 0xd6e8feb86659fd93}

// keyCache maps the addresses of a record's dimension strings (and its
// period) to its group, so that the usual Add — fields filled from a few
// shared strings — finds its group with one hash and one comparison of
// addresses, instead of interning each string and probing the group table.
// It needs the very same bytes to hit (the cached strings keep them alive),
// and a miss takes the full path, so correctness never depends on
// addresses. Records decoded afresh (each string at an address of its own)
// miss every time and take the full path, which for them is the content
// lookups of strTable and the group table; the cache costs them a hash of
// the addresses and the fill.
type keyCache [1 << keyCacheBits]keyCacheEntry

type keyCacheEntry struct {
	s      [MaxGroupDims]string
	period int64
	gi     int32
	ok     bool
}

// holds reports whether e is the entry of r's dimension strings and
// period.
func (e *keyCacheEntry) holds(r *Record, period int64, dimOff []uintptr) bool {
	if !e.ok || e.period != period {
		return false
	}
	s := e.s[:len(dimOff)]
	for i, off := range dimOff {
		if !same(s[i], fieldAt(r, off)) {
			return false
		}
	}
	return true
}

// fill caches group gi, r's, by the addresses of r's dimension strings
// in slot i or, if that is taken and its pair is free, the pair.
func (c *keyCache) fill(i uint64, r *Record, period int64, gi int32, dimOff []uintptr) {
	e := &c[i]
	if e.ok && !c[i^1].ok {
		e = &c[i^1]
	}
	for i, off := range dimOff {
		e.s[i&(MaxGroupDims-1)] = fieldAt(r, off)
	}
	e.period, e.gi, e.ok = period, gi, true
}

// groupWords are the strWords and lengths (+ 1; 18 for all longer than 16
// bytes) of a record's dimension strings, in GroupBy order. They determine
// strings of at most 16 bytes.
type groupWords struct {
	w  [MaxGroupDims][2]uint64
	nl [MaxGroupDims]uint32
}

// wordCache maps the contents of a record's dimension strings (and its
// period) to its group, so that the usual Add — few distinct dimension
// values, whether in strings shared by all records or decoded afresh into
// each — finds its group with one hash of the strings' strWords and one
// comparison of them, instead of interning each string and probing the
// group table. Entries whose strings are all of at most 16 bytes are
// compared by their words alone; an entry with a longer string (long)
// needs the full comparison of the record's strings with the group's too
// (keyIs).
type wordCache [1 << keyCacheBits]wordEntry

type wordEntry struct {
	ws     groupWords
	period int64
	gi     int32 // group index + 1; 0: empty
	long   bool  // a string is longer than 16 bytes
}

// holds reports whether e's words and period are ws and period, in the
// first nd dimensions: whether e is the record's entry, unless e.long.
func (e *wordEntry) holds(ws *groupWords, period int64, nd int) bool {
	if e.gi == 0 || e.period != period {
		return false
	}
	for j := range nd {
		j &= MaxGroupDims - 1
		if e.ws.w[j] != ws.w[j] || e.ws.nl[j] != ws.nl[j] {
			return false
		}
	}
	return true
}

// fill finds r's group, whose strings' words are ws, the full way
// (strTable and interner, group table, a new group if needed) and caches
// it in slot i or, if that is taken and its pair is free, the pair. k
// holds r's period.
//
//go:noinline
func (c *wordCache) fill(i uint64, ws *groupWords, k *groupKey, r *Record, acc *Accumulator) *wordEntry {
	dimOff := acc.agg.dimOff
	long := false
	for j, off := range dimOff {
		j &= MaxGroupDims - 1
		k.ids[j] = acc.dims.id(fieldAt(r, off), ws.w[j][0], ws.w[j][1], &acc.strs)
		long = long || ws.nl[j] > 17
	}
	gi := acc.index.find(k, acc.keys)
	if gi < 0 {
		gi = acc.newGroup(*k)
	}
	e := &c[i]
	if e.gi != 0 && c[i^1].gi == 0 {
		e = &c[i^1]
	}
	*e = wordEntry{ws: *ws, period: k.period, gi: gi + 1, long: long}
	return e
}

// keyIs reports whether r's dimension strings are those of group gi.
func (acc *Accumulator) keyIs(gi int32, r *Record) bool {
	for j, off := range acc.agg.dimOff {
		if acc.strs.vals[acc.keys[gi].ids[j&(MaxGroupDims-1)]] != fieldAt(r, off) {
			return false
		}
	}
	return true
}

// byWords returns the index of r's group, whose period is period, by the
// contents of its dimension strings (wordCache); on a miss there, by their
// interned ids (strTable, interner) in the group table, and then it caches
// the group in both wordCache and keyCache (slot ki). Add calls it when
// the strings' addresses miss keyCache: for records decoded afresh, always;
// they do not take keyCache slots from the strings shared by many records,
// which fill it on their first record.
//
//go:noinline
func (acc *Accumulator) byWords(r *Record, period int64, ki uint64) int32 {
	a := acc.agg
	k := groupKey{period: period}
	// strWords in line: a call here costs.
	var ws groupWords
	h := uint64(k.period)
	for i, off := range a.dimOff {
		s := fieldAt(r, off)
		var w0, w1 uint64
		switch n := len(s); {
		case n >= 8:
			w0, w1 = le64(s), le64(s[n-8:])
		case n >= 4:
			w0 = le32(s) | le32(s[n-4:])<<32
		case n > 0:
			w0 = uint64(s[0]) | uint64(s[(n-1)>>1])<<8 | uint64(s[n-1])<<16
		}
		j := i & (MaxGroupDims - 1)
		// Lengths past 16 count as 17: such strings compare in full.
		ws.w[j][0], ws.w[j][1], ws.nl[j] = w0, w1, uint32(min(len(s), 17))+1
		h = (h+w0+uint64(len(s)))*keyMul[j] ^ w1
	}
	i := (h ^ h>>29) * 0x9e3779b97f4a7c15 >> (64 - keyCacheBits)
	e := &acc.byContent[i]
	if !e.holds(&ws, k.period, len(a.dimOff)) || e.long && !acc.keyIs(e.gi-1, r) {
		if e = &acc.byContent[i^1]; !e.holds(&ws, k.period, len(a.dimOff)) || e.long && !acc.keyIs(e.gi-1, r) {
			e = acc.byContent.fill(i, &ws, &k, r, acc)
			acc.groupOf.fill(ki, r, period, e.gi-1, a.dimOff)
		}
	}
	return e.gi - 1
}

func (acc *Accumulator) newGroup(k groupKey) int32 {
	gi := int32(len(acc.groups))
	acc.groups = append(acc.groups, groupStats{ext: acc.newExt()})
	acc.keys = append(acc.keys, k)
	acc.index.insert(gi, acc.keys)
	return gi
}

// newExt returns a zeroed ext slice for a new group, cut from a chunk
// shared with the groups made before it (fewer, larger allocations).
func (acc *Accumulator) newExt() []int64 {
	n := acc.agg.extLen
	if n == 0 {
		return nil
	}
	if len(acc.arena) < n {
		acc.arena = make([]int64, n*max(8, min(len(acc.groups)/2, 1024)))
	}
	e := acc.arena[:n:n]
	acc.arena = acc.arena[n:]
	return e
}

// reserve pre-sizes acc for ng more groups (Decode knows the count).
func (acc *Accumulator) reserve(ng int) {
	acc.groups = slices.Grow(acc.groups, ng)
	acc.keys = slices.Grow(acc.keys, ng)
	if n := acc.agg.extLen * ng; n > len(acc.arena) {
		acc.arena = make([]int64, n)
	}
	acc.index.reserve(len(acc.groups)+ng, acc.keys)
}

// ErrMismatch is returned when merging or decoding state built under a
// different configuration.
var ErrMismatch = errors.New("metrics: accumulators of different configurations")

// ErrOverflow is wrapped by the errors of merges (and decodings) whose
// result would count more than MaxRecords records or take a sum past the
// range of int64; see OverflowError.
var ErrOverflow = errors.New("metrics: sum out of range")

// MaxRecords is the most records one accumulator may count: 2^53, so that
// every count is exact as a float64 too (ratios, quantile ranks) and every
// sum of counts fits an int64 with room to spare. Add cannot reach it (that
// takes 2^53 calls); Merge and decoding refuse to exceed it.
const MaxRecords = 1 << 53

// OverflowError is the error of a merge refused because a combined figure
// would leave its range; the receiver is unchanged. It wraps ErrOverflow.
type OverflowError struct {
	// Figure names the sum: "records", "reopens", "composite", "invalid"
	// or "compensation CNY" (the sum of a currency's group magnitudes).
	Figure string
}

// Error describes the refused sum.
func (e *OverflowError) Error() string {
	return fmt.Sprintf("%v: merged %s would exceed its limit", ErrOverflow, e.Figure)
}

// Unwrap returns ErrOverflow.
func (e *OverflowError) Unwrap() error { return ErrOverflow }

// canAdd reports whether the totals of two accumulators can be added.
func (t *totals) canAdd(o *totals) error {
	if t.tickets > MaxRecords-o.tickets {
		return &OverflowError{"records"}
	}
	if t.reopens > math.MaxInt64-o.reopens {
		return &OverflowError{"reopens"}
	}
	if t.compNum > math.MaxInt64-o.compNum || t.compDen > math.MaxInt64-o.compDen {
		return &OverflowError{"composite"}
	}
	currencies := len(t.money)
	for _, m := range o.money {
		i := moneyIndex(t.money, m.currency)
		if i >= 0 && t.money[i].minor > math.MaxInt64-m.minor {
			return &OverflowError{"compensation " + m.currency}
		}
		if i < 0 {
			currencies++
		}
	}
	if currencies > MaxCurrencies {
		return fmt.Errorf("%w: merged accumulators count compensation in more than %d currencies", ErrLimit, MaxCurrencies)
	}
	return nil
}

// Merge adds o's state into acc (MergeAccumulators); o is unchanged.
// Merging is exact: any split of the records into shards, merged in any
// order, gives the same Result as accumulating them in one go. It refuses
// (ErrMismatch) state of another configuration, and (*OverflowError) a
// merge whose result would count more than MaxRecords records or whose
// sums of reopen counts, composite weights or a currency's group
// magnitudes would exceed 2^63−1, and (ErrLimit) one counting compensation
// in more than MaxCurrencies currencies — checked before anything changes,
// so acc is unchanged on error and no count ever wraps.
func (acc *Accumulator) Merge(o *Accumulator) error {
	if acc.agg.fingerprint != o.agg.fingerprint {
		return ErrMismatch
	}
	if err := acc.tot.canAdd(&o.tot); err != nil {
		return err
	}
	if acc.invalid > math.MaxInt64-o.invalid {
		return &OverflowError{"invalid"}
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
		acc.mergeGroup(&acc.groups[gi], &o.groups[i])
	}
	acc.invalid += o.invalid
	return nil
}

// mergeGroup merges o into g and keeps acc's totals, which the caller has
// checked can absorb o's.
func (acc *Accumulator) mergeGroup(g, o *groupStats) {
	acc.tot.tickets += o.tickets
	acc.tot.reopens += o.reopens
	acc.tot.compNum += o.compNum
	acc.tot.compDen += o.compDen
	for _, m := range o.money {
		old := int64(0)
		if i := moneyIndex(g.money, m.currency); i >= 0 {
			old = g.money[i].minor
		}
		ti := moneyIndex(acc.tot.money, m.currency)
		if ti < 0 {
			acc.tot.money = append(acc.tot.money, money{currency: m.currency})
			ti = len(acc.tot.money) - 1
		}
		// |old+m| ≤ |old|+|m|, so the magnitude stays within the checked bound.
		t := &acc.tot.money[ti]
		t.minor += abs64(old+m.minor) - abs64(old)
		t.count += m.count
	}
	g.merge(o)
}

// recomputeTotals sets acc.tot from the groups (after Rollup).
func (acc *Accumulator) recomputeTotals() {
	acc.tot = totals{}
	for i := range acc.groups {
		g := &acc.groups[i]
		acc.tot.tickets += g.tickets
		acc.tot.reopens += g.reopens
		acc.tot.compNum += g.compNum
		acc.tot.compDen += g.compDen
		for _, m := range g.money {
			ti := moneyIndex(acc.tot.money, m.currency)
			if ti < 0 {
				acc.tot.money = append(acc.tot.money, money{currency: m.currency})
				ti = len(acc.tot.money) - 1
			}
			acc.tot.money[ti].minor += abs64(m.minor)
			acc.tot.money[ti].count += m.count
		}
	}
}

// Len returns the number of groups.
func (acc *Accumulator) Len() int { return len(acc.groups) }

// addInt64 returns x+y and whether it did not overflow.
func addInt64(x, y int64) (int64, bool) {
	s := x + y
	return s, (s > x) == (y > 0)
}

// abs64 is |x| for x > math.MinInt64.
func abs64(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}
