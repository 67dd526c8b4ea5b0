package feedback_test

import (
	"fmt"
	"time"

	"github.com/closeloop/closeloop/feedback"
)

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
