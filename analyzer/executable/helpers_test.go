package executable

import (
	"strings"
	"testing"

	"github.com/doorman-sec/doorman/exe"
	"github.com/doorman-sec/doorman/finding"
)

// mk builds an exe.Info with the given capabilities, each with one piece
// of evidence named after it, as exe.Parse would report them.
func mk(format string, cs ...exe.CapName) *exe.Info {
	info := &exe.Info{Format: format, Arch: "x86-64", Type: "executable", Linkage: "dynamic"}
	for _, c := range cs {
		info.Capabilities = append(info.Capabilities, exe.Capability{Name: c, Evidence: []string{"import:" + string(c)}})
	}
	return info
}

// only returns the verdicts of one rule.
func only(vs []Verdict, rule string) []Verdict {
	var out []Verdict
	for _, v := range vs {
		if v.Rule == rule {
			out = append(out, v)
		}
	}
	return out
}

// want checks that Judge gives exactly one verdict of rule at severity s
// (s == 0: none at all) and returns it.
func want(t *testing.T, name string, info *exe.Info, ctx Context, rule string, s finding.Severity) Verdict {
	t.Helper()
	vs := only(Judge(info, ctx), rule)
	if s == 0 {
		if len(vs) != 0 {
			t.Errorf("%s: want no %s, got %+v", name, rule, vs)
		}
		return Verdict{}
	}
	if len(vs) != 1 {
		t.Fatalf("%s: want one %s at %s, got %+v", name, rule, s, vs)
	}
	if vs[0].Severity != s {
		t.Errorf("%s: %s at %s, want %s (%s)", name, rule, vs[0].Severity, s, vs[0].Message)
	}
	if len(vs[0].References) == 0 || !strings.HasPrefix(vs[0].References[0], "https://") {
		t.Errorf("%s: %s has no reference", name, rule)
	}
	return vs[0]
}
