package compensation

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"
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

// BenchmarkComputeBaseline is the peer baseline: the same arithmetic as
// BenchmarkCompute written by hand with shopspring/decimal (band lookup,
// percentage, two multipliers, rounding, cap), without rules, explanation or
// offer. The difference is what the explained offer costs.
func BenchmarkComputeBaseline(b *testing.B) {
	edges := []time.Duration{0, time.Hour, 4 * time.Hour, 12 * time.Hour, 24 * time.Hour}
	shares := []decimal.Decimal{decimal.Zero, decimal.NewFromInt(10), decimal.NewFromInt(25), decimal.NewFromInt(50), decimal.NewFromInt(100)}
	charge := num("1234.56")
	tier, prio := num("1.5"), num("1.2")
	optionCap, ticketCap := num("800.00"), num("1000.00")
	downtime := 30 * time.Hour
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		band := 0
		for j := range edges {
			if downtime >= edges[j] {
				band = j
			}
		}
		v := charge.Mul(shares[band]).Shift(-2).Mul(tier).Mul(prio).Round(2)
		if v.Cmp(optionCap) > 0 {
			v = optionCap
		}
		if v.Cmp(ticketCap) > 0 {
			v = ticketCap
		}
		if v.Sign() < 0 {
			b.Fatal(v)
		}
	}
}

// BenchmarkMaxAmount is BenchmarkCompute's claim on the amount-only path:
// the largest money amount and its option, no offer, no explanation.
func BenchmarkMaxAmount(b *testing.B) {
	p, err := ParsePolicy([]byte(outageDoc))
	if err != nil {
		b.Fatal(err)
	}
	c := outageClaim()
	c.Durations["downtime"] = 30 * time.Hour
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		l, err := p.MaxAmount(c)
		if err != nil || l.Option != "credit" {
			b.Fatal(err, l)
		}
	}
}
