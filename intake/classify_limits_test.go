package intake

import (
	"encoding/json"
	"errors"
	"fmt"
	"math"
	"math/rand/v2"
	"slices"
	"strings"
	"testing"

	"github.com/closeloop/closeloop/internal/rulesjson"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/closeloop/closeloop/internal/memtest"
)

// runs is the worst keyword set for a matcher that collects every
// overlapping occurrence: unit, unit×2, …, unit×n all occur at every
// position of a run of unit.
func runs(unit string, n, rules int) ClassifierSpec {
	var kws []string
	for i := 1; i <= n; i++ {
		kws = append(kws, strings.Repeat(unit, i))
	}
	var spec ClassifierSpec
	for r := range rules {
		spec.Rules = append(spec.Rules, ClassifierRule{Name: fmt.Sprint("r", r), Keywords: kws, Category: "letters"})
	}
	return spec
}

// Classifying costs memory linear in the text for any keyword set: a..a×100
// over 64 KB of "a" once allocated 788 MB, and 14 GB over 1 MB.
func TestClassifyMemoryIsLinear(t *testing.T) {
	sets := []struct {
		name  string
		spec  ClassifierSpec
		unit  string // the text repeats it
		picks func(n int) int
		rules int
	}{
		// ASCII keywords match at word boundaries only: nothing matches in
		// a run of a, but every occurrence used to be collected first.
		{"a … a×100 over a", runs("a", 100, 1), "a", func(int) int { return 0 }, 1},
		{"a over a a a", runs("a", 1, 1), "a ", func(n int) int { return n / 2 }, 1},
		{"好 … 好×100 over 好", runs("好", 100, 1), "好", func(n int) int { return (n/3 + 99) / 100 }, 1},
		{"好 … 好×100 in 50 rules", runs("好", 100, 50), "好", func(n int) int { return (n/3 + 99) / 100 }, 50},
	}
	for _, set := range sets {
		t.Run(set.name, func(t *testing.T) {
			c, err := NewClassifier(set.spec, nil)
			require.NoError(t, err)
			var per [2]float64
			for k, n := range []int{64 << 10, 1 << 20} {
				text := strings.Repeat(set.unit, n/len(set.unit))
				n = len(text)
				var got Classification
				b := memtest.Allocated(func() { got = c.Classify(text) })
				per[k] = float64(b) / float64(n)
				t.Logf("%d bytes of text: %d allocated (%.2f per byte), score %d, %d matches listed, %d more", n, b, per[k], got.Score, len(got.Matches), got.MoreMatches)
				// The folded copy of the text, and the listed matches.
				assert.LessOrEqual(t, float64(b), raceSlack*(1.2*float64(n)+128<<10))
				matches := set.picks(n) * set.rules
				assert.Equal(t, min(matches, MaxListedMatches), len(got.Matches))
				assert.Equal(t, matches-len(got.Matches), got.MoreMatches)
				assert.Equal(t, matches, got.Score)
			}
			// Linear: sixteen times the text, at most about sixteen times
			// the bytes (the fixed part weighs less at 1 MB).
			assert.LessOrEqual(t, per[1], per[0]*raceSlack+0.1, "bytes per input byte at 1 MB against 64 KB")
		})
	}
}

func TestClassifierWeights(t *testing.T) {
	_, err := ParseClassifier([]byte(`{"rules":[{"name":"heavy","keywords":["x"],"category":"a","weight":4611686018427387904}]}`), nil)
	var pe *rulesjson.PathError
	require.True(t, errors.As(err, &pe), "%v", err)
	assert.Equal(t, "$.rules[0].weight", pe.Path)
	_, err = NewClassifier(ClassifierSpec{Rules: []ClassifierRule{{Name: "heavy", Keywords: []string{"x"}, Category: "a", Weight: MaxClassifierWeight + 1}}}, nil)
	require.True(t, errors.As(err, &pe), "%v", err)

	// Four hits of the heaviest weight beat everything lighter: with 1<<62
	// they once wrapped to 0 and the light rule won.
	c, err := NewClassifier(ClassifierSpec{Rules: []ClassifierRule{
		{Name: "heavy", Keywords: []string{"x"}, Category: "heavy", Weight: MaxClassifierWeight},
		{Name: "light", Keywords: []string{"y"}, Category: "light", Weight: 1},
	}}, nil)
	require.NoError(t, err)
	got := c.Classify("x x x x y")
	assert.Equal(t, "heavy", got.Category)
	assert.Equal(t, 4*MaxClassifierWeight, got.Score)

	assert.Equal(t, math.MaxInt, satMul(math.MaxInt/2, 3))
	assert.Equal(t, math.MaxInt, satAdd(math.MaxInt-1, 2))
	assert.Equal(t, 12, satMul(3, 4))
	assert.Equal(t, 0, satMul(0, math.MaxInt))
	assert.Equal(t, 7, satAdd(3, 4))
}

