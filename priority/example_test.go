package priority_test

import (
	"errors"
	"fmt"

	"github.com/closeloop/closeloop/priority"
)

// The weighted method: each input adds weight × (value − scale minimum)
// points, flags add their points, and the score falls into a band.
func Example_weighted() {
	s, err := priority.Parse([]byte(`{
		"method": "weighted",
		"weighted": {
			"weights": {"impact": 10, "urgency": 10, "severity": 10},
			"flags": {"core_function": 15},
			"bands": [
				{"level": "P0", "at_least": 70},
				{"level": "P1", "at_least": 40},
				{"level": "P2", "at_least": 10}
			]
		}
	}`))
	if err != nil {
		panic(err)
	}
	res, err := s.Explain(priority.Input{Impact: 3, Urgency: 3, Severity: 3, Flags: priority.CoreFunction})
	if err != nil {
		panic(err)
	}
	fmt.Println(res.Level, res.Score)
	for _, r := range res.Reasons {
		fmt.Println(" ", r)
	}
	// Output:
	// P0 75
	//   impact 3: +20 points
	//   urgency 3: +20 points
	//   severity 3: +20 points
	//   tier 1 [not given, taken as the lowest]
	//   flag core_function: +15 points
	//   score 75 ≥ 70 ⇒ P0
}

// The matrix method, ITIL style: impact × urgency on 3-point scales mapped
// to five named levels. Row 0 and column 0 are the lowest values. Level
// names are the policy's own; Level.String() still gives P0..P4.
func Example_matrix() {
	s, err := priority.Parse([]byte(`{
		"levels": ["critical", "high", "medium", "low", "planning"],
		"scales": {
			"impact":  {"min": 1, "max": 3, "labels": ["low", "medium", "high"]},
			"urgency": {"min": 1, "max": 3, "labels": ["low", "medium", "high"]}
		},
		"method": "matrix",
		"matrix": {
			"rows": "impact",
			"columns": "urgency",
			"cells": [
				["planning", "low",    "medium"],
				["low",      "medium", "high"],
				["medium",   "high",   "critical"]
			]
		}
	}`))
	if err != nil {
		panic(err)
	}
	for _, in := range []priority.Input{{Impact: 3, Urgency: 3}, {Impact: 2, Urgency: 3}, {Impact: 1, Urgency: 1}} {
		res := s.MustScore(in)
		fmt.Printf("impact %d urgency %d: %s (%s)\n", in.Impact, in.Urgency, res.Name, res.Level)
	}
	// Output:
	// impact 3 urgency 3: critical (P0)
	// impact 2 urgency 3: high (P1)
	// impact 1 urgency 1: planning (P4)
}

// Overrides run after the method, in order, and each one that fires is a
// reason: personal safety forces P0, a VIP raises one level, a cap and a
// floor bound the result.
func Example_overrides() {
	s, err := priority.Parse([]byte(`{
		"method": "weighted",
		"weighted": {"weights": {"urgency": 10}, "bands": [{"level": "P1", "at_least": 30}, {"level": "P2", "at_least": 10}]},
		"overrides": [
			{"name": "personal safety", "when": {"flags": ["personal_safety"]}, "raise_to": "P0"},
			{"name": "VIP", "when": {"tier_at_least": 4}, "raise_by": 1},
			{"name": "every complaint is answered within 72 h", "floor": "P2"}
		]
	}`))
	if err != nil {
		panic(err)
	}
	for _, in := range []priority.Input{
		{Urgency: 2, Tier: 4},
		{Urgency: 1, Flags: priority.PersonalSafety},
		{Urgency: 1},
	} {
		res, _ := s.Explain(in)
		fmt.Printf("%s (method gave %s)\n", res.Level, res.Base)
		for _, r := range res.Reasons {
			if r.Kind == priority.ReasonOverride {
				fmt.Println(" ", r)
			}
		}
	}
	// Output:
	// P1 (method gave P2)
	//   override "VIP" (raise_by 1): P2 → P1
	// P0 (method gave P3)
	//   override "personal safety" (raise_to P0): P3 → P0
	// P2 (method gave P3)
	//   override "every complaint is answered within 72 h" (floor P2): P3 → P2
}

