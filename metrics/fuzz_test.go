package metrics

import (
	"bytes"
	"encoding/binary"
	"errors"
	"hash/crc32"
	"math"
	"strings"
	"testing"
	"time"
)

// fixCRC recomputes the checksum trailer of an encoding.
func fixCRC(b []byte) []byte {
	n := len(b) - trailerLen
	binary.LittleEndian.PutUint32(b[n:], crc32.Checksum(b[:n], crcTable))
	return b
}

func fuzzAggregator(t testing.TB) *Aggregator {
	return mustNew(t, Config{GroupBy: []Dimension{DimChannel}, Period: PeriodDay,
		AsOf: benchStart.Add(36 * time.Hour), Composite: propertyConfigs(t)[2].Composite})
}

// FuzzAccumulatorDecode: decoding never panics; whatever it accepts
// re-encodes to an equivalent accumulator whose Result is finite. Inputs
// whose first byte is odd get a valid envelope (header and checksum) so the
// fuzzer reaches the payload checks.
func FuzzAccumulatorDecode(f *testing.F) {
	a := fuzzAggregator(f)
	for _, n := range []int{0, 1, 5, 40} {
		b, err := accumulate(a, generate(uint64(n), benchStart, n)).MarshalBinary()
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b)
		f.Add(append([]byte{1}, b[headerLen:len(b)-trailerLen]...))
	}
	f.Add([]byte("CLMA"))
	ct, err := NewCrossTab(DimKind, DimChannel, 6, nil)
	if err != nil {
		f.Fatal(err)
	}
	hw := NewHourOfWeek(nil)
	for i := range 3 {
		for _, r := range generate(uint64(i), benchStart, 20*i) {
			ct.Add(&r)
			hw.Add(&r)
		}
		b, _ := ct.MarshalBinary()
		f.Add(b)
		f.Add(append([]byte{3}, b[headerLen:len(b)-trailerLen]...))
		b, _ = hw.MarshalBinary()
		f.Add(append([]byte{5}, b[headerLen:len(b)-trailerLen]...))
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		in := data
		if len(data) > 0 && data[0]&1 == 1 {
			// Bits 1-2 of the first byte pick the accumulator kind.
			kind, fp := byte(kindKPI), a.fingerprint
			switch data[0] >> 1 & 3 {
			case 1:
				kind, fp = kindCrossTab, ct.fp
			case 2:
				kind, fp = kindHourOfWeek, hw.fp
			}
			in = appendHeader(nil, kind, fp)
			in = append(in, data[1:]...)
			in, _ = appendTrailer(in, 0)
		}
		checkCrossTab(t, ct, in)
		checkHourOfWeek(t, in)
		checkKPI(t, a, in)
	})
}

// requireTyped fails unless err is nil or a *DecodeError with a path.
func requireTyped(t *testing.T, err error) {
	t.Helper()
	var de *DecodeError
	if err != nil && !errors.As(err, &de) {
		t.Fatalf("untyped decoding error %T: %v", err, err)
	}
	if err != nil && de.Path == "" {
		t.Fatalf("decoding error without a path: %v", err)
	}
}

// checkKPI: decoding in either refuses with a *DecodeError or accepts
// state that re-encodes to the same bytes, has finite figures, and merges
// with itself into state the decoder accepts again (or is refused as an
// overflow, leaving the receiver unchanged).
func checkKPI(t *testing.T, a *Aggregator, in []byte) {
	acc, err := a.Decode(in)
	requireTyped(t, err)
	if err != nil {
		return
	}
	res := resultJSON(t, acc)
	if strings.Contains(res, "NaN") || strings.Contains(res, "Inf") {
		t.Fatalf("non-finite figure in %s", res)
	}
	again, err := acc.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	if !bytes.Equal(again, in) {
		t.Fatalf("accepted encoding re-encodes differently")
	}
	acc2, err := a.Decode(again)
	if err != nil {
		t.Fatalf("re-encoding rejected: %v", err)
	}
	checkMerge(t, a, acc2, acc)
	checkMerge(t, a, acc, acc)
}

