package l10n

import (
	"regexp"
	"strconv"
	"strings"

	"github.com/closeloop/closeloop/priority"
)

// Reason renders one step of a priority decision. In English it is
// exactly [priority.Reason.String]; in Chinese the same facts with the
// inputs, flags, quadrants and the presets' labels translated.
func (p *Printer) Reason(r priority.Reason) string {
	switch r.Kind {
	case priority.ReasonInput:
		s := p.t("reason.input", p.dim(r.Name), itoa(r.Value))
		if r.Label != "" {
			s += p.t("reason.label", p.Term(r.Label))
		}
		if r.Detail != "" {
			s += p.t("reason.detail", p.reasonDetail(r.Detail))
		}
		if r.Points != 0 {
			s += p.t("reason.points", itoa(r.Points))
		}
		return s
	case priority.ReasonCount:
		return p.t("reason.count", p.dim(r.Name), itoa(r.Value), itoa(r.Threshold), p.reasonDetail(r.Detail))
	case priority.ReasonFlag:
		s := p.t("reason.flag", p.flag(r.Name))
		if r.Points != 0 {
			s += p.t("reason.points", itoa(r.Points))
		}
		return s
	case priority.ReasonBand:
		if r.Detail != "" {
			return p.t("reason.band.detail", itoa(r.Value), p.reasonDetail(r.Detail), p.Term(r.To))
		}
		return p.t("reason.band", itoa(r.Value), itoa(r.Threshold), p.Term(r.To))
	case priority.ReasonMatrix:
		return p.t("reason.matrix", p.matrixAxes(r.Detail), p.Term(r.To))
	case priority.ReasonQuadrant:
		q := p.quadrant(r.Label)
		if r.To != "" {
			q = p.t("reason.quadrant.level", q, p.Term(r.To))
		}
		return p.t("reason.quadrant", q, p.quadrantAction(r.Detail))
	case priority.ReasonOverride:
		return p.t("reason.override", p.quoteTerm(r.Name), p.overrideAction(r.Detail), p.Term(r.From), p.Term(r.To))
	case priority.ReasonTierName:
		s := p.t("reason.tier_name", p.quote(r.Name), itoa(r.Value))
		if r.Label != "" {
			s += p.t("reason.label", p.Term(r.Label))
		}
		return s
	}
	return r.Kind.String() + " " + r.Name
}

// Reasons renders each reason ([Printer.Reason]), in order.
func (p *Printer) Reasons(rs []priority.Reason) []string {
	out := make([]string, len(rs))
	for i, r := range rs {
		out[i] = p.Reason(r)
	}
	return out
}

// quoteTerm quotes an override name as priority does in English
// (strconv.Quote) and with Chinese quotation marks in Chinese.
func (p *Printer) quoteTerm(s string) string {
	if p.zh {
		return p.quote(p.Term(s))
	}
	return strconv.Quote(s)
}

// dim names an input or count; unknown names are shown as given.
func (p *Printer) dim(name string) string {
	if k, ok := dimKeys[name]; ok {
		return p.t(k)
	}
	return name
}

var dimKeys = map[string]string{
	"impact": "dim.impact", "urgency": "dim.urgency", "severity": "dim.severity", "tier": "dim.tier",
	"affected": "dim.affected", "business": "dim.business", "value": "dim.value",
}

func (p *Printer) flag(name string) string {
	if k, ok := flagKeys[name]; ok {
		return p.t(k)
	}
	return name
}

var flagKeys = map[string]string{
	"personal_safety": "flag.personal_safety", "major_property_loss": "flag.major_property_loss",
	"legal_risk": "flag.legal_risk", "core_function": "flag.core_function", "repeated_fault": "flag.repeated_fault",
}

// atLeast matches priority's count details, "impact at least 3".
var atLeast = regexp.MustCompile(`^([a-z_]+) at least (-?[0-9]+)$`)

// reasonDetail translates the details priority writes itself; any other
// detail (rules data) is a term or shown as given.
func (p *Printer) reasonDetail(d string) string {
	switch d {
	case "not given, taken as the lowest":
		return p.t("reason.not_given")
	case "below every band":
		return p.t("reason.below_bands")
	}
	if m := atLeast.FindStringSubmatch(d); m != nil {
		return p.t("reason.at_least", p.dim(m[1]), m[2])
	}
	return p.Term(d)
}

// matrixAxes translates "severity × urgency".
func (p *Printer) matrixAxes(d string) string {
	parts := strings.Split(d, " × ")
	for i, s := range parts {
		parts[i] = p.dim(s)
	}
	return strings.Join(parts, " × ")
}

func (p *Printer) quadrant(name string) string {
	if k, ok := quadrantKeys[name]; ok {
		return p.t(k)
	}
	return name
}

var quadrantKeys = map[string]string{
	"do_now": "quadrant.do_now", "plan": "quadrant.plan", "coordinate": "quadrant.coordinate", "backlog": "quadrant.backlog",
}

// quadrantAction translates priority.Quadrant.Action's texts.
func (p *Printer) quadrantAction(a string) string {
	for q, key := range quadrantActionKeys {
		if q.Action() == a {
			return p.t(key)
		}
	}
	return a
}

var quadrantActionKeys = map[priority.Quadrant]string{
	priority.DoNow: "quadrant.action.do_now", priority.Plan: "quadrant.action.plan",
	priority.Coordinate: "quadrant.action.coordinate", priority.Backlog: "quadrant.action.backlog",
}

// overrideAction translates "raise_to emergency", "raise_by 1", "floor
// P1", "cap P2".
func (p *Printer) overrideAction(d string) string {
	verb, arg, ok := strings.Cut(d, " ")
	if !ok {
		return d
	}
	switch verb {
	case "raise_to":
		return p.t("override.raise_to", p.Term(arg))
	case "raise_by":
		return p.t("override.raise_by", arg)
	case "floor":
		return p.t("override.floor", p.Term(arg))
	case "cap":
		return p.t("override.cap", p.Term(arg))
	}
	return d
}
