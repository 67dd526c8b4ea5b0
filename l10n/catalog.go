package l10n

import (
	"fmt"

	"golang.org/x/text/feature/plural"
	"golang.org/x/text/message/catalog"
)

// entry is one catalog message: its key and its text in each language, as
// a format string whose arguments are written %[n]s (numbers arrive as
// strings, so that the order of arguments may differ between languages
// and no locale grouping touches them). enOne, when set, is the English
// text for a count of one; the count is then argument 1 (an int) and the
// texts use the arguments from 2 on.
type entry struct {
	key, en, zh, enOne string
}

// messages is the catalog: every text the printers write. The English of
// the sentinel keys is each sentinel's own text (the tests check it).
var messages = []entry{
	// durations
	{key: "dur.s", en: "%[1]ss", zh: "%[1]s秒"},
	{key: "dur.m", en: "%[1]sm", zh: "%[1]s分钟"},
	{key: "dur.h", en: "%[1]sh", zh: "%[1]s小时"},
	{key: "dur.hm", en: "%[1]sh%[2]sm", zh: "%[1]s小时%[2]s分钟"},
	{key: "dur.d", en: "%[1]sd", zh: "%[1]s天"},

	// priority reasons (English: exactly priority.Reason.String)
	{key: "reason.input", en: "%[1]s %[2]s", zh: "%[1]s %[2]s"},
	{key: "reason.label", en: " (%[1]s)", zh: "（%[1]s）"},
	{key: "reason.detail", en: " [%[1]s]", zh: "［%[1]s］"},
	{key: "reason.points", en: ": +%[1]s points", zh: "：+%[1]s 分"},
	{key: "reason.count", en: "%[1]s %[2]s reaches the threshold %[3]s (%[4]s)", zh: "%[1]s %[2]s 达到阈值 %[3]s（%[4]s）"},
	{key: "reason.flag", en: "flag %[1]s", zh: "标记：%[1]s"},
	{key: "reason.band", en: "score %[1]s ≥ %[2]s ⇒ %[3]s", zh: "得分 %[1]s ≥ %[2]s ⇒ %[3]s"},
	{key: "reason.band.detail", en: "score %[1]s is %[2]s ⇒ %[3]s", zh: "得分 %[1]s %[2]s ⇒ %[3]s"},
	{key: "reason.matrix", en: "matrix %[1]s ⇒ %[2]s", zh: "矩阵 %[1]s ⇒ %[2]s"},
	{key: "reason.quadrant", en: "quadrant %[1]s: %[2]s", zh: "象限 %[1]s：%[2]s"},
	{key: "reason.quadrant.level", en: "%[1]s ⇒ %[2]s", zh: "%[1]s ⇒ %[2]s"},
	{key: "reason.override", en: "override %[1]s (%[2]s): %[3]s → %[4]s", zh: "调整规则 %[1]s（%[2]s）：%[3]s → %[4]s"},
	{key: "reason.tier_name", en: "tier name %[1]s ⇒ tier %[2]s", zh: "客户等级名称 %[1]s ⇒ 等级 %[2]s"},
	{key: "reason.not_given", en: "not given, taken as the lowest", zh: "未提供，按最低计"},
	{key: "reason.below_bands", en: "below every band", zh: "低于所有分档"},
	{key: "reason.at_least", en: "%[1]s at least %[2]s", zh: "%[1]s至少为 %[2]s"},
	{key: "dim.impact", en: "impact", zh: "影响范围"},
	{key: "dim.urgency", en: "urgency", zh: "紧急程度"},
	{key: "dim.severity", en: "severity", zh: "严重程度"},
	{key: "dim.tier", en: "tier", zh: "客户等级"},
	{key: "dim.affected", en: "affected", zh: "受影响数量"},
	{key: "dim.business", en: "business", zh: "受影响业务量"},
	{key: "dim.value", en: "value", zh: "客户价值"},
	{key: "flag.personal_safety", en: "personal_safety", zh: "人身安全"},
	{key: "flag.major_property_loss", en: "major_property_loss", zh: "重大财产损失"},
	{key: "flag.legal_risk", en: "legal_risk", zh: "法律风险"},
	{key: "flag.core_function", en: "core_function", zh: "核心功能故障"},
	{key: "flag.repeated_fault", en: "repeated_fault", zh: "重复故障"},
	{key: "quadrant.do_now", en: "do_now", zh: "紧急且重要"},
	{key: "quadrant.plan", en: "plan", zh: "重要不紧急"},
	{key: "quadrant.coordinate", en: "coordinate", zh: "紧急不重要"},
	{key: "quadrant.backlog", en: "backlog", zh: "不紧急不重要"},
	{key: "quadrant.action.do_now", en: "act now: start the response within 24 hours", zh: "立即处理：24小时内启动响应"},
	{key: "quadrant.action.plan", en: "put it in the quarterly plan with milestones", zh: "纳入季度计划并设里程碑"},
	{key: "quadrant.action.coordinate", en: "get the teams concerned to act quickly", zh: "协调相关团队快速处理"},
	{key: "quadrant.action.backlog", en: "keep it in the backlog for the next regular improvement cycle", zh: "列入待办，纳入下一个常规改进周期"},
	{key: "override.raise_to", en: "raise_to %[1]s", zh: "提升至 %[1]s"},
	{key: "override.raise_by", en: "raise_by %[1]s", zh: "提升 %[1]s 级"},
	{key: "override.floor", en: "floor %[1]s", zh: "不低于 %[1]s"},
	{key: "override.cap", en: "cap %[1]s", zh: "不高于 %[1]s"},

	// SLA
	{key: "status.pending", en: "pending", zh: "未开始"},
	{key: "status.running", en: "running", zh: "计时中"},
	{key: "status.paused", en: "paused", zh: "已暂停"},
	{key: "status.met", en: "met", zh: "已达标"},
	{key: "status.breached", en: "breached", zh: "已超时"},
	{key: "status.cancelled", en: "cancelled", zh: "已取消"},
	{key: "kind.first_response", en: "first response", zh: "首次响应"},
	{key: "kind.resolution", en: "resolution", zh: "解决"},
	{key: "kind.follow_up", en: "follow-up", zh: "回访"},
	{key: "kind.periodic_update", en: "periodic update", zh: "定期进展通报"},
	{key: "kind.time_in_stage", en: "time in stage", zh: "阶段停留时间"},
	{key: "kind.custom", en: "custom", zh: "自定义"},
	{key: "target.elapsed", en: "%[1]s elapsed", zh: "%[1]s（自然时间）"},
	{key: "target.business", en: "%[1]s business on %[2]s", zh: "%[1]s工作时间（%[2]s 日历）"},
	{key: "target.working_day", en: "1 working day on %[1]s", zh: "1个工作日（%[1]s 日历）"},
	{key: "target.working_days", en: "%[1]s working days on %[2]s", zh: "%[1]s个工作日（%[2]s 日历）"},
	{key: "remaining.elapsed", en: "%[1]s left", zh: "剩余%[1]s"},
	{key: "remaining.business", en: "%[1]s left in working hours", zh: "剩余%[1]s（工作时间）"},
	{key: "metric.head", en: "%[1]s: %[2]s", zh: "%[1]s：%[2]s"},
	{key: "metric.no_target", en: ", no target", zh: "，无目标"},
	{key: "metric.target", en: ", target %[1]s", zh: "，目标 %[1]s"},
	{key: "metric.due", en: ", due %[1]s", zh: "，截止 %[1]s"},
	{key: "metric.part", en: ", %[1]s", zh: "，%[1]s"},
	{key: "metric.breached", en: ", breached at %[1]s, %[2]s late", zh: "，%[1]s 超时，已逾期%[2]s"},
	{key: "metric.stopped", en: ", stopped %[1]s", zh: "，%[1]s 停止计时"},

	// effects
	{key: "effect.notify", en: "tell the customer: %[1]s", zh: "通知客户：%[1]s"},
	{key: "effect.node", en: "%[1]s / %[2]s", zh: "%[1]s / %[2]s"},
	{key: "effect.escalated", en: "alert level %[1]s: escalated", zh: "告警 第%[1]s级：已升级"},
	{key: "effect.because", en: ": %[1]s", zh: "：%[1]s"},
	{key: "effect.alert", en: "alert level %[1]s: %[2]s: %[3]s (since %[4]s)", zh: "告警 第%[1]s级：%[2]s：%[3]s（自 %[4]s）"},
	{key: "effect.warning", en: "SLA warning %[1]s: %[2]s (since %[3]s)", zh: "SLA 预警 %[1]s：%[2]s（自 %[3]s）"},
	{key: "effect.breach", en: "SLA breached: %[1]s, deadline %[2]s", zh: "SLA 已超时：%[1]s，截止 %[2]s"},
	{key: "effect.check", en: "check again at %[1]s", zh: "于 %[1]s 再次检查"},
	{key: "effect.cycle", en: "%[1]s (cycle %[2]s)", zh: "%[1]s（第%[2]s轮）"},
	{key: "effect.delay_approved", en: "delay approved: new deadline", zh: "延期已批准，新的截止时间"},
	{key: "effect.reopen_limit", en: "follow-up unsatisfied after the reopen limit", zh: "已达重新打开次数上限，回访仍不满意"},

	// ticket states (English: the state's code)
	{key: "state.received", en: "received", zh: "已接收"},
	{key: "state.triaged", en: "triaged", zh: "已分级"},
	{key: "state.assigned", en: "assigned", zh: "已分派"},
	{key: "state.in_progress", en: "in_progress", zh: "处理中"},
	{key: "state.waiting_customer", en: "waiting_customer", zh: "等待客户"},
	{key: "state.waiting_third_party", en: "waiting_third_party", zh: "等待第三方"},
	{key: "state.escalated", en: "escalated", zh: "已升级"},
	{key: "state.resolved", en: "resolved", zh: "已解决"},
	{key: "state.follow_up", en: "follow_up", zh: "回访中"},
	{key: "state.reopened", en: "reopened", zh: "已重新打开"},
	{key: "state.closed", en: "closed", zh: "已关闭"},
	{key: "state.merged", en: "merged", zh: "已合并"},
	{key: "state.rejected", en: "rejected", zh: "已拒绝"},

	// triggers (English: the trigger's code)
	{key: "trigger.open", en: "open", zh: "登记"},
	{key: "trigger.triage", en: "triage", zh: "分级"},
	{key: "trigger.assign", en: "assign", zh: "分派"},
	{key: "trigger.start", en: "start", zh: "开始处理"},
	{key: "trigger.progress", en: "progress", zh: "更新进度节点"},
	{key: "trigger.wait_customer", en: "wait_customer", zh: "等待客户"},
	{key: "trigger.wait_third_party", en: "wait_third_party", zh: "等待第三方"},
	{key: "trigger.resume", en: "resume", zh: "恢复处理"},
	{key: "trigger.escalate", en: "escalate", zh: "升级"},
	{key: "trigger.resolve", en: "resolve", zh: "解决"},
	{key: "trigger.follow_up", en: "follow_up", zh: "回访"},
	{key: "trigger.record_follow_up", en: "record_follow_up", zh: "记录回访结果"},
	{key: "trigger.close", en: "close", zh: "关闭"},
	{key: "trigger.merge", en: "merge", zh: "合并"},
	{key: "trigger.reject", en: "reject", zh: "拒绝"},
	{key: "trigger.request_delay", en: "request_delay", zh: "申请延期"},
	{key: "trigger.approve_delay", en: "approve_delay", zh: "批准延期"},
	{key: "trigger.reject_delay", en: "reject_delay", zh: "驳回延期"},
	{key: "trigger.choose_compensation", en: "choose_compensation", zh: "选择补偿"},
	{key: "trigger.note", en: "note", zh: "备注"},
	{key: "trigger.respond", en: "respond", zh: "答复客户"},
	{key: "trigger.rerule", en: "rerule", zh: "改用现行规则"},
	{key: "trigger.record_visit", en: "record_visit", zh: "记录二次回访"},
	{key: "trigger.request_task", en: "request_task", zh: "发起内部任务"},
	{key: "trigger.complete_task", en: "complete_task", zh: "完成内部任务"},
	{key: "trigger.update_customer", en: "update_customer", zh: "向客户通报进展"},
	{key: "trigger.customer_message", en: "customer_message", zh: "记录客户来信"},

	// guards: what each requires
	{key: "guard.priority_given", en: "scoring inputs or a priority level", zh: "评分输入或优先级级别"},
	{key: "guard.category_known", en: "a category the taxonomy knows", zh: "分类体系中已有的类别"},
	{key: "guard.team_given", en: "a team, named or found by routing", zh: "指定处理团队，或由分派规则找到"},
	{key: "guard.progress_node_known", en: "a configured progress node other than the current one", zh: "已配置且不同于当前的进度节点"},
	{key: "guard.reason_given", en: "a reason", zh: "填写原因"},
	{key: "guard.note_given", en: "a note", zh: "填写备注"},
	{key: "guard.resolution_given", en: "the resolution", zh: "填写处理结果"},
	{key: "guard.outcome_valid", en: "a follow-up outcome with a score on the scale", zh: "回访结果及量表内的评分"},
	{key: "guard.customer_satisfied", en: "a follow-up that says resolved, scoring at least the satisfied score", zh: "回访确认已解决且评分达到满意线"},
	{key: "guard.customer_not_satisfied", en: "a follow-up that says unresolved or scores below the satisfied score", zh: "回访表示未解决或评分低于满意线"},
	{key: "guard.reopen_rounds_left", en: "fewer reopenings than the reopen limit", zh: "重新打开次数未达上限"},
	{key: "guard.reopen_limit_reached", en: "the reopen limit reached", zh: "重新打开次数已达上限"},
	{key: "guard.followed_up", en: "a satisfied follow-up since the last resolution", zh: "自上次解决以来已有满意的回访结果"},
	{key: "guard.merge_target_given", en: "another ticket to merge into", zh: "指定要并入的另一工单"},
	{key: "guard.rejection_kind_known", en: "the rejection kind, invalid or spam", zh: "拒绝类型：无效或垃圾信息"},
	{key: "guard.no_pending_delay", en: "no delay request awaiting a decision", zh: "没有待审批的延期申请"},
	{key: "guard.delay_pending", en: "a delay request awaiting a decision", zh: "有待审批的延期申请"},
	{key: "guard.delay_complete", en: "a delay request with a reason, a new plan and a later deadline", zh: "延期申请须有原因、新计划和更晚的截止时间"},
	{key: "guard.deadline_set", en: "a resolution deadline", zh: "已有解决截止时间"},
	{key: "guard.delay_filed_in_time", en: "filing at least the notice in working days before the deadline", zh: "在截止时间前至少提前规定的工作日提出"},
	{key: "guard.compensation_given", en: "the compensation option the customer chose", zh: "客户选择的补偿方案"},
	{key: "guard.overdue_reason_given", en: "a reason, since the resolution is overdue", zh: "解决已逾期，须填写原因"},
	{key: "guard.task_given", en: "a task name", zh: "任务名称"},
	{key: "guard.task_open", en: "the task requested and not done", zh: "任务已发起且未完成"},
	{key: "guard.task_not_open", en: "the task not open already", zh: "任务尚未发起"},

	// the customer's view (Chinese: exactly feedback.ProgressView.Text)
	{key: "view.head", en: "Feedback %[1]s: ", zh: "反馈%[1]s："},
	{key: "view.current", en: "%[1]s (current)", zh: "%[1]s(当前)"},
	{key: "view.not_accepted", en: "not accepted yet", zh: "尚未受理"},
	{key: "view.team", en: "; team: %[1]s", zh: "；处理团队：%[1]s"},
	{key: "view.promised", en: "; promised by %[1]s", zh: "；承诺完成：%[1]s"},
	{key: "view.note", en: "; %[1]s", zh: "；%[1]s"},

	// typed errors
	{key: "err.path", en: "%[1]s: %[2]s", zh: "位置 %[1]s：%[2]s"},
	{key: "err.stale", en: "ticket %[1]q is at version %[2]s; the change was made against version %[3]s: reload it and decide again",
		zh: "工单“%[1]s”已是第%[2]s版，此变更基于第%[3]s版：请重新加载后再处理"},
	{key: "err.field", en: "%[1]s: %[2]s", zh: "%[1]s：%[2]s"},
	{key: "err.intake", enOne: "the intake has 1 problem: %[3]s", en: "the intake has %[2]s problems: %[3]s",
		zh: "登记信息有 %[2]s 个问题：%[3]s"},
	{key: "err.intake.id", enOne: "intake %[4]q has 1 problem: %[3]s", en: "intake %[4]q has %[2]s problems: %[3]s",
		zh: "登记“%[4]s”有 %[2]s 个问题：%[3]s"},
	{key: "err.plan", en: "improvement plan %[1]q: %[2]s", zh: "改进计划“%[1]s”：%[2]s"},
	{key: "err.unknown_sub", en: "sub-category %[1]q is not in the taxonomy under category %[2]q", zh: "分类体系中类别“%[2]s”下没有子类别“%[1]s”"},
	{key: "err.unknown_value", en: "%[1]s %[2]q is not in the taxonomy", zh: "分类体系中没有%[1]s“%[2]s”"},
	{key: "err.calendar", en: "calendar %[1]s: %[2]s: %[3]s", zh: "日历 %[1]s：%[2]s：%[3]s"},
	{key: "err.policy_changed", en: "policy %[1]q version %[2]s changed since the ticket was pinned to it (fingerprint %[3]s, now %[4]s): give the change a new version, or re-rule the ticket",
		zh: "策略“%[1]s”第%[2]s版在工单锁定后被原地修改（指纹 %[3]s，现为 %[4]s）：请为修改设新版本，或为工单改用现行规则"},
	{key: "err.timeline", en: "timeline entry %[1]s: %[2]s", zh: "时间线第 %[1]s 条：%[2]s"},
	{key: "err.claim_input", en: "claim input %[1]s: %[2]s", zh: "索赔输入 %[1]s：%[2]s"},
	{key: "err.overflow", en: "merged %[1]s would exceed its limit", zh: "合并后的 %[1]s 将超出上限"},
	{key: "err.decode", en: "%[1]s: %[2]s (byte %[3]s)", zh: "%[1]s：%[2]s（第 %[3]s 字节）"},
	{key: "err.decode.path", en: "%[1]s: %[2]s: %[3]s (byte %[4]s)", zh: "%[1]s：%[2]s：%[3]s（第 %[4]s 字节）"},
	{key: "err.guard", en: "%[1]s (%[2]s)", zh: "%[1]s（%[2]s）"},
	{key: "err.transition.guards", en: "trigger %[1]q is refused in state %[2]q: it needs %[3]s", zh: "状态“%[2]s”下无法%[1]s：需要%[3]s"},
	{key: "err.transition.unknown", en: "unknown trigger %[1]q (state %[2]q)", zh: "未知操作“%[1]s”（状态“%[2]s”）"},
	{key: "err.transition.not_permitted", en: "trigger %[1]q is not permitted in state %[2]q", zh: "状态“%[2]s”下不允许%[1]s"},
	{key: "err.transition.other", en: "trigger %[1]q in state %[2]q: %[3]s", zh: "状态“%[2]s”下%[1]s失败：%[3]s"},
	{key: "err.cause", en: "; cause: %[1]s", zh: "；原因：%[1]s"},
	{key: "err.tier_name.none", en: "tier name %[1]q is not mapped: the rules map no tier names (add tier_from.names)", zh: "客户等级名称“%[1]s”无法对应：规则未定义等级名称（请添加 tier_from.names）"},
	{key: "err.tier_name", en: "tier name %[1]q is not mapped (the rules map %[2]s)", zh: "客户等级名称“%[1]s”无法对应（规则定义了 %[2]s）"},
	{key: "err.out_of_scale", en: "%[1]s %[2]s is outside its scale %[3]s..%[4]s", zh: "%[1]s %[2]s 超出量表范围 %[3]s..%[4]s"},
	{key: "err.negative_count", en: "%[1]s %[2]s is negative", zh: "%[1]s %[2]s 不能为负数"},
	{key: "err.input", en: "%[1]s %[2]s: %[3]s", zh: "%[1]s %[2]s：%[3]s"},
	{key: "taxonomy.kind", en: "kind", zh: "类型"},
	{key: "taxonomy.category", en: "category", zh: "类别"},
	{key: "taxonomy.sub_category", en: "sub-category", zh: "子类别"},
	{key: "taxonomy.tag", en: "tag", zh: "标签"},
	{key: "taxonomy.channel", en: "channel", zh: "渠道"},
	{key: "taxonomy.tier", en: "tier", zh: "客户等级"},
	{key: "taxonomy.stage", en: "stage", zh: "业务阶段"},

	// sentinel errors (English: the sentinel's own text)
	{key: "rulesjson.syntax", en: "malformed JSON", zh: "JSON 格式错误"},
	{key: "rulesjson.unknown_field", en: "unknown field", zh: "未知字段"},
	{key: "rulesjson.duplicate_key", en: "duplicate key", zh: "重复的键"},
	{key: "rulesjson.type", en: "wrong type", zh: "类型错误"},
	{key: "rulesjson.trailing_data", en: "trailing data after the JSON value", zh: "JSON 值之后还有多余数据"},
	{key: "rulesjson.too_deep", en: "nested too deep", zh: "嵌套层级过深"},
	{key: "rulesjson.too_large", en: "document too large", zh: "文档过大"},
	{key: "preset.unknown_preset", en: "unknown preset", zh: "未知预设"},
	{key: "feedback.progress", en: "invalid progress", zh: "进度无效"},
	{key: "intake.required", en: "is required", zh: "必填"},
	{key: "intake.too_long", en: "is too long", zh: "过长"},
	{key: "intake.bad_text", en: "contains forbidden characters", zh: "含有不允许的字符"},
	{key: "intake.inexact_time", en: "is not an exact time", zh: "不是精确时间"},
	{key: "intake.time_order", en: "is out of order in time", zh: "时间先后顺序不对"},
	{key: "intake.rejected", en: "is rejected", zh: "被拒绝"},
	{key: "intake.too_many", en: "has too many entries", zh: "条目过多"},
	{key: "intake.bad_format", en: "is malformed", zh: "格式错误"},
	{key: "intake.duplicate_id", en: "is already used", zh: "已被使用"},
	{key: "intake.no_route", en: "intake: no routing rule matches and there is no default team", zh: "没有匹配的分派规则，也没有默认团队"},
	{key: "intake.unknown_value", en: "not in the taxonomy", zh: "不在分类体系中"},
	{key: "feedback.trigger_not_permitted", en: "trigger not permitted in this state", zh: "当前状态下不允许此操作"},
	{key: "feedback.guard_unmet", en: "guard not met", zh: "条件未满足"},
	{key: "feedback.unknown_trigger", en: "unknown trigger", zh: "未知操作"},
	{key: "feedback.unknown_state", en: "unknown state", zh: "未知状态"},
	{key: "feedback.stale_version", en: "stale ticket version", zh: "工单版本已过期"},
	{key: "feedback.invalid_change", en: "invalid change", zh: "变更无效"},
	{key: "feedback.invalid_ticket", en: "invalid ticket", zh: "工单数据无效"},
	{key: "feedback.lifecycle_broken", en: "lifecycle machine failure", zh: "生命周期状态机故障"},
	{key: "feedback.no_sla", en: "feedback: the rules hold no SLA policies", zh: "规则中没有 SLA 策略"},
	{key: "improvement.delay_too_late", en: "is filed too late: less than the required working days before the planned finish", zh: "提出过晚：距计划完成日不足规定的工作日"},
	{key: "improvement.delay_pending", en: "has a delay request awaiting a decision", zh: "已有待审批的延期申请"},
	{key: "improvement.no_pending_delay", en: "has no pending delay request with that ID", zh: "没有该编号的待审批延期申请"},
	{key: "improvement.plan_finished", en: "is already finished", zh: "已完成"},
	{key: "improvement.plan_not_finished", en: "is not finished", zh: "尚未完成"},
	{key: "improvement.bad_status", en: "is not a valid status", zh: "不是有效状态"},
	{key: "improvement.calendar_required", en: "needs a working-day calendar", zh: "需要工作日日历"},
	{key: "sla.ics", en: "bad iCalendar document", zh: "iCalendar 文档无效"},
	{key: "sla.out_of_range", en: "outside the calendar's supported years", zh: "超出日历支持的年份"},
	{key: "sla.never_open", en: "calendar has no open time left", zh: "日历此后再无工作时间"},
	{key: "sla.never_closes", en: "calendar stays open to the end of its supported years", zh: "日历直到支持年份结束都不闭店"},
	{key: "sla.invalid_argument", en: "invalid argument", zh: "参数无效"},
	{key: "sla.unknown_calendar", en: "unknown calendar", zh: "未知日历"},
	{key: "sla.no_holiday_data", en: "no public holiday data for some of the calendar's years", zh: "日历的部分年份没有法定节假日数据"},
	{key: "sla.limit", en: "over a documented limit", zh: "超出规定的上限"},
	{key: "sla.unknown_state", en: "unknown state", zh: "未知状态"},
	{key: "sla.unknown_metric", en: "unknown metric kind", zh: "未知指标类型"},
	{key: "sla.unknown_unit", en: "unknown unit", zh: "未知单位"},
	{key: "sla.policy_duration", en: "invalid duration", zh: "时长无效"},
	{key: "sla.duplicate_policy", en: "duplicate policy name", zh: "策略名称重复"},
	{key: "sla.alert_out_of_target", en: "alert outside its target", zh: "预警时间超出目标时长"},
	{key: "sla.invalid_policy", en: "invalid policy", zh: "策略无效"},
	{key: "sla.timeline_order", en: "timeline out of order", zh: "时间线顺序错误"},
	{key: "sla.invalid_entry", en: "invalid timeline entry", zh: "时间线条目无效"},
	{key: "sla.no_policy", en: "no such policy", zh: "没有该策略"},
	{key: "sla.policy_changed", en: "pinned policy changed under the same version", zh: "已锁定的策略在同一版本下被修改"},
	{key: "priority.not_monotonic", en: "priority rules not monotonic", zh: "优先级规则不单调"},
	{key: "priority.invalid_rules", en: "invalid priority rules", zh: "优先级规则无效"},
	{key: "priority.out_of_scale", en: "input out of scale", zh: "输入超出量表范围"},
	{key: "priority.negative_count", en: "negative count", zh: "数量为负"},
	{key: "priority.unknown_flag", en: "unknown flag", zh: "未知标记"},
	{key: "closeloop.unknown_level", en: "unknown level", zh: "未知级别"},
	{key: "risk.config", en: "risk: invalid model", zh: "风险：模型无效"},
	{key: "risk.input", en: "risk: invalid input", zh: "风险：输入无效"},
	{key: "priority.unknown_tier", en: "unknown tier name", zh: "未知客户等级名称"},
	{key: "compensation.unknown_currency", en: "unknown currency", zh: "未知币种"},
	{key: "compensation.negative_amount", en: "negative amount", zh: "金额为负"},
	{key: "compensation.bad_amount", en: "invalid amount", zh: "金额无效"},
	{key: "compensation.bad_number", en: "invalid number", zh: "数值无效"},
	{key: "compensation.share_over_100", en: "share over 100 %%", zh: "比例超过 100%%"},
	{key: "compensation.bad_range", en: "invalid band range", zh: "档位区间无效"},
	{key: "compensation.overlap", en: "bands overlap", zh: "档位重叠"},
	{key: "compensation.gap", en: "bands leave a gap", zh: "档位之间有空隙"},
	{key: "compensation.invalid_rule", en: "invalid rule", zh: "规则无效"},
	{key: "compensation.missing_input", en: "missing input", zh: "缺少输入"},
	{key: "compensation.wrong_map", en: "input in the wrong map", zh: "输入放错了类别"},
	{key: "compensation.unknown_input", en: "unknown input", zh: "未知输入"},
	{key: "compensation.invalid_input", en: "invalid input", zh: "输入无效"},
	{key: "compensation.currency_mismatch", en: "currency mismatch", zh: "币种不一致"},
	{key: "compensation.amount_out_of_range", en: "amount out of range", zh: "金额超出范围"},
	{key: "compensation.no_such_option", en: "no such option in the offer", zh: "补偿方案中没有该选项"},
	{key: "metrics.mismatch", en: "metrics: accumulators of different configurations", zh: "指标：累加器配置不同"},
	{key: "metrics.overflow", en: "metrics: sum out of range", zh: "指标：合计超出范围"},
	{key: "metrics.series_too_short", en: "metrics: series too short for a seasonal forecast", zh: "指标：序列太短，无法做季节性预测"},
	{key: "metrics.corrupt", en: "metrics: corrupt accumulator encoding", zh: "指标：累加器编码已损坏"},
	{key: "metrics.version", en: "metrics: unsupported accumulator encoding version", zh: "指标：不支持的累加器编码版本"},
	{key: "metrics.limit", en: "metrics: beyond a documented limit", zh: "指标：超出规定的上限"},
	{key: "metrics.config", en: "metrics: invalid config", zh: "指标：配置无效"},
	{key: "whatif.mismatch", en: "whatif: accumulators of different configurations", zh: "假设分析：累加器配置不同"},
	{key: "whatif.corrupt", en: "whatif: corrupt accumulator encoding", zh: "假设分析：累加器编码已损坏"},
	{key: "whatif.version", en: "whatif: unsupported accumulator encoding version", zh: "假设分析：不支持的累加器编码版本"},
	{key: "whatif.config", en: "whatif: invalid config", zh: "假设分析：配置无效"},
	{key: "whatif.ticket", en: "whatif: invalid ticket", zh: "假设分析：工单无效"},
}

