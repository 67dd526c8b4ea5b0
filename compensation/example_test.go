package compensation_test

import (
	"errors"
	"fmt"
	"time"

	"github.com/closeloop/closeloop/compensation"
	"github.com/shopspring/decimal"
)

// A flight of 1200 km arrived 3 hours 20 minutes late; the passenger had been
// re-routed and reached the destination 1 h 50 min after the originally
// scheduled arrival, so Regulation 261/2004 halves the 250 EUR.
func ExamplePolicy_Compute() {
	p, err := compensation.Preset("eu261-delay")
	if err != nil {
		panic(err)
	}
	offer, err := p.Compute(compensation.Claim{
		Ticket:  "T-1001",
		Numbers: map[string]decimal.Decimal{"distance_km": decimal.NewFromInt(1200)},
		Durations: map[string]time.Duration{
			"arrival_delay":         3*time.Hour + 20*time.Minute,
			"reroute_arrival_delay": time.Hour + 50*time.Minute,
		},
		Flags: map[string]bool{"intra_community": true},
	})
	if err != nil {
		panic(err)
	}
	for _, o := range offer.Options {
		fmt.Println(o.ID, o.Amount)
		fmt.Print(o.Explanation)
	}
	// Output:
	// compensation 125.00 EUR
	// intra-community: distance_km 1200 km in band 1500 km or less [0, 1500]; fixed 250.00; re-routed, arrived within 2h -50% → 125
	// rounding half_up to 2 places (EUR): 125 → 125.00
}

func ExampleParsePolicy() {
	p, err := compensation.ParsePolicy([]byte(`{
	  "name": "outage-credit",
	  "currency": "CNY",
	  "rounding": "half_up",
	  "multipliers": {"tier": {"gold": "1.5"}, "priority": {"P0": "1.2"}},
	  "limits": {"customer_period_cap": "3000.00"},
	  "approval_above": "500.00",
	  "schedules": [{
	    "name": "downtime",
	    "measure": {"kind": "duration", "input": "downtime"},
	    "bands": [
	      {"name": "under 1h", "range": "[0s, 1h)",   "options": []},
	      {"name": "1h-4h",    "range": "[1h, 4h)",   "options": [{"id": "credit", "kind": "credit", "formula": "percent", "percent": "10", "base": "monthly_charge"}]},
	      {"name": "4h-12h",   "range": "[4h, 12h)",  "options": [{"id": "credit", "kind": "credit", "formula": "percent", "percent": "25", "base": "monthly_charge"},
	                                                               {"id": "extend", "kind": "service_days", "days": 30}]},
	      {"name": "12h-24h",  "range": "[12h, 24h)", "options": [{"id": "credit", "kind": "credit", "formula": "percent", "percent": "50", "base": "monthly_charge"}]},
	      {"name": "24h+",     "range": "[24h, inf)", "options": [{"id": "credit", "kind": "credit", "formula": "percent", "percent": "100", "base": "monthly_charge"}]}
	    ]
	  }]
	}`))
	if err != nil {
		panic(err)
	}
	offer, err := p.Compute(compensation.Claim{
		Tier: "gold", Priority: "P0",
		Durations:       map[string]time.Duration{"downtime": 5 * time.Hour},
		Amounts:         map[string]compensation.Money{"monthly_charge": compensation.MustMoney("1234.56", "CNY")},
		GrantedInPeriod: compensation.MustMoney("2800.00", "CNY"),
	})
	if err != nil {
		panic(err)
	}
	for _, o := range offer.Options {
		switch o.Kind {
		case "credit":
			fmt.Println(o.ID, o.Amount, "needs approval:", o.NeedsApproval)
			fmt.Print(o.Explanation)
		case "service_days":
			fmt.Println(o.ID, o.Days, "days")
		}
	}
	// Output:
	// credit 200.00 CNY needs approval: false
	// downtime: downtime 5h0m0s in band 4h-12h [4h, 12h); 25 % of monthly_charge 1234.56 = 308.64 → 308.64
	// multiplier tier gold × 1.5: 308.64 → 462.96
	// multiplier priority P0 × 1.2: 462.96 → 555.552
	// rounding half_up to 2 places (CNY): 555.552 → 555.55
	// cap customer_period_cap 3000.00 less 2800.00 already granted in the period: 555.55 → 200.00
	// extend 30 days
}

// Bad rules name the JSON path at fault.
func ExampleParsePolicy_error() {
	_, err := compensation.ParsePolicy([]byte(`{"name": "x", "currency": "EUR", "rounding": "half_up",
	  "schedules": [{"name": "s", "measure": {"kind": "duration", "input": "delay"}, "bands": [
	    {"name": "a", "range": "[0s, 3h]", "options": []},
	    {"name": "b", "range": "[3h, inf)", "options": []}]}]}`))
	fmt.Println(err)
	// Output:
	// $.schedules[0].bands[1].range: bands overlap: [3h, inf) overlaps bands[0] [0s, 3h] (bands must be in ascending order and disjoint)
}

