package l10n

import (
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"regexp"
	"slices"
	"strconv"
	"strings"
	"testing"

	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
	"golang.org/x/text/language"

	"github.com/closeloop/closeloop/feedback"
	"github.com/closeloop/closeloop/sla"
)

// verbs matches the catalog's argument references.
var verbs = regexp.MustCompile(`%\[[0-9]+\][a-z]`)

// argSet lists the distinct argument references of a message.
func argSet(s string) []string {
	out := slices.Compact(slices.Sorted(slices.Values(verbs.FindAllString(s, -1))))
	for i, v := range out {
		out[i] = v[:len(v)-1] // %[2]s and %[2]q are the same argument
	}
	return slices.Compact(out)
}

// TestEveryMessageHasBothLanguages: every key once, English and Chinese
// both written, with the same arguments, and both render without a
// formatting error.
func TestEveryMessageHasBothLanguages(t *testing.T) {
	seen := map[string]bool{}
	for _, m := range messages {
		args := make([]any, 8)
		for i := range args {
			args[i] = "x" + strconv.Itoa(i)
		}
		if m.enOne != "" {
			args[0] = 2 // the count of plural messages
		}
		t.Run(m.key, func(t *testing.T) {
			require.False(t, seen[m.key], "duplicate key")
			seen[m.key] = true
			require.NotEmpty(t, strings.TrimSpace(m.en), "English")
			require.NotEmpty(t, strings.TrimSpace(m.zh), "Chinese")
			assert.Equal(t, argSet(m.en), argSet(m.zh), "the languages use the same arguments")
			if m.enOne != "" {
				assert.Subset(t, argSet(m.en), argSet(m.enOne), "the singular uses the plural's arguments (less the count)")
			}
			for _, tag := range Languages() {
				out := New(tag).t(m.key, args...)
				assert.NotContains(t, out, "%!", "%s renders", tag)
				assert.NotEqual(t, m.key, out, "%s finds the message", tag)
			}
			// Chinese text is written in Chinese: a message whose Chinese
			// equals its English must be punctuation and arguments only.
			if m.zh == m.en {
				assert.Regexp(t, `^[^a-zA-Z]*$`, verbs.ReplaceAllString(m.zh, ""), "untranslated")
			}
		})
	}
}

// TestCatalogLanguagesAreDistinct: the two printers really look up their
// own language (a missing Chinese entry would fall back to English).
func TestCatalogLanguagesAreDistinct(t *testing.T) {
	for _, m := range messages {
		if m.zh == m.en || len(argSet(m.zh)) > 0 {
			continue
		}
		assert.Equal(t, strings.ReplaceAll(m.zh, "%%", "%"), New(Chinese).t(m.key), m.key)
	}
	assert.ElementsMatch(t, []language.Tag{English, Chinese}, cat.Languages())
}

// TestEveryKeyInUseIsInTheCatalog scans this package's code: every
// string literal that looks like a catalog key is one, and every catalog
// key is used somewhere.
func TestEveryKeyInUseIsInTheCatalog(t *testing.T) {
	keys := map[string]bool{}
	for _, m := range messages {
		keys[m.key] = true
	}
	used := map[string]bool{}
	keyLike := regexp.MustCompile(`^[a-z]+(\.[a-z0-9_]+)+$`)
	fset := token.NewFileSet()
	files, err := filepath.Glob("*.go")
	require.NoError(t, err)
	for _, f := range files {
		if strings.HasSuffix(f, "_test.go") || f == "catalog.go" {
			continue
		}
		file, err := parser.ParseFile(fset, f, nil, 0)
		require.NoError(t, err)
		ast.Inspect(file, func(n ast.Node) bool {
			lit, ok := n.(*ast.BasicLit)
			if !ok || lit.Kind != token.STRING {
				return true
			}
			s, err := strconv.Unquote(lit.Value)
			if err == nil && keyLike.MatchString(s) {
				used[s] = true
				assert.True(t, keys[s], "%s: %q is not in the catalog", fset.Position(lit.Pos()), s)
			}
			return true
		})
	}
	for k := range keys {
		assert.True(t, used[k], "catalog key %q is never used", k)
	}
}

// TestSentinelsEnglishIsTheirOwnText: the English of each sentinel's key
// is the sentinel's text, so English error text is the package's own.
func TestSentinelsEnglishIsTheirOwnText(t *testing.T) {
	en := New(English)
	for _, s := range sentinels {
		assert.Equal(t, s.err.Error(), en.t(s.key), s.key)
	}
}

