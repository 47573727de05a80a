// Package ext reads ext2, ext3 and ext4 filesystem images, read-only and
// without cgo, mounts or external tools: the root filesystem and data
// partitions of many routers, set-top boxes, NAS devices and eMMC dumps.
//
// It reads the superblock, 32- and 64-bit group descriptors (also under
// meta_bg), 128- to 1024-byte inodes, block maps (direct and indirect
// blocks, ext2/ext3) and extent trees (ext4), inline data, linear and htree
// directories (an htree directory is read linearly: its index blocks look
// like empty entries), fast and slow symlinks, device nodes, fifos and
// sockets. Holes, unwritten extents and missing extents read as zeros. The
// journal is not replayed: the image is read as it lies, which is what a
// scanner should see.
//
// The reader is built for hostile images. Nothing read from the image
// decides an allocation on its own: file content is streamed straight from
// the image, an extent tree is read at most once per block and to at most
// five levels, directory loops and hard-linked directories are walked once,
// directory bytes and entries are bounded by Options, and every block
// number is checked against the filesystem size before it is read. Errors
// wrap the sentinels ErrNotExt, ErrTruncated, ErrCorrupt, ErrUnsupported and
// ErrLimit.
//
// Why not github.com/diskfs/go-diskfs: it is a large dependency (partition
// tables, ISO, FAT, squashfs writers) for one read path, it trusts counts
// and sizes from the image (allocating from them, and looping on cyclic
// structures), and it hands out file contents through its own file objects
// rather than as regions of the image, while a scanner needs bounded
// handling of hostile images and, for files stored in one extent, a section
// of the image it can read in place.
package ext
