package metrics

import (
	"fmt"
	"math"
	"math/big"
	"math/rand/v2"
	"slices"
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

// TestAddDurations: each of the four durations Add counts in line lands
// in its own summary (count, sum, extremes) and in the library's bin, at
// every magnitude — zero, under 2^16 ns and over 2^53 ns (the library's),
// the table's in between — with bins inside and outside the dense store
// (the end's slow path), and each invalid one counts as invalid.
func TestAddDurations(t *testing.T) {
	a := mustNew(t, Config{})
	acc := a.NewAccumulator()
	rng := rand.New(rand.NewPCG(11, 12))
	dur := func() int64 {
		switch rng.IntN(8) {
		case 0:
			return 0
		case 1:
			return -1 - rng.Int64N(1e12) // invalid
		case 2, 3:
			return rng.Int64N(1e13) // up to about 3 hours
		}
		return int64(rng.Uint64() >> (1 + rng.IntN(63)))
	}
	type dist struct {
		n, min, max int64
		sum         big.Int
		bins        map[int32]uint64
	}
	var want [numDur]dist
	for k := range want {
		want[k] = dist{min: math.MaxInt64, bins: map[int32]uint64{}}
	}
	var invalid int64
	count := func(k int, v int64, ok bool) {
		if !ok || v < 0 {
			invalid++
			return
		}
		w := &want[k]
		w.n++
		w.sum.Add(&w.sum, big.NewInt(v))
		w.min, w.max = min(w.min, v), max(w.max, v)
		if v > 0 {
			w.bins[int32(a.mapping.Index(float64(v)*1e-9))]++
		}
	}
	for range 20000 {
		r := Record{BusinessTimes: rng.IntN(4) != 0}
		hasRec := rng.IntN(10) != 0
		if hasRec {
			r.Received = t0
		}
		// Elapsed durations within ±2^61 ns, so that the instants stay
		// where UnixNano is exact.
		if rng.IntN(8) != 0 {
			el := dur() >> 2
			r.FirstResponse = t0.Add(time.Duration(el))
			count(durFirstResponseElapsed, el, hasRec)
			r.FirstResponseBusiness = time.Duration(dur())
			if r.BusinessTimes {
				count(durFirstResponseBusiness, int64(r.FirstResponseBusiness), true)
			}
		}
		if rng.IntN(8) != 0 {
			el := dur() >> 2
			r.Resolved = t0.Add(time.Duration(el))
			count(durResolutionElapsed, el, hasRec)
			r.ResolutionBusiness = time.Duration(dur())
			if r.BusinessTimes {
				count(durResolutionBusiness, int64(r.ResolutionBusiness), true)
			}
		}
		acc.Add(&r)
	}
	require.Len(t, acc.groups, 1)
	require.Equal(t, invalid, acc.invalid)
	for k := range want {
		w, d := &want[k], &acc.groups[0].dur[k]
		require.Greater(t, w.n, int64(1000), "duration %d", k)
		require.Equal(t, w.n, d.n, "duration %d", k)
		var sum big.Int
		sum.Lsh(new(big.Int).SetUint64(d.sumHi), 64).Add(&sum, new(big.Int).SetUint64(d.sumLo))
		require.Zero(t, w.sum.Cmp(&sum), "duration %d: sum %v, want %v", k, &sum, &w.sum)
		require.Equal(t, w.min, d.min(), "duration %d", k)
		require.Equal(t, w.max, d.max, "duration %d", k)
		got := map[int32]uint64{}
		d.store.each(func(i int32, c uint64) { got[i] = c })
		require.Equal(t, w.bins, got, "duration %d", k)
	}
}

// TestIsComplaint: the test of a kind's length (complaintLens) before its
// contents gives what comparing with every complaint kind gives, for kinds
// of every length from 0 to 70 (lengths of 63 bytes and more share a bit)
// and complaint kinds among them or not.
func TestIsComplaint(t *testing.T) {
	rng := rand.New(rand.NewPCG(13, 14))
	var kinds []string
	for n := range 71 {
		kinds = append(kinds, strings.Repeat("k", n), strings.Repeat("q", n))
	}
	for range 200 {
		var ck []string
		for range rng.IntN(4) {
			ck = append(ck, kinds[rng.IntN(len(kinds))])
		}
		a := mustNew(t, Config{ComplaintKinds: ck})
		for _, k := range kinds {
			require.Equal(t, slices.Contains(ck, k), a.isComplaint(k), "kinds %q, kind %q", ck, k)
		}
	}
}

// TestAddBinOverflow: a dense bin at MaxUint32 is not bumped in line (it
// would wrap to 0); Add leaves it to addSlow, which counts beyond uint32.
func TestAddBinOverflow(t *testing.T) {
	a := mustNew(t, Config{})
	acc := a.NewAccumulator()
	r := Record{FirstResponse: t0, FirstResponseBusiness: time.Hour, BusinessTimes: true}
	acc.Add(&r)
	s := &acc.groups[0].dur[durFirstResponseBusiness].store
	i := a.index(int64(time.Hour))
	require.NotNil(t, s.binAt(i, true))
	*s.binAt(i, true) = math.MaxUint32
	acc.groups[0].dur[durFirstResponseBusiness].n = math.MaxUint32 // the summary agrees
	acc.Add(&r)
	got := map[int32]uint64{}
	s.each(func(i int32, c uint64) { got[i] = c })
	require.Equal(t, map[int32]uint64{i: math.MaxUint32 + 1}, got)
}
