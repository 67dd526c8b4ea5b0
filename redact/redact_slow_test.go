package redact

import (
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"

	"github.com/closeloop/closeloop/internal/memtest"
)

// BenchmarkRedactLarge redacts ~400 KB of one repeated pattern per case. The
// patterns are the ones that once made the date lookup quadratic; ns/op per
// byte should stay flat between cases (compare the MB/s column).
func BenchmarkRedactLarge(b *testing.B) {
	r := Default()
	units := []string{"2024-01-01 ", "a", "a@", "1-", "建国路1号", "1 Main ", "@a.", "幸福小区3栋"}
	for _, u := range units {
		s := strings.Repeat(u, 400000/len(u))
		b.Run(strings.TrimSpace(u), func(b *testing.B) {
			b.SetBytes(int64(len(s)))
			b.ReportAllocs()
			for b.Loop() {
				r.Redact(s, "张三丰")
			}
		})
	}
}

// Redacting costs memory linear in the text whatever it holds: the
// normalized copy and its map back to the input (nine bytes per byte), the
// digit groups (eight bytes per digit) and the masks.
func TestRedactMemoryIsLinear(t *testing.T) {
	r := Default()
	units := []string{"2024-01-01 ", "a", "1-", "13812345678 ", "建国路1号8栋501，", "221B Baker Street ", "z@例子.中国 ", "一三八\u200b"}
	for _, u := range units {
		t.Run(strings.TrimSpace(u), func(t *testing.T) {
			var per [2]float64
			for k, n := range []int{64 << 10, 512 << 10} {
				s := strings.Repeat(u, n/len(u))
				b := memtest.Allocated(func() { r.Redact(s, "张三丰") })
				per[k] = float64(b) / float64(len(s))
				t.Logf("%d bytes: %d allocated (%.1f per byte)", len(s), b, per[k])
				if raceSlack == 1 { // regexp's machine pool drops machines under the race detector
					assert.LessOrEqual(t, per[k], 64.0)
				}
			}
			assert.LessOrEqual(t, per[1], per[0]*1.25+1, "bytes per input byte at 512 KB against 64 KB")
		})
	}
}
