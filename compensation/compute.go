package compensation

import (
	"strconv"
	"strings"
	"time"

	"github.com/shopspring/decimal"
)

// Claim is what the host knows about one ticket when it asks for an offer.
// Maps may be nil. Keys are the input names the policy's measures, bases and
// conditions use, and nothing else: Compute refuses a key the policy does
// not read from that map (see Policy.Inputs and the package doc's "Claims").
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

// acc accumulates one option id over the schedules.
type acc struct {
	o         *option // first option seen with this id
	ok        bool
	v         fx // money or points
	days      int
	validDays int
	approve   bool
	floor     *limit
	cap       *limit
	sources   []Source // only when explaining
	winner    int
	sc        *schedule // schedule of the first source, named if the amount is out of range
	periodSc  *schedule // schedule of a per_period source, the likelier culprit
}

// evalCtx is what one Compute or MaxAmount call derives from the claim once.
// It holds no pointer to the claim, so that the claim stays on the caller's
// stack.
type evalCtx struct {
	prio          int         // -1: none
	tierMul       *multiplier // nil: the claim's tier has none
	prioMul       *multiplier // nil: the claim's priority has none
	grantedTicket fx
	grantedPeriod fx
}

// maxOfferAmount: every amount an offer carries is below 10^30, the largest
// amount Money.UnmarshalJSON reads back.
var maxOfferAmount = fx{m: 1, e: 2 * maxIntDigits}

// maxOfferPoints bounds the points of one option so that they fit an int64
// whatever the multipliers and the number of schedules summed.
var maxOfferPoints = fx{m: 1, e: 15}

const maxOfferPointsText = "1000000000000000"

// begin checks the claim and derives what every option needs.
func (p *Policy) begin(c *Claim) (evalCtx, error) {
	e := evalCtx{prio: -1}
	if c.Priority != "" {
		lvl, ok := priorityIndex(c.Priority)
		if !ok {
			return e, inputErr("", "priority", ErrInvalidInput, "%q: want P0, P1, P2 or P3", c.Priority)
		}
		e.prio = lvl
		if p.prioMul[lvl].set {
			e.prioMul = &p.prioMul[lvl]
		}
	}
	if c.Tier != "" && len(p.tierMul) > 0 {
		e.tierMul = p.tierMul[c.Tier]
	}
	var err error
	if e.grantedTicket, err = p.granted("granted_on_ticket", c.GrantedOnTicket); err != nil {
		return e, err
	}
	if e.grantedPeriod, err = p.granted("granted_in_period", c.GrantedInPeriod); err != nil {
		return e, err
	}
	if err := p.checkClaim(c); err != nil {
		return e, err
	}
	return e, nil
}

// accsFor returns len(p.ids) empty accumulators, in buf when it is large enough.
func (p *Policy) accsFor(buf []acc) []acc {
	if n := len(p.ids); n <= len(buf) {
		return buf[:n]
	}
	return make([]acc, len(p.ids))
}

// Compute evaluates the claim against every schedule and returns the offer.
// It never returns a negative amount, and every cap holds. Errors are
// *InputError values: for a claim input the policy does not read (see
// Inputs and the package doc's "Claims"), for one a measure or base needs
// but that is missing or out of range, and for an option that would come to
// 10^30 or more (ErrAmountOutOfRange).
func (p *Policy) Compute(c Claim) (Offer, error) {
	e, err := p.begin(&c)
	if err != nil {
		return Offer{}, err
	}
	off := Offer{Policy: p.name, Ticket: c.Ticket, Customer: c.Customer, Currency: p.cur.Code,
		Readings: make([]Reading, 0, len(p.schedules))}
	var buf [8]acc
	accs := p.accsFor(buf[:])
	if err := p.evaluate(&c, accs, &off); err != nil {
		return Offer{}, err
	}
	n := 0
	for i := range accs {
		if accs[i].ok {
			n++
		}
	}
	off.Options = make([]OfferOption, 0, n)
	for i := range accs {
		a := &accs[i]
		if !a.ok {
			continue
		}
		oo, zero, err := p.finish(&e, a)
		if err != nil {
			return Offer{}, err
		}
		if zero {
			off.Withheld = append(off.Withheld, oo)
		} else {
			off.Options = append(off.Options, oo)
		}
	}
	return off, nil
}

