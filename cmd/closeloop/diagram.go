package main

import (
	"encoding/json"
	"flag"
	"fmt"
	"io"
	"strings"
	"time"

	"github.com/closeloop/closeloop/feedback"
	"github.com/closeloop/closeloop/l10n"
	"github.com/closeloop/closeloop/sla"
)

const diagramAbout = `Diagram draws the document's ticket lifecycle (the default lifecycle with
the document's extensions) as a Mermaid state diagram (-format mermaid, the
default: paste it into Markdown) or Graphviz DOT (-format dot: pipe it to
"dot -Tsvg"), with every guard on its edge; or, with -format week, one
calendar's week as text: each day's open hours, holidays, part-day closures
and make-up working days, and the week's open time.`

func runDiagram(args []string, e env) int {
	var (
		format, calendar string
		week             = e.now
		p                **l10n.Printer
	)
	fs, code := parse("diagram", "[flags] RULES", diagramAbout, args, e, func(fs *flag.FlagSet) {
		fs.StringVar(&format, "format", "mermaid", "mermaid, dot or week")
		fs.StringVar(&calendar, "calendar", "", "the calendar of -format week (default: the document's default calendar)")
		fs.Var(timeFlag{&week}, "week", "a day of the week -format week draws (default: today)")
		p = addLang(fs)
	})
	if fs == nil {
		return code
	}
	if fs.NArg() != 1 {
		return usageError(e, "diagram", "want one rules document, got %d arguments", fs.NArg())
	}
	data, err := readFile(e, fs.Arg(0))
	if err != nil {
		return inputError(e, *p, "diagram", err)
	}
	rules, err := feedback.ParseRules(data)
	if err != nil {
		return inputError(e, *p, "diagram", fmt.Errorf("%s: %w", fs.Arg(0), err))
	}
	switch format {
	case "mermaid":
		fmt.Fprint(e.stdout, ensureNewline(rules.Lifecycle().Mermaid()))
	case "dot":
		fmt.Fprint(e.stdout, ensureNewline(rules.Lifecycle().DOT()))
	case "week":
		if calendar == "" {
			var doc feedback.RulesDocument
			if json.Unmarshal(data, &doc) == nil {
				calendar = doc.DefaultCalendar
			}
		}
		cals := rules.Calendars()
		if calendar == "" && cals != nil && cals.Len() == 1 {
			calendar = cals.Names()[0]
		}
		if cals == nil || calendar == "" {
			return usageError(e, "diagram", "the document names no default calendar: give -calendar (it has %s)", calendarNames(cals))
		}
		cal, ok := cals.Get(calendar)
		if !ok {
			return usageError(e, "diagram", "no calendar %q in the document (it has %s)", calendar, calendarNames(cals))
		}
		if err := writeWeek(e.stdout, cal, week, *p); err != nil {
			return inputError(e, *p, "diagram", err)
		}
	default:
		return usageError(e, "diagram", "-format %q: want mermaid, dot or week", format)
	}
	return exitOK
}

func ensureNewline(s string) string {
	if strings.HasSuffix(s, "\n") {
		return s
	}
	return s + "\n"
}

func calendarNames(c *sla.Calendars) string {
	if c == nil || c.Len() == 0 {
		return "no calendars"
	}
	return strings.Join(c.Names(), ", ")
}

// writeWeek draws the Monday-to-Sunday week containing day on cal.
func writeWeek(w io.Writer, cal *sla.Calendar, day time.Time, p *l10n.Printer) error {
	loc := cal.Location()
	d := day.In(loc)
	monday := time.Date(d.Year(), d.Month(), d.Day()-(int(d.Weekday())+6)%7, 0, 0, 0, 0, loc)
	spec, hasSpec := cal.Spec()
	y, wk := monday.ISOWeek()
	fmt.Fprintf(w, "Calendar %s (%s), week of %s (%d-W%02d)\n", cal.Name(), loc, monday.Format("2006-01-02"), y, wk)
	var total time.Duration
	days := 0
	for i := range 7 {
		start := monday.AddDate(0, 0, i)
		end := start.AddDate(0, 0, 1)
		var stretches []string
		var open time.Duration
		for a, b := range cal.Periods(start) {
			if !a.Before(end) {
				break
			}
			if b.After(end) {
				b = end
			}
			stretches = append(stretches, a.In(loc).Format("15:04")+"–"+clock(b.In(loc), start))
			open += b.Sub(a)
		}
		note := ""
		if hasSpec {
			weekly := weekdayHours(spec.Week, start.Weekday())
			switch {
			case len(weekly) > 0 && len(stretches) == 0:
				note = "closed: holiday"
			case len(weekly) == 0 && len(stretches) > 0:
				note = "extra working day"
			case len(weekly) > 0 && strings.Join(weekly, " ") != strings.Join(stretches, " "):
				note = "hours differ from the usual " + strings.Join(weekly, " ")
			}
		}
		hours := "closed"
		if len(stretches) > 0 {
			hours = strings.Join(stretches, "  ")
			days++
		}
		line := fmt.Sprintf("  %s  %-36s", start.Format("Mon 01-02"), hours)
		if open > 0 {
			line += fmt.Sprintf(" %7s", p.Duration(open))
		} else {
			line += fmt.Sprintf(" %7s", "")
		}
		if note != "" {
			line += "  " + note
		}
		fmt.Fprintln(w, strings.TrimRight(line, " "))
		total += open
	}
	fmt.Fprintf(w, "  open %s on %s\n", p.Duration(total), plural(days, "day", "days"))
	return nil
}

// clock writes an end of an open stretch; the end of the day is "24:00".
func clock(t, day time.Time) string {
	if !t.Before(day.AddDate(0, 0, 1)) {
		return "24:00"
	}
	return t.Format("15:04")
}

// weekdayHours lists a weekday's usual open stretches as "09:00–12:00".
func weekdayHours(w sla.WeekHours, d time.Weekday) []string {
	days := [...][]sla.Hours{w.Sun, w.Mon, w.Tue, w.Wed, w.Thu, w.Fri, w.Sat}
	var out []string
	for _, h := range days[d] {
		if len(h) == 2 {
			out = append(out, trimSeconds(h[0])+"–"+trimSeconds(h[1]))
		}
	}
	return out
}

func trimSeconds(s string) string {
	if len(s) == len("15:04:05") && strings.HasSuffix(s, ":00") {
		return s[:5]
	}
	return s
}
