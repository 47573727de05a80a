package cramfs

import (
	"encoding/binary"
	"errors"
	"fmt"
	"github.com/doorman-sec/doorman/format/unixmode"
	"hash/crc32"
	"io"
)

// Sentinel errors; every error for a bad image wraps one of them.
var (
	ErrNotCramfs   = errors.New("cramfs: not a cramfs image")
	ErrCorrupt     = errors.New("cramfs: image corrupt")
	ErrUnsupported = errors.New("cramfs: unsupported")
	ErrLimit       = errors.New("cramfs: limit exceeded")
)

func errorf(sentinel error, format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{sentinel}, args...)...)
}

const (
	magic     = 0x28cd3d45
	signature = "Compressed ROMFS"
	sbSize    = 76 // struct cramfs_super
	inodeSize = 12 // struct cramfs_inode
	// padSize is mkcramfs -p's room for a boot loader before the
	// superblock; offsets in such images count from the pad.
	padSize = 512

	flagFSIDv2      = 0x1
	flagHoles       = 0x100
	flagShiftedRoot = 0x400
	flagExtBlocks   = 0x800
	// Extended block pointer bits (flagExtBlocks).
	blkUncompressed = 1 << 31
	blkDirect       = 1 << 30

	// MaxBlock is the largest block the reader unpacks: 64 KiB pages
	// are the largest any architecture has.
	MaxBlock = 64 << 10
)

// Sniff reports whether b starts with a cramfs superblock in either byte
// order.
func Sniff(b []byte) bool { return order(b) != nil }

func order(b []byte) binary.ByteOrder {
	if len(b) < 32 || string(b[16:32]) != signature {
		return nil
	}
	switch {
	case binary.LittleEndian.Uint32(b) == magic:
		return binary.LittleEndian
	case binary.BigEndian.Uint32(b) == magic:
		return binary.BigEndian
	}
	return nil
}

// Options bound the work done on one image. Zero values take defaults.
type Options struct {
	// MaxFiles bounds the entries Walk reports (default 1 Mi).
	MaxFiles int
}

// Image is an opened cramfs image. It is safe for concurrent use; readers
// from Open are not.
type Image struct {
	r      io.ReaderAt
	size   int64 // bytes of r
	bo     binary.ByteOrder
	shift  int64 // subtracted from image offsets: padSize when r starts at a padded image's superblock
	length int64
	flags  uint32
	crc    uint32
	root   inode
	bs     int64 // block size
	opt    Options
	Name   string // the volume name
}

// inode is a decoded struct cramfs_inode.
type inode struct {
	mode     uint16
	uid      uint16
	size     uint32 // 24 bits; a device's rdev
	gid      uint8
	namelen  int    // bytes
	offset   uint32 // bytes
	entryOff int64  // where the inode itself is (directory loop checks)
}

// decode reads a cramfs_inode; its bitfields are packed from the low bits
// on little-endian images and from the high bits on big-endian ones.
func decode(b []byte, bo binary.ByteOrder) inode {
	w0, w1, w2 := bo.Uint32(b), bo.Uint32(b[4:]), bo.Uint32(b[8:])
	if bo == binary.ByteOrder(binary.LittleEndian) {
		return inode{mode: uint16(w0), uid: uint16(w0 >> 16), size: w1 & 0xffffff, gid: uint8(w1 >> 24),
			namelen: int(w2&0x3f) * 4, offset: (w2 >> 6) * 4}
	}
	return inode{mode: uint16(w0 >> 16), uid: uint16(w0), size: w1 >> 8, gid: uint8(w1),
		namelen: int(w2>>26) * 4, offset: (w2 & 0x3ffffff) * 4}
}

// Open reads the superblock at the start of r (size bytes).
func Open(r io.ReaderAt, size int64, opt Options) (*Image, error) {
	var sb [sbSize]byte
	if n, _ := r.ReadAt(sb[:], 0); n < sbSize {
		return nil, ErrNotCramfs
	}
	bo := order(sb[:])
	if bo == nil {
		return nil, ErrNotCramfs
	}
	if opt.MaxFiles <= 0 {
		opt.MaxFiles = 1 << 20
	}
	im := &Image{r: r, size: size, bo: bo, opt: opt,
		length: int64(bo.Uint32(sb[4:])),
		flags:  bo.Uint32(sb[8:]),
		crc:    bo.Uint32(sb[32:]),
		root:   decode(sb[64:], bo),
		Name:   cstring(sb[48:64]),
	}
	if im.flags&^0xfff != 0 {
		return nil, errorf(ErrUnsupported, "flags 0x%x", im.flags)
	}
	// The root directory follows the superblock unless the image says it
	// moved it; one that starts past the pad means r starts at a padded
	// image's superblock.
	if im.root.offset == padSize+sbSize && im.flags&flagShiftedRoot == 0 {
		im.shift = padSize
		im.length -= padSize
	}
	if im.length < sbSize {
		return nil, errorf(ErrCorrupt, "image size %d", im.length)
	}
	if uint32(im.root.mode)&unixmode.TypeMask != unixmode.Dir {
		return nil, errorf(ErrCorrupt, "root is not a directory (mode %o)", im.root.mode)
	}
	im.bs = 4096 // for the symlinks read while looking
	im.bs = im.blockSize()
	return im, nil
}

// Length returns the image size from the superblock (from the superblock
// on, for a padded image).
func (im *Image) Length() int64 { return im.length }

// ByteOrder returns the image's byte order.
func (im *Image) ByteOrder() binary.ByteOrder { return im.bo }

// BlockSize returns the block size found for the image.
func (im *Image) BlockSize() int64 { return im.bs }

// CheckCRC verifies the image CRC (version 2 images), reading the whole
// image. It returns false when the image has no CRC.
func (im *Image) CheckCRC() (ok bool, err error) {
	if im.flags&flagFSIDv2 == 0 {
		return false, nil
	}
	if im.length > im.size {
		return false, errorf(ErrCorrupt, "image of %d bytes truncated to %d", im.length, im.size)
	}
	h := crc32.NewIEEE()
	buf := make([]byte, 64<<10)
	for off := int64(0); off < im.length; {
		n, _ := im.r.ReadAt(buf[:min(int64(len(buf)), im.length-off)], off)
		if n == 0 {
			return false, errorf(ErrCorrupt, "read at 0x%x", off)
		}
		b := buf[:n]
		if off == 0 { // the CRC is computed with its own field zeroed
			b = append([]byte(nil), b...)
			clear(b[32:36])
		}
		h.Write(b)
		off += int64(n)
	}
	return h.Sum32() == im.crc, nil
}

// readAt reads len(p) bytes at image offset off, failing on short reads.
func (im *Image) readAt(p []byte, off int64) error {
	off -= im.shift
	if off < 0 || off+int64(len(p)) > im.size {
		return errorf(ErrCorrupt, "%d bytes at 0x%x outside the image", len(p), off+im.shift)
	}
	if n, _ := im.r.ReadAt(p, off); n < len(p) {
		return errorf(ErrCorrupt, "short read at 0x%x", off+im.shift)
	}
	return nil
}

func cstring(b []byte) string {
	for i, c := range b {
		if c == 0 {
			return string(b[:i])
		}
	}
	return string(b)
}
