package rulesschema_test

import (
	"bytes"
	"encoding/json"
	"maps"
	"os"
	"path/filepath"
	"sort"
	"strconv"
	"strings"
	"sync"
	"testing"

	"github.com/santhosh-tekuri/jsonschema/v6"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/closeloop/closeloop/compensation"
	"github.com/closeloop/closeloop/feedback"
	"github.com/closeloop/closeloop/priority"
	"github.com/closeloop/closeloop/sla"
	"github.com/closeloop/closeloop/tools/rulesschema"
)

// root is the module root, seen from this package's folder.
const root = "../.."

var committedPath = filepath.Join(root, "schema", "rules.schema.json")

func TestCommittedSchemaIsGenerated(t *testing.T) {
	want, err := rulesschema.Generate()
	require.NoError(t, err)
	got, err := os.ReadFile(committedPath)
	require.NoError(t, err)
	if !bytes.Equal(got, want) {
		t.Fatalf("schema/rules.schema.json is not what the Go types give; regenerate it with\n" +
			"\tcd tools/rulesschema && go generate .")
	}
}

func TestGenerateIsDeterministic(t *testing.T) {
	a, err := rulesschema.Generate()
	require.NoError(t, err)
	b, err := rulesschema.Generate()
	require.NoError(t, err)
	require.Equal(t, string(a), string(b))
	var doc map[string]any
	require.NoError(t, json.Unmarshal(a, &doc))
	assert.Equal(t, "https://json-schema.org/draft/2020-12/schema", doc["$schema"])
	assert.Equal(t, rulesschema.ID, doc["$id"])
	assert.Equal(t, false, doc["additionalProperties"])
}

// schemas compiles the committed schema once: the whole document and the
// $defs that have parsers of their own.
var schemas = sync.OnceValues(func() (map[string]*jsonschema.Schema, error) {
	f, err := os.Open(committedPath)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	doc, err := jsonschema.UnmarshalJSON(f)
	if err != nil {
		return nil, err
	}
	c := jsonschema.NewCompiler()
	c.AssertFormat()
	if err := c.AddResource(rulesschema.ID, doc); err != nil {
		return nil, err
	}
	out := map[string]*jsonschema.Schema{}
	for _, loc := range []string{"", "sla.CalendarSpec", "sla.PolicySetSpec", "priority.Spec", "compensation.PolicySpec"} {
		url := rulesschema.ID
		if loc != "" {
			url += "#/$defs/" + loc
		}
		s, err := c.Compile(url)
		if err != nil {
			return nil, err
		}
		out[loc] = s
	}
	return out, nil
})

// validate checks data against the whole schema ("") or one of its $defs.
func validate(t *testing.T, def string, data []byte) error {
	t.Helper()
	all, err := schemas()
	require.NoError(t, err)
	inst, err := jsonschema.UnmarshalJSON(bytes.NewReader(data))
	require.NoError(t, err)
	return all[def].Validate(inst)
}

// rulesDocuments returns every full rules document of the repository: the
// preset, the scenario rules files and the rules inlined in scenarios.
func rulesDocuments(t *testing.T) map[string][]byte {
	t.Helper()
	out := map[string][]byte{}
	preset, err := feedback.PresetRulesJSON()
	require.NoError(t, err)
	out["feedback.PresetRulesJSON"] = preset
	files, err := filepath.Glob(filepath.Join(root, "scenario", "testdata", "rules", "*.json"))
	require.NoError(t, err)
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		out[f] = data
	}
	scenarios, err := filepath.Glob(filepath.Join(root, "scenario", "testdata", "*.json"))
	require.NoError(t, err)
	for _, f := range scenarios {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		var sc struct {
			Rules struct {
				Document json.RawMessage `json:"document"`
			} `json:"rules"`
		}
		require.NoError(t, json.Unmarshal(data, &sc), f)
		if len(sc.Rules.Document) > 0 {
			out[f+" (inline rules)"] = sc.Rules.Document
		}
	}
	require.GreaterOrEqual(t, len(out), 2)
	return out
}

