package whatif

import (
	"bytes"
	"encoding/json"
	"errors"
	"strings"
	"testing"

	"github.com/closeloop/closeloop/internal/rulesjson"
	"github.com/stretchr/testify/require"
)

// duplicateKey reports whether some object of data has a key twice (keys
// compared unescaped), by walking encoding/json's tokens.
func duplicateKey(data []byte) bool {
	dec := json.NewDecoder(bytes.NewReader(data))
	type frame struct {
		keys    map[string]bool // nil in an array
		wantKey bool
	}
	var stack []*frame
	valueDone := func() {
		if n := len(stack); n > 0 && stack[n-1].keys != nil {
			stack[n-1].wantKey = true
		}
	}
	for {
		tok, err := dec.Token()
		if err != nil {
			return false
		}
		if n := len(stack); n > 0 && stack[n-1].keys != nil && stack[n-1].wantKey {
			if tok == json.Delim('}') {
				stack = stack[:n-1]
				valueDone()
				continue
			}
			k, _ := tok.(string)
			if stack[n-1].keys[k] {
				return true
			}
			stack[n-1].keys[k], stack[n-1].wantKey = true, false
			continue
		}
		switch tok {
		case json.Delim('{'):
			stack = append(stack, &frame{keys: map[string]bool{}, wantKey: true})
		case json.Delim('['):
			stack = append(stack, &frame{})
		case json.Delim(']'):
			stack = stack[:len(stack)-1]
			valueDone()
		default:
			valueDone()
		}
	}
}

// FuzzDecodeTicketDifferential: whatever DecodeTicket accepts, the
// encoding/json decoder it replaced accepts as the same ticket, with no
// key given twice; so whatever that decoder refuses, DecodeTicket refuses.
// What DecodeTicket refuses beyond that is only what it documents: a key
// given twice or in another case, an entry without "at" or "kind", a
// ticket beyond the limits. Every refusal is a *PathError wrapping
// ErrTicket.
func FuzzDecodeTicketDifferential(f *testing.F) {
	for _, tk := range generate(5, genStart, 4) {
		b, _ := AppendNDJSON(nil, &tk)
		f.Add(b)
	}
	f.Add([]byte(`{"id":"T1","attributes":{"priority":"P1","tags":["a",null],"attrs":{"k":"v"}},"timeline":[{"at":"2024-03-04T09:00:00+08:00","kind":"state","state":"received"},{"at":"2024-03-04T09:00:00.5Z","kind":"deadline","metric":"resolution","deadline":"2024-03-05T09:00:00Z"}],"claim":{"durations":{"d":"1h"},"amounts":{"loss":"12.5"},"numbers":{"km":"3"},"flags":{"x":true}}}`))
	f.Add([]byte(`{"id":"\u0054\ud83d\ude00\ud800","ID":"x","customer":null,"timeline":[{"at":null,"kind":null}]}`))
	f.Add([]byte(`{"id":"a","id":"b"} `))
	f.Add([]byte(`null`))
	f.Add([]byte(`{"id":"T","timeline":[{"at":"2024-01-01T00:00:00Z","kind":"policy","policy":"p","version":2},{"at":"2024-01-01T00:00:00Z","kind":"state","version":-1.5e3}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		var got, want Ticket
		err := DecodeTicket(data, &got)
		refErr := decodeTicketEncodingJSON(data, &want)
		if err == nil {
			require.NoError(t, refErr, "DecodeTicket accepted what encoding/json refuses: %q", data)
			require.Equal(t, want, got)
			require.False(t, duplicateKey(data), "DecodeTicket accepted a duplicate key: %q", data)
			return
		}
		require.ErrorIs(t, err, ErrTicket)
		var pe *PathError
		require.True(t, errors.As(err, &pe), "untyped error %T: %v", err, err)
		require.Equal(t, Ticket{}, got)
		if refErr != nil {
			return
		}
		explained := errors.Is(err, rulesjson.ErrDuplicateKey) || errors.Is(err, rulesjson.ErrUnknownField) ||
			errors.Is(err, rulesjson.ErrTooLarge) || strings.Contains(err.Error(), "missing")
		require.True(t, explained, "DecodeTicket refused what encoding/json reads (%v): %q", err, data)
	})
}
