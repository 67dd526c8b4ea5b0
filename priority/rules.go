package priority

// Spec is the priority rules as data: the JSON document a service manager
// edits. Decode it with [Parse] (strict: unknown fields, trailing data and
// wrong types are errors that name the JSON path) or build it in Go and
// compile it with [New]. A Spec value marshals back to the same document
// with encoding/json, so a rules editor can load, change and save it.
//
// Exactly one method decides the base level: "weighted" (needs Weighted),
// "matrix" (needs Matrix) or "quadrant" (needs Quadrants). Quadrants may also
// be given with the other methods; the quadrant is then only reported.
// Overrides run after the method, in the order written.
type Spec struct {
	// Name identifies the policy in reasons and logs ("after-sales").
	Name string `json:"name,omitempty"`
	// Levels are the level names, most urgent first. Default: P0, P1, P2, P3.
	// Level i of a result is [Level](i) whatever it is called here, so
	// "emergency, high, normal, suggestion" still map to P0..P3 for the
	// sla and compensation packages. Between 2 and 10 names. A name of the
	// form P<digit> must match its position ("P1" second), so that a policy
	// listing P1..P4 cannot silently send its "P1" to other packages as P0.
	Levels []string `json:"levels,omitempty"`
	// Scales bound each input. Any scale not given is 1..4.
	Scales *Scales `json:"scales,omitempty"`
	// ImpactFrom derives the impact level from counts (customers affected,
	// business affected) when the host has counts rather than a level.
	ImpactFrom *ImpactFrom `json:"impact_from,omitempty"`
	// TierFrom derives the customer tier from the customer's value (spend)
	// when the host has a value rather than a tier.
	TierFrom *TierFrom `json:"tier_from,omitempty"`
	// Method is "weighted", "matrix" or "quadrant".
	Method string `json:"method"`
	// Weighted holds the weights and bands of the "weighted" method.
	Weighted *Weighted `json:"weighted,omitempty"`
	// Matrix holds the lookup table of the "matrix" method.
	Matrix *Matrix `json:"matrix,omitempty"`
	// Quadrants holds the urgent × important test; required by the
	// "quadrant" method, optional (reported only) with the others.
	Quadrants *Quadrants `json:"quadrants,omitempty"`
	// Overrides adjust the level after the method, in order.
	Overrides []Override `json:"overrides,omitempty"`
}

// Scales holds one scale per input. A nil scale means the default 1..4.
type Scales struct {
	// Impact: how many customers or how much business is affected.
	Impact *Scale `json:"impact,omitempty"`
	// Urgency: how far normal use is stopped.
	Urgency *Scale `json:"urgency,omitempty"`
	// Severity: how serious the fault is (cosmetic … safety risk).
	Severity *Scale `json:"severity,omitempty"`
	// Tier: the customer's tier or value (standard … VIP).
	Tier *Scale `json:"tier,omitempty"`
}

// Scale is an inclusive integer range of input values, higher meaning more
// (more impact, more urgent, more severe, more valuable customer).
// 0 <= Min < Max <= 100. Labels, if given, name each value from Min to Max
// (len(Labels) == Max-Min+1) and appear in reasons.
type Scale struct {
	Min    int      `json:"min"`
	Max    int      `json:"max"`
	Labels []string `json:"labels,omitempty"`
}

// ImpactFrom lists count thresholds, ascending. A count at or above the i-th
// threshold (0-based) gives an impact of at least impact.Min+i+1. At most
// impact.Max-impact.Min thresholds each.
type ImpactFrom struct {
	// Affected: customers (or units, orders) affected.
	Affected []int64 `json:"affected,omitempty"`
	// Business: business volume affected, in the host's unit (yuan, orders).
	Business []int64 `json:"business,omitempty"`
}

// TierFrom derives the customer tier from what the host knows instead of a
// tier level: the customer's value, or the host's own name for the tier.
type TierFrom struct {
	// Value lists customer-value thresholds, ascending: a value at or above
	// the i-th threshold (0-based) gives a tier of at least tier.Min+i+1.
	// At most tier.Max-tier.Min thresholds. The value is the customer's
	// annual or lifetime spend in the host's unit.
	Value []int64 `json:"value,omitempty"`
	// Names maps the host's tier terms ("new", "returning", "high_value",
	// "vip": the tier IDs of the host's taxonomy) to values on the tier
	// scale, so that [Input.TierName] feeds the tier the way the same name
	// feeds a compensation multiplier. Names match without regard to case;
	// a name not listed is an [InputError] wrapping [ErrUnknownTier]. At
	// most [MaxTierNames] names.
	Names map[string]int `json:"names,omitempty"`
}

// Weighted is the weighted-score method: each input contributes
// weight × (value − scale minimum) points, each set flag its points, and the
// total falls into a band.
type Weighted struct {
	// Weights per input, each 0..1000000.
	Weights Weights `json:"weights"`
	// Flags gives points to each flag when set, each 0..1000000.
	Flags FlagPoints `json:"flags,omitzero"`
	// Bands, most urgent first, with strictly decreasing AtLeast and
	// strictly less urgent levels. A score below every band gets the least
	// urgent level.
	Bands []Band `json:"bands"`
}

