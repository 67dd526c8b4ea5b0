package textcheck

import (
	"testing"

	"github.com/stretchr/testify/assert"
)

func TestProblem(t *testing.T) {
	for _, c := range []struct {
		in        string
		multiLine bool
		want      string
	}{
		{"张三 Zhang", false, ""},
		{"", false, ""},
		{"a\nb", false, "control character U+000A"},
		{"a\nb\tc\r", true, ""},
		{"a\x00b", true, "control character U+0000"},
		{"zero\u200bwidth", true, "control character U+200B"},
		{"line\u2028sep", true, "control character U+2028"},
		{"bad\xffutf8", false, "invalid UTF-8"},
		{"\uFFFD is a real rune", false, ""},
	} {
		assert.Equal(t, c.want, Problem(c.in, c.multiLine), "%q", c.in)
	}
}

func TestTruncate(t *testing.T) {
	assert.Equal(t, "short", Truncate("short", 5))
	assert.Equal(t, "abc…", Truncate("abcdef", 3))
	assert.Equal(t, "张…", Truncate("张三丰", 4), "never inside a rune")
	assert.Equal(t, "…", Truncate("张三丰", 2))
}
