package feedback

import (
	"errors"
	"fmt"
	"math"
	"strconv"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/closeloop/closeloop/internal/rulesjson"
	"github.com/closeloop/closeloop/internal/utcjson"
)

// This file holds the JSON machinery of the snapshot codec: a decoder that
// reads the snapshot as one string (every value without escapes is a
// substring of it, so decoding a string allocates nothing) and an encoder
// that writes exactly what encoding/json writes for the same values.

// maxSnapshotPath bounds the path stack: the format nests at most
// $.history[i].payload.opening.attributes[k], five segments below "$".
const maxSnapshotPath = 8

// pathSeg is one step of a JSON path: an object key, or an array index
// when key is empty and index >= 0.
type pathSeg struct {
	key   string
	index int
}

// snapDecoder reads one snapshot. Errors are *[PathError] naming the value at
// fault; the path is only built when an error is reported.
type snapDecoder struct {
	s     string
	i     int
	path  [maxSnapshotPath]pathSeg
	depth int
	// ticketSeen has a bit set for every member of the ticket read, for
	// the check of required members that waits for the whole document.
	ticketSeen uint64
}

func (d *snapDecoder) pushKey(k string) {
	if d.depth < len(d.path) {
		d.path[d.depth] = pathSeg{key: k, index: -1}
	}
	d.depth++
}

func (d *snapDecoder) pushIndex(i int) {
	if d.depth < len(d.path) {
		d.path[d.depth] = pathSeg{index: i}
	}
	d.depth++
}

func (d *snapDecoder) pop() { d.depth-- }

func (d *snapDecoder) pathString() string {
	p := "$"
	for _, s := range d.path[:min(d.depth, len(d.path))] {
		if s.index >= 0 {
			p = rulesjson.Index(p, s.index)
		} else {
			p = rulesjson.Field(p, s.key)
		}
	}
	return p
}

// fail reports a problem with the value at the current path.
func (d *snapDecoder) fail(sentinel error, format string, args ...any) error {
	return &PathError{Path: d.pathString(), Err: fmt.Errorf("%w: %s (byte %d)", sentinel, fmt.Sprintf(format, args...), d.i)}
}

func (d *snapDecoder) syntax(what string) error {
	if d.i >= len(d.s) {
		return d.fail(rulesjson.ErrSyntax, "unexpected end of input, want %s", what)
	}
	return d.fail(rulesjson.ErrSyntax, "unexpected %q, want %s", d.s[d.i], what)
}

func (d *snapDecoder) remaining() int { return len(d.s) - d.i }

func (d *snapDecoder) ws() {
	for d.i < len(d.s) {
		switch d.s[d.i] {
		case ' ', '\t', '\n', '\r':
			d.i++
		default:
			return
		}
	}
}

// peek skips white space and returns the next byte (0 at the end).
func (d *snapDecoder) peek() byte {
	if d.i < len(d.s) && d.s[d.i] > ' ' {
		return d.s[d.i] // MarshalSnapshot writes no white space
	}
	d.ws()
	if d.i < len(d.s) {
		return d.s[d.i]
	}
	return 0
}

// kind names the JSON kind of the value starting at the next byte, for
// wrong-type errors.
func (d *snapDecoder) kind() string {
	switch d.peek() {
	case '{':
		return "an object"
	case '[':
		return "an array"
	case '"':
		return "a string"
	case 't', 'f':
		return "a boolean"
	case 'n':
		return "null"
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		return "a number"
	}
	return "no value"
}

// wrongType reports a value of the wrong kind, or the syntax error that
// keeps it from being a value at all.
func (d *snapDecoder) wrongType(want string) error {
	k := d.kind()
	if k == "no value" {
		return d.syntax(want)
	}
	return d.fail(rulesjson.ErrType, "%s, want %s", k, want)
}

// null consumes a literal null if one comes next.
func (d *snapDecoder) null() bool {
	if d.peek() == 'n' && len(d.s)-d.i >= 4 && d.s[d.i:d.i+4] == "null" {
		d.i += 4
		return true
	}
	return false
}

