package sla

import (
	"errors"
	"fmt"
	"maps"
	"slices"
	"strings"
	"time"

	ical "github.com/emersion/go-ical"
	"github.com/teambition/rrule-go"

	"github.com/closeloop/closeloop/internal/rulesjson"
)

// maxICSOccurrences bounds the closures one iCalendar document may expand
// to, so a rule such as FREQ=MINUTELY cannot exhaust memory (each costs
// about 350 bytes while the document is imported; a weekly closure over
// the default 230 years is 12 000).
const maxICSOccurrences = 50000

// maxICSDays bounds the calendar dates all events together may touch.
const maxICSDays = 1000000

// ErrICS marks an iCalendar document that cannot be used; it arrives inside
// a *[PathError] at the spec's "ics" path.
var ErrICS = errors.New("bad iCalendar document")

// importICS adds the events of an iCalendar document to w as closures.
// All-day events (DTSTART;VALUE=DATE) close whole dates from DTSTART up to
// DTEND (exclusive; one day when absent). Timed events close their span,
// converted to the calendar's wall clock. RRULE, RDATE and EXDATE are
// expanded within the supported years; cancelled events are ignored.
func importICS(path, doc string, w *wallRules, firstDay, endDay int32) (err error) {
	defer func() {
		if r := recover(); r != nil { // the parser is third-party code: never let it panic through us
			err = rulesjson.Errorf(path, "%w: parser failed: %v", ErrICS, r)
		}
	}()
	cal, err := ical.NewDecoder(strings.NewReader(doc)).Decode()
	if err != nil {
		return rulesjson.Errorf(path, "%w: %v", ErrICS, err)
	}
	count := 0
	var days int64
	from := civilDate(firstDay)
	to := civilDate(endDay)
	for i, ev := range cal.Events() {
		ep := fmt.Sprintf("%s: event %d", path, i+1)
		if uid, _ := ev.Props.Text(ical.PropUID); uid != "" {
			ep += fmt.Sprintf(" (UID %s)", uid)
		}
		fail := func(format string, args ...any) error {
			return &PathError{Path: path, Err: fmt.Errorf("%w: %s: %s", ErrICS, strings.TrimPrefix(ep, path+": "), fmt.Sprintf(format, args...))}
		}
		if st, _ := ev.Props.Text(ical.PropStatus); strings.EqualFold(st, "CANCELLED") {
			continue
		}
		// A TZID names a zone the parser loads by name: refuse the names
		// that depend on the host ("Local", file paths), as for time_zone.
		for _, name := range slices.Sorted(maps.Keys(ev.Props)) { // sorted: the same error every time
			for _, prop := range ev.Props[name] {
				for _, tz := range prop.Params.Values(ical.ParamTimezoneID) {
					if _, err := loadZone(tz); err != nil {
						return fail("%s: TZID: %v", name, err)
					}
				}
			}
		}
		startProp := ev.Props.Get(ical.PropDateTimeStart)
		if startProp == nil {
			return fail("no DTSTART")
		}
		allDay := startProp.ValueType() == ical.ValueDate || (startProp.ValueType() == ical.ValueDefault && len(startProp.Value) == 8)
		loc := w.loc
		if allDay {
			loc = time.UTC
		}
		start, err := startProp.DateTime(loc)
		if err != nil {
			return fail("DTSTART: %v", err)
		}
		end, err := ev.DateTimeEnd(loc)
		if err != nil {
			return fail("DTEND/DURATION: %v", err)
		}
		if end.IsZero() || !end.After(start) {
			if allDay {
				end = start.AddDate(0, 0, 1)
			} else {
				return fail("the event has no duration")
			}
		}
		length := end.Sub(start)
		if allDay && length%(24*time.Hour) != 0 {
			return fail("an all-day event must last whole days")
		}
		occ := []time.Time{start}
		if ev.Props.Get(ical.PropRecurrenceRule) != nil {
			occ, err = expandRule(ev, start, loc, from, to, maxICSOccurrences-count)
			if err != nil {
				return fail("%v", err)
			}
		}
		for _, o := range occ {
			count++
			if count > maxICSOccurrences {
				return fail("more than %d occurrences", maxICSOccurrences)
			}
			var d0, d1 int32 // the local dates the occurrence touches, [d0, d1)
			if allDay {
				y, m, d := o.Date()
				d0 = civilDay(y, m, d)
				d1 = d0 + int32(min(length/(24*time.Hour), 400*366))
			} else {
				a, b := o.In(w.loc), o.Add(length).In(w.loc)
				ay, am, ad := a.Date()
				by, bm, bd := b.Date()
				d0, d1 = civilDay(ay, am, ad), civilDay(by, bm, bd)+1
			}
			days += max(0, int64(min(d1, endDay))-int64(max(d0, firstDay))) + 1
			if days > maxICSDays {
				return fail("the events close more than %d days", maxICSDays)
			}
			if allDay {
				for dd := max(d0, firstDay); dd < min(d1, endDay); dd++ {
					w.override(dd).fullSoft = true
				}
				continue
			}
			closeSpan(w, o, o.Add(length), firstDay, endDay)
		}
	}
	for _, o := range w.overrides {
		o.closed = normalizeSpans(o.closed)
	}
	return nil
}

