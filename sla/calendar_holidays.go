package sla

import (
	"sort"
	"strings"

	"github.com/rickar/cal/v2"
	"github.com/rickar/cal/v2/ar"
	"github.com/rickar/cal/v2/at"
	"github.com/rickar/cal/v2/au"
	"github.com/rickar/cal/v2/be"
	"github.com/rickar/cal/v2/bg"
	"github.com/rickar/cal/v2/br"
	"github.com/rickar/cal/v2/ca"
	"github.com/rickar/cal/v2/ch"
	"github.com/rickar/cal/v2/cz"
	"github.com/rickar/cal/v2/de"
	"github.com/rickar/cal/v2/dk"
	"github.com/rickar/cal/v2/ecb"
	"github.com/rickar/cal/v2/es"
	"github.com/rickar/cal/v2/fr"
	"github.com/rickar/cal/v2/gb"
	"github.com/rickar/cal/v2/gr"
	"github.com/rickar/cal/v2/hr"
	"github.com/rickar/cal/v2/ie"
	"github.com/rickar/cal/v2/it"
	"github.com/rickar/cal/v2/jp"
	"github.com/rickar/cal/v2/lt"
	"github.com/rickar/cal/v2/lv"
	"github.com/rickar/cal/v2/mw"
	"github.com/rickar/cal/v2/nc"
	"github.com/rickar/cal/v2/nl"
	"github.com/rickar/cal/v2/no"
	"github.com/rickar/cal/v2/nz"
	"github.com/rickar/cal/v2/pl"
	"github.com/rickar/cal/v2/ro"
	"github.com/rickar/cal/v2/ru"
	"github.com/rickar/cal/v2/se"
	"github.com/rickar/cal/v2/si"
	"github.com/rickar/cal/v2/sk"
	"github.com/rickar/cal/v2/ua"
	"github.com/rickar/cal/v2/us"
	"github.com/rickar/cal/v2/za"
)

// holidaySet is one list of rickar/cal holiday definitions, selected by code,
// or, for a country whose holidays are announced year by year rather than
// rule-based ("CN", "HK", "IN", "KR", "SG", "TW"), no definitions and an
// announced schedule (holidays_announced.go).
type holidaySet struct {
	code      string
	holidays  []*cal.Holiday
	announced *announcedSet
}

// schedule returns the announced schedule of the set, nil for a rule-based
// set.
func (s holidaySet) schedule() *announcedSet { return s.announced }

// years returns the years the set has data for: all supported years for a
// rule-based set, the announced years for a schedule.
func (s holidaySet) years() (int, int) {
	if a := s.schedule(); a != nil {
		return a.first, a.last
	}
	return MinYear, MaxYear
}

