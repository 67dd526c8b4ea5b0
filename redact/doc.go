// Package redact masks personal data in free text: what a customer wrote,
// what an agent noted, what an export or an SMS carries.
//
// A [Redactor] masks, with a configurable mask and a configurable number of
// characters kept visible at each end: Chinese mobile numbers (document
// 002's own 138****5678), landlines with area code, international numbers
// with '+', Chinese resident ID numbers, other long digit runs (cards,
// accounts), e-mail local parts, Chinese and English street addresses, and
// the names the caller passes. Dates and letter-prefixed record numbers
// (F20240301001) are left alone unless they hide a mobile number. It
// over-masks rather than leaks: no more than four consecutive digits of a
// mobile number survive, wherever it sits (fuzzed), and look-alike
// characters, invisible separators and digits of other scripts hide
// nothing (see [Redactor] for the whole list).
//
// Its rules are data: a [Spec] (mask, kinds, visible ends, the
// shortest number masked, names always masked), decoded strictly by
// [Parse] or compiled by [New]; [Default] masks
// every kind with "*". A Redactor is immutable and safe for concurrent use.
//
// [Redactor.RedactIntake] masks a whole registration
// ([intake.Intake]) for an export or an
// archive (document 002 §5.4). Tickets are redacted by the feedback package
// ([github.com/closeloop/closeloop/feedback.RedactTicket]), which knows
// which of a ticket's texts a person wrote.
//
//	redact.Default().Redact("请致电13856785678") // "请致电138****5678"
//
// The numbered documents ("document 002") are closeloop's five source
// documents on customer-feedback handling; docs/documents.md in the
// repository (https://github.com/closeloop/closeloop/blob/main/docs/documents.md)
// says what each is.
package redact
