package squashfs

import (
	"errors"
	"fmt"
)

// Sentinel errors. Every error this package returns for a bad image wraps
// one of them.
var (
	// ErrNotSquashfs means the data does not start with a SquashFS
	// superblock at all.
	ErrNotSquashfs = errors.New("squashfs: not a squashfs image")
	// ErrTruncated means the image ends before data it refers to: the
	// superblock's bytes_used exceeds the size given, or a read came back
	// short.
	ErrTruncated = errors.New("squashfs: image truncated")
	// ErrCorrupt means a structure is inconsistent: an offset outside the
	// image, a size that cannot be right, a directory loop, a block that
	// does not decompress or decompresses to the wrong size.
	ErrCorrupt = errors.New("squashfs: image corrupt")
	// ErrUnsupported means an image uses something this package does not
	// read: another SquashFS version, big-endian byte order, an unknown
	// compressor, or an xz filter chain mksquashfs does not write (delta,
	// ARM64 or RISC-V BCJ, several BCJ filters).
	ErrUnsupported = errors.New("squashfs: unsupported image")
	// ErrLimit means a limit from Options was reached (MaxFiles or
	// MaxMetadataBytes); the image may be fine but is larger than allowed.
	ErrLimit = errors.New("squashfs: limit exceeded")
)

// errorf returns an error that wraps sentinel and reads
// "<sentinel text>: <formatted detail>".
func errorf(sentinel error, format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{sentinel}, args...)...)
}
