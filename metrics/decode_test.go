package metrics

import (
	"bytes"
	"errors"
	"math"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/closeloop/closeloop/internal/memtest"
)

// tampered accumulates recs, lets mutate change the state (as an attacker
// editing the payload would) and encodes it with a valid checksum.
func tampered(t *testing.T, a *Aggregator, recs []Record, mutate func(acc *Accumulator)) []byte {
	t.Helper()
	acc := accumulate(a, recs)
	mutate(acc)
	b, err := acc.MarshalBinary()
	require.NoError(t, err)
	return b
}

// requireDecodeError checks that err is a *DecodeError wrapping sentinel at
// path.
func requireDecodeError(t *testing.T, err error, sentinel error, path string) {
	t.Helper()
	var de *DecodeError
	require.ErrorAs(t, err, &de)
	require.ErrorIs(t, err, sentinel)
	assert.Equal(t, path, de.Path, "%v", err)
}

// TestDecodeRefusesTampering: sums that would wrap, and state Add and Merge
// cannot produce, are refused with a typed error naming the element.
func TestDecodeRefusesTampering(t *testing.T) {
	a := mustNew(t, Config{GroupBy: []Dimension{DimChannel}, AsOf: t0.Add(time.Hour),
		Composite: propertyConfigs(t)[2].Composite})
	one := []Record{{Channel: "phone", Received: t0, CSAT: 1, SatDims: [MaxSatDims]uint8{4}}}
	tests := []struct {
		name     string
		mutate   func(acc *Accumulator)
		sentinel error
		path     string
	}{
		// Issue 17.5: the buckets wrap to 1 = tickets without checked sums.
		{"CSAT buckets wrapping to the ticket count", func(acc *Accumulator) {
			acc.groups[0].csat = [8]int64{math.MaxInt64, 3, math.MaxInt64}
		}, ErrCorrupt, "groups[0].csat"},
		{"NPS buckets wrapping", func(acc *Accumulator) {
			acc.groups[0].nps[12] = math.MaxInt64
			acc.groups[0].nps[0] = math.MaxInt64
			acc.groups[0].nps[1] = 3
		}, ErrCorrupt, "groups[0].nps"},
		{"SLA buckets wrapping", func(acc *Accumulator) {
			g := &acc.groups[0]
			c := g.sla(acc.agg, 4, 1)
			c[0], c[1], c[2] = math.MaxInt64, 3, math.MaxInt64
		}, ErrCorrupt, "groups[0].sla.resolution"},
		{"aging buckets wrapping", func(acc *Accumulator) {
			g := &acc.groups[0]
			g.ext[acc.agg.agingOff] = math.MaxInt64
			g.ext[acc.agg.agingOff+1] = 2
			g.ext[acc.agg.agingOff+2] = math.MaxInt64
		}, ErrCorrupt, "groups[0].aging"},
		{"satisfaction sum beyond five per answer", func(acc *Accumulator) {
			acc.groups[0].ext[acc.agg.satOff] = math.MaxInt64
		}, ErrCorrupt, "groups[0].sat_sum.attitude"},
		{"composite sums out of proportion", func(acc *Accumulator) {
			acc.groups[0].compNum = math.MaxInt64
		}, ErrCorrupt, "groups[0].composite_num"},
		{"no tickets", func(acc *Accumulator) {
			g := &acc.groups[0]
			*g = groupStats{ext: make([]int64, acc.agg.extLen)}
		}, ErrCorrupt, "groups[0].tickets"},
		{"reopens without reopened tickets", func(acc *Accumulator) {
			acc.groups[0].reopens = 5
		}, ErrCorrupt, "groups[0].reopens"},
		{"records beyond MaxRecords", func(acc *Accumulator) {
			scale(acc, MaxRecords+1)
		}, ErrOverflow, "groups[0].tickets"},
		{"invalid fields beyond what the records can have", func(acc *Accumulator) {
			acc.invalid = 17
		}, ErrCorrupt, "invalid"},
		{"compensation counts wrapping", func(acc *Accumulator) {
			acc.groups[0].money = []money{{"CNY", 1, math.MaxInt64}, {"EUR", 1, 2}, {"USD", 1, math.MaxInt64}}
		}, ErrCorrupt, "groups[0].money"},
		{"compensation sum of MinInt64", func(acc *Accumulator) {
			acc.groups[0].money = []money{{"CNY", math.MinInt64, 1}}
		}, ErrCorrupt, "groups[0].money[0]"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			_, err := a.Decode(tampered(t, a, one, tt.mutate))
			requireDecodeError(t, err, tt.sentinel, tt.path)
		})
	}
}

