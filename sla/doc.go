// Package sla computes service-level deadlines on business calendars.
//
// It has two halves: business calendars (open hours, holidays, time zones,
// and exact business-time arithmetic on them), documented first below, and
// the SLA policies and clocks evaluated on those calendars, documented after
// them. For calendars, every rule the arithmetic follows is stated here.
//
// # Calendars
//
// A [Calendar] is built from a [CalendarSpec], in Go ([NewCalendar]; [Weekdays]
// and [EveryDay] fill the week) or from a JSON document ([ParseCalendar],
// [ParseCalendarSpec]; [ParseCalendars] for a JSON array of named calendars).
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
//     stretches that meet at midnight as one ([Calendar.NextClose] goes
//     through). A weekday that is missing or empty is closed. Around the clock
//     is ["00:00","24:00"] on every day.
//   - Public holidays. "public_holidays" (at most [MaxPublicHolidaySets])
//     selects holiday sets by code; the full list is [PublicHolidaySets].
//     Rule-based sets are the definitions of github.com/rickar/cal/v2: a
//     country ("US", "GB", "DE", "JP", ...), a region ("DE-BY", "AU-NSW",
//     "CH-ZH", ...), or "ECB". Each holiday closes the whole of its
//     observed date (for example, US Independence Day on a Saturday closes
//     Friday July 3rd), the same days rickar's own BusinessCalendar treats
//     as non-working. Only the definitions are used, evaluated per year.
//   - Announced sets. Where a government announces each year's days off
//     rather than following fixed rules ("CN", "HK", "IN", "KR", "SG",
//     "TW"), the set holds the announcements year by year and covers only
//     those years; see "Announced public holidays" below.
//   - Make-up working days — a set's, and "extra_working_days" given
//     without "hours" — take the open hours of the weekday named by
//     "make_up_hours_from" ("mon" to "sun"); without it, of the first
//     weekday, Monday to Sunday, that has open hours, so a Mon–Fri office
//     works its Monday hours on a make-up Sunday and a desk open only at
//     weekends is not made to open. Naming a weekday without hours, or
//     giving the field when nothing takes make-up hours, is an error.
//     A make-up day is the weakest entry: the spec's own "holidays" (whole
//     day: closed; part day: those hours are cut from the make-up hours), an
//     .ics closure or another set's holiday on the same date win over it,
//     and an "extra_working_days" entry replaces its hours.
//   - Years without data. Rule-based sets cover every year. An announced
//     set carries nothing outside its years: "CN" dates before 2007 and
//     after 2026 have no public holidays and no make-up days, only the
//     weekly hours and the spec's own "holidays" and "extra_working_days";
//     the library does not guess a schedule nobody has announced. A help
//     desk that must not count Spring Festival 2027 as working days sets
//     "public_holidays_strict": true. Its "first_year" and "last_year",
//     when left out, then default to the years every listed set has data
//     for ({"public_holidays": ["CN"], "public_holidays_strict": true}
//     covers 2007–2026); years given beyond the data are refused at
//     construction with a *[PathError] at "$.public_holidays[i]" wrapping
//     [ErrNoHolidayData] that names the set's last year with data; and
//     arithmetic past the last year returns [ErrOutOfRange] instead of a
//     wrong deadline. Until a release carries next year's announcement
//     (China's usually comes in November), add it as dated entries.
//   - Dated holidays. A "holidays" entry closes its whole date, or with
//     "closed" only the listed stretches of it (a part-day closure, e.g.
//     Christmas Eve afternoon). "date" may be a range, both ends included:
//     {"date": "2026-02-15..2026-02-23", "name": "Spring Festival"} closes
//     nine dates, and with "closed" cuts the same hours from each (a range
//     spans at most [MaxRangeDays]). A date may be listed once, alone or in
//     a range.
//   - Extra working days. An "extra_working_days" entry opens its date with
//     its own "hours", replacing that weekday's hours, whatever they are
//     (a Saturday before a launch, a make-up day with short hours); without
//     "hours" it takes the make-up hours (see above), so a company's own
//     make-up Saturday is one short entry. It wins over a public holiday,
//     a make-up day or an .ics closure on the same date; a whole-day dated
//     holiday on the same date is an error (which one did you mean?),
//     while a part-day closure on it still applies.
//   - iCalendar feeds. "ics" holds an iCalendar (RFC 5545) document, parsed
//     with github.com/emersion/go-ical. Every event is a closure: an all-day
//     event (DTSTART;VALUE=DATE) closes whole dates from DTSTART up to DTEND
//     (exclusive; one day when absent); a timed event closes its time span,
//     turned into wall-clock stretches of the calendar's zone. RRULE, RDATE
//     and EXDATE (including comma lists) are expanded within the supported
//     years; STATUS:CANCELLED events are ignored. Expansion is bounded
//     (50 000 occurrences, a million touched dates). A TZID parameter names
//     an IANA zone; "Local" and file paths are refused, as for time_zone.
//   - Supported years. A calendar covers the dates of FirstYear through
//     LastYear (default 1970 through 2199; at most 280 years, between 1900
//     and 2399). Instants before the first instant of January 1 of the first
//     year or from January 1 after the last year are outside it: arithmetic
//     returns ErrOutOfRange, [Calendar.IsOpen] and [Calendar.IsWorkingDay]
//     return false. Dated holidays and extra working days must lie inside the
//     range.
//
// Anything invalid is refused with a *PathError naming the JSON path at
// fault, for example "$.week.mon[1]: hours 11:00–13:00 overlap or precede
// the stretch before them", "$.holidays[0].date: bad or non-existent date
// \"2023-02-29\"", "$.time_zone: unknown time zone", or "$.wek: unknown
// field". Specs built in Go get the same paths. Nothing in this package
// panics on bad input; the JSON decoders and the arithmetic are fuzzed
// (FuzzCalendarJSON, FuzzCalendarsJSON, FuzzAddBetween,
// FuzzCalendarQueries).
//
// # Announced public holidays
//
// Where a government announces each year's days off rather than following
// fixed rules, the set holds the announcements, year by year, each citing
// its source in holidays_data.go, and covers only those years
// ([PublicHolidayYears]):
//
// "CN", China mainland, 2007–2026: the notices of the General Office of
// the State Council (国务院办公厅关于YYYY年部分节假日安排的通知),
// amendments included (2015's Victory Day, 2019's Labour Day, 2020's
// extended Spring Festival): the days off (放假调休, including the
// weekend days inside a run) and the make-up working days (调休上班,
// weekend days worked instead). National Day 2024 closes October 1–7
// and opens Sunday September 29 and Saturday October 12.
//
// "HK", Hong Kong, 2024–2026: the general holidays under the General
// Holidays Ordinance (Cap. 149) as gov.hk lists them, days in lieu of
// a Sunday included (every Sunday is left to the calendar's week).
//
// "SG", Singapore, 2024–2026: the public holidays under the Holidays
// Act as the Ministry of Manpower publishes them, with the Monday in
// lieu of a Sunday holiday and Polling Day 2025.
//
// "TW", Taiwan, 2024–2026: the days off of the government offices'
// calendar of the Directorate-General of Personnel Administration
// (政府行政機關辦公日曆表): holidays, days in lieu (補假), flexible days
// off, and the Saturdays worked for them (補行上班) as make-up days.
//
// "KR", South Korea, 2024–2026: the public holidays of government
// offices (관공서의 공휴일에 관한 규정), substitute holidays (대체공휴일),
// election days and temporary holidays (임시공휴일). Workers' Day (May 1)
// is a paid day off under labour law, not a public holiday: not listed.
//
// "IN", India, 2024–2026: one list for a country with many regional
// ones: the closed holidays of the Central Government's administrative
// offices in Delhi/New Delhi (Annexure-I of the Department of Personnel
// and Training's yearly Office Memorandum: 14 compulsory holidays and 3
// chosen for Delhi), with the holidays DoPT declares during the year
// (Dr. Ambedkar's Birthday 2025) and its half-day closure of 22 January
// 2024 (closed till 14:30). Restricted and state holidays are not
// listed; a desk in another state adds its own as dated holidays.
//
// Every announced day off closes the whole day, every make-up day is a
// working day, a part-day closure closes its hours; like a rule-based
// set's holidays, all of them give way to the spec's own entries.
//
// # Limits
//
// Calendar documents often come from outside (a tenant's settings, an
// uploaded holiday feed), so every decoder checks documented limits before
// the work they bound, and refuses with a *[PathError] wrapping [ErrLimit]:
//
//	ParseCalendar, ParseCalendarSpec   document ≤ MaxCalendarBytes (1 MiB), before decoding
//	ParseCalendars                     document ≤ MaxCalendarsBytes (4 MiB), before decoding;
//	                                   ≤ MaxCalendarsInSet (256) calendars, before compiling;
//	                                   ≤ MaxComposed (16) names per intersect/union;
//	                                   ≤ MaxSetExceptionDays (1 048 576) stored days in all,
//	                                   charged before each calendar is built
//	every spec                         ≤ MaxHolidays (10 000) holidays, ≤ MaxExtraWorkingDays
//	                                   (10 000) extra working days, checked before either is read;
//	                                   a date range ≤ MaxRangeDays (366) days, before expanding;
//	                                   ≤ MaxStretchesPerDay (48) stretches per list of hours;
//	                                   ≤ MaxPublicHolidaySets (8) sets; ≤ MaxYearSpan (280) years
//	"ics"                              ≤ MaxICSBytes (512 KiB), before parsing; ≤ 50 000
//	                                   occurrences and a million touched dates while expanding
//	ParsePolicySet, NewPolicySet       document ≤ closeloop.MaxSize (8 MiB), depth ≤ closeloop.MaxDepth (64);
//	                                   ≤ MaxCompiledMetrics (16 384) metrics over every version,
//	                                   a revision counting those it inherits, before compiling
//
// What the limits allow, measured (TestCalendarDecoderAllocationCeilings,
// every byte allocated, garbage included): one calendar compiles in at
// most about 23 MB whatever its input — 280 years of dated closures from
// an 18 KB document (1 260 bytes per input byte), a daily .ics rule of
// 49 000 occurrences from 406 bytes (16 MB), a 1 MiB document of extra
// working days with 48 stretches each (22 MB, 21 per byte); a 4 MiB set
// stops at its budget of stored days after about 270 MB allocated
// (64 per byte), its live heap peaking near 75 MB. A compiled calendar
// keeps 32 bytes per stored day, so at most about 3.3 MB. A policy set
// allocates at most 64 bytes per input byte (TestParsePolicySetMemory),
// and a chain of revisions, which can stand for far more metrics than it
// spells out, at most about 3 KB per compiled metric: 49 MB for 16 383
// metrics from 23 KB of revisions (TestParsePolicySetRevisionMemory).
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
//     [Calendar.Add] is monotonic in both arguments (a later start or a longer
//     target never gives an earlier deadline).
//   - IsOpen(t) tells whether t is in an open stretch. NextOpen(t) is the
//     first open instant at or after t (t itself when open). NextClose(t) is
//     the first closed instant at or after t: t itself when closed, else the
//     end of the open stretch holding t. A host that wants the next instant
//     at which anything changes asks [Calendar.NextClose] when open,
//     [Calendar.NextOpen] when not.
//   - PrevOpen(t) is the last opening at or before t (the start of the open
//     period holding t, or of the last one before it); PrevClose(t) the
//     last closing at or before t (t itself at a closing instant). Open
//     periods join across midnight, as for NextClose. Periods(from) and
//     PeriodsBackward(from) are range-over-func iterators ([iter.Seq2]) over
//     the open periods as (opening, closing) pairs, forward and latest
//     first, cut at from, so their durations add up to [Calendar.Between].
//   - IsWorkingDay(t) tells whether the local date of t, in the calendar's
//     zone, has any open time. A working day is exactly that.
//     WorkingDaysBetween(a, b) counts the working days from a's date up to,
//     not including, b's (Monday to Friday is 4), signed like Between.
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
//     17:00. AddWorkingDaysFrom(start, n, roll) chooses the roll instead
//     of the sign: [RollBackward] counts a Saturday ticket from Friday's
//     close (n = 1 is due Monday 17:00, against Tuesday 17:00 rolling
//     forward). AddWorkingDaysSameTime(t, n, roll) is "the same wall-clock
//     time n working days later": day 0 is t's date when it is a working
//     day, whatever the hour, else the next (or previous) working day; the
//     result keeps t's time of day even where the calendar is closed. "N
//     business hours" targets use Add; "N calendar hours" targets need no
//     calendar.
//   - A calendar that is never open, or runs out of open time (or working
//     days) and has no weekly hours that would bring more — one open only
//     on some extra working days — returns [ErrNeverOpen] instead of
//     searching forever; a calendar with weekly hours running past the end
//     (or the start) of its supported years returns [ErrOutOfRange] (the end of
//     the range itself is accepted as the end of a Between, so a deadline may
//     land on it); a calendar that never closes makes NextClose return
//     [ErrNeverCloses]. These arrive inside a *[CalendarError] that names the
//     operation and the calendar; test them with [errors.Is].
//   - Results are in the calendar's time zone.
//
// # Boundary conventions, compared
//
// The conventions above are choices; users moving from another library
// should know what changes. Against Zendesk's business-time library
// (github.com/zendesk/biz 1.8.2, read from its source) and
// github.com/rickar/cal/v2 v2.1.13 (run; TestConventionsAgainstRickar
// pins its column), on Mon–Fri 09:00–17:00:
//
//	question                         closeloop                     zendesk/biz                   rickar/cal
//	open at 17:00, the closing?      no: [09:00, 17:00)            no: [start, end)              yes: IsWorkTime is inclusive
//	Mon 16:00 + 1 h                  Mon 17:00 (the closing)       Mon 17:00 (end of the last    Mon 17:00
//	                                                               period used)
//	Mon 20:00 + 1 h                  Tue 10:00                     Tue 10:00                     Tue 10:00
//	Mon 20:00 + 0                    Tue 09:00 (NextOpen)          Tue 09:00 (next business      Mon 20:00 (unchanged)
//	                                                               time)
//	Tue 10:00 − 1 h                  Tue 09:00: lands on the       Tue 09:00 (before: start of   Tue 10:00 (negative
//	                                 opening, not on Mon 17:00     the last period used)         durations are ignored)
//	Between(Tue 10:00, Mon 10:00)    −8 h (signed)                 0 (within of a reversed       +8 h (order ignored)
//	                                                               span)
//	"1 working day" from Mon 10:00   Tue 17:00 (AddWorkingDays:    Tue 10:00 (same minute, then  Tue 10:00 (WorkdaysFrom
//	                                 close of the n-th day);       rolled forward into hours)    keeps the time)
//	                                 Tue 10:00 (…SameTime)
//	… from Sat 10:00                 Tue 17:00 (Monday is day 0);  Mon 10:00 (next day with      Mon 10:00 (Saturday is
//	                                 Mon 17:00 with RollBackward;  hours, same minute)           day 0); Sat + 0 = Sat
//	                                 …SameTime: Tue 10:00
//	working days Mon..Fri            4: [Mon, Fri) (Between-like)  —                             5: WorkdaysInRange counts
//	                                                                                             both ends
//	02:30–04:00 on a spring-forward  1 h: the skipped hour is      wall-clock hours per day;     1 h 30 m: wall-clock
//	day (New York, 2024-03-10)       never open; a gap time opens  the gap is not documented     arithmetic in the
//	                                 when the gap ends                                           argument's zone
//	precision                        nanosecond                    second                        nanosecond
//
// Where the columns agree — forward hours from any start, landing on a
// closing time, rolling a closed start forward — a deadline moves over
// unchanged; where they do not, the closeloop column is the rule this
// package keeps and its tests pin.
//
// # Composition
//
// Intersect(a, b) is open exactly when both are open (a customer's hours ∩
// the team's hours, possibly in different zones); Union(a, b) when either is
// (two shifts). The result takes a's time zone for its dates
// ([Calendar.IsWorkingDay], [Calendar.AddWorkingDays]), is named "a ∩ b" or
// "a ∪ b", and is an ordinary [Calendar] with the same speed. Both must cover
// the same years.
//
// # Looking calendars up by name
//
// [Calendars] is an immutable set keyed by name ([ParseCalendars] reads a JSON
// array of specs, [CompileCalendars] compiles the specs given in Go;
// [NewCalendars] and [Calendars.With] take compiled calendars, e.g.
// compositions). Names must be present and unique; a duplicate is a
// *[PathError] at "$[i].name". [Calendars.Lookup] returns [ErrUnknownCalendar]
// for a name not in the set. Within a set, a spec may compose others by name,
// in any order:
//
//	{"name": "customer-and-team", "intersect": ["customer", "team"]}
//	{"name": "follow-the-sun", "union": ["emea", "amer", "apac"]}
//
// A composed spec has only its name and one list of at least two names;
// unknown names, self-reference and cycles are errors at the list entry's
// path. A set writes itself back as JSON ([Calendars.MarshalJSON]) unless it
// holds a calendar composed in Go.
//
// # Speed and memory
//
// A calendar stores its weekly pattern once and, sorted by date, only the
// days that differ from it (weekday holidays, extra working days, part-day
// closures, the days of UTC-offset changes), each with the open time and
// number of working days before it. [Calendar.Add], [Calendar.Between],
// [Calendar.AddWorkingDays] (and …From, …SameTime),
// [Calendar.WorkingDaysBetween], [Calendar.IsOpen], [Calendar.NextOpen],
// [Calendar.NextClose], [Calendar.PrevOpen] and [Calendar.PrevClose] are a
// binary search over those days plus week arithmetic: O(log n) for any span, no
// allocation; each step of [Calendar.Periods] and [Calendar.PeriodsBackward] is
// one more, and ranging over them allocates nothing. On a shared 2-core VM,
// Add of 40 business hours takes about 150–180 ns, Between over a
// year about 200 ns, WorkingDaysBetween over a year about 300 ns, PrevOpen
// about 130 ns, ten periods about 3 µs, against about 110 µs, 2.7 ms and
// 0.4–0.6 ms for rickar/cal's AddWorkHours, WorkHoursInRange and
// WorkdaysInRange on the same calendar (BenchmarkCalendarAdd40h and the
// benchmarks beside it). A Mon–Fri calendar with US holidays in New York over
// the default 230 years keeps about 2 600 such days, about 90 KB, and compiles
// in about 3–5 ms; narrow FirstYear/LastYear to shrink both. Composing two
// calendars in different zones examines every date of the range (tens of
// milliseconds); in the same zone only the special days of either. A [Calendar]
// is immutable and safe for concurrent use.
//
// # Updating the announced holidays
//
// Each year of an announced set is one short table,
// internal/holidaygen/tables/<set>/<year>.txt, transcribing the
// announcement and citing it (number, date, address, title); go generate
// in this package turns the tables into holidays_data.go and the tests in
// holidays_data_test.go, and refuses a table that cites nothing, lists a
// date twice, puts a make-up working day on a weekday or leaves a gap in
// the years. Next year's update is one new file, reviewed like code; the
// set's years, strict mode's default years and [PublicHolidayYears] follow.
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
//
// The numbered documents ("document 002") are closeloop's five source
// documents on customer-feedback handling; docs/documents.md in the
// repository (https://github.com/closeloop/closeloop/blob/main/docs/documents.md)
// says what each is, and docs/trace.md where each of their rules lives.
package sla
