package intake

import (
	"fmt"
	"strings"
	"testing"
)

// Decoding routing rules costs memory linear in the document: the decoded
// rules themselves (a rule with its ten condition lists is 272 bytes, which
// an empty "{}," of three bytes becomes) and their index.
func TestParseRoutingMemoryIsLinear(t *testing.T) {
	var many strings.Builder
	for i := range 20000 {
		fmt.Fprintf(&many, `{"name":"r%d","when":{"categories":["a","b"],"tags_any":["x"]},"team":"t"},`, i)
	}
	tests := []struct {
		name    string
		doc     string
		perByte float64
	}{
		{"20,000 empty rules", `{"rules":[` + strings.Repeat(`{},`, 20000) + `{}]}`, 100},
		{"20,000 rules", `{"rules":[` + many.String() + `{"name":"last","when":{},"team":"t"}]}`, 48},
		{"100,000 values", `{"rules":[{"name":"x","when":{"tags_any":[` + strings.Repeat(`"a",`, 100000) + `"b"]},"team":"t"}]}`, 40},
		{"nested 10,000 deep", `{"rules":[` + strings.Repeat(`[`, 10000) + strings.Repeat(`]`, 10000) + `]}`, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assertLinear(t, len(tc.doc), 64<<10, tc.perByte, func() { _, _ = ParseRouter([]byte(tc.doc), nil) })
		})
	}
}
