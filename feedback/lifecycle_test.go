package feedback

import (
	"errors"
	"slices"
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestEveryTransition fires every transition of the default lifecycle from
// every one of its source states and checks where the ticket lands.
func TestEveryTransition(t *testing.T) {
	r := testRules(t)
	for i, tr := range r.Lifecycle().Spec().Transitions {
		for _, from := range tr.From {
			name := string(from) + "-" + string(tr.Trigger) + "->" + string(tr.To) + "#" + itoa(i)
			t.Run(name, func(t *testing.T) {
				d := reachState(t, r, from)
				p := validPayload(tr.Trigger)
				switch {
				case slices.Contains(tr.Guards, GuardReopenLimitReached):
					for range r.Lifecycle().Spec().ReopenLimit {
						d.must(TriggerRecordFollowUp, Payload{FollowUp: &FollowUp{Resolved: false, Score: 2}})
						d.walk(TriggerTriage, TriggerAssign, TriggerStart, TriggerResolve, TriggerFollowUp)
					}
					p = Payload{FollowUp: &FollowUp{Resolved: true, Score: 1}}
				case slices.Contains(tr.Guards, GuardCustomerNotSatisfied):
					p = Payload{FollowUp: &FollowUp{Resolved: false, Score: 5}}
				case slices.Contains(tr.Guards, GuardFollowedUp):
					d.must(TriggerRecordFollowUp, validPayload(TriggerRecordFollowUp))
				case slices.Contains(tr.Guards, GuardDelayPending):
					d.must(TriggerRequestDelay, validPayload(TriggerRequestDelay))
				case slices.Contains(tr.Guards, GuardTaskOpen):
					d.must(TriggerRequestTask, validPayload(TriggerRequestTask))
				}
				require.Equal(t, from, d.tk.State)
				before := d.tk.Clone()
				out, err := d.try(tr.Trigger, p)
				require.NoError(t, err)
				want := tr.To
				if want == "" {
					want = from
				}
				assert.Equal(t, want, d.tk.State)
				assert.Equal(t, before.Version+1, d.tk.Version)
				assert.Equal(t, out.Event, d.tk.History[len(d.tk.History)-1])
				assert.Equal(t, Event{Seq: before.Version + 1, Version: before.Version + 1, At: out.Event.At, Actor: "agent-7",
					Trigger: tr.Trigger, From: from, To: want, Payload: out.Event.Payload}, out.Event)
				replayed, err := r.Replay(d.tk.History)
				require.NoError(t, err)
				assert.Equal(t, d.tk, replayed)
			})
		}
	}
}

// TestGuards checks every guard of the default lifecycle refuses what it should,
// names itself, and leaves the ticket exactly as it was.
func TestGuards(t *testing.T) {
	r := testRules(t)
	late := func(d *ticketDriver) { d.clock = tkT0.Add(60 * time.Hour) } // deadline is tkT0+72h: less than a day left
	cases := []struct {
		name     string
		state    State
		setup    func(d *ticketDriver)
		trigger  Trigger
		payload  Payload
		unmet    []string
		sentinel error
	}{
		{"triage without priority", StateReceived, nil, TriggerTriage, Payload{}, []string{GuardPriorityGiven}, ErrGuardUnmet},
		{"triage with a bad level", StateReceived, nil, TriggerTriage, Payload{Priority: "P10"}, []string{GuardPriorityGiven}, ErrGuardUnmet},
		{"triage with inputs but no scoring rules", StateReceived, nil, TriggerTriage, Payload{PriorityInput: &PriorityInput{Impact: 1}}, []string{GuardPriorityGiven}, ErrGuardUnmet},
		{"assign without team", StateTriaged, nil, TriggerAssign, Payload{Owner: "x"}, []string{GuardTeamGiven}, ErrGuardUnmet},
		{"progress to unknown node", StateInProgress, nil, TriggerProgress, Payload{Node: "teleported"}, []string{GuardProgressNodeKnown}, ErrGuardUnmet},
		{"progress to the current node", StateInProgress, nil, TriggerProgress, Payload{Node: "accepted"}, []string{GuardProgressNodeKnown}, ErrGuardUnmet},
		{"wait without reason", StateInProgress, nil, TriggerWaitCustomer, Payload{}, []string{GuardReasonGiven}, ErrGuardUnmet},
		{"escalate without reason", StateAssigned, nil, TriggerEscalate, Payload{Reason: "  "}, []string{GuardReasonGiven}, ErrGuardUnmet},
		{"resolve without resolution", StateInProgress, nil, TriggerResolve, Payload{}, []string{GuardResolutionGiven}, ErrGuardUnmet},
		{"follow-up without outcome", StateFollowUp, nil, TriggerRecordFollowUp, Payload{}, []string{GuardOutcomeValid, GuardCustomerSatisfied}, ErrGuardUnmet},
		{"follow-up score off the scale", StateFollowUp, nil, TriggerRecordFollowUp, Payload{FollowUp: &FollowUp{Resolved: true, Score: 6}}, []string{GuardOutcomeValid}, ErrGuardUnmet},
		{"follow-up score zero", StateFollowUp, nil, TriggerRecordFollowUp, Payload{FollowUp: &FollowUp{Resolved: false, Score: 0}}, []string{GuardOutcomeValid}, ErrGuardUnmet},
		{"close without follow-up", StateFollowUp, nil, TriggerClose, Payload{}, []string{GuardFollowedUp}, ErrGuardUnmet},
		{"close from resolved", StateResolved, nil, TriggerClose, Payload{}, nil, ErrTriggerNotPermitted},
		{"merge into itself", StateTriaged, nil, TriggerMerge, Payload{MergeInto: "F20240301001"}, []string{GuardMergeTargetGiven}, ErrGuardUnmet},
		{"reject without kind", StateReceived, nil, TriggerReject, Payload{Reason: "x"}, []string{GuardRejectionKindKnown}, ErrGuardUnmet},
		{"reject without reason", StateReceived, nil, TriggerReject, Payload{Rejection: RejectInvalid}, []string{GuardReasonGiven}, ErrGuardUnmet},
		{"reject once work started", StateInProgress, nil, TriggerReject, validPayload(TriggerReject), nil, ErrTriggerNotPermitted},
		{"delay without plan", StateInProgress, nil, TriggerRequestDelay, Payload{Delay: &TicketDelay{Reason: "r", NewDeadline: tkT0.Add(100 * time.Hour)}}, []string{GuardDelayComplete}, ErrGuardUnmet},
		{"delay to an earlier deadline", StateInProgress, nil, TriggerRequestDelay, Payload{Delay: &TicketDelay{Reason: "r", Plan: "p", NewDeadline: tkT0.Add(time.Hour)}}, []string{GuardDelayComplete}, ErrGuardUnmet},
		{"delay filed too late", StateInProgress, late, TriggerRequestDelay, validPayload(TriggerRequestDelay), []string{GuardDelayFiledInTime}, ErrGuardUnmet},
		{"second delay while one is pending", StateInProgress, func(d *ticketDriver) { d.must(TriggerRequestDelay, validPayload(TriggerRequestDelay)) },
			TriggerRequestDelay, validPayload(TriggerRequestDelay), []string{GuardNoPendingDelay}, ErrGuardUnmet},
		{"approve with nothing pending", StateInProgress, nil, TriggerApproveDelay, Payload{}, []string{GuardDelayPending}, ErrGuardUnmet},
		{"reject delay without reason", StateInProgress, func(d *ticketDriver) { d.must(TriggerRequestDelay, validPayload(TriggerRequestDelay)) },
			TriggerRejectDelay, Payload{}, []string{GuardReasonGiven}, ErrGuardUnmet},
		{"compensation without option", StateResolved, nil, TriggerChooseCompensation, Payload{Compensation: &CompensationChoice{}}, []string{GuardCompensationGiven}, ErrGuardUnmet},
		{"note without text", StateReceived, nil, TriggerNote, Payload{}, []string{GuardNoteGiven}, ErrGuardUnmet},
		{"anything on a closed ticket", StateClosed, nil, TriggerNote, validPayload(TriggerNote), nil, ErrTriggerNotPermitted},
		{"start from received", StateReceived, nil, TriggerStart, Payload{}, nil, ErrTriggerNotPermitted},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			d := reachState(t, r, tc.state)
			if tc.setup != nil {
				tc.setup(d)
			}
			before := d.tk.Clone()
			_, err := d.try(tc.trigger, tc.payload)
			var te *TransitionError
			require.ErrorAs(t, err, &te)
			assert.ErrorIs(t, err, tc.sentinel)
			assert.Equal(t, tc.state, te.State)
			assert.Equal(t, tc.trigger, te.Trigger)
			assert.Equal(t, tc.unmet, te.UnmetGuards)
			assert.Equal(t, before, d.tk, "a refused change must leave the ticket as it was")
		})
	}
}