// scale sets every group's counts to n tickets of the simplest kind:
// nothing answered, nothing resolved, no SLA clock.
func scale(acc *Accumulator, n int64) {
	a := acc.agg
	for i := range acc.groups {
		g := &acc.groups[i]
		*g = groupStats{ext: g.ext}
		clear(g.ext)
		g.tickets = n
		g.csat[0], g.nps[12], g.ces[0], g.fu[0] = n, n, n, n
		for m := range a.cfg.SLAMetrics {
			g.sla(a, numPrio-1, m)[SLANone] = n
		}
	}
	acc.invalid = 0
	acc.recomputeTotals()
}

// TestMergeRefusesOverflow: Merge checks its totals before it changes
// anything (issue 17.5: merged counts used to wrap negative).
func TestMergeRefusesOverflow(t *testing.T) {
	a := mustNew(t, Config{GroupBy: []Dimension{DimChannel}})
	big := accumulate(a, []Record{{Channel: "phone"}})
	scale(big, MaxRecords/2+1)
	enc, err := big.MarshalBinary()
	require.NoError(t, err)
	x, err := a.Decode(enc)
	require.NoError(t, err, "MaxRecords/2+1 records are within the limit")
	y, err := a.Decode(enc)
	require.NoError(t, err)
	before := resultJSON(t, x)
	err = x.Merge(y)
	var oe *OverflowError
	require.ErrorAs(t, err, &oe)
	require.ErrorIs(t, err, ErrOverflow)
	assert.Equal(t, "records", oe.Figure)
	assert.Equal(t, before, resultJSON(t, x), "a refused merge changes nothing")

	// Sums that can exceed the ticket count: reopens, compensation.
	r1 := Record{Channel: "phone", Resolved: t0, ReopenCount: math.MaxInt64 - 1, CompensationMinor: math.MaxInt64 - 1, Currency: "CNY"}
	r2 := Record{Channel: "app", Resolved: t0, ReopenCount: 5, CompensationMinor: 5, Currency: "CNY"}
	p, q := accumulate(a, []Record{r1}), accumulate(a, []Record{r2})
	require.ErrorAs(t, p.Merge(q), &oe)
	assert.Equal(t, "reopens", oe.Figure)
	assert.EqualValues(t, 1, p.Len())
}

// TestAddSkipsOverflow: a reopen count, compensation or composite
// contribution that would take a total past int64 is skipped as invalid;
// no count wraps.
func TestAddSkipsOverflow(t *testing.T) {
	a := mustNew(t, Config{GroupBy: []Dimension{DimChannel}})
	acc := accumulate(a, []Record{
		{Channel: "phone", Received: t0, Resolved: t0, ReopenCount: math.MaxInt64 - 1, CompensationMinor: math.MaxInt64 - 1, Currency: "CNY"},
		{Channel: "app", Received: t0, Resolved: t0, ReopenCount: 5, CompensationMinor: 5, Currency: "CNY"},
		{Channel: "app", Received: t0, Resolved: t0, CompensationMinor: math.MinInt64, Currency: "EUR"},
	})
	res := acc.Result()
	assert.EqualValues(t, 3, res.Invalid)
	assert.EqualValues(t, math.MaxInt64-1, res.Total.Reopens)
	assert.Equal(t, Ratio{1, 3}, res.Total.ReopenRate)
	assert.Equal(t, []CompensationTotal{{"CNY", math.MaxInt64 - 1, 1}}, res.Total.Compensation)
	enc, err := acc.MarshalBinary()
	require.NoError(t, err)
	back, err := a.Decode(enc)
	require.NoError(t, err)
	assert.Equal(t, resultJSON(t, acc), resultJSON(t, back))
}

