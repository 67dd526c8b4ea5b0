package sla

import (
	"encoding/json"
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/closeloop/closeloop/internal/rulesjson"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCalendarJSONErrors(t *testing.T) {
	cases := []struct {
		name, doc, path, msg string
		is                   error
	}{
		{"unknown field", `{"time_zone":"UTC","wek":{}}`, "$.wek", "unknown field", rulesjson.ErrUnknownField},
		{"unknown weekday", `{"time_zone":"UTC","week":{"mon":[],"thurs":[]}}`, "$.week.thurs", "unknown field", rulesjson.ErrUnknownField},
		{"bad type", `{"time_zone":"UTC","first_year":"2020"}`, "$.first_year", "", rulesjson.ErrType},
		{"trailing data", `{"time_zone":"UTC"} {}`, "$", "", rulesjson.ErrTrailingData},
		{"syntax", `{"time_zone":"UTC",}`, "$", "", rulesjson.ErrSyntax},
		{"missing zone", `{"name":"x"}`, "$.time_zone", "missing time zone", nil},
		{"bad zone", `{"time_zone":"Mars/Olympus_Mons"}`, "$.time_zone", "unknown time zone", nil},
		{"Local zone", `{"time_zone":"Local"}`, "$.time_zone", "unknown time zone", nil},
		{"inverted", `{"time_zone":"UTC","week":{"mon":[["17:00","09:00"]]}}`, "$.week.mon[0]", "inverted", nil},
		{"zero length", `{"time_zone":"UTC","week":{"tue":[["09:00","09:00"]]}}`, "$.week.tue[0]", "zero duration", nil},
		{"overlap", `{"time_zone":"UTC","week":{"wed":[["09:00","12:00"],["11:00","13:00"]]}}`, "$.week.wed[1]", "overlap", nil},
		{"out of order", `{"time_zone":"UTC","week":{"wed":[["13:00","14:00"],["09:00","12:00"]]}}`, "$.week.wed[1]", "overlap or precede", nil},
		{"one value", `{"time_zone":"UTC","week":{"fri":[["09:00"]]}}`, "$.week.fri[0]", "want [start, end]", nil},
		{"three values", `{"time_zone":"UTC","week":{"fri":[["09:00","10:00","11:00"]]}}`, "$.week.fri[0]", "want [start, end]", nil},
		{"bad clock", `{"time_zone":"UTC","week":{"sat":[["9:00","10:00"]]}}`, "$.week.sat[0][0]", "bad time of day", nil},
		{"minutes 60", `{"time_zone":"UTC","week":{"sat":[["09:60","10:00"]]}}`, "$.week.sat[0][0]", "bad time of day", nil},
		{"24:00 start", `{"time_zone":"UTC","week":{"sun":[["24:00","24:00"]]}}`, "$.week.sun[0][0]", "24:00 can only end", nil},
		{"24:30", `{"time_zone":"UTC","week":{"sun":[["23:00","24:30"]]}}`, "$.week.sun[0][1]", "bad time of day", nil},
		{"no such date", `{"time_zone":"UTC","holidays":[{"date":"2023-02-29"}]}`, "$.holidays[0].date", "non-existent date", nil},
		{"date format", `{"time_zone":"UTC","holidays":[{"date":"24-12-2024"}]}`, "$.holidays[0].date", "non-existent date", nil},
		{"date out of range", `{"time_zone":"UTC","last_year":2030,"holidays":[{"date":"2031-01-01"}]}`, "$.holidays[0].date", "outside the supported years", nil},
		{"duplicate holiday", `{"time_zone":"UTC","holidays":[{"date":"2024-01-01"},{"date":"2024-01-01"}]}`, "$.holidays[1].date", "already listed", nil},
		{"empty closed", `{"time_zone":"UTC","holidays":[{"date":"2024-01-01","closed":[]}]}`, "$.holidays[0].closed", "empty list", nil},
		{"bad closed", `{"time_zone":"UTC","holidays":[{"date":"2024-01-01","closed":[["10:00","09:00"]]}]}`, "$.holidays[0].closed[0]", "inverted", nil},
		{"extra with empty hours", `{"time_zone":"UTC","extra_working_days":[{"date":"2024-09-29","hours":[]}]}`, "$.extra_working_days[0].hours", "needs open hours", nil},
		{"extra on a holiday", `{"time_zone":"UTC","holidays":[{"date":"2024-09-29"}],"extra_working_days":[{"date":"2024-09-29","hours":[["09:00","10:00"]]}]}`, "$.extra_working_days[0].date", "also a whole-day holiday", nil},
		{"unknown holiday set", `{"time_zone":"UTC","public_holidays":["US","XX"]}`, "$.public_holidays[1]", "unknown public holiday set", nil},
		{"holiday set twice", `{"time_zone":"UTC","public_holidays":["us","US"]}`, "$.public_holidays[1]", "listed twice", nil},
		{"years inverted", `{"time_zone":"UTC","first_year":2030,"last_year":2020}`, "$.last_year", "before first year", nil},
		{"years too wide", `{"time_zone":"UTC","first_year":1900,"last_year":2399}`, "$.last_year", "more than", nil},
		{"year too small", `{"time_zone":"UTC","first_year":1000}`, "$.first_year", "outside", nil},
		{"bad ics", `{"time_zone":"UTC","ics":"BEGIN:VCALENDAR\nEND:VEVENT\n"}`, "$.ics", "bad iCalendar", ErrICS},
		{"range reversed", `{"time_zone":"UTC","holidays":[{"date":"2024-02-10..2024-02-01"}]}`, "$.holidays[0].date", "ends before it starts", nil},
		{"range malformed", `{"time_zone":"UTC","holidays":[{"date":"2024-02-10..2024-02-30"}]}`, "$.holidays[0].date", "bad date range", nil},
		{"range open-ended", `{"time_zone":"UTC","holidays":[{"date":"2024-02-10.."}]}`, "$.holidays[0].date", "bad date range", nil},
		{"range too long", `{"time_zone":"UTC","holidays":[{"date":"2024-01-01..2025-01-01"}]}`, "$.holidays[0].date", "367 days", ErrLimit},
		{"range overlaps a date", `{"time_zone":"UTC","holidays":[{"date":"2024-02-12"},{"date":"2024-02-10..2024-02-17"}]}`, "$.holidays[1].date", "2024-02-12 already listed at $.holidays[0]", nil},
		{"range overlaps a range", `{"time_zone":"UTC","holidays":[{"date":"2024-02-10..2024-02-17"},{"date":"2024-02-17..2024-02-18"}]}`, "$.holidays[1].date", "2024-02-17 already listed", nil},
		{"range out of years", `{"time_zone":"UTC","last_year":2030,"holidays":[{"date":"2030-12-30..2031-01-02"}]}`, "$.holidays[0].date", "outside the supported years", nil},
		{"extra day in a closed range", `{"time_zone":"UTC","holidays":[{"date":"2024-09-28..2024-10-07"}],"extra_working_days":[{"date":"2024-09-29","hours":[["09:00","10:00"]]}]}`, "$.extra_working_days[0].date", "also a whole-day holiday at $.holidays[0]", nil},
		{"extra day without hours in a closed week", `{"time_zone":"UTC","extra_working_days":[{"date":"2024-09-29"}]}`, "$.extra_working_days[0].hours", "no weekday has hours", nil},
		{"make-up hours for nothing", `{"time_zone":"UTC","week":{"mon":[["09:00","17:00"]]},"make_up_hours_from":"mon","extra_working_days":[{"date":"2024-09-29","hours":[["09:00","10:00"]]}]}`, "$.make_up_hours_from", "nothing takes make-up hours", nil},
		{"ics TZID=Local", `{"time_zone":"UTC","ics":"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;TZID=Local:20241101T100000\r\nDTEND;TZID=Local:20241101T110000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"}`, "$.ics", "DTEND: TZID: unknown time zone \"Local\"", ErrICS},
		{"ics TZID path", `{"time_zone":"UTC","ics":"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20241101\r\nEXDATE;TZID=/etc/localtime:20241101T100000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"}`, "$.ics", "EXDATE: TZID", ErrICS},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseCalendar([]byte(tc.doc))
			require.Error(t, err)
			var pe *PathError
			require.True(t, errors.As(err, &pe), "%T %v", err, err)
			assert.Equal(t, tc.path, pe.Path, err.Error())
			assert.Contains(t, err.Error(), tc.msg)
			if tc.is != nil {
				assert.ErrorIs(t, err, tc.is)
			}
		})
	}
}

