package intake

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/closeloop/closeloop/internal/rulesjson"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var shanghai = mustLoc("Asia/Shanghai")

func mustLoc(name string) *time.Location {
	loc, err := time.LoadLocation(name)
	if err != nil {
		panic(err)
	}
	return loc
}

// row1 is document 002 table 1, first row (contact written in full here).
func row1() Form {
	return Form{
		FeedbackID: "F20240301001", CustomerName: "张*", Contact: "13856785678", Product: "手机Pro",
		PurchaseDate: "2024-02-15", Channel: "客服", ReceivedAt: "2024-03-01 10:30:00",
		Description:   "手机充电1小时仅充入20%，怀疑电池故障",
		TriedRemedies: "重启手机、更换充电器均无效", TicketNumber: "CS20240301001", Owner: "客服专员*",
		Category: "产品故障类",
	}
}

func testValidator(t *testing.T, spec ValidatorSpec) *Validator {
	t.Helper()
	if spec.TimeZone == "" {
		spec.TimeZone = "Asia/Shanghai"
	}
	v, err := NewValidator(spec, presetTaxonomy(PresetAfterSales))
	require.NoError(t, err)
	return v
}

func TestIntakeParseDocumentRows(t *testing.T) {
	v := testValidator(t, ValidatorSpec{})
	now := time.Date(2024, 3, 1, 12, 0, 0, 0, shanghai)
	in, err := v.Parse(row1(), now)
	require.NoError(t, err)
	assert.Equal(t, "phone", in.Channel)
	assert.Equal(t, "product_fault", in.Category)
	assert.True(t, in.ReceivedAt.Equal(time.Date(2024, 3, 1, 10, 30, 0, 0, shanghai)))
	assert.Equal(t, "2024-02-15", in.PurchaseDate.Format("2006-01-02"))

	row2 := Form{
		FeedbackID: "F20240301002", CustomerName: "李女士", Contact: "139 1234 5678", Product: "空调安装服务",
		PurchaseDate: "2024-02-28", Channel: "在线客服", ReceivedAt: "2024-03-01T14:15:00+08:00",
		Description: "安装师傅未穿工服，且未主动讲解使用注意事项", TriedRemedies: "无",
		TicketNumber: "CS20240301002", Category: "服务体验类", SubCategory: "服务态度",
		Sentiment: "不满意", Tier: "老客户", Kind: "投诉", Stage: "售后",
		Tags: []string{"安装", "installation", " 态度差 "}, Attributes: map[string]string{"型号": "KFR-35GW"},
	}
	in, err = v.Parse(row2, now.Add(6*time.Hour))
	require.NoError(t, err)
	assert.Equal(t, "online_chat", in.Channel)
	assert.Equal(t, "attitude", in.SubCategory)
	assert.Equal(t, SentimentDissatisfied, in.Sentiment)
	assert.Equal(t, "returning", in.Tier)
	assert.Equal(t, "complaint", in.Kind)
	assert.Equal(t, "after_sales", in.Stage)
	assert.Equal(t, []string{"installation", "bad_attitude"}, in.Tags, "resolved and de-duplicated")
	assert.Equal(t, map[string]string{"型号": "KFR-35GW"}, in.Attributes)
}

