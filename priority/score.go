package priority

import (
	"math/bits"
	"strconv"
)

// Input is what the host knows about a ticket. Scale values are integers on
// the policy's scales (default 1..4, higher = more). A scale value of 0
// means "not given" and counts as the scale's minimum (when the minimum is
// 0, 0 is simply the minimum); any other value outside the scale is an
// [InputError] wrapping [ErrOutOfScale].
type Input struct {
	// Impact: how many customers or how much business is affected, as a
	// level. When the rules have impact_from thresholds, Affected and
	// Business can raise it: the effective impact is the highest of the
	// three.
	Impact int
	// Affected counts the customers (units, orders) affected; never negative.
	Affected int64
	// Business is the business volume affected, in the rules' unit.
	Business int64
	// Urgency: how far normal use is stopped.
	Urgency int
	// Severity: how serious the fault is.
	Severity int
	// Tier: the customer's tier. When the rules have tier_from thresholds,
	// Value can raise it, and with tier_from names TierName can: the
	// effective tier is the highest of the three.
	Tier int
	// Value is the customer's value (spend) in the rules' unit; never
	// negative.
	Value int64
	// TierName is the host's name for the customer's tier ("vip", a tier ID
	// of the host's taxonomy), mapped to a tier by the rules' tier_from
	// names; empty means not given. A name the rules do not map is an
	// [InputError] wrapping [ErrUnknownTier], never a silent default.
	TierName string
	// Category and Kind are the ticket's category and kind (taxonomy IDs
	// such as "service_experience", "complaint"). They are not scales:
	// they only select the overrides restricted to them.
	Category string
	Kind     string
	// Flags: personal safety, major property loss, legal risk, core
	// function, repeated fault.
	Flags Flags
}

// Result is a priority decision.
type Result struct {
	// Level is the final level; Level.String() is "P0".."P9", the form the
	// sla and compensation packages take.
	Level Level `json:"level"`
	// Name is the rules' name for Level ("P1", or "high" in a policy that
	// names its levels).
	Name string `json:"name"`
	// Base is the level the method gave, before overrides.
	Base Level `json:"base"`
	// Score is the weighted score (0 for the matrix and quadrant methods).
	Score int `json:"score"`
	// Impact is the effective impact (after counts).
	Impact int `json:"impact"`
	// Tier is the effective customer tier (after the customer's value).
	Tier int `json:"tier"`
	// Quadrant is the urgent × important quadrant, or [QuadrantNone] when the
	// rules have no quadrant test.
	Quadrant Quadrant `json:"quadrant"`
	// Reasons explain the decision, in order: each input and its points,
	// each set flag, the method's step, the quadrant, then each override
	// that fired. Only [Scorer.Explain] fills them.
	Reasons []Reason `json:"reasons,omitempty"`
}

// ReasonKind says what a [Reason] describes.
type ReasonKind uint8

// The kinds of reasons, in the order they appear.
const (
	ReasonInput    ReasonKind = iota + 1 // an input value and the points it added
	ReasonCount                          // a count or value that reached a threshold (impact_from, tier_from)
	ReasonFlag                           // a set flag and the points it added
	ReasonBand                           // the band the weighted score fell into
	ReasonMatrix                         // the matrix cell
	ReasonQuadrant                       // the quadrant (and its level, for the quadrant method)
	ReasonOverride                       // an override that fired
	// ReasonTierName is the host's tier name and the tier it maps to
	// (tier_from names). It comes first, before the counts.
	ReasonTierName
)

var reasonKindNames = [...]string{"", "input", "count", "flag", "band", "matrix", "quadrant", "override", "tier_name"}

// String returns "input", "count", "flag", "band", "matrix", "quadrant",
// "override" or "tier_name".
func (k ReasonKind) String() string {
	if int(k) < len(reasonKindNames) && k != 0 {
		return reasonKindNames[k]
	}
	return "ReasonKind(" + strconv.Itoa(int(k)) + ")"
}

// MarshalText encodes the kind by its [ReasonKind.String].
func (k ReasonKind) MarshalText() ([]byte, error) { return []byte(k.String()), nil }

