package sla

import (
	"encoding/json"
	"fmt"
	"sort"
	"strings"
	"time"

	"github.com/closeloop/closeloop/internal/rulesjson"
)

// Supported years of a calendar when its spec does not say otherwise.
const (
	DefaultFirstYear = 1970
	DefaultLastYear  = 2199
	// MinYear and MaxYear bound FirstYear and LastYear; a calendar spans at
	// most MaxYearSpan years (its open time in nanoseconds must fit an int64).
	MinYear     = 1900
	MaxYear     = 2399
	MaxYearSpan = 280
)

// Hours is one open (or closed) stretch of a day in wall-clock time: two
// "HH:MM" or "HH:MM:SS" strings, start inclusive, end exclusive, start before
// end. "24:00" is allowed as an end. In JSON it is a two-element array:
// ["09:00","12:00"]. A shift that runs past midnight is written as two
// stretches: ["22:00","24:00"] on one day and ["00:00","06:00"] on the next.
type Hours []string

// WeekHours holds the open stretches of each weekday, in ascending order and
// not overlapping (touching stretches are merged). A missing day is closed.
type WeekHours struct {
	Mon []Hours `json:"mon,omitempty"`
	Tue []Hours `json:"tue,omitempty"`
	Wed []Hours `json:"wed,omitempty"`
	Thu []Hours `json:"thu,omitempty"`
	Fri []Hours `json:"fri,omitempty"`
	Sat []Hours `json:"sat,omitempty"`
	Sun []Hours `json:"sun,omitempty"`
}

// HolidaySpec is a dated holiday: the whole day is closed, or, when Closed is
// given, only those stretches of it (a part-day closure such as
// Christmas Eve afternoon). Date may be a range of dates, both ends
// included, "2026-02-15..2026-02-23" (at most [MaxRangeDays]), which closes
// each of them alike.
type HolidaySpec struct {
	Date   string  `json:"date"` // "YYYY-MM-DD" or "YYYY-MM-DD..YYYY-MM-DD", in the calendar's time zone
	Name   string  `json:"name,omitempty"`
	Closed []Hours `json:"closed,omitempty"`
}

// WorkingDaySpec is an extra working day: on Date the calendar is open for
// Hours instead of the weekday's usual hours, whatever they are (China's
// make-up working days on weekends, a Saturday opening before a launch).
// Without Hours the day takes the calendar's make-up hours (see
// [CalendarSpec.MakeUpHoursFrom]): a make-up Saturday of a Monday–Friday
// office works Monday's hours.
type WorkingDaySpec struct {
	Date  string  `json:"date"` // "YYYY-MM-DD", in the calendar's time zone
	Name  string  `json:"name,omitempty"`
	Hours []Hours `json:"hours,omitempty"`
}

