// Command holidaygen turns the announced public holiday tables of the sla
// package into Go: the data (holidays_data.go) and the tests that check the
// compiled calendars against the tables (holidays_data_test.go).
//
// Each set has a folder under tables/ named after its code in lower case,
// with set.txt (code, name and time zone) and one file per year, YYYY.txt,
// transcribing that year's announcement:
//
//	set CN
//	year 2026
//	source 国办发明电〔2025〕7号 signed 2025-11-04 https://www.gov.cn/... 国务院办公厅关于2026年部分节假日安排的通知
//	note a remark kept in the generated file
//	off  2026-02-15..2026-02-23 Spring Festival (春节)
//	work 2026-02-14             Spring Festival (春节)
//	part 2024-01-22             00:00-14:30 closed in the morning
//
// "source" gives the announcement: its number or issuer, "signed",
// "published" or "reported" with a date ("-" when not known), its address
// and its title; a year may cite several (amendments). "off" lists days off
// (a range includes both ends), "work" make-up working days (weekend days
// worked in exchange), "part" a part-day closure in wall-clock hours. Every
// date lies in the year or next to it (a New Year run may start in
// December); no date is listed twice; a set's years run without gaps.
//
// Next year's update is one new file: transcribe the announcement, cite
// it, run go generate in sla, review the diff, run the tests.
package main

import (
	"bufio"
	"bytes"
	"flag"
	"fmt"
	"go/format"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"time"
)

func main() {
	tables := flag.String("tables", "internal/holidaygen/tables", "folder of the tables, one sub-folder per set")
	out := flag.String("out", ".", "folder to write holidays_data.go and holidays_data_test.go to")
	flag.Parse()
	sets, err := readSets(*tables)
	if err != nil {
		fmt.Fprintln(os.Stderr, "holidaygen:", err)
		os.Exit(1)
	}
	for name, gen := range map[string]func([]*set) []byte{"holidays_data.go": genData, "holidays_data_test.go": genTest} {
		src, err := format.Source(gen(sets))
		if err != nil {
			fmt.Fprintln(os.Stderr, "holidaygen: formatting", name+":", err)
			os.Exit(1)
		}
		if err := os.WriteFile(filepath.Join(*out, name), src, 0o644); err != nil {
			fmt.Fprintln(os.Stderr, "holidaygen:", err)
			os.Exit(1)
		}
	}
}

type set struct {
	code, name, zone string
	years            []*year
}

type year struct {
	y       int
	file    string
	sources []string
	notes   []string
	entries []entry
}

type entry struct {
	kind     string // "off", "work", "part"
	from, to time.Time
	clock    [2]string // part: closed from, to
	name     string
}

func readSets(dir string) ([]*set, error) {
	dirs, err := os.ReadDir(dir)
	if err != nil {
		return nil, err
	}
	var sets []*set
	for _, d := range dirs {
		if !d.IsDir() {
			continue
		}
		s, err := readSet(filepath.Join(dir, d.Name()))
		if err != nil {
			return nil, err
		}
		if strings.ToLower(s.code) != d.Name() {
			return nil, fmt.Errorf("%s: set code %q does not match its folder", d.Name(), s.code)
		}
		sets = append(sets, s)
	}
	slices.SortFunc(sets, func(a, b *set) int { return strings.Compare(a.code, b.code) })
	return sets, nil
}

func readSet(dir string) (*set, error) {
	s := &set{}
	meta, err := os.ReadFile(filepath.Join(dir, "set.txt"))
	if err != nil {
		return nil, err
	}
	for _, line := range strings.Split(string(meta), "\n") {
		k, v, _ := strings.Cut(strings.TrimSpace(line), " ")
		switch k {
		case "code":
			s.code = v
		case "name":
			s.name = v
		case "zone":
			if _, err := time.LoadLocation(v); err != nil {
				return nil, fmt.Errorf("%s/set.txt: %v", dir, err)
			}
			s.zone = v
		case "":
		default:
			return nil, fmt.Errorf("%s/set.txt: unknown key %q", dir, k)
		}
	}
	if s.code == "" || s.name == "" || s.zone == "" {
		return nil, fmt.Errorf("%s/set.txt: code, name and zone are required", dir)
	}
	files, err := filepath.Glob(filepath.Join(dir, "[0-9][0-9][0-9][0-9].txt"))
	if err != nil {
		return nil, err
	}
	slices.Sort(files)
	seen := map[time.Time]string{}
	for _, f := range files {
		y, err := readYear(f, s.code)
		if err != nil {
			return nil, err
		}
		if n := len(s.years); n > 0 && s.years[n-1].y+1 != y.y {
			return nil, fmt.Errorf("%s: the years of set %s must run without gaps (%d follows %d)", f, s.code, y.y, s.years[n-1].y)
		}
		for _, e := range y.entries {
			for d := e.from; !d.After(e.to); d = d.AddDate(0, 0, 1) {
				if prev, dup := seen[d]; dup {
					return nil, fmt.Errorf("%s: %s is listed twice (also in %s)", f, d.Format(time.DateOnly), prev)
				}
				seen[d] = f
			}
		}
		s.years = append(s.years, y)
	}
	if len(s.years) == 0 {
		return nil, fmt.Errorf("%s: no years", dir)
	}
	return s, nil
}

