package main

import (
	"bytes"
	"context"
	"encoding/binary"
	"encoding/json"
	"fmt"
	"os"
	"reflect"
	"sync"
	"time"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/register"

	"github.com/closeloop/closeloop/compensation"
	"github.com/closeloop/closeloop/sla"
	"github.com/closeloop/closeloop/whatif"
	"github.com/closeloop/closeloop/whatif/whatiftest"
)

func init() {
	register.DoFn3x1[context.Context, string, func(whatif.Outcome), error](&evaluateFn{})
	register.Emitter1[whatif.Outcome]()
	register.Combiner3[*WhatIfAccum, whatif.Outcome, string](&WhatIfCombineFn{})
	beam.RegisterCoder(reflect.TypeOf((*WhatIfAccum)(nil)), encodeWhatIfAccum, decodeWhatIfAccum)
	beam.RegisterCoder(reflect.TypeOf((*whatif.Outcome)(nil)).Elem(), encodeOutcome, decodeOutcome)
}

// WhatIfSpec is the comparison as data, so that it travels with the pipeline
// to every worker: the rules documents themselves, not file names, because a
// worker on a cluster does not see the launcher's files.
type WhatIfSpec struct {
	// Calendars is a JSON array of calendar specs (sla.ParseCalendars).
	Calendars string `json:"calendars"`
	// Current and Proposed are SLA policy set documents (sla.ParsePolicySet),
	// compiled against sla.DefaultStates and Calendars.
	Current  string `json:"current"`
	Proposed string `json:"proposed"`
	// Metric is the SLA metric measured on both sides.
	Metric string `json:"metric"`
	// Compensation is a compensation preset name or policy document used on
	// both sides; "" prices nothing.
	Compensation string `json:"compensation,omitempty"`
	// AsOf (RFC 3339) evaluates every ticket at one instant; "" evaluates each
	// at its own last timeline entry.
	AsOf string `json:"as_of,omitempty"`
}

// SampleWhatIfSpec is whatiftest.SampleConfig as a spec.
func SampleWhatIfSpec() (WhatIfSpec, error) {
	var s WhatIfSpec
	for _, f := range []struct {
		name string
		dst  *string
	}{{"calendars.json", &s.Calendars}, {"current.json", &s.Current}, {"proposed.json", &s.Proposed}} {
		b, err := whatiftest.SampleJSON(f.name)
		if err != nil {
			return s, err
		}
		*f.dst = string(b)
	}
	s.Metric, s.Compensation = "resolution", "complaint-goodwill"
	return s, nil
}

// Replay compiles the spec.
func (s WhatIfSpec) Replay() (*whatif.Replay, error) {
	cals, err := sla.ParseCalendars([]byte(s.Calendars))
	if err != nil {
		return nil, fmt.Errorf("calendars: %w", err)
	}
	env := sla.PolicyEnv{States: sla.DefaultStates(), Calendars: cals}
	cfg := whatif.Config{
		Current:  whatif.Side{Name: "current", Metric: s.Metric},
		Proposed: whatif.Side{Name: "proposed", Metric: s.Metric},
	}
	if cfg.Current.SLA, err = sla.ParsePolicySet([]byte(s.Current), env); err != nil {
		return nil, fmt.Errorf("current policies: %w", err)
	}
	if cfg.Proposed.SLA, err = sla.ParsePolicySet([]byte(s.Proposed), env); err != nil {
		return nil, fmt.Errorf("proposed policies: %w", err)
	}
	if s.Compensation != "" {
		var comp *compensation.Policy
		if bytes.HasPrefix(bytes.TrimSpace([]byte(s.Compensation)), []byte("{")) {
			comp, err = compensation.ParsePolicy([]byte(s.Compensation))
		} else {
			comp, err = compensation.Preset(s.Compensation)
		}
		if err != nil {
			return nil, fmt.Errorf("compensation: %w", err)
		}
		cfg.Current.Compensation, cfg.Proposed.Compensation = comp, comp
	}
	if s.AsOf != "" {
		if cfg.AsOf, err = time.Parse(time.RFC3339, s.AsOf); err != nil {
			return nil, fmt.Errorf("as_of: %w", err)
		}
	}
	return whatif.New(cfg)
}

func (s WhatIfSpec) key() string {
	b, _ := json.Marshal(s)
	return string(b)
}

// replays caches compiled replays per spec in the worker process, for the
// accumulator coder (called without the CombineFn) and so that every DoFn
// instance shares one compiled policy set.
var replays sync.Map // spec key → *whatif.Replay

func replayFor(specKey string) (*whatif.Replay, error) {
	if r, ok := replays.Load(specKey); ok {
		return r.(*whatif.Replay), nil
	}
	var s WhatIfSpec
	if err := json.Unmarshal([]byte(specKey), &s); err != nil {
		return nil, fmt.Errorf("what-if spec: %w", err)
	}
	r, err := s.Replay()
	if err != nil {
		return nil, err
	}
	actual, _ := replays.LoadOrStore(specKey, r)
	return actual.(*whatif.Replay), nil
}

// evaluateFn decodes one NDJSON line and evaluates the ticket under both
// sides (whatif.Replay.Evaluate). A line that does not decode fails the
// pipeline, as it fails the in-process read.
type evaluateFn struct {
	Spec WhatIfSpec `json:"spec"`

	r       *whatif.Replay
	t       whatif.Ticket
	tickets beam.Counter
	failed  beam.Counter
}

