package whatif

import (
	"strings"
	"time"

	"github.com/closeloop/closeloop/internal/rulesjson"
	"github.com/closeloop/closeloop/sla"
)

// The members of a ticket line, in struct order (the index constants number
// them). TestTicketDecoderKnowsEveryField compares each table with its
// struct's JSON tags, so a field added to a struct and not here fails.

const (
	tkID = iota
	tkCustomer
	tkAttributes
	tkTimeline
	tkClaim
)

var ticketMembers = newMembers(nil, "id", "customer", "attributes", "timeline", "claim")

const (
	attrKind = iota
	attrCategory
	attrPriority
	attrChannel
	attrTier
	attrTags
	attrAttrs
)

var attributesMembers = newMembers(nil, "kind", "category", "priority", "channel", "tier", "tags", "attrs")

const (
	entryAt = iota
	entryKind
	entryState
	entryEvent
	entryPriority
	entryMetric
	entryDeadline
	entryPolicy
	entryVersion
	entryFingerprint
)

// An entry must say when and what: without them it is two bytes ("{}") of
// input for a 120-byte entry, and evaluation could only refuse it.
var entryMembers = newMembers([]string{"at", "kind"}, "at", "kind", "state", "event", "priority", "metric", "deadline", "policy", "version", "fingerprint")

// minEntryLen is the shortest entry: {"at":null,"kind":null} and a comma.
const minEntryLen = len(`{"at":null,"kind":null},`)

// entryBytes is less than the shortest entry AppendNDJSON writes,
// {"at":"0001-01-01T00:00:00Z","kind":"state"} and a comma.
const entryBytes = 40

const (
	claimDurations = iota
	claimAmounts
	claimNumbers
	claimFlags
)

var claimMembers = newMembers(nil, "durations", "amounts", "numbers", "flags")

// timeline reads the timeline (or null, as nil). The slice is made at the
// number of entries a quick count guesses: the opening braces before the
// first closing bracket, which ends the timeline unless a string holds one
// (an entry holds no array). Braces in strings would make that high, so it
// is believed only up to one brace in entryBytes bytes; denser, the guess
// is the count of {"at":, which starts an entry as AppendNDJSON writes it
// and cannot occur inside a string (its quotes would be escaped). Written
// otherwise, the guess is low and the slice grows. Two passes of the
// bytes functions cost a fifth of counting a substring.
func (d *ticketDecoder) timeline() ([]sla.Entry, error) {
	r := d.array(MaxTimelineEntries)
	if r.null || r.err != nil {
		return nil, r.err
	}
	rest := d.s[d.i:]
	if end := strings.IndexByte(rest, ']'); end >= 0 {
		rest = rest[:end]
	}
	guess := strings.Count(rest, "{")
	if guess*entryBytes > len(rest) {
		guess = strings.Count(d.s[d.i:], `{"at":`)
	}
	out := make([]sla.Entry, 0, r.room(d, guess, minEntryLen))
	for r.next(d) {
		out = grow(out, d.remaining(), minEntryLen)
		if err := d.entry(&out[len(out)-1]); err != nil {
			return nil, err
		}
	}
	if r.err != nil {
		return nil, r.err
	}
	return out, nil
}

// tags reads the list of tags (or null, as nil).
func (d *ticketDecoder) tags() ([]string, error) {
	const minTag = len(`"",`)
	r := d.array(MaxTicketList)
	if r.null || r.err != nil {
		return nil, r.err
	}
	out := make([]string, 0, r.room(d, -1, minTag))
	for r.next(d) {
		out = grow(out, d.remaining(), minTag)
		var err error
		if out[len(out)-1], err = d.str(); err != nil {
			return nil, err
		}
	}
	if r.err != nil {
		return nil, r.err
	}
	return out, nil
}

// entryKinds names sla.EntryKind, index i naming kind i+1, as
// sla.EntryKind.UnmarshalText reads them (found as member names are: a
// slot and a comparison of two words).
var entryKinds = func() *members {
	var names []string
	for k := sla.EntryKind(1); k != 0; k++ {
		name, err := k.MarshalText()
		if err != nil {
			break
		}
		names = append(names, string(name))
	}
	return newMembers(nil, names...)
}()