func TestReopenOnLowScoreThenEscalateAtLimit(t *testing.T) {
	r := testRules(t)
	d := openTicket(t, r)
	limit := r.Lifecycle().Spec().ReopenLimit
	require.Equal(t, 2, limit)
	for round := 1; round <= limit; round++ {
		d.walk(TriggerTriage, TriggerAssign, TriggerStart, TriggerResolve, TriggerFollowUp)
		out := d.must(TriggerRecordFollowUp, Payload{FollowUp: &FollowUp{Resolved: true, Score: 2, Comment: "still noisy"}})
		require.Equal(t, StateReopened, d.tk.State, "round %d", round)
		assert.Equal(t, round, d.tk.ReopenRounds)
		assert.False(t, d.tk.FollowUp.Satisfied)
		assert.Contains(t, out.Effects, Effect{Kind: NotifyCustomer, Ticket: d.tk.ID, State: StateReopened, Label: "reopened"})
	}
	d.walk(TriggerTriage, TriggerAssign, TriggerStart, TriggerResolve, TriggerFollowUp)
	out := d.must(TriggerRecordFollowUp, Payload{FollowUp: &FollowUp{Resolved: false, Score: 4}})
	assert.Equal(t, StateEscalated, d.tk.State)
	assert.Equal(t, 1, d.tk.Escalations)
	assert.Contains(t, out.Effects, Effect{Kind: AlertManager, Ticket: d.tk.ID, State: StateEscalated, Level: 1,
		Reason: "follow-up unsatisfied after the reopen limit"})
	// The manager resolves it; a satisfied follow-up finally closes it.
	d.must(TriggerResolve, Payload{Note: "replaced the unit"})
	d.must(TriggerFollowUp, Payload{})
	_, err := d.try(TriggerClose, Payload{})
	require.ErrorIs(t, err, ErrGuardUnmet)
	d.must(TriggerRecordFollowUp, Payload{FollowUp: &FollowUp{Resolved: true, Score: 3}})
	d.must(TriggerClose, Payload{})
	assert.Equal(t, StateClosed, d.tk.State)
	assert.True(t, d.tk.FollowUp.Satisfied)
}

