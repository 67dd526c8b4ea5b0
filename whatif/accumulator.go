package whatif

import (
	"encoding/binary"
	"errors"
	"fmt"
	"hash/crc32"
	"math/bits"
	"time"
)

// numGroups is P0..P3 and "other".
const numGroups = 5

var groupNames = [numGroups]string{"P0", "P1", "P2", "P3", "other"}

func groupIndex(p string) int {
	switch p {
	case "P0":
		return 0
	case "P1":
		return 1
	case "P2":
		return 2
	case "P3":
		return 3
	}
	return 4
}

// counts is the integer state of one side in one priority group.
type counts struct {
	tickets     int64
	verdicts    [Breached + 1]int64 // by Verdict
	deadlineN   int64
	deadlineHi  int64 // 128-bit two's-complement sum of TimeToDeadline
	deadlineLo  uint64
	compensated int64 // tickets with a cost above zero
	compMinor   int64
}

func (c *counts) add(o *SideOutcome) {
	c.tickets++
	v := o.Verdict
	if v > Breached {
		v = Failed
	}
	c.verdicts[v]++
	if v == Failed {
		return
	}
	if o.HasDeadline {
		c.deadlineN++
		c.addDeadline(int64(o.TimeToDeadline))
	}
	if o.CompensationMinor > 0 {
		c.compensated++
		c.compMinor += o.CompensationMinor
	}
}

func (c *counts) addDeadline(d int64) {
	var carry uint64
	c.deadlineLo, carry = bits.Add64(c.deadlineLo, uint64(d), 0)
	c.deadlineHi += int64(carry) + (d >> 63)
}

func (c *counts) merge(o *counts) {
	c.tickets += o.tickets
	for i := range c.verdicts {
		c.verdicts[i] += o.verdicts[i]
	}
	c.deadlineN += o.deadlineN
	var carry uint64
	c.deadlineLo, carry = bits.Add64(c.deadlineLo, o.deadlineLo, 0)
	c.deadlineHi += o.deadlineHi + int64(carry)
	c.compensated += o.compensated
	c.compMinor += o.compMinor
}

// Accumulator is the mergeable state of one replay: per priority group and
// side, integer counts of verdicts, an exact 128-bit sum of times to deadline
// and the compensation cost in minor units. Create it with
// [Replay.NewAccumulator], feed it with [Accumulator.Add] (or
// [Accumulator.AddOutcome]), combine shards with [Accumulator.Merge], read
// figures with [Result], ship it with [Accumulator.MarshalBinary] and
// [Replay.Decode]. It is not safe for concurrent use; use one per goroutine and
// merge.
type Accumulator struct {
	r *Replay
	g [numGroups][2]counts
	s scratch
}

// NewAccumulator returns an empty accumulator (CreateAccumulator).
func (r *Replay) NewAccumulator() *Accumulator { return &Accumulator{r: r} }

// Replay returns the configuration acc was created with.
func (acc *Accumulator) Replay() *Replay { return acc.r }

// Add evaluates one ticket under both sides and counts it (AddInput). It is
// [Replay.Evaluate] followed by [Accumulator.AddOutcome], with the SLA report
// reused between calls.
func (acc *Accumulator) Add(t *Ticket) {
	o := acc.r.evaluate(t, &acc.s)
	acc.AddOutcome(&o)
}

// AddOutcome counts one ticket that was evaluated already, for pipelines that
// evaluate in one step and combine in another.
func (acc *Accumulator) AddOutcome(o *Outcome) {
	g := &acc.g[groupIndex(o.Priority)]
	g[0].add(&o.Current)
	g[1].add(&o.Proposed)
}

// ErrMismatch is returned when merging or decoding state built under a
// different configuration.
var ErrMismatch = errors.New("whatif: accumulators of different configurations")

// Merge adds o's state into acc (MergeAccumulators); o is unchanged. Merging
// is exact: any split of the tickets into shards, merged in any order, gives
// the same [Result] as accumulating them in one go.
func (acc *Accumulator) Merge(o *Accumulator) error {
	if o.r != acc.r && o.r.fingerprint != acc.r.fingerprint {
		return ErrMismatch
	}
	for i := range acc.g {
		for s := range acc.g[i] {
			acc.g[i][s].merge(&o.g[i][s])
		}
	}
	return nil
}

// Decoding errors; every decoding error wraps one of them.
var (
	ErrCorrupt = errors.New("whatif: corrupt accumulator encoding")
	ErrVersion = errors.New("whatif: unsupported accumulator encoding version")
)

const (
	magic         = "CLWI"
	formatVersion = 1
)

var castagnoli = crc32.MakeTable(crc32.Castagnoli)

// MarshalBinary serialises the accumulator (a combine step's coder).
func (acc *Accumulator) MarshalBinary() ([]byte, error) {
	return acc.AppendBinary(make([]byte, 0, 256))
}

// AppendBinary appends the serialised accumulator to b: "CLWI", the format
// version, the configuration's fingerprint, the counts as varints, and a
// CRC-32C of everything before it.
func (acc *Accumulator) AppendBinary(b []byte) ([]byte, error) {
	start := len(b)
	b = append(b, magic...)
	b = append(b, formatVersion)
	b = binary.LittleEndian.AppendUint32(b, acc.r.fingerprint)
	for i := range acc.g {
		for s := range acc.g[i] {
			c := &acc.g[i][s]
			b = binary.AppendUvarint(b, uint64(c.tickets))
			for _, v := range c.verdicts {
				b = binary.AppendUvarint(b, uint64(v))
			}
			b = binary.AppendUvarint(b, uint64(c.deadlineN))
			b = binary.AppendVarint(b, c.deadlineHi)
			b = binary.AppendUvarint(b, c.deadlineLo)
			b = binary.AppendUvarint(b, uint64(c.compensated))
			b = binary.AppendUvarint(b, uint64(c.compMinor))
		}
	}
	return binary.LittleEndian.AppendUint32(b, crc32.Checksum(b[start:], castagnoli)), nil
}

