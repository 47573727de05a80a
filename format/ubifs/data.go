package ubifs

import (
	"bytes"
	"compress/flate"
	"errors"
	"io"

	"github.com/doorman-sec/doorman/format/lzo"
	"github.com/klauspost/compress/zstd"
)

// Compressor types of data nodes.
const (
	ComprNone = 0
	ComprLZO  = 1
	ComprZlib = 2
	ComprZstd = 3
)

// dataRef is one data node of a file: its block number and where it lies.
type dataRef struct {
	block uint32
	ref   nodeRef
}

// Open returns a reader of a regular file's content: its data nodes in
// block order, holes as zeros, ending at the inode's size.
func (im *Image) Open(f *File) (io.Reader, error) {
	if !f.Mode.IsRegular() {
		return nil, errorf(ErrCorrupt, "%s is not a regular file", f.Path)
	}
	if in := im.inodes[f.Ino]; in != nil && in.flags&inodeFlagCrypt != 0 {
		return nil, errorf(ErrUnsupported, "%s is encrypted", f.Path)
	}
	return &fileReader{im: im, refs: im.data[f.Ino], size: f.Size}, nil
}

// fileReader produces a file one block at a time.
type fileReader struct {
	im    *Image
	refs  []dataRef // sorted by block
	size  int64
	pos   int64
	buf   []byte // the current block, from pos on
	block [BlockSize]byte
}

func (r *fileReader) Read(p []byte) (int, error) {
	if len(r.buf) == 0 {
		if r.pos >= r.size {
			return 0, io.EOF
		}
		if err := r.fill(); err != nil {
			return 0, err
		}
	}
	n := copy(p, r.buf)
	r.buf = r.buf[n:]
	r.pos += int64(n)
	return n, nil
}

// fill loads the block holding pos: its data node, or zeros for a hole.
func (r *fileReader) fill() error {
	blk := r.pos / BlockSize
	clear(r.block[:])
	for len(r.refs) > 0 && int64(r.refs[0].block) < blk {
		r.refs = r.refs[1:]
	}
	if len(r.refs) > 0 && int64(r.refs[0].block) == blk {
		if err := r.im.readBlock(r.refs[0].ref, r.block[:]); err != nil {
			return err
		}
		r.refs = r.refs[1:]
	}
	in := r.pos % BlockSize
	end := min(int64(BlockSize), r.size-blk*BlockSize)
	r.buf = r.block[in:end]
	return nil
}

// readBlock reads and decompresses one data node into dst (BlockSize
// bytes); a node shorter than a block leaves the rest zero.
func (im *Image) readBlock(ref nodeRef, dst []byte) error {
	b, err := im.readNode(ref, typeData, dataNodeSize)
	if err != nil {
		return err
	}
	size := int(le.Uint32(b[40:]))
	if size > BlockSize {
		return errorf(ErrCorrupt, "data node at %d:%d: %d bytes", ref.lnum, ref.offs, size)
	}
	src := b[dataNodeSize:]
	dst = dst[:size]
	var n int
	switch c := le.Uint16(b[44:]); c {
	case ComprNone:
		n = copy(dst, src)
	case ComprLZO:
		n, err = lzo.Decompress(dst, src)
	case ComprZlib:
		n, err = inflate(dst, src)
	case ComprZstd:
		n, err = im.unzstd(dst, src)
	default:
		return errorf(ErrUnsupported, "compressor %d", c)
	}
	if err != nil {
		return errorf(ErrCorrupt, "data node at %d:%d: %v", ref.lnum, ref.offs, err)
	}
	if n != size {
		return errorf(ErrCorrupt, "data node at %d:%d: %d bytes, header says %d", ref.lnum, ref.offs, n, size)
	}
	return nil
}

// inflate decodes a raw deflate stream into dst, failing when it holds
// more than dst (the kernel's output buffer is one block too).
func inflate(dst, src []byte) (int, error) {
	fr := flate.NewReader(bytes.NewReader(src))
	n, err := io.ReadFull(fr, dst)
	if errors.Is(err, io.ErrUnexpectedEOF) || errors.Is(err, io.EOF) {
		return n, nil // a short block: n says how short
	}
	if err != nil {
		return n, err
	}
	var one [1]byte
	if m, _ := fr.Read(one[:]); m > 0 {
		return n, errors.New("deflate output larger than the block")
	}
	return n, nil
}

// unzstd decodes one zstd frame of at most one block with a shared
// decoder whose memory is bounded.
func (im *Image) unzstd(dst, src []byte) (int, error) {
	im.zstdOnce.Do(func() {
		im.zstd, im.zstdErr = zstd.NewReader(nil,
			zstd.WithDecoderConcurrency(1),
			zstd.WithDecoderLowmem(true),
			zstd.WithDecoderMaxMemory(BlockSize),
			zstd.WithDecoderMaxWindow(1<<20),
			zstd.WithDecodeAllCapLimit(true))
	})
	if im.zstdErr != nil {
		return 0, im.zstdErr
	}
	out, err := im.zstd.DecodeAll(src, dst[:0])
	if err != nil {
		return 0, err
	}
	if len(out) > len(dst) || (len(out) > 0 && &out[0] != &dst[0]) {
		return copy(dst, out), errors.New("zstd output larger than the block")
	}
	return len(out), nil
}
