package compensation

import "strconv"

// The explanation of an offer is plain data (Reading, Source, Step), but
// writing it is most of what Compute costs: every number of it used to go
// through decimal.String and big.Int, into a string of its own. Here every
// text is written into one buffer while the offer is computed, with a
// record of which string field takes which part of it, and the buffer
// becomes one string at the end: an offer costs one string however many
// numbers its explanation shows, and the texts are the same as before.

// span is a part of the explainer's buffer.
type span struct{ lo, hi int32 }

func (s span) set() bool { return s.hi > s.lo }

// offerBlock holds, in one allocation, everything an offer of the smallest
// shape needs: one schedule's reading and one option with its source, up
// to five steps (two multipliers, rounding, a cap and approval; an option
// with more gets its own slice) and its amount. Most published schemes have that shape (one table, one kind
// of payment); allocating once instead of five times is most of what such
// an offer costs beyond its arithmetic. Slices into it have their
// capacity cut to their length, so that a caller's append copies out.
type offerBlock struct {
	readings [1]Reading
	options  [1]OfferOption
	sources  [1]Source
	steps    [5]Step
	money    Money
}

// textPatch says which string field takes which part of the buffer.
type textPatch struct {
	dst *string
	sp  span
}

// srcSpans are the parts of the buffer of one source's texts; an unset
// span means the text was set directly (a static text).
type srcSpans struct {
	value, formula, result span
}

// srcCopy is a source copied out of explainer.srcs (an option with several
// sources), whose texts are set with the original's.
type srcCopy struct {
	dst *Source
	j   int32
}

// explainer is the explanation state of one Compute. It is passed and
// returned by value, so that its buffers can live on Compute's stack, and
// it holds nothing that ends up in the offer (escape analysis would follow
// it there): the sources travel apart, as srcs, which holds every source of
// the offer in the order they were found. The capacity of srcs is
// Policy.maxSources, so no append moves it and pointers into it stay valid;
// an option with one source shows a slice of it.
type explainer struct {
	srcText []srcSpans // parallel to srcs
	copies  []srcCopy
	buf     []byte
	patches []textPatch
}

// done makes the buffer one string and gives every field its part.
func (ex *explainer) done(srcs []Source) {
	all := string(ex.buf)
	part := func(sp span) string { return all[sp.lo:sp.hi] }
	for _, pt := range ex.patches {
		*pt.dst = part(pt.sp)
	}
	setSource := func(s *Source, t *srcSpans) {
		if t.value.set() {
			s.Value = part(t.value)
		}
		if t.formula.set() {
			s.Formula = part(t.formula)
		}
		if t.result.set() {
			s.Result = part(t.result)
		}
	}
	for j := range srcs {
		setSource(&srcs[j], &ex.srcText[j])
	}
	for _, cp := range ex.copies {
		setSource(cp.dst, &ex.srcText[cp.j])
	}
}

// appendResult appends the result of source j as it will read. (Values in,
// values out: a pointer to the explainer would put its buffers on the heap.)
func appendResult(ex explainer, srcs []Source, j int32) explainer {
	if sp := ex.srcText[j].result; sp.set() {
		ex.buf = append(ex.buf, ex.buf[sp.lo:sp.hi]...)
	} else {
		ex.buf = append(ex.buf, srcs[j].Result...)
	}
	return ex
}

// textRef is the text of a step's value: a ready string, a part of the
// buffer, a value still to write, or the previous step's.
type textRef struct {
	kind refKind
	s    string
	sp   span
	v    fx
}

type refKind uint8

const (
	refStr refKind = iota
	refSpan
	refCanon // v as decimal.String writes it
	refFixed // v with the currency's number of fraction digits
	refPrev  // the previous step's value, unchanged
)

func strRef(s string) textRef   { return textRef{kind: refStr, s: s} }
func spanRef(sp span) textRef   { return textRef{kind: refSpan, sp: sp} }
func canonRef(v fx) textRef     { return textRef{kind: refCanon, v: v} }
func fixedRef(v fx) textRef     { return textRef{kind: refFixed, v: v} }
func (t textRef) isValue() bool { return t.kind == refCanon || t.kind == refFixed }

type loggedStep struct {
	stage, rule string
	after       textRef
}

