package jffs2

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"testing"
	"time"

	"github.com/doorman-sec/doorman/format/jffs2/jffs2write"
)

// TestTruncated cuts real images at many points: every cut must open or
// fail cleanly, and what is listed must read without panics.
func TestTruncated(t *testing.T) {
	for _, img := range fuzzSeeds(t) {
		for cut := 0; cut < len(img); cut += 1 + cut/16 {
			exercise(t, img[:cut])
		}
	}
	// A cut in the last node keeps everything before it.
	img := build(t, sampleEntries(), jffs2write.Options{Compressor: jffs2write.Zlib})
	cut := bytes.LastIndex(img, []byte("tmp")) // the last dirent's name
	tree, _ := readTree(t, img[:cut], 1<<20)
	if tree["etc/passwd"].Data != string(sampleEntries()[0].Data) {
		t.Errorf("etc/passwd lost by a cut further on: %v", keys(tree))
	}
	if _, ok := tree["tmp"]; ok {
		t.Error("the cut dirent listed")
	}
}

// le is the byte order of the hand-made hostile images.
var le = binary.LittleEndian

func direntNode(pino, ino uint32, typ byte, name string) []byte {
	b := make([]byte, 40+len(name))
	copy(b, jffs2write.Header(le, 0xe001, uint32(len(b))))
	le.PutUint32(b[12:], pino)
	le.PutUint32(b[16:], 1)
	le.PutUint32(b[20:], ino)
	b[28] = byte(len(name))
	b[29] = typ
	le.PutUint32(b[32:], jffs2write.NodeCRC(b[:32]))
	le.PutUint32(b[36:], jffs2write.NodeCRC([]byte(name)))
	copy(b[40:], name)
	for len(b)%4 != 0 {
		b = append(b, 0)
	}
	return b
}

func concat(parts ...[]byte) []byte { return bytes.Join(parts, nil) }

