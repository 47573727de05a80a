package ubifs

import (
	"strings"
	"testing"
)

// TestJournal replays a journal over the index: an edited file (new
// inode size and data), a file created after the commit, a removed
// symlink, a truncated file, and a deleted inode.
func TestJournal(t *testing.T) {
	shadow := []byte("root:$1$planted$hash:0:0:99999:7:::\n")
	bud := [][]byte{
		inoNode(3, sIFREG|0o644, uint64(len(shadow)), nil).node,
		dataNode(3, 0, ComprNone, uint32(len(shadow)), shadow).node,
		inoNode(9, sIFREG|0o755, 11, nil).node,
		dataNode(9, 0, ComprZlib, 11, deflate([]byte("#!/bin/sh\nx"))).node,
		dentNode(2, 9, "rc.local").node,
		dentNode(1, 0, "sh").node, // the symlink's name removed
		trunNode(5, 2*BlockSize),
		inoNode(5, sIFREG|0o600, 2*BlockSize, nil).node,
		inoNode(6, sIFCHR|0o600, 0, nil).node, // nlink set to 0 below
	}
	le.PutUint32(bud[len(bud)-1][92:], 0)
	bud[len(bud)-1] = putHdr(bud[len(bud)-1], typeIno, 1)
	img := withJournal(image(sampleLeaves(), nil), bud)
	tree, im := readTree(t, img)
	if g := tree["etc/passwd"]; g.Data != string(shadow) {
		t.Errorf("edited file: %q", g.Data)
	}
	if g := tree["etc/rc.local"]; g.Data != "#!/bin/sh\nx" || g.Mode != 0o755 {
		t.Errorf("new file: %+v", g)
	}
	if _, ok := tree["sh"]; ok {
		t.Error("removed symlink listed")
	}
	if g := tree["holey"]; len(g.Data) != 2*BlockSize || strings.Contains(g.Data, "z") {
		t.Errorf("truncated file: %d bytes", len(g.Data))
	}
	if _, ok := tree["tty"]; ok {
		t.Error("deleted inode listed")
	}
	if len(im.Warnings()) > 0 {
		t.Errorf("warnings: %v", im.Warnings())
	}
	// A log whose commit start is not the master's commit is stale: the
	// index alone stands.
	stale := append([]byte(nil), img...)
	le.PutUint64(stale[3*tLEB+24:], 6)
	le.PutUint32(stale[3*tLEB+4:], CRC(stale[3*tLEB+8:3*tLEB+csNodeSize]))
	tree, _ = readTree(t, stale)
	if g := tree["etc/passwd"]; !strings.HasPrefix(g.Data, "root:x:0:0") {
		t.Errorf("stale log replayed: %q", g.Data)
	}
	// A torn write at the end of the bud: what came before stands.
	torn := append([]byte(nil), img...)
	last := 4*tLEB + strings.LastIndex(string(torn[4*tLEB:5*tLEB]), "\x31\x18\x10\x06")
	torn[last+30] ^= 0xff
	tree, im = readTree(t, torn)
	if g := tree["etc/rc.local"]; g.Data != "#!/bin/sh\nx" || len(im.Warnings()) != 1 {
		t.Errorf("torn bud: rc.local %+v, warnings %v", g, im.Warnings())
	}
}
