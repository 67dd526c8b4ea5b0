package compensation

import (
	"strconv"
	"strings"
	"time"

	"github.com/closeloop/closeloop"
	"github.com/shopspring/decimal"
)

// Claim is what the host knows about one ticket when it asks for an offer.
// Maps may be nil. Keys are the input names the policy's measures, bases and
// conditions use, and nothing else: [Policy.Compute] refuses a key the policy
// does not read from that map (see [Policy.Inputs] and the package doc's
// "Claims").
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
	// GrantedOnTicket is what was already granted on this ticket; the zero [Money] means nothing.
	GrantedOnTicket Money
	// GrantedInPeriod is what the customer was already granted in the current
	// period of the customer-period cap; the zero [Money] means nothing.
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
	// Schedule, Measure, Value, Band and Range repeat the schedule's [Reading].
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

// acc accumulates one option id over the schedules. (Fields ordered by
// size: an offer zeroes one per option id.)
type acc struct {
	o        *option // first option seen with this id
	floor    *limit
	cap      *limit
	sc       *schedule // schedule of the first source, named if the amount is out of range
	periodSc *schedule // schedule of a per_period source, the likelier culprit
	// The option's sources, as indices into the offer's sources: the first,
	// and the others when there are several (only when explaining).
	more             []int32
	v                fx // money or points
	days, validDays  int
	first, n, winner int32
	ok, approve      bool
}

// source returns the index of the option's k-th source.
func (a *acc) source(k int32) int32 {
	if k == 0 {
		return a.first
	}
	return a.more[k-1]
}

// evalCtx is what one Compute or MaxAmount call derives from the claim once.
// It holds no pointer to the claim, so that the claim stays on the caller's
// stack.
type evalCtx struct {
	tierMul       *multiplier // nil: the claim's tier has none
	prioMul       *multiplier // nil: the claim's priority has none
	grantedTicket fx
	grantedPeriod fx
	granted       bool   // either is not zero
	flags         uint64 // bit i: inputs[i] is a flag the claim sets (i < 64)
}

// maxOfferAmount: every amount an offer carries is below 10^30, the largest
// amount Money.UnmarshalJSON reads back.
var maxOfferAmount = fx{m: 1, e: 2 * maxIntDigits}

// maxOfferPoints bounds the points of one option so that they fit an int64
// whatever the multipliers and the number of schedules summed.
var maxOfferPoints = fx{m: 1, e: 15}

const maxOfferPointsText = "1000000000000000"

// begin checks the claim, fills vals with the values of the inputs the
// policy reads, and derives what every option needs.
func (p *Policy) begin(c *Claim, vals []inputVal, e *evalCtx) error {
	if c.Priority != "" {
		lvl, ok := closeloop.LevelOf(c.Priority)
		if !ok {
			return inputErr("", "priority", ErrInvalidInput, "%q: want P0..P9", c.Priority)
		}
		if p.prioMul[lvl].set {
			e.prioMul = &p.prioMul[lvl]
		}
	}
	if c.Tier != "" && len(p.tiers) > 0 {
		if len(p.tiers) <= 8 {
			// A few string comparisons cost less than hashing.
			for i := range p.tiers {
				if p.tiers[i].name == c.Tier {
					e.tierMul = p.tiers[i].m
					break
				}
			}
		} else {
			e.tierMul = p.tierMul[c.Tier]
		}
	}
	// What was granted: the usual zero Money (nothing) is zero without a
	// call.
	var err error
	if m := &c.GrantedOnTicket; m.currency.Code != "" || !m.amount.IsZero() {
		if e.grantedTicket, err = p.granted("granted_on_ticket", m); err != nil {
			return err
		}
		e.granted = e.grantedTicket.sign() != 0
	}
	if m := &c.GrantedInPeriod; m.currency.Code != "" || !m.amount.IsZero() {
		if e.grantedPeriod, err = p.granted("granted_in_period", m); err != nil {
			return err
		}
		e.granted = e.granted || e.grantedPeriod.sign() != 0
	}
	return p.checkClaim(c, vals, &e.flags)
}