// CalendarSpec describes a business calendar. It is plain data: build one in
// Go or decode it from JSON ([ParseCalendarSpec]), then compile it with
// [NewCalendar]. See the package documentation for the rules.
type CalendarSpec struct {
	// Name identifies the calendar, e.g. in a [Calendars] set.
	Name string `json:"name"`
	// TimeZone is an IANA zone name such as "Europe/London" or "UTC".
	TimeZone string `json:"time_zone"`
	// Week gives the open hours of each weekday.
	Week WeekHours `json:"week"`
	// PublicHolidays selects holiday sets by code ("US", "GB", "DE",
	// "DE-BY", "AU-NSW", "CN", "HK", ...; see [PublicHolidaySets]). Each
	// holiday closes the calendar for the whole of its observed date. The
	// announced sets "CN" and "TW" also open their make-up working days
	// (see MakeUpHoursFrom).
	PublicHolidays []string `json:"public_holidays,omitempty"`
	// MakeUpHoursFrom names the weekday, "mon" to "sun", whose open hours a
	// make-up working day takes: one of a public holiday set ("CN", "TW")
	// and an extra working day given without hours. Empty means the first
	// weekday, Monday to Sunday, that has open hours.
	MakeUpHoursFrom string `json:"make_up_hours_from,omitempty"`
	// PublicHolidaysStrict confines the calendar to the years every listed
	// set has data for ([PublicHolidayYears]): FirstYear and LastYear left
	// out default to them ("CN" alone gives its announced years), and
	// years given beyond them are refused ([ErrNoHolidayData] at the set's
	// path, naming the set's last year with data). Without it, years
	// outside the data carry only the weekly hours and the spec's own
	// dated entries.
	PublicHolidaysStrict bool `json:"public_holidays_strict,omitempty"`
	// Holidays are dated closures, whole-day or part-day.
	Holidays []HolidaySpec `json:"holidays,omitempty"`
	// ExtraWorkingDays open dates with their own hours.
	ExtraWorkingDays []WorkingDaySpec `json:"extra_working_days,omitempty"`
	// ICS is an iCalendar document (RFC 5545) whose events are closures:
	// all-day events close whole dates, timed events close their time span.
	ICS string `json:"ics,omitempty"`
	// FirstYear and LastYear bound the supported years (inclusive); zero
	// means [DefaultFirstYear] and [DefaultLastYear].
	FirstYear int `json:"first_year,omitempty"`
	LastYear  int `json:"last_year,omitempty"`
	// Intersect and Union compose calendars of the same set by name (see
	// [ParseCalendars]): the calendar is open when all (Intersect) or any
	// (Union) of the named calendars are open, and takes the first one's
	// time zone. A composed spec has only a name and one of these lists.
	Intersect []string `json:"intersect,omitempty"`
	Union     []string `json:"union,omitempty"`
}

// composed reports whether the spec composes other calendars by name.
func (s *CalendarSpec) composed() bool { return len(s.Intersect) > 0 || len(s.Union) > 0 }

// MarshalJSON writes the spec as the JSON document [ParseCalendarSpec] reads.
func (s CalendarSpec) MarshalJSON() ([]byte, error) {
	type plain CalendarSpec
	return json.Marshal(plain(s))
}

// ParseCalendarSpec strictly decodes a [CalendarSpec] from JSON and validates
// it. Errors are *[PathError] values naming the offending JSON path. A
// document over [MaxCalendarBytes] is refused before decoding ([ErrLimit]).
func ParseCalendarSpec(data []byte) (CalendarSpec, error) {
	if err := checkSize(data, MaxCalendarBytes); err != nil {
		return CalendarSpec{}, err
	}
	var s CalendarSpec
	if err := rulesjson.Decode(data, &s); err != nil {
		return CalendarSpec{}, err
	}
	if _, err := s.compile("$"); err != nil {
		return CalendarSpec{}, err
	}
	return s, nil
}

// span is a stretch [s, e) of seconds within a day.
type span struct{ s, e int32 }

// dayOverride collects everything dated on one calendar date. A dense
// calendar keeps one per date for centuries, so it stays small (64 bytes):
// the rare closures of a public holiday set sit behind a pointer.
type dayOverride struct {
	hours    []span       // an extra working day's hours
	closed   []span       // part-day closures
	soft     *softClosure // part-day closures of a public holiday set, if any
	extra    bool         // an extra working day
	full     bool         // a whole-day dated holiday
	fullSoft bool         // a whole-day holiday from a definition or feed (an extra working day wins)
	makeUp   bool         // a make-up working day of a public holiday set (any closure wins)
}

// softClosure holds a date's part-day closures of a public holiday set:
// like its whole-day holidays, an extra working day wins over them.
type softClosure struct {
	closed []span
	all    []span // the date's closed and these, merged (set by compile)
}

// wallRules is a validated spec: wall-clock rules per date.
type wallRules struct {
	loc       *time.Location
	first     int
	last      int
	week      [7][]span // indexed by time.Weekday
	overrides map[int32]*dayOverride
	slab      []dayOverride
	makeUp    []span // the hours of a make-up working day
}

func (w *wallRules) override(d int32) *dayOverride {
	o := w.overrides[d]
	if o == nil {
		// Allocate in blocks; a full block is left in place, so earlier
		// pointers stay valid.
		if len(w.slab) == cap(w.slab) {
			w.slab = make([]dayOverride, 0, 256)
		}
		w.slab = append(w.slab, dayOverride{})
		o = &w.slab[len(w.slab)-1]
		w.overrides[d] = o
	}
	return o
}

