package squashfs

import (
	"bytes"
	"errors"
	"fmt"
	"io"

	"github.com/doorman-sec/doorman/format/lzo"
	"github.com/doorman-sec/doorman/format/squashfs/internal/layout"
	"github.com/klauspost/compress/zlib"
	"github.com/klauspost/compress/zstd"
	"github.com/pierrec/lz4/v4"
)

// decompressor decodes one independently compressed block (SquashFS
// compresses every metadata and data block on its own).
type decompressor interface {
	// decompress decodes src into dst and returns the decoded length. It
	// fails, wrapping ErrCorrupt, if the block would decode to more than
	// len(dst) bytes, so len(dst) is the caller's cap. It may overwrite
	// src (the lzma decoder patches the stream header in place).
	decompress(dst, src []byte) (int, error)
}

// errTooLarge reports a block that decodes to more than its cap: the block
// size for data, 8 KiB for metadata.
var errTooLarge = errorf(ErrCorrupt, "block decompresses to more than its size limit")

// corrupt wraps a codec's error so that it also matches ErrCorrupt.
func corrupt(err error) error {
	if errors.Is(err, ErrCorrupt) || errors.Is(err, ErrUnsupported) {
		return err
	}
	return fmt.Errorf("%w: %w", ErrCorrupt, err)
}

// newDecompressor returns the decoder for a superblock compressor id.
// maxOut is the largest block it will be asked for (the block size).
func newDecompressor(id uint16, maxOut int) (decompressor, error) {
	var d decompressor
	switch id {
	case layout.CompGzip:
		d = &zlibDecompressor{}
	case layout.CompLZMA:
		d = lzmaDecompressor{}
	case layout.CompLZO:
		d = lzoDecompressor{}
	case layout.CompXZ:
		d = xzDecompressor{}
	case layout.CompLZ4:
		d = lz4Decompressor{}
	case layout.CompZstd:
		z, err := newZstdDecompressor(maxOut)
		if err != nil {
			return nil, err
		}
		d = z
	default:
		return nil, errorf(ErrUnsupported, "compressor id %d", id)
	}
	return nonEmpty{d}, nil
}

// nonEmpty rejects empty input, which some codecs (lz4, zstd) would
// decode to an empty block without complaint. SquashFS never stores an
// empty compressed block: size 0 means a sparse block.
type nonEmpty struct{ decompressor }

func (n nonEmpty) decompress(dst, src []byte) (int, error) {
	if len(src) == 0 {
		return 0, errorf(ErrCorrupt, "empty compressed block")
	}
	return n.decompressor.decompress(dst, src)
}

// readBounded fills dst from a streaming decoder and then requires the
// stream to end: more output than len(dst) is errTooLarge. Only a real
// io.EOF counts as the end, because decoders report a cut-off stream as
// io.ErrUnexpectedEOF, which must not pass for a short block.
func readBounded(r io.Reader, dst []byte) (int, error) {
	n, idle := 0, 0
	for n < len(dst) {
		k, err := r.Read(dst[n:])
		n += k
		switch {
		case err == io.EOF:
			return n, nil
		case err != nil:
			return n, corrupt(err)
		case k == 0:
			if idle++; idle > 100 {
				return n, corrupt(io.ErrNoProgress)
			}
		}
	}
	var probe [1]byte
	for range 100 {
		k, err := r.Read(probe[:])
		switch {
		case k > 0:
			return n, errTooLarge
		case err == io.EOF:
			return n, nil
		case err != nil:
			return n, corrupt(err)
		}
	}
	return n, corrupt(io.ErrNoProgress)
}

// zlibDecompressor handles compressor "gzip", which despite its name stores
// zlib (RFC 1950) streams. The zlib reader is reused across blocks.
type zlibDecompressor struct {
	src bytes.Reader
	r   io.ReadCloser
}

func (z *zlibDecompressor) decompress(dst, src []byte) (int, error) {
	z.src.Reset(src)
	if z.r == nil {
		r, err := zlib.NewReader(&z.src)
		if err != nil {
			return 0, corrupt(err)
		}
		z.r = r
	} else if err := z.r.(zlib.Resetter).Reset(&z.src, nil); err != nil {
		return 0, corrupt(err)
	}
	return readBounded(z.r, dst)
}

// lz4Decompressor handles raw LZ4 blocks (no frame), as mksquashfs writes.
type lz4Decompressor struct{}

func (lz4Decompressor) decompress(dst, src []byte) (int, error) {
	n, err := lz4.UncompressBlock(src, dst)
	if err != nil {
		return 0, corrupt(err)
	}
	return n, nil
}

// lzoDecompressor handles raw LZO1X streams.
type lzoDecompressor struct{}

func (lzoDecompressor) decompress(dst, src []byte) (int, error) {
	n, err := lzo.Decompress(dst, src)
	if errors.Is(err, lzo.ErrOutputOverrun) {
		return 0, errTooLarge
	}
	if err != nil {
		return 0, corrupt(err)
	}
	return n, nil
}

// zstdMaxWindow bounds the history a zstd frame may ask for. Blocks are at
// most 1 MiB and mksquashfs compresses each alone, so real frames need no
// more; a hostile frame header cannot make the decoder allocate beyond it.
const zstdMaxWindow = 8 << 20

// zstdDecompressor handles zstd frames with a decoder whose output and
// window are capped.
type zstdDecompressor struct {
	d *zstd.Decoder
}

func newZstdDecompressor(maxOut int) (*zstdDecompressor, error) {
	d, err := zstd.NewReader(nil,
		zstd.WithDecoderConcurrency(1),
		zstd.WithDecoderLowmem(true),
		zstd.WithDecoderMaxMemory(uint64(maxOut)),
		zstd.WithDecoderMaxWindow(zstdMaxWindow),
		zstd.WithDecodeAllCapLimit(true),
	)
	if err != nil {
		return nil, err
	}
	return &zstdDecompressor{d: d}, nil
}

func (z *zstdDecompressor) decompress(dst, src []byte) (int, error) {
	out, err := z.d.DecodeAll(src, dst[:0:len(dst)])
	if errors.Is(err, zstd.ErrDecoderSizeExceeded) || len(out) > len(dst) {
		return 0, errTooLarge
	}
	if err != nil {
		return 0, corrupt(err)
	}
	// With the cap limit DecodeAll writes into dst; copy in case a future
	// version hands back another buffer.
	return copy(dst, out), nil
}
