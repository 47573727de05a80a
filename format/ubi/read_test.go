package ubi

import (
	"bytes"
	"testing"
)

// TestVolumes reassembles LEBs stored out of order, with a duplicate LEB
// (the higher sequence number wins) and a hole (reads as erased flash).
func TestVolumes(t *testing.T) {
	img := build(map[uint32]string{0: "kernel", 3: "rootfs"},
		peb{vol: 3, lnum: 1, sqnum: 10, data: fill('b', tLEB)},
		peb{vol: 0, lnum: 0, sqnum: 5, static: true, usedEBs: 1, dataSize: 100, data: fill('k', 100)},
		peb{vol: 3, lnum: 0, sqnum: 11, data: fill('a', tLEB)},
		peb{vol: 3, lnum: 1, sqnum: 20, data: fill('B', tLEB)}, // newer copy
		peb{vol: 3, lnum: 3, sqnum: 12, data: fill('d', tLEB)},
		peb{vol: -1},
	)
	got, im := volumes(t, img)
	if im.PEBSize() != tPEB || im.Length() != int64(len(img)) {
		t.Errorf("PEB size %d, length %d of %d", im.PEBSize(), im.Length(), len(img))
	}
	if k := got["kernel"]; !bytes.Equal(k, fill('k', 100)) {
		t.Errorf("kernel: %d bytes %q…", len(k), k[:min(len(k), 4)])
	}
	want := bytes.Join([][]byte{fill('a', tLEB), fill('B', tLEB), fill(0xff, tLEB), fill('d', tLEB)}, nil)
	if !bytes.Equal(got["rootfs"], want) {
		t.Errorf("rootfs: %d bytes, want %d", len(got["rootfs"]), len(want))
	}
	if len(got) != 2 || len(im.Warnings()) != 0 {
		t.Errorf("volumes %d, warnings %v", len(got), im.Warnings())
	}
	// Reads across LEB boundaries at odd offsets.
	v := im.Volumes()[1]
	b := make([]byte, 10)
	if n, err := v.ReadAt(b, tLEB-5); n != 10 || err != nil || string(b) != "aaaaaBBBBB" {
		t.Errorf("ReadAt across LEBs: %d %v %q", n, err, b)
	}
}

// TestUnfinishedCopy keeps the older LEB when the newer one is a copy
// whose data CRC fails (power cut during wear-levelling).
func TestUnfinishedCopy(t *testing.T) {
	good := fill('g', tLEB)
	img := build(map[uint32]string{0: "data"},
		peb{vol: 0, lnum: 0, sqnum: 1, data: good},
		peb{vol: 0, lnum: 0, sqnum: 2, copyFlag: true, dataSize: tLEB, dataCRC: CRC(good), data: fill('x', tLEB)},
	)
	got, im := volumes(t, img)
	if !bytes.Equal(got["data"], good) || len(im.Warnings()) != 1 {
		t.Errorf("data %q…, warnings %v", got["data"][:4], im.Warnings())
	}
	// A finished copy wins.
	img = build(map[uint32]string{0: "data"},
		peb{vol: 0, lnum: 0, sqnum: 1, data: fill('o', tLEB)},
		peb{vol: 0, lnum: 0, sqnum: 2, copyFlag: true, dataSize: tLEB, dataCRC: CRC(good), data: good},
	)
	if got, _ := volumes(t, img); !bytes.Equal(got["data"], good) {
		t.Errorf("finished copy not used: %q…", got["data"][:4])
	}
}
