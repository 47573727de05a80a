package sqfswrite

import (
	"bytes"
	"encoding/binary"

	"github.com/doorman-sec/doorman/format/squashfs/internal/layout"
	"github.com/klauspost/compress/zlib"
)

// compressor zlib-compresses blocks, reusing one writer.
type compressor struct {
	buf bytes.Buffer
	zw  *zlib.Writer
}

// compress returns the zlib form of p, or nil if that is not smaller
// (SquashFS then stores the block as it is). The result is valid until the
// next call.
func (c *compressor) compress(p []byte) []byte {
	c.buf.Reset()
	if c.zw == nil {
		c.zw = zlib.NewWriter(&c.buf)
	} else {
		c.zw.Reset(&c.buf)
	}
	// Writes to a bytes.Buffer cannot fail.
	_, _ = c.zw.Write(p)
	_ = c.zw.Close()
	if c.buf.Len() >= len(p) {
		return nil
	}
	return c.buf.Bytes()
}

// metaWriter builds a run of metadata blocks: 8 KiB pieces of a byte
// stream, each stored with a 16-bit size header.
type metaWriter struct {
	comp   *compressor // nil stores blocks uncompressed
	done   []byte      // finished blocks
	starts []int       // offset of each finished block within done
	cur    []byte      // bytes of the block being filled
}

// ref returns the reference of the next byte written: the start of its
// block relative to the table, shifted left 16, plus the offset in the
// block.
func (m *metaWriter) ref() uint64 {
	return uint64(len(m.done))<<16 | uint64(len(m.cur))
}

func (m *metaWriter) write(p []byte) {
	for len(p) > 0 {
		n := min(len(p), layout.MetadataSize-len(m.cur))
		m.cur = append(m.cur, p[:n]...)
		p = p[n:]
		// Flushing as soon as a block is full makes ref point to the next
		// block, never to offset 8192 of a full one.
		if len(m.cur) == layout.MetadataSize {
			m.flush()
		}
	}
}

func (m *metaWriter) flush() {
	if len(m.cur) == 0 {
		return
	}
	m.starts = append(m.starts, len(m.done))
	var data []byte
	if m.comp != nil {
		data = m.comp.compress(m.cur)
	}
	header := uint16(len(data))
	if data == nil {
		data = m.cur
		header = uint16(len(data)) | layout.MetadataUncompressed
	}
	m.done = binary.LittleEndian.AppendUint16(m.done, header)
	m.done = append(m.done, data...)
	m.cur = m.cur[:0]
}

// finish flushes the last partial block and returns the table bytes.
func (m *metaWriter) finish() []byte {
	m.flush()
	return m.done
}
