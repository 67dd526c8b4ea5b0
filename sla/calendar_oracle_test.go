package sla

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/rickar/cal/v2"
	"github.com/stretchr/testify/require"
)

// oracleZones are zones with awkward offset histories: DST on Sundays and
// at midnight, half-hour and 45-minute offsets, a 30-minute DST shift, and a
// skipped date (Pacific/Apia jumped over 2011-12-30).
var oracleZones = []string{
	"UTC", "America/New_York", "Europe/London", "Australia/Lord_Howe", "Asia/Shanghai",
	"America/Santiago", "Pacific/Apia", "Asia/Kolkata", "America/St_Johns", "Pacific/Chatham",
	"America/Havana", "Asia/Tehran",
}

// dstZones are zones with unusual daylight-saving rules, checked to 2100:
// Lord Howe's 30-minute shift, Casablanca's Ramadan suspensions (and its
// negative DST since 2018), Troll's two-hour step, Apia's skipped day and
// later abolished DST, Dublin's negative DST, and southern-hemisphere DST.
var dstZones = []string{
	"Australia/Lord_Howe", "Africa/Casablanca", "Antarctica/Troll", "Pacific/Apia",
	"Europe/Dublin", "Australia/Sydney", "America/Santiago", "Pacific/Auckland",
	"America/New_York", "Europe/London", "Europe/Berlin", "America/Asuncion",
}

// randomSpec builds a random calendar over 2009..2014 at minute granularity.
func randomSpec(rng *rand.Rand) CalendarSpec {
	return randomSpecFrom(rng, oracleZones, 2009)
}

// randomSpecFrom builds a random calendar in one of zones over the six years
// from first, with its dated exceptions in the four middle years.
func randomSpecFrom(rng *rand.Rand, zones []string, first int) CalendarSpec {
	clock := func(m int) string {
		if m == 1440 {
			return "24:00"
		}
		return fmt.Sprintf("%02d:%02d", m/60, m%60)
	}
	hours := func(maxN int) []Hours {
		switch rng.IntN(10) {
		case 0:
			return nil
		case 1:
			return []Hours{{"00:00", "24:00"}}
		case 2:
			a := rng.IntN(4) * 30
			return []Hours{{clock(a), clock(a + 30 + rng.IntN(3)*30)}, {"22:00", "24:00"}}
		}
		n := 1 + rng.IntN(maxN)
		pts := map[int]bool{}
		for len(pts) < 2*n {
			pts[rng.IntN(1441)] = true
		}
		var sorted []int
		for m := 0; m <= 1440; m++ {
			if pts[m] {
				sorted = append(sorted, m)
			}
		}
		var out []Hours
		for i := 0; i+1 < len(sorted); i += 2 {
			out = append(out, Hours{clock(sorted[i]), clock(sorted[i+1])})
		}
		return out
	}
	s := CalendarSpec{
		Name:      "random",
		TimeZone:  zones[rng.IntN(len(zones))],
		FirstYear: first,
		LastYear:  first + 5,
	}
	s.Week = WeekHours{Mon: hours(3), Tue: hours(3), Wed: hours(3), Thu: hours(3), Fri: hours(3), Sat: hours(2), Sun: hours(2)}
	date := func() string {
		return time.Date(first+1, 1, 1+rng.IntN(4*365), 0, 0, 0, 0, time.UTC).Format("2006-01-02")
	}
	used := map[string]bool{}
	for range rng.IntN(40) {
		d := date()
		if used[d] {
			continue
		}
		used[d] = true
		h := HolidaySpec{Date: d}
		if rng.IntN(5) == 0 { // a range of dates
			t0, _ := time.Parse("2006-01-02", d)
			n := 1 + rng.IntN(9)
			for k := 1; k <= n; k++ {
				dk := t0.AddDate(0, 0, k).Format("2006-01-02")
				if used[dk] || t0.AddDate(0, 0, k).Year() > first+4 {
					n = k - 1
					break
				}
			}
			for k := 1; k <= n; k++ {
				used[t0.AddDate(0, 0, k).Format("2006-01-02")] = true
			}
			h.Date = d + ".." + t0.AddDate(0, 0, n).Format("2006-01-02")
		}
		if rng.IntN(3) == 0 {
			h.Closed = hours(2)
			if len(h.Closed) == 0 {
				h.Closed = []Hours{{"12:00", "13:00"}}
			}
		}
		s.Holidays = append(s.Holidays, h)
	}
	for range rng.IntN(15) {
		d := date()
		if used[d] {
			continue
		}
		used[d] = true
		h := hours(2)
		if len(h) == 0 {
			h = []Hours{{"09:00", "18:00"}}
		}
		w := s.Week
		if rng.IntN(4) == 0 && len(w.Mon)+len(w.Tue)+len(w.Wed)+len(w.Thu)+len(w.Fri)+len(w.Sat)+len(w.Sun) > 0 {
			h = nil // the make-up hours
		}
		s.ExtraWorkingDays = append(s.ExtraWorkingDays, WorkingDaySpec{Date: d, Hours: h})
	}
	if rng.IntN(3) == 0 {
		s.PublicHolidays = []string{[]string{"US", "GB", "DE", "JP"}[rng.IntN(4)]}
	}
	return s
}

