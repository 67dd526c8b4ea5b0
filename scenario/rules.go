package scenario

import (
	"encoding/json"
	"errors"
	"slices"
	"strings"

	"github.com/closeloop/closeloop/feedback"
	"github.com/closeloop/closeloop/internal/rulesjson"
	"github.com/closeloop/closeloop/priority"
	"github.com/closeloop/closeloop/sla"
)

// rulesSections are the top-level keys of a rules document, in the order of
// feedback.RulesDocument.
var rulesSections = []string{"version", "taxonomy", "routing", "lifecycle", "priority", "calendars", "default_calendar", "sla", "compensation"}

// compileRules builds and compiles the scenario's rules document. Errors
// name the scenario path of the value at fault where it can be told: inside
// an inline document, inside a replaced section, or the preset named.
func compileRules(r Rules) (*feedback.Rules, error) {
	var (
		base   []byte
		origin = map[string]string{} // section -> scenario path prefix it came from
	)
	switch {
	case (r.Preset != "") == (len(r.Document) > 0):
		if r.File != "" && len(r.Document) == 0 {
			return nil, rulesjson.Errorf("$.rules.file", "not read: use Load for a scenario that names a rules file")
		}
		return nil, rulesjson.Errorf("$.rules", "give exactly one of preset, file and document")
	case r.Preset == PresetDocuments:
		data, err := feedback.PresetRulesJSON()
		if err != nil {
			return nil, err
		}
		base = data
	case r.Preset != "":
		return nil, rulesjson.Errorf("$.rules.preset", "unknown rules preset %q (have %q)", r.Preset, PresetDocuments)
	default:
		base = r.Document
		for _, s := range rulesSections {
			origin[s] = "$.rules.document"
		}
	}
	var doc feedback.RulesDocument
	if err := rulesjson.Decode(base, &doc); err != nil {
		if r.Preset == "" {
			return nil, rulesjson.Wrap("$.rules.document", err)
		}
		return nil, err
	}
	if r.SLAPreset != "" {
		data, err := sla.PresetJSON(r.SLAPreset)
		if err != nil {
			return nil, rulesjson.Errorf("$.rules.sla_preset", "%w (have %s)", err, strings.Join(sla.PresetNames(), ", "))
		}
		if doc.SLA, err = retargetCalendar(data, doc); err != nil {
			return nil, rulesjson.Errorf("$.rules.sla_preset", "%w", err)
		}
		origin["sla"] = "sla preset " + r.SLAPreset
	}
	if r.PriorityPreset != "" {
		data, err := priority.PresetJSON(r.PriorityPreset)
		if err != nil {
			return nil, rulesjson.Errorf("$.rules.priority_preset", "%w (have %s)", err, strings.Join(priority.PresetNames(), ", "))
		}
		doc.Priority = data
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
		for k := range keys {
			origin[k] = "$.rules.replace"
			switch k {
			case "version":
				doc.Version = repl.Version
			case "taxonomy":
				doc.Taxonomy = repl.Taxonomy
			case "routing":
				doc.Routing = repl.Routing
			case "lifecycle":
				doc.Lifecycle = repl.Lifecycle
			case "priority":
				doc.Priority = repl.Priority
			case "calendars":
				doc.Calendars = repl.Calendars
			case "default_calendar":
				doc.DefaultCalendar = repl.DefaultCalendar
			case "sla":
				doc.SLA = repl.SLA
			case "compensation":
				doc.Compensation = repl.Compensation
			}
		}
	}
	data, err := json.Marshal(doc)
	if err != nil {
		return nil, err
	}
	rules, err := feedback.ParseRules(data)
	if err != nil {
		return nil, locateRulesError(err, origin)
	}
	return rules, nil
}

// retargetCalendar points an SLA preset's default_calendar at the rules'
// default calendar when the rules have no calendar of the preset's name
// (the presets count on a calendar called "business").
func retargetCalendar(slaDoc []byte, doc feedback.RulesDocument) (json.RawMessage, error) {
	var m map[string]json.RawMessage
	if err := json.Unmarshal(slaDoc, &m); err != nil {
		return nil, err
	}
	var want string
	if raw, ok := m["default_calendar"]; ok {
		if err := json.Unmarshal(raw, &want); err != nil {
			return nil, err
		}
	}
	if want == "" || doc.DefaultCalendar == "" {
		return slaDoc, nil
	}
	var cals []struct {
		Name string `json:"name"`
	}
	if len(doc.Calendars) > 0 {
		if err := json.Unmarshal(doc.Calendars, &cals); err != nil {
			return nil, err
		}
	}
	if slices.ContainsFunc(cals, func(c struct {
		Name string `json:"name"`
	}) bool {
		return c.Name == want
	}) {
		return slaDoc, nil
	}
	m["default_calendar"], _ = json.Marshal(doc.DefaultCalendar)
	return json.Marshal(m)
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
