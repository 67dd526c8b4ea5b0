package intake

import (
	"math"
	"strings"
	"unicode/utf8"

	"github.com/closeloop/closeloop/internal/rulesjson"
	"github.com/closeloop/closeloop/internal/textcheck"
)

// Limits of a classifier.
const (
	// MaxClassifierWeight is the largest rule weight. Scores are sums of
	// weight × occurrences that stop at [math.MaxInt] instead of wrapping.
	MaxClassifierWeight = 1_000_000
	// MaxKeywordLength is the longest keyword, in characters after folding.
	MaxKeywordLength = 100
	// MaxListedMatches is how many keyword matches a [Classification] lists;
	// scores count every match, and [Classification.MoreMatches] says how many
	// were not listed.
	MaxListedMatches = 256
)

// ClassifierRule suggests a category (and sub-category) and tags when any of
// its keywords occurs in a description. Weight (1..MaxClassifierWeight,
// default 1) is added to the rule's category once per keyword occurrence.
type ClassifierRule struct {
	Name        string   `json:"name"`
	Keywords    []string `json:"keywords"`
	Category    string   `json:"category,omitempty"`
	SubCategory string   `json:"sub_category,omitempty"`
	Tags        []string `json:"tags,omitempty"`
	Weight      int      `json:"weight,omitempty"`
}

// SentimentKeywords lists the words that signal each sentiment.
type SentimentKeywords struct {
	Satisfied    []string `json:"satisfied,omitempty"`
	Dissatisfied []string `json:"dissatisfied,omitempty"`
}

// ClassifierSpec is the rules data of the classification assist.
type ClassifierSpec struct {
	Rules     []ClassifierRule  `json:"rules"`
	Sentiment SentimentKeywords `json:"sentiment"`
}

// KeywordMatch is one keyword found in the text.
type KeywordMatch struct {
	Keyword string `json:"keyword"` // as written in the rules
	Rule    string `json:"rule"`    // rule name, or "sentiment:satisfied" / "sentiment:dissatisfied"
	Offset  int    `json:"offset"`  // byte offset in the classified text
}

// Classification is a suggestion; the host (or a person) decides.
type Classification struct {
	Category    string `json:"category,omitempty"`     // "" when no rule with a category matched
	SubCategory string `json:"sub_category,omitempty"` // from the best-scoring rule of Category that has one
	Score       int    `json:"score"`                  // the winning category's score
	// Scores holds every category's score, in rule order of first appearance.
	Scores    []CategoryScore `json:"scores,omitempty"`
	Tags      []string        `json:"tags,omitempty"`    // union of the matched rules' tags, in rule order
	Rules     []string        `json:"rules,omitempty"`   // names of the rules that matched, in rule order
	Sentiment Sentiment       `json:"sentiment"`         // neutral when the sentiment words balance or none occur
	Matches   []KeywordMatch  `json:"matches,omitempty"` // in text order, the first MaxListedMatches
	// MoreMatches counts the matches beyond the first [MaxListedMatches],
	// which the scores include but Matches does not list.
	MoreMatches int `json:"more_matches,omitempty"`
}

// CategoryScore is one category's total keyword weight.
type CategoryScore struct {
	Category string `json:"category"`
	Score    int    `json:"score"`
}

// Classifier suggests category, tags and sentiment from free text by keyword
// rules. It is immutable and safe for concurrent use.
//
// Matching: text and keywords are compared case-insensitively, with
// full-width letters and digits folded to half-width; Chinese keywords match
// anywhere (Chinese has no spaces between words), while a keyword that begins
// or ends with an ASCII letter or digit only matches at a word boundary on
// that side ("ui" does not match inside "build"). Overlapping occurrences are
// resolved leftmost-longest: in "不满意" the keyword "不满意" wins over "满意".
// Keywords do not understand negation beyond that.
//
// Cost: Classify reads the text once through an Aho–Corasick automaton and
// counts occurrences per keyword as it goes, so time and memory are linear
// in the text for any keyword set (memory: the folded text, one slot per
// byte of the longest keyword, one counter per keyword and the listed
// matches); compiling is linear in the total length of the keywords.
type Classifier struct {
	m        *keywordMatcher
	patterns []string     // folded
	owners   [][]patOwner // pattern -> owners
	rules    []ClassifierRule
}

