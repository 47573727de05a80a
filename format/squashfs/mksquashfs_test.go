//go:build linux

package squashfs

import (
	"bytes"
	"encoding/binary"
	"flag"
	"fmt"
	"io"
	"io/fs"
	"net"
	"os"
	"path/filepath"
	"strings"
	"syscall"
	"testing"
	"time"

	"github.com/doorman-sec/doorman/format/squashfs/internal/sqfstest"
	"github.com/doorman-sec/doorman/format/squashfs/sqfswrite"
)

// makeTree fills dir with a tree that covers what firmware images hold:
// nested directories, multi-block files (compressible and not), fragments,
// an empty file, sparse files, setuid/setgid/sticky modes, symlinks, a
// hard link, a large directory, a long name, extended attributes, and
// when running as root, owners and device nodes. It returns a closer for the socket it leaves
// listening (mksquashfs archives sockets only while they exist).
func makeTree(t *testing.T, dir string) io.Closer {
	t.Helper()
	mk := func(rel string, data []byte, mode os.FileMode) {
		p := filepath.Join(dir, rel)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		if err := os.WriteFile(p, data, 0o644); err != nil {
			t.Fatal(err)
		}
		// Chmod after creation: the umask must not eat setuid bits.
		if err := os.Chmod(p, mode); err != nil {
			t.Fatal(err)
		}
	}
	const block = 128 << 10
	mk("a/b/c/deep.txt", []byte("deep\n"), 0o644)
	mk("a/b/text", sqfstest.Text(10, 3*block+5000), 0o644)
	mk("a/rand", sqfstest.Noise(11, 2*block+777), 0o644)
	mk("a/setuid", []byte("#!/bin/sh\n"), 0o755|os.ModeSetuid)
	mk("a/setgid", []byte("x"), 0o750|os.ModeSetgid)
	mk("exact", sqfstest.Text(12, 2*block), 0o644)
	mk("empty", nil, 0o644)
	mk("fragment", []byte("a small file that ends up in a fragment\n"), 0o640)
	mk(strings.Repeat("L", 255), []byte("long name"), 0o644)
	for i := range 300 {
		mk(fmt.Sprintf("many/entry-%03d-%s", i, strings.Repeat("n", 30)), sqfstest.Text(uint64(i), i*7), 0o644)
	}
	// Sparse files made the way truncate(1) makes them.
	sparse := filepath.Join(dir, "sparse")
	mk("sparse", nil, 0o644)
	if err := os.Truncate(sparse, 1<<20); err != nil {
		t.Fatal(err)
	}
	f, err := os.OpenFile(sparse, os.O_WRONLY, 0)
	if err != nil {
		t.Fatal(err)
	}
	if _, err := f.WriteAt([]byte("island of data"), 300_000); err != nil {
		t.Fatal(err)
	}
	f.Close()
	mk("allsparse", nil, 0o644)
	if err := os.Truncate(filepath.Join(dir, "allsparse"), 5*block+3); err != nil {
		t.Fatal(err)
	}
	if err := os.Mkdir(filepath.Join(dir, "tmp"), 0o755); err != nil {
		t.Fatal(err)
	}
	if err := os.Chmod(filepath.Join(dir, "tmp"), 0o777|os.ModeSticky); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("a/b/text", filepath.Join(dir, "link")); err != nil {
		t.Fatal(err)
	}
	if err := os.Symlink("/nonexistent/target", filepath.Join(dir, "dangling")); err != nil {
		t.Fatal(err)
	}
	if err := os.Link(filepath.Join(dir, "a/b/text"), filepath.Join(dir, "hardlink")); err != nil {
		t.Fatal(err)
	}
	if err := syscall.Mkfifo(filepath.Join(dir, "fifo"), 0o600); err != nil {
		t.Fatal(err)
	}
	if os.Geteuid() == 0 {
		if err := os.Chown(filepath.Join(dir, "a/b/c/deep.txt"), 1234, 5678); err != nil {
			t.Fatal(err)
		}
		if err := syscall.Mknod(filepath.Join(dir, "null"), syscall.S_IFCHR|0o666, 1<<8|3); err != nil {
			t.Fatal(err)
		}
		if err := syscall.Mknod(filepath.Join(dir, "loop0"), syscall.S_IFBLK|0o660, 7<<8); err != nil {
			t.Fatal(err)
		}
	} else {
		t.Log("not root: skipping owners and device nodes")
	}
	// Extended attributes turn inodes into their extended forms, which
	// carry an xattr index the reader skips.
	for _, p := range []string{"a", "a/b/c/deep.txt"} {
		if err := syscall.Setxattr(filepath.Join(dir, p), "user.doorman", []byte("1"), 0); err != nil {
			t.Logf("no xattrs on this filesystem: %v", err)
			break
		}
	}
	old := time.Date(2001, 9, 9, 1, 46, 40, 0, time.UTC)
	if err := os.Chtimes(filepath.Join(dir, "a/b/text"), old, old); err != nil {
		t.Fatal(err)
	}
	l, err := net.Listen("unix", filepath.Join(dir, "sock"))
	if err != nil {
		t.Fatal(err)
	}
	return l
}

