package compensation

import (
	"math"
	"math/rand"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// randFx draws values that exercise the fast path and its edges: small
// amounts, values near the int64 limit (so that products and alignments
// overflow), zero, negatives, and values held as decimals.
func randFx(r *rand.Rand) fx {
	var m int64
	switch r.Intn(6) {
	case 0:
		m = r.Int63n(1000)
	case 1:
		m = r.Int63n(1_000_000_000)
	case 2:
		m = math.MaxInt64 - r.Int63n(1000)
	case 3:
		m = r.Int63()
	case 4:
		m = 0
	default:
		m = -r.Int63n(1_000_000)
	}
	e := int32(r.Intn(41) - 20)
	if r.Intn(8) == 0 {
		// Held as a decimal: 25 digits or so.
		d := decimal.New(m, e).Mul(decimal.New(r.Int63n(1_000_000_000)+1_000_000_000, 0))
		return fxOf(d)
	}
	return fx{m: m, e: e}
}

// The fast path gives exactly what decimal gives, operation by operation.
func TestFxMatchesDecimal(t *testing.T) {
	r := rand.New(rand.NewSource(17))
	modes := []RoundingMode{RoundHalfUp, RoundHalfEven, RoundDown, RoundUp}
	n := 50_000
	if !fullSize() {
		n = 5_000
	}
	for i := 0; i < n; i++ {
		a, b := randFx(r), randFx(r)
		da, db := a.dec(), b.dec()
		require.True(t, mulFx(a, b).dec().Equal(da.Mul(db)), "%s × %s", da, db)
		require.True(t, addFx(a, b).dec().Equal(da.Add(db)), "%s + %s", da, db)
		require.True(t, subFx(a, b).dec().Equal(da.Sub(db)), "%s - %s", da, db)
		require.Equal(t, da.Cmp(db), cmpFx(a, b), "cmp %s %s", da, db)
		places := int32(r.Intn(5))
		mode := modes[r.Intn(len(modes))]
		got := roundFx(a, places, mode)
		require.True(t, got.dec().Equal(mode.Round(da, places)), "%s round %s %d", da, mode, places)
		if !got.big {
			require.Equal(t, -places, got.e, "a rounded value on the fast path has the exponent -places")
		}
		require.Equal(t, da.String(), a.String(), "canonical text of %#v", a)
		require.Equal(t, da.StringFixed(places), string(appendFixed(nil, a, places)), "fixed text of %s", da)
		if da.Sign() >= 0 && db.Sign() > 0 {
			q, _ := da.QuoRem(db, 0)
			require.True(t, quoFx(a, b).dec().Equal(q), "%s quo %s", da, db)
		}
	}
}

func TestFxText(t *testing.T) {
	for _, tc := range []struct {
		m      int64
		e      int32
		canon  string
		fixed2 string
	}{
		{555552000, -6, "555.552", "555.55"},
		{125, 0, "125", "125.00"},
		{25, 1, "250", "250.00"},
		{5, -3, "0.005", "0.01"},
		{0, -2, "0", "0.00"},
		{-15, -1, "-1.5", "-1.50"},
		{1, 15, "1000000000000000", "1000000000000000.00"},
		{math.MaxInt64, -2, "92233720368547758.07", "92233720368547758.07"},
	} {
		a := fx{m: tc.m, e: tc.e}
		require.Equal(t, tc.canon, a.String())
		require.Equal(t, tc.fixed2, string(appendFixed(nil, a, 2)))
	}
}

// Constants keep their value when their trailing zeros go, and a shared
// constant hands back its own decimal.
func TestFxConst(t *testing.T) {
	for _, s := range []string{"1000", "1.50", "0", "800.00", "0.000000001", "999999999999999.99"} {
		d := num(s)
		require.True(t, fxConst(d).dec().Equal(d), s)
		sh := fxShared(&d)
		require.True(t, sh.dec().Equal(d), s)
		require.Equal(t, d.Exponent(), sh.dec().Exponent(), "the shared decimal itself: %s", s)
	}
}

func TestMoneyMinor(t *testing.T) {
	eur, _ := LookupCurrency("EUR")
	for _, tc := range []struct {
		amount decimal.Decimal
		want   int64
		ok     bool
	}{
		{num("1.05"), 105, true},
		{num("0"), 0, true},
		{decimal.New(105000, -5), 105, true}, // finer exponent, whole cents
		{decimal.New(1055, -3), 0, false},    // a tenth of a cent
		{decimal.New(25, 3), 2500000, true},  // positive exponent
		{num("9999999999999999.99"), 999999999999999999, true},
		{num("10000000000000000.00"), 0, false},      // 10^18 minor units
		{num("8999999999999999910000.00"), 0, false}, // beyond int64
		{decimal.New(1, -30), 0, false},
	} {
		m := Money{amount: tc.amount, currency: eur}
		got, ok := m.Minor()
		require.Equal(t, tc.ok, ok, "%s", tc.amount)
		require.Equal(t, tc.want, got, "%s", tc.amount)
	}
}

// multiplier.mulFast, with the multiplier's half of mulFast's test made at
// compile time (multiplier.small), and mulSmall, for a constant known to
// be small32, are mulFast: the same product when both coefficients fit 32
// bits, and false where mulFast is false; what they give is exactly
// mulFx's. Multipliers are any a policy may have (up to
// 1000 with nine fraction digits: coefficients beyond 32 bits too).
func TestMultiplierMulFast(t *testing.T) {
	r := rand.New(rand.NewSource(23))
	for i := 0; i < 20_000; i++ {
		d := decimal.New(r.Int63n(1_000_000_000_001), -int32(r.Intn(10)))
		if r.Intn(4) == 0 {
			d = decimal.New(r.Int63n(1001), 0)
		}
		m := newMultiplier(d, "")
		for j := 0; j < 5; j++ {
			v := randFx(r)
			got, ok := m.mulFast(v)
			want, wantOK := mulFast(v, m.f)
			require.Equal(t, wantOK, ok, "%s × %s", v, d)
			if ok {
				require.Equal(t, want, got, "%s × %s", v, d)
				require.Equal(t, mulFx(v, m.f), got, "%s × %s", v, d)
			}
			if small32(m.f) {
				got, ok := mulSmall(v, m.f)
				require.Equal(t, wantOK, ok, "mulSmall %s × %s", v, d)
				require.Equal(t, want, got, "mulSmall %s × %s", v, d)
			}
		}
	}
}
