package ext

import (
	"encoding/binary"
	"fmt"
)

// mapper maps a file's logical blocks to filesystem blocks.
type mapper interface {
	// lookup returns where logical block l lies: phys is its filesystem
	// block (meaningless for a hole) and n >= 1 how many blocks from l on
	// map contiguously the same way (all holes, or phys, phys+1, ...).
	lookup(l uint64) (phys uint64, n uint64, hole bool, err error)
}

// blockMap is the ext2/ext3 block map: twelve direct block numbers, then
// one single, one double and one triple indirect block.
type blockMap struct {
	im     *Image
	direct [15]uint32
	per    uint64 // block numbers per indirect block
	cache  map[uint64][]uint32
}

func newBlockMap(im *Image, in *inode) *blockMap {
	m := &blockMap{im: im, per: uint64(im.sb.blockSize / 4), cache: map[uint64][]uint32{}}
	for i := range m.direct {
		m.direct[i] = binary.LittleEndian.Uint32(in.block[4*i:])
	}
	return m
}

// indirect returns the block numbers in indirect block blk, caching the
// few blocks a sequential read goes through.
func (m *blockMap) indirect(blk uint64) ([]uint32, error) {
	if p, ok := m.cache[blk]; ok {
		return p, nil
	}
	b := make([]byte, m.im.sb.blockSize)
	if err := m.im.readBlock(b, blk); err != nil {
		return nil, fmt.Errorf("indirect block: %w", err)
	}
	p := make([]uint32, m.per)
	for i := range p {
		p[i] = binary.LittleEndian.Uint32(b[4*i:])
	}
	if len(m.cache) >= 8 {
		clear(m.cache)
	}
	m.cache[blk] = p
	return p, nil
}

func (m *blockMap) lookup(l uint64) (uint64, uint64, bool, error) {
	if l < 12 {
		return run(m.direct[:12], l)
	}
	l -= 12
	// Walk down from the indirect root covering l; span is how many
	// logical blocks one entry at the current level covers.
	root, levels := uint64(m.direct[12]), 1
	switch per := m.per; {
	case l < per:
	case l < per+per*per:
		l -= per
		root, levels = uint64(m.direct[13]), 2
	case l < per+per*per+per*per*per:
		l -= per + per*per
		root, levels = uint64(m.direct[14]), 3
	default:
		return 0, 1 << 32, true, nil // beyond the largest mappable file
	}
	span := uint64(1)
	for range levels - 1 {
		span *= m.per
	}
	blk := root
	for {
		if blk == 0 { // a hole: the rest of this subtree is unmapped
			return 0, span*m.per - l, true, nil
		}
		p, err := m.indirect(blk)
		if err != nil {
			return 0, 0, false, err
		}
		if span == 1 {
			return run(p, l)
		}
		blk, l, span = uint64(p[l/span]), l%span, span/m.per
	}
}

// run maps entry l of a table of block numbers and counts how many
// following entries continue it.
func run(table []uint32, l uint64) (uint64, uint64, bool, error) {
	first := table[l]
	n := uint64(1)
	for i := l + 1; i < uint64(len(table)); i++ {
		if first == 0 && table[i] != 0 || first != 0 && uint64(table[i]) != uint64(first)+n {
			break
		}
		n++
	}
	return uint64(first), n, first == 0, nil
}
