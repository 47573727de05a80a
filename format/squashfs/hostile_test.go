package squashfs

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"io/fs"
	"runtime"
	"strings"
	"testing"

	"github.com/doorman-sec/doorman/format/squashfs/internal/sqfstest"
	"github.com/doorman-sec/doorman/format/squashfs/sqfswrite"
	"github.com/klauspost/compress/zlib"
)

// The tests here patch images written with uncompressed metadata, where a
// metadata position maps to a file offset: a block's data starts two
// bytes (its header) after the block. The images are small enough for
// every table to fit one metadata block.

// patchable writes files with uncompressed metadata and 4 KiB blocks.
func patchable(t *testing.T, files []sqfswrite.Entry, opt sqfswrite.WriteOptions) ([]byte, *Image, *walked) {
	t.Helper()
	opt.UncompressedMetadata = true
	if opt.BlockSize == 0 {
		opt.BlockSize = 4096
	}
	data := writeImage(t, files, opt)
	im := openBytes(t, data, Options{})
	w, err := walkAll(t, im, 1<<20)
	if err != nil {
		t.Fatal(err)
	}
	return data, im, w
}

// inodePos is the file offset of an inode.
func inodePos(im *Image, in *inode) int64 {
	return int64(im.sb.inodeTable+in.ref>>16) + 2 + int64(in.ref&0xffff)
}

// findEntry returns the file offsets of the directory entry called name in
// the listing of dir, and of the header it is under.
func findEntry(t *testing.T, data []byte, im *Image, dir *inode, name string) (entry, header int64) {
	t.Helper()
	le := binary.LittleEndian
	p := int64(im.sb.dirTable) + int64(dir.dirBlock) + 2 + int64(dir.dirOffset)
	end := p + int64(dir.dirSize) - 3
	for p < end {
		header = p
		count := int(le.Uint32(data[p:])) + 1
		p += 12
		for range count {
			n := int64(le.Uint16(data[p+6:])) + 1
			if string(data[p+8:p+8+n]) == name {
				return p, header
			}
			p += 8 + n
		}
	}
	t.Fatalf("entry %q not found", name)
	return 0, 0
}

// reopen opens a patched image and walks it, reading every file.
func reopen(t *testing.T, data []byte) (*walked, error) {
	t.Helper()
	im, err := Open(bytes.NewReader(data), int64(len(data)), Options{})
	if err != nil {
		return nil, err
	}
	return walkAll(t, im, 64<<20)
}

// TestHugeFileSize patches a file's size to 1 TiB: Walk reports the claim,
// but reading allocates about one block and stops with an error once the
// block list runs into other inodes.
func TestHugeFileSize(t *testing.T) {
	files := []sqfswrite.Entry{
		{Path: "big", Mode: 0o644, Data: sqfstest.Noise(1, 3*4096)},
		{Path: "next", Mode: 0o644, Data: []byte("after")},
	}
	for _, extended := range []bool{true, false} {
		data, im, w := patchable(t, files, sqfswrite.WriteOptions{ExtendedInodes: extended})
		pos := inodePos(im, w.files["big"].node)
		if extended {
			putU64(data, pos+16+8, 1<<40)
		} else {
			putU32(data, pos+16+12, 0xffffffff)
		}
		im2 := openBytes(t, data, Options{})
		var big *File
		if err := im2.Walk(func(f *File) error {
			if f.Path == "big" {
				big = f
			}
			return nil
		}); err != nil {
			t.Fatal(err)
		}
		if want := int64(1 << 40); extended && big.Size != want {
			t.Errorf("Size = %d, want %d", big.Size, want)
		}
		var before, after runtime.MemStats
		runtime.GC()
		runtime.ReadMemStats(&before)
		r, err := im2.Open(big)
		if err != nil {
			t.Fatal(err)
		}
		n, err := io.Copy(io.Discard, io.LimitReader(r, 256<<20))
		runtime.ReadMemStats(&after)
		if !errors.Is(err, ErrCorrupt) {
			t.Errorf("read error %v after %d bytes, want ErrCorrupt", err, n)
		}
		if n < 3*4096 || n > 1<<20 {
			t.Errorf("read %d bytes", n)
		}
		if alloc := after.TotalAlloc - before.TotalAlloc; alloc > 8<<20 {
			t.Errorf("reading allocated %d bytes", alloc)
		}
	}
}

