package main

import (
	"fmt"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"

	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/palette/brewer"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/closeloop/closeloop/metrics"
)

// Chart colours: a colour-blind-safe qualitative set (Okabe–Ito).
var (
	series = []color.Color{
		color.RGBA{0, 114, 178, 255},   // blue
		color.RGBA{230, 159, 0, 255},   // orange
		color.RGBA{0, 158, 115, 255},   // green
		color.RGBA{204, 121, 167, 255}, // purple
		color.RGBA{86, 180, 233, 255},  // sky
		color.RGBA{213, 94, 0, 255},    // vermilion
	}
	grey  = color.Gray{Y: 120}
	alert = color.RGBA{200, 30, 30, 255}
)

// chart is one chart of the report: its file, size and drawing.
type chart struct {
	name string
	w, h vg.Length
	draw func(*review) (drawer, error)
}

// charts are the report's charts, in the order the report shows them.
var charts = []chart{
	{"sla.svg", 7 * vg.Inch, 4 * vg.Inch, slaChart},
	{"trend.svg", 8 * vg.Inch, 4.5 * vg.Inch, trendChart},
	{"satisfaction.svg", 8 * vg.Inch, 4 * vg.Inch, satisfactionChart},
	{"heatmap-channel.svg", 7.8 * vg.Inch, 3.6 * vg.Inch, channelHeatMap},
	{"heatmap-slot.svg", 8.8 * vg.Inch, 3.6 * vg.Inch, slotHeatMap},
	{"staffing.svg", 12 * vg.Inch, 4.2 * vg.Inch, staffingHeatMap},
	{"forecast.svg", 9 * vg.Inch, 4 * vg.Inch, forecastChart},
	{"units.svg", 7 * vg.Inch, 4 * vg.Inch, unitsChart},
}

// writeCharts draws every chart of the report into dir.
func writeCharts(dir string, rv *review) ([]string, error) {
	var files []string
	for _, c := range charts {
		d, err := c.draw(rv)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", c.name, err)
		}
		path := filepath.Join(dir, c.name)
		if err := save(d, c.w, c.h, path); err != nil {
			return nil, err
		}
		files = append(files, path)
	}
	return files, nil
}

// drawer is a chart: a plot, or a plot with a colour scale.
type drawer interface{ Draw(draw.Canvas) }

// save writes d as an SVG document with its font inside: every label was
// measured with the font the viewer draws it in, so margins and cells fit
// whatever fonts the viewer's machine has installed.
func save(d drawer, w, h vg.Length, path string) error {
	c := vgsvg.NewWith(vgsvg.UseWH(w, h), vgsvg.EmbedFonts(true))
	d.Draw(draw.New(c))
	f, err := os.Create(path)
	if err != nil {
		return err
	}
	if _, err := c.WriteTo(f); err != nil {
		f.Close()
		return err
	}
	return f.Close()
}

// The charts' only font: Go Regular (golang.org/x/image/font/gofont),
// compiled into the program and embedded in each SVG.
var (
	goRegular = func() font.Face {
		f, err := opentype.Parse(goregular.TTF)
		if err != nil {
			panic(err) // a constant of the build
		}
		return font.Face{Font: font.Font{Typeface: "Go"}, Face: f}
	}()
	goText = text.Plain{Fonts: font.NewCache(font.Collection{goRegular})}
)

// setFont gives a text style the charts' font at size.
func setFont(s *text.Style, size vg.Length) {
	s.Font = font.Font{Typeface: "Go", Size: size}
	s.Handler = goText
}

func newPlot(title, x, y string) *plot.Plot {
	p := plot.New()
	setFont(&p.Title.TextStyle, 13)
	setFont(&p.X.Label.TextStyle, 11)
	setFont(&p.Y.Label.TextStyle, 11)
	setFont(&p.X.Tick.Label, 10)
	setFont(&p.Y.Tick.Label, 10)
	setFont(&p.Legend.TextStyle, 10)
	p.Title.Text = title
	p.Title.Padding = vg.Points(6)
	p.X.Label.Text = x
	p.Y.Label.Text = y
	p.Legend.Padding = vg.Points(3)
	return p
}

