package feedback

import (
	"maps"
	"slices"
	"time"

	"github.com/closeloop/closeloop/sla"
)

// Event is one accepted change, as recorded in a ticket's append-only history.
type Event struct {
	// Seq numbers the events of a ticket 1, 2, 3, ...
	Seq int64 `json:"seq"`
	// Version is the ticket's version after the event (equal to Seq).
	Version int64 `json:"version"`
	// At is when it happened (UTC).
	At time.Time `json:"at"`
	// Actor is who did it.
	Actor string `json:"actor"`
	// Trigger is what happened ("open" for the first event).
	Trigger Trigger `json:"trigger"`
	// From and To are the states before and after ("" before the first event).
	From State `json:"from"`
	To   State `json:"to"`
	// Payload is the change's data, completed with what the change decided
	// (the priority level a triage settled on, whether a follow-up was satisfied).
	Payload Payload `json:"payload"`
}

func (e Event) clone() Event {
	e.Payload.own()
	return e
}

// own replaces everything p shares through pointers, slices and maps with
// copies of its own, in the form the history records (instants in UTC,
// empty lists and maps as nil), so that p shares nothing with the caller.
// On a payload already in that form it only copies, allocating each copy
// (Replay's copyEvent makes the same copies, some in its spares).
//
// A field that needs no change is not written: with the garbage collector
// marking, every pointer written to the heap costs a write barrier.
//
// Fire calls it as p.refs() and p.ownRefs(), whose test inlines: most
// payloads (a note, a reason) hold nothing to copy.
func (p *Payload) own() {
	if p.refs() {
		p.ownRefs()
	}
}

// refs reports whether own has anything to do on p.
func (p *Payload) refs() bool {
	return p.Deadline != (time.Time{}) || p.PriorityReasons != nil || p.PriorityInput != nil || p.FollowUp != nil ||
		p.Delay != nil || p.SLAPolicy != nil || p.Task != nil || p.Compensation != nil || p.Opening != nil
}

// ownRefs is own for a payload that holds something to copy.
func (p *Payload) ownRefs() {
	var s *spares // nil: every copy allocated one by one
	if p.Deadline != (time.Time{}) {
		p.Deadline = utc(p.Deadline)
	}
	if p.PriorityReasons != nil {
		p.PriorityReasons = s.strings(p.PriorityReasons)
	}
	if p.PriorityInput != nil {
		p.PriorityInput = ownPriorityInput(p.PriorityInput)
	}
	if p.FollowUp != nil {
		p.FollowUp = s.followUp(p.FollowUp)
	}
	if p.Delay != nil {
		p.Delay = ownDelay(p.Delay)
	}
	if p.SLAPolicy != nil {
		p.SLAPolicy = clonePin(p.SLAPolicy)
	}
	if p.Task != nil {
		tr := *p.Task
		p.Task = &tr
	}
	if p.Compensation != nil {
		p.Compensation = ownCompensation(p.Compensation)
	}
	if p.Opening != nil {
		p.Opening = s.ownOpening(p.Opening)
	}
}

// The copies own makes of a payload's pointers, which copyEvent makes too.

func ownPriorityInput(p *PriorityInput) *PriorityInput {
	in := *p
	in.Flags = compactStrings(in.Flags)
	return &in
}

func ownDelay(p *TicketDelay) *TicketDelay {
	d := *p
	d.NewDeadline, d.RequestedAt = utc(d.NewDeadline), utc(d.RequestedAt)
	return &d
}

func ownCompensation(p *CompensationChoice) *CompensationChoice {
	c := *p
	c.ValidUntil = utc(c.ValidUntil)
	c.Explanation = compactStrings(c.Explanation)
	c.Alternatives = compactStrings(c.Alternatives)
	return &c
}

// ownOpening returns a copy of *p from s's room.
func (s *spares) ownOpening(p *Opening) *Opening {
	o := s.opening()
	*o = *p
	o.Attributes = compactMap(o.Attributes)
	o.At = utc(o.At)
	return o
}

// replayedTicket is what Replay allocates for a ticket at once, beside its
// history: the ticket and room for the copies copyEvent and fold make in
// a typical history (see spares). With its malloc header it fills the
// 896-byte size class. The block lives as long as the ticket or its
// history does (the history's opening stays in it).
type replayedTicket struct {
	t    Ticket
	room spareRoom
}

