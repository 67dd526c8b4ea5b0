package sla

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestLoadSegsAgainstSampling checks the zone walk against the obvious
// reference: the offset sampled every three hours from 1970 to 2100, with
// each change bisected to the second. Under Go's embedded zone database the
// walk used to stop at the end of the first leap year after the zone's last
// explicit transition.
func TestLoadSegsAgainstSampling(t *testing.T) {
	lo := time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	hi := time.Date(2100, 12, 31, 0, 0, 0, 0, time.UTC).Unix()
	zones := append(append([]string{}, dstZones...), oracleZones...)
	if !fullSize() {
		zones = dstZones[:4]
	}
	for _, name := range zones {
		loc, err := time.LoadLocation(name)
		require.NoError(t, err)
		z := loadSegs(loc, lo, hi)
		wantStart := []int64{}
		var wantOff []int32
		offAt := func(x int64) int32 { _, o := time.Unix(x, 0).In(loc).Zone(); return int32(o) }
		prev := offAt(lo)
		wantOff = append(wantOff, prev)
		const step = 3 * 3600
		for x := lo + step; x <= hi; x += step {
			if o := offAt(x); o != prev {
				c := probeChange(loc, x-step, x)
				wantStart = append(wantStart, c)
				wantOff = append(wantOff, o)
				prev = o
			}
		}
		require.Equal(t, wantOff, z.off, name)
		require.Equal(t, wantStart, z.start[1:], name)
	}
}

// TestCalendarLondonSummer2024 is the reproduction from the reliability
// issue: under the embedded zone database a London Mon–Fri 09–17 calendar
// said 09:30 BST on 2024-07-15 was closed, and 8 hours from 09:00 ended at
// 18:00.
func TestCalendarLondonSummer2024(t *testing.T) {
	nine := []Hours{{"09:00", "17:00"}}
	c, err := NewCalendar(CalendarSpec{Name: "london", TimeZone: "Europe/London",
		Week: WeekHours{Mon: nine, Tue: nine, Wed: nine, Thu: nine, Fri: nine}})
	require.NoError(t, err)
	loc := c.Location()
	assert.True(t, c.IsOpen(time.Date(2024, 7, 15, 9, 30, 0, 0, loc)))
	got, err := c.Add(time.Date(2024, 7, 15, 9, 0, 0, 0, loc), 8*time.Hour)
	require.NoError(t, err)
	assert.Equal(t, time.Date(2024, 7, 15, 17, 0, 0, 0, loc).Unix(), got.Unix())
}
