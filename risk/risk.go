package risk

import (
	"fmt"
	"math"
	"strconv"
	"strings"
	"time"

	"github.com/closeloop/closeloop/metrics"
	"github.com/closeloop/closeloop/sla"
)

// MetricRisk is the breach risk of one metric of an SLA report.
type MetricRisk struct {
	// Metric, Kind and Status are the report's.
	Metric string         `json:"metric"`
	Kind   sla.MetricKind `json:"kind"`
	Status sla.Status     `json:"status"`
	// Basis says what Probability rests on; see Basis.
	Basis Basis `json:"basis"`
	// Probability of breaching the current cycle's target, in [0, 1]: 1
	// when breached, 0 when the clock cannot breach or nothing could be
	// estimated (see Basis).
	Probability float64 `json:"probability"`
	// Deadline is the report's (the breach instant once breached).
	Deadline time.Time `json:"deadline,omitzero"`
	// Elapsed and Remaining are the report's counted time so far and time
	// left, the e and r of the estimate.
	Elapsed   time.Duration `json:"elapsed"`
	Remaining time.Duration `json:"remaining"`
	// Source is the distribution compared with (0 when none).
	Source Source `json:"source,omitempty"`
	// Group is the group the estimate used (Estimated), or the one with the
	// most durations of the metric (BeyondHistory).
	Group Candidate `json:"group,omitzero"`
	// Breaching is how many of Group's durations are longer than
	// Elapsed + Remaining: Probability = Breaching ÷ Group.Longer.
	Breaching int64 `json:"breaching"`
	// Thin is set when no level's group met the thresholds and the one with
	// the most durations longer than Elapsed was used all the same (Group
	// keeps its shortfall).
	Thin bool `json:"thin,omitempty"`
	// Passed are the groups passed over before Group, finest first, each
	// with its shortfall (the fallbacks); when Thin or BeyondHistory, every
	// level's group.
	Passed []Candidate `json:"passed,omitempty"`
}

// Candidate is one level's group as considered for a clock.
type Candidate struct {
	// Level is the index of the level (see Model.Levels).
	Level int `json:"level"`
	// Group is the group's label: "priority P1 / category battery".
	Group string `json:"group"`
	// Tickets is the number of durations of the metric in the group.
	Tickets int64 `json:"tickets"`
	// Longer is how many of them are longer than the clock's elapsed time.
	Longer int64 `json:"longer"`
	// Shortfall says why the group was passed over (Used if it was not);
	// Need is the threshold it fell short of.
	Shortfall Shortfall `json:"shortfall,omitempty"`
	Need      int64     `json:"need,omitempty"`
}

// Risk estimates the breach risk of every metric of rep, in the report's
// order. facts carries the ticket's dimension values (the fields the
// levels group by, as metrics.RecordFromTicket fills them); only those are
// read. See the package documentation for the estimate and its
// assumptions. Invalid input returns an *InputError and no result.
func (m *Model) Risk(facts *metrics.Record, rep *sla.Report) ([]MetricRisk, error) {
	return m.RiskInto(nil, facts, rep)
}

// RiskInto is Risk appending to dst[:0], so a caller looping over a queue
// can reuse one slice. It allocates only when dst is too short or a
// clock falls back from its first level (the Passed slice).
func (m *Model) RiskInto(dst []MetricRisk, facts *metrics.Record, rep *sla.Report) ([]MetricRisk, error) {
	switch {
	case facts == nil:
		return dst[:0], &InputError{Field: "facts", Reason: "nil"}
	case rep == nil:
		return dst[:0], &InputError{Field: "report", Reason: "nil"}
	}
	for i := range rep.Metrics {
		if err := check(&rep.Metrics[i]); err != nil {
			err.Field = "report.metrics[" + strconv.Itoa(i) + "]." + err.Field
			return dst[:0], err
		}
	}
	var keys [MaxLevels]key
	for i, l := range m.levels {
		for j, d := range l.dims {
			keys[i][j] = d.Value(facts)
		}
	}
	dst = dst[:0]
	for i := range rep.Metrics {
		dst = append(dst, m.metricRisk(&rep.Metrics[i], &keys))
	}
	return dst, nil
}

// check validates the fields of one metric report the estimate reads (the
// target's unit only where a distribution is chosen by it).
func check(mr *sla.MetricReport) *InputError {
	switch {
	case mr.Status < sla.Pending || mr.Status > sla.Cancelled:
		return &InputError{Field: "status", Reason: fmt.Sprintf("unknown status %d", mr.Status)}
	case mr.Elapsed < 0:
		return &InputError{Field: "elapsed", Reason: "negative: " + mr.Elapsed.String()}
	case mr.Remaining < 0:
		return &InputError{Field: "remaining", Reason: "negative: " + mr.Remaining.String()}
	case mr.HasTarget && (mr.Status == sla.Running || mr.Status == sla.Paused) &&
		(mr.Target.Unit < sla.Business || mr.Target.Unit > sla.WorkingDays):
		return &InputError{Field: "target.unit", Reason: fmt.Sprintf("unknown unit %d", mr.Target.Unit)}
	}
	return nil
}