// Reason is one step of a priority decision. Which fields are set depends on
// Kind; [Reason.String] renders it for people.
type Reason struct {
	Kind ReasonKind `json:"kind"`
	// Name: the input ("impact"), count ("affected"), flag
	// ("personal_safety"), override name, the method ("weighted",
	// "matrix", "quadrant"), or the tier name given ("vip").
	Name string `json:"name"`
	// Value: the input value, the count, the weighted score, or the tier a
	// tier name maps to.
	Value int64 `json:"value"`
	// Label: the scale label of an input value or of a tier name's tier;
	// the quadrant's name.
	Label string `json:"label,omitempty"`
	// Points: what an input or flag added to the weighted score.
	Points int `json:"points,omitempty"`
	// Threshold: the impact threshold a count reached; the at_least of the
	// band a score fell into.
	Threshold int64 `json:"threshold,omitempty"`
	// From and To: the level before and after an override; To alone is the
	// level a band, matrix cell or quadrant gave.
	From string `json:"from,omitempty"`
	To   string `json:"to,omitempty"`
	// Detail: "not given" for a defaulted input, "below every band", the
	// matrix axes, the quadrant's action, an override's action.
	Detail string `json:"detail,omitempty"`
}

// String renders the reason as one line of English.
func (r Reason) String() string {
	switch r.Kind {
	case ReasonInput:
		s := r.Name + " " + strconv.FormatInt(r.Value, 10)
		if r.Label != "" {
			s += " (" + r.Label + ")"
		}
		if r.Detail != "" {
			s += " [" + r.Detail + "]"
		}
		if r.Points != 0 {
			s += ": +" + strconv.Itoa(r.Points) + " points"
		}
		return s
	case ReasonCount:
		return r.Name + " " + strconv.FormatInt(r.Value, 10) + " reaches the threshold " + strconv.FormatInt(r.Threshold, 10) + " (" + r.Detail + ")"
	case ReasonFlag:
		s := "flag " + r.Name
		if r.Points != 0 {
			s += ": +" + strconv.Itoa(r.Points) + " points"
		}
		return s
	case ReasonBand:
		if r.Detail != "" {
			return "score " + strconv.FormatInt(r.Value, 10) + " is " + r.Detail + " ⇒ " + r.To
		}
		return "score " + strconv.FormatInt(r.Value, 10) + " ≥ " + strconv.FormatInt(r.Threshold, 10) + " ⇒ " + r.To
	case ReasonMatrix:
		return "matrix " + r.Detail + " ⇒ " + r.To
	case ReasonQuadrant:
		s := "quadrant " + r.Label
		if r.To != "" {
			s += " ⇒ " + r.To
		}
		return s + ": " + r.Detail
	case ReasonOverride:
		return "override " + strconv.Quote(r.Name) + " (" + r.Detail + "): " + r.From + " → " + r.To
	case ReasonTierName:
		s := "tier name " + strconv.Quote(r.Name) + " ⇒ tier " + strconv.FormatInt(r.Value, 10)
		if r.Label != "" {
			s += " (" + r.Label + ")"
		}
		return s
	}
	return r.Kind.String() + " " + r.Name
}

// Score decides the priority of in without reasons. It does not allocate.
// It fails only on invalid input ([InputError]).
func (s *Scorer) Score(in Input) (Result, error) {
	var r Result
	err := s.eval(&in, &r, false)
	return r, err
}

// Explain is [Scorer.Score] with the reasons filled in. Its level is
// always the one Score gives.
func (s *Scorer) Explain(in Input) (Result, error) {
	// Room for every reason this input can produce: no append regrows.
	r := Result{Reasons: make([]Reason, 0, s.reasonCap+bits.OnesCount8(uint8(in.Flags&allFlags)))}
	err := s.eval(&in, &r, true)
	if err != nil {
		r.Reasons = nil
	}
	return r, err
}

// ExplainAppend is [Scorer.Explain] that appends the reasons to dst and
// returns the extended slice in [Result.Reasons], like the append built-in.
// Passing the previous result's Reasons[:0] reuses its memory, so a host
// explaining many tickets in a loop allocates nothing once the buffer is
// large enough. On error Result.Reasons is dst unchanged.
func (s *Scorer) ExplainAppend(dst []Reason, in Input) (Result, error) {
	r := Result{Reasons: dst}
	err := s.eval(&in, &r, true)
	if err != nil {
		r.Reasons = dst
	}
	return r, err
}