type patOwner struct {
	rule    int // rule index, or -1 satisfied, -2 dissatisfied
	keyword string
}

// ParseClassifier strictly decodes and compiles a [ClassifierSpec]. With a
// non-nil taxonomy, categories, sub-categories and tags must exist in it.
func ParseClassifier(data []byte, tax *Taxonomy) (*Classifier, error) {
	var spec ClassifierSpec
	if err := rulesjson.Decode(data, &spec); err != nil {
		return nil, err
	}
	return NewClassifier(spec, tax)
}

// NewClassifier validates and compiles spec. Errors are
// *[closeloop.PathError].
func NewClassifier(spec ClassifierSpec, tax *Taxonomy) (*Classifier, error) {
	c := &Classifier{}
	index := map[string]int{}
	// path is called only for an error: rendering every keyword's path up
	// front costs memory for nothing on a long keyword list.
	addPattern := func(path func() string, kw string, owner patOwner) error {
		if msg := textcheck.Problem(kw, false); msg != "" {
			return rulesjson.Errorf(path(), "%s", msg)
		}
		f := foldString(strings.TrimSpace(kw))
		if f == "" {
			return rulesjson.Errorf(path(), "must not be blank")
		}
		if utf8.RuneCountInString(f) > MaxKeywordLength {
			return rulesjson.Errorf(path(), "longer than %d characters", MaxKeywordLength)
		}
		i, ok := index[f]
		if !ok {
			i = len(c.patterns)
			index[f] = i
			c.patterns = append(c.patterns, f)
			c.owners = append(c.owners, nil)
		}
		for _, o := range c.owners[i] {
			if o.rule == owner.rule {
				return nil // same keyword twice in one rule: harmless
			}
		}
		c.owners[i] = append(c.owners[i], owner)
		return nil
	}
	names := map[string]bool{}
	for i, r := range spec.Rules {
		p := rulesjson.Index("$.rules", i)
		r.Tags = append([]string(nil), r.Tags...)
		r.Keywords = append([]string(nil), r.Keywords...)
		if strings.TrimSpace(r.Name) == "" || textcheck.Problem(r.Name, false) != "" {
			return nil, rulesjson.Errorf(rulesjson.Field(p, "name"), "must be a non-blank single line")
		}
		if names[r.Name] {
			return nil, rulesjson.Errorf(rulesjson.Field(p, "name"), "duplicate rule name %q", r.Name)
		}
		names[r.Name] = true
		if len(r.Keywords) == 0 {
			return nil, rulesjson.Errorf(rulesjson.Field(p, "keywords"), "needs at least one keyword")
		}
		if r.Category == "" && r.SubCategory == "" && len(r.Tags) == 0 {
			return nil, rulesjson.Errorf(p, "suggests nothing: give a category or tags")
		}
		if r.SubCategory != "" && r.Category == "" {
			return nil, rulesjson.Errorf(rulesjson.Field(p, "sub_category"), "needs a category")
		}
		if r.Weight < 0 || r.Weight > MaxClassifierWeight {
			return nil, rulesjson.Errorf(rulesjson.Field(p, "weight"), "must be 1..%d (0 means 1)", MaxClassifierWeight)
		}
		if r.Weight == 0 {
			r.Weight = 1
		}
		if tax != nil {
			if r.Category != "" {
				id, err := tax.Resolve(DimensionCategory, r.Category)
				if err != nil {
					return nil, rulesjson.Wrap(rulesjson.Field(p, "category"), err)
				}
				r.Category = id
			}
			if r.SubCategory != "" {
				id, err := tax.ResolveSubCategory(r.Category, r.SubCategory)
				if err != nil {
					return nil, rulesjson.Wrap(rulesjson.Field(p, "sub_category"), err)
				}
				r.SubCategory = id
			}
			for j, tag := range r.Tags {
				id, err := tax.Resolve(DimensionTag, tag)
				if err != nil {
					return nil, rulesjson.Wrap(rulesjson.Index(rulesjson.Field(p, "tags"), j), err)
				}
				r.Tags[j] = id
			}
		}
		for j, kw := range r.Keywords {
			path := func() string { return rulesjson.Index(rulesjson.Field(p, "keywords"), j) }
			if err := addPattern(path, kw, patOwner{rule: i, keyword: kw}); err != nil {
				return nil, err
			}
		}
		c.rules = append(c.rules, r)
	}
	for j, kw := range spec.Sentiment.Satisfied {
		path := func() string { return rulesjson.Index("$.sentiment.satisfied", j) }
		if err := addPattern(path, kw, patOwner{rule: -1, keyword: kw}); err != nil {
			return nil, err
		}
	}
	for j, kw := range spec.Sentiment.Dissatisfied {
		path := func() string { return rulesjson.Index("$.sentiment.dissatisfied", j) }
		if err := addPattern(path, kw, patOwner{rule: -2, keyword: kw}); err != nil {
			return nil, err
		}
	}
	for i, owners := range c.owners {
		sat, dis := false, false
		for _, o := range owners {
			sat = sat || o.rule == -1
			dis = dis || o.rule == -2
		}
		if sat && dis {
			return nil, rulesjson.Errorf("$.sentiment", "keyword %q is both satisfied and dissatisfied", c.patterns[i])
		}
	}
	c.m = newKeywordMatcher(c.patterns)
	return c, nil
}