// maxBytesPerInputByte is the decoders' memory ceiling, documented in the
// package doc: allocation per byte of input, plus a fixed allowance for
// the empty accumulator and its caches.
const (
	maxBytesPerInputByte = 16
	decodeAllowance      = 64 << 10
)

// decodeBudget decodes enc with decode and checks the allocation ceiling
// and that the result re-encodes to the same bytes.
func decodeBudget(t *testing.T, enc []byte, decode func([]byte) (func() ([]byte, error), error)) float64 {
	t.Helper()
	var reencode func() ([]byte, error)
	var err error
	n := memtest.Allocated(func() { reencode, err = decode(enc) })
	require.NoError(t, err)
	again, err := reencode()
	require.NoError(t, err)
	require.True(t, bytes.Equal(enc, again), "accepted input re-encodes to the same bytes")
	ratio := float64(n) / float64(len(enc))
	t.Logf("%d bytes in, %d allocated: %.2f per input byte", len(enc), n, ratio)
	if !raceEnabled {
		require.LessOrEqual(t, n, uint64(maxBytesPerInputByte*len(enc)+decodeAllowance), "allocation ceiling")
	}
	return ratio
}

func kpiDecoder(a *Aggregator) func([]byte) (func() ([]byte, error), error) {
	return func(b []byte) (func() ([]byte, error), error) {
		acc, err := a.Decode(b)
		if err != nil {
			return nil, err
		}
		return acc.MarshalBinary, nil
	}
}

func crossTabDecoder(ct *CrossTab) func([]byte) (func() ([]byte, error), error) {
	return func(b []byte) (func() ([]byte, error), error) {
		c := ct.Empty()
		if err := c.UnmarshalBinary(b); err != nil {
			return nil, err
		}
		return c.MarshalBinary, nil
	}
}

