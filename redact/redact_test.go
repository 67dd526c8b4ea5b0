package redact

import (
	"errors"
	"testing"
	"time"

	"github.com/closeloop/closeloop/intake"
	"github.com/closeloop/closeloop/internal/rulesjson"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRedact(t *testing.T) {
	r := Default()
	tests := []struct {
		name, in, want string
		kinds          []Kind
	}{
		{"cn mobile (002's own masking)", "电话13856785678请回电", "电话138****5678请回电", []Kind{Phone}},
		{"mobile with separators", "call 138-5678-1234 now", "call 138-****-1234 now", []Kind{Phone}},
		{"mobile with +86", "+86 138 5678 1234", "+86 1** **** 1234", []Kind{Phone}},
		{"full-width mobile", "１３８５６７８１２３４", "１３８****１２３４", []Kind{Phone}},
		{"mobile glued to letters", "tel13856781234x", "tel138****1234x", []Kind{Phone}},
		{"landline with area code", "座机 010-62345678 转", "座机 010-****5678 转", []Kind{Phone}},
		{"landline 4-digit area", "0755 8612 3456", "075* **** 3456", []Kind{Phone}},
		{"international E.164", "ring +44 20 7946 0958", "ring +44 2* **** 0958", []Kind{Phone}},
		{"resident id 18", "身份证110105194912310021", "身份证110***********0021", []Kind{IDNumber}},
		{"resident id with X", "ID 11010519491231002X ok", "ID 110***********002X ok", []Kind{IDNumber}},
		{"resident id 15", "老证 110105491231002", "老证 110********1002", []Kind{IDNumber}},
		{"e-mail", "mail zhang.wei@example.com.", "mail z********@example.com.", []Kind{Email}},
		{"e-mail with phone local part", "13856781234@qq.com", "1**********@qq.com", []Kind{Email, Phone}},
		{"bank card as number", "卡号 6222 0212 3456 7890", "卡号 **** **** **** 7890", []Kind{Number}},
		{"short numbers stay", "充电1小时仅充入20%，等了30分钟", "充电1小时仅充入20%，等了30分钟", nil},
		{"feedback and ticket ids stay", "F20240301001 / CS20240301001", "F20240301001 / CS20240301001", nil},
		{"dates and times stay", "2024-03-01 10:30:00 与 2024/3/5", "2024-03-01 10:30:00 与 2024/3/5", nil},
		{"date then phone", "2024-03-01 13856781234", "2024-03-01 138****1234", []Kind{Phone}},
		{"cn address", "寄到北京市朝阳区建国路88号SOHO现代城5号楼1201室谢谢", "寄到北京市朝阳区*********************谢谢", []Kind{Address}},
		{"compound address", "住幸福小区3栋2单元501室，", "**************，", []Kind{Address}},
		{"en address", "ship to 221 Baker Street, London", "ship to ****************, London", []Kind{Address}},
		{"known name", "张三丰说：张三丰很生气", "张**说：张**很生气", []Kind{Name, Name}},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			got, found := r.RedactFindings(tc.in, "张三丰")
			assert.Equal(t, tc.want, got)
			var kinds []Kind
			for _, f := range found {
				kinds = append(kinds, f.Kind)
				assert.True(t, f.Start >= 0 && f.End <= len(tc.in) && f.Start < f.End)
			}
			assert.ElementsMatch(t, tc.kinds, kinds)
		})
	}
}

func TestRedactorSpec(t *testing.T) {
	r, err := Parse([]byte(`{"mask":"#","kinds":["phone"],"keep":{"phone":{"first":0,"last":0}}}`))
	require.NoError(t, err)
	assert.Equal(t, "###########, a@b.cn, 6222021234567890", r.Redact("13856781234, a@b.cn, 6222021234567890"))

	r, err = New(Spec{Names: []string{"李女士"}, Keep: map[Kind]Keep{Name: {}}})
	require.NoError(t, err)
	assert.Equal(t, "***回访", r.Redact("李女士回访"))

	bad := []struct{ json, path string }{
		{`{"mask":"9"}`, "$.mask"},
		{`{"mask":"a"}`, "$.mask"},
		{`{"kinds":["fax"]}`, "$.kinds[0]"},
		{`{"keep":{"phone":{"first":5,"last":0}}}`, "$.keep.phone"},
		{`{"keep":{"fax":{"first":1,"last":0}}}`, "$.keep.fax"},
		{`{"min_number_digits":3}`, "$.min_number_digits"},
		{`{"names":["x"]}`, "$.names[0]"},
		{`{"mask":"*","extra":1}`, "$"},
	}
	for _, tc := range bad {
		_, err := Parse([]byte(tc.json))
		var pe *rulesjson.PathError
		require.True(t, errors.As(err, &pe), "%s: %v", tc.json, err)
		assert.Contains(t, pe.Path, tc.path, tc.json)
	}
}

func TestRedactIntake(t *testing.T) {
	r := Default()
	in := intake.Intake{FeedbackID: "F20240301001", CustomerName: "张三丰", Contact: "13856785678", ReceivedAt: time.Date(2024, 3, 1, 10, 30, 0, 0, time.UTC),
		Description: "张三丰反映手机充电慢，回电13856785678", Expected: "寄到北京市朝阳区建国路88号", TriedRemedies: "发邮件到zsf@example.com",
		Owner: "客服专员王五", Tags: []string{"battery"}, Attributes: map[string]string{"备用电话": "13912345678"}, Category: "product_fault"}
	got := r.RedactIntake(in)
	assert.Equal(t, "张**", got.CustomerName)
	assert.Equal(t, "138****5678", got.Contact)
	assert.Equal(t, "张**反映手机充电慢，回电138****5678", got.Description)
	assert.Equal(t, "寄到北京市朝阳区******", got.Expected)
	assert.Equal(t, "发邮件到z**@example.com", got.TriedRemedies)
	assert.Equal(t, "139****5678", got.Attributes["备用电话"])
	assert.Equal(t, "F20240301001", got.FeedbackID)
	assert.Equal(t, "product_fault", got.Category)
	assert.Equal(t, "13912345678", in.Attributes["备用电话"], "the input is not changed")

	wechat := r.RedactIntake(intake.Intake{Contact: "微信 zsf_88"})
	assert.Equal(t, "微********", wechat.Contact)
}
