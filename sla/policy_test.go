package sla

import (
	"errors"
	"strings"
	"testing"
	"time"

	"github.com/closeloop/closeloop/internal/rulesjson"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// doc wraps one metric JSON object into a policy set document.
func doc(metric string) string {
	return `{"default_calendar":"office","policies":[{"name":"p","metrics":[` + metric + `]}]}`
}

func TestParsePolicySetErrors(t *testing.T) {
	okTarget := `"targets":{"P1":{"unit":"elapsed","duration":"4h"}}`
	tests := []struct {
		name     string
		doc      string
		path     string
		sentinel error
	}{
		{"unknown top-level field", `{"policies":[],"colour":1}`, "$.colour", rulesjson.ErrUnknownField},
		{"unknown metric field", doc(`{"kind":"resolution",` + okTarget + `,"deadline":"4h"}`), "$.policies[0].metrics[0].deadline", rulesjson.ErrUnknownField},
		{"trailing data", doc(`{"kind":"resolution",`+okTarget+`}`) + `{}`, "$", rulesjson.ErrTrailingData},
		{"wrong type", `{"policies":[{"name":"p","version":"2","metrics":[]}]}`, "$.policies[0].version", rulesjson.ErrType},
		{"no policies", `{"policies":[]}`, "$.policies", ErrInvalidPolicy},
		{"zero duration", doc(`{"kind":"resolution","targets":{"P1":{"unit":"elapsed","duration":"0s"}}}`), "$.policies[0].metrics[0].targets.P1.duration", ErrPolicyDuration},
		{"negative duration", doc(`{"kind":"resolution","targets":{"P1":{"unit":"business","duration":"-4h"}}}`), "$.policies[0].metrics[0].targets.P1.duration", ErrPolicyDuration},
		{"unparsable duration", doc(`{"kind":"resolution","targets":{"P1":{"unit":"elapsed","duration":"four hours"}}}`), "$.policies[0].metrics[0].targets.P1.duration", ErrPolicyDuration},
		{"zero working days", doc(`{"kind":"resolution","targets":{"P1":{"unit":"working_days","days":0}}}`), "$.policies[0].metrics[0].targets.P1.days", ErrPolicyDuration},
		{"unknown unit", doc(`{"kind":"resolution","targets":{"P1":{"unit":"fortnights","duration":"4h"}}}`), "$.policies[0].metrics[0].targets.P1.unit", ErrUnknownUnit},
		{"unknown metric kind", doc(`{"kind":"time_to_smile",` + okTarget + `}`), "$.policies[0].metrics[0].kind", ErrUnknownMetric},
		{"unknown state in pause_in", doc(`{"kind":"resolution",` + okTarget + `,"pause_in":["waiting_customer","on_holiday"]}`), "$.policies[0].metrics[0].pause_in[1]", ErrUnknownState},
		{"unknown state in trigger", doc(`{"kind":"custom",` + okTarget + `,"start":{"open":true},"stop":{"enter":["done"]}}`), "$.policies[0].metrics[0].stop.enter[0]", ErrUnknownState},
		{"unknown stage state", doc(`{"kind":"time_in_stage",` + okTarget + `,"stage":["inspection"]}`), "$.policies[0].metrics[0].stage[0]", ErrUnknownState},
		{"unknown calendar", doc(`{"kind":"resolution","targets":{"P1":{"unit":"business","duration":"4h","calendar":"mars"}}}`), "$.policies[0].metrics[0].targets.P1.calendar", ErrUnknownCalendar},
		{"unknown default calendar", `{"default_calendar":"mars","policies":[{"name":"p","metrics":[{"kind":"resolution",` + okTarget + `}]}]}`, "$.default_calendar", ErrUnknownCalendar},
		{"business target without calendar", `{"policies":[{"name":"p","metrics":[{"kind":"resolution","targets":{"P1":{"unit":"business","duration":"4h"}}}]}]}`, "$.policies[0].metrics[0].targets.P1.calendar", ErrUnknownCalendar},
		{"bad priority key", doc(`{"kind":"resolution","targets":{"P10":{"unit":"elapsed","duration":"4h"}}}`), "$.policies[0].metrics[0].targets.P10", ErrInvalidPolicy},
		{"no targets", doc(`{"kind":"resolution"}`), "$.policies[0].metrics[0].targets", ErrInvalidPolicy},
		{"warning at 100 percent", doc(`{"kind":"resolution",` + okTarget + `,"warnings":[{"name":"w","percent":100}]}`), "$.policies[0].metrics[0].warnings[0].percent", ErrAlertOutOfTarget},
		{"warning after its deadline", doc(`{"kind":"resolution",` + okTarget + `,"warnings":[{"name":"w","after":{"unit":"elapsed","duration":"5h"}}]}`), "$.policies[0].metrics[0].warnings[0].after", ErrAlertOutOfTarget},
		{"warning lead longer than target", doc(`{"kind":"resolution",` + okTarget + `,"warnings":[{"name":"w","before":{"unit":"elapsed","duration":"4h"}}]}`), "$.policies[0].metrics[0].warnings[0].before", ErrAlertOutOfTarget},
		{"warning with two modes", doc(`{"kind":"resolution",` + okTarget + `,"warnings":[{"name":"w","percent":50,"before":{"unit":"elapsed","duration":"1h"}}]}`), "$.policies[0].metrics[0].warnings[0]", ErrInvalidPolicy},
		{"warning zero lead", doc(`{"kind":"resolution",` + okTarget + `,"warnings":[{"name":"w","before":{"unit":"elapsed","duration":"0s"}}]}`), "$.policies[0].metrics[0].warnings[0].before.duration", ErrPolicyDuration},
		{"duplicate alert name", doc(`{"kind":"resolution",` + okTarget + `,"warnings":[{"name":"w","percent":50}],"escalations":[{"name":"w","percent":100}]}`), "$.policies[0].metrics[0].escalations[0].name", ErrInvalidPolicy},
		{"duplicate policy names", `{"policies":[{"name":"p","metrics":[{"kind":"resolution",` + okTarget + `}]},{"name":"p","metrics":[{"kind":"resolution",` + okTarget + `}]}]}`, "$.policies[1].name", ErrDuplicatePolicy},
		{"versions out of order", `{"policies":[{"name":"p","version":2,"effective_from":"2024-01-01T00:00:00Z","metrics":[{"kind":"resolution",` + okTarget + `}]},{"name":"p","version":1,"effective_from":"2024-06-01T00:00:00Z","metrics":[{"kind":"resolution",` + okTarget + `}]}]}`, "$.policies[0].effective_from", ErrDuplicatePolicy},
		{"bad effective_from", `{"policies":[{"name":"p","effective_from":"yesterday","metrics":[{"kind":"resolution",` + okTarget + `}]}]}`, "$.policies[0].effective_from", ErrInvalidPolicy},
		{"duplicate metric name", doc(`{"kind":"resolution",` + okTarget + `},{"kind":"resolution",` + okTarget + `}`), "$.policies[0].metrics[1].name", ErrInvalidPolicy},
		{"custom without stop", doc(`{"kind":"custom",` + okTarget + `,"start":{"open":true}}`), "$.policies[0].metrics[0].stop", ErrInvalidPolicy},
		{"empty trigger", doc(`{"kind":"custom",` + okTarget + `,"start":{},"stop":{"open":true}}`), "$.policies[0].metrics[0].start", ErrInvalidPolicy},
		{"pause without resume", doc(`{"kind":"resolution",` + okTarget + `,"pause":{"event":["hold"]}}`), "$.policies[0].metrics[0].resume", ErrInvalidPolicy},
		{"bad recalculation", doc(`{"kind":"resolution",` + okTarget + `,"on_reopen":"forget"}`), "$.policies[0].metrics[0].on_reopen", ErrInvalidPolicy},
		{"unknown condition field", `{"policies":[{"name":"p","when":{"all":[{"field":"colour","op":"eq","value":"red"}]},"metrics":[{"kind":"resolution",` + okTarget + `}]}]}`, "$.policies[0].when.all[0].field", ErrInvalidPolicy},
		{"unknown operator", `{"policies":[{"name":"p","when":{"any":[{"field":"kind","op":"like","value":"c"}]},"metrics":[{"kind":"resolution",` + okTarget + `}]}]}`, "$.policies[0].when.any[0].op", ErrInvalidPolicy},
		{"in without values", `{"policies":[{"name":"p","when":{"all":[{"field":"kind","op":"in","value":"c"}]},"metrics":[{"kind":"resolution",` + okTarget + `}]}]}`, "$.policies[0].when.all[0].values", ErrInvalidPolicy},
		{"at_least on channel", `{"policies":[{"name":"p","when":{"all":[{"field":"channel","op":"at_least","value":"P1"}]},"metrics":[{"kind":"resolution",` + okTarget + `}]}]}`, "$.policies[0].when.all[0].op", ErrInvalidPolicy},
		{"escalation levels out of order", doc(`{"kind":"resolution",` + okTarget + `,"escalations":[{"name":"head","percent":150},{"name":"lead","percent":100}]}`), "$.policies[0].metrics[0].escalations[1]", ErrInvalidPolicy},
		{"met_by on resolution", doc(`{"kind":"resolution",` + okTarget + `,"met_by":{"event":["x"]}}`), "$.policies[0].metrics[0].met_by", ErrInvalidPolicy},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			s, err := ParsePolicySet([]byte(tc.doc), testEnv(t))
			require.Error(t, err)
			assert.Nil(t, s)
			var pe *PathError
			require.True(t, errors.As(err, &pe), "%T %v", err, err)
			assert.Equal(t, tc.path, pe.Path, "%v", err)
			assert.True(t, errors.Is(err, tc.sentinel), "%v does not wrap %v", err, tc.sentinel)
		})
	}
}

