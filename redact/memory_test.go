package redact

import (
	"os"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/closeloop/closeloop/internal/memtest"
)

// parseFullSize reports whether TestParseMemory runs at its full size
// (documents close to closeloop.MaxSize): with CLOSELOOP_FULL=1, as CI
// sets it, and not with -short.
func parseFullSize() bool {
	return os.Getenv("CLOSELOOP_FULL") == "1" && !testing.Short()
}

// specList builds a Spec document whose member key holds a list of n
// copies of elem.
func specList(key, elem string, n int) string {
	return `{"` + key + `":[` + strings.Repeat(elem+",", n-1) + elem + `]}`
}

// TestParseMemory feeds Parse the inputs that cost it the most memory per
// byte and asserts a ceiling of parseAllowance + parsePerByte bytes
// allocated (garbage included) per input byte.
//
// A name is the costliest element of a list: "ab", (5 bytes) decodes to
// a 16-byte string header and its bytes, and New keeps it in the
// redactor's list (~9 bytes per input byte since New sizes that list at
// once; appending grew it to 24). Invalid UTF-8 costs most per byte, each
// bad byte decoding to a 3-byte U+FFFD (~20). Keep entries nobody asked
// for are the costliest of all: decoded into the map, copied and sorted
// before New refuses the first (~30). Deep nesting is refused before
// anything is decoded.
func TestParseMemory(t *testing.T) {
	if raceSlack != 1 {
		t.Skip("allocation figures differ under the race detector")
	}
	const (
		parsePerByte   = 40
		parseAllowance = 64 << 10
	)
	// About 1 MB by default; close to closeloop.MaxSize (8 MiB) in full.
	scale := 1
	if parseFullSize() {
		scale = 7
	}
	var keep strings.Builder
	keep.WriteString(`{"keep":{`)
	for i := range scale * 100000 {
		if i > 0 {
			keep.WriteByte(',')
		}
		keep.WriteString(`"` + strconv.FormatInt(int64(i), 36) + `":{}`)
	}
	keep.WriteString(`}}`)
	cases := []struct {
		name string
		doc  string
		ok   bool
	}{
		{"shortest names", specList("names", `"ab"`, scale*200000), true},
		{"two-character Chinese names", specList("names", `"张三"`, scale*120000), true},
		{"escaped names", specList("names", `"\u5f20\u4e09"`, scale*70000), true},
		{"names padded with spaces", specList("names", `" ab "`, scale*150000), true},
		{"one long name", specList("names", `"`+strings.Repeat("ab", scale*1<<19)+`"`, 1), true},
		{"one-character names", specList("names", `"a"`, scale*250000), false},
		{"invalid UTF-8 names", specList("names", "\"\xff\xff\"", scale*200000), true},
		{"one-byte invalid names", specList("names", "\"\xff\"", scale*250000), false},
		{"every kind, repeated", specList("kinds", `"id_number"`, scale*80000), true},
		{"unknown kinds", specList("kinds", `"x"`, scale*250000), false},
		{"unknown keep entries", keep.String(), false},
		{"long mask", `{"mask":"` + strings.Repeat("*", scale*1<<20) + `"}`, false},
		{"deep nesting", `{"names":` + strings.Repeat("[", scale*1<<20) + `}`, false},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			data := []byte(tc.doc)
			var err error
			n := memtest.Allocated(func() { _, err = Parse(data) })
			if tc.ok {
				require.NoError(t, err)
			} else {
				require.Error(t, err)
			}
			t.Logf("%8d bytes in, %10d allocated, %5.1f per input byte", len(data), n, float64(n)/float64(len(data)))
			assert.LessOrEqual(t, n, uint64(parseAllowance+parsePerByte*len(data)), "allocation ceiling")
		})
	}
}
