package ubifs

import (
	"bytes"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"syscall"
	"testing"
)

// needTool skips when an external tool is missing, except in CI, where
// the tool is installed (.ci/run) and a skip would hide a lost test.
func needTool(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s not installed (CI installs mtd-utils)", name)
		}
		t.Skipf("%s not installed (apt-get install mtd-utils)", name)
	}
	return p
}

// got is what a test keeps of one walked file.
type got struct {
	Mode fs.FileMode
	Data string
	Link string
	Rdev uint64
}

// text returns n bytes of varied, compressible text.
func text(seed, n int) []byte {
	var b bytes.Buffer
	for i := 0; b.Len() < n; i++ {
		b.WriteString("line ")
		b.WriteByte(byte('a' + (i*seed)%26))
		b.WriteString(" of the sample file, number ")
		b.WriteByte(byte('0' + i%10))
		b.WriteByte('\n')
	}
	return b.Bytes()[:n]
}

// noise returns n incompressible bytes.
func noise(seed uint32, n int) []byte {
	b := make([]byte, n)
	x := seed | 1
	for i := range b {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		b[i] = byte(x)
	}
	return b
}

// sample is the tree the mkfs tests write; sparse is written with a hole
// (4 KiB of text, 12 KiB of hole, 100 bytes of text).
var sample = map[string]string{
	"etc/passwd":       "root:x:0:0:root:/root:/bin/sh\n",
	"etc/init.d/rcS":   "#!/bin/sh\nmount -a\n",
	"www/index.html":   string(text(3, 50000)),
	"bin/firmware.bin": string(noise(5, 9000)),
	"empty":            "",
}

func sparseContent() []byte {
	b := make([]byte, 16384+100)
	copy(b, text(7, 4096))
	copy(b[16384:], text(8, 100))
	return b
}

// writeSample writes the sample tree to dir: files, a sparse file, a
// symlink, a setuid file and (as root) a device node and a fifo.
func writeSample(t testing.TB, dir string) (dev bool) {
	t.Helper()
	must := func(err error) {
		t.Helper()
		if err != nil {
			t.Fatal(err)
		}
	}
	for p, c := range sample {
		must(os.MkdirAll(filepath.Join(dir, filepath.Dir(p)), 0o755))
		must(os.WriteFile(filepath.Join(dir, p), []byte(c), 0o644))
	}
	must(os.Chmod(filepath.Join(dir, "etc/init.d/rcS"), 0o755))
	must(os.Chmod(filepath.Join(dir, "bin/firmware.bin"), fs.ModeSetuid|0o755))
	f, err := os.Create(filepath.Join(dir, "sparse"))
	must(err)
	sp := sparseContent()
	_, err = f.WriteAt(sp[:4096], 0)
	must(err)
	_, err = f.WriteAt(sp[16384:], 16384)
	must(err)
	must(f.Close())
	must(os.Symlink("../etc/passwd", filepath.Join(dir, "bin/link")))
	must(os.Mkdir(filepath.Join(dir, "dev"), 0o755))
	dev = syscall.Mknod(filepath.Join(dir, "dev/ttyS0"), syscall.S_IFCHR|0o600, 4<<8|64) == nil
	_ = syscall.Mkfifo(filepath.Join(dir, "dev/fifo"), 0o600)
	return dev
}

// readTree opens data, walks it and reads every regular file.
func readTree(t testing.TB, data []byte) (map[string]got, *Image) {
	t.Helper()
	im, err := Open(bytes.NewReader(data), int64(len(data)), Options{})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	out := map[string]got{}
	err = im.Walk(func(f *File) error {
		g := got{Mode: f.Mode, Link: f.LinkTarget, Rdev: f.Rdev}
		if f.Mode.IsRegular() {
			r, err := im.Open(f)
			if err != nil {
				t.Fatalf("%s: %v", f.Path, err)
			}
			b, err := io.ReadAll(r)
			if err != nil {
				t.Fatalf("%s: read: %v", f.Path, err)
			}
			g.Data = string(b)
		}
		out[f.Path] = g
		return nil
	})
	if err != nil {
		t.Fatalf("Walk: %v", err)
	}
	return out, im
}

// mkfs runs mkfs.ubifs over the sample tree.
func mkfs(t testing.TB, args ...string) ([]byte, bool) {
	t.Helper()
	tool := needTool(t, "mkfs.ubifs")
	dir := t.TempDir()
	root := filepath.Join(dir, "root")
	if err := os.Mkdir(root, 0o755); err != nil {
		t.Fatal(err)
	}
	dev := writeSample(t, root)
	out := filepath.Join(dir, "img")
	cmd := exec.Command(tool, append([]string{"-r", root, "-o", out}, args...)...)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("mkfs.ubifs %v: %v\n%s", args, err, b)
	}
	b, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return b, dev
}
