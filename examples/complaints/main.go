// Command complaints runs document 001's complaint grading (投诉分级处理标准)
// through closeloop:
//
//   - the grading itself: severity × urgency, with personal safety, major
//     property loss and legal risk raising a complaint to "emergency", graded
//     into emergency (P0), high (P1), normal (P2) and suggestion (P3), each
//     with its own response target and team;
//   - an emergency (glass in a meal, a child hurt): respond within 1 hour,
//     senior management, legal and PR notified at once (the moment the
//     triage grades it emergency), the ticket escalated to management,
//     legal and PR; after resolution a second visit within 30
//     days (a lifecycle extension keeps the ticket open until it happened);
//   - a high complaint (an order 30 hours late): respond within 4 hours, a
//     progress update to the customer every hour (a missed hour shows up as a
//     breached cycle), and a compensation offer the customer chooses from;
//   - the follow-up visit scores 2 out of 5: the ticket reopens, goes back to
//     triage, is handled again, and the second follow-up (4 out of 5) closes it.
//
// The rules are one JSON document: the library's preset with the complaint
// grading priority preset, the complaint SLA preset and document 001's teams.
// Every instant is fixed: the output is the same on every run.
package main

import (
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"strings"
	"time"
	_ "time/tzdata" // the calendar's zone on machines without a zone database

	"github.com/closeloop/closeloop/compensation"
	"github.com/closeloop/closeloop/feedback"
	"github.com/closeloop/closeloop/intake"
	"github.com/closeloop/closeloop/l10n"
	"github.com/closeloop/closeloop/priority"
	"github.com/closeloop/closeloop/sla"
)

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "complaints:", err)
		os.Exit(1)
	}
}

// Document 001's teams: senior management for emergencies, the dedicated
// complaints team for high complaints, front-line service for the rest,
// the product and service departments for suggestions.
const routing001 = `{
  "rules": [
    {"name": "emergency", "when": {"kinds": ["complaint"], "priorities": ["P0"]}, "team": "senior_management"},
    {"name": "high", "when": {"kinds": ["complaint"], "priorities": ["P1"]}, "team": "complaints_team"},
    {"name": "suggestion", "when": {"kinds": ["suggestion"]}, "team": "product_service_dept"}
  ],
  "default_team": "frontline_service"
}`

// The second visit after a major complaint (document 001: within 30 days of
// resolution) is a trigger of its own, reported to the SLA clocks as the
// event "second_visit" that stops the emergency policy's second_visit clock.
// A response also counts as a progress update for the hourly clock, and so
// does the new "update_customer" trigger.
const lifecycle001 = `{
  "transitions": [
    {"from": ["follow_up"], "trigger": "second_visit", "guards": ["note_given"]},
    {"from": ["assigned", "in_progress", "waiting_customer", "waiting_third_party", "escalated"],
     "trigger": "update_customer", "guards": ["note_given"]}
  ],
  "events": {
    "respond": ["responded", "progress_update"],
    "update_customer": ["progress_update"],
    "second_visit": ["second_visit"]
  },
  "reopen_limit": 2
}`

func rules001() (*feedback.Rules, error) {
	doc, err := feedback.PresetRulesDocument()
	if err != nil {
		return nil, err
	}
	var prio priority.Spec
	if err := decodePreset(priority.PresetJSON, "complaint-grading", &prio); err != nil {
		return nil, err
	}
	// The preset counts working days on a calendar named "business"; the
	// rules' default calendar (cn-office) takes its place.
	var slaSpec sla.PolicySetSpec
	if err := decodePreset(sla.PresetJSON, sla.PresetComplaintGrading, &slaSpec); err != nil {
		return nil, err
	}
	var routing intake.RouterSpec
	if err := json.Unmarshal([]byte(routing001), &routing); err != nil {
		return nil, err
	}
	var ext feedback.LifecycleExtension
	if err := json.Unmarshal([]byte(lifecycle001), &ext); err != nil {
		return nil, err
	}
	ext.ProgressNodes = doc.Lifecycle.ProgressNodes
	doc.Version = "complaints-001"
	doc.Priority = &prio
	doc.SLA = &slaSpec
	doc.Routing = &routing
	doc.Lifecycle = &ext
	return feedback.CompileRules(doc)
}

// decodePreset decodes the preset called name into v.
func decodePreset(preset func(string) ([]byte, error), name string, v any) error {
	data, err := preset(name)
	if err != nil {
		return err
	}
	return json.Unmarshal(data, v)
}

