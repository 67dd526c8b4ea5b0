package rulesschema

import (
	"encoding/json"
	"fmt"
	"reflect"
	"strings"

	"github.com/invopop/jsonschema"

	"github.com/closeloop/closeloop/compensation"
	"github.com/closeloop/closeloop/feedback"
	"github.com/closeloop/closeloop/priority"
	"github.com/closeloop/closeloop/sla"
)

// Patterns of the strings the compilers parse. They are ECMA-262 regular
// expressions, as JSON Schema wants them.
const (
	// namePattern is feedback's state, trigger, clock and progress-node name.
	namePattern = `^[a-z][a-z0-9_]{0,63}$`
	// clockPattern is a time of day "HH:MM" or "HH:MM:SS" (sla.Hours start).
	clockPattern = `^([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?$`
	// clockEndPattern also accepts "24:00" (sla.Hours end).
	clockEndPattern = `^(([01][0-9]|2[0-3]):[0-5][0-9](:[0-5][0-9])?|24:00(:00)?)$`
	// datePattern is a civil date "YYYY-MM-DD".
	datePattern = `^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])$`
	// dateRangePattern is a civil date or an inclusive range "A..B".
	dateRangePattern = `^[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01])(\.\.[0-9]{4}-(0[1-9]|1[0-2])-(0[1-9]|[12][0-9]|3[01]))?$`
	// instantPattern is an RFC 3339 instant as time.Parse(time.RFC3339) reads it.
	instantPattern = `^[0-9]{4}-[0-9]{2}-[0-9]{2}T[0-9]{2}:[0-9]{2}:[0-9]{2}(\.[0-9]+)?(Z|[+-][0-9]{2}:[0-9]{2})$`
	// goDuration is the body of a time.ParseDuration string without sign.
	goDuration = `(([0-9]+(\.[0-9]*)?|\.[0-9]+)(ns|us|µs|μs|ms|s|m|h))+`
	// targetDurationPattern is an sla target duration: a Go duration or a
	// whole number of 24-hour days "3d".
	targetDurationPattern = `^(\+?[0-9]+d|\+?` + goDuration + `)$`
	// durationPattern is a non-negative Go duration (compensation measures).
	durationPattern = `^(0|\+?` + goDuration + `)$`
	// amountPattern is a plain non-negative decimal; the currency bounds
	// its fraction digits.
	amountPattern = `^[0-9]+(\.[0-9]+)?$`
	// numberPattern is a plain decimal that may be negative.
	numberPattern = `^-?[0-9]+(\.[0-9]+)?$`
	// sharePattern is a percentage with at most 9 fraction digits.
	sharePattern = `^[0-9]+(\.[0-9]{1,9})?$`
	// multiplierPattern is a multiplier with at most 6 fraction digits.
	multiplierPattern = `^[0-9]+(\.[0-9]{1,6})?$`
	// identPattern is a compensation input, flag, option or service name.
	identPattern = `^[A-Za-z0-9_][A-Za-z0-9_.:/-]*$`
	// lineNonBlankPattern is a single line that is not blank.
	lineNonBlankPattern = `^[^\r\n]*\S[^\r\n]*$`
	// linePattern is a single line.
	linePattern = `^[^\r\n]*$`
)

// ticketLevels are the priority levels tickets, routing, SLA targets and
// compensation take.
var ticketLevels = []string{"P0", "P1", "P2", "P3"}

// mapper describes named Go types that reflection would only see as
// "string": feedback.State and feedback.Trigger become definitions of their
// own, with the name pattern the lifecycle compiler checks.
func mapper(defs jsonschema.Definitions) func(reflect.Type) *jsonschema.Schema {
	custom := map[reflect.Type]*jsonschema.Schema{
		reflect.TypeFor[feedback.State](): {Type: "string", Pattern: namePattern},
		reflect.TypeFor[feedback.Trigger](): {Type: "string", Pattern: namePattern,
			Not: &jsonschema.Schema{Const: string(feedback.TriggerOpen)}},
	}
	return func(t reflect.Type) *jsonschema.Schema {
		s, ok := custom[t]
		if !ok {
			return nil
		}
		name := DefName(t)
		if _, done := defs[name]; !done {
			c := *s
			defs[name] = &c
		}
		return &jsonschema.Schema{Ref: "#/$defs/" + name}
	}
}

