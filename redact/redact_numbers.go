package redact

import "slices"

// Digit groups in normalized text (see normText and the Redactor doc).

// maxSepRun is the longest run of separators inside one digit group: " - "
// between two blocks of a phone number is three.
const maxSepRun = 3

// digitAt returns the value and width of the digit at t[i]: an ASCII digit
// (normalization has turned every other script's digits into ASCII) or a
// Chinese numeral (〇零一二三四五六七八九, and 幺 as 1 is read out in
// phone numbers); else -1.
func digitAt(t string, i int) (int, int) {
	b := t[i]
	if b >= '0' && b <= '9' {
		return int(b - '0'), 1
	}
	if b < 0xE3 || b > 0xE9 || i+2 >= len(t) {
		return -1, 0
	}
	switch t[i : i+3] {
	case "〇", "零":
		return 0, 3
	case "一", "幺":
		return 1, 3
	case "二":
		return 2, 3
	case "三":
		return 3, 3
	case "四":
		return 4, 3
	case "五":
		return 5, 3
	case "六":
		return 6, 3
	case "七":
		return 7, 3
	case "八":
		return 8, 3
	case "九":
		return 9, 3
	}
	return -1, 0
}

func isNumberSep(b byte) bool {
	return b == ' ' || b == '-' || b == '.' || b == '(' || b == ')' || b == '/' || b == ',' || b == '|'
}

func isASCIILetter(b byte) bool { return b >= 'a' && b <= 'z' || b >= 'A' && b <= 'Z' }

// digitPos is one digit of a group: eight bytes, as a group can be as long
// as the text.
type digitPos struct {
	at  int32
	val int8
	w   int8
	sep byte // the separator before the digit: 0 inside a block, sepMany for a run of several
}

const sepMany = 0xFF

// protectedDates returns the byte ranges of dates (YYYY-MM-DD, YYYY/MM/DD,
// YYYY.MM.DD with a year 1900–2099, optionally followed by " HH:MM" or
// " HH:MM:SS") that touch no other digit.
func protectedDates(text string) [][2]int {
	var out [][2]int
	num := func(i, min, max int) (int, int) { // value, end
		v, j := 0, i
		for j < len(text) && j-i < max && text[j] >= '0' && text[j] <= '9' {
			v = v*10 + int(text[j]-'0')
			j++
		}
		if j-i < min {
			return -1, i
		}
		return v, j
	}
	for i := 0; i+8 <= len(text); i++ {
		if text[i] < '0' || text[i] > '9' || (i > 0 && text[i-1] >= '0' && text[i-1] <= '9') {
			continue
		}
		year, j := num(i, 4, 4)
		if j != i+4 || j >= len(text) || year < 1900 || year > 2099 {
			continue
		}
		sep := text[j]
		if sep != '-' && sep != '/' && sep != '.' {
			continue
		}
		mo, k := num(j+1, 1, 2)
		if mo < 1 || mo > 12 || k >= len(text) || text[k] != sep {
			continue
		}
		d, e := num(k+1, 1, 2)
		if d < 1 || d > 31 || (e < len(text) && text[e] >= '0' && text[e] <= '9') {
			continue
		}
		end := e
		if e+1 < len(text) && (text[e] == ' ' || text[e] == 'T') {
			if h, x := num(e+1, 1, 2); h >= 0 && h < 24 && x < len(text) && text[x] == ':' {
				if mi, y := num(x+1, 2, 2); mi >= 0 && mi < 60 {
					z := y
					if y < len(text) && text[y] == ':' {
						if s, w := num(y+1, 2, 2); s >= 0 && s < 61 {
							z = w
						}
					}
					if z >= len(text) || text[z] < '0' || text[z] > '9' {
						end = z
					}
				}
			}
		}
		out = append(out, [2]int{i, end})
		i = end - 1
	}
	return out
}

