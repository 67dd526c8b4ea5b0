package feedback_test

import (
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"path/filepath"
	"runtime"
	"slices"
	"strconv"
	"sync"
	"sync/atomic"
	"testing"
	"time"

	"github.com/closeloop/closeloop/feedback"
	"github.com/closeloop/closeloop/sla"
	"github.com/stretchr/testify/require"
)

// The host-loop simulation is the proof that a host which does nothing but
// follow the effects never misses a deadline event. A simulated host wakes
// only at the instants the library returns (ScheduleCheck) and at the
// ticket's own events; a reference host evaluates the SLA every minute.
// Over random tickets (pauses, reopens, priority changes, delay requests,
// merges, host-set deadlines, re-rulings) under every preset and rules
// document in the repository, on China's calendar and in zones with DST,
// both must see the same warnings, breaches and escalations at the same
// instants, the simulated host must never see one twice, and it must never
// be told to wake at or before the instant it was told.
//
// Size: 10,000 tickets with CLOSELOOP_FULL=1 (CI); by default 40, and 24
// with -short or the race detector; CLOSELOOP_HOSTLOOP_TICKETS sets any
// other number. The reference is slow on purpose: every minute of every
// ticket's life is evaluated.
func TestHostLoopSimulation(t *testing.T) {
	n := 40
	if testing.Short() || raceEnabled {
		n = 24
	} else if fullSize() {
		n = 10_000
	}
	if s := os.Getenv("CLOSELOOP_HOSTLOOP_TICKETS"); s != "" {
		v, err := strconv.Atoi(s)
		require.NoError(t, err)
		n = v
	}
	worlds := hostLoopWorlds(t)
	start := time.Now()
	var next, alerts, checks atomic.Int64
	if s := os.Getenv("CLOSELOOP_HOSTLOOP_FROM"); s != "" {
		// Start at a failing ticket's number to rerun it alone.
		v, err := strconv.Atoi(s)
		require.NoError(t, err)
		next.Store(int64(v))
		n += v
	}
	var wg sync.WaitGroup
	var mu sync.Mutex
	var failure string
	for range runtime.GOMAXPROCS(0) {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for {
				i := next.Add(1) - 1
				if i >= int64(n) {
					return
				}
				mu.Lock()
				failed := failure != ""
				mu.Unlock()
				if failed {
					return
				}
				rng := rand.New(rand.NewPCG(uint64(i), 0x51ab))
				w := worlds[int(i)%len(worlds)]
				tk := genTicket(rng, w, fmt.Sprintf("T%06d", i))
				res, err := simulate(w, tk)
				if err != nil {
					mu.Lock()
					if failure == "" {
						failure = fmt.Sprintf("ticket %d under %s: %v\n%s", i, w.name, err, tk.describe())
					}
					mu.Unlock()
					return
				}
				alerts.Add(int64(res.alerts))
				checks.Add(int64(res.checks))
			}
		}()
	}
	wg.Wait()
	if failure != "" {
		t.Fatal(failure)
	}
	t.Logf("%d tickets over %d rules documents: %d alerts seen alike, %d scheduled checks, %s",
		n, len(worlds), alerts.Load(), checks.Load(), time.Since(start).Round(time.Millisecond))
}

// FuzzHostLoop drives the same comparison from fuzzed seeds.
func FuzzHostLoop(f *testing.F) {
	worlds := hostLoopWorlds(f)
	for i := range 8 {
		f.Add(uint64(i), uint8(i))
	}
	f.Fuzz(func(t *testing.T, seed uint64, world uint8) {
		w := worlds[int(world)%len(worlds)]
		tk := genTicket(rand.New(rand.NewPCG(seed, 0xf022)), w, "F1")
		if _, err := simulate(w, tk); err != nil {
			t.Fatalf("under %s: %v\n%s", w.name, err, tk.describe())
		}
	})
}

// world is one rules document with the calendars a ticket may be on.
type world struct {
	name      string
	rules     *feedback.Rules
	calendars []string
	zone      *time.Location
}

