// Package closeloop holds what every closeloop package shares: the error
// contract of rules documents ([PathError] and the decoding sentinels such
// as [ErrUnknownField]) and the priority levels ([Level], "P0".."P9").
//
// closeloop is an embeddable library for closed-loop customer-feedback
// handling: tickets whose life is a state machine, response and resolution
// deadlines on real business calendars, explainable priority, tiered
// compensation in exact money and mergeable KPIs. It is pure: the host
// passes data and "now" in; the library returns decisions, deadlines,
// amounts and figures. The packages, leaves first:
//
//   - [github.com/closeloop/closeloop/priority]: explainable priority scoring.
//   - [github.com/closeloop/closeloop/sla]: business calendars and SLA policies.
//   - [github.com/closeloop/closeloop/compensation]: tiered compensation in exact money.
//   - [github.com/closeloop/closeloop/intake]: validation, taxonomy, classification, duplicates and routing of registrations.
//   - [github.com/closeloop/closeloop/redact]: personal data masked in free text.
//   - [github.com/closeloop/closeloop/improvement]: improvement plans and root causes.
//   - [github.com/closeloop/closeloop/feedback]: the ticket, its lifecycle and the rules document.
//   - [github.com/closeloop/closeloop/metrics]: KPI accumulators and analysis.
//   - [github.com/closeloop/closeloop/risk]: the probability that a running SLA clock breaches, from past handling times.
//   - [github.com/closeloop/closeloop/whatif]: policy changes replayed on past tickets.
//   - [github.com/closeloop/closeloop/scenario]: policy tests for a host's suite.
//   - [github.com/closeloop/closeloop/l10n]: the library's reasons, effects, errors and customer view in Chinese and English.
//
// The closeloop command (cmd/closeloop) checks, draws, explains, tests and
// replays rules documents for policy owners and CI, and renders KPI reports.
//
// Every rules document is decoded strictly: unknown keys, duplicate keys,
// wrong types and trailing data are refused, and every refusal is a
// *[PathError] naming the JSON path ("$.sla.policies[0].metrics[1]"). Test
// with [errors.As] for the path and [errors.Is] for the kind:
//
//	var pe *closeloop.PathError
//	if errors.As(err, &pe) && errors.Is(err, closeloop.ErrUnknownField) { ... }
//
// The packages' own PathError names are this type.
//
// The default rules reproduce five source documents on customer-feedback
// handling (after-sales, complaint grading, an e-commerce feedback
// template, an enterprise scheme, a repair-service rule book): see
// docs/documents.md in the repository for what each is, and docs/trace.md
// for where each of their rules lives.
package closeloop
