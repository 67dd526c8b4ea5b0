package compensation

// Largest is the largest money amount an offer carries and the option that
// carries it: what a claim can cost at most, since the customer takes one
// option.
type Largest struct {
	// Option is the option's id; "" when the offer has no money option with
	// an amount above zero.
	Option string `json:"option,omitempty"`
	// Kind is the option's kind: "cash", "credit" or "voucher".
	Kind string `json:"kind,omitempty"`
	// Amount is the option's amount; the zero [Money] when Option is "".
	Amount Money `json:"amount,omitzero"`
	// NeedsApproval is the option's NeedsApproval.
	NeedsApproval bool `json:"needs_approval,omitempty"`
}

// MaxAmount returns the largest money amount of the offer [Policy.Compute]
// would make for c, and which option carries it, without building the offer or
// its explanation: the path for a host that only prices claims (a what-if
// replay over many tickets, a budget forecast). [Offer.Withheld] options do not
// count; of two options with the same amount, the first in the offer's
// order wins. It refuses exactly the claims Compute refuses, with the same
// errors, and the amount is exactly the one Compute gives.
func (p *Policy) MaxAmount(c Claim) (Largest, error) {
	// As in Compute, the accumulators and values live on the stack, in
	// arrays no larger than needed (zeroing them is part of the cost: one
	// accumulator for the usual single option id). The result is built
	// once, in place, from the best accumulator (a Largest is ten words
	// to zero and copy).
	var best *acc
	var err error
	switch ni, na := len(p.inputs), len(p.ids); {
	case ni <= 4 && na == 1:
		var vals [4]inputVal
		var accs [1]acc
		best, err = p.maxAmount(&c, vals[:ni], accs[:])
	case ni <= 4 && na <= 2:
		var vals [4]inputVal
		var accs [2]acc
		best, err = p.maxAmount(&c, vals[:ni], accs[:na])
	case ni <= 16 && na <= 8:
		var vals [16]inputVal
		var accs [8]acc
		best, err = p.maxAmount(&c, vals[:ni], accs[:na])
	default:
		best, err = p.maxAmount(&c, make([]inputVal, len(p.inputs)), make([]acc, len(p.ids)))
	}
	if best == nil {
		return Largest{}, err
	}
	return Largest{Option: best.o.id, Kind: best.o.kind.String(), Amount: Money{amount: best.v.dec(), currency: p.cur}, NeedsApproval: best.approve}, nil
}

// maxAmount returns the accumulator of accs with the largest amount above
// zero, settled, or nil when there is none (and on error).
func (p *Policy) maxAmount(c *Claim, vals []inputVal, accs []acc) (*acc, error) {
	var e evalCtx
	if err := p.begin(c, vals, &e); err != nil {
		return nil, err
	}
	if err := p.evaluateAmounts(c, vals, accs, e.flags); err != nil {
		return nil, err
	}
	var best *acc
	for i := range accs {
		a := &accs[i]
		if !a.ok {
			continue
		}
		if err := p.settleAmount(&e, a); err != nil {
			return nil, err
		}
		if a.v.sign() > 0 && (best == nil || cmpFx(a.v, best.v) > 0) {
			best = a
		}
	}
	return best, nil
}

// settleAmount is settle for a money option without a step log: the same
// adjustments in the same order (multipliers, rounding, floors, caps, the
// range check, approval), without the logging that makes settle large. It
// leaves the outcome in a.v and a.approve. TestMaxAmountMatchesCompute and
// FuzzPolicyOffers hold the two to the same amounts and errors.
func (p *Policy) settleAmount(e *evalCtx, a *acc) error {
	if !a.o.kind.money() {
		st, err := p.settle(e, a, nil)
		a.v, a.approve = st.v, st.approve
		return err
	}
	v := a.v
	if m := e.tierMul; m != nil {
		if w, ok := m.mulFast(v); ok {
			v = w
		} else {
			v = mulFx(v, m.f)
		}
	}
	if m := e.prioMul; m != nil {
		if w, ok := m.mulFast(v); ok {
			v = w
		} else {
			v = mulFx(v, m.f)
		}
	}
	scale := p.cur.MinorUnits
	v = roundFx(v, scale, p.rounding)
	if !v.big && v.e == -scale && p.limitsMinor && !e.granted {
		// The usual case, in line: the amount is an int64 at the
		// currency's scale, as every limit is, and no cap is reduced by
		// what was granted, so that they compare by coefficient (cmpFx
		// would, through a call each) and the range check below cannot
		// fail.
		if a.floor.set && v.m < a.floor.f.m {
			v = a.floor.f
		}
		if p.ticketFloor.set && v.m < p.ticketFloor.f.m {
			v = p.ticketFloor.f
		}
		if a.cap.set && v.m > a.cap.f.m {
			v = a.cap.f
		}
		if p.ticketCap.set && v.m > p.ticketCap.f.m {
			v = p.ticketCap.f
		}
		if p.periodCap.set && v.m > p.periodCap.f.m {
			v = p.periodCap.f
		}
		a.v = v
		a.approve = a.approve || p.approvalAbove.set && v.m > p.approvalAbove.f.m
		return nil
	}
	if a.floor.set && cmpFx(v, a.floor.f) < 0 {
		v = a.floor.f
	}
	if p.ticketFloor.set && cmpFx(v, p.ticketFloor.f) < 0 {
		v = p.ticketFloor.f
	}
	if a.cap.set && cmpFx(v, a.cap.f) > 0 {
		v = a.cap.f
	}
	if p.ticketCap.set {
		r := p.ticketCap.f
		if e.grantedTicket.sign() != 0 {
			r = remainingFx(&p.ticketCap, e.grantedTicket, scale)
		}
		if cmpFx(v, r) > 0 {
			v = r
		}
	}
	if p.periodCap.set {
		r := p.periodCap.f
		if e.grantedPeriod.sign() != 0 {
			r = remainingFx(&p.periodCap, e.grantedPeriod, scale)
		}
		if cmpFx(v, r) > 0 {
			v = r
		}
	}
	if (v.big || v.e > 11) && cmpFx(v, maxOfferAmount) >= 0 {
		// settle words the error.
		_, err := p.settle(e, a, nil)
		return err
	}
	a.v = v
	a.approve = a.approve || p.approvalAbove.set && cmpFx(v, p.approvalAbove.f) > 0
	return nil
}

