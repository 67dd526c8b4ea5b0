package priority

import (
	"encoding/json"
	"maps"
	"slices"
	"strconv"
	"strings"

	"github.com/closeloop/closeloop/internal/rulesjson"
)

// The methods.
const (
	MethodWeighted = "weighted"
	MethodMatrix   = "matrix"
	MethodQuadrant = "quadrant"
)

// The input dimensions, in the order used inside the compiled scorer.
const (
	dimImpact = iota
	dimUrgency
	dimSeverity
	dimTier
	numDims
)

var dimNames = [numDims]string{"impact", "urgency", "severity", "tier"}

// Limits that keep every score inside int range and every table small.
const (
	maxScaleValue = 100
	maxWeight     = 1_000_000
	maxRaiseBy    = MaxLevels
)

// MaxConditionDepth is how deep conditions may nest through any and all: a
// condition's sub-conditions are at depth 1, theirs at depth 2, and so on.
// A deeper condition is an *[PathError] naming it (wrapping [ErrInvalidRules]);
// the document decoder refuses any JSON nested deeper than
// [closeloop.MaxDepth] before it decodes it.
const MaxConditionDepth = 8

// MaxTierNames is how many names tier_from.names may map; more is an
// *[PathError]. A host's tiers are a short list, and the scorer looks a name
// up by scanning it.
const MaxTierNames = 64

var defaultLevels = []string{"P0", "P1", "P2", "P3"}

type method uint8

const (
	methodWeighted method = iota + 1
	methodMatrix
	methodQuadrant
)

type scale struct {
	min, max int
	labels   []string
}

func (s *scale) label(v int) string {
	if s.labels == nil || v < s.min || v > s.max {
		return ""
	}
	return s.labels[v-s.min]
}

type band struct {
	atLeast int
	level   Level
}

// cond is a compiled Condition; every test is "value >= threshold", so a
// zero threshold always holds (values are never negative).
type cond struct {
	flags    Flags
	dims     bool // some atLeast is above 0
	counts   bool // affected or business is above 0
	atLeast  [numDims]int
	affected int64
	business int64
	any      []cond
	all      []cond
	// terms is the whole condition in disjunctive normal form, set on a
	// top-level condition whose form stays small (maxTerms): a flat loop is
	// cheaper than walking the tree on every Score.
	terms []term
}

// term is one conjunction of a condition in disjunctive normal form.
type term struct {
	allFlags Flags   // every one of these flags is set (one-flag tests)
	anyFlags []Flags // each meets the input's flags (tests naming several flags)
	atLeast  [numDims]int
	affected int64
	business int64
}

// maxTerms bounds a condition's disjunctive normal form; a larger one is
// evaluated as a tree.
const maxTerms = 16

func (t *term) holds(v *[numDims]int, in *Input) bool {
	return in.Flags&t.allFlags == t.allFlags &&
		v[0] >= t.atLeast[0] && v[1] >= t.atLeast[1] && v[2] >= t.atLeast[2] && v[3] >= t.atLeast[3] &&
		in.Affected >= t.affected && in.Business >= t.business &&
		(t.anyFlags == nil || t.anyMet(in.Flags))
}

// anyMet reports whether f meets every one of t's several-flag tests.
func (t *term) anyMet(f Flags) bool {
	for _, m := range t.anyFlags {
		if f&m == 0 {
			return false
		}
	}
	return true
}

// and is the conjunction of two terms.
func (t term) and(o term) term {
	out := term{
		allFlags: t.allFlags | o.allFlags,
		affected: max(t.affected, o.affected),
		business: max(t.business, o.business),
	}
	for d := range out.atLeast {
		out.atLeast[d] = max(t.atLeast[d], o.atLeast[d])
	}
	out.anyFlags = append(append([]Flags(nil), t.anyFlags...), o.anyFlags...)
	return out
}

