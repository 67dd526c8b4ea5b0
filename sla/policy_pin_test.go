package sla

import (
	"errors"
	"testing"
	"time"

	"github.com/closeloop/closeloop/internal/rulesjson"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

const pinDoc = `{"default_calendar":"office","policies":[
 {"name":"p","version":1,"metrics":[
   {"kind":"resolution","targets":{"*":{"unit":"business","duration":"16h"}},"warnings":[{"name":"half","percent":50}]},
   {"kind":"first_response","targets":{"*":{"unit":"elapsed","duration":"4h"}}}]},
 {"name":"p","version":2,"based_on":1,"effective_from":"2024-06-01T00:00:00Z","metrics":[
   {"kind":"resolution","targets":{"*":{"unit":"business","duration":"8h"}}}]}]}`

func TestPolicyRevision(t *testing.T) {
	s := compileT(t, pinDoc)
	infos := s.Policies()
	require.Len(t, infos, 2)
	assert.Equal(t, []string{"resolution", "first_response"}, infos[1].Metrics, "version 2 keeps what it does not change")
	assert.NotEqual(t, infos[0].Fingerprint, infos[1].Fingerprint)

	tl := []Entry{st(mar(4, 9, 0), "received")}
	r1, err := s.Evaluate(Attributes{}, tl, mar(4, 10, 0), Options{})
	require.NoError(t, err)
	assert.Equal(t, 1, r1.Version)
	assert.Equal(t, 16*time.Hour, metricByName(t, r1, "resolution").Target.Duration)
	later := time.Date(2024, 6, 3, 9, 0, 0, 0, shanghai)
	r2, err := s.Evaluate(Attributes{}, []Entry{st(later, "received")}, later.Add(time.Hour), Options{})
	require.NoError(t, err)
	assert.Equal(t, 2, r2.Version)
	m := metricByName(t, r2, "resolution")
	assert.Equal(t, 8*time.Hour, m.Target.Duration)
	assert.Len(t, r2.Metrics, 2)
	// The revision kept version 1's warning: only the target changed.
	require.NoError(t, s.EvaluateInto(r2, Attributes{}, []Entry{st(later, "received")}, later.Add(5*time.Hour), Options{}))
	assert.Len(t, metricByName(t, r2, "resolution").Warnings, 1)

	// Revise in Go gives the same content, hence the same fingerprint.
	var spec PolicySetSpec
	require.NoError(t, decodeJSONT(pinDoc, &spec))
	v2, err := Revise(spec.Policies[0], spec.Policies[1])
	require.NoError(t, err)
	s2, err := NewPolicySet(PolicySetSpec{DefaultCalendar: "office", Policies: []PolicySpec{spec.Policies[0], v2}}, testEnv(t))
	require.NoError(t, err)
	assert.Equal(t, infos[1].Fingerprint, s2.Policies()[1].Fingerprint)
}

func TestPolicyRevisionErrors(t *testing.T) {
	for name, doc := range map[string]string{
		"no base":       `{"policies":[{"name":"p","metrics":[{"kind":"first_response","targets":{"*":{"unit":"elapsed","duration":"1h"}}}]},{"name":"p","version":3,"based_on":2,"metrics":[]}]}`,
		"older version": `{"policies":[{"name":"p","version":2,"metrics":[{"kind":"first_response","targets":{"*":{"unit":"elapsed","duration":"1h"}}}]},{"name":"p","version":1,"based_on":2,"metrics":[]}]}`,
		"remove absent": `{"policies":[{"name":"p","metrics":[{"kind":"first_response","targets":{"*":{"unit":"elapsed","duration":"1h"}}}]},{"name":"p","version":2,"based_on":1,"effective_from":"2024-06-01T00:00:00Z","remove_metrics":["resolution"],"metrics":[]}]}`,
		"remove alone":  `{"policies":[{"name":"p","remove_metrics":["x"],"metrics":[{"kind":"first_response","targets":{"*":{"unit":"elapsed","duration":"1h"}}}]}]}`,
	} {
		t.Run(name, func(t *testing.T) {
			_, err := ParsePolicySet([]byte(doc), testEnv(t))
			var pe *PathError
			require.ErrorAs(t, err, &pe)
			assert.ErrorIs(t, err, ErrInvalidPolicy)
			want := "$.policies[1]"
			if name == "remove alone" {
				want = "$.policies[0].remove_metrics"
			}
			assert.Contains(t, pe.Path, want)
		})
	}
}

// TestPolicyEditedInPlace is the reproduction from the host-loop issue: a
// target edited from 24 h to 8 h under the same version used to re-rule open
// tickets silently. With the ticket's fingerprint, evaluation refuses.
func TestPolicyEditedInPlace(t *testing.T) {
	doc := func(d string) string {
		return `{"policies":[{"name":"p","version":1,"metrics":[{"kind":"resolution","targets":{"*":{"unit":"elapsed","duration":"` + d + `"}}}]}]}`
	}
	before := compileT(t, doc("24h"))
	tl := []Entry{st(mar(4, 9, 0), "received")}
	r, err := before.Evaluate(Attributes{}, tl, mar(4, 10, 0), Options{})
	require.NoError(t, err)
	pin := r.Pin()
	opt := Options{Policy: pin.Policy, Version: pin.Version, Fingerprint: pin.Fingerprint}
	_, err = before.Evaluate(Attributes{}, tl, mar(4, 10, 0), opt)
	require.NoError(t, err)

	after := compileT(t, doc("8h"))
	_, err = after.Evaluate(Attributes{}, tl, mar(4, 10, 0), opt)
	var pc *PolicyChangedError
	require.ErrorAs(t, err, &pc)
	assert.ErrorIs(t, err, ErrPolicyChanged)
	assert.Equal(t, pin.Fingerprint, pc.Pinned)
	assert.NotEqual(t, pc.Pinned, pc.Current)

	// Whitespace and key order do not change the fingerprint.
	same := compileT(t, `{ "policies" : [ {"metrics":[{"targets":{"*":{"duration":"24h","unit":"elapsed"}},"kind":"resolution"}],"version":1,"name":"p"} ] }`)
	_, err = same.Evaluate(Attributes{}, tl, mar(4, 10, 0), opt)
	require.NoError(t, err)
}

// TestTicketCalendar: a ticket's calendar replaces the set's default calendar
// for targets that name none; a target naming its calendar keeps it.
func TestTicketCalendar(t *testing.T) {
	day := []Hours{{"08:00", "22:00"}}
	desk, err := NewCalendar(CalendarSpec{Name: "desk", TimeZone: "Asia/Shanghai", FirstYear: 2020, LastYear: 2030,
		Week: WeekHours{Mon: day, Tue: day, Wed: day, Thu: day, Fri: day, Sat: day, Sun: day}})
	require.NoError(t, err)
	cals, err := NewCalendars(officeCalendar(t, "office"), desk)
	require.NoError(t, err)
	s, err := ParsePolicySet([]byte(`{"default_calendar":"office","policies":[{"name":"p","metrics":[
	  {"kind":"resolution","targets":{"*":{"unit":"business","duration":"10h"}}},
	  {"name":"report","kind":"custom","start":{"open":true},"stop":{"event":["reported"]},"targets":{"*":{"unit":"business","duration":"10h","calendar":"office"}}}]}]}`),
		PolicyEnv{States: DefaultStates(), Calendars: cals})
	require.NoError(t, err)
	// Friday 2024-03-08 20:00.
	tl := []Entry{st(mar(8, 20, 0), "received")}
	r, err := s.Evaluate(Attributes{}, tl, mar(8, 20, 0), Options{Calendar: "desk"})
	require.NoError(t, err)
	res := metricByName(t, r, "resolution")
	assert.Equal(t, "desk", res.Target.Calendar)
	assert.True(t, mar(9, 16, 0).Equal(res.Deadline), "2 h on Friday evening, 8 h on Saturday: %s", res.Deadline)
	rep := metricByName(t, r, "report")
	assert.Equal(t, "office", rep.Target.Calendar)
	assert.True(t, mar(12, 11, 0).Equal(rep.Deadline), "office hours from Monday: %s", rep.Deadline)

	_, err = s.Evaluate(Attributes{}, tl, mar(8, 20, 0), Options{Calendar: "nope"})
	assert.ErrorIs(t, err, ErrUnknownCalendar)
}

// TestTerminalStates: clocks stop when the ticket's life ends, unless the
// metric says on_terminal "continue".
func TestTerminalStates(t *testing.T) {
	env := testEnv(t)
	env.TerminalStates = []string{"closed", "merged", "rejected"}
	s, err := ParsePolicySet([]byte(`{"policies":[{"name":"p","metrics":[
	  {"kind":"first_response","targets":{"*":{"unit":"elapsed","duration":"1h"}}},
	  {"name":"second_visit","kind":"custom","start":{"enter":["resolved"]},"stop":{"event":["second_visit"]},
	   "targets":{"*":{"unit":"elapsed","duration":"30d"}},"on_terminal":"continue"}]}]}`), env)
	require.NoError(t, err)
	tl := []Entry{st(mar(4, 9, 0), "received"), st(mar(4, 9, 30), "rejected")}
	r, err := s.Evaluate(Attributes{}, tl, mar(5, 9, 0), Options{})
	require.NoError(t, err)
	fr := metricByName(t, r, "first_response")
	assert.Equal(t, Cancelled, fr.Status)
	assert.Equal(t, 0, fr.MetCycles)
	assert.Equal(t, 0, fr.BreachedCycles)
	assert.True(t, r.NextChange.IsZero(), "nothing changes after the end: %s", r.NextChange)
	assert.Equal(t, []string{"applied", "cancelled"}, auditTypes(r, "first_response"))

	tl = []Entry{st(mar(4, 9, 0), "received"), ev(mar(4, 9, 10), "responded"), st(mar(4, 12, 0), "resolved"), st(mar(5, 12, 0), "closed")}
	r, err = s.Evaluate(Attributes{}, tl, mar(6, 9, 0), Options{})
	require.NoError(t, err)
	sv := metricByName(t, r, "second_visit")
	assert.Equal(t, Running, sv.Status, "the second visit is still due after close")
	assert.True(t, r.NextChange.Equal(mar(4, 12, 0).Add(30*24*time.Hour)))
	tl = append(tl, ev(mar(20, 10, 0), "second_visit"))
	r, err = s.Evaluate(Attributes{}, tl, mar(20, 10, 0), Options{})
	require.NoError(t, err)
	assert.Equal(t, Met, metricByName(t, r, "second_visit").Status)

	_, err = ParsePolicySet([]byte(`{"policies":[{"name":"p","metrics":[{"kind":"first_response","targets":{"*":{"unit":"elapsed","duration":"1h"}},"on_terminal":"later"}]}]}`), env)
	var pe *PathError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, "$.policies[0].metrics[0].on_terminal", pe.Path)
}

