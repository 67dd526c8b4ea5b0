package metrics

import (
	"testing"
	"time"
)

var benchStart = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

func benchRecords(n int) []Record { return Generate(42, benchStart, n) }

// BenchmarkAccumulate measures the core KPIs per record grouped by channel
// and priority (one op = one record).
func BenchmarkAccumulate(b *testing.B) {
	recs := benchRecords(1 << 16)
	agg, err := New(Config{GroupBy: []Dimension{DimChannel, DimPriority}})
	if err != nil {
		b.Fatal(err)
	}
	acc := agg.NewAccumulator()
	for i := range recs {
		acc.Add(&recs[i])
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		acc.Add(&recs[i&(len(recs)-1)])
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "records/s")
}
