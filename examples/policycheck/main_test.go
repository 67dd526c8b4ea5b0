package main

import (
	"bytes"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/closeloop/closeloop/feedback"
	"github.com/closeloop/closeloop/scenario"
	"github.com/closeloop/closeloop/whatif"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// results runs the comparison on a history of 3000 tickets (the test keeps
// to a few seconds) and returns the first-response and resolution results.
func results(t *testing.T) (response, resolution *whatif.Result) {
	t.Helper()
	c, err := compare(options{N: 3000, Seed: 1})
	require.NoError(t, err)
	require.Len(t, c.results, 2)
	require.Equal(t, "first_response", c.results[0].Metric)
	require.Equal(t, "resolution", c.results[1].Metric)
	return c.results[0], c.results[1]
}

func TestKeyFigures(t *testing.T) {
	response, resolution := results(t)
	for _, res := range []*whatif.Result{response, resolution} {
		assert.EqualValues(t, 3000, res.Total.Current.Tickets)
		assert.Zero(t, res.Total.Current.Failed+res.Total.Proposed.Failed, "every generated ticket evaluates")
		for _, p := range []string{"P0", "P1", "P2", "P3"} {
			require.NotNil(t, res.Find(p), "%s %s", res.Metric, p)
		}
	}

	// Tightening P1 raises its breach rate on both clocks and halves its
	// time to deadline (elapsed targets: exactly 8 h → 4 h and 48 h → 24 h
	// for tickets that never waited).
	p1 := response.Find("P1")
	require.True(t, p1.BreachRateOK)
	assert.Greater(t, p1.BreachRatePoints, 10.0)
	assert.Equal(t, 8*time.Hour, p1.Current.TimeToDeadline.Mean)
	assert.Equal(t, 4*time.Hour, p1.Proposed.TimeToDeadline.Mean)
	p1 = resolution.Find("P1")
	assert.Greater(t, p1.BreachRatePoints, 10.0)
	assert.Less(t, p1.TimeToDeadline, -20*time.Hour)
	require.True(t, p1.CompensationOK)
	assert.Positive(t, p1.CompensationMinor, "more late P1 tickets cost more vouchers")
	assert.Equal(t, "CNY", p1.Current.Currency)

	// P2 resolution on the calendar with the evening shift: the same 48
	// business hours fall due sooner, so more are breached.
	p2 := resolution.Find("P2")
	assert.Positive(t, p2.BreachRatePoints)
	assert.Negative(t, int64(p2.TimeToDeadline))
	assert.Positive(t, p2.CompensationMinor)
	// ... while its response target did not change.
	unchanged(t, response.Find("P2"))

	// P0 and P3 are unchanged everywhere.
	for _, res := range []*whatif.Result{response, resolution} {
		unchanged(t, res.Find("P0"))
		unchanged(t, res.Find("P3"))
	}
	// Response is not priced.
	assert.False(t, response.Total.CompensationOK)
	assert.Empty(t, response.Total.Current.Currency)
}

// unchanged checks that both sides have the same figures.
func unchanged(t *testing.T, d *whatif.Difference) {
	t.Helper()
	cur, prop := d.Current, d.Proposed
	cur.Side, prop.Side = "", ""
	assert.Equal(t, cur, prop, d.Priority)
	assert.Zero(t, d.BreachRatePoints, d.Priority)
	assert.Zero(t, d.TimeToDeadline, d.Priority)
	assert.Zero(t, d.CompensationMinor, d.Priority)
}

func TestReport(t *testing.T) {
	var a, b bytes.Buffer
	require.NoError(t, run(&a, options{N: 3000, Seed: 1}))
	require.NoError(t, run(&b, options{N: 3000, Seed: 1}))
	assert.Equal(t, a.String(), b.String(), "the same flags print the same report")
	out := a.String()
	t.Log("\n" + out)
	for _, want := range []string{
		"Policy check: support-2024 → support-2024-proposal\n",
		"History: 3000 generated tickets received 2024-03-04 00:00 Mon … ",
		"  support first_response P1: 8h elapsed → 4h elapsed\n",
		"  support resolution P1: 48h elapsed → 24h elapsed\n",
		"  support resolution P2: 48h business on office → 48h business on office-evening\n",
		"== First response\n",
		"== Resolution (priced with the complaint-goodwill compensation preset)\n",
		"All priorities · 3000 tickets\n",
		"  mean time to deadline                8h             4h              -4h\n",
		// the figures are defined in the output
		"  mean time to deadline  the mean, over the tickets that have one, of deadline − start of the\n",
		"  breach rate            breached ÷ due: of the metric's clocks that stopped or passed their\n",
	} {
		assert.Contains(t, out, want)
	}
	// The P3 tables say "unchanged" on every line with a change column.
	for _, table := range strings.Split(out, "\n\n") {
		if strings.HasPrefix(table, "P3 · ") {
			assert.Contains(t, table, "breach rate")
			for _, line := range strings.Split(table, "\n")[2:] {
				if strings.HasPrefix(line, "  breach") || strings.HasPrefix(line, "  mean") || strings.HasPrefix(line, "  compensation") {
					assert.True(t, strings.HasSuffix(line, "unchanged"), line)
				}
			}
		}
	}
	for _, line := range strings.Split(out, "\n") {
		assert.Equal(t, strings.TrimRight(line, " "), line, "no trailing spaces")
		// Only the priorities whose targets changed have tickets that flip.
		if strings.HasPrefix(line, "  T0") {
			assert.Regexp(t, `^  T\d{8} P[12] received .*: met under current \(due .*\), breached under proposed \(due .*, .* late\)$`, line)
		}
	}
	assert.Contains(t, out, "For instance (the first ticket of each priority whose verdict changes):\n")
}

func TestOwnProposalFile(t *testing.T) {
	data, err := os.ReadFile("proposed.json")
	require.NoError(t, err)
	// A proposal identical to the policy in force changes nothing.
	same := filepath.Join(t.TempDir(), "same.json")
	cur, err := os.ReadFile("current.json")
	require.NoError(t, err)
	require.NoError(t, os.WriteFile(same, cur, 0o600))
	c, err := compare(options{N: 500, Seed: 3, Proposed: same})
	require.NoError(t, err)
	for _, res := range c.results {
		for i := range res.Priorities {
			unchanged(t, &res.Priorities[i])
		}
	}
	var out bytes.Buffer
	require.NoError(t, c.write(&out))
	assert.Contains(t, out.String(), "What the proposal changes:\n  no target changes\n")

	// A misspelt field is refused with its JSON path.
	bad := filepath.Join(t.TempDir(), "bad.json")
	require.NoError(t, os.WriteFile(bad, bytes.Replace(data, []byte(`"pause_in"`), []byte(`"pause_on"`), 1), 0o600))
	_, err = compare(options{N: 10, Seed: 1, Proposed: bad})
	require.Error(t, err)
	assert.Contains(t, err.Error(), "bad.json")
	assert.Contains(t, err.Error(), "pause_on")

	_, err = compare(options{N: 0})
	assert.Error(t, err)
}

func TestJSON(t *testing.T) {
	var out bytes.Buffer
	require.NoError(t, run(&out, options{N: 300, Seed: 1, JSON: true}))
	var got map[string]struct {
		Metric     string `json:"metric"`
		Priorities []struct {
			Priority string `json:"priority"`
		} `json:"priorities"`
		Total struct {
			Current struct {
				Tickets int `json:"tickets"`
			} `json:"current"`
		} `json:"total"`
	}
	require.NoError(t, json.Unmarshal(out.Bytes(), &got))
	require.Len(t, got, 2)
	assert.Equal(t, "resolution", got["resolution"].Metric)
	assert.Equal(t, 300, got["first_response"].Total.Current.Tickets)
	assert.NotEmpty(t, got["resolution"].Priorities)
}

// TestProposalScenarios pins the proposal's effect on single tickets with
// package scenario, on the same policy files: a P2 ticket received on
// Monday 2024-03-04 at 00:32 (T00000022 of the report) is due after 48
// business hours — the next Monday at 18:00 on the office calendar, but
// Friday at 18:00 with the evening shift — and a P1 ticket resolved 30
// hours after it arrived is met under 48 hours and 6 hours late under 24.
func TestProposalScenarios(t *testing.T) {
	cals, err := os.ReadFile("calendars.json")
	require.NoError(t, err)
	for _, tc := range []struct {
		file                      string
		p2Target, p2Due, p1Status string
	}{
		{"current.json", "48h business on office", "2024-03-11 18:00", "met"},
		{"proposed.json", "48h business on office-evening", "2024-03-08 18:00", "breached"},
	} {
		policy, err := os.ReadFile(tc.file)
		require.NoError(t, err)
		rules := scenario.Rules{Preset: scenario.PresetDocuments,
			Replace: []byte(`{"calendars": ` + string(cals) + `, "default_calendar": "office", "sla": ` + string(policy) + `}`)}
		scenario.Verify(t, scenario.Scenario{
			Name: "P2 under " + tc.file, TimeZone: "Asia/Shanghai", Rules: rules,
			Ticket: scenario.Opening{ID: "T00000022", At: "2024-03-04 00:32"},
			Steps:  []scenario.Step{{At: "2024-03-04 00:40", Trigger: "triage", Payload: feedback.Payload{Priority: "P2"}}},
			Expect: scenario.Checkpoint{Policy: "support", Deadline: tc.p2Due, Metrics: map[string]scenario.Metric{
				"resolution": {Status: "running", Target: tc.p2Target, Deadline: tc.p2Due}}},
		})
		late := "-"
		if tc.p1Status == "breached" {
			late = "6h"
		}
		scenario.Verify(t, scenario.Scenario{
			Name: "P1 under " + tc.file, TimeZone: "Asia/Shanghai", Rules: rules,
			Ticket: scenario.Opening{ID: "P1-30h", At: "2024-03-04 09:00"},
			Steps: []scenario.Step{
				{At: "2024-03-04 09:10", Trigger: "triage", Payload: feedback.Payload{Priority: "P1"}},
				{At: "2024-03-04 09:15", Trigger: "assign", Payload: feedback.Payload{Team: "support"}},
				{At: "2024-03-04 09:20", Trigger: "start"},
				// A late resolution records why (document 002 §5.2); the reason is harmless when on time.
				{At: "2024-03-05 15:00", Trigger: "resolve", Payload: feedback.Payload{Note: "fixed", Reason: "waited for a spare part"}},
			},
			Expect: scenario.Checkpoint{Metrics: map[string]scenario.Metric{
				"resolution": {Status: tc.p1Status, Late: late}}},
		})
	}
}
