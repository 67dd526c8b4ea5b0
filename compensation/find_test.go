package compensation

import (
	"math"
	"math/rand"
	"slices"
	"testing"
	"time"
)

// inBand is the band test by its edges, as find wrote it before duration
// schedules had their durRange table: the reference for findDuration.
func inBand(b *band, d time.Duration) bool {
	if !b.lo.unbounded && (d < b.lo.v.d || d == b.lo.v.d && !b.lo.incl) {
		return false
	}
	return b.hi.unbounded || d < b.hi.v.d || d == b.hi.v.d && b.hi.incl
}

// TestFindDurationMatchesEdges holds findDuration, through the inclusive
// bounds compiled into sc.durs, to the edges' own definition, on random
// ascending bands of every kind of edge (open, closed, unbounded, at the
// int64 extremes) and durations at, beside and between the edges.
func TestFindDurationMatchesEdges(t *testing.T) {
	r := rand.New(rand.NewSource(5))
	extremes := []time.Duration{math.MinInt64, math.MinInt64 + 1, -1, 0, 1, math.MaxInt64 - 1, math.MaxInt64}
	for iter := 0; iter < 20000; iter++ {
		n := 1 + r.Intn(5)
		pts := make([]time.Duration, 0, 2*n)
		for len(pts) < 2*n {
			if r.Intn(4) == 0 {
				pts = append(pts, extremes[r.Intn(len(extremes))])
			} else {
				pts = append(pts, time.Duration(r.Intn(40))*time.Hour)
			}
		}
		slices.Sort(pts)
		var sc schedule
		for i := 0; i < n; i++ {
			b := band{lo: edge{incl: r.Intn(2) == 0, v: mval{d: pts[2*i]}}, hi: edge{incl: r.Intn(2) == 0, v: mval{d: pts[2*i+1]}}}
			b.lo.unbounded = i == 0 && r.Intn(5) == 0
			b.hi.unbounded = i == n-1 && r.Intn(3) == 0
			sc.bands = append(sc.bands, b)
		}
		for i := range sc.bands {
			sc.durs = append(sc.durs, durRangeOf(&sc.bands[i]))
		}
		probe := slices.Clone(extremes)
		for _, p := range pts {
			probe = append(probe, p-1, p, p+1, p+time.Duration(r.Int63n(int64(time.Hour))))
		}
		for _, d := range probe {
			var want *band
			for i := range sc.bands {
				if inBand(&sc.bands[i], d) {
					want = &sc.bands[i]
					break
				}
			}
			if got := sc.findDuration(d); got != want {
				t.Fatalf("duration %d in bands %+v: found %p, want %p", d, sc.bands, got, want)
			}
		}
	}
}