var (
	sourceRE = regexp.MustCompile(`^(\S+) (signed|published|reported) (\d{4}-\d{2}-\d{2}|-) (https?://\S+) (.+)$`)
	clockRE  = regexp.MustCompile(`^([01]\d|2[0-3]):[0-5]\d-(([01]\d|2[0-3]):[0-5]\d|24:00)$`)
)

func readYear(path, code string) (*year, error) {
	want, err := strconv.Atoi(strings.TrimSuffix(filepath.Base(path), ".txt"))
	if err != nil {
		return nil, err
	}
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	y := &year{file: filepath.Base(path)}
	sc := bufio.NewScanner(f)
	for n := 1; sc.Scan(); n++ {
		line := strings.TrimSpace(sc.Text())
		if line == "" || strings.HasPrefix(line, "#") {
			continue
		}
		bad := func(format string, args ...any) error {
			return fmt.Errorf("%s:%d: %s", path, n, fmt.Sprintf(format, args...))
		}
		key, rest, _ := strings.Cut(line, " ")
		rest = strings.TrimSpace(rest)
		switch key {
		case "set":
			if rest != code {
				return nil, bad("set %q in the folder of set %s", rest, code)
			}
		case "year":
			if rest != strconv.Itoa(want) {
				return nil, bad("year %s in file %d.txt", rest, want)
			}
			y.y = want
		case "source":
			m := sourceRE.FindStringSubmatch(rest)
			if m == nil {
				return nil, bad("want: source <number or issuer> <signed|published|reported> <YYYY-MM-DD or -> <url> <title>")
			}
			if m[3] != "-" {
				if _, err := time.Parse(time.DateOnly, m[3]); err != nil {
					return nil, bad("source date: %v", err)
				}
			}
			text := m[5] + ", " + m[1]
			if m[3] != "-" {
				text += ", " + m[2] + " " + m[3]
			}
			y.sources = append(y.sources, text+"; "+m[4])
		case "note":
			y.notes = append(y.notes, rest)
		case "off", "work", "part":
			dates, name, _ := strings.Cut(rest, " ")
			name = strings.TrimSpace(name)
			e := entry{kind: key}
			a, b, isRange := strings.Cut(dates, "..")
			if !isRange {
				b = a
			}
			if e.from, err = time.Parse(time.DateOnly, a); err != nil {
				return nil, bad("%v", err)
			}
			if e.to, err = time.Parse(time.DateOnly, b); err != nil {
				return nil, bad("%v", err)
			}
			if e.to.Before(e.from) || e.to.Sub(e.from) > 31*24*time.Hour {
				return nil, bad("range %s is reversed or longer than a month", dates)
			}
			if key == "work" || key == "part" {
				if isRange {
					return nil, bad("%s takes one date", key)
				}
			}
			if key == "work" && e.from.Weekday() != time.Saturday && e.from.Weekday() != time.Sunday {
				return nil, bad("make-up working day %s is a %s, not a weekend day", a, e.from.Weekday())
			}
			if key == "part" {
				clock, n2, _ := strings.Cut(name, " ")
				if !clockRE.MatchString(clock) {
					return nil, bad("part wants HH:MM-HH:MM after the date")
				}
				e.clock[0], e.clock[1], _ = strings.Cut(clock, "-")
				if e.clock[0] >= e.clock[1] {
					return nil, bad("part hours %s are empty or reversed", clock)
				}
				name = strings.TrimSpace(n2)
			}
			lo, hi := time.Date(want-1, 12, 1, 0, 0, 0, 0, time.UTC), time.Date(want+1, 1, 31, 0, 0, 0, 0, time.UTC)
			if e.from.Before(lo) || e.to.After(hi) {
				return nil, bad("%s lies too far from %d", dates, want)
			}
			if name == "" {
				return nil, bad("a name is required")
			}
			e.name = name
			y.entries = append(y.entries, e)
		default:
			return nil, bad("unknown key %q", key)
		}
	}
	if err := sc.Err(); err != nil {
		return nil, err
	}
	if y.y == 0 {
		return nil, fmt.Errorf("%s: no year line", path)
	}
	if len(y.sources) == 0 {
		return nil, fmt.Errorf("%s: every year cites its announcement (a source line)", path)
	}
	slices.SortStableFunc(y.entries, func(a, b entry) int { return a.from.Compare(b.from) })
	return y, nil
}