// newLabels makes text labels in the charts' font.
func newLabels(xys plotter.XYs, strs []string, size vg.Length) (*plotter.Labels, error) {
	l, err := plotter.NewLabels(plotter.XYLabels{XYs: xys, Labels: strs})
	if err != nil {
		return nil, err
	}
	for i := range l.TextStyle {
		setFont(&l.TextStyle[i], size)
	}
	return l, nil
}

// labels adds text at data points, centred, in one colour per label.
func labels(p *plot.Plot, xys plotter.XYs, strs []string, colors []color.Color, size vg.Length, dy vg.Length) error {
	l, err := newLabels(xys, strs, size)
	if err != nil {
		return err
	}
	for i := range l.TextStyle {
		l.TextStyle[i].XAlign = text.XCenter
		l.TextStyle[i].YAlign = text.YCenter
		if colors != nil {
			l.TextStyle[i].Color = colors[i]
		}
	}
	l.Offset = vg.Point{Y: dy}
	p.Add(l)
	return nil
}

// slaTarget is the share of SLA clocks the review expects met, in
// percent. The documents set deadlines, not a share met; 95 % is this
// review's choice (a common help-desk target), drawn as the target band.
const slaTarget = 95.0

// slaChart: achievement per priority, a dot per SLA metric, on an axis
// fitted to the values and the target band (95–100 %): dots, not bars, so
// that an axis that does not start at 0 misleads no one.
func slaChart(rv *review) (drawer, error) {
	prios := []string{"P0", "P1", "P2", "P3"}
	n := len(rv.sla)
	lo := slaTarget
	type dot struct {
		x, y float64
		i    int
	}
	var dots []dot
	for i, s := range rv.sla {
		off := 0.24 * (float64(i) - float64(n-1)/2)
		for j, pr := range prios {
			for _, b := range s.ByPriority {
				if v, ok := b.Achievement.Percent(); ok && b.Priority == pr {
					dots = append(dots, dot{float64(j) + off, v, i})
					lo = math.Min(lo, v)
				}
			}
		}
	}
	lo = math.Floor(lo) - 2 // room below the lowest dot for its legend
	p := newPlot("SLA achievement per priority, "+monthLabel, "priority",
		fmt.Sprintf("met ÷ due (%%), axis from %.0f %%", lo))
	if err := band(p, -0.5, float64(len(prios))-0.5, slaTarget, 100,
		fmt.Sprintf("target ≥ %.0f %%", slaTarget)); err != nil {
		return nil, err
	}
	for i, s := range rv.sla {
		var xys plotter.XYs
		var strs []string
		for _, d := range dots {
			if d.i == i {
				xys = append(xys, plotter.XY{X: d.x, Y: d.y})
				strs = append(strs, fmt.Sprintf("%.1f", d.y))
			}
		}
		if len(xys) == 0 {
			continue
		}
		sc, err := plotter.NewScatter(xys)
		if err != nil {
			return nil, err
		}
		sc.Color, sc.Shape, sc.Radius = series[i%len(series)], draw.CircleGlyph{}, vg.Points(4.5)
		p.Add(sc)
		p.Legend.Add(strings.ReplaceAll(s.Metric, "_", " "), sc)
		l, err := newLabels(xys, strs, 9)
		if err != nil {
			return nil, err
		}
		for k := range l.TextStyle {
			l.TextStyle[k].XAlign = text.XCenter
		}
		l.Offset = vg.Point{Y: vg.Points(7)}
		p.Add(l)
	}
	p.NominalX(prios...)
	p.X.Min, p.X.Max = -0.5, float64(len(prios))-0.5
	p.Y.Min, p.Y.Max = lo, 101
	p.Y.Tick.Marker = plot.ConstantTicks(percentTicks(int(math.Ceil(lo)), 100, int(niceStep((100-lo)/6))))
	p.Legend.Top = false
	p.Legend.Left = false
	p.Legend.XOffs, p.Legend.YOffs = -vg.Points(4), vg.Points(4)
	return p, nil
}

