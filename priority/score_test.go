package priority_test

import (
	"encoding/json"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/closeloop/closeloop/priority"
)

func TestInputErrors(t *testing.T) {
	s, err := priority.Parse([]byte(`{
		"scales": {"tier": {"min": 0, "max": 2}},
		"method": "weighted",
		"weighted": {"weights": {"urgency": 1}, "bands": [{"level": "P0", "at_least": 3}]}
	}`))
	require.NoError(t, err)
	tests := []struct {
		name  string
		in    priority.Input
		field string
		is    error
		msg   string
	}{
		{"impact above", priority.Input{Impact: 5}, "impact", priority.ErrOutOfScale, "priority: impact 5: input out of scale 1..4"},
		{"urgency negative", priority.Input{Urgency: -1}, "urgency", priority.ErrOutOfScale, "priority: urgency -1: input out of scale 1..4"},
		{"severity above", priority.Input{Severity: 99}, "severity", priority.ErrOutOfScale, "priority: severity 99: input out of scale 1..4"},
		{"tier above", priority.Input{Tier: 3}, "tier", priority.ErrOutOfScale, "priority: tier 3: input out of scale 0..2"},
		{"affected negative", priority.Input{Affected: -2}, "affected", priority.ErrNegativeCount, "priority: affected -2: negative count"},
		{"business negative", priority.Input{Business: -2}, "business", priority.ErrNegativeCount, "priority: business -2: negative count"},
		{"value negative", priority.Input{Value: -2}, "value", priority.ErrNegativeCount, "priority: value -2: negative count"},
		{"unknown flag bit", priority.Input{Flags: 1 << 6}, "flags", priority.ErrUnknownFlag, "priority: flags 64: unknown flag"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			for _, f := range []func(priority.Input) (priority.Result, error){s.Score, s.Explain} {
				res, err := f(tt.in)
				require.Error(t, err)
				assert.ErrorIs(t, err, tt.is)
				var ie *priority.InputError
				require.ErrorAs(t, err, &ie)
				assert.Equal(t, tt.field, ie.Field)
				assert.Equal(t, tt.msg, err.Error())
				assert.Equal(t, priority.Result{}, res)
			}
		})
	}
	// 0 is "not given" on a 1..4 scale, and the minimum itself on 0..2.
	res, err := s.Explain(priority.Input{})
	require.NoError(t, err)
	assert.Equal(t, "impact 1 [not given, taken as the lowest]", res.Reasons[0].String())
	assert.Equal(t, "tier 0", res.Reasons[3].String())
	assert.Panics(t, func() { s.MustScore(priority.Input{Impact: 9}) })
	assert.Equal(t, priority.P3, s.MustScore(priority.Input{}).Level)
}

// overridePolicy has one override of each kind, in an order that shows
// order matters: the cap comes after the safety override, so it wins.
const overridePolicy = `{
	"method": "weighted",
	"weighted": {"weights": {"urgency": 10}, "bands": [{"level": "P1", "at_least": 30}, {"level": "P2", "at_least": 10}]},
	"overrides": [
		{"name": "safety", "when": {"flags": ["personal_safety"]}, "raise_to": "P0"},
		{"name": "VIP", "when": {"tier_at_least": 4}, "raise_by": 1},
		{"name": "never P0 from this queue", "cap": "P1"},
		{"name": "repeat customers are at least P2", "floor": "P2"}
	]
}`