// TestEverySentinelIsTranslated reads the packages' sources: every
// exported package-level Err… variable has a catalog entry (matched by
// package and text), so a new sentinel fails here until it is translated.
func TestEverySentinelIsTranslated(t *testing.T) {
	have := map[string]bool{}
	for _, s := range sentinels {
		pkg, _, _ := strings.Cut(s.key, ".")
		have[pkg+"\x00"+s.err.Error()] = true
	}
	dirs := map[string]string{
		"feedback": "../feedback", "intake": "../intake", "improvement": "../improvement", "sla": "../sla", "priority": "../priority", "compensation": "../compensation",
		"metrics": "../metrics", "whatif": "../whatif", "risk": "../risk", "redact": "../redact", "scenario": "../scenario", "rulesjson": "../internal/rulesjson", "preset": "../internal/preset",
		"closeloop": "..", // the root package re-exports the decoding sentinels; new ones of its own need words too
	}
	found := 0
	for pkg, dir := range dirs {
		files, err := filepath.Glob(filepath.Join(dir, "*.go"))
		require.NoError(t, err)
		for _, f := range files {
			if strings.HasSuffix(f, "_test.go") {
				continue
			}
			src, err := os.ReadFile(f)
			require.NoError(t, err)
			file, err := parser.ParseFile(token.NewFileSet(), f, src, 0)
			require.NoError(t, err)
			for _, d := range file.Decls {
				g, ok := d.(*ast.GenDecl)
				if !ok || g.Tok != token.VAR {
					continue
				}
				for _, spec := range g.Specs {
					vs := spec.(*ast.ValueSpec)
					for i, name := range vs.Names {
						if !strings.HasPrefix(name.Name, "Err") || !name.IsExported() || i >= len(vs.Values) {
							continue
						}
						text := firstString(vs.Values[i])
						if text == "" {
							continue
						}
						found++
						assert.True(t, have[pkg+"\x00"+text], "%s.%s (%q) has no catalog entry", pkg, name.Name, text)
					}
				}
			}
		}
	}
	assert.Greater(t, found, 80, "the scan found the sentinels")
}

// firstString returns the first string literal in an expression: the
// text of errors.New("…") or of a composite sentinel.
func firstString(e ast.Expr) string {
	var out string
	ast.Inspect(e, func(n ast.Node) bool {
		if lit, ok := n.(*ast.BasicLit); ok && lit.Kind == token.STRING && out == "" {
			out, _ = strconv.Unquote(lit.Value)
		}
		return out == ""
	})
	return out
}

// TestTerms: each preset text has one translation, both ways.
func TestTerms(t *testing.T) {
	seen := map[string]term{}
	for _, tr := range terms {
		assert.NotEqual(t, tr.en, tr.zh, tr.en)
		for _, s := range []string{tr.en, tr.zh} {
			if prev, ok := seen[s]; ok {
				assert.Equal(t, prev, tr, "%q has two translations", s)
			}
			seen[s] = tr
		}
	}
	en, zh := New(English), New(Chinese)
	assert.Equal(t, "一批客户", zh.Term("a batch of customers"))
	assert.Equal(t, "under repair", en.Term("维修中"))
	assert.Equal(t, "维修中", zh.Term("维修中"))
	assert.Equal(t, "技术支持部", en.Term("技术支持部"), "other text is shown as given")
}

// TestPresetTextsAreTerms: the presets' node labels and the default
// lifecycle's state labels are all known, so neither language shows the
// other's words for them.
func TestPresetTextsAreTerms(t *testing.T) {
	for _, nodes := range [][]feedback.ProgressNode{feedback.PresetRepairNodes(), feedback.PresetLoopNodes()} {
		for _, n := range nodes {
			_, ok := termIndex[n.Label]
			assert.True(t, ok, "node %s label %q", n.ID, n.Label)
		}
	}
	for _, s := range feedback.DefaultLifecycle().States {
		_, ok := termIndex[s.Label]
		assert.True(t, ok, "state %s label %q", s.Name, s.Label)
	}
}

// TestNamedVocabularies: every guard, default state and trigger of the
// preset rules has words.
func TestNamedVocabularies(t *testing.T) {
	rules, err := feedback.PresetRules()
	require.NoError(t, err)
	for _, tr := range rules.Lifecycle().Triggers() {
		assert.Contains(t, triggerKeys, tr, "trigger %s", tr)
	}
	for _, g := range feedback.GuardNames() {
		assert.Contains(t, guardKeys, g, "guard %s", g)
	}
	for _, s := range sla.DefaultStates() {
		assert.Contains(t, stateKeys, feedback.State(s), "state %s", s)
	}
}
