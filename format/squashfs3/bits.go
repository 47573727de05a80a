package squashfs3

import "encoding/binary"

// bitReader reads the bit fields of one on-disk structure. pos and width
// are in bits, as squashfs_fs.h's SQUASHFS_SWAP_* macros give them. In a
// little-endian image a field starts at bit pos%8 of byte pos/8 counted
// from the least significant bit (how GCC packs bit fields there); in a
// big-endian image it starts counted from the most significant bit.
type bitReader struct {
	b  []byte
	be bool
}

// field returns width bits (1..64) at bit pos. Bits past the end of b
// read as zero; callers size b to the structure first.
func (r bitReader) field(pos, width int) uint64 {
	var w [8]byte
	if start := pos / 8; start < len(r.b) {
		copy(w[:], r.b[start:])
	}
	shift := pos % 8
	if width+shift > 64 {
		panic("squashfs3: bit field crosses 64 bits")
	}
	mask := ^uint64(0)
	if width < 64 {
		mask = 1<<width - 1
	}
	if r.be {
		return binary.BigEndian.Uint64(w[:]) >> (64 - width - shift) & mask
	}
	return binary.LittleEndian.Uint64(w[:]) >> shift & mask
}

func (r bitReader) u8(pos int) uint8   { return uint8(r.field(pos, 8)) }
func (r bitReader) u16(pos int) uint16 { return uint16(r.field(pos, 16)) }
func (r bitReader) u32(pos int) uint32 { return uint32(r.field(pos, 32)) }
func (r bitReader) u64(pos int) uint64 { return r.field(pos, 64) }
