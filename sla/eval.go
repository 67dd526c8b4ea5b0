package sla

import (
	"errors"
	"fmt"
	"math"
	"math/bits"
	"slices"
	"strconv"
	"strings"
	"time"
)

// Evaluate computes the SLA report of a ticket at now: which policy applies
// and why, the state of each of its metrics, the audit trail and the next
// instant anything changes. It is a pure function of its arguments.
//
// The timeline must be in non-decreasing order of [Entry.At], with no entry
// after now, and name only states the set was compiled against; otherwise the
// error is a *[TimelineError]. When no policy in force matches, the report has
// an empty [Report.Policy] and no metrics, and the error is nil.
func (s *PolicySet) Evaluate(a Attributes, timeline []Entry, now time.Time, opt Options) (*Report, error) {
	r := new(Report)
	if err := s.EvaluateInto(r, a, timeline, now, opt); err != nil {
		return nil, err
	}
	return r, nil
}

// EvaluateInto is [PolicySet.Evaluate] writing into r, reusing r's slices:
// evaluating many tickets into one [Report] allocates nothing once its slices
// have grown. The previous contents of r, including the slices of its metric
// reports, are overwritten.
func (s *PolicySet) EvaluateInto(r *Report, a Attributes, timeline []Entry, now time.Time, opt Options) error {
	return s.evaluate(r, nil, nil, &a, timeline, now, &opt)
}

// EvaluateFrom is [PolicySet.EvaluateInto] that resumes from a checkpoint and
// saves one.
//
// from, when not nil, is the state after the first from.Len() entries of an
// earlier evaluation (see save); when it was taken on this set with the same
// attributes and options and the same policy still applies, evaluation
// starts there and reads only the entries after them, so evaluating a
// timeline that grows by a few entries at a time costs the same however
// long it is. The caller guarantees that those first entries are unchanged
// (a ticket's history is append-only); otherwise the result is undefined.
// A checkpoint that does not fit is ignored and the timeline is evaluated
// from the start. save, when not nil, receives the state after the whole
// timeline (before now) for the next call; it may be from itself. The
// report is always exactly what EvaluateInto gives.
func (s *PolicySet) EvaluateFrom(r *Report, from, save *Checkpoint, a Attributes, timeline []Entry, now time.Time, opt Options) error {
	return s.evaluate(r, from, save, &a, timeline, now, &opt)
}

// Checkpoint is the state of a policy's clocks after a prefix of a timeline
// (see [PolicySet.EvaluateFrom]). The zero value is an empty checkpoint. A
// Checkpoint is plain memory: copy it with [Checkpoint.Clone], not by
// assignment, when the copy must stay independent.
type Checkpoint struct {
	set      *PolicySet
	pol      *policy
	n        int
	lastAt   time.Time
	prio     string // the priority after the prefix
	state    int    // the state after the prefix
	initPrio string // Attributes.Priority the prefix was evaluated with
	calendar string // Options.Calendar
	sims     []sim
	runs     [][]AuditEvent
	// comb: the audit so far is audit, each event's metric in auditIdx
	// (an evaluation that built Report.Audit in place), not runs.
	comb     bool
	audit    []AuditEvent
	auditIdx []int32
	times    TicketTimes
	active   *policy // the policy ruling after the prefix (pol, or a switch's)
	switches bool    // the prefix has policy switches
	mono     bool    // the prefix has instants with monotonic clock readings
	past     []AuditEvent
}

// Len is the number of timeline entries the checkpoint covers (0 when empty).
func (c *Checkpoint) Len() int {
	if c == nil {
		return 0
	}
	return c.n
}

// CopyTo makes dst an independent copy of c, reusing dst's memory.
func (c *Checkpoint) CopyTo(dst *Checkpoint) {
	sims, runs, past, audit, auditIdx := dst.sims, dst.runs, dst.past, dst.audit, dst.auditIdx
	*dst = *c
	dst.sims = append(sims[:0], c.sims...)
	dst.past = append(past[:0], c.past...)
	dst.audit = append(audit[:0], c.audit...)
	dst.auditIdx = append(auditIdx[:0], c.auditIdx...)
	for len(runs) < len(c.runs) {
		runs = append(runs, nil)
	}
	runs = runs[:len(c.runs)]
	for i, run := range c.runs {
		runs[i] = append(runs[i][:0], run...)
	}
	dst.runs = runs
	dst.normalize()
}

// normalize makes every empty list of c nil, so that two checkpoints of
// the same state are deeply equal whether or not their memory was reused
// (a ticket's carried SLA state after Fire, and the same ticket replayed,
// compare equal with reflect.DeepEqual).
//
// For the same reason the metrics' arrays are cleared past their counts
// (an evaluation reads them only up to their counts and leaves what an
// earlier one wrote there), and the thresholds' memo, a cache, is dropped.
func (c *Checkpoint) normalize() {
	if len(c.sims) == 0 {
		c.sims = nil
	}
	for i := range c.sims {
		x := &c.sims[i]
		clear(x.thr[x.nThr:])
		clear(x.cur[x.nCur:])
		clear(x.curEsc[x.nCur:])
		clear(x.pauses[min(x.nPauses, len(x.pauses)):])
		x.memo = thrMemo{}
	}
	if len(c.past) == 0 {
		c.past = nil
	}
	if len(c.audit) == 0 {
		c.audit, c.auditIdx = nil, nil
	}
	for i := range c.runs {
		if len(c.runs[i]) == 0 {
			c.runs[i] = nil
		}
	}
	if len(c.runs) == 0 {
		c.runs = nil
	}
}

// Clone returns an independent copy of c.
func (c *Checkpoint) Clone() *Checkpoint {
	if c == nil {
		return nil
	}
	out := *c
	out.sims = slices.Clone(c.sims)
	out.past = slices.Clone(c.past)
	out.audit = slices.Clone(c.audit)
	out.auditIdx = slices.Clone(c.auditIdx)
	out.runs = make([][]AuditEvent, len(c.runs))
	for i, run := range c.runs {
		out.runs[i] = slices.Clone(run)
	}
	return &out
}

// evaluate is the evaluation of the exported functions, which pass their
// own copies of the attributes and options (a is the evaluation's to
// change: its priority becomes the one after the timeline) by address
// rather than copying them again at each call.
func (s *PolicySet) evaluate(r *Report, from, save *Checkpoint, a *Attributes, timeline []Entry, now time.Time, opt *Options) error {
	if r == nil {
		return errors.New("sla: EvaluateInto needs a non-nil report")
	}
	err := s.evaluateInto(r, from, save, a, timeline, now, opt)
	if err != nil {
		r.Audit = r.Audit[:0] // (the trail is built in place; an error leaves none)
	}
	return err
}

// evaluateInto is evaluate, r not nil; on error it may leave an audit
// trail in r, which evaluate drops. (Not a deferred function: a defer
// costs more than the evaluation of a short timeline can spare.) The usual
// evaluation (no checkpoint to resume from, a valid ticket priority, a
// timeline runNew answers) takes the short path here; everything else
// goes to evaluateAny, out of line.
func (s *PolicySet) evaluateInto(r *Report, from, save *Checkpoint, a *Attributes, timeline []Entry, now time.Time, opt *Options) (err error) {
	r.start(now)
	initPrio := a.Priority // (a's priority becomes the one after the timeline)
	var p *policy
	var st int
	ok := false
	ok0 := initPrio == "" || priorityIndex(initPrio) >= 0 // (runNew tried)
	if from == nil && ok0 {
		// The usual evaluation checks and replays the timeline in one pass.
		p, st, ok = s.runNew(r, a, timeline, now, opt)
	}
	if !ok {
		// One it cannot answer that way starts over, checked first.
		if p, st, from, err = s.evaluateAny(r, from, save, a, initPrio, timeline, now, opt, from == nil && ok0); p == nil {
			return err // (nil when no policy in force matches)
		}
	} else if save != nil {
		s.save(save, r, p, p, timeline, a.Priority, st, initPrio, opt.Calendar)
	}
	// The ticket's time by whose move it was, from state to state.
	// (The check counted them up to the last entry.)
	times := &r.Times
	*times = r.times
	if st >= 0 {
		lastAt := time.Time{}
		if from != nil {
			lastAt = from.lastAt
		}
		if len(timeline) > from.Len() {
			lastAt = timeline[len(timeline)-1].At
		}
		s.addTime(times, st, r.sub(now, lastAt))
	}
	times.RequesterWait = times.AgentWork + times.OnHold
	n := len(p.metrics)
	if cap(r.Metrics) < n {
		r.growMetrics(n)
	}
	r.Metrics = r.Metrics[:n]
	// Each clock up to now, then its report. (A stopped clock has nothing
	// to count: advance would only move its mark, which nothing reads
	// once the checkpoint is saved.)
	ns, nn := now.Unix(), now.Nanosecond()
	sims, mets := r.sims, r.Metrics // (neither changes from here on)
	for i := range mets {
		x := &sims[i]
		if x.active {
			if err := x.advanceAt(now, ns, nn, true); err != nil {
				return err
			}
		}
		if err := x.report(now, &mets[i]); err != nil {
			return err
		}
	}
	if !r.comb {
		r.mergeAudit() // (a trail built in place is in order)
	}
	return nil
}

// evaluateAny is evaluateInto's evaluation up to the clocks' advance to
// now, for ticket priority initPrio, when the short path does not answer:
// a checkpoint to resume from, a ticket priority at fault, or a timeline
// that runNew leaves to checkThenRun. It returns the policy ruling after
// the timeline (nil for an error, or none in force matching: a nil error),
// the ticket's state after it, and from, or nil when the evaluation starts
// over; it saves the checkpoint in save, and makes the report speak of the
// policy that a switch made the ruling one. tried tells that runNew did not
// answer the evaluation from the timeline's start.
//
//go:noinline
func (s *PolicySet) evaluateAny(r *Report, from, save *Checkpoint, a *Attributes, initPrio string, timeline []Entry, now time.Time, opt *Options, tried bool) (*policy, int, *Checkpoint, error) {
	if initPrio != "" && priorityIndex(initPrio) < 0 {
		return nil, 0, nil, ticketPriorityError(initPrio)
	}
	if from != nil && !from.fits(s, initPrio, opt.Calendar, timeline) {
		from = nil
	}
	// From here on, from is nil unless the evaluation resumes from it.
	var p, initial *policy
	var prio string
	var state, st int
	ok := false
	if from == nil && !tried {
		if p, st, ok = s.runNew(r, a, timeline, now, opt); ok {
			initial, prio, state = p, a.Priority, st
		}
	}
	if !ok {
		var err error
		if p, initial, from, prio, state, st, err = s.checkThenRun(r, from, initPrio, a, timeline, now, opt); p == nil {
			return nil, 0, nil, err
		}
	}
	if save != nil {
		s.save(save, r, initial, p, timeline, prio, state, initPrio, opt.Calendar)
	}
	if p != initial {
		r.switchedPolicy(p, a)
	}
	return p, st, from, nil
}

// start empties r for an evaluation at now.
func (r *Report) start(now time.Time) {
	r.Now = now
	r.Policy, r.Version, r.EffectiveFrom, r.Fingerprint = "", 0, time.Time{}, ""
	r.Why = r.Why[:0]
	r.Metrics = r.Metrics[:0]
	r.Audit = r.Audit[:0]
	r.NextChange = time.Time{}
	r.Priority, r.State = "", ""
	r.Times, r.Entitlement = TicketTimes{}, ""
}

// runNew is the usual evaluation from the timeline's start (no checkpoint)
// up to now, r just started, for the ticket of attributes cur (its
// priority set to the one after the timeline): the policy chosen, then
// each entry checked as checkEntries does and replayed as runEntries does,
// in one pass instead of a check before the replay. It returns the policy
// and the ticket's state after the timeline, and sets r.times. ok is false
// for an evaluation it does not answer: monotonic readings, an entry at
// fault or that needs more (see checkEntries), no policy or a policy
// without masks, an error on the way; r then holds what it did, and the
// caller starts over with checkThenRun, which answers as the check first
// does (errors are rare: they pay twice).
//
//go:noinline
func (s *PolicySet) runNew(r *Report, cur *Attributes, entries []Entry, now time.Time, opt *Options) (p *policy, st int, ok bool) {
	ns, nn, ok := plainUnix(&now)
	if s.general || !ok {
		return nil, 0, false
	}
	nk := ns*1e9 + int64(nn)
	// (!hasMono of each entry's instant, written out as in checkEntries,
	// in a loop of its own, which keeps its few variables in registers.
	// An entry added as it happened, by time.Now, may carry one: the last,
	// most often.)
	for i := len(entries) - 1; i >= 0; i-- {
		if at := entries[i].At; at != at.In(at.Location()) {
			return nil, 0, false
		}
	}
	// The policy is chosen by the priority after the timeline: its last
	// priority entry's (checked in the pass, which answers only if it is
	// valid).
	initPrio := cur.Priority
	for i := len(entries) - 1; i >= 0; i-- {
		if e := &entries[i]; e.Kind == EntryPriority {
			cur.Priority = e.Priority
			break
		}
	}
	r.mono, r.switches = false, false
	p, ticketCal, calendar, _ := s.choosePolicy(r, cur, entries, now, opt)
	if p == nil || !p.masks {
		return nil, 0, false
	}
	s.setUp(r, p, nil, initPrio, ticketCal, calendar, len(entries))

	// (r.sims changes only with a policy switch: not here.)
	sims := r.sims
	all := uint64(1)<<uint(len(sims)) - 1 // (at most 64: masks)
	st = -1
	pk := int64(math.MinInt64) // (nothing before the first entry)
	// The ticket's time in each state, by category (see
	// PolicySet.timeCat), counted when it leaves the state, which it
	// entered at nanoKey since: the sum of checkEntries' times from entry
	// to entry (exactly: integers); the last slot, solved states, counts
	// for none.
	var acc [4]time.Duration
	var since int64
	// The step holds the ticket's state before and after the entry (prev
	// and cur, their bits) from entry to entry: a change of state sets
	// them, and the next entry visited makes them one again.
	stp := step{prev: -1, cur: -1}
	for j := range entries {
		e := &entries[j]
		// (The entry's nanoKey, of the seconds and nanoseconds the clocks
		// take, and the order. Entries in order come before now if the
		// last does.)
		es, en := e.At.Unix(), e.At.Nanosecond()
		k := es*1e9 + int64(en)
		if uint64(es+1<<32) >= 1<<33 || k < pk {
			return nil, 0, false
		}
		pk = k
		// The entry's names, and the metrics it can change (see
		// runEntries).
		prev := st
		var mask uint64
		ev := -1
		switch e.Kind {
		case EntryState:
			name := e.State
			if name == "" {
				return nil, 0, false
			}
			// (stateTab.find, its first slot written out.)
			sl := &s.stateTab.slots[nameHash(name, s.stateTab.mul)]
			if sl.name != name {
				return nil, 0, false // (an unknown state, or one in another slot)
			}
			if st = int(sl.v); st != prev {
				mask = p.stMask[st]
				if prev >= 0 {
					mask |= p.stMask[prev]
					acc[s.timeCat[prev&63]&3] += time.Duration(k - since)
				}
				since = k
				// (bit(st): states are fewer than 64; bit(prev) is cb.)
				stp.prev, stp.pb, stp.cur, stp.cb, stp.stateChanged = prev, stp.cb, st, 1<<uint(st&63), true
			}
		case EntryEvent:
			name := e.Event
			if name == "" {
				return nil, 0, false
			}
			// (eventTab.find, its first slot written out; an event the
			// set does not number changes no metric.)
			if sl := &s.eventTab.slots[nameHash(name, s.eventTab.mul)]; sl.name == name {
				ev = int(sl.v)
			} else if id, ok := s.eventTab.probe(name); ok {
				ev = id
			}
			if ev >= 0 {
				mask = p.evMask[ev]
			}
		case EntryPriority:
			if mask, ok = prioMask(sims, e.Priority, j == 0); !ok {
				return nil, 0, false
			}
		default:
			// A reopen, a moved deadline, an observation (visits tells),
			// or an entry checkEntries refuses.
			if st, ok = s.checkRare(e, k, st); !ok {
				return nil, 0, false
			}
			if st != prev {
				if prev >= 0 {
					acc[s.timeCat[prev&63]&3] += time.Duration(k - since)
				}
				since = k
				stp.prev, stp.pb, stp.cur, stp.cb, stp.stateChanged = prev, stp.cb, st, 1<<uint(st&63), true
			}
			mask = ^uint64(0)
		}
		if j == 0 {
			// Each metric opens its clock (visits' answer for the first
			// entry), unless the entry is an observation.
			if ev = -1; e.Kind != EntryObserved {
				mask = all
			}
		}
		if mask == 0 {
			continue // (an entry that changes no metric)
		}
		// (Every metric's state is the ticket's: prev before the entry.)
		stp.e, stp.first, stp.ev = e, j == 0, ev
		if st == prev && stp.stateChanged {
			stp.prev, stp.pb, stp.stateChanged = st, stp.cb, false
		}
		if mask == ^uint64(0) {
			var err error
			if mask, err = stp.visits(sims, es, en); err != nil {
				return nil, 0, false
			}
		}
		// (runEntries' visit loop, written out again: a function of its
		// own, shared by both, measured 400 instructions more per
		// evaluation. A change to one is a change to the other.)
		for m := mask; m != 0; m &= m - 1 {
			x := &sims[bits.TrailingZeros64(m)]
			x.state = st
			if err := x.advanceAt(e.At, es, en, false); err != nil {
				return nil, 0, false
			}
			if err := x.apply(&stp); err != nil {
				return nil, 0, false
			}
		}
	}
	if pk > nk {
		// An entry after now (the last, in order): the replay up to it
		// is of no use.
		return nil, 0, false
	}
	setState(sims, st) // (a checkpoint keeps them)
	if st >= 0 {
		acc[s.timeCat[st&63]&3] += time.Duration(pk - since) // (up to the last entry)
		r.State = s.states[st]
	}
	r.times = TicketTimes{AgentWork: acc[timeAgent], OnHold: acc[timeOnHold], Pending: acc[timePending]}
	r.Priority = cur.Priority
	return p, st, true
}

// plainUnix is t's Unix seconds and nanoseconds, ok false when t has a
// monotonic reading (hasMono) or its seconds are not within ±2^32 (see
// nanoKey): runNew's check of now. (Not inlined: runNew's code is short.)
//
//go:noinline
func plainUnix(t *time.Time) (sec int64, nsec int, ok bool) {
	u := *t
	if u != u.In(u.Location()) {
		return 0, 0, false
	}
	sec = u.Unix()
	return sec, u.Nanosecond(), uint64(sec+1<<32) < 1<<33
}

// checkRare is checkEntries' check of entry e, at nanoKey k, of a kind
// other than a state, an event or a priority, the ticket in state st
// before it: it returns the state after it (a reopen's), and ok false for
// an entry checkEntries refuses. (Out of line: these kinds are rare.)
//
//go:noinline
func (s *PolicySet) checkRare(e *Entry, k int64, st int) (int, bool) {
	switch e.Kind {
	case EntryReopen:
		if name := e.State; name != "" {
			sl := &s.stateTab.slots[nameHash(name, s.stateTab.mul)]
			if sl.name != name {
				return 0, false
			}
			st = int(sl.v)
		}
	case EntryDeadline:
		// (Deadline.After(At), without monotonic readings.)
		if d, ok := nanoKey(e.Deadline); !ok || d <= k || hasMono(e.Deadline) {
			return 0, false
		}
	case EntryObserved:
	default:
		return 0, false // a policy switch, or an unknown kind
	}
	return st, true
}

