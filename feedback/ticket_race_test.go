package feedback

import (
	"fmt"
	"sync"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestConcurrentTickets drives many tickets at once through one shared Rules
// value (and so one shared stateless machine). Run with -race. Every ticket
// must end exactly as the same changes give when applied alone.
func TestConcurrentTickets(t *testing.T) {
	r := testRules(t)
	want, err := runLoop(r, "F0")
	require.NoError(t, err)
	const workers, perWorker = 8, 40
	var wg sync.WaitGroup
	errs := make(chan error, workers)
	results := make([][]*Ticket, workers)
	for w := range workers {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range perWorker {
				id := fmt.Sprintf("F%d-%d", w, i)
				var tk *Ticket
				var err error
				if i%2 == 0 {
					tk, err = runLoop(r, id)
				} else {
					tk, err = reopenLoop(r, id)
				}
				if err != nil {
					errs <- err
					return
				}
				results[w] = append(results[w], tk)
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
	wantReopened, err := reopenLoop(r, "F0")
	require.NoError(t, err)
	for w, list := range results {
		require.Len(t, list, perWorker)
		for i, tk := range list {
			exp := want
			if i%2 == 1 {
				exp = wantReopened
			}
			exp = exp.Clone()
			relabel(exp, tk.ID)
			assert.Equal(t, exp, tk, "worker %d ticket %d", w, i)
		}
	}
}

// relabel gives a ticket (and its opening event) another ID.
func relabel(tk *Ticket, id string) {
	tk.ID = id
	tk.History[0].Payload.Opening.ID = id
}

// reopenLoop closes a ticket after one reopening, with a refused change on
// the way (which must not disturb anything).
func reopenLoop(r *Rules, id string) (*Ticket, error) {
	tk, _, err := r.Open(Opening{ID: id, At: tkT0, Actor: "agent-7"})
	if err != nil {
		return nil, err
	}
	at := tkT0
	fire := func(trig Trigger, p Payload) error {
		at = at.Add(time.Minute)
		_, err := r.Fire(tk, Change{Trigger: trig, Version: tk.Version, At: at, Actor: "agent-7", Payload: p})
		return err
	}
	steps := []struct {
		trig Trigger
		p    Payload
	}{
		{TriggerTriage, Payload{Priority: "P2"}}, {TriggerAssign, Payload{Team: "service"}}, {TriggerStart, Payload{}},
		{TriggerResolve, Payload{Note: "fixed"}}, {TriggerFollowUp, Payload{}},
		{TriggerRecordFollowUp, Payload{FollowUp: &FollowUp{Resolved: true, Score: 2}}},
		{TriggerTriage, Payload{Priority: "P1"}}, {TriggerAssign, Payload{Team: "tech-support"}}, {TriggerStart, Payload{}},
		{TriggerResolve, Payload{Note: "fixed again"}}, {TriggerFollowUp, Payload{}},
	}
	for _, s := range steps {
		if err := fire(s.trig, s.p); err != nil {
			return nil, err
		}
	}
	if err := fire(TriggerClose, Payload{}); err == nil {
		return nil, fmt.Errorf("closed without a follow-up")
	}
	if err := fire(TriggerRecordFollowUp, Payload{FollowUp: &FollowUp{Resolved: true, Score: 4}}); err != nil {
		return nil, err
	}
	if err := fire(TriggerClose, Payload{}); err != nil {
		return nil, err
	}
	return tk, nil
}

// BenchmarkLifecycleParallel runs BenchmarkLifecycle's loop on all cores
// against one shared Rules value.
func BenchmarkLifecycleParallel(b *testing.B) {
	r := testRules(b)
	b.ReportAllocs()
	b.RunParallel(func(pb *testing.PB) {
		for pb.Next() {
			if _, err := runLoop(r, "F1"); err != nil {
				b.Error(err)
				return
			}
		}
	})
}
