package intake

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/closeloop/closeloop/internal/rulesjson"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/closeloop/closeloop/internal/memtest"
)

// assertLinear fails unless f allocates at most fixed + perByte bytes per
// byte of an input of n bytes, and logs the figure.
func assertLinear(t *testing.T, n int, fixed, perByte float64, f func()) {
	t.Helper()
	got := memtest.Allocated(f)
	t.Logf("%d bytes in, %d allocated (%.1f per byte)", n, got, float64(got)/float64(n))
	assert.LessOrEqual(t, float64(got), raceSlack*(fixed+perByte*float64(n)))
}

const taxonomyLists = `"kinds":{},"tags":{},"channels":{},"tiers":{},"stages":{}`

func taxonomyWithCategories(terms string) []byte {
	return []byte(`{` + taxonomyLists + `,"categories":{"terms":[` + terms + `]}}`)
}

func TestTaxonomyDepth(t *testing.T) {
	tests := []struct {
		name string
		doc  []byte
		path string
		is   error
	}{
		{"sub-category with subs", taxonomyWithCategories(`{"id":"a","subs":[{"id":"b","subs":[{"id":"c"}]}]}`),
			"$.categories.terms[0].subs[0].subs", nil},
		{"subs outside categories", []byte(`{"kinds":{"terms":[{"id":"k","subs":[{"id":"x"}]}]},"categories":{},"tags":{},"channels":{},"tiers":{},"stages":{}}`),
			"$.kinds.terms[0].subs", nil},
		// 8,000 levels of subs once allocated 794 MB building paths; the
		// decoder now stops at rulesjson.MaxDepth.
		{"8,000 levels", taxonomyWithCategories(strings.Repeat(`{"id":"a","subs":[`, 8000) + strings.Repeat(`]}`, 8000)),
			"$.categories.terms[0]" + strings.Repeat(".subs[0]", 30) + ".subs", rulesjson.ErrTooDeep},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := ParseTaxonomy(tc.doc)
			require.Error(t, err)
			if tc.is != nil {
				assert.ErrorIs(t, err, tc.is)
			}
			var pe *rulesjson.PathError
			require.True(t, errors.As(err, &pe), "%T %v", err, err)
			assert.Equal(t, tc.path, pe.Path)
		})
	}
}

func TestParseTaxonomyMemoryIsLinear(t *testing.T) {
	var named strings.Builder
	for i := range 20000 {
		fmt.Fprintf(&named, `{"id":"t%d","names":["n%d","名%d"]},`, i, i, i)
	}
	tests := []struct {
		name    string
		doc     []byte
		perByte float64
	}{
		{"subs 8,000 deep", taxonomyWithCategories(strings.Repeat(`{"id":"a","subs":[`, 8000) + strings.Repeat(`]}`, 8000)), 2},
		{"20,000 named terms", taxonomyWithCategories(named.String() + `{"id":"last"}`), 40},
		{"20,000 subs", taxonomyWithCategories(`{"id":"c","subs":[` + strings.Repeat(`{"id":"s"},`, 20000) + `{"id":"t"}]}`), 40},
		{"20,000 empty terms", taxonomyWithCategories(strings.Repeat(`{},`, 20000) + `{}`), 40},
		{"one term, 20,000 names", taxonomyWithCategories(`{"id":"a","names":[` + strings.Repeat(`"x",`, 20000) + `"y"]}`), 40},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assertLinear(t, len(tc.doc), 64<<10, tc.perByte, func() { _, _ = ParseTaxonomy(tc.doc) })
		})
	}
}
