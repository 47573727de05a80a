package ext

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"testing"
)

// inodeAt returns the offset of inode ino in data.
func inodeAt(t *testing.T, data []byte, ino uint32) int64 {
	t.Helper()
	im, err := Open(bytes.NewReader(data), int64(len(data)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	g := uint64(ino-1) / uint64(im.sb.inodesPerGroup)
	tbl, err := im.inodeTable(g)
	if err != nil {
		t.Fatal(err)
	}
	return int64(tbl)*im.sb.blockSize + int64(ino-1)%int64(im.sb.inodesPerGroup)*im.sb.inodeSize
}

// lookup returns the entry at path of a fresh image of data.
func lookup(t *testing.T, data []byte, path string) (*Image, *File) {
	t.Helper()
	im, err := Open(bytes.NewReader(data), int64(len(data)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	var found *File
	im.Walk(func(f *File) error {
		if f.Path == path {
			found = f
		}
		return nil
	})
	if found == nil {
		t.Fatalf("%s not found", path)
	}
	return im, found
}

// drain reads r to the end or to limit bytes.
func drain(r io.Reader, limit int64) (int64, error) {
	return io.Copy(io.Discard, io.LimitReader(r, limit))
}

// walkRead opens data, walks it and reads every file (up to 4 MiB each),
// returning every error met. It must never panic or hang.
func walkRead(data []byte, opt Options) []error {
	im, err := Open(bytes.NewReader(data), int64(len(data)), opt)
	if err != nil {
		return []error{err}
	}
	var errs []error
	err = im.Walk(func(f *File) error {
		if f.Mode.IsRegular() {
			r, err := im.Open(f)
			if err == nil {
				_, err = drain(r, 4<<20)
			}
			if err != nil {
				errs = append(errs, err)
			}
			im.Section(f)
		}
		return nil
	})
	if err != nil {
		errs = append(errs, err)
	}
	return errs
}

// sentinel reports whether err wraps one of the package's sentinels.
func sentinel(err error) bool {
	for _, s := range []error{ErrNotExt, ErrTruncated, ErrCorrupt, ErrUnsupported, ErrLimit} {
		if errors.Is(err, s) {
			return true
		}
	}
	return false
}

// TestTruncated cuts images at many lengths: every failure wraps a
// sentinel, nothing panics, and a cut inside the data still lists the
// root's entries.
func TestTruncated(t *testing.T) {
	for _, v := range []int{0, 3, 6} { // ext2-1k, ext3-1k, ext4-4k
		data, _ := mkfs(t, variants[v].blocks, variants[v].args...)
		step := len(data) / 97
		for n := 0; n < len(data); n += step {
			for _, err := range walkRead(data[:n], Options{}) {
				if !sentinel(err) {
					t.Fatalf("%s cut at %d: %v wraps no sentinel", variants[v].name, n, err)
				}
			}
		}
	}
}

// TestDirectoryLoop points a directory entry deep in the tree back at an
// ancestor directory: the walk reports the loop and ends.
func TestDirectoryLoop(t *testing.T) {
	data, _ := mkfs(t, variants[0].blocks, variants[0].args...)
	im, d := lookup(t, data, "usr/share/a/b/c/d")
	_, usr := lookup(t, data, "usr")
	m, _ := im.mapper(d.node)
	phys, _, _, _ := m.lookup(0)
	blk := data[int64(phys)*im.sb.blockSize:][:im.sb.blockSize]
	i := bytes.Index(blk, []byte("deep.txt"))
	if i < 8 {
		t.Fatal("entry not found")
	}
	binary.LittleEndian.PutUint32(blk[i-8:], usr.Inode)
	blk[i-1] = 2 // file type: directory
	im, err := Open(bytes.NewReader(data), int64(len(data)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	n := 0
	err = im.Walk(func(*File) error { n++; return nil })
	if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "loop") {
		t.Errorf("Walk: %v", err)
	}
	if n > 200 {
		t.Errorf("%d entries: the loop was followed", n)
	}
}

// TestHugeAndBeyond gives files a huge size, block numbers beyond the
// image and bad extent trees: reads are bounded and fail cleanly.
func TestHugeAndBeyond(t *testing.T) {
	for _, v := range []int{0, 6} { // block map, extents
		t.Run(variants[v].name, func(t *testing.T) {
			data, _ := mkfs(t, variants[v].blocks, variants[v].args...)
			_, passwd := lookup(t, data, "etc/passwd")
			_, busybox := lookup(t, data, "bin/busybox")
			_, rcs := lookup(t, data, "etc/init.d/rcS")
			_, many := lookup(t, data, "many")

			// A 1 TiB size on a 300 KB file: reads past the data
			// as zeros (a hole), bounded by the caller.
			in := data[inodeAt(t, data, busybox.Inode):]
			binary.LittleEndian.PutUint32(in[0x4:], 0)
			binary.LittleEndian.PutUint32(in[0x6C:], 256)
			// passwd's first block far beyond the image.
			in = data[inodeAt(t, data, passwd.Inode):]
			if v == 0 {
				binary.LittleEndian.PutUint32(in[0x28:], 0x7fffff00)
			} else {
				binary.LittleEndian.PutUint32(in[0x28+20:], 0x7fffff00) // first extent's ee_start_lo
			}
			// rcS: an extent tree whose root claims depth 1 and so
			// points at a data block (no extent header there), or a
			// block map whose double indirect block is some other
			// block.
			in = data[inodeAt(t, data, rcs.Inode):]
			if v == 0 {
				binary.LittleEndian.PutUint32(in[0x28+13*4:], 100)
				binary.LittleEndian.PutUint32(in[0x4:], (12+256+300)*1024) // into the double indirect range
			} else {
				binary.LittleEndian.PutUint16(in[0x28+6:], 1)
			}
			// The big directory: a 1 TiB size is refused by budget.
			in = data[inodeAt(t, data, many.Inode):]
			binary.LittleEndian.PutUint32(in[0x4:], 0xffffffff)

			im, err := Open(bytes.NewReader(data), int64(len(data)), Options{MaxDirBytes: 1 << 20})
			if err != nil {
				t.Fatal(err)
			}
			got := map[string]*File{}
			err = im.Walk(func(f *File) error { got[f.Path] = f; return nil })
			if err == nil || !strings.Contains(err.Error(), "many") {
				t.Errorf("oversized directory not reported: %v", err)
			}
			r, err := im.Open(got["bin/busybox"])
			if err != nil {
				t.Fatal(err)
			}
			n, err := drain(r, 8<<20)
			if err != nil || n != 8<<20 || got["bin/busybox"].Size != 1<<40 {
				t.Errorf("huge file: read %d, %v", n, err)
			}
			if r, err := im.Open(got["etc/passwd"]); err == nil {
				if _, err = drain(r, 1<<20); !errors.Is(err, ErrCorrupt) {
					t.Errorf("block beyond the image: %v", err)
				}
			} else if !errors.Is(err, ErrCorrupt) {
				t.Errorf("block beyond the image: %v", err)
			}
			if _, ok := im.Section(got["etc/passwd"]); ok {
				t.Error("section beyond the image")
			}
			if r, err := im.Open(got["etc/init.d/rcS"]); err == nil {
				n, err := drain(r, 64<<20)
				if n > got["etc/init.d/rcS"].Size || err != nil && !sentinel(err) {
					t.Errorf("bad tree read %d bytes, %v", n, err)
				}
			}
		})
	}
}

// TestHtree reads directories e2fsck -D turned into hashed (htree)
// directories, linearly.
func TestHtree(t *testing.T) {
	e2fsck := tool(t, "e2fsck")
	data, w := mkfs(t, "4096", "-t", "ext4", "-b", "1024", "-O", "dir_index,^has_journal")
	img := filepath.Join(t.TempDir(), "img")
	if err := os.WriteFile(img, data, 0o600); err != nil {
		t.Fatal(err)
	}
	out, err := exec.Command(e2fsck, "-fyD", img).CombinedOutput()
	if ee, ok := err.(*exec.ExitError); err != nil && !(ok && ee.ExitCode() == 1) { // 1: fixed (reindexed)
		t.Fatalf("e2fsck: %v\n%s", err, out)
	}
	if data, err = os.ReadFile(img); err != nil {
		t.Fatal(err)
	}
	im, err := Open(bytes.NewReader(data), int64(len(data)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	got := readAll(t, im)
	if f := got["many"]; f == nil || f.node.flags&flagIndex == 0 {
		t.Fatalf("many is not an htree directory: %+v", f)
	}
	for p, wt := range w {
		f := got[p]
		if f == nil {
			t.Errorf("%s missing", p)
		} else if f.Mode.IsRegular() && content(t, im, data, f) != wt.data {
			t.Errorf("%s: wrong content", p)
		}
	}
}

// TestNotExt: random data, zeros and near-misses are refused.
func TestNotExt(t *testing.T) {
	data, _ := mkfs(t, variants[0].blocks, variants[0].args...)
	head := append([]byte(nil), data[:4096]...)
	if !Sniff(head) {
		t.Fatal("Sniff refuses a real image")
	}
	for name, patch := range map[string]func(b []byte){
		"magic":           func(b []byte) { b[1080] = 0 },
		"block size":      func(b []byte) { b[1024+0x18] = 7 },
		"inode size":      func(b []byte) { b[1024+0x58] = 100 },
		"no blocks":       func(b []byte) { binary.LittleEndian.PutUint32(b[1024+4:], 0) },
		"too many inodes": func(b []byte) { binary.LittleEndian.PutUint32(b[1024:], 0xffffffff) },
		"backup":          func(b []byte) { b[1024+0x5A] = 1 },
		"per group":       func(b []byte) { binary.LittleEndian.PutUint32(b[1024+0x20:], 1<<20) },
	} {
		b := append([]byte(nil), head...)
		patch(b)
		if Sniff(b) {
			t.Errorf("%s: Sniff accepts it", name)
		}
	}
	if Sniff(make([]byte, 4096)) || Sniff(pattern(3, 4096)) || Sniff(head[:1500]) {
		t.Error("Sniff accepts zeros, noise or a short head")
	}
	if _, err := Open(bytes.NewReader(data[:2000]), 2000, Options{}); !errors.Is(err, ErrNotExt) {
		t.Errorf("short: %v", err)
	}
}
