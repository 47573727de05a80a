package cramfs

import (
	"bytes"
	"encoding/binary"
	"io/fs"
	"os"
	"path/filepath"
	"testing"
)

// TestMkfsCramfs reads images made by util-linux's mkfs.cramfs in both
// byte orders, padded for a boot loader and with 16 KiB blocks.
func TestMkfsCramfs(t *testing.T) {
	for name, args := range map[string][]string{
		"little": {"-N", "little"},
		"big":    {"-N", "big"},
		"padded": {"-p", "-N", "big"},
		"16k":    {"-b", "16384", "-N", "little"},
	} {
		t.Run(name, func(t *testing.T) {
			data, dev := mkcramfs(t, sampleEntries(), args...)
			img := data
			if name == "padded" {
				if Sniff(data) {
					t.Error("Sniff finds a superblock at 0 of a padded image")
				}
				img = data[512:] // where carving finds it
			}
			if !Sniff(img) {
				t.Fatal("Sniff rejects the image")
			}
			tree, im := readTree(t, img)
			for _, e := range sampleEntries() {
				g, ok := tree[e.path]
				if !ok {
					t.Errorf("%s missing", e.path)
					continue
				}
				if e.mode&fs.ModeDevice != 0 && !dev {
					continue
				}
				if g.mode != e.mode || g.data != string(e.data) || g.link != e.link {
					t.Errorf("%s: %v %d bytes %q; want %v %d bytes %q", e.path, g.mode, len(g.data), g.link, e.mode, len(e.data), e.link)
				}
			}
			if im.Length() != int64(len(img)) {
				t.Errorf("Length %d of %d bytes", im.Length(), len(img))
			}
			if ok, err := im.CheckCRC(); !ok || err != nil {
				t.Errorf("CRC: %v %v", ok, err)
			}
			wantBS := int64(4096)
			if name == "16k" {
				wantBS = 16384
			}
			if im.BlockSize() != wantBS {
				t.Errorf("block size %d, want %d", im.BlockSize(), wantBS)
			}
		})
	}
}

// TestHoles reads a sparse file written with mkfs.cramfs -z (holes as
// empty blocks).
func TestHoles(t *testing.T) {
	needTool(t, "mkfs.cramfs")
	dir := t.TempDir()
	root := filepath.Join(dir, "r")
	os.Mkdir(root, 0o755)
	f, err := os.Create(filepath.Join(root, "sparse"))
	if err != nil {
		t.Fatal(err)
	}
	f.WriteAt([]byte("island"), 40000)
	f.Close()
	img := mkcramfsDir(t, root, "-z")
	tree, _ := readTree(t, img)
	want := make([]byte, 40006)
	copy(want[40000:], "island")
	if tree["sparse"].data != string(want) {
		t.Errorf("sparse: %d bytes", len(tree["sparse"].data))
	}
}

func TestSniff(t *testing.T) {
	var sb [76]byte
	binary.LittleEndian.PutUint32(sb[:], magic)
	copy(sb[16:], signature)
	if !Sniff(sb[:]) {
		t.Error("little-endian superblock rejected")
	}
	binary.BigEndian.PutUint32(sb[:], magic)
	if !Sniff(sb[:]) {
		t.Error("big-endian superblock rejected")
	}
	// Near-misses: the signature without the magic (a string in a
	// binary), the magic without the signature.
	copy(sb[:4], "\x00\x00\x00\x00")
	if Sniff(sb[:]) {
		t.Error("signature alone accepted")
	}
	binary.BigEndian.PutUint32(sb[:], magic)
	copy(sb[16:], "Compressed romfs")
	if Sniff(sb[:]) || Sniff(bytes.Repeat([]byte{0x28}, 20)) {
		t.Error("magic alone accepted")
	}
}
