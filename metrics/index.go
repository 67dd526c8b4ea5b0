package metrics

import (
	"math"

	"github.com/DataDog/sketches-go/ddsketch/mapping"
)

// Sketch indexes of durations, fast and exactly the library's.
//
// sketches-go's CubicallyInterpolatedMapping.Index(float64(v)·1e-9) costs
// about a fifth of Add: a float conversion, a multiplication and a cubic
// polynomial per duration. A table answers instead with two shifts and a
// load. It splits every octave [2^(L−1), 2^L) of
// nanoseconds into 2^indexBits equal cells, and each cell into 2^posBits
// positions. A cell records a bin k and a position p: durations at
// positions before p are in bin k, after p in bin k+1, and those at p are
// left to the library. A cell inside one bin k records (k−1, 0), so only
// its first position goes to the library; a cell a bin boundary crosses
// records the position of the boundary. At 1 % accuracy about one
// duration in 500 reaches the library. Cells crossed by two boundaries
// (accuracies finer than about 0.5 %), boundaries too close to a position
// edge and durations under 2^16 ns (65 µs) are left to the library whole.
// newIndexTable computes the table compactly (indexTable, 12 KB); Add and
// index read it laid out as cellBins (32 KB), which spares them a test of
// the octave, a bounds check and a base per octave: 37 fewer instructions
// per Add under callgrind, for about one more L1 miss per record (its
// cells are twice as wide; cachegrind's model).
//
// Why the table's answer is the library's: the library computes y =
// (e + P(s))·multiplier + offset, where float64(v)·1e-9 = (1+s)·2^e and P
// is a cubic increasing on [0, 1) with P(1) = 1, so the exact y is
// strictly increasing in v, and the computed one is within about 3e-12 of
// it (a handful of roundings of values below 2^12). The table's ranges
// are fixed where the computed y at their ends lies more than indexMargin
// inside one unit interval (k, k+1); the exact y of every duration in
// between does too, so the computed one cannot reach an integer: the
// index, ⌊y⌋, is the one recorded. TestIndexTable checks it against the
// library at the ends of every cell and position range and at random
// durations.
const (
	indexBits   = 7 // cells per octave: 2^7
	posBits     = 9 // positions per cell: 2^9
	indexMargin = 1e-9
	// indexAll in a cell's bin field leaves the whole cell to the library.
	indexAll = 1<<(16-posBits) - 1
	posMax   = 1<<posBits - 1
)

// minTableBits is the shortest duration, in bits, the table answers for:
// 2^16 ns (65 µs) and longer, whose cells have 2^posBits positions.
const minTableBits = 1 + indexBits + posBits

// indexTable holds, per octave L ≥ minTableBits and cell, k − base[L] + 1
// in the low 16−posBits bits and p above.
type indexTable struct {
	base  [64]int32
	cells [(64 - minTableBits) << indexBits]uint16 // (L − minTableBits)·2^indexBits + cell
}

// newIndexTable builds the table for m, or returns nil when an octave
// holds too many bins for the table's bin field (accuracies finer than
// about 0.3 %), in which case every index comes from the library.
func newIndexTable(m *mapping.CubicallyInterpolatedMapping) *indexTable {
	p := m.ToProto()
	multiplier, offset := 1/math.Log2(p.Gamma), p.IndexOffset
	// y is the library's Index before flooring (mapping.approximateLog).
	y := func(v int64) float64 {
		x := float64(v) * 1e-9
		b := math.Float64bits(x)
		e := float64(int((b>>52)&0x7ff) - 1023)
		s := math.Float64frombits((b&(1<<52-1))|0x3ff0000000000000) - 1
		const a, bb, c = 6.0 / 35.0, -3.0 / 5.0, 10.0 / 7.0
		return (((a*s+bb)*s+c)*s+e)*multiplier + offset
	}
	// inside reports whether y lies more than the margin inside (k, k+1).
	inside := func(y, k float64) bool { return y-k > indexMargin && k+1-y > indexMargin }
	t := new(indexTable)
	for l := minTableBits; l <= 63; l++ {
		lo := int64(1) << (l - 1)
		base := m.Index(float64(lo) * 1e-9)
		if m.Index(float64(lo<<1-1)*1e-9)-base >= indexAll-1 {
			return nil
		}
		t.base[l] = int32(base)
		shift := l - 1 - indexBits // cell width 2^shift
		// Position j of a cell covers [vlo + j·w, vlo + (j+1)·w).
		w := int64(1) << (shift - posBits)
		// y of the next cell's first duration bounds y of this cell's
		// last one from above (y is monotone; the margin absorbs the
		// rounding), so each cell costs one evaluation.
		ynext := y(lo)
		for c := range int64(1) << indexBits {
			vlo := lo | c<<shift
			ylo, yhi := ynext, y(vlo+(int64(1)<<shift))
			ynext = yhi
			k := math.Floor(ylo)
			entry := uint16(indexAll)
			switch {
			case !inside(ylo, k):
			case inside(yhi, k):
				entry = uint16(int(k) - base) // bin k−1+1, p = 0
			case inside(yhi, k+1):
				// One boundary. Start where y, nearly linear across a
				// cell, reaches k+1, and find the position it lies in:
				// the one before wholly in bin k, the one after in k+1.
				j := min(max(int64((k+1-ylo)/(yhi-ylo)*(posMax+1)), 0), posMax)
				for j > 0 && !inside(y(vlo+j*w-1), k) {
					j--
				}
				for j < posMax && inside(y(vlo+(j+1)*w-1), k) {
					j++
				}
				if inside(y(vlo+(j+1)*w), k+1) {
					entry = uint16(int(k)-base+1) | uint16(j)<<(16-posBits)
				}
			}
			t.cells[int64(l-minTableBits)<<indexBits|c] = entry
		}
	}
	return t
}

