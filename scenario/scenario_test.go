package scenario_test

import (
	"errors"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/closeloop/closeloop/feedback"
	"github.com/closeloop/closeloop/intake"
	"github.com/closeloop/closeloop/internal/rulesjson"
	"github.com/closeloop/closeloop/scenario"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestScenarioFiles runs every shipped scenario file: the source documents'
// worked rows and targets.
func TestScenarioFiles(t *testing.T) {
	scenario.RunDir(t, "testdata")
}

// recorder is a scenario.TB that keeps what a test would have printed.
type recorder struct{ errs []string }

func (r *recorder) Helper() {}
func (r *recorder) Errorf(format string, args ...any) {
	r.errs = append(r.errs, fmt.Sprintf(format, args...))
}

// battery is document 002's first row as a Go table, the way a host's test
// suite writes a scenario without a file.
func battery() scenario.Scenario {
	return scenario.Scenario{
		Name:     "F20240301001 in Go",
		TimeZone: "Asia/Shanghai",
		Rules:    scenario.Rules{Preset: scenario.PresetDocuments, SLAPreset: "after-sales"},
		Ticket:   scenario.Opening{ID: "F20240301001", At: "2024-03-01 10:30", Channel: "phone", Category: "product_fault"},
		Steps: []scenario.Step{
			{At: "2024-03-01 10:40", Trigger: "triage", Deadline: "2024-03-10 18:00",
				Payload: feedback.Payload{PriorityInput: &feedback.PriorityInput{Affected: 500, Urgency: 3, Severity: 2}}},
			{At: "2024-03-01 10:45", Trigger: "assign"},
			{At: "2024-03-01 11:00", Trigger: "respond", Payload: feedback.Payload{Note: "ok"}},
		},
		Expect: scenario.Checkpoint{
			State: "assigned", Priority: "P1", Team: "technical_support", RoutedBy: "p0-p1-product-fault",
			Policy: "after-sales", PolicyVersion: 1,
			Metrics: map[string]scenario.Metric{
				"first_response": {Status: "met", Target: "48h elapsed", Deadline: "2024-03-03 10:30", MetCycles: &[]int{1}[0]},
			},
		},
		Checkpoints: []scenario.Checkpoint{{At: "2024-03-01 10:30", State: "received", ReopenRounds: &[]int{0}[0]}},
	}
}

func TestGoTableScenario(t *testing.T) {
	res := scenario.Verify(t, battery())
	require.True(t, res.OK())
	require.NotNil(t, res.Ticket)
	assert.Equal(t, "P1", res.Ticket.Priority)
	require.NotNil(t, res.Report)
	assert.Equal(t, "after-sales", res.Report.Policy)
}

// TestWrongExpectationsAreReported changes correct expectations into wrong
// ones and checks that each is reported, with its path, the expected and
// the actual value: the runner can fail.
func TestWrongExpectationsAreReported(t *testing.T) {
	s := battery()
	s.Expect.Priority = "P2"
	s.Expect.Team = "service_supervisor"
	m := s.Expect.Metrics["first_response"]
	m.Deadline = "2024-03-03 11:30"
	m.Target = "24h elapsed"
	m.Status = "breached"
	s.Expect.Metrics["first_response"] = m
	s.Expect.Metrics["resolution"] = scenario.Metric{Status: "running"}
	s.Checkpoints[0].State = "triaged"
	s.Steps[2].Refused = &scenario.Refusal{}

	res, err := scenario.Run(s)
	require.NoError(t, err)
	require.False(t, res.OK())
	got := map[string][2]string{}
	for _, m := range res.Mismatches {
		got[m.Path] = [2]string{m.Want, m.Got}
	}
	assert.Equal(t, map[string][2]string{
		"$.checkpoints[0].state":                   {"triaged", "received"},
		"$.steps[2].refused":                       {"refused", "accepted (assigned → assigned)"},
		"$.expect.priority":                        {"P2", "P1"},
		"$.expect.team":                            {"service_supervisor", "technical_support"},
		"$.expect.metrics.first_response.status":   {"breached", "met"},
		"$.expect.metrics.first_response.target":   {"24h elapsed", "48h elapsed"},
		"$.expect.metrics.first_response.deadline": {"2024-03-03 11:30 Sun", "2024-03-03 10:30 Sun"},
		"$.expect.metrics.resolution":              {"metric resolution", "no such metric in policy after-sales v1 (has [first_response, follow_up])"},
	}, got)

	// The diff a person reads.
	text := res.String()
	assert.Contains(t, text, `scenario "F20240301001 in Go": 8 mismatch(es)`)
	assert.Contains(t, text, "$.expect.metrics.first_response.deadline (at 2024-03-01 11:00 Fri, first_response)\n"+
		"      want: 2024-03-03 11:30 Sun\n"+
		"      got:  2024-03-03 10:30 Sun")

	// Verify fails the test it is given, with the same diff.
	rec := &recorder{}
	scenario.Verify(rec, s)
	require.Len(t, rec.errs, 1)
	assert.Equal(t, text, rec.errs[0])
}

// TestWrongFileIsReported runs a shipped scenario file with one expectation
// made wrong: RunFile reports it.
func TestWrongFileIsReported(t *testing.T) {
	data, err := os.ReadFile("testdata/doc002-F20240301002-installation-p2.json")
	require.NoError(t, err)
	bad := strings.Replace(string(data), `"team": "service_supervisor",
    "policy"`, `"team": "product_manager",
    "policy"`, 1)
	require.NotEqual(t, string(data), bad)
	path := filepath.Join(t.TempDir(), "bad.json")
	require.NoError(t, os.WriteFile(path, []byte(bad), 0o600))
	rec := &recorder{}
	res := scenario.RunFile(rec, path)
	require.Len(t, rec.errs, 1)
	assert.Equal(t, []scenario.Mismatch{{Path: "$.expect.team", Context: "at 2024-03-06 10:40 Wed",
		Want: "product_manager", Got: "service_supervisor"}}, res.Mismatches)
	assert.Contains(t, rec.errs[0], "$.expect.team (at 2024-03-06 10:40 Wed)\n      want: product_manager\n      got:  service_supervisor")
}

func TestRefusalMismatch(t *testing.T) {
	s := battery()
	s.Steps = append(s.Steps,
		scenario.Step{At: "2024-03-01 11:05", Trigger: "close", Refused: &scenario.Refusal{}},
		scenario.Step{At: "2024-03-01 11:06", Trigger: "resolve"}, // refused: not started, and no note
	)
	res, err := scenario.Run(s)
	require.NoError(t, err)
	require.Len(t, res.Mismatches, 1)
	assert.Equal(t, "$.steps[4]", res.Mismatches[0].Path)
	assert.Equal(t, "accepted", res.Mismatches[0].Want)
	assert.Contains(t, res.Mismatches[0].Got, "refused: ")
}

// TestScenarioErrors: a scenario that cannot run is an error naming the
// JSON path at fault.
func TestScenarioErrors(t *testing.T) {
	valid, err := os.ReadFile("testdata/doc001-normal-24h.json")
	require.NoError(t, err)
	tests := []struct {
		name, from, to, path string
		sentinel             error
	}{
		{"unknown field", `"ticket": {`, `"tikcet": {}, "ticket": {`, "$.tikcet", rulesjson.ErrUnknownField},
		{"unknown field deep", `"status": "met", "deadline"`, `"satus": "met", "deadline"`, "$.expect.metrics.first_response.satus", rulesjson.ErrUnknownField},
		{"wrong type", `"policy": "complaint-normal",
    "metrics"`, `"policy_version": "1",
    "metrics"`, "$.expect.policy_version", rulesjson.ErrType},
		{"bad instant", `"at": "2024-03-01 17:30"`, `"at": "2024-03-01T17:30"`, "$.steps[0].at", nil},
		{"steps out of order", `"at": "2024-03-01 17:35"`, `"at": "2024-03-01 17:00:01"`, "$.steps[1].at", nil},
		{"checkpoint before opening", `"at": "2024-03-01 18:00"`, `"at": "2024-03-01 16:00"`, "$.checkpoints[0].at", nil},
		{"bad expected instant", `"deadline": "2024-03-02 17:00", "stopped"`, `"deadline": "tomorrow", "stopped"`, "$.expect.metrics.first_response.deadline", nil},
		{"bad duration", `"elapsed": "1h"`, `"elapsed": "an hour"`, "$.checkpoints[0].metrics.first_response.elapsed", nil},
		{"unknown sla preset", `"sla_preset": "complaint-grading"`, `"sla_preset": "complaint-gradings"`, "$.rules.sla_preset", nil},
		{"two bases", `"rules": {"file"`, `"rules": {"preset": "documents", "file"`, "$.rules", nil},
		{"bad time zone", `"time_zone": "Asia/Shanghai"`, `"time_zone": "Asia/Shangai"`, "$.time_zone", nil},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			doc := strings.Replace(string(valid), tc.from, tc.to, 1)
			require.NotEqual(t, string(valid), doc, "the replacement must apply")
			path := filepath.Join(t.TempDir(), "s.json")
			require.NoError(t, os.MkdirAll(filepath.Join(filepath.Dir(path), "rules"), 0o700))
			rules, err := os.ReadFile("testdata/rules/doc001-complaints.json")
			require.NoError(t, err)
			require.NoError(t, os.WriteFile(filepath.Join(filepath.Dir(path), "rules", "doc001-complaints.json"), rules, 0o600))
			require.NoError(t, os.WriteFile(path, []byte(doc), 0o600))
			s, err := scenario.Load(path)
			if err == nil {
				_, err = scenario.Run(s)
			}
			require.Error(t, err)
			var pe *scenario.PathError
			require.True(t, errors.As(err, &pe), "%v", err)
			assert.Equal(t, tc.path, pe.Path, "%v", err)
			if tc.sentinel != nil {
				assert.ErrorIs(t, err, tc.sentinel)
			}
			// A test that runs it reports the error instead of passing.
			rec := &recorder{}
			scenario.RunFile(rec, path)
			require.Len(t, rec.errs, 1)
			assert.Contains(t, rec.errs[0], tc.path)
		})
	}
}

