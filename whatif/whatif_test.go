package whatif

import (
	"bytes"
	"encoding/binary"
	"encoding/json"
	"errors"
	"hash/crc32"
	"math/rand/v2"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/closeloop/closeloop/compensation"
	"github.com/closeloop/closeloop/sla"
)

var genStart = time.Date(2024, 1, 1, 0, 0, 0, 0, time.UTC)

func sampleReplay(t testing.TB) *Replay {
	t.Helper()
	cfg, err := sampleConfig()
	require.NoError(t, err)
	r, err := New(cfg)
	require.NoError(t, err)
	return r
}

func TestNewValidates(t *testing.T) {
	cfg, err := sampleConfig()
	require.NoError(t, err)
	tests := []struct {
		name   string
		mutate func(*Config)
		want   string
	}{
		{"no SLA", func(c *Config) { c.Proposed.SLA = nil }, "proposed side has no SLA"},
		{"no metric", func(c *Config) { c.Current.Metric = "" }, "current side names no SLA metric"},
		{"same names", func(c *Config) { c.Proposed.Name = "current" }, "both sides are named"},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			c := cfg
			tt.mutate(&c)
			_, err := New(c)
			require.ErrorIs(t, err, ErrConfig)
			assert.Contains(t, err.Error(), tt.want)
		})
	}
	c := cfg
	c.Current.Name, c.Proposed.Name = "", ""
	r, err := New(c)
	require.NoError(t, err)
	assert.Equal(t, "current", r.Config().Current.Name)
	assert.Equal(t, "proposed", r.Config().Proposed.Name)
}

// office is 09:00 in Shanghai on 2024-03-04 (a Monday) plus h hours.
func office(h float64) time.Time {
	return time.Date(2024, 3, 4, 9, 0, 0, 0, time.FixedZone("CST", 8*3600)).Add(time.Duration(h * float64(time.Hour)))
}

func TestVerdicts(t *testing.T) {
	r := sampleReplay(t)
	open := sla.Entry{At: office(0), Kind: sla.EntryState, State: "received"}
	resolvedAt := func(h float64) sla.Entry { return sla.Entry{At: office(h), Kind: sla.EntryState, State: "resolved"} }
	tests := []struct {
		name      string
		ticket    Ticket
		group     string
		cur, prop Verdict
		curTTD    time.Duration // 0: no deadline expected
		curCost   int64
	}{
		{
			name:   "P0 met under both",
			ticket: Ticket{Attributes: sla.Attributes{Priority: "P0"}, Timeline: []sla.Entry{open, resolvedAt(2)}},
			group:  "P0", cur: Met, prop: Met, curTTD: 12 * time.Hour,
		},
		{
			name:   "P1 met under 16 business hours, breached under 8",
			ticket: Ticket{Attributes: sla.Attributes{Priority: "P1"}, Timeline: []sla.Entry{open, resolvedAt(32)}},
			group:  "P1", cur: Met, prop: Breached, curTTD: 33 * time.Hour,
		},
		{
			name:   "still running within target",
			ticket: Ticket{Attributes: sla.Attributes{Priority: "P2"}, Timeline: []sla.Entry{open, {At: office(1), Kind: sla.EntryState, State: "in_progress"}}},
			group:  "P2", cur: Open, prop: Open, curTTD: 7*24*time.Hour + 9*time.Hour,
		},
		{
			name: "P0 resolved 3 days late: voucher under the goodwill preset",
			ticket: Ticket{ID: "T9", Attributes: sla.Attributes{Priority: "P0", Tier: "vip"},
				Timeline: []sla.Entry{open, resolvedAt(12 + 80)}},
			group: "P0", cur: Breached, prop: Breached, curTTD: 12 * time.Hour, curCost: 10000, // 50.00 × vip 2
		},
		{
			name: "priority change moves the group",
			ticket: Ticket{Attributes: sla.Attributes{Priority: "P3"}, Timeline: []sla.Entry{open,
				{At: office(0), Kind: sla.EntryPriority, Priority: "P0"}, resolvedAt(1)}},
			group: "P0", cur: Met, prop: Met, curTTD: 12 * time.Hour,
		},
		{
			name:   "no priority is other, no target",
			ticket: Ticket{Attributes: sla.Attributes{Priority: ""}, Timeline: []sla.Entry{open, resolvedAt(1)}},
			group:  "other", cur: NoTarget, prop: NoTarget,
		},
		{
			name:   "timeline out of order fails",
			ticket: Ticket{Attributes: sla.Attributes{Priority: "P1"}, Timeline: []sla.Entry{resolvedAt(2), open}},
			group:  "P1", cur: Failed, prop: Failed,
		},
		{
			name:   "unknown state fails",
			ticket: Ticket{Attributes: sla.Attributes{Priority: "P1"}, Timeline: []sla.Entry{{At: office(0), Kind: sla.EntryState, State: "limbo"}}},
			group:  "P1", cur: Failed, prop: Failed,
		},
		{
			name:   "empty timeline fails",
			ticket: Ticket{Attributes: sla.Attributes{Priority: "P1"}},
			group:  "P1", cur: Failed, prop: Failed,
		},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			o := r.Evaluate(&tt.ticket)
			assert.Equal(t, tt.group, o.Priority)
			assert.Equal(t, tt.cur, o.Current.Verdict, o.Current.Error)
			assert.Equal(t, tt.prop, o.Proposed.Verdict, o.Proposed.Error)
			if tt.cur == Failed {
				assert.NotEmpty(t, o.Current.Error)
			}
			assert.Equal(t, tt.curTTD != 0, o.Current.HasDeadline)
			assert.Equal(t, tt.curTTD, o.Current.TimeToDeadline)
			assert.Equal(t, tt.curCost, o.Current.CompensationMinor)
		})
	}
}

