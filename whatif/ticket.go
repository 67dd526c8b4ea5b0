package whatif

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/closeloop/closeloop/sla"
)

// Ticket is one ticket's history as the replay needs it: the attributes SLA
// policy conditions look at, the timeline of states, events and priority
// changes, and any compensation claim inputs the host recorded. It is plain
// data; one Ticket is one line of a newline-delimited JSON file:
//
//	{"id":"T000001","customer":"C0042","attributes":{"kind":"complaint","priority":"P1","tier":"vip"},
//	 "timeline":[{"at":"2024-03-04T09:12:00Z","kind":"state","state":"received"}, ...],
//	 "claim":{"durations":{"business_interruption":"3h"}}}
type Ticket struct {
	// ID names the ticket; it is copied into compensation claims.
	ID string `json:"id"`
	// Customer names the customer; it is copied into compensation claims.
	Customer string `json:"customer,omitempty"`
	// Attributes are matched by SLA policy conditions; Attributes.Tier also
	// selects the compensation tier multiplier.
	Attributes sla.Attributes `json:"attributes"`
	// Timeline is the ticket's history in non-decreasing order of instants,
	// its first entry the opening.
	Timeline []sla.Entry `json:"timeline"`
	// Claim holds compensation inputs other than the SLA overruns, which the
	// replay derives itself.
	Claim ClaimInputs `json:"claim,omitzero"`
}

// ClaimInputs are the compensation claim inputs a ticket carries (see
// compensation.Claim). Amounts and numbers are decimal strings; amounts are
// read in the compensation policy's currency.
type ClaimInputs struct {
	Durations map[string]Duration `json:"durations,omitempty"`
	Amounts   map[string]string   `json:"amounts,omitempty"`
	Numbers   map[string]string   `json:"numbers,omitempty"`
	Flags     map[string]bool     `json:"flags,omitempty"`
}

// IsZero reports whether no claim input is set.
func (c ClaimInputs) IsZero() bool {
	return len(c.Durations) == 0 && len(c.Amounts) == 0 && len(c.Numbers) == 0 && len(c.Flags) == 0
}

// Duration is a time.Duration written in JSON as Go duration text ("90m", "3h0m0s").
type Duration time.Duration

// MarshalText writes the duration as time.Duration.String does.
func (d Duration) MarshalText() ([]byte, error) { return []byte(time.Duration(d).String()), nil }

// UnmarshalText parses Go duration text.
func (d *Duration) UnmarshalText(b []byte) error {
	v, err := time.ParseDuration(string(b))
	if err != nil {
		return err
	}
	*d = Duration(v)
	return nil
}

// ErrTicket is wrapped by every ticket decoding error.
var ErrTicket = errors.New("whatif: invalid ticket")

// DecodeTicket decodes one ticket from JSON, strictly: unknown fields and
// trailing data are errors (wrapping ErrTicket), so that a misspelt field in
// an export does not silently become "absent". The timeline itself is checked
// by the SLA evaluation, which reports a bad timeline as a failed ticket.
func DecodeTicket(data []byte, t *Ticket) error {
	*t = Ticket{}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(t); err != nil {
		return fmt.Errorf("%w: %v", ErrTicket, err)
	}
	if dec.More() {
		return fmt.Errorf("%w: trailing data after the ticket", ErrTicket)
	}
	if _, err := dec.Token(); err != io.EOF {
		return fmt.Errorf("%w: trailing data after the ticket", ErrTicket)
	}
	return nil
}

// AppendNDJSON appends t as one line of JSON, ending in a newline.
func AppendNDJSON(b []byte, t *Ticket) ([]byte, error) {
	line, err := json.Marshal(t)
	if err != nil {
		return b, err
	}
	b = append(b, line...)
	return append(b, '\n'), nil
}

// ReadNDJSON reads newline-delimited tickets from r and calls fn for each, in
// order. Blank lines are skipped. A line that does not decode stops the read
// with an error naming the line number; so does an error from fn. The Ticket
// passed to fn is reused for the next line: copy what must outlive the call.
func ReadNDJSON(r io.Reader, fn func(*Ticket) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), 16<<20)
	var t Ticket
	for line := 1; sc.Scan(); line++ {
		b := bytes.TrimSpace(sc.Bytes())
		if len(b) == 0 {
			continue
		}
		if err := DecodeTicket(b, &t); err != nil {
			return fmt.Errorf("line %d: %w", line, err)
		}
		if err := fn(&t); err != nil {
			return fmt.Errorf("line %d: %w", line, err)
		}
	}
	return sc.Err()
}

// priorityOf is the ticket's priority at the end of its timeline: the last
// priority entry, else the attributes' priority — the priority sla.Report
// gives at any instant after the last entry.
func priorityOf(t *Ticket) string {
	p := t.Attributes.Priority
	for i := range t.Timeline {
		if t.Timeline[i].Kind == sla.EntryPriority {
			p = t.Timeline[i].Priority
		}
	}
	return p
}