// checkThenRun is the evaluation that runNew does not answer, r started
// again (runNew may have written in it): the timeline checked (from
// checkpoint from, when not nil), the policy chosen for the ticket of
// priority initPrio and attributes cur (its priority set to the one after
// the timeline), and the entries replayed. It returns the policy
// ruling after the entries and the one chosen, initial; from, or nil when
// the evaluation starts over; the ticket's priority and state after the
// check, and the state after the replay. A nil policy is an error, or none
// in force matching (a nil error).
//
//go:noinline
func (s *PolicySet) checkThenRun(r *Report, from *Checkpoint, initPrio string, cur *Attributes, timeline []Entry, now time.Time, opt *Options) (p, initial *policy, _ *Checkpoint, prio string, state, st int, err error) {
	r.start(now)
	if from == nil {
		prio, state, err = s.checkNew(r, initPrio, timeline, now)
	} else {
		prio, state, from, err = s.checkResumed(r, from, initPrio, timeline, now)
	}
	if err != nil {
		return nil, nil, nil, "", 0, 0, err
	}
	r.Priority = prio
	if state >= 0 {
		r.State = s.states[state]
	}

	cur.Priority = prio
	p, ticketCal, calendar, err := s.choosePolicy(r, cur, timeline, now, opt)
	if p == nil {
		return nil, nil, nil, "", 0, 0, err
	}
	if from != nil && from.pol != p {
		// The checkpoint was taken under another policy: start over.
		if prio, state, err = s.checkNew(r, initPrio, timeline, now); err != nil {
			return nil, nil, nil, "", 0, 0, err
		}
		from = nil
	}
	initial = p
	k0 := from.Len()
	st = -1
	if from != nil {
		p = from.active // a switch in the prefix may have moved the ticket on
		st = from.state
	}
	s.setUp(r, p, from, initPrio, ticketCal, calendar, len(timeline))
	if p, st, err = s.runEntries(r, p, k0, st, timeline, initPrio, ticketCal, calendar); err != nil {
		return nil, nil, nil, "", 0, 0, err
	}
	return p, initial, from, prio, state, st, nil
}

// switchedPolicy makes the report speak of policy p, which a switch in the
// timeline made the one that rules the ticket of attributes cur now. (Out
// of line, as growMetrics: the usual evaluation's path is short.)
//
//go:noinline
func (r *Report) switchedPolicy(p *policy, cur *Attributes) {
	r.Policy, r.Version, r.EffectiveFrom, r.Fingerprint = p.name, p.version, p.from, p.fp
	r.Why = r.Why[:0]
	if why, ok := p.matchWhy(cur, r.Why); ok {
		r.Why = why
	}
	r.Entitlement = ""
}

// growMetrics gives r.Metrics room for n metric reports (a new report, or
// a policy of more metrics than the report's last one).
//
//go:noinline
func (r *Report) growMetrics(n int) {
	r.Metrics = make([]MetricReport, n)
}

// ticketPriorityError is the error of a ticket priority that is not P0..P9.
func ticketPriorityError(prio string) error {
	return &TimelineError{Index: -1, Err: fmt.Errorf("%w: ticket priority %q is not P0..P9", ErrInvalidEntry, prio)}
}

// fits reports whether evaluation on s of timeline, with ticket priority
// prio and calendar option calendar, can resume from c (see
// PolicySet.EvaluateFrom); the policy is told later (Checkpoint.pol).
func (c *Checkpoint) fits(s *PolicySet, prio, calendar string, timeline []Entry) bool {
	return c.set == s && c.n > 0 && c.n <= len(timeline) && c.initPrio == prio &&
		c.calendar == calendar && timeline[c.n-1].At.Equal(c.lastAt)
}

// checkResumed is checkTimeline of the entries after checkpoint from,
// which fits (see Checkpoint.fits). It returns from, or nil when the
// checkpoint does not fit after all and the timeline was checked from the
// start (prio, the ticket's priority).
func (s *PolicySet) checkResumed(r *Report, from *Checkpoint, prio string, timeline []Entry, now time.Time) (string, int, *Checkpoint, error) {
	p, st, err := s.checkTimeline(r, from.n, from.prio, from.state, from.lastAt, from.times, timeline, now)
	if err != nil {
		return "", 0, nil, err
	}
	if r.switches && !from.switches {
		// The prefix was counted on its metrics' own calendars only, and
		// a policy switch needs counted time on every calendar of the set:
		// the checkpoint does not fit, so evaluate from the start.
		p, st, err = s.checkNew(r, prio, timeline, now)
		return p, st, nil, err
	}
	if from.switches {
		r.switches = true
	}
	if from.mono {
		r.mono = true
	}
	return p, st, from, nil
}

// choosePolicy chooses the policy of the ticket of attributes cur (its
// priority the one after the timeline) by the options opt, and sets the
// report's policy, why and entitlement. It returns the ticket's calendar
// and its name (the option, or the entitlement's), and a nil policy when
// none in force matches (with a nil error unless a policy was asked for).
// The usual ticket (no option, no entitlement in the set, a timeline)
// takes the short path here; the others choosePolicyAny.
func (s *PolicySet) choosePolicy(r *Report, cur *Attributes, timeline []Entry, now time.Time, opt *Options) (p *policy, ticketCal *Calendar, calendar string, err error) {
	if opt.Policy != "" || opt.Calendar != "" || len(s.ents) > 0 || !opt.PinAt.IsZero() || len(timeline) == 0 {
		return s.choosePolicyAny(r, cur, timeline, now, opt)
	}
	if p = s.firstMatch(r, cur, timeline[0].At); p != nil {
		r.chose(p, opt.Entitlement)
	}
	return p, nil, "", nil
}

// choosePolicyAny is choosePolicy for any options and set.
//
//go:noinline
func (s *PolicySet) choosePolicyAny(r *Report, cur *Attributes, timeline []Entry, now time.Time, opt *Options) (p *policy, ticketCal *Calendar, calendar string, err error) {
	pinAt := opt.PinAt
	if pinAt.IsZero() {
		if len(timeline) > 0 {
			pinAt = timeline[0].At
		} else {
			pinAt = now
		}
	}
	calendar = opt.Calendar
	if opt.Policy == "" && len(s.ents) > 0 {
		calendar = s.entitle(cur, pinAt, opt, calendar)
	}
	if opt.Policy != "" {
		if p, err = s.pinnedPolicy(r, cur, pinAt, opt); p == nil {
			return nil, nil, "", err
		}
	} else if p = s.firstMatch(r, cur, pinAt); p == nil {
		return nil, nil, "", nil
	}
	r.chose(p, opt.Entitlement)
	if calendar != "" {
		if ticketCal, err = s.ticketCalendar(calendar); err != nil {
			return nil, nil, "", err
		}
	}
	return p, ticketCal, calendar, nil
}

// firstMatch is the first policy in force at pinAt whose conditions hold
// for the ticket of attributes cur, its why appended to r.Why (the
// conditions walked once for both); nil for none.
func (s *PolicySet) firstMatch(r *Report, cur *Attributes, pinAt time.Time) *policy {
	ps, pn := pinAt.Unix(), int32(pinAt.Nanosecond())
	for _, q := range s.policies {
		if !q.inForceAt(ps, pn) {
			continue
		}
		if len(q.all) == 0 && len(q.any) == 0 {
			return q // (a catch-all: no why)
		}
		if why, ok := q.matchWhy(cur, r.Why); ok {
			r.Why = why
			return q
		}
	}
	return nil
}

// chose makes the report speak of policy p, chosen by entitlement (""
// for none).
func (r *Report) chose(p *policy, entitlement string) {
	r.Policy, r.Version, r.EffectiveFrom, r.Fingerprint, r.Entitlement = p.name, p.version, p.from, p.fp, entitlement
}

// ticketCalendar is the set's calendar of name calendar, the ticket's, or
// the error of a name the set does not know. (Out of line: most tickets
// count on their metrics' own calendars.)
//
//go:noinline
func (s *PolicySet) ticketCalendar(calendar string) (*Calendar, error) {
	c, ok := s.calendars.Get(calendar)
	if !ok {
		return nil, s.unknownCalendarError(calendar)
	}
	return c, nil
}

// entitle pins in opt the policy of the first entitlement valid at pinAt
// that covers the ticket of attributes cur, if any, and returns the
// ticket's calendar name: the entitlement's, or calendar, the option's.
func (s *PolicySet) entitle(cur *Attributes, pinAt time.Time, opt *Options, calendar string) string {
	if e := s.entitlementFor(cur, pinAt); e != nil {
		opt.Policy, opt.Version, opt.Entitlement = e.policy, 0, e.name
		if e.calendarName != "" {
			calendar = e.calendarName
		}
	}
	return calendar
}

// pinnedPolicy is the policy opt asks for (by name, and by version or in
// force at pinAt), with the report's why when it matches cur; nil and the
// error when there is none or its fingerprint changed.
func (s *PolicySet) pinnedPolicy(r *Report, cur *Attributes, pinAt time.Time, opt *Options) (*policy, error) {
	var p *policy
	for _, q := range s.policies {
		if q.name == opt.Policy && ((opt.Version == 0 && q.inForce(pinAt)) || (opt.Version != 0 && q.version == opt.Version)) {
			p = q
			break
		}
	}
	if p == nil {
		return nil, fmt.Errorf("%w: %q version %d at %s", ErrNoPolicy, opt.Policy, opt.Version, pinAt.Format(time.RFC3339))
	}
	if opt.Fingerprint != "" && opt.Fingerprint != p.fp {
		return nil, &PolicyChangedError{Policy: p.name, Version: p.version, Pinned: opt.Fingerprint, Current: p.fp}
	}
	if why, ok := p.matchWhy(cur, r.Why); ok {
		r.Why = why
	}
	return p, nil
}

// unknownCalendarError is the error of a ticket calendar the set does not know.
func (s *PolicySet) unknownCalendarError(calendar string) error {
	return fmt.Errorf("sla: the ticket's calendar: %w %q (known: %v)", ErrUnknownCalendar, calendar, s.calendars.Names())
}

// setUp readies r for the entries of policy p: its metrics' clocks (from
// checkpoint from, or new ones at ticket priority prio), their audit
// runs, and the calendars' positions; ticketCal, of name calendar, is the
// ticket's calendar (nil for none), and the timeline has nEntries entries.
func (s *PolicySet) setUp(r *Report, p *policy, from *Checkpoint, prio string, ticketCal *Calendar, calendar string, nEntries int) {
	n := len(p.metrics)
	if from != nil || r.mono || r.switches || cap(r.sims) < n || cap(r.Audit) == 0 || cap(r.auditIdx) == 0 ||
		r.calsSet != s || r.calsTicket != ticketCal || r.calsGeneral != s.general {
		s.setUpAny(r, p, from, prio, ticketCal, calendar, nEntries)
		return
	}
	// The usual evaluation: a new one into a report reused for the same
	// set and ticket calendar, its audit trail built in place.
	r.alerts = r.alerts[:0]
	r.pauses = r.pauses[:0]
	r.past = r.past[:0]
	r.sims = r.sims[:n]
	r.comb = true
	r.auditIdx = r.auditIdx[:0]
	r.lastSec, r.lastKey = math.MinInt64, math.MinInt64
	for i := range n {
		r.sims[i].reset(s, r, p, i, prio, ticketCal, calendar)
	}
}

// reset readies the clock of metric i of policy p for a new evaluation
// (see setUp).
func (x *sim) reset(s *PolicySet, r *Report, p *policy, i int, prio string, ticketCal *Calendar, calendar string) {
	x.simCore = simCore{}
	// (The fields that hold pointers side by side, under one test of
	// the write barrier.)
	x.m, x.prio, x.set, x.r, x.ticketCal, x.ticketCalName = &p.metrics[i], prio, s, r, ticketCal, calendar
	x.state, x.pauseState, x.idx, x.allCals = -1, -1, i, r.switches
}

// setUpAny is setUp for any evaluation: from a checkpoint, with policy
// switches or monotonic readings, into a new report, or on another set
// or ticket calendar than the report's last evaluation.
//
//go:noinline
func (s *PolicySet) setUpAny(r *Report, p *policy, from *Checkpoint, prio string, ticketCal *Calendar, calendar string, nEntries int) {
	n := len(p.metrics)
	r.alerts = r.alerts[:0]
	r.pauses = r.pauses[:0]
	r.past = r.past[:0]
	if cap(r.sims) < n {
		r.sims = make([]sim, n)
	}
	r.sims = r.sims[:n]
	if r.calsSet != s || r.calsTicket != ticketCal || r.calsGeneral != s.general {
		r.setCals(s, ticketCal)
	}
	if from != nil {
		s.setUpResumed(r, p, from, ticketCal, calendar, nEntries)
		return
	}
	// Without policy switches or monotonic readings the metrics' audit
	// events go straight into r.Audit, in order of instants and at equal
	// instants of metrics (see record); otherwise into one run per metric,
	// merged at the end.
	r.comb = !r.mono && !r.switches
	if r.comb {
		if cap(r.Audit) == 0 || cap(r.auditIdx) == 0 {
			r.newAudit(n * (4 + nEntries))
		}
		r.auditIdx = r.auditIdx[:0]
		r.lastSec, r.lastKey = math.MinInt64, math.MinInt64
	} else if len(r.runs) < n {
		r.newRuns(n, 4+nEntries)
	}
	for i := range n {
		r.sims[i].reset(s, r, p, i, prio, ticketCal, calendar)
		if !r.comb {
			r.runs[i] = r.runs[i][:0]
		}
	}
}

// setCals sets r's calendar positions for the calendars of set s, the
// ticket's calendar ticketCal (nil for none) replacing the default one, and
// remembers what for, so that the next evaluation on the same set and
// ticket calendar leaves them as they are.
//
//go:noinline
func (r *Report) setCals(s *PolicySet, ticketCal *Calendar) {
	if cap(r.cals) < len(s.cals) {
		r.cals = make([]calPos, len(s.cals))
	}
	r.cals = r.cals[:len(s.cals)]
	r.calsSet, r.calsTicket, r.calsGeneral = s, ticketCal, s.general
	for i := range r.cals {
		c := s.cals[i].cal
		if s.cals[i].def && ticketCal != nil {
			c = ticketCal
		}
		// A calendar's positions do not change (calendars are immutable):
		// what the report remembers of the same calendar from its last
		// evaluation still holds, and the next ticket's entries are often
		// days near it.
		if cp := &r.cals[i]; c == nil || cp.cal != c || cp.general != s.general {
			*cp = newCalPos(c, s.general)
		}
		if c == nil {
			r.calsSet = nil // (a position without a calendar is set anew each time)
		}
	}
}

// newAudit gives r.Audit and r.auditIdx room for n events where they have
// none (a new report).
//
//go:noinline
func (r *Report) newAudit(n int) {
	if cap(r.Audit) == 0 {
		r.Audit = make([]AuditEvent, 0, n)
	}
	if cap(r.auditIdx) == 0 {
		r.auditIdx = make([]int32, 0, cap(r.Audit))
	}
}

// setUpResumed is setUp's part for an evaluation that resumes from
// checkpoint from: the metrics' clocks and audit are the checkpoint's.
//
//go:noinline
func (s *PolicySet) setUpResumed(r *Report, p *policy, from *Checkpoint, ticketCal *Calendar, calendar string, nEntries int) {
	n := len(p.metrics)
	r.resumePast(from)
	r.comb = !r.mono && !r.switches && len(r.past) == 0
	if r.comb {
		if cap(r.Audit) == 0 || cap(r.auditIdx) == 0 {
			r.newAudit(n * (4 + nEntries))
		}
		r.auditIdx = r.auditIdx[:0]
		r.resumeAudit(from, n)
		r.lastAudit()
	} else if len(r.runs) < n {
		r.newRuns(n, 4+nEntries)
	}
	for i := range n {
		r.resumeSim(from, i)
		x := &r.sims[i]
		x.set, x.r, x.idx, x.ticketCal, x.ticketCalName, x.allCals = s, r, i, ticketCal, calendar, r.switches
	}
}

// resumePast puts the audit of the metrics checkpoint from's policy
// switches dropped in r. (Not inlined, as the other steps of a resumed
// evaluation, so that setUp's usual path stays short.)
//
//go:noinline
func (r *Report) resumePast(from *Checkpoint) {
	r.past = append(r.past, from.past...)
}

// resumeAudit puts the audit trail of checkpoint from (n metrics) in
// r.Audit, r.comb being set.
//
//go:noinline
func (r *Report) resumeAudit(from *Checkpoint, n int) {
	if from.comb {
		r.Audit = append(r.Audit, from.audit...)
		r.auditIdx = append(r.auditIdx, from.auditIdx...)
	} else {
		r.mergeRuns(from.runs[:n], true)
	}
}

// newRuns gives r n metrics' audit runs, sharing one block with room for
// per events each (a new report), instead of growing one by one.
//
//go:noinline
func (r *Report) newRuns(n, per int) {
	runs := make([][]AuditEvent, n)
	copy(runs, r.runs)
	r.runs = runs
	block := make([]AuditEvent, 0, n*per)
	for i := range runs {
		if cap(runs[i]) == 0 {
			runs[i] = block[i*per : i*per : (i+1)*per]
		}
	}
}

// resumeSim sets metric i's clock, and its audit run, to checkpoint from's.
//
//go:noinline
func (r *Report) resumeSim(from *Checkpoint, i int) {
	r.sims[i] = from.sims[i]
	switch {
	case r.comb:
	case from.comb:
		r.runs[i] = r.runs[i][:0]
		for j, e := range from.audit {
			if int(from.auditIdx[j]) == i {
				r.runs[i] = append(r.runs[i], e)
			}
		}
	default:
		r.runs[i] = append(r.runs[i][:0], from.runs[i]...)
	}
}

// save saves in save the state after timeline (see EvaluateFrom): r's
// metrics of policy p, the one ruling after it, evaluated from policy
// initial, with ticket priority initPrio and calendar option calendar; the
// ticket's priority and state after it, prio and state, and its times (r.times, up to the last entry).
func (s *PolicySet) save(save *Checkpoint, r *Report, initial, p *policy, timeline []Entry, prio string, state int, initPrio, calendar string) {
	n := len(p.metrics)
	save.set, save.pol, save.n, save.prio, save.state = s, initial, len(timeline), prio, state
	save.active, save.switches, save.mono = p, r.switches, r.mono
	save.past = append(save.past[:0], r.past...)
	save.initPrio, save.calendar, save.times = initPrio, calendar, r.times
	save.lastAt = time.Time{}
	if len(timeline) > 0 {
		save.lastAt = timeline[len(timeline)-1].At
	}
	save.sims = append(save.sims[:0], r.sims...)
	for i := range save.sims {
		save.sims[i].set, save.sims[i].r, save.sims[i].ticketCal = nil, nil, nil
		save.sims[i].pos = posMemo{} // (a cache: see Checkpoint.normalize)
	}
	for len(save.runs) < n {
		save.runs = append(save.runs, nil)
	}
	save.runs = save.runs[:n]
	save.comb = r.comb
	save.audit, save.auditIdx = save.audit[:0], save.auditIdx[:0]
	if r.comb {
		save.audit = append(save.audit, r.Audit...)
		save.auditIdx = append(save.auditIdx, r.auditIdx...)
		for i := range n {
			save.runs[i] = save.runs[i][:0]
		}
	} else {
		for i := range n {
			save.runs[i] = append(save.runs[i][:0], r.runs[i]...)
		}
	}
	save.normalize()
}

