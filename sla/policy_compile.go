package sla

import (
	"fmt"
	"math"
	"slices"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/closeloop/closeloop"
	"github.com/closeloop/closeloop/internal/rulesjson"
)

// PolicySet is a compiled, immutable set of SLA policies, safe for concurrent use.
type PolicySet struct {
	name     string
	states   []string
	stateIdx map[string]int
	stateTab nameTab   // the states by name (see stateIndex)
	timeCat  [64]uint8 // by state: where the ticket's time in it counts (timeCategory)
	// The events the metrics' triggers name (at most maxEventIDs; beyond
	// that, manyEvents and no policy has masks), found by name in eventTab.
	events     []string
	eventTab   nameTab
	manyEvents bool
	terminal   uint64 // bits of PolicyEnv.TerminalStates
	pending    uint64 // bits of PolicyEnv.PendingStates
	onHold     uint64 // bits of PolicyEnv.OnHoldStates
	solved     uint64 // bits of PolicyEnv.SolvedStates
	ents       []entitlement
	policies   []*policy
	maxAlert   int // most alerts of any policy's metrics together
	calendars  *Calendars
	cals       []policyCal // the distinct counting calendars of every policy's metrics
	// general turns Evaluate's shortcuts off (tests compare both paths):
	// inert entries, reused thresholds, positions within the last day,
	// subtraction and merging by Unix seconds.
	general bool
}

// PolicyInfo describes one compiled policy version.
type PolicyInfo struct {
	Name          string
	Version       int
	EffectiveFrom time.Time // zero: always in force
	Description   string
	Metrics       []string // metric names in order
	// Fingerprint identifies the version's content (see [PolicyPin]).
	Fingerprint string
}

type policy struct {
	name    string
	version int
	fp      string // content fingerprint
	from    time.Time
	next    *policy // next version of the same name, nil if latest
	desc    string
	all     []cond
	any     []cond
	metrics []metric
	alerts  int
	// With masks (at most 64 metrics and the set's events numbered), bit
	// i of evMask[id] says metric i names event id in a trigger, and bit i
	// of stMask[state] that a trigger, pause or terminal state of metric i
	// is that state: an entry sets no bit of a metric it cannot change
	// (see sim.inert), which the evaluation then skips.
	masks  bool
	evMask []uint64
	stMask []uint64

	// The instants the policy is in force from and until (the next
	// version's from; none for the latest), as Unix seconds and
	// nanoseconds (see inForceAt).
	fromSec, untilSec   int64
	fromNsec, untilNsec int32
}

// entitlement is a compiled EntitlementSpec.
type entitlement struct {
	name         string
	attr         string
	values       []string
	from, until  time.Time // zero: unbounded
	policy       string
	calendarName string
}

func (e *entitlement) validAt(t time.Time) bool {
	return (e.from.IsZero() || !t.Before(e.from)) && (e.until.IsZero() || t.Before(e.until))
}

func (e *entitlement) covers(a *Attributes) bool {
	v, ok := a.Attrs[e.attr]
	return ok && slices.Contains(e.values, v)
}

// policyCal is a calendar metrics count on; def marks the default calendar
// (a ticket's calendar replaces it), kept apart from the same calendar
// named explicitly.
type policyCal struct {
	cal *Calendar
	def bool
}

type fieldKind uint8

const (
	fKind fieldKind = iota + 1
	fCategory
	fPriority
	fChannel
	fTier
	fTags
	fAttr
)

type opKind uint8

const (
	opEq opKind = iota + 1
	opNe
	opIn
	opNotIn
	opContains
	opHasTag
	opExists
	opNotExists
	opAtLeast
	opAtMost
)

var opNames = map[string]opKind{
	"eq": opEq, "ne": opNe, "in": opIn, "not_in": opNotIn, "contains": opContains,
	"has_tag": opHasTag, "exists": opExists, "not_exists": opNotExists,
	"at_least": opAtLeast, "at_most": opAtMost,
}

type cond struct {
	field  fieldKind
	attr   string
	op     opKind
	values []string
	desc   string
}

type trigger struct {
	open, reopen bool
	enter, leave uint64
	events       []string
	evBits       uint64 // the events' numbers (PolicySet.eventIndex), bit by bit
}

type recalc uint8

const (
	recalcKeep recalc = iota + 1
	recalcRestart
	recalcIgnore
)

type ctarget struct {
	pub   Target
	cal   *Calendar // nil for Elapsed
	def   bool      // counts on the default calendar (a ticket's calendar replaces it)
	scale int       // index into sim.counts: 0 wall time, i > 0 PolicySet.cals[i-1]
	fixed *fixedThresholds

	// pct: for a duration (elapsed or business time) when some of the
	// metric's alerts are offsets, the thresholds of its percentage alerts
	// and its deadline, the same from any start (see sim.thresholds).
	pct *fixedThresholds
}

// fixedThresholds are the thresholds of a metric's target that is a
// duration (elapsed or business time) when all the metric's alerts are
// percentages: the same from any start and on any calendar, so compiled
// once (see sim.retarget) instead of at every cycle.
type fixedThresholds struct {
	thr   []threshold // in order (sortThresholds)
	total time.Duration
}

type alertMode uint8

const (
	alertPercent alertMode = iota + 1
	alertBefore
	alertAfter
	alertAfterDeadline
)

type calert struct {
	name       string
	escalation bool
	mode       alertMode
	percent    float64
	off        ctarget

	// The escalation's level (1 for the metric's first escalation), 0
	// for a warning: the audit's level when it is reached.
	level int
}

// pauseLimit is a compiled PauseLimitSpec.
type pauseLimit struct {
	state                   int
	max, chase, autoClose   ctarget
	hasMax, hasChase, hasAC bool
}

type metric struct {
	name                              string
	kind                              MetricKind
	targets                           [anyPriority + 1]*ctarget // P0..P9, then "*"
	start, stop, reset, pause, resume trigger
	metBy                             trigger
	hasPause, hasResume, hasReset     bool
	pauseIn                           uint64
	limits                            []pauseLimit
	alerts                            []calert // warnings first, then escalations in level order
	onPriority, onReopen              recalc
	continueAfterEnd                  bool // on_terminal "continue"
	internal, tellCustomer            bool
	team                              string
	scales                            []*Calendar // distinct calendars of the targets
	scaleDef                          []bool      // scales[i] is the default calendar
	scaleCal                          []int       // scales[i] is PolicySet.cals[scaleCal[i]]
	// The events any trigger names and the states any trigger or pause
	// names: an entry touching none of them (after the first) changes
	// nothing but the clock (see sim.inert).
	relEvents []string
	relStates uint64
	// offsetAlerts: some alert is an offset (not a percentage) of the
	// target, so its threshold takes calendar arithmetic.
	offsetAlerts bool

	// What an entry does to the metric (act bits), compiled from its
	// triggers by compileActions so that an entry looks its actions up
	// instead of asking each trigger (see sim.acts): by event number
	// (PolicySet.eventIndex); by state, the triggers that enter it (low
	// byte) and leave it (high byte); at the opening and at a reopen.
	evAct              [maxEventIDs]uint8
	stAct              [64]uint16
	openAct, reopenAct uint8

	// What a state change from prev to cur does to the metric (act bits,
	// actEnd for a terminal state too), at trAct[transIndex(prev, cur)],
	// both -1 for none; 0 when they are the same state. Compiled with the
	// tables above (compileTransActs), so that sim.acts looks up an entry
	// of any kind but an event or a reopen, the first entry aside, without
	// actsAny's call.
	trAct []uint8
}

