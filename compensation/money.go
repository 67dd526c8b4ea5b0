package compensation

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"strconv"

	"github.com/shopspring/decimal"
)

// Limits on the values the package accepts, so that no input can make the
// exact arithmetic grow without bound.
const (
	maxIntDigits  = 15 // amounts and numbers below 10^15
	maxFracDigits = 9  // numbers (multipliers, shares, band edges) with up to 9 fraction digits
)

var (
	hundred = decimal.NewFromInt(100)
)

// Money is a non-negative exact amount in an ISO 4217 currency, never more
// precise than the currency's minor unit. The zero Money has no currency and
// is invalid for every operation except [Money.IsZero] and [Money.Valid].
//
// Its JSON form is {"amount":"250.00","currency":"EUR"}: the amount is a
// string written with exactly the currency's number of fraction digits.
type Money struct {
	amount   decimal.Decimal
	currency Currency
}

// ParseMoney parses a plain decimal string ("250", "250.5", "250.50") in the
// currency with the given ISO 4217 code. The amount must be non-negative,
// below 10^15 and have no more fraction digits than the currency's minor unit.
func ParseMoney(amount, code string) (Money, error) {
	cur, ok := LookupCurrency(code)
	if !ok {
		return Money{}, lookupCurrencyError(code)
	}
	d, err := parseAmount(amount, cur)
	if err != nil {
		return Money{}, err
	}
	return Money{amount: d, currency: cur}, nil
}

// MustMoney is [ParseMoney] that panics on error, for tests, examples and
// package-level constants written by a programmer.
func MustMoney(amount, code string) Money {
	m, err := ParseMoney(amount, code)
	if err != nil {
		panic(err)
	}
	return m
}

// NewMoney returns amount in the given currency, with the same checks as [ParseMoney].
func NewMoney(amount decimal.Decimal, code string) (Money, error) {
	cur, ok := LookupCurrency(code)
	if !ok {
		return Money{}, lookupCurrencyError(code)
	}
	if err := checkAmount(amount, cur); err != nil {
		return Money{}, err
	}
	return Money{amount: amount, currency: cur}, nil
}

// MoneyFromMinor returns minor minor units (cents, fen, yen) of the currency.
func MoneyFromMinor(minor int64, code string) (Money, error) {
	cur, ok := LookupCurrency(code)
	if !ok {
		return Money{}, lookupCurrencyError(code)
	}
	d := decimal.New(minor, -cur.MinorUnits)
	if err := checkAmount(d, cur); err != nil {
		return Money{}, err
	}
	return Money{amount: d, currency: cur}, nil
}

// Amount returns the exact amount.
func (m Money) Amount() decimal.Decimal { return m.amount }

// Currency returns the currency.
func (m Money) Currency() Currency { return m.currency }

// Valid reports whether m has a currency (the zero [Money] has none).
func (m Money) Valid() bool { return m.currency.Code != "" }

// IsZero reports whether the amount is zero.
func (m Money) IsZero() bool { return m.amount.IsZero() }

// Minor returns the amount in minor units; ok is false when it does not fit an int64.
func (m Money) Minor() (minor int64, ok bool) {
	if f := fxOf(m.amount); !f.big && f.m >= 0 {
		// The fast path: no decimal is built.
		if k := f.e + m.currency.MinorUnits; k >= 0 {
			if v, fits := scaleUp(f.m, k); fits && v < pow10s[18] {
				return v, true
			}
		} else if -k <= 18 && f.m%pow10s[-k] == 0 {
			return f.m / pow10s[-k], true
		}
	}
	s := m.amount.Shift(m.currency.MinorUnits)
	if !s.IsInteger() || s.Cmp(decimal.New(1, 18)) >= 0 {
		return 0, false
	}
	return s.IntPart(), true
}

// Text returns the amount with exactly the currency's number of fraction
// digits, without the code: "250.00".
func (m Money) Text() string { return m.amount.StringFixed(m.currency.MinorUnits) }

// String returns the amount and the code: "250.00 EUR".
func (m Money) String() string {
	if !m.Valid() {
		return "0"
	}
	return m.Text() + " " + m.currency.Code
}

