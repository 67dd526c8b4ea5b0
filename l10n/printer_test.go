package l10n

import (
	"errors"
	"fmt"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/closeloop/closeloop/compensation"
	"github.com/closeloop/closeloop/feedback"
	"github.com/closeloop/closeloop/intake"
	"github.com/closeloop/closeloop/priority"
	"github.com/closeloop/closeloop/sla"
)

var (
	en = New(English)
	zh = New(Chinese)
)

func TestMatch(t *testing.T) {
	for _, tc := range []struct {
		in   string
		want language.Tag
	}{
		{"zh", Chinese}, {"zh-CN", Chinese}, {"zh-Hans", Chinese}, {"zh-SG", Chinese},
		{"zh-TW", Chinese}, {"zh-Hant", Chinese}, {"zh-HK", Chinese},
		{"en", English}, {"en-GB", English}, {"fr", English}, {"ja", English}, {"und", English},
	} {
		t.Run(tc.in, func(t *testing.T) {
			assert.Equal(t, tc.want, Match(language.MustParse(tc.in)))
			assert.Equal(t, tc.want, New(language.MustParse(tc.in)).Language())
		})
	}
	assert.Equal(t, English, Match(), "no preference")
	for _, tc := range []struct {
		accept string
		want   language.Tag
	}{
		{"zh-CN,zh;q=0.9,en;q=0.8", Chinese},
		{"en-US,en;q=0.9,zh;q=0.5", English},
		{"fr-FR, zh;q=0.5", Chinese},
		{"de, fr", English},
		{"", English},
		{"!!not a header", English},
	} {
		assert.Equal(t, tc.want, MatchAccept(tc.accept), tc.accept)
	}
}

func TestDuration(t *testing.T) {
	for _, tc := range []struct {
		d      time.Duration
		en, zh string
	}{
		{0, "0m", "0分钟"},
		{30 * time.Second, "30s", "30秒"},
		{29*time.Second + 600*time.Millisecond, "30s", "30秒"},
		{45 * time.Minute, "45m", "45分钟"},
		{5*time.Hour + 30*time.Minute, "5h30m", "5小时30分钟"},
		{11*time.Hour + 33*time.Minute + 33*time.Second, "11h34m", "11小时34分钟"},
		{48 * time.Hour, "48h", "48小时"},
		{1000 * time.Hour, "1000h", "1000小时"},
		{72 * time.Hour, "72h", "72小时"},
		{7 * 24 * time.Hour, "7d", "7天"},
		{30 * 24 * time.Hour, "30d", "30天"},
		{(30*24 + 1) * time.Hour, "721h", "721小时"},
		{-(3*time.Hour + 5*time.Minute), "-3h5m", "-3小时5分钟"},
		{59*time.Minute + 59*time.Second, "1h", "1小时"},
	} {
		t.Run(tc.en, func(t *testing.T) {
			assert.Equal(t, tc.en, en.Duration(tc.d))
			assert.Equal(t, tc.zh, zh.Duration(tc.d))
			if (tc.d >= time.Minute || tc.d <= -time.Minute) && !strings.HasSuffix(tc.en, "d") {
				back, err := time.ParseDuration(en.Duration(tc.d))
				require.NoError(t, err, "rules documents accept it")
				assert.Equal(t, tc.d.Round(time.Minute), back)
			}
		})
	}
}

// TestReasonEnglishIsPriorityString: for every preset scorer and many
// inputs, English is exactly what package priority writes.
func TestReasonEnglishIsPriorityString(t *testing.T) {
	rng := rand.New(rand.NewPCG(1, 2))
	n := 0
	for _, name := range priority.PresetNames() {
		s, err := priority.Preset(name)
		require.NoError(t, err, name)
		for range 300 {
			in := priority.Input{
				Impact: rng.IntN(5), Urgency: rng.IntN(5), Severity: rng.IntN(5), Tier: rng.IntN(5),
				Affected: int64(rng.IntN(2000)), Business: int64(rng.IntN(2000)), Value: int64(rng.IntN(200000)),
				Flags: priority.Flags(rng.IntN(32)),
			}
			res, err := s.Explain(in)
			if err != nil {
				continue
			}
			for _, r := range res.Reasons {
				n++
				require.Equal(t, r.String(), en.Reason(r), "%s %+v", name, in)
				assert.NotEqual(t, r.String(), zh.Reason(r), "%s: Chinese differs", r.String())
			}
		}
	}
	assert.Greater(t, n, 1000)
}

