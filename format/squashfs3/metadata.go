package squashfs3

import "fmt"

// metaBlock is one decoded metadata block (at most 8 KiB).
type metaBlock struct {
	data []byte
	next int64 // disk position of the following block
}

// metaCacheBlocks bounds the metadata cache (2 MiB).
const metaCacheBlocks = 256

// Metadata block headers: a 16-bit length in the image's byte order, bit
// 15 set when the block is stored uncompressed.
const (
	metaUncompressed = 1 << 15
	metaSizeMask     = metaUncompressed - 1
)

// metaBlock returns the metadata block at pos, decoding it unless cached.
func (im *Image) metaBlock(pos int64) (*metaBlock, error) {
	im.mu.Lock()
	defer im.mu.Unlock()
	if b, ok := im.meta[pos]; ok {
		return b, nil
	}
	if err := im.useMetadata(0); err != nil {
		return nil, err
	}
	var hdr [3]byte
	hdrLen := 2
	if im.sb.flags&flagCheck != 0 {
		hdrLen = 3 // SQUASHFS_CHECK: a marker byte follows the length
	}
	if err := im.readAt(hdr[:hdrLen], pos); err != nil {
		return nil, fmt.Errorf("metadata block at %d: %w", pos, err)
	}
	word := im.sb.order().Uint16(hdr[:])
	size := int(word & metaSizeMask)
	if size == 0 || size > metadataSize {
		return nil, errorf(ErrCorrupt, "metadata block at %d has size %d", pos, size)
	}
	raw := make([]byte, size)
	if err := im.readAt(raw, pos+int64(hdrLen)); err != nil {
		return nil, fmt.Errorf("metadata block at %d: %w", pos, err)
	}
	data := raw
	if word&metaUncompressed == 0 {
		data = make([]byte, metadataSize)
		n, err := im.dec.decode(data, raw, 0)
		if err != nil {
			return nil, fmt.Errorf("metadata block at %d: %w", pos, err)
		}
		data = data[:n]
	}
	im.metaUsed.Add(int64(len(data)) + 2)
	if len(im.meta) >= metaCacheBlocks {
		clear(im.meta)
	}
	b := &metaBlock{data: data, next: pos + int64(hdrLen) + int64(size)}
	im.meta[pos] = b
	return b, nil
}

// useMetadata charges n bytes of metadata work.
func (im *Image) useMetadata(n int) error {
	if used := im.metaUsed.Add(int64(n)); used > im.opt.MaxMetadataBytes {
		return errorf(ErrLimit, "%d bytes of metadata work (Options.MaxMetadataBytes)", used)
	}
	return nil
}

// metaReader reads a byte stream continuing across metadata blocks. It
// never loads a block at or past limit, the end of its table.
type metaReader struct {
	im    *Image
	limit int64
	blk   *metaBlock
	pos   int64
	off   int
	buf   [64]byte
}

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

func (m *metaReader) read(p []byte) error {
	if err := m.im.useMetadata(len(p)); err != nil {
		return err
	}
	for len(p) > 0 {
		if m.off == len(m.blk.data) {
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

// next reads n <= 64 bytes into a scratch buffer valid until the next call.
func (m *metaReader) next(n int) ([]byte, error) {
	b := m.buf[:n]
	return b, m.read(b)
}
