package squashfs3

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"strings"
	"testing"
)

// inodePos returns the image position of the inode an entry of the root
// directory named name refers to, in a storeCodec image whose inode table
// is one block.
func inodePos(t *testing.T, img []byte, name string) (im *Image, pos int) {
	t.Helper()
	im, err := Open(bytes.NewReader(img), int64(len(img)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	ents, err := im.readDir(im.root, 1000)
	if err != nil {
		t.Fatal(err)
	}
	for _, e := range ents {
		if e.name == name {
			if e.block != 0 {
				t.Fatal("inode table spans blocks")
			}
			return im, int(im.sb.inodeTable) + 2 + int(e.offset)
		}
	}
	t.Fatalf("%s not in root", name)
	return nil, 0
}

func TestDirectoryLoop(t *testing.T) {
	for _, be := range []bool{false, true} {
		img := writeImage(sampleFiles(), wopts{Codec: storeCodec, BE: be})
		im, p := inodePos(t, img, "var")
		bo := im.sb.order()
		// Point var's listing at the root's: var would contain itself.
		fs := bo.Uint32(img[p+16:])
		if be {
			fs = fs&^0x1fff | uint32(im.root.dirOffset)
		} else {
			fs = fs&0x7ffff | uint32(im.root.dirOffset)<<19
		}
		bo.PutUint32(img[p+16:], fs)
		bo.PutUint32(img[p+20:], im.root.dirBlock)
		_, m, err := walkAll(t, img, Options{})
		if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "loop") {
			t.Errorf("be=%v: error %v", be, err)
		}
		if string(m["etc/passwd"].Data) != "root:x:0:0:root:/root:/bin/sh\n" {
			t.Errorf("be=%v: etc/passwd %q", be, m["etc/passwd"].Data)
		}
	}
}

func TestDeepNesting(t *testing.T) {
	path := strings.Repeat("d/", maxDepth+20) + "f"
	img := writeImage([]wfile{{Path: path, Mode: 0o644, Data: []byte("x")}}, wopts{})
	_, m, err := walkAll(t, img, Options{})
	if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "deeper") {
		t.Errorf("error %v", err)
	}
	if len(m) != maxDepth-1 {
		t.Errorf("%d entries", len(m))
	}
}

func TestLimits(t *testing.T) {
	img := writeImage(sampleFiles(), wopts{})
	if _, m, err := walkAll(t, img, Options{MaxFiles: 4}); !errors.Is(err, ErrLimit) || len(m) > 4 {
		t.Errorf("MaxFiles: %d entries, error %v", len(m), err)
	}
	if _, _, err := walkAll(t, img, Options{MaxMetadataBytes: 300}); !errors.Is(err, ErrLimit) {
		t.Errorf("MaxMetadataBytes: error %v", err)
	}
}

func TestBadSuperblock(t *testing.T) {
	le := binary.LittleEndian
	cases := []struct {
		name   string
		mutate func(b []byte)
		want   error
	}{
		{"no magic", func(b []byte) { copy(b, "hsqx") }, ErrNotSquashfs},
		{"version 2", func(b []byte) { le.PutUint16(b[28:], 2) }, ErrUnsupported},
		{"block log", func(b []byte) { le.PutUint16(b[34:], 11) }, ErrCorrupt},
		{"block size", func(b []byte) { le.PutUint32(b[51:], 12345) }, ErrCorrupt},
		{"bytes used", func(b []byte) { le.PutUint64(b[63:], 1<<39) }, ErrTruncated},
		{"tables swapped", func(b []byte) { copy(b[87:95], b[95:103]) }, ErrCorrupt},
		{"no uids", func(b []byte) { b[37] = 0 }, ErrCorrupt},
		{"uid table past end", func(b []byte) { b[37], b[38] = 255, 255 }, ErrCorrupt},
		{"root inode", func(b []byte) { le.PutUint64(b[43:], 0xffff_ffff_0000) }, ErrCorrupt},
	}
	for _, c := range cases {
		img := writeImage(sampleFiles(), wopts{})
		c.mutate(img)
		_, err := Open(bytes.NewReader(img), int64(len(img)), Options{})
		if !errors.Is(err, c.want) {
			t.Errorf("%s: error %v, want %v", c.name, err, c.want)
		}
	}
}

// TestLZMADictionaryBomb: an LZMA-alone header asking for a 4 GiB
// dictionary decodes with a dictionary capped at the block size.
func TestLZMADictionaryBomb(t *testing.T) {
	data := bytes.Repeat([]byte("abc"), 1000)
	blk := lzmaAloneCodec(data)
	binary.LittleEndian.PutUint32(blk[1:], 0xffffffff)
	d := &decoder{blockSize: 65536}
	out := make([]byte, 65536)
	n, err := d.decode(out, blk, 0)
	if err != nil || !bytes.Equal(out[:n], data) {
		t.Errorf("%d bytes, %v", n, err)
	}
	// A block that decodes to more than its cap is refused.
	if _, err := d.decode(make([]byte, 100), lzmaAloneCodec(data), 0); err == nil {
		t.Error("oversized block accepted")
	}
	if _, err := d.decode(make([]byte, 100), zlibCodec(data), 0); err == nil {
		t.Error("oversized zlib block accepted")
	}
}

// TestTruncatedAndFlipped cuts and corrupts images everywhere: no panic,
// every error wraps a sentinel, and reads end.
func TestTruncatedAndFlipped(t *testing.T) {
	files := sampleFiles()[:10]
	for _, o := range []wopts{{}, {BE: true, Codec: rawLZMACodec}, {Codec: storeCodec, Check: true}} {
		img := writeImage(files, o)
		used := int(binary.LittleEndian.Uint64(img[63:]))
		if o.BE {
			used = int(binary.BigEndian.Uint64(img[63:]))
		}
		for n := 0; n < used; n += 1 + n/64 {
			exercise(t, img[:n])
		}
		for i := 0; i < used; i += 1 + i/128 {
			b := append([]byte(nil), img...)
			b[i] ^= 0x5a
			exercise(t, b)
		}
	}
}

func exercise(t testing.TB, img []byte) {
	im, err := Open(bytes.NewReader(img), int64(len(img)), Options{MaxFiles: 10000})
	if err != nil {
		checkSentinel(t, err)
		return
	}
	_ = im.Walk(func(f *File) error {
		if f.Mode.IsRegular() {
			if r, err := im.Open(f); err == nil {
				_, err = io.Copy(io.Discard, io.LimitReader(r, 8<<20))
				if err != nil {
					checkSentinel(t, err)
				}
			}
		}
		return nil
	})
}

func checkSentinel(t testing.TB, err error) {
	t.Helper()
	for _, s := range []error{ErrNotSquashfs, ErrTruncated, ErrCorrupt, ErrUnsupported, ErrLimit} {
		if errors.Is(err, s) {
			return
		}
	}
	t.Errorf("error wraps no sentinel: %v", err)
}
