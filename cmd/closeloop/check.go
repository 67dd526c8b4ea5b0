package main

import (
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"maps"
	"slices"
	"strings"
	"time"

	"github.com/closeloop/closeloop/feedback"
	"github.com/closeloop/closeloop/intake"
	"github.com/closeloop/closeloop/internal/rulesjson"
	"github.com/closeloop/closeloop/l10n"
	"github.com/closeloop/closeloop/sla"
)

const checkAbout = `Check decodes each rules document strictly and compiles it, as
feedback.ParseRules does: an unknown field, a duplicate key, a value of the
wrong type, a bad duration or time zone, an overlapping band is an error,
reported with its JSON path and its line and column in the file
("rules.json:12:25: error: $.sla.policies[0]...: invalid duration"). The
library stops at the first error, so fix it and check again.

A document that compiles is linted for what compiles but cannot be meant:

  unreachable-policy   an SLA policy after a policy that matches every ticket
                       and is always in force (a catch-all), or a routing rule
                       after a rule without conditions
  alert-beyond-target  a warning or escalation whose lead time ("1 working day
                       before") or offset is at least as long as a target it
                       belongs to, in another unit than the target's: it is
                       reached when the clock starts
  calendar-data        a calendar whose years, public holiday data or dated
                       holidays end before next year: next year is the year
                       after the later of -now and the latest date written in
                       the document

Exit status: 0 when every document is valid (warnings are printed), 1 when
one has an error (or, with -strict, a warning), 2 for a file that cannot be
read.`

// finding is one error or warning of check.
type finding struct {
	Severity string `json:"severity"`       // "error" or "warning"
	Rule     string `json:"rule,omitempty"` // the lint rule of a warning
	Path     string `json:"path"`           // JSON path of the value at fault
	Position        // where the path is in the file
	Message  string `json:"message"`
}

// checkResult is the outcome for one file.
type checkResult struct {
	File     string    `json:"file"`
	Valid    bool      `json:"valid"`
	Version  string    `json:"version,omitempty"`
	Errors   []finding `json:"errors"`
	Warnings []finding `json:"warnings"`
}

func runCheck(args []string, e env) int {
	var (
		asJSON, strict bool
		now            = e.now
		p              **l10n.Printer
	)
	fs, code := parse("check", "[flags] RULES...", checkAbout, args, e, func(fs *flag.FlagSet) {
		fs.BoolVar(&asJSON, "json", false, "write the findings as JSON (an array, one object per file)")
		fs.BoolVar(&strict, "strict", false, "exit 1 on warnings too")
		fs.Var(timeFlag{&now}, "now", "the instant the calendar lint counts next year from (default: the wall clock)")
		p = addLang(fs)
	})
	if fs == nil {
		return code
	}
	if fs.NArg() == 0 {
		return usageError(e, "check", "no rules document given")
	}
	var results []checkResult
	for _, path := range fs.Args() {
		data, err := readFile(e, path)
		if err != nil {
			return inputError(e, *p, "check", err)
		}
		results = append(results, check(path, data, now, *p))
	}
	if asJSON {
		writeJSON(e.stdout, results)
	} else {
		writeCheck(e.stdout, results)
	}
	for _, r := range results {
		if !r.Valid || (strict && len(r.Warnings) > 0) {
			return exitFindings
		}
	}
	return exitOK
}

// check validates and lints one document.
func check(file string, data []byte, now time.Time, p *l10n.Printer) checkResult {
	res := checkResult{File: file, Errors: []finding{}, Warnings: []finding{}}
	rules, err := feedback.ParseRules(data)
	if err != nil {
		res.Errors = append(res.Errors, errorFinding(data, err, p))
		return res
	}
	res.Valid, res.Version = true, rules.Version()
	res.Warnings = lint(data, rules, now)
	for i := range res.Warnings {
		w := &res.Warnings[i]
		w.Severity = "warning"
		off, _ := locate(data, w.Path, false)
		w.Position = positionAt(data, off)
	}
	// In the order of the file, as an editor lists them.
	slices.SortStableFunc(res.Warnings, func(a, b finding) int { return a.Offset - b.Offset })
	return res
}

