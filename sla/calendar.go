package sla

import (
	"time"

	"github.com/closeloop/closeloop/internal/rulesjson"
)

// Calendar is a compiled business calendar: a time zone, weekly open hours,
// holidays, extra working days and part-day closures, over a range of
// supported years. It is immutable after construction and safe for
// concurrent use. Its arithmetic ([Calendar.Add], [Calendar.Between],
// [Calendar.AddWorkingDays], ...) costs a few binary searches and allocates
// nothing.
//
// Internally the calendar stores the weekly pattern once and, sorted by
// date, only the days that differ from it (holidays, extra working days,
// closures, days with a UTC-offset change), each with cumulative open time,
// so positions in business time are found by binary search plus week
// arithmetic.
type Calendar struct {
	name                string
	loc                 *time.Location
	spec                *CalendarSpec // nil for compositions
	firstYear, lastYear int
	firstDay, endDay    int32 // supported local dates [firstDay, endDay), days since 1970-01-01
	startSec, endSec    int64 // supported instants [startSec, endSec), Unix seconds

	// Day shapes: open stretches in seconds since the day's first instant.
	shapeOff  []int32 // shape i owns ivs[shapeOff[i]:shapeOff[i+1]]
	ivs       []span
	ivCum     []int32 // open seconds before each stretch within its day
	shapeOpen []int64 // open time of each shape, ns

	// The weekly pattern, indexed by time.Weekday.
	week          [7]int32
	weekOpen      [7]int64
	weekPre       [15]int64 // weekPre[i] = open ns of pattern days 0..i-1 (two weeks)
	weekTotal     int64
	weekWork      [7]int32
	weekWorkPre   [15]int32
	weekWorkTotal int32
	fullWeek      bool // every weekday is open around the clock

	// Days that differ from the pattern, sorted; entry 0 is a closed virtual
	// day before the range, the last entry a sentinel at endDay.
	excDay   []int32
	excShape []int32
	excStart []int64 // the day's first instant, Unix seconds
	excOff   []int32 // UTC offset of the pattern days that follow
	excCum   []int64 // open ns before the day
	excWork  []int32 // working days before the day

	total     int64 // open ns in the whole range
	totalWork int32
}

// NewCalendar validates spec and compiles it. Errors are *[PathError] values
// whose paths are those of the spec's JSON form ("$.week.mon[0]").
func NewCalendar(spec CalendarSpec) (*Calendar, error) {
	return newCalendarAt("$", spec)
}

func newCalendarAt(path string, spec CalendarSpec) (*Calendar, error) {
	w, err := spec.compile(path)
	if err != nil {
		return nil, err
	}
	return finishCalendar(spec, w), nil
}

// finishCalendar builds the calendar of a validated spec.
func finishCalendar(spec CalendarSpec, w *wallRules) *Calendar {
	c := compileWall(spec.Name, w)
	cp := spec.clone()
	c.spec = &cp
	return c
}

// ParseCalendar strictly decodes a [CalendarSpec] from JSON and compiles it.
// A document over [MaxCalendarBytes] is refused before decoding ([ErrLimit]).
func ParseCalendar(data []byte) (*Calendar, error) {
	if err := checkSize(data, MaxCalendarBytes); err != nil {
		return nil, err
	}
	var spec CalendarSpec
	if err := rulesjson.Decode(data, &spec); err != nil {
		return nil, err
	}
	return NewCalendar(spec)
}

// Name returns the calendar's name.
func (c *Calendar) Name() string {
	if c == nil {
		return ""
	}
	return c.name
}

// Location returns the calendar's time zone (UTC for a nil [Calendar]).
func (c *Calendar) Location() *time.Location {
	if c == nil || c.loc == nil {
		return time.UTC
	}
	return c.loc
}

// Spec returns the spec the calendar was built from; ok is false for
// calendars built in Go by [Intersect] or [Union] (a composition decoded by
// [ParseCalendars] returns its spec with the names it composes).
func (c *Calendar) Spec() (spec CalendarSpec, ok bool) {
	if c == nil || c.spec == nil {
		return CalendarSpec{}, false
	}
	return c.spec.clone(), true
}

// Range returns the supported instants [from, to): from the first instant
// of January 1 of the first supported year to the first instant of January 1
// after the last one, in the calendar's zone.
func (c *Calendar) Range() (from, to time.Time) {
	if c == nil || c.excDay == nil {
		return time.Time{}, time.Time{}
	}
	return time.Unix(c.startSec, 0).In(c.loc), time.Unix(c.endSec, 0).In(c.loc)
}

// dayRef locates one local date of the calendar.
type dayRef struct {
	d   int32 // local date, days since 1970-01-01
	k   int   // last exception entry with excDay <= d
	exc bool  // d is that exception
	ds  int64 // the day's first instant, Unix seconds
	sh  int32 // the day's shape
}