func TestNotMeasuredAndAsOf(t *testing.T) {
	cfg, err := sampleConfig()
	require.NoError(t, err)
	cfg.Proposed.Metric = "second_visit" // a metric the sample policies lack
	cfg.AsOf = office(24 * 30)
	r, err := New(cfg)
	require.NoError(t, err)
	tk := Ticket{Attributes: sla.Attributes{Priority: "P2"}, Timeline: []sla.Entry{{At: office(0), Kind: sla.EntryState, State: "received"}}}
	o := r.Evaluate(&tk)
	assert.Equal(t, Breached, o.Current.Verdict, "still running 30 days later, past its 5 working days")
	assert.Equal(t, NotMeasured, o.Proposed.Verdict)

	late := tk
	late.Timeline = append([]sla.Entry(nil), tk.Timeline...)
	late.Timeline = append(late.Timeline, sla.Entry{At: office(24 * 40), Kind: sla.EntryState, State: "resolved"})
	o = r.Evaluate(&late)
	assert.Equal(t, Failed, o.Current.Verdict, "entry after the as-of instant")
}

// creditPolicy pays a credit on an amount and on the resolution overrun.
const creditPolicy = `{
  "name": "credit", "currency": "EUR", "rounding": "half_up", "combine": "max",
  "schedules": [
    {"name": "loss", "measure": {"kind": "amount", "input": "loss"},
     "when": [{"amount": "loss", "op": ">", "value": "0"}],
     "bands": [{"name": "any", "range": "[0, inf)", "options": [
       {"id": "credit", "kind": "credit", "formula": "percent", "percent": "10", "base": "loss"}]}]},
    {"name": "overrun", "measure": {"kind": "duration", "input": "resolution_overrun"},
     "bands": [
       {"name": "none", "range": "[0s, 1h)", "options": []},
       {"name": "late", "range": "[1h, inf)", "options": [
         {"id": "credit", "kind": "credit", "formula": "fixed", "amount": "5.00"},
         {"id": "points", "kind": "points", "points": 100}]}]}
  ]
}`

