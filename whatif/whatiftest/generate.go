// Package whatiftest holds test and demo data for package
// [whatif]: a generator of synthetic ticket
// histories and a sample comparison of two SLA policy sets. The examples,
// the command's golden tests, the benchmarks and the Apache Beam pipeline
// run on them; a host compares its own policies on its own exported
// histories instead.
//
// A [Generator] is deterministic by seed: the same seed and start give the
// same tickets, byte for byte once written with [Generator.WriteNDJSON], on
// every platform (integer arithmetic only, no global state), so a test can
// pin the figures it computes from them and the shards of a distributed run
// can be regenerated from (seed, start, count) instead of being shipped.
//
// [SampleConfig] is the comparison the examples run, built from the rules
// documents that [SampleJSON] returns (an office calendar and two SLA policy
// sets); the documents are ordinary rules data, valid against the schema.
package whatiftest

import (
	"bufio"
	"io"
	"strconv"
	"time"

	"github.com/closeloop/closeloop/sla"
	"github.com/closeloop/closeloop/whatif"
)

// Generator produces deterministic synthetic ticket histories for examples,
// tests and load runs: the same seed and start give the same tickets on every
// platform (integer arithmetic only, no global state). Tickets arrive in time
// order, 30 s to 150 s apart; priorities are P0 5 %, P1 20 %, P2 50 %, P3 25 %;
// kinds complaint, inquiry, suggestion; tiers vip 5 %, gold 15 %. Each history
// is received → triaged → responded (event) → in_progress, sometimes waits on
// the customer (30 %), sometimes changes priority (5 %), is resolved, sometimes
// reopened and resolved again (6 %), then follow_up → followed_up (event) →
// closed. Response and resolution times grow with the priority level and vary
// by a factor of 0.3 to 6.5 around their medians, so that targets of hours to
// days are met by most tickets and breached by some.
type Generator struct {
	state uint64
	next  time.Time
	n     int
}

// NewGenerator returns a generator whose first ticket arrives at start.
func NewGenerator(seed uint64, start time.Time) *Generator {
	return &Generator{state: seed, next: start.UTC()}
}

// u64 is splitmix64.
func (g *Generator) u64() uint64 {
	g.state += 0x9e3779b97f4a7c15
	z := g.state
	z = (z ^ (z >> 30)) * 0xbf58476d1ce4e5b9
	z = (z ^ (z >> 27)) * 0x94d049bb133111eb
	return z ^ (z >> 31)
}

// intn returns a uniform value in [0, n).
func (g *Generator) intn(n int) int { return int(g.u64() % uint64(n)) }

// between returns a uniform duration in [lo, hi], to the second.
func (g *Generator) between(lo, hi time.Duration) time.Duration {
	s := int64((hi - lo) / time.Second)
	return lo + time.Duration(int64(g.u64()%uint64(s+1)))*time.Second
}

// spread multiplies a median by a factor from a skewed table (percent),
// truncated to the second.
func (g *Generator) spread(median time.Duration) time.Duration {
	f := spreadTable[g.intn(len(spreadTable))]
	return (median * time.Duration(f) / 100).Truncate(time.Second)
}

var spreadTable = [...]int64{30, 45, 55, 65, 75, 85, 95, 100, 110, 125, 145, 170, 210, 280, 400, 650}

var (
	respMedian = [4]time.Duration{30 * time.Minute, 3 * time.Hour, 14 * time.Hour, 40 * time.Hour}
	resMedian  = [4]time.Duration{8 * time.Hour, 20 * time.Hour, 96 * time.Hour, 216 * time.Hour}
	priorities = [4]string{"P0", "P1", "P2", "P3"}
	channels   = [...]string{"phone", "email", "app", "wechat", "web"}
	categories = [...]string{"billing", "delivery", "product_fault", "installation", "account", "refund", "service_attitude", "other"}
)