// dnf returns c in disjunctive normal form, or false when it has more than
// maxTerms terms.
func (c *cond) dnf() ([]term, bool) {
	own := term{atLeast: c.atLeast, affected: c.affected, business: c.business}
	switch {
	case c.flags == 0:
	case c.flags&(c.flags-1) == 0: // one flag: it must be set
		own.allFlags = c.flags
	default:
		own.anyFlags = []Flags{c.flags}
	}
	out := []term{own}
	for i := range c.all {
		sub, ok := c.all[i].dnf()
		if !ok || len(out)*len(sub) > maxTerms {
			return nil, false
		}
		out = product(out, sub)
	}
	if len(c.any) > 0 {
		var alts []term
		for i := range c.any {
			sub, ok := c.any[i].dnf()
			if !ok || len(alts)+len(sub) > maxTerms {
				return nil, false // give up early: a wide any would build every alternative
			}
			alts = append(alts, sub...)
		}
		if len(out)*len(alts) > maxTerms {
			return nil, false
		}
		out = product(out, alts)
	}
	return out, true
}

func product(a, b []term) []term {
	out := make([]term, 0, len(a)*len(b))
	for _, x := range a {
		for _, y := range b {
			out = append(out, x.and(y))
		}
	}
	return out
}

type overrideKind uint8

const (
	raiseTo overrideKind = iota + 1
	raiseBy
	floorAt
	capAt
)

type override struct {
	name       string
	detail     string // "raise_to P0", shown in reasons
	kind       overrideKind
	when       *cond // nil: always
	unless     *cond // caps only; nil: never lifted
	categories []string
	kinds      []string
	level      Level
	by         Level
}

// appliesTo reports whether o's category and kind restrictions admit in.
func (o *override) appliesTo(in *Input) bool {
	return (o.categories == nil || slices.Contains(o.categories, in.Category)) &&
		(o.kinds == nil || slices.Contains(o.kinds, in.Kind))
}

// tierName is one entry of tier_from.names.
type tierName struct {
	name string
	tier int
}

// Scorer is a compiled priority policy. It is immutable and safe for
// concurrent use; build it once with [New] or [Parse] and call
// [Scorer.Score] or [Scorer.Explain] for each ticket.
type Scorer struct {
	rules  Spec
	names  []string
	scales [numDims]scale

	affectedT    []int64
	businessT    []int64
	impactDetail []string // "impact at least N", by N - impact min
	valueT       []int64
	tierDetail   []string
	tierNames    []tierName // sorted by name

	method  method
	weights [numDims]int
	flagPts [len(flagNames)]int
	bands   []band

	rows, cols   int // matrix dimensions (dim indexes)
	ncols        int
	cells        []Level
	matrixDetail string

	hasQuad   bool
	urgent    cond
	important cond
	quadLevel [len(quadrantNames)]Level

	overrides []override
	reasonCap int
}

// Parse strictly decodes a rules document (see [Spec]) and compiles it.
// Errors are *[PathError] naming the JSON path; [errors.Is] matches
// [ErrInvalidRules] for semantic problems, [ErrNotMonotonic] for rules that
// would break monotonicity, and the rulesjson sentinels for malformed JSON.
func Parse(data []byte) (*Scorer, error) {
	var r Spec
	if err := rulesjson.Decode(data, &r); err != nil {
		return nil, err
	}
	// r is fresh and nobody else's: keep it without New's private copy,
	// which marshals and unmarshals the whole document (a few hundred bytes
	// per input byte on a long list of empty conditions).
	s := &Scorer{}
	if err := s.compile(&r); err != nil {
		return nil, err
	}
	s.rules = r
	return s, nil
}

// New validates and compiles rules built in Go. Errors are as for [Parse],
// with paths as the JSON document would have them.
func New(spec Spec) (*Scorer, error) {
	// Compile the caller's value (so that an empty list stays distinct from
	// an absent one) but keep a private copy: every compiled table is
	// copied, nothing aliases spec.
	s := &Scorer{}
	if err := s.compile(&spec); err != nil {
		return nil, err
	}
	s.rules = cloneSpec(spec)
	return s, nil
}

// MustParse is like [Parse] but panics on error; for rules fixed at build
// time (tests, embedded presets).
func MustParse(data []byte) *Scorer {
	s, err := Parse(data)
	if err != nil {
		panic(err)
	}
	return s
}