func isASCIIWord(b byte) bool {
	return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' || b >= '0' && b <= '9' || b == '_'
}

// Classify suggests category, tags and sentiment for text.
func (c *Classifier) Classify(text string) Classification {
	var fbuf [1024]byte
	dst := fbuf[:0]
	if len(text) > len(fbuf) {
		dst = make([]byte, 0, len(text)+16) // folding rarely lengthens text; growing by append costs five times it
	}
	folded := foldInto(dst, text)
	var hbuf [32]int
	var ruleHits []int // occurrences picked, per rule
	if len(c.rules) <= len(hbuf) {
		ruleHits = hbuf[:len(c.rules)]
	} else {
		ruleHits = make([]int, len(c.rules))
	}
	var lbuf [16]rawMatch
	listed := lbuf[:0] // the first occurrences picked, enough to list MaxListedMatches matches
	matches, sentiment := 0, 0
	c.m.leftmostLongest(folded, func(start, end int, pat int32) bool {
		p := c.patterns[pat]
		if isASCIIWord(p[0]) && start > 0 && isASCIIWord(folded[start-1]) {
			return false
		}
		if isASCIIWord(p[len(p)-1]) && end < len(folded) && isASCIIWord(folded[end]) {
			return false
		}
		return true
	}, func(start, end int, pat int32) {
		if matches < MaxListedMatches {
			listed = append(listed, rawMatch{start: start, end: end, pat: pat})
		}
		// One match per rule (or sentiment) owning the keyword.
		for _, o := range c.owners[pat] {
			matches++
			switch {
			case o.rule >= 0:
				ruleHits[o.rule]++
			case o.rule == -1:
				sentiment++
			default:
				sentiment--
			}
		}
	})
	var out Classification
	if matches == 0 {
		out.Sentiment = SentimentNeutral
		return out
	}
	offsets := foldedToOriginal(text, listed)
	for k, m := range listed {
		for _, o := range c.owners[m.pat] {
			if len(out.Matches) == MaxListedMatches {
				break
			}
			rule := "sentiment:satisfied"
			switch {
			case o.rule >= 0:
				rule = c.rules[o.rule].Name
			case o.rule == -2:
				rule = "sentiment:dissatisfied"
			}
			out.Matches = append(out.Matches, KeywordMatch{Keyword: o.keyword, Rule: rule, Offset: offsets[k]})
		}
	}
	out.MoreMatches = matches - len(out.Matches)
	switch {
	case sentiment > 0:
		out.Sentiment = SentimentSatisfied
	case sentiment < 0:
		out.Sentiment = SentimentDissatisfied
	default:
		out.Sentiment = SentimentNeutral
	}
	for i, hits := range ruleHits {
		if hits == 0 {
			continue
		}
		r := c.rules[i]
		out.Rules = append(out.Rules, r.Name)
		for _, t := range r.Tags {
			if !containsString(out.Tags, t) {
				out.Tags = append(out.Tags, t)
			}
		}
		if r.Category == "" {
			continue
		}
		score := satMul(hits, r.Weight)
		found := false
		for j := range out.Scores {
			if out.Scores[j].Category == r.Category {
				out.Scores[j].Score = satAdd(out.Scores[j].Score, score)
				found = true
			}
		}
		if !found {
			out.Scores = append(out.Scores, CategoryScore{Category: r.Category, Score: score})
		}
	}
	for _, s := range out.Scores {
		if s.Score > out.Score {
			out.Category, out.Score = s.Category, s.Score
		}
	}
	if out.Category != "" {
		best := 0
		for i, hits := range ruleHits {
			r := c.rules[i]
			if hits > 0 && r.Category == out.Category && r.SubCategory != "" && satMul(hits, r.Weight) > best {
				best = satMul(hits, r.Weight)
				out.SubCategory = r.SubCategory
			}
		}
	}
	return out
}

