// Package compensation turns a customer's loss into an offer of compensation
// options in exact money, from tiered schedules written as rules data.
//
// A [Policy] is a JSON document (see [PolicySpec]), decoded strictly and
// compiled once by [ParsePolicy]; the compiled Policy is immutable and safe for
// concurrent use. [Policy.Compute] takes a [Claim] (what the host knows about
// the ticket: durations, amounts, numbers, flags, the customer's tier and the
// ticket's priority "P0".."P3") and returns an [Offer]: the options the
// customer may choose from, each with its amount (or points, days, service) and
// an explanation. [Offer.Choose] records the choice as a [Settlement] that the
// host appends to the ticket's history. The package has no clock and no
// storage: the host passes the instant of the choice and what was already
// granted.
//
// # Policy document
//
// A policy in one currency, with one schedule (see [PolicySpec] for every
// field):
//
//	{
//	  "name": "outage-credit", "currency": "CNY", "rounding": "half_up",
//	  "multipliers": {"tier": {"gold": "1.5"}, "priority": {"P0": "1.2"}},
//	  "limits": {"ticket_cap": "1000.00", "customer_period_cap": "3000.00"},
//	  "approval_above": "500.00",
//	  "schedules": [{
//	    "name": "downtime",
//	    "measure": {"kind": "duration", "input": "downtime"},
//	    "reductions": [{"name": "shared fault", "percent": "50", "when": [{"flag": "shared_fault"}]}],
//	    "bands": [
//	      {"name": "under 1h", "range": "[0s, 1h)", "options": []},
//	      {"name": "1h-4h", "range": "[1h, 4h)", "options": [
//	        {"id": "credit", "kind": "credit", "formula": "percent", "percent": "10", "base": "monthly_charge"},
//	        {"id": "extend", "kind": "service_days", "days": 7}]},
//	      {"name": "4h+", "range": "[4h, inf)", "options": [
//	        {"id": "credit", "kind": "credit", "formula": "percent", "percent": "25", "base": "monthly_charge", "cap": "800.00"},
//	        {"id": "voucher", "kind": "voucher", "formula": "fixed", "amount": "100.00", "valid_days": 60}]}
//	    ]
//	  }]
//	}
//
// Amounts, shares and multipliers are JSON strings; unknown fields, duplicate
// keys and values of the wrong type are errors.
//
// # Schedules, measures and bands
//
// A schedule has one measure: a duration (delay, downtime, business
// interruption), an amount in the policy currency (economic loss, price paid),
// a percentage (monthly uptime, 0..100) or any number the host supplies
// (distance in km). Its bands are written in interval notation with explicit
// edges, in ascending order: "[0s, 1h)", "[1h, 4h)", "(1500, 3500]",
// "(3500, inf)". "[" and "]" include the edge, "(" and ")" exclude it.
// Neighbouring bands must meet exactly (one edge inclusive, the other
// exclusive) unless the schedule sets allow_gaps; overlaps are always errors.
// A value in no band, or in a band with no options, is owed nothing by that
// schedule. A schedule applies only when all its "when" conditions hold; a flag
// the claim does not carry is false, and a comparison on an input the claim
// does not carry does not hold. The measure itself and every formula base must
// be present, or [Policy.Compute] returns an *[InputError].
//
// # Claims
//
// A claim carries only what the policy reads: every key of [Claim.Durations],
// Amounts, Numbers and Flags must be an input that a schedule's measure, a
// condition or a formula base of the policy reads from that map
// ([Policy.Inputs] lists them; [Policy.Reads] answers for one).
// [Policy.Compute] refuses anything else with an *[InputError] naming the map
// and the key: a misspelt name ([ErrUnknownInput], with the closest name the
// policy reads), a value given in the wrong map ([ErrWrongMap]: "given in
// numbers, the policy reads it from amounts"), a negative duration or a
// percentage outside 0..100 ([ErrInvalidInput]), an amount in another currency
// ([ErrCurrencyMismatch]) or out of range ([ErrNegativeAmount],
// [ErrBadAmount]). The rule is the same in every policy and every input is
// checked whether or not its schedule applies, so a mistake never passes as
// "not applicable". With several faults, the first in map order (durations,
// amounts, numbers, flags) and then name order is reported.
//
// # Options
//
// Each band lists options; the customer chooses one of them. Money options
// (cash, credit, voucher) compute an amount by a formula: a fixed amount; a
// percentage of a base amount; a multiple of a base with a minimum and/or a
// maximum, optionally plus the base itself (a refund on top); or a fixed sum
// plus so much per completed period beyond a threshold. A voucher has a
// validity of at least voucher_min_valid_days (30 by default). Other options
// give points, service_days (an extension of the service period) or a named
// value-added service.
//
// # Order of adjustments and where rounding happens
//
// For every money option, [Policy.Compute] applies, in this order:
//
//  1. the formula, exactly (a multiple's min and max belong to the formula);
//  2. the schedule's reductions, then the band's, whose conditions hold, each
//     multiplying by (100 - percent) / 100, exactly;
//  3. combination of options with the same id from several schedules, by sum
//     or by maximum (the policy's "combine"); option floors and caps follow the
//     winning source under max and are the tightest under sum;
//  4. the tier multiplier, then the priority multiplier, exactly;
//  5. rounding, once, to the currency's minor unit with the policy's rounding
//     mode (half_up, half_even, down, up);
//  6. floors: the option's floor, then the policy's ticket_floor;
//  7. caps: the option's cap, then ticket_cap less [Claim.GrantedOnTicket],
//     then customer_period_cap less [Claim.GrantedInPeriod] (never below zero).
//     Caps come after floors, so every cap holds;
//  8. approval: the option needs approval when its amount is over
//     approval_above or any source of it says requires_approval.
//
// Floors and caps are amounts in the currency's minor unit, so no rounding is
// needed after step 5. Points follow steps 1 to 5 and round to whole points
// with the same mode; days and services are not scaled. An option whose final
// amount or points is zero is listed in [Offer.Withheld] instead of Options.
// No float ever touches an amount: amounts, shares, multipliers and band edges
// are JSON strings, and the arithmetic is exact. It runs on int64
// coefficients with a decimal exponent while they fit (which they do for
// any real amount) and falls back to shopspring/decimal on overflow, so the
// results are exactly decimal's; this package never changes decimal's
// package settings, and its explanations do not depend on them. JSON output
// writes amounts as strings with exactly the currency's number of fraction
// digits ("250.00", "1500" for JPY, "0.125" for KWD).
//
// Every amount an offer carries is below 10^30, the largest amount
// [Money.UnmarshalJSON] reads, so every offer and settlement reads back from
// its JSON. Only an option without a cap whose per-period formula counts an
// enormous number of periods (a duration of centuries in nanosecond
// periods) could go beyond: Compute refuses such a claim with an
// *[InputError] wrapping [ErrAmountOutOfRange] that names the measure, rather
// than make an offer that cannot be stored.
//
// # Pricing only
//
// [Policy.MaxAmount] returns the largest money amount of the offer and the
// option that carries it, exactly as [Policy.Compute] would, without building
// the offer or its explanation: for a host that prices many claims (the whatif
// package does).
//
// # Worked example
//
// A CNY policy credits 10 %, 25 %, 50 % or 100 % of the monthly charge for
// downtime of [1h, 4h), [4h, 12h), [12h, 24h) and [24h, inf); gold customers
// get 1.5 times, P0 tickets 1.2 times; rounding is half_up; approval is needed
// above 500.00; the period cap is 3000.00. A gold customer's P0 ticket had 5
// hours of downtime on a monthly charge of 1234.56:
//
//	band [4h, 12h)            25 % of 1234.56      = 308.64
//	tier gold                 308.64 × 1.5         = 462.96
//	priority P0               462.96 × 1.2         = 555.552
//	rounding half_up, 2 places                     = 555.55
//	approval                  555.55 > 500.00      → needs approval
//
// Had the customer already been granted 2800.00 in the period, the period cap
// would have left 200.00, and the offer would say so in the option's steps.
//
// # Presets
//
// [PresetNames] lists ready-made policies that reproduce published schemes,
// each tested against its published figures: EU Regulation 261/2004 flight
// delays, Amazon's compute service credits, art. 55 of the PRC
// consumer-protection law, the GB electricity guaranteed standard for supply
// restoration; and the stepped compensation and goodwill schemes of the source
// documents.
//
// # Errors
//
// Every rules error is a *[PathError] (an alias of the shared rulesjson type)
// naming the JSON path of the value at fault, wrapping one of the Err…
// sentinels: [ErrOverlap], [ErrGap], [ErrNegativeAmount], [ErrUnknownCurrency],
// [ErrShareOver100], [ErrBadAmount], … . Claim errors are *[InputError] values
// naming the claim map and key (see Claims), wrapping [ErrMissingInput],
// [ErrUnknownInput], [ErrWrongMap], [ErrInvalidInput], [ErrCurrencyMismatch],
// [ErrAmountOutOfRange] and the amount errors.
// No input makes the package panic.
//
// The numbered documents ("document 002") are closeloop's five source
// documents on customer-feedback handling; docs/documents.md in the
// repository (https://github.com/closeloop/closeloop/blob/main/docs/documents.md)
// says what each is, and docs/trace.md where each of their rules lives.
package compensation
