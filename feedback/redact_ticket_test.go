package feedback

import (
	"reflect"
	"regexp"
	"sort"
	"strings"
	"testing"
	"time"
	"unicode"

	"github.com/closeloop/closeloop/internal/rulesjson"
	"github.com/closeloop/closeloop/redact"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/unicode/norm"
)

// personalTicket walks a ticket round the loop with personal data in every
// free text.
func personalTicket(t *testing.T) (*Rules, *Ticket) {
	t.Helper()
	r, err := CompileRules(RulesDocument{Version: "test-1"})
	require.NoError(t, err)
	at := time.Date(2024, 3, 1, 9, 0, 0, 0, time.UTC)
	tk, _, err := r.Open(Opening{ID: "F20240301001", At: at, Actor: "客服张三", Customer: "13812345678", Channel: "phone",
		Attributes: map[string]string{"备用电话": "139 1234 5678", "tier": "vip"}})
	require.NoError(t, err)
	steps := []struct {
		trig  Trigger
		actor string
		p     Payload
	}{
		{TriggerTriage, "客服张三", Payload{Priority: "P1", Deadline: at.Add(72 * time.Hour)}},
		{TriggerAssign, "dispatcher", Payload{Team: "tech-support", Owner: "li.wei@example.com"}},
		{TriggerStart, "li.wei@example.com", Payload{}},
		{TriggerWaitCustomer, "li.wei@example.com", Payload{Reason: "请把照片发到 zhang.san＠example.com"}},
		{TriggerResume, "li.wei@example.com", Payload{}},
		{TriggerRequestDelay, "li.wei@example.com", Payload{Delay: &TicketDelay{Reason: "客户改约，电话138－1234－5678",
			Plan: "上门到北京市朝阳区建国路88号院3号楼1201", NewDeadline: at.Add(120 * time.Hour)}}},
		{TriggerApproveDelay, "主管王五", Payload{}},
		{TriggerNote, "li.wei@example.com", Payload{Note: "张三丰说身份证110105194912310021"}},
		{TriggerResolve, "li.wei@example.com", Payload{Note: "已在世纪大道100号8栋2单元501更换压缩机"}},
		{TriggerFollowUp, "回访专员", Payload{}},
		{TriggerRecordFollowUp, "回访专员", Payload{FollowUp: &FollowUp{Resolved: true, Score: 5, Comment: "满意，卡号6222 0212 3456 7894退款收到"}}},
		{TriggerClose, "回访专员", Payload{}},
	}
	for _, s := range steps {
		at = at.Add(time.Hour)
		_, err := r.Fire(tk, Change{Trigger: s.trig, Version: tk.Version, At: at, Actor: s.actor, Payload: s.p})
		require.NoError(t, err, "%s in %s", s.trig, tk.State)
	}
	return r, tk
}

func TestRedactTicket(t *testing.T) {
	rules, tk := personalTicket(t)
	before, err := MarshalSnapshot(tk)
	require.NoError(t, err)

	red := redact.Default()
	got := RedactTicket(red, tk, "张三丰")
	after, err := MarshalSnapshot(tk)
	require.NoError(t, err)
	assert.JSONEq(t, string(before), string(after), "the ticket is not changed")

	out, err := MarshalSnapshot(got)
	require.NoError(t, err)
	for _, secret := range []string{"13812345678", "13912345678", id18, card} {
		assert.False(t, leaksDigits(string(out), secret), "%s in %s", secret, out)
	}
	for _, text := range []string{"hang.san", "i.wei", "1201", "501", "三丰"} {
		assert.False(t, leaksText(string(out), text), "%s in %s", text, out)
	}
	assert.Equal(t, tk.ID, got.ID)
	assert.Equal(t, tk.State, got.State)
	assert.Equal(t, tk.Version, got.Version)
	assert.Equal(t, tk.Priority, got.Priority)
	assert.Equal(t, tk.Team, got.Team)
	assert.Equal(t, "vip", got.Attributes["tier"])
	assert.Equal(t, "138****5678", got.Customer)
	assert.Equal(t, "139 **** 5678", got.Attributes["备用电话"])
	assert.Equal(t, "l*****@example.com", got.Owner)

	// Every event is redacted as its effect on the ticket: the redacted
	// history replays to the redacted ticket.
	replayed, err := rules.Replay(got.History)
	require.NoError(t, err)
	again, err := MarshalSnapshot(replayed)
	require.NoError(t, err)
	assert.JSONEq(t, string(out), string(again))

	snap, err := RedactSnapshot(red, before, "张三丰")
	require.NoError(t, err)
	assert.JSONEq(t, string(out), string(snap))
	_, err = RedactSnapshot(red, []byte(`{"id":`))
	assert.ErrorIs(t, err, rulesjson.ErrSyntax)

	assert.Nil(t, RedactTicket(red, nil))
	assert.Equal(t, got, RedactTicket(nil, tk, "张三丰"), "nil is the default redactor")
}

