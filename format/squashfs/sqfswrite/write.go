// Package sqfswrite writes small SquashFS 4.0 images: test fixtures and
// demo firmware. It favours simplicity over features: the whole image is
// built in memory, compression is zlib ("gzip") or none, there are no
// xattrs, no export table and no hard links (every Entry gets its own
// inode).
//
// The layout follows mksquashfs (data blocks, fragments, inode table,
// directory table, fragment table, id table), so the images are readable by
// unsquashfs and the Linux kernel as well as by package squashfs. Options
// to leave metadata or data uncompressed let tests patch fields in place to
// build hostile images.
package sqfswrite

import (
	"errors"
	"fmt"
	"io"
	"io/fs"
	"math/bits"
	"time"

	"github.com/doorman-sec/doorman/format/squashfs/internal/layout"
)

// Entry is one file to put in the image.
type Entry struct {
	// Path is slash-separated and relative ("etc/passwd"); a leading "/"
	// is ignored. Missing parent directories are created with mode 0755.
	Path string
	// Mode gives the type (regular file when no type bit is set,
	// fs.ModeDir, fs.ModeSymlink, fs.ModeDevice with or without
	// fs.ModeCharDevice, fs.ModeNamedPipe, fs.ModeSocket) and the
	// permission bits, including setuid, setgid and sticky (as
	// fs.ModeSetuid etc. or as Unix-style 0o4000, 0o2000, 0o1000).
	Mode fs.FileMode
	// Data is the content of a regular file.
	Data []byte
	// LinkTarget is the target of a symlink.
	LinkTarget string
	// UID and GID are the numeric owner and group.
	UID, GID uint32
	// ModTime is the modification time; zero means WriteOptions.ModTime.
	ModTime time.Time
	// Rdev is the device number of a device node, in SquashFS's Linux
	// encoding (major<<8 | minor for numbers below 256).
	Rdev uint32
}

// WriteOptions controls the image layout. The zero value writes zlib
// compressed blocks of 128 KiB with fragments.
type WriteOptions struct {
	// BlockSize is the data block size, a power of two from 4 KiB to
	// 1 MiB; 0 means 128 KiB.
	BlockSize int
	// UncompressedData stores data and fragment blocks uncompressed.
	UncompressedData bool
	// UncompressedMetadata stores inodes, directories and tables
	// uncompressed, so that tests can find and patch them.
	UncompressedMetadata bool
	// NoFragments stores each file's tail in a short last block instead of
	// packing tails into shared fragment blocks.
	NoFragments bool
	// ExtendedInodes writes every file and directory with the extended
	// inode types, which carry 64-bit sizes (tests patch them).
	ExtendedInodes bool
	// ModTime is the image time and the default time of entries; zero
	// means the Unix epoch, which keeps output reproducible.
	ModTime time.Time
}

// Write builds the image for files and writes it to w, padded to a
// multiple of 4 KiB as mksquashfs does (the superblock's bytes_used gives
// the unpadded length).
func Write(w io.Writer, files []Entry, opt WriteOptions) error {
	if opt.BlockSize == 0 {
		opt.BlockSize = 128 << 10
	}
	if bits.OnesCount(uint(opt.BlockSize)) != 1 ||
		opt.BlockSize < 1<<layout.MinBlockLog || opt.BlockSize > 1<<layout.MaxBlockLog {
		return fmt.Errorf("sqfswrite: block size %d is not a power of two from 4 KiB to 1 MiB", opt.BlockSize)
	}
	root, err := buildTree(files, opt)
	if err != nil {
		return err
	}
	img, err := newBuilder(opt).build(root)
	if err != nil {
		return err
	}
	_, err = w.Write(img)
	return err
}

// errTooLarge reports an image beyond this writer's simple limits.
var errTooLarge = errors.New("sqfswrite: image too large")
