package sla

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/us"
	"github.com/stretchr/testify/require"
)

// The peer baseline: rickar/cal's BusinessCalendar with the same rules as
// usNineToFive (Mon–Fri 09:00–17:00, US federal holidays). rickar computes
// in the wall clock of its argument's Location, so every instant handed to
// it is in America/New_York.
func rickarUS() *cal.BusinessCalendar {
	bc := cal.NewBusinessCalendar()
	bc.AddHoliday(us.Holidays...)
	return bc
}

func usNineToFive(t testing.TB) *Calendar {
	c, err := NewCalendar(CalendarSpec{
		Name:           "us-9-5",
		TimeZone:       "America/New_York",
		Week:           Weekdays(Hours{"09:00", "17:00"}),
		PublicHolidays: []string{"US"},
	})
	require.NoError(t, err)
	return c
}

// TestCalendarAgainstRickar compares Between with rickar's WorkHoursInRange
// and Add with its AddWorkHours where both express the calendar. US DST
// changes fall on Sundays (closed), so rickar's day arithmetic by absolute
// hours does not matter here.
func TestCalendarAgainstRickar(t *testing.T) {
	c := usNineToFive(t)
	bc := rickarUS()
	ny := c.Location()
	rng := rand.New(rand.NewPCG(5, 6))
	base := time.Date(2015, 1, 1, 0, 0, 0, 0, ny)
	n := 2000
	if !fullSize() {
		n = 300
	}
	for i := range n {
		// instants on a 15-minute grid, avoiding exactly 17:00 (rickar counts
		// its closing instant as work time)
		a := base.Add(time.Duration(rng.IntN(15*365*96)) * 15 * time.Minute)
		if a.Hour() == 17 && a.Minute() == 0 {
			a = a.Add(time.Minute)
		}
		b := a.Add(time.Duration(rng.IntN(40*96)) * 15 * time.Minute)
		if b.Hour() == 17 && b.Minute() == 0 {
			b = b.Add(time.Minute)
		}
		got, err := c.Between(a, b)
		require.NoError(t, err)
		require.Equal(t, bc.WorkHoursInRange(a, b), got, "case %d: %s .. %s", i, a, b)

		d := time.Duration(1+rng.IntN(60*4)) * 15 * time.Minute
		want := bc.AddWorkHours(a, d)
		gotT, err := c.Add(a, d)
		require.NoError(t, err)
		require.True(t, want.Equal(gotT), "case %d: Add(%s, %s): rickar %s, ours %s", i, a, d, want, gotT)
	}
	// Working days agree with rickar's IsWorkday, day by day over 30 years.
	lastYear := 2030
	if raceEnabled {
		lastYear = 2005
	}
	for d := time.Date(2000, 1, 1, 12, 0, 0, 0, ny); d.Year() < lastYear; d = d.AddDate(0, 0, 1) {
		require.Equal(t, bc.IsWorkday(d), c.IsWorkingDay(d), "%s", d.Format("2006-01-02 Mon"))
	}
}

var (
	sinkTime time.Time
	sinkDur  time.Duration
)

// starts are Monday–Friday business instants spread over 2024, in New York.
func benchStarts(loc *time.Location) []time.Time {
	rng := rand.New(rand.NewPCG(7, 8))
	out := make([]time.Time, 0, 256)
	for len(out) < 256 {
		t := time.Date(2024, 1, 1, 0, 0, 0, 0, loc).Add(time.Duration(rng.IntN(365*24*4)) * 15 * time.Minute)
		if wd := t.Weekday(); wd == time.Saturday || wd == time.Sunday || t.Hour() < 9 || t.Hour() >= 17 {
			continue
		}
		out = append(out, t)
	}
	return out
}

func BenchmarkCalendarAdd40h(b *testing.B) {
	c := usNineToFive(b)
	starts := benchStarts(c.Location())
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t, err := c.Add(starts[i&255], 40*time.Hour)
		if err != nil {
			b.Fatal(err)
		}
		sinkTime = t
	}
}

func BenchmarkCalendarBetweenYear(b *testing.B) {
	c := usNineToFive(b)
	starts := benchStarts(c.Location())
	ends := make([]time.Time, len(starts))
	for i, s := range starts {
		ends[i] = s.AddDate(1, 0, 0)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		d, err := c.Between(starts[i&255], ends[i&255])
		if err != nil {
			b.Fatal(err)
		}
		sinkDur = d
	}
}

func BenchmarkRickarAddWorkHours40h(b *testing.B) {
	bc := rickarUS()
	ny, _ := time.LoadLocation("America/New_York")
	starts := benchStarts(ny)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		sinkTime = bc.AddWorkHours(starts[i&255], 40*time.Hour)
	}
}

func BenchmarkRickarWorkHoursInRangeYear(b *testing.B) {
	bc := rickarUS()
	ny, _ := time.LoadLocation("America/New_York")
	starts := benchStarts(ny)
	ends := make([]time.Time, len(starts))
	for i, s := range starts {
		ends[i] = s.AddDate(1, 0, 0)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		sinkDur = bc.WorkHoursInRange(starts[i&255], ends[i&255])
	}
}

