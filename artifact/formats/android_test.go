package formats_test

import (
	"bytes"
	"encoding/binary"
	"strings"
	"testing"

	"github.com/doorman-sec/doorman/internal/fixture"
)

// bootV2 builds a version 2 Android boot image (2 KiB pages) in the
// layout of AOSP's mkbootimg (format/android's tests check it against
// mkbootimg itself).
func bootV2(kernel, ramdisk, dtb []byte) []byte {
	const page = 2048
	le := binary.LittleEndian
	h := make([]byte, page)
	copy(h, "ANDROID!")
	le.PutUint32(h[8:], uint32(len(kernel)))
	le.PutUint32(h[16:], uint32(len(ramdisk)))
	le.PutUint32(h[36:], page)
	le.PutUint32(h[40:], 2)
	le.PutUint32(h[1648:], uint32(len(dtb)))
	out := h
	for _, s := range [][]byte{kernel, ramdisk, dtb} {
		out = append(out, s...)
		out = append(out, make([]byte, (page-len(s)%page)%page)...)
	}
	return out
}

// sparseOf builds an Android sparse image (4 KiB blocks) of raw: zero
// blocks become don't-care chunks, the rest raw chunks, as img2simg does.
func sparseOf(raw []byte) []byte {
	const bs = 4096
	le := binary.LittleEndian
	raw = append(raw, make([]byte, (bs-len(raw)%bs)%bs)...)
	var chunks [][]byte
	zero := make([]byte, bs)
	for off := 0; off < len(raw); off += bs {
		c := make([]byte, 12)
		blk := raw[off : off+bs]
		if bytes.Equal(blk, zero) {
			le.PutUint16(c, 0xcac3)
			le.PutUint32(c[4:], 1)
			le.PutUint32(c[8:], 12)
		} else {
			le.PutUint16(c, 0xcac1)
			le.PutUint32(c[4:], 1)
			le.PutUint32(c[8:], 12+bs)
			c = append(c, blk...)
		}
		chunks = append(chunks, c)
	}
	h := make([]byte, 28)
	le.PutUint32(h, 0xed26ff3a)
	le.PutUint16(h[4:], 1)
	le.PutUint16(h[8:], 28)
	le.PutUint16(h[10:], 12)
	le.PutUint32(h[12:], bs)
	le.PutUint32(h[16:], uint32(len(raw)/bs+2)) // two trailing blocks no chunk covers
	le.PutUint32(h[20:], uint32(len(chunks)))
	return append(h, bytes.Join(chunks, nil)...)
}

// TestAndroidCarved finds a boot image and a sparse image at odd offsets
// of a raw eMMC dump, opens the boot image's gzip-compressed cpio
// ramdisk and the squashfs inside the expanded sparse image.
func TestAndroidCarved(t *testing.T) {
	ramdisk := fixture.Gzip(fixture.CpioNewc([]fixture.File{
		{Path: "init.rc", Data: []byte("on boot\n    start adbd\n")},
	}))
	bootImg := bootV2(bytes.Repeat([]byte("KERNEL"), 1000), ramdisk, []byte("\xd0\x0d\xfe\xed dtb"))
	sq := fixture.Squashfs([]fixture.File{{Path: "etc/passwd", Data: []byte("root:x:0:0:root:/root:/bin/sh\n")}})
	sys := sparseOf(append(sq, make([]byte, 3*4096)...))
	blob := fixture.Blob(1<<20, 17, fixture.Part{Offset: 0x1001, Data: bootImg}, fixture.Part{Offset: 0x40003, Data: sys})
	got, errs := walkBlob(t, blob)
	boot := "blob.bin!/android-boot@0x1001"
	if g := got[boot]; g.Kind != "android-boot" {
		t.Fatalf("%s: kind %q (have %v)", boot, g.Kind, walkedPaths(got))
	}
	if g := got[boot+"!/kernel"]; !strings.HasPrefix(g.Data, "KERNELKERNEL") {
		t.Errorf("kernel: %.20q", g.Data)
	}
	var initrc string
	for p, g := range got {
		if strings.HasPrefix(p, boot+"!/ramdisk!/") && strings.HasSuffix(p, "init.rc") {
			initrc = g.Data
		}
	}
	if !strings.Contains(initrc, "start adbd") {
		t.Errorf("ramdisk init.rc not reached: %v", walkedPaths(got))
	}
	sp := "blob.bin!/android-sparse@0x40003"
	if g := got[sp]; g.Kind != "android-sparse" {
		t.Fatalf("%s: kind %q", sp, g.Kind)
	}
	if g := got[sp+"!/expanded.img"]; g.Kind != "squashfs" || len(g.Data) != len(sq)+5*4096-len(sq)%4096 {
		t.Errorf("expanded image: kind %q, %d bytes", g.Kind, len(g.Data))
	}
	if g := got[sp+"!/expanded.img!/etc/passwd"]; !strings.HasPrefix(g.Data, "root:x:0:0") {
		t.Errorf("etc/passwd in the sparse image: %+v", g)
	}
	if len(errs) > 0 {
		t.Errorf("errors: %v", errs)
	}
}
