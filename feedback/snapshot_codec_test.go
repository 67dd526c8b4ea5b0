package feedback

import (
	"encoding/json"
	"reflect"
	"strings"
	"testing"
	"time"

	"github.com/closeloop/closeloop/internal/utcjson"
	"github.com/closeloop/closeloop/sla"
	"github.com/stretchr/testify/assert"
	"github.com/stretchr/testify/require"
)

type memberInfo struct {
	Name string
	Mode omitMode
}

func describe[T any](m *members) (reflect.Type, []memberInfo) {
	out := make([]memberInfo, len(m.list))
	for i, mb := range m.list {
		out[i] = memberInfo{mb.name, mb.mode}
	}
	return reflect.TypeFor[T](), out
}

// codecObjects maps every struct type of the snapshot to its codec table.
func codecObjects() map[reflect.Type][]memberInfo {
	out := map[reflect.Type][]memberInfo{}
	add := func(t reflect.Type, m []memberInfo) { out[t] = m }
	add(describe[Ticket](ticketMembers))
	add(describe[Event](eventMembers))
	add(describe[Payload](payloadMembers))
	add(describe[Opening](openingMembers))
	add(describe[PriorityInput](priorityInputMembers))
	add(describe[FollowUp](followUpMembers))
	add(describe[TicketDelay](delayMembers))
	add(describe[Rejection](rejectionMembers))
	add(describe[CompensationChoice](compensationMembers))
	add(describe[Task](taskMembers))
	add(describe[TaskRequest](taskRequestMembers))
	add(describe[sla.PolicyPin](pinMembers))
	return out
}

// TestSnapshotCodecKnowsEveryField fails when a struct of the snapshot
// gains, loses, renames or re-tags a JSON field the hand-written codec
// does not follow: add the member to its table in snapshot_codec.go.
func TestSnapshotCodecKnowsEveryField(t *testing.T) {
	codec := codecObjects()
	seen := map[reflect.Type]bool{}
	var walk func(reflect.Type)
	walk = func(typ reflect.Type) {
		if seen[typ] {
			return
		}
		seen[typ] = true
		var fromTags []memberInfo
		for i := range typ.NumField() {
			f := typ.Field(i)
			if !f.IsExported() {
				continue
			}
			tag := f.Tag.Get("json")
			if tag == "-" {
				continue
			}
			name, opts, _ := strings.Cut(tag, ",")
			if name == "" {
				name = f.Name
			}
			mode := omitNever
			switch {
			case strings.Contains(","+opts+",", ",omitzero,"):
				mode = omitZero
			case strings.Contains(","+opts+",", ",omitempty,"):
				mode = omitEmpty
			}
			fromTags = append(fromTags, memberInfo{name, mode})
			ft := f.Type
			for ft.Kind() == reflect.Pointer || ft.Kind() == reflect.Slice {
				ft = ft.Elem()
			}
			if ft.Kind() == reflect.Struct && ft != reflect.TypeFor[time.Time]() {
				walk(ft)
			}
		}
		members, ok := codec[typ]
		require.True(t, ok, "the snapshot holds a %v, which the codec has no table for", typ)
		assert.Equal(t, fromTags, members, "%v: the codec's members differ from the struct's JSON tags", typ)
	}
	walk(reflect.TypeFor[Ticket]())
	assert.Len(t, seen, len(codec), "the codec has tables for types the snapshot no longer holds")
}

// fillAll sets every exported field of v, recursively, to a value that is
// not zero, so that a field the codec does not write or read shows.
func fillAll(v reflect.Value, salt int) {
	switch v.Kind() {
	case reflect.String:
		v.SetString("s" + strings.Repeat("x", salt%3) + "<&>\u2028")
	case reflect.Int, reflect.Int64, reflect.Int32:
		v.SetInt(int64(7 + salt))
	case reflect.Uint8, reflect.Uint, reflect.Uint64:
		v.SetUint(uint64(1 + salt%2))
	case reflect.Bool:
		v.SetBool(true)
	case reflect.Pointer:
		v.Set(reflect.New(v.Type().Elem()))
		fillAll(v.Elem(), salt+1)
	case reflect.Slice:
		s := reflect.MakeSlice(v.Type(), 2, 2)
		for i := range 2 {
			fillAll(s.Index(i), salt+i+1)
		}
		v.Set(s)
	case reflect.Map:
		m := reflect.MakeMap(v.Type())
		for i := range 2 {
			k := reflect.New(v.Type().Key()).Elem()
			fillAll(k, salt+i)
			k.SetString(k.String() + string(rune('a'+i)))
			e := reflect.New(v.Type().Elem()).Elem()
			fillAll(e, salt+i)
			m.SetMapIndex(k, e)
		}
		v.Set(m)
	case reflect.Struct:
		if v.Type() == reflect.TypeFor[time.Time]() {
			v.Set(reflect.ValueOf(tkT0.Add(time.Duration(salt)*time.Hour + 120*time.Nanosecond)))
			return
		}
		for i := range v.NumField() {
			if v.Type().Field(i).IsExported() {
				fillAll(v.Field(i), salt+i)
			}
		}
	}
}

