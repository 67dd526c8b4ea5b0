package compensation

import (
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

func mustPreset(t testing.TB, name string) *Policy {
	t.Helper()
	p, err := Preset(name)
	require.NoError(t, err)
	return p
}

func mustParse(t testing.TB, doc string) *Policy {
	t.Helper()
	p, err := ParsePolicy([]byte(doc))
	require.NoError(t, err)
	return p
}

// remaining is what a cap leaves after what was granted, never below zero,
// in plain decimal: the reference the property tests check remainingFx by.
func remaining(cap, granted decimal.Decimal) decimal.Decimal {
	if granted.IsZero() {
		return cap
	}
	r := cap.Sub(granted)
	if r.Sign() < 0 {
		return decimal.Zero
	}
	return r
}

func num(s string) decimal.Decimal { return decimal.RequireFromString(s) }

// amountOf returns the amount of the offered option id as text, or "" when not offered.
func amountOf(o Offer, id string) string {
	op, ok := o.Option(id)
	if !ok || op.Amount == nil {
		return ""
	}
	return op.Amount.Text()
}