// compareWithDir checks that the image holds exactly the tree at dir:
// same paths, types and permissions, sizes, content byte for byte, link
// targets, owners, times, device numbers, and hard links sharing an inode.
func compareWithDir(t *testing.T, im *Image, dir string) {
	t.Helper()
	w, err := walkAll(t, im, 1<<30)
	if err != nil {
		t.Fatalf("Walk: %v", err)
	}
	inodes := map[uint64]uint32{} // source inode -> image inode
	seen := 0
	err = filepath.WalkDir(dir, func(p string, d fs.DirEntry, err error) error {
		if err != nil || p == dir {
			return err
		}
		rel, _ := filepath.Rel(dir, p)
		seen++
		fi, err := os.Lstat(p)
		if err != nil {
			return err
		}
		st := fi.Sys().(*syscall.Stat_t)
		f := w.files[rel]
		if f == nil {
			t.Errorf("%s: missing from image", rel)
			return nil
		}
		if f.Mode != fi.Mode() {
			t.Errorf("%s: mode %v, want %v", rel, f.Mode, fi.Mode())
		}
		if f.UID != st.Uid || f.GID != st.Gid {
			t.Errorf("%s: owner %d:%d, want %d:%d", rel, f.UID, f.GID, st.Uid, st.Gid)
		}
		if f.ModTime.Unix() != fi.ModTime().Unix() {
			t.Errorf("%s: mtime %v, want %v", rel, f.ModTime, fi.ModTime())
		}
		if img, ok := inodes[st.Ino]; ok && img != f.Inode {
			t.Errorf("%s: hard link has inode %d, its other name %d", rel, f.Inode, img)
		}
		inodes[st.Ino] = f.Inode
		switch {
		case fi.Mode().IsRegular():
			want, err := os.ReadFile(p)
			if err != nil {
				return err
			}
			if err := w.readErr[rel]; err != nil {
				t.Errorf("%s: read: %v", rel, err)
			}
			if f.Size != fi.Size() || !bytes.Equal(w.content[rel], want) {
				t.Errorf("%s: content differs (size %d, read %d, want %d)", rel, f.Size, len(w.content[rel]), len(want))
			}
		case fi.Mode()&fs.ModeSymlink != 0:
			target, err := os.Readlink(p)
			if err != nil {
				return err
			}
			if f.LinkTarget != target {
				t.Errorf("%s: target %q, want %q", rel, f.LinkTarget, target)
			}
		case fi.Mode()&fs.ModeDevice != 0:
			if uint64(f.Rdev) != st.Rdev {
				t.Errorf("%s: rdev %#x, want %#x", rel, f.Rdev, st.Rdev)
			}
		}
		return nil
	})
	if err != nil {
		t.Fatal(err)
	}
	if seen != len(w.order) {
		t.Errorf("image has %d entries, source tree %d", len(w.order), seen)
	}
	if len(inodes) == seen {
		t.Errorf("no hard link was seen")
	}
}

