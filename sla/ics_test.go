package sla

import (
	_ "embed"
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

//go:embed testdata/calendar_holidays.ics
var holidayFeed string

func icsCalendar(t testing.TB, feed string) (*Calendar, error) {
	nine := []Hours{{"09:00", "17:00"}}
	return NewCalendar(CalendarSpec{
		Name:     "berlin",
		TimeZone: "Europe/Berlin",
		Week:     WeekHours{Mon: nine, Tue: nine, Wed: nine, Thu: nine, Fri: nine},
		ICS:      feed,
	})
}

func TestICSImport(t *testing.T) {
	c, err := icsCalendar(t, holidayFeed)
	require.NoError(t, err)
	loc := c.Location()
	day := func(y int, m time.Month, d int) time.Time { return time.Date(y, m, d, 12, 0, 0, 0, loc) }
	cases := []struct {
		date    time.Time
		working bool
		why     string
	}{
		{day(2024, 12, 23), true, "ordinary Monday"},
		{day(2024, 12, 24), false, "single all-day event"},
		{day(2024, 12, 27), false, "multi-day event, first day"},
		{day(2024, 12, 30), false, "multi-day event, last day (DTEND exclusive)"},
		{day(2024, 12, 31), true, "day after DTEND"},
		{day(2025, 1, 1), false, "yearly RRULE"},
		{day(2099, 1, 1), false, "yearly RRULE, far ahead"},
		{day(2020, 1, 1), false, "RRULE first occurrence"},
		{day(2019, 1, 1), true, "before DTSTART"},
		{day(2024, 11, 20), true, "cancelled event ignored"},
		{day(2024, 11, 15), true, "timed event closes only part of the day"},
	}
	for _, tc := range cases {
		assert.Equal(t, tc.working, c.IsWorkingDay(tc.date), "%s: %s", tc.date.Format("2006-01-02"), tc.why)
	}
	d, err := c.Between(time.Date(2024, 11, 15, 0, 0, 0, 0, loc), time.Date(2024, 11, 16, 0, 0, 0, 0, loc))
	require.NoError(t, err)
	assert.Equal(t, 4*time.Hour, d, "the offsite closes 13:00–17:00")
}

func TestICSRecurrenceExceptions(t *testing.T) {
	feed := "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:a\r\nDTSTAMP:20240101T000000Z\r\n" +
		"DTSTART;VALUE=DATE:20240101\r\nRRULE:FREQ=WEEKLY;BYDAY=WE;COUNT=10\r\nEXDATE;VALUE=DATE:20240110,20240117\r\n" +
		"RDATE;VALUE=DATE:20240105\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
	c, err := icsCalendar(t, feed)
	require.NoError(t, err)
	loc := c.Location()
	day := func(m time.Month, d int) time.Time { return time.Date(2024, m, d, 12, 0, 0, 0, loc) }
	assert.False(t, c.IsWorkingDay(day(1, 3)), "first Wednesday")
	assert.True(t, c.IsWorkingDay(day(1, 10)), "EXDATE list, first value")
	assert.True(t, c.IsWorkingDay(day(1, 17)), "EXDATE list, second value")
	assert.False(t, c.IsWorkingDay(day(1, 24)))
	assert.False(t, c.IsWorkingDay(day(1, 5)), "RDATE")
	assert.False(t, c.IsWorkingDay(day(3, 6)), "10th occurrence (excluded ones count)")
	assert.True(t, c.IsWorkingDay(day(3, 13)), "COUNT reached")
}

func TestICSErrors(t *testing.T) {
	wrap := func(body string) string {
		return "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\n" + body + "END:VCALENDAR\r\n"
	}
	for name, feed := range map[string]string{
		"not ical":        "hello",
		"no DTSTART":      wrap("BEGIN:VEVENT\r\nUID:a\r\nEND:VEVENT\r\n"),
		"bad date":        wrap("BEGIN:VEVENT\r\nUID:a\r\nDTSTART;VALUE=DATE:20241399\r\nEND:VEVENT\r\n"),
		"bad TZID":        wrap("BEGIN:VEVENT\r\nUID:a\r\nDTSTART;TZID=Nowhere/Land:20241101T100000\r\nDTEND;TZID=Nowhere/Land:20241101T110000\r\nEND:VEVENT\r\n"),
		"bad RRULE":       wrap("BEGIN:VEVENT\r\nUID:a\r\nDTSTART;VALUE=DATE:20240101\r\nRRULE:FREQ=SOMETIMES\r\nEND:VEVENT\r\n"),
		"runaway RRULE":   wrap("BEGIN:VEVENT\r\nUID:a\r\nDTSTART:20240101T000000Z\r\nDTEND:20240101T000001Z\r\nRRULE:FREQ=SECONDLY\r\nEND:VEVENT\r\n"),
		"timed no length": wrap("BEGIN:VEVENT\r\nUID:a\r\nDTSTART:20240101T100000Z\r\nEND:VEVENT\r\n"),
		"partial days":    wrap("BEGIN:VEVENT\r\nUID:a\r\nDTSTART;VALUE=DATE:20240101\r\nDURATION:PT5H\r\nEND:VEVENT\r\n"),
	} {
		_, err := icsCalendar(t, feed)
		require.Error(t, err, name)
		var pe *PathError
		require.True(t, errors.As(err, &pe), name)
		assert.Equal(t, "$.ics", pe.Path, name)
		assert.ErrorIs(t, err, ErrICS, name)
	}
}