func TestReason(t *testing.T) {
	for _, tc := range []struct {
		r      priority.Reason
		en, zh string
	}{
		{priority.Reason{Kind: priority.ReasonInput, Name: "urgency", Value: 3, Label: "high: daily use affected", Points: 20},
			"urgency 3 (high: daily use affected): +20 points", "紧急程度 3（高：影响日常使用）：+20 分"},
		{priority.Reason{Kind: priority.ReasonInput, Name: "tier", Value: 1, Label: "standard", Detail: "not given, taken as the lowest"},
			"tier 1 (standard) [not given, taken as the lowest]", "客户等级 1（标准）［未提供，按最低计］"},
		{priority.Reason{Kind: priority.ReasonCount, Name: "affected", Value: 500, Threshold: 50, Detail: "impact at least 3"},
			"affected 500 reaches the threshold 50 (impact at least 3)", "受影响数量 500 达到阈值 50（影响范围至少为 3）"},
		{priority.Reason{Kind: priority.ReasonFlag, Name: "core_function", Value: 1, Points: 15},
			"flag core_function: +15 points", "标记：核心功能故障：+15 分"},
		{priority.Reason{Kind: priority.ReasonBand, Name: "weighted", Value: 50, Threshold: 40, To: "P1"},
			"score 50 ≥ 40 ⇒ P1", "得分 50 ≥ 40 ⇒ P1"},
		{priority.Reason{Kind: priority.ReasonBand, Name: "weighted", Value: 0, Detail: "below every band", To: "P3"},
			"score 0 is below every band ⇒ P3", "得分 0 低于所有分档 ⇒ P3"},
		{priority.Reason{Kind: priority.ReasonMatrix, Name: "matrix", Detail: "severity × urgency", To: "normal"},
			"matrix severity × urgency ⇒ normal", "矩阵 严重程度 × 紧急程度 ⇒ 普通"},
		{priority.Reason{Kind: priority.ReasonQuadrant, Name: "quadrant", Label: "do_now", To: "P0", Detail: priority.DoNow.Action()},
			"quadrant do_now ⇒ P0: act now: start the response within 24 hours", "象限 紧急且重要 ⇒ P0：立即处理：24小时内启动响应"},
		{priority.Reason{Kind: priority.ReasonOverride, Name: "personal safety, major property loss or legal risk", Detail: "raise_to emergency", From: "normal", To: "emergency"},
			`override "personal safety, major property loss or legal risk" (raise_to emergency): normal → emergency`,
			"调整规则 “人身安全、重大财产损失或法律风险”（提升至 紧急）：普通 → 紧急"},
		{priority.Reason{Kind: priority.ReasonOverride, Name: "VIP customer", Detail: "raise_by 1", From: "P2", To: "P1"},
			`override "VIP customer" (raise_by 1): P2 → P1`, "调整规则 “VIP 客户”（提升 1 级）：P2 → P1"},
		{priority.Reason{Kind: priority.ReasonOverride, Name: "our own rule", Detail: "cap P2", From: "P1", To: "P2"},
			`override "our own rule" (cap P2): P1 → P2`, "调整规则 “our own rule”（不高于 P2）：P1 → P2"},
		{priority.Reason{Kind: priority.ReasonTierName, Name: "vip", Value: 4, Label: "VIP"},
			`tier name "vip" ⇒ tier 4 (VIP)`, "客户等级名称 “vip” ⇒ 等级 4（VIP）"},
	} {
		t.Run(tc.en, func(t *testing.T) {
			assert.Equal(t, tc.en, en.Reason(tc.r))
			assert.Equal(t, tc.r.String(), en.Reason(tc.r))
			assert.Equal(t, tc.zh, zh.Reason(tc.r))
		})
	}
	assert.Equal(t, []string{"score 50 ≥ 40 ⇒ P1"}, en.Reasons([]priority.Reason{{Kind: priority.ReasonBand, Value: 50, Threshold: 40, To: "P1"}}))
}

