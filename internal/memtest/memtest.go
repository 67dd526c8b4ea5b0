// Package memtest measures what a piece of code allocates, for the tests
// that hold decoders of untrusted input to their memory ceilings.
package memtest

import "runtime"

// Allocated returns the bytes f allocates, garbage included (the growth of
// runtime.MemStats.TotalAlloc across the call, after a collection).
func Allocated(f func()) uint64 {
	var before, after runtime.MemStats
	runtime.GC()
	runtime.ReadMemStats(&before)
	f()
	runtime.ReadMemStats(&after)
	return after.TotalAlloc - before.TotalAlloc
}
