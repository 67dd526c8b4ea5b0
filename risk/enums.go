package risk

import (
	"fmt"

	"github.com/closeloop/closeloop/metrics"
	"github.com/closeloop/closeloop/sla"
)

// Source names one of the historical duration distributions a
// metrics.Group holds.
type Source uint8

// The distributions. Business ones are the host's business-time durations
// (metrics.Record.FirstResponseBusiness, ResolutionBusiness); elapsed ones
// are wall-clock time from Received.
const (
	// FirstResponseBusiness ("first_response_business") is
	// metrics.Group.FirstResponseBusiness.
	FirstResponseBusiness Source = iota + 1
	// FirstResponseElapsed ("first_response_elapsed") is
	// metrics.Group.FirstResponseElapsed.
	FirstResponseElapsed
	// ResolutionBusiness ("resolution_business") is
	// metrics.Group.ResolutionBusiness.
	ResolutionBusiness
	// ResolutionElapsed ("resolution_elapsed") is
	// metrics.Group.ResolutionElapsed.
	ResolutionElapsed
)

const numSources = int(ResolutionElapsed) + 1

var sourceNames = [...]string{"", "first_response_business", "first_response_elapsed", "resolution_business", "resolution_elapsed"}

func (s Source) valid() bool { return s >= FirstResponseBusiness && s <= ResolutionElapsed }

// String returns the source's JSON name ("" for the zero value, which means
// "none").
func (s Source) String() string {
	if int(s) < len(sourceNames) {
		return sourceNames[s]
	}
	return "unknown"
}

// MarshalText encodes the source as its name.
func (s Source) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText decodes a source from its name ("" is none).
func (s *Source) UnmarshalText(b []byte) error {
	return unmarshalName(b, sourceNames[:], (*uint8)(s), "source", true)
}

// stats returns the distribution of g that s names.
func (s Source) stats(g *metrics.Group) *metrics.DurationStats {
	switch s {
	case FirstResponseBusiness:
		return &g.FirstResponseBusiness
	case FirstResponseElapsed:
		return &g.FirstResponseElapsed
	case ResolutionBusiness:
		return &g.ResolutionBusiness
	case ResolutionElapsed:
		return &g.ResolutionElapsed
	}
	return nil
}

// DefaultSource is the distribution a metric of kind k with a target in unit
// u is compared with when Config.Sources does not name it: first_response
// and resolution clocks on business or working-days targets read the
// business-time distribution, on elapsed targets the wall-clock one. Other
// kinds have none (0).
func DefaultSource(k sla.MetricKind, u sla.Unit) Source {
	elapsed := u == sla.Elapsed
	switch {
	case k == sla.FirstResponse && elapsed:
		return FirstResponseElapsed
	case k == sla.FirstResponse:
		return FirstResponseBusiness
	case k == sla.Resolution && elapsed:
		return ResolutionElapsed
	case k == sla.Resolution:
		return ResolutionBusiness
	}
	return 0
}

// Basis says what a MetricRisk's probability rests on.
type Basis uint8

// The bases. Only Estimated and Certain carry a probability; the others
// report 0 and say why.
const (
	// Estimated ("estimated"): from a historical distribution, see
	// MetricRisk.Group.
	Estimated Basis = iota + 1
	// Certain ("certain"): the clock has breached; the probability is 1.
	Certain
	// NoRisk ("no_risk"): the clock stopped (met), was cancelled, or has no
	// target; it cannot breach. The probability is 0.
	NoRisk
	// NotStarted ("not_started"): the clock is pending; nothing is
	// estimated until it starts.
	NotStarted
	// NoDistribution ("no_distribution"): the clock can breach but no
	// historical distribution corresponds to its kind (see Config.Sources).
	NoDistribution
	// BeyondHistory ("beyond_history"): the clock can breach but no
	// historical duration at any level is longer than its elapsed time, so
	// the history says nothing about what comes next.
	BeyondHistory
)

var basisNames = [...]string{"", "estimated", "certain", "no_risk", "not_started", "no_distribution", "beyond_history"}

// String returns the basis's JSON name.
func (b Basis) String() string {
	if int(b) < len(basisNames) && b != 0 {
		return basisNames[b]
	}
	return "unknown"
}

// Known reports whether the basis carries a probability (Estimated or
// Certain).
func (b Basis) Known() bool { return b == Estimated || b == Certain }

// canBreach reports whether the clock behind the basis can still breach or
// has breached.
func (b Basis) canBreach() bool {
	return b == Estimated || b == Certain || b == NoDistribution || b == BeyondHistory
}

// MarshalText encodes the basis as its name.
func (b Basis) MarshalText() ([]byte, error) { return []byte(b.String()), nil }

// UnmarshalText decodes a basis from its name.
func (b *Basis) UnmarshalText(t []byte) error {
	return unmarshalName(t, basisNames[:], (*uint8)(b), "basis", false)
}

// Shortfall says why a level's group was passed over.
type Shortfall uint8

// The shortfalls.
const (
	// Used (""): the group was used.
	Used Shortfall = iota
	// NoGroup ("no_group"): the level has no group with the ticket's values.
	NoGroup
	// FewTickets ("few_tickets"): the group has fewer durations of the
	// metric than Config.MinSamples.
	FewTickets
	// FewLonger ("few_longer"): fewer of the group's durations than
	// Config.MinLonger are longer than the clock's elapsed time.
	FewLonger
)

var shortfallNames = [...]string{"", "no_group", "few_tickets", "few_longer"}

// String returns the shortfall's JSON name ("" for Used).
func (s Shortfall) String() string {
	if int(s) < len(shortfallNames) {
		return shortfallNames[s]
	}
	return "unknown"
}

// MarshalText encodes the shortfall as its name.
func (s Shortfall) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText decodes a shortfall from its name.
func (s *Shortfall) UnmarshalText(b []byte) error {
	return unmarshalName(b, shortfallNames[:], (*uint8)(s), "shortfall", true)
}

// unmarshalName sets *v to the index of name b in names; index 0 (the
// empty name) matches only when zeroOK.
func unmarshalName(b []byte, names []string, v *uint8, what string, zeroOK bool) error {
	for i, n := range names {
		if n == string(b) && (i > 0 || zeroOK) {
			*v = uint8(i)
			return nil
		}
	}
	return fmt.Errorf("risk: unknown %s %q", what, b)
}
