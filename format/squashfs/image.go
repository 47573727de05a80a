package squashfs

import (
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"

	"github.com/doorman-sec/doorman/format/squashfs/internal/layout"
)

// Options bounds the work done on one image. Zero (or negative) fields take
// the defaults below, which fit any real firmware image.
type Options struct {
	// MaxFiles is the most entries Walk reports before it stops with
	// ErrLimit. A hostile image can list the same inodes from many
	// directories, so this bounds the walk, not the inode count.
	// Default 1,000,000.
	MaxFiles int
	// MaxMetadataBytes bounds the metadata work over the image's
	// lifetime: bytes of metadata blocks decompressed (again after cache
	// eviction) plus bytes decoded from them (inodes, directory entries,
	// block lists, counting repeats, since a hostile image can point many
	// entries at one large inode). Past it every read fails with ErrLimit.
	// Real images need about twice their uncompressed metadata.
	// Default 256 MiB.
	MaxMetadataBytes int64
}

// Default limits.
const (
	DefaultMaxFiles         = 1_000_000
	DefaultMaxMetadataBytes = 256 << 20
)

func (o Options) withDefaults() Options {
	if o.MaxFiles <= 0 {
		o.MaxFiles = DefaultMaxFiles
	}
	if o.MaxMetadataBytes <= 0 {
		o.MaxMetadataBytes = DefaultMaxMetadataBytes
	}
	return o
}

// Image is an opened SquashFS image. It is safe for concurrent use.
type Image struct {
	r         io.ReaderAt
	end       int64 // bytes_used: no structure may extend past it
	sb        *superblock
	opt       Options
	blockSize int
	ids       []uint32
	root      *inode

	metaUsed atomic.Int64 // metadata work so far (Options.MaxMetadataBytes)

	// mu guards everything below: the decoder keeps state between blocks
	// and the caches are shared by all readers.
	mu      sync.Mutex
	dec     decompressor
	scratch []byte // compressed bytes of the block being decoded
	meta    map[int64]*metaBlock
	frags   fragmentCache
}

// Open reads the superblock, id table and root inode of the image held in
// the first size bytes of r. The image may be followed by other data (its
// real length is BytesUsed); if size is shorter than the superblock says the
// image is, Open fails with ErrTruncated.
func Open(r io.ReaderAt, size int64, opt Options) (*Image, error) {
	if size < 0 {
		return nil, errors.New("squashfs: negative size")
	}
	head := make([]byte, min(size, layout.SuperblockSize))
	if n, err := r.ReadAt(head, 0); n < len(head) {
		return nil, fmt.Errorf("squashfs: reading superblock: %w", readError(err, 0, len(head), n))
	}
	sb, err := parseSuperblock(head)
	if err != nil {
		return nil, err
	}
	if int64(sb.bytesUsed) > size {
		return nil, errorf(ErrTruncated, "superblock says the image is %d bytes, only %d available", sb.bytesUsed, size)
	}
	dec, err := newDecompressor(sb.compression, int(sb.blockSize))
	if err != nil {
		return nil, err
	}
	im := &Image{
		r:         r,
		end:       int64(sb.bytesUsed),
		sb:        sb,
		opt:       opt.withDefaults(),
		blockSize: int(sb.blockSize),
		dec:       dec,
		meta:      make(map[int64]*metaBlock),
	}
	if im.ids, err = im.readIDs(); err != nil {
		return nil, fmt.Errorf("id table: %w", err)
	}
	if im.root, err = im.readInode(sb.rootInode>>16, sb.rootInode&0xffff); err != nil {
		return nil, fmt.Errorf("root inode: %w", err)
	}
	if im.root.typ != layout.TypeDir {
		return nil, errorf(ErrCorrupt, "root inode is of type %d, not a directory", im.root.typ)
	}
	return im, nil
}

// Compression returns the compressor name as mksquashfs spells it: "gzip",
// "lzma", "lzo", "xz", "lz4" or "zstd".
func (im *Image) Compression() string {
	return compressorNames[im.sb.compression]
}

// BytesUsed returns the image length recorded in the superblock, without
// the padding mksquashfs adds. A carver can take it as the image's end.
func (im *Image) BytesUsed() int64 {
	return im.end
}

// readAt reads exactly len(p) bytes at off, which must lie within the
// image as the superblock describes it.
func (im *Image) readAt(p []byte, off int64) error {
	if off < 0 || off > im.end || int64(len(p)) > im.end-off {
		return errorf(ErrCorrupt, "%d bytes at offset %d lie beyond the image end %d", len(p), off, im.end)
	}
	n, err := im.r.ReadAt(p, off)
	if n == len(p) {
		return nil
	}
	return readError(err, off, len(p), n)
}

// readError explains a short ReadAt. Running out of data means the image
// is shorter than claimed (ErrTruncated); other errors are I/O errors and
// pass through.
func readError(err error, off int64, want, got int) error {
	if err == nil || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return errorf(ErrTruncated, "read %d of %d bytes at offset %d", got, want, off)
	}
	return fmt.Errorf("squashfs: read at offset %d: %w", off, err)
}

// readBlock reads the data block or fragment block whose size word is word
// from pos, and decodes it into dst, whose length is the cap. The caller
// handles sparse blocks (size 0) before calling.
func (im *Image) readBlock(dst []byte, pos int64, word uint32) (int, error) {
	size := int(word & layout.DataSizeMask)
	if word&^(layout.DataSizeMask|layout.DataUncompressed) != 0 || size == 0 || size > im.blockSize {
		return 0, errorf(ErrCorrupt, "block at %d has size word %#x (block size %d)", pos, word, im.blockSize)
	}
	im.mu.Lock()
	defer im.mu.Unlock()
	if cap(im.scratch) < size {
		im.scratch = make([]byte, im.blockSize)
	}
	raw := im.scratch[:size]
	if err := im.readAt(raw, pos); err != nil {
		return 0, err
	}
	if word&layout.DataUncompressed != 0 {
		if size > len(dst) {
			return 0, errTooLarge
		}
		return copy(dst, raw), nil
	}
	n, err := im.dec.decompress(dst, raw)
	if err != nil {
		return 0, fmt.Errorf("block at %d: %w", pos, err)
	}
	return n, nil
}