// checkMerge merges o into acc: a refusal must be an overflow or limit
// error and leave acc unchanged; a merge must give state the decoder
// accepts, with every count the sum of both.
func checkMerge(t *testing.T, a *Aggregator, acc, o *Accumulator) {
	before, _ := acc.MarshalBinary()
	total := acc.Result().Total.Tickets + o.Result().Total.Tickets
	if err := acc.Merge(o); err != nil {
		if !errors.Is(err, ErrOverflow) && !errors.Is(err, ErrLimit) {
			t.Fatalf("merge: %v", err)
		}
		if after, _ := acc.MarshalBinary(); !bytes.Equal(before, after) {
			t.Fatal("a refused merge changed the accumulator")
		}
		return
	}
	merged, err := acc.MarshalBinary()
	if err != nil {
		t.Fatal(err)
	}
	back, err := a.Decode(merged)
	if err != nil {
		t.Fatalf("merged state refused by the decoder: %v", err)
	}
	if got := back.Result().Total.Tickets; got != total || got < 0 {
		t.Fatalf("merged %d tickets, want %d", got, total)
	}
}

func checkCrossTab(t *testing.T, ct *CrossTab, in []byte) {
	c := ct.Empty()
	err := c.UnmarshalBinary(in)
	requireTyped(t, err)
	if err != nil {
		return
	}
	b, _ := c.MarshalBinary()
	if !bytes.Equal(b, in) {
		t.Fatal("accepted cross-tab re-encodes differently")
	}
	h := c.Result()
	if h.Total < 0 || h.Max < 0 {
		t.Fatalf("negative counts: total %d, max %d", h.Total, h.Max)
	}
	c2 := ct.Empty()
	_ = c2.UnmarshalBinary(b)
	if err := c2.Merge(c); err == nil {
		if h2 := c2.Result(); h2.Total != 2*h.Total {
			t.Fatalf("merged total %d, want %d", h2.Total, 2*h.Total)
		}
	} else if !errors.Is(err, ErrOverflow) {
		t.Fatal(err)
	}
	_ = c2.Result().Flat()
}

func checkHourOfWeek(t *testing.T, in []byte) {
	h := NewHourOfWeek(nil)
	err := h.UnmarshalBinary(in)
	requireTyped(t, err)
	if err != nil {
		return
	}
	b, _ := h.MarshalBinary()
	if !bytes.Equal(b, in) {
		t.Fatal("accepted hour-of-week counts re-encode differently")
	}
	w := h.Result()
	if w.Total < 0 {
		t.Fatalf("negative total %d", w.Total)
	}
	_ = w.HourlyShare()
	if err := h.Merge(h); err == nil && h.Result().Total != 2*w.Total {
		t.Fatal("merged total")
	} else if err != nil && !errors.Is(err, ErrOverflow) {
		t.Fatal(err)
	}
}

// envelope wraps a fuzzer's payload in a valid header and checksum.
func envelope(kind byte, fp uint64, payload []byte) []byte {
	b := appendHeader(nil, kind, fp)
	b = append(b, payload...)
	b, _ = appendTrailer(b, 0)
	return b
}

// FuzzCrossTabDecode: cross-tab decoding never panics, refuses with a
// *DecodeError, and what it accepts re-encodes to the same bytes and
// merges without negative counts. The fuzzer writes the payload; the
// envelope is valid.
func FuzzCrossTabDecode(f *testing.F) {
	ct, err := NewCrossTab(DimKind, DimChannel, 6, nil)
	if err != nil {
		f.Fatal(err)
	}
	for i := range 4 {
		for _, r := range generate(uint64(i), benchStart, 30*i) {
			ct.Add(&r)
		}
		b, _ := ct.MarshalBinary()
		f.Add(b[headerLen : len(b)-trailerLen])
	}
	f.Fuzz(func(t *testing.T, payload []byte) {
		checkCrossTab(t, ct, envelope(kindCrossTab, ct.fp, payload))
	})
}

