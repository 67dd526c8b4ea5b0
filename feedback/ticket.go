package feedback

import (
	"errors"
	"fmt"
	"maps"
	"reflect"
	"slices"
	"time"

	"github.com/closeloop/closeloop/sla"
)

// Ticket is one piece of customer feedback on its way round the closed loop.
//
// A ticket is plain data the host stores (as a JSON snapshot, or field by
// field in its own record). Every field is a function of History:
// [Rules.Replay] rebuilds an identical ticket from the events alone. Change a
// ticket only through [Rules.Fire], which appends exactly one event per
// accepted change and leaves the ticket untouched when it returns an error.
//
// Beside its fields a ticket carries, unexported, the evaluated state of its
// SLA clocks after its last event, so that a change, a check or a report
// costs the same at the hundredth event as at the tenth. It is derived from
// History (Open, Fire, Replay and Restore keep it; [Ticket.Clone] copies it)
// and never part of a snapshot. A ticket decoded from JSON has none: its next
// change rebuilds it from the whole history, and reads before then (SLA, Check,
// Deadline) evaluate the whole history each time without keeping anything.
type Ticket struct {
	// ID is the host's identifier of the feedback ("F20240301001").
	ID string `json:"id"`
	// Version counts the events applied so far; it equals the Seq of the last event.
	Version int64 `json:"version"`
	// State is the lifecycle state.
	State State `json:"state"`
	// Node is the customer-facing progress node while work is under way.
	Node string `json:"node,omitempty"`
	// Opened is when the feedback was received (UTC).
	Opened time.Time `json:"opened"`
	// Updated is the instant of the last event (UTC).
	Updated time.Time `json:"updated"`
	// RulesVersion is the version of the rules in force when the ticket was
	// opened; SLA evaluation stays pinned to it.
	RulesVersion string `json:"rules_version,omitempty"`
	// Customer identifies the customer.
	Customer string `json:"customer,omitempty"`
	// Channel is where the feedback came in ("phone", "wechat", ...).
	Channel string `json:"channel,omitempty"`
	// Category is the taxonomy category, set at opening or at triage.
	Category string `json:"category,omitempty"`
	// Calendar names the business calendar of the ticket's deadlines.
	Calendar string `json:"calendar,omitempty"`
	// Attributes are the host's own facts about the ticket (segment, region, ...).
	Attributes map[string]string `json:"attributes,omitempty"`
	// Priority is the level "P0".."P3" set at the last triage.
	Priority string `json:"priority,omitempty"`
	// PriorityReasons explains how the priority was reached.
	PriorityReasons []string `json:"priority_reasons,omitempty"`
	// Team and Owner say who handles the ticket.
	Team  string `json:"team,omitempty"`
	Owner string `json:"owner,omitempty"`
	// SLAPolicy is the SLA policy version the ticket is ruled by, with a
	// fingerprint of its content: matched at opening and at every triage
	// (a new priority or category may select another policy) under the
	// versions in force at RuledAt, and changed otherwise only by the
	// rerule trigger. Evaluation uses exactly this version, and refuses
	// ([sla.ErrPolicyChanged]) when its content was edited in place. Nil when
	// the rules hold no SLA policy for the ticket.
	//
	// The ticket stores no deadline: its deadlines are what its SLA report
	// says at the instant asked ([Rules.Deadline], [Rules.SLA]), since pauses
	// move them while the ticket waits.
	SLAPolicy *sla.PolicyPin `json:"sla_policy,omitempty"`
	// RuledAt is the instant whose policy versions rule the ticket: its
	// opening, or its last rerule.
	RuledAt time.Time `json:"ruled_at,omitzero"`
	// PendingDelay is a delay request awaiting approval.
	PendingDelay *TicketDelay `json:"pending_delay,omitempty"`
	// Delays lists the approved delay requests, oldest first.
	Delays []TicketDelay `json:"delays,omitempty"`
	// Resolution is the note given when the ticket was last resolved.
	Resolution string `json:"resolution,omitempty"`
	// FollowUp is the outcome of the follow-up visit since the last resolution.
	FollowUp *FollowUp `json:"follow_up,omitempty"`
	// ReopenRounds counts how often an unsatisfied follow-up reopened the ticket.
	ReopenRounds int `json:"reopen_rounds,omitempty"`
	// Escalations counts escalations (each raises the level by one).
	Escalations int `json:"escalations,omitempty"`
	// MergedInto is the ticket this one was merged into.
	MergedInto string `json:"merged_into,omitempty"`
	// Rejection says why the ticket was rejected.
	Rejection *Rejection `json:"rejection,omitempty"`
	// Compensation is the option the customer chose.
	Compensation *CompensationChoice `json:"compensation,omitempty"`
	// Tasks are the internal tasks requested from other teams, in the order
	// requested (a feasibility report, a root-cause analysis); their clocks
	// are the internal targets of the ticket's SLA policy.
	Tasks []Task `json:"tasks,omitempty"`
	// History is the append-only log of every accepted change.
	History []Event `json:"history"`

	// sla caches the evaluated state of the ticket's SLA clocks after its
	// last event, so that a change costs the same at the hundredth event as
	// at the tenth. It is derived from History, kept up to date by Open,
	// Fire and Replay, and not part of the snapshot.
	sla *slaMemo
	// scratch is Fire's working space; zero between calls.
	scratch call
}

