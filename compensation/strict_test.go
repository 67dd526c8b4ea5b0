package compensation

import (
	"errors"
	"testing"
	"time"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// The reproductions of the strict-inputs issue: with business-interruption, each
// of these returned an empty offer and no error.
func TestStrictInputsDoc000(t *testing.T) {
	p := mustPreset(t, "business-interruption")
	tests := []struct {
		name     string
		claim    Claim
		m, input string
		sentinel error
		msg      string
	}{
		{"misspelt input", Claim{Durations: map[string]time.Duration{"business_interuption": 30 * time.Hour}},
			"durations", "business_interuption", ErrUnknownInput,
			`compensation: claim input durations.business_interuption: unknown input: policy "business-interruption" does not read it (did you mean durations.business_interruption?)`},
		{"negative duration", Claim{Durations: map[string]time.Duration{"business_interruption": -time.Hour}},
			"durations", "business_interruption", ErrInvalidInput,
			"compensation: claim input durations.business_interruption: invalid input: negative duration -1h0m0s"},
		{"loss under numbers", Claim{Numbers: map[string]decimal.Decimal{"economic_loss": num("20000")}},
			"numbers", "economic_loss", ErrWrongMap,
			"compensation: claim input numbers.economic_loss: input in the wrong map: given in numbers, the policy reads it from amounts"},
		{"loss in another currency", Claim{Amounts: map[string]Money{"economic_loss": MustMoney("20000.00", "EUR")}},
			"amounts", "economic_loss", ErrCurrencyMismatch,
			`compensation: claim input amounts.economic_loss: currency mismatch: "EUR", policy currency is CNY`},
		{"unknown flag", Claim{Flags: map[string]bool{"shared_fault": false}},
			"flags", "shared_fault", ErrUnknownInput, ""},
		{"an input of another policy", Claim{Durations: map[string]time.Duration{"resolution_overrun": time.Hour}},
			"durations", "resolution_overrun", ErrUnknownInput,
			`compensation: claim input durations.resolution_overrun: unknown input: policy "business-interruption" does not read it (it reads: durations.business_interruption, amounts.economic_loss)`},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			off, err := p.Compute(tc.claim)
			var ie *InputError
			require.ErrorAs(t, err, &ie, "offer %+v", off)
			assert.Equal(t, tc.m, ie.Map)
			assert.Equal(t, tc.input, ie.Name)
			assert.Equal(t, tc.m+"."+tc.input, ie.Input)
			assert.ErrorIs(t, err, tc.sentinel)
			if tc.msg != "" {
				assert.Equal(t, tc.msg, err.Error())
			}
			_, err2 := p.MaxAmount(tc.claim)
			assert.Equal(t, err, err2, "MaxAmount refuses what Compute refuses")
		})
	}
	// The wrong map is a kind of unknown input.
	_, err := p.Compute(Claim{Numbers: map[string]decimal.Decimal{"economic_loss": num("1")}})
	assert.ErrorIs(t, err, ErrUnknownInput)
	assert.NotErrorIs(t, ErrUnknownInput, ErrWrongMap)
}

// Every policy follows the same rule: per preset, a misspelt name of each
// input it reads, a negative duration, an amount given as a number and an
// amount in another currency are refused, naming the input.
func TestStrictInputsEveryPreset(t *testing.T) {
	for _, name := range PresetNames() {
		p := mustPreset(t, name)
		for _, in := range p.Inputs() {
			t.Run(name+"/"+in.Map+"."+in.Name, func(t *testing.T) {
				typo := in.Name + "x"
				c := claimWith(p, in.Map, typo)
				_, err := p.Compute(c)
				requireInputError(t, err, in.Map, typo, ErrUnknownInput)
				assert.Contains(t, err.Error(), "did you mean "+in.Map+"."+in.Name+"?")

				switch in.Map {
				case MapDurations:
					c := claimWith(p, in.Map, in.Name)
					c.Durations[in.Name] = -time.Nanosecond
					_, err := p.Compute(c)
					requireInputError(t, err, in.Map, in.Name, ErrInvalidInput)
				case MapAmounts:
					c := claimWith(p, MapNumbers, in.Name)
					_, err := p.Compute(c)
					requireInputError(t, err, MapNumbers, in.Name, ErrWrongMap)
					other := "EUR"
					if p.Currency().Code == other {
						other = "USD"
					}
					c = Claim{Amounts: map[string]Money{in.Name: MustMoney("1", other)}}
					_, err = p.Compute(c)
					requireInputError(t, err, in.Map, in.Name, ErrCurrencyMismatch)
				}
			})
		}
	}
}

// claimWith returns a claim with one input, name in map m, with a harmless value.
func claimWith(p *Policy, m, name string) Claim {
	switch m {
	case MapDurations:
		return Claim{Durations: map[string]time.Duration{name: time.Hour}}
	case MapAmounts:
		return Claim{Amounts: map[string]Money{name: {amount: num("1").Round(p.cur.MinorUnits), currency: p.cur}}}
	case MapNumbers:
		return Claim{Numbers: map[string]decimal.Decimal{name: num("1")}}
	}
	return Claim{Flags: map[string]bool{name: true}}
}

