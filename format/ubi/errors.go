package ubi

import (
	"errors"
	"fmt"
)

// Sentinel errors; every error for a bad image wraps one of them.
var (
	// ErrNotUBI means the data does not start with a valid erase-counter
	// header followed by another one a PEB further on.
	ErrNotUBI = errors.New("ubi: not a ubi image")
	// ErrCorrupt means a header or the volume table is inconsistent.
	ErrCorrupt = errors.New("ubi: image corrupt")
	// ErrLimit means a bound from Options was reached.
	ErrLimit = errors.New("ubi: limit exceeded")
)

func errorf(sentinel error, format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{sentinel}, args...)...)
}
