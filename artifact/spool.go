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
	why := "--max-file-size"
	if c.Compressed > 0 && lim.MaxRatio > 0 {
		if r := max64(lim.RatioFloor, c.Compressed*lim.MaxRatio); r < max || max <= 0 {
			max, why = r, fmt.Sprintf("compression ratio over %d:1 (a decompression bomb?)", lim.MaxRatio)
		}
	}
	r := &budgetReader{r: rc, w: w, ctx: ctx, left: max}

	var buf bytes.Buffer
	memMax := lim.MemoryBuffer
	if memMax <= 0 {
		memMax = 16 << 20
	}
	_, rerr := io.CopyN(&buf, r, memMax)
	if rerr == nil { // more than memMax: spill to disk
		src, release, err := w.spill(&buf, r)
		if err != nil {
			return nil, nop, err
		}
		return src, release, w.readErr(r, why)
	}
	if rerr == io.EOF {
		rerr = nil
	}
	if rerr == nil {
		rerr = w.readErr(r, why)
	} else {
		rerr = fmt.Errorf("content cut short after %d bytes: %w", buf.Len(), rerr)
	}
	if buf.Len() == 0 && rerr != nil {
		return nil, nop, rerr
	}
	return bytes.NewReader(buf.Bytes()), nop, rerr
}

func (w *Walker) readErr(r *budgetReader, why string) error {
	switch {
	case r.err != nil:
		return r.err
	case r.hitMax:
		return fmt.Errorf("%w: unpacked size exceeds %d bytes (%s); only the first %d bytes examined", ErrLimit, r.read, why, r.read)
	}
	return nil
}

func (w *Walker) spill(head *bytes.Buffer, r *budgetReader) (Source, func(), error) {
	if w.cfg.TempDir == "" {
		return nil, nil, fmt.Errorf("%w: member larger than the memory buffer and no temporary directory", ErrLimit)
	}
	name := filepath.Join(w.cfg.TempDir, fmt.Sprintf("spool-%d", w.spoolSeq.Add(1)))
	f, err := os.OpenFile(name, os.O_RDWR|os.O_CREATE|os.O_EXCL, 0o600)
	if err != nil {
		return nil, nil, err
	}
	release := func() { f.Close(); os.Remove(name) }
	n, err := io.Copy(f, io.MultiReader(head, r))
	if err != nil && r.err == nil {
		// A write failure (disk full) is ours, not the target's.
		release()
		return nil, nil, fmt.Errorf("spooling to %s: %w", w.cfg.TempDir, err)
	}
	if err != nil && r.err != nil {
		r.err = fmt.Errorf("content cut short after %d bytes: %w", n, r.err)
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
