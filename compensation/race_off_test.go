//go:build !race

package compensation

// raceEnabled: see race_on_test.go.
const raceEnabled = false
