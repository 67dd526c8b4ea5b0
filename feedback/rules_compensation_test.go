package feedback

import (
	"testing"
	"time"

	"github.com/closeloop/closeloop/compensation"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

// TestCompensationChoiceRecorded: an offer computed from the ticket, the
// customer's choice recorded as an event, the ticket replayable.
func TestCompensationChoiceRecorded(t *testing.T) {
	r, err := PresetRules()
	require.NoError(t, err)
	assert.Equal(t, []string{"business-interruption", "complaint-goodwill"}, r.CompensationPolicies())
	tk, _, err := r.Open(Opening{ID: "F5", At: tkT0, Actor: "a", Customer: "c-9", Attributes: map[string]string{"tier": "vip"}})
	require.NoError(t, err)
	at := tkT0
	fire := func(trig Trigger, p Payload) {
		at = at.Add(time.Hour)
		_, err := r.Fire(tk, Change{Trigger: trig, Version: tk.Version, At: at, Actor: "a", Payload: p})
		require.NoError(t, err)
	}
	fire(TriggerTriage, Payload{Priority: "P1"})
	fire(TriggerAssign, Payload{Team: "tech"})
	fire(TriggerStart, Payload{})
	fire(TriggerResolve, Payload{Note: "restored"})

	offer, err := r.Offer(tk, "business-interruption", compensation.Claim{Durations: map[string]time.Duration{"business_interruption": 5 * time.Hour}})
	require.NoError(t, err)
	assert.Equal(t, "F5", offer.Ticket)
	assert.Equal(t, "c-9", offer.Customer)
	require.NotEmpty(t, offer.Options)
	settlement, err := offer.Choose(offer.Options[0].ID, at)
	require.NoError(t, err)
	choice := CompensationChoiceFrom(settlement)
	assert.Equal(t, offer.Options[0].ID, choice.Option)
	assert.Equal(t, "business-interruption", choice.Policy)
	assert.NotEmpty(t, choice.Explanation)
	fire(TriggerChooseCompensation, Payload{Compensation: choice})
	assert.Equal(t, choice, tk.Compensation)

	replayed, err := r.Replay(tk.History)
	require.NoError(t, err)
	assert.Equal(t, tk, replayed)
	snap, err := MarshalSnapshot(tk)
	require.NoError(t, err)
	restored, err := r.Restore(snap)
	require.NoError(t, err)
	assert.Equal(t, tk, restored)

	_, err = r.Offer(tk, "nope", compensation.Claim{})
	assert.Error(t, err)
	_, err = ParseRules([]byte(`{"version":"1","compensation":[{"name":"x"}]}`))
	var pe *PathError
	require.ErrorAs(t, err, &pe)
	assert.Contains(t, pe.Path, "$.compensation[0]")
}

// TestOfferFromSLAReport: a compensation schedule keyed on how late the
// resolution was, fed from the ticket's own SLA report.
func TestOfferFromSLAReport(t *testing.T) {
	doc := []byte(`{"version": "x",
	  "sla": {"policies": [{"name": "p", "metrics": [{"kind": "resolution", "targets": {"*": {"unit": "elapsed", "duration": "24h"}}}]}]},
	  "compensation": [{"name": "late", "currency": "CNY", "rounding": "half_up", "combine": "max",
	    "schedules": [{"name": "late resolution", "measure": {"kind": "duration", "input": "resolution_overrun"},
	      "bands": [{"name": "up to a day", "range": "[0s, 24h)", "options": [{"id": "voucher", "kind": "voucher", "formula": "fixed", "amount": "20.00", "valid_days": 30}]},
	                {"name": "more", "range": "[24h, inf)", "options": [{"id": "voucher", "kind": "voucher", "formula": "fixed", "amount": "50.00", "valid_days": 30}]}]}]}]}`)
	r, err := ParseRules(doc)
	require.NoError(t, err)
	d := openTicket(t, r)
	d.must(TriggerTriage, Payload{Priority: "P1"}) // no host-set deadline: the policy's 24 h rules
	d.walk(TriggerAssign, TriggerStart)
	offer, err := r.OfferAt(d.tk, "late", compensation.Claim{}, tkT0.Add(24*time.Hour+30*time.Hour))
	require.NoError(t, err)
	require.Len(t, offer.Options, 1)
	assert.Equal(t, "50.00", offer.Options[0].Amount.Text(), "%+v", offer.Readings)
	offer, err = r.OfferAt(d.tk, "late", compensation.Claim{}, tkT0.Add(30*time.Hour))
	require.NoError(t, err)
	require.Len(t, offer.Options, 1)
	assert.Equal(t, "20.00", offer.Options[0].Amount.Text(), "%+v", offer.Readings)
}

func TestCompensationPolicyLookup(t *testing.T) {
	r, err := PresetRules()
	require.NoError(t, err)
	for _, name := range r.CompensationPolicies() {
		p, ok := r.CompensationPolicy(name)
		require.True(t, ok, name)
		assert.Equal(t, name, p.Name())
		assert.NotEmpty(t, p.Currency().Code)
	}
	_, ok := r.CompensationPolicy("nope")
	assert.False(t, ok)
}
