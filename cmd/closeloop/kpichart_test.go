package main

import (
	"bytes"
	"encoding/base64"
	"encoding/json"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"math/rand/v2"
	"os"
	"path/filepath"
	"regexp"
	"strconv"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/image/font/gofont/goregular"
)

// The charts' tests read the SVG back: every label must lie inside the
// canvas and clear of every other label (measured with the embedded font,
// turned labels as turned boxes), each bar must end where the value axis
// puts its value, and the font the labels were measured with must be the
// one the SVG embeds. Two charts are also kept as golden files (the font's
// data left out).

var fontData = regexp.MustCompile(`base64,[A-Za-z0-9+/=]+\)`)

func TestKPIChartGolden(t *testing.T) {
	for _, tc := range []struct {
		name string
		args []string
	}{
		{"kpi-svg-bars.svg", []string{"kpi", "-format", "svg", "-group-by", "channel", "-figure", "csat", "kpi/records.ndjson"}},
		{"kpi-svg-weekly.svg", []string{"kpi", "-format", "svg", "-period", "week", "-group-by", "kind", "-figure", "nps", "kpi/records.csv"}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			r := runCmd(t, "", tc.args...)
			require.Equal(t, exitOK, r.code, r.stderr)
			c := readChart(t, r.stdout)
			c.checkLayout(t)
			golden(t, tc.name, fontData.ReplaceAllString(r.stdout, "base64,(Go Regular))"))
		})
	}
}

func TestKPIChartBars(t *testing.T) {
	r := runCmd(t, "", "kpi", "-format", "svg", "-group-by", "channel", "-figure", "csat", "kpi/records.ndjson")
	require.Equal(t, exitOK, r.code, r.stderr)
	c := readChart(t, r.stdout)
	c.checkLayout(t)
	c.checkBars(t)
	// One bar per channel, with the report's own figures.
	js := runCmd(t, "", "kpi", "-json", "-group-by", "channel", "kpi/records.ndjson")
	require.Equal(t, exitOK, js.code, js.stderr)
	var res struct {
		Groups []struct {
			Key  []string `json:"key"`
			CSAT struct {
				Num, Den int64
			} `json:"csat"`
		} `json:"groups"`
	}
	require.NoError(t, json.Unmarshal([]byte(js.stdout), &res))
	require.Len(t, c.bars, len(res.Groups))
	for i, g := range res.Groups {
		require.NotZero(t, g.CSAT.Den, g.Key)
		assert.Equal(t, g.Key[0], c.bars[i].label)
		assert.InDelta(t, 100*float64(g.CSAT.Num)/float64(g.CSAT.Den), c.bars[i].value, 0.05, g.Key)
	}
	assert.Equal(t, []string{"app", "email", "phone", "store", "web", "wechat"}, c.texts("category"))
}

