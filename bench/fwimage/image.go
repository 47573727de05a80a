package main

import (
	"encoding/binary"
	"fmt"
	"hash/crc32"

	"github.com/doorman-sec/doorman/internal/fixture"
)

// U-Boot image types (include/image.h).
const (
	typeKernel  = 2
	typeRamdisk = 3
)

// build lays out the flash image: the kernel uImage at 0, the root file
// system at an odd offset past it, 0xFF (erased flash) everywhere else. It
// returns the image and a one-line description of the layout.
func build(files []fixture.File, arch byte, initramfs bool, size int64) ([]byte, string) {
	kernel := uimage("Linux-5.10.201", fixture.Gzip(kernelFiller(3<<20)), arch, typeKernel)

	var root []byte
	kind := "squashfs"
	if initramfs {
		root = uimage("initramfs", fixture.Gzip(fixture.CpioNewc(files)), arch, typeRamdisk)
		kind = "uImage ramdisk (gzip'd newc cpio)"
	} else {
		root = fixture.Squashfs(files)
	}
	// The root partition starts on the next 64 KiB boundary after the
	// kernel and one more erase block; 0x13 past it makes the offset odd,
	// so nothing finds it by looking at aligned offsets only.
	rootOff := (int64(len(kernel))+0x1ffff)&^0xffff | 0x13
	if rootOff+int64(len(root)) > size {
		fatalf("a %d-byte image cannot hold the %d-byte kernel and the %d-byte root file system at %#x: use a larger -size", size, len(kernel), len(root), rootOff)
	}
	img := make([]byte, size)
	for i := range img {
		img[i] = 0xff
	}
	copy(img, kernel)
	copy(img[rootOff:], root)
	return img, fmt.Sprintf("kernel uImage at 0 (%d bytes), %s at %#x (%d bytes), 0xFF padding to %d",
		len(kernel), kind, rootOff, len(root), size)
}

// uimage is fixture.UImage (gzip payload) with U-Boot's architecture and
// image type set, and the header CRC recomputed over them.
func uimage(name string, payload []byte, arch, typ byte) []byte {
	b := fixture.UImage(name, payload, 1)
	b[29], b[30] = arch, typ
	binary.BigEndian.PutUint32(b[4:8], 0)
	binary.BigEndian.PutUint32(b[4:8], crc32.ChecksumIEEE(b[:64]))
	return b
}

// kernelFiller stands in for a kernel image: a Linux version banner and
// command line (what strings(1) shows in a real one) and n bytes of
// deterministic 4-bit noise, so it gzips about 2:1 as kernels do and
// nothing in it means anything.
func kernelFiller(n int) []byte {
	banner := "Linux version 5.10.201 (builder@build.example.com) (mipsel-openwrt-linux-musl-gcc (OpenWrt GCC 12.3.0) 12.3.0, GNU ld (GNU Binutils) 2.40.0) #0 Mon Jan 1 00:00:00 2024\n\x00" +
		"console=ttyS0,115200 rootfstype=squashfs,jffs2\x00"
	b := make([]byte, n)
	copy(b, banner)
	x := uint32(0x5eed1)
	for i := len(banner); i < n; i++ {
		x ^= x << 13
		x ^= x >> 17
		x ^= x << 5
		b[i] = 0x40 | byte(x)&0x0f
	}
	return b
}