// errorFinding places a rules error: a syntax error where the decoder
// stopped, an unknown or duplicate key at the key, anything else at the
// value its path names (or the deepest value of the path that exists).
func errorFinding(data []byte, err error, p *l10n.Printer) finding {
	f := finding{Severity: "error", Path: "$", Message: p.Error(err)}
	var pe *rulesjson.PathError
	if !errors.As(err, &pe) {
		f.Position = positionAt(data, 0)
		return f
	}
	f.Path, f.Message = pe.Path, p.Error(pe.Err)
	off := 0
	switch {
	case errors.Is(pe.Err, rulesjson.ErrSyntax), errors.Is(pe.Err, rulesjson.ErrTrailingData):
		if o, ok := syntaxOffset(data); ok {
			off = o
			break
		}
		off, _ = locate(data, pe.Path, false)
	case errors.Is(pe.Err, rulesjson.ErrUnknownField), errors.Is(pe.Err, rulesjson.ErrDuplicateKey):
		off, _ = locate(data, pe.Path, true)
	default:
		off, _ = locate(data, pe.Path, false)
	}
	f.Position = positionAt(data, off)
	return f
}

func writeCheck(w io.Writer, results []checkResult) {
	for _, r := range results {
		for _, f := range append(slices.Clone(r.Errors), r.Warnings...) {
			rule := ""
			if f.Rule != "" {
				rule = " [" + f.Rule + "]"
			}
			fmt.Fprintf(w, "%s:%d:%d: %s: %s: %s%s\n", r.File, f.Line, f.Column, f.Severity, f.Path, f.Message, rule)
		}
		switch {
		case !r.Valid:
			fmt.Fprintf(w, "%s: invalid\n", r.File)
		default:
			fmt.Fprintf(w, "%s: valid, rules version %s, %s\n", r.File, r.Version, plural(len(r.Warnings), "warning", "warnings"))
		}
	}
}

func plural(n int, one, many string) string {
	if n == 1 {
		return "1 " + one
	}
	return fmt.Sprintf("%d %s", n, many)
}

func writeJSON(w io.Writer, v any) {
	enc := json.NewEncoder(w)
	enc.SetIndent("", "  ")
	enc.SetEscapeHTML(false)
	_ = enc.Encode(v) // the values are plain data: encoding cannot fail
}

// lint finds what compiles but cannot be meant. The document compiled, so
// its sections decode into their specs.
func lint(data []byte, rules *feedback.Rules, now time.Time) []finding {
	var doc feedback.RulesDocument
	if err := json.Unmarshal(data, &doc); err != nil {
		return nil
	}
	var out []finding
	if doc.SLA != nil {
		out = append(out, unreachablePolicies(*doc.SLA)...)
		out = append(out, alertsBeyondTargets(*doc.SLA, rules, now)...)
	}
	if doc.Routing != nil {
		out = append(out, unreachableRoutes(*doc.Routing)...)
	}
	if len(doc.Calendars) > 0 {
		ref := now
		if latest, ok := latestInstant(data); ok && latest.After(ref) {
			ref = latest
		}
		out = append(out, calendarData(doc.Calendars, ref.Year()+1)...)
	}
	return out
}

// catchAll reports whether a policy matches every ticket.
func catchAll(w *sla.WhenSpec) bool { return w == nil || (len(w.All) == 0 && len(w.Any) == 0) }

// unreachablePolicies: policies apply in order, first match wins, so a
// policy always in force that matches everything hides every later policy
// of another name. A name is "always in force" when its first version has
// no effective_from, and a catch-all when every version of it is.
func unreachablePolicies(set sla.PolicySetSpec) []finding {
	type nameInfo struct {
		first    int
		always   bool
		catchAll bool
	}
	names := map[string]*nameInfo{}
	for i, pol := range set.Policies {
		n, ok := names[pol.Name]
		if !ok {
			n = &nameInfo{first: i, always: pol.EffectiveFrom == "", catchAll: true}
			names[pol.Name] = n
		}
		// A revision without its own "when" keeps its base's conditions.
		if pol.BasedOn == 0 || pol.When != nil {
			n.catchAll = n.catchAll && catchAll(pol.When)
		}
	}
	var out []finding
	for i, pol := range set.Policies {
		for j := range i {
			hider := set.Policies[j]
			h := names[hider.Name]
			if hider.Name == pol.Name || h.first != j || !h.always || !h.catchAll {
				continue
			}
			out = append(out, finding{Rule: "unreachable-policy", Path: fmt.Sprintf("$.sla.policies[%d]", i),
				Message: fmt.Sprintf("policy %q can never apply: policy %q before it ($.sla.policies[%d]) is always in force and matches every ticket, and the first match wins",
					pol.Name, hider.Name, j)})
			break
		}
	}
	return out
}

// unreachableRoutes: the first routing rule that holds assigns the team.
func unreachableRoutes(spec intake.RouterSpec) []finding {
	var out []finding
	for i, r := range spec.Rules {
		for j := range i {
			if emptyRoute(spec.Rules[j].When) {
				out = append(out, finding{Rule: "unreachable-policy", Path: fmt.Sprintf("$.routing.rules[%d]", i),
					Message: fmt.Sprintf("routing rule %q can never apply: rule %q before it ($.routing.rules[%d]) has no conditions, and the first match wins",
						r.Name, spec.Rules[j].Name, j)})
				break
			}
		}
	}
	return out
}