// Compute evaluates the claim against every schedule and returns the offer.
// It never returns a negative amount, and every cap holds. Errors are
// *[InputError] values: for a claim input the policy does not read (see
// [Policy.Inputs] and the package doc's "Claims"), for one a measure or base
// needs but that is missing or out of range, and for an option that would come
// to 10^30 or more ([ErrAmountOutOfRange]).
func (p *Policy) Compute(c Claim) (Offer, error) {
	// The accumulators and the claim's values live on the stack, in arrays
	// no larger than needed: zeroing them is part of the cost.
	switch ni, na := len(p.inputs), len(p.ids); {
	case ni <= 4 && na <= 2:
		var vals [4]inputVal
		var accs [2]acc
		return p.compute(&c, vals[:ni], accs[:na])
	case ni <= 16 && na <= 8:
		var vals [16]inputVal
		var accs [8]acc
		return p.compute(&c, vals[:ni], accs[:na])
	}
	return p.compute(&c, make([]inputVal, len(p.inputs)), make([]acc, len(p.ids)))
}

func (p *Policy) compute(c *Claim, vals []inputVal, accs []acc) (Offer, error) {
	var e evalCtx
	err := p.begin(c, vals, &e)
	if err != nil {
		return Offer{}, err
	}
	off := Offer{Policy: p.name, Ticket: c.Ticket, Customer: c.Customer, Currency: p.cur.Code}
	var blk *offerBlock
	var srcs []Source
	if p.small {
		blk = new(offerBlock)
		off.Readings, srcs, off.Options = blk.readings[:0:1], blk.sources[:0:1], blk.options[:0:1]
	} else {
		off.Readings = make([]Reading, 0, len(p.schedules))
		srcs = make([]Source, 0, p.maxSources)
	}
	var textBuf [512]byte
	var patchBuf [24]textPatch
	var spanBuf [12]srcSpans
	ex := explainer{srcText: spanBuf[:0], buf: textBuf[:0], patches: patchBuf[:0]}
	if ex, srcs, err = p.evaluate(c, vals, accs, &off, srcs, ex); err != nil {
		return Offer{}, err
	}
	if blk == nil {
		n := 0
		for i := range accs {
			if accs[i].ok {
				n++
			}
		}
		off.Options = make([]OfferOption, 0, n)
	}
	for i := range accs {
		a := &accs[i]
		if !a.ok {
			continue
		}
		// The option is written in place; one that comes to nothing moves
		// to Withheld.
		off.Options = append(off.Options, OfferOption{})
		slot := &off.Options[len(off.Options)-1]
		var zero bool
		if zero, ex, err = p.finish(&e, a, srcs, ex, slot, blk); err != nil {
			return Offer{}, err
		}
		if zero {
			off.Withheld = append(off.Withheld, *slot)
			*slot = OfferOption{}
			off.Options = off.Options[:len(off.Options)-1]
		}
	}
	ex.done(srcs)
	return off, nil
}

