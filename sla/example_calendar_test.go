package sla_test

import (
	_ "embed"
	"fmt"
	"time"

	"github.com/closeloop/closeloop/sla"
)

// A Chinese office: lunch break, National Day week, and the make-up
// working Sunday before it.
const office = `{
  "name": "cn-office",
  "time_zone": "Asia/Shanghai",
  "week": {
    "mon": [["09:00","12:00"],["13:30","18:00"]],
    "tue": [["09:00","12:00"],["13:30","18:00"]],
    "wed": [["09:00","12:00"],["13:30","18:00"]],
    "thu": [["09:00","12:00"],["13:30","18:00"]],
    "fri": [["09:00","12:00"],["13:30","18:00"]]
  },
  "holidays": [
    {"date": "2024-10-01", "name": "National Day"}, {"date": "2024-10-02"}, {"date": "2024-10-03"},
    {"date": "2024-10-04"}, {"date": "2024-10-07"}
  ],
  "extra_working_days": [
    {"date": "2024-09-29", "name": "make-up working day", "hours": [["09:00","12:00"],["13:30","18:00"]]}
  ]
}`

func ExampleCalendar_Add() {
	cal, err := sla.ParseCalendar([]byte(office))
	if err != nil {
		panic(err)
	}
	// A ticket at 11:00 with a 4-business-hour target: 1 h before lunch,
	// 3 h after it.
	created := time.Date(2024, 9, 2, 11, 0, 0, 0, cal.Location())
	due, _ := cal.Add(created, 4*time.Hour)
	fmt.Println(due.Format("Mon 2006-01-02 15:04"))

	// A ticket on Monday evening counts from Tuesday's opening.
	due, _ = cal.Add(time.Date(2024, 9, 2, 20, 0, 0, 0, cal.Location()), 2*time.Hour)
	fmt.Println(due.Format("Mon 2006-01-02 15:04"))
	// Output:
	// Mon 2024-09-02 16:30
	// Tue 2024-09-03 11:00
}

func ExampleCalendar_Between() {
	cal, err := sla.ParseCalendar([]byte(office))
	if err != nil {
		panic(err)
	}
	loc := cal.Location()
	// Business time from Friday 17:00 to Tuesday 10:00 across National Day
	// week: Friday's last hour, the make-up Sunday (7.5 h), Monday Sept 30
	// (7.5 h), and Tuesday Oct 8 from 09:00 (1 h).
	open, _ := cal.Between(time.Date(2024, 9, 27, 17, 0, 0, 0, loc), time.Date(2024, 10, 8, 10, 0, 0, 0, loc))
	fmt.Println(open)
	// Output:
	// 17h0m0s
}

func ExampleCalendar_AddWorkingDays() {
	cal, err := sla.ParseCalendar([]byte(office))
	if err != nil {
		panic(err)
	}
	loc := cal.Location()
	// A suggestion received Friday Sept 27 is due in 2 working days: the
	// make-up Sunday is one of them, so it is due at Monday's close.
	due, _ := cal.AddWorkingDays(time.Date(2024, 9, 27, 15, 0, 0, 0, loc), 2)
	fmt.Println(due.Format("Mon 2006-01-02 15:04"))
	fmt.Println(cal.IsWorkingDay(time.Date(2024, 9, 29, 12, 0, 0, 0, loc)), cal.IsWorkingDay(time.Date(2024, 10, 1, 12, 0, 0, 0, loc)))
	// Output:
	// Mon 2024-09-30 18:00
	// true false
}

//go:embed testdata/calendar_holidays.ics
var feed string

func ExampleCalendarSpec_ics() {
	nine := []sla.Hours{{"09:00", "17:00"}}
	cal, err := sla.NewCalendar(sla.CalendarSpec{
		Name:     "berlin-support",
		TimeZone: "Europe/Berlin",
		Week:     sla.WeekHours{Mon: nine, Tue: nine, Wed: nine, Thu: nine, Fri: nine},
		ICS:      feed, // the company's holiday feed (RRULE yearly New Year, a winter break, an offsite afternoon)
	})
	if err != nil {
		panic(err)
	}
	loc := cal.Location()
	for _, d := range []time.Time{
		time.Date(2024, 12, 24, 12, 0, 0, 0, loc),
		time.Date(2024, 12, 30, 12, 0, 0, 0, loc),
		time.Date(2024, 12, 31, 12, 0, 0, 0, loc),
		time.Date(2026, 1, 1, 12, 0, 0, 0, loc),
	} {
		fmt.Println(d.Format("2006-01-02"), cal.IsWorkingDay(d))
	}
	offsite, _ := cal.Between(time.Date(2024, 11, 15, 0, 0, 0, 0, loc), time.Date(2024, 11, 16, 0, 0, 0, 0, loc))
	fmt.Println("offsite day:", offsite)
	// Output:
	// 2024-12-24 false
	// 2024-12-30 false
	// 2024-12-31 true
	// 2026-01-01 false
	// offsite day: 4h0m0s
}

