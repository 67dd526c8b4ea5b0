// Package l10n renders closeloop's structured values as text in Chinese
// (zh-Hans) or English: priority reasons, effects, SLA statuses, targets
// and metric reports, errors, and the customer's progress view.
//
// It is a layer over the other packages' values, not a change to them:
// codes, field names, JSON and the packages' own String and Error methods
// stay as they are (English, stable, for programs and logs); a [Printer]
// gives the words a person reads, in the language they read.
//
//	p := l10n.New(language.SimplifiedChinese)
//	p.Reason(reason)            // "紧急程度 3（high: daily use affected）：+20 分"
//	p.Effect(effect, loc)       // "告警 第1级：首次响应：senior_management（自 03-04 09:30）"
//	p.Metric(metricReport, loc) // "解决：已暂停，目标 5个工作日（cn-office 日历），截止 03-11 11:30，剩余37小时（工作时间）"
//	p.Error(err)                // "位置 $.calendars[0].time_zone：…"
//	p.ProgressView(view, loc)   // the same line as ProgressView.Text, or its English
//
// # Languages
//
// Two languages are complete: English (en) and Simplified Chinese
// (zh-Hans). [New], [Match] and [MatchAccept] pick one of them for any tag
// with [golang.org/x/text/language]'s matcher: every Chinese tag (zh, zh-CN,
// zh-TW, zh-Hant, …) gets Chinese, every other tag, and an unparsable
// Accept-Language header, gets English. The messages live in a
// [golang.org/x/text/message] catalog; the tests check that every message
// has both languages, with the same arguments, and that the code uses no
// message the catalog lacks.
//
// # What is translated, and what is shown as given
//
// The library's own words are translated: statuses, units, metric kinds,
// reason and effect templates, guard and state names, flags, quadrants,
// the sentinel errors of every package and the typed errors' templates.
// Rules data is the rules owner's text and is shown as written (team
// names, warning and escalation names, custom metric names, node labels of
// a host's own lifecycle), except the presets' own texts — the scale
// labels, override names and level names of the priority presets, the
// default lifecycle's state labels and the progress nodes of documents 000
// and 004 (closeloop's source documents, which docs/documents.md in the
// repository describes:
// https://github.com/closeloop/closeloop/blob/main/docs/documents.md) —
// which the catalog knows in both languages.
//
// Errors: [Printer.Error] finds the packages' typed errors with [errors.As]
// and their sentinels with [errors.Is] and writes their structured parts
// (path, field, state, trigger, unmet guards, value, range) in the
// language. The free-form detail a package composes at run time after a
// sentinel ("invalid duration: \"5x\" is not a Go duration") is not a
// catalog message: the sentinel's words are translated and the detail is
// kept as the package wrote it. In English, Error returns the package's
// own text for those.
//
// # Times and durations
//
// Instants are written in the location passed (nil: each instant's own),
// "01-02 15:04" in progress views and metric lines, "2006-01-02 15:04"
// where a year matters. Durations have one format in both languages, the
// one rules documents and scenario files accept, rounded to the minute
// ("47h40m", "5h30m", "45m"; under a minute "30s"; whole days from a week
// up "7d", "30d"); in Chinese "47小时40分钟". Remaining time on a business
// calendar says so ("37h left in working hours").
//
// # Purity
//
// The catalog and the two Printers are built once when the package is
// initialised and never change afterwards: a Printer is immutable and
// safe for concurrent use. Nothing reads the clock.
package l10n
