package feedback

import (
	"errors"
	"testing"

	"github.com/stretchr/testify/require"
)

// FuzzRulesJSON feeds arbitrary bytes to ParseRules: it never panics, and a
// rejected document is always a *PathError naming where the problem is.
func FuzzRulesJSON(f *testing.F) {
	preset, err := PresetRulesJSON()
	require.NoError(f, err)
	f.Add(preset)
	f.Add([]byte(`{"version":"1"}`))
	f.Add([]byte(`{"version":"1","lifecycle":{"states":[{"name":"awaiting_parts","pauses":["resolution"]}],"transitions":[{"from":["in_progress"],"trigger":"wait_parts","to":"awaiting_parts"},{"from":["awaiting_parts"],"trigger":"parts_arrived","to":"in_progress"}]}}`))
	f.Add([]byte(`{"version":"1","calendars":[{"name":"x","time_zone":"Europe/London","week":{"mon":[["09:00","12:00"],["13:00","17:30"]]},"public_holidays":["GB"]}],"default_calendar":"x"}`))
	f.Add([]byte(`{"version":"1","unknown":true}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		r, err := ParseRules(data)
		if err != nil {
			var pe *PathError
			require.True(t, errors.As(err, &pe), "%T %v", err, err)
			require.NotEmpty(t, pe.Path)
			return
		}
		require.NotNil(t, r.Lifecycle())
	})
}