// Add returns m + o, for a host that totals what it granted in a period. The
// zero [Money] counts as zero in the other's currency; two currencies are an
// error wrapping [ErrCurrencyMismatch].
func (m Money) Add(o Money) (Money, error) {
	switch {
	case !o.Valid():
		return m, nil
	case !m.Valid():
		return o, nil
	case m.currency != o.currency:
		return Money{}, errorf(ErrCurrencyMismatch, "%s + %s", m.currency.Code, o.currency.Code)
	}
	return Money{amount: m.amount.Add(o.amount), currency: m.currency}, nil
}

// Equal reports whether m and o have the same currency and amount.
func (m Money) Equal(o Money) bool {
	return m.currency == o.currency && m.amount.Equal(o.amount)
}

type moneyJSON struct {
	Amount   string `json:"amount"`
	Currency string `json:"currency"`
}

// MarshalJSON writes {"amount":"250.00","currency":"EUR"}.
func (m Money) MarshalJSON() ([]byte, error) {
	if !m.Valid() {
		return nil, fmt.Errorf("compensation: marshal of a Money without currency")
	}
	return json.Marshal(moneyJSON{Amount: m.Text(), Currency: m.currency.Code})
}

// UnmarshalJSON reads {"amount":"250.00","currency":"EUR"} with the checks of
// [ParseMoney]; the amount must be a string.
func (m *Money) UnmarshalJSON(data []byte) error {
	var j moneyJSON
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(&j); err != nil {
		return fmt.Errorf("%w: %v", ErrBadAmount, err)
	}
	cur, ok := LookupCurrency(j.Currency)
	if !ok {
		return lookupCurrencyError(j.Currency)
	}
	// Offers may carry amounts above the 10^15 input limit (a multiplied
	// amount without a cap), so that a settlement always reads back.
	d, err := parseAmountN(j.Amount, cur, 2*maxIntDigits)
	if err != nil {
		return err
	}
	*m = Money{amount: d, currency: cur}
	return nil
}

// RoundingMode says how an exact amount becomes an amount in minor units. The
// policy applies it once per option, after multipliers (see the package doc).
type RoundingMode uint8

// Rounding modes. All amounts are non-negative, so "up" means away from zero
// and "down" toward zero.
const (
	// RoundHalfUp rounds to the nearest minor unit, halves away from zero (0.125 → 0.13).
	RoundHalfUp RoundingMode = iota + 1
	// RoundHalfEven rounds to the nearest minor unit, halves to the even digit (0.125 → 0.12).
	RoundHalfEven
	// RoundDown truncates toward zero (0.129 → 0.12).
	RoundDown
	// RoundUp rounds away from zero (0.121 → 0.13).
	RoundUp
)

var roundingNames = [...]string{RoundHalfUp: "half_up", RoundHalfEven: "half_even", RoundDown: "down", RoundUp: "up"}

// ParseRoundingMode parses "half_up", "half_even", "down" or "up".
func ParseRoundingMode(s string) (RoundingMode, error) {
	for i, n := range roundingNames {
		if n != "" && n == s {
			return RoundingMode(i), nil
		}
	}
	return 0, errorf(ErrInvalidRule, "rounding %q: want half_up, half_even, down or up", s)
}

// String returns the JSON name of the mode.
func (r RoundingMode) String() string {
	if int(r) < len(roundingNames) && roundingNames[r] != "" {
		return roundingNames[r]
	}
	return fmt.Sprintf("RoundingMode(%d)", uint8(r))
}

// Round rounds d to places fraction digits.
func (r RoundingMode) Round(d decimal.Decimal, places int32) decimal.Decimal {
	switch r {
	case RoundHalfEven:
		return d.RoundBank(places)
	case RoundDown:
		return d.RoundDown(places)
	case RoundUp:
		return d.RoundUp(places)
	default:
		return d.Round(places)
	}
}

