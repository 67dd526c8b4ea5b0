package scenario

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/closeloop/closeloop/compensation"
	"github.com/closeloop/closeloop/feedback"
	"github.com/closeloop/closeloop/intake"
	"github.com/closeloop/closeloop/internal/rulesjson"
	"github.com/closeloop/closeloop/sla"
	"github.com/shopspring/decimal"
)

// Run plays a scenario through the real packages — [feedback.ParseRules],
// [feedback.Rules.Open], [feedback.Rules.Fire], [feedback.Rules.SLA],
// [feedback.Rules.Offer] — and compares every
// expectation with what they returned. A scenario that cannot run (rules
// that do not compile, an instant that does not parse, steps out of order,
// an unknown compensation option to choose) is an error, a *[PathError] where
// the fault has a place in the scenario; everything that ran but differs
// from the expectation is a [Mismatch] in the [Result].
func Run(s Scenario) (Result, error) {
	res := Result{Name: s.Name}
	if s.Name == "" {
		return res, rulesjson.Errorf("$.name", "a scenario needs a name")
	}
	loc := time.UTC
	if s.TimeZone != "" {
		l, err := time.LoadLocation(s.TimeZone)
		if err != nil || s.TimeZone == "Local" {
			return res, rulesjson.Errorf("$.time_zone", "unknown time zone %q", s.TimeZone)
		}
		loc = l
	}
	rules, err := compileRules(s.Rules)
	if err != nil {
		return res, err
	}
	r := &runner{s: &s, loc: loc, rules: rules, res: &res}
	if err := r.run(); err != nil {
		return res, err
	}
	return res, nil
}

// runner holds one run's state.
type runner struct {
	s      *Scenario
	loc    *time.Location
	rules  *feedback.Rules
	ticket *feedback.Ticket
	res    *Result
	err    error // first scenario error met while comparing
}

// check is a checkpoint or an offer, scheduled at its instant.
type check struct {
	at    time.Time
	path  string
	cp    *Checkpoint
	offer *OfferCheck
}

func (r *runner) instant(path, s string) time.Time {
	if r.err != nil {
		return time.Time{}
	}
	if s == "" {
		r.err = rulesjson.Errorf(path, "an instant is required")
		return time.Time{}
	}
	t, err := parseInstant(s, r.loc)
	if err != nil {
		r.err = rulesjson.Errorf(path, "%w", err)
	}
	return t
}

func (r *runner) run() error {
	s := r.s
	o, err := r.opening()
	if err != nil {
		return err
	}
	if o.ID == "" {
		return rulesjson.Errorf("$.ticket.id", "a ticket needs an id")
	}
	opened := o.At
	stepAt := make([]time.Time, len(s.Steps))
	last := opened
	for i, st := range s.Steps {
		p := rulesjson.Index("$.steps", i)
		stepAt[i] = r.instant(rulesjson.Field(p, "at"), st.At)
		if r.err == nil && stepAt[i].Before(last) {
			return rulesjson.Errorf(rulesjson.Field(p, "at"), "%s is before the previous step or the opening (%s)", r.fmtTime(stepAt[i]), r.fmtTime(last))
		}
		if r.err == nil {
			last = stepAt[i]
		}
	}
	end := last
	if s.Expect.At != "" {
		end = r.instant("$.expect.at", s.Expect.At)
		if r.err == nil && end.Before(last) {
			return rulesjson.Errorf("$.expect.at", "%s is before the last step (%s): use checkpoints for earlier instants", r.fmtTime(end), r.fmtTime(last))
		}
	}
	var checks []check
	for i := range s.Checkpoints {
		p := rulesjson.Index("$.checkpoints", i)
		checks = append(checks, check{at: r.instant(rulesjson.Field(p, "at"), s.Checkpoints[i].At), path: p, cp: &s.Checkpoints[i]})
	}
	for i := range s.Offers {
		p := rulesjson.Index("$.offers", i)
		at := end
		if s.Offers[i].At != "" {
			at = r.instant(rulesjson.Field(p, "at"), s.Offers[i].At)
		}
		checks = append(checks, check{at: at, path: p, offer: &s.Offers[i]})
	}
	if r.err != nil {
		return r.err
	}
	for _, c := range checks {
		if c.at.Before(opened) {
			return rulesjson.Errorf(rulesjson.Field(c.path, "at"), "%s is before the ticket's opening (%s)", r.fmtTime(c.at), r.fmtTime(opened))
		}
	}
	sort.SliceStable(checks, func(i, j int) bool { return checks[i].at.Before(checks[j].at) })

	t, _, err := r.rules.Open(o)
	if err != nil {
		return rulesjson.Errorf("$.ticket", "the ticket does not open: %w", err)
	}
	r.ticket = t
	ci := 0
	for i := range s.Steps {
		for ; ci < len(checks) && checks[ci].at.Before(stepAt[i]); ci++ {
			r.runCheck(checks[ci])
		}
		if err := r.step(i, stepAt[i]); err != nil {
			return err
		}
		if r.err != nil {
			return r.err
		}
	}
	for ; ci < len(checks); ci++ {
		r.runCheck(checks[ci])
	}
	r.checkpoint("$.expect", &s.Expect, end)
	r.res.Ticket = r.ticket
	if r.rules.Policies() != nil {
		if rep, err := r.rules.SLA(r.ticket, end); err == nil {
			r.res.Report = rep
		}
	}
	return r.err
}

