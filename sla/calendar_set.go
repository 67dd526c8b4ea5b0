package sla

import (
	"encoding/json"
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

// ParseCalendars strictly decodes a JSON array of [CalendarSpec] documents and
// compiles each; errors name the path, e.g. "$[2].week.fri[0]". An entry
// may compose others of the same array by name, in any order:
//
//	[{"name": "team", ...}, {"name": "customer", ...},
//	 {"name": "customer-and-team", "intersect": ["customer", "team"]}]
//
// Unknown names, self-references and cycles are errors at the offending
// "$[i].intersect[j]" (or "union") path. A document over
// [MaxCalendarsBytes] is refused before decoding, a set of more than
// [MaxCalendarsInSet] calendars before compiling ([ErrLimit]).
func ParseCalendars(data []byte) (*Calendars, error) {
	if err := checkSize(data, MaxCalendarsBytes); err != nil {
		return nil, err
	}
	var specs []CalendarSpec
	if err := rulesjson.Decode(data, &specs); err != nil {
		return nil, err
	}
	return CompileCalendars(specs)
}

// CompileCalendars compiles specs into a set, as [ParseCalendars] does;
// error paths index into specs ("$[i]..."). The limits are
// ParseCalendars', but for the document size. [NewCalendars] makes a set
// of calendars already compiled.
func CompileCalendars(specs []CalendarSpec) (*Calendars, error) {
	if err := checkCount("$", len(specs), MaxCalendarsInSet, "calendars"); err != nil {
		return nil, err
	}
	index := make(map[string]int, len(specs))
	for i, spec := range specs {
		p := rulesjson.Index("$", i)
		if spec.Name == "" {
			return nil, rulesjson.Errorf(rulesjson.Field(p, "name"), "a calendar in a set needs a name")
		}
		if _, dup := index[spec.Name]; dup {
			return nil, rulesjson.Errorf(rulesjson.Field(p, "name"), "duplicate calendar name %q", spec.Name)
		}
		index[spec.Name] = i
	}
	built := make([]*Calendar, len(specs))
	state := make([]uint8, len(specs)) // 0 new, 1 in progress, 2 built
	// stored counts, against MaxSetExceptionDays, the days that differ
	// from the weekly pattern in every calendar compiled so far,
	// compositions' intermediate results included. Each calendar is
	// charged before it is built, with a bound on what it will store.
	stored := 0
	charge := func(p string, days int) error {
		stored += days
		if stored > MaxSetExceptionDays {
			return limitErr(p, fmt.Sprintf("the set's calendars would store %d days that differ from their weekly hours", stored), MaxSetExceptionDays)
		}
		return nil
	}
	var build func(i int) error
	build = func(i int) error {
		switch state[i] {
		case 2:
			return nil
		case 1:
			return rulesjson.Errorf(rulesjson.Index("$", i), "calendar %q is part of a composition cycle", specs[i].Name)
		}
		state[i] = 1
		spec := specs[i]
		p := rulesjson.Index("$", i)
		if !spec.composed() {
			w, err := spec.compile(p)
			if err != nil {
				return err
			}
			// Dated days, plus the days of UTC-offset changes (a few a year).
			if err := charge(p, len(w.overrides)+4*(w.last-w.first+1)); err != nil {
				return err
			}
			built[i], state[i] = finishCalendar(spec, w), 2
			return nil
		}
		key, names, and := "intersect", spec.Intersect, true
		if len(spec.Intersect) == 0 {
			key, names, and = "union", spec.Union, false
		}
		lp := rulesjson.Field(p, key)
		bare := spec
		bare.Name, bare.Intersect, bare.Union = "", nil, nil
		if len(spec.Intersect) > 0 && len(spec.Union) > 0 {
			return rulesjson.Errorf(rulesjson.Field(p, "union"), "a calendar cannot both intersect and unite; compose in two steps")
		}
		if !isZeroSpec(bare) {
			return rulesjson.Errorf(p, "a composed calendar has only a name and %q (its zone is its first calendar's)", key)
		}
		if len(names) < 2 {
			return rulesjson.Errorf(lp, "compose at least two calendars")
		}
		if err := checkCount(lp, len(names), MaxComposed, "calendars composed"); err != nil {
			return err
		}
		var acc *Calendar
		for j, n := range names {
			np := rulesjson.Index(lp, j)
			k, ok := index[n]
			if !ok {
				return rulesjson.Errorf(np, "unknown calendar %q", n)
			}
			if k == i {
				return rulesjson.Errorf(np, "calendar %q cannot compose itself", n)
			}
			if state[k] == 1 {
				return rulesjson.Errorf(np, "calendar %q is part of a composition cycle", n)
			}
			if err := build(k); err != nil {
				return err
			}
			if acc == nil {
				acc = built[k]
				continue
			}
			if err := charge(np, composeBound(acc, built[k])); err != nil {
				return err
			}
			next, err := compose(acc, built[k], and)
			if err != nil {
				return rulesjson.Wrap(np, err)
			}
			acc = next
		}
		acc.name = spec.Name
		cp := spec.clone()
		acc.spec = &cp
		built[i], state[i] = acc, 2
		return nil
	}
	s := &Calendars{byName: make(map[string]*Calendar, len(specs))}
	for i := range specs {
		if err := build(i); err != nil {
			return nil, err
		}
		if err := s.add(rulesjson.Index("$", i), built[i]); err != nil {
			return nil, err
		}
	}
	return s, nil
}

func isZeroSpec(s CalendarSpec) bool {
	return s.TimeZone == "" && s.Week.Mon == nil && s.Week.Tue == nil && s.Week.Wed == nil && s.Week.Thu == nil &&
		s.Week.Fri == nil && s.Week.Sat == nil && s.Week.Sun == nil && s.PublicHolidays == nil && s.Holidays == nil &&
		s.ExtraWorkingDays == nil && s.ICS == "" && s.FirstYear == 0 && s.LastYear == 0
}

// MarshalJSON writes the set as the JSON array [ParseCalendars] reads, in the
// order the calendars were added. Calendars built in Go by [Intersect] or
// [Union] have no spec and cannot be written.
func (s *Calendars) MarshalJSON() ([]byte, error) {
	specs := make([]CalendarSpec, 0, s.Len())
	if s != nil {
		for _, n := range s.names {
			spec, ok := s.byName[n].Spec()
			if !ok {
				return nil, fmt.Errorf("sla: calendar %q was composed in Go and has no spec to write", n)
			}
			specs = append(specs, spec)
		}
	}
	return json.Marshal(specs)
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
// [ErrUnknownCalendar] that lists the known names.
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
// [Intersect] or [Union] results); names must stay unique.
func (s *Calendars) With(more ...*Calendar) (*Calendars, error) {
	all := make([]*Calendar, 0, s.Len()+len(more))
	if s != nil {
		for _, n := range s.names {
			all = append(all, s.byName[n])
		}
	}
	return NewCalendars(append(all, more...)...)
}
