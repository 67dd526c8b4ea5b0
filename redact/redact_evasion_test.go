package redact

import (
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
)

// digitStream returns the digits of text as the redactor reads them (any
// script, Chinese numerals included), in order, everything else dropped.
func digitStream(text string) string {
	t := normalize(text).s
	var b strings.Builder
	for i := 0; i < len(t); {
		if v, w := digitAt(t, i); v >= 0 {
			b.WriteByte(byte('0' + v))
			i += w
			continue
		}
		i++
	}
	return b.String()
}

// leaksDigits reports whether out shows 8 consecutive digits of secret:
// the masks keep at most 4 at each end (138****5678), so any 8 in a row
// mean the number was not masked.
func leaksDigits(out, secret string) bool {
	s := digitStream(out)
	for i := 0; i+8 <= len(secret); i++ {
		if strings.Contains(s, secret[i:i+8]) {
			return true
		}
	}
	return false
}

// leaksText reports whether out shows text however it is spaced, cased or
// written.
func leaksText(out, text string) bool {
	return strings.Contains(compact(normalize(out).s).s, compact(normalize(text).s).s)
}

// evasion is one way of writing personal data that the redactor must see
// through. secret is a number that must not survive (8 digits in a row),
// hidden are strings that must not survive at all, want (if set) is the
// exact output.
type evasion struct {
	name   string
	in     string
	secret string
	hidden []string
	want   string
	names  []string
}

const (
	phone = "13812345678"
	id18  = "110105194912310021"
	card  = "6222021234567894" // passes the Luhn check
)

