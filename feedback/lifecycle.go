package feedback

import (
	"context"
	"errors"
	"fmt"
	"regexp"
	"slices"
	"sort"
	"time"

	"github.com/qmuntal/stateless"
)

// State is the name of a lifecycle state ("received", "in_progress", or one a
// host adds, such as "awaiting_parts").
type State string

// Trigger is the name of something that happens to a ticket ("triage",
// "resolve", "record_follow_up", or one a host adds).
type Trigger string

// The states of the default lifecycle.
const (
	StateReceived          State = "received"
	StateTriaged           State = "triaged"
	StateAssigned          State = "assigned"
	StateInProgress        State = "in_progress"
	StateWaitingCustomer   State = "waiting_customer"
	StateWaitingThirdParty State = "waiting_third_party"
	StateEscalated         State = "escalated"
	StateResolved          State = "resolved"
	StateFollowUp          State = "follow_up"
	StateReopened          State = "reopened"
	StateClosed            State = "closed"
	StateMerged            State = "merged"
	StateRejected          State = "rejected"
)

// The triggers of the default lifecycle. TriggerOpen is reserved for the
// first event of every ticket and is never fired.
const (
	TriggerOpen               Trigger = "open"
	TriggerTriage             Trigger = "triage"
	TriggerAssign             Trigger = "assign"
	TriggerStart              Trigger = "start"
	TriggerProgress           Trigger = "progress"
	TriggerWaitCustomer       Trigger = "wait_customer"
	TriggerWaitThirdParty     Trigger = "wait_third_party"
	TriggerResume             Trigger = "resume"
	TriggerEscalate           Trigger = "escalate"
	TriggerResolve            Trigger = "resolve"
	TriggerFollowUp           Trigger = "follow_up"
	TriggerRecordFollowUp     Trigger = "record_follow_up"
	TriggerClose              Trigger = "close"
	TriggerMerge              Trigger = "merge"
	TriggerReject             Trigger = "reject"
	TriggerRequestDelay       Trigger = "request_delay"
	TriggerApproveDelay       Trigger = "approve_delay"
	TriggerRejectDelay        Trigger = "reject_delay"
	TriggerChooseCompensation Trigger = "choose_compensation"
	TriggerNote               Trigger = "note"
	TriggerRespond            Trigger = "respond"
	// TriggerRerule moves an open ticket to the SLA policy version that
	// matches it under the rules in hand (after a policy was edited in place,
	// or to follow a new version), recording why; see [Ticket.SLAPolicy].
	TriggerRerule Trigger = "rerule"
	// TriggerRecordVisit records a visit or call after resolution, such as
	// document 001's second visit within 30 days of a major complaint; a
	// closed ticket can still record it. It reports the SLA event
	// "second_visit".
	TriggerRecordVisit Trigger = "record_visit"
	// TriggerRequestTask asks another team for an internal task the ticket
	// needs ([Payload.Task]: a feasibility report, a root-cause analysis); it
	// reports the SLA event "<task>_requested", which starts the task's
	// internal clock. TriggerCompleteTask records the task done and reports
	// "<task>_done".
	TriggerRequestTask  Trigger = "request_task"
	TriggerCompleteTask Trigger = "complete_task"
	// TriggerCustomerMessage records a message from the customer (Note);
	// it reports the SLA event "customer_message", which starts a
	// next_reply clock that the next respond stops.
	TriggerCustomerMessage Trigger = "customer_message"
)

// StateSpec describes one state of a lifecycle.
type StateSpec struct {
	// Name identifies the state: lower-case letters, digits and underscores.
	Name State `json:"name"`
	// Label is the customer-facing wording of the state ("in progress").
	Label string `json:"label,omitempty"`
	// Notify asks for a [NotifyCustomer] effect whenever a ticket enters the
	// state.
	Notify bool `json:"notify,omitempty"`
	// Terminal states end the ticket's life: no transition leads out of
	// them, only triggers that keep the ticket where it is (a note, a
	// second visit after closing). SLA clocks stop when a ticket enters one,
	// unless their metric says on_terminal "continue".
	Terminal bool `json:"terminal,omitempty"`
	// Escalation marks a state whose entry counts as an escalation: the
	// ticket's escalation level rises and an [AlertManager] effect is returned.
	Escalation bool `json:"escalation,omitempty"`
	// Pauses names the SLA clocks ("response", "resolution", ...) that stop
	// running while a ticket is in this state.
	Pauses []string `json:"pauses,omitempty"`
}

// TransitionSpec describes which trigger moves a ticket from one of the From
// states to To, provided every named guard holds. An empty To keeps the ticket
// in the state it is in (the event is still recorded).
type TransitionSpec struct {
	From    []State  `json:"from"`
	Trigger Trigger  `json:"trigger"`
	To      State    `json:"to,omitempty"`
	Guards  []string `json:"guards,omitempty"`
}

