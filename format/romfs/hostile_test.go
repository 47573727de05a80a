package romfs

import (
	"bytes"
	"encoding/binary"
	"errors"
	"strings"
	"testing"
)

func TestSniff(t *testing.T) {
	img := writeImage("v", sampleTree())
	if !Sniff(img) {
		t.Error("image not sniffed")
	}
	for _, b := range [][]byte{nil, []byte("-rom1fs-"), []byte("-rom1fs-\x00\x00\x00\x10xxxx"), []byte("-rom1fx-\x00\x00\x10\x00xxxx")} {
		if Sniff(b) {
			t.Errorf("Sniff(%q)", b)
		}
	}
}

// TestCheckSumNearMiss: a stray magic with a plausible size but no valid
// checksum is not an image to a carver.
func TestCheckSumNearMiss(t *testing.T) {
	img := writeImage("v", sampleTree())
	img[40] ^= 1 // inside the first 512 bytes
	im, err := Open(bytes.NewReader(img), int64(len(img)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	if ok, err := im.CheckSum(); ok || err != nil {
		t.Errorf("corrupted checksum accepted: %v %v", ok, err)
	}
}

// header offset of the first entry named name (in a writeImage image).
func find(t *testing.T, img []byte, name string) int {
	t.Helper()
	i := bytes.Index(img, append([]byte(name), 0))
	if i < 0 || i%16 != 0 {
		t.Fatalf("%s not found", name)
	}
	return i - 16
}

func TestHostile(t *testing.T) {
	be := binary.BigEndian
	cases := []struct {
		name    string
		mutate  func(img []byte)
		wantErr error
		want    []string // entries that must still be listed
	}{
		{"chain loops to itself", func(img []byte) {
			o := find(t, img, "etc")
			be.PutUint32(img[o:], uint32(o)|typeDir|execBit)
		}, ErrCorrupt, []string{"bin/busybox", "etc/passwd"}},
		{"dir lists an ancestor", func(img []byte) {
			o := find(t, img, "empty")
			be.PutUint32(img[o+4:], uint32(find(t, img, "bin")))
		}, ErrCorrupt, []string{"bin/busybox", "etc/passwd"}},
		{"next past the end", func(img []byte) {
			o := find(t, img, "console")
			be.PutUint32(img[o:], 0x7ffffff0|typeChar)
		}, ErrCorrupt, []string{"dev/console", "etc/passwd"}},
		{"file size past the end", func(img []byte) {
			o := find(t, img, "busybox")
			be.PutUint32(img[o+8:], 0xfffffff0)
		}, ErrCorrupt, []string{"bin/sh", "etc/passwd"}},
		{"hard link loop", func(img []byte) {
			o := find(t, img, "passwd-")
			be.PutUint32(img[o+4:], uint32(o))
		}, ErrCorrupt, []string{"etc/passwd"}},
		{"hard link past the end", func(img []byte) {
			o := find(t, img, "passwd-")
			be.PutUint32(img[o+4:], 0xfffffff0)
		}, ErrCorrupt, []string{"etc/passwd"}},
		{"unaligned listing", func(img []byte) {
			o := find(t, img, "dev")
			be.PutUint32(img[o+4:], uint32(find(t, img, "console")+3))
		}, ErrCorrupt, []string{"etc/passwd"}},
		{"huge symlink", func(img []byte) {
			o := find(t, img, "sh")
			be.PutUint32(img[o+8:], 0x7fffffff)
		}, ErrCorrupt, []string{"bin/busybox", "etc/passwd"}},
		{"name with slash", func(img []byte) {
			o := find(t, img, "console")
			copy(img[o+16:], "../x")
		}, ErrCorrupt, []string{"dev/log"}},
	}
	for _, c := range cases {
		t.Run(c.name, func(t *testing.T) {
			img := writeImage("v", sampleTree())
			c.mutate(img)
			fixChecksum(img)
			got, _, err := walkAll(t, img, Options{})
			if !errors.Is(err, c.wantErr) {
				t.Errorf("error %v, want %v", err, c.wantErr)
			}
			for _, p := range c.want {
				if _, ok := got[p]; !ok {
					t.Errorf("%s missing: %v", p, keys(got))
				}
			}
		})
	}
}

func TestDeepNesting(t *testing.T) {
	root := &tnode{Name: "d", Type: typeDir}
	n := root
	for range maxDepth + 50 {
		k := &tnode{Name: "d", Type: typeDir}
		n.Kids = []*tnode{k}
		n = k
	}
	n.Kids = []*tnode{{Name: "f", Type: typeFile, Data: []byte("x")}}
	img := writeImage("v", []*tnode{root})
	got, _, err := walkAll(t, img, Options{})
	if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "deeper") {
		t.Errorf("error %v", err)
	}
	if len(got) != maxDepth {
		t.Errorf("%d entries", len(got))
	}
}

func TestMaxFiles(t *testing.T) {
	img := writeImage("v", sampleTree())
	got, _, err := walkAll(t, img, Options{MaxFiles: 3})
	if !errors.Is(err, ErrLimit) || len(got) != 3 {
		t.Errorf("%d entries, error %v", len(got), err)
	}
}

// TestTruncated cuts the image everywhere: Open either fails cleanly or
// lists what lies before the cut, and reading past it is ErrTruncated.
func TestTruncated(t *testing.T) {
	img := writeImage("v", sampleTree())
	for n := range len(img) {
		got, _, err := walkAll(t, img[:n], Options{})
		if err != nil && !errors.Is(err, ErrTruncated) && !errors.Is(err, ErrNotRomfs) {
			t.Fatalf("cut at %d: %v", n, err)
		}
		for p, e := range got {
			if strings.HasPrefix(e.Data, "ERROR") && !strings.Contains(e.Data, "truncated") {
				t.Errorf("cut at %d: %s: %s", n, p, e.Data)
			}
		}
	}
	got, _, err := walkAll(t, img[:find(t, img, "sh")], Options{})
	if !errors.Is(err, ErrTruncated) || got["bin/busybox"].Data != strings.Repeat("\x7fELF", 100) {
		t.Errorf("busybox %q, error %v", got["bin/busybox"].Data, err)
	}
}

// TestLongName: a name with no NUL ends at maxName instead of reading on.
func TestLongName(t *testing.T) {
	img := writeImage("v", []*tnode{{Name: "a", Type: typeFile}})
	img = append(img, bytes.Repeat([]byte("A"), 2*maxName)...)
	o := find(t, img, "a")
	copy(img[o+16:], bytes.Repeat([]byte("A"), len(img)))
	binary.BigEndian.PutUint32(img[8:], uint32(len(img)))
	fixChecksum(img)
	_, _, err := walkAll(t, img, Options{})
	if !errors.Is(err, ErrCorrupt) || !strings.Contains(err.Error(), "longer") {
		t.Errorf("error %v", err)
	}
}
