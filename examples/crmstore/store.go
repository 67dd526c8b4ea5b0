package main

import (
	"context"
	"database/sql"
	"encoding/json"
	"errors"
	"fmt"
	"time"

	"github.com/closeloop/closeloop/feedback"
	_ "modernc.org/sqlite" // pure-Go SQLite driver, registered as "sqlite"; no cgo
)

// schema is the host's own tables. The tickets table is the CRM's record of
// a ticket: the lifecycle state is an ordinary column (the feedback package
// runs its stateless machine with external storage: the state lives in the
// host's record, read from and written back to Ticket.State), next to the
// columns a CRM queries (priority, team, deadline, next check) and the JSON
// snapshot. The events table is the append-only history: triggers refuse
// UPDATE and DELETE.
const schema = `
CREATE TABLE IF NOT EXISTS tickets (
  id            TEXT PRIMARY KEY,
  state         TEXT    NOT NULL,
  version       INTEGER NOT NULL,
  priority      TEXT    NOT NULL DEFAULT '',
  team          TEXT    NOT NULL DEFAULT '',
  deadline      TEXT    NOT NULL DEFAULT '',
  next_check    TEXT    NOT NULL DEFAULT '',
  rules_version TEXT    NOT NULL,
  snapshot      TEXT    NOT NULL,
  updated_at    TEXT    NOT NULL
);
CREATE INDEX IF NOT EXISTS tickets_state ON tickets(state);
CREATE TABLE IF NOT EXISTS events (
  ticket_id  TEXT    NOT NULL REFERENCES tickets(id),
  seq        INTEGER NOT NULL,
  at         TEXT    NOT NULL,
  actor      TEXT    NOT NULL,
  trig       TEXT    NOT NULL,
  from_state TEXT    NOT NULL,
  to_state   TEXT    NOT NULL,
  payload    TEXT    NOT NULL,
  PRIMARY KEY (ticket_id, seq)
);
CREATE TRIGGER IF NOT EXISTS events_no_update BEFORE UPDATE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
CREATE TRIGGER IF NOT EXISTS events_no_delete BEFORE DELETE ON events
BEGIN SELECT RAISE(ABORT, 'events are append-only'); END;
`

// ErrConflict is returned when the tickets row changed between the load and
// the save: another writer saved a newer version first.
var ErrConflict = errors.New("crmstore: the ticket was changed by someone else; reload and decide again")

// Store keeps closeloop tickets in SQLite. The library decides, the store
// persists: Fire runs in memory, then one transaction appends the event and
// moves the row from the version it was loaded at to the next one.
type Store struct {
	db    *sql.DB
	rules *feedback.Rules
}

// OpenStore opens (creating if needed) the database file at path.
func OpenStore(ctx context.Context, path string, rules *feedback.Rules) (*Store, error) {
	db, err := sql.Open("sqlite", "file:"+path+"?_pragma=foreign_keys(1)&_pragma=busy_timeout(5000)&_pragma=journal_mode(WAL)")
	if err != nil {
		return nil, err
	}
	if _, err := db.ExecContext(ctx, schema); err != nil {
		_ = db.Close()
		return nil, fmt.Errorf("schema: %w", err)
	}
	return &Store{db: db, rules: rules}, nil
}

// Close closes the database.
func (s *Store) Close() error { return s.db.Close() }

func timeText(t time.Time) string {
	if t.IsZero() {
		return ""
	}
	return t.UTC().Format(time.RFC3339Nano)
}

// Open registers new feedback: the ticket row and its first event.
func (s *Store) Open(ctx context.Context, o feedback.Opening) (*feedback.Ticket, feedback.Outcome, error) {
	t, out, err := s.rules.Open(o)
	if err != nil {
		return nil, out, err
	}
	return t, out, s.save(ctx, t, 0, out)
}

// Apply loads a ticket, fires the change and saves the result. The change's
// Version is what the user saw; the library refuses any other version with a
// *feedback.StaleVersionError.
func (s *Store) Apply(ctx context.Context, id string, ch feedback.Change) (*feedback.Ticket, feedback.Outcome, error) {
	t, err := s.Load(ctx, id)
	if err != nil {
		return nil, feedback.Outcome{}, err
	}
	return s.FireAndSave(ctx, t, ch)
}

// FireAndSave fires a change on a ticket the caller already holds (loaded
// earlier, perhaps long ago) and saves it; if the row moved on meanwhile,
// the save fails with ErrConflict and nothing is written.
func (s *Store) FireAndSave(ctx context.Context, t *feedback.Ticket, ch feedback.Change) (*feedback.Ticket, feedback.Outcome, error) {
	loaded := t.Version
	out, err := s.rules.Fire(t, ch)
	if err != nil {
		return t, out, err
	}
	return t, out, s.save(ctx, t, loaded, out)
}

