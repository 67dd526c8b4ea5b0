package sla

import (
	"errors"
	"fmt"
	"strconv"

	"github.com/closeloop/closeloop/internal/rulesjson"
)

// PolicySetSpec is a policy set as data: the JSON document read by
// [ParsePolicySet], or Go values given to [NewPolicySet]. Field names in JSON
// are the snake_case tags.
type PolicySetSpec struct {
	// Name of the set, for messages.
	Name string `json:"name,omitempty"`
	// DefaultCalendar is the calendar (a key of [PolicyEnv.Calendars]) used by
	// business and working-days targets and offsets that name none.
	DefaultCalendar string `json:"default_calendar,omitempty"`
	// Policies in order: the first policy in force whose conditions hold applies.
	Policies []PolicySpec `json:"policies"`
	// Entitlements, checked before the policies' conditions (see
	// [EntitlementSpec]).
	Entitlements []EntitlementSpec `json:"entitlements,omitempty"`
}

// PolicySpec is one version of one policy.
type PolicySpec struct {
	// Name identifies the policy; Name and Version together are unique in a set.
	Name string `json:"name"`
	// Version of the policy, 1 when omitted. Versions of the same name must
	// come into force in increasing order of version.
	Version int `json:"version,omitempty"`
	// EffectiveFrom is the RFC 3339 instant this version comes into force;
	// empty means always. A version stays in force until the next version of
	// the same name comes into force.
	EffectiveFrom string `json:"effective_from,omitempty"`
	// Description is free text for people.
	Description string `json:"description,omitempty"`
	// When holds the conditions on the ticket's attributes; nil matches every ticket.
	When *WhenSpec `json:"when,omitempty"`
	// Metrics the policy measures. In a revision (BasedOn set), each metric
	// listed changes the base version's metric of the same name field by
	// field, or is added when the base has none of that name.
	Metrics []MetricSpec `json:"metrics"`
	// BasedOn, when set, makes this version a revision of version BasedOn of
	// the same name: only what differs is given, and [Revise] fills in the
	// rest from the base (see Revise for the rules). Version must be
	// greater than BasedOn.
	BasedOn int `json:"based_on,omitempty"`
	// RemoveMetrics, in a revision, drops the base's metrics of these names.
	RemoveMetrics []string `json:"remove_metrics,omitempty"`
}

// WhenSpec holds a policy's conditions: every condition of All must hold, and
// when Any is not empty at least one of Any must hold.
type WhenSpec struct {
	All []ConditionSpec `json:"all,omitempty"`
	Any []ConditionSpec `json:"any,omitempty"`
}

// ConditionSpec is one field–operator–value condition.
//
// Fields: "kind", "category", "priority", "channel", "tier", "tags", and
// "attr.<name>" for a custom attribute. Operators:
//
//	eq, ne          the field equals / differs from Value (not for tags)
//	in, not_in      the field is / is not one of Values (tags: any tag is / no tag is)
//	contains        a string field contains Value as a substring; tags: has the tag Value
//	has_tag         tags only: has the tag Value
//	exists          the field is not empty (a custom attribute is present)
//	not_exists      the opposite of exists
//	at_least        priority only: at least as urgent as Value (P0 is the most urgent)
//	at_most         priority only: at most as urgent as Value
type ConditionSpec struct {
	Field  string   `json:"field"`
	Op     string   `json:"op"`
	Value  string   `json:"value,omitempty"`
	Values []string `json:"values,omitempty"`
}

// TargetSpec is a target or an alert offset: Unit "business" or "elapsed" with
// a Duration ("4h", "90m", "3d" where d is 24 hours), or Unit "working_days"
// with Days. Business and working-days targets count on Calendar (a key of
// [PolicyEnv.Calendars]; the set's default calendar when empty).
type TargetSpec struct {
	Unit     string `json:"unit"`
	Duration string `json:"duration,omitempty"`
	Days     int    `json:"days,omitempty"`
	Calendar string `json:"calendar,omitempty"`
}

// TriggerSpec says which timeline entries fire a trigger; any of its parts fires it.
type TriggerSpec struct {
	// Open fires on the first timeline entry (the ticket's opening).
	Open bool `json:"open,omitempty"`
	// Enter fires when the ticket enters one of these states from a state not in the list.
	Enter []string `json:"enter,omitempty"`
	// Leave fires when the ticket leaves these states for a state not in the list.
	Leave []string `json:"leave,omitempty"`
	// Event fires on an event entry with one of these names.
	Event []string `json:"event,omitempty"`
	// Reopen fires on a reopen entry.
	Reopen bool `json:"reopen,omitempty"`
}

