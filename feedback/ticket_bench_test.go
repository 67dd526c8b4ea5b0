package feedback

import (
	"context"
	"encoding/json"
	"slices"
	"testing"
	"time"

	"github.com/closeloop/closeloop/sla"
	"github.com/qmuntal/stateless"
)

// closedLoop is one ticket's trip round the closed loop.
var closedLoop = []struct {
	trigger Trigger
	payload Payload
}{
	{TriggerTriage, Payload{Priority: "P1", Deadline: tkT0.Add(72 * time.Hour)}},
	{TriggerAssign, Payload{Team: "tech-support", Owner: "li.wei"}},
	{TriggerStart, Payload{}},
	{TriggerProgress, Payload{Node: "awaiting_inspection"}},
	{TriggerProgress, Payload{Node: "under_repair"}},
	{TriggerWaitThirdParty, Payload{Reason: "waiting for the part"}},
	{TriggerResume, Payload{}},
	{TriggerProgress, Payload{Node: "completed"}},
	{TriggerResolve, Payload{Note: "replaced the compressor"}},
	{TriggerFollowUp, Payload{}},
	{TriggerRecordFollowUp, Payload{FollowUp: &FollowUp{Resolved: true, Score: 5}}},
	{TriggerClose, Payload{}},
}

func runLoop(r *Rules, id string) (*Ticket, error) {
	tk, _, err := r.Open(Opening{ID: id, At: tkT0, Actor: "agent-7"})
	if err != nil {
		return nil, err
	}
	at := tkT0
	for _, s := range closedLoop {
		at = at.Add(time.Minute)
		if _, err := r.Fire(tk, Change{Trigger: s.trigger, Version: tk.Version, At: at, Actor: "agent-7", Payload: s.payload}); err != nil {
			return nil, err
		}
	}
	return tk, nil
}

