package feedback

import (
	"slices"
	"sort"
	"strings"
)

// Guard names usable in [TransitionSpec.Guards]. Every guard is a pure function
// of the ticket, the change being applied and the compiled rules.
const (
	// GuardPriorityGiven: the change carries a priority (scoring inputs or a level P0..P9).
	GuardPriorityGiven = "priority_given"
	// GuardCategoryKnown: the change gives no category, or one the rules' taxonomy knows.
	GuardCategoryKnown = "category_known"
	// GuardTeamGiven: the change names the team, or the rules' routing finds one.
	GuardTeamGiven = "team_given"
	// GuardProgressNodeKnown: the change names a configured progress node other than the current one.
	GuardProgressNodeKnown = "progress_node_known"
	// GuardReasonGiven: the change carries a reason.
	GuardReasonGiven = "reason_given"
	// GuardNoteGiven: the change carries a note.
	GuardNoteGiven = "note_given"
	// GuardResolutionGiven: the change carries the resolution (in Note).
	GuardResolutionGiven = "resolution_given"
	// GuardOutcomeValid: the change carries a follow-up outcome with a score on the configured scale.
	GuardOutcomeValid = "outcome_valid"
	// GuardCustomerSatisfied: the follow-up says resolved and scores at least the satisfied score.
	GuardCustomerSatisfied = "customer_satisfied"
	// GuardCustomerNotSatisfied: the follow-up says not resolved or scores below the satisfied score.
	GuardCustomerNotSatisfied = "customer_not_satisfied"
	// GuardReopenRoundsLeft: the ticket has been reopened fewer times than the reopen limit.
	GuardReopenRoundsLeft = "reopen_rounds_left"
	// GuardReopenLimitReached: the ticket has been reopened as often as the reopen limit allows.
	GuardReopenLimitReached = "reopen_limit_reached"
	// GuardFollowedUp: a satisfied follow-up has been recorded since the ticket was last resolved.
	GuardFollowedUp = "followed_up"
	// GuardMergeTargetGiven: the change names another ticket to merge into.
	GuardMergeTargetGiven = "merge_target_given"
	// GuardRejectionKindKnown: the change says whether the ticket is "invalid" or "spam".
	GuardRejectionKindKnown = "rejection_kind_known"
	// GuardNoPendingDelay: no delay request awaits a decision.
	GuardNoPendingDelay = "no_pending_delay"
	// GuardDelayPending: a delay request awaits a decision.
	GuardDelayPending = "delay_pending"
	// GuardDelayComplete: the delay request has a reason, a new plan and a new
	// deadline later than the current one ([Rules.Deadline]).
	GuardDelayComplete = "delay_complete"
	// GuardDeadlineSet: the ticket has a resolution deadline ([Rules.Deadline]).
	GuardDeadlineSet = "deadline_set"
	// GuardDelayFiledInTime: the change is made at least DelayNoticeDays working
	// days, on the ticket's calendar, before the ticket's deadline.
	GuardDelayFiledInTime = "delay_filed_in_time"
	// GuardCompensationGiven: the change records the option the customer chose.
	GuardCompensationGiven = "compensation_given"
	// GuardOverdueReasonGiven: when the ticket's resolution is past its
	// deadline ([Rules.Deadline]) at the change, the change carries the
	// reason (document 002 §5.2: overdue work records why).
	GuardOverdueReasonGiven = "overdue_reason_given"
	// GuardTaskGiven: the change names a task (lower-case letters, digits
	// and underscores).
	GuardTaskGiven = "task_given"
	// GuardTaskOpen: the named task was requested and is not done yet.
	GuardTaskOpen = "task_open"
	// GuardTaskNotOpen: the named task is not open already.
	GuardTaskNotOpen = "task_not_open"
)

type guardFunc func(c *call) bool

type namedGuard struct {
	name string
	fn   guardFunc
}

func satisfied(c *call) bool {
	f := c.ev.Payload.FollowUp
	return f != nil && f.Resolved && f.Score >= c.lc.spec.SatisfiedScore
}

func outcomeValid(c *call) bool {
	f := c.ev.Payload.FollowUp
	return f != nil && f.Score >= 1 && f.Score <= c.lc.spec.MaxScore
}

