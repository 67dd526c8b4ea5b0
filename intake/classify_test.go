package intake

import (
	"errors"
	"fmt"
	"strings"
	"testing"

	"github.com/closeloop/closeloop/internal/rulesjson"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestClassifyPreset(t *testing.T) {
	c := PresetClassifier()
	tests := []struct {
		name, text    string
		category, sub string
		tags          []string
		sentiment     Sentiment
		keywords      []string
		rulesFired    []string
	}{
		{"002 row 1", "手机充电1小时仅充入20%，怀疑电池故障", "product_fault", "malfunction",
			[]string{"battery", "feature_defect"}, SentimentNeutral, []string{"充电", "电池", "故障"}, []string{"battery", "malfunction"}},
		{"002 row 1 traditional", "手機充電1小時僅充入20%,懷疑電池故障", "product_fault", "malfunction",
			[]string{"battery", "feature_defect"}, SentimentNeutral, []string{"充電", "電池", "故障"}, []string{"battery", "malfunction"}},
		{"002 row 2", "安装师傅未穿工服，且未主动讲解使用注意事项", "service_experience", "attitude",
			[]string{"installation", "bad_attitude"}, SentimentNeutral, []string{"安装师傅", "未穿工服", "未主动讲解"}, []string{"installation", "attitude"}},
		{"003 slow phone line", "客服电话等待超过20分钟，且未解决问题，很失望", "service_experience", "response_speed",
			[]string{"slow_response"}, SentimentDissatisfied, []string{"等待超过", "失望"}, []string{"response-speed"}},
		{"002 follow-up praise", "处理速度快，工程师很专业，满意", "", "", nil, SentimentSatisfied,
			[]string{"速度快", "很专业", "满意"}, nil},
		{"negation wins leftmost-longest", "对处理结果不满意", "", "", nil, SentimentDissatisfied, []string{"不满意"}, nil},
		{"english, case-insensitive", "The App CRASHES? No: it shows an Error and the battery drains. Terrible!", "product_fault", "malfunction",
			[]string{"battery", "feature_defect"}, SentimentDissatisfied, []string{"error", "battery", "terrible"}, []string{"battery", "malfunction"}},
		{"word boundary for ascii keywords", "the build failed while building guide", "", "", nil, SentimentNeutral, nil, nil},
		{"full-width folds", "ＵＩ太丑，希望增加夜间模式", "demand_suggestion", "feature_optimization",
			[]string{"ui_issue"}, SentimentNeutral, []string{"ui", "希望", "增加", "夜间模式"}, []string{"ui", "suggestion", "new-feature"}},
		{"complaint outweighs", "我要投诉，电池有问题，要求退款", "complaint", "", []string{"battery"}, SentimentDissatisfied,
			[]string{"投诉", "投诉", "电池", "退款"}, []string{"battery", "complaint"}},
		{"nothing", "你好", "", "", nil, SentimentNeutral, nil, nil},
		{"empty", "", "", "", nil, SentimentNeutral, nil, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got := c.Classify(tc.text)
			assert.Equal(t, tc.category, got.Category)
			assert.Equal(t, tc.sub, got.SubCategory)
			assert.Equal(t, tc.tags, got.Tags)
			assert.Equal(t, tc.sentiment, got.Sentiment)
			assert.Equal(t, tc.rulesFired, got.Rules)
			var kws []string
			for _, m := range got.Matches {
				kws = append(kws, m.Keyword)
				// Offsets point at the keyword in the original text (modulo case and width folding).
				assert.Equal(t, foldString(m.Keyword), foldString(tc.text[m.Offset:m.Offset+len(foldedPrefix(tc.text[m.Offset:], m.Keyword))]))
			}
			assert.Equal(t, tc.keywords, kws)
		})
	}
}

// foldedPrefix returns the prefix of s whose folded form has the length of
// keyword's folded form.
func foldedPrefix(s, keyword string) string {
	want := len(foldString(keyword))
	n := 0
	for i, r := range s {
		if n >= want {
			return s[:i]
		}
		n += len(string(foldRune(r)))
	}
	return s
}

func TestClassifyScoresAndWeights(t *testing.T) {
	c, err := ParseClassifier([]byte(`{
		"rules": [
			{"name": "a", "keywords": ["slow"], "category": "service"},
			{"name": "b", "keywords": ["broken", "dead"], "category": "product", "sub_category": "hw", "weight": 3},
			{"name": "c", "keywords": ["broken"], "tags": ["hw"]}
		],
		"sentiment": {"satisfied": ["ok"], "dissatisfied": ["not ok"]}
	}`), nil)
	require.NoError(t, err)
	got := c.Classify("slow slow slow, broken, not ok")
	assert.Equal(t, []CategoryScore{{"service", 3}, {"product", 3}}, got.Scores)
	assert.Equal(t, "service", got.Category, "ties go to the category of the earlier rule")
	assert.Equal(t, 3, got.Score)
	assert.Equal(t, []string{"hw"}, got.Tags)
	assert.Equal(t, SentimentDissatisfied, got.Sentiment)
	got = c.Classify("dead and broken but ok")
	assert.Equal(t, "product", got.Category)
	assert.Equal(t, "hw", got.SubCategory)
	assert.Equal(t, 6, got.Score)
	assert.Equal(t, SentimentSatisfied, got.Sentiment)
	assert.Equal(t, []string{"b", "c"}, got.Rules)
}

