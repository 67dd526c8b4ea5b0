package redact

import (
	"regexp"
	"slices"
	"strings"
	"unicode"
	"unicode/utf8"
)

// The finders below read normalized text (see normText) and mark the
// normalized bytes to hide.

// hideRunes hides the runes of text[start:end] except keep.First at the
// start and keep.Last at the end (all of them when fewer would stay hidden
// than are kept).
func hideRunes(text string, start, end int, keep Keep, hide []bool) {
	n := utf8.RuneCountInString(text[start:end])
	if keep.First+keep.Last >= n {
		keep = Keep{}
	}
	k := 0
	for i := start; i < end; {
		_, w := utf8.DecodeRuneInString(text[i:])
		if k >= keep.First && k < n-keep.Last {
			for j := i; j < i+w; j++ {
				hide[j] = true
			}
		}
		k++
		i += w
	}
}

// maxEmailLocal and maxEmailDomain bound the parts of an e-mail address
// (RFC 5321's limits), so that a long run of letters is not all taken for
// one.
const (
	maxEmailLocal  = 64
	maxEmailDomain = 255
)

func isEmailLocal(b byte) bool {
	return isASCIIWord(b) || b == '.' || b == '%' || b == '+' || b == '-'
}

func isEmailDomain(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '-' || b == '.'
}

// isWordRune reports a non-ASCII letter, digit or mark: what an
// internationalised local part or domain label is made of.
func isWordRune(r rune) bool {
	return r >= utf8.RuneSelf && (unicode.IsLetter(r) || unicode.IsDigit(r) || unicode.IsMark(r))
}

// spelled matches a spelled-out symbol at t[i:] such as "[at]" or "(dot)"
// (any of ([{< and their partner, any case), with one optional space on
// each side; it returns the end of the match, or -1.
func spelled(t string, i int, word string) int {
	j := i
	if j < len(t) && t[j] == ' ' {
		j++
	}
	if j+len(word)+2 > len(t) {
		return -1
	}
	open, close := t[j], t[j+len(word)+1]
	if !(open == '(' && close == ')' || open == '[' && close == ']' || open == '{' && close == '}' || open == '<' && close == '>') ||
		!strings.EqualFold(t[j+1:j+1+len(word)], word) {
		return -1
	}
	j += len(word) + 2
	if j < len(t) && t[j] == ' ' {
		j++
	}
	return j
}

// atSign returns the end of an at sign starting at t[i] ('@', or a spelled
// "[at]"), spaces around it included, or -1.
func atSign(t string, i int) int {
	j := i
	if t[j] == ' ' {
		j++
	}
	if j < len(t) && t[j] == '@' {
		j++
		if j < len(t) && t[j] == ' ' {
			j++
		}
		return j
	}
	return spelled(t, i, "at")
}

func (r *Redactor) emails(t string, hide []bool, note func(Kind, int, int)) {
	for i := 0; i < len(t); i++ {
		switch t[i] {
		case '@', ' ', '(', '[', '{', '<':
		default:
			continue
		}
		atEnd := atSign(t, i)
		if atEnd < 0 || i == 0 {
			continue
		}
		// The local part: ASCII before the at sign; if there is none, the
		// letters of any script before it (张三@…). A Chinese word glued to
		// an ASCII local part is not taken: "发邮件到zsf@…" masks zsf.
		s, count := i, 0
		for s > 0 && count < maxEmailLocal && isEmailLocal(t[s-1]) {
			s--
			count++
		}
		if s == i {
			for s > 0 && count < maxEmailLocal {
				c, w := utf8.DecodeLastRuneInString(t[:s])
				if !(c < utf8.RuneSelf && isEmailLocal(byte(c)) || isWordRune(c)) {
					break
				}
				s -= w
				count++
			}
		}
		for s < i && t[s] == '.' {
			s++
		}
		if s == i {
			continue
		}
		// The domain: labels of ASCII letters, digits and '-', or of
		// letters of any script, separated by '.' or a spelled "[dot]".
		e := atEnd
		var dots [][2]int // the dot tokens, '.' or "[dot]"
		for e < len(t) && e-atEnd < maxEmailDomain {
			if c := t[e]; c < utf8.RuneSelf {
				if isEmailDomain(c) {
					if c == '.' {
						dots = append(dots, [2]int{e, e + 1})
					}
					e++
					continue
				}
				if d := spelled(t, e, "dot"); d > 0 {
					dots = append(dots, [2]int{e, d})
					e = d
					continue
				}
				break
			}
			c, w := utf8.DecodeRuneInString(t[e:])
			if !isWordRune(c) {
				break
			}
			e += w
		}
		for e > atEnd && (t[e-1] == '.' || t[e-1] == '-') {
			e--
		}
		for len(dots) > 0 && dots[len(dots)-1][1] > e {
			dots = dots[:len(dots)-1]
		}
		// The top-level domain is the last label that looks like one:
		// "a@example.com.x" is still a@example.com.
		for len(dots) > 0 && !validTLD(t[dots[len(dots)-1][1]:e]) {
			e = dots[len(dots)-1][0]
			dots = dots[:len(dots)-1]
		}
		if len(dots) == 0 || dots[0][0] <= atEnd {
			continue
		}
		note(Email, s, e)
		hideRunes(t, s, i, r.keep[Email], hide)
		i = e - 1
	}
}

