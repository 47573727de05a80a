package squashfs3

import (
	"bytes"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"testing"
)

// sampleFiles covers every inode type, multi-block files with and
// without a fragment tail, a sparse block, hard links and ldir/lreg.
func sampleFiles() []wfile {
	big := make([]byte, 3*65536+1234)
	for i := range big {
		big[i] = byte(i*7 + i/300)
	}
	sparse := make([]byte, 2*65536+10)
	copy(sparse[65536*2:], "tail here!")
	return []wfile{
		{Path: "bin/busybox", Mode: fs.ModeSetuid | 0o755, Data: big},
		{Path: "bin/sh", Mode: fs.ModeSymlink | 0o777, Link: "busybox"},
		{Path: "etc/passwd", Mode: 0o644, Data: []byte("root:x:0:0:root:/root:/bin/sh\n")},
		{Path: "etc/shadow", Mode: 0o600, Data: []byte("root:*:10933:0:99999:7:::\n"), GID: 42},
		{Path: "etc/shadow.hard", Hard: "etc/shadow", Mode: 0o600},
		{Path: "etc/init.d/rcS", Mode: 0o755, Data: []byte("#!/bin/sh\nmount -a\n"), UID: 1000, GID: 1000},
		{Path: "dev/console", Mode: fs.ModeDevice | fs.ModeCharDevice | 0o600, Rdev: 5<<8 | 1},
		{Path: "dev/mtdblock3", Mode: fs.ModeDevice | 0o640, Rdev: 31<<8 | 3},
		{Path: "dev/initctl", Mode: fs.ModeNamedPipe | 0o600},
		{Path: "dev/log", Mode: fs.ModeSocket | 0o666},
		{Path: "tmp", Mode: fs.ModeDir | fs.ModeSticky | 0o777, LDir: true},
		{Path: "var/empty.txt", Mode: 0o644},
		{Path: "var/sparse", Mode: 0o644, Data: sparse},
		{Path: "var/large", Mode: 0o644, Data: bytes.Repeat([]byte("lreg "), 30000), LFile: true},
	}
}

type got struct {
	Mode     fs.FileMode
	Data     []byte
	Link     string
	UID, GID uint32
	Rdev     uint16
	Inode    uint32
}

func walkAll(t testing.TB, img []byte, opt Options) (*Image, map[string]got, error) {
	t.Helper()
	im, err := Open(bytes.NewReader(img), int64(len(img)), opt)
	if err != nil {
		return nil, nil, err
	}
	out := map[string]got{}
	err = im.Walk(func(f *File) error {
		g := got{Mode: f.Mode, Link: f.LinkTarget, UID: f.UID, GID: f.GID, Rdev: f.Rdev, Inode: f.Inode}
		if f.Mode.IsRegular() {
			r, err := im.Open(f)
			if err == nil {
				g.Data, err = io.ReadAll(io.LimitReader(r, 4<<20))
			}
			if err != nil {
				g.Data = []byte("ERROR: " + err.Error())
			}
		}
		out[f.Path] = g
		return nil
	})
	return im, out, err
}

