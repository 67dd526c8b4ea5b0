package rulesschema_test

import (
	"encoding/json"
	"fmt"

	"github.com/closeloop/closeloop/tools/rulesschema"
)

// ExampleGenerate prints the identity of the generated schema and the
// definitions of the sub-documents that have parsers of their own.
func ExampleGenerate() {
	data, err := rulesschema.Generate()
	if err != nil {
		fmt.Println(err)
		return
	}
	var schema struct {
		Schema string                     `json:"$schema"`
		ID     string                     `json:"$id"`
		Title  string                     `json:"title"`
		Defs   map[string]json.RawMessage `json:"$defs"`
	}
	if err := json.Unmarshal(data, &schema); err != nil {
		fmt.Println(err)
		return
	}
	fmt.Println(schema.Schema)
	fmt.Println(schema.ID)
	fmt.Println(schema.Title)
	for _, def := range []string{"sla.CalendarSpec", "sla.PolicySetSpec", "priority.Spec", "compensation.PolicySpec"} {
		_, ok := schema.Defs[def]
		fmt.Println(def, ok)
	}
	// Output:
	// https://json-schema.org/draft/2020-12/schema
	// https://raw.githubusercontent.com/closeloop/closeloop/main/schema/rules.schema.json
	// closeloop rules document
	// sla.CalendarSpec true
	// sla.PolicySetSpec true
	// priority.Spec true
	// compensation.PolicySpec true
}
