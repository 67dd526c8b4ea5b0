package improvement_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/closeloop/closeloop/improvement"
	"github.com/closeloop/closeloop/sla"
)

func officeCalendar() *sla.Calendar {
	cal, err := sla.ParseCalendar([]byte(`{"name":"cn-office","time_zone":"Asia/Shanghai",
		"week":{"mon":[["09:00","18:00"]],"tue":[["09:00","18:00"]],"wed":[["09:00","18:00"]],
		        "thu":[["09:00","18:00"]],"fri":[["09:00","18:00"]]}}`))
	if err != nil {
		panic(err)
	}
	return cal
}

// Document 002 table 3, first row: planned to finish on Sunday 2024-03-10,
// finished on Saturday 03-09 — "提前1天完成", one calendar day early but no
// working day gained.
func ExamplePlan_Outcome() {
	cal := officeCalendar()
	d := func(s string) time.Time { t, _ := time.ParseInLocation("2006-01-02", s, cal.Location()); return t }
	plan := improvement.Plan{
		ID: "IMP20240301001", FeedbackIDs: []string{"F20240301001"}, RootCause: "电池批次异常，导致充电效率低",
		Measures:   []string{"停售问题批次电池", "为已购买客户提供免费更换"},
		Department: "技术支持部/销售部", Owner: "工程师/经理",
		PlannedStart: d("2024-03-02"), PlannedFinish: d("2024-03-10"), ActualFinish: d("2024-03-09"), Status: improvement.PlanDone,
	}
	fmt.Println(plan.Validate())
	out, err := plan.Outcome(cal)
	fmt.Println(out.Timing, out.CalendarDays, out.WorkingDays, err)
	// Output:
	// <nil>
	// early 1 0 <nil>
}

// A delay request must be filed at least one working day before the planned
// finish (document 002 step 4) and then approved or rejected.
func ExamplePlan_FileDelay() {
	cal := officeCalendar()
	d := func(s string) time.Time {
		t, _ := time.ParseInLocation("2006-01-02 15:04", s, cal.Location())
		return t
	}
	plan := improvement.Plan{
		ID: "IMP20240301002", FeedbackIDs: []string{"F20240301002"}, RootCause: "安装服务规范未落地执行",
		Measures: []string{"修订安装服务规范", "对安装师傅进行培训"}, Department: "客服部", Owner: "主管",
		PlannedStart: d("2024-03-04 00:00"), PlannedFinish: d("2024-03-08 00:00"), Status: improvement.PlanInProgress,
	}
	req := improvement.DelayRequest{ID: "D1", Reason: "培训场地未落实", NewPlan: "改为线上培训", NewFinish: d("2024-03-15 00:00")}

	req.FiledAt = d("2024-03-08 09:00") // on the day itself: too late
	_, err := plan.FileDelay(req, 0, cal, improvement.DelayPolicy{})
	fmt.Println(errors.Is(err, improvement.ErrDelayTooLate), err)

	req.FiledAt = d("2024-03-07 17:00") // Thursday for a Friday finish
	plan, err = plan.FileDelay(req, 0, cal, improvement.DelayPolicy{})
	fmt.Println(err, plan.DelayRequests[0].Decision)
	plan, err = plan.DecideDelay("D1", true, "售后负责人", d("2024-03-07 18:00"))
	fmt.Println(err, plan.PlannedFinish.Format("2006-01-02"), plan.OriginalFinish.Format("2006-01-02"))
	// Output:
	// true improvement: plan "IMP20240301002": delay_requests[0].filed_at: is filed too late: less than the required working days before the planned finish: 0 working day(s) ahead, 1 required
	// <nil> pending
	// <nil> 2024-03-15 2024-03-08
}

// Three complaints traced to one battery batch show up as a repeated fault.
func ExampleLinkRootCauses() {
	d := func(s string) time.Time { t, _ := time.Parse("2006-01-02", s); return t }
	recs, err := improvement.LinkRootCauses(
		[]improvement.RootCause{{ID: "RC-1", Summary: "电池批次异常"}, {ID: "RC-2", Summary: "安装服务规范未落地执行"}},
		[]improvement.RootCauseLink{
			{FeedbackID: "F20240301001", RootCauseID: "RC-1", At: d("2024-03-01")},
			{FeedbackID: "F20240301002", RootCauseID: "RC-2", At: d("2024-03-01")},
			{FeedbackID: "F20240315004", RootCauseID: "RC-1", At: d("2024-03-15")},
			{FeedbackID: "F20240402009", RootCauseID: "RC-1", At: d("2024-04-02")},
		}, nil, 2)
	for _, r := range recs {
		fmt.Println(r.ID, r.Summary, r.Occurrences, r.Repeated, r.FeedbackIDs)
	}
	fmt.Println(err)
	// Output:
	// RC-1 电池批次异常 3 true [F20240301001 F20240315004 F20240402009]
	// RC-2 安装服务规范未落地执行 1 false [F20240301002]
	// <nil>
}
