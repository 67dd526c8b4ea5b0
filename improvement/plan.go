package improvement

import (
	"errors"
	"fmt"
	"slices"
	"strings"
	"time"

	"github.com/closeloop/closeloop/intake"
	"github.com/closeloop/closeloop/internal/rulesjson"
	"github.com/closeloop/closeloop/internal/textcheck"
)

// WorkingDays is the part of a business calendar that improvement plans
// need. *sla.Calendar satisfies it.
type WorkingDays interface {
	// IsWorkingDay reports whether the date of t (in the calendar's zone)
	// has open time.
	IsWorkingDay(t time.Time) bool
	// AddWorkingDays moves start forward by n working days.
	AddWorkingDays(start time.Time, n int) (time.Time, error)
}

// PlanStatus is the status column of document 002 table 3.
type PlanStatus string

// Plan statuses (进行中 / 已完成 / 延期).
const (
	PlanInProgress PlanStatus = "in_progress"
	PlanDone       PlanStatus = "done"
	PlanDelayed    PlanStatus = "delayed"
)

// DelayDecision is the approver's answer to a delay request.
type DelayDecision string

// Delay decisions.
const (
	DelayPending  DelayDecision = "pending"
	DelayApproved DelayDecision = "approved"
	DelayRejected DelayDecision = "rejected"
)

// DelayRequest is document 002 step 4's 《延期申请表》: filed by the
// responsible department at least one working day before the planned
// finish, with the reason, the adjusted plan and the resources needed, and
// approved or rejected by the after-sales head.
type DelayRequest struct {
	ID        string        `json:"id"`
	FiledAt   time.Time     `json:"filed_at"`
	Reason    string        `json:"reason"`
	NewPlan   string        `json:"new_plan"`
	Resources string        `json:"resources,omitempty"`
	NewFinish time.Time     `json:"new_finish"`
	Decision  DelayDecision `json:"decision"`
	DecidedBy string        `json:"decided_by,omitempty"`
	DecidedAt time.Time     `json:"decided_at,omitzero"`
}

// Plan is one row of document 002 table 3 (with the root cause of
// table 2): what will be changed so that a fault does not come back. Dates
// (planned start and finish, actual finish) count by their calendar date in
// their own location; pass them in the calendar's zone.
type Plan struct {
	ID             string         `json:"id"`           // e.g. IMP20240301001
	FeedbackIDs    []string       `json:"feedback_ids"` // linked feedback
	RootCauseID    string         `json:"root_cause_id,omitempty"`
	RootCause      string         `json:"root_cause"` // 问题根源
	Goal           string         `json:"goal,omitempty"`
	Measures       []string       `json:"measures"`
	Department     string         `json:"department"`
	Owner          string         `json:"owner"`
	PlannedStart   time.Time      `json:"planned_start"`
	PlannedFinish  time.Time      `json:"planned_finish"`
	OriginalFinish time.Time      `json:"original_finish,omitzero"` // the first planned finish, once a delay moved it
	ActualFinish   time.Time      `json:"actual_finish,omitzero"`
	Status         PlanStatus     `json:"status"`
	Note           string         `json:"note,omitempty"`
	DelayRequests  []DelayRequest `json:"delay_requests,omitempty"`
}

// Errors of improvement plans, wrapped in [intake.FieldProblem] values of a
// *[PlanError].
var (
	ErrDelayTooLate     = errors.New("is filed too late: less than the required working days before the planned finish")
	ErrDelayPending     = errors.New("has a delay request awaiting a decision")
	ErrNoPendingDelay   = errors.New("has no pending delay request with that ID")
	ErrPlanFinished     = errors.New("is already finished")
	ErrPlanNotFinished  = errors.New("is not finished")
	ErrBadStatus        = errors.New("is not a valid status")
	ErrCalendarRequired = errors.New("needs a working-day calendar")
)

