package squashfs

import (
	"encoding/binary"
	"errors"
	"strings"

	"github.com/doorman-sec/doorman/format/squashfs/internal/layout"
)

// dirEntry is one name in a directory listing and where its inode is.
type dirEntry struct {
	name   string
	block  uint32 // inode's metadata block, relative to the inode table
	offset uint16 // inode's offset within that block
}

// listingKey identifies a directory listing by its place in the directory
// table. Walk uses it to spot a directory reached twice: real images never
// share a listing, so a repeat is a loop (or a hard-linked directory, which
// is as good as one).
type listingKey struct {
	block  uint32
	offset uint16
}

func (in *inode) listing() listingKey {
	return listingKey{block: in.dirBlock, offset: in.dirOffset}
}

// hasListing reports whether the directory lists any entries. Empty
// directories have size 3 and may share their (unused) listing position
// with the next directory.
func (in *inode) hasListing() bool {
	return in.dirSize > layout.DirSizeOffset
}

// readDir decodes the listing of directory in. It stops with ErrLimit
// after max entries. On error it also returns the entries decoded so far,
// so the caller can report what is readable. An entry with an unsafe name
// ("", ".", "..", or one holding '/' or NUL) is dropped and reported in the
// error, while decoding goes on.
func (im *Image) readDir(in *inode, max int) ([]dirEntry, error) {
	if !in.hasListing() {
		return nil, nil
	}
	remaining := int64(in.dirSize) - layout.DirSizeOffset
	m, err := im.metaReaderAt(int64(im.sb.dirTable)+int64(in.dirBlock), im.sb.dirTableEnd(), int(in.dirOffset))
	if err != nil {
		return nil, err
	}
	le := binary.LittleEndian
	var out []dirEntry
	var bad []error
	for remaining > 0 {
		if remaining < layout.DirHeaderSize {
			return out, errorf(ErrCorrupt, "directory listing ends inside a header")
		}
		h, err := m.next(layout.DirHeaderSize)
		if err != nil {
			return out, err
		}
		remaining -= layout.DirHeaderSize
		count := le.Uint32(h[0:]) + 1
		start := le.Uint32(h[4:])
		if count > layout.DirMaxEntries {
			return out, errorf(ErrCorrupt, "directory header with %d entries", count)
		}
		for range count {
			if remaining < layout.DirEntrySize {
				return out, errorf(ErrCorrupt, "directory listing ends inside an entry")
			}
			e, err := m.next(layout.DirEntrySize)
			if err != nil {
				return out, err
			}
			offset := le.Uint16(e[0:])
			nameLen := int64(le.Uint16(e[6:])) + 1
			remaining -= layout.DirEntrySize
			if nameLen > layout.DirMaxName || nameLen > remaining {
				return out, errorf(ErrCorrupt, "directory entry name of %d bytes", nameLen)
			}
			raw := make([]byte, nameLen)
			if err := m.read(raw); err != nil {
				return out, err
			}
			remaining -= nameLen
			name := string(raw)
			if !safeName(name) {
				bad = append(bad, errorf(ErrCorrupt, "unsafe entry name %q", name))
				continue
			}
			if len(out) >= max {
				return out, errorf(ErrLimit, "more than %d entries (Options.MaxFiles)", max)
			}
			out = append(out, dirEntry{name: name, block: start, offset: offset})
		}
	}
	return out, errors.Join(bad...)
}

// safeName reports whether name can be used as one path element: a name
// like ".." or "a/../../etc" would let a hostile image place files outside
// the tree for anyone who extracts by path.
func safeName(name string) bool {
	return name != "" && name != "." && name != ".." && !strings.ContainsAny(name, "/\x00")
}
