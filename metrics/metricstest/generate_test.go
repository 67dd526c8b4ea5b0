package metricstest

import (
	"testing"
	"time"

	"github.com/closeloop/closeloop/metrics"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var start = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

func TestGenerator(t *testing.T) {
	a := Generate(9, start, 100)
	b := Generate(9, start, 100)
	require.Equal(t, a, b, "deterministic")
	assert.NotEqual(t, a, Generate(10, start, 100))
	g := NewGenerator(9, start).WithMeanGap(2 * time.Second)
	var r metrics.Record
	for range 30000 {
		g.Next(&r)
	}
	span := r.Received.Sub(start)
	assert.Greater(t, span, 14*time.Hour) // about 30,000 a day, busier on a Monday
	assert.Less(t, span, 30*time.Hour)
	allocs := testing.AllocsPerRun(100, func() { g.Next(&r) })
	assert.Zero(t, allocs)
}
