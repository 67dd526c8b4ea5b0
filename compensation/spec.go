package compensation

// This file holds the JSON form of a policy. Field names are snake_case; every
// amount, share, multiplier and band edge is a JSON string, never a JSON number,
// so that no float ever touches it. Amounts are plain decimals ("250",
// "250.50") with at most the currency's number of fraction digits and no
// sign or exponent; shares and multipliers have at most 9 and 6 fraction
// digits; multipliers are at most 1000.

// PolicySpec is the JSON document of a compensation policy: one or more
// schedules in one currency, how their results combine, the adjustments that
// apply to the combined result, and the limits that bound it.
type PolicySpec struct {
	// Name identifies the policy in offers and settlements.
	Name string `json:"name"`
	// Description is free text for people.
	Description string `json:"description,omitempty"`
	// Source cites the published scheme a preset reproduces.
	Source string `json:"source,omitempty"`
	// Currency is the ISO 4217 code every amount of the policy is in.
	Currency string `json:"currency"`
	// Rounding is "half_up", "half_even", "down" or "up"; required.
	Rounding string `json:"rounding"`
	// Combine is "sum" or "max": how options with the same id from several
	// schedules combine. Required when there is more than one schedule.
	Combine string `json:"combine,omitempty"`
	// Schedules are evaluated in order; at least one.
	Schedules []ScheduleSpec `json:"schedules"`
	// Multipliers scale money and points by customer tier and ticket priority.
	Multipliers *MultipliersSpec `json:"multipliers,omitempty"`
	// Limits are the per-ticket and per-customer-period floors and caps.
	Limits *LimitsSpec `json:"limits,omitempty"`
	// ApprovalAbove: an option whose final amount is greater than this needs approval.
	ApprovalAbove string `json:"approval_above,omitempty"`
	// VoucherMinValidDays is the least validity a voucher may have; default 30.
	VoucherMinValidDays *int `json:"voucher_min_valid_days,omitempty"`
}

// MultipliersSpec maps customer tiers and priorities ("P0".."P3") to
// multipliers written as decimal strings ("1.5"). A tier or priority that is
// not listed multiplies by 1.
type MultipliersSpec struct {
	// Tier maps a [Claim.Tier] to its multiplier.
	Tier map[string]string `json:"tier,omitempty"`
	// Priority maps "P0".."P3" to its multiplier.
	Priority map[string]string `json:"priority,omitempty"`
}

// LimitsSpec bounds every money option (cash, credit, voucher) of an offer.
// Caps always win over floors.
type LimitsSpec struct {
	// TicketFloor is the least a money option pays once the ticket is entitled to it.
	TicketFloor string `json:"ticket_floor,omitempty"`
	// TicketCap is the most one ticket may be granted, including what the host
	// says was already granted on it ([Claim.GrantedOnTicket]).
	TicketCap string `json:"ticket_cap,omitempty"`
	// CustomerPeriodCap is the most one customer may be granted in the host's
	// period (a month, a year), including [Claim.GrantedInPeriod].
	CustomerPeriodCap string `json:"customer_period_cap,omitempty"`
}

// ScheduleSpec is one table: a measure, and bands of the measure's value that
// each offer options.
type ScheduleSpec struct {
	// Name identifies the schedule in explanations.
	Name string `json:"name"`
	// Measure says which claim input the bands are about.
	Measure MeasureSpec `json:"measure"`
	// When lists conditions that must all hold for the schedule to apply.
	When []ConditionSpec `json:"when,omitempty"`
	// AllowGaps permits neighbouring bands that leave values uncovered; by
	// default bands must meet edge to edge.
	AllowGaps bool `json:"allow_gaps,omitempty"`
	// Reductions apply to every band's money and points.
	Reductions []ReductionSpec `json:"reductions,omitempty"`
	// Bands in ascending order of their ranges.
	Bands []BandSpec `json:"bands"`
}

// MeasureSpec names the claim input a schedule's bands range over.
type MeasureSpec struct {
	// Kind is "duration" ([Claim.Durations]), "amount" ([Claim.Amounts], in the
	// policy currency), "percentage" ([Claim.Numbers], 0..100) or "number"
	// (Claim.Numbers, any value).
	Kind string `json:"kind"`
	// Input is the key of the claim map.
	Input string `json:"input"`
	// Unit is free text shown in explanations ("km", "%").
	Unit string `json:"unit,omitempty"`
}

// BandSpec is one row of a schedule.
type BandSpec struct {
	// Name identifies the band in explanations.
	Name string `json:"name"`
	// Range in interval notation with explicit edges: "[3h, 12h)", "(1500, 3500]",
	// "[99.0, 99.99)", "(3500, inf)". "[" and "]" include the edge, "(" and ")"
	// exclude it; "inf" and "-inf" are unbounded (the latter for kind number only).
	// Values are written in the measure's kind: Go durations ("90m", "72h"),
	// amounts ("1000.00"), plain decimals.
	Range string `json:"range"`
	// Reductions apply to this band's money and points, after the schedule's.
	Reductions []ReductionSpec `json:"reductions,omitempty"`
	// Options the customer may choose from; an empty list means "nothing due".
	Options []OptionSpec `json:"options"`
}

