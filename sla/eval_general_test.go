package sla

import (
	"bufio"
	"encoding/json"
	"fmt"
	"math/rand/v2"
	"os"
	"reflect"
	"slices"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// triggersDoc exercises what the evaluation's shortcuts must leave alone:
// trigger pauses and resumes, resets, restarts on priority changes and
// reopens, pause limits, clocks that continue after the ticket's life,
// periodic updates met by events, and alerts after and before offsets.
const triggersDoc = `{"default_calendar":"office","policies":[{"name":"t","metrics":[
  {"name":"repair","kind":"custom","start":{"enter":["in_progress","assigned"]},"stop":{"event":["completed"],"enter":["resolved"]},
   "pause":{"event":["awaiting_inspection"]},"resume":{"event":["under_repair"]},"reset":{"reopen":true,"event":["second_visit"]},
   "targets":{"P0":{"unit":"elapsed","duration":"3h"},"*":{"unit":"business","duration":"6h"}},
   "pause_in":["waiting_customer"],"pause_limits":[{"state":"waiting_customer","max":{"unit":"elapsed","duration":"2h"},"chase_after":{"unit":"business","duration":"1h"}}],
   "on_priority_change":"restart","on_reopen":"restart","on_terminal":"continue",
   "warnings":[{"name":"w","after":{"unit":"elapsed","duration":"1h"}},{"name":"b","before":{"unit":"business","duration":"2h"}}],
   "escalations":[{"name":"e1","percent":100},{"name":"e2","after_deadline":{"unit":"working_days","days":1}}]},
  {"kind":"resolution","targets":{"*":{"unit":"working_days","days":2}},"pause":{"event":["customer_message"]},"resume":{"leave":["waiting_customer"]},
   "on_priority_change":"ignore","on_reopen":"keep"},
  {"name":"upd","kind":"periodic_update","targets":{"*":{"unit":"elapsed","duration":"90m"}},"met_by":{"event":["progress_update","followed_up"]},
   "pause_in":["waiting_third_party","escalated"]}]}]}`

// switchDoc moves tickets between two policies (EntryPolicy).
const switchDoc = `{"default_calendar":"office","policies":[
  {"name":"standard","metrics":[
    {"kind":"resolution","targets":{"*":{"unit":"business","duration":"16h"}},"warnings":[{"name":"half","percent":50}]},
    {"kind":"first_response","targets":{"*":{"unit":"elapsed","duration":"4h"}}}]},
  {"name":"gold","metrics":[
    {"kind":"resolution","targets":{"*":{"unit":"elapsed","duration":"6h"}}},
    {"name":"updates","kind":"periodic_update","targets":{"*":{"unit":"elapsed","duration":"2h"}}}]}]}`

// generalSets are the sets the shortcut property runs on, and switchAt is
// the index of the one whose timelines get policy switches.
func generalSets(t testing.TB) (sets []*PolicySet, switchAt int) {
	sets = incrementalSets(t)
	env := testEnv(t)
	env.TerminalStates = []string{"closed", "merged", "rejected"}
	for _, doc := range []string{switchDoc, triggersDoc} {
		s, err := ParsePolicySet([]byte(doc), env)
		require.NoError(t, err)
		sets = append(sets, s)
	}
	return sets, len(sets) - 2
}

// randomCase builds a random ticket for set i of generalSets: a fuzz
// timeline with observed entries, policy switches (on the switch set),
// and now and then instants in UTC, with sub-second parts, years away
// (outside the calendars) or a late now.
func randomCase(rng *rand.Rand, i, nSets, switchAt int) (Attributes, []Entry, time.Time, Options) {
	data := make([]byte, 2+4*(1+rng.IntN(40))+2)
	for j := range data {
		data[j] = byte(rng.Uint32())
	}
	a, tl, now := fuzzTimeline(data, DefaultStates())
	si := i % nSets
	opt := Options{}
	if i%3 == 0 {
		opt.Calendar = "business"
	}
	if si == switchAt {
		opt.Policy = "standard"
	}
	var out []Entry
	for _, e := range tl {
		if rng.IntN(6) == 0 {
			out = append(out, Entry{At: e.At, Kind: EntryObserved})
		}
		out = append(out, e)
		if si == switchAt && rng.IntN(10) == 0 {
			out = append(out, Entry{At: e.At, Kind: EntryPolicy, Policy: []string{"gold", "standard"}[rng.IntN(2)], Version: 1})
		}
		if rng.IntN(8) == 0 {
			out = append(out, Entry{At: e.At.Add(time.Duration(rng.IntN(3600)) * time.Second), Kind: EntryObserved})
		}
	}
	tl = out
	if len(tl) > 0 && tl[len(tl)-1].At.After(now) {
		now = tl[len(tl)-1].At
	}
	switch rng.IntN(12) {
	case 0:
		for k := range tl {
			tl[k].At = tl[k].At.In(time.UTC)
		}
	case 1:
		shift := time.Duration(rng.IntN(400)) * 365 * 24 * time.Hour
		if rng.IntN(2) == 0 {
			shift = -shift
		}
		for k := range tl {
			tl[k].At = tl[k].At.Add(shift)
			if !tl[k].Deadline.IsZero() {
				tl[k].Deadline = tl[k].Deadline.Add(shift)
			}
		}
		now = now.Add(shift)
	case 2:
		now = now.Add(time.Duration(rng.IntN(1000000)) * time.Second)
	case 3:
		for k := range tl {
			tl[k].At = tl[k].At.Add(time.Duration(rng.IntN(1000)) * time.Millisecond * time.Duration(k+1) / time.Duration(len(tl)+1))
		}
	}
	return a, tl, now, opt
}

// evalDump evaluates (in full, and resuming from a checkpoint taken at a
// random cut) and describes the report exactly: every exported field,
// instants with their locations.
func evalDump(rng *rand.Rand, s *PolicySet, a Attributes, tl []Entry, now time.Time, opt Options) string {
	var sb strings.Builder
	var r Report
	err := s.EvaluateInto(&r, a, tl, now, opt)
	fmt.Fprintf(&sb, "err=%v ", err)
	if err != nil {
		return sb.String()
	}
	dumpValue(&sb, reflect.ValueOf(r))
	if len(tl) > 2 {
		k := 1 + rng.IntN(len(tl)-1)
		var cp Checkpoint
		var r2 Report
		if err := s.EvaluateFrom(&r2, nil, &cp, a, tl[:k], tl[k-1].At, opt); err != nil {
			fmt.Fprintf(&sb, " prefix: %v", err)
		} else if err := s.EvaluateFrom(&r2, &cp, nil, a, tl, now, opt); err != nil {
			fmt.Fprintf(&sb, " resumed: %v", err)
		} else {
			sb.WriteString(" resumed: ")
			dumpValue(&sb, reflect.ValueOf(r2))
		}
	}
	return sb.String()
}

func dumpValue(sb *strings.Builder, v reflect.Value) {
	if v.Type() == reflect.TypeOf(time.Time{}) {
		t := v.Interface().(time.Time)
		fmt.Fprintf(sb, "%s@%s", t.Format(time.RFC3339Nano), t.Location())
		return
	}
	switch v.Kind() {
	case reflect.Struct:
		sb.WriteString("{")
		for i := 0; i < v.NumField(); i++ {
			if !v.Type().Field(i).IsExported() {
				continue
			}
			sb.WriteString(v.Type().Field(i).Name + ":")
			dumpValue(sb, v.Field(i))
			sb.WriteString(" ")
		}
		sb.WriteString("}")
	case reflect.Slice, reflect.Array:
		sb.WriteString("[")
		for i := 0; i < v.Len(); i++ {
			dumpValue(sb, v.Index(i))
			sb.WriteString(",")
		}
		sb.WriteString("]")
	case reflect.Pointer:
		if v.IsNil() {
			sb.WriteString("nil")
		} else {
			dumpValue(sb, v.Elem())
		}
	default:
		fmt.Fprintf(sb, "%v", v.Interface())
	}
}

// TestEvaluateShortcuts: the evaluation's shortcuts (entries that cannot
// change a metric skipped, thresholds reused, calendar positions found
// within the last day, instants subtracted and audit runs merged by Unix
// seconds) give exactly the reports of the general path, on random
// timelines over the presets and the test documents, in full and resumed
// from checkpoints.
func TestEvaluateShortcuts(t *testing.T) {
	sets, switchAt := generalSets(t)
	general := make([]*PolicySet, len(sets))
	for i, s := range sets {
		g := *s
		g.general = true
		general[i] = &g
	}
	n := 20000
	if !fullSize() {
		n = 2000
	}
	rng := rand.New(rand.NewPCG(11, 12))
	for i := range n {
		a, tl, now, opt := randomCase(rng, i, len(sets), switchAt)
		seed := rng.Uint64()
		si := i % len(sets)
		fast := evalDump(rand.New(rand.NewPCG(seed, 1)), sets[si], a, tl, now, opt)
		slow := evalDump(rand.New(rand.NewPCG(seed, 1)), general[si], a, tl, now, opt)
		if fast != slow {
			t.Fatalf("case %d (set %d): shortcuts differ from the general path\nfast: %s\ngeneral: %s", i, si, fast, slow)
		}
	}
}

// TestEvaluateDump writes the reports of random timelines to the file
// named by SLA_DUMP, one line each, to compare two revisions of the
// package (SLA_DUMP_N cases, 20,000 by default); skipped otherwise.
func TestEvaluateDump(t *testing.T) {
	path := os.Getenv("SLA_DUMP")
	if path == "" {
		t.Skip("SLA_DUMP not set")
	}
	n := 20000
	if v := os.Getenv("SLA_DUMP_N"); v != "" {
		fmt.Sscan(v, &n)
	}
	f, err := os.Create(path)
	require.NoError(t, err)
	defer f.Close()
	w := bufio.NewWriter(f)
	defer w.Flush()
	sets, switchAt := generalSets(t)
	rng := rand.New(rand.NewPCG(11, 12))
	for i := range n {
		a, tl, now, opt := randomCase(rng, i, len(sets), switchAt)
		fmt.Fprintf(w, "%d set %d %s\n", i, i%len(sets), evalDump(rand.New(rand.NewPCG(rng.Uint64(), 1)), sets[i%len(sets)], a, tl, now, opt))
	}
}

// TestCalPosAgainstCalendar: the position cache answers as the calendar
// does, on walks through random calendars that stay within a day, move
// to the next days or back to earlier ones, jump, and leave the supported
// range.
func TestCalPosAgainstCalendar(t *testing.T) {
	rng := rand.New(rand.NewPCG(21, 22))
	n := 300
	if fullSize() {
		n = 2000
	}
	for i := range n {
		spec := randomSpec(rng)
		c, err := NewCalendar(spec)
		require.NoError(t, err)
		from, to := c.Range()
		cp := newCalPos(c, false)
		at := randomInstant(rng, c.Location())
		prev := at
		for step := range 60 {
			switch rng.IntN(10) {
			case 0, 1, 2:
				at = at.Add(time.Duration(rng.IntN(3*3600)) * time.Second)
			case 3:
				at = at.Add(time.Duration(rng.IntN(1e9)) + time.Duration(rng.IntN(48))*time.Hour)
			case 4:
				at = randomInstant(rng, c.Location())
			case 5:
				at = []time.Time{from, to, to.Add(-time.Nanosecond), from.Add(-time.Second), to.Add(time.Hour)}[rng.IntN(5)]
			case 6:
				at = prev // the other cached slot
			case 7:
				at = at.In(time.UTC)
			case 8:
				at = at.Add(-time.Duration(rng.IntN(1e9)) - time.Duration(rng.IntN(14*24))*time.Hour)
			case 9:
				at = at.Add(time.Duration(rng.IntN(14*24)) * time.Hour)
			}
			want, wantOK := c.posOf(at)
			got, ok := cp.at(at)
			require.Equal(t, wantOK, ok, "calendar %d step %d: %s", i, step, at)
			if ok {
				require.Equal(t, want, got, "calendar %d step %d: %s", i, step, at)
			}
			d, err := cp.between(prev, at)
			wd, werr := c.Between(prev, at)
			require.Equal(t, werr, err)
			require.Equal(t, wd, d)
			prev = at
		}
	}
}

// TestAddWorkingDaysPos: the position arithmetic the evaluation counts
// working-day targets and offsets with answers as AddWorkingDays and posOf
// do, errors included, on random calendars, instants and day counts
// (calendars with DST changes, extra working days and closures among them).
func TestAddWorkingDaysPos(t *testing.T) {
	rng := rand.New(rand.NewPCG(23, 24))
	n := 300
	if fullSize() {
		n = 3000
	}
	for i := range n {
		c, err := NewCalendar(randomSpec(rng))
		require.NoError(t, err)
		from, to := c.Range()
		for step := range 40 {
			at := randomInstant(rng, c.Location())
			if rng.IntN(10) == 0 {
				at = []time.Time{from, to, to.Add(-time.Nanosecond), from.Add(time.Nanosecond)}[rng.IntN(4)]
			}
			p, ok := c.posOf(at)
			if !ok {
				continue
			}
			days := rng.IntN(12) - 6
			if rng.IntN(20) == 0 {
				days *= 400 // out of the supported years
			}
			want, werr := c.AddWorkingDays(at, days)
			got, err := c.addWorkingDaysPos(p, days)
			require.Equal(t, werr, err, "calendar %d step %d: %s %+d", i, step, at, days)
			if werr == nil {
				wp, ok := c.posOf(want)
				require.True(t, ok)
				require.Equal(t, wp, got, "calendar %d step %d: %s %+d = %s", i, step, at, days, want)
			}
		}
	}
}

// TestEvaluateMonotonicInstants: instants with monotonic clock readings
// (a host passing time.Now and instants derived from it) give the report
// the same instants without them give, as JSON: the evaluation's paths for
// such readings (time.Time's comparisons and Sub) agree with its shortcuts
// by Unix seconds, ticket times included.
func TestEvaluateMonotonicInstants(t *testing.T) {
	sets, switchAt := generalSets(t)
	base := time.Now() // (a reading to derive the others from)
	wall := base.Round(0)
	mono := func(at time.Time) time.Time {
		if at.IsZero() {
			return at
		}
		return base.Add(at.Sub(wall))
	}
	n := 2000
	if fullSize() {
		n = 10000
	}
	rng := rand.New(rand.NewPCG(41, 42))
	tested := 0
	for i := range n {
		a, tl, now, opt := randomCase(rng, i, len(sets), switchAt)
		if d := now.Sub(wall); d < -50*365*24*time.Hour || d > 50*365*24*time.Hour {
			continue
		}
		plain := make([]Entry, len(tl))
		withMono := make([]Entry, len(tl))
		for k, e := range tl {
			m := e
			m.At, m.Deadline = mono(e.At), mono(e.Deadline)
			require.True(t, hasMono(m.At))
			withMono[k] = m
			e.At, e.Deadline = m.At.Round(0), m.Deadline.Round(0)
			plain[k] = e
		}
		s := sets[i%len(sets)]
		want, werr := s.Evaluate(a, plain, mono(now).Round(0), opt)
		got, err := s.Evaluate(a, withMono, mono(now), opt)
		require.Equal(t, werr == nil, err == nil, "case %d: %v / %v", i, werr, err)
		if werr != nil {
			continue
		}
		wj, _ := json.Marshal(want)
		gj, _ := json.Marshal(got)
		require.Equal(t, string(wj), string(gj), "case %d", i)
		tested++
	}
	require.Greater(t, tested, n/2)
}

// TestEvaluateManyEvents: a set whose triggers name more events than it
// numbers (maxEventIDs) has no masks and matches events by name; its
// reports are the general path's, and a set at the limit numbers them all.
func TestEvaluateManyEvents(t *testing.T) {
	build := func(n int) *PolicySet {
		names := make([]string, n)
		for i := range names {
			names[i] = fmt.Sprintf("%q", fmt.Sprintf("e%d", i))
		}
		doc := `{"default_calendar":"office","policies":[{"name":"many","metrics":[
		  {"name":"work","kind":"custom","start":{"event":[` + strings.Join(names[:n/2], ",") + `]},"stop":{"event":[` + strings.Join(names[n/2:], ",") + `],"enter":["resolved"]},
		   "targets":{"*":{"unit":"business","duration":"3h"}},"warnings":[{"name":"half","percent":50}]},
		  {"name":"upd","kind":"periodic_update","targets":{"*":{"unit":"elapsed","duration":"90m"}},"met_by":{"event":["e1","e` + fmt.Sprint(n-1) + `"]},
		   "pause_in":["waiting_customer"]}]}]}`
		s, err := ParsePolicySet([]byte(doc), testEnv(t))
		require.NoError(t, err)
		return s
	}
	atLimit, over := build(maxEventIDs), build(maxEventIDs+6)
	require.False(t, atLimit.manyEvents)
	require.Len(t, atLimit.events, maxEventIDs)
	require.True(t, atLimit.policies[0].masks)
	require.True(t, over.manyEvents)
	require.False(t, over.policies[0].masks)
	rng := rand.New(rand.NewPCG(51, 52))
	states := []string{"triaged", "in_progress", "waiting_customer", "resolved"}
	for _, s := range []*PolicySet{atLimit, over} {
		g := *s
		g.general = true
		for i := range 300 {
			at := mar(4, 8, 0)
			var tl []Entry
			for range 2 + rng.IntN(30) {
				at = at.Add(time.Duration(rng.IntN(180)) * time.Minute)
				switch rng.IntN(4) {
				case 0:
					tl = append(tl, st(at, states[rng.IntN(len(states))]))
				case 1:
					tl = append(tl, ev(at, "other"))
				default:
					tl = append(tl, ev(at, fmt.Sprintf("e%d", rng.IntN(maxEventIDs+6))))
				}
			}
			now := at.Add(time.Duration(rng.IntN(600)) * time.Minute)
			seed := rng.Uint64()
			fast := evalDump(rand.New(rand.NewPCG(seed, 1)), s, Attributes{}, tl, now, Options{})
			slow := evalDump(rand.New(rand.NewPCG(seed, 1)), &g, Attributes{}, tl, now, Options{})
			require.Equal(t, slow, fast, "case %d", i)
		}
	}
}

// TestEvaluateManyMetrics: a policy of more than 64 metrics has no masks
// and visits every metric at each entry (enterAll); its metrics report as
// they do in two policies of half of them each (a metric's clock does not
// depend on the others), and a policy of exactly 64 (masks) reports as the
// general path does.
func TestEvaluateManyMetrics(t *testing.T) {
	build := func(from, to int) *PolicySet {
		var ms []string
		for i := from; i < to; i++ {
			switch i % 4 {
			case 0:
				ms = append(ms, fmt.Sprintf(`{"name":"m%d","kind":"custom","start":{"event":["e%d"]},"stop":{"enter":["resolved"]},"targets":{"*":{"unit":"business","duration":"%dh"}},"warnings":[{"name":"half","percent":50}]}`, i, i%7, 1+i%5))
			case 1:
				ms = append(ms, fmt.Sprintf(`{"name":"m%d","kind":"periodic_update","targets":{"*":{"unit":"elapsed","duration":"%dm"}},"met_by":{"event":["e%d"]},"pause_in":["waiting_customer"]}`, i, 30+i, i%5))
			case 2:
				ms = append(ms, fmt.Sprintf(`{"name":"m%d","kind":"resolution","targets":{"P1":{"unit":"elapsed","duration":"2h"},"*":{"unit":"business","duration":"%dh"}},"pause_in":["waiting_customer"]}`, i, 2+i%9))
			default:
				ms = append(ms, fmt.Sprintf(`{"name":"m%d","kind":"first_response","targets":{"P0":{"unit":"elapsed","duration":"30m"},"*":{"unit":"elapsed","duration":"%dh"}}}`, i, 1+i%3))
			}
		}
		doc := `{"default_calendar":"office","policies":[{"name":"many","metrics":[` + strings.Join(ms, ",") + `]}]}`
		s, err := ParsePolicySet([]byte(doc), testEnv(t))
		require.NoError(t, err)
		return s
	}
	atLimit, over, half1, half2 := build(0, 64), build(0, 70), build(0, 35), build(35, 70)
	require.True(t, atLimit.policies[0].masks)
	require.False(t, over.policies[0].masks)
	g := *atLimit
	g.general = true
	rng := rand.New(rand.NewPCG(55, 56))
	states := []string{"triaged", "in_progress", "waiting_customer", "resolved"}
	var r, r1, r2 Report
	for i := range 40 {
		at := mar(4, 8, 0)
		var tl []Entry
		for range 2 + rng.IntN(30) {
			at = at.Add(time.Duration(rng.IntN(180)) * time.Minute)
			switch rng.IntN(5) {
			case 0:
				tl = append(tl, st(at, states[rng.IntN(len(states))]))
			case 1:
				tl = append(tl, pr(at, fmt.Sprintf("P%d", rng.IntN(3))))
			case 2:
				tl = append(tl, reopen(at, "triaged"))
			default:
				tl = append(tl, ev(at, fmt.Sprintf("e%d", rng.IntN(8))))
			}
		}
		now := at.Add(time.Duration(rng.IntN(600)) * time.Minute)
		seed := rng.Uint64()
		fast := evalDump(rand.New(rand.NewPCG(seed, 1)), atLimit, Attributes{}, tl, now, Options{})
		slow := evalDump(rand.New(rand.NewPCG(seed, 1)), &g, Attributes{}, tl, now, Options{})
		require.Equal(t, slow, fast, "case %d", i)
		require.NoError(t, over.EvaluateInto(&r, Attributes{}, tl, now, Options{}))
		require.NoError(t, half1.EvaluateInto(&r1, Attributes{}, tl, now, Options{}))
		require.NoError(t, half2.EvaluateInto(&r2, Attributes{}, tl, now, Options{}))
		require.Equal(t, append(slices.Clone(r1.Metrics), r2.Metrics...), r.Metrics, "case %d", i)
	}
}

// TestReportSub: Report.sub is time.Time.Sub, with and without monotonic
// readings, near the limits of Duration and of time.Time.
func TestReportSub(t *testing.T) {
	rng := rand.New(rand.NewPCG(31, 32))
	wall := time.Now().Round(0)
	mono := time.Now()
	far := []time.Time{
		time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC),
		time.Date(1677, 9, 21, 0, 12, 43, 145224192, time.UTC), time.Date(2262, 4, 11, 23, 47, 16, 854775807, time.UTC),
		time.Unix(1<<62, 0), time.Unix(-1<<62, 0), time.Unix(1<<63-1, 999999999), time.Unix(-1<<63, 0), {},
	}
	pick := func() time.Time {
		switch rng.IntN(4) {
		case 0:
			return far[rng.IntN(len(far))].Add(time.Duration(rng.Int64N(1<<40) - 1<<39))
		case 1:
			return wall.Add(time.Duration(rng.Int64()))
		case 2:
			return mono.Add(time.Duration(rng.Int64N(1 << 50)))
		}
		return time.Unix(rng.Int64N(1<<40)-1<<39, rng.Int64N(1e9)).In(shanghai)
	}
	for range 100000 {
		a, b := pick(), pick()
		r := Report{mono: hasMono(a) || hasMono(b)}
		require.Equal(t, a.Sub(b), r.sub(a, b), "%v - %v", a, b)
	}
}

