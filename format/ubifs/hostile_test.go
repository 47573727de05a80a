package ubifs

import (
	"bytes"
	"errors"
	"io"
	"io/fs"
	"path"
	"strings"
	"testing"
	"time"
)

// exercise opens data, walks it and reads every file under small limits,
// checking the reader's promises: Sniff agrees with Open, paths are clean
// and relative, no file yields more than its size, Length fits the data.
func exercise(t testing.TB, data []byte) {
	im, err := Open(bytes.NewReader(data), int64(len(data)), Options{MaxNodes: 10000, MaxFiles: 2000})
	if err != nil {
		return
	}
	if !Sniff(data) {
		t.Fatal("Open accepted what Sniff rejects")
	}
	if im.Length() <= 0 || im.Length() > int64(len(data)) {
		t.Fatalf("Length %d of %d bytes", im.Length(), len(data))
	}
	_ = im.Walk(func(f *File) error {
		if f.Path == "" || path.Clean(f.Path) != f.Path || strings.HasPrefix(f.Path, "/") || strings.HasPrefix(f.Path, "..") {
			t.Fatalf("unclean path %q", f.Path)
		}
		if !f.Mode.IsRegular() {
			return nil
		}
		r, err := im.Open(f)
		if err != nil {
			return nil
		}
		n, _ := io.Copy(io.Discard, io.LimitReader(r, 64<<10))
		if n > f.Size {
			t.Fatalf("%s: %d bytes read, size %d", f.Path, n, f.Size)
		}
		return nil
	})
}

// TestHandMade reads the hand-made image the hostile tests start from.
func TestHandMade(t *testing.T) {
	tree, _ := readTree(t, image(sampleLeaves(), nil))
	if g := tree["etc/passwd"]; !strings.HasPrefix(g.Data, "root:x:0:0") {
		t.Errorf("etc/passwd %+v", g)
	}
	if g := tree["sh"]; g.Link != "busybox" {
		t.Errorf("sh %+v", g)
	}
	want := string(make([]byte, 2*BlockSize)) + strings.Repeat("z", BlockSize)
	if g := tree["holey"]; g.Data != want {
		t.Errorf("holey: %d bytes", len(g.Data))
	}
	if g := tree["tty"]; g.Mode != fs.ModeDevice|fs.ModeCharDevice|0o600 || g.Rdev != 0x440 {
		t.Errorf("tty %+v", g)
	}
}

// TestTruncated cuts the hand-made images, with and without a journal,
// at many points.
func TestTruncated(t *testing.T) {
	j := withJournal(image(sampleLeaves(), nil), [][]byte{inoNode(9, sIFREG|0o755, 1, nil).node, dentNode(1, 9, "n").node})
	for _, img := range [][]byte{image(sampleLeaves(), nil), j} {
		for cut := 0; cut < len(img); cut += 1 + cut/32 {
			exercise(t, img[:cut])
		}
	}
}