// desk is the host: compiled rules, tickets, output.
type desk struct {
	w       io.Writer
	rules   *feedback.Rules
	loc     *time.Location
	tickets map[string]*feedback.Ticket
	alerted map[string]bool // alerts already raised, by ticket, reason and level
	err     error
}

func (d *desk) printf(format string, args ...any) {
	if d.err == nil {
		_, d.err = fmt.Fprintf(d.w, format, args...)
	}
}

func (d *desk) at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, d.loc)
	if err != nil {
		panic(err) // the example's own constants
	}
	return t
}

func (d *desk) fmtTime(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.In(d.loc).Format("01-02 15:04")
}

// english writes durations as every closeloop example does ("4h", "30d").
var english = l10n.New(l10n.English)

// fmtTarget writes a target: "4h elapsed", "5 working days" (on the
// cn-office calendar the heading names).
func fmtTarget(t sla.Target) string {
	if t.Unit == sla.WorkingDays {
		return fmt.Sprintf("%d working days", t.Days)
	}
	return english.Duration(t.Duration) + " " + t.Unit.String()
}

type step struct {
	when, actor string
	trig        feedback.Trigger
	p           feedback.Payload
}

// fire applies changes to a ticket and prints each event and its effects.
func (d *desk) fire(id string, steps ...step) error {
	t := d.tickets[id]
	for _, s := range steps {
		out, err := d.rules.Fire(t, feedback.Change{Trigger: s.trig, Version: t.Version, At: d.at(s.when), Actor: s.actor, Payload: s.p})
		if err != nil {
			return fmt.Errorf("%s %s: %w", id, s.trig, err)
		}
		ev := out.Event
		d.printf("%s\n", strings.TrimRight(fmt.Sprintf("  %s v%-2d %-19s %-11s → %-11s %s", d.fmtTime(ev.At), ev.Version, ev.Trigger, ev.From, ev.To, d.detail(t, ev)), " "))
		for _, e := range out.Effects {
			switch e.Kind {
			case feedback.NotifyCustomer:
				msg := e.Label
				if e.Node != "" {
					msg += " / " + e.Node
				}
				d.printf("      → tell the customer: %s\n", msg)
			case feedback.AlertManager:
				d.printf("      → ALERT, escalation level %d: %s\n", e.Level, e.Reason)
			}
		}
	}
	return nil
}

func (d *desk) detail(t *feedback.Ticket, ev feedback.Event) string {
	p := ev.Payload
	switch ev.Trigger {
	case feedback.TriggerTriage:
		return fmt.Sprintf("graded %s (%s)", d.rules.PriorityScorer().LevelName(mustLevel(p.Priority)), p.Priority)
	case feedback.TriggerAssign:
		return fmt.Sprintf("team %s (rule %q)", t.Team, p.RoutedBy)
	case feedback.TriggerEscalate:
		return "reason: " + p.Reason
	case feedback.TriggerResolve:
		return "resolution: " + p.Note
	case feedback.TriggerRecordFollowUp:
		f := p.FollowUp
		return fmt.Sprintf("solved=%v score %d/5 satisfied=%v %q", f.Resolved, f.Score, f.Satisfied, f.Comment)
	case feedback.TriggerChooseCompensation:
		c := p.Compensation
		return fmt.Sprintf("customer chose %s %s%s (%s)", c.Option, c.Amount, c.Quantity, c.Status)
	}
	if p.Note != "" {
		return p.Note
	}
	return ""
}

func mustLevel(s string) priority.Level {
	l, err := priority.ParseLevel(s)
	if err != nil {
		panic(err)
	}
	return l
}