// Next overwrites t with the next ticket. It reuses t.Timeline's backing
// array, so a loop over one Ticket allocates only the ticket's strings.
func (g *Generator) Next(t *whatif.Ticket) {
	g.n++
	tl := t.Timeline[:0]
	*t = whatif.Ticket{}
	t.ID = "T" + pad(g.n, 8)
	t.Customer = "C" + pad(1+g.intn(50000), 6)

	p := 0
	switch r := g.intn(100); {
	case r < 5:
		p = 0
	case r < 25:
		p = 1
	case r < 75:
		p = 2
	default:
		p = 3
	}
	a := &t.Attributes
	a.Priority = priorities[p]
	switch r := g.intn(100); {
	case r < 50:
		a.Kind = "complaint"
	case r < 80:
		a.Kind = "inquiry"
	default:
		a.Kind = "suggestion"
	}
	switch r := g.intn(100); {
	case r < 5:
		a.Tier = "vip"
	case r < 20:
		a.Tier = "gold"
	}
	a.Channel = channels[g.intn(len(channels))]
	a.Category = categories[g.intn(len(categories))]

	at := g.next
	g.next = g.next.Add(g.between(30*time.Second, 150*time.Second))
	state := func(when time.Time, s string) {
		tl = append(tl, sla.Entry{At: when, Kind: sla.EntryState, State: s})
	}
	event := func(when time.Time, e string) {
		tl = append(tl, sla.Entry{At: when, Kind: sla.EntryEvent, Event: e})
	}
	state(at, "received")
	triaged := at.Add(g.between(2*time.Minute, 30*time.Minute))
	state(triaged, "triaged")
	if g.intn(100) < 5 { // re-prioritised at triage, one level up or down
		np := p + 1
		if p == 3 || (p > 0 && g.intn(2) == 0) {
			np = p - 1
		}
		tl = append(tl, sla.Entry{At: triaged, Kind: sla.EntryPriority, Priority: priorities[np]})
		p = np
	}
	resp := triaged.Add(g.spread(respMedian[p]))
	event(resp, sla.EventResponded)
	state(resp, "in_progress")
	work := max(g.spread(resMedian[p]), resp.Sub(at)+time.Minute)
	resolved := at.Add(work)
	if g.intn(100) < 30 { // waits on the customer somewhere between response and resolution
		from := resp.Add(resolved.Sub(resp) / 3)
		wait := g.between(2*time.Hour, 48*time.Hour)
		state(from, "waiting_customer")
		state(from.Add(wait), "in_progress")
		resolved = resolved.Add(wait)
	}
	state(resolved, "resolved")
	if g.intn(100) < 6 { // reopened and resolved again
		re := resolved.Add(g.between(time.Hour, 72*time.Hour))
		tl = append(tl, sla.Entry{At: re, Kind: sla.EntryReopen, State: "reopened"})
		state(re.Add(10*time.Minute), "in_progress")
		resolved = re.Add(g.between(2*time.Hour, 48*time.Hour))
		state(resolved, "resolved")
	}
	fu := resolved.Add(g.between(time.Hour, 24*time.Hour))
	state(fu, "follow_up")
	done := fu.Add(g.between(10*time.Minute, 2*time.Hour))
	event(done, sla.EventFollowedUp)
	state(done, "closed")
	t.Timeline = tl
}

func pad(n, width int) string {
	s := strconv.Itoa(n)
	for len(s) < width {
		s = "0" + s
	}
	return s
}

// Generate returns n tickets from NewGenerator(seed, start).
func Generate(seed uint64, start time.Time, n int) []whatif.Ticket {
	g := NewGenerator(seed, start)
	out := make([]whatif.Ticket, n)
	for i := range out {
		g.Next(&out[i])
	}
	return out
}

// WriteNDJSON writes the next n tickets to w, one JSON object per line.
func (g *Generator) WriteNDJSON(w io.Writer, n int) error {
	bw := bufio.NewWriterSize(w, 256*1024)
	var t whatif.Ticket
	var line []byte
	for range n {
		g.Next(&t)
		var err error
		if line, err = whatif.AppendNDJSON(line[:0], &t); err != nil {
			return err
		}
		if _, err := bw.Write(line); err != nil {
			return err
		}
	}
	return bw.Flush()
}
