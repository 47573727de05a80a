package ext

import (
	"errors"
	"fmt"
	"io/fs"
)

// maxDepth bounds directory nesting: Linux paths are at most 4096 bytes.
const maxDepth = 2048

// maxWalkErrors bounds the errors Walk keeps; a hostile image can produce
// one per entry.
const maxWalkErrors = 64

// Walk calls fn for every entry of the filesystem except the root,
// depth-first, each directory's entries in on-disk order and a
// directory's contents right after it. Hard links appear once per name,
// with the same Inode.
//
// fn may return fs.SkipDir (skip a directory's contents) or fs.SkipAll;
// any other error from fn stops the walk and is returned unchanged.
//
// Damage does not end the walk: an unreadable directory, a bad inode, an
// unsafe name or a directory reached a second time (a loop, or a
// hard-linked directory) is skipped and the walk goes on. Walk returns
// those errors joined (the first 64 are kept), each naming its path.
// Reaching Options.MaxFiles or MaxDirBytes stops the walk with an error
// wrapping ErrLimit.
func (im *Image) Walk(fn func(f *File) error) error {
	root, err := im.inode(RootInode)
	if err != nil {
		return err
	}
	w := &walker{im: im, fn: fn, visited: map[uint32]bool{RootInode: true}, budget: im.opt.MaxDirBytes}
	err = w.dir(root, "", 0)
	if errors.Is(err, fs.SkipAll) {
		err = nil
	}
	if err != nil && !errors.Is(err, ErrLimit) {
		return err
	}
	if w.dropped > 0 {
		w.errs = append(w.errs, fmt.Errorf("ext: %d more errors not shown", w.dropped))
	}
	return errors.Join(append(w.errs, err)...)
}

type walker struct {
	im      *Image
	fn      func(*File) error
	files   int
	visited map[uint32]bool // directory inodes walked
	budget  int64           // directory bytes left
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

// dir walks directory in, found at dir. A non-nil result stops the walk.
func (w *walker) dir(in *inode, dir string, depth int) error {
	if in.flags&flagInlineData == 0 && in.size > uint64(w.budget) {
		// Skipped, not fatal: one lying directory must not hide
		// the rest of the tree.
		w.record(dir, errorf(ErrLimit, "directory of %d bytes exceeds the %d bytes left of Options.MaxDirBytes", in.size, w.budget))
		return nil
	}
	entries, n, err := w.im.readDir(in, w.budget, w.im.opt.MaxFiles-w.files)
	w.budget -= n
	var stop error
	switch {
	case errors.Is(err, ErrLimit):
		stop = err
	case err != nil:
		w.record(dir, err)
	}
	for _, e := range entries {
		if e.name == "." || e.name == ".." {
			continue
		}
		path := e.name
		if dir != "" {
			path = dir + "/" + e.name
		}
		if !safeName(e.name) {
			w.record(path, errorf(ErrCorrupt, "unsafe name %q", e.name))
			continue
		}
		child, err := w.im.inode(e.ino)
		if err != nil {
			w.record(path, err)
			continue
		}
		descend := child.typ() == typeDir
		if descend {
			if w.visited[e.ino] {
				w.record(path, errorf(ErrCorrupt, "directory inode %d reached twice (a loop)", e.ino))
				continue
			}
			if depth+1 >= maxDepth {
				w.record(path, errorf(ErrCorrupt, "directories nested deeper than %d", maxDepth))
				continue
			}
			w.visited[e.ino] = true
		}
		if w.files >= w.im.opt.MaxFiles {
			return errorf(ErrLimit, "more than %d entries (Options.MaxFiles)", w.im.opt.MaxFiles)
		}
		w.files++
		f := w.im.newFile(path, child)
		if child.typ() == typeLink {
			if f.LinkTarget, err = w.im.readLink(child); err != nil {
				w.record(path, err)
			}
		}
		if err := w.fn(f); err != nil {
			if errors.Is(err, fs.SkipDir) {
				if descend {
					continue
				}
				return nil
			}
			return err
		}
		if descend {
			if err := w.dir(child, path, depth+1); err != nil {
				return err
			}
		}
	}
	return stop
}
