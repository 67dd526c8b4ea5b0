package priority_test

import (
	"testing"

	"github.com/closeloop/closeloop/priority"
)

// BenchmarkScore scores with the after-sales preset: the weighted method
// with impact from counts and three overrides (two of them fire).
func BenchmarkScore(b *testing.B) {
	s, err := priority.Preset(priority.PresetAfterSales)
	if err != nil {
		b.Fatal(err)
	}
	in := priority.Input{Affected: 500, Urgency: 3, Severity: 3, Tier: 4, Flags: priority.CoreFunction}
	b.Run("reasons=no", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := s.Score(in); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("reasons=yes", func(b *testing.B) {
		b.ReportAllocs()
		for b.Loop() {
			if _, err := s.Explain(in); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("reasons=reused", func(b *testing.B) {
		b.ReportAllocs()
		var buf []priority.Reason
		for b.Loop() {
			res, err := s.ExplainAppend(buf[:0], in)
			if err != nil {
				b.Fatal(err)
			}
			buf = res.Reasons
		}
	})
}

// BenchmarkMethods scores one input with each preset (matrix and quadrant
// methods included), without reasons.
func BenchmarkMethods(b *testing.B) {
	in := priority.Input{Impact: 3, Urgency: 3, Severity: 2, Tier: 3, Flags: priority.RepeatedFault}
	for _, name := range priority.PresetNames() {
		s, err := priority.Preset(name)
		if err != nil {
			b.Fatal(err)
		}
		b.Run(name, func(b *testing.B) {
			b.ReportAllocs()
			for b.Loop() {
				if _, err := s.Score(in); err != nil {
					b.Fatal(err)
				}
			}
		})
	}
}

// afterSalesByHand is the after-sales preset written directly in Go, as a
// host would without this package: the same validation, counts, weights,
// bands and overrides, no rules data. BenchmarkScoreBaseline times it so the
// cost of rules as data reads as a ratio, whatever the machine.
func afterSalesByHand(in priority.Input) (priority.Level, error) {
	dims := [4]int{in.Impact, in.Urgency, in.Severity, in.Tier}
	for i, x := range dims {
		if x == 0 {
			dims[i] = 1
		} else if x < 1 || x > 4 {
			return 0, priority.ErrOutOfScale
		}
	}
	if in.Affected < 0 || in.Business < 0 || in.Value < 0 {
		return 0, priority.ErrNegativeCount
	}
	impact, urgency, severity, tier := dims[0], dims[1], dims[2], dims[3]
	for i, t := range [3]int64{2, 50, 1000} {
		if in.Affected >= t && 2+i > impact {
			impact = 2 + i
		}
	}
	score := 10*(impact-1) + 10*(urgency-1) + 10*(severity-1)
	if in.Flags&priority.CoreFunction != 0 {
		score += 15
	}
	if in.Flags&priority.RepeatedFault != 0 {
		score += 5
	}
	level := priority.Level(3)
	switch {
	case score >= 70:
		level = 0
	case score >= 40:
		level = 1
	case score >= 10:
		level = 2
	}
	if in.Flags&priority.PersonalSafety != 0 || severity >= 4 {
		level = 0
	}
	if (in.Flags&priority.CoreFunction != 0 || severity >= 3) && (impact >= 3 || tier >= 3) {
		level = 0
	}
	if tier >= 4 && level > 0 {
		level--
	}
	return level, nil
}

// BenchmarkScoreBaseline is the peer baseline of BenchmarkScore/reasons=no:
// the same input through afterSalesByHand.
func BenchmarkScoreBaseline(b *testing.B) {
	in := priority.Input{Affected: 500, Urgency: 3, Severity: 3, Tier: 4, Flags: priority.CoreFunction}
	s, err := priority.Preset(priority.PresetAfterSales)
	if err != nil {
		b.Fatal(err)
	}
	want, err := s.Score(in)
	if err != nil {
		b.Fatal(err)
	}
	if got, _ := afterSalesByHand(in); got != want.Level {
		b.Fatalf("hand-written rules give %v, the preset %v", got, want.Level)
	}
	b.ReportAllocs()
	for b.Loop() {
		if _, err := afterSalesByHand(in); err != nil {
			b.Fatal(err)
		}
	}
}
