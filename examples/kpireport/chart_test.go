package main

import (
	"flag"
	"fmt"
	"math"
	"os"
	"path/filepath"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	xfont "golang.org/x/image/font"
	"golang.org/x/image/math/fixed"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgimg"
)

var pngDir = flag.String("png", "", "also keep the PNG renderings of the charts in this folder")

// affine is a 2-D affine transform: x' = a·x + c·y + e, y' = b·x + d·y + f.
type affine struct{ a, b, c, d, e, f float64 }

var identity = affine{a: 1, d: 1}

// then returns m followed by o in user space (m · o), as a canvas
// composes Translate, Rotate and Scale onto its current transform.
func (m affine) then(o affine) affine {
	return affine{
		a: m.a*o.a + m.c*o.b, b: m.b*o.a + m.d*o.b,
		c: m.a*o.c + m.c*o.d, d: m.b*o.c + m.d*o.d,
		e: m.a*o.e + m.c*o.f + m.e, f: m.b*o.e + m.d*o.f + m.f,
	}
}

func (m affine) apply(x, y float64) (float64, float64) {
	return m.a*x + m.c*y + m.e, m.b*x + m.d*y + m.f
}

// textBox is one string drawn on a chart: the box of its ink in canvas
// points, measured with the font's own outlines, and its size.
type textBox struct {
	s                      string
	size                   vg.Length
	minX, minY, maxX, maxY float64
}

func (b textBox) overlaps(o textBox) bool {
	const slack = 0.5 // touching boxes are fine
	return b.minX+slack < o.maxX && o.minX+slack < b.maxX && b.minY+slack < o.maxY && o.minY+slack < b.maxY
}

// recorder is a raster canvas (vgimg) that records where every string
// lands, following the canvas transforms (rotated axis titles included).
type recorder struct {
	*vgimg.Canvas
	m     affine
	stack []affine
	boxes []textBox
}

func newRecorder(w, h vg.Length) *recorder {
	return &recorder{Canvas: vgimg.New(w, h), m: identity}
}

func (r *recorder) Push() { r.stack = append(r.stack, r.m); r.Canvas.Push() }

func (r *recorder) Pop() {
	r.m, r.stack = r.stack[len(r.stack)-1], r.stack[:len(r.stack)-1]
	r.Canvas.Pop()
}

func (r *recorder) Translate(pt vg.Point) {
	r.m = r.m.then(affine{a: 1, d: 1, e: pt.X.Points(), f: pt.Y.Points()})
	r.Canvas.Translate(pt)
}

func (r *recorder) Rotate(rad float64) {
	s, c := math.Sincos(rad)
	r.m = r.m.then(affine{a: c, b: s, c: -s, d: c})
	r.Canvas.Rotate(rad)
}

func (r *recorder) Scale(x, y float64) {
	r.m = r.m.then(affine{a: x, d: y})
	r.Canvas.Scale(x, y)
}

func (r *recorder) FillString(f font.Face, pt vg.Point, s string) {
	// The ink of the glyphs, from the font's outlines at 72 dpi (one unit
	// a point; y grows downwards from the baseline).
	ink, _ := xfont.BoundString(f.FontFace(72), s)
	x0, x1 := pt.X.Points()+fixedPt(ink.Min.X), pt.X.Points()+fixedPt(ink.Max.X)
	y0, y1 := pt.Y.Points()-fixedPt(ink.Max.Y), pt.Y.Points()-fixedPt(ink.Min.Y)
	b := textBox{s: s, size: f.Font.Size, minX: math.Inf(1), minY: math.Inf(1), maxX: math.Inf(-1), maxY: math.Inf(-1)}
	for _, c := range [][2]float64{{x0, y0}, {x1, y0}, {x0, y1}, {x1, y1}} {
		x, y := r.m.apply(c[0], c[1])
		b.minX, b.maxX = math.Min(b.minX, x), math.Max(b.maxX, x)
		b.minY, b.maxY = math.Min(b.minY, y), math.Max(b.maxY, y)
	}
	r.boxes = append(r.boxes, b)
	r.Canvas.FillString(f, pt, s)
}

func fixedPt(v fixed.Int26_6) float64 { return float64(v) / 64 }

var (
	reviewOnce sync.Once
	reviewed   *review
	reviewErr  error
)

// theReview analyses the report's tickets once for every chart test.
func theReview(t *testing.T) *review {
	t.Helper()
	reviewOnce.Do(func() { reviewed, reviewErr = analyse(generate(2024)) })
	require.NoError(t, reviewErr)
	return reviewed
}

// TestChartsLabelsFit renders every chart to PNG with the font the SVG
// embeds and checks each label against the canvas and the other labels:
// nothing is clipped at an edge, no two labels overlap, and nothing is
// written smaller than 9 points.
func TestChartsLabelsFit(t *testing.T) {
	rv := theReview(t)
	for _, c := range charts {
		t.Run(c.name, func(t *testing.T) {
			d, err := c.draw(rv)
			require.NoError(t, err)
			rec := newRecorder(c.w, c.h)
			d.Draw(draw.New(rec))
			if *pngDir != "" {
				require.NoError(t, os.MkdirAll(*pngDir, 0o755))
				f, err := os.Create(filepath.Join(*pngDir, c.name+".png"))
				require.NoError(t, err)
				_, err = vgimg.PngCanvas{Canvas: rec.Canvas}.WriteTo(f)
				require.NoError(t, err)
				require.NoError(t, f.Close())
			}
			require.NotEmpty(t, rec.boxes)
			for _, p := range labelProblems(rec.boxes, c.w, c.h) {
				t.Error(p)
			}
		})
	}
}

