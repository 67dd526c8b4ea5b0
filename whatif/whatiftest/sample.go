package whatiftest

import (
	"embed"
	"fmt"

	"github.com/closeloop/closeloop/compensation"
	"github.com/closeloop/closeloop/sla"
	"github.com/closeloop/closeloop/whatif"
)

//go:embed sample/*.json
var sampleFS embed.FS

// SampleJSON returns a copy of one of the sample rules documents:
// "calendars.json" (an office calendar, Asia/Shanghai, Mon–Fri 09:00–12:00
// and 13:00–18:00), "current.json" and "proposed.json" (SLA policy sets).
func SampleJSON(name string) ([]byte, error) {
	return sampleFS.ReadFile("sample/" + name)
}

// SampleConfig is the comparison the examples run: the SLA policy set in
// force ("current.json": resolution P0 12 h elapsed, P1 16 business hours, P2
// 5 and P3 10 working days) against a proposal ("proposed.json": P1 8
// business hours, P2 3 and P3 7 working days, P2 first response 12 h), both
// measured on the resolution metric and priced with the complaint-goodwill
// compensation preset (vouchers for resolution overruns of 24 h and more).
// Tickets are evaluated at their own last entry.
func SampleConfig() (whatif.Config, error) {
	cals, err := SampleJSON("calendars.json")
	if err != nil {
		return whatif.Config{}, err
	}
	set, err := sla.ParseCalendars(cals)
	if err != nil {
		return whatif.Config{}, fmt.Errorf("sample calendars: %w", err)
	}
	env := sla.PolicyEnv{States: sla.DefaultStates(), Calendars: set}
	comp, err := compensation.Preset("complaint-goodwill")
	if err != nil {
		return whatif.Config{}, err
	}
	cfg := whatif.Config{
		Current:  whatif.Side{Name: "current", Metric: "resolution", Compensation: comp},
		Proposed: whatif.Side{Name: "proposed", Metric: "resolution", Compensation: comp},
	}
	for _, s := range []struct {
		file string
		side *whatif.Side
	}{{"current.json", &cfg.Current}, {"proposed.json", &cfg.Proposed}} {
		doc, err := SampleJSON(s.file)
		if err != nil {
			return whatif.Config{}, err
		}
		if s.side.SLA, err = sla.ParsePolicySet(doc, env); err != nil {
			return whatif.Config{}, fmt.Errorf("sample %s: %w", s.file, err)
		}
	}
	return cfg, nil
}
