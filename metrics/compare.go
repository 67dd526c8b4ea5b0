package metrics

import (
	"cmp"
	"math"
	"slices"
)

// Sample summarises observations of one unit: count, mean and unbiased
// sample variance (divisor N−1; 0 when N < 2).
type Sample struct {
	N    int64   `json:"n"`
	Mean float64 `json:"mean"`
	Var  float64 `json:"var"`
}

// SD is the sample standard deviation.
func (s Sample) SD() float64 { return math.Sqrt(s.Var) }

// SampleOf summarises xs (two-pass, for accuracy).
func SampleOf(xs []float64) Sample {
	if len(xs) == 0 {
		return Sample{}
	}
	var sum float64
	for _, x := range xs {
		sum += x
	}
	m := sum / float64(len(xs))
	var ss float64
	for _, x := range xs {
		ss += (x - m) * (x - m)
	}
	s := Sample{N: int64(len(xs)), Mean: m}
	if len(xs) > 1 {
		s.Var = ss / float64(len(xs)-1)
	}
	return s
}

// sampleOfHist summarises a histogram: counts[i] answers of value i.
func sampleOfHist(counts []int64, value func(i int) float64) Sample {
	var n int64
	var sum float64
	for i, c := range counts {
		n += c
		sum += float64(c) * value(i)
	}
	if n == 0 {
		return Sample{}
	}
	m := sum / float64(n)
	var ss float64
	for i, c := range counts {
		d := value(i) - m
		ss += float64(c) * d * d
	}
	s := Sample{N: n, Mean: m}
	if n > 1 {
		s.Var = ss / float64(n-1)
	}
	return s
}

// SatisfactionSample is the group's CSAT answers (1..5) as a sample.
func (g *Group) SatisfactionSample() Sample {
	return sampleOfHist(g.CSATAnswers[:], func(i int) float64 { return float64(i + 1) })
}

// NPSSample scores each NPS respondent +100 (promoter), 0 (passive) or
// −100 (detractor); the sample mean is the NPS.
func (g *Group) NPSSample() Sample {
	return sampleOfHist([]int64{g.NPS.Detractors, g.NPS.Passives, g.NPS.Promoters},
		func(i int) float64 { return float64(100 * (i - 1)) })
}

// pool combines samples exactly (parallel-variance formula).
func pool(ss []Sample) Sample {
	var n int64
	var sum float64
	for _, s := range ss {
		n += s.N
		sum += float64(s.N) * s.Mean
	}
	if n == 0 {
		return Sample{}
	}
	m := sum / float64(n)
	var m2 float64
	for _, s := range ss {
		if s.N == 0 {
			continue
		}
		m2 += float64(s.N-1)*s.Var + float64(s.N)*(s.Mean-m)*(s.Mean-m)
	}
	out := Sample{N: n, Mean: m}
	if n > 1 {
		out.Var = m2 / float64(n-1)
	}
	return out
}

// Correction is a multiple-comparison correction of p-values.
type Correction uint8

// Corrections.
const (
	// Holm controls the family-wise error rate (step-down Bonferroni).
	Holm Correction = iota
	// BenjaminiHochberg controls the false discovery rate.
	BenjaminiHochberg
	// Bonferroni multiplies each p-value by the number of tests.
	Bonferroni
	// NoCorrection leaves p-values as they are.
	NoCorrection
)

// Unit is one unit (branch, team, agent...) to compare.
type Unit struct {
	Name   string
	Sample Sample
}

// Units makes one Unit per group of a result, named by Group.KeyString,
// with the sample that sample reads (e.g. (*Group).SatisfactionSample).
func (r *Result) Units(sample func(*Group) Sample) []Unit {
	out := make([]Unit, len(r.Groups))
	for i := range r.Groups {
		out[i] = Unit{Name: r.Groups[i].KeyString(), Sample: sample(&r.Groups[i])}
	}
	return out
}

