package main

import (
	"bytes"
	"context"
	"database/sql"
	"path/filepath"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/closeloop/closeloop/feedback"
)

func TestRunAgainstSQLiteFile(t *testing.T) {
	path := filepath.Join(t.TempDir(), "crm.db")
	var buf bytes.Buffer
	require.NoError(t, run(&buf, path))
	out := buf.String()

	for _, want := range []string{
		"== Database crm.db (SQLite through modernc.org/sqlite, no cgo), rules documents-2024",
		// document 002: no resolution target (the host's plan would set one), a P1 response due in 48 h, warned at 75 %
		"F20240301001 03-01 10:40 v2  triage           received    → triaged          priority P1, deadline -, next check 03-02 22:30",
		"F20240301003 03-01 16:20 v2  triage           received    → triaged          priority P2, deadline 03-08 18:00",
		"F20240301002 03-04 10:40 v8  close            follow_up   → closed",
		// optimistic concurrency, at both layers
		"agent A and agent B both load F20240301001 at version 2 (state triaged)",
		"F20240301001 03-01 10:45 v3  assign           triaged     → assigned         team technical_support",
		"agent B saves from its stale copy: refused by the database: crmstore: the ticket was changed by someone else; reload and decide again (F20240301001: saving version 3 over version 2)",
		`agent B resubmits against version 2: refused by the library: feedback: ticket "F20240301001" is at version 3, change was made against version 2`,
		"stored: version 3, team technical_support, 3 events (nothing of B's was written)",
		// append-only history
		"UPDATE events ...: refused (events are append-only)",
		"DELETE FROM events ...: refused (events are append-only)",
		// a hand-edited snapshot is refused and rebuilt from the events
		"load F20240301001: feedback: ticket: invalid ticket: the snapshot's fields disagree with its history",
		"repaired from 6 events: priority P1, state in_progress, version 6",
		// the state column as a CRM reads it
		// document 000: under repair since 03-04 11:00, due in 3 days, warned a day before
		"F20240301001  in_progress      v6   P1  technical_support  deadline -            next check 03-06 11:00",
		"F20240301002  closed           v8   P2  service_supervisor deadline -",
		"F20240301003  waiting_customer v6   P2  customer_service   deadline 03-08 18:00",
		// document 002 before triage: no priority, no target yet
		"F20240304004  received         v1   -   -                  deadline -            next check -",
		// restart: open tickets rebuilt from events, SLA reports at now
		"open tickets by their state column: F20240301001, F20240301003, F20240304004",
		"F20240301001 rebuilt from 6 events (equals the stored snapshot): state in_progress, priority P1, team technical_support",
		"SLA policy after-sales v1",
		"first_response      met      48h elapsed                  due 03-03 10:30",
		"repair              running  72h elapsed                  due 03-07 11:00, 71h left",
		"competitor_analysis pending  10 working days on cn-office", // names padded to the longest
		"→ next check 03-06 11:00",
		"F20240301003 rebuilt from 6 events (equals the stored snapshot): state waiting_customer, priority P2, team customer_service",
		// document 001's normal complaint: 24 h response; resolution from 004: 5 working days; follow-up from 002: 48 h for P2
		"SLA policy complaint-normal v1",
		"first_response met      24h elapsed                  due 03-02 16:00",
		"follow_up      pending  48h elapsed",
		// time left on a business calendar is working hours
		"resolution     paused   5 working days on cn-office  due 03-11 11:30, 37h left in working hours",
		"F20240304004 rebuilt from 1 event (equals the stored snapshot): state received",
		"first_response      running  no target",
	} {
		if !strings.Contains(out, want) {
			t.Errorf("output lacks %q", want)
		}
	}
	assert.NotContains(t, out, "DIFFERS")
	assert.NotContains(t, out, "1 events")

	// The log is in time order: each line's instant is at or after the one before.
	logLines := regexp.MustCompile(`(?m)^  F\d{11} (\d\d-\d\d \d\d:\d\d) v`).FindAllStringSubmatch(out, -1)
	require.Greater(t, len(logLines), 20)
	for i := 1; i < len(logLines); i++ {
		assert.LessOrEqual(t, logLines[i-1][1], logLines[i][1], "the log goes back in time at line %d", i)
	}
	for _, line := range strings.Split(out, "\n") {
		assert.Equal(t, strings.TrimRight(line, " "), line, "no trailing spaces")
	}
	assert.NotContains(t, out, path, "the temporary path stays out of the output")
	if t.Failed() {
		t.Log(out)
	}

	// The file itself holds what the program said.
	db, err := sql.Open("sqlite", "file:"+path)
	require.NoError(t, err)
	defer db.Close()
	states := map[string]string{}
	rows, err := db.Query(`SELECT id, state FROM tickets`)
	require.NoError(t, err)
	for rows.Next() {
		var id, state string
		require.NoError(t, rows.Scan(&id, &state))
		states[id] = state
	}
	require.NoError(t, rows.Err())
	require.NoError(t, rows.Close())
	assert.Equal(t, map[string]string{"F20240301001": "in_progress", "F20240301002": "closed",
		"F20240301003": "waiting_customer", "F20240304004": "received"}, states)

	var events, byB int
	require.NoError(t, db.QueryRow(`SELECT count(*) FROM events`).Scan(&events))
	require.NoError(t, db.QueryRow(`SELECT count(*) FROM events WHERE actor = 'agent-B'`).Scan(&byB))
	assert.Equal(t, 6+8+6+1, events)
	assert.Zero(t, byB, "the stale writes left no trace")

	// A second process rebuilds the same tickets from the file.
	rules, err := feedback.PresetRules()
	require.NoError(t, err)
	store, err := OpenStore(context.Background(), path, rules)
	require.NoError(t, err)
	defer store.Close()
	tk, err := store.Rebuild(context.Background(), "F20240301002")
	require.NoError(t, err)
	assert.Equal(t, feedback.StateClosed, tk.State)
	assert.Equal(t, 4, tk.FollowUp.Score)
}

func TestSecondRunOnTheFileIsTheRestart(t *testing.T) {
	path := filepath.Join(t.TempDir(), "crm.db")
	var first, second bytes.Buffer
	require.NoError(t, run(&first, path))
	require.NoError(t, run(&second, path))
	out := second.String()
	assert.Contains(t, out, "the file already holds 4 tickets: this run is the restart")
	assert.NotContains(t, out, "agent A", "nothing is registered or changed again")
	// The second process prints the same restart as the first one did.
	restart := first.String()[strings.Index(first.String(), "== Restart"):]
	assert.True(t, strings.HasSuffix(out, restart), "second run:\n%s\nwant it to end with:\n%s", out, restart)
}