func ExampleIntersect() {
	week := sla.Weekdays(sla.Hours{"09:00", "17:00"})
	team, _ := sla.NewCalendar(sla.CalendarSpec{Name: "london-team", TimeZone: "Europe/London", Week: week, PublicHolidays: []string{"GB"}})
	customer, _ := sla.NewCalendar(sla.CalendarSpec{Name: "ny-customer", TimeZone: "America/New_York", Week: week, PublicHolidays: []string{"US"}})
	both, err := sla.Intersect(team, customer)
	if err != nil {
		panic(err)
	}
	lon := both.Location()
	// Both sides are open 14:00–17:00 London time; a 4-hour target set on
	// Tuesday 15:00 uses 2 h on Tuesday and 2 h on Wednesday.
	due, _ := both.Add(time.Date(2024, 1, 16, 15, 0, 0, 0, lon), 4*time.Hour)
	fmt.Println(both.Name())
	fmt.Println(due.Format("Mon 2006-01-02 15:04 MST"))
	fmt.Println(due.In(customer.Location()).Format("Mon 15:04 MST"))
	// Output:
	// london-team ∩ ny-customer
	// Wed 2024-01-17 16:00 GMT
	// Wed 11:00 EST
}

func ExampleParseCalendars() {
	set, err := sla.ParseCalendars([]byte(`[
	  {"name": "support-emea", "time_zone": "Europe/Berlin",
	   "week": {"mon": [["08:00","18:00"]], "tue": [["08:00","18:00"]], "wed": [["08:00","18:00"]],
	            "thu": [["08:00","18:00"]], "fri": [["08:00","18:00"]]},
	   "public_holidays": ["DE-BY"]},
	  {"name": "support-amer", "time_zone": "America/Chicago",
	   "week": {"mon": [["08:00","18:00"]], "tue": [["08:00","18:00"]], "wed": [["08:00","18:00"]],
	            "thu": [["08:00","18:00"]], "fri": [["08:00","18:00"]]},
	   "public_holidays": ["US"]},
	  {"name": "follow-the-sun", "union": ["support-emea", "support-amer"]}
	]`))
	if err != nil {
		panic(err)
	}
	fmt.Println(set.Names())
	sun, _ := set.Lookup("follow-the-sun")
	loc := sun.Location() // the first calendar's zone
	// Berlin 08:00–18:00 plus Chicago 08:00–18:00 (15:00–01:00 Berlin):
	// on a Berlin Tuesday, 00:00–01:00 (Chicago's Monday) and 08:00–24:00.
	open, _ := sun.Between(time.Date(2024, 2, 6, 0, 0, 0, 0, loc), time.Date(2024, 2, 7, 0, 0, 0, 0, loc))
	fmt.Println(open)
	_, err = set.Lookup("support-apac")
	fmt.Println(err)
	// Output:
	// [follow-the-sun support-amer support-emea]
	// 17h0m0s
	// sla: calendar support-apac: Lookup: unknown calendar (known: [follow-the-sun support-amer support-emea])
}

// China mainland's public holidays come from the State Council's announced
// schedules: days off and make-up working days, which here take Monday's
// hours.
func ExamplePublicHolidayYears() {
	cal, err := sla.ParseCalendar([]byte(`{"name": "cn-office", "time_zone": "Asia/Shanghai",
	  "week": {"mon": [["09:00","12:00"],["13:30","18:00"]], "tue": [["09:00","12:00"],["13:30","18:00"]],
	           "wed": [["09:00","12:00"],["13:30","18:00"]], "thu": [["09:00","12:00"],["13:30","18:00"]],
	           "fri": [["09:00","12:00"],["13:30","18:00"]]},
	  "public_holidays": ["CN"], "make_up_hours_from": "mon"}`))
	if err != nil {
		panic(err)
	}
	first, last, _ := sla.PublicHolidayYears("CN")
	fmt.Printf("CN data: %d–%d\n", first, last)
	loc := cal.Location()
	for _, s := range []struct {
		at time.Time
		n  int
	}{
		{time.Date(2024, 9, 27, 10, 0, 0, 0, loc), 2},
		{time.Date(2024, 9, 30, 10, 0, 0, 0, loc), 1},
		{time.Date(2026, 2, 13, 10, 0, 0, 0, loc), 2},
	} {
		due, _ := cal.AddWorkingDays(s.at, s.n)
		fmt.Printf("%s + %d working days: %s\n", s.at.Format("Mon 2006-01-02"), s.n, due.Format("Mon 2006-01-02 15:04"))
	}
	// Output:
	// CN data: 2007–2026
	// Fri 2024-09-27 + 2 working days: Mon 2024-09-30 18:00
	// Mon 2024-09-30 + 1 working days: Tue 2024-10-08 18:00
	// Fri 2026-02-13 + 2 working days: Tue 2026-02-24 18:00
}

