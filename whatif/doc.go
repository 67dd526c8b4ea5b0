// Package whatif replays ticket histories under two policy sets — the one in
// force and a proposal — and reports, per priority, how the breach rate, the
// mean time to deadline and the compensation cost would change. It is the
// shared definition of those figures: the in-process policy check
// (examples/policycheck) and the Apache Beam pipeline (examples/beam) both
// call it, so they cannot disagree.
//
// # Shape
//
// A [Config] names two Sides (an SLA policy set, the SLA metric to measure, and
// optionally a compensation policy) and the as-of instant. New compiles it into
// a [Replay], which is immutable and plays the part of a distributed engine's
// combine function:
//
//	evaluate  replay.Evaluate(&ticket)        // one ticket → Outcome (both sides)
//	create    replay.NewAccumulator()
//	add       acc.Add(&ticket)                // or acc.AddOutcome(&outcome)
//	merge     acc.Merge(other)                // exact, any order, any split
//	extract   acc.Result()                    // per-priority Differences
//	coder     acc.MarshalBinary() / replay.Decode(b)
//
// Ticket histories travel as newline-delimited JSON (one [Ticket] per line:
// [ReadNDJSON], [DecodeTicket], [AppendNDJSON]). Package
// [github.com/closeloop/closeloop/whatif/whatiftest] generates deterministic
// histories of any size and holds the sample comparison below, for tests
// and demonstrations.
//
// # Definitions
//
// Each ticket is evaluated with [sla.PolicySet.EvaluateInto] at the as-of
// instant ([Config.AsOf], or, when that is zero, the ticket's own last timeline
// entry), once per side. Its group is its priority at the end of the timeline
// (the last priority change, else the opening priority): "P0".."P3", anything
// else "other". The measured metric is the report's metric named [Side.Metric].
// Its verdict:
//
//	failed        the evaluation or the pricing returned an error (a bad
//	              timeline, a compensation input missing); counted only as failed
//	not_measured  no policy matched, or the matched policy lacks the metric
//	no_target     the metric has no target for the ticket's priority
//	breached      at least one cycle breached (stopped at or after its deadline,
//	              or still running past it)
//	met           no cycle breached and at least one stopped in time
//	open          no cycle finished yet (pending, running or paused in time)
//
// The figures of one side in one group:
//
//	figure              definition (edge cases)
//	------------------  -------------------------------------------------------
//	breach rate         breached ÷ (met + breached) — due clocks only, as the
//	                    SLA achievement of package metrics (achievement = 1 −
//	                    breach rate); "no data" when nothing is due
//	time to deadline    mean of Deadline − Start of the measured metric's
//	                    current cycle (wall-clock time, pauses included, as a
//	                    customer waits), over tickets with a start and a
//	                    deadline; exact 128-bit sum, rounded to the nanosecond
//	compensation cost   sum over tickets of the largest money option (cash,
//	                    credit, voucher) of the side's compensation offer, in
//	                    minor units of its currency — what the offers could
//	                    cost at most; points, days and services cost nothing
//
// Differences are proposed − current: breach rate in percentage points, time
// to deadline as a duration, cost in minor units; each has an ok flag that is
// false when either side has no data (or, for cost, when the currencies differ
// or a side prices nothing).
//
// Pricing. Every evaluated ticket (not only breached ones) is priced, so that
// schedules on other inputs — an economic loss — count too, with the
// compensation policy's amount-only path ([compensation.Policy.MaxAmount]).
// The claim carries the ticket's ID, customer, tier ([sla.Attributes.Tier]),
// priority at the as-of instant, and the inputs the side's compensation
// policy reads (compensation is strict about inputs): of the ticket's own
// [ClaimInputs], and of the SLA report the duration "<metric>_overrun" =
// [sla.MetricReport.Late] (zero when not breached), as feedback.Rules.OfferAt
// fills them. Claim inputs one side's policy does not read are left out of
// that side's claim rather than refused, since the two sides may read
// different inputs. The complaint-goodwill preset reads "resolution_overrun".
// Nothing already granted is passed, so period caps start empty for every
// ticket.
//
// # Exact merging and serialisation
//
// All state is integer: per group and side, counts by verdict, the number and
// 128-bit sum of times to deadline, compensated tickets and cost. Merge adds
// them, so any split of the tickets, merged in any order, gives the same
// [Result] as one pass. [Accumulator.MarshalBinary] writes "CLWI", a format
// version, a fingerprint of the configuration, varints and a CRC-32C; Decode
// checks all of it and the invariants Add keeps (verdicts add up to tickets,
// ...): damage is [ErrCorrupt], state of another comparison [ErrMismatch],
// another format [ErrVersion]. Decoding never panics (fuzzed).
//
// # Purity
//
// Nothing here reads a clock, starts a goroutine or keeps global state; the
// same tickets and configuration give the same Result on every machine.
//
// # Worked example
//
// Under the sample comparison (whatiftest.SampleConfig, office hours 09–12 and
// 13–18 Shanghai time, Monday to Friday), a P1 ticket received Monday
// 2024-03-04 at 09:00 and resolved Tuesday at 17:00 has counted 15 business
// hours. The current 16-hour target puts its deadline at Tuesday 18:00: met,
// 33 h from start to deadline. The proposed 8-hour target puts it at Monday
// 18:00: breached, 9 h to deadline. A P2 ticket received Monday at 10:00 and
// resolved Friday at 15:00 is met under 5 working days (due the next Monday at
// 18:00, 176 h) and breached under 3 (due Thursday at 18:00, 80 h). For the P1
// group the breach rate goes from 0 % to 100 % (+100 points) and the time to
// deadline falls by 24 h. Neither overrun reaches the goodwill preset's
// 24-hour voucher band, so the cost stays 0.00 CNY. ExampleReplay runs this.
package whatif
