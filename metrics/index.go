package metrics

import (
	"math"
	"math/bits"

	"github.com/DataDog/sketches-go/ddsketch/mapping"
)

// Sketch indexes of durations, fast and exactly the library's.
//
// sketches-go's CubicallyInterpolatedMapping.Index(float64(v)·1e-9) costs
// about a third of Add: a float conversion, a multiplication and a cubic
// polynomial per duration. Most durations, though, lie well inside one
// bin. indexTable splits every octave [2^(L−1), 2^L) of nanoseconds into
// 2^indexBits equal cells and records, for each cell lying inside a
// single bin, that bin; Add looks it up with a shift and a load and asks
// the library only for the other cells (about 14 % at 1 % accuracy).
//
// Why a cell's answer is the library's for every duration in it: the
// library computes y = (e + P(s))·multiplier, where float64(v)·1e-9 =
// (1+s)·2^e and P is a cubic increasing on [0, 1) with P(1) = 1, so the
// exact y is strictly increasing in v, and the computed one is within
// about 3e-12 of it (a handful of roundings of values below 2^12). A
// cell is used only when the computed y at both ends lies more than 1e-9
// inside the same unit interval (k, k+1); then the exact y of every
// duration in between does too, and the computed one cannot reach k or
// k+1: the index, ⌊y⌋, is k. TestIndexTable checks it against the
// library at every cell's ends and at random durations.
const (
	indexBits   = 8
	indexMargin = 1e-9
	// indexNone marks a cell the library must answer.
	indexNone = math.MaxUint8
)

// indexTable holds, per octave L ≥ indexBits+2 and cell, the bin index
// minus base[L], or indexNone.
type indexTable struct {
	base  [64]int32
	cells []uint8 // (L − indexBits − 2)·2^indexBits + cell
}

// newIndexTable builds the table for m, or returns nil when an octave
// holds more bins than a uint8 can tell apart (accuracies finer than
// about 0.15 %), in which case every index comes from the library.
func newIndexTable(m *mapping.CubicallyInterpolatedMapping) *indexTable {
	gamma := m.ToProto().Gamma
	multiplier := 1 / math.Log2(gamma)
	offset := m.ToProto().IndexOffset
	// y is the library's Index before flooring (mapping.approximateLog).
	y := func(v int64) float64 {
		x := float64(v) * 1e-9
		b := math.Float64bits(x)
		e := float64(int((b>>52)&0x7ff) - 1023)
		s := math.Float64frombits((b&(1<<52-1))|0x3ff0000000000000) - 1
		const a, bb, c = 6.0 / 35.0, -3.0 / 5.0, 10.0 / 7.0
		return (((a*s+bb)*s+c)*s+e)*multiplier + offset
	}
	t := &indexTable{cells: make([]uint8, (64-indexBits-2)<<indexBits)}
	for l := indexBits + 2; l <= 63; l++ {
		lo := int64(1) << (l - 1)
		base := m.Index(float64(lo) * 1e-9)
		if m.Index(float64(lo<<1-1)*1e-9)-base >= indexNone {
			return nil
		}
		t.base[l] = int32(base)
		shift := l - 1 - indexBits
		for c := range int64(1) << indexBits {
			vlo := lo | c<<shift
			vhi := vlo + (int64(1) << shift) - 1
			ylo, yhi := y(vlo), y(vhi)
			k := math.Floor(ylo)
			entry := uint8(indexNone)
			if math.Floor(yhi) == k && ylo-k > indexMargin && k+1-yhi > indexMargin {
				entry = uint8(int(k) - base)
			}
			t.cells[int64(l-indexBits-2)<<indexBits|c] = entry
		}
	}
	return t
}

// index is mapping.Index(float64(v)·1e-9) for a duration v ≥ 1 ns.
func (a *Aggregator) index(v int64) int32 {
	if t := a.idxTable; t != nil {
		if l := bits.Len64(uint64(v)); l >= indexBits+2 {
			c := uint64(v)>>(l-1-indexBits) - 1<<indexBits // drop the leading bit
			if e := t.cells[(l-indexBits-2)<<indexBits|int(c)]; e != indexNone {
				return t.base[l] + int32(e)
			}
		}
	}
	return int32(a.mapping.Index(float64(v) * 1e-9))
}
