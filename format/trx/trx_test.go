package trx

import (
	"bytes"
	"encoding/binary"
	"hash/crc32"
	"testing"
)

// Build makes a TRX image of version 1 (3 offsets) or 2 (4) around parts,
// each aligned to 4 bytes, with the CRC trx.c writes.
func build(version int, parts ...[]byte) []byte {
	n := 3
	if version == 2 {
		n = 4
	}
	hdr := 16 + 4*n
	img := make([]byte, hdr)
	copy(img, Magic)
	binary.LittleEndian.PutUint32(img[12:], uint32(version)<<16)
	for i, p := range parts {
		binary.LittleEndian.PutUint32(img[16+4*i:], uint32(len(img)))
		img = append(img, p...)
		for len(img)%4 != 0 {
			img = append(img, 0)
		}
	}
	binary.LittleEndian.PutUint32(img[4:], uint32(len(img)))
	binary.LittleEndian.PutUint32(img[8:], ^crc32.ChecksumIEEE(img[12:]))
	return img
}

func TestParse(t *testing.T) {
	kernel := bytes.Repeat([]byte("K"), 1001)
	rootfs := append([]byte("hsqs"), bytes.Repeat([]byte("R"), 500)...)
	for _, v := range []int{1, 2} {
		img := build(v, kernel, rootfs)
		h, err := Parse(img)
		if err != nil {
			t.Fatal(err)
		}
		parts := h.Partitions(int64(len(img)))
		if len(parts) != 2 || parts[0].Offset != int64(h.Size()) || parts[0].Size != 1004 || parts[1].Size != 504 {
			t.Fatalf("v%d partitions %+v", v, parts)
		}
		if !bytes.HasPrefix(img[parts[1].Offset:], []byte("hsqs")) {
			t.Error("rootfs offset")
		}
		if ok, err := h.CheckCRC(bytes.NewReader(img)); !ok || err != nil {
			t.Errorf("v%d CRC: %v %v", v, ok, err)
		}
		img[len(img)-10] ^= 1
		if ok, _ := h.CheckCRC(bytes.NewReader(img)); ok {
			t.Error("CRC passes a changed image")
		}
		if _, err := h.CheckCRC(bytes.NewReader(img[:len(img)-1])); err == nil {
			t.Error("CRC of a truncated image")
		}
	}
}

// TestNearMisses: "HDR0" in text, offsets out of order or past the
// length, an unknown version.
func TestNearMisses(t *testing.T) {
	good := build(1, []byte("kernel"), []byte("rootfs"))
	for name, mod := range map[string]func([]byte){
		"version 3":   func(b []byte) { b[14] = 3 },
		"offset past": func(b []byte) { binary.LittleEndian.PutUint32(b[20:], 1<<20) },
		"backwards":   func(b []byte) { binary.LittleEndian.PutUint32(b[20:], 28) },
		"in header":   func(b []byte) { binary.LittleEndian.PutUint32(b[16:], 8) },
		"no parts":    func(b []byte) { clear(b[16:28]) },
		"tiny len":    func(b []byte) { binary.LittleEndian.PutUint32(b[4:], 20) },
	} {
		b := append([]byte(nil), good...)
		mod(b)
		if _, err := Parse(b); err == nil {
			t.Errorf("%s: parsed", name)
		}
	}
	if _, err := Parse([]byte("HDR0 is a string in a binary, not a header")); err == nil {
		t.Error("text parsed")
	}
}

func FuzzParse(f *testing.F) {
	f.Add(build(1, []byte("kernel"), []byte("rootfs")))
	f.Add(build(2, []byte("loader"), []byte("kernel"), []byte("rootfs")))
	f.Fuzz(func(t *testing.T, b []byte) {
		h, err := Parse(b)
		if err != nil {
			return
		}
		var total int64
		for _, p := range h.Partitions(int64(len(b))) {
			if p.Offset < int64(h.Size()) || p.Size <= 0 || p.Offset+p.Size > int64(len(b)) {
				t.Fatalf("partition %+v of %d bytes", p, len(b))
			}
			total += p.Size
		}
		if total > int64(len(b)) {
			t.Fatalf("partitions overlap: %d of %d bytes", total, len(b))
		}
		_, _ = h.CheckCRC(bytes.NewReader(b))
	})
}