// FuzzHourOfWeekDecode: the same for HourOfWeek.
func FuzzHourOfWeekDecode(f *testing.F) {
	hw := NewHourOfWeek(nil)
	for i := range 3 {
		for _, r := range generate(uint64(i), benchStart, 50*i) {
			hw.Add(&r)
		}
		b, _ := hw.MarshalBinary()
		f.Add(b[headerLen : len(b)-trailerLen])
	}
	f.Fuzz(func(t *testing.T, payload []byte) {
		checkHourOfWeek(t, envelope(kindHourOfWeek, hw.fp, payload))
	})
}

// FuzzMerge: two fuzzer-written KPI payloads that both decode merge into
// state the decoder accepts, or the merge is refused as an overflow and
// changes nothing — never a negative or wrapped count.
func FuzzMerge(f *testing.F) {
	a := fuzzAggregator(f)
	payload := func(seed uint64, n int) []byte {
		b, err := accumulate(a, generate(seed, benchStart, n)).MarshalBinary()
		if err != nil {
			f.Fatal(err)
		}
		return b[headerLen : len(b)-trailerLen]
	}
	f.Add(payload(1, 10), payload(2, 30))
	f.Add(payload(3, 1), payload(3, 1))
	big := accumulate(a, generate(4, benchStart, 1))
	scale(big, MaxRecords/2+1)
	b, _ := big.MarshalBinary()
	f.Add(b[headerLen:len(b)-trailerLen], b[headerLen:len(b)-trailerLen])
	f.Fuzz(func(t *testing.T, p, q []byte) {
		x, err := a.Decode(envelope(kindKPI, a.fingerprint, p))
		if err != nil {
			return
		}
		y, err := a.Decode(envelope(kindKPI, a.fingerprint, q))
		if err != nil {
			return
		}
		checkMerge(t, a, x, y)
	})
}

// FuzzSketchIndex: the index table gives the library's index for every
// duration, at several accuracies.
func FuzzSketchIndex(f *testing.F) {
	var aggs []*Aggregator
	for _, acc := range []float64{0.01, 0.02, 0.005, 0.1} {
		aggs = append(aggs, mustNew(f, Config{RelativeAccuracy: acc}))
	}
	for _, v := range []int64{1, 1 << 16, 1e9, 3600e9, 1<<62 + 12345, math.MaxInt64} {
		f.Add(v)
	}
	f.Fuzz(func(t *testing.T, v int64) {
		if v <= 0 {
			return
		}
		for _, a := range aggs {
			if got, want := a.index(v), int32(a.mapping.Index(float64(v)*1e-9)); got != want {
				t.Fatalf("accuracy %v, duration %d: index %d, library %d", a.cfg.RelativeAccuracy, v, got, want)
			}
		}
	})
}

// FuzzCompositeSpec: parsing never panics, and accepted rules compile.
func FuzzCompositeSpec(f *testing.F) {
	f.Add([]byte(`{"dimensions":["attitude","speed"],"default":{"attitude":1,"speed":1},"channels":{"phone":{"speed":0.5}}}`))
	f.Add([]byte(`{"dimensions":["a"],"default":{"a":100}}`))
	f.Add([]byte(`{"dimensions":["a","a"],"default":{}}`))
	f.Add([]byte(`{"dimensions":["a"],"default":{"a":1e400}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ParseCompositeSpec(data)
		if err != nil {
			return
		}
		a, err := New(Config{Composite: c})
		if err != nil {
			t.Fatalf("accepted rules do not compile: %v", err)
		}
		acc := a.NewAccumulator()
		acc.Add(&Record{Channel: "phone", SatDims: [MaxSatDims]uint8{5, 4, 3, 2, 1, 5, 4, 3}})
		if v, ok := acc.Result().Total.Composite.Get(); ok && (v < 1 || v > 5) {
			t.Fatalf("composite %v outside 1..5", v)
		}
	})
}
