package l10n

import (
	"errors"
	"strings"

	"github.com/closeloop/closeloop"
	"github.com/closeloop/closeloop/compensation"
	"github.com/closeloop/closeloop/feedback"
	"github.com/closeloop/closeloop/improvement"
	"github.com/closeloop/closeloop/intake"
	"github.com/closeloop/closeloop/internal/rulesjson"
	"github.com/closeloop/closeloop/metrics"
	"github.com/closeloop/closeloop/priority"
	"github.com/closeloop/closeloop/risk"
	"github.com/closeloop/closeloop/sla"
	"github.com/closeloop/closeloop/whatif"
)

// Error writes err's human text. The packages' typed errors (found with
// [errors.As], also behind a caller's fmt.Errorf("...: %w")) are written from
// their fields with the catalog's templates: *[closeloop.PathError] (every
// package's alias), *[feedback.TransitionError] (state, trigger and the unmet
// guards in words), *[feedback.StaleVersionError], *[feedback.FieldError],
// *[intake.Error] and its [intake.FieldProblem] values,
// *[improvement.PlanError], *[intake.UnknownValueError], *[sla.CalendarError],
// *[sla.PolicyChangedError], *[sla.TimelineError], *[priority.InputError],
// *[compensation.InputError], *[metrics.OverflowError] and
// *[metrics.DecodeError]. Below them, the packages' sentinel errors (found
// with [errors.Is]) are translated and any detail a package appended is
// kept as written. Errors from elsewhere are returned as their Error text.
func (p *Printer) Error(err error) string {
	if err == nil {
		return ""
	}
	if s, ok := p.typed(err); ok {
		return s
	}
	// A typed error deeper in the chain, behind a caller's prefix.
	if inner := findTyped(err); inner != nil {
		msg, in := err.Error(), inner.Error()
		if prefix, ok := strings.CutSuffix(msg, in); ok {
			s, _ := p.typed(inner)
			return prefix + s
		}
	}
	return p.sentinel(err)
}

// findTyped returns the outermost error of a type typed renders.
func findTyped(err error) error {
	for e := err; e != nil; e = errors.Unwrap(e) {
		if typedError(e) {
			return e
		}
	}
	return nil
}

// typedError reports whether typed knows e's type.
func typedError(e error) bool {
	switch e.(type) {
	case *rulesjson.PathError, *feedback.TransitionError, *feedback.StaleVersionError, *feedback.FieldError,
		*intake.Error, intake.FieldProblem, *intake.FieldProblem, *improvement.PlanError,
		*intake.UnknownValueError, *sla.CalendarError, *sla.PolicyChangedError, *sla.TimelineError,
		*priority.InputError, *compensation.InputError, *metrics.OverflowError, *metrics.DecodeError:
		return true
	}
	return false
}

// typed writes the error types the packages export.
func (p *Printer) typed(err error) (string, bool) {
	switch e := err.(type) {
	case *rulesjson.PathError:
		return p.t("err.path", e.Path, p.Error(e.Err)), true
	case *feedback.TransitionError:
		return p.transition(e), true
	case *feedback.StaleVersionError:
		return p.t("err.stale", e.Ticket, itoa(e.Have), itoa(e.Claimed)), true
	case *feedback.FieldError:
		return p.t("err.field", e.Field, p.Error(e.Err)), true
	case *intake.Error:
		probs := p.problems(e.Problems)
		if e.FeedbackID == "" {
			return p.t("err.intake", len(e.Problems), itoa(len(e.Problems)), probs), true
		}
		return p.t("err.intake.id", len(e.Problems), itoa(len(e.Problems)), probs, e.FeedbackID), true
	case intake.FieldProblem:
		return p.problem(e), true
	case *intake.FieldProblem:
		return p.problem(*e), true
	case *improvement.PlanError:
		return p.t("err.plan", e.PlanID, p.problems(e.Problems)), true
	case *intake.UnknownValueError:
		if e.Dimension == intake.DimensionSubCategory {
			return p.t("err.unknown_sub", e.Value, e.Category), true
		}
		return p.t("err.unknown_value", p.dimension(e.Dimension), e.Value), true
	case *sla.CalendarError:
		return p.t("err.calendar", e.Calendar, e.Op, p.Error(e.Err)), true
	case *sla.PolicyChangedError:
		return p.t("err.policy_changed", e.Policy, itoa(e.Version), e.Pinned, e.Current), true
	case *sla.TimelineError:
		return p.t("err.timeline", itoa(e.Index), p.Error(e.Err)), true
	case *priority.InputError:
		return p.priorityInput(e), true
	case *compensation.InputError:
		return p.t("err.claim_input", e.Input, p.Error(e.Err)), true
	case *metrics.OverflowError:
		return p.t("err.overflow", e.Figure), true
	case *metrics.DecodeError:
		if e.Path == "" {
			return p.t("err.decode", p.Error(e.Err), e.Reason, itoa(e.Offset)), true
		}
		return p.t("err.decode.path", p.Error(e.Err), e.Path, e.Reason, itoa(e.Offset)), true
	}
	return "", false
}

