package priority

import (
	"errors"
	"strconv"
	"strings"

	"github.com/closeloop/closeloop"
)

// PathError is a rules error that names the offending JSON path, such as
// "$.weighted.bands[1].at_least": closeloop's one error contract
// ([closeloop.PathError]). Use [errors.As] to get it and [errors.Is] with
// [ErrInvalidRules], [ErrNotMonotonic] or the decoding sentinels
// ([closeloop.ErrUnknownField], ...) to classify it.
type PathError = closeloop.PathError

// Sentinel errors; test with [errors.Is].
var (
	// ErrInvalidRules: the rules document is well-formed JSON but not a
	// valid policy (a missing method, an unknown level name, a bad scale).
	ErrInvalidRules = errors.New("invalid priority rules")
	// ErrNotMonotonic: the rules would let a rising input lower the level
	// (a matrix cell less urgent than its neighbour, a negative weight,
	// bands out of order, a conditional cap).
	ErrNotMonotonic = errors.New("priority rules not monotonic")
	// ErrOutOfScale: an input value lies outside its scale.
	ErrOutOfScale = errors.New("input out of scale")
	// ErrNegativeCount: a count input (affected, business, value) is negative.
	ErrNegativeCount = errors.New("negative count")
	// ErrUnknownFlag: a flag bit or flag name that does not exist.
	ErrUnknownFlag = errors.New("unknown flag")
	// ErrUnknownLevel: a level string that is not a level (the same
	// sentinel as [closeloop.ErrUnknownLevel]).
	ErrUnknownLevel = closeloop.ErrUnknownLevel
	// ErrUnknownTier: a tier name ([Input.TierName]) the rules' tier_from
	// names do not map.
	ErrUnknownTier = errors.New("unknown tier name")
)

// InputError reports an invalid [Input] field. Err is one of
// [ErrOutOfScale], [ErrNegativeCount], [ErrUnknownFlag] or [ErrUnknownTier].
type InputError struct {
	Field    string // "impact", "urgency", "severity", "tier", "affected", "business", "value", "flags", "tier_name"
	Value    int64  // the value given
	Min, Max int64  // the valid range (for scales)
	// Name is the tier name given and Known the names the rules map, for
	// [ErrUnknownTier].
	Name  string
	Known []string
	Err   error
}

// Error describes the field, its value and the valid range, or the tier
// name and the names the rules know.
func (e *InputError) Error() string {
	if e.Field == "tier_name" {
		s := "priority: tier_name " + strconv.Quote(e.Name) + ": " + e.Err.Error()
		if len(e.Known) == 0 {
			return s + " (the rules map no tier names: add tier_from.names)"
		}
		return s + " (the rules map " + strings.Join(e.Known, ", ") + ")"
	}
	s := "priority: " + e.Field + " " + strconv.FormatInt(e.Value, 10) + ": " + e.Err.Error()
	if errors.Is(e.Err, ErrOutOfScale) {
		s += " " + strconv.FormatInt(e.Min, 10) + ".." + strconv.FormatInt(e.Max, 10)
	}
	return s
}

// Unwrap returns the sentinel.
func (e *InputError) Unwrap() error { return e.Err }

// ruleError is the Err inside a PathError raised by validation: its text is
// the message, and it unwraps to ErrInvalidRules or ErrNotMonotonic.
type ruleError struct {
	msg  string
	kind error
}

func (e *ruleError) Error() string { return e.msg }
func (e *ruleError) Unwrap() error { return e.kind }

// Is makes every validation error match [ErrInvalidRules], including the
// [ErrNotMonotonic] ones.
func (e *ruleError) Is(target error) bool { return target == ErrInvalidRules }

func invalid(path, msg string) error {
	return &PathError{Path: path, Err: &ruleError{msg: msg, kind: ErrInvalidRules}}
}

func notMonotonic(path, msg string) error {
	return &PathError{Path: path, Err: &ruleError{msg: msg, kind: ErrNotMonotonic}}
}
