package risk

import (
	"fmt"
	"maps"
	"strconv"
	"strings"

	"github.com/closeloop/closeloop/metrics"
)

// Defaults and limits of a Model.
const (
	// DefaultMinSamples is Config.MinSamples when it is zero: a group is
	// used only with at least this many durations of the metric.
	DefaultMinSamples = 30
	// DefaultMinLonger is Config.MinLonger when it is zero: a group is used
	// only when at least this many of its durations are longer than the
	// clock's elapsed time (the tickets the estimate is a ratio over).
	DefaultMinLonger = 10
	// MaxLevels is the number of levels a Model may have, the implicit
	// all-tickets level included.
	MaxLevels = 8
)

// Config tunes a Model. The zero value uses the defaults.
type Config struct {
	// MinSamples is the least number of durations of the metric a group
	// must hold to be used; 0 means DefaultMinSamples.
	MinSamples int64
	// MinLonger is the least number of the group's durations that must be
	// longer than the clock's elapsed time; 0 means DefaultMinLonger.
	MinLonger int64
	// Sources maps SLA metric names (sla.MetricReport.Name) to the
	// distribution they are compared with, overriding DefaultSource (a
	// custom metric that measures resolution, an internal target). The
	// host makes sure the source's unit matches the target's.
	Sources map[string]Source
}

// Model estimates breach probabilities from historical distributions at
// several fallback levels. It is immutable and safe for concurrent use.
type Model struct {
	minSamples, minLonger int64
	sources               map[string]Source
	levels                []level
}

type key [metrics.MaxGroupDims]string

type level struct {
	dims   []metrics.Dimension
	groups map[key]*group
}

type group struct {
	label   string
	tickets int64
	dists   [numSources]dist
}

// New builds a model from KPI results of the same history at fallback
// levels, finest first (for instance grouped by priority, category and team;
// by priority and category; by priority). Each result must be grouped
// without periods. Unless the last level is grouped by nothing, the last
// result's Total (every ticket) is added as a final "all tickets" level.
// The distributions should be of finished clocks: see the package
// documentation on censoring.
//
// New reads every distribution of every group once (see the package
// documentation for the cost); the results are not kept.
func New(cfg Config, levels ...*metrics.Result) (*Model, error) {
	m := &Model{minSamples: cfg.MinSamples, minLonger: cfg.MinLonger}
	switch {
	case cfg.MinSamples < 0:
		return nil, &ConfigError{Path: "min_samples", Reason: "negative"}
	case cfg.MinLonger < 0:
		return nil, &ConfigError{Path: "min_longer", Reason: "negative"}
	case len(levels) == 0:
		return nil, &ConfigError{Path: "levels", Reason: "no level"}
	case len(levels) > MaxLevels:
		return nil, &ConfigError{Path: "levels", Reason: fmt.Sprintf("%d levels, more than %d", len(levels), MaxLevels)}
	}
	if m.minSamples == 0 {
		m.minSamples = DefaultMinSamples
	}
	if m.minLonger == 0 {
		m.minLonger = DefaultMinLonger
	}
	for name, s := range cfg.Sources {
		if !s.valid() {
			return nil, &ConfigError{Path: "sources[" + strconv.Quote(name) + "]", Reason: fmt.Sprintf("unknown source %d", s)}
		}
	}
	m.sources = maps.Clone(cfg.Sources)
	for i, r := range levels {
		l, err := newLevel(r, fmt.Sprintf("levels[%d]", i))
		if err != nil {
			return nil, err
		}
		m.levels = append(m.levels, l)
	}
	if last := levels[len(levels)-1]; len(last.GroupBy) > 0 {
		if len(m.levels) == MaxLevels {
			return nil, &ConfigError{Path: "levels", Reason: fmt.Sprintf("%d levels and the all-tickets level, more than %d", len(levels), MaxLevels)}
		}
		m.levels = append(m.levels, level{groups: map[key]*group{{}: newGroup(&last.Total, "all tickets")}})
	}
	return m, nil
}

