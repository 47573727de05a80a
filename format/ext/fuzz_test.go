package ext

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// fuzzSeeds are small mke2fs images: ext2 with block maps, ext4 with
// extents, ext4 with inline data.
func fuzzSeeds(f *testing.F) [][]byte {
	mke2fs := tool(f, "mke2fs")
	dir := f.TempDir()
	src := filepath.Join(dir, "src")
	if err := os.MkdirAll(filepath.Join(src, "etc"), 0o755); err != nil {
		f.Fatal(err)
	}
	os.WriteFile(filepath.Join(src, "etc/passwd"), []byte("root:x:0:0::/root:/bin/sh\n"), 0o644)
	os.WriteFile(filepath.Join(src, "etc/big"), pattern(2, 14_000), 0o755)
	os.Symlink("passwd", filepath.Join(src, "etc/sh"))
	os.Symlink(strings.Repeat("x", 70), filepath.Join(src, "etc/long"))
	var seeds [][]byte
	// As small as mke2fs allows: the fuzzer minimizes whole inputs.
	for i, args := range [][]string{
		{"-t", "ext2", "-b", "1024", "-N", "16", "-m", "0"},
		{"-t", "ext4", "-b", "1024", "-N", "16", "-m", "0", "-O", "^has_journal,^resize_inode"},
		{"-t", "ext4", "-b", "1024", "-N", "16", "-m", "0", "-I", "256", "-O", "^has_journal,^resize_inode,inline_data"},
	} {
		img := filepath.Join(dir, "img"+itoa(i))
		blocks := "96"
		if i == 0 {
			blocks = "64"
		}
		out, err := exec.Command(mke2fs, append(append([]string{"-q", "-F"}, args...), "-d", src, img, blocks)...).CombinedOutput()
		if err != nil {
			f.Fatalf("mke2fs: %v\n%s", err, out)
		}
		b, err := os.ReadFile(img)
		if err != nil {
			f.Fatal(err)
		}
		seeds = append(seeds, b)
	}
	return seeds
}

// FuzzOpen opens arbitrary data as an image, walks it and reads every
// file under small limits. Besides not panicking or hanging, it checks
// the reader's promises: Sniff agrees with Open, paths are safe, no read
// yields more than the file's size, sections lie inside the image, and
// every error wraps a sentinel.
func FuzzOpen(f *testing.F) {
	for _, s := range fuzzSeeds(f) {
		f.Add(s)
	}
	f.Fuzz(func(t *testing.T, data []byte) {
		im, err := Open(bytes.NewReader(data), int64(len(data)), Options{MaxFiles: 500, MaxDirBytes: 1 << 20})
		if err != nil {
			if !sentinel(err) {
				t.Fatalf("Open: %v wraps no sentinel", err)
			}
			return
		}
		if !Sniff(data[:min(len(data), 4096)]) && len(data) >= 4096 && im.sb.groupNr == 0 {
			t.Fatal("Open accepts what Sniff refuses")
		}
		err = im.Walk(func(fl *File) error {
			for _, el := range strings.Split(fl.Path, "/") {
				if !safeName(el) {
					t.Fatalf("unsafe path %q", fl.Path)
				}
			}
			if !fl.Mode.IsRegular() {
				return nil
			}
			if off, ok := im.Section(fl); ok && (off < 0 || off+fl.Size > int64(len(data))) {
				t.Fatalf("%s: section %d+%d outside %d bytes", fl.Path, off, fl.Size, len(data))
			}
			r, err := im.Open(fl)
			if err != nil {
				return nil
			}
			n, err := drain(r, 1<<20)
			if n > fl.Size {
				t.Fatalf("%s: read %d bytes of a %d-byte file", fl.Path, n, fl.Size)
			}
			if err != nil && !sentinel(err) {
				t.Fatalf("%s: %v wraps no sentinel", fl.Path, err)
			}
			return nil
		})
		if err != nil && !sentinel(err) {
			t.Fatalf("Walk: %v", err)
		}
	})
}
