package metrics

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"math"
	"math/bits"
	"slices"
	"strings"
	"time"
)

// Serialised accumulators are an envelope
//
//	"CLMA" | version (1 byte) | kind (1 byte) | config fingerprint (8 bytes LE)
//	| payload (varints) | CRC-32C of everything before (4 bytes LE)
//
// The fingerprint ties the state to the configuration that built it; the
// checksum catches corruption; the decoder then checks every count and
// invariant, so a value it accepts is one that Add and Merge could have
// produced.

const (
	codecMagic   = "CLMA"
	codecVersion = 1
	headerLen    = 4 + 1 + 1 + 8
	trailerLen   = 4

	kindKPI        = 1
	kindCrossTab   = 2
	kindHourOfWeek = 3
)

// Decoding errors. Every refused encoding is a *DecodeError wrapping one
// of them (or ErrMismatch, or ErrOverflow).
var (
	ErrCorrupt = errors.New("metrics: corrupt accumulator encoding")
	ErrVersion = errors.New("metrics: unsupported accumulator encoding version")
	ErrLimit   = errors.New("metrics: beyond a documented limit")
)

// MaxEncodedLen is the longest accumulator encoding the decoders read
// (1 GiB), and MarshalBinary writes.
const MaxEncodedLen = 1 << 30

// DecodeError is the error of an encoding a decoder refuses. Path names
// the offending element — "strings[3]", "groups[12].csat[7]",
// "groups[0].resolution_elapsed.bins[4]", "groups[5].sla.first_response"
// for an invariant over several counters; "length", "header", "checksum",
// "version", "kind" or "fingerprint" for the envelope — and Offset the
// byte of the encoding where it starts (or where the problem shows). Err is ErrCorrupt, ErrVersion,
// ErrMismatch, ErrLimit or ErrOverflow, so errors.Is works on it.
type DecodeError struct {
	Path   string
	Offset int
	Reason string
	Err    error
}

// Error describes the refusal.
func (e *DecodeError) Error() string {
	return fmt.Sprintf("%v: %s: %s (byte %d)", e.Err, e.Path, e.Reason, e.Offset)
}

// Unwrap returns the sentinel error.
func (e *DecodeError) Unwrap() error { return e.Err }

var crcTable = crc32.MakeTable(crc32.Castagnoli)

func appendHeader(b []byte, kind byte, fp uint64) []byte {
	b = append(b, codecMagic...)
	b = append(b, codecVersion, kind)
	return binary.LittleEndian.AppendUint64(b, fp)
}

// appendTrailer appends the checksum of b[start:] and refuses encodings
// the decoders would refuse as too long.
func appendTrailer(b []byte, start int) ([]byte, error) {
	if len(b)-start+trailerLen > MaxEncodedLen {
		return nil, fmt.Errorf("%w: encoding of %d bytes exceeds MaxEncodedLen", ErrLimit, len(b)-start+trailerLen)
	}
	return binary.LittleEndian.AppendUint32(b, crc32.Checksum(b[start:], crcTable)), nil
}

// openEnvelope checks length, magic, version, kind, fingerprint and
// checksum and returns the payload.
func openEnvelope(b []byte, kind byte, fp uint64) ([]byte, error) {
	return openEnvelopeMax(b, kind, fp, MaxEncodedLen)
}

