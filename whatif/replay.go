package whatif

import (
	"errors"
	"fmt"
	"hash/crc32"
	"strconv"
	"strings"
	"time"

	"github.com/closeloop/closeloop/compensation"
	"github.com/closeloop/closeloop/sla"
	"github.com/shopspring/decimal"
)

// Side is one of the two policy sets a replay compares: the SLA policies that
// give deadlines and breaches, and optionally the compensation policy that
// turns breaches into cost.
type Side struct {
	// Name labels the side in results ("current", "proposed").
	Name string
	// SLA is the compiled SLA policy set. Required.
	SLA *sla.PolicySet
	// Options select how SLA policies are picked (zero: by conditions, pinned
	// at the ticket's opening).
	Options sla.Options
	// Metric names the SLA metric whose breach and deadline are measured
	// ("resolution", "first_response", or a custom metric's name). Required.
	Metric string
	// Compensation, when set, prices every ticket: see the package doc.
	Compensation *compensation.Policy
}

// Config says what a replay compares.
type Config struct {
	// Current and Proposed are the two sides; differences are Proposed −
	// Current.
	Current, Proposed Side
	// AsOf is the instant every ticket is evaluated at. Zero means each
	// ticket's own last timeline entry (a finished history is judged as it
	// ended). A ticket with an entry after AsOf fails on both sides.
	AsOf time.Time
}

// ErrConfig is wrapped by every [Config] validation error.
var ErrConfig = errors.New("whatif: invalid config")

// Replay is a compiled [Config]: immutable, safe for concurrent use, the
// evaluator of single tickets and the factory and decoder of Accumulators (a
// distributed engine's combine function).
type Replay struct {
	cfg         Config
	fingerprint uint32
}

// New validates cfg and returns its [Replay].
func New(cfg Config) (*Replay, error) {
	for _, s := range []struct {
		label string
		side  *Side
	}{{"current", &cfg.Current}, {"proposed", &cfg.Proposed}} {
		if s.side.SLA == nil {
			return nil, fmt.Errorf("%w: %s side has no SLA policy set", ErrConfig, s.label)
		}
		if s.side.Metric == "" {
			return nil, fmt.Errorf("%w: %s side names no SLA metric", ErrConfig, s.label)
		}
		if s.side.Name == "" {
			s.side.Name = s.label
		}
	}
	if cfg.Current.Name == cfg.Proposed.Name {
		return nil, fmt.Errorf("%w: both sides are named %q", ErrConfig, cfg.Current.Name)
	}
	return &Replay{cfg: cfg, fingerprint: fingerprint(&cfg)}, nil
}

// Config returns the configuration (sides named as in results).
func (r *Replay) Config() Config { return r.cfg }

// fingerprint identifies a configuration in serialised accumulators, so that
// state of one comparison is not merged into another: side names, measured
// metrics, SLA policy names, versions, effective dates and metric names,
// options, compensation policy names and currencies, and the as-of instant.
// It does not see targets: two documents that differ only in a target and not
// in a version look alike, which is one more reason to bump the version when
// a policy changes.
func fingerprint(c *Config) uint32 {
	h := crc32.New(crc32.MakeTable(crc32.Castagnoli))
	w := func(s string) { h.Write([]byte(strconv.Quote(s))) }
	for _, s := range []*Side{&c.Current, &c.Proposed} {
		w(s.Name)
		w(s.Metric)
		w(s.SLA.Name())
		for _, p := range s.SLA.Policies() {
			w(p.Name)
			w(strconv.Itoa(p.Version))
			w(p.EffectiveFrom.UTC().Format(time.RFC3339Nano))
			w(strings.Join(p.Metrics, ","))
		}
		w(s.Options.PinAt.UTC().String())
		w(s.Options.Policy)
		w(strconv.Itoa(s.Options.Version))
		if s.Compensation != nil {
			w(s.Compensation.Name())
			w(s.Compensation.Currency().Code)
		}
	}
	if !c.AsOf.IsZero() {
		w(c.AsOf.UTC().String())
	}
	return h.Sum32()
}

// Verdict is the outcome of the measured SLA metric for one ticket under one side.
type Verdict uint8

