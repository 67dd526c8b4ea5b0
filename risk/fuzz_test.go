package risk

import (
	"math"
	"testing"
	"time"

	"github.com/closeloop/closeloop/metrics"
	"github.com/closeloop/closeloop/sla"
)

// FuzzRisk: any report metric and any dimension values give either an
// InputError or one result per metric with a probability in [0, 1] that
// agrees with its basis, counts that make sense, and an explanation;
// nothing panics.
func FuzzRisk(f *testing.F) {
	m := fixture(f, Config{Sources: map[string]Source{"repair": ResolutionElapsed}})
	f.Add("P1", "billing", "north", "first_response", uint8(sla.FirstResponse), uint8(sla.Running), true, uint8(sla.Business), int64(mid(100)), int64(mid(150)-mid(100)))
	f.Add("P1", "battery", "west", "first_response", uint8(sla.FirstResponse), uint8(sla.Paused), true, uint8(sla.Business), int64(mid(34)), int64(mid(60)-mid(34)))
	f.Add("P2", "billing", "north", "resolution", uint8(sla.Resolution), uint8(sla.Running), true, uint8(sla.WorkingDays), int64(0), int64(time.Hour))
	f.Add("P1", "billing", "north", "first_response", uint8(sla.FirstResponse), uint8(sla.Running), true, uint8(sla.Business), int64(mid(205)), int64(time.Hour))
	f.Add("P1", "billing", "north", "first_response", uint8(sla.FirstResponse), uint8(sla.Running), true, uint8(sla.Business), int64(time.Hour), int64(math.MaxInt64))
	f.Add("", "", "", "repair", uint8(sla.Custom), uint8(sla.Running), true, uint8(sla.Elapsed), int64(time.Hour), int64(time.Hour))
	f.Add("P3", "x", "y", "follow_up", uint8(sla.FollowUp), uint8(sla.Breached), true, uint8(sla.Elapsed), int64(-1), int64(0))
	f.Add("P0", "a", "b", "c", uint8(0), uint8(0), false, uint8(0), int64(0), int64(0))
	f.Fuzz(func(t *testing.T, p, c, team, name string, kind, status uint8, hasTarget bool, unit uint8, e, r int64) {
		mr := sla.MetricReport{
			Name: name, Kind: sla.MetricKind(kind), Status: sla.Status(status), HasTarget: hasTarget,
			Target: sla.Target{Unit: sla.Unit(unit)}, Elapsed: time.Duration(e), Remaining: time.Duration(r),
		}
		facts := metrics.Record{Priority: p, Category: c, Team: team}
		got, err := m.Risk(&facts, &sla.Report{Metrics: []sla.MetricReport{mr, mr}})
		if err != nil {
			if len(got) != 0 {
				t.Fatalf("a refused input gave %d results", len(got))
			}
			return
		}
		if len(got) != 2 || got[0].Probability != got[1].Probability {
			t.Fatalf("results %v", got)
		}
		x := got[0]
		switch {
		case !(x.Probability >= 0 && x.Probability <= 1):
			t.Fatalf("probability %v", x.Probability)
		case x.Basis == Certain && x.Probability != 1:
			t.Fatalf("certain with %v", x.Probability)
		case x.Basis != Estimated && x.Basis != Certain && x.Probability != 0:
			t.Fatalf("%s with %v", x.Basis, x.Probability)
		case x.Basis == Estimated && (x.Group.Longer <= 0 || x.Breaching > x.Group.Longer || x.Group.Longer > x.Group.Tickets):
			t.Fatalf("counts %+v breaching %d", x.Group, x.Breaching)
		case x.Explain() == "":
			t.Fatal("no explanation")
		}
	})
}
