package squashfs

import (
	"encoding/binary"
	"math/bits"

	"github.com/doorman-sec/doorman/format/squashfs/internal/layout"
)

// superblock is the decoded, validated version 4.0 superblock.
type superblock struct {
	inodeCount    uint32
	modTime       uint32
	blockSize     uint32
	fragmentCount uint32
	compression   uint16
	flags         uint16
	idCount       uint16
	rootInode     uint64
	bytesUsed     uint64
	idTable       uint64
	inodeTable    uint64
	dirTable      uint64
	fragmentTable uint64
}

// compressorNames maps compressor IDs to the names mksquashfs uses.
var compressorNames = map[uint16]string{
	layout.CompGzip: "gzip",
	layout.CompLZMA: "lzma",
	layout.CompLZO:  "lzo",
	layout.CompXZ:   "xz",
	layout.CompLZ4:  "lz4",
	layout.CompZstd: "zstd",
}

// Sniff reports whether head starts a SquashFS 4.0 superblock that this
// package can open. head must hold at least the first 96 bytes (the
// superblock); shorter input reports false. Besides the little-endian
// "hsqs" magic it checks the version, block size, compressor and table
// order, so random data that happens to start with "hsqs" is rejected.
// Big-endian images ("sqsh") report false since they are not SquashFS 4.0.
func Sniff(head []byte) bool {
	_, err := parseSuperblock(head)
	return err == nil
}

// parseSuperblock decodes and checks the superblock in b. It checks only
// what can be known from the superblock alone; Open checks it against the
// image size.
func parseSuperblock(b []byte) (*superblock, error) {
	if len(b) < 4 {
		return nil, errorf(ErrNotSquashfs, "%d bytes is too short for a superblock", len(b))
	}
	le := binary.LittleEndian
	switch le.Uint32(b[layout.OffMagic:]) {
	case layout.Magic:
	case layout.MagicSwapped:
		return nil, errorf(ErrUnsupported, "big-endian image (squashfs 3.x or older)")
	default:
		return nil, ErrNotSquashfs
	}
	if len(b) < layout.SuperblockSize {
		return nil, errorf(ErrTruncated, "superblock needs %d bytes, have %d", layout.SuperblockSize, len(b))
	}
	sb := &superblock{
		inodeCount:    le.Uint32(b[layout.OffInodeCount:]),
		modTime:       le.Uint32(b[layout.OffModTime:]),
		blockSize:     le.Uint32(b[layout.OffBlockSize:]),
		fragmentCount: le.Uint32(b[layout.OffFragmentCount:]),
		compression:   le.Uint16(b[layout.OffCompression:]),
		flags:         le.Uint16(b[layout.OffFlags:]),
		idCount:       le.Uint16(b[layout.OffIDCount:]),
		rootInode:     le.Uint64(b[layout.OffRootInode:]),
		bytesUsed:     le.Uint64(b[layout.OffBytesUsed:]),
		idTable:       le.Uint64(b[layout.OffIDTable:]),
		inodeTable:    le.Uint64(b[layout.OffInodeTable:]),
		dirTable:      le.Uint64(b[layout.OffDirectoryTable:]),
		fragmentTable: le.Uint64(b[layout.OffFragmentTable:]),
	}
	major, minor := le.Uint16(b[layout.OffVersionMajor:]), le.Uint16(b[layout.OffVersionMinor:])
	if major != layout.VersionMajor || minor != layout.VersionMinor {
		return nil, errorf(ErrUnsupported, "version %d.%d (only 4.0 is read)", major, minor)
	}
	if _, ok := compressorNames[sb.compression]; !ok {
		return nil, errorf(ErrUnsupported, "compressor id %d", sb.compression)
	}
	blockLog := le.Uint16(b[layout.OffBlockLog:])
	if bits.OnesCount32(sb.blockSize) != 1 || blockLog < layout.MinBlockLog || blockLog > layout.MaxBlockLog ||
		sb.blockSize != 1<<blockLog {
		return nil, errorf(ErrCorrupt, "block size %d with block log %d", sb.blockSize, blockLog)
	}
	// Every table lies between the superblock and bytes_used, and the
	// directory table follows the inode table (the kernel sizes the inode
	// table by their difference). Checking this here keeps later arithmetic
	// on table bounds from overflowing.
	inImage := func(off uint64) bool { return off >= layout.SuperblockSize && off < sb.bytesUsed }
	switch {
	case sb.bytesUsed < layout.SuperblockSize || sb.bytesUsed > 1<<62:
		return nil, errorf(ErrCorrupt, "bytes_used %d", sb.bytesUsed)
	case !inImage(sb.inodeTable) || !inImage(sb.dirTable) || sb.inodeTable >= sb.dirTable:
		return nil, errorf(ErrCorrupt, "inode table at %d, directory table at %d, image end %d",
			sb.inodeTable, sb.dirTable, sb.bytesUsed)
	case !inImage(sb.idTable):
		return nil, errorf(ErrCorrupt, "id table at %d outside the image (%d bytes)", sb.idTable, sb.bytesUsed)
	case sb.fragmentCount > 0 && !inImage(sb.fragmentTable):
		return nil, errorf(ErrCorrupt, "fragment table at %d outside the image (%d bytes)", sb.fragmentTable, sb.bytesUsed)
	case sb.idCount == 0:
		return nil, errorf(ErrCorrupt, "empty id table")
	}
	return sb, nil
}

// dirTableEnd returns a position the directory table cannot extend past:
// the nearest table start after it, or the image end. mksquashfs puts the
// lookup tables (fragments, ids) after the directory table, each with its
// metadata blocks before its index, so this is a loose but safe bound.
func (sb *superblock) dirTableEnd() int64 {
	end := sb.bytesUsed
	consider := func(table uint64) {
		if table > sb.dirTable && table < end {
			end = table
		}
	}
	consider(sb.idTable)
	if sb.fragmentCount > 0 {
		consider(sb.fragmentTable)
	}
	return int64(end)
}
