package metrics

import (
	"bytes"
	"encoding/csv"
	"encoding/json"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func renderResult(t *testing.T) *Result {
	a := mustNew(t, propertyConfigs(t)[2])
	res := accumulate(a, generate(11, benchStart, 500)).Result()
	res.SetExposure(func(g *Group) int64 { return 10 * g.Tickets })
	return res
}

func TestWriteCSV(t *testing.T) {
	res := renderResult(t)
	var buf bytes.Buffer
	require.NoError(t, WriteCSV(&buf, res))
	rows, err := csv.NewReader(&buf).ReadAll()
	require.NoError(t, err)
	require.Len(t, rows, len(res.Groups)+2)
	head := rows[0]
	assert.Equal(t, []string{"category", "period", "tickets"}, head[:3])
	assert.Contains(t, head, "first_response_elapsed_p90_s")
	assert.Contains(t, head, "sla_resolution_achievement")
	assert.Contains(t, head, "aging_≥30d")
	assert.Contains(t, head, "sat_speed")
	for _, r := range rows {
		assert.Len(t, r, len(head))
	}
	last := rows[len(rows)-1]
	assert.Equal(t, "total", last[0])
	assert.Equal(t, "500", last[2])
	assert.Equal(t, "1", last[3])                // share of the total
	rate, err := strconv.ParseFloat(last[5], 64) // complaint rate = complaints / (10·tickets)
	require.NoError(t, err)
	assert.InDelta(t, float64(res.Total.Complaints)/5000, rate, 1e-12)
}

func TestWriteJSON(t *testing.T) {
	res := renderResult(t)
	var buf bytes.Buffer
	require.NoError(t, WriteJSON(&buf, res))
	var back map[string]any
	require.NoError(t, json.Unmarshal(buf.Bytes(), &back))
	total := back["total"].(map[string]any)
	assert.EqualValues(t, 500, total["tickets"])
	csat := total["csat"].(map[string]any)
	assert.NotNil(t, csat["value"])

	// No data is null, never NaN.
	a := mustNew(t, Config{})
	buf.Reset()
	require.NoError(t, WriteJSON(&buf, a.NewAccumulator().Result()))
	assert.Contains(t, buf.String(), `"value": null`)
	assert.NotContains(t, buf.String(), "NaN")
}

func TestWriteMarkdown(t *testing.T) {
	res := renderResult(t)
	var buf bytes.Buffer
	require.NoError(t, WriteMarkdown(&buf, res))
	md := buf.String()
	for _, want := range []string{"# Feedback KPI report", "Grouped by category and day (UTC).", "## Groups",
		"## SLA by priority", "## Backlog aging", "| complaint rate |", "composite satisfaction"} {
		assert.Contains(t, md, want)
	}
	// Every table row of the groups table has the same number of cells.
	lines := strings.Split(md, "\n")
	var n int
	for _, l := range lines {
		if strings.HasPrefix(l, "| group |") {
			n = strings.Count(l, "|")
			continue
		}
		if n > 0 && strings.HasPrefix(l, "|") {
			assert.Equal(t, n, strings.Count(l, "|"), l)
		} else if n > 0 {
			break
		}
	}
	assert.Positive(t, n)
	assert.Equal(t, "(empty)", mdEscape(""))
	assert.Equal(t, `a\|b`, mdEscape("a|b"))
}
