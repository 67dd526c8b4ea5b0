package sla

import (
	"fmt"
	"time"
)

// Attributes are the attributes of a ticket that policy conditions look at.
// It is plain data: the host fills it from its own record.
type Attributes struct {
	// Kind is the nature of the feedback: "complaint", "suggestion", "inquiry", ...
	Kind string `json:"kind,omitempty"`
	// Category is the host's problem type, e.g. "product_fault".
	Category string `json:"category,omitempty"`
	// Priority is the priority the ticket was opened with, "P0" (most urgent) .. "P3",
	// or "" when not yet prioritised. Priority changes come through the timeline.
	Priority string `json:"priority,omitempty"`
	// Channel is where the feedback came in: "phone", "email", "wechat", ...
	Channel string `json:"channel,omitempty"`
	// Tier is the customer's tier: "vip", "high_value", "new", ...
	Tier string `json:"tier,omitempty"`
	// Tags are free labels ("packaging", "major_demand").
	Tags []string `json:"tags,omitempty"`
	// Attrs are custom attributes, matched by conditions on the field "attr.<name>".
	Attrs map[string]string `json:"attrs,omitempty"`
}

// EntryKind says what a timeline entry records.
type EntryKind uint8

// The kinds of timeline entry.
const (
	// EntryState records that the ticket entered State.
	EntryState EntryKind = iota + 1
	// EntryEvent records that the event Event happened (a reply to the customer,
	// a progress update, a follow-up call); the state does not change.
	EntryEvent
	// EntryPriority records that the ticket's priority became Priority.
	EntryPriority
	// EntryReopen records that a resolved or closed ticket was reopened; when
	// State is set the ticket also entered that state (usually back to triage).
	EntryReopen
	// EntryDeadline records that the deadline of the running cycle of the
	// metric Metric ("resolution" when empty) was moved to Deadline (an
	// approved delay request). Entries for metrics the applied policy does
	// not have are ignored.
	EntryDeadline
	// EntryPolicy records that from this instant the ticket is ruled by
	// version Version of policy Policy (another agreement: a customer
	// upgraded, an agent reclassified, a contract changed). Metrics the two
	// policies share by name and kind keep their cycle and counted time and
	// take the new policy's targets from here on (thresholds the counted
	// time has passed already are reached at this instant, as after a
	// priority change); metrics new to the policy are counted as if it had
	// applied from the opening; metrics it drops end here.
	EntryPolicy
	// EntryObserved records that the ticket was evaluated at this instant
	// and more entries follow at the same instant: a host applied one of
	// several changes made at once and acted on the report in between. What
	// fell due exactly then — a deadline, a chase, an automatic close — was
	// seen, so a stop that follows at the same instant no longer makes it
	// on time. Without it a stop at the very instant of a deadline is on
	// time (see the package documentation). feedback puts one between two
	// events at the same instant, so that its timeline says what each Fire
	// told the host.
	EntryObserved
)

var entryKindNames = [...]string{"", "state", "event", "priority", "reopen", "deadline", "policy", "observed"}

// String returns the kind's name as used in error messages.
func (k EntryKind) String() string {
	if k != 0 && int(k) < len(entryKindNames) {
		return entryKindNames[k]
	}
	return "unknown"
}

// MarshalText encodes the kind as its name ("state", "event", ...).
func (k EntryKind) MarshalText() ([]byte, error) {
	if k == 0 || int(k) >= len(entryKindNames) {
		return nil, fmt.Errorf("sla: unknown entry kind %d", k)
	}
	return []byte(k.String()), nil
}

// UnmarshalText decodes a kind from its name.
func (k *EntryKind) UnmarshalText(b []byte) error {
	for i := 1; i < len(entryKindNames); i++ {
		if string(b) == entryKindNames[i] {
			*k = EntryKind(i)
			return nil
		}
	}
	return fmt.Errorf("sla: unknown entry kind %q", b)
}

