package metrics

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"math"
	"math/bits"
	"slices"
	"time"

	"github.com/DataDog/sketches-go/ddsketch/store"
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

// Decoding errors; every decoding error wraps one of them.
var (
	ErrCorrupt = errors.New("metrics: corrupt accumulator encoding")
	ErrVersion = errors.New("metrics: unsupported accumulator encoding version")
)

var crcTable = crc32.MakeTable(crc32.Castagnoli)

func appendHeader(b []byte, kind byte, fp uint64) []byte {
	b = append(b, codecMagic...)
	b = append(b, codecVersion, kind)
	return binary.LittleEndian.AppendUint64(b, fp)
}

func appendTrailer(b []byte, start int) []byte {
	return binary.LittleEndian.AppendUint32(b, crc32.Checksum(b[start:], crcTable))
}

// openEnvelope checks magic, version, kind, fingerprint and checksum and
// returns the payload.
func openEnvelope(b []byte, kind byte, fp uint64) ([]byte, error) {
	if len(b) < headerLen+trailerLen || string(b[:4]) != codecMagic {
		return nil, fmt.Errorf("%w: bad header", ErrCorrupt)
	}
	n := len(b) - trailerLen
	if crc32.Checksum(b[:n], crcTable) != binary.LittleEndian.Uint32(b[n:]) {
		return nil, fmt.Errorf("%w: checksum mismatch", ErrCorrupt)
	}
	if b[4] != codecVersion {
		return nil, fmt.Errorf("%w: %d", ErrVersion, b[4])
	}
	if b[5] != kind {
		return nil, fmt.Errorf("%w: accumulator kind %d, want %d", ErrCorrupt, b[5], kind)
	}
	if binary.LittleEndian.Uint64(b[6:]) != fp {
		return nil, ErrMismatch
	}
	return b[headerLen:n], nil
}

type encoder struct{ b []byte }

func (e *encoder) u(v uint64) { e.b = binary.AppendUvarint(e.b, v) }
func (e *encoder) n(v int64)  { e.b = binary.AppendUvarint(e.b, uint64(v)) }
func (e *encoder) i(v int64)  { e.b = binary.AppendVarint(e.b, v) }
func (e *encoder) s(v string) { e.u(uint64(len(v))); e.b = append(e.b, v...) }

type decoder struct {
	b   []byte
	err error
}

func (d *decoder) fail(format string, args ...any) {
	if d.err == nil {
		d.err = fmt.Errorf("%w: "+format, append([]any{ErrCorrupt}, args...)...)
	}
}

func (d *decoder) u() uint64 {
	if d.err != nil {
		return 0
	}
	v, k := binary.Uvarint(d.b)
	if k <= 0 {
		d.fail("truncated or overlong varint")
		return 0
	}
	d.b = d.b[k:]
	return v
}

// n reads a non-negative int64.
func (d *decoder) n() int64 {
	v := d.u()
	if v > math.MaxInt64 {
		d.fail("count out of range")
		return 0
	}
	return int64(v)
}

func (d *decoder) i() int64 {
	if d.err != nil {
		return 0
	}
	v, k := binary.Varint(d.b)
	if k <= 0 {
		d.fail("truncated or overlong varint")
		return 0
	}
	d.b = d.b[k:]
	return v
}

// count reads a length that must be at most limit.
func (d *decoder) count(limit int) int {
	v := d.u()
	if v > uint64(limit) {
		d.fail("length %d exceeds %d", v, limit)
		return 0
	}
	return int(v)
}

