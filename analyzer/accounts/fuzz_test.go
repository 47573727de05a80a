package accounts

import (
	"strings"
	"testing"
)

func FuzzParsePasswd(f *testing.F) {
	f.Add([]byte("root:Xk0da/ogU2nlA:0:0:root:/root:/bin/sh\nadmin:x:0:0::/:\n"))
	f.Add([]byte("root:$6$abc$def:19000:0:99999:7:::\n"))
	f.Add([]byte("wheel:x:10:root,admin\n"))
	f.Add([]byte("admin:$apr1$abc$OH5apFdc8k9Op/fAtLfU8.\n" + vagrantKey + "\n"))
	f.Add([]byte("::::::\n\r\n:\x00:\xff"))
	f.Fuzz(func(t *testing.T, data []byte) {
		check := func(l Line) {
			if l.Line < 1 || l.Offset < 0 || l.Offset > int64(len(data)) || strings.Contains(l.Text, "\n") {
				t.Fatalf("bad line %+v", l)
			}
		}
		for _, e := range ParsePasswd(data) {
			check(e.Line)
			passwordState(e.Password)
			loginShell(e.Shell)
			evidenceLine(e.Text, 1)
		}
		for _, e := range ParseShadow(data) {
			check(e.Line)
			shortHash(e.Password)
		}
		for _, e := range ParseGroup(data) {
			check(e.Line)
		}
		for _, e := range ParseWebUsers(data) {
			check(e.Line)
		}
		for _, e := range ParseAuthorizedKeys(data) {
			check(e.Line)
		}
	})
}