var shanghai = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		panic(err)
	}
	return loc
}()

func at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, shanghai)
	if err != nil {
		panic(err)
	}
	return t
}

func TestSLA(t *testing.T) {
	assert.Equal(t, "breached", en.Status(sla.Breached))
	assert.Equal(t, "已超时", zh.Status(sla.Breached))
	assert.Equal(t, "first response", en.MetricKind(sla.FirstResponse))
	assert.Equal(t, "定期进展通报", zh.MetricKind(sla.PeriodicUpdate))
	assert.Equal(t, "first_response", en.MetricName("first_response"), "English shows the identifier")
	assert.Equal(t, "二次回访", zh.MetricName("second_visit"))
	assert.Equal(t, "our_metric", zh.MetricName("our_metric"))

	for _, tc := range []struct {
		target sla.Target
		en, zh string
	}{
		{sla.Target{Unit: sla.Elapsed, Duration: 48 * time.Hour}, "48h elapsed", "48小时（自然时间）"},
		{sla.Target{Unit: sla.Business, Duration: 16 * time.Hour, Calendar: "office"}, "16h business on office", "16小时工作时间（office 日历）"},
		{sla.Target{Unit: sla.WorkingDays, Days: 5, Calendar: "cn-office"}, "5 working days on cn-office", "5个工作日（cn-office 日历）"},
		{sla.Target{Unit: sla.WorkingDays, Days: 1, Calendar: "cn-office"}, "1 working day on cn-office", "1个工作日（cn-office 日历）"},
	} {
		assert.Equal(t, tc.en, en.Target(tc.target))
		assert.Equal(t, tc.zh, zh.Target(tc.target))
	}

	for _, tc := range []struct {
		name   string
		m      sla.MetricReport
		en, zh string
	}{
		{"paused on a business calendar",
			sla.MetricReport{Name: "resolution", Status: sla.Paused, HasTarget: true, Target: sla.Target{Unit: sla.WorkingDays, Days: 5, Calendar: "cn-office"},
				Deadline: at("2024-03-11 11:30"), Remaining: 37 * time.Hour},
			"resolution: paused, target 5 working days on cn-office, due 03-11 11:30, 37h left in working hours",
			"解决：已暂停，目标 5个工作日（cn-office 日历），截止 03-11 11:30，剩余37小时（工作时间）"},
		{"running in elapsed time",
			sla.MetricReport{Name: "first_response", Status: sla.Running, HasTarget: true, Target: sla.Target{Unit: sla.Elapsed, Duration: 48 * time.Hour},
				Deadline: at("2024-03-03 10:30"), Remaining: 47*time.Hour + 40*time.Minute},
			"first_response: running, target 48h elapsed, due 03-03 10:30, 47h40m left",
			"首次响应：计时中，目标 48小时（自然时间），截止 03-03 10:30，剩余47小时40分钟"},
		{"breached and stopped",
			sla.MetricReport{Name: "resolution", Status: sla.Breached, HasTarget: true, Target: sla.Target{Unit: sla.Elapsed, Duration: 72 * time.Hour},
				Deadline: at("2024-03-04 10:30"), BreachedAt: at("2024-03-04 10:30"), Late: 3*time.Hour + 15*time.Minute, Stopped: at("2024-03-04 13:45")},
			"resolution: breached, target 72h elapsed, due 03-04 10:30, breached at 03-04 10:30, 3h15m late, stopped 03-04 13:45",
			"解决：已超时，目标 72小时（自然时间），截止 03-04 10:30，03-04 10:30 超时，已逾期3小时15分钟，03-04 13:45 停止计时"},
		{"no target",
			sla.MetricReport{Name: "first_response", Status: sla.Running},
			"first_response: running, no target", "首次响应：计时中，无目标"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.en, en.Metric(tc.m, shanghai))
			assert.Equal(t, tc.zh, zh.Metric(tc.m, shanghai))
		})
	}
}

