package feedback_test

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/closeloop/closeloop/feedback"
	"github.com/closeloop/closeloop/sla"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/closeloop/closeloop/internal/memtest"
)

// rulesJoined is n items built by item(i), comma-separated.
func rulesJoined(n int, item func(i int) string) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(item(i))
	}
	return b.String()
}

// rulesWeek is open 09:00-17:00 every day of the week.
const rulesWeek = `"week":{"mon":[["09:00","17:00"]],"tue":[["09:00","17:00"]],"wed":[["09:00","17:00"]],"thu":[["09:00","17:00"]],` +
	`"fri":[["09:00","17:00"]],"sat":[["09:00","17:00"]],"sun":[["09:00","17:00"]]}`

// pausingStates is a lifecycle extension of n states reached from
// in_progress and left for resolved, each pausing the metrics named
// metrics (a JSON list).
func pausingStates(n int, metrics string) string {
	name := func(i int) string { return "s" + strconv.Itoa(i) }
	return `"lifecycle":{"states":[` + rulesJoined(n, func(i int) string { return `{"name":"` + name(i) + `","pauses":` + metrics + `}` }) +
		`],"transitions":[` + rulesJoined(n, func(i int) string {
		return `{"from":["in_progress"],"trigger":"to_` + name(i) + `","to":"` + name(i) + `"},{"from":["` + name(i) + `"],"trigger":"resolve","to":"resolved","guards":["resolution_given"]}`
	}) + `]}`
}

// denseCalendar is open every day of 280 years, every date in a holiday
// range closing one hour (sla's costliest calendar per input byte).
func denseCalendar(name string) string {
	var b strings.Builder
	b.WriteString(`{"name":"` + name + `","time_zone":"America/New_York",` + rulesWeek + `,"first_year":2000,"last_year":2279,"holidays":[`)
	end := time.Date(2280, 1, 1, 0, 0, 0, 0, time.UTC)
	for d := time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC); d.Before(end); {
		e := d.AddDate(0, 0, sla.MaxRangeDays-1)
		if !e.Before(end) {
			e = end.AddDate(0, 0, -1)
		}
		if b.String()[b.Len()-1] != '[' {
			b.WriteByte(',')
		}
		b.WriteString(`{"date":"` + d.Format("2006-01-02") + `..` + e.Format("2006-01-02") + `","closed":[["10:00","11:00"]]}`)
		d = e.AddDate(0, 0, 1)
	}
	b.WriteString(`]}`)
	return b.String()
}

