// Command crmstore embeds closeloop in a host with a real database: SQLite
// through the pure-Go driver modernc.org/sqlite (no cgo), the way a CRM
// would keep its tickets.
//
//   - A tickets table holds each ticket's row: the lifecycle state as a plain
//     column (the library's stateless machine runs with external storage, so
//     the state lives in the host's record, not in the machine), the columns a
//     CRM filters on (priority, team, deadline, next check) and the ticket's
//     JSON snapshot.
//   - An append-only events table holds every accepted change (database
//     triggers refuse UPDATE and DELETE).
//   - The day's work is printed as the CRM's log, in time order, with two
//     agents assigning the same ticket at once where it happens.
//   - Every change is one transaction: the library decides in memory, then
//     the event is appended and the row moves from the version it was loaded
//     at to the next one. Optimistic concurrency on the version: a write made
//     from a stale copy is refused by the database (the row moved on) and by
//     the library (the change names an old version); nothing is written.
//   - A snapshot edited by hand is refused on load (it no longer matches
//     its own history) and the row is rebuilt from the events table.
//   - A restart opens the file afresh, finds the open tickets by their state
//     column, rebuilds each one from its events alone, checks that it equals
//     the stored snapshot, and evaluates its SLA report at a fixed now.
//
// The rules are the library's preset (document 002's taxonomy, routing and
// priority scoring, document 004's service levels on the cn-office calendar).
// Every instant is fixed, so the output is the same on every run.
//
// It is a module of its own (SQLite is no requirement of the library), run
// from its directory:
//
//	cd examples/crmstore
//	go run .            # uses a temporary database file
//	go run . -db crm.db # keeps the file; run it again to
//	                    # see a second process rebuild the tickets
package main

import (
	"bytes"
	"context"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"slices"
	"strings"
	"time"
	_ "time/tzdata" // the calendar's zone on machines without a zone database

	"github.com/closeloop/closeloop/feedback"
	"github.com/closeloop/closeloop/l10n"
	"github.com/closeloop/closeloop/sla"
)

func main() {
	dbPath := flag.String("db", "", "SQLite database file (default: a temporary file, removed afterwards)")
	flag.Parse()
	if err := runMain(*dbPath); err != nil {
		fmt.Fprintln(os.Stderr, "crmstore:", err)
		os.Exit(1)
	}
}

func runMain(path string) error {
	if path == "" {
		dir, err := os.MkdirTemp("", "crmstore")
		if err != nil {
			return err
		}
		defer os.RemoveAll(dir)
		path = filepath.Join(dir, "crm.db")
	}
	return run(os.Stdout, path)
}

// host is the CRM around the store: it prints what happens.
type host struct {
	w     io.Writer
	rules *feedback.Rules
	loc   *time.Location
	store *Store
	err   error
}

func (h *host) printf(format string, args ...any) {
	if h.err == nil {
		_, h.err = fmt.Fprintf(h.w, format, args...)
	}
}

func (h *host) at(s string) time.Time {
	t, err := time.ParseInLocation("2006-01-02 15:04", s, h.loc)
	if err != nil {
		panic(err) // the example's own constants
	}
	return t
}

func (h *host) fmtTime(t time.Time) string {
	if t.IsZero() {
		return "-"
	}
	return t.In(h.loc).Format("01-02 15:04")
}

// apply loads, fires and saves one change, and prints the event.
func (h *host) apply(ctx context.Context, id, when, actor string, trig feedback.Trigger, p feedback.Payload) error {
	t, err := h.store.Load(ctx, id)
	if err != nil {
		return err
	}
	t, out, err := h.store.FireAndSave(ctx, t, feedback.Change{Trigger: trig, Version: t.Version, At: h.at(when), Actor: actor, Payload: p})
	if err != nil {
		return fmt.Errorf("%s %s: %w", id, trig, err)
	}
	h.printEvent(t, out)
	return nil
}