func TestEffect(t *testing.T) {
	for _, tc := range []struct {
		name   string
		e      feedback.Effect
		en, zh string
	}{
		{"state", feedback.Effect{Kind: feedback.NotifyCustomer, State: "resolved", Label: "resolved"},
			"tell the customer: resolved", "通知客户：已解决"},
		{"node", feedback.Effect{Kind: feedback.NotifyCustomer, State: "in_progress", Label: "in progress", Node: "under_repair"},
			"tell the customer: in progress / under repair", "通知客户：处理中 / 维修中"},
		{"host's own label", feedback.Effect{Kind: feedback.NotifyCustomer, Label: "awaiting parts"},
			"tell the customer: awaiting parts", "通知客户：awaiting parts"},
		{"delay", feedback.Effect{Kind: feedback.NotifyCustomer, Label: "in progress", Reason: "delay approved: new deadline", At: at("2024-03-12 18:00")},
			"tell the customer: delay approved: new deadline 2024-03-12 18:00", "通知客户：延期已批准，新的截止时间 2024-03-12 18:00"},
		{"clock escalation", feedback.Effect{Kind: feedback.AlertManager, Level: 1, Metric: "first_response", Alert: "senior_management", Cycle: 1, At: at("2024-03-04 09:30")},
			"alert level 1: first_response: senior_management (since 03-04 09:30)", "告警 第1级：首次响应：高层管理（自 03-04 09:30）"},
		{"state escalation", feedback.Effect{Kind: feedback.AlertManager, Level: 2, State: "escalated", Reason: "人身安全：高层介入"},
			"alert level 2: escalated: 人身安全：高层介入", "告警 第2级：已升级：人身安全：高层介入"},
		{"reopen limit", feedback.Effect{Kind: feedback.AlertManager, Level: 1, Reason: "follow-up unsatisfied after the reopen limit"},
			"alert level 1: escalated: follow-up unsatisfied after the reopen limit", "告警 第1级：已升级：已达重新打开次数上限，回访仍不满意"},
		{"warning, second cycle", feedback.Effect{Kind: feedback.SLAWarning, Metric: "hourly_update", Alert: "half_time", Cycle: 2, At: at("2024-03-04 11:15")},
			"SLA warning half_time: hourly_update (cycle 2) (since 03-04 11:15)", "SLA 预警 时限过半：每小时进展通报（第2轮）（自 03-04 11:15）"},
		{"breach", feedback.Effect{Kind: feedback.SLABreach, Metric: "resolution", Cycle: 1, At: at("2024-03-04 10:30")},
			"SLA breached: resolution, deadline 03-04 10:30", "SLA 已超时：解决，截止 03-04 10:30"},
		{"check", feedback.Effect{Kind: feedback.ScheduleCheck, At: at("2024-03-04 10:00")},
			"check again at 2024-03-04 10:00", "于 2024-03-04 10:00 再次检查"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.en, en.Effect(tc.e, shanghai))
			assert.Equal(t, tc.zh, zh.Effect(tc.e, shanghai))
		})
	}
}

