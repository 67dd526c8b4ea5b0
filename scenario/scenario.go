package scenario

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"strconv"
	"strings"
	"time"

	"github.com/closeloop/closeloop/feedback"
	"github.com/closeloop/closeloop/intake"
	"github.com/closeloop/closeloop/internal/rulesjson"
)

// PathError is an error located at a JSON path of a scenario file, such as
// "$.steps[3].at" or "$.rules.replace.sla.policies[0].metrics[1]".
type PathError = rulesjson.PathError

// PresetDocuments names the library's preset rules document
// ([feedback.PresetRulesJSON]) in [Rules.Preset].
const PresetDocuments = "documents"

// DefaultActor is the actor of an opening or a step that names none.
const DefaultActor = "scenario"

// Scenario is one policy test: the rules, one ticket's opening and timeline,
// and the outcome expected. It is plain data, written as a JSON file ([Parse],
// [Load]) or as a Go value (a table in a test). Instants are text in
// [Scenario.TimeZone]: "2024-03-01 10:30", "2024-03-01 10:30:15", or RFC 3339
// with an offset.
type Scenario struct {
	// Name identifies the scenario in reports; required.
	Name string `json:"name"`
	// Description says what the scenario shows, in words.
	Description string `json:"description,omitempty"`
	// Source cites where the figures come from ("seeds/002 table 1 row 1").
	Source string `json:"source,omitempty"`
	// TimeZone is the IANA zone of every instant written without an offset,
	// and of the instants shown in mismatches. Default "UTC".
	TimeZone string `json:"time_zone,omitempty"`
	// Rules is the rules document the ticket runs under.
	Rules Rules `json:"rules"`
	// Intake, when given, is the registration as it arrives (document 002
	// table 1: feedback ID, customer, contact, product, channel, received_at,
	// description, ...). It is validated with the rules' taxonomy in
	// TimeZone ([intake.Validator]) and becomes the ticket's opening:
	// id, instant, customer, channel, category, and the attributes kind,
	// tier, stage, sub_category and tags. Fields of Ticket that are set
	// override it.
	Intake *intake.Form `json:"intake,omitempty"`
	// Classify lets the preset classifier ([intake.PresetClassifier]) choose
	// the category, sub-category and tags from the intake's description when
	// the form gives no category, as a host accepting the suggestion would.
	Classify bool `json:"classify,omitempty"`
	// Ticket is what the host knows when the feedback arrives.
	Ticket Opening `json:"ticket,omitzero"`
	// Steps are the changes that happen to the ticket, in order of their
	// instants (equal instants keep their order).
	Steps []Step `json:"steps,omitempty"`
	// Expect is checked after the last step, at Expect.At when given (it may
	// not lie before the last step), else at the last step's instant.
	Expect Checkpoint `json:"expect"`
	// Checkpoints are checked at their own instants, with the ticket as it
	// was then: every step at or before the instant has happened.
	Checkpoints []Checkpoint `json:"checkpoints,omitempty"`
	// Offers are compensation offers computed at their instants and checked.
	Offers []OfferCheck `json:"offers,omitempty"`
}

// Rules says which rules document the scenario runs under: a base document
// (exactly one of [Rules.Preset], [Rules.File] and [Rules.Document]), then
// optional replacements of whole sections, applied in the order
// [Rules.SLAPreset], [Rules.PriorityPreset], [Rules.Replace].
type Rules struct {
	// Preset names a built-in rules document: "documents" is
	// [feedback.PresetRulesJSON] (documents 002/004: taxonomy, routing,
	// after-sales priority scoring, the cn-office and cn-service-desk
	// calendars, the enterprise SLA preset, two compensation policies).
	Preset string `json:"preset,omitempty"`
	// File is a rules document file, relative to the scenario file's folder.
	// Load reads it into Document.
	File string `json:"file,omitempty"`
	// Document is a rules document inline (a [feedback.RulesDocument]).
	Document json.RawMessage `json:"document,omitempty"`
	// SLAPreset replaces the "sla" section with a preset of package sla
	// ("after-sales", "complaint-grading", "enterprise", "repair"). Its
	// default_calendar is replaced by the rules' default calendar when the
	// rules have no calendar of that name.
	SLAPreset string `json:"sla_preset,omitempty"`
	// PriorityPreset replaces the "priority" section with a preset of package
	// priority ("after-sales", "complaint-grading", ...).
	PriorityPreset string `json:"priority_preset,omitempty"`
	// Replace holds sections of a rules document ("version", "taxonomy",
	// "routing", "lifecycle", "priority", "calendars", "default_calendar",
	// "sla", "compensation") that replace the base's sections of that name.
	Replace json.RawMessage `json:"replace,omitempty"`
}

