package whatiftest

import (
	"bytes"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/closeloop/closeloop/whatif"
)

var genStart = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

func TestGeneratorDeterministic(t *testing.T) {
	var a, b, c bytes.Buffer
	require.NoError(t, NewGenerator(7, genStart).WriteNDJSON(&a, 300))
	require.NoError(t, NewGenerator(7, genStart).WriteNDJSON(&b, 300))
	require.NoError(t, NewGenerator(8, genStart).WriteNDJSON(&c, 300))
	assert.Equal(t, a.Bytes(), b.Bytes())
	assert.NotEqual(t, a.Bytes(), c.Bytes())
	assert.Equal(t, 300, bytes.Count(a.Bytes(), []byte("\n")))

	// WriteNDJSON writes what Generate returns, one AppendNDJSON line each
	// (the tests of package whatif rely on it).
	var lines []byte
	for _, tk := range Generate(7, genStart, 300) {
		var err error
		lines, err = whatif.AppendNDJSON(lines, &tk)
		require.NoError(t, err)
	}
	assert.Equal(t, a.Bytes(), lines)

	// Histories are valid: every ticket evaluates under both sides.
	cfg, err := SampleConfig()
	require.NoError(t, err)
	r, err := whatif.New(cfg)
	require.NoError(t, err)
	for _, tk := range Generate(7, genStart, 2000) {
		o := r.Evaluate(&tk)
		require.NotEqual(t, whatif.Failed, o.Current.Verdict, o.Current.Error)
		require.NotEqual(t, whatif.Failed, o.Proposed.Verdict, o.Proposed.Error)
		for i := 1; i < len(tk.Timeline); i++ {
			require.False(t, tk.Timeline[i].At.Before(tk.Timeline[i-1].At))
		}
	}
}

func TestSampleJSON(t *testing.T) {
	for _, name := range []string{"calendars.json", "current.json", "proposed.json"} {
		b, err := SampleJSON(name)
		require.NoError(t, err, name)
		assert.NotEmpty(t, b, name)
	}
	_, err := SampleJSON("missing.json")
	assert.Error(t, err)
}

// BenchmarkGenerate makes one ticket history.
func BenchmarkGenerate(b *testing.B) {
	g := NewGenerator(1, genStart)
	var tk whatif.Ticket
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		g.Next(&tk)
	}
}
