package cramfs

import (
	"github.com/doorman-sec/doorman/format/unixmode"
	"io"
	"io/fs"
	"strings"
)

// File is one entry of the tree.
type File struct {
	Path       string // slash-separated, relative
	Mode       fs.FileMode
	Size       int64 // regular files and symlinks
	UID, GID   uint32
	LinkTarget string
	in         inode
}

func fileMode(m uint16) fs.FileMode { return unixmode.FileMode(uint32(m)) }

// Walk calls fn for every entry, directories before their contents, in
// the order of the image (mkcramfs sorts names). A directory whose
// entries were listed already (a loop, a shared directory) is not entered
// again; damaged directories end their own listing. Walk stops at fn's
// first error and returns it, or the first damage met.
func (im *Image) Walk(fn func(f *File) error) error {
	seen := map[uint32]bool{}
	count := 0
	var firstErr error
	var dir func(in inode, path string, depth int) error
	dir = func(in inode, path string, depth int) error {
		if in.size == 0 {
			return nil
		}
		if seen[in.offset] || depth > 256 {
			return nil
		}
		seen[in.offset] = true
		end := int64(in.offset) + int64(in.size)
		for off := int64(in.offset); off < end; {
			var b [inodeSize]byte
			if err := im.readAt(b[:], off); err != nil {
				if firstErr == nil {
					firstErr = err
				}
				return nil
			}
			child := decode(b[:], im.bo)
			child.entryOff = off
			name := make([]byte, child.namelen)
			if err := im.readAt(name, off+inodeSize); err != nil || child.namelen == 0 {
				if firstErr == nil {
					firstErr = errorf(ErrCorrupt, "directory entry at 0x%x", off)
				}
				return nil
			}
			off += inodeSize + int64(child.namelen)
			n := cstring(name)
			if n == "" || n == "." || n == ".." || strings.Contains(n, "/") {
				continue
			}
			if count++; count > im.opt.MaxFiles {
				return errorf(ErrLimit, "more than %d entries", im.opt.MaxFiles)
			}
			f := im.newFile(child, joinPath(path, n))
			if err := fn(f); err != nil {
				return err
			}
			if f.Mode.IsDir() {
				if err := dir(child, f.Path, depth+1); err != nil {
					return err
				}
			}
		}
		return nil
	}
	if err := dir(im.root, "", 0); err != nil {
		return err
	}
	return firstErr
}

func joinPath(dir, name string) string {
	if dir == "" {
		return name
	}
	return dir + "/" + name
}

func (im *Image) newFile(in inode, path string) *File {
	f := &File{Path: path, Mode: fileMode(in.mode), UID: uint32(in.uid), GID: uint32(in.gid), in: in}
	if f.Mode.IsRegular() || f.Mode&fs.ModeSymlink != 0 {
		f.Size = int64(in.size)
	}
	if f.Mode&fs.ModeSymlink != 0 && f.Size <= 4096 {
		if r, err := im.Open(f); err == nil {
			b, _ := io.ReadAll(r)
			f.LinkTarget = string(b)
		}
	}
	return f
}
