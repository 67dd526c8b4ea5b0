package priority_test

import (
	"errors"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/closeloop/closeloop/internal/rulesjson"
	"github.com/closeloop/closeloop/priority"

	"github.com/closeloop/closeloop/internal/memtest"
)

// quadrantDoc is a valid weighted policy whose urgent test is urgent.
func quadrantDoc(urgent string) string {
	return `{"method":"weighted","weighted":{"weights":{"impact":1},"bands":[{"level":"P0","at_least":1}]},` +
		`"quadrants":{"important":{"impact_at_least":1},"urgent":` + urgent + `}}`
}

// nestedAll nests a condition depth levels below the top through "all".
func nestedAll(depth int) string {
	return strings.Repeat(`{"all":[`, depth) + `{"urgency_at_least":2}` + strings.Repeat(`]}`, depth)
}

func TestConditionDepth(t *testing.T) {
	s, err := priority.Parse([]byte(quadrantDoc(nestedAll(priority.MaxConditionDepth))))
	require.NoError(t, err)
	res, err := s.Score(priority.Input{Impact: 2, Urgency: 2})
	require.NoError(t, err)
	assert.Equal(t, priority.DoNow, res.Quadrant)

	tests := []struct {
		name  string
		depth int
		path  string
		is    error
	}{
		{"one too deep", priority.MaxConditionDepth + 1, "$.quadrants.urgent" + strings.Repeat(".all[0]", priority.MaxConditionDepth+1), priority.ErrInvalidRules},
		// Deeper than the decoder takes: refused before it is decoded, at
		// the first object past rulesjson.MaxDepth (the document itself,
		// quadrants and urgent are three of them).
		{"12,000 deep", 12000, "$.quadrants.urgent" + strings.Repeat(".all[0]", (rulesjson.MaxDepth-3)/2+1), rulesjson.ErrTooDeep},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := priority.Parse([]byte(quadrantDoc(nestedAll(tc.depth))))
			require.ErrorIs(t, err, tc.is)
			var pe *priority.PathError
			require.True(t, errors.As(err, &pe))
			assert.True(t, strings.HasPrefix(tc.path, pe.Path) && len(tc.path)-len(pe.Path) <= len(".all[0]"), "path %s, want about %s", pe.Path, tc.path)
		})
	}

	// Rules built in Go meet the same limit, and the error names the path
	// the JSON document would have.
	c := priority.Condition{UrgencyAtLeast: 2}
	for range priority.MaxConditionDepth + 1 {
		c = priority.Condition{Any: []priority.Condition{{}, c}}
	}
	r := priority.MustParse([]byte(quadrantDoc(`{"urgency_at_least":2}`))).Spec()
	r.Quadrants.Urgent = c
	_, err = priority.New(r)
	require.ErrorIs(t, err, priority.ErrInvalidRules)
	var pe *priority.PathError
	require.True(t, errors.As(err, &pe))
	// The first condition past the limit is the empty one at .any[0].
	assert.Equal(t, "$.quadrants.urgent"+strings.Repeat(".any[1]", priority.MaxConditionDepth)+".any[0]", pe.Path)
}

// Parsing costs memory linear in the document whatever its shape: a
// condition nested 12,000 deep once allocated 1 GB building a path string
// for every level.
func TestParseMemoryIsLinear(t *testing.T) {
	wide := func(elem string, n int) string {
		return `{"any":[` + strings.Repeat(elem+",", n) + elem + `]}`
	}
	tests := []struct {
		name    string
		urgent  string
		perByte float64 // ceiling in bytes allocated per input byte, above a fixed 128 KiB
	}{
		{"all nested 12,000 deep", nestedAll(12000), 2},
		{"all nested 24,000 deep", nestedAll(24000), 2},
		{"any nested 12,000 deep", strings.Repeat(`{"any":[{},`, 12000) + `{}` + strings.Repeat(`]}`, 12000), 2},
		// 40,000 empty conditions: 120 bytes each decoded and about as
		// much compiled, per 3 input bytes. The cost of the value itself.
		{"40,000 empty alternatives", wide(`{}`, 40000), 120},
		{"2,500 groups of 16", wide(`{"any":[{},{},{},{},{},{},{},{},{},{},{},{},{},{},{},{}]}`, 2500), 120},
		{"10,000 flag tests", wide(`{"flags":["personal_safety","legal_risk"]}`, 10000), 40},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc := []byte(quadrantDoc(tc.urgent))
			n := memtest.Allocated(func() { _, _ = priority.Parse(doc) })
			per := float64(n) / float64(len(doc))
			t.Logf("%d bytes in, %d allocated (%.1f per byte)", len(doc), n, per)
			assert.LessOrEqual(t, float64(n), raceSlack*(128<<10+tc.perByte*float64(len(doc))))
		})
	}
}