// UnitComparison is the outcome for one unit.
type UnitComparison struct {
	Name string  `json:"name"`
	N    int64   `json:"n"`
	Mean float64 `json:"mean"`
	SD   float64 `json:"sd"`
	// Z is (Mean − mean of unit means) ÷ SD of unit means (units with
	// N > 0; ZOK false with fewer than two such units or equal means).
	Z   float64 `json:"z"`
	ZOK bool    `json:"z_ok"`
	// Welch's t-test of this unit against all other units pooled,
	// one-sided (this unit lower). TestOK is false when either side has
	// fewer than two observations or both have zero variance.
	T         float64 `json:"t"`
	DF        float64 `json:"df"`
	P         float64 `json:"p"`
	PAdjusted float64 `json:"p_adjusted"`
	TestOK    bool    `json:"test_ok"`
	// Below: TestOK and PAdjusted < alpha.
	Below bool `json:"below"`
}

// CompareUnits compares each unit with the rest: z-score of its mean among
// unit means, and a one-sided Welch's t-test "this unit is below the
// others pooled", with p-values adjusted for the number of tests by corr.
// Results keep the input order.
func CompareUnits(units []Unit, alpha float64, corr Correction) []UnitComparison {
	out := make([]UnitComparison, len(units))
	var means []float64
	for _, u := range units {
		if u.Sample.N > 0 {
			means = append(means, u.Sample.Mean)
		}
	}
	ms := SampleOf(means)
	var tested []int
	for i, u := range units {
		c := UnitComparison{Name: u.Name, N: u.Sample.N, Mean: u.Sample.Mean, SD: u.Sample.SD()}
		if u.Sample.N > 0 && len(means) > 1 && ms.Var > 0 {
			c.Z, c.ZOK = (u.Sample.Mean-ms.Mean)/ms.SD(), true
		}
		rest := make([]Sample, 0, len(units)-1)
		for j, v := range units {
			if j != i {
				rest = append(rest, v.Sample)
			}
		}
		if t, df, ok := welch(u.Sample, pool(rest)); ok {
			c.T, c.DF, c.TestOK = t, df, true
			c.P = StudentTCDF(t, df)
			tested = append(tested, i)
		}
		out[i] = c
	}
	ps := make([]float64, len(tested))
	for k, i := range tested {
		ps[k] = out[i].P
	}
	adj := AdjustPValues(ps, corr)
	for k, i := range tested {
		out[i].PAdjusted = adj[k]
		out[i].Below = adj[k] < alpha
	}
	return out
}

// welch returns Welch's t statistic of a − b and its degrees of freedom.
func welch(a, b Sample) (t, df float64, ok bool) {
	if a.N < 2 || b.N < 2 {
		return 0, 0, false
	}
	va, vb := a.Var/float64(a.N), b.Var/float64(b.N)
	se2 := va + vb
	if !(se2 > 0) {
		return 0, 0, false
	}
	t = (a.Mean - b.Mean) / math.Sqrt(se2)
	df = se2 * se2 / (va*va/float64(a.N-1) + vb*vb/float64(b.N-1))
	return t, df, true
}

// AdjustPValues returns p-values adjusted for multiple comparisons, in the
// input order, each capped at 1.
func AdjustPValues(ps []float64, corr Correction) []float64 {
	m := len(ps)
	out := make([]float64, m)
	order := make([]int, m)
	for i := range order {
		order[i] = i
	}
	slices.SortStableFunc(order, func(a, b int) int { return cmp.Compare(ps[a], ps[b]) })
	switch corr {
	case Holm:
		run := 0.0
		for r, i := range order {
			run = max(run, min(1, float64(m-r)*ps[i]))
			out[i] = run
		}
	case BenjaminiHochberg:
		run := 1.0
		for r := m - 1; r >= 0; r-- {
			i := order[r]
			run = min(run, float64(m)/float64(r+1)*ps[i])
			out[i] = min(run, 1)
		}
	case Bonferroni:
		for i, p := range ps {
			out[i] = min(1, float64(m)*p)
		}
	default:
		copy(out, ps)
	}
	return out
}

// StudentTCDF is P(T ≤ t) for Student's t distribution with df > 0
// degrees of freedom (df need not be an integer), computed through the
// regularized incomplete beta function: for x = df/(df+t²),
// P(T ≤ t) = 1 − I_x(df/2, 1/2)/2 for t ≥ 0 and I_x(df/2, 1/2)/2 otherwise.
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
// a, b > 0 and x in [0, 1], by Lentz's continued fraction.
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