func TestOverrides(t *testing.T) {
	s, err := priority.Parse([]byte(overridePolicy))
	require.NoError(t, err)
	tests := []struct {
		name    string
		in      priority.Input
		base    priority.Level
		want    priority.Level
		reasons []string // override reasons only
	}{
		{"nothing fires but the floor", priority.Input{Urgency: 1}, priority.P3, priority.P2,
			[]string{`override "repeat customers are at least P2" (floor P2): P3 → P2`}},
		{"safety then cap", priority.Input{Urgency: 2, Flags: priority.PersonalSafety}, priority.P2, priority.P1,
			[]string{`override "safety" (raise_to P0): P2 → P0`, `override "never P0 from this queue" (cap P1): P0 → P1`}},
		{"VIP one level", priority.Input{Urgency: 2, Tier: 4}, priority.P2, priority.P1,
			[]string{`override "VIP" (raise_by 1): P2 → P1`}},
		{"VIP at the top stays and is reported", priority.Input{Urgency: 4, Tier: 4, Flags: priority.PersonalSafety}, priority.P1, priority.P1,
			[]string{`override "safety" (raise_to P0): P1 → P0`, `override "VIP" (raise_by 1): P0 → P0`, `override "never P0 from this queue" (cap P1): P0 → P1`}},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			res, err := s.Explain(tt.in)
			require.NoError(t, err)
			assert.Equal(t, tt.base, res.Base)
			assert.Equal(t, tt.want, res.Level)
			var got []string
			for _, r := range res.Reasons {
				if r.Kind == priority.ReasonOverride {
					got = append(got, r.String())
				}
			}
			assert.Equal(t, tt.reasons, got)
		})
	}
}

func TestReasonsOfEachMethod(t *testing.T) {
	lines := func(rs []priority.Reason) []string {
		var out []string
		for _, r := range rs {
			out = append(out, r.String())
		}
		return out
	}
	t.Run("weighted below every band, with flags and business", func(t *testing.T) {
		s, err := priority.Parse([]byte(`{
			"impact_from": {"business": [10000, 50000]},
			"method": "weighted",
			"weighted": {"weights": {"impact": 5}, "flags": {"repeated_fault": 2, "legal_risk": 1}, "bands": [{"level": "P0", "at_least": 100}]}
		}`))
		require.NoError(t, err)
		res, err := s.Explain(priority.Input{Business: 20000, Urgency: 2, Severity: 1, Tier: 1, Flags: priority.RepeatedFault | priority.CoreFunction})
		require.NoError(t, err)
		assert.Equal(t, []string{
			"business 20000 reaches the threshold 10000 (impact at least 2)",
			"impact 2: +5 points",
			"urgency 2",
			"severity 1",
			"tier 1",
			"flag core_function",
			"flag repeated_fault: +2 points",
			"score 7 is below every band ⇒ P3",
		}, lines(res.Reasons))
		assert.Equal(t, 7, res.Score)
		assert.Equal(t, 2, res.Impact)
	})
	t.Run("matrix with quadrant reported", func(t *testing.T) {
		s, err := priority.Parse([]byte(`{
			"levels": ["high", "low"],
			"scales": {"impact": {"min": 0, "max": 1}, "urgency": {"min": 0, "max": 1}},
			"method": "matrix",
			"matrix": {"rows": "urgency", "columns": "impact", "cells": [["low", "high"], ["high", "high"]]},
			"quadrants": {"urgent": {"urgency_at_least": 1}, "important": {"impact_at_least": 1}}
		}`))
		require.NoError(t, err)
		res, err := s.Explain(priority.Input{Urgency: 1})
		require.NoError(t, err)
		assert.Equal(t, "high", res.Name)
		assert.Equal(t, priority.Coordinate, res.Quadrant)
		assert.Equal(t, []string{
			"impact 0", "urgency 1", "severity 1 [not given, taken as the lowest]", "tier 1 [not given, taken as the lowest]",
			"matrix urgency × impact ⇒ high",
			"quadrant coordinate: get the teams concerned to act quickly",
		}, lines(res.Reasons))
		res, err = s.Score(priority.Input{})
		require.NoError(t, err)
		assert.Equal(t, "low", res.Name)
		assert.Equal(t, priority.Backlog, res.Quadrant)
	})
	t.Run("quadrant method with default levels on three levels", func(t *testing.T) {
		s, err := priority.Parse([]byte(`{
			"levels": ["now", "soon", "later"],
			"method": "quadrant",
			"quadrants": {"urgent": {"urgency_at_least": 3}, "important": {"any": [{"tier_at_least": 3}, {"affected_at_least": 100}]}}
		}`))
		require.NoError(t, err)
		for _, tt := range []struct {
			in   priority.Input
			q    priority.Quadrant
			name string
		}{
			{priority.Input{Urgency: 3, Affected: 100}, priority.DoNow, "now"},
			{priority.Input{Urgency: 3}, priority.Coordinate, "soon"},
			{priority.Input{Tier: 4}, priority.Plan, "later"},
			{priority.Input{}, priority.Backlog, "later"},
		} {
			res, err := s.Explain(tt.in)
			require.NoError(t, err)
			assert.Equal(t, tt.q, res.Quadrant)
			assert.Equal(t, tt.name, res.Name)
			last := res.Reasons[len(res.Reasons)-1]
			assert.Equal(t, priority.ReasonQuadrant, last.Kind)
			assert.Equal(t, tt.name, last.To)
			assert.Equal(t, tt.q.Action(), last.Detail)
		}
	})
}

