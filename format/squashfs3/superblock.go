package squashfs3

import "encoding/binary"

// Magic numbers as the first four bytes read. The LZMA forks' "shsq"
// magic marks images whose blocks are LZMA; blocks are recognised one by
// one anyway.
const (
	magicLE     = "hsqs"
	magicBE     = "sqsh"
	magicLZMALE = "shsq"
	magicLZMABE = "qshs"
)

// SuperblockSize is the size of the 3.x superblock (952 bits).
const SuperblockSize = 119

// Limits on block sizes: 3.0 wrote up to 64 KiB blocks, 3.1 and later up
// to 1 MiB.
const (
	minBlockLog = 12
	maxBlockLog = 20
	// metadataSize is the uncompressed size of a full metadata block.
	metadataSize = 8192
	// guidSameAsUID in an inode's guid index means "the gid is the uid".
	guidSameAsUID = 255
	// invalidFrag in a file inode means the file has no fragment.
	invalidFrag = 0xffffffff
	// flagCheck (SQUASHFS_CHECK) puts a marker byte after every metadata
	// block header.
	flagCheck = 1 << 2
)

// superblock is the decoded, checked 3.x superblock.
type superblock struct {
	be              bool
	minor           uint16
	inodes          uint32
	blockSize       uint32
	blockLog        uint16
	flags           uint8
	noUIDs, noGUIDs uint8
	mkfsTime        uint32
	rootInode       uint64
	fragments       uint32
	bytesUsed       uint64
	uidStart        uint64
	guidStart       uint64
	inodeTable      uint64
	dirTable        uint64
	fragmentTable   uint64
	lookupTable     uint64
}

// byteOrder returns whether b starts with a SquashFS magic and in which
// byte order.
func byteOrder(b []byte) (be, ok bool) {
	if len(b) < 4 {
		return false, false
	}
	switch string(b[:4]) {
	case magicLE, magicLZMALE:
		return false, true
	case magicBE, magicLZMABE:
		return true, true
	}
	return false, false
}

// Sniff reports whether head (at least the first 119 bytes) starts a
// SquashFS 3.x superblock this package can open: magic in either byte
// order, major version 3, a sane block size and table layout. SquashFS
// 4.x images report false so that format/squashfs gets them.
func Sniff(head []byte) bool {
	_, err := parseSuperblock(head)
	return err == nil
}

// parseSuperblock decodes and checks the superblock in b. Field positions
// are the bit positions of SQUASHFS_SWAP_SUPER_BLOCK; all are whole bytes.
func parseSuperblock(b []byte) (*superblock, error) {
	be, ok := byteOrder(b)
	if !ok {
		return nil, ErrNotSquashfs
	}
	if len(b) < 32 {
		return nil, errorf(ErrTruncated, "superblock needs %d bytes, have %d", SuperblockSize, len(b))
	}
	r := bitReader{b: b, be: be}
	major, minor := r.u16(224), r.u16(240)
	if major != 3 || minor > 1 {
		return nil, errorf(ErrUnsupported, "version %d.%d (only 3.0 and 3.1 are read here)", major, minor)
	}
	if len(b) < SuperblockSize {
		return nil, errorf(ErrTruncated, "superblock needs %d bytes, have %d", SuperblockSize, len(b))
	}
	sb := &superblock{
		be:            be,
		minor:         minor,
		inodes:        r.u32(32),
		blockLog:      r.u16(272),
		flags:         r.u8(288),
		noUIDs:        r.u8(296),
		noGUIDs:       r.u8(304),
		mkfsTime:      r.u32(312),
		rootInode:     r.u64(344),
		blockSize:     r.u32(408),
		fragments:     r.u32(440),
		bytesUsed:     r.u64(504),
		uidStart:      r.u64(568),
		guidStart:     r.u64(632),
		inodeTable:    r.u64(696),
		dirTable:      r.u64(760),
		fragmentTable: r.u64(824),
		lookupTable:   r.u64(888),
	}
	if sb.blockLog < minBlockLog || sb.blockLog > maxBlockLog || sb.blockSize != 1<<sb.blockLog {
		return nil, errorf(ErrCorrupt, "block size %d with block log %d", sb.blockSize, sb.blockLog)
	}
	in := func(off uint64) bool { return off >= SuperblockSize && off < sb.bytesUsed }
	ids := uint64(sb.noUIDs) + uint64(sb.noGUIDs)
	switch {
	case sb.bytesUsed < SuperblockSize || sb.bytesUsed > 1<<40:
		return nil, errorf(ErrCorrupt, "bytes_used %d", sb.bytesUsed)
	case !in(sb.inodeTable) || !in(sb.dirTable) || sb.inodeTable >= sb.dirTable:
		return nil, errorf(ErrCorrupt, "inode table at %d, directory table at %d, image end %d", sb.inodeTable, sb.dirTable, sb.bytesUsed)
	case sb.noUIDs == 0 || !in(sb.uidStart) || sb.uidStart+4*ids > sb.bytesUsed:
		return nil, errorf(ErrCorrupt, "uid table of %d entries at %d (image end %d)", ids, sb.uidStart, sb.bytesUsed)
	case sb.fragments > 0 && !in(sb.fragmentTable):
		return nil, errorf(ErrCorrupt, "fragment table at %d outside the image", sb.fragmentTable)
	}
	return sb, nil
}

// dirTableEnd is a position the directory table cannot extend past: the
// nearest table start after it, or the image end (loose but safe: the
// fragment table's metadata blocks precede its index).
func (sb *superblock) dirTableEnd() int64 {
	end := sb.bytesUsed
	for _, t := range []uint64{sb.uidStart, sb.lookupTable, sb.fragmentTable} {
		if t > sb.dirTable && t < end {
			end = t
		}
	}
	return int64(end)
}

func (sb *superblock) order() binary.ByteOrder {
	if sb.be {
		return binary.BigEndian
	}
	return binary.LittleEndian
}
