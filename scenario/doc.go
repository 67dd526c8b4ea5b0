// Package scenario tests a policy change before it goes live: a host's own
// test suite states, as data, what its rules must do with a ticket, and the
// package runs the ticket through the real closeloop packages and reports
// every difference with a readable diff.
//
// A scenario is
//
//   - a rules document: the library's preset ("documents", the same as
//     [feedback.PresetRulesJSON]), a rules file, or an inline document, with
//     whole sections replaced by presets of package sla or priority or by
//     the host's own JSON;
//   - one ticket: its opening (id, instant, customer, channel, category,
//     attributes such as "kind" and "tier"), or its registration as it
//     arrives ("intake": document 002 table 1's fields, validated with the
//     rules' taxonomy and, with "classify", categorised by the preset
//     classifier), and its timeline of steps
//     (triage, assign, respond, start, progress, wait_customer, resolve,
//     follow_up, record_follow_up, close, request_delay, choose_compensation,
//     any trigger of the rules' lifecycle), each with its instant and payload;
//   - the outcome expected: after the last step (Expect), at given instants
//     (Checkpoints), and as compensation offers (Offers).
//
// Run compiles the rules with [feedback.ParseRules], validates an intake with
// an [intake.Validator], opens the ticket with [feedback.Rules.Open], fires
// every step with [feedback.Rules.Fire], evaluates service levels with
// [feedback.Rules.SLA] and prices offers with [feedback.Rules.Offer] — nothing
// is simulated.
//
// # What can be expected
//
// Only what a scenario states is checked; an empty field is not checked, and
// "-" expects an empty value (no deadline, no team, no next change).
//
//	ticket      state, node (progress node), category, priority, team,
//	            routed_by (the routing rule), deadline (the committed
//	            resolution deadline), reopen_rounds, compensation (the
//	            option the customer chose)
//	SLA report  policy and policy_version (the policy that matched),
//	            next_change (when the report next changes), and per metric:
//	            status, target ("48h elapsed", "16h business",
//	            "5 working_days", optionally "... on cn-office"), start,
//	            deadline, stopped, breached_at, elapsed, remaining, late,
//	            cycle, met_cycles, breached_cycles, warnings, escalations
//	steps       "refused": the step must be refused, with these unmet guards
//	offers      bands per schedule, every option offered (as
//	            compensation.OfferOption.Value writes it: "40.00 CNY voucher
//	            valid 30 days", "1000 points", "90 days", "service
//	            apology-letter"), needs_approval, withheld
//
// A checkpoint sees the ticket as it was at its instant: every step at or
// before that instant has happened, later ones not yet. Instants are written
// "2024-03-01 10:30" (seconds optional) in the scenario's time_zone, or in
// RFC 3339 with an offset; they are compared as instants and shown in the
// scenario's zone. Durations are Go durations ("47h40m"), or whole days
// ("7d").
//
// # Mismatches and errors
//
// Everything that ran but differs is a [Mismatch] naming the JSON path of the
// expectation, when it was checked, what was expected and what the library
// returned:
//
//	scenario "doc002 F20240301001": 2 mismatch(es)
//	  $.checkpoints[0].metrics.first_response.remaining (at 2024-03-01 10:50 Fri, first_response)
//	      want: 47h
//	      got:  47h40m
//	  $.expect.metrics.follow_up.deadline (at 2024-03-11 15:15 Mon, follow_up)
//	      want: 2024-03-11 17:00 Mon
//	      got:  2024-03-11 16:00 Mon
//
// A scenario that cannot run is an error, a *[PathError] naming the place:
// decoding is strict (unknown fields, duplicate keys, wrong types and
// trailing data are errors, as for every rules document of the library),
// rules errors are located in the section they came from
// ("$.rules.replace.calendars[0].time_zone"), and instants that do not parse,
// steps out of order or checkpoints before the opening name their path
// ("$.steps[3].at").
//
// # In a test suite
//
//	func TestPolicies(t *testing.T) { scenario.RunDir(t, "testdata/scenarios") }
//	func TestOne(t *testing.T)      { scenario.RunFile(t, "testdata/scenarios/p1.json") }
//	func TestTable(t *testing.T)    { scenario.Verify(t, scenario.Scenario{...}) }
//
// Run returns the [Result] (mismatches, the final ticket and SLA report) for
// hosts that want to inspect it. To test a proposed policy, run the same
// scenarios with the proposal in [Rules.Replace]: the expectations that
// change are exactly the mismatches.
//
// scenario.schema.json (JSON Schema 2020-12, next to this package) describes
// the file format, so that an editor can check a scenario file as it is
// typed; associate it with the files in the editor's settings (a "$schema"
// key in the file itself would be an unknown field).
//
// # A complete scenario file
//
// Document 002's first row: a battery fault triaged to P1, routed to
// technical support, answered within the 48-hour target, refused closing
// before the follow-up visit's outcome, closed after a score of 5 within the
// 24-hour follow-up target.
//
//	{
//	  "name": "doc002 F20240301001: battery fault → P1 → technical support",
//	  "source": "seeds/002 table 1 row 1, step 2, step 5",
//	  "time_zone": "Asia/Shanghai",
//	  "rules": {"preset": "documents", "sla_preset": "after-sales"},
//	  "ticket": {"id": "F20240301001", "at": "2024-03-01 10:30", "customer": "C1001",
//	             "channel": "phone", "category": "product_fault"},
//	  "steps": [
//	    {"at": "2024-03-01 10:40", "trigger": "triage", "deadline": "2024-03-10 18:00",
//	     "payload": {"priority_input": {"affected": 500, "urgency": 3, "severity": 2}}},
//	    {"at": "2024-03-01 10:45", "trigger": "assign"},
//	    {"at": "2024-03-01 11:00", "trigger": "respond", "payload": {"note": "已受理"}},
//	    {"at": "2024-03-02 09:00", "trigger": "start"},
//	    {"at": "2024-03-10 16:00", "trigger": "resolve", "payload": {"note": "已更换电池"}},
//	    {"at": "2024-03-11 15:00", "trigger": "follow_up"},
//	    {"at": "2024-03-11 15:01", "trigger": "close", "refused": {"unmet": ["followed_up"]}},
//	    {"at": "2024-03-11 15:10", "trigger": "record_follow_up",
//	     "payload": {"follow_up": {"resolved": true, "score": 5}}},
//	    {"at": "2024-03-11 15:15", "trigger": "close"}
//	  ],
//	  "checkpoints": [
//	    {"at": "2024-03-01 10:50", "state": "assigned", "priority": "P1",
//	     "team": "technical_support", "routed_by": "p0-p1-product-fault",
//	     "metrics": {"first_response": {"status": "running", "target": "48h elapsed",
//	                                    "deadline": "2024-03-03 10:30", "remaining": "47h40m"}}}
//	  ],
//	  "expect": {
//	    "state": "closed", "priority": "P1", "policy": "after-sales", "policy_version": 1,
//	    "metrics": {
//	      "first_response": {"status": "met", "stopped": "2024-03-01 11:00"},
//	      "follow_up": {"status": "met", "target": "24h elapsed", "deadline": "2024-03-11 16:00"}}
//	  },
//	  "offers": [
//	    {"at": "2024-03-11 15:15", "policy": "business-interruption",
//	     "claim": {"durations": {"business_interruption": "2h"}},
//	     "bands": {"business interruption": "1h to under 4h"},
//	     "options": {"extend_service": "7 days", "health_check": "service system-health-check"}}
//	  ]
//	}
//
// The package's testdata folder holds the source documents' worked rows
// and targets as scenario files — document 002's two rows and an approved
// delay request, document 001's emergency (1 h), high (4 h, hourly
// updates), normal (24 h) and suggestion (5 working days) grades, document
// 004's ordinary (24 h / 72 h) and complex (48 h / 5 working days)
// feedback, a follow-up scoring 2 that reopens a ticket, and a
// compensation case — and the package's own tests run them.
//
// The numbered documents ("document 002") are closeloop's five source
// documents on customer-feedback handling; docs/documents.md in the
// repository (https://github.com/closeloop/closeloop/blob/main/docs/documents.md)
// says what each is, and docs/trace.md where each of their rules lives.
package scenario
