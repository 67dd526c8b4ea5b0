package feedback

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"strings"

	"github.com/closeloop/closeloop/internal/rulesjson"
)

// MarshalSnapshot encodes a ticket, history included, as JSON. Instants are
// written in UTC with nanoseconds, so ParseSnapshot gives back an equal ticket.
func MarshalSnapshot(t *Ticket) ([]byte, error) {
	return json.Marshal(t)
}

// ParseSnapshot strictly decodes a snapshot written by MarshalSnapshot and
// checks that it hangs together (ID present, version equal to the number of
// events, events numbered 1, 2, 3, ...). Decoding errors are *PathError naming
// the JSON path; inconsistencies are *FieldError wrapping ErrInvalidTicket.
// Use Rules.Restore to also check the snapshot against its history.
func ParseSnapshot(data []byte) (*Ticket, error) {
	var t Ticket
	if err := decodeStrict(data, &t); err != nil {
		return nil, err
	}
	if t.ID == "" {
		return nil, fieldErr("id", ErrInvalidTicket, "a ticket needs an ID")
	}
	if t.Version != int64(len(t.History)) {
		return nil, fieldErr("version", ErrInvalidTicket, "version %d but %d events", t.Version, len(t.History))
	}
	for i, ev := range t.History {
		if ev.Seq != int64(i+1) || ev.Version != ev.Seq {
			return nil, fieldErr("history["+itoa(i)+"]", ErrInvalidTicket, "event has seq %d version %d, want %d", ev.Seq, ev.Version, i+1)
		}
	}
	return &t, nil
}

// decodeStrict decodes exactly one JSON value with unknown fields refused.
// Snapshots are machine-written and hot, so this is encoding/json with
// DisallowUnknownFields rather than the (slower, two-pass) rules decoder;
// errors still come as *PathError.
func decodeStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) {
			path := "$"
			if te.Field != "" {
				path = "$." + te.Field
			}
			return &PathError{Path: path, Err: fmt.Errorf("%w: %v", rulesjson.ErrType, err)}
		}
		var se *json.SyntaxError
		if errors.As(err, &se) || errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
			return &PathError{Path: "$", Err: fmt.Errorf("%w: %v", rulesjson.ErrSyntax, err)}
		}
		if strings.HasPrefix(err.Error(), "json: unknown field ") {
			return &PathError{Path: "$", Err: fmt.Errorf("%w: %s", rulesjson.ErrUnknownField, strings.TrimPrefix(err.Error(), "json: "))}
		}
		return &PathError{Path: "$", Err: err}
	}
	if _, err := dec.Token(); err != io.EOF {
		return &PathError{Path: "$", Err: rulesjson.ErrTrailingData}
	}
	return nil
}

// Restore decodes a snapshot and verifies it against these rules: replaying
// its history must rebuild exactly the ticket the snapshot states. A snapshot
// edited by hand, truncated or written under an incompatible lifecycle is
// refused with an error wrapping ErrInvalidTicket.
func (r *Rules) Restore(data []byte) (*Ticket, error) {
	t, err := ParseSnapshot(data)
	if err != nil {
		return nil, err
	}
	replayed, err := r.Replay(t.History)
	if err != nil {
		return nil, err
	}
	if !t.sameData(replayed) {
		return nil, fieldErr("ticket", ErrInvalidTicket, "the snapshot's fields disagree with its history")
	}
	return replayed, nil
}
