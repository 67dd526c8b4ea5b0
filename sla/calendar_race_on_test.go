//go:build race

package sla

// raceEnabled scales the randomized tests down under the race detector,
// which makes them ~10x slower without making them find more.
const raceEnabled = true
