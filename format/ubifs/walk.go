package ubifs

import (
	"io/fs"
	"time"
)

// File is one entry of the tree.
type File struct {
	// Path is slash-separated and relative ("etc/passwd").
	Path       string
	Ino        uint32
	Mode       fs.FileMode
	Size       int64 // as the inode says; may be huge
	UID, GID   uint32
	ModTime    time.Time
	LinkTarget string
	// Rdev is a device node's number as the kernel encodes it.
	Rdev uint64
	// Compressed is the sum of the file's data node lengths.
	Compressed int64
}

// Walk calls fn for every entry reachable from the root, directories
// before their contents, names sorted. Entries without an inode node,
// names that cannot be path elements and directories met twice are
// skipped. Walk stops at fn's first error and returns it; it returns an
// ErrLimit error past MaxFiles entries.
func (im *Image) Walk(fn func(f *File) error) error {
	type dir struct {
		ino  uint32
		path string
	}
	seen := map[uint32]bool{rootIno: true}
	queue := []dir{{rootIno, ""}}
	count := 0
	for len(queue) > 0 {
		d := queue[0]
		queue = queue[1:]
		ents := im.dents[d.ino] // sorted by walkIndex
		for i, de := range ents {
			if !validName(de.name) || de.inum == 0 || i > 0 && ents[i-1].name == de.name {
				continue
			}
			in := im.inodes[de.inum]
			if in == nil {
				continue
			}
			f := im.file(de, in, d.path)
			if count++; count > im.opt.MaxFiles {
				return errorf(ErrLimit, "more than %d files", im.opt.MaxFiles)
			}
			if f.Mode.IsDir() {
				if seen[de.inum] {
					continue
				}
				seen[de.inum] = true
				queue = append(queue, dir{de.inum, f.Path})
			}
			if err := fn(f); err != nil {
				return err
			}
		}
	}
	return nil
}

func (im *Image) file(de dent, in *inode, parent string) *File {
	p := de.name
	if parent != "" {
		p = parent + "/" + de.name
	}
	f := &File{Path: p, Ino: de.inum, Mode: fileMode(in.mode), UID: in.uid, GID: in.gid, ModTime: unixTime(in.mtime)}
	switch {
	case f.Mode.IsRegular():
		f.Size = in.size
		for _, d := range im.data[de.inum] {
			f.Compressed += int64(d.ref.len)
		}
	case f.Mode&fs.ModeSymlink != 0:
		f.LinkTarget = string(in.inline)
		f.Size = int64(len(in.inline))
	case f.Mode&fs.ModeDevice != 0:
		// union ubifs_dev_desc: a 4-byte new_encode_dev or an 8-byte huge.
		switch len(in.inline) {
		case 4:
			f.Rdev = uint64(le.Uint32(in.inline))
		case 8:
			f.Rdev = le.Uint64(in.inline)
		}
	}
	return f
}