// runEntries applies timeline[k0:] to r.sims, the metrics of p, the policy
// ruling before entry k0, with the ticket in state st (-1 for none). It
// returns the policy ruling after the entries (a switch moves the ticket on)
// and the ticket's state. The usual timeline (a policy with masks, no policy
// switch) is replayed here, each entry visiting only the metrics it can
// change (see sim.inert), from the policy's tables; the rare kinds of entry
// and the first entry go out of line (step.visits), and other timelines to
// runEntriesAll. (A function of its own, so that the entry loop keeps its
// few variables in registers.)
func (s *PolicySet) runEntries(r *Report, p *policy, k0, st int, timeline []Entry, initPrio string, ticketCal *Calendar, calendar string) (*policy, int, error) {
	if !p.masks || s.general || r.switches {
		return s.runEntriesAll(r, p, k0, st, timeline, initPrio, ticketCal, calendar)
	}
	entries := timeline[k0:]
	idx := r.stIdx[:len(entries)]
	// (r.sims changes only with a policy switch: not here.)
	sims := r.sims
	first := k0 == 0
	var stp step
	for j := range entries {
		e := &entries[j]
		prev, ns := st, idx[j]
		if ns >= 0 {
			st = int(ns)
		}
		// The metrics the entry can change; the others' clocks need not
		// move here: the next entry that changes the metric, or the end,
		// advances it over this one, recording what fell due on the way at
		// its own instant (see advance). All bits set: visits tells.
		var mask uint64
		ev := -1
		switch {
		case first:
			mask = ^uint64(0) // (each metric opens its clock)
		case e.Kind == EntryEvent:
			if ns <= -2 {
				ev = int(-2 - ns)
				mask = p.evMask[ev]
			}
		case e.Kind == EntryState:
			if st != prev {
				mask = p.stMask[st]
				if prev >= 0 {
					mask |= p.stMask[prev]
				}
			}
		case e.Kind == EntryPriority:
			mask, _ = prioMask(sims, e.Priority, false) // (checked)
		default:
			mask = ^uint64(0)
		}
		if mask == 0 {
			continue // (an entry that changes no metric)
		}
		// (Every metric's state is the ticket's: prev before the entry.)
		stp.e, stp.first, stp.prev, stp.cur, stp.stateChanged = e, first, prev, st, st != prev
		first = false
		// (bit(prev), bit(st): states are fewer than 64.)
		stp.pb, stp.cb, stp.ev = 0, 0, ev
		if prev >= 0 {
			stp.pb = 1 << uint(prev&63)
		}
		if st >= 0 {
			stp.cb = 1 << uint(st&63)
		}
		es, en := e.At.Unix(), e.At.Nanosecond()
		if mask == ^uint64(0) {
			// (The first entry, a reopen, a moved deadline or an
			// observation; or a policy's mask of all 64 metrics, for which
			// visits' answer is the same.)
			var err error
			if mask, err = stp.visits(sims, es, en); err != nil {
				return nil, 0, err
			}
		}
		// Only the metrics the entry can change are visited; the others'
		// state is brought up to date before it is read (apply reads it,
		// see setState).
		for m := mask; m != 0; m &= m - 1 {
			x := &sims[bits.TrailingZeros64(m)]
			x.state = st
			if err := x.advanceAt(e.At, es, en, false); err != nil {
				return nil, 0, err
			}
			if err := x.apply(&stp); err != nil {
				return nil, 0, err
			}
		}
	}
	setState(sims, st) // (a checkpoint keeps them)
	return p, st, nil
}

// visits is the mask of the metrics step st, at Unix seconds es and
// nanoseconds en, can change, when the policy's masks do not tell: the
// first entry, a reopen or a moved deadline (the metrics not inert, their
// state set to the ticket's: what the masks tell for the other kinds). An
// observation advances every clock to it (what falls due at its instant
// was seen: it is recorded now, as an evaluation at this instant does) and
// changes none.
//
//go:noinline
func (st *step) visits(sims []sim, es int64, en int) (uint64, error) {
	if e := st.e; e.Kind == EntryObserved {
		for i := range sims {
			if err := sims[i].advanceAt(e.At, es, en, true); err != nil {
				return 0, err
			}
		}
		return 0, nil
	}
	var mask uint64
	for i := range sims {
		x := &sims[i]
		x.state = st.cur
		if !x.inert(st) {
			mask |= 1 << uint(i&63)
		}
	}
	return mask, nil
}

// runEntriesAll is runEntries for a policy without masks (more than 64
// metrics), a timeline with policy switches, or the general path of the
// tests: each entry visits every metric not inert.
func (s *PolicySet) runEntriesAll(r *Report, p *policy, k0, st int, timeline []Entry, initPrio string, ticketCal *Calendar, calendar string) (*policy, int, error) {
	var stp step
	for k := k0; k < len(timeline); k++ {
		e := &timeline[k]
		prev, ns := st, r.stIdx[k-k0]
		if ns >= 0 {
			st = int(ns)
		}
		if e.Kind == EntryObserved {
			// What falls due at this instant was seen: record it now, as
			// an evaluation at this instant does.
			for i := range r.sims {
				if err := r.sims[i].advance(e.At, true); err != nil {
					return nil, 0, err
				}
			}
			continue
		}
		// The metrics the entry can change (see sim.inert), from the
		// policy's tables; the others' clocks need not move here: the next
		// entry that changes the metric, or the end, advances it over
		// this one, recording what fell due on the way at its own instant
		// (see advance).
		mask := ^uint64(0)
		if p.masks && k > 0 && !s.general {
			switch e.Kind {
			case EntryEvent:
				mask = 0
				if ns <= -2 {
					mask = p.evMask[-2-ns]
				}
			case EntryState:
				mask = 0
				if st != prev {
					mask = p.stMask[st]
					if prev >= 0 {
						mask |= p.stMask[prev]
					}
				}
			case EntryPriority:
				mask, _ = prioMask(r.sims, e.Priority, false) // (checked)
			}
		}
		if mask == 0 {
			continue // (an event or a state entry that changes no metric)
		}
		// (Every metric's state is the ticket's: prev before the entry.)
		stp.e, stp.first, stp.prev, stp.cur, stp.stateChanged = e, k == 0, prev, st, st != prev
		// (bit(prev), bit(st): states are fewer than 64.)
		stp.pb, stp.cb, stp.ev = 0, 0, -1
		if prev >= 0 {
			stp.pb = 1 << uint(prev&63)
		}
		if st >= 0 {
			stp.cb = 1 << uint(st&63)
		}
		if ns <= -2 && k > 0 && !s.general {
			stp.ev = int(-2 - ns)
		}
		// (r.sims changes only with a policy switch, after this loop.)
		sims := r.sims
		es, en := e.At.Unix(), e.At.Nanosecond()
		if mask != ^uint64(0) {
			// With masks (at most 64 metrics), only the metrics the entry
			// can change are visited; the others' state is brought up to
			// date before it is read (apply reads it, see setState).
			for m := mask; m != 0; m &= m - 1 {
				x := &sims[bits.TrailingZeros64(m)]
				x.state = st
				if err := x.enter(&stp, es, en); err != nil {
					return nil, 0, err
				}
			}
		} else {
			for i := range sims {
				x := &sims[i]
				x.state = st
				if x.inert(&stp) {
					continue
				}
				if err := x.enter(&stp, es, en); err != nil {
					return nil, 0, err
				}
			}
		}
		if e.Kind == EntryPolicy {
			setState(r.sims, st) // (the metrics carried over keep theirs)
			np := s.policyVersion(e.Policy, e.Version)
			if err := s.switchPolicy(r, np, k, timeline, initPrio, ticketCal, calendar); err != nil {
				return nil, 0, err
			}
			p = np
		}
	}
	setState(r.sims, st) // (a checkpoint keeps them)
	return p, st, nil
}

// enter moves the metric's clock to entry st, at Unix seconds es and
// nanoseconds en, and applies the entry.
func (x *sim) enter(st *step, es int64, en int) error {
	if err := x.advanceAt(st.e.At, es, en, false); err != nil {
		return err
	}
	return x.apply(st)
}

// setState sets every metric's state to the ticket's, st. The entry loop
// sets it on the metrics an entry can change, before apply reads it, and
// on all of them when others may read it: after the loop, at a policy
// switch.
func setState(sims []sim, st int) {
	for i := range sims {
		sims[i].state = st
	}
}

// prioMask is the mask of the metrics a priority entry to priority prio
// can change: those whose running clock it moves to another target (see
// apply); none for the first entry, which opens every clock. For the
// others the entry only records the priority, which prioMask does: it
// changes no state, fires no trigger and leaves the pause as it was, so
// apply would do nothing else, and their clocks need not move here (see
// the entry loop). ok is false for a priority not P0..P9 (checkEntries'
// check of the entry: runNew's loop checks as it goes). (Out of line: the
// entry loop's path for the usual kinds stays short.)
//
//go:noinline
func prioMask(sims []sim, prio string, first bool) (mask uint64, ok bool) {
	pi := priorityIndex(prio)
	if pi < 0 {
		return 0, false
	}
	if first {
		return 0, true
	}
	for i := range sims {
		x := &sims[i]
		if !eqPrio(x.prio, prio) && x.active && (x.m.onPriority == recalcKeep || x.m.onPriority == recalcRestart) &&
			x.m.targetAt(pi) != x.tgt {
			mask |= 1 << uint(i&63)
		} else {
			x.prio = prio
		}
	}
	return mask, true
}

// eqPrio is a == b, without a call for two priorities (two bytes each).
func eqPrio(a, b string) bool {
	if len(a) != 2 || len(b) != 2 {
		return a == b
	}
	return a[0] == b[0] && a[1] == b[1]
}

// targetAt is the target of the metric at priority P0..P9 of index pi
// (priorityIndex): its own, or the one for any priority.
func (m *metric) targetAt(pi int) *ctarget {
	if t := m.targets[pi]; t != nil {
		return t
	}
	return m.targets[anyPriority]
}

// targetFor is the target of the metric at priority prio: its own, or the
// one for any priority. (priorityIndex, written out so that it inlines.)
func (m *metric) targetFor(prio string) *ctarget {
	if len(prio) == 2 && prio[0] == 'P' && prio[1]-'0' <= 9 {
		if t := m.targets[prio[1]-'0']; t != nil {
			return t
		}
	}
	return m.targets[anyPriority]
}

// switchPolicy moves the evaluation from policy p to np at timeline entry
// k (see EntryPolicy): metrics of the same name and kind keep their clocks
// and take np's targets at the switch; new metrics are counted from the
// opening as if np had applied all along; dropped metrics end, their audit
// kept. initPrio is the priority the evaluation started with.
func (s *PolicySet) switchPolicy(r *Report, np *policy, k int, timeline []Entry, initPrio string, ticketCal *Calendar, calName string) error {
	t := timeline[k].At
	n := len(np.metrics)
	if cap(r.sims2) < n {
		r.sims2 = make([]sim, n)
	}
	next := r.sims2[:n]
	old := r.runs[:len(r.sims)]
	runs := make([][]AuditEvent, n) // a switch is rare: small allocations are fine
	used := make([]bool, len(r.sims))
	r.runs = runs // the new metrics' audit runs from here on
	for j := range np.metrics {
		nm := &np.metrics[j]
		i := slices.IndexFunc(r.sims, func(x sim) bool { return x.m.name == nm.name && x.m.kind == nm.kind })
		if i >= 0 && !used[i] {
			used[i] = true
			next[j] = r.sims[i]
			runs[j] = old[i]
			x := &next[j]
			x.m, x.idx = nm, j
			if x.active {
				x.audit(t, Recalculated, "policy "+np.name+" v"+strconv.Itoa(np.version))
				if err := x.retarget(t); err != nil {
					return err
				}
			}
			continue
		}
		// A metric new to the ticket: count it from the opening.
		next[j] = sim{simCore: simCore{set: s, m: nm, r: r, idx: j, prio: initPrio, state: -1, pauseState: -1,
			ticketCal: ticketCal, ticketCalName: calName, allCals: true}}
		x := &next[j]
		for q := 0; q <= k; q++ {
			e := &timeline[q]
			if err := x.advance(e.At, false); err != nil {
				return err
			}
			st := step{e: e, first: q == 0, prev: x.state, cur: x.state, ev: -1}
			if e.Kind == EntryState || (e.Kind == EntryReopen && e.State != "") {
				st.cur = s.stateIdx[e.State]
				st.stateChanged = st.cur != x.state
				x.state = st.cur
			}
			st.pb, st.cb = bit(st.prev), bit(st.cur)
			if err := x.apply(&st); err != nil {
				return err
			}
		}
	}
	for i := range old {
		if !used[i] {
			r.past = append(r.past, old[i]...)
		}
	}
	r.sims = append(r.sims[:0], next...)
	return nil
}

// policyVersion returns version v of the policy called name (v == 0: the
// latest), or nil.
func (s *PolicySet) policyVersion(name string, v int) *policy {
	var found *policy
	for _, q := range s.policies {
		if q.name == name && (q.version == v || (v == 0 && (found == nil || q.version > found.version))) {
			found = q
		}
	}
	return found
}

// addTime adds d spent in state st to the ticket's times.
func (s *PolicySet) addTime(t *TicketTimes, st int, d time.Duration) {
	if d <= 0 {
		return
	}
	switch s.timeCat[st] {
	case timePending:
		t.Pending += d
	case timeOnHold:
		t.OnHold += d
	case timeAgent:
		t.AgentWork += d
	}
}

// The categories of the ticket's time in a state (PolicySet.timeCat).
const (
	timeAgent   = iota // TicketTimes.AgentWork
	timeOnHold         // TicketTimes.OnHold
	timePending        // TicketTimes.Pending
	timeSolved         // not counted
)

// timeCategory is the category of the ticket's time in state st:
// solved states first, then pending, then on hold.
func (s *PolicySet) timeCategory(st int) uint8 {
	b := bit(st)
	switch {
	case s.solved&b != 0:
		return timeSolved
	case s.pending&b != 0:
		return timePending
	case s.onHold&b != 0:
		return timeOnHold
	}
	return timeAgent
}

// entitlementFor returns the first entitlement valid at at that covers a,
// if any.
func (s *PolicySet) entitlementFor(a *Attributes, at time.Time) *entitlement {
	for i := range s.ents {
		if e := &s.ents[i]; e.validAt(at) && e.covers(a) {
			return e
		}
	}
	return nil
}

// mergeAudit merges the metrics' audit runs, each in order of instants,
// into r.Audit: by instant, and at equal instants in metric order.
func (r *Report) mergeAudit() {
	if r.comb {
		return // built in place
	}
	runs := r.runs[:len(r.sims)]
	if len(r.past) > 0 {
		// Metrics a policy switch dropped: their run, ordered, goes first.
		slices.SortStableFunc(r.past, func(a, b AuditEvent) int { return a.At.Compare(b.At) })
		r.runs2 = append(r.runs2[:0], r.past)
		r.runs2 = append(r.runs2, runs...)
		runs = r.runs2
	}
	total := 0
	for _, run := range runs {
		total += len(run)
	}
	if cap(r.Audit) < total {
		r.Audit = make([]AuditEvent, 0, total)
	}
	if len(runs) == 1 {
		r.Audit = append(r.Audit[:0], runs[0]...)
		return
	}
	if cap(r.heads) < len(runs) {
		r.heads = make([]int, len(runs))
	}
	heads := r.heads[:len(runs)]
	clear(heads)
	if r.mono {
		// Instants with monotonic readings compare by those (as Before does).
		for len(r.Audit) < total {
			best := -1
			for i, run := range runs {
				if heads[i] < len(run) && (best < 0 || run[heads[i]].At.Before(runs[best][heads[best]].At)) {
					best = i
				}
			}
			r.Audit = append(r.Audit, runs[best][heads[best]])
			heads[best]++
		}
		return
	}
	// Each run's head as Unix seconds and nanoseconds; an exhausted run's
	// head is after every instant.
	if cap(r.headKey) < len(runs) {
		r.headKey = make([]auditKey, len(runs))
	}
	keys := r.headKey[:len(runs)]
	for i, run := range runs {
		keys[i] = keyOf(run, 0)
	}
	out := r.Audit[:total]
	for w := range out {
		best := 0
		for i := 1; i < len(keys); i++ {
			if keys[i].sec < keys[best].sec || (keys[i].sec == keys[best].sec && keys[i].nsec < keys[best].nsec) {
				best = i
			}
		}
		run, h := runs[best], heads[best]
		out[w] = run[h]
		heads[best] = h + 1
		keys[best] = keyOf(run, h+1)
	}
	r.Audit = out
}

// mergeRuns merges runs (one per metric, each in order of instants, no
// monotonic readings) into r.Audit: by instant, at equal instants in
// metric order; with idx it records each event's metric in r.auditIdx.
func (r *Report) mergeRuns(runs [][]AuditEvent, idx bool) {
	r.Audit, r.auditIdx = r.Audit[:0], r.auditIdx[:0]
	if cap(r.heads) < len(runs) {
		r.heads = make([]int, len(runs))
	}
	heads := r.heads[:len(runs)]
	clear(heads)
	if cap(r.headKey) < len(runs) {
		r.headKey = make([]auditKey, len(runs))
	}
	keys := r.headKey[:len(runs)]
	total := 0
	for i, run := range runs {
		keys[i] = keyOf(run, 0)
		total += len(run)
	}
	for range total {
		best := 0
		for i := 1; i < len(keys); i++ {
			if keys[i].sec < keys[best].sec || (keys[i].sec == keys[best].sec && keys[i].nsec < keys[best].nsec) {
				best = i
			}
		}
		run, h := runs[best], heads[best]
		r.Audit = append(r.Audit, run[h])
		if idx {
			r.auditIdx = append(r.auditIdx, int32(best))
		}
		heads[best] = h + 1
		keys[best] = keyOf(run, h+1)
	}
}

// unixToInternal is the Unix time of year 1 (time's internal epoch), negated.
const unixToInternal = (1969*365 + 1969/4 - 1969/100 + 1969/400) * secPerDay

// auditKey orders audit events by instant (without monotonic readings).
type auditKey struct {
	sec  int64
	nsec int64
}

// keyOf is the key of run[h], or one after every instant when h is past
// the end of run.
func keyOf(run []AuditEvent, h int) auditKey {
	if h == len(run) {
		return auditKey{sec: 1<<63 - 1, nsec: 1 << 62}
	}
	// The seconds since year 1 that Before compares: Unix seconds shifted
	// back (wrapping as Unix wrapped them).
	at := run[h].At
	return auditKey{sec: at.Unix() + unixToInternal, nsec: int64(at.Nanosecond())}
}

// checkTimeline validates timeline[k0:] (the entries before it were checked
// when the checkpoint was taken, ending at prevAt with priority prio and
// state state), resolves each entry's state to its index in r.stIdx (an
// event entry's event to -2 minus its number), and returns the priority and
// state after the last entry.
func (s *PolicySet) checkTimeline(r *Report, k0 int, prio string, state int, prevAt time.Time, times TicketTimes, timeline []Entry, now time.Time) (string, int, error) {
	n := len(timeline) - k0
	if cap(r.stIdx) < n {
		r.stIdx = make([]int32, n)
	}
	r.stIdx = r.stIdx[:n]
	if !s.general && !hasMono(now) && !hasMono(prevAt) {
		nk, ok := nanoKey(now)
		pk, pok := nanoKey(prevAt)
		if k0 == 0 && state < 0 {
			// Nothing to compare the first entry with, nor to count.
			pk, pok = math.MinInt64, true
		}
		if ok && pok {
			if st, pi, ok := s.checkEntries(r, timeline[k0:], nk, pk, state, &times); ok {
				if pi >= 0 {
					prio = timeline[k0+pi].Priority
				}
				return prio, st, nil
			}
		}
	}
	return s.checkTimelineMono(r, k0, prio, state, prevAt, times, timeline, now)
}

// checkNew is checkTimeline from the timeline's start (no checkpoint),
// with ticket priority prio: the usual evaluation, with fewer arguments and
// no previous instant to look at.
func (s *PolicySet) checkNew(r *Report, prio string, timeline []Entry, now time.Time) (string, int, error) {
	if cap(r.stIdx) < len(timeline) {
		r.stIdx = make([]int32, len(timeline))
	}
	r.stIdx = r.stIdx[:len(timeline)]
	// (!hasMono(now), written out: In strips the reading and puts the
	// location back, inlined, where Round is a call.)
	if !s.general && now == now.In(now.Location()) {
		if nk, ok := nanoKey(now); ok {
			// (Nothing to compare the first entry with, nor to count.)
			var times TicketTimes
			if st, pi, ok := s.checkEntries(r, timeline, nk, math.MinInt64, -1, &times); ok {
				if pi >= 0 {
					prio = timeline[pi].Priority
				}
				return prio, st, nil
			}
		}
	}
	return s.checkTimelineMono(r, 0, prio, -1, time.Time{}, TicketTimes{}, timeline, now)
}

