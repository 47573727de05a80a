package updatecheck

import (
	"fmt"
	"io"
	"os"
)

// Size limits for inputs read whole into memory. Metadata, keys and
// signatures are small in every real repository; a file above these
// limits is refused rather than read, so a hostile repository cannot
// exhaust memory.
const (
	MaxMetadataSize  = 16 << 20 // one TUF metadata file, trusted root or key
	MaxBundleSize    = 64 << 20 // one Sigstore bundle
	MaxSignatureSize = 1 << 20  // one detached signature or public key
)

// readBounded reads a whole file, refusing it when it is larger than max.
// It checks the size while reading, not only with Stat, because a fifo or
// a growing file can lie about its size.
func readBounded(path string, max int64) ([]byte, error) {
	f, err := os.Open(path)
	if err != nil {
		return nil, err
	}
	defer f.Close()
	if fi, err := f.Stat(); err == nil && fi.IsDir() {
		return nil, fmt.Errorf("%s is a folder, not a file", path)
	}
	b, err := io.ReadAll(io.LimitReader(f, max+1))
	if err != nil {
		return nil, err
	}
	if int64(len(b)) > max {
		return nil, fmt.Errorf("%s is larger than %d bytes: refused", path, max)
	}
	return b, nil
}
