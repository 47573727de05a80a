package ext

import (
	"encoding/binary"
	"fmt"
	"io"
	"sync"
)

// Options bounds the work done on one image. Zero (or negative) fields take
// the defaults below, which fit any real firmware image.
type Options struct {
	// MaxFiles is the most entries Walk reports before it stops with
	// ErrLimit. Default 1,000,000.
	MaxFiles int
	// MaxDirBytes bounds the directory content Walk reads over the whole
	// image (each directory is read once). Default 1 GiB.
	MaxDirBytes int64
}

// Default limits.
const (
	DefaultMaxFiles    = 1_000_000
	DefaultMaxDirBytes = 1 << 30
)

func (o Options) withDefaults() Options {
	if o.MaxFiles <= 0 {
		o.MaxFiles = DefaultMaxFiles
	}
	if o.MaxDirBytes <= 0 {
		o.MaxDirBytes = DefaultMaxDirBytes
	}
	return o
}

// RootInode is the inode number of the root directory.
const RootInode = 2

// Image is an opened ext2/3/4 filesystem. It is safe for concurrent use;
// readers returned by Open are not (each is meant for one goroutine).
type Image struct {
	r    io.ReaderAt
	size int64 // bytes available, at most the filesystem's length
	sb   *superblock
	opt  Options

	mu     sync.Mutex
	tables map[uint64]uint64 // group -> first block of its inode table
}

// Sniff reports whether head, the first bytes of some data (at least 2048),
// starts with an ext2/3/4 superblock that passes the consistency checks.
// Backup superblocks (s_block_group_nr != 0) are refused: a carver would
// otherwise find one image at each of its backups.
func Sniff(head []byte) bool {
	if len(head) < superblockOffset+superblockSize {
		return false
	}
	sb, err := parseSuperblock(head[superblockOffset : superblockOffset+superblockSize])
	return err == nil && sb.groupNr == 0
}

// Open reads the superblock of the filesystem held in the first size bytes
// of r and checks the root inode. The filesystem may be followed by other
// data (its length is Length); if it is cut short, Open still succeeds when
// the root directory can be read, and reads beyond size fail with
// ErrTruncated.
func Open(r io.ReaderAt, size int64, opt Options) (*Image, error) {
	if size < superblockOffset+superblockSize {
		return nil, errorf(ErrNotExt, "%d bytes is too small", size)
	}
	b := make([]byte, superblockSize)
	if n, err := r.ReadAt(b, superblockOffset); n < len(b) {
		return nil, readError(err, superblockOffset, len(b), n)
	}
	sb, err := parseSuperblock(b)
	if err != nil {
		return nil, err
	}
	if sb.incompat&incompatJournalDev != 0 {
		return nil, errorf(ErrUnsupported, "an external journal device holds no files")
	}
	im := &Image{r: r, size: min(size, sb.length()), sb: sb, opt: opt.withDefaults(), tables: map[uint64]uint64{}}
	root, err := im.inode(RootInode)
	if err != nil {
		return nil, err
	}
	if root.typ() != typeDir {
		return nil, errorf(ErrCorrupt, "root inode has mode %#o, not a directory", root.mode)
	}
	return im, nil
}

// Length returns the filesystem's size in bytes as the superblock states
// it (block count times block size). A carver can take it as the end.
func (im *Image) Length() int64 { return im.sb.length() }

// BlockSize returns the filesystem block size in bytes.
func (im *Image) BlockSize() int64 { return im.sb.blockSize }

// readAt reads exactly len(p) bytes at off, which must lie within the
// filesystem.
func (im *Image) readAt(p []byte, off int64) error {
	if off < 0 || int64(len(p)) > im.sb.length()-off {
		return errorf(ErrCorrupt, "%d bytes at offset %d lie beyond the filesystem end %d", len(p), off, im.sb.length())
	}
	if int64(len(p)) > im.size-off {
		return errorf(ErrTruncated, "%d bytes at offset %d lie beyond the image end %d", len(p), off, im.size)
	}
	n, err := im.r.ReadAt(p, off)
	if n == len(p) {
		return nil
	}
	return readError(err, off, len(p), n)
}

// readBlock reads block blk into p (len(p) == block size).
func (im *Image) readBlock(p []byte, blk uint64) error {
	if blk >= im.sb.blocksCount {
		return errorf(ErrCorrupt, "block %d beyond the %d blocks of the filesystem", blk, im.sb.blocksCount)
	}
	return im.readAt(p, int64(blk)*im.sb.blockSize)
}

// inodeTable returns the first block of group g's inode table, from its
// group descriptor (read on demand: a hostile superblock can claim
// millions of groups).
func (im *Image) inodeTable(g uint64) (uint64, error) {
	im.mu.Lock()
	t, ok := im.tables[g]
	im.mu.Unlock()
	if ok {
		return t, nil
	}
	d := make([]byte, im.sb.descSize)
	if err := im.readAt(d, im.sb.descOffset(g)); err != nil {
		return 0, err
	}
	t = uint64(binary.LittleEndian.Uint32(d[0x8:]))
	if im.sb.descSize >= 64 {
		t |= uint64(binary.LittleEndian.Uint32(d[0x28:])) << 32
	}
	if t == 0 || t >= im.sb.blocksCount {
		return 0, errorf(ErrCorrupt, "group %d has its inode table at block %d", g, t)
	}
	im.mu.Lock()
	if len(im.tables) > 1<<16 { // bounded cache
		clear(im.tables)
	}
	im.tables[g] = t
	im.mu.Unlock()
	return t, nil
}

// inode reads inode number ino.
func (im *Image) inode(ino uint32) (*inode, error) {
	if ino == 0 || ino > im.sb.inodesCount {
		return nil, errorf(ErrCorrupt, "inode %d out of range 1-%d", ino, im.sb.inodesCount)
	}
	g := uint64(ino-1) / uint64(im.sb.inodesPerGroup)
	idx := int64(ino-1) % int64(im.sb.inodesPerGroup)
	t, err := im.inodeTable(g)
	if err != nil {
		return nil, err
	}
	b := make([]byte, im.sb.inodeSize)
	if err := im.readAt(b, int64(t)*im.sb.blockSize+idx*im.sb.inodeSize); err != nil {
		return nil, fmt.Errorf("inode %d: %w", ino, err)
	}
	return parseInode(ino, b), nil
}
