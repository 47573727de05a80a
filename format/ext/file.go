package ext

import (
	"bytes"
	"io"
	"io/fs"
	"time"
)

// File describes one directory entry of the image.
type File struct {
	// Path is slash-separated and relative to the root, without a
	// leading slash: "etc/passwd". Every element is a safe name (no "."
	// or "..", no '/' or NUL).
	Path string
	// Mode holds the type and permission bits, including setuid, setgid
	// and sticky.
	Mode fs.FileMode
	// Size is the inode's size: the file length for regular files (the
	// content readable may be shorter on a corrupt image), the target
	// length for symlinks, 0 for devices.
	Size int64
	// LinkTarget is a symlink's target.
	LinkTarget string
	ModTime    time.Time
	UID, GID   uint32
	// Inode is the inode number; hard links share it.
	Inode uint32
	// Rdev is a device's number (Linux encoding, see inode.rdev).
	Rdev uint32
	// Allocated is the space the file's content takes in the image, in
	// bytes (0 for inline data and fully sparse files).
	Allocated int64

	node *inode
}

func (im *Image) newFile(path string, in *inode) *File {
	f := &File{
		Path: path, Mode: in.fileMode(), ModTime: in.modTime(),
		UID: in.uid, GID: in.gid, Inode: in.number,
		Allocated: int64(min(in.dataBlocks(im.sb.blockSize), 1<<40) * 512),
		node:      in,
	}
	switch in.typ() {
	case typeReg:
		f.Size = int64(min(in.size, 1<<62))
	case typeLink:
		f.Size = int64(min(in.size, 1<<62))
	case typeChar, typeBlock:
		f.Rdev = in.rdev()
	}
	return f
}

// maxSymlink bounds a symlink target (PATH_MAX).
const maxSymlink = 4096

// readLink returns the target of a symlink inode: in i_block (fast
// symlink), in inline data, or in its first block.
func (im *Image) readLink(in *inode) (string, error) {
	if in.size > maxSymlink {
		return "", errorf(ErrCorrupt, "symlink of %d bytes", in.size)
	}
	if in.flags&flagInlineData != 0 {
		return string(in.inlineData()), nil
	}
	// As the kernel decides (ext4_inode_is_fast_symlink): a symlink
	// without data blocks keeps its target in i_block.
	if in.dataBlocks(im.sb.blockSize) == 0 {
		if in.size >= inodeBlockLen {
			return "", errorf(ErrCorrupt, "fast symlink of %d bytes", in.size)
		}
		return string(in.block[:in.size]), nil
	}
	r, err := im.open(in)
	if err != nil {
		return "", err
	}
	b, err := io.ReadAll(r)
	return string(b), err
}

// Open returns a reader of a regular file's content. Holes and unwritten
// extents read as zeros; a block beyond the image ends the read with an
// error.
func (im *Image) Open(f *File) (io.Reader, error) {
	if f.node == nil || f.node.typ() != typeReg {
		return nil, errorf(ErrCorrupt, "%s is not a regular file", f.Path)
	}
	return im.open(f.node)
}

// open returns a reader of the content of any inode with data.
func (im *Image) open(in *inode) (io.Reader, error) {
	switch {
	case in.flags&(flagEncrypt|flagCompressed) != 0:
		return nil, errorf(ErrUnsupported, "inode %d is encrypted or compressed (flags %#x)", in.number, in.flags)
	case in.flags&flagInlineData != 0:
		return bytes.NewReader(in.inlineData()), nil
	}
	m, err := im.mapper(in)
	if err != nil {
		return nil, err
	}
	return &reader{im: im, m: m, size: in.size}, nil
}

// mapper returns the block mapping of an inode.
func (im *Image) mapper(in *inode) (mapper, error) {
	if in.flags&flagExtents != 0 {
		return newExtentMap(im, in)
	}
	return newBlockMap(im, in), nil
}

// Section returns where a regular file's content lies when it is stored in
// one run of consecutive blocks (the common case for files written once):
// its offset in the image. ok is false for empty, fragmented, sparse or
// inline files and for files running past the image.
func (im *Image) Section(f *File) (off int64, ok bool) {
	in := f.node
	if in == nil || in.typ() != typeReg || in.size == 0 || in.flags&(flagInlineData|flagEncrypt|flagCompressed) != 0 {
		return 0, false
	}
	m, err := im.mapper(in)
	if err != nil {
		return 0, false
	}
	phys, n, hole, err := m.lookup(0)
	bs := uint64(im.sb.blockSize)
	if err != nil || hole || phys == 0 || n < (in.size+bs-1)/bs || phys >= im.sb.blocksCount {
		return 0, false
	}
	off = int64(phys * bs)
	if off > im.size || in.size > uint64(im.size-off) {
		return 0, false
	}
	return off, true
}

// reader streams a file through its mapper, one run of blocks at a time.
type reader struct {
	im   *Image
	m    mapper
	size uint64
	pos  uint64
}

func (r *reader) Read(p []byte) (int, error) {
	if r.pos >= r.size {
		return 0, io.EOF
	}
	bs := uint64(r.im.sb.blockSize)
	phys, n, hole, err := r.m.lookup(r.pos / bs)
	if err != nil {
		return 0, err
	}
	within := r.pos % bs
	want := min(uint64(len(p)), n*bs-within, r.size-r.pos)
	if n > 1<<40/bs { // no overflow in n*bs
		want = min(uint64(len(p)), r.size-r.pos)
	}
	p = p[:want]
	if hole {
		clear(p)
	} else {
		if last := phys + (within+want-1)/bs; phys >= r.im.sb.blocksCount || last >= r.im.sb.blocksCount {
			return 0, errorf(ErrCorrupt, "file data at block %d beyond the %d blocks of the filesystem", last, r.im.sb.blocksCount)
		}
		if err := r.im.readAt(p, int64(phys*bs+within)); err != nil {
			return 0, err
		}
	}
	r.pos += want
	return int(want), nil
}