func (d *ticketDecoder) ticket(t *Ticket) error {
	r := d.object(ticketMembers)
	for r.next(d) {
		var err error
		switch r.i {
		case tkID:
			t.ID, err = d.str()
		case tkCustomer:
			t.Customer, err = d.str()
		case tkAttributes:
			err = d.attributes(&t.Attributes)
		case tkTimeline:
			t.Timeline, err = d.timeline()
		case tkClaim:
			err = d.claim(&t.Claim)
		}
		if err != nil {
			return err
		}
	}
	return r.err
}

func (d *ticketDecoder) attributes(a *sla.Attributes) error {
	r := d.object(attributesMembers)
	for r.next(d) {
		var err error
		switch r.i {
		case attrKind:
			a.Kind, err = d.str()
		case attrCategory:
			a.Category, err = d.str()
		case attrPriority:
			a.Priority, err = d.str()
		case attrChannel:
			a.Channel, err = d.str()
		case attrTier:
			a.Tier, err = d.str()
		case attrTags:
			a.Tags, err = d.tags()
		case attrAttrs:
			a.Attrs, err = stringMap[string](d)
		}
		if err != nil {
			return err
		}
	}
	return r.err
}

func (d *ticketDecoder) entry(e *sla.Entry) error {
	r := d.object(entryMembers)
	for r.next(d) {
		var err error
		switch r.i {
		case entryAt:
			e.At, err = d.instant()
		case entryKind:
			e.Kind, err = d.entryKind()
		case entryState:
			e.State, err = d.str()
		case entryEvent:
			e.Event, err = d.str()
		case entryPriority:
			e.Priority, err = d.str()
		case entryMetric:
			e.Metric, err = d.str()
		case entryDeadline:
			e.Deadline, err = d.instant()
		case entryPolicy:
			e.Policy, err = d.str()
		case entryVersion:
			e.Version, err = d.integer()
		case entryFingerprint:
			e.Fingerprint, err = d.str()
		}
		if err != nil {
			return err
		}
	}
	return r.err
}

// entryKind reads a kind by its name (or null, as no kind).
func (d *ticketDecoder) entryKind() (sla.EntryKind, error) {
	if d.peek() != '"' {
		if d.null() {
			return 0, nil
		}
		return 0, d.wrongType("an entry kind")
	}
	if i := d.member(entryKinds); i >= 0 {
		return sla.EntryKind(i + 1), nil
	}
	at := d.i
	name, err := d.str()
	if err != nil {
		return 0, err
	}
	if i := entryKinds.index(name); i >= 0 {
		return sla.EntryKind(i + 1), nil
	}
	var k sla.EntryKind
	d.i = at
	return 0, d.fail(rulesjson.ErrType, "%v", k.UnmarshalText([]byte(name)))
}

func (d *ticketDecoder) claim(c *ClaimInputs) error {
	r := d.object(claimMembers)
	for r.next(d) {
		var err error
		switch r.i {
		case claimDurations:
			c.Durations, err = stringMap[Duration](d)
		case claimAmounts:
			c.Amounts, err = stringMap[string](d)
		case claimNumbers:
			c.Numbers, err = stringMap[string](d)
		case claimFlags:
			c.Flags, err = stringMap[bool](d)
		}
		if err != nil {
			return err
		}
	}
	return r.err
}

// duration reads Go duration text (or null, as zero).
func (d *ticketDecoder) duration() (Duration, error) {
	if d.peek() != '"' {
		if d.null() {
			return 0, nil
		}
		return 0, d.wrongType("a duration")
	}
	at := d.i
	text, err := d.str()
	if err != nil {
		return 0, err
	}
	v, err := time.ParseDuration(text)
	if err != nil {
		d.i = at
		return 0, d.fail(rulesjson.ErrType, "%v", err)
	}
	return Duration(v), nil
}
