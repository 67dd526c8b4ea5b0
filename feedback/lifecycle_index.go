package feedback

// nameIndex finds the index of a state or trigger name on the hot paths
// (Fire, Replay) without a map: a small open-addressing table keyed by the
// name's length and its first, middle (two of an even length) and last
// bytes, every hit confirmed by comparing the whole name. Names compared are usually the lifecycle's own strings
// or constants, so the comparison mostly ends at their pointers. It is
// built once by [NewLifecycle] and never changed.
type nameIndex[K ~string] struct {
	slots []nameSlot[K] // a power of two, at most a quarter full
	shift uint32        // 32 minus the log2 of len(slots)
}

type nameSlot[K ~string] struct {
	name K
	idx  int // the index plus one; zero for an empty slot
}

func newNameIndex[K ~string](names []K) nameIndex[K] {
	n, shift := 4, uint32(30)
	for n < 4*len(names) {
		n, shift = n*2, shift-1
	}
	x := nameIndex[K]{slots: make([]nameSlot[K], n), shift: shift}
	for i, name := range names {
		j := nameHash(name) >> shift
		for x.slots[j].idx != 0 {
			j = (j + 1) & uint32(n-1)
		}
		x.slots[j] = nameSlot[K]{name: name, idx: i + 1}
	}
	return x
}

func nameHash[K ~string](s K) uint32 {
	return uint32((nameKey(s) * 0x9E3779B97F4A7C15) >> 32) // the slot is in the top bits
}

// nameKey packs a name's length and its first, middle and last bytes
// into a word: names with different keys differ. It reads the bytes at
// indexes that need one bounds check (s[n/2]) and no min or max, so that
// lookup stays short.
func nameKey[K ~string](s K) uint64 {
	n := uint(len(s))
	if n == 0 {
		return 0
	}
	return uint64(n) | uint64(s[0])<<8 | uint64(s[(n-1)/2])<<16 | uint64(s[n/2])<<24 | uint64(s[n-1])<<32
}

// lookup returns the index of name, or false.
func (x *nameIndex[K]) lookup(name K) (int, bool) {
	slots := x.slots
	mask := uint32(len(slots) - 1)
	for j := nameHash(name) >> (x.shift & 31); ; j = (j + 1) & mask { // shift < 32: no test for more
		s := &slots[j]
		if s.idx == 0 {
			return 0, false
		}
		if s.name == name {
			return s.idx - 1, true
		}
	}
}