func (d *decoder) s() string {
	v := d.u()
	if v > uint64(len(d.b)) {
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

func (d *decoder) check(ok bool, what string) {
	if !ok {
		d.fail("%s", what)
	}
}

// MarshalBinary serialises the accumulator (a combine step's coder).
func (acc *Accumulator) MarshalBinary() ([]byte, error) { return acc.AppendBinary(nil) }

// AppendBinary appends the serialised accumulator to b.
func (acc *Accumulator) AppendBinary(b []byte) ([]byte, error) {
	a := acc.agg
	start := len(b)
	b = slices.Grow(b, 64+len(acc.groups)*1536) // a typical group's size
	e := encoder{appendHeader(b, kindKPI, a.fingerprint)}
	e.n(acc.invalid)
	e.u(uint64(len(acc.strs.vals)))
	for _, s := range acc.strs.vals {
		e.s(s)
	}
	e.u(uint64(len(acc.groups)))
	var ctrs []*int64
	for i := range acc.groups {
		k := &acc.keys[i]
		for j := range a.cfg.GroupBy {
			e.u(uint64(k.ids[j]))
		}
		e.i(k.period)
		ctrs = a.counters(&acc.groups[i], ctrs[:0])
		for _, p := range ctrs {
			e.n(*p)
		}
		g := &acc.groups[i]
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
	return appendTrailer(e.b, start), nil
}

// counters appends pointers to the group's plain counters, in encoding
// order, to out.
func (a *Aggregator) counters(g *groupStats, out []*int64) []*int64 {
	out = append(out, &g.tickets, &g.complaints)
	for i := range g.csat {
		out = append(out, &g.csat[i])
	}
	for i := range g.nps {
		out = append(out, &g.nps[i])
	}
	for i := range g.ces {
		out = append(out, &g.ces[i])
	}
	for i := range g.fu {
		out = append(out, &g.fu[i])
	}
	out = append(out, &g.resolved, &g.fcr, &g.closed, &g.everResolved, &g.reopened, &g.reopens,
		&g.identified, &g.repeat, &g.surveySent, &g.surveyResp)
	for m := range a.cfg.SLAMetrics {
		for p := range numPrio {
			for s := range len(slaCounts{}) {
				out = append(out, &g.sla[p][m][s])
			}
		}
	}
	if a.hasAsOf {
		out = append(out, &g.backlog)
		for i := range len(a.agingEdges) + 1 {
			out = append(out, &g.aging[i])
		}
	}
	if c := a.cfg.Composite; c != nil {
		for i := range c.Dimensions {
			out = append(out, &g.satSum[i], &g.satN[i])
		}
		out = append(out, &g.compNum, &g.compDen, &g.compResp)
	}
	return out
}

func encodeDur(e *encoder, d *durDist) {
	e.n(d.n)
	if d.n == 0 {
		return
	}
	e.u(d.sumHi)
	e.u(d.sumLo)
	e.n(d.min)
	e.n(d.max)
	e.n(d.zero)
	var bins, prev int
	if d.store != nil {
		d.store.ForEach(func(int, float64) bool { bins++; return false })
	}
	e.u(uint64(bins))
	if bins > 0 {
		first := true
		d.store.ForEach(func(idx int, c float64) bool {
			if first {
				e.i(int64(idx))
				first = false
			} else {
				e.u(uint64(idx - prev))
			}
			prev = idx
			e.n(int64(c))
			return false
		})
	}
}

// indexRange is the range of sketch indexes a duration from 1 ns to the
// largest time.Duration can have.
func (a *Aggregator) indexRange() (lo, hi int) {
	return a.mapping.Index(1e-9), a.mapping.Index(float64(math.MaxInt64)*1e-9) + 1
}

func (a *Aggregator) decodeDur(d *decoder, out *durDist) {
	out.n = d.n()
	if out.n == 0 || d.err != nil {
		return
	}
	out.sumHi, out.sumLo = d.u(), d.u()
	out.min, out.max, out.zero = d.n(), d.n(), d.n()
	d.check(out.min <= out.max && out.zero <= out.n, "duration bounds")
	d.check(out.zero == 0 || out.min == 0, "zero durations above minimum")
	// n·min ≤ sum ≤ n·max
	lh, ll := bits.Mul64(uint64(out.n), uint64(out.min))
	hh, hl := bits.Mul64(uint64(out.n), uint64(out.max))
	d.check(!less128(out.sumHi, out.sumLo, lh, ll) && !less128(hh, hl, out.sumHi, out.sumLo), "duration sum")
	lo, hi := a.indexRange()
	bins := d.count(len(d.b))
	total := out.zero
	idx := 0
	for j := range bins {
		if d.err != nil {
			return
		}
		if j == 0 {
			v := d.i()
			d.check(v >= int64(lo) && v <= int64(hi), "sketch index out of range")
			idx = int(v)
		} else {
			gap := d.u()
			d.check(gap >= 1 && gap <= uint64(hi-idx), "sketch index out of range")
			idx += int(gap)
		}
		c := d.n()
		d.check(c >= 1 && c <= out.n-total, "sketch count")
		if d.err != nil {
			return
		}
		total += c
		if out.store == nil {
			out.store = store.NewDenseStore()
		}
		out.store.AddWithCount(idx, float64(c))
	}
	d.check(total == out.n, "sketch total differs from count")
}

func less128(ah, al, bh, bl uint64) bool { return ah < bh || (ah == bh && al < bl) }

// Decode restores an accumulator serialised by MarshalBinary under the
// same configuration. It returns ErrMismatch for another configuration,
// ErrVersion for an unknown format version and ErrCorrupt (wrapped with a
// reason) for anything damaged or inconsistent; it never panics.
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
	d := &decoder{b: payload}
	out := a.NewAccumulator()
	out.invalid = d.n()
	ns := d.count(len(d.b))
	for range ns {
		s := d.s()
		if d.err != nil {
			break
		}
		if _, dup := out.strs.ids[s]; dup {
			d.fail("duplicate string")
			break
		}
		out.strs.id(s)
	}
	ng := d.count(len(d.b))
	var ctrs []*int64
	for range ng {
		if d.err != nil {
			break
		}
		var k groupKey
		for j := range a.cfg.GroupBy {
			id := d.u()
			d.check(id < uint64(len(out.strs.vals)), "string id out of range")
			k.ids[j] = uint32(id)
		}
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
		if out.index.find(&k, out.keys) >= 0 {
			d.fail("duplicate group")
			break
		}
		gi := out.newGroup(k)
		g := &out.groups[gi]
		ctrs = a.counters(g, ctrs[:0])
		for _, p := range ctrs {
			*p = d.n()
		}
		nm := d.count(len(d.b))
		for range nm {
			cur, minor, cnt := d.s(), d.i(), d.n()
			if d.err != nil {
				break
			}
			for _, m := range g.money {
				d.check(m.currency != cur, "duplicate currency")
			}
			d.check(cnt >= 1, "compensation count")
			g.money = append(g.money, money{cur, minor, cnt})
		}
		for j := range g.dur {
			a.decodeDur(d, &g.dur[j])
		}
		if d.err == nil {
			a.checkGroup(d, g)
		}
	}
	if d.err == nil && len(d.b) != 0 {
		d.fail("%d trailing bytes", len(d.b))
	}
	if d.err != nil {
		return d.err
	}
	*acc = *out
	return nil
}

// checkGroup verifies the invariants Add and Merge maintain.
func (a *Aggregator) checkGroup(d *decoder, g *groupStats) {
	t := g.tickets
	le := func(x, y int64, what string) { d.check(x <= y, what) }
	le(g.complaints, t, "complaints exceed tickets")
	total := func(vs []int64) (s int64) {
		for _, v := range vs {
			s += v
		}
		return s
	}
	d.check(total(g.csat[:]) == t, "CSAT buckets differ from tickets")
	d.check(total(g.nps[:]) == t, "NPS buckets differ from tickets")
	d.check(total(g.ces[:]) == t, "CES buckets differ from tickets")
	d.check(total(g.fu[:]) == t, "follow-up buckets differ from tickets")
	var sum int64
	le(g.fcr, g.resolved, "FCR exceeds resolved")
	le(g.resolved, g.everResolved, "resolved exceeds ever resolved")
	le(g.everResolved, t, "ever resolved exceeds tickets")
	le(g.closed, t, "closed exceeds tickets")
	le(g.reopened, g.everResolved, "reopened exceeds ever resolved")
	le(g.reopened, g.reopens, "reopened exceeds reopens")
	le(g.repeat, g.identified, "repeats exceed identified")
	le(g.identified, t, "identified exceeds tickets")
	le(g.surveyResp, g.surveySent, "survey responses exceed surveys sent")
	le(g.surveySent, t, "surveys exceed tickets")
	for m := range a.cfg.SLAMetrics {
		sum = 0
		for p := range numPrio {
			sum += total(g.sla[p][m][:])
		}
		d.check(sum == t, "SLA buckets differ from tickets")
	}
	sum = 0
	for _, v := range g.aging {
		sum += v
	}
	d.check(sum == g.backlog, "aging buckets differ from backlog")
	le(g.backlog, t, "backlog exceeds tickets")
	if c := a.cfg.Composite; c != nil {
		for i := range c.Dimensions {
			le(g.satN[i], t, "satisfaction answers exceed tickets")
			d.check(g.satSum[i] >= g.satN[i] && g.satSum[i] <= 5*g.satN[i], "satisfaction sum")
		}
		le(g.compResp, t, "composite responses exceed tickets")
		d.check(g.compResp == 0 && g.compDen == 0 && g.compNum == 0 ||
			g.compResp > 0 && g.compDen > 0 && g.compNum >= g.compDen && (g.compNum+4)/5 <= g.compDen,
			"composite sums")
	}
	var mc int64
	for _, m := range g.money {
		mc += m.count
	}
	le(mc, t, "compensations exceed tickets")
	for i := range g.dur {
		le(g.dur[i].n, t, "durations exceed tickets")
	}
	le(g.dur[durResolutionElapsed].n, g.resolved, "resolution times exceed resolved")
	le(g.dur[durResolutionBusiness].n, g.resolved, "resolution times exceed resolved")
}