// The four quadrants of document 003: urgent × important, each with its
// action. The quadrant method takes the level from the quadrant; with the
// other methods the quadrant is reported alongside.
func Example_quadrants() {
	s, err := priority.Preset(priority.PresetFourQuadrants)
	if err != nil {
		panic(err)
	}
	for _, c := range []struct {
		what string
		in   priority.Input
	}{
		{"high-value customer complaint", priority.Input{Tier: 3, Urgency: 3}},
		{"product function optimisation", priority.Input{Impact: 3, Urgency: 1}},
		{"one late delivery", priority.Input{Impact: 1, Urgency: 3}},
		{"a passing remark", priority.Input{Impact: 1, Urgency: 1}},
	} {
		res := s.MustScore(c.in)
		fmt.Printf("%s: %s %s, %s\n", c.what, res.Level, res.Quadrant, res.Quadrant.Action())
	}
	// Output:
	// high-value customer complaint: P0 do_now, act now: start the response within 24 hours
	// product function optimisation: P2 plan, put it in the quarterly plan with milestones
	// one late delivery: P1 coordinate, get the teams concerned to act quickly
	// a passing remark: P3 backlog, keep it in the backlog for the next regular improvement cycle
}

// The customer value matrix of document 001: customer importance (tier) ×
// demand urgency — a matrix whose rows are the tier.
func Example_customerValueMatrix() {
	s, err := priority.Preset(priority.PresetCustomerValue)
	if err != nil {
		panic(err)
	}
	fmt.Println("tier\\urgency 1  2  3  4")
	for tier := 4; tier >= 1; tier-- {
		row := fmt.Sprintf("%-12d", tier)
		for urgency := 1; urgency <= 4; urgency++ {
			row += " " + s.MustScore(priority.Input{Tier: tier, Urgency: urgency}).Level.String()
		}
		fmt.Println(row)
	}
	// Output:
	// tier\urgency 1  2  3  4
	// 4            P2 P1 P1 P0
	// 3            P2 P2 P1 P0
	// 2            P3 P2 P2 P1
	// 1            P3 P3 P2 P1
}

// Document 002's after-sales preset reproduces the document's two worked
// rows.
func ExamplePreset_afterSales() {
	s, err := priority.Preset(priority.PresetAfterSales)
	if err != nil {
		panic(err)
	}
	// F20240301001: battery batch fault, ~500 phones, high urgency, medium
	// severity, no safety risk.
	battery := s.MustScore(priority.Input{Affected: 500, Urgency: 3, Severity: 2})
	// F20240301002: one installation visit, installer without uniform.
	uniform := s.MustScore(priority.Input{Affected: 1, Urgency: 2, Severity: 1})
	fmt.Println("F20240301001", battery.Level, "score", battery.Score)
	fmt.Println("F20240301002", uniform.Level, "score", uniform.Score)
	// Output:
	// F20240301001 P1 score 50
	// F20240301002 P2 score 10
}

