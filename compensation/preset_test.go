package compensation

import (
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/closeloop/closeloop"
)

func TestPresetsCompile(t *testing.T) {
	names := PresetNames()
	require.Equal(t, []string{"aws-ec2-region", "business-interruption", "cn-cpl-art55", "complaint-goodwill", "eu261-delay", "ofgem-supply-restoration"}, names)
	for _, n := range names {
		p, err := Preset(n)
		require.NoError(t, err, n)
		assert.Equal(t, n, p.Name())
		assert.NotEmpty(t, p.Source(), n)
		assert.NotEmpty(t, p.Description(), n)
	}
	_, err := Preset("nope")
	require.ErrorIs(t, err, ErrUnknownPreset)
	require.ErrorIs(t, err, closeloop.ErrUnknownPreset)
	_, err = PresetJSON("../compile")
	require.ErrorIs(t, err, ErrUnknownPreset)
}

// EU Regulation 261/2004 art. 7: 250 EUR up to 1500 km; 400 EUR intra-Community
// over 1500 km and other flights 1500-3500 km; 600 EUR otherwise; halved when the
// re-routed arrival is within 2 / 3 / 4 hours of the scheduled one. Delay
// compensation is due from an arrival delay of 3 hours (Sturgeon).
func TestPresetEU261(t *testing.T) {
	p := mustPreset(t, "eu261-delay")
	tests := []struct {
		name    string
		km      string
		delay   time.Duration
		intra   bool
		reroute time.Duration // 0: not re-routed
		want    string        // "" no compensation
	}{
		{"short, 3h", "1200", 3 * time.Hour, true, 0, "250.00"},
		{"exactly 1500 km is short", "1500", 5 * time.Hour, false, 0, "250.00"},
		{"1500.1 km other flight", "1500.1", 4 * time.Hour, false, 0, "400.00"},
		{"3500 km other flight", "3500", 4 * time.Hour, false, 0, "400.00"},
		{"3501 km other flight", "3501", 4 * time.Hour, false, 0, "600.00"},
		{"intra-Community 3600 km", "3600", 4 * time.Hour, true, 0, "400.00"},
		{"delay under 3h", "1200", 3*time.Hour - time.Minute, false, 0, ""},
		{"rerouted within 2h halves short", "1200", 3 * time.Hour, false, 2 * time.Hour, "125.00"},
		{"rerouted 2h01m does not", "1200", 3 * time.Hour, false, 2*time.Hour + time.Minute, "250.00"},
		{"rerouted within 3h halves medium", "2000", 5 * time.Hour, false, 3 * time.Hour, "200.00"},
		{"rerouted within 3h halves intra long", "4000", 5 * time.Hour, true, 3 * time.Hour, "200.00"},
		{"rerouted within 4h halves long", "6000", 6 * time.Hour, false, 4 * time.Hour, "300.00"},
		{"rerouted 4h01m long", "6000", 6 * time.Hour, false, 4*time.Hour + time.Minute, "600.00"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			c := Claim{
				Numbers:   map[string]decimal.Decimal{"distance_km": num(tc.km)},
				Durations: map[string]time.Duration{"arrival_delay": tc.delay},
				Flags:     map[string]bool{"intra_community": tc.intra},
			}
			if tc.reroute > 0 {
				c.Durations["reroute_arrival_delay"] = tc.reroute
			}
			off, err := p.Compute(c)
			require.NoError(t, err)
			assert.Equal(t, tc.want, amountOf(off, "compensation"))
			if tc.want == "" {
				assert.Empty(t, off.Options)
			} else {
				assert.Len(t, off.Options, 1)
				assert.Equal(t, "EUR", off.Options[0].Amount.Currency().Code)
			}
		})
	}
}

