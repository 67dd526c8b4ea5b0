package sla

import (
	"fmt"
	"iter"
	"time"
)

// Roll says which way working-day arithmetic moves a start that does not
// fall where counting can begin: the calendar's closed time for
// [Calendar.AddWorkingDaysFrom], a date without open time for
// [Calendar.AddWorkingDaysSameTime].
type Roll int8

const (
	// RollForward counts from the next opening ([Calendar.AddWorkingDaysFrom]) or
	// the next working day ([Calendar.AddWorkingDaysSameTime]): a ticket received
	// on Saturday counts as received on Monday.
	RollForward Roll = iota
	// RollBackward counts from the end of the open time before the start
	// ([Calendar.AddWorkingDaysFrom]) or the previous working day
	// ([Calendar.AddWorkingDaysSameTime]): a ticket received on Saturday counts as
	// received at Friday's close.
	RollBackward
)

// String returns "forward" or "backward".
func (r Roll) String() string {
	switch r {
	case RollForward:
		return "forward"
	case RollBackward:
		return "backward"
	}
	return fmt.Sprintf("Roll(%d)", int8(r))
}

// PrevOpen returns the last instant at or before t at which the calendar
// opened: the start of the open period holding t, or of the last one
// before t when the calendar is closed at t. An open period is a maximal
// run of open time; stretches that meet at midnight are one, as for
// [Calendar.NextClose]. It is the mirror of NextClose for the opening edge.
//
// Errors: [ErrOutOfRange] when t is outside the supported years or the
// period began at or before the first instant of the range (its opening is
// not known), [ErrNeverOpen] when there is no open time at or before t.
func (c *Calendar) PrevOpen(t time.Time) (time.Time, error) {
	const op = "PrevOpen"
	sec, nsec, ok := c.inRange(t)
	if !ok {
		return time.Time{}, c.fail(op, ErrOutOfRange)
	}
	if !c.openAt(sec) {
		// The period holding the last open nanosecond before t.
		p, _ := c.pos(sec, nsec)
		if p == 0 {
			return time.Time{}, c.fail(op, c.noMore())
		}
		e, en := c.instantAt(p, true)
		sec = lastSecondBefore(e, en)
	}
	s, atStart := c.periodStart(sec)
	if atStart {
		return time.Time{}, c.fail(op, ErrOutOfRange)
	}
	return c.at(s, 0), nil
}

// PrevClose returns the last instant at or before t at which the calendar
// closed: t itself when t is a closing instant, the closing time of the
// last open period before t otherwise (when the calendar is open at t, the
// period before the one holding t). It is the mirror of [Calendar.NextOpen] for
// the closing edge; a start rolled backward ("counted from the previous
// close") is t when the calendar is open at t, PrevClose(t) when not.
//
// Errors: [ErrOutOfRange] when t is outside the supported years or the open
// time before t runs back to the first instant of the range, [ErrNeverOpen]
// when there is no open time before t.
func (c *Calendar) PrevClose(t time.Time) (time.Time, error) {
	const op = "PrevClose"
	sec, nsec, ok := c.inRange(t)
	if !ok {
		return time.Time{}, c.fail(op, ErrOutOfRange)
	}
	if c.openAt(sec) {
		s, atStart := c.periodStart(sec)
		if atStart {
			return time.Time{}, c.fail(op, ErrOutOfRange)
		}
		sec, nsec = s, 0
	}
	p, _ := c.pos(sec, nsec)
	if p == 0 {
		return time.Time{}, c.fail(op, c.noMore())
	}
	return c.at(c.instantAt(p, true)), nil
}

// Periods returns the open periods from 'from' onwards, in order, as
// (opening, closing) pairs: each is a maximal run of open time [opening,
// closing), stretches that meet at midnight joined, except that a period
// holding 'from' is cut to start at 'from'. The durations of the periods
// up to an instant b add up to Between(from, b). A period that runs into
// the end of the supported years ends at the end of the range
// ([Calendar.Range]'s to). The sequence is empty when 'from' is outside the
// supported years; it is endless only up to the range's end.
//
//	for open, close := range cal.Periods(created) { ... }
//
// Each step costs a few binary searches and allocates nothing.
func (c *Calendar) Periods(from time.Time) iter.Seq2[time.Time, time.Time] {
	return func(yield func(time.Time, time.Time) bool) { c.periodsForward(from, yield) }
}

