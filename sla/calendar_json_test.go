package sla

import (
	"encoding/json"
	"errors"
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
		{"extra without hours", `{"time_zone":"UTC","extra_working_days":[{"date":"2024-09-29","hours":[]}]}`, "$.extra_working_days[0].hours", "needs open hours", nil},
		{"extra on a holiday", `{"time_zone":"UTC","holidays":[{"date":"2024-09-29"}],"extra_working_days":[{"date":"2024-09-29","hours":[["09:00","10:00"]]}]}`, "$.extra_working_days[0].date", "also a whole-day holiday", nil},
		{"unknown holiday set", `{"time_zone":"UTC","public_holidays":["US","XX"]}`, "$.public_holidays[1]", "unknown public holiday set", nil},
		{"holiday set twice", `{"time_zone":"UTC","public_holidays":["us","US"]}`, "$.public_holidays[1]", "listed twice", nil},
		{"years inverted", `{"time_zone":"UTC","first_year":2030,"last_year":2020}`, "$.last_year", "before first year", nil},
		{"years too wide", `{"time_zone":"UTC","first_year":1900,"last_year":2399}`, "$.last_year", "more than", nil},
		{"year too small", `{"time_zone":"UTC","first_year":1000}`, "$.first_year", "outside", nil},
		{"bad ics", `{"time_zone":"UTC","ics":"BEGIN:VCALENDAR\nEND:VEVENT\n"}`, "$.ics", "bad iCalendar", ErrICS},
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