// Amazon Compute SLA, Region-Level: < 99.99 % and >= 99.0 %: 10 %;
// < 99.0 % and >= 95.0 %: 30 %; < 95.0 %: 100 % of the monthly charges.
func TestPresetAWS(t *testing.T) {
	p := mustPreset(t, "aws-ec2-region")
	tests := []struct {
		uptime, charge, want string
	}{
		{"100", "1000.00", ""},
		{"99.99", "1000.00", ""},
		{"99.989", "1000.00", "100.00"},
		{"99.0", "1000.00", "100.00"},
		{"98.999", "1000.00", "300.00"},
		{"95", "1000.00", "300.00"},
		{"94.99", "1000.00", "1000.00"},
		{"0", "1000.00", "1000.00"},
		{"99.5", "123.45", "12.35"}, // 12.345 rounded half up, once
		{"97", "0.05", "0.02"},      // 0.015 → 0.02
	}
	for _, tc := range tests {
		t.Run(tc.uptime+"/"+tc.charge, func(t *testing.T) {
			off, err := p.Compute(Claim{
				Numbers: map[string]decimal.Decimal{"monthly_uptime_percent": num(tc.uptime)},
				Amounts: map[string]Money{"monthly_charge": MustMoney(tc.charge, "USD")},
			})
			require.NoError(t, err)
			assert.Equal(t, tc.want, amountOf(off, "service_credit"))
		})
	}
}

// PRC Consumer Rights Protection Law art. 55: refund plus three times the
// price; the increased compensation is at least 500 yuan.
func TestPresetCNArt55(t *testing.T) {
	p := mustPreset(t, "cn-cpl-art55")
	tests := []struct {
		price string
		fraud bool
		want  string
	}{
		{"100.00", true, "600.00"},     // 100 + max(300, 500)
		{"1000.00", true, "4000.00"},   // 1000 + 3000
		{"166.66", true, "666.66"},     // 3× = 499.98 < 500
		{"166.67", true, "666.68"},     // 3× = 500.01
		{"0.01", true, "500.01"},       // a cent plus the minimum
		{"12345.67", true, "49382.68"}, // 12345.67 × 4
		{"1000.00", false, ""},         // no fraud, no punitive compensation
	}
	for _, tc := range tests {
		t.Run(tc.price, func(t *testing.T) {
			off, err := p.Compute(Claim{
				Amounts: map[string]Money{"price": MustMoney(tc.price, "CNY")},
				Flags:   map[string]bool{"fraud": tc.fraud},
			})
			require.NoError(t, err)
			assert.Equal(t, tc.want, amountOf(off, "refund_plus_compensation"))
		})
	}
}

// GB electricity guaranteed standard, regulation 5 (2023 amounts): more than 12
// hours off supply: 95 GBP domestic, 190 GBP non-domestic, plus 45 GBP for each
// further completed 12 hours.
func TestPresetOfgem(t *testing.T) {
	p := mustPreset(t, "ofgem-supply-restoration")
	tests := []struct {
		off         time.Duration
		nonDomestic bool
		want        string
	}{
		{12 * time.Hour, false, ""},
		{12*time.Hour + time.Minute, false, "95.00"},
		{24*time.Hour - time.Minute, false, "95.00"},
		{24 * time.Hour, false, "140.00"},
		{36 * time.Hour, false, "185.00"},
		{72 * time.Hour, false, "320.00"},
		{13 * time.Hour, true, "190.00"},
		{30 * time.Hour, true, "235.00"},
	}
	for _, tc := range tests {
		t.Run(tc.off.String(), func(t *testing.T) {
			off, err := p.Compute(Claim{
				Durations: map[string]time.Duration{"supply_interruption": tc.off},
				Flags:     map[string]bool{"non_domestic": tc.nonDomestic},
			})
			require.NoError(t, err)
			assert.Equal(t, tc.want, amountOf(off, "guaranteed_standard_payment"))
		})
	}
}

