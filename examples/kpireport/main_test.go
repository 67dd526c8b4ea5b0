package main

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"encoding/xml"
	"errors"
	"flag"
	"io"
	"os"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// chartNames are the files of the report's charts.
func chartNames() []string {
	var out []string
	for _, c := range charts {
		out = append(out, c.name)
	}
	return out
}

func runIn(t *testing.T, dir string) string {
	t.Helper()
	var out bytes.Buffer
	require.NoError(t, run([]string{"-out", dir}, &out))
	return out.String()
}

func TestRun(t *testing.T) {
	dir := t.TempDir()
	out := runIn(t, dir)

	// The console summary finds the staged story.
	for _, want := range []string{
		"kpireport: monthly review 2024-03 from ",
		"CSAT 76.5 % (",
		"SLA first_response achievement ",
		"SLA resolution achievement ",
		"top problems: billing (",
		"largest week-on-week rise: crash 2024-W12 +",
		"below the rest: t6 (",
		"strongest co-occurrence: {login} ⇒ {password}",
		filepath.Join(dir, "report.md"),
	} {
		assert.Contains(t, out, want)
	}
	assert.NotContains(t, out, "below the rest: t1", "only the staged team is flagged")

	report := read(t, dir, "report.md")
	for _, want := range []string{
		"# Monthly feedback review — March 2024",
		"| CSAT | 77.9 % | 76.5 % | -1.7 % |",
		"| satisfaction ≥ 90 % (CSAT, 004) | 77.9 | 76.5 | -1.7 % | **missed** |",
		"| **first_response** | **all** | 42961 | 2682 | **94.1 %** | 623 | 14.6 % (91/623) |",
		"| resolution | P0 |",
		"| P0 | 2391 | 15m |", // handling time per priority
		"| 5 | crash | 4161 | 5 | 3314 | +25.6 % |",
		"- billing: 2024-01 → 2024-03, 3 months, still running",
		"**crash in 2024-W12, +64.1 %** (797 → 1308 tickets",
		"| 2024-W12 | 10896 | +5.4 % | 74.1 % | -4.0 % |",
		"| complaint | app | 18–21 | 737 |",
		"| login | password | 1555 | 3.36 % | 100.0 % | 29.75 |",
		"the busiest hour is 20:00–21:00 with 8.6 % of the month's tickets",
		"The cells are averages per weekday",
		"the band is the review's target of 95 % met",
		"| resolution, p90 | 147h9m | 118h21m |", // one duration format: hours and minutes
		"| day | Mon 04-01 | Tue 04-02 |",
		"| forecast | 1770 |",
		"[CSV](figures.csv)",
	} {
		assert.Contains(t, report, want)
	}
	// Exactly one team flagged, and it is t6; no region flagged.
	assert.Equal(t, 1, strings.Count(report, "**below**"))
	assert.Regexp(t, `\| t6 \| \d+ \| 3\.\d\d \|.*\*\*below\*\* \|`, report)

	// Every linked chart exists; every chart is linked.
	links := regexp.MustCompile(`!\[[^\]]+\]\(([^)]+)\)`).FindAllStringSubmatch(report, -1)
	var linked []string
	for _, l := range links {
		linked = append(linked, l[1])
	}
	assert.ElementsMatch(t, chartNames(), linked)

	// The charts are well-formed SVG with their titles and labels.
	wantText := map[string][]string{
		"sla.svg":             {"SLA achievement per priority, 2024-03", "first response", "resolution", "P0", "P3", "target ≥ 95 %"},
		"trend.svg":           {"Weekly tickets of the top 5 problems of 2024-03", "crash", "W12", "app release 03-18"},
		"satisfaction.svg":    {"Weekly CSAT and first-response SLA achievement", "W01", "CSAT goal ≥ 90 % (004)"},
		"heatmap-channel.svg": {"Tickets by type and channel, 2024-03", "complaint", "wechat", "3379"},
		"heatmap-slot.svg":    {"Tickets by type and time of day, 2024-03", "18–21", "suggestion"},
		"staffing.svg":        {"Average tickets per hour on each weekday, 2024-03", "Mon ×4", "Fri ×5", "Sun ×5", "19"},
		"forecast.svg":        {"Daily tickets and the Holt–Winters forecast", "held-out test", "next week", "04-01", "tickets per day, axis from 800"},
		"units.svg":           {"Mean CSAT answer per team", "t6", "significantly below the rest"},
	}
	for _, name := range chartNames() {
		texts := svgTexts(t, read(t, dir, name))
		for _, want := range wantText[name] {
			assert.Contains(t, texts, want, name)
		}
	}

	// The appendix comes from the metrics renderers.
	var v map[string]any
	require.NoError(t, json.Unmarshal([]byte(read(t, dir, "figures.json")), &v))
	assert.Equal(t, []any{"priority"}, v["group_by"])
	rows, err := csv.NewReader(strings.NewReader(read(t, dir, "figures.csv"))).ReadAll()
	require.NoError(t, err)
	assert.Len(t, rows, 1+4+1, "header, P0..P3, total")
	assert.Contains(t, read(t, dir, "figures.md"), "| P0 |")

	// Same seed, same bytes: nothing reads the wall clock or map order.
	if testing.Short() {
		return
	}
	again := t.TempDir()
	runIn(t, again)
	entries, err := os.ReadDir(dir)
	require.NoError(t, err)
	require.Len(t, entries, 12)
	for _, e := range entries {
		assert.Equal(t, read(t, dir, e.Name()), read(t, again, e.Name()), e.Name())
	}
}

func TestRunFlags(t *testing.T) {
	var out bytes.Buffer
	err := run([]string{"-h"}, &out)
	assert.True(t, errors.Is(err, flag.ErrHelp))
	assert.Contains(t, out.String(), "-out")
	assert.Error(t, run([]string{"-bogus"}, io.Discard))
	assert.Error(t, run([]string{"-out", t.TempDir(), "extra"}, io.Discard))
}

func read(t *testing.T, dir, name string) string {
	t.Helper()
	b, err := os.ReadFile(filepath.Join(dir, name))
	require.NoError(t, err)
	return string(b)
}

// svgTexts parses an SVG document strictly and returns its root name check
// and the contents of its text elements joined by newlines.
func svgTexts(t *testing.T, doc string) string {
	t.Helper()
	d := xml.NewDecoder(strings.NewReader(doc))
	var texts []string
	var root string
	inText := false
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		require.NoError(t, err)
		switch tk := tok.(type) {
		case xml.StartElement:
			if root == "" {
				root = tk.Name.Local
			}
			inText = tk.Name.Local == "text"
		case xml.EndElement:
			inText = false
		case xml.CharData:
			if inText {
				texts = append(texts, string(tk))
			}
		}
	}
	require.Equal(t, "svg", root)
	return strings.Join(texts, "\n")
}
