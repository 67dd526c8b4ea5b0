package sla

import (
	"encoding/json"
	"errors"
	"math/rand/v2"
	"testing"
	"time"
)

// FuzzCalendarJSON: any input either compiles or fails with a *PathError;
// nothing panics; a compiled spec survives a JSON round trip and its
// arithmetic inverts.
func FuzzCalendarJSON(f *testing.F) {
	f.Add([]byte(cnOffice))
	f.Add([]byte(`{"name":"us","time_zone":"America/New_York","week":{"mon":[["09:00","17:00"]]},"public_holidays":["US"]}`))
	f.Add([]byte(`{"name":"cn","time_zone":"Asia/Shanghai","week":{"mon":[["09:00","12:00"]],"sat":[["10:00","11:00"]]},"public_holidays":["CN"],"make_up_hours_from":"sat","first_year":2024,"last_year":2026,"public_holidays_strict":true}`))
	f.Add([]byte(`{"time_zone":"Australia/Lord_Howe","week":{"sun":[["00:00","24:00"]]},"first_year":2020,"last_year":2030}`))
	f.Add([]byte(`{"time_zone":"UTC","week":{"mon":[["17:00","09:00"]]}}`))
	f.Add([]byte(`{"time_zone":"UTC","ics":"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;VALUE=DATE:20240101\r\nRRULE:FREQ=YEARLY\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"}`))
	// Date ranges, extra days taking the make-up hours, strict default
	// years, host-dependent ICS zones. (Kept here rather than in
	// testdata: the rules schema's corpus test reads testdata.)
	f.Add([]byte(`{"time_zone":"Asia/Shanghai","week":{"mon":[["09:00","12:00"],["13:30","18:00"]]},"holidays":[{"date":"2026-02-15..2026-02-23"},{"date":"2026-12-24..2026-12-26","closed":[["14:00","18:00"]]}],"extra_working_days":[{"date":"2026-02-14"}]}`))
	f.Add([]byte(`{"time_zone":"Asia/Shanghai","week":{"fri":[["09:00","17:00"]]},"public_holidays":["CN"],"public_holidays_strict":true}`))
	f.Add([]byte(`{"time_zone":"UTC","ics":"BEGIN:VCALENDAR\r\nBEGIN:VEVENT\r\nDTSTART;TZID=Local:20241101T100000\r\nDURATION:PT1H\r\nEND:VEVENT\r\nEND:VCALENDAR\r\n"}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ParseCalendar(data)
		if err != nil {
			var pe *PathError
			if !errors.As(err, &pe) {
				t.Fatalf("error without a path: %T %v", err, err)
			}
			return
		}
		spec, _ := c.Spec()
		out, err := json.Marshal(spec)
		if err != nil {
			t.Fatal(err)
		}
		again, err := ParseCalendarSpec(out)
		if err != nil {
			t.Fatalf("round trip: %v\n%s", err, out)
		}
		out2, _ := json.Marshal(again)
		if string(out) != string(out2) {
			t.Fatalf("round trip changed the spec:\n%s\n%s", out, out2)
		}
		from, to := c.Range()
		s := from.Add(to.Sub(from) / 2)
		if r, err := c.Add(s, 90*time.Minute); err == nil {
			if d, err := c.Between(s, r); err != nil || d != 90*time.Minute {
				t.Fatalf("Between(s, Add(s, 90m)) = %v, %v", d, err)
			}
		}
	})
}

// FuzzAddBetween: on random calendars and instants, Between inverts Add
// and Add is monotonic in both arguments.
func FuzzAddBetween(f *testing.F) {
	f.Add(uint64(1), int64(0), int64(3600), uint32(0))
	f.Add(uint64(2), int64(1_000_000), int64(-7200), uint32(5))
	f.Add(uint64(42), int64(123_456), int64(86_400*9), uint32(999_999_999))
	f.Add(uint64(7), int64(-5), int64(0), uint32(1))
	f.Fuzz(func(t *testing.T, seed uint64, startMin, dSec int64, nanos uint32) {
		rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
		spec := randomSpec(rng)
		c, err := NewCalendar(spec)
		if err != nil {
			t.Fatalf("random spec rejected: %v", err)
		}
		if seed%4 == 0 { // every fourth calendar is a composition
			other, err := NewCalendar(randomSpec(rng))
			if err != nil {
				t.Fatalf("random spec rejected: %v", err)
			}
			if seed%8 == 0 {
				c, err = Intersect(c, other)
			} else {
				c, err = Union(c, other)
			}
			if err != nil {
				t.Fatal(err)
			}
		}
		from, to := c.Range()
		span := int64(to.Sub(from) / time.Minute)
		m := startMin % span
		if m < 0 {
			m += span
		}
		s := from.Add(time.Duration(m)*time.Minute + time.Duration(nanos%1_000_000_000))
		d := time.Duration(dSec%(86400*400)) * time.Second
		r, err := c.Add(s, d)
		if err != nil {
			if !errors.Is(err, ErrOutOfRange) && !errors.Is(err, ErrNeverOpen) {
				t.Fatalf("unexpected error %v", err)
			}
			return
		}
		got, err := c.Between(s, r)
		if err != nil {
			t.Fatal(err)
		}
		if d != 0 && got != d {
			t.Fatalf("%s: Between(%s, Add(%s, %s) = %s) = %s", spec.TimeZone, s, s, d, r, got)
		}
		if d == 0 && (got != 0 || r.Before(s) || !c.IsOpen(r)) {
			t.Fatalf("Add(s, 0) = %s is not the next opening after %s", r, s)
		}
		if r2, err := c.Add(s, d+time.Second); err == nil && r2.Before(r) {
			t.Fatalf("Add not monotonic in d: %s then %s", r, r2)
		}
		if r3, err := c.Add(s.Add(time.Minute), d); err == nil && r3.Before(r) {
			t.Fatalf("Add not monotonic in start: %s then %s", r, r3)
		}
		// Working days land on a closing time, later for larger n.
		var prev time.Time
		for n := -2; n <= 3; n++ {
			w, err := c.AddWorkingDays(s, n)
			if err != nil {
				if !errors.Is(err, ErrOutOfRange) && !errors.Is(err, ErrNeverOpen) {
					t.Fatalf("unexpected error %v", err)
				}
				continue
			}
			if !c.IsOpen(w.Add(-time.Nanosecond)) || !c.IsWorkingDay(w.Add(-time.Nanosecond)) {
				t.Fatalf("AddWorkingDays(%s, %d) = %s is not a closing time", s, n, w)
			}
			if !prev.IsZero() && !w.After(prev) {
				t.Fatalf("AddWorkingDays not increasing in n at %d: %s then %s", n, prev, w)
			}
			if n == 0 && w.Before(s) {
				t.Fatalf("AddWorkingDays(%s, 0) = %s is before the start", s, w)
			}
			prev = w
		}
	})
}

// FuzzCalendarsJSON: a set document either compiles or fails with a
// *PathError, composition by name included; nothing panics or loops.
func FuzzCalendarsJSON(f *testing.F) {
	f.Add([]byte(`[{"name":"a","time_zone":"UTC","week":{"mon":[["09:00","17:00"]]},"first_year":2020,"last_year":2022},{"name":"b","time_zone":"Asia/Tokyo","week":{"mon":[["09:00","17:00"]]},"first_year":2020,"last_year":2022},{"name":"c","intersect":["a","b"]}]`))
	f.Add([]byte(`[{"name":"a","union":["b","a"]},{"name":"b","time_zone":"UTC"}]`))
	f.Add([]byte(`[{"name":"a","intersect":["b","c"]},{"name":"b","union":["a","c"]},{"name":"c","time_zone":"UTC","first_year":2000,"last_year":2001}]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		set, err := ParseCalendars(data)
		if err != nil {
			var pe *PathError
			if !errors.As(err, &pe) {
				t.Fatalf("error without a path: %T %v", err, err)
			}
			return
		}
		out, err := json.Marshal(set)
		if err != nil {
			t.Fatal(err)
		}
		if _, err := ParseCalendars(out); err != nil {
			t.Fatalf("round trip: %v\n%s", err, out)
		}
	})
}

