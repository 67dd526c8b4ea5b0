package main

import (
	"bytes"
	"fmt"
	"image/color"
	"math"
	"os"
	"path/filepath"
	"slices"
	"strings"

	"gonum.org/v1/plot"
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

// writeCharts draws every chart of the report into dir.
func writeCharts(dir string, rv *review) ([]string, error) {
	charts := []struct {
		name string
		w, h vg.Length
		draw func(*review) (drawer, error)
	}{
		{"sla.svg", 7 * vg.Inch, 4 * vg.Inch, slaChart},
		{"trend.svg", 8 * vg.Inch, 4.5 * vg.Inch, trendChart},
		{"satisfaction.svg", 8 * vg.Inch, 4 * vg.Inch, satisfactionChart},
		{"heatmap-channel.svg", 7.8 * vg.Inch, 3.6 * vg.Inch, channelHeatMap},
		{"heatmap-slot.svg", 8.8 * vg.Inch, 3.6 * vg.Inch, slotHeatMap},
		{"staffing.svg", 10 * vg.Inch, 3.6 * vg.Inch, staffingHeatMap},
		{"forecast.svg", 9 * vg.Inch, 4 * vg.Inch, forecastChart},
		{"units.svg", 7 * vg.Inch, 4 * vg.Inch, unitsChart},
	}
	// Sans-serif text; the SVGs name Liberation Sans with Arial (same
	// metrics) and Helvetica as fallbacks, so labels fit where measured.
	plot.DefaultFont.Variant = "Sans"
	plotter.DefaultFont.Variant = "Sans"
	var files []string
	for _, c := range charts {
		p, err := c.draw(rv)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", c.name, err)
		}
		path := filepath.Join(dir, c.name)
		if err := save(p, c.w, c.h, path); err != nil {
			return nil, err
		}
		files = append(files, path)
	}
	return files, nil
}

// drawer is a chart: a plot, or a plot with a colour scale.
type drawer interface{ Draw(draw.Canvas) }

// save writes d as an SVG document, naming fallbacks for the font.
func save(d drawer, w, h vg.Length, path string) error {
	c := vgsvg.New(w, h)
	d.Draw(draw.New(c))
	var buf bytes.Buffer
	if _, err := c.WriteTo(&buf); err != nil {
		return err
	}
	svg := bytes.ReplaceAll(buf.Bytes(), []byte("font-family:Liberation Sans;"),
		[]byte("font-family:'Liberation Sans',Arial,Helvetica,sans-serif;"))
	return os.WriteFile(path, svg, 0o644)
}

func newPlot(title, x, y string) *plot.Plot {
	p := plot.New()
	p.Title.Text = title
	p.Title.TextStyle.Font.Size = vg.Points(13)
	p.Title.Padding = vg.Points(6)
	p.X.Label.Text = x
	p.Y.Label.Text = y
	p.Legend.TextStyle.Font.Size = vg.Points(10)
	p.Legend.Padding = vg.Points(3)
	return p
}

// labels adds text at data points, centred, in one colour per label.
func labels(p *plot.Plot, xys plotter.XYs, strs []string, colors []color.Color, size vg.Length, dy vg.Length) error {
	l, err := plotter.NewLabels(plotter.XYLabels{XYs: xys, Labels: strs})
	if err != nil {
		return err
	}
	for i := range l.TextStyle {
		l.TextStyle[i].XAlign = text.XCenter
		l.TextStyle[i].YAlign = text.YCenter
		l.TextStyle[i].Font.Size = size
		if colors != nil {
			l.TextStyle[i].Color = colors[i]
		}
	}
	l.Offset = vg.Point{Y: dy}
	p.Add(l)
	return nil
}