// Spec returns a copy of the rules the scorer was compiled from; marshal
// it with encoding/json to save the document.
func (s *Scorer) Spec() Spec { return cloneSpec(s.rules) }

// Name returns the policy's name.
func (s *Scorer) Name() string { return s.rules.Name }

// Levels returns the level names, most urgent first.
func (s *Scorer) Levels() []string { return append([]string(nil), s.names...) }

// LevelName returns the rules' name for level l ("emergency"), or l.String()
// if l is beyond the policy's levels.
func (s *Scorer) LevelName(l Level) string {
	if int(l) < len(s.names) {
		return s.names[l]
	}
	return l.String()
}

// Level returns the level the rules call name.
func (s *Scorer) Level(name string) (Level, bool) {
	for i, n := range s.names {
		if n == name {
			return Level(i), true
		}
	}
	return 0, false
}

// Least returns the least urgent level of the policy.
func (s *Scorer) Least() Level { return Level(len(s.names) - 1) }

// MarshalJSON writes the scorer's rules document.
func (s *Scorer) MarshalJSON() ([]byte, error) { return json.Marshal(s.rules) }

// UnmarshalJSON parses and compiles a rules document into s, so that a
// *[Scorer] can be a field of a larger configuration document: decoded with
// the strict decoder, its errors carry the full path
// ("$.priority.weighted.bands[1].level"). Decode into a new Scorer only; a
// Scorer in use must not change.
func (s *Scorer) UnmarshalJSON(data []byte) error {
	c, err := Parse(data)
	if err != nil {
		return err
	}
	*s = *c
	return nil
}

func cloneSpec(r Spec) Spec {
	b, err := json.Marshal(r)
	if err != nil {
		// Spec holds only strings, ints and slices: Marshal cannot fail.
		panic(err)
	}
	var c Spec
	if err := json.Unmarshal(b, &c); err != nil {
		panic(err)
	}
	return c
}

func (s *Scorer) compile(r *Spec) error {
	if err := s.compileLevels(r); err != nil {
		return err
	}
	if err := s.compileScales(r); err != nil {
		return err
	}
	if err := s.compileImpactFrom(r); err != nil {
		return err
	}
	if err := s.compileTierFrom(r); err != nil {
		return err
	}
	switch r.Method {
	case MethodWeighted:
		s.method = methodWeighted
	case MethodMatrix:
		s.method = methodMatrix
	case MethodQuadrant:
		s.method = methodQuadrant
	case "":
		return invalid("$.method", `method is required: "weighted", "matrix" or "quadrant"`)
	default:
		return invalid("$.method", strconv.Quote(r.Method)+` is not a method: use "weighted", "matrix" or "quadrant"`)
	}
	if r.Weighted != nil && s.method != methodWeighted {
		return invalid("$.weighted", `weighted is given but method is "`+r.Method+`"`)
	}
	if r.Matrix != nil && s.method != methodMatrix {
		return invalid("$.matrix", `matrix is given but method is "`+r.Method+`"`)
	}
	switch s.method {
	case methodWeighted:
		if r.Weighted == nil {
			return invalid("$.weighted", `method "weighted" needs a weighted section`)
		}
		if err := s.compileWeighted(r.Weighted); err != nil {
			return err
		}
	case methodMatrix:
		if r.Matrix == nil {
			return invalid("$.matrix", `method "matrix" needs a matrix section`)
		}
		if err := s.compileMatrix(r.Matrix); err != nil {
			return err
		}
	case methodQuadrant:
		if r.Quadrants == nil {
			return invalid("$.quadrants", `method "quadrant" needs a quadrants section`)
		}
	}
	if r.Quadrants != nil {
		if err := s.compileQuadrants(r.Quadrants); err != nil {
			return err
		}
	}
	for i := range r.Overrides {
		o, err := s.compileOverride(&r.Overrides[i], rulesjson.Index("$.overrides", i))
		if err != nil {
			return err
		}
		s.overrides = append(s.overrides, o)
	}
	// inputs + tier name + counts + method + quadrant + overrides;
	// Explain adds the number of flags set.
	s.reasonCap = numDims + 1 + 3 + 2 + len(s.overrides)
	return nil
}