// LifecycleSpec is a lifecycle as data. [DefaultLifecycle] returns the one of
// the source documents; [LifecycleSpec.Extend] adds a host's states and
// transitions to it.
type LifecycleSpec struct {
	// Initial is the state of a newly opened ticket.
	Initial State `json:"initial"`
	// States lists every state.
	States []StateSpec `json:"states"`
	// Transitions lists every permitted move.
	Transitions []TransitionSpec `json:"transitions"`
	// ProgressNodes are the customer-facing milestones of the work, in order.
	// The start trigger sets the first; the progress trigger moves to any other.
	ProgressNodes []string `json:"progress_nodes"`
	// ReopenLimit is how many times an unsatisfied follow-up may send a ticket
	// back to triage; once reached, an unsatisfied follow-up escalates instead.
	ReopenLimit int `json:"reopen_limit"`
	// MaxScore is the top of the follow-up satisfaction scale (5 on 1–5).
	MaxScore int `json:"max_score"`
	// SatisfiedScore is the lowest follow-up score that counts as satisfied (3).
	SatisfiedScore int `json:"satisfied_score"`
	// DelayNoticeDays is how many working days, on the ticket's calendar,
	// before the deadline a delay request must be filed at the latest (1).
	DelayNoticeDays int `json:"delay_notice_days"`
	// Events names, per trigger, the events the trigger reports to SLA clocks
	// (respond → "responded", progress → "progress_update", record_follow_up
	// → "followed_up"). Reaching a progress node also reports the node's name.
	Events map[Trigger][]string `json:"events,omitempty"`
}

// LifecycleExtension is what a rules document may add to or change in the
// default lifecycle.
type LifecycleExtension struct {
	// States are added to the lifecycle.
	States []StateSpec `json:"states,omitempty"`
	// Transitions are added to the lifecycle; they may start from and lead to
	// default states as well as added ones.
	Transitions []TransitionSpec `json:"transitions,omitempty"`
	// Pauses replaces the paused clocks of the named states.
	Pauses map[State][]string `json:"pauses,omitempty"`
	// ProgressNodes, when present, replaces the progress nodes.
	ProgressNodes []string `json:"progress_nodes,omitempty"`
	// ReopenLimit, when present, replaces the reopen limit.
	ReopenLimit *int `json:"reopen_limit,omitempty"`
	// SatisfiedScore, when present, replaces the satisfied score.
	SatisfiedScore *int `json:"satisfied_score,omitempty"`
	// DelayNoticeDays, when present, replaces the delay notice.
	DelayNoticeDays *int `json:"delay_notice_days,omitempty"`
	// Events replaces the SLA events of the named triggers.
	Events map[Trigger][]string `json:"events,omitempty"`
}

