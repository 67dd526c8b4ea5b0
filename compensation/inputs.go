package compensation

import (
	"slices"
	"sort"
	"time"

	"github.com/shopspring/decimal"
)

// The claim maps, as [Input.Map] and [InputError.Map] name them.
const (
	MapDurations = "durations"
	MapAmounts   = "amounts"
	MapNumbers   = "numbers"
	MapFlags     = "flags"
)

// Input is one claim input a policy reads.
type Input struct {
	// Map is the [Claim] field: "durations", "amounts", "numbers" or "flags".
	Map string `json:"map"`
	// Name is the key in that map.
	Name string `json:"name"`
	// Required is true for the measure of a schedule without conditions and for
	// formula bases: [Policy.Compute] fails without them when they are needed.
	// Inputs used only in conditions are never required.
	Required bool `json:"required"`
}

// Inputs lists the claim inputs the policy reads, in order of first use, so
// that a host can check what it must pass. Tier and priority are not listed.
// A claim may carry only these: [Policy.Compute] refuses any other key.
func (p *Policy) Inputs() []Input {
	return slices.Clone(p.inputs)
}

// Reads reports whether the policy reads the claim input name from map m
// ([MapDurations], [MapAmounts], [MapNumbers] or [MapFlags]), so that a host
// that derives inputs (one overrun per SLA metric, say) passes only those.
func (p *Policy) Reads(m, name string) bool {
	bit := mapBit(m)
	return bit != 0 && p.reads[name]&bit != 0
}

// What the policy reads under one name, as bits.
const (
	readDurations uint8 = 1 << iota
	readAmounts
	readNumbers
	readFlags
	readPercentage // a numbers input some schedule measures as a percentage (0..100)
)

func mapBit(m string) uint8 {
	switch m {
	case MapDurations:
		return readDurations
	case MapAmounts:
		return readAmounts
	case MapNumbers:
		return readNumbers
	case MapFlags:
		return readFlags
	}
	return 0
}

var mapOrder = [...]string{MapDurations, MapAmounts, MapNumbers, MapFlags}

// collectInputs computes, once at compile time, the inputs the policy reads
// and the bits of p.reads.
func (p *Policy) collectInputs() {
	var out []Input
	reads := map[string]uint8{}
	type key struct{ m, name string }
	at := map[key]int{} // index in out
	add := func(m, name string, required bool) {
		reads[name] |= mapBit(m)
		if i, ok := at[key{m, name}]; ok {
			out[i].Required = out[i].Required || required
			return
		}
		at[key{m, name}] = len(out)
		out = append(out, Input{Map: m, Name: name, Required: required})
	}
	conds := func(cs []condition) {
		for _, c := range cs {
			switch c.kind {
			case condFlag:
				add(MapFlags, c.input, false)
			case condCompare:
				add(mapOf(c.mk), c.input, false)
			}
		}
	}
	for _, sc := range p.schedules {
		conds(sc.when)
		add(mapOf(sc.kind), sc.input, len(sc.when) == 0)
		if sc.kind == kindPercentage {
			reads[sc.input] |= readPercentage
		}
		for _, r := range sc.reductions {
			conds(r.when)
		}
		for _, b := range sc.bands {
			for _, r := range b.reductions {
				conds(r.when)
			}
			for _, o := range b.options {
				conds(o.when)
				if o.base != "" {
					add(MapAmounts, o.base, true)
				}
			}
		}
	}
	p.inputs, p.reads = out, reads
	// One array for byMap, each map's inputs in a slice of it.
	var counts [len(mapOrder)]int
	ks := make([]uint8, len(out))
	for i, in := range out {
		ks[i] = uint8(slices.Index(mapOrder[:], in.Map))
		counts[ks[i]]++
	}
	all := make([]mapInput, 0, len(out))
	for k := range mapOrder {
		for i := range out {
			if ks[i] == uint8(k) {
				all = append(all, mapInput{name: out[i].Name, i: int32(i)})
			}
		}
		p.byMap[k], all = all[:counts[k]:counts[k]], all[counts[k]:]
	}
	// Resolve every use of an input to its index, so that Compute looks
	// each input up in the claim once.
	index := func(m, name string) int {
		i, ok := at[key{m, name}]
		if !ok {
			panic("compensation: input " + m + "." + name + " not collected") // unreachable: collected above
		}
		return i
	}
	resolve := func(cs []condition) {
		for i := range cs {
			switch c := &cs[i]; c.kind {
			case condFlag:
				c.in = index(MapFlags, c.input)
			case condCompare:
				c.in = index(mapOf(c.mk), c.input)
			}
		}
	}
	for si := range p.schedules {
		sc := &p.schedules[si]
		resolve(sc.when)
		sc.in = index(mapOf(sc.kind), sc.input)
		for ri := range sc.reductions {
			resolve(sc.reductions[ri].when)
		}
		for bi := range sc.bands {
			b := &sc.bands[bi]
			for ri := range b.reductions {
				resolve(b.reductions[ri].when)
			}
			for oi := range b.options {
				o := &b.options[oi]
				resolve(o.when)
				if o.base != "" {
					o.baseIn = index(MapAmounts, o.base)
				}
			}
		}
	}
}

