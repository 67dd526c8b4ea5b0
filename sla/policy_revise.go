package sla

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"fmt"
	"maps"
	"slices"
)

// Revise builds the full version that change describes on top of base: a
// new version of a policy written as only what differs. It is what a policy
// with "based_on" in a policy set document means, and the way a Go host
// writes version N+1 without copying version N.
//
// The rules, field by field:
//   - Name: change's, or base's when empty; they must agree.
//   - Version: change's; it must be greater than base's.
//   - EffectiveFrom: change's (a revision normally comes into force later).
//   - Description: change's when not empty, else base's.
//   - When: change's when given (an empty {} matches every ticket), else base's.
//   - Metrics: every metric of change is matched by name (its kind when it
//     has no name) with a metric of base and changes it field by field:
//     Kind, OnPriorityChange, OnReopen and OnTerminal when not empty; each
//     target key given replaces base's target for that priority; Start,
//     Stop, Reset, Pause, Resume and MetBy when given; Stage, PauseIn,
//     Warnings and Escalations when given (non-nil) replace the whole list.
//     A metric base does not have is added at the end.
//   - RemoveMetrics: base's metrics of these names are dropped.
//
// The result has BasedOn and RemoveMetrics cleared. Revise never changes
// base or change.
func Revise(base, change PolicySpec) (PolicySpec, error) {
	if change.Name != "" && change.Name != base.Name {
		return PolicySpec{}, fmt.Errorf("%w: revision of %q names another policy %q", ErrInvalidPolicy, base.Name, change.Name)
	}
	bv := max(base.Version, 1)
	if change.Version <= bv {
		return PolicySpec{}, fmt.Errorf("%w: revision of %q version %d must have a greater version, got %d", ErrInvalidPolicy, base.Name, bv, change.Version)
	}
	out := clonePolicySpec(base)
	out.Version = change.Version
	out.EffectiveFrom = change.EffectiveFrom
	out.BasedOn, out.RemoveMetrics = 0, nil
	if change.Description != "" {
		out.Description = change.Description
	}
	if change.When != nil {
		w := cloneWhen(*change.When)
		out.When = &w
	}
	for _, name := range change.RemoveMetrics {
		i := slices.IndexFunc(out.Metrics, func(m MetricSpec) bool { return metricName(&m) == name })
		if i < 0 {
			return PolicySpec{}, fmt.Errorf("%w: revision of %q removes metric %q, which version %d does not have", ErrInvalidPolicy, base.Name, name, bv)
		}
		out.Metrics = slices.Delete(out.Metrics, i, i+1)
	}
	for _, cm := range change.Metrics {
		name := metricName(&cm)
		i := slices.IndexFunc(out.Metrics, func(m MetricSpec) bool { return metricName(&m) == name })
		if i < 0 {
			out.Metrics = append(out.Metrics, cloneMetricSpec(cm))
			continue
		}
		mergeMetric(&out.Metrics[i], &cm)
	}
	return out, nil
}

func metricName(m *MetricSpec) string {
	if m.Name != "" {
		return m.Name
	}
	return m.Kind
}

func mergeMetric(dst, ch *MetricSpec) {
	if ch.Kind != "" {
		dst.Kind = ch.Kind
	}
	if len(ch.Targets) > 0 {
		t := maps.Clone(dst.Targets)
		if t == nil {
			t = map[string]TargetSpec{}
		}
		maps.Copy(t, ch.Targets)
		dst.Targets = t
	}
	for _, p := range []struct{ dst, src **TriggerSpec }{
		{&dst.Start, &ch.Start}, {&dst.Stop, &ch.Stop}, {&dst.Reset, &ch.Reset},
		{&dst.Pause, &ch.Pause}, {&dst.Resume, &ch.Resume}, {&dst.MetBy, &ch.MetBy},
	} {
		if *p.src != nil {
			*p.dst = cloneTrigger(*p.src)
		}
	}
	if ch.Stage != nil {
		dst.Stage = slices.Clone(ch.Stage)
	}
	if ch.PauseIn != nil {
		dst.PauseIn = slices.Clone(ch.PauseIn)
	}
	if ch.Warnings != nil {
		dst.Warnings = cloneAlerts(ch.Warnings)
	}
	if ch.Escalations != nil {
		dst.Escalations = cloneAlerts(ch.Escalations)
	}
	if ch.OnPriorityChange != "" {
		dst.OnPriorityChange = ch.OnPriorityChange
	}
	if ch.OnReopen != "" {
		dst.OnReopen = ch.OnReopen
	}
	if ch.OnTerminal != "" {
		dst.OnTerminal = ch.OnTerminal
	}
}

func clonePolicySpec(p PolicySpec) PolicySpec {
	if p.When != nil {
		w := cloneWhen(*p.When)
		p.When = &w
	}
	ms := make([]MetricSpec, len(p.Metrics))
	for i := range p.Metrics {
		ms[i] = cloneMetricSpec(p.Metrics[i])
	}
	p.Metrics = ms
	p.RemoveMetrics = slices.Clone(p.RemoveMetrics)
	return p
}

func cloneWhen(w WhenSpec) WhenSpec {
	cl := func(cs []ConditionSpec) []ConditionSpec {
		out := slices.Clone(cs)
		for i := range out {
			out[i].Values = slices.Clone(out[i].Values)
		}
		return out
	}
	return WhenSpec{All: cl(w.All), Any: cl(w.Any)}
}

func cloneMetricSpec(m MetricSpec) MetricSpec {
	m.Targets = maps.Clone(m.Targets)
	m.Start, m.Stop, m.Reset = cloneTrigger(m.Start), cloneTrigger(m.Stop), cloneTrigger(m.Reset)
	m.Pause, m.Resume, m.MetBy = cloneTrigger(m.Pause), cloneTrigger(m.Resume), cloneTrigger(m.MetBy)
	m.Stage = slices.Clone(m.Stage)
	m.PauseIn = slices.Clone(m.PauseIn)
	m.Warnings = cloneAlerts(m.Warnings)
	m.Escalations = cloneAlerts(m.Escalations)
	return m
}

func cloneTrigger(t *TriggerSpec) *TriggerSpec {
	if t == nil {
		return nil
	}
	c := *t
	c.Enter, c.Leave, c.Event = slices.Clone(t.Enter), slices.Clone(t.Leave), slices.Clone(t.Event)
	return &c
}

func cloneAlerts(as []AlertSpec) []AlertSpec {
	if as == nil {
		return nil
	}
	out := make([]AlertSpec, len(as))
	for i, a := range as {
		if a.Before != nil {
			b := *a.Before
			a.Before = &b
		}
		if a.After != nil {
			b := *a.After
			a.After = &b
		}
		out[i] = a
	}
	return out
}

// fingerprint is the content fingerprint of a compiled policy version: a
// hash of everything that decides its deadlines — the full spec (after
// revision), the states the host's lifecycle pauses it in, the terminal
// states and the resolved default calendar's name. Calendars enter by name
// only: they are reference data a host updates in place (next year's
// holidays), and such updates are meant to apply to open tickets.
func (c *compiler) fingerprint(ps *PolicySpec) (string, error) {
	type content struct {
		Spec            PolicySpec
		PauseStates     map[string][]string
		TerminalStates  []string
		DefaultCalendar string
	}
	data, err := json.Marshal(content{Spec: *ps, PauseStates: c.env.PauseStates, TerminalStates: c.env.TerminalStates, DefaultCalendar: c.defCal})
	if err != nil { // only non-finite numbers, which compilation refuses first
		return "", err
	}
	sum := sha256.Sum256(data)
	return hex.EncodeToString(sum[:12]), nil
}
