package formats_test

import (
	"bytes"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/doorman-sec/doorman/artifact"
	"github.com/doorman-sec/doorman/internal/fixture"
)

// genromfsImage builds a romfs image of a small root file system with
// Debian's genromfs; skipped without it, except in CI.
func genromfsImage(t *testing.T) []byte {
	t.Helper()
	tool, err := exec.LookPath("genromfs")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("genromfs not installed (apt-get install genromfs)")
		}
		t.Skip("genromfs not installed")
	}
	dir := t.TempDir()
	for name, data := range map[string]string{
		"etc/passwd":     "root:x:0:0:root:/root:/bin/sh\n",
		"etc/init.d/rcS": "#!/bin/sh\nmount -a\n",
	} {
		p := filepath.Join(dir, name)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, []byte(data), 0o755); err != nil {
			t.Fatal(err)
		}
	}
	if err := os.Symlink("busybox", filepath.Join(dir, "etc/sh")); err != nil {
		t.Fatal(err)
	}
	out := filepath.Join(t.TempDir(), "rom.img")
	if b, err := exec.Command(tool, "-f", out, "-d", dir).CombinedOutput(); err != nil {
		t.Fatalf("genromfs: %v\n%s", err, b)
	}
	img, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return img
}

// TestRomfsCarved finds a romfs image at an odd offset of a flash dump and
// lists its files, and ignores a bare "-rom1fs-" string whose checksum
// does not hold.
func TestRomfsCarved(t *testing.T) {
	img := genromfsImage(t)
	stray := append([]byte("-rom1fs-\x00\x00\x10\x00\x12\x34\x56\x78"), bytes.Repeat([]byte{0}, 64)...)
	blob := fixture.Blob(256<<10, 11, fixture.Part{Offset: 0x10001, Data: img}, fixture.Part{Offset: 0x30000, Data: stray})
	got, errs := walkBlob(t, blob)
	root := "blob.bin!/romfs@0x10001!/"
	if g := got[root+"etc/passwd"]; g.Kind != artifact.KindText || !strings.HasPrefix(g.Data, "root:x:0:0") {
		t.Errorf("etc/passwd: %+v (have %v)", g, walkedPaths(got))
	}
	if g := got[root+"etc/init.d/rcS"]; g.Mode != 0o755 || !strings.Contains(g.Data, "mount -a") {
		t.Errorf("rcS: %+v", g)
	}
	if g := got[root+"etc/sh"]; g.Kind != artifact.KindSymlink || g.Link != "busybox" {
		t.Errorf("etc/sh: %+v", g)
	}
	for p := range got {
		if strings.Contains(p, "romfs@") && !strings.Contains(p, "romfs@0x10001") {
			t.Errorf("stray romfs carved: %s", p)
		}
	}
	if len(errs) > 0 {
		t.Errorf("errors: %v", errs)
	}
}