func (h *host) printEvent(t *feedback.Ticket, out feedback.Outcome) {
	ev := out.Event
	var extra []string
	switch ev.Trigger {
	case feedback.TriggerTriage:
		deadline, err := h.rules.Deadline(t, ev.At)
		if err != nil {
			panic(err)
		}
		extra = append(extra, fmt.Sprintf("priority %s, deadline %s", t.Priority, h.fmtTime(deadline)))
	case feedback.TriggerAssign:
		extra = append(extra, "team "+t.Team)
	}
	for _, e := range out.Effects {
		if e.Kind == feedback.ScheduleCheck {
			extra = append(extra, "next check "+h.fmtTime(e.At))
		}
	}
	h.printf("%s\n", strings.TrimRight(fmt.Sprintf("  %s %s v%-2d %-16s %-11s → %-16s %s", t.ID, h.fmtTime(ev.At), ev.Version,
		ev.Trigger, ev.From, ev.To, strings.Join(extra, ", ")), " "))
}

func run(w io.Writer, dbPath string) error {
	ctx := context.Background()
	rules, err := feedback.PresetRules()
	if err != nil {
		return err
	}
	cal, err := rules.Calendars().Lookup("cn-office")
	if err != nil {
		return err
	}
	h := &host{w: w, rules: rules, loc: cal.Location()}
	h.printf("== Database %s (SQLite through modernc.org/sqlite, no cgo), rules %s\n", filepath.Base(dbPath), rules.Version())
	if h.store, err = OpenStore(ctx, dbPath, rules); err != nil {
		return err
	}
	var n int
	if err := h.store.db.QueryRowContext(ctx, `SELECT count(*) FROM tickets`).Scan(&n); err != nil {
		_ = h.store.Close()
		return err
	}
	if n > 0 {
		// A second run on a kept file (-db) is the restart alone.
		h.printf("  the file already holds %d tickets: this run is the restart\n", n)
		if err := h.store.Close(); err != nil {
			return err
		}
		if err := h.restart(ctx, dbPath); err != nil {
			return err
		}
		return h.err
	}
	for _, part := range []func(context.Context) error{h.workday, h.appendOnly, h.tampered, h.table} {
		if err := part(ctx); err != nil {
			_ = h.store.Close()
			return err
		}
	}
	if err := h.store.Close(); err != nil {
		return err
	}
	if err := h.restart(ctx, dbPath); err != nil {
		return err
	}
	return h.err
}