// Opening is what the host knows when a piece of feedback arrives.
type Opening struct {
	// ID is the ticket's identifier; required.
	ID string `json:"id"`
	// At is when the feedback was received; required.
	At time.Time `json:"at"`
	// Actor is who registered it (an agent, "system", a channel bot); required.
	Actor string `json:"actor"`
	// Customer identifies the customer.
	Customer string `json:"customer,omitempty"`
	// Channel is where the feedback came in ("phone", "wechat", ...).
	Channel string `json:"channel,omitempty"`
	// Category is the taxonomy category, if already known.
	Category string `json:"category,omitempty"`
	// Calendar names the business calendar; the rules' default when empty.
	Calendar string `json:"calendar,omitempty"`
	// Attributes are the host's own facts ("kind", "tier", "tags", ...);
	// SLA policies match on them.
	Attributes map[string]string `json:"attributes,omitempty"`
	// RulesVersion is filled in by Open with the version of the rules in force.
	RulesVersion string `json:"rules_version,omitempty"`
}

// Change is one thing that happens to a ticket: a trigger fired by an actor at
// an instant, with the data the trigger needs.
type Change struct {
	// Trigger names what happens.
	Trigger Trigger `json:"trigger"`
	// Version is the ticket version the caller saw. A change against any other
	// version is refused with a *[StaleVersionError] (optimistic concurrency).
	Version int64 `json:"version"`
	// At is when it happened; it may not be earlier than the ticket's last event.
	At time.Time `json:"at"`
	// Actor is who did it.
	Actor string `json:"actor"`
	// Payload carries the trigger's data.
	Payload Payload `json:"payload"`
}