// openEnvelopeMax is openEnvelope with the length limit as a parameter,
// for the tests.
func openEnvelopeMax(b []byte, kind byte, fp uint64, maxLen int) ([]byte, error) {
	bad := func(err error, path string, off int, format string, args ...any) error {
		return &DecodeError{Path: path, Offset: off, Reason: fmt.Sprintf(format, args...), Err: err}
	}
	if len(b) > maxLen {
		return nil, bad(ErrLimit, "length", maxLen, "%d bytes exceed the limit of %d", len(b), maxLen)
	}
	if len(b) < headerLen+trailerLen || string(b[:4]) != codecMagic {
		return nil, bad(ErrCorrupt, "header", 0, "bad header")
	}
	n := len(b) - trailerLen
	if crc32.Checksum(b[:n], crcTable) != binary.LittleEndian.Uint32(b[n:]) {
		return nil, bad(ErrCorrupt, "checksum", n, "checksum mismatch")
	}
	if b[4] != codecVersion {
		return nil, bad(ErrVersion, "version", 4, "version %d", b[4])
	}
	if b[5] != kind {
		return nil, bad(ErrCorrupt, "kind", 5, "accumulator kind %d, want %d", b[5], kind)
	}
	if binary.LittleEndian.Uint64(b[6:]) != fp {
		return nil, bad(ErrMismatch, "fingerprint", 6, "configuration fingerprint differs")
	}
	return b[headerLen:n], nil
}

type encoder struct{ b []byte }

func (e *encoder) u(v uint64) { e.b = binary.AppendUvarint(e.b, v) }
func (e *encoder) n(v int64)  { e.b = binary.AppendUvarint(e.b, uint64(v)) }
func (e *encoder) i(v int64)  { e.b = binary.AppendVarint(e.b, v) }
func (e *encoder) s(v string) { e.u(uint64(len(v))); e.b = append(e.b, v...) }

// decoder reads a payload and remembers where it is, so that a refusal
// names the element; nothing is formatted until something fails.
type decoder struct {
	b     []byte
	size  int // payload length, for offsets
	err   *DecodeError
	a     *Aggregator // for counter names; nil outside the KPI codec
	group int         // current group, -1 outside
	field string      // current element
	index int         // its index, -1 none
	ctr   int         // counter number (a.counterName), -1 none
	at    int         // offset where the element starts
}

func newDecoder(payload []byte, a *Aggregator) *decoder {
	return &decoder{b: payload, size: len(payload), a: a, group: -1, index: -1, ctr: -1}
}

// off is the current offset in the whole encoding.
func (d *decoder) off() int { return headerLen + d.size - len(d.b) }

// loc sets the element being read.
func (d *decoder) loc(field string, index int) {
	d.field, d.index, d.ctr, d.at = field, index, -1, d.off()
}

func (d *decoder) path() string {
	var b strings.Builder
	if d.group >= 0 {
		fmt.Fprintf(&b, "groups[%d]", d.group)
	}
	field := d.field
	if d.ctr >= 0 && d.a != nil {
		field = d.a.counterName(d.ctr)
	}
	if field != "" {
		if b.Len() > 0 {
			b.WriteByte('.')
		}
		b.WriteString(field)
	}
	if d.index >= 0 {
		fmt.Fprintf(&b, "[%d]", d.index)
	}
	return b.String()
}

func (d *decoder) failErr(err error, format string, args ...any) {
	if d.err == nil {
		d.err = &DecodeError{Path: d.path(), Offset: d.at, Reason: fmt.Sprintf(format, args...), Err: err}
	}
}

func (d *decoder) fail(format string, args ...any) { d.failErr(ErrCorrupt, format, args...) }

// u reads a canonical (shortest) unsigned varint, so that an accepted
// encoding re-encodes to the same bytes.
func (d *decoder) u() uint64 {
	if d.err != nil {
		return 0
	}
	v, k := binary.Uvarint(d.b)
	if k <= 0 {
		d.fail("truncated or overlong varint")
		return 0
	}
	if k > 1 && d.b[k-1] == 0 {
		d.fail("varint not in shortest form")
		return 0
	}
	d.b = d.b[k:]
	return v
}

// n reads a non-negative int64.
func (d *decoder) n() int64 {
	v := d.u()
	if v > math.MaxInt64 {
		d.fail("count %d out of range", v)
		return 0
	}
	return int64(v)
}

