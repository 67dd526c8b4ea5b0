package priority

import (
	"embed"

	"github.com/closeloop/closeloop"
	"github.com/closeloop/closeloop/internal/preset"
)

//go:embed presets/*.json
var presetFS embed.FS

var presets = preset.New("priority", presetFS, "presets")

// ErrUnknownPreset is returned by [Preset] and [PresetJSON] for a name that is
// not shipped (the same sentinel as [closeloop.ErrUnknownPreset]).
var ErrUnknownPreset = closeloop.ErrUnknownPreset

// The presets: ordinary rules documents, embedded from presets/*.json.
// Start from one with [PresetJSON], edit, and [Parse] the result.
const (
	// PresetAfterSales is document 002's after-sales rules: a weighted score
	// of impact, urgency and severity (10 points per step, core function
	// +15, repeated fault +5; P0 ≥ 70, P1 ≥ 40, P2 ≥ 10, else P3), impact
	// from customers affected (2, 50, 1000), the tier from the taxonomy's
	// tier names (new, churned 1; returning 2; high_value 3; vip 4), then
	// overrides: safety risk ⇒ P0; core function down for many or important
	// customers ⇒ P0; a VIP raises one level; a service-experience issue
	// or a suggestion is at most P2 unless there is a safety risk; P0 needs
	// a core-function or safety issue. It reproduces the document's two
	// worked rows:
	// F20240301001 (battery batch fault, ~500 phones, high urgency, medium
	// severity, no safety risk) → P1 and F20240301002 (one installation
	// visit, installer without uniform: medium urgency, low severity) → P2.
	PresetAfterSales = "after-sales"
	// PresetComplaintGrading is document 001's complaint grading:
	// emergency (personal safety, major property loss, legal risk; respond
	// within 1 h), high (core experience hit: order not delivered, system
	// failure; 4 h), normal (minor defect, delay; 24 h), suggestion (5
	// working days), as a severity × urgency matrix with flag overrides.
	// Its levels are named emergency, high, normal, suggestion and map to
	// P0..P3.
	PresetComplaintGrading = "complaint-grading"
	// PresetFourQuadrants is document 003's four quadrants: urgent
	// (urgency ≥ 3, or safety/property/legal risk) × important (impact ≥ 3,
	// a high-value customer, severity ≥ 3, or any flag); do_now → P0,
	// coordinate → P1, plan → P2, backlog → P3.
	PresetFourQuadrants = "four-quadrants"
	// PresetCustomerValue is document 001's customer value matrix:
	// customer importance (tier) × demand urgency → P0..P3.
	PresetCustomerValue = "customer-value"
)

// PresetNames lists the preset names (the [Preset] constants), sorted.
func PresetNames() []string { return presets.Names() }

// PresetJSON returns a copy of the rules document of the named preset.
func PresetJSON(name string) ([]byte, error) { return presets.JSON(name) }

// Preset compiles the named preset.
func Preset(name string) (*Scorer, error) { return preset.Parse(presets, name, Parse) }