// TestMergeAuditKeys: merging audit runs by Unix seconds and nanoseconds
// orders as merging by time.Time.Before does.
func TestMergeAuditKeys(t *testing.T) {
	rng := rand.New(rand.NewPCG(41, 42))
	base := mar(4, 9, 0)
	for range 2000 {
		var fast, slow Report
		n := 1 + rng.IntN(5)
		for i := range n {
			var run []AuditEvent
			at := base
			for j := range rng.IntN(12) {
				at = at.Add(time.Duration(rng.IntN(3)) * time.Duration([]int64{1, 1e9, 3600e9}[rng.IntN(3)]))
				if rng.IntN(4) == 0 {
					at = at.In(time.UTC)
				}
				run = append(run, AuditEvent{At: at, Metric: fmt.Sprint(i), Cycle: j})
			}
			fast.runs = append(fast.runs, run)
			slow.runs = append(slow.runs, run)
		}
		fast.sims, slow.sims = make([]sim, n), make([]sim, n)
		slow.mono = true
		fast.mergeAudit()
		slow.mergeAudit()
		require.Equal(t, slow.Audit, fast.Audit)
	}
}

// TestCheckpointCopies: a checkpoint's Clone and CopyTo stay independent
// of it (its audit included) and resume as it does.
func TestCheckpointCopies(t *testing.T) {
	sets, switchAt := generalSets(t)
	rng := rand.New(rand.NewPCG(61, 62))
	for i := range 600 {
		a, tl, now, opt := randomCase(rng, i, len(sets), switchAt)
		s := sets[i%len(sets)]
		if len(tl) < 3 {
			continue
		}
		var full Report
		if err := s.EvaluateInto(&full, a, tl, now, opt); err != nil {
			continue
		}
		k := 1 + rng.IntN(len(tl)-2)
		var cp, copied Checkpoint
		var r Report
		if err := s.EvaluateFrom(&r, nil, &cp, a, tl[:k], tl[k-1].At, opt); err != nil {
			t.Fatal(err)
		}
		cloned := cp.Clone()
		cp.CopyTo(&copied)
		// The original moves on (saving over itself) and is then reused
		// for another ticket; the copies do not change.
		if err := s.EvaluateFrom(&r, &cp, &cp, a, tl[:k+1], tl[k].At, opt); err != nil {
			t.Fatal(err)
		}
		a2, tl2, now2, opt2 := randomCase(rng, i, len(sets), switchAt)
		_ = s.EvaluateFrom(&r, nil, &cp, a2, tl2, now2, opt2)
		want := evalDumpReport(&full)
		for _, c := range []*Checkpoint{cloned, &copied} {
			var got Report
			require.NoError(t, s.EvaluateFrom(&got, c, nil, a, tl, now, opt))
			require.Equal(t, want, evalDumpReport(&got), "case %d cut %d", i, k)
		}
	}
}

