package compensation

import (
	"math"
	"math/bits"
	"strconv"

	"github.com/shopspring/decimal"
)

// fx is an exact decimal number, m × 10^e in an int64 while it fits (the
// fast path) and a decimal.Decimal once it does not (big). Every operation
// gives exactly the value decimal would give: it checks for overflow and
// falls back to decimal, so the fast path changes speed, not results. The
// cost of money arithmetic was never decimal's Mul but its big.Int
// allocations and, above all, decimal.String through big.Int: amounts here
// are a few digits long and fit an int64 with room to spare.
type fx struct {
	m   int64
	e   int32
	big bool             // the value is *d; m and e are unused
	d   *decimal.Decimal // the value when big; else nil, or a decimal equal to m × 10^e to share
}

// pow10s are the powers of ten an int64 holds.
var pow10s = [19]int64{1, 1e1, 1e2, 1e3, 1e4, 1e5, 1e6, 1e7, 1e8, 1e9, 1e10, 1e11, 1e12, 1e13, 1e14, 1e15, 1e16, 1e17, 1e18}

// fxOf returns d as an fx.
func fxOf(d decimal.Decimal) fx {
	if d.NumDigits() <= 18 {
		return fx{m: d.CoefficientInt64(), e: d.Exponent()}
	}
	return bigOf(d)
}

// bigOf is fxOf's slow path, apart so that only it puts d on the heap.
func bigOf(d decimal.Decimal) fx {
	p := new(decimal.Decimal)
	*p = d
	return fx{big: true, d: p}
}

// fxConst returns a constant of a policy, its trailing zeros stripped so that
// products stay small ("1000" is 1 × 10^3).
func fxConst(d decimal.Decimal) fx {
	f := fxOf(d)
	if f.big {
		return f
	}
	for f.m != 0 && f.m%10 == 0 {
		f.m /= 10
		f.e++
	}
	if f.m == 0 {
		f.e = 0
	}
	return f
}

// fxShared returns an amount of a policy (a cap, a floor) as it is, at the
// currency's scale, so that it compares with a rounded amount without
// rescaling, keeping *d to share when the amount becomes an offer's as it is
// (a cap that bites): the offer's Money then needs no new decimal.
func fxShared(d *decimal.Decimal) fx {
	f := fxOf(*d)
	if !f.big {
		f.d = d
	}
	return f
}

func fxInt(n int64) fx { return fx{m: n} }

// fxBig returns d, on the fast path again when it fits.
func fxBig(d decimal.Decimal) fx { return fxOf(d) }

// dec returns the value as a decimal.
func (a fx) dec() decimal.Decimal {
	if a.d != nil {
		return *a.d
	}
	return decimal.New(a.m, a.e)
}

func (a fx) sign() int {
	switch {
	case a.big:
		return a.d.Sign()
	case a.m > 0:
		return 1
	case a.m < 0:
		return -1
	}
	return 0
}

func uabs(m int64) uint64 {
	if m < 0 {
		return uint64(-m) // MinInt64 maps to 2^63, its true magnitude
	}
	return uint64(m)
}

// scaleUp returns m × 10^k; ok is false when it does not fit an int64.
func scaleUp(m int64, k int32) (int64, bool) {
	if k == 0 || m == 0 {
		return m, true
	}
	if k < 0 || k > 18 {
		return 0, false
	}
	p := pow10s[k]
	if m > math.MaxInt64/p || m < math.MinInt64/p {
		return 0, false
	}
	return m * p, true
}

func mulFx(a, b fx) fx {
	if !a.big && !b.big {
		hi, lo := bits.Mul64(uabs(a.m), uabs(b.m))
		if e := int64(a.e) + int64(b.e); hi == 0 && lo <= math.MaxInt64 && e >= math.MinInt32/2 && e <= math.MaxInt32/2 {
			m := int64(lo)
			if (a.m < 0) != (b.m < 0) {
				m = -m
			}
			return fx{m: m, e: int32(e)}
		}
	}
	return fxBig(a.dec().Mul(b.dec()))
}

