// Package cramfs reads cramfs images ("Compressed ROMFS"), the read-only
// filesystem of older Linux firmware (many IP cameras, DVRs and early
// routers), without cgo or external tools.
//
// Both byte orders are read: the superblock magic 0x28cd3d45 tells which.
// File data is a table of block end pointers followed by zlib blocks of
// one page each; the block size, which the image does not record (the
// kernel assumes PAGE_SIZE), is found by trying 4 to 64 KiB on the first
// file. Holes (empty blocks) and the uncompressed blocks of the extended
// block pointer format are read; direct block pointers are reported as
// unsupported. Images made with mkcramfs -p (a 512-byte pad for a boot
// loader before the superblock) are read from the superblock, so carving
// finds them where the magic is.
//
// The reader is built for hostile images: every offset is checked against
// the image, a block unpacks to at most 64 KiB, file content is streamed a
// block at a time, directories already visited are not entered again, and
// Options bound the entries listed. Errors wrap ErrNotCramfs, ErrCorrupt,
// ErrUnsupported and ErrLimit.
package cramfs
