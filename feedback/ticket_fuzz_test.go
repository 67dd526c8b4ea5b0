package feedback

import (
	"bytes"
	"encoding/json"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// fuzzPayloads are the payload variants a fuzzed change can carry: valid ones
// for each trigger and a few that break guards.
var fuzzPayloads = []Payload{
	{},
	{Priority: "P1", Deadline: tkT0.Add(72 * time.Hour)},
	{Priority: "P9"},
	{Team: "tech"},
	{Node: "under_repair"},
	{Node: "completed"},
	{Node: "nowhere"},
	{Reason: "why not"},
	{Note: "done"},
	{FollowUp: &FollowUp{Resolved: true, Score: 5}},
	{FollowUp: &FollowUp{Resolved: true, Score: 2}},
	{FollowUp: &FollowUp{Resolved: false, Score: 4}},
	{FollowUp: &FollowUp{Resolved: true, Score: 9}},
	{MergeInto: "F2"},
	{Rejection: RejectSpam, Reason: "ad"},
	{Delay: &TicketDelay{Reason: "parts", Plan: "Tuesday", NewDeadline: tkT0.Add(200 * time.Hour)}},
	{Compensation: &CompensationChoice{Option: "voucher", Amount: "20.00", Currency: "CNY"}},
	{PriorityInput: &PriorityInput{Affected: 500, Urgency: 3, Severity: 2}},
	{PriorityInput: &PriorityInput{Urgency: 99}},
	{Note: "called the customer"},
}

// FuzzLifecycle fires random changes at a ticket and checks the invariants
// after every one: a refused change changes nothing; an accepted one adds
// exactly one event and raises the version by one; a closed ticket was
// followed up with a satisfied customer; replaying the history rebuilds the
// ticket; the snapshot round-trips.
func FuzzLifecycle(f *testing.F) {
	f.Add([]byte{})
	f.Add([]byte{0, 1, 1, 1, 3, 1, 2, 0, 1, 3, 4, 1, 8, 8, 1, 9, 0, 1, 10, 9, 1, 12, 0, 1})
	f.Add([]byte{0, 1, 1, 1, 3, 1, 2, 0, 1, 8, 8, 1, 9, 0, 1, 10, 10, 1, 0, 1, 1, 12, 0, 1})
	f.Add([]byte{0, 1, 1, 1, 3, 1, 2, 0, 1, 16, 15, 1, 17, 0, 1, 14, 13, 1})
	f.Add([]byte{13, 14, 0, 0, 2, 1, 200, 1, 1, 0, 1, 0})
	plain := testRules(f)
	preset, err := PresetRules() // priority scoring, routing, calendars, SLA policies
	require.NoError(f, err)
	f.Fuzz(func(t *testing.T, data []byte) {
		r := plain
		if len(data)%2 == 1 {
			r = preset
		}
		triggers := r.Lifecycle().Triggers()
		tk, _, err := r.Open(Opening{ID: "F1", At: tkT0, Actor: "a", Attributes: map[string]string{"kind": "complaint"}})
		require.NoError(t, err)
		at := tkT0
		for len(data) >= 3 {
			b0, b1, b2 := data[0], data[1], data[2]
			data = data[3:]
			trig := Trigger("bogus")
			if int(b0) < len(triggers) {
				trig = triggers[b0]
			}
			at = at.Add(time.Duration(int(b2)-2) * time.Hour)
			ch := Change{Trigger: trig, Version: tk.Version, At: at, Actor: "a", Payload: fuzzPayloads[int(b1&0x7f)%len(fuzzPayloads)]}
			if b1&0x80 != 0 {
				ch.Version--
			}
			before := tk.Clone()
			out, err := r.Fire(tk, ch)
			if err != nil {
				require.Equal(t, before, tk, "refused %s changed the ticket: %v", trig, err)
				continue
			}
			require.Equal(t, before.Version+1, tk.Version)
			require.Len(t, tk.History, int(tk.Version))
			require.Equal(t, out.Event, tk.History[len(tk.History)-1])
			require.Equal(t, before.History, tk.History[:len(before.History)], "history is append-only")
			if tk.State == StateClosed {
				require.NotNil(t, tk.FollowUp, "closed without a follow-up")
				require.True(t, tk.FollowUp.Satisfied, "closed with an unsatisfied follow-up")
			}
		}
		replayed, err := r.Replay(tk.History)
		require.NoError(t, err)
		require.Equal(t, tk, replayed)
		snap, err := MarshalSnapshot(tk)
		require.NoError(t, err)
		restored, err := r.Restore(snap)
		require.NoError(t, err)
		require.Equal(t, tk, restored)
	})
}

// FuzzTicketJSON decodes arbitrary bytes as a snapshot: no panic, and
// whatever decodes re-encodes to bytes that decode to the same ticket.
func FuzzTicketJSON(f *testing.F) {
	r := testRules(f)
	tk, err := runLoop(r, "F20240301001")
	require.NoError(f, err)
	good, err := MarshalSnapshot(tk)
	require.NoError(f, err)
	f.Add(good)
	f.Add([]byte(`{"id":"F1","version":0,"state":"received","opened":"2024-03-01T09:00:00+08:00","updated":"0001-01-01T00:00:00Z","history":[]}`))
	f.Add([]byte(`{"id":"F1","version":1,"history":[{"seq":1,"version":1,"trigger":"open","payload":{"opening":{"id":"F1"}}}]}`))
	f.Add([]byte(`{"id":"F1","history":null,"attributes":{},"priority_reasons":[]}`))
	f.Add([]byte(`{"id":"F1","unknown":1}`))
	f.Add([]byte(`[]`))
	f.Fuzz(func(t *testing.T, data []byte) {
		tk, err := ParseSnapshot(data)
		_, _ = r.Restore(data)
		if err != nil {
			return
		}
		once, err := MarshalSnapshot(tk)
		if err != nil {
			return // e.g. a year json cannot write; nothing to round-trip
		}
		tk2, err := ParseSnapshot(once)
		require.NoError(t, err, "%s", once)
		twice, err := MarshalSnapshot(tk2)
		require.NoError(t, err)
		require.True(t, bytes.Equal(once, twice), "%s\n%s", once, twice)
		require.True(t, json.Valid(once))
	})
}
