package feedback

import (
	"math"

	"github.com/closeloop/closeloop/sla"
)

// The snapshot's structs, each with its members table (in struct order, as
// the index constants number them), its encoder and its decoder, written
// out member by member: no reflection and no calls through func values on
// the way. Keep them in step with the structs:
// TestSnapshotCodecKnowsEveryField fails when a table differs from its
// struct's tags, TestSnapshotEveryField when an encoder or decoder skips a
// member. See snapshot_fields.go for the machinery.

// sla.PolicyPin: the SLA policy a ticket is ruled by.

const (
	pinPolicy = iota
	pinVersion
	pinFingerprint
	pinEntitlement
	pinCalendar
)

var pinMembers = newMembers(
	member{"policy", omitNever},
	member{"version", omitNever},
	member{"fingerprint", omitNever},
	member{"entitlement", omitEmpty},
	member{"calendar", omitEmpty},
)

func (e *snapEncoder) pin(v *sla.PolicyPin) {
	start := e.begin()
	e.b = append(e.b, `,"policy":`...)
	e.str(v.Policy)
	e.b = append(e.b, `,"version":`...)
	e.int(int64(v.Version))
	e.b = append(e.b, `,"fingerprint":`...)
	e.str(v.Fingerprint)
	if v.Entitlement != "" {
		e.b = append(e.b, `,"entitlement":`...)
		e.str(v.Entitlement)
	}
	if v.Calendar != "" {
		e.b = append(e.b, `,"calendar":`...)
		e.str(v.Calendar)
	}
	e.end(start)
}

func (d *snapDecoder) pin(v *sla.PolicyPin) error {
	r := d.object(pinMembers)
	for r.next(d) {
		var err error
		switch r.i {
		case pinPolicy:
			v.Policy, err = d.str()
		case pinVersion:
			var n int64
			n, err = d.integer(math.MinInt, math.MaxInt)
			v.Version = int(n)
		case pinFingerprint:
			v.Fingerprint, err = d.str()
		case pinEntitlement:
			v.Entitlement, err = d.str()
		case pinCalendar:
			v.Calendar, err = d.str()
		}
		if err != nil {
			return err
		}
	}
	return r.err
}

// TicketDelay: a pending or approved delay request.

const (
	delayReason = iota
	delayPlan
	delayNewDeadline
	delayRequestedAt
	delayRequestedBy
	delayDecidedBy
)

var delayMembers = newMembers(
	member{"reason", omitNever},
	member{"plan", omitNever},
	member{"new_deadline", omitNever},
	member{"requested_at", omitZero},
	member{"requested_by", omitEmpty},
	member{"decided_by", omitEmpty},
)

func (e *snapEncoder) delay(v *TicketDelay) {
	start := e.begin()
	e.b = append(e.b, `,"reason":`...)
	e.str(v.Reason)
	e.b = append(e.b, `,"plan":`...)
	e.str(v.Plan)
	e.b = append(e.b, `,"new_deadline":`...)
	e.instant(v.NewDeadline)
	if !v.RequestedAt.IsZero() {
		e.b = append(e.b, `,"requested_at":`...)
		e.instant(v.RequestedAt)
	}
	if v.RequestedBy != "" {
		e.b = append(e.b, `,"requested_by":`...)
		e.str(v.RequestedBy)
	}
	if v.DecidedBy != "" {
		e.b = append(e.b, `,"decided_by":`...)
		e.str(v.DecidedBy)
	}
	e.end(start)
}

func (d *snapDecoder) delay(v *TicketDelay) error {
	r := d.object(delayMembers)
	for r.next(d) {
		var err error
		switch r.i {
		case delayReason:
			v.Reason, err = d.str()
		case delayPlan:
			v.Plan, err = d.str()
		case delayNewDeadline:
			v.NewDeadline, err = d.instant()
		case delayRequestedAt:
			v.RequestedAt, err = d.instant()
		case delayRequestedBy:
			v.RequestedBy, err = d.str()
		case delayDecidedBy:
			v.DecidedBy, err = d.str()
		}
		if err != nil {
			return err
		}
	}
	return r.err
}

// FollowUp: the outcome of a follow-up visit.

const (
	followUpResolved = iota
	followUpScore
	followUpComment
	followUpSatisfied
)

var followUpMembers = newMembers(
	member{"resolved", omitNever},
	member{"score", omitNever},
	member{"comment", omitEmpty},
	member{"satisfied", omitNever},
)

