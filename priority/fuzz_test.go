package priority_test

import (
	"encoding/json"
	"errors"
	"testing"

	"github.com/closeloop/closeloop/priority"
)

// FuzzScorerJSON feeds arbitrary rules documents and inputs. Nothing may
// panic; a document that compiles must round-trip through its marshalled
// form; every input yields either a level of the policy or an InputError;
// Explain agrees with Score; and raising any input never lowers the level.
func FuzzScorerJSON(f *testing.F) {
	for _, name := range priority.PresetNames() {
		b, err := priority.PresetJSON(name)
		if err != nil {
			f.Fatal(err)
		}
		f.Add(b, 3, 3, 2, 1, int64(500), int64(0), int64(0), uint8(0))
		f.Add(b, 0, 4, 4, 4, int64(0), int64(10), int64(150000), uint8(31))
	}
	f.Add([]byte(minimalWeighted), 1, 2, 3, 4, int64(1), int64(1), int64(1), uint8(1))
	f.Add([]byte(overridePolicy), 0, 2, 0, 4, int64(0), int64(0), int64(0), uint8(1))
	f.Add([]byte(`{"method":"matrix","matrix":{"rows":"impact","columns":"impact","cells":[]}}`), 1, 1, 1, 1, int64(0), int64(0), int64(0), uint8(0))
	f.Add([]byte(`{"method":`), 1, 1, 1, 1, int64(0), int64(0), int64(0), uint8(0))
	f.Fuzz(func(t *testing.T, doc []byte, impact, urgency, severity, tier int, affected, business, value int64, flags uint8) {
		s, err := priority.Parse(doc)
		if err != nil {
			var pe *priority.PathError
			if !errors.As(err, &pe) {
				t.Fatalf("error without a path: %v", err)
			}
			return
		}
		b, err := json.Marshal(s.Spec())
		if err != nil {
			t.Fatal(err)
		}
		s2, err := priority.Parse(b)
		if err != nil {
			t.Fatalf("marshalled rules do not parse: %v\n%s", err, b)
		}
		in := priority.Input{Impact: impact, Urgency: urgency, Severity: severity, Tier: tier, Affected: affected, Business: business, Value: value, Flags: priority.Flags(flags)}
		res, err := s.Score(in)
		if err != nil {
			var ie *priority.InputError
			if !errors.As(err, &ie) {
				t.Fatalf("input error of type %T: %v", err, err)
			}
			return
		}
		if int(res.Level) >= len(s.Levels()) || res.Name != s.Levels()[res.Level] {
			t.Fatalf("level %d %q not a level of %v", res.Level, res.Name, s.Levels())
		}
		ex, err := s.Explain(in)
		if err != nil || ex.Level != res.Level || ex.Score != res.Score || ex.Quadrant != res.Quadrant || len(ex.Reasons) == 0 {
			t.Fatalf("Explain %+v, %v disagrees with Score %+v", ex, err, res)
		}
		for _, r := range ex.Reasons {
			_ = r.String()
		}
		if res2, err := s2.Score(in); err != nil || res2.Level != res.Level || res2.Score != res.Score || res2.Quadrant != res.Quadrant || res2.Base != res.Base {
			t.Fatalf("round trip changed the decision: %+v → %+v (%v)", res, res2, err)
		}
		for _, up := range raisings(in, s.Spec()) {
			u, err := s.Score(up)
			if err != nil {
				continue // the raised input may leave a scale, e.g. impact given above its max by counts
			}
			if u.Level > res.Level {
				t.Fatalf("not monotonic: %+v → %s, %+v → %s", in, res.Name, up, u.Name)
			}
		}
	})
}
