package feedback

import (
	"fmt"
	"strings"

	"github.com/closeloop/closeloop/internal/rulesjson"
)

// maxFollowUpScore is the top of the widest follow-up scale a lifecycle
// may have (its max_score is validated to 1..100).
const maxFollowUpScore = 100

// checkSnapshotValues refuses values no ticket can hold, in the ticket and
// in the events whose trigger reads them. Replay trusts what the events
// record (it does not re-run guards), and Restore only compares the
// ticket with its replayed history, so a snapshot tampered with
// consistently (the same "P10" in the triage event and the ticket) would
// pass both without these checks. A payload field the event's trigger
// ignores is recorded as the change gave it and is not checked.
func checkSnapshotValues(t *Ticket) error {
	if !validLevel(t.Priority) && t.Priority != "" {
		return valueErr("$.priority", "priority %q is not a priority level", t.Priority)
	}
	if member, problem := checkFollowUp(t.FollowUp); problem != "" {
		return valueErr("$.follow_up."+member, "%s", problem)
	}
	if t.Rejection != nil && !validRejection(t.Rejection.Kind) {
		return valueErr("$.rejection.kind", "rejection kind %q: want %q or %q", t.Rejection.Kind, RejectInvalid, RejectSpam)
	}
	for _, c := range []struct {
		name string
		n    int
	}{{"reopen_rounds", t.ReopenRounds}, {"escalations", t.Escalations}} {
		if c.n < 0 || int64(c.n) > t.Version {
			return valueErr("$."+c.name, "%d: want 0..%d, the number of events", c.n, t.Version)
		}
	}
	for i := range t.History {
		if err := checkEventValues(i, &t.History[i]); err != nil {
			return err
		}
	}
	return nil
}

func checkEventValues(i int, ev *Event) error {
	path := eventPath(i)
	p := &ev.Payload
	switch ev.Trigger {
	case TriggerOpen:
		if p.Opening != nil && !p.Opening.At.Equal(ev.At) {
			return valueErr(path.String()+".opening.at", "the opening at %v, the event at %v", p.Opening.At, ev.At)
		}
	case TriggerTriage:
		if !validLevel(p.Priority) {
			return valueErr(path.String()+".priority", "priority %q: a triage settles on a priority level", p.Priority)
		}
		if in := p.PriorityInput; in != nil {
			for _, c := range []struct {
				name string
				n    int64
			}{{"impact", int64(in.Impact)}, {"urgency", int64(in.Urgency)}, {"severity", int64(in.Severity)},
				{"tier", int64(in.Tier)}, {"affected", in.Affected}, {"business", in.Business}} {
				if c.n < 0 {
					return valueErr(path.String()+".priority_input."+c.name, "%d: levels and counts are not negative", c.n)
				}
			}
		}
		if !p.Deadline.IsZero() && !p.Deadline.After(ev.At) {
			return valueErr(path.String()+".deadline", "the deadline %v is not after the triage at %v", p.Deadline, ev.At)
		}
	case TriggerRecordFollowUp:
		if p.FollowUp == nil {
			return valueErr(path.String(), "a record_follow_up event without its follow_up")
		}
		if member, problem := checkFollowUp(p.FollowUp); problem != "" {
			return valueErr(path.String()+".follow_up."+member, "%s", problem)
		}
	case TriggerReject:
		if !validRejection(p.Rejection) {
			return valueErr(path.String()+".rejection", "rejection kind %q: want %q or %q", p.Rejection, RejectInvalid, RejectSpam)
		}
	case TriggerRequestTask, TriggerCompleteTask:
		if p.Task == nil || !namePattern.MatchString(p.Task.Name) {
			return valueErr(path.String()+".task", "a %s event names its task in lower-case letters, digits and underscores", ev.Trigger)
		}
	}
	return nil
}

// eventPath is the path of event i's payload: "$.history[i].payload". It
// is a type so that the string is only built when an error names it.
type eventPath int

func (i eventPath) String() string { return rulesjson.Index("$.history", int(i)) + ".payload" }

// checkFollowUp says which member of a follow-up outcome is wrong, and
// how, or nothing.
func checkFollowUp(f *FollowUp) (member, problem string) {
	switch {
	case f == nil:
		return "", ""
	case f.Score < 1 || f.Score > maxFollowUpScore:
		return "score", fmt.Sprintf("score %d: want 1..%d", f.Score, maxFollowUpScore)
	case f.Satisfied && !f.Resolved:
		return "satisfied", "a follow-up that says not resolved cannot be satisfied"
	}
	return "", ""
}

func validRejection(kind string) bool { return kind == RejectInvalid || kind == RejectSpam }

func valueErr(path, format string, args ...any) *PathError {
	return &PathError{Path: path, Err: fmt.Errorf("%w: %s", ErrInvalidTicket, fmt.Sprintf(format, args...))}
}

// checkLifecycleValues refuses what the rules' lifecycle could never have
// recorded: a follow-up score above its scale, a progress node it does
// not have. Replay checks the states and moves; these are the values its
// guards decided on.
func (lc *Lifecycle) checkLifecycleValues(t *Ticket) error {
	for i := range t.History {
		ev := &t.History[i]
		path := eventPath(i)
		switch ev.Trigger {
		case TriggerRecordFollowUp:
			if f := ev.Payload.FollowUp; f != nil && f.Score > lc.spec.MaxScore {
				return valueErr(path.String()+".follow_up.score", "score %d: the lifecycle scores 1..%d", f.Score, lc.spec.MaxScore)
			}
		case TriggerProgress:
			if n := ev.Payload.Node; !lc.nodes[n] {
				return valueErr(path.String()+".node", "progress node %q: the lifecycle's nodes are %s", n, strings.Join(lc.spec.ProgressNodes, ", "))
			}
		}
	}
	return nil
}