func TestIntakeRules(t *testing.T) {
	now := time.Date(2024, 3, 1, 12, 0, 0, 0, shanghai)
	tests := []struct {
		name   string
		rules  ValidatorSpec
		edit   func(*Form)
		fields []string
		is     error
	}{
		{"ok", ValidatorSpec{}, func(*Form) {}, nil, nil},
		{"required missing", ValidatorSpec{}, func(f *Form) { f.FeedbackID, f.Contact = "", "  " }, []string{"feedback_id", "contact"}, ErrRequired},
		{"required configurable", ValidatorSpec{Required: []string{FieldProduct, FieldTags}}, func(f *Form) { f.Product, f.Contact = "", "" }, []string{"product", "tags"}, ErrRequired},
		{"nothing required", ValidatorSpec{Required: []string{}}, func(f *Form) { *f = Form{} }, nil, nil},
		{"required time", ValidatorSpec{}, func(f *Form) { f.ReceivedAt = "" }, []string{"received_at"}, ErrRequired},
		{"inexact: no seconds", ValidatorSpec{}, func(f *Form) { f.ReceivedAt = "2024-03-01 10:30" }, []string{"received_at"}, ErrInexactTime},
		{"inexact: document's run-together", ValidatorSpec{}, func(f *Form) { f.ReceivedAt = "2024-03-0110:30" }, []string{"received_at"}, ErrInexactTime},
		{"inexact: words", ValidatorSpec{}, func(f *Form) { f.ReceivedAt, f.OccurredAt = "昨天", "recently" }, []string{"received_at", "occurred_at"}, ErrInexactTime},
		{"inexact purchase date", ValidatorSpec{}, func(f *Form) { f.PurchaseDate = "2024年2月" }, []string{"purchase_date"}, ErrInexactTime},
		{"future receipt", ValidatorSpec{}, func(f *Form) { f.ReceivedAt = "2024-03-01 12:06:00" }, []string{"received_at"}, ErrTimeOrder},
		{"within skew", ValidatorSpec{}, func(f *Form) { f.ReceivedAt = "2024-03-01 12:04:00" }, nil, nil},
		{"occurred after received", ValidatorSpec{}, func(f *Form) { f.OccurredAt = "2024-03-01 11:00:00" }, []string{"occurred_at"}, ErrTimeOrder},
		{"purchased after received", ValidatorSpec{}, func(f *Form) { f.PurchaseDate = "2024-03-02" }, []string{"purchase_date"}, ErrTimeOrder},
		{"too long", ValidatorSpec{MaxLengths: map[string]int{"description": 10}}, func(f *Form) {}, []string{"description"}, ErrTooLong},
		{"default limit", ValidatorSpec{}, func(f *Form) { f.CustomerName = strings.Repeat("张", 101) }, []string{"customer_name"}, ErrTooLong},
		{"control char", ValidatorSpec{}, func(f *Form) { f.CustomerName = "张\x00三" }, []string{"customer_name"}, ErrBadText},
		{"newline in single-line field", ValidatorSpec{}, func(f *Form) { f.Product = "手机\nPro" }, []string{"product"}, ErrBadText},
		{"newline in description ok", ValidatorSpec{}, func(f *Form) { f.Description = "第一行\n第二行" }, nil, nil},
		{"bidi override", ValidatorSpec{}, func(f *Form) { f.Owner = "a\u202eb" }, []string{"owner"}, ErrBadText},
		{"invalid utf-8", ValidatorSpec{}, func(f *Form) { f.Description = "ok\xff" }, []string{"description"}, ErrBadText},
		{"spaces in id", ValidatorSpec{}, func(f *Form) { f.FeedbackID = "F 1" }, []string{"feedback_id"}, ErrBadFormat},
		{"unknown channel", ValidatorSpec{}, func(f *Form) { f.Channel = "飞鸽传书" }, []string{"channel"}, ErrUnknownValue},
		{"unknown category and tier", ValidatorSpec{}, func(f *Form) { f.Category, f.Tier = "物流", "gold" }, []string{"category", "tier"}, ErrUnknownValue},
		{"sub-category of wrong category", ValidatorSpec{}, func(f *Form) { f.SubCategory = "服务态度" }, []string{"sub_category"}, ErrUnknownValue},
		{"sub-category without category", ValidatorSpec{}, func(f *Form) { f.Category, f.SubCategory = "", "功能异常" }, []string{"sub_category"}, ErrRequired},
		{"bad sentiment", ValidatorSpec{}, func(f *Form) { f.Sentiment = "meh" }, []string{"sentiment"}, ErrBadFormat},
		{"unknown tag", ValidatorSpec{}, func(f *Form) { f.Tags = []string{"battery", "packaging"} }, []string{"tags[1]"}, ErrUnknownValue},
		{"blank tag", ValidatorSpec{}, func(f *Form) { f.Tags = []string{" "} }, []string{"tags[0]"}, ErrBadFormat},
		{"too many tags", ValidatorSpec{MaxTags: 1}, func(f *Form) { f.Tags = []string{"battery", "damaged"} }, []string{"tags"}, ErrTooMany},
		{"bad attribute", ValidatorSpec{}, func(f *Form) { f.Attributes = map[string]string{"colour": "red\x07", "": "x"} }, []string{`attributes[""]`, "attributes.colour"}, nil},
		{"too many attributes", ValidatorSpec{MaxAttributes: 1}, func(f *Form) { f.Attributes = map[string]string{"a": "1", "b": "2"} }, []string{"attributes"}, ErrTooMany},
		{"test account", ValidatorSpec{TestCustomers: []string{"张*"}}, func(*Form) {}, []string{"customer_name"}, ErrRejected},
		{"test account by id", ValidatorSpec{TestCustomers: []string{"TEST-1"}}, func(f *Form) { f.CustomerID = "test-1" }, []string{"customer_id"}, ErrRejected},
		{"spam", ValidatorSpec{SpamKeywords: []string{"加微信"}}, func(f *Form) { f.Description = "低价代购加微信ABC" }, []string{"description"}, ErrRejected},
		{"many problems together", ValidatorSpec{}, func(f *Form) {
			f.FeedbackID, f.Channel, f.ReceivedAt, f.Tags = "", "pigeon", "soon", []string{"nope"}
		}, []string{"feedback_id", "channel", "received_at", "tags[0]"}, nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			v := testValidator(t, tc.rules)
			f := row1()
			tc.edit(&f)
			_, err := v.Parse(f, now)
			if tc.fields == nil {
				require.NoError(t, err)
				return
			}
			var ie *Error
			require.ErrorAs(t, err, &ie)
			assert.ElementsMatch(t, tc.fields, ie.Fields(), err.Error())
			for _, p := range ie.Problems {
				assert.NotEmpty(t, p.Message)
				assert.True(t, strings.HasPrefix(p.Error(), p.Field+": "))
			}
			if tc.is != nil {
				assert.ErrorIs(t, err, tc.is)
			}
			assert.Contains(t, err.Error(), tc.fields[0])
		})
	}
}

