package feedback

import (
	"encoding/json"
	"flag"
	"os"
	"path/filepath"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// updateSnapshotGolden rewrites testdata/snapshot/*.json with encoding/json's
// bytes, the definition of the snapshot format MarshalSnapshot keeps.
var updateSnapshotGolden = flag.Bool("update-snapshot-golden", false, "rewrite the golden snapshots with encoding/json")

// goldenTickets are tickets built by Open and Fire that between them use
// every member of the snapshot format, with text that needs every kind of
// escape and instants with and without nanoseconds.
func goldenTickets(t testing.TB) map[string]*Ticket {
	t.Helper()
	out := map[string]*Ticket{}
	plain := testRules(t)
	tk, err := reopenLoop(plain, "F20240301001")
	require.NoError(t, err)
	out["reopen_loop"] = tk

	preset, err := PresetRules()
	require.NoError(t, err)
	tk, _, err = preset.Open(Opening{ID: "F20240301002", At: tkT0.Add(123456789 * time.Nanosecond), Actor: "wechat-bot",
		Customer: "C<0042>&co", Channel: "wechat", Category: "product_fault",
		Attributes: map[string]string{"kind": "complaint", "tier": "vip", "z\u2028line": "a\u2029b", "a<b>": "x&y"}})
	require.NoError(t, err)
	at := tk.Updated
	fire := func(trig Trigger, p Payload) {
		t.Helper()
		at = at.Add(3*time.Minute + 1500*time.Microsecond)
		_, err := preset.Fire(tk, Change{Trigger: trig, Version: tk.Version, At: at, Actor: "agent-7", Payload: p})
		require.NoError(t, err, "%s", trig)
	}
	fire(TriggerTriage, Payload{PriorityInput: &PriorityInput{Affected: 500, Urgency: 3, Severity: 2, Flags: []string{"repeated_fault"}}})
	fire(TriggerAssign, Payload{})
	fire(TriggerStart, Payload{})
	fire(TriggerRequestDelay, Payload{Delay: &TicketDelay{Reason: "parts", Plan: "replace the unit on Tuesday", NewDeadline: at.Add(200 * time.Hour)}})
	fire(TriggerApproveDelay, Payload{})
	fire(TriggerNote, Payload{Note: "<b>客户</b> & \"quotes\" \\ back\nline\ttab\x01\x1f\u007f\b\f\r é 😀 \u2028"})
	fire(TriggerRespond, Payload{Note: "we are on it"})
	fire(TriggerRequestTask, Payload{Task: &TaskRequest{Name: "feasibility_report", Team: "rd"}})
	fire(TriggerCompleteTask, Payload{Task: &TaskRequest{Name: "feasibility_report"}})
	fire(TriggerChooseCompensation, Payload{Compensation: &CompensationChoice{Policy: "after-sales", Option: "voucher", Kind: "voucher",
		Amount: "50.00", Currency: "CNY", Status: "granted", ValidUntil: tkT0.Add(90 * 24 * time.Hour),
		Alternatives: []string{"cash", "points"}, Explanation: []string{"tier 2: 3h-6h", "cap 200.00 CNY"}}})
	fire(TriggerWaitCustomer, Payload{Reason: "photos of the label"})
	fire(TriggerResume, Payload{})
	fire(TriggerProgress, Payload{Node: "under_repair"})
	fire(TriggerResolve, Payload{Note: "replaced the board", Reason: "the part came late"})
	fire(TriggerFollowUp, Payload{})
	fire(TriggerRecordFollowUp, Payload{FollowUp: &FollowUp{Resolved: false, Score: 2, Comment: "still noisy"}})
	fire(TriggerTriage, Payload{Priority: "P0", Deadline: at.Add(240 * time.Hour)})
	fire(TriggerRerule, Payload{Reason: "policy 2024-04"})
	fire(TriggerEscalate, Payload{Reason: "second failure"})
	fire(TriggerAssign, Payload{Team: "senior-support", Owner: "wang.fang"})
	fire(TriggerRequestDelay, Payload{Delay: &TicketDelay{Reason: "courier", Plan: "Friday", NewDeadline: at.Add(400 * time.Hour)}})
	fire(TriggerCustomerMessage, Payload{Note: "any news?"})
	out["preset_reopened"] = tk

	tk, err = runLoop(plain, "F20240301003")
	require.NoError(t, err)
	out["closed_loop"] = tk

	tk, _, err = plain.Open(Opening{ID: "F20240301004", At: tkT0, Actor: "a"})
	require.NoError(t, err)
	_, err = plain.Fire(tk, Change{Trigger: TriggerReject, Version: 1, At: tkT0.Add(time.Second), Actor: "a", Payload: Payload{Rejection: RejectSpam, Reason: "ad"}})
	require.NoError(t, err)
	out["rejected"] = tk

	tk, _, err = plain.Open(Opening{ID: "F20240301005", At: tkT0, Actor: "a"})
	require.NoError(t, err)
	_, err = plain.Fire(tk, Change{Trigger: TriggerMerge, Version: 1, At: tkT0.Add(time.Nanosecond), Actor: "a", Payload: Payload{MergeInto: "F20240301001"}})
	require.NoError(t, err)
	out["merged"] = tk
	return out
}

// TestSnapshotGolden: stored snapshots, written by encoding/json before
// the hand-written codec, still parse, and MarshalSnapshot writes them
// back byte for byte, as encoding/json does.
func TestSnapshotGolden(t *testing.T) {
	if *updateSnapshotGolden {
		for name, tk := range goldenTickets(t) {
			data, err := json.Marshal(tk)
			require.NoError(t, err)
			require.NoError(t, os.WriteFile(filepath.Join("testdata", "snapshot", name+".json"), data, 0o644))
		}
	}
	files, err := filepath.Glob(filepath.Join("testdata", "snapshot", "*.json"))
	require.NoError(t, err)
	require.GreaterOrEqual(t, len(files), 5)
	for _, path := range files {
		t.Run(filepath.Base(path), func(t *testing.T) {
			golden, err := os.ReadFile(path)
			require.NoError(t, err)
			back, err := ParseSnapshot(golden)
			require.NoError(t, err)
			got, err := MarshalSnapshot(back)
			require.NoError(t, err)
			assert.Equal(t, string(golden), string(got))
			want, err := json.Marshal(back)
			require.NoError(t, err)
			assert.Equal(t, string(golden), string(want))
			var ref Ticket
			require.NoError(t, json.Unmarshal(golden, &ref))
			assert.Equal(t, &ref, back)
		})
	}
}

// TestSnapshotMatchesEncodingJSON: for tickets Open and Fire build now,
// MarshalSnapshot writes encoding/json's bytes, ParseSnapshot reads them
// back equal, and Restore accepts them under the rules that built them.
func TestSnapshotMatchesEncodingJSON(t *testing.T) {
	preset, err := PresetRules()
	require.NoError(t, err)
	for name, tk := range goldenTickets(t) {
		t.Run(name, func(t *testing.T) {
			want, err := json.Marshal(tk)
			require.NoError(t, err)
			got, err := MarshalSnapshot(tk)
			require.NoError(t, err)
			assert.Equal(t, string(want), string(got))
			back, err := ParseSnapshot(got)
			require.NoError(t, err)
			assert.Equal(t, snapshotData(tk), snapshotData(back))
			r := testRules(t)
			if tk.RulesVersion == preset.Version() {
				r = preset
			}
			restored, err := r.Restore(got)
			require.NoError(t, err)
			assert.Equal(t, snapshotData(tk), snapshotData(restored))
		})
	}
}

// snapshotData is what a snapshot holds of t: t without its SLA cache.
func snapshotData(t *Ticket) *Ticket {
	c := *t
	c.sla = nil
	return &c
}