// oracle answers "is the calendar open at t?" straight from the spec's
// words, with no precomputation: take t's local date and time of day, find
// that date's hours, check.
type oracle struct {
	loc   *time.Location
	week  [7][][2]int
	hol   map[string]HolidaySpec
	extra map[string][][2]int
	pub   *cal.Calendar
	memo  map[int][][2]int
}

func newOracle(t testing.TB, s CalendarSpec) *oracle {
	loc, err := time.LoadLocation(s.TimeZone)
	require.NoError(t, err)
	conv := func(list []Hours) [][2]int {
		var out [][2]int
		for _, h := range list {
			out = append(out, [2]int{oracleClock(h[0]), oracleClock(h[1])})
		}
		return out
	}
	o := &oracle{loc: loc, hol: map[string]HolidaySpec{}, extra: map[string][][2]int{}, memo: map[int][][2]int{}}
	o.week = [7][][2]int{conv(s.Week.Sun), conv(s.Week.Mon), conv(s.Week.Tue), conv(s.Week.Wed), conv(s.Week.Thu), conv(s.Week.Fri), conv(s.Week.Sat)}
	for _, h := range s.Holidays {
		a, b, isRange := strings.Cut(h.Date, "..")
		if !isRange {
			b = a
		}
		ta, err := time.Parse("2006-01-02", a)
		require.NoError(t, err)
		tb, err := time.Parse("2006-01-02", b)
		require.NoError(t, err)
		for d := ta; !d.After(tb); d = d.AddDate(0, 0, 1) {
			o.hol[d.Format("2006-01-02")] = h
		}
	}
	// An extra working day without hours takes those of the first weekday,
	// Monday to Sunday, that has any.
	var makeUp [][2]int
	for _, wd := range []time.Weekday{time.Monday, time.Tuesday, time.Wednesday, time.Thursday, time.Friday, time.Saturday, time.Sunday} {
		if len(o.week[wd]) > 0 {
			makeUp = o.week[wd]
			break
		}
	}
	for _, x := range s.ExtraWorkingDays {
		if x.Hours == nil {
			o.extra[x.Date] = makeUp
		} else {
			o.extra[x.Date] = conv(x.Hours)
		}
	}
	if len(s.PublicHolidays) > 0 {
		set, ok := lookupHolidaySet(s.PublicHolidays[0])
		require.True(t, ok)
		o.pub = &cal.Calendar{Holidays: set.holidays}
	}
	return o
}

func oracleClock(s string) int {
	if s == "24:00" {
		return 86400
	}
	t, err := time.Parse("15:04", s)
	if err != nil {
		panic(err)
	}
	return t.Hour()*3600 + t.Minute()*60
}

func (o *oracle) open(t time.Time) bool {
	l := t.In(o.loc)
	y, m, d := l.Date()
	tod := l.Hour()*3600 + l.Minute()*60 + l.Second()
	for _, iv := range o.hoursOn(y, m, d, l.Weekday()) {
		if tod >= iv[0] && tod < iv[1] {
			return true
		}
	}
	return false
}