func TestPresetDoc000(t *testing.T) {
	p := mustPreset(t, "business-interruption")
	ids := func(o Offer) []string {
		var s []string
		for _, op := range o.Options {
			s = append(s, op.ID)
		}
		return s
	}
	t.Run("interruption only", func(t *testing.T) {
		off, err := p.Compute(Claim{Durations: map[string]time.Duration{"business_interruption": 5 * time.Hour}})
		require.NoError(t, err)
		assert.Equal(t, []string{"extend_service", "health_check", "priority_support"}, ids(off))
		op, _ := off.Option("extend_service")
		assert.Equal(t, 30, op.Days)
		require.Len(t, off.Readings, 2)
		assert.False(t, off.Readings[1].Applies, "no loss given: the loss schedule does not apply")
	})
	t.Run("under an hour, nothing", func(t *testing.T) {
		off, err := p.Compute(Claim{Durations: map[string]time.Duration{"business_interruption": 59 * time.Minute}})
		require.NoError(t, err)
		assert.Empty(t, off.Options)
	})
	t.Run("both, combined by max, multipliers, approval", func(t *testing.T) {
		off, err := p.Compute(Claim{
			Tier: "vip", Priority: "P0",
			Durations: map[string]time.Duration{"business_interruption": 2 * time.Hour},
			Amounts:   map[string]Money{"economic_loss": MustMoney("20000.00", "CNY")},
		})
		require.NoError(t, err)
		assert.Equal(t, []string{"extend_service", "health_check", "loss_credit"}, ids(off))
		ext, _ := off.Option("extend_service")
		assert.Equal(t, 90, ext.Days, "max(7 days by interruption, 90 days by loss)")
		require.Len(t, ext.Explanation.Sources, 2)
		assert.False(t, ext.Explanation.Sources[0].Used)
		assert.True(t, ext.Explanation.Sources[1].Used)
		credit, _ := off.Option("loss_credit")
		// 15 % of 20000 = 3000; × 1.5 (vip) × 1.5 (P0) = 6750 > 5000 approval threshold
		assert.Equal(t, "6750.00", credit.Amount.Text())
		assert.True(t, credit.NeedsApproval)
	})
	t.Run("large loss hits the option cap", func(t *testing.T) {
		off, err := p.Compute(Claim{Amounts: map[string]Money{"economic_loss": MustMoney("500000.00", "CNY")}})
		require.NoError(t, err)
		credit, _ := off.Option("loss_credit")
		assert.Equal(t, "30000.00", credit.Amount.Text())
		assert.True(t, credit.NeedsApproval)
		last := credit.Explanation.Steps[len(credit.Explanation.Steps)-2]
		assert.Equal(t, "cap", last.Stage)
		assert.Equal(t, "100000.00", last.Before)
	})
}

func TestPresetDoc001(t *testing.T) {
	p := mustPreset(t, "complaint-goodwill")
	off, err := p.Compute(Claim{Priority: "P1", Durations: map[string]time.Duration{"resolution_overrun": 48 * time.Hour}})
	require.NoError(t, err)
	var ids []string
	for _, op := range off.Options {
		ids = append(ids, op.ID)
	}
	assert.Equal(t, []string{"apology_letter", "points", "priority_service", "care_gift", "voucher"}, ids,
		"a major complaint 48 h late: the care gift no longer waits for 72 h")
	v, _ := off.Option("voucher")
	assert.Equal(t, "20.00", v.Amount.Text())
	assert.Equal(t, 30, v.ValidDays, "vouchers are valid at least 30 days by default")
	pts, _ := off.Option("points")
	assert.EqualValues(t, 500, pts.Points)

	// A VIP doubles points and vouchers; the customer-period cap of 200 with
	// 190 already granted leaves 10.
	off, err = p.Compute(Claim{Tier: "vip", Priority: "P3",
		Durations:       map[string]time.Duration{"resolution_overrun": 80 * time.Hour},
		GrantedInPeriod: MustMoney("190.00", "CNY")})
	require.NoError(t, err)
	v, _ = off.Option("voucher")
	assert.Equal(t, "10.00", v.Amount.Text())
	assert.Equal(t, 60, v.ValidDays)
	pts, _ = off.Option("points")
	assert.EqualValues(t, 2000, pts.Points)
	_, ok := off.Option("priority_service")
	assert.False(t, ok, "priority service is for P0/P1 complaints")
	_, ok = off.Option("care_gift")
	assert.False(t, ok, "the care gift is for major complaints, however late a P3 is")

	// The period cap used up: the voucher is withheld, not offered.
	off, err = p.Compute(Claim{Durations: map[string]time.Duration{"resolution_overrun": 80 * time.Hour},
		GrantedInPeriod: MustMoney("250.00", "CNY")})
	require.NoError(t, err)
	_, ok = off.Option("voucher")
	assert.False(t, ok)
	require.Len(t, off.Withheld, 1)
	assert.Equal(t, "voucher", off.Withheld[0].ID)
	assert.Equal(t, "0.00", off.Withheld[0].Amount.Text())
}

