// Package artifact turns a target (a folder, a file, an archive, a firmware
// image) into a tree of entries. Each entry has a path in which nested
// containers are joined with "!/", a kind detected from its bytes, a size and
// its content. Formats (registered by the formats package) list the children
// of container entries; raw blobs are carved for embedded images. The walk
// is bounded by Limits and never writes outside one temporary directory.
package artifact

import (
	"io"
	"io/fs"
)

// Kind is what an entry is, detected from its bytes (never from its name).
type Kind string

// Kinds that exist without any registered format.
const (
	KindDir     Kind = "dir"
	KindSymlink Kind = "symlink"
	KindSpecial Kind = "special" // device node, fifo, socket: listed, never read
	KindEmpty   Kind = "empty"
	KindText    Kind = "text"
	KindData    Kind = "data" // bytes no format recognised
)

// Source is the content of an entry: random access with a known size.
// *bytes.Reader and *io.SectionReader satisfy it.
type Source interface {
	io.ReaderAt
	Size() int64
}

// Entry is one node of the artifact tree.
type Entry struct {
	// Target is the target as the user gave it.
	Target string
	// Path is the full display path: the target, then every nested name,
	// with "!/" at each boundary into a container.
	Path string
	// Name is the entry's path inside its innermost container or folder,
	// slash-separated, without a leading slash ("etc/shadow").
	Name string
	Kind Kind
	Size int64
	Mode fs.FileMode
	// LinkTarget is a symlink's target as stored (never followed).
	LinkTarget string
	// Depth counts the containers around the entry (0 for a target's files).
	Depth int
	// Carved is true for a region found by carving a raw blob.
	Carved bool
	// Parent is the container entry, nil at the top.
	Parent *Entry
}

// IsRegular reports whether the entry has readable content.
func (e *Entry) IsRegular() bool {
	return e.Kind != KindDir && e.Kind != KindSymlink && e.Kind != KindSpecial
}

// Base returns the last element of Name.
func (e *Entry) Base() string {
	n := e.Name
	for i := len(n) - 1; i >= 0; i-- {
		if n[i] == '/' {
			return n[i+1:]
		}
	}
	return n
}

// Child is what a format reports for one member of a container. Exactly one
// of Section and Stream gives the content of a regular member.
type Child struct {
	Name       string
	Mode       fs.FileMode
	Size       int64 // as declared by the container; may lie
	LinkTarget string
	// Section is the member's bytes as a region of the container's source
	// (stored members, carved regions): read in place, no copy.
	Section *io.SectionReader
	// Stream opens the member's bytes for sequential reading (compressed
	// members). The walker reads it at once, within the limits.
	Stream func() (io.ReadCloser, error)
	// Compressed is the number of container bytes behind Stream, for the
	// compression-ratio limit; 0 when unknown.
	Compressed int64
	// Kind, when set, skips detection (carving already knows it).
	Kind Kind
	// Carved marks a region found by carving; Name is then KIND@0xOFFSET.
	Carved bool
}
