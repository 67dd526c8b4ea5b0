package feedback

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

// controlRune reports whether r is a control or format character that has no
// place in a single-line field (tab, newline and carriage return are allowed
// only where multiLine is true). Invalid UTF-8 counts as a control character.
func controlRune(r rune, multiLine bool) bool {
	if multiLine && (r == '\n' || r == '\r' || r == '\t') {
		return false
	}
	return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == '\u2028' || r == '\u2029'
}

// textProblem checks s for invalid UTF-8 and control characters and returns a
// description of the first problem found, or "".
func textProblem(s string, multiLine bool) string {
	for i, r := range s {
		if r == utf8.RuneError {
			if _, n := utf8.DecodeRuneInString(s[i:]); n <= 1 {
				return "invalid UTF-8"
			}
			continue
		}
		if controlRune(r, multiLine) {
			return "control character " + quoteRune(r)
		}
	}
	return ""
}

func quoteRune(r rune) string {
	const hex = "0123456789ABCDEF"
	b := []byte("U+0000")
	for i := 5; i >= 2; i-- {
		b[i] = hex[r&0xF]
		r >>= 4
	}
	return string(b)
}
