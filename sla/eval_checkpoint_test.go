package sla

import (
	"encoding/json"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestEvaluateIncrementalState: evaluating a timeline in pieces, each
// resuming from the checkpoint the previous one saved, gives the report a
// full evaluation gives and saves the very state it saves, on the random
// cases of the shortcut property (policy switches, observed entries, UTC
// and sub-second instants included). A ticket carries that state from
// one change to the next, so a state that differs, even where no report
// shows it yet, makes a ticket differ from the same ticket replayed: a
// checkpoint taken before a timeline's first switch had counted time only
// on its metrics' own calendars, which a switch then needed on all.
func TestEvaluateIncrementalState(t *testing.T) {
	sets, switchAt := generalSets(t)
	rng := rand.New(rand.NewPCG(11, 12))
	n := 600
	if fullSize() {
		n = 6000
	}
	for i := range n {
		a, tl, now, opt := randomCase(rng, i, len(sets), switchAt)
		s := sets[i%len(sets)]
		var full Report
		var fullState Checkpoint
		errFull := s.EvaluateFrom(&full, nil, &fullState, a, tl, now, opt)
		var r Report
		var cp, state Checkpoint
		var err error
		for k := 0; k < len(tl) && err == nil; k++ {
			if rng.IntN(3) == 0 {
				err = s.EvaluateFrom(&r, &cp, &cp, a, tl[:k+1], tl[k].At, opt)
			}
		}
		if err == nil {
			err = s.EvaluateFrom(&r, &cp, &state, a, tl, now, opt)
		}
		if errFull != nil || err != nil {
			require.Equal(t, errFull != nil, err != nil, "case %d: full: %v, incremental: %v", i, errFull, err)
			continue
		}
		want, _ := json.Marshal(&full)
		got, _ := json.Marshal(&r)
		require.JSONEq(t, string(want), string(got), "case %d", i)
		require.Equal(t, fullState, state, "case %d: the saved state", i)
	}
}