// opening builds the ticket's opening from the intake (validated and,
// when asked, classified) and the ticket fields.
func (r *runner) opening() (feedback.Opening, error) {
	s := r.s
	var o feedback.Opening
	if s.Intake != nil {
		at := time.Time{}
		if s.Intake.ReceivedAt != "" {
			at = r.instant("$.intake.received_at", s.Intake.ReceivedAt)
			if r.err != nil {
				return o, r.err
			}
		}
		v, err := intake.NewValidator(intake.ValidatorSpec{TimeZone: s.TimeZone}, r.rules.Taxonomy())
		if err != nil {
			return o, rulesjson.Errorf("$.intake", "%w", err)
		}
		in, err := v.Parse(*s.Intake, at)
		if err != nil {
			return o, rulesjson.Errorf("$.intake", "%w", err)
		}
		if s.Classify && in.Category == "" {
			c := intake.PresetClassifier().Classify(in.Description)
			in.Category, in.SubCategory = c.Category, c.SubCategory
			in.Tags = append(in.Tags, c.Tags...)
		}
		o = feedback.Opening{ID: in.FeedbackID, At: in.ReceivedAt, Customer: in.CustomerID, Channel: in.Channel, Category: in.Category}
		o.Attributes = map[string]string{}
		for k, v := range in.Attributes {
			o.Attributes[k] = v
		}
		for k, v := range map[string]string{"kind": in.Kind, "tier": in.Tier, "stage": in.Stage,
			"sub_category": in.SubCategory, "tags": strings.Join(in.Tags, ",")} {
			if v != "" {
				o.Attributes[k] = v
			}
		}
	} else if s.Classify {
		return o, rulesjson.Errorf("$.classify", "classify needs an intake with a description")
	}
	tk := s.Ticket
	if tk.At != "" {
		o.At = r.instant("$.ticket.at", tk.At)
	} else if s.Intake == nil {
		r.instant("$.ticket.at", "")
	}
	if r.err != nil {
		return o, r.err
	}
	o.ID = orDefault(tk.ID, o.ID)
	o.Actor = orDefault(tk.Actor, orDefault(s.intakeOwner(), DefaultActor))
	o.Customer = orDefault(tk.Customer, o.Customer)
	o.Channel = orDefault(tk.Channel, o.Channel)
	o.Category = orDefault(tk.Category, o.Category)
	o.Calendar = tk.Calendar
	for k, v := range tk.Attributes {
		if o.Attributes == nil {
			o.Attributes = map[string]string{}
		}
		o.Attributes[k] = v
	}
	return o, nil
}

// intakeOwner is the intake's owner, who registered it.
func (s *Scenario) intakeOwner() string {
	if s.Intake == nil {
		return ""
	}
	return s.Intake.Owner
}

func orDefault(s, def string) string {
	if s == "" {
		return def
	}
	return s
}

func (r *runner) runCheck(c check) {
	if c.cp != nil {
		r.checkpoint(c.path, c.cp, c.at)
		return
	}
	r.offer(c.path, c.offer, c.at)
}