// PlanError reports the problems of one improvement plan or one operation on it.
type PlanError struct {
	PlanID   string
	Problems []intake.FieldProblem
}

// Error lists every problem.
func (e *PlanError) Error() string {
	var b strings.Builder
	fmt.Fprintf(&b, "improvement: plan %q: ", textcheck.Truncate(e.PlanID, 64))
	for i, p := range e.Problems {
		if i > 0 {
			b.WriteString("; ")
		}
		b.WriteString(p.Error())
	}
	return b.String()
}

// Unwrap returns the problems.
func (e *PlanError) Unwrap() []error {
	out := make([]error, len(e.Problems))
	for i, p := range e.Problems {
		out[i] = p
	}
	return out
}

func planErr(id, field string, err error) *PlanError {
	return &PlanError{PlanID: id, Problems: []intake.FieldProblem{{Field: field, Message: err.Error(), Err: err}}}
}

// Validate checks a plan: ID, at least one linked feedback ID, a root cause
// (text or ID), at least one measure, department and owner present and
// single-line; planned start not after planned finish; actual finish not
// before planned start; status one of the three, and "done" exactly when
// an actual finish is recorded. All problems come back in one *[PlanError].
func (p Plan) Validate() error {
	var probs []intake.FieldProblem
	add := func(field string, err error) {
		probs = append(probs, intake.FieldProblem{Field: field, Message: err.Error(), Err: err})
	}
	text := func(field, s string, required bool) {
		if msg := textcheck.Problem(s, false); msg != "" {
			add(field, fmt.Errorf("%w: %s", intake.ErrBadText, msg))
		} else if required && strings.TrimSpace(s) == "" {
			add(field, intake.ErrRequired)
		}
	}
	text("id", p.ID, true)
	if len(p.FeedbackIDs) == 0 {
		add("feedback_ids", intake.ErrRequired)
	}
	for i, id := range p.FeedbackIDs {
		text(rulesjson.Index("feedback_ids", i), id, true)
	}
	text("root_cause_id", p.RootCauseID, false)
	if msg := textcheck.Problem(p.RootCause, true); msg != "" {
		add("root_cause", fmt.Errorf("%w: %s", intake.ErrBadText, msg))
	} else if strings.TrimSpace(p.RootCause) == "" && strings.TrimSpace(p.RootCauseID) == "" {
		add("root_cause", intake.ErrRequired)
	}
	if len(p.Measures) == 0 {
		add("measures", intake.ErrRequired)
	}
	for i, m := range p.Measures {
		if msg := textcheck.Problem(m, true); msg != "" {
			add(rulesjson.Index("measures", i), fmt.Errorf("%w: %s", intake.ErrBadText, msg))
		} else if strings.TrimSpace(m) == "" {
			add(rulesjson.Index("measures", i), intake.ErrRequired)
		}
	}
	text("department", p.Department, true)
	text("owner", p.Owner, true)
	if p.PlannedStart.IsZero() {
		add("planned_start", intake.ErrRequired)
	}
	if p.PlannedFinish.IsZero() {
		add("planned_finish", intake.ErrRequired)
	}
	if !p.PlannedStart.IsZero() && !p.PlannedFinish.IsZero() && civilDay(p.PlannedFinish) < civilDay(p.PlannedStart) {
		add("planned_finish", fmt.Errorf("%w: before planned_start", intake.ErrTimeOrder))
	}
	if !p.ActualFinish.IsZero() && !p.PlannedStart.IsZero() && civilDay(p.ActualFinish) < civilDay(p.PlannedStart) {
		add("actual_finish", fmt.Errorf("%w: before planned_start", intake.ErrTimeOrder))
	}
	switch p.Status {
	case PlanInProgress, PlanDelayed:
		if !p.ActualFinish.IsZero() {
			add("status", fmt.Errorf("%w: %q but actual_finish is set", ErrBadStatus, p.Status))
		}
	case PlanDone:
		if p.ActualFinish.IsZero() {
			add("actual_finish", fmt.Errorf("%w: status is done", intake.ErrRequired))
		}
	default:
		add("status", fmt.Errorf("%w: %q (want in_progress, done or delayed)", ErrBadStatus, p.Status))
	}
	if len(probs) > 0 {
		return &PlanError{PlanID: p.ID, Problems: probs}
	}
	return nil
}

