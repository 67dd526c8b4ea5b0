package compensation

import (
	"math"
	"regexp"
	"sort"
	"strconv"
	"strings"
	"time"

	"github.com/closeloop/closeloop"
	"github.com/closeloop/closeloop/internal/rulesjson"
	"github.com/shopspring/decimal"
)

// Policy is a compiled compensation policy. It is immutable and safe for
// concurrent use; build it once with [ParsePolicy] or [NewPolicy] and call
// [Policy.Compute] for every claim.
type Policy struct {
	name, description, source string
	cur                       Currency
	rounding                  RoundingMode
	roundingRule              string
	pointsRule                string // "half_up to whole points"
	approvalRule              string // "amount over approval_above 500.00"
	combine                   combineMode
	schedules                 []schedule
	tierMul                   map[string]*multiplier
	tiers                     []tierMul // the same, for a scan when there are few
	prioMul                   [closeloop.MaxLevels]multiplier
	ticketFloor               limit
	ticketCap                 limit
	periodCap                 limit
	approvalAbove             limit
	voucherMin                int
	ids                       []string // option ids in order of first appearance
	idKind                    map[string]optKind
	inputs                    []Input          // what Inputs returns
	reads                     map[string]uint8 // input name → read… bits: what the policy reads under it
	maxSources                int              // the most sources an offer can have: one per schedule and option of its largest band
	small                     bool             // one schedule, one option id: an offer fits an offerBlock
	// minorLimit is 10^(15+s), s the currency's scale, when s is at most
	// 3 (else 0): the bound below which validMoney passes a coefficient.
	minorLimit int64
	// limitsMinor: every floor, cap and threshold is an int64 at the
	// currency's scale (as parseAmount writes amounts), so that
	// settleAmount compares a rounded amount with them in line.
	limitsMinor bool
	// byMap lists the inputs again by claim map (in mapOrder), each with
	// its index in inputs and its name (one indirection fewer than
	// through inputs), for checkClaim.
	byMap [len(mapOrder)][]mapInput
}

type mapInput struct {
	name string
	i    int32
}

type tierMul struct {
	name string
	m    *multiplier
}

type limit struct {
	set  bool
	v    decimal.Decimal
	f    fx     // v for the arithmetic
	text string // v at the currency's scale
	rule string // how an explanation names it when it bites: "option cap 800.00"
}

type multiplier struct {
	set  bool
	v    decimal.Decimal
	f    fx
	rule string // "tier gold × 1.5"
	// small: f's coefficient fits 32 bits (as mulFast wants it), known
	// once, so that the method mulFast tests only the amount's.
	small bool
}

func newMultiplier(d decimal.Decimal, rule string) multiplier {
	f := fxConst(d)
	return multiplier{set: true, v: d, f: f, rule: rule, small: small32(f)}
}

// mulFast is mulFast(v, m.f), with m's half of the test made once.
func (m *multiplier) mulFast(v fx) (fx, bool) {
	if m.small && !v.big && uint64(v.m)+1<<31 < 1<<32 {
		if e := int64(v.e) + int64(m.f.e); e >= math.MinInt32/2 && e <= math.MaxInt32/2 {
			return fx{m: v.m * m.f.m, e: int32(e)}, true
		}
	}
	return fx{}, false
}

type combineMode uint8

const (
	combineSum combineMode = iota + 1
	combineMax
)

func (c combineMode) String() string {
	if c == combineMax {
		return "max"
	}
	return "sum"
}

type measureKind uint8

const (
	kindDuration measureKind = iota + 1
	kindAmount
	kindPercentage
	kindNumber
)

var measureKinds = map[string]measureKind{"duration": kindDuration, "amount": kindAmount, "percentage": kindPercentage, "number": kindNumber}

func (k measureKind) String() string {
	for n, v := range measureKinds {
		if v == k {
			return n
		}
	}
	return "?"
}

// mval is a value of a measure: d for durations, n for the other kinds.
type mval struct {
	d time.Duration
	n fx
}

func cmpVal(k measureKind, a, b mval) int {
	if k == kindDuration {
		switch {
		case a.d < b.d:
			return -1
		case a.d > b.d:
			return 1
		}
		return 0
	}
	return cmpFx(a.n, b.n)
}

type edge struct {
	unbounded bool
	incl      bool
	v         mval
}

type condKind uint8

const (
	condFlag condKind = iota + 1
	condTier
	condPriority
	condCompare
)

type cmpOp uint8

const (
	opLT cmpOp = iota + 1
	opLE
	opGT
	opGE
	opEQ
)

var cmpOps = map[string]cmpOp{"<": opLT, "<=": opLE, ">": opGT, ">=": opGE, "=": opEQ}

type condition struct {
	kind  condKind
	input string
	in    int // index of the input in Policy.inputs (flag and compare conditions)
	is    bool
	mk    measureKind
	op    cmpOp
	v     mval
	set   []string
	text  string
}

type reduction struct {
	name    string
	percent decimal.Decimal
	factor  fx     // (100 - percent) / 100, exact
	text    string // "shared fault -50%", as readings show it
	when    []condition
	// loneFlag: the only condition is a flag (the usual: "rerouted",
	// "shared fault"), which the amount-only path tests in line.
	loneFlag bool
}

type optKind uint8

