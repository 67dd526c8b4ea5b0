package l10n

import (
	"strings"
	"time"

	"github.com/closeloop/closeloop/feedback"
)

// ProgressView renders the customer's view as one SMS-sized line, times in
// loc (nil: each instant's own location). In Chinese it is the line
// [feedback.ProgressView.Text] writes:
//
//	反馈F20240301001：已受理 03-01 10:30 → 待检测 03-02 09:00 → 维修中(当前) 03-03 14:00；处理团队：技术支持部；承诺完成：2024-03-10 18:00
//
// and in English:
//
//	Feedback F20240301001: accepted 03-01 10:30 → awaiting inspection 03-02 09:00 → under repair (current) 03-03 14:00; team: 技术支持部; promised by 2024-03-10 18:00
//
// The preset nodes' labels (documents 000 and 004) are translated; a
// host's own labels, the team and the note are shown as given.
func (p *Printer) ProgressView(v feedback.ProgressView, loc *time.Location) string {
	var b strings.Builder
	b.WriteString(p.t("view.head", v.FeedbackID))
	first := true
	for _, s := range v.Steps {
		if !s.Reached {
			continue
		}
		if !first {
			b.WriteString(" → ")
		}
		first = false
		label := p.Term(s.Label)
		if s.Current {
			label = p.t("view.current", label)
		}
		b.WriteString(label)
		if !s.At.IsZero() {
			b.WriteString(" " + when(s.At, loc, short))
		}
	}
	if first {
		b.WriteString(p.t("view.not_accepted"))
	}
	if v.Team != "" {
		b.WriteString(p.t("view.team", v.Team))
	}
	if !v.PromisedBy.IsZero() {
		b.WriteString(p.t("view.promised", when(v.PromisedBy, loc, long)))
	}
	if v.Note != "" {
		b.WriteString(p.t("view.note", v.Note))
	}
	return b.String()
}

// Node names a progress node by its ID: the preset nodes of documents 000
// and 004 ("under_repair": "under repair", "维修中"); any other ID is
// shown as given.
func (p *Printer) Node(id string) string {
	if label, ok := presetNodes[id]; ok {
		return p.Term(label)
	}
	return id
}

// presetNodes maps the preset node IDs to their labels (Chinese, as the
// presets write them), built once at init.
var presetNodes = func() map[string]string {
	m := map[string]string{}
	for _, nodes := range [][]feedback.ProgressNode{feedback.PresetRepairNodes(), feedback.PresetLoopNodes()} {
		for _, n := range nodes {
			m[n.ID] = n.Label
		}
	}
	return m
}()