// str reads a string value. Strings are valid UTF-8 ([MarshalSnapshot]
// writes nothing else) and at most [MaxSnapshotString] bytes long.
func (d *snapDecoder) str() (string, error) {
	if d.peek() != '"' {
		return "", d.wrongType("a string")
	}
	start := d.i + 1
	i := start
	for i < len(d.s) {
		// Plain ASCII, the bulk of a snapshot, eight bytes at a time.
		i = plainRun(d.s, i, false)
		if i == len(d.s) {
			break
		}
		c := d.s[i]
		switch {
		case c == '"':
			if i-start > MaxSnapshotString {
				d.i = start
				return "", d.fail(rulesjson.ErrTooLarge, "a string of %d bytes, at most %d", i-start, MaxSnapshotString)
			}
			d.i = i + 1
			return d.s[start:i], nil
		case c == '\\':
			return d.strEscaped(start)
		case c < ' ':
			d.i = i
			return "", d.fail(rulesjson.ErrSyntax, "control character %#x in a string", c)
		default:
			r, n := utf8.DecodeRuneInString(d.s[i:])
			if r == utf8.RuneError && n == 1 {
				d.i = i
				return "", d.fail(rulesjson.ErrSyntax, "invalid UTF-8 in a string")
			}
			i += n
		}
	}
	d.i = i
	return "", d.syntax("the end of the string")
}

// plainRun returns the index of the first byte of s from i on that a
// string cannot hold as it is: not printable ASCII, a quote or a
// backslash, and when html is set '<', '>' or '&' (which encoding/json
// escapes). It looks at eight bytes at a time, since strings in a
// snapshot are mostly plain; a word that may hold such a byte is left to
// the byte-by-byte loop.
func plainRun(s string, i int, html bool) int {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	// zero sets the high bit of the bytes of x equal to c (and maybe of a
	// few after one: they are only a hint).
	zero := func(x uint64, c byte) uint64 {
		y := x ^ (ones * uint64(c))
		return (y - ones) &^ y
	}
	for ; i+8 <= len(s); i += 8 {
		x := uint64(s[i]) | uint64(s[i+1])<<8 | uint64(s[i+2])<<16 | uint64(s[i+3])<<24 |
			uint64(s[i+4])<<32 | uint64(s[i+5])<<40 | uint64(s[i+6])<<48 | uint64(s[i+7])<<56
		special := x | (x - ones*' ') | zero(x, '"') | zero(x, '\\')
		if html {
			special |= zero(x, '<') | zero(x, '>') | zero(x, '&')
		}
		if special&highs != 0 {
			break
		}
	}
	for ; i < len(s); i++ {
		switch c := s[i]; {
		case c < ' ' || c >= utf8.RuneSelf || c == '"' || c == '\\':
			return i
		case html && (c == '<' || c == '>' || c == '&'):
			return i
		}
	}
	return i
}

// strEscaped reads a string with escapes from start (just after the quote).
// The unescaped text is never longer than the escaped one, so the buffer is
// sized once.
func (d *snapDecoder) strEscaped(start int) (string, error) {
	end := start
	for end < len(d.s) && d.s[end] != '"' {
		if d.s[end] == '\\' {
			end++
		}
		end++
	}
	if end >= len(d.s) {
		d.i = len(d.s)
		return "", d.syntax("the end of the string")
	}
	// An escape stands for at least one byte of six, so a text this long
	// cannot be short enough once unescaped: refuse it before allocating.
	if end-start > 6*MaxSnapshotString {
		d.i = start
		return "", d.fail(rulesjson.ErrTooLarge, "a string of more than %d bytes, at most %d", (end-start)/6, MaxSnapshotString)
	}
	b := make([]byte, 0, end-start)
	i := start
	for i < end {
		c := d.s[i]
		switch {
		case c == '\\':
			d.i = i
			if i+1 >= end {
				return "", d.syntax("an escape")
			}
			switch e := d.s[i+1]; e {
			case '"', '\\', '/':
				b = append(b, e)
			case 'b':
				b = append(b, '\b')
			case 'f':
				b = append(b, '\f')
			case 'n':
				b = append(b, '\n')
			case 'r':
				b = append(b, '\r')
			case 't':
				b = append(b, '\t')
			case 'u':
				r, ok := hex4(d.s, i+2, end)
				if !ok {
					return "", d.fail(rulesjson.ErrSyntax, `malformed \u escape`)
				}
				i += 6
				if utf16.IsSurrogate(r) {
					r2, ok := rune(-1), false
					if i+1 < end && d.s[i] == '\\' && d.s[i+1] == 'u' {
						r2, ok = hex4(d.s, i+2, end)
					}
					dec := utf16.DecodeRune(r, r2)
					if !ok || dec == utf8.RuneError {
						return "", d.fail(rulesjson.ErrSyntax, `unpaired surrogate \u%04x`, r)
					}
					r = dec
					i += 6
				}
				b = utf8.AppendRune(b, r)
				continue
			default:
				return "", d.fail(rulesjson.ErrSyntax, `unknown escape \%c`, e)
			}
			i += 2
		case c < ' ':
			d.i = i
			return "", d.fail(rulesjson.ErrSyntax, "control character %#x in a string", c)
		case c < utf8.RuneSelf:
			b = append(b, c)
			i++
		default:
			r, n := utf8.DecodeRuneInString(d.s[i:end])
			if r == utf8.RuneError && n == 1 {
				d.i = i
				return "", d.fail(rulesjson.ErrSyntax, "invalid UTF-8 in a string")
			}
			b = append(b, d.s[i:i+n]...)
			i += n
		}
	}
	if len(b) > MaxSnapshotString {
		d.i = start
		return "", d.fail(rulesjson.ErrTooLarge, "a string of %d bytes, at most %d", len(b), MaxSnapshotString)
	}
	d.i = end + 1
	return string(b), nil
}

