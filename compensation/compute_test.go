package compensation

import (
	"encoding/json"
	"strings"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// outageDoc is the policy of the package doc's worked example.
const outageDoc = `{
  "name": "outage-credit",
  "currency": "CNY",
  "rounding": "half_up",
  "multipliers": {"tier": {"gold": "1.5"}, "priority": {"P0": "1.2"}},
  "limits": {"ticket_cap": "1000.00", "customer_period_cap": "3000.00"},
  "approval_above": "500.00",
  "schedules": [{
    "name": "downtime",
    "measure": {"kind": "duration", "input": "downtime"},
    "reductions": [{"name": "shared fault", "percent": "50", "when": [{"flag": "shared_fault"}]}],
    "bands": [
      {"name": "under 1h",  "range": "[0s, 1h)",   "options": []},
      {"name": "1h-4h",     "range": "[1h, 4h)",   "options": [{"id": "credit", "kind": "credit", "formula": "percent", "percent": "10", "base": "monthly_charge"}]},
      {"name": "4h-12h",    "range": "[4h, 12h)",  "options": [{"id": "credit", "kind": "credit", "formula": "percent", "percent": "25", "base": "monthly_charge"}]},
      {"name": "12h-24h",   "range": "[12h, 24h)", "options": [{"id": "credit", "kind": "credit", "formula": "percent", "percent": "50", "base": "monthly_charge"}]},
      {"name": "24h+",      "range": "[24h, inf)", "options": [{"id": "credit", "kind": "credit", "formula": "percent", "percent": "100", "base": "monthly_charge", "cap": "800.00"}]}
    ]
  }]
}`

func outageClaim() Claim {
	return Claim{
		Ticket: "T-1", Customer: "C-9", Tier: "gold", Priority: "P0",
		Durations: map[string]time.Duration{"downtime": 5 * time.Hour},
		Amounts:   map[string]Money{"monthly_charge": MustMoney("1234.56", "CNY")},
	}
}

func TestComputeWorkedExample(t *testing.T) {
	p := mustParse(t, outageDoc)
	off, err := p.Compute(outageClaim())
	require.NoError(t, err)
	require.Len(t, off.Options, 1)
	op := off.Options[0]
	assert.Equal(t, "555.55", op.Amount.Text())
	assert.True(t, op.NeedsApproval)
	require.Len(t, op.Explanation.Sources, 1)
	src := op.Explanation.Sources[0]
	assert.Equal(t, "5h0m0s", src.Value)
	assert.Equal(t, "4h-12h", src.Band)
	assert.Equal(t, "[4h, 12h)", src.Range)
	assert.Equal(t, "25 % of monthly_charge 1234.56 = 308.64", src.Formula)
	var stages []string
	for _, s := range op.Explanation.Steps {
		stages = append(stages, s.Stage+" "+s.Rule+": "+s.Before+" → "+s.After)
	}
	assert.Equal(t, []string{
		"multiplier tier gold × 1.5: 308.64 → 462.96",
		"multiplier priority P0 × 1.2: 462.96 → 555.552",
		"rounding half_up to 2 places (CNY): 555.552 → 555.55",
		"approval amount over approval_above 500.00: 555.55 → 555.55",
	}, stages)
}

func TestComputeOrderOfAdjustments(t *testing.T) {
	p := mustParse(t, outageDoc)
	tests := []struct {
		name    string
		edit    func(*Claim)
		want    string
		approve bool
		lastCap string // rule of the last cap that bit, "" none
	}{
		{"worked example", func(*Claim) {}, "555.55", true, ""},
		{"reduction before multipliers", func(c *Claim) { c.Flags = map[string]bool{"shared_fault": true} }, "277.78", false, ""}, // 154.32 × 1.8 = 277.776
		{"no tier, no priority", func(c *Claim) { c.Tier, c.Priority = "", "" }, "308.64", false, ""},
		{"unknown tier multiplies by 1", func(c *Claim) { c.Tier, c.Priority = "bronze", "P3" }, "308.64", false, ""},
		{"period cap with what was granted", func(c *Claim) { c.GrantedInPeriod = MustMoney("2800.00", "CNY") }, "200.00", false, "customer_period_cap 3000.00 less 2800.00 already granted in the period"},
		{"ticket cap with what was granted", func(c *Claim) { c.GrantedOnTicket = MustMoney("900.00", "CNY") }, "100.00", false, "ticket_cap 1000.00 less 900.00 already granted on the ticket"},
		{"option cap after multipliers", func(c *Claim) { c.Durations["downtime"] = 30 * time.Hour }, "800.00", true, "option cap 800.00"},
		{"ticket cap", func(c *Claim) {
			c.Durations["downtime"] = 20 * time.Hour
			c.Amounts["monthly_charge"] = MustMoney("5000.00", "CNY")
		}, "1000.00", true, "ticket_cap 1000.00"},
		{"caps already used up", func(c *Claim) { c.GrantedInPeriod = MustMoney("3500.00", "CNY") }, "", false, ""},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := outageClaim()
			tc.edit(&c)
			off, err := p.Compute(c)
			require.NoError(t, err)
			assert.Equal(t, tc.want, amountOf(off, "credit"))
			if tc.want == "" {
				require.Len(t, off.Withheld, 1)
				return
			}
			op, _ := off.Option("credit")
			assert.Equal(t, tc.approve, op.NeedsApproval)
			last := ""
			for _, s := range op.Explanation.Steps {
				if s.Stage == "cap" {
					last = s.Rule
				}
			}
			assert.Equal(t, tc.lastCap, last)
		})
	}
}

