package metrics

import (
	"testing"
	"time"
)

var benchStart = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

func benchRecords(n int) []Record { return Generate(42, benchStart, n) }

// BenchmarkAccumulate measures the core KPIs per record grouped by channel
// and priority (one op = one record). Records cycle through a ring of 4096
// pre-generated ones, as hot in cache as in a streaming pipeline where a
// reader fills a record and the accumulator consumes it at once.
func BenchmarkAccumulate(b *testing.B) {
	recs := benchRecords(1 << 12)
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

// BenchmarkMerge merges two accumulators of 64 groups each (channel ×
// priority × region over the generator's values); one op = one merge.
func BenchmarkMerge(b *testing.B) {
	agg, err := New(Config{GroupBy: []Dimension{DimChannel, DimPriority, DimRegion}})
	if err != nil {
		b.Fatal(err)
	}
	x := accumulate(agg, Generate(1, benchStart, 50000))
	y := accumulate(agg, Generate(2, benchStart, 50000))
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := x.Merge(y); err != nil {
			b.Fatal(err)
		}
	}
	b.ReportMetric(float64(y.Len()), "groups")
}

// BenchmarkMarshal serialises an accumulator of 144 groups.
func BenchmarkMarshal(b *testing.B) {
	agg, _ := New(Config{GroupBy: []Dimension{DimChannel, DimPriority, DimRegion}})
	x := accumulate(agg, Generate(1, benchStart, 50000))
	b.ReportAllocs()
	var n int
	for i := 0; i < b.N; i++ {
		enc, _ := x.MarshalBinary()
		n = len(enc)
	}
	b.ReportMetric(float64(n), "bytes")
}

// BenchmarkAccumulateWeekly adds a weekly period in a DST time zone to
// BenchmarkAccumulate's grouping.
func BenchmarkAccumulateWeekly(b *testing.B) {
	loc, err := time.LoadLocation("Europe/Berlin")
	if err != nil {
		b.Skip(err)
	}
	recs := benchRecords(1 << 12)
	agg, _ := New(Config{GroupBy: []Dimension{DimChannel, DimPriority}, Period: PeriodWeek, Location: loc})
	acc := accumulate(agg, recs)
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		acc.Add(&recs[i&(len(recs)-1)])
	}
	b.ReportMetric(float64(b.N)/b.Elapsed().Seconds(), "records/s")
}