// DefaultLifecycle returns the lifecycle of the source documents:
//
//	received → triaged → assigned → in_progress ⇄ waiting_customer / waiting_third_party
//	→ resolved → follow_up → closed
//
// with escalation, merging, rejection, delay requests and reopening after an
// unsatisfied follow-up. The returned value is a fresh copy the caller may edit.
func DefaultLifecycle() LifecycleSpec {
	open := []State{StateTriaged, StateAssigned, StateInProgress, StateWaitingCustomer, StateWaitingThirdParty, StateEscalated}
	working := []State{StateAssigned, StateInProgress, StateWaitingCustomer, StateWaitingThirdParty, StateEscalated}
	notTerminal := []State{StateReceived, StateTriaged, StateAssigned, StateInProgress, StateWaitingCustomer,
		StateWaitingThirdParty, StateEscalated, StateResolved, StateFollowUp, StateReopened}
	return LifecycleSpec{
		Initial: StateReceived,
		States: []StateSpec{
			{Name: StateReceived, Label: "accepted", Notify: true},
			{Name: StateTriaged, Label: "accepted"},
			{Name: StateAssigned, Label: "accepted"},
			{Name: StateInProgress, Label: "in progress"},
			{Name: StateWaitingCustomer, Label: "waiting for your reply", Notify: true, Pauses: []string{"resolution"}},
			{Name: StateWaitingThirdParty, Label: "waiting for a third party", Notify: true, Pauses: []string{"resolution"}},
			{Name: StateEscalated, Label: "in progress", Escalation: true},
			{Name: StateResolved, Label: "resolved", Notify: true},
			{Name: StateFollowUp, Label: "follow-up visit"},
			{Name: StateReopened, Label: "reopened", Notify: true},
			{Name: StateClosed, Label: "closed", Notify: true, Terminal: true},
			{Name: StateMerged, Label: "merged", Notify: true, Terminal: true},
			{Name: StateRejected, Label: "rejected", Terminal: true},
		},
		Transitions: []TransitionSpec{
			{From: []State{StateReceived, StateReopened}, Trigger: TriggerTriage, To: StateTriaged, Guards: []string{GuardCategoryKnown, GuardPriorityGiven}},
			{From: []State{StateTriaged, StateEscalated}, Trigger: TriggerAssign, To: StateAssigned, Guards: []string{GuardTeamGiven}},
			{From: []State{StateAssigned}, Trigger: TriggerStart, To: StateInProgress},
			{From: []State{StateInProgress}, Trigger: TriggerProgress, Guards: []string{GuardProgressNodeKnown}},
			{From: []State{StateInProgress}, Trigger: TriggerWaitCustomer, To: StateWaitingCustomer, Guards: []string{GuardReasonGiven}},
			{From: []State{StateInProgress}, Trigger: TriggerWaitThirdParty, To: StateWaitingThirdParty, Guards: []string{GuardReasonGiven}},
			{From: []State{StateWaitingCustomer, StateWaitingThirdParty}, Trigger: TriggerResume, To: StateInProgress},
			{From: []State{StateTriaged, StateAssigned, StateInProgress, StateWaitingCustomer, StateWaitingThirdParty}, Trigger: TriggerEscalate, To: StateEscalated, Guards: []string{GuardReasonGiven}},
			{From: []State{StateInProgress, StateEscalated}, Trigger: TriggerResolve, To: StateResolved, Guards: []string{GuardResolutionGiven, GuardOverdueReasonGiven}},
			{From: []State{StateResolved}, Trigger: TriggerFollowUp, To: StateFollowUp},
			{From: []State{StateFollowUp}, Trigger: TriggerRecordFollowUp, Guards: []string{GuardOutcomeValid, GuardCustomerSatisfied}},
			{From: []State{StateFollowUp}, Trigger: TriggerRecordFollowUp, To: StateReopened, Guards: []string{GuardOutcomeValid, GuardCustomerNotSatisfied, GuardReopenRoundsLeft}},
			{From: []State{StateFollowUp}, Trigger: TriggerRecordFollowUp, To: StateEscalated, Guards: []string{GuardOutcomeValid, GuardCustomerNotSatisfied, GuardReopenLimitReached}},
			{From: []State{StateFollowUp}, Trigger: TriggerClose, To: StateClosed, Guards: []string{GuardFollowedUp}},
			{From: notTerminal, Trigger: TriggerMerge, To: StateMerged, Guards: []string{GuardMergeTargetGiven}},
			{From: []State{StateReceived, StateTriaged, StateReopened}, Trigger: TriggerReject, To: StateRejected, Guards: []string{GuardRejectionKindKnown, GuardReasonGiven}},
			{From: working, Trigger: TriggerRequestDelay, Guards: []string{GuardNoPendingDelay, GuardDelayComplete, GuardDeadlineSet, GuardDelayFiledInTime}},
			{From: working, Trigger: TriggerApproveDelay, Guards: []string{GuardDelayPending}},
			{From: working, Trigger: TriggerRejectDelay, Guards: []string{GuardDelayPending, GuardReasonGiven}},
			{From: append(slices.Clone(open), StateResolved, StateFollowUp), Trigger: TriggerChooseCompensation, Guards: []string{GuardCompensationGiven}},
			{From: notTerminal, Trigger: TriggerNote, Guards: []string{GuardNoteGiven}},
			{From: slices.Concat([]State{StateReceived}, open, []State{StateReopened}), Trigger: TriggerRespond, Guards: []string{GuardNoteGiven}},
			{From: notTerminal, Trigger: TriggerRerule, Guards: []string{GuardReasonGiven}},
			{From: []State{StateResolved, StateFollowUp, StateClosed}, Trigger: TriggerRecordVisit, Guards: []string{GuardNoteGiven}},
			{From: notTerminal, Trigger: TriggerRequestTask, Guards: []string{GuardTaskGiven, GuardTaskNotOpen}},
			{From: notTerminal, Trigger: TriggerCompleteTask, Guards: []string{GuardTaskGiven, GuardTaskOpen}},
			{From: notTerminal, Trigger: TriggerCustomerMessage, Guards: []string{GuardNoteGiven}},
		},
		Events: map[Trigger][]string{
			TriggerRespond:         {"responded"},
			TriggerProgress:        {"progress_update"},
			TriggerRecordFollowUp:  {"followed_up"},
			TriggerRecordVisit:     {"second_visit"},
			TriggerCustomerMessage: {"customer_message"},
		},
		ProgressNodes:   []string{"accepted", "awaiting_inspection", "under_repair", "completed"},
		ReopenLimit:     2,
		MaxScore:        5,
		SatisfiedScore:  3,
		DelayNoticeDays: 1,
	}
}

