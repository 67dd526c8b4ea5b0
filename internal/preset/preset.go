// Package preset serves the presets a package ships: JSON documents
// embedded from one directory, one file NAME.json per preset, listed and
// read by name. Every package with presets (compensation, priority, sla)
// keeps its own go:embed and hands the file system to [New]; names not
// shipped are errors wrapping [ErrUnknown], which the root package exports
// as closeloop.ErrUnknownPreset.
package preset

import (
	"embed"
	"errors"
	"fmt"
	"io/fs"
	"path"
	"slices"
	"strings"
)

// ErrUnknown marks a preset name that is not shipped.
var ErrUnknown = errors.New("unknown preset")

// Dir is a directory of JSON presets in an embedded file system.
type Dir struct {
	pkg   string
	fsys  embed.FS
	dir   string
	names []string
}

// New returns the presets in directory dir of fsys, for package pkg
// (which prefixes its errors). It panics if dir cannot be read: the
// directory is embedded at build time, so that is a bug caught by tests.
func New(pkg string, fsys embed.FS, dir string) Dir {
	entries, err := fs.ReadDir(fsys, dir)
	if err != nil {
		panic("preset: " + pkg + ": " + err.Error())
	}
	d := Dir{pkg: pkg, fsys: fsys, dir: dir}
	for _, e := range entries { // ReadDir sorts by file name
		if name, ok := strings.CutSuffix(e.Name(), ".json"); ok && !e.IsDir() {
			d.names = append(d.names, name)
		}
	}
	return d
}

// Names returns the presets' names, sorted: a new slice on every call.
func (d Dir) Names() []string { return slices.Clone(d.names) }

// JSON returns a copy of the named preset's document. A name that is not
// shipped is an error wrapping [ErrUnknown] that lists the names.
func (d Dir) JSON(name string) ([]byte, error) {
	if !slices.Contains(d.names, name) {
		return nil, Unknown(d.pkg, name, d.names)
	}
	return d.fsys.ReadFile(path.Join(d.dir, name+".json")) // ReadFile returns a copy
}

// Parse reads the named preset and compiles it with parse.
func Parse[T any](d Dir, name string, parse func(data []byte) (T, error)) (T, error) {
	data, err := d.JSON(name)
	if err != nil {
		var zero T
		return zero, err
	}
	return parse(data)
}

// Unknown returns the error for a preset name that package pkg does not
// ship, listing the names it has: it wraps [ErrUnknown].
func Unknown(pkg, name string, names []string) error {
	return fmt.Errorf("%s: %w %q (have %s)", pkg, ErrUnknown, name, strings.Join(names, ", "))
}
