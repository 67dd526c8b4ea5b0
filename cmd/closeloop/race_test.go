//go:build race

package main

// Under the race detector the tests build the command with it too, so
// that whatif's sharded replay runs instrumented.
func init() { buildFlags = append(buildFlags, "-race") }