// TestTailBeyondFragment: a size that puts the tail past the end of its
// fragment block is an error, not a read of neighbouring memory.
func TestTailBeyondFragment(t *testing.T) {
	files := []sqfswrite.Entry{{Path: "small", Mode: 0o644, Data: []byte("tiny")}}
	data, im, w := patchable(t, files, sqfswrite.WriteOptions{})
	putU32(data, inodePos(im, w.files["small"].node)+16+12, 4000)
	w2, err := reopen(t, data)
	if err != nil {
		t.Fatal(err)
	}
	if !errors.Is(w2.readErr["small"], ErrCorrupt) {
		t.Errorf("read error %v, want ErrCorrupt", w2.readErr["small"])
	}
}

// TestDirectoryLoop points a directory entry back at an ancestor. The walk
// must end, report the loop for that entry, and still list the rest.
func TestDirectoryLoop(t *testing.T) {
	files := []sqfswrite.Entry{
		{Path: "a/sub/x", Mode: 0o644, Data: []byte("x")},
		{Path: "a/y", Mode: 0o644, Data: []byte("y")},
		{Path: "b/z", Mode: 0o644, Data: []byte("z")},
	}
	for _, target := range []string{"parent", "root", "self"} {
		t.Run(target, func(t *testing.T) {
			data, im, w := patchable(t, files, sqfswrite.WriteOptions{})
			a := w.files["a"].node
			to := map[string]*inode{"parent": a, "root": im.root, "self": w.files["a/sub"].node}[target]
			entry, header := findEntry(t, data, im, a, "sub")
			if got := binary.LittleEndian.Uint32(data[header+4:]); uint64(got) != to.ref>>16 {
				t.Fatalf("entry header block %d, target block %d", got, to.ref>>16)
			}
			putU16(data, entry, uint16(to.ref&0xffff))
			if target == "self" {
				// Make a/sub list itself: its only entry points at a/sub.
				sub := w.files["a/sub"].node
				x, _ := findEntry(t, data, im, sub, "x")
				putU16(data, x, uint16(sub.ref&0xffff))
			}
			w2, err := reopen(t, data)
			if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "loop") {
				t.Fatalf("Walk error %v, want a loop error", err)
			}
			for _, p := range []string{"a", "a/y", "b", "b/z"} {
				if w2.files[p] == nil {
					t.Errorf("%s not listed", p)
				}
			}
			if target != "self" && w2.files["a/sub"] != nil {
				t.Errorf("looping entry a/sub was listed")
			}
		})
	}
}

// TestUnsafeNames: entries named ".." or holding a slash are dropped with an
// error; their siblings are listed.
func TestUnsafeNames(t *testing.T) {
	files := []sqfswrite.Entry{
		{Path: "xx", Mode: 0o644, Data: []byte("1")},
		{Path: "yyy", Mode: 0o644, Data: []byte("2")},
		{Path: "zz", Mode: 0o644, Data: []byte("3")},
	}
	data, im, _ := patchable(t, files, sqfswrite.WriteOptions{})
	e, _ := findEntry(t, data, im, im.root, "xx")
	copy(data[e+8:], "..")
	e, _ = findEntry(t, data, im, im.root, "yyy")
	copy(data[e+8:], "a/b")
	w, err := reopen(t, data)
	if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "unsafe") {
		t.Fatalf("Walk error %v", err)
	}
	if got := strings.Join(w.order, " "); got != "zz" {
		t.Errorf("listed %q, want only zz", got)
	}
}

// TestOversizedBlock replaces a stored block with a zlib stream that
// inflates past the block size, and with one that inflates short.
func TestOversizedBlock(t *testing.T) {
	files := []sqfswrite.Entry{{Path: "f", Mode: 0o644, Data: sqfstest.Noise(5, 4096)}}
	for name, inflated := range map[string]int{"bomb": 1 << 20, "short": 100} {
		t.Run(name, func(t *testing.T) {
			data, im, w := patchable(t, files, sqfswrite.WriteOptions{})
			in := w.files["f"].node
			listPos := inodePos(im, in) + 16 + 16
			if got := binary.LittleEndian.Uint32(data[listPos:]); got != 4096|1<<24 {
				t.Fatalf("block word %#x, want a stored 4096-byte block", got)
			}
			var z bytes.Buffer
			zw := zlib.NewWriter(&z)
			_, _ = zw.Write(make([]byte, inflated))
			_ = zw.Close()
			copy(data[in.blocksStart:], z.Bytes())
			putU32(data, listPos, uint32(z.Len()))
			w2, err := reopen(t, data)
			if err != nil {
				t.Fatal(err)
			}
			if !errors.Is(w2.readErr["f"], ErrCorrupt) {
				t.Errorf("read error %v, want ErrCorrupt", w2.readErr["f"])
			}
		})
	}
}