// workday registers and works four tickets.
func (h *host) workday(ctx context.Context) error {
	h.printf("\n== The CRM's log, in time order (times Asia/Shanghai)\n")
	openings := []feedback.Opening{
		{ID: "F20240301001", At: h.at("2024-03-01 10:30"), Actor: "agent-7", Customer: "C1001", Channel: "phone", Category: "product_fault"},
		{ID: "F20240301002", At: h.at("2024-03-01 14:15"), Actor: "agent-3", Customer: "C1002", Channel: "online_chat", Category: "service_experience"},
		{ID: "F20240301003", At: h.at("2024-03-01 16:00"), Actor: "agent-3", Customer: "C1003", Channel: "wechat", Category: "complaint",
			Attributes: map[string]string{"kind": "complaint"}},
		{ID: "F20240304004", At: h.at("2024-03-04 10:30"), Actor: "web-form", Customer: "C1004", Channel: "web_form", Category: "demand_suggestion"},
	}
	type step struct {
		id, when, actor string
		trig            feedback.Trigger
		p               feedback.Payload
	}
	steps := []step{
		{"F20240301001", "2024-03-01 10:40", "lead-1", feedback.TriggerTriage, feedback.Payload{
			PriorityInput: &feedback.PriorityInput{Affected: 500, Urgency: 3, Severity: 2}}},
		{"F20240301001", "2024-03-01 11:00", "engineer-2", feedback.TriggerRespond, feedback.Payload{Note: "engineer will call you"}},
		{"F20240301001", "2024-03-02 09:00", "engineer-2", feedback.TriggerStart, feedback.Payload{}},
		{"F20240301001", "2024-03-04 11:00", "engineer-2", feedback.TriggerProgress, feedback.Payload{Node: "under_repair"}},
		{"F20240301002", "2024-03-01 14:30", "lead-1", feedback.TriggerTriage, feedback.Payload{
			PriorityInput: &feedback.PriorityInput{Affected: 1, Urgency: 2, Severity: 1}}},
		{"F20240301002", "2024-03-01 14:35", "lead-1", feedback.TriggerAssign, feedback.Payload{}},
		{"F20240301002", "2024-03-04 09:00", "supervisor", feedback.TriggerStart, feedback.Payload{}},
		{"F20240301002", "2024-03-04 10:00", "supervisor", feedback.TriggerResolve, feedback.Payload{Note: "installer re-briefed"}},
		{"F20240301002", "2024-03-04 10:30", "agent-3", feedback.TriggerFollowUp, feedback.Payload{}},
		{"F20240301002", "2024-03-04 10:35", "agent-3", feedback.TriggerRecordFollowUp, feedback.Payload{
			FollowUp: &feedback.FollowUp{Resolved: true, Score: 4}}},
		{"F20240301002", "2024-03-04 10:40", "agent-3", feedback.TriggerClose, feedback.Payload{}},
		{"F20240301003", "2024-03-01 16:20", "lead-1", feedback.TriggerTriage, feedback.Payload{Priority: "P2"}},
		{"F20240301003", "2024-03-01 16:25", "lead-1", feedback.TriggerAssign, feedback.Payload{}},
		{"F20240301003", "2024-03-01 17:00", "agent-9", feedback.TriggerRespond, feedback.Payload{Note: "we are looking into it"}},
		{"F20240301003", "2024-03-01 17:05", "agent-9", feedback.TriggerStart, feedback.Payload{}},
		{"F20240301003", "2024-03-04 09:30", "agent-9", feedback.TriggerWaitCustomer, feedback.Payload{Reason: "waiting for the order number"}},
	}
	// The day's work in the order it happened, as the CRM's log shows it:
	// openings, changes and, at 10:45 on 03-01, two agents assigning the
	// same ticket at once. (The tickets' own steps are listed in order, so
	// a stable sort by instant keeps each ticket's sequence.)
	type action struct {
		at  time.Time
		run func() error
	}
	var actions []action
	for _, o := range openings {
		actions = append(actions, action{o.At, func() error {
			t, out, err := h.store.Open(ctx, o)
			if err != nil {
				return err
			}
			h.printEvent(t, out)
			return nil
		}})
	}
	for _, s := range steps {
		actions = append(actions, action{h.at(s.when), func() error { return h.apply(ctx, s.id, s.when, s.actor, s.trig, s.p) }})
	}
	actions = append(actions, action{h.at("2024-03-01 10:45"), func() error { return h.staleWrite(ctx) }})
	slices.SortStableFunc(actions, func(a, b action) int { return a.at.Compare(b.at) })
	for _, a := range actions {
		if err := a.run(); err != nil {
			return err
		}
	}
	return nil
}

