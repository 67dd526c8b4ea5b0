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
	assert.Equal(t, []string{"doc000-stepped", "doc001-goodwill"}, r.CompensationPolicies())
	tk, _, err := r.Open(Opening{ID: "F5", At: t0, Actor: "a", Customer: "c-9", Attributes: map[string]string{"tier": "vip"}})
	require.NoError(t, err)
	at := t0
	fire := func(trig Trigger, p Payload) {
		at = at.Add(time.Hour)
		_, err := r.Fire(tk, Change{Trigger: trig, Version: tk.Version, At: at, Actor: "a", Payload: p})
		require.NoError(t, err)
	}
	fire(TriggerTriage, Payload{Priority: "P1"})
	fire(TriggerAssign, Payload{Team: "tech"})
	fire(TriggerStart, Payload{})
	fire(TriggerResolve, Payload{Note: "restored"})

	offer, err := r.Offer(tk, "doc000-stepped", compensation.Claim{Durations: map[string]time.Duration{"business_interruption": 5 * time.Hour}})
	require.NoError(t, err)
	assert.Equal(t, "F5", offer.Ticket)
	assert.Equal(t, "c-9", offer.Customer)
	require.NotEmpty(t, offer.Options)
	settlement, err := offer.Choose(offer.Options[0].ID, at)
	require.NoError(t, err)
	choice := CompensationChoiceFrom(settlement)
	assert.Equal(t, offer.Options[0].ID, choice.Option)
	assert.Equal(t, "doc000-stepped", choice.Policy)
	assert.NotEmpty(t, choice.Explanation)
	fire(TriggerChooseCompensate, Payload{Compensation: choice})
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
