package whatif

import (
	"bytes"
	"encoding/json"
	"errors"
	"io"
	"reflect"
	"runtime"
	"strconv"
	"strings"
	"testing"
	"time"
	"unsafe"

	"github.com/closeloop/closeloop/internal/rulesjson"
	"github.com/closeloop/closeloop/sla"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// decodeTicketEncodingJSON is DecodeTicket as it was before the
// hand-written decoder: encoding/json with unknown fields and trailing
// data refused. It is the reference of the differential tests and the
// baseline of the benchmarks.
func decodeTicketEncodingJSON(data []byte, t *Ticket) error {
	*t = Ticket{}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(t); err != nil {
		return err
	}
	if dec.More() {
		return errors.New("trailing data after the ticket")
	}
	if _, err := dec.Token(); err != io.EOF {
		return errors.New("trailing data after the ticket")
	}
	return nil
}

// TestTicketDecoderKnowsEveryField fails when a struct of a ticket line
// gains, loses or renames a JSON field the decoder does not follow: add
// it to the members table and the decoder in ticket_decode.go.
func TestTicketDecoderKnowsEveryField(t *testing.T) {
	tables := map[reflect.Type]*members{
		reflect.TypeFor[Ticket]():         ticketMembers,
		reflect.TypeFor[sla.Attributes](): attributesMembers,
		reflect.TypeFor[sla.Entry]():      entryMembers,
		reflect.TypeFor[ClaimInputs]():    claimMembers,
	}
	seen := map[reflect.Type]bool{}
	var walk func(reflect.Type)
	walk = func(typ reflect.Type) {
		if seen[typ] {
			return
		}
		seen[typ] = true
		var names []string
		for i := range typ.NumField() {
			f := typ.Field(i)
			tag := f.Tag.Get("json")
			if !f.IsExported() || tag == "-" {
				continue
			}
			name, _, _ := strings.Cut(tag, ",")
			if name == "" {
				name = f.Name
			}
			names = append(names, name)
			ft := f.Type
			for ft.Kind() == reflect.Pointer || ft.Kind() == reflect.Slice {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct && ft != reflect.TypeFor[time.Time]() {
				walk(ft)
			}
		}
		m, ok := tables[typ]
		require.True(t, ok, "a ticket line holds a %v, which the decoder has no table for", typ)
		assert.Equal(t, names, m.names, "%v: the decoder's members differ from the struct's JSON tags", typ)
	}
	walk(reflect.TypeFor[Ticket]())
	assert.Len(t, seen, len(tables))
}

// fillTicket sets every exported field of v, recursively, to a value that
// is not zero (entry kinds to a valid kind), so that a field the decoder
// skips shows.
func fillTicket(v reflect.Value, salt int) {
	switch v.Kind() {
	case reflect.String:
		v.SetString("v" + strconv.Itoa(salt) + "<é>\u2028")
	case reflect.Int64: // Duration
		v.SetInt(int64(salt+1) * int64(time.Minute))
	case reflect.Int:
		v.SetInt(int64(salt + 1))
	case reflect.Uint8: // sla.EntryKind
		v.SetUint(uint64(sla.EntryDeadline))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 2, 2)
		for i := range 2 {
			fillTicket(s.Index(i), salt+i+1)
		}
		v.Set(s)
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		for i := range 2 {
			e := reflect.New(v.Type().Elem()).Elem()
			fillTicket(e, salt+i)
			m.SetMapIndex(reflect.ValueOf("k"+strconv.Itoa(i)), e)
		}
		v.Set(m)
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[time.Time]() {
			v.Set(reflect.ValueOf(genStart.Add(time.Duration(salt)*time.Hour + 7*time.Nanosecond)))
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fillTicket(v.Field(i), salt+i)
			}
		}
	}
}

