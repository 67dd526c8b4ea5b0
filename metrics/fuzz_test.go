package metrics

import (
	"encoding/binary"
	"hash/crc32"
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
		b, err := accumulate(a, Generate(uint64(n), benchStart, n)).MarshalBinary()
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
		for _, r := range Generate(uint64(i), benchStart, 20*i) {
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
		if c := ct.Empty(); c.UnmarshalBinary(in) == nil {
			b, _ := c.MarshalBinary()
			c2 := ct.Empty()
			if err := c2.UnmarshalBinary(b); err != nil {
				t.Fatalf("cross-tab re-encoding rejected: %v", err)
			}
			_ = c2.Result().Flat()
		}
		if h := NewHourOfWeek(nil); h.UnmarshalBinary(in) == nil {
			_ = h.Result().HourlyShare()
		}
		acc, err := a.Decode(in)
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
		acc2, err := a.Decode(again)
		if err != nil {
			t.Fatalf("re-encoding rejected: %v", err)
		}
		if r2 := resultJSON(t, acc2); r2 != res {
			t.Fatalf("round trip changed figures:\n%s\n%s", res, r2)
		}
		// Merging into itself must not panic either.
		if err := acc2.Merge(acc); err != nil {
			t.Fatal(err)
		}
	})
}

// FuzzCompositeRules: parsing never panics, and accepted rules compile.
func FuzzCompositeRules(f *testing.F) {
	f.Add([]byte(`{"dimensions":["attitude","speed"],"default":{"attitude":1,"speed":1},"channels":{"phone":{"speed":0.5}}}`))
	f.Add([]byte(`{"dimensions":["a"],"default":{"a":100}}`))
	f.Add([]byte(`{"dimensions":["a","a"],"default":{}}`))
	f.Add([]byte(`{"dimensions":["a"],"default":{"a":1e400}}`))
	f.Fuzz(func(t *testing.T, data []byte) {
		c, err := ParseCompositeRules(data)
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
