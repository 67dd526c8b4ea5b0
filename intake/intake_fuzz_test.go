package intake

import (
	"errors"
	"strings"
	"testing"
	"time"
)

func FuzzIntake(f *testing.F) {
	f.Add("F20240301001", "张*", "13856785678", "客服", "2024-03-01 10:30:00", "2024-02-15", "手机充电1小时仅充入20%", "产品故障类", "功能异常", "不满意", "battery", "型号", "Pro")
	f.Add("", "", "", "", "", "", "", "", "", "", "", "", "")
	f.Add("F 1", "\x00", "x", "pigeon", "昨天", "2024-13-01", "\xff", "物流", "服务态度", "meh", "", "", "v")
	f.Add("F2", "李女士", "a@b.cn", "在线客服", "2024-03-01T14:15:00+08:00", "2024-03-02", "安装师傅未穿工服\n", "服务体验类", "", "满意", "安装", "k\x07", "\u202e")
	v, err := NewValidator(ValidatorSpec{TimeZone: "Asia/Shanghai", MaxLengths: map[string]int{"description": 200},
		TestCustomers: []string{"test"}, SpamKeywords: []string{"广告"}}, presetTaxonomy(PresetAfterSales))
	if err != nil {
		f.Fatal(err)
	}
	now := time.Date(2024, 3, 2, 0, 0, 0, 0, shanghai)
	f.Fuzz(func(t *testing.T, id, name, contact, channel, received, purchased, desc, category, sub, sentiment, tag, attrKey, attrVal string) {
		form := Form{FeedbackID: id, CustomerName: name, Contact: contact, Channel: channel, ReceivedAt: received,
			PurchaseDate: purchased, Description: desc, Category: category, SubCategory: sub, Sentiment: sentiment,
			Tags: []string{tag}, Attributes: map[string]string{attrKey: attrVal}}
		in, err := v.Parse(form, now)
		if err != nil {
			var ie *Error
			if !errors.As(err, &ie) {
				t.Fatalf("not an *Error: %T %v", err, err)
			}
			if len(ie.Problems) == 0 {
				t.Fatal("an Error without problems")
			}
			for _, p := range ie.Problems {
				if !namesIntakeField(p.Field) {
					t.Fatalf("problem names no field: %q (%v)", p.Field, p)
				}
				if p.Err == nil || p.Message == "" {
					t.Fatalf("problem without cause: %#v", p)
				}
			}
			_ = err.Error()
			return
		}
		// A valid intake stays valid and unchanged when validated again.
		again, err := v.Validate(in, now)
		if err != nil {
			t.Fatalf("accepted intake rejected on re-validation: %v", err)
		}
		if again.Category != in.Category || again.Channel != in.Channel || again.SubCategory != in.SubCategory ||
			len(again.Tags) != len(in.Tags) || again.Description != in.Description {
			t.Fatalf("re-validation changed the intake: %+v -> %+v", in, again)
		}
	})
}

func namesIntakeField(field string) bool {
	if knownIntakeField(field) {
		return true
	}
	return strings.HasPrefix(field, FieldTags+"[") || strings.HasPrefix(field, FieldAttributes+".") || strings.HasPrefix(field, FieldAttributes+"[")
}