// transStride is the length of a row of metric.trAct: the states (at most
// 64) and none.
const transStride = 65

// transIndex is the index in metric.trAct of the change from state prev to
// state cur (-1 for none).
func transIndex(prev, cur int) int {
	return (prev+1)*transStride + cur + 1
}

// The actions of an entry on a metric: the triggers that fire, of those
// the metric acts on (reset, pause and resume only when it has them,
// met_by only for periodic_update), and actEnd, the ticket's life ends.
const (
	actStart uint8 = 1 << iota
	actStop
	actReset
	actPause
	actResume
	actMetBy
	actEnd
)

// actTriggers are the metric's triggers by action bit (nil for one the
// metric does not act on).
func (m *metric) actTriggers() [6]*trigger {
	t := [6]*trigger{&m.start, &m.stop, nil, nil, nil, nil}
	if m.hasReset {
		t[2] = &m.reset
	}
	if m.hasPause {
		t[3], t[4] = &m.pause, &m.resume
	}
	if m.kind == PeriodicUpdate {
		t[5] = &m.metBy
	}
	return t
}

// compileActions builds the metrics' tables of actions (after
// numberEvents: the event tables are by number).
func (s *PolicySet) compileActions() {
	for _, p := range s.policies {
		for i := range p.metrics {
			m := &p.metrics[i]
			m.evAct, m.stAct, m.openAct, m.reopenAct = [maxEventIDs]uint8{}, [64]uint16{}, 0, 0
			for b, t := range m.actTriggers() {
				if t == nil {
					continue
				}
				a := uint8(1) << uint(b)
				if t.open {
					m.openAct |= a
				}
				if t.reopen {
					m.reopenAct |= a
				}
				for id := range s.events {
					if t.evBits&(1<<uint(id)) != 0 {
						m.evAct[id] |= a
					}
				}
				for st := range s.states {
					if t.enter&bit(st) != 0 {
						m.stAct[st] |= uint16(a)
					}
					if t.leave&bit(st) != 0 {
						m.stAct[st] |= uint16(a) << 8
					}
				}
			}
		}
	}
	s.compileTransActs()
}

// compileTransActs builds the metrics' tables of state changes (trAct) from
// their tables by state: an enter trigger fires when the ticket enters one
// of its states from none of them, a leave trigger when it leaves them for
// none of them, and a terminal state ends the ticket's life (see
// sim.actsAny, which works it out per entry). Metrics with the same table
// by state (most versions of a metric) share one.
func (s *PolicySet) compileTransActs() {
	n := len(s.states)
	shared := map[[64]uint16][]uint8{}
	for _, p := range s.policies {
		for i := range p.metrics {
			m := &p.metrics[i]
			if t, ok := shared[m.stAct]; ok {
				m.trAct = t
				continue
			}
			m.trAct = make([]uint8, (n+1)*transStride)
			shared[m.stAct] = m.trAct
			for prev := -1; prev < n; prev++ {
				for cur := -1; cur < n; cur++ {
					if cur == prev {
						continue
					}
					c, pa := m.stAct[cur&63], uint16(0)
					if prev >= 0 {
						pa = m.stAct[prev&63]
					}
					a := uint8(c&^pa) | uint8((pa&^c)>>8)
					if s.terminal&bit(cur) != 0 {
						a |= actEnd
					}
					m.trAct[transIndex(prev, cur)] = a
				}
			}
		}
	}
}

// nameTab finds a state's index or an event's number by name (see
// PolicySet.stateIndex, eventIndex) without hashing the whole string: a
// timeline names a state or an event at most entries. It is open
// addressing by nameHash, whose multiplier build chooses so that the names
// sit in the slot they hash to where it can: a timeline's name then costs a
// hash and one comparison (find), and only a name of another slot, or one
// the set does not know, probes further (probe).
type nameTab struct {
	mul   uint32
	slots [128]nameSlot
}

// nameSlot is a name of a nameTab and its index; an empty slot has no name.
type nameSlot struct {
	name string
	v    int32
}

// nameHash is the slot of a non-empty name: from its length and its first,
// middle and last bytes, times mul.
func nameHash(name string, mul uint32) uint {
	n := uint(len(name))
	k := uint32(n) ^ uint32(name[0])<<8 ^ uint32(name[n/2])<<16 ^ uint32(name[n-1])<<24
	return uint(k*mul>>25) & 127
}

// find is the index of name in t. (The entry check writes its first slot
// out in its loop, probe being the slow path.)
func (t *nameTab) find(name string) (int, bool) {
	if name == "" {
		return 0, false
	}
	if sl := &t.slots[nameHash(name, t.mul)]; sl.name == name {
		return int(sl.v), true
	}
	return t.probe(name)
}

// probe is find for a name not in the slot it hashes to.
func (t *nameTab) probe(name string) (int, bool) {
	for h := nameHash(name, t.mul); ; h = (h + 1) & (uint(len(t.slots)) - 1) {
		sl := &t.slots[h]
		if sl.name == "" {
			return 0, false
		}
		if sl.name == name {
			return int(sl.v), true
		}
	}
}

// build makes t the table of names (distinct, non-empty, at most half its
// slots), each at its index. It tries a few multipliers and keeps the
// first that puts every name in the slot it hashes to, or else the one
// that puts the most there.
func (t *nameTab) build(names []string) {
	best, bestAt := -1, uint32(0)
	for i := range uint32(64) {
		mul := (0x9E3779B1 + i*0x3C6EF372) | 1
		var used [128]bool
		at := 0
		for _, name := range names {
			if h := nameHash(name, mul); !used[h] {
				used[h] = true
				at++
			}
		}
		if at > best {
			best, bestAt = at, mul
		}
		if at == len(names) {
			break
		}
	}
	*t = nameTab{mul: bestAt}
	for i, name := range names {
		h := nameHash(name, t.mul)
		for t.slots[h].name != "" {
			h = (h + 1) & (uint(len(t.slots)) - 1)
		}
		t.slots[h] = nameSlot{name: name, v: int32(i)}
	}
}

// stateIndex is s.stateIdx[name], from the state table.
func (s *PolicySet) stateIndex(name string) (int, bool) {
	return s.stateTab.find(name)
}

// eventIndex is the number the set gives event name (see PolicySet.events).
func (s *PolicySet) eventIndex(name string) (int, bool) {
	return s.eventTab.find(name)
}

// maxEventIDs is the most trigger events a set numbers for the policies'
// masks (the hash table stays at most half full).
const maxEventIDs = 64

