package exe

import (
	"sort"
	"strings"
)

// maxEvidence bounds the reasons kept per capability.
const maxEvidence = 6

// facts is what rules are judged against.
type facts struct {
	imports map[string]bool
	p       *parser
	bpf     *bpfFound
	found   map[CapName]bool
	opaque  bool
}

// capabilities runs the rules in order (self-update, last, builds on
// net-connect and exec).
func (p *parser) capabilities() []Capability {
	f := &facts{imports: map[string]bool{}, p: p, found: map[CapName]bool{}}
	if p.strs != nil && p.strs.bpfDone {
		f.bpf = p.strs.bpf
	} else {
		f.bpf = p.scanBPF()
	}
	for _, s := range p.info.Imports {
		f.imports[s] = true
	}
	f.opaque = p.goInfo != nil || (len(p.info.Imports) == 0 && len(p.symbols) == 0 && p.info.Linkage == "static" && p.info.Type != "kernel-module")
	var out []Capability
	index := map[CapName]int{}
	for _, r := range rules {
		ev, ok := f.match(r)
		if !ok {
			continue
		}
		i, had := index[r.cap]
		if !had {
			i = len(out)
			index[r.cap] = i
			out = append(out, Capability{Name: r.cap})
			f.found[r.cap] = true
		}
		for _, e := range ev {
			if len(out[i].Evidence) < maxEvidence && !contains(out[i].Evidence, e) {
				out[i].Evidence = append(out[i].Evidence, e)
			}
		}
	}
	sort.Slice(out, func(a, b int) bool { return out[a].Name < out[b].Name })
	return out
}

// match returns the evidence for a rule, ok when every group matched.
func (f *facts) match(r rule) (ev []string, ok bool) {
	for _, g := range r.groups {
		hit := false
		for _, alt := range g {
			if e := f.alt(alt); e != "" {
				hit = true
				if len(ev) < maxEvidence {
					ev = append(ev, e)
				}
			}
		}
		if !hit {
			return nil, false
		}
	}
	return ev, true
}

// alt returns the evidence for one alternative, or "".
func (f *facts) alt(alt string) string {
	kind, arg := splitAlt(alt)
	p := f.p
	switch kind {
	case "imp":
		if f.imports[arg] {
			return "import:" + arg
		}
		if p.symbols[arg] {
			return "symbol:" + arg
		}
	case "str":
		arg = strings.TrimSuffix(arg, "$")
		if p.strs != nil {
			if hits := p.strs.hits[arg]; len(hits) > 0 {
				return "string:" + hits[0]
			}
		}
	case "go":
		if p.goFuncs[arg] {
			return "gofunc:" + arg
		}
	case "gopkg":
		for pkg := range p.goPkgs {
			if pkg == arg || strings.HasPrefix(pkg, arg+"/") {
				return "gopkg:" + arg
			}
		}
	case "const":
		if f.bpf != nil && (arg == "bpf" || arg == "bpf-link" && f.bpf.linkLayer) {
			return f.bpf.evidence
		}
	case "cap":
		if f.found[CapName(arg)] {
			return "cap:" + arg
		}
	case "opaque":
		if f.opaque {
			if p.goInfo != nil {
				return "note:go binary (system calls not visible as imports)"
			}
			return "note:static binary without symbols (calls not visible)"
		}
	}
	return ""
}

func contains(list []string, s string) bool {
	for _, x := range list {
		if x == s {
			return true
		}
	}
	return false
}

// finish measures, scans and judges once every table is read, and puts
// Info's lists in order.
func (p *parser) finish() {
	in := p.info
	entropies := make([]float64, len(p.pending))
	measured := make([]bool, len(p.pending))
	if p.strs == nil {
		p.strs = p.scanStrings(entropies, measured)
	}
	in.Sections = p.measureSections(entropies, measured)
	in.Imports = sortedUnique(in.Imports)
	in.Libraries = sortedUnique(in.Libraries)
	if p.goInfo != nil {
		p.goInfo.Packages = p.goPackages()
		in.Go = p.goInfo
	}
	in.Capabilities = p.capabilities()
	in.Packer = p.detectPacker(in.Sections)
	in.Endpoints = in.Endpoints[:0]
	for e := range p.strs.endpoints {
		in.Endpoints = append(in.Endpoints, e)
	}
	sort.Strings(in.Endpoints)
	if len(in.Endpoints) == 0 {
		in.Endpoints = nil
	}
}

func sortedUnique(s []string) []string {
	if len(s) == 0 {
		return nil
	}
	sort.Strings(s)
	out := s[:1]
	for _, x := range s[1:] {
		if x != out[len(out)-1] {
			out = append(out, x)
		}
	}
	return out
}