// Opening is the ticket's opening: what the host knows when the feedback
// arrives (see [feedback.Opening]).
type Opening struct {
	// ID is the ticket's identifier; required.
	ID string `json:"id"`
	// At is when the feedback was received; required.
	At string `json:"at"`
	// Actor registered it; default [DefaultActor].
	Actor    string `json:"actor,omitempty"`
	Customer string `json:"customer,omitempty"`
	Channel  string `json:"channel,omitempty"`
	Category string `json:"category,omitempty"`
	// Calendar names the ticket's business calendar (default: the rules').
	Calendar string `json:"calendar,omitempty"`
	// Attributes are the host's facts; SLA policies read "kind", "tier" and
	// "tags" (comma-separated) and any "attr.<name>".
	Attributes map[string]string `json:"attributes,omitempty"`
}

// Step is one change to the ticket: a trigger fired by an actor at an
// instant, with its payload ([feedback.Payload]: priority_input, priority,
// team, owner, node, note, reason, follow_up, delay, ...).
type Step struct {
	// At is when it happens; required, not before the previous step.
	At string `json:"at"`
	// Actor does it; default [DefaultActor].
	Actor string `json:"actor,omitempty"`
	// Trigger names the change ("triage", "assign", "respond", "resolve", ...).
	Trigger string `json:"trigger"`
	// Payload is the trigger's data. Instants inside it are RFC 3339.
	Payload feedback.Payload `json:"payload,omitzero"`
	// Deadline, in the scenario's time format, sets Payload.Deadline (a
	// triage's committed resolution deadline).
	Deadline string `json:"deadline,omitempty"`
	// Choose, with trigger "choose_compensation", computes the offer at the
	// step's instant and records the customer's choice of one option.
	Choose *Choice `json:"choose,omitempty"`
	// Refused says the step must be refused (a *[feedback.TransitionError],
	// with these unmet guards when listed). A refused step changes nothing.
	Refused *Refusal `json:"refused,omitempty"`
}

// Refusal is the expectation that a step is refused.
type Refusal struct {
	// Unmet are the guards expected not to hold, in any order; empty means
	// any refusal will do.
	Unmet []string `json:"unmet,omitempty"`
}

// Choice is a customer's choice from a compensation offer.
type Choice struct {
	// Policy names the rules' compensation policy; required.
	Policy string `json:"policy"`
	// Option is the id of the chosen option; required.
	Option string `json:"option"`
	// Claim is what the host knows of the customer's loss.
	Claim Claim `json:"claim,omitzero"`
}

