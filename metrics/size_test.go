package metrics

import (
	"os"
	"testing"
)

// fullSize reports whether the randomized tests run at their full size.
// They do when CLOSELOOP_FULL=1, as CI sets it; by default (the README's
// go test ./...), with -short and under the race detector they run
// smaller.
func fullSize() bool {
	return os.Getenv("CLOSELOOP_FULL") == "1" && !testing.Short() && !raceEnabled
}
