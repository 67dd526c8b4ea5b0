package sla

import (
	"math/rand/v2"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// chooseDoc has versions coming into force at odd instants and policies
// of "all" and "any" conditions, one a catch-all.
const chooseDoc = `{"default_calendar":"office","policies":[
 {"name":"a","when":{"all":[{"field":"kind","op":"eq","value":"complaint"},{"field":"tier","op":"in","values":["vip","gold"]}]},
  "metrics":[{"kind":"resolution","targets":{"*":{"unit":"elapsed","duration":"4h"}}}]},
 {"name":"a","version":2,"effective_from":"2024-03-05T10:00:00.5Z","when":{"all":[{"field":"kind","op":"eq","value":"complaint"}]},
  "metrics":[{"kind":"resolution","targets":{"*":{"unit":"elapsed","duration":"2h"}}}]},
 {"name":"a","version":3,"effective_from":"2024-03-06T10:00:00Z","when":{"any":[{"field":"tags","op":"has_tag","value":"x"},{"field":"channel","op":"eq","value":"phone"}]},
  "metrics":[{"kind":"resolution","targets":{"*":{"unit":"elapsed","duration":"1h"}}}]},
 {"name":"b","when":{"all":[{"field":"attr.org","op":"exists"}],"any":[{"field":"priority","op":"at_least","value":"P1"},{"field":"tags","op":"in","values":["y","z"]}]},
  "metrics":[{"kind":"resolution","targets":{"*":{"unit":"elapsed","duration":"3h"}}}]},
 {"name":"c","effective_from":"2024-03-04T00:00:00Z",
  "metrics":[{"kind":"resolution","targets":{"*":{"unit":"elapsed","duration":"5h"}}}]}]}`

// whyRef is the why of a policy that matches a, written out as it was
// before matchWhy: every "all" condition, then the "any" ones that hold.
func whyRef(p *policy, a *Attributes) []string {
	var dst []string
	for i := range p.all {
		dst = append(dst, p.all[i].desc)
	}
	for i := range p.any {
		if p.any[i].holds(a) {
			dst = append(dst, p.any[i].desc)
		}
	}
	return dst
}

// TestChoosePolicyShortcuts holds inForceAt to inForce (instants at and
// around the versions' effective dates, with and without monotonic
// readings and in other zones) and matchWhy to matches and the why
// written out.
func TestChoosePolicyShortcuts(t *testing.T) {
	s := compileT(t, chooseDoc)
	rng := rand.New(rand.NewPCG(71, 72))
	var edges []time.Time
	for _, p := range s.policies {
		edges = append(edges, p.from)
	}
	mono := time.Now()
	pick := func(vs ...string) string { return vs[rng.IntN(len(vs))] }
	for range 5000 {
		at := edges[rng.IntN(len(edges))].Add(time.Duration(rng.IntN(5)-2) * []time.Duration{1, time.Second / 2, time.Hour}[rng.IntN(3)])
		switch rng.IntN(4) {
		case 0:
			at = mono.Add(at.Sub(mono)) // (a monotonic reading)
		case 1:
			at = at.In(shanghai)
		}
		ps, pn := at.Unix(), int32(at.Nanosecond())
		for _, p := range s.policies {
			require.Equal(t, p.inForce(at), p.inForceAt(ps, pn), "%s v%d at %s", p.name, p.version, at)
		}
		a := Attributes{Kind: pick("", "complaint", "inquiry"), Tier: pick("", "vip", "gold", "new"),
			Channel: pick("", "phone", "email"), Priority: pick("", "P0", "P1", "P3")}
		for range rng.IntN(3) {
			a.Tags = append(a.Tags, pick("x", "y", "z", "w"))
		}
		if rng.IntN(2) == 0 {
			a.Attrs = map[string]string{"org": pick("", "acme")}
		}
		for _, p := range s.policies {
			prefix := []string{"kept"}
			why, ok := p.matchWhy(&a, prefix[:1:1])
			require.Equal(t, p.matches(&a), ok, "%s v%d %+v", p.name, p.version, a)
			if ok {
				require.Equal(t, append([]string{"kept"}, whyRef(p, &a)...), why)
			} else {
				require.Equal(t, []string{"kept"}, why)
			}
		}
	}
}
