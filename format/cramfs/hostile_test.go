package cramfs

import (
	"bytes"
	"encoding/binary"
	"errors"
	"io"
	"testing"
)

func TestTruncated(t *testing.T) {
	for _, img := range fuzzSeeds(t) {
		for cut := 0; cut < len(img); cut += 1 + cut/16 {
			exercise(t, img[:cut])
		}
	}
}

func TestHostile(t *testing.T) {
	base, _ := mkcramfs(t, sampleEntries(), "-N", "little")
	t.Run("directory loop", func(t *testing.T) {
		// Point "var" (an empty directory) at the root directory: a loop.
		img := append([]byte(nil), base...)
		root := decode(img[64:], binary.LittleEndian)
		i := bytes.Index(img, []byte("var\x00"))
		w1 := binary.LittleEndian.Uint32(img[i-12+4:])
		binary.LittleEndian.PutUint32(img[i-12+4:], w1&0xff000000|root.size)
		w2 := binary.LittleEndian.Uint32(img[i-12+8:])
		binary.LittleEndian.PutUint32(img[i-12+8:], w2&0x3f|root.offset/4<<6)
		n := 0
		im, err := Open(bytes.NewReader(img), int64(len(img)), Options{})
		if err != nil {
			t.Fatal(err)
		}
		_ = im.Walk(func(*File) error { n++; return nil })
		if n > 20 {
			t.Errorf("loop listed %d entries", n)
		}
	})
	t.Run("lying size", func(t *testing.T) {
		// etc/passwd claims 16 MiB: its pointer table then runs into
		// other data, and reading must fail or stop, bounded.
		img := append([]byte(nil), base...)
		i := bytes.Index(img, []byte("passwd\x00"))
		w1 := binary.LittleEndian.Uint32(img[i-12+4:])
		binary.LittleEndian.PutUint32(img[i-12+4:], w1&0xff000000|0xffffff)
		im, err := Open(bytes.NewReader(img), int64(len(img)), Options{})
		if err != nil {
			t.Fatal(err)
		}
		_ = im.Walk(func(f *File) error {
			if f.Path == "etc/passwd" {
				r, _ := im.Open(f)
				n, err := io.Copy(io.Discard, r)
				if err == nil && n != f.Size {
					t.Errorf("read %d of %d bytes without an error", n, f.Size)
				}
			}
			return nil
		})
	})
	t.Run("bad superblock", func(t *testing.T) {
		for name, mod := range map[string]func([]byte){
			"flags":     func(b []byte) { binary.LittleEndian.PutUint32(b[8:], 0x10000) },
			"tiny size": func(b []byte) { binary.LittleEndian.PutUint32(b[4:], 10) },
			"root file": func(b []byte) { binary.LittleEndian.PutUint16(b[64:], 0o100644) },
		} {
			img := append([]byte(nil), base...)
			mod(img)
			if _, err := Open(bytes.NewReader(img), int64(len(img)), Options{}); err == nil {
				t.Errorf("%s: opened", name)
			}
		}
		if _, err := Open(bytes.NewReader(base[:40]), 40, Options{}); !errors.Is(err, ErrNotCramfs) {
			t.Errorf("40 bytes: %v", err)
		}
	})
	t.Run("crc", func(t *testing.T) {
		img := append([]byte(nil), base...)
		img[len(img)-100] ^= 0xff
		im, err := Open(bytes.NewReader(img), int64(len(img)), Options{})
		if err != nil {
			t.Fatal(err)
		}
		if ok, _ := im.CheckCRC(); ok {
			t.Error("a changed image passes the CRC")
		}
	})
	t.Run("limit", func(t *testing.T) {
		im, err := Open(bytes.NewReader(base), int64(len(base)), Options{MaxFiles: 3})
		if err != nil {
			t.Fatal(err)
		}
		if err := im.Walk(func(*File) error { return nil }); !errors.Is(err, ErrLimit) {
			t.Errorf("got %v, want ErrLimit", err)
		}
	})
}
