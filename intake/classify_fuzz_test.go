package intake

import (
	"encoding/json"
	"errors"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/closeloop/closeloop/internal/rulesjson"
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

// FuzzClassifierJSON: ParseClassifier never panics and refuses only with a
// *PathError; an accepted classifier classifies any text with scores that
// never go negative and at most MaxListedMatches matches listed.
func FuzzClassifierJSON(f *testing.F) {
	preset, err := json.Marshal(PresetClassifierSpec())
	if err != nil {
		f.Fatal(err)
	}
	f.Add(preset, "手机充电慢，电池故障，很不满意")
	f.Add([]byte(`{"rules":[{"name":"a","keywords":["a","aa","aaa"],"category":"c","weight":1000000}]}`), strings.Repeat("a", 300))
	f.Add([]byte(`{"rules":[{"name":"a","keywords":["ui"],"tags":["t"]}],"sentiment":{"satisfied":["好"],"dissatisfied":["不好"]}}`), "UI 不好 好")
	f.Add([]byte(`{"rules":[{"name":"a","keywords":["x"],"category":"c","weight":4611686018427387904}]}`), "x x x x")
	f.Add([]byte(`{"rules":[`), "")
	f.Fuzz(func(t *testing.T, data []byte, text string) {
		c, err := ParseClassifier(data, nil)
		if err != nil {
			var pe *rulesjson.PathError
			if !errors.As(err, &pe) {
				t.Fatalf("error without a path: %T %v", err, err)
			}
			return
		}
		got := c.Classify(text)
		if got.Score < 0 || got.MoreMatches < 0 || len(got.Matches) > MaxListedMatches {
			t.Fatalf("score %d, %d listed, %d more", got.Score, len(got.Matches), got.MoreMatches)
		}
		for _, s := range got.Scores {
			if s.Score < 0 || s.Score > got.Score {
				t.Fatalf("category %s scores %d, the winner %d", s.Category, s.Score, got.Score)
			}
		}
	})
}
