package improvement

import (
	"errors"
	"testing"
	"time"

	"github.com/closeloop/closeloop/intake"
	"github.com/closeloop/closeloop/sla"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var shanghai = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		panic(err)
	}
	return loc
}()

// The real calendar satisfies the interface.
var _ WorkingDays = (*sla.Calendar)(nil)

// weekdayCal is a test calendar: Monday to Friday, minus holidays, plus
// extra working days, by date in the argument's own location.
type weekdayCal struct {
	holidays, extra map[string]bool
}

func (c weekdayCal) IsWorkingDay(t time.Time) bool {
	d := t.Format("2006-01-02")
	if c.extra[d] {
		return true
	}
	if c.holidays[d] {
		return false
	}
	return t.Weekday() != time.Saturday && t.Weekday() != time.Sunday
}

func (c weekdayCal) AddWorkingDays(t time.Time, n int) (time.Time, error) {
	y, m, d := t.Date()
	for i := 1; n > 0; i++ {
		day := time.Date(y, m, d+i, 18, 0, 0, 0, t.Location())
		if c.IsWorkingDay(day) {
			n--
			if n == 0 {
				return day, nil
			}
		}
	}
	return t, nil
}

func day(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02", s, shanghai)
	if err != nil {
		panic(err)
	}
	return t
}

// table3 returns document 002 table 3's rows.
func table3() []Plan {
	return []Plan{
		{ID: "IMP20240301001", FeedbackIDs: []string{"F20240301001"}, RootCauseID: "RC-battery-batch",
			RootCause: "电池批次异常，导致充电效率低", Measures: []string{"停售问题批次电池", "为已购买客户提供免费更换"},
			Department: "技术支持部/销售部", Owner: "工程师/经理", PlannedStart: day("2024-03-02"), PlannedFinish: day("2024-03-10"),
			ActualFinish: day("2024-03-09"), Status: PlanDone, Note: "提前1天完成，客户满意度4.5分"},
		{ID: "IMP20240301002", FeedbackIDs: []string{"F20240301002"}, RootCause: "安装服务规范未落地执行",
			Measures: []string{"修订安装服务规范", "对安装师傅进行培训"}, Department: "客服部/人力资源部", Owner: "主管/培训专员",
			PlannedStart: day("2024-03-03"), PlannedFinish: day("2024-03-05"), ActualFinish: day("2024-03-05"), Status: PlanDone,
			Note: "已同步至安装团队"},
	}
}

func TestPlanTable3Outcomes(t *testing.T) {
	cal := weekdayCal{}
	plans := table3()
	for _, p := range plans {
		require.NoError(t, p.Validate(), p.ID)
	}
	got, err := plans[0].Outcome(cal)
	require.NoError(t, err)
	// "提前1天完成": one calendar day early; 2024-03-09/10 is a weekend, so no working day was gained.
	assert.Equal(t, PlanOutcome{Timing: PlanEarly, CalendarDays: 1, WorkingDays: 0}, got)
	got, err = plans[1].Outcome(cal)
	require.NoError(t, err)
	assert.Equal(t, PlanOutcome{Timing: PlanOnTime}, got)

	late := plans[1]
	late.ActualFinish = day("2024-03-11") // due Tuesday 03-05, done the next Monday
	got, err = late.Outcome(cal)
	require.NoError(t, err)
	assert.Equal(t, PlanOutcome{Timing: PlanLate, CalendarDays: 6, WorkingDays: 4}, got)

	early := plans[1]
	early.PlannedFinish, early.ActualFinish = day("2024-03-11"), day("2024-03-06") // Wed for a Monday
	got, err = early.Outcome(cal)
	require.NoError(t, err)
	assert.Equal(t, PlanOutcome{Timing: PlanEarly, CalendarDays: 5, WorkingDays: 3}, got)

	_, err = Plan{ID: "x"}.Outcome(cal)
	assert.ErrorIs(t, err, ErrPlanNotFinished)
	_, err = plans[0].Outcome(nil)
	assert.ErrorIs(t, err, ErrCalendarRequired)
}

