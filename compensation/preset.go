package compensation

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"sort"
	"strings"
)

//go:embed presets/*.json
var presetFS embed.FS

// ErrUnknownPreset is returned by Preset and PresetJSON for a name that is not shipped.
var ErrUnknownPreset = errors.New("unknown preset")

// PresetNames lists the shipped presets, sorted:
//
//   - "aws-ec2-region": cloud service credits by monthly uptime (10 / 30 / 100 %);
//   - "cn-cpl-art55": PRC consumer-protection law art. 55, refund plus three
//     times the price, at least 500 CNY;
//   - "doc000-stepped": stepped compensation by business interruption and
//     economic loss (source document 000);
//   - "doc001-goodwill": vouchers, points, priority service, care gift and
//     apology letter for complaints (source documents 001 and 004);
//   - "eu261-delay": EU Regulation 261/2004 flight delay, 250 / 400 / 600 EUR
//     by distance with the 50 % re-routing reduction;
//   - "ofgem-supply-restoration": GB electricity guaranteed standard, 95 / 190
//     GBP after 12 hours plus 45 GBP per further 12 hours.
//
// Presets are ordinary policy documents: read one with PresetJSON, change it,
// and compile it with ParsePolicy.
func PresetNames() []string {
	entries, _ := fs.ReadDir(presetFS, "presets")
	names := make([]string, 0, len(entries))
	for _, e := range entries {
		names = append(names, strings.TrimSuffix(e.Name(), ".json"))
	}
	sort.Strings(names)
	return names
}

// PresetJSON returns the JSON document of a preset.
func PresetJSON(name string) ([]byte, error) {
	if strings.ContainsAny(name, "/\\.") {
		return nil, fmt.Errorf("%w: %q", ErrUnknownPreset, name)
	}
	data, err := presetFS.ReadFile("presets/" + name + ".json")
	if err != nil {
		return nil, fmt.Errorf("%w: %q", ErrUnknownPreset, name)
	}
	return data, nil
}

// Preset compiles the named preset.
func Preset(name string) (*Policy, error) {
	data, err := PresetJSON(name)
	if err != nil {
		return nil, err
	}
	return ParsePolicy(data)
}