// Entry is one step of a ticket's timeline. The timeline passed to
// [PolicySet.Evaluate] is in non-decreasing order of At; entries with the same
// instant are applied in slice order. The first entry is the ticket's opening
// (usually an [EntryState] into the initial state, e.g. "received").
type Entry struct {
	At       time.Time `json:"at"`
	Kind     EntryKind `json:"kind"`
	State    string    `json:"state,omitempty"`    // EntryState, EntryReopen: the state entered
	Event    string    `json:"event,omitempty"`    // EntryEvent: the event's name
	Priority string    `json:"priority,omitempty"` // EntryPriority: the new priority "P0".."P9"
	Metric   string    `json:"metric,omitempty"`   // EntryDeadline: the metric's name
	Deadline time.Time `json:"deadline,omitzero"`  // EntryDeadline: the new deadline
	Policy   string    `json:"policy,omitempty"`   // EntryPolicy: the policy's name
	Version  int       `json:"version,omitempty"`  // EntryPolicy: its version
	// Fingerprint, for [EntryPolicy], is the content fingerprint the ticket
	// was moved with ([PolicyPin.Fingerprint]); evaluation refuses a version
	// whose content changed since (a *[PolicyChangedError]).
	Fingerprint string `json:"fingerprint,omitempty"`
}

// Event names the built-in metrics listen to by default. A policy can name
// other events in its triggers.
const (
	// EventResponded is the first reply to the customer (stops first_response).
	EventResponded = "responded"
	// EventProgressUpdate is a progress update to the customer (meets a periodic_update cycle).
	EventProgressUpdate = "progress_update"
	// EventFollowedUp is a completed follow-up visit or call (stops follow_up).
	EventFollowedUp = "followed_up"
	// EventCustomerMessage is a message from the customer (starts next_reply).
	EventCustomerMessage = "customer_message"
)

// Options select how [PolicySet.Evaluate] picks a policy. The zero value
// matches conditions against the policies in force when the ticket was opened.
type Options struct {
	// PinAt selects the policy versions in force at this instant. Zero means the
	// instant of the first timeline entry (the ticket's opening), or now when the
	// timeline is empty. A host that wants a ticket to follow policy changes
	// passes now.
	PinAt time.Time
	// Policy, when set, skips condition matching and uses the named policy.
	Policy string
	// Version, with Policy, uses exactly this version; 0 means the version of
	// Policy in force at PinAt. Without Policy it is ignored.
	Version int
	// Fingerprint, with Policy, is the content fingerprint the ticket was
	// pinned with ([PolicyPin.Fingerprint]). When the policy version in hand
	// has another, [PolicySet.Evaluate] fails with a *[PolicyChangedError] instead
	// of silently applying the edited content.
	Fingerprint string
	// Calendar names the ticket's own calendar (a calendar of the set's
	// [PolicyEnv.Calendars]). It replaces the set's default calendar: business
	// and working-days targets and alert offsets that name no calendar count
	// on it. Targets that name their calendar keep it (an internal task on
	// another team's calendar). Empty means the default calendar.
	Calendar string
	// Entitlement, with Policy, names the entitlement that chose it
	// ([PolicyPin.Entitlement]), for the report.
	Entitlement string
}

// PolicyPin identifies the exact policy a ticket is ruled by: its name, its
// version, and a fingerprint of that version's content, so that a policy
// edited in place under the same version is detected ([ErrPolicyChanged])
// instead of silently re-ruling open tickets.
type PolicyPin struct {
	Policy      string `json:"policy"`
	Version     int    `json:"version"`
	Fingerprint string `json:"fingerprint"`
	// Entitlement and Calendar: the entitlement that chose the policy and
	// its service-hours calendar ([Options.Calendar]), if any.
	Entitlement string `json:"entitlement,omitempty"`
	Calendar    string `json:"calendar,omitempty"`
}

// MetricKind is the type of an SLA metric.
type MetricKind uint8

