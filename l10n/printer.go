package l10n

import (
	"strconv"
	"strings"
	"time"

	"golang.org/x/text/language"
	"golang.org/x/text/message"
)

// The supported languages.
var (
	// English is the fallback for every tag that is not Chinese.
	English = language.English
	// Chinese is Simplified Chinese (zh-Hans), chosen for every Chinese tag.
	Chinese = language.SimplifiedChinese
)

// Languages returns the supported languages, English first (the fallback).
func Languages() []language.Tag { return []language.Tag{English, Chinese} }

// matcher picks a supported language; built once, read-only afterwards.
var matcher = language.NewMatcher(Languages())

// Match returns the supported language that serves the preferred tags
// best, in order of preference: Chinese for any Chinese tag (zh-TW and
// zh-Hant included: Simplified reads better to them than English),
// English for everything else and when no tag is given.
func Match(preferred ...language.Tag) language.Tag {
	if len(preferred) == 0 {
		return English
	}
	_, i, conf := matcher.Match(preferred...)
	if conf == language.No {
		return English
	}
	return Languages()[i]
}

// MatchAccept is [Match] for an HTTP Accept-Language header or a list such
// as "zh-CN,zh;q=0.9,en;q=0.8". A header that does not parse gives English.
func MatchAccept(accept string) language.Tag {
	tags, _, err := language.ParseAcceptLanguage(accept)
	if err != nil {
		return English
	}
	return Match(tags...)
}

// Printer renders values in one language. It is immutable and safe for
// concurrent use; [New] returns one of two shared Printers.
type Printer struct {
	tag language.Tag
	zh  bool
	p   *message.Printer
}

// printers are the two Printers, built at init with the catalog and never
// changed afterwards (no mutable global state).
var printers = map[bool]*Printer{
	false: {tag: English, p: message.NewPrinter(English, message.Catalog(cat))},
	true:  {tag: Chinese, zh: true, p: message.NewPrinter(Chinese, message.Catalog(cat))},
}

// New returns the [Printer] for the supported language that best serves the
// preferred tags (see [Match]).
func New(preferred ...language.Tag) *Printer {
	return printers[Match(preferred...) == Chinese]
}

// Language returns the printer's language: English or Chinese.
func (p *Printer) Language() language.Tag { return p.tag }

// t formats the catalog message key with args. Numbers are passed as
// strings (itoa) so that no locale grouping changes identifiers and
// values ("1000", not "1,000").
func (p *Printer) t(key string, args ...any) string { return p.p.Sprintf(key, args...) }

func itoa[T ~int | ~int64](v T) string { return strconv.FormatInt(int64(v), 10) }

// Term returns a text of the presets' rules data (a scale label, an
// override or level name, a default state label, a preset progress node
// label) in the printer's language, whichever language it is written
// in; any other text is returned as given.
func (p *Printer) Term(s string) string {
	if tr, ok := termIndex[s]; ok {
		if p.zh {
			return tr.zh
		}
		return tr.en
	}
	return s
}

// Duration writes d rounded to the minute ("47h40m", "5h30m", "45m"; "30s"
// under a minute, "0m" for zero; in Chinese "47小时40分钟"), the format
// rules documents and scenario files accept. Hours are not turned into
// days ("72h", as SLA targets are written), except whole days from a week
// up ("7d", "30d"; "30天").
func (p *Printer) Duration(d time.Duration) string {
	sign := ""
	if d < 0 {
		sign, d = "-", -d
	}
	if d > 0 && d < time.Minute {
		return sign + p.t("dur.s", itoa(int64(d.Round(time.Second)/time.Second)))
	}
	d = d.Round(time.Minute)
	const day = 24 * time.Hour
	if d >= 7*day && d%day == 0 {
		return sign + p.t("dur.d", itoa(int64(d/day)))
	}
	h, m := int64(d/time.Hour), int64(d%time.Hour/time.Minute)
	switch {
	case h == 0:
		return sign + p.t("dur.m", itoa(m))
	case m == 0:
		return sign + p.t("dur.h", itoa(h))
	}
	return sign + p.t("dur.hm", itoa(h), itoa(m))
}

// when writes an instant in loc (nil: its own location) with layout.
func when(t time.Time, loc *time.Location, layout string) string {
	if loc != nil {
		t = t.In(loc)
	}
	return t.Format(layout)
}

const (
	short = "01-02 15:04"
	long  = "2006-01-02 15:04"
)

// list joins items with the language's list separator.
func (p *Printer) list(items []string) string {
	if p.zh {
		return strings.Join(items, "、")
	}
	return strings.Join(items, ", ")
}

// quote puts a name in the language's quotation marks.
func (p *Printer) quote(s string) string {
	if p.zh {
		return "“" + s + "”"
	}
	return strconv.Quote(s)
}
