package closeloop_test

import (
	"testing"

	"github.com/closeloop/closeloop"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestLevel(t *testing.T) {
	for i := range closeloop.MaxLevels {
		l := closeloop.Level(i)
		got, err := closeloop.ParseLevel(l.String())
		require.NoError(t, err)
		assert.Equal(t, l, got)
		b, err := l.MarshalText()
		require.NoError(t, err)
		var back closeloop.Level
		require.NoError(t, back.UnmarshalText(b))
		assert.Equal(t, l, back)
	}
	for _, bad := range []string{"", "P", "P10", "p1", "P-1", "Q1", " P1"} {
		_, err := closeloop.ParseLevel(bad)
		assert.ErrorIs(t, err, closeloop.ErrUnknownLevel, bad)
	}
	_, err := closeloop.Level(10).MarshalText()
	assert.Error(t, err)
	assert.True(t, closeloop.P0.MoreUrgent(closeloop.P1))
}
