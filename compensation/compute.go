package compensation

import (
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Claim is what the host knows about one ticket when it asks for an offer.
// Maps may be nil. Keys are the input names the policy's measures, bases and
// conditions use.
type Claim struct {
	// Ticket and Customer identify the ticket and customer; copied to the offer.
	Ticket   string
	Customer string
	// Tier is the customer's tier ("gold", "vip"); it selects a tier multiplier.
	Tier string
	// Priority is the ticket's priority, "" or "P0".."P3"; it selects a priority multiplier.
	Priority string
	// Durations are measured times: delay, downtime, business interruption.
	Durations map[string]time.Duration
	// Amounts are amounts in the policy currency: price paid, monthly charge, economic loss.
	Amounts map[string]Money
	// Numbers are other numeric attributes: monthly uptime percentage, distance in km.
	Numbers map[string]decimal.Decimal
	// Flags are yes/no facts: "rerouted", "intra_community".
	Flags map[string]bool
	// GrantedOnTicket is what was already granted on this ticket; the zero Money means nothing.
	GrantedOnTicket Money
	// GrantedInPeriod is what the customer was already granted in the current
	// period of the customer-period cap; the zero Money means nothing.
	GrantedInPeriod Money
}

// Offer lists the options a customer may choose from, each explained.
type Offer struct {
	// Policy is the name of the policy that made the offer.
	Policy string `json:"policy"`
	// Ticket and Customer are copied from the claim.
	Ticket   string `json:"ticket,omitempty"`
	Customer string `json:"customer,omitempty"`
	// Currency is the policy's ISO 4217 code.
	Currency string `json:"currency"`
	// Readings say, per schedule, whether it applied, the measure's value and the band it fell in.
	Readings []Reading `json:"readings"`
	// Options the customer may choose from, in the policy's order of option ids.
	Options []OfferOption `json:"options"`
	// Withheld are options that came to nothing (a cap already used up, a zero share).
	Withheld []OfferOption `json:"withheld,omitempty"`
}

// Reading is what one schedule saw in the claim.
type Reading struct {
	// Schedule is the schedule's name.
	Schedule string `json:"schedule"`
	// Applies is false when one of the schedule's conditions does not hold.
	Applies bool `json:"applies"`
	// Note says why a schedule did not apply or found no band.
	Note string `json:"note,omitempty"`
	// Measure is the input the schedule measures; Value its value with the unit.
	Measure string `json:"measure"`
	Value   string `json:"value,omitempty"`
	// Band and Range name the band the value fell in.
	Band  string `json:"band,omitempty"`
	Range string `json:"range,omitempty"`
	// Reductions that held, e.g. "rerouted-within-2h -50%".
	Reductions []string `json:"reductions,omitempty"`
}

// OfferOption is one choice. Exactly one of Amount, Points, Days, Service
// carries its value, according to Kind.
type OfferOption struct {
	// ID, Kind and Label come from the policy's option.
	ID    string `json:"id"`
	Kind  string `json:"kind"`
	Label string `json:"label,omitempty"`
	// Amount of a cash, credit or voucher option, at the currency's scale.
	Amount *Money `json:"amount,omitempty"`
	// ValidDays of a voucher.
	ValidDays int `json:"valid_days,omitempty"`
	// Points of a points option.
	Points int64 `json:"points,omitempty"`
	// Days of a service_days option.
	Days int `json:"days,omitempty"`
	// Service of a service option.
	Service string `json:"service,omitempty"`
	// NeedsApproval is set when the amount is over the policy's approval
	// threshold or the option always requires approval.
	NeedsApproval bool `json:"needs_approval"`
	// Explanation shows how the value came about.
	Explanation Explanation `json:"explanation"`
}

// Explanation shows how an option's value came about.
type Explanation struct {
	// Sources are the schedule bands that offered the option.
	Sources []Source `json:"sources"`
	// Steps are the adjustments after the sources, in the order applied;
	// floors and caps appear only when they changed the value.
	Steps []Step `json:"steps,omitempty"`
}

// Source is one schedule band's contribution to an option.
type Source struct {
	// Schedule, Measure, Value, Band and Range repeat the schedule's Reading.
	Schedule string `json:"schedule"`
	Measure  string `json:"measure"`
	Value    string `json:"value"`
	Band     string `json:"band"`
	Range    string `json:"range"`
	// Formula in words with its numbers: "3 × price 120.00 = 360.00; min 500.00 → 500.00".
	Formula string `json:"formula,omitempty"`
	// Reductions applied to this contribution.
	Reductions []string `json:"reductions,omitempty"`
	// Result is the contribution after reductions, exact and unrounded.
	Result string `json:"result"`
	// Used is false when combining by maximum chose another source.
	Used bool `json:"used"`
}

// Step is one adjustment.
type Step struct {
	// Stage is combine, multiplier, rounding, floor, cap or approval.
	Stage string `json:"stage"`
	// Rule names the rule: "tier gold × 1.5", "ticket_cap 500.00 less 120.00 already granted".
	Rule string `json:"rule"`
	// Before and After are the value before and after the step.
	Before string `json:"before"`
	After  string `json:"after"`
}

type acc struct {
	o         *option // first option seen with this id
	ok        bool
	money     decimal.Decimal
	points    decimal.Decimal
	days      int
	validDays int
	approve   bool
	floor     limit
	cap       limit
	sources   []Source
	winner    int
}

// Compute evaluates the claim against every schedule and returns the offer.
// It never returns a negative amount, and every cap holds. Errors are
// *InputError values for claim inputs a measure or base needs but that are
// missing or out of range.
func (p *Policy) Compute(c Claim) (Offer, error) {
	off := Offer{Policy: p.name, Ticket: c.Ticket, Customer: c.Customer, Currency: p.cur.Code, Options: []OfferOption{}}
	prio := -1
	if c.Priority != "" {
		lvl, ok := priorityIndex(c.Priority)
		if !ok {
			return Offer{}, inputErr("priority", ErrInvalidInput, "%q: want P0, P1, P2 or P3", c.Priority)
		}
		prio = lvl
	}
	grantedTicket, err := p.granted("granted_on_ticket", c.GrantedOnTicket)
	if err != nil {
		return Offer{}, err
	}
	grantedPeriod, err := p.granted("granted_in_period", c.GrantedInPeriod)
	if err != nil {
		return Offer{}, err
	}
	accs := make([]acc, len(p.ids))
	off.Readings = make([]Reading, 0, len(p.schedules))
	for si := range p.schedules {
		sc := &p.schedules[si]
		rd := Reading{Schedule: sc.name, Measure: sc.input}
		ok, failed, err := p.holds(sc.when, &c)
		if err != nil {
			return Offer{}, err
		}
		if !ok {
			rd.Note = "condition does not hold: " + failed
			off.Readings = append(off.Readings, rd)
			continue
		}
		rd.Applies = true
		v, err := p.measure(sc, &c)
		if err != nil {
			return Offer{}, err
		}
		rd.Value = formatMeasure(p, sc, v)
		b := sc.find(v)
		if b == nil {
			rd.Note = "the value falls in no band"
			off.Readings = append(off.Readings, rd)
			continue
		}
		rd.Band, rd.Range = b.name, b.rng
		factor := decimal.Decimal{}
		hasFactor := false
		for _, rs := range [2][]reduction{sc.reductions, b.reductions} {
			for i := range rs {
				r := &rs[i]
				ok, _, err := p.holds(r.when, &c)
				if err != nil {
					return Offer{}, err
				}
				if !ok {
					continue
				}
				if hasFactor {
					factor = factor.Mul(r.factor)
				} else {
					factor, hasFactor = r.factor, true
				}
				rd.Reductions = append(rd.Reductions, r.name+" -"+r.percent.String()+"%")
			}
		}
		off.Readings = append(off.Readings, rd)
		for oi := range b.options {
			o := &b.options[oi]
			ok, _, err := p.holds(o.when, &c)
			if err != nil {
				return Offer{}, err
			}
			if !ok {
				continue
			}
			src := Source{Schedule: sc.name, Measure: sc.input, Value: rd.Value, Band: b.name, Range: b.rng, Reductions: rd.Reductions, Used: true}
			a := &accs[o.idx]
			switch {
			case o.kind.money():
				amt, text, err := p.formula(sc, o, v, &c)
				if err != nil {
					return Offer{}, err
				}
				if hasFactor {
					amt = amt.Mul(factor)
				}
				src.Formula, src.Result = text, amt.String()
				p.mergeDecimal(a, o, &a.money, amt, src)
			case o.kind == optPoints:
				pts := decimal.NewFromInt(o.points)
				if hasFactor {
					pts = pts.Mul(factor)
				}
				src.Formula, src.Result = strconv.FormatInt(o.points, 10)+" points", pts.String()
				p.mergeDecimal(a, o, &a.points, pts, src)
			case o.kind == optServiceDays:
				src.Formula, src.Result = strconv.Itoa(o.days)+" days", strconv.Itoa(o.days)
				p.mergeDays(a, o, src)
			default:
				src.Formula, src.Result = o.service, o.service
				if !a.ok {
					a.o, a.ok, a.approve = o, true, o.needApprove
				} else {
					a.approve = a.approve || o.needApprove
				}
				a.sources = append(a.sources, src)
			}
		}
	}
	for i := range accs {
		a := &accs[i]
		if !a.ok {
			continue
		}
		oo := p.finish(a, &c, prio, grantedTicket, grantedPeriod)
		if oo.zero {
			off.Withheld = append(off.Withheld, oo.OfferOption)
		} else {
			off.Options = append(off.Options, oo.OfferOption)
		}
	}
	return off, nil
}

func (p *Policy) granted(name string, m Money) (decimal.Decimal, error) {
	if !m.Valid() {
		if !m.amount.IsZero() {
			return decimal.Decimal{}, inputErr(name, ErrCurrencyMismatch, "amount without currency")
		}
		return decimal.Zero, nil
	}
	if m.currency != p.cur {
		return decimal.Decimal{}, inputErr(name, ErrCurrencyMismatch, "%s, policy currency is %s", m.currency.Code, p.cur.Code)
	}
	if err := checkAmount(m.amount, m.currency); err != nil {
		return decimal.Decimal{}, &InputError{Input: name, Err: err}
	}
	return m.amount, nil
}

// mergeDecimal folds a money or points contribution into a.
func (p *Policy) mergeDecimal(a *acc, o *option, slot *decimal.Decimal, v decimal.Decimal, src Source) {
	if !a.ok {
		a.o, a.ok, a.approve = o, true, o.needApprove
		*slot = v
		a.floor, a.cap, a.validDays = o.floor, o.cap, o.validDays
		a.sources = append(a.sources, src)
		return
	}
	a.approve = a.approve || o.needApprove
	if p.combine == combineSum {
		*slot = slot.Add(v)
		a.floor = maxLimit(a.floor, o.floor)
		a.cap = minLimit(a.cap, o.cap)
		if o.validDays > a.validDays {
			a.validDays = o.validDays
		}
		a.sources = append(a.sources, src)
		return
	}
	if v.Cmp(*slot) > 0 {
		*slot = v
		a.floor, a.cap, a.validDays = o.floor, o.cap, o.validDays
		a.sources[a.winner].Used = false
		a.winner = len(a.sources)
	} else {
		src.Used = false
	}
	a.sources = append(a.sources, src)
}

func (p *Policy) mergeDays(a *acc, o *option, src Source) {
	if !a.ok {
		a.o, a.ok, a.approve, a.days = o, true, o.needApprove, o.days
		a.sources = append(a.sources, src)
		return
	}
	a.approve = a.approve || o.needApprove
	switch {
	case p.combine == combineSum:
		a.days += o.days
	case o.days > a.days:
		a.days = o.days
		a.sources[a.winner].Used = false
		a.winner = len(a.sources)
	default:
		src.Used = false
	}
	a.sources = append(a.sources, src)
}

func maxLimit(a, b limit) limit {
	if !a.set || (b.set && b.v.Cmp(a.v) > 0) {
		return b
	}
	return a
}

func minLimit(a, b limit) limit {
	if !a.set || (b.set && b.v.Cmp(a.v) < 0) {
		return b
	}
	return a
}

// maxOfferPoints bounds the points of one option so that they fit an int64
// whatever the multipliers and the number of schedules summed.
var maxOfferPoints = decimal.New(1, 15)

type finished struct {
	OfferOption
	zero bool
}

// finish applies, in order: multipliers, rounding, floors, caps, approval.
func (p *Policy) finish(a *acc, c *Claim, prio int, grantedTicket, grantedPeriod decimal.Decimal) finished {
	o := a.o
	out := finished{OfferOption: OfferOption{ID: o.id, Kind: o.kind.String(), Label: o.label, NeedsApproval: a.approve}}
	ex := &out.Explanation
	ex.Sources = a.sources
	if o.kind.money() || o.kind == optPoints {
		ex.Steps = make([]Step, 0, 6)
	}
	if len(a.sources) > 1 {
		results := make([]string, len(a.sources))
		for i, src := range a.sources {
			results[i] = src.Result
		}
		ex.Steps = append(ex.Steps, Step{Stage: "combine", Rule: p.combine.String() + " of " + strconv.Itoa(len(a.sources)) + " schedules",
			Before: strings.Join(results, ", ")})
	}
	switch o.kind {
	case optServiceDays:
		out.Days = a.days
		if len(ex.Steps) > 0 {
			ex.Steps[0].After = strconv.Itoa(a.days)
		}
		return out
	case optService:
		out.Service = o.service
		return out
	}
	v := a.money
	if o.kind == optPoints {
		v = a.points
	}
	// vs is v as text; each step's Before is the previous step's After.
	var vs string
	if len(ex.Steps) > 0 {
		vs = v.String()
		ex.Steps[0].After = vs
	} else {
		vs = a.sources[0].Result
	}
	step := func(stage, rule string, nv decimal.Decimal, after string) {
		ex.Steps = append(ex.Steps, Step{Stage: stage, Rule: rule, Before: vs, After: after})
		v, vs = nv, after
	}
	if m, ok := p.tierMul[c.Tier]; ok && c.Tier != "" {
		nv := v.Mul(m.v)
		step("multiplier", m.rule, nv, nv.String())
	}
	if prio >= 0 && p.prioMul[prio].set {
		m := &p.prioMul[prio]
		nv := v.Mul(m.v)
		step("multiplier", m.rule, nv, nv.String())
	}
	if o.kind == optPoints {
		nv := p.rounding.Round(v, 0)
		step("rounding", p.rounding.String()+" to whole points", nv, nv.String())
		if nv.Cmp(maxOfferPoints) > 0 {
			step("cap", "at most "+maxOfferPoints.String()+" points", maxOfferPoints, maxOfferPoints.String())
		}
		if v.Sign() <= 0 {
			out.zero = true
			return out
		}
		out.Points = v.IntPart()
		return out
	}
	scale := p.cur.MinorUnits
	nv := p.rounding.Round(v, scale)
	step("rounding", p.roundingRule, nv, nv.StringFixed(scale))
	if a.floor.set && v.Cmp(a.floor.v) < 0 {
		step("floor", "option floor "+a.floor.text, a.floor.v, a.floor.text)
	}
	if p.ticketFloor.set && v.Cmp(p.ticketFloor.v) < 0 {
		step("floor", "ticket_floor "+p.ticketFloor.text, p.ticketFloor.v, p.ticketFloor.text)
	}
	if a.cap.set && v.Cmp(a.cap.v) > 0 {
		step("cap", "option cap "+a.cap.text, a.cap.v, a.cap.text)
	}
	if p.ticketCap.set {
		if r := remaining(p.ticketCap.v, grantedTicket); v.Cmp(r) > 0 {
			step("cap", remainingRule("ticket_cap", p.ticketCap, grantedTicket, scale, "on the ticket"), r, r.StringFixed(scale))
		}
	}
	if p.periodCap.set {
		if r := remaining(p.periodCap.v, grantedPeriod); v.Cmp(r) > 0 {
			step("cap", remainingRule("customer_period_cap", p.periodCap, grantedPeriod, scale, "in the period"), r, r.StringFixed(scale))
		}
	}
	m := Money{amount: v, currency: p.cur}
	out.Amount = &m
	out.ValidDays = a.validDays
	if p.approvalAbove.set && v.Cmp(p.approvalAbove.v) > 0 {
		out.NeedsApproval = true
		step("approval", "amount over approval_above "+p.approvalAbove.text, v, vs)
	}
	out.zero = v.Sign() <= 0
	return out
}

func remaining(cap, granted decimal.Decimal) decimal.Decimal {
	if granted.IsZero() {
		return cap
	}
	r := cap.Sub(granted)
	if r.Sign() < 0 {
		return decimal.Zero
	}
	return r
}

func remainingRule(name string, cap limit, granted decimal.Decimal, scale int32, where string) string {
	if granted.IsZero() {
		return name + " " + cap.text
	}
	return name + " " + cap.text + " less " + granted.StringFixed(scale) + " already granted " + where
}

// find returns the band containing v, or nil.
func (sc *schedule) find(v mval) *band {
	for i := range sc.bands {
		b := &sc.bands[i]
		if !b.lo.unbounded {
			c := cmpVal(sc.kind, v, b.lo.v)
			if c < 0 || c == 0 && !b.lo.incl {
				continue
			}
		}
		if !b.hi.unbounded {
			c := cmpVal(sc.kind, v, b.hi.v)
			if c > 0 || c == 0 && !b.hi.incl {
				continue
			}
		}
		return b
	}
	return nil
}

func formatMeasure(p *Policy, sc *schedule, v mval) string {
	var s string
	switch sc.kind {
	case kindDuration:
		s = v.d.String()
	case kindAmount:
		s = v.n.StringFixed(p.cur.MinorUnits)
	default:
		s = v.n.String()
	}
	if sc.unit != "" {
		s += " " + sc.unit
	}
	return s
}

// measure reads the schedule's measure from the claim.
func (p *Policy) measure(sc *schedule, c *Claim) (mval, error) {
	switch sc.kind {
	case kindDuration:
		d, ok := c.Durations[sc.input]
		if !ok {
			return mval{}, inputErr("durations."+sc.input, ErrMissingInput, "schedule %q measures it", sc.name)
		}
		if d < 0 {
			return mval{}, inputErr("durations."+sc.input, ErrInvalidInput, "negative duration %s", d)
		}
		return mval{d: d}, nil
	case kindAmount:
		d, err := p.amountInput(sc.input, c)
		if err != nil {
			return mval{}, err
		}
		return mval{n: d}, nil
	}
	n, ok := c.Numbers[sc.input]
	if !ok {
		return mval{}, inputErr("numbers."+sc.input, ErrMissingInput, "schedule %q measures it", sc.name)
	}
	if err := checkNumber(n); err != nil {
		return mval{}, &InputError{Input: "numbers." + sc.input, Err: err}
	}
	if sc.kind == kindPercentage && (n.Sign() < 0 || n.Cmp(hundred) > 0) {
		return mval{}, inputErr("numbers."+sc.input, ErrInvalidInput, "percentage %s is outside 0..100", n)
	}
	return mval{n: n}, nil
}

func (p *Policy) amountInput(name string, c *Claim) (decimal.Decimal, error) {
	m, ok := c.Amounts[name]
	if !ok {
		return decimal.Decimal{}, inputErr("amounts."+name, ErrMissingInput, "the policy needs it")
	}
	if m.currency != p.cur {
		return decimal.Decimal{}, inputErr("amounts."+name, ErrCurrencyMismatch, "%q, policy currency is %s", m.currency.Code, p.cur.Code)
	}
	if err := checkAmount(m.amount, m.currency); err != nil {
		return decimal.Decimal{}, &InputError{Input: "amounts." + name, Err: err}
	}
	return m.amount, nil
}

// formula computes the exact amount of a money option before reductions.
func (p *Policy) formula(sc *schedule, o *option, v mval, c *Claim) (decimal.Decimal, string, error) {
	scale := p.cur.MinorUnits
	switch o.formula {
	case fFixed:
		return o.amount, "fixed " + o.amount.StringFixed(scale), nil
	case fPercent:
		base, err := p.amountInput(o.base, c)
		if err != nil {
			return decimal.Decimal{}, "", err
		}
		r := base.Mul(o.percent).Shift(-2)
		return r, o.percent.String() + " % of " + o.base + " " + base.StringFixed(scale) + " = " + r.String(), nil
	case fMultiple:
		base, err := p.amountInput(o.base, c)
		if err != nil {
			return decimal.Decimal{}, "", err
		}
		r := base.Mul(o.multiple)
		text := o.multiple.String() + " × " + o.base + " " + base.StringFixed(scale) + " = " + r.String()
		if o.min.set && r.Cmp(o.min.v) < 0 {
			r = o.min.v
			text += "; min " + o.min.v.StringFixed(scale) + " → " + r.StringFixed(scale)
		}
		if o.max.set && r.Cmp(o.max.v) > 0 {
			r = o.max.v
			text += "; max " + o.max.v.StringFixed(scale) + " → " + r.StringFixed(scale)
		}
		if o.plusBase {
			r = r.Add(base)
			text += "; plus " + o.base + " " + base.StringFixed(scale) + " = " + r.String()
		}
		return r, text, nil
	}
	// per_period
	var n decimal.Decimal
	if cmpVal(sc.kind, v, o.after) > 0 {
		if sc.kind == kindDuration {
			n = decimal.NewFromInt(int64((v.d - o.after.d) / o.every.d))
		} else {
			n, _ = v.n.Sub(o.after.n).QuoRem(o.every.n, 0)
		}
	}
	if o.maxPeriods >= 0 && n.Cmp(decimal.NewFromInt(o.maxPeriods)) > 0 {
		n = decimal.NewFromInt(o.maxPeriods)
	}
	r := o.amount.Add(o.perPeriod.Mul(n))
	after, every := o.after.n.String(), o.every.n.String()
	if sc.kind == kindDuration {
		after, every = o.after.d.String(), o.every.d.String()
	}
	text := o.amount.StringFixed(scale) + " + " + n.String() + " × " + o.perPeriod.StringFixed(scale) +
		" (completed periods of " + every + " after " + after + ") = " + r.String()
	return r, text, nil
}

// holds reports whether all conditions hold; failed describes the first that does not.
func (p *Policy) holds(cs []condition, c *Claim) (ok bool, failed string, err error) {
	for i := range cs {
		cd := &cs[i]
		ok, err := p.cond(cd, c)
		if err != nil {
			return false, "", err
		}
		if !ok {
			return false, cd.text, nil
		}
	}
	return true, "", nil
}

func (p *Policy) cond(cd *condition, c *Claim) (bool, error) {
	switch cd.kind {
	case condFlag:
		return c.Flags[cd.input] == cd.is, nil
	case condTier:
		return contains(cd.set, c.Tier), nil
	case condPriority:
		return contains(cd.set, c.Priority), nil
	}
	var v mval
	switch cd.mk {
	case kindDuration:
		d, ok := c.Durations[cd.input]
		if !ok {
			return false, nil
		}
		v.d = d
	case kindAmount:
		if _, ok := c.Amounts[cd.input]; !ok {
			return false, nil
		}
		d, err := p.amountInput(cd.input, c)
		if err != nil {
			return false, err
		}
		v.n = d
	default:
		n, ok := c.Numbers[cd.input]
		if !ok {
			return false, nil
		}
		if err := checkNumber(n); err != nil {
			return false, &InputError{Input: "numbers." + cd.input, Err: err}
		}
		v.n = n
	}
	r := cmpVal(cd.mk, v, cd.v)
	switch cd.op {
	case opLT:
		return r < 0, nil
	case opLE:
		return r <= 0, nil
	case opGT:
		return r > 0, nil
	case opGE:
		return r >= 0, nil
	}
	return r == 0, nil
}

func contains(set []string, s string) bool {
	for _, x := range set {
		if x == s {
			return true
		}
	}
	return false
}

// String renders the explanation in lines: one per source, then one per step.
func (e Explanation) String() string {
	var b strings.Builder
	for _, s := range e.Sources {
		b.WriteString(s.Schedule + ": " + s.Measure + " " + s.Value + " in band " + s.Band + " " + s.Range)
		if s.Formula != "" {
			b.WriteString("; " + s.Formula)
		}
		for _, r := range s.Reductions {
			b.WriteString("; " + r)
		}
		b.WriteString(" → " + s.Result)
		if !s.Used {
			b.WriteString(" (not used)")
		}
		b.WriteByte('\n')
	}
	for _, st := range e.Steps {
		b.WriteString(st.Stage + " " + st.Rule)
		if st.Before != "" || st.After != "" {
			b.WriteString(": " + st.Before + " → " + st.After)
		}
		b.WriteByte('\n')
	}
	return b.String()
}

// Value renders what the option gives: "125.00 EUR", "20.00 CNY voucher valid
// 30 days", "500 points", "90 days", "service priority-support".
func (o OfferOption) Value() string {
	switch {
	case o.Amount != nil && o.Kind == "voucher":
		return o.Amount.String() + " voucher valid " + strconv.Itoa(o.ValidDays) + " days"
	case o.Amount != nil:
		return o.Amount.String()
	case o.Kind == "points":
		return strconv.FormatInt(o.Points, 10) + " points"
	case o.Kind == "service_days":
		return strconv.Itoa(o.Days) + " days"
	}
	return "service " + o.Service
}