func (e *snapEncoder) followUp(v *FollowUp) {
	start := e.begin()
	e.b = append(e.b, `,"resolved":`...)
	e.bool(v.Resolved)
	e.b = append(e.b, `,"score":`...)
	e.int(int64(v.Score))
	if v.Comment != "" {
		e.b = append(e.b, `,"comment":`...)
		e.str(v.Comment)
	}
	e.b = append(e.b, `,"satisfied":`...)
	e.bool(v.Satisfied)
	e.end(start)
}

func (d *snapDecoder) followUp(v *FollowUp) error {
	r := d.object(followUpMembers)
	for r.next(d) {
		var err error
		switch r.i {
		case followUpResolved:
			v.Resolved, err = d.boolean()
		case followUpScore:
			var n int64
			n, err = d.integer(math.MinInt, math.MaxInt)
			v.Score = int(n)
		case followUpComment:
			v.Comment, err = d.str()
		case followUpSatisfied:
			v.Satisfied, err = d.boolean()
		}
		if err != nil {
			return err
		}
	}
	return r.err
}

// Rejection: why a ticket was rejected.

const (
	rejectionKind = iota
	rejectionReason
)

var rejectionMembers = newMembers(
	member{"kind", omitNever},
	member{"reason", omitNever},
)

func (e *snapEncoder) rejection(v *Rejection) {
	start := e.begin()
	e.b = append(e.b, `,"kind":`...)
	e.str(v.Kind)
	e.b = append(e.b, `,"reason":`...)
	e.str(v.Reason)
	e.end(start)
}

func (d *snapDecoder) rejection(v *Rejection) error {
	r := d.object(rejectionMembers)
	for r.next(d) {
		var err error
		switch r.i {
		case rejectionKind:
			v.Kind, err = d.str()
		case rejectionReason:
			v.Reason, err = d.str()
		}
		if err != nil {
			return err
		}
	}
	return r.err
}

// CompensationChoice: the option the customer chose.

const (
	compensationPolicy = iota
	compensationOption
	compensationKind
	compensationAmount
	compensationCurrency
	compensationQuantity
	compensationStatus
	compensationValidUntil
	compensationAlternatives
	compensationExplanation
)

var compensationMembers = newMembers(
	member{"policy", omitEmpty},
	member{"option", omitNever},
	member{"kind", omitEmpty},
	member{"amount", omitEmpty},
	member{"currency", omitEmpty},
	member{"quantity", omitEmpty},
	member{"status", omitEmpty},
	member{"valid_until", omitZero},
	member{"alternatives", omitEmpty},
	member{"explanation", omitEmpty},
)

func (e *snapEncoder) compensation(v *CompensationChoice) {
	start := e.begin()
	if v.Policy != "" {
		e.b = append(e.b, `,"policy":`...)
		e.str(v.Policy)
	}
	e.b = append(e.b, `,"option":`...)
	e.str(v.Option)
	if v.Kind != "" {
		e.b = append(e.b, `,"kind":`...)
		e.str(v.Kind)
	}
	if v.Amount != "" {
		e.b = append(e.b, `,"amount":`...)
		e.str(v.Amount)
	}
	if v.Currency != "" {
		e.b = append(e.b, `,"currency":`...)
		e.str(v.Currency)
	}
	if v.Quantity != "" {
		e.b = append(e.b, `,"quantity":`...)
		e.str(v.Quantity)
	}
	if v.Status != "" {
		e.b = append(e.b, `,"status":`...)
		e.str(v.Status)
	}
	if !v.ValidUntil.IsZero() {
		e.b = append(e.b, `,"valid_until":`...)
		e.instant(v.ValidUntil)
	}
	if len(v.Alternatives) > 0 {
		e.b = append(e.b, `,"alternatives":`...)
		e.strings(v.Alternatives)
	}
	if len(v.Explanation) > 0 {
		e.b = append(e.b, `,"explanation":`...)
		e.strings(v.Explanation)
	}
	e.end(start)
}

func (d *snapDecoder) compensation(v *CompensationChoice) error {
	r := d.object(compensationMembers)
	for r.next(d) {
		var err error
		switch r.i {
		case compensationPolicy:
			v.Policy, err = d.str()
		case compensationOption:
			v.Option, err = d.str()
		case compensationKind:
			v.Kind, err = d.str()
		case compensationAmount:
			v.Amount, err = d.str()
		case compensationCurrency:
			v.Currency, err = d.str()
		case compensationQuantity:
			v.Quantity, err = d.str()
		case compensationStatus:
			v.Status, err = d.str()
		case compensationValidUntil:
			v.ValidUntil, err = d.instant()
		case compensationAlternatives:
			v.Alternatives, err = d.strings()
		case compensationExplanation:
			v.Explanation, err = d.strings()
		}
		if err != nil {
			return err
		}
	}
	return r.err
}