// step fires one step and compares its acceptance with the expectation.
func (r *runner) step(i int, at time.Time) error {
	st := r.s.Steps[i]
	p := rulesjson.Index("$.steps", i)
	payload := st.Payload
	if st.Deadline != "" {
		if !payload.Deadline.IsZero() {
			return rulesjson.Errorf(rulesjson.Field(p, "deadline"), "given twice: here and in the payload")
		}
		payload.Deadline = r.instant(rulesjson.Field(p, "deadline"), st.Deadline)
		if r.err != nil {
			return r.err
		}
	}
	trig := feedback.Trigger(st.Trigger)
	if st.Choose != nil {
		if trig == "" {
			trig = feedback.TriggerChooseCompensation
		}
		cp := rulesjson.Field(p, "choose")
		claim, err := r.claim(rulesjson.Field(cp, "claim"), st.Choose.Claim, at)
		if err != nil {
			return err
		}
		offer, err := r.computeOffer(st.Choose.Policy, claim, st.Choose.Claim.SLAOverruns, at)
		if err != nil {
			return rulesjson.Errorf(cp, "no offer to choose from: %w", err)
		}
		set, err := offer.Choose(st.Choose.Option, at)
		if err != nil {
			return rulesjson.Errorf(rulesjson.Field(cp, "option"), "%w (offered: %s)", err, strings.Join(optionIDs(offer.Options), ", "))
		}
		payload.Compensation = feedback.CompensationChoiceFrom(set)
	}
	if trig == "" {
		return rulesjson.Errorf(rulesjson.Field(p, "trigger"), "a step needs a trigger")
	}
	before := r.ticket.State
	_, err := r.rules.Fire(r.ticket, feedback.Change{Trigger: trig, Version: r.ticket.Version, At: at,
		Actor: orDefault(st.Actor, DefaultActor), Payload: payload})
	ctx := fmt.Sprintf("step %s at %s", trig, r.fmtTime(at))
	var te *feedback.TransitionError
	switch {
	case st.Refused == nil && err != nil:
		r.mismatch(p, ctx, "accepted", "refused: "+err.Error())
	case st.Refused == nil:
	case err == nil:
		r.mismatch(rulesjson.Field(p, "refused"), ctx, "refused", fmt.Sprintf("accepted (%s → %s)", before, r.ticket.State))
	case !errors.As(err, &te):
		r.mismatch(rulesjson.Field(p, "refused"), ctx, "refused by the lifecycle", "error: "+err.Error())
	case len(st.Refused.Unmet) > 0:
		want, got := slices.Sorted(slices.Values(st.Refused.Unmet)), slices.Sorted(slices.Values(te.UnmetGuards))
		if !slices.Equal(want, got) {
			r.mismatch(rulesjson.Field(rulesjson.Field(p, "refused"), "unmet"), ctx, listText(want), listText(got)+" ("+err.Error()+")")
		}
	}
	return nil
}

func optionIDs(opts []compensation.OfferOption) []string {
	ids := make([]string, len(opts))
	for i, o := range opts {
		ids[i] = o.ID
	}
	return ids
}

// claim builds a compensation claim at instant at.
func (r *runner) claim(p string, c Claim, at time.Time) (compensation.Claim, error) {
	out := compensation.Claim{Tier: c.Tier, Priority: c.Priority, Flags: c.Flags}
	if len(c.Durations) > 0 {
		out.Durations = map[string]time.Duration{}
	}
	for _, k := range slices.Sorted(maps.Keys(c.Durations)) {
		d, err := parseDuration(c.Durations[k])
		if err != nil {
			return out, rulesjson.Errorf(rulesjson.Field(rulesjson.Field(p, "durations"), k), "%w", err)
		}
		out.Durations[k] = d
	}
	money := func(path, amount string) (compensation.Money, error) {
		if c.Currency == "" {
			return compensation.Money{}, rulesjson.Errorf(rulesjson.Field(p, "currency"), "the currency of the amounts is required")
		}
		m, err := compensation.ParseMoney(amount, c.Currency)
		if err != nil {
			return m, rulesjson.Errorf(path, "%w", err)
		}
		return m, nil
	}
	for _, k := range slices.Sorted(maps.Keys(c.Amounts)) {
		m, err := money(rulesjson.Field(rulesjson.Field(p, "amounts"), k), c.Amounts[k])
		if err != nil {
			return out, err
		}
		if out.Amounts == nil {
			out.Amounts = map[string]compensation.Money{}
		}
		out.Amounts[k] = m
	}
	for _, k := range slices.Sorted(maps.Keys(c.Numbers)) {
		d, err := decimal.NewFromString(c.Numbers[k])
		if err != nil {
			return out, rulesjson.Errorf(rulesjson.Field(rulesjson.Field(p, "numbers"), k), "bad number %q", c.Numbers[k])
		}
		if out.Numbers == nil {
			out.Numbers = map[string]decimal.Decimal{}
		}
		out.Numbers[k] = d
	}
	var err error
	if c.GrantedOnTicket != "" {
		if out.GrantedOnTicket, err = money(rulesjson.Field(p, "granted_on_ticket"), c.GrantedOnTicket); err != nil {
			return out, err
		}
	}
	if c.GrantedInPeriod != "" {
		if out.GrantedInPeriod, err = money(rulesjson.Field(p, "granted_in_period"), c.GrantedInPeriod); err != nil {
			return out, err
		}
	}
	return out, nil
}