// wall returns the open stretches of civil date d (days since 1970-01-01).
// The result may alias internal data: do not modify it.
func (w *wallRules) wall(d int32, buf []span) []span {
	base := w.week[weekdayOf(d)]
	o := w.overrides[d]
	if o == nil {
		return base
	}
	switch {
	case o.extra:
		base = o.hours
	case o.full || o.fullSoft:
		return nil
	case o.makeUp:
		base = w.makeUp
	}
	closed := o.closed
	if o.soft != nil && !o.extra {
		closed = o.soft.all
	}
	if len(closed) == 0 {
		return base
	}
	return subtractSpans(buf[:0], base, closed)
}

func (s *CalendarSpec) years() (int, int) {
	first, last := s.FirstYear, s.LastYear
	if first == 0 {
		first = DefaultFirstYear
	}
	if last == 0 {
		last = DefaultLastYear
	}
	return first, last
}

// compile validates the spec and returns its wall-clock rules. path is the
// JSON path of the spec ("$" for a document, "$[3]" inside a set).
func (s *CalendarSpec) compile(path string) (*wallRules, error) {
	if s.composed() {
		key := "intersect"
		if len(s.Intersect) == 0 {
			key = "union"
		}
		return nil, rulesjson.Errorf(rulesjson.Field(path, key), "a composed calendar names other calendars; decode it within a set (ParseCalendars)")
	}
	hPath := rulesjson.Field(path, "holidays")
	xPath := rulesjson.Field(path, "extra_working_days")
	if err := checkCount(hPath, len(s.Holidays), MaxHolidays, "holidays"); err != nil {
		return nil, err
	}
	if err := checkCount(xPath, len(s.ExtraWorkingDays), MaxExtraWorkingDays, "extra working days"); err != nil {
		return nil, err
	}
	if len(s.ICS) > MaxICSBytes {
		return nil, limitErr(rulesjson.Field(path, "ics"), fmt.Sprintf("iCalendar document of %d bytes", len(s.ICS)), MaxICSBytes)
	}

	// The public holiday sets first: in strict mode their data bounds the
	// default years.
	phPath := rulesjson.Field(path, "public_holidays")
	if err := checkCount(phPath, len(s.PublicHolidays), MaxPublicHolidaySets, "public holiday sets"); err != nil {
		return nil, err
	}
	sets := make([]holidaySet, 0, len(s.PublicHolidays))
	seenP := map[string]bool{}
	for i, code := range s.PublicHolidays {
		p := rulesjson.Index(phPath, i)
		set, ok := lookupHolidaySet(code)
		if !ok {
			return nil, rulesjson.Errorf(p, "unknown public holiday set %q (known: %s)", code, strings.Join(PublicHolidaySets(), ", "))
		}
		if seenP[set.code] {
			return nil, rulesjson.Errorf(p, "public holiday set %q listed twice", code)
		}
		seenP[set.code] = true
		sets = append(sets, set)
	}

	w := &wallRules{overrides: map[int32]*dayOverride{}}
	first, last := s.years()
	if s.PublicHolidaysStrict {
		// Strict mode: years left out default to the years every listed
		// set has data for, so {"public_holidays": ["CN"],
		// "public_holidays_strict": true} covers exactly the announced years.
		for _, set := range sets {
			lo, hi := set.years()
			if s.FirstYear == 0 {
				first = max(first, lo)
			}
			if s.LastYear == 0 {
				last = min(last, hi)
			}
		}
		for i, set := range sets {
			if lo, hi := set.years(); first < lo || last > hi || first > hi || last < lo {
				return nil, &PathError{Path: rulesjson.Index(phPath, i), Err: fmt.Errorf(
					"%w: set %q has data for %d..%d, the last year with data is %d; the calendar's years are %d..%d (narrow first_year and last_year, or leave them out to take the data's years)",
					ErrNoHolidayData, set.code, lo, hi, hi, first, last)}
			}
		}
	}
	if first < MinYear || first > MaxYear {
		return nil, rulesjson.Errorf(rulesjson.Field(path, "first_year"), "year %d outside %d..%d", first, MinYear, MaxYear)
	}
	if last < MinYear || last > MaxYear {
		return nil, rulesjson.Errorf(rulesjson.Field(path, "last_year"), "year %d outside %d..%d", last, MinYear, MaxYear)
	}
	if last < first {
		return nil, rulesjson.Errorf(rulesjson.Field(path, "last_year"), "last year %d before first year %d", last, first)
	}
	if last-first+1 > MaxYearSpan {
		return nil, rulesjson.Errorf(rulesjson.Field(path, "last_year"), "more than %d supported years", MaxYearSpan)
	}
	w.first, w.last = first, last

	tzPath := rulesjson.Field(path, "time_zone")
	if s.TimeZone == "" {
		return nil, rulesjson.Errorf(tzPath, "missing time zone (an IANA name such as \"Europe/London\" or \"UTC\")")
	}
	loc, err := loadZone(s.TimeZone)
	if err != nil {
		return nil, &PathError{Path: tzPath, Err: err}
	}
	w.loc = loc

	weekPath := rulesjson.Field(path, "week")
	days := []struct {
		key string
		wd  time.Weekday
		h   []Hours
	}{
		{"mon", time.Monday, s.Week.Mon}, {"tue", time.Tuesday, s.Week.Tue}, {"wed", time.Wednesday, s.Week.Wed},
		{"thu", time.Thursday, s.Week.Thu}, {"fri", time.Friday, s.Week.Fri}, {"sat", time.Saturday, s.Week.Sat},
		{"sun", time.Sunday, s.Week.Sun},
	}
	for _, d := range days {
		spans, err := parseHoursList(rulesjson.Field(weekPath, d.key), d.h)
		if err != nil {
			return nil, err
		}
		w.week[d.wd] = spans
	}
	// The hours of a make-up day: a set's make-up working days and the
	// spec's extra working days given without hours.
	muPath := rulesjson.Field(path, "make_up_hours_from")
	if s.MakeUpHoursFrom == "" {
		for _, d := range days {
			if len(w.week[d.wd]) > 0 {
				w.makeUp = w.week[d.wd]
				break
			}
		}
	} else {
		found := false
		for _, d := range days {
			if d.key == s.MakeUpHoursFrom {
				found = true
				w.makeUp = w.week[d.wd]
			}
		}
		if !found {
			return nil, rulesjson.Errorf(muPath, "unknown weekday %q (want \"mon\" to \"sun\")", s.MakeUpHoursFrom)
		}
		if len(w.makeUp) == 0 {
			return nil, rulesjson.Errorf(muPath, "%s has no open hours for make-up working days to take", s.MakeUpHoursFrom)
		}
	}

	firstDay, endDay := civilDay(first, 1, 1), civilDay(last+1, 1, 1)
	inRange := func(d int32) bool { return d >= firstDay && d < endDay }

	seen := map[int32]int{}
	for i, h := range s.Holidays {
		p := rulesjson.Index(hPath, i)
		dp := rulesjson.Field(p, "date")
		d0, d1, err := parseDateRange(dp, h.Date)
		if err != nil {
			return nil, err
		}
		if !inRange(d0) || !inRange(d1) {
			return nil, rulesjson.Errorf(dp, "date %s outside the supported years %d..%d", h.Date, first, last)
		}
		for d := d0; d <= d1; d++ {
			if j, dup := seen[d]; dup {
				return nil, rulesjson.Errorf(dp, "date %s already listed at %s", civilDate(d).Format("2006-01-02"), rulesjson.Index(hPath, j))
			}
			seen[d] = i
		}
		var cl []span
		if h.Closed != nil {
			cl, err = parseHoursList(rulesjson.Field(p, "closed"), h.Closed)
			if err != nil {
				return nil, err
			}
			if len(cl) == 0 {
				return nil, rulesjson.Errorf(rulesjson.Field(p, "closed"), "empty list of closed hours (omit \"closed\" to close the whole day)")
			}
		}
		for d := d0; d <= d1; d++ {
			o := w.override(d)
			if cl == nil {
				o.full = true
			} else {
				o.closed = cl[:len(cl):len(cl)] // shared by the range's dates: an append must copy
			}
		}
	}

	seenX := map[int32]int{}
	defaultHours := false
	for i, x := range s.ExtraWorkingDays {
		p := rulesjson.Index(xPath, i)
		d, err := parseDate(rulesjson.Field(p, "date"), x.Date)
		if err != nil {
			return nil, err
		}
		if !inRange(d) {
			return nil, rulesjson.Errorf(rulesjson.Field(p, "date"), "date %s outside the supported years %d..%d", x.Date, first, last)
		}
		if j, dup := seenX[d]; dup {
			return nil, rulesjson.Errorf(rulesjson.Field(p, "date"), "date %s already listed at %s", x.Date, rulesjson.Index(xPath, j))
		}
		seenX[d] = i
		if j, ok := seen[d]; ok && w.overrides[d].full {
			return nil, rulesjson.Errorf(rulesjson.Field(p, "date"), "date %s is also a whole-day holiday at %s", x.Date, rulesjson.Index(hPath, j))
		}
		var hours []span
		if x.Hours == nil {
			// No hours: the make-up hours, as for a set's make-up day.
			if len(w.makeUp) == 0 {
				return nil, rulesjson.Errorf(rulesjson.Field(p, "hours"), "no hours given, and no weekday has hours for an extra working day to take")
			}
			hours, defaultHours = w.makeUp, true
		} else {
			hours, err = parseHoursList(rulesjson.Field(p, "hours"), x.Hours)
			if err != nil {
				return nil, err
			}
			if len(hours) == 0 {
				return nil, rulesjson.Errorf(rulesjson.Field(p, "hours"), "an extra working day needs open hours (leave \"hours\" out to take the make-up hours)")
			}
		}
		o := w.override(d)
		o.extra, o.hours = true, hours
	}

	scheduled := false
	for _, set := range sets {
		for _, d := range set.dates(first-1, last+1) {
			if inRange(d) {
				w.override(d).fullSoft = true
			}
		}
		if a := set.schedule(); a != nil {
			// An announcement's make-up days and part-day closures may spill
			// into a neighbouring year, like its days off.
			if a.hasMakeUp() {
				scheduled = true
			}
			for _, d := range a.makeUpDates(first-1, last+1) {
				if inRange(d) {
					w.override(d).makeUp = true
				}
			}
			a.days(announcedPart, first-1, last+1, func(d int32, e *announcedEntry) {
				if inRange(d) {
					o := w.override(d)
					if o.soft == nil {
						o.soft = new(softClosure)
					}
					o.soft.closed = append(o.soft.closed, e.closed)
				}
			})
		}
	}
	if s.MakeUpHoursFrom != "" && !scheduled && !defaultHours {
		return nil, rulesjson.Errorf(muPath, "nothing takes make-up hours: no listed public holiday set has make-up working days (%s do) and every extra working day gives its own hours",
			strings.Join(makeUpSets(), ", "))
	}

	if s.ICS != "" {
		if err := importICS(rulesjson.Field(path, "ics"), s.ICS, w, firstDay, endDay); err != nil {
			return nil, err
		}
	}
	// Drop overrides that change nothing so they cost nothing.
	for d, o := range w.overrides {
		if o.soft != nil {
			o.soft.all = normalizeSpans(append(append([]span(nil), o.closed...), o.soft.closed...))
		}
		if !o.extra && !o.full && !o.fullSoft && !o.makeUp && len(o.closed) == 0 && o.soft == nil {
			delete(w.overrides, d)
		}
	}
	return w, nil
}