func TestPricingUsesClaimInputs(t *testing.T) {
	cfg, err := sampleConfig()
	require.NoError(t, err)
	credit, err := compensation.ParsePolicy([]byte(creditPolicy))
	require.NoError(t, err)
	cfg.Proposed.Compensation = credit
	r, err := New(cfg)
	require.NoError(t, err)
	base := Ticket{Attributes: sla.Attributes{Priority: "P0"}, Timeline: []sla.Entry{
		{At: office(0), Kind: sla.EntryState, State: "received"},
		{At: office(20), Kind: sla.EntryState, State: "resolved"}}}

	tk := base
	o := r.Evaluate(&tk)
	assert.Equal(t, Breached, o.Proposed.Verdict)
	assert.Equal(t, 8*time.Hour, o.Proposed.Overrun)
	assert.Equal(t, int64(500), o.Proposed.CompensationMinor, "fixed 5.00 for the overrun")

	tk.Claim.Amounts = map[string]string{"loss": "123.45"}
	o = r.Evaluate(&tk)
	assert.Equal(t, int64(1235), o.Proposed.CompensationMinor, "max(12.35 credit on the loss, 5.00 for the overrun)")
	tk.Claim.Amounts = map[string]string{"loss": "1000"}
	o = r.Evaluate(&tk)
	assert.Equal(t, int64(10000), o.Proposed.CompensationMinor)

	tk.Claim.Amounts = map[string]string{"loss": "ten"}
	o = r.Evaluate(&tk)
	assert.Equal(t, Failed, o.Proposed.Verdict)
	assert.Contains(t, o.Proposed.Error, "loss")
	tk.Claim.Amounts = nil
	tk.Claim.Numbers = map[string]string{"km": "x"}
	o = r.Evaluate(&tk)
	assert.Equal(t, Failed, o.Proposed.Verdict)

	acc := r.NewAccumulator()
	acc.Add(&base)
	res := acc.Result()
	assert.Equal(t, "CNY", res.Total.Current.Currency)
	assert.Equal(t, "EUR", res.Total.Proposed.Currency)
	assert.False(t, res.Total.CompensationOK, "different currencies do not subtract")
}

func TestNDJSONRoundTrip(t *testing.T) {
	r := sampleReplay(t)
	var buf bytes.Buffer
	require.NoError(t, writeNDJSON(&buf, 3, genStart, 500))
	direct := r.NewAccumulator()
	for _, tk := range generate(3, genStart, 500) {
		direct.Add(&tk)
	}
	viaFile := r.NewAccumulator()
	n := 0
	require.NoError(t, ReadNDJSON(bytes.NewReader(buf.Bytes()), func(tk *Ticket) error {
		n++
		viaFile.Add(tk)
		return nil
	}))
	assert.Equal(t, 500, n)
	assert.Equal(t, direct.Result(), viaFile.Result())

	// A claim survives the round trip.
	tk := Ticket{ID: "X", Claim: ClaimInputs{Durations: map[string]Duration{"downtime": Duration(90 * time.Minute)}, Flags: map[string]bool{"vip": true}}}
	b, err := AppendNDJSON(nil, &tk)
	require.NoError(t, err)
	assert.Contains(t, string(b), `"downtime":"1h30m0s"`)
	var back Ticket
	require.NoError(t, DecodeTicket(b, &back))
	assert.Equal(t, tk.Claim, back.Claim)
}

func TestDecodeTicketStrict(t *testing.T) {
	tests := []struct{ name, in string }{
		{"unknown field", `{"id":"T1","atributes":{}}`},
		{"trailing data", `{"id":"T1"} {"id":"T2"}`},
		{"trailing garbage", `{"id":"T1"} x`},
		{"bad kind", `{"id":"T1","timeline":[{"at":"2024-01-01T00:00:00Z","kind":"teleport"}]}`},
		{"bad duration", `{"id":"T1","claim":{"durations":{"d":"soon"}}}`},
		{"not an object", `[1]`},
	}
	for _, tt := range tests {
		t.Run(tt.name, func(t *testing.T) {
			var tk Ticket
			assert.ErrorIs(t, DecodeTicket([]byte(tt.in), &tk), ErrTicket)
		})
	}
	err := ReadNDJSON(strings.NewReader("{\"id\":\"a\"}\n\n{\"id\":1}\n"), func(*Ticket) error { return nil })
	require.ErrorIs(t, err, ErrTicket)
	assert.Contains(t, err.Error(), "line 3")
	stop := errors.New("stop")
	err = ReadNDJSON(strings.NewReader("{\"id\":\"a\"}\n"), func(*Ticket) error { return stop })
	assert.ErrorIs(t, err, stop)
}