func (m *Model) metricRisk(mr *sla.MetricReport, keys *[MaxLevels]key) MetricRisk {
	out := MetricRisk{
		Metric: mr.Name, Kind: mr.Kind, Status: mr.Status, Deadline: mr.Deadline,
		Elapsed: mr.Elapsed, Remaining: mr.Remaining,
	}
	switch {
	case mr.Status == sla.Breached:
		out.Basis, out.Probability = Certain, 1
		return out
	case mr.Status == sla.Pending:
		out.Basis = NotStarted
		return out
	case mr.Status != sla.Running && mr.Status != sla.Paused, !mr.HasTarget:
		out.Basis = NoRisk
		return out
	}
	src, ok := m.sources[mr.Name]
	if !ok {
		src = DefaultSource(mr.Kind, mr.Target.Unit)
	}
	if src == 0 {
		out.Basis = NoDistribution
		return out
	}
	out.Source = src
	e := mr.Elapsed
	budget := addSat(e, mr.Remaining)
	best := -1 // index into the levels of the fallback with most durations longer than e
	var bestC Candidate
	for i := range m.levels {
		c := Candidate{Level: i}
		g := m.levels[i].groups[keys[i]]
		var d *dist
		if g == nil {
			c.Group = groupLabel(m.levels[i].dims, keys[i][:len(m.levels[i].dims)])
			c.Shortfall = NoGroup
		} else {
			d = &g.dists[src]
			c.Group, c.Tickets, c.Longer = g.label, d.n, d.longer(e)
			switch {
			case c.Tickets < m.minSamples:
				c.Shortfall, c.Need = FewTickets, m.minSamples
			case c.Longer < m.minLonger:
				c.Shortfall, c.Need = FewLonger, m.minLonger
			}
		}
		if c.Longer > bestC.Longer {
			best, bestC = i, c
		}
		if c.Shortfall == Used {
			out.Basis, out.Group = Estimated, c
			out.Breaching = d.longer(budget)
			out.Probability = float64(out.Breaching) / float64(c.Longer)
			return out
		}
		if out.Passed == nil {
			out.Passed = make([]Candidate, 0, len(m.levels))
		}
		out.Passed = append(out.Passed, c)
	}
	if best < 0 {
		// No group has a duration longer than e: report the one looked at
		// with the most durations.
		out.Basis = BeyondHistory
		for _, c := range out.Passed {
			if c.Tickets > out.Group.Tickets {
				out.Group = c
			}
		}
		return out
	}
	// No level qualifies: use the group with the most durations longer
	// than e (the finest of equals), its shortfall kept; every level's
	// group stays in Passed.
	out.Basis, out.Thin, out.Group = Estimated, true, bestC
	out.Breaching = m.levels[best].groups[keys[best]].dists[src].longer(budget)
	out.Probability = float64(out.Breaching) / float64(bestC.Longer)
	return out
}

// Explain says in plain words what the probability rests on, e.g.
// "resolution 42% (priority P1 / category battery / team east: 12 tickets
// < 30; fell back to priority P1 / category battery: 52 of 140 lasted
// longer than 2h0m0s, 22 of those longer than 6h0m0s)".
func (r *MetricRisk) Explain() string {
	var b strings.Builder
	b.WriteString(r.Metric)
	b.WriteByte(' ')
	switch r.Basis {
	case Certain:
		b.WriteString("breached")
		return b.String()
	case NoRisk:
		fmt.Fprintf(&b, "%s: no risk", r.Status)
		return b.String()
	case NotStarted:
		b.WriteString("not started: no estimate")
		return b.String()
	case NoDistribution:
		fmt.Fprintf(&b, "no estimate: no historical distribution for a %s clock", r.Kind)
		return b.String()
	case Estimated:
		fmt.Fprintf(&b, "%s (", percent(r.Probability))
	default:
		b.WriteString("no estimate (")
	}
	for i := range r.Passed {
		if i > 0 {
			b.WriteString("; ")
		}
		r.Passed[i].write(&b, r.Elapsed)
	}
	switch {
	case r.Basis == BeyondHistory:
		if len(r.Passed) > 0 {
			b.WriteString("; ")
		}
		fmt.Fprintf(&b, "no %s duration in any group is longer than %s)", r.Source, fmtDur(r.Elapsed))
		return b.String()
	case r.Thin:
		b.WriteString("; no group has enough, so the one with the most longer: ")
	case len(r.Passed) > 0:
		b.WriteString("; fell back to ")
	}
	fmt.Fprintf(&b, "%s: %d of %d lasted longer than %s, %d of those longer than %s)",
		r.Group.Group, r.Group.Longer, r.Group.Tickets, fmtDur(r.Elapsed), r.Breaching, fmtDur(addSat(r.Elapsed, r.Remaining)))
	return b.String()
}

func (c *Candidate) write(b *strings.Builder, e time.Duration) {
	switch c.Shortfall {
	case NoGroup:
		fmt.Fprintf(b, "%s: no tickets", c.Group)
	case FewTickets:
		fmt.Fprintf(b, "%s: %d tickets < %d", c.Group, c.Tickets, c.Need)
	case FewLonger:
		fmt.Fprintf(b, "%s: %d of %d tickets longer than %s < %d", c.Group, c.Longer, c.Tickets, fmtDur(e), c.Need)
	default:
		fmt.Fprintf(b, "%s: %d tickets", c.Group, c.Tickets)
	}
}

// addSat adds two non-negative durations, saturating at the largest one.
func addSat(a, b time.Duration) time.Duration {
	if s := a + b; s >= a {
		return s
	}
	return math.MaxInt64
}

func percent(p float64) string {
	return strconv.FormatFloat(100*p, 'f', 0, 64) + "%"
}

func fmtDur(d time.Duration) string {
	if d >= time.Minute {
		d = d.Round(time.Second)
	}
	return d.String()
}
