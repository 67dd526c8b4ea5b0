package feedback

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/closeloop/closeloop/internal/rulesjson"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestSnapshotRoundTrip(t *testing.T) {
	r := testRules(t)
	tk, err := reopenLoop(r, "F20240301001")
	require.NoError(t, err)
	data, err := MarshalSnapshot(tk)
	require.NoError(t, err)
	back, err := ParseSnapshot(data)
	require.NoError(t, err)
	assert.Equal(t, tk, back)
	again, err := MarshalSnapshot(back)
	require.NoError(t, err)
	assert.Equal(t, string(data), string(again))
	restored, err := r.Restore(data)
	require.NoError(t, err)
	assert.Equal(t, tk, restored)
}

func TestSnapshotErrors(t *testing.T) {
	r := testRules(t)
	tk, err := runLoop(r, "F1")
	require.NoError(t, err)
	good, err := MarshalSnapshot(tk)
	require.NoError(t, err)
	cases := []struct {
		name, data string
		is         error
	}{
		{"unknown field", `{"id":"F1","colour":1}`, rulesjson.ErrUnknownField},
		{"wrong type", `{"id":"F1","version":"one"}`, rulesjson.ErrType},
		{"syntax", `{"id":`, rulesjson.ErrSyntax},
		{"trailing", `{"id":"F1","version":0,"history":[]} {}`, rulesjson.ErrTrailingData},
		{"no id", `{"version":0,"history":[]}`, ErrInvalidTicket},
		{"version mismatch", `{"id":"F1","version":3,"history":[]}`, ErrInvalidTicket},
		{"edited state", strings.Replace(string(good), `"state":"closed"`, `"state":"in_progress"`, 1), ErrInvalidTicket},
		{"edited priority", strings.Replace(string(good), `"priority":"P1"`, `"priority":"P0"`, 1), ErrInvalidTicket},
		{"truncated history", strings.Replace(string(good), `"version":13`, `"version":12`, 1), ErrInvalidTicket},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := r.Restore([]byte(tc.data))
			require.Error(t, err)
			assert.True(t, errors.Is(err, tc.is), "%v", err)
		})
	}
}

// TestSnapshotEmptyCollections: empty (not nil) maps and slices in a change
// do not make a snapshot differ from the ticket.
func TestSnapshotEmptyCollections(t *testing.T) {
	r, err := PresetRules()
	require.NoError(t, err)
	tk, _, err := r.Open(Opening{ID: "F1", At: tkT0, Actor: "a", Attributes: map[string]string{}})
	require.NoError(t, err)
	_, err = r.Fire(tk, Change{Trigger: TriggerTriage, Version: 1, At: tkT0, Actor: "a",
		Payload: Payload{PriorityInput: &PriorityInput{Urgency: 2, Flags: []string{}}, PriorityReasons: []string{}}})
	require.NoError(t, err)
	_, err = r.Fire(tk, Change{Trigger: TriggerChooseCompensation, Version: 2, At: tkT0, Actor: "a",
		Payload: Payload{Compensation: &CompensationChoice{Option: "x", Explanation: []string{}, Alternatives: []string{}}}})
	require.NoError(t, err)
	data, err := MarshalSnapshot(tk)
	require.NoError(t, err)
	back, err := r.Restore(data)
	require.NoError(t, err)
	assert.Equal(t, tk, back)
}

func TestInstantsStoredInUTC(t *testing.T) {
	r := testRules(t)
	sh, _ := time.LoadLocation("Asia/Shanghai")
	at := time.Now().In(sh) // a monotonic reading and a zone: both must go
	tk, _, err := r.Open(Opening{ID: "F1", At: at, Actor: "a"})
	require.NoError(t, err)
	_, err = r.Fire(tk, Change{Trigger: TriggerNote, Version: 1, At: at, Actor: "a",
		Payload: Payload{Note: "n", Deadline: at.Add(time.Hour), Delay: &TicketDelay{NewDeadline: at}}})
	require.NoError(t, err)
	data, err := MarshalSnapshot(tk)
	require.NoError(t, err)
	back, err := r.Restore(data)
	require.NoError(t, err)
	assert.Equal(t, tk, back)
	assert.Equal(t, time.UTC, tk.History[1].Payload.Deadline.Location())
}

// TestReplayRefusesForgedHistories: edits of a history that would break the
// closed loop are refused even when the snapshot's fields agree with them.
func TestReplayRefusesForgedHistories(t *testing.T) {
	r := testRules(t)
	tk, err := runLoop(r, "F1")
	require.NoError(t, err)
	record := len(tk.History) - 2 // record_follow_up, then close
	require.Equal(t, TriggerRecordFollowUp, tk.History[record].Trigger)

	forged := tk.Clone()
	forged.History[record].Payload.FollowUp.Resolved = false
	_, err = r.Replay(forged.History)
	require.ErrorIs(t, err, ErrInvalidTicket)

	forged = tk.Clone()
	forged.History[record].Payload.FollowUp.Satisfied = false
	_, err = r.Replay(forged.History)
	var fe *FieldError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "history[12]", fe.Field)
	assert.Contains(t, err.Error(), "closed without a satisfied follow-up")

	forged = tk.Clone()
	forged.History[3].From = StateReceived
	_, err = r.Replay(forged.History)
	require.ErrorIs(t, err, ErrInvalidTicket)

	forged = tk.Clone()
	forged.History[5].At = tkT0.Add(-time.Hour)
	_, err = r.Replay(forged.History)
	require.ErrorIs(t, err, ErrInvalidTicket)

	// An event whose trigger needs a payload apply reads, without it.
	forged = tk.Clone()
	forged.History[record].Payload.FollowUp = nil
	_, err = r.Replay(forged.History)
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "history[11]", fe.Field)
	assert.Contains(t, err.Error(), "record_follow_up event without an outcome")
	require.Equal(t, StateInProgress, tk.History[4].From)
	require.Equal(t, StateInProgress, tk.History[4].To)
	for trig, want := range map[Trigger]string{
		TriggerRequestDelay: "request_delay event without a delay request",
		TriggerApproveDelay: "approve_delay event without a delay request",
		TriggerRequestTask:  "request_task event without a task",
		TriggerCompleteTask: "complete_task event without a task",
	} {
		forged = tk.Clone()
		forged.History[4].Trigger, forged.History[4].Payload = trig, Payload{}
		_, err = r.Replay(forged.History)
		require.ErrorAs(t, err, &fe, trig)
		assert.Equal(t, "history[4]", fe.Field)
		assert.Contains(t, err.Error(), want)
	}

	_, err = r.Replay(nil)
	require.ErrorIs(t, err, ErrInvalidTicket)
}
