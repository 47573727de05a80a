package squashfs

import (
	"errors"
	"fmt"
	"io/fs"
	"time"

	"github.com/doorman-sec/doorman/format/squashfs/internal/layout"
)

// File describes one directory entry of the image.
type File struct {
	// Path is slash-separated and relative to the image root, without a
	// leading slash: "etc/passwd". Every element is a safe name (no "."
	// or "..", no '/' or NUL).
	Path string
	// Mode holds the type bits and the permission bits, including
	// fs.ModeSetuid, fs.ModeSetgid and fs.ModeSticky.
	Mode fs.FileMode
	// Size is the file length for regular files as the inode states it;
	// the content actually readable may be shorter on a corrupt image.
	// For symlinks it is the target length; otherwise 0.
	Size int64
	// LinkTarget is the target of a symlink.
	LinkTarget string
	// ModTime is the inode's modification time (second resolution, UTC).
	ModTime time.Time
	// UID and GID are the numeric owner and group.
	UID, GID uint32
	// Inode is the inode number. Hard links share it.
	Inode uint32
	// Rdev is the device number of a block or character device, in the
	// Linux encoding SquashFS stores: major = (Rdev >> 8) & 0xfff,
	// minor = (Rdev & 0xff) | ((Rdev >> 12) & 0xfff00).
	Rdev uint32

	im   *Image
	node *inode
}

// newFile builds the File for an entry at path.
func (im *Image) newFile(path string, in *inode) *File {
	f := &File{
		Path:       path,
		Mode:       in.mode(),
		LinkTarget: in.target,
		ModTime:    time.Unix(int64(in.mtime), 0).UTC(),
		UID:        in.uid,
		GID:        in.gid,
		Inode:      in.number,
		Rdev:       in.rdev,
		im:         im,
		node:       in,
	}
	switch in.typ {
	case layout.TypeFile:
		f.Size = int64(in.size)
	case layout.TypeSymlink:
		f.Size = int64(len(in.target))
	}
	return f
}

// maxDepth bounds directory nesting. Linux paths are at most 4096 bytes, so
// no real image nests deeper than 2048 levels.
const maxDepth = 2048

// maxWalkErrors bounds the errors Walk keeps; a hostile image can produce
// one per entry.
const maxWalkErrors = 64

// Walk calls fn for every entry of the image except the root directory,
// depth-first: each directory's entries in listing order (sorted by name
// in images made by mksquashfs), and a directory's contents right after
// the directory itself. Hard links appear once per name, with the same
// Inode.
//
// fn may return fs.SkipDir to skip a directory's contents (or, for a
// non-directory, the rest of its directory) and fs.SkipAll to stop. Any
// other error from fn stops the walk and is returned unchanged.
//
// A damaged part of the image does not end the walk: a directory that
// cannot be read, an entry whose inode is bad or an entry that loops back to
// a directory already visited is skipped, and the walk continues with its
// siblings. Walk then returns those errors joined (errors.Join; the first 64
// are kept), each naming the path it concerns. Reaching Options.MaxFiles or
// Options.MaxMetadataBytes stops the walk with an error wrapping ErrLimit.
func (im *Image) Walk(fn func(f *File) error) error {
	w := &walker{im: im, fn: fn, visited: make(map[listingKey]bool)}
	w.visited[im.root.listing()] = true
	err := w.dir(im.root, "", 0)
	if errors.Is(err, fs.SkipAll) {
		err = nil
	}
	if err != nil && !errors.Is(err, ErrLimit) {
		return err
	}
	if w.dropped > 0 {
		w.errs = append(w.errs, fmt.Errorf("squashfs: %d more errors not shown", w.dropped))
	}
	return errors.Join(append(w.errs, err)...)
}

// walker is the state of one Walk.
type walker struct {
	im      *Image
	fn      func(*File) error
	files   int
	visited map[listingKey]bool
	errs    []error
	dropped int
}

// record keeps an error about path and lets the walk go on.
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

// dir walks the entries of directory in, found at dir. A non-nil result
// stops the whole walk: an error from fn, fs.SkipAll or a limit.
func (w *walker) dir(in *inode, dir string, depth int) error {
	entries, err := w.im.readDir(in, w.im.opt.MaxFiles-w.files)
	var stop error
	switch {
	case errors.Is(err, ErrLimit):
		stop = err
	case err != nil:
		w.record(dir, err)
	}
	for _, e := range entries {
		path := e.name
		if dir != "" {
			path = dir + "/" + e.name
		}
		child, err := w.im.readInode(uint64(e.block), uint64(e.offset))
		if errors.Is(err, ErrLimit) {
			return err
		}
		if err != nil {
			w.record(path, err)
			continue
		}
		descend := child.typ == layout.TypeDir && child.hasListing()
		if descend {
			if w.visited[child.listing()] {
				w.record(path, errorf(ErrCorrupt, "directory loop: the listing of this directory was already walked"))
				continue
			}
			if depth+1 >= maxDepth {
				w.record(path, errorf(ErrCorrupt, "directories nested deeper than %d", maxDepth))
				continue
			}
		}
		if w.files >= w.im.opt.MaxFiles {
			return errorf(ErrLimit, "more than %d entries (Options.MaxFiles)", w.im.opt.MaxFiles)
		}
		w.files++
		if err := w.fn(w.im.newFile(path, child)); err != nil {
			if !errors.Is(err, fs.SkipDir) {
				return err
			}
			if child.typ == layout.TypeDir {
				continue
			}
			return stop
		}
		if descend {
			w.visited[child.listing()] = true
			if err := w.dir(child, path, depth+1); err != nil {
				return err
			}
		}
	}
	return stop
}
