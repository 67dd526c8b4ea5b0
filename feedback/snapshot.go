package feedback

import (
	"fmt"

	"github.com/closeloop/closeloop/internal/rulesjson"
)

// Limits of a snapshot. [ParseSnapshot] refuses a snapshot beyond them
// before it allocates for the part at fault (a *[PathError] wrapping
// rulesjson.ErrTooLarge), and [MarshalSnapshot] refuses to write one, so a
// snapshot it writes is one ParseSnapshot reads.
const (
	// MaxSnapshotSize is the longest snapshot, in bytes. A ticket's trip
	// round the closed loop (13 events) takes about 3 KB.
	MaxSnapshotSize = 8 << 20
	// MaxSnapshotEvents is the longest history a snapshot holds.
	MaxSnapshotEvents = 10_000
	// MaxSnapshotList is the most elements of any other list (reasons,
	// flags, delays, tasks, ...) and the most members of an attribute map.
	MaxSnapshotList = 1_000
	// MaxSnapshotString is the longest string, in bytes (of UTF-8, once
	// unescaped).
	MaxSnapshotString = 64 << 10
)

// MarshalSnapshot encodes a ticket, history included, as JSON: the bytes
// encoding/json writes for the [Ticket], with instants written in UTC with
// nanoseconds, so [ParseSnapshot] gives back an equal ticket. It fails for a
// nil ticket, an instant outside the years 1..9999, a ticket beyond the
// snapshot limits, and attribute keys that are not valid UTF-8 and would be
// written alike (encoding/json writes each invalid byte as U+FFFD), which
// would lose a value.
func MarshalSnapshot(t *Ticket) ([]byte, error) {
	if t == nil {
		return nil, fieldErr("ticket", ErrInvalidTicket, "nil ticket")
	}
	if len(t.History) > MaxSnapshotEvents {
		return nil, fieldErr("history", ErrInvalidTicket, "%d events, a snapshot holds at most %d (MaxSnapshotEvents)", len(t.History), MaxSnapshotEvents)
	}
	// About 200 bytes an event and 400 for the ticket: one allocation for
	// most tickets.
	e := snapEncoder{b: make([]byte, 0, 400+208*len(t.History))}
	e.ticket(t)
	if e.err != nil {
		return nil, e.err
	}
	if len(e.b) > MaxSnapshotSize {
		return nil, fieldErr("ticket", ErrInvalidTicket, "a snapshot of %d bytes, at most %d (MaxSnapshotSize)", len(e.b), MaxSnapshotSize)
	}
	return e.b, nil
}

// ParseSnapshot strictly decodes a snapshot written by [MarshalSnapshot] and
// checks that it hangs together.
//
// Decoding refuses, with a *[PathError] naming the JSON path of the value at
// fault: malformed JSON and invalid UTF-8 (rulesjson.ErrSyntax); a key the
// [Ticket] has no field for, compared case-sensitively
// (rulesjson.ErrUnknownField); a key given twice in one object
// (rulesjson.ErrDuplicateKey); a value of the wrong JSON kind, an integer
// with a fraction or out of its field's range, null anywhere but the
// history, and an instant that is not RFC 3339 in UTC ("Z", no other
// offset) in the years 1..9999 (rulesjson.ErrType); anything after the
// ticket (rulesjson.ErrTrailingData); a snapshot beyond [MaxSnapshotSize],
// [MaxSnapshotEvents], [MaxSnapshotList] or [MaxSnapshotString]
// (rulesjson.ErrTooLarge). The format nests at most five levels below the
// ticket, so no deeper value is ever read. A key MarshalSnapshot always
// writes that is missing, and a value no ticket can hold (a priority that
// is not a priority level, in the ticket or in a triage event; a follow-up
// score outside 1..100 or satisfied but not resolved; a rejection kind
// other than invalid or spam; reopen rounds or escalations beyond the
// number of events; a triage deadline not after the triage; a negative
// priority input; a malformed task name; an opening at another instant
// than its event) is a *PathError wrapping [ErrInvalidTicket]. A payload
// field its event's trigger does not read is kept as the change gave it.
//
// The ticket must then hang together (ID present, version equal to the
// number of events, events numbered 1, 2, 3, ...), else the error is a
// *[FieldError] wrapping ErrInvalidTicket. Use [Rules.Restore] to also check
// the snapshot against its history.
//
// Decoding costs memory linear in the snapshot: the text is copied once
// and every string without escapes shares that copy (a ticket keeps it
// alive), and lists grow only as far as the rest of the input could fill
// them.
func ParseSnapshot(data []byte) (*Ticket, error) {
	t, err := decodeSnapshot(data)
	if err != nil {
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
	if err := checkSnapshotValues(t); err != nil {
		return nil, err
	}
	return t, nil
}

// decodeSnapshot is [ParseSnapshot]'s decoding: JSON, types, limits and
// required keys, without the checks of what the values say.
func decodeSnapshot(data []byte) (*Ticket, error) {
	if len(data) > MaxSnapshotSize {
		return nil, &PathError{Path: "$", Err: fmt.Errorf("%w: %d bytes, at most %d (MaxSnapshotSize)", rulesjson.ErrTooLarge, len(data), MaxSnapshotSize)}
	}
	d := snapDecoder{s: string(data)}
	t := new(Ticket)
	if err := d.ticket(t); err != nil {
		return nil, err
	}
	if d.ws(); d.i != len(d.s) {
		return nil, d.fail(rulesjson.ErrTrailingData, "%q", d.s[d.i:min(d.i+16, len(d.s))])
	}
	// Required keys last, so that a snapshot with trailing data says so.
	r := objectReader{m: ticketMembers, seen: d.ticketSeen}
	if err := r.checkRequired(&d); err != nil {
		return nil, err
	}
	return t, nil
}

// Restore decodes a snapshot and verifies it against these rules: replaying
// its history must rebuild exactly the ticket the snapshot states, and the
// values the lifecycle's guards decided on must be ones it has (follow-up
// scores on its scale, its progress nodes). A snapshot edited by hand,
// truncated or written under an incompatible lifecycle is refused with an
// error wrapping [ErrInvalidTicket].
func (r *Rules) Restore(data []byte) (*Ticket, error) {
	t, err := ParseSnapshot(data)
	if err != nil {
		return nil, err
	}
	if err := r.lifecycle.checkLifecycleValues(t); err != nil {
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
