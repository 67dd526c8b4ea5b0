package feedback

import (
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// The hot paths' shortcuts answer exactly as what they replace.

func TestNameIndexAgreesWithMaps(t *testing.T) {
	spec, err := DefaultLifecycle().Extend(LifecycleExtension{
		States:      []StateSpec{{Name: "awaiting_parts"}, {Name: "a"}, {Name: "ab"}},
		Transitions: []TransitionSpec{{From: []State{StateInProgress}, Trigger: "wait_parts", To: "awaiting_parts"}, {From: []State{"awaiting_parts"}, Trigger: "parts_in", To: "a"}, {From: []State{"a"}, Trigger: "x", To: "ab"}, {From: []State{"ab"}, Trigger: "y", To: StateInProgress}},
	})
	require.NoError(t, err)
	for _, s := range []LifecycleSpec{DefaultLifecycle(), spec} {
		lc, err := NewLifecycle(s)
		require.NoError(t, err)
		probes := []string{"", "x", "nowhere", "receivedx", "Received", "follow_up ", "open"}
		for _, st := range lc.States() {
			probes = append(probes, string(st), strings.Clone(string(st)), string(st)+"_", string(st[:len(st)-1]))
		}
		for _, tr := range lc.Triggers() {
			probes = append(probes, string(tr), strings.Clone(string(tr)), "_"+string(tr))
		}
		for _, p := range probes {
			i, ok := lc.stateNames.lookup(State(p))
			j, ok2 := lc.stateIndex[State(p)]
			require.Equal(t, ok2, ok, "state %q", p)
			require.Equal(t, j, i, "state %q", p)
			i, ok = lc.triggerNames.lookup(Trigger(p))
			j, ok2 = lc.triggerIdx[Trigger(p)]
			require.Equal(t, ok2, ok, "trigger %q", p)
			require.Equal(t, j, i, "trigger %q", p)
		}
	}
	var empty nameIndex[State] = newNameIndex[State](nil)
	_, ok := empty.lookup("x")
	require.False(t, ok)
}

// TestTriggerKinds: a lifecycle's triggers have the kinds of their names,
// and a host's own trigger is kindOther.
func TestTriggerKinds(t *testing.T) {
	spec, err := DefaultLifecycle().Extend(LifecycleExtension{
		States:      []StateSpec{{Name: "awaiting_parts"}},
		Transitions: []TransitionSpec{{From: []State{StateInProgress}, Trigger: "wait_parts", To: "awaiting_parts"}, {From: []State{"awaiting_parts"}, Trigger: TriggerResume, To: StateInProgress}},
	})
	require.NoError(t, err)
	lc, err := NewLifecycle(spec)
	require.NoError(t, err)
	require.Len(t, lc.kinds, len(lc.triggers))
	for i, tr := range lc.triggers {
		require.Equal(t, triggerKinds[tr], lc.kinds[i], "trigger %q", tr)
	}
	i, ok := lc.triggerNames.lookup("wait_parts")
	require.True(t, ok)
	require.Equal(t, kindOther, lc.kinds[i])
	i, ok = lc.triggerNames.lookup(TriggerProgress)
	require.True(t, ok)
	require.Equal(t, kindProgress, lc.kinds[i])
}

// TestLeadsAgreesWithTable holds leads, which scans a state's edges, to
// the transitions table found by the trigger's index, for every state,
// trigger and destination of two lifecycles, and for names that are no
// trigger or state (some with a lifecycle name's nameKey).
func TestLeadsAgreesWithTable(t *testing.T) {
	spec, err := DefaultLifecycle().Extend(LifecycleExtension{
		States:      []StateSpec{{Name: "awaiting_parts"}},
		Transitions: []TransitionSpec{{From: []State{StateInProgress, StateEscalated}, Trigger: "wait_parts", To: "awaiting_parts"}, {From: []State{"awaiting_parts"}, Trigger: TriggerResume, To: StateInProgress}, {From: []State{"awaiting_parts"}, Trigger: "wait_xarts"}},
	})
	require.NoError(t, err)
	for _, s := range []LifecycleSpec{DefaultLifecycle(), spec} {
		lc, err := NewLifecycle(s)
		require.NoError(t, err)
		triggers := []Trigger{"", "x", TriggerOpen, "triagex", "trxage", "wait_paxts"}
		for _, tr := range lc.triggers {
			triggers = append(triggers, tr, Trigger(strings.Clone(string(tr))))
		}
		states := append([]State{"", "nowhere", "closex", "clxsed"}, lc.States()...)
		for from := range lc.states {
			for _, trig := range triggers {
				for _, to := range states {
					wantTo, wantKind, wantOK := 0, kindOther, false
					if tr, ok := lc.triggerNames.lookup(trig); ok {
						for _, ct := range lc.transitionsFrom(from, tr) {
							if lc.states[ct.to].spec.Name == to {
								wantTo, wantKind, wantOK = ct.to, lc.kinds[tr], true
								break
							}
						}
					}
					gotTo, gotKind, gotOK := lc.leads(from, trig, to)
					require.Equal(t, wantOK, gotOK, "%s -[%s]-> %s", lc.states[from].spec.Name, trig, to)
					if wantOK {
						require.Equal(t, wantTo, gotTo, "%s -[%s]-> %s", lc.states[from].spec.Name, trig, to)
						require.Equal(t, wantKind, gotKind, "%s -[%s]-> %s", lc.states[from].spec.Name, trig, to)
					}
				}
			}
		}
	}
}

func TestInstantOKBounds(t *testing.T) {
	old := func(x time.Time) bool { return !x.Before(minInstant) && !x.After(maxInstant) }
	east := time.FixedZone("east", 14*3600)
	for _, x := range []time.Time{
		{}, minInstant, minInstant.Add(-1), minInstant.Add(1), maxInstant, maxInstant.Add(1), maxInstant.Add(-1),
		maxInstant.Add(time.Second), minInstant.Add(-time.Second), tkT0, tkT0.In(east), maxInstant.In(east), minInstant.In(east),
		time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(0, 12, 31, 23, 59, 59, 999999999, time.UTC),
		time.Unix(1<<62, 0), time.Unix(-1<<62, 0),
	} {
		require.Equal(t, old(x), instantOK(x), "%v", x)
	}
}

func TestBlank(t *testing.T) {
	for _, s := range []string{"", " ", "\t\n", "a", " a", "a ", "\u00a0", "\u00a0x", "\u3000", "é", "\x7f", "!", "\x85", "\xff"} {
		require.Equal(t, strings.TrimSpace(s) == "", blank(s), "%q", s)
	}
}
