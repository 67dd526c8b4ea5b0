package feedback

import (
	"maps"
	"strings"
	"time"

	"github.com/closeloop/closeloop/intake"
)

// IntakeActor is the actor of an opening made from an intake that names no
// owner: the registration itself.
const IntakeActor = "intake"

// compileIntake compiles the rules' intake section with the rules'
// taxonomy. A section without a time zone (or no section) reads
// offset-less timestamps in the default calendar's zone, else in UTC.
func (r *Rules) compileIntake(spec *intake.ValidatorSpec) error {
	var ir intake.ValidatorSpec
	if spec != nil {
		ir = *spec
	}
	if ir.TimeZone == "" && r.defaultCalendar != "" {
		if cal, ok := r.calendars.Get(r.defaultCalendar); ok {
			ir.TimeZone = cal.Location().String()
		}
	}
	v, err := intake.NewValidator(ir, r.taxonomy)
	if err != nil {
		return err
	}
	r.intake = v
	return nil
}

// IntakeValidator returns the validator of the rules' intake section: the
// section's rules (document 002 step 1's required fields by default), the
// rules' taxonomy, and timestamps without an offset read in the section's
// time zone or, when it names none, the default calendar's — so a
// registration typed as "2024-03-01 10:30:00" is the same wall-clock
// instant the ticket's deadlines count from. Never nil.
func (r *Rules) IntakeValidator() *intake.Validator { return r.intake }

// OpeningFromIntake turns a registration into the opening of its ticket.
//
// The intake is validated first with the rules' intake section and
// taxonomy (IntakeValidator().Validate, without the check against now,
// which the host made when it accepted the registration): every problem
// comes back in one *[intake.Error], and names typed by people ("客服",
// "VIP会员") become the taxonomy's IDs ("phone", "vip"). A feedback ID and
// the received-at instant are required even when the section does not
// require them: a ticket has both. Then:
//
//	feedback ID      → Opening.ID
//	received-at      → Opening.At
//	owner            → Opening.Actor (IntakeActor when the intake names none)
//	customer ID      → Opening.Customer
//	channel          → Opening.Channel
//	category         → Opening.Category
//	kind, tier, stage, sub-category, sentiment, product
//	                 → the attributes "kind", "tier", "stage", "sub_category",
//	                   "sentiment", "product"
//	tags             → the attribute "tags", comma-separated
//	attributes       → the attributes, under their own names
//
// The intake's own fields win over a host attribute of the same name.
// Personal data (customer name, contact) stays in the host's record of the
// intake and is not copied into the ticket, whose history the host keeps
// and exports. The opening's calendar is left to the rules' default.
//
// SLA policies read "kind", "tier", "tags" and any "attr.<name>" from the
// attributes, and triage reads "tier" for the priority (see
// [Rules.IntakeValidator] and docs/trace.md).
func (r *Rules) OpeningFromIntake(in intake.Intake) (Opening, error) {
	v, err := r.intake.Validate(in, time.Time{})
	if err != nil {
		return Opening{}, err
	}
	// A ticket needs both, whatever the intake section requires.
	var probs []intake.FieldProblem
	if v.FeedbackID == "" {
		probs = append(probs, intake.FieldProblem{Field: intake.FieldFeedbackID, Message: intake.ErrRequired.Error(), Err: intake.ErrRequired})
	}
	if v.ReceivedAt.IsZero() {
		probs = append(probs, intake.FieldProblem{Field: intake.FieldReceivedAt, Message: intake.ErrRequired.Error(), Err: intake.ErrRequired})
	}
	if probs != nil {
		return Opening{}, &intake.Error{FeedbackID: v.FeedbackID, Problems: probs}
	}
	o := Opening{ID: v.FeedbackID, At: v.ReceivedAt, Actor: v.Owner, Customer: v.CustomerID,
		Channel: v.Channel, Category: v.Category}
	if o.Actor == "" {
		o.Actor = IntakeActor
	}
	attrs := maps.Clone(v.Attributes)
	for _, f := range [...]struct{ key, val string }{
		{intake.FieldKind, v.Kind}, {intake.FieldTier, v.Tier}, {intake.FieldStage, v.Stage}, {intake.FieldSubCategory, v.SubCategory},
		{intake.FieldSentiment, string(v.Sentiment)}, {intake.FieldProduct, v.Product}, {intake.FieldTags, strings.Join(v.Tags, ",")},
	} {
		if f.val == "" {
			continue
		}
		if attrs == nil {
			attrs = make(map[string]string, 7)
		}
		attrs[f.key] = f.val
	}
	o.Attributes = attrs
	return o, nil
}
