package sla

import (
	"strconv"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/closeloop/closeloop"
)

// presetEnv has the calendars the presets name: "business" (their default)
// and "cn-office" (the documents preset's default and internal targets).
func presetEnv(t testing.TB) PolicyEnv {
	cals, err := NewCalendars(officeCalendar(t, "office"), officeCalendar(t, "business"), officeCalendar(t, "cn-office"))
	require.NoError(t, err)
	return PolicyEnv{States: DefaultStates(), Calendars: cals}
}

func TestPresetsCompile(t *testing.T) {
	for _, name := range PresetNames() {
		t.Run(name, func(t *testing.T) {
			s, err := Preset(name, presetEnv(t))
			require.NoError(t, err)
			assert.NotEmpty(t, s.Policies())
			data, err := PresetJSON(name)
			require.NoError(t, err)
			assert.Contains(t, string(data), `"policies"`)
		})
	}
	_, err := Preset("nope", testEnv(t))
	require.ErrorIs(t, err, ErrUnknownPreset)
	require.ErrorIs(t, err, closeloop.ErrUnknownPreset)
	// complaint and enterprise need the business calendar.
	_, err = Preset("complaint-grading", PolicyEnv{States: DefaultStates()})
	require.ErrorIs(t, err, ErrUnknownCalendar)
	// ... or the host's own calendar as the default.
	own, err := NewCalendars(officeCalendar(t, "cn-support"))
	require.NoError(t, err)
	s, err := Preset(PresetEnterprise, PolicyEnv{States: DefaultStates(), Calendars: own, DefaultCalendar: "cn-support"})
	require.NoError(t, err)
	r, err := s.Evaluate(Attributes{Kind: "complaint"}, []Entry{st(mar(4, 9, 0), "received")}, mar(4, 10, 0), Options{})
	require.NoError(t, err)
	assert.Equal(t, "cn-support", metricByName(t, r, "resolution").Target.Calendar)
}

func TestPresetAfterSalesTargets(t *testing.T) {
	s, err := Preset("after-sales", testEnv(t))
	require.NoError(t, err)
	open := []Entry{st(mar(4, 9, 0), "received")}
	tests := []struct {
		prio     string
		response time.Duration // 0: no deadline
		followUp time.Duration
	}{
		{"P0", 24 * time.Hour, 24 * time.Hour},
		{"P1", 48 * time.Hour, 24 * time.Hour},
		{"P2", 72 * time.Hour, 48 * time.Hour},
		{"P3", 0, 72 * time.Hour},
	}
	for _, tc := range tests {
		t.Run(tc.prio, func(t *testing.T) {
			r, err := s.Evaluate(Attributes{Priority: tc.prio}, open, mar(4, 10, 0), Options{})
			require.NoError(t, err)
			resp, fu := metricByName(t, r, "first_response"), metricByName(t, r, "follow_up")
			assert.Equal(t, tc.response != 0, resp.HasTarget)
			assert.Equal(t, tc.response, resp.Target.Duration)
			if tc.response != 0 {
				assert.True(t, resp.Deadline.Equal(mar(4, 9, 0).Add(tc.response)))
			}
			assert.Equal(t, tc.followUp, fu.Target.Duration)
		})
	}
}

