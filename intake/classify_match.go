package intake

import (
	"slices"
	"strings"
)

// keywordMatcher is an Aho–Corasick automaton over the UTF-8 bytes of folded
// keywords. Its memory is linear in the total length of the keywords: the
// shallow states (where a scan spends most of its time) get dense rows of a
// transition table up to denseBudget entries, deeper ones keep their edges
// sorted and fall back along failure links. Outputs are chained through
// dictionary-suffix links rather than copied into every state (which costs
// quadratic memory for keywords such as a, aa, aaa, …). It is immutable after
// construction.
type keywordMatcher struct {
	class   [256]uint16 // byte -> class (0: byte in no keyword)
	nclass  int
	ndense  int32   // states [0, ndense) have a dense row
	delta   []int32 // state*nclass + class -> next state, dense states only
	edges   []edge  // sparse states' edges, sorted by class within a state
	first   []int32 // state -> index of its first edge in edges (len states+1)
	fail    []int32 // state -> longest proper suffix that is a state
	pat     []int32 // state -> pattern ending exactly here, or -1
	dict    []int32 // state -> nearest state on the failure chain with a pattern, or -1
	out     []int32 // state -> itself if it has a pattern, else dict
	patLen  []int   // pattern -> length in bytes
	maxPatL int
}

type edge struct {
	class  uint16
	target int32
}

// denseBudget bounds the dense transition table (in entries of 4 bytes): the
// preset's whole automaton fits, and a huge keyword list cannot make the
// table grow with the square of its size.
const denseBudget = 1 << 20

// newKeywordMatcher builds the automaton for folded patterns (non-empty,
// distinct).
func newKeywordMatcher(patterns []string) *keywordMatcher {
	m := &keywordMatcher{patLen: make([]int, len(patterns))}
	used := [256]bool{}
	total := 0
	for i, p := range patterns {
		m.patLen[i] = len(p)
		m.maxPatL = max(m.maxPatL, len(p))
		total += len(p)
		for j := 0; j < len(p); j++ {
			used[p[j]] = true
		}
	}
	m.nclass = 1
	for b := 0; b < 256; b++ {
		if used[b] {
			m.class[b] = uint16(m.nclass)
			m.nclass++
		}
	}

	// Trie in patterns' byte order: a node's children are then created in
	// increasing class order, and the child to follow is always the last
	// one created (lastChild), so building it is linear.
	order := make([]int, len(patterns))
	for i := range order {
		order[i] = i
	}
	slices.SortFunc(order, func(a, b int) int { return strings.Compare(patterns[a], patterns[b]) })
	// At most one node per keyword byte, plus the root: sized once.
	tFirst := append(make([]int32, 0, total+1), -1)
	tNext := append(make([]int32, 0, total+1), -1)
	tLast := append(make([]int32, 0, total+1), -1)
	tClass := append(make([]uint16, 0, total+1), 0)
	tPat := append(make([]int32, 0, total+1), -1)
	for _, pi := range order {
		p := patterns[pi]
		s := int32(0)
		for j := 0; j < len(p); j++ {
			c := m.class[p[j]]
			if l := tLast[s]; l >= 0 && tClass[l] == c {
				s = l
				continue
			}
			n := int32(len(tClass))
			tFirst, tNext, tLast = append(tFirst, -1), append(tNext, -1), append(tLast, -1)
			tClass, tPat = append(tClass, c), append(tPat, -1)
			if l := tLast[s]; l >= 0 {
				tNext[l] = n
			} else {
				tFirst[s] = n
			}
			tLast[s] = n
			s = n
		}
		tPat[s] = int32(pi)
	}
	nodes := len(tClass)

	// Renumber breadth-first, so that shallow states come first and every
	// state's failure target precedes it.
	bfs := make([]int32, 0, nodes) // new id -> trie node
	id := make([]int32, nodes)     // trie node -> new id
	bfs = append(bfs, 0)
	for k := 0; k < len(bfs); k++ {
		for c := tFirst[bfs[k]]; c >= 0; c = tNext[c] {
			id[c] = int32(len(bfs))
			bfs = append(bfs, c)
		}
	}
	m.pat = make([]int32, nodes)
	m.first = make([]int32, nodes+1)
	m.edges = make([]edge, 0, nodes-1)
	for s, node := range bfs {
		m.pat[s] = tPat[node]
		m.first[s] = int32(len(m.edges))
		for c := tFirst[node]; c >= 0; c = tNext[c] {
			m.edges = append(m.edges, edge{class: tClass[c], target: id[c]})
		}
	}
	m.first[nodes] = int32(len(m.edges))

	m.ndense = int32(min(nodes, max(1, denseBudget/m.nclass)))
	m.delta = make([]int32, int(m.ndense)*m.nclass)
	m.fail = make([]int32, nodes)
	m.dict = make([]int32, nodes)
	m.out = make([]int32, nodes)
	m.dict[0], m.out[0] = -1, -1
	for s := int32(0); s < int32(nodes); s++ {
		if s > 0 {
			f := m.fail[s]
			if m.pat[f] >= 0 {
				m.dict[s] = f
			} else {
				m.dict[s] = m.dict[f]
			}
			m.out[s] = m.dict[s]
			if m.pat[s] >= 0 {
				m.out[s] = s
			}
		}
		if s < m.ndense {
			row := m.delta[int(s)*m.nclass : int(s+1)*m.nclass]
			if s > 0 {
				copy(row, m.delta[int(m.fail[s])*m.nclass:int(m.fail[s]+1)*m.nclass])
			}
			for _, e := range m.edges[m.first[s]:m.first[s+1]] {
				row[e.class] = e.target
			}
		}
		for _, e := range m.edges[m.first[s]:m.first[s+1]] {
			if s == 0 {
				m.fail[e.target] = 0
			} else {
				m.fail[e.target] = m.next(m.fail[s], e.class)
			}
		}
	}
	return m
}