// locate returns the day holding instant sec (which must be in range).
func (c *Calendar) locate(sec int64) dayRef {
	lo, hi := 0, len(c.excStart)
	for hi-lo > 1 {
		m := int(uint(lo+hi) >> 1)
		if c.excStart[m] <= sec {
			lo = m
		} else {
			hi = m
		}
	}
	k := lo
	dk := c.excDay[k]
	if k > 0 {
		var next int64
		if c.excDay[k+1] == dk+1 {
			next = c.excStart[k+1]
		} else {
			next = int64(dk+1)*secPerDay - int64(c.excOff[k])
		}
		if sec < next {
			return dayRef{d: dk, k: k, exc: true, ds: c.excStart[k], sh: c.excShape[k]}
		}
	}
	off := int64(c.excOff[k])
	d := int32(floorDiv(sec+off, secPerDay))
	return dayRef{d: d, k: k, ds: int64(d)*secPerDay - off, sh: c.week[weekdayOf(d)]}
}

// dayOf returns the day reference of local date d (firstDay <= d <= endDay).
func (c *Calendar) dayOf(d int32) dayRef {
	lo, hi := 0, len(c.excDay)
	for hi-lo > 1 {
		m := int(uint(lo+hi) >> 1)
		if c.excDay[m] <= d {
			lo = m
		} else {
			hi = m
		}
	}
	if c.excDay[lo] == d {
		return dayRef{d: d, k: lo, exc: true, ds: c.excStart[lo], sh: c.excShape[lo]}
	}
	return dayRef{d: d, k: lo, ds: int64(d)*secPerDay - int64(c.excOff[lo]), sh: c.week[weekdayOf(d)]}
}

// cumBefore returns the open ns before day r.
func (c *Calendar) cumBefore(r dayRef) int64 {
	if r.exc {
		return c.excCum[r.k]
	}
	k := r.k
	return c.excCum[k] + c.shapeOpen[c.excShape[k]] + c.patternSum(c.excDay[k]+1, r.d)
}

// workBefore returns the number of working days before day r.
func (c *Calendar) workBefore(r dayRef) int32 {
	if r.exc {
		return c.excWork[r.k]
	}
	k := r.k
	return c.excWork[k] + c.workOf(c.excShape[k]) + c.patternWork(c.excDay[k]+1, r.d)
}

// stretchAt returns the index of the last stretch of shape sh starting at or
// before second e of the day, or -1.
func (c *Calendar) stretchAt(sh int32, e int64) int {
	lo, hi := int(c.shapeOff[sh]), int(c.shapeOff[sh+1])
	if lo == hi || int64(c.ivs[lo].s) > e {
		return -1
	}
	for hi-lo > 1 {
		m := int(uint(lo+hi) >> 1)
		if int64(c.ivs[m].s) <= e {
			lo = m
		} else {
			hi = m
		}
	}
	return lo
}

// inRange reports whether t is a supported instant and returns its seconds.
// A Calendar that was not built by this package (nil or zero) has no
// supported instants.
func (c *Calendar) inRange(t time.Time) (sec, nsec int64, ok bool) {
	if c == nil || c.excDay == nil {
		return 0, 0, false
	}
	sec = t.Unix()
	return sec, int64(t.Nanosecond()), sec >= c.startSec && sec < c.endSec
}

// posOf returns the business position of t. Besides the supported
// instants it accepts the end of the range itself (Range's to), where no
// open time is left, so that Between(s, Add(s, d)) == d holds even when
// a deadline lands exactly on the end of the range.
func (c *Calendar) posOf(t time.Time) (int64, bool) {
	sec, nsec, ok := c.inRange(t)
	if ok {
		p, _ := c.pos(sec, nsec)
		return p, true
	}
	if c != nil && c.excDay != nil && sec == c.endSec && nsec == 0 {
		return c.total, true
	}
	return 0, false
}

func (c *Calendar) fail(op string, err error) error {
	name := ""
	if c != nil {
		name = c.name
	} else {
		err = ErrInvalidArgument
	}
	if c != nil && c.excDay == nil {
		err = ErrInvalidArgument
	}
	return &CalendarError{Op: op, Calendar: name, Err: err}
}

// pos returns the open time (ns) from the start of the range to instant
// (sec, nsec), and the day holding it.
func (c *Calendar) pos(sec, nsec int64) (int64, dayRef) {
	r := c.locate(sec)
	return c.cumBefore(r) + c.openIn(r.sh, sec-r.ds, nsec), r
}

// openIn returns the open time (ns) of a day of shape sh before second e
// (and nsec ns) of the day.
func (c *Calendar) openIn(sh int32, e, nsec int64) int64 {
	if i := c.stretchAt(sh, e); i >= 0 {
		iv := c.ivs[i]
		if e < int64(iv.e) {
			return int64(c.ivCum[i])*nsPerSec + (e-int64(iv.s))*nsPerSec + nsec
		}
		return int64(c.ivCum[i]+iv.e-iv.s) * nsPerSec
	}
	return 0
}

