package feedback

import (
	"slices"
	"strings"

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

// checkRequired refuses an object that lacks a member MarshalSnapshot
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
func (e *snapEncoder) stringMap(m map[string]string) {
	var buf [16]string
	keys := buf[:0]
	for k := range m {
		keys = append(keys, k)
	}
	slices.Sort(keys)
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
	return decodeArray(d, MaxSnapshotList, 0, 3, func(d *snapDecoder, s *string) (err error) {
		*s, err = d.str()
		return err
	})
}

// decodeArray reads an array of at most limit elements into a slice made
// once at its length: hint when the caller knows it (and 0 otherwise), else
// the count of a quick scan ahead. Either is believed only as far as the
// rest of the input could hold that many elements of at least minElem
// bytes, so that an array cannot reserve more memory than a small
// multiple of its own length; a wrong guess costs a regrowth, no more.
func decodeArray[E any](d *snapDecoder, limit, hint, minElem int, elem func(*snapDecoder, *E) error) ([]E, error) {
	if d.peek() != '[' {
		return nil, d.wrongType("an array")
	}
	d.i++
	out := []E{}
	if d.peek() == ']' {
		d.i++
		return out, nil
	}
	if hint <= 0 {
		hint = countElements(d.s, d.i, limit)
	}
	if n := min(hint, limit, 1+d.remaining()/minElem); n > 0 {
		out = make([]E, 0, n)
	}
	for n := 0; ; n++ {
		if n == limit {
			return nil, d.fail(rulesjson.ErrTooLarge, "more than %d elements", limit)
		}
		if n == cap(out) {
			out = growFor(out, d.remaining(), minElem)
		}
		out = out[:n+1]
		d.pushIndex(n)
		if err := elem(d, &out[n]); err != nil {
			return nil, err
		}
		d.pop()
		c := d.peek()
		d.i++
		if c == ']' {
			return out, nil
		}
		if c != ',' {
			d.i--
			return nil, d.syntax("',' or ']'")
		}
	}
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

// growFor doubles s's room, but to no more elements than remaining bytes
// of input can hold at minElem bytes each.
func growFor[E any](s []E, remaining, minElem int) []E {
	n := max(2*cap(s), 4)
	if limit := len(s) + 1 + remaining/minElem; n > limit {
		n = limit
	}
	out := make([]E, len(s), n)
	copy(out, s)
	return out
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
// just after its '{', up to MaxSnapshotList. It only scans: whatever it
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