// civilDay numbers the calendar date of t (in t's location) so that
// consecutive dates differ by one.
func civilDay(t time.Time) int64 {
	y, m, d := t.Date()
	return time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix() / 86400
}

// StatusAt returns the plan's status as of now: done once an actual finish
// is recorded; delayed when the date of now is after the planned finish
// date (a plan due on 03-10 is late from 03-11 00:00 in the plan's zone);
// otherwise in progress.
func (p Plan) StatusAt(now time.Time) PlanStatus {
	switch {
	case !p.ActualFinish.IsZero():
		return PlanDone
	case !p.PlannedFinish.IsZero() && civilDay(now.In(p.PlannedFinish.Location())) > civilDay(p.PlannedFinish):
		return PlanDelayed
	}
	return PlanInProgress
}

// DelayPolicy is the delay-request rule.
type DelayPolicy struct {
	// LeadWorkingDays is how many working days before the planned finish a
	// request must be filed (document 002: 1). Zero means 1.
	LeadWorkingDays int
}

// workingDaysAfter counts the working days d with from < d <= to (by
// calendar date in from's location); negative spans count 0. Spans beyond
// 20 years are an error.
func workingDaysAfter(cal WorkingDays, from, to time.Time) (int, error) {
	to = to.In(from.Location())
	a, b := civilDay(from), civilDay(to)
	if b-a > 20*366 {
		return 0, fmt.Errorf("%w: span of %d days is too long", intake.ErrTimeOrder, b-a)
	}
	n := 0
	y, m, d := from.Date()
	for i := int64(1); i <= b-a; i++ {
		if cal.IsWorkingDay(time.Date(y, m, d+int(i), 12, 0, 0, 0, from.Location())) {
			n++
		}
	}
	return n, nil
}