const (
	optCash optKind = iota + 1
	optCredit
	optVoucher
	optPoints
	optServiceDays
	optService
)

var optKinds = map[string]optKind{"cash": optCash, "credit": optCredit, "voucher": optVoucher, "points": optPoints, "service_days": optServiceDays, "service": optService}

var optKindNames = [...]string{optCash: "cash", optCredit: "credit", optVoucher: "voucher", optPoints: "points", optServiceDays: "service_days", optService: "service"}

func (k optKind) String() string {
	if int(k) < len(optKindNames) {
		return optKindNames[k]
	}
	return "?"
}

func (k optKind) money() bool { return k == optCash || k == optCredit || k == optVoucher }

type formulaKind uint8

const (
	fFixed formulaKind = iota + 1
	fPercent
	fMultiple
	fPerPeriod
)

var formulas = map[string]formulaKind{"fixed": fFixed, "percent": fPercent, "multiple": fMultiple, "per_period": fPerPeriod}

type option struct {
	id, label   string
	idx         int // index of id in Policy.ids
	kind        optKind
	when        []condition
	formula     formulaKind
	amount      fx
	percent     fx
	pctSmall    bool // percent is small32 (tested once), for the amount-only path
	multiple    fx
	base        string
	baseIn      int // index of base in Policy.inputs
	plusBase    bool
	min, max    limit
	after       mval
	every       mval
	perPeriod   fx
	maxPeriods  int64 // < 0: unbounded
	floor, cap  limit
	validDays   int
	points      int64
	days        int
	service     string
	needApprove bool

	// Fixed parts of the formula's explanation, written once at compile
	// time: "fixed 250.00"; "25 % of monthly_charge "; per_period's
	// "95.00 + " and " × 45.00 (completed periods of 12h0m0s after 12h0m0s) = ".
	text, text2 string
	// minText and maxText: "; min 500.00 → 500.00"; plusText "; plus price ".
	minText, maxText, plusText string
	// pointsText and daysText: "300 points", "30 days"; daysResult "30".
	pointsText, daysText, daysResult string
}

type band struct {
	name       string
	rng        string
	lo, hi     edge
	reductions []reduction
	options    []option
	// flagReds: every reduction that applies in the band (the
	// schedule's, then its own) is a lone flag on one of the first 64
	// inputs, so that the amount-only path tells from the claim's flag
	// bits (evalCtx.flags) at once whether any holds: one with is true
	// holds when its bit in redTrue is set, one with is false when its
	// bit in redFalse is not.
	flagReds          bool
	redTrue, redFalse uint64
}

type schedule struct {
	name       string
	kind       measureKind
	input      string
	in         int // index of the input in Policy.inputs
	unit       string
	when       []condition
	reductions []reduction
	bands      []band
	durs       []durRange // of a duration schedule: bands[i]'s range, for find
}

// durRange is a duration band's range as inclusive bounds (lo > hi: empty),
// so that finding a duration's band compares it twice with each band's
// bounds in a compact array rather than testing each edge's kind.
type durRange struct{ lo, hi time.Duration }

func durRangeOf(b *band) durRange {
	r := durRange{lo: math.MinInt64, hi: math.MaxInt64}
	if !b.lo.unbounded {
		r.lo = b.lo.v.d
		if !b.lo.incl {
			if r.lo == math.MaxInt64 {
				return durRange{lo: 1, hi: 0}
			}
			r.lo++
		}
	}
	if !b.hi.unbounded {
		r.hi = b.hi.v.d
		if !b.hi.incl {
			if r.hi == math.MinInt64 {
				return durRange{lo: 1, hi: 0}
			}
			r.hi--
		}
	}
	return r
}

// Name returns the policy's name.
func (p *Policy) Name() string { return p.name }

// Currency returns the policy's currency.
func (p *Policy) Currency() Currency { return p.cur }

// Rounding returns the policy's rounding mode.
func (p *Policy) Rounding() RoundingMode { return p.rounding }

// Description returns the policy's description.
func (p *Policy) Description() string { return p.description }

// Source returns the citation of the published scheme, if any.
func (p *Policy) Source() string { return p.source }

// ParsePolicy strictly decodes a JSON policy document (see [PolicySpec]) and
// compiles it. Every error is a *[PathError] naming the offending value.
func ParsePolicy(data []byte) (*Policy, error) {
	var spec PolicySpec
	if err := rulesjson.Decode(data, &spec); err != nil {
		return nil, err
	}
	return NewPolicy(spec)
}

// limits on sizes that keep every computation bounded.
const (
	maxMultiplier = 1000
	maxPoints     = 1_000_000_000_000
	maxDays       = 36600
	maxNameLen    = 200
)

var identRE = regexp.MustCompile(`^[A-Za-z0-9_][A-Za-z0-9_.:/-]*$`)

// NewPolicy validates spec and compiles it. Errors are *[PathError] with
// JSON paths ("$.schedules[0].bands[1].range"), as if spec had been decoded
// from JSON.
func NewPolicy(spec PolicySpec) (*Policy, error) {
	c := compiler{services: map[string]string{}, idIdx: map[string]int{}}
	p, err := c.policy(spec)
	if err != nil {
		return nil, err
	}
	p.collectInputs()
	for _, sc := range p.schedules {
		most := 0
		for _, b := range sc.bands {
			most = max(most, len(b.options))
		}
		p.maxSources += most
	}
	p.small = len(p.schedules) == 1 && len(p.ids) == 1
	p.limitsMinor = p.allLimitsMinor()
	p.flagMasks()
	return p, nil
}

