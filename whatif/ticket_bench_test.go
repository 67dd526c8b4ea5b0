package whatif

import (
	"bytes"
	"strings"
	"testing"
)

// line720 is a generated ticket line of exactly 720 bytes (the mean of a
// generated sample): the customer's name is padded to the length.
func line720(b *testing.B) []byte {
	var buf bytes.Buffer
	if err := writeNDJSON(&buf, 1, genStart, 64); err != nil {
		b.Fatal(err)
	}
	for _, l := range bytes.Split(bytes.TrimSpace(buf.Bytes()), []byte("\n")) {
		if pad := 720 - len(l); pad >= 0 && pad < 64 && bytes.Contains(l, []byte(`"customer":"`)) {
			out := bytes.Replace(l, []byte(`"customer":"`), []byte(`"customer":"`+strings.Repeat("C", pad)), 1)
			if len(out) != 720 {
				b.Fatalf("line of %d bytes", len(out))
			}
			return out
		}
	}
	b.Fatal("no line to pad to 720 bytes")
	return nil
}

// BenchmarkDecodeTicket720 decodes one 720-byte ticket line with
// DecodeTicket (op=decode) and, as its baseline, with the encoding/json
// decoder it replaced (op=decode/encoding_json).
func BenchmarkDecodeTicket720(b *testing.B) {
	line := line720(b)
	var tk Ticket
	if err := DecodeTicket(line, &tk); err != nil {
		b.Fatal(err)
	}
	b.Run("op=decode", func(b *testing.B) {
		b.SetBytes(int64(len(line)))
		b.ReportAllocs()
		for b.Loop() {
			if err := DecodeTicket(line, &tk); err != nil {
				b.Fatal(err)
			}
		}
	})
	b.Run("op=decode/encoding_json", func(b *testing.B) {
		b.SetBytes(int64(len(line)))
		b.ReportAllocs()
		for b.Loop() {
			if err := decodeTicketEncodingJSON(line, &tk); err != nil {
				b.Fatal(err)
			}
		}
	})
}
