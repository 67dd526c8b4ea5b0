package closeloop_test

import (
	"errors"
	"fmt"

	"github.com/closeloop/closeloop"
)

// The error contract: every rules document error is a *closeloop.PathError
// that says where, and wraps a sentinel that says what.
func ExamplePathError() {
	err := fmt.Errorf("loading rules: %w", &closeloop.PathError{Path: "$.sla.policies[0].nmae", Err: closeloop.ErrUnknownField})
	var pe *closeloop.PathError
	fmt.Println(errors.As(err, &pe), pe.Path, errors.Is(err, closeloop.ErrUnknownField))
	// Output: true $.sla.policies[0].nmae true
}
