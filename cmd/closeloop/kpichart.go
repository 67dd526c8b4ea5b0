package main

import (
	"encoding/base64"
	"encoding/xml"
	"fmt"
	"io"
	"math"
	"strconv"
	"strings"

	"golang.org/x/image/font"
	"golang.org/x/image/font/gofont/goregular"
	"golang.org/x/image/font/opentype"

	"github.com/closeloop/closeloop/metrics"
)

// The chart is plain SVG written here: a title, a value axis with round
// ticks and grid lines, and either a bar per group or a line per key over
// the periods, with a legend. Its font is Go Regular, embedded in the
// binary and in the SVG: every label is measured with the font the viewer
// then draws it in, so the layout keeps each label inside the canvas and
// clear of the others whatever fonts a machine has installed.

// Canvas and type sizes, in SVG user units (points).
const (
	chartW, chartH = 576.0, 288.0
	titleSize      = 13.0
	axisTitleSize  = 11.0
	tickSize       = 10.0
	chartPad       = 6.0 // canvas edge to the outermost text
	tickLen        = 4.0
	gap            = 4.0 // between a tick and its label, a label and an axis title
	barWidth       = 24.0
	maxTurned      = 100.0 // the longest turned category label; longer ones are shortened
)

// palette is Okabe and Ito's colour-blind-safe set, one colour per series.
var palette = []string{"#0072B2", "#E69F00", "#009E73", "#CC79A7", "#56B4E9", "#D55E00"}

// goFont is Go Regular, parsed once; faces made from it measure labels.
var goFont = func() *opentype.Font {
	f, err := opentype.Parse(goregular.TTF)
	if err != nil {
		panic(err) // the embedded font is a constant of the build
	}
	return f
}()

// measurer measures text in the embedded font at the chart's sizes (a
// face is not safe for concurrent use: one measurer per chart).
type measurer map[float64]font.Face

func (m measurer) face(size float64) font.Face {
	if f, ok := m[size]; ok {
		return f
	}
	f, err := opentype.NewFace(goFont, &opentype.FaceOptions{Size: size, DPI: 72, Hinting: font.HintingNone})
	if err != nil {
		panic(err) // only a size of zero or less fails
	}
	m[size] = f
	return f
}

// width is the advance of s at size.
func (m measurer) width(s string, size float64) float64 {
	return float64(font.MeasureString(m.face(size), s)) / 64
}

// ascent and descent are the font's extent above and below the baseline.
func (m measurer) ascent(size float64) float64 {
	return float64(m.face(size).Metrics().Ascent) / 64
}

func (m measurer) descent(size float64) float64 {
	return float64(m.face(size).Metrics().Descent) / 64
}

// height is the line height: ascent plus descent.
func (m measurer) height(size float64) float64 { return m.ascent(size) + m.descent(size) }

// centre places s, centred on x if it can be, inside the canvas: it
// returns the centre and the size to write s at (smaller than size only
// if s is wider than the canvas at size).
func (m measurer) centre(s string, size, x float64) (float64, float64) {
	for size > 6 && m.width(s, size) > chartW-2*chartPad {
		size -= 0.5
	}
	half := m.width(s, size) / 2
	return math.Min(math.Max(x, chartPad+half), chartW-chartPad-half), size
}

// shorten returns s, or as much of it as fits in width at size followed
// by an ellipsis.
func (m measurer) shorten(s string, size, width float64) string {
	if m.width(s, size) <= width {
		return s
	}
	r := []rune(s)
	for len(r) > 0 && m.width(string(r)+"…", size) > width {
		r = r[:len(r)-1]
	}
	return strings.TrimRight(string(r), " ") + "…"
}

// series is one line of a period chart: a value per period, ok when the
// period has one.
type series struct {
	label string
	vals  []float64
	ok    []bool
}