// i reads a zig-zag varint.
func (d *decoder) i() int64 {
	v := d.u()
	return int64(v>>1) ^ -int64(v&1)
}

// count reads a length that must be at most limit; limit is what the
// remaining input can hold at all, so a count that passes bounds every
// allocation made for it by the input's size.
func (d *decoder) count(limit int, what string) int {
	v := d.u()
	if v > uint64(max(limit, 0)) {
		d.fail("%d %s cannot fit in the %d bytes left", v, what, len(d.b))
		return 0
	}
	return int(v)
}

func (d *decoder) s() string {
	v := d.u()
	if d.err == nil && v > uint64(len(d.b)) {
		d.fail("string length %d exceeds input", v)
	}
	if d.err != nil {
		return ""
	}
	n := int(v)
	str := string(d.b[:n])
	d.b = d.b[n:]
	return str
}

// strings reads n distinct strings (an interner's values; its map is
// built when first needed). Duplicates are found by sorting, which costs
// four bytes a string instead of a map.
func (d *decoder) strings(n int) []string {
	if n == 0 || d.err != nil {
		return nil
	}
	vals := make([]string, n)
	for i := range vals {
		d.loc("strings", i)
		vals[i] = d.s()
		if d.err != nil {
			return nil
		}
	}
	order := make([]int32, n)
	for i := range order {
		order[i] = int32(i)
	}
	slices.SortFunc(order, func(x, y int32) int { return strings.Compare(vals[x], vals[y]) })
	for i := 1; i < n; i++ {
		if vals[order[i]] == vals[order[i-1]] {
			d.loc("strings", int(max(order[i], order[i-1])))
			d.at = headerLen
			d.fail("duplicate string %q", vals[order[i]])
			return nil
		}
	}
	return vals
}

func (d *decoder) check(ok bool, what string) {
	if !ok {
		d.fail("%s", what)
	}
}

// finish refuses trailing bytes and returns the error, if any.
func (d *decoder) finish() error {
	if d.err == nil && len(d.b) != 0 {
		d.group = -1
		d.loc("trailing", -1)
		d.fail("%d bytes after the last element", len(d.b))
	}
	if d.err != nil {
		return d.err
	}
	return nil
}

// MarshalBinary serialises the accumulator (a combine step's coder). It
// fails only for state beyond the decoders' limits (ErrLimit).
func (acc *Accumulator) MarshalBinary() ([]byte, error) { return acc.AppendBinary(nil) }

// AppendBinary appends the serialised accumulator to b.
func (acc *Accumulator) AppendBinary(b []byte) ([]byte, error) {
	a := acc.agg
	start := len(b)
	b = slices.Grow(b, 64+len(acc.groups)*(a.minGroupLen()+64))
	e := encoder{appendHeader(b, kindKPI, a.fingerprint)}
	e.n(acc.invalid)
	e.u(uint64(len(acc.strs.vals)))
	for _, s := range acc.strs.vals {
		e.s(s)
	}
	e.u(uint64(len(acc.groups)))
	for i := range acc.groups {
		k := &acc.keys[i]
		for j := range a.cfg.GroupBy {
			e.u(uint64(k.ids[j]))
		}
		e.i(k.period)
		g := &acc.groups[i]
		a.eachCounter(g, func(_ int, p *int64) { e.n(*p) })
		e.u(uint64(len(g.money)))
		for _, m := range g.money {
			e.s(m.currency)
			e.i(m.minor)
			e.n(m.count)
		}
		for j := range g.dur {
			encodeDur(&e, &g.dur[j])
		}
	}
	out, err := appendTrailer(e.b, start)
	if err != nil {
		return b[:start], err
	}
	return out, nil
}

// numCounters is the number of plain counters a group encodes.
func (a *Aggregator) numCounters() int {
	n := 2 + 8 + 13 + 9 + 4 + 10 + len(a.cfg.SLAMetrics)*numPrio*numSLA
	if a.hasAsOf {
		n += 1 + len(a.agingEdges) + 1
	}
	if c := a.cfg.Composite; c != nil {
		n += 2*len(c.Dimensions) + 3
	}
	return n
}

