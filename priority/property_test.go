package priority_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"

	"github.com/closeloop/closeloop/priority"
)

// genRules builds random valid rules of every method, with random scales,
// levels, count thresholds, quadrants and overrides.
func genRules(rng *rand.Rand) priority.Spec {
	nlevels := 2 + rng.IntN(5)
	levels := make([]string, nlevels)
	for i := range levels {
		levels[i] = fmt.Sprintf("L%d", i)
	}
	name := func(l int) string { return levels[l] }
	scales := [4]*priority.Scale{}
	for d := range scales {
		if rng.IntN(2) == 0 {
			lo := rng.IntN(3)
			scales[d] = &priority.Scale{Min: lo, Max: lo + 1 + rng.IntN(5)}
		}
	}
	maxOf := func(d int) int {
		if scales[d] == nil {
			return 4
		}
		return scales[d].Max
	}
	minOf := func(d int) int {
		if scales[d] == nil {
			return 1
		}
		return scales[d].Min
	}
	r := priority.Spec{
		Levels: levels,
		Scales: &priority.Scales{Impact: scales[0], Urgency: scales[1], Severity: scales[2], Tier: scales[3]},
	}
	if rng.IntN(2) == 0 {
		n := rng.IntN(maxOf(0)-minOf(0)) + 1
		t := int64(0)
		r.ImpactFrom = &priority.ImpactFrom{}
		for range n {
			t += 1 + rng.Int64N(100)
			r.ImpactFrom.Affected = append(r.ImpactFrom.Affected, t)
		}
		if rng.IntN(2) == 0 {
			r.ImpactFrom.Business = []int64{1000, 100000}[:min(2, maxOf(0)-minOf(0))]
		}
	}
	if rng.IntN(3) == 0 {
		r.TierFrom = &priority.TierFrom{Value: []int64{500, 5000, 50000}[:min(3, maxOf(3)-minOf(3))]}
	}
	if rng.IntN(3) == 0 {
		if r.TierFrom == nil {
			r.TierFrom = &priority.TierFrom{}
		}
		r.TierFrom.Names = map[string]int{}
		for _, n := range genTierNames[:1+rng.IntN(len(genTierNames))] {
			r.TierFrom.Names[n] = minOf(3) + rng.IntN(maxOf(3)-minOf(3)+1)
		}
	}
	var genCond func(depth int) priority.Condition
	genCond = func(depth int) priority.Condition {
		var c priority.Condition
		for c2 := 0; c2 == 0 || isEmptyCond(c); c2++ {
			switch rng.IntN(8) {
			case 0:
				c.Flags = append(c.Flags, priority.FlagNames()[rng.IntN(5)])
			case 1:
				c.ImpactAtLeast = rng.IntN(maxOf(0) + 1)
			case 2:
				c.UrgencyAtLeast = rng.IntN(maxOf(1) + 1)
			case 3:
				c.SeverityAtLeast = rng.IntN(maxOf(2) + 1)
			case 4:
				c.TierAtLeast = rng.IntN(maxOf(3) + 1)
			case 5:
				c.AffectedAtLeast = rng.Int64N(200)
			case 6:
				if depth < 2 {
					c.Any = []priority.Condition{genCond(depth + 1), genCond(depth + 1)}
				}
			case 7:
				if depth < 2 {
					c.All = []priority.Condition{genCond(depth + 1), genCond(depth + 1)}
				}
			}
		}
		return c
	}
	switch rng.IntN(3) {
	case 0:
		r.Method = priority.MethodWeighted
		w := &priority.Weighted{
			Weights: priority.Weights{Impact: rng.IntN(20), Urgency: rng.IntN(20), Severity: rng.IntN(20), Tier: rng.IntN(20)},
			Flags:   priority.FlagPoints{PersonalSafety: rng.IntN(50), CoreFunction: rng.IntN(30), RepeatedFault: rng.IntN(10)},
		}
		at := 100 + rng.IntN(100)
		for l := 0; l < nlevels-1; l++ {
			if rng.IntN(4) == 0 && l > 0 {
				continue // skip a level
			}
			w.Bands = append(w.Bands, priority.Band{Level: name(l), AtLeast: at})
			at -= 1 + rng.IntN(40)
		}
		r.Weighted = w
	case 1:
		r.Method = priority.MethodMatrix
		dims := []string{"impact", "urgency", "severity", "tier"}
		ri := rng.IntN(4)
		ci := (ri + 1 + rng.IntN(3)) % 4
		nr, nc := maxOf(ri)-minOf(ri)+1, maxOf(ci)-minOf(ci)+1
		cells := make([][]int, nr)
		m := &priority.Matrix{Rows: dims[ri], Columns: dims[ci], Cells: make([][]string, nr)}
		for i := range cells {
			cells[i] = make([]int, nc)
			m.Cells[i] = make([]string, nc)
			for j := range cells[i] {
				v := rng.IntN(nlevels)
				if i > 0 {
					v = min(v, cells[i-1][j])
				}
				if j > 0 {
					v = min(v, cells[i][j-1])
				}
				cells[i][j] = v
				m.Cells[i][j] = name(v)
			}
		}
		r.Matrix = m
	case 2:
		r.Method = priority.MethodQuadrant
	}
	if r.Method == priority.MethodQuadrant || rng.IntN(2) == 0 {
		r.Quadrants = &priority.Quadrants{Urgent: genCond(0), Important: genCond(0)}
		if rng.IntN(2) == 0 {
			d := rng.IntN(nlevels)
			p, c := d+rng.IntN(nlevels-d), d+rng.IntN(nlevels-d)
			b := max(p, c) + rng.IntN(nlevels-max(p, c))
			r.Quadrants.Levels = &priority.QuadrantLevels{DoNow: name(d), Plan: name(p), Coordinate: name(c), Backlog: name(b)}
		}
	}
	for i := range rng.IntN(6) {
		o := priority.Override{Name: fmt.Sprintf("o%d", i)}
		switch rng.IntN(3) { // restrictions are unordered facts: any action may have them
		case 0:
			o.Categories = []string{genCategories[1+rng.IntN(2)]}
		case 1:
			o.Kinds = genKinds[1 : 2+rng.IntN(2)]
		}
		switch rng.IntN(5) {
		case 0:
			c := genCond(0)
			o.When, o.RaiseTo = &c, name(rng.IntN(nlevels))
		case 1:
			c := genCond(0)
			o.When, o.RaiseBy = &c, 1+rng.IntN(nlevels-1)
		case 2:
			o.Floor = name(rng.IntN(nlevels))
		case 3:
			o.Cap = name(rng.IntN(nlevels))
		case 4:
			c := genCond(0)
			o.Cap, o.Unless = name(rng.IntN(nlevels)), &c
		}
		r.Overrides = append(r.Overrides, o)
	}
	return r
}