func TestRoundingModes(t *testing.T) {
	doc := func(mode, cur string) string {
		return `{"name": "r", "currency": "` + cur + `", "rounding": "` + mode + `", "schedules": [{"name": "s",
		  "measure": {"kind": "number", "input": "n"},
		  "bands": [{"name": "all", "range": "(-inf, inf)", "options": [{"id": "c", "kind": "cash", "formula": "percent", "percent": "10", "base": "b"}]}]}]}`
	}
	tests := []struct {
		mode, cur, base, want string
	}{
		{"half_up", "EUR", "123.45", "12.35"},
		{"half_even", "EUR", "123.45", "12.34"},
		{"half_even", "EUR", "123.55", "12.36"},
		{"down", "EUR", "123.49", "12.34"},
		{"up", "EUR", "123.41", "12.35"},
		{"up", "EUR", "123.40", "12.34"},
		{"half_up", "JPY", "1235", "124"},
		{"half_even", "JPY", "1225", "122"},
		{"down", "JPY", "1239", "123"},
		{"half_up", "KWD", "1.2345", ""}, // KWD has 3 decimals: the base itself is invalid
		{"half_up", "KWD", "1.235", "0.124"},
		{"half_even", "KWD", "1.225", "0.122"},
	}
	for _, tc := range tests {
		t.Run(tc.mode+"/"+tc.cur+"/"+tc.base, func(t *testing.T) {
			p := mustParse(t, doc(tc.mode, tc.cur))
			m, err := ParseMoney(tc.base, tc.cur)
			if tc.want == "" {
				require.ErrorIs(t, err, ErrBadAmount)
				return
			}
			require.NoError(t, err)
			off, err := p.Compute(Claim{Numbers: map[string]decimal.Decimal{"n": num("1")}, Amounts: map[string]Money{"b": m}})
			require.NoError(t, err)
			assert.Equal(t, tc.want, amountOf(off, "c"))
		})
	}
}

// Two schedules, each offering cash, voucher, points, days and a service,
// combined by sum or by max.
func combineDoc(mode string) string {
	sched := func(name, input, amount, pts, days string) string {
		return `{"name": "` + name + `", "measure": {"kind": "duration", "input": "` + input + `"},
		  "when": [{"duration": "` + input + `", "op": ">", "value": "0s"}],
		  "bands": [{"name": "any", "range": "[0s, inf)", "options": [
		    {"id": "cash", "kind": "cash", "formula": "fixed", "amount": "` + amount + `", "cap": "150.00"},
		    {"id": "voucher", "kind": "voucher", "formula": "fixed", "amount": "` + amount + `"},
		    {"id": "points", "kind": "points", "points": ` + pts + `},
		    {"id": "extend", "kind": "service_days", "days": ` + days + `},
		    {"id": "support", "kind": "service", "service": "priority-support"}]}]}`
	}
	return `{"name": "combo", "currency": "EUR", "rounding": "half_up", "combine": "` + mode + `",
	  "schedules": [` + sched("a", "wait", "100.00", "300", "10") + `, ` + sched("b", "outage", "80.00", "500", "7") + `]}`
}

