package whatiftest_test

import (
	"bytes"
	"fmt"
	"time"

	"github.com/closeloop/closeloop/whatif"
	"github.com/closeloop/closeloop/whatif/whatiftest"
)

// ExampleGenerator writes generated ticket histories as newline-delimited
// JSON and reads them back into an accumulator, as a batch job over an export
// would.
func ExampleGenerator() {
	var file bytes.Buffer
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	if err := whatiftest.NewGenerator(42, start).WriteNDJSON(&file, 1000); err != nil {
		panic(err)
	}
	cfg, err := whatiftest.SampleConfig()
	if err != nil {
		panic(err)
	}
	replay, err := whatif.New(cfg)
	if err != nil {
		panic(err)
	}
	acc := replay.NewAccumulator()
	if err := whatif.ReadNDJSON(&file, func(t *whatif.Ticket) error { acc.Add(t); return nil }); err != nil {
		panic(err)
	}
	total := acc.Result().Total
	fmt.Println("tickets:", total.Current.Tickets, "failed:", total.Current.Failed+total.Proposed.Failed)
	fmt.Println("due under current:", total.Current.Met+total.Current.Breached == total.Current.Measured-total.Current.Open-total.Current.NoTarget)
	// Output:
	// tickets: 1000 failed: 0
	// due under current: true
}
