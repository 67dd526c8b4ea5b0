// Command aftersales runs document 002 (售后服务客户反馈与改进流程) end to end
// with the document's own rows, the way a help desk embedding closeloop would:
//
//   - step 1: the two registrations of table 1 (F20240301001, a phone whose
//     battery charges 20 % in an hour; F20240301002, an installer who came
//     without a uniform) are validated and classified;
//   - step 2: triage scores their priority with the after-sales scoring
//     (impact × urgency × severity: P1 and P2) and the routing sends them to
//     technical support and to the service supervisor;
//   - steps 3–4: the work runs through the customer-facing progress nodes,
//     under the document's service levels (P1 answered within 48 h, P2 within
//     72 h, follow-up visits 24 h / 48 h after resolution), with the planned
//     finish of table 2 as the resolution deadline and the delay-request rule
//     ("1 working day before") counted on the preset Chinese office calendar
//     "cn-office", whose public holidays and make-up working days come from
//     the State Council's announcements (sla's "CN" set);
//   - step 5: the follow-up visits of table 4 (scores 5 and 4) close the tickets;
//   - step 6: the archive names ("customer ID + feedback date + problem type"),
//     and improvement plan IMP20240301001 of table 3 — planned for Sunday
//     2024-03-10, done on Saturday 03-09 — is early by one calendar day and by
//     no working day.
//
// The customer's progress view is printed as the customer would see it, with
// personal data masked. Every instant is fixed: the output is the same on
// every run.
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

	"github.com/closeloop/closeloop/feedback"
	"github.com/closeloop/closeloop/improvement"
	"github.com/closeloop/closeloop/intake"
	"github.com/closeloop/closeloop/l10n"
	"github.com/closeloop/closeloop/redact"
	"github.com/closeloop/closeloop/sla"
)

func main() {
	if err := run(os.Stdout); err != nil {
		fmt.Fprintln(os.Stderr, "aftersales:", err)
		os.Exit(1)
	}
}

// rulesFor002 is the library's preset rules document (document 002's
// taxonomy, routing and after-sales priority scoring, the default
// lifecycle, the calendars: "cn-office" is Mon–Fri 09:00–12:00 and
// 13:30–18:00 in Shanghai with China mainland's public holidays, "CN") with
// the service levels replaced, as a host edits its rules: the sla preset
// "after-sales", document 002's response and follow-up targets.
func rulesFor002() (*feedback.Rules, error) {
	doc, err := feedback.PresetRulesDocument()
	if err != nil {
		return nil, err
	}
	slaDoc, err := sla.PresetJSON(sla.PresetAfterSales)
	if err != nil {
		return nil, err
	}
	var spec sla.PolicySetSpec
	if err := json.Unmarshal(slaDoc, &spec); err != nil {
		return nil, err
	}
	doc.Version = "aftersales-002"
	doc.DefaultCalendar = "cn-office"
	doc.SLA = &spec
	return feedback.CompileRules(doc)
}

// desk is the host: it holds the compiled rules, the tickets and their
// registrations, prints what happens and keeps the customer-facing marks.
type desk struct {
	w       io.Writer
	rules   *feedback.Rules
	cal     *sla.Calendar
	loc     *time.Location
	tickets map[string]*feedback.Ticket
	intakes map[string]intake.Intake
	marks   map[string][]feedback.ProgressMark
	err     error
}

func (d *desk) printf(format string, args ...any) {
	if d.err == nil {
		_, d.err = fmt.Fprintf(d.w, format, args...)
	}
}

// at is a wall-clock instant in Shanghai, "2006-01-02 15:04".
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
	return t.In(d.loc).Format("2006-01-02 15:04 Mon")
}