func TestSatisfiedScoreBoundary(t *testing.T) {
	r := testRules(t)
	for score, want := range map[int]State{1: StateReopened, 2: StateReopened, 3: StateFollowUp, 4: StateFollowUp, 5: StateFollowUp} {
		d := reachState(t, r, StateFollowUp)
		d.must(TriggerRecordFollowUp, Payload{FollowUp: &FollowUp{Resolved: true, Score: score}})
		assert.Equal(t, want, d.tk.State, "score %d", score)
		d = reachState(t, r, StateFollowUp)
		d.must(TriggerRecordFollowUp, Payload{FollowUp: &FollowUp{Resolved: false, Score: score}})
		assert.Equal(t, StateReopened, d.tk.State, "not resolved, score %d", score)
	}
}

func TestChangeValidation(t *testing.T) {
	r := testRules(t)
	d := reachState(t, r, StateTriaged)
	before := d.tk.Clone()

	stale := d.change(TriggerAssign, validPayload(TriggerAssign))
	stale.Version--
	_, err := r.Fire(d.tk, stale)
	var se *StaleVersionError
	require.ErrorAs(t, err, &se)
	assert.ErrorIs(t, err, ErrStaleVersion)
	assert.Equal(t, StaleVersionError{Ticket: "F20240301001", Have: 2, Claimed: 1}, *se)

	back := d.change(TriggerAssign, validPayload(TriggerAssign))
	back.At = tkT0.Add(-time.Hour)
	_, err = r.Fire(d.tk, back)
	var fe *FieldError
	require.ErrorAs(t, err, &fe)
	assert.Equal(t, "at", fe.Field)
	assert.ErrorIs(t, err, ErrInvalidChange)

	anon := d.change(TriggerAssign, validPayload(TriggerAssign))
	anon.Actor = ""
	_, err = r.Fire(d.tk, anon)
	require.ErrorIs(t, err, ErrInvalidChange)

	_, err = d.try("teleport", Payload{})
	require.ErrorIs(t, err, ErrUnknownTrigger)

	broken := d.tk.Clone()
	broken.State = "limbo"
	_, err = r.Fire(broken, d.change(TriggerAssign, validPayload(TriggerAssign)))
	require.ErrorIs(t, err, ErrUnknownState)

	_, err = r.Fire(nil, d.change(TriggerAssign, validPayload(TriggerAssign)))
	require.ErrorIs(t, err, ErrInvalidTicket)
	assert.Equal(t, before, d.tk)

	_, _, err = r.Open(Opening{At: tkT0, Actor: "a"})
	require.ErrorIs(t, err, ErrInvalidChange)
}

