package metrics

import (
	"math"
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