// Claim is the host's side of a compensation claim (see
// [compensation.Claim]); the ticket, customer, priority and tier come from the
// ticket unless set here.
type Claim struct {
	// Tier and Priority override the ticket's.
	Tier     string `json:"tier,omitempty"`
	Priority string `json:"priority,omitempty"`
	// Durations are Go durations by input name ("30h", "90m").
	Durations map[string]string `json:"durations,omitempty"`
	// Currency is the ISO 4217 code of Amounts and the granted amounts;
	// required when any of them is given.
	Currency string `json:"currency,omitempty"`
	// Amounts are decimal strings by input name ("1200.00").
	Amounts map[string]string `json:"amounts,omitempty"`
	// Numbers are decimal strings by input name.
	Numbers map[string]string `json:"numbers,omitempty"`
	// Flags are yes/no facts by name.
	Flags map[string]bool `json:"flags,omitempty"`
	// GrantedOnTicket and GrantedInPeriod are what was granted already.
	GrantedOnTicket string `json:"granted_on_ticket,omitempty"`
	GrantedInPeriod string `json:"granted_in_period,omitempty"`
	// SLAOverruns fills, from the ticket's SLA report at the offer's
	// instant, the duration inputs "<metric>_overrun" (how late the metric's
	// current cycle is, zero when not breached) and "<metric>_elapsed" that
	// the policy reads ([feedback.Rules.OfferAt]), as the whatif replay does.
	// Durations given explicitly win.
	SLAOverruns bool `json:"sla_overruns,omitempty"`
}

// Checkpoint is what is expected of the ticket at an instant. Every field
// left empty (nil, "", 0) is not checked, so a checkpoint states only what
// the test is about. "-" expects an empty value (no deadline, no team).
type Checkpoint struct {
	// At is the instant; required in Checkpoints, optional in Expect.
	At string `json:"at,omitempty"`
	// State and Node are the lifecycle state and the progress node.
	State string `json:"state,omitempty"`
	Node  string `json:"node,omitempty"`
	// Category is the ticket's category (as opened, classified or triaged).
	Category string `json:"category,omitempty"`
	// Priority is the ticket's level "P0".."P3".
	Priority string `json:"priority,omitempty"`
	// Team is the team handling the ticket; RoutedBy the routing rule that
	// chose it (the last assign's).
	Team     string `json:"team,omitempty"`
	RoutedBy string `json:"routed_by,omitempty"`
	// Deadline is the ticket's committed resolution deadline.
	Deadline string `json:"deadline,omitempty"`
	// ReopenRounds counts the unsatisfied follow-ups that reopened it.
	ReopenRounds *int `json:"reopen_rounds,omitempty"`
	// Compensation is the id of the compensation option the customer chose.
	Compensation string `json:"compensation,omitempty"`
	// Policy and PolicyVersion are the SLA policy that matched.
	Policy        string `json:"policy,omitempty"`
	PolicyVersion int    `json:"policy_version,omitempty"`
	// Metrics are SLA clocks by metric name ("first_response", "resolution",
	// "follow_up", "hourly_update", ...).
	Metrics map[string]Metric `json:"metrics,omitempty"`
	// NextChange is the next instant the SLA report changes ("-": none).
	NextChange string `json:"next_change,omitempty"`
}

// Metric is what is expected of one SLA clock ([sla.MetricReport]). Empty
// fields are not checked; "-" expects a zero instant or duration.
type Metric struct {
	// Status is pending, running, paused, met or breached.
	Status string `json:"status,omitempty"`
	// Target is "<duration> <unit>" ("48h elapsed", "16h business") or
	// "<n> working_days"; "-" expects no target for the priority. Add
	// " on <calendar>" to check the calendar as well.
	Target string `json:"target,omitempty"`
	// Start, Deadline, Stopped and BreachedAt are instants of the current cycle.
	Start      string `json:"start,omitempty"`
	Deadline   string `json:"deadline,omitempty"`
	Stopped    string `json:"stopped,omitempty"`
	BreachedAt string `json:"breached_at,omitempty"`
	// Elapsed, Remaining and Late are Go durations ("3h30m").
	Elapsed   string `json:"elapsed,omitempty"`
	Remaining string `json:"remaining,omitempty"`
	Late      string `json:"late,omitempty"`
	// Cycle is the number of the current cycle; MetCycles and
	// BreachedCycles count cycles by outcome.
	Cycle          *int `json:"cycle,omitempty"`
	MetCycles      *int `json:"met_cycles,omitempty"`
	BreachedCycles *int `json:"breached_cycles,omitempty"`
	// Warnings and Escalations are the names reached in the current cycle,
	// in order; [] expects none.
	Warnings    []string `json:"warnings,omitempty"`
	Escalations []string `json:"escalations,omitempty"`
}