func newLevel(r *metrics.Result, path string) (level, error) {
	if r == nil {
		return level{}, &ConfigError{Path: path, Reason: "nil result"}
	}
	if r.Period != "" && r.Period != metrics.PeriodNone.String() {
		return level{}, &ConfigError{Path: path + ".period", Reason: fmt.Sprintf("grouped by %s; a level must be grouped without periods", r.Period)}
	}
	if len(r.GroupBy) > metrics.MaxGroupDims {
		return level{}, &ConfigError{Path: path + ".group_by", Reason: fmt.Sprintf("%d dimensions, more than %d", len(r.GroupBy), metrics.MaxGroupDims)}
	}
	l := level{groups: make(map[key]*group, len(r.Groups))}
	for j, name := range r.GroupBy {
		d, err := metrics.ParseDimension(name)
		if err != nil {
			return level{}, &ConfigError{Path: fmt.Sprintf("%s.group_by[%d]", path, j), Reason: "unknown dimension", Err: err}
		}
		l.dims = append(l.dims, d)
	}
	for j := range r.Groups {
		g := &r.Groups[j]
		gpath := fmt.Sprintf("%s.groups[%d]", path, j)
		if len(g.Key) != len(l.dims) {
			return level{}, &ConfigError{Path: gpath + ".key", Reason: fmt.Sprintf("%d values for %d dimensions", len(g.Key), len(l.dims))}
		}
		var k key
		copy(k[:], g.Key)
		if _, dup := l.groups[k]; dup {
			return level{}, &ConfigError{Path: gpath + ".key", Reason: "the same key as an earlier group"}
		}
		l.groups[k] = newGroup(g, groupLabel(l.dims, g.Key))
	}
	if len(l.dims) == 0 && len(r.Groups) == 0 {
		// A result grouped by nothing has its one group in Total.
		l.groups[key{}] = newGroup(&r.Total, "all tickets")
	}
	return l, nil
}

func newGroup(g *metrics.Group, label string) *group {
	out := &group{label: label, tickets: g.Tickets}
	for s := FirstResponseBusiness; s.valid(); s++ {
		out.dists[s] = newDist(s.stats(g))
	}
	return out
}

// groupLabel renders "priority P1 / category battery / team east" (an
// empty value as "").
func groupLabel(dims []metrics.Dimension, vals []string) string {
	if len(dims) == 0 {
		return "all tickets"
	}
	var b strings.Builder
	for i, d := range dims {
		if i > 0 {
			b.WriteString(" / ")
		}
		b.WriteString(d.String())
		b.WriteByte(' ')
		if vals[i] == "" {
			b.WriteString(`""`)
		} else {
			b.WriteString(vals[i])
		}
	}
	return b.String()
}

// FromAccumulator builds a model from one accumulator grouped at the finest
// level: each level is its exact rollup to the given dimensions (a subset of
// the accumulator's, see metrics.Accumulator.Rollup), without periods.
func FromAccumulator(cfg Config, acc *metrics.Accumulator, levels ...[]metrics.Dimension) (*Model, error) {
	if acc == nil {
		return nil, &ConfigError{Path: "accumulator", Reason: "nil"}
	}
	results := make([]*metrics.Result, len(levels))
	for i, dims := range levels {
		r, err := acc.Rollup(dims, metrics.PeriodNone)
		if err != nil {
			return nil, &ConfigError{Path: fmt.Sprintf("levels[%d]", i), Reason: "rollup refused", Err: err}
		}
		results[i] = r.Result()
	}
	return New(cfg, results...)
}

// Levels describes the model's levels, finest first: the dimensions each
// groups by ("priority / category / team"; "all tickets" for none).
func (m *Model) Levels() []string {
	out := make([]string, len(m.levels))
	for i, l := range m.levels {
		if len(l.dims) == 0 {
			out[i] = "all tickets"
			continue
		}
		names := make([]string, len(l.dims))
		for j, d := range l.dims {
			names[j] = d.String()
		}
		out[i] = strings.Join(names, " / ")
	}
	return out
}

// MinSamples and MinLonger return the thresholds in force (defaults
// applied).
func (m *Model) MinSamples() int64 { return m.minSamples }

// MinLonger returns the least number of durations longer than the elapsed
// time a group must have to be used.
func (m *Model) MinLonger() int64 { return m.minLonger }
