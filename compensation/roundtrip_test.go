package compensation

import (
	"bytes"
	"encoding/json"
	"errors"
	"math"
	"math/rand"
	"strconv"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// unboundedDoc pays per period without a cap, on a duration and on a number,
// summed, with the largest multipliers a policy may have.
const unboundedDoc = `{
  "name": "unbounded", "currency": "EUR", "rounding": "half_up", "combine": "sum",
  "multipliers": {"tier": {"x": "1000"}, "priority": {"P0": "1000"}},
  "schedules": [
    {"name": "outage", "measure": {"kind": "duration", "input": "outage"}, "when": [{"duration": "outage", "op": ">=", "value": "0s"}],
     "bands": [{"name": "any", "range": "[0s, inf)", "options": [
       {"id": "cash", "kind": "cash", "formula": "per_period", "per_period": "999999999999999.99", "after": "0s", "every": "1ns"}]}]},
    {"name": "hours", "measure": {"kind": "duration", "input": "hours"}, "when": [{"duration": "hours", "op": ">=", "value": "0s"}],
     "bands": [{"name": "any", "range": "[0s, inf)", "options": [
       {"id": "cash", "kind": "cash", "formula": "per_period", "amount": "1.00", "per_period": "999999999999999.99", "after": "0s", "every": "1h"}]}]},
    {"name": "distance", "measure": {"kind": "number", "input": "km"}, "when": [{"number": "km", "op": ">=", "value": "-999999999999999"}],
     "bands": [{"name": "any", "range": "(-inf, inf)", "options": [
       {"id": "cash", "kind": "cash", "formula": "per_period", "per_period": "999999999999999.99", "after": "-999999999999999", "every": "0.000000001"}]}]}
  ]
}`

// The uncapped per-period option of the issue: its amount was written out
// and then refused by Money.UnmarshalJSON. Now Compute refuses the claim,
// naming the measure, and every amount it does give reads back.
func TestOfferAmountBounded(t *testing.T) {
	p := mustParse(t, unboundedDoc)
	tests := []struct {
		name     string
		claim    Claim
		m, input string // "" when the offer is made
		want     string
	}{
		{"292 years in nanosecond periods", Claim{Durations: map[string]time.Duration{"outage": math.MaxInt64}}, MapDurations, "outage", ""},
		{"a number over 2·10^24 periods", Claim{Numbers: map[string]decimal.Decimal{"km": num("999999999999999")}}, MapNumbers, "km", ""},
		{"292 years in hour periods, ×10^6", Claim{Tier: "x", Priority: "P0", Durations: map[string]time.Duration{"hours": math.MaxInt64}},
			"", "", "2562046999999999974380530000.00"},
		{"just below the bound", Claim{Durations: map[string]time.Duration{"outage": 999_999_999_999_999}}, "", "",
			"999999999999998990000000000000.01"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			off, err := p.Compute(tc.claim)
			max, maxErr := p.MaxAmount(tc.claim)
			if tc.m != "" {
				requireInputError(t, err, tc.m, tc.input, ErrAmountOutOfRange)
				assert.Equal(t, err, maxErr)
				return
			}
			require.NoError(t, err)
			require.NoError(t, maxErr)
			op, ok := off.Option("cash")
			require.True(t, ok)
			assert.Equal(t, tc.want, op.Amount.Text())
			assert.True(t, op.Amount.Equal(max.Amount))
			requireRoundTrip(t, off)
		})
	}
}

// requireRoundTrip: the offer marshals, unmarshals to the same amounts and
// marshals again to the same bytes.
func requireRoundTrip(t testing.TB, off Offer) {
	t.Helper()
	data, err := json.Marshal(off)
	require.NoError(t, err)
	var back Offer
	require.NoError(t, json.Unmarshal(data, &back), "%s", data)
	again, err := json.Marshal(back)
	require.NoError(t, err)
	require.Equal(t, string(data), string(again))
	require.Equal(t, len(off.Options), len(back.Options))
	for i := range off.Options {
		a, b := off.Options[i].Amount, back.Options[i].Amount
		require.Equal(t, a == nil, b == nil)
		if a != nil {
			require.True(t, a.Equal(*b), "%s read back as %s", a, b)
		}
	}
}