func TestTierFromValue(t *testing.T) {
	s, err := priority.Parse([]byte(`{
		"tier_from": {"value": [10000, 100000, 1000000]},
		"method": "weighted",
		"weighted": {"weights": {"tier": 10}, "bands": [{"level": "P1", "at_least": 20}]},
		"overrides": [{"name": "VIP", "when": {"tier_at_least": 4}, "raise_by": 1}]
	}`))
	require.NoError(t, err)
	tests := []struct {
		in   priority.Input
		tier int
		want priority.Level
	}{
		{priority.Input{}, 1, priority.P3},
		{priority.Input{Value: 9999}, 1, priority.P3},
		{priority.Input{Value: 100000}, 3, priority.P1},
		{priority.Input{Value: 100000, Tier: 4}, 4, priority.P0},
		{priority.Input{Value: 5_000_000, Tier: 2}, 4, priority.P0},
	}
	for _, tt := range tests {
		res, err := s.Explain(tt.in)
		require.NoError(t, err)
		assert.Equal(t, tt.tier, res.Tier, "%+v", tt.in)
		assert.Equal(t, tt.want, res.Level, "%+v", tt.in)
	}
	res, err := s.Explain(priority.Input{Value: 250000})
	require.NoError(t, err)
	assert.Equal(t, "value 250000 reaches the threshold 100000 (tier at least 3)", res.Reasons[0].String())
}

func TestConcurrentUse(t *testing.T) {
	s, err := priority.Preset(priority.PresetAfterSales)
	require.NoError(t, err)
	want, err := s.Explain(priority.Input{Affected: 500, Urgency: 3, Severity: 2})
	require.NoError(t, err)
	done := make(chan priority.Result)
	for range 4 {
		go func() {
			var last priority.Result
			for range 200 {
				last, _ = s.Explain(priority.Input{Affected: 500, Urgency: 3, Severity: 2})
			}
			done <- last
		}()
	}
	for range 4 {
		assert.Equal(t, want, <-done)
	}
}

func TestExplainAppendReuses(t *testing.T) {
	s, err := priority.Preset(priority.PresetAfterSales)
	require.NoError(t, err)
	in := priority.Input{Affected: 500, Urgency: 3, Severity: 2}
	want, err := s.Explain(in)
	require.NoError(t, err)
	buf := make([]priority.Reason, 0, 32)
	got, err := s.ExplainAppend(buf, in)
	require.NoError(t, err)
	assert.Equal(t, want, got)
	assert.Same(t, &buf[:1][0], &got.Reasons[0], "the buffer is reused")
	allocs := testing.AllocsPerRun(100, func() { _, _ = s.ExplainAppend(buf[:0], in) })
	assert.Zero(t, allocs)
	allocs = testing.AllocsPerRun(100, func() { _, _ = s.Score(in) })
	assert.Zero(t, allocs)
	// On error the buffer comes back as given.
	got, err = s.ExplainAppend(buf[:1], priority.Input{Urgency: 7})
	require.Error(t, err)
	assert.Len(t, got.Reasons, 1)
}

