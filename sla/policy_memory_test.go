package sla

import (
	"strconv"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/closeloop/closeloop/internal/memtest"
)

// policiesJoined is n items built by item(i), comma-separated.
func policiesJoined(n int, item func(i int) string) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(item(i))
	}
	return b.String()
}

// policyMetric is the smallest metric: one elapsed target for every priority.
const policyMetric = `{"kind":"first_response","targets":{"*":{"unit":"elapsed","duration":"1h"}}}`

// onePolicy is a policy set of one policy "p" with the given members.
func onePolicy(members string) string {
	return `{"policies":[{"name":"p",` + members + `}]}`
}

// TestParsePolicySetMemory feeds ParsePolicySet the inputs that cost it
// the most memory per byte and asserts a ceiling of policyAllowance +
// policyPerByte bytes allocated (garbage included) per input byte.
//
// Every policy is compiled and fingerprinted (its spec encoded as JSON
// and hashed), every metric compiled to its triggers, targets and alerts,
// every condition to its description ("kind eq \"x\""). Lists of states
// become bit sets; lists of events, values and entitlement values are
// copied. The set itself (its states, calendars and default triggers) is
// a fixed cost of a few KB; the calendars are the host's, built before.
func TestParsePolicySetMemory(t *testing.T) {
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
	alert := func(kind string, i int) string {
		return `{"name":"` + kind + name(i) + `","after":{"unit":"business","calendar":"office","duration":"` + strconv.Itoa(i+1) + `m"}}`
	}
	alerts := `"warnings":[` + policiesJoined(7, func(i int) string { return alert("w", i) }) +
		`],"escalations":[` + policiesJoined(8, func(i int) string { return alert("e", i) }) + `]`
	everyTarget := `"targets":{` + policiesJoined(11, func(i int) string {
		k := "*"
		if i < 10 {
			k = "P" + strconv.Itoa(i)
		}
		return `"` + k + `":{"unit":"business","duration":"1h","calendar":"office"}`
	}) + `}`
	// Above issue 17's aim of 64 bytes per input byte, reported there: a
	// policy appends its compiled metrics (592 bytes each) one by one, and
	// Go grows a long slice by a quarter, so that the list allocates about
	// five times its final size: the smallest metrics cost 51 to 61 bytes
	// per input byte (4,000 in a policy: 51; 40,000: 61, with
	// CLOSELOOP_FULL=1; 90,000, 8 MB: 56), depending on how far the list's
	// last growth overshot. Sizing the list at once would save ~25, but
	// would allocate it whole for a list whose second element is refused
	// (592 bytes for each "{}," after it). The smallest metrics have the
	// ceiling growthCeiling.
	const growthCeiling = 96
	cases := []struct {
		name    string
		doc     string
		ok      bool
		perByte float64
	}{
		{"smallest policies", `{"policies":[` + policiesJoined(min(scale*3000, MaxCompiledMetrics), func(i int) string {
			return `{"name":"` + name(i) + `","metrics":[` + policyMetric + `]}`
		}) + `]}`, true, policyPerByte},
		{"versions of one policy", `{"policies":[` + policiesJoined(min(scale*2000, MaxCompiledMetrics), func(i int) string {
			return `{"name":"p","version":` + strconv.Itoa(i+1) + `,"effective_from":"` +
				time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i)*time.Minute).Format(time.RFC3339) + `","metrics":[` + policyMetric + `]}`
		}) + `]}`, true, policyPerByte},
		{"smallest metrics", onePolicy(`"metrics":[` + policiesJoined(min(scale*4000, MaxCompiledMetrics), func(i int) string {
			return `{"name":"` + name(i) + `","kind":"first_response","targets":{"*":{"unit":"elapsed","duration":"1h"}}}`
		}) + `]`), true, growthCeiling},
		{"metrics with every target and alert", onePolicy(`"metrics":[` + policiesJoined(scale*400, func(i int) string {
			return `{"name":"` + name(i) + `","kind":"resolution",` + everyTarget + `,` + alerts + `}`
		}) + `]`), true, policyPerByte},
		{"custom metrics with every trigger", onePolicy(`"metrics":[` + policiesJoined(scale*1500, func(i int) string {
			return `{"name":"` + name(i) + `","kind":"custom","targets":{"*":{"unit":"elapsed","duration":"1h"}},"start":{"open":true},"stop":{"event":["x"]},` +
				`"reset":{"event":["x"]},"pause":{"event":["x"]},"resume":{"event":["x"]},"pause_in":["waiting_customer"],` +
				`"pause_limits":[{"state":"waiting_customer","max":{"unit":"elapsed","duration":"1h"},"chase_after":{"unit":"elapsed","duration":"1h"}}]}`
		}) + `]`), true, policyPerByte},
		{"conditions", onePolicy(`"when":{"all":[` + strings.Repeat(`{"field":"kind","op":"exists"},`, scale*15000) +
			`{"field":"tags","op":"has_tag","value":"x"}]},"metrics":[` + policyMetric + `]`), true, policyPerByte},
		{"condition values", onePolicy(`"when":{"any":[{"field":"attr.a","op":"in","values":[` + strings.Repeat(`"",`, scale*150000) +
			`""]}]},"metrics":[` + policyMetric + `]`), true, policyPerByte},
		{"escaped condition values", onePolicy(`"when":{"any":[{"field":"attr.a","op":"in","values":[` + strings.Repeat(`"\u0001",`, scale*60000) +
			`""]}]},"metrics":[` + policyMetric + `]`), true, policyPerByte},
		{"trigger events", onePolicy(`"metrics":[{"kind":"custom","targets":{"*":{"unit":"elapsed","duration":"1h"}},"start":{"open":true},"stop":{"event":[` +
			strings.Repeat(`"x",`, scale*150000) + `"x"]}}]`), true, policyPerByte},
		{"trigger states", onePolicy(`"metrics":[{"kind":"custom","targets":{"*":{"unit":"elapsed","duration":"1h"}},"start":{"open":true},"stop":{"enter":[` +
			strings.Repeat(`"resolved",`, scale*60000) + `"resolved"]}}]`), true, policyPerByte},
		{"entitlements", `{"policies":[{"name":"p","metrics":[` + policyMetric + `]}],"entitlements":[` + policiesJoined(scale*5000, func(i int) string {
			return `{"name":"` + name(i) + `","values":["a"],"policy":"p"}`
		}) + `]}`, true, policyPerByte},
		{"entitlement values", `{"policies":[{"name":"p","metrics":[` + policyMetric + `]}],"entitlements":[{"name":"e","values":[` +
			strings.Repeat(`"",`, scale*150000) + `""],"policy":"p"}]}`, true, policyPerByte},
		{"empty policies", `{"policies":[` + strings.Repeat(`{},`, scale*100000) + `{}]}`, false, policyPerByte},
		// A MetricSpec is 288 bytes for the 3 of "{},": decoding it is the
		// cost, ~100 bytes per input byte (refused when compiled).
		{"empty metrics", onePolicy(`"metrics":[` + strings.Repeat(`{},`, scale*100000) + `{}]`), false,
			float64(unsafe.Sizeof(MetricSpec{}))/3 + policyPerByte},
		{"long description", onePolicy(`"description":"` + strings.Repeat(`\u00e9`, scale*1<<17) + `","metrics":[` + policyMetric + `]`), true, policyPerByte},
		{"deep nesting", onePolicy(`"description":` + strings.Repeat("[", scale*1<<19)), false, policyPerByte},
	}
	env := testEnv(t)
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			data := []byte(tc.doc)
			var err error
			start := time.Now()
			n := memtest.Allocated(func() { _, err = ParsePolicySet(data, env) })
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

