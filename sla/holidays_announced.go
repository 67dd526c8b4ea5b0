package sla

//go:generate go run ./internal/holidaygen

import "time"

// announcedSet is a public holiday set that is not rule-based: a government
// announces each year's days off (and, in China and Taiwan, the weekend
// days worked in exchange), and the set holds the announcements it knows,
// year by year (holidays_data.go, generated from the tables in
// internal/holidaygen/tables). Years outside first..last carry nothing
// (see CalendarSpec.PublicHolidaysStrict).
type announcedSet struct {
	code, name, zone string
	first, last      int
	entries          []announcedEntry
}

type announcedKind uint8

const (
	announcedOff  announcedKind = iota // days off, whole days
	announcedWork                      // a make-up working day
	announcedPart                      // a part-day closure
)

// announcedEntry is one line of an announcement: a run of days off, a
// make-up working day, or a part-day closure (closed, wall-clock seconds).
type announcedEntry struct {
	year     int // the year of the announcement the entry belongs to
	kind     announcedKind
	from, to announcedDay
	closed   span
	name     string
}

type announcedDay struct {
	y int
	m time.Month
	d int
}

func (a announcedDay) civil() int32 { return civilDay(a.y, a.m, a.d) }

// days calls f for every date (days since 1970-01-01) of the entries of
// kind k announced for the years from..to. An announcement's dates may
// spill into the year before it (a New Year run from December 30th).
func (a *announcedSet) days(k announcedKind, from, to int, f func(d int32, e *announcedEntry)) {
	for i := range a.entries {
		e := &a.entries[i]
		if e.kind != k || e.year < from || e.year > to {
			continue
		}
		for d := e.from.civil(); d <= e.to.civil(); d++ {
			f(d, e)
		}
	}
}

// closedDates returns the days off announced for the years from..to.
func (a *announcedSet) closedDates(from, to int) []int32 {
	var out []int32
	a.days(announcedOff, from, to, func(d int32, _ *announcedEntry) { out = append(out, d) })
	return out
}

// makeUpDates returns the make-up working days announced for the years
// from..to.
func (a *announcedSet) makeUpDates(from, to int) []int32 {
	var out []int32
	a.days(announcedWork, from, to, func(d int32, _ *announcedEntry) { out = append(out, d) })
	return out
}

// hasMakeUp reports whether the set has make-up working days.
func (a *announcedSet) hasMakeUp() bool {
	for _, e := range a.entries {
		if e.kind == announcedWork {
			return true
		}
	}
	return false
}
