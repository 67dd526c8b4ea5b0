package feedback_test

import (
	"fmt"
	"time"

	"github.com/closeloop/closeloop/feedback"
	"github.com/closeloop/closeloop/intake"
)

// A registration as it arrives (document 002 table 1's first row, typed by
// an agent) is validated with the rules' intake section — its timestamp
// read in the default calendar's zone, Asia/Shanghai — and becomes the
// ticket's opening: names typed by people become taxonomy IDs, the
// taxonomy fields become the attributes SLA policies read, and personal
// data stays in the host's record.
func ExampleRules_OpeningFromIntake() {
	rules, err := feedback.PresetRules()
	if err != nil {
		panic(err)
	}
	now := time.Date(2024, 3, 1, 3, 0, 0, 0, time.UTC)
	in, err := rules.IntakeValidator().Parse(intake.Form{
		FeedbackID: "F20240301001", CustomerID: "C1001", CustomerName: "张*", Contact: "13856785678",
		Product: "手机Pro", Channel: "客服", ReceivedAt: "2024-03-01 10:30:00",
		Description: "手机充电1小时仅充入20%，怀疑电池故障", Category: "产品故障类", Stage: "售后", Tier: "VIP会员",
		Tags: []string{"电池"}, Owner: "客服专员",
	}, now)
	if err != nil {
		panic(err)
	}
	o, err := rules.OpeningFromIntake(in)
	if err != nil {
		panic(err)
	}
	fmt.Println(o.ID, o.At.UTC().Format(time.RFC3339), o.Actor, o.Customer, o.Channel, o.Category)
	fmt.Println(o.Attributes)

	ticket, _, err := rules.Open(o)
	if err != nil {
		panic(err)
	}
	report, err := rules.SLA(ticket, now)
	if err != nil {
		panic(err)
	}
	fmt.Println(report.Policy)
	// Output:
	// F20240301001 2024-03-01T02:30:00Z 客服专员 C1001 phone product_fault
	// map[product:手机Pro stage:after_sales tags:battery tier:vip]
	// after-sales
}
