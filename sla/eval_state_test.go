package sla

import (
	"fmt"
	"math/rand/v2"
	"testing"
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
