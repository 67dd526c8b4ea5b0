package main

import (
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"unicode/utf8"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The fixed instant of every golden run: the calendars' next year is 2027.
const now = "2026-06-01T09:00:00+08:00"

func TestTopLevel(t *testing.T) {
	runGolden(t, []goldenCase{
		{name: "help", args: []string{"-help"}, code: exitOK},
		{name: "no-command", args: nil, code: exitUsage},
		{name: "unknown-command", args: []string{"lint"}, code: exitUsage},
		{name: "help-check", args: []string{"help", "check"}, code: exitOK},
	})
	r := runCmd(t, "", "version")
	assert.Equal(t, exitOK, r.code)
	assert.True(t, strings.HasPrefix(r.stdout, "closeloop "), r.stdout)
}

func TestCheck(t *testing.T) {
	runGolden(t, []goldenCase{
		{name: "check-documents", args: []string{"check", "-now", now, "rules/documents.json"}, code: exitOK},
		{name: "check-lint", args: []string{"check", "-now", now, "rules/lint.json"}, code: exitOK},
		{name: "check-lint-strict", args: []string{"check", "-strict", "-now", now, "rules/lint.json"}, code: exitFindings},
		{name: "check-lint-json", args: []string{"check", "-json", "-now", now, "rules/lint.json"}, code: exitOK},
		{name: "check-errors", args: []string{"check", "-now", now, "rules/bad-duration.json", "rules/syntax.json",
			"rules/unknown-field.json", "rules/duplicate-key.json", "rules/trailing.json", "rules/truncated.json"}, code: exitFindings},
		{name: "check-errors-json", args: []string{"check", "-json", "rules/bad-duration.json", "rules/unknown-field.json"}, code: exitFindings},
		{name: "check-zh", args: []string{"check", "-lang", "zh", "rules/bad-duration.json", "rules/unknown-field.json"}, code: exitFindings},
		{name: "check-stdin", args: []string{"check", "-now", now, "-"}, stdin: `{"version": "x", "sla": {"polices": []}}`, code: exitFindings},
		{name: "check-missing-file", args: []string{"check", "rules/none.json"}, code: exitUsage},
		{name: "check-no-args", args: []string{"check"}, code: exitUsage},
		{name: "check-bad-flag", args: []string{"check", "-nw", now, "rules/lint.json"}, code: exitUsage},
		{name: "check-help", args: []string{"check", "-help"}, code: exitOK},
	})
}

// TestCheckPositions pins every error's line and column, computed by
// hand from the files (columns count characters: the Chinese text before
// the bad duration counts one each; unknown-field.json has CRLF endings).
func TestCheckPositions(t *testing.T) {
	for _, tc := range []struct {
		file, path string
		line, col  int
	}{
		{"rules/bad-duration.json", "$.sla.policies[0].metrics[0].targets.P0.duration", 6, 141},
		{"rules/syntax.json", "$", 4, 3},
		{"rules/unknown-field.json", "$.routing.rules[0].when.categorys", 5, 35},
		{"rules/duplicate-key.json", "$.calendars[0].name", 5, 6},
		{"rules/trailing.json", "$", 2, 1},
		{"rules/truncated.json", "$.sla.policies[0].metrics", 4, 1},
	} {
		t.Run(tc.file, func(t *testing.T) {
			r := runCmd(t, "", "check", "-json", tc.file)
			require.Equal(t, exitFindings, r.code, r.stderr)
			var res []checkResult
			require.NoError(t, json.Unmarshal([]byte(r.stdout), &res))
			require.Len(t, res, 1)
			require.Len(t, res[0].Errors, 1)
			e := res[0].Errors[0]
			assert.Equal(t, tc.path, e.Path)
			assert.Equal(t, tc.line, e.Line, "line")
			assert.Equal(t, tc.col, e.Column, "column")
		})
	}
}

func TestDiagram(t *testing.T) {
	runGolden(t, []goldenCase{
		{name: "diagram-mermaid", args: []string{"diagram", "rules/documents.json"}, code: exitOK},
		{name: "diagram-dot", args: []string{"diagram", "-format", "dot", "rules/documents.json"}, code: exitOK},
		{name: "diagram-week-national-day", args: []string{"diagram", "-format", "week", "-week", "2024-09-30", "rules/documents.json"}, code: exitOK},
		{name: "diagram-week-make-up-day", args: []string{"diagram", "-format", "week", "-week", "2024-09-26", "rules/documents.json"}, code: exitOK},
		{name: "diagram-week-unknown-calendar", args: []string{"diagram", "-format", "week", "-calendar", "mars", "rules/documents.json"}, code: exitUsage},
		{name: "diagram-bad-format", args: []string{"diagram", "-format", "png", "rules/documents.json"}, code: exitUsage},
		{name: "diagram-invalid-rules", args: []string{"diagram", "rules/unknown-field.json"}, code: exitUsage},
		{name: "diagram-week-json", args: []string{"diagram", "-json", "-format", "week", "-week", "2024-09-30", "rules/documents.json"}, code: exitOK},
	})
	// The lifecycle as data: the states and transitions the diagrams draw.
	r := runCmd(t, "", "diagram", "-json", "rules/documents.json")
	require.Equal(t, exitOK, r.code, r.stderr)
	var spec struct {
		Initial     string
		States      []struct{ Name string }
		Transitions []struct{ Trigger, To string }
	}
	require.NoError(t, json.Unmarshal([]byte(r.stdout), &spec))
	assert.Equal(t, "received", spec.Initial)
	assert.Contains(t, spec.Transitions, struct{ Trigger, To string }{"close", "closed"})
}

func TestExplain(t *testing.T) {
	at := "2024-03-04T12:00:00+08:00"
	runGolden(t, []goldenCase{
		{name: "explain", args: []string{"explain", "-now", at, "rules/documents.json", "tickets/F20240301001.json"}, code: exitOK},
		{name: "explain-zh", args: []string{"explain", "-lang", "zh", "-now", at, "rules/documents.json", "tickets/F20240301001.json"}, code: exitOK},
		{name: "explain-offer", args: []string{"explain", "-now", at, "-offer", "business-interruption",
			"-input", "durations.business_interruption=5h", "-input", "amounts.economic_loss=12000.00",
			"rules/documents.json", "tickets/F20240301001.json"}, code: exitOK},
		{name: "explain-unknown-offer", args: []string{"explain", "-now", at, "-offer", "none", "rules/documents.json", "tickets/F20240301001.json"}, code: exitUsage},
		{name: "explain-bad-input", args: []string{"explain", "-input", "delay=3h", "rules/documents.json", "tickets/F20240301001.json"}, code: exitUsage},
	})
	// JSON: the ticket, the structured reasons, the library's own SLA
	// report and offer (checked by their key fields: the report's JSON is
	// the sla package's, which grows).
	j := runCmd(t, "", "explain", "-json", "-now", at, "-offer", "business-interruption", "rules/documents.json", "tickets/F20240301001.json")
	require.Equal(t, exitOK, j.code, j.stderr)
	var x struct {
		Ticket struct {
			ID, State, Priority string
		}
		Priority struct {
			Level   string
			Reasons []struct {
				Kind  string
				Name  string
				Value int
			}
		}
		SLA struct {
			Policy  string
			Metrics []struct{ Name, Status string }
		}
		Offers []struct {
			Policy string
			Offer  *struct{ Currency string }
		}
	}
	require.NoError(t, json.Unmarshal([]byte(j.stdout), &x))
	assert.Equal(t, "F20240301001", x.Ticket.ID)
	assert.Equal(t, "in_progress", x.Ticket.State)
	assert.Equal(t, "P1", x.Priority.Level)
	require.NotEmpty(t, x.Priority.Reasons)
	assert.Equal(t, "count", x.Priority.Reasons[0].Kind)
	assert.Equal(t, 500, x.Priority.Reasons[0].Value)
	assert.Equal(t, "after-sales", x.SLA.Policy)
	assert.Contains(t, x.SLA.Metrics, struct{ Name, Status string }{"repair", "running"})
	require.Len(t, x.Offers, 1)
	assert.Equal(t, "business-interruption", x.Offers[0].Policy)
	require.NotNil(t, x.Offers[0].Offer)
	assert.Equal(t, "CNY", x.Offers[0].Offer.Currency)

	// The events replay to the ticket the snapshot holds.
	a := runCmd(t, "", "explain", "-now", at, "rules/documents.json", "tickets/F20240301001.json")
	b := runCmd(t, "", "explain", "-now", at, "rules/documents.json", "tickets/F20240301001-events.json")
	assert.Equal(t, a, b)
}

func TestScenarios(t *testing.T) {
	runGolden(t, []goldenCase{
		{name: "test-dir", args: []string{"test", "scenarios"}, code: exitFindings},
		{name: "test-pass", args: []string{"test", "-v", "-run", "battery", "scenarios"}, code: exitOK},
		{name: "test-json", args: []string{"test", "-json", "scenarios/wrong-deadline.json", "scenarios/unknown-field.json"}, code: exitFindings},
		{name: "test-zh", args: []string{"test", "-lang", "zh", "scenarios/unknown-field.json"}, code: exitFindings},
		{name: "test-empty-dir", args: []string{"test", "tickets/none"}, code: exitUsage},
		{name: "test-no-scenarios", args: []string{"test", "golden"}, code: exitUsage},
	})
}

func TestWhatif(t *testing.T) {
	base := []string{"whatif", "-current", "whatif/current.json", "-proposed", "whatif/proposed.json"}
	with := func(more ...string) []string { return append(append([]string(nil), base...), more...) }
	runGolden(t, []goldenCase{
		{name: "whatif-priced", args: with("-compensation", "complaint-goodwill", "whatif/histories.ndjson"), code: exitOK},
		{name: "whatif-first-response", args: with("-metric", "first_response", "whatif/histories.ndjson"), code: exitOK},
		{name: "whatif-json", args: with("-compensation", "complaint-goodwill", "-json", "whatif/histories.ndjson"), code: exitOK},
		{name: "whatif-broken-line", args: with("whatif/broken.ndjson"), code: exitUsage},
		{name: "whatif-no-proposal", args: []string{"whatif", "-current", "whatif/current.json", "whatif/histories.ndjson"}, code: exitUsage},
		{name: "whatif-unknown-compensation", args: with("-compensation", "none", "whatif/histories.ndjson"), code: exitUsage},
	})

	// Sharding does not change the figures; the table keeps to 100 columns.
	one := runCmd(t, "", with("-compensation", "complaint-goodwill", "-workers", "1", "whatif/histories.ndjson")...)
	three := runCmd(t, "", with("-compensation", "complaint-goodwill", "-workers", "3", "whatif/histories.ndjson")...)
	require.Equal(t, exitOK, one.code, one.stderr)
	assert.Equal(t, one.stdout, three.stdout)
	for _, line := range strings.Split(one.stdout, "\n") {
		assert.LessOrEqual(t, utf8.RuneCountInString(line), 100, line)
	}

	// Progress goes to standard error, the report to standard output.
	r := runCmd(t, readTestdata(t, "whatif/histories.ndjson"), with("-progress", "-")...)
	require.Equal(t, exitOK, r.code, r.stderr)
	assert.Contains(t, r.stderr, "tickets read 300, done")
	assert.NotContains(t, r.stdout, "tickets read")
	quiet := runCmd(t, readTestdata(t, "whatif/histories.ndjson"), with("-")...)
	assert.Empty(t, quiet.stderr, "no progress when standard error is not a terminal")
	assert.Equal(t, r.stdout, quiet.stdout)
}

func TestKPI(t *testing.T) {
	runGolden(t, []goldenCase{
		{name: "kpi-markdown", args: []string{"kpi", "-group-by", "channel", "kpi/records.ndjson"}, code: exitOK},
		{name: "kpi-csv-weekly", args: []string{"kpi", "-format", "csv", "-period", "week", "-tz", "Asia/Shanghai", "kpi/records.csv"}, code: exitOK},
		{name: "kpi-bad-record", args: []string{"kpi", "-"}, stdin: "{\"kind\": \"complaint\"}\n{\"kind\": \"complaint\", \"csat\": \"five\"}\n", code: exitUsage},
		{name: "kpi-unknown-sla", args: []string{"kpi", "-sla-metrics", "resolution", "kpi/records.ndjson"}, code: exitUsage},
		{name: "kpi-bad-dimension", args: []string{"kpi", "-group-by", "colour", "kpi/records.ndjson"}, code: exitUsage},
	})
	// NDJSON and CSV carry the same records.
	nd := runCmd(t, "", "kpi", "-json", "-group-by", "kind,priority", "kpi/records.ndjson")
	csv := runCmd(t, "", "kpi", "-format", "json", "-group-by", "kind,priority", "kpi/records.csv")
	require.Equal(t, exitOK, nd.code, nd.stderr)
	assert.JSONEq(t, nd.stdout, csv.stdout)

	// The chart: an SVG with its font inside and every group's label.
	svg := runCmd(t, "", "kpi", "-format", "svg", "-group-by", "channel", "-figure", "csat", "kpi/records.ndjson")
	require.Equal(t, exitOK, svg.code, svg.stderr)
	assert.Contains(t, svg.stdout, "<svg")
	assert.Contains(t, svg.stdout, "@font-face")
	for _, label := range []string{"app", "email", "phone", "web", "CSAT"} {
		assert.Contains(t, svg.stdout, ">"+label, label)
	}
	weekly := runCmd(t, "", "kpi", "-format", "svg", "-period", "week", "-group-by", "kind", "-figure", "nps", "kpi/records.csv")
	require.Equal(t, exitOK, weekly.code, weekly.stderr)
	assert.Contains(t, weekly.stdout, ">2024-W09<")
}

func readTestdata(t *testing.T, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", name))
	require.NoError(t, err)
	return string(data)
}
