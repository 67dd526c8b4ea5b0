package sla

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// shortcutCals are calendars with holidays, make-up days, a lunch break,
// DST and hours across midnight, for the evaluation's calendar shortcuts.
func shortcutCals(t *testing.T) []*Calendar {
	nine := []Hours{{"09:00", "17:00"}}
	london, err := NewCalendar(CalendarSpec{Name: "london", TimeZone: "Europe/London",
		Week: WeekHours{Mon: nine, Tue: nine, Wed: nine, Thu: nine, Fri: nine}})
	require.NoError(t, err)
	night := []Hours{{"00:00", "02:30"}, {"22:00", "24:00"}}
	ny, err := NewCalendar(CalendarSpec{Name: "night", TimeZone: "America/New_York",
		Week: WeekHours{Mon: night, Tue: night, Sat: night, Sun: night}})
	require.NoError(t, err)
	return []*Calendar{cnCal(t, ""), london, ny}
}

// TestCalPosAddIn checks calPos.addIn, the instant of a threshold on the
// day of the last position looked up, against Calendar.addPos.
func TestCalPosAddIn(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 15))
	for _, cal := range shortcutCals(t) {
		base := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
		hits := 0
		for range 20000 {
			c := newCalPos(cal, false)
			b := time.Unix(base+rng.Int64N(3*365*86400), 0)
			if rng.IntN(4) == 0 {
				b = b.Truncate(time.Hour)
			}
			a := b.Add(-time.Duration(rng.Int64N(3 * 86400 * 1e9)))
			if rng.IntN(2) == 0 {
				a = a.Truncate(30 * time.Minute) // (thresholds at closing times)
			}
			pa, ok := c.at(a)
			require.True(t, ok)
			_, ok = c.at(b)
			require.True(t, ok)
			d := time.Duration(1 + rng.Int64N(30*3600*1e9))
			if rng.IntN(3) == 0 {
				d = d.Truncate(15 * time.Minute)
				if d == 0 {
					d = time.Minute
				}
			}
			got, ok := c.addIn(pa, d)
			if !ok {
				continue
			}
			hits++
			want, err := cal.addPos(pa, d)
			require.NoError(t, err)
			require.Equal(t, want, got, "%s: %s + %s (day of %s)", cal.Name(), a, d, b)
		}
		require.Greater(t, hits, 1000, cal.Name())
	}
}

// TestWorkDayClose checks the working-day shortcuts of baseTotal and
// offsetAlertPos against addWorkingDaysPos: a deadline n working days after
// a start closes the (sdIdx+n)-th working day (sim.startDay, found from the
// start's day a calPos remembers or by a search), which a walk of n working
// days from day 0 reaches too (dayWalk.closeAfter); k working days before
// that deadline closes the (sdIdx+n-k)-th, and k working days before a
// position on the start's working day closes a day before the start. A
// walk past the end of the range says so, and a working day comes after
// another when there is open time before it (the shortcuts' test for
// one working day before).
func TestWorkDayClose(t *testing.T) {
	rng := rand.New(rand.NewPCG(15, 7))
	for _, cal := range shortcutCals(t) {
		from, to := cal.Range()
		span := to.Unix() - from.Unix()
		walks, fast, ends := 0, 0, 0
		for i := range 5000 {
			var x sim
			c := newCalPos(cal, false)
			x.start = time.Unix(from.Unix()+rng.Int64N(span), 0)
			if i%8 == 1 {
				// Near the end of the range, where a walk meets it.
				x.start = time.Unix(to.Unix()-rng.Int64N(20*86400), 0)
			}
			if i%2 == 0 {
				x.start = x.start.Truncate(time.Hour)
			}
			if i%4 == 0 {
				// The calPos remembers the start's position but another
				// day: startDay searches.
				_, ok := c.at(x.start)
				require.True(t, ok)
				_, ok = c.at(time.Unix(from.Unix()+rng.Int64N(span), 0))
				require.True(t, ok)
			}
			p, ok := x.startPos(&c)
			require.True(t, ok)
			if p >= cal.total {
				continue
			}
			if _, ok := c.dayOf(cal, x.start.Unix()); ok {
				fast++
			}
			n := rng.IntN(12)
			want, err := cal.addWorkingDaysPos(p, n)
			x.startDay(&c, cal, p)
			require.True(t, x.pos.sdCum <= p && p < x.pos.sdCum+x.pos.sdOpen)
			day0, _ := cal.findDay(p, false)
			require.Equal(t, dayWalk{d: day0.d, k: day0.k, exc: day0.exc, wd: int8(weekdayOf(day0.d)), sh: day0.sh, cum: x.pos.sdCum}, x.pos.sdDay)
			sdIdx := x.pos.sdIndex(cal)
			require.Equal(t, cal.workBefore(day0)+1, sdIdx)
			require.Equal(t, sdIdx > 1, x.pos.sdCum > 0, "%s: working day %d, open time %d before it", cal.Name(), sdIdx, x.pos.sdCum)
			idx := sdIdx + int32(n)
			if idx > cal.totalWork {
				require.Error(t, err) // (baseTotal's error too)
				if n <= maxWalkDays {
					ends++
					_, _, ok := x.pos.sdDay.closeAfter(cal, n)
					require.False(t, ok, "%s: walk %d + %d working days past the range", cal.Name(), p, n)
				}
				continue
			}
			require.NoError(t, err)
			end, open := cal.workDayClose(idx)
			require.Equal(t, want, end, "%s: %d + %d working days", cal.Name(), p, n)
			if n <= maxWalkDays {
				walks++
				wend, wopen, ok := x.pos.sdDay.closeAfter(cal, n)
				require.True(t, ok)
				require.Equal(t, [2]int64{end, open}, [2]int64{wend, wopen}, "%s: walk %d + %d working days", cal.Name(), p, n)
			}
			x.pos.wdCal, x.pos.wdEnd, x.pos.wdOpen = cal, end, open
			require.Equal(t, idx, x.pos.wdIndex(cal), "%s: working day closing at %d", cal.Name(), end)
			require.Equal(t, idx > 1, end-open > 0, "%s: working day %d, open time %d before it", cal.Name(), idx, end-open)
			k := 1 + rng.IntN(12)
			if idx-int32(k) >= 1 {
				back, err := cal.addWorkingDaysPos(want, -k)
				require.NoError(t, err)
				prev, _ := cal.workDayClose(idx - int32(k))
				require.Equal(t, back, prev, "%s: %d - %d working days", cal.Name(), want, k)
			}
			if idx > 1 {
				back, err := cal.addWorkingDaysPos(want, -1)
				require.NoError(t, err)
				require.Equal(t, back, end-open, "%s: %d - 1 working day", cal.Name(), want)
			}
			base := x.pos.sdCum + 1 + rng.Int64N(x.pos.sdOpen)
			back, err := cal.addWorkingDaysPos(base, -k)
			if sdIdx-int32(k) < 1 {
				require.Error(t, err)
				continue
			}
			require.NoError(t, err)
			require.LessOrEqual(t, back, x.pos.sdCum, "%s: %d - %d working days", cal.Name(), base, k)
		}
		require.Greater(t, walks, 1000, cal.Name())
		require.Greater(t, ends, 10, cal.Name())
		require.True(t, fast > 1000 && fast < 4500, "%s: %d from the calPos's day", cal.Name(), fast)
	}
}
