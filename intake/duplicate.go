package intake

import (
	"fmt"
	"slices"
	"strings"
	"time"
	"unicode"
)

// DuplicateOptions tune duplicate detection. Zero values take the defaults.
type DuplicateOptions struct {
	// Window is how far apart (either way) two receipts may be; default 7 days.
	Window time.Duration
	// MinSimilarity is the least description similarity (0..1, Dice
	// coefficient over character pairs of the normalised text) for two
	// intakes to be the same problem; default 0.6.
	MinSimilarity float64
}

// DuplicateCandidate is an earlier intake that looks like the same problem
// from the same customer, so the host can merge rather than count twice
// (document 003: merged, not deleted).
type DuplicateCandidate struct {
	FeedbackID string        `json:"feedback_id"`
	Similarity float64       `json:"similarity"` // 1 when the normalised problems are equal
	Gap        time.Duration `json:"gap"`        // absolute difference of the received_at instants
	MatchedBy  string        `json:"matched_by"` // "customer_id" or "contact": how the customer was recognised
	Reason     string        `json:"reason"`     // the whole explanation in plain words
}

// NormalizeProblem returns the form in which problems are compared: folded
// (case, full-width), with everything but letters, digits and ideographs
// removed, so "手机充电慢！" and "手机 充电慢" are equal.
func NormalizeProblem(s string) string {
	var b strings.Builder
	b.Grow(len(s))
	for _, r := range s {
		r = foldRune(r)
		if unicode.IsLetter(r) || unicode.IsDigit(r) {
			b.WriteRune(r)
		}
	}
	return b.String()
}

// normalizeContact reduces a contact to digits (phones) or a folded e-mail.
func normalizeContact(s string) string {
	s = foldString(strings.TrimSpace(s))
	if strings.Contains(s, "@") {
		return s
	}
	var b strings.Builder
	for _, r := range s {
		if r >= '0' && r <= '9' {
			b.WriteRune(r)
		}
	}
	d := b.String()
	if strings.HasPrefix(d, "86") && len(d) == 13 {
		d = d[2:]
	}
	if len(d) < 5 {
		return ""
	}
	return d
}

// problemSimilarity is the Dice coefficient of the character pairs of two
// normalised texts (1 for equal texts, including two single characters).
func problemSimilarity(a, b string) float64 {
	if a == b {
		return 1
	}
	ra, rb := []rune(a), []rune(b)
	if len(ra) < 2 || len(rb) < 2 {
		return 0
	}
	pairs := map[[2]rune]int{}
	for i := 0; i+1 < len(ra); i++ {
		pairs[[2]rune{ra[i], ra[i+1]}]++
	}
	common := 0
	for i := 0; i+1 < len(rb); i++ {
		k := [2]rune{rb[i], rb[i+1]}
		if pairs[k] > 0 {
			pairs[k]--
			common++
		}
	}
	return 2 * float64(common) / float64(len(ra)-1+len(rb)-1)
}

// FindDuplicates returns the intakes in recent that are likely duplicates of
// in, best first (most similar, then closest in time). Rules, in plain words:
// the same customer (equal customer IDs, or — when either lacks one — equal
// contacts, phone numbers compared by digits); received within the window of
// each other; not set apart by different categories, sub-categories or
// products when both sides have them; and descriptions at least
// [DuplicateOptions.MinSimilarity] alike after normalisation. An intake with
// in's own feedback ID is skipped.
func FindDuplicates(in Intake, recent []Intake, opts DuplicateOptions) []DuplicateCandidate {
	if opts.Window <= 0 {
		opts.Window = 7 * 24 * time.Hour
	}
	if opts.MinSimilarity <= 0 {
		opts.MinSimilarity = 0.6
	}
	norm := NormalizeProblem(in.Description)
	contact := normalizeContact(in.Contact)
	var out []DuplicateCandidate
	for _, r := range recent {
		if r.FeedbackID != "" && r.FeedbackID == in.FeedbackID {
			continue
		}
		var by, who string
		switch {
		case in.CustomerID != "" && r.CustomerID != "":
			if termKey(in.CustomerID) != termKey(r.CustomerID) {
				continue
			}
			by, who = "customer_id", in.CustomerID
		case contact != "" && contact == normalizeContact(r.Contact):
			by, who = "contact", "the same contact"
		default:
			continue
		}
		gap := in.ReceivedAt.Sub(r.ReceivedAt)
		if gap < 0 {
			gap = -gap
		}
		if in.ReceivedAt.IsZero() || r.ReceivedAt.IsZero() || gap > opts.Window {
			continue
		}
		if differ(in.Category, r.Category) || differ(in.SubCategory, r.SubCategory) || differ(NormalizeProblem(in.Product), NormalizeProblem(r.Product)) {
			continue
		}
		sim := problemSimilarity(norm, NormalizeProblem(r.Description))
		if sim < opts.MinSimilarity {
			continue
		}
		reason := fmt.Sprintf("same customer (%s %q), received %s apart (window %s), description %.0f%% similar",
			by, who, gap, opts.Window, sim*100)
		if by == "contact" {
			reason = fmt.Sprintf("same customer (same contact), received %s apart (window %s), description %.0f%% similar",
				gap, opts.Window, sim*100)
		}
		if in.Category != "" && in.Category == r.Category {
			reason += fmt.Sprintf(", same category %q", in.Category)
		}
		if in.Product != "" && NormalizeProblem(in.Product) == NormalizeProblem(r.Product) {
			reason += fmt.Sprintf(", same product %q", in.Product)
		}
		out = append(out, DuplicateCandidate{FeedbackID: r.FeedbackID, Similarity: sim, Gap: gap, MatchedBy: by, Reason: reason})
	}
	slices.SortStableFunc(out, func(a, b DuplicateCandidate) int {
		switch {
		case a.Similarity > b.Similarity:
			return -1
		case a.Similarity < b.Similarity:
			return 1
		case a.Gap < b.Gap:
			return -1
		case a.Gap > b.Gap:
			return 1
		}
		return 0
	})
	return out
}

func differ(a, b string) bool { return a != "" && b != "" && a != b }
