package trojansource

import "testing"

// FuzzLex: the lexer never panics and reports offsets inside the input,
// whatever the bytes and syntax.
func FuzzLex(f *testing.F) {
	f.Add([]byte("int x; /*\u202e } */ \"a\\\"b\" // c\n"), uint8(0))
	f.Add([]byte("\ufeff'\u3164' `\xff\xfe` # x\n"), uint8(3))
	f.Fuzz(func(t *testing.T, src []byte, which uint8) {
		syns := []syntax{cLike, jsLike, hashy, shell, php}
		syn := syns[int(which)%len(syns)]
		lex(src, syn, visitor{
			rune: func(r rune, off int, ctx context) {
				if off < 0 || off >= len(src) {
					t.Fatalf("rune offset %d outside %d bytes", off, len(src))
				}
			},
			ident: func(id string, off int) {
				if off < 0 || off+len(id) > len(src) || string(src[off:off+len(id)]) != id {
					t.Fatalf("identifier %q at %d does not match the input", id, off)
				}
			},
		})
		visible(string(src))
		tagText(src)
		skeleton(string(src))
	})
}
