package feedback_test

import (
	"encoding/json"
	"fmt"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"

	"github.com/closeloop/closeloop/feedback"
)

// The trace page, docs/trace.md, maps every rule of the source documents to
// the preset field that implements it and the test that checks it. This
// test walks its table: paths resolve in the preset rules document, Go
// identifiers and tests exist, scenario files exist, and every scenario file
// is named by some row — so a rule without a test, or a test that no longer
// exists, fails the suite. (The scenario suite, go test ./scenario, runs
// every file in scenario/testdata.)

const (
	tracePage   = "../docs/trace.md"
	scenarioDir = "../scenario/testdata"
)

// traceRow is one row of the table.
type traceRow struct {
	line              int
	id, source, rule  string
	implemented, test string
}

var traceID = regexp.MustCompile(`^[A-Z]+[0-9]+$`)

func traceRows(t *testing.T) []traceRow {
	t.Helper()
	data, err := os.ReadFile(tracePage)
	require.NoError(t, err)
	var rows []traceRow
	for i, line := range strings.Split(string(data), "\n") {
		if !strings.HasPrefix(line, "| ") {
			continue
		}
		cells := strings.Split(line, " | ")
		id := strings.TrimPrefix(cells[0], "| ")
		if !traceID.MatchString(id) {
			continue
		}
		require.Len(t, cells, 5, "line %d: want | ID | Source | Rule | Implemented by | Checked by |", i+1)
		rows = append(rows, traceRow{line: i + 1, id: id, source: cells[1], rule: cells[2],
			implemented: cells[3], test: strings.TrimSuffix(strings.TrimSpace(cells[4]), "|")})
	}
	return rows
}

var backticked = regexp.MustCompile("`([^`]+)`")

func tokens(cell string) []string {
	var out []string
	for _, m := range backticked.FindAllStringSubmatch(cell, -1) {
		out = append(out, m[1])
	}
	return out
}

func TestTraceTable(t *testing.T) {
	rows := traceRows(t)
	require.GreaterOrEqual(t, len(rows), 60, "the table lists every rule")
	preset, err := feedback.PresetRulesJSON()
	require.NoError(t, err)
	var doc any
	require.NoError(t, json.Unmarshal(preset, &doc))

	named := map[string]bool{}
	ids := map[string]int{}
	for _, r := range rows {
		where := fmt.Sprintf("%s (docs/trace.md line %d)", r.id, r.line)
		if prev, dup := ids[r.id]; dup {
			t.Errorf("%s: ID used again (first on line %d)", where, prev)
		}
		ids[r.id] = r.line
		assert.NotEmpty(t, strings.TrimSpace(r.source), where)
		assert.NotEmpty(t, strings.TrimSpace(r.rule), where)

		host := strings.Contains(r.implemented, "**host**")
		impl := tokens(r.implemented)
		if !host && len(impl) == 0 {
			t.Errorf("%s: no preset field or Go identifier implements it, and it is not marked **host**", where)
		}
		for _, tok := range impl {
			switch {
			case strings.HasPrefix(tok, "$"):
				if _, err := resolvePath(doc, tok); err != nil {
					t.Errorf("%s: %s does not resolve in feedback.PresetRulesJSON(): %v", where, tok, err)
				}
			case strings.HasPrefix(tok, "go:"):
				if err := goDeclared(strings.TrimPrefix(tok, "go:"), false); err != nil {
					t.Errorf("%s: %v", where, err)
				}
			default:
				t.Errorf("%s: %q is neither a JSON path ($...) nor a Go identifier (go:pkg.Name)", where, tok)
			}
		}

		tests := tokens(r.test)
		if len(tests) == 0 {
			if !host || strings.TrimSpace(r.test) != "—" {
				t.Errorf("%s: no test checks it (only a **host** row may say —)", where)
			}
		}
		for _, tok := range tests {
			switch {
			case strings.HasPrefix(tok, "scenario/testdata/") && strings.HasSuffix(tok, ".json"):
				name := strings.TrimPrefix(tok, "scenario/testdata/")
				if _, err := os.Stat(filepath.Join(scenarioDir, name)); err != nil {
					t.Errorf("%s: scenario %s: %v", where, tok, err)
				}
				named[name] = true
			case strings.HasPrefix(tok, "go:"):
				if err := goDeclared(strings.TrimPrefix(tok, "go:"), true); err != nil {
					t.Errorf("%s: %v", where, err)
				}
			default:
				t.Errorf("%s: %q is neither a scenario file (scenario/testdata/*.json) nor a Go test (go:pkg.TestName)", where, tok)
			}
		}
	}

	// Every scenario file is there for a rule.
	files, err := filepath.Glob(filepath.Join(scenarioDir, "*.json"))
	require.NoError(t, err)
	require.NotEmpty(t, files)
	for _, f := range files {
		if !named[filepath.Base(f)] {
			t.Errorf("scenario/testdata/%s is named by no row of docs/trace.md", filepath.Base(f))
		}
	}
}

// selector is "[name=x]": the array element whose name, id or kind is x.
var selector = regexp.MustCompile(`^\[([a-z_]+)=([^\]]+)\]`)

