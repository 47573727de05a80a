package formats_test

import (
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"

	"github.com/doorman-sec/doorman/artifact"
	"github.com/doorman-sec/doorman/internal/fixture"
)

// mkcramfs builds a cramfs image of files with util-linux's mkfs.cramfs.
func mkcramfs(t *testing.T, files map[string]string, args ...string) []byte {
	t.Helper()
	tool, err := exec.LookPath("mkfs.cramfs")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("mkfs.cramfs not installed (Debian: util-linux)")
		}
		t.Skip("mkfs.cramfs not installed")
	}
	root := t.TempDir()
	for p, data := range files {
		full := filepath.Join(root, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, []byte(data), 0o644); err != nil {
			t.Fatal(err)
		}
	}
	out := filepath.Join(t.TempDir(), "img")
	if b, err := exec.Command(tool, append(args, root, out)...).CombinedOutput(); err != nil {
		t.Fatalf("mkfs.cramfs: %v\n%s", err, b)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

// TestCramfsCarved finds cramfs images of both byte orders (one padded
// for a boot loader) at odd offsets of a raw blob and lists their files.
func TestCramfsCarved(t *testing.T) {
	files := map[string]string{
		"etc/passwd":     "root::0:0:root:/root:/bin/sh\n",
		"etc/init.d/rcS": "#!/bin/sh\n" + strings.Repeat("echo starting services\n", 400),
	}
	le := mkcramfs(t, files, "-N", "little")
	be := mkcramfs(t, files, "-N", "big", "-p")
	// A near-miss: the signature alone, as in a binary that mentions it.
	decoy := []byte("\x00\x00\x00\x00............Compressed ROMFS is not here")
	blob := fixture.Blob(1<<20, 11, fixture.Part{Offset: 0x1001, Data: decoy},
		fixture.Part{Offset: 0x12345, Data: le}, fixture.Part{Offset: 0x70003, Data: be})
	got, errs := walkBlob(t, blob)
	for _, root := range []string{"blob.bin!/cramfs@0x12345!/", "blob.bin!/cramfs@0x70203!/"} {
		if g := got[root+"etc/passwd"]; g.Data != files["etc/passwd"] || g.Kind != artifact.KindText {
			t.Errorf("%setc/passwd: %+v (have %v)", root, g, walkedPaths(got))
		}
		if g := got[root+"etc/init.d/rcS"]; g.Data != files["etc/init.d/rcS"] {
			t.Errorf("%setc/init.d/rcS: %d bytes", root, len(g.Data))
		}
	}
	for p := range got {
		if strings.Contains(p, "cramfs@0x1001") {
			t.Errorf("decoy carved: %s", p)
		}
	}
	if len(errs) > 0 {
		t.Errorf("errors: %v", errs)
	}
}
