//go:build linux

package jffs2

import (
	"io/fs"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"syscall"
	"testing"

	"github.com/doorman-sec/doorman/format/jffs2/jffs2write"
)

// writeTree writes sampleEntries to dir as mkfs.jffs2 will read them. It
// reports whether the device node could be made (it needs root).
func writeTree(t *testing.T, dir string) bool {
	t.Helper()
	dev := true
	for _, e := range sampleEntries() {
		p := filepath.Join(dir, e.Path)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		switch {
		case e.Mode.IsDir():
			if err := os.Mkdir(p, 0o755); err != nil {
				t.Fatal(err)
			}
		case e.Mode&fs.ModeSymlink != 0:
			if err := os.Symlink(e.Link, p); err != nil {
				t.Fatal(err)
			}
			continue
		case e.Mode&fs.ModeDevice != 0:
			if err := syscall.Mknod(p, syscall.S_IFCHR|0o600, 4<<8|64); err != nil {
				dev = false
			}
			continue
		default:
			if err := os.WriteFile(p, e.Data, 0o644); err != nil {
				t.Fatal(err)
			}
		}
		m := e.Mode
		if m == 0 {
			m = 0o644
		}
		if err := os.Chmod(p, m&(fs.ModePerm|fs.ModeSetuid|fs.ModeSticky)); err != nil {
			t.Fatal(err)
		}
	}
	return dev
}

// mkfs runs mkfs.jffs2 over the sample tree with extra arguments.
func mkfs(t *testing.T, args ...string) ([]byte, bool) {
	t.Helper()
	tool := needTool(t, "mkfs.jffs2")
	dir := t.TempDir()
	root := filepath.Join(dir, "root")
	if err := os.Mkdir(root, 0o755); err != nil {
		t.Fatal(err)
	}
	dev := writeTree(t, root)
	out := filepath.Join(dir, "img")
	cmd := exec.Command(tool, append([]string{"-r", root, "-o", out}, args...)...)
	if b, err := cmd.CombinedOutput(); err != nil {
		t.Fatalf("mkfs.jffs2 %v: %v\n%s", args, err, b)
	}
	data, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return data, dev
}

// TestMkfsJFFS2 reads images made by mtd-utils' mkfs.jffs2 in both byte
// orders with every compressor it offers, without cleanmarkers, with
// larger erase blocks and padded to the end of the erase block.
func TestMkfsJFFS2(t *testing.T) {
	for name, args := range map[string][]string{
		"le-zlib":     {"-l"},
		"be-zlib":     {"-b"},
		"le-none":     {"-l", "-m", "none"},
		"be-rtime":    {"-b", "-x", "zlib"},
		"le-lzo":      {"-l", "-X", "lzo", "-x", "zlib", "-x", "rtime"},
		"be-lzo":      {"-b", "-X", "lzo", "-y", "90:lzo"},
		"nocleanmark": {"-l", "-n", "-e", "0x20000"},
		"padded":      {"-b", "-p", "-e", "0x4000", "-s", "0x1000"},
		"bigpage":     {"-l", "-s", "0x10000"},
	} {
		t.Run(name, func(t *testing.T) {
			data, dev := mkfs(t, append(args, "-U")...)
			tree, im := readTree(t, data, 1<<20)
			if !dev {
				delete(tree, "dev/ttyS0")
				tree["dev/ttyS0"] = got{Mode: fs.ModeDevice | fs.ModeCharDevice | 0o600}
			}
			checkSample(t, tree)
			if len(im.Warnings()) > 0 {
				t.Errorf("warnings: %v", im.Warnings())
			}
			if strings.Contains(strings.Join(args, " "), "-p") && im.Length() >= int64(len(data)) {
				t.Errorf("Length %d includes the 0xFF padding of %d bytes", im.Length(), len(data))
			}
		})
	}
}

// TestMkfsSameAsWriter checks that our test writer and mkfs.jffs2 agree,
// so tests built on the writer stand for real images.
func TestMkfsSameAsWriter(t *testing.T) {
	data, _ := mkfs(t, "-l", "-U")
	real, _ := readTree(t, data, 1<<20)
	ours, _ := readTree(t, build(t, sampleEntries(), jffs2write.Options{Compressor: jffs2write.Zlib}), 1<<20)
	for p, g := range ours {
		if p == "dev/ttyS0" {
			continue
		}
		if r := real[p]; r.Mode != g.Mode || r.Data != g.Data || r.Link != g.Link {
			t.Errorf("%s: mkfs %v/%d/%q, writer %v/%d/%q", p, r.Mode, len(r.Data), r.Link, g.Mode, len(g.Data), g.Link)
		}
	}
}
