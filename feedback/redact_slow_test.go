package feedback

import (
	"strings"
	"testing"
	"time"
)

func TestRedactLinear(t *testing.T) {
	r := DefaultRedactor()
	for _, s := range []string{
		strings.Repeat("2024-01-01 ", 20000),
		strings.Repeat("a", 100000) + "@",
		strings.Repeat("a@", 50000),
		strings.Repeat("1-", 50000),
		strings.Repeat("建国路1号", 20000),
		strings.Repeat("1 Main ", 20000),
		strings.Repeat("@a.", 30000),
	} {
		start := time.Now()
		r.Redact(s, "张三丰")
		if d := time.Since(start); d > 2*time.Second {
			t.Errorf("%q…: %v", s[:10], d)
		}
	}
}