// FuzzOfferRoundTrip: whatever the measure, tier and priority, every offer
// marshals and unmarshals to the same value, and a refusal is an
// *InputError wrapping ErrAmountOutOfRange.
func FuzzOfferRoundTrip(f *testing.F) {
	p, err := ParsePolicy([]byte(unboundedDoc))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(int64(math.MaxInt64), int64(math.MaxInt64), "999999999999999", "x", "P0")
	f.Add(int64(5*time.Hour), int64(72*time.Hour), "1500.5", "", "")
	f.Add(int64(999_999_999_999_999), int64(0), "-999999999999999", "x", "P1")
	f.Add(int64(1), int64(1), "0.000000001", "y", "P0")
	f.Fuzz(func(t *testing.T, outage, hours int64, km, tier, prio string) {
		c := Claim{Tier: tier, Durations: map[string]time.Duration{}}
		if prio == "P0" || prio == "P1" {
			c.Priority = prio
		}
		if outage >= 0 {
			c.Durations["outage"] = time.Duration(outage)
		}
		if hours >= 0 {
			c.Durations["hours"] = time.Duration(hours)
		}
		if d, err := decimal.NewFromString(km); err == nil && checkNumber(d) == nil {
			c.Numbers = map[string]decimal.Decimal{"km": d}
		}
		off, err := p.Compute(c)
		if err != nil {
			var ie *InputError
			if !errors.As(err, &ie) || !(errors.Is(err, ErrAmountOutOfRange) || errors.Is(err, ErrMissingInput)) {
				t.Fatalf("unexpected error %T: %v", err, err)
			}
			return
		}
		data, err := json.Marshal(off)
		if err != nil {
			t.Fatal(err)
		}
		var back Offer
		if err := json.Unmarshal(data, &back); err != nil {
			t.Fatalf("offer does not read back: %v\n%s", err, data)
		}
		again, err := json.Marshal(back)
		if err != nil || !bytes.Equal(data, again) {
			t.Fatalf("offer changed in the round trip: %v\n%s\n%s", err, data, again)
		}
		for i, op := range off.Options {
			if !op.Amount.Equal(*back.Options[i].Amount) {
				t.Fatalf("amount %s read back as %s", op.Amount, back.Options[i].Amount)
			}
		}
	})
}

// MaxAmount is Compute without the explanation: the same refusals and the
// largest amount of the same offer, for every preset and a spread of claims.
func TestMaxAmountMatchesCompute(t *testing.T) {
	r := rand.New(rand.NewSource(3))
	docs := []string{outageDoc, combineDoc("sum"), combineDoc("max"), fuzzPolicy, unboundedDoc, baseDoc}
	for _, n := range PresetNames() {
		data, err := PresetJSON(n)
		require.NoError(t, err)
		docs = append(docs, string(data))
	}
	for _, doc := range docs {
		p := mustParse(t, doc)
		for i := 0; i < 300; i++ {
			c := randomClaim(r, p)
			requireMaxAmountMatches(t, p, c)
		}
	}
}

// TestMaxAmountPercentWide holds MaxAmount, whose percent formula
// multiplies in line when the percentage's coefficient fits 32 bits
// (option.pctSmall), to Compute with percentages whose coefficients do and
// do not (33.333333333: 11 digits), on bases up to 10^12 minor units.
func TestMaxAmountPercentWide(t *testing.T) {
	r := rand.New(rand.NewSource(29))
	for _, pct := range []string{"10", "12.5", "33.333333333", "99.999999999", "0.000000001", "100"} {
		doc := `{"name": "wide", "currency": "EUR", "rounding": "half_even",
		  "schedules": [{"name": "s", "measure": {"kind": "amount", "input": "loss"},
		    "bands": [{"name": "all", "range": "[0, inf)", "options": [
		      {"id": "c", "kind": "cash", "formula": "percent", "percent": "` + pct + `", "base": "loss"}]}]}]}`
		p := mustParse(t, doc)
		for i := 0; i < 500; i++ {
			minor := []int64{100, 100_000, 10_000_000, 1_000_000_000_000}[r.Intn(4)]
			c := Claim{Amounts: map[string]Money{"loss": {amount: decimal.New(r.Int63n(minor), -2), currency: p.cur}}}
			requireMaxAmountMatches(t, p, c)
		}
	}
}