// writeKPIChart draws one figure: a bar per group, or, with periods, a
// line per key over the periods.
func writeKPIChart(w io.Writer, res *metrics.Result, name string, fig struct {
	f     metrics.Figure
	title string
}) error {
	m := measurer{}
	title := fig.title
	if len(res.GroupBy) > 0 {
		title += " by " + strings.Join(res.GroupBy, " × ")
	}
	var (
		xTitle string
		cats   []string  // x axis labels, one per slot
		bars   []float64 // bar charts: a value per slot ...
		barOK  []bool    // ... when the group has one
		lines  []series  // period charts
	)
	lo, hi := math.Inf(1), math.Inf(-1)
	if res.Period != metrics.PeriodNone.String() {
		trends := res.Trends(fig.f)
		if len(trends) == 0 {
			return fmt.Errorf("no records: nothing to draw")
		}
		xTitle = res.Period + " (" + res.Location + ")"
		for _, pt := range trends[0].Points {
			cats = append(cats, pt.Period)
		}
		for _, tr := range trends {
			s := series{label: keyLabel(tr.Key)}
			for _, pt := range tr.Points {
				s.vals, s.ok = append(s.vals, pt.Value), append(s.ok, pt.OK)
				if pt.OK {
					lo, hi = math.Min(lo, pt.Value), math.Max(hi, pt.Value)
				}
			}
			lines = append(lines, s)
		}
	} else {
		groups := res.Groups
		if len(groups) == 0 {
			groups = []metrics.Group{res.Total}
		}
		for _, g := range groups {
			v, ok := fig.f(&g)
			cats = append(cats, keyLabel(g.Key))
			bars, barOK = append(bars, v), append(barOK, ok)
			if ok {
				lo, hi = math.Min(lo, v), math.Max(hi, v)
			}
		}
		xTitle = strings.Join(res.GroupBy, " × ")
		if !math.IsInf(lo, 0) {
			lo, hi = math.Min(lo, 0), math.Max(hi, 0) // bars start at zero
		}
	}
	if math.IsInf(lo, 0) {
		return fmt.Errorf("no data for %s", name)
	}
	l, err := layoutChart(m, cats, lo, hi, lines == nil)
	if err != nil {
		return err
	}
	left, right, top, bottom, slot := l.left, l.right, l.top, l.bottom, l.slot
	xAt := func(i int) float64 { return left + slot*(float64(i)+0.5) }
	yAt := func(v float64) float64 { return bottom - (v-l.yMin)/(l.yMax-l.yMin)*(bottom-top) }

	var b svgBuilder
	b.printf(`<?xml version="1.0" encoding="UTF-8"?>`+"\n"+`<svg xmlns="http://www.w3.org/2000/svg" width="%spt" height="%spt" viewBox="0 0 %s %s">`+"\n", num(chartW), num(chartH), num(chartW), num(chartH))
	b.printf(`<style>@font-face{font-family:"Go";src:url(data:font/ttf;base64,%s) format("truetype");}text{font-family:"Go";fill:#000}</style>`+"\n", base64.StdEncoding.EncodeToString(goregular.TTF))
	b.printf(`<rect width="%s" height="%s" fill="#fff"/>`+"\n", num(chartW), num(chartH))

	// Title, and the axes' titles.
	x, size := m.centre(title, titleSize, (left+right)/2)
	b.text("title", x, chartPad+m.ascent(titleSize), size, "middle", "", title)
	if xTitle != "" {
		x, size := m.centre(xTitle, axisTitleSize, (left+right)/2)
		b.text("axis-title", x, chartH-chartPad-m.descent(axisTitleSize), size, "middle", "", xTitle)
	}
	// The value axis's title, turned, its descent against the tick labels.
	yTitleX := left - tickLen - gap - l.yLabelW - gap - m.descent(axisTitleSize)
	yTitleSize := axisTitleSize // smaller if the plot is not as tall as the title is long
	for yTitleSize > 6 && m.width(fig.title, yTitleSize) > bottom-top {
		yTitleSize -= 0.5
	}
	b.text("axis-title", yTitleX, (top+bottom)/2, yTitleSize, "middle", fmt.Sprintf("rotate(-90 %s %s)", num(yTitleX), num((top+bottom)/2)), fig.title)

	// Value axis: grid, ticks and their labels.
	for i, v := range l.ticks {
		y := yAt(v)
		b.printf(`<path class="grid" d="M%s,%sH%s" stroke="#808080" stroke-width="0.25"/>`+"\n", num(left), num(y), num(right))
		b.line(left-tickLen, y, left, y, "#000", 0.5)
		b.text("tick", left-tickLen-gap, y+(m.ascent(tickSize)-m.descent(tickSize))/2, tickSize, "end", "", l.tickLabels[i])
	}
	b.printf(`<path class="axis" d="M%s,%sV%s" stroke="#000" stroke-width="0.5"/>`+"\n", num(left), num(top), num(bottom))

	// Category axis: a tick per slot, a label per step-th slot.
	axisY := bottom
	if l.yMin < 0 && l.yMax > 0 {
		axisY = yAt(0)
		b.line(left, axisY, right, axisY, "#000", 0.5)
	}
	b.line(left, bottom, right, bottom, "#000", 0.5)
	for i, c := range l.labels {
		x := xAt(i)
		b.line(x, bottom, x, bottom+tickLen, "#000", 0.5)
		if i%l.step != 0 {
			continue
		}
		if l.turned {
			y := bottom + tickLen + gap
			b.text("category", x, y+m.ascent(tickSize)/2, tickSize, "end", fmt.Sprintf("rotate(-45 %s %s)", num(x), num(y)), c)
		} else {
			b.text("category", x, bottom+tickLen+gap+m.ascent(tickSize), tickSize, "middle", "", c)
		}
	}

	if lines == nil {
		bw := math.Min(barWidth, slot*0.8)
		// The values are written past the bars' ends if every one fits
		// its slot; otherwise they are in the bars' titles only.
		valueW := 0.0
		for _, v := range bars {
			valueW = math.Max(valueW, m.width(formatValue(v), tickSize))
		}
		writeValues := valueW <= slot-2
		for i, v := range bars {
			x := xAt(i)
			if !barOK[i] {
				b.text("value", x, axisY-gap, tickSize, "middle", "", "n/a")
				continue
			}
			y0, y1 := axisY, yAt(v)
			b.printf(`<rect class="bar" x="%s" y="%s" width="%s" height="%s" fill="%s"><title>%s: %s</title></rect>`+"\n",
				num(x-bw/2), num(math.Min(y0, y1)), num(bw), num(math.Abs(y1-y0)), palette[0], esc(cats[i]), formatValue(v))
			switch {
			case !writeValues:
			case v >= 0:
				b.text("value", x, y1-gap, tickSize, "middle", "", formatValue(v))
			default:
				b.text("value", x, y1+gap+m.ascent(tickSize), tickSize, "middle", "", formatValue(v))
			}
		}
	} else {
		for k, s := range lines {
			colour := palette[k%len(palette)]
			// A line through consecutive periods with values; a period
			// without one breaks it.
			var path strings.Builder
			for i := range s.vals {
				if !s.ok[i] {
					continue
				}
				cmd := "L"
				if i == 0 || !s.ok[i-1] {
					cmd = "M"
				}
				fmt.Fprintf(&path, "%s%s,%s", cmd, num(xAt(i)), num(yAt(s.vals[i])))
			}
			b.printf(`<path d="%s" fill="none" stroke="%s" stroke-width="1.6"/>`+"\n", path.String(), colour)
			// A dot on each value where the periods are wide enough to
			// tell them apart, and always on a value standing alone.
			for i := range s.vals {
				alone := (i == 0 || !s.ok[i-1]) && (i == len(s.vals)-1 || !s.ok[i+1])
				if s.ok[i] && (slot >= 8 || alone) {
					b.printf(`<circle cx="%s" cy="%s" r="2.5" fill="%s"><title>%s, %s: %s</title></circle>`+"\n",
						num(xAt(i)), num(yAt(s.vals[i])), colour, esc(s.label), esc(cats[i]), formatValue(s.vals[i]))
				}
			}
		}
		// The legend, in the corner of the plot that hides fewest values.
		legendW := 0.0
		for _, s := range lines {
			legendW = math.Max(legendW, m.width(s.label, tickSize))
		}
		rowH := m.height(tickSize) + 2
		boxW, boxH := gap+20+gap+legendW+gap, rowH*float64(len(lines))+gap
		lx, ly := right-gap-boxW, top+gap
		fewest := -1
		for _, c := range [][2]float64{
			{right - gap - boxW, top + gap}, {left + gap, top + gap},
			{right - gap - boxW, bottom - gap - boxH}, {left + gap, bottom - gap - boxH},
		} {
			hidden := 0
			for _, s := range lines {
				for i, v := range s.vals {
					x, y := xAt(i), yAt(v)
					if s.ok[i] && x > c[0]-3 && x < c[0]+boxW+3 && y > c[1]-3 && y < c[1]+boxH+3 {
						hidden++
					}
				}
			}
			if fewest < 0 || hidden < fewest {
				fewest, lx, ly = hidden, c[0], c[1]
			}
		}
		b.printf(`<rect x="%s" y="%s" width="%s" height="%s" fill="#fff" fill-opacity="0.85" stroke="#ccc" stroke-width="0.5"/>`+"\n",
			num(lx), num(ly), num(boxW), num(boxH))
		for k, s := range lines {
			colour := palette[k%len(palette)]
			cy := ly + gap/2 + rowH*(float64(k)+0.5)
			b.line(lx+gap, cy, lx+gap+20, cy, colour, 1.6)
			b.printf(`<circle cx="%s" cy="%s" r="2.5" fill="%s"/>`+"\n", num(lx+gap+10), num(cy), colour)
			b.text("legend", lx+gap+20+gap, cy+(m.ascent(tickSize)-m.descent(tickSize))/2, tickSize, "start", "", s.label)
		}
	}
	b.printf("</svg>\n")
	if b.err != nil {
		return b.err
	}
	_, err = io.WriteString(w, b.String())
	return err
}