// TestRulesErrorsNameTheScenarioPath: an error inside replaced rules
// sections or an inline document is located in the scenario.
func TestRulesErrorsNameTheScenarioPath(t *testing.T) {
	s := battery()
	s.Rules.Replace = []byte(`{"calendars": [{"name": "x", "time_zone": "Mars/Olympus"}], "default_calendar": "x"}`)
	_, err := scenario.Run(s)
	var pe *scenario.PathError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, "$.rules.replace.calendars[0].time_zone", pe.Path)

	s = battery()
	s.Rules = scenario.Rules{Document: []byte(`{"version": "x", "calendars": [{"name": "c", "time_zone": "UTC", "week": {"mon": [["10:00", "09:00"]]}}]}`)}
	_, err = scenario.Run(s)
	require.ErrorAs(t, err, &pe)
	assert.True(t, strings.HasPrefix(pe.Path, "$.rules.document.calendars[0].week.mon"), pe.Path)

	s = battery()
	s.Rules.Replace = []byte(`{"sla": {"policies": []}, "slaa": 1}`)
	_, err = scenario.Run(s)
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, "$.rules.replace.slaa", pe.Path)
	assert.ErrorIs(t, err, rulesjson.ErrUnknownField)

	s = battery()
	s.Rules = scenario.Rules{File: "rules.json"}
	_, err = scenario.Run(s)
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, "$.rules.file", pe.Path)
}