// Payload is the data of a change and of the event it becomes. Each trigger
// reads the fields it needs and ignores the rest.
type Payload struct {
	// Note is free text; resolve takes the resolution here.
	Note string `json:"note,omitempty"`
	// Reason explains an escalation, a wait, a rejection or a refused delay.
	Reason string `json:"reason,omitempty"`
	// Category re-classifies the ticket at triage.
	Category string `json:"category,omitempty"`
	// Priority is a level "P0".."P3" given by hand at triage; the event
	// records the level the triage settled on.
	Priority string `json:"priority,omitempty"`
	// PriorityInput asks triage to score the priority with the rules.
	PriorityInput *PriorityInput `json:"priority_input,omitempty"`
	// PriorityReasons is filled in by triage: how the level was reached.
	PriorityReasons []string `json:"priority_reasons,omitempty"`
	// Deadline, at triage, is a resolution deadline the host sets for this
	// ticket: an explicit per-ticket target override, recorded in history.
	// When the ticket's SLA policy has a resolution clock, that clock's
	// running cycle falls due at this instant (as after an approved delay);
	// otherwise it is the ticket's deadline. It must be after the change.
	Deadline time.Time `json:"deadline,omitzero"`
	// SLAPolicy is filled in by open, triage and rerule: the SLA policy the
	// ticket is ruled by from this event on (see [Ticket.SLAPolicy]).
	SLAPolicy *sla.PolicyPin `json:"sla_policy,omitempty"`
	// Team and Owner are set by assign. Assign without a team routes the
	// ticket by the rules' routing and records the rule in RoutedBy.
	Team     string `json:"team,omitempty"`
	Owner    string `json:"owner,omitempty"`
	RoutedBy string `json:"routed_by,omitempty"`
	// Node is the progress node for progress.
	Node string `json:"node,omitempty"`
	// FollowUp is the outcome for record_follow_up.
	FollowUp *FollowUp `json:"follow_up,omitempty"`
	// MergeInto names the surviving ticket for merge.
	MergeInto string `json:"merge_into,omitempty"`
	// Rejection is [RejectInvalid] or [RejectSpam] for reject.
	Rejection string `json:"rejection,omitempty"`
	// Delay is the request for request_delay.
	Delay *TicketDelay `json:"delay,omitempty"`
	// Compensation is the customer's choice for choose_compensation.
	Compensation *CompensationChoice `json:"compensation,omitempty"`
	// Opening is the data of the first event.
	Opening *Opening `json:"opening,omitempty"`
	// Task names the internal task for request_task and complete_task.
	Task *TaskRequest `json:"task,omitempty"`
}

// TaskRequest names an internal task in a change.
type TaskRequest struct {
	// Name identifies the task kind ("feasibility_report"): lower-case
	// letters, digits and underscores. The SLA events "<name>_requested"
	// and "<name>_done" start and stop its clock.
	Name string `json:"name"`
	// Team is the team asked to do it.
	Team string `json:"team,omitempty"`
}

// Task is an internal task of a ticket: requested from a team, done or not.
type Task struct {
	Name        string    `json:"name"`
	Team        string    `json:"team,omitempty"`
	RequestedAt time.Time `json:"requested_at"`
	RequestedBy string    `json:"requested_by"`
	DoneAt      time.Time `json:"done_at,omitzero"`
	DoneBy      string    `json:"done_by,omitempty"`
}

// openTask returns the index of the open task called name, or -1.
func (t *Ticket) openTask(name string) int {
	for i := range t.Tasks {
		if t.Tasks[i].Name == name && t.Tasks[i].DoneAt.IsZero() {
			return i
		}
	}
	return -1
}

// PriorityInput are the documents' three priority inputs (impact, urgency,
// severity) plus customer tier, counts and flags, scored by the rules'
// priority scoring (package priority) at triage. Zero means "not given".
type PriorityInput struct {
	// Impact, Urgency, Severity and Tier are levels on the rules' scales.
	Impact   int `json:"impact,omitempty"`
	Urgency  int `json:"urgency,omitempty"`
	Severity int `json:"severity,omitempty"`
	Tier     int `json:"tier,omitempty"`
	// Affected counts the customers (units, orders) affected; Business is the
	// business volume affected, in the rules' unit.
	Affected int64 `json:"affected,omitempty"`
	Business int64 `json:"business,omitempty"`
	// Flags are priority flag names ("personal_safety", "major_property_loss",
	// "legal_risk", "core_function", "repeated_fault").
	Flags []string `json:"flags,omitempty"`
}

// FollowUp is the outcome of a follow-up visit.
type FollowUp struct {
	// Resolved is the customer's answer to "is the problem solved?".
	Resolved bool `json:"resolved"`
	// Score is the satisfaction score on 1..MaxScore.
	Score int `json:"score"`
	// Comment is the customer's own words.
	Comment string `json:"comment,omitempty"`
	// Satisfied is decided when the outcome is recorded: resolved and score ≥ SatisfiedScore.
	Satisfied bool `json:"satisfied"`
}

// TicketDelay is a request to move a ticket's deadline (document 002 step 4:
// filed at least one working day before the deadline, with reason and new
// plan, and approved or rejected).
type TicketDelay struct {
	// Reason says why the deadline cannot be met.
	Reason string `json:"reason"`
	// Plan is the new plan of work.
	Plan string `json:"plan"`
	// NewDeadline is the requested deadline; it must be later than the current one.
	NewDeadline time.Time `json:"new_deadline"`
	// RequestedAt and RequestedBy are filled in when the request is recorded.
	RequestedAt time.Time `json:"requested_at,omitzero"`
	RequestedBy string    `json:"requested_by,omitempty"`
	// DecidedBy is filled in when the request is approved.
	DecidedBy string `json:"decided_by,omitempty"`
}