// revisionChain is a policy set of one policy with m metrics and n
// revisions, each based on the one before and changing nothing.
func revisionChain(m, n int) string {
	name := func(i int) string { return strconv.FormatInt(int64(i), 36) }
	base := `{"name":"p","metrics":[` + policiesJoined(m, func(i int) string {
		return `{"name":"` + name(i) + `","kind":"first_response","targets":{"*":{"unit":"elapsed","duration":"1h"}}}`
	}) + `]}`
	revs := policiesJoined(n, func(i int) string {
		return `{"name":"p","version":` + strconv.Itoa(i+2) + `,"based_on":` + strconv.Itoa(i+1) + `,"effective_from":"` +
			time.Date(2000, 1, 1, 0, 0, 0, 0, time.UTC).Add(time.Duration(i+1)*time.Minute).Format(time.RFC3339) + `","metrics":[]}`
	})
	return `{"policies":[` + base + `,` + revs + `]}`
}

// TestParsePolicySetRevisionMemory: a revision ("based_on") of 70 bytes
// stands for a full copy of its base, which is cloned, compiled and
// fingerprinted (encoded as JSON) like any version, so n revisions of a
// base of m metrics cost memory and time in n×m while the document grows
// in n+m (before MaxCompiledMetrics, 400 metrics and 400 revisions, 73 KB,
// allocated 532 MB). MaxCompiledMetrics bounds n×m: a chain over it is
// refused before any policy is compiled, for a few bytes per input byte,
// and the largest chain within it costs what that many compiled metrics
// cost, perCompiled bytes each at most.
func TestParsePolicySetRevisionMemory(t *testing.T) {
	if raceEnabled {
		t.Skip("allocation figures differ under the race detector")
	}
	const perCompiled = 4 << 10
	env := testEnv(t)
	for _, tc := range []struct {
		m, n    int
		refused bool
	}{
		{127, 128, false}, // 127 × 129 versions = 16,383 compiled metrics
		{128, 128, true},  // 128 × 129 = 16,512
		{400, 400, true},
		{1, MaxCompiledMetrics, true},
	} {
		data := []byte(revisionChain(tc.m, tc.n))
		var err error
		n := memtest.Allocated(func() { _, err = ParsePolicySet(data, env) })
		t.Logf("%d metrics, %d revisions: %d bytes in, %d allocated, %.1f per input byte", tc.m, tc.n, len(data), n, float64(n)/float64(len(data)))
		if tc.refused {
			require.ErrorIs(t, err, ErrLimit)
			var pe *PathError
			require.ErrorAs(t, err, &pe)
			assert.LessOrEqual(t, n, uint64(64<<10+64*len(data)), "refused before compiling")
		} else {
			require.NoError(t, err)
			assert.LessOrEqual(t, n, uint64(64<<10+64*len(data)+perCompiled*MaxCompiledMetrics), "allocation ceiling")
		}
	}
}
