package scenario

import (
	"fmt"
	"path/filepath"
	"strings"
	"testing"

	"github.com/closeloop/closeloop/feedback"
	"github.com/closeloop/closeloop/sla"
)

// Mismatch is one expectation the run did not meet.
type Mismatch struct {
	// Path is the JSON path of the expectation in the scenario
	// ("$.expect.metrics.first_response.deadline", "$.steps[7].refused").
	Path string
	// Context says when and where: "at 2024-03-04 14:00 Mon, first_response".
	Context string
	// Want is the expected value and Got what the library returned, both
	// as text (instants in the scenario's zone, durations as "48h").
	Want, Got string
}

// String writes the mismatch on three lines:
//
//	$.expect.priority (at 2024-03-11 15:15 Mon)
//	    want: P2
//	    got:  P1
func (m Mismatch) String() string {
	head := m.Path
	if m.Context != "" {
		head += " (" + m.Context + ")"
	}
	return head + "\n    want: " + m.Want + "\n    got:  " + m.Got
}

// Result is the outcome of a run.
type Result struct {
	// Name is the scenario's name.
	Name string
	// Mismatches lists every expectation not met, in the order they were
	// checked (steps and checkpoints by instant, then Expect).
	Mismatches []Mismatch
	// Ticket is the ticket after the last step.
	Ticket *feedback.Ticket
	// Report is the ticket's SLA report at the Expect instant (nil when the
	// rules hold no SLA policies).
	Report *sla.Report
}

// OK reports whether every expectation was met.
func (r Result) OK() bool { return len(r.Mismatches) == 0 }

// String is the readable diff: one line saying how many expectations
// failed, then each mismatch (or "ok").
func (r Result) String() string {
	if r.OK() {
		return fmt.Sprintf("scenario %q: ok", r.Name)
	}
	var b strings.Builder
	fmt.Fprintf(&b, "scenario %q: %d mismatch(es)", r.Name, len(r.Mismatches))
	for _, m := range r.Mismatches {
		b.WriteString("\n  ")
		b.WriteString(strings.ReplaceAll(m.String(), "\n", "\n  "))
	}
	return b.String()
}

// TB is the part of [testing.TB] the helpers use, so that they can also
// report to something other than a test.
type TB interface {
	Helper()
	Errorf(format string, args ...any)
}

// Verify runs s and reports to t: a scenario that cannot run, or every
// mismatch as a readable diff, fails the test (Errorf, so the test goes on).
// It returns the result for further checks.
func Verify(t TB, s Scenario) Result {
	t.Helper()
	return verify(t, s, "")
}

// verify is Verify with the file the scenario came from ("" for none)
// written before every report.
func verify(t TB, s Scenario, file string) Result {
	t.Helper()
	if file != "" {
		file += ": "
	}
	res, err := Run(s)
	if err != nil {
		t.Errorf("%sscenario %q does not run: %v", file, s.Name, err)
		return res
	}
	if !res.OK() {
		t.Errorf("%s%s", file, res)
	}
	return res
}

// RunFile loads the scenario file at path and verifies it ([Verify]); every
// report starts with the path.
func RunFile(t TB, path string) Result {
	t.Helper()
	s, err := Load(path)
	if err != nil {
		t.Errorf("%v", err) // Load's errors name the file
		return Result{}
	}
	return verify(t, s, path)
}

// RunDir verifies every scenario file matching dir/*.json, each as a
// subtest named after the file; a folder without scenario files fails.
func RunDir(t *testing.T, dir string) {
	t.Helper()
	files, err := filepath.Glob(filepath.Join(dir, "*.json"))
	if err != nil || len(files) == 0 {
		t.Errorf("no scenario files in %s (%v)", dir, err)
		return
	}
	for _, f := range files {
		name := strings.TrimSuffix(filepath.Base(f), ".json")
		t.Run(name, func(t *testing.T) { RunFile(t, f) })
	}
}