// loadZone loads an IANA time zone by name, refusing the names that depend
// on the host: "Local", and file paths. Its errors have no path.
func loadZone(name string) (*time.Location, error) {
	if name == "Local" || strings.ContainsAny(name, "\\\x00") || strings.HasPrefix(name, "/") {
		return nil, fmt.Errorf("unknown time zone %q (\"Local\" and file paths depend on the host; use an IANA name)", name)
	}
	loc, err := time.LoadLocation(name)
	if err != nil {
		return nil, fmt.Errorf("unknown time zone %q", name)
	}
	return loc, nil
}

// parseDateRange reads "YYYY-MM-DD" or "YYYY-MM-DD..YYYY-MM-DD" (both ends
// included) as days since 1970-01-01.
func parseDateRange(path, s string) (from, to int32, err error) {
	a, b, isRange := strings.Cut(s, "..")
	if !isRange {
		d, err := parseDate(path, s)
		return d, d, err
	}
	bad := func() (int32, int32, error) {
		return 0, 0, rulesjson.Errorf(path, "bad date range %q (want \"YYYY-MM-DD..YYYY-MM-DD\", both ends included)", s)
	}
	if from, err = parseDate(path, a); err != nil {
		return bad()
	}
	if to, err = parseDate(path, b); err != nil {
		return bad()
	}
	if to < from {
		return 0, 0, rulesjson.Errorf(path, "date range %q ends before it starts", s)
	}
	if n := int(to-from) + 1; n > MaxRangeDays {
		return 0, 0, limitErr(path, fmt.Sprintf("date range %q of %d days", s, n), MaxRangeDays)
	}
	return from, to, nil
}

