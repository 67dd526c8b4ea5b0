package redact

import (
	"strconv"
	"strings"
	"testing"
	"unicode/utf8"
)

// plantSeparators are the ways a planted item's characters may be split:
// each gap between two of its characters is one of these.
var plantSeparators = []string{
	"", "", "", " ", "  ", "-", "－", "—", "–", "−", "_", "＿", ",", "，", "、", ".", "。", "·", "・", "/", "|",
	"\u200b", "\u200c", "\u200d", "\u2060", "\ufeff", "\u00ad", "\u202e", "\u3000", "\u00a0", "\u202f", "\t", "\n",
	" - ", "\u200b-\u200b", " , ", "(", ")", "\u200b \u200b",
}

// plantDigit writes digit v in one of the forms people (or evaders) use.
func plantDigit(v int, form byte) string {
	switch form % 8 {
	case 1:
		return string(rune('０' + v)) // full-width
	case 2:
		return string(rune('٠' + v)) // Arabic-Indic
	case 3:
		return string([]rune("〇一二三四五六七八九")[v]) // Chinese numerals
	case 4:
		return string(rune(0x1D7CE + v)) // mathematical bold
	case 5:
		if v == 0 {
			return "⓪"
		}
		return string(rune('①' + v - 1)) // circled
	}
	return string(rune('0' + v))
}

// plantKinds names what FuzzRedactPlanted plants.
const (
	plantPhone = iota
	plantID
	plantCard
	plantEmail
	numPlantKinds
)

// plant writes an item of kind kind built from seed, its characters
// split and written as style says, and returns it with the byte offsets of
// the characters that must stay hidden (the digits, or the e-mail's local
// part) and how many of them may show.
func plant(kind int, seed uint64, style []byte) (string, []int, int) {
	st := func(i int) byte {
		if len(style) == 0 {
			return 0
		}
		return style[i%len(style)]
	}
	var digits []int
	next := func(n uint64) int { v := int(seed % n); seed /= n; seed ^= seed << 7; return v }
	switch kind {
	case plantPhone:
		digits = []int{1, 3 + next(7)}
		for len(digits) < 11 {
			digits = append(digits, next(10))
		}
	case plantID:
		provinces := []int{11, 12, 13, 14, 15, 21, 22, 23, 31, 32, 33, 34, 35, 36, 37, 41, 42, 43, 44, 45, 46, 50, 51, 52, 53, 54, 61, 62, 63, 64, 65}
		p := provinces[next(uint64(len(provinces)))]
		digits = []int{p / 10, p % 10}
		for len(digits) < 6 {
			digits = append(digits, next(10))
		}
		y, m, d := 1900+next(200), 1+next(12), 1+next(28)
		digits = append(digits, y/1000, y/100%10, y/10%10, y%10, m/10, m%10, d/10, d%10)
		for len(digits) < 17 {
			digits = append(digits, next(10))
		}
		weights := []int{7, 9, 10, 5, 8, 4, 2, 1, 6, 3, 7, 9, 10, 5, 8, 4, 2}
		sum := 0
		for i, v := range digits {
			sum += v * weights[i]
		}
		digits = append(digits, []int{1, 0, 10, 9, 8, 7, 6, 5, 4, 3, 2}[sum%11]) // 10 is X
	case plantCard:
		digits = []int{6, 2}
		for len(digits) < 15 {
			digits = append(digits, next(10))
		}
		for c := 0; c < 10; c++ {
			d := make([]digitPos, 16)
			for i, v := range append(digits[:15:15], c) {
				d[i].val = int8(v)
			}
			if luhn(d) {
				digits = append(digits, c)
				break
			}
		}
	case plantEmail:
		var b strings.Builder
		var secret []int
		n := 2 + next(10)
		for i := 0; i < n; i++ {
			if i > 0 {
				b.WriteString([]string{"", "", "", "\u200b", "\u200d", "\u00ad"}[st(i)%6])
			}
			c := "abcdefghijklmnopqrstuvwxyz0123456789"[next(36)]
			secret = append(secret, b.Len())
			if st(i)&0x80 != 0 && c >= 'a' {
				b.WriteRune(rune(c) - 'a' + 'ａ') // full-width
			} else {
				b.WriteByte(c)
			}
		}
		b.WriteString([]string{"@", "＠", "﹫", " @ ", "[at]", " (at) ", "@\u200b"}[st(n)%7])
		b.WriteString([]string{"example.com", "例子.中国", "mail.example.org", "ｅｘａｍｐｌｅ．ｃｏｍ", "example[dot]com", "qq。com"}[st(n+1)%6])
		return b.String(), secret[1:], 0 // the first character of the local part is kept
	}
	var b strings.Builder
	var secret []int
	for i, v := range digits {
		if i > 0 {
			b.WriteString(plantSeparators[int(st(2*i))%len(plantSeparators)])
		}
		secret = append(secret, b.Len())
		if v == 10 {
			b.WriteString([]string{"X", "x", "Ｘ"}[st(2*i+1)%3])
			continue
		}
		b.WriteString(plantDigit(v, st(2*i+1)))
	}
	mayShow := map[int]int{plantPhone: 7, plantID: 10, plantCard: 8}[kind]
	return b.String(), secret, mayShow
}

