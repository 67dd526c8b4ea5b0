package whatif

import (
	"io"
	"time"
)

// Whatiftest is the part of package whatiftest that the tests of package
// whatif use. They cannot import whatiftest (it imports whatif, so the
// import would be a cycle): the external test package sets these in its
// init (whatiftest_test.go), which runs before any test. It exists only in
// the test binary.
var Whatiftest struct {
	Generate     func(seed uint64, start time.Time, n int) []Ticket
	SampleConfig func() (Config, error)
}

// generate returns n tickets from whatiftest.NewGenerator(seed, start).
func generate(seed uint64, start time.Time, n int) []Ticket {
	return Whatiftest.Generate(seed, start, n)
}

// sampleConfig is whatiftest.SampleConfig.
func sampleConfig() (Config, error) { return Whatiftest.SampleConfig() }

// writeNDJSON writes generate(seed, start, n) to w with AppendNDJSON, one
// ticket a line, as whatiftest's Generator.WriteNDJSON does.
func writeNDJSON(w io.Writer, seed uint64, start time.Time, n int) error {
	var line []byte
	for _, t := range generate(seed, start, n) {
		var err error
		if line, err = AppendNDJSON(line[:0], &t); err != nil {
			return err
		}
		if _, err := w.Write(line); err != nil {
			return err
		}
	}
	return nil
}
