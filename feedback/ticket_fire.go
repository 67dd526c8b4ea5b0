package feedback

import (
	"fmt"
	"strconv"
	"strings"
	"time"
	"unicode/utf8"

	"github.com/closeloop/closeloop"
	"github.com/closeloop/closeloop/intake"
	"github.com/closeloop/closeloop/sla"
)

// Outcome is what an accepted change produced: the event appended to the
// ticket's history and the effects the host should carry out.
type Outcome struct {
	// Event is a copy of the event appended to the history.
	Event Event
	// Effects are what the host should do now, in order.
	Effects []Effect
}

// derived holds what a change decides before the machine runs; guards read it.
type derived struct {
	category string
	team     string
	routedBy string
	priority string
	reasons  []string
	deadline time.Time      // triage: the deadline the host set; request_delay: the current deadline
	pin      *sla.PolicyPin // open, triage, rerule: the SLA policy ruling the ticket from now on
	cause    error
	// The change's two verdicts (resolve: the resolution is past its
	// deadline; request_delay: the request is filed in time) are call.overdue
	// and call.delayInTime, outside derived: its padding would make every
	// ticket (which carries a call) a size class larger.
}

// Instants a ticket records must survive a JSON round trip: years 1..9999.
var (
	minInstant = time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC)
	maxInstant = time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC)
)

// The bounds in Unix seconds: an instant is in range exactly when its
// seconds are, since its nanoseconds lie in 0..999999999.
var minUnix, maxUnix = minInstant.Unix(), maxInstant.Unix()

func instantOK(t time.Time) bool {
	s := t.Unix()
	return s >= minUnix && s <= maxUnix
}

// blank reports whether s is empty or only white space ([strings.TrimSpace]
// gives ""), without trimming when s starts with a printable ASCII byte.
// It inlines; the trim does not.
func blank(s string) bool {
	return (len(s) == 0 || s[0]-'!' >= utf8.RuneSelf-'!') && trimmedEmpty(s)
}

func trimmedEmpty(s string) bool { return strings.TrimSpace(s) == "" }

// noInstants reports whether p carries no instant at all (most payloads
// do not), so that Fire need not call payloadInstantsOK.
func noInstants(p *Payload) bool {
	return p.Deadline == (time.Time{}) && p.Delay == nil && p.Compensation == nil && p.Opening == nil
}

// payloadInstantsOK checks every instant a payload carries (zero means
// unset), naming the first one out of range.
func payloadInstantsOK(p *Payload) (field string, ok bool) {
	set := func(t time.Time) bool { return t.IsZero() || instantOK(t) }
	switch {
	case !set(p.Deadline):
		return "payload.deadline", false
	case p.Delay != nil && !set(p.Delay.NewDeadline):
		return "payload.delay.new_deadline", false
	case p.Delay != nil && !set(p.Delay.RequestedAt):
		return "payload.delay.requested_at", false
	case p.Compensation != nil && !set(p.Compensation.ValidUntil):
		return "payload.compensation.valid_until", false
	case p.Opening != nil && !set(p.Opening.At):
		return "payload.opening.at", false
	}
	return "", true
}