// TestPolicyChangeIsCaught is the use the package is for: the same
// scenario run against a proposed policy fails exactly where the change
// shows.
func TestPolicyChangeIsCaught(t *testing.T) {
	s := battery()
	// Proposal: P1 response within 24 h instead of 48 h.
	s.Rules.Replace = []byte(`{"sla": {"policies": [{"name": "after-sales", "version": 2, "metrics": [
		{"kind": "first_response", "targets": {"P1": {"unit": "elapsed", "duration": "24h"}}}]}]}}`)
	res, err := scenario.Run(s)
	require.NoError(t, err)
	var paths []string
	for _, m := range res.Mismatches {
		paths = append(paths, m.Path+": "+m.Want+" → "+m.Got)
	}
	assert.Equal(t, []string{
		"$.expect.policy_version: 1 → 2",
		"$.expect.metrics.first_response.target: 48h elapsed → 24h elapsed",
		"$.expect.metrics.first_response.deadline: 2024-03-03 10:30 Sun → 2024-03-02 10:30 Sat",
	}, paths)
}

// TestDocExample runs the complete scenario file of the package
// documentation, so that the documentation cannot go stale.
func TestDocExample(t *testing.T) {
	src, err := os.ReadFile("doc.go")
	require.NoError(t, err)
	_, rest, ok := strings.Cut(string(src), "// # A complete scenario file")
	require.True(t, ok)
	var doc strings.Builder
	for _, line := range strings.Split(rest, "\n") {
		if body, ok := strings.CutPrefix(line, "//\t"); ok {
			doc.WriteString(body + "\n")
		} else if doc.Len() > 0 {
			break
		}
	}
	s, err := scenario.Parse([]byte(doc.String()))
	require.NoError(t, err, doc.String())
	res := scenario.Verify(t, s)
	require.True(t, res.OK())
	require.Len(t, s.Offers, 1)
}