// fire applies one change at a Shanghai wall-clock instant and prints the
// event and the effects the host would carry out.
func (d *desk) fire(id, when, actor string, trig feedback.Trigger, p feedback.Payload) error {
	t := d.tickets[id]
	out, err := d.rules.Fire(t, feedback.Change{Trigger: trig, Version: t.Version, At: d.at(when), Actor: actor, Payload: p})
	if err != nil {
		return fmt.Errorf("%s %s: %w", id, trig, err)
	}
	ev := out.Event
	d.printf("  %s  step %d  v%-2d %-16s %s → %s%s\n", d.fmtTime(ev.At), stepOf[ev.Trigger], ev.Version, ev.Trigger, ev.From, ev.To, d.detail(t, ev))
	for _, e := range out.Effects {
		switch e.Kind {
		case feedback.NotifyCustomer:
			msg := e.Label
			if e.Node != "" {
				msg += " / " + e.Node
				d.marks[id] = append(d.marks[id], feedback.ProgressMark{Node: e.Node, At: ev.At})
			}
			d.printf("      → tell the customer: %s\n", msg)
		case feedback.AlertManager:
			d.printf("      → alert a manager, level %d: %s\n", e.Level, e.Reason)
		}
	}
	return nil
}

// stepOf numbers the triggers by document 002's six steps: 1 register,
// 2 classify and prioritise, 3 analyse and plan, 4 execute and track,
// 5 follow-up visit, 6 archive.
var stepOf = map[feedback.Trigger]int{
	feedback.TriggerOpen: 1, feedback.TriggerTriage: 2, feedback.TriggerAssign: 2,
	feedback.TriggerRespond: 3, feedback.TriggerStart: 3,
	feedback.TriggerProgress: 4, feedback.TriggerResolve: 4, feedback.TriggerRequestDelay: 4,
	feedback.TriggerFollowUp: 5, feedback.TriggerRecordFollowUp: 5, feedback.TriggerClose: 6,
}

// detail is what an event decided, in words.
func (d *desk) detail(t *feedback.Ticket, ev feedback.Event) string {
	p := ev.Payload
	switch ev.Trigger {
	case feedback.TriggerTriage:
		return fmt.Sprintf("  priority %s, resolution due %s\n      why: %s", p.Priority, d.fmtTime(d.deadline(t, ev.At)), strings.Join(p.PriorityReasons, "\n           "))
	case feedback.TriggerAssign:
		return fmt.Sprintf("  team %s, owner %s (routing rule %q)", t.Team, t.Owner, p.RoutedBy)
	case feedback.TriggerStart, feedback.TriggerProgress:
		return "  node " + t.Node
	case feedback.TriggerResolve:
		return "  resolution: " + p.Note
	case feedback.TriggerRespond:
		return "  answer: " + p.Note
	case feedback.TriggerRecordFollowUp:
		f := p.FollowUp
		return fmt.Sprintf("  solved=%v score %d/5 satisfied=%v: %q", f.Resolved, f.Score, f.Satisfied, f.Comment)
	}
	return ""
}

// report prints a ticket's service levels at now.
func (d *desk) report(id, when string) error {
	t := d.tickets[id]
	now := d.at(when)
	rep, err := d.rules.SLA(t, now)
	if err != nil {
		return err
	}
	d.printf("  SLA of %s at %s: policy %s v%d, priority %s, state %s\n", id, d.fmtTime(now), rep.Policy, rep.Version, rep.Priority, rep.State)
	for _, m := range rep.Metrics {
		target := "no target"
		if m.HasTarget {
			target = english.Duration(m.Target.Duration) + " " + m.Target.Unit.String()
		}
		line := fmt.Sprintf("    %-15s %-8s target %s", m.Name, m.Status, target)
		if !m.Start.IsZero() {
			line += ", started " + d.fmtTime(m.Start)
		}
		if m.HasTarget && !m.Deadline.IsZero() {
			line += ", due " + d.fmtTime(m.Deadline)
		}
		if !m.Stopped.IsZero() {
			line += ", stopped " + d.fmtTime(m.Stopped)
		}
		d.printf("%s\n", line)
	}
	if !rep.NextChange.IsZero() {
		d.printf("    next check at %s\n", d.fmtTime(rep.NextChange))
	}
	return nil
}

// english writes durations and the customer's view in English, as every
// closeloop example writes durations ("48h").
var english = l10n.New(l10n.English)

