package scenario

import (
	"encoding/json"
	"errors"
	"reflect"
	"slices"
	"strings"

	"github.com/closeloop/closeloop/feedback"
	"github.com/closeloop/closeloop/internal/rulesjson"
	"github.com/closeloop/closeloop/priority"
	"github.com/closeloop/closeloop/sla"
)

// rulesSections are the top-level keys of a rules document, read from
// feedback.RulesDocument's fields (so a new section needs no list here),
// with each key's field index.
var rulesSections = func() map[string]int {
	out := map[string]int{}
	t := reflect.TypeFor[feedback.RulesDocument]()
	for i := range t.NumField() {
		name, _, _ := strings.Cut(t.Field(i).Tag.Get("json"), ",")
		if name != "" && name != "-" {
			out[name] = i
		}
	}
	return out
}()

// compileRules builds and compiles the scenario's rules document. Errors
// name the scenario path of the value at fault where it can be told: inside
// an inline document, inside a replaced section, or the preset named.
func compileRules(r Rules) (*feedback.Rules, error) {
	var (
		doc    feedback.RulesDocument
		origin = map[string]string{} // section -> scenario path prefix it came from
	)
	switch {
	case (r.Preset != "") == (len(r.Document) > 0):
		if r.File != "" && len(r.Document) == 0 {
			return nil, rulesjson.Errorf("$.rules.file", "not read: use Load for a scenario that names a rules file")
		}
		return nil, rulesjson.Errorf("$.rules", "give exactly one of preset, file and document")
	case r.Preset == PresetDocuments:
		var err error
		if doc, err = feedback.PresetRulesDocument(); err != nil {
			return nil, err
		}
	case r.Preset != "":
		return nil, rulesjson.Errorf("$.rules.preset", "unknown rules preset %q (have %q)", r.Preset, PresetDocuments)
	default:
		if err := rulesjson.Decode(r.Document, &doc); err != nil {
			return nil, rulesjson.Wrap("$.rules.document", err)
		}
		for s := range rulesSections {
			origin[s] = "$.rules.document"
		}
	}
	if r.SLAPreset != "" {
		data, err := sla.PresetJSON(r.SLAPreset)
		if err != nil {
			return nil, rulesjson.Errorf("$.rules.sla_preset", "%w", err) // the error lists the presets
		}
		var spec sla.PolicySetSpec
		if err := rulesjson.Decode(data, &spec); err != nil {
			return nil, rulesjson.Errorf("$.rules.sla_preset", "%w", err)
		}
		retargetCalendar(&spec, doc)
		doc.SLA = &spec
		origin["sla"] = "sla preset " + r.SLAPreset
	}
	if r.PriorityPreset != "" {
		data, err := priority.PresetJSON(r.PriorityPreset)
		if err != nil {
			return nil, rulesjson.Errorf("$.rules.priority_preset", "%w", err) // the error lists the presets
		}
		var rules priority.Spec
		if err := rulesjson.Decode(data, &rules); err != nil {
			return nil, rulesjson.Errorf("$.rules.priority_preset", "%w", err)
		}
		doc.Priority = &rules
		origin["priority"] = "priority preset " + r.PriorityPreset
	}
	if len(r.Replace) > 0 {
		var repl feedback.RulesDocument
		if err := rulesjson.Decode(r.Replace, &repl); err != nil {
			return nil, rulesjson.Wrap("$.rules.replace", err)
		}
		var keys map[string]json.RawMessage
		if err := json.Unmarshal(r.Replace, &keys); err != nil {
			return nil, rulesjson.Wrap("$.rules.replace", err)
		}
		dst, src := reflect.ValueOf(&doc).Elem(), reflect.ValueOf(repl)
		for k := range keys {
			if i, ok := rulesSections[k]; ok {
				origin[k] = "$.rules.replace"
				dst.Field(i).Set(src.Field(i))
			}
		}
	}
	rules, err := feedback.CompileRules(doc)
	if err != nil {
		return nil, locateRulesError(err, origin)
	}
	return rules, nil
}

// retargetCalendar points an SLA preset's default_calendar at the rules'
// default calendar when the rules have no calendar of the preset's name
// (the presets count on a calendar called "business").
func retargetCalendar(spec *sla.PolicySetSpec, doc feedback.RulesDocument) {
	if spec.DefaultCalendar == "" || doc.DefaultCalendar == "" {
		return
	}
	if slices.ContainsFunc(doc.Calendars, func(c sla.CalendarSpec) bool { return c.Name == spec.DefaultCalendar }) {
		return
	}
	spec.DefaultCalendar = doc.DefaultCalendar
}

// locateRulesError turns a rules document path ("$.sla.policies[0]") into
// the scenario path of the section it came from.
func locateRulesError(err error, origin map[string]string) error {
	var pe *rulesjson.PathError
	if !errors.As(err, &pe) {
		return rulesjson.Errorf("$.rules", "%w", err)
	}
	rest := strings.TrimPrefix(pe.Path, "$")
	section := strings.TrimPrefix(rest, ".")
	if i := strings.IndexAny(section, ".["); i >= 0 {
		section = section[:i]
	}
	from, ok := origin[section]
	switch {
	case ok && strings.HasPrefix(from, "$"):
		return &rulesjson.PathError{Path: from + rest, Err: pe.Err}
	case ok:
		return rulesjson.Errorf("$.rules", "%s: %s: %w", from, pe.Path, pe.Err)
	}
	return rulesjson.Errorf("$.rules", "rules preset: %s: %w", pe.Path, pe.Err)
}
