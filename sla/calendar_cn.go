package sla

import "time"

// announcedSet is a public holiday set that is not rule-based: a government
// announces each year's days off and make-up working days, and the set holds
// the announcements it knows, year by year. Years outside first..last carry
// nothing (see CalendarSpec.PublicHolidaysStrict).
type announcedSet struct {
	first, last int
	// closed lists whole days off as inclusive date ranges; makeUp lists the
	// make-up working days (weekend days worked in exchange).
	closed []announcedRange
	makeUp []announcedDay
}

type announcedRange struct {
	from, to announcedDay
	name     string
}

type announcedDay struct {
	y int
	m time.Month
	d int
}

func (a announcedDay) civil() int32 { return civilDay(a.y, a.m, a.d) }

// cnSchedule is China mainland's public holiday schedule as announced by the
// General Office of the State Council (国务院办公厅关于YYYY年部分节假日安排的通知):
//
//   - 2024: 国办发明电〔2023〕7号 of 2023-10-25.
//   - 2025: 国办发明电〔2024〕12号 of 2024-11-12 (the first year under the
//     holiday rules revised in November 2024: New Year's Eve of the lunar
//     calendar and May 2 became public holidays).
//   - 2026: the notice of 2025-11-04.
//
// Each announcement gives runs of days off (放假调休, including the weekend
// days inside them) and the make-up working days (上班) that pay for bridged
// weekdays. Add a year here when the State Council publishes it, usually in
// November of the year before.
var cnSchedule = announcedSet{
	first: 2024,
	last:  2026,
	closed: []announcedRange{
		// 2024
		{announcedDay{2024, 1, 1}, announcedDay{2024, 1, 1}, "New Year's Day"},
		{announcedDay{2024, 2, 10}, announcedDay{2024, 2, 17}, "Spring Festival"},
		{announcedDay{2024, 4, 4}, announcedDay{2024, 4, 6}, "Qingming Festival"},
		{announcedDay{2024, 5, 1}, announcedDay{2024, 5, 5}, "Labour Day"},
		{announcedDay{2024, 6, 10}, announcedDay{2024, 6, 10}, "Dragon Boat Festival"},
		{announcedDay{2024, 9, 15}, announcedDay{2024, 9, 17}, "Mid-Autumn Festival"},
		{announcedDay{2024, 10, 1}, announcedDay{2024, 10, 7}, "National Day"},
		// 2025
		{announcedDay{2025, 1, 1}, announcedDay{2025, 1, 1}, "New Year's Day"},
		{announcedDay{2025, 1, 28}, announcedDay{2025, 2, 4}, "Spring Festival"},
		{announcedDay{2025, 4, 4}, announcedDay{2025, 4, 6}, "Qingming Festival"},
		{announcedDay{2025, 5, 1}, announcedDay{2025, 5, 5}, "Labour Day"},
		{announcedDay{2025, 5, 31}, announcedDay{2025, 6, 2}, "Dragon Boat Festival"},
		{announcedDay{2025, 10, 1}, announcedDay{2025, 10, 8}, "National Day and Mid-Autumn Festival"},
		// 2026
		{announcedDay{2026, 1, 1}, announcedDay{2026, 1, 3}, "New Year's Day"},
		{announcedDay{2026, 2, 15}, announcedDay{2026, 2, 23}, "Spring Festival"},
		{announcedDay{2026, 4, 4}, announcedDay{2026, 4, 6}, "Qingming Festival"},
		{announcedDay{2026, 5, 1}, announcedDay{2026, 5, 5}, "Labour Day"},
		{announcedDay{2026, 6, 19}, announcedDay{2026, 6, 21}, "Dragon Boat Festival"},
		{announcedDay{2026, 9, 25}, announcedDay{2026, 9, 27}, "Mid-Autumn Festival"},
		{announcedDay{2026, 10, 1}, announcedDay{2026, 10, 7}, "National Day"},
	},
	makeUp: []announcedDay{
		// 2024
		{2024, 2, 4}, {2024, 2, 18}, // Spring Festival
		{2024, 4, 7},                 // Qingming Festival
		{2024, 4, 28}, {2024, 5, 11}, // Labour Day
		{2024, 9, 14},                 // Mid-Autumn Festival
		{2024, 9, 29}, {2024, 10, 12}, // National Day
		// 2025
		{2025, 1, 26}, {2025, 2, 8}, // Spring Festival
		{2025, 4, 27},                 // Labour Day
		{2025, 9, 28}, {2025, 10, 11}, // National Day and Mid-Autumn Festival
		// 2026
		{2026, 1, 4},                 // New Year's Day
		{2026, 2, 14}, {2026, 2, 28}, // Spring Festival
		{2026, 5, 9},                  // Labour Day
		{2026, 9, 20}, {2026, 10, 10}, // National Day
	},
}

// closedDates returns the days off of the years from..to, as days since
// 1970-01-01.
func (a *announcedSet) closedDates(from, to int) []int32 {
	var out []int32
	for _, r := range a.closed {
		if r.from.y < from || r.from.y > to {
			continue
		}
		for d := r.from.civil(); d <= r.to.civil(); d++ {
			out = append(out, d)
		}
	}
	return out
}

// makeUpDates returns the make-up working days of the years from..to.
func (a *announcedSet) makeUpDates(from, to int) []int32 {
	var out []int32
	for _, x := range a.makeUp {
		if x.y >= from && x.y <= to {
			out = append(out, x.civil())
		}
	}
	return out
}
