package metrics

import (
	"math"
	"slices"

	"github.com/closeloop/closeloop/internal/rulesjson"
)

// PathError is the error type of rules decoding; Path names the offending
// JSON element, e.g. "$.channels.phone.speed".
type PathError = rulesjson.PathError

// weightScale quantises composite weights to 1e-4 so that index sums stay
// exact integers and merge in any order to the same figure.
const weightScale = 10000

// maxWeight bounds a composite weight (keeps integer sums far from overflow).
const maxWeight = 100

// CompositeSpec defines the composite satisfaction index: per-dimension
// scores ([Record.SatDims], 1..5) weighted by channel. JSON form:
//
//	{"dimensions": ["attitude", "speed", "resolution"],
//	 "default":  {"attitude": 1, "speed": 1, "resolution": 2},
//	 "channels": {"phone": {"attitude": 2}, "app": {"speed": 2}}}
//
// Dimensions fix the order of Record.SatDims (at most [MaxSatDims]). A
// channel's weights override the default dimension by dimension; a
// dimension named nowhere weighs 0. Weights lie in [0, 100] and are used to
// four decimals.
type CompositeSpec struct {
	Dimensions []string                      `json:"dimensions"`
	Default    map[string]float64            `json:"default"`
	Channels   map[string]map[string]float64 `json:"channels,omitempty"`
}

// ParseCompositeSpec strictly decodes and validates a [CompositeSpec].
func ParseCompositeSpec(data []byte) (*CompositeSpec, error) {
	var c CompositeSpec
	if err := rulesjson.Decode(data, &c); err != nil {
		return nil, err
	}
	if err := c.Validate(); err != nil {
		return nil, err
	}
	return &c, nil
}

// Validate checks the rules; errors are *[PathError].
func (c *CompositeSpec) Validate() error {
	if len(c.Dimensions) == 0 {
		return rulesjson.Errorf("$.dimensions", "at least one dimension required")
	}
	if len(c.Dimensions) > MaxSatDims {
		return rulesjson.Errorf("$.dimensions", "at most %d dimensions, got %d", MaxSatDims, len(c.Dimensions))
	}
	for i, d := range c.Dimensions {
		if d == "" {
			return rulesjson.Errorf(rulesjson.Index("$.dimensions", i), "empty name")
		}
		if slices.Index(c.Dimensions[:i], d) >= 0 {
			return rulesjson.Errorf(rulesjson.Index("$.dimensions", i), "dimension %q repeated", d)
		}
	}
	check := func(path string, ws map[string]float64) error {
		for d, w := range ws {
			p := rulesjson.Field(path, d)
			if slices.Index(c.Dimensions, d) < 0 {
				return rulesjson.Errorf(p, "unknown dimension %q", d)
			}
			if math.IsNaN(w) || w < 0 || w > maxWeight {
				return rulesjson.Errorf(p, "weight %v outside [0, %d]", w, maxWeight)
			}
		}
		return nil
	}
	if err := check("$.default", c.Default); err != nil {
		return err
	}
	for ch, ws := range c.Channels {
		if err := check(rulesjson.Field("$.channels", ch), ws); err != nil {
			return err
		}
	}
	return nil
}

// DimensionIndex returns the [Record.SatDims] position of a dimension, or -1.
func (c *CompositeSpec) DimensionIndex(name string) int { return slices.Index(c.Dimensions, name) }

func (a *Aggregator) compileComposite(c *CompositeSpec) error {
	if err := c.Validate(); err != nil {
		return err
	}
	q := func(w float64) int64 { return int64(math.Round(w * weightScale)) }
	a.defWeights = new([MaxSatDims]int64)
	for i, d := range c.Dimensions {
		a.defWeights[i] = q(c.Default[d])
	}
	a.weights = make(map[string]*[MaxSatDims]int64, len(c.Channels))
	for ch, ws := range c.Channels {
		w := *a.defWeights
		for i, d := range c.Dimensions {
			if v, ok := ws[d]; ok {
				w[i] = q(v)
			}
		}
		a.weights[ch] = &w
	}
	return nil
}

// channelWeights returns the quantised weights for a channel.
func (a *Aggregator) channelWeights(channel string) *[MaxSatDims]int64 {
	if w, ok := a.weights[channel]; ok {
		return w
	}
	return a.defWeights
}