// naivePicks is the former algorithm, the oracle: every occurrence, sorted
// by start and then longest first, kept unless it overlaps one kept.
func naivePicks(text string, patterns []string, accept func(start, end int, pat int32) bool) []rawMatch {
	var all []rawMatch
	for s := 0; s < len(text); s++ {
		for p, pat := range patterns {
			if strings.HasPrefix(text[s:], pat) {
				all = append(all, rawMatch{start: s, end: s + len(pat), pat: int32(p)})
			}
		}
	}
	slices.SortFunc(all, func(a, b rawMatch) int {
		if a.start != b.start {
			return a.start - b.start
		}
		return b.end - a.end
	})
	var kept []rawMatch
	limit := 0
	for _, m := range all {
		if m.start < limit || !accept(m.start, m.end, m.pat) {
			continue
		}
		kept = append(kept, m)
		limit = m.end
	}
	return kept
}

func TestLeftmostLongestAgainstNaive(t *testing.T) {
	rng := rand.New(rand.NewPCG(17, 6))
	alphabet := []string{"a", "b", "c", "不", "满", "意"}
	word := func(n int) string {
		var b strings.Builder
		for range n {
			b.WriteString(alphabet[rng.IntN(len(alphabet))])
		}
		return b.String()
	}
	for round := range 400 {
		seen := map[string]bool{}
		var patterns []string
		for range 1 + rng.IntN(8) {
			if p := word(1 + rng.IntN(4)); !seen[p] {
				seen[p] = true
				patterns = append(patterns, p)
			}
		}
		m := newKeywordMatcher(patterns)
		text := word(rng.IntN(60))
		// Refuse some occurrences as the word-boundary rule does.
		accept := func(start, end int, pat int32) bool { return (start+int(pat))%5 != 0 }
		var got []rawMatch
		m.leftmostLongest([]byte(text), accept, func(start, end int, pat int32) { got = append(got, rawMatch{start, end, pat}) })
		assert.Equal(t, naivePicks(text, patterns, accept), got, "round %d: %q in %q", round, patterns, text)
	}
}

// The automaton stays linear in the keywords when it outgrows the dense
// table: deep states fall back to sorted edges and failure links.
func TestKeywordMatcherSparseStates(t *testing.T) {
	var patterns []string
	seen := map[string]bool{}
	rng := rand.New(rand.NewPCG(3, 4))
	for len(patterns) < 3000 {
		var b strings.Builder
		for range 2 + rng.IntN(30) {
			b.WriteByte(byte(' ' + rng.IntN(90)))
		}
		if p := b.String(); !seen[p] {
			seen[p] = true
			patterns = append(patterns, p)
		}
	}
	m := newKeywordMatcher(patterns)
	require.Less(t, int(m.ndense), len(m.pat), "some states are sparse")
	text := strings.Join(patterns[:200], "") + patterns[7][:len(patterns[7])/2] + patterns[2999]
	var got []rawMatch
	m.each([]byte(text), func(start, end int, pat int32) { got = append(got, rawMatch{start, end, pat}) })
	var want []rawMatch
	for end := 1; end <= len(text); end++ {
		for p, pat := range patterns {
			if end >= len(pat) && text[end-len(pat):end] == pat {
				want = append(want, rawMatch{start: end - len(pat), end: end, pat: int32(p)})
			}
		}
	}
	assert.ElementsMatch(t, want, got)
}

// Compiling a classifier costs memory linear in its keywords: the automaton
// keeps a few dozen bytes per keyword byte and a dense table of at most
// denseBudget entries.
func TestParseClassifierMemoryIsLinear(t *testing.T) {
	var many, long strings.Builder
	for i := range 40000 {
		fmt.Fprintf(&many, `"k%d",`, i)
	}
	for i := range 2000 {
		fmt.Fprintf(&long, `"%s%d",`, strings.Repeat(string(rune(0x4e00+i)), 90), i)
	}
	tests := []struct {
		name    string
		doc     string
		perByte float64
	}{
		{"40,000 keywords", `{"rules":[{"name":"x","keywords":[` + many.String() + `"z"],"category":"c"}]}`, 80},
		{"2,000 long distinct keywords", `{"rules":[{"name":"x","keywords":[` + long.String() + `"z"],"category":"c"}]}`, 80},
		{"20,000 empty rules", `{"rules":[` + strings.Repeat(`{},`, 20000) + `{}]}`, 48},
		{"a … a×100", func() string {
			b, _ := json.Marshal(runs("a", 100, 1))
			return string(b)
		}(), 200},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assertLinear(t, len(tc.doc), 4<<20+64<<10, tc.perByte, func() { _, _ = ParseClassifier([]byte(tc.doc), nil) })
		})
	}
}
