package romfs

import (
	"encoding/binary"
	"errors"
	"fmt"
	"io"
	"io/fs"
	"strings"
)

// File types, the low three bits of a header's next word.
const (
	typeHardlink = iota
	typeDir
	typeFile
	typeSymlink
	typeBlock
	typeChar
	typeSocket
	typeFifo
)

const (
	typeMask = 7
	execBit  = 8
	// maxLinkHops bounds a chain of hard links to hard links (genromfs
	// writes chains of one).
	maxLinkHops = 8
	// maxDepth bounds directory nesting; no real image comes close.
	maxDepth = 512
	// maxWalkErrors bounds the errors Walk keeps.
	maxWalkErrors = 64
)

// header is one decoded file header.
type header struct {
	off     int64 // where the header is
	next    int64 // next header in the directory, 0 at the end
	typ     int
	exec    bool
	spec    uint32
	size    uint32
	name    string
	dataOff int64
}

// header reads the file header at off.
func (im *Image) header(off int64) (*header, error) {
	if off%headerSize != 0 || off < 2*headerSize {
		return nil, errorf(ErrCorrupt, "file header offset %#x", off)
	}
	var b [headerSize]byte
	if err := im.readAt(b[:], off); err != nil {
		return nil, err
	}
	be := binary.BigEndian
	next := be.Uint32(b[0:])
	h := &header{
		off:  off,
		next: int64(next &^ 15),
		typ:  int(next & typeMask),
		exec: next&execBit != 0,
		spec: be.Uint32(b[4:]),
		size: be.Uint32(b[8:]),
	}
	name, data, err := im.name(off + headerSize)
	if err != nil {
		return nil, err
	}
	h.name, h.dataOff = name, data
	return h, nil
}

// File describes one entry of the image.
type File struct {
	// Path is slash-separated and relative to the root, without a leading
	// slash. Every element is a safe name (no "." or "..", no '/').
	Path string
	// Mode is what the Linux driver gives the inode: ROMFS has no owners
	// or permissions, only the type and an executable bit.
	Mode fs.FileMode
	// Size is the file length for regular files and the target length for
	// symlinks; 0 otherwise.
	Size int64
	// LinkTarget is a symlink's target.
	LinkTarget string
	// Major and Minor are a device's numbers.
	Major, Minor uint32
	// Offset is where the file's header lies in the image; hard links
	// share the offset of the header they point to.
	Offset int64

	dataOff int64
}

// mode maps a header type to the mode the kernel's romfs_modemap gives.
func mode(typ int, exec bool) fs.FileMode {
	var m fs.FileMode
	switch typ {
	case typeDir:
		m = fs.ModeDir | 0o644
	case typeFile:
		m = 0o644
	case typeSymlink:
		m = fs.ModeSymlink | 0o777
	case typeBlock:
		m = fs.ModeDevice | 0o600
	case typeChar:
		m = fs.ModeDevice | fs.ModeCharDevice | 0o600
	case typeSocket:
		m = fs.ModeSocket | 0o644
	case typeFifo:
		m = fs.ModeNamedPipe | 0o644
	}
	if exec {
		m |= 0o111
	}
	return m
}

// Open returns the content of a regular file. Reads past the available
// data fail with ErrTruncated.
func (im *Image) Open(f *File) (io.Reader, error) {
	if !f.Mode.IsRegular() {
		return nil, fmt.Errorf("romfs: %s is not a regular file", f.Path)
	}
	return &dataReader{im: im, off: f.dataOff, left: f.Size}, nil
}

type dataReader struct {
	im        *Image
	off, left int64
}

func (r *dataReader) Read(p []byte) (int, error) {
	if r.left == 0 {
		return 0, io.EOF
	}
	p = p[:min(int64(len(p)), r.left, 1<<20)]
	if err := r.im.readAt(p, r.off); err != nil {
		return 0, err
	}
	r.off += int64(len(p))
	r.left -= int64(len(p))
	return len(p), nil
}

// Walk calls fn for every entry except the root and the "." and ".."
// entries, depth-first in the image's order, a directory's contents right
// after it. fn may return fs.SkipDir or fs.SkipAll; another error stops
// the walk and is returned unchanged.
//
// A damaged part does not end the walk: a header outside the image, a
// chain that comes back to a header already visited, a bad name or a
// broken hard link is skipped (with the rest of its chain when the chain
// itself is broken). Walk returns those errors joined, the first 64 kept.
// Reaching Options.MaxFiles stops the walk with ErrLimit.
func (im *Image) Walk(fn func(f *File) error) error {
	w := &walker{im: im, fn: fn, visited: map[int64]bool{}}
	err := w.dir(im.root, "", 0)
	if errors.Is(err, fs.SkipAll) {
		err = nil
	}
	if err != nil && !errors.Is(err, ErrLimit) {
		return err
	}
	if w.dropped > 0 {
		w.errs = append(w.errs, fmt.Errorf("romfs: %d more errors not shown", w.dropped))
	}
	return errors.Join(append(w.errs, err)...)
}