// Task: an internal task of a ticket.

const (
	taskName = iota
	taskTeam
	taskRequestedAt
	taskRequestedBy
	taskDoneAt
	taskDoneBy
)

var taskMembers = newMembers(
	member{"name", omitNever},
	member{"team", omitEmpty},
	member{"requested_at", omitNever},
	member{"requested_by", omitNever},
	member{"done_at", omitZero},
	member{"done_by", omitEmpty},
)

func (e *snapEncoder) task(v *Task) {
	start := e.begin()
	e.b = append(e.b, `,"name":`...)
	e.str(v.Name)
	if v.Team != "" {
		e.b = append(e.b, `,"team":`...)
		e.str(v.Team)
	}
	e.b = append(e.b, `,"requested_at":`...)
	e.instant(v.RequestedAt)
	e.b = append(e.b, `,"requested_by":`...)
	e.str(v.RequestedBy)
	if !v.DoneAt.IsZero() {
		e.b = append(e.b, `,"done_at":`...)
		e.instant(v.DoneAt)
	}
	if v.DoneBy != "" {
		e.b = append(e.b, `,"done_by":`...)
		e.str(v.DoneBy)
	}
	e.end(start)
}

func (d *snapDecoder) task(v *Task) error {
	r := d.object(taskMembers)
	for r.next(d) {
		var err error
		switch r.i {
		case taskName:
			v.Name, err = d.str()
		case taskTeam:
			v.Team, err = d.str()
		case taskRequestedAt:
			v.RequestedAt, err = d.instant()
		case taskRequestedBy:
			v.RequestedBy, err = d.str()
		case taskDoneAt:
			v.DoneAt, err = d.instant()
		case taskDoneBy:
			v.DoneBy, err = d.str()
		}
		if err != nil {
			return err
		}
	}
	return r.err
}

// TaskRequest: the task a change names.

const (
	taskRequestName = iota
	taskRequestTeam
)

var taskRequestMembers = newMembers(
	member{"name", omitNever},
	member{"team", omitEmpty},
)

func (e *snapEncoder) taskRequest(v *TaskRequest) {
	start := e.begin()
	e.b = append(e.b, `,"name":`...)
	e.str(v.Name)
	if v.Team != "" {
		e.b = append(e.b, `,"team":`...)
		e.str(v.Team)
	}
	e.end(start)
}

func (d *snapDecoder) taskRequest(v *TaskRequest) error {
	r := d.object(taskRequestMembers)
	for r.next(d) {
		var err error
		switch r.i {
		case taskRequestName:
			v.Name, err = d.str()
		case taskRequestTeam:
			v.Team, err = d.str()
		}
		if err != nil {
			return err
		}
	}
	return r.err
}

// PriorityInput: what a triage scores.

const (
	priorityInputImpact = iota
	priorityInputUrgency
	priorityInputSeverity
	priorityInputTier
	priorityInputAffected
	priorityInputBusiness
	priorityInputFlags
)

var priorityInputMembers = newMembers(
	member{"impact", omitEmpty},
	member{"urgency", omitEmpty},
	member{"severity", omitEmpty},
	member{"tier", omitEmpty},
	member{"affected", omitEmpty},
	member{"business", omitEmpty},
	member{"flags", omitEmpty},
)

func (e *snapEncoder) priorityInput(v *PriorityInput) {
	start := e.begin()
	if v.Impact != 0 {
		e.b = append(e.b, `,"impact":`...)
		e.int(int64(v.Impact))
	}
	if v.Urgency != 0 {
		e.b = append(e.b, `,"urgency":`...)
		e.int(int64(v.Urgency))
	}
	if v.Severity != 0 {
		e.b = append(e.b, `,"severity":`...)
		e.int(int64(v.Severity))
	}
	if v.Tier != 0 {
		e.b = append(e.b, `,"tier":`...)
		e.int(int64(v.Tier))
	}
	if v.Affected != 0 {
		e.b = append(e.b, `,"affected":`...)
		e.int(v.Affected)
	}
	if v.Business != 0 {
		e.b = append(e.b, `,"business":`...)
		e.int(v.Business)
	}
	if len(v.Flags) > 0 {
		e.b = append(e.b, `,"flags":`...)
		e.strings(v.Flags)
	}
	e.end(start)
}

