package android

import (
	"errors"
	"fmt"
)

// Sentinel errors; every error for a bad image wraps one of them.
var (
	// ErrNotAndroid means the data does not start with a valid header.
	ErrNotAndroid = errors.New("android: not an android sparse or boot image")
	// ErrCorrupt means a header or chunk is inconsistent with the data.
	ErrCorrupt = errors.New("android: image corrupt")
)

func errorf(sentinel error, format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{sentinel}, args...)...)
}