// mulFast is mulFx where both coefficients fit 32 bits, small enough to
// inline: the product then fits an int64, and it is exactly mulFx's. It
// reports false for everything else, which the caller passes to mulFx.
func mulFast(a, b fx) (fx, bool) {
	if a.big || b.big || uint64(a.m)+1<<31 >= 1<<32 || uint64(b.m)+1<<31 >= 1<<32 {
		return fx{}, false
	}
	if e := int64(a.e) + int64(b.e); e >= math.MinInt32/2 && e <= math.MaxInt32/2 {
		return fx{m: a.m * b.m, e: int32(e)}, true
	}
	return fx{}, false
}

// small32 reports whether a's coefficient fits 32 bits (mulFast's test of
// one operand), for a policy's constant to test once at compile time.
func small32(a fx) bool { return !a.big && uint64(a.m)+1<<31 < 1<<32 }

// mulSmall is mulFast for a b known to be small32 (a policy's constant,
// tested at compile time): only a is tested.
func mulSmall(a, b fx) (fx, bool) {
	if !a.big && uint64(a.m)+1<<31 < 1<<32 {
		if e := int64(a.e) + int64(b.e); e >= math.MinInt32/2 && e <= math.MaxInt32/2 {
			return fx{m: a.m * b.m, e: int32(e)}, true
		}
	}
	return fx{}, false
}

// align returns a and b at the smaller of their exponents.
func align(a, b fx) (am, bm int64, e int32, ok bool) {
	switch {
	case a.e == b.e:
		return a.m, b.m, a.e, true
	case a.e > b.e:
		am, ok = scaleUp(a.m, a.e-b.e)
		return am, b.m, b.e, ok
	}
	bm, ok = scaleUp(b.m, b.e-a.e)
	return a.m, bm, a.e, ok
}

func addFx(a, b fx) fx {
	if !a.big && !b.big {
		if am, bm, e, ok := align(a, b); ok {
			s := am + bm
			if (am >= 0) != (bm >= 0) || (s >= 0) == (am >= 0) {
				return fx{m: s, e: e}
			}
		}
	}
	return fxBig(a.dec().Add(b.dec()))
}

func subFx(a, b fx) fx {
	if !a.big && !b.big && b.m != math.MinInt64 {
		return addFx(a, fx{m: -b.m, e: b.e})
	}
	return fxBig(a.dec().Sub(b.dec()))
}

func cmpFx(a, b fx) int {
	// Amounts at one scale compare here, without rescaling. (Not small
	// enough to inline, with its call to cmpFxSlow: hot paths that know
	// their operands are at one scale compare coefficients themselves, as
	// settleAmount does.)
	if a.e == b.e && !a.big && !b.big {
		return cmpInt(a.m, b.m)
	}
	return cmpFxSlow(a, b)
}

func cmpFxSlow(a, b fx) int {
	if a.big || b.big {
		return a.dec().Cmp(b.dec())
	}
	return cmpScaled(a.m, a.e, b.m, b.e)
}

// cmpScaled compares a × 10^ae with b × 10^be for ae ≠ be.
func cmpScaled(a int64, ae int32, b int64, be int32) int {
	sa, sb := cmpInt(a, 0), cmpInt(b, 0)
	if sa != sb || sa == 0 {
		return cmpInt(int64(sa), int64(sb))
	}
	// Same sign, both non-zero: bring the one with the larger exponent down.
	// If that overflows, its magnitude exceeds any int64, so it is the
	// larger in magnitude.
	if ae > be {
		if am, ok := scaleUp(a, ae-be); ok {
			return cmpInt(am, b)
		}
		return sa
	}
	if bm, ok := scaleUp(b, be-ae); ok {
		return cmpInt(a, bm)
	}
	return -sb
}

func cmpInt(a, b int64) int {
	switch {
	case a < b:
		return -1
	case a > b:
		return 1
	}
	return 0
}