// evaluate runs every schedule over the claim into accs, recording the
// readings in off and each option's sources in srcs, with their texts in
// ex. MaxAmount uses evaluateAmounts, the same for money options only and
// without readings, sources or texts.
func (p *Policy) evaluate(c *Claim, vals []inputVal, accs []acc, off *Offer, srcs []Source, ex explainer) (explainer, []Source, error) {
	for si := range p.schedules {
		sc := &p.schedules[si]
		// Readings has room for every schedule: rd stays valid.
		off.Readings = append(off.Readings, Reading{Schedule: sc.name, Measure: sc.input})
		rd := &off.Readings[len(off.Readings)-1]
		if i := p.failing(sc.when, c, vals); i >= 0 {
			rd.Note = "condition does not hold: " + sc.when[i].text
			continue
		}
		v, err := p.measure(sc, vals)
		if err != nil {
			return ex, srcs, err
		}
		rd.Applies = true
		lo := len(ex.buf)
		ex.buf = appendMeasure(ex.buf, p, sc, v)
		value := span{int32(lo), int32(len(ex.buf))}
		ex.patches = append(ex.patches, textPatch{dst: &rd.Value, sp: value})
		b := sc.find(v)
		if b == nil {
			rd.Note = "the value falls in no band"
			continue
		}
		rd.Band, rd.Range = b.name, b.rng
		var factor fx
		hasFactor := false
		for _, rs := range [2][]reduction{sc.reductions, b.reductions} {
			for i := range rs {
				r := &rs[i]
				if p.failing(r.when, c, vals) >= 0 {
					continue
				}
				if hasFactor {
					factor = mulFx(factor, r.factor)
				} else {
					factor, hasFactor = r.factor, true
				}
				rd.Reductions = append(rd.Reductions, r.text)
			}
		}
		for oi := range b.options {
			o := &b.options[oi]
			if p.failing(o.when, c, vals) >= 0 {
				continue
			}
			a := &accs[o.idx]
			// srcs has room for every source: no append moves it.
			j := int32(len(srcs))
			srcs = append(srcs, Source{Schedule: sc.name, Measure: sc.input, Band: b.name, Range: b.rng, Reductions: rd.Reductions, Used: true})
			st := srcSpans{value: value}
			switch {
			case o.kind.money():
				lo := len(ex.buf)
				var amt fx
				if amt, ex.buf, err = p.formula(sc, o, v, vals, ex.buf, true); err != nil {
					return ex, srcs, err
				}
				if hasFactor {
					amt = mulFx(amt, factor)
				}
				mid := len(ex.buf)
				ex.buf = appendCanon(ex.buf, amt)
				st.formula, st.result = span{int32(lo), int32(mid)}, span{int32(mid), int32(len(ex.buf))}
				if o.formula == fPerPeriod {
					a.periodSc = sc
				}
				p.merge(a, o, amt, srcs, j, sc)
			case o.kind == optPoints:
				pts := fxInt(o.points)
				src := &srcs[j]
				src.Formula, src.Result = o.pointsText, o.pointsText[:len(o.pointsText)-len(" points")]
				if hasFactor {
					pts = mulFx(pts, factor)
					lo := len(ex.buf)
					ex.buf = appendCanon(ex.buf, pts)
					st.result = span{int32(lo), int32(len(ex.buf))}
				}
				p.merge(a, o, pts, srcs, j, sc)
			case o.kind == optServiceDays:
				src := &srcs[j]
				src.Formula, src.Result = o.daysText, o.daysResult
				p.mergeDays(a, o, srcs, j)
			default:
				src := &srcs[j]
				src.Formula, src.Result = o.service, o.service
				if !a.ok {
					a.o, a.ok, a.approve = o, true, o.needApprove
				} else {
					a.approve = a.approve || o.needApprove
				}
				a.addSource(j)
			}
			ex.srcText = append(ex.srcText, st)
		}
	}
	return ex, srcs, nil
}

func (p *Policy) granted(name string, m *Money) (fx, error) {
	if !m.Valid() {
		if !m.amount.IsZero() {
			return fx{}, inputErr("", name, ErrCurrencyMismatch, "amount without currency")
		}
		return fx{}, nil
	}
	if m.currency != p.cur {
		return fx{}, inputErr("", name, ErrCurrencyMismatch, "%s, policy currency is %s", m.currency.Code, p.cur.Code)
	}
	if err := checkAmount(m.amount, m.currency); err != nil {
		return fx{}, inputWrap("", name, err)
	}
	return fxOf(m.amount), nil
}

// merge folds a money or points contribution into a; j is its source in
// srcs, or -1 on the amount-only path.
func (p *Policy) merge(a *acc, o *option, v fx, srcs []Source, j int32, sc *schedule) {
	if !a.ok {
		a.start(o, v, sc)
		a.addSource(j)
		a.winner = j
		return
	}
	a.approve = a.approve || o.needApprove
	if p.combine == combineSum {
		a.v = addFx(a.v, v)
		a.floor = maxLimit(a.floor, &o.floor)
		a.cap = minLimit(a.cap, &o.cap)
		if o.validDays > a.validDays {
			a.validDays = o.validDays
		}
		a.addSource(j)
		return
	}
	if cmpFx(v, a.v) > 0 {
		a.v = v
		a.floor, a.cap, a.validDays = &o.floor, &o.cap, o.validDays
		if j >= 0 {
			srcs[a.winner].Used = false
			a.winner = j
		}
	} else if j >= 0 {
		srcs[j].Used = false
	}
	a.addSource(j)
}

