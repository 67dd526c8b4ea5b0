package sla

import (
	"fmt"
	"slices"
)

// abs is a stretch [s, e) of Unix seconds.
type abs struct{ s, e int64 }

// Intersect returns a calendar that is open exactly when both a and b are
// open, e.g. a customer's hours ∩ the team's hours. The result uses a's time
// zone for its days ([Calendar.IsWorkingDay], [Calendar.AddWorkingDays]) and is
// named "a.Name() ∩ b.Name()". a and b may be in different zones; they must
// have the same supported years.
func Intersect(a, b *Calendar) (*Calendar, error) { return compose(a, b, true) }

// Union returns a calendar that is open whenever a or b is open, e.g. two
// shifts of a follow-the-sun team. Days, zone and name ("a ∪ b") follow
// [Intersect]'s rules.
func Union(a, b *Calendar) (*Calendar, error) { return compose(a, b, false) }

func compose(a, b *Calendar, and bool) (*Calendar, error) {
	opName, sym := "Union", " ∪ "
	if and {
		opName, sym = "Intersect", " ∩ "
	}
	if a == nil || b == nil {
		return nil, &CalendarError{Op: opName, Err: fmt.Errorf("%w: nil calendar", ErrInvalidArgument)}
	}
	if a.firstYear != b.firstYear || a.lastYear != b.lastYear {
		return nil, &CalendarError{Op: opName, Calendar: a.name, Err: fmt.Errorf("%w: supported years %d..%d and %d..%d differ",
			ErrInvalidArgument, a.firstYear, a.lastYear, b.firstYear, b.lastYear)}
	}
	bl := newBuilder(a.name+sym+b.name, a.loc, a.firstYear, a.lastYear)
	c := bl.c
	trans := bl.segs.transitionDays(c.firstDay, c.endDay)
	isTrans := make(map[int32]bool, len(trans))
	for _, d := range trans {
		isTrans[d] = true
	}
	var bufA, bufB, bufR []abs
	var out []span
	shapeOn := func(d int32) int32 {
		ds, de := bl.segs.dayStart(d), bl.segs.dayStart(d+1)
		bufA = a.appendOpen(bufA[:0], ds, de)
		bufB = b.appendOpen(bufB[:0], ds, de)
		if and {
			bufR = intersectAbs(bufR[:0], bufA, bufB)
		} else {
			bufR = unionAbs(bufR[:0], bufA, bufB)
		}
		out = out[:0]
		for _, x := range bufR {
			out = append(out, span{int32(x.s - ds), int32(x.e - ds)})
		}
		return bl.intern(out)
	}

	var days []int32
	var all []int32 // cross-zone: every day's shape, computed once
	if a.loc.String() == b.loc.String() {
		// Same zone: days align, so only days special in a or b can differ
		// from the combined weekly pattern.
		var week [7][]span
		for w := range 7 {
			sa, sb := a.shape(a.week[w]), b.shape(b.week[w])
			var r []abs
			if and {
				r = intersectAbs(nil, toAbs(sa), toAbs(sb))
			} else {
				r = unionAbs(nil, toAbs(sa), toAbs(sb))
			}
			for _, x := range r {
				week[w] = append(week[w], span{int32(x.s), int32(x.e)})
			}
		}
		bl.setWeek(week)
		days = append(days, trans...)
		days = append(days, a.excDay...)
		days = append(days, b.excDay...)
		slices.Sort(days)
		days = slices.Compact(days)
	} else {
		// Different zones: compute every day, take each weekday's most
		// common shape as the pattern.
		all = make([]int32, c.endDay-c.firstDay)
		count := map[int64]int{}
		for i := range all {
			d := c.firstDay + int32(i)
			all[i] = shapeOn(d)
			if !isTrans[d] {
				count[int64(weekdayOf(d))<<32|int64(all[i])]++
			}
		}
		var best [7]int32
		var bestN [7]int
		for key, n := range count {
			w, sh := int(key>>32), int32(key&0xffffffff)
			if n > bestN[w] || (n == bestN[w] && sh < best[w]) {
				best[w], bestN[w] = sh, n
			}
		}
		var week [7][]span
		for w := range 7 {
			week[w] = slices.Clone(c.shape(best[w]))
		}
		bl.setWeek(week)
		for i := range all {
			days = append(days, c.firstDay+int32(i))
		}
	}
	exc := make([]exception, 0, 64)
	for _, d := range days {
		if d < c.firstDay || d >= c.endDay {
			continue
		}
		var sh int32
		if all != nil {
			sh = all[d-c.firstDay]
		} else {
			sh = shapeOn(d)
		}
		if !isTrans[d] && sh == c.week[weekdayOf(d)] {
			continue
		}
		exc = append(exc, exception{day: d, shape: sh, start: bl.segs.dayStart(d)})
	}
	return bl.finish(exc), nil
}

// composeBound bounds the days that differ from the weekly pattern in a
// composition of a and b: the special days of either in the same zone,
// every date of the range across zones.
func composeBound(a, b *Calendar) int {
	if a.loc.String() == b.loc.String() {
		return len(a.excDay) + len(b.excDay)
	}
	return int(a.endDay-a.firstDay) + 2
}

// shape returns the stretches of shape sh.
func (c *Calendar) shape(sh int32) []span { return c.ivs[c.shapeOff[sh]:c.shapeOff[sh+1]] }

func toAbs(s []span) []abs {
	out := make([]abs, len(s))
	for i, x := range s {
		out[i] = abs{int64(x.s), int64(x.e)}
	}
	return out
}

// appendOpen appends the open stretches within [x0, x1) to dst, in order.
func (c *Calendar) appendOpen(dst []abs, x0, x1 int64) []abs {
	x0, x1 = max(x0, c.startSec), min(x1, c.endSec)
	if x0 >= x1 {
		return dst
	}
	r := c.locate(x0)
	for {
		for _, iv := range c.shape(r.sh) {
			s, e := max(r.ds+int64(iv.s), x0), min(r.ds+int64(iv.e), x1)
			if s < e {
				if n := len(dst); n > 0 && dst[n-1].e == s {
					dst[n-1].e = e
				} else {
					dst = append(dst, abs{s, e})
				}
			}
		}
		if r.d+1 >= c.endDay {
			return dst
		}
		r = c.dayOf(r.d + 1)
		if r.ds >= x1 {
			return dst
		}
	}
}

func intersectAbs(dst, a, b []abs) []abs {
	i, j := 0, 0
	for i < len(a) && j < len(b) {
		s, e := max(a[i].s, b[j].s), min(a[i].e, b[j].e)
		if s < e {
			dst = append(dst, abs{s, e})
		}
		if a[i].e < b[j].e {
			i++
		} else {
			j++
		}
	}
	return dst
}

func unionAbs(dst, a, b []abs) []abs {
	i, j := 0, 0
	for i < len(a) || j < len(b) {
		var x abs
		if j >= len(b) || (i < len(a) && a[i].s <= b[j].s) {
			x = a[i]
			i++
		} else {
			x = b[j]
			j++
		}
		if n := len(dst); n > 0 && x.s <= dst[n-1].e {
			dst[n-1].e = max(dst[n-1].e, x.e)
		} else {
			dst = append(dst, x)
		}
	}
	return dst
}