// term is a text of the presets' rules data in both languages.
type term struct{ en, zh string }

// terms are the presets' own texts: the priority presets' scale labels,
// override and level names, the default lifecycle's state labels and the
// progress nodes of documents 000 and 004.
var terms = []term{
	// scale labels
	{"can wait", "可以等待"}, {"soon", "尽快"}, {"pressing", "紧迫"}, {"immediate", "立即"},
	{"low: no effect on use", "低：不影响使用"}, {"medium: use continues", "中：仍可使用"},
	{"high: daily use affected", "高：影响日常使用"}, {"critical: use stopped", "严重：无法使用"},
	{"low: service manner or cosmetic", "低：服务态度或外观问题"}, {"medium: fault, no safety risk", "中：有故障，无安全风险"},
	{"high: core function failure", "高：核心功能故障"}, {"critical: safety risk", "严重：有安全风险"},
	{"new customer", "新客户"}, {"regular customer", "老客户"}, {"high-value customer", "高价值客户"}, {"strategic customer", "战略客户"},
	{"no deadline: an improvement idea", "无期限：改进建议"}, {"routine", "常规"},
	{"pressing: the customer is waiting", "紧迫：客户在等待"},
	{"one customer", "单个客户"}, {"a few customers", "少数客户"}, {"many customers", "大量客户"}, {"most customers", "大多数客户"},
	{"ordinary", "一般"}, {"regular", "常客"}, {"high-value", "高价值"}, {"strategic", "战略"},
	{"single customer or visit", "单个客户或单次上门"}, {"several customers", "多个客户"},
	{"a batch of customers", "一批客户"}, {"widespread", "大范围"},
	{"standard", "标准"}, {"member", "会员"}, {"key account", "重点客户"},
	{"suggestion: long-term", "建议：长期"}, {"ordinary: within 3 working days", "一般：3个工作日内"},
	{"urgent: within 24 hours", "紧急：24小时内"},
	{"suggestion: nothing is broken", "建议：无故障"}, {"minor: slight defect or a delay", "轻微：小瑕疵或延误"},
	{"major: core experience hit (order not delivered, system failure)", "重大：核心体验受损（订单未送达、系统故障）"},
	{"critical: safety, major property loss or legal risk", "严重：人身安全、重大财产损失或法律风险"},
	// override names
	{"P0 needs a core-function or safety issue", "P0 须为核心功能或安全问题"},
	{"VIP customer", "VIP 客户"},
	{"core function down for many or important customers", "核心功能故障，影响大量或重要客户"},
	{"core function down", "核心功能故障"},
	{"personal safety, major property loss or legal risk", "人身安全、重大财产损失或法律风险"},
	{"safety risk", "安全风险"},
	{"service experience and suggestions are at most P2", "服务体验与建议最高为 P2"},
	// level names (document 001's grades)
	{"emergency", "紧急"}, {"high", "高"}, {"normal", "普通"}, {"suggestion", "建议"},
	// the default lifecycle's state labels
	{"accepted", "已受理"}, {"in progress", "处理中"}, {"waiting for your reply", "等待您的回复"},
	{"waiting for a third party", "等待第三方"}, {"resolved", "已解决"}, {"follow-up visit", "回访中"},
	{"reopened", "已重新打开"}, {"closed", "已关闭"}, {"merged", "已合并"}, {"rejected", "已拒绝"},
	// progress nodes (documents 000 and 004), written in Chinese by the presets
	{"awaiting inspection", "待检测"}, {"under repair", "维修中"}, {"completed", "已完成"},
	{"received", "已接收"}, {"classified", "已分类"}, {"dispatched", "已派单"},
	{"awaiting confirmation", "待确认"}, {"archived", "已归档"},
}