// roundFx rounds a to places fraction digits with mode, exactly as
// RoundingMode.Round does; a result on the fast path has the exponent -places.
func roundFx(a fx, places int32, mode RoundingMode) fx {
	if !a.big && a.m >= 0 {
		if a.e == -places {
			return a // already there, and keeps its decimal to share
		}
		if a.e >= -places {
			if m, ok := scaleUp(a.m, a.e+places); ok {
				return fx{m: m, e: -places}
			}
		} else if k := -places - a.e; k <= 18 {
			p := pow10s[k]
			q, r := a.m/p, a.m%p
			switch mode {
			case RoundHalfEven:
				if 2*r > p || 2*r == p && q&1 == 1 {
					q++
				}
			case RoundDown:
			case RoundUp:
				if r > 0 {
					q++
				}
			default:
				if 2*r >= p {
					q++
				}
			}
			return fx{m: q, e: -places}
		}
	}
	return fxBig(mode.Round(a.dec(), places))
}

// quoFx returns the integer part of a / b for a ≥ 0 and b > 0.
func quoFx(a, b fx) fx {
	if !a.big && !b.big {
		if am, bm, _, ok := align(a, b); ok && bm > 0 {
			return fxInt(am / bm)
		}
	}
	q, _ := a.dec().QuoRem(b.dec(), 0)
	return fxBig(q)
}

// appendCanon appends a as decimal.String writes it with the package's
// default settings (trailing zeros trimmed, no exponent), whatever a host set
// those package globals to.
func appendCanon(b []byte, a fx) []byte {
	if a.big {
		return appendDigits(b, []byte(a.d.Coefficient().String()), a.d.Exponent(), true, 0)
	}
	m, e := a.m, a.e
	for e < 0 && m != 0 && m%10 == 0 {
		m /= 10
		e++
	}
	var tmp [24]byte
	digits := strconv.AppendInt(tmp[:0], m, 10)
	return appendDigits(b, digits, e, true, 0)
}

// appendFixed appends a with exactly places fraction digits, as
// decimal.StringFixed writes it (rounding half away from zero first).
func appendFixed(b []byte, a fx, places int32) []byte {
	r := roundFx(a, places, RoundHalfUp)
	if r.big {
		return append(b, r.d.StringFixed(places)...)
	}
	var tmp [24]byte
	digits := strconv.AppendInt(tmp[:0], r.m, 10)
	return appendDigits(b, digits, r.e, false, places)
}

// appendDigits writes the integer digits (with an optional leading '-')
// times 10^e. With trim, trailing fraction zeros are dropped (decimal.String);
// otherwise the fraction has the digits the exponent gives (e = -places).
func appendDigits(b, digits []byte, e int32, trim bool, places int32) []byte {
	if len(digits) > 0 && digits[0] == '-' {
		b = append(b, '-')
		digits = digits[1:]
	}
	if len(digits) == 1 && digits[0] == '0' {
		b = append(b, '0')
		if !trim && places > 0 {
			b = append(b, '.')
			for i := int32(0); i < places; i++ {
				b = append(b, '0')
			}
		}
		return b
	}
	if e >= 0 {
		b = append(b, digits...)
		for i := int32(0); i < e; i++ {
			b = append(b, '0')
		}
		return b
	}
	k := int(-e)
	var frac []byte
	if len(digits) > k {
		b = append(b, digits[:len(digits)-k]...)
		frac = digits[len(digits)-k:]
	} else {
		b = append(b, '0')
		frac = digits
	}
	lead := k - len(frac)
	if trim {
		i := len(frac)
		for i > 0 && frac[i-1] == '0' {
			i--
		}
		frac = frac[:i]
		if len(frac) == 0 {
			return b
		}
	}
	b = append(b, '.')
	for i := 0; i < lead; i++ {
		b = append(b, '0')
	}
	return append(b, frac...)
}

// String returns a as decimal.String writes it.
func (a fx) String() string {
	var buf [40]byte
	return string(appendCanon(buf[:0], a))
}
