// Package utcjson reads and writes instants in the one JSON form the
// hand-written decoders of snapshots (package feedback) and what-if
// tickets (package whatif) accept: "YYYY-MM-DDTHH:MM:SS[.fffffffff]Z",
// years 1..9999, exactly as [time.Time.MarshalJSON] writes a UTC instant.
package utcjson

import "time"

// Parse parses "YYYY-MM-DDTHH:MM:SS[.fffffffff]Z" in years 1..9999 to the
// time.Time [time.Time.UnmarshalJSON] gives; when it cannot, it says what
// is wrong (problem is empty on success).
func Parse(s string) (t time.Time, problem string) {
	if t, ok := parseSeconds(s); ok {
		return t, ""
	}
	return parse(s)
}

// parseSeconds parses the form without a fraction, "YYYY-MM-DDTHH:MM:SSZ",
// the one Append writes for whole seconds, reading eight bytes at a time;
// it reports false for anything else, which parse then reads or refuses
// with its reason.
func parseSeconds(s string) (time.Time, bool) {
	if len(s) != len("2006-01-02T15:04:05Z") {
		return time.Time{}, false
	}
	const (
		// The digits of "YYYY-MM-" and "DDTHH:MM" (0xff), the
		// separators (their bytes) and '0' in place of the separators.
		digits0, seps0, zeros0 = 0x00ffff00ffffffff, 0x2d00002d00000000, 0x3000003000000000
		digits1, seps1, zeros1 = 0xffff00ffff00ffff, 0x00003a0000540000, 0x0000300000300000
	)
	w0, w1 := le64(s[0:8]), le64(s[8:16])
	if w0&^digits0 != seps0 || w1&^digits1 != seps1 || s[16] != ':' || s[19] != 'Z' {
		return time.Time{}, false
	}
	w0, w1 = w0&digits0|zeros0, w1&digits1|zeros1
	if !allDigits(w0) || !allDigits(w1) {
		return time.Time{}, false
	}
	s0, s1 := s[17]-'0', s[18]-'0'
	if s0 > 9 || s1 > 9 {
		return time.Time{}, false
	}
	// Each byte of p is ten times its digit plus the next one: the two-digit
	// numbers start at bytes 0, 2 and 5 of "YYYY-MM-", 0, 3 and 6 of
	// "DDTHH:MM".
	p0, p1 := pairs(w0-0x3030303030303030), pairs(w1-0x3030303030303030)
	year := int(p0&0xff)*100 + int(p0>>16&0xff)
	month, day := int(p0>>40&0xff), int(p1&0xff)
	hour, minute, sec := int(p1>>24&0xff), int(p1>>48&0xff), int(s0)*10+int(s1)
	if year < 1 || month < 1 || month > 12 || day < 1 || day > daysIn(month, year) || hour > 23 || minute > 59 || sec > 59 {
		return time.Time{}, false
	}
	secs := daysFromCivil(year, month, day)*86400 + int64(hour*3600+minute*60+sec)
	return time.Unix(secs, 0).UTC(), true
}

// le64 reads eight bytes, the first the lowest.
func le64(s string) uint64 {
	w := s[:8] // one bounds check, and one load
	return uint64(w[0]) | uint64(w[1])<<8 | uint64(w[2])<<16 | uint64(w[3])<<24 |
		uint64(w[4])<<32 | uint64(w[5])<<40 | uint64(w[6])<<48 | uint64(w[7])<<56
}

// allDigits reports whether all eight bytes of w are '0'..'9': each has
// the high nibble 3, and so does each plus 6 (a carry out of a byte needs
// a byte above 0xf9, which fails the first test).
func allDigits(w uint64) bool {
	const highs = 0xf0f0f0f0f0f0f0f0
	return w&highs|((w+0x0606060606060606)&highs)>>4 == 0x3333333333333333
}

// pairs turns eight digit values into eight two-digit numbers, byte i
// being 10 × digit i + digit i+1 (at most 99: nothing carries).
func pairs(d uint64) uint64 { return d*10 + d>>8 }

// parse is Parse for any form, saying what is wrong when it cannot.
func parse(s string) (t time.Time, problem string) {
	const form = "want YYYY-MM-DDTHH:MM:SS[.fffffffff]Z"
	if len(s) < len("2006-01-02T15:04:05Z") || s[4] != '-' || s[7] != '-' || s[10] != 'T' || s[13] != ':' || s[16] != ':' {
		return time.Time{}, form
	}
	year, month, day, hour, minute, sec, ok := dateTime(s)
	switch {
	case !ok:
		return time.Time{}, form
	case year < 1:
		return time.Time{}, "outside the years 1..9999"
	case month < 1 || month > 12:
		return time.Time{}, "month out of range"
	case day < 1 || day > daysIn(month, year):
		return time.Time{}, "day out of range"
	case hour > 23 || minute > 59 || sec > 59:
		return time.Time{}, "time of day out of range"
	}
	rest := s[19:]
	nsec := 0
	if rest[0] == '.' {
		n := 1
		for n < len(rest) && rest[n] >= '0' && rest[n] <= '9' {
			n++
		}
		if n < 2 || n > 10 {
			return time.Time{}, "want 1 to 9 fractional digits"
		}
		nsec, _ = digits(rest[1:n])
		for range 10 - n {
			nsec *= 10
		}
		rest = rest[n:]
	}
	if rest != "Z" {
		return time.Time{}, "want UTC (a trailing Z) and nothing else"
	}
	secs := daysFromCivil(year, month, day)*86400 + int64(hour*3600+minute*60+sec)
	return time.Unix(secs, int64(nsec)).UTC(), "" // the value time.Date gives, for less work
}

