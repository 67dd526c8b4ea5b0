package preset

import (
	"embed"
	"errors"
	"slices"
	"strconv"
	"testing"
)

//go:embed testdata/presets
var testFS embed.FS

func TestDir(t *testing.T) {
	d := New("pkg", testFS, "testdata/presets")
	names := d.Names()
	if got, want := names, []string{"a-one", "b-two"}; !slices.Equal(got, want) {
		t.Fatalf("Names() = %q, want %q", got, want)
	}
	names[0] = "changed"
	if d.Names()[0] != "a-one" {
		t.Fatal("Names returned the Dir's own slice")
	}
	data, err := d.JSON("b-two")
	if err != nil || string(data) != "{\"name\": \"b-two\"}\n" {
		t.Fatalf("JSON(b-two) = %q, %v", data, err)
	}
	n, err := Parse(d, "a-one", func(b []byte) (int, error) { return len(b), nil })
	if err != nil || n == 0 {
		t.Fatalf("Parse(a-one) = %d, %v", n, err)
	}
	for _, name := range []string{"nope", "", "../presets/a-one", "a-one.json", "README"} {
		_, err := d.JSON(name)
		if !errors.Is(err, ErrUnknown) {
			t.Errorf("JSON(%q): %v, want ErrUnknown", name, err)
		}
		if _, err := Parse(d, name, func([]byte) (int, error) { return 1, nil }); !errors.Is(err, ErrUnknown) {
			t.Errorf("Parse(%q): %v, want ErrUnknown", name, err)
		}
	}
	_, err = d.JSON("nope")
	if got, want := err.Error(), `pkg: unknown preset "nope" (have a-one, b-two)`; got != want {
		t.Errorf("error %s, want %s", strconv.Quote(got), strconv.Quote(want))
	}
}