var guardFuncs = map[string]guardFunc{
	GuardPriorityGiven: func(c *call) bool { return c.derived.priority != "" },
	GuardTeamGiven: func(c *call) bool {
		return !blank(c.ev.Payload.Team) || c.derived.team != ""
	},
	GuardCategoryKnown: func(c *call) bool {
		return c.ev.Payload.Category == "" || c.derived.category != ""
	},
	GuardProgressNodeKnown: func(c *call) bool {
		n := c.ev.Payload.Node
		return c.lc.nodes[n] && n != c.ticket.Node
	},
	GuardReasonGiven:          func(c *call) bool { return !blank(c.ev.Payload.Reason) },
	GuardNoteGiven:            func(c *call) bool { return !blank(c.ev.Payload.Note) },
	GuardResolutionGiven:      func(c *call) bool { return !blank(c.ev.Payload.Note) },
	GuardOutcomeValid:         outcomeValid,
	GuardCustomerSatisfied:    satisfied,
	GuardCustomerNotSatisfied: func(c *call) bool { return c.ev.Payload.FollowUp != nil && !satisfied(c) },
	GuardReopenRoundsLeft:     func(c *call) bool { return c.ticket.ReopenRounds < c.lc.spec.ReopenLimit },
	GuardReopenLimitReached:   func(c *call) bool { return c.ticket.ReopenRounds >= c.lc.spec.ReopenLimit },
	GuardFollowedUp: func(c *call) bool {
		f := c.ticket.FollowUp
		return f != nil && f.Satisfied
	},
	GuardMergeTargetGiven: func(c *call) bool {
		m := strings.TrimSpace(c.ev.Payload.MergeInto)
		return m != "" && m != c.ticket.ID
	},
	GuardRejectionKindKnown: func(c *call) bool {
		k := c.ev.Payload.Rejection
		return k == RejectInvalid || k == RejectSpam
	},
	GuardNoPendingDelay: func(c *call) bool { return c.ticket.PendingDelay == nil },
	GuardDelayPending:   func(c *call) bool { return c.ticket.PendingDelay != nil },
	GuardDelayComplete: func(c *call) bool {
		d := c.ev.Payload.Delay
		return d != nil && !blank(d.Reason) && !blank(d.Plan) &&
			!d.NewDeadline.IsZero() && d.NewDeadline.After(c.derived.deadline) && instantOK(d.NewDeadline)
	},
	GuardDeadlineSet:      func(c *call) bool { return !c.derived.deadline.IsZero() },
	GuardDelayFiledInTime: func(c *call) bool { return c.delayInTime },
	GuardCompensationGiven: func(c *call) bool {
		ch := c.ev.Payload.Compensation
		return ch != nil && !blank(ch.Option)
	},
	GuardOverdueReasonGiven: func(c *call) bool {
		return !c.overdue || !blank(c.ev.Payload.Reason)
	},
	GuardTaskGiven: func(c *call) bool {
		tk := c.ev.Payload.Task
		return tk != nil && namePattern.MatchString(tk.Name)
	},
	GuardTaskOpen: func(c *call) bool {
		tk := c.ev.Payload.Task
		return tk != nil && c.ticket.openTask(tk.Name) >= 0
	},
	GuardTaskNotOpen: func(c *call) bool {
		tk := c.ev.Payload.Task
		return tk != nil && c.ticket.openTask(tk.Name) < 0
	},
}

// requiredGuards are the guards every transition of a built-in trigger must
// carry: they make sure the change has the data the trigger records.
var requiredGuards = map[Trigger][]string{
	TriggerTriage:             {GuardPriorityGiven},
	TriggerAssign:             {GuardTeamGiven},
	TriggerProgress:           {GuardProgressNodeKnown},
	TriggerResolve:            {GuardResolutionGiven},
	TriggerRecordFollowUp:     {GuardOutcomeValid},
	TriggerClose:              {GuardFollowedUp},
	TriggerMerge:              {GuardMergeTargetGiven},
	TriggerReject:             {GuardRejectionKindKnown, GuardReasonGiven},
	TriggerRequestDelay:       {GuardDelayComplete},
	TriggerApproveDelay:       {GuardDelayPending},
	TriggerRejectDelay:        {GuardDelayPending},
	TriggerChooseCompensation: {GuardCompensationGiven},
	TriggerRequestTask:        {GuardTaskGiven},
	TriggerCompleteTask:       {GuardTaskGiven, GuardTaskOpen},
}

// exclusivePairs are guards that can never hold together; two transitions for
// the same trigger from the same state must be told apart by one such pair.
var exclusivePairs = [][2]string{
	{GuardCustomerSatisfied, GuardCustomerNotSatisfied},
	{GuardReopenRoundsLeft, GuardReopenLimitReached},
	{GuardNoPendingDelay, GuardDelayPending},
	{GuardTaskOpen, GuardTaskNotOpen},
}

func exclusive(a, b []namedGuard) bool {
	has := func(list []namedGuard, name string) bool {
		return slices.ContainsFunc(list, func(g namedGuard) bool { return g.name == name })
	}
	for _, p := range exclusivePairs {
		if (has(a, p[0]) && has(b, p[1])) || (has(a, p[1]) && has(b, p[0])) {
			return true
		}
	}
	return false
}

// GuardNames returns the names of all guards a lifecycle may use, sorted.
func GuardNames() []string {
	out := make([]string, 0, len(guardFuncs))
	for n := range guardFuncs {
		out = append(out, n)
	}
	sort.Strings(out)
	return out
}