// leafIndex matches indices and map keys in a path, so that every element
// of a list is one field.
var leafIndex = regexp.MustCompile(`\[[^\]]*\]`)

// eachString calls f with the path and value of every string, string list
// element ("[i]") and string map value ("{}") reachable from v.
func eachString(v reflect.Value, path string, f func(path string, v reflect.Value)) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			eachString(v.Elem(), path, f)
		}
	case reflect.Struct:
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				eachString(v.Field(i), path+"."+v.Type().Field(i).Name, f)
			}
		}
	case reflect.Slice:
		for i := 0; i < v.Len(); i++ {
			eachString(v.Index(i), path+"[]", f)
		}
	case reflect.Map:
		for _, k := range v.MapKeys() {
			f(path+"{}", v.MapIndex(k))
		}
	case reflect.String:
		f(path, v)
	}
}

// fill sets every string reachable from v to s, giving every list one
// element, every map one entry and every pointer a value.
func fill(v reflect.Value, s string) {
	switch v.Kind() {
	case reflect.Pointer:
		if v.Type().Elem().Kind() != reflect.Struct {
			return
		}
		v.Set(reflect.New(v.Type().Elem()))
		fill(v.Elem(), s)
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[time.Time]() {
			return
		}
		for i := 0; i < v.NumField(); i++ {
			if v.Type().Field(i).IsExported() {
				fill(v.Field(i), s)
			}
		}
	case reflect.Slice:
		v.Set(reflect.MakeSlice(v.Type(), 1, 1))
		fill(v.Index(0), s)
	case reflect.Map:
		if v.Type().Key().Kind() == reflect.String && v.Type().Elem().Kind() == reflect.String {
			v.Set(reflect.ValueOf(map[string]string{"key": s}).Convert(v.Type()))
		}
	case reflect.String:
		v.SetString(s)
	}
}

