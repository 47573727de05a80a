package squashfs

import (
	"encoding/binary"
	"fmt"

	"github.com/doorman-sec/doorman/format/squashfs/internal/layout"
)

// metaBlock is one decoded metadata block (at most 8 KiB).
type metaBlock struct {
	data []byte
	next int64 // disk position of the block that follows it
}

// metaCacheBlocks bounds the metadata cache (256 x 8 KiB = 2 MiB). Walks
// revisit the same inode and directory blocks over and over, so even a
// cache that is simply emptied when full saves most decompression.
const metaCacheBlocks = 256

// metaBlock returns the metadata block at disk position pos, decoding it
// unless cached. Decoded bytes count against Options.MaxMetadataBytes.
func (im *Image) metaBlock(pos int64) (*metaBlock, error) {
	im.mu.Lock()
	defer im.mu.Unlock()
	if b, ok := im.meta[pos]; ok {
		return b, nil
	}
	if err := im.useMetadata(0); err != nil {
		return nil, err
	}
	var hdr [2]byte
	if err := im.readAt(hdr[:], pos); err != nil {
		return nil, fmt.Errorf("metadata block at %d: %w", pos, err)
	}
	word := binary.LittleEndian.Uint16(hdr[:])
	size := int(word & layout.MetadataSizeMask)
	if size == 0 || size > layout.MetadataSize {
		return nil, errorf(ErrCorrupt, "metadata block at %d has size %d", pos, size)
	}
	raw := make([]byte, size)
	if err := im.readAt(raw, pos+2); err != nil {
		return nil, fmt.Errorf("metadata block at %d: %w", pos, err)
	}
	data := raw
	if word&layout.MetadataUncompressed == 0 {
		data = make([]byte, layout.MetadataSize)
		n, err := im.dec.decompress(data, raw)
		if err != nil {
			return nil, fmt.Errorf("metadata block at %d: %w", pos, err)
		}
		data = data[:n]
	}
	// Count the header too, so that even empty blocks use up the budget.
	im.metaUsed.Add(int64(len(data)) + 2)
	if len(im.meta) >= metaCacheBlocks {
		clear(im.meta)
	}
	b := &metaBlock{data: data, next: pos + 2 + int64(size)}
	im.meta[pos] = b
	return b, nil
}

// useMetadata charges n bytes of metadata work and fails with ErrLimit
// once the budget is spent.
func (im *Image) useMetadata(n int) error {
	if used := im.metaUsed.Add(int64(n)); used > im.opt.MaxMetadataBytes {
		return errorf(ErrLimit, "%d bytes of metadata work (Options.MaxMetadataBytes)", used)
	}
	return nil
}

// metaReader reads a byte stream that continues across consecutive
// metadata blocks, as inodes, directory listings and tables do. It never
// loads a block at or past limit, the end of the table being read, so a
// structure that claims to run on stops at its table's end.
type metaReader struct {
	im    *Image
	limit int64
	blk   *metaBlock
	pos   int64 // disk position of blk
	off   int   // read position within blk.data
	buf   [64]byte
}

// metaReaderAt starts reading at byte off of the block at disk position
// pos. off may equal the block's length: the stream then starts with the
// next block.
func (im *Image) metaReaderAt(pos, limit int64, off int) (*metaReader, error) {
	m := &metaReader{im: im, limit: limit}
	if err := m.load(pos); err != nil {
		return nil, err
	}
	if off > len(m.blk.data) {
		return nil, errorf(ErrCorrupt, "offset %d beyond the %d bytes of metadata block %d", off, len(m.blk.data), pos)
	}
	m.off = off
	return m, nil
}

func (m *metaReader) load(pos int64) error {
	if pos < 0 || pos >= m.limit {
		return errorf(ErrCorrupt, "metadata at %d lies outside its table (ends at %d)", pos, m.limit)
	}
	b, err := m.im.metaBlock(pos)
	if err != nil {
		return err
	}
	m.blk, m.pos, m.off = b, pos, 0
	return nil
}

// read fills p.
func (m *metaReader) read(p []byte) error {
	if err := m.im.useMetadata(len(p)); err != nil {
		return err
	}
	for len(p) > 0 {
		if m.off == len(m.blk.data) {
			// Each block advances next by at least 3 bytes and load
			// refuses to pass limit, so this loop ends.
			if err := m.load(m.blk.next); err != nil {
				return err
			}
			continue
		}
		n := copy(p, m.blk.data[m.off:])
		m.off += n
		p = p[n:]
	}
	return nil
}

// next reads n <= 64 bytes into a scratch buffer that stays valid until the
// following call.
func (m *metaReader) next(n int) ([]byte, error) {
	b := m.buf[:n]
	return b, m.read(b)
}

// position returns where the next read starts, for resuming later with
// metaReaderAt.
func (m *metaReader) position() (pos int64, off int) {
	return m.pos, m.off
}
