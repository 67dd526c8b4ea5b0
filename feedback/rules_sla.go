package feedback

import (
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/closeloop/closeloop/sla"
)

type slaPolicySet = *sla.PolicySet

// ErrNoSLA is returned by [Rules.SLA] when the rules hold no SLA policies.
var ErrNoSLA = errors.New("feedback: the rules hold no SLA policies")

// compileSLA compiles the "sla" section (an [sla.PolicySetSpec]) against the
// lifecycle's states and the rules' calendars. The states where the
// lifecycle pauses a clock are added to the pause_in list of the metric of
// that name (a metric's name is its kind when it has none), so the
// lifecycle's "pauses" and the policies agree; its terminal states end
// every clock that does not say on_terminal "continue".
func (r *Rules) compileSLA(spec sla.PolicySetSpec) error {
	// The pause states are added to copies: the caller's document stays as
	// it was.
	spec.Policies = slices.Clone(spec.Policies)
	for i := range spec.Policies {
		spec.Policies[i].Metrics = slices.Clone(spec.Policies[i].Metrics)
		for j := range spec.Policies[i].Metrics {
			m := &spec.Policies[i].Metrics[j]
			m.PauseIn = slices.Clip(m.PauseIn)
		}
	}
	lc := r.lifecycle
	for i := range spec.Policies {
		for j := range spec.Policies[i].Metrics {
			m := &spec.Policies[i].Metrics[j]
			name := m.Name
			if name == "" {
				name = m.Kind
			}
			for _, st := range lc.states {
				if st.paused[name] && !slices.Contains(m.PauseIn, string(st.spec.Name)) {
					m.PauseIn = append(m.PauseIn, string(st.spec.Name))
				}
			}
		}
	}
	env := sla.PolicyEnv{States: make([]string, len(lc.states)), Calendars: r.calendars, DefaultCalendar: r.defaultCalendar}
	for i, st := range lc.states {
		env.States[i] = string(st.spec.Name)
		if st.spec.Terminal {
			env.TerminalStates = append(env.TerminalStates, string(st.spec.Name))
		}
	}
	set, err := sla.NewPolicySet(spec, env)
	if err != nil {
		return err
	}
	r.policies = set
	return nil
}

// Policies returns the rules' SLA policy set (nil if none).
func (r *Rules) Policies() *sla.PolicySet { return r.policies }

// SLAAttributes are the facts about t that SLA policies match on: the
// ticket's category, priority and channel, and its "kind", "tier" and
// "tags" (comma-separated) attributes; every attribute is available to
// "attr.<name>" conditions.
func SLAAttributes(t *Ticket) sla.Attributes {
	return sla.Attributes{Kind: t.Attributes["kind"], Category: t.Category, Priority: t.Priority, Channel: t.Channel,
		Tier: t.Attributes["tier"], Tags: ticketTags(t), Attrs: t.Attributes}
}

// ticketTags splits t's comma-separated "tags" attribute.
func ticketTags(t *Ticket) []string {
	var tags []string
	for tag := range strings.SplitSeq(t.Attributes["tags"], ",") {
		if tag = strings.TrimSpace(tag); tag != "" {
			tags = append(tags, tag)
		}
	}
	return tags
}

// Timeline turns t's history into the timeline SLA clocks run on: the
// opening, every state entered, every priority a triage settled on, a
// deadline the host set at triage and every approved delay, a reopening for
// every unsatisfied follow-up that moved the ticket, every progress node
// reached and the events the lifecycle's triggers report.
func (r *Rules) Timeline(t *Ticket) []sla.Entry {
	tl, _ := r.timeline(t)
	return tl
}

func (r *Rules) timeline(t *Ticket) ([]sla.Entry, timelineState) {
	var st timelineState
	return r.appendTimeline(make([]sla.Entry, 0, len(t.History)+4), &st, t.History), st
}

// timelineState is what building a timeline remembers from event to
// event: the progress node reached, the SLA policy pinned, and the one that
// rules from the opening (later pins come as policy switches).
type timelineState struct {
	node    string
	pin     *sla.PolicyPin
	base    *sla.PolicyPin
	rebased bool      // a re-ruling replaced the base: earlier entries changed
	last    time.Time // the instant of the last event
}