func emptyRoute(c intake.RouteCondition) bool {
	return len(c.Kinds)+len(c.Categories)+len(c.SubCategories)+len(c.Priorities)+len(c.Tiers)+
		len(c.Channels)+len(c.Stages)+len(c.TagsAny)+len(c.TagsAll)+len(c.TagsNone) == 0
}

// alertsBeyondTargets compares each warning's and escalation's lead time
// or offset with the targets of its metric when their units differ (the
// library refuses the same-unit cases itself), in wall-clock time: a
// business duration stretched by the calendar's share of open hours, a
// working day as a week's seven days over its working days.
func alertsBeyondTargets(set sla.PolicySetSpec, rules *feedback.Rules, now time.Time) []finding {
	var out []finding
	spans := map[string]calendarSpan{}
	span := func(name string) (calendarSpan, bool) {
		if name == "" {
			name = set.DefaultCalendar
		}
		if s, ok := spans[name]; ok {
			return s, s.ok
		}
		s := measureCalendar(rules, name, now)
		spans[name] = s
		return s, s.ok
	}
	wall := func(t sla.TargetSpec) (time.Duration, bool) {
		switch t.Unit {
		case "elapsed":
			d, err := parseSpecDuration(t.Duration)
			return d, err == nil
		case "business":
			d, err := parseSpecDuration(t.Duration)
			s, ok := span(t.Calendar)
			if err != nil || !ok || s.openPerWeek <= 0 {
				return 0, false
			}
			return time.Duration(float64(d) * float64(7*24*time.Hour) / float64(s.openPerWeek)), true
		case "working_days":
			s, ok := span(t.Calendar)
			if !ok || s.daysPerWeek <= 0 {
				return 0, false
			}
			return time.Duration(float64(t.Days) * 7 / float64(s.daysPerWeek) * float64(24*time.Hour)), true
		}
		return 0, false
	}
	for i, pol := range set.Policies {
		for j, m := range pol.Metrics {
			name := m.Name
			if name == "" {
				name = m.Kind
			}
			for _, list := range []struct {
				key    string
				alerts []sla.AlertSpec
				warn   bool
			}{{"warnings", m.Warnings, true}, {"escalations", m.Escalations, false}} {
				for k, a := range list.alerts {
					off, field := a.Before, "before"
					if off == nil && list.warn {
						off, field = a.After, "after"
					}
					if off == nil {
						continue
					}
					offWall, ok := wall(*off)
					if !ok {
						continue
					}
					for _, prio := range slices.Sorted(maps.Keys(m.Targets)) {
						t := m.Targets[prio]
						if sameUnitScale(t, *off, set.DefaultCalendar) {
							continue
						}
						tWall, ok := wall(t)
						if !ok || offWall < tWall {
							continue
						}
						what := "warning"
						if !list.warn {
							what = "escalation"
						}
						place := "before the deadline"
						when := "it is reached when the clock starts"
						if field == "after" {
							place = "after the start"
							when = "it falls at or after the deadline it warns of"
						}
						out = append(out, finding{Rule: "alert-beyond-target",
							Path: fmt.Sprintf("$.sla.policies[%d].metrics[%d].%s[%d].%s", i, j, list.key, k, field),
							Message: fmt.Sprintf("%s %q of policy %q, metric %s, comes %s %s; that is at least as long as the %s target (%s), so %s",
								what, a.Name, pol.Name, name, specText(*off, set.DefaultCalendar), place, prio, specText(t, set.DefaultCalendar), when)})
					}
				}
			}
		}
	}
	return out
}

// sameUnitScale reports whether the library compares the two itself (same
// unit, and the same calendar for calendar units).
func sameUnitScale(a, b sla.TargetSpec, def string) bool {
	if a.Unit != b.Unit {
		return false
	}
	if a.Unit == "elapsed" {
		return true
	}
	ca, cb := a.Calendar, b.Calendar
	if ca == "" {
		ca = def
	}
	if cb == "" {
		cb = def
	}
	return ca == cb
}

// specText writes a target spec: "4h elapsed", "8h business on office", "1
// working day on cn-office".
func specText(t sla.TargetSpec, def string) string {
	cal := t.Calendar
	if cal == "" {
		cal = def
	}
	switch t.Unit {
	case "elapsed":
		return t.Duration + " elapsed"
	case "working_days":
		return plural(t.Days, "working day", "working days") + " on " + cal
	}
	return t.Duration + " " + t.Unit + " on " + cal
}

