// Package intake turns raw feedback from many channels into clean,
// classified, routed registrations: validation of what a form, a
// spreadsheet row or an import delivers, the taxonomy the values come from,
// a classification assist, duplicate detection and routing to a team. It is
// the front of closed-loop feedback handling; the ticket that follows a
// registration is package [github.com/closeloop/closeloop/feedback]'s
// (its Rules.OpeningFromIntake turns an [Intake] into a ticket's opening).
//
// Everything here is rules as data ([ValidatorSpec], [TaxonomySpec],
// [ClassifierSpec], [RouterSpec]), decoded strictly ([ParseValidator],
// [ParseTaxonomy], [ParseClassifier], [ParseRouter]: unknown fields are
// errors, each a *[closeloop.PathError] with a JSON path
// such as "$.rules[2].when.priorities[0]") or compiled from Go values
// ([NewValidator], [NewTaxonomy], [NewClassifier], [NewRouter]) into
// immutable values that are safe for concurrent use. Nothing reads the
// clock: callers pass now. The package imports none of closeloop's other
// public packages.
//
// # Intake
//
// An [Intake] holds the registration fields of document 002 table 1 (feedback
// ID, customer and contact, product model or service item, purchase/service
// date, channel, received-at, description, expected solution, remedies
// already tried, ticket number, owner), document 003's sentiment, the
// taxonomy fields (kind, category, sub-category, stage, tier), tags and the
// host's own attributes. A [Form] is the same as text, the way a web
// form or a spreadsheet row delivers it. [Validator.Parse] and
// [Validator.Validate] apply these rules:
//
//   - Required fields are configurable ([ValidatorSpec.Required]); by default
//     feedback ID, customer name, contact, channel, received-at and description.
//   - Timestamps are exact: "YYYY-MM-DD HH:MM:SS" in the rules' time zone, or
//     RFC 3339 with an offset. "2024-03-01 10:30", "近日" and "yesterday" are
//     rejected ([ErrInexactTime]). A purchase date may be "YYYY-MM-DD".
//   - received_at and occurred_at may not lie after now +
//     [ValidatorSpec.FutureSkew] (5 min); occurred_at and the purchase date may
//     not lie after received_at.
//   - Every text field has a length limit in characters (feedback ID 64,
//     names 100, description 5000, …; overridable) and may not contain
//     control or format characters or invalid UTF-8; only description,
//     expected and tried_remedies may contain line breaks.
//   - Kind, category, sub-category (below its category), stage, tier,
//     channel and tags must be known to the [Taxonomy] unless that list is
//     free; they are stored as term IDs, whatever name was typed.
//   - Test accounts and spam keywords reject the record ([ErrRejected]).
//   - Feedback IDs are unique: [Validator.ParseBatch] rejects an ID used
//     earlier in the same import or already recorded by the host
//     ([ErrDuplicateID]); the other rows are unaffected.
//
// All problems are reported together in one *[Error], one
// [FieldProblem] per field ("received_at", "tags[2]", "attributes.colour"),
// each wrapping a sentinel ([ErrRequired], [ErrTooLong], [ErrBadText], …) or
// an *[UnknownValueError], so [errors.Is] and [errors.As] work on the whole
// error. Other records that are checked field by field (improvement plans, the
// customer's progress view) report their problems as [FieldProblem] values too.
//
// # Taxonomy
//
// A [Taxonomy] is data: kinds, categories with sub-categories, tags,
// channels, customer tiers and business stages, each a list of terms with a
// stable ID and the names people type ("产品故障类", "Product Fault"). Lookup
// ignores case, full-width forms and the difference between spaces, '-' and
// '_'. A list marked free accepts unknown values as they are. The documents'
// lists ship as presets, compiled by [PresetTaxonomy]: [PresetAfterSales]
// (document 002), [PresetEcommerce] (document 003) and [PresetEnterprise]
// (document 004). Extending at run time — document 003's "add a
// packaging tag" — returns a new value ([Taxonomy.WithTag],
// [Taxonomy.WithSubCategory], [Taxonomy.WithTerm]); a taxonomy already shared
// between goroutines is never changed.
//
// # Classification assist
//
// A [Classifier] holds keyword rules: when any keyword of a rule occurs in a
// description, the rule adds its weight (default 1) to its category once per
// occurrence and contributes its tags. The category with the highest total
// wins (ties: the category of the earlier rule), with the sub-category of its
// best-scoring rule that names one. Sentiment keywords vote: more
// satisfied than dissatisfied words is "satisfied", fewer is
// "dissatisfied", otherwise "neutral". Matching is case-insensitive and folds
// full-width forms; Chinese keywords match anywhere (no spaces between words),
// keywords beginning or ending with an ASCII letter or digit match only at a
// word boundary on that side; overlapping hits resolve leftmost-longest, so
// "不满意" is not also read as "满意". All keywords run in one Aho–Corasick
// automaton, so the cost is per byte of text, not per keyword. The result
// lists the keywords matched, the rule each belongs to and its byte offset —
// the first [MaxListedMatches] in text order, with [Classification.MoreMatches]
// counting the rest, which the scores include — so a long text cannot make the
// result grow without bound. It is a suggestion, the host decides.
// [PresetClassifier] holds keywords for the after-sales taxonomy's categories,
// in Chinese and English.
//
// # Duplicates
//
// [FindDuplicates] reports the host's recent intakes that are likely the same
// problem from the same customer, with a reason: same customer ID (or, when
// either lacks one, the same contact, phones compared by digits), received
// within a window (7 days), not different categories, sub-categories or
// products where both have them, and descriptions at least 60% alike (Dice
// coefficient of character pairs after removing punctuation and spaces).
// Duplicates are merged by the host, not deleted.
//
// # Routing
//
// A [Router]'s rules are ordered: the first rule whose condition holds
// assigns its team, and the [Route] names the rule; otherwise the default team, or
// [ErrNoRoute]. A condition lists values per field (kind, category,
// sub-category, priority "P0".."P3", tier, channel, stage); every listed
// field must match one of its values; tags_any, tags_all and tags_none test
// the tags; [RouteInputFrom] fills the input from an intake and its
// priority. [PresetRouterSpec] is document 002 step 2: P0/P1 product faults
// to technical support, service experience to the service supervisor,
// demands and suggestions to the product manager (other feedback to
// customer service: our default, the document is silent). Route does not
// allocate; [Router.Explain] traces every rule for a person.
//
// # Worked example
//
//	tax, _ := intake.PresetTaxonomy(intake.PresetAfterSales)
//	v, _ := intake.NewValidator(intake.ValidatorSpec{TimeZone: "Asia/Shanghai"}, tax)
//	in, err := v.Parse(intake.Form{
//		FeedbackID: "F20240301001", CustomerName: "张*", Contact: "13856785678",
//		Channel: "客服", ReceivedAt: "2024-03-01 10:30:00",
//		Description: "手机充电1小时仅充入20%，怀疑电池故障",
//	}, now)                                   // err: nil; in.Channel == "phone"
//	c := intake.PresetClassifier().Classify(in.Description)
//	// c.Category == "product_fault", c.Tags == [battery feature_defect],
//	// c.Matches: 充电, 电池 (rule battery), 故障 (rule malfunction)
//	in.Category = c.Category                  // the host accepts the suggestion
//	r, _ := intake.PresetRouter().Route(intake.RouteInputFrom(in, "P1"))
//	// r.Team == "technical_support", r.Rule == "p0-p1-product-fault"
//
// The numbered documents ("document 002") are closeloop's five source
// documents on customer-feedback handling; docs/documents.md in the
// repository (https://github.com/closeloop/closeloop/blob/main/docs/documents.md)
// says what each is, and docs/trace.md where each of their rules lives.
package intake
