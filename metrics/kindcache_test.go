package metrics

import (
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/require"
)

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