// The customer chooses among the options; the settlement goes into the
// ticket's history.
func ExampleOffer_Choose() {
	p, _ := compensation.Preset("business-interruption")
	offer, _ := p.Compute(compensation.Claim{
		Ticket:    "T-2002",
		Durations: map[string]time.Duration{"business_interruption": 26 * time.Hour},
	})
	for _, o := range offer.Options {
		fmt.Println("option:", o.ID, o.Value())
	}
	s, err := offer.Choose("extend_service", time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC))
	if err != nil {
		panic(err)
	}
	fmt.Println(s.Ticket, s.Status, s.Option.ID, s.Option.Days, s.Alternatives)
	// Output:
	// option: extend_service 90 days
	// option: priority_support service priority-support-3-months
	// option: dedicated_engineer service dedicated-engineer-6-months
	// T-2002 granted extend_service 90 [priority_support dedicated_engineer]
}

// China's consumer-protection law art. 55: refund plus three times the price,
// the increase being at least 500 yuan.
func ExamplePreset() {
	p, _ := compensation.Preset("cn-cpl-art55")
	for _, price := range []string{"100.00", "1000.00"} {
		offer, _ := p.Compute(compensation.Claim{
			Amounts: map[string]compensation.Money{"price": compensation.MustMoney(price, "CNY")},
			Flags:   map[string]bool{"fraud": true},
		})
		fmt.Println(price, "→", offer.Options[0].Amount)
	}
	// Output:
	// 100.00 → 600.00 CNY
	// 1000.00 → 4000.00 CNY
}

func ExampleMoney() {
	m, _ := compensation.ParseMoney("1500", "JPY")
	e, _ := compensation.ParseMoney("12.5", "EUR")
	fmt.Println(m, e)
	_, err := compensation.ParseMoney("12.345", "EUR")
	fmt.Println(err)
	// Output:
	// 1500 JPY 12.50 EUR
	// invalid amount: "12.345" in EUR: want a plain decimal string below 10^15 with at most 2 fraction digits
}

// Goodwill for a major (P1) complaint that ran 80 hours past its promised
// resolution (documents 001 and 004): the customer picks the voucher, valid
// 60 days, over the care gift that every major complaint is offered.
func ExampleOffer_Choose_voucher() {
	p, _ := compensation.Preset("complaint-goodwill")
	offer, _ := p.Compute(compensation.Claim{
		Ticket:    "T-3003",
		Priority:  "P1",
		Durations: map[string]time.Duration{"resolution_overrun": 80 * time.Hour},
	})
	for _, o := range offer.Options {
		fmt.Printf("%-16s %s (approval: %v)\n", o.ID, o.Value(), o.NeedsApproval)
	}
	s, _ := offer.Choose("voucher", time.Date(2026, 5, 1, 12, 0, 0, 0, time.UTC))
	fmt.Println(s.Status, s.ValidUntil.Format("2006-01-02"))
	// Output:
	// apology_letter   service apology-letter (approval: false)
	// points           1000 points (approval: false)
	// priority_service service priority-service (approval: false)
	// care_gift        service custom-care-gift (approval: true)
	// voucher          50.00 CNY voucher valid 60 days (approval: false)
	// granted 2026-06-30
}

// Pricing a claim without its offer: the largest amount the customer could
// choose and the option that carries it, exactly as Compute gives it.
func ExamplePolicy_MaxAmount() {
	p, _ := compensation.Preset("business-interruption")
	largest, err := p.MaxAmount(compensation.Claim{
		Tier:      "vip",
		Priority:  "P0",
		Durations: map[string]time.Duration{"business_interruption": 2 * time.Hour},
		Amounts:   map[string]compensation.Money{"economic_loss": compensation.MustMoney("20000.00", "CNY")},
	})
	if err != nil {
		panic(err)
	}
	minor, _ := largest.Amount.Minor()
	fmt.Println(largest.Option, largest.Kind, largest.Amount, minor, "needs approval:", largest.NeedsApproval)
	// Output:
	// loss_credit credit 6750.00 CNY 675000 needs approval: true
}

// A claim carries only what the policy reads: a misspelt input, or one in
// the wrong map, is refused with the map and the name at fault.
func ExampleInputError() {
	p, _ := compensation.Preset("business-interruption")
	for _, c := range []compensation.Claim{
		{Durations: map[string]time.Duration{"business_interuption": 30 * time.Hour}},
		{Numbers: map[string]decimal.Decimal{"economic_loss": decimal.NewFromInt(20000)}},
	} {
		_, err := p.Compute(c)
		var ie *compensation.InputError
		if errors.As(err, &ie) {
			fmt.Println(ie.Map, ie.Name, errors.Is(err, compensation.ErrUnknownInput), errors.Is(err, compensation.ErrWrongMap))
		}
		fmt.Println(err)
	}
	// Output:
	// durations business_interuption true false
	// compensation: claim input durations.business_interuption: unknown input: policy "business-interruption" does not read it (did you mean durations.business_interruption?)
	// numbers economic_loss true true
	// compensation: claim input numbers.economic_loss: input in the wrong map: given in numbers, the policy reads it from amounts
}
