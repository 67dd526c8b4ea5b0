package closeloop

import (
	"errors"
	"fmt"
	"strconv"
)

// Level is a priority level, "P0" (the most urgent) to "P9": the one
// priority contract of every closeloop package. A priority policy may name
// its levels ("emergency", "high"); its Level is still the position, so
// packages agree on what "P1" is. The source documents use P0..P3; every
// package accepts the whole range (an SLA policy with no target for P4
// applies its "*" target).
type Level uint8

// The first levels, those of the source documents.
const (
	P0 Level = iota // urgent: core function or safety risk, many or important customers
	P1              // high: secondary function, use blocked
	P2              // medium: service experience or improvement suggestion
	P3              // low: minor flaw, non-urgent suggestion
)

// MaxLevels is the number of levels: P0..P9.
const MaxLevels = 10

// ErrUnknownLevel reports a string that is not "P0".."P9".
var ErrUnknownLevel = errors.New("unknown level")

var levelNames = [MaxLevels]string{"P0", "P1", "P2", "P3", "P4", "P5", "P6", "P7", "P8", "P9"}

// String returns "P0".."P9" (without allocating).
func (l Level) String() string {
	if int(l) < len(levelNames) {
		return levelNames[l]
	}
	return "P" + strconv.Itoa(int(l))
}

// Valid reports whether l is P0..P9.
func (l Level) Valid() bool { return int(l) < MaxLevels }

// MoreUrgent reports whether l is strictly more urgent than m.
func (l Level) MoreUrgent(m Level) bool { return l < m }

// MarshalText encodes the level as "P0".."P9".
func (l Level) MarshalText() ([]byte, error) {
	if !l.Valid() {
		return nil, fmt.Errorf("closeloop: level %d out of range", int(l))
	}
	return []byte(l.String()), nil
}

// UnmarshalText decodes "P0".."P9".
func (l *Level) UnmarshalText(b []byte) error {
	v, err := ParseLevel(string(b))
	if err != nil {
		return err
	}
	*l = v
	return nil
}

// ParseLevel parses "P0".."P9"; anything else is an error wrapping
// [ErrUnknownLevel].
func ParseLevel(s string) (Level, error) {
	if l, ok := LevelOf(s); ok {
		return l, nil
	}
	return 0, fmt.Errorf("closeloop: %w: %q is not P0..P9", ErrUnknownLevel, s)
}

// LevelOf is [ParseLevel] for code that only needs to know whether s is a
// level ("P0".."P9"), such as a lookup on every evaluation: it builds no
// error.
func LevelOf(s string) (Level, bool) {
	if len(s) == 2 && s[0] == 'P' && s[1] >= '0' && s[1] <= '9' {
		return Level(s[1] - '0'), true
	}
	return 0, false
}
