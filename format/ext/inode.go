package ext

import (
	"encoding/binary"
	"github.com/doorman-sec/doorman/format/unixmode"
	"io/fs"
	"time"
)

// Layout of struct ext4_inode (fs/ext4/ext4.h).
const (
	inodeBlockOffset = 0x28 // i_block[15]: block map, extent root, inline data or symlink
	inodeBlockLen    = 60

	flagIndex      = 0x1000     // EXT4_INDEX_FL: htree directory
	flagExtents    = 0x80000    // EXT4_EXTENTS_FL
	flagInlineData = 0x10000000 // EXT4_INLINE_DATA_FL
	flagEncrypt    = 0x800      // EXT4_ENCRYPT_FL
	flagCompressed = 0x4        // EXT2_COMPR_FL (never merged upstream)

	typeMask   = 0xF000
	typeFifo   = 0x1000
	typeChar   = 0x2000
	typeDir    = 0x4000
	typeBlock  = 0x6000
	typeReg    = 0x8000
	typeLink   = 0xA000
	typeSocket = 0xC000
)

// inode holds the fields of an inode the reader uses.
type inode struct {
	number   uint32
	mode     uint16
	uid, gid uint32
	size     uint64
	mtime    uint32
	blocks   uint64 // i_blocks: 512-byte sectors allocated (incl. xattr block)
	flags    uint32
	fileACL  uint64 // external xattr block, counted in blocks
	block    [inodeBlockLen]byte
	extra    []byte // the inode bytes after the 128-byte base (in-inode xattrs)
}

func parseInode(ino uint32, b []byte) *inode {
	le := binary.LittleEndian
	in := &inode{
		number:  ino,
		mode:    le.Uint16(b[0x0:]),
		uid:     uint32(le.Uint16(b[0x2:])) | uint32(le.Uint16(b[0x78:]))<<16,
		gid:     uint32(le.Uint16(b[0x18:])) | uint32(le.Uint16(b[0x7A:]))<<16,
		size:    uint64(le.Uint32(b[0x4:])),
		mtime:   le.Uint32(b[0x10:]),
		blocks:  uint64(le.Uint32(b[0x1C:])) | uint64(le.Uint16(b[0x74:]))<<32,
		flags:   le.Uint32(b[0x20:]),
		fileACL: uint64(le.Uint32(b[0x68:])) | uint64(le.Uint16(b[0x76:]))<<32,
	}
	// i_size_high is the high half of the size of regular files (and of
	// directories with largedir); rev-0 images used it as i_dir_acl for
	// directories, so it is ignored there.
	if in.typ() == typeReg {
		in.size |= uint64(le.Uint32(b[0x6C:])) << 32
	}
	copy(in.block[:], b[inodeBlockOffset:])
	if len(b) > 128 {
		in.extra = b[128:]
	}
	return in
}

func (in *inode) typ() uint16 { return in.mode & typeMask }

// fileMode converts the ext mode to an fs.FileMode.
func (in *inode) fileMode() fs.FileMode { return unixmode.FileMode(uint32(in.mode)) }

// rdev returns a device's number in the Linux "new" encoding:
// major = (rdev >> 8) & 0xfff, minor = (rdev & 0xff) | ((rdev >> 12) & 0xfff00).
// ext keeps old 16-bit numbers in i_block[0] and new ones in i_block[1].
func (in *inode) rdev() uint32 {
	le := binary.LittleEndian
	if old := le.Uint32(in.block[0:]); old != 0 {
		return (old>>8&0xff)<<8 | old&0xff
	}
	return le.Uint32(in.block[4:])
}

func (in *inode) modTime() time.Time { return time.Unix(int64(in.mtime), 0).UTC() }

// dataBlocks returns the 512-byte sectors of data, without the external
// xattr block.
func (in *inode) dataBlocks(blockSize int64) uint64 {
	b := in.blocks
	if in.fileACL != 0 {
		b -= min(b, uint64(blockSize/512))
	}
	return b
}
