package metrics

import "time"

// MetricstestGenerate is metricstest.Generate for the tests of package
// metrics, which cannot import metricstest (it imports metrics, so the
// import would be a cycle). The external test package sets it in its init
// (metricstest_test.go), which runs before any test. It exists only in the
// test binary.
var MetricstestGenerate func(seed uint64, start time.Time, n int) []Record

// generate returns n records from metricstest.NewGenerator(seed, start).
func generate(seed uint64, start time.Time, n int) []Record {
	return MetricstestGenerate(seed, start, n)
}