// PeriodsBackward returns the open periods before 'from', latest first, as
// (opening, closing) pairs, with a period holding 'from' cut to end at
// 'from' (and left out when 'from' is its opening). A period that runs back
// to the start of the supported years begins at the start of the range
// ([Calendar.Range]'s from). The durations of the periods back to an instant a
// add up to Between(a, from). The sequence is empty when 'from' is outside the
// supported years; 'from' may be the end of the range itself.
func (c *Calendar) PeriodsBackward(from time.Time) iter.Seq2[time.Time, time.Time] {
	return func(yield func(time.Time, time.Time) bool) { c.periodsBackward(from, yield) }
}

func (c *Calendar) periodsForward(from time.Time, yield func(time.Time, time.Time) bool) {
	p, ok := c.posOf(from)
	if !ok {
		return
	}
	for p < c.total {
		s, sn := c.instantAt(p, false)
		e, ends := c.periodEnd(s)
		if !ends {
			e = c.endSec
		}
		if !yield(c.at(s, sn), c.at(e, 0)) || !ends {
			return
		}
		p += (e-s)*nsPerSec - sn
	}
}

func (c *Calendar) periodsBackward(from time.Time, yield func(time.Time, time.Time) bool) {
	p, ok := c.posOf(from)
	if !ok {
		return
	}
	for p > 0 {
		e, en := c.instantAt(p, true)
		s, atStart := c.periodStart(lastSecondBefore(e, en))
		if !yield(c.at(s, 0), c.at(e, en)) || atStart {
			return
		}
		p -= (e-s)*nsPerSec + en
	}
}

// WorkingDaysBetween returns the number of working days (local dates with
// open time) among the dates from a's local date up to, not including, b's
// local date: Monday to Friday of a Mon–Fri week is 4. It is negative when
// b's date is before a's, so WorkingDaysBetween(a, b) ==
// -WorkingDaysBetween(b, a), and counts add up over consecutive spans, as
// [Calendar.Between]'s do. b may be the end of the range ([Calendar.Range]'s
// to).
func (c *Calendar) WorkingDaysBetween(a, b time.Time) (int, error) {
	da, ok1 := c.dateOf(a)
	db, ok2 := c.dateOf(b)
	if !ok1 || !ok2 {
		return 0, c.fail("WorkingDaysBetween", ErrOutOfRange)
	}
	wa := c.workBefore(c.dayOf(da))
	wb := c.workBefore(c.dayOf(db))
	return int(wb - wa), nil
}

// dateOf returns the local date of t, accepting the end of the range as
// the date after the last supported one.
func (c *Calendar) dateOf(t time.Time) (int32, bool) {
	sec, _, ok := c.inRange(t)
	if ok {
		return c.locate(sec).d, true
	}
	if c != nil && c.excDay != nil && sec == c.endSec && t.Nanosecond() == 0 {
		return c.endDay, true
	}
	return 0, false
}

// AddWorkingDaysFrom is [Calendar.AddWorkingDays] with the roll chosen by the
// caller instead of by the sign of n. With [RollForward], start is rolled
// forward to the next open instant; with [RollBackward], back to the end of the
// open time before it (start itself when the calendar is open at start, but
// not at an opening instant: the open time before an opening is the
// previous period's). The date of the rolled instant is day 0, and the
// result is the closing time of the n-th working day after day 0 (before
// it for n < 0; day 0 itself for n = 0).
//
// AddWorkingDays(start, n) is AddWorkingDaysFrom(start, n, RollForward) for
// n >= 0 and AddWorkingDaysFrom(start, n, RollBackward) for n < 0. With
// Mon–Fri 09:00–17:00, a ticket received on Saturday with n = 1 is due
// Tuesday 17:00 rolling forward (day 0 is Monday) and Monday 17:00 rolling
// backward (day 0 is Friday).
func (c *Calendar) AddWorkingDaysFrom(start time.Time, n int, roll Roll) (time.Time, error) {
	return c.addWorkingDays("AddWorkingDaysFrom", start, n, roll)
}

func (c *Calendar) addWorkingDays(op string, start time.Time, n int, roll Roll) (time.Time, error) {
	if roll != RollForward && roll != RollBackward {
		return time.Time{}, c.fail(op, fmt.Errorf("%w: roll %v", ErrInvalidArgument, roll))
	}
	p, ok := c.posOf(start)
	if !ok {
		return time.Time{}, c.fail(op, ErrOutOfRange)
	}
	var day0 dayRef
	if roll == RollForward {
		if p >= c.total {
			return time.Time{}, c.fail(op, c.noMore())
		}
		day0, _ = c.findDay(p, false)
	} else {
		if p <= 0 {
			return time.Time{}, c.fail(op, c.noMore())
		}
		day0, _ = c.findDay(p, true)
	}
	ref, err := c.nthWorkingDay(day0, n)
	if err != nil {
		return time.Time{}, c.fail(op, err)
	}
	last := c.ivs[c.shapeOff[ref.sh+1]-1]
	return c.at(ref.ds+int64(last.e), 0), nil
}

