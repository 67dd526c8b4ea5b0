package whatif

import (
	"testing"
	"time"
)

// FuzzDecode: decoding arbitrary bytes never panics, and whatever decodes
// re-encodes to the same bytes.
func FuzzDecode(f *testing.F) {
	r := sampleReplay(f)
	acc := r.NewAccumulator()
	for _, tk := range generate(1, genStart, 50) {
		acc.Add(&tk)
	}
	good, _ := acc.MarshalBinary()
	empty, _ := r.NewAccumulator().MarshalBinary()
	f.Add(good)
	f.Add(empty)
	f.Add([]byte("CLWI"))
	f.Fuzz(func(t *testing.T, b []byte) {
		d, err := r.Decode(b)
		if err != nil {
			return
		}
		again, err := d.MarshalBinary()
		if err != nil {
			t.Fatal(err)
		}
		if string(again) != string(b) {
			// Varints have one canonical form; a non-canonical input that
			// passes the checksum is still the same state.
			d2, err := r.Decode(again)
			if err != nil || d2.g != d.g {
				t.Fatalf("round trip changed the state")
			}
		}
		_ = d.Result()
	})
}

// FuzzDecodeTicket: decoding arbitrary lines never panics, and a decoded
// ticket evaluates without panicking.
func FuzzDecodeTicket(f *testing.F) {
	r := sampleReplay(f)
	for _, tk := range generate(2, genStart, 3) {
		b, _ := AppendNDJSON(nil, &tk)
		f.Add(b)
	}
	f.Add([]byte(`{"id":"T1","attributes":{"priority":"P1"},"timeline":[{"at":"2024-03-04T09:00:00+08:00","kind":"state","state":"received"}],"claim":{"durations":{"d":"1h"},"amounts":{"loss":"12.5"},"numbers":{"km":"3"},"flags":{"x":true}}}`))
	f.Add([]byte(`{}`))
	f.Fuzz(func(t *testing.T, b []byte) {
		var tk Ticket
		if DecodeTicket(b, &tk) != nil {
			return
		}
		o := r.Evaluate(&tk)
		_ = o
		_ = time.Duration(0)
	})
}