func TestPlanValidate(t *testing.T) {
	tests := []struct {
		name   string
		edit   func(*Plan)
		fields []string
		is     error
	}{
		{"ok", func(*Plan) {}, nil, nil},
		{"missing everything", func(p *Plan) { *p = Plan{Status: PlanInProgress} },
			[]string{"id", "feedback_ids", "root_cause", "measures", "department", "owner", "planned_start", "planned_finish"}, intake.ErrRequired},
		{"root cause by ID only", func(p *Plan) { p.RootCause = "" }, nil, nil},
		{"blank measure", func(p *Plan) { p.Measures = []string{"ok", " "} }, []string{"measures[1]"}, intake.ErrRequired},
		{"control char", func(p *Plan) { p.Owner = "a\x00" }, []string{"owner"}, intake.ErrBadText},
		{"finish before start", func(p *Plan) { p.PlannedFinish = day("2024-03-01") }, []string{"planned_finish"}, intake.ErrTimeOrder},
		{"actual before start", func(p *Plan) { p.ActualFinish = day("2024-03-01") }, []string{"actual_finish"}, intake.ErrTimeOrder},
		{"done without actual", func(p *Plan) { p.ActualFinish = time.Time{} }, []string{"actual_finish"}, intake.ErrRequired},
		{"in progress with actual", func(p *Plan) { p.Status = PlanInProgress }, []string{"status"}, ErrBadStatus},
		{"bad status", func(p *Plan) { p.Status = "已完成" }, []string{"status"}, ErrBadStatus},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := table3()[0]
			tc.edit(&p)
			err := p.Validate()
			if tc.fields == nil {
				require.NoError(t, err)
				return
			}
			var pe *PlanError
			require.ErrorAs(t, err, &pe)
			var fields []string
			for _, pr := range pe.Problems {
				fields = append(fields, pr.Field)
			}
			assert.Equal(t, tc.fields, fields, err.Error())
			assert.ErrorIs(t, err, tc.is)
		})
	}
}

func TestPlanStatusAt(t *testing.T) {
	p := table3()[0]
	p.ActualFinish, p.Status = time.Time{}, PlanInProgress
	assert.Equal(t, PlanInProgress, p.StatusAt(day("2024-03-05")))
	assert.Equal(t, PlanInProgress, p.StatusAt(day("2024-03-10").Add(23*time.Hour+59*time.Minute)))
	assert.Equal(t, PlanDelayed, p.StatusAt(day("2024-03-11")))
	assert.Equal(t, PlanDelayed, p.StatusAt(time.Date(2024, 3, 10, 16, 0, 0, 0, time.UTC)), "16:00 UTC is 00:00 in Shanghai")
	done, err := p.Finish(day("2024-03-12"))
	require.NoError(t, err)
	assert.Equal(t, PlanDone, done.StatusAt(day("2024-04-01")))
	assert.Equal(t, PlanInProgress, p.Status, "Finish returns a copy")
	_, err = done.Finish(day("2024-03-13"))
	assert.ErrorIs(t, err, ErrPlanFinished)
	_, err = p.Finish(time.Time{})
	assert.ErrorIs(t, err, intake.ErrRequired)
}

func openPlan() Plan {
	p := table3()[1]
	p.ActualFinish, p.Status = time.Time{}, PlanInProgress
	p.PlannedFinish = day("2024-03-08") // a Friday
	return p
}

func TestPlanDelayRequestRule(t *testing.T) {
	cal := weekdayCal{}
	req := func(filed string) DelayRequest {
		return DelayRequest{ID: "D1", FiledAt: day(filed).Add(17 * time.Hour), Reason: "培训场地未落实", NewPlan: "改为线上培训",
			NewFinish: day("2024-03-15")}
	}
	tests := []struct {
		name    string
		plan    func() Plan
		req     DelayRequest
		fields  []string
		is      error
		lead    int
		extraWD int
	}{
		{"one working day ahead (Thu for Fri)", openPlan, req("2024-03-07"), nil, nil, 0, 0},
		{"days ahead", openPlan, req("2024-03-04"), nil, nil, 0, 0},
		{"same day is too late", openPlan, req("2024-03-08"), []string{"delay_requests[0].filed_at"}, ErrDelayTooLate, 0, 0},
		{"after the deadline is too late", openPlan, req("2024-03-09"), []string{"delay_requests[0].filed_at"}, ErrDelayTooLate, 0, 0},
		{"two days required", openPlan, req("2024-03-07"), []string{"delay_requests[0].filed_at"}, ErrDelayTooLate, 2, 0},
		{"monday deadline, friday filing", func() Plan { p := openPlan(); p.PlannedFinish = day("2024-03-11"); return p },
			req("2024-03-08"), nil, nil, 0, 0},
		{"monday deadline, sunday filing", func() Plan { p := openPlan(); p.PlannedFinish = day("2024-03-11"); return p },
			req("2024-03-10"), nil, nil, 0, 0},
		{"reason and plan required", openPlan, DelayRequest{ID: "D1", FiledAt: day("2024-03-01"), NewFinish: day("2024-03-20")},
			[]string{"delay_requests[0].reason", "delay_requests[0].new_plan"}, intake.ErrRequired, 0, 0},
		{"new finish must be later", openPlan, func() DelayRequest { r := req("2024-03-01"); r.NewFinish = day("2024-03-08"); return r }(),
			[]string{"delay_requests[0].new_finish"}, intake.ErrTimeOrder, 0, 0},
		{"new finish in working days", openPlan, func() DelayRequest { r := req("2024-03-01"); r.NewFinish = time.Time{}; return r }(),
			nil, nil, 0, 3},
		{"new finish missing", openPlan, func() DelayRequest { r := req("2024-03-01"); r.NewFinish = time.Time{}; return r }(),
			[]string{"delay_requests[0].new_finish"}, intake.ErrRequired, 0, 0},
		{"finished plan", func() Plan { return table3()[1] }, req("2024-03-01"), []string{"actual_finish"}, ErrPlanFinished, 0, 0},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			p := tc.plan()
			got, err := p.FileDelay(tc.req, tc.extraWD, cal, DelayPolicy{LeadWorkingDays: tc.lead})
			if tc.fields != nil {
				var pe *PlanError
				require.ErrorAs(t, err, &pe)
				var fields []string
				for _, pr := range pe.Problems {
					fields = append(fields, pr.Field)
				}
				assert.Equal(t, tc.fields, fields, err.Error())
				assert.ErrorIs(t, err, tc.is)
				assert.Empty(t, p.DelayRequests)
				return
			}
			require.NoError(t, err)
			require.Len(t, got.DelayRequests, 1)
			assert.Equal(t, DelayPending, got.DelayRequests[0].Decision)
			assert.Empty(t, p.DelayRequests, "the input plan is unchanged")
			if tc.extraWD > 0 {
				assert.Equal(t, "2024-03-13", got.DelayRequests[0].NewFinish.Format("2006-01-02"))
			}
		})
	}
	_, err := openPlan().FileDelay(req("2024-03-01"), 0, nil, DelayPolicy{})
	assert.ErrorIs(t, err, ErrCalendarRequired)
}

