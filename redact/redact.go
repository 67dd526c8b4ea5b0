package redact

import (
	"slices"
	"sort"
	"strings"
	"unicode"
	"unicode/utf8"

	"github.com/closeloop/closeloop/intake"
	"github.com/closeloop/closeloop/internal/rulesjson"
	"github.com/closeloop/closeloop/internal/textcheck"
)

// Kind names a kind of personal data.
type Kind string

// The kinds of personal data a [Redactor] finds.
const (
	Phone    Kind = "phone"     // Chinese mobile (1[3-9]x, ±86), landline with area code (0xx-), international +CC…
	Email    Kind = "email"     // local part masked, domain kept
	IDNumber Kind = "id_number" // Chinese resident ID, 18 digits (last may be X) or 15 digits
	Number   Kind = "number"    // any other run of at least MinNumberDigits digits (cards, accounts, QQ)
	Address  Kind = "address"   // street, house number, building and room; the district is kept
	Name     Kind = "name"      // names (and any other strings) the host passes in
)

var allKinds = []Kind{Phone, Email, IDNumber, Number, Address, Name}

// Keep says how many characters stay visible at each end of a finding
// (for numbers: digits, separators are not counted).
type Keep struct {
	First int `json:"first"`
	Last  int `json:"last"`
}

// Spec is the rules data of a [Redactor].
type Spec struct {
	// Mask replaces each hidden character; default "*". It must not contain
	// digits, letters or control characters.
	Mask string `json:"mask,omitempty"`
	// Kinds enables kinds; nil means all.
	Kinds []Kind `json:"kinds,omitempty"`
	// Keep overrides the visible ends per kind. Defaults: phone 3+4 (document
	// 002's 138****5678), id_number 3+4, number 0+4, email local part 1+0,
	// name 1+0 (the surname stays: 张*), address 0+0. Numeric kinds keep at
	// most 4 digits at each end, and at least 4 digits are always hidden (a
	// shorter number is hidden whole).
	Keep map[Kind]Keep `json:"keep,omitempty"`
	// MinNumberDigits is the shortest digit run masked as [Number]
	// (default 7).
	MinNumberDigits int `json:"min_number_digits,omitempty"`
	// Names are strings masked wherever they occur (staff or VIP names,
	// company names); Redact takes more per call.
	Names []string `json:"names,omitempty"`
}

// Finding is one piece of personal data found in a text.
type Finding struct {
	Kind  Kind `json:"kind"`
	Start int  `json:"start"` // byte offsets in the input
	End   int  `json:"end"`
}

// Redactor masks personal data in free text (descriptions, exports,
// archives, SMS). It is immutable and safe for concurrent use. It over-masks
// rather than leak.
//
// It reads the text normalized, so that look-alike characters and invisible
// or unusual separators cannot hide anything: NFKC (full-width letters,
// digits, ＠ and punctuation become ASCII), zero-width and other invisible
// characters dropped, every kind of space, dash, underscore, comma and
// middle dot folded to one ASCII separator, digits of every script read as
// digits. What it finds is then masked in the original text, character for
// character.
//
// What it finds, in plain words:
//   - e-mail addresses, with a non-ASCII local part (张三@example.com), an
//     internationalised domain (zhang.san@例子.中国) or a spelled-out at
//     and dot (zhang.san[at]example[dot]com); the local part is masked, the
//     domain kept;
//   - Chinese resident ID numbers (18 digits, the last may be X, or 15);
//   - phone numbers: any digit group containing a Chinese mobile number (1
//     then 3–9 then nine digits, wherever it sits, even glued to letters or
//     other digits), landlines written with their area code (0xx…, 10–12
//     digits), international numbers written with '+' (8–15 digits);
//   - any other digit group of MinNumberDigits or more digits not glued to
//     letters, and card-like groups (13–19 digits passing the Luhn check)
//     even when glued to letters;
//   - Chinese street addresses (路/街/道/巷/弄 + number + 号, with whatever
//     building, unit and room follow: the province, city and district stay
//     visible), residential compounds (…小区3栋2单元501), building, unit and
//     room numbers on their own (5号楼1201), English street addresses
//     ("221B Baker Street"), flats and P.O. boxes;
//   - the names it is given, also when spaced out or written in other
//     widths.
//
// A digit group is digits (ASCII, any script, or the Chinese numerals
// 〇零一…九 and 幺) joined by runs of at most three separators " -.,()/|"
// after folding, so "+86 138-1234-5678", "138－1234－5678" and
// "一三八 一二三四 五六七八" are each one group. Left alone: dates such as
// 2024-03-01 (years 1900–2099, with an optional time) unless their digits
// are part of a phone or ID number, amounts written with thousands
// separators up to 9 digits (1,234,567.89), and feedback and ticket numbers
// with a letter prefix (F20240301001, CS20240301001) unless they contain a
// mobile, ID or card number.
type Redactor struct {
	mask      string
	kinds     map[Kind]bool
	keep      map[Kind]Keep
	minDigits int
	names     []string
}

