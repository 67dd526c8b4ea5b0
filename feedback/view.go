package feedback

import (
	"errors"
	"fmt"
	"strings"
	"time"

	"github.com/closeloop/closeloop/intake"
	"github.com/closeloop/closeloop/internal/rulesjson"
	"github.com/closeloop/closeloop/internal/textcheck"
	"github.com/closeloop/closeloop/redact"
)

// ProgressNode is one customer-facing progress node.
type ProgressNode struct {
	ID    string `json:"id"`
	Label string `json:"label"` // what the customer reads
}

// PresetRepairNodes returns the customer-facing repair progress of source
// document 000 (an after-sales repair service): accepted → awaiting
// inspection → under repair → completed (已受理 → 待检测 → 维修中 → 已完成).
// It is the node list a [ProgressInput] without Nodes uses.
func PresetRepairNodes() []ProgressNode {
	return []ProgressNode{
		{ID: "accepted", Label: "已受理"},
		{ID: "awaiting_inspection", Label: "待检测"},
		{ID: "under_repair", Label: "维修中"},
		{ID: "completed", Label: "已完成"},
	}
}

// PresetLoopNodes returns the six-step feedback loop of source document
// 004 (an enterprise's feedback scheme) as progress nodes: receive →
// classify → dispatch → handle → review → archive
// (接收 → 分类 → 派单 → 处理 → 复核 → 归档).
func PresetLoopNodes() []ProgressNode {
	return []ProgressNode{
		{ID: "received", Label: "已接收"},
		{ID: "classified", Label: "已分类"},
		{ID: "dispatched", Label: "已派单"},
		{ID: "handling", Label: "处理中"},
		{ID: "review", Label: "待确认"},
		{ID: "archived", Label: "已归档"},
	}
}

// ProgressMark says that a ticket reached a node at an instant.
type ProgressMark struct {
	Node string    `json:"node"`
	At   time.Time `json:"at"`
}

// ProgressInput is what the customer's view is built from. The lead wires
// it to the ticket; any host can fill it from its own records.
type ProgressInput struct {
	FeedbackID string
	Nodes      []ProgressNode // the node list; nil means PresetRepairNodes
	Reached    []ProgressMark // in the order they happened
	Team       string         // the team now handling the ticket
	PromisedBy time.Time      // the promised time from the SLA report; zero if none
	Note       string         // a message for the customer; redacted
	// CustomerName and Contact are masked wherever they occur in Note, and
	// the name is shown masked.
	CustomerName string
	Contact      string
}

// ProgressStep is one node of the view.
type ProgressStep struct {
	Node    string    `json:"node"`
	Label   string    `json:"label"`
	Reached bool      `json:"reached"`
	At      time.Time `json:"at,omitzero"` // the last time the node was reached; zero if passed over
	Current bool      `json:"current,omitempty"`
}

// ProgressView is the redacted progress of one ticket for a customer portal
// or an SMS: nothing in it is internal or personal beyond what the customer
// gave, and that is masked.
type ProgressView struct {
	FeedbackID string         `json:"feedback_id"`
	Customer   string         `json:"customer,omitempty"` // masked name
	Steps      []ProgressStep `json:"steps"`
	Current    string         `json:"current,omitempty"` // node ID of the current step
	Team       string         `json:"team,omitempty"`
	PromisedBy time.Time      `json:"promised_by,omitzero"`
	Note       string         `json:"note,omitempty"`
}

// ErrProgress is wrapped by the errors of [NewProgressView].
var ErrProgress = errors.New("invalid progress")

