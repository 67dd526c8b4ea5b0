package redact

import (
	"errors"
	"fmt"
	"testing"
	"unicode/utf8"

	"github.com/closeloop/closeloop/internal/rulesjson"
)

// fuzzPhone builds a Chinese mobile number from seed in one of several
// written forms and returns it with the byte offsets of its 11 national
// digits inside the written form.
func fuzzPhone(seed uint64, format uint8) (string, []int) {
	d := make([]byte, 11)
	d[0] = '1'
	d[1] = byte('3' + seed%7)
	seed /= 7
	for i := 2; i < 11; i++ {
		d[i] = byte('0' + seed%10)
		seed /= 10
	}
	n := string(d)
	var s string
	switch format % 6 {
	case 0:
		s = n
	case 1:
		s = n[:3] + " " + n[3:7] + " " + n[7:]
	case 2:
		s = n[:3] + "-" + n[3:7] + "-" + n[7:]
	case 3:
		s = "+86 " + n
	case 4:
		s = "+86-" + n[:3] + "-" + n[3:7] + "-" + n[7:]
	default:
		s = "(+86) " + n[:3] + " " + n[3:7] + " " + n[7:]
	}
	// The national number is the last 11 digits of the written form.
	var offs []int
	for i := len(s) - 1; i >= 0 && len(offs) < 11; i-- {
		if s[i] >= '0' && s[i] <= '9' {
			offs = append([]int{i}, offs...)
		}
	}
	return s, offs
}

func FuzzRedact(f *testing.F) {
	f.Add("电话", "请回电", uint64(3856781234), uint8(0))
	f.Add("2024-03-01 ", "", uint64(1), uint8(1))
	f.Add("F2024030100", "@qq.com", uint64(99), uint8(0))
	f.Add("a5", "5", uint64(123456789), uint8(2))
	f.Add("寄到北京市朝阳区建国路88号", "室", uint64(42), uint8(3))
	f.Add("\xe4", "\xff", uint64(7), uint8(5))
	f.Add("13", "X", uint64(5), uint8(4))
	r := Default()
	f.Fuzz(func(t *testing.T, prefix, suffix string, seed uint64, format uint8) {
		phone, offs := fuzzPhone(seed, format)
		if len(offs) != 11 {
			t.Fatalf("bad phone %q %v", phone, offs)
		}
		text := prefix + phone + suffix
		out := r.Redact(text)
		in := runeStarts(text)
		got := runeStarts(out)
		if len(in) != len(got) {
			t.Fatalf("rune count changed: %d -> %d\n%q\n%q", len(in), len(got), text, out)
		}
		// Map the phone's digit byte offsets to rune indexes.
		idx := map[int]int{}
		for k, b := range in {
			idx[b] = k
		}
		run, longest := 0, 0
		for _, o := range offs {
			k := idx[len(prefix)+o]
			r, _ := utf8.DecodeRuneInString(out[got[k]:])
			if r >= '0' && r <= '9' {
				run++
				longest = max(longest, run)
			} else {
				run = 0
			}
		}
		if longest > 4 {
			t.Fatalf("%d digits of the phone number survived in a row\nin:  %q\nout: %q", longest, text, out)
		}
	})
}

func runeStarts(s string) []int {
	var out []int
	for i := 0; i < len(s); {
		_, n := utf8.DecodeRuneInString(s[i:])
		out = append(out, i)
		i += n
	}
	return out
}

func TestFuzzPhoneHelper(t *testing.T) {
	for f := uint8(0); f < 6; f++ {
		s, offs := fuzzPhone(3856781234, f)
		var digits []byte
		for _, o := range offs {
			digits = append(digits, s[o])
		}
		if string(digits) != fmt.Sprintf("1%d", 3+3856781234%7)+string(digits[2:]) || len(digits) != 11 {
			t.Fatalf("format %d: %q %q", f, s, digits)
		}
	}
}

// FuzzRedactorJSON: Parse never panics and refuses only with a
// *PathError; an accepted redactor turns valid UTF-8 into valid UTF-8 and
// reports findings inside the text.
func FuzzRedactorJSON(f *testing.F) {
	f.Add([]byte(`{"mask":"#","kinds":["phone"],"keep":{"phone":{"first":0,"last":0}}}`), "13856781234, a@b.cn")
	f.Add([]byte(`{"mask":"•","keep":{"phone":{"first":0,"last":4}},"names":["李女士"]}`), "李女士 call +86 138 5678 1234")
	f.Add([]byte(`{"min_number_digits":5,"kinds":["number","address"]}`), "12345 世纪大道100号8栋2单元501")
	f.Add([]byte(`{"kinds":["fax"]}`), "")
	f.Add([]byte(`{"keep":{"email":{"first":16,"last":16}}}`), "zhang.wei.long.local.part@example.com")
	f.Fuzz(func(t *testing.T, data []byte, text string) {
		r, err := Parse(data)
		if err != nil {
			var pe *rulesjson.PathError
			if !errors.As(err, &pe) {
				t.Fatalf("error without a path: %T %v", err, err)
			}
			return
		}
		out, found := r.RedactFindings(text)
		if utf8.ValidString(text) && !utf8.ValidString(out) {
			t.Fatalf("invalid UTF-8 out of valid: %q → %q", text, out)
		}
		for _, fd := range found {
			if fd.Start < 0 || fd.End > len(text) || fd.Start > fd.End {
				t.Fatalf("finding %+v outside %q", fd, text)
			}
		}
	})
}
