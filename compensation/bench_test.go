package compensation

import (
	"testing"
	"time"
)

// BenchmarkCompute: a five-band schedule with a tier multiplier, a priority
// multiplier, an option cap and ticket and period caps (the package doc's
// worked example), one money option per band.
func BenchmarkCompute(b *testing.B) {
	p, err := ParsePolicy([]byte(outageDoc))
	if err != nil {
		b.Fatal(err)
	}
	c := outageClaim()
	c.Durations["downtime"] = 30 * time.Hour // fifth band: the option cap bites
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		off, err := p.Compute(c)
		if err != nil || len(off.Options) != 1 {
			b.Fatal(err, off)
		}
	}
}

func BenchmarkParsePolicy(b *testing.B) {
	data, err := PresetJSON("eu261-delay")
	if err != nil {
		b.Fatal(err)
	}
	b.ReportAllocs()
	for i := 0; i < b.N; i++ {
		if _, err := ParsePolicy(data); err != nil {
			b.Fatal(err)
		}
	}
}
