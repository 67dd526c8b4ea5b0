package metrics

import (
	"math"
	"slices"
	"unsafe"
)

// binStore holds the bin counts of one DDSketch (sketch index → number of
// durations), exactly and in memory proportional to the bins in use.
//
// It replaces sketches-go's DenseStore, which keeps a float64 for every
// index between the lowest and the highest bin: 1 ns and 292 years in one
// sketch cost 17 KB at 1 % accuracy and 176 MB at 0.0001 %, whatever the
// number of durations. Here a store is in one of two forms:
//
//   - dense: bins[i] counts index off+i in a uint32; the array spans at most
//     8·(bins in use)+256 indexes, so a cluster of durations (the usual
//     case) is one contiguous array at most half the size of the
//     library's;
//   - sparse (sp != nil): sorted index and count arrays, for scattered bins
//     and for counts beyond uint32.
//
// Adding moves between the forms on its slow path only; the fast path
// (bump, in Accumulator.Add) is one bounds check and one increment.
// Counts are integers either way, so merging stays exact.
type binStore struct {
	// The dense form's counts, ptr[0:n] for indexes off..off+n−1, kept as
	// a pointer and an int32 length so that a duration's whole state —
	// summary and store — fills one 64-byte cache line (dense, setDense).
	ptr    *uint32
	n, off int32
	sp     *sparseBins
}

// bump adds one to index i when the dense form holds it and its count
// stays within uint32, and reports whether it did; addSlow(i, 1) does the
// rest. The bin is found by pointer arithmetic: j < n is the whole bounds
// check (dense's unsafe.Slice would check the length and the span again).
func (s *binStore) bump(i int32) bool {
	if j := uint32(i - s.off); j < uint32(s.n) {
		if b := s.bin(j); *b+1 != 0 {
			*b++
			return true
		}
	}
	return false
}

// binAt returns the count of index i when ok (as cellBins.lookup gives
// them), the dense form holds it and it is below MaxUint32: the count Add
// bumps in line; nil otherwise (bump or addSlow does the rest). Inline,
// the pointer costs Add less than a bool would: no flag to set and test.
func (s *binStore) binAt(i int32, ok bool) *uint32 {
	if j := uint32(i - s.off); ok && j < uint32(s.n) {
		if b := s.bin(j); *b != math.MaxUint32 {
			return b
		}
	}
	return nil
}

// bin returns the dense form's count for index off+j, j < n.
func (s *binStore) bin(j uint32) *uint32 {
	return (*uint32)(unsafe.Add(unsafe.Pointer(s.ptr), uintptr(j)*4))
}

// maxDense bounds a dense store's span (its length is an int32).
const maxDense = math.MaxInt32

// dense returns the dense form's counts (nil for none).
func (s *binStore) dense() []uint32 { return unsafe.Slice(s.ptr, s.n) }

// setDense makes b, for indexes from off, the dense form.
func (s *binStore) setDense(b []uint32, off int32) {
	s.ptr, s.n, s.off, s.sp = unsafe.SliceData(b), int32(len(b)), off, nil
}

// sparseBins are sorted, distinct sketch indexes with their counts (≥ 1).
type sparseBins struct {
	idx  []int32
	cnt  []uint64
	wide bool // some count exceeds uint32: never densify
}

const (
	// denseSlack is the number of indexes a dense store may span beyond
	// denseFactor per bin in use.
	denseSlack = 256
	// denseFactor bounds a dense store's span per bin in use: durations
	// spread over a few decades fill a third to a half of their span.
	denseFactor = 8
)

// addSlow adds c (≥ 1) to index i, changing the form when needed.
func (s *binStore) addSlow(i int32, c uint64) {
	if s.sp != nil {
		s.sp.add(i, c)
		s.maybeDensify()
		return
	}
	bins := s.dense()
	if j := int64(i) - int64(s.off); j >= 0 && j < int64(len(bins)) {
		if v := uint64(bins[j]) + c; v <= math.MaxUint32 {
			bins[j] = uint32(v)
			return
		}
		s.toSparse()
		s.sp.add(i, c)
		return
	}
	if c > math.MaxUint32 {
		s.toSparse()
		s.sp.add(i, c)
		return
	}
	if len(bins) == 0 {
		// First bin: a small window around it, since durations cluster.
		const initial = 16
		off := int32(max(int64(i)-initial/2, math.MinInt32))
		bins = make([]uint32, initial)
		bins[i-off] = uint32(c)
		s.setDense(bins, off)
		return
	}
	lo, hi := int64(s.off), int64(s.off)+int64(len(bins)) // [lo, hi)
	nlo, nhi := min(lo, int64(i)), max(hi, int64(i)+1)
	nz := 1
	for _, v := range bins {
		if v != 0 {
			nz++
		}
	}
	budget := min(int64(denseFactor*nz+denseSlack), maxDense)
	if nhi-nlo > budget {
		s.toSparse()
		s.sp.add(i, c)
		return
	}
	// Grow towards the new index by half the span again, within budget,
	// so that a drifting distribution reallocates O(log) times.
	extra := min((nhi-nlo)/2, budget-(nhi-nlo))
	if int64(i) < lo {
		nlo = max(nlo-extra, math.MinInt32)
	} else {
		nhi = min(nhi+extra, math.MaxInt32+1)
	}
	nb := make([]uint32, nhi-nlo)
	copy(nb[lo-nlo:], bins)
	nb[int64(i)-nlo] = uint32(c)
	s.setDense(nb, int32(nlo))
}

// toSparse converts a dense store to the sparse form.
func (s *binStore) toSparse() {
	sp := &sparseBins{}
	for j, v := range s.dense() {
		if v != 0 {
			sp.idx = append(sp.idx, s.off+int32(j))
			sp.cnt = append(sp.cnt, uint64(v))
		}
	}
	s.ptr, s.n, s.off, s.sp = nil, 0, 0, sp
}