// numberEvents numbers the events the metrics' triggers name and builds
// each policy's masks.
func (s *PolicySet) numberEvents() {
	for _, p := range s.policies {
		for i := range p.metrics {
			for _, ev := range p.metrics[i].relEvents {
				if ev == "" || slices.Contains(s.events, ev) {
					continue
				}
				if len(s.events) == maxEventIDs {
					s.manyEvents, s.events, s.eventTab = true, nil, nameTab{}
					return
				}
				s.events = append(s.events, ev)
			}
		}
	}
	s.eventTab.build(s.events)
	for _, p := range s.policies {
		for i := range p.metrics {
			m := &p.metrics[i]
			for _, t := range [...]*trigger{&m.start, &m.stop, &m.reset, &m.pause, &m.resume, &m.metBy} {
				t.evBits = 0
				for _, ev := range t.events {
					if id, ok := s.eventIndex(ev); ok {
						t.evBits |= 1 << uint(id)
					}
				}
			}
		}
		if len(p.metrics) > 64 {
			continue
		}
		p.masks = true
		p.evMask = make([]uint64, len(s.events))
		p.stMask = make([]uint64, len(s.states))
		for i := range p.metrics {
			m := &p.metrics[i]
			for _, ev := range m.relEvents {
				if id, ok := s.eventIndex(ev); ok {
					p.evMask[id] |= 1 << uint(i)
				}
			}
			rel := m.relStates | s.terminal
			for st := range s.states {
				if rel&bit(st) != 0 {
					p.stMask[st] |= 1 << uint(i)
				}
			}
		}
	}
}

// relevance fills m.relEvents and m.relStates.
func (m *metric) relevance() {
	m.relEvents, m.relStates = nil, m.pauseIn
	m.offsetAlerts = slices.ContainsFunc(m.alerts, func(a calert) bool { return a.mode != alertPercent })
	for _, t := range m.targets {
		if t != nil && t.pub.Unit != WorkingDays && m.offsetAlerts && t.pub.Duration > 0 && t.pct == nil {
			t.pct = percentThresholds(m, t.pub.Duration)
		}
		if t == nil || t.pub.Unit == WorkingDays || m.offsetAlerts || t.pub.Duration <= 0 || t.fixed != nil {
			continue
		}
		f := &fixedThresholds{total: t.pub.Duration}
		for i := range m.alerts {
			f.thr = append(f.thr, alertThreshold(&m.alerts[i], i, percentOf(f.total, m.alerts[i].percent)))
		}
		f.thr = append(f.thr, deadlineThreshold(f.total))
		sortThresholds(f.thr)
		t.fixed = f
	}
	for _, t := range [...]*trigger{&m.start, &m.stop, &m.reset, &m.pause, &m.resume, &m.metBy} {
		m.relStates |= t.enter | t.leave
		for _, ev := range t.events {
			if !slices.Contains(m.relEvents, ev) {
				m.relEvents = append(m.relEvents, ev)
			}
		}
	}
}

// percentThresholds are the thresholds of m's percentage alerts and its
// deadline for a target of total (see ctarget.pct), in order.
func percentThresholds(m *metric, total time.Duration) *fixedThresholds {
	f := &fixedThresholds{total: total}
	for i := range m.alerts {
		if a := &m.alerts[i]; a.mode == alertPercent {
			f.thr = append(f.thr, alertThreshold(a, i, percentOf(total, a.percent)))
		}
	}
	f.thr = append(f.thr, deadlineThreshold(total))
	sortThresholds(f.thr)
	return f
}

const maxAlerts = 15

// maxSetCalendars is the most distinct calendars (a default calendar and
// named ones) the metrics of a policy set count on.
const maxSetCalendars = 8

// anyPriority is the index of the "*" target, after P0..P9.
const anyPriority = closeloop.MaxLevels

var priorityKeys = [anyPriority + 1]string{"P0", "P1", "P2", "P3", "P4", "P5", "P6", "P7", "P8", "P9", "*"}

// priorityIndex maps "P0".."P9" (closeloop.Level) to 0..9 and anything
// else to -1.
func priorityIndex(p string) int {
	// LevelOf, not ParseLevel: this runs at every retarget, and an empty
	// priority must not build an error.
	if l, ok := closeloop.LevelOf(p); ok {
		return int(l)
	}
	return -1
}

// ParsePolicySet decodes a policy set from strict JSON (a [PolicySetSpec]) and
// compiles it against env. Errors are *[PathError] naming the JSON path.
func ParsePolicySet(data []byte, env PolicyEnv) (*PolicySet, error) {
	var spec PolicySetSpec
	if err := rulesjson.Decode(data, &spec); err != nil {
		return nil, err
	}
	return NewPolicySet(spec, env)
}

// NewPolicySet compiles a policy set given as Go values against env. Errors
// are *[PathError] naming the path the value would have in JSON.
func NewPolicySet(spec PolicySetSpec, env PolicyEnv) (*PolicySet, error) {
	c := compiler{env: env, spec: &spec}
	return c.compile()
}

type compiler struct {
	env    PolicyEnv
	spec   *PolicySetSpec
	set    *PolicySet
	defCal string
}

func (c *compiler) compile() (*PolicySet, error) {
	s := &PolicySet{name: c.spec.Name, stateIdx: make(map[string]int, len(c.env.States)), calendars: c.env.Calendars}
	c.set = s
	if len(c.env.States) > 64 {
		return nil, perr("$", ErrInvalidPolicy, "at most 64 states, got %d", len(c.env.States))
	}
	for i, st := range c.env.States {
		if st == "" {
			return nil, perr("$", ErrUnknownState, "state %d has an empty name", i)
		}
		if _, dup := s.stateIdx[st]; dup {
			return nil, perr("$", ErrInvalidPolicy, "state %q listed twice", st)
		}
		s.stateIdx[st] = i
		s.states = append(s.states, st)
	}
	s.stateTab.build(s.states)
	for _, st := range c.env.TerminalStates {
		i, ok := s.stateIdx[st]
		if !ok {
			return nil, perr("$", ErrUnknownState, "terminal state %q is not a state", st)
		}
		s.terminal |= 1 << uint(i)
	}
	for _, cls := range []struct {
		what  string
		given []string
		def   []string
		dst   *uint64
	}{
		{"pending", c.env.PendingStates, []string{"waiting_customer"}, &s.pending},
		{"on-hold", c.env.OnHoldStates, []string{"waiting_third_party"}, &s.onHold},
		{"solved", c.env.SolvedStates, []string{"resolved", "follow_up", "closed", "merged", "rejected"}, &s.solved},
	} {
		names, strict := cls.given, true
		if names == nil {
			names, strict = cls.def, false
		}
		for _, st := range names {
			i, ok := s.stateIdx[st]
			if !ok {
				if strict {
					return nil, perr("$", ErrUnknownState, "%s state %q is not a state", cls.what, st)
				}
				continue
			}
			*cls.dst |= 1 << uint(i)
		}
	}
	for i := range s.states {
		s.timeCat[i] = s.timeCategory(i)
	}
	c.defCal = c.spec.DefaultCalendar
	if c.env.DefaultCalendar != "" {
		c.defCal = c.env.DefaultCalendar
	}
	if c.defCal != "" {
		if _, ok := c.env.Calendars.Get(c.defCal); !ok {
			return nil, perr(rulesjson.Field("$", "default_calendar"), ErrUnknownCalendar, "%q (known: %v)", c.defCal, c.env.Calendars.Names())
		}
	}
	ppath := rulesjson.Field("$", "policies")
	if len(c.spec.Policies) == 0 {
		return nil, perr(ppath, ErrInvalidPolicy, "no policies")
	}
	type key struct {
		name    string
		version int
	}
	seen := map[key]int{}
	byName := map[string][]*policy{}
	specs, err := c.revisions(ppath)
	if err != nil {
		return nil, err
	}
	for i := range specs {
		path := rulesjson.Index(ppath, i)
		p, err := c.policy(path, &specs[i])
		if err != nil {
			return nil, err
		}
		if p.fp, err = c.fingerprint(&specs[i]); err != nil {
			return nil, perr(path, ErrInvalidPolicy, "%v", err)
		}
		k := key{p.name, p.version}
		if j, dup := seen[k]; dup {
			return nil, perr(rulesjson.Field(path, "name"), ErrDuplicatePolicy, "%q version %d is also policies[%d]", p.name, p.version, j)
		}
		seen[k] = i
		byName[p.name] = append(byName[p.name], p)
		s.policies = append(s.policies, p)
		if p.alerts > s.maxAlert {
			s.maxAlert = p.alerts
		}
	}
	s.numberEvents()
	s.compileActions()
	if err := c.entitlements(s, byName); err != nil {
		return nil, err
	}
	linked := make(map[string]bool, len(byName))
	for i, p := range s.policies {
		// Each name's versions are ordered once, at its first policy (the
		// path an error names).
		if linked[p.name] {
			continue
		}
		linked[p.name] = true
		vs := byName[p.name]
		sort.Slice(vs, func(a, b int) bool { return vs[a].version < vs[b].version })
		for j := 1; j < len(vs); j++ {
			if !vs[j].from.After(vs[j-1].from) {
				return nil, perr(rulesjson.Field(rulesjson.Index(ppath, i), "effective_from"), ErrDuplicatePolicy,
					"policy %q version %d must come into force after version %d", p.name, vs[j].version, vs[j-1].version)
			}
			vs[j-1].next = vs[j]
		}
	}
	for _, p := range s.policies {
		p.fromSec, p.fromNsec = p.from.Unix(), int32(p.from.Nanosecond())
		p.untilSec, p.untilNsec = math.MaxInt64, math.MaxInt32
		if p.next != nil {
			p.untilSec, p.untilNsec = p.next.from.Unix(), int32(p.next.from.Nanosecond())
		}
	}
	return s, nil
}

