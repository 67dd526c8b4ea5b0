package feedback

// nameIndex finds the index of a state or trigger name on the hot paths
// (Fire, Replay) without a map: a small open-addressing table keyed by the
// name's length and three of its bytes, every hit confirmed by comparing
// the whole name. Names compared are usually the lifecycle's own strings
// or constants, so the comparison mostly ends at their pointers. It is
// built once by NewLifecycle and never changed.
type nameIndex[K ~string] struct {
	slots []nameSlot[K] // a power of two, at most a quarter full
}

type nameSlot[K ~string] struct {
	name K
	idx  int // the index plus one; zero for an empty slot
}

func newNameIndex[K ~string](names []K) nameIndex[K] {
	n := 4
	for n < 4*len(names) {
		n *= 2
	}
	x := nameIndex[K]{slots: make([]nameSlot[K], n)}
	for i, name := range names {
		j := nameHash(name) & uint32(n-1)
		for x.slots[j].idx != 0 {
			j = (j + 1) & uint32(n-1)
		}
		x.slots[j] = nameSlot[K]{name: name, idx: i + 1}
	}
	return x
}

func nameHash[K ~string](s K) uint32 {
	if len(s) == 0 {
		return 0
	}
	h := uint32(len(s))<<24 | uint32(s[0])<<16 | uint32(s[len(s)/2])<<8 | uint32(s[len(s)-1])
	return (h * 0x9E3779B1) >> 16
}

// lookup returns the index of name, or false.
func (x *nameIndex[K]) lookup(name K) (int, bool) {
	mask := uint32(len(x.slots) - 1)
	for j := nameHash(name) & mask; ; j = (j + 1) & mask {
		s := &x.slots[j]
		if s.idx == 0 {
			return 0, false
		}
		if s.name == name {
			return s.idx - 1, true
		}
	}
}