// validTLD: at least two characters, one of them a letter.
func validTLD(tld string) bool {
	letter := false
	for _, c := range tld {
		letter = letter || unicode.IsLetter(c)
	}
	return letter && utf8.RuneCountInString(tld) >= 2
}

// unitsRE is what may follow a Chinese house number: buildings, entrances,
// units, floors and rooms, then a trailing number (a room written without
// 室: 2单元501).
const unitsRE = `(?:[\p{Han}A-Za-z0-9-]{0,12}?(?:栋|棟|幢|楼|樓|单元|單元|室|层|層|号|號|座|院|门|門|户|戶|房|期))*(?:[A-Za-z0-9#-]+(?:室|号|號|房|户|戶)?)?`

var (
	// A street address: the administrative prefix (group 1) stays
	// visible, the street, number and everything below it (group 2) are
	// hidden.
	cnAddressRE = regexp.MustCompile(`((?:\p{Han}{1,8}?(?:省|自治区|特别行政区|市|区|區|县|縣|旗))*)(\p{Han}{1,6}?(?:路|街|道|巷|弄|胡同|大道|大街)[0-9]+(?:[-之][0-9]+)?(?:号|號)` + unitsRE + `)`)
	// A residential compound with a building.
	cnCompoundRE = regexp.MustCompile(`\p{Han}{1,8}?(?:小区|小區|花园|花園|公寓|大厦|大廈|新村|家园|家園|广场|廣場|苑|公馆|公館)[0-9A-Za-z]{1,4}(?:栋|棟|幢|号楼|號樓|座|号|號)` + unitsRE)
	// A building, unit or room number on its own: 5号楼1201, 2单元501,
	// 1201室.
	cnUnitRE = regexp.MustCompile(`[0-9A-Za-z]{1,5}(?:号楼|號樓|栋|棟|幢)` + unitsRE + `|[0-9]{1,3}(?:单元|單元)` + unitsRE + `|[0-9A-Za-z-]{2,6}(?:室|房间|房間)`)
	// An English street address: house number (221B, 12-14) and street.
	enAddressRE = regexp.MustCompile(`(?i)\b[0-9]{1,6}[a-z]?(?:[-/][0-9]{1,5}[a-z]?)?,? (?:[a-z]+\.? ){0,4}(?:street|st|road|rd|avenue|ave|boulevard|blvd|lane|ln|drive|dr|way|court|ct|place|pl|square|sq|terrace|crescent|close|parkway|pkwy|highway|hwy|circle|alley|row|mews|gardens|walk|hill)\b\.?`)
	// Flats, suites, rooms and P.O. boxes.
	enUnitRE = regexp.MustCompile(`(?i)\b(?:apt|apartment|suite|ste|unit|flat|room|rm)\.? ?(?:no\.? ?)?#? ?[0-9]+[a-z]?\b|\bp\.? ?o\.? ?box ?[0-9]+`)
)