// Extend returns a copy of s with ext applied, or a *[PathError] naming the
// offending part of ext (paths start at "$", the extension itself).
func (s LifecycleSpec) Extend(ext LifecycleExtension) (LifecycleSpec, error) {
	out := s.clone()
	known := map[State]int{}
	for i, st := range out.States {
		known[st.Name] = i
	}
	for i, st := range ext.States {
		if _, dup := known[st.Name]; dup {
			return LifecycleSpec{}, rulesjsonErrorf(indexPath(fieldPath("$", "states"), i), "state %q already exists", st.Name)
		}
		known[st.Name] = len(out.States)
		out.States = append(out.States, cloneState(st))
	}
	for _, tr := range ext.Transitions {
		out.Transitions = append(out.Transitions, cloneTransition(tr))
	}
	names := make([]State, 0, len(ext.Pauses))
	for name := range ext.Pauses {
		names = append(names, name)
	}
	slices.Sort(names)
	for _, name := range names {
		i, ok := known[name]
		if !ok {
			return LifecycleSpec{}, rulesjsonErrorf(fieldPath(fieldPath("$", "pauses"), string(name)), "no state %q", name)
		}
		out.States[i].Pauses = slices.Clone(ext.Pauses[name])
	}
	if ext.ProgressNodes != nil {
		out.ProgressNodes = slices.Clone(ext.ProgressNodes)
	}
	if ext.ReopenLimit != nil {
		out.ReopenLimit = *ext.ReopenLimit
	}
	if ext.SatisfiedScore != nil {
		out.SatisfiedScore = *ext.SatisfiedScore
	}
	if ext.DelayNoticeDays != nil {
		out.DelayNoticeDays = *ext.DelayNoticeDays
	}
	for trig, events := range ext.Events {
		if out.Events == nil {
			out.Events = map[Trigger][]string{}
		}
		out.Events[trig] = slices.Clone(events)
	}
	return out, nil
}

func cloneState(s StateSpec) StateSpec {
	s.Pauses = slices.Clone(s.Pauses)
	return s
}

func cloneTransition(t TransitionSpec) TransitionSpec {
	t.From = slices.Clone(t.From)
	t.Guards = slices.Clone(t.Guards)
	return t
}

func (s LifecycleSpec) clone() LifecycleSpec {
	out := s
	out.States = make([]StateSpec, len(s.States))
	for i, st := range s.States {
		out.States[i] = cloneState(st)
	}
	out.Transitions = make([]TransitionSpec, len(s.Transitions))
	for i, tr := range s.Transitions {
		out.Transitions[i] = cloneTransition(tr)
	}
	out.ProgressNodes = slices.Clone(s.ProgressNodes)
	if s.Events != nil {
		out.Events = make(map[Trigger][]string, len(s.Events))
		for k, v := range s.Events {
			out.Events[k] = slices.Clone(v)
		}
	}
	return out
}

// Lifecycle is a compiled, immutable lifecycle. It is safe for concurrent use:
// many goroutines may fire triggers on different tickets through one Lifecycle.
type Lifecycle struct {
	spec        LifecycleSpec
	initial     int
	states      []compiledState
	stateIndex  map[State]int
	triggers    []Trigger
	triggerIdx  map[Trigger]int
	transitions map[transitionKey][]*compiledTransition
	// table holds the transitions by from*len(triggers)+trigger, for
	// lookups that hash nothing.
	table [][]*compiledTransition
	// stateNames and triggerNames index the names as stateIndex and
	// triggerIdx do, for the hot paths (nameIndex).
	stateNames   nameIndex[State]
	triggerNames nameIndex[Trigger]
	// kinds holds each trigger's kind by its index.
	kinds []triggerKind
	// edges holds, by state index, the moves out of the state, for
	// Replay's check of a recorded move (leads).
	edges [][]edge
	// escalating has bit i set when state i is an escalation (at most 64
	// states); closed is the index of StateClosed, or -1.
	escalating uint64
	closed     int
	nodes      map[string]bool
	machine    *stateless.StateMachine
	// stateList holds the states' names by index.
	stateList []State
	// stateKeys and triggerKeys are the machine's states and triggers (the
	// indexes as ints) boxed once, so that handing one to stateless boxes
	// nothing per Fire.
	stateKeys   []stateless.State
	triggerKeys []stateless.Trigger
}

type compiledState struct {
	spec   StateSpec
	paused map[string]bool
}

type transitionKey struct{ from, trigger int }

type compiledTransition struct {
	from, trigger, to int // to == from for transitions that keep the state
	guards            []namedGuard
}

var namePattern = regexp.MustCompile(`^[a-z][a-z0-9_]{0,63}$`)

