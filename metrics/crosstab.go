package metrics

import (
	"cmp"
	"fmt"
	"hash/fnv"
	"slices"
	"strings"
	"time"
)

// CrossTab counts records by two dimensions and a time slot of the day —
// "type × channel × time slot" — for heat maps. Slots are SlotHours wide,
// by the hour of [Record.Received] in Location. Like [Accumulator] it is
// mergeable and serialisable; it is not safe for concurrent use.
type CrossTab struct {
	rows, cols Dimension
	slotHours  int
	loc        *time.Location
	fp         uint64
	strs       interner
	cells      map[[3]uint32]int64
	total      int64 // Σ cells, at most MaxRecords
}

// NewCrossTab returns an empty cross-tabulation. slotHours must divide 24
// (1, 2, 3, 4, 6, 8, 12 or 24); loc nil means UTC.
func NewCrossTab(rows, cols Dimension, slotHours int, loc *time.Location) (*CrossTab, error) {
	if rows >= numDims || cols >= numDims {
		return nil, fmt.Errorf("%w: unknown dimension", ErrConfig)
	}
	if slotHours <= 0 || slotHours > 24 || 24%slotHours != 0 {
		return nil, fmt.Errorf("%w: slot of %d hours does not divide the day", ErrConfig, slotHours)
	}
	if loc == nil {
		loc = time.UTC
	}
	h := fnv.New64a()
	fmt.Fprintf(h, "%d|%d|%d|%s", rows, cols, slotHours, loc)
	return &CrossTab{rows: rows, cols: cols, slotHours: slotHours, loc: loc, fp: h.Sum64(),
		cells: map[[3]uint32]int64{}}, nil
}

// Empty returns a new empty [CrossTab] of the same configuration.
func (c *CrossTab) Empty() *CrossTab {
	return &CrossTab{rows: c.rows, cols: c.cols, slotHours: c.slotHours, loc: c.loc, fp: c.fp,
		cells: map[[3]uint32]int64{}}
}

// Add counts one record.
func (c *CrossTab) Add(r *Record) {
	slot := uint32(r.Received.In(c.loc).Hour() / c.slotHours)
	c.cells[[3]uint32{c.strs.id(c.rows.Value(r)), c.strs.id(c.cols.Value(r)), slot}]++
	c.total++
}

// Merge adds o into c; both must have the same configuration. A merge that
// would count more than [MaxRecords] records is refused (*[OverflowError])
// and leaves c unchanged.
func (c *CrossTab) Merge(o *CrossTab) error {
	if c.fp != o.fp {
		return ErrMismatch
	}
	if c.total > MaxRecords-o.total {
		return &OverflowError{"records"}
	}
	for k, v := range o.cells {
		c.cells[[3]uint32{c.strs.id(o.strs.vals[k[0]]), c.strs.id(o.strs.vals[k[1]]), k[2]}] += v
	}
	c.total += o.total
	return nil
}

// MarshalBinary serialises the cross-tabulation: strings, then cells in
// ascending (row, column, slot) order.
func (c *CrossTab) MarshalBinary() ([]byte, error) {
	e := encoder{appendHeader(nil, kindCrossTab, c.fp)}
	e.u(uint64(len(c.strs.vals)))
	for _, s := range c.strs.vals {
		e.s(s)
	}
	keys := make([][3]uint32, 0, len(c.cells))
	for k := range c.cells {
		keys = append(keys, k)
	}
	slices.SortFunc(keys, func(a, b [3]uint32) int { return slices.Compare(a[:], b[:]) })
	e.u(uint64(len(keys)))
	for _, k := range keys {
		e.u(uint64(k[0]))
		e.u(uint64(k[1]))
		e.u(uint64(k[2]))
		e.n(c.cells[k])
	}
	return appendTrailer(e.b, 0)
}