// TestParseRulesMemory feeds ParseRules the inputs that cost it the most
// memory per byte and asserts a ceiling of rulesAllowance + rulesPerByte
// bytes allocated (garbage included) per input byte, plus, for
// calendars, a fixed cost per calendar.
//
// A rules document compiles each section with its package's decoder,
// whose own tests bound it (sla policies and calendars, compensation
// policies, priority, intake); what is the rules document's own is the
// default lifecycle (a fixed cost), the compensation policies by name and
// the lifecycle's pause states, which compileSLA copies into every
// metric they pause before the policy set is compiled and fingerprinted:
// 51 added states (the most: the default lifecycle has 13, a set 64) pausing "resolution" make every policy whose metric
// is named so cost ~60 bytes more per state.
//
// A calendar costs its tables, whatever its text: ~130 KB for the
// default span of years, ~160 KB for 280 years open every day in a zone
// with DST, ~28 MB for 280 years with every date in a holiday range (18 KB
// of JSON: 1,580 bytes per input byte, sla's own figure). That is bounded
// per calendar, by kind; a set holds at most sla.MaxCalendarsInSet (256)
// and is refused past sla's exception days (16 dense calendars: refused
// after ~306 MB, under the 320 MiB sla's test allows its set).
func TestParseRulesMemory(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation figures differ under the race detector")
	}
	const (
		rulesPerByte   = 64
		rulesAllowance = 256 << 10 // the default lifecycle and the section compilers' tables
		// Fixed costs per calendar, what its tables take whatever its
		// text: the default span of years (~130 KB measured), 280 years
		// (~160 KB), and 280 years with every date in a holiday range,
		// sla's costliest calendar (~28 MB for 18 KB of JSON; sla's
		// TestCalendarDecoderAllocationCeilings bounds it at 32 MiB).
		smallCalendar = 256 << 10
		wideCalendar  = 512 << 10
		denseCost     = 32 << 20
	)
	// Documents of 0.2 to 0.8 MB by default; close to closeloop.MaxSize
	// (8 MiB) in full.
	scale := 1
	if fullSize() {
		scale = 10
	}
	preset, err := feedback.PresetRulesJSON()
	require.NoError(t, err)
	var doc map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(preset, &doc))
	var presetPolicies []json.RawMessage
	require.NoError(t, json.Unmarshal(doc["compensation"], &presetPolicies))
	name := func(i int) string { return strconv.FormatInt(int64(i), 36) }
	slaPolicies := func(n int) string {
		return `"sla":{"policies":[` + rulesJoined(n, func(i int) string {
			return `{"name":"` + name(i) + `","metrics":[{"kind":"resolution","targets":{"*":{"unit":"elapsed","duration":"1h"}}}]}`
		}) + `]}`
	}
	// Above issue 17's aim of 64 bytes per input byte, reported there:
	// compileSLA appends the pause states to each metric's pause_in one
	// by one (51 appends grow the list six times, ~2 KB of garbage per
	// metric), and sla's compiler appends a policy's compiled metrics
	// (592 bytes each) one by one too, so policies of one metric paused
	// in 51 states cost ~66 bytes per input byte and policies of 20 such
	// metrics ~77. Linear (a set has at most 64 states) but above the aim;
	// sizing both lists at once would save about a third. These two cases
	// have the ceiling pauseCeiling until then.
	const pauseCeiling = 96
	cases := []struct {
		name    string
		doc     string
		fixed   uint64 // the calendars' fixed costs
		refused bool
		perByte float64
		full    bool // only with CLOSELOOP_FULL=1: takes seconds
	}{
		{"preset rules", string(preset), 2 * smallCalendar, false, rulesPerByte, false},
		{"preset compensation policies, renamed", `{"version":"1","compensation":[` + rulesJoined(scale*60, func(i int) string {
			p := presetPolicies[i%len(presetPolicies)]
			var m map[string]json.RawMessage
			require.NoError(t, json.Unmarshal(p, &m))
			m["name"] = json.RawMessage(`"` + name(i) + `"`)
			b, err := json.Marshal(m)
			require.NoError(t, err)
			return string(b)
		}) + `]}`, 0, false, rulesPerByte, false},
		{"smallest compensation policies", `{"version":"1","compensation":[` + rulesJoined(scale*2000, func(i int) string {
			return `{"name":"` + name(i) + `","currency":"CNY","rounding":"up","schedules":[{"name":"s","measure":{"kind":"number","input":"x"},` +
				`"bands":[{"name":"b","range":"[0, inf)","options":[]}]}]}`
		}) + `]}`, 0, false, rulesPerByte, false},
		{"smallest sla policies", `{"version":"1",` + slaPolicies(min(scale*3000, sla.MaxCompiledMetrics)) + `}`, 0, false, rulesPerByte, false},
		{"sla policies paused in 51 states", `{"version":"1",` + pausingStates(51, `["resolution"]`) + `,` + slaPolicies(min(scale*3000, sla.MaxCompiledMetrics)) + `}`, 0, false, pauseCeiling, false},
		{"sla metrics paused in 51 states", `{"version":"1",` + pausingStates(51, `["`+strings.Join(strings.Split("abcdefghijklmnopqrst", ""), `","`)+`"]`) +
			`,"sla":{"policies":[` + rulesJoined(min(scale*150, sla.MaxCompiledMetrics/20), func(i int) string {
			return `{"name":"` + name(i) + `","metrics":[` + rulesJoined(20, func(j int) string {
				return `{"name":"` + string(rune('a'+j)) + `","kind":"first_response","targets":{"*":{"unit":"elapsed","duration":"1h"}}}`
			}) + `]}`
		}) + `]}}`, 0, false, pauseCeiling, false},
		{"lifecycle pauses", `{"version":"1","lifecycle":{"pauses":{"waiting_customer":[` + strings.Repeat(`"x",`, scale*150000) + `"x"]}}}`, 0, false, rulesPerByte, false},
		{"repeated lifecycle guards", `{"version":"1","lifecycle":{"transitions":[{"from":["in_progress"],"trigger":"t","to":"resolved","guards":[` +
			strings.Repeat(`"note_given",`, scale*50000) + `"note_given"]}]}}`, 0, true, rulesPerByte, false},
		{"lifecycle events", `{"version":"1","lifecycle":{"events":{"respond":[` + strings.Repeat(`"x",`, scale*150000) + `"x"]}}}`, 0, false, rulesPerByte, false},
		{"default-span calendars", `{"version":"1","calendars":[` + rulesJoined(sla.MaxCalendarsInSet, func(i int) string {
			return `{"name":"` + name(i) + `","time_zone":"America/New_York",` + rulesWeek + `}`
		}) + `]}`, sla.MaxCalendarsInSet * smallCalendar, false, rulesPerByte, false},
		{"280-year calendars", `{"version":"1","calendars":[` + rulesJoined(sla.MaxCalendarsInSet, func(i int) string {
			return `{"name":"` + name(i) + `","time_zone":"America/New_York",` + rulesWeek + `,"first_year":2000,"last_year":2279}`
		}) + `]}`, sla.MaxCalendarsInSet * wideCalendar, false, rulesPerByte, true},
		{"one dense calendar", `{"version":"1","calendars":[` + denseCalendar("d") + `]}`, denseCost, false, rulesPerByte, false},
		{"dense calendars", `{"version":"1","calendars":[` + rulesJoined(8, func(i int) string { return denseCalendar(name(i)) }) + `]}`, 8 * denseCost, false, rulesPerByte, true},
		{"too many dense calendars", `{"version":"1","calendars":[` + rulesJoined(16, func(i int) string { return denseCalendar(name(i)) }) + `]}`, 16 * denseCost, true, rulesPerByte, true},
		{"long version", `{"version":"` + strings.Repeat(`\u00e9`, scale*1<<17) + `"}`, 0, false, rulesPerByte, false},
		{"deep nesting", `{"version":"1","sla":` + strings.Repeat("[", scale*1<<19) + `}`, 0, true, rulesPerByte, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			if tc.full && !fullSize() {
				t.Skip("takes seconds: CLOSELOOP_FULL=1 runs it")
			}
			data := []byte(tc.doc)
			var err error
			start := time.Now()
			n := memtest.Allocated(func() { _, err = feedback.ParseRules(data) })
			took := time.Since(start)
			if tc.refused {
				require.Error(t, err)
			} else {
				require.NoError(t, err)
			}
			t.Logf("%8d bytes in, %10d allocated, %5.1f per input byte (%v)", len(data), n, float64(n)/float64(len(data)), took.Round(time.Millisecond))
			assert.LessOrEqual(t, float64(n), rulesAllowance+tc.perByte*float64(len(data))+float64(tc.fixed), "allocation ceiling")
		})
	}
}
