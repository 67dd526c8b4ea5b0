package feedback

import (
	"errors"
	"strings"
	"sync"
	"testing"
	"time"

	"github.com/closeloop/closeloop/intake"
	"github.com/closeloop/closeloop/internal/rulesjson"
	"github.com/closeloop/closeloop/sla"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestPresetRules(t *testing.T) {
	r, err := PresetRules()
	require.NoError(t, err)
	assert.Equal(t, PresetVersion, r.Version())
	assert.NotNil(t, r.Taxonomy())
	assert.NotNil(t, r.Routing())
	assert.NotNil(t, r.PriorityScorer())
	assert.Equal(t, []string{"cn-office", "cn-service-desk"}, r.Calendars().Names())

	// Document 002's worked row F20240301001: a battery batch fault, about
	// 500 phones, high urgency, medium severity → P1; routed to technical support.
	shanghai, err := time.LoadLocation("Asia/Shanghai")
	require.NoError(t, err)
	at := time.Date(2024, 3, 1, 10, 0, 0, 0, shanghai)
	tk, _, err := r.Open(Opening{ID: "F20240301001", At: at, Actor: "agent-7", Channel: "phone", Category: "product_fault"})
	require.NoError(t, err)
	assert.Equal(t, "cn-office", tk.Calendar)
	assert.Equal(t, PresetVersion, tk.RulesVersion)
	_, err = r.Fire(tk, Change{Trigger: TriggerTriage, Version: 1, At: at.Add(30 * time.Minute), Actor: "agent-7",
		Payload: Payload{Category: "产品故障类", PriorityInput: &PriorityInput{Affected: 500, Urgency: 3, Severity: 2},
			Deadline: at.Add(48 * time.Hour)}})
	require.NoError(t, err)
	assert.Equal(t, "P1", tk.Priority)
	assert.Equal(t, "product_fault", tk.Category)
	assert.NotEmpty(t, tk.PriorityReasons)
	_, err = r.Fire(tk, Change{Trigger: TriggerAssign, Version: 2, At: at.Add(40 * time.Minute), Actor: "agent-7"})
	require.NoError(t, err)
	assert.Equal(t, "technical_support", tk.Team)
	assert.NotEmpty(t, tk.History[2].Payload.RoutedBy)

	// A category the taxonomy does not know is refused at triage.
	tk2, _, err := r.Open(Opening{ID: "F2", At: at, Actor: "a"})
	require.NoError(t, err)
	_, err = r.Fire(tk2, Change{Trigger: TriggerTriage, Version: 1, At: at, Actor: "a", Payload: Payload{Category: "weather", Priority: "P2"}})
	var te *TransitionError
	require.ErrorAs(t, err, &te)
	assert.Equal(t, []string{GuardCategoryKnown}, te.UnmetGuards)
	assert.ErrorIs(t, te.Cause, intake.ErrUnknownValue)
}

// TestDelayOnBusinessCalendar: on the cn-office calendar, the deadline
// Tuesday 2024-10-08 18:00 (after the National Day week) needs a delay
// request by the close of the working day before it; 2024-10-07 is a
// holiday and the make-up Sunday 2024-09-29 a working day.
func TestDelayOnBusinessCalendar(t *testing.T) {
	r, err := PresetRules()
	require.NoError(t, err)
	sh, _ := time.LoadLocation("Asia/Shanghai")
	deadline := time.Date(2024, 10, 8, 18, 0, 0, 0, sh)
	latest, err := r.latestDelayRequest("cn-office", deadline.UTC(), 1)
	require.NoError(t, err)
	assert.Equal(t, time.Date(2024, 9, 30, 18, 0, 0, 0, sh).UTC(), latest, "Oct 1–7 are closed; Sep 30 is the working day before")

	tk, _, err := r.Open(Opening{ID: "F3", At: time.Date(2024, 9, 27, 9, 0, 0, 0, sh), Actor: "a"})
	require.NoError(t, err)
	step := func(trig Trigger, at time.Time, p Payload) error {
		_, err := r.Fire(tk, Change{Trigger: trig, Version: tk.Version, At: at, Actor: "a", Payload: p})
		return err
	}
	at := time.Date(2024, 9, 27, 10, 0, 0, 0, sh)
	require.NoError(t, step(TriggerTriage, at, Payload{Priority: "P2", Deadline: deadline}))
	require.NoError(t, step(TriggerAssign, at, Payload{Team: "service"}))
	require.NoError(t, step(TriggerStart, at, Payload{}))
	req := Payload{Delay: &TicketDelay{Reason: "supplier closed for the holiday", Plan: "repair on Oct 9", NewDeadline: deadline.Add(24 * time.Hour)}}
	err = step(TriggerRequestDelay, time.Date(2024, 10, 1, 9, 0, 0, 0, sh), req)
	var te *TransitionError
	require.ErrorAs(t, err, &te, "Oct 1 is less than one working day before Oct 8")
	assert.Equal(t, []string{GuardDelayFiledInTime}, te.UnmetGuards)
	require.NoError(t, step(TriggerRequestDelay, time.Date(2024, 9, 30, 17, 0, 0, 0, sh), req))
	require.NoError(t, step(TriggerApproveDelay, time.Date(2024, 9, 30, 17, 30, 0, 0, sh), Payload{}))
	got, err := r.Deadline(tk, time.Date(2024, 9, 30, 17, 30, 0, 0, sh))
	require.NoError(t, err)
	assert.True(t, got.Equal(deadline.Add(24*time.Hour)))
}

// TestApprovedDelayMovesResolutionClock: an approved delay is the new
// commitment, so the resolution clock is due at the new deadline and the
// report shows the extension; a rejected one changes nothing.
func TestApprovedDelayMovesResolutionClock(t *testing.T) {
	r, err := ParseRules([]byte(`{"version": "1",
	  "calendars": [{"name": "office", "time_zone": "UTC", "week": {"mon": [["09:00","17:00"]], "tue": [["09:00","17:00"]],
	    "wed": [["09:00","17:00"]], "thu": [["09:00","17:00"]], "fri": [["09:00","17:00"]]}}],
	  "default_calendar": "office",
	  "sla": {"policies": [{"name": "p", "metrics": [{"kind": "resolution", "targets": {"*": {"unit": "elapsed", "duration": "240h"}}}]}]}}`))
	require.NoError(t, err)
	day := func(d, h int) time.Time { return time.Date(2024, 3, d, h, 0, 0, 0, time.UTC) }
	tk, _, err := r.Open(Opening{ID: "F9", At: day(4, 9), Actor: "a"})
	require.NoError(t, err)
	step := func(trig Trigger, at time.Time, p Payload) {
		t.Helper()
		_, err := r.Fire(tk, Change{Trigger: trig, Version: tk.Version, At: at, Actor: "a", Payload: p})
		require.NoError(t, err)
	}
	step(TriggerTriage, day(4, 10), Payload{Priority: "P2"})
	got, err := r.Deadline(tk, day(4, 10))
	require.NoError(t, err)
	require.True(t, got.Equal(day(14, 9)), "deadline from the SLA: %v", got)
	step(TriggerAssign, day(4, 10), Payload{Team: "service"})
	step(TriggerStart, day(4, 11), Payload{})

	moved := day(20, 9)
	step(TriggerRequestDelay, day(6, 9), Payload{Delay: &TicketDelay{Reason: "parts", Plan: "repair on the 19th", NewDeadline: moved}})
	step(TriggerRejectDelay, day(6, 10), Payload{Reason: "no parts shortage on record"})
	rep, err := r.SLA(tk, day(15, 9))
	require.NoError(t, err)
	res, _ := rep.Metric("resolution")
	assert.Equal(t, sla.Breached, res.Status, "a rejected delay changes nothing")

	step(TriggerRequestDelay, day(6, 11), Payload{Delay: &TicketDelay{Reason: "parts", Plan: "repair on the 19th", NewDeadline: moved}})
	step(TriggerApproveDelay, day(6, 12), Payload{})
	rep, err = r.SLA(tk, day(15, 9))
	require.NoError(t, err)
	res, _ = rep.Metric("resolution")
	assert.Equal(t, sla.Running, res.Status)
	assert.True(t, res.Deadline.Equal(moved), "deadline %v", res.Deadline)
	assert.Equal(t, 6*24*time.Hour, res.Extension)
}

func TestRulesErrorsNamePaths(t *testing.T) {
	cases := []struct {
		doc  string
		path string
		is   error
	}{
		{`{"version": "1", "colour": "red"}`, "$.colour", rulesjson.ErrUnknownField},
		{`{}`, "$.version", nil},
		{`{"version": "1", "lifecycle": {"reopen_limit": "two"}}`, "$.lifecycle.reopen_limit", rulesjson.ErrType},
		{`{"version": "1", "lifecycle": {"transitions": [{"from": ["in_progress"], "trigger": "x", "to": "resolved", "guards": ["nope"]}]}}`, "$.lifecycle.transitions[0].guards[0]", nil},
		{`{"version": "1", "lifecycle": {"states": [{"name": "parts", "colour": 1}]}}`, "$.lifecycle.states[0].colour", rulesjson.ErrUnknownField},
		{`{"version": "1", "calendars": [{"name": "x", "time_zone": "Mars/Olympus", "week": {"mon": [["09:00","17:00"]]}}]}`, "$.calendars[0].time_zone", nil},
		{`{"version": "1", "default_calendar": "nowhere"}`, "$.default_calendar", nil},
		{`{"version": "1", "priority": {"name": 3}}`, "$.priority.name", rulesjson.ErrType},
		{`{"version": "1"} {}`, "$", rulesjson.ErrTrailingData},
	}
	for _, tc := range cases {
		t.Run(tc.path, func(t *testing.T) {
			_, err := ParseRules([]byte(tc.doc))
			var pe *PathError
			require.ErrorAs(t, err, &pe, "%v", err)
			assert.Equal(t, tc.path, pe.Path, "%v", err)
			if tc.is != nil {
				assert.True(t, errors.Is(err, tc.is), "%v", err)
			}
		})
	}
}

// TestSharedPresetRulesRace runs tickets in parallel against one compiled
// preset (priority scoring, routing and calendars included). Run with -race.
func TestSharedPresetRulesRace(t *testing.T) {
	r, err := PresetRules()
	require.NoError(t, err)
	var wg sync.WaitGroup
	errs := make(chan error, 8)
	for w := range 8 {
		wg.Add(1)
		go func() {
			defer wg.Done()
			for i := range 20 {
				tk, _, err := r.Open(Opening{ID: "F" + itoa(w) + "-" + itoa(i), At: tkT0, Actor: "a", Category: "product_fault"})
				if err != nil {
					errs <- err
					return
				}
				at := tkT0
				for _, s := range []struct {
					trig Trigger
					p    Payload
				}{
					{TriggerTriage, Payload{PriorityInput: &PriorityInput{Affected: int64(i * 60), Urgency: 1 + i%4, Severity: 1 + w%4}, Deadline: tkT0.Add(96 * time.Hour)}},
					{TriggerAssign, Payload{}},
					{TriggerStart, Payload{}},
					{TriggerRequestDelay, Payload{Delay: &TicketDelay{Reason: "r", Plan: "p", NewDeadline: tkT0.Add(200 * time.Hour)}}},
					{TriggerApproveDelay, Payload{}},
					{TriggerResolve, Payload{Note: "ok"}},
				} {
					at = at.Add(time.Minute)
					if _, err := r.Fire(tk, Change{Trigger: s.trig, Version: tk.Version, At: at, Actor: "a", Payload: s.p}); err != nil {
						errs <- err
						return
					}
				}
				if !strings.HasPrefix(tk.Priority, "P") {
					errs <- errors.New("no priority")
					return
				}
			}
		}()
	}
	wg.Wait()
	close(errs)
	for err := range errs {
		require.NoError(t, err)
	}
}

// TestAssignRoutesOnTags: routing rules on tags see the ticket's tags.
func TestAssignRoutesOnTags(t *testing.T) {
	r, err := ParseRules([]byte(`{"version": "1",
	  "routing": {"rules": [{"name": "battery faults", "when": {"tags_any": ["battery"]}, "team": "battery_lab"}],
	              "default_team": "frontline"}}`))
	require.NoError(t, err)
	at := time.Date(2024, 3, 1, 10, 0, 0, 0, time.UTC)
	for _, tc := range []struct{ tags, team string }{{"battery, swelling", "battery_lab"}, {"screen", "frontline"}, {"", "frontline"}} {
		tk, _, err := r.Open(Opening{ID: "F1", At: at, Actor: "a", Attributes: map[string]string{"tags": tc.tags}})
		require.NoError(t, err)
		_, err = r.Fire(tk, Change{Trigger: TriggerTriage, Version: tk.Version, At: at, Actor: "a", Payload: Payload{Priority: "P1"}})
		require.NoError(t, err)
		_, err = r.Fire(tk, Change{Trigger: TriggerAssign, Version: tk.Version, At: at, Actor: "a"})
		require.NoError(t, err)
		assert.Equal(t, tc.team, tk.Team, "tags %q", tc.tags)
	}
}
