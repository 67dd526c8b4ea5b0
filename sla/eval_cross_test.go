package sla

import (
	"math/rand"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestWallAdd: the instant cross and add build for an elapsed target from
// an instant's Unix seconds (wallAdd, then unixIn in its zone) is
// time.Time.Add's, in every zone and across second boundaries.
func TestWallAdd(t *testing.T) {
	rng := rand.New(rand.NewSource(7))
	zones := []*time.Location{time.UTC, time.Local, time.FixedZone("x", -5*3600)}
	for range 20000 {
		mark := time.Unix(rng.Int63n(1<<40)-1<<39, rng.Int63n(1e9))
		switch z := rng.Intn(4); z {
		case 3: // a zero location (time.Time{}'s and time.Unix(...).UTC()'s)
			mark = mark.UTC()
		default:
			mark = mark.In(zones[z])
		}
		var d time.Duration
		switch rng.Intn(3) {
		case 0:
			d = time.Duration(rng.Int63n(1e9))
		case 1:
			d = time.Duration(rng.Int63n(int64(1000 * time.Hour)))
		default:
			d = time.Duration(rng.Int63())
		}
		sec, nsec := wallAdd(mark.Unix(), mark.Nanosecond(), d)
		require.Equal(t, mark.Add(d), unixIn(sec, nsec, mark.Location()), "%v + %v", mark, d)
	}
}

// TestAlertLevel: an alert's compiled level is the number of escalations
// up to it (reach's audit level), 0 for a warning.
func TestAlertLevel(t *testing.T) {
	s := compileT(t, benchDoc)
	for _, p := range s.policies {
		for i := range p.metrics {
			m := &p.metrics[i]
			for j := range m.alerts {
				level := 0
				for k := 0; k <= j; k++ {
					if m.alerts[k].escalation {
						level++
					}
				}
				if !m.alerts[j].escalation {
					level = 0
				}
				require.Equal(t, level, m.alerts[j].level, "%s %s", m.name, m.alerts[j].name)
			}
		}
	}
}
