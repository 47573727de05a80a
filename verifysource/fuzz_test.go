package verifysource

import (
	"testing"
)

// FuzzParseTable: a broken or crafted table is an error, never a panic.
func FuzzParseTable(f *testing.F) {
	f.Add(pristineTSV[:min(len(pristineTSV), 4096)])
	f.Add("m4\tx.m4\t3\t" + "0000000000000000000000000000000000000000000000000000000000000000" + "\torigin\tAAAAAA==\n")
	f.Fuzz(func(t *testing.T, s string) {
		tab, err := ParseTable(s)
		if err == nil && tab.Len() == 0 {
			t.Fatal("table without rows accepted")
		}
	})
}

// FuzzText: the line, serial and payload readers on crafted files.
func FuzzText(f *testing.F) {
	f.Add([]byte("# serial 30\nsed \"r\\n\" x | eval $m | $p -d\n"), []byte("# serial 3\n"))
	f.Add([]byte("# po.m4 serial 999999999999999999999999 (x)\r\n"), []byte{})
	f.Fuzz(func(t *testing.T, a, b []byte) {
		v := Version(a)
		if len(v) > 45 {
			t.Fatalf("version too long: %q", v)
		}
		if CompareVersions(v, v) != 0 {
			t.Fatal("version not equal to itself")
		}
		na, nr, _, _ := lineDelta(b, a)
		if na < 0 || nr < 0 || na > len(Lines(a)) || nr > len(Lines(b)) {
			t.Fatalf("delta %d %d", na, nr)
		}
		payloadLines(a, nil, 3)
		p := &Pristine{Lines: LineSet(b)}
		pristineDelta(p, a)
	})
}