func TestDelayRequest(t *testing.T) {
	r := testRules(t)
	d := reachState(t, r, StateInProgress)
	deadline := d.deadline()
	require.Equal(t, tkT0.Add(72*time.Hour), deadline)

	// Filed exactly one working day before the deadline: in time.
	d.clock = deadline.Add(-24*time.Hour - time.Minute)
	d.must(TriggerRequestDelay, validPayload(TriggerRequestDelay))
	require.NotNil(t, d.tk.PendingDelay)
	assert.Equal(t, d.clock, d.tk.PendingDelay.RequestedAt)
	assert.Equal(t, deadline, d.deadline(), "a request alone moves nothing")

	// Rejected: nothing changes but the pending request is gone.
	d.must(TriggerRejectDelay, Payload{Reason: "no"})
	assert.Nil(t, d.tk.PendingDelay)
	assert.Equal(t, deadline, d.deadline())
	assert.Empty(t, d.tk.Delays)

	// Too late now (less than a working day left).
	d.clock = deadline.Add(-23 * time.Hour)
	_, err := d.try(TriggerRequestDelay, validPayload(TriggerRequestDelay))
	var te *TransitionError
	require.ErrorAs(t, err, &te)
	assert.Equal(t, []string{GuardDelayFiledInTime}, te.UnmetGuards)
	assert.Error(t, te.Cause)

	// A fresh ticket: request in time, approve, deadline moves.
	d = reachState(t, r, StateInProgress)
	d.must(TriggerRequestDelay, validPayload(TriggerRequestDelay))
	out := d.must(TriggerApproveDelay, Payload{})
	want := validPayload(TriggerRequestDelay).Delay.NewDeadline
	assert.Equal(t, want, d.deadline())
	require.Len(t, d.tk.Delays, 1)
	assert.Equal(t, "agent-7", d.tk.Delays[0].DecidedBy)
	assert.Contains(t, out.Effects, Effect{Kind: NotifyCustomer, Ticket: d.tk.ID, State: StateInProgress, Label: "in progress", Reason: "delay approved: new deadline", At: want})
}

