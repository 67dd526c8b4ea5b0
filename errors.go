package closeloop

import (
	"github.com/closeloop/closeloop/internal/preset"
	"github.com/closeloop/closeloop/internal/rulesjson"
)

// PathError is an error located at a JSON path of a rules document, such as
// "$.policies[2].targets.P1" or "$[0].holidays[3].date": Path names the
// value at fault, Err the problem (often wrapping one of the sentinels
// below or a package's own). Every package's decoding and compiling errors
// are *PathError; their PathError names are this type.
type PathError = rulesjson.PathError

// Decoding sentinels, wrapped by a *[PathError]; test them with [errors.Is].
var (
	// ErrSyntax marks malformed JSON.
	ErrSyntax = rulesjson.ErrSyntax
	// ErrUnknownField marks an object key that matches no field.
	ErrUnknownField = rulesjson.ErrUnknownField
	// ErrDuplicateKey marks an object key given twice.
	ErrDuplicateKey = rulesjson.ErrDuplicateKey
	// ErrType marks a value of the wrong JSON kind or out of range for its field.
	ErrType = rulesjson.ErrType
	// ErrTrailingData marks data after the top-level value.
	ErrTrailingData = rulesjson.ErrTrailingData
	// ErrTooDeep marks objects and arrays nested deeper than [MaxDepth].
	ErrTooDeep = rulesjson.ErrTooDeep
	// ErrTooLarge marks a document longer than [MaxSize] bytes.
	ErrTooLarge = rulesjson.ErrTooLarge
)

// ErrUnknownPreset marks a preset name that a package does not ship
// (compensation.Preset, priority.Preset, sla.Preset, their PresetJSON,
// intake.PresetTaxonomy). Each of those packages' ErrUnknownPreset is this
// same value, so one [errors.Is] test covers them all.
var ErrUnknownPreset = preset.ErrUnknown

// Limits every rules document decoder enforces before decoding.
const (
	// MaxDepth is the deepest nesting of objects and arrays accepted (the
	// top-level value is at depth 1).
	MaxDepth = rulesjson.MaxDepth
	// MaxSize is the longest document accepted, in bytes.
	MaxSize = rulesjson.MaxSize
)
