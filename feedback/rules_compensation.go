package feedback

import (
	"fmt"
	"maps"
	"sort"
	"strings"
	"time"

	"github.com/closeloop/closeloop/compensation"
	"github.com/closeloop/closeloop/internal/rulesjson"
	"github.com/closeloop/closeloop/sla"
)

// compilePolicies compiles the "compensation" section: compensation
// policies, looked up by their names.
func compilePolicies(specs []compensation.PolicySpec) (map[string]*compensation.Policy, error) {
	out := make(map[string]*compensation.Policy, len(specs))
	for i, spec := range specs {
		p, err := compensation.NewPolicy(spec)
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
// choose_compensation trigger and [CompensationChoiceFrom]. [Rules.OfferAt]
// also feeds the ticket's SLA report into the claim.
func (r *Rules) Offer(t *Ticket, policy string, claim compensation.Claim) (compensation.Offer, error) {
	return r.offer(t, policy, claim, time.Time{})
}

// OfferAt is [Rules.Offer] with the ticket's SLA report at now in the claim,
// for the inputs the policy reads (Policy.Inputs) and the claim does not set:
// the duration "<metric>_overrun" is how far a clock ran past its deadline
// (Late in the report; 0 for a clock on time, so an on-time ticket falls in
// the lowest band), and "<metric>_elapsed" the clock's counted time. The
// presets and package whatif use the same names ("resolution_overrun").
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
		claim.Durations = slaDurations(p, rep, claim.Durations)
	}
	return p.Compute(claim)
}

// slaDurations adds to the claim's durations the "<metric>_overrun" and
// "<metric>_elapsed" inputs the policy reads and the claim lacks (the
// host's own figures win).
func slaDurations(p *compensation.Policy, rep *sla.Report, given map[string]time.Duration) map[string]time.Duration {
	var out map[string]time.Duration
	for _, in := range p.Inputs() {
		if in.Map != "durations" {
			continue
		}
		if _, set := given[in.Name]; set {
			continue
		}
		for i := range rep.Metrics {
			m := &rep.Metrics[i]
			var d time.Duration
			switch in.Name {
			case m.Name + OverrunSuffix:
				if m.Status == sla.Breached {
					d = m.Late
				}
			case m.Name + ElapsedSuffix:
				d = m.Elapsed
			default:
				continue
			}
			if out == nil {
				out = maps.Clone(given)
				if out == nil {
					out = map[string]time.Duration{}
				}
			}
			out[in.Name] = d
		}
	}
	if out == nil {
		return given
	}
	return out
}

// The suffixes of the claim inputs OfferAt fills from the SLA report.
const (
	// OverrunSuffix: "<metric>_overrun" is how far the clock ran past its deadline.
	OverrunSuffix = "_overrun"
	// ElapsedSuffix: "<metric>_elapsed" is the clock's counted time.
	ElapsedSuffix = "_elapsed"
)

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