// Document 002's level definitions are caps in the after-sales preset: P0
// needs a core-function or safety issue, and a service-experience issue is
// at most P2 (a cap restricted to that category, lifted by a safety risk).
// The host's tier name ("vip", a taxonomy tier ID) feeds the tier.
func ExamplePreset_afterSalesCaps() {
	s, err := priority.Preset(priority.PresetAfterSales)
	if err != nil {
		panic(err)
	}
	for _, c := range []struct {
		what string
		in   priority.Input
	}{
		{"widespread fault, use stopped, no core function", priority.Input{Impact: 4, Urgency: 4, Severity: 2}},
		{"the same with a core function down", priority.Input{Impact: 4, Urgency: 4, Severity: 2, Flags: priority.CoreFunction}},
		{"rude staff, many customers", priority.Input{Impact: 4, Urgency: 4, Severity: 2, Category: "service_experience"}},
		{"one installation visit, a vip customer", priority.Input{Affected: 1, Urgency: 2, Severity: 1, TierName: "vip"}},
	} {
		res, err := s.Explain(c.in)
		if err != nil {
			panic(err)
		}
		fmt.Printf("%s: %s\n", c.what, res.Level)
		for _, r := range res.Reasons {
			if r.Kind == priority.ReasonOverride || r.Kind == priority.ReasonTierName {
				fmt.Println(" ", r)
			}
		}
	}
	_, err = s.Score(priority.Input{TierName: "gold"})
	fmt.Println(errors.Is(err, priority.ErrUnknownTier), err)
	// Output:
	// widespread fault, use stopped, no core function: P1
	//   override "P0 needs a core-function or safety issue" (cap P1): P0 → P1
	// the same with a core function down: P0
	//   override "core function down for many or important customers" (raise_to P0): P0 → P0
	// rude staff, many customers: P2
	//   override "service experience and suggestions are at most P2" (cap P2): P0 → P2
	// one installation visit, a vip customer: P1
	//   tier name "vip" ⇒ tier 4 (VIP)
	//   override "VIP customer" (raise_by 1): P2 → P1
	// true priority: tier_name "gold": unknown tier name (the rules map churned, high_value, new, returning, vip)
}

// Document 001's complaint grading names its levels; Level.String() gives
// the P0..P3 form the sla and compensation packages take.
func ExamplePreset_complaintGrading() {
	s, err := priority.Preset(priority.PresetComplaintGrading)
	if err != nil {
		panic(err)
	}
	for _, in := range []priority.Input{
		{Severity: 2, Flags: priority.PersonalSafety},
		{Severity: 3, Urgency: 3},
		{Severity: 2, Urgency: 2},
		{Severity: 1, Urgency: 1},
	} {
		res := s.MustScore(in)
		fmt.Println(res.Name, res.Level)
	}
	// Output:
	// emergency P0
	// high P1
	// normal P2
	// suggestion P3
}

// Rules errors name the JSON path; input errors name the field.
func ExampleParse_errors() {
	_, err := priority.Parse([]byte(`{
		"method": "matrix",
		"scales": {"impact": {"min": 1, "max": 2}, "urgency": {"min": 1, "max": 2}},
		"matrix": {"rows": "impact", "columns": "urgency", "cells": [["P1", "P0"], ["P2", "P0"]]}
	}`))
	var pe *priority.PathError
	fmt.Println(errors.As(err, &pe), pe.Path, errors.Is(err, priority.ErrNotMonotonic))
	fmt.Println(err)

	s, _ := priority.Preset(priority.PresetAfterSales)
	_, err = s.Score(priority.Input{Urgency: 5})
	fmt.Println(errors.Is(err, priority.ErrOutOfScale), err)
	// Output:
	// true $.matrix.cells[1][0] true
	// $.matrix.cells[1][0]: "P2" is less urgent than "P1" in the row above, which has a lower impact
	// true priority: urgency 5: input out of scale 1..4
}

// ExplainAppend reuses one buffer of reasons across many tickets, so bulk
// explanation allocates nothing once the buffer has grown.
func ExampleScorer_ExplainAppend() {
	s, err := priority.Preset(priority.PresetAfterSales)
	if err != nil {
		panic(err)
	}
	var buf []priority.Reason
	for _, in := range []priority.Input{
		{Affected: 500, Urgency: 3, Severity: 2},
		{Affected: 1, Urgency: 2, Severity: 1, Tier: 4},
	} {
		res, err := s.ExplainAppend(buf[:0], in)
		if err != nil {
			panic(err)
		}
		buf = res.Reasons
		last := res.Reasons[len(res.Reasons)-1]
		fmt.Println(res.Level, "—", last)
	}
	// Output:
	// P1 — score 50 ≥ 40 ⇒ P1
	// P1 — override "VIP customer" (raise_by 1): P2 → P1
}
