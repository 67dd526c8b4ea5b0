package rulesjson

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type duration time.Duration

func (d *duration) UnmarshalJSON(b []byte) error {
	s := strings.Trim(string(b), `"`)
	v, err := time.ParseDuration(s)
	if err != nil {
		return err
	}
	if v <= 0 {
		return errors.New("duration must be positive")
	}
	*d = duration(v)
	return nil
}

type target struct {
	Priority string    `json:"priority"`
	Within   duration  `json:"within"`
	Warn     *duration `json:"warn,omitempty"`
}

type Base struct {
	Name string `json:"name"`
}

type doc struct {
	Base
	Version  int               `json:"version"`
	Share    float64           `json:"share"`
	Enabled  bool              `json:"enabled"`
	Targets  []target          `json:"targets"`
	Labels   map[string]string `json:"labels"`
	ByLevel  map[string]target `json:"by_level"`
	Small    int8              `json:"small"`
	Pair     [2]int            `json:"pair"`
	Ignored  string            `json:"-"`
	NoTag    string
	Anything any `json:"anything"`
}

func TestDecodeAccepts(t *testing.T) {
	var d doc
	err := Decode([]byte(`{"name":"n","version":3,"share":0.5,"enabled":true,
		"targets":[{"priority":"P1","within":"4h","warn":"3h"}],
		"labels":{"a":"b"},"by_level":{"P0":{"priority":"P0","within":"1h"}},
		"small":-128,"pair":[1,2],"NoTag":"x","anything":{"free":[1,"two",null]}}`), &d)
	require.NoError(t, err)
	assert.Equal(t, "n", d.Name)
	assert.Equal(t, duration(4*time.Hour), d.Targets[0].Within)
	assert.Equal(t, duration(3*time.Hour), *d.Targets[0].Warn)
	assert.Equal(t, [2]int{1, 2}, d.Pair)
	assert.Equal(t, "x", d.NoTag)
}

func TestDecodeErrorsNamePath(t *testing.T) {
	cases := []struct {
		name, in, path string
		sentinel       error
		text           string
	}{
		{"unknown top", `{"nmae":"x"}`, "$.nmae", ErrUnknownField, ""},
		{"case only", `{"Version":1}`, "$.Version", ErrUnknownField, `did you mean "version"`},
		{"unknown nested", `{"targets":[{"priority":"P1"},{"prio":"P2"}]}`, "$.targets[1].prio", ErrUnknownField, ""},
		{"duplicate", `{"name":"a","name":"b"}`, "$.name", ErrDuplicateKey, ""},
		{"wrong kind", `{"version":"3"}`, "$.version", ErrType, "got a string, want an integer"},
		{"fraction", `{"version":3.5}`, "$.version", ErrType, "does not fit"},
		{"overflow", `{"small":200}`, "$.small", ErrType, "does not fit"},
		{"array for object", `{"labels":[]}`, "$.labels", ErrType, ""},
		{"array too long", `{"pair":[1,2,3]}`, "$.pair[2]", ErrType, ""},
		{"custom error", `{"targets":[{"within":"-1h"}]}`, "$.targets[0].within", nil, "must be positive"},
		{"custom in map", `{"by_level":{"P 0":{"within":"soon"}}}`, `$.by_level["P 0"].within`, nil, "invalid duration"},
		{"syntax", `{"targets":[{"priority":}]}`, "$.targets[0].priority", ErrSyntax, ""},
		{"truncated", `{"targets":[`, "$.targets", ErrSyntax, "end of document"},
		{"trailing", `{} {}`, "$", ErrTrailingData, ""},
		{"empty", ``, "$", ErrSyntax, ""},
		{"not object", `[1]`, "$", ErrType, ""},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var d doc
			err := Decode([]byte(tc.in), &d)
			require.Error(t, err)
			var pe *PathError
			require.True(t, errors.As(err, &pe), "%T %v", err, err)
			assert.Equal(t, tc.path, pe.Path)
			if tc.sentinel != nil {
				assert.ErrorIs(t, err, tc.sentinel)
			}
			assert.Contains(t, err.Error(), tc.text)
		})
	}
}

func TestWrapNestsPaths(t *testing.T) {
	inner := Errorf("$.bands[1]", "overlaps band %d", 0)
	err := Wrap("$.schedules[2]", inner)
	assert.Equal(t, "$.schedules[2].bands[1]: overlaps band 0", err.Error())
	assert.Equal(t, "$.x: boom", Wrap("$.x", errors.New("boom")).Error())
	assert.NoError(t, Wrap("$", nil))
	wrapped := Wrap("$.a", fmt.Errorf("context: %w", Errorf("$.b", "bad")))
	assert.Equal(t, "$.a.b: bad", wrapped.Error())
}

func TestFieldAndIndex(t *testing.T) {
	assert.Equal(t, "$.bands", Field("$", "bands"))
	assert.Equal(t, `$["a b"]`, Field("$", "a b"))
	assert.Equal(t, `$["9x"]`, Field("$", "9x"))
	assert.Equal(t, "$.bands[2]", Index("$.bands", 2))
}

func TestDecodeNeedsPointer(t *testing.T) {
	var d doc
	assert.ErrorIs(t, Decode([]byte(`{}`), d), ErrType)
	assert.ErrorIs(t, Decode([]byte(`{}`), nil), ErrType)
}

func FuzzDecode(f *testing.F) {
	for _, s := range []string{`{}`, `{"name":"a","targets":[{"within":"1h"}]}`, `{"by_level":{"x":{}}}`, `[`, `{"pair":[1,2]}`} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		var d doc
		err := Decode(data, &d)
		if err != nil {
			var pe *PathError
			if !errors.As(err, &pe) || !strings.HasPrefix(pe.Path, "$") {
				t.Fatalf("error without path: %v", err)
			}
		}
	})
}

func BenchmarkDecode(b *testing.B) {
	data := []byte(`{"name":"n","version":3,"targets":[{"priority":"P0","within":"1h"},{"priority":"P1","within":"4h"},
		{"priority":"P2","within":"24h"},{"priority":"P3","within":"72h"}],"by_level":{"P0":{"within":"1h"},"P1":{"within":"2h"}}}`)
	b.ReportAllocs()
	for b.Loop() {
		var d doc
		if err := Decode(data, &d); err != nil {
			b.Fatal(err)
		}
	}
}