// chartLayout is where a chart's parts go.
type chartLayout struct {
	yMin, yMax float64   // the value axis's range
	ticks      []float64 // its round values ...
	tickLabels []string  // ... as written
	yLabelW    float64   // the widest tick label
	// The plot area, and the width of a category's slot in it.
	left, right, top, bottom, slot float64
	turned                         bool     // the category labels are turned 45°
	step                           int      // every step-th category is labelled
	labels                         []string // the categories as written
}

// layoutChart fits the value axis to lo..hi and places the plot area
// between the title above, the value axis's title, tick labels and ticks
// on the left, and the category labels and axis title below. With bars,
// the axis leaves room for the value written past each bar's end.
func layoutChart(m measurer, cats []string, lo, hi float64, bars bool) (chartLayout, error) {
	catW := 0.0
	for _, c := range cats {
		catW = math.Max(catW, m.width(c, tickSize))
	}
	labels := cats
	// A tenth of the range as margin on either side.
	padLo := math.Max((hi-lo)*0.1, math.Abs(hi)*0.02+0.5)
	padHi := padLo
	var l chartLayout
	for range 8 { // the margins only grow: a few rounds settle them
		l = chartLayout{yMin: lo - padLo, yMax: hi + padHi, step: 1, labels: labels}
		if lo >= 0 && l.yMin < 0 {
			l.yMin = 0
		}
		var decimals int
		l.ticks, decimals = niceTicks(l.yMin, l.yMax)
		l.tickLabels = make([]string, len(l.ticks))
		for i, v := range l.ticks {
			l.tickLabels[i] = formatTick(v, decimals)
			l.yLabelW = math.Max(l.yLabelW, m.width(l.tickLabels[i], tickSize))
		}
		l.top = chartPad + m.height(titleSize) + gap
		l.left = chartPad + m.height(axisTitleSize) + gap + l.yLabelW + gap + tickLen
		l.right = chartW - chartPad
		// Category labels sit centred under their slot, inside the canvas.
		// Too wide for the slot, they are turned 45°, their ends at the
		// slot's centre, and if the slots are too narrow even for that,
		// only every step-th is written.
		l.slot = (l.right - l.left) / float64(len(cats))
		catDrop := m.height(tickSize) // how far the labels reach below their ticks
		if l.turned = catW > l.slot-gap; l.turned {
			if catW > maxTurned { // shortened: the bars' and points' titles keep the whole label
				labels, catW = make([]string, len(cats)), 0
				for i, c := range cats {
					labels[i] = m.shorten(c, tickSize, maxTurned)
					catW = math.Max(catW, m.width(labels[i], tickSize))
				}
			}
			// A turned label reaches s45·(width + ascent/2) left of its
			// slot's centre and s45·(width + ascent/2 + descent) below.
			const s45 = math.Sqrt2 / 2
			a, d := m.ascent(tickSize), m.descent(tickSize)
			half := 1 / (2 * float64(len(cats))) // the first centre is left + (right-left)·half
			l.left = math.Max(l.left, (chartPad+s45*(catW+a/2)-l.right*half)/(1-half))
			l.slot = (l.right - l.left) / float64(len(cats))
			l.step = max(1, int(math.Ceil((a+d+1)/(l.slot*s45))))
			catDrop = s45 * (catW + a/2 + d)
			l.labels = labels
		}
		l.bottom = chartH - chartPad - m.height(axisTitleSize) - gap - catDrop - gap - tickLen
		h := l.bottom - l.top
		if h < 60 {
			return l, fmt.Errorf("%d labels up to %.0f points wide leave no room for the chart", len(cats), catW)
		}
		if !bars {
			break
		}
		// Room for the values past the bars' ends: need points of the
		// plot's height above the highest and below the lowest.
		need := gap + m.height(tickSize) + 1
		grew := false
		if hi > 0 && (l.yMax-hi)/(l.yMax-l.yMin)*h < need {
			padHi = need * (hi - l.yMin) / (h - need)
			grew = true
		}
		if lo < 0 && (lo-l.yMin)/(l.yMax-l.yMin)*h < need {
			padLo = need * (l.yMax - lo) / (h - need)
			grew = true
		}
		if !grew {
			break
		}
	}
	return l, nil
}