// band shades the target area from y0 to y1 across [x0, x1], draws its
// lower edge dashed, and writes its label in its top right corner.
func band(p *plot.Plot, x0, x1, y0, y1 float64, label string) error {
	poly, err := plotter.NewPolygon(plotter.XYs{{X: x0, Y: y0}, {X: x1, Y: y0}, {X: x1, Y: y1}, {X: x0, Y: y1}})
	if err != nil {
		return err
	}
	green := color.RGBA{0, 120, 90, 255}
	poly.Color = color.NRGBA{0, 158, 115, 40} // translucent: the grid shows through
	poly.LineStyle.Width = 0
	p.Add(poly)
	if err := goalLine(p, x0, x1, y0, "", green, text.YBottom, false); err != nil {
		return err
	}
	t, err := newLabels(plotter.XYs{{X: x1, Y: y1}}, []string{label}, 9)
	if err != nil {
		return err
	}
	t.TextStyle[0].XAlign, t.TextStyle[0].YAlign, t.TextStyle[0].Color = text.XRight, text.YTop, green
	t.Offset = vg.Point{X: -vg.Points(4), Y: -vg.Points(2)}
	p.Add(t)
	return nil
}

// goalLine draws a dashed horizontal line at y with its label at the
// right end (or the left, atLeft), above (YBottom) or below (YTop) the
// line.
func goalLine(p *plot.Plot, x0, x1, y float64, label string, c color.Color, valign text.YAlignment, atLeft bool) error {
	l, err := plotter.NewLine(plotter.XYs{{X: x0, Y: y}, {X: x1, Y: y}})
	if err != nil {
		return err
	}
	l.Color, l.Width, l.Dashes = c, vg.Points(1.2), []vg.Length{vg.Points(5), vg.Points(3)}
	p.Add(l)
	if label == "" {
		return nil
	}
	x, align, dx := x1, text.XRight, -vg.Points(4)
	if atLeft {
		x, align, dx = x0, text.XLeft, vg.Points(4)
	}
	t, err := newLabels(plotter.XYs{{X: x, Y: y}}, []string{label}, 9)
	if err != nil {
		return err
	}
	t.TextStyle[0].XAlign, t.TextStyle[0].YAlign, t.TextStyle[0].Color = align, valign, c
	dy := vg.Points(2)
	if valign == text.YTop {
		dy = -dy
	}
	t.Offset = vg.Point{X: dx, Y: dy}
	p.Add(t)
	return nil
}

// percentTicks are labelled ticks from lo to hi (percent or counts).
func percentTicks(lo, hi, step int) []plot.Tick {
	var ts []plot.Tick
	for v := lo; v <= hi; v += step {
		ts = append(ts, plot.Tick{Value: float64(v), Label: fmt.Sprint(v)})
	}
	return ts
}

// weekTicks labels the x axis with ISO weeks ("W03").
func weekTicks(weeks []string) plot.ConstantTicks {
	ts := make([]plot.Tick, len(weeks))
	for i, w := range weeks {
		_, short, _ := strings.Cut(w, "-")
		ts[i] = plot.Tick{Value: float64(i), Label: short}
	}
	return ts
}

