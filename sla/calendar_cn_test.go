package sla

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// cnAnnounced is the State Council's schedule, typed again from the notices
// (国务院办公厅关于2024/2025/2026年部分节假日安排的通知) independently of
// calendar_cn.go: runs of days off "from..to" and make-up working days.
var cnAnnounced = map[int]struct{ off, work []string }{
	2024: {
		off: []string{"2024-01-01", "2024-02-10..2024-02-17", "2024-04-04..2024-04-06", "2024-05-01..2024-05-05",
			"2024-06-10", "2024-09-15..2024-09-17", "2024-10-01..2024-10-07"},
		work: []string{"2024-02-04", "2024-02-18", "2024-04-07", "2024-04-28", "2024-05-11", "2024-09-14", "2024-09-29", "2024-10-12"},
	},
	2025: {
		off: []string{"2025-01-01", "2025-01-28..2025-02-04", "2025-04-04..2025-04-06", "2025-05-01..2025-05-05",
			"2025-05-31..2025-06-02", "2025-10-01..2025-10-08"},
		work: []string{"2025-01-26", "2025-02-08", "2025-04-27", "2025-09-28", "2025-10-11"},
	},
	2026: {
		off: []string{"2026-01-01..2026-01-03", "2026-02-15..2026-02-23", "2026-04-04..2026-04-06", "2026-05-01..2026-05-05",
			"2026-06-19..2026-06-21", "2026-09-25..2026-09-27", "2026-10-01..2026-10-07"},
		work: []string{"2026-01-04", "2026-02-14", "2026-02-28", "2026-05-09", "2026-09-20", "2026-10-10"},
	},
}

const cnWeekdays = `"week": {"mon": [["09:00","12:00"],["13:30","18:00"]], "tue": [["09:00","12:00"],["13:30","18:00"]],
  "wed": [["09:00","12:00"],["13:30","18:00"]], "thu": [["09:00","12:00"],["13:30","18:00"]],
  "fri": [["09:00","12:00"],["13:30","18:00"]]}`

func cnCal(t testing.TB, extra string) *Calendar {
	t.Helper()
	return mustCal(t, `{"name": "cn", "time_zone": "Asia/Shanghai", `+cnWeekdays+`, "public_holidays": ["CN"]`+extra+`}`)
}

func sh(t testing.TB, s string) time.Time {
	t.Helper()
	loc, err := time.LoadLocation("Asia/Shanghai")
	require.NoError(t, err)
	v, err := time.ParseInLocation("2006-01-02 15:04", s, loc)
	require.NoError(t, err)
	return v
}

// TestCNScheduleEveryDay walks every date of 2024–2026: announced days off
// are closed, make-up days are working days with Monday's hours (the first
// weekday with hours), every other date follows the week.
func TestCNScheduleEveryDay(t *testing.T) {
	c := cnCal(t, "")
	loc := c.Location()
	off, work := map[string]bool{}, map[string]bool{}
	for _, y := range cnAnnounced {
		for _, r := range y.off {
			from, to, _ := strings.Cut(r, "..")
			if to == "" {
				to = from
			}
			a, err := time.Parse("2006-01-02", from)
			require.NoError(t, err)
			b, err := time.Parse("2006-01-02", to)
			require.NoError(t, err)
			for d := a; !d.After(b); d = d.AddDate(0, 0, 1) {
				off[d.Format("2006-01-02")] = true
			}
		}
		for _, w := range y.work {
			d, err := time.Parse("2006-01-02", w)
			require.NoError(t, err)
			require.Contains(t, []time.Weekday{time.Saturday, time.Sunday}, d.Weekday(), "make-up day %s is a weekend day", w)
			work[w] = true
		}
	}
	require.Len(t, off, 28+28+33, "days off announced for 2024, 2025, 2026")
	require.Len(t, work, 8+5+6)
	for d := time.Date(2024, 1, 1, 0, 0, 0, 0, loc); d.Year() < 2027; d = d.AddDate(0, 0, 1) {
		key := d.Format("2006-01-02")
		noon, lunch := d.Add(10*time.Hour), d.Add(12*time.Hour+30*time.Minute)
		switch {
		case off[key]:
			assert.False(t, c.IsWorkingDay(d), "%s is a day off", key)
			assert.False(t, c.IsOpen(noon), key)
		case work[key]:
			assert.True(t, c.IsWorkingDay(d), "%s is a make-up working day", key)
			assert.True(t, c.IsOpen(noon), key)
			assert.False(t, c.IsOpen(lunch), "%s keeps Monday's lunch break", key)
			got, err := c.Between(d, d.AddDate(0, 0, 1))
			require.NoError(t, err)
			assert.Equal(t, 7*time.Hour+30*time.Minute, got, key)
		default:
			weekday := d.Weekday() != time.Saturday && d.Weekday() != time.Sunday
			assert.Equal(t, weekday, c.IsWorkingDay(d), key)
		}
	}
}

