package feedback

import "time"

// EffectKind says what the host should do.
type EffectKind string

// Effect kinds.
const (
	// NotifyCustomer: tell the customer the ticket reached a customer-facing
	// state or progress node (SMS, app push, e-mail: the host's choice).
	NotifyCustomer EffectKind = "notify_customer"
	// AlertManager: the ticket was escalated, by entering an escalation
	// state or by an SLA clock reaching an escalation level (Metric, Alert,
	// Level and Cycle say which); tell the people that level names.
	AlertManager EffectKind = "alert_manager"
	// SLAWarning: an SLA clock reached a warning (Metric, Alert, Cycle):
	// remind the owner before the deadline.
	SLAWarning EffectKind = "sla_warning"
	// SLABreach: an SLA clock passed its deadline without stopping (Metric,
	// Cycle; At is the deadline).
	SLABreach EffectKind = "sla_breach"
	// ChaseCustomer: the ticket has waited on the customer as long as the
	// policy's pause limit says before a reminder (Metric, Cycle; Reason
	// names the pause).
	ChaseCustomer EffectKind = "chase_customer"
	// AutoClose: the ticket has waited as long as the policy's pause limit
	// allows; the host may close it for want of an answer (the library
	// changes nothing by itself).
	AutoClose EffectKind = "auto_close"
	// ScheduleCheck: call [Rules.Check] at At, the next instant at which the
	// ticket's SLA report changes (a warning, breach or escalation falls
	// due), instead of polling. Always after the instant of the call that
	// returned it; absent once nothing can change. A later schedule
	// replaces an earlier one.
	ScheduleCheck EffectKind = "schedule_check"
)

// Effect is something the host should do after a change. The library sends
// nothing itself.
type Effect struct {
	// Kind says what to do.
	Kind EffectKind `json:"kind"`
	// Ticket is the ticket's ID.
	Ticket string `json:"ticket"`
	// State and Label: the state entered and its customer-facing wording.
	State State  `json:"state,omitempty"`
	Label string `json:"label,omitempty"`
	// Node is the progress node reached ([NotifyCustomer]).
	Node string `json:"node,omitempty"`
	// Level is the escalation level reached ([AlertManager]).
	Level int `json:"level,omitempty"`
	// Metric, Alert and Cycle identify an SLA alert ([SLAWarning], [SLABreach],
	// [AlertManager] from a clock): the metric, the warning or escalation
	// level's name, and the clock's 1-based cycle. With Kind they are the
	// alert's identity, for de-duplication ([Effect.Key]).
	Metric string `json:"metric,omitempty"`
	Alert  string `json:"alert,omitempty"`
	Cycle  int    `json:"cycle,omitempty"`
	// Reason is the escalation's reason ([AlertManager]), or what a
	// [NotifyCustomer] is about when it is not a state or node.
	Reason string `json:"reason,omitempty"`
	// At is when to check again ([ScheduleCheck]), the instant an SLA alert
	// was reached, or the new deadline a [NotifyCustomer] about an approved
	// delay announces.
	At time.Time `json:"at,omitzero"`
}

// Key identifies an SLA alert effect across calls ("ticket/metric/cycle/
// kind/alert"), so that a host looking at overlapping windows sends it
// once; empty for other effects.
func (e Effect) Key() string {
	if e.Metric == "" {
		return ""
	}
	return e.Ticket + "/" + e.Metric + "/" + itoa(e.Cycle) + "/" + string(e.Kind) + "/" + e.Alert
}

// effects lists what the host should do after the ticket's last event;
// prevNode is the progress node before it, state the index of the state
// it entered, and moved says whether it entered that state from another.
//
// told, when the change moved the ticket to another SLA policy or followed
// another change at the same instant, holds the keys of the alerts the host
// was told of already (Rules.toldKeys): every other alert up to now is
// reported, so a new policy's alerts before now come as news (recognised
// now, reached earlier) and none comes twice.
//
// The effects are appended to buf (empty, nil or room the caller gave); an
// empty list is returned as nil.
func (r *Rules) effects(buf []Effect, prevNode string, after *Ticket, state int, moved bool, told map[string]bool) []Effect {
	out := r.appendEffects(buf, prevNode, after, state, moved, told)
	if len(out) == 0 {
		return nil
	}
	return out
}

func (r *Rules) appendEffects(out []Effect, prevNode string, after *Ticket, state int, moved bool, told map[string]bool) []Effect {
	ev := &after.History[len(after.History)-1]
	st := &r.lifecycle.states[state].spec
	if moved && st.Notify {
		out = append(out, Effect{Kind: NotifyCustomer, Ticket: after.ID, State: after.State, Label: st.Label})
	}
	if after.Node != prevNode && after.Node != "" {
		out = append(out, Effect{Kind: NotifyCustomer, Ticket: after.ID, State: after.State, Label: st.Label, Node: after.Node})
	}
	if ev.Trigger == TriggerApproveDelay && ev.Payload.Delay != nil {
		out = append(out, Effect{Kind: NotifyCustomer, Ticket: after.ID, State: after.State, Label: st.Label,
			Reason: "delay approved: new deadline", At: ev.Payload.Delay.NewDeadline})
	}
	if moved && st.Escalation {
		reason := ev.Payload.Reason
		if reason == "" && ev.Trigger == TriggerRecordFollowUp {
			reason = "follow-up unsatisfied after the reopen limit"
		}
		out = append(out, Effect{Kind: AlertManager, Ticket: after.ID, State: after.State, Level: after.Escalations, Reason: reason})
	}
	if r.policies == nil {
		return out
	}
	return r.slaEffects(out, after, told)
}