func (s *Scorer) compileLevels(r *Spec) error {
	names := r.Levels
	if names == nil {
		names = defaultLevels
	}
	if len(names) < 2 || len(names) > MaxLevels {
		return invalid("$.levels", "a policy needs 2 to "+strconv.Itoa(MaxLevels)+" levels, got "+strconv.Itoa(len(names)))
	}
	for i, n := range names {
		if n == "" {
			return invalid(rulesjson.Index("$.levels", i), "a level name must not be empty")
		}
		if l, err := ParseLevel(n); err == nil && int(l) != i {
			return invalid(rulesjson.Index("$.levels", i), "level "+strconv.Quote(n)+" is listed at position "+strconv.Itoa(i)+", so other packages would see it as "+Level(i).String()+": list P0.. in order, or use other names")
		}
		for j := 0; j < i; j++ {
			if names[j] == n {
				return invalid(rulesjson.Index("$.levels", i), "level "+strconv.Quote(n)+" is listed twice")
			}
		}
	}
	s.names = append([]string(nil), names...)
	return nil
}

func (s *Scorer) levelOf(path, name string) (Level, error) {
	if l, ok := s.Level(name); ok {
		return l, nil
	}
	if name == "" {
		return 0, invalid(path, "a level is required")
	}
	return 0, invalid(path, strconv.Quote(name)+" is not a level of this policy")
}

func (s *Scorer) compileScales(r *Spec) error {
	var given [numDims]*Scale
	if r.Scales != nil {
		given = [numDims]*Scale{r.Scales.Impact, r.Scales.Urgency, r.Scales.Severity, r.Scales.Tier}
	}
	for d := 0; d < numDims; d++ {
		g := given[d]
		if g == nil {
			s.scales[d] = scale{min: 1, max: 4}
			continue
		}
		path := rulesjson.Field("$.scales", dimNames[d])
		if g.Min < 0 || g.Min > maxScaleValue {
			return invalid(rulesjson.Field(path, "min"), "min must be 0.."+strconv.Itoa(maxScaleValue))
		}
		if g.Max <= g.Min || g.Max > maxScaleValue {
			return invalid(rulesjson.Field(path, "max"), "max must be above min and at most "+strconv.Itoa(maxScaleValue))
		}
		if g.Labels != nil && len(g.Labels) != g.Max-g.Min+1 {
			return invalid(rulesjson.Field(path, "labels"), "need one label per value: "+strconv.Itoa(g.Max-g.Min+1)+" labels, got "+strconv.Itoa(len(g.Labels)))
		}
		s.scales[d] = scale{min: g.Min, max: g.Max, labels: append([]string(nil), g.Labels...)}
		if g.Labels == nil {
			s.scales[d].labels = nil
		}
	}
	return nil
}

func (s *Scorer) compileImpactFrom(r *Spec) error {
	if r.ImpactFrom == nil {
		return nil
	}
	sc := s.scales[dimImpact]
	if err := checkThresholds(rulesjson.Field("$.impact_from", "affected"), r.ImpactFrom.Affected, sc, "impact"); err != nil {
		return err
	}
	if err := checkThresholds(rulesjson.Field("$.impact_from", "business"), r.ImpactFrom.Business, sc, "impact"); err != nil {
		return err
	}
	s.affectedT = append([]int64(nil), r.ImpactFrom.Affected...)
	s.businessT = append([]int64(nil), r.ImpactFrom.Business...)
	s.impactDetail = atLeastDetails("impact", sc)
	return nil
}

