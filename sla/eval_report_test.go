package sla

import (
	"fmt"
	"math/rand"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// TestReportAlertsAndPauses: the warnings and escalations report gives
// from the sim's own alerts (pointing at them when the warnings lead) are
// those reportAlerts copies in order, and a stopped clock's pause totals
// are the sim's, for random orders of warnings and escalations.
func TestReportAlertsAndPauses(t *testing.T) {
	rng := rand.New(rand.NewSource(51))
	m := &metric{name: "resolution"}
	at := time.Date(2024, 3, 4, 9, 0, 0, 0, time.UTC)
	for range 3000 {
		var r Report
		x := &sim{simCore: simCore{m: m, r: &r, cycle: 1, ended: true, start: at, stopAt: at.Add(time.Hour)}}
		x.nCur = rng.Intn(maxAlerts + 1)
		for i := range x.nCur {
			x.cur[i] = Alert{Name: fmt.Sprint("a", i), At: at.Add(time.Duration(i) * time.Minute), Cycle: 1}
			x.curEsc[i] = rng.Intn(2) == 0
		}
		x.nPauses = rng.Intn(len(x.pauses) + 1)
		for i := range x.nPauses {
			x.pauses[i] = PauseTotal{Reason: fmt.Sprint("p", i), Duration: time.Duration(i+1) * time.Minute}
		}
		var got MetricReport
		require.NoError(t, x.report(at.Add(2*time.Hour), &got))

		var want MetricReport
		x.reportAlerts(&want)
		require.Equal(t, want.Warnings, got.Warnings)
		require.Equal(t, want.Escalations, got.Escalations)
		if x.nPauses == 0 {
			require.Nil(t, got.Pauses)
		} else {
			require.Equal(t, x.pauses[:x.nPauses], got.Pauses)
			require.Equal(t, x.nPauses, cap(got.Pauses))
		}
		require.Equal(t, len(got.Warnings), cap(got.Warnings))
		require.Equal(t, len(got.Escalations), cap(got.Escalations))
	}
}