// spareRoom is room for the small copies a history and its ticket need:
// the opening, and for the history and the ticket each, a follow-up and
// a triage's reason (what a trip round the closed loop records).
type spareRoom struct {
	opening   Opening
	followUps [2]FollowUp
	strs      [2]string
}

// spares hands out a spareRoom one piece at a time (it counts apart, on
// Replay's stack, to keep the block in its size class). What does not
// fit, and everything asked of a nil *spares (Open, Fire), is allocated
// one by one.
type spares struct {
	room      *spareRoom
	opened    bool
	nFollowUp uint8
	nStr      uint8
}

// opening returns room for an opening.
func (s *spares) opening() *Opening {
	if s == nil || s.opened {
		return new(Opening)
	}
	s.opened = true
	return &s.room.opening
}

// followUp returns a copy of *f.
func (s *spares) followUp(f *FollowUp) *FollowUp {
	if s == nil || int(s.nFollowUp) == len(s.room.followUps) {
		c := *f
		return &c
	}
	c := &s.room.followUps[s.nFollowUp]
	s.nFollowUp++
	*c = *f
	return c
}

// strings is compactStrings, copying into s's room when l fits there (with
// no room to grow: an append to the copy allocates).
func (s *spares) strings(l []string) []string {
	if s == nil || len(l) > len(s.room.strs)-int(s.nStr) {
		return compactStrings(l)
	}
	if len(l) == 0 {
		return nil
	}
	i, j := int(s.nStr), int(s.nStr)+len(l)
	s.nStr = uint8(j)
	c := s.room.strs[i:j:j]
	for k := range c {
		c[k] = l[k] // a copy would call the runtime for a string or two
	}
	return c
}

// copyEvent copies *e to *dst, which is zero, field by field, leaving
// the empty ones unwritten, and makes the copy's payload its own as
// Payload.own does (taking its copies from s), so that each pointer is
// written once, already replaced: a whole-struct copy would write, under
// a write barrier while the garbage collector marks, each of the event's
// two dozen pointer words, most of them nil or empty strings, and own
// would then write again the ones it replaces. TestCopyEvent makes sure
// no field is forgotten.
func copyEvent(dst, e *Event, s *spares) {
	dst.Seq, dst.Version, dst.At = e.Seq, e.Version, e.At
	setString(&dst.Actor, e.Actor)
	setString((*string)(&dst.Trigger), string(e.Trigger))
	setString((*string)(&dst.From), string(e.From))
	setString((*string)(&dst.To), string(e.To))
	d, p := &dst.Payload, &e.Payload
	setString(&d.Note, p.Note)
	setString(&d.Reason, p.Reason)
	setString(&d.Category, p.Category)
	setString(&d.Priority, p.Priority)
	if p.PriorityInput != nil {
		d.PriorityInput = ownPriorityInput(p.PriorityInput)
	}
	if p.PriorityReasons != nil {
		d.PriorityReasons = s.strings(p.PriorityReasons)
	}
	if p.Deadline != (time.Time{}) {
		d.Deadline = utc(p.Deadline)
	}
	if p.SLAPolicy != nil {
		d.SLAPolicy = clonePin(p.SLAPolicy)
	}
	setString(&d.Team, p.Team)
	setString(&d.Owner, p.Owner)
	setString(&d.RoutedBy, p.RoutedBy)
	setString(&d.Node, p.Node)
	if p.FollowUp != nil {
		d.FollowUp = s.followUp(p.FollowUp)
	}
	setString(&d.MergeInto, p.MergeInto)
	setString(&d.Rejection, p.Rejection)
	if p.Delay != nil {
		d.Delay = ownDelay(p.Delay)
	}
	if p.Compensation != nil {
		d.Compensation = ownCompensation(p.Compensation)
	}
	if p.Opening != nil {
		d.Opening = s.ownOpening(p.Opening)
	}
	if p.Task != nil {
		tr := *p.Task
		d.Task = &tr
	}
}

// setString sets *d to s unless s is empty (*d is empty already).
func setString(d *string, s string) {
	if s != "" {
		*d = s
	}
}

// utc drops the location and monotonic reading of t (instants are stored
// in UTC, so that they survive a JSON round trip unchanged).
func utc(t time.Time) time.Time {
	if t.IsZero() {
		return time.Time{}
	}
	return t.UTC()
}

// compactStrings copies s, turning an empty slice into nil, so that what
// the history records survives a JSON round trip unchanged.
func compactStrings(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	return slices.Clone(s)
}