// check is what the host runs when a ScheduleCheck comes due: the SLA
// report and the alerts.
func (d *desk) check(id, when string) error {
	t := d.tickets[id]
	now := d.at(when)
	effects, rep, err := d.rules.Check(t, time.Time{}, now)
	if err != nil {
		return err
	}
	d.printf("  check at %s: policy %s (%s), priority %s, state %s\n", d.fmtTime(now), rep.Policy, strings.Join(rep.Why, " and "), rep.Priority, rep.State)
	for _, m := range rep.Metrics {
		line := fmt.Sprintf("    %-14s %-8s target %-9s", m.Name, m.Status, fmtTarget(m.Target))
		if m.Cycle > 1 {
			line += fmt.Sprintf(" cycle %d (met %d, breached %d)", m.Cycle, m.MetCycles, m.BreachedCycles)
		}
		if !m.Deadline.IsZero() && m.Status != sla.Pending {
			line += " due " + d.fmtTime(m.Deadline)
		}
		if !m.BreachedAt.IsZero() {
			line += " breached at " + d.fmtTime(m.BreachedAt)
		}
		for _, a := range m.Warnings {
			line += fmt.Sprintf(" [warning %s at %s]", a.Name, d.fmtTime(a.At))
		}
		for _, a := range m.Escalations {
			line += fmt.Sprintf(" [escalation %s at %s]", a.Name, d.fmtTime(a.At))
		}
		d.printf("%s\n", line)
	}
	for _, e := range effects {
		switch e.Kind {
		case feedback.AlertManager:
			// Check reports every level reached in a clock's current
			// cycle; the host raises each one once.
			key := fmt.Sprintf("%s|%s|%d|%d", id, e.Reason, e.Level, e.At.Unix())
			if d.alerted[key] {
				continue
			}
			d.alerted[key] = true
			d.printf("    → ALERT level %d: %s (since %s)\n", e.Level, e.Reason, d.fmtTime(e.At))
		case feedback.ScheduleCheck:
			d.printf("    → check again at %s\n", d.fmtTime(e.At))
		}
	}
	return nil
}

func run(w io.Writer) error {
	rules, err := rules001()
	if err != nil {
		return fmt.Errorf("rules: %w", err)
	}
	cal, err := rules.Calendars().Lookup("cn-office")
	if err != nil {
		return err
	}
	d := &desk{w: w, rules: rules, loc: cal.Location(), tickets: map[string]*feedback.Ticket{}, alerted: map[string]bool{}}
	for _, part := range []func() error{d.grading, d.emergency, d.high} {
		if err := part(); err != nil {
			return err
		}
		if d.err != nil {
			return d.err
		}
	}
	return d.err
}

// grading prints document 001's four levels as the rules decide them.
func (d *desk) grading() error {
	d.printf("== Document 001's complaint grading (severity × urgency, overrides), with the SLA and team each level gets\n")
	d.printf("   (each received Monday 03-04 09:00; working days on the cn-office calendar)\n")
	scorer := d.rules.PriorityScorer()
	cases := []struct {
		what string
		kind string
		in   priority.Input
	}{
		{"food safety incident, a customer hurt", "complaint", priority.Input{Severity: 2, Urgency: 3, Flags: priority.PersonalSafety}},
		{"order not delivered", "complaint", priority.Input{Severity: 3, Urgency: 3}},
		{"slight defect on delivery", "complaint", priority.Input{Severity: 2, Urgency: 2}},
		{"add a dark mode to the app", "suggestion", priority.Input{Severity: 1, Urgency: 1}},
	}
	opened := d.at("2024-03-04 09:00")
	for _, c := range cases {
		res, err := scorer.Explain(c.in)
		if err != nil {
			return err
		}
		level := res.Level.String()
		// A throw-away ticket shows which policy and team the level gets.
		t, _, err := d.rules.Open(feedback.Opening{ID: "GRADE", At: opened, Actor: "demo", Category: "complaint",
			Attributes: map[string]string{"kind": c.kind}})
		if err != nil {
			return err
		}
		if _, err := d.rules.Fire(t, feedback.Change{Trigger: feedback.TriggerTriage, Version: t.Version, At: opened, Actor: "demo",
			Payload: feedback.Payload{Priority: level}}); err != nil {
			return err
		}
		if _, err := d.rules.Fire(t, feedback.Change{Trigger: feedback.TriggerAssign, Version: t.Version, At: opened, Actor: "demo"}); err != nil {
			return err
		}
		rep, err := d.rules.SLA(t, opened)
		if err != nil {
			return err
		}
		m, _ := rep.Metric("first_response")
		d.printf("  %-38s → %-10s (%s)  respond within %-15s (due %s)  team %-20s policy %s\n",
			c.what, res.Name, level, fmtTarget(m.Target), d.fmtTime(m.Deadline), t.Team, rep.Policy)
	}
	return nil
}

