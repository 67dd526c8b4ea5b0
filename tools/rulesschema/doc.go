// Package rulesschema generates the JSON Schema of a closeloop rules document
// (feedback.RulesDocument), so that editors validate rules files as they are
// typed.
//
// The schema is derived from the Go types by reflection
// (github.com/invopop/jsonschema): every section of the rules document is
// its package's spec type. Those types are plain data: durations, clock times, dates, amounts and band ranges are
// strings that the compilers parse, and the generator adds to each the
// pattern or enumeration the compiler accepts, the fields the compiler
// requires and the choices it enforces ("exactly one of percent, before and
// after"). Doc comments of the Go types become descriptions.
//
// The generator is a module of its own (tools/rulesschema), so that its
// dependencies — the reflector and a JSON Schema validator for its tests —
// are not the library's. The schema is committed as
// schema/rules.schema.json; a test fails when it differs from what Generate
// returns. Regenerate it with
//
//	cd tools/rulesschema && go generate .
//
// or go run ./cmd from the same directory.
//
// The schema is a help for people editing rules, not the authority: the
// compilers check more (that names refer to calendars, states and levels
// that exist, that bands are in order, that a matrix is monotonic...).
package rulesschema

//go:generate go run ./cmd -o ../../schema/rules.schema.json
