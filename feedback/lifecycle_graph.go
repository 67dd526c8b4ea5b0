package feedback

import (
	"strconv"
	"strings"
)

// DOT returns the lifecycle as a Graphviz DOT graph: one box per state
// (terminal states doubled, states that pause clocks dashed), one edge per
// transition labelled with its trigger and guards. Transitions that keep the
// state (notes, delay requests, progress nodes) are listed inside the state.
// The output is deterministic.
func (lc *Lifecycle) DOT() string {
	var b strings.Builder
	b.WriteString("digraph lifecycle {\n\trankdir=LR;\n\tnode [shape=box, style=rounded, fontname=\"Helvetica\"];\n\tedge [fontname=\"Helvetica\", fontsize=10];\n")
	b.WriteString("\t__start [shape=point, label=\"\"];\n")
	b.WriteString("\t__start -> " + strconv.Quote(string(lc.spec.Initial)) + ";\n")
	for i, st := range lc.states {
		label := string(st.spec.Name)
		if st.spec.Label != "" && st.spec.Label != label {
			label += "\n“" + st.spec.Label + "”"
		}
		if len(st.spec.Pauses) > 0 {
			label += "\npauses: " + strings.Join(st.spec.Pauses, ", ")
		}
		if in := lc.inState(i); len(in) > 0 {
			label += "\nalso: " + strings.Join(in, ", ")
		}
		attrs := "label=" + strconv.Quote(label)
		switch {
		case st.spec.Terminal:
			attrs += ", peripheries=2"
		case len(st.spec.Pauses) > 0:
			attrs += ", style=\"rounded,dashed\""
		}
		b.WriteString("\t" + strconv.Quote(string(st.spec.Name)) + " [" + attrs + "];\n")
	}
	lc.eachEdge(func(from, to State, label string) {
		b.WriteString("\t" + strconv.Quote(string(from)) + " -> " + strconv.Quote(string(to)) + " [label=" + strconv.Quote(strings.ReplaceAll(label, " if ", "\nif ")) + "];\n")
	})
	b.WriteString("}\n")
	return b.String()
}

// Mermaid returns the lifecycle as a Mermaid state diagram (stateDiagram-v2),
// for Markdown pages that render Mermaid. Like [Lifecycle.DOT], it draws one
// edge per state-changing transition and is deterministic.
func (lc *Lifecycle) Mermaid() string {
	var b strings.Builder
	b.WriteString("stateDiagram-v2\n")
	b.WriteString("    [*] --> " + string(lc.spec.Initial) + "\n")
	lc.eachEdge(func(from, to State, label string) {
		b.WriteString("    " + string(from) + " --> " + string(to) + ": " + label + "\n")
	})
	for _, st := range lc.states {
		if st.spec.Terminal {
			b.WriteString("    " + string(st.spec.Name) + " --> [*]\n")
		}
	}
	for i, st := range lc.states {
		var notes []string
		if len(st.spec.Pauses) > 0 {
			notes = append(notes, "pauses "+strings.Join(st.spec.Pauses, ", "))
		}
		if in := lc.inState(i); len(in) > 0 {
			notes = append(notes, "also "+strings.Join(in, ", "))
		}
		if len(notes) > 0 {
			b.WriteString("    note right of " + string(st.spec.Name) + ": " + strings.Join(notes, "; ") + "\n")
		}
	}
	return b.String()
}

// eachEdge calls fn for every state-changing transition in declaration order.
func (lc *Lifecycle) eachEdge(fn func(from, to State, label string)) {
	for _, tr := range lc.spec.Transitions {
		if tr.To == "" {
			continue
		}
		label := string(tr.Trigger)
		if len(tr.Guards) > 0 {
			label += " if " + strings.Join(tr.Guards, ", ")
		}
		for _, from := range tr.From {
			if from != tr.To {
				fn(from, tr.To, label)
			}
		}
	}
}

// inState lists the triggers that keep a ticket in state i.
func (lc *Lifecycle) inState(i int) []string {
	var out []string
	seen := map[Trigger]bool{}
	for _, tr := range lc.spec.Transitions {
		if seen[tr.Trigger] {
			continue
		}
		for _, from := range tr.From {
			if lc.stateIndex[from] == i && (tr.To == "" || tr.To == from) {
				seen[tr.Trigger] = true
				out = append(out, string(tr.Trigger))
				break
			}
		}
	}
	return out
}