func evalDumpReport(r *Report) string {
	var sb strings.Builder
	dumpValue(&sb, reflect.ValueOf(*r))
	return sb.String()
}

// TestEvaluateReusedReport: one report reused for tickets of every set,
// calendar and timeline in turn (it keeps what it learnt of calendars'
// positions from one evaluation to the next) gives the reports of a new
// one each time.
func TestEvaluateReusedReport(t *testing.T) {
	sets, switchAt := generalSets(t)
	n := 3000
	if fullSize() {
		n = 20000
	}
	rng := rand.New(rand.NewPCG(31, 32))
	var shared Report
	for i := range n {
		a, tl, now, opt := randomCase(rng, i, len(sets), switchAt)
		s := sets[rng.IntN(len(sets))]
		var fresh Report
		errFresh := s.EvaluateInto(&fresh, a, tl, now, opt)
		errShared := s.EvaluateInto(&shared, a, tl, now, opt)
		require.Equal(t, errFresh, errShared, "case %d", i)
		if errFresh != nil {
			continue
		}
		require.Equal(t, evalDumpReport(&fresh), evalDumpReport(&shared), "case %d", i)
	}
}

// TestCheckTimelineFast: checkTimeline without monotonic readings answers
// as checkTimelineMono (the loop that handles them), errors included, on
// random timelines with faults put in (entries out of order or after now,
// unknown states, unnamed events, bad priorities, moved deadlines that do
// not move, unknown kinds, policy switches, instants far apart, instants
// with monotonic readings), resumed from random entries.
func TestCheckTimelineFast(t *testing.T) {
	sets, switchAt := generalSets(t)
	n := 5000
	if fullSize() {
		n = 50000
	}
	rng := rand.New(rand.NewPCG(41, 42))
	var r1, r2 Report
	for i := range n {
		_, tl, now, _ := randomCase(rng, i, len(sets), switchAt)
		s := sets[rng.IntN(len(sets))]
		spoil(rng, tl)
		k0, prio, state, prevAt := 0, "", -1, time.Time{}
		if len(tl) > 0 && rng.IntN(3) == 0 {
			k0 = rng.IntN(len(tl))
			prio, state = []string{"", "P1"}[rng.IntN(2)], rng.IntN(len(s.states)+1)-1
			if k0 > 0 {
				prevAt = tl[k0-1].At
			}
		}
		times := TicketTimes{AgentWork: time.Hour}
		p1, s1, err1 := s.checkTimeline(&r1, k0, prio, state, prevAt, times, tl, now)
		n := len(tl) - k0
		if cap(r2.stIdx) < n {
			r2.stIdx = make([]int32, n)
		}
		r2.stIdx = r2.stIdx[:n]
		p2, s2, err2 := s.checkTimelineMono(&r2, k0, prio, state, prevAt, times, tl, now)
		require.Equal(t, err2, err1, "case %d", i)
		if err1 != nil {
			continue
		}
		require.Equal(t, p2, p1, "case %d", i)
		require.Equal(t, s2, s1, "case %d", i)
		require.Equal(t, r2.stIdx, r1.stIdx, "case %d", i)
		require.Equal(t, r2.times, r1.times, "case %d", i)
		require.Equal(t, r2.mono, r1.mono, "case %d", i)
		require.Equal(t, r2.switches, r1.switches, "case %d", i)
	}
}

