// Package rulesjson decodes rules documents strictly and reports every problem
// with the JSON path of the value at fault.
//
// The rules of a help desk (calendars, SLA policies, priority scoring,
// compensation schedules) are edited by people, often by hand. A typo must not
// silently become a default, so Decode is stricter than encoding/json:
//
//   - an object key that matches no field of the target struct is an error
//     (a key that matches only when case is ignored is reported as unknown
//     too, with the field it probably meant);
//   - a key that appears twice in one object is an error;
//   - a value of the wrong JSON kind, a number with a fraction for an integer
//     field, or an integer that overflows its field is an error;
//   - anything after the single top-level value is an error.
//
// Every error is a *PathError whose Path names the offending value in the
// JSONPath-like form "$.policies[2].targets.P1". Errors returned by a field's
// own UnmarshalJSON or UnmarshalText are wrapped with the path of that field,
// so custom types (durations, money) get paths for free.
package rulesjson

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"io"
	"reflect"
	"strconv"
	"strings"
)

// Sentinel errors wrapped by PathError; test them with errors.Is.
var (
	// ErrSyntax marks malformed JSON.
	ErrSyntax = errors.New("malformed JSON")
	// ErrUnknownField marks an object key that matches no field.
	ErrUnknownField = errors.New("unknown field")
	// ErrDuplicateKey marks an object key given twice.
	ErrDuplicateKey = errors.New("duplicate key")
	// ErrType marks a value of the wrong JSON kind or out of range for its field.
	ErrType = errors.New("wrong type")
	// ErrTrailingData marks data after the top-level value.
	ErrTrailingData = errors.New("trailing data after the JSON value")
)

// PathError is an error located at a JSON path of a rules document.
type PathError struct {
	// Path names the value at fault: "$" is the document, "$.a[2].b" a nested value.
	Path string
	// Err is the underlying problem; it may wrap one of the sentinel errors.
	Err error
}

// Error gives the path, then the problem: "$.policies[2].targets.P1: ...".
func (e *PathError) Error() string { return e.Path + ": " + e.Err.Error() }

// Unwrap returns the underlying problem.
func (e *PathError) Unwrap() error { return e.Err }

// Errorf returns a PathError for path with a formatted message. The %w verb
// wraps an error as fmt.Errorf does.
func Errorf(path, format string, args ...any) *PathError {
	return &PathError{Path: path, Err: fmt.Errorf(format, args...)}
}

// Wrap returns err located at path. A *PathError inside err keeps its own,
// more precise path, made absolute below path when it is relative ("$...").
func Wrap(path string, err error) error {
	if err == nil {
		return nil
	}
	var pe *PathError
	if errors.As(err, &pe) {
		if path == "$" || path == "" {
			return pe
		}
		return &PathError{Path: path + strings.TrimPrefix(pe.Path, "$"), Err: pe.Err}
	}
	return &PathError{Path: path, Err: err}
}

// Field returns the path of the member name of the object at path.
// Names that are not plain identifiers are quoted: Field("$", "a b") == `$["a b"]`.
func Field(path, name string) string {
	if isIdent(name) {
		return path + "." + name
	}
	return path + "[" + strconv.Quote(name) + "]"
}

// Index returns the path of element i of the array at path.
func Index(path string, i int) string { return path + "[" + strconv.Itoa(i) + "]" }

func isIdent(s string) bool {
	if s == "" {
		return false
	}
	for i, r := range s {
		switch {
		case r == '_' || r == '-' || (r >= 'a' && r <= 'z') || (r >= 'A' && r <= 'Z'):
		case r >= '0' && r <= '9' && i > 0:
		default:
			return false
		}
	}
	return true
}

// Decode strictly decodes exactly one JSON value from data into v, which must
// be a non-nil pointer. On error v may be partly filled; callers that must not
// lose state decode into a fresh value.
func Decode(data []byte, v any) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return &PathError{Path: "$", Err: fmt.Errorf("%w: Decode needs a non-nil pointer, got %T", ErrType, v)}
	}
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.UseNumber()
	w := walker{dec: dec, data: data}
	if err := w.value("$", rv.Type().Elem()); err != nil {
		return err
	}
	if _, err := dec.Token(); err != io.EOF {
		return &PathError{Path: "$", Err: ErrTrailingData}
	}
	// The walk proved the document well-formed and matching v's shape; the
	// standard decoder now fills v. Any error left comes from custom
	// unmarshalers the walk could not reach (inside interfaces).
	std := json.NewDecoder(bytes.NewReader(data))
	std.DisallowUnknownFields()
	if err := std.Decode(v); err != nil {
		return Wrap("$", err)
	}
	return nil
}

