package scenario

import (
	"os"
	"strconv"
	"strings"
	"testing"
	"unsafe"

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

// scenarioWith builds a scenario whose members are the given JSON text.
func scenarioWith(members string) string {
	return `{"name":"memory","rules":{"preset":"documents"},"ticket":{"id":"F1","at":"2024-03-01 10:00"},` + members + `}`
}

// repeatList is a JSON list of n copies of elem.
func repeatList(elem string, n int) string {
	return "[" + strings.Repeat(elem+",", n-1) + elem + "]"
}

// distinctKeys is a JSON object of n distinct short keys with the value v.
func distinctKeys(n int, v string) string {
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

// TestParseMemory feeds Parse the inputs that cost it the most memory per
// byte and asserts a ceiling of parseAllowance + perByte bytes allocated
// (garbage included) per input byte.
//
// Parse only decodes, so a scenario costs what its Go value costs. Most
// shapes stay under parsePerByte: strings cost their bytes, the rules
// document is kept as raw JSON, maps of short strings and flags ~17-33
// bytes per input byte (encoding/json's map, and the walk's set of keys
// that finds duplicates), a list inside a map value ~34 (encoding/json
// grows it by appending: the walk cannot size it). Lists of empty
// objects are the exception, above the 64 bytes per byte issue 17 aims
// at: a Step is 344 bytes, a Checkpoint 200, an OfferCheck 216 and a
// Metric 216, for 3 bytes of JSON ("{},"; 7 in a map, "k":{},), so empty
// steps cost ~118 bytes per input byte, checkpoints ~70, offers ~75: the
// value itself, as priority's empty conditions (120). Those cases are
// bounded by the size of their element over its shortest JSON (as
// feedback's snapshot ceilings are), and only them: a step that could
// run (an "at" and a "trigger") is over 30 bytes of JSON, ~12 per byte.
func TestParseMemory(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation figures differ under the race detector")
	}
	const (
		parsePerByte   = 40
		parseAllowance = 64 << 10
	)
	// About 0.5 MB by default; close to closeloop.MaxSize (8 MiB) in full.
	scale := 1
	if parseFullSize() {
		scale = 10
	}
	// perElem is the ceiling of a list of empty elements of size bytes, each
	// at least minLen bytes of JSON: the element over its JSON, plus the
	// general allowance per byte for the rest.
	perElem := func(size uintptr, minLen int) float64 {
		return float64(size)/float64(minLen) + parsePerByte
	}
	everyPointer := `{"payload":{"priority_input":{},"sla_policy":{},"follow_up":{},"delay":{},"compensation":{},"opening":{},"task":{}},` +
		`"choose":{},"refused":{}}`
	cases := []struct {
		name    string
		doc     string
		perByte float64
	}{
		{"empty steps", scenarioWith(`"steps":` + repeatList(`{}`, scale*150000)), perElem(unsafe.Sizeof(Step{}), 3)},
		{"empty checkpoints", scenarioWith(`"checkpoints":` + repeatList(`{}`, scale*150000)), perElem(unsafe.Sizeof(Checkpoint{}), 3)},
		{"empty offers", scenarioWith(`"offers":` + repeatList(`{}`, scale*150000)), perElem(unsafe.Sizeof(OfferCheck{}), 3)},
		{"empty metrics", scenarioWith(`"expect":{"metrics":` + distinctKeys(scale*70000, `{}`) + `}`), perElem(unsafe.Sizeof(Metric{}), 7)},
		{"steps with every pointer", scenarioWith(`"steps":` + repeatList(everyPointer, scale*3000)), parsePerByte},
		{"steps that could run", scenarioWith(`"steps":` + repeatList(`{"at":"2024-03-01 10:00","trigger":"x"}`, scale*12000)), parsePerByte},
		{"attributes", `{"name":"memory","ticket":{"id":"F1","at":"2024-03-01 10:00","attributes":` + distinctKeys(scale*70000, `""`) + `}}`, parsePerByte},
		{"claim flags", scenarioWith(`"offers":[{"policy":"p","claim":{"flags":` + distinctKeys(scale*70000, `true`) + `}}]`), parsePerByte},
		{"warnings", scenarioWith(`"expect":{"metrics":{"m":{"warnings":` + repeatList(`""`, scale*150000) + `}}}`), parsePerByte},
		{"escaped strings", scenarioWith(`"description":"` + strings.Repeat(`\u00e9\n`, scale*60000) + `"`), parsePerByte},
		{"a long rules document", `{"name":"memory","rules":{"document":{"version":"` + strings.Repeat("x", scale*1<<19) + `"}}}`, parsePerByte},
		{"deep rules document", `{"name":"memory","rules":{"document":` + strings.Repeat("[", scale*1<<19) + `}}`, parsePerByte},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			data := []byte(tc.doc)
			var err error
			n := memtest.Allocated(func() { _, err = Parse(data) })
			if tc.name == "deep rules document" {
				require.Error(t, err)
			} else {
				require.NoError(t, err)
			}
			t.Logf("%8d bytes in, %10d allocated, %5.1f per input byte (ceiling %.0f)", len(data), n, float64(n)/float64(len(data)), tc.perByte)
			assert.LessOrEqual(t, float64(n), parseAllowance+tc.perByte*float64(len(data)), "allocation ceiling")
		})
	}
	// Scenarios as they are written cost a few bytes per byte.
	files, err := os.ReadDir("testdata")
	require.NoError(t, err)
	var in, most uint64
	for _, f := range files {
		if !strings.HasSuffix(f.Name(), ".json") {
			continue
		}
		data, err := os.ReadFile("testdata/" + f.Name())
		require.NoError(t, err)
		n := memtest.Allocated(func() { _, err = Parse(data) })
		require.NoError(t, err, f.Name())
		in += uint64(len(data))
		most = max(most, n/uint64(len(data)))
		assert.LessOrEqual(t, n, uint64(parseAllowance+parsePerByte*len(data)), f.Name())
	}
	t.Logf("testdata: %d bytes in, at most %d allocated per input byte", in, most)
}
