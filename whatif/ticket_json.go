package whatif

import (
	"fmt"
	"math"
	"math/bits"
	"strings"
	"time"
	"unicode/utf16"
	"unicode/utf8"

	"github.com/closeloop/closeloop/internal/rulesjson"
	"github.com/closeloop/closeloop/internal/utcjson"
)

// The JSON machinery of DecodeTicket: a decoder that reads one line as one
// string (every value without escapes is a substring of it) and reads
// values exactly as encoding/json reads them into a Ticket, keys excepted
// (see DecodeTicket).

// pathSeg is one step of a JSON path: an object key, or an array index
// when key is empty and index >= 0.
type pathSeg struct {
	key   string
	index int
}

// ticketDecoder reads one ticket. Its path stack is as deep as the format
// nests: $.attributes.attrs.k, $.timeline[i].at, $.claim.durations.k.
type ticketDecoder struct {
	s     string
	i     int
	path  [4]pathSeg
	depth int
}

func (d *ticketDecoder) pushKey(k string) {
	if d.depth < len(d.path) {
		d.path[d.depth] = pathSeg{key: k, index: -1}
	}
	d.depth++
}

func (d *ticketDecoder) pushIndex(i int) {
	if d.depth < len(d.path) {
		d.path[d.depth] = pathSeg{index: i}
	}
	d.depth++
}

func (d *ticketDecoder) pop() { d.depth-- }

