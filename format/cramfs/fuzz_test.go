package cramfs

import (
	"bytes"
	"io"
	"path"
	"strings"
	"testing"
)

// fuzzSeeds are small mkfs.cramfs images of both byte orders.
func fuzzSeeds(t testing.TB) [][]byte {
	small := []entry{
		{path: "etc/passwd", mode: 0o644, data: []byte("root::0:0::/root:/bin/sh\n")},
		{path: "bin/sh", mode: 1<<27 | 0o777, link: "busybox"},
		{path: "www/index.html", mode: 0o644, data: text(2, 6000)},
	}
	small[1].mode = sampleEntries()[3].mode // a symlink
	le, _ := mkcramfs(t, small, "-N", "little")
	be, _ := mkcramfs(t, small, "-N", "big")
	return [][]byte{le, be}
}

func FuzzOpen(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) { exercise(t, data) })
}

// exercise opens data, walks it and reads every file, checking that
// Sniff agrees with Open, paths are clean and no file yields more than
// its size.
func exercise(t testing.TB, data []byte) {
	im, err := Open(bytes.NewReader(data), int64(len(data)), Options{MaxFiles: 2000})
	if err != nil {
		return
	}
	if !Sniff(data) {
		t.Fatal("Open accepted what Sniff rejects")
	}
	_, _ = im.CheckCRC()
	_ = im.Walk(func(f *File) error {
		if f.Path == "" || path.Clean(f.Path) != f.Path || strings.HasPrefix(f.Path, "/") || strings.HasPrefix(f.Path, "..") {
			t.Fatalf("unclean path %q", f.Path)
		}
		if !f.Mode.IsRegular() {
			return nil
		}
		r, err := im.Open(f)
		if err != nil {
			return nil
		}
		n, _ := io.Copy(io.Discard, io.LimitReader(r, 1<<20))
		if n > f.Size {
			t.Fatalf("%s: %d bytes read, size %d", f.Path, n, f.Size)
		}
		return nil
	})
}