// slaChart: achievement per priority, one bar per SLA metric.
func slaChart(rv *review) (drawer, error) {
	p := newPlot("SLA achievement per priority, "+monthLabel, "priority", "met ÷ due (%)")
	prios := []string{"P0", "P1", "P2", "P3"}
	const bw = vg.Length(28)
	n := len(rv.sla)
	for i, s := range rv.sla {
		vals := make(plotter.Values, len(prios))
		var xys plotter.XYs
		var strs []string
		for j, pr := range prios {
			for _, b := range s.ByPriority {
				if b.Priority == pr {
					if v, ok := b.Achievement.Percent(); ok {
						vals[j] = v
						xys = append(xys, plotter.XY{X: float64(j), Y: v})
						strs = append(strs, fmt.Sprintf("%.1f", v))
					}
				}
			}
		}
		bars, err := plotter.NewBarChart(vals, bw)
		if err != nil {
			return nil, err
		}
		bars.Color = series[i%len(series)]
		bars.LineStyle.Width = 0
		off := bw * (vg.Length(i) - vg.Length(n-1)/2)
		bars.Offset = off
		p.Add(bars)
		p.Legend.Add(strings.ReplaceAll(s.Metric, "_", " "), bars)
		l, err := plotter.NewLabels(plotter.XYLabels{XYs: xys, Labels: strs})
		if err != nil {
			return nil, err
		}
		for k := range l.TextStyle {
			l.TextStyle[k].XAlign = text.XCenter
			l.TextStyle[k].Font.Size = vg.Points(8)
		}
		l.Offset = vg.Point{X: off, Y: vg.Points(2)}
		p.Add(l)
	}
	p.NominalX(prios...)
	p.X.Min, p.X.Max = -0.5, float64(len(prios))-0.5
	p.Y.Min, p.Y.Max = 0, 115
	p.Y.Tick.Marker = plot.ConstantTicks(percentTicks(0, 100, 20))
	p.Legend.Top = true
	p.Legend.Left = true
	p.Legend.XOffs = vg.Points(4)
	return p, nil
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
		t, err := plotter.NewLabels(plotter.XYLabels{XYs: plotter.XYs{{X: x, Y: hi}},
			Labels: []string{"app release " + releaseStart.Format("01-02")}})
		if err != nil {
			return err
		}
		t.TextStyle[0].XAlign = text.XLeft
		t.TextStyle[0].YAlign = text.YTop
		t.TextStyle[0].Color = grey
		t.TextStyle[0].Font.Size = vg.Points(9)
		t.Offset = vg.Point{X: vg.Points(3), Y: -vg.Points(2)}
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

// satisfactionChart: weekly CSAT and first-response SLA achievement.
func satisfactionChart(rv *review) (drawer, error) {
	p := newPlot("Weekly CSAT and first-response SLA achievement", "ISO week of 2024 ("+zone.String()+")", "percent")
	p.Add(plotter.NewGrid())
	if err := line(p, "CSAT (answers 4–5 ÷ answers)", rv.weekly["csat"].Points, series[0], false); err != nil {
		return nil, err
	}
	if err := line(p, "first response within target (met ÷ due)", rv.weekly["fr_sla"].Points, series[1], true); err != nil {
		return nil, err
	}
	lo := 100.0
	for _, k := range []string{"csat", "fr_sla"} {
		for _, pt := range rv.weekly[k].Points {
			if pt.OK {
				lo = math.Min(lo, pt.Value)
			}
		}
	}
	lo = math.Floor((lo-8)/5) * 5
	if err := releaseMarker(p, rv.weeks, lo, 100); err != nil {
		return nil, err
	}
	p.X.Tick.Marker = weekTicks(rv.weeks)
	p.X.Min, p.X.Max = -0.5, float64(len(rv.weeks))-0.5
	p.Y.Min, p.Y.Max = lo, 100
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
func heatMap(title, xl, yl string, rows, cols []string, z [][]float64, size vg.Length) (drawer, error) {
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
	s.Title.Text = "tickets"
	s.Title.TextStyle = p.Title.TextStyle // same height, so the data areas line up
	s.Title.TextStyle.Font.Size = p.Title.TextStyle.Font.Size
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
	s.Y.Tick.Label.Font.Size = vg.Points(9)
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
	return heatMap(fmt.Sprintf("Tickets by type and channel, %s (%d tickets)", monthLabel, h.Total), "channel", "type", h.Rows, h.Cols, z, vg.Points(10))
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
	return heatMap(fmt.Sprintf("Tickets by type and time of day, %s", monthLabel), "time of day ("+zone.String()+")", "type",
		h.Rows, h.Slots, z, vg.Points(10))
}

// staffingHeatMap: tickets by weekday and hour.
func staffingHeatMap(rv *review) (drawer, error) {
	w := rv.week
	z := make([][]float64, len(w.Days))
	for d := range w.Days {
		z[d] = make([]float64, 24)
		for h, v := range w.Counts[d] {
			z[d][h] = float64(v)
		}
	}
	hours := make([]string, 24)
	for h := range hours {
		hours[h] = fmt.Sprintf("%02d", h)
	}
	return heatMap(fmt.Sprintf("Tickets by hour of week, %s", monthLabel), "hour of day ("+w.Location+")", "",
		w.Days[:], hours, z, vg.Points(7))
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
	hi := 0.0
	for _, v := range append(slices.Clone(rv.daily), f.Next...) {
		hi = math.Max(hi, v)
	}
	p.Y.Min, p.Y.Max = 0, hi*1.35
	p.Y.Tick.Marker = plot.ConstantTicks(percentTicks(0, int(p.Y.Max), 500))
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