func checkSample(t *testing.T, img []byte) *Image {
	t.Helper()
	im, m, err := walkAll(t, img, Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, f := range sampleFiles() {
		g, ok := m[f.Path]
		if !ok {
			t.Errorf("%s missing", f.Path)
			continue
		}
		want := f
		if f.Hard != "" {
			for _, o := range sampleFiles() {
				if o.Path == f.Hard {
					want = o
				}
			}
		}
		if g.Mode != want.Mode {
			t.Errorf("%s: mode %v, want %v", f.Path, g.Mode, want.Mode)
		}
		if want.Mode.IsRegular() && !bytes.Equal(g.Data, want.Data) {
			t.Errorf("%s: %d bytes differ (%.80q)", f.Path, len(g.Data), g.Data)
		}
		if g.Link != want.Link || g.UID != want.UID || g.GID != want.GID || g.Rdev != want.Rdev {
			t.Errorf("%s: %+v", f.Path, g)
		}
	}
	if m["etc/shadow"].Inode != m["etc/shadow.hard"].Inode {
		t.Error("hard links do not share the inode number")
	}
	for _, d := range []string{"bin", "etc", "etc/init.d", "dev", "var"} {
		if m[d].Mode != fs.ModeDir|0o755 {
			t.Errorf("%s: %v", d, m[d].Mode)
		}
	}
	if len(m) != len(sampleFiles())+5 {
		t.Errorf("%d entries", len(m))
	}
	return im
}

func TestRead(t *testing.T) {
	for _, c := range []struct {
		name  string
		o     wopts
		codec string
	}{
		{"le-gzip", wopts{}, "gzip"},
		{"be-gzip", wopts{BE: true}, "gzip"},
		{"le-gzip-check-4k", wopts{Check: true, BlockLog: 12}, "gzip"},
		{"be-gzip-nofrag-1m", wopts{BE: true, NoFrag: true, BlockLog: 20}, "gzip"},
		{"le-lzma-alone", wopts{Codec: lzmaAloneCodec, LZMAMagic: true}, "lzma"},
		{"be-lzma-alone", wopts{BE: true, Codec: lzmaAloneCodec}, "lzma"},
		{"le-lzma-raw", wopts{Codec: rawLZMACodec}, "lzma-raw"},
		{"be-lzma-raw", wopts{BE: true, Codec: rawLZMACodec, LZMAMagic: true}, "lzma-raw"},
	} {
		t.Run(c.name, func(t *testing.T) {
			img := writeImage(sampleFiles(), c.o)
			if !Sniff(img) {
				t.Fatal("not sniffed")
			}
			im := checkSample(t, img)
			if im.Compression() != c.codec || im.BigEndian() != c.o.BE || im.Version() != "3.1" {
				t.Errorf("compression %q, big-endian %v, version %s", im.Compression(), im.BigEndian(), im.Version())
			}
			if im.BytesUsed() > int64(len(img)) || im.BytesUsed() < int64(len(img))-4096 {
				t.Errorf("bytes used %d of %d", im.BytesUsed(), len(img))
			}
		})
	}
}

// TestMixedCodecs: vendor images mix codecs (zlib for metadata, lzma for
// data); each block is recognised on its own.
func TestMixedCodecs(t *testing.T) {
	n := 0
	mixed := func(b []byte) []byte {
		n++
		switch n % 3 {
		case 0:
			return zlibCodec(b)
		case 1:
			return lzmaAloneCodec(b)
		}
		return rawLZMACodec(b)
	}
	im := checkSample(t, writeImage(sampleFiles(), wopts{Codec: mixed}))
	if im.Compression() != "gzip+lzma+lzma-raw" {
		t.Errorf("compression %q", im.Compression())
	}
}

// TestManyEntries spans directory listings and inodes over many metadata
// blocks and headers (more than 256 entries per directory).
func TestManyEntries(t *testing.T) {
	var files []wfile
	for i := range 1500 {
		files = append(files, wfile{Path: fmt.Sprintf("d/f%04d", i), Mode: 0o644, Data: []byte(fmt.Sprint(i))})
	}
	for _, be := range []bool{false, true} {
		_, m, err := walkAll(t, writeImage(files, wopts{BE: be}), Options{})
		if err != nil {
			t.Fatal(err)
		}
		if len(m) != 1501 || string(m["d/f1234"].Data) != "1234" {
			t.Errorf("be=%v: %d entries, f1234=%q", be, len(m), m["d/f1234"].Data)
		}
	}
}

// TestRefuses4x: a 4.0 superblock belongs to format/squashfs.
func TestRefuses4x(t *testing.T) {
	img := writeImage(sampleFiles(), wopts{})
	img[28] = 4
	img[30] = 0
	if Sniff(img) {
		t.Error("4.0 sniffed")
	}
	if _, err := Open(bytes.NewReader(img), int64(len(img)), Options{}); !errors.Is(err, ErrUnsupported) {
		t.Errorf("error %v", err)
	}
}