// FuzzRedactPlanted plants a phone number, an ID number, a card number or
// an e-mail address, split by any separators and written in any digit
// forms, between any text, and checks that it never comes out: of the
// phone's 11 digits at least 4 stay hidden (document 002's 138****5678), of
// the ID's 18 and the card's 16 at least 8, of an e-mail's local part all
// but the first character.
func FuzzRedactPlanted(f *testing.F) {
	f.Add("电话", "请回电", uint8(plantPhone), uint64(3856781234), []byte{0})
	f.Add("", "", uint8(plantPhone), uint64(1), []byte{7, 1, 12, 2, 21, 3})
	f.Add("2024-03-0", " ok", uint8(plantPhone), uint64(99), []byte{5})
	f.Add("身份证", "", uint8(plantID), uint64(42), []byte{0})
	f.Add("ID", "ok", uint8(plantID), uint64(4242), []byte{33, 1, 3})
	f.Add("2024-03-", "", uint8(plantID), uint64(7), []byte{5, 0, 5, 0})
	f.Add("card", "end", uint8(plantCard), uint64(123456789), []byte{0})
	f.Add("卡号", "", uint8(plantCard), uint64(5), []byte{6, 1, 6, 1})
	f.Add("mail ", ".", uint8(plantEmail), uint64(77), []byte{0x80, 3})
	f.Add("发到", "谢谢", uint8(plantEmail), uint64(12), []byte{4, 5, 6})
	f.Add("a@b.cc", ".x", uint8(plantEmail), uint64(8), []byte{1})
	r := Default()
	f.Fuzz(func(t *testing.T, prefix, suffix string, kind uint8, seed uint64, style []byte) {
		item, secret, mayShow := plant(int(kind)%numPlantKinds, seed, style)
		text := prefix + item + suffix
		out := r.Redact(text)
		in, got := runeStarts(text), runeStarts(out)
		if len(in) != len(got) {
			t.Fatalf("rune count changed: %d -> %d\n%q\n%q", len(in), len(got), text, out)
		}
		idx := make(map[int]int, len(in))
		for k, b := range in {
			idx[b] = k
		}
		shown := 0
		for _, o := range secret {
			k, ok := idx[len(prefix)+o]
			if !ok {
				continue // the prefix ends inside a character: the item is not what was planted
			}
			a, _ := utf8.DecodeRuneInString(text[in[k]:])
			b, _ := utf8.DecodeRuneInString(out[got[k]:])
			if a == b {
				shown++
			}
		}
		if shown > mayShow {
			t.Fatalf("%d of %d characters of the planted %s show (at most %d may)\nin:  %q\nout: %q",
				shown, len(secret), []string{"phone", "ID", "card", "e-mail"}[int(kind)%numPlantKinds], mayShow, text, out)
		}
	})
}

func TestPlantHelper(t *testing.T) {
	for kind := range numPlantKinds {
		for seed := uint64(0); seed < 50; seed++ {
			item, secret, _ := plant(kind, seed*7919, []byte{byte(seed), byte(seed * 3)})
			digits := digitStream(item)
			switch kind {
			case plantPhone:
				if len(digits) != 11 || digits[0] != '1' || digits[1] < '3' {
					t.Fatalf("phone %q reads %q", item, digits)
				}
			case plantID:
				n := normalize(item).s
				if !(len(digits) == 18 || len(digits) == 17 && strings.ContainsAny(n, "Xx")) {
					t.Fatalf("ID %q reads %q", item, digits)
				}
				y, _ := strconv.Atoi(digits[6:10])
				if y < 1900 || y > 2099 {
					t.Fatalf("ID %q born %d", item, y)
				}
			case plantCard:
				d := make([]digitPos, len(digits))
				for i := range digits {
					d[i].val = int8(digits[i] - '0')
				}
				if len(digits) != 16 || !luhn(d) {
					t.Fatalf("card %q reads %q", item, digits)
				}
			}
			for _, o := range secret {
				if o >= len(item) {
					t.Fatalf("offset %d outside %q", o, item)
				}
			}
		}
	}
}