func TestIntakeValidateGoValues(t *testing.T) {
	v := testValidator(t, ValidatorSpec{})
	in := Intake{FeedbackID: "F1", CustomerName: "王五", Contact: "a@b.cn", Channel: "email",
		ReceivedAt: time.Date(2024, 3, 1, 9, 0, 0, 0, shanghai), Description: " 界面太乱 ", Sentiment: "bogus"}
	_, err := v.Validate(in, time.Time{})
	var ie *Error
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, []string{"sentiment"}, ie.Fields())
	in.Sentiment = "一般"
	out, err := v.Validate(in, time.Time{})
	require.NoError(t, err)
	assert.Equal(t, SentimentNeutral, out.Sentiment)
	assert.Equal(t, "界面太乱", out.Description)
	assert.True(t, ie.Has("sentiment"))
	assert.False(t, ie.Has("channel"))
}

func TestIntakeNilTaxonomyAcceptsAnything(t *testing.T) {
	v, err := NewValidator(ValidatorSpec{Required: []string{}}, nil)
	require.NoError(t, err)
	assert.Equal(t, time.UTC, v.Location())
	assert.Nil(t, v.Taxonomy())
	in, err := v.Parse(Form{Channel: "carrier pigeon", Tags: []string{"x", "x"}, ReceivedAt: "2024-03-01 10:00:00"}, time.Time{})
	require.NoError(t, err)
	assert.Equal(t, "carrier pigeon", in.Channel)
	assert.Equal(t, []string{"x"}, in.Tags)
	assert.Equal(t, time.UTC, in.ReceivedAt.Location())
}