// next returns the state after reading a byte of class c in state s.
func (m *keywordMatcher) next(s int32, c uint16) int32 {
	for s >= m.ndense {
		es := m.edges[m.first[s]:m.first[s+1]]
		if i, ok := slices.BinarySearchFunc(es, c, func(e edge, c uint16) int { return int(e.class) - int(c) }); ok {
			return es[i].target
		}
		s = m.fail[s]
	}
	return m.delta[int(s)*m.nclass+int(c)]
}

// each calls f for every occurrence of every pattern in text, by end
// position and, at one end, longest first. Time is linear in the text times
// the number of patterns ending at one position (at most the number of
// distinct pattern lengths); it allocates nothing.
func (m *keywordMatcher) each(text []byte, f func(start, end int, pat int32)) {
	s := int32(0)
	for i, b := range text {
		if s < m.ndense {
			s = m.delta[int(s)*m.nclass+int(m.class[b])]
		} else {
			s = m.next(s, m.class[b])
		}
		for t := m.out[s]; t >= 0; t = m.dict[t] {
			p := m.pat[t]
			f(i+1-m.patLen[p], i+1, p)
		}
	}
}

// leftmostLongest picks occurrences as a scan from left to right would: at
// each start the longest occurrence accept admits, skipping any that overlaps
// one already picked, so that "不满意" wins over the "满意" inside it. A
// rejected occurrence does not block shorter ones. pick is called for each
// occurrence picked, in text order. It reads the text once, as each does;
// memory is one slot per byte of the longest pattern, whatever the text: the
// occurrences starting at s are settled once the scan is a longest pattern
// past s.
func (m *keywordMatcher) leftmostLongest(text []byte, accept func(start, end int, pat int32) bool, pick func(start, end int, pat int32)) {
	type best struct {
		end int // 0: none
		pat int32
	}
	w := m.maxPatL + 1
	var small [64]best
	ring := small[:]
	if w > len(small) {
		ring = make([]best, w)
	}
	next, limit := 0, 0 // next start to settle; first start not overlapping the last pick
	settle := func(upTo int) {
		for ; next <= upTo; next++ {
			b := &ring[next%w]
			if b.end > 0 && next >= limit {
				pick(next, b.end, b.pat)
				limit = b.end
			}
			*b = best{}
		}
	}
	s := int32(0)
	for i, c := range text {
		if s < m.ndense {
			s = m.delta[int(s)*m.nclass+int(m.class[c])]
		} else {
			s = m.next(s, m.class[c])
		}
		t := m.out[s]
		if t < 0 {
			continue
		}
		end := i + 1
		settle(end - 1 - m.maxPatL) // no occurrence starting there can grow any more
		for ; t >= 0; t = m.dict[t] {
			p := m.pat[t]
			// Occurrences at one start arrive shortest first (by end).
			if start := end - m.patLen[p]; start >= limit && accept(start, end, p) {
				ring[start%w] = best{end: end, pat: p}
			}
		}
	}
	settle(len(text))
}

// rawMatch is one occurrence of a pattern in the folded text, in bytes.
type rawMatch struct {
	start, end int
	pat        int32
}
