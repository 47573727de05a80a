package artifact

import "io"

// Memory is content held in memory. Analyzers reach its bytes without a
// copy (see Bytes), so a small file is read from disk exactly once.
type Memory []byte

// ReadAt implements io.ReaderAt.
func (m Memory) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, io.EOF
	}
	if off >= int64(len(m)) {
		return 0, io.EOF
	}
	n := copy(p, m[off:])
	if n < len(p) {
		return n, io.EOF
	}
	return n, nil
}

// Size returns the length of the content.
func (m Memory) Size() int64 { return int64(len(m)) }

// Bytes returns the content itself (not a copy: do not modify it).
func (m Memory) Bytes() []byte { return m }

// SmallFile is the size up to which a file of a folder target is read whole
// in one call, instead of being opened for random access: most files of a
// source tree or a root file system are small, and one read instead of a
// header read plus a content read halves the system calls.
const SmallFile = 4 << 20