// releaseMarker draws a dashed vertical line where the release week starts.
func releaseMarker(p *plot.Plot, weeks []string, lo, hi float64) error {
	_, wk := releaseStart.ISOWeek()
	label := fmt.Sprintf("%d-W%02d", releaseStart.Year(), wk)
	for i, w := range weeks {
		if w != label {
			continue
		}
		x := float64(i) - 0.5
		l, err := plotter.NewLine(plotter.XYs{{X: x, Y: lo}, {X: x, Y: hi}})
		if err != nil {
			return err
		}
		l.Color = grey
		l.Dashes = []vg.Length{vg.Points(4), vg.Points(3)}
		p.Add(l)
		t, err := newLabels(plotter.XYs{{X: x, Y: hi}}, []string{"app release " + releaseStart.Format("01-02")}, 9)
		if err != nil {
			return err
		}
		// The label goes on the side of the line with more room, so it
		// never runs off the chart.
		t.TextStyle[0].XAlign = text.XLeft
		t.Offset = vg.Point{X: vg.Points(3), Y: -vg.Points(2)}
		if float64(i) > float64(len(weeks))/2 {
			t.TextStyle[0].XAlign = text.XRight
			t.Offset.X = -vg.Points(3)
		}
		t.TextStyle[0].YAlign = text.YTop
		t.TextStyle[0].Color = grey
		p.Add(t)
	}
	return nil
}

// line adds one series of trend points (points without data are left out).
func line(p *plot.Plot, name string, pts []metrics.TrendPoint, c color.Color, dashed bool) error {
	var xys plotter.XYs
	for i, pt := range pts {
		if pt.OK {
			xys = append(xys, plotter.XY{X: float64(i), Y: pt.Value})
		}
	}
	l, s, err := plotter.NewLinePoints(xys)
	if err != nil {
		return err
	}
	l.Color, l.Width = c, vg.Points(1.8)
	if dashed {
		l.Dashes = []vg.Length{vg.Points(5), vg.Points(3)}
	}
	s.Color, s.Shape, s.Radius = c, draw.CircleGlyph{}, vg.Points(2.2)
	p.Add(l, s)
	p.Legend.Add(name, l, s)
	return nil
}

// trendChart: weekly tickets of the month's top 5 problems.
func trendChart(rv *review) (drawer, error) {
	p := newPlot("Weekly tickets of the top 5 problems of "+monthLabel, "ISO week of 2024 ("+zone.String()+")", "tickets per week")
	p.Add(plotter.NewGrid())
	hi := 0.0
	for i, t := range rv.catWeeks {
		if err := line(p, t.Key[0], t.Points, series[i%len(series)], false); err != nil {
			return nil, err
		}
		for _, pt := range t.Points {
			hi = math.Max(hi, pt.Value)
		}
	}
	top := math.Ceil(hi*1.3/500) * 500
	if err := releaseMarker(p, rv.weeks, 0, top); err != nil {
		return nil, err
	}
	p.X.Tick.Marker = weekTicks(rv.weeks)
	p.X.Min, p.X.Max = -0.5, float64(len(rv.weeks))-0.5
	p.Y.Min, p.Y.Max = 0, top
	p.Y.Tick.Marker = plot.ConstantTicks(percentTicks(0, int(top), 500))
	p.Legend.Top = true
	p.Legend.Left = true
	p.Legend.XOffs = vg.Points(6)
	return p, nil
}

// csatGoal is document 004's satisfaction goal, in percent.
const csatGoal = 90.0