// TestClaimAmountAnyExponent: an amount NewMoney builds at a coarser
// exponent than the currency's (1234.5 CNY, 12E2 CNY) is as valid as the
// same amount at the currency's scale, and the claim around it reads the
// same: the flag and the inputs after it count (checkClaim once stopped
// reading the claim at such an amount, dropping the shared-fault flag).
func TestClaimAmountAnyExponent(t *testing.T) {
	p := mustParse(t, outageDoc)
	for _, s := range []string{"1234.5", "1200", "1.2E3", "0.5", "0"} {
		d := decimal.RequireFromString(s)
		odd, err := NewMoney(d, "CNY")
		require.NoError(t, err)
		for _, flags := range []map[string]bool{nil, {"shared_fault": true}, {"shared_fault": false}} {
			c := outageClaim()
			c.Flags = flags
			c.Amounts["monthly_charge"] = odd
			got, err := p.Compute(c)
			require.NoError(t, err)
			c.Amounts["monthly_charge"] = Money{amount: d.Round(2), currency: odd.currency}
			want, err := p.Compute(c)
			require.NoError(t, err)
			require.Equal(t, want, got, "%s %v", s, flags)
			c.Amounts["monthly_charge"] = odd
			requireMaxAmountMatches(t, p, c)
		}
	}
}

// TestMaxAmountReductionFlags holds MaxAmount, which tells from the claim's
// flag bits whether any reduction of a band holds (band.flagReds), to
// Compute, which tests every reduction's conditions: random policies whose
// reductions, the schedule's and the bands', have lone flags (is true or
// false, one flag in several), two conditions or others, on claims that
// set, clear or leave out each flag; with flags among the first 64 inputs
// and beyond them.
func TestMaxAmountReductionFlags(t *testing.T) {
	r := rand.New(rand.NewSource(11))
	flags := []string{"f0", "f1", "f2", "f3"}
	cond := func() ConditionSpec {
		switch k := r.Intn(10); {
		case k < 7:
			is := r.Intn(3) > 0
			return ConditionSpec{Flag: flags[r.Intn(len(flags))], Is: &is}
		case k < 8:
			return ConditionSpec{Flag: flags[r.Intn(len(flags))]}
		case k < 9:
			return ConditionSpec{TierIn: []string{"gold"}}
		}
		return ConditionSpec{Duration: "d", Op: ">", Value: "5h"}
	}
	reductions := func() []ReductionSpec {
		var rs []ReductionSpec
		for i := r.Intn(3); i > 0; i-- {
			when := []ConditionSpec{cond()}
			if r.Intn(5) == 0 {
				when = append(when, cond())
			}
			rs = append(rs, ReductionSpec{Name: "r" + strconv.Itoa(len(rs)), Percent: strconv.Itoa(10 + r.Intn(80)), When: when})
		}
		return rs
	}
	for iter := 0; iter < 400; iter++ {
		spec := PolicySpec{Name: "flags", Currency: "EUR", Rounding: "half_up", Combine: "sum"}
		if iter%4 == 3 {
			// 66 flags first: f0..f3 are inputs 67 and beyond.
			var pad []ReductionSpec
			for i := 0; i < 66; i++ {
				pad = append(pad, ReductionSpec{Name: "p" + strconv.Itoa(i), Percent: "1", When: []ConditionSpec{{Flag: "pad" + strconv.Itoa(i)}}})
			}
			spec.Schedules = append(spec.Schedules, ScheduleSpec{Name: "pad", Measure: MeasureSpec{Kind: "duration", Input: "d"}, Reductions: pad,
				Bands: []BandSpec{{Name: "all", Range: "[0s, inf)", Options: []OptionSpec{{ID: "cash", Kind: "cash", Formula: "fixed", Amount: "1"}}}}})
		}
		sc := ScheduleSpec{Name: "s", Measure: MeasureSpec{Kind: "duration", Input: "d"}, Reductions: reductions()}
		for i, rng := range []string{"[0s, 1h)", "[1h, 10h)", "[10h, inf)"} {
			sc.Bands = append(sc.Bands, BandSpec{Name: "b" + strconv.Itoa(i), Range: rng, Reductions: reductions(),
				Options: []OptionSpec{{ID: "cash", Kind: "cash", Formula: "percent", Percent: strconv.Itoa(10 * (i + 1)), Base: "charge"}}})
		}
		spec.Schedules = append(spec.Schedules, sc)
		p, err := NewPolicy(spec)
		require.NoError(t, err)
		for i := 0; i < 20; i++ {
			c := Claim{Tier: []string{"", "gold"}[r.Intn(2)],
				Durations: map[string]time.Duration{"d": []time.Duration{0, 2 * time.Hour, 6 * time.Hour, 30 * time.Hour}[r.Intn(4)]},
				Amounts:   map[string]Money{"charge": MustMoney(strconv.Itoa(r.Intn(100000)), "EUR")}}
			for _, in := range p.Inputs() {
				if in.Map == MapFlags && r.Intn(3) > 0 {
					if c.Flags == nil {
						c.Flags = map[string]bool{}
					}
					c.Flags[in.Name] = r.Intn(2) == 0
				}
			}
			requireMaxAmountMatches(t, p, c)
		}
	}
}