// addWorkingDaysPos is the business position of AddWorkingDays(t, n) for
// an instant t at position p (posOf): the position of the closing time of
// that working day, the open time before it and all of its own. Errors are
// AddWorkingDays's. Evaluations use it to count a target or an offset in
// working days without building the instants.
func (c *Calendar) addWorkingDaysPos(p int64, n int) (int64, error) {
	const op = "AddWorkingDays"
	var day0 dayRef
	if n >= 0 {
		if p >= c.total {
			return 0, c.fail(op, c.noMore())
		}
		day0, _ = c.findDay(p, false)
	} else {
		if p <= 0 {
			return 0, c.fail(op, c.noMore())
		}
		day0, _ = c.findDay(p, true)
	}
	ref, err := c.nthWorkingDay(day0, n)
	if err != nil {
		return 0, c.fail(op, err)
	}
	return c.cumBefore(ref) + c.shapeOpen[ref.sh], nil
}

// nthWorkingDay returns the n-th working day after day0 (before it for
// n < 0), day0 itself for n = 0; day0 must be a working day.
func (c *Calendar) nthWorkingDay(day0 dayRef, n int) (dayRef, error) {
	target := int64(c.workBefore(day0)) + 1 + int64(n) // 1-based index of the wanted working day
	if target < 1 || target > int64(c.totalWork) {
		return dayRef{}, c.noMore()
	}
	return c.findWorkDay(int32(target)), nil
}

// AddWorkingDaysSameTime returns the instant with t's wall-clock time of day
// on the n-th working day after t's date (before it for n < 0), in the
// calendar's zone: "the same time, n working days later". Day 0 is t's
// local date when it is a working day, whatever the hour (a ticket at
// Monday 19:00 plus one working day is Tuesday 19:00); otherwise the next
// working day ([RollForward]) or the previous one ([RollBackward]), so
// Saturday 10:00 plus one working day is Tuesday 10:00 rolling forward and
// Monday 10:00 rolling backward, and plus zero is Monday or Friday 10:00.
//
// The result keeps the wall-clock time even where the calendar is closed
// (a start before opening lands before opening); use [Calendar.NextOpen] on it
// to count from an opening. A wall-clock time the target date skips (a DST
// gap) gives the instant the gap ends, as open hours do; a time the date
// repeats gives its first occurrence.
func (c *Calendar) AddWorkingDaysSameTime(t time.Time, n int, roll Roll) (time.Time, error) {
	const op = "AddWorkingDaysSameTime"
	if roll != RollForward && roll != RollBackward {
		return time.Time{}, c.fail(op, fmt.Errorf("%w: roll %v", ErrInvalidArgument, roll))
	}
	sec, _, ok := c.inRange(t)
	if !ok {
		return time.Time{}, c.fail(op, ErrOutOfRange)
	}
	day0 := c.locate(sec)
	if c.shapeOpen[day0.sh] == 0 {
		// Not a working day: roll to the working day after (the first
		// with more working days before it) or before it.
		w := c.workBefore(day0)
		if roll == RollForward {
			if w >= c.totalWork {
				return time.Time{}, c.fail(op, c.noMore())
			}
			day0 = c.findWorkDay(w + 1)
		} else {
			if w == 0 {
				return time.Time{}, c.fail(op, c.noMore())
			}
			day0 = c.findWorkDay(w)
		}
	}
	ref, err := c.nthWorkingDay(day0, n)
	if err != nil {
		return time.Time{}, c.fail(op, err)
	}
	lt := t.In(c.loc)
	wall := int64(lt.Hour()*3600 + lt.Minute()*60 + lt.Second())
	x, ok := c.wallInstant(ref, wall)
	if !ok {
		return time.Time{}, c.fail(op, ErrOutOfRange)
	}
	return c.at(x, int64(lt.Nanosecond())), nil
}