func TestKPIChartLayouts(t *testing.T) {
	dir := t.TempDir()
	teams := []string{"north-east enterprise accounts", "south", "west consumer electronics & appliances", "central",
		"a", "b", "c", "d", "e", "f", "g", "R&D <lab>"}
	records := filepath.Join(dir, "records.ndjson")
	writeRecords(t, records, 1500, teams)
	for _, tc := range []struct {
		name  string
		args  []string
		check func(t *testing.T, c *chart)
	}{
		{"long team names turn, negative bars", []string{"-group-by", "team", "-figure", "nps"}, func(t *testing.T, c *chart) {
			assert.Len(t, c.bars, len(teams))
			assert.Contains(t, c.texts("category"), "R&D <lab>", "escaped and read back")
			last := c.texts("category")[len(teams)-1]
			assert.True(t, strings.HasSuffix(last, "…") && strings.HasPrefix("west consumer electronics & appliances", strings.TrimSuffix(last, "…")), "shortened: %q", last)
			assert.Equal(t, "west consumer electronics & appliances", c.bars[len(teams)-1].label, "the bar's title keeps the whole name")
			for _, tx := range c.all("category") {
				assert.Equal(t, -45.0, tx.angle, tx.s)
			}
			neg := 0
			for _, b := range c.bars {
				if b.value < 0 {
					neg++
				}
			}
			assert.Positive(t, neg, "NPS of random answers is negative somewhere")
			c.checkBars(t)
		}},
		{"a short plot keeps room for the values", []string{"-group-by", "team", "-figure", "tickets"}, func(t *testing.T, c *chart) {
			assert.Len(t, c.texts("value"), len(teams))
			c.checkBars(t)
		}},
		{"a bar without a value", []string{"-group-by", "channel", "-figure", "nps"}, func(t *testing.T, c *chart) {
			assert.Contains(t, c.texts("value"), "n/a", "the silent channel")
			assert.Contains(t, c.texts("category"), "fax")
			c.checkBars(t)
		}},
		{"no grouping", []string{"-figure", "tickets"}, func(t *testing.T, c *chart) {
			require.Len(t, c.bars, 1)
			assert.Equal(t, "all", c.bars[0].label)
			assert.Equal(t, 1500.0, c.bars[0].value)
			c.checkBars(t)
		}},
		{"a year of days: every few labelled", []string{"-period", "day", "-group-by", "kind", "-figure", "csat"}, func(t *testing.T, c *chart) {
			days := c.texts("category")
			assert.Greater(t, len(days), 10)
			assert.Less(t, len(days), 366/4)
			assert.Equal(t, "2024-01-01", days[0])
			assert.ElementsMatch(t, []string{"complaint", "inquiry", "praise"}, c.texts("legend"))
		}},
		{"a year of weeks", []string{"-period", "week", "-figure", "tickets"}, func(t *testing.T, c *chart) {
			assert.Equal(t, []string{"all"}, c.texts("legend"))
			assert.Contains(t, c.texts("category"), "2024-W01")
		}},
		{"a long title and axis title", []string{"-group-by", "team,channel,kind", "-figure", "closure_rate"}, func(t *testing.T, c *chart) {
			assert.Equal(t, []string{"closure rate (%) by team × channel × kind"}, c.texts("title"))
			assert.Len(t, c.bars, 12*3*3)
			assert.Empty(t, c.texts("value"), "108 slots are too narrow for the values: they are in the bars' titles")
			assert.Less(t, len(c.texts("category")), 108/3, "every few bars labelled")
		}},
	} {
		t.Run(tc.name, func(t *testing.T) {
			// In this process: the binary's start-up would cost more than
			// the chart (a second under the race detector).
			var out, errOut bytes.Buffer
			code := run(append(append([]string{"kpi", "-format", "svg"}, tc.args...), records),
				env{stdin: strings.NewReader(""), stdout: &out, stderr: &errOut})
			require.Equal(t, exitOK, code, errOut.String())
			c := readChart(t, out.String())
			c.checkLayout(t)
			tc.check(t, c)
		})
	}
}

// writeRecords writes n random records of 2024 over teams and channels
// (the channel fax never answers the NPS question).
func writeRecords(t *testing.T, path string, n int, teams []string) {
	rng := rand.New(rand.NewPCG(7, 2024))
	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	start := time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)
	for range n {
		rec := map[string]any{
			"kind":        []string{"complaint", "inquiry", "praise"}[rng.IntN(3)],
			"team":        teams[rng.IntN(len(teams))],
			"channel":     []string{"app", "phone", "fax"}[rng.IntN(3)],
			"received":    start.Add(time.Duration(rng.IntN(365*24*60)) * time.Minute),
			"survey_sent": true,
		}
		if rng.IntN(2) == 0 {
			rec["csat"] = 1 + rng.IntN(5)
		}
		if rng.IntN(2) == 0 && rec["channel"] != "fax" {
			rec["nps"] = rng.IntN(11)
		}
		if rng.IntN(3) > 0 {
			rec["closed"] = rec["received"].(time.Time).Add(time.Hour)
		}
		require.NoError(t, enc.Encode(rec))
	}
	require.NoError(t, os.WriteFile(path, buf.Bytes(), 0o644))
}

// chart is an SVG chart as the tests read it back.
type chart struct {
	text   []svgText
	bars   []svgBar
	grid   []float64 // the grid lines' y, in the order of the tick labels
	top    float64   // the plot area's top and bottom (the value axis)
	bottom float64
	fonts  [][]byte // the embedded fonts
}

type svgText struct {
	class, s, anchor string
	x, y, size       float64
	angle, cx, cy    float64 // rotate(angle cx cy)
}

type svgBar struct {
	label               string
	value               float64 // from the bar's title
	x, y, width, height float64
}

