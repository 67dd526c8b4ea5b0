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
// rule-based (China mainland, "CN"), no definitions and an announced
// schedule (see schedule).
type holidaySet struct {
	code     string
	holidays []*cal.Holiday
}

// schedule returns the announced schedule of the set, nil for a rule-based
// set.
func (s holidaySet) schedule() *announcedSet {
	if s.code == "CN" {
		return &cnSchedule
	}
	return nil
}

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
	{"AR", ar.Holidays},
	{"AT", at.Holidays},
	{"AU-ACT", au.HolidaysACT},
	{"AU-NSW", au.HolidaysNSW},
	{"AU-NT", au.HolidaysNT},
	{"AU-QLD", au.HolidaysQLD},
	{"AU-SA", au.HolidaysSA},
	{"AU-TAS", au.HolidaysTAS},
	{"AU-VIC", au.HolidaysVIC},
	{"AU-WA", au.HolidaysWA},
	{"BE", be.Holidays},
	{"BG", bg.Holidays},
	{"BR", br.Holidays},
	{"CA", ca.Holidays},
	{"CH", ch.Holidays},
	{"CH-ZH", ch.HolidaysZH},
	{"CH-BE", ch.HolidaysBE},
	{"CH-LU", ch.HolidaysLU},
	{"CH-UR", ch.HolidaysUR},
	{"CH-SZ", ch.HolidaysSZ},
	{"CH-OW", ch.HolidaysOW},
	{"CH-NW", ch.HolidaysNW},
	{"CH-GL", ch.HolidaysGL},
	{"CH-ZG", ch.HolidaysZG},
	{"CH-FR", ch.HolidaysFR},
	{"CH-SO", ch.HolidaysSO},
	{"CH-BS", ch.HolidaysBS},
	{"CH-BL", ch.HolidaysBL},
	{"CH-SH", ch.HolidaysSH},
	{"CH-AR", ch.HolidaysAR},
	{"CH-AI", ch.HolidaysAI},
	{"CH-SG", ch.HolidaysSG},
	{"CH-GR", ch.HolidaysGR},
	{"CH-AG", ch.HolidaysAG},
	{"CH-TG", ch.HolidaysTG},
	{"CH-VD", ch.HolidaysVD},
	{"CH-TI", ch.HolidaysTI},
	{"CH-VS", ch.HolidaysVS},
	{"CH-NE", ch.HolidaysNE},
	{"CH-GE", ch.HolidaysGE},
	{"CH-JU", ch.HolidaysJU},
	{"CN", nil},
	{"CZ", cz.Holidays},
	{"DE", de.Holidays},
	{"DE-BW", de.HolidaysBW},
	{"DE-BY", de.HolidaysBY},
	{"DE-BE", de.HolidaysBE},
	{"DE-BB", de.HolidaysBB},
	{"DE-HB", de.HolidaysHB},
	{"DE-HH", de.HolidaysHH},
	{"DE-HE", de.HolidaysHE},
	{"DE-MV", de.HolidaysMV},
	{"DE-NI", de.HolidaysNI},
	{"DE-NW", de.HolidaysNW},
	{"DE-RP", de.HolidaysRP},
	{"DE-SL", de.HolidaysSL},
	{"DE-SN", de.HolidaysSN},
	{"DE-ST", de.HolidaysST},
	{"DE-SH", de.HolidaysSH},
	{"DE-TH", de.HolidaysTH},
	{"DK", dk.Holidays},
	{"ECB", ecb.Holidays},
	{"ES", es.Holidays},
	{"FR", fr.Holidays},
	{"GB", gb.Holidays},
	{"GR", gr.Holidays},
	{"HR", hr.Holidays},
	{"IE", ie.Holidays},
	{"IT", it.Holidays},
	{"JP", jp.Holidays},
	{"LT", lt.Holidays},
	{"LV", lv.Holidays},
	{"MW", mw.Holidays},
	{"NC", nc.Holidays},
	{"NL", nl.Holidays},
	{"NO", no.Holidays},
	{"NZ", nz.Holidays},
	{"PL", pl.Holidays},
	{"RO", ro.Holidays},
	{"RU", ru.Holidays},
	{"SE", se.Holidays},
	{"SI", si.Holidays},
	{"SK", sk.Holidays},
	{"UA", ua.Holidays},
	{"US", us.Holidays},
	{"ZA", za.Holidays},
}

// PublicHolidaySets lists the codes accepted in CalendarSpec.PublicHolidays,
// sorted.
func PublicHolidaySets() []string {
	out := make([]string, len(holidaySets))
	for i, s := range holidaySets {
		out[i] = s.code
	}
	sort.Strings(out)
	return out
}

// PublicHolidayYears returns the years for which the public holiday set
// code has data: every supported year (MinYear..MaxYear) for a rule-based
// set such as "US" or "DE-BY", only the announced years for "CN" (2024
// through 2026 in this release). ok is false for an unknown code. A host can
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
	for _, s := range holidaySets {
		if a := s.schedule(); a != nil && len(a.makeUp) > 0 {
			out = append(out, s.code)
		}
	}
	return out
}
