package scenario_test

import (
	"encoding/json"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"

	"github.com/closeloop/closeloop/scenario"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestSchemaMatchesTypes keeps scenario.schema.json in step with the Go
// types: every object of the schema lists exactly the JSON fields of its
// type.
func TestSchemaMatchesTypes(t *testing.T) {
	data, err := os.ReadFile("scenario.schema.json")
	require.NoError(t, err)
	var schema struct {
		Properties map[string]json.RawMessage `json:"properties"`
		Defs       map[string]struct {
			Properties map[string]json.RawMessage `json:"properties"`
		} `json:"$defs"`
	}
	require.NoError(t, json.Unmarshal(data, &schema))
	fields := func(v any) []string {
		var out []string
		rt := reflect.TypeOf(v)
		for i := range rt.NumField() {
			name, _, _ := strings.Cut(rt.Field(i).Tag.Get("json"), ",")
			out = append(out, name)
		}
		slices.Sort(out)
		return out
	}
	keys := func(m map[string]json.RawMessage) []string {
		var out []string
		for k := range m {
			out = append(out, k)
		}
		slices.Sort(out)
		return out
	}
	assert.Equal(t, fields(scenario.Scenario{}), keys(schema.Properties), "scenario")
	for def, v := range map[string]any{
		"rules": scenario.Rules{}, "opening": scenario.Opening{}, "step": scenario.Step{}, "claim": scenario.Claim{},
		"checkpoint": scenario.Checkpoint{}, "metric": scenario.Metric{}, "offer": scenario.OfferCheck{},
	} {
		assert.Equal(t, fields(v), keys(schema.Defs[def].Properties), def)
	}
	assert.ElementsMatch(t, fields(scenario.Choice{}), []string{"policy", "option", "claim"})
}
