package priority

import (
	"fmt"
	"strconv"

	"github.com/closeloop/closeloop"
)

// Level is a priority level, "P0" (most urgent) to "P9": closeloop's one
// priority contract ([closeloop.Level]), shared with the sla and
// compensation packages. Whatever the rules call a level ("emergency",
// "high"), its Level is its position in [Spec.Levels].
type Level = closeloop.Level

// The default levels of document 002 (the after-sales process).
const (
	P0 = closeloop.P0 // urgent: core function or safety risk, many or important customers
	P1 = closeloop.P1 // high: secondary function, use blocked
	P2 = closeloop.P2 // medium: service experience or improvement suggestion
	P3 = closeloop.P3 // low: minor flaw, non-urgent suggestion
)

// MaxLevels is the largest number of levels a policy may have.
const MaxLevels = closeloop.MaxLevels

// ParseLevel parses "P0".."P9" (the level strings other packages use);
// the error wraps [ErrUnknownLevel].
func ParseLevel(s string) (Level, error) { return closeloop.ParseLevel(s) }

// Flags is a set of yes/no facts about a ticket that can raise its priority.
type Flags uint8

// The flags of documents 001 and 002.
const (
	PersonalSafety    Flags = 1 << iota // a person's safety is at risk
	MajorPropertyLoss                   // major property loss
	LegalRisk                           // legal or regulatory risk
	CoreFunction                        // a core function is down
	RepeatedFault                       // the same fault came back

	allFlags = PersonalSafety | MajorPropertyLoss | LegalRisk | CoreFunction | RepeatedFault
)

var flagNames = [...]string{"personal_safety", "major_property_loss", "legal_risk", "core_function", "repeated_fault"}

// FlagNames returns the rules-document names of all flags, in bit order.
func FlagNames() []string { return append([]string(nil), flagNames[:]...) }

// ParseFlag returns the flag called name in rules documents
// ("personal_safety", "major_property_loss", "legal_risk", "core_function",
// "repeated_fault").
func ParseFlag(name string) (Flags, error) {
	for i, n := range flagNames {
		if n == name {
			return 1 << i, nil
		}
	}
	return 0, fmt.Errorf("priority: %w: %q", ErrUnknownFlag, name)
}

// Has reports whether every flag of g is set in f.
func (f Flags) Has(g Flags) bool { return f&g == g }

// String lists the set flags by name, joined by "|"; "none" if empty.
func (f Flags) String() string {
	if f == 0 {
		return "none"
	}
	s := ""
	for i, n := range flagNames {
		if f&(1<<i) != 0 {
			if s != "" {
				s += "|"
			}
			s += n
		}
	}
	if rest := f &^ allFlags; rest != 0 {
		if s != "" {
			s += "|"
		}
		s += "0x" + strconv.FormatUint(uint64(rest), 16)
	}
	return s
}

// Quadrant is a cell of the urgent × important grid of document 003.
type Quadrant uint8

// The quadrants. QuadrantNone means the rules have no quadrant test.
const (
	QuadrantNone Quadrant = iota
	DoNow                 // urgent and important: act now, start within 24 h
	Plan                  // important, not urgent: quarterly plan with milestones
	Coordinate            // urgent, not important: coordinate the teams quickly
	Backlog               // neither: backlog, next regular improvement cycle
)

var quadrantNames = [...]string{"none", "do_now", "plan", "coordinate", "backlog"}

var quadrantActions = [...]string{
	"",
	"act now: start the response within 24 hours",
	"put it in the quarterly plan with milestones",
	"get the teams concerned to act quickly",
	"keep it in the backlog for the next regular improvement cycle",
}

// String returns "do_now", "plan", "coordinate", "backlog" or "none".
func (q Quadrant) String() string {
	if int(q) < len(quadrantNames) {
		return quadrantNames[q]
	}
	return "Quadrant(" + strconv.Itoa(int(q)) + ")"
}

// Action returns the document's action for the quadrant, "" for none.
func (q Quadrant) Action() string {
	if int(q) < len(quadrantActions) {
		return quadrantActions[q]
	}
	return ""
}

// Urgent reports whether the quadrant is one of the urgent two.
func (q Quadrant) Urgent() bool { return q == DoNow || q == Coordinate }

// Important reports whether the quadrant is one of the important two.
func (q Quadrant) Important() bool { return q == DoNow || q == Plan }

// MarshalText encodes the quadrant by its [Quadrant.String].
func (q Quadrant) MarshalText() ([]byte, error) {
	if int(q) >= len(quadrantNames) {
		return nil, fmt.Errorf("priority: quadrant %d out of range", int(q))
	}
	return []byte(q.String()), nil
}

// UnmarshalText decodes a quadrant [Quadrant.String].
func (q *Quadrant) UnmarshalText(b []byte) error {
	for i, n := range quadrantNames {
		if n == string(b) {
			*q = Quadrant(i)
			return nil
		}
	}
	return fmt.Errorf("priority: unknown quadrant %q", string(b))
}
