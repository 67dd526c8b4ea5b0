package feedback

import (
	"fmt"
	"regexp"
	"strconv"
	"time"

	"github.com/closeloop/closeloop/compensation"
	"github.com/closeloop/closeloop/intake"
	"github.com/closeloop/closeloop/internal/rulesjson"
	"github.com/closeloop/closeloop/priority"
	"github.com/closeloop/closeloop/sla"
)

// PathError is an error located at a JSON path of a rules document
// ("$.lifecycle.transitions[0].guards[1]"). Test with errors.As.
type PathError = rulesjson.PathError

func rulesjsonErrorf(path, format string, args ...any) error {
	return rulesjson.Errorf(path, format, args...)
}

func fieldPath(path, name string) string { return rulesjson.Field(path, name) }

func indexPath(path string, i int) string { return rulesjson.Index(path, i) }

// RulesDocument is the one JSON document that holds a help desk's rules, as
// Go values: each section is its package's own spec type, so a Go host
// builds rules in Go ([CompileRules]) and JSON is one encoding of them
// ([ParseRules]). Every section is optional; a missing lifecycle section means
// the default lifecycle.
type RulesDocument struct {
	// Schema is the optional "$schema" key naming the JSON Schema of rules
	// documents (schema/rules.schema.json), so editors validate the file as
	// it is typed; the library ignores its value.
	Schema string `json:"$schema,omitempty"`
	// Version names this edition of the rules ("2024-03"). Tickets record the
	// version they were opened under.
	Version string `json:"version"`
	// Taxonomy is the classification of feedback: triage checks categories
	// against it.
	Taxonomy *intake.TaxonomySpec `json:"taxonomy,omitempty"`
	// Routing says which team gets which ticket: assign without a team
	// routes by it.
	Routing *intake.RouterSpec `json:"routing,omitempty"`
	// Lifecycle extends the default lifecycle.
	Lifecycle *LifecycleExtension `json:"lifecycle,omitempty"`
	// Priority holds the priority scoring rules: triage scores
	// [PriorityInput] with them.
	Priority *priority.Spec `json:"priority,omitempty"`
	// Calendars are the business calendars, by name.
	Calendars []sla.CalendarSpec `json:"calendars,omitempty"`
	// DefaultCalendar names the calendar of tickets opened without one.
	DefaultCalendar string `json:"default_calendar,omitempty"`
	// SLA holds the service-level policies.
	SLA *sla.PolicySetSpec `json:"sla,omitempty"`
	// Compensation holds the compensation policies, by name.
	Compensation []compensation.PolicySpec `json:"compensation,omitempty"`
	// Intake holds the intake validation rules (required fields, limits,
	// test accounts, spam): [Rules.IntakeValidator] checks registrations with
	// them and the rules' taxonomy, and [Rules.OpeningFromIntake] turns an
	// accepted registration into a ticket's opening. Its time zone, when
	// not given, is the default calendar's, so "2024-03-01 10:30:00" means
	// the same wall clock the deadlines are counted in.
	Intake *intake.ValidatorSpec `json:"intake,omitempty"`
}

// Rules is a compiled rules document: immutable, safe to share between any
// number of goroutines. Tickets are opened, changed and replayed through it.
type Rules struct {
	version         string
	lifecycle       *Lifecycle
	taxonomy        *intake.Taxonomy
	routing         *intake.Router
	scorer          *priority.Scorer
	calendars       *sla.Calendars
	defaultCalendar string
	compensation    map[string]*compensation.Policy
	policies        slaPolicySet
	intake          *intake.Validator
}

// ParseRules strictly decodes and compiles a rules document. Errors are
// *[PathError] naming the offending JSON path.
func ParseRules(data []byte) (*Rules, error) {
	var doc RulesDocument
	if err := rulesjson.Decode(data, &doc); err != nil {
		return nil, err
	}
	return CompileRules(doc)
}