// The unordered inputs the generated rules restrict overrides to and the
// tier names they map; the first entry is "not given".
var (
	genCategories = []string{"", "service_experience", "product_fault"}
	genKinds      = []string{"", "complaint", "inquiry"}
	genTierNames  = []string{"new", "returning", "vip"}
)

func isEmptyCond(c priority.Condition) bool {
	b, _ := json.Marshal(c)
	return string(b) == "{}"
}

// genInput returns a valid input for s: each scale value in range or 0
// (not given).
func genInput(rng *rand.Rand, r priority.Spec) priority.Input {
	pick := func(sc *priority.Scale) int {
		lo, hi := 1, 4
		if sc != nil {
			lo, hi = sc.Min, sc.Max
		}
		if rng.IntN(6) == 0 {
			return 0
		}
		return lo + rng.IntN(hi-lo+1)
	}
	var sc priority.Scales
	if r.Scales != nil {
		sc = *r.Scales
	}
	in := priority.Input{
		Impact:   pick(sc.Impact),
		Urgency:  pick(sc.Urgency),
		Severity: pick(sc.Severity),
		Tier:     pick(sc.Tier),
		Affected: rng.Int64N(300),
		Business: rng.Int64N(200000),
		Value:    rng.Int64N(100000),
		Flags:    priority.Flags(rng.IntN(32)),
		Category: genCategories[rng.IntN(len(genCategories))],
		Kind:     genKinds[rng.IntN(len(genKinds))],
	}
	if r.TierFrom != nil && len(r.TierFrom.Names) > 0 && rng.IntN(2) == 0 {
		for name := range r.TierFrom.Names { // any mapped name will do
			in.TierName = name
			break
		}
	}
	return in
}

