package compensation

import (
	"encoding/json"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

// BenchmarkCompute: a five-band schedule with a tier multiplier, a priority
// multiplier, an option cap and ticket and period caps (the package doc's
// worked example), one money option per band.
//
// Where the time goes, beside BenchmarkComputeBaseline (the amount alone,
// by hand): the arithmetic is int64 with overflow checks (fx), as cheap as
// the baseline's; what is left is the explained offer itself — a reading, a
// source, five steps and eleven texts, about 1 KB of structs with pointers
// that the offer's API makes eager (Offer and Explanation are plain
// exported data). They are written into one buffer and one string and the
// offer into one allocation (offerBlock), so the offer costs two
// allocations; BenchmarkComputeBaselineExplained writes the same offer by
// hand the straightforward way, for comparison, and MaxAmount is the path
// without any of it.
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

// BenchmarkComputeBaselineClaim is BenchmarkComputeBaseline doing all that
// the policy does for the amount: the inputs read from the claim's maps
// (with the currency checked), the shared-fault flag looked up, the
// multipliers found by tier and priority name, the period cap and the
// approval threshold applied. Still no explanation and no offer.
func BenchmarkComputeBaselineClaim(b *testing.B) {
	edges := []time.Duration{0, time.Hour, 4 * time.Hour, 12 * time.Hour, 24 * time.Hour}
	shares := []decimal.Decimal{decimal.Zero, decimal.NewFromInt(10), decimal.NewFromInt(25), decimal.NewFromInt(50), decimal.NewFromInt(100)}
	tiers := map[string]decimal.Decimal{"gold": num("1.5")}
	prios := map[string]decimal.Decimal{"P0": num("1.2")}
	half := num("0.5")
	optionCap, ticketCap, periodCap, approval := num("800.00"), num("1000.00"), num("3000.00"), num("500.00")
	c := outageClaim()
	c.Durations["downtime"] = 30 * time.Hour
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		downtime, ok := c.Durations["downtime"]
		charge, ok2 := c.Amounts["monthly_charge"]
		if !ok || !ok2 || charge.Currency().Code != "CNY" {
			b.Fatal("inputs")
		}
		band := 0
		for j := range edges {
			if downtime >= edges[j] {
				band = j
			}
		}
		v := charge.Amount().Mul(shares[band]).Shift(-2)
		if c.Flags["shared_fault"] {
			v = v.Mul(half)
		}
		if m, ok := tiers[c.Tier]; ok {
			v = v.Mul(m)
		}
		if m, ok := prios[c.Priority]; ok {
			v = v.Mul(m)
		}
		v = v.Round(2)
		for _, cap := range []decimal.Decimal{optionCap, ticketCap, periodCap} {
			if v.Cmp(cap) > 0 {
				v = cap
			}
		}
		if v.Cmp(approval) <= 0 || v.Sign() < 0 {
			b.Fatal(v)
		}
	}
}

// BenchmarkComputeBaselineExplained is BenchmarkComputeBaseline writing the
// same offer as Compute, explanation included, the straightforward way:
// decimal's String and StringFixed, one string per text, one slice per
// list. It is what the rules would cost written by hand with their
// explanation, beside the engine that reads them as data; before timing, it
// checks that its offer is Compute's, byte for byte in JSON.
func BenchmarkComputeBaselineExplained(b *testing.B) {
	edges := []time.Duration{0, time.Hour, 4 * time.Hour, 12 * time.Hour, 24 * time.Hour}
	names := []string{"under 1h", "1h-4h", "4h-12h", "12h-24h", "24h+"}
	ranges := []string{"[0s, 1h)", "[1h, 4h)", "[4h, 12h)", "[12h, 24h)", "[24h, inf)"}
	shares := []decimal.Decimal{decimal.Zero, decimal.NewFromInt(10), decimal.NewFromInt(25), decimal.NewFromInt(50), decimal.NewFromInt(100)}
	charge := MustMoney("1234.56", "CNY")
	tier, prio := num("1.5"), num("1.2")
	optionCap, approval := MustMoney("800.00", "CNY"), num("500.00")
	downtime := 30 * time.Hour
	offer := func() Offer {
		band := 0
		for j := range edges {
			if downtime >= edges[j] {
				band = j
			}
		}
		value := downtime.String()
		v := charge.Amount().Mul(shares[band]).Shift(-2)
		src := Source{Schedule: "downtime", Measure: "downtime", Value: value, Band: names[band], Range: ranges[band], Used: true,
			Formula: shares[band].String() + " % of monthly_charge " + charge.Text() + " = " + v.String(), Result: v.String()}
		steps := make([]Step, 0, 6)
		vs := src.Result
		nv := v.Mul(tier)
		steps = append(steps, Step{Stage: "multiplier", Rule: "tier gold × 1.5", Before: vs, After: nv.String()})
		v, vs = nv, steps[len(steps)-1].After
		nv = v.Mul(prio)
		steps = append(steps, Step{Stage: "multiplier", Rule: "priority P0 × 1.2", Before: vs, After: nv.String()})
		v, vs = nv, steps[len(steps)-1].After
		nv = v.Round(2)
		steps = append(steps, Step{Stage: "rounding", Rule: "half_up to 2 places (CNY)", Before: vs, After: nv.StringFixed(2)})
		v, vs = nv, steps[len(steps)-1].After
		if v.Cmp(optionCap.Amount()) > 0 {
			steps = append(steps, Step{Stage: "cap", Rule: "option cap " + optionCap.Text(), Before: vs, After: optionCap.Text()})
			v, vs = optionCap.Amount(), optionCap.Text()
		}
		approve := v.Cmp(approval) > 0
		if approve {
			steps = append(steps, Step{Stage: "approval", Rule: "amount over approval_above 500.00", Before: vs, After: vs})
		}
		m := &Money{amount: v, currency: charge.currency}
		return Offer{Policy: "outage-credit", Ticket: "T-1", Customer: "C-9", Currency: "CNY",
			Readings: []Reading{{Schedule: "downtime", Applies: true, Measure: "downtime", Value: value, Band: names[band], Range: ranges[band]}},
			Options: []OfferOption{{ID: "credit", Kind: "credit", Amount: m, NeedsApproval: approve,
				Explanation: Explanation{Sources: []Source{src}, Steps: steps}}}}
	}
	p, err := ParsePolicy([]byte(outageDoc))
	if err != nil {
		b.Fatal(err)
	}
	c := outageClaim()
	c.Durations["downtime"] = downtime
	want, err := p.Compute(c)
	if err != nil {
		b.Fatal(err)
	}
	wj, _ := json.Marshal(want)
	gj, _ := json.Marshal(offer())
	if string(wj) != string(gj) {
		b.Fatalf("the hand-written offer is not Compute's:\n%s\n%s", gj, wj)
	}
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if off := offer(); len(off.Options) != 1 {
			b.Fatal(off)
		}
	}
}
