package intake

import (
	"errors"
	"fmt"
	"strings"
	"testing"
	"time"

	"github.com/closeloop/closeloop/internal/rulesjson"
)

// FuzzIntakeRulesJSON: ParseValidator never panics and refuses only with
// a *PathError; an accepted validator parses a form to an intake or to an
// *Error.
func FuzzIntakeRulesJSON(f *testing.F) {
	f.Add([]byte(`{"required":["feedback_id","description"],"max_lengths":{"description":200},"time_zone":"Asia/Shanghai",
		"future_skew":"10m","test_customers":["test"],"spam_keywords":["广告"],"max_tags":3,"max_attributes":2}`))
	f.Add([]byte(`{"required":[]}`))
	f.Add([]byte(`{"required":["nope"]}`))
	f.Add([]byte(`{"time_zone":"Local"}`))
	f.Add([]byte(`{"max_lengths":{"tag":-1}}`))
	f.Add([]byte(`{"future_skew":"-5m"}`))
	tax := presetTaxonomy(PresetAfterSales)
	now := time.Date(2024, 3, 2, 0, 0, 0, 0, time.UTC)
	form := Form{FeedbackID: "F20240301001", CustomerName: "张三", Contact: "13856785678", Channel: "phone",
		ReceivedAt: "2024-03-01 10:30:00", Description: "手机充电慢", Category: "产品故障类", Tags: []string{"battery"}}
	f.Fuzz(func(t *testing.T, data []byte) {
		v, err := ParseValidator(data, tax)
		if err != nil {
			var pe *rulesjson.PathError
			if !errors.As(err, &pe) {
				t.Fatalf("error without a path: %T %v", err, err)
			}
			return
		}
		if _, err := v.Parse(form, now); err != nil {
			var ie *Error
			if !errors.As(err, &ie) {
				t.Fatalf("not an *Error: %T %v", err, err)
			}
		}
	})
}

// Decoding intake rules costs memory linear in the document.
func TestParseIntakeRulesMemoryIsLinear(t *testing.T) {
	var keys strings.Builder
	for i := range 20000 {
		fmt.Fprintf(&keys, `"k%d":1,`, i)
	}
	tests := []struct {
		name    string
		doc     string
		perByte float64
	}{
		{"long lists", `{"test_customers":[` + strings.Repeat(`"x",`, 20000) + `"y"],"spam_keywords":[` + strings.Repeat(`"广告",`, 20000) + `"z"]}`, 24},
		{"20,000 length keys", `{"max_lengths":{` + keys.String() + `"description":1}}`, 40},
		{"nested 10,000 deep", `{"required":` + strings.Repeat(`[`, 10000) + strings.Repeat(`]`, 10000) + `}`, 2},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			assertLinear(t, len(tc.doc), 64<<10, tc.perByte, func() { _, _ = ParseValidator([]byte(tc.doc), nil) })
		})
	}
}
