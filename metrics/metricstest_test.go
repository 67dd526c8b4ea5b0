package metrics_test

import (
	"github.com/closeloop/closeloop/metrics"
	"github.com/closeloop/closeloop/metrics/metricstest"
)

// The tests of package metrics generate records through this hook: see
// MetricstestGenerate in generate_test.go.
func init() { metrics.MetricstestGenerate = metricstest.Generate }