func (d *snapDecoder) priorityInput(v *PriorityInput) error {
	r := d.object(priorityInputMembers)
	for r.next(d) {
		var err error
		switch r.i {
		case priorityInputImpact:
			var n int64
			n, err = d.integer(math.MinInt, math.MaxInt)
			v.Impact = int(n)
		case priorityInputUrgency:
			var n int64
			n, err = d.integer(math.MinInt, math.MaxInt)
			v.Urgency = int(n)
		case priorityInputSeverity:
			var n int64
			n, err = d.integer(math.MinInt, math.MaxInt)
			v.Severity = int(n)
		case priorityInputTier:
			var n int64
			n, err = d.integer(math.MinInt, math.MaxInt)
			v.Tier = int(n)
		case priorityInputAffected:
			v.Affected, err = d.integer(math.MinInt64, math.MaxInt64)
		case priorityInputBusiness:
			v.Business, err = d.integer(math.MinInt64, math.MaxInt64)
		case priorityInputFlags:
			v.Flags, err = d.strings()
		}
		if err != nil {
			return err
		}
	}
	return r.err
}

// Opening: the data of the first event.

const (
	openingID = iota
	openingAt
	openingActor
	openingCustomer
	openingChannel
	openingCategory
	openingCalendar
	openingAttributes
	openingRulesVersion
)

var openingMembers = newMembers(
	member{"id", omitNever},
	member{"at", omitNever},
	member{"actor", omitNever},
	member{"customer", omitEmpty},
	member{"channel", omitEmpty},
	member{"category", omitEmpty},
	member{"calendar", omitEmpty},
	member{"attributes", omitEmpty},
	member{"rules_version", omitEmpty},
)

func (e *snapEncoder) opening(v *Opening) {
	start := e.begin()
	e.b = append(e.b, `,"id":`...)
	e.str(v.ID)
	e.b = append(e.b, `,"at":`...)
	e.instant(v.At)
	e.b = append(e.b, `,"actor":`...)
	e.str(v.Actor)
	if v.Customer != "" {
		e.b = append(e.b, `,"customer":`...)
		e.str(v.Customer)
	}
	if v.Channel != "" {
		e.b = append(e.b, `,"channel":`...)
		e.str(v.Channel)
	}
	if v.Category != "" {
		e.b = append(e.b, `,"category":`...)
		e.str(v.Category)
	}
	if v.Calendar != "" {
		e.b = append(e.b, `,"calendar":`...)
		e.str(v.Calendar)
	}
	if len(v.Attributes) > 0 {
		e.b = append(e.b, `,"attributes":`...)
		e.stringMap(v.Attributes)
	}
	if v.RulesVersion != "" {
		e.b = append(e.b, `,"rules_version":`...)
		e.str(v.RulesVersion)
	}
	e.end(start)
}

func (d *snapDecoder) opening(v *Opening) error {
	r := d.object(openingMembers)
	for r.next(d) {
		var err error
		switch r.i {
		case openingID:
			v.ID, err = d.str()
		case openingAt:
			v.At, err = d.instant()
		case openingActor:
			v.Actor, err = d.str()
		case openingCustomer:
			v.Customer, err = d.str()
		case openingChannel:
			v.Channel, err = d.str()
		case openingCategory:
			v.Category, err = d.str()
		case openingCalendar:
			v.Calendar, err = d.str()
		case openingAttributes:
			v.Attributes, err = decodeStringMap(d)
		case openingRulesVersion:
			v.RulesVersion, err = d.str()
		}
		if err != nil {
			return err
		}
	}
	return r.err
}

// Payload: an event's data.

const (
	payloadNote = iota
	payloadReason
	payloadCategory
	payloadPriority
	payloadPriorityInput
	payloadPriorityReasons
	payloadDeadline
	payloadSlaPolicy
	payloadTeam
	payloadOwner
	payloadRoutedBy
	payloadNode
	payloadFollowUp
	payloadMergeInto
	payloadRejection
	payloadDelay
	payloadCompensation
	payloadOpening
	payloadTask
)

var payloadMembers = newMembers(
	member{"note", omitEmpty},
	member{"reason", omitEmpty},
	member{"category", omitEmpty},
	member{"priority", omitEmpty},
	member{"priority_input", omitEmpty},
	member{"priority_reasons", omitEmpty},
	member{"deadline", omitZero},
	member{"sla_policy", omitEmpty},
	member{"team", omitEmpty},
	member{"owner", omitEmpty},
	member{"routed_by", omitEmpty},
	member{"node", omitEmpty},
	member{"follow_up", omitEmpty},
	member{"merge_into", omitEmpty},
	member{"rejection", omitEmpty},
	member{"delay", omitEmpty},
	member{"compensation", omitEmpty},
	member{"opening", omitEmpty},
	member{"task", omitEmpty},
)

