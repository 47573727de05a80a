package squashfs

import (
	"encoding/binary"
	"io/fs"
	"math"

	"github.com/doorman-sec/doorman/format/squashfs/internal/layout"
)

// maxSymlinkTarget bounds a symlink target. Linux limits targets to a page
// (4 KiB on most systems, 64 KiB at most), and the kernel's squashfs refuses
// longer ones too.
const maxSymlinkTarget = 64 << 10

// inode is a decoded inode. Extended inode types are folded into their
// basic type: the extra fields (xattrs, directory index, sparse count) are
// not needed to list or read files.
type inode struct {
	ref    uint64 // where it was read: block << 16 | offset, as in the image
	typ    uint16 // basic type, layout.TypeDir .. layout.TypeSocket
	perm   uint16
	uid    uint32
	gid    uint32
	mtime  uint32
	number uint32

	// Directories: where the listing starts in the directory table and its
	// size plus 3.
	dirBlock  uint32
	dirOffset uint16
	dirSize   uint32

	// Regular files.
	blocksStart uint64 // disk position of the first data block
	size        uint64
	fragment    uint32 // fragment index or layout.NoFragment
	fragOffset  uint32 // offset of the tail within the fragment block
	listPos     int64  // block sizes follow the inode here (pos, off)
	listOff     int

	target string // symlinks
	rdev   uint32 // block and character devices
}

// readInode decodes the inode at offset within the inode table metadata
// block that starts block bytes into the inode table.
func (im *Image) readInode(block, offset uint64) (*inode, error) {
	if block >= im.sb.dirTable-im.sb.inodeTable || offset >= layout.MetadataSize {
		return nil, errorf(ErrCorrupt, "inode reference %d:%d outside the inode table", block, offset)
	}
	m, err := im.metaReaderAt(int64(im.sb.inodeTable+block), int64(im.sb.dirTable), int(offset))
	if err != nil {
		return nil, err
	}
	h, err := m.next(layout.InodeHeaderSize)
	if err != nil {
		return nil, err
	}
	le := binary.LittleEndian
	in := &inode{
		ref:    block<<16 | offset,
		typ:    le.Uint16(h[0:]),
		perm:   le.Uint16(h[2:]),
		mtime:  le.Uint32(h[8:]),
		number: le.Uint32(h[12:]),
	}
	uidIdx, gidIdx := le.Uint16(h[4:]), le.Uint16(h[6:])
	if int(uidIdx) >= len(im.ids) || int(gidIdx) >= len(im.ids) {
		return nil, errorf(ErrCorrupt, "inode %d uses id index %d/%d of %d", in.number, uidIdx, gidIdx, len(im.ids))
	}
	in.uid, in.gid = im.ids[uidIdx], im.ids[gidIdx]
	if err := in.readBody(m); err != nil {
		return nil, err
	}
	return in, nil
}

// readBody decodes the type-specific part of the inode.
func (in *inode) readBody(m *metaReader) error {
	le := binary.LittleEndian
	switch in.typ {
	case layout.TypeDir:
		b, err := m.next(16)
		if err != nil {
			return err
		}
		in.dirBlock = le.Uint32(b[0:])
		in.dirSize = uint32(le.Uint16(b[8:]))
		in.dirOffset = le.Uint16(b[10:])
	case layout.TypeLDir:
		b, err := m.next(24)
		if err != nil {
			return err
		}
		in.dirSize = le.Uint32(b[4:])
		in.dirBlock = le.Uint32(b[8:])
		in.dirOffset = le.Uint16(b[18:])
	case layout.TypeFile:
		b, err := m.next(16)
		if err != nil {
			return err
		}
		in.blocksStart = uint64(le.Uint32(b[0:]))
		in.fragment = le.Uint32(b[4:])
		in.fragOffset = le.Uint32(b[8:])
		in.size = uint64(le.Uint32(b[12:]))
		in.listPos, in.listOff = m.position()
	case layout.TypeLFile:
		b, err := m.next(40)
		if err != nil {
			return err
		}
		in.blocksStart = le.Uint64(b[0:])
		in.size = le.Uint64(b[8:])
		in.fragment = le.Uint32(b[28:])
		in.fragOffset = le.Uint32(b[32:])
		in.listPos, in.listOff = m.position()
		if in.size > math.MaxInt64 {
			return errorf(ErrCorrupt, "inode %d has file size %d", in.number, in.size)
		}
	case layout.TypeSymlink, layout.TypeSymlink + layout.ExtendedBase:
		b, err := m.next(8)
		if err != nil {
			return err
		}
		n := le.Uint32(b[4:])
		if n > maxSymlinkTarget {
			return errorf(ErrCorrupt, "inode %d has a %d-byte symlink target", in.number, n)
		}
		target := make([]byte, n)
		if err := m.read(target); err != nil {
			return err
		}
		in.target = string(target)
	case layout.TypeBlockDev, layout.TypeCharDev,
		layout.TypeBlockDev + layout.ExtendedBase, layout.TypeCharDev + layout.ExtendedBase:
		b, err := m.next(8)
		if err != nil {
			return err
		}
		in.rdev = le.Uint32(b[4:])
	case layout.TypeFifo, layout.TypeSocket,
		layout.TypeFifo + layout.ExtendedBase, layout.TypeSocket + layout.ExtendedBase:
		if _, err := m.next(4); err != nil {
			return err
		}
	default:
		return errorf(ErrCorrupt, "inode %d has unknown type %d", in.number, in.typ)
	}
	if in.typ > layout.ExtendedBase {
		in.typ -= layout.ExtendedBase
	}
	return nil
}

// mode converts the inode type and permission bits to an fs.FileMode.
func (in *inode) mode() fs.FileMode {
	m := fs.FileMode(in.perm & layout.ModePerm)
	if in.perm&layout.ModeSetuid != 0 {
		m |= fs.ModeSetuid
	}
	if in.perm&layout.ModeSetgid != 0 {
		m |= fs.ModeSetgid
	}
	if in.perm&layout.ModeSticky != 0 {
		m |= fs.ModeSticky
	}
	switch in.typ {
	case layout.TypeDir:
		m |= fs.ModeDir
	case layout.TypeSymlink:
		m |= fs.ModeSymlink
	case layout.TypeBlockDev:
		m |= fs.ModeDevice
	case layout.TypeCharDev:
		m |= fs.ModeDevice | fs.ModeCharDevice
	case layout.TypeFifo:
		m |= fs.ModeNamedPipe
	case layout.TypeSocket:
		m |= fs.ModeSocket
	}
	return m
}

// blockCount returns how many entries the file's block list has: whole
// blocks, plus the partial last block unless the tail is in a fragment.
func (in *inode) blockCount(blockSize int) int64 {
	bs := uint64(blockSize)
	n := in.size / bs
	if in.fragment == layout.NoFragment && in.size%bs != 0 {
		n++
	}
	return int64(n)
}