// appendTimeline appends the timeline entries of history to out; node is
// the progress node reached before history (updated).
func (r *Rules) appendTimeline(out []sla.Entry, st *timelineState, history []Event) []sla.Entry {
	lc := r.lifecycle
	for _, ev := range history {
		at := ev.At
		if !st.last.IsZero() && at.Equal(st.last) {
			// Another change at the instant of the previous one, whose
			// Fire told the host what fell due then (a deadline at that
			// very instant among it): record that it was seen, so this
			// change cannot undo it (sla.EntryObserved).
			out = append(out, sla.Entry{At: at, Kind: sla.EntryObserved})
		}
		st.last = at
		if ev.Trigger == TriggerOpen {
			out = append(out, sla.Entry{At: at, Kind: sla.EntryState, State: string(ev.To)})
			st.pin, st.base = clonePin(ev.Payload.SLAPolicy), clonePin(ev.Payload.SLAPolicy)
			continue
		}
		if ev.Trigger == TriggerTriage || ev.Trigger == TriggerRerule {
			// Another policy from now on (a new priority or category
			// matched another, or the host re-ruled the ticket): the clocks
			// the policies share keep their counted time (sla.EntryPolicy).
			// The first policy pinned rules from the opening. A policy the
			// rules no longer have as it was (edited in place) cannot be
			// counted under: a re-ruling away from it rules from the
			// opening instead.
			if p := ev.Payload.SLAPolicy; p != nil {
				switch {
				case st.pin == nil:
					st.pin, st.base = clonePin(p), clonePin(p)
				case samePin(p, st.pin):
				case r.policies != nil && r.policies.CheckPin(*st.pin) != nil:
					out = slices.DeleteFunc(out, func(e sla.Entry) bool { return e.Kind == sla.EntryPolicy })
					st.pin, st.base, st.rebased = clonePin(p), clonePin(p), true
				default:
					out = append(out, sla.Entry{At: at, Kind: sla.EntryPolicy, Policy: p.Policy, Version: p.Version, Fingerprint: p.Fingerprint})
					st.pin = clonePin(p)
				}
			}
		}
		if ev.Trigger == TriggerTriage && ev.Payload.Priority != "" {
			out = append(out, sla.Entry{At: at, Kind: sla.EntryPriority, Priority: ev.Payload.Priority})
		}
		for _, name := range lc.spec.Events[ev.Trigger] {
			out = append(out, sla.Entry{At: at, Kind: sla.EntryEvent, Event: name})
		}
		if (ev.Trigger == TriggerRequestTask || ev.Trigger == TriggerCompleteTask) && ev.Payload.Task != nil {
			suffix := "_requested"
			if ev.Trigger == TriggerCompleteTask {
				suffix = "_done"
			}
			out = append(out, sla.Entry{At: at, Kind: sla.EntryEvent, Event: ev.Payload.Task.Name + suffix})
		}
		if (ev.Trigger == TriggerStart || ev.Trigger == TriggerProgress) && ev.Payload.Node != "" && ev.Payload.Node != st.node {
			st.node = ev.Payload.Node
			out = append(out, sla.Entry{At: at, Kind: sla.EntryEvent, Event: st.node})
		}
		if d := committedDeadline(&ev); d.After(at) {
			// A deadline the host set at triage, or an approved delay's new
			// plan, is the new commitment: the resolution clock's running
			// cycle falls due there (sla.EntryDeadline).
			out = append(out, sla.Entry{At: at, Kind: sla.EntryDeadline, Deadline: d})
		}
		if ev.To != ev.From {
			kind := sla.EntryState
			if ev.Trigger == TriggerRecordFollowUp && ev.Payload.FollowUp != nil && !ev.Payload.FollowUp.Satisfied {
				kind = sla.EntryReopen
			}
			out = append(out, sla.Entry{At: at, Kind: kind, State: string(ev.To)})
		}
	}
	return out
}

// committedDeadline is the resolution deadline ev commits to: a deadline
// set at triage or an approved delay's new deadline; zero for other events.
func committedDeadline(ev *Event) time.Time {
	switch {
	case ev.Trigger == TriggerTriage:
		return ev.Payload.Deadline
	case ev.Trigger == TriggerApproveDelay && ev.Payload.Delay != nil:
		return ev.Payload.Delay.NewDeadline
	}
	return time.Time{}
}

