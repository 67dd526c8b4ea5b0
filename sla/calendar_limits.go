package sla

import (
	"errors"
	"fmt"
)

// Limits on calendar input. Calendar documents often come from outside
// (a tenant's settings, an uploaded holiday feed), so every decoder checks
// them before it does the work they bound: the byte sizes before decoding,
// the counts before compiling, the span of a date range before expanding
// it. A refusal is a *[PathError] at the offending path wrapping [ErrLimit].
// The package documentation ("Limits") gives the memory these bounds allow.
const (
	// MaxCalendarBytes bounds a document read by [ParseCalendar] or
	// [ParseCalendarSpec].
	MaxCalendarBytes = 1 << 20
	// MaxCalendarsBytes bounds a document read by [ParseCalendars].
	MaxCalendarsBytes = 4 << 20
	// MaxCalendarsInSet bounds the calendars of one set ([ParseCalendars],
	// [CompileCalendars]).
	MaxCalendarsInSet = 256
	// MaxComposed bounds the calendars one "intersect" or "union" list
	// names (each costs a composition).
	MaxComposed = 16
	// MaxPublicHolidaySets bounds the "public_holidays" sets of one
	// calendar (each is evaluated for every supported year).
	MaxPublicHolidaySets = 8
	// MaxICSBytes bounds a [CalendarSpec]'s "ics" document.
	MaxICSBytes = 512 << 10
	// MaxHolidays bounds the "holidays" entries of one calendar, and
	// MaxExtraWorkingDays its "extra_working_days" entries.
	MaxHolidays         = 10000
	MaxExtraWorkingDays = 10000
	// MaxRangeDays bounds the dates of one "from..to" holiday range (a
	// year: Spring Festival, a Christmas shutdown; a longer closure is
	// several entries).
	MaxRangeDays = 366
	// MaxStretchesPerDay bounds the stretches of one list of hours (a
	// weekday, an extra working day, a part-day closure).
	MaxStretchesPerDay = 48
	// MaxSetExceptionDays bounds, across one set of calendars, the dates
	// whose hours differ from their calendar's weekly pattern (holidays,
	// extra working days, closures, days of UTC-offset changes) — what a
	// compiled calendar stores, 32 bytes each. A set stops compiling once
	// its calendars hold more.
	MaxSetExceptionDays = 1 << 20
)

// MaxCompiledMetrics bounds the metrics a policy set compiles to, counted
// over every version of every policy: a revision ("based_on") counts all
// the metrics it inherits from its base as well as its own, since each
// version is compiled in full. A revision of a few bytes can stand for a
// base of hundreds of metrics, so without this bound a chain of them
// would cost memory and time in the product of the two while its document
// grows in their sum. [ParsePolicySet] and [NewPolicySet] refuse a set over it
// ([ErrLimit]) before compiling any policy; the package documentation
// ("Limits") gives the memory it allows.
const MaxCompiledMetrics = 1 << 14

// ErrLimit marks input beyond one of the documented limits ([MaxCalendarBytes]
// and the others); it arrives inside a *[PathError].
var ErrLimit = errors.New("over a documented limit")

// limitErr returns the refusal of a value at path beyond limit.
func limitErr(path, what string, limit int) error {
	return &PathError{Path: path, Err: fmt.Errorf("%w: %s (at most %d)", ErrLimit, what, limit)}
}

// checkSize refuses a document larger than limit bytes, before decoding it.
func checkSize(data []byte, limit int) error {
	if len(data) > limit {
		return limitErr("$", fmt.Sprintf("document of %d bytes", len(data)), limit)
	}
	return nil
}

// checkCount refuses a list at path with more than limit entries.
func checkCount(path string, n, limit int, what string) error {
	if n > limit {
		return limitErr(path, fmt.Sprintf("%d %s", n, what), limit)
	}
	return nil
}
