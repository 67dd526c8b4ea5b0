// Package sla computes service-level deadlines on business calendars.
//
// It has two halves: business calendars (open hours, holidays, time zones,
// and exact business-time arithmetic on them), documented first below, and
// the SLA policies and clocks evaluated on those calendars, documented after
// them. For calendars, every rule the arithmetic follows is stated here.
//
// # Calendars
//
// A Calendar is built from a CalendarSpec, in Go (NewCalendar; Weekdays and
// EveryDay fill the week) or from a JSON document (ParseCalendar,
// ParseCalendarSpec; ParseCalendars for a JSON array of named calendars).
// The spec has these parts:
//
//	{
//	  "name": "cn-office",
//	  "time_zone": "Asia/Shanghai",
//	  "week": {
//	    "mon": [["09:00","12:00"],["13:30","18:00"]],
//	    "tue": [["09:00","12:00"],["13:30","18:00"]],
//	    "sat": [["20:00","22:00"]]
//	  },
//	  "public_holidays": ["CN"],
//	  "make_up_hours_from": "mon",
//	  "holidays": [
//	    {"date": "2024-12-31", "name": "company day off"},
//	    {"date": "2024-12-24", "closed": [["14:00","18:00"]]}
//	  ],
//	  "extra_working_days": [
//	    {"date": "2024-12-28", "name": "launch", "hours": [["09:00","12:00"]]}
//	  ],
//	  "ics": "BEGIN:VCALENDAR ...",
//	  "first_year": 1970,
//	  "last_year": 2199,
//	  "public_holidays_strict": false
//	}
//
// Rules, in plain words:
//
//   - Time zone. "time_zone" is an IANA name ("Europe/London", "UTC").
//     All hours and dates of the spec are wall-clock hours and dates in that
//     zone, whatever zone the instants given to the calendar carry. "Local"
//     is refused: a calendar must mean the same on every machine. The zone
//     database comes from the system or from a program that imports
//     time/tzdata; the library does not embed it.
//   - Open hours. Each weekday lists open stretches as ["HH:MM","HH:MM"]
//     (seconds allowed: "HH:MM:SS"): the start is inside, the end is not, so
//     a 09:00–17:00 day is open at 09:00 and closed at 17:00. "24:00" may end
//     a stretch. Stretches must be in ascending order and must not overlap;
//     stretches that touch are merged. A start after its end is an error:
//     a shift past midnight is written as two stretches, ["22:00","24:00"]
//     on one day and ["00:00","06:00"] on the next, and the calendar treats
//     stretches that meet at midnight as one (NextClose goes through).
//     A weekday that is missing or empty is closed. Around the clock is
//     ["00:00","24:00"] on every day.
//   - Public holidays. "public_holidays" selects holiday definitions of
//     github.com/rickar/cal/v2 by code: a country ("US", "GB", "DE", "JP",
//     ...), a region ("DE-BY", "AU-NSW", "CH-ZH", ...), or "ECB"; the full
//     list is PublicHolidaySets. Each holiday closes the whole of its
//     observed date (for example, US Independence Day on a Saturday closes
//     Friday July 3rd), the same days rickar's own BusinessCalendar treats
//     as non-working. Only the definitions are used, evaluated per year.
//   - China mainland. "CN" is not rule-based: each year the General Office
//     of the State Council announces the days off (放假调休, including the
//     weekend days inside a run) and the make-up working days (调休上班,
//     weekend days worked instead). The set holds the announcements of 2024,
//     2025 and 2026 (PublicHolidayYears("CN")) and applies both: every
//     announced day off is closed all day, every make-up day is a working
//     day. National Day 2024 closes October 1–7 and opens Sunday September
//     29 and Saturday October 12.
//   - Make-up working days take the open hours of the weekday named by
//     "make_up_hours_from" ("mon" to "sun"); without it, of the first
//     weekday, Monday to Sunday, that has open hours, so a Mon–Fri office
//     works its Monday hours on a make-up Sunday and a desk open only at
//     weekends is not made to open. Naming a weekday without hours, or
//     giving the field without a set that has make-up days, is an error.
//     A make-up day is the weakest entry: the spec's own "holidays" (whole
//     day: closed; part day: those hours are cut from the make-up hours), an
//     .ics closure or another set's holiday on the same date win over it,
//     and an "extra_working_days" entry replaces its hours.
//   - Years without data. Rule-based sets cover every year. For "CN",
//     dates before 2024 and after 2026 carry no public holidays and no
//     make-up days, only the weekly hours and the spec's own "holidays" and
//     "extra_working_days": the library does not guess a schedule the State
//     Council has not announced. A help desk that must not count Spring
//     Festival 2027 as working days sets "public_holidays_strict": true
//     with "first_year"/"last_year" inside the data; a calendar whose years
//     reach beyond any listed set's data is then refused at construction
//     (a *PathError at "$.public_holidays[i]" wrapping ErrNoHolidayData),
//     and arithmetic past its last year returns ErrOutOfRange instead of a
//     wrong deadline. Otherwise, add next year's announcement as dated
//     entries until a release carries it (usually announced in November).
//   - Dated holidays. A "holidays" entry closes its whole date, or with
//     "closed" only the listed stretches of it (a part-day closure, e.g.
//     Christmas Eve afternoon). A date may be listed once.
//   - Extra working days. An "extra_working_days" entry opens its date with
//     its own "hours", replacing that weekday's hours, whatever they are
//     (a Saturday before a launch, a make-up day with short hours). It
//     wins over a public holiday, a make-up day or an .ics closure on the
//     same date; a
//     whole-day dated holiday on the same date is an error (which one did
//     you mean?), while a part-day closure on it still applies.
//   - iCalendar feeds. "ics" holds an iCalendar (RFC 5545) document, parsed
//     with github.com/emersion/go-ical. Every event is a closure: an all-day
//     event (DTSTART;VALUE=DATE) closes whole dates from DTSTART up to DTEND
//     (exclusive; one day when absent); a timed event closes its time span,
//     turned into wall-clock stretches of the calendar's zone. RRULE, RDATE
//     and EXDATE (including comma lists) are expanded within the supported
//     years; STATUS:CANCELLED events are ignored. Expansion is bounded
//     (100 000 occurrences, a million touched dates).
//   - Supported years. A calendar covers the dates of FirstYear through
//     LastYear (default 1970 through 2199; at most 280 years, between 1900
//     and 2399). Instants before the first instant of January 1 of the first
//     year or from January 1 after the last year are outside it: arithmetic
//     returns ErrOutOfRange, IsOpen and IsWorkingDay return false. Dated
//     holidays and extra working days must lie inside the range.
//
// Anything invalid is refused with a *PathError naming the JSON path at
// fault, for example "$.week.mon[1]: hours 11:00–13:00 overlap or precede
// the stretch before them", "$.holidays[0].date: bad or non-existent date
// \"2023-02-29\"", "$.time_zone: unknown time zone", or "$.wek: unknown
// field". Specs built in Go get the same paths. Nothing in this package
// panics on bad input; the JSON decoder and both arithmetic entry points
// are fuzzed (FuzzCalendarJSON, FuzzAddBetween).
//
// # Daylight saving time
//
// Open hours are wall-clock hours; open time is real elapsed time. An
// instant is open when its own local date and local time of day fall in an
// open stretch of that date. So on a spring-forward day the skipped
// wall-clock hour is never open (a 00:00–24:00 day has 23 hours in New York
// on 2024-03-10, 23.5 hours on Lord Howe Island's 30-minute shift), and on
// a fall-back day the repeated hour is open twice if its wall-clock times
// are open (a 01:00–04:00 night shift in London on 2024-10-27 lasts 4
// hours). Dates that a zone skips entirely (Samoa, 2011-12-30) have no open
// time. The arithmetic below counts real elapsed time throughout.
//
// # Business-time arithmetic
//
//   - Between(a, b) is the open time in [a, b), exact to the nanosecond;
//     it is negative when b is before a.
//   - Add(start, d) for d > 0 is the earliest instant at which d of open
//     time has passed since start. A start outside open hours counts from
//     the next opening. A deadline that uses up a stretch's last minute
//     lands on its closing time (a 1-hour target at 16:00 on a 09:00–17:00
//     day is due at 17:00 that day, not at 09:00 the next morning).
//   - Add(start, 0) is NextOpen(start): the start rolled forward.
//   - Add(start, d) for d < 0 counts open time backwards and returns the
//     latest instant with Between(result, start) == -d, so it lands on an
//     opening time rather than on the previous closing time.
//   - Consequences that tests and fuzzing check: Between(s, Add(s, d)) == d;
//     Add is monotonic in both arguments (a later start or a longer target
//     never gives an earlier deadline).
//   - IsOpen(t) tells whether t is in an open stretch. NextOpen(t) is the
//     first open instant at or after t (t itself when open). NextClose(t) is
//     the first closed instant at or after t: t itself when closed, else the
//     end of the open stretch holding t. A host that wants the next instant
//     at which anything changes asks NextClose when open, NextOpen when not.
//   - IsWorkingDay(t) tells whether the local date of t, in the calendar's
//     zone, has any open time. A working day is exactly that.
//   - AddWorkingDays(start, n), the "N working days" target: start is rolled
//     forward to the next open instant; that instant's date is day 0; the
//     deadline is the closing time (end of the last open stretch) of the
//     n-th working day after day 0. With Mon–Fri 09:00–17:00, a ticket at
//     Monday 10:00, Monday 07:00 or Sunday 23:00 with n = 1 is due Tuesday
//     17:00; a ticket at Monday 17:00 (closing time, so closed) is due
//     Wednesday 17:00; n = 0 is the close of the day of receipt. For n < 0
//     the rule is mirrored: start is rolled back to the end of the open time
//     before it, that instant's date is day 0, and the result is the closing
//     time of the |n|-th working day before it — "a delay request is due 1
//     working day before the deadline" of Wednesday 17:00 means Tuesday
//     17:00. "N business hours" targets use Add; "N calendar hours" targets
//     need no calendar.
//   - A calendar that is never open, or has no open time left and no weekly
//     hours that would reopen it, returns ErrNeverOpen instead of searching
//     forever; running past the end of the supported years returns
//     ErrOutOfRange (the end of the range itself is accepted as the end of
//     a Between, so a deadline may land on it); a calendar that never closes
//     makes NextClose return ErrNeverCloses.
//     These arrive inside a *CalendarError that names the operation and the
//     calendar; test them with errors.Is.
//   - Results are in the calendar's time zone.
//
// # Composition
//
// Intersect(a, b) is open exactly when both are open (a customer's hours ∩
// the team's hours, possibly in different zones); Union(a, b) when either is
// (two shifts). The result takes a's time zone for its dates (IsWorkingDay,
// AddWorkingDays), is named "a ∩ b" or "a ∪ b", and is an ordinary Calendar
// with the same speed. Both must cover the same years.
//
// # Looking calendars up by name
//
// Calendars is an immutable set keyed by name (ParseCalendars reads a JSON
// array of specs; NewCalendars and With take compiled calendars, e.g.
// compositions). Names must be present and unique; a duplicate is a
// *PathError at "$[i].name". Lookup returns ErrUnknownCalendar for a name
// not in the set. Within a set, a spec may compose others by name, in any
// order:
//
//	{"name": "customer-and-team", "intersect": ["customer", "team"]}
//	{"name": "follow-the-sun", "union": ["emea", "amer", "apac"]}
//
// A composed spec has only its name and one list of at least two names;
// unknown names, self-reference and cycles are errors at the list entry's
// path. A set writes itself back as JSON (MarshalJSON) unless it holds a
// calendar composed in Go.
//
// # Speed and memory
//
// A calendar stores its weekly pattern once and, sorted by date, only the
// days that differ from it (weekday holidays, extra working days, part-day
// closures, the days of UTC-offset changes), each with the open time and
// number of working days before it. Add, Between, AddWorkingDays, IsOpen,
// NextOpen and IsWorkingDay are a binary search over those days plus week
// arithmetic: O(log n) for any span, no allocation. On a 2-core VM, Add of
// 40 business hours takes about 120 ns and Between over a year about
// 250 ns, against about 140 µs and 2.6 ms for rickar/cal's AddWorkHours and
// WorkHoursInRange on the same calendar (BenchmarkCalendarAdd40h and
// friends). A Mon–Fri calendar with US holidays in New York over the default
// 230 years keeps about 2 600 such days, about 90 KB, and compiles in about
// 3 ms; narrow FirstYear/LastYear to shrink both. Composing two calendars
// in different zones examines every date of the range (tens of
// milliseconds); in the same zone only the special days of either.
// A Calendar is immutable and safe for concurrent use.
//
// # Worked example
//
// With the cn-office calendar above (Mon–Fri 09:00–12:00 and 13:30–18:00,
// Shanghai, "CN" public holidays), a ticket created Monday 2024-09-02 at
// 11:00 with a 4-hour business target is due at 16:30 the same day: one
// hour before lunch, three after. Created at 20:00 the same day with a
// 2-hour target, it counts from Tuesday 09:00 and is due Tuesday 11:00. A
// suggestion received Friday 2024-09-27 with a 2-working-day target is due
// Monday 2024-09-30 at 18:00, because Sunday the 29th is a make-up working
// day with Monday's hours; received on Monday the 30th with a 1-working-day
// target, it is due Tuesday 2024-10-08 at 18:00: National Day week
// (October 1–7) does not count.
package sla
