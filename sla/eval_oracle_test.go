package sla

import (
	"encoding/json"
	"math/rand"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEvaluateAgainstMinuteOracle checks resolution clocks (business and
// elapsed, with pauses) against a brute-force oracle that steps minute by
// minute through random timelines.
func TestEvaluateAgainstMinuteOracle(t *testing.T) {
	rng := rand.New(rand.NewSource(3))
	cal := officeCalendar(t, "office")
	states := []string{"triaged", "in_progress", "waiting_customer", "waiting_third_party", "resolved"}
	for _, unit := range []string{"business", "elapsed"} {
		tgt := `{"unit":"elapsed","duration":"20h"}`
		if unit == "business" {
			tgt = `{"unit":"business","duration":"10h","calendar":"office"}`
		}
		s := compileT(t, `{"policies":[{"name":"p","metrics":[{"kind":"resolution","targets":{"*":`+tgt+`},
		  "pause_in":["waiting_customer","waiting_third_party"],"warnings":[{"name":"half","percent":50}]}]}]}`)
		T := 20 * time.Hour
		if unit == "business" {
			T = 10 * time.Hour
		}
		for n := 0; n < 150; n++ {
			open := mar(4, 0, 0).Add(time.Duration(rng.Intn(7*24*60)) * time.Minute)
			tl := []Entry{st(open, "received")}
			at := open
			for i := rng.Intn(8); i > 0; i-- {
				at = at.Add(time.Duration(1+rng.Intn(12*60)) * time.Minute)
				tl = append(tl, st(at, states[rng.Intn(len(states))]))
			}
			now := at.Add(time.Duration(rng.Intn(3*24*60)) * time.Minute)

			// Oracle.
			var counted time.Duration
			var breach, half, stop time.Time
			state, k := "", 0
			for m := open; m.Before(now) && stop.IsZero(); m = m.Add(time.Minute) {
				for k < len(tl) && !tl[k].At.After(m) {
					if tl[k].State == "resolved" && state != "resolved" && k > 0 {
						stop = m
					}
					state = tl[k].State
					k++
				}
				if !stop.IsZero() {
					break
				}
				paused := state == "waiting_customer" || state == "waiting_third_party"
				if !paused && (unit == "elapsed" || cal.IsOpen(m)) {
					counted += time.Minute
					if counted == T/2 {
						half = m.Add(time.Minute)
					}
					if counted == T {
						breach = m.Add(time.Minute)
					}
				}
			}
			if stop.IsZero() {
				for ; k < len(tl); k++ { // entries exactly at now
					if tl[k].State == "resolved" && state != "resolved" && k > 0 {
						stop = tl[k].At
						break
					}
					state = tl[k].State
				}
			}

			r, err := s.Evaluate(Attributes{}, tl, now, Options{})
			require.NoError(t, err)
			m := r.Metrics[0]
			js, _ := json.Marshal(tl)
			msg := unit + " " + string(js) + " now " + now.String()
			assert.Equal(t, counted, m.Elapsed, msg)
			switch {
			case !breach.IsZero() && (stop.IsZero() || stop.After(breach)):
				assert.Equal(t, Breached, m.Status, msg)
				assert.True(t, breach.Equal(m.BreachedAt), "%s: breach %v want %v", msg, m.BreachedAt, breach)
			case !stop.IsZero():
				assert.Equal(t, Met, m.Status, msg)
				assert.True(t, stop.Equal(m.Stopped), msg)
			default:
				assert.Contains(t, []Status{Running, Paused}, m.Status, msg)
			}
			if !half.IsZero() && (stop.IsZero() || !stop.Before(half)) {
				if assert.Len(t, m.Warnings, 1, msg) {
					assert.True(t, half.Equal(m.Warnings[0].At), "%s: warning %v want %v", msg, m.Warnings[0].At, half)
				}
			} else {
				assert.Empty(t, m.Warnings, msg)
			}
		}
	}
}

func TestReportJSON(t *testing.T) {
	s := compileT(t, benchDoc)
	r, err := s.Evaluate(Attributes{Kind: "complaint"}, benchTimeline(), mar(7, 11, 0), Options{})
	require.NoError(t, err)
	data, err := json.Marshal(r)
	require.NoError(t, err)
	for _, want := range []string{`"status":"breached"`, `"type":"escalated"`, `"unit":"business"`, `"kind":"periodic_update"`} {
		assert.Contains(t, string(data), want)
	}
}