// AlertSpec is a warning or an escalation level. Exactly one of Percent,
// Before and After says when it is reached: at a percentage of the target,
// a lead time before the deadline, or an offset after the clock started,
// all measured in the metric's counted time (pauses excluded).
type AlertSpec struct {
	Name    string      `json:"name"`
	Percent float64     `json:"percent,omitempty"`
	Before  *TargetSpec `json:"before,omitempty"`
	After   *TargetSpec `json:"after,omitempty"`
	// AfterDeadline, for escalations, is an offset after the deadline in
	// any unit ("2 business hours after a 5-working-day target").
	AfterDeadline *TargetSpec `json:"after_deadline,omitempty"`
}

// PauseLimitSpec bounds the pauses in one state (a reason): how long a
// pause there may stop the clock, and when the host should chase the
// customer or close the ticket for want of an answer. Each offset runs from
// the moment the clock paused in the state, in its own unit; each is
// optional.
type PauseLimitSpec struct {
	// State is the pause state this limit applies to ("waiting_customer").
	State string `json:"state"`
	// Max: the pause stops the clock for at most this long; then the clock
	// resumes although the ticket still waits ("waiting on the customer
	// counts at most 3 working days").
	Max *TargetSpec `json:"max,omitempty"`
	// ChaseAfter: when to remind the customer (a chase_customer effect).
	ChaseAfter *TargetSpec `json:"chase_after,omitempty"`
	// AutoCloseAfter: when the ticket may be closed for want of an answer
	// (an auto_close effect; the host decides and fires the change).
	AutoCloseAfter *TargetSpec `json:"auto_close_after,omitempty"`
}

// EntitlementSpec is a customer's contract or support plan: service hours
// and targets for the tickets of some organisations or contracts, valid for
// a period ("Gold support, 24×7, 2024-01-01 to 2024-12-31"). Entitlements
// are checked before policy conditions: a ticket whose attribute matches an
// entitlement valid when it is ruled (its opening, or a re-ruling) gets the
// entitlement's policy and calendar, and keeps them until it is re-ruled,
// even when the contract expires meanwhile (the agreement in force when the
// ticket was raised is the one that applies to it).
type EntitlementSpec struct {
	// Name identifies the entitlement, e.g. "acme-gold-2024".
	Name string `json:"name"`
	// Attribute is the ticket attribute that names the organisation or
	// contract ("org" when empty); Values are the ones covered.
	Attribute string   `json:"attribute,omitempty"`
	Values    []string `json:"values"`
	// ValidFrom and ValidUntil are RFC 3339 instants or YYYY-MM-DD dates
	// (a date means its start in UTC; ValidUntil is exclusive); empty means
	// unbounded.
	ValidFrom  string `json:"valid_from,omitempty"`
	ValidUntil string `json:"valid_until,omitempty"`
	// Policy names the policy of the set whose version in force applies.
	Policy string `json:"policy"`
	// Calendar, when set, is the service hours: it replaces the ticket's
	// and the set's default calendar for the ticket.
	Calendar string `json:"calendar,omitempty"`
}

// MetricSpec is one metric of a policy. See the package documentation for the
// default triggers of each kind.
type MetricSpec struct {
	// Name is unique within the policy; the kind's name when empty.
	Name string `json:"name,omitempty"`
	// Kind: first_response, resolution, follow_up, periodic_update,
	// time_in_stage or custom.
	Kind string `json:"kind"`
	// Targets by priority "P0".."P3"; "*" applies to priorities not listed
	// (and to tickets without a priority). A priority with no target is
	// tracked without a deadline.
	Targets map[string]TargetSpec `json:"targets"`
	// Start, Stop, Reset, Pause and Resume override or (for custom metrics)
	// define the clock's triggers. MetBy is the event that meets a
	// periodic_update cycle.
	Start  *TriggerSpec `json:"start,omitempty"`
	Stop   *TriggerSpec `json:"stop,omitempty"`
	Reset  *TriggerSpec `json:"reset,omitempty"`
	Pause  *TriggerSpec `json:"pause,omitempty"`
	Resume *TriggerSpec `json:"resume,omitempty"`
	MetBy  *TriggerSpec `json:"met_by,omitempty"`
	// Stage is the set of states a time_in_stage metric measures.
	Stage []string `json:"stage,omitempty"`
	// PauseIn lists the states in which the clock does not count. The
	// state is the pause's reason code in the audit and the report.
	PauseIn []string `json:"pause_in,omitempty"`
	// PauseLimits bound the pauses of some of those states (see
	// [PauseLimitSpec]).
	PauseLimits []PauseLimitSpec `json:"pause_limits,omitempty"`
	// Warnings, in any order; Escalations, ordered by level.
	Warnings    []AlertSpec `json:"warnings,omitempty"`
	Escalations []AlertSpec `json:"escalations,omitempty"`
	// OnPriorityChange: "keep" (default: same start, the new priority's
	// target), "restart" (a new cycle from the change) or "ignore" (the
	// cycle keeps the target it started with).
	OnPriorityChange string `json:"on_priority_change,omitempty"`
	// OnReopen, for a cycle that had stopped: "keep" (the stopped cycle
	// resumes counting from its original start; the time while stopped does
	// not count), "restart" (a new cycle from the reopening) or "ignore".
	// The default depends on the kind.
	OnReopen string `json:"on_reopen,omitempty"`
	// OnTerminal says what a running clock does when the ticket enters a
	// terminal state ([PolicyEnv.TerminalStates]: closed, merged, rejected)
	// without its own stop trigger firing: "cancel" (default: the cycle
	// stops, neither met nor breached unless already breached) or
	// "continue" (the clock keeps running: a second visit due 30 days after
	// resolution can still be made, and missed, after the ticket closed).
	OnTerminal string `json:"on_terminal,omitempty"`
	// Internal marks an internal target (an operational-level agreement):
	// a task another team owes the ticket — a feasibility report, a
	// root-cause analysis — reported beside the customer-facing clocks and
	// never shown to the customer. Team names the team that owes it.
	Internal bool   `json:"internal,omitempty"`
	Team     string `json:"team,omitempty"`
	// TellCustomerOnBreach asks the host to tell the customer when this
	// clock passes its deadline (document 002 §5.2: overdue work is
	// explained to the customer).
	TellCustomerOnBreach bool `json:"tell_customer_on_breach,omitempty"`
}