// nanoKey is t's Unix time in nanoseconds when its Unix seconds are within
// ±2^32 (years 1834 to 2106): two such keys compare as the instants do
// without monotonic readings (wallLess), and subtract exactly (wallSub).
func nanoKey(t time.Time) (int64, bool) {
	sec := t.Unix()
	return sec*1e9 + int64(t.Nanosecond()), uint64(sec+1<<32) < 1<<33
}

// checkEntries is checkTimeline in one pass over entries, timeline[k0:], for
// the usual timeline: no instant (nor a moved deadline) with a monotonic
// reading, now and the previous entry's instant of nanoKeys nk and pk
// (math.MinInt64 for none: the first entry of the timeline, in no state).
// The instants
// compare and subtract by their nanoKeys, and the names are found in the
// set's tables. It returns the state after the entries and the index of the
// last priority entry (-1 for none), and adds the ticket's times to times.
// ok is false for an entry with a monotonic reading, one at fault, or one
// that needs more (a policy switch, an instant out of nanoKey's range, a
// state not in its slot): checkTimelineMono then answers, from the start
// (the error of the first entry at fault among them). (A function of its
// own, with few arguments, so that its loop keeps its variables in
// registers.)
func (s *PolicySet) checkEntries(r *Report, entries []Entry, nk, pk int64, st int, times *TicketTimes) (int, int, bool) {
	idx := r.stIdx[:len(entries)]
	pi := -1
	// The time since each entry in the state it left the ticket in, by
	// category (see PolicySet.timeCat); the last slot, solved states,
	// counts for none.
	var acc [4]time.Duration
	for j := range entries {
		e := &entries[j]
		// (hasMono(e.At), written out: In strips the reading and puts the
		// location back, inlined, where Round is a call.)
		if at := e.At; at != at.In(at.Location()) {
			return 0, 0, false
		}
		k, ok := nanoKey(e.At)
		if !ok || k < pk || k > nk {
			return 0, 0, false
		}
		if st >= 0 {
			acc[s.timeCat[st&63]&3] += time.Duration(k - pk)
		}
		pk = k
		v := int32(-1)
		switch e.Kind {
		case EntryState, EntryReopen:
			name := e.State
			if name == "" {
				if e.Kind == EntryReopen {
					break
				}
				return 0, 0, false
			}
			// (stateTab.find, its first slot written out.)
			if sl := &s.stateTab.slots[nameHash(name, s.stateTab.mul)]; sl.name == name {
				v = sl.v
			} else {
				return 0, 0, false // (an unknown state, or one in another slot)
			}
			st = int(v)
		case EntryEvent:
			name := e.Event
			if name == "" {
				return 0, 0, false
			}
			// (eventTab.find, its first slot written out; an event the
			// set does not number is -1.)
			if sl := &s.eventTab.slots[nameHash(name, s.eventTab.mul)]; sl.name == name {
				v = -2 - sl.v
			} else if id, ok := s.eventTab.probe(name); ok {
				v = int32(-2 - id)
			}
		case EntryDeadline:
			// (Deadline.After(At), without monotonic readings.)
			if d, ok := nanoKey(e.Deadline); !ok || d <= k || hasMono(e.Deadline) {
				return 0, 0, false
			}
		case EntryPriority:
			if priorityIndex(e.Priority) < 0 {
				return 0, 0, false
			}
			pi = j
		case EntryObserved:
		default:
			return 0, 0, false // a policy switch, or an unknown kind
		}
		idx[j] = v
	}
	times.AgentWork += acc[timeAgent]
	times.OnHold += acc[timeOnHold]
	times.Pending += acc[timePending]
	r.mono, r.switches, r.times = false, false, *times
	return st, pi, true
}

// checkTimelineMono is checkTimeline for evaluations with instants that
// have monotonic clock readings (and the general path of the tests).
func (s *PolicySet) checkTimelineMono(r *Report, k0 int, prio string, state int, prevAt time.Time, times TicketTimes, timeline []Entry, now time.Time) (string, int, error) {
	mono, switches := s.general || hasMono(now), false
	pm := hasMono(prevAt)
	idx := r.stIdx
	ns, nn := now.Unix(), now.Nanosecond()
	ps, pn := prevAt.Unix(), prevAt.Nanosecond()
	// The time since each entry in the state it left the ticket in, by
	// category (see PolicySet.timeCat); the last slot, solved states,
	// counts for none.
	var acc [4]time.Duration
	for j := range idx {
		i := k0 + j
		e := &timeline[i]
		v := int32(-1)
		es, en := e.At.Unix(), e.At.Nanosecond()
		// (Without a reading on e.At, its comparisons are wallLess's.)
		em := hasMono(e.At)
		if em {
			mono = true
			if i > k0 {
				prevAt = timeline[i-1].At
			}
			if i > 0 && e.At.Before(prevAt) {
				return "", 0, orderError(i, e.At, prevAt)
			}
			if e.At.After(now) {
				return "", 0, afterNowError(i, e.At, now)
			}
		} else {
			if i > 0 && wallLess(es, en, ps, pn) {
				if i > k0 {
					prevAt = timeline[i-1].At
				}
				return "", 0, orderError(i, e.At, prevAt)
			}
			if wallLess(ns, nn, es, en) {
				return "", 0, afterNowError(i, e.At, now)
			}
		}
		if state >= 0 {
			// The time since the previous entry, in the state it left
			// the ticket in (Report.sub: by monotonic readings when both
			// instants have one).
			d, ok := wallSub(es, en, ps, pn)
			if !ok || (em && pm) {
				if i > k0 {
					prevAt = timeline[i-1].At
				}
				d = e.At.Sub(prevAt)
			}
			acc[s.timeCat[state]] += d
		}
		ps, pn, pm = es, en, em
		switch e.Kind {
		case EntryState, EntryReopen:
			if e.Kind == EntryReopen && e.State == "" {
				break
			}
			si, ok := s.stateIndex(e.State)
			if !ok {
				return "", 0, &TimelineError{Index: i, Err: fmt.Errorf("%w: %q", ErrUnknownState, e.State)}
			}
			state, v = si, int32(si)
		case EntryEvent:
			if e.Event == "" {
				return "", 0, &TimelineError{Index: i, Err: fmt.Errorf("%w: event entry without an event name", ErrInvalidEntry)}
			}
			if id, ok := s.eventIndex(e.Event); ok {
				v = int32(-2 - id)
			}
		case EntryDeadline:
			if hasMono(e.Deadline) {
				mono = true
			}
			if !e.Deadline.After(e.At) {
				return "", 0, &TimelineError{Index: i, Err: fmt.Errorf("%w: a moved deadline must come after the entry's instant", ErrInvalidEntry)}
			}
		case EntryPriority:
			if priorityIndex(e.Priority) < 0 {
				return "", 0, &TimelineError{Index: i, Err: fmt.Errorf("%w: priority %q is not P0..P9", ErrInvalidEntry, e.Priority)}
			}
			prio = e.Priority
		case EntryPolicy:
			q := s.policyVersion(e.Policy, e.Version)
			if q == nil {
				return "", 0, &TimelineError{Index: i, Err: fmt.Errorf("%w: %q version %d", ErrNoPolicy, e.Policy, e.Version)}
			}
			if e.Fingerprint != "" && e.Fingerprint != q.fp {
				return "", 0, &PolicyChangedError{Policy: q.name, Version: q.version, Pinned: e.Fingerprint, Current: q.fp}
			}
			switches = true
		case EntryObserved:
		default:
			return "", 0, &TimelineError{Index: i, Err: fmt.Errorf("%w: unknown kind %d", ErrInvalidEntry, e.Kind)}
		}
		idx[j] = v
	}
	times.AgentWork += acc[timeAgent]
	times.OnHold += acc[timeOnHold]
	times.Pending += acc[timePending]
	r.mono, r.switches, r.times = mono, switches, times
	return prio, state, nil
}

// orderError is the error of timeline entry i, at at, before the previous
// entry's instant prev.
func orderError(i int, at, prev time.Time) error {
	return &TimelineError{Index: i, Err: fmt.Errorf("%w: %s is before the previous entry's %s",
		ErrTimelineOrder, at.Format(time.RFC3339Nano), prev.Format(time.RFC3339Nano))}
}

// afterNowError is the error of timeline entry i, at at, after now.
func afterNowError(i int, at, now time.Time) error {
	return &TimelineError{Index: i, Err: fmt.Errorf("%w: %s is after now (%s)",
		ErrTimelineOrder, at.Format(time.RFC3339Nano), now.Format(time.RFC3339Nano))}
}

// wallLess reports whether the instant of Unix seconds ts and nanoseconds
// tn is before that of us and un: time.Time.Before for instants of which at
// least one has no monotonic clock reading (Before compares monotonic
// readings only when both have one), with all r.mono false. It is inlined,
// where Before is a call; callers pass t.Unix(), t.Nanosecond().
func wallLess(ts int64, tn int, us int64, un int) bool {
	return ts < us || ts == us && tn < un
}

// hasMono reports whether t carries a monotonic clock reading.
func hasMono(t time.Time) bool { return t != t.Round(0) }

// sub is t.Sub(u), computed from the Unix seconds and nanoseconds when no
// instant of the evaluation has a monotonic clock reading (r.mono false) and
// the difference cannot overflow; time.Time.Sub checks for overflow with
// an Add and an Equal, which cost more than the subtraction.
func (r *Report) sub(t, u time.Time) time.Duration {
	if !r.mono {
		if d, ok := wallSub(t.Unix(), t.Nanosecond(), u.Unix(), u.Nanosecond()); ok {
			return d
		}
	}
	return t.Sub(u)
}

// wallSub is the wall-clock difference of the instants (ts, tn) and
// (us, un), Unix seconds and nanoseconds; ok is false when it might not
// fit a Duration (time.Time.Sub then saturates). With ts in ±2^62, a
// difference of seconds in ±2^33 is exact.
func wallSub(ts int64, tn int, us int64, un int) (d time.Duration, ok bool) {
	s := ts - us
	if uint64(s+1<<33) >= 1<<34 || uint64(ts+1<<62) >= 1<<63 {
		return 0, false
	}
	return time.Duration(s)*time.Second + time.Duration(tn-un), true
}

// calPos remembers a calendar's positions (open time since the start of
// its range) at the last two instants asked, so that the metrics of a
// policy share one position lookup per timeline entry. Instants are keyed
// by their Unix seconds and nanoseconds, all a position depends on.
type calPos struct {
	cal    *Calendar
	s0, s1 int64 // Unix seconds
	n0, n1 int32 // nanoseconds; -1 for an empty slot
	p0, p1 int64
	// The day of the last position looked up: its instants [from, to)
	// (Unix seconds), its shape and the open time before it. Timeline
	// entries often fall on one day.
	from, to int64
	cum      int64
	sh       int32
	general  bool // no day shortcut: every lookup searches (tests)

	// That day's date and exception entry (see dayRef), so that a lookup
	// a few days later or earlier steps there from day to day instead of
	// searching the calendar: a ticket's entries come day after day, and
	// a clock's start lies a few days back. Valid when to > from.
	d   int32
	k   int
	exc bool
	wd  int8 // d's weekday
	// The day's open stretches, cal.ivs[ivLo:ivHi].
	ivLo, ivHi int32
}

// maxDaySteps is the most days calPos steps to reach an instant's day;
// farther days are searched (a search costs about as much as that many
// steps).
const maxDaySteps = 8

func newCalPos(c *Calendar, general bool) calPos {
	return calPos{cal: c, n0: -1, n1: -1, general: general}
}

// at is c.cal.posOf(t).
func (c *calPos) at(t time.Time) (int64, bool) {
	return c.atSec(t.Unix(), int32(t.Nanosecond()))
}

// atSec is at(t) for t of Unix seconds sec and nanoseconds nsec (all a
// position depends on), when the caller has them at hand.
func (c *calPos) atSec(sec int64, nsec int32) (int64, bool) {
	if sec == c.s1 && nsec == c.n1 {
		return c.p1, true
	}
	if sec == c.s0 && nsec == c.n0 {
		return c.p0, true
	}
	// (In general mode every lookup searches the calendar.)
	if sec < c.from || sec >= c.to || c.general {
		if cal := c.cal; c.general || cal == nil || cal.excDay == nil || sec < cal.startSec || sec >= cal.endSec {
			return c.posOf(sec, nsec)
		}
		c.seek(sec)
	}
	// (The day holds sec: one lookup of its open time, whichever way.)
	p := c.cum + c.openIn(sec-c.from, int64(nsec))
	c.s0, c.n0, c.p0 = c.s1, c.n1, c.p1
	c.s1, c.n1, c.p1 = sec, nsec, p
	return p, true
}

// posOf is atSec by a search of the calendar (c.cal.posOf at the instant
// of Unix seconds sec and nanoseconds nsec, all a position depends on),
// remembered as atSec does: out of atSec's way.
//
//go:noinline
func (c *calPos) posOf(sec int64, nsec int32) (int64, bool) {
	p, ok := c.cal.posOf(time.Unix(sec, int64(nsec)))
	if !ok {
		return 0, false
	}
	c.s0, c.n0, c.p0 = c.s1, c.n1, c.p1
	c.s1, c.n1, c.p1 = sec, nsec, p
	return p, true
}

// outOfRange is the error of operation op (Between, Add) for an instant
// the calendar does not support, out of line: it ends the evaluation.
//
//go:noinline
func (c *calPos) outOfRange(op string) error {
	return c.cal.fail(op, ErrOutOfRange)
}

// openIn is c.cal.openIn(c.sh, e, nsec), the open time of the day
// remembered before second e (and nsec ns) of it. A day has a few open
// stretches: they are looked through from the last, without a search.
func (c *calPos) openIn(e, nsec int64) int64 {
	cal := c.cal
	if c.ivHi-c.ivLo > maxScanStretches {
		return cal.openIn(c.sh, e, nsec)
	}
	for i := c.ivHi - 1; i >= c.ivLo; i-- {
		iv := cal.ivs[i]
		if int64(iv.s) <= e {
			if e < int64(iv.e) {
				return int64(cal.ivCum[i])*nsPerSec + (e-int64(iv.s))*nsPerSec + nsec
			}
			return int64(cal.ivCum[i]+iv.e-iv.s) * nsPerSec
		}
	}
	return 0
}

// maxScanStretches is the most open stretches a day may have for calPos
// to look through them one by one.
const maxScanStretches = 4

// seek makes the day holding sec, a supported instant outside the day
// remembered, the day remembered: by steps from that day when it is near,
// by a search otherwise.
func (c *calPos) seek(sec int64) {
	cal := c.cal
	if c.to > c.from {
		for range maxDaySteps {
			if sec >= c.to {
				// The next day. (sec is before the end of the range: it
				// is a supported day, not the sentinel.)
				c.cum += cal.shapeOpen[c.sh]
				d, k := c.d+1, c.k
				if c.wd++; c.wd == 7 {
					c.wd = 0
				}
				c.exc = cal.excDay[k+1] == d
				if c.exc {
					k++
					c.sh = cal.excShape[k]
				} else {
					c.sh = cal.week[c.wd]
				}
				c.from, c.d, c.k = c.to, d, k
				c.to = cal.dayEnd(dayRef{d: d, k: k})
			} else if sec < c.from {
				// The day before. (sec is supported: so is that day.)
				d, k := c.d-1, c.k
				if c.wd--; c.wd < 0 {
					c.wd = 6
				}
				if c.exc {
					k--
				}
				c.to = c.from
				c.exc = cal.excDay[k] == d
				if c.exc {
					c.sh, c.from = cal.excShape[k], cal.excStart[k]
				} else {
					c.sh, c.from = cal.week[c.wd], int64(d)*secPerDay-int64(cal.excOff[k])
				}
				c.d, c.k = d, k
				c.cum -= cal.shapeOpen[c.sh]
			} else {
				break
			}
		}
	}
	if sec < c.from || sec >= c.to {
		c.search(sec)
	}
	c.ivLo, c.ivHi = cal.shapeOff[c.sh], cal.shapeOff[c.sh+1]
}

// search is seek for a day far from the one remembered: the calendar is
// searched (a function of its own, out of seek's steps from day to day).
//
//go:noinline
func (c *calPos) search(sec int64) {
	cal := c.cal
	r := cal.locate(sec)
	c.from, c.to, c.sh, c.cum = r.ds, cal.dayEnd(r), r.sh, cal.cumBefore(r)
	c.d, c.k, c.exc, c.wd = r.d, r.k, r.exc, int8(weekdayOf(r.d))
}

// betweenAt is between(a, b) for a of Unix seconds as and nanoseconds an,
// b of bs and bn.
func (c *calPos) betweenAt(as int64, an int, bs int64, bn int) (time.Duration, error) {
	pa, ok1 := c.atSec(as, int32(an))
	pb, ok2 := c.atSec(bs, int32(bn))
	if !ok1 || !ok2 {
		return 0, c.outOfRange("Between")
	}
	return time.Duration(pb - pa), nil
}

// between is c.cal.Between(a, b) through the position cache.
func (c *calPos) between(a, b time.Time) (time.Duration, error) {
	pa, ok1 := c.at(a)
	pb, ok2 := c.at(b)
	if !ok1 || !ok2 {
		return 0, c.cal.fail("Between", ErrOutOfRange)
	}
	return time.Duration(pb - pa), nil
}

func (p *policy) inForce(t time.Time) bool {
	return !p.from.After(t) && (p.next == nil || p.next.from.After(t))
}

func (p *policy) matches(a *Attributes) bool {
	for i := range p.all {
		if !p.all[i].holds(a) {
			return false
		}
	}
	if len(p.any) == 0 {
		return true
	}
	for i := range p.any {
		if p.any[i].holds(a) {
			return true
		}
	}
	return false
}

// matchWhy reports whether the policy's conditions hold for a (see
// matches) and, when they do, appends to dst those that hold in plain
// words: every "all" condition, then the "any" ones that hold. One walk of
// the conditions answers both.
func (p *policy) matchWhy(a *Attributes, dst []string) ([]string, bool) {
	n := len(dst)
	for i := range p.all {
		if !p.all[i].holds(a) {
			return dst[:n], false
		}
		dst = append(dst, p.all[i].desc)
	}
	if len(p.any) == 0 {
		return dst, true
	}
	ok := false
	for i := range p.any {
		if p.any[i].holds(a) {
			dst, ok = append(dst, p.any[i].desc), true
		}
	}
	if !ok {
		return dst[:n], false
	}
	return dst, true
}

// inForceAt is inForce at the instant of Unix seconds sec and nanoseconds
// nsec (no monotonic reading counts: p.from has none).
func (p *policy) inForceAt(sec int64, nsec int32) bool {
	return (p.fromSec < sec || p.fromSec == sec && p.fromNsec <= nsec) &&
		(sec < p.untilSec || sec == p.untilSec && nsec < p.untilNsec)
}

