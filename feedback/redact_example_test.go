package feedback_test

import (
	"fmt"
	"time"

	"github.com/closeloop/closeloop/feedback"
)

func ExampleRedactor_Redact() {
	r := feedback.DefaultRedactor()
	fmt.Println(r.Redact("张三丰（13856785678，zhang@example.com）住北京市朝阳区建国路88号1201室，身份证11010519491231002X", "张三丰"))
	fmt.Println(r.Redact("F20240301001 于 2024-03-01 10:30:00 受理，座机 010-62345678"))
	// Output:
	// 张**（138****5678，z****@example.com）住北京市朝阳区***********，身份证110***********002X
	// F20240301001 于 2024-03-01 10:30:00 受理，座机 010-****5678
}

func ExampleParseRedactor() {
	r, err := feedback.ParseRedactor([]byte(`{"mask":"•","keep":{"phone":{"first":0,"last":4}}}`))
	if err != nil {
		panic(err)
	}
	fmt.Println(r.Redact("call +86 138 5678 1234"))
	// Output:
	// call +•• ••• •••• 1234
}

// Document 002 names archives "customer ID + feedback date + problem type".
func ExampleArchiveName() {
	name, err := feedback.ArchiveName("C1001", time.Date(2024, 3, 1, 10, 30, 0, 0, time.UTC), "product_fault")
	fmt.Println(name, err)
	// Output:
	// C1001_20240301_product_fault <nil>
}

// The customer's view for a portal or an SMS: nodes reached, team now
// handling, promised time, and a note with personal data masked.
func ExampleNewProgressView() {
	loc := time.FixedZone("CST", 8*3600)
	at := func(d, h int) time.Time { return time.Date(2024, 3, d, h, 0, 0, 0, loc) }
	v, err := feedback.NewProgressView(feedback.ProgressInput{
		FeedbackID: "F20240301001",
		Reached: []feedback.ProgressMark{
			{Node: "accepted", At: at(1, 10)}, {Node: "awaiting_inspection", At: at(2, 9)}, {Node: "under_repair", At: at(3, 14)},
		},
		Team:       "技术支持部",
		PromisedBy: at(10, 18),
		Note:       "工程师将致电13856785678",
	}, nil)
	if err != nil {
		panic(err)
	}
	fmt.Println(v.Text(loc))
	// Output:
	// 反馈F20240301001：已受理 03-01 10:00 → 待检测 03-02 09:00 → 维修中(当前) 03-03 14:00；处理团队：技术支持部；承诺完成：2024-03-10 18:00；工程师将致电138****5678
}

// An export of a ticket: the customer, the notes and the whole history
// masked, the ticket's story (states, priority, instants) kept.
func ExampleRedactor_RedactTicket() {
	rules, err := feedback.CompileRules(feedback.RulesDocument{Version: "v1"})
	if err != nil {
		panic(err)
	}
	at := time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC)
	ticket, _, _ := rules.Open(feedback.Opening{ID: "F20240301001", At: at, Actor: "agent-7", Customer: "13856785678"})
	_, _ = rules.Fire(ticket, feedback.Change{Trigger: feedback.TriggerNote, Version: 1, At: at.Add(time.Hour), Actor: "agent-7",
		Payload: feedback.Payload{Note: "张三丰来电，新地址：世纪大道100号8栋2单元501，邮箱 zsf＠example.com"}})

	export := feedback.DefaultRedactor().RedactTicket(ticket, "张三丰")
	fmt.Println(export.ID, export.State, export.Customer)
	fmt.Println(export.History[1].Payload.Note)
	fmt.Println(ticket.Customer) // the ticket itself is unchanged
	// Output:
	// F20240301001 received 138****5678
	// 张**来电，新地址：****************，邮箱 z**＠example.com
	// 13856785678
}