// Parse strictly decodes and compiles a [Spec].
func Parse(data []byte) (*Redactor, error) {
	var spec Spec
	if err := rulesjson.Decode(data, &spec); err != nil {
		return nil, err
	}
	return New(spec)
}

// Default returns a [Redactor] that masks every kind with "*" and the
// default keeps.
func Default() *Redactor {
	r, err := New(Spec{})
	if err != nil {
		panic("redact: default redactor: " + err.Error())
	}
	return r
}

// New validates and compiles spec. Errors are
// *[github.com/closeloop/closeloop.PathError].
func New(spec Spec) (*Redactor, error) {
	r := &Redactor{
		mask:  spec.Mask,
		kinds: map[Kind]bool{},
		keep: map[Kind]Keep{
			Phone: {3, 4}, IDNumber: {3, 4}, Number: {0, 4},
			Email: {1, 0}, Name: {1, 0}, Address: {0, 0},
		},
		minDigits: 7,
	}
	if r.mask == "" {
		r.mask = "*"
	}
	if textcheck.Problem(r.mask, false) != "" || utf8.RuneCountInString(r.mask) > 8 ||
		strings.IndexFunc(r.mask, func(c rune) bool { return unicode.IsDigit(c) || unicode.IsLetter(c) }) >= 0 {
		return nil, rulesjson.Errorf("$.mask", "must be 1–8 characters without digits, letters or control characters")
	}
	if spec.Kinds == nil {
		spec.Kinds = allKinds
	}
	for i, k := range spec.Kinds {
		if !slices.Contains(allKinds, k) {
			return nil, rulesjson.Errorf(rulesjson.Index("$.kinds", i), "unknown kind %q", k)
		}
		r.kinds[k] = true
	}
	for _, k := range sortedKeys(stringKeyed(spec.Keep)) {
		kind := Kind(k)
		keep := spec.Keep[kind]
		p := rulesjson.Field("$.keep", k)
		if !slices.Contains(allKinds, kind) {
			return nil, rulesjson.Errorf(p, "unknown kind %q", k)
		}
		if keep.First < 0 || keep.Last < 0 {
			return nil, rulesjson.Errorf(p, "must not be negative")
		}
		numeric := kind == Phone || kind == IDNumber || kind == Number
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
	// At its final length at once: appending a long list would allocate
	// about five times its size (Go grows large slices by a quarter).
	r.names = slices.Grow(r.names, len(spec.Names))
	for i, n := range spec.Names {
		n = strings.TrimSpace(n)
		if textcheck.Problem(n, false) != "" || utf8.RuneCountInString(n) < 2 {
			return nil, rulesjson.Errorf(rulesjson.Index("$.names", i), "must be a single line of at least 2 characters")
		}
		r.names = append(r.names, n)
	}
	return r, nil
}

func stringKeyed[V any](m map[Kind]V) map[string]V {
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

// RedactFindings is [Redactor.Redact] that also reports what it found, in text
// order. Findings may overlap (an e-mail whose local part is a phone number);
// every character any finding hides is hidden.
//
// The text is read normalized (see the [Redactor] doc): the finders work on
// the normalized form, and each character they hide hides the original
// characters it came from, so the output is the input with some characters
// replaced by the mask and nothing else changed; offsets are the input's.
func (r *Redactor) RedactFindings(text string, names ...string) (string, []Finding) {
	n := normalize(text)
	hide := make([]bool, len(n.s))
	var found []Finding
	note := func(kind Kind, start, end int) {
		s, e := n.orig(start, end)
		found = append(found, Finding{Kind: kind, Start: s, End: e})
	}
	if r.kinds[Email] {
		r.emails(n.s, hide, note)
	}
	if r.kinds[Address] {
		r.addresses(n.s, hide, note)
	}
	if r.kinds[Name] {
		all := append(append([]string(nil), r.names...), names...)
		r.knownStrings(n.s, all, hide, note)
	}
	r.numbers(n.s, hide, note)
	if len(found) == 0 {
		return text, nil
	}
	slices.SortStableFunc(found, func(a, b Finding) int { return a.Start - b.Start })
	origHide := make([]bool, len(text))
	for i, h := range hide {
		if h {
			for j := n.from[i]; j < n.to[i]; j++ {
				origHide[j] = true
			}
		}
	}
	var b strings.Builder
	b.Grow(len(text))
	for i := 0; i < len(text); {
		_, w := utf8.DecodeRuneInString(text[i:])
		if origHide[i] {
			b.WriteString(r.mask)
		} else {
			b.WriteString(text[i : i+w])
		}
		i += w
	}
	return b.String(), found
}

// RedactIntake returns a copy of in fit for an export or an archive
// (document 002 §5.4): the customer's name masked (surname kept), the
// contact masked (a phone as 138****5678, anything else but its first
// character), and the description, expected solution, tried remedies, owner
// and attribute values redacted, with the customer's name and contact masked
// wherever they occur in them. IDs, dates and taxonomy values are kept.
func (r *Redactor) RedactIntake(in intake.Intake) intake.Intake {
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

// sortedKeys is a small helper for deterministic output.
func sortedKeys[V any](m map[string]V) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