// start sets a from its first money or points contribution (small enough
// to inline where there is no source to add, on the amount-only path).
func (a *acc) start(o *option, v fx, sc *schedule) {
	a.o, a.ok, a.approve, a.sc = o, true, o.needApprove, sc
	a.v = v
	a.floor, a.cap, a.validDays = &o.floor, &o.cap, o.validDays
	a.winner = -1
}

func (a *acc) addSource(j int32) {
	if j < 0 {
		return
	}
	if a.n == 0 {
		a.first = j
	} else {
		a.more = append(a.more, j)
	}
	a.n++
}

func (p *Policy) mergeDays(a *acc, o *option, srcs []Source, j int32) {
	if !a.ok {
		a.o, a.ok, a.approve, a.days = o, true, o.needApprove, o.days
		a.addSource(j)
		a.winner = j
		return
	}
	a.approve = a.approve || o.needApprove
	switch {
	case p.combine == combineSum:
		a.days += o.days
	case o.days > a.days:
		a.days = o.days
		srcs[a.winner].Used = false
		a.winner = j
	default:
		srcs[j].Used = false
	}
	a.addSource(j)
}

func maxLimit(a, b *limit) *limit {
	if !a.set || (b.set && cmpFx(b.f, a.f) > 0) {
		return b
	}
	return a
}

func minLimit(a, b *limit) *limit {
	if !a.set || (b.set && cmpFx(b.f, a.f) < 0) {
		return b
	}
	return a
}

// settled is the outcome of settle.
type settled struct {
	v       fx
	approve bool
	zero    bool
	points  int64
}

// settle applies, in order: multipliers, rounding, floors, caps, approval
// (the package doc's order), logging the steps when l is not nil.
func (p *Policy) settle(e *evalCtx, a *acc, l *stepLog) (settled, error) {
	o := a.o
	v := a.v
	out := settled{approve: a.approve}
	// mulFast first: the usual multiplier and amount are small.
	if m := e.tierMul; m != nil {
		if w, ok := m.mulFast(v); ok {
			v = w
		} else {
			v = mulFx(v, m.f)
		}
		if l != nil {
			l.add("multiplier", m.rule, canonRef(v))
		}
	}
	if m := e.prioMul; m != nil {
		if w, ok := m.mulFast(v); ok {
			v = w
		} else {
			v = mulFx(v, m.f)
		}
		if l != nil {
			l.add("multiplier", m.rule, canonRef(v))
		}
	}
	if o.kind == optPoints {
		v = roundFx(v, 0, p.rounding)
		if l != nil {
			l.add("rounding", p.pointsRule, canonRef(v))
		}
		if cmpFx(v, maxOfferPoints) > 0 {
			v = maxOfferPoints
			if l != nil {
				l.add("cap", "at most "+maxOfferPointsText+" points", strRef(maxOfferPointsText))
			}
		}
		out.v = v
		if v.sign() <= 0 {
			out.zero = true
			return out, nil
		}
		if v.big {
			out.points = v.d.IntPart()
		} else {
			out.points, _ = scaleUp(v.m, v.e) // at most 10^15: fits
		}
		return out, nil
	}
	scale := p.cur.MinorUnits
	v = roundFx(v, scale, p.rounding)
	if l != nil {
		l.add("rounding", p.roundingRule, fixedRef(v))
	}
	if a.floor.set && cmpFx(v, a.floor.f) < 0 {
		v = a.floor.f
		if l != nil {
			l.add("floor", a.floor.rule, strRef(a.floor.text))
		}
	}
	if p.ticketFloor.set && cmpFx(v, p.ticketFloor.f) < 0 {
		v = p.ticketFloor.f
		if l != nil {
			l.add("floor", p.ticketFloor.rule, strRef(p.ticketFloor.text))
		}
	}
	if a.cap.set && cmpFx(v, a.cap.f) > 0 {
		v = a.cap.f
		if l != nil {
			l.add("cap", a.cap.rule, strRef(a.cap.text))
		}
	}
	if p.ticketCap.set {
		r := p.ticketCap.f // what the cap leaves when nothing was granted (remainingFx)
		if e.grantedTicket.sign() != 0 {
			r = remainingFx(&p.ticketCap, e.grantedTicket, scale)
		}
		if cmpFx(v, r) > 0 {
			v = r
			if l != nil {
				l.add("cap", remainingRule("ticket_cap", &p.ticketCap, e.grantedTicket, scale, "on the ticket"), fixedRef(r))
			}
		}
	}
	if p.periodCap.set {
		r := p.periodCap.f
		if e.grantedPeriod.sign() != 0 {
			r = remainingFx(&p.periodCap, e.grantedPeriod, scale)
		}
		if cmpFx(v, r) > 0 {
			v = r
			if l != nil {
				l.add("cap", remainingRule("customer_period_cap", &p.periodCap, e.grantedPeriod, scale, "in the period"), fixedRef(r))
			}
		}
	}
	// An amount on the fast path with an exponent of at most 11 is below
	// 9.3·10^29: only larger exponents and decimals need the comparison.
	if (v.big || v.e > 11) && cmpFx(v, maxOfferAmount) >= 0 {
		sc := a.sc
		if a.periodSc != nil {
			sc = a.periodSc
		}
		return out, inputErr(mapOf(sc.kind), sc.input, ErrAmountOutOfRange,
			"option %q would come to %s %s, beyond the 10^%d an offer carries (bound the option with a cap or max_periods)",
			o.id, safeString(v.dec()), p.cur.Code, 2*maxIntDigits)
	}
	if p.approvalAbove.set && cmpFx(v, p.approvalAbove.f) > 0 {
		out.approve = true
		if l != nil {
			l.add("approval", p.approvalRule, textRef{kind: refPrev})
		}
	}
	out.v = v
	out.zero = v.sign() <= 0
	return out, nil
}

