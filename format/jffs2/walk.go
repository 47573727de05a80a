package jffs2

import (
	"github.com/doorman-sec/doorman/format/unixmode"
	"io"
	"io/fs"
	"sort"
	"strings"
	"time"
)

// File is one entry of the tree.
type File struct {
	// Path is slash-separated and relative ("etc/passwd").
	Path       string
	Ino        uint32
	Mode       fs.FileMode
	Size       int64 // isize of the newest inode node; may be huge
	UID, GID   uint32
	ModTime    time.Time
	LinkTarget string
	// Compressed is the sum of the file's compressed data node sizes.
	Compressed int64
}

// rootIno is the inode number of the root directory; it has no node.
const rootIno = 1

// fileMode converts a Linux st_mode to an fs.FileMode.
func fileMode(m uint32) fs.FileMode { return unixmode.FileMode(m) }

// newest returns the inode node with the highest version: the one whose
// metadata (mode, owner, size) is in force.
func newest(nodes []*inodeNode) *inodeNode {
	var best *inodeNode
	for _, n := range nodes {
		if best == nil || n.version >= best.version {
			best = n
		}
	}
	return best
}

// Walk calls fn for every entry reachable from the root, directories
// before their contents, names sorted. Entries without an inode node,
// names that cannot be path elements and directories met twice (a loop, a
// hard-linked directory) are skipped. Walk stops at fn's first error and
// returns it; it returns an ErrLimit error past MaxFiles entries.
func (im *Image) Walk(fn func(f *File) error) error {
	children := map[uint32][]dirent{}
	for _, d := range im.dirents {
		if d.ino != 0 { // ino 0: the name was unlinked
			children[d.pino] = append(children[d.pino], d)
		}
	}
	for _, c := range children {
		sort.Slice(c, func(i, j int) bool { return c[i].name < c[j].name })
	}
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
		for _, de := range children[d.ino] {
			if de.name == "" || de.name == "." || de.name == ".." || strings.ContainsAny(de.name, "/\x00") {
				continue
			}
			f := im.file(de, d.path)
			if f == nil {
				continue
			}
			if count++; count > im.opt.MaxFiles {
				return errorf(ErrLimit, "more than %d files", im.opt.MaxFiles)
			}
			if f.Mode.IsDir() {
				if seen[de.ino] {
					continue
				}
				seen[de.ino] = true
				queue = append(queue, dir{de.ino, f.Path})
			}
			if err := fn(f); err != nil {
				return err
			}
		}
	}
	return nil
}

// file builds the File a dirent names, or nil when its inode has no node
// and is not a directory with entries either.
func (im *Image) file(de dirent, parent string) *File {
	p := de.name
	if parent != "" {
		p = parent + "/" + de.name
	}
	f := &File{Path: p, Ino: de.ino}
	nodes := im.inodes[de.ino]
	n := newest(nodes)
	if n == nil {
		const dtDir = 4
		if de.typ != dtDir {
			return nil
		}
		f.Mode = fs.ModeDir | 0o755
		return f
	}
	f.Mode = fileMode(n.mode)
	f.UID, f.GID = uint32(n.uid), uint32(n.gid)
	f.ModTime = time.Unix(int64(n.mtime), 0).UTC()
	if f.Mode.IsRegular() || f.Mode&fs.ModeSymlink != 0 {
		f.Size = int64(n.isize)
		for _, x := range nodes {
			f.Compressed += int64(x.csize)
		}
	}
	if f.Mode&fs.ModeSymlink != 0 {
		// The target is the link's data; a name longer than a page is not
		// a target any tool writes.
		if f.Size > 4096 {
			f.Size = 4096
		}
		if r, err := im.Open(f); err == nil {
			b, _ := io.ReadAll(r)
			f.LinkTarget = string(b)
		}
	}
	return f
}