func TestCombine(t *testing.T) {
	claim := Claim{Durations: map[string]time.Duration{"wait": time.Hour, "outage": time.Hour}}
	for _, tc := range []struct {
		mode                 string
		cash, voucher        string
		points               int64
		days                 int
		usedA, usedB         bool
		cashCapped, oneInput bool
	}{
		{mode: "sum", cash: "150.00", voucher: "180.00", points: 800, days: 17, usedA: true, usedB: true},
		{mode: "max", cash: "100.00", voucher: "100.00", points: 500, days: 10, usedA: true, usedB: false},
	} {
		t.Run(tc.mode, func(t *testing.T) {
			p := mustParse(t, combineDoc(tc.mode))
			off, err := p.Compute(claim)
			require.NoError(t, err)
			assert.Equal(t, tc.cash, amountOf(off, "cash"))
			assert.Equal(t, tc.voucher, amountOf(off, "voucher"))
			pts, _ := off.Option("points")
			assert.Equal(t, tc.points, pts.Points)
			ext, _ := off.Option("extend")
			assert.Equal(t, tc.days, ext.Days)
			sup, _ := off.Option("support")
			assert.Equal(t, "priority-support", sup.Service)
			assert.Len(t, sup.Explanation.Sources, 2)
			v, _ := off.Option("voucher")
			assert.Equal(t, tc.usedA, v.Explanation.Sources[0].Used)
			assert.Equal(t, tc.usedB || tc.mode == "sum", v.Explanation.Sources[1].Used)
			assert.Equal(t, "combine", v.Explanation.Steps[0].Stage)
			assert.Equal(t, "100, 80", v.Explanation.Steps[0].Before)
		})
	}
	// Only one schedule applies: nothing to combine.
	p := mustParse(t, combineDoc("sum"))
	off, err := p.Compute(Claim{Durations: map[string]time.Duration{"wait": time.Hour}})
	require.NoError(t, err)
	assert.Equal(t, "100.00", amountOf(off, "cash"))
	assert.False(t, off.Readings[1].Applies)
	assert.Contains(t, off.Readings[1].Note, "outage")
}

func TestFloorsAndCaps(t *testing.T) {
	doc := `{"name": "fc", "currency": "EUR", "rounding": "half_up",
	  "limits": {"ticket_floor": "20.00", "ticket_cap": "100.00"},
	  "schedules": [{"name": "s", "measure": {"kind": "amount", "input": "loss"},
	    "bands": [{"name": "all", "range": "[0, inf)", "options": [
	      {"id": "c", "kind": "cash", "formula": "percent", "percent": "10", "base": "loss", "floor": "30.00", "cap": "80.00"}]}]}]}`
	p := mustParse(t, doc)
	for _, tc := range []struct{ loss, granted, want string }{
		{"50.00", "", "30.00"},       // 5.00 raised to the option floor 30
		{"500.00", "", "50.00"},      // within bounds
		{"5000.00", "", "80.00"},     // option cap
		{"500.00", "90.00", "10.00"}, // ticket cap 100 less 90 beats every floor
		{"500.00", "100.00", ""},     // nothing left: withheld
	} {
		t.Run(tc.loss+"/"+tc.granted, func(t *testing.T) {
			c := Claim{Amounts: map[string]Money{"loss": MustMoney(tc.loss, "EUR")}}
			if tc.granted != "" {
				c.GrantedOnTicket = MustMoney(tc.granted, "EUR")
			}
			off, err := p.Compute(c)
			require.NoError(t, err)
			assert.Equal(t, tc.want, amountOf(off, "c"))
		})
	}
}

