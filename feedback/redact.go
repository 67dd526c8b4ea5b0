package feedback

import (
	"fmt"
	"regexp"
	"slices"
	"strings"
	"time"
	"unicode"
	"unicode/utf8"

	"github.com/closeloop/closeloop/internal/rulesjson"
)

// RedactionKind names a kind of personal data.
type RedactionKind string

// The kinds of personal data a Redactor finds.
const (
	RedactPhone    RedactionKind = "phone"     // Chinese mobile (1[3-9]x, ±86), landline with area code (0xx-), international +CC…
	RedactEmail    RedactionKind = "email"     // local part masked, domain kept
	RedactIDNumber RedactionKind = "id_number" // Chinese resident ID, 18 digits (last may be X) or 15 digits
	RedactNumber   RedactionKind = "number"    // any other run of at least MinNumberDigits digits (cards, accounts, QQ)
	RedactAddress  RedactionKind = "address"   // street, house number, building and room; the district is kept
	RedactName     RedactionKind = "name"      // names (and any other strings) the host passes in
)

var allRedactionKinds = []RedactionKind{RedactPhone, RedactEmail, RedactIDNumber, RedactNumber, RedactAddress, RedactName}

// RedactKeep says how many characters stay visible at each end of a finding
// (for numbers: digits, separators are not counted).
type RedactKeep struct {
	First int `json:"first"`
	Last  int `json:"last"`
}

// RedactionSpec is the rules data of a Redactor.
type RedactionSpec struct {
	// Mask replaces each hidden character; default "*". It must not contain
	// digits, letters or control characters.
	Mask string `json:"mask,omitempty"`
	// Kinds enables kinds; nil means all.
	Kinds []RedactionKind `json:"kinds,omitempty"`
	// Keep overrides the visible ends per kind. Defaults: phone 3+4 (document
	// 002's 138****5678), id_number 3+4, number 0+4, email local part 1+0,
	// name 1+0 (the surname stays: 张*), address 0+0. Numeric kinds keep at
	// most 4 digits at each end, and at least 4 digits are always hidden (a
	// shorter number is hidden whole).
	Keep map[RedactionKind]RedactKeep `json:"keep,omitempty"`
	// MinNumberDigits is the shortest digit run masked as RedactNumber
	// (default 7).
	MinNumberDigits int `json:"min_number_digits,omitempty"`
	// Names are strings masked wherever they occur (staff or VIP names,
	// company names); Redact takes more per call.
	Names []string `json:"names,omitempty"`
}

// RedactionFinding is one piece of personal data found in a text.
type RedactionFinding struct {
	Kind  RedactionKind `json:"kind"`
	Start int           `json:"start"` // byte offsets in the input
	End   int           `json:"end"`
}

// Redactor masks personal data in free text (descriptions, exports,
// archives, SMS). It is immutable and safe for concurrent use.
//
// What it finds, in plain words: e-mail addresses; Chinese resident ID
// numbers; phone numbers — any digit group containing a Chinese mobile
// number (1 then 3–9 then nine digits, wherever it sits, even glued to
// letters or other digits), landlines written with their area code
// (0xx…, 10–12 digits), international numbers written with '+' (8–15
// digits); any other digit group of MinNumberDigits or more digits not
// glued to letters; Chinese street addresses (路/街/道/巷/弄 + number + 号,
// with building and room; the province, city and district stay visible),
// residential compounds (…小区3栋2单元501), English street addresses ("12 Main Street"); and
// the names it is given. A digit group is digits joined by at most two of
// " -.()/" (so "+86 138-1234-5678" is one group); dates such as 2024-03-01
// (with an optional time) are left alone. Feedback and ticket numbers with a
// letter prefix (F20240301001, CS20240301001) are not masked unless they
// contain a mobile number. The redactor over-masks rather than leak.
type Redactor struct {
	mask      string
	kinds     map[RedactionKind]bool
	keep      map[RedactionKind]RedactKeep
	minDigits int
	names     []string
}

// ParseRedactor strictly decodes and compiles a RedactionSpec.
func ParseRedactor(data []byte) (*Redactor, error) {
	var spec RedactionSpec
	if err := rulesjson.Decode(data, &spec); err != nil {
		return nil, err
	}
	return NewRedactor(spec)
}

// DefaultRedactor masks every kind with "*" and the default keeps.
func DefaultRedactor() *Redactor {
	r, err := NewRedactor(RedactionSpec{})
	if err != nil {
		panic("feedback: default redactor: " + err.Error())
	}
	return r
}

