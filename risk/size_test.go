package risk

import (
	"os"
	"testing"
)

// fullSize reports whether the randomized tests run at their full size.
// They do when CLOSELOOP_FULL=1, as CI sets it; by default (the README's
// go test ./...) and with -short they run smaller.
func fullSize() bool {
	return os.Getenv("CLOSELOOP_FULL") == "1" && !testing.Short()
}
