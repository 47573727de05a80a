package ext

import (
	"bytes"
	"io/fs"
	"strings"
	"testing"
)

// variants are the mke2fs configurations the reader must handle: each
// block-map and extent layout, 32- and 64-bit group descriptors, 128- and
// 256-byte inodes, meta_bg, inline data, with and without a journal.
var variants = []struct {
	name   string
	blocks string
	args   []string
}{
	{"ext2-1k", "4096", []string{"-t", "ext2", "-b", "1024"}},
	{"ext2-4k", "1024", []string{"-t", "ext2", "-b", "4096"}},
	{"ext2-128-inodes", "4096", []string{"-t", "ext2", "-b", "1024", "-I", "128", "-r", "0"}},
	{"ext3-1k", "8192", []string{"-t", "ext3", "-b", "1024"}},
	{"ext3-4k", "2048", []string{"-t", "ext3", "-b", "4096"}},
	{"ext4-1k-nojournal", "4096", []string{"-t", "ext4", "-b", "1024", "-O", "^has_journal"}},
	{"ext4-4k", "2048", []string{"-t", "ext4", "-b", "4096"}},
	{"ext4-64bit", "1024", []string{"-t", "ext4", "-b", "4096", "-O", "64bit,^has_journal"}},
	{"ext4-meta-bg", "4096", []string{"-t", "ext4", "-b", "1024", "-O", "meta_bg,^resize_inode,^has_journal"}},
	{"ext4-inline", "1024", []string{"-t", "ext4", "-b", "4096", "-I", "256", "-O", "inline_data,^has_journal"}},
	{"ext4-128-inodes", "1024", []string{"-t", "ext4", "-b", "4096", "-I", "128", "-O", "^has_journal"}},
}

// TestMke2fs reads images made by mke2fs -d in every variant and checks
// every entry: type, permissions, content (streamed, and as a section
// when contiguous), symlink targets, the device and the hard link.
func TestMke2fs(t *testing.T) {
	for _, v := range variants {
		t.Run(v.name, func(t *testing.T) {
			data, w := mkfs(t, v.blocks, v.args...)
			im, err := Open(bytes.NewReader(data), int64(len(data)), Options{})
			if err != nil {
				t.Fatal(err)
			}
			if im.Length() != int64(len(data)) {
				t.Errorf("Length %d, image is %d bytes", im.Length(), len(data))
			}
			got := readAll(t, im)
			sections := 0
			for p, wt := range w {
				f := got[p]
				if f == nil {
					t.Errorf("%s missing", p)
					continue
				}
				if f.Mode != wt.mode {
					t.Errorf("%s: mode %v, want %v", p, f.Mode, wt.mode)
				}
				switch {
				case f.Mode.IsRegular():
					if c := content(t, im, data, f); c != wt.data {
						t.Errorf("%s: %d bytes read, want %d (equal prefix: %v)", p, len(c), len(wt.data), len(c) > 0 && wt.data[:min(len(c), len(wt.data))] == c[:min(len(c), len(wt.data))])
					}
					if _, ok := im.Section(f); ok {
						sections++
					}
				case f.Mode&fs.ModeSymlink != 0:
					if f.LinkTarget != wt.link || f.Size != int64(len(wt.link)) {
						t.Errorf("%s: link %q (size %d), want %q", p, f.LinkTarget, f.Size, wt.link)
					}
				case f.Mode&fs.ModeDevice != 0:
					if f.Rdev != 5<<8|1 {
						t.Errorf("%s: rdev %#x, want 5:1", p, f.Rdev)
					}
				}
			}
			if got["etc/passwd"].Inode != got["etc/passwd.hard"].Inode {
				t.Error("hard link has another inode")
			}
			if got["lost+found"] == nil || !got["lost+found"].Mode.IsDir() {
				t.Error("lost+found missing")
			}
			if strings.Contains(v.name, "inline") {
				// Small files are inline (and busybox happens to be
				// fragmented in this layout).
				if f := got["etc/passwd"]; f.Allocated != 0 || f.node.flags&flagInlineData == 0 {
					t.Errorf("etc/passwd not inline: %+v", f)
				}
			} else if sections == 0 {
				t.Error("no file was found contiguous")
			}
			for p, f := range got {
				if _, ok := w[p]; !ok && !(f.Mode.IsDir() && hasUnder(w, p)) && p != "lost+found" {
					t.Errorf("unexpected entry %s (%v)", p, f.Mode)
				}
			}
		})
	}
}

// hasUnder reports whether some expected path lies under dir.
func hasUnder(w map[string]want, dir string) bool {
	for p := range w {
		if strings.HasPrefix(p, dir+"/") {
			return true
		}
	}
	return false
}
