package rulesschema

import (
	"fmt"
	"go/ast"
	"go/parser"
	"go/token"
	"os"
	"path/filepath"
	"runtime"
	"strings"
)

// modulePath is the import path of the module whose packages are described.
const modulePath = "github.com/closeloop/closeloop"

// commentPackages are the packages whose doc comments become descriptions,
// relative to the module root.
var commentPackages = []string{"feedback", "intake", "sla", "priority", "compensation"}

// moduleRoot returns the directory of the module's source, found from this
// file's own path.
func moduleRoot() (string, error) {
	_, file, _, ok := runtime.Caller(0)
	if !ok {
		return "", fmt.Errorf("rulesschema: cannot locate the source")
	}
	root := filepath.Join(filepath.Dir(file), "..", "..")
	if _, err := os.Stat(filepath.Join(root, "go.mod")); err != nil {
		return "", fmt.Errorf("rulesschema: the module source is needed for descriptions: %w", err)
	}
	return root, nil
}

// goComments reads the doc comments of the exported types and struct fields
// of commentPackages, keyed as jsonschema.Reflector.CommentMap wants them:
// "<import path>.<Type>" and "<import path>.<Type>.<Field>". Type comments
// are kept whole; a field without a doc comment takes its line comment.
func goComments() (map[string]string, error) {
	root, err := moduleRoot()
	if err != nil {
		return nil, err
	}
	out := map[string]string{}
	for _, pkg := range commentPackages {
		dir := filepath.Join(root, pkg)
		entries, err := os.ReadDir(dir)
		if err != nil {
			return nil, err
		}
		fset := token.NewFileSet()
		importPath := modulePath + "/" + pkg
		for _, e := range entries {
			name := e.Name()
			if e.IsDir() || !strings.HasSuffix(name, ".go") || strings.HasSuffix(name, "_test.go") {
				continue
			}
			f, err := parser.ParseFile(fset, filepath.Join(dir, name), nil, parser.ParseComments)
			if err != nil {
				return nil, err
			}
			collectComments(f, importPath, out)
		}
	}
	return out, nil
}

func collectComments(f *ast.File, importPath string, out map[string]string) {
	for _, decl := range f.Decls {
		gd, ok := decl.(*ast.GenDecl)
		if !ok || gd.Tok != token.TYPE {
			continue
		}
		for _, spec := range gd.Specs {
			ts := spec.(*ast.TypeSpec)
			if !ts.Name.IsExported() {
				continue
			}
			text := ts.Doc.Text()
			if text == "" && len(gd.Specs) == 1 {
				text = gd.Doc.Text()
			}
			if text = description(text); text != "" {
				out[importPath+"."+ts.Name.Name] = text
			}
			st, ok := ts.Type.(*ast.StructType)
			if !ok {
				continue
			}
			prev := ""
			for _, field := range st.Fields.List {
				text := field.Doc.Text()
				if text == "" {
					text = field.Comment.Text()
				}
				text = description(text)
				if text == "" && len(field.Names) > 0 && mentions(prev, field.Names[0].Name) {
					// "Floor and Cap bound ..." written once above two fields.
					text = prev
				}
				if field.Doc != nil {
					prev = text
				}
				if text == "" {
					continue
				}
				for _, n := range field.Names {
					if n.IsExported() {
						out[importPath+"."+ts.Name.Name+"."+n.Name] = text
					}
				}
			}
		}
	}
}

// mentions reports whether text names the Go identifier name as a word.
func mentions(text, name string) bool {
	for i := 0; ; {
		j := strings.Index(text[i:], name)
		if j < 0 {
			return false
		}
		j += i
		end := j + len(name)
		before := j == 0 || !isIdentByte(text[j-1])
		after := end == len(text) || !isIdentByte(text[end])
		if before && after {
			return true
		}
		i = end
	}
}

func isIdentByte(c byte) bool {
	return c == '_' || c >= '0' && c <= '9' || c >= 'a' && c <= 'z' || c >= 'A' && c <= 'Z'
}

// description turns a doc comment into a description: the lines of each
// paragraph joined by spaces, doc links [Parse] as plain names. Indented
// blocks (code, lists) keep their line breaks.
func description(text string) string {
	var paras []string
	for _, p := range strings.Split(strings.TrimSpace(text), "\n\n") {
		lines := strings.Split(p, "\n")
		indented := false
		for _, l := range lines {
			if strings.HasPrefix(l, "\t") || strings.HasPrefix(l, " ") {
				indented = true
			}
		}
		if indented {
			paras = append(paras, p)
			continue
		}
		paras = append(paras, strings.Join(lines, " "))
	}
	out := strings.Join(paras, "\n\n")
	var b strings.Builder
	for _, blk := range strings.SplitAfter(out, "]") {
		if i := strings.LastIndex(blk, "["); i >= 0 && strings.HasSuffix(blk, "]") && isDocLink(blk[i+1:len(blk)-1]) {
			blk = blk[:i] + blk[i+1:len(blk)-1]
		}
		b.WriteString(blk)
	}
	return b.String()
}

// isDocLink reports whether s, found between brackets, is a Go doc link
// ("Parse", "sla.Calendar", "*PathError").
func isDocLink(s string) bool {
	s = strings.TrimPrefix(s, "*")
	if s == "" {
		return false
	}
	for _, part := range strings.Split(s, ".") {
		if !token.IsIdentifier(part) {
			return false
		}
	}
	return ast.IsExported(s[strings.LastIndex(s, ".")+1:])
}
