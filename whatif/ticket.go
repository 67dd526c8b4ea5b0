package whatif

import (
	"bufio"
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"time"

	"github.com/closeloop/closeloop/internal/rulesjson"
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
	// Attributes are matched by SLA policy conditions; [sla.Attributes.Tier] also
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
// [compensation.Claim]). Amounts and numbers are decimal strings; amounts are
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

// Duration is a [time.Duration] written in JSON as Go duration text ("90m",
// "3h0m0s").
type Duration time.Duration

// MarshalText writes the duration as [time.Duration.String] does.
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

// PathError is the error [DecodeTicket] returns: the JSON path of the value
// at fault ("$.timeline[3].at") and the problem, which wraps [ErrTicket] and,
// for what JSON itself gets wrong, one of the decoding sentinels (malformed
// JSON, unknown field, duplicate key, wrong type, trailing data, too large).
type PathError = rulesjson.PathError

// Limits of [DecodeTicket], enforced before it allocates for the part at
// fault (the error wraps the too-large sentinel).
const (
	// MaxTicketSize is the longest ticket, in bytes of JSON. A generated
	// ticket takes about 720.
	MaxTicketSize = 1 << 20
	// MaxTimelineEntries is the longest timeline.
	MaxTimelineEntries = 10_000
	// MaxTicketList is the most tags, and the most members of each map
	// (attrs, durations, amounts, numbers, flags).
	MaxTicketList = 1_000
	// MaxTicketString is the longest string, in bytes once unescaped.
	MaxTicketString = 64 << 10
)

// DecodeTicket decodes one ticket from JSON into t (which it clears
// first), reading every value as encoding/json would, but strictly: a key
// that matches no field (compared case-sensitively), a key given twice in
// one object, a timeline entry without "at" or "kind", and anything after
// the ticket are refused, so that a misspelt field in an export does not
// silently become "absent". Every error is a *[PathError] naming the JSON
// path of the value at fault and wrapping [ErrTicket]. The timeline itself
// is checked by the SLA evaluation, which reports a bad timeline as a
// failed ticket.
//
// Null reads as the zero value anywhere, as with encoding/json. A ticket
// beyond [MaxTicketSize], [MaxTimelineEntries], [MaxTicketList] or
// [MaxTicketString] is refused; the format nests three levels below the
// ticket ($.claim.durations.k) and nothing deeper is ever read. Decoding
// costs memory linear in the line: the line is copied once, strings
// without escapes share that copy (t keeps it alive), and lists are made
// once at their counted length.
func DecodeTicket(data []byte, t *Ticket) error {
	*t = Ticket{}
	if len(data) > MaxTicketSize {
		return &PathError{Path: "$", Err: fmt.Errorf("%w: %w: %d bytes, at most %d (MaxTicketSize)", ErrTicket, rulesjson.ErrTooLarge, len(data), MaxTicketSize)}
	}
	d := ticketDecoder{s: string(data)}
	if err := d.ticket(t); err != nil {
		*t = Ticket{}
		return err
	}
	if d.ws(); d.i != len(d.s) {
		*t = Ticket{}
		return d.fail(rulesjson.ErrTrailingData, "%q", d.s[d.i:min(d.i+16, len(d.s))])
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
// with an error naming the line number; so does an error from fn, and a line
// longer than [MaxTicketSize] (which is not read into memory beyond that). The
// [Ticket] passed to fn is reused for the next line: copy what must outlive
// the call.
func ReadNDJSON(r io.Reader, fn func(*Ticket) error) error {
	sc := bufio.NewScanner(r)
	sc.Buffer(make([]byte, 0, 64*1024), MaxTicketSize+len("\r\n"))
	var t Ticket
	line := 1
	for ; sc.Scan(); line++ {
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
	if err := sc.Err(); errors.Is(err, bufio.ErrTooLong) {
		return fmt.Errorf("line %d: %w", line, &PathError{Path: "$", Err: fmt.Errorf("%w: %w: longer than %d bytes (MaxTicketSize)", ErrTicket, rulesjson.ErrTooLarge, MaxTicketSize)})
	} else if err != nil {
		return err
	}
	return nil
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
