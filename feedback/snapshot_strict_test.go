package feedback

import (
	"bytes"
	"encoding/json"
	"errors"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/closeloop/closeloop/internal/rulesjson"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func goldenSnapshot(t testing.TB, name string) string {
	t.Helper()
	data, err := os.ReadFile(filepath.Join("testdata", "snapshot", name+".json"))
	require.NoError(t, err)
	return string(data)
}

// edit replaces the first old in s with new, and insists it was there.
func edit(t testing.TB, s, old, new string) string {
	t.Helper()
	require.Contains(t, s, old)
	return strings.Replace(s, old, new, 1)
}

// TestParseSnapshotRefuses: every refusal names the JSON path of the value
// at fault and wraps the sentinel that says what is wrong.
func TestParseSnapshotRefuses(t *testing.T) {
	good := goldenSnapshot(t, "closed_loop")
	rich := goldenSnapshot(t, "preset_reopened")
	ev1 := `{"seq":2,"version":2,"at":"2024-03-01T09:01:00Z","actor":"agent-7","trigger":"triage","from":"received","to":"triaged","payload":{`
	cases := []struct {
		name, data string
		path       string
		is         error
	}{
		{"duplicate key", edit(t, good, `"id":"F20240301003",`, `"id":"F20240301003","id":"F2",`), "$.id", rulesjson.ErrDuplicateKey},
		{"duplicate key in an event", edit(t, good, ev1, ev1+`"note":"a","note":"b",`), "$.history[1].payload.note", rulesjson.ErrDuplicateKey},
		{"duplicate attribute", edit(t, rich, `"kind":"complaint",`, `"kind":"complaint","kind":"praise",`), "$.attributes.kind", rulesjson.ErrDuplicateKey},
		{"unknown field", edit(t, good, ev1, ev1+`"colour":"red",`), "$.history[1].payload.colour", rulesjson.ErrUnknownField},
		{"key in another case", edit(t, good, `"id":`, `"ID":`), "$.ID", rulesjson.ErrUnknownField},
		{"trailing data", good + ` {}`, "$", rulesjson.ErrTrailingData},
		{"trailing garbage", good + `x`, "$", rulesjson.ErrTrailingData},
		{"not an object", `[]`, "$", rulesjson.ErrType},
		{"empty", ``, "$", rulesjson.ErrSyntax},
		{"truncated", good[:len(good)-3], "$.history[12]", rulesjson.ErrSyntax},
		{"number as string", edit(t, good, `"version":13,`, `"version":"13",`), "$.version", rulesjson.ErrType},
		{"fraction", edit(t, good, `"score":5,`, `"score":5.0,`), "$.follow_up.score", rulesjson.ErrType},
		{"exponent", edit(t, good, `"score":5,`, `"score":5e0,`), "$.follow_up.score", rulesjson.ErrType},
		{"overflow", edit(t, good, `"score":5,`, `"score":92233720368547758070,`), "$.follow_up.score", rulesjson.ErrType},
		{"seq out of range", edit(t, good, `"seq":1,`, `"seq":-1,`), "$.history[0].seq", rulesjson.ErrType},
		{"bool as string", edit(t, good, `"resolved":true`, `"resolved":"true"`), "$.follow_up.resolved", rulesjson.ErrType},
		{"null string", edit(t, good, `"state":"closed"`, `"state":null`), "$.state", rulesjson.ErrType},
		{"null payload", edit(t, good, `"payload":{}`, `"payload":null`), "$.history[7].payload", rulesjson.ErrType},
		{"null pointer", edit(t, good, `"follow_up":{"resolved":true,"score":5,"satisfied":true},"history"`, `"follow_up":null,"history"`), "$.follow_up", rulesjson.ErrType},
		{"object for a string", edit(t, good, `"actor":"agent-7"`, `"actor":{}`), "$.history[0].actor", rulesjson.ErrType},
		{"leading zero", edit(t, good, `"version":13,`, `"version":013,`), "$.version", rulesjson.ErrSyntax},
		{"offset", edit(t, good, `"opened":"2024-03-01T09:00:00Z"`, `"opened":"2024-03-01T17:00:00+08:00"`), "$.opened", rulesjson.ErrType},
		{"zero offset", edit(t, good, `"opened":"2024-03-01T09:00:00Z"`, `"opened":"2024-03-01T09:00:00+00:00"`), "$.opened", rulesjson.ErrType},
		{"lower-case z", edit(t, good, `"opened":"2024-03-01T09:00:00Z"`, `"opened":"2024-03-01T09:00:00z"`), "$.opened", rulesjson.ErrType},
		{"year 0", edit(t, good, `"opened":"2024-03-01T09:00:00Z"`, `"opened":"0000-03-01T09:00:00Z"`), "$.opened", rulesjson.ErrType},
		{"month 13", edit(t, good, `"opened":"2024-03-01T09:00:00Z"`, `"opened":"2024-13-01T09:00:00Z"`), "$.opened", rulesjson.ErrType},
		{"30 February", edit(t, good, `"opened":"2024-03-01T09:00:00Z"`, `"opened":"2024-02-30T09:00:00Z"`), "$.opened", rulesjson.ErrType},
		{"leap second", edit(t, good, `"opened":"2024-03-01T09:00:00Z"`, `"opened":"2024-03-01T23:59:60Z"`), "$.opened", rulesjson.ErrType},
		{"ten fraction digits", edit(t, good, `"opened":"2024-03-01T09:00:00Z"`, `"opened":"2024-03-01T09:00:00.0000000001Z"`), "$.opened", rulesjson.ErrType},
		{"no seconds", edit(t, good, `"opened":"2024-03-01T09:00:00Z"`, `"opened":"2024-03-01T09:00Z"`), "$.opened", rulesjson.ErrType},
		{"escaped instant", edit(t, good, `"opened":"2024-03-01T09:00:00Z"`, `"opened":"2024-03-01T09:00:00\u005a"`), "$.opened", rulesjson.ErrType},
		{"invalid UTF-8", edit(t, good, `"actor":"agent-7"`, "\"actor\":\"agent\xff\""), "$.history[0].actor", rulesjson.ErrSyntax},
		{"lone surrogate", edit(t, good, `"actor":"agent-7"`, `"actor":"agent\ud800"`), "$.history[0].actor", rulesjson.ErrSyntax},
		{"control character", edit(t, good, `"actor":"agent-7"`, "\"actor\":\"agent\t7\""), "$.history[0].actor", rulesjson.ErrSyntax},
		{"bad escape", edit(t, good, `"actor":"agent-7"`, `"actor":"agent\x7"`), "$.history[0].actor", rulesjson.ErrSyntax},
		{"missing key", edit(t, good, `"actor":"agent-7",`, ``), "$.history[0]", ErrInvalidTicket},
		{"missing key of the ticket", edit(t, good, `"state":"closed",`, ``), "$", ErrInvalidTicket},
		{"missing key of a pointer", edit(t, good, `"score":5,`, ``), "$.follow_up", ErrInvalidTicket},
		{"priority P10", edit(t, good, `"priority":"P1",`, `"priority":"P10",`), "$.priority", ErrInvalidTicket},
		{"priority p1 in the triage", edit(t, good, `"payload":{"priority":"P1"`, `"payload":{"priority":"p1"`), "$.history[1].payload.priority", ErrInvalidTicket},
		{"no priority in the triage", edit(t, good, `"payload":{"priority":"P1",`, `"payload":{`), "$.history[1].payload.priority", ErrInvalidTicket},
		{"score 0", edit(t, good, `"score":5,`, `"score":0,`), "$.follow_up.score", ErrInvalidTicket},
		{"score 101 in the event", strings.Replace(good, `"score":5,`, `"score":101,`, 2), "$.follow_up.score", ErrInvalidTicket},
		{"satisfied, not resolved", edit(t, good, `"resolved":true`, `"resolved":false`), "$.follow_up.satisfied", ErrInvalidTicket},
		{"rejection kind", edit(t, goldenSnapshot(t, "rejected"), `"kind":"spam"`, `"kind":"bogus"`), "$.rejection.kind", ErrInvalidTicket},
		{"rejection kind in the event", edit(t, goldenSnapshot(t, "rejected"), `"rejection":"spam"`, `"rejection":"bogus"`), "$.history[1].payload.rejection", ErrInvalidTicket},
		{"reopen rounds beyond the history", edit(t, good, `"follow_up":{`, `"reopen_rounds":14,"follow_up":{`), "$.reopen_rounds", ErrInvalidTicket},
		{"negative escalations", edit(t, good, `"follow_up":{`, `"escalations":-1,"follow_up":{`), "$.escalations", ErrInvalidTicket},
		{"deadline before the triage", edit(t, good, `"deadline":"2024-03-04T09:00:00Z"`, `"deadline":"2024-03-01T09:00:00Z"`), "$.history[1].payload.deadline", ErrInvalidTicket},
		{"negative level", edit(t, rich, `"priority_input":{"urgency":3`, `"priority_input":{"urgency":-3`), "$.history[1].payload.priority_input.urgency", ErrInvalidTicket},
		{"task name", edit(t, rich, `"task":{"name":"feasibility_report","team":"rd"}`, `"task":{"name":"Feasibility Report","team":"rd"}`), "$.history[8].payload.task", ErrInvalidTicket},
		{"opening at another instant", edit(t, good, `"opening":{"id":"F20240301003","at":"2024-03-01T09:00:00Z"`, `"opening":{"id":"F20240301003","at":"2024-03-01T08:00:00Z"`), "$.history[0].payload.opening.at", ErrInvalidTicket},
		{"string too long", edit(t, good, `"actor":"agent-7"`, `"actor":"`+strings.Repeat("a", MaxSnapshotString+1)+`"`), "$.history[0].actor", rulesjson.ErrTooLarge},
		{"escaped string too long", edit(t, good, `"actor":"agent-7"`, `"actor":"`+strings.Repeat(`\n`, MaxSnapshotString+1)+`"`), "$.history[0].actor", rulesjson.ErrTooLarge},
		{"escaped string far too long", edit(t, good, `"actor":"agent-7"`, `"actor":"`+strings.Repeat(`\u0041`, MaxSnapshotString+1)+`"`), "$.history[0].actor", rulesjson.ErrTooLarge},
		{"list too long", edit(t, good, `"priority_reasons":[`, `"priority_reasons":[`+strings.Repeat(`"",`, MaxSnapshotList)), "$.priority_reasons", rulesjson.ErrTooLarge},
		{"too large", good + strings.Repeat(" ", MaxSnapshotSize), "$", rulesjson.ErrTooLarge},
		{"too deep", edit(t, good, `"payload":{}`, `"payload":{"opening":{"attributes":{"a":[[[[[[[[[[]]]]]]]]]]}}}`), "$.history[7].payload.opening.attributes.a", rulesjson.ErrType},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			var ref Ticket
			_ = json.Unmarshal([]byte(tc.data), &ref) // encoding/json accepts many of these
			_, err := ParseSnapshot([]byte(tc.data))
			require.Error(t, err)
			assert.ErrorIs(t, err, tc.is)
			var pe *PathError
			require.True(t, errors.As(err, &pe), "%T %v", err, err)
			assert.Equal(t, tc.path, pe.Path, "%v", err)
		})
	}
}