func (s *Scorer) compileTierFrom(r *Spec) error {
	if r.TierFrom == nil {
		return nil
	}
	sc := s.scales[dimTier]
	if err := checkThresholds("$.tier_from.value", r.TierFrom.Value, sc, "tier"); err != nil {
		return err
	}
	s.valueT = append([]int64(nil), r.TierFrom.Value...)
	s.tierDetail = atLeastDetails("tier", sc)
	names := r.TierFrom.Names
	if len(names) > MaxTierNames {
		return invalid("$.tier_from.names", "at most "+strconv.Itoa(MaxTierNames)+" tier names, got "+strconv.Itoa(len(names)))
	}
	for _, name := range slices.Sorted(maps.Keys(names)) {
		path := rulesjson.Field("$.tier_from.names", name)
		t := names[name]
		if strings.TrimSpace(name) == "" {
			return invalid(path, "a tier name must not be blank")
		}
		if t < sc.min || t > sc.max {
			return invalid(path, "tier "+strconv.Itoa(t)+" is off the tier scale "+strconv.Itoa(sc.min)+".."+strconv.Itoa(sc.max))
		}
		for _, prev := range s.tierNames {
			if strings.EqualFold(prev.name, name) {
				return invalid(path, strconv.Quote(name)+" and "+strconv.Quote(prev.name)+" differ only in case: names match without regard to case")
			}
		}
		s.tierNames = append(s.tierNames, tierName{name: name, tier: t})
	}
	return nil
}

// TierValue returns the tier the rules' tier_from names map name to,
// matching without regard to case, and whether they map it.
func (s *Scorer) TierValue(name string) (int, bool) {
	for i := range s.tierNames {
		if t := &s.tierNames[i]; t.name == name || strings.EqualFold(t.name, name) {
			return t.tier, true
		}
	}
	return 0, false
}

// TierNames returns the tier names the rules map (tier_from names), sorted;
// nil when they map none.
func (s *Scorer) TierNames() []string {
	if len(s.tierNames) == 0 {
		return nil
	}
	out := make([]string, len(s.tierNames))
	for i, t := range s.tierNames {
		out[i] = t.name
	}
	return out
}

func checkThresholds(path string, t []int64, sc scale, dim string) error {
	if len(t) > sc.max-sc.min {
		return invalid(path, "at most "+strconv.Itoa(sc.max-sc.min)+" thresholds fit the "+dim+" scale")
	}
	for i, v := range t {
		if v <= 0 {
			return invalid(rulesjson.Index(path, i), "thresholds must be positive")
		}
		if i > 0 && v <= t[i-1] {
			return notMonotonic(rulesjson.Index(path, i), "thresholds must be strictly ascending")
		}
	}
	return nil
}

func atLeastDetails(dim string, sc scale) []string {
	var out []string
	for v := sc.min; v <= sc.max; v++ {
		out = append(out, dim+" at least "+strconv.Itoa(v))
	}
	return out
}

func (s *Scorer) compileWeighted(w *Weighted) error {
	ws := [numDims]int{w.Weights.Impact, w.Weights.Urgency, w.Weights.Severity, w.Weights.Tier}
	for d, v := range ws {
		path := rulesjson.Field("$.weighted.weights", dimNames[d])
		if v < 0 {
			return notMonotonic(path, "a negative weight would lower the level as the input rises")
		}
		if v > maxWeight {
			return invalid(path, "weight must be at most "+strconv.Itoa(maxWeight))
		}
	}
	s.weights = ws
	fp := [len(flagNames)]int{w.Flags.PersonalSafety, w.Flags.MajorPropertyLoss, w.Flags.LegalRisk, w.Flags.CoreFunction, w.Flags.RepeatedFault}
	for i, v := range fp {
		path := rulesjson.Field("$.weighted.flags", flagNames[i])
		if v < 0 {
			return notMonotonic(path, "negative flag points would lower the level when the flag is set")
		}
		if v > maxWeight {
			return invalid(path, "flag points must be at most "+strconv.Itoa(maxWeight))
		}
	}
	s.flagPts = fp
	if len(w.Bands) == 0 {
		return invalid("$.weighted.bands", "at least one band is required")
	}
	for i, b := range w.Bands {
		path := rulesjson.Index("$.weighted.bands", i)
		l, err := s.levelOf(rulesjson.Field(path, "level"), b.Level)
		if err != nil {
			return err
		}
		if i > 0 {
			prev := s.bands[i-1]
			if b.AtLeast >= prev.atLeast {
				return notMonotonic(rulesjson.Field(path, "at_least"), "bands go from most to least urgent: at_least must be below the previous band's "+strconv.Itoa(prev.atLeast))
			}
			if l <= prev.level {
				return notMonotonic(rulesjson.Field(path, "level"), "a lower band must have a less urgent level than "+strconv.Quote(s.names[prev.level]))
			}
		}
		s.bands = append(s.bands, band{atLeast: b.AtLeast, level: l})
	}
	return nil
}

