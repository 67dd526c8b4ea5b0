package compensation

import (
	"encoding/json"
	"strconv"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestNewPolicyFromGo(t *testing.T) {
	days := 14
	spec := PolicySpec{
		Name: "go-built", Currency: "USD", Rounding: "down",
		Schedules: []ScheduleSpec{{
			Name:    "wait",
			Measure: MeasureSpec{Kind: "duration", Input: "wait"},
			Bands: []BandSpec{
				{Name: "short", Range: "[0s, 2h)", Options: []OptionSpec{}},
				{Name: "long", Range: "[2h, inf)", Options: []OptionSpec{
					{ID: "extend", Kind: "service_days", Days: &days},
					{ID: "voucher", Kind: "voucher", Formula: "fixed", Amount: "9.99"},
				}},
			},
		}},
	}
	p, err := NewPolicy(spec)
	require.NoError(t, err)
	off, err := p.Compute(Claim{Durations: map[string]time.Duration{"wait": 2 * time.Hour}})
	require.NoError(t, err)
	require.Len(t, off.Options, 2)
	assert.Equal(t, "14 days", off.Options[0].Value())
	assert.Equal(t, "9.99 USD voucher valid 30 days", off.Options[1].Value())

	spec.Schedules[0].Bands[1].Range = "[1h, inf)"
	_, err = NewPolicy(spec)
	var pe *PathError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, "$.schedules[0].bands[1].range", pe.Path)
	assert.ErrorIs(t, err, ErrOverlap)
}

func TestPointsAndWithheld(t *testing.T) {
	doc := `{"name": "pts", "currency": "EUR", "rounding": "half_up",
	  "multipliers": {"tier": {"silver": "1.25"}},
	  "schedules": [{"name": "s", "measure": {"kind": "number", "input": "n"},
	    "reductions": [{"name": "waived", "percent": "100", "when": [{"flag": "waived"}]}],
	    "bands": [{"name": "all", "range": "(-inf, inf)", "options": [
	      {"id": "points", "kind": "points", "points": 10},
	      {"id": "svc", "kind": "service", "service": "gift"}]}]}]}`
	p := mustParse(t, doc)
	off, err := p.Compute(Claim{Tier: "silver", Numbers: map[string]decimal.Decimal{"n": num("1")}})
	require.NoError(t, err)
	pts, ok := off.Option("points")
	require.True(t, ok)
	assert.EqualValues(t, 13, pts.Points) // 12.5 rounded half up
	assert.Equal(t, "13 points", pts.Value())
	assert.Equal(t, "service gift", off.Options[1].Value())

	off, err = p.Compute(Claim{Numbers: map[string]decimal.Decimal{"n": num("1")}, Flags: map[string]bool{"waived": true}})
	require.NoError(t, err)
	require.Len(t, off.Withheld, 1)
	assert.Equal(t, "points", off.Withheld[0].ID)
	assert.Equal(t, []string{"waived -100%"}, off.Readings[0].Reductions)
}

func TestExplanationString(t *testing.T) {
	p := mustParse(t, outageDoc)
	c := outageClaim()
	c.GrantedInPeriod = MustMoney("2800.00", "CNY")
	off, err := p.Compute(c)
	require.NoError(t, err)
	assert.Equal(t, `downtime: downtime 5h0m0s in band 4h-12h [4h, 12h); 25 % of monthly_charge 1234.56 = 308.64 → 308.64
multiplier tier gold × 1.5: 308.64 → 462.96
multiplier priority P0 × 1.2: 462.96 → 555.552
rounding half_up to 2 places (CNY): 555.552 → 555.55
cap customer_period_cap 3000.00 less 2800.00 already granted in the period: 555.55 → 200.00
`, off.Options[0].Explanation.String())
}

// A compiled policy is immutable: concurrent Compute calls agree (run with -race).
func TestComputeConcurrent(t *testing.T) {
	p := mustPreset(t, "business-interruption")
	want, err := p.Compute(Claim{Tier: "vip", Durations: map[string]time.Duration{"business_interruption": 30 * time.Hour},
		Amounts: map[string]Money{"economic_loss": MustMoney("54321.00", "CNY")}})
	require.NoError(t, err)
	var wg sync.WaitGroup
	for g := 0; g < 4; g++ {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := 0; i < 50; i++ {
				got, err := p.Compute(Claim{Tier: "vip", Durations: map[string]time.Duration{"business_interruption": 30 * time.Hour},
					Amounts: map[string]Money{"economic_loss": MustMoney("54321.00", "CNY")}})
				if err != nil || amountOf(got, "loss_credit") != amountOf(want, "loss_credit") {
					t.Errorf("concurrent compute differs: %v", err)
					return
				}
			}
		}()
	}
	wg.Wait()
}

func TestPointsBounded(t *testing.T) {
	doc := `{"name": "big", "currency": "EUR", "rounding": "half_up", "combine": "sum",
	  "multipliers": {"tier": {"x": "1000"}, "priority": {"P0": "1000"}},
	  "schedules": [` + strings.Repeat(`{"name": "s%d", "measure": {"kind": "number", "input": "n"},
	    "bands": [{"name": "all", "range": "(-inf, inf)", "options": [
	      {"id": "points", "kind": "points", "points": 1000000000000},
	      {"id": "cash", "kind": "cash", "formula": "fixed", "amount": "999999999999999.99"}]}]},`, 9) + `
	    {"name": "last", "measure": {"kind": "number", "input": "n"}, "bands": [{"name": "all", "range": "(-inf, inf)", "options": []}]}]}`
	for i := 0; i < 9; i++ {
		doc = strings.Replace(doc, "s%d", "s"+strconv.Itoa(i), 1)
	}
	p := mustParse(t, doc)
	off, err := p.Compute(Claim{Tier: "x", Priority: "P0", Numbers: map[string]decimal.Decimal{"n": num("0")}})
	require.NoError(t, err)
	pts, _ := off.Option("points")
	assert.EqualValues(t, 1_000_000_000_000_000, pts.Points)
	cash, _ := off.Option("cash")
	assert.Equal(t, "8999999999999999910000.00", cash.Amount.Text())
	s, err := off.Choose("cash", time.Unix(0, 0))
	require.NoError(t, err)
	data, err := json.Marshal(s)
	require.NoError(t, err)
	var back Settlement
	require.NoError(t, json.Unmarshal(data, &back))
	assert.True(t, back.Option.Amount.Equal(*cash.Amount))
}

func TestInputs(t *testing.T) {
	assert.Equal(t, []Input{
		{Map: "flags", Name: "intra_community"},
		{Map: "durations", Name: "arrival_delay"},
		{Map: "numbers", Name: "distance_km"},
		{Map: "durations", Name: "reroute_arrival_delay"},
	}, mustPreset(t, "eu261-delay").Inputs())
	assert.Equal(t, []Input{
		{Map: "numbers", Name: "monthly_uptime_percent", Required: true},
		{Map: "amounts", Name: "monthly_charge", Required: true},
	}, mustPreset(t, "aws-ec2-region").Inputs())
}
