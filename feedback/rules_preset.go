package feedback

import (
	"encoding/json"
	"fmt"

	"github.com/closeloop/closeloop/compensation"
	"github.com/closeloop/closeloop/priority"
)

// PresetVersion is the version of the rules document PresetRulesJSON returns.
const PresetVersion = "documents-2024"

// presetCalendars are two business calendars of the source documents: a
// Chinese office (lunch break; China mainland's public holidays and make-up
// working weekends as announced by the State Council, sla's "CN" set, which
// covers 2024–2026: later years carry only the weekly hours until the set is
// extended) and the customer-service desk of document 000, open every day
// with its 20:00–22:00 evening peak.
const presetCalendars = `[
  {"name": "cn-office", "time_zone": "Asia/Shanghai",
   "week": {"mon": [["09:00","12:00"],["13:30","18:00"]], "tue": [["09:00","12:00"],["13:30","18:00"]],
            "wed": [["09:00","12:00"],["13:30","18:00"]], "thu": [["09:00","12:00"],["13:30","18:00"]],
            "fri": [["09:00","12:00"],["13:30","18:00"]]},
   "public_holidays": ["CN"]},
  {"name": "cn-service-desk", "time_zone": "Asia/Shanghai",
   "week": {"mon": [["08:00","22:00"]], "tue": [["08:00","22:00"]], "wed": [["08:00","22:00"]], "thu": [["08:00","22:00"]],
            "fri": [["08:00","22:00"]], "sat": [["08:00","22:00"]], "sun": [["08:00","22:00"]]}}
]`

// PresetRulesJSON returns the source documents' rules as one rules document:
// document 002's taxonomy and routing, its after-sales priority scoring, the
// default lifecycle (reopen limit 2, follow-up satisfied from 3 on 1–5, delay
// requests 1 working day ahead), the calendars above, and the stepped
// compensation of document 000 ("doc000-stepped") and the goodwill gestures
// of documents 001 and 004 ("doc001-goodwill"). It is an ordinary
// document: edit it and compile it with ParseRules.
func PresetRulesJSON() ([]byte, error) {
	tax, err := json.Marshal(PresetTaxonomy002().Spec())
	if err != nil {
		return nil, err
	}
	routing, err := json.Marshal(PresetRoutingSpec())
	if err != nil {
		return nil, err
	}
	prio, err := priority.PresetJSON(priority.PresetAfterSales)
	if err != nil {
		return nil, err
	}
	var comp []json.RawMessage
	for _, name := range []string{"doc000-stepped", "doc001-goodwill"} {
		data, err := compensation.PresetJSON(name)
		if err != nil {
			return nil, err
		}
		comp = append(comp, data)
	}
	compDoc, err := json.Marshal(comp)
	if err != nil {
		return nil, err
	}
	slaDoc, err := presetSLA()
	if err != nil {
		return nil, err
	}
	spec := DefaultLifecycle()
	doc := RulesDocument{
		Version:  PresetVersion,
		Taxonomy: tax,
		Routing:  routing,
		Lifecycle: &LifecycleExtension{
			ProgressNodes:   spec.ProgressNodes,
			ReopenLimit:     &spec.ReopenLimit,
			SatisfiedScore:  &spec.SatisfiedScore,
			DelayNoticeDays: &spec.DelayNoticeDays,
		},
		Priority:        prio,
		Calendars:       json.RawMessage(presetCalendars),
		DefaultCalendar: "cn-office",
		Compensation:    compDoc,
		SLA:             slaDoc,
	}
	return json.MarshalIndent(doc, "", "  ")
}

// PresetRules compiles PresetRulesJSON.
func PresetRules() (*Rules, error) {
	data, err := PresetRulesJSON()
	if err != nil {
		return nil, err
	}
	r, err := ParseRules(data)
	if err != nil {
		return nil, fmt.Errorf("feedback: preset rules: %w", err)
	}
	return r, nil
}