// minGroupLen is the fewest bytes a group's encoding takes: one per key
// id, period, counter, currency count and duration. Decoding bounds the
// number of groups (and so every per-group allocation) by it.
func (a *Aggregator) minGroupLen() int {
	return len(a.cfg.GroupBy) + 1 + a.numCounters() + 1 + numDur
}

// eachCounter calls f with the number and address of each of the group's
// plain counters, in encoding order.
func (a *Aggregator) eachCounter(g *groupStats, f func(k int, p *int64)) {
	k := 0
	put := func(p *int64) { f(k, p); k++ }
	put(&g.tickets)
	put(&g.complaints)
	for i := range g.csat {
		put(&g.csat[i])
	}
	for i := range g.nps {
		put(&g.nps[i])
	}
	for i := range g.ces {
		put(&g.ces[i])
	}
	for i := range g.fu {
		put(&g.fu[i])
	}
	for _, p := range [...]*int64{&g.resolved, &g.fcr, &g.closed, &g.everResolved, &g.reopened, &g.reopens,
		&g.identified, &g.repeat, &g.surveySent, &g.surveyResp} {
		put(p)
	}
	for m := range a.cfg.SLAMetrics {
		for p := range numPrio {
			c := g.sla(a, p, m)
			for s := range c {
				put(&c[s])
			}
		}
	}
	if a.hasAsOf {
		put(&g.backlog)
		for i := range len(a.agingEdges) + 1 {
			put(&g.ext[a.agingOff+i])
		}
	}
	if c := a.cfg.Composite; c != nil {
		nd := len(c.Dimensions)
		for i := range nd {
			put(&g.ext[a.satOff+i])
			put(&g.ext[a.satOff+nd+i])
		}
		put(&g.compNum)
		put(&g.compDen)
		put(&g.compResp)
	}
}

// counterName names counter k of eachCounter for error paths.
func (a *Aggregator) counterName(k int) string {
	var names []string
	idx := func(name string, n int) {
		for i := range n {
			names = append(names, fmt.Sprintf("%s[%d]", name, i))
		}
	}
	names = append(names, "tickets", "complaints")
	idx("csat", 8)
	idx("nps", 13)
	idx("ces", 9)
	idx("follow_up", 4)
	names = append(names, "resolved", "fcr", "closed", "ever_resolved", "reopened", "reopens",
		"identified", "repeat", "survey_sent", "survey_responses")
	for _, m := range a.cfg.SLAMetrics {
		for _, p := range priorityLabels {
			for s := range numSLA {
				names = append(names, fmt.Sprintf("sla.%s.%s[%d]", m, p, s))
			}
		}
	}
	if a.hasAsOf {
		names = append(names, "backlog")
		idx("aging", len(a.agingEdges)+1)
	}
	if c := a.cfg.Composite; c != nil {
		for _, d := range c.Dimensions {
			names = append(names, "sat_sum."+d, "sat_answers."+d)
		}
		names = append(names, "composite_num", "composite_den", "composite_responses")
	}
	if k < 0 || k >= len(names) {
		return fmt.Sprintf("counter[%d]", k)
	}
	return names[k]
}

// durNames name the duration slots in error paths.
var (
	durNames    = [numDur]string{"first_response_business", "first_response_elapsed", "resolution_business", "resolution_elapsed"}
	durBinNames = [numDur]string{"first_response_business.bins", "first_response_elapsed.bins", "resolution_business.bins", "resolution_elapsed.bins"}
)

