package rulesschema

import (
	"fmt"
	"strings"

	"github.com/invopop/jsonschema"
)

// fieldDocs describe the properties whose Go fields have no doc comment of
// their own (the type's comment explains them together). Keys are
// "<$defs name>.<property>"; a description from a doc comment wins.
var fieldDocs = map[string]string{
	"intake.RouteCondition.kinds":             "Matches when the feedback's kind is one of these (taxonomy IDs or names).",
	"intake.RouteCondition.categories":        "Matches when the feedback's category is one of these.",
	"intake.RouteCondition.sub_categories":    "Matches when the feedback's sub-category is one of these (under the categories listed, if any).",
	"intake.RouteCondition.tiers":             "Matches when the customer's tier is one of these.",
	"intake.RouteCondition.channels":          "Matches when the channel is one of these.",
	"intake.RouteCondition.stages":            "Matches when the stage is one of these.",
	"intake.RouteCondition.tags_any":          "Matches when the feedback has at least one of these tags.",
	"intake.RouteCondition.tags_all":          "Matches when the feedback has all of these tags.",
	"intake.RouteCondition.tags_none":         "Matches when the feedback has none of these tags.",
	"intake.RouteRule.name":                   "Name of the rule, unique, shown in routing decisions.",
	"intake.RouteRule.when":                   "The condition; an empty condition matches everything.",
	"intake.RouteRule.team":                   "The team the ticket goes to when the rule matches.",
	"intake.RouterSpec.rules":                 "Rules in order; the first that matches wins.",
	"intake.RouterSpec.default_team":          "The team of tickets no rule matches (optional).",
	"intake.TaxonomyList.terms":               "The terms of the dimension.",
	"intake.TaxonomyList.free":                "Accept values outside the list as they are.",
	"intake.TaxonomyList.free_subs":           "Categories only: accept unknown sub-categories.",
	"intake.TaxonomySpec.name":                "Name of the taxonomy, for messages.",
	"intake.TaxonomySpec.kinds":               "Kinds of feedback: complaint, suggestion, inquiry...",
	"intake.TaxonomySpec.categories":          "Problem types, each with its sub-categories.",
	"intake.TaxonomySpec.tags":                "Free labels such as \"UI issue\" or \"packaging\".",
	"intake.TaxonomySpec.channels":            "Channels: phone, online chat, e-mail...",
	"intake.TaxonomySpec.tiers":               "Customer tiers: new, returning, high-value, VIP...",
	"intake.TaxonomySpec.stages":              "Stages: pre-sales, after-sales, technical support...",
	"intake.TaxonomyTerm.id":                  "The stable ID the host stores and rules refer to.",
	"intake.TaxonomyTerm.names":               "The names people type for the term, in any language.",
	"feedback.TransitionSpec.from":            "The states the transition starts from (at least one).",
	"feedback.TransitionSpec.trigger":         "The trigger that fires the transition.",
	"feedback.TransitionSpec.to":              "The state the ticket moves to; omitted, the ticket stays where it is.",
	"feedback.TransitionSpec.guards":          "Named guards that must all hold.",
	"priority.Band.level":                     "The level (a name from levels) of scores of at least at_least.",
	"priority.Band.at_least":                  "The lowest score of the band.",
	"priority.Condition.urgency_at_least":     "Holds if the urgency is at least this.",
	"priority.Condition.severity_at_least":    "Holds if the severity is at least this.",
	"priority.Condition.tier_at_least":        "Holds if the customer tier is at least this.",
	"priority.Condition.affected_at_least":    "Holds if at least this many customers are affected.",
	"priority.Condition.business_at_least":    "Holds if at least this much business is affected.",
	"priority.FlagPoints.personal_safety":     "Points when a person's safety is at risk.",
	"priority.FlagPoints.major_property_loss": "Points for a major property loss.",
	"priority.FlagPoints.legal_risk":          "Points for a legal or regulatory risk.",
	"priority.FlagPoints.core_function":       "Points when a core function is down.",
	"priority.FlagPoints.repeated_fault":      "Points when the same fault came back.",
	"priority.Matrix.cells":                   "cells[i][j] is the level for rows value min+i and columns value min+j; row 0 and column 0 are the lowest values.",
	"priority.Override.when":                  "The condition of raise_to and raise_by; floor and cap take none.",
	"priority.Override.raise_to":              "If when holds, the level becomes at least as urgent as this.",
	"priority.Override.raise_by":              "If when holds, the level becomes this many steps more urgent.",
	"priority.Override.floor":                 "The level is never less urgent than this.",
	"priority.Override.cap":                   "The level is never more urgent than this.",
	"priority.QuadrantLevels.do_now":          "Level of urgent and important feedback.",
	"priority.QuadrantLevels.plan":            "Level of important, not urgent feedback.",
	"priority.QuadrantLevels.coordinate":      "Level of urgent, not important feedback.",
	"priority.QuadrantLevels.backlog":         "Level of feedback neither urgent nor important.",
	"priority.Scale.min":                      "Lowest value, 0..99.",
	"priority.Scale.max":                      "Highest value, above min, at most 100.",
	"priority.Scale.labels":                   "One label per value from min to max, shown in reasons.",
	"priority.Weights.impact":                 "Points per impact step.",
	"priority.Weights.urgency":                "Points per urgency step.",
	"priority.Weights.severity":               "Points per severity step.",
	"priority.Weights.tier":                   "Points per customer-tier step.",
	"sla.AlertSpec.name":                      "Name of the warning or escalation level, shown in alerts.",
	"sla.AlertSpec.percent":                   "Reached at this percentage of the target: (0, 100) for a warning, (0, 1000] for an escalation.",
	"sla.AlertSpec.before":                    "Reached this long before the deadline.",
	"sla.AlertSpec.after":                     "Reached this long after the clock started.",
	"sla.ConditionSpec.field":                 "kind, category, priority, channel, tier, tags or attr.<name>.",
	"sla.ConditionSpec.op":                    "eq, ne, in, not_in, contains, has_tag, exists, not_exists, at_least, at_most.",
	"sla.ConditionSpec.value":                 "The value of eq, ne, contains, has_tag, at_least and at_most.",
	"sla.ConditionSpec.values":                "The values of in and not_in.",
	"sla.HolidaySpec.name":                    "Name of the holiday, for people.",
	"sla.HolidaySpec.closed":                  "The closed stretches of a part-day closure; omitted, the whole day is closed.",
	"sla.TargetSpec.unit":                     "business (open time on a calendar), elapsed (wall-clock time) or working_days.",
	"sla.TargetSpec.duration":                 "For business and elapsed: a Go duration (\"4h\", \"90m\", \"1h30m\") or whole 24-hour days (\"3d\").",
	"sla.TargetSpec.days":                     "For working_days: the number of working days, 1..3660.",
	"sla.TargetSpec.calendar":                 "For business and working_days: the calendar's name; the default calendar when omitted.",
	"sla.WeekHours.mon":                       "Monday's open stretches.",
	"sla.WeekHours.tue":                       "Tuesday's open stretches.",
	"sla.WeekHours.wed":                       "Wednesday's open stretches.",
	"sla.WeekHours.thu":                       "Thursday's open stretches.",
	"sla.WeekHours.fri":                       "Friday's open stretches.",
	"sla.WeekHours.sat":                       "Saturday's open stretches.",
	"sla.WeekHours.sun":                       "Sunday's open stretches.",
	"sla.WhenSpec.all":                        "Conditions that must all hold.",
	"sla.WhenSpec.any":                        "Conditions of which at least one must hold, when not empty.",
	"sla.WorkingDaySpec.name":                 "Name of the extra working day, for people.",
	"sla.WorkingDaySpec.hours":                "The open stretches of that day.",
}

// describe applies fieldDocs to defs.
func describe(defs jsonschema.Definitions) error {
	for _, key := range sortedKeys(fieldDocs) {
		i := strings.LastIndex(key, ".")
		d, ok := defs[key[:i]]
		if !ok || d.Properties == nil {
			return fmt.Errorf("rulesschema: fieldDocs names %q, which is not in $defs", key[:i])
		}
		p, ok := d.Properties.Get(key[i+1:])
		if !ok {
			return fmt.Errorf("rulesschema: fieldDocs names %q, which has no such property", key)
		}
		if p.Description == "" {
			p.Description = fieldDocs[key]
		}
	}
	return nil
}
