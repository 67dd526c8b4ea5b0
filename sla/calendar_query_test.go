package sla

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The oracle's answers for the new queries, by stepping minute by minute.
// Instants handed to them are minute-aligned; the window bounds the walk
// (ok is false when the answer lies beyond it).

// prevOpen steps back from t to the last opening at or before it.
func (o *oracle) prevOpen(t time.Time, window int) (time.Time, bool) {
	x := t
	if !o.open(x) {
		for i := 0; !o.open(x.Add(-time.Minute)); i++ {
			if i > window {
				return time.Time{}, false
			}
			x = x.Add(-time.Minute)
		}
	}
	for i := 0; o.open(x.Add(-time.Minute)); i++ {
		if i > window {
			return time.Time{}, false
		}
		x = x.Add(-time.Minute)
	}
	return x, true
}

// prevClose steps back from t to the last closing at or before it.
func (o *oracle) prevClose(t time.Time, window int) (time.Time, bool) {
	x := t
	for i := 0; o.open(x) || !o.open(x.Add(-time.Minute)); i++ {
		if i > window {
			return time.Time{}, false
		}
		x = x.Add(-time.Minute)
	}
	return x, true
}

// periods lists the open runs within [a, b), cut at a and b.
func (o *oracle) periods(a, b time.Time) [][2]time.Time {
	var out [][2]time.Time
	for x := a; x.Before(b); x = x.Add(time.Minute) {
		if !o.open(x) {
			continue
		}
		if n := len(out); n > 0 && out[n-1][1].Equal(x) {
			out[n-1][1] = x.Add(time.Minute)
		} else {
			out = append(out, [2]time.Time{x, x.Add(time.Minute)})
		}
	}
	return out
}

// workingDates lists, in order, the local dates with open time among the
// dates of the instants [a, b) (a and b at local midnights), and for each
// the end of its last open minute.
func (o *oracle) workingDates(a, b time.Time) ([]string, map[string]time.Time) {
	var out []string
	end := map[string]time.Time{}
	for x := a; x.Before(b); x = x.Add(time.Minute) {
		if o.open(x) {
			k := x.In(o.loc).Format("2006-01-02")
			if len(out) == 0 || out[len(out)-1] != k {
				out = append(out, k)
			}
			end[k] = x.Add(time.Minute)
		}
	}
	return out, end
}

// localMidnight returns the first instant of t's local date (or the first
// instant after it, when the date starts in a gap), to the minute.
func localMidnight(t time.Time, loc *time.Location) time.Time {
	l := t.In(loc)
	x := time.Date(l.Year(), l.Month(), l.Day(), 0, 0, 0, 0, loc).Add(-3 * time.Hour)
	for x.In(loc).Format("2006-01-02") != l.Format("2006-01-02") {
		x = x.Add(time.Minute)
	}
	return x
}

func periodsOf(c *Calendar, from, to time.Time, backward bool) [][2]time.Time {
	var out [][2]time.Time
	if backward {
		for s, e := range c.PeriodsBackward(to) {
			if !e.After(from) {
				break
			}
			if s.Before(from) {
				s = from
			}
			out = append([][2]time.Time{{s, e}}, out...)
		}
		return out
	}
	for s, e := range c.Periods(from) {
		if !s.Before(to) {
			break
		}
		if e.After(to) {
			e = to
		}
		out = append(out, [2]time.Time{s, e})
	}
	return out
}

func TestCalendarQueriesAgainstMinuteOracle(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	nCal := 60
	if !fullSize() {
		nCal = 15
	}
	for i := range nCal {
		spec := randomSpec(rng)
		year := 2010
		if i%3 == 2 { // a third in zones with unusual DST rules, to 2100
			first := 1975 + rng.IntN(2100-5-1975+1)
			spec, year = randomSpecFrom(rng, dstZones, first), first+1
		}
		checkQueriesAgainstOracle(t, rng, i, spec, year)
	}
}

