package intake

import (
	"testing"
	"time"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestFindDuplicates(t *testing.T) {
	at := func(h int) time.Time {
		return time.Date(2024, 3, 1, 10, 0, 0, 0, shanghai).Add(time.Duration(h) * time.Hour)
	}
	in := Intake{FeedbackID: "F9", CustomerID: "C1001", Contact: "138 5678 5678", Product: "手机Pro", Category: "product_fault",
		ReceivedAt: at(48), Description: "手机充电1小时仅充入20%，怀疑电池故障！"}
	recent := []Intake{
		{FeedbackID: "F9", CustomerID: "C1001", ReceivedAt: at(48), Description: in.Description},                                    // itself
		{FeedbackID: "F1", CustomerID: "c1001", Category: "product_fault", ReceivedAt: at(0), Description: "手机充电 1小时仅充入20% 怀疑电池故障"}, // same, normalised
		{FeedbackID: "F2", CustomerID: "C1001", ReceivedAt: at(40), Description: "手机充电1小时只充入20%，怀疑是电池故障"},                           // similar
		{FeedbackID: "F3", CustomerID: "C2002", ReceivedAt: at(47), Description: in.Description},                                    // other customer
		{FeedbackID: "F4", CustomerID: "C1001", ReceivedAt: at(-24 * 8), Description: in.Description},                               // outside the window
		{FeedbackID: "F5", CustomerID: "C1001", ReceivedAt: at(47), Description: "安装师傅未穿工服"},                                        // other problem
		{FeedbackID: "F6", CustomerID: "C1001", ReceivedAt: at(47), Description: in.Description, Category: "service_experience"},    // other category
		{FeedbackID: "F7", CustomerID: "C1001", ReceivedAt: at(47), Description: in.Description, Product: "平板"},                     // other product
		{FeedbackID: "F8", Contact: "+86-13856785678", ReceivedAt: at(50), Description: in.Description},                             // no ID: same contact
		{FeedbackID: "F10", CustomerID: "C1001", Description: in.Description},                                                       // no receipt time
	}
	got := FindDuplicates(in, recent, DuplicateOptions{})
	var ids []string
	for _, c := range got {
		ids = append(ids, c.FeedbackID)
	}
	assert.Equal(t, []string{"F8", "F1", "F2"}, ids)
	require.Len(t, got, 3)
	assert.Equal(t, 1.0, got[0].Similarity)
	assert.Equal(t, "contact", got[0].MatchedBy)
	assert.Equal(t, 2*time.Hour, got[0].Gap)
	assert.Equal(t, "customer_id", got[1].MatchedBy)
	assert.Contains(t, got[1].Reason, `same customer (customer_id "C1001"), received 48h0m0s apart (window 168h0m0s), description 100% similar`)
	assert.Contains(t, got[1].Reason, `same category "product_fault"`)
	assert.Less(t, got[2].Similarity, 1.0)
	assert.GreaterOrEqual(t, got[2].Similarity, 0.6)

	// A tighter window and a higher bar.
	got = FindDuplicates(in, recent, DuplicateOptions{Window: 12 * time.Hour, MinSimilarity: 0.99})
	require.Len(t, got, 1)
	assert.Equal(t, "F8", got[0].FeedbackID)
	assert.Empty(t, FindDuplicates(Intake{Description: "x"}, recent, DuplicateOptions{}))
}

func TestNormalizeProblem(t *testing.T) {
	assert.Equal(t, "手机充电慢app", NormalizeProblem("手机 充电慢！ＡＰＰ"))
	assert.Equal(t, 1.0, problemSimilarity("ab", "ab"))
	assert.Equal(t, 0.0, problemSimilarity("a", "b"))
	assert.InDelta(t, 0.5, problemSimilarity("abc", "abd"), 1e-9)
	assert.Equal(t, "13856785678", normalizeContact("+86 138-5678-5678"))
	assert.Equal(t, "a@b.cn", normalizeContact(" A@B.cn "))
	assert.Equal(t, "", normalizeContact("n/a"))
}