func (e *snapEncoder) payload(v *Payload) {
	start := e.begin()
	if v.Note != "" {
		e.b = append(e.b, `,"note":`...)
		e.str(v.Note)
	}
	if v.Reason != "" {
		e.b = append(e.b, `,"reason":`...)
		e.str(v.Reason)
	}
	if v.Category != "" {
		e.b = append(e.b, `,"category":`...)
		e.str(v.Category)
	}
	if v.Priority != "" {
		e.b = append(e.b, `,"priority":`...)
		e.str(v.Priority)
	}
	if v.PriorityInput != nil {
		e.b = append(e.b, `,"priority_input":`...)
		e.priorityInput(v.PriorityInput)
	}
	if len(v.PriorityReasons) > 0 {
		e.b = append(e.b, `,"priority_reasons":`...)
		e.strings(v.PriorityReasons)
	}
	if !v.Deadline.IsZero() {
		e.b = append(e.b, `,"deadline":`...)
		e.instant(v.Deadline)
	}
	if v.SLAPolicy != nil {
		e.b = append(e.b, `,"sla_policy":`...)
		e.pin(v.SLAPolicy)
	}
	if v.Team != "" {
		e.b = append(e.b, `,"team":`...)
		e.str(v.Team)
	}
	if v.Owner != "" {
		e.b = append(e.b, `,"owner":`...)
		e.str(v.Owner)
	}
	if v.RoutedBy != "" {
		e.b = append(e.b, `,"routed_by":`...)
		e.str(v.RoutedBy)
	}
	if v.Node != "" {
		e.b = append(e.b, `,"node":`...)
		e.str(v.Node)
	}
	if v.FollowUp != nil {
		e.b = append(e.b, `,"follow_up":`...)
		e.followUp(v.FollowUp)
	}
	if v.MergeInto != "" {
		e.b = append(e.b, `,"merge_into":`...)
		e.str(v.MergeInto)
	}
	if v.Rejection != "" {
		e.b = append(e.b, `,"rejection":`...)
		e.str(v.Rejection)
	}
	if v.Delay != nil {
		e.b = append(e.b, `,"delay":`...)
		e.delay(v.Delay)
	}
	if v.Compensation != nil {
		e.b = append(e.b, `,"compensation":`...)
		e.compensation(v.Compensation)
	}
	if v.Opening != nil {
		e.b = append(e.b, `,"opening":`...)
		e.opening(v.Opening)
	}
	if v.Task != nil {
		e.b = append(e.b, `,"task":`...)
		e.taskRequest(v.Task)
	}
	e.end(start)
}

func (d *snapDecoder) payload(v *Payload) error {
	r := d.object(payloadMembers)
	for r.next(d) {
		var err error
		switch r.i {
		case payloadNote:
			v.Note, err = d.str()
		case payloadReason:
			v.Reason, err = d.str()
		case payloadCategory:
			v.Category, err = d.str()
		case payloadPriority:
			v.Priority, err = d.str()
		case payloadPriorityInput:
			p := new(PriorityInput)
			if err = d.priorityInput(p); err == nil {
				v.PriorityInput = p
			}
		case payloadPriorityReasons:
			v.PriorityReasons, err = d.strings()
		case payloadDeadline:
			v.Deadline, err = d.instant()
		case payloadSlaPolicy:
			p := new(sla.PolicyPin)
			if err = d.pin(p); err == nil {
				v.SLAPolicy = p
			}
		case payloadTeam:
			v.Team, err = d.str()
		case payloadOwner:
			v.Owner, err = d.str()
		case payloadRoutedBy:
			v.RoutedBy, err = d.str()
		case payloadNode:
			v.Node, err = d.str()
		case payloadFollowUp:
			p := new(FollowUp)
			if err = d.followUp(p); err == nil {
				v.FollowUp = p
			}
		case payloadMergeInto:
			v.MergeInto, err = d.str()
		case payloadRejection:
			v.Rejection, err = d.str()
		case payloadDelay:
			p := new(TicketDelay)
			if err = d.delay(p); err == nil {
				v.Delay = p
			}
		case payloadCompensation:
			p := new(CompensationChoice)
			if err = d.compensation(p); err == nil {
				v.Compensation = p
			}
		case payloadOpening:
			p := new(Opening)
			if err = d.opening(p); err == nil {
				v.Opening = p
			}
		case payloadTask:
			p := new(TaskRequest)
			if err = d.taskRequest(p); err == nil {
				v.Task = p
			}
		}
		if err != nil {
			return err
		}
	}
	return r.err
}