// UnmarshalBinary replaces acc's state with the decoded one; on error acc is
// unchanged.
func (acc *Accumulator) UnmarshalBinary(b []byte) error {
	d, err := acc.r.Decode(b)
	if err != nil {
		return err
	}
	acc.g = d.g
	return nil
}

// Decode restores an accumulator serialised by [Accumulator.MarshalBinary]
// under the same configuration. It returns [ErrMismatch] for another
// configuration, [ErrVersion] for an unknown format version and [ErrCorrupt]
// (wrapped with a reason) for anything damaged or inconsistent; it never
// panics.
func (r *Replay) Decode(b []byte) (*Accumulator, error) {
	if len(b) < len(magic)+1+4+4 || string(b[:len(magic)]) != magic {
		return nil, fmt.Errorf("%w: not an accumulator", ErrCorrupt)
	}
	body, sum := b[:len(b)-4], binary.LittleEndian.Uint32(b[len(b)-4:])
	if crc32.Checksum(body, castagnoli) != sum {
		return nil, fmt.Errorf("%w: checksum mismatch", ErrCorrupt)
	}
	if v := body[len(magic)]; v != formatVersion {
		return nil, fmt.Errorf("%w: version %d", ErrVersion, v)
	}
	if binary.LittleEndian.Uint32(body[len(magic)+1:]) != r.fingerprint {
		return nil, ErrMismatch
	}
	p := body[len(magic)+5:]
	uv := func() (int64, error) {
		v, n := binary.Uvarint(p)
		if n <= 0 || v > 1<<63-1 {
			return 0, fmt.Errorf("%w: bad count", ErrCorrupt)
		}
		p = p[n:]
		return int64(v), nil
	}
	acc := r.NewAccumulator()
	for i := range acc.g {
		for s := range acc.g[i] {
			c := &acc.g[i][s]
			var err error
			fields := []*int64{&c.tickets}
			for k := range c.verdicts {
				fields = append(fields, &c.verdicts[k])
			}
			fields = append(fields, &c.deadlineN)
			for _, f := range fields {
				if *f, err = uv(); err != nil {
					return nil, err
				}
			}
			hi, n := binary.Varint(p)
			if n <= 0 {
				return nil, fmt.Errorf("%w: bad sum", ErrCorrupt)
			}
			p = p[n:]
			lo, n := binary.Uvarint(p)
			if n <= 0 {
				return nil, fmt.Errorf("%w: bad sum", ErrCorrupt)
			}
			p = p[n:]
			c.deadlineHi, c.deadlineLo = hi, lo
			if c.compensated, err = uv(); err != nil {
				return nil, err
			}
			if c.compMinor, err = uv(); err != nil {
				return nil, err
			}
			if err := c.check(); err != nil {
				return nil, fmt.Errorf("%w: %s side %d: %v", ErrCorrupt, groupNames[i], s, err)
			}
		}
	}
	if len(p) != 0 {
		return nil, fmt.Errorf("%w: trailing bytes", ErrCorrupt)
	}
	return acc, nil
}

// check verifies the invariants add and merge maintain.
func (c *counts) check() error {
	var sum int64
	for _, v := range c.verdicts {
		if sum+v < sum {
			return errors.New("verdict counts overflow")
		}
		sum += v
	}
	switch {
	case sum != c.tickets:
		return errors.New("verdicts do not add up to tickets")
	case c.deadlineN > c.tickets-c.verdicts[Failed]:
		return errors.New("more deadlines than evaluated tickets")
	case c.compensated > c.tickets-c.verdicts[Failed]:
		return errors.New("more compensated than evaluated tickets")
	case c.compensated == 0 && c.compMinor != 0:
		return errors.New("cost without compensated tickets")
	case c.compMinor < c.compensated:
		return errors.New("cost below one minor unit per compensated ticket")
	case c.deadlineN == 0 && (c.deadlineHi != 0 || c.deadlineLo != 0):
		return errors.New("deadline sum without deadlines")
	}
	return nil
}

// meanDuration divides a 128-bit sum of nanoseconds by n, rounding half away
// from zero.
func meanDuration(hi int64, lo uint64, n int64) time.Duration {
	if n <= 0 {
		return 0
	}
	neg := hi < 0
	uh, ul := uint64(hi), lo
	if neg { // negate the two's-complement 128-bit value
		ul = ^ul + 1
		uh = ^uh
		if ul == 0 {
			uh++
		}
	}
	// Round half away from zero: (|sum| + n/2) / n.
	var carry uint64
	ul, carry = bits.Add64(ul, uint64(n)/2, 0)
	uh += carry
	if uh >= uint64(n) { // quotient does not fit 64 bits: saturate
		if neg {
			return time.Duration(-1 << 63)
		}
		return time.Duration(1<<63 - 1)
	}
	q, _ := bits.Div64(uh, ul, uint64(n))
	if q > 1<<63-1 {
		q = 1<<63 - 1
	}
	if neg {
		return -time.Duration(q)
	}
	return time.Duration(q)
}