// TestBadFields patches single inode or listing fields to values that
// point outside the image or cannot be right. Each must give an error
// wrapping ErrCorrupt for that entry while the walk goes on.
func TestBadFields(t *testing.T) {
	files := []sqfswrite.Entry{
		{Path: "d/file", Mode: 0o644, Data: sqfstest.Text(1, 5000)},
		{Path: "d/link", Mode: fs.ModeSymlink | 0o777, LinkTarget: "file"},
		{Path: "e/ok", Mode: 0o644, Data: []byte("fine")},
	}
	cases := []struct {
		name  string
		patch func(data []byte, im *Image, w *walked)
	}{
		{"blocks past the end", func(data []byte, im *Image, w *walked) {
			putU64(data, inodePos(im, w.files["d/file"].node)+16, 1<<40)
		}},
		{"block size word too large", func(data []byte, im *Image, w *walked) {
			putU32(data, inodePos(im, w.files["d/file"].node)+16+40, 1<<23)
		}},
		{"fragment index", func(data []byte, im *Image, w *walked) {
			putU32(data, inodePos(im, w.files["d/file"].node)+16+28, 1000)
		}},
		{"fragment offset", func(data []byte, im *Image, w *walked) {
			putU32(data, inodePos(im, w.files["d/file"].node)+16+32, 1<<31)
		}},
		{"listing past the table", func(data []byte, im *Image, w *walked) {
			putU32(data, inodePos(im, w.files["d"].node)+16+8, 1<<30)
		}},
		{"symlink target size", func(data []byte, im *Image, w *walked) {
			putU32(data, inodePos(im, w.files["d/link"].node)+16+4, 1<<31)
		}},
		{"uid index", func(data []byte, im *Image, w *walked) {
			putU16(data, inodePos(im, w.files["d/file"].node)+4, 999)
		}},
		{"inode type", func(data []byte, im *Image, w *walked) {
			putU16(data, inodePos(im, w.files["d/file"].node), 99)
		}},
		{"inode offset", func(data []byte, im *Image, w *walked) {
			e, _ := findEntry(t, data, im, w.files["d"].node, "file")
			putU16(data, e, 9000)
		}},
		{"inode block", func(data []byte, im *Image, w *walked) {
			_, h := findEntry(t, data, im, w.files["d"].node, "file")
			putU32(data, h+4, 1<<30)
		}},
		{"entry count", func(data []byte, im *Image, w *walked) {
			_, h := findEntry(t, data, im, w.files["d"].node, "file")
			putU32(data, h, 5000)
		}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			data, im, w := patchable(t, files, sqfswrite.WriteOptions{ExtendedInodes: true})
			c.patch(data, im, w)
			w2, err := reopen(t, data)
			for _, rerr := range w2.readErr {
				err = errors.Join(err, rerr)
			}
			if !errors.Is(err, ErrCorrupt) {
				t.Errorf("error %v, want ErrCorrupt", err)
			}
			if string(w2.content["e/ok"]) != "fine" {
				t.Errorf("sibling e/ok not read: %q", w2.content["e/ok"])
			}
		})
	}
}

// TestListingTooLong: a directory size that runs past its listing makes
// the reader parse the following listings as entries of this directory,
// until the table ends. That must end in an error, not a hang.
func TestListingTooLong(t *testing.T) {
	files := []sqfswrite.Entry{{Path: "d/f", Mode: 0o644}, {Path: "e/g", Mode: 0o644}}
	data, im, w := patchable(t, files, sqfswrite.WriteOptions{ExtendedInodes: true})
	putU32(data, inodePos(im, w.files["d"].node)+16+4, 1<<31)
	if _, err := reopen(t, data); !errors.Is(err, ErrCorrupt) {
		t.Errorf("error %v, want ErrCorrupt", err)
	}
}

// TestOpenMisuse: Open on something that is not one of this image's
// regular files fails without panicking.
func TestOpenMisuse(t *testing.T) {
	data := writeImage(t, sqfstest.Fixture(), sqfswrite.WriteOptions{BlockSize: 4096})
	im1, im2 := openBytes(t, data, Options{}), openBytes(t, data, Options{})
	w, err := walkAll(t, im1, 1)
	if err != nil {
		t.Fatal(err)
	}
	for name, f := range map[string]*File{
		"nil":         nil,
		"zero":        {},
		"directory":   w.files["bin"],
		"symlink":     w.files["bin/sh"],
		"other image": nil,
	} {
		target := im1
		if name == "other image" {
			f, target = w.files["etc/passwd"], im2
		}
		if _, err := target.Open(f); err == nil {
			t.Errorf("%s: Open succeeded", name)
		}
	}
}