// Open starts a ticket in the lifecycle's initial state with its first event.
func (r *Rules) Open(o Opening) (*Ticket, Outcome, error) {
	switch {
	case blank(o.ID):
		return nil, Outcome{}, fieldErr("id", ErrInvalidChange, "a ticket needs an ID")
	case o.At.IsZero():
		return nil, Outcome{}, fieldErr("at", ErrInvalidChange, "a ticket needs the instant it was received")
	case blank(o.Actor):
		return nil, Outcome{}, fieldErr("actor", ErrInvalidChange, "a ticket needs the actor who registered it")
	case !instantOK(o.At):
		return nil, Outcome{}, fieldErr("at", ErrInvalidChange, "instant %v is outside the years 1..9999", o.At)
	}
	if o.Calendar == "" {
		o.Calendar = r.defaultCalendar
	}
	if o.Calendar != "" {
		if _, ok := r.calendars.Get(o.Calendar); !ok {
			return nil, Outcome{}, fieldErr("calendar", ErrInvalidChange, "the rules have no calendar %q", o.Calendar)
		}
	}
	if o.Category != "" && r.taxonomy != nil {
		id, err := r.taxonomy.Resolve(intake.DimensionCategory, o.Category)
		if err != nil {
			return nil, Outcome{}, &FieldError{Field: "category", Err: fmt.Errorf("%w: %w", ErrInvalidChange, err)}
		}
		o.Category = id
	}
	o.RulesVersion = r.version
	o.At = o.At.UTC()
	lc := r.lifecycle
	// The ticket, its history and the history's own copy of the opening
	// (sharing nothing with o) come in one allocation; so do the outcome's
	// copy of the opening and its effects, in another.
	b := new(openedTicket)
	t := &b.t
	t.History = b.history[:]
	op := &b.opening
	*op = o
	op.Attributes = compactMap(o.Attributes)
	ev := &t.History[0]
	ev.Seq, ev.Version, ev.At, ev.Actor, ev.Trigger, ev.To = 1, 1, o.At, o.Actor, TriggerOpen, lc.spec.Initial
	ev.Payload.Opening = op
	if r.policies != nil {
		t.ID, t.Category, t.Channel, t.Attributes = o.ID, o.Category, o.Channel, o.Attributes
		ev.Payload.SLAPolicy = r.matchPolicy(SLAAttributes(t), o.At)
	}
	lc.apply(t, ev, lc.initial, kindOpen)
	ob := new(openedOutcome)
	out := Outcome{Event: *ev}
	// What Payload.own makes of the event's payload (its opening is in
	// the history's form already: At in UTC, attributes compacted), with
	// the opening copied into ob.
	ob.opening = *op
	ob.opening.Attributes = compactMap(op.Attributes)
	out.Event.Payload.Opening = &ob.opening
	out.Event.Payload.SLAPolicy = clonePin(ev.Payload.SLAPolicy)
	out.Effects = r.effects(ob.effects[:0:len(ob.effects)], "", t, lc.initial, true, nil)
	return t, out, nil
}

// openRoom is the history a new ticket gets: its opening only; the first
// change makes room for a trip round the loop (historyRoom).
const openRoom = 1

// openedTicket is what Open allocates for a ticket at once: the ticket,
// its history and the opening the history records. The first change
// moves the history to a larger array; the block lives as long as the
// ticket does (the history's opening stays in it).
type openedTicket struct {
	t       Ticket
	history [openRoom]Event
	opening Opening
}

// openedOutcome is what Open allocates for its outcome at once: the
// event's copy of the opening and room for the effects of an opening
// under rules without SLA policies (a customer notice).
type openedOutcome struct {
	opening Opening
	effects [1]Effect
}

