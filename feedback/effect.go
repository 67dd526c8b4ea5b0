package feedback

import "time"

// EffectKind says what the host should do.
type EffectKind string

// Effect kinds.
const (
	// NotifyCustomer: tell the customer the ticket reached a customer-facing
	// state or progress node (SMS, app push, e-mail: the host's choice).
	NotifyCustomer EffectKind = "notify_customer"
	// AlertManager: the ticket was escalated; tell the manager on duty.
	AlertManager EffectKind = "alert_manager"
	// ScheduleCheck: look at the ticket again at At (the next instant at which
	// its SLA report changes), instead of polling.
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
	// Node is the progress node reached (NotifyCustomer).
	Node string `json:"node,omitempty"`
	// Level is the escalation level reached (AlertManager).
	Level int `json:"level,omitempty"`
	// Reason is the escalation's reason (AlertManager), or what a
	// NotifyCustomer is about when it is not a state or node.
	Reason string `json:"reason,omitempty"`
	// At is when to check again (ScheduleCheck), or the new deadline a
	// NotifyCustomer about an approved delay announces.
	At time.Time `json:"at,omitzero"`
}

// effects lists what the host should do after the ticket's last event;
// prevNode is the progress node before it.
func (r *Rules) effects(prevNode string, after *Ticket) []Effect {
	lc := r.lifecycle
	var out []Effect
	ev := after.History[len(after.History)-1]
	st := lc.states[lc.stateIndex[after.State]].spec
	if ev.From != ev.To && st.Notify {
		out = append(out, Effect{Kind: NotifyCustomer, Ticket: after.ID, State: after.State, Label: st.Label})
	}
	if after.Node != prevNode && after.Node != "" {
		out = append(out, Effect{Kind: NotifyCustomer, Ticket: after.ID, State: after.State, Label: st.Label, Node: after.Node})
	}
	if ev.Trigger == TriggerApproveDelay {
		out = append(out, Effect{Kind: NotifyCustomer, Ticket: after.ID, State: after.State, Label: st.Label,
			Reason: "delay approved: new deadline", At: after.Deadline})
	}
	if ev.From != ev.To && st.Escalation {
		reason := ev.Payload.Reason
		if reason == "" && ev.Trigger == TriggerRecordFollowUp {
			reason = "follow-up unsatisfied after the reopen limit"
		}
		out = append(out, Effect{Kind: AlertManager, Ticket: after.ID, State: after.State, Level: after.Escalations, Reason: reason})
	}
	if at, ok := r.nextCheck(after); ok {
		out = append(out, Effect{Kind: ScheduleCheck, Ticket: after.ID, State: after.State, At: at})
	}
	return out
}