// satisfactionChart: weekly CSAT and first-response SLA achievement, with
// the CSAT goal and the SLA target as dashed lines.
func satisfactionChart(rv *review) (drawer, error) {
	p := newPlot("Weekly CSAT and first-response SLA achievement", "ISO week of 2024 ("+zone.String()+")", "percent")
	p.Add(plotter.NewGrid())
	if err := line(p, "CSAT (answers 4–5 ÷ answers)", rv.weekly["csat"].Points, series[0], false); err != nil {
		return nil, err
	}
	if err := line(p, "first response within target (met ÷ due)", rv.weekly["fr_sla"].Points, series[1], true); err != nil {
		return nil, err
	}
	lo := csatGoal
	for _, k := range []string{"csat", "fr_sla"} {
		for _, pt := range rv.weekly[k].Points {
			if pt.OK {
				lo = math.Min(lo, pt.Value)
			}
		}
	}
	// The axis is fitted to the data and the goals; the legend needs the
	// room below the lowest line.
	lo = math.Floor((lo-8)/5) * 5
	if err := releaseMarker(p, rv.weeks, lo, 100); err != nil {
		return nil, err
	}
	x0, x1 := -0.5, float64(len(rv.weeks))-0.5
	if err := goalLine(p, x0, x1, csatGoal, fmt.Sprintf("CSAT goal ≥ %.0f %% (004)", csatGoal), series[0], text.YTop, true); err != nil {
		return nil, err
	}
	if err := goalLine(p, x0, x1, slaTarget, fmt.Sprintf("SLA target ≥ %.0f %%", slaTarget), series[1], text.YBottom, true); err != nil {
		return nil, err
	}
	p.X.Tick.Marker = weekTicks(rv.weeks)
	p.X.Min, p.X.Max = x0, x1
	p.Y.Min, p.Y.Max = lo, 100
	p.Y.Label.Text = fmt.Sprintf("percent, axis from %.0f %%", lo)
	p.Y.Tick.Marker = plot.ConstantTicks(percentTicks(int(lo), 100, 5))
	p.Legend.Top = false
	p.Legend.Left = true
	p.Legend.XOffs = vg.Points(6)
	p.Legend.YOffs = vg.Points(4)
	return p, nil
}

// grid is a heat map's values, z[row][col], row 0 drawn at the top.
type grid struct{ z [][]float64 }

func (g grid) Dims() (c, r int)   { return len(g.z[0]), len(g.z) }
func (g grid) Z(c, r int) float64 { return g.z[len(g.z)-1-r][c] }
func (g grid) X(c int) float64    { return float64(c) }
func (g grid) Y(r int) float64    { return float64(r) }

// ramp is a continuous colour scale: the nine colours of ColorBrewer's
// YlOrRd interpolated into n steps.
type ramp []color.Color

func (r ramp) Colors() []color.Color { return r }

func newRamp(n int) (ramp, error) {
	base, err := brewer.GetPalette(brewer.TypeSequential, "YlOrRd", 9)
	if err != nil {
		return nil, err
	}
	cs := base.Colors()
	out := make(ramp, n)
	for i := range out {
		f := float64(i) / float64(n-1) * float64(len(cs)-1)
		k := min(int(f), len(cs)-2)
		t := f - float64(k)
		r0, g0, b0, _ := cs[k].RGBA()
		r1, g1, b1, _ := cs[k+1].RGBA()
		mix := func(a, b uint32) uint8 { return uint8((float64(a)*(1-t) + float64(b)*t) / 257) }
		out[i] = color.RGBA{mix(r0, r1), mix(g0, g1), mix(b0, b1), 255}
	}
	return out, nil
}

// niceStep is a round tick step (1, 2, 2.5 or 5 × 10^k) of about x.
func niceStep(x float64) float64 {
	if x <= 0 {
		return 1
	}
	e := math.Pow(10, math.Floor(math.Log10(x)))
	for _, m := range []float64{1, 2, 2.5, 5, 10} {
		if m*e >= x {
			return m * e
		}
	}
	return 10 * e
}

// withScale draws a plot with a colour scale to its right.
type withScale struct {
	main, scale *plot.Plot
	width       vg.Length
}

func (ws withScale) Draw(c draw.Canvas) {
	ws.main.Draw(draw.Crop(c, 0, -ws.width-vg.Points(12), 0, 0))
	ws.scale.Draw(draw.Crop(c, c.Max.X-c.Min.X-ws.width, 0, 0, 0))
}