// save appends the outcome's event and moves the ticket row from version
// loaded to the ticket's version, in one transaction.
func (s *Store) save(ctx context.Context, t *feedback.Ticket, loaded int64, out feedback.Outcome) (err error) {
	snap, err := feedback.MarshalSnapshot(t)
	if err != nil {
		return err
	}
	payload, err := json.Marshal(out.Event.Payload)
	if err != nil {
		return err
	}
	next := ""
	for _, e := range out.Effects {
		if e.Kind == feedback.ScheduleCheck {
			next = timeText(e.At)
		}
	}
	tx, err := s.db.BeginTx(ctx, nil)
	if err != nil {
		return err
	}
	defer func() {
		if err != nil {
			_ = tx.Rollback()
		}
	}()
	if loaded == 0 {
		_, err = tx.ExecContext(ctx, `INSERT INTO tickets (id, state, version, priority, team, deadline, next_check, rules_version, snapshot, updated_at)
			VALUES (?, ?, ?, ?, ?, ?, ?, ?, ?, ?)`,
			t.ID, string(t.State), t.Version, t.Priority, t.Team, s.deadlineText(t), next, t.RulesVersion, string(snap), timeText(t.Updated))
		if err != nil {
			return err
		}
	} else {
		res, err := tx.ExecContext(ctx, `UPDATE tickets SET state = ?, version = ?, priority = ?, team = ?, deadline = ?, next_check = ?, snapshot = ?, updated_at = ?
			WHERE id = ? AND version = ?`,
			string(t.State), t.Version, t.Priority, t.Team, s.deadlineText(t), next, string(snap), timeText(t.Updated), t.ID, loaded)
		if err != nil {
			return err
		}
		n, err := res.RowsAffected()
		if err != nil {
			return err
		}
		if n != 1 {
			return fmt.Errorf("%w (%s: saving version %d over version %d)", ErrConflict, t.ID, t.Version, loaded)
		}
	}
	ev := out.Event
	if _, err = tx.ExecContext(ctx, `INSERT INTO events (ticket_id, seq, at, actor, trig, from_state, to_state, payload) VALUES (?, ?, ?, ?, ?, ?, ?, ?)`,
		t.ID, ev.Seq, timeText(ev.At), ev.Actor, string(ev.Trigger), string(ev.From), string(ev.To), string(payload)); err != nil {
		return err
	}
	return tx.Commit()
}

// Load reads a ticket from its row: the snapshot, verified against its own
// history by the rules, and checked against the state and version columns.
func (s *Store) Load(ctx context.Context, id string) (*feedback.Ticket, error) {
	var state, snap string
	var version int64
	err := s.db.QueryRowContext(ctx, `SELECT state, version, snapshot FROM tickets WHERE id = ?`, id).Scan(&state, &version, &snap)
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", id, err)
	}
	t, err := s.rules.Restore([]byte(snap))
	if err != nil {
		return nil, fmt.Errorf("load %s: %w", id, err)
	}
	if string(t.State) != state || t.Version != version {
		return nil, fmt.Errorf("load %s: row says %s v%d, snapshot %s v%d", id, state, version, t.State, t.Version)
	}
	return t, nil
}

// Events reads a ticket's history from the events table.
func (s *Store) Events(ctx context.Context, id string) ([]feedback.Event, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT seq, at, actor, trig, from_state, to_state, payload FROM events WHERE ticket_id = ? ORDER BY seq`, id)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var out []feedback.Event
	for rows.Next() {
		var ev feedback.Event
		var at, trig, from, to, payload string
		if err := rows.Scan(&ev.Seq, &at, &ev.Actor, &trig, &from, &to, &payload); err != nil {
			return nil, err
		}
		if ev.At, err = time.Parse(time.RFC3339Nano, at); err != nil {
			return nil, err
		}
		ev.Version, ev.Trigger, ev.From, ev.To = ev.Seq, feedback.Trigger(trig), feedback.State(from), feedback.State(to)
		if err := json.Unmarshal([]byte(payload), &ev.Payload); err != nil {
			return nil, fmt.Errorf("%s event %d: %w", id, ev.Seq, err)
		}
		out = append(out, ev)
	}
	return out, rows.Err()
}

// Rebuild replays a ticket from the events table alone.
func (s *Store) Rebuild(ctx context.Context, id string) (*feedback.Ticket, error) {
	evs, err := s.Events(ctx, id)
	if err != nil {
		return nil, err
	}
	return s.rules.Replay(evs)
}

// OpenIDs lists the tickets whose state column is not a final state, in ID order.
func (s *Store) OpenIDs(ctx context.Context) ([]string, error) {
	rows, err := s.db.QueryContext(ctx, `SELECT id, state FROM tickets ORDER BY id`)
	if err != nil {
		return nil, err
	}
	defer rows.Close()
	var ids []string
	lc := s.rules.Lifecycle()
	for rows.Next() {
		var id, state string
		if err := rows.Scan(&id, &state); err != nil {
			return nil, err
		}
		if !lc.Terminal(feedback.State(state)) {
			ids = append(ids, id)
		}
	}
	return ids, rows.Err()
}

// deadlineText is the deadline column: the ticket's resolution deadline as
// its SLA report gives it at its last event (a paused clock's deadline moves
// on; the next_check column says when to look again).
func (s *Store) deadlineText(t *feedback.Ticket) string {
	d, err := s.rules.Deadline(t, t.Updated)
	if err != nil {
		return ""
	}
	return timeText(d)
}

// Repair rewrites a ticket's row from its events (the events are the
// record; the row and its snapshot are derived from them).
func (s *Store) Repair(ctx context.Context, id string) (*feedback.Ticket, error) {
	t, err := s.Rebuild(ctx, id)
	if err != nil {
		return nil, err
	}
	snap, err := feedback.MarshalSnapshot(t)
	if err != nil {
		return nil, err
	}
	_, err = s.db.ExecContext(ctx, `UPDATE tickets SET state = ?, version = ?, priority = ?, team = ?, deadline = ?, snapshot = ?, updated_at = ?
		WHERE id = ?`, string(t.State), t.Version, t.Priority, t.Team, s.deadlineText(t), string(snap), timeText(t.Updated), id)
	if err != nil {
		return nil, err
	}
	return t, nil
}