func encodeDur(e *encoder, d *durDist) {
	e.n(d.n)
	if d.n == 0 {
		return
	}
	e.u(d.sumHi)
	e.u(d.sumLo)
	e.n(d.min())
	e.n(d.max)
	e.n(d.zeros())
	e.u(uint64(d.store.numBins()))
	first, prev := true, int32(0)
	d.store.each(func(idx int32, c uint64) {
		if first {
			e.i(int64(idx))
			first = false
		} else {
			e.u(uint64(int64(idx) - int64(prev)))
		}
		prev = idx
		e.u(c)
	})
}

// decodeDur reads one duration distribution and checks it against what
// Add and Merge maintain: bounds, the 128-bit sum between n·min and n·max,
// bins inside the index range, strictly ascending, counting n − zero in
// all, and holding the bins of min and max. It reads the bins twice — once
// to check them and choose the store's form, once to fill it — so the
// store is allocated once, at its final size.
func (a *Aggregator) decodeDur(d *decoder, out *durDist, slot int) {
	out.n = d.n()
	if out.n == 0 || d.err != nil {
		return
	}
	out.sumHi, out.sumLo = d.u(), d.u()
	mn, mx, zero := d.n(), d.n(), d.n()
	if d.err != nil {
		return
	}
	out.minInv, out.max = math.MaxInt64-mn, mx
	d.check(mn <= out.max && zero <= out.n, "min, max or zero count out of order")
	d.check(zero == 0 || mn == 0, "zero durations above minimum")
	d.check((zero == out.n) == (out.max == 0), "zero durations and maximum disagree")
	// n·min ≤ sum ≤ n·max
	lh, ll := bits.Mul64(uint64(out.n), uint64(mn))
	hh, hl := bits.Mul64(uint64(out.n), uint64(out.max))
	d.check(!less128(out.sumHi, out.sumLo, lh, ll) && !less128(hh, hl, out.sumHi, out.sumLo), "sum outside n·min..n·max")
	if d.err != nil {
		return
	}
	lo, hi := int64(a.idxLo), int64(a.idxHi)
	nonZero := out.n - zero
	// A bin takes at least two bytes and holds at least one duration.
	bins := d.count(int(min(int64(len(d.b)/2), nonZero, hi-lo+1)), "sketch bins")
	if d.err != nil {
		return
	}
	d.check(bins > 0 || nonZero == 0, "durations above zero without bins")
	var wantLo, wantHi int64 = math.MinInt64, int64(a.mapping.Index(float64(out.max) * 1e-9))
	if zero == 0 {
		wantLo = int64(a.mapping.Index(float64(mn) * 1e-9))
	}
	field := durBinNames[slot]
	start := d.b
	var total, idx, span int64
	var wide, sawLo, sawHi bool
	for j := range bins {
		d.loc(field, j)
		if j == 0 {
			idx = d.i()
			d.check(idx >= lo && idx <= hi, "sketch index outside the duration range")
		} else {
			gap := d.u()
			d.check(gap >= 1 && gap <= uint64(hi-idx), "sketch index not ascending or outside the duration range")
			idx += int64(gap)
		}
		c := d.u()
		d.check(c >= 1 && c <= uint64(nonZero-total), "sketch count")
		if d.err != nil {
			return
		}
		total += int64(c)
		wide = wide || c > math.MaxUint32
		sawLo, sawHi = sawLo || idx == wantLo, sawHi || idx == wantHi
	}
	d.loc(field, -1)
	d.check(total == nonZero, "sketch total differs from count")
	d.check(zero > 0 || sawLo, "no bin holds the minimum")
	d.check(nonZero == 0 || sawHi, "no bin holds the maximum")
	if d.err != nil || bins == 0 {
		return
	}
	// The smaller form: dense costs 4 bytes per index spanned, sparse 12
	// per bin.
	rd := decoder{b: start}
	first := rd.i()
	span = idx - first + 1
	if !wide && 4*span <= 12*int64(bins) {
		dense := make([]uint32, span)
		at := first
		for j := range bins {
			if j > 0 {
				at += int64(rd.u())
			}
			dense[at-first] = uint32(rd.u())
		}
		out.store.setDense(dense, int32(first))
		return
	}
	sp := &sparseBins{idx: make([]int32, bins), cnt: make([]uint64, bins), wide: wide}
	at := first
	for j := range bins {
		if j > 0 {
			at += int64(rd.u())
		}
		sp.idx[j], sp.cnt[j] = int32(at), rd.u()
	}
	out.store.sp = sp
}

