package formats_test

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/doorman-sec/doorman/artifact"
	"github.com/doorman-sec/doorman/internal/fixture"
)

// mke2fs builds an ext image with mke2fs -d (e2fsprogs; no root or loop
// mount needed), skipping the test when e2fsprogs is absent.
func mke2fs(t *testing.T, blocks string, args ...string) []byte {
	t.Helper()
	bin, err := exec.LookPath("mke2fs")
	if err != nil {
		for _, p := range []string{"/usr/sbin/mke2fs", "/sbin/mke2fs"} {
			if _, e := os.Stat(p); e == nil {
				bin, err = p, nil
			}
		}
	}
	if err != nil {
		t.Skip("mke2fs not found (apt-get install e2fsprogs)")
	}
	dir := t.TempDir()
	src := filepath.Join(dir, "src")
	for p, data := range map[string]string{
		"etc/passwd":     "root:x:0:0:root:/root:/bin/sh\n",
		"etc/init.d/rcS": "#!/bin/sh\nmount -a\n",
		"usr/lib/big":    strings.Repeat("firmware blob line\n", 20000),
	} {
		os.MkdirAll(filepath.Join(src, filepath.Dir(p)), 0o755)
		if err := os.WriteFile(filepath.Join(src, p), []byte(data), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	os.MkdirAll(filepath.Join(src, "bin"), 0o755)
	if err := os.Symlink("busybox", filepath.Join(src, "bin/sh")); err != nil {
		t.Fatal(err)
	}
	img := filepath.Join(dir, "img")
	out, err := exec.Command(bin, append(append([]string{"-q", "-F"}, args...), "-d", src, img, blocks)...).CombinedOutput()
	if err != nil {
		t.Fatalf("mke2fs: %v\n%s", err, out)
	}
	data, err := os.ReadFile(img)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestExtCarved finds an ext2 (1 KiB blocks, block maps) and an ext4
// (4 KiB blocks, extents) image at odd offsets of a raw dump, lists their
// files, reads contiguous and fragmented content, and carves nothing else:
// not the backup superblocks inside the images, not the 0xEF53 pairs of
// the random filler, not an image whose superblock was damaged.
func TestExtCarved(t *testing.T) {
	// Eight block groups of 256 blocks: superblock backups at groups
	// 1, 3, 5 and 7, which must not be carved as images of their own
	// (the damaged copy below has only its backups intact).
	e2 := mke2fs(t, "2048", "-t", "ext2", "-b", "1024", "-g", "256")
	e4 := mke2fs(t, "1024", "-t", "ext4", "-b", "4096", "-O", "^has_journal")
	bad := append([]byte(nil), e2...)
	bad[1024+0x18] = 9 // a block size of 512 KiB: no ext superblock
	blob := fixture.Blob(16<<20, 11,
		fixture.Part{Offset: 0x10001, Data: e2},
		fixture.Part{Offset: 0x456789, Data: e4},
		fixture.Part{Offset: 0xa00003, Data: bad})
	got, errs := walkBlob(t, blob)
	for _, root := range []string{"blob.bin!/ext@0x10001!/", "blob.bin!/ext@0x456789!/"} {
		if g := got[root+"etc/passwd"]; g.Data != "root:x:0:0:root:/root:/bin/sh\n" || g.Kind != artifact.KindText {
			t.Errorf("%setc/passwd: %+v (have %v)", root, g, walkedPaths(got))
		}
		if g := got[root+"etc/init.d/rcS"]; g.Mode != 0o755 || !strings.Contains(g.Data, "mount -a") {
			t.Errorf("%setc/init.d/rcS: %+v", root, g)
		}
		if g := got[root+"usr/lib/big"]; len(g.Data) != 19*20000 || !strings.HasSuffix(g.Data, "firmware blob line\n") {
			t.Errorf("%susr/lib/big: %d bytes", root, len(g.Data))
		}
		if g := got[root+"bin/sh"]; g.Kind != artifact.KindSymlink || g.Link != "busybox" {
			t.Errorf("%sbin/sh: %+v", root, g)
		}
		if g := got[root+"lost+found"]; g.Kind != artifact.KindDir || g.Mode != fs.ModeDir|0o700 {
			t.Errorf("%slost+found: %+v", root, g)
		}
		if g := got[strings.TrimSuffix(root, "!/")]; g.Kind != "ext" {
			t.Errorf("%s: kind %q", root, g.Kind)
		}
	}
	var regions []string
	for p := range got {
		if i := strings.Index(p, "ext@"); i >= 0 && !strings.Contains(p[i:], "!/") {
			regions = append(regions, p)
		}
	}
	if len(regions) != 2 {
		t.Errorf("ext regions carved: %v, want 2", regions)
	}
	if len(errs) > 0 {
		t.Errorf("errors: %v", errs)
	}
}
