package jffs2

import (
	"encoding/binary"
	"io"
)

// MaxNodeData is the most bytes one data node may unpack to. The kernel
// writes at most a page (4 KiB, 64 KiB on some architectures); mkfs.jffs2
// -s allows more, but nothing real comes near 1 MiB.
const MaxNodeData = 1 << 20

// Options bound the work done on one image. Zero values take the defaults.
type Options struct {
	// MaxNodes bounds the inode and dirent nodes kept (default 4 Mi).
	MaxNodes int
	// MaxFiles bounds the files Walk reports (default 1 Mi).
	MaxFiles int
	// MaxGap is how many bytes of neither node nor erased flash the scan
	// crosses before it decides the image has ended (default 64 KiB, the
	// usual erase block). Without it a carved image would be scanned to
	// the end of the blob it lies in.
	MaxGap int64
}

func (o Options) withDefaults() Options {
	if o.MaxNodes <= 0 {
		o.MaxNodes = 4 << 20
	}
	if o.MaxFiles <= 0 {
		o.MaxFiles = 1 << 20
	}
	if o.MaxGap <= 0 {
		o.MaxGap = 64 << 10
	}
	return o
}

// Image is a scanned JFFS2 image. It is safe for concurrent use; readers
// from Open are not.
type Image struct {
	r     io.ReaderAt
	size  int64
	bo    binary.ByteOrder
	opt   Options
	end   int64
	nodes int
	// inodes holds every valid data node of each inode number.
	inodes map[uint32][]*inodeNode
	// dirents holds the newest dirent of each (parent, name).
	dirents map[direntKey]dirent
	// warnings are problems met while scanning (bad node CRCs).
	warnings []error
}

type direntKey struct {
	pino uint32
	name string
}

// Open scans the image of size bytes in r. It fails only when the data
// does not start with a valid node or a limit is reached; damaged nodes
// further on are skipped and listed by Warnings.
func Open(r io.ReaderAt, size int64, opt Options) (*Image, error) {
	var h [headerSize]byte
	if n, _ := r.ReadAt(h[:], 0); n < headerSize {
		return nil, ErrNotJFFS2
	}
	bo := order(h[:])
	if bo == nil {
		return nil, ErrNotJFFS2
	}
	im := &Image{r: r, size: size, bo: bo, opt: opt.withDefaults(),
		inodes: map[uint32][]*inodeNode{}, dirents: map[direntKey]dirent{}}
	if err := im.scan(); err != nil {
		return nil, err
	}
	return im, nil
}

// ByteOrder returns the image's byte order.
func (im *Image) ByteOrder() binary.ByteOrder { return im.bo }

// Length returns the offset just past the last valid node: how much of the
// data the image occupies (trailing erased flash excluded).
func (im *Image) Length() int64 { return im.end }

// Nodes returns how many inode and dirent nodes were kept.
func (im *Image) Nodes() int { return im.nodes }

// Warnings returns the problems met while scanning: nodes whose header
// was valid but whose body was not.
func (im *Image) Warnings() []error { return im.warnings }