func less128(ah, al, bh, bl uint64) bool { return ah < bh || (ah == bh && al < bl) }

// Decode restores an accumulator serialised by MarshalBinary under the
// same configuration. Every refusal is a *DecodeError naming the element:
// ErrMismatch for another configuration, ErrVersion for an unknown format
// version, ErrLimit for an encoding beyond MaxEncodedLen, ErrOverflow for
// sums beyond MaxRecords or int64, ErrCorrupt for anything else damaged or
// inconsistent. It never panics, and allocates a small multiple of len(b)
// (see the package documentation's limits).
func (a *Aggregator) Decode(b []byte) (*Accumulator, error) {
	acc := a.NewAccumulator()
	if err := acc.UnmarshalBinary(b); err != nil {
		return nil, err
	}
	return acc, nil
}

// UnmarshalBinary replaces acc's state with the decoded one; on error acc
// is unchanged.
func (acc *Accumulator) UnmarshalBinary(b []byte) error {
	a := acc.agg
	payload, err := openEnvelope(b, kindKPI, a.fingerprint)
	if err != nil {
		return err
	}
	d := newDecoder(payload, a)
	out := a.NewAccumulator()
	d.loc("invalid", -1)
	out.invalid = d.n()
	// Every string is a key value of some group, and a group names at most
	// len(GroupBy) strings in at least minGroupLen bytes.
	dims, minGroup := len(a.cfg.GroupBy), a.minGroupLen()
	d.loc("strings", -1)
	ns := d.count(dims*(len(d.b)/minGroup), "strings")
	out.strs.vals = d.strings(ns)
	if d.err != nil {
		return d.err
	}
	d.loc("groups", -1)
	ng := d.count(len(d.b)/minGroup, "groups")
	out.reserve(ng)
	used := make([]bool, ns)
	for gi := range ng {
		if d.err != nil {
			break
		}
		d.group = gi
		var k groupKey
		for j := range a.cfg.GroupBy {
			d.loc("key", j)
			id := d.u()
			d.check(id < uint64(ns), "string id out of range")
			if d.err != nil {
				return d.err
			}
			k.ids[j] = uint32(id)
			used[id] = true
		}
		d.loc("period", -1)
		k.period = d.i()
		if a.cfg.Period == PeriodNone {
			d.check(k.period == 0, "period without period grouping")
		} else if d.err == nil {
			t := time.Unix(k.period, 0)
			d.check(a.cfg.Period.Start(t, a.cfg.Location).Unix() == k.period, "not a period start")
		}
		if d.err != nil {
			break
		}
		d.loc("key", -1)
		if out.index.find(&k, out.keys) >= 0 {
			d.fail("duplicate group key")
			break
		}
		g := &out.groups[out.newGroup(k)]
		d.loc("", -1)
		a.eachCounter(g, func(k int, p *int64) {
			d.ctr, d.at = k, d.off()
			*p = d.n()
		})
		d.loc("money", -1)
		// A currency entry takes at least three bytes and one ticket.
		nm := d.count(int(min(int64(len(d.b)/3), g.tickets, MaxCurrencies)), "currencies")
		if nm > 0 && d.err == nil {
			g.money = make([]money, 0, nm)
		}
		for j := range nm {
			d.loc("money", j)
			cur := out.currency(d)
			minor, cnt := d.i(), d.n()
			if d.err != nil {
				break
			}
			d.check(moneyIndex(g.money, cur) < 0, "duplicate currency")
			d.check(cnt >= 1, "compensation count")
			d.check(minor != math.MinInt64, "compensation sum out of range")
			g.money = append(g.money, money{cur, minor, cnt})
		}
		for j := range g.dur {
			d.loc(durNames[j], -1)
			a.decodeDur(d, &g.dur[j], j)
		}
		if d.err == nil {
			a.checkGroup(d, g)
		}
		if d.err == nil {
			out.addTotals(d, g)
		}
	}
	d.group = -1
	if d.err == nil {
		for i, u := range used {
			if !u {
				d.loc("strings", i)
				d.fail("string used by no group")
				break
			}
		}
	}
	if d.err == nil && out.invalid > maxInvalidPerRecord*out.tot.tickets {
		d.loc("invalid", -1)
		d.at = headerLen
		d.fail("more invalid fields than %d records can have", out.tot.tickets)
	}
	if err := d.finish(); err != nil {
		return err
	}
	*acc = *out
	return nil
}

