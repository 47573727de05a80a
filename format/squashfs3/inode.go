package squashfs3

import (
	"fmt"
	"io/fs"
)

// Inode types of SquashFS 3.x (squashfs_fs.h).
const (
	typeDir     = 1
	typeFile    = 2
	typeSymlink = 3
	typeBlkDev  = 4
	typeChrDev  = 5
	typeFifo    = 6
	typeSocket  = 7
	typeLDir    = 8
	typeLFile   = 9
)

// Sizes of the fixed part of each inode, in bytes, from the bit positions
// of squashfs_fs.h's SQUASHFS_SWAP_*_INODE_HEADER macros.
var inodeSize = map[uint8]int{
	typeDir:     28, // 224 bits
	typeFile:    32, // 256 bits, then 32-bit block sizes
	typeSymlink: 18, // 144 bits, then the target
	typeBlkDev:  18,
	typeChrDev:  18,
	typeFifo:    16,
	typeSocket:  16,
	typeLDir:    31, // 248 bits, then directory index entries
	typeLFile:   40, // 320 bits, then 32-bit block sizes
}

// maxSymlink bounds a symlink target (Linux PATH_MAX).
const maxSymlink = 4096

// inode is a decoded inode.
type inode struct {
	typ      uint8
	perm     uint16 // 12 mode bits: permissions, setuid, setgid, sticky
	uid, gid uint32
	mtime    uint32
	number   uint32
	nlink    uint32
	rdev     uint16

	// directories
	dirSize   uint32
	dirBlock  uint32 // relative to the directory table
	dirOffset uint16

	// files
	size       uint64
	startBlock uint64
	fragment   uint32
	fragOffset uint32
	blockList  struct { // where the block sizes start in the inode table
		pos int64
		off int
	}

	target string
}

func (in *inode) isDir() bool { return in.typ == typeDir || in.typ == typeLDir }

// listing identifies a directory's listing, for loop detection.
type listing struct {
	block  uint32
	offset uint16
}

func (in *inode) listing() listing { return listing{in.dirBlock, in.dirOffset} }

// mode returns the fs.FileMode for the inode.
func (in *inode) mode() fs.FileMode {
	m := fs.FileMode(in.perm & 0o777)
	if in.perm&0o4000 != 0 {
		m |= fs.ModeSetuid
	}
	if in.perm&0o2000 != 0 {
		m |= fs.ModeSetgid
	}
	if in.perm&0o1000 != 0 {
		m |= fs.ModeSticky
	}
	switch in.typ {
	case typeDir, typeLDir:
		m |= fs.ModeDir
	case typeSymlink:
		m |= fs.ModeSymlink
	case typeBlkDev:
		m |= fs.ModeDevice
	case typeChrDev:
		m |= fs.ModeDevice | fs.ModeCharDevice
	case typeFifo:
		m |= fs.ModeNamedPipe
	case typeSocket:
		m |= fs.ModeSocket
	}
	return m
}

// readInode decodes the inode at byte off of the inode table's metadata
// block at relative position block.
func (im *Image) readInode(block, off uint64) (*inode, error) {
	if block >= uint64(im.sb.dirTable-im.sb.inodeTable) || off >= metadataSize {
		return nil, errorf(ErrCorrupt, "inode reference %d:%d outside the inode table", block, off)
	}
	m, err := im.metaReaderAt(int64(im.sb.inodeTable+block), int64(im.sb.dirTable), int(off))
	if err != nil {
		return nil, err
	}
	var b [40]byte
	if err := m.read(b[:12]); err != nil {
		return nil, err
	}
	r := bitReader{b: b[:], be: im.sb.be}
	in := &inode{
		typ:    uint8(r.field(0, 4)),
		perm:   uint16(r.field(4, 12)),
		mtime:  r.u32(32),
		number: r.u32(64),
	}
	size, ok := inodeSize[in.typ]
	if !ok {
		return nil, errorf(ErrCorrupt, "inode %d:%d has type %d", block, off, in.typ)
	}
	if err := m.read(b[12:size]); err != nil {
		return nil, err
	}
	uid, guid := r.u8(16), r.u8(24)
	if int(uid) >= len(im.uids) {
		return nil, errorf(ErrCorrupt, "uid index %d of %d", uid, len(im.uids))
	}
	in.uid, in.gid = im.uids[uid], im.uids[uid]
	if guid != guidSameAsUID {
		if int(guid) >= len(im.gids) {
			return nil, errorf(ErrCorrupt, "gid index %d of %d", guid, len(im.gids))
		}
		in.gid = im.gids[guid]
	}
	switch in.typ {
	case typeDir:
		in.nlink = r.u32(96)
		in.dirSize = uint32(r.field(128, 19))
		in.dirOffset = uint16(r.field(147, 13))
		in.dirBlock = r.u32(160)
	case typeLDir:
		in.nlink = r.u32(96)
		in.dirSize = uint32(r.field(128, 27))
		in.dirOffset = uint16(r.field(155, 13))
		in.dirBlock = r.u32(168)
	case typeFile:
		in.nlink = 1
		in.startBlock = r.u64(96)
		in.fragment = r.u32(160)
		in.fragOffset = r.u32(192)
		in.size = uint64(r.u32(224))
	case typeLFile:
		in.nlink = r.u32(96)
		in.startBlock = r.u64(128)
		in.fragment = r.u32(192)
		in.fragOffset = r.u32(224)
		in.size = r.u64(256)
	case typeSymlink:
		in.nlink = r.u32(96)
		n := int(r.u16(128))
		if n > maxSymlink {
			return nil, errorf(ErrCorrupt, "symlink target of %d bytes", n)
		}
		t := make([]byte, n)
		if err := m.read(t); err != nil {
			return nil, fmt.Errorf("symlink target: %w", err)
		}
		in.target = string(t)
	case typeBlkDev, typeChrDev:
		in.nlink = r.u32(96)
		in.rdev = r.u16(128)
	default:
		in.nlink = r.u32(96)
	}
	if in.typ == typeFile || in.typ == typeLFile {
		if in.size > 1<<62 || in.startBlock > uint64(im.end) {
			return nil, errorf(ErrCorrupt, "file of %d bytes at %d", in.size, in.startBlock)
		}
		in.blockList.pos, in.blockList.off = m.pos, m.off
	}
	return in, nil
}