// BenchmarkCalendarBuild measures compiling the benchmark calendar over the
// default 230 supported years.
func BenchmarkCalendarBuild(b *testing.B) {
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		usNineToFive(b)
	}
}

func BenchmarkCalendarAddWorkingDays5(b *testing.B) {
	c := usNineToFive(b)
	starts := benchStarts(c.Location())
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t, err := c.AddWorkingDays(starts[i&255], 5)
		if err != nil {
			b.Fatal(err)
		}
		sinkTime = t
	}
}

func BenchmarkCalendarIsOpen(b *testing.B) {
	c := usNineToFive(b)
	starts := benchStarts(c.Location())
	b.ReportAllocs()
	b.ResetTimer()
	n := 0
	for i := 0; i < b.N; i++ {
		if c.IsOpen(starts[i&255]) {
			n++
		}
	}
	sinkDur = time.Duration(n)
}

func BenchmarkCalendarNextClose(b *testing.B) {
	c := usNineToFive(b)
	starts := benchStarts(c.Location())
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t, err := c.NextClose(starts[i&255])
		if err != nil {
			b.Fatal(err)
		}
		sinkTime = t
	}
}

// BenchmarkCalendarIntersectCrossZone measures composing two calendars in
// different zones over the default 230 years.
func BenchmarkCalendarIntersectCrossZone(b *testing.B) {
	a := usNineToFive(b)
	gb, err := NewCalendar(CalendarSpec{Name: "gb", TimeZone: "Europe/London", Week: Weekdays(Hours{"09:00", "17:00"}), PublicHolidays: []string{"GB"}})
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if _, err := Intersect(a, gb); err != nil {
			b.Fatal(err)
		}
	}
}

func BenchmarkCalendarPrevOpen(b *testing.B) {
	c := usNineToFive(b)
	starts := benchStarts(c.Location())
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t, err := c.PrevOpen(starts[i&255])
		if err != nil {
			b.Fatal(err)
		}
		sinkTime = t
	}
}

func BenchmarkCalendarPrevClose(b *testing.B) {
	c := usNineToFive(b)
	starts := benchStarts(c.Location())
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t, err := c.PrevClose(starts[i&255])
		if err != nil {
			b.Fatal(err)
		}
		sinkTime = t
	}
}

// BenchmarkCalendarPeriods10 walks ten open periods forward (two working
// weeks of a 09:00–17:00 calendar).
func BenchmarkCalendarPeriods10(b *testing.B) {
	c := usNineToFive(b)
	starts := benchStarts(c.Location())
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		n := 0
		for s, e := range c.Periods(starts[i&255]) {
			sinkDur += e.Sub(s)
			if n++; n == 10 {
				break
			}
		}
	}
}

func BenchmarkCalendarPeriodsBackward10(b *testing.B) {
	c := usNineToFive(b)
	starts := benchStarts(c.Location())
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		n := 0
		for s, e := range c.PeriodsBackward(starts[i&255]) {
			sinkDur += e.Sub(s)
			if n++; n == 10 {
				break
			}
		}
	}
}

func BenchmarkCalendarWorkingDaysBetweenYear(b *testing.B) {
	c := usNineToFive(b)
	starts := benchStarts(c.Location())
	ends := make([]time.Time, len(starts))
	for i, s := range starts {
		ends[i] = s.AddDate(1, 0, 0)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		n, err := c.WorkingDaysBetween(starts[i&255], ends[i&255])
		if err != nil {
			b.Fatal(err)
		}
		sinkDur = time.Duration(n)
	}
}

// BenchmarkRickarWorkdaysInRangeYear is the peer baseline for
// BenchmarkCalendarWorkingDaysBetweenYear (rickar counts both ends).
func BenchmarkRickarWorkdaysInRangeYear(b *testing.B) {
	bc := rickarUS()
	ny, _ := time.LoadLocation("America/New_York")
	starts := benchStarts(ny)
	ends := make([]time.Time, len(starts))
	for i, s := range starts {
		ends[i] = s.AddDate(1, 0, 0)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		sinkDur = time.Duration(bc.WorkdaysInRange(starts[i&255], ends[i&255]))
	}
}

func BenchmarkCalendarAddWorkingDaysFromBackward5(b *testing.B) {
	c := usNineToFive(b)
	starts := benchStarts(c.Location())
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t, err := c.AddWorkingDaysFrom(starts[i&255], 5, RollBackward)
		if err != nil {
			b.Fatal(err)
		}
		sinkTime = t
	}
}

func BenchmarkCalendarAddWorkingDaysSameTime5(b *testing.B) {
	c := usNineToFive(b)
	starts := benchStarts(c.Location())
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		t, err := c.AddWorkingDaysSameTime(starts[i&255], 5, RollForward)
		if err != nil {
			b.Fatal(err)
		}
		sinkTime = t
	}
}

// BenchmarkRickarAddWorkdays5 is the peer baseline for
// BenchmarkCalendarAddWorkingDaysSameTime5 (rickar keeps the time of day).
func BenchmarkRickarAddWorkdays5(b *testing.B) {
	bc := rickarUS()
	ny, _ := time.LoadLocation("America/New_York")
	starts := benchStarts(ny)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		sinkTime = bc.WorkdaysFrom(starts[i&255], 5)
	}
}
