package sla

import (
	"errors"

	"github.com/closeloop/closeloop/internal/rulesjson"
)

// PathError is an error located at a JSON path of a rules document, such as
// "$.week.mon[1]" or "$[2].holidays[0].date". Test for it with [errors.As].
type PathError = rulesjson.PathError

// Errors returned by calendar arithmetic. They arrive wrapped in a
// *[CalendarError]; test them with [errors.Is]. [ErrNoHolidayData] is the
// exception: construction returns it inside a *[PathError].
var (
	// ErrOutOfRange reports an instant, or a result, outside the calendar's
	// supported years (see [CalendarSpec.FirstYear] and LastYear).
	ErrOutOfRange = errors.New("outside the calendar's supported years")
	// ErrNeverOpen reports that the calendar has no open time at or after
	// the instant (within its supported years), so no deadline can be reached.
	ErrNeverOpen = errors.New("calendar has no open time left")
	// ErrNeverCloses reports that the calendar stays open until the end of
	// its supported years.
	ErrNeverCloses = errors.New("calendar stays open to the end of its supported years")
	// ErrInvalidArgument reports an argument the operation does not accept.
	ErrInvalidArgument = errors.New("invalid argument")
	// ErrUnknownCalendar reports a calendar name missing from a [Calendars] set.
	ErrUnknownCalendar = errors.New("unknown calendar")
	// ErrNoHolidayData reports, inside a *[PathError] from [NewCalendar] or
	// [ParseCalendar], a spec with [CalendarSpec.PublicHolidaysStrict] whose
	// supported years reach beyond the years a listed public holiday set has data
	// for.
	ErrNoHolidayData = errors.New("no public holiday data for some of the calendar's years")
)

// CalendarError is the error of a calendar operation: which operation, on
// which calendar, and why (one of the Err... values above).
type CalendarError struct {
	Op       string // "Add", "Between", "AddWorkingDays", "NextOpen", "NextClose", ...
	Calendar string // the calendar's name
	Err      error
}

// Error describes the failure: "sla: calendar NAME: OP: reason".
func (e *CalendarError) Error() string {
	name := e.Calendar
	if name == "" {
		name = "(unnamed)"
	}
	return "sla: calendar " + name + ": " + e.Op + ": " + e.Err.Error()
}

// Unwrap returns the reason.
func (e *CalendarError) Unwrap() error { return e.Err }
