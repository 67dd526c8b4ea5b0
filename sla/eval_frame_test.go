package sla

import (
	"math/rand"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestPlainUnix: runNew's check of an instant (plainUnix) answers as
// hasMono and nanoKey do, with and without a monotonic reading, in UTC,
// a named zone and a fixed one, within and beyond nanoKey's range.
func TestPlainUnix(t *testing.T) {
	rng := rand.New(rand.NewSource(11))
	paris, err := time.LoadLocation("Europe/Paris")
	require.NoError(t, err)
	zones := []*time.Location{time.UTC, time.Local, paris, time.FixedZone("x", -5*3600)}
	wall := time.Now()
	for i := range 5000 {
		var at time.Time
		switch i % 4 {
		case 0:
			at = wall.Add(time.Duration(rng.Int63n(1 << 50))) // (a monotonic reading)
		case 1:
			at = time.Unix(rng.Int63n(1<<33)-1<<32, rng.Int63n(1e9))
		case 2:
			at = time.Unix(rng.Int63n(1<<40)-1<<39, rng.Int63n(1e9)) // (mostly out of range)
		default:
			at = time.Unix(int64(1<<32-2+rng.Intn(4))*[]int64{1, -1}[rng.Intn(2)], rng.Int63n(1e9))
		}
		if i%4 != 0 || rng.Intn(2) == 0 {
			at = at.In(zones[rng.Intn(len(zones))])
		}
		sec, nsec, ok := plainUnix(&at)
		k, inRange := nanoKey(at)
		require.Equal(t, !hasMono(at) && inRange, ok, "%v", at)
		if ok {
			require.Equal(t, at.Unix(), sec)
			require.Equal(t, at.Nanosecond(), nsec)
			require.Equal(t, k, sec*1e9+int64(nsec))
		}
	}
}