// NewLifecycle validates spec and compiles it. Errors are *[PathError] with
// paths relative to the spec ("$.transitions[3].guards[0]").
func NewLifecycle(spec LifecycleSpec) (*Lifecycle, error) {
	spec = spec.clone()
	lc := &Lifecycle{
		spec:        spec,
		stateIndex:  map[State]int{},
		triggerIdx:  map[Trigger]int{},
		transitions: map[transitionKey][]*compiledTransition{},
		nodes:       map[string]bool{},
	}
	if len(spec.States) == 0 {
		return nil, rulesjsonErrorf(fieldPath("$", "states"), "a lifecycle needs states")
	}
	for i, st := range spec.States {
		p := indexPath(fieldPath("$", "states"), i)
		if !namePattern.MatchString(string(st.Name)) {
			return nil, rulesjsonErrorf(fieldPath(p, "name"), "state name %q: want lower-case letters, digits and underscores", st.Name)
		}
		if _, dup := lc.stateIndex[st.Name]; dup {
			return nil, rulesjsonErrorf(fieldPath(p, "name"), "state %q listed twice", st.Name)
		}
		cs := compiledState{spec: st, paused: map[string]bool{}}
		for j, clock := range st.Pauses {
			if !namePattern.MatchString(clock) {
				return nil, rulesjsonErrorf(indexPath(fieldPath(p, "pauses"), j), "clock name %q: want lower-case letters, digits and underscores", clock)
			}
			cs.paused[clock] = true
		}
		lc.stateIndex[st.Name] = i
		lc.states = append(lc.states, cs)
	}
	if len(spec.States) > 64 {
		return nil, rulesjsonErrorf(fieldPath("$", "states"), "at most 64 states, got %d", len(spec.States))
	}
	init, ok := lc.stateIndex[spec.Initial]
	if !ok {
		return nil, rulesjsonErrorf(fieldPath("$", "initial"), "no state %q", spec.Initial)
	}
	if lc.states[init].spec.Terminal {
		return nil, rulesjsonErrorf(fieldPath("$", "initial"), "initial state %q is terminal", spec.Initial)
	}
	lc.initial = init
	for i, n := range spec.ProgressNodes {
		if !namePattern.MatchString(n) {
			return nil, rulesjsonErrorf(indexPath(fieldPath("$", "progress_nodes"), i), "progress node %q: want lower-case letters, digits and underscores", n)
		}
		if lc.nodes[n] {
			return nil, rulesjsonErrorf(indexPath(fieldPath("$", "progress_nodes"), i), "progress node %q listed twice", n)
		}
		lc.nodes[n] = true
	}
	switch {
	case spec.MaxScore < 1 || spec.MaxScore > 100:
		return nil, rulesjsonErrorf(fieldPath("$", "max_score"), "max score %d: want 1..100", spec.MaxScore)
	case spec.SatisfiedScore < 1 || spec.SatisfiedScore > spec.MaxScore:
		return nil, rulesjsonErrorf(fieldPath("$", "satisfied_score"), "satisfied score %d: want 1..%d", spec.SatisfiedScore, spec.MaxScore)
	case spec.ReopenLimit < 0 || spec.ReopenLimit > 1000:
		return nil, rulesjsonErrorf(fieldPath("$", "reopen_limit"), "reopen limit %d: want 0..1000", spec.ReopenLimit)
	case spec.DelayNoticeDays < 0 || spec.DelayNoticeDays > 366:
		return nil, rulesjsonErrorf(fieldPath("$", "delay_notice_days"), "delay notice %d: want 0..366 working days", spec.DelayNoticeDays)
	}
	for i, tr := range spec.Transitions {
		p := indexPath(fieldPath("$", "transitions"), i)
		if !namePattern.MatchString(string(tr.Trigger)) {
			return nil, rulesjsonErrorf(fieldPath(p, "trigger"), "trigger name %q: want lower-case letters, digits and underscores", tr.Trigger)
		}
		if tr.Trigger == TriggerOpen {
			return nil, rulesjsonErrorf(fieldPath(p, "trigger"), "trigger %q is reserved for opening a ticket", tr.Trigger)
		}
		tid, ok := lc.triggerIdx[tr.Trigger]
		if !ok {
			tid = len(lc.triggers)
			lc.triggerIdx[tr.Trigger] = tid
			lc.triggers = append(lc.triggers, tr.Trigger)
		}
		to := -1
		if tr.To != "" {
			if to, ok = lc.stateIndex[tr.To]; !ok {
				return nil, rulesjsonErrorf(fieldPath(p, "to"), "no state %q", tr.To)
			}
		}
		var guards []namedGuard
		seen := map[string]bool{}
		for j, g := range tr.Guards {
			fn, ok := guardFuncs[g]
			if !ok {
				return nil, rulesjsonErrorf(indexPath(fieldPath(p, "guards"), j), "unknown guard %q (known: %v)", g, GuardNames())
			}
			if seen[g] {
				return nil, rulesjsonErrorf(indexPath(fieldPath(p, "guards"), j), "guard %q listed twice", g)
			}
			seen[g] = true
			guards = append(guards, namedGuard{name: g, fn: fn})
		}
		for _, need := range requiredGuards[tr.Trigger] {
			if !seen[need] {
				return nil, rulesjsonErrorf(fieldPath(p, "guards"), "trigger %q needs guard %q", tr.Trigger, need)
			}
		}
		if tr.To == StateClosed && !seen[GuardFollowedUp] {
			return nil, rulesjsonErrorf(fieldPath(p, "guards"), "no ticket closes without a follow-up: a transition to %q needs guard %q", StateClosed, GuardFollowedUp)
		}
		if len(tr.From) == 0 {
			return nil, rulesjsonErrorf(fieldPath(p, "from"), "a transition needs at least one source state")
		}
		for j, f := range tr.From {
			fid, ok := lc.stateIndex[f]
			if !ok {
				return nil, rulesjsonErrorf(indexPath(fieldPath(p, "from"), j), "no state %q", f)
			}
			if lc.states[fid].spec.Terminal && to >= 0 && to != fid {
				return nil, rulesjsonErrorf(indexPath(fieldPath(p, "from"), j), "state %q is terminal: a transition from it must keep the ticket there", f)
			}
			ct := &compiledTransition{from: fid, trigger: tid, to: to, guards: guards}
			if to < 0 {
				ct.to = fid
			}
			key := transitionKey{fid, tid}
			for _, other := range lc.transitions[key] {
				if !exclusive(other.guards, ct.guards) {
					return nil, rulesjsonErrorf(indexPath(fieldPath(p, "from"), j),
						"trigger %q from state %q is already handled; a second transition needs a guard that excludes the first (pairs: %v)", tr.Trigger, f, exclusivePairs)
				}
			}
			lc.transitions[key] = append(lc.transitions[key], ct)
		}
	}
	trigs := make([]Trigger, 0, len(spec.Events))
	for trig := range spec.Events {
		trigs = append(trigs, trig)
	}
	slices.Sort(trigs)
	for _, trig := range trigs {
		p := fieldPath(fieldPath("$", "events"), string(trig))
		if _, ok := lc.triggerIdx[trig]; !ok {
			return nil, rulesjsonErrorf(p, "no transition has trigger %q", trig)
		}
		for j, ev := range spec.Events[trig] {
			if !namePattern.MatchString(ev) {
				return nil, rulesjsonErrorf(indexPath(p, j), "event name %q: want lower-case letters, digits and underscores", ev)
			}
		}
	}
	if err := lc.checkReachable(); err != nil {
		return nil, err
	}
	lc.table = make([][]*compiledTransition, len(lc.states)*len(lc.triggers))
	for k, list := range lc.transitions {
		lc.table[k.from*len(lc.triggers)+k.trigger] = list
	}
	lc.stateNames = newNameIndex(lc.States())
	lc.triggerNames = newNameIndex(lc.triggers)
	lc.kinds = make([]triggerKind, len(lc.triggers))
	for i, tr := range lc.triggers {
		lc.kinds[i] = triggerKinds[tr]
	}
	lc.closed = -1
	for i, st := range lc.states {
		if st.spec.Escalation {
			lc.escalating |= 1 << i
		}
		if st.spec.Name == StateClosed {
			lc.closed = i
		}
	}
	lc.edges = make([][]edge, len(lc.states))
	for from := range lc.states {
		for tr, trig := range lc.triggers {
			for _, ct := range lc.transitionsFrom(from, tr) {
				lc.edges[from] = append(lc.edges[from], edge{key: nameKey(trig), trigger: trig, to: lc.states[ct.to].spec.Name, toIdx: int32(ct.to), kind: lc.kinds[tr]})
			}
		}
	}
	lc.stateList = lc.States()
	lc.stateKeys = make([]stateless.State, len(lc.states))
	for i := range lc.stateKeys {
		lc.stateKeys[i] = i
	}
	lc.triggerKeys = make([]stateless.Trigger, len(lc.triggers))
	for i := range lc.triggerKeys {
		lc.triggerKeys[i] = i
	}
	lc.machine = lc.newMachine()
	return lc, nil
}

