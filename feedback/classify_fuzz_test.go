package feedback

import (
	"strings"
	"testing"
	"unicode/utf8"
)

// FuzzClassify: classification never panics, every reported offset points
// at its keyword in the original text, and leftmost-longest matches do not
// overlap.
func FuzzClassify(f *testing.F) {
	f.Add("手机充电1小时仅充入20%，怀疑电池故障")
	f.Add("ＵＩ太丑，不满意! The App CRASHES with an Error")
	f.Add("\xff电池\xe4故障İİ")
	f.Add("")
	f.Add("我要投诉，很不满意")
	c := PresetClassifier()
	f.Fuzz(func(t *testing.T, text string) {
		got := c.Classify(text)
		end, prev := -1, -1
		for _, m := range got.Matches {
			if m.Offset < 0 || m.Offset > len(text) {
				t.Fatalf("offset %d out of range for %q", m.Offset, text)
			}
			want := foldString(m.Keyword)
			have := foldString(foldedPrefix(text[m.Offset:], m.Keyword))
			if !utf8.ValidString(text[m.Offset:]) && strings.ContainsRune(have, utf8.RuneError) {
				continue
			}
			if have != want {
				t.Fatalf("match %q at %d but text has %q (%q)", m.Keyword, m.Offset, have, text)
			}
			if m.Offset == prev {
				continue // one keyword, several rules
			}
			if m.Offset < end {
				t.Fatalf("overlapping matches in %q: %+v", text, got.Matches)
			}
			prev, end = m.Offset, m.Offset+len(foldedPrefix(text[m.Offset:], m.Keyword))
		}
		switch got.Sentiment {
		case SentimentSatisfied, SentimentNeutral, SentimentDissatisfied:
		default:
			t.Fatalf("sentiment %q", got.Sentiment)
		}
	})
}