// Verdicts.
const (
	// Failed: the ticket could not be evaluated (bad timeline, a compensation
	// input missing); it counts only in [Figures.Failed].
	Failed Verdict = iota
	// NotMeasured: no policy matched, or the matched policy has no such metric.
	NotMeasured
	// NoTarget: the metric is tracked but the policy sets no target for the
	// ticket's priority, so it can never breach.
	NoTarget
	// Open: the metric has a target but no cycle has finished or breached yet.
	Open
	// Met: at least one cycle stopped in time and none breached.
	Met
	// Breached: at least one cycle breached (stopped late, or still running
	// past its deadline).
	Breached
)

var verdictNames = [...]string{"failed", "not_measured", "no_target", "open", "met", "breached"}

// String returns the snake_case name of v.
func (v Verdict) String() string {
	if int(v) < len(verdictNames) {
		return verdictNames[v]
	}
	return "verdict(" + strconv.Itoa(int(v)) + ")"
}

// SideOutcome is what one side says about one ticket.
type SideOutcome struct {
	Verdict Verdict `json:"verdict"`
	// Policy is the SLA policy that applied ("" if none).
	Policy string `json:"policy,omitempty"`
	// HasDeadline is set when the measured metric's current cycle has a
	// start and a deadline; TimeToDeadline is then Deadline − Start.
	HasDeadline    bool          `json:"has_deadline,omitempty"`
	TimeToDeadline time.Duration `json:"time_to_deadline_ns,omitempty"`
	// Overrun is how far past its target the measured metric's current
	// cycle counted ([sla.MetricReport.Late]).
	Overrun time.Duration `json:"overrun_ns,omitempty"`
	// CompensationMinor is the ticket's compensation cost in minor units of
	// the side's compensation currency: the largest money option offered.
	CompensationMinor int64 `json:"compensation_minor,omitempty"`
	// Error says why the ticket failed.
	Error string `json:"error,omitempty"`
}

// Outcome is one ticket evaluated under both sides. It is plain data, so a
// pipeline can evaluate in one step and combine in another.
type Outcome struct {
	// Priority is the group: "P0".."P3", or "other" for anything else.
	Priority string      `json:"priority"`
	Current  SideOutcome `json:"current"`
	Proposed SideOutcome `json:"proposed"`
}

// scratch is per-caller reusable evaluation state.
type scratch struct {
	report    sla.Report
	durations map[string]time.Duration
	overruns  []overrunKey
}

// overrunKey caches "<metric>_overrun" per metric position, so that pricing
// does not build the same string for every ticket.
type overrunKey struct{ metric, key string }

func (s *scratch) overrunKey(i int, metric string) string {
	if i < len(s.overruns) && s.overruns[i].metric == metric {
		return s.overruns[i].key
	}
	k := overrunKey{metric: metric, key: metric + "_overrun"}
	if i < len(s.overruns) {
		s.overruns[i] = k
	} else {
		s.overruns = append(s.overruns, k)
	}
	return k.key
}

// Evaluate replays one ticket under both sides. It is pure: the same ticket
// and configuration always give the same [Outcome].
func (r *Replay) Evaluate(t *Ticket) Outcome {
	var s scratch
	return r.evaluate(t, &s)
}

func (r *Replay) evaluate(t *Ticket, s *scratch) Outcome {
	return Outcome{
		Priority: group(priorityOf(t)),
		Current:  r.evalSide(&r.cfg.Current, t, s),
		Proposed: r.evalSide(&r.cfg.Proposed, t, s),
	}
}

// group maps a priority to its result group.
func group(p string) string {
	switch p {
	case "P0", "P1", "P2", "P3":
		return p
	}
	return "other"
}