// Fire applies one change to t. On success it appends exactly one event to
// t's history, raises its version by one and returns the event and the
// effects to carry out. On error t is left exactly as it was; the error is a
// *[TransitionError] (state does not accept the trigger, or a guard does not
// hold), a *[StaleVersionError] or a *[FieldError].
//
// Fire is safe for concurrent use on different tickets; a single ticket must
// not be changed by two goroutines at once (the host serialises per ticket,
// and the version check catches lost updates between processes).
func (r *Rules) Fire(t *Ticket, ch Change) (out Outcome, err error) {
	lc := r.lifecycle
	if t == nil {
		return Outcome{}, fieldErr("ticket", ErrInvalidTicket, "nil ticket")
	}
	from, ok := lc.stateNames.lookup(t.State)
	if !ok {
		return Outcome{}, &FieldError{Field: "state", Err: fmt.Errorf("%w: %w %q", ErrInvalidTicket, ErrUnknownState, t.State)}
	}
	trig, ok := lc.triggerNames.lookup(ch.Trigger)
	if !ok {
		return Outcome{}, &TransitionError{State: t.State, Trigger: ch.Trigger, Err: ErrUnknownTrigger}
	}
	if ch.Version != t.Version {
		return Outcome{}, &StaleVersionError{Ticket: t.ID, Have: t.Version, Claimed: ch.Version}
	}
	switch {
	case ch.At.IsZero():
		return Outcome{}, fieldErr("at", ErrInvalidChange, "a change needs the instant it happened")
	case ch.At.Before(t.Updated):
		return Outcome{}, fieldErr("at", ErrInvalidChange, "change at %v is earlier than the ticket's last event at %v", ch.At.UTC(), t.Updated)
	case blank(ch.Actor):
		return Outcome{}, fieldErr("actor", ErrInvalidChange, "a change needs an actor")
	case !instantOK(ch.At):
		return Outcome{}, fieldErr("at", ErrInvalidChange, "instant %v is outside the years 1..9999", ch.At)
	}
	// Whether the payload holds anything Payload.own copies: instants
	// (a deadline, or within the pointers) among them.
	refs := ch.Payload.refs()
	if refs && !noInstants(&ch.Payload) {
		if field, ok := payloadInstantsOK(&ch.Payload); !ok {
			// Every instant recorded in history, read by the trigger or
			// not, must survive a snapshot.
			return Outcome{}, fieldErr(field, ErrInvalidChange, "instant outside the years 1..9999")
		}
	}
	kind := lc.kinds[trig]
	if d := ch.Payload.Deadline; kind == kindTriage && !d.IsZero() && (!d.After(ch.At) || !instantOK(d)) {
		return Outcome{}, fieldErr("payload.deadline", ErrInvalidChange, "the deadline %v must come after the change at %v", d.UTC(), ch.At.UTC())
	}
	if kind != kindRerule {
		// A ticket whose pinned policy was edited in place must be re-ruled
		// explicitly before anything else happens to it.
		if err := r.checkPin(t); err != nil {
			return Outcome{}, err
		}
	}
	ch.At = ch.At.UTC()
	// The change is written as the event it would become, field by field
	// (the slot may hold an event a shorter copy of the history dropped),
	// past the history's length: the ticket and everything that reads its
	// history see nothing of it until the change is accepted.
	n := len(t.History)
	h := t.History
	if n == cap(h) {
		h = make([]Event, n, max(2*n, historyRoom))
		copy(h, t.History)
	}
	ev := &h[:n+1][n]
	ev.Seq, ev.Version, ev.At, ev.Actor, ev.Trigger = t.Version+1, t.Version+1, ch.At, ch.Actor, ch.Trigger
	ev.From = t.State // and ev.To once the machine has decided
	ev.Payload = ch.Payload
	// The call lives in the ticket's scratch space: handed to stateless as
	// its context it would otherwise escape to the heap on every change.
	// The scratch is zero between calls.
	c := &t.scratch
	c.ticket, c.state, c.dest, c.trigger, c.lc, c.ev = t, int32(from), int32(from), int32(trig), lc, ev
	// One deferred call does both: it clears the scratch, and it turns a
	// panic inside stateless (which the validation in NewLifecycle rules
	// out) into an error, as if the machine had refused; a panic anywhere
	// else in Fire goes on.
	defer func() {
		if c.firing {
			if p := recover(); p != nil {
				*c.ev = Event{}
				err = c.lc.broken(c, p)
			}
		}
		*c = call{}
	}()
	if kind.derives() {
		r.derive(c, kind)
	}
	// The machine leaves the destination in c.dest; c.firing marks the
	// time it runs, for the deferred call above.
	c.firing = true
	err = lc.machine.FireCtx(c, lc.triggerKeys[trig])
	c.firing = false
	if err != nil {
		*ev = Event{} // keeps nothing of the caller's
		if te, ok := err.(*TransitionError); ok && te.Err == ErrGuardUnmet && c.derived.cause != nil {
			te.Cause = c.derived.cause
		}
		return Outcome{}, err
	}
	prevNode := t.Node
	var told map[string]bool
	if r.policies != nil && (t.Updated.Equal(ch.At) ||
		((kind == kindTriage || kind == kindRerule) && !samePin(t.SLAPolicy, c.derived.pin))) {
		// Another policy rules the ticket from now on, whose alerts before
		// now are news to the host unless the old one had them too; or an
		// earlier change at this very instant told some alerts already.
		told = r.toldKeys(t, ch.At)
	}
	dest := int(c.dest)
	ev.To = lc.stateList[dest]
	// The outcome's copy of the event needs copies of its own when the
	// history's does: when the change carried something own copies, or
	// record may have added something.
	if refs {
		ev.Payload.ownRefs()
	}
	if kind.records() {
		r.record(c, kind)
		refs = true
	}
	if n < cap(t.History) {
		t.History = t.History[:n+1] // the same array: no pointer to write
	} else {
		t.History = h[:n+1]
	}
	lc.apply(t, ev, dest, kind)
	out.Event = *ev
	if refs {
		out.Event.Payload.own()
	}
	// Only a progress kind moves the ticket's node.
	if moved := c.dest != c.state; moved || (kind == kindProgress && t.Node != prevNode) || r.policies != nil || kind == kindApproveDelay {
		// Otherwise (a note, a delay request, ...) there is nothing to do.
		out.Effects = r.effects(nil, prevNode, t, dest, moved, told)
	}
	return out, nil
}