// checkQueriesAgainstOracle compares PrevOpen, PrevClose, Periods,
// PeriodsBackward, WorkingDaysBetween, AddWorkingDaysFrom and
// AddWorkingDaysSameTime with the minute oracle around random instants.
func checkQueriesAgainstOracle(t *testing.T, rng *rand.Rand, i int, spec CalendarSpec, year int) {
	t.Helper()
	const window = 4 * 1440
	c, err := NewCalendar(spec)
	require.NoError(t, err, "spec %d", i)
	o := newOracle(t, spec)
	for j := range 6 {
		a := randomInstantFrom(rng, o.loc, year)
		ctx := fmt.Sprintf("cal %d case %d zone %s t=%s", i, j, spec.TimeZone, a)

		if want, ok := o.prevOpen(a, window); ok {
			got, err := c.PrevOpen(a)
			require.NoError(t, err, ctx)
			require.True(t, want.Equal(got), "%s PrevOpen want %s got %s", ctx, want, got)
			// Inside the same minute the answer is the same.
			got2, err := c.PrevOpen(a.Add(17 * time.Second))
			require.NoError(t, err, ctx)
			if o.open(a) {
				require.True(t, want.Equal(got2), "%s PrevOpen(+17s)", ctx)
			}
		}
		if want, ok := o.prevClose(a, window); ok {
			got, err := c.PrevClose(a)
			require.NoError(t, err, ctx)
			require.True(t, want.Equal(got), "%s PrevClose want %s got %s", ctx, want, got)
		}

		b := a.Add(time.Duration(1+rng.IntN(3*1440)) * time.Minute)
		require.Equal(t, o.periods(a, b), periodsOf(c, a, b, false), "%s Periods to %s", ctx, b)
		require.Equal(t, o.periods(a, b), periodsOf(c, a, b, true), "%s PeriodsBackward from %s", ctx, b)

		// Working days: dates from a's to b's, b up to 20 days on.
		b = a.Add(time.Duration(rng.IntN(20*1440)) * time.Minute)
		ma, mb := localMidnight(a, o.loc), localMidnight(b, o.loc)
		dates, _ := o.workingDates(ma, mb)
		n, err := c.WorkingDaysBetween(a, b)
		require.NoError(t, err, ctx)
		require.Equal(t, len(dates), n, "%s WorkingDaysBetween to %s: %v", ctx, b, dates)
		back, err := c.WorkingDaysBetween(b, a)
		require.NoError(t, err, ctx)
		require.Equal(t, -n, back, ctx)

		// Same wall time n working days on: the date is the n-th working
		// date after day 0, the time of day t's (or the end of a gap).
		// after[0] is a's date when it is a working day, else the next one.
		after, _ := o.workingDates(ma, ma.Add(25*24*time.Hour))
		for k := 0; k < 3 && len(after) > 4; k++ {
			got, err := c.AddWorkingDaysSameTime(a, k, RollForward)
			require.NoError(t, err, ctx)
			require.Equal(t, after[k], got.In(o.loc).Format("2006-01-02"), "%s SameTime +%d", ctx, k)
			checkWallTime(t, o.loc, a, got, ctx)
		}
	}
	// AddWorkingDaysFrom rolling backward: a start in closed time counts
	// from the working day of the open time before it.
	for j := range 3 {
		a := randomInstantFrom(rng, o.loc, year).Truncate(time.Hour)
		pc, ok := o.prevClose(a, window)
		if !ok || o.open(a) {
			continue
		}
		ctx := fmt.Sprintf("cal %d roll case %d zone %s t=%s", i, j, spec.TimeZone, a)
		day0 := pc.Add(-time.Minute)
		from := localMidnight(day0, o.loc)
		dates, end := o.workingDates(from, from.Add(20*24*time.Hour))
		if len(dates) < 4 {
			continue
		}
		for n := 0; n < 3; n++ {
			got, err := c.AddWorkingDaysFrom(a, n, RollBackward)
			require.NoError(t, err, ctx)
			require.True(t, end[dates[n]].Equal(got), "%s n=%d: want the close of %s, %s, got %s", ctx, n, dates[n], end[dates[n]], got)
		}
	}
}