func TestPresetComplaintGrading(t *testing.T) {
	s, err := Preset("complaint-grading", testEnv(t))
	require.NoError(t, err)
	open := []Entry{st(mar(4, 9, 0), "received")}

	// Emergency: 1 h; senior management, legal and PR at once.
	r, err := s.Evaluate(Attributes{Kind: "complaint", Priority: "P0"}, open, mar(4, 10, 30), Options{})
	require.NoError(t, err)
	assert.Equal(t, "complaint-emergency", r.Policy)
	assert.Equal(t, []string{`kind eq "complaint"`, `priority eq "P0"`}, r.Why)
	resp := metricByName(t, r, "first_response")
	assert.Equal(t, Breached, resp.Status)
	assert.True(t, resp.BreachedAt.Equal(mar(4, 10, 0)))
	assert.Equal(t, 30*time.Minute, resp.Late)
	require.Len(t, resp.Escalations, 3)
	for i, name := range []string{"senior_management", "legal", "public_relations"} {
		assert.Equal(t, name, resp.Escalations[i].Name)
		assert.True(t, resp.Escalations[i].At.Equal(mar(4, 9, 0)), "notified at the opening")
	}
	// Answered in 30 minutes: met, and everyone was still notified.
	r, err = s.Evaluate(Attributes{Kind: "complaint", Priority: "P0"}, append(open[:1:1], ev(mar(4, 9, 30), EventResponded)), mar(4, 9, 31), Options{})
	require.NoError(t, err)
	resp = metricByName(t, r, "first_response")
	assert.Equal(t, Met, resp.Status)
	assert.Len(t, resp.Escalations, 3)

	// High: 4 h response, hourly progress updates.
	tl := append(open[:1:1], ev(mar(4, 9, 40), EventResponded), ev(mar(4, 10, 30), EventProgressUpdate))
	r, err = s.Evaluate(Attributes{Kind: "complaint", Priority: "P1"}, tl, mar(4, 11, 0), Options{})
	require.NoError(t, err)
	assert.Equal(t, "complaint-high", r.Policy)
	assert.Equal(t, Met, metricByName(t, r, "first_response").Status)
	upd := metricByName(t, r, "hourly_update")
	assert.Equal(t, Running, upd.Status)
	assert.Equal(t, 2, upd.Cycle)
	assert.True(t, r.NextChange.Equal(mar(4, 11, 30)), "%v", r.NextChange)
	// A major complaint: the 30-day second visit runs after close.
	done := append(tl[:len(tl):len(tl)], st(mar(4, 12, 0), "resolved"), st(mar(5, 12, 0), "closed"))
	r, err = s.Evaluate(Attributes{Kind: "complaint", Priority: "P1"}, done, mar(20, 12, 0), Options{})
	require.NoError(t, err)
	sv := metricByName(t, r, "second_visit")
	assert.Equal(t, Running, sv.Status)
	assert.True(t, sv.Deadline.Equal(mar(4, 12, 0).Add(30*24*time.Hour)), "%v", sv.Deadline)

	// Normal: 24 h.
	r, err = s.Evaluate(Attributes{Kind: "complaint", Priority: "P2"}, open, mar(4, 10, 0), Options{})
	require.NoError(t, err)
	assert.Equal(t, "complaint-normal", r.Policy)
	assert.True(t, metricByName(t, r, "first_response").Deadline.Equal(mar(5, 9, 0)))

	// Suggestion: 5 working days; opened Monday 09:00 → due next Monday 18:00.
	r, err = s.Evaluate(Attributes{Kind: "suggestion"}, open, mar(4, 10, 0), Options{})
	require.NoError(t, err)
	assert.Equal(t, "suggestion", r.Policy)
	assert.True(t, metricByName(t, r, "first_response").Deadline.Equal(mar(11, 18, 0)))
	assert.True(t, r.NextChange.Equal(mar(8, 18, 0)), "%v", r.NextChange)

	// Inquiries have no SLA in this preset.
	r, err = s.Evaluate(Attributes{Kind: "inquiry"}, open, mar(4, 10, 0), Options{})
	require.NoError(t, err)
	assert.Equal(t, "", r.Policy)
}

func TestPresetEnterprise(t *testing.T) {
	s, err := Preset(PresetEnterprise, testEnv(t))
	require.NoError(t, err)
	tl := []Entry{
		st(mar(4, 9, 0), "received"),
		st(mar(4, 9, 30), "triaged"),
		ev(mar(4, 11, 0), EventResponded),
		st(mar(5, 9, 0), "waiting_third_party"),
		st(mar(6, 9, 0), "in_progress"),
	}
	// Complex: 5 working days, paused a whole working day → due a working day later.
	r, err := s.Evaluate(Attributes{Kind: "inquiry", Tags: []string{"major_demand"}}, tl, mar(6, 10, 0), Options{})
	require.NoError(t, err)
	assert.Equal(t, "enterprise-complex", r.Policy)
	assert.Equal(t, []string{`tags has_tag "major_demand"`}, r.Why)
	assert.Equal(t, Met, metricByName(t, r, "classification").Status)
	res := metricByName(t, r, "resolution")
	assert.Equal(t, Running, res.Status)
	// Opened Mon 09:00: 5 working days → Mon 11th 18:00 (40 h open); one day paused → Tue 12th 18:00.
	assert.True(t, res.Deadline.Equal(mar(12, 18, 0)), "%v", res.Deadline)

	// Ordinary: 72 h resolution, paused 24 h.
	r, err = s.Evaluate(Attributes{Kind: "inquiry"}, tl, mar(6, 10, 0), Options{})
	require.NoError(t, err)
	assert.Equal(t, "enterprise-ordinary", r.Policy)
	res = metricByName(t, r, "resolution")
	assert.True(t, res.Deadline.Equal(mar(8, 9, 0)), "%v", res.Deadline)
	assert.Equal(t, 25*time.Hour, res.Elapsed)
}