func TestRulesDocumentsValidate(t *testing.T) {
	for name, data := range rulesDocuments(t) {
		t.Run(filepath.Base(name), func(t *testing.T) {
			_, err := feedback.ParseRules(data)
			require.NoError(t, err, "the decoder must accept it first")
			assert.NoError(t, validate(t, "", data))
		})
	}
}

func TestSubDocumentsValidate(t *testing.T) {
	type doc struct {
		name, def string
		data      []byte
	}
	var docs []doc
	for _, name := range sla.PresetNames() {
		data, err := sla.PresetJSON(name)
		require.NoError(t, err)
		docs = append(docs, doc{"sla preset " + name, "sla.PolicySetSpec", data})
	}
	for _, name := range priority.PresetNames() {
		data, err := priority.PresetJSON(name)
		require.NoError(t, err)
		docs = append(docs, doc{"priority preset " + name, "priority.Spec", data})
	}
	for _, name := range compensation.PresetNames() {
		data, err := compensation.PresetJSON(name)
		require.NoError(t, err)
		docs = append(docs, doc{"compensation preset " + name, "compensation.PolicySpec", data})
	}
	for _, dir := range []string{"examples/policycheck", "whatif/whatiftest/sample"} {
		for _, f := range []string{"current.json", "proposed.json"} {
			data, err := os.ReadFile(filepath.Join(root, dir, f))
			require.NoError(t, err)
			docs = append(docs, doc{dir + "/" + f, "sla.PolicySetSpec", data})
		}
		data, err := os.ReadFile(filepath.Join(root, dir, "calendars.json"))
		require.NoError(t, err)
		_, err = sla.ParseCalendars(data)
		require.NoError(t, err)
		var cals []json.RawMessage
		require.NoError(t, json.Unmarshal(data, &cals))
		for _, c := range cals {
			docs = append(docs, doc{dir + "/calendars.json", "sla.CalendarSpec", c})
		}
	}
	for _, d := range docs {
		t.Run(d.name, func(t *testing.T) {
			assert.NoError(t, validate(t, d.def, d.data))
		})
	}
}

// accepted are documents the decoder accepts that exercise the schema's
// conditional parts; the schema must accept them too.
var accepted = []struct{ name, doc string }{
	{"minimal", `{"version": "1"}`},
	{"composed calendars and every target unit", `{"version": "1",
	  "calendars": [
	    {"name": "team", "time_zone": "Europe/London", "week": {"mon": [["09:00","12:00"],["13:00","24:00"]]},
	     "public_holidays": ["gb"],
	     "holidays": [{"date": "2024-12-24", "closed": [["14:00","24:00"]]}],
	     "extra_working_days": [{"date": "2024-12-28", "hours": [["10:00:00","16:30:00"]]}]},
	    {"name": "customer", "time_zone": "UTC", "week": {"mon": [["08:00","20:00"]], "tue": [["08:00","20:00"]]}},
	    {"name": "both", "intersect": ["team", "customer"]},
	    {"name": "short", "time_zone": "Asia/Shanghai", "first_year": 2020, "last_year": 2030, "ics": ""}],
	  "default_calendar": "team",
	  "sla": {"policies": [{"name": "p", "effective_from": "2024-01-01T00:00:00+08:00",
	    "when": {"any": [{"field": "priority", "op": "at_least", "value": "P1"}, {"field": "tags", "op": "in", "values": ["vip"]},
	                     {"field": "attr.region", "op": "exists"}]},
	    "metrics": [
	      {"kind": "first_response", "targets": {"P0": {"unit": "elapsed", "duration": "1h30m"}, "*": {"unit": "business", "duration": "3d", "calendar": "both"}},
	       "warnings": [{"name": "half", "percent": 50}], "escalations": [{"name": "late", "after": {"unit": "working_days", "days": 2}}]},
	      {"kind": "time_in_stage", "name": "waiting", "stage": ["waiting_customer"], "targets": {"*": {"unit": "working_days", "days": 5}},
	       "on_priority_change": "restart"}]}]}}`},
	{"priority matrix and overrides", `{"version": "1", "priority": {"method": "matrix",
	  "scales": {"impact": {"min": 1, "max": 2}, "urgency": {"min": 1, "max": 2}},
	  "matrix": {"rows": "impact", "columns": "urgency", "cells": [["P3", "P2"], ["P2", "P0"]]},
	  "overrides": [{"name": "safety", "when": {"flags": ["personal_safety"]}, "raise_to": "P0"}, {"name": "floor", "floor": "P2"}]}}`},
	{"lifecycle extension", `{"version": "1", "lifecycle": {
	  "states": [{"name": "parts_ordered", "label": "waiting for parts", "pauses": ["resolution"]}],
	  "transitions": [{"from": ["in_progress"], "trigger": "order_parts", "to": "parts_ordered"},
	                  {"from": ["parts_ordered"], "trigger": "parts_arrived", "to": "in_progress"}],
	  "pauses": {"waiting_customer": []}, "reopen_limit": 3, "events": {"parts_arrived": ["parts"]}}}`},
}