// slaOptions are the evaluation options of t: its pinned policy version
// and fingerprint, the instant whose versions rule it, and its calendar.
// Precedence of calendars, decided once: the ticket's calendar replaces
// the policies' default calendar; a target or offset that names its own
// calendar (an internal task on another team's hours) keeps it.
//
// An entitlement (a contract) that chose the ticket's policy brings its
// service hours: they replace the ticket's calendar too.
func slaOptions(t *Ticket, base *sla.PolicyPin) sla.Options {
	o := sla.Options{PinAt: t.RuledAt, Calendar: t.Calendar}
	if o.PinAt.IsZero() {
		o.PinAt = t.Opened
	}
	if p := base; p != nil {
		o.Policy, o.Version, o.Fingerprint, o.Entitlement = p.Policy, p.Version, p.Fingerprint, p.Entitlement
	}
	if p := t.SLAPolicy; p != nil && p.Calendar != "" {
		o.Calendar = p.Calendar // the service hours of the entitlement in force
	}
	return o
}

// SLA evaluates t's service levels at now over its own history, under the
// policy version t is pinned to ([Ticket.SLAPolicy]) and on t's calendar. The
// report says which policy applied and why, each clock's status, deadline
// and remaining time, and the next instant anything changes. A ticket whose
// pinned policy was edited in place is refused with a
// *[sla.PolicyChangedError] ([errors.Is] [sla.ErrPolicyChanged]): fire rerule
// to move it to the rules in hand.
func (r *Rules) SLA(t *Ticket, now time.Time) (*sla.Report, error) {
	rep := new(sla.Report)
	if err := r.SLAInto(rep, t, now); err != nil {
		return nil, err
	}
	return rep, nil
}

// SLAInto is SLA writing into rep, reusing its slices.
func (r *Rules) SLAInto(rep *sla.Report, t *Ticket, now time.Time) error {
	if r.policies == nil {
		return ErrNoSLA
	}
	if m := t.sla; m.fits(r, t) {
		return r.policies.EvaluateFrom(rep, &m.cp, nil, evalAttributes(t), m.timeline, now, slaOptions(t, m.tl.base))
	}
	tl, st := r.timeline(t)
	return r.policies.EvaluateInto(rep, evalAttributes(t), tl, now, slaOptions(t, st.base))
}

// evalAttributes are the attributes t is evaluated with. Tickets open
// without a priority; every priority a triage settled on is a timeline
// entry from its own instant, so thresholds a new priority's target has
// already passed are reached at the triage (as the policy's
// on_priority_change says), not back-dated to a time when nobody knew the
// priority. Conditions still see the current priority.
func evalAttributes(t *Ticket) sla.Attributes {
	a := SLAAttributes(t)
	a.Priority = ""
	return a
}

// slaMemo is the evaluated state of a ticket's SLA clocks after its last
// event: the timeline so far and the clocks' checkpoint ([sla.Checkpoint]).
// The ticket that owns it keeps it up to date as it changes, so that a
// change, a Check or an SLA report evaluates only what is new: the cost of
// a change does not grow with the ticket's history.
type slaMemo struct {
	set      *sla.PolicySet
	events   int           // the history events covered
	tl       timelineState // what the timeline remembers after them
	timeline []sla.Entry
	cp       sla.Checkpoint
}

// fits reports whether m is the state of t's whole history under r.
func (m *slaMemo) fits(r *Rules, t *Ticket) bool {
	return m != nil && m.set == r.policies && m.events == len(t.History) && m.cp.Len() == len(m.timeline)
}

func (m *slaMemo) clone() *slaMemo {
	if m == nil {
		return nil
	}
	c := *m
	c.tl.pin, c.tl.base = clonePin(m.tl.pin), clonePin(m.tl.base)
	c.timeline = slices.Clone(m.timeline)
	c.cp = *m.cp.Clone()
	return &c
}

// remember evaluates t at now (its last event's instant) from its memo,
// extended by the events since, and keeps the new state in t. It is called
// only by the code that owns t ([Rules.Open], [Rules.Fire], [Rules.Replay]).
// rep receives the report at now.
func (r *Rules) remember(rep *sla.Report, t *Ticket) error {
	m := t.sla
	if m == nil || m.set != r.policies || m.events > len(t.History) {
		m = &slaMemo{set: r.policies, timeline: make([]sla.Entry, 0, len(t.History)+8)}
	}
	m.tl.rebased = false
	m.timeline = r.appendTimeline(m.timeline, &m.tl, t.History[m.events:])
	if m.tl.rebased {
		m.cp = sla.Checkpoint{} // entries before the new ones changed: evaluate afresh
	}
	m.events = len(t.History)
	t.sla = m
	err := r.policies.EvaluateFrom(rep, &m.cp, &m.cp, evalAttributes(t), m.timeline, t.Updated, slaOptions(t, m.tl.base))
	if err != nil {
		t.sla = nil
	}
	return err
}