// entitlements compiles the set's entitlements.
func (c *compiler) entitlements(s *PolicySet, byName map[string][]*policy) error {
	epath := rulesjson.Field("$", "entitlements")
	seen := map[string]bool{}
	for i, es := range c.spec.Entitlements {
		path := rulesjson.Index(epath, i)
		e := entitlement{name: es.Name, attr: es.Attribute, policy: es.Policy, calendarName: es.Calendar}
		if strings.TrimSpace(es.Name) == "" {
			return perr(rulesjson.Field(path, "name"), ErrInvalidPolicy, "an entitlement needs a name")
		}
		if seen[es.Name] {
			return perr(rulesjson.Field(path, "name"), ErrInvalidPolicy, "entitlement %q listed twice", es.Name)
		}
		seen[es.Name] = true
		if e.attr == "" {
			e.attr = "org"
		}
		if len(es.Values) == 0 {
			return perr(rulesjson.Field(path, "values"), ErrInvalidPolicy, "entitlement %q covers no %s", es.Name, e.attr)
		}
		e.values = slices.Clone(es.Values)
		var err error
		if e.from, err = parseValidity(es.ValidFrom); err != nil {
			return perr(rulesjson.Field(path, "valid_from"), ErrInvalidPolicy, "%v", err)
		}
		if e.until, err = parseValidity(es.ValidUntil); err != nil {
			return perr(rulesjson.Field(path, "valid_until"), ErrInvalidPolicy, "%v", err)
		}
		if !e.from.IsZero() && !e.until.IsZero() && !e.until.After(e.from) {
			return perr(rulesjson.Field(path, "valid_until"), ErrInvalidPolicy, "entitlement %q ends before it starts", es.Name)
		}
		if len(byName[es.Policy]) == 0 {
			return perr(rulesjson.Field(path, "policy"), ErrNoPolicy, "entitlement %q names no policy of the set: %q", es.Name, es.Policy)
		}
		if es.Calendar != "" {
			cal, ok := c.env.Calendars.Get(es.Calendar)
			if !ok {
				return perr(rulesjson.Field(path, "calendar"), ErrUnknownCalendar, "%q (known: %v)", es.Calendar, c.env.Calendars.Names())
			}
			if cal.total <= 0 {
				return perr(rulesjson.Field(path, "calendar"), ErrNeverOpen, "calendar %q is never open", es.Calendar)
			}
		}
		s.ents = append(s.ents, e)
	}
	return nil
}

// parseValidity reads an RFC 3339 instant or a YYYY-MM-DD date (its start
// in UTC); empty is the zero time (unbounded).
func parseValidity(v string) (time.Time, error) {
	if v == "" {
		return time.Time{}, nil
	}
	if t, err := time.Parse(time.RFC3339, v); err == nil {
		return t, nil
	}
	t, err := time.Parse("2006-01-02", v)
	if err != nil {
		return time.Time{}, fmt.Errorf("%q is neither an RFC 3339 instant nor a YYYY-MM-DD date", v)
	}
	return t, nil
}

// revisions returns the set's policies with every revision ("based_on")
// resolved against its base version (see Revise). A base may itself be a
// revision; chains resolve in version order.
func (c *compiler) revisions(ppath string) ([]PolicySpec, error) {
	specs := c.spec.Policies
	hasRev := false
	for i := range specs {
		if specs[i].BasedOn != 0 || len(specs[i].RemoveMetrics) > 0 {
			hasRev = true
		}
	}
	if !hasRev {
		if err := countCompiled(specs, ppath, nil); err != nil {
			return nil, err
		}
		return specs, nil
	}
	type key struct {
		name    string
		version int
	}
	versions := make(map[key]int, len(specs)) // the first policy of each name and version
	for j := range specs {
		k := key{specs[j].Name, max(specs[j].Version, 1)}
		if _, ok := versions[k]; !ok {
			versions[k] = j
		}
	}
	if err := countCompiled(specs, ppath, func(ps *PolicySpec) int {
		j, ok := versions[key{ps.Name, ps.BasedOn}]
		if !ok {
			return -1
		}
		return j
	}); err != nil {
		return nil, err
	}
	out := make([]PolicySpec, len(specs))
	done := make([]bool, len(specs))
	var resolve func(i, depth int) error
	resolve = func(i, depth int) error {
		if done[i] {
			return nil
		}
		ps := &specs[i]
		path := rulesjson.Index(ppath, i)
		if ps.BasedOn == 0 {
			if len(ps.RemoveMetrics) > 0 {
				return perr(rulesjson.Field(path, "remove_metrics"), ErrInvalidPolicy, "remove_metrics needs based_on")
			}
			out[i], done[i] = *ps, true
			return nil
		}
		if depth > len(specs) {
			return perr(rulesjson.Field(path, "based_on"), ErrInvalidPolicy, "revisions of %q form a cycle", ps.Name)
		}
		base, ok := versions[key{ps.Name, ps.BasedOn}]
		if !ok || base == i {
			return perr(rulesjson.Field(path, "based_on"), ErrInvalidPolicy, "policy %q has no version %d to revise", ps.Name, ps.BasedOn)
		}
		if err := resolve(base, depth+1); err != nil {
			return err
		}
		rev, err := Revise(out[base], *ps)
		if err != nil {
			return perr(rulesjson.Field(path, "based_on"), ErrInvalidPolicy, "%v", err)
		}
		out[i], done[i] = rev, true
		return nil
	}
	for i := range specs {
		if err := resolve(i, 0); err != nil {
			return nil, err
		}
	}
	return out, nil
}

