// Package textcheck holds the checks that every package reading text from
// people applies: no invalid UTF-8, no control or format characters (line
// breaks only where a field may have them), and message-safe truncation.
// intake, redact, improvement and feedback share them, so a field refused in
// one is refused, with the same words, in all.
package textcheck

import (
	"unicode"
	"unicode/utf8"
)

// controlRune reports whether r is a control or format character that has no
// place in a single-line field (tab, newline and carriage return are allowed
// only where multiLine is true). Invalid UTF-8 counts as a control character.
func controlRune(r rune, multiLine bool) bool {
	if multiLine && (r == '\n' || r == '\r' || r == '\t') {
		return false
	}
	return unicode.IsControl(r) || unicode.Is(unicode.Cf, r) || r == '\u2028' || r == '\u2029'
}

// Problem checks s for invalid UTF-8 and control characters and returns a
// description of the first problem found, or "".
func Problem(s string, multiLine bool) string {
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

// Truncate cuts s to at most n bytes at a rune boundary and marks the cut
// with "…"; a shorter s comes back unchanged.
func Truncate(s string, n int) string {
	if len(s) <= n {
		return s
	}
	cut := n
	for cut > 0 && !utf8.RuneStart(s[cut]) {
		cut--
	}
	return s[:cut] + "…"
}
