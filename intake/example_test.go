package intake_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/closeloop/closeloop/intake"
)

// Registering document 002's first row, then a careless second one: every
// problem of the second comes back at once, each naming its field.
func ExampleValidator_Parse() {
	tax, err := intake.PresetTaxonomy(intake.PresetAfterSales)
	if err != nil {
		panic(err)
	}
	v, err := intake.NewValidator(intake.ValidatorSpec{TimeZone: "Asia/Shanghai"}, tax)
	if err != nil {
		panic(err)
	}
	now := time.Date(2024, 3, 1, 12, 0, 0, 0, v.Location())
	in, err := v.Parse(intake.Form{
		FeedbackID: "F20240301001", CustomerName: "张*", Contact: "13856785678", Product: "手机Pro",
		PurchaseDate: "2024-02-15", Channel: "客服", ReceivedAt: "2024-03-01 10:30:00",
		Description: "手机充电1小时仅充入20%，怀疑电池故障", Category: "产品故障类",
	}, now)
	fmt.Println(in.Channel, in.Category, in.ReceivedAt.Format(time.RFC3339), err)

	_, err = v.Parse(intake.Form{
		FeedbackID: "F20240301002", CustomerName: "李女士", Channel: "飞鸽传书",
		ReceivedAt: "近日", Description: "安装师傅未穿工服", Tags: []string{"包装"},
	}, now)
	var ie *intake.Error
	if errors.As(err, &ie) {
		for _, p := range ie.Problems {
			fmt.Println(p)
		}
	}
	fmt.Println(errors.Is(err, intake.ErrRequired), errors.Is(err, intake.ErrUnknownValue))
	// Output:
	// phone product_fault 2024-03-01T10:30:00+08:00 <nil>
	// contact: is required
	// channel: "飞鸽传书" is not a known channel
	// received_at: is not an exact time: "近日" (want YYYY-MM-DD HH:MM:SS)
	// tags[0]: "包装" is not a known tag
	// true true
}

// Document 003 adds a "packaging" tag on the fly. The shared taxonomy is not
// changed; the extended one is a new value.
func ExampleTaxonomy_WithTag() {
	base, err := intake.PresetTaxonomy(intake.PresetEcommerce)
	if err != nil {
		panic(err)
	}
	ext, err := base.WithTag("packaging", "包装问题", "包装")
	if err != nil {
		panic(err)
	}
	id, err := ext.Resolve(intake.DimensionTag, "包装")
	fmt.Println(id, err)
	_, err = base.Resolve(intake.DimensionTag, "包装")
	fmt.Println(err)
	// Output:
	// packaging <nil>
	// tag "包装" is not in the taxonomy
}

func ExampleClassifier_Classify() {
	c := intake.PresetClassifier()
	got := c.Classify("客服电话等待超过20分钟，且未解决问题，很失望")
	fmt.Println(got.Category, got.SubCategory, got.Tags, got.Sentiment)
	for _, m := range got.Matches {
		fmt.Printf("%s (%s) at byte %d\n", m.Keyword, m.Rule, m.Offset)
	}
	// Output:
	// service_experience response_speed [slow_response] dissatisfied
	// 等待超过 (response-speed) at byte 12
	// 失望 (sentiment:dissatisfied) at byte 59
}

// Document 002's assignment: P0/P1 product faults to technical support,
// service experience to the service supervisor, suggestions to the product
// manager. The route names the rule that fired.
func ExampleRouter_Route() {
	rr := intake.PresetRouter()
	for _, in := range []intake.RouteInput{
		{Category: "product_fault", Priority: "P1"},
		{Category: "service_experience", Priority: "P2"},
		{Category: "demand_suggestion", Priority: "P3"},
		{Category: "product_fault", Priority: "P3"},
	} {
		r, err := rr.Route(in)
		fmt.Printf("%s %s -> %s (rule %q, default %v) %v\n", in.Category, in.Priority, r.Team, r.Rule, r.Default, err)
	}
	// Output:
	// product_fault P1 -> technical_support (rule "p0-p1-product-fault", default false) <nil>
	// service_experience P2 -> service_supervisor (rule "service-experience", default false) <nil>
	// demand_suggestion P3 -> product_manager (rule "demand-suggestion", default false) <nil>
	// product_fault P3 -> customer_service (rule "", default true) <nil>
}

func ExampleFindDuplicates() {
	at := time.Date(2024, 3, 1, 10, 30, 0, 0, time.UTC)
	earlier := []intake.Intake{
		{FeedbackID: "F20240301001", CustomerID: "C1001", ReceivedAt: at, Description: "手机充电1小时仅充入20%，怀疑电池故障"},
		{FeedbackID: "F20240301005", CustomerID: "C1001", ReceivedAt: at, Description: "屏幕有划痕"},
	}
	again := intake.Intake{FeedbackID: "F20240302003", CustomerID: "C1001", ReceivedAt: at.Add(26 * time.Hour),
		Description: "手机充电1小时只充入20%！怀疑电池故障"}
	for _, c := range intake.FindDuplicates(again, earlier, intake.DuplicateOptions{}) {
		fmt.Println(c.FeedbackID, c.Reason)
	}
	// Output:
	// F20240301001 same customer (customer_id "C1001"), received 26h0m0s apart (window 168h0m0s), description 88% similar
}
