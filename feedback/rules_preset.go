package feedback

import (
	"encoding/json"
	"fmt"

	"github.com/closeloop/closeloop/compensation"
	"github.com/closeloop/closeloop/intake"
	"github.com/closeloop/closeloop/internal/rulesjson"
	"github.com/closeloop/closeloop/priority"
	"github.com/closeloop/closeloop/sla"
)

// PresetVersion is the version of the rules document [PresetRulesJSON] returns.
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

// presetComplaintGrades are document 001's complaint grading in the terms
// of the after-sales score: a complaint is an emergency (P0) exactly when
// it involves personal safety, major property loss or legal risk — capped
// at P1 otherwise, raised to P0 then. The preset's SLA section grades
// complaints by 001, so their priority must follow 001's criteria too;
// complaints are matched by kind and by document 002's complaint category,
// as the SLA section matches them.
const presetComplaintGrades = `[
  {"name": "a complaint is an emergency only for safety, major property loss or legal risk (001)", "kinds": ["complaint"],
   "cap": "P1", "unless": {"any": [{"flags": ["personal_safety", "major_property_loss", "legal_risk"]}, {"severity_at_least": 4}]}},
  {"name": "a complaint category is an emergency only for safety, major property loss or legal risk (001)", "categories": ["complaint"],
   "cap": "P1", "unless": {"any": [{"flags": ["personal_safety", "major_property_loss", "legal_risk"]}, {"severity_at_least": 4}]}},
  {"name": "emergency complaint: safety, major property loss or legal risk (001)", "kinds": ["complaint"],
   "when": {"flags": ["personal_safety", "major_property_loss", "legal_risk"]}, "raise_to": "P0"},
  {"name": "emergency complaint category: safety, major property loss or legal risk (001)", "categories": ["complaint"],
   "when": {"flags": ["personal_safety", "major_property_loss", "legal_risk"]}, "raise_to": "P0"}
]`

// presetPriority is document 002's after-sales scoring (priority preset
// "after-sales": its caps, tier names) followed by presetComplaintGrades.
func presetPriority() (*priority.Spec, error) {
	data, err := priority.PresetJSON(priority.PresetAfterSales)
	if err != nil {
		return nil, err
	}
	var rules priority.Spec
	if err := rulesjson.Decode(data, &rules); err != nil {
		return nil, err
	}
	var grades []priority.Override
	if err := rulesjson.Decode([]byte(presetComplaintGrades), &grades); err != nil {
		return nil, err
	}
	rules.Name = "documents"
	rules.Overrides = append(rules.Overrides, grades...)
	return &rules, nil
}

// presetLifecycle is the default lifecycle's settings, plus what document
// 001's hourly progress updates need: a response is an update to the
// customer too, and "update_customer" (with a note) records one while the
// ticket is being worked on.
func presetLifecycle() *LifecycleExtension {
	spec := DefaultLifecycle()
	working := []State{StateTriaged, StateAssigned, StateInProgress, StateWaitingCustomer, StateWaitingThirdParty, StateEscalated}
	return &LifecycleExtension{
		Transitions:     []TransitionSpec{{From: working, Trigger: TriggerUpdateCustomer, Guards: []string{GuardNoteGiven}}},
		Events:          map[Trigger][]string{TriggerRespond: {"responded", "progress_update"}, TriggerUpdateCustomer: {"progress_update"}},
		ProgressNodes:   spec.ProgressNodes,
		ReopenLimit:     &spec.ReopenLimit,
		SatisfiedScore:  &spec.SatisfiedScore,
		DelayNoticeDays: &spec.DelayNoticeDays,
	}
}

// TriggerUpdateCustomer is the preset rules' trigger for a progress update
// sent to the customer (document 001's hourly updates for a high-level
// complaint). It needs a note (what the customer was told) and reports the
// SLA event "progress_update". It is rules data of [PresetRulesJSON], not
// part of the default lifecycle.
const TriggerUpdateCustomer Trigger = "update_customer"

// PresetRulesJSON returns the source documents' rules as one rules document:
// document 002's taxonomy and routing; its after-sales priority scoring
// (with 002's caps and the taxonomy's tier names) and document 001's
// complaint grading criteria; the default lifecycle (reopen limit 2,
// follow-up satisfied from 3 on 1–5, delay requests 1 working day ahead)
// with a progress-update trigger for 001's hourly updates; the calendars
// above; document 002 step 1's intake rules, read in the default
// calendar's zone; the SLA preset "documents" ([sla.PresetDocuments]), which
// chooses each ticket's document by business line, kind, category and
// priority; and the stepped compensation of document 000
// ("business-interruption") and the goodwill gestures of documents 001 and 004
// ("complaint-goodwill"). It is an ordinary document: edit it and compile it
// with [ParseRules]. docs/trace.md maps every rule of the documents to the
// field here that implements it.
func PresetRulesJSON() ([]byte, error) {
	doc, err := PresetRulesDocument()
	if err != nil {
		return nil, err
	}
	return json.MarshalIndent(doc, "", "  ")
}

// PresetRulesDocument is [PresetRulesJSON] as Go values, for a host that
// edits the preset in Go before compiling it with [CompileRules].
func PresetRulesDocument() (RulesDocument, error) {
	var doc RulesDocument
	prio, err := presetPriority()
	if err != nil {
		return doc, err
	}
	var cals []sla.CalendarSpec
	if err := rulesjson.Decode([]byte(presetCalendars), &cals); err != nil {
		return doc, err
	}
	var comp []compensation.PolicySpec
	for _, name := range []string{"business-interruption", "complaint-goodwill"} {
		data, err := compensation.PresetJSON(name)
		if err != nil {
			return doc, err
		}
		var spec compensation.PolicySpec
		if err := rulesjson.Decode(data, &spec); err != nil {
			return doc, fmt.Errorf("feedback: compensation preset %s: %w", name, err)
		}
		comp = append(comp, spec)
	}
	slaData, err := sla.PresetJSON(sla.PresetDocuments)
	if err != nil {
		return doc, err
	}
	var slaSpec sla.PolicySetSpec
	if err := rulesjson.Decode(slaData, &slaSpec); err != nil {
		return doc, fmt.Errorf("feedback: sla preset %s: %w", sla.PresetDocuments, err)
	}
	taxonomy, err := intake.PresetTaxonomy(intake.PresetAfterSales)
	if err != nil {
		return doc, err
	}
	tax := taxonomy.Spec()
	routing := intake.PresetRouterSpec()
	return RulesDocument{
		Version:         PresetVersion,
		Taxonomy:        &tax,
		Routing:         &routing,
		Lifecycle:       presetLifecycle(),
		Priority:        prio,
		Calendars:       cals,
		DefaultCalendar: "cn-office",
		Compensation:    comp,
		SLA:             &slaSpec,
		Intake:          &intake.ValidatorSpec{Required: intake.DefaultRequiredFields()},
	}, nil
}

// PresetRules compiles [PresetRulesJSON].
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