// Rejection kinds.
const (
	RejectInvalid = "invalid"
	RejectSpam    = "spam"
)

// Rejection says why a ticket was rejected.
type Rejection struct {
	// Kind is [RejectInvalid] or [RejectSpam].
	Kind string `json:"kind"`
	// Reason is the explanation given.
	Reason string `json:"reason"`
}

// CompensationChoice records the option of an offer the customer chose
// (build it with [CompensationChoiceFrom] from a compensation.Settlement).
type CompensationChoice struct {
	// Policy names the compensation policy that made the offer.
	Policy string `json:"policy,omitempty"`
	// Option identifies the chosen option of the offer ("voucher", "extended_warranty").
	Option string `json:"option"`
	// Kind is the option's kind (cash, credit, voucher, points, service_days, service).
	Kind string `json:"kind,omitempty"`
	// Amount is the option's value as an exact decimal string ("50.00"), if money.
	Amount string `json:"amount,omitempty"`
	// Currency is the ISO 4217 code of Amount.
	Currency string `json:"currency,omitempty"`
	// Quantity is the value of an option that is not money ("500 points", "90 days").
	Quantity string `json:"quantity,omitempty"`
	// Status is "granted" or "pending_approval".
	Status string `json:"status,omitempty"`
	// ValidUntil is when a voucher expires.
	ValidUntil time.Time `json:"valid_until,omitzero"`
	// Alternatives are the options the customer did not choose.
	Alternatives []string `json:"alternatives,omitempty"`
	// Explanation says which tier and cap applied, as the offer stated it.
	Explanation []string `json:"explanation,omitempty"`
}

// Errors. Test them with [errors.Is]; the typed errors below carry the detail.
var (
	// ErrTriggerNotPermitted: the state has no transition for the trigger.
	ErrTriggerNotPermitted = errors.New("trigger not permitted in this state")
	// ErrGuardUnmet: the state has a transition for the trigger but a guard does not hold.
	ErrGuardUnmet = errors.New("guard not met")
	// ErrUnknownTrigger: the lifecycle has no such trigger.
	ErrUnknownTrigger = errors.New("unknown trigger")
	// ErrUnknownState: the ticket is in a state the lifecycle does not have.
	ErrUnknownState = errors.New("unknown state")
	// ErrStaleVersion: the change was made against an older (or newer) version of the ticket.
	ErrStaleVersion = errors.New("stale ticket version")
	// ErrInvalidChange: the change lacks an instant or an actor, or goes back in time.
	ErrInvalidChange = errors.New("invalid change")
	// ErrInvalidTicket: a ticket, snapshot or history is inconsistent.
	ErrInvalidTicket = errors.New("invalid ticket")
	// ErrLifecycleBroken: the state machine library failed unexpectedly.
	ErrLifecycleBroken = errors.New("lifecycle machine failure")
)

// TransitionError is returned when a ticket's state does not accept a trigger.
// The ticket is unchanged.
type TransitionError struct {
	// State is the ticket's state.
	State State
	// Trigger is the refused trigger.
	Trigger Trigger
	// UnmetGuards names the guards that do not hold (empty when the state has
	// no transition for the trigger at all).
	UnmetGuards []string
	// Err is [ErrTriggerNotPermitted], [ErrGuardUnmet], [ErrUnknownTrigger] or
	// [ErrLifecycleBroken].
	Err error
	// Cause, when set, is the validation problem behind an unmet guard (a
	// priority input the scoring rules refuse, a calendar that cannot count).
	Cause error
}

