package squashfs3

import (
	"fmt"
	"strings"
)

// dirEntry is one entry of a directory listing.
type dirEntry struct {
	name   string
	block  uint32 // inode's metadata block, relative to the inode table
	offset uint16
}

// Directory listings: a 9-byte header (count-1 in 8 bits, the inodes'
// metadata block, a base inode number) followed by count 5-byte entries
// (offset:13 type:3 size:8 inode_number:16) each followed by size+1
// name bytes.
const (
	dirHeaderSize = 9
	dirEntrySize  = 5
)

// readDir lists directory in, at most max entries. The listing's size in
// the inode counts 3 bytes more than the listing (for "." and "..").
func (im *Image) readDir(in *inode, max int) ([]dirEntry, error) {
	if in.dirSize <= 3 {
		return nil, nil
	}
	if uint64(in.dirBlock) >= uint64(im.sb.dirTableEnd())-im.sb.dirTable || in.dirOffset >= metadataSize {
		return nil, errorf(ErrCorrupt, "listing at %d:%d outside the directory table", in.dirBlock, in.dirOffset)
	}
	m, err := im.metaReaderAt(int64(im.sb.dirTable)+int64(in.dirBlock), im.sb.dirTableEnd(), int(in.dirOffset))
	if err != nil {
		return nil, err
	}
	left := int64(in.dirSize) - 3
	var out []dirEntry
	for left > 0 {
		if left < dirHeaderSize {
			return out, errorf(ErrCorrupt, "%d stray bytes at the end of a listing", left)
		}
		b, err := m.next(dirHeaderSize)
		if err != nil {
			return out, err
		}
		r := bitReader{b: b, be: im.sb.be}
		count := int(r.u8(0)) + 1
		block := r.u32(8)
		left -= dirHeaderSize
		for range count {
			if left < dirEntrySize+1 {
				return out, errorf(ErrCorrupt, "listing ends inside an entry")
			}
			b, err := m.next(dirEntrySize)
			if err != nil {
				return out, err
			}
			r := bitReader{b: b, be: im.sb.be}
			offset := uint16(r.field(0, 13))
			n := int(r.u8(16)) + 1
			left -= dirEntrySize + int64(n)
			if left < 0 {
				return out, errorf(ErrCorrupt, "name runs past the end of the listing")
			}
			name := make([]byte, n)
			if err := m.read(name); err != nil {
				return out, err
			}
			s := string(name)
			if s == "." || s == ".." || strings.ContainsAny(s, "/\x00") {
				return out, errorf(ErrCorrupt, "bad name %q in a listing", s)
			}
			if len(out) >= max {
				return out, errorf(ErrLimit, "more than %d entries (Options.MaxFiles)", max)
			}
			out = append(out, dirEntry{name: s, block: block, offset: offset})
		}
	}
	return out, nil
}

// errf wraps err with the path it concerns.
func errf(path string, err error) error {
	if path == "" {
		path = "/"
	}
	return fmt.Errorf("%s: %w", path, err)
}
