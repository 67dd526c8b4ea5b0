package whatif

import (
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// memberTables are the names the decoder finds by member.
var memberTables = map[string]*members{
	"ticket":      ticketMembers,
	"attributes":  attributesMembers,
	"entry":       entryMembers,
	"claim":       claimMembers,
	"entry kinds": entryKinds,
}

// awkwardMembers are names that cannot all have slots: empty, one byte,
// longer than the slots take, sharing their first two bytes.
var awkwardMembers = newMembers(nil, "", "a", "t", "ta", "tags", "tier", "tie", "averyverylongname", "fingerprintss")

// TestMembersHaveSlots: every name of every table is found by its slot, so
// that no key of a ticket line as AppendNDJSON writes it takes the slow
// path (a name that loses its slot is still found, slowly).
func TestMembersHaveSlots(t *testing.T) {
	for table, m := range memberTables {
		for i, n := range m.names {
			d := ticketDecoder{s: `"` + n + `"` + strings.Repeat(" ", maxQuotedName)}
			assert.Equal(t, i, d.member(m), "%s: %q", table, n)
			assert.Equal(t, len(n)+2, d.i, "%s: %q", table, n)
		}
	}
}

// TestMemberMatchesStr: member finds exactly the strings that str reads as
// a name without escapes, and leaves the decoder where str does; for
// anything else it leaves the decoder unmoved. The inputs are names and
// near misses (cut, lengthened, a byte changed, escaped, unterminated)
// followed by few or many bytes.
func TestMemberMatchesStr(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	tables := []*members{awkwardMembers}
	var all []string
	for _, m := range memberTables {
		tables = append(tables, m)
		all = append(all, m.names...)
	}
	all = append(all, awkwardMembers.names[1:]...)
	const alphabet = "acdefiklmnoprstuvy\"\\:, \x00\x7f\xc3\xa9AKZ"
	mutate := func(n string) string {
		switch rng.IntN(8) {
		case 0:
			return n
		case 1:
			return n[:rng.IntN(len(n)+1)]
		case 2:
			return n + string(alphabet[rng.IntN(len(alphabet))])
		case 3:
			b := []byte(n)
			b[rng.IntN(len(b))] = alphabet[rng.IntN(len(alphabet))]
			return string(b)
		case 4:
			i := rng.IntN(len(n))
			return n[:i] + fmt.Sprintf(`\u%04x`, n[i]) + n[i+1:]
		case 5:
			return strings.ToUpper(n[:1]) + n[1:]
		case 6:
			return n + n
		default:
			b := make([]byte, rng.IntN(20))
			for i := range b {
				b[i] = alphabet[rng.IntN(len(alphabet))]
			}
			return string(b)
		}
	}
	for range 200_000 {
		m := tables[rng.IntN(len(tables))]
		key := ""
		if rng.IntN(50) > 0 {
			key = mutate(all[rng.IntN(len(all))])
		}
		var tail string
		switch rng.IntN(3) {
		case 0:
			tail = `":`
		case 1:
			tail = `"` + strings.Repeat("x", rng.IntN(20))
		default:
			tail = strings.Repeat(" ", rng.IntN(20))
		}
		s := `"` + key + tail
		d := ticketDecoder{s: s}
		got := d.member(m)

		ref := ticketDecoder{s: s}
		want := -1
		if str, err := ref.str(); err == nil && !strings.Contains(s[:ref.i], `\`) {
			want = m.index(str)
		}
		if got >= 0 {
			require.Equal(t, want, got, "%q", s)
			require.Equal(t, ref.i, d.i, "%q", s)
			continue
		}
		require.Equal(t, 0, d.i, "%q: member moved the decoder without a match", s)
		if want >= 0 && len(s) >= maxQuotedName && m != awkwardMembers {
			t.Fatalf("%q: member missed %q", s, m.names[want])
		}
	}
}

// TestPlainRun compares plainRun, which looks at words, with a loop over
// the bytes, on strings of printable ASCII with a byte of every kind it
// stops at (or none) at every place.
func TestPlainRun(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	slow := func(s string, i int) int {
		for ; i < len(s); i++ {
			if c := s[i]; c < ' ' || c >= 0x80 || c == '"' || c == '\\' {
				break
			}
		}
		return i
	}
	stops := []byte{'"', '\\', 0, '\n', 0x1f, 0x7f, 0x80, 0xc3, 0xff}
	for range 200_000 {
		b := make([]byte, rng.IntN(40))
		for i := range b {
			b[i] = byte(' ' + rng.IntN('~'-' '+1))
		}
		for range rng.IntN(3) {
			if len(b) > 0 {
				b[rng.IntN(len(b))] = stops[rng.IntN(len(stops))]
			}
		}
		s := string(b)
		start := 0
		if len(s) > 0 {
			start = rng.IntN(len(s) + 1)
		}
		require.Equal(t, slow(s, start), plainRun(s, start), "%q from %d", s, start)
	}
}
