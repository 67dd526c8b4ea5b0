package feedback

import (
	"reflect"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// fillNonZero sets every field of the struct v points to a non-zero value
// (one level deep: a pointer gets a new zero value, a slice or map one
// element), so that a copy that forgets a field shows.
func fillNonZero(t *testing.T, v reflect.Value) {
	t.Helper()
	v = v.Elem()
	for i := range v.NumField() {
		f, name := v.Field(i), v.Type().Field(i).Name
		switch f.Kind() {
		case reflect.String:
			f.SetString("x-" + name)
		case reflect.Int, reflect.Int64:
			f.SetInt(int64(i + 1))
		case reflect.Pointer:
			f.Set(reflect.New(f.Type().Elem()))
		case reflect.Slice:
			f.Set(reflect.MakeSlice(f.Type(), 1, 1))
		case reflect.Map:
			f.Set(reflect.MakeMap(f.Type()))
		case reflect.Struct:
			if f.Type() == reflect.TypeFor[time.Time]() {
				f.Set(reflect.ValueOf(time.Date(2024, 3, 1, 9, 0, i, 0, time.FixedZone("x", 3600))))
				continue
			}
			if f.Type() == reflect.TypeFor[Payload]() {
				fillNonZero(t, f.Addr())
				continue
			}
			t.Fatalf("field %s: struct %v: teach fillNonZero (and copyEvent) about it", name, f.Type())
		default:
			t.Fatalf("field %s: kind %v: teach fillNonZero (and copyEvent) about it", name, f.Kind())
		}
	}
}

// TestCopyEvent checks that copyEvent copies every field of an event and
// its payload as Event.clone does (sharing no pointer, slice or map of the
// payload), and that a zero event copies as zero.
func TestCopyEvent(t *testing.T) {
	var e Event
	fillNonZero(t, reflect.ValueOf(&e))
	require.NotZero(t, e.Payload.Task)
	var got Event
	copyEvent(&got, &e, nil)
	require.Equal(t, e.clone(), got)
	for i := range reflect.TypeFor[Payload]().NumField() {
		name := reflect.TypeFor[Payload]().Field(i).Name
		f, g := reflect.ValueOf(e.Payload).Field(i), reflect.ValueOf(got.Payload).Field(i)
		switch f.Kind() {
		case reflect.Pointer, reflect.Slice:
			require.NotEqual(t, f.Pointer(), g.Pointer(), name)
		}
		// Each payload field alone.
		var one Event
		reflect.ValueOf(&one.Payload).Elem().Field(i).Set(f)
		var c Event
		copyEvent(&c, &one, nil)
		require.Equal(t, one.clone(), c, name)
	}
	var zero, z Event
	copyEvent(&z, &zero, nil)
	require.Equal(t, zero, z)
}