// groups calls f for each digit group of t (a '+' before its first digit
// included), skipping the bytes protected.
func groups(t string, protected []bool, f func(start, end int, plus bool, d []digitPos)) {
	inProt := func(i int) bool { return protected != nil && protected[i] }
	var digits []digitPos
	for i := 0; i < len(t); {
		v, _ := digitAt(t, i)
		plus := false
		if v < 0 && t[i] == '+' && i+1 < len(t) && !inProt(i+1) {
			if v2, _ := digitAt(t, i+1); v2 >= 0 {
				plus = true
			}
		}
		if (v < 0 && !plus) || inProt(i) {
			i++
			continue
		}
		start := i
		if plus {
			i++
		}
		digits = digits[:0]
		sep := byte(0)
		for i < len(t) && !inProt(i) {
			if v, w := digitAt(t, i); v >= 0 {
				digits = append(digits, digitPos{val: int8(v), at: int32(i), w: int8(w), sep: sep})
				sep = 0
				i += w
				continue
			}
			j := i
			for j < len(t) && j-i < maxSepRun && isNumberSep(t[j]) {
				j++
			}
			if j == i || j >= len(t) || inProt(j) {
				break
			}
			if v2, _ := digitAt(t, j); v2 < 0 {
				break
			}
			sep = sepMany
			if j == i+1 {
				sep = t[i]
			}
			i = j
		}
		end := int(digits[len(digits)-1].at) + int(digits[len(digits)-1].w)
		i = end
		f(start, end, plus, digits)
	}
}

func (r *Redactor) numbers(t string, hide []bool, note func(Kind, int, int)) {
	dates := protectedDates(t)
	var prot []bool
	if len(dates) > 0 {
		drop := make([]bool, len(dates))
		next := 0
		groups(t, nil, func(start, end int, plus bool, d []digitPos) {
			for next < len(dates) && dates[next][1] <= start {
				next++
			}
			k := next
			for k < len(dates) && dates[k][0] < end {
				k++
			}
			if k > next && !datesStandApart(t, end, d, dates[next:k]) {
				for j := next; j < k; j++ {
					drop[j] = true
				}
			}
		})
		prot = make([]bool, len(t))
		for k, dt := range dates {
			if !drop[k] {
				for j := dt[0]; j < dt[1]; j++ {
					prot[j] = true
				}
			}
		}
	}
	groups(t, prot, func(start, end int, plus bool, d []digitPos) {
		r.numberGroup(t, start, end, plus, d, hide, note)
	})
}

// datesStandApart reports whether the dates in a digit group (its digits d,
// ending at end) are dates and not pieces of a number written around them:
// no mobile number runs through a date, the group is not an ID number as a
// whole, and the digits outside the dates form whole phone or ID numbers
// (2024-03-01 13812345678). Otherwise the group is one number: an evader
// could write an ID as "110105 1949-12-31 0021", or a card so that its
// first digits end a date.
func datesStandApart(t string, end int, d []digitPos, dates [][2]int) bool {
	if idShaped(d, t, end) {
		return false
	}
	inDate := make([]bool, len(d))
	k := 0
	for i, p := range d {
		for k < len(dates) && dates[k][1] <= int(p.at) {
			k++
		}
		inDate[i] = k < len(dates) && dates[k][0] <= int(p.at)
	}
	for i := 0; i+11 <= len(d); i++ {
		if d[i].val == 1 && d[i+1].val >= 3 && slices.Contains(inDate[i:i+11], true) {
			return false
		}
	}
	for i := 0; i < len(d); {
		if inDate[i] {
			i++
			continue
		}
		j := i
		for j < len(d) && !inDate[j] {
			j++
		}
		if !wholeNumber(d[i:j], j == len(d) && end < len(t) && (t[end] == 'X' || t[end] == 'x')) {
			return false
		}
		i = j
	}
	return true
}

// wholeNumber reports a block of digits that is a phone or ID number by
// itself: a mobile (with or without 86), or 15 or 18 digits (17 and an X).
func wholeNumber(b []digitPos, x bool) bool {
	mobile := func(b []digitPos) bool { return len(b) == 11 && b[0].val == 1 && b[1].val >= 3 }
	switch len(b) {
	case 11:
		return mobile(b)
	case 13:
		return b[0].val == 8 && b[1].val == 6 && mobile(b[2:])
	case 15, 18:
		return true
	case 17:
		return x
	}
	return false
}

// idShaped reports a group of 15 or 18 digits, or 17 and an X.
func idShaped(d []digitPos, t string, end int) bool {
	n := len(d)
	return n == 15 || n == 18 || n == 17 && end < len(t) && (t[end] == 'X' || t[end] == 'x')
}

