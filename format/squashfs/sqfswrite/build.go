package sqfswrite

import (
	"bytes"
	"fmt"
	"math"
	"math/bits"

	"github.com/doorman-sec/doorman/format/squashfs/internal/layout"
)

// builder assembles the image in memory.
type builder struct {
	opt    WriteOptions
	comp   compressor
	out    []byte // the image so far, starting with room for the superblock
	frag   []byte // fragment block being filled
	frags  []byte // fragment table entries
	nfrags uint32
	inodes metaWriter
	dirs   metaWriter
	ids    []uint32
	idIdx  map[uint32]uint16
	count  uint32 // inodes
}

func newBuilder(opt WriteOptions) *builder {
	b := &builder{opt: opt, idIdx: make(map[uint32]uint16)}
	if !opt.UncompressedMetadata {
		b.inodes.comp = &b.comp
		b.dirs.comp = &b.comp
	}
	return b
}

// build lays out, in mksquashfs order: superblock, data and fragment
// blocks, inode table, directory table, fragment table, id table.
func (b *builder) build(root *node) ([]byte, error) {
	b.out = make([]byte, layout.SuperblockSize)
	b.number(root)
	if err := b.writeData(root); err != nil {
		return nil, err
	}
	b.flushFragment()
	if err := b.writeInodes(root, b.count+1); err != nil {
		return nil, err
	}
	inodeTable := len(b.out)
	b.out = append(b.out, b.inodes.finish()...)
	dirTable := len(b.out)
	b.out = append(b.out, b.dirs.finish()...)
	fragTable := b.writeTable(b.frags)
	idBytes := make([]byte, 0, 4*len(b.ids))
	for _, id := range b.ids {
		idBytes = le.AppendUint32(idBytes, id)
	}
	idTable := b.writeTable(idBytes)

	sb := b.out[:layout.SuperblockSize]
	le.PutUint32(sb[layout.OffMagic:], layout.Magic)
	le.PutUint32(sb[layout.OffInodeCount:], b.count)
	le.PutUint32(sb[layout.OffModTime:], uint32(min(max(b.opt.ModTime.Unix(), 0), math.MaxUint32)))
	le.PutUint32(sb[layout.OffBlockSize:], uint32(b.opt.BlockSize))
	le.PutUint32(sb[layout.OffFragmentCount:], b.nfrags)
	le.PutUint16(sb[layout.OffCompression:], layout.CompGzip)
	le.PutUint16(sb[layout.OffBlockLog:], uint16(bits.TrailingZeros(uint(b.opt.BlockSize))))
	le.PutUint16(sb[layout.OffFlags:], b.flags())
	le.PutUint16(sb[layout.OffIDCount:], uint16(len(b.ids)))
	le.PutUint16(sb[layout.OffVersionMajor:], layout.VersionMajor)
	le.PutUint16(sb[layout.OffVersionMinor:], layout.VersionMinor)
	le.PutUint64(sb[layout.OffRootInode:], root.ref)
	le.PutUint64(sb[layout.OffBytesUsed:], uint64(len(b.out)))
	le.PutUint64(sb[layout.OffIDTable:], uint64(idTable))
	le.PutUint64(sb[layout.OffXattrTable:], layout.NoTable)
	le.PutUint64(sb[layout.OffInodeTable:], uint64(inodeTable))
	le.PutUint64(sb[layout.OffDirectoryTable:], uint64(dirTable))
	le.PutUint64(sb[layout.OffFragmentTable:], uint64(fragTable))
	le.PutUint64(sb[layout.OffExportTable:], layout.NoTable)

	const pad = 4096
	return append(b.out, make([]byte, (pad-len(b.out)%pad)%pad)...), nil
}