// remainingFx returns what a cap leaves after what was granted, never below zero.
func remainingFx(cap *limit, granted fx, scale int32) fx {
	if granted.sign() == 0 {
		return cap.f
	}
	r := subFx(cap.f, granted)
	if r.sign() < 0 {
		return fx{e: -scale}
	}
	return r
}

func remainingRule(name string, cap *limit, granted fx, scale int32, where string) string {
	if granted.sign() == 0 {
		return name + " " + cap.text
	}
	var buf [40]byte
	return name + " " + cap.text + " less " + string(appendFixed(buf[:0], granted, scale)) + " already granted " + where
}

// find returns the band containing v, or nil.
func (sc *schedule) find(v mval) *band {
	if sc.kind == kindDuration {
		return sc.findDuration(v.d)
	}
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

func (sc *schedule) findDuration(d time.Duration) *band {
	for i := range sc.durs {
		// Bands ascend: those below d fail on the first test.
		if r := &sc.durs[i]; d <= r.hi && d >= r.lo {
			return &sc.bands[i]
		}
	}
	return nil
}

// appendMeasure appends the measure's value as readings show it: "5h0m0s",
// "1234.56", "1500 km".
func appendMeasure(b []byte, p *Policy, sc *schedule, v mval) []byte {
	switch sc.kind {
	case kindDuration:
		b = append(b, v.d.String()...) // Duration.String's string stays on the stack
	case kindAmount:
		b = appendFixed(b, v.n, p.cur.MinorUnits)
	default:
		b = appendCanon(b, v.n)
	}
	if sc.unit != "" {
		b = append(b, ' ')
		b = append(b, sc.unit...)
	}
	return b
}

// measure reads the schedule's measure (checked by checkClaim: only its
// presence is left to check).
func (p *Policy) measure(sc *schedule, vals []inputVal) (mval, error) {
	v := &vals[sc.in]
	if !v.ok {
		return mval{}, missingMeasure(sc)
	}
	return mval{d: v.d, n: v.n}, nil
}

// missingMeasure is measure's error (evaluateAmounts, which reads the
// measure in line, returns it too).
func missingMeasure(sc *schedule) error {
	if sc.kind == kindAmount {
		return inputErr(MapAmounts, sc.input, ErrMissingInput, "the policy needs it")
	}
	return inputErr(mapOf(sc.kind), sc.input, ErrMissingInput, "schedule %q measures it", sc.name)
}

func (p *Policy) base(o *option, vals []inputVal) (fx, error) {
	v := &vals[o.baseIn]
	if !v.ok {
		return fx{}, inputErr(MapAmounts, o.base, ErrMissingInput, "the policy needs it")
	}
	return v.n, nil
}

// formula computes the exact amount of a money option before reductions,
// and, with explain, appends its explanation to text.
func (p *Policy) formula(sc *schedule, o *option, v mval, vals []inputVal, t []byte, explain bool) (fx, []byte, error) {
	scale := p.cur.MinorUnits
	switch o.formula {
	case fFixed:
		if explain {
			t = append(t, o.text...)
		}
		return o.amount, t, nil
	case fPercent:
		base, err := p.base(o, vals)
		if err != nil {
			return fx{}, t, err
		}
		r := mulFx(base, o.percent)
		if r.big {
			r = fxBig(r.d.Shift(-2))
		} else {
			r = fx{m: r.m, e: r.e - 2} // a new value: no decimal to share
		}
		if explain {
			t = append(t, o.text...)
			t = appendFixed(t, base, scale)
			t = append(t, " = "...)
			t = appendCanon(t, r)
		}
		return r, t, nil
	case fMultiple:
		base, err := p.base(o, vals)
		if err != nil {
			return fx{}, t, err
		}
		r := mulFx(base, o.multiple)
		if explain {
			t = append(t, o.text...)
			t = appendFixed(t, base, scale)
			t = append(t, " = "...)
			t = appendCanon(t, r)
		}
		if o.min.set && cmpFx(r, o.min.f) < 0 {
			r = o.min.f
			if explain {
				t = append(t, o.minText...)
			}
		}
		if o.max.set && cmpFx(r, o.max.f) > 0 {
			r = o.max.f
			if explain {
				t = append(t, o.maxText...)
			}
		}
		if o.plusBase {
			r = addFx(r, base)
			if explain {
				t = append(t, o.plusText...)
				t = appendFixed(t, base, scale)
				t = append(t, " = "...)
				t = appendCanon(t, r)
			}
		}
		return r, t, nil
	}
	// per_period
	var n fx
	if cmpVal(sc.kind, v, o.after) > 0 {
		if sc.kind == kindDuration {
			n = fxInt(int64((v.d - o.after.d) / o.every.d))
		} else {
			n = quoFx(subFx(v.n, o.after.n), o.every.n)
		}
	}
	if o.maxPeriods >= 0 && cmpFx(n, fxInt(o.maxPeriods)) > 0 {
		n = fxInt(o.maxPeriods)
	}
	r := addFx(o.amount, mulFx(o.perPeriod, n))
	if explain {
		t = append(t, o.text...)
		t = appendCanon(t, n)
		t = append(t, o.text2...)
		t = appendCanon(t, r)
	}
	return r, t, nil
}

// failing returns the index of the first condition that does not hold, or
// -1 when all hold. Conditions cannot fail on bad input: checkClaim has
// checked every input already.
func (p *Policy) failing(cs []condition, c *Claim, vals []inputVal) int {
	for i := range cs {
		if !cond(&cs[i], c, vals) {
			return i
		}
	}
	return -1
}

func cond(cd *condition, c *Claim, vals []inputVal) bool {
	switch cd.kind {
	case condFlag:
		// A flag the claim does not carry is false.
		return vals[cd.in].flag == cd.is
	case condTier:
		return contains(cd.set, c.Tier)
	case condPriority:
		return contains(cd.set, c.Priority)
	}
	v := &vals[cd.in]
	if !v.ok {
		return false
	}
	var r int
	if cd.mk == kindDuration {
		r = cmpInt(int64(v.d), int64(cd.v.d))
	} else {
		r = cmpFx(v.n, cd.v.n)
	}
	switch cd.op {
	case opLT:
		return r < 0
	case opLE:
		return r <= 0
	case opGT:
		return r > 0
	case opGE:
		return r >= 0
	}
	return r == 0
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