// checkReachable reports states no ticket can ever reach, and non-terminal
// states with no way out.
func (lc *Lifecycle) checkReachable() error {
	seen := make([]bool, len(lc.states))
	queue := []int{lc.initial}
	seen[lc.initial] = true
	out := make([]bool, len(lc.states))
	adj := make([][]int, len(lc.states))
	for k, list := range lc.transitions {
		for _, ct := range list {
			adj[k.from] = append(adj[k.from], ct.to)
			if ct.to != ct.from {
				out[k.from] = true
			}
		}
	}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		for _, n := range adj[s] {
			if !seen[n] {
				seen[n] = true
				queue = append(queue, n)
			}
		}
	}
	for i, st := range lc.states {
		p := indexPath(fieldPath("$", "states"), i)
		if !seen[i] {
			return rulesjsonErrorf(p, "state %q cannot be reached from %q", st.spec.Name, lc.spec.Initial)
		}
		if !st.spec.Terminal && !out[i] {
			return rulesjsonErrorf(p, "state %q is not terminal but no transition leaves it", st.spec.Name)
		}
	}
	return nil
}

// call carries one Fire through stateless: it is the context handed to the
// shared machine, so the state accessor, the mutator and the guards read and
// write this ticket's data only. Nothing per ticket lives in the machine.
//
// It is a context.Context of its own, as context.Background is (no
// deadline, no values, never done), rather than embedding one: a ticket
// carries a call as its scratch space, and a ticket's size is what Open
// and Replay allocate (640 bytes, the malloc header included, is a size
// class; 648 is the next one's). For the same reason the state and trigger
// indexes are int32.
type call struct {
	lc     *Lifecycle
	ticket *Ticket
	// ev is the event the change becomes, written where the history will
	// keep it (past the history's length until the change is accepted):
	// its trigger, instant, actor and payload are the change's, the
	// payload still the caller's own (Fire makes it the history's once
	// the change is accepted). Guards read the change here.
	ev      *Event
	derived derived
	state   int32
	dest    int32
	trigger int32
	// overdue and delayInTime belong with derived (see there).
	overdue     bool
	delayInTime bool
	// firing is set while stateless runs the call, so that Fire recovers
	// from a panic there only.
	firing bool
}