// cellBins is indexTable in the form Add reads: a cell for every octave L
// of 1..64 bits, at (L−1)·2^indexBits + cell, so that a duration finds
// its cell from its length with no test of the length or bounds, and
// each cell holds its bin itself rather than an offset from base[L]. A
// cell is p | cellLib | k<<16: positions before p are in bin k (an int16),
// those after it in k+1; the position p, and every position of a cell
// with cellLib set (the table's indexAll cells, octaves below
// minTableBits or above maxCellBits, all cells when there is no table),
// are left to the library. Add tests both at once: pos ^ (e & cellPos) is
// in [1, posMax] exactly when the table answers.
type cellBins [64 << indexBits]uint32

// maxCellBits is the longest duration, in bits, cellBins answers for:
// lookup reads a duration's length and top bits from float64(v), which is
// exact below 2^53 ns (104 days) and may round longer ones into the next
// position, cell or octave (2^63 for the longest, the 64-bit octave).
const maxCellBits = 53

const (
	cellLib = 1 << posBits     // the library answers the whole cell
	cellPos = cellLib<<1 - 1   // p and cellLib
	cellAll = cellLib | posMax // a cell of the library's
)

// newCellBins lays t (nil: no table) out as cellBins.
func newCellBins(t *indexTable) *cellBins {
	c := new(cellBins)
	for i := range c {
		c[i] = cellAll
	}
	if t == nil {
		return c
	}
	for l := minTableBits; l <= maxCellBits; l++ {
		for cell := range 1 << indexBits {
			e := t.cells[(l-minTableBits)<<indexBits|cell]
			k := t.base[l] + int32(e&indexAll) - 1
			if e&indexAll == indexAll || k != int32(int16(k)) {
				continue
			}
			c[(l-1)<<indexBits|cell] = uint32(e>>(16-posBits)) | uint32(uint16(k))<<16
		}
	}
	return c
}

// lookup returns the table's index of a duration v ≥ 1 ns, or ok ==
// false where the library must answer. It has no branch, so that Add,
// where it inlines, tests ok once.
func (c *cellBins) lookup(v int64) (i int32, ok bool) {
	// float64(v), exact below 2^53, holds v's length l − 1 in its exponent
	// (biased by 1023) and the bits after the leading 1 — the cell, then
	// the position — at the top of its mantissa: one conversion instead of
	// a bit length and shifts by it. (1023<<indexBits ≡ −1<<indexBits
	// modulo len(c).)
	b := math.Float64bits(float64(v))
	e := c[(b>>(52-indexBits)+1<<indexBits)&uint64(len(c)-1)]
	pos, p := uint32(b>>(52-indexBits-posBits))&posMax, e&cellPos
	return int32(e)>>16 + int32(b2i(pos > p)), pos^p-1 < posMax
}

// index is mapping.Index(float64(v)·1e-9) for a duration v ≥ 1 ns, as
// Add finds it.
func (a *Aggregator) index(v int64) int32 {
	if i, ok := a.cellBins.lookup(v); ok {
		return i
	}
	return a.libraryIndex(v)
}

// libraryIndex asks the library.
func (a *Aggregator) libraryIndex(v int64) int32 {
	return int32(a.mapping.Index(float64(v) * 1e-9))
}
