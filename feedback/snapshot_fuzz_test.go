package feedback

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"time"

	"testing"

	"github.com/closeloop/closeloop/internal/rulesjson"
	"github.com/stretchr/testify/require"
)

// decodeSnapshotEncodingJSON is how ParseSnapshot decoded before the
// hand-written codec: encoding/json with unknown fields refused and
// nothing allowed after the ticket. It is the reference of the
// differential fuzz targets.
func decodeSnapshotEncodingJSON(data []byte) (*Ticket, error) {
	var t Ticket
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&t); err != nil {
		return nil, err
	}
	if _, err := dec.Token(); err != io.EOF {
		return nil, errors.New("trailing data")
	}
	return &t, nil
}

// parseSnapshotReference is ParseSnapshot's contract written the slow
// way: encoding/json, then every check encoding/json does not make
// (duplicate keys, instants in UTC and in range, limits, consistency,
// values), each done independently of the codec but the value checks.
func parseSnapshotReference(data []byte) (*Ticket, error) {
	if len(data) > MaxSnapshotSize {
		return nil, errors.New("too large")
	}
	t, err := decodeSnapshotEncodingJSON(data)
	if err != nil {
		return nil, err
	}
	if duplicateKey(data) {
		return nil, errors.New("duplicate key")
	}
	if err := walkValues(reflect.ValueOf(t).Elem()); err != nil {
		return nil, err
	}
	if t.ID == "" || t.Version != int64(len(t.History)) || len(t.History) > MaxSnapshotEvents {
		return nil, errors.New("inconsistent")
	}
	for i, ev := range t.History {
		if ev.Seq != int64(i+1) || ev.Version != ev.Seq {
			return nil, errors.New("inconsistent event")
		}
	}
	if err := checkSnapshotValues(t); err != nil {
		return nil, err
	}
	return t, nil
}

// walkValues checks the instants (UTC, years 1..9999), string lengths and
// list lengths of a decoded ticket.
func walkValues(v reflect.Value) error {
	switch v.Kind() {
	case reflect.String:
		if v.Len() > MaxSnapshotString {
			return errors.New("string too long")
		}
	case reflect.Pointer:
		if !v.IsNil() {
			return walkValues(v.Elem())
		}
	case reflect.Slice:
		if v.Len() > MaxSnapshotList && v.Type() != reflect.TypeFor[[]Event]() {
			return errors.New("list too long")
		}
		for i := range v.Len() {
			if err := walkValues(v.Index(i)); err != nil {
				return err
			}
		}
	case reflect.Map:
		if v.Len() > MaxSnapshotList {
			return errors.New("map too large")
		}
		for it := v.MapRange(); it.Next(); {
			if err := walkValues(it.Key()); err != nil {
				return err
			}
			if err := walkValues(it.Value()); err != nil {
				return err
			}
		}
	case reflect.Struct:
		if at, ok := v.Interface().(time.Time); ok {
			if at.Location() != time.UTC || at.Year() < 1 || at.Year() > 9999 {
				return fmt.Errorf("instant %v", at)
			}
			return nil
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				if err := walkValues(v.Field(i)); err != nil {
					return err
				}
			}
		}
	}
	return nil
}

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

// addSnapshotSeeds adds the golden snapshots and a few odd ones.
func addSnapshotSeeds(f *testing.F) {
	files, err := filepath.Glob(filepath.Join("testdata", "snapshot", "*.json"))
	require.NoError(f, err)
	for _, path := range files {
		data, err := os.ReadFile(path)
		require.NoError(f, err)
		f.Add(data)
	}
	f.Add([]byte(`{"id":"F1","version":0,"state":"","opened":"0001-01-01T00:00:00Z","updated":"0001-01-01T00:00:00Z","history":null}`))
	f.Add([]byte(`{"id":"F1","version":0,"state":"s","opened":"2024-03-01T09:00:00+00:00","updated":"2024-03-01T09:00:00.5Z","history":[]}`))
	f.Add([]byte(`{"id":"F1","id":"F2","version":0,"state":"s","opened":"0001-01-01T00:00:00Z","updated":"0001-01-01T00:00:00Z","history":[]}`))
	f.Add([]byte(`{"id":"F\u0031","ID":"x","version":-0,"state":"\ud83d\ude00","opened":"0001-01-01T00:00:00Z","updated":"0000-01-01T00:00:00Z","attributes":{"a":"b","a":"c"},"history":[]}`))
}

// FuzzSnapshotDifferential: whatever ParseSnapshot accepts, encoding/json
// decodes to the same ticket and the reference checks accept; so whatever
// encoding/json with those checks refuses, ParseSnapshot refuses. What
// ParseSnapshot refuses beyond that is a spelling MarshalSnapshot never
// writes (a missing key, null, invalid UTF-8, a key in another case): the
// same ticket written by MarshalSnapshot is accepted. Every refusal is a
// *PathError or a *FieldError.
func FuzzSnapshotDifferential(f *testing.F) {
	addSnapshotSeeds(f)
	f.Fuzz(func(t *testing.T, data []byte) {
		got, err := ParseSnapshot(data)
		ref, refErr := parseSnapshotReference(data)
		if err == nil {
			require.NoError(t, refErr, "ParseSnapshot accepted what the reference refuses: %s", data)
			require.Equal(t, ref, got)
			out, err := MarshalSnapshot(got)
			require.NoError(t, err)
			want, err := json.Marshal(got)
			require.NoError(t, err)
			require.Equal(t, string(want), string(out))
			return
		}
		var pe *PathError
		var fe *FieldError
		require.True(t, errors.As(err, &pe) || errors.As(err, &fe), "untyped error %T: %v", err, err)
		if refErr != nil {
			return
		}
		canonical, err := json.Marshal(ref)
		require.NoError(t, err)
		if len(canonical) > MaxSnapshotSize {
			return
		}
		back, err := ParseSnapshot(canonical)
		require.NoError(t, err, "%s", canonical)
		require.Equal(t, ref, back)
	})
}

