package feedback

import (
	"strings"
	"testing"
	"time"
)

// TestRedactLinear guards against quadratic behaviour: four times the input
// must cost clearly less than sixteen times the time.
func TestRedactLinear(t *testing.T) {
	if raceEnabled || testing.Short() {
		t.Skip("timing test: skipped under -race and -short")
	}
	r := DefaultRedactor()
	units := []string{"2024-01-01 ", "a", "a@", "1-", "建国路1号", "1 Main ", "@a.", "幸福小区3栋"}
	cost := func(s string) time.Duration {
		best := time.Duration(1 << 62)
		for i := 0; i < 3; i++ {
			start := time.Now()
			r.Redact(s, "张三丰")
			best = min(best, time.Since(start))
		}
		return best
	}
	for _, u := range units {
		n := 20000 / len(u)
		small, large := cost(strings.Repeat(u, n)), cost(strings.Repeat(u, 4*n))
		if large > 8*small+20*time.Millisecond {
			t.Errorf("%q: %v for n, %v for 4n: worse than linear", u, small, large)
		}
	}
}