// labelProblems lists every label clipped at an edge of a w × h canvas,
// overlapping another label, or smaller than 9 points.
func labelProblems(boxes []textBox, w, h vg.Length) []string {
	var out []string
	for i, b := range boxes {
		if strings.TrimSpace(b.s) == "" {
			continue
		}
		if b.minX < 0 || b.minY < 0 || b.maxX > w.Points() || b.maxY > h.Points() {
			out = append(out, fmt.Sprintf("%q is clipped: [%.1f, %.1f]–[%.1f, %.1f] on a %.0f × %.0f canvas",
				b.s, b.minX, b.minY, b.maxX, b.maxY, w.Points(), h.Points()))
		}
		if b.size.Points() < 9 {
			out = append(out, fmt.Sprintf("%q is too small to read (%.1f pt)", b.s, b.size.Points()))
		}
		for _, o := range boxes[i+1:] {
			if strings.TrimSpace(o.s) != "" && b.overlaps(o) {
				out = append(out, fmt.Sprintf("%q overlaps %q", b.s, o.s))
			}
		}
	}
	return out
}

// TestLabelProblemsFindsThem: the check fails charts that clip, crowd or
// shrink their labels.
func TestLabelProblemsFindsThem(t *testing.T) {
	p := newPlot("a title far too long for so narrow a canvas", "x", "y")
	l, err := newLabels(plotter.XYs{{X: 0, Y: 0}, {X: 0.01, Y: 0}}, []string{"crowded", "labels"}, 9)
	require.NoError(t, err)
	p.Add(l)
	small, err := newLabels(plotter.XYs{{X: 1, Y: 1}}, []string{"tiny"}, 6)
	require.NoError(t, err)
	p.Add(small)
	w, h := 2*vg.Inch, 2*vg.Inch
	rec := newRecorder(w, h)
	p.Draw(draw.New(rec))
	got := strings.Join(labelProblems(rec.boxes, w, h), "\n")
	assert.Contains(t, got, `"a title far too long for so narrow a canvas" is clipped`)
	assert.Contains(t, got, `"crowded" overlaps "labels"`)
	assert.Contains(t, got, `"tiny" is too small to read`)
}

// TestChartAxes: the charts whose values sit far from zero have axes
// fitted to them, and the goals are drawn.
func TestChartAxes(t *testing.T) {
	rv := theReview(t)
	texts := func(d drawer, w, h vg.Length) map[string]bool {
		rec := newRecorder(w, h)
		d.Draw(draw.New(rec))
		out := map[string]bool{}
		for _, b := range rec.boxes {
			out[b.s] = true
		}
		return out
	}
	for _, c := range charts {
		d, err := c.draw(rv)
		require.NoError(t, err)
		switch c.name {
		case "forecast.svg":
			p := d.(*plot.Plot)
			lo := math.Inf(1)
			for _, v := range rv.daily {
				lo = math.Min(lo, v)
			}
			assert.Greater(t, p.Y.Min, 0.0, "the forecast's axis does not start at 0")
			assert.LessOrEqual(t, p.Y.Min, lo, "and shows every day")
			assert.Less(t, (p.Y.Max-p.Y.Min)/p.Y.Max, 0.8, "the data fill most of the height")
		case "sla.svg":
			p := d.(*plot.Plot)
			assert.Greater(t, p.Y.Min, 50.0, "the SLA axis is fitted to 89.7–95.0 %")
			assert.True(t, texts(d, c.w, c.h)[fmt.Sprintf("target ≥ %.0f %%", slaTarget)], "the target band is labelled")
		case "satisfaction.svg":
			got := texts(d, c.w, c.h)
			assert.True(t, got["CSAT goal ≥ 90 % (004)"], "the 90 % goal line")
			assert.True(t, got["SLA target ≥ 95 %"])
		}
	}
}

// TestStaffingAverages: the staffing cells are per-weekday averages, a
// month's count over the days that weekday occurs.
func TestStaffingAverages(t *testing.T) {
	assert.Equal(t, [7]int{4, 4, 4, 4, 5, 5, 5}, weekdaysIn(monthStart, asOf), "March 2024: five Fridays, Saturdays and Sundays")
	assert.Equal(t, [7]int{1, 1, 1, 1, 1, 1, 1}, weekdaysIn(monthStart, monthStart.AddDate(0, 0, 7)))
	feb := time.Date(2024, 2, 1, 0, 0, 0, 0, zone)
	assert.Equal(t, [7]int{4, 4, 4, 5, 4, 4, 4}, weekdaysIn(feb, monthStart), "February 2024 (leap year) has five Thursdays")

	rv := theReview(t)
	d, err := staffingHeatMap(rv)
	require.NoError(t, err)
	fri := rv.week.Counts[4][20]
	texts := map[string]bool{}
	rec := newRecorder(12*vg.Inch, 4.2*vg.Inch)
	d.Draw(draw.New(rec))
	for _, b := range rec.boxes {
		texts[b.s] = true
	}
	assert.True(t, texts[fmt.Sprintf("%.0f", float64(fri)/5)], "Friday 20:00 shows its count over five Fridays")
	assert.True(t, texts["Fri ×5"] && texts["Mon ×4"], "each row says how many days it averages")
}
