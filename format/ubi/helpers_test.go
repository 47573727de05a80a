package ubi

import (
	"bytes"
	"io"
	"os"
	"os/exec"
	"testing"
)

// needTool skips when an external tool is missing, except in CI, where
// the tool is installed (.ci/run) and a skip would hide a lost test.
func needTool(t testing.TB, name string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s not installed (CI installs mtd-utils)", name)
		}
		t.Skipf("%s not installed (apt-get install mtd-utils)", name)
	}
	return p
}

// Geometry of the hand-made images: small PEBs keep tests fast.
const (
	tPEB     = 1024
	tVIDOff  = 64
	tDataOff = 128
	tLEB     = tPEB - tDataOff
)

// peb describes one hand-made eraseblock; vol < 0 makes a free PEB.
type peb struct {
	vol      int64
	lnum     uint32
	sqnum    uint64
	static   bool
	copyFlag bool
	usedEBs  uint32
	dataSize uint32
	dataCRC  uint32
	data     []byte
}

func ecHdr() []byte {
	b := make([]byte, hdrSize)
	be.PutUint32(b, ecMagic)
	b[4] = 1
	be.PutUint64(b[8:], 3)
	be.PutUint32(b[16:], tVIDOff)
	be.PutUint32(b[20:], tDataOff)
	be.PutUint32(b[60:], CRC(b[:60]))
	return b
}

func vidHdr(p peb) []byte {
	b := make([]byte, hdrSize)
	be.PutUint32(b, vidMagic)
	b[4], b[5] = 1, Dynamic
	if p.static {
		b[5] = Static
	}
	if p.copyFlag {
		b[6] = 1
	}
	be.PutUint32(b[8:], uint32(p.vol))
	be.PutUint32(b[12:], p.lnum)
	be.PutUint32(b[20:], p.dataSize)
	be.PutUint32(b[24:], p.usedEBs)
	be.PutUint32(b[32:], p.dataCRC)
	be.PutUint64(b[40:], p.sqnum)
	be.PutUint32(b[60:], CRC(b[:60]))
	return b
}

// vtbl builds a volume table naming volumes by ID.
func vtbl(names map[uint32]string) []byte {
	var b []byte
	for i := range uint32(tLEB / vtblRecordSize) {
		r := make([]byte, vtblRecordSize)
		if n, ok := names[i]; ok {
			be.PutUint32(r, 4)
			be.PutUint32(r[4:], 1)
			r[12] = Dynamic
			be.PutUint16(r[14:], uint16(len(n)))
			copy(r[16:], n)
		}
		be.PutUint32(r[168:], CRC(r[:168]))
		b = append(b, r...)
	}
	return b
}

// build lays out PEBs, the two layout-volume copies first.
func build(names map[uint32]string, pebs ...peb) []byte {
	t := vtbl(names)
	pebs = append([]peb{{vol: LayoutVolumeID, lnum: 0, data: t}, {vol: LayoutVolumeID, lnum: 1, data: t}}, pebs...)
	var out []byte
	for _, p := range pebs {
		b := bytes.Repeat([]byte{0xff}, tPEB)
		copy(b, ecHdr())
		if p.vol >= 0 {
			copy(b[tVIDOff:], vidHdr(p))
			copy(b[tDataOff:], p.data)
		}
		out = append(out, b...)
	}
	return out
}

// volumes opens data and reads every volume whole.
func volumes(t testing.TB, data []byte) (map[string][]byte, *Image) {
	t.Helper()
	im, err := Open(bytes.NewReader(data), int64(len(data)), Options{})
	if err != nil {
		t.Fatalf("Open: %v", err)
	}
	out := map[string][]byte{}
	for _, v := range im.Volumes() {
		b, err := io.ReadAll(v.Reader())
		if err != nil {
			t.Fatalf("%s: %v", v.Name, err)
		}
		out[v.Name] = b
	}
	return out, im
}

// fill returns n bytes of a repeated letter.
func fill(c byte, n int) []byte { return bytes.Repeat([]byte{c}, n) }
