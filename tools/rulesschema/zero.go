package rulesschema

import (
	"encoding/json"
	"reflect"
	"regexp"
	"slices"
	"strconv"
	"strings"

	"github.com/invopop/jsonschema"
)

// allowZero makes optional scalar properties accept their Go zero value.
//
// A struct field of type string or number cannot tell "" or 0 from an absent
// key: the compilers treat both alike, and Go's encoding/json omits them
// (omitempty). So wherever a key is optional, its zero value is as valid as
// leaving it out, even when other values must match a pattern, an
// enumeration or a range: "on_reopen": "" is the default, "calendar": "" the
// default calendar. types maps $defs names to their Go types.
func allowZero(defs jsonschema.Definitions, types map[string]reflect.Type) {
	for name, t := range types {
		d, ok := defs[name]
		if !ok || t.Kind() != reflect.Struct || d.Properties == nil {
			continue
		}
		for _, f := range reflect.VisibleFields(t) {
			key, _, _ := strings.Cut(f.Tag.Get("json"), ",")
			if !f.IsExported() || key == "" || key == "-" || slices.Contains(d.Required, key) {
				continue
			}
			p, ok := d.Properties.Get(key)
			if !ok {
				continue
			}
			var zero any
			switch f.Type.Kind() {
			case reflect.String:
				zero = ""
			case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64,
				reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64,
				reflect.Float32, reflect.Float64:
				zero = 0
			default:
				continue
			}
			if acceptsZero(p, zero) {
				continue
			}
			c := &jsonschema.Schema{
				Pattern: p.Pattern, Enum: p.Enum, MinLength: p.MinLength, Format: p.Format, Const: p.Const,
				Minimum: p.Minimum, Maximum: p.Maximum, ExclusiveMinimum: p.ExclusiveMinimum,
				ExclusiveMaximum: p.ExclusiveMaximum, AnyOf: p.AnyOf,
			}
			p.Pattern, p.Enum, p.MinLength, p.Format, p.Const = "", nil, nil, "", nil
			p.Minimum, p.Maximum, p.ExclusiveMinimum, p.ExclusiveMaximum = "", "", "", ""
			p.AnyOf = []*jsonschema.Schema{{Const: zero}, c}
		}
	}
}

// acceptsZero reports whether the constraints of p already admit zero.
func acceptsZero(p *jsonschema.Schema, zero any) bool {
	if p.Const != nil || p.Format != "" {
		return false
	}
	for _, a := range p.AnyOf {
		if a.Const == zero {
			return true
		}
	}
	if len(p.AnyOf) > 0 {
		return false
	}
	if zero == "" {
		if p.MinLength != nil && *p.MinLength > 0 {
			return false
		}
		if len(p.Enum) > 0 && !slices.Contains(p.Enum, any("")) {
			return false
		}
		return p.Pattern == "" || regexp.MustCompile(p.Pattern).MatchString("")
	}
	below := func(n json.Number, strict bool) bool { // n > 0 (or >= 0 when strict)
		if n == "" {
			return false
		}
		v, _ := strconv.ParseFloat(string(n), 64)
		return v > 0 || strict && v == 0
	}
	above := func(n json.Number, strict bool) bool { // n < 0 (or <= 0 when strict)
		if n == "" {
			return false
		}
		v, _ := strconv.ParseFloat(string(n), 64)
		return v < 0 || strict && v == 0
	}
	return !below(p.Minimum, false) && !below(p.ExclusiveMinimum, true) &&
		!above(p.Maximum, false) && !above(p.ExclusiveMaximum, true)
}

// set is a schema that holds when every key is present with a value other
// than zero ("" or 0), which is how the compilers tell a scalar is given.
func set(zero any, keys ...string) *jsonschema.Schema {
	s := &jsonschema.Schema{Required: keys, Properties: jsonschema.NewProperties()}
	for _, k := range keys {
		s.Properties.Set(k, &jsonschema.Schema{Not: &jsonschema.Schema{Const: zero}})
	}
	return s
}

// unset is a schema under which the scalar keys are absent or zero.
func unset(zero any, keys ...string) *jsonschema.Schema {
	s := &jsonschema.Schema{Properties: jsonschema.NewProperties()}
	for _, k := range keys {
		s.Properties.Set(k, &jsonschema.Schema{Const: zero})
	}
	return s
}
