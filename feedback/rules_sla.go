package feedback

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"
	"time"

	"github.com/closeloop/closeloop/internal/rulesjson"
	"github.com/closeloop/closeloop/sla"
)

type slaPolicySet = *sla.PolicySet

// ErrNoSLA is returned by Rules.SLA when the rules hold no SLA policies.
var ErrNoSLA = errors.New("feedback: the rules hold no SLA policies")

// compileSLA compiles the "sla" section (an sla.PolicySetSpec) against the
// lifecycle's states and the rules' calendars. The states where the
// lifecycle pauses a clock are added to the pause_in list of the metric of
// that name (a metric's name is its kind when it has none), so the
// lifecycle's "pauses" and the policies agree.
func (r *Rules) compileSLA(raw json.RawMessage) error {
	var spec sla.PolicySetSpec
	if err := rulesjson.Decode(raw, &spec); err != nil {
		return err
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
	for _, tag := range strings.Split(t.Attributes["tags"], ",") {
		if tag = strings.TrimSpace(tag); tag != "" {
			tags = append(tags, tag)
		}
	}
	return tags
}

// Timeline turns t's history into the timeline SLA clocks run on: the
// opening, every state entered, every priority a triage settled on, a
// reopening for every unsatisfied follow-up that moved the ticket, every
// progress node reached and the events the lifecycle's triggers report.
func (r *Rules) Timeline(t *Ticket) []sla.Entry {
	return r.appendTimeline(make([]sla.Entry, 0, len(t.History)+4), t.History)
}

func (r *Rules) appendTimeline(out []sla.Entry, history []Event) []sla.Entry {
	lc := r.lifecycle
	node := ""
	for _, ev := range history {
		at := ev.At
		if ev.Trigger == TriggerOpen {
			out = append(out, sla.Entry{At: at, Kind: sla.EntryState, State: string(ev.To)})
			continue
		}
		if ev.Trigger == TriggerTriage && ev.Payload.Priority != "" {
			out = append(out, sla.Entry{At: at, Kind: sla.EntryPriority, Priority: ev.Payload.Priority})
		}
		for _, name := range lc.spec.Events[ev.Trigger] {
			out = append(out, sla.Entry{At: at, Kind: sla.EntryEvent, Event: name})
		}
		if (ev.Trigger == TriggerStart || ev.Trigger == TriggerProgress) && ev.Payload.Node != "" && ev.Payload.Node != node {
			node = ev.Payload.Node
			out = append(out, sla.Entry{At: at, Kind: sla.EntryEvent, Event: node})
		}
		if ev.Trigger == TriggerApproveDelay && ev.Payload.Delay != nil && ev.Payload.Delay.NewDeadline.After(at) {
			// The approved plan is the new commitment: the resolution clock's
			// running cycle is due at the new deadline (sla.EntryDeadline).
			out = append(out, sla.Entry{At: at, Kind: sla.EntryDeadline, Deadline: ev.Payload.Delay.NewDeadline})
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

// SLA evaluates t's service levels at now over its own history, pinned to
// the policy versions in force when t was opened. The report says which
// policy applied and why, each clock's status, deadline and remaining time,
// and the next instant anything changes.
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
	return r.policies.EvaluateInto(rep, SLAAttributes(t), r.Timeline(t), now, sla.Options{PinAt: t.Opened})
}

// Check is what a host runs at the instant a ScheduleCheck effect named: it
// evaluates t's service levels at now and returns an AlertManager effect for
// every escalation level reached in a clock's current cycle (the host
// de-duplicates by metric, level and cycle) and the next ScheduleCheck.
func (r *Rules) Check(t *Ticket, now time.Time) ([]Effect, *sla.Report, error) {
	rep, err := r.SLA(t, now)
	if err != nil {
		return nil, nil, err
	}
	var out []Effect
	for _, m := range rep.Metrics {
		for i, e := range m.Escalations {
			out = append(out, Effect{Kind: AlertManager, Ticket: t.ID, State: t.State, Level: i + 1,
				Reason: m.Name + ": " + e.Name, At: e.At})
		}
	}
	if at, ok := r.nextCheck(t); ok && !at.Before(now) {
		out = append(out, Effect{Kind: ScheduleCheck, Ticket: t.ID, State: t.State, At: at})
	}
	return out, rep, nil
}

// slaDeadline is the resolution deadline the SLA policies give t once its
// priority is level, evaluated at now; zero if none applies.
func (r *Rules) slaDeadline(t *Ticket, level string, now time.Time) time.Time {
	if r.policies == nil {
		return time.Time{}
	}
	tl := r.appendTimeline(make([]sla.Entry, 0, len(t.History)+4), t.History)
	tl = append(tl, sla.Entry{At: now, Kind: sla.EntryPriority, Priority: level})
	a := SLAAttributes(t)
	a.Priority = ""
	rep, err := r.policies.Evaluate(a, tl, now, sla.Options{PinAt: t.Opened})
	if err != nil {
		return time.Time{}
	}
	for _, m := range rep.Metrics {
		if m.Kind == sla.Resolution && m.HasTarget && (m.Status == sla.Running || m.Status == sla.Paused || m.Status == sla.Breached) {
			return m.Deadline.UTC()
		}
	}
	return time.Time{}
}

// slaNextChange is when t's SLA report next changes, if the rules hold policies.
func (r *Rules) slaNextChange(t *Ticket) (time.Time, bool) {
	if r.policies == nil {
		return time.Time{}, false
	}
	rep, err := r.SLA(t, t.Updated)
	if err != nil || rep.NextChange.IsZero() {
		return time.Time{}, false
	}
	return rep.NextChange.UTC(), true
}

// presetSLA is document 004's service levels (sla preset "enterprise"):
// ordinary feedback 24 h response / 72 h resolution, complex feedback 48 h /
// 5 working days, a delay request due 1 working day before, follow-up within
// a week; counted on the rules' default calendar.
func presetSLA() (json.RawMessage, error) {
	return sla.PresetJSON(sla.PresetEnterprise)
}
