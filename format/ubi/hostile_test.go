package ubi

import (
	"bytes"
	"errors"
	"io"
	"testing"
)

// exercise opens data and reads every volume (up to a bound), checking
// the reader's promises: Sniff agrees with Open, no volume is larger than
// the image, reads return what Size says.
func exercise(t testing.TB, data []byte) {
	im, err := Open(bytes.NewReader(data), int64(len(data)), Options{MaxPEBs: 4096})
	if err != nil {
		return
	}
	if !Sniff(data) {
		t.Fatal("Open accepted what Sniff rejects")
	}
	if im.Length() <= 0 || im.Length() > int64(len(data)) {
		t.Fatalf("Length %d of %d bytes", im.Length(), len(data))
	}
	for _, v := range im.Volumes() {
		if v.Size() > int64(len(data)) || v.Name == "" {
			t.Fatalf("volume %q of %d bytes in a %d-byte image", v.Name, v.Size(), len(data))
		}
		n, err := io.Copy(io.Discard, io.LimitReader(v.Reader(), 1<<20))
		if err == nil && n != min(v.Size(), 1<<20) {
			t.Fatalf("%s: read %d of %d", v.Name, n, v.Size())
		}
	}
}

// TestTruncated cuts a real image at many points.
func TestTruncated(t *testing.T) {
	img := build(map[uint32]string{0: "a", 1: "b"},
		peb{vol: 0, lnum: 0, sqnum: 3, data: fill('a', tLEB)},
		peb{vol: 1, lnum: 1, sqnum: 4, static: true, usedEBs: 2, dataSize: 10, data: fill('b', 10)},
		peb{vol: 1, lnum: 0, sqnum: 5, static: true, usedEBs: 2, dataSize: tLEB, data: fill('c', tLEB)})
	for cut := 0; cut < len(img); cut += 1 + cut/64 {
		exercise(t, img[:cut])
	}
	// Cut inside the last PEB's data: the volume read fails cleanly.
	cut := img[:len(img)-tLEB+100]
	im, err := Open(bytes.NewReader(cut), int64(len(cut)), Options{})
	if err != nil {
		t.Fatal(err)
	}
	for _, v := range im.Volumes() {
		if _, err := io.ReadAll(v.Reader()); v.Name == "b" && !errors.Is(err, io.ErrUnexpectedEOF) {
			t.Errorf("%s: %v", v.Name, err)
		}
	}
}

func TestHostile(t *testing.T) {
	t.Run("huge lnum", func(t *testing.T) {
		img := build(map[uint32]string{0: "v"},
			peb{vol: 0, lnum: 0xfffffff0, sqnum: 1, data: fill('x', 10)},
			peb{vol: 0, lnum: 0, sqnum: 2, data: fill('y', tLEB)})
		got, im := volumes(t, img)
		if len(got["v"]) != tLEB || len(im.Warnings()) != 1 {
			t.Errorf("v: %d bytes, warnings %v", len(got["v"]), im.Warnings())
		}
	})
	t.Run("bad volume id and pad", func(t *testing.T) {
		img := build(nil, peb{vol: 5000, data: fill('x', 10)})
		if got, im := volumes(t, img); len(got) != 0 || len(im.Warnings()) != 1 {
			t.Errorf("got %d volumes, warnings %v", len(got), im.Warnings())
		}
	})
	t.Run("bad table", func(t *testing.T) {
		img := build(map[uint32]string{0: "name"}, peb{vol: 0, data: fill('x', tLEB)})
		img[tDataOff+20] ^= 1 // first copy's first record
		got, _ := volumes(t, img)
		if _, ok := got["name"]; !ok {
			t.Errorf("second table copy not used: %v", len(got))
		}
		img[tPEB+tDataOff+20] ^= 1
		got, im := volumes(t, img)
		if _, ok := got["volume0"]; !ok || len(im.Warnings()) < 2 {
			t.Errorf("no table: volumes %d, warnings %v", len(got), im.Warnings())
		}
	})
	t.Run("hostile names", func(t *testing.T) {
		img := build(map[uint32]string{0: "../etc", 1: "..", 2: "../etc", 3: "a\x00b"},
			peb{vol: 0, data: fill('x', 10)}, peb{vol: 1, sqnum: 1, data: fill('x', 10)},
			peb{vol: 2, sqnum: 2, data: fill('x', 10)}, peb{vol: 3, sqnum: 3, data: fill('x', 10)})
		got, _ := volumes(t, img)
		for _, n := range []string{".._etc", "volume1", "volume2", "a"} {
			if _, ok := got[n]; !ok {
				t.Errorf("no volume %q", n)
			}
		}
	})
	t.Run("PEB limit", func(t *testing.T) {
		var p []peb
		for i := range 20 {
			p = append(p, peb{vol: 0, lnum: uint32(i), data: fill('x', 10)})
		}
		img := build(nil, p...)
		if _, err := Open(bytes.NewReader(img), int64(len(img)), Options{MaxPEBs: 10}); !errors.Is(err, ErrLimit) {
			t.Errorf("got %v, want ErrLimit", err)
		}
	})
	t.Run("end in a blob", func(t *testing.T) {
		img := build(nil, peb{vol: 0, data: fill('x', 10)}, peb{vol: -1})
		blob := append(append(append([]byte(nil), img...), fill(0xff, 3*tPEB)...), fill('n', 3*tPEB)...)
		im, err := Open(bytes.NewReader(blob), int64(len(blob)), Options{})
		if err != nil {
			t.Fatal(err)
		}
		if im.Length() != int64(len(img)) {
			t.Errorf("Length %d, image %d bytes", im.Length(), len(img))
		}
	})
	t.Run("not ubi", func(t *testing.T) {
		one := build(nil)[:tPEB] // a single PEB: no PEB size
		for _, b := range [][]byte{nil, fill(0xff, 100), []byte("UBI#\x01"), one} {
			if _, err := Open(bytes.NewReader(b), int64(len(b)), Options{}); !errors.Is(err, ErrNotUBI) {
				t.Errorf("%q…: %v", b[:min(len(b), 8)], err)
			}
		}
	})
}
