package metrics

import (
	"strings"
	"time"

	"github.com/closeloop/closeloop/compensation"
	"github.com/closeloop/closeloop/feedback"
	"github.com/closeloop/closeloop/sla"
)

// RecordFromTicket fills a [Record] from a ticket of package feedback and its
// SLA report (package sla) at the report's as-of instant. rep may be nil (no
// SLA figures); slaMetrics names the report's metrics in the order of
// [Config.SLAMetrics].
//
// The mapping, field by field:
//
//   - dimensions: Kind, Tier, Region and BusinessLine from the ticket's
//     attributes "kind", "tier", "region" and "business_line"; Category,
//     Channel, Priority and Team from the ticket; Agent is its Owner;
//     CustomerID its Customer; Tags its comma-separated "tags" attribute.
//   - instants: Received is Opened; FirstResponse the first respond event;
//     Resolved the last entry into resolved; Closed the entry into closed.
//   - business times: from the report's first_response and resolution
//     clocks when both are counted in business time and have stopped
//     (BusinessTimes is set only then, so no duration is guessed).
//   - SLA: met and breached clocks as such; a breached clock that has not
//     stopped is open-breached; running and paused clocks are open; pending
//     clocks and metrics the report lacks are none.
//   - ReopenCount is ReopenRounds. FirstContactResolved: resolved without
//     ever being reopened, escalated, or waiting on the customer or a third
//     party. FollowUp: done once a follow-up outcome is recorded, pending for
//     a resolved ticket without one (the default lifecycle requires one).
//   - survey: SurveySent once a follow-up outcome is recorded; CSAT is its
//     score when on 1..5.
//   - compensation: the chosen option's amount in minor units when it is
//     money and granted.
func RecordFromTicket(t *feedback.Ticket, rep *sla.Report, slaMetrics []string) Record {
	r := Record{
		Kind: t.Attributes["kind"], Category: t.Category, Channel: t.Channel, Priority: t.Priority,
		Tier: t.Attributes["tier"], Region: t.Attributes["region"], Team: t.Team, Agent: t.Owner,
		BusinessLine: t.Attributes["business_line"], CustomerID: t.Customer, Received: t.Opened,
		ReopenCount: t.ReopenRounds,
	}
	for _, tag := range strings.Split(t.Attributes["tags"], ",") {
		if tag = strings.TrimSpace(tag); tag != "" {
			r.Tags = append(r.Tags, tag)
		}
	}
	detour := t.ReopenRounds > 0 || t.Escalations > 0
	for i := range t.History {
		ev := &t.History[i]
		switch {
		case ev.Trigger == feedback.TriggerRespond && r.FirstResponse.IsZero():
			r.FirstResponse = ev.At
		case ev.To == feedback.StateResolved && ev.From != feedback.StateResolved:
			r.Resolved = ev.At
		case ev.To == feedback.StateClosed:
			r.Closed = ev.At
		case ev.To == feedback.StateWaitingCustomer || ev.To == feedback.StateWaitingThirdParty:
			detour = true
		}
	}
	r.FirstContactResolved = !r.Resolved.IsZero() && !detour
	switch {
	case t.FollowUp != nil:
		r.FollowUp, r.SurveySent = FollowUpDone, true
		if s := t.FollowUp.Score; s >= 1 && s <= 5 {
			r.CSAT = uint8(s)
		}
	case !r.Resolved.IsZero():
		r.FollowUp = FollowUpPending
	}
	if c := t.Compensation; c != nil && c.Status == string(compensation.StatusGranted) && c.Amount != "" {
		if m, err := compensation.ParseMoney(c.Amount, c.Currency); err == nil {
			if minor, ok := m.Minor(); ok {
				r.CompensationMinor, r.Currency = minor, c.Currency
			}
		}
	}
	if rep == nil {
		return r
	}
	for i, name := range slaMetrics {
		if i >= MaxSLAMetrics {
			break
		}
		if m, ok := rep.Metric(name); ok {
			r.SLA[i] = slaStatusOf(&m)
		}
	}
	resp, rok := businessTime(rep, sla.FirstResponse)
	res, sok := businessTime(rep, sla.Resolution)
	if rok && sok {
		r.FirstResponseBusiness, r.ResolutionBusiness, r.BusinessTimes = resp, res, true
	}
	return r
}

func slaStatusOf(m *sla.MetricReport) SLAStatus {
	switch m.Status {
	case sla.Met:
		return SLAMet
	case sla.Breached:
		if m.Stopped.IsZero() {
			return SLAOpenBreached
		}
		return SLABreached
	case sla.Running, sla.Paused:
		return SLAOpen
	}
	return SLANone
}

// businessTime is the counted business time of the stopped clock of kind k.
func businessTime(rep *sla.Report, k sla.MetricKind) (d time.Duration, ok bool) {
	for i := range rep.Metrics {
		m := &rep.Metrics[i]
		if m.Kind == k && m.Target.Unit == sla.Business && !m.Stopped.IsZero() {
			return m.Elapsed, true
		}
	}
	return 0, false
}
