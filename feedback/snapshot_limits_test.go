package feedback

import (
	"strconv"
	"strings"
	"testing"
	"unsafe"

	"github.com/stretchr/testify/assert"

	"github.com/closeloop/closeloop/internal/memtest"
)

// snapshotOf builds a snapshot whose history repeats one event n times
// (seq and version filled in), with ticket members before the history.
func snapshotOf(version int, ticket, payload string, n int) string {
	var b strings.Builder
	b.WriteString(`{"id":"F1","version":` + strconv.Itoa(version) + `,"state":"s","opened":"0001-01-01T00:00:00Z","updated":"0001-01-01T00:00:00Z"` + ticket + `,"history":[`)
	for i := 1; i <= n; i++ {
		if i > 1 {
			b.WriteByte(',')
		}
		s := strconv.Itoa(i)
		b.WriteString(`{"seq":` + s + `,"version":` + s + `,"at":"0001-01-01T00:00:00Z","actor":"","trigger":"","from":"","to":"","payload":{` + payload + `}}`)
	}
	b.WriteString(`]}`)
	return b.String()
}

// TestParseSnapshotMemory feeds ParseSnapshot the inputs that cost it the
// most memory per byte (the smallest JSON for the largest Go values, lists
// and versions that pretend to be longer than they are, escapes, nesting)
// and asserts a ceiling of fixed + perByte bytes per input byte. The
// snapshot text itself is copied once (1 per byte); a minimal event is
// about 110 bytes for a 368-byte Event; a map costs Go about 70 bytes a
// member, and a member can be written in 7.
func TestParseSnapshotMemory(t *testing.T) {
	every := `"priority_input":{},"sla_policy":{"policy":"","version":0,"fingerprint":""},` +
		`"follow_up":{"resolved":false,"score":0,"satisfied":false},"delay":{"reason":"","plan":"","new_deadline":"0001-01-01T00:00:00Z"},` +
		`"compensation":{"option":""},"opening":{"id":"","at":"0001-01-01T00:00:00Z","actor":""},"task":{"name":""}`
	reasons := `"priority_reasons":[` + strings.Repeat(`"",`, MaxSnapshotList-1) + `""]`
	var attrs strings.Builder
	for i := range MaxSnapshotList {
		if i > 0 {
			attrs.WriteByte(',')
		}
		attrs.WriteString(`"` + strconv.Itoa(i) + `":""`)
	}
	delay := `{"reason":"","plan":"","new_deadline":"0001-01-01T00:00:00Z"}`
	delays := `,"delays":[` + strings.Repeat(delay+`,`, MaxSnapshotList-1) + delay + `]`
	commas := `,"tasks":[` + strings.Repeat(`,`, 1<<20) + `]`
	// An Event per minimal event's bytes, and the snapshot itself.
	perEvent := float64(unsafe.Sizeof(Event{}))/float64(eventMembers.minLen) + 1.5
	cases := []struct {
		name    string
		in      string
		perByte float64
	}{
		{"minimal events, version announced", snapshotOf(MaxSnapshotEvents, "", "", MaxSnapshotEvents), perEvent},
		{"minimal events, version zero", snapshotOf(0, "", "", MaxSnapshotEvents), perEvent},
		{"version announced, one event", snapshotOf(MaxSnapshotEvents, "", "", 1), perEvent},
		{"every pointer in every payload", snapshotOf(2000, "", every, 2000), 4},
		{"empty reasons", snapshotOf(300, "", reasons, 300), 7},
		{"one-character attributes", snapshotOf(300, "", `"opening":{"id":"","at":"0001-01-01T00:00:00Z","actor":"","attributes":{`+attrs.String()+`}}`, 300), 11},
		{"minimal delays", snapshotOf(0, delays, "", 0), 3.5},
		{"a million commas", snapshotOf(0, commas, "", 0), 1.2},
		{"escaped strings", snapshotOf(100, "", `"note":"`+strings.Repeat(`\u00e9\ud83d\ude00\n`, 2000)+`"`, 100), 3},
		{"deep nesting", snapshotOf(1, `,"node":`+strings.Repeat("[", 1<<20), "", 1), 1.1},
		{"long strings", snapshotOf(100, "", `"note":"`+strings.Repeat("x", MaxSnapshotString)+`"`, 100), 1.1},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			data := []byte(tc.in)
			n := memtest.Allocated(func() { _, _ = ParseSnapshot(data) })
			t.Logf("%d bytes in, %d bytes allocated: %.2f per byte", len(data), n, float64(n)/float64(len(data)))
			assert.LessOrEqual(t, float64(n), snapshotRaceSlack*(16<<10+tc.perByte*float64(len(data))))
		})
	}
}
