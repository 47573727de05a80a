package fit

import (
	"errors"
	"fmt"
)

// Sentinel errors; every error for a bad image wraps one of them.
var (
	// ErrNotFIT means the data is not a flattened device tree with an
	// /images node.
	ErrNotFIT = errors.New("fit: not a fit image")
	// ErrCorrupt means the tree is inconsistent with the data.
	ErrCorrupt = errors.New("fit: image corrupt")
	// ErrLimit means a bound on the tree was reached.
	ErrLimit = errors.New("fit: limit exceeded")
)

func errorf(sentinel error, format string, args ...any) error {
	return fmt.Errorf("%w: "+format, append([]any{sentinel}, args...)...)
}