// svgBuilder collects the SVG's elements.
type svgBuilder struct {
	strings.Builder
	err error
}

func (b *svgBuilder) printf(format string, args ...any) {
	if _, err := fmt.Fprintf(b, format, args...); err != nil && b.err == nil {
		b.err = err
	}
}

// text writes s of class with its anchor point at x, y (the baseline), at
// size, anchored start, middle or end, transformed by transform if not
// empty.
func (b *svgBuilder) text(class string, x, y, size float64, anchor, transform, s string) {
	tr := ""
	if transform != "" {
		tr = ` transform="` + transform + `"`
	}
	b.printf(`<text class="%s" x="%s" y="%s" font-size="%s" text-anchor="%s"%s>%s</text>`+"\n", class, num(x), num(y), num(size), anchor, tr, esc(s))
}

func (b *svgBuilder) line(x1, y1, x2, y2 float64, colour string, width float64) {
	b.printf(`<path d="M%s,%sL%s,%s" stroke="%s" stroke-width="%s"/>`+"\n", num(x1), num(y1), num(x2), num(y2), colour, num(width))
}

// num writes a coordinate with two decimals at most.
func num(v float64) string {
	s := strconv.FormatFloat(math.Round(v*100)/100, 'f', -1, 64)
	if s == "-0" {
		return "0"
	}
	return s
}