// hostLoopWorlds compiles every preset and rules document in the
// repository, each on China's office calendar and on calendars in zones
// with daylight saving time.
func hostLoopWorlds(t testing.TB) []*world {
	t.Helper()
	base, err := feedback.PresetRulesJSON()
	require.NoError(t, err)
	var doc map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(base, &doc))
	dstCalendars := `[
	  {"name": "ny-office", "time_zone": "America/New_York", "public_holidays": ["US"],
	   "week": {"mon": [["09:00","17:00"]], "tue": [["09:00","17:00"]], "wed": [["09:00","17:00"]], "thu": [["09:00","17:00"]], "fri": [["09:00","17:00"]]}},
	  {"name": "london-desk", "time_zone": "Europe/London",
	   "week": {"mon": [["00:30","02:30"],["08:00","20:00"]], "tue": [["08:00","20:00"]], "wed": [["08:00","20:00"]], "thu": [["08:00","20:00"]],
	            "fri": [["08:00","20:00"]], "sat": [["10:00","14:00"]], "sun": [["01:00","03:00"]]}},
	  {"name": "lord-howe", "time_zone": "Australia/Lord_Howe",
	   "week": {"mon": [["01:00","03:00"],["09:00","17:00"]], "tue": [["09:00","17:00"]], "wed": [["09:00","17:00"]], "thu": [["09:00","17:00"]], "fri": [["09:00","17:00"]],
	            "sun": [["01:30","02:30"]]}}]`
	var cals []json.RawMessage
	require.NoError(t, json.Unmarshal(doc["calendars"], &cals))
	var extra []json.RawMessage
	require.NoError(t, json.Unmarshal([]byte(dstCalendars), &extra))
	allCals, err := json.Marshal(append(cals, extra...))
	require.NoError(t, err)
	calNames := func(raw []byte) []string {
		var specs []struct {
			Name string `json:"name"`
		}
		require.NoError(t, json.Unmarshal(raw, &specs))
		var out []string
		for _, s := range specs {
			out = append(out, s.Name)
		}
		return out
	}
	var worlds []*world
	add := func(name string, d map[string]json.RawMessage, defCal string, zone string) {
		d = maps_clone(d)
		if defCal != "" {
			d["default_calendar"] = json.RawMessage(strconv.Quote(defCal))
		}
		data, err := json.Marshal(d)
		require.NoError(t, err)
		r, err := feedback.ParseRules(data)
		require.NoError(t, err, name)
		loc, err := time.LoadLocation(zone)
		require.NoError(t, err)
		worlds = append(worlds, &world{name: name, rules: r, calendars: calNames(d["calendars"]), zone: loc})
	}
	// The preset rules, and the preset with each SLA preset, on the CN
	// office calendar and on each DST calendar as the default.
	withCals := maps_clone(doc)
	withCals["calendars"] = allCals
	add("preset rules", doc, "", "Asia/Shanghai")
	defaults := []struct{ cal, zone string }{{"cn-office", "Asia/Shanghai"}, {"ny-office", "America/New_York"},
		{"london-desk", "Europe/London"}, {"lord-howe", "Australia/Lord_Howe"}}
	for _, name := range sla.PresetNames() {
		slaDoc, err := sla.PresetJSON(name)
		require.NoError(t, err)
		d := maps_clone(withCals)
		d["sla"] = slaDoc
		for _, dc := range defaults {
			add("sla preset "+name+" on "+dc.cal, d, dc.cal, dc.zone)
		}
	}
	// The scenario rules documents.
	files, err := filepath.Glob("../scenario/testdata/rules/*.json")
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		var d map[string]json.RawMessage
		require.NoError(t, json.Unmarshal(data, &d))
		add(filepath.Base(f), d, "", "Asia/Shanghai")
	}
	// The policy-check example's current and proposed policies.
	cal, err := os.ReadFile("../examples/policycheck/calendars.json")
	require.NoError(t, err)
	for _, f := range []string{"current.json", "proposed.json"} {
		data, err := os.ReadFile("../examples/policycheck/" + f)
		require.NoError(t, err)
		d := map[string]json.RawMessage{"version": json.RawMessage(`"policycheck"`), "calendars": cal, "sla": data}
		add("policycheck "+f, d, "", "Asia/Shanghai")
	}
	return worlds
}