func dimIndex(name string) int {
	for d, n := range dimNames {
		if n == name {
			return d
		}
	}
	return -1
}

func (s *Scorer) compileMatrix(m *Matrix) error {
	s.rows, s.cols = dimIndex(m.Rows), dimIndex(m.Columns)
	if s.rows < 0 {
		return invalid("$.matrix.rows", strconv.Quote(m.Rows)+` is not an input: use "impact", "urgency", "severity" or "tier"`)
	}
	if s.cols < 0 {
		return invalid("$.matrix.columns", strconv.Quote(m.Columns)+` is not an input: use "impact", "urgency", "severity" or "tier"`)
	}
	if s.rows == s.cols {
		return invalid("$.matrix.columns", "rows and columns must be different inputs")
	}
	rs, cs := s.scales[s.rows], s.scales[s.cols]
	nrows, ncols := rs.max-rs.min+1, cs.max-cs.min+1
	if len(m.Cells) != nrows {
		return invalid("$.matrix.cells", "need one row per "+m.Rows+" value "+strconv.Itoa(rs.min)+".."+strconv.Itoa(rs.max)+": "+strconv.Itoa(nrows)+" rows, got "+strconv.Itoa(len(m.Cells)))
	}
	s.ncols = ncols
	s.cells = make([]Level, nrows*ncols)
	for i, row := range m.Cells {
		rpath := rulesjson.Index("$.matrix.cells", i)
		if len(row) != ncols {
			return invalid(rpath, "need one column per "+m.Columns+" value "+strconv.Itoa(cs.min)+".."+strconv.Itoa(cs.max)+": "+strconv.Itoa(ncols)+" cells, got "+strconv.Itoa(len(row)))
		}
		for j, name := range row {
			path := rulesjson.Index(rpath, j)
			l, err := s.levelOf(path, name)
			if err != nil {
				return err
			}
			if i > 0 && l > s.cells[(i-1)*ncols+j] {
				return notMonotonic(path, strconv.Quote(name)+" is less urgent than "+strconv.Quote(s.names[s.cells[(i-1)*ncols+j]])+" in the row above, which has a lower "+m.Rows)
			}
			if j > 0 && l > s.cells[i*ncols+j-1] {
				return notMonotonic(path, strconv.Quote(name)+" is less urgent than "+strconv.Quote(s.names[s.cells[i*ncols+j-1]])+" to its left, which has a lower "+m.Columns)
			}
			s.cells[i*ncols+j] = l
		}
	}
	s.matrixDetail = m.Rows + " × " + m.Columns
	return nil
}

func (s *Scorer) compileQuadrants(q *Quadrants) error {
	var err error
	if isEmpty(&q.Urgent) {
		return invalid("$.quadrants.urgent", "the urgent test must not be empty")
	}
	if isEmpty(&q.Important) {
		return invalid("$.quadrants.important", "the important test must not be empty")
	}
	if s.urgent, err = s.compileCond(&q.Urgent, &condAt{base: "$.quadrants.urgent"}, 0); err != nil {
		return err
	}
	if s.important, err = s.compileCond(&q.Important, &condAt{base: "$.quadrants.important"}, 0); err != nil {
		return err
	}
	least := s.Least()
	clamp := func(l Level) Level { return min(l, least) }
	s.quadLevel[DoNow], s.quadLevel[Coordinate], s.quadLevel[Plan], s.quadLevel[Backlog] = 0, clamp(1), clamp(2), clamp(3)
	s.quadLevel[QuadrantNone] = least
	if q.Levels != nil {
		for _, f := range []struct {
			q    Quadrant
			name string
		}{{DoNow, q.Levels.DoNow}, {Plan, q.Levels.Plan}, {Coordinate, q.Levels.Coordinate}, {Backlog, q.Levels.Backlog}} {
			l, err := s.levelOf(rulesjson.Field("$.quadrants.levels", f.q.String()), f.name)
			if err != nil {
				return err
			}
			s.quadLevel[f.q] = l
		}
		ql := &s.quadLevel
		if ql[DoNow] > ql[Plan] {
			return notMonotonic("$.quadrants.levels.do_now", "do_now must be at least as urgent as plan")
		}
		if ql[DoNow] > ql[Coordinate] {
			return notMonotonic("$.quadrants.levels.do_now", "do_now must be at least as urgent as coordinate")
		}
		if ql[Plan] > ql[Backlog] {
			return notMonotonic("$.quadrants.levels.backlog", "backlog must be no more urgent than plan")
		}
		if ql[Coordinate] > ql[Backlog] {
			return notMonotonic("$.quadrants.levels.backlog", "backlog must be no more urgent than coordinate")
		}
	}
	s.hasQuad = true
	return nil
}

