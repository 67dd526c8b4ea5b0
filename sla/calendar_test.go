package sla

import (
	"errors"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func mustCal(t testing.TB, js string) *Calendar {
	t.Helper()
	c, err := ParseCalendar([]byte(js))
	require.NoError(t, err)
	return c
}

// cnOffice: lunch break, national day holidays, a make-up Sunday, a
// part-day closure.
const cnOffice = `{
  "name": "cn-office",
  "time_zone": "Asia/Shanghai",
  "week": {
    "mon": [["09:00","12:00"],["13:30","18:00"]],
    "tue": [["09:00","12:00"],["13:30","18:00"]],
    "wed": [["09:00","12:00"],["13:30","18:00"]],
    "thu": [["09:00","12:00"],["13:30","18:00"]],
    "fri": [["09:00","12:00"],["13:30","18:00"]]
  },
  "holidays": [
    {"date": "2024-10-01", "name": "National Day"},
    {"date": "2024-10-02"}, {"date": "2024-10-03"}, {"date": "2024-10-04"}, {"date": "2024-10-07"},
    {"date": "2024-12-24", "name": "Christmas Eve", "closed": [["14:00","18:00"]]}
  ],
  "extra_working_days": [
    {"date": "2024-09-29", "name": "make-up day", "hours": [["09:00","12:00"],["13:30","18:00"]]},
    {"date": "2024-10-12", "hours": [["10:00","16:00"]]}
  ]
}`

func TestCalendarOperations(t *testing.T) {
	c := mustCal(t, cnOffice)
	sh := c.Location()
	at := func(mo time.Month, d, h, m int) time.Time { return time.Date(2024, mo, d, h, m, 0, 0, sh) }

	addCases := []struct {
		name  string
		start time.Time
		d     time.Duration
		want  time.Time
	}{
		{"inside the morning", at(9, 2, 10, 0), time.Hour, at(9, 2, 11, 0)},
		{"across lunch", at(9, 2, 11, 0), 2 * time.Hour, at(9, 2, 14, 30)},
		{"exactly to lunch lands on 12:00", at(9, 2, 11, 0), time.Hour, at(9, 2, 12, 0)},
		{"during lunch rolls forward", at(9, 2, 12, 30), time.Hour, at(9, 2, 14, 30)},
		{"exactly to closing lands on 18:00", at(9, 2, 17, 0), time.Hour, at(9, 2, 18, 0)},
		{"after closing rolls to next morning", at(9, 2, 19, 0), time.Hour, at(9, 3, 10, 0)},
		{"zero from closed time is the next opening", at(9, 2, 19, 0), 0, at(9, 3, 9, 0)},
		{"zero from open time is the start", at(9, 2, 10, 15), 0, at(9, 2, 10, 15)},
		{"Friday evening to the make-up Sunday", at(9, 27, 18, 30), time.Hour, at(9, 29, 10, 0)},
		{"over the national day week", at(9, 30, 17, 0), 2 * time.Hour, at(10, 8, 10, 0)},
		{"part-day closure on Christmas Eve", at(12, 24, 13, 30), time.Hour, at(12, 25, 9, 30)},
		{"extra day with its own hours", at(10, 11, 18, 0), time.Hour, at(10, 12, 11, 0)},
		{"backwards across lunch", at(9, 2, 14, 0), -time.Hour, at(9, 2, 11, 30)},
		{"backwards to an opening lands on the opening", at(9, 3, 10, 0), -time.Hour, at(9, 3, 9, 0)},
		{"backwards from closed time", at(9, 3, 8, 0), -time.Hour, at(9, 2, 17, 0)},
	}
	for _, tc := range addCases {
		t.Run("Add/"+tc.name, func(t *testing.T) {
			got, err := c.Add(tc.start, tc.d)
			require.NoError(t, err)
			assert.True(t, tc.want.Equal(got), "want %s got %s", tc.want, got)
			if tc.d > 0 {
				back, err := c.Between(tc.start, got)
				require.NoError(t, err)
				assert.Equal(t, tc.d, back)
			}
		})
	}

	betweenCases := []struct {
		name string
		a, b time.Time
		want time.Duration
	}{
		{"a working day", at(9, 2, 0, 0), at(9, 3, 0, 0), 7*time.Hour + 30*time.Minute},
		{"a week with the make-up Sunday", at(9, 23, 0, 0), at(9, 30, 0, 0), 6 * (7*time.Hour + 30*time.Minute)},
		{"national day week", at(10, 1, 0, 0), at(10, 8, 0, 0), 0},
		{"Christmas Eve", at(12, 24, 0, 0), at(12, 25, 0, 0), 3*time.Hour + 30*time.Minute},
		{"reversed is negative", at(9, 3, 0, 0), at(9, 2, 0, 0), -(7*time.Hour + 30*time.Minute)},
		{"empty", at(9, 2, 10, 0), at(9, 2, 10, 0), 0},
		{"nanoseconds count", at(9, 2, 10, 0), at(9, 2, 10, 0).Add(1500 * time.Nanosecond), 1500 * time.Nanosecond},
	}
	for _, tc := range betweenCases {
		t.Run("Between/"+tc.name, func(t *testing.T) {
			got, err := c.Between(tc.a, tc.b)
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
		})
	}

	t.Run("IsOpen", func(t *testing.T) {
		assert.True(t, c.IsOpen(at(9, 2, 9, 0)))
		assert.False(t, c.IsOpen(at(9, 2, 12, 0)), "lunch starts at 12:00")
		assert.True(t, c.IsOpen(at(9, 2, 11, 59)))
		assert.False(t, c.IsOpen(at(9, 2, 18, 0)), "closing instant is closed")
		assert.True(t, c.IsOpen(at(9, 29, 9, 0)), "make-up Sunday")
		assert.False(t, c.IsOpen(at(10, 1, 10, 0)), "holiday")
		assert.False(t, c.IsOpen(at(12, 24, 15, 0)), "part-day closure")
		assert.True(t, c.IsOpen(at(12, 24, 10, 0)))
		assert.True(t, c.IsOpen(at(9, 2, 10, 0).UTC()), "zone of the argument does not matter")
		assert.False(t, c.IsOpen(time.Date(1900, 1, 1, 0, 0, 0, 0, time.UTC)), "out of range is closed")
	})
	t.Run("IsWorkingDay", func(t *testing.T) {
		assert.True(t, c.IsWorkingDay(at(9, 2, 3, 0)))
		assert.True(t, c.IsWorkingDay(at(9, 29, 23, 0)))
		assert.False(t, c.IsWorkingDay(at(9, 28, 12, 0)))
		assert.False(t, c.IsWorkingDay(at(10, 3, 12, 0)))
		assert.True(t, c.IsWorkingDay(at(12, 24, 12, 0)))
		// 2024-09-02 01:00 in Shanghai is 2024-09-01 (Sunday) 17:00 UTC
		assert.True(t, c.IsWorkingDay(at(9, 2, 1, 0).UTC()), "the date is taken in the calendar's zone")
	})
	t.Run("NextOpen/NextClose", func(t *testing.T) {
		no, err := c.NextOpen(at(9, 2, 12, 10))
		require.NoError(t, err)
		assert.True(t, at(9, 2, 13, 30).Equal(no))
		no, err = c.NextOpen(at(9, 30, 18, 0))
		require.NoError(t, err)
		assert.True(t, at(10, 8, 9, 0).Equal(no))
		nc, err := c.NextClose(at(9, 2, 10, 0))
		require.NoError(t, err)
		assert.True(t, at(9, 2, 12, 0).Equal(nc))
		nc, err = c.NextClose(at(9, 2, 12, 10))
		require.NoError(t, err)
		assert.True(t, at(9, 2, 12, 10).Equal(nc), "closed: t itself")
		nc, err = c.NextClose(at(12, 24, 13, 40))
		require.NoError(t, err)
		assert.True(t, at(12, 24, 14, 0).Equal(nc))
	})
	t.Run("AddWorkingDays", func(t *testing.T) {
		cases := []struct {
			start time.Time
			n     int
			want  time.Time
		}{
			{at(9, 2, 10, 0), 0, at(9, 2, 18, 0)},
			{at(9, 2, 10, 0), 1, at(9, 3, 18, 0)},
			{at(9, 2, 7, 0), 1, at(9, 3, 18, 0)},    // before opening: day 0 is the same date
			{at(9, 2, 18, 0), 1, at(9, 4, 18, 0)},   // at closing: day 0 is the next working day
			{at(9, 27, 10, 0), 1, at(9, 29, 18, 0)}, // Friday + 1 = make-up Sunday
			{at(9, 28, 10, 0), 0, at(9, 29, 18, 0)}, // Saturday rolls to the make-up Sunday
			{at(9, 30, 10, 0), 1, at(10, 8, 18, 0)}, // over the holidays
			{at(10, 11, 10, 0), 1, at(10, 12, 16, 0)},
			{at(12, 23, 10, 0), 1, at(12, 24, 14, 0)}, // a part-day closure ends the day early
			{at(9, 4, 18, 0), -1, at(9, 3, 18, 0)},    // one working day before a deadline
			{at(9, 4, 10, 0), -1, at(9, 3, 18, 0)},
			{at(10, 8, 9, 0), -1, at(9, 29, 18, 0)}, // rolled back to Sept 30, minus one
			{at(10, 8, 9, 0), -2, at(9, 27, 18, 0)},
		}
		for _, tc := range cases {
			got, err := c.AddWorkingDays(tc.start, tc.n)
			require.NoError(t, err)
			assert.True(t, tc.want.Equal(got), "AddWorkingDays(%s, %d): want %s got %s", tc.start, tc.n, tc.want, got)
		}
	})
}

func TestCalendarShapes(t *testing.T) {
	t.Run("around the clock", func(t *testing.T) {
		c, err := NewCalendar(CalendarSpec{Name: "24x7", TimeZone: "UTC", Week: EveryDay(Hours{"00:00", "24:00"})})
		require.NoError(t, err)
		s := time.Date(2024, 3, 1, 13, 0, 0, 0, time.UTC)
		got, err := c.Add(s, 100*time.Hour)
		require.NoError(t, err)
		assert.True(t, s.Add(100*time.Hour).Equal(got))
		b, err := c.Between(s, s.AddDate(10, 0, 0))
		require.NoError(t, err)
		assert.Equal(t, s.AddDate(10, 0, 0).Sub(s), b)
		_, err = c.NextClose(s)
		assert.ErrorIs(t, err, ErrNeverCloses)
		_, to := c.Range()
		end, err := c.Add(to.Add(-time.Hour), time.Hour)
		require.NoError(t, err)
		assert.True(t, to.Equal(end), "a deadline may land on the end of the range")
		back, err := c.Between(to.Add(-time.Hour), end)
		require.NoError(t, err)
		assert.Equal(t, time.Hour, back)
		_, err = c.Add(to.Add(-time.Hour), time.Hour+time.Nanosecond)
		assert.ErrorIs(t, err, ErrOutOfRange)
		wd, err := c.AddWorkingDays(s, 2)
		require.NoError(t, err)
		assert.True(t, time.Date(2024, 3, 4, 0, 0, 0, 0, time.UTC).Equal(wd))
	})
	t.Run("around the clock with a holiday", func(t *testing.T) {
		all := []Hours{{"00:00", "24:00"}}
		c, err := NewCalendar(CalendarSpec{TimeZone: "Europe/London", Week: WeekHours{all, all, all, all, all, all, all},
			Holidays: []HolidaySpec{{Date: "2030-12-25"}}})
		require.NoError(t, err)
		nc, err := c.NextClose(time.Date(2024, 3, 1, 13, 0, 0, 0, time.UTC))
		require.NoError(t, err)
		assert.Equal(t, "2030-12-25 00:00:00 +0000 GMT", nc.String())
	})
	t.Run("evening shift", func(t *testing.T) {
		ev := []Hours{{"20:00", "22:00"}}
		c, err := NewCalendar(CalendarSpec{TimeZone: "Asia/Shanghai", Week: WeekHours{ev, ev, ev, ev, ev, ev, ev}})
		require.NoError(t, err)
		s := time.Date(2024, 5, 6, 21, 0, 0, 0, c.Location())
		got, err := c.Add(s, 3*time.Hour)
		require.NoError(t, err)
		assert.Equal(t, "2024-05-07 22:00:00 +0800 CST", got.String(), "1 h on Monday, 2 h on Tuesday")
	})
	t.Run("overnight shift as two stretches", func(t *testing.T) {
		c, err := NewCalendar(CalendarSpec{TimeZone: "UTC", Week: WeekHours{
			Mon: []Hours{{"22:00", "24:00"}}, Tue: []Hours{{"00:00", "06:00"}}}})
		require.NoError(t, err)
		mon := time.Date(2024, 5, 6, 23, 0, 0, 0, time.UTC)
		nc, err := c.NextClose(mon)
		require.NoError(t, err)
		assert.Equal(t, time.Date(2024, 5, 7, 6, 0, 0, 0, time.UTC), nc, "stretches meeting at midnight are one")
		got, err := c.Add(mon, 2*time.Hour)
		require.NoError(t, err)
		assert.Equal(t, time.Date(2024, 5, 7, 1, 0, 0, 0, time.UTC), got)
	})
	t.Run("never open", func(t *testing.T) {
		c, err := NewCalendar(CalendarSpec{Name: "closed", TimeZone: "UTC"})
		require.NoError(t, err)
		s := time.Date(2024, 5, 6, 23, 0, 0, 0, time.UTC)
		for name, f := range map[string]func() error{
			"Add":             func() error { _, err := c.Add(s, time.Hour); return err },
			"Add0":            func() error { _, err := c.Add(s, 0); return err },
			"AddBack":         func() error { _, err := c.Add(s, -time.Hour); return err },
			"NextOpen":        func() error { _, err := c.NextOpen(s); return err },
			"AddWorkingDays":  func() error { _, err := c.AddWorkingDays(s, 1); return err },
			"AddWorkingDays-": func() error { _, err := c.AddWorkingDays(s, -1); return err },
		} {
			err := f()
			require.ErrorIs(t, err, ErrNeverOpen, name)
			var ce *CalendarError
			require.True(t, errors.As(err, &ce), name)
			assert.Equal(t, "closed", ce.Calendar)
		}
		b, err := c.Between(s, s.AddDate(100, 0, 0))
		require.NoError(t, err)
		assert.Zero(t, b)
		assert.False(t, c.IsOpen(s))
		nc, err := c.NextClose(s)
		require.NoError(t, err)
		assert.Equal(t, s, nc)
	})
	t.Run("zero and nil calendars", func(t *testing.T) {
		s := time.Date(2024, 5, 6, 23, 0, 0, 0, time.UTC)
		for _, c := range []*Calendar{nil, {}} {
			_, err := c.Add(s, time.Hour)
			assert.ErrorIs(t, err, ErrInvalidArgument)
			_, err = c.Between(s, s)
			assert.ErrorIs(t, err, ErrInvalidArgument)
			_, err = c.NextClose(s)
			assert.ErrorIs(t, err, ErrInvalidArgument)
			_, err = c.AddWorkingDays(s, 1)
			assert.ErrorIs(t, err, ErrInvalidArgument)
			_, err = c.NextOpen(s)
			assert.ErrorIs(t, err, ErrInvalidArgument)
			assert.False(t, c.IsOpen(s))
			assert.False(t, c.IsWorkingDay(s))
			assert.Equal(t, time.UTC, c.Location())
			assert.Equal(t, "", c.Name())
		}
	})
	t.Run("open only in one year", func(t *testing.T) {
		c, err := NewCalendar(CalendarSpec{TimeZone: "UTC", ExtraWorkingDays: []WorkingDaySpec{{Date: "2024-05-01", Hours: []Hours{{"09:00", "10:00"}}}}})
		require.NoError(t, err)
		_, err = c.Add(time.Date(2024, 5, 2, 0, 0, 0, 0, time.UTC), time.Minute)
		assert.ErrorIs(t, err, ErrNeverOpen)
		// Asking for more than the extra days hold is not a matter of
		// supported years: no year would add open time (issue 17).
		_, err = c.Add(time.Date(2024, 4, 2, 0, 0, 0, 0, time.UTC), 2*time.Hour)
		assert.ErrorIs(t, err, ErrNeverOpen)
		_, err = c.AddWorkingDays(time.Date(2024, 4, 2, 0, 0, 0, 0, time.UTC), 1)
		assert.ErrorIs(t, err, ErrNeverOpen)
		_, err = c.Add(time.Date(2024, 5, 1, 9, 30, 0, 0, time.UTC), -time.Hour)
		assert.ErrorIs(t, err, ErrNeverOpen)
		got, err := c.Add(time.Date(2020, 4, 2, 0, 0, 0, 0, time.UTC), time.Hour)
		require.NoError(t, err)
		assert.Equal(t, time.Date(2024, 5, 1, 10, 0, 0, 0, time.UTC), got)
	})
	t.Run("supported years", func(t *testing.T) {
		c, err := NewCalendar(CalendarSpec{TimeZone: "America/New_York", FirstYear: 2020, LastYear: 2030,
			Week: WeekHours{Mon: []Hours{{"09:00", "17:00"}}}})
		require.NoError(t, err)
		from, to := c.Range()
		assert.Equal(t, "2020-01-01 00:00:00 -0500 EST", from.String())
		assert.Equal(t, "2031-01-01 00:00:00 -0500 EST", to.String())
		_, err = c.Add(from.Add(-time.Nanosecond), time.Hour)
		assert.ErrorIs(t, err, ErrOutOfRange)
		_, err = c.Add(to, time.Hour)
		assert.ErrorIs(t, err, ErrOutOfRange)
		_, err = c.Between(from, to.Add(time.Nanosecond))
		assert.ErrorIs(t, err, ErrOutOfRange)
		all, err := c.Between(from, to)
		require.NoError(t, err, "the end of the range is accepted as an end")
		assert.Equal(t, time.Duration(574)*8*time.Hour, all, "Mondays in 2020..2030")
		last, err := c.Add(to.Add(-24*time.Hour*14), 16*time.Hour)
		require.NoError(t, err)
		assert.Equal(t, "2030-12-30 17:00:00 -0500 EST", last.String())
		assert.False(t, c.IsOpen(to))
		nc, err := c.NextClose(to)
		assert.ErrorIs(t, err, ErrOutOfRange)
		assert.True(t, nc.IsZero())
		_, err = c.Add(time.Date(2030, 12, 29, 0, 0, 0, 0, time.UTC), 24*time.Hour)
		assert.ErrorIs(t, err, ErrOutOfRange)
		_, err = c.Add(from, time.Duration(1<<62))
		assert.ErrorIs(t, err, ErrOutOfRange)
		_, err = c.Add(to.Add(-time.Hour), minDuration)
		assert.ErrorIs(t, err, ErrOutOfRange)
		_, err = c.AddWorkingDays(from, 1<<40)
		assert.ErrorIs(t, err, ErrOutOfRange)
		_, err = c.AddWorkingDays(from.Add(24*time.Hour), -1000)
		assert.ErrorIs(t, err, ErrOutOfRange)
		assert.False(t, c.IsWorkingDay(to))
	})
}

// TestCalendarDST pins the DST rule: open hours are wall-clock hours, open
// time is real elapsed time. A skipped hour is never open; a repeated hour
// is open twice.
func TestCalendarDST(t *testing.T) {
	all := []Hours{{"00:00", "24:00"}}
	night := []Hours{{"01:00", "04:00"}}
	cases := []struct {
		zone       string
		hours      []Hours
		day        [3]int
		wantOpen   time.Duration
		skippedAt  string // a wall time that does not exist that day ("" if none)
		repeatedAt string // a wall time that happens twice
	}{
		{"America/New_York", all, [3]int{2024, 3, 10}, 23 * time.Hour, "", ""},
		{"America/New_York", all, [3]int{2024, 11, 3}, 25 * time.Hour, "", ""},
		{"America/New_York", night, [3]int{2024, 3, 10}, 2 * time.Hour, "02:30", ""},
		{"America/New_York", night, [3]int{2024, 11, 3}, 4 * time.Hour, "", "01:30"},
		{"Europe/London", all, [3]int{2024, 3, 31}, 23 * time.Hour, "", ""},
		{"Europe/London", all, [3]int{2024, 10, 27}, 25 * time.Hour, "", ""},
		{"Europe/London", night, [3]int{2024, 3, 31}, 2 * time.Hour, "01:30", ""},
		{"Europe/London", night, [3]int{2024, 10, 27}, 4 * time.Hour, "", "01:30"},
		{"Australia/Lord_Howe", all, [3]int{2024, 10, 6}, 23*time.Hour + 30*time.Minute, "", ""},
		{"Australia/Lord_Howe", all, [3]int{2024, 4, 7}, 24*time.Hour + 30*time.Minute, "", ""},
		{"Australia/Lord_Howe", night, [3]int{2024, 10, 6}, 2*time.Hour + 30*time.Minute, "02:10", ""},
		{"Australia/Lord_Howe", night, [3]int{2024, 4, 7}, 3*time.Hour + 30*time.Minute, "", "01:45"},
	}
	for _, tc := range cases {
		name := tc.zone + "/" + time.Date(tc.day[0], time.Month(tc.day[1]), tc.day[2], 0, 0, 0, 0, time.UTC).Format("2006-01-02")
		t.Run(name, func(t *testing.T) {
			c, err := NewCalendar(CalendarSpec{Name: name, TimeZone: tc.zone,
				Week: WeekHours{tc.hours, tc.hours, tc.hours, tc.hours, tc.hours, tc.hours, tc.hours}})
			require.NoError(t, err)
			loc := c.Location()
			d0 := time.Date(tc.day[0], time.Month(tc.day[1]), tc.day[2], 0, 0, 0, 0, loc)
			d1 := time.Date(tc.day[0], time.Month(tc.day[1]), tc.day[2]+1, 0, 0, 0, 0, loc)
			got, err := c.Between(d0, d1)
			require.NoError(t, err)
			assert.Equal(t, tc.wantOpen, got)
			// Add over the whole day's open time ends at its last open instant.
			first, err := c.NextOpen(d0)
			require.NoError(t, err)
			end, err := c.Add(first, tc.wantOpen)
			require.NoError(t, err)
			nc, err := c.NextClose(first)
			if err == nil {
				assert.True(t, !end.After(nc) || tc.hours[0][1] == "24:00", "Add %s NextClose %s", end, nc)
			}
			back, err := c.Between(first, end)
			require.NoError(t, err)
			assert.Equal(t, tc.wantOpen, back)
			// Every instant of the day agrees with the wall-clock rule.
			for x := d0; x.Before(d1); x = x.Add(5 * time.Minute) {
				l := x.In(loc)
				tod := l.Hour()*60 + l.Minute()
				var want bool
				if tc.hours[0][0] == "00:00" {
					want = true
				} else {
					want = tod >= 60 && tod < 240
				}
				require.Equal(t, want, c.IsOpen(x), "%s", l)
			}
			if tc.repeatedAt != "" {
				hm, _ := time.Parse("15:04", tc.repeatedAt)
				x := time.Date(tc.day[0], time.Month(tc.day[1]), tc.day[2], hm.Hour(), hm.Minute(), 0, 0, loc)
				_, end := x.ZoneBounds()
				assert.True(t, c.IsOpen(x) && c.IsOpen(end.Add(x.Sub(end.Add(-time.Hour)))), "both %s are open", tc.repeatedAt)
			}
		})
	}
}

func TestCalendarProperties(t *testing.T) {
	// Add is monotonic in both arguments; Between inverts Add.
	c := mustCal(t, cnOffice)
	base := time.Date(2024, 9, 20, 0, 0, 0, 0, c.Location())
	var prev time.Time
	for m := 0; m < 20*24*60; m += 7 {
		s := base.Add(time.Duration(m) * time.Minute)
		got, err := c.Add(s, 3*time.Hour)
		require.NoError(t, err)
		require.False(t, got.Before(prev), "Add not monotonic in start at %s", s)
		prev = got
		b, err := c.Between(s, got)
		require.NoError(t, err)
		require.Equal(t, 3*time.Hour, b)
		var prevD time.Time
		for _, d := range []time.Duration{0, time.Second, time.Minute, time.Hour, 8 * time.Hour, 100 * time.Hour} {
			x, err := c.Add(s, d)
			require.NoError(t, err)
			require.False(t, x.Before(prevD), "Add not monotonic in d")
			prevD = x
		}
	}
}

// TestCalendarZoneHistory covers offsets far from today: DST rules beyond
// the zone database's explicit transitions, and an offset in seconds.
func TestCalendarZoneHistory(t *testing.T) {
	all := []Hours{{"00:00", "24:00"}}
	week := WeekHours{all, all, all, all, all, all, all}
	ny, err := NewCalendar(CalendarSpec{TimeZone: "America/New_York", Week: week})
	require.NoError(t, err)
	loc := ny.Location()
	// 2150: second Sunday of March / first Sunday of November.
	d, err := ny.Between(time.Date(2150, 3, 8, 0, 0, 0, 0, loc), time.Date(2150, 3, 9, 0, 0, 0, 0, loc))
	require.NoError(t, err)
	assert.Equal(t, 23*time.Hour, d)
	d, err = ny.Between(time.Date(2150, 11, 1, 0, 0, 0, 0, loc), time.Date(2150, 11, 2, 0, 0, 0, 0, loc))
	require.NoError(t, err)
	assert.Equal(t, 25*time.Hour, d)

	// Amsterdam kept +00:19:32 until 1937-07-01, then +00:20.
	ams, err := NewCalendar(CalendarSpec{TimeZone: "Europe/Amsterdam", Week: week, FirstYear: 1930, LastYear: 1940})
	require.NoError(t, err)
	aloc := ams.Location()
	d, err = ams.Between(time.Date(1937, 7, 1, 0, 0, 0, 0, aloc), time.Date(1937, 7, 2, 0, 0, 0, 0, aloc))
	require.NoError(t, err)
	assert.Equal(t, 24*time.Hour-28*time.Second, d)
	nine, err := NewCalendar(CalendarSpec{TimeZone: "Europe/Amsterdam", FirstYear: 1930, LastYear: 1940,
		Week: WeekHours{Thu: []Hours{{"00:00", "00:30"}}}})
	require.NoError(t, err)
	d, err = nine.Between(time.Date(1937, 6, 24, 0, 0, 0, 0, aloc), time.Date(1937, 7, 2, 0, 0, 0, 0, aloc))
	require.NoError(t, err)
	assert.Equal(t, 30*time.Minute+30*time.Minute-28*time.Second, d, "the skipped 28 s fall inside Thursday's half hour")
}

// TestCalendarConcurrentUse shares one calendar between goroutines; run
// with -race it shows that the calendar is read-only after construction.
func TestCalendarConcurrentUse(t *testing.T) {
	c := mustCal(t, cnOffice)
	base := time.Date(2024, 9, 1, 0, 0, 0, 0, c.Location())
	want, err := c.Add(base, 100*time.Hour)
	require.NoError(t, err)
	done := make(chan time.Time, 8)
	for range 8 {
		go func() {
			var got time.Time
			for i := range 200 {
				got, _ = c.Add(base, 100*time.Hour)
				_, _ = c.Between(base, base.Add(time.Duration(i)*time.Hour))
				_ = c.IsOpen(base.Add(time.Duration(i) * time.Minute))
			}
			done <- got
		}()
	}
	for range 8 {
		assert.True(t, want.Equal(<-done))
	}
}

// TestCalendarPrecedence pins how dated entries combine.
func TestCalendarPrecedence(t *testing.T) {
	c, err := NewCalendar(CalendarSpec{
		TimeZone:       "America/New_York",
		Week:           Weekdays(Hours{"09:00", "17:00"}),
		PublicHolidays: []string{"US"},
		Holidays:       []HolidaySpec{{Date: "2024-09-28", Closed: []Hours{{"10:00", "11:00"}}}},
		ExtraWorkingDays: []WorkingDaySpec{
			{Date: "2024-07-04", Hours: []Hours{{"10:00", "14:00"}}}, // opens a public holiday
			{Date: "2024-09-28", Hours: []Hours{{"09:00", "13:00"}}}, // a Saturday with a part-day closure
			{Date: "2024-09-30", Hours: []Hours{{"12:00", "13:00"}}}, // replaces a Monday's hours
			{Date: "2024-12-25", Hours: []Hours{{"09:00", "10:00"}}}, // opens a day the .ics closes
		},
		ICS: "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20241225\r\nDTEND;VALUE=DATE:20241227\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n",
	})
	require.NoError(t, err)
	loc := c.Location()
	day := func(m time.Month, d int) time.Duration {
		got, err := c.Between(time.Date(2024, m, d, 0, 0, 0, 0, loc), time.Date(2024, m, d+1, 0, 0, 0, 0, loc))
		require.NoError(t, err)
		return got
	}
	assert.Equal(t, 4*time.Hour, day(7, 4), "extra working day wins over a public holiday")
	assert.Equal(t, 8*time.Hour, day(7, 5)+day(7, 6), "ordinary Friday is open; Saturday closed")
	assert.Equal(t, 3*time.Hour, day(9, 28), "part-day closure applies to the extra day's hours")
	assert.Equal(t, time.Hour, day(9, 30), "extra day replaces the weekday's hours")
	assert.Equal(t, time.Hour, day(12, 25), "extra working day wins over an .ics closure")
	assert.Equal(t, 0*time.Hour, day(12, 26), ".ics closure")
	assert.Equal(t, 0*time.Hour, day(5, 27), "Memorial Day")
}

// TestCalendarWidestRange checks that 280 years around the clock, the
// most open time a calendar can hold, still fits the arithmetic.
func TestCalendarWidestRange(t *testing.T) {
	c, err := NewCalendar(CalendarSpec{TimeZone: "Europe/Paris", Week: EveryDay(Hours{"00:00", "24:00"}), FirstYear: 2120, LastYear: 2399})
	require.NoError(t, err)
	from, to := c.Range()
	all, err := c.Between(from, to)
	require.NoError(t, err)
	assert.Equal(t, to.Sub(from), all)
	end, err := c.Add(from, all)
	require.NoError(t, err)
	assert.True(t, to.Equal(end))
	back, err := c.Add(to, -all)
	require.NoError(t, err)
	assert.True(t, from.Equal(back))
	_, err = c.Add(from, time.Duration(1<<63-1))
	assert.ErrorIs(t, err, ErrOutOfRange)
	_, err = c.Add(to, minDuration)
	assert.ErrorIs(t, err, ErrOutOfRange)
	wd, err := c.AddWorkingDays(from, 365)
	require.NoError(t, err)
	assert.Equal(t, "2121-01-01 00:00:00 +0100 CET", wd.String(), "2120 is a leap year: day 0 is Jan 1, day 365 is Dec 31")
}