// Event: one entry of the history.

const (
	eventSeq = iota
	eventVersion
	eventAt
	eventActor
	eventTrigger
	eventFrom
	eventTo
	eventPayload
)

var eventMembers = newMembers(
	member{"seq", omitNever},
	member{"version", omitNever},
	member{"at", omitNever},
	member{"actor", omitNever},
	member{"trigger", omitNever},
	member{"from", omitNever},
	member{"to", omitNever},
	member{"payload", omitNever},
)

func (e *snapEncoder) event(v *Event) {
	start := e.begin()
	e.b = append(e.b, `,"seq":`...)
	e.int(v.Seq)
	e.b = append(e.b, `,"version":`...)
	e.int(v.Version)
	e.b = append(e.b, `,"at":`...)
	e.instant(v.At)
	e.b = append(e.b, `,"actor":`...)
	e.str(v.Actor)
	e.b = append(e.b, `,"trigger":`...)
	e.str(string(v.Trigger))
	e.b = append(e.b, `,"from":`...)
	e.str(string(v.From))
	e.b = append(e.b, `,"to":`...)
	e.str(string(v.To))
	e.b = append(e.b, `,"payload":`...)
	e.payload(&v.Payload)
	e.end(start)
}

func (d *snapDecoder) event(v *Event) error {
	r := d.object(eventMembers)
	for r.next(d) {
		var err error
		switch r.i {
		case eventSeq:
			v.Seq, err = d.integer(0, MaxSnapshotEvents)
		case eventVersion:
			v.Version, err = d.integer(0, MaxSnapshotEvents)
		case eventAt:
			v.At, err = d.instant()
		case eventActor:
			v.Actor, err = d.str()
		case eventTrigger:
			var s string
			s, err = d.str()
			v.Trigger = Trigger(s)
		case eventFrom:
			var s string
			s, err = d.str()
			v.From = State(s)
		case eventTo:
			var s string
			s, err = d.str()
			v.To = State(s)
		case eventPayload:
			err = d.payload(&v.Payload)
		}
		if err != nil {
			return err
		}
	}
	return r.err
}

// Ticket: the snapshot itself.

const (
	ticketID = iota
	ticketVersion
	ticketState
	ticketNode
	ticketOpened
	ticketUpdated
	ticketRulesVersion
	ticketCustomer
	ticketChannel
	ticketCategory
	ticketCalendar
	ticketAttributes
	ticketPriority
	ticketPriorityReasons
	ticketTeam
	ticketOwner
	ticketSlaPolicy
	ticketRuledAt
	ticketPendingDelay
	ticketDelays
	ticketResolution
	ticketFollowUp
	ticketReopenRounds
	ticketEscalations
	ticketMergedInto
	ticketRejection
	ticketCompensation
	ticketTasks
	ticketHistory
)

var ticketMembers = newMembers(
	member{"id", omitNever},
	member{"version", omitNever},
	member{"state", omitNever},
	member{"node", omitEmpty},
	member{"opened", omitNever},
	member{"updated", omitNever},
	member{"rules_version", omitEmpty},
	member{"customer", omitEmpty},
	member{"channel", omitEmpty},
	member{"category", omitEmpty},
	member{"calendar", omitEmpty},
	member{"attributes", omitEmpty},
	member{"priority", omitEmpty},
	member{"priority_reasons", omitEmpty},
	member{"team", omitEmpty},
	member{"owner", omitEmpty},
	member{"sla_policy", omitEmpty},
	member{"ruled_at", omitZero},
	member{"pending_delay", omitEmpty},
	member{"delays", omitEmpty},
	member{"resolution", omitEmpty},
	member{"follow_up", omitEmpty},
	member{"reopen_rounds", omitEmpty},
	member{"escalations", omitEmpty},
	member{"merged_into", omitEmpty},
	member{"rejection", omitEmpty},
	member{"compensation", omitEmpty},
	member{"tasks", omitEmpty},
	member{"history", omitNever},
)