func isEmpty(c *Condition) bool {
	return len(c.Flags) == 0 && c.ImpactAtLeast == 0 && c.UrgencyAtLeast == 0 && c.SeverityAtLeast == 0 &&
		c.TierAtLeast == 0 && c.AffectedAtLeast == 0 && c.BusinessAtLeast == 0 && len(c.Any) == 0 && len(c.All) == 0
}

// condAt locates a condition for error messages: the root's path, or the
// parent and the list and index below it. It is rendered only for an error;
// building every level's path string up front cost memory quadratic in the
// nesting depth.
type condAt struct {
	parent *condAt
	base   string // the root condition's path
	list   string // "any" or "all"
	index  int
}

func (p *condAt) String() string {
	if p.parent == nil {
		return p.base
	}
	return rulesjson.Index(rulesjson.Field(p.parent.String(), p.list), p.index)
}

func (p *condAt) field(name string) string { return rulesjson.Field(p.String(), name) }

func (s *Scorer) compileCond(c *Condition, at *condAt, depth int) (cond, error) {
	var out cond
	if depth > MaxConditionDepth {
		return out, invalid(at.String(), "conditions nest at most "+strconv.Itoa(MaxConditionDepth)+" deep")
	}
	for i, name := range c.Flags {
		f, err := ParseFlag(name)
		if err != nil {
			return out, invalid(rulesjson.Index(at.field("flags"), i), strconv.Quote(name)+" is not a flag: use personal_safety, major_property_loss, legal_risk, core_function or repeated_fault")
		}
		out.flags |= f
	}
	at4 := [numDims]int{c.ImpactAtLeast, c.UrgencyAtLeast, c.SeverityAtLeast, c.TierAtLeast}
	for d, v := range at4 {
		if v < 0 {
			return out, invalid(at.field(dimNames[d]+"_at_least"), "must not be negative")
		}
		if v > s.scales[d].max {
			return out, invalid(at.field(dimNames[d]+"_at_least"), strconv.Itoa(v)+" is above the "+dimNames[d]+" scale's max "+strconv.Itoa(s.scales[d].max)+": the test could never hold")
		}
	}
	out.atLeast = at4
	out.dims = at4 != [numDims]int{}
	if c.AffectedAtLeast < 0 {
		return out, invalid(at.field("affected_at_least"), "must not be negative")
	}
	if c.BusinessAtLeast < 0 {
		return out, invalid(at.field("business_at_least"), "must not be negative")
	}
	out.affected, out.business = c.AffectedAtLeast, c.BusinessAtLeast
	out.counts = out.affected > 0 || out.business > 0
	if len(c.Any) > 0 {
		out.any = make([]cond, 0, len(c.Any))
	}
	if len(c.All) > 0 {
		out.all = make([]cond, 0, len(c.All))
	}
	for i := range c.Any {
		sub, err := s.compileCond(&c.Any[i], &condAt{parent: at, list: "any", index: i}, depth+1)
		if err != nil {
			return out, err
		}
		out.any = append(out.any, sub)
	}
	for i := range c.All {
		sub, err := s.compileCond(&c.All[i], &condAt{parent: at, list: "all", index: i}, depth+1)
		if err != nil {
			return out, err
		}
		out.all = append(out.all, sub)
	}
	if depth == 0 {
		if terms, ok := out.dnf(); ok {
			out.terms = terms
		}
	}
	return out, nil
}

