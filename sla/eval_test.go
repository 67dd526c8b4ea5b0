package sla

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const resolutionDoc = `{
  "name": "t",
  "default_calendar": "office",
  "policies": [{
    "name": "p", "version": 3,
    "metrics": [{
      "kind": "resolution",
      "targets": {"P1": {"unit": "business", "duration": "8h"}, "P0": {"unit": "business", "duration": "4h"}},
      "pause_in": ["waiting_customer"],
      "warnings": [{"name": "w75", "percent": 75}],
      "escalations": [{"name": "lead", "percent": 100}, {"name": "head", "percent": 150}]
    }]
  }]
}`

func TestEvaluateResolutionPauseAndBreach(t *testing.T) {
	s := compileT(t, resolutionDoc)
	// Opened Mon 10:00 as P1 (8 business hours), waiting on the customer Mon 15:00–Tue 10:00.
	tl := []Entry{
		st(mar(4, 10, 0), "received"),
		st(mar(4, 11, 0), "in_progress"),
		st(mar(4, 15, 0), "waiting_customer"),
		st(mar(5, 10, 0), "in_progress"),
	}
	r, err := s.Evaluate(Attributes{Priority: "P1"}, tl, mar(5, 11, 0), Options{})
	require.NoError(t, err)
	assert.Equal(t, "p", r.Policy)
	assert.Equal(t, 3, r.Version)
	m := metricByName(t, r, "resolution")
	assert.Equal(t, Running, m.Status)
	// counted: Mon 10–12 (2h) + 13–15 (2h) + Tue 10–11 (1h) = 5h
	assert.Equal(t, 5*time.Hour, m.Elapsed)
	assert.Equal(t, 3*time.Hour, m.Remaining)
	assert.Equal(t, mar(5, 15, 0), m.Deadline) // Tue 11:00 + 3 business hours with lunch
	// w75 = 6h counted: Tue 11:00 + 1h = 12:00
	assert.Equal(t, mar(5, 12, 0), r.NextChange)
	assert.Equal(t, []string{"applied", "paused", "resumed"}, auditTypes(r, "resolution"))

	// Later: breached at Tue 15:00, escalated to head at 150% (12h) = Wed 10:00.
	r, err = s.Evaluate(Attributes{Priority: "P1"}, tl, mar(6, 11, 0), Options{})
	require.NoError(t, err)
	m = metricByName(t, r, "resolution")
	assert.Equal(t, Breached, m.Status)
	assert.Equal(t, mar(5, 15, 0), m.BreachedAt)
	assert.Equal(t, mar(5, 15, 0), m.Deadline)
	assert.Equal(t, 20*time.Hour, m.Late)
	require.Len(t, m.Warnings, 1)
	assert.Equal(t, Alert{Name: "w75", At: mar(5, 12, 0), Cycle: 1}, m.Warnings[0])
	require.Len(t, m.Escalations, 2)
	assert.Equal(t, mar(5, 15, 0), m.Escalations[0].At)
	assert.Equal(t, mar(6, 10, 0), m.Escalations[1].At)
	assert.Equal(t, []string{"applied", "paused", "resumed", "warned:w75", "breached", "escalated:lead", "escalated:head"}, auditTypes(r, "resolution"))
	assert.True(t, r.NextChange.IsZero())
}
