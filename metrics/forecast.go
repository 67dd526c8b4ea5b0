package metrics

import (
	"errors"
	"fmt"
	"math"
)

// ErrSeriesTooShort is returned when a forecast lacks data.
var ErrSeriesTooShort = errors.New("metrics: series too short for a seasonal forecast")

// Forecast is the outcome of [HoltWinters].
type Forecast struct {
	Season int     `json:"season"`
	Alpha  float64 `json:"alpha"` // level smoothing
	Beta   float64 `json:"beta"`  // trend smoothing
	Gamma  float64 `json:"gamma"` // season smoothing
	// Next are the forecasts for the Horizon periods after the series,
	// from a model fitted on the whole series, floored at 0.
	Next []float64 `json:"next"`
	// Held-out evaluation: the model fitted on all but the last Holdout
	// values forecasts them; errors compare that forecast with the actuals.
	Holdout         int       `json:"holdout"`
	HoldoutForecast []float64 `json:"holdout_forecast"`
	MAE             float64   `json:"mae"`
	RMSE            float64   `json:"rmse"`
	// MAPE in percent over held-out periods with a non-zero actual value;
	// MAPEOK is false when every actual is 0.
	MAPE   float64 `json:"mape"`
	MAPEOK bool    `json:"mape_ok"`
	// NaiveMAE is the MAE of the seasonal naive forecast (the value one
	// season earlier) on the same held-out periods, the baseline to beat.
	NaiveMAE float64 `json:"naive_mae"`
}

// smoothingGrid are the candidate smoothing parameters.
var smoothingGrid = []float64{0.02, 0.05, 0.1, 0.2, 0.3, 0.4, 0.5, 0.6, 0.7, 0.8, 0.9}

// HoltWinters fits additive Holt–Winters (level, trend, season of length
// season) to series — daily ticket counts with season 7 give a weekly
// pattern; hourly counts with season 168 an hour-of-week pattern.
//
// Model: ŷ(t+h) = ℓ(t) + h·b(t) + s(t+h−season), with
//
//	ℓ(t) = α(y(t) − s(t−season)) + (1−α)(ℓ(t−1) + b(t−1))
//	b(t) = β(ℓ(t) − ℓ(t−1)) + (1−β)b(t−1)
//	s(t) = γ(y(t) − ℓ(t)) + (1−γ)s(t−season)
//
// initialised from the first two seasons (level = first season's mean,
// trend = difference of the two seasons' means ÷ season, seasonal index =
// first season's deviations from its mean). α, β and γ are chosen from a
// fixed grid to minimise the in-sample one-step-ahead squared error on the
// training part (all but the last holdout values); the held-out values are
// then forecast from the training fit and the errors reported, and the
// chosen parameters are refitted on the whole series to forecast the next
// horizon values. The result is deterministic. It needs
// len(series) − holdout ≥ 2·season, season ≥ 1, holdout ≥ 1.
func HoltWinters(series []float64, season, holdout, horizon int) (*Forecast, error) {
	if season < 1 || holdout < 1 || horizon < 0 {
		return nil, fmt.Errorf("%w: season %d, holdout %d, horizon %d", ErrConfig, season, holdout, horizon)
	}
	for _, v := range series {
		if math.IsNaN(v) || math.IsInf(v, 0) {
			return nil, fmt.Errorf("%w: non-finite value in series", ErrConfig)
		}
	}
	train := len(series) - holdout
	if train < 2*season {
		return nil, fmt.Errorf("%w: %d training values, need %d", ErrSeriesTooShort, max(train, 0), 2*season)
	}
	f := &Forecast{Season: season, Holdout: holdout}
	best := math.Inf(1)
	for _, a := range smoothingGrid {
		for _, b := range smoothingGrid {
			for _, g := range smoothingGrid {
				sse, _ := hwRun(series[:train], season, a, b, g, 0)
				if sse < best {
					best, f.Alpha, f.Beta, f.Gamma = sse, a, b, g
				}
			}
		}
	}
	_, f.HoldoutForecast = hwRun(series[:train], season, f.Alpha, f.Beta, f.Gamma, holdout)
	var ae, se, pe, naive float64
	var np int
	for i, fc := range f.HoldoutForecast {
		y := series[train+i]
		ae += math.Abs(y - fc)
		se += (y - fc) * (y - fc)
		if y != 0 {
			pe += math.Abs((y - fc) / y)
			np++
		}
		naive += math.Abs(y - series[train-season+i%season]) // last observed season
	}
	h := float64(holdout)
	f.MAE, f.RMSE, f.NaiveMAE = ae/h, math.Sqrt(se/h), naive/h
	if np > 0 {
		f.MAPE, f.MAPEOK = 100*pe/float64(np), true
	}
	_, f.Next = hwRun(series, season, f.Alpha, f.Beta, f.Gamma, horizon)
	return f, nil
}

// hwRun runs the recursions over ys and returns the one-step-ahead SSE and
// forecasts for the horizon after the end (floored at 0).
func hwRun(ys []float64, m int, a, b, g float64, horizon int) (float64, []float64) {
	var m1, m2 float64
	for i := range m {
		m1 += ys[i]
		m2 += ys[m+i]
	}
	m1 /= float64(m)
	m2 /= float64(m)
	level, trend := m1, (m2-m1)/float64(m)
	s := make([]float64, m)
	for i := range m {
		s[i] = ys[i] - m1
	}
	var sse float64
	for t, y := range ys {
		si := t % m
		pred := level + trend + s[si]
		if t >= m { // the first season only initialises
			sse += (y - pred) * (y - pred)
		}
		nl := a*(y-s[si]) + (1-a)*(level+trend)
		trend = b*(nl-level) + (1-b)*trend
		level = nl
		s[si] = g*(y-level) + (1-g)*s[si]
	}
	var out []float64
	for h := 1; h <= horizon; h++ {
		v := level + float64(h)*trend + s[(len(ys)+h-1)%m]
		out = append(out, max(v, 0))
	}
	return sse, out
}