func evasionCorpus() []evasion {
	phones := []evasion{
		{name: "full-width hyphens", in: "电话138－1234－5678", want: "电话138－****－5678"},
		{name: "spaces", in: "138 1234 5678"},
		{name: "runs of spaces", in: "138    1234     5678"},
		{name: "zero-width spaces", in: "138\u200b1234\u200b5678", want: "138\u200b****\u200b5678"},
		{name: "zero-width joiners", in: "138\u200d1234\u200c5678"},
		{name: "word joiner and BOM", in: "138\u20601234\ufeff5678"},
		{name: "soft hyphens", in: "138\u00ad1234\u00ad5678"},
		{name: "bidi controls", in: "138\u202e1234\u202c5678"},
		{name: "ideographic spaces", in: "138\u30001234\u30005678"},
		{name: "no-break spaces", in: "138\u00a01234\u00a05678"},
		{name: "narrow no-break spaces", in: "138\u202f1234\u202f5678"},
		{name: "em dashes", in: "138—1234—5678"},
		{name: "en dashes", in: "138–1234–5678"},
		{name: "minus signs", in: "138−1234−5678"},
		{name: "underscores", in: "138_1234_5678"},
		{name: "full-width underscores", in: "138＿1234＿5678"},
		{name: "commas", in: "138,1234,5678"},
		{name: "full-width commas", in: "138，1234，5678"},
		{name: "ideographic commas", in: "138、1234、5678"},
		{name: "dots", in: "138.1234.5678"},
		{name: "ideographic full stops", in: "138。1234。5678"},
		{name: "middle dots", in: "138·1234・5678"},
		{name: "slashes", in: "138/1234/5678"},
		{name: "bars", in: "138|1234|5678"},
		{name: "spaced dashes", in: "138 - 1234 - 5678"},
		{name: "tab and newline", in: "138\t1234\n5678"},
		{name: "zero-width around a dash", in: "138\u200b-\u200b1234-5678"},
		{name: "mixed separators", in: "１３８－1234\u3000５６７８"},
		{name: "full-width digits", in: "１３８１２３４５６７８", want: "１３８****５６７８"},
		{name: "full-width with country code", in: "＋８６ １３８ １２３４ ５６７８"},
		{name: "country code in parentheses", in: "(+86)138-1234-5678"},
		{name: "country code glued", in: "+8613812345678"},
		{name: "Arabic-Indic digits", in: "١٣٨١٢٣٤٥٦٧٨"},
		{name: "mathematical digits", in: "𝟏𝟑𝟖𝟏𝟐𝟑𝟒𝟓𝟔𝟕𝟖"},
		{name: "circled digits", in: "①③⑧①②③④⑤⑥⑦⑧"},
		{name: "Chinese numerals", in: "打一三八一二三四五六七八找我"},
		{name: "Chinese numerals spaced", in: "一三八 一二三四 五六七八"},
		{name: "yao for one", in: "幺三八幺二三四五六七八"},
		{name: "numerals mixed with digits", in: "138一二三四5678"},
		{name: "glued to letters", in: "tel13812345678x"},
		{name: "inside an e-mail", in: "13812345678@qq.com"},
		{name: "after a date", in: "2024-03-01 13812345678", want: "2024-03-01 138****5678"},
		{name: "dressed as a date", in: "1990-12-31 234", secret: "19901231234"},
		{name: "dressed as a date and time", in: "1399-12-31 23:45:67", secret: "13991231234"},
	}
	for i := range phones {
		if phones[i].secret == "" {
			phones[i].secret = phone
		}
		phones[i].name = "phone: " + phones[i].name
	}
	ids := []evasion{
		{name: "plain", in: "身份证110105194912310021", want: "身份证110***********0021"},
		{name: "spaced", in: "110105 19491231 0021"},
		{name: "full-width dashes", in: "110105－19491231－0021"},
		{name: "full-width X", in: "11010519491231002Ｘ", secret: "11010519491231002"},
		{name: "glued to letters", in: "ID110105200012310021ok", secret: "110105200012310021"},
		{name: "Chinese numerals", in: "身份证号一一〇一〇五一九四九一二三一〇〇二一"},
		{name: "zero-width inside", in: "110105\u200b194912310021"},
		{name: "birth date written as a date", in: "110105 1949-12-31 0021"},
		{name: "15 digits", in: "老证110105491231002", secret: "110105491231002"},
	}
	for i := range ids {
		if ids[i].secret == "" {
			ids[i].secret = id18
		}
		ids[i].name = "id: " + ids[i].name
	}
	cards := []evasion{
		{name: "full-width dashes", in: "卡号6222－0212－3456－7894", want: "卡号****－****－****－7894"},
		{name: "em dashes", in: "6222—0212—3456—7894"},
		{name: "spaces", in: "6222 0212 3456 7894"},
		{name: "underscores", in: "6222_0212_3456_7894"},
		{name: "commas", in: "6222,0212,3456,7894"},
		{name: "thousands separators", in: "6,222,021,234,567,894"},
		{name: "full-width digits", in: "６２２２０２１２３４５６７８９４"},
		{name: "glued to letters", in: "card6222021234567894end"},
		{name: "zero-width inside", in: "6222\u200b0212\u200b3456\u200b7894"},
	}
	for i := range cards {
		cards[i].secret = card
		cards[i].name = "card: " + cards[i].name
	}
	emails := []evasion{
		{name: "full-width at", in: "zhang.wei＠example.com", hidden: []string{"hang.wei"}, want: "z********＠example.com"},
		{name: "small at", in: "zhang.wei﹫example.com", hidden: []string{"hang.wei"}},
		{name: "Chinese local part", in: "邮箱：张三@example.com", hidden: []string{"张三"}},
		{name: "internationalised domain", in: "zhang.san@例子.中国", hidden: []string{"hang.san"}, want: "z********@例子.中国"},
		{name: "all full-width", in: "ｚｈａｎｇ．ｓａｎ＠ｅｘａｍｐｌｅ．ｃｏｍ", hidden: []string{"hang.san"}},
		{name: "ideographic full stop in the domain", in: "zhang.san@example。com", hidden: []string{"hang.san"}},
		{name: "spelled at and dot", in: "zhang.san[at]example[dot]com", hidden: []string{"hang.san"}},
		{name: "spelled with spaces", in: "zhang.san (AT) example (dot) com", hidden: []string{"hang.san"}},
		{name: "spaces around the at", in: "zhang.san @ example.com", hidden: []string{"hang.san"}},
		{name: "zero-width in the local part", in: "zhang\u200b.san@example.com", hidden: []string{"hang.san"}},
		{name: "underscore", in: "zhang_san@example.com", hidden: []string{"hang_san"}},
		{name: "upper case", in: "ZHANG.SAN@EXAMPLE.COM", hidden: []string{"HANG.SAN"}},
		{name: "Chinese name and domain", in: "张三丰@例子.公司", hidden: []string{"三丰"}},
	}
	for i := range emails {
		emails[i].name = "e-mail: " + emails[i].name
	}
	addresses := []evasion{
		{name: "room without 室", in: "世纪大道100号8栋2单元501", hidden: []string{"501", "100", "8栋"}, want: "****************"},
		{name: "district kept", in: "上海市浦东新区世纪大道100号8栋2单元501", hidden: []string{"501", "100"}, want: "上海市浦东新区****************"},
		{name: "compound and room", in: "北京市朝阳区建国路88号院3号楼1201", hidden: []string{"1201", "88"}, want: "北京市朝阳区**************"},
		{name: "English", in: "221B Baker Street", hidden: []string{"221B", "Baker"}, want: "*****************"},
		{name: "English flat", in: "Flat 5, 221B Baker Street, London", hidden: []string{"Flat 5", "221B", "Baker"}},
		{name: "apartment", in: "Apt 4B, 12 Main St.", hidden: []string{"Apt 4B", "12 Main"}},
		{name: "P.O. box", in: "P.O. Box 1234, Springfield", hidden: []string{"1234"}},
		{name: "building on its own", in: "我住5号楼1201，找我", hidden: []string{"1201", "5号楼"}},
		{name: "unit on its own", in: "2单元501", hidden: []string{"501"}},
		{name: "compound", in: "幸福小区3栋2单元501", hidden: []string{"501", "3栋"}},
		{name: "full-width numbers", in: "世纪大道１００号８栋２单元５０１", hidden: []string{"501", "100"}},
		{name: "zero-width inside", in: "世纪大道100号\u200b8栋2单元501", hidden: []string{"501"}},
		{name: "traditional characters", in: "忠孝東路100號8樓之1", hidden: []string{"100"}},
	}
	for i := range addresses {
		addresses[i].name = "address: " + addresses[i].name
	}
	names := []evasion{
		{name: "spaced out", in: "张 三 丰来电", hidden: []string{"三丰"}},
		{name: "zero-width inside", in: "张\u200b三丰来电", hidden: []string{"三丰"}},
		{name: "other case", in: "ZHANG WEI called", hidden: []string{"hang wei"}, names: []string{"Zhang Wei"}},
		{name: "full-width", in: "Ｚｈａｎｇ Ｗｅｉ called", hidden: []string{"hangwei"}, names: []string{"Zhang Wei"}},
	}
	for i := range names {
		names[i].name = "name: " + names[i].name
		if names[i].names == nil {
			names[i].names = []string{"张三丰"}
		}
	}
	var all []evasion
	for _, list := range [][]evasion{phones, ids, cards, emails, addresses, names} {
		all = append(all, list...)
	}
	return all
}