func run(w io.Writer) error {
	rules, err := rulesFor002()
	if err != nil {
		return fmt.Errorf("rules: %w", err)
	}
	cals := rules.Calendars()
	cal, err := cals.Lookup("cn-office")
	if err != nil {
		return err
	}
	d := &desk{w: w, rules: rules, cal: cal, loc: cal.Location(),
		tickets: map[string]*feedback.Ticket{}, intakes: map[string]intake.Intake{}, marks: map[string][]feedback.ProgressMark{}}
	for _, step := range []func() error{d.calendar, d.register, d.battery, d.installation, d.plans, d.archive} {
		if err := step(); err != nil {
			return err
		}
		if d.err != nil {
			return d.err
		}
	}
	return d.err
}

// calendar shows the business calendar the deadlines are counted on.
func (d *desk) calendar() error {
	d.printf("== Business calendar %s (%s): Mon–Fri 09:00–12:00, 13:30–18:00, China mainland public holidays and make-up days\n", d.cal.Name(), d.loc)
	for _, day := range []string{"2024-03-01 10:00", "2024-03-02 10:00", "2024-09-29 10:00", "2024-10-03 10:00"} {
		t := d.at(day)
		d.printf("  %s working day: %v\n", t.Format("2006-01-02 Mon"), d.cal.IsWorkingDay(t))
	}
	due, err := d.cal.AddWorkingDays(d.at("2024-09-27 15:00"), 2)
	if err != nil {
		return err
	}
	d.printf("  2 working days from 2024-09-27 15:00 Fri: %s (Sunday 09-29 is a make-up working day)\n", d.fmtTime(due))
	due, err = d.cal.AddWorkingDays(d.at("2024-09-30 15:00"), 1)
	if err != nil {
		return err
	}
	d.printf("  1 working day from 2024-09-30 15:00 Mon: %s (National Day week does not count)\n", d.fmtTime(due))
	return nil
}

// register is step 1: the rows of table 1 are validated and classified, and
// a ticket is opened for each.
func (d *desk) register() error {
	d.printf("\n== Step 1: registration (table 1)\n")
	validator, err := intake.NewValidator(intake.ValidatorSpec{TimeZone: "Asia/Shanghai"}, d.rules.Taxonomy())
	if err != nil {
		return err
	}
	forms := []intake.Form{
		{FeedbackID: "F20240301001", TicketNumber: "CS20240301001", CustomerID: "C1001", CustomerName: "张*", Contact: "13856785678",
			Product: "手机Pro", PurchaseDate: "2024-02-15", Channel: "客服", ReceivedAt: "2024-03-01 10:30:00",
			Description: "手机充电1小时仅充入20%，怀疑电池故障", Expected: "更换电池", TriedRemedies: "重启手机、更换充电器均无效", Owner: "客服专员"},
		{FeedbackID: "F20240301002", TicketNumber: "CS20240301002", CustomerID: "C1002", CustomerName: "李女士", Contact: "13900001234",
			Product: "空调安装服务", PurchaseDate: "2024-02-28", Channel: "在线客服", ReceivedAt: "2024-03-01 14:15:00",
			Description: "安装师傅未穿工服，且未主动讲解使用注意事项", Owner: "客服专员"},
	}
	// A form with an inexact time is refused, naming the field, and nothing is recorded.
	bad := forms[0]
	bad.FeedbackID, bad.ReceivedAt = "F20240301099", "近日"
	if _, err := validator.Parse(bad, d.at("2024-03-01 10:31")); err != nil {
		d.printf("  refused: %v\n", err)
	} else {
		return errors.New("an inexact received_at was accepted")
	}
	classifier := intake.PresetClassifier()
	for _, form := range forms {
		in, err := validator.Parse(form, d.at("2024-03-01 15:00"))
		if err != nil {
			return err
		}
		c := classifier.Classify(in.Description)
		in.Category = c.Category // the agent accepts the suggestion
		d.intakes[in.FeedbackID] = in
		d.printf("  %s  %s  channel %s, product %s, received %s\n", in.FeedbackID, redact.Default().Redact(in.Contact),
			in.Channel, in.Product, d.fmtTime(in.ReceivedAt))
		d.printf("    classified %s (%s), tags %v, sentiment %s\n", c.Category, d.rules.Taxonomy().Label(intake.DimensionCategory, c.Category), c.Tags, c.Sentiment)
		t, out, err := d.rules.Open(feedback.Opening{ID: in.FeedbackID, At: in.ReceivedAt, Actor: "客服专员",
			Customer: in.CustomerID, Channel: in.Channel, Category: in.Category})
		if err != nil {
			return err
		}
		d.tickets[t.ID] = t
		d.printf("    opened: state %s, calendar %s, rules %s", t.State, t.Calendar, t.RulesVersion)
		for _, e := range out.Effects {
			if e.Kind == feedback.NotifyCustomer {
				d.printf("; tell the customer: %s", e.Label)
			}
		}
		d.printf("\n")
	}
	return nil
}

