package cramfs

import (
	"bytes"
	"compress/zlib"
	"io"
	"io/fs"
)

// Open returns a reader of f's content, unpacking one block at a time.
func (im *Image) Open(f *File) (io.Reader, error) {
	size := int64(f.in.size)
	if !f.Mode.IsRegular() && f.Mode&fs.ModeSymlink == 0 {
		size = 0
	}
	return &reader{im: im, in: f.in, size: size, nblocks: (size + im.bs - 1) / im.bs}, nil
}

type reader struct {
	im      *Image
	in      inode
	size    int64
	nblocks int64
	next    int64 // next block to unpack
	pos     int64 // bytes returned so far
	buf     []byte
	err     error
}

func (r *reader) Read(p []byte) (int, error) {
	for len(r.buf) == 0 {
		if r.err != nil {
			return 0, r.err
		}
		if r.pos >= r.size {
			return 0, io.EOF
		}
		b, err := r.im.block(r.in, r.nblocks, r.next, min(r.im.bs, r.size-r.next*r.im.bs))
		if err != nil {
			r.err = err
			return 0, err
		}
		r.buf = b
		r.next++
	}
	n := copy(p, r.buf)
	r.buf = r.buf[n:]
	r.pos += int64(n)
	return n, nil
}

// block returns block i of a file of nblocks blocks, want bytes long.
func (im *Image) block(in inode, nblocks, i, want int64) ([]byte, error) {
	table := int64(in.offset)
	var ptrs [8]byte
	var start, end uint32
	if i == 0 {
		if err := im.readAt(ptrs[4:], table); err != nil {
			return nil, err
		}
		start = uint32(table + 4*nblocks)
		end = im.bo.Uint32(ptrs[4:])
	} else {
		if err := im.readAt(ptrs[:], table+4*(i-1)); err != nil {
			return nil, err
		}
		start, end = im.bo.Uint32(ptrs[:]), im.bo.Uint32(ptrs[4:])
	}
	uncompressed := false
	if im.flags&flagExtBlocks != 0 {
		if end&blkDirect != 0 {
			return nil, errorf(ErrUnsupported, "direct block pointers")
		}
		uncompressed = end&blkUncompressed != 0
		start &^= blkUncompressed | blkDirect
		end &^= blkUncompressed | blkDirect
	}
	out := make([]byte, want)
	if start == end { // a hole
		return out, nil
	}
	if end < start || end-start > 2*MaxBlock {
		return nil, errorf(ErrCorrupt, "block %d of the file at 0x%x: pointers 0x%x..0x%x", i, table, start, end)
	}
	raw := make([]byte, end-start)
	if err := im.readAt(raw, int64(start)); err != nil {
		return nil, err
	}
	if uncompressed {
		copy(out, raw)
		return out, nil
	}
	zr, err := zlib.NewReader(bytes.NewReader(raw))
	if err == nil {
		_, err = io.ReadFull(zr, out)
	}
	if err != nil {
		return nil, errorf(ErrCorrupt, "block %d of the file at 0x%x: %v", i, table, err)
	}
	return out, nil
}

// blockSize finds the block size by unpacking the first block of the
// first file big enough to tell: the one size for which its first block
// starts right after its pointer table and unpacks to a full block.
func (im *Image) blockSize() int64 {
	const fallback = 4096
	var found int64
	budget := 64 // files examined
	_ = im.Walk(func(f *File) error {
		if budget--; budget < 0 {
			return io.EOF
		}
		if !f.Mode.IsRegular() || f.Size <= fallback {
			return nil
		}
		for bs := int64(4096); bs <= MaxBlock; bs *= 2 {
			n := (f.Size + bs - 1) / bs
			if b, err := im.block(f.in, n, 0, min(bs, f.Size)); err == nil && len(b) > 0 {
				found = bs
				return io.EOF
			}
		}
		return nil
	})
	if found == 0 {
		return fallback
	}
	return found
}
