package main

import (
	"bytes"
	"flag"
	"fmt"
	"io"
	"slices"
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"

	"github.com/closeloop/closeloop/compensation"
	"github.com/closeloop/closeloop/feedback"
	"github.com/closeloop/closeloop/l10n"
	"github.com/closeloop/closeloop/priority"
	"github.com/closeloop/closeloop/sla"
)

const explainAbout = `Explain shows what the rules decide for one ticket: its SLA report at
-now (the policy that matched and why, each clock's status, deadline and time
left, the next instant anything changes), how its priority was reached (the
scoring's reasons, re-derived from the triage's inputs with the document's
rules, and compared with the reasons recorded at triage), and the
compensation each of the document's policies would offer.

TICKET is a ticket snapshot (the JSON of feedback.MarshalSnapshot; it is
verified by replaying its history) or a JSON array of the ticket's events
(replayed). Offers take the claim's inputs from -input flags; the SLA
overruns ("resolution_overrun") are filled in from the report.`

// inputsFlag collects -input map.name=value claim inputs.
type inputsFlag []string

func (f *inputsFlag) String() string     { return strings.Join(*f, ",") }
func (f *inputsFlag) Set(s string) error { *f = append(*f, s); return nil }

func runExplain(args []string, e env) int {
	var (
		asJSON         bool
		now            = e.now
		tz, policyName string
		inputs         inputsFlag
		p              **l10n.Printer
	)
	fs, code := parse("explain", "[flags] RULES TICKET", explainAbout, args, e, func(fs *flag.FlagSet) {
		fs.BoolVar(&asJSON, "json", false, "write the explanation as JSON")
		fs.Var(timeFlag{&now}, "now", "the instant the SLA report and offers are evaluated at (default: the wall clock)")
		fs.StringVar(&tz, "tz", "", "time zone instants are shown in (default: the ticket's calendar's)")
		fs.StringVar(&policyName, "offer", "", "only this compensation policy (default: every policy of the document)")
		fs.Var(&inputs, "input", "a claim input, map.name=value: durations.delay=3h, amounts.price=120.00, numbers.uptime=99.5, flags.rerouted=true (repeatable)")
		p = addLang(fs)
	})
	if fs == nil {
		return code
	}
	if fs.NArg() != 2 {
		return usageError(e, "explain", "want a rules document and a ticket, got %d arguments", fs.NArg())
	}
	rulesData, err := readFile(e, fs.Arg(0))
	if err != nil {
		return inputError(e, *p, "explain", err)
	}
	rules, err := feedback.ParseRules(rulesData)
	if err != nil {
		return inputError(e, *p, "explain", fmt.Errorf("%s: %w", fs.Arg(0), err))
	}
	ticketData, err := readFile(e, fs.Arg(1))
	if err != nil {
		return inputError(e, *p, "explain", err)
	}
	t, err := loadTicket(rules, ticketData)
	if err != nil {
		return inputError(e, *p, "explain", fmt.Errorf("%s: %w", fs.Arg(1), err))
	}
	claim, err := parseClaim(inputs)
	if err != nil {
		return usageError(e, "explain", "%v", err)
	}
	loc := time.UTC
	if tz != "" {
		if loc, err = time.LoadLocation(tz); err != nil {
			return usageError(e, "explain", "-tz: %v", err)
		}
	} else if cals := rules.Calendars(); cals != nil {
		if cal, ok := cals.Get(t.Calendar); ok {
			loc = cal.Location()
		}
	}
	x, err := explain(rules, t, now, claim, policyName, *p)
	if err != nil {
		return inputError(e, *p, "explain", err)
	}
	if asJSON {
		writeJSON(e.stdout, x)
		return exitOK
	}
	x.write(e.stdout, loc, *p)
	return exitOK
}

// loadTicket restores a snapshot or replays an array of events.
func loadTicket(rules *feedback.Rules, data []byte) (*feedback.Ticket, error) {
	if trimmed := bytes.TrimSpace(data); len(trimmed) > 0 && trimmed[0] == '[' {
		var events []feedback.Event
		if err := jsonStrict(trimmed, &events); err != nil {
			return nil, err
		}
		return rules.Replay(events)
	}
	return rules.Restore(data)
}

// parseClaim reads -input map.name=value flags into a claim (the currency
// of amounts is the policy's, set when the offer is made).
type claimInputs struct {
	durations map[string]time.Duration
	amounts   map[string]string
	numbers   map[string]decimal.Decimal
	flags     map[string]bool
}