// inputVal is the claim's value of one input the policy reads.
type inputVal struct {
	ok   bool // the claim has it
	flag bool
	d    time.Duration
	n    fx
}

func mapOf(k measureKind) string {
	switch k {
	case kindDuration:
		return MapDurations
	case kindAmount:
		return MapAmounts
	}
	return MapNumbers
}

// checkClaim applies the rule every policy follows: every key of every claim
// map is an input the policy reads from that map, durations are not
// negative, amounts are valid amounts in the policy's currency, numbers are
// in range and percentages within 0..100 — whether or not a schedule ends up
// reading them, so that a mistake never passes silently as "not
// applicable". It only looks; on a fault, claimError sorts the keys, so that
// a claim with several faults always reports the same one.
func (p *Policy) checkClaim(c *Claim, vals []inputVal, flags *uint64) error {
	// It looks up the inputs the policy reads rather than ranging over the
	// claim's maps (a map iterator costs more than a few lookups): when
	// every key found is valid and as many are found as a map holds, the
	// map holds nothing else. What it finds goes into vals, so that no
	// input is looked up twice (and the flags set into *flags, for the
	// amount-only path's reductions). Each map's inputs are looked up until as
	// many are found as it holds; an empty map (nil, the usual for most)
	// costs nothing.
	if n := len(c.Durations); n > 0 {
		for _, in := range p.byMap[0] {
			v := &vals[in.i]
			if v.d, v.ok = c.Durations[in.name]; v.ok {
				if v.d < 0 {
					return p.claimError(c)
				}
				if n--; n == 0 {
					break
				}
			}
		}
		if n != 0 {
			return p.claimError(c)
		}
	}
	if n := len(c.Amounts); n > 0 {
		for _, in := range p.byMap[1] {
			v := &vals[in.i]
			var m Money
			if m, v.ok = c.Amounts[in.name]; v.ok {
				// An amount validMoney does not pass may still be valid
				// (NewMoney keeps the exponent it is given: 1234.5 CNY):
				// only checkMoney's refusal is a fault, which claimError
				// then reports (returning nil would leave the inputs not
				// yet read as absent).
				v.n = fxOf(m.amount)
				if !p.validMoney(&m, v.n) && p.checkMoney(&m) != nil {
					return p.claimError(c)
				}
				if n--; n == 0 {
					break
				}
			}
		}
		if n != 0 {
			return p.claimError(c)
		}
	}
	if n := len(c.Numbers); n > 0 {
		for _, in := range p.byMap[2] {
			v, name := &vals[in.i], in.name
			var d decimal.Decimal
			if d, v.ok = c.Numbers[name]; v.ok {
				if checkNumber(d) != nil {
					return p.claimError(c)
				}
				v.n = fxOf(d)
				if p.reads[name]&readPercentage != 0 && (v.n.sign() < 0 || cmpFx(v.n, fxHundred) > 0) {
					return p.claimError(c)
				}
				if n--; n == 0 {
					break
				}
			}
		}
		if n != 0 {
			return p.claimError(c)
		}
	}
	if n := len(c.Flags); n > 0 {
		for _, in := range p.byMap[3] {
			v := &vals[in.i]
			if v.flag, v.ok = c.Flags[in.name]; v.ok {
				if v.flag && in.i < 64 {
					*flags |= 1 << in.i
				}
				if n--; n == 0 {
					break
				}
			}
		}
		if n != 0 {
			return p.claimError(c)
		}
	}
	return nil
}

// claimError returns the first fault of c in map order (durations,
// amounts, numbers, flags), then name order.
func (p *Policy) claimError(c *Claim) error {
	for _, name := range sortedNames(c.Durations) {
		if err := p.known(MapDurations, name); err != nil {
			return err
		}
		if d := c.Durations[name]; d < 0 {
			return inputErr(MapDurations, name, ErrInvalidInput, "negative duration %s", d)
		}
	}
	for _, name := range sortedNames(c.Amounts) {
		if err := p.known(MapAmounts, name); err != nil {
			return err
		}
		m := c.Amounts[name]
		if err := p.checkMoney(&m); err != nil {
			return inputWrap(MapAmounts, name, err)
		}
	}
	for _, name := range sortedNames(c.Numbers) {
		if err := p.known(MapNumbers, name); err != nil {
			return err
		}
		n := c.Numbers[name]
		if err := checkNumber(n); err != nil {
			return inputWrap(MapNumbers, name, err)
		}
		if p.reads[name]&readPercentage != 0 && !isPercentage(n) {
			return inputErr(MapNumbers, name, ErrInvalidInput, "percentage %s is outside 0..100", n)
		}
	}
	for _, name := range sortedNames(c.Flags) {
		if err := p.known(MapFlags, name); err != nil {
			return err
		}
	}
	return nil
}