// resolvePath follows a path such as
// $.sla.policies[name=after-sales].metrics[kind=follow_up].targets.P2 into v.
func resolvePath(v any, path string) (any, error) {
	rest, ok := strings.CutPrefix(path, "$")
	if !ok {
		return nil, fmt.Errorf("a path starts with $")
	}
	for rest != "" {
		switch {
		case strings.HasPrefix(rest, "."):
			rest = rest[1:]
			end := strings.IndexAny(rest, ".[")
			if end < 0 {
				end = len(rest)
			}
			key := rest[:end]
			rest = rest[end:]
			m, ok := v.(map[string]any)
			if !ok {
				return nil, fmt.Errorf("%q: not an object", key)
			}
			if v, ok = m[key]; !ok {
				return nil, fmt.Errorf("no key %q", key)
			}
		case selector.MatchString(rest):
			sm := selector.FindStringSubmatch(rest)
			rest = rest[len(sm[0]):]
			arr, ok := v.([]any)
			if !ok {
				return nil, fmt.Errorf("%s: not an array", sm[0])
			}
			var found any
			for _, el := range arr {
				if o, ok := el.(map[string]any); ok && o[sm[1]] == sm[2] {
					found = el
					break
				}
			}
			if found == nil {
				return nil, fmt.Errorf("no element with %s %q", sm[1], sm[2])
			}
			v = found
		case strings.HasPrefix(rest, "["):
			end := strings.Index(rest, "]")
			if end < 0 {
				return nil, fmt.Errorf("unclosed [ in %q", rest)
			}
			i, err := strconv.Atoi(rest[1:end])
			if err != nil {
				return nil, fmt.Errorf("bad index %q", rest[:end+1])
			}
			rest = rest[end+1:]
			arr, ok := v.([]any)
			if !ok || i < 0 || i >= len(arr) {
				return nil, fmt.Errorf("no element %d", i)
			}
			v = arr[i]
		default:
			return nil, fmt.Errorf("cannot read %q", rest)
		}
	}
	return v, nil
}

// sourceFile is one Go file of a package.
type sourceFile struct {
	data []byte
	test bool
}

// packageSources caches the sources of the packages the table names.
var packageSources = map[string][]sourceFile{}

func readPackage(pkg string) ([]sourceFile, bool) {
	if files, ok := packageSources[pkg]; ok {
		return files, len(files) > 0
	}
	names, _ := filepath.Glob(filepath.Join("..", pkg, "*.go"))
	var files []sourceFile
	for _, n := range names {
		data, err := os.ReadFile(n)
		if err != nil {
			continue
		}
		files = append(files, sourceFile{data: data, test: strings.HasSuffix(n, "_test.go")})
	}
	packageSources[pkg] = files
	return files, len(files) > 0
}

// goDeclared reports whether pkg.Name (or pkg.Type.Method) is declared in
// the package's source: in its test files when test is set.
func goDeclared(ref string, test bool) error {
	pkg, name, ok := strings.Cut(ref, ".")
	if !ok || pkg == "" || name == "" {
		return fmt.Errorf("go:%s: want go:pkg.Name", ref)
	}
	files, ok := readPackage(pkg)
	if !ok {
		return fmt.Errorf("go:%s: no package %s", ref, pkg)
	}
	var patterns []*regexp.Regexp
	if typ, method, isMethod := strings.Cut(name, "."); isMethod {
		patterns = append(patterns, regexp.MustCompile(`(?m)^func \(\w+ \*?`+regexp.QuoteMeta(typ)+`\) `+regexp.QuoteMeta(method)+`\(`))
	} else {
		q := regexp.QuoteMeta(name)
		patterns = append(patterns,
			regexp.MustCompile(`(?m)^func `+q+`\(`),
			regexp.MustCompile(`(?m)^(type|const|var) `+q+`\b`),
			regexp.MustCompile(`(?m)^\t`+q+`\s+(=|[A-Z\[*])`), // in a const, var or type block
		)
	}
	for _, f := range files {
		if f.test != test {
			continue
		}
		if slices.ContainsFunc(patterns, func(p *regexp.Regexp) bool { return p.Match(f.data) }) {
			return nil
		}
	}
	kind := "declaration"
	if test {
		kind = "test"
	}
	return fmt.Errorf("go:%s: no %s %s in package %s", ref, kind, name, pkg)
}

// The walker itself: paths, selectors and Go references resolve, and
// wrong ones do not.
func TestTraceResolvers(t *testing.T) {
	doc := map[string]any{"a": []any{map[string]any{"name": "x", "b": map[string]any{"P0": "24h"}}, map[string]any{"kind": "y"}}}
	tests := []struct {
		path string
		ok   bool
	}{
		{"$.a[name=x].b.P0", true},
		{"$.a[1]", true},
		{"$.a[kind=y]", true},
		{"$.a[name=z]", false},
		{"$.a[2]", false},
		{"$.b", false},
		{"$.a.b", false},
		{"a", false},
	}
	for _, tt := range tests {
		_, err := resolvePath(doc, tt.path)
		assert.Equal(t, tt.ok, err == nil, "%s: %v", tt.path, err)
	}
	for _, tt := range []struct {
		ref  string
		test bool
		ok   bool
	}{
		{"feedback.PresetRulesJSON", false, true},
		{"feedback.Rules.OpeningFromIntake", false, true},
		{"feedback.TriggerMerge", false, true},
		{"feedback.TestTraceTable", true, true},
		{"intake.Validator.ParseBatch", false, true},
		{"intake.PresetAfterSales", false, true},
		{"redact.Redactor", false, true},
		{"improvement.TestPlanTable3Outcomes", true, true},
		{"feedback.NoSuchThing", false, false},
		{"feedback.TestNoSuchTest", true, false},
		{"nosuchpkg.X", false, false},
	} {
		err := goDeclared(tt.ref, tt.test)
		assert.Equal(t, tt.ok, err == nil, "%s: %v", tt.ref, err)
	}
}
