package main

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestPositionAt(t *testing.T) {
	doc := []byte("{\r\n  \"标签\": \"值\",\t\"x\": 1\n}")
	for _, tc := range []struct {
		off, line, col int
	}{
		{0, 1, 1},
		{1, 1, 2},   // the \r before \n is not a column of its own
		{3, 2, 1},   // after \r\n
		{5, 2, 3},   // the key's quote
		{6, 2, 4},   // 标 (3 bytes) is one column
		{9, 2, 5},   // 签
		{100, 3, 2}, // past the end: the end
		{-4, 1, 1},  // before the start: the start
	} {
		p := positionAt(doc, tc.off)
		assert.Equal(t, [2]int{tc.line, tc.col}, [2]int{p.Line, p.Column}, "offset %d", tc.off)
	}
}

func TestParsePath(t *testing.T) {
	for _, tc := range []struct {
		path string
		want []pathStep
		ok   bool
	}{
		{"$", nil, true},
		{"$.a.b[2]", []pathStep{{key: "a", isKey: true}, {key: "b", isKey: true}, {index: 2}}, true},
		{`$["a b"].c`, []pathStep{{key: "a b", isKey: true}, {key: "c", isKey: true}}, true},
		{`$["x]y"][0]`, []pathStep{{key: "x]y", isKey: true}, {index: 0}}, true},
		{"$.targets.P1", []pathStep{{key: "targets", isKey: true}, {key: "P1", isKey: true}}, true},
		{"a.b", nil, false},
		{"$..a", nil, false},
		{"$[x]", nil, false},
		{"$[-1]", nil, false},
	} {
		got, ok := parsePath(tc.path)
		assert.Equal(t, tc.ok, ok, tc.path)
		if tc.ok {
			assert.Equal(t, tc.want, got, tc.path)
		}
	}
}

func TestLocate(t *testing.T) {
	doc := []byte(`{"a": {"b": [10, {"c": "x"}, 30]}, "a b": 1, "d": 1, "d": 2, "s": "]}\"{"}`)
	for _, tc := range []struct {
		path     string
		onKey    bool
		want     string // the document from the offset found
		resolved bool
	}{
		{"$", false, `{"a"`, true},
		{"$.a.b[1].c", false, `"x"}`, true},
		{"$.a.b[2]", false, `30]`, true},
		{"$.a.b[1].c", true, `"c": "x"`, true},
		{`$["a b"]`, false, `1, "d"`, true},
		{"$.d", true, `"d": 2`, true},                   // the second of a duplicate key
		{"$.s", false, `"]}\"{"}`, true},                // brackets inside strings are text
		{"$.a.b[7]", false, `[10, {`, false},            // past the end: the array
		{"$.a.missing.deeper", false, `{"b": [`, false}, // the deepest value that exists
	} {
		off, ok := locate(doc, tc.path, tc.onKey)
		assert.Equal(t, tc.resolved, ok, tc.path)
		assert.True(t, len(doc[off:]) >= len(tc.want) && string(doc[off:off+len(tc.want)]) == tc.want,
			"%s: found %q", tc.path, string(doc[off:min(len(doc), off+20)]))
	}
	// Malformed documents never panic.
	for _, bad := range []string{"", "{", `{"a": [`, `{"a" 1}`, `{"a": "unterminated`, `[1, 2`} {
		assert.NotPanics(t, func() { locate([]byte(bad), "$.a[1].b", false) }, bad)
	}
}