// staleWrite: two agents hold the same version; the second save loses.
// It happens inside the day's log, at 03-01 10:45.
func (h *host) staleWrite(ctx context.Context) error {
	const id = "F20240301001"
	h.printf("  ── optimistic concurrency on %s:\n", id)
	a, err := h.store.Load(ctx, id)
	if err != nil {
		return err
	}
	b, err := h.store.Load(ctx, id)
	if err != nil {
		return err
	}
	h.printf("     agent A and agent B both load %s at version %d (state %s)\n", id, a.Version, a.State)
	seen := b.Version
	a, out, err := h.store.FireAndSave(ctx, a, feedback.Change{Trigger: feedback.TriggerAssign, Version: a.Version,
		At: h.at("2024-03-01 10:45"), Actor: "agent-A"}) // routed by the rules
	if err != nil {
		return err
	}
	h.printf("     agent A saves:\n")
	h.printEvent(a, out)
	// B decides on its stale copy: the library accepts it in memory, the
	// database refuses it because the row is no longer at version 3.
	_, _, err = h.store.FireAndSave(ctx, b, feedback.Change{Trigger: feedback.TriggerAssign, Version: b.Version,
		At: h.at("2024-03-01 10:46"), Actor: "agent-B", Payload: feedback.Payload{Team: "customer_service"}})
	if !errors.Is(err, ErrConflict) {
		return fmt.Errorf("stale save: want ErrConflict, got %v", err)
	}
	h.printf("     agent B saves from its stale copy: refused by the database: %v\n", err)
	// B reloads but submits what its screen showed (version 3): the library
	// refuses the change itself.
	_, _, err = h.store.Apply(ctx, id, feedback.Change{Trigger: feedback.TriggerNote, Version: seen,
		At: h.at("2024-03-01 10:47"), Actor: "agent-B", Payload: feedback.Payload{Note: "please take this one"}})
	var stale *feedback.StaleVersionError
	if !errors.As(err, &stale) {
		return fmt.Errorf("stale change: want StaleVersionError, got %v", err)
	}
	h.printf("     agent B resubmits against version %d: refused by the library: %v\n", seen, err)
	t, err := h.store.Load(ctx, id)
	if err != nil {
		return err
	}
	evs, err := h.store.Events(ctx, id)
	if err != nil {
		return err
	}
	h.printf("     stored: version %d, team %s, %s (nothing of B's was written)\n", t.Version, t.Team, events(len(evs)))
	return nil
}

// events says "1 event" or "n events".
func events(n int) string {
	if n == 1 {
		return "1 event"
	}
	return fmt.Sprintf("%d events", n)
}

// appendOnly shows the events table refusing to rewrite history.
func (h *host) appendOnly(ctx context.Context) error {
	h.printf("\n== The events table is append-only\n")
	_, err := h.store.db.ExecContext(ctx, `UPDATE events SET actor = 'someone-else' WHERE ticket_id = 'F20240301001' AND seq = 1`)
	if err == nil {
		return errors.New("an UPDATE of events was accepted")
	}
	h.printf("  UPDATE events ...: refused (%s)\n", shortErr(err))
	_, err = h.store.db.ExecContext(ctx, `DELETE FROM events WHERE ticket_id = 'F20240301002'`)
	if err == nil {
		return errors.New("a DELETE of events was accepted")
	}
	h.printf("  DELETE FROM events ...: refused (%s)\n", shortErr(err))
	return nil
}

// tampered shows a hand-edited snapshot caught on load and repaired from
// the events table.
func (h *host) tampered(ctx context.Context) error {
	const id = "F20240301001"
	h.printf("\n== A hand-edited snapshot is caught and repaired from the events\n")
	if _, err := h.store.db.ExecContext(ctx, `UPDATE tickets SET priority = 'P3',
		snapshot = substr(snapshot, 1, instr(snapshot, '"priority":"P1"') - 1) || '"priority":"P3"' || substr(snapshot, instr(snapshot, '"priority":"P1"') + 15)
		WHERE id = ?`, id); err != nil {
		return err
	}
	_, err := h.store.Load(ctx, id)
	if !errors.Is(err, feedback.ErrInvalidTicket) {
		return fmt.Errorf("tampered snapshot: want ErrInvalidTicket, got %v", err)
	}
	h.printf("  someone sets priority P3 in %s's snapshot by hand; loading it fails:\n    %v\n", id, err)
	t, err := h.store.Repair(ctx, id)
	if err != nil {
		return err
	}
	h.printf("  repaired from %s: priority %s, state %s, version %d\n", events(len(t.History)), t.Priority, t.State, t.Version)
	return nil
}

// shortErr keeps the database's message and drops the driver's codes.
func shortErr(err error) string {
	msg := err.Error()
	if i := strings.Index(msg, "events are append-only"); i >= 0 {
		return "events are append-only"
	}
	return msg
}