// parseHoursList validates the stretches of one day: each well formed,
// ascending, not overlapping; touching stretches are merged.
func parseHoursList(path string, list []Hours) ([]span, error) {
	if err := checkCount(path, len(list), MaxStretchesPerDay, "stretches"); err != nil {
		return nil, err
	}
	out := make([]span, 0, len(list))
	for i, h := range list {
		p := rulesjson.Index(path, i)
		if len(h) != 2 {
			return nil, rulesjson.Errorf(p, "want [start, end], got %d values", len(h))
		}
		a, err := parseClock(rulesjson.Index(p, 0), h[0], false)
		if err != nil {
			return nil, err
		}
		b, err := parseClock(rulesjson.Index(p, 1), h[1], true)
		if err != nil {
			return nil, err
		}
		if b < a {
			return nil, rulesjson.Errorf(p, "inverted hours %s–%s (write a shift past midnight as two stretches on two days)", h[0], h[1])
		}
		if b == a {
			return nil, rulesjson.Errorf(p, "empty hours %s–%s (zero duration)", h[0], h[1])
		}
		if n := len(out); n > 0 {
			prev := out[n-1]
			if a < prev.e {
				return nil, rulesjson.Errorf(p, "hours %s–%s overlap or precede the stretch before them", h[0], h[1])
			}
			if a == prev.e {
				out[n-1].e = b
				continue
			}
		}
		out = append(out, span{a, b})
	}
	return out, nil
}

