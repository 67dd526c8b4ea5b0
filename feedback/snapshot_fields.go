package feedback

import (
	"fmt"
	"slices"
	"strings"
	"unicode/utf8"

	"github.com/closeloop/closeloop/internal/rulesjson"
)

// The snapshot codec is written by hand, one encoder and one decoder per
// struct (snapshot_codec.go). Beside each struct a table lists its JSON
// members in declaration order with how each is omitted: the decoder looks
// keys up in it (so a key is checked for duplicates and presence with one
// bit each), and TestSnapshotCodecKnowsEveryField compares it with the
// struct's tags, so that a field added to a struct and not to the codec
// fails loudly.

// omitMode says when a member is left out, as its struct tag does.
type omitMode uint8

const (
	// omitNever: always written, so required when reading.
	omitNever omitMode = iota
	// omitEmpty: `omitempty` (an empty string, zero number, nil pointer,
	// empty slice or map).
	omitEmpty
	// omitZero: `omitzero` on an instant (the zero time).
	omitZero
)

type member struct {
	name string
	mode omitMode
}

// members is one struct's table.
type members struct {
	list     []member
	keys     []string // `"name":`, as a key is written
	required uint64   // bit i: list[i] is omitNever
	minLen   int      // the shortest JSON text of the struct: its required members with their shortest values
}

func newMembers(list ...member) *members {
	if len(list) > 64 {
		panic("feedback: snapshot codec: more than 64 members in one object")
	}
	m := &members{list: list, keys: make([]string, len(list)), minLen: 2}
	for i, mb := range list {
		m.keys[i] = string(appendJSONString(nil, mb.name)) + ":"
		if mb.mode == omitNever {
			m.required |= 1 << i
			m.minLen += len(m.keys[i]) + 2 // a value is at least two bytes ("", 0,), short of one comma
		}
	}
	return m
}

// lookup finds the member called key, trying next first: a snapshot lists
// its members in table order, so the guess is nearly always right.
func (m *members) lookup(key string, next int) int {
	if next < len(m.list) && m.list[next].name == key {
		return next
	}
	for i := range m.list {
		if m.list[i].name == key {
			return i
		}
	}
	return -1
}

// objectReader walks the members of one object:
//
//	r := d.object(&fields)
//	for r.next(d) {
//		switch r.i { ... }
//	}
//	return r.err
type objectReader struct {
	m     *members
	i     int    // the member just read
	seen  uint64 // bit i: member i was read
	count int
	err   error
	// top leaves the check for required members to the caller, which
	// first makes sure nothing follows the object.
	top bool
}

// object starts reading an object of the members m.
func (d *snapDecoder) object(m *members) objectReader {
	r := objectReader{m: m, i: -1}
	if d.peek() != '{' {
		r.err = d.wrongType("an object")
	} else {
		d.i++
	}
	return r
}

// next reads up to the value of the next member, whose index it leaves in
// r.i, and reports whether there is one. At the end of the object, or on
// an error (left in r.err), it reports false.
func (r *objectReader) next(d *snapDecoder) bool {
	if r.err != nil {
		return false
	}
	if r.count > 0 {
		d.pop()
	}
	c := d.peek()
	switch {
	case c == '}':
		d.i++
		if !r.top {
			r.err = r.checkRequired(d)
		}
		return false
	case r.count > 0 && c != ',':
		r.err = d.syntax("',' or '}'")
		return false
	case r.count > 0:
		d.i++
		if d.peek() != '"' {
			r.err = d.syntax("a key")
			return false
		}
	case c != '"':
		r.err = d.syntax("a key or '}'")
		return false
	}
	// MarshalSnapshot writes the members in table order, so the key is
	// one of those after the last, colon included: found by comparing
	// bytes, without reading it as a string.
	for j := r.i + 1; j < len(r.m.keys); j++ {
		if k := r.m.keys[j]; d.i+1 < len(d.s) && d.s[d.i+1] == k[1] && strings.HasPrefix(d.s[d.i:], k) {
			d.i += len(r.m.keys[j])
			r.i = j
			r.count++
			r.seen |= 1 << j
			d.pushKey(r.m.list[j].name)
			return true
		}
	}
	key, err := d.str()
	if err != nil {
		r.err = err
		return false
	}
	next := r.i + 1
	r.i = r.m.lookup(key, next)
	r.count++
	d.pushKey(key)
	switch {
	case r.i < 0:
		r.err = d.fail(rulesjson.ErrUnknownField, "%q", key)
		return false
	case r.seen&(1<<r.i) != 0:
		r.err = d.fail(rulesjson.ErrDuplicateKey, "%q given twice", key)
		return false
	}
	r.seen |= 1 << r.i
	if d.peek() != ':' {
		r.err = d.syntax("':'")
		return false
	}
	d.i++
	return true
}