// spoil puts up to two faults in timeline tl (or none): an entry out of
// order, an unknown state, an event without a name, an invalid priority, a
// moved deadline not after its entry, an unknown kind, a policy switch,
// an instant out of nanoKey's range, a reopen, monotonic readings.
func spoil(rng *rand.Rand, tl []Entry) {
	for range rng.IntN(3) {
		if len(tl) == 0 {
			break
		}
		e := &tl[rng.IntN(len(tl))]
		switch rng.IntN(11) {
		case 0:
			e.At = e.At.Add(-time.Duration(rng.IntN(7200)) * time.Second)
		case 1:
			e.Kind, e.State = EntryState, "no_such_state"
		case 2:
			e.Kind, e.Event = EntryEvent, ""
		case 3:
			e.Kind, e.Priority = EntryPriority, []string{"P10", "", "P3"}[rng.IntN(3)]
		case 4:
			e.Kind, e.Deadline = EntryDeadline, e.At.Add(time.Duration(rng.IntN(3)-1)*time.Hour)
		case 5:
			e.Kind = EntryKind(99)
		case 6:
			e.Kind, e.Policy, e.Version = EntryPolicy, "standard", rng.IntN(3)
		case 7:
			e.At = e.At.Add(time.Duration(rng.IntN(3)) * 200 * 365 * 24 * time.Hour)
		case 8:
			e.Kind, e.State = EntryReopen, []string{"", "triaged"}[rng.IntN(2)]
		case 9:
			e.At = withMono(e.At)
		case 10:
			e.Kind, e.Deadline = EntryDeadline, withMono(e.At.Add(time.Hour))
		}
	}
}