func TestComputeInputErrors(t *testing.T) {
	p := mustParse(t, outageDoc)
	aws := mustPreset(t, "aws-ec2-region")
	awsClaim := func() Claim {
		return Claim{
			Numbers: map[string]decimal.Decimal{"monthly_uptime_percent": num("99.5")},
			Amounts: map[string]Money{"monthly_charge": MustMoney("10.00", "USD")},
		}
	}
	tests := []struct {
		name     string
		p        *Policy
		edit     func(*Claim)
		m, input string // InputError.Map and .Name
		sentinel error
	}{
		{"missing measure", p, func(c *Claim) { delete(c.Durations, "downtime") }, "durations", "downtime", ErrMissingInput},
		{"negative duration", p, func(c *Claim) { c.Durations["downtime"] = -time.Second }, "durations", "downtime", ErrInvalidInput},
		{"missing base", p, func(c *Claim) { delete(c.Amounts, "monthly_charge") }, "amounts", "monthly_charge", ErrMissingInput},
		{"other currency", p, func(c *Claim) { c.Amounts["monthly_charge"] = MustMoney("10.00", "EUR") }, "amounts", "monthly_charge", ErrCurrencyMismatch},
		{"zero Money", p, func(c *Claim) { c.Amounts["monthly_charge"] = Money{} }, "amounts", "monthly_charge", ErrCurrencyMismatch},
		{"bad priority", p, func(c *Claim) { c.Priority = "high" }, "", "priority", ErrInvalidInput},
		{"granted in other currency", p, func(c *Claim) { c.GrantedInPeriod = MustMoney("1", "USD") }, "", "granted_in_period", ErrCurrencyMismatch},
		{"uptime over 100", aws, func(c *Claim) { c.Numbers["monthly_uptime_percent"] = num("100.1") }, "numbers", "monthly_uptime_percent", ErrInvalidInput},
		{"hostile exponent", aws, func(c *Claim) { c.Numbers["monthly_uptime_percent"] = decimal.New(1, -1_000_000_000) }, "numbers", "monthly_uptime_percent", ErrInvalidInput},
		{"huge number", aws, func(c *Claim) { c.Numbers["monthly_uptime_percent"] = decimal.New(1, 400) }, "numbers", "monthly_uptime_percent", ErrInvalidInput},
		{"missing uptime", aws, func(c *Claim) { delete(c.Numbers, "monthly_uptime_percent") }, "numbers", "monthly_uptime_percent", ErrMissingInput},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := outageClaim()
			if tc.p == aws {
				c = awsClaim()
			}
			tc.edit(&c)
			_, err := tc.p.Compute(c)
			var ie *InputError
			require.ErrorAs(t, err, &ie)
			assert.Equal(t, tc.m, ie.Map)
			assert.Equal(t, tc.input, ie.Name)
			want := tc.input
			if tc.m != "" {
				want = tc.m + "." + tc.input
			}
			assert.Equal(t, want, ie.Input)
			assert.ErrorIs(t, err, tc.sentinel)
		})
	}
}

func TestChoose(t *testing.T) {
	p := mustPreset(t, "complaint-goodwill")
	off, err := p.Compute(Claim{Ticket: "T-7", Customer: "C-1", Priority: "P0", Durations: map[string]time.Duration{"resolution_overrun": 100 * time.Hour}})
	require.NoError(t, err)
	at := time.Date(2026, 1, 31, 10, 0, 0, 0, time.UTC)

	s, err := off.Choose("voucher", at)
	require.NoError(t, err)
	assert.Equal(t, StatusGranted, s.Status)
	assert.Equal(t, "T-7", s.Ticket)
	assert.Equal(t, "50.00", s.Option.Amount.Text())
	require.NotNil(t, s.ValidUntil)
	assert.Equal(t, time.Date(2026, 4, 1, 10, 0, 0, 0, time.UTC), *s.ValidUntil) // 60 calendar days
	assert.Equal(t, []string{"apology_letter", "points", "priority_service", "care_gift"}, s.Alternatives)

	data, err := json.Marshal(s)
	require.NoError(t, err)
	assert.Contains(t, string(data), `"amount":{"amount":"50.00","currency":"CNY"}`)
	var back Settlement
	require.NoError(t, json.Unmarshal(data, &back))
	assert.True(t, back.Option.Amount.Equal(*s.Option.Amount))
	assert.Equal(t, s.Explanation(), back.Explanation())

	m, ok := s.Granted()
	assert.True(t, ok)
	assert.Equal(t, "50.00 CNY", m.String())

	g, err := off.Choose("care_gift", at)
	require.NoError(t, err)
	_, ok = g.Granted()
	assert.False(t, ok)
	assert.Equal(t, StatusPendingApproval, g.Status)
	assert.Nil(t, g.ValidUntil)

	_, err = off.Choose("cash", at)
	assert.ErrorIs(t, err, ErrNoSuchOption)
}

func TestOfferJSON(t *testing.T) {
	p := mustParse(t, outageDoc)
	off, err := p.Compute(outageClaim())
	require.NoError(t, err)
	data, err := json.Marshal(off)
	require.NoError(t, err)
	s := string(data)
	assert.Contains(t, s, `"amount":{"amount":"555.55","currency":"CNY"}`)
	assert.Contains(t, s, `"needs_approval":true`)
	assert.False(t, strings.Contains(s, "e+"), "no exponent notation: %s", s)
}

func TestComputeDeterministic(t *testing.T) {
	p := mustPreset(t, "business-interruption")
	c := Claim{Tier: "gold", Durations: map[string]time.Duration{"business_interruption": 30 * time.Hour},
		Amounts: map[string]Money{"economic_loss": MustMoney("12345.67", "CNY")}}
	a, err := p.Compute(c)
	require.NoError(t, err)
	b, err := p.Compute(c)
	require.NoError(t, err)
	ja, _ := json.Marshal(a)
	jb, _ := json.Marshal(b)
	assert.JSONEq(t, string(ja), string(jb))
}