func requireMaxAmountMatches(t testing.TB, p *Policy, c Claim) {
	t.Helper()
	off, err := p.Compute(c)
	max, maxErr := p.MaxAmount(c)
	require.Equal(t, err, maxErr, "%s: %+v", p.Name(), c)
	if err != nil {
		return
	}
	var want *OfferOption
	for i := range off.Options {
		op := &off.Options[i]
		if op.Amount != nil && (want == nil || op.Amount.Amount().Cmp(want.Amount.Amount()) > 0) {
			want = op
		}
	}
	if want == nil {
		require.Equal(t, Largest{}, max, "%s: %+v", p.Name(), c)
		return
	}
	require.Equal(t, want.ID, max.Option, "%s: %+v", p.Name(), c)
	require.Equal(t, want.Kind, max.Kind)
	require.Equal(t, want.NeedsApproval, max.NeedsApproval)
	require.True(t, want.Amount.Equal(max.Amount), "%s: %s vs %s", p.Name(), want.Amount, max.Amount)
	require.Equal(t, want.Amount.Amount().Exponent(), max.Amount.Amount().Exponent())
}

// randomClaim feeds a random value to every input p reads, sometimes
// leaves one out, and draws tier, priority and what was granted.
func randomClaim(r *rand.Rand, p *Policy) Claim {
	c := Claim{
		Tier:      []string{"", "gold", "vip", "x", "silver"}[r.Intn(5)],
		Priority:  []string{"", "P0", "P1", "P2", "P3"}[r.Intn(5)],
		Durations: map[string]time.Duration{}, Amounts: map[string]Money{}, Numbers: map[string]decimal.Decimal{}, Flags: map[string]bool{},
	}
	scale := p.cur.MinorUnits
	money := func(maxMinor int64) Money {
		return Money{amount: decimal.New(r.Int63n(maxMinor), -scale), currency: p.cur}
	}
	for _, in := range p.Inputs() {
		if r.Intn(10) == 0 {
			continue
		}
		switch in.Map {
		case MapDurations:
			c.Durations[in.Name] = []time.Duration{0, time.Minute, 3 * time.Hour, 12*time.Hour + 1, 30 * time.Hour, 100 * time.Hour, time.Duration(r.Int63n(int64(1000 * time.Hour)))}[r.Intn(7)]
		case MapAmounts:
			c.Amounts[in.Name] = money([]int64{100, 100_000, 10_000_000, 1_000_000_000_000}[r.Intn(4)])
		case MapNumbers:
			n := decimal.New(r.Int63n(1_000_000), -int32(r.Intn(4)))
			if p.reads[in.Name]&readPercentage != 0 {
				n = decimal.New(r.Int63n(10_001), -2)
			} else if r.Intn(3) == 0 {
				n = n.Neg()
			}
			c.Numbers[in.Name] = n
		case MapFlags:
			c.Flags[in.Name] = r.Intn(2) == 0
		}
	}
	if r.Intn(3) == 0 {
		c.GrantedOnTicket = money(100_000)
	}
	if r.Intn(3) == 0 {
		c.GrantedInPeriod = money(500_000)
	}
	return c
}