// TestMksquashfsRoundTrip reads images made by mksquashfs with every
// compressor and several layouts and compares them with the source tree.
func TestMksquashfsRoundTrip(t *testing.T) {
	sqfstest.RequireTool(t, "mksquashfs")
	src := filepath.Join(t.TempDir(), "src")
	sock := makeTree(t, src)
	defer sock.Close()
	cases := []struct {
		name string
		comp string
		args []string
	}{
		{"gzip", "gzip", nil},
		{"xz", "xz", nil},
		{"lzma", "lzma", nil},
		{"lzo", "lzo", nil},
		{"lz4", "lz4", nil},
		{"zstd", "zstd", nil},
		{"lzo1x_1", "lzo", []string{"-Xalgorithm", "lzo1x_1"}},
		{"lz4 hc", "lz4", []string{"-Xhc"}},
		{"gzip 4k blocks", "gzip", []string{"-b", "4096"}},
		{"zstd 1m blocks", "zstd", []string{"-b", "1M"}},
		{"xz 64k dict", "xz", []string{"-Xdict-size", "64K"}},
		{"uncompressed", "gzip", []string{"-noI", "-noD", "-noF", "-noX"}},
		{"no fragments", "gzip", []string{"-no-fragments"}},
		{"always fragments", "lz4", []string{"-always-use-fragments"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			data := mksquashfs(t, src, append([]string{"-comp", c.comp}, c.args...)...)
			if !Sniff(data) {
				t.Fatal("Sniff = false")
			}
			im := openBytes(t, data, Options{})
			if im.Compression() != c.comp {
				t.Errorf("Compression = %q, want %q", im.Compression(), c.comp)
			}
			if im.BytesUsed() > int64(len(data)) || im.BytesUsed() <= int64(len(data))-4096 {
				t.Errorf("BytesUsed = %d for a padded image of %d bytes", im.BytesUsed(), len(data))
			}
			compareWithDir(t, im, src)
		})
	}
}

// bcjCode returns one block of machine code for a BCJ filter: calls that
// all reach one address. Written the way the filter's encoder would emit
// it (absolute addresses, constant, so highly compressible) and then
// decoded by our filter into the relative form a real program has, it
// makes mksquashfs pick the filter, and reading it back checks our
// decoder against liblzma's encoder.
func bcjCode(id uint64, size int) []byte {
	const target = 0x00100000
	be, le := binary.BigEndian, binary.LittleEndian
	code := make([]byte, 0, size)
	for len(code) < size {
		switch id {
		case bcjX86:
			code = append(code, 0xe8)
			code = le.AppendUint32(code, target)
			code = append(code, 0x90, 0x90, 0xc3)
		case bcjPowerPC:
			code = be.AppendUint32(code, 0x48000001|target&0x03fffffc)
		case bcjARM:
			code = le.AppendUint32(code, 0xeb000000|target>>2&0xffffff)
		case bcjARMThumb:
			a := uint32(target >> 1)
			code = append(code, byte(a>>11), 0xf0|byte(a>>19)&7, byte(a), 0xf8|byte(a>>8)&7)
		case bcjSPARC:
			code = be.AppendUint32(code, 0x40000000|target>>2&0x3fffff)
		case bcjIA64:
			// Template 0x10 (MIB): slot 2 may branch. Put a branch with
			// opcode 5 and the target in slot 2 (bits 87..127).
			var bundle [16]byte
			bundle[0] = 0x10
			slot := uint64(5)<<37 | uint64(target>>4&0x0fffff)<<13
			bitPos := 5 + 2*41
			for j := range 6 {
				bundle[bitPos/8+j] |= byte(slot << (bitPos % 8) >> (8 * j))
			}
			code = append(code, bundle[:]...)
		}
	}
	code = code[:size]
	bcjDecode(id, code, 0)
	return code
}

// TestMksquashfsBCJ reads xz images whose blocks use each BCJ filter
// mksquashfs offers.
func TestMksquashfsBCJ(t *testing.T) {
	filters := map[string]uint64{
		"x86": bcjX86, "powerpc": bcjPowerPC, "ia64": bcjIA64,
		"arm": bcjARM, "armthumb": bcjARMThumb, "sparc": bcjSPARC,
	}
	for name, id := range filters {
		t.Run(name, func(t *testing.T) {
			src := t.TempDir()
			// Exactly one block, so that the filter starts at offset 0
			// of the file as it did when bcjCode decoded it.
			code := bcjCode(id, 128<<10)
			if err := os.WriteFile(filepath.Join(src, "code"), code, 0o755); err != nil {
				t.Fatal(err)
			}
			im := openBytes(t, mksquashfs(t, src, "-comp", "xz", "-Xbcj", name), Options{})
			w, err := walkAll(t, im, 1<<30)
			if err != nil {
				t.Fatalf("Walk: %v", err)
			}
			if rerr := w.readErr["code"]; rerr != nil || !bytes.Equal(w.content["code"], code) {
				t.Fatalf("content differs (%v)", rerr)
			}
			// Make sure the block really used the filter.
			f := w.files["code"].node
			raw := make([]byte, 64)
			if err := im.readAt(raw, int64(f.blocksStart)); err != nil {
				t.Fatal(err)
			}
			bh, err := xzBlockHeader(raw[xzStreamHeaderSize:], 1<<20)
			if err != nil || bh.bcj != id {
				t.Errorf("block filter %#x (%v), want %#x", bh.bcj, err, id)
			}
		})
	}
}