// satAdd and satMul add and multiply non-negative ints, stopping at
// math.MaxInt instead of wrapping: a wrapped score would let the wrong
// category win.
func satAdd(a, b int) int {
	if a > math.MaxInt-b {
		return math.MaxInt
	}
	return a + b
}

func satMul(a, b int) int {
	if a != 0 && b > math.MaxInt/a {
		return math.MaxInt
	}
	return a * b
}

func containsString(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// foldInto appends the folded form of s to dst.
func foldInto(dst []byte, s string) []byte {
	for i := 0; i < len(s); {
		b := s[i]
		if b < utf8.RuneSelf {
			if b >= 'A' && b <= 'Z' {
				b += 'a' - 'A'
			}
			dst = append(dst, b)
			i++
			continue
		}
		// Fast path: U+4000..U+9FFF (most Chinese text) has no case; copy
		// the three bytes once they are known to be well formed.
		if b >= 0xE4 && b <= 0xE9 && i+2 < len(s) && s[i+1]&0xC0 == 0x80 && s[i+2]&0xC0 == 0x80 {
			dst = append(dst, b, s[i+1], s[i+2])
			i += 3
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			dst = append(dst, 0) // invalid byte: matches nothing
			i++
			continue
		}
		dst = utf8.AppendRune(dst, foldRune(r))
		i += n
	}
	return dst
}

// foldedToOriginal maps the folded start offsets of ms (sorted by start) to
// byte offsets in the original text.
func foldedToOriginal(s string, ms []rawMatch) []int {
	out := make([]int, len(ms))
	fpos, k := 0, 0
	var buf [utf8.UTFMax]byte
	for i := 0; i < len(s) && k < len(ms); {
		for k < len(ms) && ms[k].start <= fpos {
			out[k] = i
			k++
		}
		b := s[i]
		if b < utf8.RuneSelf {
			fpos++
			i++
			continue
		}
		r, n := utf8.DecodeRuneInString(s[i:])
		if r == utf8.RuneError && n == 1 {
			fpos++
		} else {
			fpos += utf8.EncodeRune(buf[:], foldRune(r))
		}
		i += n
	}
	for ; k < len(ms); k++ {
		out[k] = len(s)
	}
	return out
}