func maps_clone(m map[string]json.RawMessage) map[string]json.RawMessage {
	out := make(map[string]json.RawMessage, len(m))
	for k, v := range m {
		out[k] = v
	}
	return out
}

// plannedTicket is an opening and the changes a host will try, in order.
type plannedTicket struct {
	opening feedback.Opening
	changes []feedback.Change // Version is filled in when fired
	horizon time.Time
}

func (p *plannedTicket) describe() string {
	s := fmt.Sprintf("open %s at %s on %q attrs %v\n", p.opening.ID, p.opening.At.Format(time.RFC3339), p.opening.Calendar, p.opening.Attributes)
	for _, c := range p.changes {
		payload, _ := json.Marshal(c.Payload)
		s += fmt.Sprintf("  %s %s %s\n", c.At.Format(time.RFC3339), c.Trigger, payload)
	}
	return s
}

var (
	genKinds = []string{"complaint", "complaint", "suggestion", "inquiry", ""}
	genTeams = []string{"technical_support", "service_supervisor", "product_manager"}
	genNodes = []string{"accepted", "awaiting_inspection", "under_repair", "completed"}
)

// genTicket plans a random ticket. The changes are chosen while walking
// the lifecycle with the rules (so most are accepted), at minute-aligned
// instants with gaps from none to a few days.
func genTicket(rng *rand.Rand, w *world, id string) *plannedTicket {
	year := 2024 + rng.IntN(3)
	open := time.Date(year, time.Month(1+rng.IntN(12)), 1+rng.IntN(28), rng.IntN(24), rng.IntN(60), 0, 0, w.zone)
	if rng.IntN(3) == 0 { // near a DST change
		_, end := open.ZoneBounds()
		if !end.IsZero() && end.Year() == year {
			open = end.Add(time.Duration(rng.IntN(6*60)-3*60) * time.Minute).Truncate(time.Minute)
		}
	}
	attrs := map[string]string{}
	if k := genKinds[rng.IntN(len(genKinds))]; k != "" {
		attrs["kind"] = k
	}
	if rng.IntN(4) == 0 {
		attrs["tags"] = "major_demand"
	}
	if rng.IntN(4) == 0 {
		attrs["tier"] = "vip"
	}
	o := feedback.Opening{ID: id, At: open, Actor: "agent", Customer: "C" + id, Channel: "phone", Attributes: attrs}
	if rng.IntN(2) == 0 {
		o.Calendar = w.calendars[rng.IntN(len(w.calendars))]
	}
	p := &plannedTicket{opening: o}
	tk, _, err := w.rules.Open(o)
	if err != nil {
		panic(err) // the plan is built from valid data
	}
	at := open
	steps := 3 + rng.IntN(14)
	for range steps {
		switch rng.IntN(10) {
		case 0:
		case 1, 2, 3:
			at = at.Add(time.Duration(1+rng.IntN(90)) * time.Minute)
		case 4, 5, 6:
			at = at.Add(time.Duration(1+rng.IntN(12*60)) * time.Minute)
		default:
			at = at.Add(time.Duration(1+rng.IntN(3*24*60)) * time.Minute)
		}
		trigs := w.rules.Triggers(tk)
		if len(trigs) == 0 {
			break
		}
		trig := trigs[rng.IntN(len(trigs))]
		if (trig == feedback.TriggerMerge || trig == feedback.TriggerReject) && rng.IntN(5) > 0 {
			trig = trigs[rng.IntN(len(trigs))] // ending early is rarer: clocks get to run
		}
		ch := feedback.Change{Trigger: trig, At: at, Actor: "agent", Payload: genPayload(rng, w, tk, trig, at)}
		ch.Version = tk.Version
		if _, err := w.rules.Fire(tk, ch); err != nil {
			continue // refused: the host would not record it either
		}
		ch.Version = 0
		p.changes = append(p.changes, ch)
	}
	p.horizon = at.Add(time.Duration(24+rng.IntN(48)) * time.Hour)
	return p
}