// refiner applies the refinements, collecting errors about properties that
// no longer exist (the Go types changed under the generator).
type refiner struct {
	defs jsonschema.Definitions
	cur  string
	errs []error
}

func (r *refiner) prop(d *jsonschema.Schema, name string) *jsonschema.Schema {
	if d.Properties != nil {
		if s, ok := d.Properties.Get(name); ok {
			return s
		}
	}
	r.errs = append(r.errs, fmt.Errorf("rulesschema: %s has no property %q", r.cur, name))
	return &jsonschema.Schema{}
}

// require sets d's required keys, checking that they exist.
func (r *refiner) require(d *jsonschema.Schema, names ...string) {
	for _, n := range names {
		r.prop(d, n)
	}
	d.Required = names
}

func (r *refiner) root(d *jsonschema.Schema) {
	r.cur = "the rules document"
	r.require(d, "version")
	r.prop(d, "version").MinLength = u(1)
	r.prop(d, "$schema").Format = "uri"
	// A calendar of the rules document is looked up by name: in a set it
	// needs one (a calendar file of its own does not).
	if cals := r.prop(d, "calendars"); cals.Items != nil {
		cals.Items.Required = append(cals.Items.Required, "name")
	}
	d.Description = "A closeloop rules document (feedback.RulesDocument), read by feedback.ParseRules. " +
		"Every section but version is optional; a missing lifecycle means the default lifecycle. " +
		"Unknown keys are errors, so this schema allows none; \"$schema\" may name this schema."
}

func u(n uint64) *uint64 { return &n }

func num(v float64) json.Number { return json.Number(fmt.Sprint(v)) }

func strs(vals ...string) []any {
	out := make([]any, len(vals))
	for i, v := range vals {
		out[i] = v
	}
	return out
}

func pattern(p string) *jsonschema.Schema { return &jsonschema.Schema{Type: "string", Pattern: p} }

func ref(def string) *jsonschema.Schema { return &jsonschema.Schema{Ref: "#/$defs/" + def} }

// has is a schema that holds when every key is present.
func has(keys ...string) *jsonschema.Schema { return &jsonschema.Schema{Required: keys} }

// constProp is a schema that holds when key has the value v.
func constProp(key string, v any) *jsonschema.Schema {
	s := &jsonschema.Schema{Properties: jsonschema.NewProperties(), Required: []string{key}}
	s.Properties.Set(key, &jsonschema.Schema{Const: v})
	return s
}

// enumProp is a schema that holds when key is one of vals.
func enumProp(key string, vals ...string) *jsonschema.Schema {
	s := &jsonschema.Schema{Properties: jsonschema.NewProperties(), Required: []string{key}}
	s.Properties.Set(key, &jsonschema.Schema{Enum: strs(vals...)})
	return s
}

// with returns a schema that also constrains the properties given as
// key/schema pairs.
func with(s *jsonschema.Schema, pairs ...any) *jsonschema.Schema {
	if s.Properties == nil {
		s.Properties = jsonschema.NewProperties()
	}
	for i := 0; i+1 < len(pairs); i += 2 {
		s.Properties.Set(pairs[i].(string), pairs[i+1].(*jsonschema.Schema))
	}
	return s
}

func ifThen(cond, then *jsonschema.Schema) *jsonschema.Schema {
	return &jsonschema.Schema{If: cond, Then: then}
}