// Deadline, Done, Err and Value make a call the context.Context that
// context.Background is.
func (*call) Deadline() (time.Time, bool) { return time.Time{}, false }
func (*call) Done() <-chan struct{}       { return nil }
func (*call) Err() error                  { return nil }
func (*call) Value(any) any               { return nil }

// newMachine configures the shared machine. Fire runs a call's trigger
// through it (FireCtx with the call as the context), which leaves the
// destination in c.dest; Fire recovers from a panic inside stateless,
// which the validation in [NewLifecycle] rules out, and reports it with
// broken.
func (lc *Lifecycle) newMachine() *stateless.StateMachine {
	sm := stateless.NewStateMachineWithExternalStorage(
		func(ctx context.Context) (stateless.State, error) {
			c, ok := ctx.(*call)
			if !ok {
				return nil, errNotOurContext
			}
			return lc.stateKeys[c.state], nil
		},
		func(ctx context.Context, s stateless.State) error {
			c, ok := ctx.(*call)
			if !ok {
				return errNotOurContext
			}
			c.dest = int32(s.(int))
			return nil
		},
		stateless.FiringImmediate,
	)
	sm.OnUnhandledTrigger(func(ctx context.Context, _ stateless.State, _ stateless.Trigger, _ []string) error {
		c, ok := ctx.(*call)
		if !ok {
			return errNotOurContext
		}
		return lc.rejection(c)
	})
	for i := range lc.states {
		sm.Configure(i) // every state exists before first use: Fire never adds one
	}
	keys := make([]transitionKey, 0, len(lc.transitions))
	for k := range lc.transitions {
		keys = append(keys, k)
	}
	sort.Slice(keys, func(i, j int) bool {
		if keys[i].from != keys[j].from {
			return keys[i].from < keys[j].from
		}
		return keys[i].trigger < keys[j].trigger
	})
	for _, k := range keys {
		cfg := sm.Configure(k.from)
		for _, ct := range lc.transitions[k] {
			guard := ct.guardFunc()
			if ct.to == ct.from {
				cfg.PermitReentry(ct.trigger, guard)
			} else {
				cfg.Permit(ct.trigger, ct.to, guard)
			}
		}
	}
	return sm
}

var errNotOurContext = errors.New("feedback: lifecycle machine fired outside Lifecycle.fire")

func (ct *compiledTransition) guardFunc() stateless.GuardFunc {
	guards := ct.guards
	if len(guards) == 1 {
		// Most transitions have one guard: no loop.
		fn := guards[0].fn
		return func(ctx context.Context, _ ...any) bool {
			c, ok := ctx.(*call)
			return ok && fn(c)
		}
	}
	return func(ctx context.Context, _ ...any) bool {
		c, ok := ctx.(*call)
		if !ok {
			return false
		}
		for _, g := range guards {
			if !g.fn(c) {
				return false
			}
		}
		return true
	}
}

// rejection builds the typed error for a trigger the current state does not
// accept: among the transitions the trigger has from this state, it names the
// unmet guards of the one closest to being permitted.
func (lc *Lifecycle) rejection(c *call) error {
	e := &TransitionError{State: lc.states[c.state].spec.Name, Trigger: lc.triggers[c.trigger]}
	cands := lc.transitionsFrom(int(c.state), int(c.trigger))
	if len(cands) == 0 {
		e.Err = ErrTriggerNotPermitted
		return e
	}
	var best []string
	for i, ct := range cands {
		var unmet []string
		for _, g := range ct.guards {
			if !g.fn(c) {
				unmet = append(unmet, g.name)
			}
		}
		if i == 0 || len(unmet) < len(best) {
			best = unmet
		}
	}
	e.UnmetGuards = best
	e.Err = ErrGuardUnmet
	return e
}

