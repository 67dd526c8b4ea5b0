package sla

import (
	"fmt"
	"sort"

	"github.com/closeloop/closeloop/internal/rulesjson"
)

// Calendars is an immutable set of calendars looked up by name, so that
// policies can say "calendar": "cn-support" instead of repeating hours.
type Calendars struct {
	byName map[string]*Calendar
	names  []string
}

// NewCalendars builds a set. Every calendar needs a name, unique in the set.
func NewCalendars(cals ...*Calendar) (*Calendars, error) {
	s := &Calendars{byName: make(map[string]*Calendar, len(cals))}
	for i, c := range cals {
		p := rulesjson.Index("$", i)
		if c == nil {
			return nil, rulesjson.Errorf(p, "nil calendar")
		}
		if err := s.add(p, c); err != nil {
			return nil, err
		}
	}
	return s, nil
}

func (s *Calendars) add(path string, c *Calendar) error {
	if c.name == "" {
		return rulesjson.Errorf(rulesjson.Field(path, "name"), "a calendar in a set needs a name")
	}
	if _, dup := s.byName[c.name]; dup {
		return rulesjson.Errorf(rulesjson.Field(path, "name"), "duplicate calendar name %q", c.name)
	}
	s.byName[c.name] = c
	s.names = append(s.names, c.name)
	return nil
}

// ParseCalendars strictly decodes a JSON array of CalendarSpec documents and
// compiles each; errors name the path, e.g. "$[2].week.fri[0]".
func ParseCalendars(data []byte) (*Calendars, error) {
	var specs []CalendarSpec
	if err := rulesjson.Decode(data, &specs); err != nil {
		return nil, err
	}
	s := &Calendars{byName: make(map[string]*Calendar, len(specs))}
	for i, spec := range specs {
		p := rulesjson.Index("$", i)
		if spec.Name == "" {
			return nil, rulesjson.Errorf(rulesjson.Field(p, "name"), "a calendar in a set needs a name")
		}
		if _, dup := s.byName[spec.Name]; dup {
			return nil, rulesjson.Errorf(rulesjson.Field(p, "name"), "duplicate calendar name %q", spec.Name)
		}
		c, err := newCalendarAt(p, spec)
		if err != nil {
			return nil, err
		}
		if err := s.add(p, c); err != nil {
			return nil, err
		}
	}
	return s, nil
}

// Get returns the calendar called name.
func (s *Calendars) Get(name string) (*Calendar, bool) {
	if s == nil {
		return nil, false
	}
	c, ok := s.byName[name]
	return c, ok
}

// Lookup returns the calendar called name, or an error wrapping
// ErrUnknownCalendar that lists the known names.
func (s *Calendars) Lookup(name string) (*Calendar, error) {
	if c, ok := s.Get(name); ok {
		return c, nil
	}
	return nil, &CalendarError{Op: "Lookup", Calendar: name, Err: fmt.Errorf("%w (known: %v)", ErrUnknownCalendar, s.Names())}
}

// Names returns the calendars' names, sorted.
func (s *Calendars) Names() []string {
	if s == nil {
		return nil
	}
	out := append([]string(nil), s.names...)
	sort.Strings(out)
	return out
}

// Len returns the number of calendars in the set.
func (s *Calendars) Len() int {
	if s == nil {
		return 0
	}
	return len(s.names)
}

// With returns a new set holding s's calendars and more (for instance
// Intersect or Union results); names must stay unique.
func (s *Calendars) With(more ...*Calendar) (*Calendars, error) {
	all := make([]*Calendar, 0, s.Len()+len(more))
	if s != nil {
		for _, n := range s.names {
			all = append(all, s.byName[n])
		}
	}
	return NewCalendars(append(all, more...)...)
}
