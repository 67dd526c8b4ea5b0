package feedback

import (
	"strings"
	"testing"
)

// BenchmarkRedactLarge redacts ~400 KB of one repeated pattern per case. The
// patterns are the ones that once made the date lookup quadratic; ns/op per
// byte should stay flat between cases (compare the MB/s column).
func BenchmarkRedactLarge(b *testing.B) {
	r := DefaultRedactor()
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
