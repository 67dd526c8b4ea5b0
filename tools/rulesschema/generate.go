package rulesschema

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"reflect"
	"sort"

	"github.com/invopop/jsonschema"

	"github.com/closeloop/closeloop/feedback"
)

// ID is the $id of the generated schema: where the committed file is
// published in the repository.
const ID = "https://raw.githubusercontent.com/closeloop/closeloop/main/schema/rules.schema.json"

// Title is the schema's title.
const Title = "closeloop rules document"

// DefName returns the $defs key of a Go type: its package name and type
// name, "sla.CalendarSpec". The sub-documents with parsers of their own are
// "sla.CalendarSpec" (sla.ParseCalendarSpec), "sla.PolicySetSpec"
// (sla.ParsePolicySet), "priority.Spec" (priority.Parse) and
// "compensation.PolicySpec" (compensation.ParsePolicy).
func DefName(t reflect.Type) string {
	for t.Kind() == reflect.Pointer {
		t = t.Elem()
	}
	if t.Name() == "" || t.PkgPath() == "" {
		return ""
	}
	return path.Base(t.PkgPath()) + "." + t.Name()
}

// Generate returns the JSON Schema (draft 2020-12) of a rules document,
// indented, with a final newline. Descriptions come from the Go doc comments
// of the module's source, which must be present (Generate is meant for go
// generate and tests, not for production binaries).
func Generate() ([]byte, error) {
	comments, err := goComments()
	if err != nil {
		return nil, err
	}
	defs := jsonschema.Definitions{}
	mapped := jsonschema.Definitions{}
	types := map[string]reflect.Type{}
	namer := func(t reflect.Type) string {
		name := DefName(t)
		for t.Kind() == reflect.Pointer {
			t = t.Elem()
		}
		if name != "" {
			types[name] = t
		}
		return name
	}
	newReflector := func(expanded bool) *jsonschema.Reflector {
		return &jsonschema.Reflector{
			Anonymous: true,
			// Nothing is required because of a missing omitempty: the
			// decoder requires nothing; what the compilers require is
			// added by the refinements.
			RequiredFromJSONSchemaTags: true,
			ExpandedStruct:             expanded,
			Namer:                      namer,
			Mapper:                     mapper(mapped),
			CommentMap:                 comments,
		}
	}

	docType := reflect.TypeFor[feedback.RulesDocument]()
	root := newReflector(true).ReflectFromType(docType)
	if err := mergeDefs(defs, root.Definitions); err != nil {
		return nil, err
	}
	root.Definitions = nil

	if err := mergeDefs(defs, mapped); err != nil {
		return nil, err
	}

	rf := &refiner{defs: defs}
	rf.root(root)
	for _, name := range sortedKeys(refinements) {
		d, ok := defs[name]
		if !ok {
			rf.errs = append(rf.errs, fmt.Errorf("rulesschema: refinement for %q, which is not in $defs", name))
			continue
		}
		rf.cur = name
		refinements[name](rf, d)
	}
	allowZero(defs, types)
	if err := describe(defs); err != nil {
		rf.errs = append(rf.errs, err)
	}
	if err := errors.Join(rf.errs...); err != nil {
		return nil, err
	}

	root.Version = "https://json-schema.org/draft/2020-12/schema"
	root.ID = jsonschema.ID(ID)
	root.Title = Title
	root.Definitions = defs

	var buf bytes.Buffer
	enc := json.NewEncoder(&buf)
	enc.SetEscapeHTML(false)
	enc.SetIndent("", "  ")
	if err := enc.Encode(root); err != nil {
		return nil, err
	}
	return buf.Bytes(), nil
}

// mergeDefs adds src to dst. Definition names carry the package, so one name
// is one type; a name met twice keeps its first schema.
func mergeDefs(dst, src jsonschema.Definitions) error {
	for name, s := range src {
		if name == "" {
			return fmt.Errorf("rulesschema: a definition without a name")
		}
		if _, ok := dst[name]; !ok {
			dst[name] = s
		}
	}
	return nil
}

func sortedKeys[V any](m map[string]V) []string {
	out := make([]string, 0, len(m))
	for k := range m {
		out = append(out, k)
	}
	sort.Strings(out)
	return out
}
