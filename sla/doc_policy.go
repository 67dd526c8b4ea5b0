// # SLA policies and clock evaluation
//
// A policy set is data: a JSON document ([ParsePolicySet]) or Go values
// ([NewPolicySet]), compiled once against the host's lifecycle states and
// calendars ([PolicyEnv]) into an immutable *[PolicySet] that is safe to share
// between goroutines. [PolicySet.Evaluate] then turns a ticket's attributes and
// timeline into a [Report] at an instant now. It reads no clock, keeps no state
// and schedules nothing: call it again whenever the timeline grows, or at
// [Report.NextChange].
//
// # Policies and conditions
//
// Policies are ordered; the first policy in force whose conditions hold
// applies, and the report says which one (name and version) and why (the
// conditions that held, in words such as `kind eq "complaint"`). A policy's
// "when" has "all" (every one must hold) and "any" (when present, at least
// one must hold); no "when" matches every ticket, which makes a catch-all last
// policy. A condition is field–operator–value over the ticket's [Attributes]:
// fields kind, category, priority, channel, tier, tags and attr.<name>;
// operators eq, ne, in, not_in, contains, has_tag, exists, not_exists, and for
// priority at_least/at_most ("at_least P1" holds for P0 and P1). Conditions see
// the ticket's priority as it is at now (the last priority entry of the
// timeline, else [Attributes.Priority]).
//
// Every policy has a name and a version (1 if omitted) and may have an
// effective_from instant. A version is in force from its effective_from until
// the next version of the same name comes into force. Evaluation picks the
// versions in force when the ticket was opened (its first timeline entry), so
// a ticket stays pinned to the policy it was opened under; [Options.PinAt] pins
// to another instant (pass now to follow policy changes), and [Options.Policy]
// with [Options.Version] names the policy to use outright (for instance the one
// recorded in an earlier report), skipping conditions.
//
// # Metrics, targets and units
//
// A policy measures metrics. Each metric is a clock with start, stop, pause,
// resume and reset triggers over the timeline. A trigger fires on the
// ticket's opening ("open": the first timeline entry), on entering or leaving
// a set of states ("enter", "leave": entering means coming from a state
// outside the set), on named events ("event") or on a reopening ("reopen").
// The kinds and their default triggers:
//
//	first_response   start: open; stop: event "responded"; on reopen: ignore
//	resolution       start: open; stop: enter "resolved"; on reopen: keep
//	follow_up        start: enter "resolved"; stop: event "followed_up",
//	                 enter "closed", or a reopening; on reopen: ignore
//	periodic_update  start: open; stop: enter resolved/closed/rejected/merged;
//	                 each period is a cycle, met by event "progress_update",
//	                 and the next cycle starts at the update; on reopen: restart
//	time_in_stage    start: enter the "stage" states; stop: leave them
//	custom           start and stop required; pause/resume/reset optional
//
// A periodic update "while a condition holds" is a start and a stop: while
// the ticket is in given states is {"enter": [...]} and {"leave": [...]}.
// Any kind can override start and stop. A start that fires while the clock
// is stopped begins a new cycle (a second follow-up after a second resolution;
// a second stay in a stage); a reset restarts a running cycle.
//
// Targets are per priority ("P0".."P3", and "*" for any other priority or
// none), each in its own unit and on its own calendar: "business" (open time
// on a calendar, e.g. "8h"), "elapsed" (wall-clock time, e.g. "24h" or "3d"),
// or "working_days" (N working days on a calendar, landing at the closing time
// of the N-th working day after the start, as [Calendar.AddWorkingDays] says).
// A working-days target is turned, when its cycle starts, into the open time
// between the start and that landing instant; from then on it counts like a
// business target, so pauses push the deadline by the open time they took. A
// priority with no target is tracked (start, elapsed time, stop) but has no
// deadline and never breaches: the after-sales preset does this for P3, which
// the source document sends to "the next regular improvement cycle".
//
// # Pauses
//
// The clock does not count while the ticket is in one of the metric's
// "pause_in" states (waiting on the customer or a third party) or between a
// "pause" and a "resume" trigger. Which states pause which metric is policy
// data: the same waiting state may pause resolution but not the hourly
// progress updates. A host whose lifecycle says which states pause which
// clocks passes that as [PolicyEnv.PauseStates] (by metric name or kind), added
// to every policy's pause_in. Counted time is open time on the target's calendar for
// business and working-days targets and wall time for elapsed ones; the report
// gives it as [MetricReport.Elapsed] and the rest as [MetricReport.Remaining].
//
// # Deadlines, breaches, warnings and escalations
//
// The deadline is the instant at which the counted time reaches the target,
// projected from now with the pauses so far (a paused clock is projected as if
// it resumed now). A stop at or before the deadline meets the target — a
// reply stamped exactly on the deadline is on time — and a stop after it is
// late. A clock still running at the deadline instant, with no stop in the
// timeline at that instant, is breached at the deadline
// ([MetricReport.BreachedAt]), so [Report.NextChange] can name the deadline
// itself. An evaluation at the deadline instant reports the breach; a host that
// acted on it before applying a stop made at that same instant puts an
// [EntryObserved] between the two, and the stop is then late too, so that the
// timeline agrees with what the host was told. A breached cycle stays
// breached (a later priority change that raises the target does not undo it);
// [MetricReport.Late] is the wall-clock time from the breach to the stop, or to
// now.
//
// Warnings and escalation levels are thresholds on the same counted time,
// reached at most once per cycle, each at the instant the clock crosses it:
// "percent" of the target (a warning below 100, an escalation up to 1000),
// "before" the deadline by a lead time in any unit ("before": {"unit":
// "working_days", "days": 1} is the delay-request cut-off of source 002), or
// "after" the start. Escalation levels are listed in the order they are
// reached. A lead time is converted into counted time when the cycle
// starts (or its target changes), from the deadline the cycle would have
// without pauses; a lead that reaches back before the start is reached at the
// start. A warning at or after its own deadline is a compile error, as is a
// lead time as long as the target, wherever the two are in the same unit.
//
// # Recalculation on priority change and reopening
//
// Each metric chooses, with "on_priority_change", what a priority change does
// to a running cycle:
//
//	keep     (default) same start and counted time, the new priority's target;
//	         thresholds already passed under the new target are reached at the change
//	restart  a new cycle starts at the change, with the new target
//	ignore   the cycle keeps the target it started with
//
// and with "on_reopen" what a reopening does to a cycle that had stopped:
//
//	keep     the stopped cycle resumes from its original start and counted time;
//	         the time between the stop and the reopening does not count
//	restart  a new cycle starts at the reopening
//	ignore   nothing (the next start trigger begins a new cycle)
//
// A clock counts on every calendar its targets use (and in wall time), so a
// priority change with "keep" that moves a running cycle to a target on
// another calendar, or between elapsed and business time, continues with the
// exact counted time in the new units, pauses excluded.
//
// # Report, audit trail and NextChange
//
// For each metric the report gives the status of its current cycle (pending,
// running, paused, met, breached), start, stop, deadline, elapsed and
// remaining time, breach instant and lateness, the warnings and escalations
// reached with their instants, and how many cycles were met and breached. The
// audit trail lists every SLA event derived from the timeline, in order:
// applied (a cycle started), paused, resumed, warned, escalated, breached,
// fulfilled (the clock stopped) and recalculated (priority change, reopening,
// reset). [Report.NextChange] is the earliest instant after now at which a
// status, a warning or an escalation changes if the timeline does not grow: the
// host schedules its next evaluation there instead of polling. Paused and
// stopped clocks have no next change; only the host's next event can move them.
//
// An approved delay request is an [EntryDeadline]: the running cycle of the
// named metric (resolution by default) gets the new deadline, its target
// grows by the counted time up to it (reported as [MetricReport.Extension]),
// and its thresholds are recomputed; a breached cycle stays breached.
//
// A timeline is in non-decreasing order of instants, none after now, and
// names only states the set was compiled against; anything else is a
// *[TimelineError]. [PolicySet.EvaluateInto] reuses a [Report] and allocates
// nothing once its slices have grown.
//
// # Worked example
//
// A policy measures resolution in 8 business hours for P1 on an office
// calendar open Monday to Friday 09:00–12:00 and 13:00–18:00, paused while
// waiting on the customer, warning at 75 % and escalating to the team lead at
// 100 %:
//
//	{"default_calendar": "office", "policies": [{"name": "support", "metrics": [{
//	   "kind": "resolution",
//	   "targets": {"P1": {"unit": "business", "duration": "8h"}},
//	   "pause_in": ["waiting_customer"],
//	   "warnings": [{"name": "three_quarters", "percent": 75}],
//	   "escalations": [{"name": "team_lead", "percent": 100}]}]}]}
//
// A P1 ticket opens on Monday at 10:00 and waits on the customer from Monday
// 15:00 to Tuesday 10:00. Evaluated on Tuesday at 11:00, resolution is
// running: 5 h counted (10–12 and 13–15 on Monday, 10–11 on Tuesday), 3 h
// remaining, deadline Tuesday 15:00 (the lunch hour does not count), and
// NextChange is Tuesday 12:00, when 6 h are counted and the 75 % warning is
// due. Had the ticket not waited on the customer, the deadline would have been
// Tuesday 10:00. Evaluated on Wednesday, the report says breached at Tuesday
// 15:00, escalated to team_lead at the same instant, late by the time since;
// the audit trail reads applied, paused, resumed, warned, breached, escalated.
// ExamplePolicySet_Evaluate runs this example.
package sla