func genPayload(rng *rand.Rand, w *world, tk *feedback.Ticket, trig feedback.Trigger, at time.Time) feedback.Payload {
	switch trig {
	case feedback.TriggerTriage:
		p := feedback.Payload{Priority: "P" + strconv.Itoa(rng.IntN(4))}
		if rng.IntN(6) == 0 {
			p.Deadline = at.Add(time.Duration(1+rng.IntN(5*24)) * time.Hour)
		}
		return p
	case feedback.TriggerAssign:
		return feedback.Payload{Team: genTeams[rng.IntN(len(genTeams))]}
	case feedback.TriggerProgress:
		return feedback.Payload{Node: genNodes[rng.IntN(len(genNodes))]}
	case feedback.TriggerRecordFollowUp:
		score := 1 + rng.IntN(5)
		return feedback.Payload{FollowUp: &feedback.FollowUp{Resolved: rng.IntN(3) > 0, Score: score}}
	case feedback.TriggerMerge:
		return feedback.Payload{MergeInto: "T-other"}
	case feedback.TriggerReject:
		return feedback.Payload{Rejection: feedback.RejectSpam, Reason: "spam"}
	case feedback.TriggerRequestDelay:
		d, err := w.rules.Deadline(tk, at)
		if err != nil || d.IsZero() {
			d = at
		}
		return feedback.Payload{Delay: &feedback.TicketDelay{Reason: "parts", Plan: "later",
			NewDeadline: d.Add(time.Duration(1+rng.IntN(72)) * time.Hour)}}
	case feedback.TriggerChooseCompensation:
		return feedback.Payload{Compensation: &feedback.CompensationChoice{Option: "apology_letter"}}
	}
	// Everything else takes a note and a reason.
	return feedback.Payload{Note: "note", Reason: "reason"}
}

type simResult struct{ alerts, checks int }

// delivered is an alert as a host saw it: when it was told.
type delivered struct {
	at, told time.Time
}