// checkWallTime checks that got is the first instant of its local date at
// or after from's wall-clock time of day.
func checkWallTime(t *testing.T, loc *time.Location, from, got time.Time, ctx string) {
	t.Helper()
	f, g := from.In(loc), got.In(loc)
	wall := func(x time.Time) int { return x.Hour()*3600 + x.Minute()*60 + x.Second() }
	require.GreaterOrEqual(t, wall(g), wall(f), "%s: %s before the wall time of %s", ctx, g, f)
	if wall(g) == wall(f) {
		// The first occurrence: an hour earlier is not the same wall time
		// on the same date.
		e := got.Add(-time.Hour).In(loc)
		require.False(t, wall(e) == wall(f) && e.Day() == g.Day(), "%s: %s is the second occurrence", ctx, g)
		return
	}
	// Skipped: the instant just before is on the same date before the time,
	// so got ends a gap.
	p := got.Add(-time.Second).In(loc)
	require.True(t, p.Day() != g.Day() || wall(p) < wall(f), "%s: %s does not end a gap", ctx, g)
	require.NotEqual(t, p.Sub(got)+time.Second, 0, ctx)
}

func TestCalendarPrevOpenPrevClose(t *testing.T) {
	c := mustCal(t, cnOffice)
	loc := c.Location()
	at := func(mo time.Month, d, h, m int) time.Time { return time.Date(2024, mo, d, h, m, 0, 0, loc) }
	cases := []struct {
		name            string
		t               time.Time
		prevOpen, close time.Time
	}{
		{"mid-morning", at(9, 3, 10, 0), at(9, 3, 9, 0), at(9, 2, 18, 0)},
		{"at opening", at(9, 3, 9, 0), at(9, 3, 9, 0), at(9, 2, 18, 0)},
		{"at lunch, a closing instant", at(9, 3, 12, 0), at(9, 3, 9, 0), at(9, 3, 12, 0)},
		{"during lunch", at(9, 3, 12, 30), at(9, 3, 9, 0), at(9, 3, 12, 0)},
		{"afternoon", at(9, 3, 15, 0), at(9, 3, 13, 30), at(9, 3, 12, 0)},
		{"evening", at(9, 3, 20, 0), at(9, 3, 13, 30), at(9, 3, 18, 0)},
		{"Monday before opening", at(9, 9, 8, 0), at(9, 6, 13, 30), at(9, 6, 18, 0)},
		{"National Day week", at(10, 5, 10, 0), at(9, 30, 13, 30), at(9, 30, 18, 0)},
		{"the day after", at(10, 8, 9, 30), at(10, 8, 9, 0), at(9, 30, 18, 0)},
		{"make-up Sunday", at(9, 29, 10, 0), at(9, 29, 9, 0), at(9, 27, 18, 0)},
		{"Christmas Eve closure", at(12, 24, 15, 0), at(12, 24, 13, 30), at(12, 24, 14, 0)},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			got, err := c.PrevOpen(tc.t)
			require.NoError(t, err)
			assert.True(t, tc.prevOpen.Equal(got), "PrevOpen want %s got %s", tc.prevOpen, got)
			got, err = c.PrevClose(tc.t)
			require.NoError(t, err)
			assert.True(t, tc.close.Equal(got), "PrevClose want %s got %s", tc.close, got)
			// The mirrors: NextOpen(PrevClose) is the next opening after it,
			// and PrevOpen is open while the instant before it is not.
			assert.True(t, c.IsOpen(tc.prevOpen) && !c.IsOpen(tc.prevOpen.Add(-time.Nanosecond)))
			assert.True(t, !c.IsOpen(tc.close) && c.IsOpen(tc.close.Add(-time.Nanosecond)))
		})
	}
}