// TestDecodeTicketMatchesEncodingJSON: generated tickets, a ticket with
// every field set, and lines spelt the ways encoding/json also reads
// (escapes, offsets, nulls, white space) decode as encoding/json decodes
// them.
func TestDecodeTicketMatchesEncodingJSON(t *testing.T) {
	var every Ticket
	fillTicket(reflect.ValueOf(&every).Elem(), 0)
	line, err := AppendNDJSON(nil, &every)
	require.NoError(t, err)
	lines := []string{string(line)}
	for _, tk := range generate(3, genStart, 50) {
		b, err := AppendNDJSON(nil, &tk)
		require.NoError(t, err)
		lines = append(lines, string(b))
	}
	lines = append(lines,
		`{"id":"T1","attributes":{"priority":"P1"},"timeline":[{"at":"2024-03-04T09:00:00+08:00","kind":"state","state":"received"}],"claim":{"durations":{"d":"1h"},"amounts":{"loss":"12.5"},"numbers":{"km":"3"},"flags":{"x":true}}}`,
		`{"id":null,"customer":"C\u00e9\ud83d\ude00\n\/","attributes":null,"timeline":null,"claim":null}`,
		` { "id" : "T2" , "timeline" : [ { "at" : "0000-01-01T00:00:00Z" , "kind" : "event" , "deadline" : null } ] } `,
		`{"id":"T3","timeline":[{"at":"2024-01-01T00:00:00.123456789123Z","kind":null},{"at":null,"kind":"reopen"}],"attributes":{"tags":[null,"a"],"attrs":{"x":null}}}`,
		`{"id":"T4","timeline":[],"attributes":{"tags":[],"attrs":{}},"claim":{"durations":{"z":null},"flags":{"f":null,"g":false}}}`,
		`{"id":"T5","timeline":[{"at":"2024-01-01T00:00:00Z","kind":"state","version":-0},{"at":"2024-01-01T00:00:00Z","kind":"state","version":-9223372036854775808},{"at":"2024-01-01T00:00:00Z","kind":"state","version":9223372036854775807,"policy":null}]}`,
		"{\"id\":\"bad \xff utf-8 \\ud800 lone\\udc00\\u0041 \\ud83d\"}",
		`null`,
	)
	for i, l := range lines {
		var want, got Ticket
		require.NoError(t, decodeTicketEncodingJSON([]byte(l), &want), "line %d", i)
		require.NoError(t, DecodeTicket([]byte(l), &got), "line %d: %s", i, l)
		require.Equal(t, want, got, "line %d", i)
	}
	assert.Equal(t, every, func() Ticket { var tk Ticket; require.NoError(t, DecodeTicket(line, &tk)); return tk }())
}