func (d *ticketDecoder) pathString() string {
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

// fail reports a problem with the value at the current path: a *PathError
// wrapping ErrTicket and the sentinel.
func (d *ticketDecoder) fail(sentinel error, format string, args ...any) error {
	return &PathError{Path: d.pathString(), Err: fmt.Errorf("%w: %w: %s (byte %d)", ErrTicket, sentinel, fmt.Sprintf(format, args...), d.i)}
}

func (d *ticketDecoder) syntax(what string) error {
	if d.i >= len(d.s) {
		return d.fail(rulesjson.ErrSyntax, "unexpected end of input, want %s", what)
	}
	return d.fail(rulesjson.ErrSyntax, "unexpected %q, want %s", d.s[d.i], what)
}

func (d *ticketDecoder) remaining() int { return len(d.s) - d.i }

func (d *ticketDecoder) ws() {
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
func (d *ticketDecoder) peek() byte {
	if d.i < len(d.s) && d.s[d.i] > ' ' {
		return d.s[d.i]
	}
	d.ws()
	if d.i < len(d.s) {
		return d.s[d.i]
	}
	return 0
}

// wrongType reports a value of the wrong kind, or the syntax error that
// keeps it from being a value at all.
func (d *ticketDecoder) wrongType(want string) error {
	var kind string
	switch d.peek() {
	case '{':
		kind = "an object"
	case '[':
		kind = "an array"
	case '"':
		kind = "a string"
	case 't', 'f':
		kind = "a boolean"
	case '-', '0', '1', '2', '3', '4', '5', '6', '7', '8', '9':
		kind = "a number"
	default:
		return d.syntax(want)
	}
	return d.fail(rulesjson.ErrType, "%s, want %s", kind, want)
}

// null consumes a literal null if one comes next: encoding/json reads null
// into any value as "leave it zero", and so does DecodeTicket.
func (d *ticketDecoder) null() bool {
	if d.peek() == 'n' && strings.HasPrefix(d.s[d.i:], "null") {
		d.i += 4
		return true
	}
	return false
}

// str reads a string (or null, as ""), decoded as encoding/json decodes
// it: invalid UTF-8 and unpaired surrogates become U+FFFD.
func (d *ticketDecoder) str() (string, error) {
	if d.peek() != '"' {
		if d.null() {
			return "", nil
		}
		return "", d.wrongType("a string")
	}
	start := d.i + 1
	i := plainRun(d.s, start)
	if i < len(d.s) && d.s[i] == '"' {
		if i-start > MaxTicketString {
			d.i = start
			return "", d.fail(rulesjson.ErrTooLarge, "a string of %d bytes, at most %d", i-start, MaxTicketString)
		}
		d.i = i + 1
		return d.s[start:i], nil
	}
	// Escapes, non-ASCII text or an error: find the end, then decode.
	end, plain := i, true
	for end < len(d.s) && d.s[end] != '"' {
		switch c := d.s[end]; {
		case c == '\\':
			plain = false
			end++
		case c < ' ':
			d.i = end
			return "", d.fail(rulesjson.ErrSyntax, "control character %#x in a string", c)
		}
		end++
	}
	if end >= len(d.s) {
		d.i = len(d.s)
		return "", d.syntax("the end of the string")
	}
	// An escape stands for at least one byte of six: a text this long
	// cannot be short enough once unescaped, so refuse it unread.
	if end-start > 6*MaxTicketString {
		d.i = start
		return "", d.fail(rulesjson.ErrTooLarge, "a string of more than %d bytes, at most %d", (end-start)/6, MaxTicketString)
	}
	raw := d.s[start:end]
	var out string
	if plain && utf8.ValidString(raw) {
		out = raw
	} else {
		var ok bool
		if out, ok = unquote(raw); !ok {
			d.i = start
			return "", d.fail(rulesjson.ErrSyntax, "malformed escape in a string")
		}
	}
	if len(out) > MaxTicketString {
		d.i = start
		return "", d.fail(rulesjson.ErrTooLarge, "a string of %d bytes, at most %d", len(out), MaxTicketString)
	}
	d.i = end + 1
	return out, nil
}

// plainRun returns the index of the first byte of s from i on that is not
// printable ASCII or is a quote or a backslash. It looks at eight bytes at
// a time: in the word that holds such a byte, the lowest flagged byte is
// always one (a false flag needs a borrow, which only a flagged byte below
// it gives), so its place is the count of trailing zero bits.
func plainRun(s string, i int) int {
	const ones, highs = 0x0101010101010101, 0x8080808080808080
	for ; i+8 <= len(s); i += 8 {
		w := s[i : i+8] // one bounds check, and one load for the eight bytes
		x := uint64(w[0]) | uint64(w[1])<<8 | uint64(w[2])<<16 | uint64(w[3])<<24 |
			uint64(w[4])<<32 | uint64(w[5])<<40 | uint64(w[6])<<48 | uint64(w[7])<<56
		q, b := x^(ones*'"'), x^(ones*'\\')
		if m := (x | (x - ones*' ') | (q-ones)&^q | (b-ones)&^b) & highs; m != 0 {
			return i + bits.TrailingZeros64(m)/8
		}
	}
	for ; i < len(s); i++ {
		if c := s[i]; c < ' ' || c >= utf8.RuneSelf || c == '"' || c == '\\' {
			return i
		}
	}
	return i
}

// unquote decodes the text of a string between its quotes as
// encoding/json does; it reports false for a malformed escape. A first
// pass measures the result, so that it is allocated once at its length.
func unquote(s string) (string, bool) {
	n, ok := unquoteTo(nil, s)
	if !ok {
		return "", false
	}
	var b strings.Builder
	b.Grow(n)
	unquoteTo(&b, s)
	return b.String(), true
}

// unquoteTo writes the decoded text to b (or only measures it when b is
// nil) and returns its length.
func unquoteTo(b *strings.Builder, s string) (int, bool) {
	n := 0
	put := func(r rune) {
		if b != nil {
			b.WriteRune(r)
		}
		n += utf8.RuneLen(r)
	}
	for i := 0; i < len(s); {
		c := s[i]
		switch {
		case c == '\\':
			if i+1 >= len(s) {
				return 0, false
			}
			switch e := s[i+1]; e {
			case '"', '\\', '/':
				put(rune(e))
			case 'b':
				put('\b')
			case 'f':
				put('\f')
			case 'n':
				put('\n')
			case 'r':
				put('\r')
			case 't':
				put('\t')
			case 'u':
				r, ok := hex4(s, i+2)
				if !ok {
					return 0, false
				}
				i += 6
				if utf16.IsSurrogate(r) {
					r2, ok2 := rune(0), false
					if i+1 < len(s) && s[i] == '\\' && s[i+1] == 'u' {
						r2, ok2 = hex4(s, i+2)
					}
					if dec := utf16.DecodeRune(r, r2); ok2 && dec != utf8.RuneError {
						i += 6
						r = dec
					} else {
						r = utf8.RuneError
					}
				}
				put(r)
				continue
			default:
				return 0, false
			}
			i += 2
		case c < utf8.RuneSelf:
			if b != nil {
				b.WriteByte(c)
			}
			n++
			i++
		default:
			r, size := utf8.DecodeRuneInString(s[i:])
			put(r) // invalid UTF-8 becomes U+FFFD, one per byte
			i += size
		}
	}
	return n, true
}

func hex4(s string, i int) (rune, bool) {
	if i+4 > len(s) {
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

// integer reads an int (or null, as 0) as encoding/json does: a JSON
// number without fraction or exponent, in range.
func (d *ticketDecoder) integer() (int, error) {
	c := d.peek()
	if c != '-' && (c < '0' || c > '9') {
		if d.null() {
			return 0, nil
		}
		return 0, d.wrongType("an integer")
	}
	start := d.i
	i := start
	if c == '-' {
		i++
	}
	first := i
	for i < len(d.s) && d.s[i] >= '0' && d.s[i] <= '9' {
		i++
	}
	if i == first || (d.s[first] == '0' && i-first > 1) {
		d.i = first
		return 0, d.syntax("a number")
	}
	end := i
	integral := true
	if i < len(d.s) && d.s[i] == '.' {
		integral = false
		j := i + 1
		for i = j; i < len(d.s) && d.s[i] >= '0' && d.s[i] <= '9'; i++ {
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
	if !integral || end-first > 19 {
		return 0, d.fail(rulesjson.ErrType, "number %s is not an int", d.s[start:i])
	}
	var u uint64
	for _, c := range []byte(d.s[first:end]) {
		u = u*10 + uint64(c-'0')
	}
	if c == '-' && u <= -math.MinInt {
		d.i = i
		return int(-u), nil
	}
	if c != '-' && u <= math.MaxInt {
		d.i = i
		return int(u), nil
	}
	return 0, d.fail(rulesjson.ErrType, "number %s is not an int", d.s[start:i])
}

// boolean reads true, false or null (false).
func (d *ticketDecoder) boolean() (bool, error) {
	switch d.peek() {
	case 't':
		if strings.HasPrefix(d.s[d.i:], "true") {
			d.i += 4
			return true, nil
		}
	case 'f':
		if strings.HasPrefix(d.s[d.i:], "false") {
			d.i += 5
			return false, nil
		}
	case 'n':
		if d.null() {
			return false, nil
		}
	}
	return false, d.wrongType("a boolean")
}

// instant reads an instant as time.Time.UnmarshalJSON does: the common
// form "YYYY-MM-DDTHH:MM:SS[.fffffffff]Z" here, anything else (another
// offset, another year) by time.Time.UnmarshalJSON itself.
func (d *ticketDecoder) instant() (time.Time, error) {
	if d.peek() != '"' {
		if d.null() {
			return time.Time{}, nil
		}
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
	for end < len(d.s) && d.s[end] != '"' {
		if d.s[end] == '\\' {
			end++
		}
		end++
	}
	if end >= len(d.s) {
		d.i = len(d.s)
		return time.Time{}, d.syntax("the end of the string")
	}
	if t, problem := utcjson.Parse(d.s[start:end]); problem == "" {
		d.i = end + 1
		return t, nil
	}
	var t time.Time
	if err := t.UnmarshalJSON([]byte(d.s[start-1 : end+1])); err != nil {
		return time.Time{}, d.fail(rulesjson.ErrType, "%v", err)
	}
	d.i = end + 1
	return t, nil
}

// members is one struct's JSON members, in struct order; required marks
// those a ticket must give.
//
// A key is most often found without reading it as a string: the two bytes
// after its opening quote pick a slot, and the sixteen bytes from the
// quote on are compared, masked to the length of the quoted name, with
// the slot's name in two words. A key this does not find (escaped, near
// the end of the input, unknown, or a name that lost its slot to another)
// is read as a string and looked for by name.
type members struct {
	names    []string
	required uint64
	slots    [64]uint8 // 1 + the index of the name whose slot it is; 0 for none
	shift    uint8     // of the second byte, chosen for the fewest shared slots
	quoted   []quotedName
}

// quotedName is `"name"` in two little-endian words, with the mask of its
// bytes.
type quotedName struct {
	w, mask [2]uint64
	n       int // len(`"name"`)
}

// maxQuotedName is the longest `"name"` the slots find.
const maxQuotedName = 16

func newMembers(required []string, names ...string) *members {
	if len(names) > 64 {
		panic("whatif: more members than bits in members.required")
	}
	m := &members{names: names, quoted: make([]quotedName, len(names))}
	for i, n := range names {
		for _, r := range required {
			if r == n {
				m.required |= 1 << i
			}
		}
		q := `"` + n + `"`
		if n == "" || len(q) > maxQuotedName {
			continue
		}
		m.quoted[i].n = len(q)
		for j := range len(q) {
			m.quoted[i].w[j/8] |= uint64(q[j]) << (j % 8 * 8)
			m.quoted[i].mask[j/8] |= 0xff << (j % 8 * 8)
		}
	}
	best, bestShift := -1, uint8(0)
	for shift := range uint8(8) {
		m.shift = shift
		if n := m.fill(); n > best {
			best, bestShift = n, shift
		}
	}
	m.shift = bestShift
	m.fill()
	return m
}

// fill gives each name a slot if it can and returns how many it gave
// (the first of two names with one slot keeps it).
func (m *members) fill() int {
	m.slots = [64]uint8{}
	n := 0
	for i, name := range m.names {
		q := `"` + name + `"`
		if name == "" || len(q) > maxQuotedName {
			continue
		}
		if h := m.hash(q[1], q[2]); m.slots[h] == 0 {
			m.slots[h] = uint8(i + 1)
			n++
		}
	}
	return n
}

func (m *members) hash(b1, b2 byte) uint {
	return (uint(b1) + uint(b2)<<(m.shift&7)) & 63
}

// index returns the index of the member named k, or -1.
func (m *members) index(k string) int {
	for i, n := range m.names {
		if n == k {
			return i
		}
	}
	return -1
}

// member reads a string that is the name of a member of m as written,
// with d at its opening quote, and returns the member's index; otherwise
// it returns -1 with d unmoved, and the caller reads the string as a
// string.
func (d *ticketDecoder) member(m *members) int {
	if d.i+maxQuotedName > len(d.s) {
		return -1
	}
	w := d.s[d.i : d.i+maxQuotedName]
	x0 := uint64(w[0]) | uint64(w[1])<<8 | uint64(w[2])<<16 | uint64(w[3])<<24 |
		uint64(w[4])<<32 | uint64(w[5])<<40 | uint64(w[6])<<48 | uint64(w[7])<<56
	i := int(m.slots[m.hash(byte(x0>>8), byte(x0>>16))]) - 1
	if i < 0 {
		return -1
	}
	q := &m.quoted[i]
	x1 := uint64(w[8]) | uint64(w[9])<<8 | uint64(w[10])<<16 | uint64(w[11])<<24 |
		uint64(w[12])<<32 | uint64(w[13])<<40 | uint64(w[14])<<48 | uint64(w[15])<<56
	if x0&q.mask[0] != q.w[0] || x1&q.mask[1] != q.w[1] {
		return -1
	}
	d.i += q.n
	return i
}

// objectReader walks the members of one object (or of none, for null):
//
//	r := d.object(&fields)
//	for r.next(d) {
//		switch r.i { ... }
//	}
//	return r.err
type objectReader struct {
	m     *members
	i     int
	seen  uint64
	count int
	done  bool
	err   error
}

func (d *ticketDecoder) object(m *members) objectReader {
	r := objectReader{m: m, i: -1}
	switch {
	case d.peek() == '{':
		d.i++
	case d.null():
		r.done = true
	default:
		r.err, r.done = d.wrongType("an object"), true
	}
	return r
}

// next reads up to the value of the next member, whose index it leaves in
// r.i, and reports whether there is one.
func (r *objectReader) next(d *ticketDecoder) bool {
	if r.done { // and so on every error
		return false
	}
	c := d.peek()
	if r.count > 0 {
		d.pop()
		if c != ',' {
			if c == '}' {
				return r.end(d)
			}
			r.err, r.done = d.syntax("',' or '}'"), true
			return false
		}
		d.i++
		if d.peek() != '"' {
			r.err, r.done = d.syntax("a key"), true
			return false
		}
	} else if c != '"' {
		if c == '}' {
			return r.end(d)
		}
		r.err, r.done = d.syntax("a key or '}'"), true
		return false
	}
	i := d.member(r.m)
	if i < 0 {
		key, err := d.str()
		if err != nil {
			r.err, r.done = err, true
			return false
		}
		if i = r.m.index(key); i < 0 {
			r.count++
			d.pushKey(key)
			r.err, r.done = d.fail(rulesjson.ErrUnknownField, "%q", key), true
			return false
		}
	}
	if d.peek() != ':' {
		r.err, r.done = d.syntax("':'"), true
		return false
	}
	d.i++
	r.i = i
	r.count++
	d.pushKey(r.m.names[i])
	bit := uint64(1) << (uint(i) & 63) // i < 64: no check of the shift
	if r.seen&bit != 0 {
		r.err, r.done = d.fail(rulesjson.ErrDuplicateKey, "%q given twice", r.m.names[i]), true
		return false
	}
	r.seen |= bit
	return true
}

// end reads the closing brace, refusing an object without a required
// member.
func (r *objectReader) end(d *ticketDecoder) bool {
	d.i++
	r.done = true
	if missing := r.m.required &^ r.seen; missing != 0 {
		for i := range r.m.names {
			if missing&(1<<i) != 0 {
				r.err = &PathError{Path: d.pathString(), Err: fmt.Errorf("%w: missing %q (byte %d)", ErrTicket, r.m.names[i], d.i)}
				break
			}
		}
	}
	return false
}

// arrayReader walks the elements of one array (or of none, for null):
//
//	r := d.array(limit)
//	out := make([]E, 0, r.room(d, guess, minElem))
//	for r.next(d) {
//		out = grow(out, d.remaining(), minElem)
//		... decode &out[len(out)-1] ...
//	}
//	return out, r.err
//
// The element is decoded by a direct call, not through a func value, so
// that the decoder stays on the stack.
type arrayReader struct {
	n, limit int
	null     bool
	done     bool
	err      error
}

func (d *ticketDecoder) array(limit int) arrayReader {
	r := arrayReader{limit: limit}
	switch {
	case d.peek() == '[':
		d.i++
		if d.peek() == ']' {
			d.i++
			r.done = true
		}
	case d.null():
		r.null, r.done = true, true
	default:
		r.err, r.done = d.wrongType("an array"), true
	}
	return r
}

// room is the length to make the slice at: guess (or, when guess is
// negative, a quick count), believed only as far as the rest of the
// input could hold elements of minElem bytes.
func (r *arrayReader) room(d *ticketDecoder, guess, minElem int) int {
	if r.done {
		return 0
	}
	if guess < 0 {
		guess = countElements(d.s, d.i, r.limit)
	}
	return min(guess, r.limit, 1+d.remaining()/minElem)
}

// next reports whether another element follows, with the decoder at it.
func (r *arrayReader) next(d *ticketDecoder) bool {
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
// the rest of the input could fill) when there is none.
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
// i, up to limit+1, skipping strings and nested values unread. Malformed
// input ends the count early; the decoding reports it.
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

// stringMap reads an object of V (or null, as nil) into a map made once
// at its size, refusing a key given twice and more than MaxTicketList
// members.
func stringMap[V string | bool | Duration](d *ticketDecoder) (map[string]V, error) {
	if d.peek() != '{' {
		if d.null() {
			return nil, nil
		}
		return nil, d.wrongType("an object")
	}
	d.i++
	m := make(map[string]V, min(countElements(d.s, d.i, MaxTicketList), MaxTicketList, 1+d.remaining()/6))
	if d.peek() == '}' {
		d.i++
		return m, nil
	}
	for {
		if len(m) == MaxTicketList {
			return nil, d.fail(rulesjson.ErrTooLarge, "more than %d members", MaxTicketList)
		}
		if d.peek() != '"' {
			return nil, d.syntax("a key")
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
		var v V
		switch p := any(&v).(type) {
		case *string:
			*p, err = d.str()
		case *bool:
			*p, err = d.boolean()
		case *Duration:
			*p, err = d.duration()
		}
		if err != nil {
			return nil, err
		}
		m[key] = v
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