// FileDelay returns a copy of p with req appended as a pending delay
// request. Rules: the plan is not finished and has no other pending
// request; reason and new plan are given; the filing date is at least
// [DelayPolicy.LeadWorkingDays] working days before the planned finish date,
// i.e. there are at least that many working days after the filing date up to
// and including the planned finish date (due Friday: file by Thursday; due
// Monday: file by the Friday before); the new finish is after the planned
// finish. When req.NewFinish is zero, extraWorkingDays > 0 computes it as
// cal.AddWorkingDays(planned finish, extraWorkingDays). p is not changed.
func (p Plan) FileDelay(req DelayRequest, extraWorkingDays int, cal WorkingDays, policy DelayPolicy) (Plan, error) {
	field := rulesjson.Index("delay_requests", len(p.DelayRequests))
	if cal == nil {
		return p, planErr(p.ID, field, ErrCalendarRequired)
	}
	if !p.ActualFinish.IsZero() {
		return p, planErr(p.ID, "actual_finish", ErrPlanFinished)
	}
	for i, r := range p.DelayRequests {
		if r.Decision == DelayPending {
			return p, planErr(p.ID, rulesjson.Index("delay_requests", i), ErrDelayPending)
		}
		if r.ID == req.ID {
			return p, planErr(p.ID, rulesjson.Field(field, "id"), fmt.Errorf("%w: duplicate request ID %q", intake.ErrBadFormat, req.ID))
		}
	}
	lead := policy.LeadWorkingDays
	if lead <= 0 {
		lead = 1
	}
	var probs []intake.FieldProblem
	add := func(f string, err error) {
		probs = append(probs, intake.FieldProblem{Field: rulesjson.Field(field, f), Message: err.Error(), Err: err})
	}
	for _, f := range []struct{ name, v string }{{"id", req.ID}, {"reason", req.Reason}, {"new_plan", req.NewPlan}} {
		if msg := textcheck.Problem(f.v, f.name != "id"); msg != "" {
			add(f.name, fmt.Errorf("%w: %s", intake.ErrBadText, msg))
		} else if strings.TrimSpace(f.v) == "" {
			add(f.name, intake.ErrRequired)
		}
	}
	if msg := textcheck.Problem(req.Resources, true); msg != "" {
		add("resources", fmt.Errorf("%w: %s", intake.ErrBadText, msg))
	}
	if req.NewFinish.IsZero() && extraWorkingDays > 0 && !p.PlannedFinish.IsZero() {
		t, err := cal.AddWorkingDays(p.PlannedFinish, extraWorkingDays)
		if err != nil {
			add("new_finish", fmt.Errorf("%w: %v", intake.ErrBadFormat, err))
		}
		req.NewFinish = t
	}
	switch {
	case req.FiledAt.IsZero():
		add("filed_at", intake.ErrRequired)
	case p.PlannedFinish.IsZero():
		probs = append(probs, intake.FieldProblem{Field: "planned_finish", Message: intake.ErrRequired.Error(), Err: intake.ErrRequired})
	default:
		n, err := workingDaysAfter(cal, req.FiledAt.In(p.PlannedFinish.Location()), p.PlannedFinish)
		if err != nil {
			add("filed_at", err)
		} else if n < lead {
			add("filed_at", fmt.Errorf("%w: %d working day(s) ahead, %d required", ErrDelayTooLate, n, lead))
		}
	}
	if req.NewFinish.IsZero() {
		if !hasProblem(probs, rulesjson.Field(field, "new_finish")) {
			add("new_finish", intake.ErrRequired)
		}
	} else if !p.PlannedFinish.IsZero() && civilDay(req.NewFinish.In(p.PlannedFinish.Location())) <= civilDay(p.PlannedFinish) {
		add("new_finish", fmt.Errorf("%w: not after the planned finish", intake.ErrTimeOrder))
	}
	if len(probs) > 0 {
		return p, &PlanError{PlanID: p.ID, Problems: probs}
	}
	req.Decision, req.DecidedBy, req.DecidedAt = DelayPending, "", time.Time{}
	out := p.clone()
	out.DelayRequests = append(out.DelayRequests, req)
	return out, nil
}

// DecideDelay returns a copy of p with the pending request requestID
// approved or rejected by by at at. Approval moves the planned finish to the
// request's new finish (keeping the first one in [Plan.OriginalFinish]) and
// puts a delayed plan back in progress; rejection changes nothing else. p is
// not changed.
func (p Plan) DecideDelay(requestID string, approve bool, by string, at time.Time) (Plan, error) {
	for i, r := range p.DelayRequests {
		if r.ID != requestID || r.Decision != DelayPending {
			continue
		}
		field := rulesjson.Index("delay_requests", i)
		if strings.TrimSpace(by) == "" || textcheck.Problem(by, false) != "" {
			return p, planErr(p.ID, rulesjson.Field(field, "decided_by"), intake.ErrRequired)
		}
		if at.IsZero() || at.Before(r.FiledAt) {
			return p, planErr(p.ID, rulesjson.Field(field, "decided_at"), fmt.Errorf("%w: missing or before filed_at", intake.ErrTimeOrder))
		}
		out := p.clone()
		d := &out.DelayRequests[i]
		d.DecidedBy, d.DecidedAt = by, at
		if approve {
			d.Decision = DelayApproved
			if out.OriginalFinish.IsZero() {
				out.OriginalFinish = out.PlannedFinish
			}
			out.PlannedFinish = d.NewFinish
			if out.Status == PlanDelayed {
				out.Status = PlanInProgress
			}
		} else {
			d.Decision = DelayRejected
		}
		return out, nil
	}
	return p, planErr(p.ID, "delay_requests", fmt.Errorf("%w: %q", ErrNoPendingDelay, requestID))
}

