package squashfs

import (
	"fmt"
	"io/fs"
	"strings"
	"testing"
	"time"

	"github.com/doorman-sec/doorman/format/squashfs/internal/sqfstest"
	"github.com/doorman-sec/doorman/format/squashfs/sqfswrite"
)

// TestWriterRoundTrip reads back sqfswrite images in every layout the
// writer has: it exercises basic and extended inodes, compressed and
// stored blocks, fragments and sparse blocks without external tools.
func TestWriterRoundTrip(t *testing.T) {
	opts := map[string]sqfswrite.WriteOptions{
		"4k":              {BlockSize: 4096},
		"default 128k":    {},
		"1m":              {BlockSize: 1 << 20},
		"uncompressed":    {BlockSize: 4096, UncompressedData: true, UncompressedMetadata: true},
		"no fragments":    {BlockSize: 4096, NoFragments: true},
		"extended inodes": {BlockSize: 4096, ExtendedInodes: true},
	}
	for name, opt := range opts {
		t.Run(name, func(t *testing.T) {
			data := writeImage(t, sqfstest.Fixture(), opt)
			if len(data)%4096 != 0 {
				t.Errorf("image of %d bytes is not padded to 4 KiB", len(data))
			}
			if !Sniff(data) {
				t.Error("Sniff = false")
			}
			im := openBytes(t, data, Options{})
			if im.Compression() != "gzip" {
				t.Errorf("Compression = %q", im.Compression())
			}
			if im.BytesUsed() > int64(len(data)) || im.BytesUsed() <= int64(len(data))-4096 {
				t.Errorf("BytesUsed = %d for a padded image of %d bytes", im.BytesUsed(), len(data))
			}
			checkEntries(t, im, sqfstest.Fixture(), sqfstest.ImplicitDirs, true)
		})
	}
}

// TestLargeDirectories covers listings that need several headers (more
// than 256 entries) and span metadata blocks, many inode blocks, and deep
// nesting.
func TestLargeDirectories(t *testing.T) {
	var entries []sqfswrite.Entry
	for i := range 1500 {
		name := fmt.Sprintf("many/%04d-%s", i, strings.Repeat("x", i%200))
		entries = append(entries, sqfswrite.Entry{Path: name, Mode: 0o644, Data: []byte(name)})
	}
	deep := strings.TrimSuffix(strings.Repeat("d/", 300), "/")
	entries = append(entries, sqfswrite.Entry{Path: deep + "/leaf", Mode: 0o600, Data: []byte("deep")})
	var dirs []string
	for p := deep; p != "."; p = parent(p) {
		dirs = append(dirs, p)
	}
	dirs = append(dirs, "many")
	for _, opt := range []sqfswrite.WriteOptions{{}, {ExtendedInodes: true, UncompressedMetadata: true}} {
		im := openBytes(t, writeImage(t, entries, opt), Options{})
		checkEntries(t, im, entries, dirs, true)
	}
}

func parent(p string) string {
	if i := strings.LastIndexByte(p, '/'); i >= 0 {
		return p[:i]
	}
	return "."
}

// TestWalkOrderAndTimes checks depth-first, name-sorted order, that entry
// times and the image's default time come through, and that a directory
// listed after its content gets its own mode.
func TestWalkOrderAndTimes(t *testing.T) {
	when := time.Date(2024, 2, 29, 12, 30, 0, 0, time.UTC)
	entries := []sqfswrite.Entry{
		{Path: "b/z", Mode: 0o644},
		{Path: "a", Mode: 0o644, ModTime: when.Add(time.Hour)},
		{Path: "b/a/x", Mode: 0o644},
		{Path: "c", Mode: fs.ModeSymlink | 0o777, LinkTarget: "/b/z"},
		// Named after its content created it: takes this mode.
		{Path: "b", Mode: fs.ModeDir | 0o700},
	}
	im := openBytes(t, writeImage(t, entries, sqfswrite.WriteOptions{ModTime: when}), Options{})
	w, err := walkAll(t, im, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	want := "a b b/a b/a/x b/z c"
	if got := strings.Join(w.order, " "); got != want {
		t.Errorf("order %q, want %q", got, want)
	}
	if got := w.files["a"].ModTime; !got.Equal(when.Add(time.Hour)) {
		t.Errorf("a: ModTime %v", got)
	}
	if got := w.files["b/z"].ModTime; !got.Equal(when) {
		t.Errorf("b/z: ModTime %v", got)
	}
	if got := w.files["b"].Mode; got != fs.ModeDir|0o700 {
		t.Errorf("b: mode %v", got)
	}
	if got := w.files["c"].Size; got != 4 {
		t.Errorf("symlink Size %d, want target length 4", got)
	}
}
