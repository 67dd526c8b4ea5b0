package metrics

import (
	"cmp"
	"slices"
	"time"
)

// Limits of the fixed-size parts of a [Record] and of a grouping.
const (
	// MaxCustom is the number of free custom dimensions a [Record] carries.
	MaxCustom = 4
	// MaxSLAMetrics is the number of SLA clocks a [Record] carries.
	MaxSLAMetrics = 4
	// MaxSatDims is the number of satisfaction dimensions a [Record] carries.
	MaxSatDims = 8
	// MaxGroupDims is the number of dimensions a [Config] may group by.
	MaxGroupDims = 4
	// MaxAgingBuckets is the number of aging edges a [Config] may name.
	MaxAgingBuckets = 8
)

// SLAStatus is the outcome of one SLA clock of one ticket, as the host (or
// the sla package) evaluated it at the report's as-of instant.
type SLAStatus uint8

// SLA outcomes. SLANone means the ticket has no such clock.
const (
	SLANone         SLAStatus = iota // no clock of this metric
	SLAMet                           // stopped at or before its deadline
	SLABreached                      // stopped after its deadline
	SLAOpen                          // still running, deadline not yet passed
	SLAOpenBreached                  // still running, deadline already passed
)

var slaStatusNames = [...]string{"none", "met", "breached", "open", "open_breached"}

// String returns the snake_case name of s.
func (s SLAStatus) String() string {
	if int(s) < len(slaStatusNames) {
		return slaStatusNames[s]
	}
	return "invalid"
}

// SLAStatusAt classifies one SLA clock: stopped is the instant the clock
// stopped (zero while it still runs), now the as-of instant. A clock that
// stopped exactly on its deadline is met; a clock still running at its
// deadline is open-breached from the deadline on (the record holds every
// stop up to now, so none can still land on time) — the rule package sla
// evaluates by. A zero deadline yields [SLANone].
func SLAStatusAt(deadline, stopped, now time.Time) SLAStatus {
	switch {
	case deadline.IsZero():
		return SLANone
	case !stopped.IsZero():
		if stopped.After(deadline) {
			return SLABreached
		}
		return SLAMet
	case !now.Before(deadline):
		return SLAOpenBreached
	default:
		return SLAOpen
	}
}

// FollowUpStatus says whether a ticket needed a follow-up contact and whether
// it happened.
type FollowUpStatus uint8

// Follow-up states.
const (
	FollowUpNone    FollowUpStatus = iota // no follow-up required
	FollowUpPending                       // required, not (yet) done
	FollowUpDone                          // required and done
)

// Record is the flat, cheap input of every accumulator: one ticket (or one
// piece of feedback) as of the report's instant. Strings are compared
// byte-wise; an empty string is a value like any other ("" groups together).
// Zero instants mean "did not happen". The host, or an adapter from the
// feedback package, fills it; the accumulators never keep a pointer to it.
type Record struct {
	// Dimensions.
	Kind         string // e.g. "complaint", "suggestion", "inquiry"
	Category     string // problem category, e.g. "billing/refund"
	Channel      string // e.g. "phone", "app", "email"
	Priority     string // "P0".."P3"; anything else counts as "other"
	Tier         string // customer tier / segment
	Region       string
	Team         string
	Agent        string
	BusinessLine string
	Custom       [MaxCustom]string // free dimensions DimCustom0..DimCustom3

	CustomerID string // used by MarkRepeats; empty: anonymous

	// Instants.
	Received      time.Time // required for period grouping and backlog
	FirstResponse time.Time // first response to the customer
	Resolved      time.Time // (last) resolution
	Closed        time.Time // closed (closed-loop complete)

	// Business-time durations from Received, as measured on the ticket's
	// calendar. They count only when BusinessTimes is true and the matching
	// instant is set.
	FirstResponseBusiness time.Duration
	ResolutionBusiness    time.Duration
	BusinessTimes         bool

	// SLA clocks, in the order of [Config.SLAMetrics], classified at the
	// report's as-of instant: SLAStatusAt(deadline, stopped, asOf) does it
	// from a deadline, with "exactly on the deadline" counting as met.
	SLA [MaxSLAMetrics]SLAStatus

	ReopenCount          int  // times the ticket was reopened
	FirstContactResolved bool // resolved in the first contact, no hand-off or call back
	Repeat               bool // repeat feedback: see MarkRepeats
	FollowUp             FollowUpStatus

	// SurveySent: a satisfaction survey went to the customer (the
	// denominator of the survey response rate).
	SurveySent bool
	// Survey answers. 0 means "not answered" for CSAT, CES and SatDims.
	CSAT        uint8 // 1..5
	NPS         uint8 // 0..10, counted only when NPSAnswered
	NPSAnswered bool
	CES         uint8 // customer effort, 1..7
	// SatDims are per-dimension satisfaction scores (1..5, 0 unanswered) in
	// the order of the composite rules' dimensions.
	SatDims [MaxSatDims]uint8

	Tags []string // problem tags, for association rules

	// Compensation actually granted, in integer minor units of Currency.
	CompensationMinor int64
	Currency          string
}

// MarkRepeats sets [Record.Repeat] on every record that has a non-empty
// CustomerID and follows another record of the same customer and the same
// category received at most window earlier (r.Received - prev.Received <=
// window). Of records with identical instants the first in slice order is
// the original. Every other record gets Repeat = false. The result depends
// only on the set of records and their order for exact ties; it allocates a
// permutation of len(recs) ints. In a sharded pipeline, run it in a step
// keyed by (customer, category) before accumulating: repeats need every
// record of a customer and category together, which no per-shard
// accumulator sees.
func MarkRepeats(recs []Record, window time.Duration) {
	idx := make([]int, len(recs))
	for i := range idx {
		idx[i] = i
		recs[i].Repeat = false
	}
	slices.SortFunc(idx, func(a, b int) int {
		ra, rb := &recs[a], &recs[b]
		if c := cmp.Compare(ra.CustomerID, rb.CustomerID); c != 0 {
			return c
		}
		if c := cmp.Compare(ra.Category, rb.Category); c != 0 {
			return c
		}
		if c := ra.Received.Compare(rb.Received); c != 0 {
			return c
		}
		return cmp.Compare(a, b)
	})
	for j := 1; j < len(idx); j++ {
		p, r := &recs[idx[j-1]], &recs[idx[j]]
		if r.CustomerID == "" || p.CustomerID != r.CustomerID || p.Category != r.Category {
			continue
		}
		if r.Received.Sub(p.Received) <= window {
			r.Repeat = true
		}
	}
}