func TestCalendarQueriesAroundTheClock(t *testing.T) {
	// Open around the clock except one holiday: periods join across
	// midnight, and the range's edges bound them.
	c, err := NewCalendar(CalendarSpec{Name: "24x7", TimeZone: "Europe/London", Week: EveryDay(Hours{"00:00", "24:00"}),
		Holidays: []HolidaySpec{{Date: "2030-12-25"}}, FirstYear: 2020, LastYear: 2040})
	require.NoError(t, err)
	loc := c.Location()
	from, to := c.Range()
	s := time.Date(2031, 3, 1, 13, 0, 0, 0, loc)
	po, err := c.PrevOpen(s)
	require.NoError(t, err)
	assert.Equal(t, "2030-12-26 00:00:00 +0000 GMT", po.String(), "over a DST change and 60 days")
	pc, err := c.PrevClose(s)
	require.NoError(t, err)
	assert.Equal(t, "2030-12-25 00:00:00 +0000 GMT", pc.String())
	_, err = c.PrevOpen(time.Date(2025, 1, 1, 0, 0, 0, 0, loc))
	assert.ErrorIs(t, err, ErrOutOfRange, "open since the range's first instant: the opening is not known")
	_, err = c.PrevClose(time.Date(2025, 1, 1, 0, 0, 0, 0, loc))
	assert.ErrorIs(t, err, ErrOutOfRange)

	var got [][2]string
	for a, b := range c.Periods(time.Date(2030, 6, 1, 0, 0, 0, 0, loc)) {
		got = append(got, [2]string{a.String(), b.String()})
	}
	assert.Equal(t, [][2]string{
		{"2030-06-01 00:00:00 +0100 BST", "2030-12-25 00:00:00 +0000 GMT"},
		{"2030-12-26 00:00:00 +0000 GMT", to.String()},
	}, got)
	got = nil
	for a, b := range c.PeriodsBackward(to) {
		got = append(got, [2]string{a.String(), b.String()})
	}
	assert.Equal(t, [][2]string{
		{"2030-12-26 00:00:00 +0000 GMT", to.String()},
		{from.String(), "2030-12-25 00:00:00 +0000 GMT"},
	}, got)
	total := time.Duration(0)
	for a, b := range c.Periods(from) {
		total += b.Sub(a)
	}
	all, err := c.Between(from, to)
	require.NoError(t, err)
	assert.Equal(t, all, total)
}

func TestCalendarPeriods(t *testing.T) {
	c := mustCal(t, cnOffice)
	loc := c.Location()
	at := func(mo time.Month, d, h, m int) time.Time { return time.Date(2024, mo, d, h, m, 0, 0, loc) }
	var got []string
	for s, e := range c.Periods(at(9, 27, 10, 30)) {
		got = append(got, s.Format("Mon 01-02 15:04")+"–"+e.Format("15:04"))
		if len(got) == 6 {
			break
		}
	}
	assert.Equal(t, []string{
		"Fri 09-27 10:30–12:00", // cut at the start
		"Fri 09-27 13:30–18:00",
		"Sun 09-29 09:00–12:00", // the make-up Sunday
		"Sun 09-29 13:30–18:00",
		"Mon 09-30 09:00–12:00",
		"Mon 09-30 13:30–18:00",
	}, got)
	got = nil
	for s, e := range c.PeriodsBackward(at(10, 8, 10, 0)) {
		got = append(got, s.Format("Mon 01-02 15:04")+"–"+e.Format("15:04"))
		if len(got) == 3 {
			break
		}
	}
	assert.Equal(t, []string{"Tue 10-08 09:00–10:00", "Mon 09-30 13:30–18:00", "Mon 09-30 09:00–12:00"}, got)
	// From an opening instant, backward leaves out the empty cut period.
	for s := range c.PeriodsBackward(at(9, 3, 13, 30)) {
		assert.Equal(t, at(9, 3, 9, 0), s)
		break
	}
	// Sums match Between.
	a, b := at(9, 1, 0, 0), at(12, 31, 0, 0)
	var sum time.Duration
	for s, e := range c.Periods(a) {
		if !s.Before(b) {
			break
		}
		if e.After(b) {
			e = b
		}
		sum += e.Sub(s)
	}
	want, err := c.Between(a, b)
	require.NoError(t, err)
	assert.Equal(t, want, sum)
	// Out of range: nothing.
	for range c.Periods(time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)) {
		t.Fatal("a period outside the range")
	}
	for range (*Calendar)(nil).PeriodsBackward(a) {
		t.Fatal("a period of a nil calendar")
	}
}