func TestHostile(t *testing.T) {
	t.Run("index loop", func(t *testing.T) {
		// A level-1 root whose branch points at itself, and a level-0
		// branch pointing back at the root.
		img := image(sampleLeaves(), func(br []tbranch) []tbranch {
			return append(br, tbranch{nodeRef{2, 0, 99}, mkKey(1, keyIno, 0)})
		})
		exercise(t, img)
		// Make the root claim level 1 with itself as child.
		root := bytes.LastIndex(img[2*tLEB:], []byte{0x31, 0x18, 0x10, 0x06})
		off := 2*tLEB + root
		ln := int(le.Uint32(img[off+16:]))
		b := img[off : off+ln]
		le.PutUint16(b[26:], 1)
		le.PutUint32(b[idxNodeSize:], 2)
		le.PutUint32(b[idxNodeSize+4:], uint32(root))
		le.PutUint32(b[idxNodeSize+8:], uint32(ln))
		le.PutUint32(b[4:], CRC(b[8:]))
		done := make(chan bool)
		go func() { exercise(t, img); close(done) }()
		select {
		case <-done:
		case <-time.After(5 * time.Second):
			t.Fatal("index loop not cut")
		}
	})
	t.Run("directory loop", func(t *testing.T) {
		img := image(append(sampleLeaves(), dentNode(2, 1, "root"), dentNode(2, 2, "self")), nil)
		tree, _ := readTree(t, img)
		if len(tree) > 8 {
			t.Errorf("loop listed %d entries: %v", len(tree), tree)
		}
	})
	t.Run("huge size", func(t *testing.T) {
		img := image([]tnode{inoNode(2, sIFREG|0o644, 1<<60, nil), dentNode(1, 2, "big"),
			dataNode(2, 0, ComprNone, 5, []byte("hello"))}, nil)
		im, err := Open(bytes.NewReader(img), int64(len(img)), Options{})
		if err != nil {
			t.Fatal(err)
		}
		_ = im.Walk(func(f *File) error {
			r, _ := im.Open(f)
			b, _ := io.ReadAll(io.LimitReader(r, 8<<20))
			if len(b) != 8<<20 || string(b[:5]) != "hello" {
				t.Errorf("big: %d bytes %q", len(b), b[:8])
			}
			return nil
		})
	})
	t.Run("bad data", func(t *testing.T) {
		img := image([]tnode{
			inoNode(2, sIFREG|0o644, 100, nil), dentNode(1, 2, "zlib"), dataNode(2, 0, ComprZlib, 100, []byte("not deflate")),
			inoNode(3, sIFREG|0o644, 100, nil), dentNode(1, 3, "lzo"), dataNode(3, 0, ComprLZO, 100, []byte{0x11, 0, 0}),
			inoNode(4, sIFREG|0o644, 100, nil), dentNode(1, 4, "zstd"), dataNode(4, 0, ComprZstd, 100, []byte("not zstd")),
			inoNode(5, sIFREG|0o644, 100, nil), dentNode(1, 5, "big"), dataNode(5, 0, ComprNone, BlockSize+1, []byte("x")),
			inoNode(6, sIFREG|0o644, 100, nil), dentNode(1, 6, "what"), dataNode(6, 0, 9, 100, []byte("x")),
			inoNode(7, sIFREG|0o644, 10, nil), dentNode(1, 7, "bomb"), dataNode(7, 0, ComprZlib, 10, deflate(make([]byte, 1<<20))),
		}, nil)
		im, err := Open(bytes.NewReader(img), int64(len(img)), Options{})
		if err != nil {
			t.Fatal(err)
		}
		n := 0
		_ = im.Walk(func(f *File) error {
			n++
			r, _ := im.Open(f)
			_, err := io.ReadAll(r)
			want := ErrCorrupt
			if f.Path == "what" {
				want = ErrUnsupported
			}
			if !errors.Is(err, want) {
				t.Errorf("%s: %v, want %v", f.Path, err, want)
			}
			return nil
		})
		if n != 6 {
			t.Errorf("%d files", n)
		}
	})
	t.Run("bad CRC and bounds", func(t *testing.T) {
		img := image(sampleLeaves(), func(br []tbranch) []tbranch {
			br[1].ref.len += 8       // dentry "etc": wrong length
			br[6].ref.lnum = 99      // dentry "sh": past the LEBs
			br[8].ref.offs = tLEB    // dentry "holey": past the LEB
			br[11].ref.len = 1 << 30 // dentry "tty"
			return br
		})
		tree, _ := readTree(t, img)
		if len(tree) != 0 {
			t.Errorf("listed %v", tree)
		}
	})
	t.Run("node limit", func(t *testing.T) {
		img := image(sampleLeaves(), nil)
		if _, err := Open(bytes.NewReader(img), int64(len(img)), Options{MaxNodes: 5}); !errors.Is(err, ErrLimit) {
			t.Errorf("got %v, want ErrLimit", err)
		}
	})
	t.Run("not ubifs", func(t *testing.T) {
		img := image(nil, nil)
		img[100] ^= 1
		for _, b := range [][]byte{nil, bytes.Repeat([]byte{0xff}, 5000), img} {
			if _, err := Open(bytes.NewReader(b), int64(len(b)), Options{}); !errors.Is(err, ErrNotUBIFS) {
				t.Errorf("%q…: %v", b[:min(len(b), 8)], err)
			}
		}
	})
}