// PolicyEnv is what a policy set is compiled against: the host's lifecycle
// states and its calendars by name.
type PolicyEnv struct {
	// States are the lifecycle state names timelines may use (at most 64).
	States []string
	// Calendars are the calendars policies refer to by name.
	Calendars *Calendars
	// DefaultCalendar, when set, replaces the document's default_calendar
	// (so that a preset can count on the host's own calendar).
	DefaultCalendar string
	// PauseStates adds pause states from the host's lifecycle: the clocks of
	// metrics with this name or kind ("resolution") do not count in these
	// states, in addition to each metric's own pause_in.
	PauseStates map[string][]string
	// TerminalStates are the states in which a ticket's life has ended
	// (closed, merged, rejected). Entering one cancels every running clock
	// whose metric does not say on_terminal "continue".
	TerminalStates []string
	// PendingStates (waiting on the customer), OnHoldStates (waiting on a
	// third party) and SolvedStates (resolved and after) classify the
	// ticket's time for [Report.Times]; nil means the default lifecycle's
	// states of those names that the set has.
	PendingStates, OnHoldStates, SolvedStates []string
}

// Errors wrapped by policy and timeline errors; test with [errors.Is].
var (
	ErrUnknownState     = errors.New("unknown state")
	ErrUnknownMetric    = errors.New("unknown metric kind")
	ErrUnknownUnit      = errors.New("unknown unit")
	ErrPolicyDuration   = errors.New("invalid duration")
	ErrDuplicatePolicy  = errors.New("duplicate policy name")
	ErrAlertOutOfTarget = errors.New("alert outside its target")
	ErrInvalidPolicy    = errors.New("invalid policy")
	ErrTimelineOrder    = errors.New("timeline out of order")
	ErrInvalidEntry     = errors.New("invalid timeline entry")
	ErrNoPolicy         = errors.New("no such policy")
	// ErrPolicyChanged: the policy version a ticket is pinned to has other
	// content than when the ticket was pinned (it was edited in place
	// instead of being given a new version). See [PolicyChangedError].
	ErrPolicyChanged = errors.New("pinned policy changed under the same version")
)

// PolicyChangedError is returned by [PolicySet.Evaluate] when
// [Options.Fingerprint] names other content than the policy version in hand
// has: somebody edited the policy without giving it a new version, which would
// silently re-rule every open ticket. Give the change a new version with an
// effective_from (see [Revise]), or re-rule the ticket explicitly (pin it to
// the version in hand, recording why).
type PolicyChangedError struct {
	Policy  string
	Version int
	// Pinned is the fingerprint the ticket was pinned with; Current is the
	// fingerprint of the version in hand.
	Pinned, Current string
}

// Error describes the mismatch.
func (e *PolicyChangedError) Error() string {
	return fmt.Sprintf("sla: policy %q version %d changed since the ticket was pinned to it (fingerprint %s, now %s): give the change a new version, or re-rule the ticket",
		e.Policy, e.Version, e.Pinned, e.Current)
}

// Unwrap returns [ErrPolicyChanged].
func (e *PolicyChangedError) Unwrap() error { return ErrPolicyChanged }

// TimelineError reports a bad timeline entry by its index.
type TimelineError struct {
	Index int
	Err   error
}

// Error names the timeline entry at fault: "sla: timeline[3]: ...".
func (e *TimelineError) Error() string {
	return "sla: timeline[" + strconv.Itoa(e.Index) + "]: " + e.Err.Error()
}

// Unwrap returns the underlying error.
func (e *TimelineError) Unwrap() error { return e.Err }

func perr(path string, sentinel error, format string, args ...any) *PathError {
	return rulesjson.Errorf(path, "%w: %s", sentinel, fmt.Sprintf(format, args...))
}
