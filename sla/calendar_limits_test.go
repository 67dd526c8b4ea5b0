package sla

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/closeloop/closeloop/internal/memtest"
)

const week7 = `"week":{"mon":[["09:00","17:00"]],"tue":[["09:00","17:00"]],"wed":[["09:00","17:00"]],"thu":[["09:00","17:00"]],` +
	`"fri":[["09:00","17:00"]],"sat":[["09:00","17:00"]],"sun":[["09:00","17:00"]]}`

// denseRanges is the costliest calendar the limits allow per input byte:
// open every day over the widest span of years, every date of it in a
// holiday range (a part-day closure, so that each date differs from the
// week), in a zone with DST.
func denseRanges(name string) string {
	var sb strings.Builder
	fmt.Fprintf(&sb, `{"name":%q,"time_zone":"America/New_York",%s,"first_year":2000,"last_year":2279,"holidays":[`, name, week7)
	d := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC)
	end := time.Date(2280, 1, 1, 0, 0, 0, 0, time.UTC)
	for n := 0; d.Before(end); n++ {
		e := d.AddDate(0, 0, MaxRangeDays-1)
		if !e.Before(end) {
			e = end.AddDate(0, 0, -1)
		}
		if n > 0 {
			sb.WriteString(",")
		}
		fmt.Fprintf(&sb, `{"date":"%s..%s","closed":[["10:00","11:00"]]}`, d.Format("2006-01-02"), e.Format("2006-01-02"))
		d = e.AddDate(0, 0, 1)
	}
	sb.WriteString("]}")
	return sb.String()
}

func TestCalendarLimits(t *testing.T) {
	list := func(n int, item string) string { return strings.TrimSuffix(strings.Repeat(item+",", n), ",") }
	days := func(n int, f func(d string) string) string {
		var parts []string
		for i := range n {
			parts = append(parts, f(time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i).Format("2006-01-02")))
		}
		return strings.Join(parts, ",")
	}
	stretches := func(n int) string {
		var parts []string
		for i := range n {
			parts = append(parts, fmt.Sprintf(`["%02d:%02d","%02d:%02d"]`, i/4, i%4*15, i/4, i%4*15+10))
		}
		return "[" + strings.Join(parts, ",") + "]"
	}
	sets := PublicHolidaySets()
	cases := []struct {
		name, doc, path string
		set             bool // a ParseCalendars document
	}{
		{"document size", `{"time_zone":"UTC","name":"` + strings.Repeat("x", MaxCalendarBytes) + `"}`, "$", false},
		{"set document size", `[{"time_zone":"UTC","name":"` + strings.Repeat("x", MaxCalendarsBytes) + `"}]`, "$", true},
		{"calendars in a set", "[" + list(MaxCalendarsInSet+1, `{"name":"a","time_zone":"UTC"}`) + "]", "$", true},
		{"holidays", `{"time_zone":"UTC","holidays":[` + days(MaxHolidays+1, func(d string) string { return `{"date":"` + d + `"}` }) + `]}`, "$.holidays", false},
		{"extra working days", `{"time_zone":"UTC","week":{"mon":[["09:00","17:00"]]},"extra_working_days":[` +
			days(MaxExtraWorkingDays+1, func(d string) string { return `{"date":"` + d + `"}` }) + `]}`, "$.extra_working_days", false},
		{"range span", `{"time_zone":"UTC","holidays":[{"date":"2024-01-01..2025-01-01"}]}`, "$.holidays[0].date", false},
		{"stretches of a weekday", `{"time_zone":"UTC","week":{"tue":` + stretches(MaxStretchesPerDay+1) + `}}`, "$.week.tue", false},
		{"stretches of a closure", `{"time_zone":"UTC","holidays":[{"date":"2024-01-01","closed":` + stretches(MaxStretchesPerDay+1) + `}]}`, "$.holidays[0].closed", false},
		{"public holiday sets", `{"time_zone":"UTC","public_holidays":["` + strings.Join(sets[:MaxPublicHolidaySets+1], `","`) + `"]}`, "$.public_holidays", false},
		{"ics size", `{"time_zone":"UTC","ics":"` + strings.Repeat("x", MaxICSBytes+1) + `"}`, "$.ics", false},
		{"composition", `[{"name":"a","time_zone":"UTC"},{"name":"b","union":[` + list(MaxComposed+1, `"a"`) + `]}]`, "$[1].union", true},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var err error
			if tc.set {
				_, err = ParseCalendars([]byte(tc.doc))
			} else {
				_, err = ParseCalendar([]byte(tc.doc))
			}
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrLimit)
			var pe *PathError
			require.True(t, errors.As(err, &pe), "%T %v", err, err)
			assert.Equal(t, tc.path, pe.Path, err.Error())
		})
	}
	// Exactly at the limits is accepted.
	for name, doc := range map[string]string{
		"range of MaxRangeDays": `{"time_zone":"UTC","holidays":[{"date":"2024-01-01..2024-12-31"}]}`,
		"MaxStretchesPerDay":    `{"time_zone":"UTC","week":{"tue":` + stretches(MaxStretchesPerDay) + `}}`,
		"MaxPublicHolidaySets":  `{"time_zone":"UTC","public_holidays":["` + strings.Join(sets[:MaxPublicHolidaySets], `","`) + `"],"first_year":2024,"last_year":2026}`,
	} {
		_, err := ParseCalendar([]byte(doc))
		assert.NoError(t, err, name)
	}
	// ParseCalendarSpec and CompileCalendars check the same.
	_, err := ParseCalendarSpec([]byte(cases[0].doc))
	assert.ErrorIs(t, err, ErrLimit)
	_, err = CompileCalendars(make([]CalendarSpec, MaxCalendarsInSet+1))
	assert.ErrorIs(t, err, ErrLimit)
}

