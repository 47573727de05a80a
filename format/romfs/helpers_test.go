package romfs

import (
	"bytes"
	"encoding/binary"
	"io/fs"
	"os"
	"os/exec"
	"sort"
	"testing"
)

// tnode is one entry for the test writer, which lays an image out the way
// romfs.rst describes (and genromfs does): each header followed by its
// name and data, a directory's entries right after the directory.
type tnode struct {
	Name   string
	Type   int
	Exec   bool
	Data   []byte
	Spec   uint32 // devices: major<<16|minor
	Kids   []*tnode
	LinkTo *tnode // hard links

	off int64
}

func align16(n int64) int64 { return (n + 15) &^ 15 }

func (n *tnode) span() int64 {
	return headerSize + align16(int64(len(n.Name))+1) + align16(int64(len(n.Data)))
}

// place gives every node in list (and below) an offset starting at off and
// returns the end.
func place(list []*tnode, off int64) int64 {
	for _, n := range list {
		n.off = off
		off += n.span()
		off = place(n.Kids, off)
	}
	return off
}

func emitNodes(img []byte, list []*tnode) {
	be := binary.BigEndian
	for i, n := range list {
		h := img[n.off:]
		var next uint32
		if i+1 < len(list) {
			next = uint32(list[i+1].off)
		}
		next |= uint32(n.Type)
		if n.Exec {
			next |= execBit
		}
		be.PutUint32(h[0:], next)
		spec := n.Spec
		switch {
		case n.Type == typeDir && len(n.Kids) > 0:
			spec = uint32(n.Kids[0].off)
		case n.Type == typeHardlink:
			spec = uint32(n.LinkTo.off)
		}
		be.PutUint32(h[4:], spec)
		be.PutUint32(h[8:], uint32(len(n.Data)))
		copy(h[16:], n.Name)
		nameEnd := headerSize + align16(int64(len(n.Name))+1)
		be.PutUint32(h[12:], -sum32(h[:nameEnd]))
		copy(h[nameEnd:], n.Data)
		emitNodes(img, n.Kids)
	}
}

func sum32(b []byte) uint32 {
	var s uint32
	for i := 0; i+4 <= len(b); i += 4 {
		s += binary.BigEndian.Uint32(b[i:])
	}
	return s
}

// writeImage builds an image whose root directory holds root.
func writeImage(volume string, root []*tnode) []byte {
	first := headerSize + align16(int64(len(volume))+1)
	end := place(root, first)
	img := make([]byte, max(align16(end), 64))
	copy(img, Magic)
	binary.BigEndian.PutUint32(img[8:], uint32(len(img)))
	copy(img[16:], volume)
	emitNodes(img, root)
	fixChecksum(img)
	return img
}

// fixChecksum sets the superblock checksum for img.
func fixChecksum(img []byte) {
	binary.BigEndian.PutUint32(img[12:], 0)
	n := min(len(img), checksumSpan) &^ 3
	binary.BigEndian.PutUint32(img[12:], -sum32(img[:n]))
}

// sampleTree holds every entry type.
func sampleTree() []*tnode {
	passwd := &tnode{Name: "passwd", Type: typeFile, Data: []byte("root:x:0:0:root:/root:/bin/sh\n")}
	return []*tnode{
		{Name: "bin", Type: typeDir, Exec: true, Kids: []*tnode{
			{Name: "busybox", Type: typeFile, Exec: true, Data: bytes.Repeat([]byte("\x7fELF"), 100)},
			{Name: "sh", Type: typeSymlink, Data: []byte("busybox")},
		}},
		{Name: "dev", Type: typeDir, Exec: true, Kids: []*tnode{
			{Name: "console", Type: typeChar, Spec: 5<<16 | 1},
			{Name: "mtdblock0", Type: typeBlock, Spec: 31<<16 | 2},
			{Name: "log", Type: typeSocket},
			{Name: "initctl", Type: typeFifo},
		}},
		{Name: "empty", Type: typeDir, Exec: true},
		{Name: "etc", Type: typeDir, Exec: true, Kids: []*tnode{
			passwd,
			{Name: "passwd-", Type: typeHardlink, LinkTo: passwd},
		}},
	}
}

// entry is what the tests compare of a File.
type entry struct {
	Mode fs.FileMode
	Data string
	Link string
	Dev  [2]uint32
}

// walkAll opens img and returns its entries and the walk's error.
func walkAll(t testing.TB, img []byte, opt Options) (map[string]entry, []string, error) {
	t.Helper()
	im, err := Open(bytes.NewReader(img), int64(len(img)), opt)
	if err != nil {
		return nil, nil, err
	}
	got := map[string]entry{}
	var order []string
	err = im.Walk(func(f *File) error {
		e := entry{Mode: f.Mode, Link: f.LinkTarget, Dev: [2]uint32{f.Major, f.Minor}}
		if f.Mode.IsRegular() {
			r, err := im.Open(f)
			if err != nil {
				t.Errorf("%s: %v", f.Path, err)
			} else {
				var b bytes.Buffer
				if _, err := b.ReadFrom(r); err != nil {
					e.Data = "ERROR: " + err.Error()
				} else {
					e.Data = b.String()
				}
			}
		}
		got[f.Path] = e
		order = append(order, f.Path)
		return nil
	})
	return got, order, err
}

func keys(m map[string]entry) []string {
	var k []string
	for p := range m {
		k = append(k, p)
	}
	sort.Strings(k)
	return k
}

// genromfs builds an image of dir with the real tool. The tool comes
// from Debian's genromfs package; without it the test is skipped, except
// in CI where the package is required.
func genromfs(t *testing.T, dir string) []byte {
	t.Helper()
	tool, err := exec.LookPath("genromfs")
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatal("genromfs not installed (apt-get install genromfs)")
		}
		t.Skip("genromfs not installed")
	}
	out := t.TempDir() + "/img.romfs"
	if b, err := exec.Command(tool, "-f", out, "-d", dir, "-V", "doorman").CombinedOutput(); err != nil {
		t.Fatalf("genromfs: %v\n%s", err, b)
	}
	img, err := os.ReadFile(out)
	if err != nil {
		t.Fatal(err)
	}
	return img
}
