// Package ubifs reads UBIFS images, the filesystem of NAND-flash firmware
// that sits in a UBI volume (OpenWrt's rootfs_data, the rootfs of many
// cameras and set-top boxes), as mkfs.ubifs writes them or as they are
// read back out of a UBI volume, without cgo or external tools.
//
// The reader follows the on-flash structures of fs/ubifs/ubifs-media.h:
// the superblock node (LEB 0) gives the LEB size and count; the newest
// valid master node (LEB 1, or its copy in LEB 2) points at the root of
// the index, a B+-tree of index nodes whose leaves are inode, directory
// entry and data nodes. The tree of files is built from the inode and
// dentry nodes the index reaches; file content is read block by block
// from the data nodes, each decompressed on its own (none, lzo, zlib as
// raw deflate, zstd). Holes read as zeros. Symlink targets and device
// numbers are the inline data of their inode nodes.
//
// Nodes written to the journal since the last commit (files changed on a
// running device before its flash was dumped: a planted script, an edited
// shadow file) are replayed over the index as the kernel does at mount:
// the log, from the master node's log LEB, names the buds; their inode,
// entry, data and truncation nodes are applied in sequence-number order.
// Images made by mkfs.ubifs have an empty journal.
//
// The reader is built for hostile images: every node is checked against
// its CRC and its length; the index walk is bounded in depth and in nodes
// and cut at nodes met twice; no length read from the image decides an
// allocation on its own (a data node unpacks to at most one 4 KiB block);
// directory loops are cut. Errors wrap ErrNotUBIFS, ErrCorrupt,
// ErrUnsupported and ErrLimit.
package ubifs
