package squashfs

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"

	"github.com/doorman-sec/doorman/format/squashfs/internal/layout"
)

// Open returns the content of the regular file f, which must come from
// this image's Walk. The content is decoded one block at a time as it is
// read, so memory use is about one block whatever Size claims; sparse
// blocks read as zeros. A read error wraps ErrCorrupt, ErrTruncated or
// ErrLimit; an image that lies about the size of a file yields an error
// once the data it has runs out, never an allocation of the claimed size.
// The reader is not safe for concurrent use, but many may be open at once.
func (im *Image) Open(f *File) (io.Reader, error) {
	if f == nil || f.im != im || f.node == nil {
		return nil, errors.New("squashfs: Open of a File that did not come from this image")
	}
	in := f.node
	if in.typ != layout.TypeFile {
		return nil, fmt.Errorf("squashfs: %s: not a regular file", f.Path)
	}
	if in.fragment != layout.NoFragment && in.fragment >= im.sb.fragmentCount {
		return nil, fmt.Errorf("%s: %w", f.Path, errorf(ErrCorrupt, "fragment %d of %d", in.fragment, im.sb.fragmentCount))
	}
	blocks := in.blockCount(im.blockSize)
	if blocks > 0 && in.blocksStart > uint64(im.end) {
		return nil, fmt.Errorf("%s: %w", f.Path, errorf(ErrCorrupt, "data starts at %d, past the image end", in.blocksStart))
	}
	fr := &fileReader{
		im:        im,
		path:      f.Path,
		remaining: int64(in.size),
		blocks:    blocks,
		pos:       int64(in.blocksStart),
		fragment:  in.fragment,
		fragOff:   in.fragOffset,
	}
	if blocks > 0 {
		list, err := im.metaReaderAt(in.listPos, int64(im.sb.dirTable), in.listOff)
		if err != nil {
			return nil, fmt.Errorf("%s: %w", f.Path, err)
		}
		fr.list = list
	}
	return fr, nil
}

// fileReader streams a regular file: its block list is read from the inode
// table as blocks are needed, so neither a huge block count nor a huge size
// costs anything until read.
type fileReader struct {
	im        *Image
	path      string
	remaining int64       // file bytes not yet decoded
	blocks    int64       // block list entries not yet read
	pos       int64       // disk position of the next stored block
	list      *metaReader // block list (nil when there are no blocks)
	fragment  uint32
	fragOff   uint32
	buf       []byte // one decoded block
	cur       []byte // the part of the current block not yet returned
	err       error
}

// Read implements io.Reader.
func (fr *fileReader) Read(p []byte) (int, error) {
	if fr.err != nil {
		return 0, fr.err
	}
	if len(p) == 0 {
		return 0, nil
	}
	for len(fr.cur) == 0 {
		if fr.remaining == 0 {
			fr.err = io.EOF
			return 0, io.EOF
		}
		if err := fr.fill(); err != nil {
			fr.err = fmt.Errorf("%s: %w", fr.path, err)
			return 0, fr.err
		}
	}
	n := copy(p, fr.cur)
	fr.cur = fr.cur[n:]
	return n, nil
}

// fill decodes the next block, or the fragment tail, into cur. Each call
// yields at least one byte or an error, so Read cannot spin.
func (fr *fileReader) fill() error {
	if fr.blocks == 0 {
		return fr.fillTail()
	}
	word, err := fr.list.next(4)
	if err != nil {
		return fmt.Errorf("block list: %w", err)
	}
	size := binary.LittleEndian.Uint32(word)
	fr.blocks--
	if fr.buf == nil {
		fr.buf = make([]byte, fr.im.blockSize)
	}
	want := int(min(int64(fr.im.blockSize), fr.remaining))
	if size == 0 {
		// A sparse block: mksquashfs stores all-zero blocks as nothing.
		fr.cur = fr.buf[:want]
		clear(fr.cur)
	} else {
		n, err := fr.im.readBlock(fr.buf, fr.pos, size)
		if err != nil {
			return err
		}
		if n != want {
			return errorf(ErrCorrupt, "block at %d decodes to %d bytes, want %d", fr.pos, n, want)
		}
		fr.pos += int64(size & layout.DataSizeMask)
		fr.cur = fr.buf[:n]
	}
	fr.remaining -= int64(want)
	return nil
}

// fillTail serves the last bytes of the file from its fragment block.
func (fr *fileReader) fillTail() error {
	if fr.fragment == layout.NoFragment {
		return errorf(ErrCorrupt, "file data ends %d bytes early", fr.remaining)
	}
	frag, err := fr.im.fragmentBlock(fr.fragment)
	if err != nil {
		return err
	}
	off := uint64(fr.fragOff)
	if off+uint64(fr.remaining) > uint64(len(frag)) {
		return errorf(ErrCorrupt, "tail of %d bytes at offset %d outside fragment %d (%d bytes)",
			fr.remaining, off, fr.fragment, len(frag))
	}
	fr.cur = frag[off : off+uint64(fr.remaining)]
	fr.remaining = 0
	return nil
}