// expandRule lists the occurrences of a recurring event between from and to.
func expandRule(ev ical.Event, start time.Time, loc *time.Location, from, to time.Time, limit int) ([]time.Time, error) {
	opt, err := ev.Props.RecurrenceRule()
	if err != nil || opt == nil {
		return nil, fmt.Errorf("RRULE: %v", err)
	}
	opt.Dtstart = start
	rule, err := rrule.NewRRule(*opt)
	if err != nil {
		return nil, fmt.Errorf("RRULE: %v", err)
	}
	var set rrule.Set
	set.RRule(rule)
	set.DTStart(start)
	// go-ical's RecurrenceSet reads EXDATE as RDATE and cannot read value
	// lists, so the set is built here.
	for _, name := range []string{ical.PropExceptionDates, ical.PropRecurrenceDates} {
		for _, p := range ev.Props.Values(name) {
			for _, v := range strings.Split(p.Value, ",") {
				q := p
				q.Value = strings.TrimSpace(v)
				t, err := q.DateTime(loc)
				if err != nil {
					return nil, fmt.Errorf("%s: %v", name, err)
				}
				if name == ical.PropExceptionDates {
					set.ExDate(t)
				} else {
					set.RDate(t)
				}
			}
		}
	}
	var out []time.Time
	next := set.Iterator()
	early := from.AddDate(0, 0, -7)
	for steps := 0; ; steps++ {
		if steps > 10*maxICSOccurrences {
			return nil, fmt.Errorf("the rule needs too many steps to reach the supported years")
		}
		t, ok := next()
		if !ok || !t.Before(to) {
			break
		}
		if t.Before(early) {
			continue
		}
		out = append(out, t)
		if len(out) > limit {
			return nil, fmt.Errorf("more than %d occurrences", maxICSOccurrences)
		}
	}
	return out, nil
}

// closeSpan closes the wall-clock stretches covered by the instants [a, b).
func closeSpan(w *wallRules, a, b time.Time, firstDay, endDay int32) {
	a, b = a.In(w.loc), b.In(w.loc)
	ay, am, ad := a.Date()
	by, bm, bd := b.Date()
	da, db := civilDay(ay, am, ad), civilDay(by, bm, bd)
	for d := max(da, firstDay-1); d <= db && d < endDay; d++ {
		s, e := int32(0), int32(secPerDay)
		if d == da {
			s = int32(a.Hour()*3600 + a.Minute()*60 + a.Second())
		}
		if d == db {
			e = int32(b.Hour()*3600 + b.Minute()*60 + b.Second())
		}
		if s >= e || d < firstDay || d >= endDay {
			continue
		}
		o := w.override(d)
		o.closed = append(o.closed, span{s, e})
	}
}
