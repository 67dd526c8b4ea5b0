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
//
// # Limits
//
// Rules documents come from people and other systems, so Decode bounds what
// a document can cost before it allocates for it: a document is at most
// [MaxSize] bytes and nests objects and arrays at most [MaxDepth] deep
// (values handed to a custom UnmarshalJSON included), else the error wraps
// [ErrTooLarge] or [ErrTooDeep]. The check walks the document with one frame
// per open object or array and builds a path string only when it reports an
// error, so checking costs memory linear in the size of the document (a few
// bytes per input byte) whatever its shape; the decoded value then costs
// what encoding/json makes of it.
package rulesjson

import (
	"bytes"
	"encoding"
	"encoding/json"
	"errors"
	"fmt"
	"reflect"
	"strconv"
	"strings"
	"unicode/utf8"
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
	// ErrTooDeep marks objects and arrays nested deeper than MaxDepth.
	ErrTooDeep = errors.New("nested too deep")
	// ErrTooLarge marks a document longer than MaxSize bytes.
	ErrTooLarge = errors.New("document too large")
)

// Limits of Decode, enforced before the value at fault is decoded.
const (
	// MaxDepth is the deepest nesting of objects and arrays Decode accepts:
	// the top-level value is at depth 1. The deepest preset documents nest
	// about 12 deep.
	MaxDepth = 64
	// MaxSize is the longest document Decode accepts, in bytes. The largest
	// preset documents are about 100 KB.
	MaxSize = 8 << 20
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
// lose state decode into a fresh value. Documents beyond the package's
// [MaxSize] and [MaxDepth] are refused before they are decoded.
func Decode(data []byte, v any) error {
	rv := reflect.ValueOf(v)
	if rv.Kind() != reflect.Pointer || rv.IsNil() {
		return &PathError{Path: "$", Err: fmt.Errorf("%w: Decode needs a non-nil pointer, got %T", ErrType, v)}
	}
	if len(data) > MaxSize {
		return &PathError{Path: "$", Err: fmt.Errorf("%w: %d bytes, at most %d", ErrTooLarge, len(data), MaxSize)}
	}
	w := walker{data: data, counts: arrayLengths(data)}
	if err := w.value(rv.Type().Elem(), rv.Elem()); err != nil {
		return err
	}
	w.skipSpace()
	if w.pos < len(data) {
		return &PathError{Path: "$", Err: ErrTrailingData}
	}
	// The walk proved the document well-formed, within the limits and
	// matching v's shape, and gave every slice it could reach its exact
	// length (encoding/json decodes into the elements of a slice that is
	// long enough instead of growing one, which costs five times the final
	// size); the standard decoder now fills v. Any error left comes from
	// custom unmarshalers the walk could not reach (inside interfaces).
	std := json.NewDecoder(bytes.NewReader(data))
	std.DisallowUnknownFields()
	if err := std.Decode(v); err != nil {
		return Wrap("$", err)
	}
	return nil
}

// step is one step of the path from the document to the value being
// checked: an object member (key, raw from the document) or an array
// element (index).
type step struct {
	key   []byte
	index int
	isKey bool
}

// walker checks a document against a Go type with its own tokenizer: it
// allocates nothing per token (keys and strings are slices of the
// document), so checking costs memory proportional to the nesting depth
// plus four bytes per array, whatever the document holds.
type walker struct {
	data []byte
	pos  int
	// steps is the path of the value being checked. It is turned into a
	// string only for an error: building "$.a[0].b…" at every level would
	// cost memory quadratic in the nesting depth.
	steps []step
	// keys holds, per open object, the member names seen so far (duplicate
	// check); the slices are reused by later objects at the same depth.
	keys [][][]byte
	// fields caches the field table of each struct type met in this call;
	// a rules document repeats its object shapes many times.
	fields map[reflect.Type]map[string]fieldInfo
	// counts holds the number of elements of each array of the document in
	// the order the arrays open; next is the entry of the next '['.
	counts []int32
	next   int
}

// arrayLengths returns the number of elements of each array of a JSON
// document, in the order the arrays open. It stops at the first container
// nested deeper than MaxDepth (the walk refuses the document there) and
// trusts the walk to refuse malformed documents: for those the lengths are
// only hints.
func arrayLengths(data []byte) []int32 {
	type open struct {
		entry    int // index in counts; -1 for an object
		nonEmpty bool
	}
	var counts []int32
	var stack [MaxDepth]open
	depth := 0
	for i := 0; i < len(data); i++ {
		c := data[i]
		if depth > 0 && !stack[depth-1].nonEmpty && !isSpace(c) && c != ']' && c != '}' {
			top := &stack[depth-1]
			top.nonEmpty = true
			if top.entry >= 0 {
				counts[top.entry] = 1
			}
		}
		switch c {
		case '"':
			for i++; i < len(data) && data[i] != '"'; i++ {
				if data[i] == '\\' {
					i++
				}
			}
		case '[', '{':
			if depth == MaxDepth {
				return counts
			}
			entry := -1
			if c == '[' {
				entry = len(counts)
				counts = append(counts, 0)
			}
			stack[depth] = open{entry: entry}
			depth++
		case ']', '}':
			if depth > 0 {
				depth--
			}
		case ',':
			if depth > 0 && stack[depth-1].entry >= 0 {
				counts[stack[depth-1].entry]++
			}
		}
	}
	return counts
}

// nextLength returns the length of the array whose '[' was just read.
func (w *walker) nextLength() int {
	if w.next >= len(w.counts) {
		return 0
	}
	n := w.counts[w.next]
	w.next++
	return int(n)
}

// path renders the current path, "$.a[0].b".
func (w *walker) path() string {
	var b strings.Builder
	b.WriteByte('$')
	for _, s := range w.steps {
		if !s.isKey {
			b.WriteByte('[')
			b.WriteString(strconv.Itoa(s.index))
			b.WriteByte(']')
			continue
		}
		key := string(s.key)
		if isIdent(key) {
			b.WriteByte('.')
			b.WriteString(key)
		} else {
			b.WriteByte('[')
			b.WriteString(strconv.Quote(key))
			b.WriteByte(']')
		}
	}
	return b.String()
}

func (w *walker) errf(sentinel error, format string, args ...any) error {
	return &PathError{Path: w.path(), Err: fmt.Errorf("%w: "+format, append([]any{sentinel}, args...)...)}
}

var (
	jsonUnmarshaler = reflect.TypeFor[json.Unmarshaler]()
	textUnmarshaler = reflect.TypeFor[encoding.TextUnmarshaler]()
)

// syntax reports malformed JSON at the current byte, expecting what.
func (w *walker) syntax(what string) error {
	if w.pos >= len(w.data) {
		return w.errf(ErrSyntax, "unexpected end of document")
	}
	return w.errf(ErrSyntax, "invalid character %s %s (byte %d)", quoteChar(w.data[w.pos]), what, w.pos)
}

func quoteChar(c byte) string {
	if c == '\'' {
		return `'\''`
	}
	if c == '"' {
		return `'"'`
	}
	s := strconv.Quote(string(rune(c)))
	if c >= utf8.RuneSelf {
		s = strconv.Quote(string([]byte{c}))
	}
	return "'" + s[1:len(s)-1] + "'"
}

// tooDeep reports an object or array opened at the current path that would
// nest deeper than MaxDepth. The current path has one step per open
// container, so the new one is at depth len(steps)+extra.
func (w *walker) tooDeep(extra int) error {
	if len(w.steps)+extra <= MaxDepth {
		return nil
	}
	return w.errf(ErrTooDeep, "objects and arrays nest at most %d deep", MaxDepth)
}

func isSpace(c byte) bool { return c == ' ' || c == '\t' || c == '\n' || c == '\r' }

func (w *walker) skipSpace() {
	for w.pos < len(w.data) && isSpace(w.data[w.pos]) {
		w.pos++
	}
}

// value checks the next JSON value against type t. v, when valid, is the
// settable Go value the standard decoder will fill: the walk gives each nil
// slice it reaches its final length, so that decoding allocates each slice
// once.
func (w *walker) value(t reflect.Type, v reflect.Value) error {
	ptrs := 0
	for t.Kind() == reflect.Pointer && !implements(t) {
		t = t.Elem()
		ptrs++
	}
	if implements(t) {
		return w.custom(t)
	}
	w.skipSpace()
	if w.pos >= len(w.data) {
		return w.syntax("")
	}
	switch c := w.data[w.pos]; {
	case c == '{' || c == '[':
		if err := w.tooDeep(1); err != nil {
			return err
		}
		w.pos++
		v = deref(v, ptrs)
		if c == '{' {
			return w.object(t, v)
		}
		return w.array(t, v)
	case c == '"':
		raw, err := w.str()
		if err != nil {
			return err
		}
		if reflect.PointerTo(t).Implements(textUnmarshaler) {
			u := reflect.New(t).Interface().(encoding.TextUnmarshaler)
			if err := u.UnmarshalText(raw); err != nil {
				return Wrap(w.path(), err)
			}
			return nil
		}
		if t.Kind() == reflect.String || t.Kind() == reflect.Interface {
			return nil
		}
		if t.Kind() == reflect.Slice && t.Elem().Kind() == reflect.Uint8 {
			return nil // []byte is base64 text
		}
		return w.typeErr("a string", t)
	case c == 't' || c == 'f':
		if err := w.literal(); err != nil {
			return err
		}
		if t.Kind() == reflect.Bool || t.Kind() == reflect.Interface {
			return nil
		}
		return w.typeErr("a boolean", t)
	case c == 'n':
		// null leaves the Go value as it is, as encoding/json does
		return w.literal()
	case c == '-' || c >= '0' && c <= '9':
		lit, err := w.number()
		if err != nil {
			return err
		}
		return w.checkNumber(lit, t)
	}
	return w.syntax("looking for beginning of value")
}

// literal consumes true, false or null.
func (w *walker) literal() error {
	for _, lit := range []string{"true", "false", "null"} {
		if lit[0] == w.data[w.pos] {
			for i := 0; i < len(lit); i++ {
				if w.pos >= len(w.data) || w.data[w.pos] != lit[i] {
					return w.syntax("in literal " + lit)
				}
				w.pos++
			}
			return nil
		}
	}
	return w.syntax("looking for beginning of value")
}

// number consumes a JSON number and returns its text.
func (w *walker) number() ([]byte, error) {
	start := w.pos
	digits := func() bool {
		n := 0
		for w.pos < len(w.data) && w.data[w.pos] >= '0' && w.data[w.pos] <= '9' {
			w.pos++
			n++
		}
		return n > 0
	}
	if w.data[w.pos] == '-' {
		w.pos++
	}
	if w.pos < len(w.data) && w.data[w.pos] == '0' {
		w.pos++
	} else if !digits() {
		return nil, w.syntax("in numeric literal")
	}
	if w.pos < len(w.data) && w.data[w.pos] == '.' {
		w.pos++
		if !digits() {
			return nil, w.syntax("after decimal point in numeric literal")
		}
	}
	if w.pos < len(w.data) && (w.data[w.pos] == 'e' || w.data[w.pos] == 'E') {
		w.pos++
		if w.pos < len(w.data) && (w.data[w.pos] == '+' || w.data[w.pos] == '-') {
			w.pos++
		}
		if !digits() {
			return nil, w.syntax("in exponent of numeric literal")
		}
	}
	return w.data[start:w.pos], nil
}

// str consumes a string and returns its content as encoding/json decodes
// it: a slice of the document when it has no escapes and is valid UTF-8,
// else a fresh copy with escapes resolved and bad bytes replaced.
func (w *walker) str() ([]byte, error) {
	w.pos++ // opening quote
	start, plain := w.pos, true
	for w.pos < len(w.data) {
		c := w.data[w.pos]
		switch {
		case c == '"':
			raw := w.data[start:w.pos]
			w.pos++
			if plain && utf8.Valid(raw) {
				return raw, nil
			}
			return unquote(raw), nil
		case c == '\\':
			plain = false
			w.pos++
			if w.pos >= len(w.data) {
				return nil, w.syntax("")
			}
			switch w.data[w.pos] {
			case '"', '\\', '/', 'b', 'f', 'n', 'r', 't':
				w.pos++
			case 'u':
				w.pos++
				for i := 0; i < 4; i++ {
					if w.pos >= len(w.data) {
						return nil, w.syntax("")
					}
					h := w.data[w.pos]
					if !(h >= '0' && h <= '9' || h >= 'a' && h <= 'f' || h >= 'A' && h <= 'F') {
						return nil, w.syntax("in \\u hexadecimal character escape")
					}
					w.pos++
				}
			default:
				return nil, w.syntax("in string escape code")
			}
		case c < 0x20:
			return nil, w.syntax("in string literal")
		default:
			w.pos++
		}
	}
	return nil, w.syntax("")
}

// skip consumes one value of any shape (inside a custom type), checking
// syntax and depth; depth is the nesting of the value's container.
func (w *walker) skip(depth int) error {
	w.skipSpace()
	if w.pos >= len(w.data) {
		return w.syntax("")
	}
	switch c := w.data[w.pos]; {
	case c == '{' || c == '[':
		if err := w.tooDeep(depth + 1); err != nil {
			return err
		}
		w.pos++
		if c == '[' {
			w.next++ // the walk does not size arrays inside custom values
		}
		end := byte('}')
		if c == '[' {
			end = ']'
		}
		w.skipSpace()
		if w.pos < len(w.data) && w.data[w.pos] == end {
			w.pos++
			return nil
		}
		for {
			if c == '{' {
				w.skipSpace()
				if w.pos >= len(w.data) || w.data[w.pos] != '"' {
					return w.syntax("looking for beginning of object key string")
				}
				if _, err := w.str(); err != nil {
					return err
				}
				w.skipSpace()
				if w.pos >= len(w.data) || w.data[w.pos] != ':' {
					return w.syntax("after object key")
				}
				w.pos++
			}
			if err := w.skip(depth + 1); err != nil {
				return err
			}
			w.skipSpace()
			if w.pos >= len(w.data) {
				return w.syntax("")
			}
			switch w.data[w.pos] {
			case ',':
				w.pos++
				continue
			case end:
				w.pos++
				return nil
			}
			return w.syntax("after element")
		}
	case c == '"':
		_, err := w.str()
		return err
	case c == 't' || c == 'f' || c == 'n':
		return w.literal()
	case c == '-' || c >= '0' && c <= '9':
		_, err := w.number()
		return err
	}
	return w.syntax("looking for beginning of value")
}

// deref follows n pointers from v, allocating nil ones as encoding/json
// would for a non-null value. It returns the invalid Value when v is
// invalid or cannot be set.
func deref(v reflect.Value, n int) reflect.Value {
	for ; n > 0 && v.IsValid(); n-- {
		if v.Kind() != reflect.Pointer {
			return reflect.Value{}
		}
		if v.IsNil() {
			if !v.CanSet() {
				return reflect.Value{}
			}
			v.Set(reflect.New(v.Type().Elem()))
		}
		v = v.Elem()
	}
	return v
}

func implements(t reflect.Type) bool {
	return t.Implements(jsonUnmarshaler) || reflect.PointerTo(t).Implements(jsonUnmarshaler)
}

// custom hands the raw bytes of the next value to t's own UnmarshalJSON, so
// its error carries this path.
func (w *walker) custom(t reflect.Type) error {
	w.skipSpace()
	start := w.pos
	if err := w.skip(0); err != nil {
		return err
	}
	raw := w.data[start:w.pos]
	if string(raw) == "null" {
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
		return Wrap(w.path(), err)
	}
	return nil
}

// checkNumber checks that the number lit fits t, as encoding/json will
// decode it.
func (w *walker) checkNumber(lit []byte, t reflect.Type) error {
	switch t.Kind() {
	case reflect.Interface:
		return nil
	case reflect.Float32, reflect.Float64:
		if _, err := strconv.ParseFloat(string(lit), t.Bits()); err != nil {
			return w.rangeErr(lit, t)
		}
		return nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		if !fitsInt(lit, t.Bits(), true) {
			return w.rangeErr(lit, t)
		}
		return nil
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64, reflect.Uintptr:
		if !fitsInt(lit, t.Bits(), false) {
			return w.rangeErr(lit, t)
		}
		return nil
	case reflect.String:
		return w.typeErr("a number", t) // ",string" options are not used in rules documents
	}
	return w.typeErr("a number", t)
}

// fitsInt reports whether lit is an integer (no fraction, no exponent, as
// strconv.ParseInt and ParseUint take it) that fits bits bits.
func fitsInt(lit []byte, bits int, signed bool) bool {
	neg := len(lit) > 0 && lit[0] == '-'
	if neg {
		if !signed {
			return false
		}
		lit = lit[1:]
	}
	if len(lit) == 0 {
		return false
	}
	var n uint64
	for _, c := range lit {
		if c < '0' || c > '9' {
			return false
		}
		d := uint64(c - '0')
		if n > (1<<64-1-d)/10 {
			return false
		}
		n = n*10 + d
	}
	switch {
	case !signed:
		return bits == 64 || n < 1<<uint(bits)
	case neg:
		return n <= 1<<uint(bits-1)
	}
	return n < 1<<uint(bits-1)
}

func (w *walker) rangeErr(lit []byte, t reflect.Type) error {
	return w.errf(ErrType, "%s does not fit %s", lit, kindName(t))
}

func (w *walker) typeErr(got string, t reflect.Type) error {
	return w.errf(ErrType, "got %s, want %s", got, kindName(t))
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

// smallObject is the number of members up to which duplicate keys are
// found by a scan of the names seen; larger objects use a map.
const smallObject = 16

// object checks the members of an object whose '{' was just read.
func (w *walker) object(t reflect.Type, v reflect.Value) error {
	var fields map[string]fieldInfo
	var elem reflect.Type
	switch t.Kind() {
	case reflect.Struct:
		fields = w.structFields(t)
	case reflect.Map:
		elem, v = t.Elem(), reflect.Value{} // encoding/json builds map values afresh
	case reflect.Interface:
		elem, v = t, reflect.Value{}
	default:
		return w.typeErr("an object", t)
	}
	depth := len(w.steps)
	for len(w.keys) <= depth {
		w.keys = append(w.keys, nil)
	}
	seen, err := w.members(fields, elem, t, v, w.keys[depth][:0])
	w.steps = w.steps[:depth]
	if cap(seen) <= 4*smallObject { // reuse the scratch for the next object at this depth
		clear(seen)
		w.keys[depth] = seen[:0]
	}
	return err
}

// members checks the members of an object up to its closing brace, with
// seen as scratch for the names met; it returns the scratch, grown.
func (w *walker) members(fields map[string]fieldInfo, elem, t reflect.Type, v reflect.Value, seen [][]byte) ([][]byte, error) {
	depth := len(w.steps)
	var many map[string]struct{}
	w.skipSpace()
	if w.pos < len(w.data) && w.data[w.pos] == '}' {
		w.pos++
		return seen, nil
	}
	for {
		w.steps = w.steps[:depth]
		w.skipSpace()
		if w.pos >= len(w.data) || w.data[w.pos] != '"' {
			return seen, w.syntax("looking for beginning of object key string")
		}
		key, err := w.str()
		if err != nil {
			return seen, err
		}
		w.skipSpace()
		if w.pos >= len(w.data) || w.data[w.pos] != ':' {
			return seen, w.syntax("after object key")
		}
		w.pos++
		w.steps = append(w.steps, step{key: key, isKey: true})
		dup := false
		if many != nil {
			_, dup = many[string(key)]
			many[string(key)] = struct{}{}
		} else {
			for _, k := range seen {
				dup = dup || bytes.Equal(k, key)
			}
			seen = append(seen, key)
			if len(seen) > smallObject {
				many = make(map[string]struct{}, 2*len(seen))
				for _, k := range seen {
					many[string(k)] = struct{}{}
				}
			}
		}
		if dup {
			return seen, &PathError{Path: w.path(), Err: ErrDuplicateKey}
		}
		ft, fv := elem, reflect.Value{}
		if fields != nil {
			f, ok := fields[string(key)]
			if !ok {
				for name := range fields {
					if strings.EqualFold(name, string(key)) {
						return seen, &PathError{Path: w.path(), Err: fmt.Errorf("%w (did you mean %q?)", ErrUnknownField, name)}
					}
				}
				return seen, &PathError{Path: w.path(), Err: ErrUnknownField}
			}
			ft, fv = f.typ, fieldByIndex(v, f.index)
		} else if t.Kind() == reflect.Map {
			if err := w.checkMapKey(key, t.Key()); err != nil {
				return seen, err
			}
		}
		if err := w.value(ft, fv); err != nil {
			return seen, err
		}
		w.steps = w.steps[:depth]
		w.skipSpace()
		if w.pos >= len(w.data) {
			return seen, w.syntax("")
		}
		switch w.data[w.pos] {
		case ',':
			w.pos++
			continue
		case '}':
			w.pos++
			return seen, nil
		}
		return seen, w.syntax("after object key:value pair")
	}
}

func (w *walker) checkMapKey(key []byte, kt reflect.Type) error {
	if reflect.PointerTo(kt).Implements(textUnmarshaler) {
		u := reflect.New(kt).Interface().(encoding.TextUnmarshaler)
		if err := u.UnmarshalText(key); err != nil {
			return Wrap(w.path(), err)
		}
		return nil
	}
	switch kt.Kind() {
	case reflect.String:
		return nil
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
		reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		return w.checkNumber(key, kt)
	}
	return w.errf(ErrType, "map key type %s", kt)
}

// array checks the elements of an array whose '[' was just read.
func (w *walker) array(t reflect.Type, v reflect.Value) error {
	n := w.nextLength()
	var elem reflect.Type
	switch t.Kind() {
	case reflect.Slice:
		elem = t.Elem()
		if v.IsValid() && v.IsNil() && n > 0 && v.CanSet() {
			v.Set(reflect.MakeSlice(t, n, n))
		} else {
			v = reflect.Value{}
		}
	case reflect.Array:
		elem = t.Elem()
	case reflect.Interface:
		elem, v = t, reflect.Value{}
	default:
		return w.typeErr("an array", t)
	}
	depth := len(w.steps)
	w.skipSpace()
	if w.pos >= len(w.data) {
		return w.syntax("")
	}
	if w.data[w.pos] == ']' {
		w.pos++
		return nil
	}
	w.steps = append(w.steps, step{})
	for i := 0; ; i++ {
		w.steps[depth] = step{index: i}
		if t.Kind() == reflect.Array && i >= t.Len() {
			return w.errf(ErrType, "more than %d elements", t.Len())
		}
		ev := reflect.Value{}
		if v.IsValid() && i < v.Len() {
			ev = v.Index(i)
		}
		if err := w.value(elem, ev); err != nil {
			return err
		}
		w.steps = w.steps[:depth]
		w.skipSpace()
		if w.pos >= len(w.data) {
			return w.syntax("")
		}
		switch w.data[w.pos] {
		case ',':
			w.pos++
			w.steps = append(w.steps, step{})
			continue
		case ']':
			w.pos++
			return nil
		}
		return w.syntax("after array element")
	}
}

// fieldByIndex returns the field of struct v at index, allocating nil
// embedded pointers on the way as encoding/json does; the invalid Value
// when v is invalid or a pointer on the way cannot be set.
func fieldByIndex(v reflect.Value, index []int) reflect.Value {
	for k, i := range index {
		if !v.IsValid() {
			return v
		}
		if k > 0 {
			v = deref(v, 1)
			if !v.IsValid() || v.Kind() != reflect.Struct {
				return reflect.Value{}
			}
		}
		v = v.Field(i)
	}
	return v
}

type fieldInfo struct {
	typ   reflect.Type
	index []int // as reflect.Value.FieldByIndex takes it
}

// structFields lists the JSON names of t's fields as encoding/json sees them,
// including the promoted fields of embedded structs.
func (w *walker) structFields(t reflect.Type) map[string]fieldInfo {
	if m, ok := w.fields[t]; ok {
		return m
	}
	m := make(map[string]fieldInfo)
	collectFields(t, m, nil)
	if w.fields == nil {
		w.fields = make(map[reflect.Type]map[string]fieldInfo)
	}
	w.fields[t] = m
	return m
}

func collectFields(t reflect.Type, m map[string]fieldInfo, index []int) {
	depth := len(index)
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
		at := append(index[:depth:depth], i)
		if f.Anonymous && name == "" {
			ft := f.Type
			if ft.Kind() == reflect.Pointer {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct {
				collectFields(ft, m, at)
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
			m[name] = fieldInfo{typ: f.Type, index: at}
		}
	}
}