// Document 001: a major complaint (P0 or P1, the complaint-grading levels
// emergency and high) is offered the custom care gift, with approval, in
// every band, on time too; no other complaint is, however late.
func TestPresetDoc001CareGift(t *testing.T) {
	p := mustPreset(t, "complaint-goodwill")
	for _, tc := range []struct {
		priority string
		overrun  time.Duration
		band     string
		gift     bool
	}{
		{"P0", 0, "under 24h", true}, // resolved on time
		{"P1", 0, "under 24h", true},
		{"P0", 30 * time.Hour, "24h to under 72h", true},
		{"P1", 71 * time.Hour, "24h to under 72h", true},
		{"P0", 72 * time.Hour, "72h or more", true},
		{"P1", 500 * time.Hour, "72h or more", true},
		{"P2", 0, "under 24h", false},
		{"P2", 100 * time.Hour, "72h or more", false},
		{"P3", 100 * time.Hour, "72h or more", false},
		{"", 100 * time.Hour, "72h or more", false},
	} {
		t.Run(tc.priority+"/"+tc.overrun.String(), func(t *testing.T) {
			off, err := p.Compute(Claim{Priority: tc.priority, Durations: map[string]time.Duration{"resolution_overrun": tc.overrun}})
			require.NoError(t, err)
			assert.Equal(t, tc.band, off.Readings[0].Band)
			gift, ok := off.Option("care_gift")
			assert.Equal(t, tc.gift, ok)
			if ok {
				assert.True(t, gift.NeedsApproval)
				assert.Equal(t, "custom-care-gift", gift.Service)
				assert.Equal(t, "service custom-care-gift", gift.Value())
				_, ps := off.Option("priority_service")
				assert.True(t, ps, "a major complaint gets priority service too")
			}
		})
	}
	// The offer of an on-time major complaint, in full.
	off, err := p.Compute(Claim{Priority: "P1", Durations: map[string]time.Duration{"resolution_overrun": 0}})
	require.NoError(t, err)
	var got []string
	for _, op := range off.Options {
		got = append(got, op.ID+" "+op.Value())
	}
	assert.Equal(t, []string{"apology_letter service apology-letter", "points 200 points",
		"priority_service service priority-service", "care_gift service custom-care-gift"}, got)
}

// Published schemes are monotonic: a longer interruption never pays less, a
// lower uptime never credits less, a larger loss never credits less.
func TestPresetsMonotonic(t *testing.T) {
	ofgem := mustPreset(t, "ofgem-supply-restoration")
	prev := decimal.Zero
	for d := time.Duration(0); d < 100*time.Hour; d += 17 * time.Minute {
		off, err := ofgem.Compute(Claim{Durations: map[string]time.Duration{"supply_interruption": d}})
		require.NoError(t, err)
		got := decimal.Zero
		if op, ok := off.Option("guaranteed_standard_payment"); ok {
			got = op.Amount.Amount()
		}
		require.True(t, got.GreaterThanOrEqual(prev), "%s pays %s after %s", d, got, prev)
		prev = got
	}

	aws := mustPreset(t, "aws-ec2-region")
	prev = decimal.Zero
	for u := int64(10000); u >= 9000; u-- { // 100.00 % down to 90.00 %
		off, err := aws.Compute(Claim{
			Numbers: map[string]decimal.Decimal{"monthly_uptime_percent": decimal.New(u, -2)},
			Amounts: map[string]Money{"monthly_charge": MustMoney("777.77", "USD")},
		})
		require.NoError(t, err)
		got := decimal.Zero
		if op, ok := off.Option("service_credit"); ok {
			got = op.Amount.Amount()
		}
		require.True(t, got.GreaterThanOrEqual(prev), "uptime %d: %s after %s", u, got, prev)
		prev = got
	}

	doc := mustPreset(t, "business-interruption")
	prev = decimal.Zero
	for loss := int64(0); loss < 40_000_000; loss += 99_991 { // minor units
		m, _ := MoneyFromMinor(loss, "CNY")
		off, err := doc.Compute(Claim{Amounts: map[string]Money{"economic_loss": m}})
		require.NoError(t, err)
		got := decimal.Zero
		if op, ok := off.Option("loss_credit"); ok {
			got = op.Amount.Amount()
		}
		require.True(t, got.GreaterThanOrEqual(prev), "loss %s: %s after %s", m, got, prev)
		prev = got
	}
}