// CompileRules validates and compiles a rules document given as Go values.
// Errors are *[PathError] naming the path the value has in JSON. doc is not
// changed.
func CompileRules(doc RulesDocument) (*Rules, error) {
	if doc.Version == "" {
		return nil, rulesjsonErrorf(fieldPath("$", "version"), "the rules need a version")
	}
	r := &Rules{version: doc.Version}
	spec := DefaultLifecycle()
	if doc.Lifecycle != nil {
		base := spec
		var err error
		if spec, err = base.Extend(*doc.Lifecycle); err != nil {
			return nil, rulesjson.Wrap(fieldPath("$", "lifecycle"), err)
		}
		lc, err := NewLifecycle(spec)
		if err != nil {
			return nil, rulesjson.Wrap(fieldPath("$", "lifecycle"), relocate(err, len(base.States), len(base.Transitions)))
		}
		r.lifecycle = lc
	} else {
		lc, err := NewLifecycle(spec)
		if err != nil {
			return nil, err
		}
		r.lifecycle = lc
	}
	var err error
	if doc.Taxonomy != nil {
		if r.taxonomy, err = intake.NewTaxonomy(*doc.Taxonomy); err != nil {
			return nil, rulesjson.Wrap(fieldPath("$", "taxonomy"), err)
		}
	}
	if doc.Routing != nil {
		if r.routing, err = intake.NewRouter(*doc.Routing, r.taxonomy); err != nil {
			return nil, rulesjson.Wrap(fieldPath("$", "routing"), err)
		}
	}
	if doc.Priority != nil {
		if r.scorer, err = priority.New(*doc.Priority); err != nil {
			return nil, rulesjson.Wrap(fieldPath("$", "priority"), err)
		}
	}
	if doc.Calendars != nil {
		if r.calendars, err = sla.CompileCalendars(doc.Calendars); err != nil {
			return nil, rulesjson.Wrap(fieldPath("$", "calendars"), err)
		}
	}
	if doc.Compensation != nil {
		if r.compensation, err = compilePolicies(doc.Compensation); err != nil {
			return nil, rulesjson.Wrap(fieldPath("$", "compensation"), err)
		}
	}
	if doc.DefaultCalendar != "" {
		if _, ok := r.calendars.Get(doc.DefaultCalendar); !ok {
			return nil, rulesjsonErrorf(fieldPath("$", "default_calendar"), "no calendar %q", doc.DefaultCalendar)
		}
		r.defaultCalendar = doc.DefaultCalendar
	}
	if doc.SLA != nil {
		if err := r.compileSLA(*doc.SLA); err != nil {
			return nil, rulesjson.Wrap(fieldPath("$", "sla"), err)
		}
	}
	if err := r.compileIntake(doc.Intake); err != nil {
		return nil, rulesjson.Wrap(fieldPath("$", "intake"), err)
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

// Calendars returns the rules' business calendars (nil if none).
func (r *Rules) Calendars() *sla.Calendars { return r.calendars }

// Taxonomy returns the rules' taxonomy (nil if none).
func (r *Rules) Taxonomy() *intake.Taxonomy { return r.taxonomy }

// Routing returns the rules' routing (nil if none).
func (r *Rules) Routing() *intake.Router { return r.routing }

// PriorityScorer returns the rules' priority scoring (nil if none).
func (r *Rules) PriorityScorer() *priority.Scorer { return r.scorer }

// latestDelayRequest is the last instant a delay request against deadline
// may be filed: notice working days before it on the named calendar (the
// closing time of that working day, as [sla.Calendar.AddWorkingDays] lands).
// With no calendar a working day is 24 hours.
func (r *Rules) latestDelayRequest(calendar string, deadline time.Time, notice int) (time.Time, error) {
	if notice == 0 {
		return deadline, nil
	}
	if calendar == "" {
		return deadline.Add(-time.Duration(notice) * 24 * time.Hour), nil
	}
	cal, err := r.calendars.Lookup(calendar)
	if err != nil {
		return time.Time{}, err
	}
	t, err := cal.AddWorkingDays(deadline, -notice)
	if err != nil {
		return time.Time{}, err
	}
	return t.UTC(), nil
}

// scoreTriage scores the priority of a triage of t with the rules' priority
// scoring. Besides the triage's inputs the scoring sees what the ticket
// says of itself: its category (the triage's own, else the ticket's) and
// its kind, which select the overrides restricted to them (document 002's
// "a service-experience issue is at most P2"), and its "tier" attribute,
// given as the tier name when the triage gives no tier level and the
// scoring maps tier names, so that the tier feeds priority the way it
// feeds a compensation multiplier. A tier the scoring does not map is an
// error ([priority.ErrUnknownTier]), not a silent "not given".
func (r *Rules) scoreTriage(in PriorityInput, t *Ticket, category string) (string, []string, error) {
	if r.scorer == nil {
		return "", nil, fmt.Errorf("the rules hold no priority scoring; give a level instead")
	}
	pin := priority.Input{Impact: in.Impact, Affected: in.Affected, Business: in.Business, Urgency: in.Urgency,
		Severity: in.Severity, Tier: in.Tier, Category: category}
	if t != nil {
		if pin.Category == "" {
			pin.Category = t.Category
		}
		pin.Kind = t.Attributes["kind"]
		if tier := t.Attributes["tier"]; in.Tier == 0 && tier != "" && len(r.scorer.TierNames()) > 0 {
			pin.TierName = tier
		}
	}
	for _, name := range in.Flags {
		f, err := priority.ParseFlag(name)
		if err != nil {
			return "", nil, err
		}
		pin.Flags |= f
	}
	res, err := r.scorer.Explain(pin)
	if err != nil {
		return "", nil, err
	}
	if level := res.Level.String(); !validLevel(level) {
		return "", nil, fmt.Errorf("the priority rules gave level %s; tickets take P0..P9", level)
	}
	reasons := make([]string, len(res.Reasons))
	for i, reason := range res.Reasons {
		reasons[i] = reason.String()
	}
	return res.Level.String(), reasons, nil
}