// TestParseSnapshotAccepts: what encoding/json reads the same way and a
// stored snapshot may have been through (pretty-printing, another key
// order, escapes) is accepted and gives the same ticket.
func TestParseSnapshotAccepts(t *testing.T) {
	good := goldenSnapshot(t, "preset_reopened")
	want, err := ParseSnapshot([]byte(good))
	require.NoError(t, err)
	var indented bytes.Buffer
	require.NoError(t, json.Indent(&indented, []byte(good), "", "\t"))
	var generic map[string]any
	require.NoError(t, json.Unmarshal([]byte(good), &generic))
	reordered, err := json.Marshal(generic) // keys sorted
	require.NoError(t, err)
	for name, data := range map[string]string{
		"indented":  indented.String(),
		"reordered": string(reordered),
		"escaped":   edit(t, good, `"channel":"wechat"`, `"channel":"w\u0065ch\u0061t\/"`),
	} {
		t.Run(name, func(t *testing.T) {
			got, err := ParseSnapshot([]byte(data))
			require.NoError(t, err)
			if name == "escaped" {
				got.Channel = strings.TrimSuffix(got.Channel, "/")
			}
			assert.Equal(t, want, got)
		})
	}
	empty, err := ParseSnapshot([]byte(`{"id":"F1","version":0,"state":"","opened":"0001-01-01T00:00:00Z","updated":"0001-01-01T00:00:00Z","history":null}`))
	require.NoError(t, err)
	assert.Nil(t, empty.History)
}

// TestRestoreRefusesConsistentTampering: a value changed in the event that
// decided it and in the ticket alike replays to the same ticket, so
// Restore's comparison cannot see it; the value checks do.
func TestRestoreRefusesConsistentTampering(t *testing.T) {
	r := testRules(t)
	good := goldenSnapshot(t, "closed_loop")
	_, err := r.Restore([]byte(good))
	require.NoError(t, err)
	cases := []struct{ name, data, path string }{
		{"priority P10", strings.ReplaceAll(good, `"priority":"P1"`, `"priority":"P10"`), "$.priority"},
		{"score off the lifecycle's scale", strings.ReplaceAll(good, `"score":5,`, `"score":9,`), "$.history[11].payload.follow_up.score"},
		{"unknown progress node", strings.ReplaceAll(good, `"under_repair"`, `"nowhere"`), "$.history[5].payload.node"},
		{"rejection kind", strings.ReplaceAll(goldenSnapshot(t, "rejected"), `"spam"`, `"bogus"`), "$.rejection.kind"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := r.Restore([]byte(tc.data))
			require.ErrorIs(t, err, ErrInvalidTicket)
			var pe *PathError
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, tc.path, pe.Path)
		})
	}
}
