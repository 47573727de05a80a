// Package jffs2 reads JFFS2 images, the log-structured flash filesystem of
// many NOR-flash routers and cameras (OpenWrt's rootfs_data, vendor
// config partitions), without cgo or external tools.
//
// Both byte orders are read (the order of the first node decides).
// Inode data compressed with none, zero, zlib, rtime, lzo (LZO1X) and
// lzma (the raw LZMA of OpenWrt's and U-Boot's compr_lzma.c: lc=0, lp=0,
// pb=0, 8 KiB dictionary) is read; rubin and dynrubin, which no current
// tool writes, are reported as unsupported when a file needs them.
//
// An image is a log: the reader scans it for nodes (magic 0x1985, header
// CRC), keeps for every directory entry and inode the node with the highest
// version, as the kernel does when it mounts, and assembles each file from
// its data nodes, newer versions overriding older ones. Erased flash (0xFF)
// and cleanmarker, padding and summary nodes are skipped. Obsolete nodes
// (ACCURATE bit cleared) are ignored.
//
// The reader is built for hostile images. Every node is checked against its
// CRCs before use; no length read from the image decides an allocation on
// its own (a data node unpacks to at most MaxNodeData bytes, file content is
// streamed one node at a time, holes and a huge isize are produced as zeros
// on demand); Options bound the nodes scanned and the files listed;
// directory loops and hard-linked directories are cut. Errors wrap
// ErrNotJFFS2, ErrCorrupt, ErrUnsupported and ErrLimit.
package jffs2