// flagMasks sets each band's flagReds, redTrue and redFalse (inputs are
// resolved).
func (p *Policy) flagMasks() {
	for si := range p.schedules {
		sc := &p.schedules[si]
		for bi := range sc.bands {
			b := &sc.bands[bi]
			b.flagReds = true
			for _, rs := range [2][]reduction{sc.reductions, b.reductions} {
				for i := range rs {
					r := &rs[i]
					if !r.loneFlag || r.when[0].in >= 64 {
						b.flagReds, b.redTrue, b.redFalse = false, 0, 0
						break
					}
					if r.when[0].is {
						b.redTrue |= 1 << r.when[0].in
					} else {
						b.redFalse |= 1 << r.when[0].in
					}
				}
				if !b.flagReds {
					break
				}
			}
		}
	}
}

// allLimitsMinor reports whether every limit settle applies is unset or an
// int64 at the currency's scale.
func (p *Policy) allLimitsMinor() bool {
	minor := func(l *limit) bool { return !l.set || !l.f.big && l.f.e == -p.cur.MinorUnits }
	if !minor(&p.ticketFloor) || !minor(&p.ticketCap) || !minor(&p.periodCap) || !minor(&p.approvalAbove) {
		return false
	}
	for _, sc := range p.schedules {
		for _, b := range sc.bands {
			for i := range b.options {
				if o := &b.options[i]; !minor(&o.floor) || !minor(&o.cap) {
					return false
				}
			}
		}
	}
	return true
}

type compiler struct {
	cur      Currency
	p        *Policy
	services map[string]string
	idIdx    map[string]int // index in p.ids of each option id
}

func (c *compiler) policy(s PolicySpec) (*Policy, error) {
	p := &Policy{name: s.Name, description: s.Description, source: s.Source, idKind: map[string]optKind{}}
	c.p = p
	if err := checkName("$.name", s.Name, true); err != nil {
		return nil, err
	}
	cur, ok := LookupCurrency(s.Currency)
	if !ok {
		return nil, rulesjson.Wrap("$.currency", lookupCurrencyError(s.Currency))
	}
	p.cur, c.cur = cur, cur
	if cur.MinorUnits <= 3 {
		p.minorLimit = pow10s[maxIntDigits+cur.MinorUnits]
	}
	r, err := ParseRoundingMode(s.Rounding)
	if err != nil {
		return nil, rulesjson.Wrap("$.rounding", err)
	}
	p.rounding = r
	p.roundingRule = r.String() + " to " + strconv.Itoa(int(cur.MinorUnits)) + " places (" + cur.Code + ")"
	p.pointsRule = r.String() + " to whole points"
	switch s.Combine {
	case "sum":
		p.combine = combineSum
	case "max":
		p.combine = combineMax
	case "":
		if len(s.Schedules) > 1 {
			return nil, pathErr("$.combine", ErrInvalidRule, "required with more than one schedule: \"sum\" or \"max\"")
		}
		p.combine = combineSum
	default:
		return nil, pathErr("$.combine", ErrInvalidRule, "%q: want \"sum\" or \"max\"", s.Combine)
	}
	p.voucherMin = 30
	if s.VoucherMinValidDays != nil {
		v := *s.VoucherMinValidDays
		if v < 1 || v > maxDays {
			return nil, pathErr("$.voucher_min_valid_days", ErrBadNumber, "%d: want 1..%d", v, maxDays)
		}
		p.voucherMin = v
	}
	if len(s.Schedules) == 0 {
		return nil, pathErr("$.schedules", ErrInvalidRule, "at least one schedule is required")
	}
	names := map[string]int{}
	// Lists are sized once: appending one by one allocates about five
	// times a long list's final size.
	p.schedules = make([]schedule, 0, len(s.Schedules))
	for i, ss := range s.Schedules {
		path := rulesjson.Index("$.schedules", i)
		if j, dup := names[ss.Name]; dup {
			return nil, pathErr(path+".name", ErrInvalidRule, "%q repeats $.schedules[%d].name", ss.Name, j)
		}
		names[ss.Name] = i
		sc, err := c.schedule(path, ss)
		if err != nil {
			return nil, err
		}
		p.schedules = append(p.schedules, sc)
	}
	if m := s.Multipliers; m != nil {
		if len(m.Tier) > 0 {
			p.tierMul = make(map[string]*multiplier, len(m.Tier))
			p.tiers = make([]tierMul, 0, len(m.Tier))
		}
		for _, k := range sortedKeys(m.Tier) {
			path := rulesjson.Field("$.multipliers.tier", k)
			if k == "" {
				return nil, pathErr(path, ErrInvalidRule, "empty tier name")
			}
			d, err := parseMultiplier(m.Tier[k])
			if err != nil {
				return nil, rulesjson.Wrap(path, err)
			}
			mul := newMultiplier(d, "tier "+k+" × "+d.String())
			p.tierMul[k] = &mul
			p.tiers = append(p.tiers, tierMul{name: k, m: p.tierMul[k]})
		}
		for _, k := range sortedKeys(m.Priority) {
			path := rulesjson.Field("$.multipliers.priority", k)
			lvl, ok := priorityIndex(k)
			if !ok {
				return nil, pathErr(path, ErrInvalidRule, "priority %q: want P0..P9", k)
			}
			d, err := parseMultiplier(m.Priority[k])
			if err != nil {
				return nil, rulesjson.Wrap(path, err)
			}
			p.prioMul[lvl] = newMultiplier(d, "priority "+k+" × "+d.String())
		}
	}
	if l := s.Limits; l != nil {
		if p.ticketFloor, err = c.optAmount("$.limits.ticket_floor", l.TicketFloor); err != nil {
			return nil, err
		}
		if p.ticketCap, err = c.optAmount("$.limits.ticket_cap", l.TicketCap); err != nil {
			return nil, err
		}
		if p.periodCap, err = c.optAmount("$.limits.customer_period_cap", l.CustomerPeriodCap); err != nil {
			return nil, err
		}
	}
	if p.approvalAbove, err = c.optAmount("$.approval_above", s.ApprovalAbove); err != nil {
		return nil, err
	}
	p.ticketFloor.rule = "ticket_floor " + p.ticketFloor.text
	p.approvalRule = "amount over approval_above " + p.approvalAbove.text
	// Voucher validity is checked after voucher_min_valid_days is known.
	for i, ss := range s.Schedules {
		for j, bs := range ss.Bands {
			for k, os := range bs.Options {
				o := &p.schedules[i].bands[j].options[k]
				if o.kind != optVoucher {
					continue
				}
				path := rulesjson.Index(rulesjson.Index(rulesjson.Index("$.schedules", i)+".bands", j)+".options", k) + ".valid_days"
				if os.ValidDays == nil {
					o.validDays = p.voucherMin
					continue
				}
				if *os.ValidDays < p.voucherMin || *os.ValidDays > maxDays {
					return nil, pathErr(path, ErrInvalidRule, "%d days: a voucher is valid for at least %d days (voucher_min_valid_days) and at most %d", *os.ValidDays, p.voucherMin, maxDays)
				}
				o.validDays = *os.ValidDays
			}
		}
	}
	return p, nil
}

