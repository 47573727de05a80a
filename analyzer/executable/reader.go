package executable

import (
	"errors"
	"io"
)

// errBudget stops a parser that reads far more than the file holds: a
// hostile table pointing at the same bytes again and again.
var errBudget = errors.New("executable: read budget exhausted")

// boundedReader is the io.ReaderAt exe.Parse reads through: reads stay
// inside the entry's size, and the bytes read in all are capped.
type boundedReader struct {
	r      io.ReaderAt
	size   int64
	budget int64
}

// readBudget allows every byte to be read a few times (headers, sections
// for entropy, strings) plus a fixed allowance for small files.
func readBudget(size int64) int64 { return 4*size + 32<<20 }

func newBoundedReader(r io.ReaderAt, size int64) *boundedReader {
	return &boundedReader{r: r, size: size, budget: readBudget(size)}
}

func (b *boundedReader) ReadAt(p []byte, off int64) (int, error) {
	if off < 0 {
		return 0, errors.New("executable: negative offset")
	}
	if off >= b.size {
		return 0, io.EOF
	}
	short := false
	if rest := b.size - off; int64(len(p)) > rest {
		p, short = p[:rest], true
	}
	if int64(len(p)) > b.budget {
		return 0, errBudget
	}
	b.budget -= int64(len(p))
	n, err := b.r.ReadAt(p, off)
	if err == nil && short {
		err = io.EOF
	}
	return n, err
}
