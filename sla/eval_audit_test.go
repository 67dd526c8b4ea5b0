package sla

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestAuditRestart: a restart (restartCycle, of a metric without
// targets) leaves the trail built in place as recording Fulfilled then
// Applied of the next cycle one after the other does, on random trails of
// three metrics (events going back among others, trails without room).
func TestAuditRestart(t *testing.T) {
	rng := rand.New(rand.NewPCG(81, 82))
	base := time.Date(2024, 3, 4, 9, 0, 0, 0, time.UTC)
	ms := []metric{{name: "a"}, {name: "b"}, {name: "c"}}
	newReport := func(room int, cycles [3]int) *Report {
		r := &Report{comb: true, Audit: make([]AuditEvent, 0, room), auditIdx: make([]int32, 0, room)}
		r.lastAudit()
		r.sims = make([]sim, len(ms))
		for i := range r.sims {
			r.sims[i].simCore = simCore{m: &ms[i], r: r, idx: i, cycle: cycles[i]}
		}
		return r
	}
	at := func() time.Time {
		return base.Add(time.Duration(rng.IntN(4))*time.Hour + time.Duration(rng.IntN(2))*time.Nanosecond)
	}
	for range 3000 {
		room := rng.IntN(12)
		cycles := [3]int{1 + rng.IntN(3), 1 + rng.IntN(3), 1 + rng.IntN(3)}
		want, got := newReport(room, cycles), newReport(room, cycles)
		for range rng.IntN(10) {
			i, when, typ := rng.IntN(len(ms)), at(), AuditType(1+rng.IntN(6))
			if rng.IntN(3) == 0 {
				want.sims[i].audit(when, Fulfilled, "")
				want.sims[i].cycle++
				want.sims[i].audit(when, Applied, "")
				require.NoError(t, got.sims[i].restartCycle(when))
				continue
			}
			want.sims[i].audit(when, typ, "d")
			got.sims[i].audit(when, typ, "d")
		}
		require.Equal(t, want.Audit, got.Audit)
		require.Equal(t, want.auditIdx, got.auditIdx)
		require.Equal(t, want.lastSec, got.lastSec)
		require.Equal(t, want.lastKey, got.lastKey)
	}
}