// checkRequired refuses an object that lacks a member [MarshalSnapshot]
// always writes.
func (r *objectReader) checkRequired(d *snapDecoder) error {
	if missing := r.m.required &^ r.seen; missing != 0 {
		for i := range r.m.list {
			if missing&(1<<i) != 0 {
				return d.fail(ErrInvalidTicket, "missing %q, which a snapshot always has", r.m.list[i].name)
			}
		}
	}
	return nil
}

// begin starts an object whose members each write their key with a
// leading comma (",\"name\":", a constant the compiler copies inline); end
// turns the first member's comma into the opening brace.
func (e *snapEncoder) begin() int { return len(e.b) }

func (e *snapEncoder) end(start int) {
	if len(e.b) == start {
		e.b = append(e.b, '{', '}')
		return
	}
	e.b[start] = '{'
	e.b = append(e.b, '}')
}

// strings writes a list of strings.
func (e *snapEncoder) strings(list []string) {
	e.b = append(e.b, '[')
	for i, s := range list {
		if i > 0 {
			e.b = append(e.b, ',')
		}
		e.str(s)
	}
	e.b = append(e.b, ']')
}

// stringMap writes a map with its keys sorted, as encoding/json writes maps.
// Keys that are not valid UTF-8 are written with U+FFFD for each invalid
// byte, as encoding/json writes them, so two keys can come out alike; the
// snapshot would then hold a key twice, which ParseSnapshot refuses, and
// one of the values would be lost: that is an error here instead.
func (e *snapEncoder) stringMap(m map[string]string) {
	var buf [16]string
	keys := buf[:0]
	valid := true
	for k := range m {
		keys = append(keys, k)
		valid = valid && utf8.ValidString(k)
	}
	slices.Sort(keys)
	if !valid && e.err == nil {
		e.err = keysAlike(keys)
	}
	e.b = append(e.b, '{')
	for i, k := range keys {
		if i > 0 {
			e.b = append(e.b, ',')
		}
		e.str(k)
		e.b = append(e.b, ':')
		e.str(m[k])
	}
	e.b = append(e.b, '}')
}

// strings reads a list of strings.
func (d *snapDecoder) strings() ([]string, error) {
	const minLen = len(`"",`)
	r := d.array(MaxSnapshotList, false)
	if r.err != nil {
		return nil, r.err
	}
	out := make([]string, 0, r.room(d, -1, minLen))
	for r.next(d) {
		out = grow(out, d.remaining(), minLen)
		var err error
		if out[len(out)-1], err = d.str(); err != nil {
			return nil, err
		}
	}
	if r.err != nil {
		return nil, r.err
	}
	return out, nil
}

// arrayReader walks the elements of one array:
//
//	r := d.array(limit, false)
//	out := make([]E, 0, r.room(d, guess, minElem))
//	for r.next(d) {
//		out = grow(out, d.remaining(), minElem)
//		... decode &out[len(out)-1] ...
//	}
//	return out, r.err
//
// Each element is decoded by a direct call, not through a func value, so
// that the decoder stays on the stack. An empty array gives an empty
// slice, not nil, as with encoding/json.
type arrayReader struct {
	n, limit int
	null     bool
	done     bool
	err      error
}

// array starts reading an array of at most limit elements; null, when
// allowed, reads as none (r.null).
func (d *snapDecoder) array(limit int, allowNull bool) arrayReader {
	r := arrayReader{limit: limit}
	switch {
	case d.peek() == '[':
		d.i++
		if d.peek() == ']' {
			d.i++
			r.done = true
		}
	case allowNull && d.null():
		r.null, r.done = true, true
	default:
		r.err, r.done = d.wrongType("an array"), true
	}
	return r
}

// room is the length to make the slice at: guess when it is not negative,
// else a quick count; either is believed only as far as the rest of the
// input could hold elements of minElem bytes, so that an array cannot
// reserve more memory than a small multiple of its own length.
func (r *arrayReader) room(d *snapDecoder, guess, minElem int) int {
	if r.done {
		return 0
	}
	if guess < 0 {
		guess = countElements(d.s, d.i, r.limit)
	}
	return min(guess, r.limit, 1+d.remaining()/minElem)
}