func TestCalendarSpecRoundTrip(t *testing.T) {
	spec, err := ParseCalendarSpec([]byte(cnOffice))
	require.NoError(t, err)
	spec.PublicHolidays = []string{"DE-BY"}
	spec.FirstYear, spec.LastYear = 2000, 2050
	data, err := json.Marshal(spec)
	require.NoError(t, err)
	again, err := ParseCalendarSpec(data)
	require.NoError(t, err)
	assert.Equal(t, spec, again)
	data2, err := json.Marshal(again)
	require.NoError(t, err)
	assert.JSONEq(t, string(data), string(data2))
	assert.True(t, strings.Contains(string(data), `"extra_working_days":[{"date":"2024-09-29"`), string(data))

	c, err := NewCalendar(again)
	require.NoError(t, err)
	got, ok := c.Spec()
	require.True(t, ok)
	assert.Equal(t, again, got)
}

func TestCalendarsSet(t *testing.T) {
	set, err := ParseCalendars([]byte(`[
	  {"name":"team","time_zone":"Europe/London","week":{"mon":[["09:00","17:00"]]}},
	  {"name":"customer","time_zone":"America/New_York","week":{"mon":[["09:00","17:00"]]}}
	]`))
	require.NoError(t, err)
	assert.Equal(t, []string{"customer", "team"}, set.Names())
	assert.Equal(t, 2, set.Len())
	c, ok := set.Get("team")
	require.True(t, ok)
	assert.Equal(t, "Europe/London", c.Location().String())
	_, err = set.Lookup("nope")
	assert.ErrorIs(t, err, ErrUnknownCalendar)

	team, _ := set.Get("team")
	cust, _ := set.Get("customer")
	both, err := Intersect(team, cust)
	require.NoError(t, err)
	set2, err := set.With(both)
	require.NoError(t, err)
	_, ok = set2.Get("team ∩ customer")
	assert.True(t, ok)
	_, err = set2.With(team)
	var pe *PathError
	require.True(t, errors.As(err, &pe))
	assert.Contains(t, pe.Error(), "duplicate calendar name")

	for doc, path := range map[string]string{
		`[{"name":"a","time_zone":"UTC"},{"name":"a","time_zone":"UTC"}]`: "$[1].name",
		`[{"time_zone":"UTC"}]`: "$[0].name",
		`[{"name":"a","time_zone":"UTC"},{"name":"b","time_zone":"UTC","week":{"x":1}}]`: "$[1].week.x",
		`[{"name":"a","time_zone":"UTC"},{"name":"b","time_zone":"Nowhere/Land"}]`:       "$[1].time_zone",
		`{"name":"a"}`: "$",
	} {
		_, err := ParseCalendars([]byte(doc))
		require.True(t, errors.As(err, &pe), doc)
		assert.Equal(t, path, pe.Path, doc)
	}
}