// emergency: glass in a meal, a child hurt.
func (d *desk) emergency() error {
	const id = "C20240304001"
	d.printf("\n== %s emergency: glass in a delivered meal, a child's mouth cut\n", id)
	t, _, err := d.rules.Open(feedback.Opening{ID: id, At: d.at("2024-03-04 09:00"), Actor: "hotline", Customer: "CU-881",
		Channel: "phone", Category: "complaint", Attributes: map[string]string{"kind": "complaint", "tier": "returning"}})
	if err != nil {
		return err
	}
	d.tickets[id] = t
	if err := d.fire(id,
		step{"2024-03-04 09:05", "hotline", feedback.TriggerTriage, feedback.Payload{
			PriorityInput: &feedback.PriorityInput{Severity: 2, Urgency: 3, Flags: []string{"personal_safety"}}}},
	); err != nil {
		return err
	}
	d.printf("      why: %s\n", strings.Join(t.PriorityReasons, "\n           "))
	if err := d.fire(id,
		step{"2024-03-04 09:06", "hotline", feedback.TriggerAssign, feedback.Payload{}},
	); err != nil {
		return err
	}
	// Half an hour later nobody has answered: the check the library
	// scheduled alerts senior management.
	if err := d.check(id, "2024-03-04 09:35"); err != nil {
		return err
	}
	if err := d.fire(id,
		step{"2024-03-04 09:36", "duty-manager", feedback.TriggerEscalate, feedback.Payload{Reason: "人身安全：高层介入，通知法务和公关"}},
		step{"2024-03-04 09:50", "general-manager", feedback.TriggerRespond, feedback.Payload{Note: "总经理致电致歉，安排就医并承担费用"}},
	); err != nil {
		return err
	}
	if err := d.check(id, "2024-03-04 09:50"); err != nil {
		return err
	}
	if err := d.fire(id,
		step{"2024-03-05 17:00", "general-manager", feedback.TriggerResolve, feedback.Payload{Note: "医药费全额赔付，供应商停用，后厨流程整改"}},
		step{"2024-03-06 10:00", "complaints-team", feedback.TriggerFollowUp, feedback.Payload{}},
		step{"2024-03-06 10:10", "complaints-team", feedback.TriggerRecordFollowUp, feedback.Payload{
			FollowUp: &feedback.FollowUp{Resolved: true, Score: 4, Comment: "处理及时"}}},
	); err != nil {
		return err
	}
	if err := d.check(id, "2024-03-06 10:10"); err != nil {
		return err
	}
	return d.fire(id,
		step{"2024-04-02 15:00", "complaints-team", "second_visit", feedback.Payload{Note: "二次回访：孩子已康复，赠送定制关怀礼品"}},
		step{"2024-04-02 15:05", "complaints-team", feedback.TriggerClose, feedback.Payload{}},
	)
}