func (b *builder) flags() uint16 {
	f := uint16(layout.FlagNoXattrs)
	if b.opt.UncompressedMetadata {
		f |= layout.FlagUncompressedInodes | layout.FlagUncompressedIDs
	}
	if b.opt.UncompressedData {
		f |= layout.FlagUncompressedData | layout.FlagUncompressedFragments
	}
	if b.nfrags == 0 {
		f |= layout.FlagNoFragments
	}
	return f
}

// number assigns inode numbers 1..n in the order inodes are written
// (children first), so the root gets the highest.
func (b *builder) number(n *node) {
	for _, c := range n.children {
		b.number(c)
	}
	b.count++
	n.number = b.count
}

// id returns the id table index of a uid or gid, adding it if new.
func (b *builder) id(v uint32) (uint16, error) {
	if i, ok := b.idIdx[v]; ok {
		return i, nil
	}
	if len(b.ids) >= math.MaxUint16 {
		return 0, fmt.Errorf("sqfswrite: more than %d distinct uids and gids", math.MaxUint16)
	}
	i := uint16(len(b.ids))
	b.ids = append(b.ids, v)
	b.idIdx[v] = i
	return i, nil
}

// writeData stores the content of every regular file, depth-first.
func (b *builder) writeData(n *node) error {
	for _, c := range n.children {
		if err := b.writeData(c); err != nil {
			return err
		}
	}
	if n.typ != layout.TypeFile {
		return nil
	}
	data, bs := n.entry.Data, b.opt.BlockSize
	n.blocksStart = uint64(len(b.out))
	n.fragment = layout.NoFragment
	whole := len(data) / bs
	tail := data[whole*bs:]
	blocks := whole
	if len(tail) > 0 && b.opt.NoFragments {
		blocks++
	}
	for i := range blocks {
		chunk := data[i*bs : min(len(data), (i+1)*bs)]
		if len(chunk) == bs && allZero(chunk) {
			// Sparse block: stored as nothing, size 0.
			n.blockSizes = append(n.blockSizes, 0)
			n.sparseBytes += uint64(bs)
			continue
		}
		n.blockSizes = append(n.blockSizes, b.writeBlock(chunk))
	}
	if len(tail) > 0 && !b.opt.NoFragments {
		if len(b.frag)+len(tail) > bs {
			b.flushFragment()
		}
		n.fragment, n.fragOffset = b.nfrags, uint32(len(b.frag))
		b.frag = append(b.frag, tail...)
	}
	return nil
}

// writeBlock appends one data or fragment block and returns its size word.
func (b *builder) writeBlock(p []byte) uint32 {
	var c []byte
	if !b.opt.UncompressedData {
		c = b.comp.compress(p)
	}
	if c == nil {
		b.out = append(b.out, p...)
		return uint32(len(p)) | layout.DataUncompressed
	}
	b.out = append(b.out, c...)
	return uint32(len(c))
}

// flushFragment writes the pending fragment block and its table entry.
func (b *builder) flushFragment() {
	if len(b.frag) == 0 {
		return
	}
	start := uint64(len(b.out))
	word := b.writeBlock(b.frag)
	b.frags = le.AppendUint64(b.frags, start)
	b.frags = le.AppendUint32(b.frags, word)
	b.frags = le.AppendUint32(b.frags, 0)
	b.nfrags++
	b.frag = b.frag[:0]
}

// writeTable writes a lookup table (fragment or id entries): its metadata
// blocks, then the index of their positions, which is what the superblock
// points to. Entries never straddle blocks since 8 KiB is a multiple of
// both entry sizes.
func (b *builder) writeTable(entries []byte) int {
	m := metaWriter{}
	if !b.opt.UncompressedMetadata {
		m.comp = &b.comp
	}
	m.write(entries)
	base := len(b.out)
	b.out = append(b.out, m.finish()...)
	index := len(b.out)
	for _, s := range m.starts {
		b.out = le.AppendUint64(b.out, uint64(base+s))
	}
	return index
}

func allZero(p []byte) bool {
	return len(bytes.TrimLeft(p, "\x00")) == 0
}