// NewProgressView builds the customer's view. Rules: every mark names a
// node of the list and has an instant; instants do not go backwards. The
// current node is the last mark's; every node up to and including it counts
// as reached (a node passed over shows reached with no instant), nodes after
// it as not reached — so a ticket reopened from "completed" back to "under
// repair" no longer shows "completed". The note and the customer's name
// pass through r (nil: [redact.Default]). Errors are FieldProblems wrapping
// [ErrProgress].
func NewProgressView(in ProgressInput, r *redact.Redactor) (ProgressView, error) {
	if r == nil {
		r = redact.Default()
	}
	nodes := in.Nodes
	if nodes == nil {
		nodes = PresetRepairNodes()
	}
	pos := map[string]int{}
	for i, n := range nodes {
		if n.ID == "" || textcheck.Problem(n.ID, false) != "" || textcheck.Problem(n.Label, false) != "" {
			return ProgressView{}, viewErr(rulesjson.Index("nodes", i), "needs a single-line ID and label")
		}
		if _, dup := pos[n.ID]; dup {
			return ProgressView{}, viewErr(rulesjson.Index("nodes", i), fmt.Sprintf("duplicate node %q", n.ID))
		}
		pos[n.ID] = i
	}
	v := ProgressView{FeedbackID: in.FeedbackID, Team: in.Team, PromisedBy: in.PromisedBy}
	if textcheck.Problem(in.FeedbackID, false) != "" || textcheck.Problem(in.Team, false) != "" {
		return ProgressView{}, viewErr("feedback_id", "feedback ID and team must be single lines")
	}
	last := map[string]time.Time{}
	cur := -1
	var prev time.Time
	for i, m := range in.Reached {
		f := rulesjson.Index("reached", i)
		p, ok := pos[m.Node]
		if !ok {
			return ProgressView{}, viewErr(rulesjson.Field(f, "node"), fmt.Sprintf("unknown node %q", textcheck.Truncate(m.Node, 40)))
		}
		if m.At.IsZero() {
			return ProgressView{}, viewErr(rulesjson.Field(f, "at"), "missing instant")
		}
		if m.At.Before(prev) {
			return ProgressView{}, viewErr(rulesjson.Field(f, "at"), "before the previous mark")
		}
		prev = m.At
		last[m.Node] = m.At
		cur = p
	}
	for i, n := range nodes {
		s := ProgressStep{Node: n.ID, Label: n.Label, Reached: i <= cur, Current: i == cur}
		if s.Reached {
			s.At = last[n.ID]
		}
		v.Steps = append(v.Steps, s)
	}
	if cur >= 0 {
		v.Current = nodes[cur].ID
	}
	v.Note = r.Redact(in.Note, personalStrings(r, in.CustomerName, in.Contact)...)
	if strings.TrimSpace(in.CustomerName) != "" {
		v.Customer = r.Redact(in.CustomerName, in.CustomerName)
	}
	return v, nil
}

// personalStrings returns the strings to mask as names: the customer's name,
// and the contact unless the redactor finds it by itself (a phone number
// then keeps document 002's 138****5678 form), as redact's RedactIntake
// does.
func personalStrings(r *redact.Redactor, name, contact string) []string {
	out := []string{name}
	if contact != "" && r.Redact(contact) == contact {
		out = append(out, contact)
	}
	return out
}

func viewErr(field, msg string) error {
	return intake.FieldProblem{Field: field, Message: msg, Err: fmt.Errorf("%w: %s", ErrProgress, msg)}
}

// Text renders the view as one SMS-sized line in Chinese, times in loc
// (nil: each instant's own location), e.g.
// "反馈F20240301001：已受理 03-01 10:30 → 待检测 03-02 09:00 → 维修中(当前) 03-03 14:00；处理团队：技术支持部；承诺完成：2024-03-10 18:00".
func (v ProgressView) Text(loc *time.Location) string {
	in := func(t time.Time) time.Time {
		if loc != nil {
			return t.In(loc)
		}
		return t
	}
	var b strings.Builder
	b.WriteString("反馈" + v.FeedbackID + "：")
	first := true
	for _, s := range v.Steps {
		if !s.Reached {
			continue
		}
		if !first {
			b.WriteString(" → ")
		}
		first = false
		b.WriteString(s.Label)
		if s.Current {
			b.WriteString("(当前)")
		}
		if !s.At.IsZero() {
			b.WriteString(" " + in(s.At).Format("01-02 15:04"))
		}
	}
	if first {
		b.WriteString("尚未受理")
	}
	if v.Team != "" {
		b.WriteString("；处理团队：" + v.Team)
	}
	if !v.PromisedBy.IsZero() {
		b.WriteString("；承诺完成：" + in(v.PromisedBy).Format("2006-01-02 15:04"))
	}
	if v.Note != "" {
		b.WriteString("；" + v.Note)
	}
	return b.String()
}