func TestCalendarWorkingDaysBetween(t *testing.T) {
	c := mustCal(t, cnOffice)
	loc := c.Location()
	at := func(mo time.Month, d, h int) time.Time { return time.Date(2024, mo, d, h, 0, 0, 0, loc) }
	cases := []struct {
		name string
		a, b time.Time
		want int
	}{
		{"Monday to Friday", at(9, 2, 10), at(9, 6, 10), 4},
		{"same date", at(9, 2, 8), at(9, 2, 23), 0},
		{"a week", at(9, 2, 0), at(9, 9, 0), 5},
		{"make-up Sunday counts", at(9, 27, 10), at(9, 30, 10), 2},
		{"National Day week", at(9, 30, 10), at(10, 8, 10), 1},
		{"reversed", at(9, 6, 10), at(9, 2, 10), -4},
		{"dates in the calendar's zone", at(9, 2, 1).UTC(), at(9, 3, 1).UTC(), 1},
	}
	for _, tc := range cases {
		got, err := c.WorkingDaysBetween(tc.a, tc.b)
		require.NoError(t, err, tc.name)
		assert.Equal(t, tc.want, got, tc.name)
	}
	from, to := c.Range()
	all, err := c.WorkingDaysBetween(from, to)
	require.NoError(t, err, "the end of the range is accepted")
	assert.Positive(t, all)
	_, err = c.WorkingDaysBetween(from.Add(-time.Nanosecond), to)
	assert.ErrorIs(t, err, ErrOutOfRange)
}

func TestCalendarAddWorkingDaysFrom(t *testing.T) {
	c := mustCal(t, cnOffice)
	loc := c.Location()
	at := func(mo time.Month, d, h, m int) time.Time { return time.Date(2024, mo, d, h, m, 0, 0, loc) }
	cases := []struct {
		start time.Time
		n     int
		roll  Roll
		want  time.Time
	}{
		{at(9, 7, 10, 0), 1, RollForward, at(9, 10, 18, 0)},   // Saturday: day 0 is Monday
		{at(9, 7, 10, 0), 1, RollBackward, at(9, 9, 18, 0)},   // Saturday: day 0 is Friday
		{at(9, 7, 10, 0), 0, RollBackward, at(9, 6, 18, 0)},   // the close of Friday
		{at(9, 3, 19, 0), 1, RollBackward, at(9, 4, 18, 0)},   // evening: day 0 is the same date
		{at(9, 3, 19, 0), 1, RollForward, at(9, 5, 18, 0)},    // evening: day 0 is the next morning's
		{at(9, 3, 10, 0), 1, RollBackward, at(9, 4, 18, 0)},   // open: same as forward
		{at(9, 3, 9, 0), 1, RollBackward, at(9, 3, 18, 0)},    // at opening: the open time before is Monday's
		{at(10, 3, 10, 0), 1, RollBackward, at(10, 8, 18, 0)}, // National Day: day 0 is Sept 30
		{at(10, 3, 10, 0), -1, RollForward, at(9, 30, 18, 0)}, // day 0 is Oct 8
	}
	for _, tc := range cases {
		got, err := c.AddWorkingDaysFrom(tc.start, tc.n, tc.roll)
		require.NoError(t, err)
		assert.True(t, tc.want.Equal(got), "AddWorkingDaysFrom(%s, %d, %v): want %s got %s", tc.start, tc.n, tc.roll, tc.want, got)
	}
	// AddWorkingDays is the sign-chosen roll.
	for m := 0; m < 14*24*60; m += 97 {
		s := at(9, 20, 0, 0).Add(time.Duration(m) * time.Minute)
		for _, n := range []int{-3, -1, 0, 1, 4} {
			roll := RollForward
			if n < 0 {
				roll = RollBackward
			}
			a, err1 := c.AddWorkingDays(s, n)
			b, err2 := c.AddWorkingDaysFrom(s, n, roll)
			require.Equal(t, err1 == nil, err2 == nil)
			require.True(t, a.Equal(b), "%s %d", s, n)
		}
	}
	_, err := c.AddWorkingDaysFrom(at(9, 3, 10, 0), 1, Roll(7))
	assert.ErrorIs(t, err, ErrInvalidArgument)
	assert.Equal(t, "Roll(7)", Roll(7).String())
	assert.Equal(t, "backward", RollBackward.String())
}

