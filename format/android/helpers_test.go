package android

import (
	"bytes"
	"os"
	"os/exec"
	"testing"
)

// needTool skips when an external tool is missing, except in CI, where
// the tool is installed (.ci/run) and a skip would hide a lost test.
func needTool(t testing.TB, name, pkg string) string {
	t.Helper()
	p, err := exec.LookPath(name)
	if err != nil {
		if os.Getenv("CI") == "true" {
			t.Fatalf("%s not installed (CI installs %s)", name, pkg)
		}
		t.Skipf("%s not installed (apt-get install %s)", name, pkg)
	}
	return p
}

// schunk is a chunk for the hand-made sparse images.
type schunk struct {
	typ    uint16
	blocks uint32
	data   []byte // raw: the blocks; fill and crc: 4 bytes
}

// sparse builds a sparse image of total blocks of bs bytes.
func sparse(bs, total uint32, chunks ...schunk) []byte {
	var b bytes.Buffer
	h := make([]byte, sparseHdrSize)
	le.PutUint32(h, SparseMagic)
	le.PutUint16(h[4:], 1)
	le.PutUint16(h[8:], sparseHdrSize)
	le.PutUint16(h[10:], chunkHdrSize)
	le.PutUint32(h[12:], bs)
	le.PutUint32(h[16:], total)
	le.PutUint32(h[20:], uint32(len(chunks)))
	b.Write(h)
	for _, c := range chunks {
		ch := make([]byte, chunkHdrSize)
		le.PutUint16(ch, c.typ)
		le.PutUint32(ch[4:], c.blocks)
		le.PutUint32(ch[8:], uint32(chunkHdrSize+len(c.data)))
		b.Write(ch)
		b.Write(c.data)
	}
	return b.Bytes()
}

// boot builds a boot image header of version v (0-4) with its sections;
// sections a version lacks are ignored.
func boot(v uint32, page int, kernel, ramdisk, second, dtb []byte) []byte {
	h := make([]byte, page)
	copy(h, BootMagic)
	le.PutUint32(h[40:], v)
	pad := func(b []byte) []byte {
		return append(b, make([]byte, (page-len(b)%page)%page)...)
	}
	out := []byte(nil)
	if v >= 3 {
		le.PutUint32(h[8:], uint32(len(kernel)))
		le.PutUint32(h[12:], uint32(len(ramdisk)))
		le.PutUint32(h[20:], 1580+4*boolInt(v == 4))
		copy(h[44:], "console=ttyS0")
		if v == 4 {
			le.PutUint32(h[1580:], uint32(len(second))) // the signature
		}
		out = append(pad(h), pad(append([]byte(nil), kernel...))...)
		out = append(out, pad(append([]byte(nil), ramdisk...))...)
		if v == 4 {
			out = append(out, pad(append([]byte(nil), second...))...)
		}
		return out
	}
	le.PutUint32(h[8:], uint32(len(kernel)))
	le.PutUint32(h[16:], uint32(len(ramdisk)))
	le.PutUint32(h[24:], uint32(len(second)))
	le.PutUint32(h[36:], uint32(page))
	copy(h[48:], "board")
	copy(h[64:], "console=ttyS0")
	if v == 2 {
		le.PutUint32(h[1648:], uint32(len(dtb)))
	}
	out = pad(h)
	for _, s := range [][]byte{kernel, ramdisk, second} {
		if len(s) > 0 {
			out = append(out, pad(append([]byte(nil), s...))...)
		}
	}
	if v == 2 && len(dtb) > 0 {
		out = append(out, pad(append([]byte(nil), dtb...))...)
	}
	return out
}

func boolInt(b bool) uint32 {
	if b {
		return 1
	}
	return 0
}

func fill(c byte, n int) []byte { return bytes.Repeat([]byte{c}, n) }