func TestSchemaAcceptsWhatTheDecoderAccepts(t *testing.T) {
	for _, tc := range accepted {
		t.Run(tc.name, func(t *testing.T) {
			_, err := feedback.ParseRules([]byte(tc.doc))
			require.NoError(t, err, "the decoder must accept it")
			assert.NoError(t, validate(t, "", []byte(tc.doc)))
		})
	}
}

// rejected are broken documents; the decoder and the schema must both
// reject each. want is a fragment of the validator's message.
var rejected = []struct{ name, doc, want string }{
	{"unknown top-level field", `{"version": "1", "colour": "red"}`, "additional properties 'colour'"},
	{"missing version", `{"default_calendar": ""}`, "missing property 'version'"},
	{"version of the wrong type", `{"version": 1}`, "want string"},
	{"reopen limit as text", `{"version": "1", "lifecycle": {"reopen_limit": "two"}}`, "want integer"},
	{"unknown guard", `{"version": "1", "lifecycle": {"transitions": [{"from": ["in_progress"], "trigger": "x", "guards": ["nope"]}]}}`, "guards/0"},
	{"unknown calendar field", `{"version": "1", "calendars": [{"name": "x", "time_zone": "UTC", "colour": 1}]}`, "additional properties 'colour'"},
	{"clock without leading zero", `{"version": "1", "calendars": [{"name": "x", "time_zone": "UTC", "week": {"mon": [["9:00", "17:00"]]}}]}`, "mon/0/0"},
	{"24:00 as a start", `{"version": "1", "calendars": [{"name": "x", "time_zone": "UTC", "week": {"mon": [["24:00", "24:00"]]}}]}`, "mon/0/0"},
	{"date with slashes", `{"version": "1", "calendars": [{"name": "x", "time_zone": "UTC", "holidays": [{"date": "2024/10/01"}]}]}`, "date"},
	{"calendar without a name", `{"version": "1", "calendars": [{"time_zone": "UTC"}]}`, "missing property 'name'"},
	{"composed calendar with a zone", `{"version": "1", "calendars": [{"name": "a", "time_zone": "UTC"}, {"name": "b", "time_zone": "UTC"},
	  {"name": "c", "time_zone": "UTC", "union": ["a", "b"]}]}`, "oneOf"},
	{"duration in words", `{"version": "1", "sla": {"policies": [{"name": "p", "metrics": [{"kind": "resolution",
	  "targets": {"*": {"unit": "elapsed", "duration": "4 hours"}}}]}]}}`, "duration"},
	{"working days with a duration", `{"version": "1", "sla": {"policies": [{"name": "p", "metrics": [{"kind": "resolution",
	  "targets": {"*": {"unit": "working_days", "duration": "4h"}}}]}]}}`, "targets/*"},
	{"unknown metric kind", `{"version": "1", "sla": {"policies": [{"name": "p", "metrics": [{"kind": "resolve",
	  "targets": {"*": {"unit": "elapsed", "duration": "4h"}}}]}]}}`, "kind"},
	{"target key", `{"version": "1", "sla": {"policies": [{"name": "p", "metrics": [{"kind": "resolution",
	  "targets": {"urgent": {"unit": "elapsed", "duration": "4h"}}}]}]}}`, "urgent"},
	{"alert with two moments", `{"version": "1", "sla": {"policies": [{"name": "p", "metrics": [{"kind": "resolution",
	  "targets": {"*": {"unit": "elapsed", "duration": "4h"}},
	  "warnings": [{"name": "w", "percent": 50, "before": {"unit": "elapsed", "duration": "1h"}}]}]}]}}`, "oneOf"},
	{"has_tag on a category", `{"version": "1", "sla": {"policies": [{"name": "p", "when": {"all": [{"field": "category", "op": "has_tag", "value": "x"}]},
	  "metrics": [{"kind": "resolution", "targets": {"*": {"unit": "elapsed", "duration": "4h"}}}]}]}}`, "when/all/0"},
	{"event name with a space", `{"version": "1", "lifecycle": {"events": {"progress": ["progress update"]}}}`, "events/progress/0"},
	{"comparison without an operator", `{"version": "1", "compensation": [{"name": "c", "currency": "CNY", "rounding": "half_up",
	  "schedules": [{"name": "s", "measure": {"kind": "number", "input": "n"}, "when": [{"duration": "resolution_late", "value": "4h"}],
	  "bands": [{"name": "b", "range": "(-inf, inf)", "options": []}]}]}]}`, "when/0"},
	{"priority method", `{"version": "1", "priority": {"method": "weights"}}`, "method"},
	{"amount as a number", `{"version": "1", "compensation": [{"name": "c", "currency": "CNY", "rounding": "half_up",
	  "schedules": [{"name": "s", "measure": {"kind": "duration", "input": "resolution_late"},
	  "bands": [{"name": "b", "range": "[0h, inf)", "options": [{"id": "cash", "kind": "cash", "formula": "fixed", "amount": 250}]}]}]}]}`, "want string"},
	{"band range without brackets", `{"version": "1", "compensation": [{"name": "c", "currency": "CNY", "rounding": "half_up",
	  "schedules": [{"name": "s", "measure": {"kind": "duration", "input": "resolution_late"},
	  "bands": [{"name": "b", "range": "3h-12h", "options": []}]}]}]}`, "range"},
	{"duration band with amounts", `{"version": "1", "compensation": [{"name": "c", "currency": "CNY", "rounding": "half_up",
	  "schedules": [{"name": "s", "measure": {"kind": "duration", "input": "resolution_late"},
	  "bands": [{"name": "b", "range": "[1500, 3500)", "options": []}]}]}]}`, "range"},
	{"unknown currency", `{"version": "1", "compensation": [{"name": "c", "currency": "XYZ", "rounding": "half_up",
	  "schedules": [{"name": "s", "measure": {"kind": "number", "input": "n"}, "bands": [{"name": "b", "range": "(-inf, inf)", "options": []}]}]}]}`, "currency"},
}

