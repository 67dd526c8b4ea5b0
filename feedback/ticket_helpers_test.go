package feedback

import (
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

var tkT0 = time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC)

func testRules(t testing.TB) *Rules {
	t.Helper()
	r, err := CompileRules(RulesDocument{Version: "test-1"})
	require.NoError(t, err)
	return r
}

// ticketDriver fires changes at a ticket with a clock that ticks a minute per change.
type ticketDriver struct {
	t     testing.TB
	r     *Rules
	tk    *Ticket
	clock time.Time
}

func openTicket(t testing.TB, r *Rules) *ticketDriver {
	t.Helper()
	tk, _, err := r.Open(Opening{ID: "F20240301001", At: tkT0, Actor: "agent-7", Customer: "c-42", Channel: "phone"})
	require.NoError(t, err)
	return &ticketDriver{t: t, r: r, tk: tk, clock: tkT0}
}

func (d *ticketDriver) change(trig Trigger, p Payload) Change {
	d.clock = d.clock.Add(time.Minute)
	return Change{Trigger: trig, Version: d.tk.Version, At: d.clock, Actor: "agent-7", Payload: p}
}

// deadline is the ticket's resolution deadline at the driver's clock.
func (d *ticketDriver) deadline() time.Time {
	d.t.Helper()
	at, err := d.r.Deadline(d.tk, d.clock)
	require.NoError(d.t, err)
	return at
}

func (d *ticketDriver) try(trig Trigger, p Payload) (Outcome, error) {
	return d.r.Fire(d.tk, d.change(trig, p))
}

func (d *ticketDriver) must(trig Trigger, p Payload) Outcome {
	d.t.Helper()
	out, err := d.try(trig, p)
	require.NoError(d.t, err, "firing %s in %s", trig, d.tk.State)
	return out
}

// valid returns a payload the trigger accepts.
func validPayload(trig Trigger) Payload {
	switch trig {
	case TriggerTriage:
		return Payload{Priority: "P1", Deadline: tkT0.Add(72 * time.Hour)}
	case TriggerAssign:
		return Payload{Team: "tech-support", Owner: "li.wei"}
	case TriggerProgress:
		return Payload{Node: "under_repair"}
	case TriggerWaitCustomer, TriggerWaitThirdParty, TriggerEscalate:
		return Payload{Reason: "needs photos of the damage"}
	case TriggerResolve:
		return Payload{Note: "replaced the compressor"}
	case TriggerRecordFollowUp:
		return Payload{FollowUp: &FollowUp{Resolved: true, Score: 4}}
	case TriggerMerge:
		return Payload{MergeInto: "F20240301000"}
	case TriggerReject:
		return Payload{Rejection: RejectSpam, Reason: "advertising"}
	case TriggerRequestDelay:
		return Payload{Delay: &TicketDelay{Reason: "parts on back order", Plan: "parts arrive Monday, repair Tuesday", NewDeadline: tkT0.Add(120 * time.Hour)}}
	case TriggerRejectDelay:
		return Payload{Reason: "the customer cannot wait"}
	case TriggerChooseCompensation:
		return Payload{Compensation: &CompensationChoice{Option: "voucher", Amount: "50.00", Currency: "CNY"}}
	case TriggerNote, TriggerRespond:
		return Payload{Note: "customer called again"}
	case TriggerRerule:
		return Payload{Reason: "the policy was corrected"}
	case TriggerRecordVisit:
		return Payload{Note: "second visit: the customer is satisfied"}
	case TriggerCustomerMessage:
		return Payload{Note: "any news?"}
	case TriggerRequestTask, TriggerCompleteTask:
		return Payload{Task: &TaskRequest{Name: "root_cause_report", Team: "quality"}}
	}
	return Payload{}
}

// paths are trigger sequences from a new ticket to each state.
var statePaths = map[State][]Trigger{
	StateReceived:          nil,
	StateTriaged:           {TriggerTriage},
	StateAssigned:          {TriggerTriage, TriggerAssign},
	StateInProgress:        {TriggerTriage, TriggerAssign, TriggerStart},
	StateWaitingCustomer:   {TriggerTriage, TriggerAssign, TriggerStart, TriggerWaitCustomer},
	StateWaitingThirdParty: {TriggerTriage, TriggerAssign, TriggerStart, TriggerWaitThirdParty},
	StateEscalated:         {TriggerTriage, TriggerAssign, TriggerStart, TriggerEscalate},
	StateResolved:          {TriggerTriage, TriggerAssign, TriggerStart, TriggerResolve},
	StateFollowUp:          {TriggerTriage, TriggerAssign, TriggerStart, TriggerResolve, TriggerFollowUp},
	StateClosed:            {TriggerTriage, TriggerAssign, TriggerStart, TriggerResolve, TriggerFollowUp, TriggerRecordFollowUp, TriggerClose},
	StateMerged:            {TriggerMerge},
	StateRejected:          {TriggerReject},
}

func (d *ticketDriver) walk(triggers ...Trigger) *ticketDriver {
	d.t.Helper()
	for _, tr := range triggers {
		d.must(tr, validPayload(tr))
	}
	return d
}

func (d *ticketDriver) reopen() *ticketDriver {
	d.t.Helper()
	d.walk(statePaths[StateFollowUp]...)
	d.must(TriggerRecordFollowUp, Payload{FollowUp: &FollowUp{Resolved: false, Score: 2}})
	return d
}

func reachState(t testing.TB, r *Rules, s State) *ticketDriver {
	t.Helper()
	d := openTicket(t, r)
	if s == StateReopened {
		return d.reopen()
	}
	p, ok := statePaths[s]
	require.True(t, ok, "no path to %s", s)
	return d.walk(p...)
}
