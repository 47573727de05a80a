package lzo

import (
	"bytes"
	"errors"
	"testing"
)

// eof is the end-of-stream marker every LZO1X encoder emits.
var eof = []byte{0x11, 0x00, 0x00}

// longLiteral encodes a run of n >= 4 literals as an instruction below 16,
// valid only where the decoder's state is 0.
func longLiteral(lit []byte) []byte {
	n := len(lit) - 3
	var out []byte
	if n <= 15 {
		out = append(out, byte(n))
	} else {
		out = append(out, 0)
		n -= 15
		for n > 255 {
			out = append(out, 0)
			n -= 255
		}
		out = append(out, byte(n))
	}
	return append(out, lit...)
}

func cat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

func repeat(s string, n int) []byte { return bytes.Repeat([]byte(s), n) }

// vectors are hand-assembled streams, one per instruction class, with the
// output worked out from the format description.
var vectors = []struct {
	name string
	in   []byte
	want []byte
}{
	{"empty", eof, nil},
	{"first byte literal run", cat([]byte{17 + 5}, []byte("hello"), eof), []byte("hello")},
	// "abc" then 1LLDDDSS: length 6, distance 3.
	{"short match", cat([]byte{17 + 3}, []byte("abc"), []byte{0xA8, 0x00}, eof), []byte("abcabcabc")},
	// Distance 1, length 7: an overlapping copy repeats one byte.
	{"overlapping match", cat([]byte{17 + 1, 'a', 0xC0, 0x00}, eof), repeat("a", 8)},
	// 001LLLLL with an extended length (31 + 7 + 2 = 40), distance 2.
	{"extended length match", cat([]byte{17 + 2}, []byte("ab"), []byte{0x20, 0x07, 0x04, 0x00}, eof), repeat("ab", 21)},
	// A match that copies no literals (state 0) makes 0000LLLL a literal
	// run; the match's trailing SS bits copy literals after it.
	{"literal run after match", cat([]byte{17 + 1, 'x', 0xC1, 0x00, 'y', 0xC0, 0x00}, longLiteral([]byte("12345")), eof),
		cat(repeat("x", 8), []byte("y"), repeat("y", 7), []byte("12345"))},
	{"match trailing literals", cat([]byte{17 + 1, 'q', 0xC3, 0x00}, []byte("rst"), eof), cat(repeat("q", 8), []byte("rst"))},
	{"first byte short run", cat([]byte{17 + 2}, []byte("zz"), []byte{0x04, 0x00}, eof), repeat("z", 4)},
}

func init() {
	// After a long literal run (state 4) 0000DDSS is a 3-byte match from
	// 2049+ bytes back; with one trailing literal the next 0000DDSS is a
	// 2-byte match (state 1..3).
	lit := make([]byte, 2100)
	for i := range lit {
		lit[i] = byte(i*7 + i/256)
	}
	in := cat([]byte{17 + 1, 'A', 0xC0, 0x00}, longLiteral(lit), []byte{0x01, 0x00, 'Z', 0x04, 0x00}, eof)
	want := cat(repeat("A", 8), lit)
	want = append(want, want[len(want)-2049:len(want)-2049+3]...)
	want = append(want, 'Z')
	want = append(want, want[len(want)-2:]...)
	vectors = append(vectors, struct {
		name string
		in   []byte
		want []byte
	}{"state 4 and state 1 short matches", in, want})

	// 0001HLLL: a match 16385 bytes back, beyond the 16 KiB window of the
	// other classes.
	big := make([]byte, 16400)
	for i := range big {
		big[i] = byte(i ^ i>>8)
	}
	in = cat([]byte{17 + 1, 'B', 0xC0, 0x00}, longLiteral(big), []byte{0x11, 0x04, 0x00}, eof)
	want = cat(repeat("B", 8), big)
	want = append(want, want[len(want)-16385:len(want)-16385+3]...)
	vectors = append(vectors, struct {
		name string
		in   []byte
		want []byte
	}{"far match", in, want})
}

func TestVectors(t *testing.T) {
	for _, v := range vectors {
		t.Run(v.name, func(t *testing.T) {
			dst := make([]byte, len(v.want)+100)
			n, err := Decompress(dst, v.in)
			if err != nil {
				t.Fatalf("Decompress: %v", err)
			}
			if !bytes.Equal(dst[:n], v.want) {
				t.Fatalf("got %d bytes %q..., want %d bytes %q...", n, head(dst[:n]), len(v.want), head(v.want))
			}
			// An exactly sized buffer is enough; one byte less is not.
			if n2, err := Decompress(make([]byte, n), v.in); err != nil || n2 != n {
				t.Fatalf("exact buffer: n=%d err=%v", n2, err)
			}
			if n > 0 {
				if _, err := Decompress(make([]byte, n-1), v.in); !errors.Is(err, ErrOutputOverrun) {
					t.Fatalf("short buffer: err=%v, want ErrOutputOverrun", err)
				}
			}
		})
	}
}

func head(b []byte) []byte { return b[:min(len(b), 32)] }

func TestTruncatedInput(t *testing.T) {
	for _, v := range vectors {
		for cut := 0; cut < len(v.in); cut++ {
			dst := make([]byte, len(v.want)+16)
			if _, err := Decompress(dst, v.in[:cut]); err == nil {
				t.Fatalf("%s cut at %d: no error", v.name, cut)
			}
		}
	}
}

func TestErrors(t *testing.T) {
	cases := []struct {
		name string
		in   []byte
		want error
	}{
		{"too short", []byte{0x11, 0}, ErrInputOverrun},
		{"match before start", []byte{0x11, 0x04, 0x00}, ErrLookBehind},
		{"short match before start", cat([]byte{17 + 1, 'a', 0xC0, 0x01}, eof), ErrLookBehind},
		{"trailing bytes", cat(eof, []byte{0}), ErrCorrupt},
		{"end marker with long length", []byte{0x10, 0x01, 0x00, 0x00}, ErrCorrupt},
		{"literal run past input", []byte{17 + 10, 'a', 'b'}, ErrInputOverrun},
		{"zero length run to the end", cat([]byte{17 + 1, 'a', 0xC0, 0x00, 0x00}, make([]byte, 64)), ErrOutputOverrun},
	}
	for _, c := range cases {
		dst := make([]byte, 64)
		if _, err := Decompress(dst, c.in); !errors.Is(err, c.want) {
			t.Errorf("%s: err=%v, want %v", c.name, err, c.want)
		}
	}
}
