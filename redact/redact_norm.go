package redact

import (
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"golang.org/x/text/unicode/norm"
)

// normText is a text as the redactor reads it, with the way back to the
// original. Every normalized byte i comes from the original bytes
// [from[i], to[i]): one NFKC segment (a character and its combining marks),
// so hiding a normalized character hides whole original characters.
//
// Normalizing (in this order, per character):
//   - NFKC: full-width letters, digits and punctuation become ASCII, the
//     full-width ＠ becomes @, ligatures and circled digits are spelled out;
//   - default-ignorable characters (zero-width spaces and joiners, soft
//     hyphens, bidi controls, variation selectors, word joiners, BOMs, tag
//     characters, Hangul fillers) are dropped: they are invisible, so
//     "138\u200b1234\u200b5678" reads as a phone number;
//   - separators fold to one ASCII form: every space (ideographic, no-break,
//     tabs and line breaks included) to ' ', with runs of them collapsed;
//     every dash (hyphen, en and em dashes, minus signs, their small and
//     full-width forms) and the underscore to '-'; the ideographic comma to
//     ','; the ideographic full stop and the middle dots to '.';
//   - decimal digits of every script become ASCII digits.
type normText struct {
	s        string
	from, to []int32
}

// normalize reads text as described at normText. Memory: the normalized
// text plus eight bytes per normalized byte.
func normalize(text string) *normText {
	var b strings.Builder
	b.Grow(len(text))
	n := &normText{from: make([]int32, 0, len(text)), to: make([]int32, 0, len(text))}
	var it norm.Iter
	it.InitString(norm.NFKC, text)
	space := false // the last character written is a folded space
	var buf [utf8.UTFMax]byte
	for !it.Done() {
		from := int32(it.Pos())
		seg := it.Next()
		to := int32(it.Pos())
		for len(seg) > 0 {
			r, w := utf8.DecodeRune(seg)
			seg = seg[w:]
			if r == utf8.RuneError && w == 1 {
				r = utf8.RuneError // an invalid byte reads as U+FFFD
			}
			r = foldSeparator(r)
			switch {
			case r < 0:
				continue // ignorable
			case r == ' ':
				if space {
					continue
				}
				space = true
			default:
				space = false
			}
			k := utf8.EncodeRune(buf[:], r)
			b.Write(buf[:k])
			for range k {
				n.from = append(n.from, from)
				n.to = append(n.to, to)
			}
		}
	}
	n.s = b.String()
	return n
}

// orig returns the original byte range of the normalized range [s, e).
func (n *normText) orig(s, e int) (int, int) {
	if s >= e {
		if s < len(n.from) {
			return int(n.from[s]), int(n.from[s])
		}
		if len(n.to) > 0 {
			return int(n.to[len(n.to)-1]), int(n.to[len(n.to)-1])
		}
		return 0, 0
	}
	return int(n.from[s]), int(n.to[e-1])
}

// foldSeparator maps a character after NFKC as normText describes: -1 for
// a character to drop.
func foldSeparator(r rune) rune {
	if r < utf8.RuneSelf {
		switch r {
		case '\t', '\n', '\v', '\f', '\r':
			return ' '
		case '_':
			return '-'
		}
		return r
	}
	switch {
	case ignorable(r):
		return -1
	case unicode.IsSpace(r) || unicode.Is(unicode.Zs, r):
		return ' '
	case r >= 0x2010 && r <= 0x2015, r == 0x2212, r == 0x2E3A, r == 0x2E3B, r == 0xFE58, r == 0xFE63, r == 0xFF0D, r == 0x2043:
		return '-'
	case r == 0x3001 || r == 0xFF64: // ideographic comma, its half-width form
		return ','
	case r == 0x3002 || r == 0xFF61 || r == 0x00B7 || r == 0x30FB || r == 0xFF65 || r == 0x2022 || r == 0x2027 || r == 0x2219:
		return '.'
	case unicode.Is(unicode.Nd, r):
		return '0' + ndValue(r)
	}
	return r
}

// ndValue returns the value of a decimal digit (general category Nd):
// Unicode assigns them in runs of ten from 0 to 9.
func ndValue(r rune) rune {
	for _, t := range unicode.Nd.R16 {
		if rune(t.Lo) <= r && r <= rune(t.Hi) {
			return (r - rune(t.Lo)) % 10
		}
	}
	for _, t := range unicode.Nd.R32 {
		if rune(t.Lo) <= r && r <= rune(t.Hi) {
			return (r - rune(t.Lo)) % 10
		}
	}
	return 0
}

// ignorableRanges are the Default_Ignorable_Code_Point characters of
// Unicode (DerivedCoreProperties), sorted.
var ignorableRanges = [][2]rune{
	{0x00AD, 0x00AD}, {0x034F, 0x034F}, {0x061C, 0x061C}, {0x115F, 0x1160}, {0x17B4, 0x17B5},
	{0x180B, 0x180F}, {0x200B, 0x200F}, {0x202A, 0x202E}, {0x2060, 0x206F}, {0x3164, 0x3164},
	{0xFE00, 0xFE0F}, {0xFEFF, 0xFEFF}, {0xFFA0, 0xFFA0}, {0xFFF0, 0xFFF8}, {0x1BCA0, 0x1BCA3},
	{0x1D173, 0x1D17A}, {0xE0000, 0xE0FFF},
}

func ignorable(r rune) bool {
	i := sort.Search(len(ignorableRanges), func(i int) bool { return ignorableRanges[i][1] >= r })
	return i < len(ignorableRanges) && ignorableRanges[i][0] <= r
}