// stepLog collects an option's steps while settle computes its amount.
type stepLog struct {
	n     int
	steps [10]loggedStep // at most: combine, 2 multipliers, rounding, 2 floors, 3 caps, approval
	first textRef        // the value before the first step
}

func (l *stepLog) add(stage, rule string, after textRef) {
	l.steps[l.n] = loggedStep{stage: stage, rule: rule, after: after}
	l.n++
}

// finish settles an accumulated option and explains it into out; blk, when
// not nil, has room for its steps and amount.
func (p *Policy) finish(e *evalCtx, a *acc, srcs []Source, ex explainer, out *OfferOption, blk *offerBlock) (bool, explainer, error) {
	o := a.o
	out.ID, out.Kind, out.Label, out.NeedsApproval = o.id, o.kind.String(), o.label, a.approve
	if a.n == 1 {
		out.Explanation.Sources = srcs[a.first : a.first+1 : a.first+1]
	} else {
		list := make([]Source, a.n)
		for k := int32(0); k < a.n; k++ {
			j := a.source(k)
			list[k] = srcs[j]
			ex.copies = append(ex.copies, srcCopy{dst: &list[k], j: j})
		}
		out.Explanation.Sources = list
	}
	var l stepLog
	if a.n > 1 {
		// The combine step: before, the results of the sources; after, what
		// they came to.
		lo := len(ex.buf)
		for k := int32(0); k < a.n; k++ {
			if k > 0 {
				ex.buf = append(ex.buf, ", "...)
			}
			ex = appendResult(ex, srcs, a.source(k))
		}
		l.first = spanRef(span{int32(lo), int32(len(ex.buf))})
		rule := p.combine.String() + " of " + strconv.Itoa(int(a.n)) + " schedules"
		switch o.kind {
		case optServiceDays:
			l.add("combine", rule, strRef(strconv.Itoa(a.days)))
		case optService:
			l.add("combine", rule, strRef(""))
		default:
			l.add("combine", rule, canonRef(a.v))
		}
	} else if sp := ex.srcText[a.first].result; sp.set() {
		l.first = spanRef(sp)
	} else {
		l.first = strRef(srcs[a.first].Result)
	}
	var st settled
	switch o.kind {
	case optServiceDays:
		out.Days = a.days
	case optService:
		out.Service = o.service
	default:
		var err error
		if st, err = p.settle(e, a, &l); err != nil {
			return false, ex, err
		}
		out.NeedsApproval = st.approve
		if o.kind == optPoints {
			out.Points = st.points
		} else {
			var m *Money
			if blk != nil {
				m = &blk.money
			} else {
				m = new(Money)
			}
			*m = Money{amount: st.v.dec(), currency: p.cur}
			out.Amount = m
			out.ValidDays = a.validDays
		}
	}
	if l.n == 0 {
		return st.zero, ex, nil
	}
	var steps []Step
	if blk != nil && l.n <= len(blk.steps) {
		steps = blk.steps[:l.n:l.n]
	} else {
		steps = make([]Step, l.n)
	}
	// Locals rather than ex's fields in the loop: the explainer is passed by
	// value, and a copy per text would cost more than the text.
	buf, patches := ex.buf, ex.patches
	before := &l.first
	for i := 0; i < l.n; i++ {
		s := &l.steps[i]
		after := &s.after
		switch {
		case after.kind == refPrev:
			after = before
		case after.isValue():
			lo := len(buf)
			if after.kind == refFixed {
				buf = appendFixed(buf, after.v, p.cur.MinorUnits)
			} else {
				buf = appendCanon(buf, after.v)
			}
			after.kind, after.sp = refSpan, span{int32(lo), int32(len(buf))}
		}
		st := &steps[i] // fresh memory: only the fields set are written
		st.Stage, st.Rule = s.stage, s.rule
		if before.kind == refStr {
			st.Before = before.s
		} else {
			patches = append(patches, textPatch{dst: &st.Before, sp: before.sp})
		}
		if after.kind == refStr {
			st.After = after.s
		} else {
			patches = append(patches, textPatch{dst: &st.After, sp: after.sp})
		}
		before = after
	}
	ex.buf, ex.patches = buf, patches
	out.Explanation.Steps = steps
	return st.zero, ex, nil
}