func (s *Scorer) compileOverride(o *Override, path string) (override, error) {
	out := override{name: o.Name}
	if o.Name == "" {
		return out, invalid(rulesjson.Field(path, "name"), "an override needs a name (it is shown in reasons)")
	}
	n := 0
	var err error
	if o.RaiseTo != "" {
		n++
		out.kind = raiseTo
		if out.level, err = s.levelOf(rulesjson.Field(path, "raise_to"), o.RaiseTo); err != nil {
			return out, err
		}
		out.detail = "raise_to " + o.RaiseTo
	}
	if o.RaiseBy != 0 {
		n++
		out.kind = raiseBy
		if o.RaiseBy < 0 {
			return out, notMonotonic(rulesjson.Field(path, "raise_by"), "raise_by must be positive: an override never lowers a level")
		}
		if o.RaiseBy >= len(s.names) {
			return out, invalid(rulesjson.Field(path, "raise_by"), "raise_by must be below the number of levels")
		}
		out.by = Level(o.RaiseBy)
		out.detail = "raise_by " + strconv.Itoa(o.RaiseBy)
	}
	if o.Floor != "" {
		n++
		out.kind = floorAt
		if out.level, err = s.levelOf(rulesjson.Field(path, "floor"), o.Floor); err != nil {
			return out, err
		}
		out.detail = "floor " + o.Floor
	}
	if o.Cap != "" {
		n++
		out.kind = capAt
		if out.level, err = s.levelOf(rulesjson.Field(path, "cap"), o.Cap); err != nil {
			return out, err
		}
		out.detail = "cap " + o.Cap
	}
	if n != 1 {
		return out, invalid(path, "an override needs exactly one of raise_to, raise_by, floor, cap")
	}
	var err2 error
	if out.categories, err2 = compileValues(rulesjson.Field(path, "categories"), o.Categories); err2 != nil {
		return out, err2
	}
	if out.kinds, err2 = compileValues(rulesjson.Field(path, "kinds"), o.Kinds); err2 != nil {
		return out, err2
	}
	if o.Unless != nil {
		upath := rulesjson.Field(path, "unless")
		switch {
		case out.kind != capAt:
			// A raise or floor withdrawn when a condition starts to hold
			// would lower the level as an input rises.
			return out, notMonotonic(upath, "only a cap takes unless: a raise or floor withdrawn when an input rises would lower the level")
		case isEmpty(o.Unless):
			return out, invalid(upath, "an empty unless always holds: the cap would never apply")
		}
		c, err := s.compileCond(o.Unless, &condAt{base: upath}, 0)
		if err != nil {
			return out, err
		}
		out.unless = &c
	}
	if o.When != nil {
		switch out.kind {
		case capAt:
			return out, notMonotonic(rulesjson.Field(path, "when"), "a cap cannot have a condition: when the condition starts to hold as an input rises, the level would drop (use unless: the cap is lifted when it holds)")
		case floorAt:
			return out, invalid(rulesjson.Field(path, "when"), "a floor has no condition; use raise_to for a conditional floor")
		}
		c, err := s.compileCond(o.When, &condAt{base: rulesjson.Field(path, "when")}, 0)
		if err != nil {
			return out, err
		}
		out.when = &c
	}
	return out, nil
}

// compileValues checks a category or kind restriction: non-empty values,
// none twice. An absent list stays nil (no restriction); an empty one is an
// error, since it would match nothing and the override could never fire.
func compileValues(path string, vals []string) ([]string, error) {
	if vals == nil {
		return nil, nil
	}
	if len(vals) == 0 {
		return nil, invalid(path, "an empty list matches nothing: leave it out to match every value")
	}
	for i, v := range vals {
		if strings.TrimSpace(v) == "" {
			return nil, invalid(rulesjson.Index(path, i), "must not be blank")
		}
		if slices.Contains(vals[:i], v) {
			return nil, invalid(rulesjson.Index(path, i), strconv.Quote(v)+" is listed twice")
		}
	}
	return slices.Clone(vals), nil
}