func hex4(s string, i, end int) (rune, bool) {
	if i+4 > end {
		return 0, false
	}
	var r rune
	for _, c := range []byte(s[i : i+4]) {
		switch {
		case c >= '0' && c <= '9':
			c -= '0'
		case c >= 'a' && c <= 'f':
			c -= 'a' - 10
		case c >= 'A' && c <= 'F':
			c -= 'A' - 10
		default:
			return 0, false
		}
		r = r<<4 | rune(c)
	}
	return r, true
}

// integer reads a JSON number that must be an integer in [lo, hi].
func (d *snapDecoder) integer(lo, hi int64) (int64, error) {
	c := d.peek()
	if c != '-' && (c < '0' || c > '9') {
		return 0, d.wrongType("an integer")
	}
	start := d.i
	i := start
	if c == '-' {
		i++
	}
	digits := i
	for i < len(d.s) && d.s[i] >= '0' && d.s[i] <= '9' {
		i++
	}
	if i == digits || (d.s[digits] == '0' && i-digits > 1) {
		d.i = digits
		return 0, d.syntax("a number")
	}
	intEnd := i
	integral := true
	if i < len(d.s) && d.s[i] == '.' {
		integral = false
		i++
		j := i
		for i < len(d.s) && d.s[i] >= '0' && d.s[i] <= '9' {
			i++
		}
		if i == j {
			d.i = i
			return 0, d.syntax("a digit")
		}
	}
	if i < len(d.s) && (d.s[i] == 'e' || d.s[i] == 'E') {
		integral = false
		i++
		if i < len(d.s) && (d.s[i] == '+' || d.s[i] == '-') {
			i++
		}
		j := i
		for i < len(d.s) && d.s[i] >= '0' && d.s[i] <= '9' {
			i++
		}
		if i == j {
			d.i = i
			return 0, d.syntax("a digit")
		}
	}
	if !integral {
		return 0, d.fail(rulesjson.ErrType, "number %s is not an integer", d.s[start:i])
	}
	// At most 19 digits fit an int64 whatever they are; more never do.
	digitsEnd := intEnd
	if intEnd-digits > 19 {
		return 0, d.fail(rulesjson.ErrType, "number %s out of range [%d, %d]", d.s[start:i], lo, hi)
	}
	var u uint64
	for _, c := range []byte(d.s[digits:digitsEnd]) {
		u = u*10 + uint64(c-'0')
	}
	var v int64
	switch {
	case c != '-' && u <= math.MaxInt64:
		v = int64(u)
	case c == '-' && u <= 1<<63:
		v = int64(-u)
	default:
		return 0, d.fail(rulesjson.ErrType, "number %s out of range [%d, %d]", d.s[start:i], lo, hi)
	}
	if v < lo || v > hi {
		return 0, d.fail(rulesjson.ErrType, "number %s out of range [%d, %d]", d.s[start:i], lo, hi)
	}
	d.i = i
	return v, nil
}

func (d *snapDecoder) boolean() (bool, error) {
	switch d.peek() {
	case 't':
		if len(d.s)-d.i >= 4 && d.s[d.i:d.i+4] == "true" {
			d.i += 4
			return true, nil
		}
	case 'f':
		if len(d.s)-d.i >= 5 && d.s[d.i:d.i+5] == "false" {
			d.i += 5
			return false, nil
		}
	}
	return false, d.wrongType("a boolean")
}