// esc escapes s for XML text and attributes: labels come from the records.
func esc(s string) string {
	var sb strings.Builder
	_ = xml.EscapeText(&sb, []byte(s)) // writes to a strings.Builder never fail
	return sb.String()
}

// niceTicks returns round tick values between lo and hi (steps of 1, 2 or
// 5 times a power of ten, four to eight of them) and the decimals their
// labels need.
func niceTicks(lo, hi float64) ([]float64, int) {
	span := hi - lo
	mag := math.Pow(10, math.Floor(math.Log10(span/5)))
	step := mag
	for _, f := range []float64{1, 2, 5, 10} {
		step = f * mag
		if span/step <= 7 {
			break
		}
	}
	decimals := max(0, -int(math.Floor(math.Log10(step)+1e-9)))
	var ticks []float64
	for i := math.Ceil(lo/step - 1e-9); i*step <= hi+step*1e-9; i++ {
		ticks = append(ticks, i*step)
	}
	return ticks, decimals
}

func formatTick(v float64, decimals int) string {
	s := strconv.FormatFloat(v, 'f', decimals, 64)
	if strings.Trim(s, "-0.") == "" {
		return strings.TrimPrefix(s, "-")
	}
	return s
}

// formatValue writes a figure with one decimal at most.
func formatValue(v float64) string {
	return formatTick(math.Round(v*10)/10, 1-boolInt(math.Round(v*10) == math.Round(v)*10))
}

func boolInt(b bool) int {
	if b {
		return 1
	}
	return 0
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
