package sla

import (
	"math"
	"slices"
	"time"
)

const (
	secPerDay = 86400
	nsPerSec  = int64(time.Second)
)

// zoneSegs lists the UTC offsets of a zone as constant stretches: offset
// off[i] holds from start[i] (Unix seconds) until start[i+1].
type zoneSegs struct {
	start []int64
	off   []int32
}

// loadSegs enumerates the offset changes of loc between lo and hi.
//
// It walks the zone with time.Time.ZoneBounds but never trusts the end it
// returns to move forward: with Go's embedded zone database (time/tzdata,
// $GOROOT/lib/time/zoneinfo.zip) and, past the last explicit transition, with
// the system zone files too, the last stretch of a leap year computed from the
// zone's rule ends one day early, at or before the instant asked about. A walk
// that stops there drops every later change. When the bound does not advance,
// the walk steps one hour on and, if the offset changed within that hour,
// bisects to the exact second.
func loadSegs(loc *time.Location, lo, hi int64) zoneSegs {
	t := time.Unix(lo, 0).In(loc)
	_, off := t.Zone()
	z := zoneSegs{start: []int64{math.MinInt64}, off: []int32{int32(off)}}
	for {
		_, end := t.ZoneBounds()
		if end.IsZero() { // the current offset lasts for ever
			break
		}
		next := end.Unix()
		if next <= t.Unix() {
			next = probeChange(loc, t.Unix(), t.Unix()+3600)
		}
		if next > hi {
			break
		}
		t = time.Unix(next, 0).In(loc)
		_, o := t.Zone()
		if int32(o) != z.off[len(z.off)-1] {
			z.start = append(z.start, next)
			z.off = append(z.off, int32(o))
		}
	}
	return z
}

// probeChange returns the first second in (a, b] whose UTC offset in loc
// differs from a's, or b when the offset holds throughout.
func probeChange(loc *time.Location, a, b int64) int64 {
	offAt := func(x int64) int {
		_, o := time.Unix(x, 0).In(loc).Zone()
		return o
	}
	o := offAt(a)
	if offAt(b) == o {
		return b
	}
	for b-a > 1 { // invariant: offAt(a) == o, offAt(b) != o
		m := a + (b-a)/2
		if offAt(m) == o {
			a = m
		} else {
			b = m
		}
	}
	return b
}

func (z *zoneSegs) end(i int) int64 {
	if i+1 < len(z.start) {
		return z.start[i+1]
	}
	return math.MaxInt64
}

// idx returns the segment holding instant x.
func (z *zoneSegs) idx(x int64) int {
	lo, hi := 0, len(z.start)
	for hi-lo > 1 {
		m := int(uint(lo+hi) >> 1)
		if z.start[m] <= x {
			lo = m
		} else {
			hi = m
		}
	}
	return lo
}

// dayStart returns the first instant whose local date is d or later.
func (z *zoneSegs) dayStart(d int32) int64 {
	L := int64(d) * secPerDay
	for i := z.idx(L - 3*secPerDay); i < len(z.start); i++ {
		x := max(z.start[i], L-int64(z.off[i]))
		if x < z.end(i) {
			return x
		}
	}
	return math.MaxInt64
}

// transitionDays returns the local dates touched by an offset change within
// [firstDay, endDay), sorted and unique.
func (z *zoneSegs) transitionDays(firstDay, endDay int32) []int32 {
	var out []int32
	for i := 1; i < len(z.start); i++ {
		T := z.start[i]
		a := int32(floorDiv(T-1+int64(z.off[i-1]), secPerDay))
		b := int32(floorDiv(T+int64(z.off[i]), secPerDay))
		if a > b {
			a, b = b, a
		}
		for d := a; d <= b; d++ {
			if d >= firstDay && d < endDay && (len(out) == 0 || out[len(out)-1] < d) {
				out = append(out, d)
			}
		}
	}
	return out
}