// heatMap draws counts as coloured cells with the count written in each,
// and the colour scale (0 to the largest cell) beside it.
func heatMap(title, xl, yl, scaleTitle string, rows, cols []string, z [][]float64, size vg.Length) (drawer, error) {
	if len(rows) == 0 || len(cols) == 0 {
		return nil, fmt.Errorf("empty heat map")
	}
	pal, err := newRamp(256)
	if err != nil {
		return nil, err
	}
	hi := 1.0
	for _, r := range z {
		for _, v := range r {
			hi = math.Max(hi, v)
		}
	}

	p := newPlot(title, xl, yl)
	hm := plotter.NewHeatMap(grid{z}, pal)
	hm.Min, hm.Max = 0, hi
	p.Add(hm)
	var xys plotter.XYs
	var strs []string
	var cs []color.Color
	for r, row := range z {
		for c, v := range row {
			xys = append(xys, plotter.XY{X: float64(c), Y: float64(len(z) - 1 - r)})
			strs = append(strs, fmt.Sprintf("%.0f", v))
			if v > 0.6*hi {
				cs = append(cs, color.White)
			} else {
				cs = append(cs, color.Black)
			}
		}
	}
	if err := labels(p, xys, strs, cs, size, 0); err != nil {
		return nil, err
	}
	xt := make([]plot.Tick, len(cols))
	for i, c := range cols {
		xt[i] = plot.Tick{Value: float64(i), Label: c}
	}
	yt := make([]plot.Tick, len(rows))
	for i, r := range rows {
		yt[i] = plot.Tick{Value: float64(len(rows) - 1 - i), Label: r}
	}
	p.X.Tick.Marker, p.Y.Tick.Marker = plot.ConstantTicks(xt), plot.ConstantTicks(yt)
	p.X.Tick.Length, p.Y.Tick.Length = 0, 0
	p.X.Padding, p.Y.Padding = 0, 0
	p.X.LineStyle.Width, p.Y.LineStyle.Width = 0, 0

	// The scale: one cell per bin, labelled with the bin edges.
	s := newPlot("", "", "")
	s.Title.Text = scaleTitle
	s.Title.TextStyle = p.Title.TextStyle // same height, so the data areas line up
	const steps = 60
	col := make([][]float64, steps)
	for k := range steps {
		col[steps-1-k] = []float64{(float64(k) + 0.5) * hi / steps}
	}
	var st []plot.Tick
	step := niceStep(hi / 6)
	for v := 0.0; v <= hi; v += step {
		st = append(st, plot.Tick{Value: v/hi*steps - 0.5, Label: fmt.Sprintf("%.0f", v)})
	}
	shm := plotter.NewHeatMap(grid{col}, pal)
	shm.Min, shm.Max = 0, hi
	s.Add(shm)
	s.Y.Tick.Marker = plot.ConstantTicks(st)
	setFont(&s.Y.Tick.Label, 9)
	s.X.Tick.Marker = plot.ConstantTicks{{Value: 0, Label: " "}} // room for a tick label, like the main plot
	s.X.Tick.Length = 0
	s.X.LineStyle.Width, s.Y.LineStyle.Width = 0, 0
	s.X.Padding, s.Y.Padding = 0, 0
	// Leave room below for the main plot's axis labels.
	s.X.Label.Text = " "
	s.X.Label.TextStyle = p.X.Label.TextStyle
	return withScale{main: p, scale: s, width: 0.9 * vg.Inch}, nil
}

// channelHeatMap: type × channel, summed over the time slots.
func channelHeatMap(rv *review) (drawer, error) {
	h := rv.heat
	z := make([][]float64, len(h.Rows))
	for r := range h.Rows {
		z[r] = make([]float64, len(h.Cols))
		for c := range h.Cols {
			for s := range h.Slots {
				z[r][c] += float64(h.Cells[r][c][s])
			}
		}
	}
	return heatMap(fmt.Sprintf("Tickets by type and channel, %s (%d tickets)", monthLabel, h.Total), "channel", "type", "tickets", h.Rows, h.Cols, z, vg.Points(10))
}

