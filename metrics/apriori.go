package metrics

import (
	"cmp"
	"fmt"
	"slices"
	"strings"
)

// maxItemset bounds the size of mined itemsets.
const maxItemset = 10

// Itemset is a set of tags that occur together, with its support.
type Itemset struct {
	Items   []string `json:"items"` // sorted
	Count   int      `json:"count"` // transactions containing every item
	Support float64  `json:"support"`
}

// AssociationRule is "tickets tagged If are also tagged Then".
//
//	Support    = count(If ∪ Then) ÷ transactions
//	Confidence = count(If ∪ Then) ÷ count(If)
//	Lift       = Confidence ÷ (count(Then) ÷ transactions)
//
// A lift above 1 means the tags co-occur more often than by chance.
type AssociationRule struct {
	If         []string `json:"if"`
	Then       []string `json:"then"`
	Count      int      `json:"count"`
	Support    float64  `json:"support"`
	Confidence float64  `json:"confidence"`
	Lift       float64  `json:"lift"`
}

// String renders "{refund} ⇒ {delay} support 0.12 confidence 0.80 lift 2.10".
func (r AssociationRule) String() string {
	return fmt.Sprintf("{%s} ⇒ {%s} support %.3f confidence %.3f lift %.2f",
		strings.Join(r.If, ", "), strings.Join(r.Then, ", "), r.Support, r.Confidence, r.Lift)
}

// Apriori mines frequent tag sets and association rules from transactions
// (one tag set per ticket; duplicates within a set count once; every
// transaction, tagged or not, counts in the denominator). An itemset is
// frequent when its support is at least minSupport; rules come from every
// frequent itemset of two or more items split into a non-empty If and
// Then, kept when confidence ≥ minConfidence. maxLen bounds itemset size
// (values below 1 or above 10 mean 10: an itemset of k tags yields 2^k − 2
// rules). Itemsets are sorted by size, then count descending,
// then items; rules by lift, confidence, support (descending) and then
// items, so the output is deterministic.
func Apriori(transactions [][]string, minSupport, minConfidence float64, maxLen int) ([]Itemset, []AssociationRule) {
	if maxLen < 1 || maxLen > maxItemset {
		maxLen = maxItemset
	}
	n := len(transactions)
	if n == 0 {
		return nil, nil
	}
	// Dense ids in tag order.
	var names []string
	seen := map[string]bool{}
	for _, t := range transactions {
		for _, s := range t {
			if !seen[s] {
				seen[s] = true
				names = append(names, s)
			}
		}
	}
	slices.Sort(names)
	id := make(map[string]int, len(names))
	for i, s := range names {
		id[s] = i
	}
	txs := make([][]int, n)
	for i, t := range transactions {
		for _, s := range t {
			txs[i] = append(txs[i], id[s])
		}
		slices.Sort(txs[i])
		txs[i] = slices.Compact(txs[i])
	}
	minCount := minSupport * float64(n)
	counts := map[string]int{} // every frequent itemset by key
	key := func(items []int) string {
		var b strings.Builder
		for _, x := range items {
			fmt.Fprintf(&b, "%d,", x)
		}
		return b.String()
	}
	var level [][]int
	single := make([]int, len(names))
	for _, t := range txs {
		for _, x := range t {
			single[x]++
		}
	}
	for x, c := range single {
		if float64(c) >= minCount && c > 0 {
			level = append(level, []int{x})
			counts[key([]int{x})] = c
		}
	}
	frequent := slices.Clone(level)
	for k := 2; len(level) > 1 && k <= maxLen; k++ {
		var cands [][]int
		for i := range level {
			for j := i + 1; j < len(level); j++ {
				a, b := level[i], level[j]
				if !slices.Equal(a[:k-2], b[:k-2]) {
					break // level is sorted: no later j shares the prefix
				}
				c := append(slices.Clone(a), b[k-2])
				if allSubsetsFrequent(c, counts, key) {
					cands = append(cands, c)
				}
			}
		}
		var next [][]int
		for _, c := range cands {
			cnt := 0
			for _, t := range txs {
				if containsSorted(t, c) {
					cnt++
				}
			}
			if float64(cnt) >= minCount && cnt > 0 {
				next = append(next, c)
				counts[key(c)] = cnt
			}
		}
		frequent = append(frequent, next...)
		level = next
	}
	toNames := func(items []int) []string {
		out := make([]string, len(items))
		for i, x := range items {
			out[i] = names[x]
		}
		return out
	}
	var sets []Itemset
	var rules []AssociationRule
	for _, f := range frequent {
		c := counts[key(f)]
		sets = append(sets, Itemset{Items: toNames(f), Count: c, Support: float64(c) / float64(n)})
		if len(f) < 2 {
			continue
		}
		// Every non-empty proper subset as antecedent.
		for mask := 1; mask < 1<<len(f)-1; mask++ {
			var lhs, rhs []int
			for i, x := range f {
				if mask&(1<<i) != 0 {
					lhs = append(lhs, x)
				} else {
					rhs = append(rhs, x)
				}
			}
			conf := float64(c) / float64(counts[key(lhs)])
			if conf < minConfidence {
				continue
			}
			rules = append(rules, AssociationRule{If: toNames(lhs), Then: toNames(rhs), Count: c,
				Support: float64(c) / float64(n), Confidence: conf,
				Lift: conf / (float64(counts[key(rhs)]) / float64(n))})
		}
	}
	slices.SortFunc(sets, func(a, b Itemset) int {
		if c := cmp.Compare(len(a.Items), len(b.Items)); c != 0 {
			return c
		}
		if c := cmp.Compare(b.Count, a.Count); c != 0 {
			return c
		}
		return slices.Compare(a.Items, b.Items)
	})
	slices.SortFunc(rules, func(a, b AssociationRule) int {
		for _, c := range []int{cmp.Compare(b.Lift, a.Lift), cmp.Compare(b.Confidence, a.Confidence),
			cmp.Compare(b.Support, a.Support), slices.Compare(a.If, b.If)} {
			if c != 0 {
				return c
			}
		}
		return slices.Compare(a.Then, b.Then)
	})
	return sets, rules
}

func allSubsetsFrequent(c []int, counts map[string]int, key func([]int) string) bool {
	sub := make([]int, 0, len(c)-1)
	for skip := range c {
		sub = sub[:0]
		for i, x := range c {
			if i != skip {
				sub = append(sub, x)
			}
		}
		if _, ok := counts[key(sub)]; !ok {
			return false
		}
	}
	return true
}

// containsSorted reports whether sorted t contains every item of sorted c.
func containsSorted(t, c []int) bool {
	i := 0
	for _, x := range c {
		for i < len(t) && t[i] < x {
			i++
		}
		if i == len(t) || t[i] != x {
			return false
		}
		i++
	}
	return true
}
