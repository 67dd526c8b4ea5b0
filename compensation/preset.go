package compensation

import (
	"embed"

	"github.com/closeloop/closeloop"
	"github.com/closeloop/closeloop/internal/preset"
)

//go:embed presets/*.json
var presetFS embed.FS

var presets = preset.New("compensation", presetFS, "presets")

// ErrUnknownPreset is returned by [Preset] and [PresetJSON] for a name that is
// not shipped (the same sentinel as [closeloop.ErrUnknownPreset]).
var ErrUnknownPreset = closeloop.ErrUnknownPreset

// PresetNames lists the shipped presets, sorted:
//
//   - "aws-ec2-region": cloud service credits by monthly uptime (10 / 30 / 100 %);
//   - "business-interruption": stepped compensation by business interruption
//     and economic loss, options the customer chooses from (source document
//     000, an after-sales repair service's report);
//   - "cn-cpl-art55": PRC consumer-protection law art. 55, refund plus three
//     times the price, at least 500 CNY;
//   - "complaint-goodwill": vouchers, points, priority service, care gift and
//     apology letter for complaints (source documents 001, complaint
//     grading, and 004, an enterprise's feedback scheme);
//   - "eu261-delay": EU Regulation 261/2004 flight delay, 250 / 400 / 600 EUR
//     by distance with the 50 % re-routing reduction;
//   - "ofgem-supply-restoration": GB electricity guaranteed standard, 95 / 190
//     GBP after 12 hours plus 45 GBP per further 12 hours.
//
// Presets are ordinary policy documents: read one with [PresetJSON], change it,
// and compile it with [ParsePolicy]. The numbered source documents are
// closeloop's five documents on customer-feedback handling (docs/documents.md
// in the repository).
func PresetNames() []string { return presets.Names() }

// PresetJSON returns a copy of the JSON document of a preset.
func PresetJSON(name string) ([]byte, error) { return presets.JSON(name) }

// Preset compiles the named preset.
func Preset(name string) (*Policy, error) { return preset.Parse(presets, name, ParsePolicy) }