// Finish returns a copy of p marked done on at.
func (p Plan) Finish(at time.Time) (Plan, error) {
	if !p.ActualFinish.IsZero() {
		return p, planErr(p.ID, "actual_finish", ErrPlanFinished)
	}
	if at.IsZero() {
		return p, planErr(p.ID, "actual_finish", intake.ErrRequired)
	}
	out := p.clone()
	out.ActualFinish, out.Status = at, PlanDone
	return out, nil
}

func (p Plan) clone() Plan {
	p.FeedbackIDs = slices.Clone(p.FeedbackIDs)
	p.Measures = slices.Clone(p.Measures)
	p.DelayRequests = slices.Clone(p.DelayRequests)
	return p
}

// PlanTiming says whether a finished plan was early, on time or late.
type PlanTiming string

// Plan timings.
const (
	PlanEarly  PlanTiming = "early"
	PlanOnTime PlanTiming = "on_time"
	PlanLate   PlanTiming = "late"
)

// PlanOutcome compares a finished plan's actual finish date with its
// planned finish date (as moved by approved delays).
type PlanOutcome struct {
	Timing PlanTiming `json:"timing"`
	// CalendarDays is the number of calendar days early or late (0 on time).
	CalendarDays int `json:"calendar_days"`
	// WorkingDays is the number of working days early or late: the working
	// days after the earlier date up to and including the later one. A plan
	// due on a Sunday and finished on the Saturday before is 1 calendar day
	// but 0 working days early.
	WorkingDays int `json:"working_days"`
	// AgainstOriginal is the same comparison with the first planned finish,
	// when a delay moved it (nil otherwise).
	AgainstOriginal *PlanOutcome `json:"against_original,omitempty"`
}

// Outcome reports how early or late a finished plan was, in calendar and
// working days.
func (p Plan) Outcome(cal WorkingDays) (PlanOutcome, error) {
	if cal == nil {
		return PlanOutcome{}, planErr(p.ID, "calendar", ErrCalendarRequired)
	}
	if p.ActualFinish.IsZero() {
		return PlanOutcome{}, planErr(p.ID, "actual_finish", ErrPlanNotFinished)
	}
	if p.PlannedFinish.IsZero() {
		return PlanOutcome{}, planErr(p.ID, "planned_finish", intake.ErrRequired)
	}
	out, err := compareFinish(cal, p.ActualFinish, p.PlannedFinish)
	if err != nil {
		return PlanOutcome{}, planErr(p.ID, "actual_finish", err)
	}
	if !p.OriginalFinish.IsZero() && civilDay(p.OriginalFinish) != civilDay(p.PlannedFinish) {
		orig, err := compareFinish(cal, p.ActualFinish, p.OriginalFinish)
		if err != nil {
			return PlanOutcome{}, planErr(p.ID, "original_finish", err)
		}
		out.AgainstOriginal = &orig
	}
	return out, nil
}

func compareFinish(cal WorkingDays, actual, planned time.Time) (PlanOutcome, error) {
	actual = actual.In(planned.Location())
	a, b := civilDay(actual), civilDay(planned)
	switch {
	case a == b:
		return PlanOutcome{Timing: PlanOnTime}, nil
	case a < b:
		n, err := workingDaysAfter(cal, actual, planned)
		return PlanOutcome{Timing: PlanEarly, CalendarDays: int(b - a), WorkingDays: n}, err
	default:
		n, err := workingDaysAfter(cal, planned, actual)
		return PlanOutcome{Timing: PlanLate, CalendarDays: int(a - b), WorkingDays: n}, err
	}
}

// RootCause is a documented cause of faults (document 000's "root-cause
// library", 002 table 2's 问题根源分析).
type RootCause struct {
	ID       string `json:"id"`
	Summary  string `json:"summary"`
	Category string `json:"category,omitempty"`
	Product  string `json:"product,omitempty"`
}