func TestCNMakeUpHours(t *testing.T) {
	cases := []struct {
		name, extra, at string
		open            bool
	}{
		{"Monday hours, morning", "", "2024-09-29 09:00", true},
		{"Monday hours, lunch", "", "2024-09-29 12:00", false},
		{"Monday hours, last minute", "", "2024-09-29 17:59", true},
		{"Monday hours, close", "", "2024-09-29 18:00", false},
		{"from sat", `, "make_up_hours_from": "sat"`, "2024-09-29 09:00", false},
		{"from sat, open", `, "make_up_hours_from": "sat"`, "2024-09-29 10:00", true},
		{"from sat, close", `, "make_up_hours_from": "sat"`, "2024-09-29 14:00", false},
		{"from fri", `, "make_up_hours_from": "fri"`, "2024-09-29 17:00", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := mustCal(t, `{"name": "cn", "time_zone": "Asia/Shanghai",
			  "week": {"mon": [["09:00","12:00"],["13:30","18:00"]], "fri": [["09:00","18:00"]], "sat": [["10:00","14:00"]]},
			  "public_holidays": ["CN"]`+tc.extra+`}`)
			assert.Equal(t, tc.open, c.IsOpen(sh(t, tc.at)))
		})
	}
	// Default: the first weekday, Monday to Sunday, with hours.
	c := mustCal(t, `{"name": "x", "time_zone": "Asia/Shanghai", "week": {"wed": [["08:00","20:00"]], "sun": [["10:00","11:00"]]}, "public_holidays": ["CN"]}`)
	got, err := c.Between(sh(t, "2025-04-27 00:00"), sh(t, "2025-04-28 00:00"))
	require.NoError(t, err)
	assert.Equal(t, 12*time.Hour, got, "a make-up Sunday takes Wednesday's hours, not Sunday's")
	// A week without hours has no hours for make-up days either.
	c = mustCal(t, `{"name": "x", "time_zone": "Asia/Shanghai", "public_holidays": ["CN"]}`)
	assert.False(t, c.IsWorkingDay(sh(t, "2024-09-29 10:00")))
}

// TestCNSpecOverridesSet: the spec's own entries win over the set.
func TestCNSpecOverridesSet(t *testing.T) {
	c := cnCal(t, `,
	  "holidays": [{"date": "2024-09-29", "name": "company day off"}, {"date": "2024-10-12", "closed": [["13:30","18:00"]]}],
	  "extra_working_days": [{"date": "2024-10-07", "hours": [["10:00","12:00"]]}, {"date": "2024-04-07", "hours": [["09:00","10:00"]]}],
	  "ics": "BEGIN:VCALENDAR\r\nVERSION:2.0\r\nPRODID:x\r\nBEGIN:VEVENT\r\nUID:1\r\nDTSTAMP:20240101T000000Z\r\nDTSTART;VALUE=DATE:20240218\r\nSUMMARY:closed\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"`)
	day := func(s string) time.Duration {
		a := sh(t, s+" 00:00")
		got, err := c.Between(a, a.AddDate(0, 0, 1))
		require.NoError(t, err)
		return got
	}
	assert.Zero(t, day("2024-09-29"), "a whole-day holiday of the spec closes a make-up day")
	assert.Equal(t, 3*time.Hour, day("2024-10-12"), "a part-day closure applies to a make-up day's hours")
	assert.Equal(t, 2*time.Hour, day("2024-10-07"), "an extra working day opens a day off of the set")
	assert.Equal(t, time.Hour, day("2024-04-07"), "an extra working day replaces a make-up day's hours")
	assert.Zero(t, day("2024-02-18"), "an .ics closure closes a make-up day")
	assert.Equal(t, 7*time.Hour+30*time.Minute, day("2024-02-04"), "an untouched make-up day")
	// With two sets, either's holiday closes the day.
	c2 := mustCal(t, `{"name": "x", "time_zone": "Asia/Shanghai", `+cnWeekdays+`, "public_holidays": ["CN", "US"]}`)
	assert.True(t, c2.IsWorkingDay(sh(t, "2025-09-28 10:00")))
	assert.False(t, c2.IsWorkingDay(sh(t, "2025-07-04 10:00")), "US Independence Day")
}