// MustScore is [Scorer.Score] for inputs known to be valid; it panics on error.
func (s *Scorer) MustScore(in Input) Result {
	r, err := s.Score(in)
	if err != nil {
		panic(err)
	}
	return r
}

func thresholdsReached(t []int64, v int64) int {
	n := 0
	for n < len(t) && v >= t[n] {
		n++
	}
	return n
}

func (c *cond) holds(v *[numDims]int, in *Input) bool {
	if c.terms != nil {
		for i := range c.terms {
			if c.terms[i].holds(v, in) {
				return true
			}
		}
		return false
	}
	return c.tree(v, in)
}

// tree evaluates c as written, any and all parts included.
func (c *cond) tree(v *[numDims]int, in *Input) bool {
	if c.flags != 0 && in.Flags&c.flags == 0 {
		return false
	}
	if c.dims && (v[0] < c.atLeast[0] || v[1] < c.atLeast[1] || v[2] < c.atLeast[2] || v[3] < c.atLeast[3]) {
		return false
	}
	if c.counts && (in.Affected < c.affected || in.Business < c.business) {
		return false
	}
	for i := range c.all {
		if !c.all[i].tree(v, in) {
			return false
		}
	}
	if len(c.any) > 0 {
		for i := range c.any {
			if c.any[i].tree(v, in) {
				return true
			}
		}
		return false
	}
	return true
}