// TestDecodeTicketRefuses: what DecodeTicket refuses, with the path.
func TestDecodeTicketRefuses(t *testing.T) {
	good := `{"id":"T1","attributes":{"kind":"complaint","attrs":{"a":"b"}},"timeline":[{"at":"2024-01-01T00:00:00Z","kind":"state","state":"received"}],"claim":{"durations":{"d":"1h"}}}`
	cases := []struct {
		name, in, path string
		is             error
	}{
		{"unknown field", strings.Replace(good, `"attributes"`, `"atributes"`, 1), "$.atributes", rulesjson.ErrUnknownField},
		{"key in another case", strings.Replace(good, `"id"`, `"ID"`, 1), "$.ID", rulesjson.ErrUnknownField},
		{"duplicate key", strings.Replace(good, `"id":"T1",`, `"id":"T1","id":"T2",`, 1), "$.id", rulesjson.ErrDuplicateKey},
		{"duplicate nested key", strings.Replace(good, `"state":"received"`, `"state":"received","state":"x"`, 1), "$.timeline[0].state", rulesjson.ErrDuplicateKey},
		{"duplicate map key", strings.Replace(good, `"a":"b"`, `"a":"b","a":"c"`, 1), "$.attributes.attrs.a", rulesjson.ErrDuplicateKey},
		{"duplicate claim key", strings.Replace(good, `"d":"1h"`, `"d":"1h","d":"2h"`, 1), "$.claim.durations.d", rulesjson.ErrDuplicateKey},
		{"trailing data", good + ` {"id":"T2"}`, "$", rulesjson.ErrTrailingData},
		{"trailing garbage", good + ` x`, "$", rulesjson.ErrTrailingData},
		{"not an object", `[1]`, "$", rulesjson.ErrType},
		{"empty", ``, "$", rulesjson.ErrSyntax},
		{"bad kind", strings.Replace(good, `"kind":"state"`, `"kind":"teleport"`, 1), "$.timeline[0].kind", rulesjson.ErrType},
		{"bad duration", strings.Replace(good, `"1h"`, `"soon"`, 1), "$.claim.durations.d", rulesjson.ErrType},
		{"bad instant", strings.Replace(good, `"2024-01-01T00:00:00Z"`, `"2024-13-01T00:00:00Z"`, 1), "$.timeline[0].at", rulesjson.ErrType},
		{"number for a string", strings.Replace(good, `"T1"`, `1`, 1), "$.id", rulesjson.ErrType},
		{"fraction for an int", strings.Replace(good, `"state":"received"`, `"version":1.5`, 1), "$.timeline[0].version", rulesjson.ErrType},
		{"exponent for an int", strings.Replace(good, `"state":"received"`, `"version":1e2`, 1), "$.timeline[0].version", rulesjson.ErrType},
		{"int overflow", strings.Replace(good, `"state":"received"`, `"version":9223372036854775808`, 1), "$.timeline[0].version", rulesjson.ErrType},
		{"string for an int", strings.Replace(good, `"state":"received"`, `"version":"2"`, 1), "$.timeline[0].version", rulesjson.ErrType},
		{"leading zero", strings.Replace(good, `"state":"received"`, `"version":02`, 1), "$.timeline[0].version", rulesjson.ErrSyntax},
		{"string for a list", strings.Replace(good, `"attrs":{"a":"b"}`, `"tags":"a"`, 1), "$.attributes.tags", rulesjson.ErrType},
		{"entry without an instant", strings.Replace(good, `"at":"2024-01-01T00:00:00Z",`, ``, 1), "$.timeline[0]", ErrTicket},
		{"entry without a kind", strings.Replace(good, `"kind":"state",`, ``, 1), "$.timeline[0]", ErrTicket},
		{"truncated", good[:len(good)-2], "$.claim", rulesjson.ErrSyntax},
		{"too large", good + strings.Repeat(" ", MaxTicketSize), "$", rulesjson.ErrTooLarge},
		{"string too long", strings.Replace(good, `"T1"`, `"`+strings.Repeat("x", MaxTicketString+1)+`"`, 1), "$.id", rulesjson.ErrTooLarge},
		{"too many tags", strings.Replace(good, `"attrs":{"a":"b"}`, `"tags":[`+strings.Repeat(`"",`, MaxTicketList)+`""]`, 1), "$.attributes.tags", rulesjson.ErrTooLarge},
		{"too many attrs", strings.Replace(good, `"attrs":{"a":"b"}`, `"attrs":{`+manyMembers(MaxTicketList+1)+`}`, 1), "$.attributes.attrs", rulesjson.ErrTooLarge},
		{"too deep", strings.Replace(good, `"state":"received"`, `"state":`+strings.Repeat("[", 100000), 1), "$.timeline[0].state", rulesjson.ErrType},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var tk Ticket
			err := DecodeTicket([]byte(tc.in), &tk)
			require.Error(t, err)
			assert.ErrorIs(t, err, ErrTicket)
			assert.ErrorIs(t, err, tc.is)
			var pe *PathError
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, tc.path, pe.Path, "%v", err)
			assert.Equal(t, Ticket{}, tk, "a refused line leaves the ticket zero")
		})
	}
}

func manyMembers(n int) string {
	var b strings.Builder
	for i := range n {
		if i > 0 {
			b.WriteByte(',')
		}
		b.WriteString(`"` + strconv.Itoa(i) + `":""`)
	}
	return b.String()
}