// simulate runs the planned ticket through the effect-following host and
// the minute-by-minute reference host and compares what they saw.
func simulate(w *world, p *plannedTicket) (simResult, error) {
	r := w.rules
	var res simResult
	tk, out, err := r.Open(p.opening)
	if err != nil {
		return res, err
	}
	// Versions of the ticket after each event, for the reference host.
	versions := []*feedback.Ticket{tk.Clone()}
	seen := map[string]delivered{}
	var schedule time.Time
	take := func(effects []feedback.Effect, now time.Time) error {
		schedule = time.Time{}
		for _, e := range effects {
			switch e.Kind {
			case feedback.ScheduleCheck:
				if !e.At.After(now) {
					return fmt.Errorf("at %s: told to check again at %s, not after now", now, e.At)
				}
				schedule = e.At
			case feedback.SLAWarning, feedback.SLABreach, feedback.AlertManager:
				if e.Metric == "" {
					continue // an escalation state, not a clock
				}
				k := e.Key()
				if prev, dup := seen[k]; dup {
					return fmt.Errorf("alert %s told twice: at %s and at %s", k, prev.told, now)
				}
				seen[k] = delivered{at: e.At, told: now}
			}
		}
		return nil
	}
	if err := take(out.Effects, tk.Opened); err != nil {
		return res, err
	}
	last := tk.Opened
	changes := p.changes
	for {
		var nextEvent time.Time
		if len(changes) > 0 {
			nextEvent = changes[0].At.UTC()
		}
		switch {
		case !nextEvent.IsZero() && (schedule.IsZero() || !schedule.Before(nextEvent)):
			ch := changes[0]
			changes = changes[1:]
			ch.Version = tk.Version
			out, err := r.Fire(tk, ch)
			if err != nil {
				return res, fmt.Errorf("replaying %s at %s: %w", ch.Trigger, ch.At, err)
			}
			versions = append(versions, tk.Clone())
			if err := take(out.Effects, tk.Updated); err != nil {
				return res, err
			}
			last = tk.Updated
		case !schedule.IsZero() && !schedule.After(p.horizon):
			now := schedule
			effects, _, err := r.Check(tk, last, now)
			if err != nil {
				return res, fmt.Errorf("check at %s: %w", now, err)
			}
			res.checks++
			if err := take(effects, now); err != nil {
				return res, err
			}
			last = now
		default:
			goto reference
		}
	}
reference:
	// The reference host: every minute from the opening to the horizon, the
	// ticket as it was then, evaluated from scratch.
	ref := map[string]time.Time{}
	rep := new(sla.Report)
	v := 0
	for m := tk.Opened; !m.After(p.horizon); m = m.Add(time.Minute) {
		for v+1 < len(versions) && !versions[v+1].Updated.After(m) {
			v++
		}
		if err := r.SLAInto(rep, versions[v], m); err != nil {
			if err == feedback.ErrNoSLA {
				return res, nil
			}
			return res, fmt.Errorf("reference at %s: %w", m, err)
		}
		for _, a := range rep.Audit {
			var kind feedback.EffectKind
			switch a.Type {
			case sla.Warned:
				kind = feedback.SLAWarning
			case sla.BreachedDeadline:
				kind = feedback.SLABreach
			case sla.Escalated:
				kind = feedback.AlertManager
			default:
				continue
			}
			alert := a.Detail
			if a.Type == sla.BreachedDeadline {
				alert = ""
			}
			k := feedback.Effect{Kind: kind, Ticket: tk.ID, Metric: a.Metric, Cycle: a.Cycle, Alert: alert}.Key()
			if _, ok := ref[k]; !ok {
				ref[k] = m
			}
		}
	}
	var keys []string
	for k, m := range ref {
		keys = append(keys, k)
		d, ok := seen[k]
		if !ok {
			return res, fmt.Errorf("the reference host saw %s at %s; the effect-following host never did", k, m)
		}
		// Told when reached; or, when a triage or rerule applied another
		// policy whose clocks had passed a threshold already, told at that
		// change, which is also when the reference first sees it.
		if d.told.Before(d.at) || (!d.told.Equal(d.at) && !changedPolicyAt(versions, d.told)) {
			return res, fmt.Errorf("alert %s reached at %s was told at %s", k, d.at, d.told)
		}
		if want := ceilMinute(d.told); !want.Equal(m) {
			return res, fmt.Errorf("alert %s: reached at %s, told at %s, the reference first saw it at %s", k, d.at, d.told, m)
		}
	}
	for k, d := range seen {
		if d.at.After(p.horizon) {
			continue
		}
		if _, ok := ref[k]; !ok {
			return res, fmt.Errorf("the effect-following host was told %s at %s; the reference never saw it", k, d.told)
		}
	}
	slices.Sort(keys)
	res.alerts = len(keys)
	return res, nil
}

// changedPolicyAt reports whether an event at instant at moved the ticket
// to another SLA policy.
func changedPolicyAt(versions []*feedback.Ticket, at time.Time) bool {
	for i := 1; i < len(versions); i++ {
		if versions[i].Updated.Equal(at) {
			a, b := versions[i-1].SLAPolicy, versions[i].SLAPolicy
			if (a == nil) != (b == nil) || (a != nil && *a != *b) {
				return true
			}
		}
	}
	return false
}

func ceilMinute(t time.Time) time.Time {
	m := t.Truncate(time.Minute)
	if m.Before(t) {
		m = m.Add(time.Minute)
	}
	return m
}