// Error describes the refusal.
func (e *TransitionError) Error() string {
	if len(e.UnmetGuards) > 0 {
		if e.Cause != nil {
			return fmt.Sprintf("feedback: trigger %q in state %q: %v: %v: %v", e.Trigger, e.State, e.Err, e.UnmetGuards, e.Cause)
		}
		return fmt.Sprintf("feedback: trigger %q in state %q: %v: %v", e.Trigger, e.State, e.Err, e.UnmetGuards)
	}
	return fmt.Sprintf("feedback: trigger %q in state %q: %v", e.Trigger, e.State, e.Err)
}

// Unwrap returns the sentinel error.
func (e *TransitionError) Unwrap() error { return e.Err }

// StaleVersionError is returned when a change carries a version other than the
// ticket's. The ticket is unchanged; reload it and decide again.
type StaleVersionError struct {
	// Ticket is the ticket's ID.
	Ticket string
	// Have is the ticket's version.
	Have int64
	// Claimed is the version the change was made against.
	Claimed int64
}

// Error describes the conflict.
func (e *StaleVersionError) Error() string {
	return fmt.Sprintf("feedback: ticket %q is at version %d, change was made against version %d", e.Ticket, e.Have, e.Claimed)
}

// Unwrap returns [ErrStaleVersion].
func (e *StaleVersionError) Unwrap() error { return ErrStaleVersion }

// FieldError names a field of a change, an opening or a ticket that is wrong.
type FieldError struct {
	// Field names the field ("at", "actor", "history[3]").
	Field string
	// Err wraps [ErrInvalidChange] or [ErrInvalidTicket].
	Err error
}

// Error names the field and the problem.
func (e *FieldError) Error() string { return fmt.Sprintf("feedback: %s: %v", e.Field, e.Err) }

// Unwrap returns the underlying error.
func (e *FieldError) Unwrap() error { return e.Err }

func fieldErr(field string, sentinel error, format string, args ...any) *FieldError {
	return &FieldError{Field: field, Err: fmt.Errorf("%w: %s", sentinel, fmt.Sprintf(format, args...))}
}

// Clone returns a deep copy of t.
func (t *Ticket) Clone() *Ticket {
	c := *t
	c.Attributes = maps.Clone(t.Attributes)
	c.PriorityReasons = slices.Clone(t.PriorityReasons)
	if t.PendingDelay != nil {
		d := *t.PendingDelay
		c.PendingDelay = &d
	}
	c.Delays = slices.Clone(t.Delays)
	if t.FollowUp != nil {
		f := *t.FollowUp
		c.FollowUp = &f
	}
	if t.Rejection != nil {
		r := *t.Rejection
		c.Rejection = &r
	}
	c.Compensation = t.Compensation.clone()
	c.Tasks = slices.Clone(t.Tasks)
	c.sla = t.sla.clone()
	if t.SLAPolicy != nil {
		p := *t.SLAPolicy
		c.SLAPolicy = &p
	}
	c.History = make([]Event, len(t.History))
	for i, e := range t.History {
		c.History[i] = e.clone()
	}
	return &c
}

// sameData reports whether t and u hold the same data (their SLA caches
// aside), as a snapshot of each would say.
func (t *Ticket) sameData(u *Ticket) bool {
	a, b := *t, *u
	a.sla, b.sla = nil, nil
	return reflect.DeepEqual(normalTicket(a), normalTicket(b))
}

// normalTicket maps the values a JSON round trip cannot tell apart (an
// empty slice or map and nil) to one form.
func normalTicket(t Ticket) Ticket {
	if len(t.Attributes) == 0 {
		t.Attributes = nil
	}
	if len(t.PriorityReasons) == 0 {
		t.PriorityReasons = nil
	}
	if len(t.Delays) == 0 {
		t.Delays = nil
	}
	if len(t.Tasks) == 0 {
		t.Tasks = nil
	}
	if len(t.History) == 0 {
		t.History = nil
	} else {
		h := make([]Event, len(t.History))
		for i, ev := range t.History {
			h[i] = ev.clone() // compacts empty lists and maps as the history records them
		}
		t.History = h
	}
	return t
}

func (c *CompensationChoice) clone() *CompensationChoice {
	if c == nil {
		return nil
	}
	out := *c
	out.Explanation = slices.Clone(c.Explanation)
	out.Alternatives = slices.Clone(c.Alternatives)
	return &out
}