// dateTime reads the digits of "YYYY-MM-DDTHH:MM:SS" (the separators
// checked by the caller) at once: a byte that is not a digit wraps below
// '0' or lands above '9', so one comparison checks each.
func dateTime(s string) (year, month, day, hour, minute, sec int, ok bool) {
	y0, y1, y2, y3 := s[0]-'0', s[1]-'0', s[2]-'0', s[3]-'0'
	m0, m1, d0, d1 := s[5]-'0', s[6]-'0', s[8]-'0', s[9]-'0'
	h0, h1, i0, i1, s0, s1 := s[11]-'0', s[12]-'0', s[14]-'0', s[15]-'0', s[17]-'0', s[18]-'0'
	if y0 > 9 || y1 > 9 || y2 > 9 || y3 > 9 || m0 > 9 || m1 > 9 || d0 > 9 || d1 > 9 ||
		h0 > 9 || h1 > 9 || i0 > 9 || i1 > 9 || s0 > 9 || s1 > 9 {
		return 0, 0, 0, 0, 0, 0, false
	}
	return int(y0)*1000 + int(y1)*100 + int(y2)*10 + int(y3), int(m0)*10 + int(m1), int(d0)*10 + int(d1),
		int(h0)*10 + int(h1), int(i0)*10 + int(i1), int(s0)*10 + int(s1), true
}

// digits reads a run of decimal digits (at most nine).
func digits(s string) (int, bool) {
	v := 0
	for i := 0; i < len(s); i++ {
		c := s[i] - '0'
		if c > 9 {
			return 0, false
		}
		v = v*10 + int(c)
	}
	return v, true
}

func daysIn(month, year int) int {
	switch month {
	case 2:
		if year%4 == 0 && (year%100 != 0 || year%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// daysFromCivil counts days from 1970-01-01 to the proleptic Gregorian date
// (Howard Hinnant's algorithm).
func daysFromCivil(y, m, d int) int64 {
	if m <= 2 {
		y--
	}
	era := y / 400 // y >= 0 here: years start at 1
	yoe := y - era*400
	mp := (m + 9) % 12
	doy := (153*mp+2)/5 + d - 1
	doe := yoe*365 + yoe/4 - yoe/100 + doy
	return int64(era)*146097 + int64(doe) - 719468
}

// civilFromDays is daysFromCivil's inverse.
func civilFromDays(z int64) (year, month, day int) {
	z += 719468
	era := z / 146097 // z >= 0 for years >= 1
	doe := z - era*146097
	yoe := (doe - doe/1460 + doe/36524 - doe/146096) / 365
	y := yoe + era*400
	doy := doe - (365*yoe + yoe/4 - yoe/100)
	mp := (5*doy + 2) / 153
	d := doy - (153*mp+2)/5 + 1
	m := mp + 3
	if m > 12 {
		m -= 12
	}
	if m <= 2 {
		y++
	}
	return int(y), int(m), int(d)
}

// Append appends t, which must be in years 1..9999, quoted as
// [time.Time.MarshalJSON] writes it in UTC.
func Append(b []byte, t time.Time) []byte {
	secs := t.Unix()
	days := secs / 86400
	rem := int(secs - days*86400)
	if rem < 0 {
		days--
		rem += 86400
	}
	y, m, dd := civilFromDays(days)
	b = append(b, '"',
		byte('0'+y/1000), byte('0'+y/100%10), byte('0'+y/10%10), byte('0'+y%10), '-',
		byte('0'+m/10), byte('0'+m%10), '-', byte('0'+dd/10), byte('0'+dd%10), 'T',
		byte('0'+rem/36000), byte('0'+rem/3600%10), ':',
		byte('0'+rem%3600/600), byte('0'+rem%3600/60%10), ':',
		byte('0'+rem%60/10), byte('0'+rem%10))
	if ns := t.Nanosecond(); ns != 0 {
		var frac [10]byte
		frac[0] = '.'
		n := 9
		for i := 9; i >= 1; i-- {
			frac[i] = byte('0' + ns%10)
			ns /= 10
		}
		for frac[n] == '0' {
			n--
		}
		b = append(b, frac[:n+1]...)
	}
	return append(b, 'Z', '"')
}
