package feedback

import (
	"encoding/json"
	"fmt"
	"maps"
	"sort"
	"strings"
	"time"

	"github.com/closeloop/closeloop/compensation"
	"github.com/closeloop/closeloop/internal/rulesjson"
	"github.com/closeloop/closeloop/sla"
)

// parseCompensation compiles the "compensation" section: an array of
// compensation policy documents, looked up by their names.
func parseCompensation(raw json.RawMessage) (map[string]*compensation.Policy, error) {
	var docs []json.RawMessage
	if err := rulesjson.Decode(raw, &docs); err != nil {
		return nil, err
	}
	out := make(map[string]*compensation.Policy, len(docs))
	for i, doc := range docs {
		p, err := compensation.ParsePolicy(doc)
		if err != nil {
			return nil, rulesjson.Wrap(indexPath("$", i), err)
		}
		if _, dup := out[p.Name()]; dup {
			return nil, rulesjsonErrorf(fieldPath(indexPath("$", i), "name"), "compensation policy %q listed twice", p.Name())
		}
		out[p.Name()] = p
	}
	return out, nil
}

// CompensationPolicies returns the names of the rules' compensation policies, sorted.
func (r *Rules) CompensationPolicies() []string {
	out := make([]string, 0, len(r.compensation))
	for name := range r.compensation {
		out = append(out, name)
	}
	sort.Strings(out)
	return out
}

// CompensationPolicy returns the compiled compensation policy called name,
// so a host can read its currency and the inputs it needs (Policy.Inputs)
// before it builds a claim.
func (r *Rules) CompensationPolicy(name string) (*compensation.Policy, bool) {
	p, ok := r.compensation[name]
	return p, ok
}

// Offer computes the compensation offer the named policy makes for t. The
// claim carries what only the host knows (losses, downtime, amounts paid);
// Offer fills in the ticket, the customer, the priority, the tier (from the
// ticket's "tier" attribute) and what was already granted on the ticket,
// unless the claim sets them. The customer's choice is recorded with the
// choose_compensation trigger and CompensationChoiceFrom. OfferAt also
// feeds the ticket's SLA report into the claim.
func (r *Rules) Offer(t *Ticket, policy string, claim compensation.Claim) (compensation.Offer, error) {
	return r.offer(t, policy, claim, time.Time{})
}

// OfferAt is Offer with the ticket's SLA report at now in the claim: a
// duration "<metric>_late" for every breached clock (how far past its
// target, e.g. "resolution_late") and "<metric>_elapsed" for every clock,
// unless the claim sets them.
func (r *Rules) OfferAt(t *Ticket, policy string, claim compensation.Claim, now time.Time) (compensation.Offer, error) {
	if now.IsZero() {
		return compensation.Offer{}, fmt.Errorf("feedback: OfferAt needs the instant to evaluate the SLA at")
	}
	return r.offer(t, policy, claim, now)
}

func (r *Rules) offer(t *Ticket, policy string, claim compensation.Claim, now time.Time) (compensation.Offer, error) {
	p, ok := r.compensation[policy]
	if !ok {
		return compensation.Offer{}, fmt.Errorf("feedback: no compensation policy %q (have %v)", policy, r.CompensationPolicies())
	}
	if claim.Ticket == "" {
		claim.Ticket = t.ID
	}
	if claim.Customer == "" {
		claim.Customer = t.Customer
	}
	if claim.Priority == "" {
		claim.Priority = t.Priority
	}
	if claim.Tier == "" {
		claim.Tier = t.Attributes["tier"]
	}
	if !claim.GrantedOnTicket.Valid() && t.Compensation != nil && t.Compensation.Amount != "" &&
		t.Compensation.Currency == p.Currency().Code && t.Compensation.Status == compensation.StatusGranted {
		if m, err := compensation.ParseMoney(t.Compensation.Amount, t.Compensation.Currency); err == nil {
			claim.GrantedOnTicket = m
		}
	}
	if r.policies != nil && !now.IsZero() {
		rep, err := r.SLA(t, now)
		if err != nil {
			return compensation.Offer{}, err
		}
		durations := make(map[string]time.Duration, len(claim.Durations)+2*len(rep.Metrics))
		for _, m := range rep.Metrics {
			durations[m.Name+"_elapsed"] = m.Elapsed
			if m.Status == sla.Breached {
				durations[m.Name+"_late"] = m.Late
			}
		}
		maps.Copy(durations, claim.Durations) // the host's own figures win
		claim.Durations = durations
	}
	return p.Compute(claim)
}

// CompensationChoiceFrom turns the settlement of a customer's choice into
// the payload of a choose_compensation change.
func CompensationChoiceFrom(s compensation.Settlement) *CompensationChoice {
	c := &CompensationChoice{
		Policy: s.Policy, Option: s.Option.ID, Kind: s.Option.Kind, Status: s.Status,
		Alternatives: append([]string(nil), s.Alternatives...),
	}
	if s.Option.Amount != nil {
		c.Amount = s.Option.Amount.Text()
		c.Currency = s.Option.Amount.Currency().Code
	}
	switch {
	case s.Option.Points != 0:
		c.Quantity = fmt.Sprintf("%d points", s.Option.Points)
	case s.Option.Days != 0:
		c.Quantity = fmt.Sprintf("%d days", s.Option.Days)
	case s.Option.Service != "":
		c.Quantity = s.Option.Service
	}
	if s.ValidUntil != nil {
		c.ValidUntil = s.ValidUntil.UTC()
	}
	if e := strings.TrimSpace(s.Explanation()); e != "" {
		c.Explanation = strings.Split(e, "\n")
	}
	return c
}