// parseSpecDuration reads a target duration: a Go duration, or whole days
// "3d" (24 hours each), as the sla package does.
func parseSpecDuration(s string) (time.Duration, error) {
	if d, ok := strings.CutSuffix(s, "d"); ok {
		var n int
		if _, err := fmt.Sscanf(d, "%d", &n); err == nil && fmt.Sprint(n) == d {
			return time.Duration(n) * 24 * time.Hour, nil
		}
	}
	return time.ParseDuration(s)
}

// calendarSpan is a calendar's open hours and working days in an average
// week of the year after the reference instant.
type calendarSpan struct {
	openPerWeek time.Duration
	daysPerWeek float64
	ok          bool
}

func measureCalendar(rules *feedback.Rules, name string, ref time.Time) calendarSpan {
	cals := rules.Calendars()
	if cals == nil {
		return calendarSpan{}
	}
	cal, ok := cals.Get(name)
	if !ok {
		return calendarSpan{}
	}
	from, to := cal.Range()
	start := ref.In(cal.Location())
	start = time.Date(start.Year(), start.Month(), start.Day(), 0, 0, 0, 0, cal.Location())
	end := start.AddDate(0, 0, 364)
	if start.Before(from) || end.After(to) {
		start, end = from, from.AddDate(0, 0, 364)
		if end.After(to) {
			return calendarSpan{}
		}
	}
	open, err := cal.Between(start, end)
	if err != nil {
		return calendarSpan{}
	}
	days, err := cal.WorkingDaysBetween(start, end)
	if err != nil {
		return calendarSpan{}
	}
	return calendarSpan{openPerWeek: open / 52, daysPerWeek: float64(days) / 52, ok: true}
}

// calendarData warns of calendars whose data ends before next year.
func calendarData(specs []sla.CalendarSpec, next int) []finding {
	var out []finding
	for i, c := range specs {
		if len(c.Intersect) > 0 || len(c.Union) > 0 {
			continue
		}
		base := fmt.Sprintf("$.calendars[%d]", i)
		if c.LastYear != 0 && c.LastYear < next {
			out = append(out, finding{Rule: "calendar-data", Path: base + ".last_year",
				Message: fmt.Sprintf("calendar %q supports years up to %d: deadlines in %d (next year) fail as outside its supported years", c.Name, c.LastYear, next)})
		}
		for j, code := range c.PublicHolidays {
			_, last, ok := sla.PublicHolidayYears(code)
			if !ok || last >= next || (c.LastYear != 0 && c.LastYear < next) {
				continue
			}
			msg := fmt.Sprintf("calendar %q: public holiday set %s has data up to %d: in %d (next year) its holidays and make-up working days are missing, so deadlines count them as ordinary days",
				c.Name, code, last, next)
			if c.PublicHolidaysStrict && c.LastYear == 0 {
				msg = fmt.Sprintf("calendar %q: public holiday set %s has data up to %d and public_holidays_strict confines the calendar to those years: deadlines in %d (next year) fail",
					c.Name, code, last, next)
			}
			out = append(out, finding{Rule: "calendar-data", Path: fmt.Sprintf("%s.public_holidays[%d]", base, j), Message: msg})
		}
		if len(c.PublicHolidays) == 0 && len(c.Holidays) > 0 && c.ICS == "" {
			latest := 0
			for _, h := range c.Holidays {
				date := h.Date
				if _, end, ok := strings.Cut(date, ".."); ok {
					date = end
				}
				if t, err := time.Parse("2006-01-02", date); err == nil {
					latest = max(latest, t.Year())
				}
			}
			if latest > 0 && latest < next {
				out = append(out, finding{Rule: "calendar-data", Path: base + ".holidays",
					Message: fmt.Sprintf("calendar %q: its dated holidays end in %d: %d (next year) has none, so deadlines count every weekday as a working day",
						c.Name, latest, next)})
			}
		}
	}
	return out
}

// latestInstant finds the latest date or instant written in the document
// (effective_from, holiday dates): the calendar lint looks a year past it.
func latestInstant(data []byte) (time.Time, bool) {
	var v any
	if err := json.Unmarshal(data, &v); err != nil {
		return time.Time{}, false
	}
	var latest time.Time
	var walk func(any)
	walk = func(v any) {
		switch x := v.(type) {
		case map[string]any:
			for _, e := range x {
				walk(e)
			}
		case []any:
			for _, e := range x {
				walk(e)
			}
		case string:
			for _, s := range strings.Split(x, "..") {
				if t, err := time.Parse(time.RFC3339, s); err == nil && t.After(latest) {
					latest = t
				} else if t, err := time.Parse("2006-01-02", s); err == nil && t.After(latest) {
					latest = t
				}
			}
		}
	}
	walk(v)
	return latest, !latest.IsZero()
}