func TestCalendarsComposedByName(t *testing.T) {
	doc := `[
	  {"name":"both","intersect":["team","customer"]},
	  {"name":"team","time_zone":"Europe/London","week":{"tue":[["09:00","17:00"]]}},
	  {"name":"customer","time_zone":"America/New_York","week":{"tue":[["09:00","17:00"]]}},
	  {"name":"either","union":["team","customer","both"]}
	]`
	set, err := ParseCalendars([]byte(doc))
	require.NoError(t, err)
	both, err := set.Lookup("both")
	require.NoError(t, err)
	assert.Equal(t, "both", both.Name())
	assert.Equal(t, "Europe/London", both.Location().String())
	lon := both.Location()
	d, err := both.Between(time.Date(2024, 1, 16, 0, 0, 0, 0, lon), time.Date(2024, 1, 17, 0, 0, 0, 0, lon))
	require.NoError(t, err)
	assert.Equal(t, 3*time.Hour, d)
	either, _ := set.Get("either")
	d, err = either.Between(time.Date(2024, 1, 16, 0, 0, 0, 0, lon), time.Date(2024, 1, 17, 0, 0, 0, 0, lon))
	require.NoError(t, err)
	assert.Equal(t, 13*time.Hour, d)
	team, _ := set.Get("team")
	assert.Equal(t, "team", team.Name(), "operands keep their names")

	// The set writes itself back as the same document.
	out, err := json.Marshal(set)
	require.NoError(t, err)
	again, err := ParseCalendars(out)
	require.NoError(t, err)
	out2, err := json.Marshal(again)
	require.NoError(t, err)
	assert.JSONEq(t, string(out), string(out2))
	x, err := Intersect(team, both)
	require.NoError(t, err)
	withGo, err := set.With(x)
	require.NoError(t, err)
	_, err = json.Marshal(withGo)
	assert.Error(t, err, "a Go-composed calendar has no spec")

	bad := []struct{ doc, path, msg string }{
		{`[{"name":"a","intersect":["a","b"]},{"name":"b","time_zone":"UTC"}]`, "$[0].intersect[0]", "compose itself"},
		{`[{"name":"a","intersect":["b","nope"]},{"name":"b","time_zone":"UTC"}]`, "$[0].intersect[1]", "unknown calendar"},
		{`[{"name":"a","intersect":["b","c"]},{"name":"b","union":["a","c"]},{"name":"c","time_zone":"UTC"}]`, "$[1].union[0]", "cycle"},
		{`[{"name":"a","intersect":["b"]},{"name":"b","time_zone":"UTC"}]`, "$[0].intersect", "at least two"},
		{`[{"name":"a","time_zone":"UTC","intersect":["b","c"]},{"name":"b","time_zone":"UTC"},{"name":"c","time_zone":"UTC"}]`, "$[0]", "only a name"},
		{`[{"name":"a","intersect":["b","c"],"union":["b","c"]},{"name":"b","time_zone":"UTC"},{"name":"c","time_zone":"UTC"}]`, "$[0].union", "both intersect and unite"},
		{`[{"name":"a","intersect":["b","c"]},{"name":"b","time_zone":"UTC"},{"name":"c","time_zone":"UTC","last_year":2100}]`, "$[0].intersect[1]", "supported years"},
	}
	for _, tc := range bad {
		_, err := ParseCalendars([]byte(tc.doc))
		var pe *PathError
		require.True(t, errors.As(err, &pe), tc.doc)
		assert.Equal(t, tc.path, pe.Path, tc.doc)
		assert.Contains(t, err.Error(), tc.msg, tc.doc)
	}
	_, err = ParseCalendar([]byte(`{"name":"a","union":["b","c"]}`))
	var pe *PathError
	require.True(t, errors.As(err, &pe))
	assert.Equal(t, "$.union", pe.Path)
}

