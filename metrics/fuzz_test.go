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
	f.Fuzz(func(t *testing.T, data []byte) {
		in := data
		if len(data) > 0 && data[0]&1 == 1 {
			in = appendHeader(nil, kindKPI, a.fingerprint)
			in = append(in, data[1:]...)
			in = appendTrailer(in, 0)
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