// compactMap copies m, turning an empty map into nil.
func compactMap(m map[string]string) map[string]string {
	if len(m) == 0 {
		return nil
	}
	return maps.Clone(m)
}

// apply folds event ev, the last of t's history, into t; to is the index
// of the state it enters (ev.To) and kind the kind of its trigger. It is
// the only code that changes a ticket, so Open, Fire and Replay cannot
// disagree. It never fails: everything an event needs was decided and
// recorded before it was applied. ev must share nothing with the caller
// (Payload.own): the history keeps it as it is.
func (lc *Lifecycle) apply(t *Ticket, ev *Event, to int, kind triggerKind) {
	lc.fold(t, ev, to, kind, nil, true)
}

// fold is apply for Replay too: the ticket's own copies of the follow-up
// and the priority reasons come from s (see spares; nil outside Replay),
// and last says whether ev is the last event of the history. Only the
// last one decides the ticket's state, version and instant, so Replay
// writes them once instead of two pointers an event, each under the write
// barrier while the garbage collector marks.
func (lc *Lifecycle) fold(t *Ticket, ev *Event, to int, kind triggerKind, s *spares, last bool) {
	p := &ev.Payload
	switch kind {
	case kindOpen:
		o := p.Opening
		t.ID = o.ID
		t.Opened = ev.At
		t.RulesVersion = o.RulesVersion
		t.Customer = o.Customer
		t.Channel = o.Channel
		t.Category = o.Category
		t.Calendar = o.Calendar
		t.Attributes = compactMap(o.Attributes)
		t.RuledAt = ev.At
		t.SLAPolicy = clonePin(p.SLAPolicy)
	case kindTriage:
		t.Priority = p.Priority
		t.PriorityReasons = s.strings(p.PriorityReasons)
		if p.Category != "" {
			t.Category = p.Category
		}
		t.SLAPolicy = clonePin(p.SLAPolicy)
	case kindRerule:
		t.RuledAt = ev.At
		t.SLAPolicy = clonePin(p.SLAPolicy)
	case kindAssign:
		t.Team = p.Team
		t.Owner = p.Owner
	case kindProgress:
		if p.Node != "" {
			t.Node = p.Node
		}
	case kindResolve:
		t.Resolution = p.Note
		t.FollowUp = nil
	case kindRecordFollowUp:
		t.FollowUp = s.followUp(p.FollowUp)
		if !p.FollowUp.Satisfied {
			t.ReopenRounds++
		}
	case kindMerge:
		t.MergedInto = p.MergeInto
	case kindReject:
		t.Rejection = &Rejection{Kind: p.Rejection, Reason: p.Reason}
	case kindRequestDelay:
		d := *p.Delay
		t.PendingDelay = &d
	case kindApproveDelay:
		d := *p.Delay
		t.Delays = append(t.Delays, d)
		t.PendingDelay = nil
	case kindRejectDelay:
		t.PendingDelay = nil
	case kindChooseCompensation:
		t.Compensation = p.Compensation.clone()
	case kindRequestTask:
		t.Tasks = append(t.Tasks, Task{Name: p.Task.Name, Team: p.Task.Team, RequestedAt: ev.At, RequestedBy: ev.Actor})
	case kindCompleteTask:
		if i := t.openTask(p.Task.Name); i >= 0 {
			t.Tasks[i].DoneAt, t.Tasks[i].DoneBy = ev.At, ev.Actor
		}
	}
	if lc.escalating>>uint(to)&1 != 0 && ev.To != ev.From {
		t.Escalations++
	}
	if last {
		t.State = ev.To
		t.Version = ev.Version
		t.Updated = ev.At
	}
}

// historyRoom is the room a full history grows to at least (Fire): a trip
// round the closed loop (BenchmarkLifecycle's 13 events).
const historyRoom = 16

func clonePin(p *sla.PolicyPin) *sla.PolicyPin {
	if p == nil {
		return nil
	}
	c := *p
	return &c
}

