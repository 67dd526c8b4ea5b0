package main

import (
	"fmt"
	"image/color"
	"io"
	"math"
	"strings"

	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"
	"gonum.org/v1/plot"
	"gonum.org/v1/plot/font"
	"gonum.org/v1/plot/plotter"
	"gonum.org/v1/plot/text"
	"gonum.org/v1/plot/vg"
	"gonum.org/v1/plot/vg/draw"
	"gonum.org/v1/plot/vg/vgsvg"

	"github.com/closeloop/closeloop/metrics"
)

// The chart's font is Go Regular, embedded in the binary and in the SVG:
// labels are measured with the font every viewer then draws them in, so
// nothing is clipped whatever fonts a machine has installed.
var goFont = func() font.Face {
	f, err := opentype.Parse(goregular.TTF)
	if err != nil {
		panic(err) // the embedded font is a constant of the build
	}
	return font.Face{Font: font.Font{Typeface: "Go"}, Face: f}
}()

// goText is a text handler that knows only the embedded font.
var goText = text.Plain{Fonts: font.NewCache(font.Collection{goFont})}

// styleGo sets a text style to the embedded font at size.
func styleGo(s *text.Style, size vg.Length) {
	s.Font = font.Font{Typeface: "Go", Size: size}
	s.Handler = goText
}

// writeKPIChart draws one figure: a bar per group, or, with periods, a
// line per key over the periods.
func writeKPIChart(w io.Writer, res *metrics.Result, name string, fig struct {
	f     metrics.Figure
	title string
}) error {
	p := plot.New()
	styleGo(&p.Title.TextStyle, 13)
	styleGo(&p.X.Label.TextStyle, 11)
	styleGo(&p.Y.Label.TextStyle, 11)
	styleGo(&p.X.Tick.Label, 10)
	styleGo(&p.Y.Tick.Label, 10)
	styleGo(&p.Legend.TextStyle, 10)
	p.Title.Text = fig.title
	if len(res.GroupBy) > 0 {
		p.Title.Text += " by " + strings.Join(res.GroupBy, " × ")
	}
	p.Y.Label.Text = fig.title
	p.Add(plotter.NewGrid())
	palette := []color.Color{
		color.RGBA{0, 114, 178, 255}, color.RGBA{230, 159, 0, 255}, color.RGBA{0, 158, 115, 255},
		color.RGBA{204, 121, 167, 255}, color.RGBA{86, 180, 233, 255}, color.RGBA{213, 94, 0, 255},
	}
	lo, hi := math.Inf(1), math.Inf(-1)
	if res.Period != metrics.PeriodNone.String() {
		trends := res.Trends(fig.f)
		if len(trends) == 0 {
			return fmt.Errorf("no records: nothing to draw")
		}
		p.X.Label.Text = res.Period + " (" + res.Location + ")"
		var ticks []plot.Tick
		for i, pt := range trends[0].Points {
			ticks = append(ticks, plot.Tick{Value: float64(i), Label: pt.Period})
		}
		p.X.Tick.Marker = plot.ConstantTicks(ticks)
		for k, tr := range trends {
			var xys plotter.XYs
			for i, pt := range tr.Points {
				if pt.OK {
					xys = append(xys, plotter.XY{X: float64(i), Y: pt.Value})
					lo, hi = math.Min(lo, pt.Value), math.Max(hi, pt.Value)
				}
			}
			if len(xys) == 0 {
				continue
			}
			l, s, err := plotter.NewLinePoints(xys)
			if err != nil {
				return err
			}
			l.Color, s.Color = palette[k%len(palette)], palette[k%len(palette)]
			l.Width = vg.Points(1.6)
			p.Add(l, s)
			p.Legend.Add(keyLabel(tr.Key), l, s)
		}
		p.X.Min, p.X.Max = -0.5, float64(len(ticks))-0.5
	} else {
		groups := res.Groups
		if len(groups) == 0 {
			groups = []metrics.Group{res.Total}
		}
		var vals plotter.Values
		var names []string
		for _, g := range groups {
			v, ok := fig.f(&g)
			if !ok {
				v = 0
			}
			vals = append(vals, v)
			names = append(names, keyLabel(g.Key))
			lo, hi = math.Min(lo, v), math.Max(hi, v)
		}
		bars, err := plotter.NewBarChart(vals, vg.Points(24))
		if err != nil {
			return err
		}
		bars.Color = palette[0]
		bars.LineStyle.Width = 0
		p.Add(bars)
		p.NominalX(names...)
		p.X.Label.Text = strings.Join(res.GroupBy, " × ")
		lo = math.Min(lo, 0) // bars start at zero
	}
	if math.IsInf(lo, 0) {
		return fmt.Errorf("no data for %s", name)
	}
	// Axis fitted to the data, with a tenth of the range as margin.
	pad := math.Max((hi-lo)*0.1, math.Abs(hi)*0.02+0.5)
	p.Y.Min, p.Y.Max = lo-pad, hi+pad
	if lo >= 0 && lo-pad < 0 {
		p.Y.Min = 0
	}
	p.Legend.Top = true
	c := vgsvg.NewWith(vgsvg.UseWH(8*vg.Inch, 4*vg.Inch), vgsvg.EmbedFonts(true))
	p.Draw(draw.New(c))
	_, err := c.WriteTo(w)
	return err
}

func keyLabel(key []string) string {
	if len(key) == 0 {
		return "all"
	}
	parts := make([]string, len(key))
	for i, k := range key {
		parts[i] = k
		if k == "" {
			parts[i] = "(none)"
		}
	}
	return strings.Join(parts, " · ")
}
