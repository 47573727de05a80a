package jffs2

import (
	"encoding/binary"
	"fmt"
	"io/fs"
	"testing"

	"github.com/doorman-sec/doorman/format/jffs2/jffs2write"
)

func TestRoundTrip(t *testing.T) {
	for _, big := range []bool{false, true} {
		for _, comp := range []byte{jffs2write.None, jffs2write.Zlib, jffs2write.LZMA, jffs2write.Rtime} {
			t.Run(fmt.Sprintf("big=%v/compr=%d", big, comp), func(t *testing.T) {
				data := build(t, sampleEntries(), jffs2write.Options{BigEndian: big, Compressor: comp, EraseBlock: 8192})
				tree, im := readTree(t, data, 1<<20)
				wantOrder := binary.ByteOrder(binary.LittleEndian)
				if big {
					wantOrder = binary.BigEndian
				}
				if im.ByteOrder() != wantOrder {
					t.Errorf("byte order %v", im.ByteOrder())
				}
				checkSample(t, tree)
				if im.Length() > int64(len(data)) || im.Length() < int64(len(data))-8192 {
					t.Errorf("Length %d for %d bytes", im.Length(), len(data))
				}
			})
		}
	}
}

// checkSample checks a tree built from sampleEntries, by our writer or
// by mkfs.jffs2 from the same files.
func checkSample(t *testing.T, tree map[string]got) {
	t.Helper()
	for _, e := range sampleEntries() {
		g, ok := tree[e.Path]
		if !ok {
			t.Errorf("%s missing; have %v", e.Path, keys(tree))
			continue
		}
		wantMode := e.Mode
		if wantMode == 0 {
			wantMode = 0o644
		}
		if g.Mode != wantMode {
			t.Errorf("%s: mode %v, want %v", e.Path, g.Mode, wantMode)
		}
		if g.Data != string(e.Data) {
			t.Errorf("%s: %d bytes, want %d", e.Path, len(g.Data), len(e.Data))
		}
		if g.Link != e.Link {
			t.Errorf("%s: link %q, want %q", e.Path, g.Link, e.Link)
		}
	}
	for _, d := range []string{"etc", "etc/config", "bin", "dev"} {
		if !tree[d].Mode.IsDir() {
			t.Errorf("%s: not a directory (%v)", d, tree[d].Mode)
		}
	}
}

func keys(m map[string]got) []string {
	var k []string
	for p := range m {
		k = append(k, p)
	}
	return k
}

// TestVersions checks the log semantics: a newer data node overrides part
// of a file, a newer inode node changes its size and mode, a deletion
// dirent removes a name and a newer dirent renames over an old one.
func TestVersions(t *testing.T) {
	bo := binary.LittleEndian
	var img []byte
	add := func(b []byte) {
		img = append(img, b...)
		for len(img)%4 != 0 {
			img = append(img, 0)
		}
	}
	dirent := func(pino, version, ino uint32, name string) {
		b := make([]byte, 40+len(name))
		copy(b, jffs2write.Header(bo, 0xe001, uint32(len(b))))
		bo.PutUint32(b[12:], pino)
		bo.PutUint32(b[16:], version)
		bo.PutUint32(b[20:], ino)
		b[28] = byte(len(name))
		b[29] = 8
		bo.PutUint32(b[32:], jffs2write.NodeCRC(b[:32]))
		bo.PutUint32(b[36:], jffs2write.NodeCRC([]byte(name)))
		copy(b[40:], name)
		add(b)
	}
	// File 2: "AAAAAAAAAA" then version 2 writes "bb" at 3, version 3
	// (an older-looking node written later on flash) is shadowed by
	// version 4 which extends the file with a hole.
	add(jffs2write.InodeNode(bo, 2, 1, 0o100644, 10, 0, 10, 0, []byte("AAAAAAAAAA")))
	add(jffs2write.InodeNode(bo, 2, 4, 0o100600, 16, 14, 2, 0, []byte("zz")))
	add(jffs2write.InodeNode(bo, 2, 2, 0o100644, 10, 3, 2, 0, []byte("bb")))
	add(jffs2write.InodeNode(bo, 2, 3, 0o100644, 10, 8, 2, 0, []byte("cc")))
	dirent(1, 1, 2, "file")
	// File 3 is unlinked by a newer dirent with ino 0.
	add(jffs2write.InodeNode(bo, 3, 1, 0o100644, 3, 0, 3, 0, []byte("old")))
	dirent(1, 1, 3, "gone")
	dirent(1, 2, 0, "gone")
	// "cfg" first names file 3, then (newer) file 2.
	dirent(1, 5, 2, "cfg")
	dirent(1, 3, 3, "cfg")
	// An obsolete node (ACCURATE cleared after the CRC was made) is skipped.
	obs := jffs2write.InodeNode(bo, 2, 9, 0o100644, 1, 0, 1, 0, []byte("X"))
	bo.PutUint16(obs[2:], 0xe002&^0x2000)
	add(obs)

	tree, _ := readTree(t, img, 1<<20)
	if g := tree["file"]; g.Data != "AAAbbAAAcc\x00\x00\x00\x00zz" || g.Mode != 0o600 {
		t.Errorf("file: %q %v", g.Data, g.Mode)
	}
	if _, ok := tree["gone"]; ok {
		t.Error("unlinked name listed")
	}
	if g := tree["cfg"]; g.Data != tree["file"].Data {
		t.Errorf("cfg: %q, want the newest dirent's inode", g.Data)
	}
}

func TestSniff(t *testing.T) {
	data := build(t, sampleEntries(), jffs2write.Options{})
	if !Sniff(data) {
		t.Error("Sniff rejects an image")
	}
	be := build(t, sampleEntries(), jffs2write.Options{BigEndian: true})
	if !Sniff(be) {
		t.Error("Sniff rejects a big-endian image")
	}
	// Near-miss: the magic and node type of a cleanmarker with a wrong
	// header CRC, as random data would have.
	bad := append([]byte(nil), data[:12]...)
	bad[8] ^= 1
	if Sniff(bad) {
		t.Error("Sniff accepts a header with a bad CRC")
	}
	if Sniff([]byte{0x85, 0x19}) || Sniff(nil) {
		t.Error("Sniff accepts a short header")
	}
}

func TestFileModes(t *testing.T) {
	for m, want := range map[uint32]fs.FileMode{
		0o100755: 0o755, 0o104755: 0o755 | fs.ModeSetuid, 0o041777: fs.ModeDir | fs.ModeSticky | 0o777,
		0o060600: fs.ModeDevice | 0o600, 0o010644: fs.ModeNamedPipe | 0o644, 0o140777: fs.ModeSocket | 0o777,
		0o170644: fs.ModeIrregular | 0o644,
	} {
		if got := fileMode(m); got != want {
			t.Errorf("fileMode(%o) = %v, want %v", m, got, want)
		}
	}
}