func TestEffects(t *testing.T) {
	r := testRules(t)
	tk, out, err := r.Open(Opening{ID: "F1", At: tkT0, Actor: "bot"})
	require.NoError(t, err)
	assert.Equal(t, []Effect{{Kind: NotifyCustomer, Ticket: "F1", State: StateReceived, Label: "accepted"}}, out.Effects)
	d := &ticketDriver{t: t, r: r, tk: tk, clock: tkT0}
	out = d.must(TriggerTriage, validPayload(TriggerTriage))
	assert.Empty(t, out.Effects, "rules without SLA policies have no clocks to check, even with a host-set deadline")
	d.walk(TriggerAssign)
	out = d.must(TriggerStart, Payload{})
	assert.Equal(t, "accepted", d.tk.Node)
	assert.Contains(t, out.Effects, Effect{Kind: NotifyCustomer, Ticket: "F1", State: StateInProgress, Label: "in progress", Node: "accepted"})
	out = d.must(TriggerProgress, Payload{Node: "awaiting_inspection"})
	assert.Contains(t, out.Effects, Effect{Kind: NotifyCustomer, Ticket: "F1", State: StateInProgress, Label: "in progress", Node: "awaiting_inspection"})
	out = d.must(TriggerWaitCustomer, Payload{Reason: "photos"})
	assert.Equal(t, []Effect{{Kind: NotifyCustomer, Ticket: "F1", State: StateWaitingCustomer, Label: "waiting for your reply"}}, out.Effects,
		"the resolution clock is paused: no check to schedule")
	d.must(TriggerResume, Payload{})
	out = d.must(TriggerEscalate, Payload{Reason: "VIP customer"})
	assert.Contains(t, out.Effects, Effect{Kind: AlertManager, Ticket: "F1", State: StateEscalated, Level: 1, Reason: "VIP customer"})
}

func TestExtendLifecycle(t *testing.T) {
	ext := LifecycleExtension{
		States: []StateSpec{{Name: "awaiting_parts", Label: "waiting for parts", Notify: true, Pauses: []string{"resolution"}}},
		Transitions: []TransitionSpec{
			{From: []State{StateInProgress}, Trigger: "order_parts", To: "awaiting_parts", Guards: []string{GuardReasonGiven}},
			{From: []State{"awaiting_parts"}, Trigger: "parts_arrived", To: StateInProgress},
			{From: []State{"awaiting_parts"}, Trigger: TriggerEscalate, To: StateEscalated, Guards: []string{GuardReasonGiven}},
		},
		Pauses:      map[State][]string{StateWaitingCustomer: {"resolution", "update"}},
		ReopenLimit: ptrTo(0),
	}
	r, err := CompileRules(RulesDocument{Version: "ext", Lifecycle: &ext})
	require.NoError(t, err)
	lc := r.Lifecycle()
	assert.True(t, lc.Pauses("awaiting_parts", "resolution"))
	assert.True(t, lc.Pauses(StateWaitingCustomer, "update"))
	assert.False(t, lc.Pauses(StateInProgress, "resolution"))

	d := reachState(t, r, StateInProgress)
	out := d.must("order_parts", Payload{Reason: "compressor"})
	assert.Equal(t, State("awaiting_parts"), d.tk.State)
	assert.Contains(t, out.Effects, Effect{Kind: NotifyCustomer, Ticket: d.tk.ID, State: "awaiting_parts", Label: "waiting for parts"})
	d.must("parts_arrived", Payload{})
	d.walk(TriggerResolve, TriggerFollowUp)
	d.must(TriggerRecordFollowUp, Payload{FollowUp: &FollowUp{Resolved: false, Score: 1}})
	assert.Equal(t, StateEscalated, d.tk.State, "reopen limit 0 escalates at once")
	replayed, err := r.Replay(d.tk.History)
	require.NoError(t, err)
	assert.Equal(t, d.tk, replayed)
}

func ptrTo[T any](v T) *T { return &v }