// evaluateAmounts is evaluate without an offer: it runs every schedule over
// the claim into accs, money options only (the others cannot fail and carry
// no amount), with no reading, source or text to keep. It checks and fails
// in evaluate's order, so that it refuses what Compute refuses.
func (p *Policy) evaluateAmounts(c *Claim, vals []inputVal, accs []acc, flags uint64) error {
	for si := range p.schedules {
		sc := &p.schedules[si]
		if len(sc.when) > 0 && p.failing(sc.when, c, vals) >= 0 {
			continue
		}
		// measure and find, written out: here they would be calls.
		in := &vals[sc.in]
		if !in.ok {
			return missingMeasure(sc)
		}
		v := mval{d: in.d, n: in.n}
		var b *band
		if sc.kind == kindDuration {
			b = sc.findDuration(v.d)
		} else {
			b = sc.find(v)
		}
		if b == nil {
			continue
		}
		// The reductions that hold, the schedule's then the band's, as in
		// evaluate (two plain loops: no array of the two lists to build;
		// a lone flag condition, the usual, tested here, not by failing),
		// unless the flag bits say that none does (the usual claim sets
		// none of their flags).
		// (The factor is a pointer, to a reduction's or to the product of
		// several: one word live through the options, not five.)
		var factor *fx
		var prod fx
		if !b.flagReds || flags&b.redTrue != 0 || ^flags&b.redFalse != 0 {
			for i := range sc.reductions {
				r := &sc.reductions[i]
				if r.loneFlag && vals[r.when[0].in].flag == r.when[0].is || !r.loneFlag && p.failing(r.when, c, vals) < 0 {
					factor = reduce(factor, &prod, r)
				}
			}
			for i := range b.reductions {
				r := &b.reductions[i]
				if r.loneFlag && vals[r.when[0].in].flag == r.when[0].is || !r.loneFlag && p.failing(r.when, c, vals) < 0 {
					factor = reduce(factor, &prod, r)
				}
			}
		}
		for oi := range b.options {
			o := &b.options[oi]
			if !o.kind.money() || len(o.when) > 0 && p.failing(o.when, c, vals) >= 0 {
				continue
			}
			a := &accs[o.idx]
			if o.formula == fPercent && factor == nil && !a.ok {
				// The usual first source of an option: amount's percent
				// formula on its fast path, started at once, in line (a
				// call spills every value live here) and on a path of its
				// own (joined to the general one, it cost more than the
				// call: the compiler shuffles registers at the join).
				if bv := &vals[o.baseIn]; bv.ok && o.pctSmall {
					if r, ok := mulSmall(bv.n, o.percent); ok {
						a.start(o, fx{m: r.m, e: r.e - 2}, sc)
						continue
					}
				}
			}
			amt, err := p.amount(sc, o, &v, vals)
			if err != nil {
				return err
			}
			if factor != nil {
				amt = mulFx(amt, *factor)
			}
			if o.formula == fPerPeriod {
				a.periodSc = sc
			}
			if !a.ok {
				a.start(o, amt, sc)
			} else {
				p.merge(a, o, amt, nil, -1, sc)
			}
		}
	}
	return nil
}

// reduce applies reduction r to the factor so far (nil: none), writing the
// product of several to *prod.
func reduce(factor, prod *fx, r *reduction) *fx {
	if factor == nil {
		return &r.factor
	}
	*prod = mulFx(*factor, r.factor)
	return prod
}

// amount is formula without the explanation: the same arithmetic, step for
// step (TestMaxAmountMatchesCompute and the round-trip fuzz target hold the
// two to the same amounts).
func (p *Policy) amount(sc *schedule, o *option, v *mval, vals []inputVal) (fx, error) {
	switch o.formula {
	case fFixed:
		return o.amount, nil
	case fPercent:
		bv := &vals[o.baseIn]
		if !bv.ok {
			return fx{}, inputErr(MapAmounts, o.base, ErrMissingInput, "the policy needs it")
		}
		r, ok := mulFast(bv.n, o.percent)
		if !ok {
			if r = mulFx(bv.n, o.percent); r.big {
				return fxBig(r.d.Shift(-2)), nil
			}
		}
		return fx{m: r.m, e: r.e - 2}, nil
	case fMultiple:
		bv := &vals[o.baseIn]
		if !bv.ok {
			return fx{}, inputErr(MapAmounts, o.base, ErrMissingInput, "the policy needs it")
		}
		r := mulFx(bv.n, o.multiple)
		if o.min.set && cmpFx(r, o.min.f) < 0 {
			r = o.min.f
		}
		if o.max.set && cmpFx(r, o.max.f) > 0 {
			r = o.max.f
		}
		if o.plusBase {
			r = addFx(r, bv.n)
		}
		return r, nil
	}
	r, _, err := p.formula(sc, o, *v, vals, nil, false)
	return r, err
}