func TestSchemaRejectsBrokenDocuments(t *testing.T) {
	for _, tc := range rejected {
		t.Run(tc.name, func(t *testing.T) {
			_, err := feedback.ParseRules([]byte(tc.doc))
			require.Error(t, err, "the decoder must reject it too")
			verr := validate(t, "", []byte(tc.doc))
			require.Error(t, verr)
			msg := strings.ReplaceAll(verr.Error(), "~1", "/")
			assert.Contains(t, msg, tc.want)
		})
	}
}

// TestEveryObjectIsClosed checks that every object the decoder reads into a
// struct forbids unknown keys, as rulesjson.Decode does, and that the Go doc
// comments reached the descriptions.
func TestEveryObjectIsClosed(t *testing.T) {
	data, err := os.ReadFile(committedPath)
	require.NoError(t, err)
	var doc struct {
		Properties map[string]map[string]any `json:"properties"`
		Defs       map[string]map[string]any `json:"$defs"`
	}
	require.NoError(t, json.Unmarshal(data, &doc))
	require.NotEmpty(t, doc.Defs)
	for name, def := range doc.Defs {
		if def["type"] != "object" {
			continue
		}
		if _, isMap := def["additionalProperties"].(map[string]any); isMap {
			continue
		}
		assert.Equal(t, false, def["additionalProperties"], "%s accepts unknown keys", name)
		props, _ := def["properties"].(map[string]any)
		for key, p := range props {
			assert.NotEmpty(t, p.(map[string]any)["description"], "%s.%s has no description", name, key)
		}
	}
	for _, key := range []string{"version", "sla", "calendars"} {
		assert.NotEmpty(t, doc.Properties[key]["description"], key)
	}
}