// TestProgressViewChineseIsText: Chinese is exactly what ProgressView.Text
// writes, for views built by the package from every preset node list.
func TestProgressViewChineseIsText(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	for i := range 200 {
		nodes := feedback.PresetRepairNodes()
		if i%2 == 1 {
			nodes = feedback.PresetLoopNodes()
		}
		in := feedback.ProgressInput{FeedbackID: fmt.Sprintf("F%04d", i), Nodes: nodes, CustomerName: "张三", Contact: "13856785678"}
		when := at("2024-03-01 10:30")
		for range rng.IntN(len(nodes) + 2) {
			when = when.Add(time.Duration(rng.IntN(3000)) * time.Minute)
			in.Reached = append(in.Reached, feedback.ProgressMark{Node: nodes[rng.IntN(len(nodes))].ID, At: when})
		}
		if rng.IntN(2) == 0 {
			in.Team = "技术支持部"
		}
		if rng.IntN(2) == 0 {
			in.PromisedBy = at("2024-03-10 18:00")
		}
		if rng.IntN(2) == 0 {
			in.Note = "如有疑问请致电13856785678。"
		}
		v, err := feedback.NewProgressView(in, nil)
		require.NoError(t, err)
		assert.Equal(t, v.Text(shanghai), zh.ProgressView(v, shanghai))
		assert.Equal(t, v.Text(nil), zh.ProgressView(v, nil))
		assert.NotContains(t, en.ProgressView(v, shanghai), "当前")
	}
}

func TestProgressViewEnglish(t *testing.T) {
	v, err := feedback.NewProgressView(feedback.ProgressInput{
		FeedbackID: "F20240301001",
		Reached: []feedback.ProgressMark{
			{Node: "accepted", At: at("2024-03-01 10:30")},
			{Node: "awaiting_inspection", At: at("2024-03-02 09:00")},
			{Node: "under_repair", At: at("2024-03-03 14:00")},
		},
		Team: "技术支持部", PromisedBy: at("2024-03-10 18:00"),
	}, nil)
	require.NoError(t, err)
	assert.Equal(t, "Feedback F20240301001: accepted 03-01 10:30 → awaiting inspection 03-02 09:00 → under repair (current) 03-03 14:00; team: 技术支持部; promised by 2024-03-10 18:00",
		en.ProgressView(v, shanghai))
	empty, err := feedback.NewProgressView(feedback.ProgressInput{FeedbackID: "F2"}, nil)
	require.NoError(t, err)
	assert.Equal(t, "Feedback F2: not accepted yet", en.ProgressView(empty, nil))
	assert.Equal(t, "反馈F2：尚未受理", zh.ProgressView(empty, nil))
	assert.Equal(t, "under repair", en.Node("under_repair"))
	assert.Equal(t, "待确认", zh.Node("review"))
	assert.Equal(t, "awaiting_parts", en.Node("awaiting_parts"))
}

// realErrors provokes the packages' typed errors.
func realErrors(t *testing.T) map[string]error {
	t.Helper()
	out := map[string]error{}
	rules, err := feedback.PresetRules()
	require.NoError(t, err)
	now := at("2024-03-01 10:00")
	tk, _, err := rules.Open(feedback.Opening{ID: "F1", At: now, Actor: "a", Customer: "C1", Channel: "phone", Category: "product_fault"})
	require.NoError(t, err)
	_, out["not permitted"] = rules.Fire(tk, feedback.Change{Trigger: feedback.TriggerClose, Version: tk.Version, At: now, Actor: "a"})
	_, out["guard"] = rules.Fire(tk, feedback.Change{Trigger: feedback.TriggerTriage, Version: tk.Version, At: now, Actor: "a"})
	_, out["stale"] = rules.Fire(tk, feedback.Change{Trigger: feedback.TriggerTriage, Version: 7, At: now, Actor: "a"})
	_, out["no actor"] = rules.Fire(tk, feedback.Change{Trigger: feedback.TriggerNote, Version: tk.Version, At: now})
	_, out["unknown field"] = feedback.ParseRules([]byte(`{"version":"x","sla":{"polices":[]}}`))
	s, err := priority.Preset(priority.PresetAfterSales)
	require.NoError(t, err)
	_, out["out of scale"] = s.Score(priority.Input{Urgency: 9})
	_, out["tier name"] = s.Score(priority.Input{TierName: "gold"})
	c, err := compensation.Preset("complaint-goodwill")
	require.NoError(t, err)
	_, out["claim"] = c.Compute(compensation.Claim{Durations: map[string]time.Duration{"delay": time.Hour}})
	cal, err := sla.ParseCalendar([]byte(`{"name":"c","time_zone":"UTC","week":{"mon":[["09:00","17:00"]]},"first_year":2024,"last_year":2024}`))
	require.NoError(t, err)
	_, out["calendar"] = cal.Add(time.Date(2030, 1, 1, 0, 0, 0, 0, time.UTC), time.Hour)
	tax, err := intake.PresetTaxonomy(intake.PresetAfterSales)
	require.NoError(t, err)
	v, err := intake.NewValidator(intake.ValidatorSpec{TimeZone: "Asia/Shanghai"}, tax)
	require.NoError(t, err)
	_, out["intake"] = v.Parse(intake.Form{FeedbackID: "F9", CustomerName: "张三", Contact: "13856785678",
		Description: "屏幕碎了", ReceivedAt: "近日", Channel: "pigeon"}, now)
	for k, e := range out {
		require.Error(t, e, k)
	}
	return out
}