// NewRedactor validates spec. Errors are *rulesjson.PathError.
func NewRedactor(spec RedactionSpec) (*Redactor, error) {
	r := &Redactor{
		mask:  spec.Mask,
		kinds: map[RedactionKind]bool{},
		keep: map[RedactionKind]RedactKeep{
			RedactPhone: {3, 4}, RedactIDNumber: {3, 4}, RedactNumber: {0, 4},
			RedactEmail: {1, 0}, RedactName: {1, 0}, RedactAddress: {0, 0},
		},
		minDigits: 7,
	}
	if r.mask == "" {
		r.mask = "*"
	}
	if textProblem(r.mask, false) != "" || utf8.RuneCountInString(r.mask) > 8 ||
		strings.IndexFunc(r.mask, func(c rune) bool { return unicode.IsDigit(c) || unicode.IsLetter(c) }) >= 0 {
		return nil, rulesjson.Errorf("$.mask", "must be 1–8 characters without digits, letters or control characters")
	}
	if spec.Kinds == nil {
		spec.Kinds = allRedactionKinds
	}
	for i, k := range spec.Kinds {
		if !slices.Contains(allRedactionKinds, k) {
			return nil, rulesjson.Errorf(rulesjson.Index("$.kinds", i), "unknown kind %q", k)
		}
		r.kinds[k] = true
	}
	for _, k := range sortedKeys(stringKeyed(spec.Keep)) {
		kind := RedactionKind(k)
		keep := spec.Keep[kind]
		p := rulesjson.Field("$.keep", k)
		if !slices.Contains(allRedactionKinds, kind) {
			return nil, rulesjson.Errorf(p, "unknown kind %q", k)
		}
		if keep.First < 0 || keep.Last < 0 {
			return nil, rulesjson.Errorf(p, "must not be negative")
		}
		numeric := kind == RedactPhone || kind == RedactIDNumber || kind == RedactNumber
		if numeric && (keep.First > 4 || keep.Last > 4) {
			return nil, rulesjson.Errorf(p, "numbers keep at most 4 digits at each end")
		}
		if keep.First > 16 || keep.Last > 16 {
			return nil, rulesjson.Errorf(p, "keeps at most 16 characters at each end")
		}
		r.keep[kind] = keep
	}
	if spec.MinNumberDigits < 0 {
		return nil, rulesjson.Errorf("$.min_number_digits", "must not be negative")
	} else if spec.MinNumberDigits > 0 {
		if spec.MinNumberDigits < 5 {
			return nil, rulesjson.Errorf("$.min_number_digits", "at least 5, or every small count would be masked")
		}
		r.minDigits = spec.MinNumberDigits
	}
	for i, n := range spec.Names {
		n = strings.TrimSpace(n)
		if textProblem(n, false) != "" || utf8.RuneCountInString(n) < 2 {
			return nil, rulesjson.Errorf(rulesjson.Index("$.names", i), "must be a single line of at least 2 characters")
		}
		r.names = append(r.names, n)
	}
	return r, nil
}

func stringKeyed[V any](m map[RedactionKind]V) map[string]V {
	out := make(map[string]V, len(m))
	for k, v := range m {
		out[string(k)] = v
	}
	return out
}

// Mask returns the mask string.
func (r *Redactor) Mask() string { return r.mask }

// Redact returns text with personal data masked. names are more strings to
// mask for this call only (the customer's name, contact, company); names of
// fewer than 2 characters are ignored.
func (r *Redactor) Redact(text string, names ...string) string {
	out, _ := r.RedactFindings(text, names...)
	return out
}

// RedactFindings is Redact that also reports what it found, in text order.
// Findings may overlap (an e-mail whose local part is a phone number); every
// character any finding hides is hidden.
func (r *Redactor) RedactFindings(text string, names ...string) (string, []RedactionFinding) {
	hide := make([]bool, len(text))
	var found []RedactionFinding
	note := func(kind RedactionKind, start, end int) {
		found = append(found, RedactionFinding{Kind: kind, Start: start, End: end})
	}
	if r.kinds[RedactEmail] {
		r.emails(text, hide, note)
	}
	if r.kinds[RedactAddress] {
		r.addresses(text, hide, note)
	}
	if r.kinds[RedactName] {
		all := append(append([]string(nil), r.names...), names...)
		r.knownStrings(text, all, hide, note)
	}
	r.numbers(text, hide, note)
	if len(found) == 0 {
		return text, nil
	}
	slices.SortStableFunc(found, func(a, b RedactionFinding) int { return a.Start - b.Start })
	var b strings.Builder
	b.Grow(len(text))
	for i := 0; i < len(text); {
		_, n := utf8.DecodeRuneInString(text[i:])
		if hide[i] {
			b.WriteString(r.mask)
		} else {
			b.WriteString(text[i : i+n])
		}
		i += n
	}
	return b.String(), found
}