func TestCNWorkingDaysAroundNationalDay(t *testing.T) {
	c := cnCal(t, "")
	cases := []struct {
		start string
		n     int
		want  string
	}{
		{"2024-09-27 10:00", 1, "2024-09-29 18:00"}, // make-up Sunday counts
		{"2024-09-27 10:00", 2, "2024-09-30 18:00"},
		{"2024-09-30 10:00", 1, "2024-10-08 18:00"}, // the whole week off
		{"2024-10-01 10:00", 0, "2024-10-08 18:00"}, // received on a holiday: day 0 is the next working day
		{"2024-10-08 10:00", 4, "2024-10-12 18:00"}, // make-up Saturday
		{"2024-10-08 18:00", -1, "2024-09-30 18:00"},
		{"2025-09-26 10:00", 1, "2025-09-28 18:00"},
		{"2025-09-28 10:00", 1, "2025-09-29 18:00"},
		{"2025-09-30 10:00", 1, "2025-10-09 18:00"}, // 8 days off in 2025
		{"2026-09-18 10:00", 1, "2026-09-20 18:00"},
		{"2026-09-24 10:00", 1, "2026-09-28 18:00"}, // Mid-Autumn Sep 25–27
		{"2026-09-30 10:00", 1, "2026-10-08 18:00"},
		{"2026-10-09 10:00", 1, "2026-10-10 18:00"},
		{"2025-01-24 10:00", 1, "2025-01-26 18:00"}, // Spring Festival 2025
		{"2025-01-27 10:00", 1, "2025-02-05 18:00"},
		{"2026-02-13 10:00", 1, "2026-02-14 18:00"}, // Spring Festival 2026
		{"2026-02-14 10:00", 1, "2026-02-24 18:00"},
		{"2025-12-31 10:00", 1, "2026-01-04 18:00"}, // New Year 2026
	}
	for _, tc := range cases {
		got, err := c.AddWorkingDays(sh(t, tc.start), tc.n)
		require.NoError(t, err, tc.start)
		assert.Equal(t, tc.want, got.Format("2006-01-02 15:04"), "%s %+d working days", tc.start, tc.n)
	}
	// Business hours: Monday 2024-09-30 17:00 + 2h resumes after the week off.
	got, err := c.Add(sh(t, "2024-09-30 17:00"), 2*time.Hour)
	require.NoError(t, err)
	assert.Equal(t, "2024-10-08 10:00", got.Format("2006-01-02 15:04"))
	d, err := c.Between(sh(t, "2024-09-28 00:00"), sh(t, "2024-10-13 00:00"))
	require.NoError(t, err)
	assert.Equal(t, 7*(7*time.Hour+30*time.Minute), d, "Sep 29, Sep 30, Oct 8–12")
}

// TestCNOutsideData: years without announced data carry only the week and
// the spec's own entries; strictness refuses them at construction.
func TestCNOutsideData(t *testing.T) {
	first, last, ok := PublicHolidayYears("cn")
	require.True(t, ok)
	assert.Equal(t, [2]int{2007, 2026}, [2]int{first, last})
	usFirst, usLast, ok := PublicHolidayYears("US")
	require.True(t, ok)
	assert.Equal(t, [2]int{MinYear, MaxYear}, [2]int{usFirst, usLast})
	_, _, ok = PublicHolidayYears("XX")
	assert.False(t, ok)
	assert.Contains(t, PublicHolidaySets(), "CN")

	c := cnCal(t, "")
	assert.True(t, c.IsWorkingDay(sh(t, "2006-10-02 10:00")), "2006 has no data: a Monday is a working day")
	assert.True(t, c.IsWorkingDay(sh(t, "2027-10-01 10:00")), "2027 has no data: a Friday is a working day")

	cs := cnCal(t, `, "public_holidays_strict": true, "first_year": 2024, "last_year": 2026`)
	assert.False(t, cs.IsWorkingDay(sh(t, "2026-10-01 10:00")))
	_, err := cs.AddWorkingDays(sh(t, "2026-12-31 10:00"), 2)
	assert.ErrorIs(t, err, ErrOutOfRange)

	for _, extra := range []string{`, "public_holidays_strict": true, "first_year": 2024, "last_year": 2027`,
		`, "public_holidays_strict": true, "first_year": 2027`,
		`, "public_holidays_strict": true, "first_year": 1990, "last_year": 2026`} {
		_, err := ParseCalendar([]byte(`{"name": "cn", "time_zone": "Asia/Shanghai", "public_holidays": ["US", "CN"]` + extra + `}`))
		require.Error(t, err, extra)
		var pe *PathError
		require.True(t, errors.As(err, &pe))
		assert.Equal(t, "$.public_holidays[1]", pe.Path)
		assert.ErrorIs(t, err, ErrNoHolidayData)
		assert.Contains(t, err.Error(), fmt.Sprintf("the last year with data is %d", last), "the error names the last year with data")
	}
	// Strict with the years left out takes the data's years.
	cd := cnCal(t, `, "public_holidays_strict": true`)
	from, to := cd.Range()
	assert.Equal(t, fmt.Sprintf("%d-01-01 %d-01-01", first, last+1), from.Format("2006-01-02")+" "+to.Format("2006-01-02"))
	cd = cnCal(t, `, "public_holidays_strict": true, "first_year": 2025`)
	from, to = cd.Range()
	assert.Equal(t, fmt.Sprintf("2025-01-01 %d-01-01", last+1), from.Format("2006-01-02")+" "+to.Format("2006-01-02"))
	// Rule-based sets cover every year.
	_, err = ParseCalendar([]byte(`{"name": "us", "time_zone": "UTC", "public_holidays": ["US"], "public_holidays_strict": true}`))
	assert.NoError(t, err)
}

