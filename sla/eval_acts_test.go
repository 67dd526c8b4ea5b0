package sla

import (
	"slices"
	"testing"

	"github.com/stretchr/testify/require"
)

// actsDoc has metrics with every kind of trigger: open, reopen, states
// entered and left (overlapping lists), events, reset, pause and resume.
const actsDoc = `{"default_calendar":"office","policies":[{"name":"t","metrics":[
  {"name":"c","kind":"custom","targets":{"*":{"unit":"elapsed","duration":"4h"}},
   "start":{"open":true,"enter":["triaged","assigned"],"event":["customer_message"]},
   "stop":{"leave":["assigned","in_progress"],"event":["responded","completed"],"reopen":true},
   "reset":{"enter":["escalated"],"leave":["triaged"],"event":["nudge"],"reopen":true},
   "pause":{"enter":["waiting_customer"],"event":["hold"]},
   "resume":{"leave":["waiting_customer","waiting_third_party"],"event":["unhold"],"open":true}},
  {"name":"u","kind":"periodic_update","targets":{"*":{"unit":"elapsed","duration":"2h"}},
   "met_by":{"event":["progress_update","responded"],"enter":["in_progress"]},"on_reopen":"keep"},
  {"kind":"resolution","targets":{"*":{"unit":"business","duration":"8h"}},"pause_in":["waiting_customer"]}]}]}`

// actsRef is what entry st does to metric m, asked of each trigger the
// way apply asked before compileActions (the reference for sim.acts).
func actsRef(s *PolicySet, m *metric, st *step) uint8 {
	fires := func(t *trigger) bool {
		if st.ev >= 0 {
			return t.evBits&(1<<uint(st.ev)) != 0
		}
		if t.open && st.first {
			return true
		}
		switch st.e.Kind {
		case EntryEvent:
			if slices.Contains(t.events, st.e.Event) {
				return true
			}
		case EntryReopen:
			if t.reopen {
				return true
			}
		}
		if st.stateChanged {
			if t.enter&st.cb != 0 && t.enter&st.pb == 0 {
				return true
			}
			if t.leave&st.pb != 0 && t.leave&st.cb == 0 {
				return true
			}
		}
		return false
	}
	var a uint8
	if fires(&m.start) {
		a |= actStart
	}
	if fires(&m.stop) {
		a |= actStop
	}
	if m.hasReset && fires(&m.reset) {
		a |= actReset
	}
	if m.hasPause && fires(&m.pause) {
		a |= actPause
	}
	if m.hasPause && fires(&m.resume) {
		a |= actResume
	}
	if m.kind == PeriodicUpdate && fires(&m.metBy) {
		a |= actMetBy
	}
	if st.stateChanged && s.terminal&st.cb != 0 {
		a |= actEnd
	}
	return a
}

// TestActsTables compares the compiled tables of actions with the triggers
// for every metric of the test sets and every kind of entry: each state
// move, each event (numbered, or by name), the first entry and reopens.
func TestActsTables(t *testing.T) {
	env := testEnv(t)
	env.TerminalStates = []string{"closed", "merged", "rejected"}
	sets := incrementalSets(t)
	s, err := ParsePolicySet([]byte(actsDoc), env)
	require.NoError(t, err)
	sets = append(sets, s)
	n := 0
	for _, s := range sets {
		events := append(slices.Clone(s.events), "unknown_event")
		for _, p := range s.policies {
			for i := range p.metrics {
				m := &p.metrics[i]
				x := &sim{simCore: simCore{set: s, m: m}}
				check := func(st *step) {
					st.pb, st.cb = bit(st.prev), bit(st.cur)
					st.stateChanged = st.cur != st.prev
					require.Equal(t, actsRef(s, m, st), x.acts(st), "%s/%s: entry %+v, step %+v", p.name, m.name, *st.e, *st)
					n++
				}
				for _, first := range []bool{false, true} {
					for prev := -1; prev < len(s.states); prev++ {
						for cur := -1; cur < len(s.states); cur++ {
							if cur < 0 && prev >= 0 {
								continue // (a ticket keeps a state once it has one)
							}
							name := ""
							if cur >= 0 {
								name = s.states[cur]
							}
							for _, kind := range []EntryKind{EntryState, EntryReopen} {
								e := Entry{Kind: kind, State: name}
								check(&step{e: &e, first: first, prev: prev, cur: cur, ev: -1})
							}
						}
						for id, name := range events {
							e := Entry{Kind: EntryEvent, Event: name}
							check(&step{e: &e, first: first, prev: prev, cur: prev, ev: -1})
							if id < len(s.events) && !first {
								check(&step{e: &e, prev: prev, cur: prev, ev: id})
							}
						}
						// (Kinds that leave the state as it is: acts looks them
						// up in the table of state changes, past the first entry.)
						for _, e := range []Entry{{Kind: EntryPriority, Priority: "P1"}, {Kind: EntryDeadline}, {Kind: EntryObserved}, {Kind: EntryPolicy}} {
							check(&step{e: &e, first: first, prev: prev, cur: prev, ev: -1})
						}
					}
				}
			}
		}
	}
	require.Greater(t, n, 10000)
}
