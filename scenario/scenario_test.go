package scenario_test

import (
	"testing"

	"github.com/closeloop/closeloop/scenario"
)

// TestScenarioFiles runs every shipped scenario file.
func TestScenarioFiles(t *testing.T) {
	scenario.RunDir(t, "testdata")
}