// FuzzCalendarQueries: on random calendars (compositions included) and
// instants, PrevOpen, PrevClose and the period iterators agree with the
// minute oracle, the iterators add up to Between, WorkingDaysBetween is
// antisymmetric and additive, and AddWorkingDaysSameTime keeps the wall
// clock.
func FuzzCalendarQueries(f *testing.F) {
	f.Add(uint64(1), int64(0), int64(1440), uint32(0))
	f.Add(uint64(3), int64(1_000_000), int64(7*1440), uint32(5))
	f.Add(uint64(8), int64(123_456), int64(60), uint32(999_999_999))
	f.Add(uint64(12), int64(-5), int64(20_000), uint32(1))
	f.Fuzz(func(t *testing.T, seed uint64, startMin, spanMin int64, nanos uint32) {
		rng := rand.New(rand.NewPCG(seed, seed^0x9e3779b97f4a7c15))
		spec := randomSpec(rng)
		c, err := NewCalendar(spec)
		if err != nil {
			t.Fatalf("random spec rejected: %v", err)
		}
		var o *oracle
		if seed%4 == 0 {
			other, err := NewCalendar(randomSpec(rng))
			if err != nil {
				t.Fatalf("random spec rejected: %v", err)
			}
			if c, err = Union(c, other); err != nil {
				t.Fatal(err)
			}
		} else {
			o = newOracle(t, spec)
		}
		from, to := c.Range()
		total := int64(to.Sub(from) / time.Minute)
		m := startMin % total
		if m < 0 {
			m += total
		}
		s := from.Add(time.Duration(m) * time.Minute)
		span := time.Duration(1+(spanMin%(30*1440)+30*1440)%(30*1440)) * time.Minute
		b := s.Add(span)
		if !b.Before(to) {
			b = to
		}
		sn := s.Add(time.Duration(nanos % 1_000_000_000))

		po, errO := c.PrevOpen(sn)
		pc, errC := c.PrevClose(sn)
		for _, err := range []error{errO, errC} {
			if err != nil && !errors.Is(err, ErrOutOfRange) && !errors.Is(err, ErrNeverOpen) {
				t.Fatalf("unexpected error %v", err)
			}
		}
		if errO == nil && (po.After(sn) || !c.IsOpen(po) || c.IsOpen(po.Add(-time.Nanosecond))) {
			t.Fatalf("PrevOpen(%s) = %s is not an opening at or before it", sn, po)
		}
		if errC == nil && (pc.After(sn) || c.IsOpen(pc) || !c.IsOpen(pc.Add(-time.Nanosecond))) {
			t.Fatalf("PrevClose(%s) = %s is not a closing at or before it", sn, pc)
		}
		if o != nil && s.After(from.Add(2*24*time.Hour)) && s.Before(to.Add(-2*24*time.Hour)) {
			if want, ok := o.prevOpen(s, 1440); ok && (errO != nil || !want.Equal(po) && nanos%1_000_000_000 == 0) {
				t.Fatalf("PrevOpen(%s) = %s, %v; oracle %s", s, po, errO, want)
			}
			if want, ok := o.prevClose(s, 1440); ok && nanos%1_000_000_000 == 0 && (errC != nil || !want.Equal(pc)) {
				t.Fatalf("PrevClose(%s) = %s, %v; oracle %s", s, pc, errC, want)
			}
			w := min(span, 24*time.Hour)
			if want, got := o.periods(s, s.Add(w)), periodsOf(c, s, s.Add(w), false); !equalPeriods(want, got) {
				t.Fatalf("Periods from %s: oracle %v, got %v", s, want, got)
			}
		}

		// The iterators add up to Between, both ways.
		want, err := c.Between(sn, b)
		if err != nil {
			t.Fatal(err)
		}
		var fwd, back time.Duration
		prevEnd := sn
		for x, y := range c.Periods(sn) {
			if !x.Before(b) {
				break
			}
			if x.Before(prevEnd) || !y.After(x) || (x.After(prevEnd) && x.Equal(prevEnd)) {
				t.Fatalf("Periods out of order: %s–%s after %s", x, y, prevEnd)
			}
			if y.After(b) {
				y = b
			}
			fwd += y.Sub(x)
			prevEnd = y
		}
		for x, y := range c.PeriodsBackward(b) {
			if !y.After(sn) {
				break
			}
			if x.Before(sn) {
				x = sn
			}
			back += y.Sub(x)
		}
		if fwd != want || back != want {
			t.Fatalf("periods from %s to %s: forward %s, backward %s, Between %s", sn, b, fwd, back, want)
		}

		// Working days: antisymmetric and additive.
		mid := sn.Add(b.Sub(sn) / 3)
		ab, e1 := c.WorkingDaysBetween(sn, b)
		ba, e2 := c.WorkingDaysBetween(b, sn)
		am, e3 := c.WorkingDaysBetween(sn, mid)
		mb, e4 := c.WorkingDaysBetween(mid, b)
		if e1 != nil || e2 != nil || e3 != nil || e4 != nil {
			t.Fatal(e1, e2, e3, e4)
		}
		if ab != -ba || ab != am+mb || ab < 0 {
			t.Fatalf("WorkingDaysBetween: %d, %d, %d + %d", ab, ba, am, mb)
		}

		// Same wall time: the clock is kept unless the date skips it.
		for _, roll := range []Roll{RollForward, RollBackward} {
			r, err := c.AddWorkingDaysSameTime(sn, 2, roll)
			if err != nil {
				if !errors.Is(err, ErrOutOfRange) && !errors.Is(err, ErrNeverOpen) {
					t.Fatalf("unexpected error %v", err)
				}
				continue
			}
			if !c.IsWorkingDay(r) {
				t.Fatalf("AddWorkingDaysSameTime(%s, 2, %v) = %s is not on a working day", sn, roll, r)
			}
			if n, _ := c.WorkingDaysBetween(sn, r); n < 2 && roll == RollForward {
				t.Fatalf("AddWorkingDaysSameTime(%s, 2) = %s is %d working days on", sn, r, n)
			}
			lr, ls := r.In(c.Location()), sn.In(c.Location())
			if lr.Hour() != ls.Hour() || lr.Minute() != ls.Minute() || lr.Nanosecond() != ls.Nanosecond() {
				p := r.Add(-time.Second).In(c.Location())
				if p.Day() == lr.Day() && p.Hour()*3600+p.Minute()*60 >= ls.Hour()*3600+ls.Minute()*60 {
					t.Fatalf("AddWorkingDaysSameTime(%s) = %s: wall clock not kept and no gap", sn, r)
				}
			}
		}
	})
}

// equalPeriods compares two lists of periods by instant.
func equalPeriods(a, b [][2]time.Time) bool {
	if len(a) != len(b) {
		return false
	}
	for i := range a {
		if !a[i][0].Equal(b[i][0]) || !a[i][1].Equal(b[i][1]) {
			return false
		}
	}
	return true
}