func TestClassifierBadSpecs(t *testing.T) {
	tax := presetTaxonomy(PresetAfterSales)
	tests := []struct{ json, path string }{
		{`{"rules":[{"name":"","keywords":["a"],"category":"product_fault"}]}`, "$.rules[0].name"},
		{`{"rules":[{"name":"a","keywords":["a"],"category":"product_fault"},{"name":"a","keywords":["b"],"category":"complaint"}]}`, "$.rules[1].name"},
		{`{"rules":[{"name":"a","keywords":[],"category":"product_fault"}]}`, "$.rules[0].keywords"},
		{`{"rules":[{"name":"a","keywords":["x"]}]}`, "$.rules[0]"},
		{`{"rules":[{"name":"a","keywords":["x"],"sub_category":"malfunction"}]}`, "$.rules[0].sub_category"},
		{`{"rules":[{"name":"a","keywords":["x"],"category":"logistics"}]}`, "$.rules[0].category"},
		{`{"rules":[{"name":"a","keywords":["x"],"category":"product_fault","sub_category":"attitude"}]}`, "$.rules[0].sub_category"},
		{`{"rules":[{"name":"a","keywords":["x"],"tags":["packaging"]}]}`, "$.rules[0].tags[0]"},
		{`{"rules":[{"name":"a","keywords":["x"],"category":"complaint","weight":-1}]}`, "$.rules[0].weight"},
		{`{"rules":[{"name":"a","keywords":[" "],"category":"complaint"}]}`, "$.rules[0].keywords[0]"},
		{`{"rules":[{"name":"a","keywords":["a\u0000"],"category":"complaint"}]}`, "$.rules[0].keywords[0]"},
		{`{"rules":[],"sentiment":{"satisfied":["好"],"dissatisfied":["好"]}}`, "$.sentiment"},
		{`{"rules":[],"sentiment":{"happy":["好"]}}`, "$.sentiment"},
		{`{"rules":[{"name":"a","keywords":["x"],"category":"complaint","regex":".*"}]}`, "$.rules[0]"},
	}
	for _, tc := range tests {
		_, err := ParseClassifier([]byte(tc.json), tax)
		var pe *rulesjson.PathError
		require.True(t, errors.As(err, &pe), "%s: %v", tc.json, err)
		assert.Contains(t, pe.Path, tc.path, "%s: %v", tc.json, err)
	}
}

func TestKeywordMatcherAgainstNaive(t *testing.T) {
	patterns := []string{"he", "she", "his", "hers", "电池", "电池故障", "故障", "a", "aa", "aaa"}
	m := newKeywordMatcher(patterns)
	for _, text := range []string{"ushers", "电池故障与故障电池", "aaaa", "", "hishe"} {
		var got []rawMatch
		m.each([]byte(text), func(start, end int, pat int32) { got = append(got, rawMatch{start, end, pat}) })
		var want []rawMatch
		for end := 1; end <= len(text); end++ {
			for p, pat := range patterns {
				if end >= len(pat) && text[end-len(pat):end] == pat {
					want = append(want, rawMatch{start: end - len(pat), end: end, pat: int32(p)})
				}
			}
		}
		assert.ElementsMatch(t, want, got, text)
	}
}

func benchText() string {
	return "客户反馈：手机充电1小时仅充入20%，怀疑电池故障；已重启手机、更换充电器均无效。客服电话等待超过20分钟，" +
		"且未解决问题，非常失望，希望尽快给出解决方案，否则将投诉。The app also crashes with an error on startup."
}

// BenchmarkClassify classifies a ~300-byte mixed Chinese/English description
// with the preset rules (12 rules, ~130 keywords).
func BenchmarkClassify(b *testing.B) {
	c := PresetClassifier()
	text := benchText()
	b.ReportAllocs()
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		_ = c.Classify(text)
	}
}

// BenchmarkClassifyManyKeywords shows that the cost does not grow with the
// number of keywords: 5,000 generated keywords.
func BenchmarkClassifyManyKeywords(b *testing.B) {
	spec := PresetClassifierSpec()
	var kws []string
	for i := 0; i < 5000; i++ {
		kws = append(kws, fmt.Sprintf("型号%04d故障", i))
	}
	spec.Rules = append(spec.Rules, ClassifierRule{Name: "models", Keywords: kws, Category: "product_fault"})
	c, err := NewClassifier(spec, presetTaxonomy(PresetAfterSales))
	if err != nil {
		b.Fatal(err)
	}
	text := benchText() + strings.Repeat("型号0042故障", 2)
	b.ReportAllocs()
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		_ = c.Classify(text)
	}
}

// BenchmarkClassifyNaive is the peer baseline: strings.Contains per keyword
// over the lower-cased text.
func BenchmarkClassifyNaive(b *testing.B) {
	spec := PresetClassifierSpec()
	text := benchText()
	b.ReportAllocs()
	b.SetBytes(int64(len(text)))
	for b.Loop() {
		lower := strings.ToLower(text)
		n := 0
		for _, r := range spec.Rules {
			for _, k := range r.Keywords {
				n += strings.Count(lower, strings.ToLower(k))
			}
		}
		_ = n
	}
}