// TestEvaluateOnePass: the usual evaluation's one pass (runNew) answers
// only where the check before the replay (checkThenRun) does without an
// error, and then leaves what the rest of the evaluation reads as it does:
// the policy, the ticket's priority, state and times, the report's policy
// fields and audit trail so far, and the clocks (as a checkpoint saves
// them); on random timelines over the test sets, some with faults.
func TestEvaluateOnePass(t *testing.T) {
	sets, switchAt := generalSets(t)
	n := 5000
	if fullSize() {
		n = 50000
	}
	rng := rand.New(rand.NewPCG(51, 52))
	var r1, r2 Report
	var cp1, cp2 Checkpoint
	answered := 0
	for i := range n {
		a, tl, now, opt := randomCase(rng, i, len(sets), switchAt)
		s := sets[i%len(sets)]
		if rng.IntN(2) == 0 {
			spoil(rng, tl)
		}
		if rng.IntN(8) == 0 {
			a.Priority = []string{"P2", "P12"}[rng.IntN(2)]
		}
		cur1, cur2 := a, a
		r1.start(now)
		p1, st1, ok := s.runNew(&r1, &cur1, tl, now, &opt)
		p2, initial, from, prio, state, st2, err := s.checkThenRun(&r2, nil, a.Priority, &cur2, tl, now, &opt)
		if !ok {
			continue
		}
		answered++
		require.NoError(t, err, "case %d", i)
		require.NotNil(t, p2, "case %d", i)
		require.Nil(t, from, "case %d", i)
		require.Same(t, initial, p2, "case %d", i)
		require.Same(t, p2, p1, "case %d", i)
		require.Equal(t, st2, st1, "case %d", i)
		require.Equal(t, state, st1, "case %d", i)
		require.Equal(t, prio, cur1.Priority, "case %d", i)
		require.Equal(t, cur2, cur1, "case %d", i)
		require.Equal(t, r2.Priority, r1.Priority, "case %d", i)
		require.Equal(t, r2.State, r1.State, "case %d", i)
		require.Equal(t, r2.times, r1.times, "case %d", i)
		require.Equal(t, r2.mono, r1.mono, "case %d", i)
		require.Equal(t, r2.switches, r1.switches, "case %d", i)
		require.Equal(t, r2.comb, r1.comb, "case %d", i)
		require.Equal(t, r2.Policy, r1.Policy, "case %d", i)
		require.Equal(t, r2.Version, r1.Version, "case %d", i)
		require.Equal(t, r2.Fingerprint, r1.Fingerprint, "case %d", i)
		require.Equal(t, r2.Why, r1.Why, "case %d", i)
		require.Equal(t, r2.Entitlement, r1.Entitlement, "case %d", i)
		require.True(t, r2.EffectiveFrom.Equal(r1.EffectiveFrom), "case %d", i)
		s.save(&cp1, &r1, p1, p1, tl, cur1.Priority, st1, a.Priority, opt.Calendar)
		s.save(&cp2, &r2, p2, p2, tl, prio, state, a.Priority, opt.Calendar)
		require.Equal(t, cp2, cp1, "case %d", i)
	}
	require.Greater(t, answered, n/3)
}

