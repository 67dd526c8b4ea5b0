package whatif

import (
	"bytes"
	"testing"
)

// BenchmarkReplayAdd evaluates one ticket under both sample sides (two SLA
// evaluations and two compensation pricings with Policy.MaxAmount, which
// builds no offer and no explanation) and counts it.
func BenchmarkReplayAdd(b *testing.B) {
	r := sampleReplay(b)
	tickets := generate(1, genStart, 4096)
	acc := r.NewAccumulator()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		acc.Add(&tickets[i%len(tickets)])
	}
}

// BenchmarkReplayAddSLAOnly is BenchmarkReplayAdd without compensation: the
// SLA evaluation and the counting alone.
func BenchmarkReplayAddSLAOnly(b *testing.B) {
	cfg, err := sampleConfig()
	if err != nil {
		b.Fatal(err)
	}
	cfg.Current.Compensation, cfg.Proposed.Compensation = nil, nil
	r, err := New(cfg)
	if err != nil {
		b.Fatal(err)
	}
	tickets := generate(1, genStart, 4096)
	acc := r.NewAccumulator()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		acc.Add(&tickets[i%len(tickets)])
	}
}

// BenchmarkDecodeTicket decodes one NDJSON line.
func BenchmarkDecodeTicket(b *testing.B) {
	var buf bytes.Buffer
	if err := writeNDJSON(&buf, 1, genStart, 256); err != nil {
		b.Fatal(err)
	}
	lines := bytes.Split(bytes.TrimSpace(buf.Bytes()), []byte("\n"))
	var tk Ticket
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		if err := DecodeTicket(lines[i%len(lines)], &tk); err != nil {
			b.Fatal(err)
		}
	}
}

// BenchmarkMergeCodec is one combine step between workers: encode, decode, merge.
func BenchmarkMergeCodec(b *testing.B) {
	r := sampleReplay(b)
	acc := r.NewAccumulator()
	for _, tk := range generate(1, genStart, 1000) {
		acc.Add(&tk)
	}
	total := r.NewAccumulator()
	b.ReportAllocs()
	b.ResetTimer()
	for i := 0; i < b.N; i++ {
		enc, err := acc.MarshalBinary()
		if err != nil {
			b.Fatal(err)
		}
		d, err := r.Decode(enc)
		if err != nil {
			b.Fatal(err)
		}
		if err := total.Merge(d); err != nil {
			b.Fatal(err)
		}
	}
}