// Every way of writing personal data in the corpus is masked, and the
// output is the input with characters replaced one for one.
func TestRedactEvasionCorpus(t *testing.T) {
	r := Default()
	corpus := evasionCorpus()
	t.Logf("%d evasions", len(corpus))
	for _, tc := range corpus {
		t.Run(tc.name, func(t *testing.T) {
			got := r.Redact(tc.in, tc.names...)
			assert.Equal(t, utf8.RuneCountInString(tc.in), utf8.RuneCountInString(got), "one mask per character")
			if tc.secret != "" {
				assert.True(t, strings.Contains(digitStream(tc.in), tc.secret), "the corpus plants %s in %q", tc.secret, tc.in)
				assert.False(t, leaksDigits(got, tc.secret), "%q → %q", tc.in, got)
			}
			for _, h := range tc.hidden {
				assert.False(t, leaksText(got, h), "%q → %q shows %q", tc.in, got, h)
			}
			if tc.want != "" {
				assert.Equal(t, tc.want, got)
			}
		})
	}
}

// What is not personal data stays as written.
func TestRedactLeavesOrdinaryText(t *testing.T) {
	r := Default()
	for _, in := range []string{
		"2024-03-01 10:30:00 受理，2024/3/5 回访，2024.03.06 结案",
		"F20240301001 / CS20240301001 / T000007",
		"订单金额 1,234,567 元，退款 12,345.50 元",
		"充电1小时仅充入20%，等了30分钟，第3次",
		"版本 v2.3.1，型号 X200",
		"请在3个工作日内回复",
		"谢谢，满意",
		"the app crashes on startup",
	} {
		assert.Equal(t, in, r.Redact(in), in)
	}
}