func parseClaim(in []string) (claimInputs, error) {
	var c claimInputs
	for _, s := range in {
		key, val, ok := strings.Cut(s, "=")
		m, name, ok2 := strings.Cut(key, ".")
		if !ok || !ok2 || name == "" {
			return c, fmt.Errorf("-input %q: want map.name=value", s)
		}
		switch m {
		case "durations":
			d, err := parseSpecDuration(val)
			if err != nil {
				return c, fmt.Errorf("-input %q: %v", s, err)
			}
			c.durations = setIn(c.durations, name, d)
		case "amounts":
			c.amounts = setIn(c.amounts, name, val)
		case "numbers":
			d, err := decimal.NewFromString(val)
			if err != nil {
				return c, fmt.Errorf("-input %q: %v", s, err)
			}
			c.numbers = setIn(c.numbers, name, d)
		case "flags":
			b, err := strconv.ParseBool(val)
			if err != nil {
				return c, fmt.Errorf("-input %q: %v", s, err)
			}
			c.flags = setIn(c.flags, name, b)
		default:
			return c, fmt.Errorf("-input %q: the map is durations, amounts, numbers or flags", s)
		}
	}
	return c, nil
}

func setIn[V any](m map[string]V, k string, v V) map[string]V {
	if m == nil {
		m = map[string]V{}
	}
	m[k] = v
	return m
}

// claimFor builds a claim for a policy, amounts in its currency.
func (c claimInputs) claimFor(pol *compensation.Policy) (compensation.Claim, error) {
	cl := compensation.Claim{Durations: c.durations, Numbers: c.numbers, Flags: c.flags}
	for name, v := range c.amounts {
		m, err := compensation.ParseMoney(v, pol.Currency().String())
		if err != nil {
			return cl, fmt.Errorf("amounts.%s: %w", name, err)
		}
		cl.Amounts = setIn(cl.Amounts, name, m)
	}
	return cl, nil
}

// explanation is what explain prints.
type explanation struct {
	Ticket   ticketSummary  `json:"ticket"`
	Priority *priorityStory `json:"priority,omitempty"`
	SLA      *sla.Report    `json:"sla,omitempty"`
	SLAError string         `json:"sla_error,omitempty"`
	Offers   []offerStory   `json:"offers,omitempty"`
	Now      time.Time      `json:"now"`
}

type ticketSummary struct {
	ID       string            `json:"id"`
	Rules    string            `json:"rules_version,omitempty"`
	State    string            `json:"state"`
	Priority string            `json:"priority,omitempty"`
	Team     string            `json:"team,omitempty"`
	Category string            `json:"category,omitempty"`
	Channel  string            `json:"channel,omitempty"`
	Calendar string            `json:"calendar,omitempty"`
	Opened   time.Time         `json:"opened"`
	Events   int               `json:"events"`
	Attrs    map[string]string `json:"attributes,omitempty"`
}

// priorityStory is how the ticket's priority was reached.
type priorityStory struct {
	Level   string            `json:"level"`
	At      time.Time         `json:"at"`
	ByHand  bool              `json:"by_hand,omitempty"`
	Reasons []priority.Reason `json:"reasons,omitempty"`
	// Recorded are the reasons recorded at triage; Differs says the
	// document's rules explain the inputs differently (they changed since).
	Recorded []string `json:"recorded,omitempty"`
	Differs  bool     `json:"differs,omitempty"`
}

type offerStory struct {
	Policy string              `json:"policy"`
	Offer  *compensation.Offer `json:"offer,omitempty"`
	Error  string              `json:"error,omitempty"`
}

func explain(rules *feedback.Rules, t *feedback.Ticket, now time.Time, c claimInputs, only string, p *l10n.Printer) (*explanation, error) {
	x := &explanation{Now: now, Ticket: ticketSummary{ID: t.ID, Rules: t.RulesVersion, State: string(t.State), Priority: t.Priority,
		Team: t.Team, Category: t.Category, Channel: t.Channel, Calendar: t.Calendar, Opened: t.Opened, Events: len(t.History), Attrs: t.Attributes}}
	x.Priority = priorityOf(rules, t)
	if rules.Policies() != nil {
		rep, err := rules.SLA(t, now)
		if err != nil {
			x.SLAError = p.Error(err)
		} else {
			x.SLA = rep
		}
	}
	names := rules.CompensationPolicies()
	if only != "" {
		if _, ok := rules.CompensationPolicy(only); !ok {
			return nil, fmt.Errorf("-offer %q: the document has no such compensation policy (it has %s)", only, strings.Join(names, ", "))
		}
		names = []string{only}
	}
	for _, name := range names {
		pol, _ := rules.CompensationPolicy(name)
		st := offerStory{Policy: name}
		claim, err := c.claimFor(pol)
		if err == nil {
			var o compensation.Offer
			if o, err = rules.OfferAt(t, name, claim, now); err == nil {
				st.Offer = &o
			}
		}
		if err != nil {
			st.Error = p.Error(err)
		}
		x.Offers = append(x.Offers, st)
	}
	return x, nil
}

