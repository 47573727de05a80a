package sqfswrite

import (
	"encoding/binary"
	"math"

	"github.com/doorman-sec/doorman/format/squashfs/internal/layout"
)

var le = binary.LittleEndian

// writeInodes writes the inodes of the tree rooted at n into the inode
// table, children before their directory (a directory's listing needs its
// children's inode references), and the listings into the directory table.
func (b *builder) writeInodes(n *node, parent uint32) error {
	var buf []byte
	if n.typ == layout.TypeDir {
		subdirs := uint32(0)
		for _, c := range n.children {
			if err := b.writeInodes(c, n.number); err != nil {
				return err
			}
			if c.typ == layout.TypeDir {
				subdirs++
			}
		}
		listing := b.dirs.ref()
		size := uint64(b.writeListing(n.children)) + layout.DirSizeOffset
		if listing>>16 > math.MaxUint32 || size > math.MaxUint32 {
			return errTooLarge
		}
		var err error
		if buf, err = b.dirInode(n, listing, uint32(size), 2+subdirs, parent); err != nil {
			return err
		}
	} else {
		var err error
		if buf, err = b.leafInode(n); err != nil {
			return err
		}
	}
	n.ref = b.inodes.ref()
	b.inodes.write(buf)
	return nil
}

// header encodes the 16 bytes every inode starts with.
func (b *builder) header(n *node, typ uint16) ([]byte, error) {
	uid, err := b.id(n.entry.UID)
	if err != nil {
		return nil, err
	}
	gid, err := b.id(n.entry.GID)
	if err != nil {
		return nil, err
	}
	mtime := min(max(n.entry.ModTime.Unix(), 0), math.MaxUint32)
	h := make([]byte, 0, 64)
	h = le.AppendUint16(h, typ)
	h = le.AppendUint16(h, permBits(n.entry.Mode))
	h = le.AppendUint16(h, uid)
	h = le.AppendUint16(h, gid)
	h = le.AppendUint32(h, uint32(mtime))
	h = le.AppendUint32(h, n.number)
	return h, nil
}

// dirInode encodes a directory, choosing the extended type when the listing
// is too big for the basic one's 16-bit size.
func (b *builder) dirInode(n *node, listing uint64, size, nlink, parent uint32) ([]byte, error) {
	block, offset := uint32(listing>>16), uint16(listing&0xffff)
	basic := size <= math.MaxUint16 && !b.opt.ExtendedInodes
	typ := uint16(layout.TypeLDir)
	if basic {
		typ = layout.TypeDir
	}
	h, err := b.header(n, typ)
	if err != nil {
		return nil, err
	}
	if basic {
		h = le.AppendUint32(h, block)
		h = le.AppendUint32(h, nlink)
		h = le.AppendUint16(h, uint16(size))
		h = le.AppendUint16(h, offset)
		return le.AppendUint32(h, parent), nil
	}
	h = le.AppendUint32(h, nlink)
	h = le.AppendUint32(h, size)
	h = le.AppendUint32(h, block)
	h = le.AppendUint32(h, parent)
	h = le.AppendUint16(h, 0) // no directory index
	h = le.AppendUint16(h, offset)
	return le.AppendUint32(h, layout.NoXattr), nil
}

// leafInode encodes every inode type but directories.
func (b *builder) leafInode(n *node) ([]byte, error) {
	if n.typ == layout.TypeFile {
		return b.fileInode(n)
	}
	h, err := b.header(n, n.typ)
	if err != nil {
		return nil, err
	}
	h = le.AppendUint32(h, 1) // link count
	switch n.typ {
	case layout.TypeSymlink:
		h = le.AppendUint32(h, uint32(len(n.entry.LinkTarget)))
		h = append(h, n.entry.LinkTarget...)
	case layout.TypeBlockDev, layout.TypeCharDev:
		h = le.AppendUint32(h, n.entry.Rdev)
	}
	return h, nil
}

// fileInode encodes a regular file and its block list, extended when a
// size or position needs 64 bits.
func (b *builder) fileInode(n *node) ([]byte, error) {
	size := uint64(len(n.entry.Data))
	extended := b.opt.ExtendedInodes || size > math.MaxUint32 || n.blocksStart > math.MaxUint32
	typ := uint16(layout.TypeFile)
	if extended {
		typ = layout.TypeLFile
	}
	h, err := b.header(n, typ)
	if err != nil {
		return nil, err
	}
	if extended {
		h = le.AppendUint64(h, n.blocksStart)
		h = le.AppendUint64(h, size)
		h = le.AppendUint64(h, n.sparseBytes)
		h = le.AppendUint32(h, 1) // link count
		h = le.AppendUint32(h, n.fragment)
		h = le.AppendUint32(h, n.fragOffset)
		h = le.AppendUint32(h, layout.NoXattr)
	} else {
		h = le.AppendUint32(h, uint32(n.blocksStart))
		h = le.AppendUint32(h, n.fragment)
		h = le.AppendUint32(h, n.fragOffset)
		h = le.AppendUint32(h, uint32(size))
	}
	for _, s := range n.blockSizes {
		h = le.AppendUint32(h, s)
	}
	return h, nil
}

// writeListing writes a directory's entries to the directory table and
// returns the listing length. Entries are grouped under headers that share
// an inode metadata block, hold at most 256 entries, and keep each inode
// number within a signed 16-bit delta of the header's.
func (b *builder) writeListing(children []*node) int {
	var buf []byte
	for i := 0; i < len(children); {
		first := children[i]
		block := uint32(first.ref >> 16)
		j := i
		for j < len(children) && j-i < layout.DirMaxEntries && uint32(children[j].ref>>16) == block &&
			abs(int64(children[j].number)-int64(first.number)) <= math.MaxInt16 {
			j++
		}
		buf = le.AppendUint32(buf, uint32(j-i-1))
		buf = le.AppendUint32(buf, block)
		buf = le.AppendUint32(buf, first.number)
		for _, c := range children[i:j] {
			buf = le.AppendUint16(buf, uint16(c.ref&0xffff))
			buf = le.AppendUint16(buf, uint16(int16(int64(c.number)-int64(first.number))))
			buf = le.AppendUint16(buf, c.typ)
			buf = le.AppendUint16(buf, uint16(len(c.name)-1))
			buf = append(buf, c.name...)
		}
		i = j
	}
	b.dirs.write(buf)
	return len(buf)
}

func abs(x int64) int64 {
	if x < 0 {
		return -x
	}
	return x
}
