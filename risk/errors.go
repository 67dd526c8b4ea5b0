package risk

import (
	"errors"
	"fmt"
)

// Sentinels wrapped by every error of this package.
var (
	// ErrConfig is wrapped by every error of New and FromAccumulator.
	ErrConfig = errors.New("risk: invalid model")
	// ErrInput is wrapped by every error of Model.Risk and Model.RiskInto.
	ErrInput = errors.New("risk: invalid input")
)

// ConfigError refuses a model: Path names the offending part, as
// "levels[1].group_by[0]", "sources[\"resolution_internal\"]" or
// "min_samples".
type ConfigError struct {
	Path   string
	Reason string
	// Err is the underlying error (a metrics error from a rollup), if any.
	Err error
}

// Error describes the refusal.
func (e *ConfigError) Error() string {
	if e.Err != nil {
		return fmt.Sprintf("%v: %s: %s: %v", ErrConfig, e.Path, e.Reason, e.Err)
	}
	return fmt.Sprintf("%v: %s: %s", ErrConfig, e.Path, e.Reason)
}

// Unwrap returns ErrConfig and the underlying error.
func (e *ConfigError) Unwrap() []error {
	if e.Err != nil {
		return []error{ErrConfig, e.Err}
	}
	return []error{ErrConfig}
}

// InputError refuses the input of one Risk call: Field names it, as "facts",
// "report" or "report.metrics[2].elapsed". Nothing is estimated when the
// input is refused.
type InputError struct {
	Field  string
	Reason string
}

// Error describes the refusal.
func (e *InputError) Error() string {
	return fmt.Sprintf("%v: %s: %s", ErrInput, e.Field, e.Reason)
}

// Unwrap returns ErrInput.
func (e *InputError) Unwrap() error { return ErrInput }
