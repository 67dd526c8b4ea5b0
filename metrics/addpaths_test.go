package metrics

import (
	"math/rand/v2"
	"strings"
	"testing"

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
