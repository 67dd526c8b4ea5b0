package compensation

import (
	"math/big"
	"math/rand"
	"strconv"
	"strings"
	"testing"

	"github.com/shopspring/decimal"
	"github.com/stretchr/testify/require"
)

// TestRoundingOracle compares Compute with integer arithmetic: base (in
// cents) × percent (in basis points) × tier multiplier (in thousandths),
// divided by 10^7 and rounded by each mode by hand.
func TestRoundingOracle(t *testing.T) {
	percents := []int64{1, 333, 1000, 1250, 9999}            // basis points: 0.01 %, 3.33 %, 10 %, 12.5 %, 99.99 %
	tiers := []int64{1000, 1001, 1333, 1500, 2718, 999, 125} // thousandths
	r := rand.New(rand.NewSource(7))
	for _, mode := range []RoundingMode{RoundHalfUp, RoundHalfEven, RoundDown, RoundUp} {
		for _, bp := range percents {
			var tierJSON []string
			for i, m := range tiers {
				tierJSON = append(tierJSON, `"t`+strconv.Itoa(i)+`": "`+thousandths(m)+`"`)
			}
			doc := `{"name": "o", "currency": "EUR", "rounding": "` + mode.String() + `",
			  "multipliers": {"tier": {` + strings.Join(tierJSON, ", ") + `}},
			  "schedules": [{"name": "s", "measure": {"kind": "number", "input": "n"},
			    "bands": [{"name": "all", "range": "(-inf, inf)", "options": [
			      {"id": "c", "kind": "cash", "formula": "percent", "percent": "` + basisPoints(bp) + `", "base": "b"}]}]}]}`
			p := mustParse(t, doc)
			for i := 0; i < 300; i++ {
				cents := r.Int63n(1_000_000_000)
				if i%3 == 0 {
					cents = r.Int63n(1000)
				}
				ti := r.Intn(len(tiers))
				base, err := MoneyFromMinor(cents, "EUR")
				require.NoError(t, err)
				off, err := p.Compute(Claim{Tier: "t" + strconv.Itoa(ti), Numbers: map[string]decimal.Decimal{"n": num("1")}, Amounts: map[string]Money{"b": base}})
				require.NoError(t, err)

				want := oracle(cents, bp*tiers[ti], 10_000_000, mode)
				got := int64(0)
				if op, ok := off.Option("c"); ok {
					got, _ = op.Amount.Minor()
				}
				require.Equal(t, want, got, "%s: %d cents × %d bp × %d‰", mode, cents, bp, tiers[ti])
			}
		}
	}
}

func oracle(n, mul, den int64, mode RoundingMode) int64 {
	num := new(big.Int).Mul(big.NewInt(n), big.NewInt(mul))
	q, rem := new(big.Int).QuoRem(num, big.NewInt(den), new(big.Int))
	twice := new(big.Int).Mul(rem, big.NewInt(2))
	up := false
	switch mode {
	case RoundHalfUp:
		up = twice.Cmp(big.NewInt(den)) >= 0
	case RoundHalfEven:
		c := twice.Cmp(big.NewInt(den))
		up = c > 0 || c == 0 && q.Bit(0) == 1
	case RoundUp:
		up = rem.Sign() > 0
	}
	if up {
		q.Add(q, big.NewInt(1))
	}
	return q.Int64()
}

func thousandths(m int64) string {
	return strconv.FormatInt(m/1000, 10) + "." + pad(m%1000, 3)
}

func basisPoints(bp int64) string {
	return strconv.FormatInt(bp/100, 10) + "." + pad(bp%100, 2)
}

func pad(v int64, w int) string {
	s := strconv.FormatInt(v, 10)
	for len(s) < w {
		s = "0" + s
	}
	return s
}