func TestCalendarAddWorkingDaysSameTime(t *testing.T) {
	c := mustCal(t, cnOffice)
	loc := c.Location()
	at := func(mo time.Month, d, h, m int) time.Time { return time.Date(2024, mo, d, h, m, 0, 0, loc) }
	cases := []struct {
		start time.Time
		n     int
		roll  Roll
		want  time.Time
	}{
		{at(9, 2, 10, 15), 1, RollForward, at(9, 3, 10, 15)},
		{at(9, 2, 19, 0), 1, RollForward, at(9, 3, 19, 0)}, // after hours: the date is a working day
		{at(9, 2, 7, 0), 3, RollForward, at(9, 5, 7, 0)},   // before hours: kept
		{at(9, 7, 10, 0), 1, RollForward, at(9, 10, 10, 0)},
		{at(9, 7, 10, 0), 1, RollBackward, at(9, 9, 10, 0)},
		{at(9, 7, 10, 0), 0, RollBackward, at(9, 6, 10, 0)},
		{at(9, 27, 11, 0), 1, RollForward, at(9, 29, 11, 0)},  // the make-up Sunday
		{at(9, 30, 11, 0), 1, RollForward, at(10, 8, 11, 0)},  // over National Day
		{at(10, 8, 11, 0), -1, RollForward, at(9, 30, 11, 0)}, // and back
	}
	for _, tc := range cases {
		got, err := c.AddWorkingDaysSameTime(tc.start, tc.n, tc.roll)
		require.NoError(t, err)
		assert.True(t, tc.want.Equal(got), "AddWorkingDaysSameTime(%s, %d, %v): want %s got %s", tc.start, tc.n, tc.roll, tc.want, got)
	}
	// DST: New York, open every day. 02:30 does not exist on 2024-03-10:
	// the gap ends at 03:00 EDT. 01:30 happens twice on 2024-11-03: the
	// first one, EDT.
	ny, err := NewCalendar(CalendarSpec{TimeZone: "America/New_York", Week: EveryDay(Hours{"09:00", "17:00"})})
	require.NoError(t, err)
	nyl := ny.Location()
	got, err := ny.AddWorkingDaysSameTime(time.Date(2024, 3, 9, 2, 30, 0, 5, nyl), 1, RollForward)
	require.NoError(t, err)
	assert.Equal(t, "2024-03-10 03:00:00.000000005 -0400 EDT", got.String())
	got, err = ny.AddWorkingDaysSameTime(time.Date(2024, 11, 2, 1, 30, 0, 0, nyl), 1, RollForward)
	require.NoError(t, err)
	assert.Equal(t, "2024-11-03 01:30:00 -0400 EDT", got.String())
	got, err = ny.AddWorkingDaysSameTime(time.Date(2024, 11, 4, 1, 30, 0, 0, nyl), -1, RollForward)
	require.NoError(t, err)
	assert.Equal(t, "2024-11-03 01:30:00 -0400 EDT", got.String())
	// Errors.
	_, err = c.AddWorkingDaysSameTime(at(9, 2, 10, 0), 1, Roll(-1))
	assert.ErrorIs(t, err, ErrInvalidArgument)
	_, err = c.AddWorkingDaysSameTime(time.Date(1800, 1, 1, 0, 0, 0, 0, time.UTC), 1, RollForward)
	assert.ErrorIs(t, err, ErrOutOfRange)
	_, to := c.Range()
	_, err = c.AddWorkingDaysSameTime(to.Add(-time.Hour), 1, RollForward)
	assert.ErrorIs(t, err, ErrOutOfRange)
}

