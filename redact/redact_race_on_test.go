//go:build race

package redact

// raceSlack widens the allocation ceilings of the memory tests under the
// race detector, whose instrumentation allocates on its own.
const raceSlack = 2