// TestSnapshotEveryField: a ticket with every field of every struct set
// (by reflection, so fields added later are set too) is written as
// encoding/json writes it and read back as encoding/json reads it.
func TestSnapshotEveryField(t *testing.T) {
	var tk Ticket
	fillAll(reflect.ValueOf(&tk).Elem(), 0)
	want, err := json.Marshal(&tk)
	require.NoError(t, err)
	got, err := MarshalSnapshot(&tk)
	require.NoError(t, err)
	require.Equal(t, string(want), string(got))
	var ref Ticket
	require.NoError(t, json.Unmarshal(want, &ref))
	back, err := decodeSnapshot(want)
	require.NoError(t, err)
	assert.Equal(t, &ref, back)
	assert.Equal(t, &tk, back)
}

// TestSnapshotInstantsWrittenInUTC: an instant in another zone (a Ticket
// built by hand) is written in UTC, as the format says, not with its
// offset as encoding/json would write it; ParseSnapshot refuses offsets.
func TestSnapshotInstantsWrittenInUTC(t *testing.T) {
	sh := time.FixedZone("CST", 8*3600)
	tk := &Ticket{ID: "F1", Opened: time.Date(2024, 3, 1, 17, 0, 0, 5, sh), Updated: time.Date(2024, 3, 1, 17, 0, 0, 0, sh)}
	data, err := MarshalSnapshot(tk)
	require.NoError(t, err)
	assert.Contains(t, string(data), `"opened":"2024-03-01T09:00:00.000000005Z","updated":"2024-03-01T09:00:00Z"`)
	for _, at := range []time.Time{time.Date(0, 12, 31, 0, 0, 0, 0, time.UTC), time.Date(10000, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(-5, 1, 1, 0, 0, 0, 0, time.UTC)} {
		_, err := MarshalSnapshot(&Ticket{ID: "F1", Opened: at})
		assert.ErrorIs(t, err, errInstantRange, "%v", at)
	}
}

// TestSnapshotInstantFormat: every instant of years 1..9999, with any
// nanoseconds, is written as time.Time.MarshalJSON writes it and parsed
// back to the same time.Time.
func TestSnapshotInstantFormat(t *testing.T) {
	instants := []time.Time{
		{}, time.Date(1, 1, 1, 0, 0, 0, 1, time.UTC), time.Date(1969, 12, 31, 23, 59, 59, 999999999, time.UTC),
		time.Date(1970, 1, 1, 0, 0, 0, 0, time.UTC), time.Date(2000, 2, 29, 12, 30, 5, 100000000, time.UTC),
		time.Date(2100, 2, 28, 23, 0, 0, 120, time.UTC), time.Date(9999, 12, 31, 23, 59, 59, 999999999, time.UTC),
	}
	for d := time.Date(1, 1, 1, 0, 0, 0, 0, time.UTC); d.Year() < 10000; d = d.Add(367*24*time.Hour + 3*time.Hour + 7*time.Minute + 13*time.Second + 123457*time.Nanosecond) {
		instants = append(instants, d)
	}
	for _, at := range instants {
		want, err := at.MarshalJSON()
		require.NoError(t, err)
		var e snapEncoder
		e.instant(at)
		require.NoError(t, e.err)
		require.Equal(t, string(want), string(e.b))
		back, problem := utcjson.Parse(string(want[1 : len(want)-1]))
		require.Empty(t, problem, "%s", want)
		var ref time.Time
		require.NoError(t, ref.UnmarshalJSON(want))
		require.Equal(t, ref, back, "%s", want)
	}
}

// TestSnapshotStrings: strings are written as encoding/json writes them
// and read back, whatever they hold.
func TestSnapshotStrings(t *testing.T) {
	all := make([]byte, 0, 256)
	for c := range 256 {
		all = append(all, byte(c))
	}
	for _, s := range []string{"", "plain", string(all), "\u2028\u2029\u2027", "客户 😀 é", "\xff\xfe", "a\xc3", "<script>&amp;</script>", `"\/`} {
		want, err := json.Marshal(s)
		require.NoError(t, err)
		require.Equal(t, string(want), string(appendJSONString(nil, s)))
		d := snapDecoder{s: string(want)}
		got, err := d.str()
		require.NoError(t, err)
		var ref string
		require.NoError(t, json.Unmarshal(want, &ref))
		require.Equal(t, ref, got)
	}
}

// TestMarshalSnapshotKeysAlike: attribute keys that are not valid UTF-8
// and that encoding/json would write alike are refused (the snapshot would
// hold a key twice and lose a value); one such key alone is written as
// encoding/json writes it.
func TestMarshalSnapshotKeysAlike(t *testing.T) {
	at := time.Date(2026, 3, 2, 9, 0, 0, 0, time.UTC)
	for _, tc := range []struct {
		name  string
		attrs map[string]string
		fails bool
	}{
		{"two invalid bytes", map[string]string{"\xff": "a", "\xfe": "b"}, true},
		{"an invalid byte and U+FFFD", map[string]string{"x\xff": "a", "x\uFFFD": "b"}, true},
		{"one invalid key", map[string]string{"\xff": "a", "tier": "gold"}, false},
		{"invalid keys written apart", map[string]string{"\xff": "a", "\xff\xff": "b"}, false},
	} {
		t.Run(tc.name, func(t *testing.T) {
			tk := &Ticket{ID: "F1", Opened: at, Attributes: tc.attrs}
			got, err := MarshalSnapshot(tk)
			if tc.fails {
				require.ErrorIs(t, err, ErrInvalidTicket)
				return
			}
			require.NoError(t, err)
			want, err := json.Marshal(tk)
			require.NoError(t, err)
			require.Equal(t, string(want), string(got))
		})
	}
}
