package sla

import (
	"encoding/binary"
	"testing"
	"time"
)

func FuzzPolicyJSON(f *testing.F) {
	for _, name := range PresetNames() {
		data, err := PresetJSON(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(data)
	}
	f.Add([]byte(resolutionDoc))
	f.Add([]byte(orderedDoc))
	f.Add([]byte(benchDoc))
	f.Add([]byte(`{"policies":[{"name":"p","metrics":[{"kind":"custom","start":{"open":true},"stop":{"leave":["received"]},"pause":{"event":["a"]},"resume":{"event":["b"]},"reset":{"reopen":true},"targets":{"*":{"unit":"elapsed","duration":"1h"}},"warnings":[{"name":"w","after":{"unit":"elapsed","duration":"30m"}}]}]}]}`))
	f.Add([]byte(`{"policies":[{"name":"p","metrics":[{"kind":"resolution","targets":{"P1":{"unit":"elapsed","duration":"0s"}}}]}]}`))
	f.Add([]byte(`{"policies":[`))
	env := testEnv(f)
	tl := benchTimeline()
	f.Fuzz(func(t *testing.T, data []byte) {
		s, err := ParsePolicySet(data, env)
		if err != nil {
			if s != nil {
				t.Fatal("set returned with an error")
			}
			return
		}
		var r Report
		for _, a := range []Attributes{{}, {Kind: "complaint", Priority: "P0", Tags: []string{"major_demand"}}, {Kind: "suggestion", Priority: "P3"}} {
			if err := s.EvaluateInto(&r, a, tl, mar(20, 9, 0), Options{}); err == nil {
				checkReport(t, &r)
			}
		}
	})
}

// fuzzTimeline decodes a timeline and attributes from bytes: the first two
// bytes choose the attributes, then each group of four bytes is one entry
// (kind, minutes since the previous entry as uint16, argument).
func fuzzTimeline(data []byte, states []string) (Attributes, []Entry, time.Time) {
	kinds := []string{"complaint", "suggestion", "inquiry", ""}
	prios := []string{"P0", "P1", "P2", "P3", ""}
	events := []string{EventResponded, EventProgressUpdate, EventFollowedUp, "second_visit", "awaiting_inspection", "under_repair", "completed", "other", EventCustomerMessage}
	var a Attributes
	if len(data) >= 2 {
		a.Kind = kinds[int(data[0])%len(kinds)]
		a.Priority = prios[int(data[1])%len(prios)]
		if data[0]&0x80 != 0 {
			a.Tags = []string{"major_demand"}
		}
		data = data[2:]
	}
	t := mar(4, 8, 0)
	var tl []Entry
	for len(data) >= 4 && len(tl) < 64 {
		t = t.Add(time.Duration(binary.LittleEndian.Uint16(data[1:3])) * time.Minute)
		arg := int(data[3])
		e := Entry{At: t}
		switch data[0] % 5 {
		case 4:
			e.Kind, e.Deadline = EntryDeadline, t.Add(time.Duration(arg+1)*time.Hour)
			if arg%2 == 0 {
				e.Metric = "first_response"
			}
		case 0:
			e.Kind, e.State = EntryState, states[arg%len(states)]
		case 1:
			e.Kind, e.Event = EntryEvent, events[arg%len(events)]
		case 2:
			e.Kind, e.Priority = EntryPriority, prios[arg%4]
		case 3:
			e.Kind = EntryReopen
			if arg%2 == 0 {
				e.State = states[arg%len(states)]
			}
		}
		tl = append(tl, e)
		data = data[4:]
	}
	now := t
	if len(data) >= 2 {
		now = now.Add(time.Duration(binary.LittleEndian.Uint16(data)) * time.Minute)
	}
	return a, tl, now
}

func FuzzEvaluate(f *testing.F) {
	f.Add([]byte{0, 1, 0, 0, 0, 0, 1, 60, 0, 0, 0, 30, 0, 3, 0, 0, 0, 7, 1, 0, 0, 0, 0})
	f.Add([]byte{0x80, 2, 0, 0, 0, 0, 0, 20, 0, 1, 1, 30, 0, 1, 0, 100, 0, 4, 0, 200, 5, 5, 3, 10, 0, 2, 2, 5, 0, 0})
	f.Add([]byte{1, 4, 0, 0, 0, 0, 1, 0, 1, 0, 0, 0, 4, 7})
	f.Add([]byte{0, 0, 0, 0, 0, 0, 1, 30, 0, 1, 1, 60, 0, 1, 1, 90, 0, 1, 0, 0, 1, 7, 3, 0, 1, 2, 0, 10, 0, 7, 0, 20})
	env := testEnv(f)
	var sets []*PolicySet
	for _, name := range PresetNames() {
		s, err := Preset(name, env)
		if err != nil {
			f.Fatal(err)
		}
		sets = append(sets, s)
	}
	sets = append(sets, compileT(f, benchDoc), compileT(f, resolutionDoc), compileT(f, featuresDoc))
	f.Fuzz(func(t *testing.T, data []byte) {
		a, tl, now := fuzzTimeline(data, env.States)
		var r, r2 Report
		for _, s := range sets {
			err := s.EvaluateInto(&r, a, tl, now, Options{})
			if err != nil {
				continue // invalid entries (a repeated state) are fine to reject
			}
			checkReport(t, &r)
			// Deterministic, and a reused report gives the same answer.
			if err := s.EvaluateInto(&r2, a, tl, now, Options{}); err != nil {
				t.Fatal(err)
			}
			if err := s.EvaluateInto(&r2, a, tl, now, Options{}); err != nil {
				t.Fatal(err)
			}
			if len(r.Audit) != len(r2.Audit) || !r.NextChange.Equal(r2.NextChange) {
				t.Fatalf("not deterministic")
			}
			for i := range r.Metrics {
				if r.Metrics[i].Status != r2.Metrics[i].Status || !r.Metrics[i].Deadline.Equal(r2.Metrics[i].Deadline) {
					t.Fatalf("metric %d differs", i)
				}
			}
		}
	})
}

// checkReport checks that statuses agree with deadlines and instants.
func checkReport(t *testing.T, r *Report) {
	t.Helper()
	now := r.Now
	if !r.NextChange.IsZero() && !r.NextChange.After(now) {
		t.Fatalf("NextChange %v not after now %v", r.NextChange, now)
	}
	for i := 1; i < len(r.Audit); i++ {
		if r.Audit[i].At.Before(r.Audit[i-1].At) {
			t.Fatalf("audit out of order at %d", i)
		}
	}
	for _, e := range r.Audit {
		if e.At.After(now) {
			t.Fatalf("audit event %+v after now", e)
		}
	}
	for _, m := range r.Metrics {
		fail := func(msg string) { t.Fatalf("%s: %s: %+v (now %v)", m.Name, msg, m, now) }
		if (m.Status == Pending) != (m.Cycle == 0) {
			fail("pending iff no cycle")
		}
		if (m.Status == Breached) != !m.BreachedAt.IsZero() {
			fail("breached iff breach instant")
		}
		if m.Elapsed < 0 || m.Remaining < 0 || m.Late < 0 {
			fail("negative duration")
		}
		switch m.Status {
		case Breached:
			if m.BreachedAt.After(now) || m.Remaining != 0 {
				fail("breach in the future or with time remaining")
			}
			// A clock stopped exactly at its deadline is met, so a breached
			// one stops after the breach, except when it resumed already
			// past its target (a reopen that keeps counting under a shorter
			// target) and stopped at that same instant.
			if !m.Stopped.IsZero() && m.Stopped.Before(m.BreachedAt) {
				fail("stopped before the breach")
			}
			if !m.Stopped.IsZero() && m.Stopped.Equal(m.BreachedAt) &&
				m.Target.Unit != WorkingDays && m.Elapsed <= m.Target.Duration+m.Extension {
				fail("stopped at the breach without being past the target")
			}
			if m.BreachedAt.Before(m.Start) {
				fail("breached before the start")
			}
			// (Elapsed may be below the target: a breach stays when a later
			// priority change raises the target.)
		case Met:
			if m.Stopped.IsZero() || m.Stopped.After(now) {
				fail("met without a stop")
			}
			if m.HasTarget && m.Stopped.After(m.Deadline) {
				fail("met after the deadline")
			}
		case Running, Paused:
			if !m.Stopped.IsZero() {
				fail("running with a stop")
			}
			if m.HasTarget {
				if !m.Deadline.After(now) || m.Remaining <= 0 {
					fail("running past its deadline")
				}
				if m.Target.Unit != WorkingDays && m.Elapsed+m.Remaining != m.Target.Duration+m.Extension {
					fail("elapsed + remaining != target")
				}
				if m.Status == Running && (r.NextChange.IsZero() || r.NextChange.After(m.Deadline)) {
					fail("NextChange after a running deadline")
				}
			}
		}
		for _, a := range append(append([]Alert(nil), m.Warnings...), m.Escalations...) {
			if a.At.Before(m.Start) || a.At.After(now) || a.Cycle != m.Cycle {
				fail("alert outside the cycle")
			}
		}
	}
}