func TestError(t *testing.T) {
	errs := realErrors(t)
	for _, tc := range []struct {
		name   string
		en, zh string
	}{
		{"not permitted", `trigger "close" is not permitted in state "received"`, "状态“已接收”下不允许关闭"},
		{"guard", `trigger "triage" is refused in state "received": it needs scoring inputs or a priority level (priority_given); cause: triage needs priority_input or a priority level`,
			"状态“已接收”下无法分级：需要评分输入或优先级级别（priority_given）；原因：triage needs priority_input or a priority level"},
		{"stale", `ticket "F1" is at version 1; the change was made against version 7: reload it and decide again`,
			"工单“F1”已是第1版，此变更基于第7版：请重新加载后再处理"},
		{"unknown field", "$.sla.polices: unknown field", "位置 $.sla.polices：未知字段"},
		{"out of scale", "urgency 9 is outside its scale 1..4", "紧急程度 9 超出量表范围 1..4"},
		{"calendar", "calendar c: Add: outside the calendar's supported years", "日历 c：Add：超出日历支持的年份"},
		{"intake", `intake "F9" has 2 problems: channel: "pigeon" is not a known channel; received_at: is not an exact time: "近日" (want YYYY-MM-DD HH:MM:SS)`,
			`登记“F9”有 2 个问题：channel：分类体系中没有渠道“pigeon”；received_at：不是精确时间："近日" (want YYYY-MM-DD HH:MM:SS)`},
	} {
		t.Run(tc.name, func(t *testing.T) {
			assert.Equal(t, tc.en, en.Error(errs[tc.name]))
			assert.Equal(t, tc.zh, zh.Error(errs[tc.name]))
		})
	}
	// Typed errors behind a caller's prefix keep the prefix.
	wrapped := fmt.Errorf("rules.json: %w", errs["unknown field"])
	assert.Equal(t, "rules.json: 位置 $.sla.polices：未知字段", zh.Error(wrapped))
	// Every real error has Chinese text, and the English keeps its facts.
	for name, e := range errs {
		assert.NotEqual(t, en.Error(e), zh.Error(e), name)
		assert.NotEmpty(t, en.Error(e), name)
	}
	assert.Empty(t, en.Error(nil))
	assert.Equal(t, "disk full", zh.Error(errors.New("disk full")), "foreign errors as they are")
}

// TestErrorSentinels: a bare or wrapped sentinel reads the same in
// English as its Error text, and in Chinese is translated with the
// detail kept.
func TestErrorSentinels(t *testing.T) {
	for _, s := range sentinels {
		w := fmt.Errorf("%w: detail 42", s.err)
		assert.Equal(t, w.Error(), en.Error(w), s.key)
		assert.Equal(t, zh.t(s.key)+"：detail 42", zh.Error(w), s.key)
		assert.Equal(t, zh.t(s.key), zh.Error(s.err), s.key)
	}
}