func readChart(t *testing.T, svg string) *chart {
	t.Helper()
	c := &chart{}
	d := xml.NewDecoder(strings.NewReader(svg))
	var cur *svgText
	var curBar *svgBar
	inTitle := false
	var style strings.Builder
	inStyle := false
	for {
		tok, err := d.Token()
		if err == io.EOF {
			break
		}
		require.NoError(t, err, "the SVG is well-formed XML")
		switch el := tok.(type) {
		case xml.StartElement:
			a := map[string]string{}
			for _, at := range el.Attr {
				a[at.Name.Local] = at.Value
			}
			switch el.Name.Local {
			case "style":
				inStyle = true
			case "text":
				cur = &svgText{class: a["class"], anchor: a["text-anchor"], x: atof(t, a["x"]), y: atof(t, a["y"]), size: atof(t, a["font-size"])}
				if tr := a["transform"]; tr != "" {
					_, err := fmt.Sscanf(tr, "rotate(%g %g %g)", &cur.angle, &cur.cx, &cur.cy)
					require.NoError(t, err, tr)
				}
			case "rect":
				if a["class"] == "bar" {
					curBar = &svgBar{x: atof(t, a["x"]), y: atof(t, a["y"]), width: atof(t, a["width"]), height: atof(t, a["height"])}
				}
			case "title":
				inTitle = true
			case "path":
				if a["class"] == "axis" {
					var x float64
					_, err := fmt.Sscanf(a["d"], "M%g,%gV%g", &x, &c.top, &c.bottom)
					require.NoError(t, err, a["d"])
				}
				if a["class"] == "grid" {
					var x0, y, x1 float64
					_, err := fmt.Sscanf(a["d"], "M%g,%gH%g", &x0, &y, &x1)
					require.NoError(t, err, a["d"])
					c.grid = append(c.grid, y)
				}
			}
		case xml.CharData:
			switch {
			case inStyle:
				style.Write(el)
			case cur != nil:
				cur.s += string(el)
			case inTitle && curBar != nil:
				label, value, ok := strings.Cut(string(el), ": ")
				require.True(t, ok, string(el))
				curBar.label, curBar.value = label, atof(t, value)
			}
		case xml.EndElement:
			switch el.Name.Local {
			case "style":
				inStyle = false
			case "text":
				c.text = append(c.text, *cur)
				cur = nil
			case "title":
				inTitle = false
			case "rect":
				if curBar != nil {
					c.bars = append(c.bars, *curBar)
					curBar = nil
				}
			}
		}
	}
	for _, m := range regexp.MustCompile(`base64,([A-Za-z0-9+/=]+)\)`).FindAllStringSubmatch(style.String(), -1) {
		b, err := base64.StdEncoding.DecodeString(m[1])
		require.NoError(t, err)
		c.fonts = append(c.fonts, b)
	}
	return c
}

func atof(t *testing.T, s string) float64 {
	t.Helper()
	v, err := strconv.ParseFloat(s, 64)
	require.NoError(t, err, "%q", s)
	return v
}

func (c *chart) all(class string) []svgText {
	var out []svgText
	for _, tx := range c.text {
		if tx.class == class {
			out = append(out, tx)
		}
	}
	return out
}

func (c *chart) texts(class string) []string {
	var out []string
	for _, tx := range c.all(class) {
		out = append(out, tx.s)
	}
	return out
}

// corners are the four corners of a text's box (advance × ascent +
// descent of the embedded font), turned as the SVG turns it.
func (tx svgText) corners(m measurer) [4][2]float64 {
	w := m.width(tx.s, tx.size)
	x0 := tx.x
	switch tx.anchor {
	case "middle":
		x0 -= w / 2
	case "end":
		x0 -= w
	}
	y0, y1 := tx.y-m.ascent(tx.size), tx.y+m.descent(tx.size)
	out := [4][2]float64{{x0, y0}, {x0 + w, y0}, {x0 + w, y1}, {x0, y1}}
	sin, cos := math.Sincos(tx.angle * math.Pi / 180)
	for i, p := range out {
		dx, dy := p[0]-tx.cx, p[1]-tx.cy
		out[i] = [2]float64{tx.cx + dx*cos - dy*sin, tx.cy + dx*sin + dy*cos}
	}
	return out
}

// checkLayout: the embedded font is Go Regular; every label is inside the
// canvas and overlaps no other label.
func (c *chart) checkLayout(t *testing.T) {
	t.Helper()
	require.Len(t, c.fonts, 1, "one embedded font")
	require.True(t, bytes.Equal(goregular.TTF, c.fonts[0]), "the embedded font is the one the labels were measured with")
	m := measurer{}
	const eps = 0.02
	boxes := make([][4][2]float64, len(c.text))
	for i, tx := range c.text {
		boxes[i] = tx.corners(m)
		for _, p := range boxes[i] {
			if p[0] < -eps || p[0] > chartW+eps || p[1] < -eps || p[1] > chartH+eps {
				t.Errorf("%s %q reaches outside the canvas: %.2f, %.2f", tx.class, tx.s, p[0], p[1])
				break
			}
		}
	}
	for i, a := range c.text {
		for j := i + 1; j < len(c.text); j++ {
			if overlap(boxes[i], boxes[j]) {
				b := c.text[j]
				t.Errorf("%s %q overlaps %s %q", a.class, a.s, b.class, b.s)
			}
		}
	}
}

