package feedback

import (
	"encoding/json"
	"reflect"
	"testing"
	"time"

	"github.com/stretchr/testify/require"
)

// fillShared gives every nil pointer, empty slice and empty map that v
// (a struct, or reached from one) holds a value, so that a history
// carries something behind each of them; fresh says v was just made
// here, and its empty strings and instants get a value too.
func fillShared(v reflect.Value, fresh bool) {
	switch v.Kind() {
	case reflect.Pointer:
		if v.IsNil() {
			v.Set(reflect.New(v.Type().Elem()))
			fillShared(v.Elem(), true)
		} else {
			fillShared(v.Elem(), fresh)
		}
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[time.Time]() {
			if fresh {
				v.Set(reflect.ValueOf(tkT0.Add(time.Hour).In(time.FixedZone("x", 3600))))
			}
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fillShared(v.Field(i), fresh)
			}
		}
	case reflect.Slice:
		if v.Len() == 0 {
			v.Set(reflect.MakeSlice(v.Type(), 1, 1))
			fresh = true
		}
		for i := range v.Len() {
			fillShared(v.Index(i), fresh)
		}
	case reflect.Map:
		if v.Len() == 0 {
			m := reflect.MakeMap(v.Type())
			m.SetMapIndex(reflect.ValueOf("k").Convert(v.Type().Key()), reflect.ValueOf("v").Convert(v.Type().Elem()))
			v.Set(m)
		}
	case reflect.String:
		if fresh && v.Len() == 0 {
			v.SetString("x")
		}
	}
}

// mutateDeep changes every value v holds or reaches through pointers,
// slices and maps.
func mutateDeep(t *testing.T, v reflect.Value) {
	switch v.Kind() {
	case reflect.Pointer:
		if !v.IsNil() {
			mutateDeep(t, v.Elem())
		}
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[time.Time]() {
			v.Set(reflect.ValueOf(time.Unix(1, 0)))
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				mutateDeep(t, v.Field(i))
			}
		}
	case reflect.Slice:
		for i := range v.Len() {
			mutateDeep(t, v.Index(i))
		}
	case reflect.Map:
		if v.IsNil() {
			return
		}
		mutated := reflect.ValueOf("mutated").Convert(v.Type().Elem())
		for _, k := range v.MapKeys() {
			v.SetMapIndex(k, mutated)
		}
		v.SetMapIndex(reflect.ValueOf("added").Convert(v.Type().Key()), mutated)
	case reflect.String:
		v.SetString("mutated")
	case reflect.Int, reflect.Int8, reflect.Int16, reflect.Int32, reflect.Int64:
		v.SetInt(v.Int() + 99)
	case reflect.Uint, reflect.Uint8, reflect.Uint16, reflect.Uint32, reflect.Uint64:
		v.SetUint(v.Uint() + 99)
	case reflect.Float32, reflect.Float64:
		v.SetFloat(v.Float() + 99)
	case reflect.Bool:
		v.SetBool(!v.Bool())
	default:
		t.Fatalf("kind %v: teach mutateDeep about it", v.Kind())
	}
}

// TestReplaySharesNothing checks that a replayed ticket shares no memory
// with the events it was replayed from: after Replay, every value the
// events hold or reach through a pointer, slice or map is changed, and
// the ticket must not see it. The histories: the closed loop as Fire
// records it, and the same with every pointer, slice and map of every
// payload filled in (Replay copies what a trigger ignores too).
func TestReplaySharesNothing(t *testing.T) {
	r := testRules(t)
	tk, err := runLoop(r, "F1")
	require.NoError(t, err)
	for _, filled := range []bool{false, true} {
		events := tk.Clone().History
		if filled {
			for i := range events {
				fillShared(reflect.ValueOf(&events[i].Payload).Elem(), false)
			}
			require.NotNil(t, events[5].Payload.Compensation.Explanation)
			require.NotNil(t, events[0].Payload.Opening.Attributes)
		}
		got, err := r.Replay(events)
		require.NoError(t, err, "filled %v", filled)
		// The ticket as JSON, which copies what it reaches (Clone would
		// share what Payload.own forgets to copy).
		want, err := json.Marshal(got)
		require.NoError(t, err)
		mutateDeep(t, reflect.ValueOf(events))
		after, err := json.Marshal(got)
		require.NoError(t, err)
		require.JSONEq(t, string(want), string(after), "filled %v", filled)
		clear(events)
		after, err = json.Marshal(got)
		require.NoError(t, err)
		require.JSONEq(t, string(want), string(after), "filled %v", filled)
	}
}
