package metricstest_test

import (
	"fmt"
	"reflect"
	"time"

	"github.com/closeloop/closeloop/metrics"
	"github.com/closeloop/closeloop/metrics/metricstest"
)

// The same seed gives the same records, so a test can pin what it computes
// from them.
func ExampleGenerate() {
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	recs := metricstest.Generate(42, start, 1000)
	for _, r := range recs[:3] {
		fmt.Println(r.Kind, r.Channel, r.Priority)
	}
	fmt.Println("same again:", reflect.DeepEqual(recs, metricstest.Generate(42, start, 1000)))
	// Output:
	// praise web P3
	// inquiry app P2
	// suggestion web P2
	// same again: true
}

// A stream of records through one reused Record, into an accumulator: no
// allocation per record, however many pass.
func ExampleGenerator_Next() {
	agg, err := metrics.New(metrics.Config{GroupBy: []metrics.Dimension{metrics.DimPriority}})
	if err != nil {
		panic(err)
	}
	acc := agg.NewAccumulator()
	g := metricstest.NewGenerator(1, time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)).WithMeanGap(2 * time.Second)
	var r metrics.Record
	for range 100000 {
		g.Next(&r)
		acc.Add(&r)
	}
	for _, grp := range acc.Result().Groups {
		fmt.Println(grp.Key[0], grp.Tickets)
	}
	// Output:
	// P0 4892
	// P1 19964
	// P2 50072
	// P3 25072
}