// hoursOn returns the open stretches of a date, straight from the spec's
// words (memoised per date: the rules do not change).
func (o *oracle) hoursOn(y int, m time.Month, d int, wd time.Weekday) [][2]int {
	dk := y*10000 + int(m)*100 + d
	if h, ok := o.memo[dk]; ok {
		return h
	}
	key := fmt.Sprintf("%04d-%02d-%02d", y, m, d)
	hours, isExtra := o.extra[key]
	if !isExtra {
		hours = o.week[wd]
	}
	h, isHol := o.hol[key]
	closedAll := isHol && h.Closed == nil && !isExtra
	if !isExtra && o.pub != nil {
		// rickar's own answer for the date (a date-only value in UTC).
		if _, obs, _ := o.pub.IsHoliday(time.Date(y, m, d, 12, 0, 0, 0, time.UTC)); obs {
			closedAll = true
		}
	}
	var out [][2]int
	if !closedAll {
		// minute by minute: open if in an open stretch and in no closed one
		for min := 0; min < 1440; min++ {
			tod := min * 60
			in := false
			for _, iv := range hours {
				if tod >= iv[0] && tod < iv[1] {
					in = true
				}
			}
			if in && isHol {
				for _, c := range h.Closed {
					if tod >= oracleClock(c[0]) && tod < oracleClock(c[1]) {
						in = false
					}
				}
			}
			if in {
				if n := len(out); n > 0 && out[n-1][1] == tod {
					out[n-1][1] = tod + 60
				} else {
					out = append(out, [2]int{tod, tod + 60})
				}
			}
		}
	}
	o.memo[dk] = out
	return out
}

// between counts open minutes in [a, b) for minute-aligned a <= b.
func (o *oracle) between(a, b time.Time) time.Duration {
	var n time.Duration
	for t := a; t.Before(b); t = t.Add(time.Minute) {
		if o.open(t) {
			n += time.Minute
		}
	}
	return n
}

// add steps minute by minute; ok is false when the limit is hit.
func (o *oracle) add(s time.Time, d time.Duration, limit int) (time.Time, bool) {
	if d == 0 {
		for i := 0; i < limit; i++ {
			if o.open(s) {
				return s, true
			}
			s = s.Add(time.Minute)
		}
		return time.Time{}, false
	}
	var acc time.Duration
	for i := 0; i < limit; i++ {
		if o.open(s) {
			acc += time.Minute
		}
		s = s.Add(time.Minute)
		if acc == d {
			return s, true
		}
	}
	return time.Time{}, false
}

// randomInstant picks a minute in 2010..2013, often near an offset change.
func randomInstant(rng *rand.Rand, loc *time.Location) time.Time {
	return randomInstantFrom(rng, loc, 2010)
}

