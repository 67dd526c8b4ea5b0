package main

import (
	"bytes"
	"errors"
	"flag"
	"fmt"
	"io"
	"regexp"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

func runOut(t *testing.T, args ...string) string {
	t.Helper()
	var out bytes.Buffer
	require.NoError(t, run(args, &out))
	return out.String()
}

// figures cuts the measured part (time and memory) off the output.
func figures(out string) string {
	figs, _, _ := strings.Cut(out, "\ntime (")
	return figs
}

func TestRun(t *testing.T) {
	out := runOut(t, "-n", "20000", "-batch", "1000")
	for _, want := range []string{
		"kpiscale: 20000 generated records (seed 1), grouped by channel × priority, 1 shard(s)",
		"  tickets 20000, complaints ",
		"  CSAT ",
		"  SLA first_response achievement ",
		"  SLA resolution achievement ",
		"groups (24):",
		"accumulator state: 24 groups, ",
		"  generate  ",
		"  accumulate  ",
		"  elapsed  ",
		"memory:",
		"  Go heap in use at the end",
	} {
		assert.Contains(t, out, want)
	}
	assert.Regexp(t, `(?m)^  app / P0 +\d+ +\d+\.\d % \(\d+/\d+\)`, out)
	assert.Regexp(t, `(?m)^  elapsed +\S+ +\d+\.\d\d million records/s end to end$`, out)
	// The group tickets add up to N.
	total := 0
	for _, m := range regexp.MustCompile(`(?m)^  \w+ / P\d +(\d+) `).FindAllStringSubmatch(out, -1) {
		var n int
		_, err := fmt.Sscan(m[1], &n)
		require.NoError(t, err)
		total += n
	}
	assert.Equal(t, 20000, total)
}

// Sharding and merging give exactly the figures of one pass.
func TestShardsMergeExactly(t *testing.T) {
	one := runOut(t, "-n", "30000", "-batch", "700")
	for _, k := range []string{"2", "3", "5"} {
		sharded := runOut(t, "-n", "30000", "-batch", "700", "-shards", k)
		assert.Contains(t, sharded, "  merge ")
		assert.Equal(t,
			strings.Replace(figures(one), "1 shard(s)", k+" shard(s)", 1),
			figures(sharded), "shards %s", k)
		// The same through the binary encoding, as between machines.
		sharded = runOut(t, "-n", "30000", "-batch", "700", "-shards", k, "-ship")
		assert.Regexp(t, `  ship +\S+ +`+k+` shard states, \d+ bytes encoded and decoded`, sharded)
		assert.Equal(t,
			strings.Replace(figures(one), "1 shard(s)", k+" shard(s)", 1),
			figures(sharded), "shards %s, shipped", k)
	}
}

func TestOtherDimensions(t *testing.T) {
	out := runOut(t, "-n", "5000", "-by", "region, tier", "-seed", "9")
	assert.Contains(t, out, "grouped by region × tier")
	assert.Contains(t, out, "groups (18):") // 6 regions × 3 tiers
}

func TestZeroRecords(t *testing.T) {
	out := runOut(t, "-n", "0")
	assert.Contains(t, out, "tickets 0, complaints 0")
	assert.Contains(t, out, "CSAT no data")
	assert.Contains(t, out, "groups (0):")
}

func TestBadFlags(t *testing.T) {
	var out bytes.Buffer
	assert.True(t, errors.Is(run([]string{"-h"}, &out), flag.ErrHelp))
	assert.Contains(t, out.String(), "-shards")
	for _, args := range [][]string{
		{"-n", "-1"}, {"-shards", "0"}, {"-batch", "0"}, {"-by", "colour"}, {"-by", "kind,category,channel,priority,tier"}, {"extra"},
	} {
		assert.Error(t, run(args, io.Discard), "%v", args)
	}
}

func TestPeakRSS(t *testing.T) {
	if hwm, ok := peakRSS(); ok {
		assert.Greater(t, hwm, uint64(1<<20))
	}
}
