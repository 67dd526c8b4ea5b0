package metrics

import (
	"math"
	"math/bits"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestIndexTable: the table's index is the library's at the ends of every
// cell and of every position range a cell records (and one past them),
// and at random durations of every magnitude, for several accuracies.
func TestIndexTable(t *testing.T) {
	for _, acc := range []float64{0.5, 0.1, 0.01, 0.005, 0.002, 1e-4} {
		a := mustNew(t, Config{RelativeAccuracy: acc})
		want := func(v int64) int32 { return int32(a.mapping.Index(float64(v) * 1e-9)) }
		if acc < 0.003 {
			require.Nil(t, a.idxTable, "accuracy %v: an octave has too many bins for the table", acc)
		} else {
			require.NotNil(t, a.idxTable, "accuracy %v", acc)
		}
		probe := func(vs ...int64) {
			for _, v := range vs {
				for _, x := range []int64{v - 1, v, v + 1} {
					if x >= 1 {
						require.Equal(t, want(x), a.index(x), "accuracy %v, duration %d", acc, x)
					}
				}
			}
		}
		for l := 1; l <= 63; l++ {
			lo := int64(1) << (l - 1)
			shift := max(l-1-indexBits, 0)
			for c := int64(0); c < 1<<indexBits && lo|c<<shift < lo<<1; c++ {
				v := lo | c<<shift
				end := v + (int64(1) << shift) - 1
				probe(v, end)
				if a.idxTable == nil || l < minTableBits {
					continue
				}
				e := a.idxTable.cells[(l-minTableBits)<<indexBits|int(c)]
				w := int64(1) << (shift - posBits)
				p := int64(e >> (16 - posBits))
				for _, j := range []int64{p - 1, p, p + 1} {
					probe(v+j*w, v+(j+1)*w-1)
				}
			}
		}
		require.Equal(t, want(math.MaxInt64), a.index(math.MaxInt64))
		rng := rand.New(rand.NewPCG(uint64(acc*1e6), 3))
		for range 20000 {
			v := int64(rng.Uint64()>>(1+rng.IntN(63))) | 1
			require.Equal(t, want(v), a.index(v), "accuracy %v, duration %d", acc, v)
		}
	}
}

// TestIndexTableUse: at 1 % accuracy, the library answers for very few
// durations of a millisecond or more: the first position of a cell, or
// the one a bin boundary crosses.
func TestIndexTableUse(t *testing.T) {
	a := mustNew(t, Config{})
	var all, left int
	for _, e := range a.idxTable.cells[(21-minTableBits)<<indexBits:] {
		all += 1 << posBits
		if e&indexAll == indexAll {
			left += 1 << posBits
		} else {
			left++
		}
	}
	require.Less(t, float64(left)/float64(all), 0.003, "positions left to the library")
}

// TestDurAddIndex: Add, which does the table lookup inline, files every
// duration in the library's bin.
func TestDurAddIndex(t *testing.T) {
	rng := rand.New(rand.NewPCG(8, 9))
	n := 4000 // durations per accuracy; 20,000 with CLOSELOOP_FULL=1
	if fullSize() {
		n = 20000
	}
	for _, acc := range []float64{0.01, 0.05, 1e-4} {
		a := mustNew(t, Config{RelativeAccuracy: acc})
		for range n {
			v := int64(rng.Uint64()>>(1+rng.IntN(63))) | 1
			x := a.NewAccumulator()
			x.Add(&Record{FirstResponse: t0, FirstResponseBusiness: time.Duration(v), BusinessTimes: true})
			s := &x.groups[0].dur[durFirstResponseBusiness].store
			s.each(func(i int32, c uint64) {
				require.Equal(t, int32(a.mapping.Index(float64(v)*1e-9)), i, "accuracy %v, duration %d", acc, v)
				require.EqualValues(t, 1, c)
			})
			require.Equal(t, 1, s.numBins())
		}
	}
}

// TestCellBins: the table as Add reads it (cellBins) answers exactly
// where the compact table does, with the same index, for every octave,
// cell and position (which is all a lookup reads of a duration) up to
// maxCellBits, and leaves every duration under 2^minTableBits ns or of
// more than maxCellBits bits (float64(v) rounds some of them into another
// position, cell or octave) to the library.
func TestCellBins(t *testing.T) {
	// The compact table's lookup, as Add did it before cellBins, for the
	// octaves cellBins answers for.
	compact := func(tb *indexTable, v int64) (int32, bool) {
		l := bits.Len64(uint64(v))
		if tb == nil || l < minTableBits || l > maxCellBits {
			return 0, false
		}
		u := uint(uint64(v) >> (l - minTableBits))
		e := tb.cells[(l-minTableBits)<<indexBits|int(u>>posBits&(1<<indexBits-1))]
		pos, p := uint16(u&posMax), e>>(16-posBits)
		return tb.base[l] + int32(e&indexAll) - 1 + int32(b2i(pos > p)), pos != p && e&indexAll != indexAll
	}
	for _, acc := range []float64{0.5, 0.1, 0.05, 0.01, 0.005, 0.002, 1e-4} {
		a := mustNew(t, Config{RelativeAccuracy: acc})
		check := func(v int64) {
			wi, wok := compact(a.idxTable, v)
			gi, gok := a.cellBins.lookup(v)
			if wok != gok || (wok && wi != gi) {
				t.Fatalf("accuracy %v, duration %d: cellBins (%d, %v), table (%d, %v)", acc, v, gi, gok, wi, wok)
			}
		}
		for v := int64(1); v < 1<<minTableBits; v++ {
			check(v)
		}
		answered := 0
		for l := minTableBits; l <= 63; l++ {
			for top := int64(0); top < 1<<(minTableBits-1); top++ {
				// The first and the last duration with these top bits.
				v := (1<<(minTableBits-1) | top) << (l - minTableBits)
				check(v)
				check(v | (1<<(l-minTableBits) - 1))
				if _, ok := a.cellBins.lookup(v); ok {
					answered++
				}
			}
		}
		// Around 2^53, and the longest durations, which round up to the
		// next octave (2^63 among them).
		for _, v := range []int64{1<<53 - 1, 1 << 53, 1<<53 + 1, 1<<54 - 1, math.MaxInt64 - 1, math.MaxInt64} {
			check(v)
		}
		if a.idxTable != nil {
			require.Greater(t, answered, (maxCellBits-minTableBits)<<(minTableBits-1)*99/100, "accuracy %v", acc)
		}
	}
}
