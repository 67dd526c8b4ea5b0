package sla

// Interim stand-in for internal/rulesjson (owned by the lead, not yet on main).
// It is replaced by thin wrappers over rulesjson when that package lands.

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strconv"
)

// PathError is an error in a rules document, with the JSON path of the offending value.
type PathError struct {
	Path string
	Err  error
}

func (e *PathError) Error() string { return e.Path + ": " + e.Err.Error() }

// Unwrap returns the underlying error.
func (e *PathError) Unwrap() error { return e.Err }

var errUnknownField = errors.New("unknown field")

func rjDecode(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			return &PathError{Path: "$." + te.Field, Err: err}
		}
		return &PathError{Path: "$", Err: err}
	}
	if _, err := dec.Token(); err != io.EOF {
		return &PathError{Path: "$", Err: errors.New("trailing data")}
	}
	return nil
}

func rjErrorf(path, format string, args ...any) *PathError {
	return &PathError{Path: path, Err: fmt.Errorf(format, args...)}
}

func rjField(path, name string) string { return path + "." + name }

func rjIndex(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }
