//go:build race

package compensation

// raceEnabled: the race detector changes what allocates (its
// instrumentation moves values to the heap), so allocation ceilings are
// not checked under it.
const raceEnabled = true