// next reports whether another element follows, with the decoder at it.
func (r *arrayReader) next(d *snapDecoder) bool {
	if r.done {
		return false
	}
	if r.n > 0 {
		d.pop()
		c := d.peek()
		d.i++
		if c == ']' {
			r.done = true
			return false
		}
		if c != ',' {
			d.i--
			r.err, r.done = d.syntax("',' or ']'"), true
			return false
		}
	}
	if r.n == r.limit {
		r.err, r.done = d.fail(rulesjson.ErrTooLarge, "more than %d elements", r.limit), true
		return false
	}
	d.pushIndex(r.n)
	r.n++
	return true
}

// grow adds an element to s, making room (twice as much, but no more than
// the rest of the input could fill at minElem bytes an element) when
// there is none.
func grow[E any](s []E, remaining, minElem int) []E {
	if len(s) == cap(s) {
		n := len(s)
		grown := make([]E, n, min(max(2*n, 4), n+1+remaining/minElem))
		copy(grown, s)
		s = grown
	}
	return s[:len(s)+1]
}

// countElements counts the elements of the array that starts just before
// i (after its '['), up to limit+1, by a scan that skips strings and
// nested values without reading them. Malformed input ends the count
// early; the decoding that follows reports it.
func countElements(s string, i, limit int) int {
	depth, n := 0, 1
	for ; i < len(s); i++ {
		switch s[i] {
		case '"':
			for i++; i < len(s) && s[i] != '"'; i++ {
				if s[i] == '\\' {
					i++
				}
			}
		case '[', '{':
			depth++
		case ']', '}':
			if depth == 0 {
				return n
			}
			depth--
		case ',':
			if depth == 0 {
				if n++; n > limit {
					return n
				}
			}
		}
	}
	return n
}

func decodeStringMap(d *snapDecoder) (map[string]string, error) {
	if d.peek() != '{' {
		return nil, d.wrongType("an object")
	}
	d.i++
	// Count the members first, so that the map is made once at its size.
	m := make(map[string]string, countMembers(d.s, d.i))
	if d.peek() == '}' {
		d.i++
		return m, nil
	}
	for {
		if len(m) == MaxSnapshotList {
			return nil, d.fail(rulesjson.ErrTooLarge, "more than %d members", MaxSnapshotList)
		}
		key, err := d.str()
		if err != nil {
			return nil, err
		}
		d.pushKey(key)
		if _, dup := m[key]; dup {
			return nil, d.fail(rulesjson.ErrDuplicateKey, "%q given twice", key)
		}
		if d.peek() != ':' {
			return nil, d.syntax("':'")
		}
		d.i++
		val, err := d.str()
		if err != nil {
			return nil, err
		}
		m[key] = val
		d.pop()
		c := d.peek()
		d.i++
		if c == '}' {
			return m, nil
		}
		if c != ',' {
			d.i--
			return nil, d.syntax("',' or '}'")
		}
	}
}

// countMembers counts the members of a flat object of strings from i,
// just after its '{', up to [MaxSnapshotList]. It only scans: whatever it
// cannot read ends the count, and the decoding that follows reports it.
func countMembers(s string, i int) int {
	n, strs := 0, 0
	for i < len(s) && n < MaxSnapshotList {
		switch s[i] {
		case '"':
			i++
			for i < len(s) && s[i] != '"' {
				if s[i] == '\\' {
					i++
				}
				i++
			}
			if strs++; strs%2 == 0 {
				n++
			}
		case '}':
			return n
		case ' ', '\t', '\n', '\r', ':', ',':
		default:
			return n
		}
		i++
	}
	return n
}

// keysAlike is the error for the first two keys, some not valid UTF-8,
// that encoding/json writes alike (each invalid byte as U+FFFD), or nil.
func keysAlike(keys []string) error {
	seen := make(map[string]string, len(keys))
	for _, k := range keys {
		w := string([]rune(k)) // (each invalid byte becomes U+FFFD, as encoding/json writes it)
		if prev, ok := seen[w]; ok {
			return fmt.Errorf("feedback: snapshot: %w: attribute keys %q and %q are not valid UTF-8 and would both be written as %q", ErrInvalidTicket, prev, k, w)
		}
		seen[w] = k
	}
	return nil
}