// TestCalendarHolidayRanges: a range closes each of its dates, whole or
// in part, as the same entry repeated would.
func TestCalendarHolidayRanges(t *testing.T) {
	ranged := mustCal(t, `{"name":"r","time_zone":"Asia/Shanghai",`+cnWeekdays+`,
	  "holidays":[{"date":"2026-02-15..2026-02-23","name":"Spring Festival"},
	              {"date":"2026-12-21..2026-12-24","closed":[["13:30","18:00"]]}]}`)
	var listed []string
	for d := time.Date(2026, 2, 15, 0, 0, 0, 0, time.UTC); !d.After(time.Date(2026, 2, 23, 0, 0, 0, 0, time.UTC)); d = d.AddDate(0, 0, 1) {
		listed = append(listed, `{"date":"`+d.Format("2006-01-02")+`"}`)
	}
	for d := 21; d <= 24; d++ {
		listed = append(listed, fmt.Sprintf(`{"date":"2026-12-%d","closed":[["13:30","18:00"]]}`, d))
	}
	one := mustCal(t, `{"name":"r","time_zone":"Asia/Shanghai",`+cnWeekdays+`,"holidays":[`+strings.Join(listed, ",")+`]}`)
	loc := ranged.Location()
	for d := time.Date(2026, 1, 1, 0, 0, 0, 0, loc); d.Year() == 2026; d = d.AddDate(0, 0, 1) {
		a, err := ranged.Between(d, d.AddDate(0, 0, 1))
		require.NoError(t, err)
		b, err := one.Between(d, d.AddDate(0, 0, 1))
		require.NoError(t, err)
		require.Equal(t, b, a, d.Format("2006-01-02"))
	}
	assert.False(t, ranged.IsWorkingDay(time.Date(2026, 2, 23, 12, 0, 0, 0, loc)), "both ends are included")
	assert.True(t, ranged.IsWorkingDay(time.Date(2026, 2, 24, 12, 0, 0, 0, loc)))
	h, err := ranged.Between(time.Date(2026, 12, 22, 0, 0, 0, 0, loc), time.Date(2026, 12, 23, 0, 0, 0, 0, loc))
	require.NoError(t, err)
	assert.Equal(t, 3*time.Hour, h, "a ranged part-day closure")
	// A range round-trips as written.
	spec, ok := ranged.Spec()
	require.True(t, ok)
	data, err := json.Marshal(spec)
	require.NoError(t, err)
	assert.Contains(t, string(data), `"date":"2026-02-15..2026-02-23"`)
	back, err := ParseCalendarSpec(data)
	require.NoError(t, err)
	assert.Equal(t, spec, back)
}

