package ext

import (
	"errors"
	"fmt"
	"io"
)

// Sentinel errors. Every error this package returns for a bad image wraps
// one of them.
var (
	// ErrNotExt means the data does not hold an ext2/3/4 superblock.
	ErrNotExt = errors.New("ext: not an ext2/3/4 filesystem")
	// ErrTruncated means the image ends before data it refers to.
	ErrTruncated = errors.New("ext: image truncated")
	// ErrCorrupt means a structure is inconsistent: a block number beyond
	// the filesystem, a bad extent header, a directory loop.
	ErrCorrupt = errors.New("ext: image corrupt")
	// ErrUnsupported means the image uses something this package does
	// not read (encrypted or compressed files, a journal device).
	ErrUnsupported = errors.New("ext: unsupported image")
	// ErrLimit means a limit from Options was reached.
	ErrLimit = errors.New("ext: limit exceeded")
)

// errorf returns an error that wraps sentinel and reads
// "<sentinel text>: <formatted detail>".
func errorf(sentinel error, format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{sentinel}, args...)...)
}

// readError explains a short ReadAt: running out of data means a truncated
// image; other errors are I/O errors and pass through.
func readError(err error, off int64, want, got int) error {
	if err == nil || errors.Is(err, io.EOF) || errors.Is(err, io.ErrUnexpectedEOF) {
		return errorf(ErrTruncated, "read %d of %d bytes at offset %d", got, want, off)
	}
	return fmt.Errorf("ext: read at offset %d: %w", off, err)
}