// countCompiled refuses a set whose versions compile to more than
// MaxCompiledMetrics metrics, before any is copied or compiled: a version
// counts its own metrics and, when it revises another (baseOf gives the
// base's index, or -1), all of its base's, as Revise may keep them all.
// Bases missing or in a cycle are left for the resolution to report.
func countCompiled(specs []PolicySpec, ppath string, baseOf func(*PolicySpec) int) error {
	n := make([]int, len(specs)) // metrics of version i; 0: not counted yet
	state := make([]uint8, len(specs))
	const counting, counted = 1, 2
	total := 0
	for i := range specs {
		// Walk down the chain of bases iteratively (a chain can be long),
		// then count back up.
		chain := []int{}
		for j := i; j >= 0 && state[j] != counted; {
			if state[j] == counting {
				break // a cycle: the resolution names it
			}
			state[j] = counting
			chain = append(chain, j)
			if baseOf == nil || specs[j].BasedOn == 0 {
				break
			}
			j = baseOf(&specs[j])
		}
		for k := len(chain) - 1; k >= 0; k-- {
			j := chain[k]
			c := len(specs[j].Metrics)
			if baseOf != nil && specs[j].BasedOn != 0 {
				if b := baseOf(&specs[j]); b >= 0 && b != j && state[b] == counted {
					c += n[b]
				}
			}
			if c > MaxCompiledMetrics {
				c = MaxCompiledMetrics + 1 // no overflow however long the chain
			}
			n[j], state[j] = c, counted
			if total += c; total > MaxCompiledMetrics {
				return limitErr(rulesjson.Index(ppath, j), "metrics compiled over every version of the set's policies, a revision counting those it inherits", MaxCompiledMetrics)
			}
		}
	}
	return nil
}

func (c *compiler) policy(path string, ps *PolicySpec) (*policy, error) {
	p := &policy{name: ps.Name, version: ps.Version, desc: ps.Description}
	if strings.TrimSpace(ps.Name) == "" {
		return nil, perr(rulesjson.Field(path, "name"), ErrInvalidPolicy, "a policy needs a name")
	}
	if p.version == 0 {
		p.version = 1
	}
	if p.version < 0 {
		return nil, perr(rulesjson.Field(path, "version"), ErrInvalidPolicy, "version %d is negative", ps.Version)
	}
	if ps.EffectiveFrom != "" {
		t, err := time.Parse(time.RFC3339, ps.EffectiveFrom)
		if err != nil {
			return nil, perr(rulesjson.Field(path, "effective_from"), ErrInvalidPolicy, "not an RFC 3339 instant: %q", ps.EffectiveFrom)
		}
		p.from = t
	}
	if ps.When != nil {
		wpath := rulesjson.Field(path, "when")
		var err error
		if p.all, err = c.conds(rulesjson.Field(wpath, "all"), ps.When.All); err != nil {
			return nil, err
		}
		if p.any, err = c.conds(rulesjson.Field(wpath, "any"), ps.When.Any); err != nil {
			return nil, err
		}
	}
	mpath := rulesjson.Field(path, "metrics")
	if len(ps.Metrics) == 0 {
		return nil, perr(mpath, ErrInvalidPolicy, "policy %q has no metrics", ps.Name)
	}
	names := map[string]bool{}
	for i := range ps.Metrics {
		m, err := c.metric(rulesjson.Index(mpath, i), &ps.Metrics[i])
		if err != nil {
			return nil, err
		}
		if names[m.name] {
			return nil, perr(rulesjson.Field(rulesjson.Index(mpath, i), "name"), ErrInvalidPolicy, "metric name %q used twice", m.name)
		}
		names[m.name] = true
		// Counted time is kept by calendar of the whole set, so that a
		// ticket moving to another policy keeps exact counted time on every
		// calendar the new policy's targets use.
		for j := range m.scales {
			pc := policyCal{m.scales[j], m.scaleDef[j]}
			k := slices.Index(c.set.cals, pc)
			if k < 0 {
				if len(c.set.cals) >= maxSetCalendars {
					return nil, perr(rulesjson.Index(mpath, i), ErrInvalidPolicy, "a policy set counts on at most %d distinct calendars", maxSetCalendars)
				}
				k = len(c.set.cals)
				c.set.cals = append(c.set.cals, pc)
			}
			m.scaleCal = append(m.scaleCal, k)
		}
		for _, t := range m.targets {
			if t != nil && t.cal != nil {
				t.scale = 1 + m.scaleCal[t.scale-1]
			}
		}
		m.relevance()
		p.metrics = append(p.metrics, m)
		p.alerts += len(m.alerts)
	}
	return p, nil
}

func (c *compiler) conds(path string, specs []ConditionSpec) ([]cond, error) {
	var out []cond
	for i, cs := range specs {
		cp := rulesjson.Index(path, i)
		var k cond
		switch {
		case cs.Field == "kind":
			k.field = fKind
		case cs.Field == "category":
			k.field = fCategory
		case cs.Field == "priority":
			k.field = fPriority
		case cs.Field == "channel":
			k.field = fChannel
		case cs.Field == "tier":
			k.field = fTier
		case cs.Field == "tags":
			k.field = fTags
		case strings.HasPrefix(cs.Field, "attr.") && len(cs.Field) > len("attr."):
			k.field, k.attr = fAttr, cs.Field[len("attr."):]
		default:
			return nil, perr(rulesjson.Field(cp, "field"), ErrInvalidPolicy, "unknown field %q", cs.Field)
		}
		op, ok := opNames[cs.Op]
		if !ok {
			return nil, perr(rulesjson.Field(cp, "op"), ErrInvalidPolicy, "unknown operator %q", cs.Op)
		}
		k.op = op
		switch op {
		case opEq, opNe, opContains, opHasTag, opAtLeast, opAtMost:
			if cs.Value == "" || len(cs.Values) > 0 {
				return nil, perr(rulesjson.Field(cp, "value"), ErrInvalidPolicy, "operator %s needs one non-empty value and no values", cs.Op)
			}
			k.values = []string{cs.Value}
		case opIn, opNotIn:
			if len(cs.Values) == 0 || cs.Value != "" {
				return nil, perr(rulesjson.Field(cp, "values"), ErrInvalidPolicy, "operator %s needs a non-empty values list and no value", cs.Op)
			}
			k.values = append([]string(nil), cs.Values...)
		case opExists, opNotExists:
			if cs.Value != "" || len(cs.Values) > 0 {
				return nil, perr(rulesjson.Field(cp, "value"), ErrInvalidPolicy, "operator %s takes no value", cs.Op)
			}
		}
		if k.field == fTags && (op == opEq || op == opNe || op == opAtLeast || op == opAtMost) {
			return nil, perr(rulesjson.Field(cp, "op"), ErrInvalidPolicy, "operator %s does not apply to tags", cs.Op)
		}
		if op == opHasTag && k.field != fTags {
			return nil, perr(rulesjson.Field(cp, "op"), ErrInvalidPolicy, "has_tag applies to tags only")
		}
		if op == opAtLeast || op == opAtMost {
			if k.field != fPriority {
				return nil, perr(rulesjson.Field(cp, "op"), ErrInvalidPolicy, "%s applies to priority only", cs.Op)
			}
			if priorityIndex(cs.Value) < 0 {
				return nil, perr(rulesjson.Field(cp, "value"), ErrInvalidPolicy, "priority %q is not P0..P9", cs.Value)
			}
		}
		switch {
		case len(k.values) == 0:
			k.desc = cs.Field + " " + cs.Op
		case op == opIn || op == opNotIn:
			q := make([]string, len(k.values))
			for j, v := range k.values {
				q[j] = strconv.Quote(v)
			}
			k.desc = cs.Field + " " + cs.Op + " [" + strings.Join(q, ", ") + "]"
		default:
			k.desc = cs.Field + " " + cs.Op + " " + strconv.Quote(k.values[0])
		}
		out = append(out, k)
	}
	return out, nil
}