// The metric kinds; their JSON names are in parentheses.
const (
	// FirstResponse ("first_response") runs from the opening to the first reply.
	FirstResponse MetricKind = iota + 1
	// Resolution ("resolution") runs from the opening until the ticket is resolved.
	Resolution
	// FollowUp ("follow_up") runs from resolution until the follow-up is done.
	FollowUp
	// PeriodicUpdate ("periodic_update") requires an update every period while a
	// condition holds; each period is one cycle.
	PeriodicUpdate
	// TimeInStage ("time_in_stage") limits the time spent in a stage (a set of states).
	TimeInStage
	// Custom ("custom") is defined entirely by its start, stop, pause, resume and
	// reset triggers.
	Custom
	// NextReply ("next_reply") answers every customer message: a cycle
	// starts at a customer message (event "customer_message") when no reply
	// is pending and stops at the next reply (event "responded"), so the
	// clock runs from the oldest unanswered message. Its companion, a reply
	// at least every period while the ticket is open, is PeriodicUpdate.
	NextReply
)

var metricKindNames = [...]string{"", "first_response", "resolution", "follow_up", "periodic_update", "time_in_stage", "custom", "next_reply"}

// String returns the JSON name of the kind.
func (k MetricKind) String() string {
	if int(k) < len(metricKindNames) && k != 0 {
		return metricKindNames[k]
	}
	return "unknown"
}

// Status is the state of one metric's clock.
type Status uint8

// The statuses of a metric.
const (
	// Pending: the clock has not started.
	Pending Status = iota + 1
	// Running: the clock counts and the deadline has not passed.
	Running
	// Paused: the clock is stopped for now (a pause state or trigger) and the
	// deadline has not passed.
	Paused
	// Met: the clock stopped at or before its deadline (or had no deadline).
	Met
	// Breached: the deadline passed, whether the clock is still running,
	// paused, or stopped late.
	Breached
	// Cancelled: the ticket's life ended (a terminal state: closed, merged,
	// rejected) while the clock ran, before its deadline; the cycle counts
	// neither as met nor as breached.
	Cancelled
)

var statusNames = [...]string{"", "pending", "running", "paused", "met", "breached", "cancelled"}

// String returns the status's lower-case name.
func (s Status) String() string {
	if int(s) < len(statusNames) && s != 0 {
		return statusNames[s]
	}
	return "unknown"
}

// MarshalText encodes the status as its name.
func (s Status) MarshalText() ([]byte, error) { return []byte(s.String()), nil }

// UnmarshalText decodes a status from its name.
func (s *Status) UnmarshalText(b []byte) error {
	return unmarshalName(b, statusNames[:], (*uint8)(s), "status")
}

