package main

import (
	"bytes"
	"encoding/json"
	"errors"
	"flag"
	"fmt"
	"io"
	"os"
	"path/filepath"
	"reflect"
	"regexp"
	"slices"
	"strings"

	"github.com/closeloop/closeloop/internal/rulesjson"
	"github.com/closeloop/closeloop/l10n"
	"github.com/closeloop/closeloop/scenario"
)

const testAbout = `Test runs scenario files (package scenario: a rules document, a ticket's
intake and timeline, and the outcome expected) through the real packages and
reports every expectation not met with its JSON path, when it was checked,
what was expected and what the library returned:

  FAIL doc002-row1.json: doc002 F20240301001 (1 mismatch)
      $.expect.metrics.follow_up.deadline (at 2024-03-11 15:15 Mon, follow_up)
          want: 2024-03-11 17:00 Mon
          got:  2024-03-11 16:00 Mon

A DIR runs every *.json file in it (not its subfolders), in name order.
A scenario that cannot run (a bad file, a rules error) fails with the error,
placed at its line and column when it names a JSON path of the file.

Exit status: 0 when every scenario passed, 1 when one failed or could not
run, 2 when a folder has no scenario files or a file cannot be read.`

// scenarioResult is one file's outcome.
type scenarioResult struct {
	File       string     `json:"file"`
	Name       string     `json:"name,omitempty"`
	OK         bool       `json:"ok"`
	Error      string     `json:"error,omitempty"`
	At         *Position  `json:"position,omitempty"`
	Mismatches []mismatch `json:"mismatches,omitempty"`
}

type mismatch struct {
	Path    string `json:"path"`
	Context string `json:"context,omitempty"`
	Want    string `json:"want"`
	Got     string `json:"got"`
}

func runTest(args []string, e env) int {
	var (
		asJSON, verbose bool
		pattern         string
		prog            *string
		p               **l10n.Printer
	)
	fs, code := parse("test", "[flags] DIR|FILE...", testAbout, args, e, func(fs *flag.FlagSet) {
		fs.BoolVar(&asJSON, "json", false, "write the results as JSON (an array, one object per file)")
		fs.BoolVar(&verbose, "v", false, "list passing scenarios too")
		fs.StringVar(&pattern, "run", "", "run only the files whose name matches this regular expression")
		prog = addProgress(fs)
		p = addLang(fs)
	})
	if fs == nil {
		return code
	}
	if fs.NArg() == 0 {
		return usageError(e, "test", "no scenario folder or file given")
	}
	var re *regexp.Regexp
	if pattern != "" {
		var err error
		if re, err = regexp.Compile(pattern); err != nil {
			return usageError(e, "test", "-run: %v", err)
		}
	}
	var files []string
	for _, arg := range fs.Args() {
		st, err := os.Stat(arg)
		if err != nil {
			return inputError(e, *p, "test", err)
		}
		if !st.IsDir() {
			files = append(files, arg)
			continue
		}
		found, err := filepath.Glob(filepath.Join(arg, "*.json"))
		if err != nil {
			return inputError(e, *p, "test", err)
		}
		if len(found) == 0 {
			return inputError(e, *p, "test", fmt.Errorf("%s: no scenario files (*.json)", arg))
		}
		slices.Sort(found)
		files = append(files, found...)
	}
	if re != nil {
		files = slices.DeleteFunc(files, func(f string) bool { return !re.MatchString(filepath.Base(f)) })
	}
	pr := newProgress(e, *prog, 1)
	var results []scenarioResult
	failed := 0
	for i, f := range files {
		r, err := runScenario(f, *p)
		if err != nil {
			return inputError(e, *p, "test", err)
		}
		if !r.OK {
			failed++
		}
		results = append(results, r)
		pr.tick(int64(i+1), "scenarios run")
	}
	pr.done(int64(len(files)), "scenarios run")
	if asJSON {
		writeJSON(e.stdout, results)
	} else {
		for _, r := range results {
			writeScenario(e.stdout, r, verbose)
		}
		fmt.Fprintf(e.stdout, "%s, %d passed, %d failed\n", plural(len(results), "scenario", "scenarios"), len(results)-failed, failed)
	}
	if failed > 0 {
		return exitFindings
	}
	return exitOK
}

