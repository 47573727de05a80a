package jffs2

import (
	"errors"
	"fmt"
)

// Sentinel errors; every error for a bad image wraps one of them.
var (
	// ErrNotJFFS2 means the data does not start with a valid JFFS2 node.
	ErrNotJFFS2 = errors.New("jffs2: not a jffs2 image")
	// ErrCorrupt means a node or a file is inconsistent: a CRC mismatch, a
	// length that cannot be right, data that does not decompress.
	ErrCorrupt = errors.New("jffs2: image corrupt")
	// ErrUnsupported means a file needs a compressor this package lacks.
	ErrUnsupported = errors.New("jffs2: unsupported")
	// ErrLimit means a bound from Options was reached.
	ErrLimit = errors.New("jffs2: limit exceeded")
)

func errorf(sentinel error, format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{sentinel}, args...)...)
}
