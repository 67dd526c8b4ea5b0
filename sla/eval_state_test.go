package sla

import (
	"fmt"
	"math/rand/v2"
	"testing"

	"github.com/stretchr/testify/require"
)

// TestStateIndex: the state table answers as the state map does, for the
// states, their prefixes and variants, and random names.
func TestStateIndex(t *testing.T) {
	rng := rand.New(rand.NewPCG(51, 52))
	envs := [][]string{DefaultStates()}
	for range 200 {
		var states []string
		seen := map[string]bool{}
		for range 1 + rng.IntN(64) {
			name := fmt.Sprintf("%c%d%s", 'a'+rng.IntN(3), rng.IntN(40), []string{"", "x", "_state", "ing"}[rng.IntN(4)])
			if !seen[name] {
				seen[name] = true
				states = append(states, name)
			}
		}
		envs = append(envs, states)
	}
	for _, states := range envs {
		env := testEnv(t)
		env.States = states
		s, err := ParsePolicySet([]byte(`{"policies":[{"name":"p","metrics":[{"kind":"custom","start":{"open":true},"stop":{"event":["done"]},"targets":{"*":{"unit":"elapsed","duration":"1h"}}}]}]}`), env)
		if err != nil {
			t.Fatal(err)
		}
		probe := []string{"", "x", "received ", "Received"}
		for _, st := range states {
			probe = append(probe, st, st[:len(st)-1], st+"x", "x"+st[1:])
		}
		for range 200 {
			probe = append(probe, fmt.Sprintf("%c%d", 'a'+rng.IntN(4), rng.IntN(60)))
		}
		for _, name := range probe {
			want, wantOK := s.stateIdx[name]
			got, ok := s.stateIndex(name)
			if ok != wantOK || (ok && got != want) {
				t.Fatalf("%q in %v: got %d %v, want %d %v", name, states, got, ok, want, wantOK)
			}
		}
	}
}

// TestNameTab: a name table answers as a map of its names does, for its
// names, their variants and random names, whether its multiplier puts
// every name in the slot it hashes to or not (many names of one length,
// first, middle and last byte, which no multiplier tells apart).
func TestNameTab(t *testing.T) {
	// The default states and the events of the presets sit in their slots
	// (the entry check finds them at once).
	for _, names := range [][]string{DefaultStates(), {EventResponded, EventProgressUpdate, EventFollowedUp, EventCustomerMessage}} {
		var tab nameTab
		tab.build(names)
		for i, name := range names {
			require.Equal(t, nameSlot{name: name, v: int32(i)}, tab.slots[nameHash(name, tab.mul)])
		}
	}
	rng := rand.New(rand.NewPCG(53, 54))
	for i := range 300 {
		var names []string
		want := map[string]int{}
		for range rng.IntN(65) {
			name := fmt.Sprintf("%c%d%s", 'a'+rng.IntN(3), rng.IntN(40), []string{"", "x", "_event", "ing"}[rng.IntN(4)])
			if i%3 == 0 {
				name = fmt.Sprintf("a%02dz", rng.IntN(100)) // (collisions)
			}
			if _, ok := want[name]; !ok {
				want[name] = len(names)
				names = append(names, name)
			}
		}
		var tab nameTab
		tab.build(names)
		probe := []string{"", "x", "a00z"}
		for _, name := range names {
			probe = append(probe, name, name[:len(name)-1], name+"x", "x"+name[1:])
		}
		for range 100 {
			probe = append(probe, fmt.Sprintf("%c%d", 'a'+rng.IntN(4), rng.IntN(60)))
		}
		for _, name := range probe {
			w, wok := want[name]
			got, ok := tab.find(name)
			require.Equal(t, wok, ok, "%q in %v", name, names)
			if ok {
				require.Equal(t, w, got, "%q in %v", name, names)
			}
			if name != "" {
				got, ok = tab.probe(name)
				require.Equal(t, wok, ok, "%q in %v", name, names)
				if ok {
					require.Equal(t, w, got, "%q in %v", name, names)
				}
			}
		}
	}
}

// TestEqPrio: eqPrio is string equality, for priorities and other strings.
func TestEqPrio(t *testing.T) {
	names := []string{"", "P", "P0", "P1", "P9", "P10", "p1", "Q1", "1P", "*", "P0 ", "PP"}
	for _, a := range names {
		for _, b := range names {
			require.Equal(t, a == b, eqPrio(a, b), "%q %q", a, b)
		}
	}
}
