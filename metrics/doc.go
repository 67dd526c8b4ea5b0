// Package metrics computes the KPIs of closed-loop feedback handling —
// satisfaction, NPS, effort, first-contact resolution, response and
// resolution times, SLA achievement, reopen, repeat, closure and follow-up
// rates, complaint rate, backlog aging, compensation cost — with exact
// definitions, in accumulators that merge exactly, so that the same
// figures come out whether a month of tickets is counted on one machine or
// in a thousand shards.
//
// # Shape
//
// The input is a flat [Record] per ticket (the host, or an adapter from
// package feedback, fills it as of the report's instant). A [Config] says
// how to group and count; [New] compiles it into an [Aggregator], which is
// immutable and plays the part of a distributed engine's combine function:
//
//	create   agg.NewAccumulator()
//	add      acc.Add(&record)               // 0 allocations in steady state
//	merge    acc.Merge(other)               // exact, any order, any split
//	extract  acc.Result()                   // plain Go values
//	coder    acc.MarshalBinary() / agg.Decode(b)
//
// [Accumulator.Rollup] re-groups state by fewer dimensions or a coarser
// period, exactly, so one pass at the finest grouping serves every
// drill-down. Results render with [WriteMarkdown], [WriteCSV] and
// [WriteJSON].
// [CrossTab] and [HourOfWeek] are two further mergeable accumulators for
// heat maps. Analyses work on results: [Result.Trends], [Result.TopN],
// [Result.PersistentTop], [CompareUnits], [HoltWinters], [Apriori].
// Package [github.com/closeloop/closeloop/metrics/metricstest] makes
// deterministic synthetic records for tests, examples and load runs.
//
// # Definitions
//
// Every ratio is a [Ratio] with its numerator and denominator; a zero
// denominator is "no data" (Value reports ok == false, JSON writes null,
// text writes "no data") — never NaN, never a division by zero. Means are
// [Mean] values with their count, "no data" at N == 0. Counts are over the
// records of the group.
//
//	figure                 numerator ÷ denominator (edge cases)
//	---------------------  -----------------------------------------------------------
//	share                  the group's records ÷ all records of the same period
//	                       (all records without periods): distribution by
//	                       type, channel, ...
//	CSAT                   answers in Config.CSATSatisfied (default 4 and 5)
//	                       ÷ records with a CSAT answer 1..5 (0 = unanswered)
//	mean satisfaction      sum of CSAT answers ÷ number of answers
//	NPS                    100·(promoters 9–10 − detractors 0–6) ÷ answers
//	                       (only records with NPSAnswered; passives 7–8 count in
//	                       the denominator), in [−100, 100]
//	CES                    mean customer-effort answer, 1..7 (0 = unanswered)
//	first-contact res.     resolved records with FirstContactResolved
//	                       ÷ resolved records (Resolved set)
//	closure rate           records with Closed set ÷ all records
//	reopen rate            records with ReopenCount > 0 ÷ records ever
//	                       resolved (Resolved set or ReopenCount > 0);
//	                       Reopens is the total of ReopenCount
//	repeat-feedback rate   records with Repeat ÷ records with a CustomerID
//	                       (anonymous feedback cannot repeat); MarkRepeats sets
//	                       Repeat: same customer, same category, at most the
//	                       window after an earlier record (window inclusive;
//	                       of identical instants the first in slice order is
//	                       the original)
//	follow-up completion   FollowUpDone ÷ (FollowUpDone + FollowUpPending)
//	survey response rate   records with SurveySent and any answer (CSAT, NPS
//	                       or CES) ÷ records with SurveySent — the
//	                       documents' "collection rate"
//	complaint rate         records whose Kind is in Config.ComplaintKinds
//	                       (default "complaint") ÷ an exposure the host gives
//	                       per group through Result.SetExposure (orders,
//	                       active customers...); exposure ≤ 0 is no data
//	SLA achievement        per metric (Config.SLAMetrics) and per priority
//	                       P0..P3/"other": met ÷ (met + breached), i.e. ÷
//	                       clocks that are due because they stopped. A clock
//	                       that stopped exactly on its deadline is met
//	                       (SLAStatusAt). Running clocks do not count here.
//	open-and-breached      open-breached ÷ (open + open-breached): clocks still
//	                       running at the as-of instant whose deadline is at
//	                       or before it
//	backlog                records with Received ≤ AsOf and not Closed by
//	                       AsOf (Closed zero or after AsOf); only with
//	                       Config.AsOf set
//	aging buckets          backlog by age AsOf − Received against
//	                       Config.AgingEdges: bucket i holds edge[i−1] ≤ age <
//	                       edge[i]; defaults <1d, 1d–3d, 3d–7d, 7d–30d, ≥30d
//	compensation cost      sum of CompensationMinor per Currency, in integer
//	                       minor units, with the number of records
//	composite index        Σ w(channel, d)·score(d) ÷ Σ w(channel, d) over every
//	                       record and every answered dimension d (SatDims 1..5)
//	                       — a weighted mean on the 1..5 scale with the
//	                       weights of each record's own channel
//	                       (CompositeSpec, weights used to 1e-4); Composite100
//	                       maps it to 0..100. Per-dimension means are plain.
//
// Durations. First response = FirstResponse − Received, resolution =
// Resolved − Received (elapsed, wall-clock time); the business variants are
// the host's FirstResponseBusiness and ResolutionBusiness (measured on the
// ticket's calendar), counted when BusinessTimes is true and the matching
// instant is set. Negative durations, and durations of a record without
// Received, are skipped as invalid. N, mean (rounded to the nanosecond,
// from an exact 128-bit sum), min and max are exact. Quantiles — median,
// p90, any q via [DurationStats.Quantile] — are the value at rank q·(N−1)
// (rounded down, counting from 0) of the sorted durations, estimated by a DDSketch:
// the index mapping is github.com/DataDog/sketches-go v1.4.8's cubically
// interpolated one, the bins are exact integer counts in a store of this
// package (dense where durations cluster, sparse where they scatter), and
// the quantile is the library's algorithm over them, to the bit. The
// returned value is within the configured relative accuracy
// ([Config.RelativeAccuracy], default 1 %) of the true value at that rank,
// clamped to [min, max]; q = 0 and q = 1 return the exact min and max. Zero
// durations are counted exactly. Instants must lie between the years 1678
// and 2262 ([time.Time.UnixNano]).
//
// Invalid fields (a CSAT of 9, an NPS of 11, a CES of 8, an SLA status or
// follow-up state out of range, a negative duration) are skipped and
// counted in [Result.Invalid]; the rest of the record still counts.
//
// # Grouping and periods
//
// [Config.GroupBy] names up to four dimensions (kind, category, channel,
// priority, tier, region, team, agent, business line, four custom ones);
// each distinct combination of values is a group ("" is a value like any
// other). [Config.Period] additionally splits by the day, ISO 8601 week
// (Monday–Sunday, labelled "2024-W10" with the ISO year), month or quarter
// of Received in [Config.Location]. Groups come out sorted by key values
// (byte-wise) and then period; [Result.Total] is every record.
// Result.Trends lays each key out over every period from the first to the
// last, gaps as empty groups, with the period-over-period change
// 100·(cur − prev)/|prev| (no data when prev is 0 or either is no data).
// Result.TopN ranks groups per period, highest first, ties by key;
// Result.PersistentTop reports every run of at least k consecutive periods
// in the top n ("top 5 for 3 consecutive months"), longest first.
//
// # Goals
//
// Reviews state goals as thresholds ("satisfaction ≥ 90 %", "closure rate
// 100 %") or as changes against a baseline period ("CSAT +15 %",
// "complaints −20 %", "response time −50 %"); [EvaluateGoals] checks a list
// of [Goal] values on two groups and says which were met.
//
// # Comparing units
//
// CompareUnits takes one [Sample] (N, mean, unbiased variance) per unit —
// [Group.SatisfactionSample] and [Group.NPSSample] give exact ones from the
// answer histograms, [SampleOf] from raw values — and reports each unit's
// mean, SD, z-score of its mean among the unit means, and a one-sided
// Welch's t-test of the unit against all other units pooled ("this unit is
// lower"). The t distribution's CDF is computed via the regularized
// incomplete beta function (Lentz's continued fraction; no dependency
// beyond the standard library). P-values are adjusted
// for the number of units tested (the caller chooses [Holm],
// [BenjaminiHochberg] or [Bonferroni]); a unit is Below when its adjusted p is
// under alpha. Units with fewer than two observations, or with no variance
// on either side, are not tested.
//
// # Heat maps and forecasts
//
// CrossTab counts records by two dimensions and a slot of the day (type ×
// channel × time slot) and extracts a [HeatMap] (a dense cube plus a flat
// list of cells). HourOfWeek counts by weekday and hour in a time zone —
// the staffing view in which the evening peak shows. HoltWinters fits an
// additive Holt–Winters model with a season (7 for daily counts: a weekly
// season) by grid search on the training part, forecasts the held-out
// tail and reports MAE, RMSE, MAPE and the seasonal-naive MAE as a
// baseline, then forecasts the next periods from the whole series.
//
// # Co-occurring problems
//
// Apriori mines tag sets with support ≥ minSupport and rules If ⇒ Then with
// confidence ≥ minConfidence: support = count(If ∪ Then) ÷ transactions,
// confidence = count(If ∪ Then) ÷ count(If), lift = confidence ÷
// support(Then).
//
// # Exact merging and serialisation
//
// All accumulator state is integer: counters, histograms, 128-bit duration
// sums, min/max and the DDSketch's bin counts (integral). Merge adds them,
// so any split of the records into shards, merged in any order, yields the
// same [Result] as one pass — quantiles included, since they depend only on
// the bin counts (a property test checks random splits, merge orders and
// round trips through the codec). MarshalBinary writes a versioned
// envelope — "CLMA", format version, accumulator kind, a fingerprint of
// the configuration, varint payload, CRC-32C — and Decode verifies all of
// it plus every invariant Add maintains (answers never exceed tickets,
// sketch totals equal counts, ...). Decoding never panics (fuzzed).
//
// # Ranges, overflow and merging
//
// Counts are int64 and never wrap. An accumulator counts at most
// [MaxRecords] (2^53) records, so every count is also exact as a float64
// and every sum of counts fits; Add cannot reach it, Merge refuses to
// exceed it. The sums a record can add more than one to are bounded over
// the whole accumulator: the reopen counts, the composite index's weighted
// sums and, per currency, the magnitudes of the groups' compensation
// totals stay at most 2^63−1, so no group, roll-up or result total can
// leave int64 either. Add skips a reopen count, compensation or composite
// contribution that would break that (counting it in Result.Invalid, the
// record counting as not reopened, uncompensated or without a composite
// answer), and compensation in a currency beyond [MaxCurrencies] (64). Merge
// refuses — it does not saturate, which would make figures silently wrong
// — with an *[OverflowError] ([ErrOverflow]) or [ErrLimit], checking before it
// changes anything, so the receiver is unchanged on error. Merges of
// CrossTab and HourOfWeek refuse more than MaxRecords records the same way.
//
// # Decoding limits
//
// The decoders ([Aggregator.Decode], [Accumulator.UnmarshalBinary],
// [CrossTab.UnmarshalBinary], [HourOfWeek.UnmarshalBinary]) take untrusted
// input. Every refusal is a *[DecodeError] naming the element (Path, e.g.
// "groups[12].csat", "groups[0].resolution_elapsed.bins[4]") and its byte
// Offset, wrapping [ErrCorrupt] (damaged or inconsistent), [ErrVersion],
// [ErrMismatch] (another configuration), ErrLimit or ErrOverflow. Their
// limits, each checked before anything is allocated for it:
//
//	input               at most MaxEncodedLen (1 GiB); MarshalBinary refuses
//	                    to write more
//	varints             shortest form only, so an accepted encoding
//	                    re-encodes to the same bytes
//	strings             at most GroupBy dimensions × groups the rest can hold
//	                    (a third of the rest for a cross-tab); distinct; each
//	                    the key value of some group (cell)
//	groups              at most what the rest can hold at the configuration's
//	                    shortest group (a byte per key id, period, counter,
//	                    currency count and duration); distinct keys; each at
//	                    least one ticket; periods must be period starts
//	counters            0 ≤ count ≤ 2^63−1; buckets sum exactly to their
//	                    total (tickets, backlog) without wrapping; every
//	                    subset bounded by its superset (FCR ≤ resolved ≤ ever
//	                    resolved ≤ tickets, ...); satisfaction sums 1–5 per
//	                    answer; invalid fields at most 16 per record
//	records             at most MaxRecords in all (ErrOverflow); reopen counts,
//	                    composite sums and compensation magnitudes at most
//	                    2^63−1 in all
//	currencies          at most MaxCurrencies per accumulator and the group's
//	                    tickets per group; distinct; counts ≥ 1 and at most
//	                    the group's tickets in all
//	durations           n ≤ tickets (resolution times ≤ resolved); min ≤ max;
//	                    128-bit sum between n·min and n·max; zero durations
//	                    only with min 0
//	sketch bins         at most min(n − zero count, half the bytes left, the
//	                    indexes from 1 ns to 2^63−1 ns); indexes strictly
//	                    ascending within that range; counts ≥ 1 summing to
//	                    n − zero count; the bins of min and max present
//	cross-tab cells     at most a quarter of the bytes left; ascending; counts
//	                    ≥ 1, at most MaxRecords in all
//	hour-of-week        168 counts, at most MaxRecords in all
//
// Decoding allocates at most 16 bytes per input byte plus 64 KiB; the
// tests feed each decoder its worst inputs (the most groups per byte, the
// most strings, currencies, sketch bins and cells per byte, counts that
// claim more than the input holds) and hold it to that. A decoded sketch
// keeps its bins in the smaller of two forms — a dense array over the span
// of its indexes, or sorted index and count pairs — never the whole index
// range, so durations from 1 ns to 292 years in one sketch cost two bins.
//
// # Speed
//
// Add touches only fixed-size integer state: the group is found by the
// addresses of the record's dimension strings in a small cache (behind it,
// interned ids and an open-addressing table), periods in a cache of
// boundaries, sketch indexes in a 12 KB table that gives exactly the
// library's index (see index.go), and sketch bins in dense uint32 arrays;
// in steady state it allocates nothing. BenchmarkAccumulate (the core KPIs
// grouped by channel and priority, about 65–100 ns a record) takes about a
// quarter of the time of BenchmarkAccumulateBaseline, a map-and-public-API
// version of the same work with sketches-go's own DDSketch, in the same
// run (0.25–0.30 on a shared 2-core VM). Memory is about
// 10–15 KB per group with the default configuration, mostly sketch bins
// (a decoded accumulator holds its bins without slack, and less).
//
// # Worked example
//
// Two phone tickets: one answered in 30 minutes, met its SLA, CSAT 5; one
// answered in 90 minutes, breached, CSAT 3. Then CSAT = 1 satisfied ÷ 2
// answers = 50 %, mean satisfaction 4.00, mean first response 1h0m0s, SLA
// first-response achievement 1 met ÷ 2 due = 50 %. An app ticket with only
// an NPS of 10 has NPS +100 and CSAT "no data" (see Example).
package metrics
