package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"strconv"
	"strings"
	"unicode/utf8"
)

// Position is a place in a document: the byte offset and the 1-based line
// and column. Columns count characters (runes), not bytes, so that a
// Chinese label before the value does not push the column out; a tab is
// one character. "\r\n" ends a line like "\n".
type Position struct {
	Offset int `json:"offset"`
	Line   int `json:"line"`
	Column int `json:"column"`
}

// positionAt converts a byte offset of data into a line and column.
func positionAt(data []byte, off int) Position {
	off = max(0, min(off, len(data)))
	line := 1 + bytes.Count(data[:off], []byte{'\n'})
	start := bytes.LastIndexByte(data[:off], '\n') + 1
	col := 1 + utf8.RuneCount(bytes.TrimSuffix(data[start:off], []byte{'\r'}))
	return Position{Offset: off, Line: line, Column: col}
}

// pathStep is one step of a JSON path: an object member or an array index.
type pathStep struct {
	key   string
	index int
	isKey bool
}

// parsePath splits a path as the library writes it — "$", "$.a.b[2]",
// `$["a b"].c` — into steps. It returns false for anything else.
func parsePath(p string) ([]pathStep, bool) {
	if !strings.HasPrefix(p, "$") {
		return nil, false
	}
	var steps []pathStep
	for i := 1; i < len(p); {
		switch p[i] {
		case '.':
			j := i + 1
			for j < len(p) && p[j] != '.' && p[j] != '[' {
				j++
			}
			if j == i+1 {
				return nil, false
			}
			steps = append(steps, pathStep{key: p[i+1 : j], isKey: true})
			i = j
		case '[':
			end := strings.IndexByte(p[i:], ']')
			if end < 0 {
				return nil, false
			}
			inner := p[i+1 : i+end]
			if strings.HasPrefix(inner, `"`) {
				// A quoted key may itself contain ']': find the closing quote.
				q, err := strconv.QuotedPrefix(p[i+1:])
				if err != nil || !strings.HasPrefix(p[i+1+len(q):], "]") {
					return nil, false
				}
				key, _ := strconv.Unquote(q)
				steps = append(steps, pathStep{key: key, isKey: true})
				i += 1 + len(q) + 1
				continue
			}
			n, err := strconv.Atoi(inner)
			if err != nil || n < 0 {
				return nil, false
			}
			steps = append(steps, pathStep{index: n})
			i += end + 1
		default:
			return nil, false
		}
	}
	return steps, true
}

// locate finds the value a path names in a JSON document and returns its
// byte offset. When a step is an object member, onKey returns the offset
// of the member's key for the last step instead (where an unknown or
// duplicate key is written); of a key given twice the last is taken (the
// strict decoder reports the second). A path that leads out of the
// document — a missing member, an index past the end — stops at the
// deepest value it reached; resolved reports whether every step was found.
func locate(data []byte, path string, onKey bool) (off int, resolved bool) {
	steps, ok := parsePath(path)
	if !ok {
		return 0, false
	}
	s := scanner{data: data}
	s.space()
	off = s.pos
	for i, st := range steps {
		s.space()
		if s.pos >= len(data) {
			return off, false
		}
		last := i == len(steps)-1
		if st.isKey {
			if data[s.pos] != '{' {
				return off, false
			}
			keyAt, valAt, found := s.member(st.key)
			if !found {
				return off, false
			}
			if last && onKey {
				return keyAt, true
			}
			off = valAt
			s.pos = valAt
		} else {
			if data[s.pos] != '[' {
				return off, false
			}
			at, found := s.element(st.index)
			if !found {
				return off, false
			}
			off = at
			s.pos = at
		}
	}
	return off, true
}

// scanner walks JSON text by byte offsets. It trusts nothing: on
// malformed input its methods report "not found" rather than panic.
type scanner struct {
	data []byte
	pos  int
}

func (s *scanner) space() {
	for s.pos < len(s.data) {
		switch s.data[s.pos] {
		case ' ', '\t', '\n', '\r':
			s.pos++
		default:
			return
		}
	}
}

// member scans the object at s.pos for key and returns the offsets of its
// last occurrence's key and value.
func (s *scanner) member(key string) (keyAt, valAt int, found bool) {
	s.pos++ // '{'
	for {
		s.space()
		if s.pos >= len(s.data) || s.data[s.pos] == '}' {
			return keyAt, valAt, found
		}
		k := s.pos
		name, ok := s.str()
		if !ok {
			return keyAt, valAt, found
		}
		s.space()
		if s.pos >= len(s.data) || s.data[s.pos] != ':' {
			return keyAt, valAt, found
		}
		s.pos++
		s.space()
		v := s.pos
		if name == key {
			keyAt, valAt, found = k, v, true
		}
		if !s.skip() {
			return keyAt, valAt, found
		}
		s.space()
		if s.pos < len(s.data) && s.data[s.pos] == ',' {
			s.pos++
		}
	}
}

// element returns the offset of element n of the array at s.pos.
func (s *scanner) element(n int) (int, bool) {
	s.pos++ // '['
	for i := 0; ; i++ {
		s.space()
		if s.pos >= len(s.data) || s.data[s.pos] == ']' {
			return 0, false
		}
		if i == n {
			return s.pos, true
		}
		if !s.skip() {
			return 0, false
		}
		s.space()
		if s.pos < len(s.data) && s.data[s.pos] == ',' {
			s.pos++
		}
	}
}

// str reads a string at s.pos and returns its value.
func (s *scanner) str() (string, bool) {
	if s.pos >= len(s.data) || s.data[s.pos] != '"' {
		return "", false
	}
	start := s.pos
	for s.pos++; s.pos < len(s.data); s.pos++ {
		switch s.data[s.pos] {
		case '\\':
			s.pos++
		case '"':
			s.pos++
			var v string
			if err := json.Unmarshal(s.data[start:s.pos], &v); err != nil {
				return "", false
			}
			return v, true
		}
	}
	return "", false
}

// skip moves past the value at s.pos.
func (s *scanner) skip() bool {
	if s.pos >= len(s.data) {
		return false
	}
	switch c := s.data[s.pos]; c {
	case '"':
		_, ok := s.str()
		return ok
	case '{', '[':
		depth := 0
		for s.pos < len(s.data) {
			switch s.data[s.pos] {
			case '"':
				if _, ok := s.str(); !ok {
					return false
				}
				continue
			case '{', '[':
				depth++
			case '}', ']':
				depth--
				if depth == 0 {
					s.pos++
					return true
				}
			}
			s.pos++
		}
		return false
	default:
		for s.pos < len(s.data) && !strings.ContainsRune(",}] \t\r\n", rune(s.data[s.pos])) {
			s.pos++
		}
		return true
	}
}

// syntaxOffset finds where a document stops being JSON, with the standard
// decoder: the offending byte of a syntax error, the end of the document
// when it ends early, or the first byte after the top-level value.
func syntaxOffset(data []byte) (int, bool) {
	dec := json.NewDecoder(bytes.NewReader(data))
	var v any
	err := dec.Decode(&v)
	var se *json.SyntaxError
	switch {
	case errors.As(err, &se):
		// Offset counts the bytes read including the offending one.
		return max(0, int(se.Offset)-1), true
	case err != nil:
		return len(data), true // unexpected end of input
	}
	off := int(dec.InputOffset())
	for off < len(data) && strings.ContainsRune(" \t\r\n", rune(data[off])) {
		off++
	}
	return off, off < len(data)
}