func checkName(path, s string, required bool) error {
	if s == "" {
		if required {
			return pathErr(path, ErrInvalidRule, "required")
		}
		return nil
	}
	if len(s) > maxNameLen {
		return pathErr(path, ErrInvalidRule, "longer than %d bytes", maxNameLen)
	}
	return nil
}

func checkIdent(path, s string) error {
	if s == "" {
		return pathErr(path, ErrInvalidRule, "required")
	}
	if len(s) > maxNameLen || !identRE.MatchString(s) {
		return pathErr(path, ErrInvalidRule, "%q: want letters, digits and _ . : / -", s)
	}
	return nil
}

func (c *compiler) schedule(path string, s ScheduleSpec) (schedule, error) {
	sc := schedule{name: s.Name, unit: s.Measure.Unit}
	if err := checkName(path+".name", s.Name, true); err != nil {
		return sc, err
	}
	k, ok := measureKinds[s.Measure.Kind]
	if !ok {
		return sc, pathErr(path+".measure.kind", ErrInvalidRule, "%q: want duration, amount, percentage or number", s.Measure.Kind)
	}
	sc.kind = k
	if err := checkIdent(path+".measure.input", s.Measure.Input); err != nil {
		return sc, err
	}
	sc.input = s.Measure.Input
	if len(s.Measure.Unit) > maxNameLen {
		return sc, pathErr(path+".measure.unit", ErrInvalidRule, "longer than %d bytes", maxNameLen)
	}
	var err error
	if sc.when, err = c.conditions(path+".when", s.When, false); err != nil {
		return sc, err
	}
	if sc.reductions, err = c.reductions(path+".reductions", s.Reductions); err != nil {
		return sc, err
	}
	if len(s.Bands) == 0 {
		return sc, pathErr(path+".bands", ErrInvalidRule, "at least one band is required")
	}
	sc.bands = make([]band, 0, len(s.Bands))
	for i, bs := range s.Bands {
		bp := rulesjson.Index(path+".bands", i)
		b, err := c.band(bp, k, bs)
		if err != nil {
			return sc, err
		}
		if i > 0 {
			if err := checkNeighbours(bp+".range", sc.bands[i-1], b, k, s.AllowGaps, i-1); err != nil {
				return sc, err
			}
		}
		sc.bands = append(sc.bands, b)
	}
	if k == kindDuration {
		sc.durs = make([]durRange, len(sc.bands))
		for i := range sc.bands {
			sc.durs[i] = durRangeOf(&sc.bands[i])
		}
	}
	return sc, nil
}

// checkNeighbours checks that band b starts where prev ends: not before (an
// overlap, or bands out of order) and, unless gaps are allowed, not after.
func checkNeighbours(path string, prev, b band, k measureKind, allowGaps bool, pi int) error {
	if prev.hi.unbounded || b.lo.unbounded {
		return pathErr(path, ErrOverlap, "%s overlaps bands[%d] %s", b.rng, pi, prev.rng)
	}
	switch c := cmpVal(k, prev.hi.v, b.lo.v); {
	case c > 0, c == 0 && prev.hi.incl && b.lo.incl:
		return pathErr(path, ErrOverlap, "%s overlaps bands[%d] %s (bands must be in ascending order and disjoint)", b.rng, pi, prev.rng)
	case c < 0, c == 0 && !prev.hi.incl && !b.lo.incl:
		if !allowGaps {
			return pathErr(path, ErrGap, "%s leaves a gap after bands[%d] %s (set allow_gaps to permit it)", b.rng, pi, prev.rng)
		}
	}
	return nil
}