// computeOffer asks the rules for the offer; with slaOverruns the SLA
// report at the instant fills the "<metric>_overrun" inputs the policy
// reads (feedback.Rules.OfferAt).
func (r *runner) computeOffer(policy string, claim compensation.Claim, slaOverruns bool, at time.Time) (compensation.Offer, error) {
	if slaOverruns {
		return r.rules.OfferAt(r.ticket, policy, claim, at)
	}
	return r.rules.Offer(r.ticket, policy, claim)
}

// offer computes and checks one compensation offer.
func (r *runner) offer(p string, oc *OfferCheck, at time.Time) {
	ctx := "offer " + oc.Policy + " at " + r.fmtTime(at)
	claim, err := r.claim(rulesjson.Field(p, "claim"), oc.Claim, at)
	if err != nil {
		r.fail(err)
		return
	}
	offer, err := r.computeOffer(oc.Policy, claim, oc.Claim.SLAOverruns, at)
	if err != nil {
		r.mismatch(p, ctx, "an offer", "error: "+err.Error())
		return
	}
	for _, name := range slices.Sorted(maps.Keys(oc.Bands)) {
		got := "-"
		found := false
		for _, rd := range offer.Readings {
			if rd.Schedule == name {
				found = true
				if rd.Band != "" {
					got = rd.Band
				}
			}
		}
		if !found {
			got = "no such schedule"
		}
		r.str(rulesjson.Field(rulesjson.Field(p, "bands"), name), ctx, oc.Bands[name], got)
	}
	if oc.Options != nil {
		got := map[string]string{}
		for _, o := range offer.Options {
			got[o.ID] = o.Value()
		}
		op := rulesjson.Field(p, "options")
		for _, id := range slices.Sorted(maps.Keys(oc.Options)) {
			g, ok := got[id]
			if !ok {
				g = "not offered"
			}
			if g != oc.Options[id] {
				r.mismatch(rulesjson.Field(op, id), ctx, oc.Options[id], g)
			}
		}
		for _, id := range slices.Sorted(maps.Keys(got)) {
			if _, ok := oc.Options[id]; !ok {
				r.mismatch(rulesjson.Field(op, id), ctx, "not offered", got[id])
			}
		}
	}
	if oc.NeedsApproval != nil {
		var got []string
		for _, o := range offer.Options {
			if o.NeedsApproval {
				got = append(got, o.ID)
			}
		}
		r.set(rulesjson.Field(p, "needs_approval"), ctx, oc.NeedsApproval, got)
	}
	if oc.Withheld != nil {
		r.set(rulesjson.Field(p, "withheld"), ctx, oc.Withheld, optionIDs(offer.Withheld))
	}
}