func TestCompileDefaultTriggersNeedStates(t *testing.T) {
	// A host whose lifecycle has no "resolved" state must say when resolution stops.
	env := PolicyEnv{States: []string{"new", "done"}}
	_, err := ParsePolicySet([]byte(`{"policies":[{"name":"p","metrics":[{"kind":"resolution","targets":{"*":{"unit":"elapsed","duration":"1h"}}}]}]}`), env)
	require.ErrorIs(t, err, ErrUnknownState)
	s, err := ParsePolicySet([]byte(`{"policies":[{"name":"p","metrics":[{"kind":"resolution","stop":{"enter":["done"]},"targets":{"*":{"unit":"elapsed","duration":"1h"}}}]}]}`), env)
	require.NoError(t, err)
	assert.Equal(t, []string{"new", "done"}, s.States())

	_, err = NewPolicySet(PolicySetSpec{Policies: []PolicySpec{{Name: "p", Metrics: []MetricSpec{{Kind: "resolution"}}}}}, PolicyEnv{States: []string{"a", "a"}})
	require.ErrorIs(t, err, ErrInvalidPolicy)
}

func TestConditions(t *testing.T) {
	a := Attributes{Kind: "complaint", Category: "logistics_delay", Priority: "P1", Channel: "wechat", Tier: "vip",
		Tags: []string{"packaging", "repeat"}, Attrs: map[string]string{"region": "north"}}
	tests := []struct {
		cond string
		want bool
	}{
		{`{"field":"kind","op":"eq","value":"complaint"}`, true},
		{`{"field":"kind","op":"ne","value":"complaint"}`, false},
		{`{"field":"category","op":"contains","value":"delay"}`, true},
		{`{"field":"priority","op":"in","values":["P0","P1"]}`, true},
		{`{"field":"priority","op":"not_in","values":["P0","P1"]}`, false},
		{`{"field":"priority","op":"at_least","value":"P1"}`, true},
		{`{"field":"priority","op":"at_least","value":"P0"}`, false},
		{`{"field":"priority","op":"at_most","value":"P2"}`, false},
		{`{"field":"priority","op":"at_most","value":"P1"}`, true},
		{`{"field":"channel","op":"eq","value":"email"}`, false},
		{`{"field":"tier","op":"exists"}`, true},
		{`{"field":"tier","op":"not_exists"}`, false},
		{`{"field":"tags","op":"has_tag","value":"packaging"}`, true},
		{`{"field":"tags","op":"contains","value":"ui"}`, false},
		{`{"field":"tags","op":"in","values":["ui","repeat"]}`, true},
		{`{"field":"tags","op":"not_in","values":["ui","repeat"]}`, false},
		{`{"field":"tags","op":"exists"}`, true},
		{`{"field":"attr.region","op":"eq","value":"north"}`, true},
		{`{"field":"attr.region","op":"in","values":["south"]}`, false},
		{`{"field":"attr.store","op":"exists"}`, false},
		{`{"field":"attr.store","op":"not_exists"}`, true},
		{`{"field":"attr.store","op":"ne","value":"x"}`, true},
	}
	for _, tc := range tests {
		t.Run(tc.cond, func(t *testing.T) {
			s := compileT(t, `{"policies":[{"name":"p","when":{"all":[`+tc.cond+`]},"metrics":[{"kind":"resolution","targets":{"*":{"unit":"elapsed","duration":"1h"}}}]}]}`)
			r, err := s.Evaluate(a, nil, mar(4, 10, 0), Options{})
			require.NoError(t, err)
			assert.Equal(t, tc.want, r.Policy == "p")
			if tc.want {
				require.Len(t, r.Why, 1)
				assert.True(t, strings.HasPrefix(r.Why[0], strings.SplitN(strings.Split(tc.cond, `"field":"`)[1], `"`, 2)[0]), r.Why[0])
			}
		})
	}
}

