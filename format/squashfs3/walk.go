package squashfs3

import (
	"errors"
	"fmt"
	"io/fs"
	"time"
)

// File describes one directory entry of the image.
type File struct {
	// Path is slash-separated, relative to the root, without a leading
	// slash; every element is a safe name.
	Path string
	// Mode holds the type and permission bits, with setuid, setgid and
	// sticky.
	Mode fs.FileMode
	// Size is the file length for regular files, the target length for
	// symlinks, else 0.
	Size int64
	// LinkTarget is a symlink's target.
	LinkTarget string
	// ModTime is the inode's modification time (UTC).
	ModTime time.Time
	// UID and GID are the numeric owner and group.
	UID, GID uint32
	// Inode is the inode number; hard links share it.
	Inode uint32
	// Rdev is a device's number as 3.x stores it: major<<8 | minor.
	Rdev uint16

	node *inode
}

func newFile(path string, in *inode) *File {
	f := &File{Path: path, Mode: in.mode(), LinkTarget: in.target, ModTime: time.Unix(int64(in.mtime), 0).UTC(),
		UID: in.uid, GID: in.gid, Inode: in.number, Rdev: in.rdev, node: in}
	switch in.typ {
	case typeFile, typeLFile:
		f.Size = int64(in.size)
	case typeSymlink:
		f.Size = int64(len(in.target))
	}
	return f
}

const (
	maxDepth      = 512
	maxWalkErrors = 64
)

// Walk calls fn for every entry except the root, depth-first in listing
// order, a directory's contents right after it. fn may return fs.SkipDir
// or fs.SkipAll; another error stops the walk and is returned unchanged.
//
// Damage does not end the walk: an unreadable directory, a bad inode or a
// directory loop is skipped and the walk goes on; Walk returns those
// errors joined (the first 64). Options limits stop it with ErrLimit.
func (im *Image) Walk(fn func(f *File) error) error {
	w := &walker{im: im, fn: fn, visited: map[listing]bool{im.root.listing(): true}}
	err := w.dir(im.root, "", 0)
	if errors.Is(err, fs.SkipAll) {
		err = nil
	}
	if err != nil && !errors.Is(err, ErrLimit) {
		return err
	}
	if w.dropped > 0 {
		w.errs = append(w.errs, fmt.Errorf("squashfs3: %d more errors not shown", w.dropped))
	}
	return errors.Join(append(w.errs, err)...)
}

type walker struct {
	im      *Image
	fn      func(*File) error
	files   int
	visited map[listing]bool
	errs    []error
	dropped int
}

func (w *walker) record(path string, err error) {
	if len(w.errs) >= maxWalkErrors {
		w.dropped++
		return
	}
	w.errs = append(w.errs, errf(path, err))
}

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
		descend := child.isDir() && child.dirSize > 3
		if descend {
			if w.visited[child.listing()] {
				w.record(path, errorf(ErrCorrupt, "directory loop: this listing was already walked"))
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
		if err := w.fn(newFile(path, child)); err != nil {
			if !errors.Is(err, fs.SkipDir) {
				return err
			}
			if child.isDir() {
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
