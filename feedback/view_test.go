package feedback

import (
	"errors"
	"testing"
	"time"

	"github.com/closeloop/closeloop/intake"
	"github.com/closeloop/closeloop/redact"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

var shanghai = func() *time.Location {
	loc, err := time.LoadLocation("Asia/Shanghai")
	if err != nil {
		panic(err)
	}
	return loc
}()

func TestProgressView(t *testing.T) {
	at := func(d, h int) time.Time { return time.Date(2024, 3, d, h, 0, 0, 0, shanghai) }
	in := ProgressInput{
		FeedbackID: "F20240301001",
		Reached: []ProgressMark{
			{Node: "accepted", At: at(1, 10)},
			{Node: "awaiting_inspection", At: at(2, 9)},
			{Node: "under_repair", At: at(3, 14)},
		},
		Team:         "技术支持部",
		PromisedBy:   at(10, 18),
		Note:         "张三先生您好，工程师将致电13856785678确认上门时间",
		CustomerName: "张三",
		Contact:      "13856785678",
	}
	v, err := NewProgressView(in, nil)
	require.NoError(t, err)
	assert.Equal(t, "under_repair", v.Current)
	assert.Equal(t, "张*", v.Customer)
	assert.Equal(t, "张*先生您好，工程师将致电138****5678确认上门时间", v.Note, "the contact phone keeps document 002's form")
	require.Len(t, v.Steps, 4)
	assert.Equal(t, []bool{true, true, true, false}, []bool{v.Steps[0].Reached, v.Steps[1].Reached, v.Steps[2].Reached, v.Steps[3].Reached})
	assert.True(t, v.Steps[2].Current)
	assert.Equal(t, at(2, 9), v.Steps[1].At)
	assert.Equal(t, "反馈F20240301001：已受理 03-01 10:00 → 待检测 03-02 09:00 → 维修中(当前) 03-03 14:00；处理团队：技术支持部；承诺完成：2024-03-10 18:00；张*先生您好，工程师将致电138****5678确认上门时间",
		v.Text(shanghai))

	// Reopened: completed, then back under repair. "Completed" no longer shows.
	in.Reached = append(in.Reached, ProgressMark{Node: "completed", At: at(5, 9)}, ProgressMark{Node: "under_repair", At: at(6, 9)})
	v, err = NewProgressView(in, nil)
	require.NoError(t, err)
	assert.Equal(t, "under_repair", v.Current)
	assert.False(t, v.Steps[3].Reached)
	assert.Equal(t, at(6, 9), v.Steps[2].At)

	// Passed-over nodes count as reached, without an instant.
	v, err = NewProgressView(ProgressInput{FeedbackID: "F2", Nodes: PresetLoopNodes(),
		Reached: []ProgressMark{{Node: "received", At: at(1, 8)}, {Node: "handling", At: at(1, 9)}}}, redact.Default())
	require.NoError(t, err)
	assert.True(t, v.Steps[1].Reached)
	assert.True(t, v.Steps[1].At.IsZero())
	assert.Equal(t, "反馈F2：已接收 03-01 08:00 → 已分类 → 已派单 → 处理中(当前) 03-01 09:00", v.Text(nil))

	v, err = NewProgressView(ProgressInput{FeedbackID: "F3"}, nil)
	require.NoError(t, err)
	assert.Equal(t, "", v.Current)
	assert.Equal(t, "反馈F3：尚未受理", v.Text(nil))
}

func TestProgressViewErrors(t *testing.T) {
	at := time.Date(2024, 3, 1, 10, 0, 0, 0, shanghai)
	tests := []struct {
		name  string
		in    ProgressInput
		field string
	}{
		{"unknown node", ProgressInput{Reached: []ProgressMark{{Node: "teleported", At: at}}}, "reached[0].node"},
		{"missing instant", ProgressInput{Reached: []ProgressMark{{Node: "accepted"}}}, "reached[0].at"},
		{"backwards", ProgressInput{Reached: []ProgressMark{{Node: "accepted", At: at}, {Node: "completed", At: at.Add(-time.Hour)}}}, "reached[1].at"},
		{"duplicate node", ProgressInput{Nodes: []ProgressNode{{ID: "a", Label: "A"}, {ID: "a", Label: "B"}}}, "nodes[1]"},
		{"blank node", ProgressInput{Nodes: []ProgressNode{{ID: "", Label: "A"}}}, "nodes[0]"},
		{"multi-line team", ProgressInput{Team: "a\nb"}, "feedback_id"},
	}
	for _, tc := range tests {
		t.Run(tc.name, func(t *testing.T) {
			_, err := NewProgressView(tc.in, nil)
			var fp intake.FieldProblem
			require.True(t, errors.As(err, &fp), "%v", err)
			assert.Equal(t, tc.field, fp.Field)
			assert.ErrorIs(t, err, ErrProgress)
		})
	}
}
