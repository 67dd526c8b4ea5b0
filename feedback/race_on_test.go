//go:build race

package feedback_test

// raceEnabled scales the host-loop simulation down under the race detector.
const raceEnabled = true