// Weights are the points per scale step of each input.
type Weights struct {
	Impact   int `json:"impact,omitempty"`
	Urgency  int `json:"urgency,omitempty"`
	Severity int `json:"severity,omitempty"`
	Tier     int `json:"tier,omitempty"`
}

// FlagPoints are the points each flag adds to the weighted score when set.
type FlagPoints struct {
	PersonalSafety    int `json:"personal_safety,omitempty"`
	MajorPropertyLoss int `json:"major_property_loss,omitempty"`
	LegalRisk         int `json:"legal_risk,omitempty"`
	CoreFunction      int `json:"core_function,omitempty"`
	RepeatedFault     int `json:"repeated_fault,omitempty"`
}

// Band maps scores of at least AtLeast to Level (a name from [Spec.Levels]).
type Band struct {
	Level   string `json:"level"`
	AtLeast int    `json:"at_least"`
}

// Matrix is the lookup-table method (ITIL impact × urgency, or the customer
// value matrix tier × urgency). Cells[i][j] is the level name for
// Rows = rows-scale Min+i and Columns = columns-scale Min+j: row 0 and
// column 0 are the LOWEST values. The table must have one row per value and
// one column per value, and be monotonic: no cell may be less urgent than
// the cell above it (lower row) or to its left (lower column).
type Matrix struct {
	// Rows and Columns name two different inputs: "impact", "urgency",
	// "severity" or "tier".
	Rows    string     `json:"rows"`
	Columns string     `json:"columns"`
	Cells   [][]string `json:"cells"`
}

// Quadrants is the four-quadrant (urgent × important) test of document 003.
type Quadrants struct {
	// Urgent and Important are conditions; both must be non-empty.
	Urgent    Condition `json:"urgent"`
	Important Condition `json:"important"`
	// Levels maps each quadrant to a level; nil means the defaults
	// do_now → level 0, coordinate → 1, plan → 2, backlog → 3 (clamped to
	// the least urgent level).
	Levels *QuadrantLevels `json:"levels,omitempty"`
}

// QuadrantLevels names the level of each quadrant. DoNow must be at least
// as urgent as Plan and Coordinate, and they at least as urgent as Backlog.
type QuadrantLevels struct {
	DoNow      string `json:"do_now"`
	Plan       string `json:"plan"`
	Coordinate string `json:"coordinate"`
	Backlog    string `json:"backlog"`
}

// Condition is a test on the input. Every part given must hold (AND);
// an empty condition always holds. All parts are "at least" tests, so a
// condition that holds keeps holding when any input is raised — that is what
// keeps overrides monotonic. Conditions nest at most [MaxConditionDepth]
// deep through Any and All.
type Condition struct {
	// Flags holds if ANY of the named flags is set.
	Flags []string `json:"flags,omitempty"`
	// The *AtLeast parts hold if the input is at least the value.
	// Impact is the effective impact (after [ImpactFrom]).
	ImpactAtLeast   int   `json:"impact_at_least,omitempty"`
	UrgencyAtLeast  int   `json:"urgency_at_least,omitempty"`
	SeverityAtLeast int   `json:"severity_at_least,omitempty"`
	TierAtLeast     int   `json:"tier_at_least,omitempty"`
	AffectedAtLeast int64 `json:"affected_at_least,omitempty"`
	BusinessAtLeast int64 `json:"business_at_least,omitempty"`
	// Any holds if at least one of its conditions holds.
	Any []Condition `json:"any,omitempty"`
	// All holds if every one of its conditions holds.
	All []Condition `json:"all,omitempty"`
}

// Override adjusts the level after the method. Exactly one action is given:
//
//   - RaiseTo: if When holds, the level becomes at least as urgent as RaiseTo
//     ("personal safety ⇒ P0").
//   - RaiseBy: if When holds, the level becomes RaiseBy steps more urgent,
//     stopping at the most urgent level ("a VIP raises one level").
//   - Floor: the level is never less urgent than Floor (no When).
//   - Cap: the level is never more urgent than Cap, unless Unless holds
//     ("P0 needs a core-function or safety issue": cap P1 unless one of
//     them). A cap takes no When: a cap that started to apply as an input
//     rose would lower the level. Unless is the monotonic form — as inputs
//     rise, an "at least" condition can only start to hold, which lifts
//     the cap.
//
// Categories and Kinds restrict an override of any action to inputs of
// those categories or kinds ("a service-experience issue is at most P2").
// A category is not ordered and no input raises it, so a restriction keeps
// every policy monotonic.
//
// No override can lower a level because an input rose.
type Override struct {
	// Name is shown in reasons ("personal safety").
	Name    string     `json:"name"`
	When    *Condition `json:"when,omitempty"`
	RaiseTo string     `json:"raise_to,omitempty"`
	RaiseBy int        `json:"raise_by,omitempty"`
	Floor   string     `json:"floor,omitempty"`
	Cap     string     `json:"cap,omitempty"`
	// Unless, with Cap only: the cap does not apply when it holds.
	Unless *Condition `json:"unless,omitempty"`
	// Categories, when given, limit the override to inputs whose Category
	// is one of them; Kinds to inputs whose Kind is one of them. Both must
	// match when both are given. Values are compared exactly (taxonomy IDs).
	Categories []string `json:"categories,omitempty"`
	Kinds      []string `json:"kinds,omitempty"`
}