func (r *Redactor) addresses(t string, hide []bool, note func(Kind, int, int)) {
	keep := r.keep[Address]
	var spans [][2]int // found so far, in the order found
	add := func(m0, m1, h0, h1 int) {
		note(Address, m0, m1)
		hideRunes(t, h0, h1, keep, hide)
		spans = append(spans, [2]int{m0, m1})
	}
	// The regular expressions run only over the stretches of text they can
	// match in that hold a character every match needs: most text has no
	// address, and the expressions cost a few hundred nanoseconds a byte.
	const alnum = "0123456789abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ"
	cn := runsWith(t, isAddressRune, "号號楼樓栋棟幢单單室房", alnum)
	en := runsWith(t, isEnglishAddressRune, "0123456789", alnum[10:])
	for _, run := range cn {
		for _, m := range cnAddressRE.FindAllStringSubmatchIndex(t[run[0]:run[1]], -1) {
			add(run[0]+m[0], run[0]+m[1], run[0]+m[4], run[0]+m[5])
		}
	}
	for _, step := range []struct {
		re   *regexp.Regexp
		runs [][2]int
	}{{cnCompoundRE, cn}, {cnUnitRE, cn}, {enAddressRE, en}, {enUnitRE, en}} {
		// Matches come in text order; sweep them against the spans found
		// so far, sorted, to skip a building inside a street address.
		slices.SortFunc(spans, func(a, b [2]int) int { return a[0] - b[0] })
		prev, k, reach := len(spans), 0, 0 // reach: furthest end of the spans starting at or before the match
		for _, run := range step.runs {
			for _, m := range step.re.FindAllStringIndex(t[run[0]:run[1]], -1) {
				m0, m1 := run[0]+m[0], run[0]+m[1]
				for ; k < prev && spans[k][0] <= m0; k++ {
					reach = max(reach, spans[k][1])
				}
				if m1 <= reach {
					continue // part of an address already found
				}
				add(m0, m1, m0, m1)
			}
		}
	}
}

// isAddressRune: what a Chinese address is written with.
func isAddressRune(c rune) bool {
	return c < utf8.RuneSelf && (isASCIIWord(byte(c)) || c == '-' || c == '#') || unicode.Is(unicode.Han, c)
}

// isEnglishAddressRune: what an English address is written with.
func isEnglishAddressRune(c rune) bool {
	return c < utf8.RuneSelf && (isASCIIWord(byte(c)) || strings.ContainsRune(" .,#/-", c))
}

// runsWith returns the maximal stretches of t made of runes in that hold
// a rune of each of anchors.
func runsWith(t string, in func(rune) bool, anchors ...string) [][2]int {
	var out [][2]int
	start, hit := -1, uint(0)
	all := uint(1)<<len(anchors) - 1
	for i, c := range t {
		if !in(c) {
			if start >= 0 && hit == all {
				out = append(out, [2]int{start, i})
			}
			start, hit = -1, 0
			continue
		}
		if start < 0 {
			start = i
		}
		for k, a := range anchors {
			if strings.ContainsRune(a, c) {
				hit |= 1 << k
			}
		}
	}
	if start >= 0 && hit == all {
		out = append(out, [2]int{start, len(t)})
	}
	return out
}

// compactText is normalized text without separators and with ASCII in lower
// case, so that a name matches however it is spaced or cased: at maps each
// byte back to its normalized offset.
type compactText struct {
	s  string
	at []int32
}

func isNameSep(c rune) bool {
	return c == ' ' || c == '-' || c == '.' || c == ',' || c == '\''
}

func compact(t string) compactText {
	var b strings.Builder
	b.Grow(len(t))
	at := make([]int32, 0, len(t))
	for i, c := range t {
		if isNameSep(c) {
			continue
		}
		if c >= 'A' && c <= 'Z' {
			c += 'a' - 'A'
		}
		w, _ := b.WriteRune(c)
		for k := range w {
			at = append(at, int32(i+k))
		}
	}
	return compactText{s: b.String(), at: at}
}

func (r *Redactor) knownStrings(t string, names []string, hide []bool, note func(Kind, int, int)) {
	var ct *compactText
	for _, n := range names {
		key := compact(normalize(strings.TrimSpace(n)).s).s
		if utf8.RuneCountInString(key) < 2 {
			continue
		}
		if ct == nil {
			c := compact(t)
			ct = &c
		}
		for off := 0; off < len(ct.s); {
			i := strings.Index(ct.s[off:], key)
			if i < 0 {
				break
			}
			s, e := off+i, off+i+len(key)
			_, w := utf8.DecodeLastRuneInString(ct.s[:e])
			ns, ne := int(ct.at[s]), int(ct.at[e-w])+w
			note(Name, ns, ne)
			hideRunes(t, ns, ne, r.keep[Name], hide)
			off = e
		}
	}
}

func isASCIIWord(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '_'
}