func TestPlanDelayDecision(t *testing.T) {
	cal := weekdayCal{}
	p := openPlan()
	p, err := p.FileDelay(DelayRequest{ID: "D1", FiledAt: day("2024-03-06"), Reason: "r", NewPlan: "n", NewFinish: day("2024-03-15")}, 0, cal, DelayPolicy{})
	require.NoError(t, err)
	_, err = p.FileDelay(DelayRequest{ID: "D2", FiledAt: day("2024-03-06"), Reason: "r", NewPlan: "n", NewFinish: day("2024-03-20")}, 0, cal, DelayPolicy{})
	assert.ErrorIs(t, err, ErrDelayPending)

	_, err = p.DecideDelay("D9", true, "售后负责人", day("2024-03-07"))
	assert.ErrorIs(t, err, ErrNoPendingDelay)
	_, err = p.DecideDelay("D1", true, "", day("2024-03-07"))
	assert.ErrorIs(t, err, intake.ErrRequired)
	_, err = p.DecideDelay("D1", true, "售后负责人", day("2024-03-05"))
	assert.ErrorIs(t, err, intake.ErrTimeOrder)

	rejected, err := p.DecideDelay("D1", false, "售后负责人", day("2024-03-07"))
	require.NoError(t, err)
	assert.Equal(t, DelayRejected, rejected.DelayRequests[0].Decision)
	assert.Equal(t, day("2024-03-08"), rejected.PlannedFinish)

	p.Status = PlanDelayed
	approved, err := p.DecideDelay("D1", true, "售后负责人", day("2024-03-07"))
	require.NoError(t, err)
	assert.Equal(t, DelayApproved, approved.DelayRequests[0].Decision)
	assert.Equal(t, day("2024-03-15"), approved.PlannedFinish)
	assert.Equal(t, day("2024-03-08"), approved.OriginalFinish)
	assert.Equal(t, PlanInProgress, approved.Status)
	assert.Equal(t, DelayPending, p.DelayRequests[0].Decision, "the input plan is unchanged")
	_, err = approved.DecideDelay("D1", true, "x", day("2024-03-07"))
	assert.ErrorIs(t, err, ErrNoPendingDelay, "decided once")

	done, err := approved.Finish(day("2024-03-14"))
	require.NoError(t, err)
	out, err := done.Outcome(cal)
	require.NoError(t, err)
	assert.Equal(t, PlanEarly, out.Timing)
	assert.Equal(t, 1, out.WorkingDays)
	require.NotNil(t, out.AgainstOriginal)
	assert.Equal(t, PlanOutcome{Timing: PlanLate, CalendarDays: 6, WorkingDays: 4}, *out.AgainstOriginal)
}

