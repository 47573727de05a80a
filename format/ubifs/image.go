package ubifs

import (
	"io"
	"sync"

	"github.com/klauspost/compress/zstd"
)

// Options bound the work done on one image. Zero values take the defaults.
type Options struct {
	// MaxNodes bounds the index and leaf nodes visited (default 4 Mi).
	MaxNodes int
	// MaxFiles bounds the files Walk reports (default 1 Mi).
	MaxFiles int
}

func (o Options) withDefaults() Options {
	if o.MaxNodes <= 0 {
		o.MaxNodes = 4 << 20
	}
	if o.MaxFiles <= 0 {
		o.MaxFiles = 1 << 20
	}
	return o
}

// Image is an opened UBIFS image. It is safe for concurrent use; readers
// from Open are not.
type Image struct {
	r       io.ReaderAt
	size    int64
	opt     Options
	minIO   int64
	lebSize int64
	lebCnt  int64
	compr   uint16 // default compressor
	root    nodeRef
	// logLEBs, logLnum and cmtNo locate the journal (see journal.go).
	logLEBs, logLnum int64
	cmtNo            uint64
	// inodes, dents and data are what the index walk found.
	inodes map[uint32]*inode
	dents  map[uint32][]dent
	data   map[uint32][]dataRef
	nodes  int
	// warnings are problems met while replaying the journal.
	warnings []error

	zstdOnce sync.Once
	zstd     *zstd.Decoder
	zstdErr  error
}

// nodeRef is where a node lies: LEB, offset in it, length.
type nodeRef struct {
	lnum, offs, len uint32
}

// Superblock flags that change the layout.
const (
	flagEncryption = 0x10
	flagAuth       = 0x20
)

// Open reads the superblock and the master node of the image of size
// bytes in r and walks the index.
func Open(r io.ReaderAt, size int64, opt Options) (*Image, error) {
	im, err := OpenSuper(r, size, opt)
	if err != nil {
		return nil, err
	}
	if err := im.walkIndex(); err != nil {
		return nil, err
	}
	if err := im.replay(); err != nil {
		return nil, err
	}
	return im, nil
}

// OpenSuper reads the superblock and the master node only: enough for
// Length, cheap enough for carving. Walk then lists nothing.
func OpenSuper(r io.ReaderAt, size int64, opt Options) (*Image, error) {
	sb := make([]byte, sbNodeSize)
	if n, _ := r.ReadAt(sb, 0); n < sbNodeSize || !Sniff(sb) {
		return nil, ErrNotUBIFS
	}
	im := &Image{r: r, size: size, opt: opt.withDefaults(),
		minIO: int64(le.Uint32(sb[32:])), lebSize: int64(le.Uint32(sb[36:])), lebCnt: int64(le.Uint32(sb[40:])),
		compr: le.Uint16(sb[84:]), logLEBs: int64(le.Uint32(sb[56:])),
		inodes: map[uint32]*inode{}, dents: map[uint32][]dent{}, data: map[uint32][]dataRef{}}
	if sb[27] != 0 {
		return nil, errorf(ErrUnsupported, "key format %d", sb[27])
	}
	if im.minIO < 1 || im.minIO > maxNodeSize || im.lebSize < 4*sbNodeSize || im.lebSize > 1<<24 || im.lebCnt < 3 || im.lebCnt > 1<<22 {
		return nil, errorf(ErrCorrupt, "geometry: min I/O %d, LEB %d × %d", im.minIO, im.lebSize, im.lebCnt)
	}
	if f := le.Uint32(sb[28:]); f&(flagEncryption|flagAuth) != 0 {
		// Authenticated images add hashes to index branches and
		// encrypted ones cipher names and data: neither is in firmware
		// images seen so far.
		return nil, errorf(ErrUnsupported, "superblock flags %#x (encryption or authentication)", f)
	}
	if err := im.readMaster(); err != nil {
		return nil, err
	}
	return im, nil
}

// readMaster finds the newest valid master node in LEB 1 and its copy in
// LEB 2. Master nodes are appended at min-I/O-aligned offsets.
func (im *Image) readMaster() error {
	step := (mstNodeSize + im.minIO - 1) / im.minIO * im.minIO
	var best []byte
	var bestSq uint64
	b := make([]byte, mstNodeSize)
	for lnum := int64(1); lnum <= 2; lnum++ {
		for off := int64(0); off+mstNodeSize <= im.lebSize; off += step {
			if n, _ := im.r.ReadAt(b, lnum*im.lebSize+off); n < mstNodeSize {
				break
			}
			if le.Uint32(b[16:]) != mstNodeSize {
				break
			}
			if t, ok := checkNode(b); !ok || t != typeMst {
				break
			}
			if sq := le.Uint64(b[8:]); best == nil || sq > bestSq {
				best, bestSq = append([]byte(nil), b...), sq
			}
		}
	}
	if best == nil {
		return errorf(ErrCorrupt, "no valid master node")
	}
	im.root = nodeRef{lnum: le.Uint32(best[48:]), offs: le.Uint32(best[52:]), len: le.Uint32(best[56:])}
	im.cmtNo, im.logLnum = le.Uint64(best[32:]), int64(le.Uint32(best[44:]))
	return nil
}

// readNode reads the node at ref and checks its header, CRC and type.
func (im *Image) readNode(ref nodeRef, want uint8, minLen uint32) ([]byte, error) {
	if int64(ref.lnum) >= im.lebCnt || int64(ref.offs)+int64(ref.len) > im.lebSize || ref.len < minLen || ref.len > maxNodeSize {
		return nil, errorf(ErrCorrupt, "node at %d:%d, %d bytes, out of bounds", ref.lnum, ref.offs, ref.len)
	}
	b := make([]byte, ref.len)
	if n, _ := im.r.ReadAt(b, int64(ref.lnum)*im.lebSize+int64(ref.offs)); n < len(b) {
		return nil, errorf(ErrCorrupt, "node at %d:%d past the end of the image", ref.lnum, ref.offs)
	}
	if le.Uint32(b[16:]) != ref.len {
		return nil, errorf(ErrCorrupt, "node at %d:%d: length %d, index says %d", ref.lnum, ref.offs, le.Uint32(b[16:]), ref.len)
	}
	t, ok := checkNode(b)
	if !ok || t != want {
		return nil, errorf(ErrCorrupt, "node at %d:%d: bad CRC or type %d, want %d", ref.lnum, ref.offs, t, want)
	}
	return b, nil
}

// Length returns the bytes the image occupies: its LEBs, as the
// superblock counts them, within the data.
func (im *Image) Length() int64 { return min(im.lebCnt*im.lebSize, im.size) }

// Warnings returns the problems met while replaying the journal.
func (im *Image) Warnings() []error { return im.warnings }

// LEBSize returns the logical eraseblock size.
func (im *Image) LEBSize() int64 { return im.lebSize }