// transition writes a refused trigger: what was refused, where, and the
// conditions it lacks.
func (p *Printer) transition(e *feedback.TransitionError) string {
	trig, state := p.trigger(e.Trigger), p.State(e.State)
	var s string
	switch {
	case errors.Is(e.Err, feedback.ErrGuardUnmet) && len(e.UnmetGuards) > 0:
		guards := make([]string, len(e.UnmetGuards))
		for i, g := range e.UnmetGuards {
			guards[i] = p.t("err.guard", p.Guard(g), g)
		}
		s = p.t("err.transition.guards", trig, state, p.list(guards))
	case errors.Is(e.Err, feedback.ErrUnknownTrigger):
		s = p.t("err.transition.unknown", trig, state)
	case errors.Is(e.Err, feedback.ErrTriggerNotPermitted):
		s = p.t("err.transition.not_permitted", trig, state)
	default:
		s = p.t("err.transition.other", trig, state, p.sentinel(e.Err))
	}
	if e.Cause != nil {
		s += p.t("err.cause", p.Error(e.Cause))
	}
	return s
}

// trigger names a trigger: the code in English, words in Chinese for the
// library's own triggers.
func (p *Printer) trigger(t feedback.Trigger) string {
	if k, ok := triggerKeys[t]; ok {
		return p.t(k)
	}
	return string(t)
}

var triggerKeys = map[feedback.Trigger]string{
	feedback.TriggerOpen: "trigger.open", feedback.TriggerTriage: "trigger.triage", feedback.TriggerAssign: "trigger.assign",
	feedback.TriggerStart: "trigger.start", feedback.TriggerProgress: "trigger.progress",
	feedback.TriggerWaitCustomer: "trigger.wait_customer", feedback.TriggerWaitThirdParty: "trigger.wait_third_party",
	feedback.TriggerResume: "trigger.resume", feedback.TriggerEscalate: "trigger.escalate", feedback.TriggerResolve: "trigger.resolve",
	feedback.TriggerFollowUp: "trigger.follow_up", feedback.TriggerRecordFollowUp: "trigger.record_follow_up",
	feedback.TriggerClose: "trigger.close", feedback.TriggerMerge: "trigger.merge", feedback.TriggerReject: "trigger.reject",
	feedback.TriggerRequestDelay: "trigger.request_delay", feedback.TriggerApproveDelay: "trigger.approve_delay",
	feedback.TriggerRejectDelay: "trigger.reject_delay", feedback.TriggerChooseCompensation: "trigger.choose_compensation",
	feedback.TriggerNote: "trigger.note", feedback.TriggerRespond: "trigger.respond", feedback.TriggerRerule: "trigger.rerule",
	feedback.TriggerRecordVisit: "trigger.record_visit", feedback.TriggerRequestTask: "trigger.request_task",
	feedback.TriggerCompleteTask: "trigger.complete_task", feedback.TriggerUpdateCustomer: "trigger.update_customer",
	feedback.TriggerCustomerMessage: "trigger.customer_message",
}

// problems joins field problems.
func (p *Printer) problems(ps []intake.FieldProblem) string {
	out := make([]string, len(ps))
	for i, fp := range ps {
		out[i] = p.problem(fp)
	}
	if p.zh {
		return strings.Join(out, "；")
	}
	return strings.Join(out, "; ")
}

// problem writes one field problem: in English the package's own plain
// words, in Chinese from its error.
func (p *Printer) problem(fp intake.FieldProblem) string {
	if !p.zh || fp.Err == nil {
		return fp.Error()
	}
	return p.t("err.field", fp.Field, p.Error(fp.Err))
}

func (p *Printer) dimension(d intake.TaxonomyDimension) string {
	if k, ok := dimensionKeys[d]; ok {
		return p.t(k)
	}
	return string(d)
}

