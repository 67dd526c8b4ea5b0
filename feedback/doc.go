// Package feedback is the ticket of closed-loop customer-feedback handling:
// a lifecycle state machine with an append-only history, snapshots, replay
// and effects, and the rules document that configures it. It ties the
// intake, priority, sla and compensation packages together: a registration
// validated by package intake becomes a ticket's opening
// ([Rules.OpeningFromIntake]), the rules' taxonomy and routing are intake's,
// triage scores with priority, deadlines are sla's and offers
// compensation's.
//
// The package stores nothing, reads no clock and sends nothing. The host (a
// CRM, a help desk) passes in the ticket, the change and the instant it
// happened; it gets back the changed ticket, the event to store and the
// effects to carry out.
//
// # The closed loop
//
// A ticket's life follows the source documents (received → classified and
// prioritised → dispatched → handled → confirmed by the customer → archived):
//
//	received ──triage──▶ triaged ──assign──▶ assigned ──start──▶ in_progress
//	                                                              │  ▲   progress: accepted → awaiting_inspection
//	                                              wait_customer / │  │   → under_repair → completed (configurable)
//	                                            wait_third_party  ▼  │ resume
//	                                    waiting_customer / waiting_third_party (the resolution clock pauses)
//	in_progress ──resolve──▶ resolved ──follow_up──▶ follow_up ──record_follow_up (satisfied)──▶ follow_up ──close──▶ closed
//	                                                    │
//	                                                    ├─ not resolved, or score < 3 ──▶ reopened ──triage──▶ triaged …
//	                                                    └─ … once the reopen limit is reached ──▶ escalated
//
// Besides: escalate (from triaged, assigned, in_progress or waiting; a
// manager then assigns or resolves), merge into another ticket (duplicates
// are merged, never deleted: from any state that is not final), reject as
// "invalid" or "spam" with a reason (before work starts), respond (a reply
// to the customer: it stops the first-response clock), note (any open
// state), choose_compensation, and delay requests (below). closed, merged
// and rejected are final.
//
// The rules, in plain words:
//
//   - No ticket closes without a follow-up: close needs a satisfied follow-up
//     outcome recorded since the ticket was last resolved. A lifecycle that
//     lets any transition reach "closed" without that guard does not compile.
//   - A follow-up is satisfied when the customer says the problem is solved
//     and scores at least 3 on 1–5 (SatisfiedScore, MaxScore). Otherwise the
//     ticket is reopened and goes back to triage, where its priority is
//     decided again. Each unsatisfied follow-up counts one round
//     ([Ticket.ReopenRounds]); once ReopenLimit rounds (2 by default) have
//     been used, an unsatisfied follow-up escalates instead of reopening.
//   - A delay request carries a reason, a new plan and a new deadline later
//     than the current one, and must be filed at least DelayNoticeDays (1)
//     working days before the deadline, on the ticket's calendar: no later
//     than the close of the working day before the deadline's day (as
//     sla.Calendar.AddWorkingDays(deadline, -1) lands). Approval moves the
//     deadline; rejection changes nothing but clears the request. One
//     request may be pending at a time.
//   - Every accepted change appends exactly one [Event] (sequence number,
//     version, instant, actor, trigger, from, to, payload) to the history
//     and raises the version by one. A refused change returns a
//     *[TransitionError] naming the state, the trigger and the unmet guards,
//     and leaves the ticket exactly as it was.
//   - Optimistic concurrency: a [Change] carries the version the caller saw;
//     any other version is a *[StaleVersionError]. Changes may not go back in
//     time ([Change.At] before the last event).
//
// # Lifecycle as data
//
// The lifecycle is a [LifecycleSpec]: states (with a customer-facing label,
// whether entering them notifies the customer, whether they are final or
// count as an escalation, and which SLA clocks they pause) and transitions
// (from states, trigger, to state, named guards). [DefaultLifecycle] is the
// documents' one. A rules document may extend it without forking the
// package, for instance with an "awaiting parts" stage that pauses the
// resolution clock:
//
//	"lifecycle": {
//	  "states": [{"name": "awaiting_parts", "label": "waiting for parts", "notify": true, "pauses": ["resolution"]}],
//	  "transitions": [
//	    {"from": ["in_progress"], "trigger": "order_parts", "to": "awaiting_parts", "guards": ["reason_given"]},
//	    {"from": ["awaiting_parts"], "trigger": "parts_arrived", "to": "in_progress"}],
//	  "reopen_limit": 3
//	}
//
// Guards are chosen from a fixed vocabulary ([GuardNames]); each is a pure
// function of the ticket, the change and the rules. [NewLifecycle] refuses
// unknown states and guards, unreachable states, dead ends, transitions out
// of final states, two transitions for one trigger from one state unless an
// exclusive pair of guards tells them apart, and built-in triggers without
// the guards that check their data. [Lifecycle.DOT] and [Lifecycle.Mermaid]
// draw the lifecycle; the default one, as Mermaid:
//
//	stateDiagram-v2
//	    [*] --> received
//	    received --> triaged: triage
//	    reopened --> triaged: triage
//	    triaged --> assigned: assign
//	    escalated --> assigned: assign
//	    assigned --> in_progress: start
//	    in_progress --> waiting_customer: wait_customer
//	    in_progress --> waiting_third_party: wait_third_party
//	    waiting_customer --> in_progress: resume
//	    waiting_third_party --> in_progress: resume
//	    triaged --> escalated: escalate
//	    assigned --> escalated: escalate
//	    in_progress --> escalated: escalate
//	    waiting_customer --> escalated: escalate
//	    waiting_third_party --> escalated: escalate
//	    in_progress --> resolved: resolve
//	    escalated --> resolved: resolve
//	    resolved --> follow_up: follow_up
//	    follow_up --> reopened: record_follow_up if not satisfied, rounds left
//	    follow_up --> escalated: record_follow_up if not satisfied, limit reached
//	    follow_up --> closed: close if followed_up
//	    received --> rejected: reject
//	    triaged --> rejected: reject
//	    reopened --> rejected: reject
//	    closed --> [*]
//	    merged --> [*]
//	    rejected --> [*]
//
// (merge edges from every non-final state to merged are left out here;
// Mermaid() draws them all, with every guard.)
//
// # The state machine
//
// Each compiled [Lifecycle] configures one github.com/qmuntal/stateless
// machine, once, at compile time, in FiringImmediate mode with external
// state storage. Nothing about a ticket lives in the machine: each Fire
// passes a per-call context that carries the ticket, the change and what
// the change decided (the scored priority, whether a delay request is in
// time); the state accessor, the mutator and the guards read and write only
// that. The machine is therefore shared safely by every goroutine (the race
// tests drive hundreds of tickets in parallel through one [Rules] value).
// Transitions that keep the state are reentries with no entry or exit
// actions; stateless's unhandled-trigger hook is translated into a
// *[TransitionError] naming the unmet guards; no stateless panic can escape.
//
// # Storage belongs to the host
//
// A [Ticket] is plain data. [MarshalSnapshot] and [ParseSnapshot] round-trip it
// through JSON with nothing lost; [Rules.Restore] also verifies a snapshot by
// replaying its history; [Rules.Replay] rebuilds a ticket from its events
// alone, and a replayed ticket equals the one [Rules.Fire] built (both go
// through the same fold). A host that keeps its own record stores the ticket's
// fields as columns and the events in its event table.
//
// # Effects
//
// [Rules.Fire] and [Rules.Open] return effects instead of doing things:
// [NotifyCustomer] when the ticket enters a state marked notify or a new
// progress node (and when an approved delay moves the deadline), [AlertManager]
// on escalation with the escalation level, and [ScheduleCheck] with the instant
// the host should look at the ticket again: the next instant its SLA report
// changes (a warning, an escalation level, a breach), or its deadline if that
// comes first. At that instant the host calls [Rules.Check], which returns
// AlertManager effects for the SLA escalation levels reached and the next
// ScheduleCheck.
//
// # Priority, service levels and compensation
//
// Triage scores the priority with the rules' scoring (package priority)
// when the change carries a [PriorityInput], or takes a level P0..P9 given by
// hand; the event records the level and the reasons, so replay never
// re-scores. Assign without a team routes the ticket by the rules' routing.
//
// [Rules.SLA] evaluates the ticket's service levels (package sla) over its own
// history: [Rules.Timeline] turns the events into the SLA timeline (states
// entered, priorities, reopenings after unsatisfied follow-ups, progress
// nodes reached, and the events triggers report: respond → "responded",
// progress → "progress_update", record_follow_up → "followed_up"), and the
// evaluation is pinned to the policy versions in force when the ticket was
// opened, so a policy change never moves the goalposts of open tickets. The
// states a lifecycle marks as pausing a clock are added to the pause list of
// the policy metric of that name. When triage gives no deadline, the ticket's
// Deadline is the resolution deadline the policies give; an approved delay
// moves the ticket's Deadline (the committed plan) and the resolution clock's
// running cycle with it (an sla.EntryDeadline: the report shows the extension),
// unless that cycle has already breached — an approval cannot undo a breach.
//
// [Rules.Offer] computes a compensation offer (package compensation) from the
// ticket and what the host knows of the customer's loss; the customer's
// choice (compensation.Offer.Choose, then [CompensationChoiceFrom]) is
// recorded with the choose_compensation trigger.
//
// # Registrations, exports and the customer's view
//
// [Rules.IntakeValidator] checks registrations with the rules' intake section
// and taxonomy, reading timestamps without an offset in the default
// calendar's zone, and [Rules.OpeningFromIntake] turns a registration into
// the opening of its ticket (personal data stays in the host's record).
//
// [RedactTicket] makes the copy of a ticket that goes into an export or an
// archive: every text a person wrote or that names a person is masked by a
// package redact Redactor, in the ticket and in every event of its history,
// so the copy still replays; [RedactSnapshot] does the same to a stored
// snapshot. [ArchiveName] names the archive as document 002 does ("customer
// ID + feedback date + problem type").
//
// [NewProgressView] builds the customer's view of a ticket for a portal or an
// SMS from plain inputs: the progress nodes reached with their instants
// (document 000's accepted → awaiting inspection → under repair →
// completed by default, or document 004's six steps), the team now
// handling it and the promised time, with personal data masked. Nodes up to
// the current one count as reached; a reopened ticket no longer shows
// "completed". [ProgressView.Text] renders one line.
//
// # The rules document
//
// One JSON document ([RulesDocument]) holds the taxonomy, routing, lifecycle
// extensions, priority scoring, calendars and the rest; [ParseRules] decodes
// it strictly and compiles it into an immutable *[Rules] safe to share
// between goroutines. Every error is a *[PathError] naming the JSON path
// ("$.lifecycle.transitions[0].guards[1]", "$.calendars[0].time_zone").
// [PresetRulesJSON] is the source documents' rules as such a document.
//
// # A worked example
//
// Document 002's ticket F20240301001 (a battery batch fault, about 500
// phones, high urgency, medium severity) is opened, triaged with the
// after-sales scoring to P1, routed to technical support, repaired through
// the progress nodes, resolved, and closed after a follow-up scoring 5; a
// close attempted before the follow-up outcome is refused with unmet guard
// "followed_up". See ExampleRules_Fire; Example_reopenOnLowScore shows a
// score of 2 reopening the ticket and the reopen limit escalating it.
//
// The numbered documents ("document 002") are closeloop's five source
// documents on customer-feedback handling; docs/documents.md in the
// repository (https://github.com/closeloop/closeloop/blob/main/docs/documents.md)
// says what each is, and docs/trace.md where each of their rules lives.
package feedback