// randomInstantFrom picks a minute in the four years from year, often near
// an offset change.
func randomInstantFrom(rng *rand.Rand, loc *time.Location, year int) time.Time {
	base := time.Date(year, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	t := time.Unix(base+rng.Int64N(4*365*86400)/60*60, 0).In(loc)
	if rng.IntN(2) == 0 {
		_, end := t.ZoneBounds()
		if !end.IsZero() && end.After(t) && end.Year() < year+4 {
			// Truncate: some bounds are not changes and fall mid-minute (the
			// end of 32-bit transition tables, 2038-01-19 03:14:07 UTC).
			t = end.Add(time.Duration(rng.IntN(4*1440)-2*1440) * time.Minute).Truncate(time.Minute)
		}
	}
	return t
}

func TestCalendarAgainstMinuteOracle(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	nCal := 120
	if !fullSize() {
		nCal = 30
	}
	for i := range nCal {
		checkAgainstOracle(t, rng, i, randomSpec(rng), 2010)
	}
}

// TestCalendarDSTZonesTo2100 runs the minute oracle in zones with unusual
// daylight-saving rules, in random six-year windows from 1975 to 2100. CI
// runs it under the system zone files and again under Go's embedded zone
// database (ZONEINFO pointing at $GOROOT/lib/time/zoneinfo.zip): the two
// report zone transitions differently.
func TestCalendarDSTZonesTo2100(t *testing.T) {
	rng := rand.New(rand.NewPCG(11, 12))
	nCal := 150
	if !fullSize() {
		nCal = 40
	}
	for i := range nCal {
		first := 1975 + rng.IntN(2100-5-1975+1)
		checkAgainstOracle(t, rng, i, randomSpecFrom(rng, dstZones, first), first+1)
	}
}

// checkAgainstOracle compares Between, Add, IsOpen, NextOpen and NextClose
// of spec's calendar with the minute oracle at random instants in the four
// years from year.
func checkAgainstOracle(t *testing.T, rng *rand.Rand, i int, spec CalendarSpec, year int) {
	t.Helper()
	const nCase = 10
	c, err := NewCalendar(spec)
	require.NoError(t, err, "spec %d", i)
	o := newOracle(t, spec)
	{
		for j := range nCase {
			a := randomInstantFrom(rng, o.loc, year)
			b := a.Add(time.Duration(rng.IntN(3*1440)) * time.Minute)
			ctx := fmt.Sprintf("cal %d case %d zone %s a=%s b=%s", i, j, spec.TimeZone, a, b)
			got, err := c.Between(a, b)
			require.NoError(t, err, ctx)
			want := o.between(a, b)
			require.Equal(t, want, got, ctx)
			back, err := c.Between(b, a)
			require.NoError(t, err)
			require.Equal(t, -want, back, ctx)

			require.Equal(t, o.open(a), c.IsOpen(a), ctx)
			mid := a.Add(time.Duration(rng.IntN(60)) * time.Second)
			require.Equal(t, o.open(mid), c.IsOpen(mid), ctx)

			if want > 0 {
				d := time.Duration(1+rng.Int64N(int64(want/time.Minute))) * time.Minute
				wantT, ok := o.add(a, d, 3*1440+10)
				require.True(t, ok, ctx)
				gotT, err := c.Add(a, d)
				require.NoError(t, err, ctx)
				require.True(t, wantT.Equal(gotT), "%s d=%s want %s got %s", ctx, d, wantT, gotT)
				back, err := c.Add(gotT, -d)
				require.NoError(t, err, ctx)
				bw, _ := c.Between(back, gotT)
				require.Equal(t, d, bw, ctx)
				require.False(t, back.After(a) && c.IsOpen(a), ctx)
				no, err := c.NextOpen(a)
				require.NoError(t, err)
				wantNo, _ := o.add(a, 0, 3*1440+10)
				require.True(t, wantNo.Equal(no), "%s NextOpen want %s got %s", ctx, wantNo, no)
				nc, err := c.NextClose(no)
				require.NoError(t, err)
				require.True(t, nc.After(no), ctx)
				require.False(t, o.open(nc), "%s NextClose %s open", ctx, nc)
				require.True(t, o.open(nc.Add(-time.Minute)), "%s NextClose %s", ctx, nc)
			}
		}
	}
}

// TestCalendarWorkingDaysOracle checks IsWorkingDay and AddWorkingDays
// against day-by-day stepping with the oracle.
func TestCalendarWorkingDaysOracle(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	nCal := 40
	if !fullSize() {
		nCal = 12
	}
	for i := range nCal {
		spec := randomSpec(rng)
		c, err := NewCalendar(spec)
		require.NoError(t, err)
		o := newOracle(t, spec)
		// open minutes per local date, by stepping through 20 days
		start := randomInstant(rng, o.loc).Truncate(time.Hour)
		openDates := map[string]time.Time{} // date -> last open minute end
		var order []string
		for m := start; m.Before(start.Add(20 * 24 * time.Hour)); m = m.Add(time.Minute) {
			if o.open(m) {
				k := m.In(o.loc).Format("2006-01-02")
				if _, seen := openDates[k]; !seen {
					order = append(order, k)
				}
				openDates[k] = m.Add(time.Minute)
			}
			if m.Minute() == 7 && m.Hour()%5 == 0 {
				_, want := openDates[m.In(o.loc).Format("2006-01-02")]
				if !want { // the date may still open later today; only check when the whole date has passed
					continue
				}
				require.True(t, c.IsWorkingDay(m), "cal %d %s", i, m)
			}
		}
		if len(order) < 4 {
			continue
		}
		// A start in the middle of the first full working date.
		first := order[1]
		s := openDates[first].Add(-time.Minute)
		for n := 0; n+1 < len(order)-1 && n < 3; n++ {
			got, err := c.AddWorkingDays(s, n)
			require.NoError(t, err)
			want := openDates[order[1+n]]
			require.True(t, want.Equal(got), "cal %d zone %s n=%d from %s: want %s got %s", i, spec.TimeZone, n, s, want, got)
		}
		back, err := c.AddWorkingDays(openDates[order[3]].Add(-time.Minute), -2)
		require.NoError(t, err)
		require.True(t, openDates[order[1]].Equal(back), "cal %d back: want %s got %s", i, openDates[order[1]], back)
	}
}
