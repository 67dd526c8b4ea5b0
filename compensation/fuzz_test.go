package compensation

import (
	"encoding/json"
	"errors"
	"testing"
	"time"

	"github.com/shopspring/decimal"
)

// FuzzScheduleJSON: any document either compiles or fails with a *PathError;
// a compiled policy computes offers that keep the invariants for a spread of
// claims.
func FuzzScheduleJSON(f *testing.F) {
	for _, n := range PresetNames() {
		data, _ := PresetJSON(n)
		f.Add(data)
	}
	f.Add([]byte(baseDoc))
	f.Add([]byte(outageDoc))
	f.Add([]byte(combineDoc("sum")))
	f.Add([]byte(combineDoc("max")))
	f.Add([]byte(`{"name":"x","currency":"JPY","rounding":"up","schedules":[{"name":"s","measure":{"kind":"number","input":"n"},"bands":[{"name":"b","range":"(-inf, 0]","options":[]},{"name":"c","range":"(0, inf)","options":[{"id":"p","kind":"points","points":3}]}]}]}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		p, err := ParsePolicy(data)
		if err != nil {
			var pe *PathError
			if !errors.As(err, &pe) {
				t.Fatalf("error is %T, not *PathError: %v", err, err)
			}
			return
		}
		_ = p.Inputs()
		for _, c := range claimsFor(p) {
			off, err := p.Compute(c)
			if err != nil {
				var ie *InputError
				if !errors.As(err, &ie) {
					t.Fatalf("compute error is %T, not *InputError: %v", err, err)
				}
				continue
			}
			checkOffer(t, p, c, off)
			for _, op := range off.Options {
				_ = op.Explanation.String()
				_ = op.Value()
			}
		}
	})
}

// FuzzCompute: for any claim, a fixed policy with five bands, every formula,
// multipliers, reductions, floors and caps never panics, never gives a
// negative amount, and every cap holds.
func FuzzCompute(f *testing.F) {
	p, err := ParsePolicy([]byte(fuzzPolicy))
	if err != nil {
		f.Fatal(err)
	}
	f.Add(int64(5*time.Hour), "99.5", int64(123456), int64(2000000), "gold", uint8(0), int64(0), int64(0), false)
	f.Add(int64(30*time.Hour), "94", int64(1), int64(0), "vip", uint8(1), int64(50000), int64(290000), true)
	f.Add(int64(-1), "1e-999999999", int64(-5), int64(1<<62), "", uint8(9), int64(-1), int64(1<<62), true)
	f.Add(int64(1<<62), "100", int64(999999999999999), int64(99999999999999999), "gold", uint8(3), int64(0), int64(0), false)
	f.Fuzz(func(t *testing.T, dur int64, uptime string, chargeMinor, lossMinor int64, tier string, prio uint8, grantedTicket, grantedPeriod int64, flag bool) {
		c := Claim{
			Tier:      tier,
			Durations: map[string]time.Duration{"downtime": time.Duration(dur)},
			Amounts:   map[string]Money{},
			Numbers:   map[string]decimal.Decimal{},
			Flags:     map[string]bool{"shared_fault": flag},
		}
		if prio < 5 {
			c.Priority = "P" + string(rune('0'+prio))
		}
		if u, err := decimal.NewFromString(uptime); err == nil {
			c.Numbers["uptime"] = u
		}
		for name, minor := range map[string]int64{"monthly_charge": chargeMinor, "loss": lossMinor} {
			if m, err := MoneyFromMinor(minor, "EUR"); err == nil {
				c.Amounts[name] = m
			}
		}
		if m, err := MoneyFromMinor(grantedTicket, "EUR"); err == nil {
			c.GrantedOnTicket = m
		}
		if m, err := MoneyFromMinor(grantedPeriod, "EUR"); err == nil {
			c.GrantedInPeriod = m
		}
		off, err := p.Compute(c)
		if err != nil {
			var ie *InputError
			if !errors.As(err, &ie) {
				t.Fatalf("compute error is %T, not *InputError: %v", err, err)
			}
			return
		}
		checkOffer(t, p, c, off)
		for _, op := range off.Options {
			s, err := off.Choose(op.ID, time.Unix(0, 0).UTC())
			if err != nil {
				t.Fatal(err)
			}
			data, err := json.Marshal(s)
			if err != nil {
				t.Fatal(err)
			}
			var back Settlement
			if err := json.Unmarshal(data, &back); err != nil {
				t.Fatalf("settlement does not read back: %v\n%s", err, data)
			}
			if (back.Option.Amount == nil) != (op.Amount == nil) || op.Amount != nil && !back.Option.Amount.Equal(*op.Amount) {
				t.Fatalf("amount changed in the round trip: %s", data)
			}
		}
	})
}

const fuzzPolicy = `{
  "name": "fuzz", "currency": "EUR", "rounding": "half_even", "combine": "sum",
  "multipliers": {"tier": {"gold": "1.5", "vip": "2.25"}, "priority": {"P0": "1.2", "P1": "1.1"}},
  "limits": {"ticket_floor": "5.00", "ticket_cap": "1000.00", "customer_period_cap": "3000.00"},
  "approval_above": "500.00",
  "schedules": [
    {"name": "downtime", "measure": {"kind": "duration", "input": "downtime"},
     "reductions": [{"name": "shared fault", "percent": "33.333", "when": [{"flag": "shared_fault"}]}],
     "bands": [
      {"name": "b0", "range": "[0s, 1h)", "options": [{"id": "points", "kind": "points", "points": 7}]},
      {"name": "b1", "range": "[1h, 4h)", "options": [{"id": "credit", "kind": "credit", "formula": "percent", "percent": "10", "base": "monthly_charge"}]},
      {"name": "b2", "range": "[4h, 12h)", "options": [{"id": "credit", "kind": "credit", "formula": "percent", "percent": "25", "base": "monthly_charge", "floor": "20.00"},
                                                      {"id": "voucher", "kind": "voucher", "formula": "fixed", "amount": "33.33"}]},
      {"name": "b3", "range": "[12h, 24h)", "options": [{"id": "cash", "kind": "cash", "formula": "per_period", "amount": "95.00", "per_period": "45.00", "after": "12h", "every": "12h", "max_periods": 20}]},
      {"name": "b4", "range": "[24h, inf)", "options": [{"id": "cash", "kind": "cash", "formula": "multiple", "multiple": "3", "base": "monthly_charge", "min": "500.00", "max": "900.00", "plus_base": true, "cap": "950.00"},
                                                       {"id": "extend", "kind": "service_days", "days": 30}]}
     ]},
    {"name": "uptime", "measure": {"kind": "percentage", "input": "uptime"},
     "when": [{"number": "uptime", "op": "<", "value": "99.99"}],
     "bands": [
      {"name": "bad", "range": "[0, 95)", "options": [{"id": "credit", "kind": "credit", "formula": "percent", "percent": "100", "base": "monthly_charge", "cap": "800.00"}]},
      {"name": "poor", "range": "[95, 99.99)", "options": [{"id": "credit", "kind": "credit", "formula": "percent", "percent": "10", "base": "monthly_charge"}]},
      {"name": "ok", "range": "[99.99, 100]", "options": []}
     ]},
    {"name": "loss", "measure": {"kind": "amount", "input": "loss"},
     "when": [{"amount": "loss", "op": ">", "value": "0"}],
     "bands": [{"name": "any", "range": "[0, inf)", "options": [{"id": "cash", "kind": "cash", "formula": "percent", "percent": "12.5", "base": "loss"}]}]}
  ]
}`

// claimsFor builds a spread of claims that feed every measure of p.
func claimsFor(p *Policy) []Claim {
	durs := []time.Duration{0, time.Minute, 3 * time.Hour, 12*time.Hour + 1, 1000 * time.Hour}
	nums := []string{"0", "1.5", "99.99", "100", "-3", "1500"}
	amts := []string{"0", "0.01", "123.45", "99999.99"}
	var out []Claim
	for i := 0; i < 6; i++ {
		c := Claim{
			Tier: []string{"", "gold", "vip"}[i%3], Priority: []string{"", "P0", "P1", "P2", "P3"}[i%5],
			Durations: map[string]time.Duration{}, Amounts: map[string]Money{}, Numbers: map[string]decimal.Decimal{}, Flags: map[string]bool{},
		}
		scale := p.cur.MinorUnits
		for si := range p.schedules {
			sc := &p.schedules[si]
			feed := func(name string, k measureKind) {
				switch k {
				case kindDuration:
					c.Durations[name] = durs[i%len(durs)]
				case kindAmount:
					d := num(amts[i%len(amts)]).Truncate(scale)
					c.Amounts[name] = Money{amount: d, currency: p.cur}
				default:
					c.Numbers[name] = num(nums[i%len(nums)])
				}
			}
			feed(sc.input, sc.kind)
			for _, b := range sc.bands {
				for _, o := range b.options {
					if o.base != "" {
						d := num(amts[(i+1)%len(amts)]).Truncate(scale)
						c.Amounts[o.base] = Money{amount: d, currency: p.cur}
					}
				}
			}
			for _, cd := range sc.when {
				if cd.kind == condFlag {
					c.Flags[cd.input] = i%2 == 0
				}
			}
		}
		if i >= 3 {
			c.GrantedOnTicket = Money{amount: num("10").Truncate(p.cur.MinorUnits), currency: p.cur}
			c.GrantedInPeriod = Money{amount: num("100000").Truncate(p.cur.MinorUnits), currency: p.cur}
		}
		out = append(out, c)
	}
	return out
}

// checkOffer asserts the invariants of every offer: amounts in the policy
// currency and scale, never negative, within every cap that applies.
func checkOffer(t *testing.T, p *Policy, c Claim, off Offer) {
	t.Helper()
	capsByID := map[string][]limit{}
	for _, sc := range p.schedules {
		for _, b := range sc.bands {
			for _, o := range b.options {
				capsByID[o.id] = append(capsByID[o.id], o.cap)
			}
		}
	}
	granted := func(m Money) decimal.Decimal {
		if !m.Valid() {
			return decimal.Zero
		}
		return m.amount
	}
	check := func(op OfferOption, withheld bool) {
		if op.Points < 0 || op.Days < 0 {
			t.Fatalf("negative points or days: %+v", op)
		}
		if op.Amount == nil {
			if withheld && op.Points != 0 {
				t.Fatalf("withheld points option with points: %+v", op)
			}
			return
		}
		a := op.Amount.Amount()
		if op.Amount.Currency() != p.cur {
			t.Fatalf("currency %v, policy %v", op.Amount.Currency(), p.cur)
		}
		if a.Sign() < 0 {
			t.Fatalf("negative amount %s", a)
		}
		if withheld != a.IsZero() {
			t.Fatalf("withheld=%v with amount %s", withheld, a)
		}
		if !a.Shift(p.cur.MinorUnits).IsInteger() {
			t.Fatalf("amount %s finer than %s minor unit", a, p.cur.Code)
		}
		if p.ticketCap.set && a.Cmp(remaining(p.ticketCap.v, granted(c.GrantedOnTicket))) > 0 {
			t.Fatalf("ticket cap broken: %s > %s - %s", a, p.ticketCap.v, granted(c.GrantedOnTicket))
		}
		if p.periodCap.set && a.Cmp(remaining(p.periodCap.v, granted(c.GrantedInPeriod))) > 0 {
			t.Fatalf("period cap broken: %s", a)
		}
		allCapped, loosest := true, decimal.Zero
		for _, l := range capsByID[op.ID] {
			if !l.set {
				allCapped = false
				break
			}
			if l.v.Cmp(loosest) > 0 {
				loosest = l.v
			}
		}
		if allCapped && a.Cmp(loosest) > 0 {
			t.Fatalf("option cap broken: %s > %s", a, loosest)
		}
	}
	for _, op := range off.Options {
		check(op, false)
	}
	for _, op := range off.Withheld {
		check(op, true)
	}
}