func (c *cond) holds(a *Attributes) bool {
	if c.field == fTags {
		switch c.op {
		case opContains, opHasTag:
			return slices.Contains(a.Tags, c.values[0])
		case opIn, opNotIn:
			found := false
			for _, t := range a.Tags {
				if slices.Contains(c.values, t) {
					found = true
					break
				}
			}
			return found == (c.op == opIn)
		case opExists:
			return len(a.Tags) > 0
		case opNotExists:
			return len(a.Tags) == 0
		}
		return false
	}
	var v string
	present := true
	switch c.field {
	case fKind:
		v = a.Kind
	case fCategory:
		v = a.Category
	case fPriority:
		v = a.Priority
	case fChannel:
		v = a.Channel
	case fTier:
		v = a.Tier
	case fAttr:
		v, present = a.Attrs[c.attr]
	}
	if c.field != fAttr {
		present = v != ""
	}
	switch c.op {
	case opEq:
		return present && v == c.values[0]
	case opNe:
		return !present || v != c.values[0]
	case opIn:
		return present && slices.Contains(c.values, v)
	case opNotIn:
		return !present || !slices.Contains(c.values, v)
	case opContains:
		return present && strings.Contains(v, c.values[0])
	case opExists:
		return present
	case opNotExists:
		return !present
	case opAtLeast, opAtMost:
		pi := priorityIndex(v)
		if pi < 0 {
			return false
		}
		if c.op == opAtLeast {
			return pi <= priorityIndex(c.values[0])
		}
		return pi >= priorityIndex(c.values[0])
	}
	return false
}

// step is one timeline entry as a metric sees it.
type step struct {
	e            *Entry
	first        bool
	prev, cur    int
	pb, cb       uint64 // bit(prev), bit(cur)
	stateChanged bool
	ev           int // the event's number (PolicySet.eventIndex); -1 for none, unknown, or the first entry
}

type threshold struct {
	at    time.Duration // counted time at which it is reached
	alert int8          // index into metric.alerts, -1 for the deadline
	rank  int8          // warnings 0, deadline 1, escalations 2 (order at equal at)
	bit   uint32        // its bit in sim.reached: 1<<alert, breachBit for the deadline
}

const breachBit = 1 << 15

var priorityDetail = [anyPriority + 1]string{"priority P0", "priority P1", "priority P2", "priority P3", "priority P4",
	"priority P5", "priority P6", "priority P7", "priority P8", "priority P9", "priority unset"}

// sim runs one metric over a timeline.
type sim struct {
	simCore
	// Read only up to their counts in simCore (nThr, nCur, nPauses), so a
	// new evaluation resets simCore alone.
	thr    [maxAlerts + 1]threshold
	cur    [maxAlerts]Alert
	curEsc [maxAlerts]bool
	// Paused wall time of the current cycle by reason (a few reasons; more
	// fold into the last).
	pauses [4]PauseTotal
}

// simCore is a sim but for its arrays.
type simCore struct {
	set *PolicySet
	m   *metric
	r   *Report
	idx int // the metric's index in the policy (its audit run)

	ticketCal     *Calendar // replaces the default calendar (Options.Calendar)
	ticketCalName string
	allCals       bool // count on every calendar of the set (the timeline switches policies)

	prio  string
	state int

	cycle        int
	active       bool // the cycle's clock has not stopped
	ended        bool // the cycle stopped (eligible for reopen)
	cancelled    bool // the cycle ended with the ticket's life (terminal state)
	paused       bool // the clock does not count (while active)
	resync       bool // pause state to be decided without an audit of resuming
	trigPaused   bool
	start, mark  time.Time
	stopAt       time.Time
	deadlineStop time.Time
	extra        time.Duration                      // moved deadlines: added to the target
	counted      time.Duration                      // in the current target's units
	counts       [1 + maxSetCalendars]time.Duration // counted time: 0 wall time, 1+i on PolicySet.cals[i]
	tgt          *ctarget
	tgtPrio      string
	total        time.Duration
	nThr, next   int
	reached      uint32
	breachedAt   time.Time
	nCur         int
	tallied      bool
	met, missed  int

	// The current pause episode (see MetricSpec.PauseLimits).
	pauseReason   string
	pauseState    int // the state paused in, -1 for a trigger pause
	pauseStart    time.Time
	capped        bool // a limit resumed the clock while the ticket still waits
	limit         *pauseLimit
	capAt         time.Time
	chaseAt       time.Time
	autoCloseAt   time.Time
	chased, aClos bool
	nPauses       int

	memo thrMemo // what x.thr was computed from

	pos posMemo // calendar positions the thresholds were computed from
}

// posMemo remembers calendar positions of the cycle for its thresholds (a
// cache, dropped from checkpoints like thrMemo), so that a retarget, a
// working-days target and its offset alerts do not search the calendar
// again for the same start.
type posMemo struct {
	// The position of the cycle's start on a calendar (see startPos).
	startCal  *Calendar // nil: none remembered
	startSec  int64
	startNsec int32
	startP    int64
	// A working-days target's deadline (see baseTotal): the position of
	// the closing time of a working day of wdCal's range (its number among
	// the working days: wdIndex). An offset alert "n working days before"
	// it counts back from that day.
	wdCal         *Calendar // nil: none remembered
	wdEnd, wdOpen int64     // (wdOpen: that day's own open time)
	// The working day the cycle counts from (see startDay): the day holding
	// the position sdP of the start on sdCal (or the next working day), the
	// open time before it and its own (its number among the working days:
	// sdIndex).
	sdCal         *Calendar // nil: none remembered
	sdP           int64
	sdCum, sdOpen int64
	sdDay         dayWalk // that day, to walk on from
	// The compiled thresholds x.thr holds (retarget's fixed path), nil when
	// it holds others.
	thr *fixedThresholds
}

// thrMemo records the inputs of the thresholds in sim.thr, so that a
// retarget to the same target from the same start (a reopen that keeps the
// clock) does not ask the calendars again.
type thrMemo struct {
	ok, anyStart      bool
	tgt               *ctarget
	cal               *Calendar // sim.ticketCal
	start             time.Time
	extraIn, extraOut time.Duration
	total             time.Duration
	nThr              int
}

// audit records an event of the metric at instant at (see record).
func (x *sim) audit(at time.Time, typ AuditType, detail string) {
	x.record(at, typ, detail, 0)
}

// record records an event of the metric at instant at, of escalation level
// level (0 for any other event). Most events go at the end of the trail,
// where r.Audit has room: this path stores the event in place (the first
// one too) and compares its key with the last event's, which the report
// keeps (r.lastSec, r.lastKey: no instant of the trail to read back), and
// leaves growing, the metrics' own runs and moving an event back to
// auditSlow and place, so that it keeps its few values in registers.
func (x *sim) record(at time.Time, typ AuditType, detail string, level int) {
	r := x.r
	n := len(r.Audit)
	if !r.comb || n >= cap(r.Audit) || n >= cap(r.auditIdx) {
		x.auditSlow(at, typ, detail, level)
		return
	}
	evs, ids := r.Audit[:n+1], r.auditIdx[:n+1]
	r.Audit, r.auditIdx = evs, ids
	idx := int32(x.idx)
	ids[n] = idx
	// (Field by field: a composite literal is built on the stack and
	// copied. The three fields that hold pointers first, so that one test
	// of the write barrier covers them.)
	e := &evs[n]
	e.At, e.Metric, e.Detail = at, x.m.name, detail
	e.Type, e.Cycle, e.Level = typ, x.cycle, level
	// (r.comb: no instant has a monotonic reading.)
	ts, tn := at.Unix(), at.Nanosecond()
	if k := auditKeyOf(tn, idx); ts > r.lastSec || ts == r.lastSec && k >= r.lastKey {
		r.lastSec, r.lastKey = ts, k
		return
	}
	r.place(ts, tn)
}

// auditKeyOf orders the audit events of r.Audit at one instant (in Unix
// seconds) by nanoseconds, then metric (r.auditIdx): nanoseconds above the
// metric's index, both not negative.
func auditKeyOf(nsec int, idx int32) int64 {
	return int64(nsec)<<32 | int64(idx)
}

// auditRestartSlow records a restart's two events (see beginCycle) for a
// trail without room, one built per metric or an instant that goes back:
// one event after the other (kept out of line, apart from the path
// taken).
//
//go:noinline
func (x *sim) auditRestartSlow(at time.Time) {
	x.audit(at, Fulfilled, "")
	x.cycle++
	x.audit(at, Applied, "")
	x.cycle--
}

// auditSlow is record for a trail without room (a new report's too) or
// one built per metric (!r.comb).
func (x *sim) auditSlow(at time.Time, typ AuditType, detail string, level int) {
	e := AuditEvent{At: at, Metric: x.m.name, Type: typ, Cycle: x.cycle, Detail: detail, Level: level}
	if r := x.r; r.comb {
		r.Audit = append(r.Audit, e)
		r.auditIdx = append(r.auditIdx, int32(x.idx))
		ts, tn := at.Unix(), at.Nanosecond()
		if k := auditKeyOf(tn, int32(x.idx)); ts > r.lastSec || ts == r.lastSec && k >= r.lastKey {
			r.lastSec, r.lastKey = ts, k
		} else {
			r.place(ts, tn)
		}
		return
	}
	run := append(x.r.runs[x.idx], e)
	for i := len(run) - 1; i > 0 && run[i].At.Before(run[i-1].At); i-- {
		run[i], run[i-1] = run[i-1], run[i]
	}
	x.r.runs[x.idx] = run
}

// lastAudit sets the key of the last event of r.Audit (r.comb), which
// record compares a new event with; before the first event, a key before
// every event's.
func (r *Report) lastAudit() {
	r.lastSec, r.lastKey = math.MinInt64, math.MinInt64
	if n := len(r.Audit); n > 0 && n <= len(r.auditIdx) {
		at := r.Audit[n-1].At
		r.lastSec, r.lastKey = at.Unix(), auditKeyOf(at.Nanosecond(), r.auditIdx[n-1])
	}
}

// place moves the last event of r.Audit, at instant (ts, tn) in Unix
// seconds and nanoseconds, back to its place: after the events at earlier
// instants, and at its instant after those of the metrics before its own
// and of its own metric (recorded earlier), before those of the metrics
// after it. This is the order mergeAudit gives. The event before it goes
// after it (the caller compared their keys).
func (r *Report) place(ts int64, tn int) {
	a, idx := r.Audit, r.auditIdx
	n := len(a) - 1
	if n <= 0 || n >= len(idx) {
		return
	}
	// The events that go after it move up by one as it goes back (most
	// events recorded behind others go back by one or two).
	// (r.comb: no instant has a monotonic reading.)
	e, ei := a[n], idx[n]
	a[n], idx[n] = a[n-1], idx[n-1]
	i := n - 1
	for ; i > 0; i-- {
		us, un := a[i-1].At.Unix(), a[i-1].At.Nanosecond()
		if !wallLess(ts, tn, us, un) && (idx[i-1] <= ei || wallLess(us, un, ts, tn)) {
			break
		}
		a[i], idx[i] = a[i-1], idx[i-1]
	}
	a[i], idx[i] = e, ei
}

// calOf is the calendar target or offset t counts on for this ticket: the
// ticket's calendar when t names none and the ticket has one.
func (x *sim) calOf(t *ctarget) *Calendar {
	if t.def && x.ticketCal != nil && t.cal != nil {
		return x.ticketCal
	}
	return t.cal
}

// count is the counted time in [a, b) in the current target's units.
func (x *sim) count(a, b time.Time) (time.Duration, error) {
	if x.tgt == nil || x.tgt.cal == nil {
		return x.r.sub(b, a), nil
	}
	return x.calOf(x.tgt).Between(a, b)
}

// add is the instant at which d more counted time has passed after a.
func (x *sim) add(a time.Time, d time.Duration) (time.Time, error) {
	if d <= 0 {
		return a, nil
	}
	if x.tgt == nil || x.tgt.cal == nil {
		if !x.r.mono {
			// (time.Time.Add, for an instant without a monotonic
			// reading: see unixIn.)
			sec, nsec := wallAdd(a.Unix(), a.Nanosecond(), d)
			return unixIn(sec, nsec, a.Location()), nil
		}
		return a.Add(d), nil
	}
	if x.set.general {
		return x.calOf(x.tgt).Add(a, d)
	}
	// The position of a through the evaluation's cache: r.cals[scale-1]
	// counts on calOf(x.tgt) (the ticket's calendar for a default one),
	// and a is most often the clock's mark, just looked up.
	c := &x.r.cals[x.tgt.scale-1]
	p, ok := c.at(a)
	if !ok {
		return time.Time{}, c.outOfRange("Add")
	}
	if t, ok := c.addIn(p, d); ok {
		return t, nil
	}
	return c.cal.addPos(p, d)
}

// addIn is c.cal.addPos(p, d) for d > 0 when the instant falls on the day
// of the last position looked up: a threshold is most often crossed on the
// day of the entry the clock just moved to, and that day is the one
// findDay would search the calendar for (the only day with less open time
// before it and at least as much up to its end). ok is false otherwise.
func (c *calPos) addIn(p int64, d time.Duration) (t time.Time, ok bool) {
	sec, nsec, ok := c.addInSec(p, d)
	if !ok {
		return time.Time{}, false
	}
	return c.cal.at(sec, nsec), true
}

// addInSec is addIn with the instant as Unix seconds and nanoseconds.
func (c *calPos) addInSec(p int64, d time.Duration) (sec, nsec int64, ok bool) {
	T, cal := p+int64(d), c.cal
	if c.to <= c.from || T <= c.cum || T > cal.total || T-c.cum > cal.shapeOpen[c.sh] {
		return 0, 0, false
	}
	sec, nsec = cal.instantIn(dayRef{ds: c.from, sh: c.sh}, T-c.cum, true)
	return sec, nsec, true
}

// inert reports whether apply(st) would change nothing, so that the entry
// can skip the metric (its clock too: the next entry that changes the
// metric, or the end, advances it over this one). Not the first entry:
// for an event or a state entry, one no trigger names, whose states (before
// and after) no trigger, pause or terminal state names (see the policy's
// masks); for a priority change, one that leaves the target as it is; for a
// reopen or a moved deadline, one the metric takes no action on; and in each
// case, the pause stays as it is (see pauseSettled). A priority change
// that is inert is recorded here, as apply would.
func (x *sim) inert(st *step) bool {
	if st.first || x.set.general {
		return false
	}
	switch e := st.e; e.Kind {
	case EntryEvent:
		return !slices.Contains(x.m.relEvents, e.Event)
	case EntryState:
		return !st.stateChanged || (st.pb|st.cb)&(x.m.relStates|x.set.terminal) == 0
	case EntryPriority:
		if x.active {
			if x.m.targetFor(e.Priority) != x.tgt && x.m.onPriority != recalcIgnore && !eqPrio(e.Priority, x.prio) {
				return false
			}
			if !x.pauseSettled(st) {
				return false
			}
		}
		x.prio = e.Priority
		return true
	case EntryReopen:
		if !x.active && x.ended && x.m.onReopen != recalcIgnore {
			return false
		}
		return x.acts(st) == 0 && x.pauseSettled(st)
	case EntryDeadline:
		if x.active && x.tgt != nil && x.breachedAt.IsZero() && (e.Metric == x.m.name || (e.Metric == "" && x.m.kind == Resolution)) {
			return false
		}
		return x.pauseSettled(st)
	}
	return false
}

// pauseSettled reports whether apply's pause bookkeeping leaves the clock
// as it is at entry st, no trigger firing: it runs or stays paused for the
// same reason (or stays resumed by a limit while the ticket still waits).
// (An advance does not change the answer: a limit that resumes the clock
// leaves it resumed by a limit.)
func (x *sim) pauseSettled(st *step) bool {
	if !x.active {
		return true
	}
	if x.resync {
		return false
	}
	inPause := x.m.pauseIn&st.cb != 0
	if !inPause && !x.trigPaused {
		return !x.paused && !x.capped
	}
	reason, pstate := "trigger", -1
	if inPause {
		reason, pstate = x.set.states[st.cur], st.cur
	}
	same := pstate == x.pauseState && reason == x.pauseReason
	if x.capped {
		return same && !x.paused
	}
	return same && x.paused
}

// acts is what entry st does to the metric (act bits), from the tables of
// compileActions.
func (x *sim) acts(st *step) uint8 {
	if a, ok := x.tableActs(st); ok {
		return a
	}
	return x.actsAny(st)
}

// tableActs is acts for the entries most are, looked up in a table (ok),
// without a call: a numbered event, and an entry other than an event, which
// does what its state change does (none when the state stays), at the first
// entry what the opening does too, and a reopen what reopen triggers do.
func (x *sim) tableActs(st *step) (a uint8, ok bool) {
	if st.ev >= 0 {
		return x.m.evAct[st.ev&(maxEventIDs-1)], true
	}
	if k := st.e.Kind; k != EntryEvent {
		a = x.m.trAct[transIndex(st.prev, st.cur)]
		if st.first {
			a |= x.m.openAct
		}
		if k == EntryReopen {
			a |= x.m.reopenAct
		}
		return a, true
	}
	return 0, false
}

// actsAny is acts for an entry other than a numbered event, worked out
// from the tables by state (tableActs, which apply asks first, looks every
// entry up but an event without a number; TestActsTables holds both to the
// triggers).
func (x *sim) actsAny(st *step) uint8 {
	m := x.m
	var a uint8
	if st.stateChanged {
		// An enter trigger fires when the ticket enters one of its
		// states from none of them, a leave trigger when it leaves them
		// for none of them.
		c, p := m.stAct[st.cur&63], uint16(0)
		if st.prev >= 0 {
			p = m.stAct[st.prev&63]
		}
		a = uint8(c&^p) | uint8((p&^c)>>8)
		if x.set.terminal&st.cb != 0 {
			a |= actEnd
		}
	}
	if st.first {
		a |= m.openAct
	}
	switch st.e.Kind {
	case EntryReopen:
		a |= m.reopenAct
	case EntryEvent:
		a |= m.namedActs(st.e.Event)
	}
	return a
}

// namedActs is what an event without a number (the first entry, or one the
// policy set does not know) does to the metric, asked of the triggers by
// name. (A call of its own, out of actsAny's way: such events are rare.)
//
//go:noinline
func (m *metric) namedActs(event string) uint8 {
	var a uint8
	for b, t := range m.actTriggers() {
		if t != nil && slices.Contains(t.events, event) {
			a |= 1 << uint(b)
		}
	}
	return a
}

// apply carries out entry st on the metric, its clock advanced to the
// entry: what the entry's kind does, then its triggers' actions, then the
// pause bookkeeping.
func (x *sim) apply(st *step) error {
	// (acts, with its table lookup inlined.)
	act, ok := x.tableActs(st)
	if !ok {
		act = x.actsAny(st)
	}
	if st.e.Kind > EntryEvent {
		if err := x.applyKind(st); err != nil {
			return err
		}
	}
	switch {
	case act == actMetBy && x.active:
		// (applyActs for a progress update: the most frequent action.)
		if err := x.restartCycle(st.e.At); err != nil {
			return err
		}
	case act != 0:
		if err := x.applyActs(st.e.At, act); err != nil {
			return err
		}
	}
	// The pause bookkeeping, where a clock is or may be paused.
	if !x.active {
		return nil
	}
	inPause := x.m.pauseIn&st.cb != 0 // (x.state is st.cur)
	switch {
	case x.resync && !x.trigPaused && !x.capped && !inPause:
		// A new or reopened clock outside the pause states: it runs.
		x.resync, x.paused = false, false
	case x.trigPaused || x.resync || x.capped:
		return x.settlePause(st.e.At)
	case inPause && !x.paused:
		// A running clock entering a pause state: settlePause's pause.
		x.paused = true
		return x.startPause(st.e.At, x.set.states[st.cur], st.cur)
	case !inPause && x.paused:
		// A clock paused in a state the ticket leaves for one outside the
		// pause states: settlePause's resume.
		x.paused = false
		x.endPause(st.e.At)
		x.audit(st.e.At, Resumed, "")
	case inPause && (st.cur != x.pauseState || x.set.states[st.cur] != x.pauseReason):
		return x.settlePause(st.e.At)
	}
	// (A running clock outside the pause states stays so.)
	return nil
}

