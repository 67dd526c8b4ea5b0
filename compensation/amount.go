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
	// Amount is the option's amount; the zero Money when Option is "".
	Amount Money `json:"amount,omitzero"`
	// NeedsApproval is the option's NeedsApproval.
	NeedsApproval bool `json:"needs_approval,omitempty"`
}

// MaxAmount returns the largest money amount of the offer Compute would make
// for c, and which option carries it, without building the offer or its
// explanation: the path for a host that only prices claims (a what-if
// replay over many tickets, a budget forecast). Withheld options do not
// count; of two options with the same amount, the first in the offer's
// order wins. It refuses exactly the claims Compute refuses, with the same
// errors, and the amount is exactly the one Compute gives.
func (p *Policy) MaxAmount(c Claim) (Largest, error) {
	// As in Compute, the accumulators and values live on the stack.
	switch ni, na := len(p.inputs), len(p.ids); {
	case ni <= 4 && na <= 2:
		var vals [4]inputVal
		var accs [2]acc
		return p.maxAmount(&c, vals[:ni], accs[:na])
	case ni <= 16 && na <= 8:
		var vals [16]inputVal
		var accs [8]acc
		return p.maxAmount(&c, vals[:ni], accs[:na])
	}
	return p.maxAmount(&c, make([]inputVal, len(p.inputs)), make([]acc, len(p.ids)))
}

func (p *Policy) maxAmount(c *Claim, vals []inputVal, accs []acc) (Largest, error) {
	var e evalCtx
	if err := p.begin(c, vals, &e); err != nil {
		return Largest{}, err
	}
	if _, _, err := p.evaluate(c, vals, accs, nil, nil, explainer{}); err != nil {
		return Largest{}, err
	}
	var best settled
	var bestAcc *acc
	for i := range accs {
		a := &accs[i]
		if !a.ok {
			continue
		}
		st, err := p.settle(&e, a, nil)
		if err != nil {
			return Largest{}, err
		}
		if st.zero || bestAcc != nil && cmpFx(st.v, best.v) <= 0 {
			continue
		}
		best, bestAcc = st, a
	}
	if bestAcc == nil {
		return Largest{}, nil
	}
	return Largest{
		Option:        bestAcc.o.id,
		Kind:          bestAcc.o.kind.String(),
		Amount:        Money{amount: best.v.dec(), currency: p.cur},
		NeedsApproval: best.approve,
	}, nil
}
