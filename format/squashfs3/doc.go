// Package squashfs3 reads SquashFS 3.x images (superblock major version
// 3, minor 0 or 1), the filesystem of a decade of router, set-top box and
// camera firmware built with squashfs-tools 3.0–3.4 and the vendor SDKs
// derived from them, without cgo or external tools. SquashFS 4.0 images
// are format/squashfs's; this package refuses them.
//
// The layout follows squashfs-tools 3.x squashfs_fs.h and the Linux
// 2.6.2x fs/squashfs driver. It differs from 4.0 in more than the
// version: images come in both byte orders ("hsqs" little-endian, "sqsh"
// big-endian), and the on-disk structures are C bit fields, which a
// big-endian compiler packs from the most significant bit. Every field is
// therefore read by its bit position in the stream (squashfs_fs.h's
// SQUASHFS_SWAP_* macros list them), counted from the least significant
// bit of each byte in little-endian images and from the most significant
// bit in big-endian ones. The uid/gid table and the fragment index are
// stored raw, inodes are 12-byte-headed, directory headers 9 bytes and
// directory entries 5 bytes.
//
// Blocks are compressed one by one. Stock 3.x writes zlib; the LZMA
// patches that Broadcom and Realtek SDKs and OpenWrt's old squashfs 3.x
// lzma carry write either LZMA-alone streams (13-byte header) or raw LZMA
// with fixed properties (lc=3, lp=0, pb=2, dictionary of the block size),
// sometimes under the "shsq"/"qshs" magic. Nothing in the superblock tells
// them apart, so each block is tried as zlib, then LZMA-alone, then raw
// LZMA, as the sqlzma decoder does. Raw LZMA streams carry no length; their
// output is cut at the size the block must have.
//
// Hostile images are expected: decompressed metadata blocks are capped at
// 8 KiB and data blocks at the block size, LZMA dictionaries at the block
// size, file content is streamed, directory loops and deep nesting are cut,
// and Options bounds entries and metadata work. Errors wrap ErrNotSquashfs,
// ErrTruncated, ErrCorrupt, ErrUnsupported and ErrLimit.
package squashfs3
