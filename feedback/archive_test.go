package feedback

import (
	"testing"
	"time"

	"github.com/closeloop/closeloop/intake"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func TestArchiveName(t *testing.T) {
	day := time.Date(2024, 3, 1, 10, 30, 0, 0, time.FixedZone("CST", 8*3600))
	got, err := ArchiveName("C1001", day, "product_fault")
	require.NoError(t, err)
	assert.Equal(t, "C1001_20240301_product_fault", got)

	got, err = ArchiveName("C 10/01", day, "产品故障类")
	require.NoError(t, err)
	assert.Equal(t, "C-10-01_20240301_产品故障类", got)

	_, err = ArchiveName("", day, "x")
	assert.ErrorIs(t, err, intake.ErrRequired)
	_, err = ArchiveName("C1", time.Time{}, "x")
	assert.ErrorIs(t, err, intake.ErrRequired)
	_, err = ArchiveName("C1", day, " ")
	assert.ErrorIs(t, err, intake.ErrRequired)
}