// battery follows F20240301001 from triage to its closing follow-up.
func (d *desk) battery() error {
	const id = "F20240301001"
	d.printf("\n== %s: battery fault, about 500 phones of one batch\n", id)
	steps := []struct {
		when, actor string
		trig        feedback.Trigger
		p           feedback.Payload
	}{
		{"2024-03-01 10:40", "客服主管", feedback.TriggerTriage, feedback.Payload{
			PriorityInput: &feedback.PriorityInput{Affected: 500, Urgency: 3, Severity: 2},
			Deadline:      d.at("2024-03-10 18:00")}}, // table 2: planned finish 2024-03-10
		{"2024-03-01 10:45", "客服主管", feedback.TriggerAssign, feedback.Payload{Owner: "工程师"}},
		{"2024-03-01 11:00", "工程师", feedback.TriggerRespond, feedback.Payload{Note: "已受理，工程师将远程检测电池"}},
		{"2024-03-02 09:00", "工程师", feedback.TriggerStart, feedback.Payload{}},
		{"2024-03-02 10:00", "工程师", feedback.TriggerProgress, feedback.Payload{Node: "awaiting_inspection"}},
		{"2024-03-04 14:00", "工程师", feedback.TriggerProgress, feedback.Payload{Node: "under_repair"}},
	}
	for _, s := range steps {
		if err := d.fire(id, s.when, s.actor, s.trig, s.p); err != nil {
			return err
		}
	}
	if err := d.report(id, "2024-03-04 14:00"); err != nil {
		return err
	}
	if err := d.progressView(id, "电池批次异常，工程师将为您免费更换电池。如有疑问请致电13856785678。"); err != nil {
		return err
	}
	if err := d.lateDelay(id); err != nil {
		return err
	}
	d.printf("  work goes on:\n")
	steps = []struct {
		when, actor string
		trig        feedback.Trigger
		p           feedback.Payload
	}{
		{"2024-03-10 16:00", "工程师", feedback.TriggerProgress, feedback.Payload{Node: "completed"}},
		{"2024-03-10 16:00", "工程师", feedback.TriggerResolve, feedback.Payload{Note: "已更换电池（问题批次停售，免费更换）"}},
		{"2024-03-11 15:00", "客服专员", feedback.TriggerFollowUp, feedback.Payload{}},
	}
	for _, s := range steps {
		if err := d.fire(id, s.when, s.actor, s.trig, s.p); err != nil {
			return err
		}
	}
	// No ticket closes without the follow-up's outcome.
	t := d.tickets[id]
	_, err := d.rules.Fire(t, feedback.Change{Trigger: feedback.TriggerClose, Version: t.Version, At: d.at("2024-03-11 15:01"), Actor: "客服专员"})
	var te *feedback.TransitionError
	if !errors.As(err, &te) {
		return fmt.Errorf("close before the follow-up outcome: want a refusal, got %v", err)
	}
	d.printf("  close refused before the visit's outcome: unmet %v\n", te.UnmetGuards)
	if err := d.fire(id, "2024-03-11 15:10", "客服专员", feedback.TriggerRecordFollowUp, feedback.Payload{
		FollowUp: &feedback.FollowUp{Resolved: true, Score: 5, Comment: "处理速度快，工程师很专业"}}); err != nil {
		return err
	}
	if err := d.fire(id, "2024-03-11 15:15", "客服专员", feedback.TriggerClose, feedback.Payload{}); err != nil {
		return err
	}
	if err := d.report(id, "2024-03-11 15:15"); err != nil {
		return err
	}
	return d.progressView(id, "")
}