// parseClock reads "HH:MM" or "HH:MM:SS" as seconds after midnight. "24:00"
// is accepted only as an end.
func parseClock(path, s string, end bool) (int32, error) {
	bad := func() (int32, error) {
		return 0, rulesjson.Errorf(path, "bad time of day %q (want \"HH:MM\" or \"HH:MM:SS\")", s)
	}
	if len(s) != 5 && len(s) != 8 {
		return bad()
	}
	num := func(i int) (int32, bool) {
		c1, c2 := s[i], s[i+1]
		if c1 < '0' || c1 > '9' || c2 < '0' || c2 > '9' {
			return 0, false
		}
		return int32(c1-'0')*10 + int32(c2-'0'), true
	}
	h, ok1 := num(0)
	m, ok2 := num(3)
	sec, ok3 := int32(0), true
	if len(s) == 8 {
		if s[5] != ':' {
			return bad()
		}
		sec, ok3 = num(6)
	}
	if !ok1 || !ok2 || !ok3 || s[2] != ':' || m > 59 || sec > 59 || h > 24 {
		return bad()
	}
	v := h*3600 + m*60 + sec
	if h == 24 {
		if v != 86400 {
			return bad()
		}
		if !end {
			return 0, rulesjson.Errorf(path, "24:00 can only end a stretch")
		}
	}
	return v, nil
}

// parseDate reads "YYYY-MM-DD" as days since 1970-01-01.
func parseDate(path, s string) (int32, error) {
	t, err := time.Parse("2006-01-02", s)
	if err != nil || len(s) != 10 {
		return 0, rulesjson.Errorf(path, "bad or non-existent date %q (want \"YYYY-MM-DD\")", s)
	}
	return int32(floorDiv(t.Unix(), 86400)), nil
}

