package metrics

import (
	"math"

	"github.com/closeloop/closeloop/metrics/internal/stats"
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

// Units makes one [Unit] per group of a result, named by [Group.KeyString],
// with the sample that sample reads (e.g. [Group.SatisfactionSample]).
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
			c.P = stats.StudentTCDF(t, df)
			tested = append(tested, i)
		}
		out[i] = c
	}
	ps := make([]float64, len(tested))
	for k, i := range tested {
		ps[k] = out[i].P
	}
	adj := adjustPValues(ps, corr)
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

// adjustPValues returns p-values adjusted for multiple comparisons by
// corr, in the input order, each capped at 1.
func adjustPValues(ps []float64, corr Correction) []float64 {
	switch corr {
	case Holm:
		return stats.Holm(ps)
	case BenjaminiHochberg:
		return stats.BenjaminiHochberg(ps)
	case Bonferroni:
		return stats.Bonferroni(ps)
	}
	out := make([]float64, len(ps))
	copy(out, ps)
	return out
}