func requireInputError(t *testing.T, err error, m, name string, sentinel error) {
	t.Helper()
	var ie *InputError
	require.ErrorAs(t, err, &ie)
	assert.Equal(t, m, ie.Map)
	assert.Equal(t, name, ie.Name)
	assert.ErrorIs(t, err, sentinel)
}

// A claim that carries exactly what Inputs lists is never refused as
// unknown, and an input read only by a condition is accepted.
func TestInputsAreAccepted(t *testing.T) {
	for _, name := range PresetNames() {
		p := mustPreset(t, name)
		for _, c := range claimsFor(p) {
			full := c
			full.Flags = map[string]bool{}
			for _, in := range p.Inputs() {
				switch in.Map {
				case MapFlags:
					full.Flags[in.Name] = true
				case MapDurations:
					if _, ok := full.Durations[in.Name]; !ok {
						full.Durations[in.Name] = time.Hour
					}
				}
				assert.True(t, p.Reads(in.Map, in.Name), "%s reads %s.%s", name, in.Map, in.Name)
			}
			_, err := p.Compute(full)
			assert.False(t, errors.Is(err, ErrUnknownInput), "%s: %v", name, err)
		}
	}
	eu := mustPreset(t, "eu261-delay")
	off, err := eu.Compute(Claim{
		Numbers:   map[string]decimal.Decimal{"distance_km": num("1200")},
		Durations: map[string]time.Duration{"arrival_delay": 4 * time.Hour, "reroute_arrival_delay": time.Hour},
		Flags:     map[string]bool{"intra_community": false},
	})
	require.NoError(t, err)
	assert.Equal(t, "125.00", amountOf(off, "compensation"))
	assert.False(t, eu.Reads(MapNumbers, "arrival_delay"))
	assert.False(t, eu.Reads("durationz", "arrival_delay"))
}

// The goodwill preset refused a negative duration before; it still does,
// and so do conditions: an input read only by a condition is checked too.
func TestStrictNegativeDurationEverywhere(t *testing.T) {
	goodwill := mustPreset(t, "complaint-goodwill")
	_, err := goodwill.Compute(Claim{Durations: map[string]time.Duration{"resolution_overrun": -time.Minute}})
	requireInputError(t, err, MapDurations, "resolution_overrun", ErrInvalidInput)

	eu := mustPreset(t, "eu261-delay")
	_, err = eu.Compute(Claim{
		Numbers:   map[string]decimal.Decimal{"distance_km": num("1200")},
		Durations: map[string]time.Duration{"arrival_delay": 4 * time.Hour, "reroute_arrival_delay": -time.Hour},
	})
	requireInputError(t, err, MapDurations, "reroute_arrival_delay", ErrInvalidInput)

	// A percentage is checked even when its schedule's condition fails.
	doc := `{"name": "pct", "currency": "EUR", "rounding": "half_up", "schedules": [{"name": "s",
	  "measure": {"kind": "percentage", "input": "uptime"}, "when": [{"flag": "measured"}],
	  "bands": [{"name": "all", "range": "[0, 100]", "options": []}]}]}`
	p := mustParse(t, doc)
	_, err = p.Compute(Claim{Numbers: map[string]decimal.Decimal{"uptime": num("-1")}})
	requireInputError(t, err, MapNumbers, "uptime", ErrInvalidInput)
	_, err = p.Compute(Claim{Numbers: map[string]decimal.Decimal{"uptime": num("99")}})
	require.NoError(t, err)
}

// Amounts cannot be negative through the package's constructors; an
// amount built inside the package that is negative is refused all the same.
func TestStrictNegativeAmount(t *testing.T) {
	p := mustPreset(t, "business-interruption")
	_, err := p.Compute(Claim{Amounts: map[string]Money{"economic_loss": {amount: num("-1.00"), currency: p.cur}}})
	requireInputError(t, err, MapAmounts, "economic_loss", ErrNegativeAmount)
	_, err = MoneyFromMinor(-100, "CNY")
	assert.ErrorIs(t, err, ErrNegativeAmount)
}

// Several faults: the error is always the same one (map order, then name
// order), though Go ranges over maps in random order.
func TestStrictInputsDeterministic(t *testing.T) {
	p := mustPreset(t, "business-interruption")
	c := Claim{
		Durations: map[string]time.Duration{"b": 1, "a": 1, "c": 1, "business_interruption": -1},
		Numbers:   map[string]decimal.Decimal{"a": num("1")},
		Flags:     map[string]bool{"z": true},
	}
	for i := 0; i < 50; i++ {
		_, err := p.Compute(c)
		requireInputError(t, err, MapDurations, "a", ErrUnknownInput)
	}
}

func TestEditDistance(t *testing.T) {
	for _, tc := range []struct {
		a, b string
		want int
	}{
		{"business_interuption", "business_interruption", 1},
		{"delay", "delya", 2},
		{"abc", "abc", 0},
		{"", "abc", 3},
		{"loss", "economic_loss", 3}, // at the limit
	} {
		assert.Equal(t, tc.want, editDistance(tc.a, tc.b, 3), "%s/%s", tc.a, tc.b)
	}
}