func TestPresetRepair(t *testing.T) {
	s, err := Preset(PresetRepair, testEnv(t))
	require.NoError(t, err)
	tl := []Entry{
		st(mar(4, 9, 0), "received"),
		ev(mar(4, 10, 0), "awaiting_inspection"),
		ev(mar(5, 12, 0), "under_repair"),
	}
	r, err := s.Evaluate(Attributes{}, tl, mar(5, 13, 0), Options{})
	require.NoError(t, err)
	insp, rep := metricByName(t, r, "inspection"), metricByName(t, r, "repair")
	assert.Equal(t, Breached, insp.Status)
	assert.Equal(t, 2*time.Hour, insp.Late)
	assert.Equal(t, Running, rep.Status)
	assert.True(t, rep.Deadline.Equal(mar(8, 12, 0)))
}

func TestPresetRepairRootCause(t *testing.T) {
	s, err := Preset(PresetRepair, testEnv(t))
	require.NoError(t, err)
	tl := []Entry{st(mar(4, 9, 0), "received"), ev(mar(4, 10, 0), "root_cause_report_requested")}
	r, err := s.Evaluate(Attributes{}, tl, mar(5, 11, 0), Options{})
	require.NoError(t, err)
	rc := metricByName(t, r, "root_cause_report")
	assert.True(t, rc.Internal)
	assert.Equal(t, "technology", rc.Team)
	assert.Equal(t, Breached, rc.Status)
	assert.True(t, rc.BreachedAt.Equal(mar(5, 10, 0)))
}