// TestCalendarExtraDayDefaultHours: an extra working day without hours
// takes the make-up hours: those of make_up_hours_from's weekday, else of
// the first weekday, Monday to Sunday, with hours.
func TestCalendarExtraDayDefaultHours(t *testing.T) {
	cases := []struct {
		name, week, extra string
		want              time.Duration
		open, closed      string // wall times on the extra day
	}{
		{"Monday's hours, with lunch", cnWeekdays, "", 7*time.Hour + 30*time.Minute, "17:59", "12:30"},
		{"named weekday", `"week":{"mon":[["09:00","18:00"]],"fri":[["09:00","15:00"]]}`, `,"make_up_hours_from":"fri"`, 6 * time.Hour, "14:59", "15:00"},
		{"first weekday with hours", `"week":{"wed":[["08:00","20:00"]],"sun":[["10:00","11:00"]]}`, "", 12 * time.Hour, "19:00", "07:59"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			c := mustCal(t, `{"name":"x","time_zone":"Asia/Shanghai",`+tc.week+tc.extra+`,"extra_working_days":[{"date":"2024-09-28","name":"make-up Saturday"}]}`)
			got, err := c.Between(sh(t, "2024-09-28 00:00"), sh(t, "2024-09-29 00:00"))
			require.NoError(t, err)
			assert.Equal(t, tc.want, got)
			assert.True(t, c.IsOpen(sh(t, "2024-09-28 "+tc.open)))
			assert.False(t, c.IsOpen(sh(t, "2024-09-28 "+tc.closed)))
		})
	}
	// Written back without hours, and read back the same.
	c := mustCal(t, `{"name":"x","time_zone":"UTC",`+cnWeekdays+`,"extra_working_days":[{"date":"2024-09-28"}]}`)
	spec, _ := c.Spec()
	data, err := json.Marshal(spec)
	require.NoError(t, err)
	assert.Contains(t, string(data), `"extra_working_days":[{"date":"2024-09-28"}]`)
}