// MarshalText encodes the kind as its JSON name.
func (k MetricKind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// UnmarshalText decodes a metric kind from its JSON name.
func (k *MetricKind) UnmarshalText(b []byte) error {
	return unmarshalName(b, metricKindNames[:], (*uint8)(k), "metric kind")
}

// unmarshalName sets *v to the index of name b in names (index 0 is "no
// value" and never matches).
func unmarshalName(b []byte, names []string, v *uint8, what string) error {
	for i := 1; i < len(names); i++ {
		if names[i] == string(b) {
			*v = uint8(i)
			return nil
		}
	}
	return fmt.Errorf("unknown %s %q", what, b)
}

// Unit is the unit of a target or of an alert's offset.
type Unit uint8

// The units of a target.
const (
	// Business ("business") counts open time on a named calendar.
	Business Unit = iota + 1
	// Elapsed ("elapsed") counts wall-clock time.
	Elapsed
	// WorkingDays ("working_days") counts whole working days on a named calendar.
	WorkingDays
)

var unitNames = [...]string{"", "business", "elapsed", "working_days"}

// String returns the JSON name of the unit.
func (u Unit) String() string {
	if int(u) < len(unitNames) && u != 0 {
		return unitNames[u]
	}
	return "unknown"
}

// MarshalText encodes the unit as its JSON name.
func (u Unit) MarshalText() ([]byte, error) { return []byte(u.String()), nil }

// UnmarshalText decodes a unit from its JSON name.
func (u *Unit) UnmarshalText(b []byte) error {
	return unmarshalName(b, unitNames[:], (*uint8)(u), "unit")
}

// Target is a compiled target as reported: a duration or a number of working
// days, in a unit, on a calendar.
type Target struct {
	Unit     Unit          `json:"unit"`
	Duration time.Duration `json:"duration,omitempty"` // Business, Elapsed
	Days     int           `json:"days,omitempty"`     // WorkingDays
	Calendar string        `json:"calendar,omitempty"` // Business, WorkingDays: the calendar's name in the policy set
}

// AuditType is the type of an SLA audit event.
type AuditType uint8

// The audit event types.
const (
	// Applied: a metric's clock started (a new cycle began).
	Applied AuditType = iota + 1
	// PausedClock: the clock paused; Detail is the reason (the pause
	// state, or "trigger" for a pause trigger).
	PausedClock
	// Resumed: the clock resumed after a pause; Detail is "cap: <reason>"
	// when a pause limit ended it while the ticket still waited.
	Resumed
	// Warned: a warning threshold was reached.
	Warned
	// Escalated: an escalation level was reached.
	Escalated
	// BreachedDeadline: the deadline passed with the clock not stopped.
	BreachedDeadline
	// Fulfilled: the clock stopped (the response was sent, the ticket resolved,
	// the update given...); Late in the metric report says whether it was on time.
	Fulfilled
	// Recalculated: the target changed (priority change) or the cycle was
	// resumed after a reopen.
	Recalculated
	// CancelledClock: the ticket entered a terminal state while the clock
	// ran; the cycle ends without being met (see [MetricSpec.OnTerminal]).
	CancelledClock
	// ChaseDue: a pause lasted its chase_after; the customer should be
	// reminded (Detail is the pause's reason).
	ChaseDue
	// AutoCloseDue: a pause lasted its auto_close_after; the ticket may be
	// closed for want of an answer (Detail is the pause's reason).
	AutoCloseDue
)

var auditNames = [...]string{"", "applied", "paused", "resumed", "warned", "escalated", "breached", "fulfilled", "recalculated", "cancelled", "chase_due", "auto_close_due"}

// String returns the event type's name.
func (a AuditType) String() string {
	if int(a) < len(auditNames) && a != 0 {
		return auditNames[a]
	}
	return "unknown"
}

// MarshalText encodes the type as its name.
func (a AuditType) MarshalText() ([]byte, error) { return []byte(a.String()), nil }

// UnmarshalText decodes an audit type from its name.
func (a *AuditType) UnmarshalText(b []byte) error {
	return unmarshalName(b, auditNames[:], (*uint8)(a), "audit type")
}

// AuditEvent is one SLA event derived from the timeline.
type AuditEvent struct {
	At     time.Time `json:"at"`
	Metric string    `json:"metric"`           // the metric's name
	Type   AuditType `json:"type"`             // what happened
	Cycle  int       `json:"cycle"`            // 1-based cycle of the metric
	Detail string    `json:"detail,omitempty"` // warning or escalation name; the reason of a recalculation
	Level  int       `json:"level,omitempty"`  // Escalated: the 1-based escalation level
}

// Pin returns the policy the report applied, as a [PolicyPin].
func (r *Report) Pin() PolicyPin {
	return PolicyPin{Policy: r.Policy, Version: r.Version, Fingerprint: r.Fingerprint, Entitlement: r.Entitlement}
}

// Alert is a warning or an escalation level reached, with its instant.
type Alert struct {
	Name  string    `json:"name"`
	At    time.Time `json:"at"`
	Cycle int       `json:"cycle"`
}

// MetricReport is the state of one metric at now.
type MetricReport struct {
	Name string     `json:"name"`
	Kind MetricKind `json:"kind"`
	// Internal and Team: an internal target (see [MetricSpec.Internal]) and
	// the team that owes it.
	Internal bool   `json:"internal,omitempty"`
	Team     string `json:"team,omitempty"`
	// TellCustomerOnBreach: the customer is to be told when this clock
	// passes its deadline.
	TellCustomerOnBreach bool `json:"tell_customer_on_breach,omitempty"`
	// Status of the current (latest) cycle.
	Status Status `json:"status"`
	// Priority whose target applies to the current cycle ("" if none).
	Priority string `json:"priority,omitempty"`
	// HasTarget is false when the policy sets no target for the priority (the
	// clock is tracked but can never breach).
	HasTarget bool   `json:"has_target"`
	Target    Target `json:"target,omitzero"`
	// Cycle is the 1-based number of the current cycle (0 while pending).
	// Cycles restart on reopen or priority change when the metric says so,
	// and each period of a periodic update is a cycle.
	Cycle int `json:"cycle"`
	// Start of the current cycle.
	Start time.Time `json:"start,omitzero"`
	// Stopped is when the current cycle's clock stopped (zero while running).
	Stopped time.Time `json:"stopped,omitzero"`
	// Deadline of the current cycle: the instant at which the counted time
	// reaches the target, projected from now for a running clock and from now
	// as if resumed now for a paused one; pauses so far are included. A
	// cycle that resumes already past its target (a reopen that keeps
	// counting under a shorter target) has its deadline at the resume.
	Deadline time.Time `json:"deadline,omitzero"`
	// Elapsed is the counted time of the current cycle (business time on the
	// target's calendar for business and working-days targets, wall time for
	// elapsed ones), pauses excluded.
	Elapsed time.Duration `json:"elapsed"`
	// Remaining is the target (with any Extension) minus Elapsed, zero when past due.
	Remaining time.Duration `json:"remaining"`
	// Extension is the counted time moved deadlines ([EntryDeadline]) added to
	// the target of the current cycle; negative when a deadline was brought forward.
	Extension time.Duration `json:"extension,omitempty"`
	// BreachedAt is the instant the current cycle's breach was recognised:
	// the deadline, or the instant a reopen or priority change put the
	// cycle past its target (zero if not breached).
	BreachedAt time.Time `json:"breached_at,omitzero"`
	// Late is the wall-clock time from BreachedAt to the stop, or to now
	// while the clock runs (zero if not breached).
	Late time.Duration `json:"late,omitempty"`
	// Warnings and Escalations reached in the current cycle, in order.
	Warnings    []Alert `json:"warnings,omitempty"`
	Escalations []Alert `json:"escalations,omitempty"`
	// MetCycles and BreachedCycles count the finished and current cycles by outcome.
	MetCycles      int `json:"met_cycles"`
	BreachedCycles int `json:"breached_cycles"`
	// PauseReason, PausedSince: why and since when a paused clock waits.
	// ResumesAt is when a pause limit resumes it, ChaseAt and AutoCloseAt
	// when the limit says to chase the customer or to close (zero when
	// none applies).
	PauseReason string    `json:"pause_reason,omitempty"`
	PausedSince time.Time `json:"paused_since,omitzero"`
	ResumesAt   time.Time `json:"resumes_at,omitzero"`
	ChaseAt     time.Time `json:"chase_at,omitzero"`
	AutoCloseAt time.Time `json:"auto_close_at,omitzero"`
	// Pauses total the current cycle's paused wall time by reason, in the
	// order the reasons first occurred (a pause still going counts to now).
	Pauses []PauseTotal `json:"pauses,omitempty"`
}

// PauseTotal is the wall time a clock spent paused for one reason.
type PauseTotal struct {
	Reason   string        `json:"reason"`
	Duration time.Duration `json:"duration"`
}

// TicketTimes divide a ticket's life so far by whose move it was, in wall
// time, as help desks report it: AgentWork while it was new or open (the
// agents' move), OnHold while it waited on a third party, Pending while it
// waited on the customer; RequesterWait = AgentWork + OnHold, the time the
// customer waited for the help desk. Time after it was solved counts in
// none of them.
type TicketTimes struct {
	AgentWork     time.Duration `json:"agent_work"`
	OnHold        time.Duration `json:"on_hold"`
	Pending       time.Duration `json:"pending"`
	RequesterWait time.Duration `json:"requester_wait"`
}

// Report is the result of [PolicySet.Evaluate]. It round-trips through JSON
// (durations are integer nanoseconds, kinds and statuses their names). A Report
// can be reused across calls to [PolicySet.EvaluateInto] to avoid allocations;
// its slices are then overwritten.
type Report struct {
	// Now is the instant evaluated at.
	Now time.Time `json:"now"`
	// Policy and Version identify the policy that applied; EffectiveFrom is
	// when that version came into force.
	Policy        string    `json:"policy"`
	Version       int       `json:"version"`
	EffectiveFrom time.Time `json:"effective_from,omitzero"`
	// Fingerprint is the content fingerprint of that policy version (see
	// [PolicyPin]).
	Fingerprint string `json:"fingerprint,omitempty"`
	// Why lists the conditions that held when the policy matched, in plain
	// words (e.g. `kind eq "complaint"`); empty for a catch-all policy or
	// an explicit pin.
	Why []string `json:"why,omitempty"`
	// Priority is the ticket's priority at now.
	Priority string `json:"priority,omitempty"`
	// State is the ticket's state at now ("" if the timeline has no state).
	State   string         `json:"state,omitempty"`
	Metrics []MetricReport `json:"metrics"`
	// Audit is the trail of SLA events in order of their instants.
	Audit []AuditEvent `json:"audit,omitempty"`
	// NextChange is the earliest instant after now at which a status, warning
	// or escalation changes if nothing else happens; zero if none will.
	NextChange time.Time `json:"next_change,omitzero"`
	// Times divide the ticket's life by whose move it was.
	Times TicketTimes `json:"times"`
	// Entitlement names the entitlement that chose the policy (see
	// [EntitlementSpec]), empty when conditions did.
	Entitlement string `json:"entitlement,omitempty"`

	// Scratch space reused by EvaluateInto.
	alerts  []Alert
	pauses  []PauseTotal
	sims    []sim
	runs    [][]AuditEvent // each metric's audit, in order of instants
	heads   []int
	headKey []auditKey
	// comb: the audit trail is built in r.Audit directly, auditIdx
	// holding each event's metric (see sim.audit).
	comb     bool
	auditIdx []int32
	stIdx    []int32     // each entry's state index; an event entry's -2-id (PolicySet.eventIndex); -1 for none
	times    TicketTimes // the ticket's times up to the last entry (checkTimeline)
	cals     []calPos
	// switches: the timeline has EntryPolicy entries; past holds the audit
	// runs of metrics a switch dropped.
	switches bool
	past     []AuditEvent
	// mono: an instant of the evaluation has a monotonic clock reading
	// (see Report.sub).
	mono  bool
	sims2 []sim
	runs2 [][]AuditEvent

	// The key of the last event of r.Audit (r.comb): its Unix seconds, and
	// auditKeyOf its nanoseconds and metric (see sim.record).
	lastSec, lastKey int64

	// What r.cals was set for (see setCals): the set, the ticket's
	// calendar and the set's general mode; calsSet nil for nothing.
	calsSet     *PolicySet
	calsTicket  *Calendar
	calsGeneral bool
}

// Metric returns the report of the metric called name.
func (r *Report) Metric(name string) (MetricReport, bool) {
	for i := range r.Metrics {
		if r.Metrics[i].Name == name {
			return r.Metrics[i], true
		}
	}
	return MetricReport{}, false
}