// checkpoint compares the ticket (and its SLA report) at instant at.
func (r *runner) checkpoint(p string, cp *Checkpoint, at time.Time) {
	t := r.ticket
	ctx := "at " + r.fmtTime(at)
	r.str(rulesjson.Field(p, "state"), ctx, cp.State, string(t.State))
	r.str(rulesjson.Field(p, "node"), ctx, cp.Node, t.Node)
	r.str(rulesjson.Field(p, "category"), ctx, cp.Category, t.Category)
	r.str(rulesjson.Field(p, "priority"), ctx, cp.Priority, t.Priority)
	r.str(rulesjson.Field(p, "team"), ctx, cp.Team, t.Team)
	if cp.RoutedBy != "" {
		routed := ""
		for _, ev := range t.History {
			if ev.Trigger == feedback.TriggerAssign {
				routed = ev.Payload.RoutedBy
			}
		}
		r.str(rulesjson.Field(p, "routed_by"), ctx, cp.RoutedBy, routed)
	}
	if cp.Deadline != "" {
		deadline, err := r.rules.Deadline(t, at)
		if err != nil {
			r.mismatch(rulesjson.Field(p, "deadline"), ctx, cp.Deadline, "error: "+err.Error())
		} else {
			r.when(rulesjson.Field(p, "deadline"), ctx, cp.Deadline, deadline)
		}
	}
	r.intp(rulesjson.Field(p, "reopen_rounds"), ctx, cp.ReopenRounds, t.ReopenRounds)
	if cp.Compensation != "" {
		got := ""
		if t.Compensation != nil {
			got = t.Compensation.Option
		}
		r.str(rulesjson.Field(p, "compensation"), ctx, cp.Compensation, got)
	}
	if cp.Policy == "" && cp.PolicyVersion == 0 && cp.Metrics == nil && cp.NextChange == "" {
		return
	}
	rep, err := r.rules.SLA(t, at)
	if err != nil {
		r.mismatch(p, ctx, "an SLA report", "error: "+err.Error())
		return
	}
	r.str(rulesjson.Field(p, "policy"), ctx, cp.Policy, rep.Policy)
	if cp.PolicyVersion != 0 && cp.PolicyVersion != rep.Version {
		r.mismatch(rulesjson.Field(p, "policy_version"), ctx, strconv.Itoa(cp.PolicyVersion), strconv.Itoa(rep.Version))
	}
	r.when(rulesjson.Field(p, "next_change"), ctx, cp.NextChange, rep.NextChange)
	mp := rulesjson.Field(p, "metrics")
	for _, name := range slices.Sorted(maps.Keys(cp.Metrics)) {
		m, ok := rep.Metric(name)
		if !ok {
			have := make([]string, len(rep.Metrics))
			for i, m := range rep.Metrics {
				have[i] = m.Name
			}
			r.mismatch(rulesjson.Field(mp, name), ctx, "metric "+name, fmt.Sprintf("no such metric in policy %s v%d (has %s)", rep.Policy, rep.Version, listText(have)))
			continue
		}
		r.metric(rulesjson.Field(mp, name), ctx+", "+name, cp.Metrics[name], m)
	}
}

// metric compares one SLA clock.
func (r *runner) metric(p, ctx string, want Metric, m sla.MetricReport) {
	r.str(rulesjson.Field(p, "status"), ctx, want.Status, m.Status.String())
	if want.Target != "" {
		got := "-"
		if m.HasTarget {
			got = targetText(m.Target, strings.Contains(want.Target, " on "))
		}
		if normTarget(want.Target) != got {
			r.mismatch(rulesjson.Field(p, "target"), ctx, want.Target, got)
		}
	}
	r.when(rulesjson.Field(p, "start"), ctx, want.Start, m.Start)
	r.when(rulesjson.Field(p, "deadline"), ctx, want.Deadline, m.Deadline)
	r.when(rulesjson.Field(p, "stopped"), ctx, want.Stopped, m.Stopped)
	r.when(rulesjson.Field(p, "breached_at"), ctx, want.BreachedAt, m.BreachedAt)
	r.dur(rulesjson.Field(p, "elapsed"), ctx, want.Elapsed, m.Elapsed)
	r.dur(rulesjson.Field(p, "remaining"), ctx, want.Remaining, m.Remaining)
	r.dur(rulesjson.Field(p, "late"), ctx, want.Late, m.Late)
	r.intp(rulesjson.Field(p, "cycle"), ctx, want.Cycle, m.Cycle)
	r.intp(rulesjson.Field(p, "met_cycles"), ctx, want.MetCycles, m.MetCycles)
	r.intp(rulesjson.Field(p, "breached_cycles"), ctx, want.BreachedCycles, m.BreachedCycles)
	r.list(rulesjson.Field(p, "warnings"), ctx, want.Warnings, alertNames(m.Warnings))
	r.list(rulesjson.Field(p, "escalations"), ctx, want.Escalations, alertNames(m.Escalations))
}