// evaluate runs every schedule over the claim into accs. With off, it also
// records the readings and each option's sources; without, it is the
// amount-only path and looks at money options only (the others cannot fail
// and carry no amount).
func (p *Policy) evaluate(c *Claim, accs []acc, off *Offer) error {
	var textBuf [160]byte
	for si := range p.schedules {
		sc := &p.schedules[si]
		var rd *Reading
		if off != nil {
			// Readings has room for every schedule: rd stays valid.
			off.Readings = append(off.Readings, Reading{Schedule: sc.name, Measure: sc.input})
			rd = &off.Readings[len(off.Readings)-1]
		}
		if i := p.failing(sc.when, c); i >= 0 {
			if rd != nil {
				rd.Note = "condition does not hold: " + sc.when[i].text
			}
			continue
		}
		v, err := p.measure(sc, c)
		if err != nil {
			return err
		}
		if rd != nil {
			rd.Applies = true
			rd.Value = formatMeasure(p, sc, v)
		}
		b := sc.find(v)
		if b == nil {
			if rd != nil {
				rd.Note = "the value falls in no band"
			}
			continue
		}
		if rd != nil {
			rd.Band, rd.Range = b.name, b.rng
		}
		var factor fx
		hasFactor := false
		for _, rs := range [2][]reduction{sc.reductions, b.reductions} {
			for i := range rs {
				r := &rs[i]
				if p.failing(r.when, c) >= 0 {
					continue
				}
				if hasFactor {
					factor = mulFx(factor, r.factor)
				} else {
					factor, hasFactor = r.factor, true
				}
				if rd != nil {
					rd.Reductions = append(rd.Reductions, r.text)
				}
			}
		}
		for oi := range b.options {
			o := &b.options[oi]
			if off == nil && !o.kind.money() {
				continue
			}
			if p.failing(o.when, c) >= 0 {
				continue
			}
			a := &accs[o.idx]
			var src *Source
			if off != nil {
				src = &Source{Schedule: sc.name, Measure: sc.input, Value: rd.Value, Band: b.name, Range: b.rng, Reductions: rd.Reductions, Used: true}
			}
			switch {
			case o.kind.money():
				amt, text, err := p.formula(sc, o, v, c, textBuf[:0], src != nil)
				if err != nil {
					return err
				}
				if hasFactor {
					amt = mulFx(amt, factor)
				}
				if src != nil {
					// One string holds the formula and the result.
					lo := len(text)
					text = appendCanon(text, amt)
					s := string(text)
					src.Formula, src.Result = s[:lo], s[lo:]
				}
				if o.formula == fPerPeriod {
					a.periodSc = sc
				}
				p.merge(a, o, amt, src, sc)
			case o.kind == optPoints:
				pts := fxInt(o.points)
				src.Formula, src.Result = o.pointsText, o.pointsText[:len(o.pointsText)-len(" points")]
				if hasFactor {
					pts = mulFx(pts, factor)
					src.Result = pts.String()
				}
				p.merge(a, o, pts, src, sc)
			case o.kind == optServiceDays:
				src.Formula, src.Result = o.daysText, o.daysResult
				p.mergeDays(a, o, *src)
			default:
				src.Formula, src.Result = o.service, o.service
				if !a.ok {
					a.o, a.ok, a.approve = o, true, o.needApprove
				} else {
					a.approve = a.approve || o.needApprove
				}
				a.sources = append(a.sources, *src)
			}
		}
	}
	return nil
}

