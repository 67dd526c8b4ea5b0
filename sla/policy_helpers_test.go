package sla

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

var shanghai = mustLoc("Asia/Shanghai")

func mustLoc(name string) *time.Location {
	l, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return l
}

// officeCalendar is Mon–Fri 09:00–12:00 and 13:00–18:00 in Shanghai (8 open hours a day).
func officeCalendar(t testing.TB, name string) *Calendar {
	t.Helper()
	day := []Hours{{"09:00", "12:00"}, {"13:00", "18:00"}}
	c, err := NewCalendar(CalendarSpec{
		Name: name, TimeZone: "Asia/Shanghai",
		Week:      WeekHours{Mon: day, Tue: day, Wed: day, Thu: day, Fri: day},
		FirstYear: 2020, LastYear: 2030,
	})
	require.NoError(t, err)
	return c
}

// testEnv has the default states and the office calendar under the names
// "office", "business" and "cn-office" (the documents preset's).
func testEnv(t testing.TB) PolicyEnv {
	cals, err := NewCalendars(officeCalendar(t, "office"), officeCalendar(t, "business"), officeCalendar(t, "cn-office"))
	require.NoError(t, err)
	return PolicyEnv{States: DefaultStates(), Calendars: cals}
}

// mar builds an instant in Shanghai on 2024-03-dd hh:mm (2024-03-04 is a Monday).
func mar(dd, hh, mm int) time.Time {
	return time.Date(2024, 3, dd, hh, mm, 0, 0, shanghai)
}

func st(t time.Time, s string) Entry     { return Entry{At: t, Kind: EntryState, State: s} }
func ev(t time.Time, e string) Entry     { return Entry{At: t, Kind: EntryEvent, Event: e} }
func pr(t time.Time, p string) Entry     { return Entry{At: t, Kind: EntryPriority, Priority: p} }
func reopen(t time.Time, s string) Entry { return Entry{At: t, Kind: EntryReopen, State: s} }

func compileT(t testing.TB, doc string) *PolicySet {
	t.Helper()
	s, err := ParsePolicySet([]byte(doc), testEnv(t))
	require.NoError(t, err)
	return s
}

func metricByName(t testing.TB, r *Report, name string) MetricReport {
	t.Helper()
	m, ok := r.Metric(name)
	if !ok {
		t.Fatalf("no metric %q in %+v", name, r.Metrics)
	}
	return m
}

func auditTypes(r *Report, metric string) []string {
	var out []string
	for _, e := range r.Audit {
		if e.Metric == metric {
			s := e.Type.String()
			if e.Detail != "" {
				s += ":" + e.Detail
			}
			out = append(out, s)
		}
	}
	return out
}