// UnmarshalBinary replaces c's counts with decoded ones of the same
// configuration; on error (a *[DecodeError], as for [Aggregator.Decode]) c is
// unchanged. Cells must be in ascending order and every string must name a row
// or column of some cell, as [CrossTab.MarshalBinary] writes them; the counts
// must total at most [MaxRecords].
func (c *CrossTab) UnmarshalBinary(b []byte) error {
	payload, err := openEnvelope(b, kindCrossTab, c.fp)
	if err != nil {
		return err
	}
	d := newDecoder(payload, nil)
	out := c.Empty()
	d.loc("strings", -1)
	// A string takes at least a byte, and a cell of four or more bytes
	// names at most two.
	ns := d.count(len(d.b)/3+1, "strings")
	out.strs.vals = d.strings(ns)
	if d.err != nil {
		return d.err
	}
	nstr := uint64(len(out.strs.vals))
	d.loc("cells", -1)
	nc := d.count(len(d.b)/4, "cells")
	out.cells = make(map[[3]uint32]int64, nc)
	used := make([]bool, nstr)
	var prev [3]uint32
	for i := range nc {
		d.loc("cells", i)
		r, col, slot, n := d.u(), d.u(), d.u(), d.n()
		d.check(r < nstr && col < nstr && slot < uint64(24/c.slotHours) && n > 0, "cell out of range")
		k := [3]uint32{uint32(r), uint32(col), uint32(slot)}
		d.check(i == 0 || slices.Compare(prev[:], k[:]) < 0, "cells not in ascending order")
		if d.err != nil {
			return d.err
		}
		if out.total > MaxRecords-n {
			d.failErr(ErrOverflow, "more than MaxRecords records in all")
			return d.err
		}
		out.total += n
		out.cells[k], prev = n, k
		used[r], used[col] = true, true
	}
	for i, u := range used {
		if !u && d.err == nil {
			d.loc("strings", i)
			d.fail("string used by no cell")
		}
	}
	if err := d.finish(); err != nil {
		return err
	}
	*c = *out
	return nil
}

// HeatMap is a cross-tabulation ready to draw: Cells[row][col][slot].
type HeatMap struct {
	RowDim string      `json:"row_dim"`
	ColDim string      `json:"col_dim"`
	Rows   []string    `json:"rows"`
	Cols   []string    `json:"cols"`
	Slots  []string    `json:"slots"` // "00–04" ...
	Cells  [][][]int64 `json:"cells"`
	Max    int64       `json:"max"` // largest cell, for the colour scale
	Total  int64       `json:"total"`
}

// Cell is one non-empty cell of a [HeatMap].
type Cell struct {
	Row   string `json:"row"`
	Col   string `json:"col"`
	Slot  string `json:"slot"`
	Count int64  `json:"count"`
}

// Result extracts the heat map; rows and columns sorted byte-wise.
func (c *CrossTab) Result() *HeatMap {
	h := &HeatMap{RowDim: c.rows.String(), ColDim: c.cols.String()}
	rowSet, colSet := map[uint32]bool{}, map[uint32]bool{}
	for k := range c.cells {
		rowSet[k[0]], colSet[k[1]] = true, true
	}
	names := func(set map[uint32]bool) (out []string, pos map[uint32]int) {
		for id := range set {
			out = append(out, c.strs.vals[id])
		}
		slices.Sort(out)
		pos = map[uint32]int{}
		for id := range set {
			pos[id], _ = slices.BinarySearch(out, c.strs.vals[id])
		}
		return out, pos
	}
	var rpos, cpos map[uint32]int
	h.Rows, rpos = names(rowSet)
	h.Cols, cpos = names(colSet)
	ns := 24 / c.slotHours
	for s := range ns {
		h.Slots = append(h.Slots, fmt.Sprintf("%02d–%02d", s*c.slotHours, (s+1)*c.slotHours))
	}
	h.Cells = make([][][]int64, len(h.Rows))
	for i := range h.Cells {
		h.Cells[i] = make([][]int64, len(h.Cols))
		for j := range h.Cells[i] {
			h.Cells[i][j] = make([]int64, ns)
		}
	}
	for k, v := range c.cells {
		h.Cells[rpos[k[0]]][cpos[k[1]]][k[2]] = v
		h.Max = max(h.Max, v)
		h.Total += v
	}
	return h
}

// Flat lists the non-empty cells, highest count first (then row, column,
// slot).
func (h *HeatMap) Flat() []Cell {
	var out []Cell
	for i, r := range h.Cells {
		for j, cs := range r {
			for s, v := range cs {
				if v > 0 {
					out = append(out, Cell{h.Rows[i], h.Cols[j], h.Slots[s], v})
				}
			}
		}
	}
	slices.SortStableFunc(out, func(a, b Cell) int { return cmp.Compare(b.Count, a.Count) })
	return out
}