func TestLifecycleErrorsNamePaths(t *testing.T) {
	cases := []struct {
		name string
		ext  LifecycleExtension
		path string
	}{
		{"unknown guard", LifecycleExtension{Transitions: []TransitionSpec{{From: []State{StateInProgress}, Trigger: "x", To: StateResolved, Guards: []string{"feels_right"}}}}, "$.lifecycle.transitions[0].guards[0]"},
		{"unknown target", LifecycleExtension{Transitions: []TransitionSpec{{From: []State{StateInProgress}, Trigger: "x", To: "nowhere"}}}, "$.lifecycle.transitions[0].to"},
		{"unknown source", LifecycleExtension{Transitions: []TransitionSpec{{From: []State{StateInProgress, "nowhere"}, Trigger: "x", To: StateResolved}}}, "$.lifecycle.transitions[0].from[1]"},
		{"from terminal", LifecycleExtension{Transitions: []TransitionSpec{{From: []State{StateClosed}, Trigger: "x", To: StateReceived}}}, "$.lifecycle.transitions[0].from[0]"},
		{"close without follow-up guard", LifecycleExtension{Transitions: []TransitionSpec{{From: []State{StateResolved}, Trigger: "archive", To: StateClosed}}}, "$.lifecycle.transitions[0].guards"},
		{"built-in trigger without its guard", LifecycleExtension{Transitions: []TransitionSpec{{From: []State{StateResolved}, Trigger: TriggerResolve, To: StateResolved}}}, "$.lifecycle.transitions[0].guards"},
		{"ambiguous transition", LifecycleExtension{Transitions: []TransitionSpec{{From: []State{StateAssigned}, Trigger: TriggerStart, To: StateResolved}}}, "$.lifecycle.transitions[0].from[0]"},
		{"duplicate state", LifecycleExtension{States: []StateSpec{{Name: StateClosed}}}, "$.lifecycle.states[0]"},
		{"unreachable state", LifecycleExtension{States: []StateSpec{{Name: "island", Terminal: true}}}, "$.lifecycle.states[0]"},
		{"dead end", LifecycleExtension{States: []StateSpec{{Name: "dead_end"}}, Transitions: []TransitionSpec{{From: []State{StateInProgress}, Trigger: "x", To: "dead_end"}}}, "$.lifecycle.states[0]"},
		{"bad name", LifecycleExtension{States: []StateSpec{{Name: "Awaiting Parts"}}}, "$.lifecycle.states[0].name"},
		{"pauses of unknown state", LifecycleExtension{Pauses: map[State][]string{"nowhere": {"resolution"}}}, "$.lifecycle.pauses.nowhere"},
		{"reserved trigger", LifecycleExtension{Transitions: []TransitionSpec{{From: []State{StateInProgress}, Trigger: TriggerOpen, To: StateResolved}}}, "$.lifecycle.transitions[0].trigger"},
		{"satisfied score off scale", LifecycleExtension{SatisfiedScore: ptrTo(6)}, "$.lifecycle.satisfied_score"},
		{"duplicate node", LifecycleExtension{ProgressNodes: []string{"a", "a"}}, "$.lifecycle.progress_nodes[1]"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			_, err := CompileRules(RulesDocument{Version: "x", Lifecycle: &tc.ext})
			var pe *PathError
			require.ErrorAs(t, err, &pe, "%v", err)
			assert.Equal(t, tc.path, pe.Path, "%v", err)
		})
	}
}

func TestTransitionErrorMessage(t *testing.T) {
	e := &TransitionError{State: StateFollowUp, Trigger: TriggerClose, UnmetGuards: []string{GuardFollowedUp}, Err: ErrGuardUnmet}
	assert.Equal(t, `feedback: trigger "close" in state "follow_up": guard not met: [followed_up]`, e.Error())
	assert.True(t, errors.Is(e, ErrGuardUnmet))
}

func TestPreviewAndTriggers(t *testing.T) {
	r := testRules(t)
	d := reachState(t, r, StateFollowUp)
	before := d.tk.Clone()
	out, err := r.Preview(d.tk, d.change(TriggerRecordFollowUp, Payload{FollowUp: &FollowUp{Resolved: false, Score: 1}}))
	require.NoError(t, err)
	assert.Equal(t, StateReopened, out.Event.To)
	assert.Equal(t, before, d.tk)
	_, err = r.Preview(d.tk, d.change(TriggerClose, Payload{}))
	require.ErrorIs(t, err, ErrGuardUnmet)
	assert.Equal(t, []Trigger{TriggerRecordFollowUp, TriggerClose, TriggerMerge, TriggerChooseCompensation, TriggerNote, TriggerRerule, TriggerRecordVisit, TriggerRequestTask, TriggerCompleteTask, TriggerCustomerMessage}, r.Triggers(d.tk))
	assert.Equal(t, []Trigger{TriggerRecordVisit}, r.Triggers(&Ticket{State: StateClosed}), "a closed ticket can still record a second visit")
	assert.Empty(t, r.Triggers(&Ticket{State: StateRejected}))
}
