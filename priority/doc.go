// Package priority decides how urgent a piece of customer feedback is — P0
// (most urgent) to P3 by default — and says why.
//
// Priority decides every deadline downstream (the sla package turns "P1"
// into "respond within 48 hours"), so it must be predictable, explainable
// and a matter of rules data rather than code. A policy is a JSON document
// ([Spec]); [Parse] decodes it strictly and compiles it into a [Scorer],
// which is immutable, safe for concurrent use, and scores a ticket in well
// under a microsecond without allocating.
//
// # Inputs
//
// Document 002 grades feedback on three dimensions, and documents 001 and
// 003 add the customer:
//
//   - impact: how many customers or how much business is affected. Give it
//     as a level, or as counts ([Input.Affected], [Input.Business]) that the
//     rules' impact_from thresholds turn into a level; the effective impact
//     is the highest of these.
//   - urgency: how far normal use is stopped.
//   - severity: how serious the fault is, up to a safety risk.
//   - tier: the customer's tier (standard … VIP), given as a level, as the
//     customer's value ([Input.Value]) that tier_from thresholds turn into
//     one, or as the host's own name for the tier ([Input.TierName]: "vip",
//     "high_value", the tier IDs of a feedback taxonomy) that tier_from
//     names map to one — the same name a compensation policy multiplies
//     by. The effective tier is the highest of these. A name the rules do
//     not map is an [InputError] wrapping [ErrUnknownTier], never a silent
//     "not given".
//   - flags: personal safety, major property loss, legal risk, core function
//     down, repeated fault.
//   - category and kind ([Input.Category], [Input.Kind]): the ticket's
//     taxonomy IDs. They are not scales and add no points; they only
//     select the overrides restricted to them.
//
// Each dimension has a scale, 1..4 unless the rules say otherwise, with
// higher meaning more. 0 means "not given" and counts as the scale's
// minimum; any other value off the scale is an [InputError] wrapping
// [ErrOutOfScale]. Scales may carry labels, which appear in the reasons.
//
// # Methods
//
// One method gives the base level:
//
//   - "weighted": each input adds weight × (value − scale minimum) points,
//     each set flag adds its points, and the score falls into the first band
//     whose at_least it reaches (bands are listed from the most urgent
//     down); below every band is the least urgent level. Weights are
//     integers, so the score is exact and the same on every machine.
//   - "matrix": a lookup table over any two inputs and any scale sizes —
//     the ITIL impact × urgency grid, or document 001's customer value
//     matrix (tier × urgency). Cells name the policy's own levels; row 0 and
//     column 0 are the lowest values.
//   - "quadrant": document 003's four quadrants. Two conditions decide
//     urgent and important; urgent and important → do now (start within
//     24 h), important only → plan (quarterly plan with milestones), urgent
//     only → coordinate quickly, neither → backlog. Each quadrant maps to a
//     level (by default do now P0, coordinate P1, plan P2, backlog P3). With the other methods, a quadrants
//     section is optional and the quadrant is only reported.
//
// Then overrides run in the order written: raise_to (if the condition
// holds, at least this urgent: "personal safety ⇒ P0"), raise_by (if the
// condition holds, this many levels more urgent: "a VIP raises one level"),
// floor (never less urgent than this) and cap (never more urgent than
// this, unless its "unless" condition holds: "P0 needs a core-function or
// safety issue" is a cap at P1 unless one of them). Conditions are "at
// least" tests on inputs, counts and flags, combined with all/any. Any
// override may be restricted to categories or kinds ("categories":
// ["service_experience"], "kinds": ["complaint"]): it then runs only for
// inputs of one of them, so "a service-experience issue is at most P2" is
// a cap restricted to that category.
//
// # Rules document
//
// Keys are snake_case; unknown keys are errors. A small weighted policy:
//
//	{
//	  "name": "web-shop",
//	  "levels": ["P0", "P1", "P2", "P3"],
//	  "scales": {"urgency": {"min": 1, "max": 4, "labels": ["low", "medium", "high", "critical"]}},
//	  "impact_from": {"affected": [2, 50, 1000]},
//	  "tier_from": {"value": [10000, 100000, 1000000], "names": {"new": 1, "returning": 2, "vip": 4}},
//	  "method": "weighted",
//	  "weighted": {
//	    "weights": {"impact": 10, "urgency": 10, "severity": 10, "tier": 0},
//	    "flags": {"core_function": 15, "repeated_fault": 5},
//	    "bands": [{"level": "P0", "at_least": 70}, {"level": "P1", "at_least": 40}, {"level": "P2", "at_least": 10}]
//	  },
//	  "quadrants": {
//	    "urgent": {"urgency_at_least": 3},
//	    "important": {"any": [{"impact_at_least": 3}, {"tier_at_least": 3}]}
//	  },
//	  "overrides": [
//	    {"name": "personal safety", "when": {"flags": ["personal_safety"]}, "raise_to": "P0"},
//	    {"name": "VIP", "when": {"tier_at_least": 4}, "raise_by": 1},
//	    {"name": "answer every complaint within 72 h", "kinds": ["complaint"], "floor": "P2"},
//	    {"name": "P0 needs a core function down", "cap": "P1", "unless": {"flags": ["core_function"]}}
//	  ]
//	}
//
// A matrix policy replaces "weighted" with
// "matrix": {"rows": "impact", "columns": "urgency", "cells": [[...], ...]};
// a quadrant policy uses "method": "quadrant" and may map the quadrants with
// "levels": {"do_now": "P0", "plan": "P2", "coordinate": "P1", "backlog": "P3"}.
// The presets (presets/*.json, [PresetJSON]) are complete documents to
// start from.
//
// # Levels
//
// [Level] is a small ordered type: P0 < P1 < P2 < P3, smaller is more
// urgent, and String gives "P0".."P9" — the strings the sla and
// compensation packages use. A policy may name its levels ("emergency",
// "high", "normal", "suggestion"): [Result.Name] is that name, and
// [Result.Level] is still its position, so "emergency" is P0 to every other
// package.
//
// # Monotonicity
//
// Raising any input or setting any flag never makes the level less urgent.
// The compiler enforces it, so every policy that compiles has it: weights
// and flag points are not negative; bands go down in score and up in level;
// no matrix cell is less urgent than the cell above it or to its left; the
// do-now quadrant is at least as urgent as plan and coordinate, and they at
// least as urgent as backlog; conditions only test "at least"; overrides
// only raise when a condition holds, and a cap or floor takes no condition
// (a cap that applied only when, say, a flag was set would lower the level
// when the flag is set). A cap may have "unless": the cap is lifted when
// an "at least" condition holds, and as inputs rise such a condition can
// only start to hold, so the level can only become more urgent; a raise or
// floor with "unless" would be withdrawn as an input rose, and is refused.
// Restricting an override to categories or kinds keeps the property too:
// a category is not ordered, raising an input does not change it, and for
// each category the policy is a monotonic one. Tier names map to fixed
// tiers, and the effective tier is the highest of level, value and name.
// Violations are errors matching [ErrNotMonotonic], with the JSON path of
// the rule at fault. Each step is monotonic in its inputs and in the level
// it receives, so their composition is too. The tests check the property
// on thousands of random policies and inputs (with restrictions, caps with
// unless and tier names), and exhaustively on the presets for every
// category and kind they name.
//
// # Reasons
//
// [Scorer.Score] returns the level, base level, score, effective impact and
// quadrant, without allocating. [Scorer.Explain] adds the reasons, in order:
// the counts that set the impact, each input with its label and points, each
// set flag with its points, the band or matrix cell, the quadrant and its
// action, and each override that fired with the level before and after (a
// conditional override is reported whenever its condition holds; a floor or
// cap only when it changed the level). [Scorer.ExplainAppend] reuses a
// buffer for hosts that explain in bulk.
//
// # Worked example: document 002
//
// The after-sales preset ([PresetAfterSales]) scores 10 points per step of
// impact, urgency and severity above 1, adds 15 for a core function down and
// 5 for a repeated fault, and bands the score: P0 ≥ 70, P1 ≥ 40, P2 ≥ 10,
// else P3. Impact comes from customers affected: 2 → several, 50 → a batch,
// 1000 → widespread; the tier from the taxonomy's tier names (new and
// churned 1, returning 2, high_value 3, vip 4). Overrides: a safety risk
// (flag or severity 4) ⇒ P0; a core function down for a batch of customers
// or a key account ⇒ P0; a VIP raises one level; then the document's level
// definitions as caps — a service-experience issue or a suggestion is at
// most P2 unless there is a safety risk, and P0 needs a core-function or
// safety issue (core function or safety flag, or severity 3 or more), so
// widespread use stopped by a minor fault (70 points) is P1, not P0.
//
// F20240301001, a battery batch fault on about 500 phones, high urgency
// (3), medium severity (2), no safety risk:
//
//	affected 500 reaches the threshold 50 (impact at least 3)
//	impact 3 (a batch of customers): +20 points
//	urgency 3 (high: daily use affected): +20 points
//	severity 2 (medium: fault, no safety risk): +10 points
//	tier 1 (standard) [not given, taken as the lowest]
//	score 50 ≥ 40 ⇒ P1
//
// F20240301002, one installation visit where the installer wore no uniform:
// medium urgency (2), low severity (1) — 0 + 10 + 0 = 10 points ⇒ P2. Had
// the phone battery been a fire risk, the safety override would have made
// it P0; for a VIP customer it would have been raised one level.
//
// # Errors
//
// Rules errors are *[PathError] (an alias of the shared rulesjson type)
// whose Path names the JSON value at fault, "$.weighted.bands[1].level";
// [errors.Is] matches [ErrInvalidRules] for every rules problem and
// [ErrNotMonotonic] for the ones above. Input errors are *[InputError].
//
// The numbered documents ("document 002") are closeloop's five source
// documents on customer-feedback handling; docs/documents.md in the
// repository (https://github.com/closeloop/closeloop/blob/main/docs/documents.md)
// says what each is, and docs/trace.md where each of their rules lives.
package priority