// ReductionSpec reduces money and points by a share when all its conditions hold.
type ReductionSpec struct {
	// Name identifies the reduction in explanations.
	Name string `json:"name"`
	// Percent is the share taken off, "50" for half; 0 < percent ≤ 100.
	Percent string `json:"percent"`
	// When lists conditions that must all hold; at least one.
	When []ConditionSpec `json:"when"`
}

// ConditionSpec is one test on the claim. Exactly one of Flag, Duration,
// Amount, Number, TierIn, PriorityIn is set. A flag the claim does not carry
// is false; a comparison on a duration, amount or number the claim does not
// carry does not hold.
type ConditionSpec struct {
	// Flag tests Claim.Flags[Flag] == Is (Is defaults to true).
	Flag string `json:"flag,omitempty"`
	// Is is the value Flag must have.
	Is *bool `json:"is,omitempty"`
	// Duration compares Claim.Durations[Duration] with Value (a Go duration).
	Duration string `json:"duration,omitempty"`
	// Amount compares Claim.Amounts[Amount] with Value (an amount).
	Amount string `json:"amount,omitempty"`
	// Number compares Claim.Numbers[Number] with Value (a plain decimal).
	Number string `json:"number,omitempty"`
	// Op is one of "<", "<=", ">", ">=", "=" for Duration, Amount and Number.
	Op string `json:"op,omitempty"`
	// Value is the right-hand side of Op.
	Value string `json:"value,omitempty"`
	// TierIn holds when [Claim.Tier] is one of the list.
	TierIn []string `json:"tier_in,omitempty"`
	// PriorityIn holds when [Claim.Priority] is one of the list ("P0".."P3").
	PriorityIn []string `json:"priority_in,omitempty"`
}

// OptionSpec is one thing the customer may choose.
//
// Kinds: "cash" (a payment or refund), "credit" (a service credit on the next
// bill), "voucher" (a coupon with a validity), "points", "service_days" (an
// extension of the service period), "service" (a named value-added service).
//
// Money kinds (cash, credit, voucher) take a Formula:
//   - "fixed": Amount;
//   - "percent": Percent % of the claim amount Base;
//   - "multiple": Multiple × Base, then at least Min and at most Max, then plus
//     Base itself when PlusBase (a refund on top of the multiple);
//   - "per_period": Amount (default 0), plus PerPeriod for each completed
//     Every of the measure beyond After (at most MaxPeriods). The band decides
//     whether the option is due at all; After and Every are written in the
//     measure's kind ("12h").
type OptionSpec struct {
	// ID identifies the option; options with the same id in several schedules
	// combine (see [PolicySpec.Combine]) and must have the same kind.
	ID string `json:"id"`
	// Kind is one of the kinds above.
	Kind string `json:"kind"`
	// Label is shown to the customer.
	Label string `json:"label,omitempty"`
	// When lists conditions that must all hold for the option to be offered.
	When []ConditionSpec `json:"when,omitempty"`

	// Formula of a money option: fixed, percent, multiple or per_period.
	Formula string `json:"formula,omitempty"`
	// Amount of a fixed formula, or the initial sum of a per_period one.
	Amount string `json:"amount,omitempty"`
	// Percent of Base, a share: 0 ≤ percent ≤ 100.
	Percent string `json:"percent,omitempty"`
	// Multiple of Base, at most 1000.
	Multiple string `json:"multiple,omitempty"`
	// Base names the [Claim.Amounts] entry a percent or multiple applies to.
	Base string `json:"base,omitempty"`
	// PlusBase adds Base itself after a multiple's Min and Max (a refund on top).
	PlusBase bool `json:"plus_base,omitempty"`
	// Min is the least a multiple gives.
	Min string `json:"min,omitempty"`
	// Max is the most a multiple gives.
	Max string `json:"max,omitempty"`
	// After is the measure value from which per_period counts periods.
	After string `json:"after,omitempty"`
	// Every is the length of one per_period period, in the measure's kind.
	Every string `json:"every,omitempty"`
	// PerPeriod is the amount per completed period.
	PerPeriod string `json:"per_period,omitempty"`
	// MaxPeriods bounds the number of periods paid; absent means unbounded.
	MaxPeriods *int `json:"max_periods,omitempty"`

	// Floor and Cap bound this option's final amount (after multipliers and rounding).
	Floor string `json:"floor,omitempty"`
	Cap   string `json:"cap,omitempty"`

	// ValidDays is a voucher's validity; default and least value
	// [PolicySpec.VoucherMinValidDays].
	ValidDays *int `json:"valid_days,omitempty"`
	// Points is the number of points of a points option.
	Points *int64 `json:"points,omitempty"`
	// Days is the extension of a service_days option.
	Days *int `json:"days,omitempty"`
	// Service names the value-added service of a service option.
	Service string `json:"service,omitempty"`
	// RequiresApproval marks the option as needing approval whatever its amount.
	RequiresApproval bool `json:"requires_approval,omitempty"`
}