// TestMergeExact: any split of the tickets, merged in any order, through the
// codec or not, gives the Result of one pass.
func TestMergeExact(t *testing.T) {
	r := sampleReplay(t)
	tickets := generate(11, genStart, 3000)
	whole := r.NewAccumulator()
	for i := range tickets {
		whole.Add(&tickets[i])
	}
	want := whole.Result()
	rng := rand.New(rand.NewPCG(1, 2))
	for trial := range 5 {
		shards := make([]*Accumulator, 1+rng.IntN(7))
		for i := range shards {
			shards[i] = r.NewAccumulator()
		}
		for i := range tickets {
			shards[rng.IntN(len(shards))].Add(&tickets[i])
		}
		rng.Shuffle(len(shards), func(i, j int) { shards[i], shards[j] = shards[j], shards[i] })
		total := r.NewAccumulator()
		for _, s := range shards {
			if trial%2 == 1 {
				b, err := s.MarshalBinary()
				require.NoError(t, err)
				s, err = r.Decode(b)
				require.NoError(t, err)
			}
			require.NoError(t, total.Merge(s))
		}
		require.Equal(t, want, total.Result(), "trial %d", trial)
	}

	// AddOutcome after Evaluate is Add.
	split := r.NewAccumulator()
	for i := range tickets {
		o := r.Evaluate(&tickets[i])
		split.AddOutcome(&o)
	}
	assert.Equal(t, want, split.Result())

	// The result's JSON carries the figures.
	var buf bytes.Buffer
	require.NoError(t, WriteJSON(&buf, want))
	var back map[string]any
	require.NoError(t, json.Unmarshal(buf.Bytes(), &back))
	assert.Len(t, back["priorities"], 4)
}

func TestCodecErrors(t *testing.T) {
	r := sampleReplay(t)
	acc := r.NewAccumulator()
	for _, tk := range generate(5, genStart, 200) {
		acc.Add(&tk)
	}
	good, err := acc.MarshalBinary()
	require.NoError(t, err)

	flip := append([]byte(nil), good...)
	flip[len(flip)/2] ^= 1
	_, err = r.Decode(flip)
	assert.ErrorIs(t, err, ErrCorrupt)
	_, err = r.Decode(good[:len(good)-1])
	assert.ErrorIs(t, err, ErrCorrupt)
	_, err = r.Decode(nil)
	assert.ErrorIs(t, err, ErrCorrupt)

	reseal := func(b []byte) []byte {
		body := b[:len(b)-4]
		return appendCRC(append([]byte(nil), body...))
	}
	v2 := append([]byte(nil), good...)
	v2[4] = 2
	_, err = r.Decode(reseal(v2))
	assert.ErrorIs(t, err, ErrVersion)

	// Inconsistent counts with a valid checksum: tickets ≠ sum of verdicts.
	bad := append([]byte(nil), good...)
	bad[9]++ // the first group's ticket count (a one-byte varint here)
	_, err = r.Decode(reseal(bad))
	assert.ErrorIs(t, err, ErrCorrupt)

	cfg := r.Config()
	cfg.Proposed.Metric = "first_response"
	other, err := New(cfg)
	require.NoError(t, err)
	_, err = other.Decode(good)
	assert.ErrorIs(t, err, ErrMismatch)
	assert.ErrorIs(t, other.NewAccumulator().Merge(acc), ErrMismatch)

	into := r.NewAccumulator()
	require.NoError(t, into.UnmarshalBinary(good))
	assert.Equal(t, acc.Result(), into.Result())
	require.Error(t, into.UnmarshalBinary(flip))
	assert.Equal(t, acc.Result(), into.Result(), "unchanged on error")
	assert.Same(t, r, into.Replay())
}

func TestMeanDuration(t *testing.T) {
	var c counts
	for _, d := range []int64{1<<62 + 1, 1<<62 + 1, 1<<62 + 1, 1<<62 + 1} {
		c.addDeadline(d)
	}
	assert.Equal(t, time.Duration(1<<62+1), meanDuration(c.deadlineHi, c.deadlineLo, 4), "sum beyond 64 bits")
	var n counts
	for _, d := range []int64{-3, -4} {
		n.addDeadline(d)
	}
	assert.Equal(t, time.Duration(-4), meanDuration(n.deadlineHi, n.deadlineLo, 2), "-3.5 rounds away from zero")
	assert.Equal(t, time.Duration(0), meanDuration(0, 0, 0))
	assert.Equal(t, time.Duration(1<<63-1), meanDuration(1, 0, 1), "saturates")
	assert.Equal(t, time.Duration(-1<<63), meanDuration(-2, 0, 1), "saturates")
}

func TestVerdictString(t *testing.T) {
	assert.Equal(t, "breached", Breached.String())
	assert.Equal(t, "not_measured", NotMeasured.String())
	assert.Equal(t, "verdict(9)", Verdict(9).String())
}

func appendCRC(body []byte) []byte {
	return binary.LittleEndian.AppendUint32(body, crc32.Checksum(body, castagnoli))
}
