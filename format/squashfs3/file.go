package squashfs3

import (
	"fmt"
	"io"
)

// Open returns the content of a regular file, decoded block by block as
// it is read.
func (im *Image) Open(f *File) (io.Reader, error) {
	in := f.node
	if in == nil || (in.typ != typeFile && in.typ != typeLFile) {
		return nil, fmt.Errorf("squashfs3: %s is not a regular file", f.Path)
	}
	bs := uint64(im.blockSize)
	blocks := in.size / bs
	tail := in.size % bs
	if in.fragment == invalidFrag && tail > 0 {
		blocks++
		tail = 0
	}
	r := &fileReader{im: im, in: in, blocks: blocks, tail: int(tail), pos: int64(in.startBlock)}
	if blocks > 0 {
		m, err := im.metaReaderAt(in.blockList.pos, int64(im.sb.dirTable), in.blockList.off)
		if err != nil {
			return nil, fmt.Errorf("block list: %w", err)
		}
		r.list = m
	}
	return r, nil
}

// fileReader streams one file.
type fileReader struct {
	im     *Image
	in     *inode
	list   *metaReader
	blocks uint64 // full (or, without a fragment, last partial) blocks
	tail   int    // bytes in the fragment
	done   uint64 // blocks read
	pos    int64  // disk position of the next block
	buf    []byte
	err    error
}

func (r *fileReader) Read(p []byte) (int, error) {
	for len(r.buf) == 0 {
		if r.err != nil {
			return 0, r.err
		}
		r.buf, r.err = r.fill()
		if r.err == nil && len(r.buf) == 0 {
			r.err = io.EOF
		}
	}
	n := copy(p, r.buf)
	r.buf = r.buf[n:]
	return n, nil
}

// fill returns the next block's content, or the fragment tail after the
// blocks, or nothing at the end.
func (r *fileReader) fill() ([]byte, error) {
	im := r.im
	if r.done < r.blocks {
		want := uint64(im.blockSize)
		if r.done == r.blocks-1 && r.tail == 0 && r.in.size%want != 0 {
			want = r.in.size % want
		}
		b, err := r.list.next(4)
		if err != nil {
			return nil, fmt.Errorf("block list: %w", err)
		}
		word := im.sb.order().Uint32(b)
		r.done++
		out := make([]byte, want)
		if word == 0 { // sparse
			return out, nil
		}
		n, err := im.readBlock(out, r.pos, word, int(want))
		if err != nil {
			return nil, err
		}
		if n != int(want) {
			return nil, errorf(ErrCorrupt, "block %d decodes to %d bytes, want %d", r.done-1, n, want)
		}
		r.pos += int64(word & blockSizeMask)
		return out, nil
	}
	if r.tail > 0 {
		t := r.tail
		r.tail = 0
		frag, err := im.fragment(r.in.fragment)
		if err != nil {
			return nil, fmt.Errorf("fragment %d: %w", r.in.fragment, err)
		}
		off := uint64(r.in.fragOffset)
		if off > uint64(len(frag)) || uint64(t) > uint64(len(frag))-off {
			return nil, errorf(ErrCorrupt, "%d bytes at %d of a %d-byte fragment", t, off, len(frag))
		}
		return append([]byte(nil), frag[off:off+uint64(t)]...), nil
	}
	return nil, nil
}

// Fragment table entries: start (64 bits), size word (32), unused (32).
const fragEntrySize = 16

// fragment returns the decoded fragment block i; the last one is cached.
func (im *Image) fragment(i uint32) ([]byte, error) {
	if i >= im.sb.fragments {
		return nil, errorf(ErrCorrupt, "fragment %d of %d", i, im.sb.fragments)
	}
	im.mu.Lock()
	if im.frag.index == int64(i) {
		d := im.frag.data
		im.mu.Unlock()
		return d, nil
	}
	im.mu.Unlock()
	byteOff := uint64(i) * fragEntrySize
	var idx [8]byte
	if err := im.readAt(idx[:], int64(im.sb.fragmentTable+byteOff/metadataSize*8)); err != nil {
		return nil, fmt.Errorf("fragment index: %w", err)
	}
	blk := im.sb.order().Uint64(idx[:])
	if blk < SuperblockSize || blk >= im.sb.fragmentTable {
		return nil, errorf(ErrCorrupt, "fragment table block at %d", blk)
	}
	m, err := im.metaReaderAt(int64(blk), int64(im.sb.fragmentTable), int(byteOff%metadataSize))
	if err != nil {
		return nil, err
	}
	e, err := m.next(fragEntrySize)
	if err != nil {
		return nil, err
	}
	bo := im.sb.order()
	start, word := bo.Uint64(e), bo.Uint32(e[8:])
	if start > uint64(im.end) {
		return nil, errorf(ErrCorrupt, "fragment block at %d", start)
	}
	data := make([]byte, im.blockSize)
	n, err := im.readBlock(data, int64(start), word, 0)
	if err != nil {
		return nil, err
	}
	data = data[:n]
	im.mu.Lock()
	im.frag.index, im.frag.data = int64(i), data
	im.mu.Unlock()
	return data, nil
}
