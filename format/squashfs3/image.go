package squashfs3

import (
	"errors"
	"fmt"
	"io"
	"sync"
	"sync/atomic"
)

// Options bounds the work done on one image. Zero fields take defaults.
type Options struct {
	// MaxFiles is the most entries Walk reports before stopping with
	// ErrLimit. Default 1,000,000.
	MaxFiles int
	// MaxMetadataBytes bounds metadata work over the image's lifetime:
	// bytes decompressed plus bytes decoded from them. Default 256 MiB.
	MaxMetadataBytes int64
}

// Default limits.
const (
	DefaultMaxFiles         = 1_000_000
	DefaultMaxMetadataBytes = 256 << 20
)

// Image is an opened SquashFS 3.x image. It is safe for concurrent use.
type Image struct {
	r         io.ReaderAt
	end       int64
	sb        *superblock
	opt       Options
	blockSize int
	uids      []uint32
	gids      []uint32
	root      *inode
	metaUsed  atomic.Int64

	mu      sync.Mutex // guards everything below
	dec     decoder
	scratch []byte
	meta    map[int64]*metaBlock
	frag    struct {
		index int64
		data  []byte
	}
}

// Open reads the superblock, uid/gid table and root inode of the image in
// the first size bytes of r. If size is shorter than the superblock's
// bytes_used, Open fails with ErrTruncated.
func Open(r io.ReaderAt, size int64, opt Options) (*Image, error) {
	if opt.MaxFiles <= 0 {
		opt.MaxFiles = DefaultMaxFiles
	}
	if opt.MaxMetadataBytes <= 0 {
		opt.MaxMetadataBytes = DefaultMaxMetadataBytes
	}
	if size < 0 {
		return nil, errors.New("squashfs3: negative size")
	}
	head := make([]byte, min(size, SuperblockSize))
	if n, err := r.ReadAt(head, 0); n < len(head) {
		return nil, readError(err, 0, len(head), n)
	}
	sb, err := parseSuperblock(head)
	if err != nil {
		return nil, err
	}
	if int64(sb.bytesUsed) > size {
		return nil, errorf(ErrTruncated, "superblock says the image is %d bytes, only %d available", sb.bytesUsed, size)
	}
	im := &Image{r: r, end: int64(sb.bytesUsed), sb: sb, opt: opt, blockSize: int(sb.blockSize),
		meta: map[int64]*metaBlock{}}
	im.dec.blockSize = im.blockSize
	im.frag.index = -1
	if err := im.readIDs(); err != nil {
		return nil, fmt.Errorf("uid table: %w", err)
	}
	if im.root, err = im.readInode(sb.rootInode>>16, sb.rootInode&0xffff); err != nil {
		return nil, fmt.Errorf("root inode: %w", err)
	}
	if !im.root.isDir() {
		return nil, errorf(ErrCorrupt, "root inode is of type %d, not a directory", im.root.typ)
	}
	return im, nil
}

// BytesUsed returns the image length the superblock records (without
// the padding mksquashfs adds); a carver takes it as the image's end.
func (im *Image) BytesUsed() int64 { return im.end }

// BigEndian reports whether the image is big-endian ("sqsh").
func (im *Image) BigEndian() bool { return im.sb.be }

// Version returns the superblock version, "3.0" or "3.1".
func (im *Image) Version() string { return fmt.Sprintf("3.%d", im.sb.minor) }

// Compression names the codecs the blocks decoded so far used: "gzip",
// "lzma" (LZMA-alone), "lzma-raw", several joined with "+", or "" before
// any compressed block was read. The superblock does not record it.
func (im *Image) Compression() string {
	s := ""
	seen := im.dec.seen.Load()
	for _, c := range []struct {
		bit  uint32
		name string
	}{{codecZlib, "gzip"}, {codecLZMA, "lzma"}, {codecRawLZMA, "lzma-raw"}} {
		if seen&c.bit != 0 {
			if s != "" {
				s += "+"
			}
			s += c.name
		}
	}
	return s
}

// readIDs loads the raw uid and gid tables (no_uids then no_guids
// 32-bit words at uid_start).
func (im *Image) readIDs() error {
	n := int(im.sb.noUIDs) + int(im.sb.noGUIDs)
	b := make([]byte, 4*n)
	if err := im.readAt(b, int64(im.sb.uidStart)); err != nil {
		return err
	}
	bo := im.sb.order()
	ids := make([]uint32, n)
	for i := range ids {
		ids[i] = bo.Uint32(b[4*i:])
	}
	im.uids, im.gids = ids[:im.sb.noUIDs], ids[im.sb.noUIDs:]
	return nil
}

// readAt reads exactly len(p) bytes at off, inside the image.
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

func readError(err error, off int64, want, got int) error {
	if err == nil || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return errorf(ErrTruncated, "read %d of %d bytes at offset %d", got, want, off)
	}
	return fmt.Errorf("squashfs3: read at offset %d: %w", off, err)
}

// Data block size words: bit 24 set means stored uncompressed.
const (
	blockUncompressed = 1 << 24
	blockSizeMask     = blockUncompressed - 1
)

// readBlock reads the data or fragment block with size word word at pos
// and decodes it into dst (whose length is the cap). want is the exact
// decoded size if known, else 0.
func (im *Image) readBlock(dst []byte, pos int64, word uint32, want int) (int, error) {
	size := int(word & blockSizeMask)
	if word>>25 != 0 || size == 0 || size > im.blockSize {
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
	if word&blockUncompressed != 0 {
		if size > len(dst) {
			return 0, errTooLarge
		}
		return copy(dst, raw), nil
	}
	n, err := im.dec.decode(dst, raw, want)
	if err != nil {
		return 0, fmt.Errorf("block at %d: %w", pos, err)
	}
	return n, nil
}