var dimensionKeys = map[intake.TaxonomyDimension]string{
	intake.DimensionKind: "taxonomy.kind", intake.DimensionCategory: "taxonomy.category",
	intake.DimensionSubCategory: "taxonomy.sub_category", intake.DimensionTag: "taxonomy.tag",
	intake.DimensionChannel: "taxonomy.channel", intake.DimensionTier: "taxonomy.tier",
	intake.DimensionStage: "taxonomy.stage",
}

// priorityInput writes an invalid priority input.
func (p *Printer) priorityInput(e *priority.InputError) string {
	switch {
	case errors.Is(e.Err, priority.ErrUnknownTier):
		if len(e.Known) == 0 {
			return p.t("err.tier_name.none", e.Name)
		}
		return p.t("err.tier_name", e.Name, p.list(e.Known))
	case errors.Is(e.Err, priority.ErrOutOfScale):
		return p.t("err.out_of_scale", p.dim(e.Field), itoa(e.Value), itoa(e.Min), itoa(e.Max))
	case errors.Is(e.Err, priority.ErrNegativeCount):
		return p.t("err.negative_count", p.dim(e.Field), itoa(e.Value))
	}
	return p.t("err.input", p.dim(e.Field), itoa(e.Value), p.sentinel(e.Err))
}

// sentinel translates the first sentinel of the packages that err wraps:
// in Chinese its text is replaced in err's message (the detail a package
// appended is kept); in English the message is returned as it is.
func (p *Printer) sentinel(err error) string {
	msg := err.Error()
	if !p.zh {
		return msg
	}
	for _, s := range sentinels {
		if errors.Is(err, s.err) {
			text := s.err.Error()
			if strings.Contains(msg, text+": ") {
				// The detail follows the sentinel: a Chinese colon between them.
				return strings.Replace(msg, text+": ", p.t(s.key)+"：", 1)
			}
			if strings.Contains(msg, text) {
				return strings.Replace(msg, text, p.t(s.key), 1)
			}
			return p.t(s.key)
		}
	}
	return msg
}

