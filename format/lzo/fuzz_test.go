package lzo

import (
	"bytes"
	"errors"
	"testing"
)

// FuzzDecompress feeds arbitrary streams to Decompress. Beyond not
// panicking, a successful decode must be reproducible into an exactly sized
// buffer and must fail cleanly into a buffer one byte short.
func FuzzDecompress(f *testing.F) {
	for _, v := range vectors {
		f.Add(v.in)
	}
	f.Fuzz(func(t *testing.T, in []byte) {
		dst := make([]byte, 1<<16)
		n, err := Decompress(dst, in)
		if n < 0 || n > len(dst) {
			t.Fatalf("n=%d out of range", n)
		}
		if err != nil {
			return
		}
		exact := make([]byte, n)
		n2, err := Decompress(exact, in)
		if err != nil || n2 != n || !bytes.Equal(exact, dst[:n]) {
			t.Fatalf("exact buffer decode differs: n=%d/%d err=%v", n2, n, err)
		}
		if n > 0 {
			if _, err := Decompress(make([]byte, n-1), in); !errors.Is(err, ErrOutputOverrun) {
				t.Fatalf("short buffer: err=%v", err)
			}
		}
	})
}
