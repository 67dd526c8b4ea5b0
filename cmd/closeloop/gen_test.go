package main

import (
	"bytes"
	"encoding/json"
	"flag"
	"fmt"
	"os"
	"path/filepath"
	"strings"
	"testing"
	"time"

	"github.com/stretchr/testify/require"

	"github.com/closeloop/closeloop/compensation"
	"github.com/closeloop/closeloop/feedback"
	"github.com/closeloop/closeloop/metrics"
	"github.com/closeloop/closeloop/metrics/metricstest"
	"github.com/closeloop/closeloop/whatif"
	"github.com/closeloop/closeloop/whatif/whatiftest"
)

var gen = flag.Bool("gen", false, "regenerate the generated inputs under testdata (rules/documents.json, tickets, whatif, kpi)")

// TestGenerateTestdata writes the inputs the golden tests read that are
// made with the library rather than by hand. They are committed, so the
// golden outputs do not move when the library's presets change; run it
// with -gen after a deliberate change of the inputs, then -update.
func TestGenerateTestdata(t *testing.T) {
	if !*gen {
		t.Skip("run with -gen to regenerate the generated testdata")
	}
	write := func(path string, data []byte) {
		full := filepath.Join("testdata", path)
		require.NoError(t, os.MkdirAll(filepath.Dir(full), 0o755))
		require.NoError(t, os.WriteFile(full, data, 0o644))
	}
	indent := func(raw []byte) []byte {
		var b bytes.Buffer
		require.NoError(t, json.Indent(&b, raw, "", "  "))
		return append(b.Bytes(), '\n')
	}

	// The library's preset rules, as a document a policy owner edits.
	preset, err := feedback.PresetRulesJSON()
	require.NoError(t, err)
	write("rules/documents.json", indent(preset))
	rules, err := feedback.ParseRules(preset)
	require.NoError(t, err)

	// Document 002's battery fault, under repair: a snapshot, and the
	// same ticket's events.
	cst := time.FixedZone("CST", 8*3600)
	at := func(s string) time.Time {
		tm, err := time.ParseInLocation("2006-01-02 15:04", s, cst)
		require.NoError(t, err)
		return tm
	}
	tk, _, err := rules.Open(feedback.Opening{ID: "F20240301001", At: at("2024-03-01 10:30"), Actor: "agent-7",
		Customer: "C1001", Channel: "phone", Category: "product_fault"})
	require.NoError(t, err)
	for _, ch := range []feedback.Change{
		{Trigger: feedback.TriggerTriage, At: at("2024-03-01 10:40"), Payload: feedback.Payload{PriorityInput: &feedback.PriorityInput{Affected: 500, Urgency: 3, Severity: 2}}},
		{Trigger: feedback.TriggerAssign, At: at("2024-03-01 10:45")},
		{Trigger: feedback.TriggerRespond, At: at("2024-03-01 11:00"), Payload: feedback.Payload{Note: "已受理，工程师将远程检测电池"}},
		{Trigger: feedback.TriggerStart, At: at("2024-03-02 09:00")},
		{Trigger: feedback.TriggerProgress, At: at("2024-03-04 11:00"), Payload: feedback.Payload{Node: "under_repair"}},
	} {
		ch.Version, ch.Actor = tk.Version, "agent-7"
		_, err := rules.Fire(tk, ch)
		require.NoError(t, err, ch.Trigger)
	}
	snap, err := feedback.MarshalSnapshot(tk)
	require.NoError(t, err)
	write("tickets/F20240301001.json", indent(snap))
	events, err := json.Marshal(tk.History)
	require.NoError(t, err)
	write("tickets/F20240301001-events.json", indent(events))

	// What-if: the package's sample comparison as two rules documents
	// (the sample calendars, an SLA policy set each, the goodwill
	// compensation preset), and a generated history.
	cals, err := whatiftest.SampleJSON("calendars.json")
	require.NoError(t, err)
	goodwill, err := compensation.PresetJSON("complaint-goodwill")
	require.NoError(t, err)
	for _, side := range []struct{ name, version string }{{"current", "support-2024"}, {"proposed", "support-2024-proposal"}} {
		set, err := whatiftest.SampleJSON(side.name + ".json")
		require.NoError(t, err)
		doc := fmt.Sprintf(`{"version": %q, "calendars": %s, "default_calendar": "office", "sla": %s, "compensation": [%s]}`,
			side.version, cals, set, goodwill)
		write("whatif/"+side.name+".json", indent([]byte(doc)))
	}
	var hist []byte
	for i, tk := range whatiftest.Generate(1, time.Date(2024, 3, 4, 0, 0, 0, 0, cst), 300) {
		hist, err = whatif.AppendNDJSON(hist, &tk)
		require.NoError(t, err, i)
	}
	write("whatif/histories.ndjson", hist)
	lines := strings.SplitAfter(string(hist), "\n")
	write("whatif/broken.ndjson", []byte(lines[0]+lines[1]+`{"id": "T3", "timeline": [{"at": "yesterday"}]}`+"\n"+lines[3]))

	// KPI records: generated, as NDJSON and CSV.
	var nd, csvb bytes.Buffer
	csvb.WriteString("received,kind,category,channel,priority,team,customer_id,first_response,resolved,closed,sla.first_response,sla.resolution,reopen_count,first_contact_resolved,follow_up,survey_sent,csat,nps,ces,tags,compensation_minor,currency\n")
	for _, r := range metricstest.Generate(7, time.Date(2024, 3, 1, 0, 0, 0, 0, time.UTC), 300) {
		// Instants to the second, as the CSV writes them, so both files
		// hold the same records.
		rj := map[string]any{"received": r.Received.Format(time.RFC3339), "kind": r.Kind, "category": r.Category, "channel": r.Channel,
			"priority": r.Priority, "team": r.Team, "customer_id": r.CustomerID}
		for name, tm := range map[string]time.Time{"first_response": r.FirstResponse, "resolved": r.Resolved, "closed": r.Closed} {
			if !tm.IsZero() {
				rj[name] = tm.Format(time.RFC3339)
			}
		}
		sla := map[string]string{}
		for i, name := range []string{"first_response", "resolution"} {
			if r.SLA[i] != metrics.SLANone {
				sla[name] = r.SLA[i].String()
			}
		}
		if len(sla) > 0 {
			rj["sla"] = sla
		}
		follow := map[metrics.FollowUpStatus]string{metrics.FollowUpNone: "", metrics.FollowUpPending: "pending", metrics.FollowUpDone: "done"}[r.FollowUp]
		for k, v := range map[string]any{"reopen_count": r.ReopenCount, "first_contact_resolved": r.FirstContactResolved,
			"follow_up": follow, "survey_sent": r.SurveySent, "csat": r.CSAT, "ces": r.CES, "tags": r.Tags,
			"compensation_minor": r.CompensationMinor, "currency": r.Currency} {
			rj[k] = v
		}
		if r.NPSAnswered {
			rj["nps"] = r.NPS
		}
		line, err := json.Marshal(rj)
		require.NoError(t, err)
		nd.Write(append(line, '\n'))
		opt := func(tm time.Time) string {
			if tm.IsZero() {
				return ""
			}
			return tm.Format(time.RFC3339)
		}
		nps := ""
		if r.NPSAnswered {
			nps = fmt.Sprint(r.NPS)
		}
		fmt.Fprintf(&csvb, "%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%s,%d,%t,%s,%t,%d,%s,%d,%s,%d,%s\n",
			opt(r.Received), r.Kind, r.Category, r.Channel, r.Priority, r.Team, r.CustomerID,
			opt(r.FirstResponse), opt(r.Resolved), opt(r.Closed), sla["first_response"], sla["resolution"],
			r.ReopenCount, r.FirstContactResolved, follow, r.SurveySent, r.CSAT, nps, r.CES,
			strings.Join(r.Tags, ";"), r.CompensationMinor, r.Currency)
	}
	write("kpi/records.ndjson", nd.Bytes())
	write("kpi/records.csv", csvb.Bytes())
}
