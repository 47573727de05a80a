package ext

import (
	"encoding/binary"
	"fmt"
	"sort"
)

// Layout of the extent tree (fs/ext4/ext4_extents.h): a 12-byte header
// (magic 0xF30A, entries, max, depth) then 12-byte entries, leaves
// (struct ext4_extent) at depth 0 and indexes (struct ext4_extent_idx)
// above.
const (
	extentMagic    = 0xF30A
	maxExtentDepth = 5 // the kernel's limit (EXT4_MAX_EXTENT_DEPTH)
	// maxExtents bounds the extents kept per file (24 bytes each); a
	// real file has that many only when it is badly fragmented and
	// several GiB large.
	maxExtents = 1 << 18
	// maxTreeBlocks bounds the tree blocks read per file: enough for
	// maxExtents in 1 KiB blocks, and a bound on the work when hostile
	// files share one large tree.
	maxTreeBlocks = 4096
	// uninitLen marks an unwritten extent: allocated, reads as zeros.
	uninitLen = 32768
)

// extent maps count logical blocks from logical to start.
type extent struct {
	logical, start, count uint64
	unwritten             bool
}

// extentMap is a file's extent tree, read whole (each tree block once).
type extentMap struct {
	ext []extent // sorted by logical
}

// newExtentMap reads the extent tree rooted in the inode's i_block.
func newExtentMap(im *Image, in *inode) (*extentMap, error) {
	m := &extentMap{}
	seen := map[uint64]bool{}
	if err := m.node(im, in.block[:], -1, seen); err != nil {
		return nil, err
	}
	sort.SliceStable(m.ext, func(i, j int) bool { return m.ext[i].logical < m.ext[j].logical })
	return m, nil
}

// node reads one tree node; want is the depth its parent expects (-1 at
// the root, which sets it).
func (m *extentMap) node(im *Image, b []byte, want int, seen map[uint64]bool) error {
	le := binary.LittleEndian
	if len(b) < 12 || le.Uint16(b) != extentMagic {
		return errorf(ErrCorrupt, "bad extent header")
	}
	entries, limit, depth := int(le.Uint16(b[2:])), int(le.Uint16(b[4:])), int(le.Uint16(b[6:]))
	if entries > limit || 12+12*entries > len(b) {
		return errorf(ErrCorrupt, "extent node with %d of %d entries in %d bytes", entries, limit, len(b))
	}
	if depth > maxExtentDepth || want >= 0 && depth != want {
		return errorf(ErrCorrupt, "extent node depth %d (expected %d)", depth, want)
	}
	for i := range entries {
		e := b[12+12*i:]
		if depth == 0 {
			n := uint64(le.Uint16(e[4:]))
			x := extent{logical: uint64(le.Uint32(e)), count: n, start: uint64(le.Uint16(e[6:]))<<32 | uint64(le.Uint32(e[8:]))}
			if n > uninitLen {
				x.count, x.unwritten = n-uninitLen, true
			}
			if x.count == 0 {
				continue
			}
			if len(m.ext) >= maxExtents {
				return errorf(ErrLimit, "more than %d extents in one file", maxExtents)
			}
			m.ext = append(m.ext, x)
			continue
		}
		child := uint64(le.Uint16(e[8:]))<<32 | uint64(le.Uint32(e[4:]))
		if seen[child] {
			return errorf(ErrCorrupt, "extent tree block %d used twice", child)
		}
		if len(seen) >= maxTreeBlocks {
			return errorf(ErrLimit, "extent tree of more than %d blocks", maxTreeBlocks)
		}
		seen[child] = true
		blk := make([]byte, im.sb.blockSize)
		if err := im.readBlock(blk, child); err != nil {
			return fmt.Errorf("extent tree: %w", err)
		}
		if err := m.node(im, blk, depth-1, seen); err != nil {
			return err
		}
	}
	return nil
}

func (m *extentMap) lookup(l uint64) (uint64, uint64, bool, error) {
	// The last extent starting at or before l.
	i := sort.Search(len(m.ext), func(i int) bool { return m.ext[i].logical > l }) - 1
	if i >= 0 {
		if x := m.ext[i]; l < x.logical+x.count {
			return x.start + (l - x.logical), x.logical + x.count - l, x.unwritten, nil
		}
	}
	// A hole up to the next extent (or to the end of any file).
	if i+1 < len(m.ext) {
		return 0, m.ext[i+1].logical - l, true, nil
	}
	return 0, 1 << 32, true, nil
}
