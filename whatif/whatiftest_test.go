package whatif_test

import (
	"github.com/closeloop/closeloop/whatif"
	"github.com/closeloop/closeloop/whatif/whatiftest"
)

// The tests of package whatif generate tickets and read the sample
// comparison through this hook: see Whatiftest in whatiftest_hook_test.go.
func init() {
	whatif.Whatiftest.Generate = whatiftest.Generate
	whatif.Whatiftest.SampleConfig = whatiftest.SampleConfig
}
