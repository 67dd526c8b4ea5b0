package compensation

import (
	"crypto/sha256"
	"encoding/hex"
	"encoding/json"
	"math/rand"
	"os"
	"testing"

	"github.com/stretchr/testify/require"
)

type goldenDoc struct{ name, doc string }

func goldenDocs() []goldenDoc {
	docs := []goldenDoc{{"outage", outageDoc}, {"combine-sum", combineDoc("sum")}, {"combine-max", combineDoc("max")}, {"fuzz", fuzzPolicy}, {"base", baseDoc}}
	for _, n := range PresetNames() {
		data, _ := PresetJSON(n)
		docs = append(docs, goldenDoc{"preset " + n, string(data)})
	}
	return docs
}

// TestOffersMatchGolden: the int64 fast path, the one-buffer explanations
// and the one-block offers change nothing anyone can see. For every preset
// and test policy, 500 claims drawn by randomClaim (seed 2024) give offers
// whose JSON (every amount, explanation text and flag) and errors hash to
// the digests in testdata/golden_offers.json, which were written by the
// implementation before them (shopspring/decimal throughout, commit 2b8cdc2,
// with today's preset documents). The two presets of the source documents
// were renamed since (doc000-stepped, doc001-goodwill): their digests were
// re-taken after checking that the offers hash as before under the old names.
func TestOffersMatchGolden(t *testing.T) {
	data, err := os.ReadFile("testdata/golden_offers.json")
	require.NoError(t, err)
	var want map[string]string
	require.NoError(t, json.Unmarshal(data, &want))
	docs := goldenDocs()
	require.Len(t, want, len(docs))
	for _, d := range docs {
		p := mustParse(t, d.doc)
		r := rand.New(rand.NewSource(2024))
		h := sha256.New()
		for i := 0; i < 500; i++ {
			off, err := p.Compute(randomClaim(r, p))
			if err != nil {
				h.Write([]byte("error: " + err.Error() + "\n"))
				continue
			}
			data, err := json.Marshal(off)
			require.NoError(t, err)
			h.Write(data)
			h.Write([]byte("\n"))
		}
		require.Equal(t, want[d.name], hex.EncodeToString(h.Sum(nil)), d.name)
	}
}
