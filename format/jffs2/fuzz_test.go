package jffs2

import (
	"bytes"
	"io"
	"path"
	"strings"
	"testing"

	"github.com/doorman-sec/doorman/format/jffs2/jffs2write"
)

// fuzzSeeds are small real images: our writer's, in both byte orders and
// with each compressor (mkfs.jffs2's images are read by TestMkfsJFFS2;
// the writer's match them, see TestMkfsSameAsWriter).
func fuzzSeeds(t testing.TB) [][]byte {
	small := []jffs2write.Entry{
		{Path: "etc/passwd", Data: []byte("root:x:0:0::/root:/bin/sh\n")},
		{Path: "bin/sh", Link: "busybox"},
		{Path: "www/index.html", Data: text(2, 5000)},
	}
	small[1].Mode = sampleEntries()[3].Mode // a symlink
	var seeds [][]byte
	for _, o := range []jffs2write.Options{
		{Compressor: jffs2write.Zlib, EraseBlock: 4096},
		{BigEndian: true, Compressor: jffs2write.LZMA, NoCleanmarkers: true},
		{Compressor: jffs2write.Rtime, PageSize: 1024},
		{BigEndian: true},
	} {
		seeds = append(seeds, build(t, small, o))
	}
	return seeds
}

func FuzzOpen(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) { exercise(t, data) })
}

// exercise opens data, walks it and reads every file under small limits,
// checking the reader's promises: Sniff agrees with Open, paths are clean
// and relative, no file yields more than its size, Length fits the data.
func exercise(t testing.TB, data []byte) {
	im, err := Open(bytes.NewReader(data), int64(len(data)), Options{MaxNodes: 10000, MaxFiles: 2000})
	if err != nil {
		return
	}
	if !Sniff(data) {
		t.Fatal("Open accepted what Sniff rejects")
	}
	if im.Length() <= 0 || im.Length() > int64(len(data)) {
		t.Fatalf("Length %d of %d bytes", im.Length(), len(data))
	}
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
		n, _ := io.Copy(io.Discard, io.LimitReader(r, 64<<10))
		if n > f.Size {
			t.Fatalf("%s: %d bytes read, size %d", f.Path, n, f.Size)
		}
		return nil
	})
}