// Setup compiles the policies once per worker.
func (fn *evaluateFn) Setup() error {
	var err error
	fn.r, err = replayFor(fn.Spec.key())
	fn.tickets = beam.NewCounter("whatif", "tickets")
	fn.failed = beam.NewCounter("whatif", "failed_evaluations")
	return err
}

// ProcessElement evaluates one ticket.
func (fn *evaluateFn) ProcessElement(ctx context.Context, line string, emit func(whatif.Outcome)) error {
	b := bytes.TrimSpace([]byte(line))
	if len(b) == 0 {
		return nil
	}
	if err := whatif.DecodeTicket(b, &fn.t); err != nil {
		return err
	}
	o := fn.r.Evaluate(&fn.t)
	fn.tickets.Inc(ctx, 1)
	if o.Current.Verdict == whatif.Failed || o.Proposed.Verdict == whatif.Failed {
		fn.failed.Inc(ctx, 1)
	}
	emit(o)
	return nil
}

// WhatIfAccum is the accumulator of WhatIfCombineFn: the library's
// whatif.Accumulator, unchanged, and the spec it was made under.
type WhatIfAccum struct {
	Spec string
	Acc  *whatif.Accumulator
}

func encodeWhatIfAccum(a *WhatIfAccum) ([]byte, error) {
	b := appendSpec(nil, a.Spec)
	return a.Acc.AppendBinary(b)
}

// appendSpec prefixes an encoded accumulator with the spec it was made under.
func appendSpec(b []byte, spec string) []byte {
	b = binary.AppendUvarint(b, uint64(len(spec)))
	return append(b, spec...)
}

func decodeWhatIfAccum(b []byte) (*WhatIfAccum, error) {
	accumsDecoded.Add(1)
	spec, rest, err := splitSpec(b)
	if err != nil {
		return nil, err
	}
	r, err := replayFor(spec)
	if err != nil {
		return nil, err
	}
	acc, err := r.Decode(rest)
	if err != nil {
		return nil, err
	}
	return &WhatIfAccum{Spec: spec, Acc: acc}, nil
}

func encodeOutcome(o whatif.Outcome) ([]byte, error) { return json.Marshal(o) }

func decodeOutcome(b []byte) (whatif.Outcome, error) {
	var o whatif.Outcome
	err := json.Unmarshal(b, &o)
	return o, err
}

// WhatIfCombineFn wraps whatif.Accumulator as a Beam CombineFn:
// CreateAccumulator is Replay.NewAccumulator, AddInput is
// Accumulator.AddOutcome, MergeAccumulators is Accumulator.Merge and
// ExtractOutput is Accumulator.Result as JSON.
type WhatIfCombineFn struct {
	Spec WhatIfSpec `json:"spec"`

	key string
	r   *whatif.Replay
}

// Setup compiles the policies once per worker.
func (fn *WhatIfCombineFn) Setup() error {
	fn.key = fn.Spec.key()
	var err error
	fn.r, err = replayFor(fn.key)
	return err
}

// CreateAccumulator returns an empty accumulator.
func (fn *WhatIfCombineFn) CreateAccumulator() *WhatIfAccum {
	return &WhatIfAccum{Spec: fn.key, Acc: fn.r.NewAccumulator()}
}

// AddInput counts one evaluated ticket.
func (fn *WhatIfCombineFn) AddInput(a *WhatIfAccum, o whatif.Outcome) *WhatIfAccum {
	a.Acc.AddOutcome(&o)
	return a
}

// MergeAccumulators merges b into a.
func (fn *WhatIfCombineFn) MergeAccumulators(a, b *WhatIfAccum) (*WhatIfAccum, error) {
	if err := a.Acc.Merge(b.Acc); err != nil {
		return nil, err
	}
	return a, nil
}

// ExtractOutput returns the per-priority differences as JSON (whatif.Result).
func (fn *WhatIfCombineFn) ExtractOutput(a *WhatIfAccum) (string, error) {
	b, err := json.Marshal(a.Acc.Result())
	return string(b), err
}

// WhatIfPipeline adds the what-if part: read NDJSON ticket histories from the
// input glob, evaluate each under both sides, combine into one
// whatif.Result, write it as one JSON line to out.
func WhatIfPipeline(s beam.Scope, spec WhatIfSpec, input, out string) {
	s = s.Scope("whatif")
	lines := readLines(s, input)
	outcomes := beam.ParDo(s, &evaluateFn{Spec: spec}, lines)
	result := beam.Combine(s, &WhatIfCombineFn{Spec: spec}, outcomes)
	writeLines(s, out, result)
}

// WhatIfInProcess computes the same result in one process: whatif.ReadNDJSON
// and one accumulator.
func WhatIfInProcess(spec WhatIfSpec, input string) (*whatif.Result, error) {
	r, err := spec.Replay()
	if err != nil {
		return nil, err
	}
	f, err := os.Open(input)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	acc := r.NewAccumulator()
	if err := whatif.ReadNDJSON(f, func(t *whatif.Ticket) error { acc.Add(t); return nil }); err != nil {
		return nil, err
	}
	return acc.Result(), nil
}