// maxInvalidPerRecord bounds the invalid fields Add counts in one record
// (four durations, eight satisfaction dimensions, a reopen count, a
// compensation), so that Decode can refuse an invalid count no records
// could have produced.
const maxInvalidPerRecord = 16

// currency reads a currency name, sharing the string of a currency seen
// before (at most MaxCurrencies), so that groups do not each allocate it.
func (out *Accumulator) currency(d *decoder) string {
	v := d.u()
	if d.err == nil && v > uint64(len(d.b)) {
		d.fail("string length %d exceeds input", v)
	}
	if d.err != nil {
		return ""
	}
	b := d.b[:v]
	d.b = d.b[v:]
	for _, m := range out.tot.money {
		if m.currency == string(b) {
			return m.currency
		}
	}
	if len(out.tot.money) >= MaxCurrencies {
		d.failErr(ErrLimit, "more than %d currencies", MaxCurrencies)
		return ""
	}
	cur := string(b)
	out.tot.money = append(out.tot.money, money{currency: cur})
	return cur
}

// addTotals adds a decoded group to out's totals, refusing sums beyond
// MaxRecords or int64 (so that no later merge of these groups, roll-up or
// result total can wrap).
func (out *Accumulator) addTotals(d *decoder, g *groupStats) {
	t := &out.tot
	d.loc("tickets", -1)
	if t.tickets > MaxRecords-g.tickets {
		d.failErr(ErrOverflow, "more than MaxRecords records in all")
		return
	}
	t.tickets += g.tickets
	var ok bool
	d.loc("reopens", -1)
	if t.reopens, ok = addInt64(t.reopens, g.reopens); !ok {
		d.failErr(ErrOverflow, "reopen counts sum past int64")
		return
	}
	d.loc("composite", -1)
	var okDen bool
	t.compNum, ok = addInt64(t.compNum, g.compNum)
	if t.compDen, okDen = addInt64(t.compDen, g.compDen); !ok || !okDen {
		d.failErr(ErrOverflow, "composite sums past int64")
		return
	}
	for j, m := range g.money {
		d.loc("money", j)
		ti := moneyIndex(t.money, m.currency)
		if ti < 0 {
			t.money = append(t.money, money{currency: m.currency})
			ti = len(t.money) - 1
		}
		if t.money[ti].minor, ok = addInt64(t.money[ti].minor, abs64(m.minor)); !ok {
			d.failErr(ErrOverflow, "compensation magnitudes of %s sum past int64", m.currency)
			return
		}
		t.money[ti].count += m.count
	}
}