// TestDecodeMemoryWorstCases: the worst inputs per decoder stay under the
// allocation ceiling. It builds encodings of several megabytes: it runs with
// CLOSELOOP_FULL=1 (CI), not in the default go test ./....
func TestDecodeMemoryWorstCases(t *testing.T) {
	if !fullSize() {
		t.Skip("builds encodings of several megabytes: CLOSELOOP_FULL=1 runs it")
	}
	day0 := time.Date(1970, 1, 2, 0, 0, 0, 0, time.UTC)
	longest := time.Unix(0, math.MaxInt64).UTC()
	t.Run("issue 17.4: 20,000 daily groups, durations from 1 ns to 292 years", func(t *testing.T) {
		a := mustNew(t, Config{Period: PeriodDay})
		acc := a.NewAccumulator()
		for d := range 20000 {
			rec := day0.AddDate(0, 0, d)
			acc.Add(&Record{Received: rec, FirstResponse: rec.Add(1), Resolved: rec.Add(1),
				FirstResponseBusiness: 1, ResolutionBusiness: 1, BusinessTimes: true})
			acc.Add(&Record{Received: rec, FirstResponse: longest, Resolved: longest,
				FirstResponseBusiness: math.MaxInt64, ResolutionBusiness: math.MaxInt64, BusinessTimes: true})
		}
		enc, err := acc.MarshalBinary()
		require.NoError(t, err)
		require.Greater(t, len(enc), 5_000_000)
		decodeBudget(t, enc, kpiDecoder(a))
	})
	t.Run("smallest groups: no SLA metrics, one ticket a day", func(t *testing.T) {
		a := mustNew(t, Config{Period: PeriodDay, SLAMetrics: []string{}})
		acc := a.NewAccumulator()
		for d := range 50000 {
			acc.Add(&Record{Received: day0.AddDate(0, 0, d)})
		}
		enc, err := acc.MarshalBinary()
		require.NoError(t, err)
		decodeBudget(t, enc, kpiDecoder(a))
	})
	t.Run("four short strings per group", func(t *testing.T) {
		a := mustNew(t, Config{GroupBy: []Dimension{DimKind, DimChannel, DimTeam, DimAgent}, SLAMetrics: []string{}})
		acc := a.NewAccumulator()
		for i := range 20000 {
			s := func(j int) string { return string([]byte{byte(i >> 8), byte(i), byte(j)}) }
			acc.Add(&Record{Kind: s(0), Channel: s(1), Team: s(2), Agent: s(3)})
		}
		enc, err := acc.MarshalBinary()
		require.NoError(t, err)
		decodeBudget(t, enc, kpiDecoder(a))
	})
	t.Run("every sketch bin in use, one duration each", func(t *testing.T) {
		a := mustNew(t, Config{RelativeAccuracy: 0.001})
		acc := a.NewAccumulator()
		for v := 1.0; v < math.MaxInt64/2; v *= 1.002 {
			acc.Add(&Record{Received: t0, FirstResponse: t0, FirstResponseBusiness: time.Duration(v), BusinessTimes: true})
		}
		enc, err := acc.MarshalBinary()
		require.NoError(t, err)
		decodeBudget(t, enc, kpiDecoder(a))
	})
	t.Run("every other sketch bin in use", func(t *testing.T) {
		a := mustNew(t, Config{RelativeAccuracy: 0.001})
		acc := a.NewAccumulator()
		for v := 1.0; v < math.MaxInt64/2; v *= 1.008 {
			acc.Add(&Record{Received: t0, FirstResponse: t0, FirstResponseBusiness: time.Duration(v), BusinessTimes: true})
		}
		enc, err := acc.MarshalBinary()
		require.NoError(t, err)
		decodeBudget(t, enc, kpiDecoder(a))
	})
	t.Run("every currency in every group", func(t *testing.T) {
		a := mustNew(t, Config{GroupBy: []Dimension{DimChannel}, SLAMetrics: []string{}})
		acc := a.NewAccumulator()
		for g := range 5000 {
			for c := range MaxCurrencies {
				acc.Add(&Record{Channel: string(rune(g)), CompensationMinor: 1, Currency: string(rune('a' + c))})
			}
		}
		enc, err := acc.MarshalBinary()
		require.NoError(t, err)
		decodeBudget(t, enc, kpiDecoder(a))
	})
	t.Run("cross-tab: one cell per pair of short strings", func(t *testing.T) {
		ct, err := NewCrossTab(DimKind, DimChannel, 1, nil)
		require.NoError(t, err)
		for i := range 60000 {
			ct.Add(&Record{Kind: string([]byte{byte(i >> 8), byte(i)}), Channel: string([]byte{byte(i), byte(i >> 8), 0})})
		}
		enc, err := ct.MarshalBinary()
		require.NoError(t, err)
		decodeBudget(t, enc, crossTabDecoder(ct))
	})
	t.Run("cross-tab: many cells over few strings", func(t *testing.T) {
		ct, err := NewCrossTab(DimKind, DimChannel, 1, nil)
		require.NoError(t, err)
		for i := range 300 {
			for j := range 300 {
				ct.Add(&Record{Kind: string(rune('a' + i)), Channel: string(rune('a' + j)), Received: t0.Add(time.Duration(i+j) * time.Hour)})
			}
		}
		enc, err := ct.MarshalBinary()
		require.NoError(t, err)
		decodeBudget(t, enc, crossTabDecoder(ct))
	})
}

