// Package stats holds the numerical helpers behind
// [github.com/closeloop/closeloop/metrics.CompareUnits]:
// the CDF of Student's t distribution, the regularized incomplete beta
// function it is computed through, and the multiple-comparison corrections
// of p-values. They are pure functions of their arguments, they never panic
// (out-of-range arguments give NaN), and they are internal because users of
// metrics need their results, not the functions: CompareUnits reports each
// unit's p-value, already adjusted.
//
// The package depends on nothing but the standard library. gonum's
// stat/distuv.StudentsT agrees with StudentTCDF on the tests here (to
// 1.4e-8, at df = 1e7) but panics for df ≤ 0, and gonum's module requires
// gonum/plot, which the library's go.mod no longer lists.
package stats

import (
	"cmp"
	"math"
	"slices"
)

// StudentTCDF is P(T ≤ t) for Student's t distribution with df > 0
// degrees of freedom (df need not be an integer), computed through the
// regularized incomplete beta function: for x = df/(df+t²),
// P(T ≤ t) = 1 − I_x(df/2, 1/2)/2 for t ≥ 0 and I_x(df/2, 1/2)/2 otherwise.
// It is NaN for a NaN t or a df that is not positive.
func StudentTCDF(t, df float64) float64 {
	if math.IsNaN(t) || !(df > 0) {
		return math.NaN()
	}
	if math.IsInf(t, 0) {
		if t > 0 {
			return 1
		}
		return 0
	}
	tail := 0.5 * RegIncBeta(df/2, 0.5, df/(df+t*t))
	if t >= 0 {
		return 1 - tail
	}
	return tail
}

// RegIncBeta is the regularized incomplete beta function I_x(a, b) for
// a, b > 0 and x in [0, 1], by Lentz's continued fraction; NaN outside
// that domain.
func RegIncBeta(a, b, x float64) float64 {
	switch {
	case !(a > 0 && b > 0) || !(x >= 0 && x <= 1):
		return math.NaN()
	case x == 0:
		return 0
	case x == 1:
		return 1
	}
	la, _ := math.Lgamma(a + b)
	lb, _ := math.Lgamma(a)
	lc, _ := math.Lgamma(b)
	front := math.Exp(la - lb - lc + a*math.Log(x) + b*math.Log1p(-x))
	if x < (a+1)/(a+b+2) {
		return front * betaCF(a, b, x) / a
	}
	return 1 - front*betaCF(b, a, 1-x)/b
}

func betaCF(a, b, x float64) float64 {
	const eps, tiny = 1e-15, 1e-300
	qab, qap, qam := a+b, a+1, a-1
	c, d := 1.0, 1-qab*x/qap
	if math.Abs(d) < tiny {
		d = tiny
	}
	d = 1 / d
	h := d
	for m := 1; m <= 1000; m++ {
		fm := float64(m)
		m2 := 2 * fm
		aa := fm * (b - fm) * x / ((qam + m2) * (a + m2))
		d = 1 + aa*d
		if math.Abs(d) < tiny {
			d = tiny
		}
		c = 1 + aa/c
		if math.Abs(c) < tiny {
			c = tiny
		}
		d = 1 / d
		h *= d * c
		aa = -(a + fm) * (qab + fm) * x / ((a + m2) * (qap + m2))
		d = 1 + aa*d
		if math.Abs(d) < tiny {
			d = tiny
		}
		c = 1 + aa/c
		if math.Abs(c) < tiny {
			c = tiny
		}
		d = 1 / d
		del := d * c
		h *= del
		if math.Abs(del-1) < eps {
			break
		}
	}
	return h
}

// ascending returns the indexes of ps in ascending order of value, ties in
// input order.
func ascending(ps []float64) []int {
	order := make([]int, len(ps))
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(ps[a], ps[b]) })
	return order
}

// Holm returns ps adjusted by Holm's step-down method (it controls the
// family-wise error rate), in the input order, each capped at 1.
func Holm(ps []float64) []float64 {
	m := len(ps)
	out := make([]float64, m)
	run := 0.0
	for r, i := range ascending(ps) {
		run = max(run, min(1, float64(m-r)*ps[i]))
		out[i] = run
	}
	return out
}

// BenjaminiHochberg returns ps adjusted by the Benjamini–Hochberg step-up
// method (it controls the false discovery rate), in the input order, each
// capped at 1.
func BenjaminiHochberg(ps []float64) []float64 {
	m := len(ps)
	out := make([]float64, m)
	order := ascending(ps)
	run := 1.0
	for r := m - 1; r >= 0; r-- {
		i := order[r]
		run = min(run, float64(m)/float64(r+1)*ps[i])
		out[i] = min(run, 1)
	}
	return out
}

// Bonferroni returns each of ps multiplied by len(ps), capped at 1.
func Bonferroni(ps []float64) []float64 {
	m := len(ps)
	out := make([]float64, m)
	for i, p := range ps {
		out[i] = min(1, float64(m)*p)
	}
	return out
}