// RedactIntake returns a copy of in fit for an export or an archive
// (document 002 §5.4): the customer's name masked (surname kept), the
// contact masked (a phone as 138****5678, anything else but its first
// character), and the description, expected solution, tried remedies, owner
// and attribute values redacted, with the customer's name and contact masked
// wherever they occur in them. IDs, dates and taxonomy values are kept.
func (r *Redactor) RedactIntake(in Intake) Intake {
	names := r.personalStrings(in.CustomerName, in.Contact)
	if in.CustomerName != "" {
		in.CustomerName = r.Redact(in.CustomerName, in.CustomerName)
	}
	if c := r.Redact(in.Contact); c != in.Contact {
		in.Contact = c
	} else if in.Contact != "" {
		in.Contact = r.Redact(in.Contact, in.Contact)
	}
	in.Description = r.Redact(in.Description, names...)
	in.Expected = r.Redact(in.Expected, names...)
	in.TriedRemedies = r.Redact(in.TriedRemedies, names...)
	in.Owner = r.Redact(in.Owner, names...)
	in.Tags = append([]string(nil), in.Tags...)
	if in.Attributes != nil {
		attrs := make(map[string]string, len(in.Attributes))
		for k, v := range in.Attributes {
			attrs[k] = r.Redact(v, names...)
		}
		in.Attributes = attrs
	}
	return in
}

// personalStrings returns the strings to mask as names: the customer's name,
// and the contact unless the redactor finds it by itself (a phone number
// then keeps document 002's 138****5678 form).
func (r *Redactor) personalStrings(name, contact string) []string {
	out := []string{name}
	if contact != "" && r.Redact(contact) == contact {
		out = append(out, contact)
	}
	return out
}