// derive computes, before the machine runs, what the change decides: the
// priority a triage settles on, whether a delay request is filed in time.
// kind is the kind of c's trigger, one that derives.
func (r *Rules) derive(c *call, kind triggerKind) {
	p := &c.ev.Payload
	switch kind {
	case kindTriage:
		c.derived.category = p.Category
		if p.Category != "" && r.taxonomy != nil {
			id, err := r.taxonomy.Resolve(intake.DimensionCategory, p.Category)
			c.derived.category = id
			if err != nil {
				c.derived.category, c.derived.cause = "", err
			}
		}
		switch {
		case p.PriorityInput != nil:
			level, reasons, err := r.scoreTriage(*p.PriorityInput, c.ticket, c.derived.category)
			if err != nil {
				if c.derived.cause == nil {
					c.derived.cause = err
				}
				return
			}
			c.derived.priority, c.derived.reasons = level, reasons
		case p.Priority != "":
			if !validLevel(p.Priority) {
				if c.derived.cause == nil {
					c.derived.cause = fmt.Errorf("priority %q: want P0..P9", p.Priority)
				}
				return
			}
			c.derived.priority = p.Priority
			c.derived.reasons = []string{"level " + p.Priority + " set by " + c.ev.Actor}
		default:
			if c.derived.cause == nil {
				c.derived.cause = fmt.Errorf("triage needs priority_input or a priority level")
			}
		}
		c.derived.deadline = utc(p.Deadline)
		if c.derived.priority != "" {
			a := SLAAttributes(c.ticket)
			a.Priority = c.derived.priority
			if c.derived.category != "" {
				a.Category = c.derived.category
			}
			c.derived.pin = r.matchPolicy(a, rulingInstant(c.ticket))
		}
	case kindRerule:
		c.derived.pin = r.matchPolicy(SLAAttributes(c.ticket), c.ev.At)
	case kindResolve:
		overdue, err := r.resolutionOverdue(c.ticket, c.ev.At)
		if err != nil {
			c.derived.cause = err
			return
		}
		c.overdue = overdue
		if overdue && blank(p.Reason) {
			c.derived.cause = fmt.Errorf("the resolution is past its deadline: give the overdue reason")
		}
	case kindAssign:
		if !blank(p.Team) || r.routing == nil {
			return
		}
		t := c.ticket
		route, err := r.routing.Route(intake.RouteInput{Kind: t.Attributes["kind"], Category: t.Category, SubCategory: t.Attributes["sub_category"],
			Priority: t.Priority, Tier: t.Attributes["tier"], Channel: t.Channel, Stage: t.Attributes["stage"], Tags: ticketTags(t)})
		if err != nil {
			c.derived.cause = err
			return
		}
		c.derived.team = route.Team
		c.derived.routedBy = route.Rule
		if route.Default {
			c.derived.routedBy = "default team"
		}
	case kindRequestDelay:
		deadline, err := r.Deadline(c.ticket, c.ev.At)
		if err != nil {
			c.derived.cause = err
			return
		}
		c.derived.deadline = deadline
		if deadline.IsZero() {
			return
		}
		days := c.lc.spec.DelayNoticeDays
		latest, err := r.latestDelayRequest(c.ticket.Calendar, deadline, days)
		if err != nil {
			c.derived.cause = err
			return
		}
		c.delayInTime = !c.ev.At.After(latest)
		if !c.delayInTime {
			c.derived.cause = fmt.Errorf("a delay request must be filed %d working day(s) before the deadline %v, by %v at the latest",
				days, deadline, latest)
		}
	}
}

