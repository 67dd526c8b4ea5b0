package compensation

import (
	"os"
	"strconv"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/closeloop/closeloop/internal/memtest"
)

// policyDoc is a CNY policy with the given schedules (JSON list items,
// without the brackets) and extra top-level members.
func policyDoc(extra, schedules string) string {
	return `{"name":"memory","currency":"CNY","rounding":"half_up","combine":"sum"` + extra + `,"schedules":[` + schedules + `]}`
}

// joined is n items built by item(i), comma-separated.
func joined(n int, item func(i int) string) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(item(i))
	}
	return b.String()
}

// oneBand is a schedule over the number "x" with a single band holding
// options, under the band's extra members.
func oneBand(name, bandExtra, options string) string {
	return `{"name":"` + name + `","measure":{"kind":"number","input":"x"},"bands":[{"name":"b","range":"[0, inf)"` + bandExtra + `,"options":[` + options + `]}]}`
}

// TestParsePolicyMemory feeds ParsePolicy the inputs that cost it the
// most memory per byte and asserts a ceiling of policyAllowance +
// policyPerByte bytes allocated (garbage included) per input byte.
//
// Every element compiles to more than its JSON: a schedule (~110 bytes of
// JSON at its smallest) to a schedule and a band with their names and
// numbers, a band to its range (a regular expression match and two
// decimals), an option to its formula with its texts ("fixed 1.00"), a
// condition to its text ("flag f is true"), a tier multiplier to a
// multiplier, its rule text and three map entries. The policy itself
// (the currency, the rounding rule, the identifier checks) is a fixed
// cost of a few KB. Measured: points options over many bands ~55 bytes
// per input byte, conditions nobody can compile (decoded before the
// first is refused: a 152-byte ConditionSpec per "{}," ) ~53, multiple
// and per-period options ~45, bands ~31, schedules ~18, the
// business-interruption preset ~25 (small: the fixed cost).
func TestParsePolicyMemory(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation figures differ under the race detector")
	}
	const (
		policyPerByte   = 64
		policyAllowance = 64 << 10
	)
	// Documents of 0.2 to 0.8 MB by default; close to closeloop.MaxSize
	// (8 MiB) in full.
	scale := 1
	if fullSize() {
		scale = 10
	}
	name := func(i int) string { return strconv.FormatInt(int64(i), 36) }
	preset, err := os.ReadFile("presets/business-interruption.json")
	require.NoError(t, err)
	// A tier multiplier costs ~640 bytes for ~10 of JSON (a map entry in
	// the spec, a multiplier, its rule text and three compiled map
	// entries): ~64 bytes per input byte, at the aim itself, so it has
	// the ceiling tierCeiling. Every other list is sized once (appending
	// one by one allocated about five times a long list's final size:
	// options in one band cost ~100 bytes per input byte before, flag
	// conditions ~67), and option ids and inputs are found through maps
	// (looking each up in the list of all took quadratic time: 20,000
	// options in one band ~1.9 s, 20,000 distinct flags ~2.7 s).
	// Conditions nobody can compile are refused at the first, after the
	// list is decoded and sized: the spec's and the compiled element's
	// sizes per "{}," bound that case.
	const tierCeiling = 96
	cases := []struct {
		name    string
		doc     string
		ok      bool
		perByte float64
	}{
		{"smallest schedules", policyDoc("", joined(scale*5000, func(i int) string { return oneBand(name(i), "", "") })), true, policyPerByte},
		{"smallest bands", policyDoc("", `{"name":"s","measure":{"kind":"number","input":"x"},"bands":[`+
			joined(scale*15000, func(i int) string {
				return `{"name":"b","range":"[` + strconv.Itoa(i) + `, ` + strconv.Itoa(i+1) + `)","options":[]}`
			})+`]}`), true, policyPerByte},
		{"points options, one id each", policyDoc("", oneBand("s", "", joined(scale*2000, func(i int) string { return `{"id":"` + name(i) + `","kind":"points","points":1}` }))), true, policyPerByte},
		{"points options in bands", policyDoc("", `{"name":"s","measure":{"kind":"number","input":"x"},"bands":[`+
			joined(scale*2000, func(i int) string {
				return `{"name":"b","range":"[` + strconv.Itoa(i) + `, ` + strconv.Itoa(i+1) + `)","options":[` +
					joined(8, func(j int) string { return `{"id":"` + name(j) + `","kind":"points","points":1}` }) + `]}`
			})+`]}`), true, policyPerByte},
		{"multiple options", policyDoc("", oneBand("s", "", joined(scale*1000, func(i int) string {
			return `{"id":"` + name(i) + `","kind":"cash","formula":"multiple","multiple":"1","base":"p","min":"1","max":"2","floor":"0","cap":"9"}`
		}))), true, policyPerByte},
		{"per-period vouchers", policyDoc("", oneBand("s", "", joined(scale*1000, func(i int) string {
			return `{"id":"` + name(i) + `","kind":"voucher","formula":"per_period","after":"1","every":"1","per_period":"1","max_periods":1}`
		}))), true, policyPerByte},
		{"flag conditions", policyDoc("", oneBand("s", "", `{"id":"o","kind":"points","points":1,"when":[`+
			joined(scale*30000, func(int) string { return `{"flag":"f"}` })+`]}`)), true, policyPerByte},
		{"distinct flag conditions", policyDoc("", oneBand("s", "", `{"id":"o","kind":"points","points":1,"when":[`+
			joined(scale*2000, func(i int) string { return `{"flag":"` + name(i) + `"}` })+`]}`)), true, policyPerByte},
		{"tier lists", policyDoc("", oneBand("s", "", `{"id":"o","kind":"points","points":1,"when":[{"tier_in":[`+
			strings.Repeat(`"t",`, scale*100000)+`"t"]}]}`)), true, policyPerByte},
		{"reductions", policyDoc("", oneBand("s", `,"reductions":[`+
			joined(scale*15000, func(int) string { return `{"name":"r","percent":"1","when":[{"flag":"f"}]}` })+`]`, "")), true, policyPerByte},
		{"tier multipliers", policyDoc(`,"multipliers":{"tier":{`+
			joined(scale*30000, func(i int) string { return `"` + name(i) + `":"1"` })+`}}`, oneBand("s", "", "")), true, tierCeiling},
		{"business-interruption preset", string(preset), true, policyPerByte},
		{"long description", policyDoc(`,"description":"`+strings.Repeat(`\u00e9`, scale*1<<17)+`"`, oneBand("s", "", "")), true, policyPerByte},
		{"unknown condition keys", policyDoc("", oneBand("s", "", `{"id":"o","kind":"points","points":1,"when":[`+
			joined(scale*30000, func(int) string { return `{}` })+`]}`)), false,
			float64(unsafe.Sizeof(ConditionSpec{})+unsafe.Sizeof(condition{}))/3 + 8},
		{"deep nesting", policyDoc(`,"description":`+strings.Repeat("[", scale*1<<19), ""), false, policyPerByte},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			data := []byte(tc.doc)
			var err error
			start := time.Now()
			n := memtest.Allocated(func() { _, err = ParsePolicy(data) })
			took := time.Since(start)
			if tc.ok {
				require.NoError(t, err)
			} else {
				require.Error(t, err)
			}
			t.Logf("%8d bytes in, %10d allocated, %5.1f per input byte (%v)", len(data), n, float64(n)/float64(len(data)), took.Round(time.Millisecond))
			assert.LessOrEqual(t, float64(n), policyAllowance+tc.perByte*float64(len(data)), "allocation ceiling")
		})
	}
}