// priorityOf finds the last triage and explains its level with the
// document's scoring, from the inputs the triage recorded, built into a
// [priority.Input] as feedback's triage builds it (category, kind, the tier
// attribute as a tier name when the scoring maps names).
func priorityOf(rules *feedback.Rules, t *feedback.Ticket) *priorityStory {
	for i := len(t.History) - 1; i >= 0; i-- {
		ev := t.History[i]
		if ev.Trigger != feedback.TriggerTriage {
			continue
		}
		st := &priorityStory{Level: t.Priority, At: ev.At, Recorded: ev.Payload.PriorityReasons}
		in := ev.Payload.PriorityInput
		scorer := rules.PriorityScorer()
		if in == nil || scorer == nil {
			st.ByHand = in == nil
			return st
		}
		pin := priority.Input{Impact: in.Impact, Affected: in.Affected, Business: in.Business, Urgency: in.Urgency,
			Severity: in.Severity, Tier: in.Tier, Category: ev.Payload.Category, Kind: t.Attributes["kind"]}
		if pin.Category == "" {
			pin.Category = t.Category
		}
		if tier := t.Attributes["tier"]; in.Tier == 0 && tier != "" && len(scorer.TierNames()) > 0 {
			pin.TierName = tier
		}
		for _, name := range in.Flags {
			if f, err := priority.ParseFlag(name); err == nil {
				pin.Flags |= f
			}
		}
		res, err := scorer.Explain(pin)
		if err != nil {
			return st
		}
		st.Reasons = res.Reasons
		texts := make([]string, len(res.Reasons))
		for i, r := range res.Reasons {
			texts[i] = r.String()
		}
		st.Differs = !slices.Equal(texts, ev.Payload.PriorityReasons)
		return st
	}
	return nil
}

func (x *explanation) write(w io.Writer, loc *time.Location, p *l10n.Printer) {
	day := func(t time.Time) string { return t.In(loc).Format("2006-01-02 15:04 Mon") }
	tk := x.Ticket
	fmt.Fprintf(w, "Ticket %s: state %s, priority %s, team %s\n", tk.ID, p.State(feedback.State(tk.State)), orDash(tk.Priority), orDash(tk.Team))
	fmt.Fprintf(w, "  opened %s, %s, category %s, channel %s, calendar %s, rules %s\n",
		day(tk.Opened), plural(tk.Events, "event", "events"), orDash(tk.Category), orDash(tk.Channel), orDash(tk.Calendar), orDash(tk.Rules))

	if pr := x.Priority; pr != nil {
		fmt.Fprintf(w, "\nPriority %s, from the triage of %s:\n", orDash(pr.Level), day(pr.At))
		switch {
		case pr.ByHand:
			fmt.Fprintf(w, "  given by hand (no scoring inputs)\n")
		case pr.Differs:
			fmt.Fprintf(w, "  recorded at triage:\n")
			for _, r := range pr.Recorded {
				fmt.Fprintf(w, "    %s\n", r)
			}
			fmt.Fprintf(w, "  this document's scoring explains the same inputs differently (the rules changed since):\n")
			for _, r := range pr.Reasons {
				fmt.Fprintf(w, "    %s\n", p.Reason(r))
			}
		default:
			for _, r := range pr.Reasons {
				fmt.Fprintf(w, "  %s\n", p.Reason(r))
			}
		}
	}

	fmt.Fprintf(w, "\nSLA at %s:", day(x.Now))
	switch {
	case x.SLAError != "":
		fmt.Fprintf(w, " %s\n", x.SLAError)
	case x.SLA == nil:
		fmt.Fprintf(w, " the rules hold no SLA policies\n")
	default:
		rep := x.SLA
		fmt.Fprintf(w, " policy %s v%d", rep.Policy, rep.Version)
		if len(rep.Why) > 0 {
			fmt.Fprintf(w, " (%s)", strings.Join(rep.Why, " and "))
		} else {
			fmt.Fprintf(w, " (matches every ticket)")
		}
		fmt.Fprintln(w)
		for _, m := range rep.Metrics {
			fmt.Fprintf(w, "  %s\n", p.Metric(m, loc))
		}
		if rep.NextChange.IsZero() {
			fmt.Fprintf(w, "  nothing changes any more\n")
		} else {
			fmt.Fprintf(w, "  next change %s\n", day(rep.NextChange))
		}
	}

	if len(x.Offers) > 0 {
		fmt.Fprintf(w, "\nCompensation at %s:\n", day(x.Now))
	}
	for _, o := range x.Offers {
		if o.Error != "" {
			fmt.Fprintf(w, "  %s: no offer: %s\n", o.Policy, o.Error)
			continue
		}
		fmt.Fprintf(w, "  %s (%s):\n", o.Policy, o.Offer.Currency)
		for _, r := range o.Offer.Readings {
			switch {
			case !r.Applies:
				fmt.Fprintf(w, "    %s: does not apply (%s)\n", r.Schedule, r.Note)
			case r.Band == "":
				fmt.Fprintf(w, "    %s: %s %s, no band (%s)\n", r.Schedule, r.Measure, r.Value, r.Note)
			default:
				fmt.Fprintf(w, "    %s: %s %s in band %q %s\n", r.Schedule, r.Measure, r.Value, r.Band, r.Range)
			}
		}
		if len(o.Offer.Options) == 0 {
			fmt.Fprintf(w, "    nothing to offer\n")
		}
		for _, opt := range o.Offer.Options {
			approval := ""
			if opt.NeedsApproval {
				approval = " (needs approval)"
			}
			fmt.Fprintf(w, "    - %s: %s%s\n", opt.ID, opt.Value(), approval)
		}
	}
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}