// The documents preset selects each document's policy by the ticket's
// business line, kind, category and priority, first match wins.
func TestPresetDocumentsSelection(t *testing.T) {
	s, err := Preset(PresetDocuments, presetEnv(t))
	require.NoError(t, err)
	open := []Entry{st(mar(4, 9, 0), "received")}
	line := func(l string) map[string]string { return map[string]string{"business_line": l} }
	tests := []struct {
		name   string
		a      Attributes
		policy string
		resp   string // first_response target: "24h elapsed", "3 working_days", "-" for none
	}{
		{"003 by business line, urgent", Attributes{Priority: "P0", Attrs: line("ecommerce")}, "ecommerce", "24h elapsed"},
		{"003 coordinate quickly is urgent", Attributes{Priority: "P1", Attrs: line("ecommerce")}, "ecommerce", "24h elapsed"},
		{"003 normal", Attributes{Priority: "P2", Attrs: line("ecommerce")}, "ecommerce", "3 working_days"},
		{"003 suggestive: no deadline", Attributes{Priority: "P3", Attrs: line("ecommerce")}, "ecommerce", "-"},
		{"003 by its own problem type", Attributes{Priority: "P2", Category: "logistics"}, "ecommerce", "3 working_days"},
		{"003's line wins over a complaint", Attributes{Kind: "complaint", Priority: "P0", Attrs: line("ecommerce")}, "ecommerce", "24h elapsed"},
		{"004 complex: a complaint", Attributes{Kind: "complaint", Priority: "P0", Attrs: line("enterprise")}, "enterprise-complex", "48h elapsed"},
		{"004 complex: a major demand", Attributes{Tags: []string{"major_demand"}, Attrs: line("enterprise")}, "enterprise-complex", "48h elapsed"},
		{"004 ordinary", Attributes{Kind: "suggestion", Attrs: line("enterprise")}, "enterprise-ordinary", "24h elapsed"},
		{"001 emergency", Attributes{Kind: "complaint", Priority: "P0"}, "complaint-emergency", "1h elapsed"},
		{"001 emergency by 002's complaint category", Attributes{Category: "complaint", Priority: "P0"}, "complaint-emergency", "1h elapsed"},
		{"001 high", Attributes{Kind: "complaint", Priority: "P1"}, "complaint-high", "4h elapsed"},
		{"001 normal", Attributes{Kind: "complaint", Priority: "P2"}, "complaint-normal", "24h elapsed"},
		{"001 normal before triage", Attributes{Kind: "complaint"}, "complaint-normal", "24h elapsed"},
		{"001 suggestion", Attributes{Kind: "suggestion", Category: "demand_suggestion", Priority: "P2"}, "suggestion", "5 working_days"},
		{"001 urgent inquiry", Attributes{Kind: "inquiry", Priority: "P0"}, "inquiry-urgent", "15m0s elapsed"},
		{"001 complex inquiry", Attributes{Kind: "inquiry", Priority: "P2", Attrs: map[string]string{"complexity": "complex"}}, "inquiry-complex", "24h elapsed"},
		{"001 routine inquiry", Attributes{Kind: "inquiry", Priority: "P2"}, "inquiry", "2h elapsed"},
		{"002 P0", Attributes{Category: "product_fault", Priority: "P0"}, "after-sales", "24h elapsed"},
		{"002 P1: 48 h", Attributes{Category: "product_fault", Priority: "P1"}, "after-sales", "48h elapsed"},
		{"002 P2", Attributes{Category: "service_experience", Priority: "P2"}, "after-sales", "72h elapsed"},
		{"002 P3: next cycle, no deadline", Attributes{Category: "demand_suggestion", Priority: "P3"}, "after-sales", "-"},
		{"002 for a ticket that says nothing", Attributes{}, "after-sales", "-"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			r, err := s.Evaluate(tt.a, open, mar(4, 10, 0), Options{})
			require.NoError(t, err)
			assert.Equal(t, tt.policy, r.Policy)
			fr := metricByName(t, r, "first_response")
			got := "-"
			if fr.HasTarget {
				got = targetText(fr.Target)
			}
			assert.Equal(t, tt.resp, got)
		})
	}
}

func targetText(t Target) string {
	if t.Days > 0 {
		return strconv.Itoa(t.Days) + " working_days"
	}
	d := t.Duration.String()
	if t.Duration%time.Hour == 0 {
		d = strconv.Itoa(int(t.Duration/time.Hour)) + "h"
	}
	return d + " " + t.Unit.String()
}

// Internal targets keep the owing department's calendar whatever the
// ticket's, and are reported as internal with their team.
func TestPresetDocumentsInternalTargets(t *testing.T) {
	s, err := Preset(PresetDocuments, presetEnv(t))
	require.NoError(t, err)
	tl := []Entry{
		st(mar(4, 9, 0), "received"),
		ev(mar(4, 10, 0), "feasibility_report_requested"),
		ev(mar(4, 10, 0), "competitor_analysis_requested"),
		ev(mar(7, 16, 0), "feasibility_report_done"),
	}
	r, err := s.Evaluate(Attributes{Kind: "suggestion"}, tl, mar(8, 9, 0), Options{Calendar: "office"})
	require.NoError(t, err)
	assert.Equal(t, "suggestion", r.Policy)
	assert.Equal(t, "office", metricByName(t, r, "first_response").Target.Calendar, "the ticket's calendar replaces the default")
	tests := []struct {
		metric, team string
		status       Status
		deadline     time.Time
	}{
		// Requested Monday 10:00: 5 working days → Monday 11th at closing time.
		{"feasibility_report", "technology", Met, mar(11, 18, 0)},
		// 10 working days → Monday 18th at closing time.
		{"competitor_analysis", "marketing", Running, mar(18, 18, 0)},
	}
	for _, tt := range tests {
		m := metricByName(t, r, tt.metric)
		assert.True(t, m.Internal, tt.metric)
		assert.Equal(t, tt.team, m.Team)
		assert.Equal(t, "cn-office", m.Target.Calendar, tt.metric)
		assert.Equal(t, tt.status, m.Status, tt.metric)
		assert.True(t, m.Deadline.Equal(tt.deadline), "%s: %v", tt.metric, m.Deadline)
	}
}
