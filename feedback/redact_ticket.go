package feedback

import (
	"maps"

	"github.com/closeloop/closeloop/redact"
)

// RedactTicket returns a deep copy of t fit for an export or an archive
// (document 002 §5.4), redacted by r (nil: redact.Default()); t is
// not changed. Every text a person wrote or that
// names a person is redacted, in the ticket and in every event of its
// history alike:
//
//   - notes, reasons, the resolution, follow-up comments, delay reasons and
//     plans, rejection reasons;
//   - the customer, the owner, the actors of events, and who requested,
//     approved or did delays and tasks;
//   - attribute values (the keys are the host's own vocabulary and stay).
//
// names (the customer's name, a contact) are masked wherever they occur in
// those texts. Identifiers, states, instants, priorities and their
// reasons, taxonomy values, teams and compensation amounts stay, so the
// copy still tells the ticket's story. Redaction is deterministic and every
// event is redacted as its effect on the ticket is, so the copy's history
// replays to the copy.
func RedactTicket(r *redact.Redactor, t *Ticket, names ...string) *Ticket {
	if t == nil {
		return nil
	}
	if r == nil {
		r = redact.Default()
	}
	c := t.Clone()
	red := func(s string) string {
		if s == "" {
			return s
		}
		return r.Redact(s, names...)
	}
	c.Customer = red(c.Customer)
	c.Owner = red(c.Owner)
	c.Resolution = red(c.Resolution)
	c.Attributes = redactValues(c.Attributes, red)
	c.PendingDelay = redactDelay(c.PendingDelay, red)
	if c.Delays != nil {
		delays := make([]TicketDelay, len(c.Delays))
		for i := range c.Delays {
			delays[i] = *redactDelay(&c.Delays[i], red)
		}
		c.Delays = delays
	}
	c.FollowUp = redactFollowUp(c.FollowUp, red)
	if c.Rejection != nil {
		rej := *c.Rejection
		rej.Reason = red(rej.Reason)
		c.Rejection = &rej
	}
	if c.Tasks != nil {
		tasks := make([]Task, len(c.Tasks))
		for i, task := range c.Tasks {
			task.RequestedBy, task.DoneBy = red(task.RequestedBy), red(task.DoneBy)
			tasks[i] = task
		}
		c.Tasks = tasks
	}
	if c.History != nil {
		history := make([]Event, len(c.History))
		for i, e := range c.History {
			e.Actor = red(e.Actor)
			e.Payload = redactPayload(e.Payload, red)
			history[i] = e
		}
		c.History = history
	}
	return c
}

// RedactSnapshot decodes a snapshot written by [MarshalSnapshot], redacts the
// ticket as [RedactTicket] does (r nil: redact.Default()) and encodes
// it again: an export of a stored ticket. Decoding errors are
// [ParseSnapshot]'s.
func RedactSnapshot(r *redact.Redactor, data []byte, names ...string) ([]byte, error) {
	t, err := ParseSnapshot(data)
	if err != nil {
		return nil, err
	}
	return MarshalSnapshot(RedactTicket(r, t, names...))
}

// redactPayload redacts the free text of an event's payload; pointers to
// what it changes are fresh copies.
func redactPayload(p Payload, red func(string) string) Payload {
	p.Note = red(p.Note)
	p.Reason = red(p.Reason)
	p.Owner = red(p.Owner)
	p.FollowUp = redactFollowUp(p.FollowUp, red)
	p.Delay = redactDelay(p.Delay, red)
	if p.Opening != nil {
		o := *p.Opening
		o.Actor = red(o.Actor)
		o.Customer = red(o.Customer)
		o.Attributes = redactValues(o.Attributes, red)
		p.Opening = &o
	}
	return p
}

func redactDelay(d *TicketDelay, red func(string) string) *TicketDelay {
	if d == nil {
		return nil
	}
	c := *d
	c.Reason, c.Plan = red(c.Reason), red(c.Plan)
	c.RequestedBy, c.DecidedBy = red(c.RequestedBy), red(c.DecidedBy)
	return &c
}

func redactFollowUp(f *FollowUp, red func(string) string) *FollowUp {
	if f == nil {
		return nil
	}
	c := *f
	c.Comment = red(c.Comment)
	return &c
}

func redactValues(m map[string]string, red func(string) string) map[string]string {
	if m == nil {
		return nil
	}
	c := maps.Clone(m)
	for k, v := range c {
		c[k] = red(v)
	}
	return c
}
