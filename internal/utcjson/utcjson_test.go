package utcjson

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// Append writes what time.Time.MarshalJSON writes for a UTC instant, and
// Parse reads it back to the value time.Time.UnmarshalJSON gives, across
// years 1..9999 with and without fractions.
func TestAgreesWithTime(t *testing.T) {
	lo := time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC).Unix()
	hi := time.Date(9999, 12, 31, 23, 59, 59, 0, time.UTC).Unix()
	rng := rand.New(rand.NewPCG(1, 2))
	for i := range 20000 {
		at := time.Unix(lo+rng.Int64N(hi-lo+1), 0).UTC()
		switch i % 3 {
		case 1:
			at = at.Add(time.Duration(rng.IntN(1e9)))
		case 2:
			at = at.Add(time.Duration(rng.IntN(1000)) * time.Millisecond)
		}
		want, err := at.MarshalJSON()
		require.NoError(t, err)
		got := Append(nil, at)
		require.Equal(t, string(want), string(got))
		back, problem := Parse(string(got[1 : len(got)-1]))
		require.Empty(t, problem)
		var ref time.Time
		require.NoError(t, ref.UnmarshalJSON(want))
		require.Equal(t, ref, back)
	}
}

// Parse refuses what is not the one form, saying why.
func TestParseRefuses(t *testing.T) {
	for _, s := range []string{
		"", "2024-03-01", "2024-03-01T10:00:00", "2024-03-01T10:00:00+08:00", "2024-03-01 10:00:00Z",
		"0000-03-01T10:00:00Z", "2024-13-01T10:00:00Z", "2023-02-29T10:00:00Z", "2024-03-01T24:00:00Z",
		"2024-03-01T10:00:00.Z", "2024-03-01T10:00:00.1234567890Z", "2024-03-01T10:00:00Zx", "2O24-03-01T10:00:00Z",
	} {
		_, problem := Parse(s)
		require.NotEmpty(t, problem, s)
	}
}

// parseSeconds, Parse's fast path, agrees with parse on instants without
// a fraction (every day of leap and common years, years 0 and 1..9999) and
// on each with one byte changed, to a digit, a separator or anything;
// and it takes every valid one.
func TestParseSecondsAgreesWithParse(t *testing.T) {
	rng := rand.New(rand.NewPCG(3, 4))
	const bytes = "0123456789-T:Z.+ /\x00\xff"
	for i := range 300_000 {
		s := []byte(instantText(rng.IntN(10000), 1+rng.IntN(12), 1+rng.IntN(31), rng.IntN(25), rng.IntN(61), rng.IntN(61)))
		if i%2 == 1 {
			b := bytes[rng.IntN(len(bytes))]
			if rng.IntN(2) == 0 {
				b = byte(rng.IntN(256))
			}
			s[rng.IntN(len(s))] = b
		}
		want, wantProblem := parse(string(s))
		got, ok := parseSeconds(string(s))
		require.Equal(t, wantProblem == "", ok, "%q: %s", s, wantProblem)
		if ok {
			require.Equal(t, want, got, "%q", s)
		}
		got, problem := Parse(string(s))
		require.Equal(t, wantProblem, problem, "%q", s)
		require.Equal(t, want, got, "%q", s)
	}
}

// instantText writes an instant of whole seconds without checking its fields.
func instantText(year, month, day, hour, minute, sec int) string {
	d := func(v, n int) string {
		b := make([]byte, n)
		for i := n - 1; i >= 0; i-- {
			b[i] = byte('0' + v%10)
			v /= 10
		}
		return string(b)
	}
	return d(year, 4) + "-" + d(month, 2) + "-" + d(day, 2) + "T" + d(hour, 2) + ":" + d(minute, 2) + ":" + d(sec, 2) + "Z"
}
