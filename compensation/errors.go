package compensation

import (
	"errors"
	"fmt"

	"github.com/closeloop/closeloop/internal/rulesjson"
)

// PathError is an error located at a JSON path of a policy document, such as
// "$.schedules[0].bands[2].range". Every error from [ParsePolicy] and
// [NewPolicy] is a *PathError; test the underlying problem with [errors.Is]
// against the Err… sentinels below.
type PathError = rulesjson.PathError

// Sentinel errors. Rules errors wrap them inside a *[PathError]; claim errors
// wrap them inside an *[InputError]; [errors.Is] finds them either way.
var (
	// ErrUnknownCurrency: a currency code that is not in the ISO 4217 table.
	ErrUnknownCurrency = errors.New("unknown currency")
	// ErrNegativeAmount: an amount (or a multiplier, share or count) below zero.
	ErrNegativeAmount = errors.New("negative amount")
	// ErrBadAmount: an amount that is not a plain decimal string, has more
	// fraction digits than its currency allows, or is out of range.
	ErrBadAmount = errors.New("invalid amount")
	// ErrBadNumber: a number, percentage, multiplier or duration that cannot be parsed or is out of range.
	ErrBadNumber = errors.New("invalid number")
	// ErrShareOver100: a percentage that is a share of something is over 100 %.
	ErrShareOver100 = errors.New("share over 100 %")
	// ErrBadRange: a band range that is not of the form "[a, b)" or is empty.
	ErrBadRange = errors.New("invalid band range")
	// ErrOverlap: two bands of a schedule overlap or are out of ascending order.
	ErrOverlap = errors.New("bands overlap")
	// ErrGap: two neighbouring bands leave values uncovered and the schedule does not allow gaps.
	ErrGap = errors.New("bands leave a gap")
	// ErrInvalidRule: any other inconsistency in a policy document (missing
	// field, field that does not belong to the option's kind, duplicate id, …).
	ErrInvalidRule = errors.New("invalid rule")

	// ErrMissingInput: the claim lacks an input a schedule's measure or an option's base needs.
	ErrMissingInput = errors.New("missing input")
	// ErrUnknownInput: the claim carries an input that no schedule,
	// condition or formula of the policy reads (a misspelt name, an input
	// of another policy). [Policy.Inputs] lists what the policy reads.
	ErrUnknownInput = errors.New("unknown input")
	// ErrWrongMap: the claim carries an input in one map (numbers) that the
	// policy reads from another (amounts). It wraps ErrUnknownInput, so
	// errors.Is(err, ErrUnknownInput) holds for it too.
	ErrWrongMap error = &childError{msg: "input in the wrong map", parent: ErrUnknownInput}
	// ErrInvalidInput: a claim input is out of range (negative duration,
	// percentage over 100, unknown priority, …).
	ErrInvalidInput = errors.New("invalid input")
	// ErrCurrencyMismatch: an amount in a currency other than the policy's.
	ErrCurrencyMismatch = errors.New("currency mismatch")
	// ErrAmountOutOfRange: an option of the offer would come to 10^30 or
	// more, beyond what an offer carries ([Money.UnmarshalJSON] reads amounts
	// below 10^30). Only an uncapped per-period option on a huge measure
	// gets there.
	ErrAmountOutOfRange = errors.New("amount out of range")

	// ErrNoSuchOption: [Offer.Choose] was given an id that the offer does not
	// list.
	ErrNoSuchOption = errors.New("no such option in the offer")
)

// InputError reports a problem with one input of a [Claim].
type InputError struct {
	// Input names the input at fault: Map + "." + Name for an input of a
	// claim map ("durations.delay"), Name alone for another [Claim] field
	// ("priority", "granted_in_period").
	Input string
	// Map is the claim map the input was given in (or, when it is missing,
	// the map the policy reads it from): "durations", "amounts", "numbers"
	// or "flags"; "" for the other [Claim] fields.
	Map string
	// Name is the key in Map, or the [Claim] field in snake_case.
	Name string
	// Err wraps one of [ErrMissingInput], [ErrUnknownInput], [ErrWrongMap],
	// [ErrInvalidInput], [ErrNegativeAmount], [ErrBadAmount],
	// [ErrCurrencyMismatch], [ErrAmountOutOfRange].
	Err error
}

// Error reports the input and the problem.
func (e *InputError) Error() string {
	return "compensation: claim input " + e.Input + ": " + e.Err.Error()
}

// Unwrap returns the underlying problem.
func (e *InputError) Unwrap() error { return e.Err }

func errorf(sentinel error, format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{sentinel}, args...)...)
}

func pathErr(path string, sentinel error, format string, args ...any) *PathError {
	return &PathError{Path: path, Err: errorf(sentinel, format, args...)}
}

// inputErr reports input name of claim map m ("" for another Claim field).
func inputErr(m, name string, sentinel error, format string, args ...any) *InputError {
	return inputWrap(m, name, errorf(sentinel, format, args...))
}

func inputWrap(m, name string, err error) *InputError {
	in := name
	if m != "" {
		in = m + "." + name
	}
	return &InputError{Input: in, Map: m, Name: name, Err: err}
}

// childError is a sentinel that refines another: errors.Is finds both.
type childError struct {
	msg    string
	parent error
}

func (e *childError) Error() string { return e.msg }
func (e *childError) Unwrap() error { return e.parent }