// wallInstant returns the first instant of day ref whose wall-clock time
// of day is wall or later: the instant itself when the time exists once,
// its first occurrence when the day repeats it, the end of the gap when
// the day skips it. ok is false when the day ends first (the time is
// skipped up to midnight) and the next day is outside the range.
func (c *Calendar) wallInstant(ref dayRef, wall int64) (int64, bool) {
	L := int64(ref.d)*secPerDay + wall // the wanted wall clock, as local seconds
	x := ref.ds
	for range 8 { // a day holds a handful of offset changes at most
		o := offsetAt(c.loc, x)
		if x+o >= L {
			return x, true // the day (or a gap) starts at or after the wanted time
		}
		y := L - o // where the wanted time falls if the offset holds
		if offsetAt(c.loc, y) == o && probeChange(c.loc, x, y) == y {
			return y, true
		}
		// The offset changes before y: continue from the change.
		x = probeChange(c.loc, x, y)
	}
	return x, x < c.endSec
}

// offsetAt returns loc's UTC offset at Unix second x.
func offsetAt(loc *time.Location, x int64) int64 {
	_, o := time.Unix(x, 0).In(loc).Zone()
	return int64(o)
}

// openAt reports whether the calendar is open at second sec (in range).
func (c *Calendar) openAt(sec int64) bool {
	r := c.locate(sec)
	e := sec - r.ds
	i := c.stretchAt(r.sh, e)
	return i >= 0 && e < int64(c.ivs[i].e)
}

// instantAt returns the instant at business position p: with strict false
// the first instant at which p of open time lies before it and open time
// follows (an opening or an open instant), with strict true the earliest
// instant at which p of open time lies before it (a closing or an open
// instant). The caller guarantees 0 <= p < total (strict false) or
// 0 < p <= total (strict true).
func (c *Calendar) instantAt(p int64, strict bool) (sec, nsec int64) {
	ref, r := c.findDay(p, strict)
	return c.instantIn(ref, r, strict)
}

// lastSecondBefore returns the second that holds the last nanosecond before
// instant (sec, nsec).
func lastSecondBefore(sec, nsec int64) int64 {
	if nsec > 0 {
		return sec
	}
	return sec - 1
}

// periodStart returns the opening of the open period holding second sec,
// which must be open; atStart is true when the period runs back to the
// first instant of the range (its opening is then reported as that
// instant).
func (c *Calendar) periodStart(sec int64) (start int64, atStart bool) {
	r := c.locate(sec)
	i := c.stretchAt(r.sh, sec-r.ds)
	for {
		iv := c.ivs[i]
		if iv.s != 0 || i != int(c.shapeOff[r.sh]) {
			return r.ds + int64(iv.s), false // the stretch does not begin at the day's start
		}
		// The stretch begins at midnight: the period goes on into the day
		// before if that day is open up to its end.
		prev := r.d - 1
		if !r.exc && c.fullWeek {
			prev = c.excDay[r.k] // the pattern days in between are open around the clock
		}
		if prev < c.firstDay {
			return c.startSec, true
		}
		pr := c.dayOf(prev)
		next := r
		if prev != r.d-1 {
			next = c.dayOf(prev + 1)
		}
		lo, hi := int(c.shapeOff[pr.sh]), int(c.shapeOff[pr.sh+1])
		if lo == hi || pr.ds+int64(c.ivs[hi-1].e) != next.ds {
			return next.ds, false // the day before is closed at its end
		}
		r, i = pr, hi-1
	}
}

// periodEnd returns the closing of the open period holding second sec,
// which must be open; ends is false when the period runs to the end of the
// range.
func (c *Calendar) periodEnd(sec int64) (end int64, ends bool) {
	r := c.locate(sec)
	i := c.stretchAt(r.sh, sec-r.ds)
	for {
		end := r.ds + int64(c.ivs[i].e)
		if i+1 < int(c.shapeOff[r.sh+1]) {
			return end, true // not the day's last stretch
		}
		next := r.d + 1
		if !r.exc && c.fullWeek {
			next = c.excDay[r.k+1] // the rest of an around-the-clock run stays open
		}
		if next >= c.endDay {
			if next == r.d+1 && end < c.endSec {
				return end, true
			}
			return 0, false
		}
		nr := c.dayOf(next)
		if next == r.d+1 && end < nr.ds {
			return end, true
		}
		lo := c.shapeOff[nr.sh]
		if lo == c.shapeOff[nr.sh+1] || c.ivs[lo].s != 0 {
			return nr.ds, true // the next day does not open at its start
		}
		r, i = nr, int(lo)
	}
}
