package metrics

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Tests of Add's fast paths against the general computation.

// TestKindCacheCollisions: kinds at many addresses, equal strings at
// different ones included, fill, share and evict the kind cache's pairs;
// every record still counts as a complaint exactly when its kind is one.
func TestKindCacheCollisions(t *testing.T) {
	a := mustNew(t, Config{ComplaintKinds: []string{"complaint", "escalation"}})
	rng := rand.New(rand.NewPCG(5, 6))
	names := []string{"complaint", "escalation", "inquiry", "praise", "suggestion", ""}
	var kinds []string
	for i := range 600 {
		// strings.Clone: the same bytes at an address of their own.
		kinds = append(kinds, strings.Clone(names[i%len(names)]))
	}
	acc := a.NewAccumulator()
	var want int64
	for range 20000 {
		k := kinds[rng.IntN(len(kinds))]
		if k == "complaint" || k == "escalation" {
			want++
		}
		acc.Add(&Record{Kind: k})
	}
	require.Len(t, acc.groups, 1)
	require.Equal(t, want, acc.groups[0].complaints)
	require.EqualValues(t, 20000, acc.groups[0].tickets)
}

// TestPrioIndex: the 16-bit test of "P0".."P3" is the byte-wise one for
// every string of two bytes and for other lengths.
func TestPrioIndex(t *testing.T) {
	naive := func(p string) int {
		if len(p) == 2 && p[0] == 'P' && p[1] >= '0' && p[1] <= '3' {
			return int(p[1] - '0')
		}
		return numPrio - 1
	}
	for x := range 1 << 16 {
		if p := string([]byte{byte(x), byte(x >> 8)}); naive(p) != prioIndex(p) {
			t.Fatalf("%q: %d, want %d", p, prioIndex(p), naive(p))
		}
	}
	for _, p := range []string{"", "P", "P0 ", "P00", "p0", "P4", "0P"} {
		require.Equal(t, naive(p), prioIndex(p), "%q", p)
	}
}

// TestAddDecodedStrings: Add gives the same accumulator — groups, ids,
// report — whether a record's strings are shared by all records (the
// address cache hits), each at an address of its own as a decoder gives
// them (the content caches), or interned by Merge alone (no cache). The
// values include more distinct strings than any cache or table holds
// (strTableMax, keyCache, wordCache), strings whose words collide
// (same length, first and last 8 bytes, different middles; words equal
// but lengths different), lengths 0 to 40, and the complaint kinds
// among kinds of the same length.
func TestAddDecodedStrings(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 8))
	var vals []string
	for i := range 3 * strTableMax {
		vals = append(vals, fmt.Sprintf("v%d", i))
	}
	for i := range 40 {
		vals = append(vals, strings.Repeat("x", i))
		vals = append(vals, "abcdefgh"+strings.Repeat("-", i)+"ijklmnop")
		vals = append(vals, "abcdefgh"+strings.Repeat("+", i)+"ijklmnop")
	}
	for c := range byte(26) {
		vals = append(vals, "prefix01"+string('a'+c)+"suffix01")
		vals = append(vals, "prefix01"+string('a'+c)+string('a'+c)+"suffix01")
	}
	vals = append(vals, "aaaaaaaa", "aaaaaaaaa", "aaaaaaaaaaaaaaaa", "aaaaaaaaaaaaaaaaa", "P0", "P1", "P01", "p0")
	// Strings of equal words but different lengths ("qqqqqqqq",
	// "qqqqqqqqq", ...) in the same pair of wordCache slots when they are
	// the only dimension (byWords' hash, repeated here): only their
	// lengths tell them apart.
	slot := func(s string) uint64 {
		w0, w1 := strWords(s)
		h := (w0+uint64(len(s)))*keyMul[0] ^ w1
		return (h ^ h>>29) * 0x9e3779b97f4a7c15 >> (64 - keyCacheBits) >> 1
	}
	var twins []string
	for c := byte('a'); c <= 'z' && len(twins) == 0; c++ {
		for n := 8; n <= 16 && len(twins) == 0; n++ {
			for m := n + 1; m <= 16; m++ {
				if x, y := strings.Repeat(string(c), n), strings.Repeat(string(c), m); slot(x) == slot(y) {
					twins = []string{x, y}
					break
				}
			}
		}
	}
	require.Len(t, twins, 2)
	kinds := []string{"complaint", "complainu", "escalation", "escalatioN", "inquiry", "", "c"}
	// Few values in some dimensions (cache hits), many in others.
	pick := func(n int) string { return vals[rng.IntN(min(n, len(vals)))] }
	var recs []Record
	for i := range 6000 {
		r := Record{
			Kind:     kinds[rng.IntN(len(kinds))],
			Channel:  pick(4),
			Priority: pick(1 + i%len(vals)),
			Region:   vals[len(vals)-1-rng.IntN(120)],
			Tier:     twins[rng.IntN(2)],
			Agent:    pick(len(vals)),
			Received: benchStart.Add(time.Duration(rng.IntN(90*24)) * time.Hour),
			CSAT:     uint8(rng.IntN(6)),
		}
		recs = append(recs, r)
	}
	for _, cfg := range []Config{
		{GroupBy: []Dimension{DimChannel, DimPriority}, ComplaintKinds: []string{"complaint", "escalation", "c"}},
		{GroupBy: []Dimension{DimChannel, DimPriority, DimRegion, DimAgent}, Period: PeriodWeek},
		{GroupBy: []Dimension{DimRegion}, Period: PeriodDay},
		{GroupBy: []Dimension{DimTier}},
		{},
	} {
		a := mustNew(t, cfg)
		shared := accumulate(a, recs)
		decoded := accumulate(a, decodedRecords(recs))
		merged := a.NewAccumulator()
		for i := range recs {
			one := a.NewAccumulator()
			one.Add(&recs[i])
			require.NoError(t, merged.Merge(one))
		}
		want := resultJSON(t, merged)
		require.Equal(t, want, resultJSON(t, shared), "%v", cfg.GroupBy)
		require.Equal(t, want, resultJSON(t, decoded), "%v", cfg.GroupBy)
		require.Equal(t, merged.strs.vals, shared.strs.vals)
		require.Equal(t, merged.strs.vals, decoded.strs.vals)
		require.Equal(t, merged.keys, shared.keys)
		require.Equal(t, merged.keys, decoded.keys)
		// Mixed: shared and decoded records into one accumulator.
		mixed := a.NewAccumulator()
		dec := decodedRecords(recs)
		for i := range recs {
			if rng.IntN(2) == 0 {
				mixed.Add(&recs[i])
			} else {
				mixed.Add(&dec[i])
			}
		}
		require.Equal(t, want, resultJSON(t, mixed), "%v", cfg.GroupBy)
		require.Equal(t, merged.keys, mixed.keys)
	}
}

// TestStrWords: with the length, strWords determines every string of at
// most 16 bytes: strings of equal length and words are equal.
func TestStrWords(t *testing.T) {
	type key struct {
		w0, w1 uint64
		n      int
	}
	seen := map[key]string{}
	rng := rand.New(rand.NewPCG(3, 4))
	alpha := "ab\x00\xff"
	for range 200000 {
		b := make([]byte, rng.IntN(17))
		for i := range b {
			b[i] = alpha[rng.IntN(len(alpha))]
		}
		s := string(b)
		w0, w1 := strWords(s)
		k := key{w0, w1, len(s)}
		if o, ok := seen[k]; ok && o != s {
			t.Fatalf("%q and %q: same words", o, s)
		}
		seen[k] = s
	}
}
