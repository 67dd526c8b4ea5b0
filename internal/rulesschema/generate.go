package rulesschema

import (
	"bytes"
	"encoding/json"
	"errors"
	"fmt"
	"path"
	"reflect"
	"sort"
	"strings"

	"github.com/invopop/jsonschema"

	"github.com/closeloop/closeloop/compensation"
	"github.com/closeloop/closeloop/feedback"
	"github.com/closeloop/closeloop/priority"
	"github.com/closeloop/closeloop/sla"
)

// ID is the $id of the generated schema: where the committed file is
// published in the repository.
const ID = "https://raw.githubusercontent.com/closeloop/closeloop/main/schema/rules.schema.json"

// Title is the schema's title.
const Title = "closeloop rules document"

// section is a part of feedback.RulesDocument kept as raw JSON, with the Go
// type its parser decodes it into.
type section struct {
	typ reflect.Type
	// array: the section is a JSON array of typ (ParseCalendars,
	// the compensation section).
	array bool
	// itemRequired are keys every element of an array section needs.
	itemRequired []string
}

// sections maps the JSON name of every json.RawMessage field of
// feedback.RulesDocument to what its parser reads. Generate fails on a raw
// field missing here, so a new section cannot be left undescribed.
var sections = map[string]section{
	"taxonomy":  {typ: reflect.TypeFor[feedback.TaxonomySpec]()},
	"routing":   {typ: reflect.TypeFor[feedback.RoutingSpec]()},
	"priority":  {typ: reflect.TypeFor[priority.Rules]()},
	"calendars": {typ: reflect.TypeFor[sla.CalendarSpec](), array: true, itemRequired: []string{"name"}},
	"sla":       {typ: reflect.TypeFor[sla.PolicySetSpec]()},
	// parseCompensation decodes an array of documents and hands each to
	// compensation.ParsePolicy.
	"compensation": {typ: reflect.TypeFor[compensation.PolicySpec](), array: true},
}

// DefName returns the $defs key of a Go type: its package name and type
// name, "sla.CalendarSpec". The sub-documents with parsers of their own are
// "sla.CalendarSpec" (sla.ParseCalendarSpec), "sla.PolicySetSpec"
// (sla.CompilePolicies), "priority.Rules" (priority.Parse) and
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

	raw := reflect.TypeFor[json.RawMessage]()
	seen := map[string]bool{}
	for i := 0; i < docType.NumField(); i++ {
		f := docType.Field(i)
		if f.Type != raw {
			continue
		}
		name, _, _ := strings.Cut(f.Tag.Get("json"), ",")
		sec, ok := sections[name]
		if !ok {
			return nil, fmt.Errorf("rulesschema: section %q of feedback.RulesDocument is raw JSON and has no type in sections", name)
		}
		seen[name] = true
		s := newReflector(false).ReflectFromType(sec.typ)
		if err := mergeDefs(defs, s.Definitions); err != nil {
			return nil, err
		}
		ref := &jsonschema.Schema{Ref: "#/$defs/" + DefName(sec.typ)}
		prop, ok := root.Properties.Get(name)
		if !ok {
			return nil, fmt.Errorf("rulesschema: no property %q in the reflected rules document", name)
		}
		desc := prop.Description
		if sec.array {
			ref.Required = sec.itemRequired
			prop = &jsonschema.Schema{Type: "array", Items: ref}
		} else {
			prop = ref
		}
		prop.Description = desc
		root.Properties.Set(name, prop)
	}
	for name := range sections {
		if !seen[name] {
			return nil, fmt.Errorf("rulesschema: section %q is not a raw field of feedback.RulesDocument", name)
		}
	}
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
