// Package android reads the two image formats Android firmware ships that
// hide other images: sparse images (system.img, vendor.img, userdata.img
// as fastboot flashes them) and boot images (boot.img, recovery.img:
// kernel, ramdisk and second stage behind an "ANDROID!" header).
//
// A sparse image (libsparse's format, magic 0xed26ff3a) is a list of
// chunks: raw blocks, a 4-byte fill pattern repeated, blocks that do not
// matter (read as zeros here) and CRC records. OpenSparse checks every
// chunk header against the block size and the file, and serves the
// expanded image as an io.ReaderAt that reads raw chunks in place; its
// size is what the header declares, so callers must bound what they read.
//
// Boot images of header versions 0 to 4 are read (AOSP's
// bootimg.h): the sections follow the header, each starting on a page
// boundary. Version 0 headers from Qualcomm trees that keep a device-tree
// size in the header_version field are read too.
//
// Both readers are built for hostile input: sizes are checked against the
// data before use and nothing read from a header decides an allocation.
// Errors wrap ErrNotAndroid and ErrCorrupt.
package android