// HourOfWeek counts records by weekday (Monday first) and hour of
// [Record.Received] in a time zone: the staffing heat map.
type HourOfWeek struct {
	loc    *time.Location
	fp     uint64
	counts [7][24]int64
	total  int64 // Σ counts, at most MaxRecords
}

// NewHourOfWeek returns an empty hour-of-week counter; loc nil means UTC.
func NewHourOfWeek(loc *time.Location) *HourOfWeek {
	if loc == nil {
		loc = time.UTC
	}
	h := fnv.New64a()
	h.Write([]byte(loc.String()))
	return &HourOfWeek{loc: loc, fp: h.Sum64()}
}

// Add counts one record.
func (h *HourOfWeek) Add(r *Record) {
	t := r.Received.In(h.loc)
	h.counts[(int(t.Weekday())+6)%7][t.Hour()]++
	h.total++
}

// Merge adds o into h; both must use the same time zone. A merge that
// would count more than [MaxRecords] records is refused (*[OverflowError])
// and leaves h unchanged.
func (h *HourOfWeek) Merge(o *HourOfWeek) error {
	if h.fp != o.fp {
		return ErrMismatch
	}
	if h.total > MaxRecords-o.total {
		return &OverflowError{"records"}
	}
	for d := range h.counts {
		addArr(h.counts[d][:], o.counts[d][:])
	}
	h.total += o.total
	return nil
}

// MarshalBinary serialises the counts.
func (h *HourOfWeek) MarshalBinary() ([]byte, error) {
	e := encoder{appendHeader(nil, kindHourOfWeek, h.fp)}
	for d := range h.counts {
		for _, v := range h.counts[d] {
			e.n(v)
		}
	}
	return appendTrailer(e.b, 0)
}

// UnmarshalBinary replaces h's counts; on error (a *[DecodeError], as for
// [Aggregator.Decode]) h is unchanged. The counts must total at most
// [MaxRecords].
func (h *HourOfWeek) UnmarshalBinary(b []byte) error {
	payload, err := openEnvelope(b, kindHourOfWeek, h.fp)
	if err != nil {
		return err
	}
	d := newDecoder(payload, nil)
	var c [7][24]int64
	var total int64
	for i := range c {
		for j := range c[i] {
			d.loc("counts", i*24+j)
			c[i][j] = d.n()
			if d.err == nil && total > MaxRecords-c[i][j] {
				d.failErr(ErrOverflow, "more than MaxRecords records in all")
			}
			total += c[i][j]
		}
	}
	if err := d.finish(); err != nil {
		return err
	}
	h.counts, h.total = c, total
	return nil
}

// WeekHeatMap is ticket volume by weekday (rows, Monday first) and hour.
type WeekHeatMap struct {
	Location string       `json:"location"`
	Days     [7]string    `json:"days"`
	Counts   [7][24]int64 `json:"counts"`
	Max      int64        `json:"max"`
	Total    int64        `json:"total"`
}

// Result extracts the heat map.
func (h *HourOfWeek) Result() *WeekHeatMap {
	w := &WeekHeatMap{Location: h.loc.String(), Counts: h.counts,
		Days: [7]string{"Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun"}}
	for d := range h.counts {
		for _, v := range h.counts[d] {
			w.Max = max(w.Max, v)
			w.Total += v
		}
	}
	return w
}

// HourlyShare returns, for each hour of the day, its share of the week's
// volume (all weekdays together); nil without data.
func (w *WeekHeatMap) HourlyShare() []float64 {
	if w.Total == 0 {
		return nil
	}
	out := make([]float64, 24)
	for d := range w.Counts {
		for hr, v := range w.Counts[d] {
			out[hr] += float64(v) / float64(w.Total)
		}
	}
	return out
}

// Markdown renders the heat map as a table (days × hours).
func (w *WeekHeatMap) Markdown() string {
	var b strings.Builder
	b.WriteString("| day |")
	for hr := range 24 {
		fmt.Fprintf(&b, " %02d |", hr)
	}
	b.WriteString("\n|---|")
	b.WriteString(strings.Repeat("---:|", 24))
	b.WriteString("\n")
	for d, day := range w.Days {
		fmt.Fprintf(&b, "| %s |", day)
		for _, v := range w.Counts[d] {
			fmt.Fprintf(&b, " %d |", v)
		}
		b.WriteString("\n")
	}
	return b.String()
}