// names are identifiers the presets' SLA policies use for metrics,
// warnings and escalation levels, with words for them in Chinese (English
// shows the identifier, the name hosts configure and search logs for).
var names = map[string]string{
	// metrics
	"classification": "分类", "inspection": "检测", "repair": "维修", "second_visit": "二次回访",
	"hourly_update": "每小时进展通报", "root_cause_report": "根因分析报告", "feasibility_report": "可行性报告",
	"competitor_analysis": "竞品分析",
	// warnings
	"half_time": "时限过半", "response_due_soon": "响应即将到期", "follow_up_due_soon": "回访即将到期",
	"delay_request_due": "延期申请截止", "repair_due_tomorrow": "维修明日到期", "inspection_due_soon": "检测即将到期",
	"answer_due_tomorrow": "答复明日到期",
	// escalation levels
	"service_manager": "服务经理", "senior_management": "高层管理", "public_relations": "公关部门",
	"operations_director": "运营总监", "legal": "法务", "complaints_team_lead": "投诉组长", "after_sales_lead": "售后主管",
}

// termIndex finds a term by either of its texts; built once at init.
var termIndex = func() map[string]term {
	m := make(map[string]term, 2*len(terms))
	for _, t := range terms {
		m[t.en], m[t.zh] = t, t
	}
	return m
}()

// cat is the message catalog, built once at init and only read afterwards
// (catalog.Builder's lookups are safe for concurrent use).
var cat = buildCatalog()

func buildCatalog() *catalog.Builder {
	b := catalog.NewBuilder(catalog.Fallback(English))
	for _, m := range messages {
		var err error
		if m.enOne != "" {
			err = b.Set(English, m.key, plural.Selectf(1, "%d", "one", m.enOne, "other", m.en))
		} else {
			err = b.SetString(English, m.key, m.en)
		}
		if err == nil {
			err = b.SetString(Chinese, m.key, m.zh)
		}
		if err != nil {
			// The table is a constant of this package: a bad entry is a
			// programming error the tests catch, not a run-time condition.
			panic(fmt.Sprintf("l10n: catalog entry %q: %v", m.key, err))
		}
	}
	return b
}