// dayEnd returns the first instant (Unix seconds) of the day after r.
func (c *Calendar) dayEnd(r dayRef) int64 {
	if c.excDay[r.k+1] == r.d+1 {
		return c.excStart[r.k+1]
	}
	return int64(r.d+1)*secPerDay - int64(c.excOff[r.k])
}

// findDay returns the day holding business position T: with strict false
// the day with cumBefore <= T < cumBefore+open, with strict true the day
// with cumBefore < T <= cumBefore+open. It also returns T's offset within
// the day's open time. The caller guarantees such a day exists.
func (c *Calendar) findDay(T int64, strict bool) (dayRef, int64) {
	lo, hi := 0, len(c.excCum)
	for hi-lo > 1 {
		m := int(uint(lo+hi) >> 1)
		if c.excCum[m] < T || (!strict && c.excCum[m] == T) {
			lo = m
		} else {
			hi = m
		}
	}
	k := lo
	r := T - c.excCum[k]
	op := c.shapeOpen[c.excShape[k]]
	if r < op || (strict && r == op) {
		return dayRef{d: c.excDay[k], k: k, exc: true, ds: c.excStart[k], sh: c.excShape[k]}, r
	}
	r -= op
	d := c.excDay[k] + 1
	w := int(weekdayOf(d))
	var q int64
	if strict {
		q = (r - 1) / c.weekTotal
	} else {
		q = r / c.weekTotal
	}
	r -= q * c.weekTotal
	d += int32(q) * 7
	for r > c.weekOpen[w] || (!strict && r == c.weekOpen[w]) {
		r -= c.weekOpen[w]
		w++
		if w == 7 {
			w = 0
		}
		d++
	}
	off := int64(c.excOff[k])
	return dayRef{d: d, k: k, ds: int64(d)*secPerDay - off, sh: c.week[w]}, r
}

// instantIn returns the instant at open offset r (ns) within day ref; with
// strict, an offset equal to a stretch's end stays in that stretch.
func (c *Calendar) instantIn(ref dayRef, r int64, strict bool) (sec, nsec int64) {
	lo, hi := int(c.shapeOff[ref.sh]), int(c.shapeOff[ref.sh+1])
	for hi-lo > 1 {
		m := int(uint(lo+hi) >> 1)
		cm := int64(c.ivCum[m]) * nsPerSec
		if cm < r || (!strict && cm == r) {
			lo = m
		} else {
			hi = m
		}
	}
	iv := c.ivs[lo]
	ns := int64(iv.s)*nsPerSec + r - int64(c.ivCum[lo])*nsPerSec
	return ref.ds + ns/nsPerSec, ns % nsPerSec
}

func (c *Calendar) at(sec, nsec int64) time.Time { return time.Unix(sec, nsec).In(c.loc) }

// noMore explains why open time (or working days) runs out before an
// answer is found: the supported years end first (ErrOutOfRange), unless
// the calendar has no weekly hours, so that no year beyond the range
// would add open time (ErrNeverOpen): a calendar open only on some extra
// working days has no deadline once they are used up, however many years
// it supported.
func (c *Calendar) noMore() error {
	if c.weekTotal > 0 {
		return ErrOutOfRange
	}
	return ErrNeverOpen
}

// Add returns the instant at which d of open time has passed since start.
//
// A start outside open hours counts from the next opening. For d > 0 the
// result is the earliest instant with Between(start, result) == d, so a
// deadline that uses up a day's last open minute lands on that day's closing
// time, not on the next opening. Add(start, 0) is NextOpen(start). For d < 0
// Add counts open time backwards and returns the latest instant with
// Between(result, start) == -d (landing on an opening time rather than the
// previous closing time). Errors: [ErrOutOfRange] when start or the result is
// outside the supported years, [ErrNeverOpen] when the calendar has no open
// time left and no weekly hours.
func (c *Calendar) Add(start time.Time, d time.Duration) (time.Time, error) {
	p, ok := c.posOf(start)
	if !ok {
		return time.Time{}, c.fail("Add", ErrOutOfRange)
	}
	return c.addPos(p, d)
}

// addPos is Add from the business position p of the start (posOf).
func (c *Calendar) addPos(p int64, d time.Duration) (time.Time, error) {
	switch {
	case d > 0:
		if int64(d) > c.total-p {
			return time.Time{}, c.fail("Add", c.noMore())
		}
		ref, r := c.findDay(p+int64(d), true)
		return c.at(c.instantIn(ref, r, true)), nil
	case d == 0:
		if p >= c.total {
			return time.Time{}, c.fail("Add", c.noMore())
		}
		ref, r := c.findDay(p, false)
		return c.at(c.instantIn(ref, r, false)), nil
	default:
		T := p + int64(d)
		if T < 0 || d == minDuration {
			return time.Time{}, c.fail("Add", c.noMore())
		}
		ref, r := c.findDay(T, false)
		return c.at(c.instantIn(ref, r, false)), nil
	}
}

