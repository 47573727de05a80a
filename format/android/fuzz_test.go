package android

import (
	"bytes"
	"io"
	"testing"
)

// exerciseBoot checks OpenBoot's promises on any input: Sniff agrees, the
// sections and Length lie within the data.
func exerciseBoot(t testing.TB, data []byte) {
	b, err := OpenBoot(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return
	}
	if !SniffBoot(data) || b.Length() > int64(len(data)) || b.Length() < 0 {
		t.Fatalf("Sniff %v, Length %d of %d", SniffBoot(data), b.Length(), len(data))
	}
	for _, s := range b.Sections {
		if s.Offset < 0 || s.Size <= 0 || s.Offset+s.Size > int64(len(data)) {
			t.Fatalf("section %+v outside %d bytes", s, len(data))
		}
	}
}

// exerciseSparse checks OpenSparse's promises: Sniff agrees, Length
// fits, reads return what Size says (up to a bound).
func exerciseSparse(t testing.TB, data []byte) {
	s, err := OpenSparse(bytes.NewReader(data), int64(len(data)))
	if err != nil {
		return
	}
	if !SniffSparse(data) || s.Length() > int64(len(data)) {
		t.Fatalf("Sniff %v, Length %d of %d", SniffSparse(data), s.Length(), len(data))
	}
	n, err := io.Copy(io.Discard, io.LimitReader(s.Reader(), 1<<20))
	if err == nil && n != min(s.Size(), 1<<20) {
		t.Fatalf("read %d of %d", n, s.Size())
	}
}

func FuzzBoot(f *testing.F) {
	f.Add(boot(2, 2048, fill('k', 3000), fill('r', 100), fill('s', 10), fill('d', 10)))
	f.Add(boot(4, 4096, fill('k', 100), fill('r', 50), fill('g', 10), nil))
	f.Fuzz(func(t *testing.T, data []byte) { exerciseBoot(t, data) })
}

func FuzzSparse(f *testing.F) {
	f.Add(sparse(8, 6,
		schunk{chunkRaw, 2, []byte("0123456789abcdef")},
		schunk{chunkFill, 1, []byte("WXYZ")},
		schunk{chunkCRC, 0, []byte{1, 2, 3, 4}},
		schunk{chunkDontCare, 1, nil},
		schunk{chunkRaw, 1, []byte("ABCDEFGH")}))
	f.Fuzz(func(t *testing.T, data []byte) { exerciseSparse(t, data) })
}