func ExampleCalendar_PrevClose() {
	cal, err := sla.ParseCalendar([]byte(office))
	if err != nil {
		panic(err)
	}
	loc := cal.Location()
	// A ticket on Saturday morning: when did the office last close, and
	// when did that last stretch of open time begin?
	sat := time.Date(2024, 9, 7, 10, 0, 0, 0, loc)
	closed, _ := cal.PrevClose(sat)
	opened, _ := cal.PrevOpen(sat)
	fmt.Println(closed.Format("Mon 15:04"), opened.Format("Mon 15:04"))
	// During the afternoon: the period began after lunch, and the office
	// last closed for lunch.
	tue := time.Date(2024, 9, 3, 15, 0, 0, 0, loc)
	opened, _ = cal.PrevOpen(tue)
	closed, _ = cal.PrevClose(tue)
	fmt.Println(opened.Format("Mon 15:04"), closed.Format("Mon 15:04"))
	// Output:
	// Fri 18:00 Fri 13:30
	// Tue 13:30 Tue 12:00
}

func ExampleCalendar_Periods() {
	cal, err := sla.ParseCalendar([]byte(office))
	if err != nil {
		panic(err)
	}
	loc := cal.Location()
	// The open periods from Friday 10:30 before National Day week: the
	// first is cut at the start, lunch splits each day, Saturday is
	// closed, the make-up Sunday is open.
	n := 0
	for open, closed := range cal.Periods(time.Date(2024, 9, 27, 10, 30, 0, 0, loc)) {
		fmt.Println(open.Format("Mon 01-02 15:04"), "–", closed.Format("15:04"))
		if n++; n == 4 {
			break
		}
	}
	// And backward from the morning after the holidays, latest first.
	n = 0
	for open, closed := range cal.PeriodsBackward(time.Date(2024, 10, 8, 10, 0, 0, 0, loc)) {
		fmt.Println(open.Format("Mon 01-02 15:04"), "–", closed.Format("15:04"))
		if n++; n == 2 {
			break
		}
	}
	// Output:
	// Fri 09-27 10:30 – 12:00
	// Fri 09-27 13:30 – 18:00
	// Sun 09-29 09:00 – 12:00
	// Sun 09-29 13:30 – 18:00
	// Tue 10-08 09:00 – 10:00
	// Mon 09-30 13:30 – 18:00
}

func ExampleCalendar_WorkingDaysBetween() {
	cal, err := sla.ParseCalendar([]byte(office))
	if err != nil {
		panic(err)
	}
	loc := cal.Location()
	// Dates from Friday Sept 27 up to, not including, Tuesday Oct 8:
	// Friday, the make-up Sunday and Monday Sept 30 are working days.
	n, _ := cal.WorkingDaysBetween(time.Date(2024, 9, 27, 15, 0, 0, 0, loc), time.Date(2024, 10, 8, 9, 0, 0, 0, loc))
	fmt.Println(n)
	// Output:
	// 3
}

func ExampleCalendar_AddWorkingDaysFrom() {
	cal, err := sla.ParseCalendar([]byte(office))
	if err != nil {
		panic(err)
	}
	loc := cal.Location()
	// A suggestion received on Saturday with a 1-working-day target: day 0
	// is Monday rolling forward (AddWorkingDays' rule), Friday rolling
	// backward.
	sat := time.Date(2024, 9, 7, 10, 0, 0, 0, loc)
	fwd, _ := cal.AddWorkingDaysFrom(sat, 1, sla.RollForward)
	back, _ := cal.AddWorkingDaysFrom(sat, 1, sla.RollBackward)
	fmt.Println(fwd.Format("Mon 01-02 15:04"))
	fmt.Println(back.Format("Mon 01-02 15:04"))
	// Output:
	// Tue 09-10 18:00
	// Mon 09-09 18:00
}

func ExampleCalendar_AddWorkingDaysSameTime() {
	cal, err := sla.ParseCalendar([]byte(office))
	if err != nil {
		panic(err)
	}
	loc := cal.Location()
	// "Call the customer back at the same time two working days later":
	// from Friday 16:20 the make-up Sunday is the first working day.
	at, _ := cal.AddWorkingDaysSameTime(time.Date(2024, 9, 27, 16, 20, 0, 0, loc), 2, sla.RollForward)
	fmt.Println(at.Format("Mon 01-02 15:04"))
	// Output:
	// Mon 09-30 16:20
}
