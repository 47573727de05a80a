package ext

import (
	"encoding/binary"
)

// Layout of the superblock, from the kernel's fs/ext4/ext4.h
// (struct ext4_super_block) and e2fsprogs' lib/ext2fs/ext2_fs.h.
const (
	superblockOffset = 1024 // from the start of the filesystem
	superblockSize   = 1024
	magicOffset      = superblockOffset + 0x38 // 1080
	magic            = 0xEF53

	// s_feature_compat
	compatSparseSuper2 = 0x200
	// s_feature_incompat
	incompatFiletype   = 0x2
	incompatJournalDev = 0x8
	incompatMetaBG     = 0x10
	incompatExtents    = 0x40
	incompat64Bit      = 0x80
	incompatInlineData = 0x8000
	// s_feature_ro_compat
	roCompatSparseSuper = 0x1
)

// superblock holds the fields of struct ext4_super_block the reader uses,
// checked for consistency.
type superblock struct {
	inodesCount    uint32
	blocksCount    uint64
	firstDataBlock uint32
	blockSize      int64
	blocksPerGroup uint32
	inodesPerGroup uint32
	revLevel       uint32
	inodeSize      int64
	groupNr        uint16 // s_block_group_nr: non-zero in a backup copy
	compat         uint32
	incompat       uint32
	roCompat       uint32
	descSize       int64
	firstMetaBG    uint32
	backupBGs      [2]uint32
	groups         uint64
}

// parseSuperblock decodes and checks the 1024 bytes of a superblock.
func parseSuperblock(b []byte) (*superblock, error) {
	if len(b) < superblockSize {
		return nil, errorf(ErrNotExt, "superblock is %d bytes", len(b))
	}
	le := binary.LittleEndian
	if le.Uint16(b[0x38:]) != magic {
		return nil, errorf(ErrNotExt, "no magic 0xEF53")
	}
	sb := &superblock{
		inodesCount:    le.Uint32(b[0x00:]),
		blocksCount:    uint64(le.Uint32(b[0x04:])),
		firstDataBlock: le.Uint32(b[0x14:]),
		blocksPerGroup: le.Uint32(b[0x20:]),
		inodesPerGroup: le.Uint32(b[0x28:]),
		revLevel:       le.Uint32(b[0x4C:]),
		inodeSize:      128,
		descSize:       32,
	}
	logBS := le.Uint32(b[0x18:])
	if logBS > 6 { // 1 KiB << 6 = 64 KiB, the largest block size
		return nil, errorf(ErrNotExt, "block size 1KiB << %d", logBS)
	}
	sb.blockSize = 1024 << logBS
	if sb.revLevel > 1 {
		return nil, errorf(ErrNotExt, "revision %d", sb.revLevel)
	}
	if sb.revLevel == 1 {
		sb.inodeSize = int64(le.Uint16(b[0x58:]))
		sb.groupNr = le.Uint16(b[0x5A:])
		sb.compat = le.Uint32(b[0x5C:])
		sb.incompat = le.Uint32(b[0x60:])
		sb.roCompat = le.Uint32(b[0x64:])
		sb.firstMetaBG = le.Uint32(b[0x104:])
		sb.backupBGs = [2]uint32{le.Uint32(b[0x24C:]), le.Uint32(b[0x250:])}
	}
	if sb.incompat&incompat64Bit != 0 {
		sb.blocksCount |= uint64(le.Uint32(b[0x150:])) << 32
		sb.descSize = int64(le.Uint16(b[0xFE:]))
		if sb.descSize < 64 || sb.descSize > 1024 || sb.descSize&(sb.descSize-1) != 0 {
			return nil, errorf(ErrNotExt, "group descriptor size %d", sb.descSize)
		}
	}
	switch {
	case sb.inodeSize < 128 || sb.inodeSize > sb.blockSize || sb.inodeSize&(sb.inodeSize-1) != 0:
		return nil, errorf(ErrNotExt, "inode size %d", sb.inodeSize)
	case sb.blocksCount == 0 || sb.blocksCount > (1<<62)/uint64(sb.blockSize): // offsets fit an int64

		return nil, errorf(ErrNotExt, "%d blocks", sb.blocksCount)
	case sb.blocksPerGroup == 0 || int64(sb.blocksPerGroup) > 8*sb.blockSize:
		return nil, errorf(ErrNotExt, "%d blocks per group", sb.blocksPerGroup)
	case sb.inodesPerGroup == 0 || int64(sb.inodesPerGroup) > 8*sb.blockSize:
		return nil, errorf(ErrNotExt, "%d inodes per group", sb.inodesPerGroup)
	case sb.inodesCount < 11: // inodes 1-10 are reserved
		return nil, errorf(ErrNotExt, "%d inodes", sb.inodesCount)
	case sb.firstDataBlock != 0 && !(sb.blockSize == 1024 && sb.firstDataBlock == 1):
		return nil, errorf(ErrNotExt, "first data block %d with %d-byte blocks", sb.firstDataBlock, sb.blockSize)
	case uint64(sb.firstDataBlock) >= sb.blocksCount:
		return nil, errorf(ErrNotExt, "first data block %d of %d", sb.firstDataBlock, sb.blocksCount)
	}
	sb.groups = (sb.blocksCount - uint64(sb.firstDataBlock) + uint64(sb.blocksPerGroup) - 1) / uint64(sb.blocksPerGroup)
	if uint64(sb.inodesCount) > sb.groups*uint64(sb.inodesPerGroup) {
		return nil, errorf(ErrNotExt, "%d inodes do not fit %d groups of %d", sb.inodesCount, sb.groups, sb.inodesPerGroup)
	}
	return sb, nil
}

// length is the filesystem's size in bytes.
func (sb *superblock) length() int64 {
	return int64(sb.blocksCount) * sb.blockSize
}

// hasSuper reports whether block group g starts with a superblock copy
// (and, without meta_bg, a copy of the group descriptors).
func (sb *superblock) hasSuper(g uint64) bool {
	switch {
	case g == 0:
		return true
	case sb.compat&compatSparseSuper2 != 0:
		return g == uint64(sb.backupBGs[0]) || g == uint64(sb.backupBGs[1])
	case sb.roCompat&roCompatSparseSuper == 0:
		return true
	case g == 1:
		return true
	}
	for _, p := range []uint64{3, 5, 7} {
		n := p
		for n < g {
			n *= p
		}
		if n == g {
			return true
		}
	}
	return false
}

// descOffset returns the byte offset of group g's descriptor.
func (sb *superblock) descOffset(g uint64) int64 {
	perBlock := uint64(sb.blockSize / sb.descSize)
	if sb.incompat&incompatMetaBG != 0 && g/perBlock >= uint64(sb.firstMetaBG) {
		// meta_bg: each run of perBlock groups keeps its descriptor
		// block in its first group, after any superblock copy.
		first := g / perBlock * perBlock
		block := uint64(sb.firstDataBlock) + first*uint64(sb.blocksPerGroup)
		if sb.hasSuper(first) {
			block++
		}
		return int64(block)*sb.blockSize + int64(g%perBlock)*sb.descSize
	}
	return (int64(sb.firstDataBlock)+1)*sb.blockSize + int64(g)*sb.descSize
}