const orderedDoc = `{
  "policies": [
    {"name": "vip-complaint", "when": {"all": [{"field": "kind", "op": "eq", "value": "complaint"}],
       "any": [{"field": "tier", "op": "eq", "value": "vip"}, {"field": "tags", "op": "has_tag", "value": "press"}]},
     "metrics": [{"kind": "first_response", "targets": {"*": {"unit": "elapsed", "duration": "1h"}}}]},
    {"name": "complaint", "when": {"all": [{"field": "kind", "op": "eq", "value": "complaint"}]},
     "metrics": [{"kind": "first_response", "targets": {"*": {"unit": "elapsed", "duration": "4h"}}}]},
    {"name": "default", "version": 1,
     "metrics": [{"kind": "first_response", "targets": {"*": {"unit": "elapsed", "duration": "24h"}}}]},
    {"name": "default", "version": 2, "effective_from": "2024-03-10T00:00:00+08:00",
     "metrics": [{"kind": "first_response", "targets": {"*": {"unit": "elapsed", "duration": "12h"}}}]}
  ]
}`

func TestPolicyMatchingFirstWinsAndVersions(t *testing.T) {
	s := compileT(t, orderedDoc)
	open := []Entry{st(mar(4, 9, 0), "received")}
	tests := []struct {
		name    string
		attrs   Attributes
		tl      []Entry
		opt     Options
		policy  string
		version int
		why     []string
		target  time.Duration
	}{
		{"vip complaint", Attributes{Kind: "complaint", Tier: "vip"}, open, Options{}, "vip-complaint", 1,
			[]string{`kind eq "complaint"`, `tier eq "vip"`}, time.Hour},
		{"press complaint", Attributes{Kind: "complaint", Tags: []string{"press"}}, open, Options{}, "vip-complaint", 1,
			[]string{`kind eq "complaint"`, `tags has_tag "press"`}, time.Hour},
		{"plain complaint", Attributes{Kind: "complaint"}, open, Options{}, "complaint", 1, []string{`kind eq "complaint"`}, 4 * time.Hour},
		{"inquiry opened before v2", Attributes{Kind: "inquiry"}, open, Options{}, "default", 1, nil, 24 * time.Hour},
		{"inquiry opened after v2", Attributes{Kind: "inquiry"}, []Entry{st(mar(11, 9, 0), "received")}, Options{}, "default", 2, nil, 12 * time.Hour},
		{"pinned to now follows v2", Attributes{Kind: "inquiry"}, open, Options{PinAt: mar(12, 0, 0)}, "default", 2, nil, 12 * time.Hour},
		{"explicit version", Attributes{Kind: "inquiry"}, []Entry{st(mar(11, 9, 0), "received")}, Options{Policy: "default", Version: 1}, "default", 1, nil, 24 * time.Hour},
		{"explicit policy skips conditions", Attributes{Kind: "inquiry"}, open, Options{Policy: "complaint"}, "complaint", 1, nil, 4 * time.Hour},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			r, err := s.Evaluate(tc.attrs, tc.tl, mar(12, 9, 0), tc.opt)
			require.NoError(t, err)
			assert.Equal(t, tc.policy, r.Policy)
			assert.Equal(t, tc.version, r.Version)
			if tc.why == nil {
				assert.Empty(t, r.Why)
			} else {
				assert.Equal(t, tc.why, r.Why)
			}
			require.Len(t, r.Metrics, 1)
			assert.Equal(t, tc.target, r.Metrics[0].Target.Duration)
		})
	}
	_, err := s.Evaluate(Attributes{}, open, mar(12, 9, 0), Options{Policy: "nope"})
	require.ErrorIs(t, err, ErrNoPolicy)

	infos := s.Policies()
	require.Len(t, infos, 4)
	assert.Equal(t, "default", infos[3].Name)
	assert.Equal(t, 2, infos[3].Version)
	assert.True(t, infos[3].EffectiveFrom.Equal(mar(10, 0, 0)))
	assert.Equal(t, []string{"first_response"}, infos[3].Metrics)
}

func TestNoPolicyMatches(t *testing.T) {
	s := compileT(t, `{"policies":[{"name":"p","when":{"all":[{"field":"kind","op":"eq","value":"complaint"}]},"metrics":[{"kind":"resolution","targets":{"*":{"unit":"elapsed","duration":"1h"}}}]}]}`)
	r, err := s.Evaluate(Attributes{Kind: "inquiry"}, []Entry{st(mar(4, 9, 0), "received")}, mar(4, 10, 0), Options{})
	require.NoError(t, err)
	assert.Equal(t, "", r.Policy)
	assert.Empty(t, r.Metrics)
	assert.True(t, r.NextChange.IsZero())
}
