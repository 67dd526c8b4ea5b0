package feedback

import (
	"fmt"
	"strings"
	"time"
	"unicode"

	"github.com/closeloop/closeloop/intake"
)

// ArchiveName builds document 002's archive name "customer ID + feedback
// date + problem type", e.g. ArchiveName("C1001", day, "product_fault") ==
// "C1001_20240301_product_fault". The date is taken in its own location.
// Characters that are unsafe in file names (path separators, spaces,
// control characters, ":*?\"<>|") become '-'. Empty parts are an error.
func ArchiveName(customerID string, feedbackDate time.Time, problemType string) (string, error) {
	clean := func(field, s string) (string, error) {
		s = strings.TrimSpace(s)
		if s == "" {
			return "", fmt.Errorf("feedback: archive name: %s %w", field, intake.ErrRequired)
		}
		s = strings.ToValidUTF8(s, "-")
		return strings.Map(func(c rune) rune {
			if unicode.IsSpace(c) || unicode.IsControl(c) || unicode.Is(unicode.Cf, c) || strings.ContainsRune(`/\:*?"<>|`, c) {
				return '-'
			}
			return c
		}, s), nil
	}
	c, err := clean("customer_id", customerID)
	if err != nil {
		return "", err
	}
	p, err := clean("problem_type", problemType)
	if err != nil {
		return "", err
	}
	if feedbackDate.IsZero() {
		return "", fmt.Errorf("feedback: archive name: feedback date %w", intake.ErrRequired)
	}
	return c + "_" + feedbackDate.Format("20060102") + "_" + p, nil
}