// derives and records report whether derive and record have anything to
// do for a trigger of kind k: Fire calls them only then (most changes, a
// note or a reply, neither decide nor record anything of their own).
func (k triggerKind) derives() bool {
	return 1<<k&(1<<kindTriage|1<<kindRerule|1<<kindResolve|1<<kindAssign|1<<kindRequestDelay) != 0
}

func (k triggerKind) records() bool {
	return 1<<k&(1<<kindTriage|1<<kindRerule|1<<kindAssign|1<<kindProgress|1<<kindRecordFollowUp|1<<kindRequestDelay|1<<kindApproveDelay) != 0
}

func samePin(a, b *sla.PolicyPin) bool {
	if a == nil || b == nil {
		return a == b
	}
	return *a == *b
}

// rulingInstant is the instant whose policy versions rule t: its last
// rerule, else its opening.
func rulingInstant(t *Ticket) time.Time {
	if !t.RuledAt.IsZero() {
		return t.RuledAt
	}
	return t.Opened
}

// record completes the payload of c's event, already made to share
// nothing with the caller's change (Payload.own), with what was decided.
// kind is the kind of c's trigger, one that records.
func (r *Rules) record(c *call, kind triggerKind) {
	p := &c.ev.Payload
	switch kind {
	case kindTriage:
		p.Category = c.derived.category
		p.Priority = c.derived.priority
		p.PriorityReasons = c.derived.reasons
		p.Deadline = c.derived.deadline
		p.SLAPolicy = clonePin(c.derived.pin)
	case kindRerule:
		p.SLAPolicy = clonePin(c.derived.pin)
	case kindAssign:
		if c.derived.team != "" {
			p.Team = c.derived.team
			p.RoutedBy = c.derived.routedBy
		}
	case kindProgress:
		if c.ev.Trigger != TriggerStart {
			break
		}
		p.Node = ""
		if len(c.lc.spec.ProgressNodes) > 0 {
			p.Node = c.lc.spec.ProgressNodes[0]
		}
	case kindRecordFollowUp:
		p.FollowUp.Satisfied = satisfied(c)
	case kindRequestDelay:
		p.Delay.NewDeadline = p.Delay.NewDeadline.UTC()
		p.Delay.RequestedAt = c.ev.At
		p.Delay.RequestedBy = c.ev.Actor
		p.Delay.DecidedBy = ""
	case kindApproveDelay:
		d := *c.ticket.PendingDelay
		d.DecidedBy = c.ev.Actor
		p.Delay = &d
	}
}

// validLevel reports whether s is a priority level, "P0".."P9"
// ([closeloop.Level]).
func validLevel(s string) bool {
	_, err := closeloop.ParseLevel(s)
	return err == nil
}

func itoa(i int) string { return strconv.Itoa(i) }

// Preview reports what [Rules.Fire] would do with ch (the event it would append
// and the effects) without changing t: a dry run for a user interface that
// wants to show the outcome, or refuse early, before the change is made.
func (r *Rules) Preview(t *Ticket, ch Change) (Outcome, error) {
	if t == nil {
		return r.Fire(nil, ch)
	}
	return r.Fire(t.Clone(), ch)
}

// Triggers lists the triggers the lifecycle has from t's state, in
// declaration order; their guards may still refuse a particular change.
func (r *Rules) Triggers(t *Ticket) []Trigger {
	lc := r.lifecycle
	from, ok := lc.stateIndex[t.State]
	if !ok {
		return nil
	}
	var out []Trigger
	for i, trig := range lc.triggers {
		if len(lc.transitionsFrom(from, i)) > 0 {
			out = append(out, trig)
		}
	}
	return out
}
