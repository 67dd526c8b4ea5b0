package feedback_test

import (
	"fmt"
	"time"

	"github.com/closeloop/closeloop/feedback"
	"github.com/closeloop/closeloop/redact"
)

// Document 002 names archives "customer ID + feedback date + problem type".
func ExampleArchiveName() {
	name, err := feedback.ArchiveName("C1001", time.Date(2024, 3, 1, 10, 30, 0, 0, time.UTC), "product_fault")
	fmt.Println(name, err)
	// Output:
	// C1001_20240301_product_fault <nil>
}

// An export of a ticket: the customer, the notes and the whole history
// masked, the ticket's story (states, priority, instants) kept.
func ExampleRedactTicket() {
	rules, err := feedback.CompileRules(feedback.RulesDocument{Version: "v1"})
	if err != nil {
		panic(err)
	}
	at := time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC)
	ticket, _, _ := rules.Open(feedback.Opening{ID: "F20240301001", At: at, Actor: "agent-7", Customer: "13856785678"})
	_, _ = rules.Fire(ticket, feedback.Change{Trigger: feedback.TriggerNote, Version: 1, At: at.Add(time.Hour), Actor: "agent-7",
		Payload: feedback.Payload{Note: "张三丰来电，新地址：世纪大道100号8栋2单元501，邮箱 zsf＠example.com"}})

	export := feedback.RedactTicket(redact.Default(), ticket, "张三丰")
	fmt.Println(export.ID, export.State, export.Customer)
	fmt.Println(export.History[1].Payload.Note)
	fmt.Println(ticket.Customer) // the ticket itself is unchanged
	// Output:
	// F20240301001 received 138****5678
	// 张**来电，新地址：****************，邮箱 z**＠example.com
	// 13856785678
}
