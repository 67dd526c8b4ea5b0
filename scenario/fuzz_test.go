package scenario_test

import (
	"os"
	"path/filepath"
	"testing"

	"github.com/closeloop/closeloop/scenario"
)

// FuzzParse: no scenario document makes Parse or Run panic; a scenario that
// parses either runs or returns an error.
func FuzzParse(f *testing.F) {
	files, err := filepath.Glob("testdata/*.json")
	if err != nil {
		f.Fatal(err)
	}
	for _, file := range files {
		data, err := os.ReadFile(file)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(`{"name": "x", "rules": {"preset": "documents"}, "ticket": {"id": "a", "at": "2024-01-01 00:00"}}`))
	f.Add([]byte(`{"name": "x", "rules": {"document": {}}, "ticket": {"id": "a", "at": "2024-01-01 00:00"}, "steps": [{"at": "2023-01-01 00:00", "trigger": "x"}]}`))
	f.Add([]byte(`{"name": 1}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := scenario.Parse(data)
		if err != nil {
			return
		}
		res, err := scenario.Run(s)
		if err == nil {
			_ = res.String()
		}
	})
}