func (s *Scorer) eval(in *Input, r *Result, explain bool) error {
	raw := [numDims]int{in.Impact, in.Urgency, in.Severity, in.Tier}
	var v [numDims]int
	var given [numDims]bool
	for d := 0; d < numDims; d++ {
		sc := &s.scales[d]
		x := raw[d]
		switch {
		case x >= sc.min && x <= sc.max:
			given[d] = x != 0 || sc.min == 0
		case x == 0:
			x = sc.min
		default:
			return &InputError{Field: dimNames[d], Value: int64(x), Min: int64(sc.min), Max: int64(sc.max), Err: ErrOutOfScale}
		}
		v[d] = x
	}
	if in.Affected < 0 {
		return &InputError{Field: "affected", Value: in.Affected, Err: ErrNegativeCount}
	}
	if in.Business < 0 {
		return &InputError{Field: "business", Value: in.Business, Err: ErrNegativeCount}
	}
	if in.Value < 0 {
		return &InputError{Field: "value", Value: in.Value, Err: ErrNegativeCount}
	}
	if in.Flags&^allFlags != 0 {
		return &InputError{Field: "flags", Value: int64(in.Flags), Err: ErrUnknownFlag}
	}
	if in.TierName != "" {
		t, ok := s.TierValue(in.TierName)
		if !ok {
			return &InputError{Field: "tier_name", Name: in.TierName, Known: s.TierNames(), Err: ErrUnknownTier}
		}
		if t > v[dimTier] {
			v[dimTier] = t
		}
		given[dimTier] = true
		if explain {
			r.Reasons = append(r.Reasons, Reason{Kind: ReasonTierName, Name: in.TierName, Value: int64(t), Label: s.scales[dimTier].label(t)})
		}
	}

	// Effective impact: the highest of the level given and the counts.
	if n := thresholdsReached(s.affectedT, in.Affected); n > 0 && s.scales[dimImpact].min+n > v[dimImpact] {
		v[dimImpact] = s.scales[dimImpact].min + n
		given[dimImpact] = true
		if explain {
			r.Reasons = append(r.Reasons, Reason{Kind: ReasonCount, Name: "affected", Value: in.Affected, Threshold: s.affectedT[n-1], Detail: s.impactDetail[n]})
		}
	}
	if n := thresholdsReached(s.businessT, in.Business); n > 0 && s.scales[dimImpact].min+n > v[dimImpact] {
		v[dimImpact] = s.scales[dimImpact].min + n
		given[dimImpact] = true
		if explain {
			r.Reasons = append(r.Reasons, Reason{Kind: ReasonCount, Name: "business", Value: in.Business, Threshold: s.businessT[n-1], Detail: s.impactDetail[n]})
		}
	}
	r.Impact = v[dimImpact]
	if n := thresholdsReached(s.valueT, in.Value); n > 0 && s.scales[dimTier].min+n > v[dimTier] {
		v[dimTier] = s.scales[dimTier].min + n
		given[dimTier] = true
		if explain {
			r.Reasons = append(r.Reasons, Reason{Kind: ReasonCount, Name: "value", Value: in.Value, Threshold: s.valueT[n-1], Detail: s.tierDetail[n]})
		}
	}
	r.Tier = v[dimTier]

	weighted := s.method == methodWeighted
	if weighted {
		score := 0
		for d := 0; d < numDims; d++ {
			score += s.weights[d] * (v[d] - s.scales[d].min)
		}
		for i := range s.flagPts {
			if in.Flags&(1<<i) != 0 {
				score += s.flagPts[i]
			}
		}
		r.Score = score
	}
	if explain {
		// A count below the first threshold still decided the level.
		if (len(s.affectedT) > 0 && in.Affected > 0) || (len(s.businessT) > 0 && in.Business > 0) {
			given[dimImpact] = true
		}
		if len(s.valueT) > 0 && in.Value > 0 {
			given[dimTier] = true
		}
		for d := 0; d < numDims; d++ {
			rs := Reason{Kind: ReasonInput, Name: dimNames[d], Value: int64(v[d]), Label: s.scales[d].label(v[d])}
			if weighted {
				rs.Points = s.weights[d] * (v[d] - s.scales[d].min)
			}
			if !given[d] {
				rs.Detail = "not given, taken as the lowest"
			}
			r.Reasons = append(r.Reasons, rs)
		}
		for i := range flagNames {
			if in.Flags&(1<<i) != 0 {
				rs := Reason{Kind: ReasonFlag, Name: flagNames[i], Value: 1}
				if weighted {
					rs.Points = s.flagPts[i]
				}
				r.Reasons = append(r.Reasons, rs)
			}
		}
	}

	var level Level
	switch s.method {
	case methodWeighted:
		level = s.Least()
		bi := -1
		for i := range s.bands {
			if r.Score >= s.bands[i].atLeast {
				level, bi = s.bands[i].level, i
				break
			}
		}
		if explain {
			rs := Reason{Kind: ReasonBand, Name: MethodWeighted, Value: int64(r.Score), To: s.names[level]}
			if bi >= 0 {
				rs.Threshold = int64(s.bands[bi].atLeast)
			} else {
				rs.Detail = "below every band"
			}
			r.Reasons = append(r.Reasons, rs)
		}
	case methodMatrix:
		i, j := v[s.rows]-s.scales[s.rows].min, v[s.cols]-s.scales[s.cols].min
		level = s.cells[i*s.ncols+j]
		if explain {
			r.Reasons = append(r.Reasons, Reason{Kind: ReasonMatrix, Name: MethodMatrix, To: s.names[level], Detail: s.matrixDetail})
		}
	}

	if s.hasQuad {
		urgent, important := s.urgent.holds(&v, in), s.important.holds(&v, in)
		switch {
		case urgent && important:
			r.Quadrant = DoNow
		case important:
			r.Quadrant = Plan
		case urgent:
			r.Quadrant = Coordinate
		default:
			r.Quadrant = Backlog
		}
		if s.method == methodQuadrant {
			level = s.quadLevel[r.Quadrant]
		}
		if explain {
			rs := Reason{Kind: ReasonQuadrant, Name: MethodQuadrant, Label: r.Quadrant.String(), Detail: r.Quadrant.Action()}
			if s.method == methodQuadrant {
				rs.To = s.names[level]
			}
			r.Reasons = append(r.Reasons, rs)
		}
	}
	r.Base = level

	for i := range s.overrides {
		o := &s.overrides[i]
		if !o.appliesTo(in) {
			continue
		}
		from := level
		switch o.kind {
		case raiseTo, raiseBy:
			if o.when != nil && !o.when.holds(&v, in) {
				continue
			}
			if o.kind == raiseTo {
				level = min(level, o.level)
			} else if level > o.by {
				level -= o.by
			} else {
				level = 0
			}
		case floorAt:
			level = min(level, o.level)
		case capAt:
			if o.unless != nil && o.unless.holds(&v, in) {
				continue
			}
			level = max(level, o.level)
		}
		if explain && (level != from || o.kind == raiseTo || o.kind == raiseBy) {
			r.Reasons = append(r.Reasons, Reason{Kind: ReasonOverride, Name: o.name, From: s.names[from], To: s.names[level], Detail: o.detail})
		}
	}
	r.Level = level
	r.Name = s.names[level]
	return nil
}