// applyActs carries out the actions act of an entry at t (see acts): the
// triggers that fire and the end of the ticket's life.
func (x *sim) applyActs(t time.Time, act uint8) error {
	if x.active && act&(actStop|actMetBy|actReset) != 0 {
		switch {
		case act&actStop != 0:
			if err := x.stopCycle(t); err != nil {
				return err
			}
		case act&actMetBy != 0:
			if err := x.restartCycle(t); err != nil {
				return err
			}
		default:
			x.audit(t, Recalculated, "reset")
			if err := x.newCycle(t); err != nil {
				return err
			}
		}
	}
	if !x.active && act&(actStart|actEnd) == actStart {
		if err := x.newCycle(t); err != nil {
			return err
		}
	}
	if x.active && act&actEnd != 0 && !x.m.continueAfterEnd {
		x.cancel(t)
	}
	if x.active && act&(actPause|actResume) != 0 {
		if act&actPause != 0 {
			x.trigPaused = true
		}
		if act&actResume != 0 {
			x.trigPaused = false
		}
	}
	return nil
}

// applyKind is apply for a priority change, a moved deadline and a reopen:
// what the entry does to the clock (a recalculation: keep the cycle with
// a new target, restart it, or nothing) and the audit's detail for it.
func (x *sim) applyKind(st *step) error {
	e := st.e
	t := e.At
	m := x.m
	var how recalc
	var detail string
	switch e.Kind {
	case EntryPriority:
		if e.Priority == x.prio {
			return nil
		}
		x.prio = e.Priority
		if !x.active || x.lookup() == x.tgt {
			return nil
		}
		how, detail = m.onPriority, priorityDetail[priorityIndex(x.prio)]
	case EntryDeadline:
		return x.moveDeadline(e)
	case EntryReopen:
		if x.active || !x.ended {
			return nil
		}
		how, detail = m.onReopen, "reopen"
		if how == recalcKeep {
			x.active, x.ended, x.resync = true, false, true
			x.stopAt, x.deadlineStop = time.Time{}, time.Time{}
			x.mark = t
		}
	}
	switch how {
	case recalcKeep:
		x.audit(t, Recalculated, detail)
		return x.retarget(t)
	case recalcRestart:
		x.audit(t, Recalculated, detail)
		return x.newCycle(t)
	}
	return nil
}

// moveDeadline is applyKind for a moved deadline: the running clock's
// target grows or shrinks so that it falls at e.Deadline.
func (x *sim) moveDeadline(e *Entry) error {
	m := x.m
	if !x.active || x.tgt == nil || !x.breachedAt.IsZero() || (e.Metric != m.name && (e.Metric != "" || m.kind != Resolution)) {
		return nil
	}
	add, err := x.count(e.At, e.Deadline)
	if err != nil {
		return err
	}
	x.extra += x.counted + add - x.total
	x.audit(e.At, Recalculated, "deadline")
	return x.retarget(e.At)
}

// settlePause pauses or resumes the running clock for the ticket's state
// and the pause triggers, after an entry.
func (x *sim) settlePause(t time.Time) error {
	inPause := x.m.pauseIn&bit(x.state) != 0
	pause := x.trigPaused || inPause
	reason, pstate := "", -1
	if inPause {
		reason, pstate = x.set.states[x.state], x.state
	} else if x.trigPaused {
		reason = "trigger"
	}
	if x.capped {
		if pause && pstate == x.pauseState && reason == x.pauseReason {
			pause = false // a limit resumed the clock; the ticket still waits
		} else {
			x.capped = false
			x.endPause(t)
		}
	}
	switch {
	case x.resync:
		x.resync = false
		x.paused = pause
		if pause {
			if err := x.startPause(t, reason, pstate); err != nil {
				return err
			}
		}
	case pause != x.paused:
		x.paused = pause
		if pause {
			if err := x.startPause(t, reason, pstate); err != nil {
				return err
			}
		} else {
			x.endPause(t)
			x.audit(t, Resumed, "")
		}
	case pause && (reason != x.pauseReason || pstate != x.pauseState):
		// From one pause state straight into another: a new episode.
		x.endPause(t)
		if err := x.startPause(t, reason, pstate); err != nil {
			return err
		}
	}
	return nil
}

// startPause records the start of a pause episode at t and works out, from
// the limit of its state, when it resumes, and when to chase and to close.
func (x *sim) startPause(t time.Time, reason string, pstate int) error {
	x.audit(t, PausedClock, reason)
	// (The fields that hold pointers together, under one test of the
	// write barrier.)
	x.pauseReason, x.pauseStart, x.limit = reason, t, nil
	x.capAt, x.chaseAt, x.autoCloseAt = time.Time{}, time.Time{}, time.Time{}
	x.pauseState, x.chased, x.aClos = pstate, false, false
	if len(x.m.limits) == 0 {
		return nil
	}
	return x.startLimit(t, pstate)
}

// startLimit is startPause for a metric with pause limits: the limit of
// state pstate, if any, and its instants.
func (x *sim) startLimit(t time.Time, pstate int) error {
	for i := range x.m.limits {
		l := &x.m.limits[i]
		if l.state != pstate {
			continue
		}
		x.limit = l
		var err error
		if l.hasMax {
			if x.capAt, err = x.offsetOrNever(t, &l.max); err != nil {
				return err
			}
		}
		if l.hasChase {
			if x.chaseAt, err = x.offsetOrNever(t, &l.chase); err != nil {
				return err
			}
		}
		if l.hasAC {
			if x.autoCloseAt, err = x.offsetOrNever(t, &l.autoClose); err != nil {
				return err
			}
		}
	}
	return nil
}

// offsetOrNever is offset, with an instant beyond the calendar's years
// meaning never (zero).
func (x *sim) offsetOrNever(t time.Time, o *ctarget) (time.Time, error) {
	at, err := x.offset(t, o)
	if err != nil && (errors.Is(err, ErrOutOfRange) || errors.Is(err, ErrNeverOpen)) {
		return time.Time{}, nil
	}
	return at, err
}

// endPause closes the pause episode at t, adding its wall time to the
// totals by reason.
func (x *sim) endPause(t time.Time) {
	if x.pauseStart.IsZero() {
		return
	}
	if d := x.r.sub(t, x.pauseStart); d > 0 {
		x.addPause(x.pauseReason, d)
	}
	// (The fields that hold pointers together, under one test of the
	// write barrier.)
	x.pauseReason, x.pauseStart, x.limit = "", time.Time{}, nil
	x.capAt, x.chaseAt, x.autoCloseAt = time.Time{}, time.Time{}, time.Time{}
	x.pauseState = -1
}

func (x *sim) addPause(reason string, d time.Duration) {
	for i := 0; i < x.nPauses; i++ {
		if x.pauses[i].Reason == reason {
			x.pauses[i].Duration += d
			return
		}
	}
	if x.nPauses < len(x.pauses) {
		x.pauses[x.nPauses] = PauseTotal{Reason: reason, Duration: d}
		x.nPauses++
		return
	}
	x.pauses[len(x.pauses)-1].Duration += d
}

// pauseEvents records the timed events of the pause episode due by t (in
// order: a chase, a close, a limit that resumes the clock), and resumes the
// clock when a limit ends the pause. Unless inclusive, events exactly at t
// wait for the next advance, like a deadline.
func (x *sim) pauseEvents(t time.Time, inclusive bool) {
	due := func(at time.Time) bool { return !at.IsZero() && (at.Before(t) || (inclusive && at.Equal(t))) }
	for {
		next, kind := time.Time{}, 0
		for k, at := range [3]time.Time{x.chaseAt, x.autoCloseAt, x.capAt} {
			done := (k == 0 && x.chased) || (k == 1 && x.aClos) || (k == 2 && (x.capped || !x.paused))
			if !done && due(at) && (next.IsZero() || at.Before(next)) {
				next, kind = at, k+1
			}
		}
		switch kind {
		case 0:
			return
		case 1:
			x.chased = true
			x.audit(next, ChaseDue, x.pauseReason)
		case 2:
			x.aClos = true
			x.audit(next, AutoCloseDue, x.pauseReason)
		case 3:
			x.capped, x.paused = true, false
			x.addPause(x.pauseReason, x.r.sub(next, x.pauseStart))
			x.pauseStart = time.Time{}
			if next.After(x.mark) {
				x.mark = next
			}
			x.audit(next, Resumed, "cap: "+x.pauseReason)
		}
	}
}

// cancel ends the running cycle with the ticket's life: stopped, neither met
// nor (unless already) breached.
func (x *sim) cancel(t time.Time) {
	x.endPause(t)
	x.capped = false
	x.active, x.ended, x.cancelled = false, true, true
	x.stopAt = t
	x.audit(t, CancelledClock, "")
}

// lookup is the metric's target at the clock's priority.
func (x *sim) lookup() *ctarget {
	return x.m.targetFor(x.prio)
}

func (x *sim) tally() {
	if x.cycle == 0 || x.tallied {
		return
	}
	x.tallied = true
	if !x.breachedAt.IsZero() {
		x.missed++
	} else if x.ended && !x.cancelled {
		x.met++
	}
}

// newCycle starts a new cycle at t, the last one tallied (by beginCycle:
// newCycle inlines into its callers, one call fewer).
func (x *sim) newCycle(t time.Time) error {
	return x.beginCycle(t, false)
}

// restartCycle is stopCycle(t) then newCycle(t), for a met_by that ends
// the cycle and starts the next one at once (a periodic update): the met
// cycle's deadline is not kept (beginCycle clears it). beginCycle does
// it all (restartCycle inlines into its callers, one call fewer).
func (x *sim) restartCycle(t time.Time) error {
	return x.beginCycle(t, true)
}

// restartStop is the part of a restart (see beginCycle) for a paused
// clock or a target on a calendar, kept out of line: the pause ends, and
// the met cycle's deadline is worked out, which can fail and then ends
// the evaluation, as in stopCycle.
func (x *sim) restartStop(t time.Time) error {
	if !x.pauseStart.IsZero() {
		x.endPause(t)
	}
	if x.tgt != nil && x.breachedAt.IsZero() && x.tgt.cal != nil {
		if _, err := x.add(t, x.total-x.counted); err != nil {
			x.capped = false
			x.active, x.ended = false, true
			x.stopAt = t
			return err
		}
	}
	return nil
}

// beginCycle is the start of a cycle at t, for newCycle and restartCycle:
// a running clock with nothing counted, reached, paused or moved, its
// state to settle (resync), and its target. A new cycle tallies the last
// one first; a restart ends it (met unless breached) and records its
// Fulfilled and the new cycle's Applied in one step.
func (x *sim) beginCycle(t time.Time, restart bool) error {
	if restart {
		if !x.pauseStart.IsZero() || x.tgt != nil && x.tgt.cal != nil && x.breachedAt.IsZero() {
			if err := x.restartStop(t); err != nil {
				return err
			}
		}
		// The end of the cycle x.cycle (Fulfilled) and the start of the
		// next (Applied, of cycle x.cycle+1) at t, as audit would record
		// them one after the other, in one step (one test of room and
		// order, both events stored side by side).
		r := x.r
		n := len(r.Audit)
		ts, tn := t.Unix(), t.Nanosecond()
		k := auditKeyOf(tn, int32(x.idx))
		if !r.comb || n+1 >= cap(r.Audit) || n+1 >= cap(r.auditIdx) || ts < r.lastSec || ts == r.lastSec && k < r.lastKey {
			x.auditRestartSlow(t)
		} else {
			evs, ids := r.Audit[:n+2], r.auditIdx[:n+2]
			r.Audit, r.auditIdx = evs, ids
			ids[n], ids[n+1] = int32(x.idx), int32(x.idx)
			e, f := &evs[n], &evs[n+1]
			e.At, e.Metric, f.At, f.Metric = t, x.m.name, t, x.m.name
			e.Type, e.Cycle, e.Detail, e.Level = Fulfilled, x.cycle, "", 0
			f.Type, f.Cycle, f.Detail, f.Level = Applied, x.cycle+1, "", 0
			r.lastSec, r.lastKey = ts, k
		}
		// (tally: the cycle ran, so it ends now, met unless breached.)
		if !x.tallied {
			if !x.breachedAt.IsZero() {
				x.missed++
			} else if !x.cancelled {
				x.met++
			}
		}
	} else {
		x.tally()
	}
	x.cycle++
	x.tallied = false
	x.active, x.ended, x.resync, x.paused, x.trigPaused, x.cancelled = true, false, true, true, false, false
	// (The fields that hold pointers together, under one test of the
	// write barrier.)
	x.start, x.mark, x.stopAt, x.deadlineStop = t, t, time.Time{}, time.Time{}
	x.breachedAt, x.pauseStart, x.pauseReason, x.limit = time.Time{}, time.Time{}, "", nil
	x.counted, x.extra = 0, 0
	clear(x.counts[:])
	x.reached, x.nCur = 0, 0
	x.nPauses, x.capped, x.pauseState = 0, false, -1
	if !restart {
		x.audit(t, Applied, "")
	}
	// A duration target with percentage alerts: the cycle takes the
	// compiled thresholds (retarget's fixed path, without its call and
	// second lookup), copied unless x.thr still holds them (a periodic
	// update's next cycle with the same target). None is reached at the
	// start when the first falls after it (else retarget records it).
	tgt := x.lookup()
	if tgt == nil || tgt.fixed == nil || tgt.fixed.thr[0].at <= 0 || x.set.general {
		return x.retarget(t)
	}
	f := tgt.fixed
	if x.pos.thr != f {
		//lint:ignore S1001 a loop: a few thresholds, where copy calls memmove
		for i, th := range f.thr {
			x.thr[i] = th
		}
		x.pos.thr = f
	}
	x.tgt, x.tgtPrio = tgt, x.prio
	x.total, x.nThr, x.next = f.total, len(f.thr), 0
	x.memo.ok = false
	return nil
}

// retarget sets the target for the current priority, recounts the cycle in its
// units if they changed, recomputes the thresholds and records those already
// reached (at t).
func (x *sim) retarget(t time.Time) error {
	x.tgt = x.lookup()
	x.tgtPrio = x.prio
	x.counted = x.counts[x.scale()] // the cycle's counted time in the new target's units
	x.nThr, x.next = 0, 0
	if x.tgt == nil {
		x.total = 0
		return nil
	}
	memo := &x.memo
	switch f := x.tgt.fixed; {
	case f != nil && x.extra == 0 && !x.set.general:
		// A duration with percentage alerts: thresholds from the compiled
		// target.
		if x.pos.thr != f { // (a periodic update's next cycle finds them there)
			//lint:ignore S1001 a loop: a few thresholds, where copy calls memmove
			for i, th := range f.thr {
				x.thr[i] = th
			}
			x.pos.thr = f
		}
		x.total, x.nThr = f.total, len(f.thr)
		memo.ok = false // (x.thr no longer holds what the memo says)
	case memo.ok && !x.set.general && memo.tgt == x.tgt && memo.extraIn == x.extra &&
		(memo.anyStart || (memo.cal == x.ticketCal && memo.start == x.start)):
		// The same target from the same start (or, for a duration with
		// percentage alerts, from any start: a periodic update's next
		// cycle): the thresholds in x.thr are those computed then.
		x.extra, x.total, x.nThr = memo.extraOut, memo.total, memo.nThr
	default:
		if err := x.thresholds(); err != nil {
			return err
		}
	}
	if x.firstDue(x.counted) {
		x.reachCovered(t)
	}
	return nil
}

// thresholds is retarget's general case: it works out the target's total
// and the thresholds of the alerts and the deadline into x.thr, and
// remembers what they were computed from (x.memo).
func (x *sim) thresholds() error {
	x.memo.ok, x.pos.thr = false, nil
	extraIn := x.extra
	// The deadline's threshold and the alerts', each put in its place
	// among those before it (the order sortThresholds gives: the keys
	// differ), so that none is sorted again. For a duration, the
	// percentage alerts and the deadline come from the compiled target
	// (the base total is the duration).
	f := x.tgt.pct
	if f != nil && x.extra == 0 && !x.set.general {
		x.total = f.total
		//lint:ignore S1001 a loop: a few thresholds, where copy calls memmove
		for i, th := range f.thr {
			x.thr[i] = th
		}
		x.nThr = len(f.thr)
	} else {
		f = nil
		// The target's total: the base, and what moved deadlines add.
		total, err := x.baseTotal()
		if err != nil {
			return err
		}
		if total+x.extra <= 0 {
			x.extra = 1 - total // a target is never empty
		}
		total += x.extra
		x.total = total
		x.thr[0] = deadlineThreshold(total)
		x.nThr = 1
	}
	alerts := x.m.alerts // (not read again after each threshold's store)
	for i := range alerts {
		a := &alerts[i]
		var at time.Duration
		if a.mode == alertPercent {
			if f != nil {
				continue
			}
			at = percentOf(x.total, a.percent)
		} else {
			// An offset: in positions where it can, else by way of the
			// instants.
			var ok bool
			var err error
			if at, ok, err = x.offsetAlertPos(a); !ok {
				at, err = x.alertAtInstants(a)
			}
			if err != nil {
				return err
			}
		}
		insertThreshold(&x.thr, x.nThr, alertThreshold(a, i, at))
		x.nThr++
	}
	// A duration target with percentage alerts gives the same thresholds
	// from any start; working days and offsets count on the calendars
	// from the start.
	anyStart := x.tgt.pub.Unit != WorkingDays && !x.m.offsetAlerts
	// (Field by field: a composite literal is built on the stack and
	// copied.)
	m := &x.memo
	m.ok, m.anyStart, m.tgt, m.cal, m.start = true, anyStart, x.tgt, x.ticketCal, x.start
	m.extraIn, m.extraOut, m.total, m.nThr = extraIn, x.extra, x.total, x.nThr
	return nil
}

// reachCovered records, at t, the thresholds of a new target (see
// retarget) that the cycle's counted time already covers. A deadline at
// exactly the counted time is held back, as one falling exactly at an
// entry's instant is (see cross): a clock that stops at t, such as a
// reopen into a solved state, is on time, and one that goes on records
// the breach, at t, at its next advance.
func (x *sim) reachCovered(t time.Time) {
	for ; x.next < x.nThr; x.next++ {
		th := &x.thr[x.next]
		if x.isReached(th) {
			continue
		}
		if th.at > x.counted || (th.alert < 0 && th.at == x.counted) {
			return
		}
		x.reach(th, t)
	}
}

// scale is the index in counts of the current target's units.
func (x *sim) scale() int {
	if x.tgt == nil {
		return 0
	}
	return x.tgt.scale
}

// alertThreshold is the threshold of alert a, the metric's i-th, at
// counted time at.
func alertThreshold(a *calert, i int, at time.Duration) threshold {
	rank := int8(0)
	if a.escalation {
		rank = 2
	}
	return threshold{at: at, alert: int8(i), rank: rank, bit: 1 << uint(i)}
}

// deadlineThreshold is the threshold of the deadline, at counted time
// total.
func deadlineThreshold(total time.Duration) threshold {
	return threshold{at: total, alert: -1, rank: 1, bit: breachBit}
}

// sortThresholds orders thr by (at, rank, alert): the order they are
// reached in. (Insertion sort: a metric has a few.)
func sortThresholds(thr []threshold) {
	for i := 1; i < len(thr); i++ {
		for j := i; j > 0 && thrLess(&thr[j], &thr[j-1]); j-- {
			thr[j], thr[j-1] = thr[j-1], thr[j]
		}
	}
}

// insertThreshold puts th in thr[:n+1], thr[:n] being in order: after
// those before it (thrLess), the others moving up by one.
func insertThreshold(thr *[maxAlerts + 1]threshold, n int, th threshold) {
	j := n
	for ; j > 0 && thrLess(&th, &thr[j-1]); j-- {
		thr[j] = thr[j-1]
	}
	thr[j] = th
}

// percentOf is the counted time at which a percentage alert of a target of
// total falls.
func percentOf(total time.Duration, percent float64) time.Duration {
	return time.Duration(float64(total) * percent / 100)
}