// TestIntake: a registration is validated, classified and opened; a bad
// one is an error naming the intake and the field.
func TestIntake(t *testing.T) {
	data, err := os.ReadFile("testdata/doc002-F20240301001-battery-p1.json")
	require.NoError(t, err)
	s, err := scenario.Parse(data)
	require.NoError(t, err)
	s.Checkpoints = s.Checkpoints[:1]
	s.Checkpoints[0].Category = "service_experience"
	res, err := scenario.Run(s)
	require.NoError(t, err)
	require.Len(t, res.Mismatches, 1)
	assert.Equal(t, scenario.Mismatch{Path: "$.checkpoints[0].category", Context: "at 2024-03-01 10:30 Fri",
		Want: "service_experience", Got: "product_fault"}, res.Mismatches[0])
	assert.Equal(t, "C1001", res.Ticket.Customer)
	assert.Equal(t, "phone", res.Ticket.Channel)
	assert.Equal(t, "客服专员", res.Ticket.History[0].Actor)

	s.Intake.ReceivedAt = "近日"
	_, err = scenario.Run(s)
	var pe *scenario.PathError
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, "$.intake.received_at", pe.Path)

	s.Intake.ReceivedAt = "2024-03-01 10:30"
	_, err = scenario.Run(s)
	require.ErrorAs(t, err, &pe)
	assert.Equal(t, "$.intake", pe.Path)
	assert.Contains(t, err.Error(), "received_at")
	var ie *intake.Error
	assert.ErrorAs(t, err, &ie)
}

