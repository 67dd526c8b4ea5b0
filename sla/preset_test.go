package sla

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPresetsCompile(t *testing.T) {
	for _, name := range PresetNames() {
		t.Run(name, func(t *testing.T) {
			s, err := CompilePreset(name, testEnv(t))
			require.NoError(t, err)
			assert.NotEmpty(t, s.Policies())
			data, err := PresetJSON(name)
			require.NoError(t, err)
			assert.Contains(t, string(data), `"policies"`)
		})
	}
	_, err := CompilePreset("nope", testEnv(t))
	require.ErrorIs(t, err, ErrNoPolicy)
	// complaint and enterprise need the business calendar.
	_, err = CompilePreset("complaint-grading", PolicyEnv{States: DefaultStates()})
	require.ErrorIs(t, err, ErrUnknownCalendar)
	// ... or the host's own calendar as the default.
	own, err := NewCalendars(officeCalendar(t, "cn-support"))
	require.NoError(t, err)
	s, err := CompilePreset(PresetEnterprise, PolicyEnv{States: DefaultStates(), Calendars: own, DefaultCalendar: "cn-support"})
	require.NoError(t, err)
	r, err := s.Evaluate(Attributes{Kind: "complaint"}, []Entry{st(mar(4, 9, 0), "received")}, mar(4, 10, 0), Options{})
	require.NoError(t, err)
	assert.Equal(t, "cn-support", metricByName(t, r, "resolution").Target.Calendar)
}

func TestPresetAfterSalesTargets(t *testing.T) {
	s, err := CompilePreset("after-sales", testEnv(t))
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
	s, err := CompilePreset("complaint-grading", testEnv(t))
	require.NoError(t, err)
	open := []Entry{st(mar(4, 9, 0), "received")}

	// Emergency: 1 h, senior management at 30 min, legal and PR at the breach.
	r, err := s.Evaluate(Attributes{Kind: "complaint", Priority: "P0"}, open, mar(4, 10, 30), Options{})
	require.NoError(t, err)
	assert.Equal(t, "complaint-emergency", r.Policy)
	assert.Equal(t, []string{`kind eq "complaint"`, `priority eq "P0"`}, r.Why)
	resp := metricByName(t, r, "first_response")
	assert.Equal(t, Breached, resp.Status)
	assert.True(t, resp.BreachedAt.Equal(mar(4, 10, 0)))
	assert.Equal(t, 30*time.Minute, resp.Late)
	require.Len(t, resp.Escalations, 2)
	assert.Equal(t, "senior_management", resp.Escalations[0].Name)
	assert.True(t, resp.Escalations[0].At.Equal(mar(4, 9, 30)))
	assert.Equal(t, "legal_and_pr", resp.Escalations[1].Name)

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
	s, err := CompilePreset(PresetEnterprise, testEnv(t))
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
	s, err := CompilePreset(PresetRepair, testEnv(t))
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
