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
		// the grading table: level, response target, team, policy
		"food safety incident, a customer hurt  → emergency  (P0)  respond within 1h elapsed      (due 03-04 10:00)  team senior_management    policy complaint-emergency",
		"order not delivered                    → high       (P1)  respond within 4h elapsed      (due 03-04 13:00)  team complaints_team      policy complaint-high",
		"slight defect on delivery              → normal     (P2)  respond within 24h elapsed     (due 03-05 09:00)  team frontline_service    policy complaint-normal",
		"add a dark mode to the app             → suggestion (P3)  respond within 5 working days  (due 03-11 18:00)  team product_service_dept policy suggestion",
		// emergency: 1 h, senior management, legal and PR notified at once (told at the triage that grades it), escalation, met
		"graded emergency (P0)",
		`team senior_management (rule "emergency")`,
		`override "personal safety, major property loss or legal risk" (raise_to emergency): normal → emergency`,
		"first_response running  target 1h elapsed due 03-04 10:00 [warning half_time at 03-04 09:30] [escalation senior_management at 03-04 09:05] [escalation legal at 03-04 09:05] [escalation public_relations at 03-04 09:05]",
		"v2  triage              received    → triaged     graded emergency (P0)\n      → ALERT, escalation level 1: first_response: senior_management\n      → ALERT, escalation level 2: first_response: legal\n      → ALERT, escalation level 3: first_response: public_relations\n",
		"escalate            assigned    → escalated   reason: 人身安全：高层介入，通知法务和公关",
		"first_response met      target 1h elapsed due 03-04 10:00",
		"second_visit   running  target 30d elapsed due 04-04 17:00",
		"second_visit        follow_up   → follow_up   二次回访",
		"v10 close               follow_up   → closed",
		// high: 4 h, hourly updates with one missed hour, the offer and the choice
		"graded high (P1)",
		`team complaints_team (rule "high")`,
		"first_response met      target 4h elapsed due 03-04 14:00",
		"hourly_update  breached target 1h elapsed cycle 4 (met 3, breached 1) due 03-04 13:30 breached at 03-04 13:30",
		`band "24h to under 72h" of "resolution overrun"`,
		"voucher          代金券 (voucher)                20.00 CNY voucher valid 30 days",
		"points           积分 (points)                  500 points",
		"priority_service 优先服务 (priority service)      service priority-service",
		"customer chose voucher 20.00 (granted)",
		// follow-up scored 2 reopens; the second follow-up closes
		`record_follow_up    follow_up   → reopened    solved=true score 2/5 satisfied=false`,
		"reopened: state reopened, reopen rounds 1",
		"v14 triage              reopened    → triaged     graded high (P1)",
		`v20 record_follow_up    follow_up   → follow_up   solved=true score 4/5 satisfied=true`,
		"v21 close               follow_up   → closed",
		"hourly_update  met      target 1h elapsed cycle 8 (met 7, breached 1)",
		"final: state closed, priority P1, team complaints_team, reopen rounds 1, compensation voucher 20.00 CNY (valid until 2024-04-03), 21 events",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	// The host raises each escalation once, though every check reports it.
	assert.Equal(t, 1, strings.Count(out, "escalation level 1: first_response: senior_management"))
	if t.Failed() {
		t.Log(out)
	}
	var again bytes.Buffer
	require.NoError(t, run(&again))
	assert.Equal(t, out, again.String(), "deterministic")
}
