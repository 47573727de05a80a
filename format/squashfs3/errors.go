package squashfs3

import (
	"errors"
	"fmt"
)

// Sentinel errors; every error about a bad image wraps one of them.
var (
	// ErrNotSquashfs means the data does not start with a SquashFS
	// superblock.
	ErrNotSquashfs = errors.New("squashfs3: not a squashfs image")
	// ErrTruncated means the image ends before data it refers to.
	ErrTruncated = errors.New("squashfs3: image truncated")
	// ErrCorrupt means a structure is inconsistent: an offset outside the
	// image, a block that does not decompress, a directory loop.
	ErrCorrupt = errors.New("squashfs3: image corrupt")
	// ErrUnsupported means a SquashFS image of another major version
	// (1.x, 2.x, or 4.x, which format/squashfs reads).
	ErrUnsupported = errors.New("squashfs3: unsupported image")
	// ErrLimit means a limit from Options was reached.
	ErrLimit = errors.New("squashfs3: limit exceeded")
)

func errorf(sentinel error, format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{sentinel}, args...)...)
}