// lateDelay shows the delay-request rule: the request must be filed at
// least one working day before the deadline. Preview checks a change
// without applying it.
func (d *desk) lateDelay(id string) error {
	t := d.tickets[id]
	deadline := d.deadline(t, t.Updated)
	latest, err := d.cal.AddWorkingDays(deadline, -1)
	if err != nil {
		return err
	}
	d.printf("  a delay request for the %s deadline is due by %s (1 working day before, on %s)\n",
		d.fmtTime(deadline), d.fmtTime(latest), d.cal.Name())
	req := &feedback.TicketDelay{Reason: "备用电池到货延迟", Plan: "改为3月12日统一更换", NewDeadline: d.at("2024-03-12 18:00")}
	for _, when := range []string{"2024-03-07 17:00", "2024-03-08 09:00"} {
		_, err := d.rules.Preview(t, feedback.Change{Trigger: feedback.TriggerRequestDelay, Version: t.Version, At: d.at(when),
			Actor: "工程师", Payload: feedback.Payload{Delay: req}})
		verdict := "would be accepted for approval"
		var te *feedback.TransitionError
		if errors.As(err, &te) {
			verdict = fmt.Sprintf("would be refused: unmet %v", te.UnmetGuards)
		} else if err != nil {
			return err
		}
		d.printf("    filed %s: %s\n", d.fmtTime(d.at(when)), verdict)
	}
	return nil
}

// deadline is the ticket's resolution deadline at the instant: what its SLA
// report says (the one value guards, views and records read).
func (d *desk) deadline(t *feedback.Ticket, at time.Time) time.Time {
	dl, err := d.rules.Deadline(t, at)
	if err != nil {
		panic(err)
	}
	return dl
}

// teamNames are the host's customer-facing names of its teams.
var teamNames = map[string]string{"technical_support": "技术支持部", "service_supervisor": "客服主管", "product_manager": "产品经理"}

// progressView prints what the customer sees on the portal or by SMS.
func (d *desk) progressView(id, note string) error {
	t := d.tickets[id]
	in := d.intakes[id]
	promised := d.deadline(t, t.Updated)
	if t.State == feedback.StateClosed {
		promised = time.Time{}
	}
	v, err := feedback.NewProgressView(feedback.ProgressInput{FeedbackID: id, Reached: d.marks[id], Team: teamNames[t.Team],
		PromisedBy: promised, Note: note, CustomerName: in.CustomerName, Contact: in.Contact}, redact.Default())
	if err != nil {
		return err
	}
	d.printf("  customer's view: %s\n", v.Text(d.loc))
	d.printf("    in English:    %s\n", english.ProgressView(v, d.loc))
	return nil
}

// installation follows F20240301002: service experience, P2, the service
// supervisor, follow-up scored 4.
func (d *desk) installation() error {
	const id = "F20240301002"
	d.printf("\n== %s: installer without uniform, no usage briefing\n", id)
	steps := []struct {
		when, actor string
		trig        feedback.Trigger
		p           feedback.Payload
	}{
		{"2024-03-01 14:30", "客服主管", feedback.TriggerTriage, feedback.Payload{
			PriorityInput: &feedback.PriorityInput{Affected: 1, Urgency: 2, Severity: 1},
			Deadline:      d.at("2024-03-05 18:00")}}, // table 2: planned finish 2024-03-05
		{"2024-03-01 14:35", "客服主管", feedback.TriggerAssign, feedback.Payload{Owner: "主管"}},
		{"2024-03-01 15:00", "主管", feedback.TriggerRespond, feedback.Payload{Note: "已受理，将核查安装服务规范执行情况"}},
		{"2024-03-04 09:00", "主管", feedback.TriggerStart, feedback.Payload{}},
		{"2024-03-05 17:00", "主管", feedback.TriggerResolve, feedback.Payload{Note: "已规范安装服务：修订规范并培训安装师傅"}},
	}
	for _, s := range steps {
		if err := d.fire(id, s.when, s.actor, s.trig, s.p); err != nil {
			return err
		}
	}
	if err := d.report(id, "2024-03-05 17:00"); err != nil {
		return err
	}
	steps = []struct {
		when, actor string
		trig        feedback.Trigger
		p           feedback.Payload
	}{
		{"2024-03-06 10:30", "客服专员", feedback.TriggerFollowUp, feedback.Payload{}},
		{"2024-03-06 10:35", "客服专员", feedback.TriggerRecordFollowUp, feedback.Payload{
			FollowUp: &feedback.FollowUp{Resolved: true, Score: 4, Comment: "希望后续安装时能提供纸质使用指南"}}},
		{"2024-03-06 10:40", "客服专员", feedback.TriggerClose, feedback.Payload{}},
	}
	for _, s := range steps {
		if err := d.fire(id, s.when, s.actor, s.trig, s.p); err != nil {
			return err
		}
	}
	return d.report(id, "2024-03-06 10:40")
}