func (p *Policy) granted(name string, m Money) (fx, error) {
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

// merge folds a money or points contribution into a; src is nil on the
// amount-only path.
func (p *Policy) merge(a *acc, o *option, v fx, src *Source, sc *schedule) {
	if !a.ok {
		a.o, a.ok, a.approve, a.sc = o, true, o.needApprove, sc
		a.v = v
		a.floor, a.cap, a.validDays = &o.floor, &o.cap, o.validDays
		if src != nil {
			a.sources = append(a.sources, *src)
		}
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
		if src != nil {
			a.sources = append(a.sources, *src)
		}
		return
	}
	if cmpFx(v, a.v) > 0 {
		a.v = v
		a.floor, a.cap, a.validDays = &o.floor, &o.cap, o.validDays
		if src != nil {
			a.sources[a.winner].Used = false
			a.winner = len(a.sources)
		}
	} else if src != nil {
		src.Used = false
	}
	if src != nil {
		a.sources = append(a.sources, *src)
	}
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

// textRef is a step's text: a ready string, or a value to write out.
type textRef struct {
	s     string
	v     fx
	isV   bool
	fixed bool // v with the currency's number of fraction digits; else as decimal.String writes it
}

type loggedStep struct {
	stage, rule string
	after       textRef
}

// stepLog collects an option's steps while the amount is settled. Values
// are written out afterwards by finish, all into one string, so that the
// explanation costs one allocation however many steps there are.
type stepLog struct {
	n     int
	steps [12]loggedStep
	first textRef // the value before the first step
}

func (l *stepLog) add(stage, rule string, after textRef) {
	l.steps[l.n] = loggedStep{stage: stage, rule: rule, after: after}
	l.n++
}

func canonRef(v fx) textRef { return textRef{v: v, isV: true} }

func fixedRef(v fx) textRef { return textRef{v: v, isV: true, fixed: true} }

func (l *stepLog) last() textRef {
	if l.n == 0 {
		return l.first
	}
	return l.steps[l.n-1].after
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
	if m := e.tierMul; m != nil {
		v = mulFx(v, m.f)
		if l != nil {
			l.add("multiplier", m.rule, canonRef(v))
		}
	}
	if m := e.prioMul; m != nil {
		v = mulFx(v, m.f)
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
				l.add("cap", "at most "+maxOfferPointsText+" points", textRef{s: maxOfferPointsText})
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
			l.add("floor", a.floor.rule, textRef{s: a.floor.text})
		}
	}
	if p.ticketFloor.set && cmpFx(v, p.ticketFloor.f) < 0 {
		v = p.ticketFloor.f
		if l != nil {
			l.add("floor", p.ticketFloor.rule, textRef{s: p.ticketFloor.text})
		}
	}
	if a.cap.set && cmpFx(v, a.cap.f) > 0 {
		v = a.cap.f
		if l != nil {
			l.add("cap", a.cap.rule, textRef{s: a.cap.text})
		}
	}
	if p.ticketCap.set {
		if r := remainingFx(p.ticketCap, e.grantedTicket, scale); cmpFx(v, r) > 0 {
			v = r
			if l != nil {
				l.add("cap", remainingRule("ticket_cap", p.ticketCap, e.grantedTicket, scale, "on the ticket"), fixedRef(r))
			}
		}
	}
	if p.periodCap.set {
		if r := remainingFx(p.periodCap, e.grantedPeriod, scale); cmpFx(v, r) > 0 {
			v = r
			if l != nil {
				l.add("cap", remainingRule("customer_period_cap", p.periodCap, e.grantedPeriod, scale, "in the period"), fixedRef(r))
			}
		}
	}
	if cmpFx(v, maxOfferAmount) >= 0 {
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
			l.add("approval", p.approvalRule, l.last())
		}
	}
	out.v = v
	out.zero = v.sign() <= 0
	return out, nil
}

// finish settles an accumulated option and explains it.
func (p *Policy) finish(e *evalCtx, a *acc) (OfferOption, bool, error) {
	o := a.o
	out := OfferOption{ID: o.id, Kind: o.kind.String(), Label: o.label, NeedsApproval: a.approve}
	ex := &out.Explanation
	ex.Sources = a.sources
	combine := len(a.sources) > 1
	var combineStep Step
	if combine {
		results := make([]string, len(a.sources))
		for i, src := range a.sources {
			results[i] = src.Result
		}
		combineStep = Step{Stage: "combine", Rule: p.combine.String() + " of " + strconv.Itoa(len(a.sources)) + " schedules",
			Before: strings.Join(results, ", ")}
	}
	switch o.kind {
	case optServiceDays:
		out.Days = a.days
		if combine {
			combineStep.After = strconv.Itoa(a.days)
			ex.Steps = []Step{combineStep}
		}
		return out, false, nil
	case optService:
		out.Service = o.service
		if combine {
			ex.Steps = []Step{combineStep}
		}
		return out, false, nil
	}
	var l stepLog
	if combine {
		l.add(combineStep.Stage, combineStep.Rule, canonRef(a.v))
	} else {
		l.first = textRef{s: a.sources[0].Result}
	}
	st, err := p.settle(e, a, &l)
	if err != nil {
		return out, false, err
	}
	// Every computed text of the steps goes into one string.
	var buf [256]byte
	var spans [len(l.steps)][2]int
	b := buf[:0]
	for i := 0; i < l.n; i++ {
		t := &l.steps[i].after
		if !t.isV {
			continue
		}
		lo := len(b)
		if t.fixed {
			b = appendFixed(b, t.v, p.cur.MinorUnits)
		} else {
			b = appendCanon(b, t.v)
		}
		spans[i] = [2]int{lo, len(b)}
	}
	all := string(b)
	ex.Steps = make([]Step, l.n)
	before := l.first.s
	for i := 0; i < l.n; i++ {
		s := &l.steps[i]
		after := s.after.s
		if s.after.isV {
			after = all[spans[i][0]:spans[i][1]]
		}
		ex.Steps[i] = Step{Stage: s.stage, Rule: s.rule, Before: before, After: after}
		before = after
	}
	if combine {
		ex.Steps[0].Before = combineStep.Before
	}
	out.NeedsApproval = st.approve
	if o.kind == optPoints {
		out.Points = st.points
		return out, st.zero, nil
	}
	out.Amount = &Money{amount: st.v.dec(), currency: p.cur}
	out.ValidDays = a.validDays
	return out, st.zero, nil
}