// Deadline returns t's resolution deadline at now, the one value every
// reader uses (the delay-request guard, the customer's promised time,
// effects and KPI records): the deadline of the resolution clock in t's SLA
// report when its policy has one — moved by a deadline set at triage and by
// approved delays, pushed back by pauses — and otherwise the deadline set
// at triage or by the last approved delay. Zero when there is none.
func (r *Rules) Deadline(t *Ticket, now time.Time) (time.Time, error) {
	if r.policies != nil {
		rep, err := r.SLA(t, now)
		if err != nil {
			return time.Time{}, err
		}
		if d, ok := ResolutionDeadline(rep); ok {
			return d, nil
		}
	}
	return hostDeadline(t), nil
}

// ResolutionDeadline returns the deadline of the first resolution clock with
// a target in rep (running, paused, breached or met), in UTC.
func ResolutionDeadline(rep *sla.Report) (time.Time, bool) {
	if rep == nil {
		return time.Time{}, false
	}
	for i := range rep.Metrics {
		m := &rep.Metrics[i]
		if m.Kind == sla.Resolution && m.HasTarget && !m.Deadline.IsZero() {
			return m.Deadline.UTC(), true
		}
	}
	return time.Time{}, false
}

// resolutionOverdue reports whether t's resolution is past its deadline at
// now: its resolution clock breached, or, without one, now after the
// deadline set at triage or by an approved delay.
func (r *Rules) resolutionOverdue(t *Ticket, now time.Time) (bool, error) {
	if r.policies != nil {
		rep, err := r.SLA(t, now)
		if err != nil {
			return false, err
		}
		for i := range rep.Metrics {
			m := &rep.Metrics[i]
			if m.Kind == sla.Resolution && m.HasTarget && !m.Internal {
				return m.Status == sla.Breached, nil
			}
		}
	}
	d := hostDeadline(t)
	return !d.IsZero() && now.After(d), nil
}

// hostDeadline is the last deadline t's history commits to without an SLA
// clock: set at triage or by an approved delay.
func hostDeadline(t *Ticket) time.Time {
	var d time.Time
	for i := range t.History {
		if c := committedDeadline(&t.History[i]); !c.IsZero() {
			d = c
		}
	}
	return d
}

// Check is what a host runs at the instant a [ScheduleCheck] effect named
// (or whenever it likes): it evaluates t's service levels at now and
// returns an effect for every warning, breach and escalation level reached
// in (since, now], and a ScheduleCheck at the next instant after now at
// which anything changes (none once nothing can). since is when the host
// last looked at the ticket (its previous Check, or the [Rules.Open] or
// [Rules.Fire] whose effects it carried out); zero means the ticket's last
// event. A host that passes its previous look never gets an alert twice and
// never misses one, however late it wakes. Effects carry the metric, the alert,
// the level and the cycle, so a host that looks at overlapping windows can
// de-duplicate.
func (r *Rules) Check(t *Ticket, since, now time.Time) ([]Effect, *sla.Report, error) {
	if t == nil {
		return nil, nil, fieldErr("ticket", ErrInvalidTicket, "nil ticket")
	}
	if now.Before(t.Updated) {
		return nil, nil, fieldErr("now", ErrInvalidChange, "check at %v is earlier than the ticket's last event at %v", now.UTC(), t.Updated)
	}
	if since.IsZero() {
		since = t.Updated
	}
	rep, err := r.SLA(t, now)
	if err != nil {
		return nil, nil, err
	}
	var out []Effect
	out = r.alertEffects(out, t, rep, since, now, false, nil)
	out = scheduleEffect(out, t, rep)
	return out, rep, nil
}

// slaEffects are the SLA effects after an event at t.Updated: every alert
// reached at that instant (by the change itself, such as an escalation at
// 0 % of a new cycle or a priority that puts a clock past its target, or
// falling due then) and the next [ScheduleCheck]. With told (see
// Rules.toldKeys), every alert up to that instant the host has not been
// told of is reported instead.
func (r *Rules) slaEffects(out []Effect, t *Ticket, told map[string]bool) []Effect {
	if r.policies == nil {
		return out
	}
	rep := new(sla.Report)
	if err := r.remember(rep, t); err != nil {
		return out
	}
	from := t.Updated
	if told != nil {
		from = time.Time{}
	}
	out = r.alertEffects(out, t, rep, from, t.Updated, true, told)
	return scheduleEffect(out, t, rep)
}

