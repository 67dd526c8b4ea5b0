package rulesjson

import (
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/closeloop/closeloop/internal/memtest"
)

// FuzzUnquote: unquote decodes every JSON string the walker accepts as
// encoding/json does.
func FuzzUnquote(f *testing.F) {
	for _, s := range []string{`""`, `"abc"`, `"\u00e9\ud83d\ude00\n\t\/\\\""`, "\"\xff\xfe\"", `"\ud800"`, `"\ud800\u0041"`,
		`"\ud800\ud800\udc00"`, `"\udc00\ud800"`, "\"\xed\xa0\x80\"", `"\uD83D\uDE00"`, "\"\xe6\x97\"", `"\u0000"`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		w := walker{data: data}
		if len(data) == 0 || data[0] != '"' {
			return
		}
		got, err := w.str()
		if err != nil || w.pos != len(data) {
			return
		}
		var want string
		if err := json.Unmarshal(data, &want); err != nil {
			t.Fatalf("walker accepted %q, encoding/json refuses it: %v", data, err)
		}
		if string(got) != want {
			t.Fatalf("%q: got %q, encoding/json %q", data, got, want)
		}
	})
}

// A string with escapes costs its decoded bytes, not a decoder.
func TestStrAllocations(t *testing.T) {
	if raceSlack != 1 {
		t.Skip("allocation figures differ under the race detector")
	}
	for _, s := range []string{`"\u00e9\n"`, "\"\xff\""} {
		data := []byte(s)
		n := testing.AllocsPerRun(100, func() {
			w := walker{data: data}
			if _, err := w.str(); err != nil {
				t.Fatal(err)
			}
		})
		if n > 1 {
			t.Errorf("%q: %v allocations, want 1", s, n)
		}
	}
}

// Strings with escapes or invalid UTF-8 cost a few bytes per input byte,
// as plain ones do. When the check decoded each with
// encoding/json.Unmarshal, a list of one-byte invalid strings ("\xff", 4
// bytes with its comma, decoded to U+FFFD) allocated 60 bytes per input
// byte (now 13), escaped strings 28 (now 9) and escaped keys 29 (now 17).
func TestDecodeEscapedStringsMemory(t *testing.T) {
	keys := func(k string, n int) string {
		var b strings.Builder
		b.WriteByte('{')
		for i := range n {
			if i > 0 {
				b.WriteByte(',')
			}
			b.WriteString(`"` + k + strconv.Itoa(i) + `":0`)
		}
		return b.String() + "}"
	}
	cases := []struct {
		name    string
		doc     string
		into    func() any
		perByte float64
	}{
		{"invalid UTF-8", "[" + strings.Repeat("\"\xff\",", 200000) + "\"\"]", func() any { return new([]string) }, 16},
		{"escapes", "[" + strings.Repeat(`"\u00e9",`, 100000) + `""]`, func() any { return new([]string) }, 12},
		{"escaped keys", keys(`\u00e9`, 50000), func() any { return new(map[string]int) }, 24},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var err error
			n := memtest.Allocated(func() { err = Decode([]byte(tc.doc), tc.into()) })
			require.NoError(t, err)
			per := float64(n) / float64(len(tc.doc))
			t.Logf("%d bytes in, %d allocated: %.2f per byte", len(tc.doc), n, per)
			assert.LessOrEqual(t, per, tc.perByte*raceSlack)
		})
	}
}