// sentinels are the packages' exported sentinel errors with their
// catalog keys, the more specific first (a priority rules error is both
// ErrNotMonotonic and ErrInvalidRules; ErrWrongMap is also
// ErrUnknownInput). The English text of each key is the sentinel's own.
var sentinels = []struct {
	err error
	key string
}{
	{rulesjson.ErrSyntax, "rulesjson.syntax"},
	{rulesjson.ErrUnknownField, "rulesjson.unknown_field"},
	{rulesjson.ErrDuplicateKey, "rulesjson.duplicate_key"},
	{rulesjson.ErrType, "rulesjson.type"},
	{rulesjson.ErrTrailingData, "rulesjson.trailing_data"},
	{rulesjson.ErrTooDeep, "rulesjson.too_deep"},
	{rulesjson.ErrTooLarge, "rulesjson.too_large"},
	{closeloop.ErrUnknownPreset, "preset.unknown_preset"}, // every package's ErrUnknownPreset is this one

	{feedback.ErrProgress, "feedback.progress"},
	{intake.ErrRequired, "intake.required"},
	{intake.ErrTooLong, "intake.too_long"},
	{intake.ErrBadText, "intake.bad_text"},
	{intake.ErrInexactTime, "intake.inexact_time"},
	{intake.ErrTimeOrder, "intake.time_order"},
	{intake.ErrRejected, "intake.rejected"},
	{intake.ErrTooMany, "intake.too_many"},
	{intake.ErrBadFormat, "intake.bad_format"},
	{intake.ErrDuplicateID, "intake.duplicate_id"},
	{intake.ErrNoRoute, "intake.no_route"},
	{feedback.ErrTriggerNotPermitted, "feedback.trigger_not_permitted"},
	{feedback.ErrGuardUnmet, "feedback.guard_unmet"},
	{feedback.ErrUnknownTrigger, "feedback.unknown_trigger"},
	{feedback.ErrUnknownState, "feedback.unknown_state"},
	{feedback.ErrStaleVersion, "feedback.stale_version"},
	{feedback.ErrInvalidChange, "feedback.invalid_change"},
	{feedback.ErrInvalidTicket, "feedback.invalid_ticket"},
	{feedback.ErrLifecycleBroken, "feedback.lifecycle_broken"},
	{feedback.ErrNoSLA, "feedback.no_sla"},
	{intake.ErrUnknownValue, "intake.unknown_value"},
	{improvement.ErrDelayTooLate, "improvement.delay_too_late"},
	{improvement.ErrDelayPending, "improvement.delay_pending"},
	{improvement.ErrNoPendingDelay, "improvement.no_pending_delay"},
	{improvement.ErrPlanFinished, "improvement.plan_finished"},
	{improvement.ErrPlanNotFinished, "improvement.plan_not_finished"},
	{improvement.ErrBadStatus, "improvement.bad_status"},
	{improvement.ErrCalendarRequired, "improvement.calendar_required"},

	{sla.ErrICS, "sla.ics"},
	{sla.ErrOutOfRange, "sla.out_of_range"},
	{sla.ErrNeverOpen, "sla.never_open"},
	{sla.ErrNeverCloses, "sla.never_closes"},
	{sla.ErrInvalidArgument, "sla.invalid_argument"},
	{sla.ErrUnknownCalendar, "sla.unknown_calendar"},
	{sla.ErrNoHolidayData, "sla.no_holiday_data"},
	{sla.ErrLimit, "sla.limit"},
	{sla.ErrUnknownState, "sla.unknown_state"},
	{sla.ErrUnknownMetric, "sla.unknown_metric"},
	{sla.ErrUnknownUnit, "sla.unknown_unit"},
	{sla.ErrPolicyDuration, "sla.policy_duration"},
	{sla.ErrDuplicatePolicy, "sla.duplicate_policy"},
	{sla.ErrAlertOutOfTarget, "sla.alert_out_of_target"},
	{sla.ErrInvalidPolicy, "sla.invalid_policy"},
	{sla.ErrTimelineOrder, "sla.timeline_order"},
	{sla.ErrInvalidEntry, "sla.invalid_entry"},
	{sla.ErrNoPolicy, "sla.no_policy"},
	{sla.ErrPolicyChanged, "sla.policy_changed"},

	{priority.ErrNotMonotonic, "priority.not_monotonic"},
	{priority.ErrInvalidRules, "priority.invalid_rules"},
	{priority.ErrOutOfScale, "priority.out_of_scale"},
	{priority.ErrNegativeCount, "priority.negative_count"},
	{priority.ErrUnknownFlag, "priority.unknown_flag"},
	{closeloop.ErrUnknownLevel, "closeloop.unknown_level"}, // priority.ErrUnknownLevel is the same
	{priority.ErrUnknownTier, "priority.unknown_tier"},

	{risk.ErrConfig, "risk.config"},
	{risk.ErrInput, "risk.input"},

	{compensation.ErrUnknownCurrency, "compensation.unknown_currency"},
	{compensation.ErrNegativeAmount, "compensation.negative_amount"},
	{compensation.ErrBadAmount, "compensation.bad_amount"},
	{compensation.ErrBadNumber, "compensation.bad_number"},
	{compensation.ErrShareOver100, "compensation.share_over_100"},
	{compensation.ErrBadRange, "compensation.bad_range"},
	{compensation.ErrOverlap, "compensation.overlap"},
	{compensation.ErrGap, "compensation.gap"},
	{compensation.ErrInvalidRule, "compensation.invalid_rule"},
	{compensation.ErrMissingInput, "compensation.missing_input"},
	{compensation.ErrWrongMap, "compensation.wrong_map"},
	{compensation.ErrUnknownInput, "compensation.unknown_input"},
	{compensation.ErrInvalidInput, "compensation.invalid_input"},
	{compensation.ErrCurrencyMismatch, "compensation.currency_mismatch"},
	{compensation.ErrAmountOutOfRange, "compensation.amount_out_of_range"},
	{compensation.ErrNoSuchOption, "compensation.no_such_option"},

	{metrics.ErrMismatch, "metrics.mismatch"},
	{metrics.ErrOverflow, "metrics.overflow"},
	{metrics.ErrSeriesTooShort, "metrics.series_too_short"},
	{metrics.ErrCorrupt, "metrics.corrupt"},
	{metrics.ErrVersion, "metrics.version"},
	{metrics.ErrLimit, "metrics.limit"},
	{metrics.ErrConfig, "metrics.config"},

	{whatif.ErrMismatch, "whatif.mismatch"},
	{whatif.ErrCorrupt, "whatif.corrupt"},
	{whatif.ErrVersion, "whatif.version"},
	{whatif.ErrConfig, "whatif.config"},
	{whatif.ErrTicket, "whatif.ticket"},
}