// BenchmarkLifecycle takes one ticket from received to closed (13 events,
// history included).
func BenchmarkLifecycle(b *testing.B) {
	r := testRules(b)
	b.ReportAllocs()
	for b.Loop() {
		if _, err := runLoop(r, "F1"); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkFire is one accepted change (a note) on a ticket.
func BenchmarkFire(b *testing.B) {
	r := testRules(b)
	tk, err := runLoop(r, "F1")
	if err != nil {
		b.Fatal(err)
	}
	tk.State = StateFollowUp // a state that takes notes
	tk.History = tk.History[:len(tk.History)-1]
	tk.Version--
	hist := tk.History
	version := tk.Version
	at := tkT0.Add(time.Hour)
	b.ReportAllocs()
	for b.Loop() {
		tk.History, tk.Version = hist, version
		if _, err := r.Fire(tk, Change{Trigger: TriggerNote, Version: tk.Version, At: at, Actor: "a", Payload: Payload{Note: "n"}}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkOpen opens a ticket: under the plain lifecycle rules (the
// setup BenchmarkFire uses) and under the documents' preset rules (which
// also match an SLA policy and evaluate its clocks once).
func BenchmarkOpen(b *testing.B) {
	r := testRules(b)
	b.Run("rules=plain", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, _, err := r.Open(Opening{ID: "F1", At: tkT0, Actor: "agent-7"}); err != nil {
				b.Fatal(err)
			}
		}
	})
	preset, err := PresetRules()
	if err != nil {
		b.Fatal(err)
	}
	b.Run("rules=preset", func(b *testing.B) {
		attrs := map[string]string{"kind": "complaint"}
		b.ReportAllocs()
		for b.Loop() {
			if _, _, err := preset.Open(Opening{ID: "F1", At: tkT0, Actor: "a", Category: "product_fault", Attributes: attrs}); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkStatelessFire is the baseline: a raw stateless machine with
// external storage firing one guarded transition, as the lifecycle does.
func BenchmarkStatelessFire(b *testing.B) {
	var state stateless.State = 0
	sm := stateless.NewStateMachineWithExternalStorage(
		func(context.Context) (stateless.State, error) { return state, nil },
		func(_ context.Context, s stateless.State) error { state = s; return nil },
		stateless.FiringImmediate)
	ok := func(context.Context, ...any) bool { return true }
	sm.Configure(0).Permit(1, 1, ok)
	sm.Configure(1).Permit(1, 0, ok)
	ctx := context.Background()
	b.ReportAllocs()
	for b.Loop() {
		if err := sm.FireCtx(ctx, 1); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSnapshotRoundTrip encodes a closed ticket (13 events) and decodes it.
func BenchmarkSnapshotRoundTrip(b *testing.B) {
	r := testRules(b)
	tk, err := runLoop(r, "F1")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		data, err := MarshalSnapshot(tk)
		if err != nil {
			b.Fatal(err)
		}
		if _, err := ParseSnapshot(data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkRestore decodes a snapshot and verifies it by replaying its history.
func BenchmarkRestore(b *testing.B) {
	r := testRules(b)
	tk, err := runLoop(r, "F1")
	if err != nil {
		b.Fatal(err)
	}
	data, err := MarshalSnapshot(tk)
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := r.Restore(data); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkStatelessMachinePerTicket is the alternative the shared machine
// avoids: configuring the default lifecycle's stateless machine afresh for
// each ticket (what a design that keeps per-ticket data in the machine pays).
func BenchmarkStatelessMachinePerTicket(b *testing.B) {
	r := testRules(b)
	b.ReportAllocs()
	for b.Loop() {
		_ = r.lifecycle.newMachine()
	}
}

// BenchmarkLifecyclePreset is BenchmarkLifecycle on the documents' preset:
// triage scores the priority, assign routes, and every change evaluates the
// SLA policies to schedule the next check.
func BenchmarkLifecyclePreset(b *testing.B) {
	r, err := PresetRules()
	if err != nil {
		b.Fatal(err)
	}
	steps := slices.Clone(closedLoop)
	steps[0].payload = Payload{PriorityInput: &PriorityInput{Affected: 500, Urgency: 3, Severity: 2}}
	steps[1].payload = Payload{}
	b.ReportAllocs()
	for b.Loop() {
		tk, _, err := r.Open(Opening{ID: "F1", At: tkT0, Actor: "a", Category: "product_fault", Attributes: map[string]string{"kind": "complaint"}})
		if err != nil {
			b.Fatal(err)
		}
		at := tkT0
		for _, s := range steps {
			at = at.Add(time.Minute)
			if _, err := r.Fire(tk, Change{Trigger: s.trigger, Version: tk.Version, At: at, Actor: "a", Payload: s.payload}); err != nil {
				b.Fatal(err)
			}
		}
	}
}

// BenchmarkFirePresetRules is one change (a note) on a ticket under the
// documents' preset rules whose history already has events events: the
// ticket carries its evaluated SLA state, so the cost does not grow with
// the history.
func BenchmarkFirePresetRules(b *testing.B) {
	r, err := PresetRules()
	if err != nil {
		b.Fatal(err)
	}
	for _, events := range []int{10, 100} {
		b.Run("events="+itoa(events), func(b *testing.B) {
			tk, _, err := r.Open(Opening{ID: "F1", At: tkT0, Actor: "a", Category: "product_fault", Attributes: map[string]string{"kind": "complaint"}})
			if err != nil {
				b.Fatal(err)
			}
			at := tkT0
			fire := func(trig Trigger, p Payload) {
				at = at.Add(time.Minute)
				if _, err := r.Fire(tk, Change{Trigger: trig, Version: tk.Version, At: at, Actor: "a", Payload: p}); err != nil {
					b.Fatal(err)
				}
			}
			fire(TriggerTriage, Payload{Priority: "P2"})
			fire(TriggerAssign, Payload{Team: "service"})
			fire(TriggerStart, Payload{})
			for len(tk.History) < events {
				fire(TriggerNote, Payload{Note: "called the customer"})
			}
			// Each iteration starts from the same ticket: the history gets
			// one spare slot, and the SLA state is restored by copying only
			// what a change overwrites, so the reset costs nothing per event.
			n := len(tk.History)
			hist := append(tk.History[:n:n], Event{})[:n]
			base, version, memo := *tk, tk.Version, tk.sla.clone()
			memo.timeline = append(memo.timeline, make([]sla.Entry, 8)...)[:len(memo.timeline)]
			work := memo.clone()
			work.timeline = slices.Grow(work.timeline, 8)
			b.ReportAllocs()
			b.ResetTimer()
			for b.Loop() {
				*tk = base
				tk.History, tk.Version = hist, version
				work.events, work.tl, work.timeline = memo.events, memo.tl, work.timeline[:len(memo.timeline)]
				memo.cp.CopyTo(&work.cp)
				tk.sla = work
				if _, err := r.Fire(tk, Change{Trigger: TriggerNote, Version: version, At: at.Add(time.Minute), Actor: "a", Payload: Payload{Note: "n"}}); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// BenchmarkReplay rebuilds a closed ticket (13 events) from its history,
// under rules without SLA policies and under the documents' preset (which
// also rebuilds the ticket's SLA state: one evaluation).
func BenchmarkReplay(b *testing.B) {
	r := testRules(b)
	tk, err := runLoop(r, "F1")
	if err != nil {
		b.Fatal(err)
	}
	b.Run("rules=plain", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := r.Replay(tk.History); err != nil {
				b.Fatal(err)
			}
		}
	})
	preset, err := PresetRules()
	if err != nil {
		b.Fatal(err)
	}
	b.Run("rules=preset", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := preset.Replay(tk.History); err != nil {
				b.Fatal(err)
			}
		}
	})
}

// BenchmarkSnapshotRoundTripEncodingJSON is BenchmarkSnapshotRoundTrip's
// baseline: the same closed ticket through a plain encoding/json Marshal
// and Unmarshal, with none of ParseSnapshot's checks.
func BenchmarkSnapshotRoundTripEncodingJSON(b *testing.B) {
	r := testRules(b)
	tk, err := runLoop(r, "F1")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for b.Loop() {
		data, err := json.Marshal(tk)
		if err != nil {
			b.Fatal(err)
		}
		var back Ticket
		if err := json.Unmarshal(data, &back); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkSnapshotCodec splits BenchmarkSnapshotRoundTrip into its
// halves, each beside encoding/json doing the same half of the same
// closed ticket (13 events).
func BenchmarkSnapshotCodec(b *testing.B) {
	r := testRules(b)
	tk, err := runLoop(r, "F1")
	if err != nil {
		b.Fatal(err)
	}
	data, err := MarshalSnapshot(tk)
	if err != nil {
		b.Fatal(err)
	}
	b.Run("op=marshal", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := MarshalSnapshot(tk); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("op=marshal/encoding_json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := json.Marshal(tk); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("op=parse", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := ParseSnapshot(data); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("op=parse/encoding_json", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			var back Ticket
			if err := json.Unmarshal(data, &back); err != nil {
				b.Fatal(err)
			}
		}
	})
}