// caseInsensitive turns a literal code into a pattern body matching it in
// any letter case.
func caseInsensitive(code string) string {
	var b strings.Builder
	for _, c := range code {
		lo, up := strings.ToLower(string(c)), strings.ToUpper(string(c))
		switch {
		case lo != up:
			b.WriteString("[" + up + lo + "]")
		case strings.ContainsRune(`\^$.|?*+()[]{}`, c):
			b.WriteString(`\` + string(c))
		default:
			b.WriteRune(c)
		}
	}
	return b.String()
}

// bandRange is the pattern of a compensation band range whose edges match
// value; lower edges may be "(-inf" when negative is true.
func bandRange(value string, negative bool) string {
	lo := `\[\s*` + value + `|\(\s*(` + value
	if negative {
		lo += `|-inf`
	}
	lo += `)`
	return `^\s*(` + lo + `)\s*,\s*(` + value + `\s*[\])]|\+?inf\s*\))\s*$`
}

// refinements add to each definition what its compiler checks and
// reflection cannot see. Keys are $defs names; a key or property that no
// longer exists is an error of Generate.
var refinements = map[string]func(r *refiner, d *jsonschema.Schema){
	// ---- feedback: lifecycle, taxonomy, routing
	"feedback.State": func(r *refiner, d *jsonschema.Schema) {
		d.Description = "A lifecycle state name: lower-case letters, digits and underscores, starting with a letter " +
			"(received, triaged, assigned, in_progress, waiting_customer, waiting_third_party, escalated, resolved, " +
			"follow_up, reopened, closed, merged, rejected are the default states)."
	},
	"feedback.Trigger": func(r *refiner, d *jsonschema.Schema) {
		d.Description = "A lifecycle trigger name: lower-case letters, digits and underscores; \"open\" is reserved for opening a ticket."
	},
	"feedback.LifecycleExtension": func(r *refiner, d *jsonschema.Schema) {
		p := r.prop(d, "pauses")
		p.PropertyNames = ref("feedback.State")
		if p.AdditionalProperties != nil {
			p.AdditionalProperties.Items = pattern(namePattern)
		}
		e := r.prop(d, "events")
		e.PropertyNames = ref("feedback.Trigger")
		if e.AdditionalProperties != nil {
			e.AdditionalProperties.Items = pattern(namePattern)
		}
		n := r.prop(d, "progress_nodes")
		n.Items = pattern(namePattern)
		n.UniqueItems = true
		setRange(r.prop(d, "reopen_limit"), 0, 1000)
		setRange(r.prop(d, "satisfied_score"), 1, 100)
		setRange(r.prop(d, "delay_notice_days"), 0, 366)
	},
	"feedback.StateSpec": func(r *refiner, d *jsonschema.Schema) {
		r.require(d, "name")
		r.prop(d, "pauses").Items = pattern(namePattern)
	},
	"feedback.TransitionSpec": func(r *refiner, d *jsonschema.Schema) {
		r.require(d, "from", "trigger")
		r.prop(d, "from").MinItems = u(1)
		g := r.prop(d, "guards")
		g.Items = &jsonschema.Schema{Type: "string", Enum: strs(feedback.GuardNames()...)}
		g.UniqueItems = true
	},
	"intake.TaxonomyTerm": func(r *refiner, d *jsonschema.Schema) {
		r.require(d, "id")
		r.prop(d, "id").MinLength = u(1)
	},
	"intake.RouterSpec": func(r *refiner, d *jsonschema.Schema) {
		r.prop(d, "default_team").Pattern = linePattern
	},
	"intake.RouteRule": func(r *refiner, d *jsonschema.Schema) {
		r.require(d, "name", "team")
		r.prop(d, "name").Pattern = lineNonBlankPattern
		r.prop(d, "team").Pattern = lineNonBlankPattern
	},
	"intake.RouteCondition": func(r *refiner, d *jsonschema.Schema) {
		for _, k := range []string{"kinds", "categories", "sub_categories", "tiers", "channels", "stages", "tags_any", "tags_all", "tags_none"} {
			r.prop(d, k).Items = pattern(lineNonBlankPattern)
		}
		r.prop(d, "priorities").Items = &jsonschema.Schema{Type: "string", Enum: strs(ticketLevels...)}
	},

	// ---- sla: calendars
	"sla.Hours": func(r *refiner, d *jsonschema.Schema) {
		d.Items = nil
		d.PrefixItems = []*jsonschema.Schema{pattern(clockPattern), pattern(clockEndPattern)}
		d.MinItems, d.MaxItems = u(2), u(2)
	},
	"sla.CalendarSpec": func(r *refiner, d *jsonschema.Schema) {
		r.prop(d, "time_zone").MinLength = u(1)
		r.prop(d, "time_zone").Examples = strs("Asia/Shanghai", "Europe/London", "UTC")
		var ci []string
		for _, code := range sla.PublicHolidaySets() {
			ci = append(ci, caseInsensitive(code))
		}
		r.prop(d, "public_holidays").Items = &jsonschema.Schema{Type: "string", AnyOf: []*jsonschema.Schema{
			{Enum: strs(sla.PublicHolidaySets()...)},
			{Pattern: `^\s*(` + strings.Join(ci, "|") + `)\s*$`},
		}}
		for _, k := range []string{"first_year", "last_year"} {
			r.prop(d, k).AnyOf = []*jsonschema.Schema{
				{Const: 0},
				{Minimum: num(sla.MinYear), Maximum: num(sla.MaxYear)},
			}
		}
		for _, k := range []string{"intersect", "union"} {
			r.prop(d, k).Items = &jsonschema.Schema{Type: "string", MinLength: u(1)}
		}
		empty := &jsonschema.Schema{MaxItems: u(0)}
		composed := func(key string) *jsonschema.Schema {
			s := with(has(key), key, &jsonschema.Schema{MinItems: u(2)})
			s.PropertyNames = &jsonschema.Schema{Enum: strs("name", key)}
			return s
		}
		d.OneOf = []*jsonschema.Schema{
			with(set("", "time_zone"), "intersect", empty, "union", empty),
			composed("intersect"),
			composed("union"),
		}
	},
	"sla.HolidaySpec": func(r *refiner, d *jsonschema.Schema) {
		r.require(d, "date")
		r.prop(d, "date").Pattern = dateRangePattern
		r.prop(d, "closed").MinItems = u(1)
	},
	"sla.WorkingDaySpec": func(r *refiner, d *jsonschema.Schema) {
		r.require(d, "date")
		r.prop(d, "date").Pattern = datePattern
		r.prop(d, "hours").MinItems = u(1)
	},

	// ---- sla: policies
	"sla.PolicySetSpec": func(r *refiner, d *jsonschema.Schema) {
		r.require(d, "policies")
		r.prop(d, "policies").MinItems = u(1)
	},
	"sla.PolicySpec": func(r *refiner, d *jsonschema.Schema) {
		r.require(d, "name", "metrics")
		r.prop(d, "name").MinLength = u(1)
		r.prop(d, "version").Minimum = num(0)
		ef := r.prop(d, "effective_from")
		ef.Pattern, ef.Format = instantPattern, "date-time"
		r.prop(d, "metrics").MinItems = u(1)
	},
	"sla.ConditionSpec": func(r *refiner, d *jsonschema.Schema) {
		r.require(d, "field", "op")
		r.prop(d, "field").Pattern = `^(kind|category|priority|channel|tier|tags|attr\..+)$`
		r.prop(d, "op").Enum = strs("eq", "ne", "in", "not_in", "contains", "has_tag", "exists", "not_exists", "at_least", "at_most")
		nonEmpty := &jsonschema.Schema{MinLength: u(1)}
		d.AllOf = []*jsonschema.Schema{
			ifThen(enumProp("op", "eq", "ne", "contains", "has_tag", "at_least", "at_most"),
				with(has("value"), "value", nonEmpty, "values", &jsonschema.Schema{MaxItems: u(0)})),
			ifThen(enumProp("op", "in", "not_in"),
				with(has("values"), "values", &jsonschema.Schema{MinItems: u(1)}, "value", &jsonschema.Schema{MaxLength: u(0)})),
			ifThen(enumProp("op", "exists", "not_exists"),
				with(&jsonschema.Schema{}, "value", &jsonschema.Schema{MaxLength: u(0)}, "values", &jsonschema.Schema{MaxItems: u(0)})),
			ifThen(constProp("field", "tags"), with(&jsonschema.Schema{}, "op",
				&jsonschema.Schema{Enum: strs("in", "not_in", "contains", "has_tag", "exists", "not_exists")})),
			ifThen(enumProp("op", "at_least", "at_most"), with(&jsonschema.Schema{}, "field", &jsonschema.Schema{Const: "priority"},
				"value", &jsonschema.Schema{Enum: strs(ticketLevels...)})),
			ifThen(constProp("op", "has_tag"), with(&jsonschema.Schema{}, "field", &jsonschema.Schema{Const: "tags"})),
		}
	},
	"sla.TargetSpec": func(r *refiner, d *jsonschema.Schema) {
		r.require(d, "unit")
		r.prop(d, "unit").Enum = strs("business", "elapsed", "working_days")
		du := r.prop(d, "duration")
		du.Pattern = targetDurationPattern
		du.Examples = strs("4h", "90m", "3d")
		setRange(r.prop(d, "days"), 1, 3660)
		r.prop(d, "calendar").MinLength = u(1)
		d.AllOf = []*jsonschema.Schema{
			{
				If:   constProp("unit", "working_days"),
				Then: with(set(0, "days"), "duration", &jsonschema.Schema{Const: ""}),
				Else: with(set("", "duration"), "days", &jsonschema.Schema{Const: 0}),
			},
			ifThen(constProp("unit", "elapsed"), unset("", "calendar")),
		}
	},
	"sla.AlertSpec": func(r *refiner, d *jsonschema.Schema) {
		r.require(d, "name")
		r.prop(d, "name").Pattern = `\S`
		p := r.prop(d, "percent")
		p.ExclusiveMinimum, p.Maximum = num(0), num(1000)
		d.OneOf = []*jsonschema.Schema{set(0, "percent"), has("before"), has("after")}
	},
	"sla.MetricSpec": func(r *refiner, d *jsonschema.Schema) {
		r.require(d, "kind", "targets")
		r.prop(d, "kind").Enum = strs("first_response", "resolution", "follow_up", "periodic_update", "time_in_stage", "custom")
		t := r.prop(d, "targets")
		t.PropertyNames = &jsonschema.Schema{Enum: strs(append(append([]string(nil), ticketLevels...), "*")...)}
		t.MinProperties = u(1)
		for _, k := range []string{"on_priority_change", "on_reopen"} {
			r.prop(d, k).Enum = strs("keep", "restart", "ignore")
		}
		r.prop(d, "warnings").Items = &jsonschema.Schema{AllOf: []*jsonschema.Schema{
			ref("sla.AlertSpec"),
			with(&jsonschema.Schema{}, "percent", &jsonschema.Schema{ExclusiveMaximum: num(100)}),
		}}
		d.AllOf = []*jsonschema.Schema{
			ifThen(constProp("kind", "time_in_stage"), with(has("stage"), "stage", &jsonschema.Schema{MinItems: u(1)})),
			ifThen(constProp("kind", "custom"), has("start")),
		}
	},

	// ---- priority
	"priority.Spec": func(r *refiner, d *jsonschema.Schema) {
		r.require(d, "method")
		r.prop(d, "method").Enum = strs("weighted", "matrix", "quadrant")
		l := r.prop(d, "levels")
		l.MinItems, l.MaxItems, l.UniqueItems = u(2), u(priority.MaxLevels), true
		l.Items = &jsonschema.Schema{Type: "string", MinLength: u(1)}
		d.AllOf = []*jsonschema.Schema{
			ifThen(constProp("method", "weighted"), with(has("weighted"), "matrix", jsonschema.FalseSchema)),
			ifThen(constProp("method", "matrix"), with(has("matrix"), "weighted", jsonschema.FalseSchema)),
			ifThen(constProp("method", "quadrant"), with(has("quadrants"), "weighted", jsonschema.FalseSchema, "matrix", jsonschema.FalseSchema)),
		}
	},
	"priority.Scale": func(r *refiner, d *jsonschema.Schema) {
		r.require(d, "max")
		setRange(r.prop(d, "min"), 0, 100)
		setRange(r.prop(d, "max"), 1, 100)
	},
	"priority.ImpactFrom": func(r *refiner, d *jsonschema.Schema) {
		for _, k := range []string{"affected", "business"} {
			r.prop(d, k).Items = &jsonschema.Schema{Type: "integer", Minimum: num(1)}
		}
	},
	"priority.TierFrom": func(r *refiner, d *jsonschema.Schema) {
		r.prop(d, "value").Items = &jsonschema.Schema{Type: "integer", Minimum: num(1)}
	},
	"priority.Weights": func(r *refiner, d *jsonschema.Schema) {
		for _, k := range []string{"impact", "urgency", "severity", "tier"} {
			setRange(r.prop(d, k), 0, 1000000)
		}
	},
	"priority.FlagPoints": func(r *refiner, d *jsonschema.Schema) {
		for _, k := range priority.FlagNames() {
			setRange(r.prop(d, k), 0, 1000000)
		}
	},
	"priority.Weighted": func(r *refiner, d *jsonschema.Schema) {
		r.require(d, "bands")
		r.prop(d, "bands").MinItems = u(1)
	},
	"priority.Band": func(r *refiner, d *jsonschema.Schema) {
		r.require(d, "level")
		r.prop(d, "level").MinLength = u(1)
	},
	"priority.Matrix": func(r *refiner, d *jsonschema.Schema) {
		r.require(d, "rows", "columns", "cells")
		inputs := strs("impact", "urgency", "severity", "tier")
		r.prop(d, "rows").Enum = inputs
		r.prop(d, "columns").Enum = inputs
	},
	"priority.Quadrants": func(r *refiner, d *jsonschema.Schema) {
		r.require(d, "urgent", "important")
		for _, k := range []string{"urgent", "important"} {
			old := r.prop(d, k)
			d.Properties.Set(k, &jsonschema.Schema{Description: old.Description,
				AllOf: []*jsonschema.Schema{{Ref: old.Ref}, {MinProperties: u(1)}}})
		}
	},
	"priority.QuadrantLevels": func(r *refiner, d *jsonschema.Schema) {
		r.require(d, "do_now", "plan", "coordinate", "backlog")
	},
	"priority.Condition": func(r *refiner, d *jsonschema.Schema) {
		r.prop(d, "flags").Items = &jsonschema.Schema{Type: "string", Enum: strs(priority.FlagNames()...)}
		for _, k := range []string{"impact_at_least", "urgency_at_least", "severity_at_least", "tier_at_least", "affected_at_least", "business_at_least"} {
			r.prop(d, k).Minimum = num(0)
		}
	},
	"priority.Override": func(r *refiner, d *jsonschema.Schema) {
		r.require(d, "name")
		r.prop(d, "name").MinLength = u(1)
		r.prop(d, "raise_by").Minimum = num(1)
		d.OneOf = []*jsonschema.Schema{
			set("", "raise_to"), set(0, "raise_by"),
			with(set("", "floor"), "when", jsonschema.FalseSchema),
			with(set("", "cap"), "when", jsonschema.FalseSchema),
		}
	},

	// ---- compensation
	"compensation.PolicySpec": func(r *refiner, d *jsonschema.Schema) {
		r.require(d, "name", "currency", "rounding", "schedules")
		r.prop(d, "name").MinLength = u(1)
		var codes []string
		for _, c := range compensation.Currencies() {
			codes = append(codes, c.Code)
		}
		r.prop(d, "currency").Enum = strs(codes...)
		r.prop(d, "rounding").Enum = strs("half_up", "half_even", "down", "up")
		r.prop(d, "combine").Enum = strs("sum", "max")
		r.prop(d, "schedules").MinItems = u(1)
		r.prop(d, "approval_above").Pattern = amountPattern
		setRange(r.prop(d, "voucher_min_valid_days"), 1, 36600)
		d.AllOf = []*jsonschema.Schema{
			ifThen(with(&jsonschema.Schema{}, "schedules", &jsonschema.Schema{MinItems: u(2)}), set("", "combine")),
		}
	},
	"compensation.MultipliersSpec": func(r *refiner, d *jsonschema.Schema) {
		r.prop(d, "tier").AdditionalProperties = pattern(multiplierPattern)
		p := r.prop(d, "priority")
		p.AdditionalProperties = pattern(multiplierPattern)
		p.PropertyNames = &jsonschema.Schema{Enum: strs(ticketLevels...)}
	},
	"compensation.LimitsSpec": func(r *refiner, d *jsonschema.Schema) {
		for _, k := range []string{"ticket_floor", "ticket_cap", "customer_period_cap"} {
			r.prop(d, k).Pattern = amountPattern
		}
	},
	"compensation.ScheduleSpec": func(r *refiner, d *jsonschema.Schema) {
		r.require(d, "name", "measure", "bands")
		r.prop(d, "name").MinLength = u(1)
		byKind := func(kind, rng string) *jsonschema.Schema {
			band := with(&jsonschema.Schema{}, "range", pattern(rng))
			return ifThen(with(has("measure"), "measure", constProp("kind", kind)),
				with(&jsonschema.Schema{}, "bands", &jsonschema.Schema{Items: band}))
		}
		dur := goDuration
		d.AllOf = []*jsonschema.Schema{
			byKind("duration", bandRange(`(0|\+?`+dur+`)`, false)),
			byKind("amount", bandRange(`[0-9]+(\.[0-9]+)?`, false)),
			byKind("percentage", bandRange(`[0-9]+(\.[0-9]+)?`, false)),
			byKind("number", bandRange(`-?[0-9]+(\.[0-9]+)?`, true)),
		}
	},
	"compensation.MeasureSpec": func(r *refiner, d *jsonschema.Schema) {
		r.require(d, "kind", "input")
		r.prop(d, "kind").Enum = strs("duration", "amount", "percentage", "number")
		r.prop(d, "input").Pattern = identPattern
	},
	"compensation.BandSpec": func(r *refiner, d *jsonschema.Schema) {
		r.require(d, "name", "range")
		r.prop(d, "name").MinLength = u(1)
		rg := r.prop(d, "range")
		rg.Pattern = `^\s*[\[(]\s*[^,\s]+\s*,\s*[^,\s]+\s*[\])]\s*$`
		rg.Examples = strs("[3h, 12h)", "(1500, 3500]", "(3500, inf)")
	},
	"compensation.ReductionSpec": func(r *refiner, d *jsonschema.Schema) {
		r.require(d, "name", "percent", "when")
		r.prop(d, "percent").Pattern = sharePattern
		r.prop(d, "when").MinItems = u(1)
	},
	"compensation.ConditionSpec": func(r *refiner, d *jsonschema.Schema) {
		r.prop(d, "flag").Pattern = identPattern
		r.prop(d, "op").Enum = strs("<", "<=", ">", ">=", "=")
		r.prop(d, "priority_in").Items = &jsonschema.Schema{Type: "string", Enum: strs(ticketLevels...)}
		compare := func(key, valuePattern string) *jsonschema.Schema {
			s := set("", key, "op", "value")
			s.Properties.Set("is", jsonschema.FalseSchema)
			s.Properties.Set("value", &jsonschema.Schema{AllOf: []*jsonschema.Schema{pattern(valuePattern)}})
			return s
		}
		list := func(key string) *jsonschema.Schema {
			return with(has(key), "is", jsonschema.FalseSchema, "op", &jsonschema.Schema{Const: ""}, "value", &jsonschema.Schema{Const: ""})
		}
		d.OneOf = []*jsonschema.Schema{
			with(set("", "flag"), "op", &jsonschema.Schema{Const: ""}, "value", &jsonschema.Schema{Const: ""}),
			compare("duration", durationPattern),
			compare("amount", amountPattern),
			compare("number", numberPattern),
			list("tier_in"),
			list("priority_in"),
		}
	},
	"compensation.OptionSpec": func(r *refiner, d *jsonschema.Schema) {
		r.require(d, "id", "kind")
		r.prop(d, "id").Pattern = identPattern
		r.prop(d, "kind").Enum = strs("cash", "credit", "voucher", "points", "service_days", "service")
		r.prop(d, "formula").Enum = strs("fixed", "percent", "multiple", "per_period")
		for _, k := range []string{"amount", "min", "max", "per_period", "floor", "cap"} {
			r.prop(d, k).Pattern = amountPattern
		}
		r.prop(d, "percent").Pattern = sharePattern
		r.prop(d, "multiple").Pattern = multiplierPattern
		r.prop(d, "base").Pattern = identPattern
		r.prop(d, "service").Pattern = identPattern
		r.prop(d, "max_periods").Minimum = num(0)
		r.prop(d, "valid_days").Minimum = num(1)
		r.prop(d, "points").Minimum = num(0)
		setRange(r.prop(d, "days"), 1, 36600)
		d.AllOf = []*jsonschema.Schema{
			ifThen(enumProp("kind", "cash", "credit", "voucher"), set("", "formula")),
			ifThen(constProp("kind", "points"), has("points")),
			ifThen(constProp("kind", "service_days"), has("days")),
			ifThen(constProp("kind", "service"), set("", "service")),
			ifThen(constProp("formula", "fixed"), set("", "amount")),
			ifThen(constProp("formula", "percent"), set("", "percent", "base")),
			ifThen(constProp("formula", "multiple"), set("", "multiple", "base")),
			ifThen(constProp("formula", "per_period"), set("", "per_period", "after", "every")),
		}
	},
}

func setRange(s *jsonschema.Schema, lo, hi float64) {
	s.Minimum, s.Maximum = num(lo), num(hi)
}
