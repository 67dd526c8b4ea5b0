package sla

import (
	"math/rand"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestInsertThreshold compares retarget's thresholds put in place one by one
// (insertThreshold) with the same thresholds sorted (sortThresholds).
func TestInsertThreshold(t *testing.T) {
	rng := rand.New(rand.NewSource(1))
	for range 20000 {
		n := 1 + rng.Intn(maxAlerts+1)
		var in [maxAlerts + 1]threshold
		for i := range n {
			// Few distinct instants, so that ties on at (and rank) are common.
			at := time.Duration(rng.Intn(4)) * time.Hour
			if i == n-1 {
				in[i] = deadlineThreshold(at)
			} else {
				in[i] = threshold{at: at, alert: int8(i), rank: int8(2 * rng.Intn(2)), bit: 1 << uint(i)}
			}
		}
		var got [maxAlerts + 1]threshold
		for i := range n {
			insertThreshold(&got, i, in[i])
		}
		want := in
		sortThresholds(want[:n])
		require.Equal(t, want[:n], got[:n])
	}
}
