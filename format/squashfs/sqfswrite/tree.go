package sqfswrite

import (
	"fmt"
	"io/fs"
	"slices"
	"strings"

	"github.com/doorman-sec/doorman/format/squashfs/internal/layout"
)

// node is one inode of the tree being written.
type node struct {
	name     string
	entry    Entry
	typ      uint16 // basic inode type
	implicit bool   // a parent directory nobody listed
	children []*node
	byName   map[string]*node

	// Filled in while building.
	number      uint32
	ref         uint64 // inode reference: block start << 16 | offset
	blocksStart uint64
	blockSizes  []uint32
	fragment    uint32
	fragOffset  uint32
	sparseBytes uint64
}

// buildTree turns the flat entry list into a directory tree whose children
// are sorted by name, the order the kernel's directory lookup expects.
func buildTree(files []Entry, opt WriteOptions) (*node, error) {
	root := &node{entry: Entry{Mode: fs.ModeDir | 0o755, ModTime: opt.ModTime}, typ: layout.TypeDir}
	for _, e := range files {
		if err := root.insert(e, opt); err != nil {
			return nil, err
		}
	}
	root.sort()
	return root, nil
}

func (n *node) insert(e Entry, opt WriteOptions) error {
	typ, err := inodeType(e.Mode)
	if err != nil {
		return fmt.Errorf("sqfswrite: %s: %w", e.Path, err)
	}
	if e.ModTime.IsZero() {
		e.ModTime = opt.ModTime
	}
	parts := strings.Split(strings.Trim(e.Path, "/"), "/")
	for _, p := range parts {
		if p == "" || p == "." || p == ".." || len(p) > layout.DirMaxName || strings.ContainsRune(p, 0) {
			return fmt.Errorf("sqfswrite: invalid path %q", e.Path)
		}
	}
	dir := n
	for _, p := range parts[:len(parts)-1] {
		next := dir.byName[p]
		if next == nil {
			next = &node{
				name:     p,
				entry:    Entry{Mode: fs.ModeDir | 0o755, ModTime: opt.ModTime},
				typ:      layout.TypeDir,
				implicit: true,
			}
			dir.add(next)
		}
		if next.typ != layout.TypeDir {
			return fmt.Errorf("sqfswrite: %s: parent %q is not a directory", e.Path, p)
		}
		dir = next
	}
	name := parts[len(parts)-1]
	if old := dir.byName[name]; old != nil {
		// A directory may be listed after something inside it created it.
		if !old.implicit || typ != layout.TypeDir {
			return fmt.Errorf("sqfswrite: duplicate path %q", e.Path)
		}
		old.entry, old.implicit = e, false
		return nil
	}
	dir.add(&node{name: name, entry: e, typ: typ})
	return nil
}

func (n *node) add(child *node) {
	if n.byName == nil {
		n.byName = make(map[string]*node)
	}
	n.byName[child.name] = child
	n.children = append(n.children, child)
}

func (n *node) sort() {
	slices.SortFunc(n.children, func(a, b *node) int { return strings.Compare(a.name, b.name) })
	for _, c := range n.children {
		c.sort()
	}
}

// inodeType maps an fs.FileMode type to the basic SquashFS inode type.
func inodeType(m fs.FileMode) (uint16, error) {
	switch {
	case m&fs.ModeDir != 0:
		return layout.TypeDir, nil
	case m&fs.ModeSymlink != 0:
		return layout.TypeSymlink, nil
	case m&fs.ModeCharDevice != 0:
		return layout.TypeCharDev, nil
	case m&fs.ModeDevice != 0:
		return layout.TypeBlockDev, nil
	case m&fs.ModeNamedPipe != 0:
		return layout.TypeFifo, nil
	case m&fs.ModeSocket != 0:
		return layout.TypeSocket, nil
	case m&fs.ModeType == 0:
		return layout.TypeFile, nil
	}
	return 0, fmt.Errorf("unsupported file type %v", m.Type())
}

// permBits returns the 12 permission bits stored in an inode. Besides
// fs.ModeSetuid, fs.ModeSetgid and fs.ModeSticky it takes the Unix-style
// 0o4000, 0o2000 and 0o1000 bits, since callers often write modes that way.
func permBits(m fs.FileMode) uint16 {
	p := uint16(m & (layout.ModePerm | layout.ModeSetuid | layout.ModeSetgid | layout.ModeSticky))
	if m&fs.ModeSetuid != 0 {
		p |= layout.ModeSetuid
	}
	if m&fs.ModeSetgid != 0 {
		p |= layout.ModeSetgid
	}
	if m&fs.ModeSticky != 0 {
		p |= layout.ModeSticky
	}
	return p
}