var rangeRE = regexp.MustCompile(`^\s*([\[(])\s*([^,\s]+)\s*,\s*([^,\s]+)\s*([\])])\s*$`)

func (c *compiler) band(path string, k measureKind, s BandSpec) (band, error) {
	b := band{name: s.Name, rng: s.Range}
	if err := checkName(path+".name", s.Name, true); err != nil {
		return b, err
	}
	m := rangeRE.FindStringSubmatch(s.Range)
	rp := path + ".range"
	if m == nil {
		return b, pathErr(rp, ErrBadRange, "%q: want interval notation such as \"[3h, 12h)\" or \"(3500, inf)\"", s.Range)
	}
	b.lo.incl, b.hi.incl = m[1] == "[", m[4] == "]"
	if m[2] == "-inf" {
		if k != kindNumber {
			return b, pathErr(rp, ErrBadRange, "%q: -inf is only for measures of kind number; a %s starts at 0", s.Range, k)
		}
		if b.lo.incl {
			return b, pathErr(rp, ErrBadRange, "%q: an unbounded edge is written \"(-inf\"", s.Range)
		}
		b.lo.unbounded = true
	} else {
		v, err := c.measureValue(k, m[2])
		if err != nil {
			return b, rulesjson.Wrap(rp, err)
		}
		b.lo.v = v
	}
	if m[3] == "inf" || m[3] == "+inf" {
		if b.hi.incl {
			return b, pathErr(rp, ErrBadRange, "%q: an unbounded edge is written \"inf)\"", s.Range)
		}
		b.hi.unbounded = true
	} else {
		v, err := c.measureValue(k, m[3])
		if err != nil {
			return b, rulesjson.Wrap(rp, err)
		}
		b.hi.v = v
	}
	if !b.lo.unbounded && !b.hi.unbounded {
		switch cv := cmpVal(k, b.lo.v, b.hi.v); {
		case cv > 0, cv == 0 && !(b.lo.incl && b.hi.incl):
			return b, pathErr(rp, ErrBadRange, "%q is empty", s.Range)
		}
	}
	var err error
	if b.reductions, err = c.reductions(path+".reductions", s.Reductions); err != nil {
		return b, err
	}
	ids := make(map[string]int, len(s.Options))
	b.options = make([]option, 0, len(s.Options))
	for i, os := range s.Options {
		op := rulesjson.Index(path+".options", i)
		o, err := c.option(op, k, os)
		if err != nil {
			return b, err
		}
		if j, dup := ids[o.id]; dup {
			return b, pathErr(op+".id", ErrInvalidRule, "%q repeats options[%d] of the same band", o.id, j)
		}
		ids[o.id] = i
		if prev, seen := c.p.idKind[o.id]; seen && prev != o.kind {
			return b, pathErr(op+".kind", ErrInvalidRule, "option %q is %s here but %s elsewhere; one id, one kind", o.id, o.kind, prev)
		} else if !seen {
			c.p.idKind[o.id] = o.kind
			c.idIdx[o.id] = len(c.p.ids)
			c.p.ids = append(c.p.ids, o.id)
		}
		o.idx = c.idIdx[o.id]
		if o.kind == optService {
			if prev, seen := c.services[o.id]; seen && prev != o.service {
				return b, pathErr(op+".service", ErrInvalidRule, "option %q names service %q here but %q elsewhere", o.id, o.service, prev)
			}
			c.services[o.id] = o.service
		}
		b.options = append(b.options, o)
	}
	return b, nil
}

// measureValue parses a value written in the measure's kind.
func (c *compiler) measureValue(k measureKind, s string) (mval, error) {
	switch k {
	case kindDuration:
		d, err := time.ParseDuration(s)
		if err != nil {
			return mval{}, errorf(ErrBadNumber, "%q is not a Go duration such as \"90m\" or \"72h\"", s)
		}
		if d < 0 {
			return mval{}, errorf(ErrNegativeAmount, "duration %q", s)
		}
		return mval{d: d}, nil
	case kindAmount:
		d, err := parseAmount(s, c.cur)
		return mval{n: fxConst(d)}, err
	case kindPercentage:
		d, err := parsePlain(s, 3, maxFracDigits, false)
		if err != nil {
			return mval{}, err
		}
		if d.Cmp(hundred) > 0 {
			return mval{}, errorf(ErrShareOver100, "percentage %q", s)
		}
		return mval{n: fxConst(d)}, nil
	default:
		d, err := parsePlain(s, maxIntDigits, maxFracDigits, true)
		return mval{n: fxConst(d)}, err
	}
}

func (c *compiler) optAmount(path, s string) (limit, error) {
	if s == "" {
		return limit{}, nil
	}
	d, err := parseAmount(s, c.cur)
	if err != nil {
		return limit{}, rulesjson.Wrap(path, err)
	}
	l := limit{set: true, v: d, text: d.StringFixed(c.cur.MinorUnits)}
	l.f = fxShared(&l.v)
	return l, nil
}

