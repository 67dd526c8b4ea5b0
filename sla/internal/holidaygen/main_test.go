package main

import (
	"bytes"
	"go/format"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCommittedFilesAreGenerated: the data and tests in sla are what the
// tables give; after editing a table, run go generate in sla.
func TestCommittedFilesAreGenerated(t *testing.T) {
	sets, err := readSets("tables")
	require.NoError(t, err)
	for name, gen := range map[string]func([]*set) []byte{"holidays_data.go": genData, "holidays_data_test.go": genTest} {
		want, err := format.Source(gen(sets))
		require.NoError(t, err)
		got, err := os.ReadFile(filepath.Join("..", "..", name))
		require.NoError(t, err)
		if !bytes.Equal(got, want) {
			t.Errorf("sla/%s is not what the tables give; run go generate in sla", name)
		}
	}
}

func TestTableErrors(t *testing.T) {
	const src = "source 国办发明电〔2025〕7号 signed 2025-11-04 https://www.gov.cn/x 通知\n"
	cases := []struct{ name, table, want string }{
		{"no source", "set CN\nyear 2026\noff 2026-01-01 New Year\n", "every year cites"},
		{"bad source", "set CN\nyear 2026\nsource 7号 on 2025-11-04\n", "want: source"},
		{"make-up on a weekday", "set CN\nyear 2026\n" + src + "work 2026-01-05 x\n", "not a weekend day"},
		{"reversed range", "set CN\nyear 2026\n" + src + "off 2026-01-03..2026-01-01 x\n", "reversed"},
		{"far date", "set CN\nyear 2026\n" + src + "off 2027-03-01 x\n", "too far"},
		{"no name", "set CN\nyear 2026\n" + src + "off 2026-01-01\n", "name is required"},
		{"wrong set", "set TW\nyear 2026\n" + src, "in the folder of set CN"},
		{"wrong year", "set CN\nyear 2025\n" + src, "year 2025 in file 2026.txt"},
		{"bad part", "set CN\nyear 2026\n" + src + "part 2026-01-05 14:00-12:00 x\n", "empty or reversed"},
		{"unknown key", "set CN\nyear 2026\n" + src + "holiday 2026-01-01 x\n", "unknown key"},
	}
	for _, tc := range cases {
		t.Run(tc.name, func(t *testing.T) {
			dir := t.TempDir()
			path := filepath.Join(dir, "2026.txt")
			require.NoError(t, os.WriteFile(path, []byte(tc.table), 0o644))
			_, err := readYear(path, "CN")
			require.Error(t, err)
			assert.Contains(t, err.Error(), tc.want)
		})
	}
	// Across years: a date listed twice, a gap.
	write := func(dir, name, body string) {
		require.NoError(t, os.WriteFile(filepath.Join(dir, name), []byte(body), 0o644))
	}
	dir := t.TempDir()
	write(dir, "set.txt", "code CN\nname China\nzone Asia/Shanghai\n")
	write(dir, "2025.txt", "set CN\nyear 2025\n"+src+"off 2025-12-31 x\n")
	write(dir, "2026.txt", "set CN\nyear 2026\n"+src+"off 2025-12-31..2026-01-01 x\n")
	_, err := readSet(dir)
	require.Error(t, err)
	assert.Contains(t, err.Error(), "listed twice")
	write(dir, "2026.txt", "set CN\nyear 2026\n"+src)
	write(dir, "2028.txt", "set CN\nyear 2028\n"+src)
	_, err = readSet(dir)
	require.Error(t, err)
	assert.True(t, strings.Contains(err.Error(), "without gaps"), err.Error())
}
