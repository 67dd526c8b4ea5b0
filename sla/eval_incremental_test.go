package sla

import (
	"encoding/json"
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// featuresDoc uses next replies, pause limits with chases and closes,
// escalations after the deadline and an internal target.
const featuresDoc = `{"default_calendar":"office","policies":[{"name":"f","metrics":[
  {"kind":"next_reply","targets":{"*":{"unit":"business","duration":"2h"}},"warnings":[{"name":"w","percent":50}]},
  {"kind":"resolution","targets":{"P0":{"unit":"elapsed","duration":"8h"},"*":{"unit":"working_days","days":2}},
   "pause_in":["waiting_customer","waiting_third_party"],
   "pause_limits":[{"state":"waiting_customer","max":{"unit":"business","duration":"3h"},"chase_after":{"unit":"elapsed","duration":"1h"},
                    "auto_close_after":{"unit":"working_days","days":2}},
                   {"state":"waiting_third_party","chase_after":{"unit":"elapsed","duration":"30m"}}],
   "escalations":[{"name":"lead","percent":100},{"name":"director","after_deadline":{"unit":"business","duration":"2h"}}]},
  {"name":"report","kind":"custom","internal":true,"team":"quality","start":{"event":["other"]},"stop":{"event":["completed"]},
   "targets":{"*":{"unit":"elapsed","duration":"24h"}}}]}]}`

// incrementalSets are the policy sets the incremental property runs on.
func incrementalSets(t testing.TB) []*PolicySet {
	env := testEnv(t)
	env.TerminalStates = []string{"closed", "merged", "rejected"}
	var sets []*PolicySet
	for _, name := range PresetNames() {
		s, err := Preset(name, env)
		require.NoError(t, err)
		sets = append(sets, s)
	}
	for _, doc := range []string{benchDoc, resolutionDoc, featuresDoc} {
		s, err := ParsePolicySet([]byte(doc), env)
		require.NoError(t, err)
		sets = append(sets, s)
	}
	return sets
}

// checkIncremental evaluates tl from scratch and again in pieces, each
// piece resuming from the checkpoint the previous one saved, and requires
// identical reports (compared as JSON: instants and durations exactly).
func checkIncremental(t *testing.T, s *PolicySet, a Attributes, tl []Entry, now time.Time, cuts []int, opt Options) {
	t.Helper()
	var full Report
	errFull := s.EvaluateInto(&full, a, tl, now, opt)
	var cp Checkpoint
	var r Report
	var err error
	for _, k := range cuts {
		if k > len(tl) {
			continue
		}
		at := now
		if k > 0 && k < len(tl) {
			at = tl[k-1].At
		}
		if err = s.EvaluateFrom(&r, &cp, &cp, a, tl[:k], at, opt); err != nil {
			break
		}
	}
	if err == nil {
		err = s.EvaluateFrom(&r, &cp, nil, a, tl, now, opt)
	}
	if errFull != nil || err != nil {
		require.Equal(t, errFull != nil, err != nil, "full: %v, incremental: %v", errFull, err)
		return
	}
	want, _ := json.Marshal(&full)
	got, _ := json.Marshal(&r)
	require.JSONEq(t, string(want), string(got), "cuts %v", cuts)
}

// TestEvaluateIncremental: resuming from checkpoints gives exactly the
// report a full evaluation gives, on random timelines and cut points.
func TestEvaluateIncremental(t *testing.T) {
	sets := incrementalSets(t)
	rng := rand.New(rand.NewPCG(5, 6))
	n := 3000
	if !fullSize() {
		n = 300
	}
	for i := range n {
		data := make([]byte, 2+4*(1+rng.IntN(40))+2)
		for j := range data {
			data[j] = byte(rng.Uint32())
		}
		a, tl, now := fuzzTimeline(data, DefaultStates())
		var cuts []int
		for k := 0; k <= len(tl); k++ {
			if rng.IntN(3) == 0 {
				cuts = append(cuts, k)
			}
		}
		opt := Options{}
		if i%3 == 0 {
			opt.Calendar = "business"
		}
		checkIncremental(t, sets[i%len(sets)], a, tl, now, cuts, opt)
	}
}

func FuzzEvaluateIncremental(f *testing.F) {
	f.Add([]byte{0, 1, 0, 0, 0, 0, 1, 60, 0, 0, 0, 30, 0, 3, 0, 0, 0, 7, 1, 0, 0, 0, 0}, uint64(0b1011))
	f.Add([]byte{0x80, 2, 0, 0, 0, 0, 0, 20, 0, 1, 1, 30, 0, 1, 0, 100, 0, 4, 0, 200, 5, 5, 3, 10, 0, 2, 2, 5, 0, 0}, uint64(0xff))
	sets := incrementalSets(f)
	f.Fuzz(func(t *testing.T, data []byte, cutBits uint64) {
		a, tl, now := fuzzTimeline(data, DefaultStates())
		var cuts []int
		for k := 0; k <= len(tl) && k < 64; k++ {
			if cutBits&(1<<uint(k)) != 0 {
				cuts = append(cuts, k)
			}
		}
		for _, s := range sets {
			checkIncremental(t, s, a, tl, now, cuts, Options{})
		}
	})
}

// BenchmarkEvaluateIncremental is the cost of evaluating a 20-entry
// timeline that grew by one entry since the last checkpoint.
func BenchmarkEvaluateIncremental(b *testing.B) {
	s := compileT(b, benchDoc)
	tl := benchTimeline()
	now := mar(7, 11, 0)
	var cp Checkpoint
	var r Report
	if err := s.EvaluateFrom(&r, nil, &cp, Attributes{Kind: "complaint"}, tl[:len(tl)-1], tl[len(tl)-2].At, Options{}); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := s.EvaluateFrom(&r, &cp, nil, Attributes{Kind: "complaint"}, tl, now, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}