// TestCalendarLimitsBeforeAllocating: a refused size, count or range
// costs next to nothing: the limit is checked before the work it bounds.
func TestCalendarLimitsBeforeAllocating(t *testing.T) {
	big := []byte(`{"time_zone":"UTC","name":"` + strings.Repeat("x", MaxCalendarsBytes) + `"}`)
	bigSet := append(append([]byte("["), big...), ']')
	many := make([]HolidaySpec, MaxHolidays+1)
	for name, f := range map[string]func() error{
		"ParseCalendar size":  func() error { _, err := ParseCalendar(big); return err },
		"ParseCalendars size": func() error { _, err := ParseCalendars(bigSet); return err },
		"range span": func() error {
			_, err := NewCalendar(CalendarSpec{TimeZone: "UTC", FirstYear: 2000, LastYear: 2279, Holidays: []HolidaySpec{{Date: "2000-01-01..2279-12-31"}}})
			return err
		},
		"holidays count": func() error {
			_, err := NewCalendar(CalendarSpec{TimeZone: "UTC", Holidays: many})
			return err
		},
	} {
		var err error
		n := memtest.Allocated(func() { err = f() })
		require.ErrorIs(t, err, ErrLimit, name)
		assert.Less(t, n, uint64(64<<10), "%s: %d bytes allocated before refusing", name, n)
	}
}

// TestCalendarDecoderAllocationCeilings feeds each calendar decoder the
// worst inputs its limits allow and asserts a ceiling on what it
// allocates (garbage included). The figures in the package documentation
// ("Limits") come from here.
func TestCalendarDecoderAllocationCeilings(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation figures differ under the race detector")
	}
	icsDaily := "BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART:20000101T100000Z\r\nDTEND:20000101T110000Z\r\nRRULE:FREQ=DAILY;COUNT=49000\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"
	icsRunaway := strings.Replace(icsDaily, ";COUNT=49000", "", 1)
	var stretchy strings.Builder // every extra working day with the most stretches, up to the size limit
	stretchy.WriteString(`{"time_zone":"Europe/London",` + week7 + `,"first_year":2000,"last_year":2279,"extra_working_days":[`)
	for i := 0; stretchy.Len() < MaxCalendarBytes-2000; i++ {
		if i > 0 {
			stretchy.WriteString(",")
		}
		var hs []string
		for k := range MaxStretchesPerDay {
			hs = append(hs, fmt.Sprintf(`["%02d:%02d","%02d:%02d"]`, k/2, k%2*30, k/2, k%2*30+20))
		}
		fmt.Fprintf(&stretchy, `{"date":"%s","hours":[%s]}`, time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC).AddDate(0, 0, i).Format("2006-01-02"), strings.Join(hs, ","))
	}
	stretchy.WriteString("]}")
	var set []string
	for i := 0; ; i++ {
		c := denseRanges(fmt.Sprintf("c%d", i))
		if (len(set)+1)*(len(c)+1) > MaxCalendarsBytes {
			break
		}
		set = append(set, c)
	}
	cases := []struct {
		name    string
		doc     string
		set     bool
		ceiling uint64
		refused bool
	}{
		{"dense holiday ranges, 280 years", denseRanges("x"), false, 32 << 20, false},
		{"public holiday sets, 280 years", `{"time_zone":"America/New_York",` + week7 + `,"first_year":2000,"last_year":2279,"public_holidays":["` +
			strings.Join([]string{"US", "GB", "DE-BY", "FR", "JP", "AU-NSW", "CA", "CH-ZH"}, `","`) + `"]}`, false, 32 << 20, false},
		{"ics daily rule, 49 000 occurrences", fmt.Sprintf(`{"time_zone":"UTC",%s,"first_year":2000,"last_year":2279,"ics":%q}`, week7, icsDaily), false, 32 << 20, false},
		{"ics runaway rule", fmt.Sprintf(`{"time_zone":"UTC",%s,"first_year":2000,"last_year":2279,"ics":%q}`, week7, icsRunaway), false, 32 << 20, true},
		{"most stretches, 1 MiB", stretchy.String(), false, 48 << 20, false},
		{"set of dense calendars, 4 MiB", "[" + strings.Join(set, ",") + "]", true, 320 << 20, true},
	}
	for _, tc := range cases {
		var err error
		n := memtest.Allocated(func() {
			if tc.set {
				_, err = ParseCalendars([]byte(tc.doc))
			} else {
				_, err = ParseCalendar([]byte(tc.doc))
			}
		})
		if tc.refused {
			var pe *PathError
			require.True(t, errors.As(err, &pe), "%s: %v", tc.name, err)
		} else {
			require.NoError(t, err, tc.name)
		}
		t.Logf("%-40s %8d bytes in, %10d allocated, %7.0f per input byte", tc.name, len(tc.doc), n, float64(n)/float64(len(tc.doc)))
		assert.LessOrEqual(t, n, tc.ceiling, tc.name)
	}
}
