package intake

import (
	"strings"
	"unicode"
	"unicode/utf8"
)

// foldRune maps a rune to the form used for case-insensitive matching:
// full-width ASCII (common in Chinese input methods, e.g. "ＡＰＰ", "１３８")
// becomes half-width, the ideographic space becomes a space, and letters are
// lower-cased.
func foldRune(r rune) rune {
	switch {
	case r >= 'A' && r <= 'Z':
		return r + ('a' - 'A')
	case r < utf8.RuneSelf:
		return r
	case r >= 0xFF01 && r <= 0xFF5E:
		r -= 0xFEE0
		if r >= 'A' && r <= 'Z' {
			r += 'a' - 'A'
		}
		return r
	case r == 0x3000:
		return ' '
	case r >= 0x2E80 && r <= 0x9FFF || r >= 0xAC00 && r <= 0xD7AF:
		return r // CJK and Hangul syllables have no case
	}
	return unicode.ToLower(r)
}

// foldString returns s with every rune passed through foldRune.
func foldString(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		b.WriteRune(foldRune(r))
	}
	return b.String()
}

// termKey is the key under which taxonomy names are looked up: folded,
// trimmed, and with runs of spaces, '-' and '_' collapsed into one '_', so
// that "Product Fault", "product-fault" and "PRODUCT_FAULT" are one name.
func termKey(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	sep := false
	for _, r := range s {
		r = foldRune(r)
		if r == ' ' || r == '-' || r == '_' || unicode.IsSpace(r) {
			sep = b.Len() > 0
			continue
		}
		if sep {
			b.WriteByte('_')
			sep = false
		}
		b.WriteRune(r)
	}
	return b.String()
}