func (r *Replay) evalSide(side *Side, t *Ticket, s *scratch) SideOutcome {
	now := r.cfg.AsOf
	if now.IsZero() {
		if len(t.Timeline) == 0 {
			return SideOutcome{Verdict: Failed, Error: "empty timeline and no as-of instant"}
		}
		now = t.Timeline[len(t.Timeline)-1].At
	}
	rep := &s.report
	if err := side.SLA.EvaluateInto(rep, t.Attributes, t.Timeline, now, side.Options); err != nil {
		return SideOutcome{Verdict: Failed, Error: err.Error()}
	}
	out := SideOutcome{Policy: rep.Policy, Verdict: NotMeasured}
	for i := range rep.Metrics {
		m := &rep.Metrics[i]
		if m.Name != side.Metric {
			continue
		}
		switch {
		case !m.HasTarget:
			out.Verdict = NoTarget
		case m.BreachedCycles > 0:
			out.Verdict = Breached
		case m.MetCycles > 0:
			out.Verdict = Met
		default:
			out.Verdict = Open
		}
		if m.HasTarget && !m.Start.IsZero() && !m.Deadline.IsZero() {
			out.HasDeadline = true
			out.TimeToDeadline = m.Deadline.Sub(m.Start)
		}
		out.Overrun = m.Late
		break
	}
	if side.Compensation == nil {
		return out
	}
	minor, err := price(side, t, rep, s)
	if err != nil {
		return SideOutcome{Verdict: Failed, Policy: rep.Policy, Error: err.Error()}
	}
	out.CompensationMinor = minor
	return out
}

// price computes the compensation cost of one ticket under a side: the
// largest money amount of the side's offer, from
// compensation.Policy.MaxAmount, which gives exactly that amount without
// building the offer and its explanations. The claim carries only the inputs
// the side's policy reads (compensation refuses any other, and the two
// sides may read different ones): of the ticket's own claim inputs, which
// are all checked, and of the overruns "<metric>_overrun" of the SLA
// report's metrics ("<Side.Metric>_overrun" is zero when the report does
// not have the metric).
func price(side *Side, t *Ticket, rep *sla.Report, s *scratch) (int64, error) {
	comp := side.Compensation
	if s.durations == nil {
		s.durations = make(map[string]time.Duration)
	}
	clear(s.durations)
	for k, v := range t.Claim.Durations {
		if comp.Reads(compensation.MapDurations, k) {
			s.durations[k] = time.Duration(v)
		}
	}
	measured := false
	for i := range rep.Metrics {
		if k := s.overrunKey(i, rep.Metrics[i].Name); comp.Reads(compensation.MapDurations, k) {
			s.durations[k] = rep.Metrics[i].Late
		}
		measured = measured || rep.Metrics[i].Name == side.Metric
	}
	if !measured {
		if k := side.Metric + "_overrun"; comp.Reads(compensation.MapDurations, k) {
			s.durations[k] = 0
		}
	}
	c := compensation.Claim{
		Ticket:    t.ID,
		Customer:  t.Customer,
		Tier:      t.Attributes.Tier,
		Priority:  rep.Priority,
		Durations: s.durations,
	}
	for k, v := range t.Claim.Flags {
		if comp.Reads(compensation.MapFlags, k) {
			if c.Flags == nil {
				c.Flags = make(map[string]bool, len(t.Claim.Flags))
			}
			c.Flags[k] = v
		}
	}
	cur := comp.Currency().Code
	for k, v := range t.Claim.Amounts {
		m, err := compensation.ParseMoney(v, cur)
		if err != nil {
			return 0, fmt.Errorf("claim amount %q: %w", k, err)
		}
		if comp.Reads(compensation.MapAmounts, k) {
			if c.Amounts == nil {
				c.Amounts = make(map[string]compensation.Money, len(t.Claim.Amounts))
			}
			c.Amounts[k] = m
		}
	}
	if len(t.Claim.Numbers) > 0 {
		numbers, err := parseNumbers(t.Claim.Numbers)
		if err != nil {
			return 0, err
		}
		for k := range numbers {
			if !comp.Reads(compensation.MapNumbers, k) {
				delete(numbers, k)
			}
		}
		c.Numbers = numbers
	}
	largest, err := comp.MaxAmount(c)
	if err != nil || largest.Option == "" {
		return 0, err
	}
	minor, ok := largest.Amount.Minor()
	if !ok {
		return 0, fmt.Errorf("option %q: amount %s does not fit in minor units", largest.Option, largest.Amount.String())
	}
	return minor, nil
}

func parseNumbers(in map[string]string) (map[string]decimal.Decimal, error) {
	out := make(map[string]decimal.Decimal, len(in))
	for k, v := range in {
		d, err := decimal.NewFromString(v)
		if err != nil {
			return nil, fmt.Errorf("claim number %q: %w", k, err)
		}
		out[k] = d
	}
	return out, nil
}
