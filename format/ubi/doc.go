// Package ubi reads UBI images, the volume layer that Linux puts on raw
// NAND flash (most NAND routers, cameras and set-top boxes ship their
// rootfs as a UBI image holding a squashfs or UBIFS volume), without cgo
// or external tools.
//
// An image is a run of physical eraseblocks (PEBs). Each starts with an
// erase-counter header ("UBI#") that gives the offsets of the volume-id
// header ("UBI!") and of the data; the volume-id header says which volume
// and which logical eraseblock (LEB) of it the PEB holds. The layout
// volume holds the volume table: each volume's name and type. The reader
// finds the PEB size from the distance between erase-counter headers,
// maps every LEB to its PEB (the copy with the highest sequence number
// wins, as in the kernel's attach, unless it is an unfinished copy whose
// data CRC fails) and serves each volume as an io.ReaderAt over its LEBs,
// reading in place: nothing is copied and unmapped LEBs read as erased
// flash (0xFF).
//
// The reader is built for hostile images: every header is checked against
// its CRC, LEB numbers are bounded by the PEBs present (so a volume is
// never larger than the image), and Options bound the PEBs scanned. Errors
// wrap ErrNotUBI, ErrCorrupt and ErrLimit.
package ubi