// civilDay returns the days since 1970-01-01 of a Gregorian date.
func civilDay(y int, m time.Month, d int) int32 {
	return int32(floorDiv(time.Date(y, m, d, 0, 0, 0, 0, time.UTC).Unix(), 86400))
}

func civilDate(d int32) time.Time { return time.Unix(int64(d)*86400, 0).UTC() }

func floorDiv(a, b int64) int64 {
	q := a / b
	if (a%b != 0) && ((a < 0) != (b < 0)) {
		q--
	}
	return q
}

// weekdayOf returns the weekday of civil day d (1970-01-01 was a Thursday).
func weekdayOf(d int32) time.Weekday {
	return time.Weekday(((int64(d) % 7) + 7 + 4) % 7)
}

// subtractSpans appends base minus cut to dst; both inputs sorted, disjoint.
func subtractSpans(dst, base, cut []span) []span {
	j := 0
	for _, b := range base {
		s := b.s
		for j < len(cut) && cut[j].e <= s {
			j++
		}
		k := j
		for k < len(cut) && cut[k].s < b.e {
			if cut[k].s > s {
				dst = append(dst, span{s, cut[k].s})
			}
			if cut[k].e > s {
				s = cut[k].e
			}
			k++
		}
		if s < b.e {
			dst = append(dst, span{s, b.e})
		}
	}
	return dst
}

// normalizeSpans sorts spans and merges overlapping or touching ones, in place.
func normalizeSpans(list []span) []span {
	if len(list) < 2 {
		return list
	}
	sort.Slice(list, func(i, j int) bool { return list[i].s < list[j].s })
	out := list[:1]
	for _, x := range list[1:] {
		last := &out[len(out)-1]
		if x.s <= last.e {
			if x.e > last.e {
				last.e = x.e
			}
			continue
		}
		out = append(out, x)
	}
	return out
}

// clone returns a deep copy of the spec, so a compiled calendar never shares
// slices with its caller.
func (s CalendarSpec) clone() CalendarSpec {
	hours := func(list []Hours) []Hours {
		if list == nil {
			return nil
		}
		out := make([]Hours, len(list))
		for i, h := range list {
			out[i] = append(Hours(nil), h...)
		}
		return out
	}
	strs := func(list []string) []string {
		if list == nil {
			return nil
		}
		return append([]string{}, list...)
	}
	c := s
	c.Week = WeekHours{hours(s.Week.Mon), hours(s.Week.Tue), hours(s.Week.Wed), hours(s.Week.Thu), hours(s.Week.Fri), hours(s.Week.Sat), hours(s.Week.Sun)}
	c.PublicHolidays = strs(s.PublicHolidays)
	c.Intersect, c.Union = strs(s.Intersect), strs(s.Union)
	if s.Holidays != nil {
		c.Holidays = make([]HolidaySpec, len(s.Holidays))
		for i, h := range s.Holidays {
			h.Closed = hours(h.Closed)
			c.Holidays[i] = h
		}
	}
	if s.ExtraWorkingDays != nil {
		c.ExtraWorkingDays = make([]WorkingDaySpec, len(s.ExtraWorkingDays))
		for i, x := range s.ExtraWorkingDays {
			x.Hours = hours(x.Hours)
			c.ExtraWorkingDays[i] = x
		}
	}
	return c
}

// Weekdays returns week hours open Monday to Friday for the given
// stretches, closed at weekends: Weekdays(Hours{"09:00", "17:00"}).
func Weekdays(stretches ...Hours) WeekHours {
	return WeekHours{Mon: stretches, Tue: stretches, Wed: stretches, Thu: stretches, Fri: stretches}
}

// EveryDay returns week hours open every day for the given stretches:
// EveryDay(Hours{"00:00", "24:00"}) is around the clock.
func EveryDay(stretches ...Hours) WeekHours {
	w := Weekdays(stretches...)
	w.Sat, w.Sun = stretches, stretches
	return w
}