// holidaySets maps the codes accepted in CalendarSpec.PublicHolidays to
// rickar/cal/v2 (v2.1.13) holiday lists: a country's ISO 3166 code for its
// national list, "CC-RR" for a region's complete list (national holidays
// included), "ECB" for the TARGET2 banking holidays. Australia has regional
// lists only. "CN" is China mainland's announced schedule (calendar_cn.go),
// holidays and make-up working days, for the years it has.
var holidaySets = []holidaySet{
	{"AR", ar.Holidays, nil},
	{"AT", at.Holidays, nil},
	{"AU-ACT", au.HolidaysACT, nil},
	{"AU-NSW", au.HolidaysNSW, nil},
	{"AU-NT", au.HolidaysNT, nil},
	{"AU-QLD", au.HolidaysQLD, nil},
	{"AU-SA", au.HolidaysSA, nil},
	{"AU-TAS", au.HolidaysTAS, nil},
	{"AU-VIC", au.HolidaysVIC, nil},
	{"AU-WA", au.HolidaysWA, nil},
	{"BE", be.Holidays, nil},
	{"BG", bg.Holidays, nil},
	{"BR", br.Holidays, nil},
	{"CA", ca.Holidays, nil},
	{"CH", ch.Holidays, nil},
	{"CH-ZH", ch.HolidaysZH, nil},
	{"CH-BE", ch.HolidaysBE, nil},
	{"CH-LU", ch.HolidaysLU, nil},
	{"CH-UR", ch.HolidaysUR, nil},
	{"CH-SZ", ch.HolidaysSZ, nil},
	{"CH-OW", ch.HolidaysOW, nil},
	{"CH-NW", ch.HolidaysNW, nil},
	{"CH-GL", ch.HolidaysGL, nil},
	{"CH-ZG", ch.HolidaysZG, nil},
	{"CH-FR", ch.HolidaysFR, nil},
	{"CH-SO", ch.HolidaysSO, nil},
	{"CH-BS", ch.HolidaysBS, nil},
	{"CH-BL", ch.HolidaysBL, nil},
	{"CH-SH", ch.HolidaysSH, nil},
	{"CH-AR", ch.HolidaysAR, nil},
	{"CH-AI", ch.HolidaysAI, nil},
	{"CH-SG", ch.HolidaysSG, nil},
	{"CH-GR", ch.HolidaysGR, nil},
	{"CH-AG", ch.HolidaysAG, nil},
	{"CH-TG", ch.HolidaysTG, nil},
	{"CH-VD", ch.HolidaysVD, nil},
	{"CH-TI", ch.HolidaysTI, nil},
	{"CH-VS", ch.HolidaysVS, nil},
	{"CH-NE", ch.HolidaysNE, nil},
	{"CH-GE", ch.HolidaysGE, nil},
	{"CH-JU", ch.HolidaysJU, nil},
	{"CZ", cz.Holidays, nil},
	{"DE", de.Holidays, nil},
	{"DE-BW", de.HolidaysBW, nil},
	{"DE-BY", de.HolidaysBY, nil},
	{"DE-BE", de.HolidaysBE, nil},
	{"DE-BB", de.HolidaysBB, nil},
	{"DE-HB", de.HolidaysHB, nil},
	{"DE-HH", de.HolidaysHH, nil},
	{"DE-HE", de.HolidaysHE, nil},
	{"DE-MV", de.HolidaysMV, nil},
	{"DE-NI", de.HolidaysNI, nil},
	{"DE-NW", de.HolidaysNW, nil},
	{"DE-RP", de.HolidaysRP, nil},
	{"DE-SL", de.HolidaysSL, nil},
	{"DE-SN", de.HolidaysSN, nil},
	{"DE-ST", de.HolidaysST, nil},
	{"DE-SH", de.HolidaysSH, nil},
	{"DE-TH", de.HolidaysTH, nil},
	{"DK", dk.Holidays, nil},
	{"ECB", ecb.Holidays, nil},
	{"ES", es.Holidays, nil},
	{"FR", fr.Holidays, nil},
	{"GB", gb.Holidays, nil},
	{"GR", gr.Holidays, nil},
	{"HR", hr.Holidays, nil},
	{"IE", ie.Holidays, nil},
	{"IT", it.Holidays, nil},
	{"JP", jp.Holidays, nil},
	{"LT", lt.Holidays, nil},
	{"LV", lv.Holidays, nil},
	{"MW", mw.Holidays, nil},
	{"NC", nc.Holidays, nil},
	{"NL", nl.Holidays, nil},
	{"NO", no.Holidays, nil},
	{"NZ", nz.Holidays, nil},
	{"PL", pl.Holidays, nil},
	{"RO", ro.Holidays, nil},
	{"RU", ru.Holidays, nil},
	{"SE", se.Holidays, nil},
	{"SI", si.Holidays, nil},
	{"SK", sk.Holidays, nil},
	{"UA", ua.Holidays, nil},
	{"US", us.Holidays, nil},
	{"ZA", za.Holidays, nil},
}

// PublicHolidaySets lists the codes accepted in [CalendarSpec.PublicHolidays],
// sorted: rickar/cal's rule-based sets and the announced ones.
func PublicHolidaySets() []string {
	out := make([]string, 0, len(holidaySets)+len(announcedSets))
	for _, s := range holidaySets {
		out = append(out, s.code)
	}
	for _, a := range announcedSets {
		out = append(out, a.code)
	}
	sort.Strings(out)
	return out
}

// PublicHolidayYears returns the years for which the public holiday set
// code has data: every supported year (MinYear..MaxYear) for a rule-based
// set such as "US" or "DE-BY", only the announced years for an announced
// set ("CN": 2007 through 2026 in this release; "HK", "IN", "KR", "SG",
// "TW": 2024 through 2026). ok is false for an unknown code. A host can
// compare it with its calendars' years to warn before the data runs out.
func PublicHolidayYears(code string) (first, last int, ok bool) {
	s, ok := lookupHolidaySet(code)
	if !ok {
		return 0, 0, false
	}
	first, last = s.years()
	return first, last, true
}

func lookupHolidaySet(code string) (holidaySet, bool) {
	up := strings.ToUpper(strings.TrimSpace(code))
	for _, a := range announcedSets {
		if a.code == up {
			return holidaySet{code: a.code, announced: a}, true
		}
	}
	for _, s := range holidaySets {
		if s.code == up {
			return s, true
		}
	}
	return holidaySet{}, false
}

// dates returns the observed dates (days since 1970-01-01) of every holiday
// in the set for the years from..to. Only the holiday's own calculation for a
// year is used (Holiday.Calc), never rickar's calendar machinery: an observed
// date moved into a neighbouring year is found from that holiday's year.
func (s holidaySet) dates(from, to int) []int32 {
	if a := s.schedule(); a != nil {
		return a.closedDates(from, to)
	}
	var out []int32
	for y := from; y <= to; y++ {
		for _, h := range s.holidays {
			_, obs := h.Calc(y)
			if obs.IsZero() {
				continue
			}
			oy, om, od := obs.Date()
			out = append(out, civilDay(oy, om, od))
		}
	}
	return out
}

// makeUpSets lists the codes of the sets that have make-up working days.
func makeUpSets() []string {
	var out []string
	for _, a := range announcedSets {
		if a.hasMakeUp() {
			out = append(out, a.code)
		}
	}
	return out
}