// shapeFromWall computes the open stretches of local date d, in seconds
// elapsed since the day's first instant ds (the day ends at de), from
// wall-clock rules: an instant is open when its own local date and time of
// day fall in that date's open hours. Offset changes inside the day are
// honoured: a skipped wall-clock hour is never open, a repeated one is open
// twice.
func (z *zoneSegs) shapeFromWall(ds, de int64, wall func(int32, []span) []span) []span {
	var out []span
	buf := make([]span, 0, 16)
	for i := z.idx(ds); i < len(z.start) && z.start[i] < de; i++ {
		a, b := max(z.start[i], ds), min(z.end(i), de)
		if a >= b {
			continue
		}
		o := int64(z.off[i])
		for ld := floorDiv(a+o, secPerDay); ld*secPerDay < b+o; ld++ {
			for _, w := range wall(int32(ld), buf[:0]) {
				x0 := ld*secPerDay + int64(w.s) - o
				x1 := ld*secPerDay + int64(w.e) - o
				x0, x1 = max(x0, a), min(x1, b)
				if x0 < x1 {
					out = append(out, span{int32(x0 - ds), int32(x1 - ds)})
				}
			}
		}
	}
	return normalizeSpans(out)
}

// builder assembles the compact tables of a Calendar.
type builder struct {
	c      *Calendar
	segs   zoneSegs
	shapes map[string]int32
	key    []byte
}

func newBuilder(name string, loc *time.Location, first, last int) *builder {
	c := &Calendar{name: name, loc: loc, firstYear: first, lastYear: last}
	c.firstDay, c.endDay = civilDay(first, 1, 1), civilDay(last+1, 1, 1)
	b := &builder{c: c, shapes: map[string]int32{}}
	b.segs = loadSegs(loc, int64(c.firstDay-3)*secPerDay, int64(c.endDay+3)*secPerDay)
	c.startSec = b.segs.dayStart(c.firstDay)
	c.endSec = b.segs.dayStart(c.endDay)
	c.shapeOff = []int32{0}
	b.intern(nil) // shape 0: closed all day
	return b
}

// appendShapeKey appends the bytes that identify shape sh to buf.
func appendShapeKey(buf []byte, sh []span) []byte {
	for _, s := range sh {
		buf = append(buf, byte(s.s), byte(s.s>>8), byte(s.s>>16), byte(s.s>>24), byte(s.e), byte(s.e>>8), byte(s.e>>16), byte(s.e>>24))
	}
	return buf
}

// intern returns the index of shape sh in the calendar's shape pool.
func (b *builder) intern(sh []span) int32 {
	b.key = appendShapeKey(b.key[:0], sh)
	if i, ok := b.shapes[string(b.key)]; ok { // no allocation for the lookup
		return i
	}
	c := b.c
	i := int32(len(c.shapeOpen))
	var cum int32
	for _, s := range sh {
		c.ivs = append(c.ivs, s)
		c.ivCum = append(c.ivCum, cum)
		cum += s.e - s.s
	}
	c.shapeOff = append(c.shapeOff, int32(len(c.ivs)))
	c.shapeOpen = append(c.shapeOpen, int64(cum)*nsPerSec)
	b.shapes[string(b.key)] = i
	return i
}

// setWeek installs the weekly pattern (elapsed == wall clock on days without
// offset changes).
func (b *builder) setWeek(week [7][]span) {
	c := b.c
	full := true
	for w := range 7 {
		c.week[w] = b.intern(week[w])
		c.weekOpen[w] = c.shapeOpen[c.week[w]]
		if c.weekOpen[w] > 0 {
			c.weekWork[w] = 1
		}
		if len(week[w]) != 1 || week[w][0] != (span{0, secPerDay}) {
			full = false
		}
	}
	c.fullWeek = full
	for i := range 14 {
		c.weekPre[i+1] = c.weekPre[i] + c.weekOpen[i%7]
		c.weekWorkPre[i+1] = c.weekWorkPre[i] + c.weekWork[i%7]
	}
	c.weekTotal = c.weekPre[7]
	c.weekWorkTotal = c.weekWorkPre[7]
}

// exception is one day that does not follow the weekly pattern.
type exception struct {
	day   int32
	shape int32
	start int64
}