// TestDecodeRefusesBeforeAllocating: counts larger than the rest of the
// input could hold are refused before anything is allocated for them.
func TestDecodeRefusesBeforeAllocating(t *testing.T) {
	a := mustNew(t, Config{GroupBy: []Dimension{DimChannel}})
	none := mustNew(t, Config{})
	payload := func(a *Aggregator, parts ...[]byte) []byte {
		b := appendHeader(nil, kindKPI, a.fingerprint)
		for _, p := range parts {
			b = append(b, p...)
		}
		b, _ = appendTrailer(b, 0)
		return b
	}
	huge := []byte{0xff, 0xff, 0xff, 0xff, 0x0f} // 4 294 967 295
	tests := []struct {
		name string
		agg  *Aggregator
		enc  []byte
		path string
	}{
		{"strings", a, payload(a, []byte{0}, huge), "strings"},
		{"strings for the groups left", a, payload(a, []byte{0, 2, 1, 'x', 1, 'y', 1}), "strings"},
		{"groups", none, payload(none, []byte{0, 0}, huge), "groups"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var err error
			n := memtest.Allocated(func() { _, err = tt.agg.Decode(tt.enc) })
			requireDecodeError(t, err, ErrCorrupt, tt.path)
			if !raceEnabled {
				assert.Less(t, n, uint64(decodeAllowance))
			}
		})
	}
	// The length limit, checked with a smaller one (MaxEncodedLen is 1 GiB).
	enc, err := accumulate(a, generate(1, benchStart, 10)).MarshalBinary()
	require.NoError(t, err)
	_, err = openEnvelopeMax(enc, kindKPI, a.fingerprint, len(enc))
	require.NoError(t, err)
	_, err = openEnvelopeMax(enc, kindKPI, a.fingerprint, len(enc)-1)
	requireDecodeError(t, err, ErrLimit, "length")
}

// TestDecodeLyingCounts: a count anywhere in a valid encoding replaced by
// 2^32−1 never makes decoding allocate beyond the ceiling: every count is
// bounded by what the bytes left can hold before anything is allocated.
func TestDecodeLyingCounts(t *testing.T) {
	a := fuzzAggregator(t)
	enc, err := accumulate(a, generate(5, benchStart, 40)).MarshalBinary()
	require.NoError(t, err)
	huge := []byte{0xff, 0xff, 0xff, 0xff, 0x0f}
	for i := headerLen; i < len(enc)-trailerLen; i++ {
		bad := append(append(append([]byte(nil), enc[:i]...), huge...), enc[i+1:]...)
		bad = fixCRC(bad)
		var err error
		n := memtest.Allocated(func() { _, err = a.Decode(bad) })
		if err != nil {
			var de *DecodeError
			require.ErrorAs(t, err, &de)
		}
		if !raceEnabled {
			require.LessOrEqual(t, n, uint64(maxBytesPerInputByte*len(bad)+decodeAllowance), "count at byte %d", i)
		}
	}
}

// TestDecodeErrorsAreTyped: every refusal of every decoder, on every
// single-byte corruption of a valid encoding, is a *DecodeError.
func TestDecodeErrorsAreTyped(t *testing.T) {
	a := fuzzAggregator(t)
	enc, err := accumulate(a, generate(3, benchStart, 60)).MarshalBinary()
	require.NoError(t, err)
	ct, _ := NewCrossTab(DimKind, DimChannel, 6, nil)
	hw := NewHourOfWeek(nil)
	for _, r := range generate(4, benchStart, 200) {
		ct.Add(&r)
		hw.Add(&r)
	}
	ctEnc, _ := ct.MarshalBinary()
	hwEnc, _ := hw.MarshalBinary()
	for _, c := range []struct {
		enc    []byte
		decode func([]byte) error
	}{
		{enc, func(b []byte) error { _, err := a.Decode(b); return err }},
		{ctEnc, func(b []byte) error { return ct.Empty().UnmarshalBinary(b) }},
		{hwEnc, func(b []byte) error { return NewHourOfWeek(nil).UnmarshalBinary(b) }},
	} {
		for i := headerLen; i < len(c.enc)-trailerLen; i++ {
			for _, x := range []byte{0x01, 0x80, 0xff} {
				bad := append([]byte(nil), c.enc...)
				bad[i] ^= x
				err := c.decode(fixCRC(bad))
				if err == nil {
					continue
				}
				var de *DecodeError
				require.True(t, errors.As(err, &de), "byte %d: %v", i, err)
				require.NotEmpty(t, de.Path, "byte %d: %v", i, err)
				require.True(t, errors.Is(err, ErrCorrupt) || errors.Is(err, ErrOverflow), "byte %d: %v", i, err)
			}
		}
	}
}