// broken is the error for a panic p inside stateless while it ran c.
func (lc *Lifecycle) broken(c *call, p any) error {
	return &TransitionError{State: lc.states[c.state].spec.Name, Trigger: lc.triggers[c.trigger],
		Err: fmt.Errorf("%w: %v", ErrLifecycleBroken, p)}
}

// Spec returns a copy of the lifecycle's specification.
func (lc *Lifecycle) Spec() LifecycleSpec { return lc.spec.clone() }

// Initial returns the state of a newly opened ticket.
func (lc *Lifecycle) Initial() State { return lc.spec.Initial }

// States returns the names of all states in declaration order.
func (lc *Lifecycle) States() []State {
	out := make([]State, len(lc.states))
	for i, s := range lc.states {
		out[i] = s.spec.Name
	}
	return out
}

// StateSpec returns the description of the named state.
func (lc *Lifecycle) StateSpec(s State) (StateSpec, bool) {
	i, ok := lc.stateIndex[s]
	if !ok {
		return StateSpec{}, false
	}
	return cloneState(lc.states[i].spec), true
}

// Pauses reports whether the SLA clock named clock is paused in state s.
func (lc *Lifecycle) Pauses(s State, clock string) bool {
	i, ok := lc.stateIndex[s]
	return ok && lc.states[i].paused[clock]
}

// Terminal reports whether s is a terminal state (closed, merged, rejected, ...).
func (lc *Lifecycle) Terminal(s State) bool {
	i, ok := lc.stateIndex[s]
	return ok && lc.states[i].spec.Terminal
}

// Triggers returns the names of all triggers in first-declared order.
func (lc *Lifecycle) Triggers() []Trigger { return slices.Clone(lc.triggers) }

// ProgressNodes returns the customer-facing progress nodes in order.
func (lc *Lifecycle) ProgressNodes() []string { return slices.Clone(lc.spec.ProgressNodes) }

// transitionsFrom are the transitions trigger (an index) has from state
// (an index).
func (lc *Lifecycle) transitionsFrom(state, trigger int) []*compiledTransition {
	return lc.table[state*len(lc.triggers)+trigger]
}

// leads reports whether trigger may move a ticket from the state of index
// from to the state named to at all, guards aside, and the index of to
// and the trigger's kind. Replay uses it to check a recorded history: it
// scans the moves out of the state, comparing the trigger's nameKey with
// theirs before any name, instead of looking the trigger up by name and
// then its transitions.
func (lc *Lifecycle) leads(from int, trigger Trigger, to State) (int, triggerKind, bool) {
	key := nameKey(trigger)
	edges := lc.edges[from]
	for i := range edges {
		e := &edges[i]
		if e.key == key && e.trigger == trigger && e.to == to {
			return int(e.toIdx), e.kind, true
		}
	}
	return 0, 0, false
}

// edge is a move out of a state: a transition as leads checks it.
type edge struct {
	key     uint64 // nameKey(trigger)
	trigger Trigger
	to      State // the name of the state it enters
	toIdx   int32
	kind    triggerKind
}

// triggerKind is what apply and Replay's checks make of a trigger: one of
// the built-in triggers they treat apart, or kindOther. A lifecycle finds
// each of its triggers' kinds once (Lifecycle.kinds), so that they switch
// on a small number instead of comparing names at every event.
type triggerKind uint8

const (
	kindOther triggerKind = iota
	kindOpen
	kindTriage
	kindRerule
	kindAssign
	kindProgress // start and progress
	kindResolve
	kindMerge
	kindReject
	kindRejectDelay
	kindChooseCompensation
	// The kinds whose payload Replay checks (checkPayload) come last.
	kindRecordFollowUp
	kindRequestDelay
	kindApproveDelay
	kindRequestTask
	kindCompleteTask
)

// triggerKinds are the kinds of the built-in triggers; any other trigger
// is kindOther. TriggerOpen is never a lifecycle's trigger: Open and
// Replay apply an opening as kindOpen.
var triggerKinds = map[Trigger]triggerKind{
	TriggerTriage:             kindTriage,
	TriggerRerule:             kindRerule,
	TriggerAssign:             kindAssign,
	TriggerStart:              kindProgress,
	TriggerProgress:           kindProgress,
	TriggerResolve:            kindResolve,
	TriggerRecordFollowUp:     kindRecordFollowUp,
	TriggerMerge:              kindMerge,
	TriggerReject:             kindReject,
	TriggerRequestDelay:       kindRequestDelay,
	TriggerApproveDelay:       kindApproveDelay,
	TriggerRejectDelay:        kindRejectDelay,
	TriggerChooseCompensation: kindChooseCompensation,
	TriggerRequestTask:        kindRequestTask,
	TriggerCompleteTask:       kindCompleteTask,
}