func (e *snapEncoder) ticket(v *Ticket) {
	start := e.begin()
	e.b = append(e.b, `,"id":`...)
	e.str(v.ID)
	e.b = append(e.b, `,"version":`...)
	e.int(v.Version)
	e.b = append(e.b, `,"state":`...)
	e.str(string(v.State))
	if v.Node != "" {
		e.b = append(e.b, `,"node":`...)
		e.str(v.Node)
	}
	e.b = append(e.b, `,"opened":`...)
	e.instant(v.Opened)
	e.b = append(e.b, `,"updated":`...)
	e.instant(v.Updated)
	if v.RulesVersion != "" {
		e.b = append(e.b, `,"rules_version":`...)
		e.str(v.RulesVersion)
	}
	if v.Customer != "" {
		e.b = append(e.b, `,"customer":`...)
		e.str(v.Customer)
	}
	if v.Channel != "" {
		e.b = append(e.b, `,"channel":`...)
		e.str(v.Channel)
	}
	if v.Category != "" {
		e.b = append(e.b, `,"category":`...)
		e.str(v.Category)
	}
	if v.Calendar != "" {
		e.b = append(e.b, `,"calendar":`...)
		e.str(v.Calendar)
	}
	if len(v.Attributes) > 0 {
		e.b = append(e.b, `,"attributes":`...)
		e.stringMap(v.Attributes)
	}
	if v.Priority != "" {
		e.b = append(e.b, `,"priority":`...)
		e.str(v.Priority)
	}
	if len(v.PriorityReasons) > 0 {
		e.b = append(e.b, `,"priority_reasons":`...)
		e.strings(v.PriorityReasons)
	}
	if v.Team != "" {
		e.b = append(e.b, `,"team":`...)
		e.str(v.Team)
	}
	if v.Owner != "" {
		e.b = append(e.b, `,"owner":`...)
		e.str(v.Owner)
	}
	if v.SLAPolicy != nil {
		e.b = append(e.b, `,"sla_policy":`...)
		e.pin(v.SLAPolicy)
	}
	if !v.RuledAt.IsZero() {
		e.b = append(e.b, `,"ruled_at":`...)
		e.instant(v.RuledAt)
	}
	if v.PendingDelay != nil {
		e.b = append(e.b, `,"pending_delay":`...)
		e.delay(v.PendingDelay)
	}
	if len(v.Delays) > 0 {
		e.b = append(e.b, `,"delays":`...)
		e.b = append(e.b, '[')
		for i := range v.Delays {
			if i > 0 {
				e.b = append(e.b, ',')
			}
			e.delay(&v.Delays[i])
		}
		e.b = append(e.b, ']')
	}
	if v.Resolution != "" {
		e.b = append(e.b, `,"resolution":`...)
		e.str(v.Resolution)
	}
	if v.FollowUp != nil {
		e.b = append(e.b, `,"follow_up":`...)
		e.followUp(v.FollowUp)
	}
	if v.ReopenRounds != 0 {
		e.b = append(e.b, `,"reopen_rounds":`...)
		e.int(int64(v.ReopenRounds))
	}
	if v.Escalations != 0 {
		e.b = append(e.b, `,"escalations":`...)
		e.int(int64(v.Escalations))
	}
	if v.MergedInto != "" {
		e.b = append(e.b, `,"merged_into":`...)
		e.str(v.MergedInto)
	}
	if v.Rejection != nil {
		e.b = append(e.b, `,"rejection":`...)
		e.rejection(v.Rejection)
	}
	if v.Compensation != nil {
		e.b = append(e.b, `,"compensation":`...)
		e.compensation(v.Compensation)
	}
	if len(v.Tasks) > 0 {
		e.b = append(e.b, `,"tasks":`...)
		e.b = append(e.b, '[')
		for i := range v.Tasks {
			if i > 0 {
				e.b = append(e.b, ',')
			}
			e.task(&v.Tasks[i])
		}
		e.b = append(e.b, ']')
	}
	e.b = append(e.b, `,"history":`...)
	if v.History == nil {
		e.b = append(e.b, "null"...)
	} else {
		e.b = append(e.b, '[')
		for i := range v.History {
			if i > 0 {
				e.b = append(e.b, ',')
			}
			e.event(&v.History[i])
		}
		e.b = append(e.b, ']')
	}
	e.end(start)
}