// instant reads an instant as [MarshalSnapshot] writes it: RFC 3339 in UTC
// ("Z", no other offset), years 1..9999, up to nine fractional digits.
func (d *snapDecoder) instant() (time.Time, error) {
	if d.peek() != '"' {
		return time.Time{}, d.wrongType("an RFC 3339 instant")
	}
	start := d.i + 1
	// The common form has no fraction: its closing quote is at a known
	// place, and utcjson.Parse accepts only digits and separators before it.
	if end := start + len("2006-01-02T15:04:05Z"); end < len(d.s) && d.s[end] == '"' {
		if t, problem := utcjson.Parse(d.s[start:end]); problem == "" {
			d.i = end + 1
			return t, nil
		}
	}
	end := start
	for end < len(d.s) && d.s[end] != '"' && end-start <= 40 {
		end++
	}
	if end >= len(d.s) || d.s[end] != '"' {
		return time.Time{}, d.fail(rulesjson.ErrType, "not an RFC 3339 instant in UTC")
	}
	t, problem := utcjson.Parse(d.s[start:end])
	if problem != "" {
		return time.Time{}, d.fail(rulesjson.ErrType, "instant %q: %s", d.s[start:end], problem)
	}
	d.i = end + 1
	return t, nil
}

// Instants [MarshalSnapshot] writes: years 1..9999, as [ParseSnapshot] reads.
var (
	firstInstantUnix = time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	lastInstantUnix  = time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC).Unix()
)

// snapEncoder writes a snapshot. The first problem met sticks in err.
type snapEncoder struct {
	b   []byte
	err error
}

var errInstantRange = errors.New("instant outside the years 1..9999")

// instant writes t in UTC as [time.Time.MarshalJSON] writes a UTC instant.
func (e *snapEncoder) instant(t time.Time) {
	secs := t.Unix()
	if secs < firstInstantUnix || secs > lastInstantUnix {
		if e.err == nil {
			e.err = fmt.Errorf("feedback: snapshot: %w: %v", errInstantRange, t)
		}
		return
	}
	e.b = utcjson.Append(e.b, t)
}

// htmlSafe marks the ASCII bytes encoding/json writes as they are.
var htmlSafe = func() (s [utf8.RuneSelf]bool) {
	for c := ' '; c < utf8.RuneSelf; c++ {
		s[c] = c != '"' && c != '\\' && c != '<' && c != '>' && c != '&'
	}
	return s
}()

const hexDigits = "0123456789abcdef"

// str writes s quoted exactly as encoding/json does (HTML-safe escapes,
// invalid UTF-8 as U+FFFD, U+2028 and U+2029 escaped).
func (e *snapEncoder) str(s string) {
	if len(s) > MaxSnapshotString && e.err == nil {
		e.err = fmt.Errorf("feedback: snapshot: a string of %d bytes, at most %d (MaxSnapshotString)", len(s), MaxSnapshotString)
	}
	e.b = appendJSONString(e.b, s)
}

func appendJSONString(b []byte, s string) []byte {
	b = append(b, '"')
	start := 0
	for i := 0; i < len(s); {
		if i = plainRun(s, i, true); i == len(s) {
			break
		}
		c := s[i]
		if c < utf8.RuneSelf {
			if htmlSafe[c] {
				i++
				continue
			}
			b = append(b, s[start:i]...)
			switch c {
			case '\\', '"':
				b = append(b, '\\', c)
			case '\b':
				b = append(b, '\\', 'b')
			case '\f':
				b = append(b, '\\', 'f')
			case '\n':
				b = append(b, '\\', 'n')
			case '\r':
				b = append(b, '\\', 'r')
			case '\t':
				b = append(b, '\\', 't')
			default:
				b = append(b, '\\', 'u', '0', '0', hexDigits[c>>4], hexDigits[c&0xF])
			}
			i++
			start = i
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			b = append(b, s[start:i]...)
			b = append(b, `\ufffd`...)
			i += n
			start = i
			continue
		}
		if r == '\u2028' || r == '\u2029' {
			b = append(b, s[start:i]...)
			b = append(b, '\\', 'u', '2', '0', '2', hexDigits[r&0xF])
			i += n
			start = i
			continue
		}
		i += n
	}
	b = append(b, s[start:]...)
	return append(b, '"')
}

func (e *snapEncoder) int(v int64) { e.b = strconv.AppendInt(e.b, v, 10) }

func (e *snapEncoder) bool(v bool) {
	if v {
		e.b = append(e.b, "true"...)
	} else {
		e.b = append(e.b, "false"...)
	}
}
