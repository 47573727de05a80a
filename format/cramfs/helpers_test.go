package cramfs

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

// needTool skips when an external tool is missing, except in CI (where a
// skip would hide a lost test).
func needTool(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s not installed (Debian: util-linux)", name)
		}
		t.Skipf("%s not installed", name)
	}
	return p
}

type entry struct {
	path string
	mode fs.FileMode
	data []byte
	link string
}

func text(seed, n int) []byte {
	var b bytes.Buffer
	for i := 0; b.Len() < n; i++ {
		b.WriteString("option ")
		b.WriteByte(byte('a' + (i*7+seed)%26))
		b.WriteString(" of a camera config that repeats\n")
	}
	return b.Bytes()[:n]
}

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

func sampleEntries() []entry {
	return []entry{
		{path: "etc/passwd", mode: 0o644, data: []byte("root::0:0:root:/root:/bin/sh\n")},
		{path: "etc/init.d/rcS", mode: 0o755, data: text(1, 20000)},
		{path: "bin/busybox", mode: 0o755 | fs.ModeSetuid, data: noise(2, 9000)},
		{path: "bin/sh", mode: fs.ModeSymlink | 0o777, link: "busybox"},
		{path: "dev/ttyS0", mode: fs.ModeDevice | fs.ModeCharDevice | 0o600},
		{path: "empty", mode: 0o644},
		{path: "var", mode: fs.ModeDir | 0o755},
	}
}

// mkcramfs writes entries to a folder and runs mkfs.cramfs over it with
// args; it reports whether the device node could be made (needs root).
func mkcramfs(t testing.TB, entries []entry, args ...string) ([]byte, bool) {
	t.Helper()
	dir := t.TempDir()
	root := filepath.Join(dir, "root")
	dev := true
	for _, e := range entries {
		p := filepath.Join(root, e.path)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		switch {
		case e.mode.IsDir():
			if err := os.MkdirAll(p, 0o755); err != nil {
				t.Fatal(err)
			}
		case e.mode&fs.ModeSymlink != 0:
			if err := os.Symlink(e.link, p); err != nil {
				t.Fatal(err)
			}
			continue
		case e.mode&fs.ModeDevice != 0:
			if syscall.Mknod(p, syscall.S_IFCHR|0o600, 4<<8|64) != nil {
				dev = false
			}
			continue
		default:
			if err := os.WriteFile(p, e.data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		if err := os.Chmod(p, e.mode&(fs.ModePerm|fs.ModeSetuid|fs.ModeSticky)); err != nil {
			t.Fatal(err)
		}
	}
	return mkcramfsDir(t, root, args...), dev
}

// mkcramfsDir runs mkfs.cramfs over root with args.
func mkcramfsDir(t testing.TB, root string, args ...string) []byte {
	t.Helper()
	tool := needTool(t, "mkfs.cramfs")
	out := filepath.Join(t.TempDir(), "img")
	if b, err := exec.Command(tool, append(args, root, out)...).CombinedOutput(); err != nil {
		t.Fatalf("mkfs.cramfs %v: %v\n%s", args, err, b)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return data
}

type got struct {
	mode fs.FileMode
	data string
	link string
}

func readTree(t testing.TB, data []byte) (map[string]got, *Image) {
	t.Helper()
	im, err := Open(bytes.NewReader(data), int64(len(data)), Options{})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	out := map[string]got{}
	err = im.Walk(func(f *File) error {
		g := got{mode: f.Mode, link: f.LinkTarget}
		if f.Mode.IsRegular() {
			r, err := im.Open(f)
			if err != nil {
				t.Fatal(err)
			}
			b, err := io.ReadAll(r)
			if err != nil {
				t.Fatalf("%s: %v", f.Path, err)
			}
			g.data = string(b)
		}
		out[f.Path] = g
		return nil
	})
	if err != nil {
		t.Fatalf("Walk: %v", err)
	}
	return out, im
}