// corpus returns the first argument ([]byte) of every committed fuzz corpus
// entry of a fuzz target.
func corpus(t *testing.T, dir string) [][]byte {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(root, dir, "*"))
	require.NoError(t, err)
	var out [][]byte
	for _, f := range files {
		data, err := os.ReadFile(f)
		require.NoError(t, err)
		lines := strings.Split(string(data), "\n")
		if len(lines) < 2 || lines[0] != "go test fuzz v1" {
			continue
		}
		lit, ok := strings.CutPrefix(lines[1], "[]byte(")
		if !ok {
			continue
		}
		s, err := strconv.Unquote(strings.TrimSuffix(lit, ")"))
		if err != nil {
			continue
		}
		out = append(out, []byte(s))
	}
	return out
}

// TestSchemaAcceptsFuzzCorpora is a differential test: every committed fuzz
// corpus entry that a parser accepts must validate against the matching
// definition, so the schema never flags a document the library reads.
func TestSchemaAcceptsFuzzCorpora(t *testing.T) {
	checked := 0
	check := func(name, def string, data []byte) {
		checked++
		if err := validate(t, def, data); err != nil {
			t.Errorf("%s: the parser accepts %s\nbut the schema says: %v", name, data, err)
		}
	}
	for _, data := range corpus(t, "priority/testdata/fuzz/FuzzScorerJSON") {
		if _, err := priority.Parse(data); err == nil {
			check("priority", "priority.Spec", data)
		}
	}
	for _, data := range corpus(t, "compensation/testdata/fuzz/FuzzScheduleJSON") {
		if _, err := compensation.ParsePolicy(data); err == nil {
			check("compensation", "compensation.PolicySpec", data)
		}
	}
	for _, data := range corpus(t, "sla/testdata/fuzz/FuzzCalendarJSON") {
		if _, err := sla.ParseCalendar(data); err == nil {
			check("calendar", "sla.CalendarSpec", data)
		}
	}
	for _, data := range corpus(t, "sla/testdata/fuzz/FuzzCalendarsJSON") {
		if _, err := sla.ParseCalendars(data); err == nil {
			check("calendars", "", []byte(`{"version": "1", "calendars": `+string(data)+`}`))
		}
	}
	preset, err := feedback.PresetRulesJSON()
	require.NoError(t, err)
	var doc map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(preset, &doc))
	for _, data := range corpus(t, "sla/testdata/fuzz/FuzzPolicyJSON") {
		doc["sla"] = data
		full, err := json.Marshal(doc)
		require.NoError(t, err)
		if _, err := feedback.ParseRules(full); err == nil {
			check("sla policies", "", full)
		}
	}
	t.Logf("%d accepted corpus entries checked", checked)
	assert.Positive(t, checked)
}

// mutations returns variants of a JSON document: each object member
// removed, each string, array and number set to its zero value, in turn.
func mutations(doc any) []any {
	var out []any
	var walk func(v any, set func(any) any)
	walk = func(v any, set func(any) any) {
		switch v := v.(type) {
		case map[string]any:
			for _, k := range sortedKeys(v) {
				child := v[k]
				out = append(out, set(without(v, k)))
				walk(child, func(nv any) any { return set(replaced(v, k, nv)) })
			}
		case []any:
			if len(v) > 0 {
				out = append(out, set([]any{}))
			}
			for i, child := range v {
				walk(child, func(nv any) any {
					c := append([]any(nil), v...)
					c[i] = nv
					return set(c)
				})
			}
		case string:
			if v != "" {
				out = append(out, set(""))
			}
		case float64:
			if v != 0 {
				out = append(out, set(0.0))
			}
		}
	}
	walk(doc, func(v any) any { return v })
	return out
}

func without(m map[string]any, key string) map[string]any {
	c := make(map[string]any, len(m))
	for k, v := range m {
		if k != key {
			c[k] = v
		}
	}
	return c
}

func replaced(m map[string]any, key string, v any) map[string]any {
	c := without(m, key)
	c[key] = v
	return c
}

func sortedKeys(m map[string]any) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}