// raisings lists every input one step "more" than in: each scale value up
// by one (0 = not given counts as the minimum), each count up, each flag set.
func raisings(in priority.Input, r priority.Spec) []priority.Input {
	var sc priority.Scales
	if r.Scales != nil {
		sc = *r.Scales
	}
	up := func(v int, s *priority.Scale) (int, bool) {
		lo, hi := 1, 4
		if s != nil {
			lo, hi = s.Min, s.Max
		}
		if v == 0 {
			v = lo
		}
		return v + 1, v < hi
	}
	var out []priority.Input
	if v, ok := up(in.Impact, sc.Impact); ok {
		x := in
		x.Impact = v
		out = append(out, x)
	}
	if v, ok := up(in.Urgency, sc.Urgency); ok {
		x := in
		x.Urgency = v
		out = append(out, x)
	}
	if v, ok := up(in.Severity, sc.Severity); ok {
		x := in
		x.Severity = v
		out = append(out, x)
	}
	if v, ok := up(in.Tier, sc.Tier); ok {
		x := in
		x.Tier = v
		out = append(out, x)
	}
	x := in
	x.Affected += 1 + in.Affected
	out = append(out, x)
	x = in
	x.Business += 1 + in.Business
	out = append(out, x)
	x = in
	x.Value += 1 + in.Value
	out = append(out, x)
	for i := range 5 {
		f := priority.Flags(1 << i)
		if in.Flags&f == 0 {
			x := in
			x.Flags |= f
			out = append(out, x)
		}
	}
	// A tier name that maps higher than the one given (or than none) is a
	// raised tier too.
	if r.TierFrom != nil {
		cur := 0
		if in.TierName != "" {
			cur = r.TierFrom.Names[in.TierName]
		}
		for name, t := range r.TierFrom.Names {
			if t > cur {
				x := in
				x.TierName = name
				out = append(out, x)
			}
		}
	}
	return out
}

// TestProperties checks, for random rules and random inputs: total (every
// valid input yields a level of the policy), deterministic (the same input
// gives the same result; Explain agrees with Score), monotonic (raising any
// input or setting any flag never gives a less urgent level), and round trip
// (the rules marshal to a document that decides identically).
func TestProperties(t *testing.T) {
	rng := rand.New(rand.NewPCG(6, 2026))
	rulesN, inputsN := 250, 50
	if !fullSize() {
		rulesN = 60
	}
	for k := range rulesN {
		r := genRules(rng)
		s, err := priority.New(r)
		doc, _ := json.Marshal(r)
		require.NoError(t, err, "rules %d: %s", k, doc)
		s2, err := priority.Parse(doc)
		require.NoError(t, err, "rules %d: %s", k, doc)
		for range inputsN {
			in := genInput(rng, r)
			a, err := s.Score(in)
			require.NoError(t, err, "total: rules %s input %+v", doc, in)
			require.Less(t, int(a.Level), len(r.Levels))
			require.Equal(t, r.Levels[a.Level], a.Name)
			b, err := s.Score(in)
			require.NoError(t, err)
			require.Equal(t, a, b, "deterministic")
			e, err := s.Explain(in)
			require.NoError(t, err)
			require.NotEmpty(t, e.Reasons)
			e.Reasons = nil
			require.Equal(t, a, e, "Explain agrees with Score")
			c, err := s2.Score(in)
			require.NoError(t, err)
			require.Equal(t, a, c, "round trip")
			for _, up := range raisings(in, r) {
				u, err := s.Score(up)
				require.NoError(t, err)
				if u.Level > a.Level {
					ea, _ := s.Explain(in)
					eu, _ := s.Explain(up)
					t.Fatalf("not monotonic: rules %s\n%+v → %s %v\n%+v → %s %v", doc, in, a.Name, ea.Reasons, up, u.Name, eu.Reasons)
				}
			}
		}
	}
}

// The presets keep the properties over their whole input space (with
// CLOSELOOP_FULL=1; by default over every fifth point of it).
func TestPresetsMonotonicExhaustive(t *testing.T) {
	stride, point := 5, 0
	if fullSize() {
		stride = 1
	}
	for _, name := range priority.PresetNames() {
		s, err := priority.Preset(name)
		require.NoError(t, err)
		r := s.Spec()
		counts := []int64{0}
		if r.ImpactFrom != nil {
			counts = []int64{0, 1, 49, 50, 1000}
		}
		// Every category and kind an override is restricted to, and none.
		cats, kinds := []string{""}, []string{""}
		for _, o := range r.Overrides {
			cats = append(cats, o.Categories...)
			kinds = append(kinds, o.Kinds...)
		}
		for imp := 0; imp <= 4; imp++ {
			for urg := 0; urg <= 4; urg++ {
				for sev := 0; sev <= 4; sev++ {
					for tier := 0; tier <= 4; tier++ {
						for f := range 32 {
							for _, n := range counts {
								for _, cat := range cats {
									for _, kind := range kinds {
										if point++; point%stride != 0 {
											continue
										}
										in := priority.Input{Impact: imp, Urgency: urg, Severity: sev, Tier: tier, Flags: priority.Flags(f), Affected: n, Category: cat, Kind: kind}
										a, err := s.Score(in)
										if err != nil {
											t.Fatal(err)
										}
										for _, up := range raisings(in, r) {
											if u, err := s.Score(up); err != nil || u.Level > a.Level {
												t.Fatalf("%s: %+v → %+v: %s → %s (%v)", name, in, up, a.Name, u.Name, err)
											}
										}
									}
								}
							}
						}
					}
				}
			}
		}
	}
}
