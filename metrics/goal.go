package metrics

import "fmt"

// GoalKind says how a [Goal]'s Target is read.
type GoalKind uint8

// Goal kinds.
const (
	// GoalChange: the change from baseline to current, in percent
	// ([Change]), must reach Target — at least Target when Target ≥ 0
	// ("CSAT +15 %"), at most Target when Target < 0 ("complaints −20 %").
	GoalChange GoalKind = iota
	// GoalAtLeast: the current figure must be ≥ Target ("satisfaction ≥ 90 %").
	GoalAtLeast
	// GoalAtMost: the current figure must be ≤ Target.
	GoalAtMost
)

// Goal is a review target on one figure.
type Goal struct {
	Name   string
	Figure Figure
	Kind   GoalKind
	Target float64
}

// GoalOutcome says whether a goal was reached. OK is false when a figure
// needed is "no data" (or, for [GoalChange], the baseline is 0); Met is then
// false.
type GoalOutcome struct {
	Name      string  `json:"name"`
	Baseline  float64 `json:"baseline"`
	Current   float64 `json:"current"`
	ChangePct float64 `json:"change_pct"`
	Target    float64 `json:"target"`
	OK        bool    `json:"ok"`
	Met       bool    `json:"met"`
}

// String renders "CSAT: 78.0 → 91.0 (+16.7 %), target +15 %: met".
func (o GoalOutcome) String() string {
	if !o.OK {
		return o.Name + ": " + NoData
	}
	verdict := "not met"
	if o.Met {
		verdict = "met"
	}
	return fmt.Sprintf("%s: %s → %s (%+.1f %%), target %s: %s", o.Name, fmtFloat(o.Baseline, 1),
		fmtFloat(o.Current, 1), o.ChangePct, fmtFloat(o.Target, -1), verdict)
}

// EvaluateGoals checks goals on a current group against a baseline group
// (baseline may be nil for [GoalAtLeast] and [GoalAtMost] goals).
func EvaluateGoals(baseline, current *Group, goals []Goal) []GoalOutcome {
	out := make([]GoalOutcome, len(goals))
	for i, g := range goals {
		o := GoalOutcome{Name: g.Name, Target: g.Target}
		cur, okCur := g.Figure(current)
		o.Current = cur
		var okBase bool
		if baseline != nil {
			o.Baseline, okBase = g.Figure(baseline)
			if okBase && okCur {
				o.ChangePct, _ = Change(o.Baseline, cur)
			}
		}
		switch g.Kind {
		case GoalChange:
			var okChange bool
			if okBase && okCur {
				_, okChange = Change(o.Baseline, cur)
			}
			o.OK = okChange
			if g.Target >= 0 {
				o.Met = o.OK && o.ChangePct >= g.Target
			} else {
				o.Met = o.OK && o.ChangePct <= g.Target
			}
		case GoalAtLeast:
			o.OK, o.Met = okCur, okCur && cur >= g.Target
		case GoalAtMost:
			o.OK, o.Met = okCur, okCur && cur <= g.Target
		}
		out[i] = o
	}
	return out
}