// TestSchemaAcceptsWhatTheDecoderAcceptsMutated removes each member and
// empties each string of the accepted documents in turn: whenever
// feedback.ParseRules still accepts the variant, the schema must too. This
// is what keeps the schema's required keys and patterns from being stricter
// than the compilers.
func TestSchemaAcceptsWhatTheDecoderAcceptsMutated(t *testing.T) {
	docs := []string{}
	for _, tc := range accepted {
		docs = append(docs, tc.doc)
	}
	if !testing.Short() {
		preset, err := feedback.PresetRulesJSON()
		require.NoError(t, err)
		docs = append(docs, string(preset))
	}
	tried, agreed, caught := 0, 0, 0
	for _, d := range docs {
		var v any
		require.NoError(t, json.Unmarshal([]byte(d), &v))
		for _, m := range mutations(v) {
			data, err := json.Marshal(m)
			require.NoError(t, err)
			tried++
			if _, err := feedback.ParseRules(data); err != nil {
				if validate(t, "", data) != nil {
					caught++
				}
				continue
			}
			agreed++
			if err := validate(t, "", data); err != nil {
				t.Errorf("the decoder accepts %s\nbut the schema says: %v", data, err)
			}
		}
	}
	t.Logf("%d variants, %d accepted by the decoder; the schema catches %d of the %d it rejects",
		tried, agreed, caught, tried-agreed)
}

// TestSubDocumentsMutated is the mutation test on every preset of the
// packages with parsers of their own, against their $defs.
func TestSubDocumentsMutated(t *testing.T) {
	if testing.Short() {
		t.Skip("mutates every preset")
	}
	type target struct {
		def   string
		parse func([]byte) error
		docs  [][]byte
	}
	preset, err := feedback.PresetRulesJSON()
	require.NoError(t, err)
	var rules map[string]json.RawMessage
	require.NoError(t, json.Unmarshal(preset, &rules))
	var targets []target
	pr := target{def: "priority.Spec", parse: func(b []byte) error { _, err := priority.Parse(b); return err }}
	for _, name := range priority.PresetNames() {
		data, err := priority.PresetJSON(name)
		require.NoError(t, err)
		pr.docs = append(pr.docs, data)
	}
	cp := target{def: "compensation.PolicySpec", parse: func(b []byte) error { _, err := compensation.ParsePolicy(b); return err }}
	for _, name := range compensation.PresetNames() {
		data, err := compensation.PresetJSON(name)
		require.NoError(t, err)
		cp.docs = append(cp.docs, data)
	}
	// SLA policies compile against a lifecycle and calendars: mutate them
	// inside the preset rules document.
	sp := target{def: "sla.PolicySetSpec", parse: func(b []byte) error {
		r := maps.Clone(rules)
		r["sla"] = b
		data, err := json.Marshal(r)
		if err != nil {
			return err
		}
		_, err = feedback.ParseRules(data)
		return err
	}}
	for _, name := range sla.PresetNames() {
		data, err := sla.PresetJSON(name)
		require.NoError(t, err)
		sp.docs = append(sp.docs, data)
	}
	targets = append(targets, pr, cp, sp)
	for _, tg := range targets {
		t.Run(tg.def, func(t *testing.T) {
			tried, agreed := 0, 0
			for _, d := range tg.docs {
				require.NoError(t, tg.parse(d))
				var v any
				require.NoError(t, json.Unmarshal(d, &v))
				for _, m := range mutations(v) {
					data, err := json.Marshal(m)
					require.NoError(t, err)
					tried++
					if tg.parse(data) != nil {
						continue
					}
					agreed++
					if err := validate(t, tg.def, data); err != nil {
						t.Errorf("the parser accepts %s\nbut the schema says: %v", data, err)
					}
				}
			}
			t.Logf("%d variants, %d accepted by the parser", tried, agreed)
		})
	}
}

// A rules document may name its schema, for editors; the library accepts it.
func TestSchemaKeyAccepted(t *testing.T) {
	doc := []byte(`{"$schema": "` + rulesschema.ID + `", "version": "1"}`)
	_, err := feedback.ParseRules(doc)
	require.NoError(t, err)
	assert.NoError(t, validate(t, "", doc))
}
