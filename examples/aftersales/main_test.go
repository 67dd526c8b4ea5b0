package main

import (
	"bytes"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestRun(t *testing.T) {
	var buf bytes.Buffer
	require.NoError(t, run(&buf))
	out := buf.String()

	for _, want := range []string{
		// the business calendar: make-up Sunday and National Day week
		"2024-09-29 Sun working day: true",
		"2024-10-03 Thu working day: false",
		"2 working days from 2024-09-27 15:00 Fri: 2024-09-30 18:00 Mon",
		"1 working day from 2024-09-30 15:00 Mon: 2024-10-08 18:00 Tue",
		// step 1: validation and classification
		`received_at: is not an exact time: "近日"`,
		"F20240301001  138****5678  channel phone",
		"classified product_fault (产品故障)",
		"F20240301002  139****1234  channel online_chat",
		"classified service_experience (服务体验)",
		// step 2: priority and routing
		"triage           received → triaged  priority P1, resolution due 2024-03-10 18:00 Sun",
		"score 50 ≥ 40 ⇒ P1",
		`team technical_support, owner 工程师 (routing rule "p0-p1-product-fault")`,
		"triage           received → triaged  priority P2, resolution due 2024-03-05 18:00 Tue",
		`team service_supervisor, owner 主管 (routing rule "service-experience")`,
		// service levels of document 002
		"first_response  met      target 48h elapsed, started 2024-03-01 10:30 Fri, due 2024-03-03 10:30 Sun, stopped 2024-03-01 11:00 Fri",
		"follow_up       met      target 24h elapsed, started 2024-03-10 16:00 Sun, due 2024-03-11 16:00 Mon, stopped 2024-03-11 15:10 Mon",
		"first_response  met      target 72h elapsed, started 2024-03-01 14:15 Fri, due 2024-03-04 14:15 Mon",
		"follow_up       running  target 48h elapsed, started 2024-03-05 17:00 Tue, due 2024-03-07 17:00 Thu",
		"follow_up       met      target 48h elapsed, started 2024-03-05 17:00 Tue, due 2024-03-07 17:00 Thu, stopped 2024-03-06 10:35 Wed",
		// delay request due one working day before the Sunday deadline
		"is due by 2024-03-07 18:00 Thu (1 working day before, on cn-office)",
		"filed 2024-03-07 17:00 Thu: would be accepted for approval",
		"filed 2024-03-08 09:00 Fri: would be refused: unmet [delay_filed_in_time]",
		// progress view, redacted
		"维修中(当前) 03-04 14:00；处理团队：技术支持部；承诺完成：2024-03-10 18:00",
		// the same view in English (package l10n)
		"in English:    Feedback F20240301001: accepted 03-02 09:00 → awaiting inspection 03-02 10:00 → under repair (current) 03-04 14:00; team: 技术支持部; promised by 2024-03-10 18:00",
		"如有疑问请致电138****5678。",
		"已完成(当前) 03-10 16:00",
		// step 5: follow-ups and closing
		"close refused before the visit's outcome: unmet [followed_up]",
		`solved=true score 5/5 satisfied=true: "处理速度快，工程师很专业"`,
		`solved=true score 4/5 satisfied=true`,
		"v12 close            follow_up → closed",
		"v9  close            follow_up → closed",
		// table 3
		"planned 2024-03-02 Sat → 2024-03-10 Sun, done 2024-03-09 Sat: done, early by 1 calendar day(s) and 0 working day(s) on cn-office",
		"planned 2024-03-03 Sun → 2024-03-05 Tue, done 2024-03-05 Tue: done, on time",
		// step 6: archive names
		"C1001_20240301_product_fault  F20240301001: state closed, priority P1, team technical_support, 12 events, follow-up score 5",
		"C1002_20240301_service_experience  F20240301002: state closed, priority P2, team service_supervisor, 9 events, follow-up score 4",
		"archived registration: 李**, 139****1234",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	if t.Failed() {
		t.Log(out)
	}
	// No personal data leaks into the output.
	for _, leak := range []string{"13856785678", "13900001234", "李女士"} {
		assert.NotContains(t, out, leak)
	}
	// Deterministic: a second run prints the same.
	var again bytes.Buffer
	require.NoError(t, run(&again))
	assert.Equal(t, out, again.String())
	assert.False(t, strings.Contains(out, "UTC"), "times are shown in the calendar's zone")
}