// checkGroup verifies the invariants Add and Merge maintain, with sums
// that cannot wrap: a tampered bucket of 2^63−1 fails, never adds up.
func (a *Aggregator) checkGroup(d *decoder, g *groupStats) {
	t := g.tickets
	check := func(field string, ok bool, what string) {
		if !ok && d.err == nil {
			d.loc(field, -1)
			d.fail("%s", what)
		}
	}
	// total sums non-negative counts; ok is false past int64.
	total := func(vs []int64) (s int64, ok bool) {
		for _, v := range vs {
			if s > math.MaxInt64-v {
				return 0, false
			}
			s += v
		}
		return s, true
	}
	is := func(vs []int64, want int64) bool { s, ok := total(vs); return ok && s == want }
	check("tickets", t >= 1, "group without tickets")
	check("complaints", g.complaints <= t, "complaints exceed tickets")
	check("csat", is(g.csat[:], t), "CSAT buckets differ from tickets")
	check("nps", is(g.nps[:], t), "NPS buckets differ from tickets")
	check("ces", is(g.ces[:], t), "CES buckets differ from tickets")
	check("follow_up", is(g.fu[:], t), "follow-up buckets differ from tickets")
	check("fcr", g.fcr <= g.resolved, "FCR exceeds resolved")
	check("resolved", g.resolved <= g.everResolved, "resolved exceeds ever resolved")
	check("ever_resolved", g.everResolved <= t, "ever resolved exceeds tickets")
	check("closed", g.closed <= t, "closed exceeds tickets")
	check("reopened", g.reopened <= g.everResolved, "reopened exceeds ever resolved")
	check("reopens", g.reopened <= g.reopens, "reopened exceeds reopens")
	check("reopens", g.reopened > 0 || g.reopens == 0, "reopens without reopened tickets")
	check("repeat", g.repeat <= g.identified, "repeats exceed identified")
	check("identified", g.identified <= t, "identified exceeds tickets")
	check("survey_responses", g.surveyResp <= g.surveySent, "survey responses exceed surveys sent")
	check("survey_sent", g.surveySent <= t, "surveys exceed tickets")
	for m, name := range a.cfg.SLAMetrics {
		vs := make([]int64, 0, numPrio*numSLA)
		for p := range numPrio {
			vs = append(vs, g.sla(a, p, m)[:]...)
		}
		check("sla."+name, is(vs, t), "SLA buckets differ from tickets")
	}
	if a.hasAsOf {
		check("aging", is(g.ext[a.agingOff:a.agingOff+len(a.agingEdges)+1], g.backlog), "aging buckets differ from backlog")
		check("backlog", g.backlog <= t, "backlog exceeds tickets")
	}
	if c := a.cfg.Composite; c != nil {
		nd := len(c.Dimensions)
		for i, name := range c.Dimensions {
			sum, n := g.ext[a.satOff+i], g.ext[a.satOff+nd+i]
			check("sat_answers."+name, n <= t, "satisfaction answers exceed tickets")
			check("sat_sum."+name, sum >= n && ceilDiv5(sum) <= n, "satisfaction sum outside 1..5 per answer")
		}
		check("composite_responses", g.compResp <= t, "composite responses exceed tickets")
		check("composite_num", g.compResp == 0 && g.compDen == 0 && g.compNum == 0 ||
			g.compResp > 0 && g.compDen >= g.compResp && g.compNum >= g.compDen && ceilDiv5(g.compNum) <= g.compDen,
			"composite sums")
	}
	var counts []int64
	for _, m := range g.money {
		counts = append(counts, m.count)
	}
	mc, ok := total(counts)
	check("money", ok && mc <= t, "compensations exceed tickets")
	for i := range g.dur {
		check(durNames[i], g.dur[i].n <= t, "durations exceed tickets")
	}
	check(durNames[durResolutionElapsed], g.dur[durResolutionElapsed].n <= g.resolved, "resolution times exceed resolved")
	check(durNames[durResolutionBusiness], g.dur[durResolutionBusiness].n <= g.resolved, "resolution times exceed resolved")
}

// ceilDiv5 is ⌈x/5⌉ for x ≥ 0, without overflow.
func ceilDiv5(x int64) int64 { return x/5 + b2i(x%5 != 0) }