func (r *Redactor) numberGroup(t string, start, end int, plus bool, d []digitPos, hide []bool, note func(Kind, int, int)) {
	n := len(d)
	letterBefore := start > 0 && isASCIILetter(t[start-1])
	letterAfter := end < len(t) && isASCIILetter(t[end])
	xAfter := letterAfter && (t[end] == 'X' || t[end] == 'x') && (end+1 >= len(t) || !isASCIILetter(t[end+1]))
	var kind Kind
	xEnd := end
	switch {
	case n == 17 && xAfter && (!letterBefore || plausibleID(d)):
		kind, xEnd = IDNumber, end+1
	case (n == 18 || n == 15) && !plus && (!letterBefore && !letterAfter || plausibleID(d)):
		kind = IDNumber
	case hasMobile(d):
		kind = Phone
	case letterBefore || letterAfter:
		// Glued to letters: a ticket number (F20240301001) stays; a card
		// number (card6222021234567894) does not, nor any run of 15 digits
		// or more (an ID or a card with a digit more or less).
		if n < 13 || n < 15 && !luhn(d) {
			return
		}
		kind = Number
	case plus && n >= 8 && n <= 15:
		kind = Phone
	case d[0].val == 0 && n >= 10 && n <= 12:
		kind = Phone
	case n >= r.minDigits && !amount(d):
		kind = Number
	default:
		return
	}
	if !r.kinds[kind] {
		if kind == IDNumber && hasMobile(d) && r.kinds[Phone] {
			kind = Phone
		} else if kind != Number && r.kinds[Number] && !letterBefore && !letterAfter && n >= r.minDigits {
			kind = Number
		} else {
			return
		}
	}
	note(kind, start, xEnd)
	keep := r.keep[kind]
	total := n
	if xEnd > end {
		total++
	}
	if total-keep.First-keep.Last < 4 {
		keep = Keep{}
	}
	for k, p := range d {
		if k >= keep.First && k < total-keep.Last {
			for j := int(p.at); j < int(p.at)+int(p.w); j++ {
				hide[j] = true
			}
		}
	}
	if xEnd > end && keep.Last == 0 {
		hide[end] = true
	}
}

// hasMobile reports whether the digits contain a Chinese mobile number:
// 1, then 3–9, then nine more digits.
func hasMobile(d []digitPos) bool {
	for i := 0; i+11 <= len(d); i++ {
		if d[i].val == 1 && d[i+1].val >= 3 {
			return true
		}
	}
	return false
}

// plausibleID reports a resident ID whose birth date is a real day (18
// digits: YYYYMMDD from the seventh, 1900–2099; 15 digits: YYMMDD), used
// when the digits are glued to letters and might be a reference instead.
func plausibleID(d []digitPos) bool {
	at := func(i, n int) int {
		v := 0
		for _, p := range d[i : i+n] {
			v = v*10 + int(p.val)
		}
		return v
	}
	var y, m, day int
	switch len(d) {
	case 17, 18:
		y, m, day = at(6, 4), at(10, 2), at(12, 2)
		if y < 1900 || y > 2099 {
			return false
		}
	case 15:
		y, m, day = 1900+at(6, 2), at(8, 2), at(10, 2)
	default:
		return false
	}
	return m >= 1 && m <= 12 && day >= 1 && day <= idMonthDays(y, m)
}

func idMonthDays(y, m int) int {
	switch m {
	case 2:
		if y%4 == 0 && (y%100 != 0 || y%400 == 0) {
			return 29
		}
		return 28
	case 4, 6, 9, 11:
		return 30
	}
	return 31
}

// luhn reports whether the digits pass the Luhn check of payment cards.
func luhn(d []digitPos) bool {
	sum := 0
	for i := range d {
		v := int(d[len(d)-1-i].val)
		if i%2 == 1 {
			v *= 2
			if v > 9 {
				v -= 9
			}
		}
		sum += v
	}
	return sum%10 == 0
}

// amount reports a number written with thousands separators and at most
// nine digits before the decimal point, such as 1,234,567 or 12,345.50:
// a price, not an account.
func amount(d []digitPos) bool {
	block := func(i int) int { // digits in the block starting at d[i]
		j := i + 1
		for j < len(d) && d[j].sep == 0 {
			j++
		}
		return j - i
	}
	first := block(0)
	if first > 3 || first == len(d) {
		return false
	}
	digits, commas := first, 0
	for i := first; i < len(d); {
		n := block(i)
		switch {
		case d[i].sep == ',' && n == 3:
			digits += 3
			commas++
		case d[i].sep == '.' && n <= 2 && i+n == len(d) && commas > 0:
			// cents
		default:
			return false
		}
		if digits > 9 {
			return false
		}
		i += n
	}
	return commas > 0
}