// table prints the tickets table as a CRM report would query it.
func (h *host) table(ctx context.Context) error {
	h.printf("\n== SELECT id, state, version, priority, team, deadline, next_check FROM tickets\n")
	rows, err := h.store.db.QueryContext(ctx, `SELECT id, state, version, priority, team, deadline, next_check FROM tickets ORDER BY id`)
	if err != nil {
		return err
	}
	defer rows.Close()
	for rows.Next() {
		var id, state, prio, team, deadline, next string
		var version int64
		if err := rows.Scan(&id, &state, &version, &prio, &team, &deadline, &next); err != nil {
			return err
		}
		h.printf("  %-13s %-16s v%-3d %-3s %-18s deadline %-12s next check %s\n", id, state, version, orDash(prio), orDash(team),
			h.fmtStored(deadline), h.fmtStored(next))
	}
	return rows.Err()
}

func orDash(s string) string {
	if s == "" {
		return "-"
	}
	return s
}

func (h *host) fmtStored(s string) string {
	if s == "" {
		return "-"
	}
	t, err := time.Parse(time.RFC3339Nano, s)
	if err != nil {
		return "?" + s
	}
	return h.fmtTime(t)
}

// restart opens the database afresh and rebuilds every open ticket from its
// events, then evaluates its service levels.
func (h *host) restart(ctx context.Context, dbPath string) error {
	now := h.at("2024-03-04 12:00")
	h.printf("\n== Restart: a new process opens %s at %s and rebuilds the open tickets\n", filepath.Base(dbPath), h.fmtTime(now))
	store, err := OpenStore(ctx, dbPath, h.rules)
	if err != nil {
		return err
	}
	defer store.Close()
	ids, err := store.OpenIDs(ctx)
	if err != nil {
		return err
	}
	h.printf("  open tickets by their state column: %s\n", strings.Join(ids, ", "))
	for _, id := range ids {
		rebuilt, err := store.Rebuild(ctx, id)
		if err != nil {
			return err
		}
		stored, err := store.Load(ctx, id)
		if err != nil {
			return err
		}
		a, err := feedback.MarshalSnapshot(rebuilt)
		if err != nil {
			return err
		}
		b, err := feedback.MarshalSnapshot(stored)
		if err != nil {
			return err
		}
		same := "equals the stored snapshot"
		if !bytes.Equal(a, b) {
			same = "DIFFERS from the stored snapshot"
		}
		h.printf("  %s rebuilt from %s (%s): state %s, priority %s, team %s\n", id, events(len(rebuilt.History)), same,
			rebuilt.State, orDash(rebuilt.Priority), orDash(rebuilt.Team))
		// This host ran no checks before the restart, so it asks for every
		// alert since the ticket opened; a host that runs the scheduled
		// checks passes the instant it last looked instead.
		effects, rep, err := h.rules.Check(rebuilt, rebuilt.Opened, now)
		if err != nil {
			return err
		}
		h.printf("    SLA policy %s v%d\n", rep.Policy, rep.Version)
		width := 0
		for _, m := range rep.Metrics {
			width = max(width, len(m.Name))
		}
		for _, m := range rep.Metrics {
			h.printf("    %s\n", h.metricLine(m, width))
		}
		for _, e := range effects {
			switch e.Kind {
			case feedback.AlertManager:
				h.printf("    → alert level %d: %s\n", e.Level, e.Reason)
			case feedback.ScheduleCheck:
				h.printf("    → next check %s\n", h.fmtTime(e.At))
			}
		}
	}
	return nil
}

// english writes targets, durations and time left as every closeloop
// example does ("72h elapsed", "5 working days on cn-office", "22h30m
// left", "37h left in working hours" when the clock counts business time).
var english = l10n.New(l10n.English)

// metricLine writes one clock of an SLA report, its name padded to width.
func (h *host) metricLine(m sla.MetricReport, width int) string {
	target := "no target"
	if m.HasTarget {
		target = english.Target(m.Target)
	}
	line := fmt.Sprintf("%-*s %-8s %-28s", width, m.Name, m.Status, target)
	if m.HasTarget && m.Status != sla.Pending {
		line += " due " + h.fmtTime(m.Deadline)
		if m.Status == sla.Running || m.Status == sla.Paused {
			line += ", " + english.Remaining(m)
		}
	}
	if !m.BreachedAt.IsZero() {
		line += " breached at " + h.fmtTime(m.BreachedAt)
	}
	return strings.TrimRight(line, " ")
}
