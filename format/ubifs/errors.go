package ubifs

import (
	"errors"
	"fmt"
)

// Sentinel errors; every error for a bad image wraps one of them.
var (
	// ErrNotUBIFS means the data does not start with a valid superblock.
	ErrNotUBIFS = errors.New("ubifs: not a ubifs image")
	// ErrCorrupt means a node is inconsistent: a CRC mismatch, a length
	// or a position that cannot be right, data that does not decompress.
	ErrCorrupt = errors.New("ubifs: image corrupt")
	// ErrUnsupported means a feature this package lacks (encryption, an
	// unknown compressor).
	ErrUnsupported = errors.New("ubifs: unsupported")
	// ErrLimit means a bound from Options was reached.
	ErrLimit = errors.New("ubifs: limit exceeded")
)

func errorf(sentinel error, format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{sentinel}, args...)...)
}