// TestCalendarQueriesNeverOpen: a calendar without weekly hours runs out
// of open time; the new queries say so with ErrNeverOpen, not with "outside
// the supported years".
func TestCalendarQueriesNeverOpen(t *testing.T) {
	closed, err := NewCalendar(CalendarSpec{Name: "closed", TimeZone: "UTC"})
	require.NoError(t, err)
	extra, err := NewCalendar(CalendarSpec{Name: "extra", TimeZone: "UTC",
		ExtraWorkingDays: []WorkingDaySpec{{Date: "2024-05-01", Hours: []Hours{{"09:00", "10:00"}}}}})
	require.NoError(t, err)
	before := time.Date(2024, 4, 2, 0, 0, 0, 0, time.UTC)
	after := time.Date(2024, 6, 2, 0, 0, 0, 0, time.UTC)
	for name, f := range map[string]func() error{
		"closed PrevOpen":           func() error { _, err := closed.PrevOpen(after); return err },
		"closed PrevClose":          func() error { _, err := closed.PrevClose(after); return err },
		"closed SameTime":           func() error { _, err := closed.AddWorkingDaysSameTime(after, 1, RollForward); return err },
		"closed SameTime back":      func() error { _, err := closed.AddWorkingDaysSameTime(after, 1, RollBackward); return err },
		"closed From back":          func() error { _, err := closed.AddWorkingDaysFrom(after, 1, RollBackward); return err },
		"extra PrevOpen before":     func() error { _, err := extra.PrevOpen(before); return err },
		"extra PrevClose before":    func() error { _, err := extra.PrevClose(before); return err },
		"extra SameTime too far":    func() error { _, err := extra.AddWorkingDaysSameTime(before, 1, RollForward); return err },
		"extra SameTime after":      func() error { _, err := extra.AddWorkingDaysSameTime(after, 0, RollForward); return err },
		"extra From too far":        func() error { _, err := extra.AddWorkingDaysFrom(before, 1, RollForward); return err },
		"extra From after":          func() error { _, err := extra.AddWorkingDaysFrom(after, 0, RollForward); return err },
		"extra From back too far":   func() error { _, err := extra.AddWorkingDaysFrom(after, -1, RollBackward); return err },
		"extra AddWorkingDays back": func() error { _, err := extra.AddWorkingDays(before, -1); return err },
	} {
		err := f()
		require.ErrorIs(t, err, ErrNeverOpen, name)
		var ce *CalendarError
		require.True(t, errors.As(err, &ce), name)
	}
	got, err := extra.PrevClose(after)
	require.NoError(t, err)
	assert.Equal(t, time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC), got)
	got, err = extra.AddWorkingDaysSameTime(before.Add(15*time.Hour), 0, RollForward)
	require.NoError(t, err)
	assert.Equal(t, time.Date(2024, 5, 1, 15, 0, 0, 0, time.UTC), got)
}

func TestCalendarQueriesNoAllocs(t *testing.T) {
	c := usNineToFive(t)
	starts := benchStarts(c.Location())
	i := 0
	allocs := testing.AllocsPerRun(200, func() {
		s := starts[i&255]
		i++
		a, _ := c.PrevOpen(s)
		b, _ := c.PrevClose(s)
		n, _ := c.WorkingDaysBetween(s, s.AddDate(0, 3, 0))
		d, _ := c.AddWorkingDaysFrom(s, 5, RollBackward)
		e, _ := c.AddWorkingDaysSameTime(s, 5, RollForward)
		k := 0
		for x, y := range c.Periods(s) {
			sinkDur += y.Sub(x)
			if k++; k == 10 {
				break
			}
		}
		for x, y := range c.PeriodsBackward(s) {
			sinkDur += y.Sub(x)
			if k++; k == 20 {
				break
			}
		}
		sinkTime, sinkDur = a.Add(b.Sub(d)+e.Sub(d)), time.Duration(n)
	})
	assert.Zero(t, allocs)
}
