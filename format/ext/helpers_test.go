package ext

import (
	"bytes"
	"io"
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
)

// tool finds an e2fsprogs program, also in the sbin folders a non-root
// PATH lacks, and skips the test when e2fsprogs is not installed.
func tool(t testing.TB, name string) string {
	t.Helper()
	if p, err := exec.LookPath(name); err == nil {
		return p
	}
	for _, d := range []string{"/usr/sbin", "/sbin"} {
		if p := filepath.Join(d, name); fileExists(p) {
			return p
		}
	}
	t.Skipf("%s not found (apt-get install e2fsprogs)", name)
	return ""
}

func fileExists(p string) bool { _, err := os.Stat(p); return err == nil }

// pattern returns n bytes of deterministic non-repeating content.
func pattern(seed uint32, n int) []byte {
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

// want is what a test expects of one entry.
type want struct {
	mode fs.FileMode
	data string // regular files
	link string
}

// longLink is a slow symlink target (over 60 bytes).
var longLink = "/usr/lib/firmware/" + strings.Repeat("x", 80) + "/target.bin"

// sourceTree writes the files the fixtures are made from under dir and
// returns what the image should hold. It covers: small files, a file with
// indirect (and, in 1 KiB blocks, double indirect) blocks, a sparse file,
// fast and slow symlinks, a fifo, a setuid file, a deep path, a directory
// with enough entries to span several blocks, and a hard link.
func sourceTree(t testing.TB, dir string) map[string]want {
	t.Helper()
	w := map[string]want{}
	file := func(p string, mode fs.FileMode, data []byte) {
		full := filepath.Join(dir, p)
		if err := os.MkdirAll(filepath.Dir(full), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(full, data, 0o600); err != nil {
			t.Fatal(err)
		}
		if err := os.Chmod(full, mode); err != nil {
			t.Fatal(err)
		}
		w[p] = want{mode: mode, data: string(data)}
	}
	file("etc/passwd", 0o644, []byte("root:x:0:0:root:/root:/bin/sh\n"))
	file("etc/init.d/rcS", 0o755, []byte("#!/bin/sh\nmount -a\n"))
	file("bin/busybox", 0o755|fs.ModeSetuid, pattern(1, 300_000))
	file("usr/share/a/b/c/d/deep.txt", 0o600, []byte("deep\n"))
	file("empty", 0o644, nil)
	for i := range 120 {
		file("many/entry-with-a-rather-long-name-"+string(rune('a'+i%26))+strings.Repeat("z", i%7)+"-"+itoa(i), 0o644, []byte(itoa(i)))
	}
	// A sparse file: a hole, data, a hole, data.
	sp := filepath.Join(dir, "var/sparse.img")
	if err := os.MkdirAll(filepath.Dir(sp), 0o755); err != nil {
		t.Fatal(err)
	}
	f, err := os.Create(sp)
	if err != nil {
		t.Fatal(err)
	}
	spData := make([]byte, 600_000)
	copy(spData[200_000:], "middle")
	copy(spData[600_000-3:], "end")
	if _, err := f.WriteAt([]byte("middle"), 200_000); err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt([]byte("end"), 600_000-3); err != nil {
		t.Fatal(err)
	}
	f.Close()
	w["var/sparse.img"] = want{mode: 0o644, data: string(spData)}
	os.Chmod(sp, 0o644)
	for p, target := range map[string]string{"bin/sh": "busybox", "lib/fw": longLink} {
		full := filepath.Join(dir, p)
		os.MkdirAll(filepath.Dir(full), 0o755)
		if err := os.Symlink(target, full); err != nil {
			t.Fatal(err)
		}
		w[p] = want{mode: fs.ModeSymlink | 0o777, link: target}
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "var/fifo"), 0o600); err != nil {
		t.Fatal(err)
	}
	w["var/fifo"] = want{mode: fs.ModeNamedPipe | 0o600}
	if err := os.Link(filepath.Join(dir, "etc/passwd"), filepath.Join(dir, "etc/passwd.hard")); err != nil {
		t.Fatal(err)
	}
	w["etc/passwd.hard"] = w["etc/passwd"]
	return w
}

func itoa(i int) string {
	if i == 0 {
		return "0"
	}
	var b []byte
	for ; i > 0; i /= 10 {
		b = append([]byte{byte('0' + i%10)}, b...)
	}
	return string(b)
}

// mkfs builds an image of blocks blocks (of the -b given in args) from
// the source tree with mke2fs -d, adds a character device with debugfs
// (no root needed), and returns the image and what it should hold.
func mkfs(t testing.TB, blocks string, args ...string) ([]byte, map[string]want) {
	t.Helper()
	mke2fs := tool(t, "mke2fs")
	debugfs := tool(t, "debugfs")
	dir := t.TempDir()
	src := filepath.Join(dir, "src")
	w := sourceTree(t, src)
	if err := os.Mkdir(filepath.Join(src, "dev"), 0o755); err != nil {
		t.Fatal(err)
	}
	img := filepath.Join(dir, "img")
	cmd := exec.Command(mke2fs, append(append([]string{"-q", "-F", "-E", "root_owner=0:0"}, args...), "-d", src, img, blocks)...)
	cmd.Env = append(os.Environ(), "E2FSPROGS_FAKE_TIME=1700000000")
	if out, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("mke2fs %v: %v\n%s", args, err, out)
	}
	cmds := filepath.Join(dir, "cmds")
	if err := os.WriteFile(cmds, []byte("cd dev\nmknod console c 5 1\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	if out, err := exec.Command(debugfs, "-w", "-f", cmds, img).CombinedOutput(); err != nil {
		t.Fatalf("debugfs: %v\n%s", err, out)
	}
	w["dev"] = want{mode: fs.ModeDir | 0o755}
	w["dev/console"] = want{mode: fs.ModeDevice | fs.ModeCharDevice}
	data, err := os.ReadFile(img)
	if err != nil {
		t.Fatal(err)
	}
	return data, w
}

// readAll walks im and reads every regular file, returning entries by
// path. It fails the test on any error.
func readAll(t testing.TB, im *Image) map[string]*File {
	t.Helper()
	got := map[string]*File{}
	err := im.Walk(func(f *File) error {
		got[f.Path] = f
		return nil
	})
	if err != nil {
		t.Fatalf("Walk: %v", err)
	}
	return got
}

// content reads a regular file whole, checking the section path agrees.
func content(t testing.TB, im *Image, src []byte, f *File) string {
	t.Helper()
	r, err := im.Open(f)
	if err != nil {
		t.Fatalf("%s: %v", f.Path, err)
	}
	b, err := io.ReadAll(r)
	if err != nil {
		t.Fatalf("%s: %v", f.Path, err)
	}
	if off, ok := im.Section(f); ok && !bytes.Equal(src[off:off+f.Size], b) {
		t.Errorf("%s: section at %d differs from the streamed content", f.Path, off)
	}
	return string(b)
}
