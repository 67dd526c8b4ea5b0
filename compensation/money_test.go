package compensation

import (
	"encoding/json"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestCurrencies(t *testing.T) {
	all := Currencies()
	require.Greater(t, len(all), 150)
	for i := 1; i < len(all); i++ {
		require.Less(t, all[i-1].Code, all[i].Code)
	}
	for _, tc := range []struct {
		code string
		mu   int32
	}{{"EUR", 2}, {"CNY", 2}, {"USD", 2}, {"GBP", 2}, {"JPY", 0}, {"KRW", 0}, {"KWD", 3}, {"BHD", 3}, {"CLF", 4}} {
		c, ok := LookupCurrency(tc.code)
		require.True(t, ok, tc.code)
		assert.Equal(t, tc.mu, c.MinorUnits, tc.code)
	}
	_, ok := LookupCurrency("eur")
	assert.False(t, ok)
	_, ok = LookupCurrency("XAU") // no minor unit
	assert.False(t, ok)
}

func TestParseMoney(t *testing.T) {
	tests := []struct {
		amount, code, text string
		err                error
	}{
		{"250", "EUR", "250.00", nil},
		{"250.5", "EUR", "250.50", nil},
		{"0.01", "EUR", "0.01", nil},
		{"0", "JPY", "0", nil},
		{"1500", "JPY", "1500", nil},
		{"1.5", "JPY", "", ErrBadAmount},
		{"1.2345", "KWD", "", ErrBadAmount},
		{"1.234", "KWD", "1.234", nil},
		{"-1", "EUR", "", ErrNegativeAmount},
		{"+1", "EUR", "", ErrBadAmount},
		{"1e3", "EUR", "", ErrBadAmount},
		{".5", "EUR", "", ErrBadAmount},
		{"5.", "EUR", "", ErrBadAmount},
		{"", "EUR", "", ErrBadAmount},
		{" 5", "EUR", "", ErrBadAmount},
		{"999999999999999.99", "EUR", "999999999999999.99", nil},
		{"1000000000000000", "EUR", "", ErrBadAmount},
		{"5", "ABC", "", ErrUnknownCurrency},
		{"5", "usd", "", ErrUnknownCurrency},
	}
	for _, tc := range tests {
		t.Run(tc.amount+" "+tc.code, func(t *testing.T) {
			m, err := ParseMoney(tc.amount, tc.code)
			if tc.err != nil {
				require.ErrorIs(t, err, tc.err)
				return
			}
			require.NoError(t, err)
			assert.Equal(t, tc.text, m.Text())
			assert.Equal(t, tc.text+" "+tc.code, m.String())
		})
	}
}

func TestMoneyConstructors(t *testing.T) {
	m, err := NewMoney(decimal.New(12345, -2), "EUR")
	require.NoError(t, err)
	assert.Equal(t, "123.45", m.Text())
	_, err = NewMoney(decimal.New(12345, -3), "EUR")
	assert.ErrorIs(t, err, ErrBadAmount)
	_, err = NewMoney(decimal.New(-1, 0), "EUR")
	assert.ErrorIs(t, err, ErrNegativeAmount)
	_, err = NewMoney(decimal.New(1, -1_000_000_000), "EUR")
	assert.ErrorIs(t, err, ErrBadAmount)

	m, err = MoneyFromMinor(12345, "JPY")
	require.NoError(t, err)
	assert.Equal(t, "12345", m.Text())
	minor, ok := MustMoney("1.05", "EUR").Minor()
	assert.True(t, ok)
	assert.EqualValues(t, 105, minor)
	assert.False(t, Money{}.Valid())
	assert.Equal(t, "0", Money{}.String())
	assert.Panics(t, func() { MustMoney("x", "EUR") })
}

func TestMoneyJSON(t *testing.T) {
	m := MustMoney("250", "EUR")
	data, err := json.Marshal(m)
	require.NoError(t, err)
	assert.JSONEq(t, `{"amount":"250.00","currency":"EUR"}`, string(data))
	var back Money
	require.NoError(t, json.Unmarshal(data, &back))
	assert.True(t, back.Equal(m))
	for _, bad := range []string{
		`{"amount":250,"currency":"EUR"}`,
		`{"amount":"250.001","currency":"EUR"}`,
		`{"amount":"250","currency":"EUR","x":1}`,
		`{"amount":"250","currency":"EUX"}`,
	} {
		assert.Error(t, json.Unmarshal([]byte(bad), &back), bad)
	}
	_, err = json.Marshal(Money{})
	assert.Error(t, err)
}

func TestRoundingModeNames(t *testing.T) {
	for _, m := range []RoundingMode{RoundHalfUp, RoundHalfEven, RoundDown, RoundUp} {
		back, err := ParseRoundingMode(m.String())
		require.NoError(t, err)
		assert.Equal(t, m, back)
	}
	_, err := ParseRoundingMode("HALF_UP")
	assert.ErrorIs(t, err, ErrInvalidRule)
	assert.Equal(t, "RoundingMode(9)", RoundingMode(9).String())
}

func TestMoneyAdd(t *testing.T) {
	a := MustMoney("10.50", "EUR")
	sum, err := a.Add(MustMoney("0.75", "EUR"))
	require.NoError(t, err)
	assert.Equal(t, "11.25 EUR", sum.String())
	sum, err = Money{}.Add(a)
	require.NoError(t, err)
	assert.True(t, sum.Equal(a))
	sum, err = a.Add(Money{})
	require.NoError(t, err)
	assert.True(t, sum.Equal(a))
	_, err = a.Add(MustMoney("1", "USD"))
	assert.ErrorIs(t, err, ErrCurrencyMismatch)
}
