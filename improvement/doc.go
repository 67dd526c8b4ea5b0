// Package improvement carries the fixes of closed-loop feedback handling
// back into the organisation: improvement plans with their delay requests,
// and root causes that show when a fault comes back.
//
// # Improvement plans
//
// An [Plan] is document 002 table 3 (ID, linked feedback, root
// cause, measures, department, owner, planned start and finish, actual
// finish, status in progress / done / delayed). Its dates count by calendar
// date. [Plan.Validate] reports every problem at once in a
// [*PlanError], one [intake.FieldProblem] per field, each wrapping a
// sentinel (this package's, or intake's [intake.ErrRequired],
// [intake.ErrBadText], [intake.ErrTimeOrder], …), so [errors.Is] and
// [errors.As] work on the whole error.
//
// A delay request ([Plan.FileDelay]) needs a reason and a new
// plan and must be filed at least one working day before the planned
// finish: at least one working day must lie after the filing date, up to
// and including the planned finish date (due Friday: file by Thursday; due
// Monday: by the Friday before). It is then approved (the planned finish
// moves; the first one is kept) or rejected ([Plan.DecideDelay]).
// [Plan.Outcome] reports a finished plan as early, on time or
// late, in calendar days and in working days (the working days after the
// earlier date up to and including the later one): table 3's first row,
// due Sunday 03-10 and done Saturday 03-09, is one calendar day but zero
// working days early. Working days come from any [WorkingDays], such as
// *[github.com/closeloop/closeloop/sla.Calendar].
//
// # Root causes
//
// [LinkRootCauses] gathers feedback and plans under their root causes
// (document 000's root-cause library, 002 table 2) so that a fault seen
// twice or more is marked Repeated.
//
// Plans are plain values: every operation returns a changed copy and leaves
// its receiver alone, and nothing reads the clock (callers pass instants).
//
// The numbered documents ("document 002") are closeloop's five source
// documents on customer-feedback handling; docs/documents.md in the
// repository (https://github.com/closeloop/closeloop/blob/main/docs/documents.md)
// says what each is.
package improvement