// known reports an input the policy does not read from map m: given in the
// wrong map, or read nowhere (with the closest name it reads, if any).
func (p *Policy) known(m, name string) error {
	bits := p.reads[name]
	if bits&mapBit(m) != 0 {
		return nil
	}
	for _, other := range mapOrder {
		if bits&mapBit(other) != 0 {
			return inputErr(m, name, ErrWrongMap, "given in %s, the policy reads it from %s", m, other)
		}
	}
	if s := p.suggest(name); s != "" {
		return inputErr(m, name, ErrUnknownInput, "policy %q does not read it (did you mean %s?)", p.name, s)
	}
	return inputErr(m, name, ErrUnknownInput, "policy %q does not read it (it reads: %s)", p.name, p.inputList())
}

// suggest returns the input the policy reads whose name is closest to name,
// within two edits, as "map.name".
func (p *Policy) suggest(name string) string {
	best, bestD := "", 3
	for _, in := range p.inputs {
		if d := editDistance(name, in.Name, bestD); d < bestD {
			best, bestD = in.Map+"."+in.Name, d
		}
	}
	return best
}

func (p *Policy) inputList() string {
	if len(p.inputs) == 0 {
		return "nothing"
	}
	s := ""
	for i, in := range p.inputs {
		if i > 0 {
			s += ", "
		}
		s += in.Map + "." + in.Name
	}
	return s
}

// editDistance is the Levenshtein distance of a and b in bytes, or limit
// when it is limit or more (names are short identifiers).
func editDistance(a, b string, limit int) int {
	if d := len(a) - len(b); d >= limit || -d >= limit {
		return limit
	}
	prev := make([]int, len(b)+1)
	cur := make([]int, len(b)+1)
	for j := range prev {
		prev[j] = j
	}
	for i := 1; i <= len(a); i++ {
		cur[0] = i
		for j := 1; j <= len(b); j++ {
			cost := 1
			if a[i-1] == b[j-1] {
				cost = 0
			}
			cur[j] = min(prev[j]+1, cur[j-1]+1, prev[j-1]+cost)
		}
		prev, cur = cur, prev
	}
	return min(prev[len(b)], limit)
}

// checkMoney checks an amount of the claim: in the policy's currency, not
// negative, in range, no finer than the minor unit.
func (p *Policy) checkMoney(m *Money) error {
	if p.validMoney(m, fxOf(m.amount)) {
		return nil
	}
	if m.currency != p.cur {
		if !m.Valid() {
			return errorf(ErrCurrencyMismatch, "amount without currency (the zero Money), policy currency is %s", p.cur.Code)
		}
		return errorf(ErrCurrencyMismatch, "%q, policy currency is %s", m.currency.Code, p.cur.Code)
	}
	return checkAmount(m.amount, m.currency)
}

// validMoney is checkMoney's fast path, f being m's amount: the usual
// amount, built by ParseMoney or MoneyFromMinor, has the currency's
// exponent, and is then valid when its coefficient is from 0 to below
// 10^(15+scale) (p.minorLimit, computed once; 0 for a scale above 3, which
// nothing passes). It reports false for anything else, which checkMoney
// then examines in full.
func (p *Policy) validMoney(m *Money, f fx) bool {
	return sameCode(m.currency.Code, p.cur.Code) && !f.big && f.e == -p.cur.MinorUnits && f.m >= 0 && f.m < p.minorLimit
}

// sameCode is a == b for currency codes, three bytes compared in line
// (a string comparison calls the runtime when the two strings are not the
// same memory, as a claim's and a policy's code seldom are).
func sameCode(a, b string) bool {
	if len(a) == 3 && len(b) == 3 {
		return a[0] == b[0] && a[1] == b[1] && a[2] == b[2]
	}
	return a == b
}

var fxHundred = fxInt(100)

func isPercentage(n decimal.Decimal) bool {
	f := fxOf(n)
	return f.sign() >= 0 && cmpFx(f, fxHundred) <= 0
}

func sortedNames[V bool | time.Duration | Money | decimal.Decimal](m map[string]V) []string {
	names := make([]string, 0, len(m))
	for k := range m {
		names = append(names, k)
	}
	sort.Strings(names)
	return names
}