// finish lays down the exception tables. exc must be sorted by day, unique,
// inside [firstDay, endDay), and include every day touched by an offset
// change.
func (b *builder) finish(exc []exception) *Calendar {
	c := b.c
	n := len(exc) + 2
	c.excDay = make([]int32, 0, n)
	c.excShape = make([]int32, 0, n)
	c.excStart = make([]int64, 0, n)
	c.excOff = make([]int32, 0, n)
	c.excCum = make([]int64, 0, n)
	c.excWork = make([]int32, 0, n)
	offAt := func(x int64) int32 { return b.segs.off[b.segs.idx(x)] }
	// Virtual entry for the day before the range: closed, no open time.
	c.excDay = append(c.excDay, c.firstDay-1)
	c.excShape = append(c.excShape, 0)
	c.excStart = append(c.excStart, math.MinInt64)
	c.excOff = append(c.excOff, offAt(c.startSec))
	c.excCum = append(c.excCum, 0)
	c.excWork = append(c.excWork, 0)
	add := func(e exception) {
		k := len(c.excDay) - 1
		cum := c.excCum[k] + c.shapeOpen[c.excShape[k]] + c.patternSum(c.excDay[k]+1, e.day)
		work := c.excWork[k] + c.workOf(c.excShape[k]) + c.patternWork(c.excDay[k]+1, e.day)
		next := b.segs.dayStart(e.day + 1)
		c.excDay = append(c.excDay, e.day)
		c.excShape = append(c.excShape, e.shape)
		c.excStart = append(c.excStart, e.start)
		c.excOff = append(c.excOff, offAt(next))
		c.excCum = append(c.excCum, cum)
		c.excWork = append(c.excWork, work)
	}
	for _, e := range exc {
		add(e)
	}
	add(exception{day: c.endDay, shape: 0, start: c.endSec}) // sentinel
	c.total = c.excCum[len(c.excCum)-1]
	c.totalWork = c.excWork[len(c.excWork)-1]
	return c
}

func (c *Calendar) workOf(sh int32) int32 {
	if c.shapeOpen[sh] > 0 {
		return 1
	}
	return 0
}

// patternSum returns the open time (ns) of the weekly pattern over days
// [d0, d1).
func (c *Calendar) patternSum(d0, d1 int32) int64 {
	if d1 <= d0 {
		return 0
	}
	n := int64(d1 - d0)
	w := int(weekdayOf(d0))
	return n/7*c.weekTotal + c.weekPre[w+int(n%7)] - c.weekPre[w]
}

func (c *Calendar) patternWork(d0, d1 int32) int32 {
	if d1 <= d0 {
		return 0
	}
	n := d1 - d0
	w := int(weekdayOf(d0))
	return n/7*c.weekWorkTotal + c.weekWorkPre[w+int(n%7)] - c.weekWorkPre[w]
}

// compileWall builds a calendar from validated wall-clock rules.
func compileWall(name string, w *wallRules) *Calendar {
	b := newBuilder(name, w.loc, w.first, w.last)
	c := b.c
	b.setWeek(w.week)
	trans := b.segs.transitionDays(c.firstDay, c.endDay)
	isTrans := make(map[int32]bool, len(trans))
	days := make([]int32, 0, len(trans)+len(w.overrides))
	for _, d := range trans {
		isTrans[d] = true
		days = append(days, d)
	}
	for d := range w.overrides {
		if d >= c.firstDay && d < c.endDay && !isTrans[d] {
			days = append(days, d)
		}
	}
	slices.Sort(days)
	exc := make([]exception, 0, len(days))
	buf := make([]span, 0, 16)
	for _, d := range days {
		ds := b.segs.dayStart(d)
		var sh int32
		if isTrans[d] {
			sh = b.intern(b.segs.shapeFromWall(ds, b.segs.dayStart(d+1), w.wall))
		} else {
			sh = b.intern(w.wall(d, buf[:0]))
			if sh == c.week[weekdayOf(d)] {
				continue // e.g. a holiday on a closed Sunday: nothing to store
			}
		}
		exc = append(exc, exception{day: d, shape: sh, start: ds})
	}
	return b.finish(exc)
}
