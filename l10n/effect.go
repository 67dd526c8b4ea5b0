package l10n

import (
	"time"

	"github.com/closeloop/closeloop/feedback"
)

// Effect writes what the host is asked to do, instants in loc (nil: their
// own location):
//
//	notify_customer   "tell the customer: in progress / under repair"
//	alert_manager     "alert level 1: first_response: senior_management (since 03-04 09:30)"
//	                  "alert level 2: escalated: 人身安全：高层介入" (a state's escalation, with its reason)
//	sla_warning       "SLA warning half_time: first_response (since 03-04 09:30)"
//	sla_breach        "SLA breached: resolution, deadline 03-04 10:30"
//	schedule_check    "check again at 2024-03-04 10:00"
//
// The state's label and the node are translated when they are the default
// lifecycle's or a preset's; reasons the library writes itself ("delay
// approved: new deadline") are translated, a person's reason is shown as
// given. A cycle after the first is named ("cycle 2").
func (p *Printer) Effect(e feedback.Effect, loc *time.Location) string {
	switch e.Kind {
	case feedback.NotifyCustomer:
		s := p.Term(e.Label)
		if e.Node != "" {
			s = p.t("effect.node", s, p.Node(e.Node))
		}
		if e.Reason != "" {
			s = p.effectReason(e.Reason)
			if !e.At.IsZero() {
				s += " " + when(e.At, loc, long)
			}
		}
		return p.t("effect.notify", s)
	case feedback.AlertManager:
		if e.Metric == "" {
			s := p.t("effect.escalated", itoa(e.Level))
			if e.Reason != "" {
				s += p.t("effect.because", p.effectReason(e.Reason))
			}
			return s
		}
		return p.t("effect.alert", itoa(e.Level), p.metricCycle(e), p.Name(e.Alert), when(e.At, loc, short))
	case feedback.SLAWarning:
		return p.t("effect.warning", p.Name(e.Alert), p.metricCycle(e), when(e.At, loc, short))
	case feedback.SLABreach:
		return p.t("effect.breach", p.metricCycle(e), when(e.At, loc, short))
	case feedback.ScheduleCheck:
		return p.t("effect.check", when(e.At, loc, long))
	}
	return string(e.Kind)
}

// metricCycle names the effect's metric, with its cycle after the first.
func (p *Printer) metricCycle(e feedback.Effect) string {
	if e.Cycle > 1 {
		return p.t("effect.cycle", p.MetricName(e.Metric), itoa(e.Cycle))
	}
	return p.MetricName(e.Metric)
}

// effectReason translates the reasons package feedback writes itself.
func (p *Printer) effectReason(r string) string {
	switch r {
	case "delay approved: new deadline":
		return p.t("effect.delay_approved")
	case "follow-up unsatisfied after the reopen limit":
		return p.t("effect.reopen_limit")
	}
	return r
}

// State names a ticket state: in Chinese the default lifecycle's states
// are translated ("in_progress" is "处理中"); English, and a host's own
// state, show the state's code, the name rules documents use.
func (p *Printer) State(s feedback.State) string {
	if k, ok := stateKeys[s]; ok {
		return p.t(k)
	}
	return string(s)
}

var stateKeys = map[feedback.State]string{
	feedback.StateReceived: "state.received", feedback.StateTriaged: "state.triaged", feedback.StateAssigned: "state.assigned",
	feedback.StateInProgress: "state.in_progress", feedback.StateWaitingCustomer: "state.waiting_customer",
	feedback.StateWaitingThirdParty: "state.waiting_third_party", feedback.StateEscalated: "state.escalated",
	feedback.StateResolved: "state.resolved", feedback.StateFollowUp: "state.follow_up", feedback.StateReopened: "state.reopened",
	feedback.StateClosed: "state.closed", feedback.StateMerged: "state.merged", feedback.StateRejected: "state.rejected",
}

// Guard says in words what a lifecycle guard requires ("followed_up": "a
// satisfied follow-up since the last resolution"); an unknown
// name is shown as given.
func (p *Printer) Guard(name string) string {
	if k, ok := guardKeys[name]; ok {
		return p.t(k)
	}
	return name
}

var guardKeys = map[string]string{
	feedback.GuardPriorityGiven:        "guard.priority_given",
	feedback.GuardCategoryKnown:        "guard.category_known",
	feedback.GuardTeamGiven:            "guard.team_given",
	feedback.GuardProgressNodeKnown:    "guard.progress_node_known",
	feedback.GuardReasonGiven:          "guard.reason_given",
	feedback.GuardNoteGiven:            "guard.note_given",
	feedback.GuardResolutionGiven:      "guard.resolution_given",
	feedback.GuardOutcomeValid:         "guard.outcome_valid",
	feedback.GuardCustomerSatisfied:    "guard.customer_satisfied",
	feedback.GuardCustomerNotSatisfied: "guard.customer_not_satisfied",
	feedback.GuardReopenRoundsLeft:     "guard.reopen_rounds_left",
	feedback.GuardReopenLimitReached:   "guard.reopen_limit_reached",
	feedback.GuardFollowedUp:           "guard.followed_up",
	feedback.GuardMergeTargetGiven:     "guard.merge_target_given",
	feedback.GuardRejectionKindKnown:   "guard.rejection_kind_known",
	feedback.GuardNoPendingDelay:       "guard.no_pending_delay",
	feedback.GuardDelayPending:         "guard.delay_pending",
	feedback.GuardDelayComplete:        "guard.delay_complete",
	feedback.GuardDeadlineSet:          "guard.deadline_set",
	feedback.GuardDelayFiledInTime:     "guard.delay_filed_in_time",
	feedback.GuardCompensationGiven:    "guard.compensation_given",
	feedback.GuardOverdueReasonGiven:   "guard.overdue_reason_given",
	feedback.GuardTaskGiven:            "guard.task_given",
	feedback.GuardTaskOpen:             "guard.task_open",
	feedback.GuardTaskNotOpen:          "guard.task_not_open",
}