// slotHeatMap: type × 3-hour slot of the day, summed over the channels.
func slotHeatMap(rv *review) (drawer, error) {
	h := rv.heat
	z := make([][]float64, len(h.Rows))
	for r := range h.Rows {
		z[r] = make([]float64, len(h.Slots))
		for c := range h.Cols {
			for s := range h.Slots {
				z[r][s] += float64(h.Cells[r][c][s])
			}
		}
	}
	return heatMap(fmt.Sprintf("Tickets by type and time of day, %s", monthLabel), "time of day ("+zone.String()+")", "type", "tickets",
		h.Rows, h.Slots, z, vg.Points(10))
}

// staffingHeatMap: the average tickets per hour of each weekday: a
// month's count divided by the number of times the weekday occurs in it
// (March 2024 has five Fridays, Saturdays and Sundays and four of the
// other days), so that days compare fairly.
func staffingHeatMap(rv *review) (drawer, error) {
	w := rv.week
	occurs := weekdaysIn(monthStart, asOf)
	z := make([][]float64, len(w.Days))
	for d := range w.Days {
		z[d] = make([]float64, 24)
		for h, v := range w.Counts[d] {
			if occurs[d] > 0 {
				z[d][h] = float64(v) / float64(occurs[d])
			}
		}
	}
	hours := make([]string, 24)
	for h := range hours {
		hours[h] = fmt.Sprintf("%02d", h)
	}
	days := make([]string, len(w.Days))
	for d, name := range w.Days {
		days[d] = fmt.Sprintf("%s ×%d", name, occurs[d])
	}
	return heatMap(fmt.Sprintf("Average tickets per hour on each weekday, %s", monthLabel),
		"hour of day ("+w.Location+")", "weekday × days in the month", "per hour", days, hours, z, vg.Points(9))
}

// weekdaysIn counts each weekday, Monday first, among the days from from
// up to (not including) to.
func weekdaysIn(from, to time.Time) [7]int {
	var n [7]int
	for d := from; d.Before(to); d = d.AddDate(0, 0, 1) {
		n[(int(d.Weekday())+6)%7]++
	}
	return n
}

// forecastChart: daily tickets, the held-out forecast and next week's.
func forecastChart(rv *review) (drawer, error) {
	f := rv.forecast
	p := newPlot("Daily tickets and the Holt–Winters forecast (weekly season)", "day (2024, "+zone.String()+")", "tickets per day")
	p.Add(plotter.NewGrid())
	n := len(rv.daily)
	xy := func(from int, vs []float64) plotter.XYs {
		out := make(plotter.XYs, len(vs))
		for i, v := range vs {
			out[i] = plotter.XY{X: float64(from + i), Y: v}
		}
		return out
	}
	add := func(name string, xys plotter.XYs, c color.Color, dashes []vg.Length) error {
		l, err := plotter.NewLine(xys)
		if err != nil {
			return err
		}
		l.Color, l.Width, l.Dashes = c, vg.Points(1.6), dashes
		p.Add(l)
		p.Legend.Add(name, l)
		return nil
	}
	if err := add("actual", xy(0, rv.daily), series[0], nil); err != nil {
		return nil, err
	}
	if err := add(fmt.Sprintf("held-out test (MAE %.0f)", f.MAE), xy(n-f.Holdout, f.HoldoutForecast), series[1],
		[]vg.Length{vg.Points(4), vg.Points(2)}); err != nil {
		return nil, err
	}
	next := append(plotter.XYs{{X: float64(n - 1), Y: rv.daily[n-1]}}, xy(n, f.Next)...)
	if err := add("next week", next, series[5], []vg.Length{vg.Points(1.5), vg.Points(2)}); err != nil {
		return nil, err
	}
	var ticks []plot.Tick
	for i := 0; i < n+len(f.Next); i += 7 {
		ticks = append(ticks, plot.Tick{Value: float64(i), Label: dataStart.AddDate(0, 0, i).Format("01-02")})
	}
	p.X.Tick.Marker = plot.ConstantTicks(ticks)
	p.X.Min, p.X.Max = 0, float64(n+len(f.Next)-1)
	// The axis is fitted to the data, with room above for the legend:
	// starting at 0 would spend half the chart on nothing.
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, v := range slices.Concat(rv.daily, f.Next, f.HoldoutForecast) {
		lo, hi = math.Min(lo, v), math.Max(hi, v)
	}
	step := niceStep((hi - lo) / 5)
	p.Y.Min = math.Max(0, math.Floor((lo-step/2)/step)*step)
	p.Y.Max = hi + (hi-p.Y.Min)*0.35
	p.Y.Label.Text = fmt.Sprintf("tickets per day, axis from %.0f", p.Y.Min)
	p.Y.Tick.Marker = plot.ConstantTicks(percentTicks(int(p.Y.Min), int(p.Y.Max), int(step)))
	p.Legend.Top, p.Legend.Left = true, true
	p.Legend.XOffs = vg.Points(6)
	return p, nil
}