// runScenario loads and runs one file. Only an unreadable file is an
// error; everything else is the scenario's result.
func runScenario(file string, p *l10n.Printer) (scenarioResult, error) {
	data, err := os.ReadFile(file)
	if err != nil {
		return scenarioResult{}, err
	}
	r := scenarioResult{File: file}
	s, err := scenario.Load(file)
	if err == nil {
		r.Name = s.Name
		var res scenario.Result
		if res, err = scenario.Run(s); err == nil {
			r.OK = res.OK()
			for _, m := range res.Mismatches {
				r.Mismatches = append(r.Mismatches, mismatch{Path: m.Path, Context: m.Context, Want: m.Want, Got: m.Got})
			}
			return r, nil
		}
	}
	r.Error = p.Error(err)
	var pe *rulesjson.PathError
	if errors.As(err, &pe) && sameFileError(err, file) {
		r.Error = p.Error(pe)
		off, _ := locate(data, pe.Path, errors.Is(pe.Err, rulesjson.ErrUnknownField) || errors.Is(pe.Err, rulesjson.ErrDuplicateKey))
		if errors.Is(pe.Err, rulesjson.ErrSyntax) || errors.Is(pe.Err, rulesjson.ErrTrailingData) {
			if o, ok := syntaxOffset(data); ok {
				off = o
			}
		}
		pos := positionAt(data, off)
		r.At = &pos
	}
	return r, nil
}

// sameFileError reports whether a scenario error's path is in the
// scenario file itself, not in a rules file it names (Load's errors name
// the file they come from).
func sameFileError(err error, file string) bool {
	msg := err.Error()
	if strings.HasPrefix(msg, "$") {
		return true
	}
	return strings.HasPrefix(msg, file+": ") || strings.HasPrefix(msg, filepath.Base(file)+": ")
}

func writeScenario(w io.Writer, r scenarioResult, verbose bool) {
	name := ""
	if r.Name != "" {
		name = ": " + r.Name
	}
	switch {
	case r.Error != "":
		at := ""
		if r.At != nil {
			at = fmt.Sprintf(":%d:%d", r.At.Line, r.At.Column)
		}
		fmt.Fprintf(w, "FAIL %s%s\n    %s%s: %s\n", r.File, name, r.File, at, r.Error)
	case !r.OK:
		fmt.Fprintf(w, "FAIL %s%s (%s)\n", r.File, name, plural(len(r.Mismatches), "mismatch", "mismatches"))
		for _, m := range r.Mismatches {
			ctx := ""
			if m.Context != "" {
				ctx = " (" + m.Context + ")"
			}
			fmt.Fprintf(w, "    %s%s\n        want: %s\n        got:  %s\n", m.Path, ctx, m.Want, m.Got)
		}
	case verbose:
		fmt.Fprintf(w, "ok   %s%s\n", r.File, name)
	}
}

// jsonStrict decodes one JSON value, refusing unknown fields and trailing
// data, with errors that name the field rather than Go types.
func jsonStrict(data []byte, v any) error {
	dec := json.NewDecoder(bytes.NewReader(data))
	dec.DisallowUnknownFields()
	if err := dec.Decode(v); err != nil {
		var te *json.UnmarshalTypeError
		if errors.As(err, &te) && te.Field != "" {
			return fmt.Errorf("%s: a JSON %s where %s is wanted", te.Field, te.Value, jsonKind(te.Type.Kind()))
		}
		return errors.New(strings.TrimPrefix(err.Error(), "json: "))
	}
	if dec.More() {
		return errors.New("trailing data after the JSON value")
	}
	return nil
}

// jsonKind names what a Go kind is in JSON.
func jsonKind(k reflect.Kind) string {
	switch k {
	case reflect.Bool:
		return "true or false"
	case reflect.String:
		return "a string"
	case reflect.Slice, reflect.Array:
		return "an array"
	case reflect.Map, reflect.Struct:
		return "an object"
	case reflect.Float32, reflect.Float64:
		return "a number"
	}
	return "a whole number in range"
}
