package compensation

// Input is one claim input a policy reads.
type Input struct {
	// Map is the Claim field: "durations", "amounts", "numbers" or "flags".
	Map string `json:"map"`
	// Name is the key in that map.
	Name string `json:"name"`
	// Required is true for the measure of a schedule without conditions and for
	// formula bases: Compute fails without them when they are needed. Inputs
	// used only in conditions are never required.
	Required bool `json:"required"`
}

// Inputs lists the claim inputs the policy reads, in order of first use, so
// that a host can check what it must pass. Tier and priority are not listed.
func (p *Policy) Inputs() []Input {
	var out []Input
	add := func(m, name string, required bool) {
		for i := range out {
			if out[i].Map == m && out[i].Name == name {
				out[i].Required = out[i].Required || required
				return
			}
		}
		out = append(out, Input{Map: m, Name: name, Required: required})
	}
	conds := func(cs []condition) {
		for _, c := range cs {
			switch c.kind {
			case condFlag:
				add("flags", c.input, false)
			case condCompare:
				add(mapOf(c.mk), c.input, false)
			}
		}
	}
	for _, sc := range p.schedules {
		conds(sc.when)
		add(mapOf(sc.kind), sc.input, len(sc.when) == 0)
		for _, r := range sc.reductions {
			conds(r.when)
		}
		for _, b := range sc.bands {
			for _, r := range b.reductions {
				conds(r.when)
			}
			for _, o := range b.options {
				conds(o.when)
				if o.base != "" {
					add("amounts", o.base, true)
				}
			}
		}
	}
	return out
}

func mapOf(k measureKind) string {
	switch k {
	case kindDuration:
		return "durations"
	case kindAmount:
		return "amounts"
	}
	return "numbers"
}