const minDuration = time.Duration(-1 << 63)

// Between returns the open time in [a, b): how much business time passes
// from a to b. It is negative when b is before a. Between(s, Add(s, d)) == d
// for every d > 0 that [Calendar.Add] accepts.
func (c *Calendar) Between(a, b time.Time) (time.Duration, error) {
	pa, ok1 := c.posOf(a)
	pb, ok2 := c.posOf(b)
	if !ok1 || !ok2 {
		return 0, c.fail("Between", ErrOutOfRange)
	}
	return time.Duration(pb - pa), nil
}

// IsOpen reports whether the calendar is open at t. Instants outside the
// supported years are closed.
func (c *Calendar) IsOpen(t time.Time) bool {
	sec, _, ok := c.inRange(t)
	return ok && c.openAt(sec)
}

// IsWorkingDay reports whether the local date of t (in the calendar's
// zone) has any open time.
func (c *Calendar) IsWorkingDay(t time.Time) bool {
	sec, _, ok := c.inRange(t)
	if !ok {
		return false
	}
	return c.shapeOpen[c.locate(sec).sh] > 0
}

// NextOpen returns the first open instant at or after t: t itself when the
// calendar is open at t.
func (c *Calendar) NextOpen(t time.Time) (time.Time, error) {
	p, ok := c.posOf(t)
	if !ok {
		return time.Time{}, c.fail("NextOpen", ErrOutOfRange)
	}
	if p >= c.total {
		return time.Time{}, c.fail("NextOpen", c.noMore())
	}
	ref, r := c.findDay(p, false)
	return c.at(c.instantIn(ref, r, false)), nil
}

// NextClose returns the first closed instant at or after t: t itself when
// the calendar is closed at t, otherwise the end of the open stretch that
// holds t (stretches that meet at midnight count as one).
func (c *Calendar) NextClose(t time.Time) (time.Time, error) {
	sec, _, ok := c.inRange(t)
	if !ok {
		return time.Time{}, c.fail("NextClose", ErrOutOfRange)
	}
	if !c.openAt(sec) {
		return t, nil
	}
	end, ends := c.periodEnd(sec)
	if !ends {
		return time.Time{}, c.fail("NextClose", ErrNeverCloses)
	}
	return c.at(end, 0), nil
}

// AddWorkingDays returns the deadline "n working days after start".
//
// A working day is a local date with open time. The landing rule: start is
// first rolled forward to the next open instant (a ticket that arrives at
// night or on a holiday counts from the next opening); the local date of
// that instant is day 0; the result is the closing time (the end of the
// last open stretch) of the n-th working day after day 0. So with
// Mon–Fri 09:00–17:00, a ticket at Monday 10:00 or Sunday 23:00 with n = 1
// is due Tuesday 17:00, and n = 0 means the close of the day of receipt.
// For n < 0 the rule is mirrored: start is rolled back to the end of the
// open time before it, day 0 is that instant's date, and the result is the
// closing time of the |n|-th working day before day 0 (a delay request due
// "1 working day before" a Wednesday 17:00 deadline is due Tuesday 17:00).
func (c *Calendar) AddWorkingDays(start time.Time, n int) (time.Time, error) {
	roll := RollForward
	if n < 0 {
		roll = RollBackward
	}
	return c.addWorkingDays("AddWorkingDays", start, n, roll)
}

// findWorkDay returns the m-th (1-based) working day of the range.
func (c *Calendar) findWorkDay(m int32) dayRef {
	lo, hi := 0, len(c.excWork)
	for hi-lo > 1 {
		mid := int(uint(lo+hi) >> 1)
		if c.excWork[mid] < m {
			lo = mid
		} else {
			hi = mid
		}
	}
	k := lo
	r := m - c.excWork[k]
	isW := c.workOf(c.excShape[k])
	if r <= isW {
		return dayRef{d: c.excDay[k], k: k, exc: true, ds: c.excStart[k], sh: c.excShape[k]}
	}
	r -= isW
	d := c.excDay[k] + 1
	w := int(weekdayOf(d))
	q := (r - 1) / c.weekWorkTotal
	r -= q * c.weekWorkTotal
	d += q * 7
	for r > c.weekWork[w] {
		r -= c.weekWork[w]
		w++
		if w == 7 {
			w = 0
		}
		d++
	}
	return dayRef{d: d, k: k, ds: int64(d)*secPerDay - int64(c.excOff[k]), sh: c.week[w]}
}
