package main

import (
	"bytes"
	"context"
	"encoding/json"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/apache/beam/sdks/v2/go/pkg/beam"
	"github.com/apache/beam/sdks/v2/go/pkg/beam/testing/ptest"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/closeloop/closeloop/whatif"
	"github.com/closeloop/closeloop/whatif/whatiftest"
)

func TestMain(m *testing.M) {
	ptest.Main(m) // prism, in process, unless -runner says otherwise
}

// TestPipelinesEqualInProcess runs both pipelines on a small input on the
// local runner and checks that their outputs equal the in-process
// computation on the same input, figure for figure.
func TestPipelinesEqualInProcess(t *testing.T) {
	dir := t.TempDir()
	in := filepath.Join(dir, "tickets.ndjson")
	require.NoError(t, writeTickets(in, 2000, 5))
	spec, err := SampleWhatIfSpec()
	require.NoError(t, err)
	kspec := KPISpec{}
	const nRecords, nShards = 5000, 4

	p, s := beam.NewPipelineWithRoot()
	WhatIfPipeline(s, spec, in, filepath.Join(dir, "whatif.json"))
	KPIPipeline(s, kspec, nRecords, nShards, 9, kpiStart, filepath.Join(dir, "kpi.json"))
	before := accumsDecoded.Load()
	require.NoError(t, ptest.Run(p))
	if ptest.DefaultRunner() == "prism" && runnerName() == "prism" {
		// prism lifts the combines: partial accumulators travel through the
		// coders (the library's MarshalBinary and Decode) before the merge.
		assert.Greater(t, accumsDecoded.Load(), before, "accumulators went through the coders")
	}

	// What-if: the Beam result is the in-process result.
	b, err := os.ReadFile(filepath.Join(dir, "whatif.json"))
	require.NoError(t, err)
	var got whatif.Result
	require.NoError(t, json.Unmarshal(bytes.TrimSpace(b), &got))
	want, err := WhatIfInProcess(spec, in)
	require.NoError(t, err)
	wantJSON, err := json.Marshal(want)
	require.NoError(t, err)
	var wantBack whatif.Result // through JSON too, so both sides compare alike
	require.NoError(t, json.Unmarshal(wantJSON, &wantBack))
	require.Equal(t, wantBack, got)
	require.Equal(t, int64(2000), got.Total.Current.Tickets)
	require.Len(t, got.Priorities, 4)
	assert.Zero(t, got.Total.Current.Failed)
	assert.NotZero(t, got.Total.Current.Breached, "the sample breaches some tickets")
	assert.True(t, got.Total.BreachRateOK)

	// KPIs: every per-key combine equals the in-process grouped result.
	rows, err := ReadKPIRows(filepath.Join(dir, "kpi.json"))
	require.NoError(t, err)
	wantRows, err := KPIInProcess(kspec, nRecords, nShards, 9, kpiStart)
	require.NoError(t, err)
	SortKPIRows(wantRows)
	require.Equal(t, wantRows, rows)
	perBreakdown := map[string]int64{}
	for _, r := range rows {
		perBreakdown[r.Breakdown] += r.Summary.Tickets
	}
	for _, b := range Breakdowns {
		assert.Equal(t, int64(nRecords), perBreakdown[string(b)], "every record once per breakdown %s", b)
	}
}

// TestCodersRoundTrip checks the accumulator coders the runner uses between
// workers.
func TestCodersRoundTrip(t *testing.T) {
	spec, err := SampleWhatIfSpec()
	require.NoError(t, err)
	wfn := &WhatIfCombineFn{Spec: spec}
	require.NoError(t, wfn.Setup())
	acc := wfn.CreateAccumulator()
	for _, tk := range whatiftest.Generate(2, kpiStart, 100) {
		o := wfn.r.Evaluate(&tk)
		b, err := encodeOutcome(o)
		require.NoError(t, err)
		back, err := decodeOutcome(b)
		require.NoError(t, err)
		require.Equal(t, o, back)
		acc = wfn.AddInput(acc, back)
	}
	enc, err := encodeWhatIfAccum(acc)
	require.NoError(t, err)
	dec, err := decodeWhatIfAccum(enc)
	require.NoError(t, err)
	assert.Equal(t, acc.Acc.Result(), dec.Acc.Result())
	_, err = decodeWhatIfAccum(enc[:len(enc)-2])
	assert.Error(t, err)

	// KPIs: a bundle's partial accumulators, one per breakdown, through
	// the coder and the merge-only combine.
	fn := &aggregateShardFn{}
	require.NoError(t, fn.Setup())
	fn.StartBundle(nil)
	fn.ProcessElement(RecordShard{Seed: 3, StartUnix: kpiStart.Unix(), N: 200}, nil)
	var parts []*KPIAccum
	var keys []string
	fn.FinishBundle(func(b string, a *KPIAccum) { keys, parts = append(keys, b), append(parts, a) })
	require.Len(t, parts, len(Breakdowns))
	for i, p := range parts {
		assert.Equal(t, string(Breakdowns[i]), keys[i])
		enc, err := encodeKPIAccum(p)
		require.NoError(t, err)
		dec, err := decodeKPIAccum(enc)
		require.NoError(t, err)
		assert.Equal(t, p.Acc.Result(), dec.Acc.Result())
		m := &MergeKPIFn{}
		acc, err := m.AddInput(m.CreateAccumulator(), dec)
		require.NoError(t, err)
		acc, err = m.MergeAccumulators(acc, p)
		require.NoError(t, err)
		assert.Equal(t, int64(400), acc.Acc.Result().Total.Tickets)
		assert.Equal(t, int64(200), p.Acc.Result().Total.Tickets, "merging leaves the input unchanged")
		_, err = decodeKPIAccum(enc[:len(enc)-2])
		assert.Error(t, err)
	}
	enc, err = encodeKPIAccum(&KPIAccum{})
	require.NoError(t, err)
	empty, err := decodeKPIAccum(enc)
	require.NoError(t, err)
	assert.Nil(t, empty.Acc)
	_, err = decodeKPIAccum([]byte{0xff})
	assert.Error(t, err)
}

// TestRunCommand runs the command's own path (flags at their defaults but
// small) on the local runner and in process, and checks both print the same
// what-if table.
func TestRunCommand(t *testing.T) {
	if testing.Short() {
		t.Skip("runs the whole command twice")
	}
	dir := t.TempDir()
	*outDir, *generate, *records, *shardCount = dir, 500, 1000, 2
	defer func() { *outDir, *generate, *records, *shardCount, *inProcess = "", 10000, 100000, 8, false }()
	var beamOut, localOut bytes.Buffer
	require.NoError(t, run(context.Background(), &beamOut))
	*inProcess = true
	require.NoError(t, run(context.Background(), &localOut))
	section := func(s string) string {
		i := bytes.Index([]byte(s), []byte("what-if"))
		j := bytes.Index([]byte(s), []byte("run took"))
		require.True(t, i >= 0 && j > i, s)
		return strings.TrimSpace(s[i:strings.LastIndex(s[:j], "\n")])
	}
	assert.Equal(t, section(localOut.String()), section(beamOut.String()))
	assert.Contains(t, beamOut.String(), "Beam (prism) run took")
}