// toldKeys are the keys of the alerts a host following the effects has
// been told of when a change at instant at arrives for t: those of t's
// report reached before at, and those reached at that instant when t's
// last event was at that instant too (its [Rules.Fire] told them). Fire needs
// it when a change moves the ticket to another policy (whose alerts before
// at are news) or follows another change at the same instant.
func (r *Rules) toldKeys(t *Ticket, at time.Time) map[string]bool {
	keys := map[string]bool{}
	rep, err := r.SLA(t, at)
	if err != nil {
		return keys
	}
	for _, e := range r.alertEffects(nil, t, rep, time.Time{}, at, true, nil) {
		if e.At.Before(at) || t.Updated.Equal(at) {
			keys[e.Key()] = true
		}
	}
	return keys
}

// alertEffects appends an effect for every warning, breach and escalation
// in rep's audit whose instant is in (from, to], or [from, to] with
// inclusive, leaving out those whose keys told has (the host was told of
// them already).
func (r *Rules) alertEffects(out []Effect, t *Ticket, rep *sla.Report, from, to time.Time, inclusive bool, told map[string]bool) []Effect {
	for i := range rep.Audit {
		a := &rep.Audit[i]
		if a.At.After(to) || a.At.Before(from) || (!inclusive && a.At.Equal(from)) {
			continue
		}
		e := Effect{Ticket: t.ID, State: t.State, Metric: a.Metric, Cycle: a.Cycle, At: a.At.UTC()}
		switch a.Type {
		case sla.Warned:
			e.Kind, e.Alert = SLAWarning, a.Detail
			e.Reason = a.Metric + ": warning " + a.Detail
		case sla.BreachedDeadline:
			e.Kind = SLABreach
			e.Reason = a.Metric + ": deadline passed"
		case sla.Escalated:
			e.Kind, e.Alert, e.Level = AlertManager, a.Detail, a.Level
			e.Reason = a.Metric + ": " + a.Detail
		case sla.ChaseDue:
			e.Kind, e.Alert = ChaseCustomer, a.Detail
			e.Reason = a.Metric + ": chase the customer (" + a.Detail + ")"
		case sla.AutoCloseDue:
			e.Kind, e.Alert = AutoClose, a.Detail
			e.Reason = a.Metric + ": waited long enough to close (" + a.Detail + ")"
		default:
			continue
		}
		if told[e.Key()] {
			continue
		}
		out = append(out, e)
		if a.Type == sla.BreachedDeadline {
			if m, ok := rep.Metric(a.Metric); ok && m.TellCustomerOnBreach {
				// Overdue work is explained to the customer (document 002 §5.2).
				tell := e
				tell.Kind, tell.Label, tell.Reason = NotifyCustomer, r.stateLabel(t.State), "overdue: "+a.Metric
				out = append(out, tell)
			}
		}
	}
	return out
}

// stateLabel is the customer-facing wording of state s.
func (r *Rules) stateLabel(s State) string {
	if i, ok := r.lifecycle.stateIndex[s]; ok {
		return r.lifecycle.states[i].spec.Label
	}
	return ""
}

func scheduleEffect(out []Effect, t *Ticket, rep *sla.Report) []Effect {
	if rep.NextChange.IsZero() {
		return out
	}
	return append(out, Effect{Kind: ScheduleCheck, Ticket: t.ID, State: t.State, At: rep.NextChange.UTC()})
}

// matchPolicy is the SLA policy that rules t once it has attributes a,
// under the versions in force at the instant at; nil when no policy applies.
func (r *Rules) matchPolicy(a sla.Attributes, at time.Time) *sla.PolicyPin {
	if r.policies == nil {
		return nil
	}
	pin, ok := r.policies.Match(a, at)
	if !ok {
		return nil
	}
	return &pin
}

// checkPin reports whether the rules still have t's pinned policy version,
// unchanged.
func (r *Rules) checkPin(t *Ticket) error {
	if r.policies == nil || t.SLAPolicy == nil {
		return nil
	}
	return r.policies.CheckPin(*t.SLAPolicy)
}