type walker struct {
	dec  *json.Decoder
	data []byte
	// fields caches the field table of each struct type met in this call;
	// a rules document repeats its object shapes many times.
	fields map[reflect.Type]map[string]fieldInfo
}

var (
	jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
)

func (w *walker) syntax(path string, err error) error {
	if errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return &PathError{Path: path, Err: fmt.Errorf("%w: unexpected end of document", ErrSyntax)}
	}
	return &PathError{Path: path, Err: fmt.Errorf("%w: %v", ErrSyntax, err)}
}

// value checks the next JSON value of the stream against type t.
func (w *walker) value(path string, t reflect.Type) error {
	for t.Kind() == reflect.Pointer && !implements(t) {
		t = t.Elem()
	}
	if implements(t) {
		return w.custom(path, t)
	}
	tok, err := w.dec.Token()
	if err != nil {
		return w.syntax(path, err)
	}
	if tok == nil { // null leaves the Go value as it is, as encoding/json does
		return nil
	}
	switch tok := tok.(type) {
	case json.Delim:
		switch tok {
		case '{':
			return w.object(path, t)
		case '[':
			return w.array(path, t)
		}
		return w.syntax(path, fmt.Errorf("unexpected %q", tok))
	case string:
		if reflect.PointerTo(t).Implements(textUnmarshaler) {
			u := reflect.New(t).Interface().(encoding.TextUnmarshaler)
			if err := u.UnmarshalText([]byte(tok)); err != nil {
				return Wrap(path, err)
			}
			return nil
		}
		if t.Kind() == reflect.String || t.Kind() == reflect.Interface {
			return nil
		}
		if t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8 {
			return nil // []byte is base64 text
		}
		return typeErr(path, "a string", t)
	case bool:
		if t.Kind() == reflect.Bool || t.Kind() == reflect.Interface {
			return nil
		}
		return typeErr(path, "a boolean", t)
	case json.Number:
		return checkNumber(path, string(tok), t)
	}
	return w.syntax(path, fmt.Errorf("unexpected token %v", tok))
}

func implements(t reflect.Type) bool {
	return t.Implements(jsonUnmarshaler) || reflect.PointerTo(t).Implements(jsonUnmarshaler)
}

// custom hands the raw bytes of the next value to t's own UnmarshalJSON, so
// its error carries this path.
func (w *walker) custom(path string, t reflect.Type) error {
	var raw json.RawMessage
	if err := w.dec.Decode(&raw); err != nil {
		return w.syntax(path, err)
	}
	if bytes.Equal(bytes.TrimSpace(raw), []byte("null")) {
		return nil
	}
	var target reflect.Value
	if t.Kind() == reflect.Pointer {
		target = reflect.New(t.Elem())
	} else {
		target = reflect.New(t)
	}
	u, ok := target.Interface().(json.Unmarshaler)
	if !ok {
		return nil
	}
	if err := u.UnmarshalJSON(raw); err != nil {
		return Wrap(path, err)
	}
	return nil
}

func checkNumber(path, lit string, t reflect.Type) error {
	switch t.Kind() {
	case reflect.Interface, reflect.Float32, reflect.Float64:
		if t.Kind() == reflect.Float32 {
			if _, err := strconv.ParseFloat(lit, 32); err != nil {
				return rangeErr(path, lit, t)
			}
		}
		return nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if _, err := strconv.ParseInt(lit, 10, t.Bits()); err != nil {
			return rangeErr(path, lit, t)
		}
		return nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		if _, err := strconv.ParseUint(lit, 10, t.Bits()); err != nil {
			return rangeErr(path, lit, t)
		}
		return nil
	case reflect.String:
		return typeErr(path, "a number", t) // ",string" options are not used in rules documents
	}
	return typeErr(path, "a number", t)
}

func rangeErr(path, lit string, t reflect.Type) error {
	return &PathError{Path: path, Err: fmt.Errorf("%w: %s does not fit %s", ErrType, lit, kindName(t))}
}

func typeErr(path, got string, t reflect.Type) error {
	return &PathError{Path: path, Err: fmt.Errorf("%w: got %s, want %s", ErrType, got, kindName(t))}
}

