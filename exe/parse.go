package exe

import (
	"errors"
	"fmt"
	"io"
	"sync"
)

// ErrNotExecutable is returned by Parse when the bytes are no ELF, PE or
// Mach-O file at all.
var ErrNotExecutable = errors.New("exe: not an ELF, PE or Mach-O file")

// Parse reads an executable through r (size bytes) with bounded reads.
// It returns ErrNotExecutable when the format is not recognised; for a
// recognised but malformed file it returns what it could read, with
// Info.Warnings saying what was wrong. It never panics.
//
// What it costs is bounded whatever the headers claim: tables are checked
// against the file size before they are read, no single read exceeds
// maxRead, strings are looked for in the first maxScan bytes only, and
// every list in Info has a cap.
func Parse(r io.ReaderAt, size int64) (info *Info, err error) {
	if r == nil || size < 4 {
		return nil, ErrNotExecutable
	}
	var head [64]byte
	n, _ := r.ReadAt(head[:min(int64(len(head)), size)], 0)
	h := head[:n]
	p := &parser{r: r, size: size, info: &Info{}}
	var parse func([]byte) error
	switch {
	case isELF(h):
		parse = p.parseELF
	case isMachO(h):
		parse = p.parseMachO
	case isFat(h):
		parse = p.parseFat
	case isMZ(h):
		parse = p.parsePE
	default:
		return nil, ErrNotExecutable
	}
	// The standard library's parsers have panicked on hostile input
	// before; a panic in one file must not take the scan down. What was
	// learned before it stays.
	defer func() {
		if v := recover(); v != nil {
			p.warn("parser panic: %v", v)
			p.finish()
			info, err = p.info, nil
		}
	}()
	if err := parse(h); err != nil {
		if errors.Is(err, ErrNotExecutable) {
			return nil, err
		}
		p.warn("%v", err)
	}
	p.finish()
	return p.info, nil
}

// parser carries one Parse call: the file, what has been learned, and
// the facts capabilities are judged from.
type parser struct {
	r    io.ReaderAt
	size int64
	info *Info
	// symbols are defined function names left in a symbol table
	// (unstripped static binaries, Go's pclntab): capability evidence
	// beside the imports.
	symbols map[string]bool
	// goFuncs are the Go function names that capability rules look for,
	// found in the pclntab.
	goFuncs map[string]bool
	// goPkgs are all linked Go packages (bounded).
	goPkgs map[string]bool
	// strs is what the string scan found.
	strs *scanResult
	// execRanges are the file ranges of executable sections, for the
	// packer test.
	execRanges []fileRange
	// dataRanges are file ranges of read-only data, where a classic BPF
	// program would be.
	dataRanges []fileRange
	// scanWide says UTF-16 strings matter (PE).
	scanWide bool
	// pending are the sections, measured in finish.
	pending []pendingSection
	// goInfo is set once the file is known to be a Go binary.
	goInfo *GoInfo
}

type fileRange struct{ off, n int64 }

// Bounds on what one file may cost.
const (
	maxRead      = 64 << 20 // bytes in one table or section read
	maxScan      = 64 << 20 // bytes of a file searched for strings
	maxImports   = 4096
	maxLibraries = 512
	maxSections  = 512
	maxWarnings  = 32
	maxSymbols   = 1 << 22 // symbol table entries walked
	maxPackages  = 4096
	maxSlices    = 8 // fat Mach-O slices parsed
)

func (p *parser) warn(format string, args ...any) {
	if len(p.info.Warnings) < maxWarnings {
		p.info.Warnings = append(p.info.Warnings, fmt.Sprintf(format, args...))
	}
}

// read returns n bytes at off, or an error when they are not all inside
// the file or more than maxRead: a header's claim is checked before any
// memory is allocated for it.
func (p *parser) read(off, n int64) ([]byte, error) {
	if off < 0 || n < 0 || off > p.size || n > p.size-off {
		return nil, fmt.Errorf("range %#x+%#x outside the file (%d bytes)", off, n, p.size)
	}
	if n > maxRead {
		return nil, fmt.Errorf("range %#x+%#x larger than %d bytes", off, n, maxRead)
	}
	b := make([]byte, n)
	if k, err := p.r.ReadAt(b, off); k < len(b) {
		if err == nil {
			err = io.ErrUnexpectedEOF
		}
		return b[:k], err
	}
	return b, nil
}

// readPool holds buffers for reads whose bytes are not kept (symbol and
// string tables, section samples): the next file reuses them instead of
// allocating and clearing as much again.
var readPool sync.Pool // of *[]byte

// maxPooled: larger buffers are left to the collector, so that one huge
// file does not pin its tables' memory.
const maxPooled = 16 << 20

// readTemp is read into a pooled buffer; the caller gives it back with
// putTemp once done with b (nothing may keep a sub-slice of it).
func (p *parser) readTemp(off, n int64) (b []byte, bp *[]byte, err error) {
	if off < 0 || n < 0 || off > p.size || n > p.size-off {
		return nil, nil, fmt.Errorf("range %#x+%#x outside the file (%d bytes)", off, n, p.size)
	}
	if n > maxRead {
		return nil, nil, fmt.Errorf("range %#x+%#x larger than %d bytes", off, n, maxRead)
	}
	bp, _ = readPool.Get().(*[]byte)
	if bp == nil || int64(cap(*bp)) < n {
		nb := make([]byte, n)
		bp = &nb
	}
	b = (*bp)[:n]
	if k, err := p.r.ReadAt(b, off); k < len(b) {
		if err == nil {
			err = io.ErrUnexpectedEOF
		}
		return b[:k], bp, err
	}
	return b, bp, nil
}

func putTemp(bp *[]byte) {
	if bp != nil && cap(*bp) <= maxPooled {
		readPool.Put(bp)
	}
}

// inFile reports whether off+n lies within the file.
func (p *parser) inFile(off, n uint64) bool {
	return off <= uint64(p.size) && n <= uint64(p.size)-off
}