// parsePlain parses an unsigned (or, with signed, optionally "-"-prefixed)
// plain decimal: digits, optionally a point and more digits. No exponent, no
// "+", no spaces. It rejects values with more than maxInt integer digits or
// maxFrac fraction digits.
func parsePlain(s string, maxInt, maxFrac int, signed bool) (decimal.Decimal, error) {
	neg := false
	body := s
	if len(body) > 0 && body[0] == '-' {
		if !signed {
			return decimal.Decimal{}, errorf(ErrNegativeAmount, "%q", s)
		}
		neg = true
		body = body[1:]
	}
	intDigits, fracDigits, dot := 0, 0, false
	for i := 0; i < len(body); i++ {
		c := body[i]
		switch {
		case c >= '0' && c <= '9':
			if dot {
				fracDigits++
			} else {
				intDigits++
			}
		case c == '.' && !dot:
			dot = true
		default:
			return decimal.Decimal{}, errorf(ErrBadNumber, "%q is not a plain decimal number", s)
		}
	}
	if intDigits == 0 || (dot && fracDigits == 0) {
		return decimal.Decimal{}, errorf(ErrBadNumber, "%q is not a plain decimal number", s)
	}
	if fracDigits > maxFrac {
		return decimal.Decimal{}, errorf(ErrBadNumber, "%q has more than %d fraction digits", s, maxFrac)
	}
	d, err := decimal.NewFromString(body)
	if err != nil {
		return decimal.Decimal{}, errorf(ErrBadNumber, "%q: %v", s, err)
	}
	if d.Cmp(decimal.New(1, int32(maxInt))) >= 0 {
		return decimal.Decimal{}, errorf(ErrBadNumber, "%q is too large", s)
	}
	if neg {
		d = d.Neg()
	}
	return d, nil
}

// parseAmount parses a non-negative amount of cur.
func parseAmount(s string, cur Currency) (decimal.Decimal, error) {
	return parseAmountN(s, cur, maxIntDigits)
}

func parseAmountN(s string, cur Currency, maxInt int) (decimal.Decimal, error) {
	d, err := parsePlain(s, maxInt, int(cur.MinorUnits), false)
	if err != nil {
		if errors.Is(err, ErrNegativeAmount) {
			return d, err
		}
		return d, errorf(ErrBadAmount, "%q in %s: want a plain decimal string below 10^%d with at most %d fraction digits",
			s, cur.Code, maxInt, cur.MinorUnits)
	}
	// Exact (no digit is dropped); gives every parsed amount the exponent
	// -MinorUnits, so that comparisons between amounts need no rescaling.
	return d.Round(cur.MinorUnits), nil
}

// checkAmount checks a decimal built by the caller.
func checkAmount(d decimal.Decimal, cur Currency) error {
	if d.Sign() < 0 {
		return errorf(ErrNegativeAmount, "%s %s", safeString(d), cur.Code)
	}
	if !inRange(d, maxIntDigits, 18) {
		return errorf(ErrBadAmount, "%s %s is out of range", safeString(d), cur.Code)
	}
	if !d.Shift(cur.MinorUnits).IsInteger() {
		return errorf(ErrBadAmount, "%s has more fraction digits than %s allows (%d)", d.String(), cur.Code, cur.MinorUnits)
	}
	return nil
}

// safeString formats d without expanding a hostile exponent into a string of
// that many digits.
func safeString(d decimal.Decimal) string {
	if e := d.Exponent(); e < -40 || e > 40 {
		return d.Coefficient().String() + "e" + strconv.Itoa(int(e))
	}
	return d.String()
}

// checkNumber checks a host-supplied number: |d| < 10^15 and an exponent of
// at least -18.
func checkNumber(d decimal.Decimal) error {
	if !inRange(d, maxIntDigits, 18) {
		return errorf(ErrInvalidInput, "%s is out of range (|x| < 10^%d, at most 18 fraction digits)", safeString(d), maxIntDigits)
	}
	return nil
}

// inRange reports |d| < 10^maxInt with an exponent of at least -maxFrac. It
// looks at the exponent and digit count only, so that a hostile exponent
// (1e-999999999) costs nothing: comparing such a value with Cmp would
// allocate a power of ten of that size.
func inRange(d decimal.Decimal, maxInt, maxFrac int) bool {
	e := int64(d.Exponent())
	if e < -int64(maxFrac) || e > int64(maxInt) {
		return false
	}
	return int64(d.NumDigits())+e <= int64(maxInt)
}
