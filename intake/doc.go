// # Intake, classification, routing, privacy, the customer's view, improvement plans
//
// Everything around the ticket lifecycle that turns raw feedback from many
// channels into clean, routed, explainable tickets and carries the fixes
// back to the customer. All of it is rules as data, decoded strictly (unknown
// fields are errors, reported as *rulesjson.PathError with a JSON path such
// as "$.rules[2].when.priorities[0]"), compiled once into immutable values
// that are safe for concurrent use. Nothing reads the clock: callers pass now.
//
// # Intake
//
// An [Intake] holds the registration fields of document 002 table 1 (feedback
// ID, customer and contact, product model or service item, purchase/service
// date, channel, received-at, description, expected solution, remedies
// already tried, ticket number, owner), document 003's sentiment, the
// taxonomy fields (kind, category, sub-category, stage, tier), tags and the
// host's own attributes. An [IntakeForm] is the same as text, the way a web
// form or a spreadsheet row delivers it. [IntakeValidator.Parse] and
// [IntakeValidator.Validate] apply these rules:
//
//   - Required fields are configurable ([IntakeRules.Required]); by default
//     feedback ID, customer name, contact, channel, received-at and description.
//   - Timestamps are exact: "YYYY-MM-DD HH:MM:SS" in the rules' time zone, or
//     RFC 3339 with an offset. "2024-03-01 10:30", "近日" and "yesterday" are
//     rejected ([ErrInexactTime]). A purchase date may be "YYYY-MM-DD".
//   - received_at and occurred_at may not lie after now + FutureSkew (5 min);
//     occurred_at and the purchase date may not lie after received_at.
//   - Every text field has a length limit in characters (feedback ID 64,
//     names 100, description 5000, …; overridable) and may not contain
//     control or format characters or invalid UTF-8; only description,
//     expected and tried_remedies may contain line breaks.
//   - Kind, category, sub-category (below its category), stage, tier,
//     channel and tags must be known to the [Taxonomy] unless that list is
//     free; they are stored as term IDs, whatever name was typed.
//   - Test accounts and spam keywords reject the record ([ErrRejected]).
//   - Feedback IDs are unique: [IntakeValidator.ParseBatch] rejects an ID used
//     earlier in the same import or already recorded by the host
//     ([ErrDuplicateID]); the other rows are unaffected.
//
// All problems are reported together in one [*IntakeError], one
// [FieldProblem] per field ("received_at", "tags[2]", "attributes.colour"),
// each wrapping a sentinel ([ErrRequired], [ErrTooLong], [ErrBadText], …) or
// an [*UnknownValueError], so errors.Is and errors.As work on the whole error.
//
// # Taxonomy
//
// A [Taxonomy] is data: kinds, categories with sub-categories, tags,
// channels, customer tiers and business stages, each a list of terms with a
// stable ID and the names people type ("产品故障类", "Product Fault"). Lookup
// ignores case, full-width forms and the difference between spaces, '-' and
// '_'. A list marked free accepts unknown values as they are. The documents'
// lists ship as presets ([PresetTaxonomy002], [PresetTaxonomy003],
// [PresetTaxonomy004]). Extending at run time — document 003's "add a
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
// lists every keyword matched, the rule it belongs to and its byte offset:
// it is a suggestion, the host decides.
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
// [RoutingRules] are ordered: the first rule whose condition holds assigns
// its team, and the [Route] names the rule; otherwise the default team, or
// [ErrNoRoute]. A condition lists values per field (kind, category,
// sub-category, priority "P0".."P3", tier, channel, stage); every listed
// field must match one of its values; tags_any, tags_all and tags_none test
// the tags. [PresetRoutingSpec] is document 002 step 2: P0/P1 product faults
// to technical support, service experience to the service supervisor,
// demands and suggestions to the product manager (other feedback to
// customer service: our default, the document is silent). Route does not
// allocate; [RoutingRules.Explain] traces every rule for a person.
//
// # Privacy
//
// A [Redactor] masks personal data in any text with a configurable mask,
// keeping a configurable number of characters at each end: Chinese mobile
// numbers (document 002's own 138****5678), landlines with area code,
// international numbers with '+', Chinese resident ID numbers, other long
// digit runs (cards, accounts), e-mail local parts, Chinese and English
// street addresses, and the names the caller passes. Dates and letter-prefixed
// record numbers (F20240301001) are left alone unless they hide a mobile
// number. It over-masks rather than leaks: no more than four consecutive
// digits of a mobile number survive, wherever it sits (fuzzed).
// [Redactor.RedactIntake] masks a whole intake for an export. [ArchiveName] builds
// document 002's archive name "customer ID + feedback date + problem type".
//
// # The customer's view
//
// [NewProgressView] builds a redacted view for a portal or an SMS from plain
// inputs: the progress nodes reached with their instants (document 000's
// accepted → awaiting inspection → under repair → completed by default, or
// document 004's six steps), the team now handling it and the promised time.
// Nodes up to the current one count as reached; a reopened ticket no longer
// shows "completed". [ProgressView.Text] renders one line.
//
// # Improvement plans and root causes
//
// An [ImprovementPlan] is document 002 table 3 (ID, linked feedback, root
// cause, measures, department, owner, planned start and finish, actual
// finish, status in progress / done / delayed). Its dates count by calendar
// date. A delay request ([ImprovementPlan.FileDelay]) needs a reason and a new
// plan and must be filed at least one working day before the planned finish:
// at least one working day must lie after the filing date, up to and
// including the planned finish date (due Friday: file by Thursday; due
// Monday: by the Friday before). It is then approved (the planned finish
// moves; the first one is kept) or rejected ([ImprovementPlan.DecideDelay]).
// [ImprovementPlan.Outcome] reports a finished plan as early, on time or
// late, in calendar days and in working days (the working days after the
// earlier date up to and including the later one): table 3's first row,
// due Sunday 03-10 and done Saturday 03-09, is one calendar day but zero
// working days early. Working days come from any [WorkingDays], such as
// *sla.Calendar. [LinkRootCauses] gathers feedback and plans under their root
// causes so that a fault seen twice or more is marked Repeated.
//
// # Worked example
//
//	tax := feedback.PresetTaxonomy002()
//	v, _ := feedback.NewIntakeValidator(feedback.IntakeRules{TimeZone: "Asia/Shanghai"}, tax)
//	in, err := v.Parse(feedback.IntakeForm{
//		FeedbackID: "F20240301001", CustomerName: "张*", Contact: "13856785678",
//		Channel: "客服", ReceivedAt: "2024-03-01 10:30:00",
//		Description: "手机充电1小时仅充入20%，怀疑电池故障",
//	}, now)                                   // err: nil; in.Channel == "phone"
//	c := feedback.PresetClassifier().Classify(in.Description)
//	// c.Category == "product_fault", c.Tags == [battery feature_defect],
//	// c.Matches: 充电, 电池 (rule battery), 故障 (rule malfunction)
//	in.Category = c.Category                  // the host accepts the suggestion
//	r, _ := feedback.PresetRoutingRules().Route(feedback.RouteInputFromIntake(in, "P1"))
//	// r.Team == "technical_support", r.Rule == "p0-p1-product-fault"
//	feedback.DefaultRedactor().Redact("请致电13856785678") // "请致电138****5678"
package intake