// Replay rebuilds a ticket from its events alone. It checks that the events
// are numbered 1, 2, 3, ..., carry matching versions, never go back in time,
// start with an opening, and that every recorded move is one the lifecycle
// has; it does not re-run guards, whose decisions the events record. A ticket
// replayed from the history of a ticket built by [Rules.Fire] equals that
// ticket.
func (r *Rules) Replay(events []Event) (*Ticket, error) {
	lc := r.lifecycle
	if len(events) == 0 {
		return nil, fieldErr("history", ErrInvalidTicket, "no events")
	}
	// The events are copied one by one, each made its own, into a history
	// with room for the next change (copyEvent), then checked against the
	// one before and applied where they lie (fold); the ticket takes its
	// state, version and instant from the last one.
	b := new(replayedTicket)
	t := &b.t
	h := make([]Event, len(events), len(events)+1)
	t.History = h
	sp := &spares{room: &b.room}
	state := lc.initial // the index of the state each event enters
	for i := range events {
		ev := &h[i]
		copyEvent(ev, &events[i], sp)
		if ev.Seq != int64(i+1) || ev.Version != ev.Seq {
			return nil, fieldErr(historyField(i), ErrInvalidTicket, "event has seq %d version %d, want %d", ev.Seq, ev.Version, i+1)
		}
		if ev.At.IsZero() || ev.Actor == "" {
			return nil, fieldErr(historyField(i), ErrInvalidTicket, "event lacks an instant or an actor")
		}
		kind := kindOpen
		if i == 0 {
			if ev.Trigger != TriggerOpen || ev.From != "" || ev.To != lc.spec.Initial || ev.Payload.Opening == nil || ev.Payload.Opening.ID == "" {
				return nil, fieldErr(historyField(i), ErrInvalidTicket, "the first event must open the ticket in state %q", lc.spec.Initial)
			}
		} else {
			prev := &h[i-1]
			if ev.At.Before(prev.At) {
				return nil, fieldErr(historyField(i), ErrInvalidTicket, "event at %v is earlier than the one before", ev.At)
			}
			if ev.From != prev.To {
				return nil, fieldErr(historyField(i), ErrInvalidTicket, "event starts from %q but the ticket is in %q", ev.From, prev.To)
			}
			from := state
			var ok bool
			state, kind, ok = lc.leads(from, ev.Trigger, ev.To)
			if !ok {
				return nil, fieldErr(historyField(i), ErrInvalidTicket, "the lifecycle has no transition %q -[%s]-> %q", ev.From, ev.Trigger, ev.To)
			}
			if err := checkPayload(ev, kind); err != nil {
				return nil, fieldErr(historyField(i), ErrInvalidTicket, "%v", err)
			}
			if err := lc.checkClose(t, from, state); err != nil {
				return nil, fieldErr(historyField(i), ErrInvalidTicket, "%v", err)
			}
		}
		lc.fold(t, ev, state, kind, sp, i == len(h)-1)
	}
	if r.policies != nil {
		// Rebuild the SLA state the ticket carries (see Ticket), as Fire
		// keeps it; a history the policies cannot evaluate simply has none.
		_ = r.remember(new(sla.Report), t)
	}
	return t, nil
}

// historyField names event i of a history in an error, built only when
// there is one.
func historyField(i int) string { return "history[" + itoa(i) + "]" }

// checkPayload makes sure apply finds what it dereferences; kind is the
// kind of ev's trigger. Only the kinds below carry anything to check.
func checkPayload(ev *Event, kind triggerKind) error {
	if kind < kindRecordFollowUp {
		return nil
	}
	p := &ev.Payload
	switch kind {
	case kindRecordFollowUp:
		if p.FollowUp == nil {
			return errorString("record_follow_up event without an outcome")
		}
		if p.FollowUp.Satisfied && !p.FollowUp.Resolved {
			return errorString("a follow-up that says not resolved cannot be satisfied")
		}
	case kindRequestDelay, kindApproveDelay:
		if p.Delay == nil {
			return errorString(string(ev.Trigger) + " event without a delay request")
		}
	case kindRequestTask, kindCompleteTask:
		if p.Task == nil {
			return errorString(string(ev.Trigger) + " event without a task")
		}
	}
	return nil
}

// checkClose enforces, on replay, the rule no edit of a history may break:
// a ticket enters "closed" only with a satisfied follow-up on record. from
// and to are the indexes of the states the event leaves and enters.
func (lc *Lifecycle) checkClose(t *Ticket, from, to int) error {
	if to == lc.closed && from != to && (t.FollowUp == nil || !t.FollowUp.Satisfied) {
		return errorString("closed without a satisfied follow-up")
	}
	return nil
}

type errorString string

func (e errorString) Error() string { return string(e) }
