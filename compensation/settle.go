package compensation

import (
	"time"
)

// [Settlement] statuses.
const (
	// StatusGranted: the option may be delivered now.
	StatusGranted = "granted"
	// StatusPendingApproval: the option needs approval before it is delivered.
	StatusPendingApproval = "pending_approval"
)

// Settlement records the customer's choice. The host appends it to the
// ticket's history (it marshals to JSON with amounts as strings) and adds
// Amount to what it tracks as granted on the ticket and in the period.
type Settlement struct {
	// Policy, Ticket and Customer are copied from the offer.
	Policy   string `json:"policy"`
	Ticket   string `json:"ticket,omitempty"`
	Customer string `json:"customer,omitempty"`
	// Option is the chosen option with its explanation.
	Option OfferOption `json:"option"`
	// Status is [StatusGranted] or [StatusPendingApproval].
	Status string `json:"status"`
	// ChosenAt is the instant the host passed to [Offer.Choose].
	ChosenAt time.Time `json:"chosen_at"`
	// ValidUntil is when a voucher expires: ChosenAt plus ValidDays calendar
	// days in ChosenAt's location. Nil for other kinds.
	ValidUntil *time.Time `json:"valid_until,omitempty"`
	// Alternatives are the ids of the options the customer did not choose.
	Alternatives []string `json:"alternatives,omitempty"`
}

// Option returns the offered option with the given id.
func (o *Offer) Option(id string) (OfferOption, bool) {
	for _, op := range o.Options {
		if op.ID == id {
			return op, true
		}
	}
	return OfferOption{}, false
}

// Choose records the customer's choice of the option with the given id at
// the instant at (the library has no clock). [Offer.Withheld] options cannot be
// chosen.
func (o *Offer) Choose(id string, at time.Time) (Settlement, error) {
	op, ok := o.Option(id)
	if !ok {
		return Settlement{}, errorf(ErrNoSuchOption, "%q", id)
	}
	s := Settlement{Policy: o.Policy, Ticket: o.Ticket, Customer: o.Customer, Option: op, Status: StatusGranted, ChosenAt: at}
	if op.NeedsApproval {
		s.Status = StatusPendingApproval
	}
	if op.Kind == "voucher" && op.ValidDays > 0 {
		u := at.AddDate(0, 0, op.ValidDays)
		s.ValidUntil = &u
	}
	for _, other := range o.Options {
		if other.ID != id {
			s.Alternatives = append(s.Alternatives, other.ID)
		}
	}
	return s, nil
}

// Explanation returns the chosen option's explanation in one line per
// source and step, for a history entry or a letter to the customer.
func (s Settlement) Explanation() string {
	return s.Option.Explanation.String()
}

// Granted returns the money the settlement grants, to add to the host's
// totals for the ticket and the customer's period; ok is false for options
// without an amount (points, days, services).
func (s Settlement) Granted() (m Money, ok bool) {
	if s.Option.Amount == nil {
		return Money{}, false
	}
	return *s.Option.Amount, true
}
