package metrics

import (
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/closeloop/closeloop/internal/memtest"
)

// compositeDoc builds composite rules with 8 dimensions "a".."h" and n
// channels (named in base 36, so that every name is distinct and short),
// each with the weights body.
func compositeDoc(n int, body string) string {
	var b strings.Builder
	b.WriteString(`{"dimensions":["a","b","c","d","e","f","g","h"],"default":{"a":1},"channels":{`)
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`"` + strconv.FormatInt(int64(i), 36) + `":` + body)
	}
	b.WriteString(`}}`)
	return b.String()
}

// compositeKeys builds an object of n distinct keys with the value v.
func compositeKeys(n int, v string) string {
	var b strings.Builder
	b.WriteByte('{')
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`"` + strconv.FormatInt(int64(i), 36) + `":` + v)
	}
	b.WriteByte('}')
	return b.String()
}

// TestParseCompositeMemory feeds the composite rules decoder the inputs
// that cost it the most memory per byte and asserts a ceiling of
// compositeAllowance + compositePerByte bytes allocated (garbage included)
// per input byte.
//
// The rules are maps of maps: every channel is a Go map of its own (a map
// header and one 8-slot group, ~250 bytes) for as little as 12 bytes of
// JSON ("x":{"a":1},), plus its slot in the channels map, which grows by
// doubling, and the JSON paths Validate builds for every channel and
// weight it checks. That is the worst shape: ~38 bytes per input byte at
// 0.7 MB, ~41 at 7.5 MB (CLOSELOOP_FULL=1), the channels map being
// further from its last doubling. Empty channel maps cost ~33, a lone map
// of many keys ~28 (keys nobody asked for are decoded before Validate
// refuses the first), a list of dimensions ~8.
func TestParseCompositeMemory(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation figures differ under the race detector")
	}
	const (
		compositePerByte   = 48
		compositeAllowance = 64 << 10
	)
	// The default size (documents of 0.5 to 0.8 MB) keeps the test to
	// about a second; the full size comes close to closeloop.MaxSize
	// (8 MiB).
	scale := 1
	if fullSize() {
		scale = 10
	}
	all8 := `{"a":1,"b":1,"c":1,"d":1,"e":1,"f":1,"g":1,"h":1}`
	cases := []struct {
		name string
		doc  string
		ok   bool
	}{
		{"channels of one weight", compositeDoc(scale*50000, `{"a":1}`), true},
		{"channels of no weight", compositeDoc(scale*75000, `{}`), true},
		{"channels of null", compositeDoc(scale*65000, `null`), true},
		{"channels of every weight", compositeDoc(scale*12500, all8), true},
		{"long channel names", `{"dimensions":["a"],"default":{"a":1},"channels":{"` +
			strings.Repeat("x", scale*1<<19) + `":{"a":1}}}`, true},
		{"escaped channel names", `{"dimensions":["a"],"default":{"a":1},"channels":{"` +
			strings.Repeat(`\u00e9`, scale*1<<16) + `":{"a":1}}}`, true},
		{"unknown default weights", `{"dimensions":["a"],"default":` + compositeKeys(scale*75000, "1") + `}`, false},
		{"unknown channel weights", `{"dimensions":["a"],"default":{"a":1},"channels":{"x":` + compositeKeys(scale*75000, "1") + `}}`, false},
		{"too many dimensions", `{"dimensions":[` + strings.Repeat(`"a",`, scale*150000) + `"a"],"default":{}}`, false},
		{"deep nesting", `{"dimensions":` + strings.Repeat("[", scale*1<<19) + `}`, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			data := []byte(tc.doc)
			var err error
			n := memtest.Allocated(func() { _, err = ParseCompositeSpec(data) })
			if tc.ok {
				require.NoError(t, err)
			} else {
				require.Error(t, err)
			}
			t.Logf("%8d bytes in, %10d allocated, %5.1f per input byte", len(data), n, float64(n)/float64(len(data)))
			assert.LessOrEqual(t, n, uint64(compositeAllowance+compositePerByte*len(data)), "allocation ceiling")
		})
	}
}
