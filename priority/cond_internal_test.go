package priority

import (
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// randCond builds a random condition tree up to depth levels deep, with
// thresholds on a 0..4 scale, as compileCond would leave it.
func randCond(rng *rand.Rand, depth int) cond {
	var c cond
	if rng.IntN(2) == 0 {
		c.flags = Flags(rng.IntN(int(allFlags) + 1))
	}
	if rng.IntN(2) == 0 {
		for d := range c.atLeast {
			if rng.IntN(3) == 0 {
				c.atLeast[d] = rng.IntN(5)
			}
		}
	}
	c.dims = c.atLeast != [numDims]int{}
	if rng.IntN(3) == 0 {
		c.affected = int64(rng.IntN(4)) * 50
		c.business = int64(rng.IntN(3)) * 1000
	}
	c.counts = c.affected > 0 || c.business > 0
	if depth > 0 {
		for range rng.IntN(3) {
			c.any = append(c.any, randCond(rng, depth-1))
		}
		for range rng.IntN(3) {
			c.all = append(c.all, randCond(rng, depth-1))
		}
	}
	return c
}

// TestCondDNF: a condition's disjunctive normal form holds exactly when the
// tree does, for random trees and inputs.
func TestCondDNF(t *testing.T) {
	rng := rand.New(rand.NewPCG(7, 11))
	flat := 0
	for range 3000 {
		c := randCond(rng, 3)
		terms, ok := c.dnf()
		if !ok {
			continue
		}
		flat++
		c.terms = terms
		for range 50 {
			v := [numDims]int{rng.IntN(5), rng.IntN(5), rng.IntN(5), rng.IntN(5)}
			in := Input{Flags: Flags(rng.IntN(int(allFlags) + 1)), Affected: int64(rng.IntN(200)), Business: int64(rng.IntN(3000))}
			require.Equal(t, c.tree(&v, &in), c.holds(&v, &in), "cond %+v v %v in %+v", c, v, in)
		}
	}
	require.Greater(t, flat, 1000, "most random trees should flatten")
}

// TestPresetConditionsFlat: every preset's conditions take the flat path.
func TestPresetConditionsFlat(t *testing.T) {
	for _, name := range PresetNames() {
		s, err := Preset(name)
		require.NoError(t, err)
		for _, o := range s.overrides {
			if o.when != nil {
				require.NotNil(t, o.when.terms, "%s: override %q", name, o.name)
			}
		}
		if s.hasQuad {
			require.NotNil(t, s.urgent.terms, name)
			require.NotNil(t, s.important.terms, name)
		}
	}
}