// TestAlertAtOnce: an escalation 0 after the start is reached the moment the
// clock starts ("notify at once").
func TestAlertAtOnce(t *testing.T) {
	s := compileT(t, `{"policies":[{"name":"p","metrics":[{"kind":"first_response","targets":{"*":{"unit":"elapsed","duration":"1h"}},
	  "escalations":[{"name":"senior_management","after":{"unit":"elapsed","duration":"0s"}},{"name":"late","percent":100}]}]}]}`)
	r, err := s.Evaluate(Attributes{}, []Entry{st(mar(4, 9, 0), "received")}, mar(4, 9, 0), Options{})
	require.NoError(t, err)
	m := metricByName(t, r, "first_response")
	require.Len(t, m.Escalations, 1)
	assert.Equal(t, "senior_management", m.Escalations[0].Name)
	assert.True(t, mar(4, 9, 0).Equal(m.Escalations[0].At))
	assert.True(t, mar(4, 10, 0).Equal(r.NextChange))
}

// TestNeverOpenCalendarRefused is from the reliability issue: a policy on a
// calendar with no open time compiled, then every Evaluate failed.
func TestNeverOpenCalendarRefused(t *testing.T) {
	closed, err := NewCalendar(CalendarSpec{Name: "closed", TimeZone: "UTC", FirstYear: 2024, LastYear: 2025})
	require.NoError(t, err)
	cals, err := NewCalendars(closed)
	require.NoError(t, err)
	_, err = ParsePolicySet([]byte(`{"policies":[{"name":"p","metrics":[{"kind":"resolution","targets":{"*":{"unit":"business","duration":"8h","calendar":"closed"}}}]}]}`),
		PolicyEnv{States: DefaultStates(), Calendars: cals})
	var pe *PathError
	require.ErrorAs(t, err, &pe)
	assert.True(t, errors.Is(err, ErrNeverOpen))
	assert.Equal(t, `$.policies[0].metrics[0].targets["*"].calendar`, pe.Path)
}

func decodeJSONT(doc string, v any) error { return rulesjson.Decode([]byte(doc), v) }