func thrLess(a, b *threshold) bool {
	if a.at != b.at {
		return a.at < b.at
	}
	if a.rank != b.rank {
		return a.rank < b.rank
	}
	return a.alert < b.alert
}

// baseTotal is the target's total before moved deadlines: its duration, or
// for working days the open time from the cycle's start to the closing
// time of the deadline's working day.
func (x *sim) baseTotal() (time.Duration, error) {
	t := x.tgt
	if t.pub.Unit != WorkingDays {
		return t.pub.Duration, nil
	}
	cal := x.calOf(t)
	if !x.set.general && t.pub.Days >= 0 && t.pub.Days <= maxWalkDays {
		// In positions: Between(start, AddWorkingDays(start, n)) without
		// building the instant (r.cals[scale-1] counts on cal), and a few
		// working days on: a walk from day 0 (no search).
		c := &x.r.cals[t.scale-1]
		if p, ok := x.startPos(c); ok && p < cal.total {
			x.startDay(c, cal, p)
			if end, open, ok := x.pos.sdDay.closeAfter(cal, t.pub.Days); ok {
				x.pos.wdCal, x.pos.wdEnd, x.pos.wdOpen = cal, end, open
				return max(time.Duration(end-p), 1), nil
			}
		}
	}
	return x.workingDaysTotal(cal)
}

// workingDaysTotal is baseTotal for a working-days target on cal in every
// case: on a general set, from a start at the end of the calendar's open
// time, for a deadline many working days on, and where the calendar ends
// first (an error). (A call of its own: baseTotal's few instructions
// stay together.)
//
//go:noinline
func (x *sim) workingDaysTotal(cal *Calendar) (time.Duration, error) {
	t := x.tgt
	var d time.Duration
	if x.set.general {
		end, err := cal.AddWorkingDays(x.start, t.pub.Days)
		if err != nil {
			return 0, err
		}
		if d, err = cal.Between(x.start, end); err != nil {
			return 0, err
		}
	} else {
		// In positions: Between(start, AddWorkingDays(start, n)) without
		// building the instant (r.cals[scale-1] counts on cal).
		p, ok := x.startPos(&x.r.cals[t.scale-1])
		if !ok {
			return 0, cal.fail("AddWorkingDays", ErrOutOfRange)
		}
		// (addWorkingDaysPos, remembering the deadline's working day.)
		if p >= cal.total || t.pub.Days < 0 {
			end, err := cal.addWorkingDaysPos(p, t.pub.Days)
			if err != nil {
				return 0, err
			}
			d = time.Duration(end - p)
		} else {
			x.startDay(&x.r.cals[t.scale-1], cal, p)
			idx := int64(x.pos.sdIndex(cal)) + int64(t.pub.Days)
			if idx < 1 || idx > int64(cal.totalWork) {
				return 0, cal.fail("AddWorkingDays", cal.noMore())
			}
			var end, open int64
			if t.pub.Days <= maxWalkDays {
				end, open, _ = x.pos.sdDay.closeAfter(cal, t.pub.Days)
			} else {
				end, open = cal.workDayClose(int32(idx))
			}
			x.pos.wdCal, x.pos.wdEnd, x.pos.wdOpen = cal, end, open
			d = time.Duration(end - p)
		}
	}
	if d <= 0 {
		d = 1
	}
	return d, nil
}

// startPos is c.at(x.start), remembered for the cycle's start.
func (x *sim) startPos(c *calPos) (int64, bool) {
	sec, nsec := x.start.Unix(), int32(x.start.Nanosecond())
	if x.pos.startCal == c.cal && x.pos.startSec == sec && x.pos.startNsec == nsec && c.cal != nil {
		return x.pos.startP, true
	}
	p, ok := c.atSec(sec, nsec)
	if ok {
		x.pos.startCal, x.pos.startSec, x.pos.startNsec, x.pos.startP = c.cal, sec, nsec, p
	}
	return p, ok
}

// startDay remembers in x.pos the working day holding position p <
// cal.total (findDay's day, the first with open time after p when p falls
// between two): day 0 of AddWorkingDays from p. c, on cal, has just looked
// up the cycle's start (startPos): most often the day it remembers is the
// start's, from which day 0 is at most a few steps on, without a search.
func (x *sim) startDay(c *calPos, cal *Calendar, p int64) {
	if x.pos.sdCal == cal && x.pos.sdP == p {
		return
	}
	// (Walked in place: a dayWalk copied costs more than its steps.)
	var ok bool
	w := &x.pos.sdDay
	if *w, ok = c.dayOf(cal, x.start.Unix()); !ok {
		*w = findWalkDay(cal, p)
	} else if p-w.cum >= cal.shapeOpen[w.sh] {
		w.walkTo(cal, p)
	}
	x.pos.sdCal, x.pos.sdP, x.pos.sdCum, x.pos.sdOpen = cal, p, w.cum, cal.shapeOpen[w.sh]
}

// walkTo moves w, a day before position p, on to the day holding p (the
// first with open time after p when p falls between two). (A call of its
// own, out of startDay's way: a cycle most often starts in open hours.)
//
//go:noinline
func (w *dayWalk) walkTo(cal *Calendar, p int64) {
	for p-w.cum >= cal.shapeOpen[w.sh] {
		w.next(cal)
	}
}

// sdIndex is the number of the working day the cycle counts from (sdDay,
// on cal) among the working days of cal's range, from 1. (Asked only
// where an offset of more than one working day, or a deadline far on,
// needs it: the usual ones tell by the open time before a day.)
func (p *posMemo) sdIndex(cal *Calendar) int32 {
	return cal.workBefore(dayRef{d: p.sdDay.d, k: p.sdDay.k, exc: p.sdDay.exc}) + 1
}

// wdIndex is the number of the working day whose closing time is wdEnd
// among the working days of cal's range, from 1 (see sdIndex).
func (p *posMemo) wdIndex(cal *Calendar) int32 {
	day, _ := cal.findDay(p.wdEnd, true)
	return cal.workBefore(day) + 1
}

// findWalkDay is findDay(p, false) as a dayWalk: the day startDay
// searches for when c remembers another day. (A call of its own, out of
// startDay's way.)
//
//go:noinline
func findWalkDay(cal *Calendar, p int64) dayWalk {
	day0, r := cal.findDay(p, false)
	return dayWalk{d: day0.d, k: day0.k, exc: day0.exc, wd: int8(weekdayOf(day0.d)), sh: day0.sh, cum: p - r}
}

// dayWalk is a day of a calendar's range as a walk from day to day sees
// it: its date and exception entry (see dayRef), its weekday and shape, and
// the open time before it.
type dayWalk struct {
	d   int32
	k   int
	exc bool
	wd  int8
	sh  int32
	cum int64
}

// maxWalkDays is the most working days a working-days target walks on from
// its day 0; farther deadlines are searched (a search costs about as much
// as a walk of that many days).
const maxWalkDays = 8

// dayOf is the day c remembers when it is on cal and holds instant sec
// (Unix seconds); ok is false otherwise.
func (c *calPos) dayOf(cal *Calendar, sec int64) (w dayWalk, ok bool) {
	if c.cal != cal || c.general || c.to <= c.from || sec < c.from || sec >= c.to {
		return dayWalk{}, false
	}
	return dayWalk{d: c.d, k: c.k, exc: c.exc, wd: c.wd, sh: c.sh, cum: c.cum}, true
}

// next moves w to the next day, which must be in cal's range (as
// calPos.seek steps).
func (w *dayWalk) next(cal *Calendar) {
	w.cum += cal.shapeOpen[w.sh]
	w.d++
	if w.wd++; w.wd == 7 {
		w.wd = 0
	}
	w.exc = cal.excDay[w.k+1] == w.d
	if w.exc {
		w.k++
		w.sh = cal.excShape[w.k]
	} else {
		w.sh = cal.week[w.wd]
	}
}

// closeAfter is workDayClose of the n-th working day after w, a working
// day of cal's range: the position of its closing time and its own open
// time; ok is false when the range ends first (at its sentinel exception,
// the day after it).
func (w dayWalk) closeAfter(cal *Calendar, n int) (end, open int64, ok bool) {
	// (dayWalk.next, its fields in registers.)
	d, k, wd, sh, cum := w.d, w.k, w.wd, w.sh, w.cum
	excDay, excShape, shapeOpen := cal.excDay, cal.excShape, cal.shapeOpen
	for n > 0 {
		cum += shapeOpen[sh]
		d++
		if wd++; wd == 7 {
			wd = 0
		}
		if excDay[k+1] == d {
			k++
			if k == len(excDay)-1 {
				return 0, 0, false
			}
			sh = excShape[k]
		} else {
			sh = cal.week[wd]
		}
		if shapeOpen[sh] > 0 {
			n--
		}
	}
	open = shapeOpen[sh]
	return cum + open, open, true
}

// workDayClose is the position of the closing time of the m-th working day
// of c's range (1 <= m <= c.totalWork): the open time before it and all of
// its own (open), as addWorkingDaysPos gives it.
func (c *Calendar) workDayClose(m int32) (end, open int64) {
	ref := c.findWorkDay(m)
	open = c.shapeOpen[ref.sh]
	return c.cumBefore(ref) + open, open
}

// offsetAlertPos is the counted time at which an offset alert (not a
// percentage) falls (see thresholds), counted in positions, when the
// target and the offset count on one calendar, the offset in business time
// or working days: the instants the general path builds (the deadline, the
// offset from it or from the start) are never needed, only their
// positions. ok is false when it does not apply.
//
// An alert one working day before the deadline takes one of two shortcuts
// here (see offsetAlertPosAny, which has them all, for any number of
// working days); every other case is offsetAlertPosAny's.
func (x *sim) offsetAlertPos(a *calert) (at time.Duration, ok bool, err error) {
	o := &a.off
	if a.mode != alertBefore || o.pub.Unit != WorkingDays || o.pub.Days != 1 || x.set.general {
		return x.offsetAlertPosAny(a)
	}
	cal := x.calOf(x.tgt)
	if cal == nil || o.cal == nil || x.calOf(o) != cal {
		return x.offsetAlertPosAny(a)
	}
	p0, ok := x.startPos(&x.r.cals[x.tgt.scale-1])
	if !ok || int64(x.total) > cal.total-p0 {
		return x.offsetAlertPosAny(a)
	}
	base := p0 + int64(x.total) // the deadline
	var w int64
	// (A working day comes before a day when there is open time before
	// it.)
	switch {
	case x.pos.wdCal == cal && base == x.pos.wdEnd && x.pos.wdEnd-x.pos.wdOpen > 0:
		w = x.pos.wdEnd - x.pos.wdOpen
	case x.pos.sdCal == cal && x.pos.sdP == p0 && base > x.pos.sdCum && base <= x.pos.sdCum+x.pos.sdOpen && x.pos.sdCum > 0:
		w = x.pos.sdCum
	default:
		return x.offsetAlertPosAny(a)
	}
	if w <= p0 {
		return 0, true, nil // (the general path: not after the start)
	}
	return time.Duration(w - p0), true, nil
}

// offsetAlertPosAny is offsetAlertPos in every case. (A call of its own,
// out of offsetAlertPos's way.)
//
//go:noinline
func (x *sim) offsetAlertPosAny(a *calert) (at time.Duration, ok bool, err error) {
	o := &a.off
	cal := x.calOf(x.tgt)
	if x.set.general || cal == nil || o.cal == nil || x.calOf(o) != cal ||
		(o.pub.Unit != WorkingDays && (o.pub.Unit != Business || o.pub.Duration <= 0)) {
		return 0, false, nil
	}
	p0, ok := x.startPos(&x.r.cals[x.tgt.scale-1])
	if !ok {
		if a.mode == alertAfter {
			return 0, true, cal.fail(x.offsetOp(o), ErrOutOfRange)
		}
		return 0, true, cal.fail("Add", ErrOutOfRange)
	}
	base := p0
	if a.mode != alertAfter {
		// The deadline: Add(start, total), total > 0, is at p0+total.
		if int64(x.total) > cal.total-p0 {
			return 0, true, cal.fail("Add", cal.noMore())
		}
		base = p0 + int64(x.total)
	}
	var w int64
	switch {
	case o.pub.Unit == Business && a.mode == alertBefore:
		if w = base - int64(o.pub.Duration); w < 0 {
			return 0, true, cal.fail("Add", cal.noMore())
		}
	case o.pub.Unit == Business:
		if int64(o.pub.Duration) > cal.total-base {
			return 0, true, cal.fail("Add", cal.noMore())
		}
		w = base + int64(o.pub.Duration)
	case a.mode == alertBefore && x.pos.wdCal == cal && base == x.pos.wdEnd && o.pub.Days > 0 && int64(x.pos.wdIndex(cal))-int64(o.pub.Days) >= 1:
		// The deadline closes the i-th working day (a working-days
		// target, i = wdIndex): n working days before it closes the
		// (i-n)-th, and the working day before it closes where it opens
		// (the days between have no open time).
		if o.pub.Days == 1 {
			w = x.pos.wdEnd - x.pos.wdOpen
		} else {
			w, _ = cal.workDayClose(x.pos.wdIndex(cal) - int32(o.pub.Days))
		}
	case a.mode == alertBefore && o.pub.Days > 0 && x.pos.sdCal == cal && x.pos.sdP == p0 && base > x.pos.sdCum && base <= x.pos.sdCum+x.pos.sdOpen &&
		int64(x.pos.sdIndex(cal))-int64(o.pub.Days) >= 1:
		// The deadline falls on the cycle's first working day: n working
		// days before it closes a working day before the start, so the
		// alert is due from the start (below).
		w = x.pos.sdCum
	case a.mode == alertBefore:
		if w, err = cal.addWorkingDaysPos(base, -o.pub.Days); err != nil {
			return 0, true, err
		}
	default:
		if w, err = cal.addWorkingDaysPos(base, o.pub.Days); err != nil {
			return 0, true, err
		}
	}
	if a.mode == alertBefore && w <= p0 {
		return 0, true, nil // (the general path: not after the start)
	}
	return time.Duration(w - p0), true, nil
}

// offsetOp is the Calendar operation that offset o moves by.
func (x *sim) offsetOp(o *ctarget) string {
	if o.pub.Unit == WorkingDays {
		return "AddWorkingDays"
	}
	return "Add"
}

// offset moves from a by the offset o (forward).
func (x *sim) offset(a time.Time, o *ctarget) (time.Time, error) {
	switch o.pub.Unit {
	case Elapsed:
		return a.Add(o.pub.Duration), nil
	case Business:
		return x.calOf(o).Add(a, o.pub.Duration)
	}
	return x.calOf(o).AddWorkingDays(a, o.pub.Days)
}

// offsetBack moves from d back by the offset o: for business time the latest
// instant with that much open time before d; for working days the closing
// time of the n-th working day before d (Calendar.AddWorkingDays with -n).
func (x *sim) offsetBack(d time.Time, o *ctarget) (time.Time, error) {
	switch o.pub.Unit {
	case Elapsed:
		return d.Add(-o.pub.Duration), nil
	case Business:
		return x.calOf(o).Add(d, -o.pub.Duration)
	}
	return x.calOf(o).AddWorkingDays(d, -o.pub.Days)
}

// alertAtInstants is offsetAlertPos by way of the instants (the
// deadline, the offset from it or from the start): an offset on another
// calendar or in elapsed time, or a general set. (A call of its own, out
// of thresholds' way.)
//
//go:noinline
func (x *sim) alertAtInstants(a *calert) (time.Duration, error) {
	switch a.mode {
	case alertAfter:
		w, err := x.offset(x.start, &a.off)
		if err != nil {
			return 0, err
		}
		return x.count(x.start, w)
	case alertAfterDeadline:
		d0, err := x.add(x.start, x.total)
		if err != nil {
			return 0, err
		}
		w, err := x.offset(d0, &a.off)
		if err != nil {
			return 0, err
		}
		return x.count(x.start, w)
	}
	d0, err := x.add(x.start, x.total)
	if err != nil {
		return 0, err
	}
	w, err := x.offsetBack(d0, &a.off)
	if err != nil {
		return 0, err
	}
	if !w.After(x.start) {
		return 0, nil
	}
	return x.count(x.start, w)
}

// cross records the thresholds from x.next on that the clock crosses while
// counting from x.mark (Unix seconds ms and nanoseconds mn), with
// x.counted, to the instant of Unix seconds ts and nanoseconds tn, where it
// reaches limit (in counted time): each at the instant its counted time
// passes after x.mark. None is covered by x.counted (advance recorded those
// first, see reachHeld). Thresholds are compared in counted time; an
// instant is worked out only for a threshold actually crossed, in Unix
// seconds, and built once. Unless inclusive, a deadline falling exactly
// at t is held back: the entry at t (a stop) is still on time, and the
// next advance records the breach at the deadline. An evaluation with
// monotonic readings takes crossTimes.
func (x *sim) cross(ts int64, tn int, ms int64, mn int, inclusive bool, limit time.Duration) error {
	// The instant of the last threshold crossed: a deadline and an
	// escalation at 100% fall at the same counted time.
	lastNeed, as, an := time.Duration(0), int64(0), 0
	for x.next < x.nThr {
		th := &x.thr[x.next]
		if x.isReached(th) {
			x.next++
			continue
		}
		if th.at > limit {
			break
		}
		if need := th.at - x.counted; need != lastNeed {
			// (need > 0: th.at > x.counted.)
			lastNeed = need
			if x.tgt.cal == nil {
				as, an = wallAdd(ms, mn, need)
			} else {
				var err error
				if as, an, err = x.addMarkCal(ms, mn, need); err != nil {
					if x.beyondCalendar(th, err) {
						break
					}
					return err
				}
			}
		}
		// The threshold falls after t, or (a deadline, unless inclusive)
		// exactly at t. (Without monotonic readings, instants compare by
		// Unix time as Before compares them.)
		if wallLess(ts, tn, as, an) || th.alert < 0 && !inclusive && !wallLess(as, an, ts, tn) {
			break
		}
		// The instant, as addMark builds it: in the mark's zone for
		// elapsed time, in the calendar's zone for a calendar target.
		loc := x.mark.Location()
		if x.tgt.cal != nil {
			loc = x.r.cals[x.tgt.scale-1].cal.loc
		}
		at := unixIn(as, an, loc)
		if th.alert < 0 {
			// (reach, for the deadline: most thresholds crossed are one.)
			x.reached |= breachBit
			x.breachedAt = at
			x.audit(at, BreachedDeadline, "")
		} else {
			x.reach(th, at)
		}
		x.next++
	}
	return nil
}

// addMarkCal is addMark(d) on a calendar target, as Unix seconds and
// nanoseconds, in an evaluation without monotonic readings: ms and mn are
// the mark's, whose position the clock's advance has just looked up.
func (x *sim) addMarkCal(ms int64, mn int, d time.Duration) (int64, int, error) {
	if !x.set.general {
		c := &x.r.cals[x.tgt.scale-1]
		if p, ok := c.atSec(ms, int32(mn)); ok {
			if sec, nsec, ok := c.addInSec(p, d); ok {
				return sec, int(nsec), nil
			}
		}
	}
	t, err := x.add(x.mark, d)
	return t.Unix(), t.Nanosecond(), err
}

// wallAdd is the Unix seconds and nanoseconds of instant (ms, mn) plus
// d >= 0: time.Time.Add, without its call, for an instant without a
// monotonic reading.
func wallAdd(ms int64, mn int, d time.Duration) (int64, int) {
	sec, nsec := ms+int64(d/time.Second), mn+int(d%time.Second)
	if nsec >= 1e9 {
		sec, nsec = sec+1, nsec-1e9
	}
	return sec, nsec
}