type walker struct {
	im      *Image
	fn      func(*File) error
	files   int
	visited map[int64]bool // every header read in a chain
	errs    []error
	dropped int
}

func (w *walker) record(path string, err error) {
	if len(w.errs) >= maxWalkErrors {
		w.dropped++
		return
	}
	if path == "" {
		path = "/"
	}
	w.errs = append(w.errs, fmt.Errorf("%s: %w", path, err))
}

// dir walks the header chain starting at off, the listing of directory
// dir. A non-nil result stops the whole walk.
func (w *walker) dir(off int64, dir string, depth int) error {
	for off != 0 {
		if w.visited[off] {
			w.record(dir, errorf(ErrCorrupt, "header chain loops back to %#x", off))
			return nil
		}
		w.visited[off] = true
		h, err := w.im.header(off)
		if err != nil {
			w.record(dir, fmt.Errorf("header at %#x: %w", off, err))
			return nil
		}
		off = h.next
		if h.name == "." || h.name == ".." {
			continue
		}
		path := h.name
		if dir != "" {
			path = dir + "/" + h.name
		}
		if h.name == "" || strings.ContainsAny(h.name, "/\x00") {
			w.record(path, errorf(ErrCorrupt, "bad name %q at %#x", h.name, h.off))
			continue
		}
		f, target, err := w.file(h, path)
		if err != nil {
			w.record(path, err)
			continue
		}
		if w.files >= w.im.opt.MaxFiles {
			return errorf(ErrLimit, "more than %d entries (Options.MaxFiles)", w.im.opt.MaxFiles)
		}
		w.files++
		// A directory reached through a hard link is walked under its
		// own name; descending here too would list it twice.
		descend := target.typ == typeDir && h.typ == typeDir && target.spec != 0
		if descend && depth+1 >= maxDepth {
			w.record(path, errorf(ErrCorrupt, "directories nested deeper than %d", maxDepth))
			descend = false
		}
		if err := w.fn(f); err != nil {
			if !errors.Is(err, fs.SkipDir) {
				return err
			}
			if target.typ == typeDir {
				continue
			}
			return nil
		}
		if descend {
			if err := w.dir(int64(target.spec), path, depth+1); err != nil {
				return err
			}
		}
	}
	return nil
}

// file builds the File for header h, following hard links; it returns the
// header the content comes from.
func (w *walker) file(h *header, path string) (*File, *header, error) {
	t := h
	for hops := 0; t.typ == typeHardlink; hops++ {
		if hops == maxLinkHops {
			return nil, nil, errorf(ErrCorrupt, "hard link chain longer than %d", maxLinkHops)
		}
		var err error
		if t, err = w.im.header(int64(t.spec)); err != nil {
			return nil, nil, fmt.Errorf("hard link target %#x: %w", h.spec, err)
		}
	}
	f := &File{Path: path, Mode: mode(t.typ, t.exec), Offset: t.off, dataOff: t.dataOff}
	switch t.typ {
	case typeFile:
		f.Size = int64(t.size)
		if f.dataOff > w.im.length || f.Size > w.im.length-f.dataOff {
			return nil, nil, errorf(ErrCorrupt, "%d bytes of data at %#x run past the image end %#x", f.Size, f.dataOff, w.im.length)
		}
	case typeSymlink:
		if t.size > maxName {
			return nil, nil, errorf(ErrCorrupt, "symlink target of %d bytes", t.size)
		}
		b := make([]byte, t.size)
		if err := w.im.readAt(b, t.dataOff); err != nil {
			return nil, nil, fmt.Errorf("symlink target: %w", err)
		}
		f.LinkTarget, f.Size = string(b), int64(t.size)
	case typeBlock, typeChar:
		f.Major, f.Minor = t.spec>>16, t.spec&0xffff
	case typeDir:
		if t.spec != 0 && (t.spec%headerSize != 0 || int64(t.spec) >= w.im.length) {
			return nil, nil, errorf(ErrCorrupt, "directory listing at %#x outside the image", t.spec)
		}
	}
	return f, t, nil
}
