package jffs2

import (
	"encoding/binary"
	"hash/crc32"
)

// On-flash constants from the kernel's include/uapi/linux/jffs2.h.
const (
	magic = 0x1985
	// accurate is set in every node type; the kernel clears it in place to
	// mark a node obsolete (the header CRC is computed with it set).
	accurate = 0x2000

	typeDirent      = 0xe001
	typeInode       = 0xe002
	typeCleanmarker = 0x2003
	typePadding     = 0x2004

	headerSize = 12 // magic, nodetype, totlen, hdr_crc
	direntSize = 40 // jffs2_raw_dirent without the name
	inodeSize  = 68 // jffs2_raw_inode without the data
)

// Compression codes of jffs2_raw_inode.compr.
const (
	comprNone     = 0
	comprZero     = 1
	comprRtime    = 2
	comprRubin    = 3
	comprCopy     = 4
	comprDynrubin = 5
	comprZlib     = 6
	comprLZO      = 7
	comprLZMA     = 8
)

// crc is the kernel's crc32(0, buf, len): CRC-32 (IEEE) with seed 0 and no
// final inversion, which is what every JFFS2 CRC field holds.
func crc(b []byte) uint32 {
	return ^crc32.Update(0xffffffff, crc32.IEEETable, b)
}

// headerOK reports whether h (at least headerSize bytes) is a node header
// in byte order bo: the magic and a header CRC that matches with the
// ACCURATE bit set, so that obsolete nodes are recognised too.
func headerOK(h []byte, bo binary.ByteOrder) bool {
	if len(h) < headerSize || bo.Uint16(h) != magic {
		return false
	}
	var c [8]byte
	copy(c[:], h[:8])
	bo.PutUint16(c[2:], bo.Uint16(h[2:])|accurate)
	return crc(c[:]) == bo.Uint32(h[8:])
}

// order returns the byte order in which h starts with a valid node header,
// or nil.
func order(h []byte) binary.ByteOrder {
	switch {
	case headerOK(h, binary.LittleEndian):
		return binary.LittleEndian
	case headerOK(h, binary.BigEndian):
		return binary.BigEndian
	}
	return nil
}

// Sniff reports whether b starts with a JFFS2 node header whose CRC is
// valid, in either byte order.
func Sniff(b []byte) bool { return order(b) != nil }

// inodeNode is the part of a jffs2_raw_inode the reader keeps.
type inodeNode struct {
	version              uint32
	mode                 uint32
	uid, gid             uint16
	isize                uint32
	mtime                uint32
	offset, csize, dsize uint32
	compr                uint8
	dataCRC              uint32
	dataOff              int64 // where the compressed data lies in the image
}

func (n *inodeNode) end() int64 { return int64(n.offset) + int64(n.dsize) }

// parseInode decodes an inode node of totlen bytes at off; b holds at least
// inodeSize bytes of it. It returns nil when the node CRC or a length is
// wrong.
func parseInode(b []byte, bo binary.ByteOrder, off int64, totlen uint32) *inodeNode {
	if totlen < inodeSize || len(b) < inodeSize || crc(b[:inodeSize-8]) != bo.Uint32(b[64:]) {
		return nil
	}
	n := &inodeNode{
		version: bo.Uint32(b[16:]),
		mode:    bo.Uint32(b[20:]),
		uid:     bo.Uint16(b[24:]),
		gid:     bo.Uint16(b[26:]),
		isize:   bo.Uint32(b[28:]),
		mtime:   bo.Uint32(b[36:]),
		offset:  bo.Uint32(b[44:]),
		csize:   bo.Uint32(b[48:]),
		dsize:   bo.Uint32(b[52:]),
		compr:   b[56],
		dataCRC: bo.Uint32(b[60:]),
		dataOff: off + inodeSize,
	}
	if uint64(n.csize) > uint64(totlen-inodeSize) || n.dsize > MaxNodeData {
		return nil
	}
	return n
}

// dirent is the part of a jffs2_raw_dirent the reader keeps.
type dirent struct {
	pino, version, ino uint32
	typ                uint8
	name               string
}

// parseDirent decodes a dirent node; b holds the whole node. It returns
// false when a CRC or the name length is wrong.
func parseDirent(b []byte, bo binary.ByteOrder) (dirent, bool) {
	if len(b) < direntSize || crc(b[:direntSize-8]) != bo.Uint32(b[32:]) {
		return dirent{}, false
	}
	nsize := int(b[28])
	if direntSize+nsize > len(b) {
		return dirent{}, false
	}
	name := b[direntSize : direntSize+nsize]
	if crc(name) != bo.Uint32(b[36:]) {
		return dirent{}, false
	}
	return dirent{
		pino:    bo.Uint32(b[12:]),
		version: bo.Uint32(b[16:]),
		ino:     bo.Uint32(b[20:]),
		typ:     b[29],
		name:    string(name),
	}, true
}