func (c *compiler) reqAmount(path, s string) (decimal.Decimal, error) {
	if s == "" {
		return decimal.Decimal{}, pathErr(path, ErrInvalidRule, "required")
	}
	d, err := parseAmount(s, c.cur)
	if err != nil {
		return d, rulesjson.Wrap(path, err)
	}
	return d, nil
}

// parseShare parses a percentage that is a share of something: 0..100.
func parseShare(s string) (decimal.Decimal, error) {
	d, err := parsePlain(s, 4, maxFracDigits, false)
	if err != nil {
		if strings.HasPrefix(s, "-") {
			return d, err
		}
		if _, err2 := parsePlain(s, maxIntDigits, maxFracDigits, false); err2 == nil {
			return d, errorf(ErrShareOver100, "%s %%", s)
		}
		return d, err
	}
	if d.Cmp(hundred) > 0 {
		return d, errorf(ErrShareOver100, "%s %%", s)
	}
	return d, nil
}

func parseMultiplier(s string) (decimal.Decimal, error) {
	d, err := parsePlain(s, 4, 6, false)
	if err != nil {
		return d, err
	}
	if d.Cmp(decimal.NewFromInt(maxMultiplier)) > 0 {
		return d, errorf(ErrBadNumber, "multiplier %q is over %d", s, maxMultiplier)
	}
	return d, nil
}

func (c *compiler) reductions(path string, rs []ReductionSpec) ([]reduction, error) {
	var out []reduction
	if len(rs) > 0 {
		out = make([]reduction, 0, len(rs))
	}
	for i, r := range rs {
		rp := rulesjson.Index(path, i)
		if err := checkName(rp+".name", r.Name, true); err != nil {
			return nil, err
		}
		if r.Percent == "" {
			return nil, pathErr(rp+".percent", ErrInvalidRule, "required")
		}
		pct, err := parseShare(r.Percent)
		if err != nil {
			return nil, rulesjson.Wrap(rp+".percent", err)
		}
		if pct.IsZero() {
			return nil, pathErr(rp+".percent", ErrInvalidRule, "a reduction of 0 %% reduces nothing")
		}
		when, err := c.conditions(rp+".when", r.When, true)
		if err != nil {
			return nil, err
		}
		out = append(out, reduction{name: r.Name, percent: pct, factor: fxConst(hundred.Sub(pct).Shift(-2)),
			text: r.Name + " -" + pct.String() + "%", when: when, loneFlag: len(when) == 1 && when[0].kind == condFlag})
	}
	return out, nil
}

func (c *compiler) conditions(path string, cs []ConditionSpec, required bool) ([]condition, error) {
	if required && len(cs) == 0 {
		return nil, pathErr(path, ErrInvalidRule, "at least one condition is required")
	}
	var out []condition
	if len(cs) > 0 {
		out = make([]condition, 0, len(cs))
	}
	for i, cs := range cs {
		cd, err := c.condition(rulesjson.Index(path, i), cs)
		if err != nil {
			return nil, err
		}
		out = append(out, cd)
	}
	return out, nil
}

func (c *compiler) condition(path string, s ConditionSpec) (condition, error) {
	n := 0
	for _, set := range []bool{s.Flag != "", s.Duration != "", s.Amount != "", s.Number != "", s.TierIn != nil, s.PriorityIn != nil} {
		if set {
			n++
		}
	}
	if n != 1 {
		return condition{}, pathErr(path, ErrInvalidRule, "a condition has exactly one of flag, duration, amount, number, tier_in, priority_in (found %d)", n)
	}
	cmpFields := s.Op != "" || s.Value != ""
	switch {
	case s.Flag != "":
		if err := checkIdent(path+".flag", s.Flag); err != nil {
			return condition{}, err
		}
		if cmpFields {
			return condition{}, pathErr(path, ErrInvalidRule, "op and value do not apply to a flag; use is")
		}
		is := true
		if s.Is != nil {
			is = *s.Is
		}
		return condition{kind: condFlag, input: s.Flag, is: is, text: "flag " + s.Flag + " is " + strconv.FormatBool(is)}, nil
	case s.TierIn != nil || s.PriorityIn != nil:
		if cmpFields || s.Is != nil {
			return condition{}, pathErr(path, ErrInvalidRule, "op, value and is do not apply to tier_in or priority_in")
		}
		if s.TierIn != nil {
			if len(s.TierIn) == 0 {
				return condition{}, pathErr(path+".tier_in", ErrInvalidRule, "empty list")
			}
			for i, t := range s.TierIn {
				if t == "" || len(t) > maxNameLen {
					return condition{}, pathErr(rulesjson.Index(path+".tier_in", i), ErrInvalidRule, "empty or too long tier name")
				}
			}
			return condition{kind: condTier, set: append([]string(nil), s.TierIn...), text: "tier in [" + strings.Join(s.TierIn, ", ") + "]"}, nil
		}
		if len(s.PriorityIn) == 0 {
			return condition{}, pathErr(path+".priority_in", ErrInvalidRule, "empty list")
		}
		for i, p := range s.PriorityIn {
			if _, ok := priorityIndex(p); !ok {
				return condition{}, pathErr(rulesjson.Index(path+".priority_in", i), ErrInvalidRule, "priority %q: want P0..P9", p)
			}
		}
		return condition{kind: condPriority, set: append([]string(nil), s.PriorityIn...), text: "priority in [" + strings.Join(s.PriorityIn, ", ") + "]"}, nil
	}
	if s.Is != nil {
		return condition{}, pathErr(path+".is", ErrInvalidRule, "is applies to a flag only")
	}
	cd := condition{kind: condCompare}
	var field string
	switch {
	case s.Duration != "":
		cd.mk, cd.input, field = kindDuration, s.Duration, "duration"
	case s.Amount != "":
		cd.mk, cd.input, field = kindAmount, s.Amount, "amount"
	default:
		cd.mk, cd.input, field = kindNumber, s.Number, "number"
	}
	if err := checkIdent(path+"."+field, cd.input); err != nil {
		return condition{}, err
	}
	op, ok := cmpOps[s.Op]
	if !ok {
		return condition{}, pathErr(path+".op", ErrInvalidRule, "%q: want <, <=, >, >= or =", s.Op)
	}
	cd.op = op
	if s.Value == "" {
		return condition{}, pathErr(path+".value", ErrInvalidRule, "required")
	}
	v, err := c.measureValue(cd.mk, s.Value)
	if err != nil {
		return condition{}, rulesjson.Wrap(path+".value", err)
	}
	cd.v = v
	cd.text = field + " " + cd.input + " " + s.Op + " " + s.Value
	return cd, nil
}

