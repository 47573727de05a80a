package squashfs

import (
	"bytes"
	"io"
	"io/fs"
	"math/rand/v2"
	"os"
	"path/filepath"
	"strings"
	"testing"

	"github.com/doorman-sec/doorman/format/squashfs/internal/sqfstest"
	"github.com/doorman-sec/doorman/format/squashfs/sqfswrite"
)

// fuzzSeeds are small real images: the committed mksquashfs images (one
// per compressor) and sqfswrite images in its different layouts.
func fuzzSeeds(f testing.TB) [][]byte {
	var seeds [][]byte
	for _, comp := range testdataCompressors {
		data, err := os.ReadFile(filepath.Join("testdata", comp+".sqfs"))
		if err != nil {
			f.Fatal(err)
		}
		seeds = append(seeds, data)
	}
	small := []sqfswrite.Entry{
		{Path: "etc/passwd", Mode: 0o644, Data: []byte("root:x:0:0::/root:/bin/sh\n")},
		{Path: "bin/sh", Mode: fs.ModeSymlink | 0o777, LinkTarget: "/bin/busybox"},
		{Path: "data", Mode: fs.ModeSetuid | 0o755, Data: sqfstest.Text(1, 5000)},
	}
	for _, opt := range []sqfswrite.WriteOptions{
		{BlockSize: 4096},
		{BlockSize: 4096, UncompressedMetadata: true, UncompressedData: true},
		{BlockSize: 4096, UncompressedMetadata: true, ExtendedInodes: true, NoFragments: true},
	} {
		var buf bytes.Buffer
		if err := sqfswrite.Write(&buf, small, opt); err != nil {
			f.Fatal(err)
		}
		seeds = append(seeds, buf.Bytes())
	}
	return seeds
}

// FuzzOpen opens arbitrary data as an image, walks it and reads every
// file, under limits small enough to keep each run fast. Besides not
// panicking or hanging it checks the reader's promises: Sniff agrees with
// Open, paths are clean and relative, and no file yields more bytes than
// its size.
func FuzzOpen(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(exercise)
}

// exercise is the fuzz body: open data as an image, walk it and read every
// file, under limits small enough to keep each run fast.
func exercise(t *testing.T, data []byte) {
	im, err := Open(bytes.NewReader(data), int64(len(data)), Options{MaxFiles: 2000, MaxMetadataBytes: 4 << 20})
	if err != nil {
		return
	}
	if !Sniff(data) {
		t.Fatal("Open succeeded but Sniff = false")
	}
	if im.BytesUsed() > int64(len(data)) {
		t.Fatalf("BytesUsed %d beyond the %d bytes given", im.BytesUsed(), len(data))
	}
	_ = im.Compression()
	budget := int64(16 << 20) // total bytes read across files
	_ = im.Walk(func(f *File) error {
		if f.Path == "" || strings.HasPrefix(f.Path, "/") || strings.HasSuffix(f.Path, "/") {
			t.Fatalf("bad path %q", f.Path)
		}
		for _, el := range strings.Split(f.Path, "/") {
			if !safeName(el) {
				t.Fatalf("unsafe element %q in %q", el, f.Path)
			}
		}
		if !f.Mode.IsRegular() || budget <= 0 {
			return nil
		}
		r, err := im.Open(f)
		if err != nil {
			return nil
		}
		n, _ := io.Copy(io.Discard, io.LimitReader(r, budget))
		budget -= n
		if n > f.Size {
			t.Fatalf("%s: read %d bytes, size %d", f.Path, n, f.Size)
		}
		return nil
	})
}

// TestMutations runs the fuzz body over seeded random corruptions of the
// seed images: byte changes, cuts and zeroed runs. It keeps the hostile
// input checks in every test run, not only when fuzzing.
func TestMutations(t *testing.T) {
	seeds := fuzzSeeds(t)
	rng := rand.New(rand.NewPCG(42, 7))
	for i := range 3000 {
		d := bytes.Clone(seeds[i%len(seeds)])
		switch rng.IntN(4) {
		case 0:
			d = d[:rng.IntN(len(d))]
		case 1:
			at := rng.IntN(len(d))
			clear(d[at:min(len(d), at+rng.IntN(64))])
		default:
			for range rng.IntN(8) + 1 {
				d[rng.IntN(len(d))] = byte(rng.Uint32())
			}
		}
		exercise(t, d)
	}
}