// hideRunes hides the runes of text[start:end] except keep.First at the
// start and keep.Last at the end.
func hideRunes(text string, start, end int, keep RedactKeep, hide []bool) {
	n := utf8.RuneCountInString(text[start:end])
	if keep.First+keep.Last >= n {
		keep = RedactKeep{}
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

func isEmailLocal(b byte) bool {
	return isASCIIWord(b) || b == '.' || b == '%' || b == '+' || b == '-'
}

func isEmailDomain(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '-' || b == '.'
}

func (r *Redactor) emails(text string, hide []bool, note func(RedactionKind, int, int)) {
	for at := strings.IndexByte(text, '@'); at >= 0; {
		s := at
		for s > 0 && isEmailLocal(text[s-1]) {
			s--
		}
		e := at + 1
		for e < len(text) && isEmailDomain(text[e]) {
			e++
		}
		for e > at+1 && (text[e-1] == '.' || text[e-1] == '-') {
			e--
		}
		domain := text[at+1 : e]
		dot := strings.LastIndexByte(domain, '.')
		if s < at && dot > 0 && len(domain)-dot-1 >= 2 {
			note(RedactEmail, s, e)
			hideRunes(text, s, at, r.keep[RedactEmail], hide)
		}
		next := strings.IndexByte(text[at+1:], '@')
		if next < 0 {
			break
		}
		at += 1 + next
	}
}

var (
	cnAddressRE  = regexp.MustCompile(`((?:\p{Han}{1,8}?(?:省|自治区|特别行政区|市|区|县|旗))*)(\p{Han}{1,6}?(?:路|街|道|巷|弄|胡同|大道|大街)[0-9０-９]+(?:号|號)(?:[\p{Han}A-Za-z0-9０-９-]{0,12}?(?:栋|幢|楼|樓|单元|室|层|号|號))*)`)
	cnCompoundRE = regexp.MustCompile(`\p{Han}{1,8}?(?:小区|花园|公寓|大厦|新村|家园|广场|苑)[0-9０-９A-Za-z]{1,4}(?:栋|幢|号楼|座)(?:[0-9０-９]{1,3}单元)?(?:[0-9０-９]{1,5}(?:室|号|房)?)?`)
	enAddressRE  = regexp.MustCompile(`(?i)\b\d{1,6}\s+(?:[a-z]+\.?\s+){0,4}(?:street|st|road|rd|avenue|ave|boulevard|blvd|lane|ln|drive|dr|way|court|ct|place|pl)\b\.?`)
)

func (r *Redactor) addresses(text string, hide []bool, note func(RedactionKind, int, int)) {
	for _, m := range cnAddressRE.FindAllStringSubmatchIndex(text, -1) {
		note(RedactAddress, m[0], m[1])
		hideRunes(text, m[4], m[5], r.keep[RedactAddress], hide)
	}
	for _, m := range cnCompoundRE.FindAllStringIndex(text, -1) {
		note(RedactAddress, m[0], m[1])
		hideRunes(text, m[0], m[1], r.keep[RedactAddress], hide)
	}
	for _, m := range enAddressRE.FindAllStringIndex(text, -1) {
		note(RedactAddress, m[0], m[1])
		hideRunes(text, m[0], m[1], r.keep[RedactAddress], hide)
	}
}

func (r *Redactor) knownStrings(text string, names []string, hide []bool, note func(RedactionKind, int, int)) {
	for _, n := range names {
		n = strings.TrimSpace(n)
		if utf8.RuneCountInString(n) < 2 {
			continue
		}
		for off := 0; off < len(text); {
			i := strings.Index(text[off:], n)
			if i < 0 {
				break
			}
			s := off + i
			note(RedactName, s, s+len(n))
			hideRunes(text, s, s+len(n), r.keep[RedactName], hide)
			off = s + len(n)
		}
	}
}

// digitAt returns the value of the digit rune at text[i] (ASCII or
// full-width) and its width, or -1.
func digitAt(text string, i int) (int, int) {
	b := text[i]
	if b >= '0' && b <= '9' {
		return int(b - '0'), 1
	}
	if b == 0xEF && i+2 < len(text) && text[i+1] == 0xBC && text[i+2] >= 0x90 && text[i+2] <= 0x99 {
		return int(text[i+2] - 0x90), 3
	}
	return -1, 0
}

func isNumberSep(b byte) bool {
	return b == ' ' || b == '-' || b == '.' || b == '(' || b == ')' || b == '/'
}

func isASCIILetter(b byte) bool { return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' }

type digitPos struct {
	val, at, w int
}

// protectedDates returns the byte ranges of dates (YYYY-MM-DD, YYYY/MM/DD,
// YYYY.MM.DD, optionally followed by " HH:MM" or " HH:MM:SS") that touch no
// other digit.
func protectedDates(text string) [][2]int {
	var out [][2]int
	num := func(i, min, max int) (int, int) { // value, end
		v, j := 0, i
		for j < len(text) && j-i < max && text[j] >= '0' && text[j] <= '9' {
			v = v*10 + int(text[j]-'0')
			j++
		}
		if j-i < min {
			return -1, i
		}
		return v, j
	}
	for i := 0; i+8 <= len(text); i++ {
		if text[i] < '0' || text[i] > '9' || (i > 0 && text[i-1] >= '0' && text[i-1] <= '9') {
			continue
		}
		_, j := num(i, 4, 4)
		if j != i+4 || j >= len(text) {
			continue
		}
		sep := text[j]
		if sep != '-' && sep != '/' && sep != '.' {
			continue
		}
		mo, k := num(j+1, 1, 2)
		if mo < 1 || mo > 12 || k >= len(text) || text[k] != sep {
			continue
		}
		d, e := num(k+1, 1, 2)
		if d < 1 || d > 31 || (e < len(text) && text[e] >= '0' && text[e] <= '9') {
			continue
		}
		end := e
		if e+1 < len(text) && (text[e] == ' ' || text[e] == 'T') {
			if h, x := num(e+1, 1, 2); h >= 0 && h < 24 && x < len(text) && text[x] == ':' {
				if mi, y := num(x+1, 2, 2); mi >= 0 && mi < 60 {
					z := y
					if y < len(text) && text[y] == ':' {
						if s, w := num(y+1, 2, 2); s >= 0 && s < 61 {
							z = w
						}
					}
					if z >= len(text) || text[z] < '0' || text[z] > '9' {
						end = z
					}
				}
			}
		}
		out = append(out, [2]int{i, end})
		i = end - 1
	}
	return out
}

func (r *Redactor) numbers(text string, hide []bool, note func(RedactionKind, int, int)) {
	dates := protectedDates(text)
	var prot []bool
	if len(dates) > 0 {
		prot = make([]bool, len(text))
		for _, d := range dates {
			for j := d[0]; j < d[1]; j++ {
				prot[j] = true
			}
		}
	}
	inDate := func(i int) bool { return prot != nil && prot[i] }
	var digits []digitPos
	for i := 0; i < len(text); {
		v, _ := digitAt(text, i)
		plus := false
		if v < 0 && text[i] == '+' && i+1 < len(text) && !inDate(i+1) {
			if v2, _ := digitAt(text, i+1); v2 >= 0 {
				plus = true
			}
		}
		if (v < 0 && !plus) || inDate(i) {
			i++
			continue
		}
		start := i
		if plus {
			i++
		}
		digits = digits[:0]
		for i < len(text) && !inDate(i) {
			if v, w := digitAt(text, i); v >= 0 {
				digits = append(digits, digitPos{v, i, w})
				i += w
				continue
			}
			j := i
			for j < len(text) && j-i < 2 && isNumberSep(text[j]) {
				j++
			}
			if j == i || j >= len(text) || inDate(j) {
				break
			}
			if v2, _ := digitAt(text, j); v2 < 0 {
				break
			}
			i = j
		}
		end := digits[len(digits)-1].at + digits[len(digits)-1].w
		i = end
		r.numberGroup(text, start, end, plus, digits, hide, note)
	}
}

func (r *Redactor) numberGroup(text string, start, end int, plus bool, d []digitPos, hide []bool, note func(RedactionKind, int, int)) {
	n := len(d)
	letterBefore := start > 0 && isASCIILetter(text[start-1])
	letterAfter := end < len(text) && isASCIILetter(text[end])
	var kind RedactionKind
	xEnd := end
	switch {
	case n == 17 && letterAfter && (text[end] == 'X' || text[end] == 'x') &&
		(end+1 >= len(text) || !isASCIILetter(text[end+1])) && !letterBefore:
		kind, xEnd = RedactIDNumber, end+1
	case (n == 18 || n == 15) && !letterBefore && !letterAfter && !plus:
		kind = RedactIDNumber
	case hasMobile(d):
		kind = RedactPhone
	case letterBefore || letterAfter:
		return
	case plus && n >= 8 && n <= 15:
		kind = RedactPhone
	case d[0].val == 0 && n >= 10 && n <= 12:
		kind = RedactPhone
	case n >= r.minDigits:
		kind = RedactNumber
	default:
		return
	}
	if !r.kinds[kind] {
		if kind == RedactIDNumber && hasMobile(d) && r.kinds[RedactPhone] {
			kind = RedactPhone
		} else if kind != RedactNumber && r.kinds[RedactNumber] && !letterBefore && !letterAfter && n >= r.minDigits {
			kind = RedactNumber
		} else {
			return
		}
	}
	note(kind, start, xEnd)
	keep := r.keep[kind]
	total := n
	if xEnd > end {
		total++
	}
	if total-keep.First-keep.Last < 4 {
		keep = RedactKeep{}
	}
	for k, p := range d {
		if k >= keep.First && k < total-keep.Last {
			for j := p.at; j < p.at+p.w; j++ {
				hide[j] = true
			}
		}
	}
	if xEnd > end && keep.Last == 0 {
		hide[end] = true
	}
}

// hasMobile reports whether the digits contain a Chinese mobile number:
// 1, then 3–9, then nine more digits.
func hasMobile(d []digitPos) bool {
	for i := 0; i+11 <= len(d); i++ {
		if d[i].val == 1 && d[i+1].val >= 3 {
			return true
		}
	}
	return false
}

// ArchiveName builds document 002's archive name "customer ID + feedback
// date + problem type", e.g. ArchiveName("C1001", day, "product_fault") ==
// "C1001_20240301_product_fault". The date is taken in its own location.
// Characters that are unsafe in file names (path separators, spaces,
// control characters, ":*?\"<>|") become '-'. Empty parts are an error.
func ArchiveName(customerID string, feedbackDate time.Time, problemType string) (string, error) {
	clean := func(field, s string) (string, error) {
		s = strings.TrimSpace(s)
		if s == "" {
			return "", fmt.Errorf("feedback: archive name: %s %w", field, ErrRequired)
		}
		s = strings.ToValidUTF8(s, "-")
		return strings.Map(func(c rune) rune {
			if unicode.IsSpace(c) || unicode.IsControl(c) || unicode.Is(unicode.Cf, c) || strings.ContainsRune(`/\:*?"<>|`, c) {
				return '-'
			}
			return c
		}, s), nil
	}
	c, err := clean("customer_id", customerID)
	if err != nil {
		return "", err
	}
	p, err := clean("problem_type", problemType)
	if err != nil {
		return "", err
	}
	if feedbackDate.IsZero() {
		return "", fmt.Errorf("feedback: archive name: feedback date %w", ErrRequired)
	}
	return c + "_" + feedbackDate.Format("20060102") + "_" + p, nil
}