func TestPlanWithSLACalendar(t *testing.T) {
	// China, 2024 National Day: 10-01..10-07 off, Sunday 09-29 and Saturday 10-12 worked.
	cal, err := sla.ParseCalendar([]byte(`{"name":"cn-office","time_zone":"Asia/Shanghai",
		"week":{"mon":[["09:00","12:00"],["13:30","18:00"]],"tue":[["09:00","18:00"]],"wed":[["09:00","18:00"]],
		        "thu":[["09:00","18:00"]],"fri":[["09:00","18:00"]]},
		"holidays":[{"date":"2024-10-01"},{"date":"2024-10-02"},{"date":"2024-10-03"},{"date":"2024-10-04"},
		            {"date":"2024-10-07"}],
		"extra_working_days":[{"date":"2024-09-29","hours":[["09:00","18:00"]]},{"date":"2024-10-12","hours":[["09:00","18:00"]]}]}`))
	require.NoError(t, err)
	p := openPlan()
	p.PlannedFinish = day("2024-10-12") // the make-up Saturday
	req := DelayRequest{ID: "D1", FiledAt: day("2024-10-11").Add(10 * time.Hour), Reason: "r", NewPlan: "n", NewFinish: day("2024-10-18")}
	_, err = p.FileDelay(req, 0, cal, DelayPolicy{})
	require.NoError(t, err, "Saturday 10-12 is a working day, so Friday is one working day ahead")
	_, err = p.FileDelay(req, 0, weekdayCal{}, DelayPolicy{})
	assert.ErrorIs(t, err, ErrDelayTooLate, "without the make-up day Friday is too late")

	p.PlannedFinish = day("2024-10-08")
	req.FiledAt, req.NewFinish = day("2024-09-30").Add(15*time.Hour), time.Time{}
	got, err := p.FileDelay(req, 2, cal, DelayPolicy{})
	require.NoError(t, err, "09-30 -> 10-08 has one working day (10-08) after the filing date")
	assert.Equal(t, "2024-10-10", got.DelayRequests[0].NewFinish.In(shanghai).Format("2006-01-02"))

	p.ActualFinish = day("2024-10-09")
	p.PlannedFinish = day("2024-09-30")
	out, err := p.Outcome(cal)
	require.NoError(t, err)
	assert.Equal(t, PlanOutcome{Timing: PlanLate, CalendarDays: 9, WorkingDays: 2}, out, "late by 10-08 and 10-09 only")
}

func TestLinkRootCauses(t *testing.T) {
	causes := []RootCause{
		{ID: "RC-battery-batch", Summary: "电池批次异常", Category: "product_fault", Product: "手机Pro"},
		{ID: "RC-install-norms", Summary: "安装服务规范未落地执行", Category: "service_experience"},
		{ID: "RC-unused", Summary: "never seen"},
	}
	links := []RootCauseLink{
		{FeedbackID: "F20240301001", RootCauseID: "RC-battery-batch", At: day("2024-03-01")},
		{FeedbackID: "F20240301002", RootCauseID: "RC-install-norms", At: day("2024-03-01")},
		{FeedbackID: "F20240405007", RootCauseID: "RC-battery-batch", At: day("2024-04-05")},
		{FeedbackID: "F20240220003", RootCauseID: "RC-battery-batch", At: day("2024-02-20")},
		{FeedbackID: "F20240405007", RootCauseID: "RC-battery-batch", At: day("2024-04-05")}, // linked twice: counted once
	}
	recs, err := LinkRootCauses(causes, links, table3(), 0)
	require.NoError(t, err)
	require.Len(t, recs, 3)
	assert.Equal(t, "RC-battery-batch", recs[0].ID)
	assert.True(t, recs[0].Repeated)
	assert.Equal(t, 3, recs[0].Occurrences)
	assert.Equal(t, []string{"F20240220003", "F20240301001", "F20240405007"}, recs[0].FeedbackIDs)
	assert.Equal(t, day("2024-02-20"), recs[0].FirstSeen)
	assert.Equal(t, day("2024-04-05"), recs[0].LastSeen)
	assert.Equal(t, []string{"IMP20240301001"}, recs[0].PlanIDs)
	assert.False(t, recs[1].Repeated)
	assert.Equal(t, "RC-install-norms", recs[1].ID)
	assert.Equal(t, 0, recs[2].Occurrences)

	recs, err = LinkRootCauses(causes, links, nil, 4)
	require.NoError(t, err)
	assert.False(t, recs[0].Repeated)

	_, err = LinkRootCauses(causes, []RootCauseLink{{FeedbackID: "F1", RootCauseID: "RC-x"}}, nil, 0)
	assert.ErrorIs(t, err, intake.ErrUnknownValue)
	_, err = LinkRootCauses(causes, nil, []Plan{{ID: "P", RootCauseID: "RC-x"}}, 0)
	assert.ErrorIs(t, err, intake.ErrUnknownValue)
	_, err = LinkRootCauses([]RootCause{{ID: "a"}, {ID: "a"}}, nil, nil, 0)
	assert.True(t, errors.Is(err, intake.ErrBadFormat))
	_, err = LinkRootCauses([]RootCause{{ID: ""}}, nil, nil, 0)
	assert.ErrorIs(t, err, intake.ErrRequired)
}