func TestResultJSON(t *testing.T) {
	s, err := priority.Preset(priority.PresetFourQuadrants)
	require.NoError(t, err)
	res, err := s.Explain(priority.Input{Tier: 3, Urgency: 3})
	require.NoError(t, err)
	b, err := json.Marshal(res)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"level":"P0","name":"P0","base":"P0","score":0,"impact":1,"tier":3,"quadrant":"do_now","reasons":[{"kind":"input","name":"impact","value":1,"label":"one customer","detail":"not given, taken as the lowest"}`)
}

func TestLevel(t *testing.T) {
	assert.Equal(t, "P0", priority.P0.String())
	assert.Equal(t, "P3", priority.P3.String())
	assert.Equal(t, "P12", priority.Level(12).String())
	assert.True(t, priority.P0.MoreUrgent(priority.P1))
	assert.False(t, priority.P1.MoreUrgent(priority.P1))
	for i := range priority.MaxLevels {
		l := priority.Level(i)
		b, err := l.MarshalText()
		require.NoError(t, err)
		var back priority.Level
		require.NoError(t, back.UnmarshalText(b))
		assert.Equal(t, l, back)
	}
	_, err := priority.Level(10).MarshalText()
	assert.Error(t, err)
	_, err = priority.ParseLevel("urgent")
	assert.ErrorIs(t, err, priority.ErrUnknownLevel)
	var l priority.Level
	assert.ErrorIs(t, l.UnmarshalText([]byte("p1")), priority.ErrUnknownLevel)

	s, err := priority.Preset(priority.PresetComplaintGrading)
	require.NoError(t, err)
	assert.Equal(t, "high", s.LevelName(priority.P1))
	assert.Equal(t, "P7", s.LevelName(7))
	got, ok := s.Level("suggestion")
	assert.True(t, ok)
	assert.Equal(t, priority.P3, got)
	_, ok = s.Level("P3")
	assert.False(t, ok)
}

func TestFlags(t *testing.T) {
	assert.Equal(t, []string{"personal_safety", "major_property_loss", "legal_risk", "core_function", "repeated_fault"}, priority.FlagNames())
	for _, n := range priority.FlagNames() {
		f, err := priority.ParseFlag(n)
		require.NoError(t, err)
		assert.Equal(t, n, f.String())
	}
	_, err := priority.ParseFlag("fire")
	assert.ErrorIs(t, err, priority.ErrUnknownFlag)
	f := priority.PersonalSafety | priority.RepeatedFault
	assert.Equal(t, "personal_safety|repeated_fault", f.String())
	assert.True(t, f.Has(priority.PersonalSafety))
	assert.False(t, f.Has(priority.PersonalSafety|priority.LegalRisk))
	assert.Equal(t, "none", priority.Flags(0).String())
	assert.Equal(t, "legal_risk|0xe0", (priority.LegalRisk | 0xe0).String())
}

func TestQuadrant(t *testing.T) {
	for q := priority.QuadrantNone; q <= priority.Backlog; q++ {
		b, err := q.MarshalText()
		require.NoError(t, err)
		var back priority.Quadrant
		require.NoError(t, back.UnmarshalText(b))
		assert.Equal(t, q, back)
	}
	assert.True(t, priority.DoNow.Urgent() && priority.DoNow.Important())
	assert.True(t, priority.Coordinate.Urgent() && !priority.Coordinate.Important())
	assert.True(t, !priority.Plan.Urgent() && priority.Plan.Important())
	assert.True(t, !priority.Backlog.Urgent() && !priority.Backlog.Important())
	assert.Equal(t, "", priority.QuadrantNone.Action())
	assert.Equal(t, "Quadrant(9)", priority.Quadrant(9).String())
	assert.Equal(t, "", priority.Quadrant(9).Action())
	_, err := priority.Quadrant(9).MarshalText()
	assert.Error(t, err)
	var q priority.Quadrant
	assert.Error(t, q.UnmarshalText([]byte("later")))
	assert.Equal(t, "ReasonKind(0)", priority.ReasonKind(0).String())
	assert.Equal(t, "override", priority.ReasonOverride.String())
}