func (c *compiler) states(path string, names []string) (uint64, error) {
	var m uint64
	for i, n := range names {
		idx, ok := c.set.stateIdx[n]
		if !ok {
			return 0, perr(rulesjson.Index(path, i), ErrUnknownState, "%q", n)
		}
		m |= 1 << uint(idx)
	}
	return m, nil
}

func (c *compiler) trigger(path string, ts *TriggerSpec) (trigger, error) {
	var t trigger
	var err error
	t.open, t.reopen = ts.Open, ts.Reopen
	if t.enter, err = c.states(rulesjson.Field(path, "enter"), ts.Enter); err != nil {
		return t, err
	}
	if t.leave, err = c.states(rulesjson.Field(path, "leave"), ts.Leave); err != nil {
		return t, err
	}
	for i, e := range ts.Event {
		if e == "" {
			return t, perr(rulesjson.Index(rulesjson.Field(path, "event"), i), ErrInvalidPolicy, "empty event name")
		}
	}
	t.events = append([]string(nil), ts.Event...)
	if !t.open && !t.reopen && t.enter == 0 && t.leave == 0 && len(t.events) == 0 {
		return t, perr(path, ErrInvalidPolicy, "trigger fires on nothing")
	}
	return t, nil
}

// defaultTrigger builds a default trigger from state names, skipping states
// the set does not know. ok is false when nothing is left.
func (c *compiler) defaultTrigger(open, reopen bool, enter, leave, events []string) (trigger, bool) {
	t := trigger{open: open, reopen: reopen, events: events}
	for _, n := range enter {
		if i, ok := c.set.stateIdx[n]; ok {
			t.enter |= 1 << uint(i)
		}
	}
	for _, n := range leave {
		if i, ok := c.set.stateIdx[n]; ok {
			t.leave |= 1 << uint(i)
		}
	}
	return t, t.open || t.reopen || t.enter != 0 || t.leave != 0 || len(t.events) > 0
}

var kindNames = map[string]MetricKind{
	"first_response": FirstResponse, "resolution": Resolution, "follow_up": FollowUp,
	"periodic_update": PeriodicUpdate, "time_in_stage": TimeInStage, "custom": Custom,
	"next_reply": NextReply,
}

func parseRecalc(path, s string, def recalc) (recalc, error) {
	switch s {
	case "":
		return def, nil
	case "keep":
		return recalcKeep, nil
	case "restart":
		return recalcRestart, nil
	case "ignore":
		return recalcIgnore, nil
	}
	return 0, perr(path, ErrInvalidPolicy, "recalculation %q is not keep, restart or ignore", s)
}

