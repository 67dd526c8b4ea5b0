package sla

import (
	"embed"
	"fmt"
)

//go:embed presets/*.json
var presetFS embed.FS

// The built-in policy presets. Each name is also the "name" inside its
// document, and matches the priority preset of the same source where there
// is one (priority.PresetAfterSales, priority.PresetComplaintGrading).
const (
	// PresetAfterSales is source 002: response P0 24 h, P1 48 h, P2 72 h,
	// P3 next cycle (tracked, no deadline); follow-up 24/24/48/72 h.
	PresetAfterSales = "after-sales"
	// PresetComplaintGrading is source 001: emergency (P0 complaint) 1 h
	// with escalation to senior management and legal/PR; high (P1) 4 h with
	// hourly progress updates; normal 24 h; suggestion 5 working days.
	PresetComplaintGrading = "complaint-grading"
	// PresetEnterprise is source 004: classification 1 h; ordinary 24 h
	// response / 72 h resolution; complex 48 h / 5 working days with a delay
	// request due 1 working day before; follow-up within a week.
	PresetEnterprise = "enterprise"
	// PresetRepair is source 000: inspection 24 h, repair 3 days, from
	// progress-node events.
	PresetRepair = "repair"
)

var presetFiles = map[string]string{
	PresetAfterSales:       "presets/after_sales.json",
	PresetComplaintGrading: "presets/complaint_grading.json",
	PresetEnterprise:       "presets/enterprise.json",
	PresetRepair:           "presets/repair.json",
}

// PresetNames returns the names of the built-in policy presets (the Preset
// constants).
//
// Presets are ordinary policy documents: read one with PresetJSON, edit it,
// and compile it with CompilePolicies. complaint-grading and enterprise
// count working days on their default calendar "business": name a calendar
// so in PolicyEnv.Calendars, or set PolicyEnv.DefaultCalendar to one of
// yours. All of them use state names from DefaultStates.
func PresetNames() []string {
	return []string{PresetAfterSales, PresetComplaintGrading, PresetEnterprise, PresetRepair}
}

// PresetJSON returns a copy of a preset's JSON document.
func PresetJSON(name string) ([]byte, error) {
	f, ok := presetFiles[name]
	if !ok {
		return nil, fmt.Errorf("%w: no preset %q (have %v)", ErrNoPolicy, name, PresetNames())
	}
	return presetFS.ReadFile(f)
}

// CompilePreset compiles a built-in preset against env.
func CompilePreset(name string, env PolicyEnv) (*PolicySet, error) {
	data, err := PresetJSON(name)
	if err != nil {
		return nil, err
	}
	return CompilePolicies(data, env)
}

// DefaultStates returns the state names of the default ticket lifecycle (those
// of package feedback), which the presets refer to.
func DefaultStates() []string {
	return []string{
		"received", "triaged", "assigned", "in_progress", "waiting_customer",
		"waiting_third_party", "escalated", "resolved", "follow_up", "reopened",
		"closed", "merged", "rejected",
	}
}