// remainingFx returns what a cap leaves after what was granted, never below zero.
func remainingFx(cap limit, granted fx, scale int32) fx {
	if granted.sign() == 0 {
		return cap.f
	}
	r := subFx(cap.f, granted)
	if r.sign() < 0 {
		return fx{e: -scale}
	}
	return r
}

func remainingRule(name string, cap limit, granted fx, scale int32, where string) string {
	if granted.sign() == 0 {
		return name + " " + cap.text
	}
	var buf [40]byte
	return name + " " + cap.text + " less " + string(appendFixed(buf[:0], granted, scale)) + " already granted " + where
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
	var buf [48]byte
	var b []byte
	switch sc.kind {
	case kindDuration:
		if sc.unit == "" {
			return v.d.String()
		}
		b = append(buf[:0], v.d.String()...)
	case kindAmount:
		b = appendFixed(buf[:0], v.n, p.cur.MinorUnits)
	default:
		b = appendCanon(buf[:0], v.n)
	}
	if sc.unit != "" {
		b = append(b, ' ')
		b = append(b, sc.unit...)
	}
	return string(b)
}

// measure reads the schedule's measure from the claim (already checked by
// checkClaim: only its presence is left to check).
func (p *Policy) measure(sc *schedule, c *Claim) (mval, error) {
	switch sc.kind {
	case kindDuration:
		d, ok := c.Durations[sc.input]
		if !ok {
			return mval{}, inputErr(MapDurations, sc.input, ErrMissingInput, "schedule %q measures it", sc.name)
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
		return mval{}, inputErr(MapNumbers, sc.input, ErrMissingInput, "schedule %q measures it", sc.name)
	}
	return mval{n: fxOf(n)}, nil
}

func (p *Policy) amountInput(name string, c *Claim) (fx, error) {
	m, ok := c.Amounts[name]
	if !ok {
		return fx{}, inputErr(MapAmounts, name, ErrMissingInput, "the policy needs it")
	}
	return fxOf(m.amount), nil
}

// formula computes the exact amount of a money option before reductions,
// and, with explain, appends its explanation to text.
func (p *Policy) formula(sc *schedule, o *option, v mval, c *Claim, t []byte, explain bool) (fx, []byte, error) {
	scale := p.cur.MinorUnits
	switch o.formula {
	case fFixed:
		if explain {
			t = append(t, o.text...)
		}
		return o.amount, t, nil
	case fPercent:
		base, err := p.amountInput(o.base, c)
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
		base, err := p.amountInput(o.base, c)
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
func (p *Policy) failing(cs []condition, c *Claim) int {
	for i := range cs {
		if !p.cond(&cs[i], c) {
			return i
		}
	}
	return -1
}

func (p *Policy) cond(cd *condition, c *Claim) bool {
	switch cd.kind {
	case condFlag:
		return c.Flags[cd.input] == cd.is
	case condTier:
		return contains(cd.set, c.Tier)
	case condPriority:
		return contains(cd.set, c.Priority)
	}
	var v mval
	switch cd.mk {
	case kindDuration:
		d, ok := c.Durations[cd.input]
		if !ok {
			return false
		}
		v.d = d
	case kindAmount:
		m, ok := c.Amounts[cd.input]
		if !ok {
			return false
		}
		v.n = fxOf(m.amount)
	default:
		n, ok := c.Numbers[cd.input]
		if !ok {
			return false
		}
		v.n = fxOf(n)
	}
	r := cmpVal(cd.mk, v, cd.v)
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
