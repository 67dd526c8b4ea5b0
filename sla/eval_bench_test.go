package sla

import (
	"testing"
	"time"
)

const benchDoc = `{
  "default_calendar": "office",
  "policies": [{
    "name": "bench",
    "metrics": [
      {"kind": "first_response", "targets": {"P0": {"unit": "elapsed", "duration": "1h"}, "*": {"unit": "elapsed", "duration": "4h"}},
       "warnings": [{"name": "w", "percent": 75}]},
      {"kind": "resolution", "targets": {"P0": {"unit": "business", "duration": "8h"}, "*": {"unit": "working_days", "days": 3}},
       "pause_in": ["waiting_customer", "waiting_third_party"],
       "warnings": [{"name": "w75", "percent": 75}, {"name": "delay_request_due", "before": {"unit": "working_days", "days": 1}}],
       "escalations": [{"name": "lead", "percent": 100}, {"name": "head", "percent": 150}]},
      {"name": "updates", "kind": "periodic_update", "targets": {"*": {"unit": "elapsed", "duration": "2h"}},
       "pause_in": ["waiting_customer"]}
    ]
  }]
}`

// benchTimeline is a 20-entry timeline over four working days.
func benchTimeline() []Entry {
	return []Entry{
		st(mar(4, 9, 0), "received"),
		st(mar(4, 9, 20), "triaged"),
		pr(mar(4, 9, 25), "P1"),
		st(mar(4, 9, 40), "assigned"),
		ev(mar(4, 10, 0), EventResponded),
		st(mar(4, 10, 5), "in_progress"),
		ev(mar(4, 11, 30), EventProgressUpdate),
		ev(mar(4, 13, 10), EventProgressUpdate),
		st(mar(4, 15, 0), "waiting_customer"),
		st(mar(5, 10, 0), "in_progress"),
		ev(mar(5, 11, 0), EventProgressUpdate),
		pr(mar(5, 11, 30), "P0"),
		ev(mar(5, 14, 0), EventProgressUpdate),
		st(mar(5, 15, 0), "waiting_third_party"),
		st(mar(6, 9, 30), "in_progress"),
		ev(mar(6, 10, 0), EventProgressUpdate),
		ev(mar(6, 12, 30), EventProgressUpdate),
		st(mar(6, 16, 0), "resolved"),
		reopen(mar(7, 9, 0), "triaged"),
		st(mar(7, 9, 30), "in_progress"),
	}
}

func BenchmarkEvaluate(b *testing.B) {
	s := compileT(b, benchDoc)
	tl := benchTimeline()
	now := mar(7, 11, 0)
	var r Report
	if err := s.EvaluateInto(&r, Attributes{Kind: "complaint"}, tl, now, Options{}); err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := s.EvaluateInto(&r, Attributes{Kind: "complaint"}, tl, now, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkEvaluateFresh allocates a new Report on every call (Evaluate).
func BenchmarkEvaluateFresh(b *testing.B) {
	s := compileT(b, benchDoc)
	tl := benchTimeline()
	now := mar(7, 11, 0)
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := s.Evaluate(Attributes{Kind: "complaint"}, tl, now, Options{}); err != nil {
			b.Fatal(err)
		}
	}
}

func TestBenchScenario(t *testing.T) {
	s := compileT(t, benchDoc)
	r, err := s.Evaluate(Attributes{Kind: "complaint"}, benchTimeline(), mar(7, 11, 0), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if len(benchTimeline()) != 20 || len(r.Metrics) != 3 {
		t.Fatalf("bench shape: %d entries, %d metrics", len(benchTimeline()), len(r.Metrics))
	}
	for _, m := range r.Metrics {
		t.Logf("%s: %s cycle %d start %s deadline %s elapsed %s", m.Name, m.Status, m.Cycle, m.Start.Format(time.Kitchen), m.Deadline, m.Elapsed)
	}
	for _, e := range r.Audit {
		t.Logf("%s %s %s %s", e.At.Format("Mon 15:04"), e.Metric, e.Type, e.Detail)
	}
}