func TestHostile(t *testing.T) {
	dir := func(ino uint32) []byte { return jffs2write.InodeNode(le, ino, 1, 0o040755, 0, 0, 0, 0, nil) }
	pad := func(b []byte) []byte {
		for len(b)%4 != 0 {
			b = append(b, 0)
		}
		return b
	}
	t.Run("directory loop", func(t *testing.T) {
		// a/ holds b/, b/ holds a/ again (a hard-linked directory), and
		// a/ holds itself.
		img := concat(dir(2), dir(3), direntNode(1, 2, 4, "a"), direntNode(2, 3, 4, "b"), direntNode(3, 2, 4, "again"), direntNode(2, 2, 4, "self"))
		tree, _ := readTree(t, img, 1<<20)
		if len(tree) > 4 {
			t.Errorf("loop listed %d entries: %v", len(tree), keys(tree))
		}
	})
	t.Run("huge isize", func(t *testing.T) {
		img := concat(pad(jffs2write.InodeNode(le, 2, 1, 0o100644, 0xfffffff0, 0, 5, 0, []byte("hello"))), direntNode(1, 2, 8, "big"))
		im, err := Open(bytes.NewReader(img), int64(len(img)), Options{})
		if err != nil {
			t.Fatal(err)
		}
		start := time.Now()
		_ = im.Walk(func(f *File) error {
			if f.Size != 0xfffffff0 {
				t.Errorf("size %d", f.Size)
			}
			r, _ := im.Open(f)
			b, _ := io.ReadAll(io.LimitReader(r, 8<<20))
			if string(b[:5]) != "hello" || len(b) != 8<<20 || bytes.ContainsFunc(b[5:], func(r rune) bool { return r != 0 }) {
				t.Errorf("content %q…", b[:8])
			}
			return nil
		})
		if time.Since(start) > 5*time.Second {
			t.Error("slow")
		}
	})
	t.Run("lying lengths", func(t *testing.T) {
		good := concat(pad(jffs2write.InodeNode(le, 2, 1, 0o100644, 3, 0, 3, 0, []byte("abc"))), direntNode(1, 2, 8, "f"))
		// totlen past the end of the image, with a valid header CRC.
		liar := jffs2write.Header(le, 0xe002, 1<<30)
		// csize larger than the node; dsize over MaxNodeData.
		csize := jffs2write.InodeNode(le, 3, 1, 0o100644, 3, 0, 3, 0, []byte("xyz"))
		le.PutUint32(csize[48:], 1000)
		le.PutUint32(csize[64:], jffs2write.NodeCRC(csize[:60]))
		dsize := jffs2write.InodeNode(le, 4, 1, 0o100644, 3, 0, MaxNodeData+1, 1, nil)
		img := concat(liar, pad(csize), pad(dsize), good, direntNode(1, 3, 8, "c"), direntNode(1, 4, 8, "d"))
		tree, im := readTree(t, img, 1<<20)
		if tree["f"].Data != "abc" {
			t.Errorf("f after the liars: %q (tree %v)", tree["f"].Data, keys(tree))
		}
		if _, ok := tree["c"]; ok {
			t.Error("node with csize past its end used")
		}
		if _, ok := tree["d"]; ok {
			t.Error("node with a huge dsize used")
		}
		if len(im.Warnings()) < 2 {
			t.Errorf("warnings: %v", im.Warnings())
		}
	})
	t.Run("bad data", func(t *testing.T) {
		zl := jffs2write.InodeNode(le, 2, 1, 0o100644, 100, 0, 100, 6, []byte("not zlib at all"))
		rub := jffs2write.InodeNode(le, 3, 1, 0o100644, 10, 0, 10, 3, []byte("rubin"))
		img := concat(pad(zl), pad(rub), direntNode(1, 2, 8, "z"), direntNode(1, 3, 8, "r"))
		im, err := Open(bytes.NewReader(img), int64(len(img)), Options{})
		if err != nil {
			t.Fatal(err)
		}
		_ = im.Walk(func(f *File) error {
			r, _ := im.Open(f)
			_, err := io.ReadAll(r)
			want := ErrCorrupt
			if f.Path == "r" {
				want = ErrUnsupported
			}
			if !errors.Is(err, want) {
				t.Errorf("%s: %v, want %v", f.Path, err, want)
			}
			return nil
		})
	})
	t.Run("node limit", func(t *testing.T) {
		var img []byte
		for i := range 50 {
			img = append(img, direntNode(1, uint32(i+2), 8, "n")...)
		}
		if _, err := Open(bytes.NewReader(img), int64(len(img)), Options{MaxNodes: 10}); !errors.Is(err, ErrLimit) {
			t.Errorf("got %v, want ErrLimit", err)
		}
	})
	t.Run("end in a blob", func(t *testing.T) {
		img := build(t, sampleEntries(), jffs2write.Options{Compressor: jffs2write.Zlib, EraseBlock: 4096})
		blob := append(append(append([]byte(nil), img...), bytes.Repeat([]byte{0xff}, 5000)...), noise(9, 1<<20)...)
		im, err := Open(bytes.NewReader(blob), int64(len(blob)), Options{})
		if err != nil {
			t.Fatal(err)
		}
		if im.Length() > int64(len(img)) || im.Length() < int64(len(img))-4096 {
			t.Errorf("Length %d, image %d bytes", im.Length(), len(img))
		}
	})
	t.Run("not jffs2", func(t *testing.T) {
		for _, b := range [][]byte{nil, noise(1, 100), bytes.Repeat([]byte{0xff}, 100), jffs2write.Header(le, 0x2003, 12)} {
			if _, err := Open(bytes.NewReader(b), int64(len(b)), Options{}); !errors.Is(err, ErrNotJFFS2) {
				t.Errorf("%x…: %v", b[:min(len(b), 8)], err)
			}
		}
	})
}