func (c *compiler) metric(path string, ms *MetricSpec) (metric, error) {
	var m metric
	kind, ok := kindNames[ms.Kind]
	if !ok {
		return m, perr(rulesjson.Field(path, "kind"), ErrUnknownMetric, "%q", ms.Kind)
	}
	m.kind = kind
	m.name = ms.Name
	if m.name == "" {
		m.name = ms.Kind
	}
	var err error
	// Targets.
	tpath := rulesjson.Field(path, "targets")
	if len(ms.Targets) == 0 {
		return m, perr(tpath, ErrInvalidPolicy, "metric %q has no targets", m.name)
	}
	keys := make([]string, 0, len(ms.Targets))
	for k := range ms.Targets {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	for _, k := range keys {
		idx := priorityIndex(k)
		if k == "*" {
			idx = anyPriority
		}
		if idx < 0 {
			return m, perr(rulesjson.Field(tpath, k), ErrInvalidPolicy, "target key %q is not P0..P9 or *", k)
		}
		ts := ms.Targets[k]
		t, err := c.target(rulesjson.Field(tpath, k), &ts)
		if err != nil {
			return m, err
		}
		m.targets[idx] = &t
	}
	for _, t := range m.targets {
		if t == nil || t.cal == nil {
			continue
		}
		for i := range m.scales {
			if m.scales[i] == t.cal && m.scaleDef[i] == t.def {
				t.scale = i + 1
			}
		}
		if t.scale == 0 {
			m.scales = append(m.scales, t.cal)
			m.scaleDef = append(m.scaleDef, t.def)
			t.scale = len(m.scales)
		}
	}
	// Triggers: defaults by kind, then overrides.
	var defReopen recalc = recalcIgnore
	switch kind {
	case FirstResponse:
		m.start, _ = c.defaultTrigger(true, false, nil, nil, nil)
		m.stop, _ = c.defaultTrigger(false, false, nil, nil, []string{EventResponded})
	case Resolution:
		m.start, _ = c.defaultTrigger(true, false, nil, nil, nil)
		if ms.Stop == nil {
			if m.stop, ok = c.defaultTrigger(false, false, []string{"resolved"}, nil, nil); !ok {
				return m, perr(rulesjson.Field(path, "stop"), ErrUnknownState, "the default stop state \"resolved\" is not a state; give stop explicitly")
			}
		}
		defReopen = recalcKeep
	case FollowUp:
		if ms.Start == nil {
			if m.start, ok = c.defaultTrigger(false, false, []string{"resolved"}, nil, nil); !ok {
				return m, perr(rulesjson.Field(path, "start"), ErrUnknownState, "the default start state \"resolved\" is not a state; give start explicitly")
			}
		}
		m.stop, _ = c.defaultTrigger(false, true, []string{"closed"}, nil, []string{EventFollowedUp})
	case PeriodicUpdate:
		m.start, _ = c.defaultTrigger(true, false, nil, nil, nil)
		if ms.Stop == nil {
			if m.stop, ok = c.defaultTrigger(false, false, []string{"resolved", "closed", "rejected", "merged"}, nil, nil); !ok {
				return m, perr(rulesjson.Field(path, "stop"), ErrUnknownState, "no default stop state (resolved, closed, rejected, merged) is a state; give stop explicitly")
			}
		}
		m.metBy, _ = c.defaultTrigger(false, false, nil, nil, []string{EventProgressUpdate})
		defReopen = recalcRestart
	case TimeInStage:
		spath := rulesjson.Field(path, "stage")
		if len(ms.Stage) == 0 {
			return m, perr(spath, ErrInvalidPolicy, "time_in_stage needs a stage")
		}
		stage, err := c.states(spath, ms.Stage)
		if err != nil {
			return m, err
		}
		m.start = trigger{enter: stage}
		m.stop = trigger{leave: stage}
	case NextReply:
		m.start, _ = c.defaultTrigger(false, false, nil, nil, []string{EventCustomerMessage})
		m.stop, _ = c.defaultTrigger(false, false, nil, nil, []string{EventResponded})
	case Custom:
		if ms.Start == nil {
			return m, perr(rulesjson.Field(path, "start"), ErrInvalidPolicy, "a custom metric needs a start trigger")
		}
		if ms.Stop == nil {
			return m, perr(rulesjson.Field(path, "stop"), ErrInvalidPolicy, "a custom metric needs a stop trigger")
		}
	}
	if kind != TimeInStage && len(ms.Stage) > 0 {
		return m, perr(rulesjson.Field(path, "stage"), ErrInvalidPolicy, "stage applies to time_in_stage metrics only")
	}
	if kind != PeriodicUpdate && ms.MetBy != nil {
		return m, perr(rulesjson.Field(path, "met_by"), ErrInvalidPolicy, "met_by applies to periodic_update metrics only")
	}
	over := []struct {
		name string
		spec *TriggerSpec
		dst  *trigger
		flag *bool
	}{
		{"start", ms.Start, &m.start, nil},
		{"stop", ms.Stop, &m.stop, nil},
		{"reset", ms.Reset, &m.reset, &m.hasReset},
		{"pause", ms.Pause, &m.pause, &m.hasPause},
		{"resume", ms.Resume, &m.resume, &m.hasResume},
		{"met_by", ms.MetBy, &m.metBy, nil},
	}
	for _, o := range over {
		if o.spec == nil {
			continue
		}
		if *o.dst, err = c.trigger(rulesjson.Field(path, o.name), o.spec); err != nil {
			return m, err
		}
		if o.flag != nil {
			*o.flag = true
		}
	}
	if m.hasPause != m.hasResume {
		return m, perr(rulesjson.Field(path, "resume"), ErrInvalidPolicy, "pause and resume triggers come together")
	}
	if m.pauseIn, err = c.states(rulesjson.Field(path, "pause_in"), ms.PauseIn); err != nil {
		return m, err
	}
	for i := range ms.PauseLimits {
		lp := rulesjson.Index(rulesjson.Field(path, "pause_limits"), i)
		ls := &ms.PauseLimits[i]
		idx, ok := c.set.stateIdx[ls.State]
		if !ok {
			return m, perr(rulesjson.Field(lp, "state"), ErrUnknownState, "%q", ls.State)
		}
		l := pauseLimit{state: idx}
		for _, o := range []struct {
			key  string
			spec *TargetSpec
			dst  *ctarget
			has  *bool
		}{{"max", ls.Max, &l.max, &l.hasMax}, {"chase_after", ls.ChaseAfter, &l.chase, &l.hasChase}, {"auto_close_after", ls.AutoCloseAfter, &l.autoClose, &l.hasAC}} {
			if o.spec == nil {
				continue
			}
			if *o.dst, err = c.target(rulesjson.Field(lp, o.key), o.spec); err != nil {
				return m, err
			}
			*o.has = true
		}
		if !l.hasMax && !l.hasChase && !l.hasAC {
			return m, perr(lp, ErrInvalidPolicy, "a pause limit needs max, chase_after or auto_close_after")
		}
		for _, other := range m.limits {
			if other.state == idx {
				return m, perr(rulesjson.Field(lp, "state"), ErrInvalidPolicy, "state %q limited twice", ls.State)
			}
		}
		m.limits = append(m.limits, l)
	}
	for _, key := range []string{m.name, ms.Kind} {
		for _, st := range c.env.PauseStates[key] {
			idx, ok := c.set.stateIdx[st]
			if !ok {
				return m, perr(path, ErrUnknownState, "%q in the host's pause states of %q", st, key)
			}
			m.pauseIn |= 1 << uint(idx)
		}
		if m.name == ms.Kind {
			break
		}
	}
	if m.onPriority, err = parseRecalc(rulesjson.Field(path, "on_priority_change"), ms.OnPriorityChange, recalcKeep); err != nil {
		return m, err
	}
	if m.onReopen, err = parseRecalc(rulesjson.Field(path, "on_reopen"), ms.OnReopen, defReopen); err != nil {
		return m, err
	}
	m.internal, m.team, m.tellCustomer = ms.Internal, ms.Team, ms.TellCustomerOnBreach
	if ms.Team != "" && !ms.Internal {
		return m, perr(rulesjson.Field(path, "team"), ErrInvalidPolicy, "team names the owner of an internal target; set internal")
	}
	if ms.Internal && ms.TellCustomerOnBreach {
		return m, perr(rulesjson.Field(path, "tell_customer_on_breach"), ErrInvalidPolicy, "an internal target is never shown to the customer")
	}
	switch ms.OnTerminal {
	case "", "cancel":
	case "continue":
		m.continueAfterEnd = true
	default:
		return m, perr(rulesjson.Field(path, "on_terminal"), ErrInvalidPolicy, "on_terminal %q is not cancel or continue", ms.OnTerminal)
	}
	// Alerts.
	if len(ms.Warnings)+len(ms.Escalations) > maxAlerts {
		return m, perr(rulesjson.Field(path, "warnings"), ErrInvalidPolicy, "at most %d warnings and escalations per metric", maxAlerts)
	}
	names := map[string]bool{}
	for _, grp := range []struct {
		key   string
		specs []AlertSpec
		esc   bool
	}{{"warnings", ms.Warnings, false}, {"escalations", ms.Escalations, true}} {
		for i := range grp.specs {
			a, err := c.alert(rulesjson.Index(rulesjson.Field(path, grp.key), i), &grp.specs[i], grp.esc, &m)
			if err != nil {
				return m, err
			}
			if names[a.name] {
				return m, perr(rulesjson.Field(rulesjson.Index(rulesjson.Field(path, grp.key), i), "name"), ErrInvalidPolicy, "alert name %q used twice", a.name)
			}
			names[a.name] = true
			if grp.esc && len(m.alerts) > 0 {
				if prev := &m.alerts[len(m.alerts)-1]; prev.escalation && escalatesBefore(&a, prev) {
					return m, perr(rulesjson.Index(rulesjson.Field(path, grp.key), i), ErrInvalidPolicy,
						"escalation level %q comes before the previous level %q", a.name, prev.name)
				}
			}
			if grp.esc {
				a.level = i + 1
			}
			m.alerts = append(m.alerts, a)
		}
	}
	return m, nil
}

// escalatesBefore reports whether a is certainly reached before b, when both
// are measured the same way (levels are listed in the order they are reached).
func escalatesBefore(a, b *calert) bool {
	if a.mode != b.mode {
		return false
	}
	switch a.mode {
	case alertPercent:
		return a.percent < b.percent
	case alertAfter, alertAfterDeadline:
		return sameScale(&a.off, &b.off) && targetSize(&a.off) < targetSize(&b.off)
	}
	return sameScale(&a.off, &b.off) && targetSize(&a.off) > targetSize(&b.off)
}

// parseDuration accepts time.ParseDuration syntax plus a whole number of days "3d".
func parseDuration(s string) (time.Duration, bool) {
	if n, ok := strings.CutSuffix(s, "d"); ok {
		d, err := strconv.Atoi(n)
		if err != nil || d > 100000 || d < -100000 {
			return 0, false
		}
		return time.Duration(d) * 24 * time.Hour, true
	}
	d, err := time.ParseDuration(s)
	return d, err == nil
}

const maxTargetDuration = 10 * 366 * 24 * time.Hour

func (c *compiler) target(path string, ts *TargetSpec) (ctarget, error) {
	return c.span(path, ts, false)
}

// span compiles a target, or with zeroOK an "after" offset, which may be
// zero: an alert reached the moment the clock starts ("notify at once").
func (c *compiler) span(path string, ts *TargetSpec, zeroOK bool) (ctarget, error) {
	var t ctarget
	switch ts.Unit {
	case "business":
		t.pub.Unit = Business
	case "elapsed":
		t.pub.Unit = Elapsed
	case "working_days":
		t.pub.Unit = WorkingDays
	default:
		return t, perr(rulesjson.Field(path, "unit"), ErrUnknownUnit, "%q (want business, elapsed or working_days)", ts.Unit)
	}
	if t.pub.Unit == WorkingDays {
		if ts.Duration != "" {
			return t, perr(rulesjson.Field(path, "duration"), ErrInvalidPolicy, "a working_days target takes days, not a duration")
		}
		if ts.Days <= 0 || ts.Days > 3660 {
			return t, perr(rulesjson.Field(path, "days"), ErrPolicyDuration, "days must be 1..3660, got %d", ts.Days)
		}
		t.pub.Days = ts.Days
	} else {
		if ts.Days != 0 {
			return t, perr(rulesjson.Field(path, "days"), ErrInvalidPolicy, "a %s target takes a duration, not days", ts.Unit)
		}
		d, ok := parseDuration(ts.Duration)
		if !ok {
			return t, perr(rulesjson.Field(path, "duration"), ErrPolicyDuration, "%q is not a duration", ts.Duration)
		}
		if (d <= 0 && !(zeroOK && d == 0)) || d > maxTargetDuration {
			return t, perr(rulesjson.Field(path, "duration"), ErrPolicyDuration, "%q must be positive and at most ten years", ts.Duration)
		}
		t.pub.Duration = d
	}
	if t.pub.Unit == Elapsed {
		if ts.Calendar != "" {
			return t, perr(rulesjson.Field(path, "calendar"), ErrInvalidPolicy, "an elapsed target has no calendar")
		}
		return t, nil
	}
	name := ts.Calendar
	if name == "" {
		name = c.defCal
		t.def = true
	}
	if name == "" {
		return t, perr(rulesjson.Field(path, "calendar"), ErrUnknownCalendar, "a %s target needs a calendar and the set has no default_calendar", ts.Unit)
	}
	cal, ok := c.env.Calendars.Get(name)
	if !ok {
		return t, perr(rulesjson.Field(path, "calendar"), ErrUnknownCalendar, "%q (known: %v)", name, c.env.Calendars.Names())
	}
	if cal.total <= 0 {
		return t, perr(rulesjson.Field(path, "calendar"), ErrNeverOpen, "calendar %q is never open in its supported years, so no deadline on it can be reached", name)
	}
	t.cal = cal
	t.pub.Calendar = name
	return t, nil
}

// comparable reports whether two targets count in the same units, so that
// their sizes can be compared without a ticket.
func sameScale(a, b *ctarget) bool {
	return a.pub.Unit == b.pub.Unit && a.pub.Calendar == b.pub.Calendar
}

func targetSize(t *ctarget) int64 {
	if t.pub.Unit == WorkingDays {
		return int64(t.pub.Days)
	}
	return int64(t.pub.Duration)
}

func (c *compiler) alert(path string, as *AlertSpec, esc bool, m *metric) (calert, error) {
	a := calert{name: as.Name, escalation: esc}
	if strings.TrimSpace(as.Name) == "" {
		return a, perr(rulesjson.Field(path, "name"), ErrInvalidPolicy, "an alert needs a name")
	}
	n := 0
	if as.Percent != 0 {
		n++
	}
	if as.Before != nil {
		n++
	}
	if as.After != nil {
		n++
	}
	if as.AfterDeadline != nil {
		n++
		if !esc {
			return a, perr(rulesjson.Field(path, "after_deadline"), ErrAlertOutOfTarget, "a warning comes before the deadline; after_deadline is for escalations")
		}
	}
	if n != 1 {
		return a, perr(path, ErrInvalidPolicy, "give exactly one of percent, before, after and after_deadline")
	}
	switch {
	case as.Percent != 0:
		a.mode, a.percent = alertPercent, as.Percent
		if math.IsNaN(as.Percent) || as.Percent < 0 || (!esc && as.Percent >= 100) || as.Percent > 1000 {
			return a, perr(rulesjson.Field(path, "percent"), ErrAlertOutOfTarget,
				"%v%% is outside (0, 100) for a warning, (0, 1000] for an escalation", as.Percent)
		}
	case as.Before != nil:
		a.mode = alertBefore
		off, err := c.target(rulesjson.Field(path, "before"), as.Before)
		if err != nil {
			return a, err
		}
		a.off = off
		for i, t := range m.targets {
			if t != nil && sameScale(t, &off) && targetSize(&off) >= targetSize(t) {
				return a, perr(rulesjson.Field(path, "before"), ErrAlertOutOfTarget,
					"%s before a %s target falls at or before the clock starts", fmtTarget(&off), priorityKeys[i])
			}
		}
	case as.AfterDeadline != nil:
		a.mode = alertAfterDeadline
		off, err := c.span(rulesjson.Field(path, "after_deadline"), as.AfterDeadline, true)
		if err != nil {
			return a, err
		}
		a.off = off
	case as.After != nil:
		a.mode = alertAfter
		off, err := c.span(rulesjson.Field(path, "after"), as.After, true)
		if err != nil {
			return a, err
		}
		a.off = off
		if !esc {
			for i, t := range m.targets {
				if t != nil && sameScale(t, &off) && targetSize(&off) >= targetSize(t) {
					return a, perr(rulesjson.Field(path, "after"), ErrAlertOutOfTarget,
						"warning %s after the start falls at or after its own deadline (%s target)", fmtTarget(&off), priorityKeys[i])
				}
			}
		}
	}
	return a, nil
}

func fmtTarget(t *ctarget) string {
	switch t.pub.Unit {
	case WorkingDays:
		return fmt.Sprintf("%d working days", t.pub.Days)
	case Business:
		return t.pub.Duration.String() + " business"
	}
	return t.pub.Duration.String()
}

// Name returns the set's name.
func (s *PolicySet) Name() string { return s.name }

// States returns a copy of the state names the set was compiled against.
func (s *PolicySet) States() []string { return append([]string(nil), s.states...) }

// Policies describes the compiled policies in order.
func (s *PolicySet) Policies() []PolicyInfo {
	out := make([]PolicyInfo, len(s.policies))
	for i, p := range s.policies {
		out[i] = PolicyInfo{Name: p.name, Version: p.version, EffectiveFrom: p.from, Description: p.desc, Fingerprint: p.fp}
		for _, m := range p.metrics {
			out[i].Metrics = append(out[i].Metrics, m.name)
		}
	}
	return out
}

func bit(i int) uint64 {
	if i < 0 {
		return 0
	}
	return 1 << uint(i)
}
