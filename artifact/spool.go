package artifact

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io"
	"os"
	"path/filepath"
)

// errBudget marks the end of the total unpacked budget: the walk stops
// unpacking anything more.
var errBudget = errors.New("total unpacked size limit reached")

// materialize reads a streamed member within the limits: into memory when it
// is small, into a spool file in the private temporary directory otherwise.
// It returns what it could read even when an error (corrupt stream, limit)
// cut it short, so that the prefix is still examined.
func (w *Walker) materialize(ctx context.Context, e *Entry, c Child) (Source, func(), error) {
	nop := func() {}
	if max := w.cfg.Limits.MaxTotalSize; max > 0 && w.unpacked.Load() >= max {
		return nil, nop, fmt.Errorf("%w: %w: over %d bytes unpacked in all (--max-total-size); the rest not examined", ErrLimit, errBudget, max)
	}
	rc, err := c.Stream()
	if err != nil {
		return nil, nop, err
	}
	defer rc.Close()

	lim := w.cfg.Limits
	max := lim.MaxFileSize
	key, why := "file-size", "--max-file-size"
	if c.Compressed > 0 && lim.MaxRatio > 0 {
		if r := max64(lim.RatioFloor, c.Compressed*lim.MaxRatio); r < max || max <= 0 {
			max, key, why = r, "ratio", fmt.Sprintf("compression ratio over %d:1 (a decompression bomb?)", lim.MaxRatio)
		}
	}
	r := &budgetReader{r: rc, w: w, ctx: ctx, left: max}

	memMax := lim.MemoryBuffer
	if memMax <= 0 {
		memMax = 16 << 20
	}
	// Size the buffer from the declared size when it is plausible, so a
	// member is not copied through a chain of doubling buffers; a lying
	// declaration costs at most one memory-buffer allocation.
	hint := int64(64 << 10)
	if c.Size > 0 && (c.Compressed <= 0 || lim.MaxRatio <= 0 || c.Size <= c.Compressed*lim.MaxRatio) {
		hint = min(c.Size+1, memMax)
	}
	buf, full := readMem(r, memMax, hint)
	if full { // more than memMax: spill to disk
		src, release, err := w.spill(buf, r)
		if err != nil {
			return nil, nop, err
		}
		return src, release, r.result(key, why)
	}
	rerr := r.result(key, why)
	if len(buf) == 0 && rerr != nil {
		return nil, nop, rerr
	}
	return Memory(buf), nop, rerr
}

// readMem reads r into memory until EOF or max bytes; full reports the
// latter (more may follow). The buffer doubles up to max and no further:
// bytes.Buffer would round a 16 MiB member up to a 32 MiB allocation, and a
// bomb unpacks many such members.
func readMem(r io.Reader, max, hint int64) (buf []byte, full bool) {
	buf = make([]byte, 0, min(max, max64(hint, 512)))
	for int64(len(buf)) < max {
		if len(buf) == cap(buf) {
			nb := make([]byte, len(buf), min(2*int64(cap(buf)), max))
			copy(nb, buf)
			buf = nb
		}
		n, err := r.Read(buf[len(buf):cap(buf)])
		buf = buf[:len(buf)+n]
		if err != nil { // budgetReader ends every stream with io.EOF; its err says why
			return buf, false
		}
	}
	return buf, true
}

func (w *Walker) spill(head []byte, r *budgetReader) (Source, func(), error) {
	if w.cfg.TempDir == "" {
		return nil, nil, fmt.Errorf("%w: member larger than the memory buffer and no temporary directory", ErrLimit)
	}
	name := filepath.Join(w.cfg.TempDir, fmt.Sprintf("spool-%d", w.spoolSeq.Add(1)))
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, nil, err
	}
	release := func() { f.Close(); os.Remove(name) }
	n, err := io.Copy(f, io.MultiReader(bytes.NewReader(head), r))
	if err != nil {
		// Only a write can fail here (disk full): ours, not the target's.
		release()
		return nil, nil, fmt.Errorf("spooling to %s: %w", w.cfg.TempDir, err)
	}
	return io.NewSectionReader(f, 0, n), release, nil
}

// budgetReader enforces the per-entry maximum, the total unpacked budget
// and the timeout while a stream is read.
type budgetReader struct {
	r      io.Reader
	w      *Walker
	ctx    context.Context
	left   int64
	read   int64
	hitMax bool
	err    error // stream error other than EOF
}

// result says how the stream ended: nil when it ended by itself within the
// limits, otherwise an error that names the limit (key groups it with the
// same limit elsewhere in the target) or says that the content was cut
// short, so a truncated member is recognisable as such whatever the
// decoder's own words ("unexpected EOF").
func (b *budgetReader) result(key, why string) error {
	switch {
	case b.err != nil && errors.Is(b.err, ErrLimit):
		return b.err
	case b.err != nil:
		return fmt.Errorf("content cut short after %d bytes (truncated or corrupt): %w", b.read, b.err)
	case b.hitMax:
		return limitErr(key, "unpacked size exceeds %d bytes (%s); only the first %d bytes examined", b.read, why, b.read)
	}
	return nil
}

func (b *budgetReader) Read(p []byte) (int, error) {
	if b.err != nil {
		return 0, io.EOF
	}
	if err := b.ctx.Err(); err != nil {
		b.err = fmt.Errorf("%w: %v", ErrLimit, context.Cause(b.ctx))
		return 0, io.EOF
	}
	if b.left <= 0 {
		// Probe one byte: a stream that ends exactly at the limit is fine.
		var one [1]byte
		if n, _ := b.r.Read(one[:]); n > 0 {
			b.hitMax = true
		}
		return 0, io.EOF
	}
	if int64(len(p)) > b.left {
		p = p[:b.left]
	}
	n, err := b.r.Read(p)
	b.left -= int64(n)
	b.read += int64(n)
	if total := b.w.unpacked.Add(int64(n)); b.w.cfg.Limits.MaxTotalSize > 0 && total > b.w.cfg.Limits.MaxTotalSize {
		b.err = fmt.Errorf("%w: %w: over %d bytes unpacked in all (--max-total-size); the rest not examined", ErrLimit, errBudget, b.w.cfg.Limits.MaxTotalSize)
		return n, io.EOF
	}
	if err != nil && err != io.EOF {
		b.err = err
		return n, io.EOF
	}
	return n, err
}

func max64(a, b int64) int64 {
	if a > b {
		return a
	}
	return b
}
