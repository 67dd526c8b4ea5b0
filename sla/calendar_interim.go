package sla

// Interim calendar: a minimal implementation of the Calendar API in TEAM.md
// (weekly hours in a zone, no holidays, day-by-day walking). It lets the SLA
// policy code build and be tested until the real calendars land on main, and
// is deleted then.

import (
	"encoding/json"
	"errors"
	"fmt"
	"time"
)

// CalendarSpec is the interim calendar description.
type CalendarSpec struct {
	Name     string                 `json:"name"`
	TimeZone string                 `json:"time_zone"`
	Week     map[string][][2]string `json:"week"`
}

// Calendar is the interim calendar.
type Calendar struct {
	name string
	loc  *time.Location
	week [7][][2]int // seconds of day, per time.Weekday
}

const interimMaxDays = 366 * 30

var errNeverOpen = errors.New("calendar is never open")

// NewCalendar builds an interim calendar.
func NewCalendar(spec CalendarSpec) (*Calendar, error) {
	loc, err := time.LoadLocation(spec.TimeZone)
	if err != nil {
		return nil, err
	}
	c := &Calendar{name: spec.Name, loc: loc}
	days := map[string]time.Weekday{"sun": 0, "mon": 1, "tue": 2, "wed": 3, "thu": 4, "fri": 5, "sat": 6}
	open := false
	for k, ivs := range spec.Week {
		wd, ok := days[k]
		if !ok {
			return nil, fmt.Errorf("unknown weekday %q", k)
		}
		for _, iv := range ivs {
			a, err1 := parseHHMM(iv[0])
			b, err2 := parseHHMM(iv[1])
			if err1 != nil || err2 != nil || b <= a {
				return nil, fmt.Errorf("bad interval %v", iv)
			}
			c.week[wd] = append(c.week[wd], [2]int{a, b})
			open = true
		}
	}
	if !open {
		return nil, errNeverOpen
	}
	return c, nil
}

// ParseCalendar decodes an interim calendar from JSON.
func ParseCalendar(data []byte) (*Calendar, error) {
	var s CalendarSpec
	if err := json.Unmarshal(data, &s); err != nil {
		return nil, err
	}
	return NewCalendar(s)
}

func parseHHMM(s string) (int, error) {
	var h, m int
	if _, err := fmt.Sscanf(s, "%d:%d", &h, &m); err != nil {
		return 0, err
	}
	return h*3600 + m*60, nil
}

// Name returns the calendar's name.
func (c *Calendar) Name() string { return c.name }

// Location returns the calendar's zone.
func (c *Calendar) Location() *time.Location { return c.loc }

func (c *Calendar) dayStart(t time.Time) time.Time {
	t = t.In(c.loc)
	return time.Date(t.Year(), t.Month(), t.Day(), 0, 0, 0, 0, c.loc)
}

func (c *Calendar) intervals(day time.Time, fn func(a, b time.Time) bool) bool {
	for _, iv := range c.week[day.Weekday()] {
		a := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, iv[0], 0, c.loc)
		b := time.Date(day.Year(), day.Month(), day.Day(), 0, 0, iv[1], 0, c.loc)
		if !fn(a, b) {
			return false
		}
	}
	return true
}

// Add returns the instant at which d of open time has passed since start.
func (c *Calendar) Add(start time.Time, d time.Duration) (time.Time, error) {
	if d < 0 {
		return time.Time{}, errors.New("negative duration")
	}
	day := c.dayStart(start)
	var res time.Time
	for i := 0; i < interimMaxDays; i++ {
		done := !c.intervals(day, func(a, b time.Time) bool {
			if !b.After(start) {
				return true
			}
			if a.Before(start) {
				a = start
			}
			if avail := b.Sub(a); d <= avail {
				res = a.Add(d)
				return false
			} else {
				d -= avail
			}
			return true
		})
		if done {
			return res, nil
		}
		day = day.AddDate(0, 0, 1)
	}
	return time.Time{}, errNeverOpen
}

// Between returns the open time in [a, b); negative if b < a.
func (c *Calendar) Between(a, b time.Time) (time.Duration, error) {
	if b.Before(a) {
		d, err := c.Between(b, a)
		return -d, err
	}
	var sum time.Duration
	day := c.dayStart(a)
	for i := 0; !day.After(b); i++ {
		if i > interimMaxDays {
			return 0, errors.New("span too long")
		}
		c.intervals(day, func(x, y time.Time) bool {
			if x.Before(a) {
				x = a
			}
			if y.After(b) {
				y = b
			}
			if y.After(x) {
				sum += y.Sub(x)
			}
			return true
		})
		day = day.AddDate(0, 0, 1)
	}
	return sum, nil
}

// AddWorkingDays moves n working days forward keeping the wall-clock time,
// then rolls forward to the next open instant.
func (c *Calendar) AddWorkingDays(start time.Time, n int) (time.Time, error) {
	if n < 0 {
		return time.Time{}, errors.New("negative days")
	}
	t := start.In(c.loc)
	day := c.dayStart(t)
	for i := 0; n > 0; i++ {
		if i > interimMaxDays {
			return time.Time{}, errNeverOpen
		}
		day = day.AddDate(0, 0, 1)
		if c.IsWorkingDay(day) {
			n--
		}
	}
	h, m, s := t.Clock()
	return c.NextOpen(time.Date(day.Year(), day.Month(), day.Day(), h, m, s, t.Nanosecond(), c.loc))
}

// IsOpen reports whether t is in open hours.
func (c *Calendar) IsOpen(t time.Time) bool {
	open := false
	c.intervals(c.dayStart(t), func(a, b time.Time) bool {
		if !t.Before(a) && t.Before(b) {
			open = true
			return false
		}
		return true
	})
	return open
}

// NextOpen returns t if open, else the next opening instant.
func (c *Calendar) NextOpen(t time.Time) (time.Time, error) {
	return c.Add(t, 0)
}

// NextClose returns the next closing instant at or after t.
func (c *Calendar) NextClose(t time.Time) (time.Time, error) {
	day := c.dayStart(t)
	var res time.Time
	for i := 0; i < interimMaxDays; i++ {
		if !c.intervals(day, func(a, b time.Time) bool {
			if b.After(t) {
				res = b
				return false
			}
			return true
		}) {
			return res, nil
		}
		day = day.AddDate(0, 0, 1)
	}
	return time.Time{}, errNeverOpen
}

// IsWorkingDay reports whether the date of t has open time.
func (c *Calendar) IsWorkingDay(t time.Time) bool {
	return len(c.week[c.dayStart(t).Weekday()]) > 0
}