// TestOfferMismatches: every part of an offer expectation is compared, and a
// claim that cannot be built is an error at its path.
func TestOfferMismatches(t *testing.T) {
	load := func() scenario.Scenario {
		s, err := scenario.Load("testdata/compensation-offer-late-resolution.json")
		require.NoError(t, err)
		return s
	}
	s := load()
	o := &s.Offers[0]
	o.Bands["resolution overrun"] = "72h or more"
	o.Bands["missing schedule"] = "x"
	o.Options["voucher"] = "50.00 CNY voucher valid 60 days"
	delete(o.Options, "points")
	o.Options["care_gift"] = "service custom-care-gift"
	o.NeedsApproval = []string{"voucher"}
	o.Withheld = []string{"points"}
	s.Offers = append(s.Offers, scenario.OfferCheck{Policy: "no-such-policy"})
	m := s.Expect.Metrics["resolution"]
	m.Warnings = []string{"x"}
	m.Cycle = &[]int{2}[0]
	s.Expect.Metrics["resolution"] = m
	res, err := scenario.Run(s)
	require.NoError(t, err)
	got := map[string]string{}
	for _, m := range res.Mismatches {
		got[m.Path] = m.Want + " | " + m.Got
	}
	assert.Equal(t, map[string]string{
		`$.offers[0].bands["missing schedule"]`:   "x | no such schedule",
		`$.offers[0].bands["resolution overrun"]`: "72h or more | 24h to under 72h",
		"$.offers[0].options.voucher":             "50.00 CNY voucher valid 60 days | 40.00 CNY voucher valid 30 days",
		"$.offers[0].options.care_gift":           "service custom-care-gift | not offered",
		"$.offers[0].options.points":              "not offered | 1000 points",
		"$.offers[0].needs_approval":              "[voucher] | []",
		"$.offers[0].withheld":                    "[points] | []",
		"$.expect.metrics.resolution.warnings":    "[x] | [delay_request_due]",
		"$.expect.metrics.resolution.cycle":       "2 | 1",
	}, withoutOffer2(got))
	require.Contains(t, got, "$.offers[2]")
	assert.Contains(t, got["$.offers[2]"], "an offer | error: ")

	for _, tc := range []struct {
		name string
		edit func(*scenario.Scenario)
		path string
	}{
		{"amount without currency", func(s *scenario.Scenario) { s.Offers[1].Claim.Currency = "" }, "$.offers[1].claim.currency"},
		{"bad amount", func(s *scenario.Scenario) { s.Offers[1].Claim.Amounts["economic_loss"] = "12,000" }, "$.offers[1].claim.amounts.economic_loss"},
		{"bad duration", func(s *scenario.Scenario) { s.Offers[1].Claim.Durations["business_interruption"] = "5 hours" }, "$.offers[1].claim.durations.business_interruption"},
		{"bad number", func(s *scenario.Scenario) { s.Offers[1].Claim.Numbers = map[string]string{"km": "far"} }, "$.offers[1].claim.numbers.km"},
		{"bad granted", func(s *scenario.Scenario) { s.Offers[1].Claim.GrantedInPeriod = "-1" }, "$.offers[1].claim.granted_in_period"},
		{"unknown option chosen", func(s *scenario.Scenario) { s.Steps[5].Choose.Option = "cash" }, "$.steps[5].choose.option"},
		{"unknown policy chosen", func(s *scenario.Scenario) { s.Steps[5].Choose.Policy = "nope" }, "$.steps[5].choose"},
		{"deadline twice", func(s *scenario.Scenario) {
			s.Steps[0].Deadline = "2024-03-10 18:00"
			s.Steps[0].Payload.Deadline = time.Date(2024, 3, 10, 10, 0, 0, 0, time.UTC)
		}, "$.steps[0].deadline"},
		{"no trigger", func(s *scenario.Scenario) { s.Steps[1].Trigger = "" }, "$.steps[1].trigger"},
		{"expect before last step", func(s *scenario.Scenario) { s.Expect.At = "2024-03-08 10:00" }, "$.expect.at"},
		{"no name", func(s *scenario.Scenario) { s.Name = "" }, "$.name"},
		{"no id", func(s *scenario.Scenario) { s.Ticket.ID = "" }, "$.ticket.id"},
		{"classify without intake", func(s *scenario.Scenario) { s.Classify = true }, "$.classify"},
	} {
		t.Run(tc.name, func(t *testing.T) {
			s := load()
			tc.edit(&s)
			_, err := scenario.Run(s)
			var pe *scenario.PathError
			require.ErrorAs(t, err, &pe)
			assert.Equal(t, tc.path, pe.Path, "%v", err)
		})
	}
}

func withoutOffer2(m map[string]string) map[string]string {
	out := map[string]string{}
	for k, v := range m {
		if k != "$.offers[2]" {
			out[k] = v
		}
	}
	return out
}