// TestDecodeTicketMemory feeds DecodeTicket the lines that cost it the
// most memory per byte and asserts a ceiling of 16 KB plus perByte bytes
// per input byte. The line itself is copied once; the smallest entry
// ({"at":null,"kind":null}, 24 bytes) is a 168-byte sla.Entry; a map
// member costs Go about 70 bytes and can be written in 7; every map is
// capped at MaxTicketList members and there are five.
func TestDecodeTicketMemory(t *testing.T) {
	nullEntries := `{"id":"T","timeline":[` + strings.Repeat(`{"at":null,"kind":null},`, MaxTimelineEntries-1) + `{"at":null,"kind":null}]}`
	attrs := `{"id":"T","attributes":{"attrs":{` + manyMembers(MaxTicketList) + `}},"claim":{"amounts":{` + manyMembers(MaxTicketList) + `},"numbers":{` + manyMembers(MaxTicketList) + `}}}`
	cases := []struct {
		name    string
		in      string
		perByte float64
	}{
		// An sla.Entry per 24 bytes, and the line.
		{"null entries", nullEntries, float64(unsafe.Sizeof(sla.Entry{}))/float64(minEntryLen) + 1.5},
		// Braces in a string: dense, the timeline's guess counts {"at":
		// instead; one in entryBytes, they make it high.
		{"braces in a string", `{"id":"T","timeline":[{"at":null,"kind":"state","state":"` + strings.Repeat("{", MaxTicketString) + `"}]}`, 1.5},
		{"sparse braces in a string", `{"id":"T","timeline":[{"at":null,"kind":"state","state":"` + strings.Repeat("{"+strings.Repeat("x", entryBytes), MaxTicketString/(entryBytes+1)) + `"}]}`, float64(unsafe.Sizeof(sla.Entry{}))/float64(entryBytes) + 1.5},
		{"empty tags", `{"id":"T","attributes":{"tags":[` + strings.Repeat(`"",`, MaxTicketList-1) + `""]}}`, 7},
		{"one-character map keys", attrs, 11},
		{"invalid UTF-8", `{"id":"` + strings.Repeat("\xff", MaxTicketString/3) + `"}`, 4.5},
		{"escapes", `{"id":"` + strings.Repeat(`\u00e9`, MaxTicketString/2) + `"}`, 1.5},
		{"commas", `{"id":"T","timeline":[` + strings.Repeat(",", MaxTicketSize-40) + `]}`, 3},
		{"a few commas", `{"id":"T","timeline":[` + strings.Repeat(",", 10000) + `]}`, 1.5},
		{"deep nesting", `{"id":"T","customer":` + strings.Repeat("[", MaxTicketSize-40) + `}`, 1.1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			data := []byte(tc.in)
			var tk Ticket
			var before, after runtime.MemStats
			runtime.GC()
			runtime.ReadMemStats(&before)
			_ = DecodeTicket(data, &tk)
			runtime.ReadMemStats(&after)
			n := after.TotalAlloc - before.TotalAlloc
			t.Logf("%d bytes in, %d bytes allocated: %.2f per byte", len(data), n, float64(n)/float64(len(data)))
			assert.LessOrEqual(t, float64(n), ticketRaceSlack*(16<<10+tc.perByte*float64(len(data))))
		})
	}
}

// TestReadNDJSONLongLine: a line beyond MaxTicketSize stops the read with
// the line's number, before it is read whole.
func TestReadNDJSONLongLine(t *testing.T) {
	in := "{\"id\":\"a\"}\n" + `{"id":"` + strings.Repeat("x", MaxTicketSize+10) + `"}` + "\n"
	n := 0
	err := ReadNDJSON(strings.NewReader(in), func(*Ticket) error { n++; return nil })
	require.ErrorIs(t, err, ErrTicket)
	require.ErrorIs(t, err, rulesjson.ErrTooLarge)
	assert.Contains(t, err.Error(), "line 2")
	assert.Equal(t, 1, n)
}