// plans is table 3: the improvement plans and how they finished, counted on
// the office calendar.
func (d *desk) plans() error {
	d.printf("\n== Improvement plans (table 3)\n")
	day := func(s string) time.Time { return d.at(s + " 00:00") }
	plans := []improvement.Plan{
		{ID: "IMP20240301001", FeedbackIDs: []string{"F20240301001"}, RootCause: "电池批次异常，导致充电效率低",
			Measures: []string{"停售问题批次电池", "为已购买客户提供免费更换"}, Department: "技术支持部/销售部", Owner: "工程师/经理",
			PlannedStart: day("2024-03-02"), PlannedFinish: day("2024-03-10"), Status: improvement.PlanInProgress},
		{ID: "IMP20240301002", FeedbackIDs: []string{"F20240301002"}, RootCause: "安装服务规范未落地执行",
			Measures: []string{"修订安装服务规范", "对安装师傅进行培训"}, Department: "客服部/人力资源部", Owner: "主管/培训专员",
			PlannedStart: day("2024-03-03"), PlannedFinish: day("2024-03-05"), Status: improvement.PlanInProgress},
	}
	finished := []string{"2024-03-09", "2024-03-05"}
	for i, p := range plans {
		if err := p.Validate(); err != nil {
			return err
		}
		done, err := p.Finish(day(finished[i]))
		if err != nil {
			return err
		}
		out, err := done.Outcome(d.cal)
		if err != nil {
			return err
		}
		timing := "on time"
		if out.Timing != improvement.PlanOnTime {
			timing = fmt.Sprintf("%s by %d calendar day(s) and %d working day(s) on %s", out.Timing, out.CalendarDays, out.WorkingDays, d.cal.Name())
		}
		d.printf("  %s for %s: %s\n    planned %s → %s, done %s: %s, %s\n",
			done.ID, strings.Join(done.FeedbackIDs, ","), strings.Join(done.Measures, "; "),
			done.PlannedStart.Format("2006-01-02 Mon"), done.PlannedFinish.Format("2006-01-02 Mon"),
			done.ActualFinish.Format("2006-01-02 Mon"), done.Status, timing)
	}
	return nil
}

// archive is step 6: every closed ticket is filed under document 002's name.
func (d *desk) archive() error {
	d.printf("\n== Step 6: archive\n")
	for _, id := range []string{"F20240301001", "F20240301002"} {
		t := d.tickets[id]
		in := d.intakes[id]
		name, err := feedback.ArchiveName(in.CustomerID, in.ReceivedAt.In(d.loc), t.Category)
		if err != nil {
			return err
		}
		snap, err := feedback.MarshalSnapshot(t)
		if err != nil {
			return err
		}
		d.printf("  %s  %s: state %s, priority %s, team %s, %d events, follow-up score %d, snapshot %d bytes\n",
			name, id, t.State, t.Priority, t.Team, len(t.History), t.FollowUp.Score, len(snap))
		red := redact.Default().RedactIntake(in)
		d.printf("    archived registration: %s, %s, %s\n", red.CustomerName, red.Contact, red.Description)
	}
	return nil
}
