package feedback

import "slices"

// keywordMatcher is an Aho–Corasick automaton over the UTF-8 bytes of folded
// keywords, compiled into a dense DFA over byte classes: scanning costs one
// table lookup per byte whatever the number of keywords. It is immutable
// after construction.
type keywordMatcher struct {
	class   [256]uint16 // byte -> class (0: byte in no keyword)
	nclass  int
	delta   []int32   // state*nclass + class -> next state
	out     [][]int32 // state -> patterns ending here (including via suffix links)
	patLen  []int     // pattern -> length in bytes
	maxPatL int
}

// newKeywordMatcher builds the automaton for folded patterns (non-empty).
func newKeywordMatcher(patterns []string) *keywordMatcher {
	m := &keywordMatcher{patLen: make([]int, len(patterns))}
	used := [256]bool{}
	for i, p := range patterns {
		m.patLen[i] = len(p)
		if len(p) > m.maxPatL {
			m.maxPatL = len(p)
		}
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
	// Trie with sparse edges.
	type node struct {
		next map[uint16]int32
		fail int32
	}
	nodes := []node{{next: map[uint16]int32{}}}
	var outs [][]int32
	outs = append(outs, nil)
	for i, p := range patterns {
		s := int32(0)
		for j := 0; j < len(p); j++ {
			c := m.class[p[j]]
			n, ok := nodes[s].next[c]
			if !ok {
				n = int32(len(nodes))
				nodes = append(nodes, node{next: map[uint16]int32{}})
				outs = append(outs, nil)
				nodes[s].next[c] = n
			}
			s = n
		}
		outs[s] = append(outs[s], int32(i))
	}
	// Breadth-first: failure links and the dense table.
	m.delta = make([]int32, len(nodes)*m.nclass)
	queue := make([]int32, 0, len(nodes))
	for c := 0; c < m.nclass; c++ {
		if n, ok := nodes[0].next[uint16(c)]; ok {
			nodes[n].fail = 0
			m.delta[c] = n
			queue = append(queue, n)
		}
	}
	for len(queue) > 0 {
		s := queue[0]
		queue = queue[1:]
		f := nodes[s].fail
		outs[s] = append(outs[s], outs[f]...)
		for c := 0; c < m.nclass; c++ {
			if n, ok := nodes[s].next[uint16(c)]; ok {
				nodes[n].fail = m.delta[int(f)*m.nclass+c]
				m.delta[int(s)*m.nclass+c] = n
				queue = append(queue, n)
			} else {
				m.delta[int(s)*m.nclass+c] = m.delta[int(f)*m.nclass+c]
			}
		}
	}
	m.out = outs
	return m
}

// rawMatch is one occurrence of a pattern in the folded text, in bytes.
type rawMatch struct {
	start, end int
	pat        int32
}

// findAll appends every occurrence of every pattern in text to dst.
func (m *keywordMatcher) findAll(text []byte, dst []rawMatch) []rawMatch {
	s := int32(0)
	for i, b := range text {
		s = m.delta[int(s)*m.nclass+int(m.class[b])]
		for _, p := range m.out[s] {
			dst = append(dst, rawMatch{start: i + 1 - m.patLen[p], end: i + 1, pat: p})
		}
	}
	return dst
}

// leftmostLongest keeps, scanning left to right, the longest match at each
// start and drops matches overlapping one already kept, so that "不满意"
// wins over the "满意" inside it. accept filters candidates (word
// boundaries); a rejected candidate does not block shorter ones.
func leftmostLongest(ms []rawMatch, accept func(rawMatch) bool) []rawMatch {
	slices.SortFunc(ms, func(a, b rawMatch) int {
		if a.start != b.start {
			return a.start - b.start
		}
		if a.end != b.end {
			return b.end - a.end
		}
		return int(a.pat - b.pat)
	})
	kept := ms[:0]
	limit := 0
	for _, m := range ms {
		if m.start < limit || !accept(m) {
			continue
		}
		kept = append(kept, m)
		limit = m.end
	}
	return kept
}
