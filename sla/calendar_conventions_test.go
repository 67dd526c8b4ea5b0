package sla

import (
	"testing"
	"time"

	"github.com/rickar/cal/v2"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestConventionsAgainstRickar pins the closeloop and rickar/cal columns
// of the package documentation's comparison table ("Boundary
// conventions, compared"), so that a change on either side shows.
func TestConventionsAgainstRickar(t *testing.T) {
	c, err := NewCalendar(CalendarSpec{TimeZone: "America/New_York", Week: Weekdays(Hours{"09:00", "17:00"})})
	require.NoError(t, err)
	bc := cal.NewBusinessCalendar() // Monday to Friday, 09:00–17:00
	ny := c.Location()
	at := func(d, h, m int) time.Time { return time.Date(2024, 9, d, h, m, 0, 0, ny) } // Mon 2 .. Sat 7
	eq := func(want, got time.Time, what string) {
		t.Helper()
		assert.True(t, want.Equal(got), "%s: want %s, got %s", what, want, got)
	}
	add := func(s time.Time, d time.Duration) time.Time {
		t.Helper()
		r, err := c.Add(s, d)
		require.NoError(t, err)
		return r
	}

	assert.False(t, c.IsOpen(at(2, 17, 0)), "closing instant")
	assert.True(t, bc.IsWorkTime(at(2, 17, 0)), "rickar: closing instant")

	eq(at(2, 17, 0), add(at(2, 16, 0), time.Hour), "Mon 16:00 + 1h")
	eq(at(2, 17, 0), bc.AddWorkHours(at(2, 16, 0), time.Hour), "rickar Mon 16:00 + 1h")
	eq(at(3, 10, 0), add(at(2, 20, 0), time.Hour), "Mon 20:00 + 1h")
	eq(at(3, 10, 0), bc.AddWorkHours(at(2, 20, 0), time.Hour), "rickar Mon 20:00 + 1h")
	eq(at(3, 9, 0), add(at(2, 20, 0), 0), "Mon 20:00 + 0")
	eq(at(2, 20, 0), bc.AddWorkHours(at(2, 20, 0), 0), "rickar Mon 20:00 + 0")
	eq(at(3, 9, 0), add(at(3, 10, 0), -time.Hour), "Tue 10:00 - 1h")
	eq(at(3, 10, 0), bc.AddWorkHours(at(3, 10, 0), -time.Hour), "rickar Tue 10:00 - 1h")

	b, err := c.Between(at(3, 10, 0), at(2, 10, 0))
	require.NoError(t, err)
	assert.Equal(t, -8*time.Hour, b)
	assert.Equal(t, 8*time.Hour, bc.WorkHoursInRange(at(3, 10, 0), at(2, 10, 0)), "rickar: reversed")

	wd, err := c.AddWorkingDays(at(2, 10, 0), 1)
	require.NoError(t, err)
	eq(at(3, 17, 0), wd, "1 working day from Mon 10:00")
	st, err := c.AddWorkingDaysSameTime(at(2, 10, 0), 1, RollForward)
	require.NoError(t, err)
	eq(at(3, 10, 0), st, "same time, 1 working day from Mon 10:00")
	eq(at(3, 10, 0), bc.WorkdaysFrom(at(2, 10, 0), 1), "rickar WorkdaysFrom Mon 10:00")

	wd, err = c.AddWorkingDays(at(7, 10, 0), 1)
	require.NoError(t, err)
	eq(at(10, 17, 0), wd, "1 working day from Sat 10:00")
	wd, err = c.AddWorkingDaysFrom(at(7, 10, 0), 1, RollBackward)
	require.NoError(t, err)
	eq(at(9, 17, 0), wd, "1 working day from Sat 10:00 rolling backward")
	st, err = c.AddWorkingDaysSameTime(at(7, 10, 0), 1, RollForward)
	require.NoError(t, err)
	eq(at(10, 10, 0), st, "same time, 1 working day from Sat 10:00")
	eq(at(9, 10, 0), bc.WorkdaysFrom(at(7, 10, 0), 1), "rickar WorkdaysFrom Sat 10:00")
	eq(at(7, 10, 0), bc.WorkdaysFrom(at(7, 10, 0), 0), "rickar WorkdaysFrom Sat 10:00, 0")

	n, err := c.WorkingDaysBetween(at(2, 10, 0), at(6, 10, 0))
	require.NoError(t, err)
	assert.Equal(t, 4, n)
	assert.Equal(t, 5, bc.WorkdaysInRange(at(2, 10, 0), at(6, 10, 0)), "rickar counts both ends")

	// DST: 02:30–04:00 on the spring-forward Sunday in New York.
	dst, err := NewCalendar(CalendarSpec{TimeZone: "America/New_York", Week: WeekHours{Sun: []Hours{{"02:30", "04:00"}}}})
	require.NoError(t, err)
	day := time.Date(2024, 3, 10, 0, 0, 0, 0, ny)
	got, err := dst.Between(day, day.AddDate(0, 0, 1))
	require.NoError(t, err)
	assert.Equal(t, time.Hour, got)
	bd := cal.NewBusinessCalendar()
	bd.SetWorkday(time.Sunday, true)
	bd.SetWorkHours(2*time.Hour+30*time.Minute, 4*time.Hour)
	assert.Equal(t, 90*time.Minute, bd.WorkHoursInRange(day, day.AddDate(0, 0, 1)), "rickar: wall-clock arithmetic")
}