// FuzzPolicyOffers: for any policy document that compiles and a spread of
// claims, every offer reads back from its JSON unchanged, and MaxAmount
// agrees with Compute (same refusal, same largest amount and option).
func FuzzPolicyOffers(f *testing.F) {
	for _, n := range PresetNames() {
		data, _ := PresetJSON(n)
		f.Add(data, int64(1))
	}
	f.Add([]byte(unboundedDoc), int64(2))
	f.Add([]byte(outageDoc), int64(3))
	f.Add([]byte(combineDoc("max")), int64(4))
	f.Add([]byte(fuzzPolicy), int64(5))
	f.Fuzz(func(t *testing.T, data []byte, seed int64) {
		p, err := ParsePolicy(data)
		if err != nil {
			return
		}
		r := rand.New(rand.NewSource(seed))
		claims := claimsFor(p)
		for i := 0; i < 4; i++ {
			claims = append(claims, randomClaim(r, p))
		}
		for _, c := range claims {
			requireMaxAmountMatches(t, p, c)
			if off, err := p.Compute(c); err == nil {
				requireRoundTrip(t, off)
			} else {
				var ie *InputError
				require.ErrorAs(t, err, &ie)
			}
		}
	})
}

// TestMaxAmountLimitEdges holds MaxAmount to Compute (settleAmount to
// settle) where settleAmount's in-line comparisons decide: amounts a minor
// unit or two below, at and above every floor, cap and the approval
// threshold (the voucher is half its base), with and without something
// granted (which takes them through cmpFx), in a currency of each scale.
func TestMaxAmountLimitEdges(t *testing.T) {
	options := []string{
		`{"id": "c", "kind": "cash", "formula": "percent", "percent": "100", "base": "loss", "floor": "100", "cap": "800"}`,
		`{"id": "v", "kind": "voucher", "formula": "percent", "percent": "50", "base": "loss", "valid_days": 30}`,
	}
	// Each of the caps is the smallest in one of these.
	limits := []string{
		`{"ticket_floor": "50", "ticket_cap": "700", "customer_period_cap": "600"}`,
		`{"ticket_floor": "50", "ticket_cap": "700"}`,
		`{"customer_period_cap": "900"}`,
	}
	for _, cur := range []string{"JPY", "EUR", "BHD"} {
		for _, opt := range options {
			for _, lim := range limits {
				doc := `{"name": "edges", "currency": "` + cur + `", "rounding": "half_even",
				  "limits": ` + lim + `, "approval_above": "500",
				  "schedules": [{"name": "s", "measure": {"kind": "amount", "input": "loss"},
				    "bands": [{"name": "all", "range": "[0, inf)", "options": [` + opt + `]}]}]}`
				testLimitEdges(t, mustParse(t, doc))
			}
		}
	}
}

// testLimitEdges tries p with a base near every edge and a granted amount
// (-1: none).
func testLimitEdges(t *testing.T, p *Policy) {
	unit := decimal.New(1, -p.cur.MinorUnits)
	for _, edge := range []int64{0, 50, 100, 200, 500, 600, 700, 800, 900, 1000, 1200, 1400, 1600, 1800} {
		for _, d := range []decimal.Decimal{unit.Mul(decimal.New(-2, 0)), unit.Neg(), decimal.Zero, unit, unit.Mul(decimal.New(2, 0))} {
			base := decimal.New(edge, 0).Add(d)
			if base.Sign() < 0 {
				continue
			}
			for _, granted := range []int64{-1, 0, 30, 650} {
				c := Claim{Amounts: map[string]Money{"loss": {amount: base.Round(p.cur.MinorUnits), currency: p.cur}}}
				if granted >= 0 {
					c.GrantedInPeriod = Money{amount: decimal.New(granted, 0), currency: p.cur}
				}
				requireMaxAmountMatches(t, p, c)
			}
		}
	}
}