// ticketSource draws a Ticket's values from fuzz bytes.
type ticketSource struct{ b []byte }

func (s *ticketSource) byte() byte {
	if len(s.b) == 0 {
		return 0
	}
	c := s.b[0]
	s.b = s.b[1:]
	return c
}

func (s *ticketSource) uint64() uint64 {
	var buf [8]byte
	n := copy(buf[:], s.b)
	s.b = s.b[n:]
	return binary.LittleEndian.Uint64(buf[:])
}

var fuzzStrings = []string{"", "a", "P1", "<&>", "\u2028\u2029", "é客😀", "\x00\x1f\x7f", `"\/`, "\xff", "a\xe2\x80"}

func (s *ticketSource) fill(v reflect.Value, depth int) {
	switch v.Kind() {
	case reflect.String:
		c := s.byte()
		if c < 0xc0 {
			v.SetString(fuzzStrings[int(c)%len(fuzzStrings)])
			return
		}
		n := min(int(c-0xc0), len(s.b))
		v.SetString(string(s.b[:n]))
		s.b = s.b[n:]
	case reflect.Int, reflect.Int64:
		switch c := s.byte(); c % 4 {
		case 0:
			v.SetInt(int64(c / 4))
		default:
			v.SetInt(int64(s.uint64()))
		}
	case reflect.Bool:
		v.SetBool(s.byte()%2 == 1)
	case reflect.Pointer:
		if depth > 3 || s.byte()%2 == 0 {
			return
		}
		v.Set(reflect.New(v.Type().Elem()))
		s.fill(v.Elem(), depth+1)
	case reflect.Slice:
		c := s.byte() % 5
		if c == 0 || depth > 3 {
			return
		}
		sl := reflect.MakeSlice(v.Type(), int(c-1), int(c-1))
		for i := range sl.Len() {
			s.fill(sl.Index(i), depth+1)
		}
		v.Set(sl)
	case reflect.Map:
		c := s.byte() % 5
		if c == 0 {
			return
		}
		m := reflect.MakeMap(v.Type())
		for range c - 1 {
			k := reflect.New(v.Type().Key()).Elem()
			s.fill(k, depth+1)
			e := reflect.New(v.Type().Elem()).Elem()
			s.fill(e, depth+1)
			m.SetMapIndex(k, e)
		}
		v.Set(m)
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[time.Time]() {
			if s.byte()%3 == 0 {
				return // the zero instant
			}
			secs := int64(s.uint64()%uint64(lastInstantUnix-firstInstantUnix+1)) + firstInstantUnix
			nsec := int64(0)
			if s.byte()%2 == 1 {
				nsec = int64(s.uint64() % 1e9)
			}
			v.Set(reflect.ValueOf(time.Unix(secs, nsec).UTC()))
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				s.fill(v.Field(i), depth)
			}
		}
	}
}

// FuzzSnapshotEncode builds arbitrary tickets (every field, any string,
// any integer, any instant of years 1..9999) and checks that
// MarshalSnapshot writes encoding/json's bytes and that the codec reads
// them back as encoding/json does.
func FuzzSnapshotEncode(f *testing.F) {
	f.Add([]byte{})
	f.Add(bytes.Repeat([]byte{1, 3, 0xc5, 'a', '<', 0xff, '"', '\\', 7}, 40))
	f.Add(bytes.Repeat([]byte{0xff, 0x81, 0x7f, 2, 4, 9}, 80))
	f.Fuzz(func(t *testing.T, data []byte) {
		var tk Ticket
		(&ticketSource{data}).fill(reflect.ValueOf(&tk).Elem(), 0)
		// Versions and sequence numbers count events: the codec reads
		// nothing beyond MaxSnapshotEvents.
		inRange := func(n *int64) { *n = min(max(*n, 0), MaxSnapshotEvents) }
		inRange(&tk.Version)
		for i := range tk.History {
			inRange(&tk.History[i].Seq)
			inRange(&tk.History[i].Version)
		}
		want, err := json.Marshal(&tk)
		require.NoError(t, err)
		got, err := MarshalSnapshot(&tk)
		if err != nil {
			// Only a ticket whose attribute keys encoding/json writes
			// alike (invalid UTF-8) is refused: its JSON holds a key twice.
			require.ErrorIs(t, err, ErrInvalidTicket)
			_, err := decodeSnapshot(want)
			require.ErrorIs(t, err, rulesjson.ErrDuplicateKey)
			return
		}
		require.Equal(t, string(want), string(got))
		var ref Ticket
		require.NoError(t, json.Unmarshal(want, &ref))
		back, err := decodeSnapshot(got)
		require.NoError(t, err)
		require.Equal(t, &ref, back)
	})
}
