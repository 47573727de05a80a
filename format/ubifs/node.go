package ubifs

import (
	"encoding/binary"
	"hash/crc32"
)

// On-flash constants (fs/ubifs/ubifs-media.h). Fields are little-endian.
const (
	nodeMagic = 0x06101831
	chSize    = 24 // common header

	typeIno  = 0
	typeData = 1
	typeDent = 2
	typeXent = 3
	typeSB   = 6
	typeMst  = 7
	typeIdx  = 9

	sbNodeSize   = 4096
	mstNodeSize  = 512
	inoNodeSize  = 160
	dentNodeSize = 56
	dataNodeSize = 48
	idxNodeSize  = 28

	// BlockSize is the data each data node covers.
	BlockSize = 4096
	// maxNodeSize bounds any node read (the largest real one, an index
	// node of a big fanout, is a few KiB).
	maxNodeSize = 64 << 10
	// rootIno is the root directory's inode number.
	rootIno = 1
)

// Key types, in the top 3 bits of a key's second word.
const (
	keyIno  = 0
	keyData = 1
	keyDent = 2
	keyXent = 3
)

var le = binary.LittleEndian

// CRC computes UBIFS's CRC-32: the kernel's crc32_le seeded with all
// ones and without the final inversion.
func CRC(b []byte) uint32 { return ^crc32.ChecksumIEEE(b) }

// checkNode checks a node's common header against b (which holds the
// whole node) and returns its type.
func checkNode(b []byte) (typ uint8, ok bool) {
	if len(b) < chSize || le.Uint32(b) != nodeMagic {
		return 0, false
	}
	n := le.Uint32(b[16:])
	if n < chSize || int64(n) > int64(len(b)) || CRC(b[8:n]) != le.Uint32(b[4:]) {
		return 0, false
	}
	return b[20], true
}

// key is a simple-format key: inode number, then type and value (a name
// hash for entries, a block number for data).
type key struct {
	inum uint32
	typ  uint8
	val  uint32
}

func parseKey(b []byte) key {
	w := le.Uint32(b[4:])
	return key{inum: le.Uint32(b), typ: uint8(w >> 29), val: w & (1<<29 - 1)}
}

// Sniff reports whether b starts with a superblock node whose CRC holds
// (b must hold its 4096 bytes).
func Sniff(b []byte) bool {
	if len(b) < sbNodeSize || le.Uint32(b[16:]) != sbNodeSize {
		return false
	}
	t, ok := checkNode(b[:sbNodeSize])
	return ok && t == typeSB
}