// OfferCheck computes a compensation offer for the ticket at an instant and
// checks it.
type OfferCheck struct {
	// At is the instant (default: after the last step).
	At string `json:"at,omitempty"`
	// Policy names the rules' compensation policy; required.
	Policy string `json:"policy"`
	// Claim is what the host knows of the customer's loss.
	Claim Claim `json:"claim,omitzero"`
	// Bands are the bands expected per schedule name ("-": no band).
	Bands map[string]string `json:"bands,omitempty"`
	// Options are the options expected, all of them, by id, each as
	// [compensation.OfferOption.Value] writes it: "40.00 CNY voucher valid 30
	// days", "1000 points", "90 days", "service apology-letter", "120.00 CNY".
	// An empty object expects no option.
	Options map[string]string `json:"options,omitempty"`
	// NeedsApproval lists the ids of the options expected to need approval
	// (all of them; [] expects none).
	NeedsApproval []string `json:"needs_approval,omitempty"`
	// Withheld lists the ids of the options expected to come to nothing.
	Withheld []string `json:"withheld,omitempty"`
}

// Parse decodes a scenario strictly: unknown fields, duplicate keys, values
// of the wrong type and trailing data are *[PathError] values naming the JSON
// path. A [Rules.File] reference stays unread ([Load] reads it).
func Parse(data []byte) (Scenario, error) {
	var s Scenario
	if err := rulesjson.Decode(data, &s); err != nil {
		return Scenario{}, err
	}
	return s, nil
}

// Load reads and parses a scenario file and reads the rules file it names,
// relative to the scenario's folder. Errors name the file.
func Load(path string) (Scenario, error) {
	data, err := os.ReadFile(path)
	if err != nil {
		return Scenario{}, err
	}
	s, err := Parse(data)
	if err != nil {
		return Scenario{}, fmt.Errorf("%s: %w", path, err)
	}
	if s.Rules.File != "" {
		if s.Rules.Preset != "" || len(s.Rules.Document) > 0 {
			return Scenario{}, fmt.Errorf("%s: %w", path, rulesjson.Errorf("$.rules", "give one of preset, file and document"))
		}
		file := s.Rules.File
		if !filepath.IsAbs(file) {
			file = filepath.Join(filepath.Dir(path), file)
		}
		doc, err := os.ReadFile(file)
		if err != nil {
			return Scenario{}, fmt.Errorf("%s: %w", path, rulesjson.Errorf("$.rules.file", "%w", err))
		}
		s.Rules.Document = doc
	}
	return s, nil
}

// timeLayouts are the local forms an instant may take.
var timeLayouts = []string{"2006-01-02 15:04", "2006-01-02 15:04:05"}

// parseInstant reads an instant in loc, or RFC 3339 with its own offset.
func parseInstant(s string, loc *time.Location) (time.Time, error) {
	for _, layout := range timeLayouts {
		if t, err := time.ParseInLocation(layout, s, loc); err == nil {
			return t, nil
		}
	}
	if t, err := time.Parse(time.RFC3339Nano, s); err == nil {
		return t, nil
	}
	return time.Time{}, fmt.Errorf("bad instant %q (want \"2006-01-02 15:04\", with optional seconds, or RFC 3339)", s)
}

// parseDuration reads a Go duration, also accepting a whole number of days
// ("3d").
func parseDuration(s string) (time.Duration, error) {
	if n, ok := strings.CutSuffix(s, "d"); ok {
		if d, err := strconv.Atoi(n); err == nil {
			return time.Duration(d) * 24 * time.Hour, nil
		}
	}
	d, err := time.ParseDuration(s)
	if err != nil {
		return 0, fmt.Errorf("bad duration %q (want Go duration text such as \"48h\" or \"90m\")", s)
	}
	return d, nil
}
