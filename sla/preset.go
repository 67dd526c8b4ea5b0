package sla

import (
	"embed"

	"github.com/closeloop/closeloop"
	"github.com/closeloop/closeloop/internal/preset"
)

//go:embed presets/*.json
var presetFS embed.FS

var presets = preset.New("sla", presetFS, "presets")

// ErrUnknownPreset is returned by [Preset] and [PresetJSON] for a name that is
// not shipped (the same sentinel as [closeloop.ErrUnknownPreset]).
var ErrUnknownPreset = closeloop.ErrUnknownPreset

// The built-in policy presets. Each name is also the "name" inside its
// document, and matches the priority preset of the same source where there
// is one (priority.PresetAfterSales, priority.PresetComplaintGrading).
const (
	// PresetAfterSales is source 002: response P0 24 h, P1 48 h, P2 72 h,
	// P3 next cycle (tracked, no deadline), the customer told when a
	// response falls overdue; follow-up 24/24/48/72 h.
	PresetAfterSales = "after-sales"
	// PresetComplaintGrading is source 001: emergency (P0 complaint) 1 h
	// with senior management, legal and PR notified at once; high (P1) 4 h
	// with hourly progress updates; a second visit within 30 days after
	// either (a major complaint), running after close; normal 24 h;
	// suggestion 5 working days.
	PresetComplaintGrading = "complaint-grading"
	// PresetEnterprise is source 004: classification 1 h; ordinary 24 h
	// response / 72 h resolution; complex 48 h / 5 working days with a delay
	// request due 1 working day before; follow-up within a week.
	PresetEnterprise = "enterprise"
	// PresetRepair is source 000: inspection 24 h, repair 3 days, from
	// progress-node events; the root-cause report for a repeated fault
	// within 24 h, an internal target of the technology department.
	PresetRepair = "repair"
	// PresetDocuments is the five source documents in one policy set, the
	// SLA section of feedback.PresetRulesJSON. The first policy whose
	// conditions hold applies:
	//
	//	attr.business_line "ecommerce", or a 003 problem type  document 003: urgent 24 h, normal 3 working days
	//	attr.business_line "enterprise"                         document 004: complex 48 h / 5 working days, ordinary 24 h / 72 h
	//	a complaint (kind or category) at P0, P1, other         document 001: emergency 1 h, high 4 h, normal 24 h
	//	kind "suggestion"                                       document 001: 5 working days
	//	kind "inquiry" at P0, complex, other                    document 001: 15 min, roadmap in 24 h, 2 h
	//	everything else                                         document 002 by priority, with 000's repair stages
	//
	// Where documents time different steps of the same ticket they are
	// combined (a complaint's response from 001, its resolution from 004,
	// its follow-up from 002); where they disagree, each policy's
	// description says which one the preset follows and why. Internal
	// targets (000's root-cause report, 001's feasibility report and
	// competitor analysis) name the calendar "cn-office" explicitly, so a
	// host compiling this preset needs a calendar of that name; it is also
	// the default calendar. docs/trace.md maps every rule of the documents
	// to the policy that implements it.
	PresetDocuments = "documents"
)

// PresetNames returns the names of the built-in policy presets (the Preset
// constants), sorted.
//
// Presets are ordinary policy documents: read one with [PresetJSON], edit it,
// and compile it with [ParsePolicySet]. complaint-grading and enterprise
// count working days on their default calendar "business": name a calendar
// so in [PolicyEnv.Calendars], or set [PolicyEnv.DefaultCalendar] to one of
// yours. documents counts on "cn-office", which its internal targets name
// explicitly. All of them use state names from [DefaultStates].
func PresetNames() []string { return presets.Names() }

// PresetJSON returns a copy of a preset's JSON document.
func PresetJSON(name string) ([]byte, error) { return presets.JSON(name) }

// Preset compiles a built-in preset against env.
func Preset(name string, env PolicyEnv) (*PolicySet, error) {
	return preset.Parse(presets, name, func(data []byte) (*PolicySet, error) { return ParsePolicySet(data, env) })
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