// withMono returns instant t with a monotonic clock reading.
func withMono(t time.Time) time.Time {
	now := time.Now()
	return now.Add(t.Sub(now))
}

// TestTargetFor: metric.targetFor (sim.lookup) and targetAt (prioMask's
// look at a priority entry's target) answer as the targets indexed by
// priorityIndex do, for every metric of the test sets and priorities
// valid or not.
func TestTargetFor(t *testing.T) {
	sets, _ := generalSets(t)
	prios := []string{"", "*", "P", "P0", "P1", "P2", "P3", "P4", "P5", "P6", "P7", "P8", "P9", "P10", "p1", "Q1", "P:"}
	n := 0
	for _, s := range sets {
		for _, p := range s.policies {
			for i := range p.metrics {
				m := &p.metrics[i]
				for _, prio := range prios {
					want := m.targets[anyPriority]
					if i := priorityIndex(prio); i >= 0 && m.targets[i] != nil {
						want = m.targets[i]
					}
					require.Same(t, want, m.targetFor(prio), "%s %s %q", p.name, m.name, prio)
					if i := priorityIndex(prio); i >= 0 {
						require.Same(t, want, m.targetAt(i), "%s %s %q", p.name, m.name, prio)
					}
					n++
				}
			}
		}
	}
	require.NotZero(t, n)
}