// RootCauseLink says that a piece of feedback was traced to a root cause.
type RootCauseLink struct {
	FeedbackID  string    `json:"feedback_id"`
	RootCauseID string    `json:"root_cause_id"`
	At          time.Time `json:"at"` // when the feedback was received
}

// RootCauseRecord is a root cause with everything linked to it.
type RootCauseRecord struct {
	RootCause
	FeedbackIDs []string  `json:"feedback_ids"` // distinct, in time order
	PlanIDs     []string  `json:"plan_ids,omitempty"`
	Occurrences int       `json:"occurrences"` // distinct feedback IDs
	FirstSeen   time.Time `json:"first_seen"`
	LastSeen    time.Time `json:"last_seen"`
	Repeated    bool      `json:"repeated"` // Occurrences >= the repeat threshold
}

// LinkRootCauses gathers links and plans under their root causes so that a
// repeated fault shows as such: a cause with at least repeatAt (default 2
// when <= 0) distinct pieces of feedback is [RootCauseRecord.Repeated]. Records
// come back repeated first, then by occurrences, then by ID; causes with no
// links are included with zero occurrences. A link or plan naming an unknown
// cause is an error wrapping [intake.ErrUnknownValue].
func LinkRootCauses(causes []RootCause, links []RootCauseLink, plans []Plan, repeatAt int) ([]RootCauseRecord, error) {
	if repeatAt <= 0 {
		repeatAt = 2
	}
	idx := map[string]int{}
	recs := make([]RootCauseRecord, len(causes))
	for i, c := range causes {
		if strings.TrimSpace(c.ID) == "" {
			return nil, fmt.Errorf("improvement: causes[%d].id %w", i, intake.ErrRequired)
		}
		if _, dup := idx[c.ID]; dup {
			return nil, fmt.Errorf("improvement: causes[%d].id: duplicate %q: %w", i, c.ID, intake.ErrBadFormat)
		}
		idx[c.ID] = i
		recs[i].RootCause = c
	}
	sorted := slices.Clone(links)
	slices.SortStableFunc(sorted, func(a, b RootCauseLink) int { return a.At.Compare(b.At) })
	for _, l := range sorted {
		i, ok := idx[l.RootCauseID]
		if !ok {
			return nil, fmt.Errorf("improvement: link of %q: root cause %q %w", l.FeedbackID, l.RootCauseID, intake.ErrUnknownValue)
		}
		r := &recs[i]
		if slices.Contains(r.FeedbackIDs, l.FeedbackID) {
			continue
		}
		r.FeedbackIDs = append(r.FeedbackIDs, l.FeedbackID)
		r.Occurrences++
		if r.FirstSeen.IsZero() || l.At.Before(r.FirstSeen) {
			r.FirstSeen = l.At
		}
		if l.At.After(r.LastSeen) {
			r.LastSeen = l.At
		}
	}
	for _, p := range plans {
		if p.RootCauseID == "" {
			continue
		}
		i, ok := idx[p.RootCauseID]
		if !ok {
			return nil, fmt.Errorf("improvement: plan %q: root cause %q %w", p.ID, p.RootCauseID, intake.ErrUnknownValue)
		}
		recs[i].PlanIDs = append(recs[i].PlanIDs, p.ID)
	}
	for i := range recs {
		recs[i].Repeated = recs[i].Occurrences >= repeatAt
	}
	slices.SortStableFunc(recs, func(a, b RootCauseRecord) int {
		switch {
		case a.Repeated != b.Repeated:
			if a.Repeated {
				return -1
			}
			return 1
		case a.Occurrences != b.Occurrences:
			return b.Occurrences - a.Occurrences
		}
		return strings.Compare(a.ID, b.ID)
	})
	return recs, nil
}

func hasProblem(probs []intake.FieldProblem, field string) bool {
	for _, p := range probs {
		if p.Field == field {
			return true
		}
	}
	return false
}