// maybeDensify converts a sparse store whose bins have become close
// together back to the dense form, where Add is faster.
func (s *binStore) maybeDensify() {
	sp := s.sp
	n := len(sp.idx)
	if sp.wide || n < 8 {
		return
	}
	// Densify well below the dense budget (hysteresis).
	span := int64(sp.idx[n-1]) - int64(sp.idx[0]) + 1
	if span > min(int64(denseFactor/2*n+denseSlack/2), maxDense) {
		return
	}
	for _, c := range sp.cnt {
		if c > math.MaxUint32 {
			sp.wide = true
			return
		}
	}
	bins := make([]uint32, span)
	for k, i := range sp.idx {
		bins[i-sp.idx[0]] = uint32(sp.cnt[k])
	}
	s.setDense(bins, sp.idx[0])
}

func (sp *sparseBins) add(i int32, c uint64) {
	k, found := slices.BinarySearch(sp.idx, i)
	if found {
		sp.cnt[k] += c
		sp.wide = sp.wide || sp.cnt[k] > math.MaxUint32
		return
	}
	sp.idx = slices.Insert(sp.idx, k, i)
	sp.cnt = slices.Insert(sp.cnt, k, c)
	sp.wide = sp.wide || c > math.MaxUint32
}

// each calls f for every bin in ascending index order.
func (s *binStore) each(f func(i int32, c uint64)) {
	if s.sp != nil {
		for k, i := range s.sp.idx {
			f(i, s.sp.cnt[k])
		}
		return
	}
	for j, v := range s.dense() {
		if v != 0 {
			f(s.off+int32(j), uint64(v))
		}
	}
}

// numBins counts the bins in use.
func (s *binStore) numBins() int {
	if s.sp != nil {
		return len(s.sp.idx)
	}
	n := 0
	for _, v := range s.dense() {
		if v != 0 {
			n++
		}
	}
	return n
}

// total is the number of durations the store counts.
func (s *binStore) total() int64 {
	var t uint64
	s.each(func(_ int32, c uint64) { t += c })
	return int64(t)
}

// merge adds o's counts into s. Counts stay below 2^64 because the
// accumulator's record total is bounded (MaxRecords).
func (s *binStore) merge(o *binStore) {
	if o.sp == nil && o.n == 0 {
		return
	}
	if s.sp == nil && o.sp == nil {
		if s.mergeDense(o) {
			return
		}
	}
	if s == o {
		// Merging a store into itself: adding changes (and may convert)
		// what is being read, so read a copy.
		b := o.snapshot()
		for k, i := range b.idx {
			s.addSlow(i, b.cnt[k])
		}
		return
	}
	o.each(func(i int32, c uint64) { s.addSlow(i, c) })
}

// mergeDense adds a dense o into a dense s (the common case of shards of
// one distribution), first widening s to o's bins in use when the union
// stays within the dense budget; it reports whether it did.
func (s *binStore) mergeDense(o *binStore) bool {
	ob := o.dense()
	// o's bins in use: its slack at either end need not fit.
	first, last := 0, len(ob)-1
	for first <= last && ob[first] == 0 {
		first++
	}
	for last >= first && ob[last] == 0 {
		last--
	}
	if first > last {
		return true
	}
	ob = ob[first : last+1]
	olo := int64(o.off) + int64(first)
	if olo < int64(s.off) || olo+int64(len(ob)) > int64(s.off)+int64(s.n) {
		if s.n == 0 {
			return false
		}
		lo, hi := min(olo, int64(s.off)), max(olo+int64(len(ob)), int64(s.off)+int64(s.n))
		nz := 0
		for _, v := range s.dense() {
			if v != 0 {
				nz++
			}
		}
		if hi-lo > min(int64(denseFactor*(nz+len(ob))+denseSlack), maxDense) {
			return false
		}
		nb := make([]uint32, hi-lo)
		copy(nb[int64(s.off)-lo:], s.dense())
		s.setDense(nb, int32(lo))
	}
	j := olo - int64(s.off)
	dst := s.dense()[j : j+int64(len(ob))]
	for k, v := range ob {
		sum := uint64(dst[k]) + uint64(v)
		if sum > math.MaxUint32 {
			// Rare: finish this bin and the rest through the general path.
			for kk := k; kk < len(ob); kk++ {
				if ob[kk] != 0 {
					s.addSlow(int32(olo)+int32(kk), uint64(ob[kk]))
				}
			}
			return true
		}
		dst[k] = uint32(sum)
	}
	return true
}

// sketchBins is an immutable, compact copy of a store's bins for a
// result: sorted indexes and counts.
type sketchBins struct {
	idx []int32
	cnt []uint64
}

func (s *binStore) snapshot() sketchBins {
	if s.sp != nil {
		return sketchBins{slices.Clone(s.sp.idx), slices.Clone(s.sp.cnt)}
	}
	n := s.numBins()
	out := sketchBins{make([]int32, 0, n), make([]uint64, 0, n)}
	for j, v := range s.dense() {
		if v != 0 {
			out.idx = append(out.idx, s.off+int32(j))
			out.cnt = append(out.cnt, uint64(v))
		}
	}
	return out
}

// keyAtRank is sketches-go's DenseStore.KeyAtRank over these bins: the
// lowest index whose cumulative count, summed in float64 as the library
// does, exceeds rank (the highest index if none does).
func (b *sketchBins) keyAtRank(rank float64) int {
	if rank < 0 {
		rank = 0
	}
	var n float64
	for k, c := range b.cnt {
		n += float64(c)
		if n > rank {
			return int(b.idx[k])
		}
	}
	return int(b.idx[len(b.idx)-1])
}
