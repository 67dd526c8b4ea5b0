// Package risk estimates, for an open ticket, the probability that each
// running SLA clock breaches its target, from the historical distribution of
// the metric's duration among tickets like it, and ranks a queue by that
// probability. It is what ServiceNow sells as breach prediction, built on
// the distributions closeloop's KPI accumulators already keep (package
// metrics) and the exact remaining time of the SLA report (package sla).
//
// # Shape
//
//	build    model, err := risk.FromAccumulator(cfg, acc, levels...)  // or risk.New(cfg, results...)
//	estimate risks, err := model.Risk(&facts, report)                // per metric of the report
//	explain  risks[i].Explain()                                       // the group used, and the fallbacks
//	rank     list := risk.Rank(items)                                 // a queue, riskiest first
//
// A Model is immutable and safe for concurrent use; it keeps no clock and
// starts no goroutine. Risk reads only its arguments.
//
// # The estimate
//
// A running or paused clock has counted e = MetricReport.Elapsed and has
// r = MetricReport.Remaining left before its deadline. With D the total
// counted duration of the metric for tickets of the ticket's group, the
// clock breaches when D > e + r (a clock that stops exactly on its deadline
// is met, as in package sla), and it is known that D > e (it is still
// open). So
//
//	P(breach) = P(D > e + r | D > e) = #{D > e + r} ÷ #{D > e}
//
// counted over the historical durations of the group (MetricRisk.Breaching
// ÷ MetricRisk.Group.Longer). The durations are those the group's
// metrics.DurationStats represents: New reads each distribution once
// through DurationStats.Steps, the value at every rank as Quantile gives
// it (an exact step function of the sketch's sample, every value within
// the sketch's relative accuracy, 1 % by default, of the true duration at
// that rank).
//
// Other statuses: a breached clock is certain (Basis Certain, probability
// 1); a met or cancelled clock, or one without a target, cannot breach
// (NoRisk, 0); a pending clock has not started (NotStarted, no estimate).
// A clock of a kind without a distribution (see below) is NoDistribution.
//
// # Which distribution
//
// DefaultSource maps a clock to a distribution by kind and target unit:
// first_response and resolution clocks with business or working-days
// targets read the business-time distributions (metrics.Group's
// FirstResponseBusiness, ResolutionBusiness), with elapsed targets the
// wall-clock ones (FirstResponseElapsed, ResolutionElapsed). Config.Sources
// maps other metrics by name (a custom metric that measures resolution, an
// internal target). Other kinds (follow_up, periodic_update, next_reply,
// time_in_stage, custom) have no distribution in metrics.Group and are not
// estimated unless mapped.
//
// # Levels and fallback
//
// A model has up to MaxLevels levels, finest first, each the groups of one
// KPI result (say priority+category+team, then priority+category, then
// priority), and a final "all tickets" level (the last result's Total)
// unless the last level is grouped by nothing. For each clock, levels are
// tried in order with the ticket's values for their dimensions (read from a
// metrics.Record, as metrics.RecordFromTicket fills it); a level's group is
// used when
//
//   - it exists (else NoGroup),
//   - it holds at least Config.MinSamples durations of the metric (default
//     DefaultMinSamples = 30; else FewTickets), and
//   - at least Config.MinLonger of them are longer than e (default
//     DefaultMinLonger = 10; else FewLonger): the estimate is a ratio over
//     those tickets, and a clock already open longer than most of a small
//     group's history needs a larger group behind it.
//
// The groups passed over are reported in MetricRisk.Passed with the
// shortfall and the threshold; Explain writes them out, as "priority P1 /
// category battery / team east: 12 tickets < 30; fell back to priority P1 /
// category battery: 52 of 140 lasted longer than 2h0m0s, 22 of those longer
// than 6h0m0s". When no level qualifies, the group with the most durations
// longer than e is used all the same and the result is marked Thin; when no
// group has any duration longer than e, nothing can be said (BeyondHistory).
//
// # Assumptions and limits
//
//   - Finished histories. The distributions must count every ticket of a
//     cohort whose clocks have all stopped (say, tickets received in a
//     quarter that ended well before the longest target). Durations of
//     clocks still running are not in metrics' distributions, so a recent
//     cohort under-represents long durations and understates risk
//     (right-censoring).
//   - Stationarity. The history stands for the future: a change of staffing,
//     volume, policy or calendar since then is not seen.
//   - Counted time. The report's Elapsed and Remaining are counted time:
//     business time on the target's calendar for business and working-days
//     targets, wall time for elapsed ones, pauses excluded. The business
//     durations metrics.RecordFromTicket records are the same clocks'
//     counted time, so the two match. The elapsed distributions are wall
//     time from Received to the first response or resolution, pauses
//     included: for an elapsed-unit clock that has paused, the estimate
//     overstates the risk.
//   - Pauses. A paused clock is estimated as if counting resumed: how long
//     the pause lasts does not matter because it does not count; the
//     estimate is the probability of breaching once it counts again.
//   - Working days. The report converts a working-days target to the
//     business time up to its deadline on the target's calendar (Elapsed +
//     Remaining is that business time), so it is compared with the
//     business-time distribution as is; the distribution should be on the
//     same calendar's business time.
//   - Cycles and changes. e is the current cycle's counted time and the
//     distribution is of whole clocks from receipt; a clock restarted by a
//     reopening or priority change is treated like a fresh one. The group
//     is found with the ticket's current dimension values; historical
//     records carry their final ones.
//   - Extensions. Remaining includes any moved deadline (Extension), so the
//     estimate is against the deadline in force.
//   - Small groups. The ratio over few tickets is noisy, and the noise
//     shows as over-confidence at the extremes; the thresholds bound it.
//     In the package's backtest (generated histories with lognormal laws
//     per priority, category and team, 160 groups), predicted and observed
//     breach rates agree within 5 percentage points in every decile with
//     150,000 historical tickets. With 3,000 (TestBacktestThinHistory) the
//     top decile is 7.5 points over-confident under the default
//     thresholds; MinSamples 100 and MinLonger 30 bring every decile to
//     within about 5 points (the worst −5.0) at a worse Brier score (0.210
//     against 0.203; the priority's breach rate scores 0.254).
//
// # Ranking
//
// Rank takes a queue (ticket identifiers with their MetricRisks) and returns
// each ticket that can breach once, with its riskiest clock: highest
// probability first (breached clocks at the top), ties by the nearer
// deadline, then by ticket; clocks without an estimate follow. It is a pure
// function: no goroutines, no clock.
//
// # Cost
//
// New reads each distribution of each group once, one visit per bin of its
// sketch (metrics.DurationStats.Steps) — microseconds per group. Risk
// does two binary searches per clock and level tried, and allocates only
// its result (RiskInto reuses one) and, when a clock falls back, the list
// of groups passed over.
package risk
