package feedback

import (
	"flag"
	"os"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var updateGolden = flag.Bool("update", false, "rewrite the golden lifecycle diagrams in testdata")

// TestDiagramsGolden pins the default lifecycle's DOT and Mermaid drawings
// (testdata/lifecycle_default.*; go test -run Golden -update rewrites them).
func TestDiagramsGolden(t *testing.T) {
	r := testRules(t)
	for file, got := range map[string]string{
		"testdata/lifecycle_default.dot": r.Lifecycle().DOT(),
		"testdata/lifecycle_default.mmd": r.Lifecycle().Mermaid(),
	} {
		if *updateGolden {
			require.NoError(t, os.WriteFile(file, []byte(got), 0o644))
		}
		want, err := os.ReadFile(file)
		require.NoError(t, err)
		assert.Equal(t, string(want), got, file)
	}
}

func TestDiagramsShowExtensions(t *testing.T) {
	ext := LifecycleExtension{
		States:      []StateSpec{{Name: "awaiting_parts", Pauses: []string{"resolution"}}},
		Transitions: []TransitionSpec{{From: []State{StateInProgress}, Trigger: "order_parts", To: "awaiting_parts"}, {From: []State{"awaiting_parts"}, Trigger: "parts_arrived", To: StateInProgress}},
	}
	r, err := CompileRules(RulesDocument{Version: "x", Lifecycle: &ext})
	require.NoError(t, err)
	assert.Contains(t, r.Lifecycle().Mermaid(), "    in_progress --> awaiting_parts: order_parts\n")
	assert.Contains(t, r.Lifecycle().Mermaid(), "note right of awaiting_parts: pauses resolution")
	dot := r.Lifecycle().DOT()
	assert.Contains(t, dot, `"awaiting_parts" -> "in_progress" [label="parts_arrived"];`)
	assert.True(t, strings.HasPrefix(dot, "digraph lifecycle {"))
}