// high: an order 30 hours late.
func (d *desk) high() error {
	const id = "C20240304002"
	d.printf("\n== %s high: order promised for 03-03 04:00, still not delivered\n", id)
	t, _, err := d.rules.Open(feedback.Opening{ID: id, At: d.at("2024-03-04 10:00"), Actor: "chat-bot", Customer: "CU-342",
		Channel: "online_chat", Category: "complaint", Attributes: map[string]string{"kind": "complaint"}})
	if err != nil {
		return err
	}
	d.tickets[id] = t
	if err := d.fire(id,
		step{"2024-03-04 10:10", "agent-12", feedback.TriggerTriage, feedback.Payload{
			PriorityInput: &feedback.PriorityInput{Severity: 3, Urgency: 3}}},
		step{"2024-03-04 10:12", "agent-12", feedback.TriggerAssign, feedback.Payload{}},
		step{"2024-03-04 10:40", "complaints-team", feedback.TriggerRespond, feedback.Payload{Note: "已联系物流核实包裹位置"}},
		step{"2024-03-04 10:45", "complaints-team", feedback.TriggerStart, feedback.Payload{}},
		step{"2024-03-04 11:35", "complaints-team", "update_customer", feedback.Payload{Note: "包裹滞留转运中心，已加急"}},
		step{"2024-03-04 12:30", "complaints-team", "update_customer", feedback.Payload{Note: "包裹已出库，预计15:00前送达"}},
	); err != nil {
		return err
	}
	// 13:45: no update since 12:30, the hourly update was due at 13:30.
	if err := d.check(id, "2024-03-04 13:45"); err != nil {
		return err
	}
	if err := d.fire(id,
		step{"2024-03-04 13:50", "complaints-team", "update_customer", feedback.Payload{Note: "快递员已在派送途中"}},
		step{"2024-03-04 14:45", "complaints-team", "update_customer", feedback.Payload{Note: "快递员预计15:00送达"}},
	); err != nil {
		return err
	}

	// Delivered at 15:00, 35 hours after the promised time: the offer's band
	// is "24h to under 72h"; the customer chooses among its options.
	offer, err := d.rules.Offer(t, "complaint-goodwill", compensation.Claim{
		Durations: map[string]time.Duration{"resolution_overrun": 35 * time.Hour}})
	if err != nil {
		return err
	}
	d.printf("  compensation offer (%s, delivered %s late):\n", offer.Policy, english.Duration(35*time.Hour))
	for _, r := range offer.Readings {
		d.printf("    band %q of %q\n", r.Band, r.Schedule)
	}
	for _, o := range offer.Options {
		d.printf("    - %-16s %-28s %s\n", o.ID, o.Label, o.Value())
	}
	settlement, err := offer.Choose("voucher", d.at("2024-03-04 15:20"))
	if err != nil {
		return err
	}
	d.printf("  settlement: %s\n", strings.ReplaceAll(strings.TrimSpace(settlement.Explanation()), "\n", "\n    "))
	if err := d.fire(id,
		step{"2024-03-04 15:20", "complaints-team", feedback.TriggerChooseCompensation, feedback.Payload{Compensation: feedback.CompensationChoiceFrom(settlement)}},
		step{"2024-03-04 15:30", "complaints-team", feedback.TriggerResolve, feedback.Payload{Note: "包裹15:00已签收，代金券已发放"}},
		step{"2024-03-05 10:00", "complaints-team", feedback.TriggerFollowUp, feedback.Payload{}},
		step{"2024-03-05 10:05", "complaints-team", feedback.TriggerRecordFollowUp, feedback.Payload{
			FollowUp: &feedback.FollowUp{Resolved: true, Score: 2, Comment: "送达太慢，餐品已凉"}}},
	); err != nil {
		return err
	}
	d.printf("  reopened: state %s, reopen rounds %d; back to triage, where the priority is decided again\n", t.State, t.ReopenRounds)
	// Closing is refused now: the last follow-up was not satisfied.
	if _, err := d.rules.Preview(t, feedback.Change{Trigger: feedback.TriggerClose, Version: t.Version, At: d.at("2024-03-05 10:06"), Actor: "agent-12"}); err != nil {
		var te *feedback.TransitionError
		if !errors.As(err, &te) {
			return err
		}
		d.printf("  close refused in %s: %v\n", te.State, errors.Unwrap(err))
	}
	if err := d.fire(id,
		step{"2024-03-05 10:20", "complaints-lead", feedback.TriggerTriage, feedback.Payload{
			PriorityInput: &feedback.PriorityInput{Severity: 3, Urgency: 3}}},
		step{"2024-03-05 10:21", "complaints-lead", feedback.TriggerAssign, feedback.Payload{}},
		step{"2024-03-05 10:30", "complaints-lead", feedback.TriggerRespond, feedback.Payload{Note: "投诉主管致电致歉"}},
		step{"2024-03-05 10:31", "complaints-lead", feedback.TriggerStart, feedback.Payload{}},
		step{"2024-03-05 11:15", "complaints-lead", feedback.TriggerResolve, feedback.Payload{Note: "补送热餐一份，开通优先配送"}},
		step{"2024-03-06 10:00", "complaints-team", feedback.TriggerFollowUp, feedback.Payload{}},
		step{"2024-03-06 10:05", "complaints-team", feedback.TriggerRecordFollowUp, feedback.Payload{
			FollowUp: &feedback.FollowUp{Resolved: true, Score: 4, Comment: "态度很好"}}},
		step{"2024-03-06 10:10", "complaints-team", feedback.TriggerClose, feedback.Payload{}},
	); err != nil {
		return err
	}
	if err := d.check(id, "2024-03-06 10:10"); err != nil {
		return err
	}
	c := t.Compensation
	d.printf("  final: state %s, priority %s, team %s, reopen rounds %d, compensation %s %s %s (valid until %s), %d events\n",
		t.State, t.Priority, t.Team, t.ReopenRounds, c.Option, c.Amount, c.Currency, c.ValidUntil.In(d.loc).Format("2006-01-02"), len(t.History))
	return nil
}