// unixIn is the instant of Unix seconds sec and nanoseconds nsec in zone
// loc: what time.Time.Add gives for an instant without a monotonic reading
// in loc, in an evaluation without them (its instants are years 1834 to
// 2106, see nanoKey: no overflow). One copy, a call of its own, for the
// instants of thresholds crossed (cross) and of deadlines on elapsed time
// (add), instead of time.Time.Add's code beside it.
//
//go:noinline
func unixIn(sec int64, nsec int, loc *time.Location) time.Time {
	return time.Unix(sec, int64(nsec)).In(loc)
}

// crossTimes is cross for an evaluation with monotonic readings: instants
// compare as time.Time (monoLater). (Out of line, the rare case.)
//
//go:noinline
func (x *sim) crossTimes(t time.Time, inclusive bool, limit time.Duration) error {
	lastNeed, at := time.Duration(0), time.Time{}
	for x.next < x.nThr {
		th := &x.thr[x.next]
		if x.isReached(th) {
			x.next++
			continue
		}
		if th.at > limit {
			break
		}
		if need := th.at - x.counted; need != lastNeed {
			lastNeed = need
			var err error
			if at, err = x.addMark(need); err != nil {
				if x.beyondCalendar(th, err) {
					break
				}
				return err
			}
		}
		if monoLater(at, t, th.alert < 0 && !inclusive) {
			break
		}
		x.reach(th, at)
		x.next++
	}
	return nil
}

// addMark is the instant at which d > 0 more counted time has passed
// after x.mark (add, without its tests on an elapsed clock).
func (x *sim) addMark(d time.Duration) (time.Time, error) {
	if x.tgt.cal == nil {
		return x.mark.Add(d), nil
	}
	return x.add(x.mark, d)
}

// monoLater reports, for an evaluation with monotonic readings, whether
// instant at is after t, or at t too when atToo (time.Time.Before: out
// of line, the rare case).
//
//go:noinline
func monoLater(at, t time.Time, atToo bool) bool {
	return t.Before(at) || atToo && !at.Before(t)
}

// beyondCalendar reports whether err only says that an escalation after the
// deadline falls outside the calendar's supported years (or after its last
// open time): such a level is never reached, which is not an error.
func (x *sim) beyondCalendar(th *threshold, err error) bool {
	return th.at > x.total && (errors.Is(err, ErrOutOfRange) || errors.Is(err, ErrNeverOpen))
}

func (x *sim) isReached(th *threshold) bool {
	return x.reached&th.bit != 0
}

func (x *sim) reach(th *threshold, at time.Time) {
	if th.alert < 0 {
		x.reached |= breachBit
		x.breachedAt = at
		x.audit(at, BreachedDeadline, "")
		return
	}
	x.reached |= 1 << uint(th.alert)
	a := &x.m.alerts[th.alert]
	c := &x.cur[x.nCur]
	c.Name, c.At, c.Cycle = a.name, at, x.cycle
	x.curEsc[x.nCur] = a.escalation
	x.nCur++
	if a.escalation {
		x.record(at, Escalated, a.name, a.level)
	} else {
		x.audit(at, Warned, a.name)
	}
}

// advance moves the clock to t, recording thresholds reached on the way.
// Unless inclusive, a deadline exactly at t is held back (see cross); a
// breach held back at x.mark is recorded, at x.mark, once time moves on or
// the advance is inclusive (reachHeld).
func (x *sim) advance(t time.Time, inclusive bool) error {
	return x.advanceAt(t, t.Unix(), t.Nanosecond(), inclusive)
}

// advanceAt is advance for t of Unix seconds ts and nanoseconds tn: the
// entry loop has them at hand for all the metrics. This is the usual
// clock's path: instants compare and subtract by their Unix time, and the
// clock counts on its targets' calendars alone. A clock with a pause limit
// (whose timed events may move the mark), an evaluation with monotonic
// readings (r.mono, the general path of the tests too), a timeline that
// switches policies (allCals), differences that might not fit a Duration,
// an entry at the mark and a breach held back there take advanceAny, out
// of line.
func (x *sim) advanceAt(t time.Time, ts int64, tn int, inclusive bool) error {
	if !x.active {
		// (First, and without a call on the way but for monotonic
		// readings, so that a stopped clock costs a few instructions.)
		if x.r.mono {
			x.markLater(t)
		} else if wallLess(x.mark.Unix(), x.mark.Nanosecond(), ts, tn) {
			x.mark = t
		}
		return nil
	}
	if x.limit != nil || x.r.mono || x.allCals {
		return x.advanceAny(t, ts, tn, inclusive)
	}
	ms, mn := x.mark.Unix(), x.mark.Nanosecond()
	// (Report.sub, with the seconds at hand; d > 0 when t is after the
	// mark.) An entry at the mark and a breach held back there (due by
	// the time counted: see reachHeld) are rare: advanceAny takes them,
	// so that this path has no call of reachHeld to hold its values
	// across.
	d, ok := wallSub(ts, tn, ms, mn)
	if !ok || d <= 0 || x.due(x.counted) {
		return x.advanceAny(t, ts, tn, inclusive)
	}
	if x.paused {
		x.mark = t
		return nil
	}
	// Count on every calendar the metric's targets use (see advanceAny).
	x.counts[0] += d
	for _, ci := range x.m.scaleCal {
		d, err := x.r.cals[ci].betweenAt(ms, mn, ts, tn)
		if err != nil {
			return err
		}
		x.counts[1+ci] += d
	}
	sc := x.scale()
	if limit := x.counts[sc]; x.due(limit) {
		if err := x.cross(ts, tn, ms, mn, inclusive, limit); err != nil {
			return err
		}
	}
	x.counted = x.counts[sc]
	x.mark = t
	return nil
}

// advanceAny is advanceAt in every case (a call of its own, out of
// advanceAt's way). Instants compare and subtract by their Unix time
// unless the evaluation has monotonic readings (r.mono: then time.Time's
// methods, out of line).
//
//go:noinline
func (x *sim) advanceAny(t time.Time, ts int64, tn int, inclusive bool) error {
	ms, mn := x.mark.Unix(), x.mark.Nanosecond()
	after := wallLess(ms, mn, ts, tn)
	if !x.active {
		// (First, and without a call on the way but for monotonic
		// readings, so that a stopped clock costs a few instructions.)
		if x.r.mono {
			x.markLater(t)
		} else if after {
			x.mark = t
		}
		return nil
	}
	if x.limit != nil {
		x.pauseEvents(t, inclusive) // (may move x.mark)
		ms, mn = x.mark.Unix(), x.mark.Nanosecond()
		after = wallLess(ms, mn, ts, tn)
	}
	if x.r.mono {
		after = monoLater(t, x.mark, false)
	}
	if (inclusive || after) && x.due(x.counted) {
		x.reachHeld()
	}
	if x.paused || !after {
		if after {
			x.mark = t
		}
		return nil
	}
	// Count on every calendar the metric's targets use, so that a priority
	// change to a target on another calendar keeps exact counted time. The
	// positions come from the policy's shared cache: one lookup per
	// calendar and entry, whatever the number of metrics.
	// (The counts move at once: cross reads x.counted and x.mark, not
	// x.counts, and an error ends the evaluation.)
	d, ok := wallSub(ts, tn, ms, mn) // (Report.sub, with the seconds at hand)
	mono := x.r.mono
	if !ok || mono {
		d = x.r.sub(t, x.mark)
	}
	x.counts[0] += d
	cals := x.m.scaleCal
	if x.allCals {
		// The timeline moves the ticket to other policies: count on every
		// calendar of the set, so a metric carried over keeps exact time.
		cals = setCals[:len(x.r.cals)]
	}
	for _, ci := range cals {
		d, err := x.r.cals[ci].betweenAt(ms, mn, ts, tn)
		if err != nil {
			return err
		}
		x.counts[1+ci] += d
	}
	// x.next is the first threshold not reached (see due), past x.counted
	// (reachHeld): cross has something to record when it is due by the new
	// count.
	sc := x.scale()
	if limit := x.counts[sc]; x.due(limit) {
		var err error
		if !mono {
			err = x.cross(ts, tn, ms, mn, inclusive, limit)
		} else {
			err = x.crossTimes(t, inclusive, limit)
		}
		if err != nil {
			return err
		}
	}
	x.counted = x.counts[sc]
	x.mark = t
	return nil
}

// markLater moves x.mark to t when t is after it, in an evaluation with
// monotonic readings (time.Time.After, out of line).
//
//go:noinline
func (x *sim) markLater(t time.Time) {
	if t.After(x.mark) {
		x.mark = t
	}
}

// setCals lists the indexes of a set's calendars (PolicySet.cals), for a
// metric that counts on all of them.
var setCals = func() (a [maxSetCalendars]int) {
	for i := range a {
		a[i] = i
	}
	return a
}()

// reachHeld records, at x.mark, the thresholds x.counted covers that are
// not reached yet: a deadline held back at the mark (see cross), recorded
// once time moves on or the advance is inclusive.
func (x *sim) reachHeld() {
	for ; x.next < x.nThr; x.next++ {
		th := &x.thr[x.next]
		if x.isReached(th) {
			continue
		}
		if th.at > x.counted {
			return
		}
		x.reach(th, x.mark)
	}
}

// due reports whether the next threshold is reached by limit (counted
// time): whether cross (or reachHeld) has anything to record. x.next is
// always the first threshold not reached (or x.nThr): retarget starts it
// there (see firstDue), and cross and reachHeld leave it there.
func (x *sim) due(limit time.Duration) bool {
	return x.next < x.nThr && x.thr[x.next].at <= limit
}

// firstDue moves x.next past the thresholds a retarget finds already
// reached (earlier in the cycle) and reports due(limit).
func (x *sim) firstDue(limit time.Duration) bool {
	for x.next < x.nThr && x.isReached(&x.thr[x.next]) {
		x.next++
	}
	return x.due(limit)
}

// stopCycle stops the clock at t, the cycle met (unless breached).
func (x *sim) stopCycle(t time.Time) error {
	if !x.pauseStart.IsZero() {
		x.endPause(t)
	}
	x.capped = false
	x.active, x.ended = false, true
	x.stopAt = t
	if x.tgt != nil && x.breachedAt.IsZero() {
		d, err := x.add(t, x.total-x.counted)
		if err != nil {
			return err
		}
		x.deadlineStop = d
	}
	x.audit(t, Fulfilled, "")
	return nil
}

// reported is target t as the report shows it: on the ticket's calendar
// when that replaces the default.
func (x *sim) reported(t *ctarget) Target {
	p := t.pub
	if t.def && x.ticketCal != nil && t.cal != nil {
		p.Calendar = x.ticketCalName
	}
	return p
}

// report writes the metric's report at now into out. A started cycle takes
// the short path here; a pending metric, a waiting clock and the rare
// copies of pauses and alerts go out of line (reportPending,
// reportWaiting, nextWaiting, reportPauses, reportAlerts), so that the
// report of a running or stopped clock runs through little code.
func (x *sim) report(now time.Time, out *MetricReport) error {
	*out = MetricReport{}
	m := x.m
	// (The fields that hold pointers side by side, under one test of the
	// write barrier.)
	out.Name, out.Team = m.name, m.team
	out.Kind, out.Cycle, out.Internal, out.TellCustomerOnBreach = m.kind, x.cycle, m.internal, m.tellCustomer
	if x.cycle == 0 {
		x.reportPending(out)
		return nil
	}
	out.Start, out.Priority = x.start, x.tgtPrio
	out.Elapsed = x.counted
	breached := !x.breachedAt.IsZero()
	if t := x.tgt; t != nil {
		// (As reported gives it, field by field: a Target built and copied
		// went through the stack twice.)
		cal := t.pub.Calendar
		if t.def && x.ticketCal != nil && t.cal != nil {
			cal = x.ticketCalName
		}
		out.Target.Calendar, out.Target.Unit, out.Target.Duration, out.Target.Days = cal, t.pub.Unit, t.pub.Duration, t.pub.Days
		out.HasTarget, out.Extension = true, x.extra
		if rem := x.total - x.counted; rem > 0 && !breached {
			out.Remaining = rem
		}
	}
	if x.ended {
		out.Stopped = x.stopAt
	}
	switch {
	case breached:
		out.Status = Breached
		out.BreachedAt, out.Deadline = x.breachedAt, x.breachedAt
		end := now
		if x.ended {
			end = x.stopAt
		}
		out.Late = x.r.sub(end, x.breachedAt)
	case x.cancelled:
		out.Status = Cancelled
	case x.ended:
		out.Status = Met
		out.Deadline = x.deadlineStop
	case x.paused:
		out.Status = Paused
	default:
		out.Status = Running
	}
	if x.active && x.tgt != nil && !breached {
		if err := x.reportDeadline(now, out); err != nil {
			return err
		}
	}
	waiting := x.active && (x.paused || x.capped)
	if waiting {
		x.reportWaiting(out)
	}
	// The cycle's pauses and alerts are the sim's own, which the report
	// points at (a reused report's slices are overwritten, as the sim is),
	// but for a paused clock's current pause and alerts reached
	// escalations before warnings, which reportPauses and reportAlerts
	// copy into the report's scratch.
	if n := x.nPauses; n > 0 || (x.active && x.paused) {
		if x.active && x.paused {
			x.reportPauses(now, out)
		} else {
			out.Pauses = x.pauses[:n:n]
		}
	}
	x.tally()
	out.MetCycles, out.BreachedCycles = x.met, x.missed
	if n := x.nCur; n > 0 {
		// The warnings first, then the escalations, each in the order
		// reached: the nw warnings lead unless one follows an escalation.
		nw, last := 0, -1
		for i, esc := range x.curEsc[:n] {
			if !esc {
				nw, last = nw+1, i
			}
		}
		if last != nw-1 {
			x.reportAlerts(out)
		} else {
			if nw > 0 {
				out.Warnings = x.cur[:nw:nw]
			}
			if nw < n {
				out.Escalations = x.cur[nw:n:n]
			}
		}
	}
	// The next change: a waiting clock's next timed event, or the next
	// threshold of a counting clock.
	if waiting {
		x.r.nextWaiting(now, out)
	}
	if x.active && !x.paused && x.next < x.nThr {
		return x.nextThreshold(now, out)
	}
	return nil
}

// reportDeadline reports the deadline of a clock that has not stopped,
// not breached: when its counted time reaches the target from now, or
// from when a pause limit resumes it. (Out of line, as nextThreshold, so
// that report's own path is short.)
//
//go:noinline
func (x *sim) reportDeadline(now time.Time, out *MetricReport) error {
	from := now
	if x.paused && x.capAt.After(now) {
		from = x.capAt // a limit will resume the clock then
	}
	d, err := x.add(from, x.total-x.counted)
	if err != nil {
		return err
	}
	out.Deadline = d
	return nil
}

// nextThreshold makes the next threshold a counting clock reaches after
// now the report's next change when it comes first.
//
//go:noinline
func (x *sim) nextThreshold(now time.Time, out *MetricReport) error {
	for i := x.next; i < x.nThr; i++ {
		th := &x.thr[i]
		if x.isReached(th) {
			continue
		}
		// The deadline (the most common next threshold) is out.Deadline,
		// worked out from now for a running clock not breached.
		at := out.Deadline
		if th.at != x.total || !x.breachedAt.IsZero() {
			var err error
			if at, err = x.add(now, th.at-x.counted); err != nil {
				if x.beyondCalendar(th, err) {
					break
				}
				return err
			}
		}
		if x.r.NextChange.IsZero() || at.Before(x.r.NextChange) {
			x.r.NextChange = at
		}
		break
	}
	return nil
}

// reportPending reports a metric whose clock has not started: the target
// it would start with.
func (x *sim) reportPending(out *MetricReport) {
	out.Status = Pending
	out.Priority = x.prio
	if t := x.lookup(); t != nil {
		out.HasTarget, out.Target = true, x.reported(t)
	}
}

// reportWaiting reports why and since when a waiting clock (paused, or
// resumed by a limit while the ticket still waits) waits, when to chase
// and when the ticket may close. (Not inlined: a waiting clock is the
// rarer case, kept off report's path.)
//
//go:noinline
func (x *sim) reportWaiting(out *MetricReport) {
	if x.paused {
		out.PauseReason, out.PausedSince = x.pauseReason, x.pauseStart
		out.ResumesAt = x.capAt
	}
	if !x.chased {
		out.ChaseAt = x.chaseAt
	}
	if !x.aClos {
		out.AutoCloseAt = x.autoCloseAt
	}
}

// nextWaiting makes the earliest timed event of a waiting clock after now
// the report's next change when it comes first.
func (r *Report) nextWaiting(now time.Time, out *MetricReport) {
	for _, at := range [3]time.Time{out.ChaseAt, out.AutoCloseAt, out.ResumesAt} {
		if at.After(now) && (r.NextChange.IsZero() || at.Before(r.NextChange)) {
			r.NextChange = at
		}
	}
}

// reportPauses reports the paused time by reason of a paused clock's
// cycle, its current pause up to now included.
func (x *sim) reportPauses(now time.Time, out *MetricReport) {
	r := x.r
	base := len(r.pauses)
	r.pauses = append(r.pauses, x.pauses[:x.nPauses]...)
	if !x.pauseStart.IsZero() {
		pt := PauseTotal{Reason: x.pauseReason, Duration: r.sub(now, x.pauseStart)}
		merged := false
		for i := base; i < len(r.pauses); i++ {
			if r.pauses[i].Reason == pt.Reason {
				r.pauses[i].Duration += pt.Duration
				merged = true
			}
		}
		if !merged {
			r.pauses = append(r.pauses, pt)
		}
	}
	if end := len(r.pauses); end > base {
		out.Pauses = r.pauses[base:end:end]
	}
}

// reportAlerts reports the alerts of the current cycle, warnings, then
// escalations, each in the order reached, when a warning was reached after
// an escalation: in order, copied into the report's scratch.
func (x *sim) reportAlerts(out *MetricReport) {
	r := x.r
	base := len(r.alerts)
	for i := range x.nCur {
		if !x.curEsc[i] {
			r.alerts = append(r.alerts, x.cur[i])
		}
	}
	mid := len(r.alerts)
	for i := range x.nCur {
		if x.curEsc[i] {
			r.alerts = append(r.alerts, x.cur[i])
		}
	}
	end := len(r.alerts)
	if mid > base {
		out.Warnings = r.alerts[base:mid:mid]
	}
	if end > mid {
		out.Escalations = r.alerts[mid:end:end]
	}
}

// Match returns the policy that applies to a ticket with attributes a under
// the versions in force at the instant at: the first policy in force whose
// conditions hold. ok is false when none does. A host pins the result to
// the ticket ([Options.Policy], Version and Fingerprint) so that later
// evaluations use exactly that version and detect an edit in place.
func (s *PolicySet) Match(a Attributes, at time.Time) (pin PolicyPin, ok bool) {
	if e := s.entitlementFor(&a, at); e != nil {
		for _, q := range s.policies {
			if q.name == e.policy && q.inForce(at) {
				return PolicyPin{Policy: q.name, Version: q.version, Fingerprint: q.fp, Entitlement: e.name, Calendar: e.calendarName}, true
			}
		}
	}
	for _, q := range s.policies {
		if q.inForce(at) && q.matches(&a) {
			return PolicyPin{Policy: q.name, Version: q.version, Fingerprint: q.fp}, true
		}
	}
	return PolicyPin{}, false
}

// CheckPin reports whether the set still has the pinned policy version with
// the same content: nil if so, a *[PolicyChangedError] if its content changed,
// and an error wrapping [ErrNoPolicy] if the set no longer has that version.
func (s *PolicySet) CheckPin(pin PolicyPin) error {
	for _, q := range s.policies {
		if q.name == pin.Policy && q.version == pin.Version {
			if pin.Fingerprint != "" && pin.Fingerprint != q.fp {
				return &PolicyChangedError{Policy: q.name, Version: q.version, Pinned: pin.Fingerprint, Current: q.fp}
			}
			return nil
		}
	}
	return fmt.Errorf("sla: %w: %q version %d", ErrNoPolicy, pin.Policy, pin.Version)
}