func varName(code string) string { return strings.ToLower(code) + "Schedule" }

func day(t time.Time) string { return fmt.Sprintf("{%d, %d, %d}", t.Year(), t.Month(), t.Day()) }

func clockSec(s string) int {
	h, _ := strconv.Atoi(s[:2])
	m, _ := strconv.Atoi(s[3:])
	return h*3600 + m*60
}

const header = "// Code generated by holidaygen from internal/holidaygen/tables; DO NOT EDIT.\n\n"

func genData(sets []*set) []byte {
	var b bytes.Buffer
	b.WriteString(header)
	b.WriteString("package sla\n\n")
	b.WriteString("// announcedSets are the public holiday sets announced year by year, as\n// transcribed in internal/holidaygen/tables.\n")
	b.WriteString("var announcedSets = []*announcedSet{")
	for _, s := range sets {
		fmt.Fprintf(&b, "&%s, ", varName(s.code))
	}
	b.WriteString("}\n\n")
	for _, s := range sets {
		first, last := s.years[0].y, s.years[len(s.years)-1].y
		fmt.Fprintf(&b, "// %s is %s, %d–%d. Each year cites its announcement.\n", varName(s.code), s.name, first, last)
		fmt.Fprintf(&b, "var %s = announcedSet{\n\tcode: %q,\n\tname: %q,\n\tzone: %q,\n\tfirst: %d,\n\tlast: %d,\n\tentries: []announcedEntry{\n",
			varName(s.code), s.code, s.name, s.zone, first, last)
		for _, y := range s.years {
			fmt.Fprintf(&b, "\t\t// %d (%s):\n", y.y, y.file)
			for _, src := range y.sources {
				fmt.Fprintf(&b, "\t\t//   %s\n", src)
			}
			for _, n := range y.notes {
				fmt.Fprintf(&b, "\t\t//   Note: %s\n", n)
			}
			for _, e := range y.entries {
				kind := map[string]string{"off": "announcedOff", "work": "announcedWork", "part": "announcedPart"}[e.kind]
				var cs, ce int
				if e.kind == "part" {
					cs, ce = clockSec(e.clock[0]), clockSec(e.clock[1])
					if e.clock[1] == "24:00" {
						ce = 86400
					}
				}
				fmt.Fprintf(&b, "\t\t{%d, %s, announcedDay%s, announcedDay%s, span{%d, %d}, %q},\n", y.y, kind, day(e.from), day(e.to), cs, ce, e.name)
			}
		}
		b.WriteString("\t},\n}\n\n")
	}
	return b.Bytes()
}

func genTest(sets []*set) []byte {
	var b bytes.Buffer
	b.WriteString(header)
	b.WriteString("package sla\n\n")
	b.WriteString("// announcedTables are the tables as holidaygen read them, each date\n// spelled out: what TestAnnouncedTables checks the compiled sets against.\n")
	b.WriteString("var announcedTables = []announcedTable{\n")
	for _, s := range sets {
		for _, y := range s.years {
			var off, work, part []string
			for _, e := range y.entries {
				for d := e.from; !d.After(e.to); d = d.AddDate(0, 0, 1) {
					switch e.kind {
					case "off":
						off = append(off, d.Format(time.DateOnly))
					case "work":
						work = append(work, d.Format(time.DateOnly))
					case "part":
						part = append(part, d.Format(time.DateOnly)+" "+e.clock[0]+"-"+e.clock[1])
					}
				}
			}
			fmt.Fprintf(&b, "\t{code: %q, zone: %q, year: %d,\n\t\toff: %#v,\n\t\twork: %#v,\n\t\tpart: %#v},\n", s.code, s.zone, y.y, off, work, part)
		}
	}
	b.WriteString("}\n")
	return b.Bytes()
}