// overlap reports whether two convex quadrilaterals share more than an
// edge (separating axis theorem; boxes that merely touch do not overlap).
func overlap(a, b [4][2]float64) bool {
	for _, q := range [][4][2]float64{a, b} {
		for i := range 2 {
			ax := [2]float64{q[i+1][1] - q[i][1], q[i][0] - q[i+1][0]} // normal of edge i
			loA, hiA := project(a, ax)
			loB, hiB := project(b, ax)
			n := math.Hypot(ax[0], ax[1])
			if hiA-loB <= 0.05*n || hiB-loA <= 0.05*n {
				return false
			}
		}
	}
	return true
}

func project(q [4][2]float64, ax [2]float64) (lo, hi float64) {
	lo, hi = math.Inf(1), math.Inf(-1)
	for _, p := range q {
		v := p[0]*ax[0] + p[1]*ax[1]
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	return lo, hi
}

// checkBars: each bar runs from zero to its value on the value axis (read
// from the tick labels and their grid lines), and its value is written at
// its end, outside the bar.
func (c *chart) checkBars(t *testing.T) {
	t.Helper()
	ticks := c.all("tick")
	require.Len(t, c.grid, len(ticks))
	require.GreaterOrEqual(t, len(ticks), 2)
	v0, v1 := atof(t, ticks[0].s), atof(t, ticks[len(ticks)-1].s)
	y0, y1 := c.grid[0], c.grid[len(ticks)-1]
	yOf := func(v float64) float64 { return y0 + (v-v0)/(v1-v0)*(y1-y0) }
	for i, tk := range ticks {
		assert.InDelta(t, yOf(atof(t, tk.s)), c.grid[i], 0.02, "tick %s evenly spaced", tk.s)
	}
	values := c.all("value")
	for _, b := range c.bars {
		top, bottom := b.y, b.y+b.height
		valueAt := func(y float64) float64 { return v0 + (y-y0)/(y1-y0)*(v1-v0) }
		zero, end := top, bottom // the bar's ends, zero first
		if b.value >= 0 {
			zero, end = bottom, top
		}
		assert.InDelta(t, yOf(0), zero, 0.02, "bar %s starts at zero", b.label)
		// The title's value has one decimal; the coordinates two.
		assert.InDelta(t, b.value, valueAt(end), 0.05+0.01*math.Abs((v1-v0)/(y1-y0)), "bar %s ends at its value", b.label)
		written := false
		for _, v := range values {
			if math.Abs(v.x-(b.x+b.width/2)) < 0.02 && v.s == formatValue(b.value) {
				written = true
				box := v.corners(measurer{})
				assert.True(t, box[0][1] >= c.top && box[2][1] <= c.bottom, "value %s inside the plot (%.2f..%.2f in %.2f..%.2f)", v.s, box[0][1], box[2][1], c.top, c.bottom)
				if b.value >= 0 {
					assert.LessOrEqual(t, v.y, top, "value %s above its bar", v.s)
				} else {
					assert.GreaterOrEqual(t, v.y-measurer{}.ascent(v.size), bottom, "value %s below its bar", v.s)
				}
			}
		}
		assert.True(t, written, "bar %s has its value %s written", b.label, formatValue(b.value))
	}
}

func TestNiceTicks(t *testing.T) {
	for _, tc := range []struct {
		lo, hi float64
		want   string
	}{
		{0, 92.4, "0 20 40 60 80"},
		{-31.2, 58.7, "-20 0 20 40"},
		{0, 1, "0.0 0.2 0.4 0.6 0.8 1.0"},
		{49.5, 50.5, "49.6 49.8 50.0 50.2 50.4"},
		{0, 3300, "0 500 1000 1500 2000 2500 3000"},
		{-0.3, 0.3, "-0.3 -0.2 -0.1 0.0 0.1 0.2 0.3"},
	} {
		ticks, dec := niceTicks(tc.lo, tc.hi)
		var got []string
		for _, v := range ticks {
			got = append(got, formatTick(v, dec))
		}
		assert.Equal(t, tc.want, strings.Join(got, " "), "%v..%v", tc.lo, tc.hi)
	}
	assert.Equal(t, "83.9", formatValue(83.94))
	assert.Equal(t, "80", formatValue(79.99))
	assert.Equal(t, "-0.5", formatValue(-0.5))
	assert.Equal(t, "0", formatValue(-0.01))
}
