package feedback

import (
	"encoding/json"
	"fmt"
	"regexp"
	"strconv"
	"time"

	"github.com/closeloop/closeloop/internal/rulesjson"
)

// PathError is an error located at a JSON path of a rules document
// ("$.lifecycle.transitions[0].guards[1]"). Test with errors.As.
type PathError = rulesjson.PathError

func rulesjsonErrorf(path, format string, args ...any) error {
	return rulesjson.Errorf(path, format, args...)
}

func fieldPath(path, name string) string { return rulesjson.Field(path, name) }

func indexPath(path string, i int) string { return rulesjson.Index(path, i) }

// RulesDocument is the one JSON document that holds a help desk's rules. Every
// section is optional; a missing lifecycle section means the default lifecycle.
type RulesDocument struct {
	// Version names this edition of the rules ("2024-03"). Tickets record the
	// version they were opened under.
	Version string `json:"version"`
	// Taxonomy is the classification of feedback (categories, tags).
	Taxonomy json.RawMessage `json:"taxonomy,omitempty"`
	// Routing says which team gets which ticket.
	Routing json.RawMessage `json:"routing,omitempty"`
	// Lifecycle extends the default lifecycle.
	Lifecycle *LifecycleExtension `json:"lifecycle,omitempty"`
	// Priority holds the priority scoring rules.
	Priority json.RawMessage `json:"priority,omitempty"`
	// Calendars are the business calendars, by name.
	Calendars []json.RawMessage `json:"calendars,omitempty"`
	// DefaultCalendar names the calendar of tickets opened without one.
	DefaultCalendar string `json:"default_calendar,omitempty"`
	// SLA holds the service-level policies.
	SLA json.RawMessage `json:"sla,omitempty"`
	// Compensation holds the compensation schedules.
	Compensation json.RawMessage `json:"compensation,omitempty"`
}

// Rules is a compiled rules document: immutable, safe to share between any
// number of goroutines. Tickets are opened, changed and replayed through it.
type Rules struct {
	version         string
	lifecycle       *Lifecycle
	calendars       map[string]workingCalendar
	defaultCalendar string
}

// workingCalendar is what a ticket needs of a business calendar.
type workingCalendar interface {
	AddWorkingDays(start time.Time, n int) (time.Time, error)
}

// ParseRules strictly decodes and compiles a rules document. Errors are
// *PathError naming the offending JSON path.
func ParseRules(data []byte) (*Rules, error) {
	var doc RulesDocument
	if err := rulesjson.Decode(data, &doc); err != nil {
		return nil, err
	}
	return CompileRules(doc)
}

// CompileRules validates and compiles a rules document given as Go values.
func CompileRules(doc RulesDocument) (*Rules, error) {
	if doc.Version == "" {
		return nil, rulesjsonErrorf(fieldPath("$", "version"), "the rules need a version")
	}
	r := &Rules{version: doc.Version, calendars: map[string]workingCalendar{}}
	spec := DefaultLifecycle()
	if doc.Lifecycle != nil {
		base := spec
		var err error
		if spec, err = base.Extend(*doc.Lifecycle); err != nil {
			return nil, rulesjson.Wrap(fieldPath("$", "lifecycle"), err)
		}
		lc, err := CompileLifecycle(spec)
		if err != nil {
			return nil, rulesjson.Wrap(fieldPath("$", "lifecycle"), relocate(err, len(base.States), len(base.Transitions)))
		}
		r.lifecycle = lc
	} else {
		lc, err := CompileLifecycle(spec)
		if err != nil {
			return nil, err
		}
		r.lifecycle = lc
	}
	if doc.DefaultCalendar != "" {
		if _, ok := r.calendars[doc.DefaultCalendar]; !ok {
			return nil, rulesjsonErrorf(fieldPath("$", "default_calendar"), "no calendar %q", doc.DefaultCalendar)
		}
		r.defaultCalendar = doc.DefaultCalendar
	}
	return r, nil
}

var mergedIndex = regexp.MustCompile(`^\$\.(states|transitions)\[(\d+)\]`)

// relocate turns a path into the merged lifecycle (default + extension) into
// a path into the extension, where the host can find it. Errors about the
// default part keep the path with a "default:" note.
func relocate(err error, baseStates, baseTransitions int) error {
	pe, ok := err.(*PathError)
	if !ok {
		return err
	}
	m := mergedIndex.FindStringSubmatch(pe.Path)
	if m == nil {
		return err
	}
	i, _ := strconv.Atoi(m[2])
	base := baseStates
	if m[1] == "transitions" {
		base = baseTransitions
	}
	if i < base {
		return &PathError{Path: pe.Path, Err: fmt.Errorf("in the default lifecycle: %w", pe.Err)}
	}
	return &PathError{Path: "$." + m[1] + "[" + strconv.Itoa(i-base) + "]" + pe.Path[len(m[0]):], Err: pe.Err}
}

// Version returns the rules' version.
func (r *Rules) Version() string { return r.version }

// Lifecycle returns the compiled lifecycle.
func (r *Rules) Lifecycle() *Lifecycle { return r.lifecycle }

// addWorkingDays counts n working days from start on the named calendar; with
// no calendar, a working day is a calendar day.
func (r *Rules) addWorkingDays(calendar string, start time.Time, n int) (time.Time, error) {
	if calendar == "" {
		return start.AddDate(0, 0, n), nil
	}
	cal, ok := r.calendars[calendar]
	if !ok {
		return time.Time{}, fmt.Errorf("the rules have no calendar %q", calendar)
	}
	t, err := cal.AddWorkingDays(start, n)
	if err != nil {
		return time.Time{}, err
	}
	return t.UTC(), nil
}

// scorePriority scores triage inputs with the rules' priority scoring.
func (r *Rules) scorePriority(_ *Ticket, _ PriorityInput) (string, []string, error) {
	return "", nil, fmt.Errorf("the rules hold no priority scoring")
}

// nextCheck is when the host should look at t again: its deadline while it
// is open and its clocks run.
func (r *Rules) nextCheck(t *Ticket) (time.Time, bool) {
	if t.Deadline.IsZero() || r.lifecycle.Terminal(t.State) || r.lifecycle.Pauses(t.State, "resolution") {
		return time.Time{}, false
	}
	return t.Deadline, true
}