// Every text field of a ticket is either redacted or kept on purpose; a new
// field fails this test until it is placed in one list or the other.
func TestRedactTicketFieldInventory(t *testing.T) {
	redacted := []string{
		"Customer", "Owner", "Resolution", "Attributes{}",
		"PendingDelay.Reason", "PendingDelay.Plan", "PendingDelay.RequestedBy", "PendingDelay.DecidedBy",
		"Delays[].Reason", "Delays[].Plan", "Delays[].RequestedBy", "Delays[].DecidedBy",
		"FollowUp.Comment", "Rejection.Reason", "Tasks[].RequestedBy", "Tasks[].DoneBy",
		"History[].Actor", "History[].Payload.Note", "History[].Payload.Reason", "History[].Payload.Owner",
		"History[].Payload.FollowUp.Comment",
		"History[].Payload.Delay.Reason", "History[].Payload.Delay.Plan", "History[].Payload.Delay.RequestedBy", "History[].Payload.Delay.DecidedBy",
		"History[].Payload.Opening.Actor", "History[].Payload.Opening.Customer", "History[].Payload.Opening.Attributes{}",
	}
	kept := []string{
		// identifiers, states and rule names
		"ID", "State", "Node", "RulesVersion", "Channel", "Category", "Calendar", "Priority", "Team", "MergedInto",
		"Rejection.Kind", "Tasks[].Name", "Tasks[].Team",
		// what the library wrote
		"PriorityReasons[]",
		// the compensation the customer chose: options and amounts
		"Compensation.Policy", "Compensation.Option", "Compensation.Kind", "Compensation.Amount", "Compensation.Currency",
		"Compensation.Quantity", "Compensation.Status", "Compensation.Alternatives[]", "Compensation.Explanation[]",
		"History[].Trigger", "History[].From", "History[].To",
		"History[].Payload.Category", "History[].Payload.Priority", "History[].Payload.PriorityReasons[]",
		"History[].Payload.PriorityInput.Flags[]", "History[].Payload.Team", "History[].Payload.RoutedBy",
		"History[].Payload.Node", "History[].Payload.MergeInto", "History[].Payload.Rejection",
		"History[].Payload.Compensation.Policy", "History[].Payload.Compensation.Option", "History[].Payload.Compensation.Kind",
		"History[].Payload.Compensation.Amount", "History[].Payload.Compensation.Currency", "History[].Payload.Compensation.Quantity",
		"History[].Payload.Compensation.Status", "History[].Payload.Compensation.Alternatives[]", "History[].Payload.Compensation.Explanation[]",
		"History[].Payload.Opening.ID", "History[].Payload.Opening.Channel", "History[].Payload.Opening.Category",
		"History[].Payload.Opening.Calendar", "History[].Payload.Opening.RulesVersion",
		"History[].Payload.Task.Name", "History[].Payload.Task.Team",
		"SLAPolicy.Policy", "SLAPolicy.Fingerprint", "SLAPolicy.Calendar", "SLAPolicy.Entitlement",
		"History[].Payload.SLAPolicy.Policy", "History[].Payload.SLAPolicy.Fingerprint",
		"History[].Payload.SLAPolicy.Calendar", "History[].Payload.SLAPolicy.Entitlement",
	}
	const secret = "13812345678"
	var tk Ticket
	fill(reflect.ValueOf(&tk).Elem(), secret)
	got := RedactTicket(redact.Default(), &tk)

	values := map[string]string{}
	eachString(reflect.ValueOf(got).Elem(), "", func(path string, v reflect.Value) {
		values[leafIndex.ReplaceAllString(path[1:], "[]")] = v.String()
	})
	var unknown []string
	eachString(reflect.ValueOf(&tk).Elem(), "", func(path string, v reflect.Value) {
		p := leafIndex.ReplaceAllString(path[1:], "[]")
		switch {
		case contains(redacted, p):
			assert.NotEqual(t, secret, values[p], "%s is redacted", p)
		case contains(kept, p):
			assert.Equal(t, secret, values[p], "%s is kept", p)
		default:
			unknown = append(unknown, p)
		}
	})
	sort.Strings(unknown)
	assert.Empty(t, unknown, "fields RedactTicket neither redacts nor keeps on purpose: add them to redacted or kept")
	assert.Equal(t, secret, tk.Customer, "the input is not changed")
}

// The secrets of personalTicket that must not survive.
const (
	id18 = "110105194912310021"
	card = "6222021234567894" // passes the Luhn check
)

// leaksDigits reports whether out shows 8 consecutive digits of secret
// (digits of any width, everything else dropped): the masks keep at most 4
// at each end (138****5678), so any 8 in a row mean the number was not
// masked. (Package redact's own tests read digits as its redactor does,
// Chinese numerals included; the ticket's texts need no more than this.)
func leaksDigits(out, secret string) bool {
	var b strings.Builder
	for _, c := range norm.NFKC.String(out) {
		if c >= '0' && c <= '9' {
			b.WriteRune(c)
		}
	}
	s := b.String()
	for i := 0; i+8 <= len(secret); i++ {
		if strings.Contains(s, secret[i:i+8]) {
			return true
		}
	}
	return false
}

// leaksText reports whether out shows text however it is spaced, cased or
// written in full-width forms.
func leaksText(out, text string) bool {
	flat := func(s string) string {
		return strings.Map(func(c rune) rune {
			if unicode.IsSpace(c) || strings.ContainsRune("-.,'", c) {
				return -1
			}
			return unicode.ToLower(c)
		}, norm.NFKC.String(s))
	}
	return strings.Contains(flat(out), flat(text))
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}