// unitsChart: each team's mean CSAT answer with a 95 % interval; teams
// flagged below the rest in red, the pooled mean dashed.
func unitsChart(rv *review) (drawer, error) {
	p := newPlot("Mean CSAT answer per team, "+monthLabel+" (95 % interval)", "team", "mean CSAT answer (1–5)")
	p.Add(plotter.NewGrid())
	names := make([]string, len(rv.teams))
	lo, hi := math.Inf(1), math.Inf(-1)
	for _, below := range []bool{false, true} {
		var pts errPoints
		for i, u := range rv.teams {
			names[i] = u.Name
			if u.Below != below || u.N == 0 {
				continue
			}
			e := ci95(u)
			pts.XYs = append(pts.XYs, plotter.XY{X: float64(i), Y: u.Mean})
			pts.YErrors = append(pts.YErrors, struct{ Low, High float64 }{e, e})
			lo, hi = math.Min(lo, u.Mean-e), math.Max(hi, u.Mean+e)
		}
		if len(pts.XYs) == 0 {
			continue
		}
		c := series[0]
		name := "team mean"
		if below {
			c, name = alert, "significantly below the rest"
		}
		s, err := plotter.NewScatter(pts)
		if err != nil {
			return nil, err
		}
		s.Color, s.Shape, s.Radius = c, draw.CircleGlyph{}, vg.Points(3.5)
		eb, err := plotter.NewYErrorBars(pts)
		if err != nil {
			return nil, err
		}
		eb.Color, eb.Width, eb.CapWidth = c, vg.Points(1.5), vg.Points(8)
		p.Add(eb, s)
		p.Legend.Add(name, s)
	}
	if math.IsInf(lo, 0) {
		return nil, fmt.Errorf("no team has answers")
	}
	lo, hi = math.Min(lo, rv.teamPooled), math.Max(hi, rv.teamPooled)
	pad := (hi - lo) * 0.15
	pool, err := plotter.NewLine(plotter.XYs{{X: -0.5, Y: rv.teamPooled}, {X: float64(len(names)) - 0.5, Y: rv.teamPooled}})
	if err != nil {
		return nil, err
	}
	pool.Color, pool.Dashes = grey, []vg.Length{vg.Points(4), vg.Points(3)}
	p.Add(pool)
	p.Legend.Add(fmt.Sprintf("all teams pooled %.2f", rv.teamPooled), pool)
	p.NominalX(names...)
	p.X.Min, p.X.Max = -0.5, float64(len(names))-0.5
	p.Y.Min, p.Y.Max = lo-pad, hi+pad*2.5
	var yt []plot.Tick
	for v := math.Ceil(p.Y.Min*20) / 20; v <= p.Y.Max; v += 0.05 {
		yt = append(yt, plot.Tick{Value: v, Label: fmt.Sprintf("%.2f", v)})
	}
	p.Y.Tick.Marker = plot.ConstantTicks(yt)
	p.Legend.Top = true
	p.Legend.XOffs = -vg.Points(10)
	return p, nil
}

// errPoints are points with symmetric error bars.
type errPoints struct {
	plotter.XYs
	plotter.YErrors
}