func (c *compiler) option(path string, k measureKind, s OptionSpec) (option, error) {
	o := option{id: s.ID, label: s.Label, maxPeriods: -1, needApprove: s.RequiresApproval}
	if err := checkIdent(path+".id", s.ID); err != nil {
		return o, err
	}
	if len(s.Label) > maxNameLen {
		return o, pathErr(path+".label", ErrInvalidRule, "longer than %d bytes", maxNameLen)
	}
	kind, ok := optKinds[s.Kind]
	if !ok {
		return o, pathErr(path+".kind", ErrInvalidRule, "%q: want cash, credit, voucher, points, service_days or service", s.Kind)
	}
	o.kind = kind
	var err error
	if o.when, err = c.conditions(path+".when", s.When, false); err != nil {
		return o, err
	}
	// unused reports the first field that is set but does not belong to the option.
	type field struct {
		name string
		set  bool
	}
	unused := func(allowed map[string]bool, fs ...field) error {
		for _, f := range fs {
			if f.set && !allowed[f.name] {
				return pathErr(path+"."+f.name, ErrInvalidRule, "does not apply to a %s option%s", s.Kind, formulaNote(s))
			}
		}
		return nil
	}
	all := []field{
		{"formula", s.Formula != ""}, {"amount", s.Amount != ""}, {"percent", s.Percent != ""},
		{"multiple", s.Multiple != ""}, {"base", s.Base != ""}, {"plus_base", s.PlusBase},
		{"min", s.Min != ""}, {"max", s.Max != ""}, {"after", s.After != ""}, {"every", s.Every != ""},
		{"per_period", s.PerPeriod != ""}, {"max_periods", s.MaxPeriods != nil},
		{"floor", s.Floor != ""}, {"cap", s.Cap != ""}, {"valid_days", s.ValidDays != nil},
		{"points", s.Points != nil}, {"days", s.Days != nil}, {"service", s.Service != ""},
	}
	allowed := map[string]bool{}
	switch kind {
	case optPoints:
		allowed["points"] = true
		if err := unused(allowed, all...); err != nil {
			return o, err
		}
		if s.Points == nil {
			return o, pathErr(path+".points", ErrInvalidRule, "required")
		}
		if *s.Points < 0 {
			return o, pathErr(path+".points", ErrNegativeAmount, "%d points", *s.Points)
		}
		if *s.Points > maxPoints {
			return o, pathErr(path+".points", ErrBadNumber, "%d points: at most %d", *s.Points, int64(maxPoints))
		}
		o.points = *s.Points
		o.pointsText = strconv.FormatInt(o.points, 10) + " points"
		return o, nil
	case optServiceDays:
		allowed["days"] = true
		if err := unused(allowed, all...); err != nil {
			return o, err
		}
		if s.Days == nil {
			return o, pathErr(path+".days", ErrInvalidRule, "required")
		}
		if *s.Days < 0 {
			return o, pathErr(path+".days", ErrNegativeAmount, "%d days", *s.Days)
		}
		if *s.Days == 0 || *s.Days > maxDays {
			return o, pathErr(path+".days", ErrBadNumber, "%d days: want 1..%d", *s.Days, maxDays)
		}
		o.days = *s.Days
		o.daysResult = strconv.Itoa(o.days)
		o.daysText = o.daysResult + " days"
		return o, nil
	case optService:
		allowed["service"] = true
		if err := unused(allowed, all...); err != nil {
			return o, err
		}
		if err := checkIdent(path+".service", s.Service); err != nil {
			return o, err
		}
		o.service = s.Service
		return o, nil
	}
	// Money options.
	allowed["formula"], allowed["floor"], allowed["cap"] = true, true, true
	if kind == optVoucher {
		allowed["valid_days"] = true
	}
	f, ok := formulas[s.Formula]
	if !ok {
		return o, pathErr(path+".formula", ErrInvalidRule, "%q: want fixed, percent, multiple or per_period", s.Formula)
	}
	o.formula = f
	switch f {
	case fFixed:
		allowed["amount"] = true
	case fPercent:
		allowed["percent"], allowed["base"] = true, true
	case fMultiple:
		allowed["multiple"], allowed["base"], allowed["plus_base"], allowed["min"], allowed["max"] = true, true, true, true, true
	case fPerPeriod:
		allowed["amount"], allowed["after"], allowed["every"], allowed["per_period"], allowed["max_periods"] = true, true, true, true, true
	}
	if err := unused(allowed, all...); err != nil {
		return o, err
	}
	scale := c.cur.MinorUnits
	switch f {
	case fFixed:
		amount, err := c.reqAmount(path+".amount", s.Amount)
		if err != nil {
			return o, err
		}
		o.text = "fixed " + amount.StringFixed(scale)
		o.amount = fxShared(&amount) // at the currency's scale, so that the offer's Money can share it
	case fPercent:
		if s.Percent == "" {
			return o, pathErr(path+".percent", ErrInvalidRule, "required")
		}
		pct, err := parseShare(s.Percent)
		if err != nil {
			return o, rulesjson.Wrap(path+".percent", err)
		}
		if err := checkIdent(path+".base", s.Base); err != nil {
			return o, err
		}
		o.base = s.Base
		o.percent, o.text = fxConst(pct), pct.String()+" % of "+o.base+" "
		o.pctSmall = small32(o.percent)
	case fMultiple:
		if s.Multiple == "" {
			return o, pathErr(path+".multiple", ErrInvalidRule, "required")
		}
		mul, err := parseMultiplier(s.Multiple)
		if err != nil {
			return o, rulesjson.Wrap(path+".multiple", err)
		}
		if err := checkIdent(path+".base", s.Base); err != nil {
			return o, err
		}
		o.base, o.plusBase = s.Base, s.PlusBase
		o.multiple, o.text = fxConst(mul), mul.String()+" × "+o.base+" "
		if o.min, err = c.optAmount(path+".min", s.Min); err != nil {
			return o, err
		}
		if o.max, err = c.optAmount(path+".max", s.Max); err != nil {
			return o, err
		}
		if o.min.set && o.max.set && o.min.v.Cmp(o.max.v) > 0 {
			return o, pathErr(path+".max", ErrInvalidRule, "max %s is below min %s", s.Max, s.Min)
		}
		o.minText = "; min " + o.min.text + " → " + o.min.text
		o.maxText = "; max " + o.max.text + " → " + o.max.text
		o.plusText = "; plus " + o.base + " "
	case fPerPeriod:
		if s.Amount == "" {
			s.Amount = "0"
		}
		amount, err := c.reqAmount(path+".amount", s.Amount)
		if err != nil {
			return o, err
		}
		per, err := c.reqAmount(path+".per_period", s.PerPeriod)
		if err != nil {
			return o, err
		}
		o.amount, o.perPeriod = fxConst(amount), fxConst(per)
		if s.After == "" {
			return o, pathErr(path+".after", ErrInvalidRule, "required")
		}
		if o.after, err = c.measureValue(k, s.After); err != nil {
			return o, rulesjson.Wrap(path+".after", err)
		}
		if s.Every == "" {
			return o, pathErr(path+".every", ErrInvalidRule, "required")
		}
		if o.every, err = c.measureValue(k, s.Every); err != nil {
			return o, rulesjson.Wrap(path+".every", err)
		}
		if (k == kindDuration && o.every.d <= 0) || (k != kindDuration && o.every.n.sign() <= 0) {
			return o, pathErr(path+".every", ErrInvalidRule, "the period must be greater than zero")
		}
		if s.MaxPeriods != nil {
			if *s.MaxPeriods < 0 {
				return o, pathErr(path+".max_periods", ErrNegativeAmount, "%d", *s.MaxPeriods)
			}
			o.maxPeriods = int64(*s.MaxPeriods)
		}
		after, every := o.after.n.String(), o.every.n.String()
		if k == kindDuration {
			after, every = o.after.d.String(), o.every.d.String()
		}
		o.text = amount.StringFixed(scale) + " + "
		o.text2 = " × " + per.StringFixed(scale) + " (completed periods of " + every + " after " + after + ") = "
	}
	if o.floor, err = c.optAmount(path+".floor", s.Floor); err != nil {
		return o, err
	}
	if o.cap, err = c.optAmount(path+".cap", s.Cap); err != nil {
		return o, err
	}
	if o.floor.set && o.cap.set && o.floor.v.Cmp(o.cap.v) > 0 {
		return o, pathErr(path+".cap", ErrInvalidRule, "cap %s is below floor %s", s.Cap, s.Floor)
	}
	o.floor.rule, o.cap.rule = "option floor "+o.floor.text, "option cap "+o.cap.text
	return o, nil
}

func formulaNote(s OptionSpec) string {
	if s.Formula != "" {
		return " with formula " + s.Formula
	}
	return ""
}

// priorityIndex maps "P0".."P9" (closeloop.Level) to 0..9.
func priorityIndex(p string) (int, bool) {
	l, err := closeloop.ParseLevel(p)
	return int(l), err == nil
}

func sortedKeys(m map[string]string) []string {
	keys := make([]string, 0, len(m))
	for k := range m {
		keys = append(keys, k)
	}
	sort.Strings(keys)
	return keys
}