func kindName(t reflect.Type) string {
	switch t.Kind() {
	case reflect.Struct, reflect.Map:
		return "an object"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.String:
		return "a string"
	case reflect.Bool:
		return "a boolean"
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		return "an integer"
	case reflect.Float32, reflect.Float64:
		return "a number"
	}
	return t.String()
}

func (w *walker) object(path string, t reflect.Type) error {
	var fields map[string]fieldInfo
	var elem reflect.Type
	switch t.Kind() {
	case reflect.Struct:
		fields = w.structFields(t)
	case reflect.Map:
		elem = t.Elem()
	case reflect.Interface:
		elem = t
	default:
		return typeErr(path, "an object", t)
	}
	seen := make(map[string]struct{})
	for w.dec.More() {
		tok, err := w.dec.Token()
		if err != nil {
			return w.syntax(path, err)
		}
		key, _ := tok.(string)
		kpath := Field(path, key)
		if _, dup := seen[key]; dup {
			return &PathError{Path: kpath, Err: ErrDuplicateKey}
		}
		seen[key] = struct{}{}
		ft := elem
		if fields != nil {
			f, ok := fields[key]
			if !ok {
				for name := range fields {
					if strings.EqualFold(name, key) {
						return &PathError{Path: kpath, Err: fmt.Errorf("%w (did you mean %q?)", ErrUnknownField, name)}
					}
				}
				return &PathError{Path: kpath, Err: ErrUnknownField}
			}
			ft = f.typ
		} else if t.Kind() == reflect.Map {
			if err := checkMapKey(kpath, key, t.Key()); err != nil {
				return err
			}
		}
		if err := w.value(kpath, ft); err != nil {
			return err
		}
	}
	if _, err := w.dec.Token(); err != nil { // '}'
		return w.syntax(path, err)
	}
	return nil
}

func checkMapKey(path, key string, kt reflect.Type) error {
	if reflect.PointerTo(kt).Implements(textUnmarshaler) {
		u := reflect.New(kt).Interface().(encoding.TextUnmarshaler)
		if err := u.UnmarshalText([]byte(key)); err != nil {
			return Wrap(path, err)
		}
		return nil
	}
	switch kt.Kind() {
	case reflect.String:
		return nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return checkNumber(path, key, kt)
	}
	return &PathError{Path: path, Err: fmt.Errorf("%w: map key type %s", ErrType, kt)}
}

func (w *walker) array(path string, t reflect.Type) error {
	var elem reflect.Type
	switch t.Kind() {
	case reflect.Slice, reflect.Array:
		elem = t.Elem()
	case reflect.Interface:
		elem = t
	default:
		return typeErr(path, "an array", t)
	}
	for i := 0; w.dec.More(); i++ {
		if t.Kind() == reflect.Array && i >= t.Len() {
			return &PathError{Path: Index(path, i), Err: fmt.Errorf("%w: more than %d elements", ErrType, t.Len())}
		}
		if err := w.value(Index(path, i), elem); err != nil {
			return err
		}
	}
	if _, err := w.dec.Token(); err != nil { // ']'
		return w.syntax(path, err)
	}
	return nil
}

type fieldInfo struct{ typ reflect.Type }

// structFields lists the JSON names of t's fields as encoding/json sees them,
// including the promoted fields of embedded structs.
func (w *walker) structFields(t reflect.Type) map[string]fieldInfo {
	if m, ok := w.fields[t]; ok {
		return m
	}
	m := make(map[string]fieldInfo)
	collectFields(t, m, 0)
	if w.fields == nil {
		w.fields = make(map[reflect.Type]map[string]fieldInfo)
	}
	w.fields[t] = m
	return m
}

func collectFields(t reflect.Type, m map[string]fieldInfo, depth int) {
	if depth > 8 {
		return
	}
	for i := 0; i < t.NumField(); i++ {
		f := t.Field(i)
		tag := f.Tag.Get("json")
		if tag == "-" {
			continue
		}
		name, _, _ := strings.Cut(tag, ",")
		if f.Anonymous && name == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				collectFields(ft, m, depth+1)
				continue
			}
		}
		if !f.IsExported() {
			continue
		}
		if name == "" {
			name = f.Name
		}
		if _, exists := m[name]; !exists || depth == 0 {
			m[name] = fieldInfo{typ: f.Type}
		}
	}
}
