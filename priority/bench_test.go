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