func TestCNJSON(t *testing.T) {
	doc := `{"name": "cn", "time_zone": "Asia/Shanghai", ` + cnWeekdays + `, "public_holidays": ["CN"],
	  "make_up_hours_from": "tue", "public_holidays_strict": true, "first_year": 2024, "last_year": 2026}`
	spec, err := ParseCalendarSpec([]byte(doc))
	require.NoError(t, err)
	assert.Equal(t, "tue", spec.MakeUpHoursFrom)
	assert.True(t, spec.PublicHolidaysStrict)
	data, err := spec.MarshalJSON()
	require.NoError(t, err)
	assert.Contains(t, string(data), `"make_up_hours_from":"tue"`)
	assert.Contains(t, string(data), `"public_holidays_strict":true`)
	back, err := ParseCalendarSpec(data)
	require.NoError(t, err)
	assert.Equal(t, spec, back)
	c1, err := NewCalendar(spec)
	require.NoError(t, err)
	c2, err := ParseCalendar(data)
	require.NoError(t, err)
	for _, s := range []string{"2024-02-18 10:00", "2025-10-08 10:00", "2026-10-10 12:15"} {
		assert.Equal(t, c1.IsOpen(sh(t, s)), c2.IsOpen(sh(t, s)), s)
	}
	got, ok := c2.Spec()
	require.True(t, ok)
	assert.Equal(t, spec, got)

	bad := []struct{ name, doc, path, msg string }{
		{"unknown weekday", `{"time_zone":"UTC","week":{"mon":[["09:00","17:00"]]},"public_holidays":["CN"],"make_up_hours_from":"monday"}`,
			"$.make_up_hours_from", "unknown weekday"},
		{"closed weekday", `{"time_zone":"UTC","week":{"mon":[["09:00","17:00"]]},"public_holidays":["CN"],"make_up_hours_from":"sat"}`,
			"$.make_up_hours_from", "no open hours"},
		{"no set with make-up days", `{"time_zone":"UTC","week":{"mon":[["09:00","17:00"]]},"public_holidays":["US"],"make_up_hours_from":"mon"}`,
			"$.make_up_hours_from", "nothing takes make-up hours"},
		{"CN twice", `{"time_zone":"UTC","public_holidays":["CN","cn"]}`, "$.public_holidays[1]", "listed twice"},
		{"strict not bool", `{"time_zone":"UTC","public_holidays":["CN"],"public_holidays_strict":"yes"}`, "$.public_holidays_strict", ""},
	}
	for _, tc := range bad {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseCalendar([]byte(tc.doc))
			require.Error(t, err)
			var pe *PathError
			require.True(t, errors.As(err, &pe), "%T %v", err, err)
			assert.Equal(t, tc.path, pe.Path, err.Error())
			assert.Contains(t, err.Error(), tc.msg)
		})
	}
}

func TestCNNoAllocs(t *testing.T) {
	c := cnCal(t, "")
	start := sh(t, "2024-09-27 10:00")
	end := sh(t, "2026-10-12 10:00")
	allocs := testing.AllocsPerRun(100, func() {
		d, _ := c.Add(start, 40*time.Hour)
		sinkTime = d
		b, _ := c.Between(start, end)
		sinkDur = b
		w, _ := c.AddWorkingDays(start, 10)
		sinkTime = w
	})
	assert.Zero(t, allocs)
}
