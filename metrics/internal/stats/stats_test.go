package stats

import (
	"math"
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestStudentTCDF(t *testing.T) {
	tests := []struct {
		t, df, want float64
	}{
		{0, 5, 0.5},
		{1, 1, 0.5 + math.Atan(1)/math.Pi}, // Cauchy
		{-3, 1, 0.5 + math.Atan(-3)/math.Pi},
		{2, 2, 0.5 + 2/(2*math.Sqrt(6))}, // closed form for df = 2
		{-0.7, 2, 0.5 - 0.7/(2*math.Sqrt(2.49))},
		{2.228138851986, 10, 0.975}, // two-sided 5 % critical value
		{-1.697260886, 30, 0.05},
		{3.182446305, 3, 0.975},
		{1.959963985, 1e7, 0.975}, // approaches the normal
	}
	for _, tt := range tests {
		assert.InDelta(t, tt.want, StudentTCDF(tt.t, tt.df), 1e-7, "t=%v df=%v", tt.t, tt.df)
	}
	assert.True(t, math.IsNaN(StudentTCDF(1, 0)))
	assert.Equal(t, 1.0, StudentTCDF(math.Inf(1), 3))
	assert.True(t, math.IsNaN(RegIncBeta(1, 1, 2)))
	assert.InDelta(t, 0.3, RegIncBeta(1, 1, 0.3), 1e-14) // uniform
}

func TestAdjust(t *testing.T) {
	ps := []float64{0.01, 0.04, 0.03, 0.005}
	tests := []struct {
		name   string
		adjust func([]float64) []float64
		want   []float64
	}{
		{"Holm", Holm, []float64{0.03, 0.06, 0.06, 0.02}},
		{"BenjaminiHochberg", BenjaminiHochberg, []float64{0.02, 0.04, 0.04, 0.02}},
		{"Bonferroni", Bonferroni, []float64{0.04, 0.16, 0.12, 0.02}},
	}
	for _, tt := range tests {
		got := tt.adjust(ps)
		assert.InDeltaSlice(t, tt.want, got, 1e-12, tt.name)
		assert.Empty(t, tt.adjust(nil), tt.name)
	}
}