func TestIntakeRulesJSON(t *testing.T) {
	v, err := ParseValidator([]byte(`{"required":["feedback_id","received_at"],"max_lengths":{"description":50,"tag":8},
		"time_zone":"Asia/Shanghai","future_skew":"1m","test_customers":["test"],"spam_keywords":["广告"]}`), presetTaxonomy(PresetAfterSales))
	require.NoError(t, err)
	_, err = v.Parse(Form{FeedbackID: "F1", ReceivedAt: "2024-03-01 10:00:00", Tags: []string{"很长很长很长很长的标签"}}, time.Time{})
	var ie *Error
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, []string{"tags[0]"}, ie.Fields())

	bad := []struct{ json, path string }{
		{`{"required":["colour"]}`, "$.required[0]"},
		{`{"max_lengths":{"colour":3}}`, "$.max_lengths.colour"},
		{`{"max_lengths":{"description":0}}`, "$.max_lengths.description"},
		{`{"max_tags":-1}`, "$.max_tags"},
		{`{"max_attributes":-1}`, "$.max_attributes"},
		{`{"time_zone":"Mars/Olympus"}`, "$.time_zone"},
		{`{"future_skew":"soon"}`, "$.future_skew"},
		{`{"test_customers":[" "]}`, "$.test_customers[0]"},
		{`{"spam_keywords":[""]}`, "$.spam_keywords[0]"},
		{`{"required":"feedback_id"}`, "$.required"},
		{`{"surprise":true}`, "$"},
	}
	for _, tc := range bad {
		_, err := ParseValidator([]byte(tc.json), nil)
		var pe *rulesjson.PathError
		require.True(t, errors.As(err, &pe), "%s: %v", tc.json, err)
		assert.Contains(t, pe.Path, tc.path, tc.json)
	}
}

func TestParseExactTime(t *testing.T) {
	for _, s := range []string{"2024-03-01 10:30:00", "2024-03-01T10:30:00+08:00", "2024-03-01T02:30:00Z", "2024-03-01 10:30:00+08:00"} {
		got, err := ParseExactTime(s, shanghai)
		require.NoError(t, err, s)
		assert.True(t, got.Equal(time.Date(2024, 3, 1, 10, 30, 0, 0, shanghai)), s)
	}
	for _, s := range []string{"", "2024-03-01", "2024-03-01 10:30", "近日", "2024-02-30 10:00:00", "2024/03/01 10:30:00"} {
		_, err := ParseExactTime(s, shanghai)
		assert.ErrorIs(t, err, ErrInexactTime, s)
	}
}

func TestParseSentiment(t *testing.T) {
	for in, want := range map[string]Sentiment{"满意": SentimentSatisfied, "一般": SentimentNeutral, "不满意": SentimentDissatisfied,
		"Dissatisfied": SentimentDissatisfied, "": ""} {
		got, err := ParseSentiment(in)
		require.NoError(t, err)
		assert.Equal(t, want, got)
	}
	_, err := ParseSentiment("so-so")
	assert.ErrorIs(t, err, ErrBadFormat)
}

func TestIntakeParseBatch(t *testing.T) {
	v := testValidator(t, ValidatorSpec{})
	a, b, c := row1(), row1(), row1()
	b.Channel = "飞鸽传书" // duplicate ID and a bad channel
	c.FeedbackID = "F20240301009"
	d := row1()
	d.FeedbackID = "F-OLD"
	ins, errs := v.ParseBatch([]Form{a, b, c, d}, time.Time{}, func(id string) bool { return id == "F-OLD" })
	require.Len(t, ins, 4)
	require.NoError(t, errs[0])
	require.NoError(t, errs[2])
	assert.Equal(t, "phone", ins[2].Channel)
	var ie *Error
	require.ErrorAs(t, errs[1], &ie)
	assert.Equal(t, []string{"feedback_id", "channel"}, ie.Fields())
	assert.ErrorIs(t, errs[1], ErrDuplicateID)
	assert.Contains(t, errs[1].Error(), "row 0")
	assert.ErrorIs(t, errs[3], ErrDuplicateID)
	assert.Contains(t, errs[3].Error(), "recorded ticket")
}