// TestMksquashfsAppendedData: an image followed by other data (as in a
// firmware blob) opens with the blob's size, and BytesUsed marks its end.
func TestMksquashfsAppendedData(t *testing.T) {
	src := t.TempDir()
	if err := os.WriteFile(filepath.Join(src, "f"), []byte("content"), 0o644); err != nil {
		t.Fatal(err)
	}
	img := mksquashfs(t, src, "-nopad")
	blob := append(append([]byte{}, img...), bytes.Repeat([]byte{0xff}, 10000)...)
	im := openBytes(t, blob, Options{})
	if im.BytesUsed() != int64(len(img)) {
		t.Errorf("BytesUsed = %d, want %d", im.BytesUsed(), len(img))
	}
	w, err := walkAll(t, im, 1<<20)
	if err != nil || string(w.content["f"]) != "content" {
		t.Errorf("walk: %v, content %q", err, w.content["f"])
	}
}

var updateTestdata = flag.Bool("update-testdata", false, "regenerate testdata/*.sqfs with mksquashfs")

// materialize writes entries into dir so mksquashfs can pack them. It
// returns a closer for the sockets it leaves listening.
func materialize(t *testing.T, dir string, entries []sqfswrite.Entry) io.Closer {
	t.Helper()
	var socks closers
	for _, e := range entries {
		p := filepath.Join(dir, e.Path)
		if err := os.MkdirAll(filepath.Dir(p), 0o755); err != nil {
			t.Fatal(err)
		}
		var err error
		switch {
		case e.Mode.IsDir():
			err = os.Mkdir(p, 0o755)
		case e.Mode.IsRegular():
			err = os.WriteFile(p, e.Data, 0o644)
		case e.Mode&fs.ModeSymlink != 0:
			err = os.Symlink(e.LinkTarget, p)
		case e.Mode&fs.ModeNamedPipe != 0:
			err = syscall.Mkfifo(p, 0o600)
		case e.Mode&fs.ModeSocket != 0:
			var l net.Listener
			l, err = net.Listen("unix", p)
			socks = append(socks, l)
		case e.Mode&fs.ModeCharDevice != 0:
			err = syscall.Mknod(p, syscall.S_IFCHR|0o600, int(e.Rdev))
		case e.Mode&fs.ModeDevice != 0:
			err = syscall.Mknod(p, syscall.S_IFBLK|0o600, int(e.Rdev))
		}
		if err != nil {
			t.Fatal(err)
		}
		if e.Mode&fs.ModeSymlink == 0 {
			if err := os.Chmod(p, e.Mode&(fs.ModePerm|fs.ModeSetuid|fs.ModeSetgid|fs.ModeSticky)); err != nil {
				t.Fatal(err)
			}
		}
	}
	return socks
}

type closers []io.Closer

func (c closers) Close() error {
	for _, x := range c {
		x.Close()
	}
	return nil
}

// TestGenerateTestdata rebuilds the committed images with -update-testdata.
// They are small (4 KiB blocks, no padding) so that they also make good
// fuzz seeds, and they let TestTestdataImages check every compressor where
// squashfs-tools is not installed.
func TestGenerateTestdata(t *testing.T) {
	if !*updateTestdata {
		t.Skip("run with -update-testdata to regenerate testdata/*.sqfs")
	}
	if os.Geteuid() != 0 {
		t.Fatal("regenerating testdata needs root for the device nodes")
	}
	src := filepath.Join(t.TempDir(), "src")
	defer materialize(t, src, sqfstest.Fixture()).Close()
	for _, comp := range testdataCompressors {
		data := mksquashfs(t, src, "-comp", comp, "-b", "4096", "-nopad", "-all-root",
			"-all-time", "0", "-mkfs-time", "0", "-no-xattrs")
		if err := os.WriteFile(filepath.Join("testdata", comp+".sqfs"), data, 0o644); err != nil {
			t.Fatal(err)
		}
	}
}
