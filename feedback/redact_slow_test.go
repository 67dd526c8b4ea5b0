package feedback

import (
	"strings"
	"testing"
	"time"
)

// TestRedactLinear guards against quadratic behaviour on large inputs
// (~400 KB of one repeated pattern). Linear work takes tens of milliseconds;
// the quadratic date lookup this test was written for took many seconds.
// The bound is loose so that a loaded machine does not fail it.
func TestRedactLinear(t *testing.T) {
	if raceEnabled || testing.Short() {
		t.Skip("timing test: skipped under -race and -short")
	}
	r := DefaultRedactor()
	units := []string{"2024-01-01 ", "a", "a@", "1-", "建国路1号", "1 Main ", "@a.", "幸福小区3栋"}
	for _, u := range units {
		s := strings.Repeat(u, 400000/len(u))
		start := time.Now()
		r.Redact(s, "张三丰")
		if d := time.Since(start); d > 5*time.Second {
			t.Errorf("%q × %d: %v", u, 400000/len(u), d)
		}
	}
}