func (d *snapDecoder) ticket(v *Ticket) error {
	r := d.object(ticketMembers)
	r.top = true
	for r.next(d) {
		var err error
		switch r.i {
		case ticketID:
			v.ID, err = d.str()
		case ticketVersion:
			v.Version, err = d.integer(0, MaxSnapshotEvents)
		case ticketState:
			var s string
			s, err = d.str()
			v.State = State(s)
		case ticketNode:
			v.Node, err = d.str()
		case ticketOpened:
			v.Opened, err = d.instant()
		case ticketUpdated:
			v.Updated, err = d.instant()
		case ticketRulesVersion:
			v.RulesVersion, err = d.str()
		case ticketCustomer:
			v.Customer, err = d.str()
		case ticketChannel:
			v.Channel, err = d.str()
		case ticketCategory:
			v.Category, err = d.str()
		case ticketCalendar:
			v.Calendar, err = d.str()
		case ticketAttributes:
			v.Attributes, err = decodeStringMap(d)
		case ticketPriority:
			v.Priority, err = d.str()
		case ticketPriorityReasons:
			v.PriorityReasons, err = d.strings()
		case ticketTeam:
			v.Team, err = d.str()
		case ticketOwner:
			v.Owner, err = d.str()
		case ticketSlaPolicy:
			p := new(sla.PolicyPin)
			if err = d.pin(p); err == nil {
				v.SLAPolicy = p
			}
		case ticketRuledAt:
			v.RuledAt, err = d.instant()
		case ticketPendingDelay:
			p := new(TicketDelay)
			if err = d.delay(p); err == nil {
				v.PendingDelay = p
			}
		case ticketDelays:
			v.Delays, err = d.delayList()
		case ticketResolution:
			v.Resolution, err = d.str()
		case ticketFollowUp:
			p := new(FollowUp)
			if err = d.followUp(p); err == nil {
				v.FollowUp = p
			}
		case ticketReopenRounds:
			var n int64
			n, err = d.integer(math.MinInt, math.MaxInt)
			v.ReopenRounds = int(n)
		case ticketEscalations:
			var n int64
			n, err = d.integer(math.MinInt, math.MaxInt)
			v.Escalations = int(n)
		case ticketMergedInto:
			v.MergedInto, err = d.str()
		case ticketRejection:
			p := new(Rejection)
			if err = d.rejection(p); err == nil {
				v.Rejection = p
			}
		case ticketCompensation:
			p := new(CompensationChoice)
			if err = d.compensation(p); err == nil {
				v.Compensation = p
			}
		case ticketTasks:
			v.Tasks, err = d.taskList()
		case ticketHistory:
			v.History, err = d.history(v.Version)
		}
		if err != nil {
			return err
		}
	}
	if r.err == nil {
		d.ticketSeen = r.seen
	}
	return r.err
}

// delayList reads a list of [TicketDelay].
func (d *snapDecoder) delayList() ([]TicketDelay, error) {
	r := d.array(MaxSnapshotList, false)
	if r.err != nil {
		return nil, r.err
	}
	out := make([]TicketDelay, 0, r.room(d, -1, delayMembers.minLen+1))
	for r.next(d) {
		out = grow(out, d.remaining(), delayMembers.minLen+1)
		if err := d.delay(&out[len(out)-1]); err != nil {
			return nil, err
		}
	}
	if r.err != nil {
		return nil, r.err
	}
	return out, nil
}

// taskList reads a list of [Task].
func (d *snapDecoder) taskList() ([]Task, error) {
	r := d.array(MaxSnapshotList, false)
	if r.err != nil {
		return nil, r.err
	}
	out := make([]Task, 0, r.room(d, -1, taskMembers.minLen+1))
	for r.next(d) {
		out = grow(out, d.remaining(), taskMembers.minLen+1)
		if err := d.task(&out[len(out)-1]); err != nil {
			return nil, err
		}
	}
	if r.err != nil {
		return nil, r.err
	}
	return out, nil
}

// history reads the history: null (a nil history, as encoding/json writes
// one) or at most [MaxSnapshotEvents] events. Room for the events is made
// once: as many as the ticket's version, read first, when that is a
// believable count, else as many as a quick scan counts.
func (d *snapDecoder) history(version int64) ([]Event, error) {
	r := d.array(MaxSnapshotEvents, true)
	if r.null || r.err != nil {
		return nil, r.err
	}
	guess := -1
	if version > 0 && version <= MaxSnapshotEvents {
		guess = int(version)
	}
	out := make([]Event, 0, r.room(d, guess, eventMembers.minLen+1))
	for r.next(d) {
		out = grow(out, d.remaining(), eventMembers.minLen+1)
		if err := d.event(&out[len(out)-1]); err != nil {
			return nil, err
		}
	}
	if r.err != nil {
		return nil, r.err
	}
	return out, nil
}