func alertNames(as []sla.Alert) []string {
	out := make([]string, len(as))
	for i, a := range as {
		out[i] = a.Name
	}
	return out
}

// targetText writes a target as "48h elapsed", "16h business" or
// "5 working_days", with " on <calendar>" when asked.
func targetText(t sla.Target, withCalendar bool) string {
	var s string
	if t.Unit == sla.WorkingDays {
		s = strconv.Itoa(t.Days) + " " + t.Unit.String()
	} else {
		s = durText(t.Duration) + " " + t.Unit.String()
	}
	if withCalendar && t.Calendar != "" {
		s += " on " + t.Calendar
	}
	return s
}

// normTarget rewrites an expected target's duration in the form targetText
// writes ("2d elapsed" → "48h elapsed"), leaving anything it cannot read.
func normTarget(s string) string {
	num, rest, ok := strings.Cut(s, " ")
	if !ok {
		return s
	}
	if _, err := strconv.Atoi(num); err == nil && strings.HasPrefix(rest, "working_days") {
		return s
	}
	d, err := parseDuration(num)
	if err != nil {
		return s
	}
	return durText(d) + " " + rest
}

// durText writes a duration without trailing zero units: "48h", "1h30m",
// "90s", "0s".
func durText(d time.Duration) string {
	s := d.String()
	if strings.HasSuffix(s, "m0s") {
		s = strings.TrimSuffix(s, "0s")
	}
	if strings.HasSuffix(s, "h0m") {
		s = strings.TrimSuffix(s, "0m")
	}
	return s
}

// fmtTime writes an instant for people, in the scenario's zone:
// "2024-03-03 10:30 Sun" ("-" for none).
func (r *runner) fmtTime(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	t = t.In(r.loc)
	if t.Second() != 0 || t.Nanosecond() != 0 {
		return t.Format("2006-01-02 15:04:05.999999999 Mon")
	}
	return t.Format("2006-01-02 15:04 Mon")
}

func listText(l []string) string { return "[" + strings.Join(l, ", ") + "]" }

func (r *runner) fail(err error) {
	if r.err == nil {
		r.err = err
	}
}

func (r *runner) mismatch(path, ctx, want, got string) {
	r.res.Mismatches = append(r.res.Mismatches, Mismatch{Path: path, Context: ctx, Want: want, Got: got})
}

func (r *runner) str(path, ctx, want, got string) {
	if want == "" {
		return
	}
	if want == "-" {
		want = ""
	}
	if want != got {
		r.mismatch(path, ctx, orDefault(want, "-"), orDefault(got, "-"))
	}
}

func (r *runner) when(path, ctx, want string, got time.Time) {
	if want == "" {
		return
	}
	if want == "-" {
		if !got.IsZero() {
			r.mismatch(path, ctx, "-", r.fmtTime(got))
		}
		return
	}
	w, err := parseInstant(want, r.loc)
	if err != nil {
		r.fail(rulesjson.Errorf(path, "%w", err))
		return
	}
	if !w.Equal(got) {
		r.mismatch(path, ctx, r.fmtTime(w), r.fmtTime(got))
	}
}

func (r *runner) dur(path, ctx, want string, got time.Duration) {
	if want == "" {
		return
	}
	w := time.Duration(0)
	if want != "-" {
		var err error
		if w, err = parseDuration(want); err != nil {
			r.fail(rulesjson.Errorf(path, "%w", err))
			return
		}
	}
	if w != got {
		r.mismatch(path, ctx, durText(w), durText(got))
	}
}

func (r *runner) intp(path, ctx string, want *int, got int) {
	if want != nil && *want != got {
		r.mismatch(path, ctx, strconv.Itoa(*want), strconv.Itoa(got))
	}
}

func (r *runner) list(path, ctx string, want, got []string) {
	if want != nil && !slices.Equal(want, got) {
		r.mismatch(path, ctx, listText(want), listText(got))
	}
}

func (r *runner) set(path, ctx string, want, got []string) {
	w, g := slices.Sorted(slices.Values(want)), slices.Sorted(slices.Values(got))
	if !slices.Equal(w, g) {
		r.mismatch(path, ctx, listText(w), listText(g))
	}
}
