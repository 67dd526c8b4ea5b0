package l10n_test

import (
	"fmt"
	"time"

	"golang.org/x/text/language"

	"github.com/closeloop/closeloop/feedback"
	"github.com/closeloop/closeloop/l10n"
	"github.com/closeloop/closeloop/priority"
	"github.com/closeloop/closeloop/sla"
)

// Priority reasons from the after-sales preset, in both languages.
func ExamplePrinter_Reason() {
	scorer, err := priority.Preset(priority.PresetAfterSales)
	if err != nil {
		panic(err)
	}
	res, err := scorer.Explain(priority.Input{Affected: 500, Urgency: 3, Severity: 2})
	if err != nil {
		panic(err)
	}
	for _, tag := range []language.Tag{language.English, language.SimplifiedChinese} {
		p := l10n.New(tag)
		for _, r := range res.Reasons {
			fmt.Println(p.Reason(r))
		}
	}
	// Output:
	// affected 500 reaches the threshold 50 (impact at least 3)
	// impact 3 (a batch of customers): +20 points
	// urgency 3 (high: daily use affected): +20 points
	// severity 2 (medium: fault, no safety risk): +10 points
	// tier 1 (standard) [not given, taken as the lowest]
	// score 50 ≥ 40 ⇒ P1
	// 受影响数量 500 达到阈值 50（影响范围至少为 3）
	// 影响范围 3（一批客户）：+20 分
	// 紧急程度 3（高：影响日常使用）：+20 分
	// 严重程度 2（中：有故障，无安全风险）：+10 分
	// 客户等级 1（标准）［未提供，按最低计］
	// 得分 50 ≥ 40 ⇒ P1
}

// The customer's progress view: the Chinese line ProgressView.Text
// writes, and its English.
func ExamplePrinter_ProgressView() {
	loc := time.FixedZone("CST", 8*3600)
	v, err := feedback.NewProgressView(feedback.ProgressInput{
		FeedbackID: "F20240301001",
		Reached: []feedback.ProgressMark{
			{Node: "accepted", At: time.Date(2024, 3, 1, 10, 30, 0, 0, loc)},
			{Node: "awaiting_inspection", At: time.Date(2024, 3, 2, 9, 0, 0, 0, loc)},
			{Node: "under_repair", At: time.Date(2024, 3, 3, 14, 0, 0, 0, loc)},
		},
		Team:       "技术支持部",
		PromisedBy: time.Date(2024, 3, 10, 18, 0, 0, 0, loc),
	}, nil)
	if err != nil {
		panic(err)
	}
	fmt.Println(l10n.New(language.Chinese).ProgressView(v, loc))
	fmt.Println(l10n.MatchAccept("en-GB,en;q=0.9"), l10n.New(l10n.MatchAccept("en-GB,en;q=0.9")).ProgressView(v, loc))
	// Output:
	// 反馈F20240301001：已受理 03-01 10:30 → 待检测 03-02 09:00 → 维修中(当前) 03-03 14:00；处理团队：技术支持部；承诺完成：2024-03-10 18:00
	// en Feedback F20240301001: accepted 03-01 10:30 → awaiting inspection 03-02 09:00 → under repair (current) 03-03 14:00; team: 技术支持部; promised by 2024-03-10 18:00
}

// A refused change and a rules error, as a person reads them.
func ExamplePrinter_Error() {
	rules, err := feedback.PresetRules()
	if err != nil {
		panic(err)
	}
	at := time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC)
	ticket, _, err := rules.Open(feedback.Opening{ID: "F1", At: at, Actor: "agent-7", Customer: "C1", Channel: "phone", Category: "product_fault"})
	if err != nil {
		panic(err)
	}
	_, refused := rules.Fire(ticket, feedback.Change{Trigger: feedback.TriggerClose, Version: ticket.Version, At: at, Actor: "agent-7"})
	_, bad := feedback.ParseRules([]byte(`{"version": "2024-03", "sla": {"polices": []}}`))
	for _, tag := range l10n.Languages() {
		p := l10n.New(tag)
		fmt.Println(p.Error(refused))
		fmt.Println(p.Error(bad))
	}
	// Output:
	// trigger "close" is not permitted in state "received"
	// $.sla.polices: unknown field
	// 状态“已接收”下不允许关闭
	// 位置 $.sla.polices：未知字段
}

// One clock of an SLA report: time left on a business calendar says so.
func ExamplePrinter_Metric() {
	loc := time.FixedZone("CST", 8*3600)
	m := sla.MetricReport{
		Name: "resolution", Status: sla.Paused, HasTarget: true,
		Target:    sla.Target{Unit: sla.WorkingDays, Days: 5, Calendar: "cn-office"},
		Deadline:  time.Date(2024, 3, 11, 11, 30, 0, 0, loc),
		Remaining: 37 * time.Hour,
	}
	fmt.Println(l10n.New(language.English).Metric(m, loc))
	fmt.Println(l10n.New(language.SimplifiedChinese).Metric(m, loc))
	// Output:
	// resolution: paused, target 5 working days on cn-office, due 03-11 11:30, 37h left in working hours
	// 解决：已暂停，目标 5个工作日（cn-office 日历），截止 03-11 11:30，剩余37小时（工作时间）
}

// Effects a host carries out, written for the person who does it.
func ExamplePrinter_Effect() {
	loc := time.FixedZone("CST", 8*3600)
	e := feedback.Effect{Kind: feedback.AlertManager, Ticket: "C1", Level: 1, Metric: "first_response",
		Alert: "senior_management", Cycle: 1, At: time.Date(2024, 3, 4, 9, 30, 0, 0, loc)}
	fmt.Println(l10n.New(language.English).Effect(e, loc))
	fmt.Println(l10n.New(language.Chinese).Effect(e, loc))
	// Output:
	// alert level 1: first_response: senior_management (since 03-04 09:30)
	// 告警 第1级：首次响应：高层管理（自 03-04 09:30）
}

// Durations have one format, the one rules documents accept.
func ExamplePrinter_Duration() {
	d := 11*time.Hour + 33*time.Minute + 33*time.Second
	fmt.Println(l10n.New(language.English).Duration(d), l10n.New(language.Chinese).Duration(d))
	// Output:
	// 11h34m 11小时34分钟
}
