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
and make-up working days, and the week's open time. With -json it writes
the lifecycle as data (feedback.LifecycleSpec: states, transitions, progress
nodes) or the week's days with their open stretches.`

func runDiagram(args []string, e env) int {
	var (
		format, calendar string
		asJSON           bool
		week             = e.now
		p                **l10n.Printer
	)
	fs, code := parse("diagram", "[flags] RULES", diagramAbout, args, e, func(fs *flag.FlagSet) {
		fs.StringVar(&format, "format", "mermaid", "mermaid, dot or week")
		fs.StringVar(&calendar, "calendar", "", "the calendar of -format week (default: the document's default calendar)")
		fs.Var(timeFlag{&week}, "week", "a day of the week -format week draws (default: today)")
		fs.BoolVar(&asJSON, "json", false, "write the lifecycle (or, with -format week, the week) as JSON")
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
	switch {
	case asJSON && format != "week":
		writeJSON(e.stdout, rules.Lifecycle().Spec())
		return exitOK
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
		days := weekOf(cal, week)
		if asJSON {
			writeJSON(e.stdout, days)
			return exitOK
		}
		writeWeek(e.stdout, cal, days, *p)
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

// weekDay is one day of a calendar's week.
type weekDay struct {
	Date      string        `json:"date"` // YYYY-MM-DD in the calendar's zone
	Weekday   string        `json:"weekday"`
	Stretches []string      `json:"stretches"` // open stretches, "09:00–12:00"
	Open      time.Duration `json:"open_ns"`
	Note      string        `json:"note,omitempty"` // holiday, extra working day, other hours
}

// weekOf lays out the Monday-to-Sunday week containing day on cal: each
// day's open stretches and how they differ from the usual week.
func weekOf(cal *sla.Calendar, day time.Time) []weekDay {
	loc := cal.Location()
	d := day.In(loc)
	monday := time.Date(d.Year(), d.Month(), d.Day()-(int(d.Weekday())+6)%7, 0, 0, 0, 0, loc)
	spec, hasSpec := cal.Spec()
	var out []weekDay
	for i := range 7 {
		start := monday.AddDate(0, 0, i)
		end := start.AddDate(0, 0, 1)
		wd := weekDay{Date: start.Format("2006-01-02"), Weekday: start.Weekday().String(), Stretches: []string{}}
		for a, b := range cal.Periods(start) {
			if !a.Before(end) {
				break
			}
			if b.After(end) {
				b = end
			}
			wd.Stretches = append(wd.Stretches, a.In(loc).Format("15:04")+"–"+clock(b.In(loc), start))
			wd.Open += b.Sub(a)
		}
		if hasSpec {
			weekly := weekdayHours(spec.Week, start.Weekday())
			switch {
			case len(weekly) > 0 && len(wd.Stretches) == 0:
				wd.Note = "closed: holiday"
			case len(weekly) == 0 && len(wd.Stretches) > 0:
				wd.Note = "extra working day"
			case len(weekly) > 0 && strings.Join(weekly, " ") != strings.Join(wd.Stretches, " "):
				wd.Note = "hours differ from the usual " + strings.Join(weekly, " ")
			}
		}
		out = append(out, wd)
	}
	return out
}

// writeWeek draws a week as text.
func writeWeek(w io.Writer, cal *sla.Calendar, days []weekDay, p *l10n.Printer) {
	monday, _ := time.ParseInLocation("2006-01-02", days[0].Date, cal.Location())
	y, wk := monday.ISOWeek()
	fmt.Fprintf(w, "Calendar %s (%s), week of %s (%d-W%02d)\n", cal.Name(), cal.Location(), days[0].Date, y, wk)
	var total time.Duration
	open := 0
	for i, d := range days {
		hours := "closed"
		if len(d.Stretches) > 0 {
			hours = strings.Join(d.Stretches, "  ")
			open++
		}
		line := fmt.Sprintf("  %s  %-36s", monday.AddDate(0, 0, i).Format("Mon 01-02"), hours)
		if d.Open > 0 {
			line += fmt.Sprintf(" %7s", p.Duration(d.Open))
		} else {
			line += fmt.Sprintf(" %7s", "")
		}
		if d.Note != "" {
			line += "  " + d.Note
		}
		fmt.Fprintln(w, strings.TrimRight(line, " "))
		total += d.Open
	}
	fmt.Fprintf(w, "  open %s on %s\n", p.Duration(total), plural(open, "day", "days"))
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
